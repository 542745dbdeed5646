// Bad input, one test per row of docs/bad-input.md: the error names the problem, and live code runs
// on.
#include "EngineTestCommon.h"

#include "llvm/AsmParser/LLParser.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace hotjit;
using namespace hotjit::test;

namespace {

/// Size limit of the engines below; every live module of the fixture is smaller.
constexpr size_t Limit = 4096;

/// An engine with three live modules (a callee, its caller, and a module with
/// global state); each test commits one bad input, then checks that every
/// live version still answers exactly as before.
class BadInputTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.MaxModuleBytes = Limit;
    return O;
  }

  void SetUp() override {
    EngineTest::SetUp();
    mustCommit(Eng->batch()
                   .add("callee", ir(addFunction("callee", 1)))
                   .add("caller", ir(CallerIR))
                   .add("counter", ModuleSource::fromFile(HOTJIT_FIXTURES_DIR "/counter.ll"))
                   .commit());
    for (const char *F : {"callee", "caller", "bump"})
      Versions.push_back(Eng->versionOf(F));
  }

  /// Every live module is still there, at the same version, answering calls
  /// with the same results and the same state; \p Others are live too.
  void expectLiveVersionsAnswerWith(std::vector<std::string> Others) {
    Others.insert(Others.end(), {"callee", "caller", "counter"});
    std::sort(Others.begin(), Others.end());
    EXPECT_EQ(Eng->modules(), Others);
    std::vector<std::optional<uint64_t>> Now;
    for (const char *F : {"callee", "caller", "bump"})
      Now.push_back(Eng->versionOf(F));
    EXPECT_EQ(Now, Versions);
    auto Callee = Eng->call<int(int)>("callee", 1);
    ASSERT_TRUE(!!Callee) << llvm::toString(Callee.takeError());
    EXPECT_EQ(*Callee, 2);
    auto Caller = Eng->call<int(int)>("caller", 1);
    ASSERT_TRUE(!!Caller) << llvm::toString(Caller.takeError());
    EXPECT_EQ(*Caller, 1002);
    EXPECT_EQ(callInt("bump"), ++Bumps);
  }
  void expectLiveVersionsAnswer() { expectLiveVersionsAnswerWith({}); }

  std::vector<std::optional<uint64_t>> Versions;
  int Bumps = 0;
};

/// A path under the test's temporary directory holding \p Bytes.
std::string writeTempFile(const std::string &Name, const std::string &Bytes) {
  std::string Path = ::testing::TempDir() + "hotjit-badinput-" + Name;
  std::ofstream(Path, std::ios::binary) << Bytes;
  return Path;
}

/// Valid IR of \p Size bytes exactly: a function padded with a comment.
std::string paddedModule(const std::string &Name, size_t Size) {
  std::string Text = constantFunction(Name, 5) + ";";
  EXPECT_LE(Text.size() + 1, Size);
  Text.append(Size - Text.size() - 1, 'x');
  return Text + "\n";
}

// ---- Unreadable sources ---------------------------------------------------

