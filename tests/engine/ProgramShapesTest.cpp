// Shapes that real programs have and that hotjit must take as the native toolchain does: label
// addresses (computed goto, the dispatch of threaded interpreters), types that two modules name
// differently but lay out alike, and internal names that must stay apart whatever the modules and
// symbols are called. Each case is what a third-party program met; the native result is the
// reference.
#include "EngineTestCommon.h"

#include "hotjit/concurrency/EpochGuard.h"

#include "llvm/Support/FileSystem.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace hotjit::test {
namespace {

std::string fixture(const std::string &Name) {
  return std::string(HOTJIT_IR_FIXTURES_DIR) + "/" + Name;
}

/// Replaces every "@@" in \p Text by \p Value.
std::string with(std::string Text, const std::string &Value) {
  for (size_t At = Text.find("@@"); At != std::string::npos; At = Text.find("@@", At))
    Text.replace(At, 2, Value);
  return Text;
}

class ProgramShapesTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    // Retired code becomes PROT_NONE and is never reused: a jump into it faults.
    O.QuarantineRetiredCode = true;
    return O;
  }
};

// ---- Label addresses belong to the code of their labels ------------------------------------

// push 4, add 2, halt: v1 computes 4 * 1 + 2, v2 computes 4 * 10 + 2.
const unsigned char Program[] = {1, 4, 2, 2, 0};

TEST_F(ProgramShapesTest, ComputedGotoTablesFollowTheirCodeAcrossReplacements) {
  mustCommit(Eng->add("dispatch", ModuleSource::fromFile(fixture("shapes_dispatch_v1.ll"))));
  for (const char *Run : {"run_const", "run_mutable", "run_filled", "run_refilled"})
    EXPECT_EQ(checked(Eng->call<long(const unsigned char *)>(Run, Program)), 6) << Run;
  EXPECT_EQ(checked(Eng->call<long()>("dispatch_calls")), 4);
  EXPECT_EQ(callInt("dispatch_filled"), 1);

  mustCommit(Eng->replace("dispatch", ModuleSource::fromFile(fixture("shapes_dispatch_v2.ll"))));
  // The old version's code is unmapped once reclaimed: a table that kept its label addresses
  // (the one filled at run time, above all) would jump into it and fault.
  Eng->waitForReclamation();
  // The flag of the table filled at run time starts afresh with the table, although another
  // function uses it too.
  EXPECT_EQ(callInt("dispatch_filled"), 0);
  for (const char *Run : {"run_const", "run_mutable", "run_filled", "run_refilled"})
    EXPECT_EQ(checked(Eng->call<long(const unsigned char *)>(Run, Program)), 42) << Run;
  // The module's other state is data and lives on.
  EXPECT_EQ(checked(Eng->call<long()>("dispatch_calls")), 8);
}

TEST_F(ProgramShapesTest, AnExternallyVisibleTableOfLabelAddressesIsRefusedByName) {
  const char *IR = R"(
@table = global [1 x ptr] [ptr blockaddress(@f, %l)]
define i32 @f() {
entry:
  %p = load ptr, ptr @table
  indirectbr ptr %p, [label %l]
l:
  ret i32 1
}
)";
  expectError(Eng->add("labels", ir(IR)), ErrorKind::Unsupported, {"table", "labels"});
  EXPECT_TRUE(Eng->modules().empty());
}

// ---- Constants whose address escapes outlive their version ----------------------------------

TEST_F(ProgramShapesTest, ConstantsThatHeapObjectsPointToOutliveTheirVersion) {
  mustCommit(Eng->add("sentinel", ModuleSource::fromFile(fixture("shapes_sentinel_v1.ll"))));
  void *Old = checked(Eng->call<void *()>("table_new"));
  mustCommit(Eng->replace("sentinel", ModuleSource::fromFile(fixture("shapes_sentinel_v2.ll"))));
  // The first version's code is unmapped once reclaimed; its constants must not be.
  Eng->waitForReclamation();
  void *New = checked(Eng->call<void *()>("table_new"));
  EXPECT_EQ(checked(Eng->call<int(void *)>("table_is_empty", Old)), 1)
      << "the sentinel an old table points to is the one new code compares with";
  EXPECT_EQ(checked(Eng->call<int(void *)>("table_is_empty", New)), 1);
  EXPECT_EQ(checked(Eng->call<long(void *)>("table_key", Old)), 0);
  EXPECT_STREQ(checked(Eng->call<const char *(void *)>("table_name", Old)),
               "made by the first version");
  EXPECT_STREQ(checked(Eng->call<const char *(void *)>("table_name", New)),
               "made by the second version");
  std::free(Old);
  std::free(New);
}

