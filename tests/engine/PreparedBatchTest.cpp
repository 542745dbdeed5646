// Prepared batches (Batch::prepare(), PreparedBatch): everything that can fail is done before the
// moment of the swap, which is the caller's. Until publish() nothing resolves to the batch; a
// commit published meanwhile that changes what the batch was checked against makes publish() fail
// and change nothing; discard frees code, eh-frames and debug registrations; a batch outliving its
// engine is refused.
#include "EngineTestCommon.h"

#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderGDB.h"

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

using namespace hotjit;
using namespace hotjit::test;

extern "C" jit_descriptor __jit_debug_descriptor;

namespace {

size_t debugRegistrations() {
  size_t N = 0;
  for (jit_code_entry *J = __jit_debug_descriptor.first_entry; J; J = J->next_entry)
    ++N;
  return N;
}

std::vector<int> Events;
void recordEvent(int E) { Events.push_back(E); }

/// A module whose constructor records 1 and whose destructor records 2.
const char *const ConstructedIR = R"(
declare void @record(i32)
@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @init, ptr null }]
@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @fini, ptr null }]
define internal void @init() {
  call void @record(i32 1)
  ret void
}
define internal void @fini() {
  call void @record(i32 2)
  ret void
}
define i32 @constructed() {
  ret i32 7
}
)";

class PreparedBatchTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.QuarantineRetiredCode = true; // Code freed too early faults.
    return O;
  }

  PreparedBatch mustPrepare(Batch B) {
    auto P = B.prepare();
    EXPECT_TRUE(!!P) << llvm::toString(P.takeError());
    return std::move(*P);
  }
};

TEST_F(PreparedBatchTest, NothingResolvesToAPreparedBatchUntilItIsPublished) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  mustCommit(Eng->add("caller", ir(R"(
declare i32 @f()
define i32 @through() {
  %v = call i32 @f()
  ret i32 %v
}
)")));
  uint64_t LiveVersion = *Eng->versionOf("f");
  EngineStats Before = Eng->stats();

  PreparedBatch P = mustPrepare(std::move(Eng->batch()
                                              .replace("f", ir(constantFunction("f", 2)))
                                              .add("g", ir(constantFunction("g", 3)))));
  EXPECT_GT(P.version(), LiveVersion);
  EXPECT_EQ(callInt("f"), 1);
  EXPECT_EQ(callInt("through"), 1); // JIT code calls the live version.
  EXPECT_EQ(Eng->versionOf("f"), LiveVersion);
  EXPECT_FALSE(Eng->versionOf("g"));
  expectError(Eng->lookupAddress("g"), ErrorKind::NoSuchFunction, {"g"});
  EXPECT_EQ(Eng->modules(), (std::vector<std::string>{"caller", "f"}));
  EngineStats During = Eng->stats();
  EXPECT_EQ(During.Commits, Before.Commits);
  EXPECT_EQ(During.LiveModules, Before.LiveModules);
  EXPECT_EQ(During.LiveFunctions, Before.LiveFunctions);
  EXPECT_EQ(During.PreparedBatches, 1u);

  auto R = P.publish();
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->Version, P.version());
  EXPECT_EQ(callInt("f"), 2);
  EXPECT_EQ(callInt("through"), 2);
  EXPECT_EQ(callInt("g"), 3);
  EXPECT_EQ(Eng->versionOf("f"), P.version());
  EngineStats After = Eng->stats();
  EXPECT_EQ(After.Commits, Before.Commits + 1);
  EXPECT_EQ(After.LiveModules, Before.LiveModules + 1);
  EXPECT_EQ(After.PreparedBatches, 0u);
  expectError(P.publish(), ErrorKind::Stale, {"publish"});
}

TEST_F(PreparedBatchTest, PublishAfterAConflictingCommitFailsAndChangesNothing) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  PreparedBatch P = mustPrepare(std::move(Eng->batch().replace("f", ir(constantFunction("f", 2)))));
  auto Meanwhile = Eng->replace("f", ir(constantFunction("f", 3)));
  ASSERT_TRUE(!!Meanwhile) << llvm::toString(Meanwhile.takeError());
  uint64_t Failed = Eng->stats().FailedCommits;

  expectError(P.publish(), ErrorKind::Conflict,
              {"module 'f'", "version " + std::to_string(Meanwhile->Version),
               "version " + std::to_string(P.version()), "nothing was published"});
  EXPECT_EQ(callInt("f"), 3);
  EXPECT_EQ(Eng->versionOf("f"), Meanwhile->Version);
  EXPECT_EQ(Eng->stats().FailedCommits, Failed + 1);
  EXPECT_EQ(Eng->stats().PreparedBatches, 1u); // Still prepared, until discarded.
  ASSERT_FALSE(!!P.discard());
  EXPECT_EQ(Eng->stats().PreparedBatches, 0u);
  EXPECT_EQ(callInt("f"), 3);
  Eng->waitForReclamation();
}

