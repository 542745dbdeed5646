// Stack checks: a replaced version is freed while threads stay pinned in JIT code, as soon as no
// thread holds an address inside it; a thread whose stack still holds it (asleep inside it, a
// return address deep in its stack, recursion, an exception unwinding through it) keeps it, and
// the stall report names it. Retired code is quarantined (PROT_NONE), so a premature free
// faults; each test fails under the STACK_CHECK_FINDS_NOTHING mutation.
#include "EngineTestCommon.h"

#include "hotjit/concurrency/EpochGuard.h"

#include <atomic>
#include <stdexcept>
#include <thread>

using namespace hotjit;
using namespace hotjit::test;
using namespace std::chrono_literals;

namespace {

/// What the JIT code's host callbacks do.
struct HostSide {
  std::atomic<bool> InBlock{false};
  std::atomic<bool> Release{false};
  std::atomic<bool> Throw{false};
};
HostSide Host;

extern "C" void hotjitScSleep(int Ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(Ms));
}

/// Blocks until the test releases it (sleep_for restarts after the check's signal); then throws
/// if asked to.
extern "C" int hotjitScBlock(int X) {
  Host.InBlock.store(true);
  while (!Host.Release.load())
    std::this_thread::sleep_for(1ms);
  if (Host.Throw.load())
    throw std::runtime_error("thrown through a retired frame");
  return X;
}

class StackCheckTest : public EngineTest {
protected:
  void SetUp() override {
    Host.InBlock = false;
    Host.Release = false;
    Host.Throw = false;
    EngineTest::SetUp();
    ASSERT_TRUE(Eng);
    ASSERT_FALSE(!!Eng->addHostSymbol("hotjit_sc_sleep", reinterpret_cast<void *>(&hotjitScSleep)));
    ASSERT_FALSE(!!Eng->addHostSymbol("hotjit_sc_block", reinterpret_cast<void *>(&hotjitScBlock)));
  }
  void TearDown() override {
    Host.Release = true;
    finish();
    EngineTest::TearDown();
  }
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.QuarantineRetiredCode = true;
    O.ReclaimDelay = 200us;
    O.StallThreshold = 50ms;
    O.OnStall = [this](const EpochStall &S) {
      std::lock_guard<std::mutex> L(StallLock);
      Stalls.push_back(S.describe());
    };
    return O;
  }
  std::string stallText() {
    std::lock_guard<std::mutex> L(StallLock);
    std::string All;
    for (const std::string &S : Stalls)
      All += S + "\n";
    return All;
  }

  /// Runs \p Body on a thread pinned around it (and after it, until letGo()).
  void startPinned(std::function<void()> Body) {
    Worker = std::thread([this, Body = std::move(Body)] {
      EpochGuard G(Eng->epochs());
      Body();
      Returned = true;
      while (!LetGo.load())
        std::this_thread::sleep_for(1ms);
    });
  }
  void finish() {
    LetGo = true;
    if (Worker.joinable())
      Worker.join();
  }

  /// The version held while the worker blocks inside it is kept, and the stall report names
  /// \p Function; once the worker returns (still pinned) a stack check frees it.
  void expectHeldThenFreed(const std::string &Function, const std::string &Module) {
    ASSERT_TRUE(waitUntil([] { return Host.InBlock.load(); }));
    ASSERT_TRUE(
        waitUntil([&] { return stallText().find("'" + Function + "'") != std::string::npos; }, 10s))
        << "no stall names the retired function; " << Eng->stats().StackChecks << " checks, "
        << Eng->stats().StackCheckHeldCode << " held, " << Eng->stats().StackCheckUnanswered
        << " unanswered, " << Eng->stats().VersionsFreed << " freed; stalls: " << stallText();
    EngineStats S = Eng->stats();
    EXPECT_EQ(S.VersionsFreed, 0u) << "the version was freed while a thread ran it";
    EXPECT_GE(S.StackCheckHeldCode, 1u);
    EXPECT_NE(stallText().find("module '" + Module + "'"), std::string::npos) << stallText();
    Host.Release = true;
    ASSERT_TRUE(waitUntil([&] { return Returned.load(); }, 10s));
    EXPECT_TRUE(waitUntil([&] { return Eng->stats().VersionsFreed >= 1; }, 10s))
        << "the version was not freed after the thread returned from it";
    EXPECT_GE(Eng->stats().VersionsFreedByStackCheck, 1u);
    finish();
  }

  std::mutex StallLock;
  std::vector<std::string> Stalls;
  std::thread Worker;
  std::atomic<bool> Returned{false}, LetGo{false};
};

std::string leafVersion(int V) {
  return "declare void @hotjit_sc_sleep(i32)\n"
         "define i32 @leaf() {\n  call void @hotjit_sc_sleep(i32 2)\n  ret i32 " +
         std::to_string(V) + "\n}\n";
}

const char *const LoopIR = R"(
declare i32 @leaf()
define i32 @loop(i32 %n) {
entry:
  br label %body
body:
  %i = phi i32 [ 0, %entry ], [ %i1, %body ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %body ]
  %v = call i32 @leaf()
  %acc1 = add i32 %acc, %v
  %i1 = add i32 %i, 1
  %done = icmp eq i32 %i1, %n
  br i1 %done, label %out, label %body
out:
  ret i32 %acc1
}
)";

} // namespace