TEST_F(ProgramShapesTest, ALiteralThatAHeapObjectKeepsOutlivesItsVersion) {
  mustCommit(Eng->add("literal", ModuleSource::fromFile(fixture("shapes_literal_v1.ll"))));
  void *Old = checked(Eng->call<void *()>("obj_new"));
  for (int V : {2, 1, 2}) { // The literal edited, edited back (its storage again), edited.
    mustCommit(Eng->replace("literal", ModuleSource::fromFile(fixture("shapes_literal_v" +
                                                                      std::to_string(V) + ".ll"))));
    Eng->waitForReclamation();
    EXPECT_STREQ(checked(Eng->call<const char *(void *)>("obj_name", Old)),
                 "named by the first version");
  }
  std::free(Old);
}

// An edited string is what new code reads, also through a constant table of strings (clang makes
// it a table of offsets to them) and when a writable table uses the literal too. The writable
// table is state a replacement keeps: its string, storage of the first version, outlives that
// version (quarantined: a read of freed storage faults), and so do the strings the constant table
// points to, whichever version's table is live.
TEST_F(ProgramShapesTest, EditedStringsAreReadThroughTablesAndTheirStorageOutlivesTheirVersion) {
  auto Load = [&](int V) {
    mustCommit(Eng->replace("strings", ModuleSource::fromFile(fixture("shapes_strings_v" +
                                                                      std::to_string(V) + ".ll"))));
    Eng->waitForReclamation();
  };
  mustCommit(Eng->add("strings", ModuleSource::fromFile(fixture("shapes_strings_v1.ll"))));
  EXPECT_EQ(checked(Eng->call<int(int, int)>("palette_char", 1, 1)), '1');
  EXPECT_EQ(callInt("shared_first"), 'a');
  for (int V : {2, 1, 2}) {
    SCOPED_TRACE("version " + std::to_string(V));
    Load(V);
    EXPECT_EQ(checked(Eng->call<int(int, int)>("palette_char", 1, 1)), V == 1 ? '1' : '9');
    EXPECT_EQ(checked(Eng->call<int(int, int)>("palette_char", 0, 1)), '0');
    EXPECT_EQ(callInt("shared_first"), V == 1 ? 'a' : 'x');
    EXPECT_STREQ(checked(Eng->call<const char *()>("name_in_table")), "abc") << "kept state";
  }
}

TEST_F(ProgramShapesTest, ConstnessIsPartOfAGlobalsType) {
  // Constants are mapped read-only: a version that makes one writable is another type, never a
  // write into read-only storage.
  const char *Constant = R"(
@limits = constant [2 x i32] [i32 10, i32 20]
@limits_local = internal constant [2 x i32] [i32 10, i32 20]
define ptr @get_limits() {
  ret ptr @limits_local
}
)";
  mustCommit(Eng->add("limits", ir(Constant)));
  const char *Writable = R"(
@limits = global [2 x i32] [i32 10, i32 20]
@limits_local = internal global [2 x i32] [i32 10, i32 20]
define ptr @get_limits() {
  ret ptr @limits_local
}
define void @set_limit(i64 %i, i32 %v) {
  %p = getelementptr [2 x i32], ptr @limits_local, i64 0, i64 %i
  store i32 %v, ptr %p
  ret void
}
)";
  expectError(Eng->replace("limits", ir(Writable)), ErrorKind::GlobalType, {"limits", "constant"});
  // An internal constant whose address escaped keeps its storage for old pointers; the writable
  // static of the next version is storage of its own.
  auto *Old = static_cast<const int *>(checked(Eng->call<const void *()>("get_limits")));
  std::string WritableLocal = Writable; // Without the writable external @limits.
  WritableLocal.replace(WritableLocal.find("@limits = global"), 16, "@limits = constant");
  mustCommit(Eng->replace("limits", ir(WritableLocal)));
  Eng->waitForReclamation();
  llvm::cantFail(Eng->call<void(long, int)>("set_limit", 1, 99));
  auto *New = static_cast<const int *>(checked(Eng->call<const void *()>("get_limits")));
  EXPECT_EQ(New[1], 99);
  EXPECT_EQ(Old[1], 20);
}

