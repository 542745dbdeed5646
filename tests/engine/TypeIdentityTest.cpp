// A function's type is part of its identity: callers compiled against an old type never reach code
// of a new one (old code still running, host handles, stored addresses). Every test but
// FailedTypeChangeLeavesTheOldStubBound fails when the engine is built with
// -DHOTJIT_MUTATION=TYPE_CHANGE_KEEPS_STUB (a type change keeps the stub).
#include "EngineTestCommon.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace hotjit;
using namespace hotjit::test;

namespace {

const char *const G1 = "define i64 @g(i64 %x) {\n  %r = add i64 %x, 1\n  ret i64 %r\n}\n";
const char *const G2 = "define i64 @g(i64 %x, i64 %y) {\n  %r = mul i64 %x, %y\n  ret i64 %r\n}\n";

/// f(n) = sum of g(i) for i in 0..n-1, after calling the host's sync point.
const char *const F1 = R"(
declare void @hj_sync()
declare i64 @g(i64)
define i64 @f(i64 %n) {
entry:
  call void @hj_sync()
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %v = call i64 @g(i64 %i)
  %s1 = add i64 %s, %v
  %i1 = add i64 %i, 1
  %done = icmp eq i64 %i1, %n
  br i1 %done, label %out, label %loop
out:
  ret i64 %s1
}
)";

/// f(n) = g(n, 2).
const char *const F2 = R"(
declare i64 @g(i64, i64)
define i64 @f(i64 %n) {
  %r = call i64 @g(i64 %n, i64 2)
  ret i64 %r
}
)";

/// The sync point: the first caller of f announces itself and blocks until
/// the test has committed.
struct SyncPoint {
  std::mutex M;
  std::condition_variable CV;
  bool Entered = false, Released = false;
};
SyncPoint *Sync = nullptr;

void hjSync() {
  if (!Sync)
    return;
  std::unique_lock<std::mutex> L(Sync->M);
  if (Sync->Entered)
    return; // Only the first call waits.
  Sync->Entered = true;
  Sync->CV.notify_all();
  Sync->CV.wait(L, [] { return Sync->Released; });
}

thread_local std::string Trapped;

class TypeIdentityTest : public EngineTest {
protected:
  void SetUp() override {
    EngineTest::SetUp();
    Sync = &Point;
    ASSERT_FALSE(!!Eng->addHostSymbol("hj_sync", reinterpret_cast<const void *>(&hjSync)));
    Eng->setRemovedFunctionHandler([](llvm::StringRef What) { Trapped = What.str(); });
    mustCommit(Eng->batch().add("g", ir(G1)).add("f", ir(F1)).commit());
  }
  void TearDown() override {
    EngineTest::TearDown();
    Sync = nullptr;
  }

  llvm::Expected<CommitReport> changeType() {
    return Eng->batch().replace("g", ir(G2)).replace("f", ir(F2)).commit();
  }

  SyncPoint Point;
};

const std::string ChangeMessage = "function 'g' changed type from 'i64 (i64)' to 'i64 (i64, i64)'";

} // namespace

TEST_F(TypeIdentityTest, OldCodeAndOldHandlesNeverRunTheNewType) {
  auto F = Eng->lookup<int64_t(int64_t)>("f");
  ASSERT_TRUE(!!F);
  auto OldG = Eng->lookup<int64_t(int64_t)>("g");
  ASSERT_TRUE(!!OldG);
  void *OldAddress = reinterpret_cast<void *>(OldG->address());

  // A thread inside the old f, stopped before its loop calls g.
  constexpr int64_t N = 3'000'000;
  int64_t Result = 0;
  std::thread Runner([&] { Result = (*F)(N); });
  {
    std::unique_lock<std::mutex> L(Point.M);
    Point.CV.wait(L, [&] { return Point.Entered; });
  }
  auto R = changeType();
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->TypeChanged, std::vector<std::string>{"g"});
  // While code of the old type may run, the old stub runs the old g.
  Trapped.clear();
  EXPECT_EQ((*OldG)(5), 6);
  EXPECT_EQ(Trapped, "");
  {
    std::lock_guard<std::mutex> L(Point.M);
    Point.Released = true;
  }
  Point.CV.notify_all();
  Runner.join();
  EXPECT_EQ(Result, N * (N - 1) / 2 + N) << "the old f reached the new g";

  // New callers and lookups see the new type, through a new stub.
  EXPECT_EQ((*F)(21), 42);
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t, int64_t)>("g", int64_t(6), int64_t(7))), 42);
  expectError(Eng->lookup<int64_t(int64_t)>("g"), ErrorKind::Signature,
              {"'g'", "i64 (i64, i64)", "i64 (i64)"});
  EXPECT_NE(checked(Eng->lookupAddress("g")), OldAddress);
  EXPECT_EQ(Eng->stats().TypeChanges, 1u);

  // Once the old code is reclaimed, the old handle traps with the reason.
  Eng->waitForReclamation();
  Trapped.clear();
  EXPECT_EQ((*OldG)(5), 0);
  EXPECT_EQ(Trapped, ChangeMessage);
}

