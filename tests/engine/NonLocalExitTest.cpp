// Non-local exits out of pinned calls: a host function that reports errors
// with longjmp (the C library and interpreter style) leaves the thread pinned
// until the host restores the depth it saved before setjmp; the stall report
// names that cause.
#include "EngineTestCommon.h"

#include <atomic>
#include <chrono>
#include <csetjmp>
#include <mutex>
#include <string>
#include <thread>

using namespace hotjit;
using namespace hotjit::test;
using namespace std::chrono_literals;

namespace {

/// Where host_error() jumps to; set by the test before each guarded call.
std::jmp_buf *ErrorJump = nullptr;

/// A host function in the C error style: never returns to JIT code.
extern "C" [[noreturn]] void host_error(int Code) { std::longjmp(*ErrorJump, Code); }

/// checked(x) is 2x, or calls host_error(x) for negative x.
const char *CheckedIR = R"(
declare void @host_error(i32)

define i32 @checked(i32 %x) {
entry:
  %neg = icmp slt i32 %x, 0
  br i1 %neg, label %bad, label %ok
bad:
  call void @host_error(i32 %x)
  unreachable
ok:
  %r = mul i32 %x, 2
  ret i32 %r
}
)";

class NonLocalExitTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.ReclaimDelay = 0us;
    O.StallThreshold = 50ms;
    // Each replacement retires the whole old version, also the code it did not change.
    O.PartialReplacement = false;
    O.StackCheckAfter = 0us; // The plain epoch rule: a skipped guard holds everything up.
    O.OnStall = [this](const EpochStall &Stall) {
      std::lock_guard<std::mutex> L(StallLock);
      if (Stall.Pinned)
        StallText = Stall.describe();
      ++Stalls;
    };
    return O;
  }

  void SetUp() override {
    EngineTest::SetUp();
    ASSERT_FALSE(!!Eng->addHostSymbol("host_error", reinterpret_cast<void *>(&host_error)));
    mustCommit(Eng->add("checked", ir(CheckedIR)));
    auto F = Eng->lookup<int(int)>("checked");
    ASSERT_TRUE(!!F) << llvm::toString(F.takeError());
    Checked = *F;
  }

  /// Calls checked(X) under setjmp; returns the code host_error() jumped
  /// with, or 0 if the call returned. Restores the pin depth iff \p Restore.
  int callCatchingLongjmp(int X, bool Restore) {
    std::jmp_buf Env;
    ErrorJump = &Env;
    const uint32_t Depth = Eng->epochs().depth();
    if (int Code = setjmp(Env)) {
      if (Restore)
        Eng->epochs().restoreDepth(Depth);
      return Code;
    }
    Result = Checked(X);
    return 0;
  }

  /// Runs waitForReclamation() on another thread; true if it returned
  /// within \p Timeout.
  bool reclamationCompletes(std::chrono::milliseconds Timeout) {
    std::atomic<bool> Done{false};
    std::thread Waiter([&] {
      Eng->waitForReclamation();
      Done.store(true);
    });
    const auto Deadline = std::chrono::steady_clock::now() + Timeout;
    while (!Done.load() && std::chrono::steady_clock::now() < Deadline)
      std::this_thread::sleep_for(1ms);
    const bool Completed = Done.load();
    if (!Completed)
      Eng->epochs().restoreDepth(0); // Let the waiter finish.
    Waiter.join();
    return Completed;
  }

  Function<int(int)> Checked;
  int Result = 0;
  std::mutex StallLock;
  int Stalls = 0;        // Guarded by StallLock.
  std::string StallText; // Guarded by StallLock.
};

TEST_F(NonLocalExitTest, RestoredDepthUnpinsAfterLongjmpOutOfJitCode) {
  ASSERT_EQ(callCatchingLongjmp(-7, /*Restore=*/true), -7);
  EXPECT_FALSE(Eng->epochs().isPinned());
  EXPECT_EQ(Eng->epochs().depth(), 0u);
  // This thread may commit again, and reclamation does not wait for it.
  mustCommit(Eng->replace("checked", ir(CheckedIR)));
  EXPECT_TRUE(reclamationCompletes(5s)) << "the thread that longjmped is still pinned";
  EXPECT_EQ(callCatchingLongjmp(21, /*Restore=*/true), 0);
  EXPECT_EQ(Result, 42);
  std::lock_guard<std::mutex> L(StallLock);
  EXPECT_EQ(Stalls, 0);
}

TEST_F(NonLocalExitTest, RestoreKeepsGuardsTakenBeforeSetjmp) {
  {
    EpochGuard Outer(Eng->epochs());
    ASSERT_EQ(callCatchingLongjmp(-1, /*Restore=*/true), -1);
    EXPECT_EQ(Eng->epochs().depth(), 1u);
  }
  EXPECT_FALSE(Eng->epochs().isPinned());
}

TEST_F(NonLocalExitTest, UnrestoredLongjmpIsReportedAsTheLikelyCause) {
  ASSERT_EQ(callCatchingLongjmp(-3, /*Restore=*/false), -3);
  ASSERT_TRUE(Eng->epochs().isPinned());
  auto R = Eng->replace("checked", ir(CheckedIR));
  ASSERT_FALSE(!!R) << "a pinned thread committed";
  llvm::consumeError(R.takeError());
  // Another thread's commit retires the old version; its grace period stalls
  // on this thread and the report names the longjmp.
  std::thread Committer([&] {
    auto C = Eng->replace("checked", ir(CheckedIR));
    if (!C)
      llvm::consumeError(C.takeError());
  });
  Committer.join();
  // Reclamation is held by this thread: it reports the stall, and cannot end.
  ASSERT_TRUE(waitUntil([&] {
    std::lock_guard<std::mutex> L(StallLock);
    return Stalls >= 1;
  }));
  EXPECT_FALSE(reclamationCompletes(1s));
  EXPECT_FALSE(Eng->epochs().isPinned()) << "reclamationCompletes restores";
  std::lock_guard<std::mutex> L(StallLock);
  EXPECT_GE(Stalls, 1);
  EXPECT_NE(StallText.find("longjmp"), std::string::npos) << StallText;
  EXPECT_NE(StallText.find("restoreDepth()"), std::string::npos) << StallText;
}

} // namespace