TEST_F(ProgramShapesTest, ALabelAddressThatLeavesItsFunctionIsRefusedByName) {
  const char *IR = R"(
@vm_dispatch = global [1 x ptr] zeroinitializer
define i32 @run() {
entry:
  store ptr blockaddress(@run, %l), ptr @vm_dispatch
  %p = load ptr, ptr @vm_dispatch
  indirectbr ptr %p, [label %l]
l:
  ret i32 1
}
)";
  expectError(Eng->add("threaded", ir(IR)), ErrorKind::Unsupported, {"run", "threaded"});
  EXPECT_TRUE(Eng->modules().empty());
}

// ---- Types are compared by layout, never by name --------------------------------------------

// The function-local static of an inline function (vague linkage, one object program-wide) whose
// class type one module's context calls "class.T.53" and another's "class.T".
const char *const VagueStaticIR = R"(
%"class.T@@" = type { i32, ptr }
@_ZZ3getvE1t = linkonce_odr global %"class.T@@" { i32 7, ptr null }
define linkonce_odr ptr @_Z3getv() {
  ret ptr @_ZZ3getvE1t
}
define i32 @read_@@() {
  %p = call ptr @_Z3getv()
  %v = load i32, ptr %p
  ret i32 %v
}
define void @write_@@(i32 %v) {
  %p = call ptr @_Z3getv()
  store i32 %v, ptr %p
  ret void
}
)";

TEST_F(ProgramShapesTest, OneVagueStaticWhoseTypeTwoModulesNameDifferently) {
  mustCommit(Eng->add("first", ir(with(VagueStaticIR, ".53"))));
  mustCommit(Eng->add("second", ir(with(VagueStaticIR, ""))));
  EXPECT_EQ(callInt("read_.53"), 7);
  llvm::cantFail(Eng->call<void(int)>("write_", 42));
  EXPECT_EQ(callInt("read_.53"), 42) << "one object, as the native linker makes it";
  // Another layout is another type: still refused.
  std::string Wider = with(VagueStaticIR, ".wide");
  Wider.replace(Wider.find("{ i32, ptr }"), 12, "{ i64, ptr }");
  Wider.replace(Wider.find("{ i32 7, ptr null }"), 19, "{ i64 7, ptr null }");
  expectError(Eng->add("third", ir(Wider)), ErrorKind::GlobalType, {"_ZZ3getvE1t", "third"});
}

