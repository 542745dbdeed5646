// Reclamation seen from the engine: a pinned thread holds old code alive, is reported, and the
// retired-bytes cap turns into backpressure instead of unbounded growth.
#include "EngineTestCommon.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace hotjit;
using namespace hotjit::test;

namespace {

class CappedEngineTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.RetiredBytesCap = 1; // Any retired version reaches the cap.
    O.WaitWhenOverCap = false;
    O.StackCheckAfter = std::chrono::microseconds(0); // The plain epoch rule (StackCheckTest).
    O.StallThreshold = std::chrono::milliseconds(50);
    O.OnStall = [this](const EpochStall &Stall) {
      StalledThread = Stall.ThreadId;
      StalledFor = Stall.Held;
    };
    return O;
  }
  std::atomic<uint64_t> StalledThread{0};
  std::atomic<std::chrono::nanoseconds> StalledFor{std::chrono::nanoseconds(0)};
};

TEST_F(CappedEngineTest, PinnedThreadKeepsOldCodeAndIsReported) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  auto Pinned = std::make_unique<PinnedThread>(Eng->epochs());
  mustCommit(Eng->replace("f", ir(constantFunction("f", 2))));
  EXPECT_EQ(callInt("f"), 2);

  // The old version cannot be freed while the thread is pinned: reclamation
  // reports the thread instead.
  EXPECT_TRUE(waitUntil([&] { return StalledThread != 0 || Eng->stats().VersionsFreed > 0; }));
  EngineStats S = Eng->stats();
  EXPECT_EQ(S.VersionsRetired, 1u);
  EXPECT_EQ(S.VersionsFreed, 0u);
  EXPECT_GT(S.RetiredBytesPending, 0u);
  EXPECT_NE(StalledThread.load(), 0u) << "the pinned thread was not reported";
  EXPECT_GE(StalledFor.load(), std::chrono::milliseconds(50));
  bool SawPinned = false;
  for (const EpochThreadInfo &T : S.Epochs.Threads)
    if (T.ThreadId == StalledThread.load())
      SawPinned = T.Pinned && T.SinceQuiescent >= std::chrono::milliseconds(50);
  EXPECT_TRUE(SawPinned);

  // Over the cap, a commit that may not wait fails clearly and changes nothing.
  expectError(Eng->replace("f", ir(constantFunction("f", 3))), ErrorKind::Backpressure,
              {"exceeds the cap", "EpochGuard"});
  EXPECT_EQ(callInt("f"), 2);

  Pinned->release();
  Eng->waitForReclamation();
  EXPECT_EQ(Eng->stats().VersionsFreed, 1u);
  mustCommit(Eng->replace("f", ir(constantFunction("f", 3))));
  EXPECT_EQ(callInt("f"), 3);
}

class WaitingEngineTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.RetiredBytesCap = 1;
    O.WaitWhenOverCap = true;
    O.StackCheckAfter = std::chrono::microseconds(0); // The plain epoch rule (StackCheckTest).
    O.RetiredWaitTimeout = std::chrono::seconds(30);
    return O;
  }
};

TEST_F(WaitingEngineTest, CommitOverTheCapWaitsForReclamation) {
  mustCommit(Eng->add("f", ir(constantFunction("f", 1))));
  auto Pinned = std::make_unique<PinnedThread>(Eng->epochs());
  mustCommit(Eng->replace("f", ir(constantFunction("f", 2))));
  std::atomic<bool> Done{false};
  std::thread Writer([&] {
    mustCommit(Eng->replace("f", ir(constantFunction("f", 3))));
    Done = true;
  });
  // The commit is seen waiting (or, wrongly, done).
  EXPECT_TRUE(waitUntil([&] { return Done || Eng->stats().CommitsWaiting > 0; }));
  EXPECT_FALSE(Done.load()) << "the commit did not wait for the pinned reader";
  EXPECT_EQ(Eng->stats().CommitsWaiting, 1u);
  Pinned->release();
  Writer.join();
  EXPECT_TRUE(Done.load());
  EXPECT_EQ(Eng->stats().CommitsWaiting, 0u);
  EXPECT_EQ(callInt("f"), 3);
}

} // namespace