TEST_F(StackCheckTest, ThreadLoopingInJitCodeFreesReplacedVersions) {
  ASSERT_TRUE(Eng->stats().Epochs.StackChecksEnabled);
  mustCommit(Eng->add("leaf", ir(leafVersion(1))));
  mustCommit(Eng->add("loop", ir(LoopIR)));
  auto Loop = checked(Eng->lookup<int(int)>("loop"));
  std::atomic<bool> Running{true};
  startPinned([&] {
    Loop(2000); // About 2 ms a call: seconds inside JIT code, pinned throughout.
    Running = false;
  });
  constexpr unsigned N = 20;
  for (unsigned V = 2; V <= N + 1; ++V) {
    std::this_thread::sleep_for(50ms);
    mustCommit(Eng->replace("leaf", ir(leafVersion(static_cast<int>(V)))));
  }
  EXPECT_TRUE(waitUntil([&] { return Eng->stats().VersionsFreed >= N - 1 || !Running; }, 20s));
  EngineStats S = Eng->stats();
  EXPECT_TRUE(Running.load()) << "the loop ended before the versions were freed";
  EXPECT_GE(S.VersionsFreed, N - 1) << "versions freed while the thread looped";
  EXPECT_GE(S.VersionsFreedByStackCheck, N - 1);
  EXPECT_GT(S.StackChecks, 0u);
  EXPECT_EQ(stallText(), "") << "a thread pinned in a loop with nothing retired on its stack "
                                "is no stall";
  finish();
  EXPECT_EQ(Eng->stats().VersionsRetired, N);
}

TEST_F(StackCheckTest, ThreadAsleepInsideRetiredFunctionKeepsItUntilItReturns) {
  mustCommit(Eng->add("f", ir("declare i32 @hotjit_sc_block(i32)\n"
                              "define i32 @f() {\n  %r = call i32 @hotjit_sc_block(i32 1)\n"
                              "  %s = add i32 %r, 10\n  ret i32 %s\n}\n")));
  auto F = checked(Eng->lookup<int()>("f"));
  std::atomic<int> Result{0};
  startPinned([&] { Result = F(); });
  ASSERT_TRUE(waitUntil([] { return Host.InBlock.load(); }));
  mustCommit(Eng->replace("f", ir(constantFunction("f", 2))));
  expectHeldThenFreed("f", "f");
  EXPECT_EQ(Result.load(), 11);
  EXPECT_EQ(callInt("f"), 2);
}

TEST_F(StackCheckTest, ReturnAddressUnderABlockedDeepCalleeKeepsTheVersion) {
  mustCommit(Eng->add("deep", ir(R"(
declare i32 @hotjit_sc_block(i32)
define i32 @deep2(i32 %x) {
  %r = call i32 @hotjit_sc_block(i32 %x)
  %s = add i32 %r, 1
  ret i32 %s
}
define i32 @deep1(i32 %x) {
  %r = call i32 @deep2(i32 %x)
  %s = add i32 %r, 1
  ret i32 %s
}
)")));
  mustCommit(Eng->add("mid", ir(R"(
declare i32 @deep1(i32)
define i32 @mid() {
  %r = call i32 @deep1(i32 100)
  %s = add i32 %r, 1
  ret i32 %s
}
)")));
  auto Mid = checked(Eng->lookup<int()>("mid"));
  std::atomic<int> Result{0};
  startPinned([&] { Result = Mid(); });
  ASSERT_TRUE(waitUntil([] { return Host.InBlock.load(); }));
  // Only mid is replaced: its return address sits three frames up the blocked thread's stack.
  mustCommit(Eng->replace("mid", ir(constantFunction("mid", 7))));
  expectHeldThenFreed("mid", "mid");
  EXPECT_EQ(Result.load(), 103);
  EXPECT_EQ(callInt("mid"), 7);
}

TEST_F(StackCheckTest, RecursionThroughAReplacedFunctionKeepsEveryFrame) {
  mustCommit(Eng->add("rec", ir(R"(
declare i32 @hotjit_sc_block(i32)
define i32 @rec(i32 %n) {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %bottom, label %down
bottom:
  %b = call i32 @hotjit_sc_block(i32 0)
  ret i32 %b
down:
  %m = sub i32 %n, 1
  %r = call i32 @rec(i32 %m)
  %s = add i32 %r, 1
  ret i32 %s
}
)")));
  auto Rec = checked(Eng->lookup<int(int)>("rec"));
  std::atomic<int> Result{0};
  startPinned([&] { Result = Rec(5); });
  ASSERT_TRUE(waitUntil([] { return Host.InBlock.load(); }));
  mustCommit(Eng->replace("rec", ir(R"(
define i32 @rec(i32 %n) {
  %s = mul i32 %n, 100
  ret i32 %s
}
)")));
  expectHeldThenFreed("rec", "rec");
  EXPECT_EQ(Result.load(), 5) << "the frames on the stack finish in the version they began in";
  EXPECT_EQ(checked(Eng->call<int(int)>("rec", 5)), 500);
}

TEST_F(StackCheckTest, ExceptionThrownThroughARetiredFrame) {
  mustCommit(Eng->add("thrower", ir(R"(
declare i32 @hotjit_sc_block(i32)
define i32 @through() {
  %r = call i32 @hotjit_sc_block(i32 1)
  %s = add i32 %r, 1
  ret i32 %s
}
)")));
  auto Through = checked(Eng->lookup<int()>("through"));
  std::atomic<bool> Caught{false};
  Host.Throw = true;
  startPinned([&] {
    try {
      Through();
    } catch (const std::runtime_error &) {
      Caught = true; // The unwinder walked the retired frame with its eh-frame.
    }
  });
  ASSERT_TRUE(waitUntil([] { return Host.InBlock.load(); }));
  mustCommit(Eng->replace("thrower", ir(constantFunction("through", 3))));
  expectHeldThenFreed("through", "thrower");
  EXPECT_TRUE(Caught.load());
  EXPECT_EQ(callInt("through"), 3);
}
