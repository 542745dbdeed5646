// Engine semantics (DESIGN.md §2, items 1-6): one test or more per rule, on real IR.
#include "EngineTestCommon.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cstring>

using namespace hotjit;
using namespace hotjit::test;

extern "C" int hotjitTestHostAdd(int A, int B) { return A + B; }
extern "C" int hotjitTestUnregistered(int A) { return A; }

namespace {

// ---- Adding and calling --------------------------------------------------

TEST_F(EngineTest, AddedFunctionAnswersCalls) {
  mustCommit(Eng->add("inc", ir(addFunction("inc", 1))));
  auto R = Eng->call<int(int)>("inc", 41);
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(*R, 42);
  auto Inc = Eng->lookup<int(int)>("inc");
  ASSERT_TRUE(!!Inc);
  EXPECT_EQ(Eng->call(*Inc, 1), 2);
  EXPECT_EQ(reinterpret_cast<void *>(Inc->address()), checked(Eng->lookupAddress("inc")));
}

TEST_F(EngineTest, LoadsIRFileBitcodeAndModuleObjects) {
  mustCommit(Eng->add("ops", ModuleSource::fromFile(HOTJIT_FIXTURES_DIR "/ops.ll")));
  EXPECT_EQ(checked(Eng->call<int(int, int)>("sum_of_squares", 3, 4)), 25);
  EXPECT_DOUBLE_EQ(checked(Eng->call<double(double, double)>("hypot2", 3.0, 4.0)), 5.0);

  mustCommit(Eng->add("bc", ModuleSource::fromBitcode(bitcodeOf(constantFunction("from_bc", 7)))));
  EXPECT_EQ(callInt("from_bc"), 7);

  auto Ctx = std::make_unique<llvm::LLVMContext>();
  llvm::SMDiagnostic Diag;
  auto M = llvm::parseAssemblyString(constantFunction("from_obj", 8), Diag, *Ctx);
  ASSERT_TRUE(!!M);
  mustCommit(Eng->add("obj", ModuleSource::fromModule(std::move(Ctx), std::move(M))));
  EXPECT_EQ(callInt("from_obj"), 8);
}

TEST_F(EngineTest, BatchOfSeveralModulesLinksThemTogether) {
  mustCommit(Eng->batch()
                 .add("caller", ir(CallerIR))
                 .add("callee", ir(addFunction("callee", 1)))
                 .commit());
  EXPECT_EQ(checked(Eng->call<int(int)>("caller", 1)), 1002);
}

// ---- Stubs: replacing one function relinks nothing else -------------------

TEST_F(EngineTest, ReplacementKeepsTheStubAndChangesBehaviour) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  void *Before = checked(Eng->lookupAddress("f"));
  mustCommit(Eng->replace("f", ir(constantFunction("f", 2))));
  EXPECT_EQ(checked(Eng->lookupAddress("f")), Before);
  EXPECT_EQ(callInt("f"), 2);
  // A raw stub pointer kept by the host follows the swap as well.
  auto *Fn = reinterpret_cast<int (*)()>(Before);
  EpochGuard G(Eng->epochs());
  EXPECT_EQ(Fn(), 2);
}

TEST_F(EngineTest, CallerSeesReplacedCalleeWithoutBeingRelinked) {
  mustCommit(Eng->add("callee", ir(addFunction("callee", 1))));
  mustCommit(Eng->add("caller", ir(CallerIR)));
  auto CallerVersion = Eng->versionOf("caller");
  EXPECT_EQ(checked(Eng->call<int(int)>("caller", 1)), 1002);

  auto R = Eng->replace("callee", ir(addFunction("callee", 5)));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->Published, std::vector<std::string>{"callee"});
  EXPECT_EQ(Eng->versionOf("caller"), CallerVersion);
  EXPECT_EQ(checked(Eng->call<int(int)>("caller", 1)), 1006);
}