TEST_F(BadInputTest, MalformedIRTextNamesModuleLineAndColumn) {
  expectError(Eng->add("bad", ir("define i32 @h() {\n  ret i32\n}\n")), ErrorKind::Parse,
              {"module 'bad'", "malformed IR at line 3:1", "expected value token"});
  // A use of an undefined value is caught by the parser, not the verifier.
  expectError(Eng->add("undef", ir("define i32 @v() {\n  ret i32 %nowhere\n}\n")), ErrorKind::Parse,
              {"module 'undef'", "line 2", "nowhere"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, TruncatedBitcodeIsAParseError) {
  std::string Bytes = bitcodeOf(constantFunction("from_bc", 7));
  ASSERT_GT(Bytes.size(), 64u);
  expectError(Eng->add("cut", ModuleSource::fromBitcode(Bytes.substr(0, Bytes.size() / 2))),
              ErrorKind::Parse, {"module 'cut'", "invalid bitcode"});
  expectError(Eng->add("empty", ModuleSource::fromBitcode("")), ErrorKind::Parse,
              {"module 'empty'", "invalid bitcode"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, GarbageBitcodeIsAParseError) {
  expectError(Eng->add("garbage", ModuleSource::fromBitcode("BC\xC0\xDE garbage")),
              ErrorKind::Parse, {"module 'garbage'", "invalid bitcode"});
  expectError(Eng->add("nomagic", ModuleSource::fromBitcode(std::string(64, '\x7f'))),
              ErrorKind::Parse, {"module 'nomagic'", "invalid bitcode"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, UnreadableFileNamesThePath) {
  expectError(Eng->add("nofile", ModuleSource::fromFile("/nonexistent/x.ll")), ErrorKind::Parse,
              {"module 'nofile'", "cannot read '/nonexistent/x.ll'"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, ModuleSourceWithoutAModuleIsAParseError) {
  expectError(Eng->add("null", ModuleSource::fromModule(nullptr, nullptr)), ErrorKind::Parse,
              {"module 'null'", "no module given"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, ModuleOverTheSizeLimitIsRefusedBeforeParsing) {
  std::string Big = paddedModule("big", Limit + 1);
  const std::vector<std::string> Needles = {"bytes, over the limit of 4096 bytes",
                                            "MaxModuleBytes"};
  auto Expect = [&](llvm::Expected<CommitReport> R, const std::string &Module) {
    expectError(std::move(R), ErrorKind::TooLarge,
                {"module '" + Module + "'", Needles[0], Needles[1]});
  };
  Expect(Eng->add("text", ir(Big)), "text");
  Expect(Eng->add("file", ModuleSource::fromFile(writeTempFile("big.ll", Big))), "file");
  // Bitcode is judged by its own size, before the reader sees it.
  Expect(Eng->add("bc",
                  ModuleSource::fromBitcode(std::string("BC\xC0\xDE") + std::string(Limit, '\0'))),
         "bc");
  // The limit is inclusive, and a replacement is held to it as well.
  mustCommit(Eng->add("edge", ir(paddedModule("edge", Limit))));
  Expect(Eng->replace("edge", ir(paddedModule("edge", Limit + 1))), "edge");
  EXPECT_EQ(callInt("edge"), 5);
  mustCommit(Eng->remove("edge"));
  expectLiveVersionsAnswer();
}

TEST(BadInputLimitTest, ZeroMeansNoLimit) {
  EngineOptions O;
  O.OptLevel = 0;
  O.MaxModuleBytes = 0;
  auto Eng = Engine::create(O);
  ASSERT_TRUE(!!Eng) << llvm::toString(Eng.takeError());
  auto R = (*Eng)->add("large", ir(paddedModule("large", 1 << 20)));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(*(*Eng)->call<int()>("large"), 5);
}

TEST_F(BadInputTest, DeviceOrPipeIsReadNoFurtherThanTheLimit) {
  // A device never ends: refused once it gives more than the limit.
  expectError(Eng->add("zero", ModuleSource::fromFile("/dev/zero")), ErrorKind::TooLarge,
              {"module 'zero'", "more than 4096 bytes, over the limit of 4096 bytes"});
  // A pipe is read until its writer closes it, or refused at the limit.
  std::string Fifo = ::testing::TempDir() + "hotjit-badinput-fifo-" + std::to_string(getpid());
  auto ThroughFifo = [&](const std::string &Module, const std::string &Bytes) {
    ::unlink(Fifo.c_str());
    EXPECT_EQ(::mkfifo(Fifo.c_str(), 0600), 0);
    // The pipe's buffer takes all of Bytes, so the writer never waits for a reader that stopped.
    std::thread Writer([&] { std::ofstream(Fifo, std::ios::binary) << Bytes; });
    auto R = Eng->add(Module, ModuleSource::fromFile(Fifo));
    Writer.join();
    ::unlink(Fifo.c_str());
    return R;
  };
  mustCommit(ThroughFifo("piped", constantFunction("piped", 7)));
  EXPECT_EQ(callInt("piped"), 7);
  mustCommit(Eng->remove("piped"));
  expectError(ThroughFifo("bigpipe", paddedModule("bigpipe", 2 * Limit)), ErrorKind::TooLarge,
              {"module 'bigpipe'", "over the limit of 4096 bytes"});
  expectLiveVersionsAnswer();
}

/// IR text of the default size limit's engine, nested \p Depth levels deep in one of the ways
/// LLVM's parser, verifier and code generator recurse over.
std::string nestedModule(const std::string &Kind, size_t Depth) {
  auto Repeat = [](const std::string &S, size_t N) {
    std::string R;
    R.reserve(S.size() * N);
    for (size_t I = 0; I < N; ++I)
      R += S;
    return R;
  };
  std::string Text = "@x = global i8 0\n";
  if (Kind == "array types")
    Text +=
        "@g = global " + Repeat("[1 x ", Depth) + "i32" + Repeat("]", Depth) + " zeroinitializer\n";
  else if (Kind == "struct types")
    Text += "@g = global " + Repeat("{", Depth) + "i32" + Repeat("}", Depth) + " zeroinitializer\n";
  else if (Kind == "named types") {
    for (size_t I = 0; I < Depth; ++I)
      Text += "%t" + std::to_string(I) + " = type { %t" + std::to_string(I + 1) + " }\n";
    Text += "%t" + std::to_string(Depth) + " = type { i32 }\n@g = global %t0 zeroinitializer\n";
  } else if (Kind == "constant expressions")
    Text += "@g = global i64 " + Repeat("add (i64 ", Depth) + "ptrtoint (ptr @x to i64)" +
            Repeat(", i64 1)", Depth) + "\n";
  else if (Kind == "inline metadata")
    Text += "!named = !{!0}\n!0 = " + Repeat("!{", Depth) + "!{}" + Repeat("}", Depth) + "\n";
  else if (Kind == "metadata chain") {
    Text += "!named = !{!0}\n";
    for (size_t I = 0; I < Depth; ++I)
      Text += "!" + std::to_string(I) + " = !{!" + std::to_string(I + 1) + "}\n";
    Text += "!" + std::to_string(Depth) + " = !{}\n";
  }
  return Text + constantFunction(Kind == "metadata chain" ? "chained" : "nested", 9);
}

/// The default limit: the nesting examples are 120 to 310 KB.
class NestingTest : public BadInputTest {
protected:
  EngineOptions options() override { return EngineTest::options(); }
};

TEST_F(NestingTest, DeeplyNestedIRIsRefusedNeverOverflowsTheStack) {
  for (auto [Kind, Depth] :
       std::initializer_list<std::pair<const char *, size_t>>{{"array types", 30000},
                                                              {"struct types", 150000},
                                                              {"named types", 12000},
                                                              {"constant expressions", 10000},
                                                              {"inline metadata", 60000}}) {
    std::string Text = nestedModule(Kind, Depth);
    SCOPED_TRACE(std::string(Kind) + ", " + std::to_string(Text.size()) + " bytes");
    EXPECT_GE(Text.size(), 120u << 10);
    EXPECT_LE(Text.size(), 310u << 10);
    expectError(Eng->add("deep", ir(Text)), ErrorKind::TooLarge,
                {"module 'deep'", "deeper than 1024 levels"});
  }
  // A chain of metadata references has no brackets to count: it is parsed on a stack large
  // enough for it (and a walk of it stays under MaxMetadataDepth).
  std::string Chain = nestedModule("metadata chain", 15000);
  EXPECT_GE(Chain.size(), 120u << 10);
  mustCommit(Eng->add("chain", ir(Chain)));
  EXPECT_EQ(callInt("chained"), 9);
  expectError(Eng->add("longchain", ir(nestedModule("metadata chain", 20000))), ErrorKind::TooLarge,
              {"module 'longchain'", "metadata deeper than 16384 levels"});
  mustCommit(Eng->remove("chain"));
  // Bitcode is held to the same limits after it is read.
  expectError(
      Eng->add("deepbc", ModuleSource::fromBitcode(bitcodeOf(nestedModule("named types", 12000)))),
      ErrorKind::TooLarge, {"module 'deepbc'", "types deeper than 1024 levels"});
  expectLiveVersionsAnswer();
}

TEST_F(NestingTest, NestingUpToTheLimitCompilesAndRuns) {
  for (const char *Kind :
       {"array types", "struct types", "named types", "constant expressions", "inline metadata"}) {
    SCOPED_TRACE(Kind);
    // Two levels of brackets belong to the global around the nest.
    mustCommit(Eng->add("nested", ir(nestedModule(Kind, 1000))));
    EXPECT_EQ(callInt("nested"), 9);
    mustCommit(Eng->remove("nested"));
  }
  expectLiveVersionsAnswer();
}

// ---- Verifier -------------------------------------------------------------

TEST_F(BadInputTest, VerifierFailureNamesTheModuleAndTheProblem) {
  expectError(Eng->add("broken", ir(R"(
define i32 @w(i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  %x = add i32 1, 2
  br label %b
b:
  ret i32 %x
}
)")),
              ErrorKind::Verify, {"module 'broken'", "failed verification", "dominate"});
  expectLiveVersionsAnswer();
}

/// A module with debug info, as clang -g emits it, in which an instruction is used before it is
/// defined. LLVM's readers verify a module with debug info themselves and end the process
/// (report_fatal_error) when it fails.
constexpr const char *BrokenWithDebugInfo = R"(
define i32 @w(i32 %x) !dbg !5 {
  %y = add i32 %z, 1, !dbg !8
  %z = add i32 %x, 1, !dbg !8
  ret i32 %y, !dbg !8
}
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "w.c", directory: "/tmp")
!3 = !{i32 7, !"Dwarf Version", i32 5}
!4 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "w", scope: !1, file: !1, line: 1, type: !6, scopeLine: 1, spFlags: DISPFlagDefinition, unit: !0)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 2, column: 3, scope: !5)
)";

/// Bitcode of IR text \p Text, which must parse but need not verify (the writer does not check).
std::string unverifiedBitcodeOf(const std::string &Text) {
  llvm::LLVMContext Ctx;
  llvm::SMDiagnostic Diag;
  llvm::SourceMgr Sources;
  Sources.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(Text), llvm::SMLoc());
  llvm::Module M("unverified", Ctx);
  EXPECT_FALSE(
      llvm::LLParser(Text, Sources, Diag, &M, nullptr, Ctx).Run(/*UpgradeDebugInfo=*/false))
      << Diag.getMessage().str();
  std::string Bytes;
  llvm::raw_string_ostream OS(Bytes);
  llvm::WriteBitcodeToFile(M, OS);
  return Bytes;
}

TEST_F(BadInputTest, VerifierFailureOfAModuleWithDebugInfoIsAnErrorNotTheEndOfTheProcess) {
  expectError(Eng->add("broken", ir(BrokenWithDebugInfo)), ErrorKind::Verify,
              {"module 'broken'", "failed verification", "dominate"});
  expectError(
      Eng->add("broken", ModuleSource::fromBitcode(unverifiedBitcodeOf(BrokenWithDebugInfo))),
      ErrorKind::Verify, {"module 'broken'", "failed verification", "dominate"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, BrokenDebugInfoIsDroppedAsLLVMsReadersDropIt) {
  // Code that verifies, with a location whose scope is a file (the verifier's debug-info check
  // fails): LLVM's readers drop such debug info with a warning, and so does the engine, in IR
  // text and in bitcode alike.
  std::string Text = BrokenWithDebugInfo;
  Text.replace(Text.find("  %y = add i32 %z, 1, !dbg !8\n  %z = add i32 %x, 1, !dbg !8"),
               strlen("  %y = add i32 %z, 1, !dbg !8\n  %z = add i32 %x, 1, !dbg !8"),
               "  %z = add i32 %x, 1, !dbg !8\n  %y = add i32 %z, 1, !dbg !8");
  Text.replace(Text.find("scope: !5)"), strlen("scope: !5)"), "scope: !1)");
  mustCommit(Eng->add("text", ir(Text)));
  EXPECT_EQ(checked(Eng->call<int(int)>("w", 1)), 3);
  mustCommit(Eng->replace("text", ModuleSource::fromBitcode(unverifiedBitcodeOf(Text))));
  EXPECT_EQ(checked(Eng->call<int(int)>("w", 2)), 4);
  expectLiveVersionsAnswerWith({"text"});
}

// ---- Symbols --------------------------------------------------------------

TEST_F(BadInputTest, UndefinedFunctionsAreNamedWithTheirCaller) {
  expectError(Eng->add("ops", ir(R"(
declare i32 @sqr(i32)
declare i32 @cube(i32)
define i32 @mul(i32 %x) {
  %a = call i32 @sqr(i32 %x)
  %b = call i32 @cube(i32 %a)
  ret i32 %b
}
)")),
              ErrorKind::Undefined,
              {"undefined function 'sqr'", "'cube'", "module 'ops'", "addHostSymbol"});
  expectError(Eng->lookupAddress("mul"), ErrorKind::NoSuchFunction, {"'mul'"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, UndefinedGlobalIsNamed) {
  expectError(Eng->add("g", ir(R"(
@limit = external global i32
define i32 @get() {
  %v = load i32, ptr @limit
  ret i32 %v
}
)")),
              ErrorKind::Undefined, {"undefined global 'limit'", "module 'g'"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, DuplicateDefinitionsNameBothModules) {
  expectError(Eng->add("again", ir(addFunction("callee", 2))), ErrorKind::Duplicate,
              {"duplicate definition of function 'callee'", "module 'again'", "module 'callee'"});
  expectError(Eng->batch()
                  .add("c", ir(constantFunction("g", 1)))
                  .add("d", ir(constantFunction("g", 2)))
                  .commit(),
              ErrorKind::Duplicate, {"'g'", "module 'c'", "module 'd'"});
  expectError(Eng->add("clash", ir("@callee = global i32 0\n")), ErrorKind::Duplicate,
              {"global 'callee'", "module 'clash'", "also a function"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, BatchNamingModulesWronglyIsRefused) {
  expectError(Eng->add("callee", ir(constantFunction("x", 1))), ErrorKind::NoSuchModule,
              {"module 'callee'", "already live"});
  expectError(Eng->replace("nope", ir(constantFunction("x", 1))), ErrorKind::NoSuchModule,
              {"module 'nope'", "not live"});
  expectError(Eng->remove("nope"), ErrorKind::NoSuchModule, {"module 'nope'", "not live"});
  expectError(Eng->batch()
                  .add("twice", ir(constantFunction("x", 1)))
                  .add("twice", ir(constantFunction("y", 1)))
                  .commit(),
              ErrorKind::NoSuchModule, {"module 'twice'", "appears twice"});
  expectLiveVersionsAnswer();
}

// ---- Signatures -----------------------------------------------------------

TEST_F(BadInputTest, CallerDeclaringAnotherSignatureIsRefused) {
  expectError(Eng->add("wide", ir(R"(
declare i64 @callee(i64)
define i64 @wide_caller() {
  %r = call i64 @callee(i64 1)
  ret i64 %r
}
)")),
              ErrorKind::Signature,
              {"'callee'", "module 'wide'", "module 'callee'", "i64 (i64)", "i32 (i32)"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, SignatureChangeNeedsEveryCallerInTheSameBatch) {
  const char *Wide = "define i64 @callee(i64 %x) { ret i64 %x }\n";
  expectError(Eng->replace("callee", ir(Wide)), ErrorKind::Signature,
              {"'callee'", "module 'caller'", "i32 (i32)", "i64 (i64)"});
  expectLiveVersionsAnswer();

  // Replacing every caller in the same batch makes the change legal.
  mustCommit(Eng->batch()
                 .replace("callee", ir(Wide))
                 .replace("caller", ir(R"(
declare i64 @callee(i64)
define i64 @caller(i64 %x) {
  %r = call i64 @callee(i64 %x)
  ret i64 %r
}
)"))
                 .commit());
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t)>("caller", int64_t(1) << 40)), int64_t(1) << 40);
}

TEST_F(BadInputTest, TypedLookupWithAnotherSignatureIsRefused) {
  expectError(Eng->lookup<double(double)>("callee"), ErrorKind::Signature,
              {"'callee'", "module 'callee'", "i32 (i32)", "double (double)"});
  expectError(Eng->call<int()>("missing"), ErrorKind::NoSuchFunction, {"'missing'"});
  expectLiveVersionsAnswer();
}

// ---- Removal --------------------------------------------------------------

TEST_F(BadInputTest, RemovingAFunctionStillCalledIsRefused) {
  expectError(Eng->remove("callee"), ErrorKind::InUse,
              {"'callee'", "module 'callee'", "still called by module 'caller'"});
  // Dropping it from a replacement is a removal as well.
  expectError(Eng->replace("callee", ir(constantFunction("unrelated", 1))), ErrorKind::InUse,
              {"'callee'", "module 'caller'"});
  expectLiveVersionsAnswer();
  // Removing caller and callee together is fine.
  mustCommit(Eng->batch().remove("caller").remove("callee").commit());
  EXPECT_EQ(Eng->modules(), std::vector<std::string>{"counter"});
}

TEST_F(BadInputTest, CallingARemovedFunctionIsAnErrorOrATrap) {
  static thread_local std::string Trapped;
  Eng->setRemovedFunctionHandler([](llvm::StringRef Name) { Trapped = Name.str(); });
  auto R = Eng->remove("callee", RemoveMode::Force);
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->Removed, std::vector<std::string>{"callee"});

  // Calling it by name from the host is an error, not a crash.
  expectError(Eng->call<int(int)>("callee", 1), ErrorKind::RemovedFunction,
              {"called removed function 'callee'", "module 'callee'"});
  // JIT code that still calls it reaches the trap; the call returns zero.
  Trapped.clear();
  EXPECT_EQ(checked(Eng->call<int(int)>("caller", 1)), 1000);
  EXPECT_EQ(Trapped, "callee");
  EXPECT_EQ(callInt("bump"), 1);

  // Re-adding the function revives the same stub.
  mustCommit(Eng->add("callee2", ir(addFunction("callee", 7))));
  EXPECT_EQ(checked(Eng->call<int(int)>("caller", 1)), 1008);
}

/// A module of tests/fixtures/data, compiled at build time.
ModuleSource dataIR(const std::string &Stem) {
  return ModuleSource::fromFile(std::string(HOTJIT_IR_FIXTURES_DIR) + "/data_" + Stem + ".ll");
}

TEST_F(BadInputTest, RemovingAGlobalStillUsedIsRefused) {
  mustCommit(Eng->batch().add("data", dataIR("table")).add("reader", dataIR("reader")).commit());
  const auto Version = Eng->versionOf("data_version");
  void *Table = checked(Eng->lookupGlobal("table"));
  EXPECT_EQ(callInt("reader_entry"), 40);
  expectError(Eng->remove("data"), ErrorKind::InUse,
              {"global 'table'", "module 'data'", "still used by module 'reader'",
               "remove or replace that module in the same batch", "force the removal"});
  // Dropping it from a replacement is a removal as well.
  expectError(Eng->replace("data", dataIR("without_table")), ErrorKind::InUse,
              {"global 'table'", "module 'data'", "module 'reader'", "keep the global"});
  // A module of the batch that uses what the batch drops finds it undefined.
  expectError(Eng->batch().remove("data").replace("reader", dataIR("reader")).commit(),
              ErrorKind::Undefined, {"global 'table'", "module 'reader'"});
  Eng->waitForReclamation();
  EXPECT_EQ(Eng->versionOf("data_version"), Version);
  EXPECT_EQ(checked(Eng->lookupGlobal("table")), Table);
  EXPECT_EQ(callInt("reader_entry"), 40);
  expectLiveVersionsAnswerWith({"data", "reader"});
  // Removing or replacing the user in the same batch is fine.
  mustCommit(Eng->batch()
                 .replace("data", dataIR("without_table"))
                 .replace("reader", ir(constantFunction("reader_entry", 7)))
                 .commit());
  EXPECT_EQ(callInt("reader_entry"), 7);
  mustCommit(Eng->batch().remove("data").remove("reader").commit());
  expectLiveVersionsAnswer();
}

/// A module defining data of every kind, and, per kind, a module that uses one.
const char *const EveryKindOfData = R"(
@k = constant [2 x i64] [i64 1, i64 2]
@tls = thread_local global i64 7
@v = global i64 5
@va = alias i64, ptr @v
@w = global i64 9
)";

TEST_F(BadInputTest, RemovingDataOfAnyKindStillUsedIsRefused) {
  const std::pair<const char *, const char *> Users[] = {{"k", R"(
@k = external constant [2 x i64]
define i64 @use() {
  %x = load i64, ptr getelementptr (i8, ptr @k, i64 8)
  ret i64 %x
})"},
                                                         {"tls", R"(
@tls = external thread_local global i64
define i64 @use() {
  %p = call ptr @llvm.threadlocal.address.p0(ptr @tls)
  %x = load i64, ptr %p
  ret i64 %x
}
declare ptr @llvm.threadlocal.address.p0(ptr))"},
                                                         {"va", R"(
@va = external global i64
define i64 @use() {
  %x = load i64, ptr @va
  ret i64 %x
})"},
                                                         // A bound extern_weak reference is a use.
                                                         {"w", R"(
@w = extern_weak global i64
define i64 @use() {
  %x = load i64, ptr @w
  ret i64 %x
})"}};
  const int64_t Expected[] = {2, 7, 5, 9};
  for (size_t N = 0; N < std::size(Users); ++N) {
    auto [Global, User] = Users[N];
    SCOPED_TRACE(Global);
    mustCommit(Eng->batch().add("data", ir(EveryKindOfData)).add("user", ir(User)).commit());
    expectError(Eng->remove("data"), ErrorKind::InUse,
                {"global '" + std::string(Global) + "'", "module 'data'", "module 'user'"});
    EXPECT_EQ(checked(Eng->call<int64_t()>("use")), Expected[N]);
    mustCommit(Eng->batch().remove("data").remove("user").commit());
  }
  // An extern_weak reference bound to null uses nothing.
  mustCommit(Eng->add("user", ir(Users[3].second)));
  mustCommit(Eng->add("data", ir(EveryKindOfData)));
  mustCommit(Eng->remove("data"));
  mustCommit(Eng->remove("user"));
  expectLiveVersionsAnswer();
}

// ---- Globals --------------------------------------------------------------

TEST_F(BadInputTest, GlobalOfAnotherTypeIsRefused) {
  expectError(
      Eng->replace("counter", ir(R"(
@counter = global i64 0
define i32 @bump() { ret i32 0 }
define i32 @bump_calls() { ret i32 0 }
)")),
      ErrorKind::GlobalType,
      {"global 'counter'", "module 'counter'", "'i64'", "'i32'", "replaces code, not data"});
  expectLiveVersionsAnswer();
}

// ---- Unsupported constructs -----------------------------------------------

TEST_F(BadInputTest, ModuleAsmThatDoesNotAssembleIsAnErrorNotTheEndOfTheProcess) {
  // Reading the module's symbols assembles its module asm; LLVM reports the assembler's error
  // through the context and, with no handler, ends the process.
  expectError(Eng->add("asm", ir(R"(
module asm ".err"
define i32 @f() {
  ret i32 0
}
)")),
              ErrorKind::Parse, {"module 'asm'", ".err"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, AnotherTargetsIntrinsicIsRefusedNotTheEndOfTheProcess) {
  // Code generation has no instruction for it (LLVM: "Cannot select", then the process ends).
  expectError(Eng->add("arm", ir(R"(
declare void @llvm.aarch64.isb(i32)
define i32 @barrier() {
  call void @llvm.aarch64.isb(i32 15)
  ret i32 0
}
)")),
              ErrorKind::Unsupported,
              {"module 'arm'", "function 'barrier'", "'llvm.aarch64.isb'", "another target"});
  // This target's own intrinsics compile.
  mustCommit(Eng->add("x86", ir(R"(
declare void @llvm.x86.sse2.pause()
define i32 @spin() {
  call void @llvm.x86.sse2.pause()
  ret i32 7
}
)")));
  EXPECT_EQ(callInt("spin"), 7);
  expectLiveVersionsAnswerWith({"x86"});
}

TEST_F(BadInputTest, WhatCodeGenerationCannotDoForTheTargetIsRefusedNotTheEndOfTheProcess) {
  // LLVM ends the process over both ("unsupported GC", "Don't know how to legalize this scalable
  // vector type").
  expectError(Eng->add("gc", ir("define i32 @collected() gc \"nosuchgc\" { ret i32 0 }\n")),
              ErrorKind::Unsupported,
              {"module 'gc'", "function 'collected'", "'nosuchgc'", "no strategy"});
  expectError(Eng->add("sve", ir(R"(
define <vscale x 4 x i32> @twice(<vscale x 4 x i32> %a) {
  %r = add <vscale x 4 x i32> %a, %a
  ret <vscale x 4 x i32> %r
}
)")),
              ErrorKind::Unsupported, {"module 'sve'", "function 'twice'", "scalable vectors"});
  expectError(Eng->add("vscale", ir(R"(
declare i64 @llvm.vscale.i64()
define i64 @lanes() {
  %v = call i64 @llvm.vscale.i64()
  ret i64 %v
}
)")),
              ErrorKind::Unsupported, {"module 'vscale'", "function 'lanes'", "llvm.vscale"});
  expectError(Eng->add("ppc", ir(R"(
define ppc_fp128 @twice(ppc_fp128 %a) {
  %r = fadd ppc_fp128 %a, %a
  ret ppc_fp128 %r
}
)")),
              ErrorKind::Unsupported, {"module 'ppc'", "function 'twice'", "ppc_fp128"});
  // Bitcode of another architecture: its functions name that architecture's processor.
  expectError(Eng->add("arm64", ir(R"(
define i32 @neon() #0 { ret i32 0 }
attributes #0 = { "target-cpu"="cortex-a57" }
)")),
              ErrorKind::Unsupported, {"module 'arm64'", "function 'neon'", "'cortex-a57'"});
  // A strategy LLVM registers compiles.
  mustCommit(Eng->add("shadow", ir("define i32 @shadowed() gc \"shadow-stack\" { ret i32 5 }\n")));
  EXPECT_EQ(callInt("shadowed"), 5);
  // And so does code built for a processor of this architecture, with its 80-bit floats.
  mustCommit(Eng->add("x87", ir(R"(
define i32 @extended() #0 {
  %x = fadd x86_fp80 0xK3FFF8000000000000000, 0xK3FFF8000000000000000
  %r = fptosi x86_fp80 %x to i32
  ret i32 %r
}
attributes #0 = { "target-cpu"="x86-64" }
)")));
  EXPECT_EQ(callInt("extended"), 2);
  expectLiveVersionsAnswerWith({"shadow", "x87"});
}

// Static constructors and thread-locals work (RuntimeTest); what stays refused:
TEST_F(BadInputTest, ConstructorThatThrowsPublishesNothing) {
  expectError(Eng->batch()
                  .add("ctor", ir(R"(
@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @init, ptr null }]
declare void @__cxa_throw(ptr, ptr, ptr)
declare ptr @__cxa_allocate_exception(i64)
@_ZTIi = external constant ptr
define internal void @init() {
  %e = call ptr @__cxa_allocate_exception(i64 4)
  store i32 7, ptr %e
  call void @__cxa_throw(ptr %e, ptr @_ZTIi, ptr null)
  unreachable
}
define i32 @c() { ret i32 0 }
)"))
                  .replace("callee", ir(addFunction("callee", 5)))
                  .commit(),
              ErrorKind::Initializer, {"module 'ctor'", "threw"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, ThreadLocalAliasesAreRefused) {
  expectError(Eng->add("tls", ir(R"(
@t = thread_local global i32 0
@t_alias = alias i32, ptr @t
)")),
              ErrorKind::Unsupported,
              {"module 'tls'", "alias 't_alias'", "thread-local variable 't'"});
  expectLiveVersionsAnswer();
}

// Aliases of functions and globals link (LinkageTest); what they cannot name is refused.
TEST_F(BadInputTest, IfuncsAndAliasesOfPartsOfGlobalsAreRefused) {
  expectError(Eng->add("alias", ir(R"(
@pair = global [2 x i32] [i32 1, i32 2]
@second = alias i32, getelementptr (i32, ptr @pair, i64 1)
)")),
              ErrorKind::Unsupported, {"module 'alias'", "alias 'second'", "'pair'"});
  expectError(Eng->add("ifunc", ir(R"(
define i32 @impl() { ret i32 1 }
define ptr @resolve() { ret ptr @impl }
@chosen = ifunc i32 (), ptr @resolve
)")),
              ErrorKind::Unsupported, {"module 'ifunc'", "ifunc 'chosen'"});
  expectError(Eng->add("asmdata", ir(R"(
module asm ".globl asm_word"
module asm ".data"
module asm "asm_word: .long 7"
@asm_word = external global i32
define i32 @read_word() {
  %v = load i32, ptr @asm_word
  ret i32 %v
}
)")),
              ErrorKind::Unsupported, {"module 'asmdata'", "'asm_word'", "functions only"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, ODRCopiesOfDifferentTypesAreRefused) {
  mustCommit(Eng->add("odr1", ir("define linkonce_odr i32 @odr_fn() { ret i32 1 }\n"
                                 "define ptr @odr1_use() { ret ptr @odr_fn }\n")));
  expectError(Eng->add("odr2", ir("define linkonce_odr i64 @odr_fn() { ret i64 1 }\n"
                                  "define ptr @odr2_use() { ret ptr @odr_fn }\n")),
              ErrorKind::Signature, {"'odr_fn'", "'odr1'", "'odr2'"});
  mustCommit(Eng->remove("odr1"));
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, OptimisationLevelOutOfRangeIsRefused) {
  expectError(Eng->batch().add("f", ir(constantFunction("f", 1))).optLevel(4).commit(),
              ErrorKind::Unsupported, {"optimisation level must be 0 to 3, not 4"});
  expectLiveVersionsAnswer();
}

// ---- Known gaps (docs/bad-input.md): each ends the process today -------------

// Transactional at link time: the first module links, the second does not assemble. Nothing of
// the batch is published, and nothing of it stays loaded: the first module can be added alone
// afterwards, with fresh state. The assembler's message is in the error every time, though the
// two modules compile in parallel.
TEST_F(BadInputTest, BatchWhoseSecondModuleFailsToLinkLeavesNothingLoaded) {
  const char *Good = R"(
@good_state = global i32 0
define i32 @good_fn() {
  %v = load i32, ptr @good_state
  %n = add i32 %v, 1
  store i32 %n, ptr @good_state
  ret i32 %n
}
)";
  for (int Run = 0; Run < 20; ++Run) {
    expectError(Eng->batch()
                    .add("good", ir(Good))
                    .add("asm", ir(R"(
define i32 @a() {
  call void asm sideeffect "bogus_insn %eax", ""()
  ret i32 1
}
)"))
                    .replace("callee", ir(addFunction("callee", 7)))
                    .commit(),
                ErrorKind::Link, {"'good'", "'asm'", "bogus_insn"});
    auto F = Eng->lookupAddress("good_fn");
    EXPECT_FALSE(!!F) << "a function of the batch was published";
    llvm::consumeError(F.takeError());
    auto G = Eng->lookupGlobal("good_state");
    EXPECT_FALSE(!!G) << "a global of the batch was published";
    llvm::consumeError(G.takeError());
    if (::testing::Test::HasFailure())
      break;
  }
  expectLiveVersionsAnswer();
  mustCommit(Eng->add("good", ir(Good)));
  EXPECT_EQ(callInt("good_fn"), 1) << "the batch's storage was not reused";
}

TEST_F(BadInputTest, InlineAssemblyThatDoesNotAssembleIsALinkError) {
  expectError(Eng->add("asm", ir(R"(
define i32 @a() {
  call void asm sideeffect "bogus_insn %eax", ""()
  ret i32 1
}
)")),
              ErrorKind::Link, {"module 'asm'", "bogus_insn"});
  expectLiveVersionsAnswer();
}

TEST_F(BadInputTest, PrefixDataReferringToAGlobalIsRefused) {
  auto R = Eng->add("prefix", ir(R"(
@tbl = global [1 x ptr] [ptr @p]
define i32 @p() prefix ptr @tbl { ret i32 1 }
)"));
  expectError(std::move(R), ErrorKind::Unsupported, {"module 'prefix'", "'p'", "prefix"});
  expectLiveVersionsAnswer();
}

} // namespace

// JITLink looks up a module's external symbols after it has placed the module in memory; when the
// lookup fails, the memory manager abandons that placement. That drops the one module: the engine
// goes on linking and running code (CodeMemoryMapperTest holds the mapper to it at the start of a
// reservation, where an abandoned module is next to the stubs).
TEST(CodeMemoryTest, LinkThatFailsAfterPlacementLeavesCodeMemoryIntact) {
  auto E = checked(Engine::create(EngineOptions{}));
  const std::string CallsNowhere = R"(
define i32 @nowhere_caller() {
  call void asm sideeffect "call hotjit_test_no_such_symbol", ""()
  ret i32 1
}
)";
  auto Commit = [](llvm::Expected<CommitReport> C) {
    ASSERT_TRUE(!!C) << llvm::toString(C.takeError());
  };
  auto R = E->add("asm", ir(CallsNowhere));
  ASSERT_FALSE(!!R) << "a call to an undefined symbol linked";
  EXPECT_EQ(takeError(R.takeError()).first, ErrorKind::Link);
  Commit(E->add("f", ir(addFunction("f", 1))));
  EXPECT_EQ(checked(E->call<int(int)>("f", 1)), 2);
  // Again with live code around, and the live code still runs.
  auto Again = E->add("asm", ir(CallsNowhere));
  ASSERT_FALSE(!!Again);
  llvm::consumeError(Again.takeError());
  Commit(E->add("g", ir(addFunction("g", 2))));
  EXPECT_EQ(checked(E->call<int(int)>("f", 1)), 2);
  EXPECT_EQ(checked(E->call<int(int)>("g", 1)), 3);
}