TEST_F(ProgramShapesTest, SignaturesWithStructsThatTwoModulesNameDifferently) {
  mustCommit(Eng->add("maker", ir(R"(
%struct.P.1 = type { i32, i32 }
define %struct.P.1 @make(i32 %x) {
  %a = insertvalue %struct.P.1 poison, i32 %x, 0
  %b = insertvalue %struct.P.1 %a, i32 1, 1
  ret %struct.P.1 %b
}
)")));
  mustCommit(Eng->add("user", ir(R"(
%struct.P = type { i32, i32 }
declare %struct.P @make(i32)
define i32 @use() {
  %p = call %struct.P @make(i32 41)
  %x = extractvalue %struct.P %p, 0
  %y = extractvalue %struct.P %p, 1
  %s = add i32 %x, %y
  ret i32 %s
}
)")));
  EXPECT_EQ(callInt("use"), 42);
}

// ---- Internal names cannot collide ----------------------------------------------------------

// A module with one mutable static named @@ (a file-scope static, or a function-local one, which
// clang names "<function>.<name>") and a function that bumps it.
std::string counterModule(const std::string &Static, const std::string &Bump, int Start) {
  return "@\"" + Static + "\" = internal global i32 " + std::to_string(Start) + "\ndefine i32 @" +
         Bump + "() {\n  %v = load i32, ptr @\"" + Static +
         "\"\n  %n = add i32 %v, 1\n  store i32 %n, ptr @\"" + Static + "\"\n  ret i32 %n\n}\n";
}

TEST_F(ProgramShapesTest, StaticsOfModulesWhoseQualifiedNamesWouldMeetStayApart) {
  // "net" + "http.counter" and "net.http" + "counter"; "x.c" + "c.n" and "x.c.c" + "n".
  mustCommit(Eng->batch()
                 .add("net", ir(counterModule("http.counter", "net_bump", 1000)))
                 .add("net.http", ir(counterModule("counter", "http_bump", 0)))
                 .add("x.c", ir(counterModule("c.n", "xc_bump", 500)))
                 .add("x.c.c", ir(counterModule("n", "xcc_bump", 0)))
                 .commit());
  for (int I = 1; I <= 3; ++I) {
    EXPECT_EQ(callInt("net_bump"), 1000 + I);
    EXPECT_EQ(callInt("http_bump"), I);
    EXPECT_EQ(callInt("xc_bump"), 500 + I);
    EXPECT_EQ(callInt("xcc_bump"), I);
  }
}

TEST_F(ProgramShapesTest, ModulesNamedInLLVMsOrHotjitsSpaceKeepTheirStatics) {
  mustCommit(Eng->add("llvm.c", ir(counterModule("counter", "llvm_bump", 0))));
  EXPECT_EQ(callInt("llvm_bump"), 1);
  mustCommit(Eng->replace("llvm.c", ir(counterModule("counter", "llvm_bump", 0))));
  EXPECT_EQ(callInt("llvm_bump"), 2) << "the static survives the replacement";
  // A module named like an engine symbol, with a constructor, beside one whose function is named
  // like that module's constructor runner used to be.
  const char *WithCtor = R"(
@ran = internal global i32 0
@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @init, ptr null }]
define internal void @init() {
  store i32 1, ptr @ran
  ret void
}
define i32 @READER() {
  %v = load i32, ptr @ran
  ret i32 %v
}
)";
  auto withReader = [&](const std::string &Name) {
    std::string Text = WithCtor;
    Text.replace(Text.find("READER"), 6, Name);
    return Text;
  };
  mustCommit(Eng->batch()
                 .add("__hotjit.init", ir(withReader("ran_a")))
                 .add("m", ir(withReader("ran_m") + constantFunction("m.__hotjit.init", 5)))
                 .commit());
  EXPECT_EQ(callInt("ran_a"), 1);
  EXPECT_EQ(callInt("ran_m"), 1);
  EXPECT_EQ(callInt("m.__hotjit.init"), 5);
}

TEST_F(ProgramShapesTest, NamesInHotjitsReservedSpaceAreRefusedByName) {
  mustCommit(Eng->add("kept", ir(constantFunction("kept", 1))));
  for (const char *Name : {"__hotjit.foo", "__hotjit_host_tls", "f.__hjv0000000000000001"})
    expectError(
        Eng->add("bad", ir("define i32 @\"" + std::string(Name) + "\"() {\n ret i32 0\n}\n")),
        ErrorKind::Unsupported, {Name, "bad", "reserved"});
  expectError(Eng->add("m.__hjv0000000000000001", ir(constantFunction("g", 1))),
              ErrorKind::Unsupported, {"m.__hjv0000000000000001"});
  expectError(Eng->add("sec", ir("define i32 @h() section \"x__hjv\" {\n ret i32 0\n}\n")),
              ErrorKind::Unsupported, {"'h'", "sec", "__hjv"});
  expectError(Eng->add("asm", ir("module asm \".ascii \\22__hjv\\22\"\n")), ErrorKind::Unsupported,
              {"asm", "__hjv"});
  EXPECT_EQ(Eng->modules(), std::vector<std::string>{"kept"});
  EXPECT_EQ(callInt("kept"), 1);
}

// ---- Version tokens are names, never data ---------------------------------------------------

TEST(ProgramShapesCacheTest, DataThatSpellsAVersionTokenSurvivesTheObjectCache) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hotjit-shapes-cache", Dir));
  // The neutral token and a version's token, as a string constant of the code.
  const std::string Text = "__hjvXXXXXXXXXXXXXXXX __hjv0000000000000001 __hjv0000000000000002";
  std::string IR = "@s = private unnamed_addr constant [" + std::to_string(Text.size() + 1) +
                   " x i8] c\"" + Text + "\\00\"\ndefine ptr @text() {\n  ret ptr @s\n}\n";
  for (int Start = 0; Start < 2; ++Start) { // Then an engine that finds the object cached.
    EngineOptions O;
    O.CacheDirectory = std::string(Dir);
    auto E = Engine::create(O);
    ASSERT_TRUE(!!E) << llvm::toString(E.takeError());
    std::unique_ptr<Engine> Eng = std::move(*E);
    for (int Round = 0; Round < 2; ++Round) { // Added, removed, added again: a cache hit.
      auto R = Eng->add("strings", ModuleSource::fromIR(IR));
      ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
      {
        EpochGuard G(Eng->epochs());
        auto *S = static_cast<const char *>(checked(Eng->call<const void *()>("text")));
        EXPECT_EQ(std::string(S), Text) << "start " << Start << ", round " << Round;
      }
      auto Removed = Eng->remove("strings");
      ASSERT_TRUE(!!Removed) << llvm::toString(Removed.takeError());
    }
    if (Start == 1)
      EXPECT_GE(Eng->stats().CacheHits, 2u) << "the cached object was used";
  }
  llvm::sys::fs::remove_directories(Dir);
}

} // namespace
} // namespace hotjit::test