TEST_F(EngineTest, FunctionPointersAreStubsStableAcrossVersions) {
  const char *Taker = R"(
declare i32 @f()
define ptr @address_of_f() {
  ret ptr @f
}
@table = global [1 x ptr] [ptr @f]
define ptr @table_entry() {
  %p = load ptr, ptr @table
  ret ptr %p
}
)";
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  mustCommit(Eng->add("taker", ir(Taker)));
  void *Stub = checked(Eng->lookupAddress("f"));
  EXPECT_EQ(checked(Eng->call<void *()>("address_of_f")), Stub);
  EXPECT_EQ(checked(Eng->call<void *()>("table_entry")), Stub);
  mustCommit(Eng->replace("f", ir(constantFunction("f", 2))));
  EXPECT_EQ(checked(Eng->call<void *()>("address_of_f")), Stub);
  EXPECT_EQ(checked(Eng->call<void *()>("table_entry")), Stub);
  // A module's own address-taken function is a stub too.
  mustCommit(Eng->add("self", ir(R"(
define i32 @g() { ret i32 3 }
define ptr @address_of_g() { ret ptr @g }
)")));
  EXPECT_EQ(checked(Eng->call<void *()>("address_of_g")), checked(Eng->lookupAddress("g")));
}

// ---- Transactions ---------------------------------------------------------

TEST_F(EngineTest, FailedBatchPublishesNothingAndKeepsLiveVersions) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  auto R = Eng->batch()
               .replace("f", ir(constantFunction("f", 2)))
               .add("g", ir(constantFunction("g", 3)))
               .add("bad", ir("define i32 @h() { ret i32 }"))
               .commit();
  expectError(std::move(R), ErrorKind::Parse, {"bad", "line 1"});
  EXPECT_EQ(callInt("f"), 1);
  expectError(Eng->lookupAddress("g"), ErrorKind::NoSuchFunction, {"g"});
  EXPECT_EQ(Eng->modules(), std::vector<std::string>{"f"});
  EXPECT_EQ(Eng->stats().FailedCommits, 1u);
}

TEST_F(EngineTest, FunctionMayMoveBetweenModulesInOneBatch) {
  mustCommit(Eng->add("a", ir(constantFunction("f", 1))));
  mustCommit(Eng->batch()
                 .replace("a", ir(constantFunction("other", 0)))
                 .add("b", ir(constantFunction("f", 2)))
                 .commit());
  EXPECT_EQ(callInt("f"), 2);
}

// ---- Globals keep their state --------------------------------------------

TEST_F(EngineTest, GlobalStateSurvivesReplacement) {
  mustCommit(Eng->add("counter", ModuleSource::fromFile(HOTJIT_FIXTURES_DIR "/counter.ll")));
  EXPECT_EQ(callInt("bump"), 1);
  EXPECT_EQ(callInt("bump"), 2);
  void *Counter = checked(Eng->lookupGlobal("counter"));
  EXPECT_EQ(*static_cast<int *>(Counter), 2);

  mustCommit(Eng->replace("counter", ir(R"(
@counter = global i32 0
@bump.calls = internal global i32 0
define i32 @bump() {
  %c = load i32, ptr @counter
  %n = add i32 %c, 100
  store i32 %n, ptr @counter
  %k = load i32, ptr @bump.calls
  %k1 = add i32 %k, 1
  store i32 %k1, ptr @bump.calls
  ret i32 %n
}
define i32 @bump_calls() {
  %k = load i32, ptr @bump.calls
  ret i32 %k
}
)")));
  EXPECT_EQ(callInt("bump"), 102); // Initialiser ignored: the state is kept.
  EXPECT_EQ(checked(Eng->lookupGlobal("counter")), Counter);
  EXPECT_EQ(callInt("bump_calls"), 3); // Module-local static kept too.
}

TEST_F(EngineTest, GlobalsDieWithTheirLastModule) {
  mustCommit(Eng->add("counter", ModuleSource::fromFile(HOTJIT_FIXTURES_DIR "/counter.ll")));
  EXPECT_EQ(callInt("bump"), 1);
  mustCommit(Eng->remove("counter"));
  expectError(Eng->lookupGlobal("counter"), ErrorKind::Undefined, {"'counter'"});
  // Re-added at once: the commit waits for the old storage to be freed
  // (its name is taken until then), then creates fresh storage.
  mustCommit(Eng->add("counter", ModuleSource::fromFile(HOTJIT_FIXTURES_DIR "/counter.ll")));
  EXPECT_EQ(callInt("bump"), 1); // Fresh storage, initialiser applies again.
}

// ---- Removal --------------------------------------------------------------

class GracePeriodTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.StallThreshold = std::chrono::milliseconds(20);
    O.OnStall = [this](const EpochStall &) { ++Stalls; };
    O.StackCheckAfter = std::chrono::microseconds(0); // The plain epoch rule (StackCheckTest).
    return O;
  }
  std::atomic<int> Stalls{0};
};