TEST_F(PreparedBatchTest, AReferenceThatChangedTypeIsAConflict) {
  mustCommit(Eng->add("callee", ir(addFunction("callee", 1))));
  PreparedBatch P = mustPrepare(std::move(Eng->batch().add("caller", ir(CallerIR))));
  // The callee's module drops `callee` for one of another type: the batch linked against a stub
  // that no longer leads to code it may call.
  mustCommit(Eng->replace("callee", ir("define i64 @callee(i64 %x) {\n  ret i64 %x\n}\n")));
  expectError(P.publish(), ErrorKind::Conflict, {"'callee'", "references"});
  EXPECT_FALSE(Eng->versionOf("caller"));
}

TEST_F(PreparedBatchTest, ACallerOfAFunctionTheBatchRetypesIsAConflict) {
  mustCommit(Eng->add("callee", ir(addFunction("callee", 1))));
  // Validated with no caller of the old type: allowed.
  PreparedBatch P = mustPrepare(std::move(
      Eng->batch().replace("callee", ir("define i64 @callee(i64 %x) {\n  ret i64 %x\n}\n"))));
  mustCommit(Eng->add("caller", ir(CallerIR))); // Calls `i32 callee(i32)`.
  expectError(P.publish(), ErrorKind::Conflict, {"'callee'", "another type", "referenced"});
  auto Caller = Eng->lookup<int(int)>("caller");
  ASSERT_TRUE(!!Caller);
  EXPECT_EQ((*Caller)(41), 1042); // The old type's code, through the live stub.
}

TEST_F(PreparedBatchTest, CommitsOfUnrelatedModulesLeaveItPublishable) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  mustCommit(Eng->add("h", ir(constantFunction("h", 10))));
  mustCommit(Eng->add("callee", ir(addFunction("callee", 1))));
  PreparedBatch P = mustPrepare(std::move(
      Eng->batch().replace("f", ir(constantFunction("f", 2))).add("caller", ir(CallerIR))));
  // Another module replaced, and the body (not the type) of a function the batch calls.
  mustCommit(Eng->replace("h", ir(constantFunction("h", 11))));
  mustCommit(Eng->replace("callee", ir(addFunction("callee", 5))));
  auto R = P.publish();
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(callInt("f"), 2);
  EXPECT_EQ(callInt("h"), 11);
  auto Caller = Eng->lookup<int(int)>("caller");
  ASSERT_TRUE(!!Caller);
  EXPECT_EQ((*Caller)(1), 1006);
}

TEST_F(PreparedBatchTest, StorageAPreparedBatchCreatesIsReserved) {
  const std::string Counter =
      "@counter = global i32 5\n"
      "define i32 @count() {\n  %v = load i32, ptr @counter\n  ret i32 %v\n}\n";
  PreparedBatch P = mustPrepare(std::move(Eng->batch().add("a", ir(Counter))));
  expectError(Eng->add("b", ir("@counter = global i32 9\n")), ErrorKind::Conflict,
              {"'counter'", "module 'b'", "version " + std::to_string(P.version())});
  ASSERT_FALSE(!!P.discard());
  mustCommit(Eng->add("b", ir("@counter = global i32 9\n")));
  auto G = Eng->lookupGlobal("counter");
  ASSERT_TRUE(!!G);
  EXPECT_EQ(*static_cast<int *>(*G), 9);
}

TEST_F(PreparedBatchTest, ConstructorsRunAtPrepareAndDiscardUndoesThem) {
  Events.clear();
  llvm::cantFail(Eng->addHostSymbol("record", reinterpret_cast<const void *>(&recordEvent)));
  PreparedBatch P = mustPrepare(std::move(Eng->batch().add("c", ir(ConstructedIR))));
  EXPECT_EQ(Events, (std::vector<int>{1}));
  EXPECT_FALSE(Eng->versionOf("constructed"));
  ASSERT_FALSE(!!P.discard());
  EXPECT_EQ(Events, (std::vector<int>{1, 2}));
  expectError(Eng->lookupAddress("constructed"), ErrorKind::NoSuchFunction, {"constructed"});
  // Published instead: the constructor runs once, the destructor when the module goes.
  Events.clear();
  PreparedBatch Q = mustPrepare(std::move(Eng->batch().add("c", ir(ConstructedIR))));
  mustCommit(Q.publish());
  EXPECT_EQ(Events, (std::vector<int>{1}));
  EXPECT_EQ(callInt("constructed"), 7);
  mustCommit(Eng->remove("c"));
  EXPECT_EQ(Events, (std::vector<int>{1, 2}));
}