TEST_F(TypeIdentityTest, ChangingTheTypeBackRevivesTheOldStub) {
  Sync = nullptr;
  auto OldG = Eng->lookup<int64_t(int64_t)>("g");
  ASSERT_TRUE(!!OldG);
  void *OldAddress = checked(Eng->lookupAddress("g"));
  mustCommit(changeType());
  void *NewAddress = checked(Eng->lookupAddress("g"));
  // Back before the old code was reclaimed: its pending trap must not fire.
  auto Back = Eng->batch().replace("g", ir(G1)).replace("f", ir(F1)).commit();
  ASSERT_TRUE(!!Back) << llvm::toString(Back.takeError());
  EXPECT_EQ(Back->TypeChanged, std::vector<std::string>{"g"});
  EXPECT_EQ(checked(Eng->lookupAddress("g")), OldAddress);
  Eng->waitForReclamation();
  Trapped.clear();
  EXPECT_EQ((*OldG)(5), 6);
  EXPECT_EQ(Trapped, "");
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t)>("f", int64_t(4))), 0 + 1 + 2 + 3 + 4);

  // And once more forward: the stub of the two-argument type comes back too.
  mustCommit(changeType());
  EXPECT_EQ(checked(Eng->lookupAddress("g")), NewAddress);
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t)>("f", int64_t(8))), 16);
  Eng->waitForReclamation();
  Trapped.clear();
  EXPECT_EQ((*OldG)(5), 0);
  EXPECT_EQ(Trapped, ChangeMessage);
  EXPECT_EQ(Eng->stats().TypeChanges, 3u);
}

TEST_F(TypeIdentityTest, RollbackAcrossATypeChangeRestoresTheOldStub) {
  Sync = nullptr;
  mustCommit(Eng->add("solo", ir("define i32 @solo(i32 %x) { ret i32 %x }\n")));
  auto Old = Eng->lookup<int32_t(int32_t)>("solo");
  ASSERT_TRUE(!!Old);
  mustCommit(Eng->replace("solo", ir("define i64 @solo(i64 %x) { %r = add i64 %x, 1\n"
                                     "  ret i64 %r }\n")));
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t)>("solo", int64_t(1) << 40)), (int64_t(1) << 40) + 1);
  auto R = Eng->rollback("solo");
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->TypeChanged, std::vector<std::string>{"solo"});
  EXPECT_EQ(checked(Eng->lookupAddress("solo")), reinterpret_cast<void *>(Old->address()));
  Eng->waitForReclamation();
  EXPECT_EQ((*Old)(9), 9);
  // A rollback of one side of a change that callers depend on is refused.
  mustCommit(changeType());
  expectError(Eng->rollback("g"), ErrorKind::Signature, {"'g'", "module 'f'"});
}

TEST_F(TypeIdentityTest, FailedTypeChangeLeavesTheOldStubBound) {
  Sync = nullptr;
  void *OldAddress = checked(Eng->lookupAddress("g"));
  expectError(Eng->batch()
                  .replace("g", ir(G2))
                  .replace("f", ir(F2))
                  .add("broken", ir(R"(
define i32 @broken() {
  call void asm sideeffect "bogus_insn %eax", ""()
  ret i32 1
}
)"))
                  .commit(),
              ErrorKind::Link, {"'broken'"});
  EXPECT_EQ(checked(Eng->lookupAddress("g")), OldAddress);
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t)>("g", int64_t(5))), 6);
  // A module linked now binds `g` to the stub of the live type.
  mustCommit(Eng->add("h", ir("declare i64 @g(i64)\n"
                              "define ptr @h() { ret ptr @g }\n")));
  EXPECT_EQ(checked(Eng->call<void *()>("h")), OldAddress);
  EXPECT_EQ(Eng->stats().TypeChanges, 0u);
  // The change itself still commits afterwards.
  mustCommit(Eng->remove("h"));
  mustCommit(changeType());
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t)>("f", int64_t(3))), 6);
}

TEST_F(TypeIdentityTest, AddressTakenUnderEachTypeComparesEqualOnlyWithinIt) {
  Sync = nullptr;
  // `&g` stored by code of the old type is the old stub; new code's `&g` is
  // the new stub; each runs only its own type.
  mustCommit(Eng->add("ref1", ir("declare i64 @g(i64)\n"
                                 "define ptr @ref1() { ret ptr @g }\n")));
  void *Ref1 = checked(Eng->call<void *()>("ref1"));
  EXPECT_EQ(Ref1, checked(Eng->lookupAddress("g")));
  mustCommit(Eng->batch()
                 .replace("g", ir(G2))
                 .replace("f", ir(F2))
                 .replace("ref1", ir("declare i64 @g(i64, i64)\n"
                                     "define ptr @ref1() { ret ptr @g }\n"))
                 .commit());
  void *Ref2 = checked(Eng->call<void *()>("ref1"));
  EXPECT_NE(Ref1, Ref2);
  EXPECT_EQ(Ref2, checked(Eng->lookupAddress("g")));
  EpochGuard Guard(Eng->epochs());
  EXPECT_EQ(reinterpret_cast<int64_t (*)(int64_t, int64_t)>(Ref2)(6, 7), 42);
}