TEST_F(GracePeriodTest, RemovedVersionsAreFreedAfterAGracePeriod) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  mustCommit(Eng->add("g", ir(constantFunction("g", 1))));
  auto Reader = std::make_unique<PinnedThread>(Eng->epochs());
  for (int V = 2; V <= 5; ++V)
    mustCommit(Eng->replace("f", ir(constantFunction("f", V))));
  mustCommit(Eng->remove("g"));
  EXPECT_EQ(Eng->stats().VersionsRetired, 5u);
  // While a thread that could have entered them is pinned, nothing is freed:
  // reclamation waits for it (and reports it).
  EXPECT_TRUE(waitUntil([&] { return Stalls > 0 || Eng->stats().VersionsFreed > 0; }));
  EngineStats S = Eng->stats();
  EXPECT_EQ(S.VersionsFreed, 0u);
  EXPECT_GT(S.RetiredBytesPending, 0u);
  EXPECT_GT(Stalls.load(), 0);

  Reader->release();
  Eng->waitForReclamation();
  S = Eng->stats();
  EXPECT_EQ(S.VersionsFreed, 5u);
  EXPECT_EQ(S.RetiredBytesPending, 0u);
  EXPECT_EQ(callInt("f"), 5);
  auto G = Eng->lookupAddress("g");
  EXPECT_FALSE(!!G) << "g was removed";
  if (!G)
    llvm::consumeError(G.takeError());
}

// ---- Host symbols ---------------------------------------------------------

TEST_F(EngineTest, HostFunctionsNeedExplicitRegistration) {
  const char *UsesHost = R"(
declare i32 @hotjitTestHostAdd(i32, i32)
declare i64 @strlen(ptr)
@msg = private constant [6 x i8] c"hello\00"
define i32 @use_host(i32 %x) {
  %a = call i32 @hotjitTestHostAdd(i32 %x, i32 2)
  %n = call i64 @strlen(ptr @msg)
  %n32 = trunc i64 %n to i32
  %r = add i32 %a, %n32
  ret i32 %r
}
)";
  expectError(Eng->add("uses", ir(UsesHost)), ErrorKind::Undefined,
              {"'hotjitTestHostAdd'", "module 'uses'", "addHostSymbol"});
  ASSERT_FALSE(
      !!Eng->addHostSymbol("hotjitTestHostAdd", reinterpret_cast<void *>(&hotjitTestHostAdd)));
  mustCommit(Eng->add("uses", ir(UsesHost)));
  EXPECT_EQ(checked(Eng->call<int(int)>("use_host", 1)), 1 + 2 + 5);

  // A process symbol that is neither registered nor in a runtime library.
  expectError(Eng->add("sneaky", ir(R"(
declare i32 @hotjitTestUnregistered(i32)
define i32 @sneaky() {
  %r = call i32 @hotjitTestUnregistered(i32 1)
  ret i32 %r
}
)")),
              ErrorKind::Undefined, {"'hotjitTestUnregistered'", "module 'sneaky'"});
}

// ---- Misuse ---------------------------------------------------------------

TEST_F(EngineTest, CommitWhilePinnedIsRefused) {
  EpochGuard G(Eng->epochs());
  expectError(Eng->add("f", ir(constantFunction("f", 1))), ErrorKind::Unsupported, {"EpochGuard"});
}

} // namespace