TEST_F(PreparedBatchTest, DiscardFreesCodeAndDebugRegistrations) {
  const std::string Source = std::string(HOTJIT_IR_FIXTURES_DIR) + "/dbg_v1.ll";
  size_t Registered = debugRegistrations();
  EngineStats Before = Eng->stats();
  for (int Round = 0; Round < 3; ++Round) {
    PreparedBatch P =
        mustPrepare(std::move(Eng->batch().add("dbg", ModuleSource::fromFile(Source))));
    // The code exists (constructors may run it): gdb sees it, lookups do not.
    EXPECT_GT(debugRegistrations(), Registered);
    EXPECT_EQ(Eng->modules(), std::vector<std::string>{});
    // Destroyed unpublished: discarded.
  }
  EXPECT_EQ(Eng->stats().PreparedBatches, 0u);
  Eng->waitForReclamation();
  EXPECT_EQ(debugRegistrations(), Registered);
  EngineStats After = Eng->stats();
  EXPECT_EQ(After.VersionsRetired - Before.VersionsRetired,
            After.VersionsFreed - Before.VersionsFreed);
  EXPECT_GE(After.VersionsFreed - Before.VersionsFreed, 3u);
  EXPECT_EQ(After.RetiredBytesPending, 0u);
  EXPECT_EQ(After.Commits, Before.Commits);
}

TEST_F(PreparedBatchTest, PreparedOnOneThreadPublishedOnAnother) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  std::optional<PreparedBatch> P;
  std::thread([&] {
    P.emplace(mustPrepare(std::move(Eng->batch().replace("f", ir(constantFunction("f", 2))))));
  }).join();
  ASSERT_TRUE(P);
  EXPECT_EQ(callInt("f"), 1);
  std::atomic<bool> Published{false};
  std::thread([&] {
    auto R = P->publish();
    EXPECT_TRUE(!!R) << llvm::toString(R.takeError());
    Published = true;
  }).join();
  EXPECT_TRUE(Published);
  EXPECT_EQ(callInt("f"), 2);
}

TEST_F(PreparedBatchTest, ABatchOutlivingItsEngineIsRefused) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  PreparedBatch P = mustPrepare(std::move(Eng->batch().add("g", ir(constantFunction("g", 2)))));
  Eng.reset(); // Discards P's code with the engine.
  expectError(P.publish(), ErrorKind::Stale, {"engine was destroyed"});
  auto [Kind, Text] = takeError(P.discard());
  EXPECT_EQ(static_cast<int>(Kind), static_cast<int>(ErrorKind::Stale)) << Text;
}

TEST_F(PreparedBatchTest, PublishRefusesAThreadHoldingAGuard) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  PreparedBatch P = mustPrepare(std::move(Eng->batch().replace("f", ir(constantFunction("f", 2)))));
  {
    EpochGuard G(Eng->epochs());
    expectError(P.publish(), ErrorKind::Unsupported, {"EpochGuard"});
  }
  mustCommit(P.publish());
  EXPECT_EQ(callInt("f"), 2);
}

TEST_F(PreparedBatchTest, AFunctionChangingTypeKeepsItsLiveStubNameUntilPublished) {
  mustCommit(Eng->add("callee", ir(addFunction("callee", 1))));
  PreparedBatch P = mustPrepare(std::move(
      Eng->batch().replace("callee", ir("define i64 @callee(i64 %x) {\n  ret i64 %x\n}\n"))));
  // A module committed meanwhile that calls another function links against the live stubs.
  mustCommit(Eng->add("other", ir(constantFunction("other", 4))));
  auto Old = Eng->lookup<int(int)>("callee");
  ASSERT_TRUE(!!Old);
  EXPECT_EQ((*Old)(1), 2);
  mustCommit(P.publish());
  auto New = Eng->lookup<long(long)>("callee");
  ASSERT_TRUE(!!New);
  EXPECT_EQ((*New)(5), 5);
  // Later commits link the name against the new type's stub.
  mustCommit(Eng->add("user", ir(R"(
declare i64 @callee(i64)
define i64 @use(i64 %x) {
  %v = call i64 @callee(i64 %x)
  ret i64 %v
}
)")));
  auto Use = Eng->lookup<long(long)>("use");
  ASSERT_TRUE(!!Use);
  EXPECT_EQ((*Use)(9), 9);
}

} // namespace

namespace {

TEST_F(PreparedBatchTest, ABatchDroppedByAPinnedThreadIsDiscardedByTheNextCommit) {
  std::optional<PreparedBatch> P(
      mustPrepare(std::move(Eng->batch().add("g", ir(constantFunction("g", 2))))));
  {
    EpochGuard G(Eng->epochs());
    // Waiting for the commit lock while pinned could wait for itself: refused, and a dropped
    // handle leaves the discard to the engine.
    auto [Kind, Text] = takeError(P->discard());
    EXPECT_EQ(static_cast<int>(Kind), static_cast<int>(ErrorKind::Unsupported)) << Text;
    P.reset();
  }
  EXPECT_EQ(Eng->stats().PreparedBatches, 1u);
  mustCommit(Eng->add("h", ir(constantFunction("h", 3))));
  EXPECT_EQ(Eng->stats().PreparedBatches, 0u);
  expectError(Eng->lookupAddress("g"), ErrorKind::NoSuchFunction, {"g"});
  mustCommit(Eng->add("g", ir(constantFunction("g", 4)))); // Its names are free again.
  EXPECT_EQ(callInt("g"), 4);
}

} // namespace

namespace {

TEST_F(PreparedBatchTest, StorageABatchBindsToThatIsReleasedMeanwhileIsAConflict) {
  // A and B share one block of storage; v2 drops B, whose storage stays while A lives.
  mustCommit(Eng->add("m", ir("@A = global i32 1\n@B = global i32 2\n")));
  mustCommit(Eng->replace("m", ir("@A = global i32 1\n")));
  // The batch defines B again: it binds to that storage.
  PreparedBatch P = mustPrepare(std::move(Eng->batch().add("n", ir(R"(
@B = global i32 0
define i32 @readB() {
  %v = load i32, ptr @B
  ret i32 %v
}
)"))));
  // v3 drops A: the block has no live global left and is released.
  mustCommit(Eng->replace("m", ir(constantFunction("mf", 0))));
  expectError(P.publish(), ErrorKind::Conflict, {"global 'B'", "released"});
  expectError(Eng->lookupGlobal("B"), ErrorKind::Undefined, {"B"});
}

TEST_F(PreparedBatchTest, NamesABatchBringsIntoBeingResolveToNothingElseMeanwhile) {
  // `labs` is also libc's: while the batch that defines it waits, a module calling labs would link
  // against the batch's stub (trapping), not libc's. Refused instead.
  PreparedBatch P = mustPrepare(std::move(Eng->batch().add("mine", ir(R"(
define i64 @labs(i64 %x) {
  ret i64 7
}
)"))));
  const std::string User = "declare i64 @labs(i64)\n"
                           "define i64 @useLabs(i64 %x) {\n"
                           "  %r = call i64 @labs(i64 %x)\n  ret i64 %r\n}\n";
  expectError(Eng->add("user", ir(User)), ErrorKind::Conflict,
              {"'labs'", "module 'user'", "version " + std::to_string(P.version())});
  expectError(Eng->add("other", ir("define i64 @labs(i64 %x) {\n  ret i64 8\n}\n")),
              ErrorKind::Conflict, {"'labs'"});
  ASSERT_FALSE(!!P.discard());
  mustCommit(Eng->add("user", ir(User))); // Now libc's.
  auto Use = Eng->lookup<long(long)>("useLabs");
  ASSERT_TRUE(!!Use);
  EXPECT_EQ((*Use)(-5), 5);
}

TEST_F(PreparedBatchTest, AnotherOdrCopyOfAnInlineFunctionIsNoConflict) {
  // Each module calls its copy of the inline function `inl` (one stub, the owner's copy).
  auto Module = [](const std::string &Fn, int Base) {
    return "define linkonce_odr i32 @inl(i32 %x) {\n  %r = add i32 %x, 1\n  ret i32 %r\n}\n"
           "define i32 @" +
           Fn + "() {\n  %r = call i32 @inl(i32 " + std::to_string(Base) + ")\n  ret i32 %r\n}\n";
  };
  mustCommit(Eng->add("a", ir(Module("fa", 10))));
  PreparedBatch P = mustPrepare(std::move(Eng->batch().add("b", ir(Module("fb", 20)))));
  mustCommit(Eng->add("c", ir(Module("fc", 30))));
  auto R = P.publish();
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(callInt("fb"), 21);
  auto Inl = Eng->lookup<int(int)>("inl");
  ASSERT_TRUE(!!Inl) << llvm::toString(Inl.takeError());
  EXPECT_EQ((*Inl)(1), 2);
}

} // namespace
