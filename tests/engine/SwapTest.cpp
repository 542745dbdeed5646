// Replacement under load: callers on several threads always get a published version, never an
// older one than they saw before nor one older than a commit that returned before the call.
#include "EngineTestCommon.h"

#include <array>
#include <atomic>
#include <thread>

using namespace hotjit;
using namespace hotjit::test;

namespace {

class SwapTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.OptLevel = 0;                 // The writer's speed is what matters here.
    O.QuarantineRetiredCode = true; // Code freed too early faults.
    return O;
  }
};

TEST_F(SwapTest, CallersSeeOnlyPublishedVersionsWhileAWriterSwaps) {
  constexpr int Readers = 4;
  constexpr int Swaps = 1000;
  mustCommit(Eng->add("f", ir(spinningFunction("version", 0))));
  // Callers reach `version` through another module, as JIT code would.
  mustCommit(Eng->add("g", ir(R"(
declare i32 @version()
define i32 @through() {
  %v = call i32 @version()
  ret i32 %v
}
)")));
  auto Direct = Eng->lookup<int()>("version");
  auto Through = Eng->lookup<int()>("through");
  ASSERT_TRUE(Direct && Through);

  constexpr int Checkpoint = 100; // The writer waits for every reader this often.
  std::atomic<int> Started{0};    // Highest version whose commit has begun.
  std::atomic<int> Committed{0};  // Highest version whose commit has returned.
  std::atomic<bool> Stop{false};
  std::atomic<long> Calls{0}, Violations{0};
  std::array<std::atomic<int>, Readers> Caught{}; // Committed, as each reader last saw it.
  std::vector<std::thread> Threads;
  // Readers stop and are joined however the test body ends (a failed
  // ASSERT returns early; a joinable std::thread would terminate).
  struct JoinAll {
    std::atomic<bool> &Stop;
    std::vector<std::thread> &Threads;
    ~JoinAll() {
      Stop = true;
      for (std::thread &T : Threads)
        if (T.joinable())
          T.join();
    }
  } Joiner{Stop, Threads};
  for (int R = 0; R < Readers; ++R)
    Threads.emplace_back([&, R] {
      int Last = 0;
      long N = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        // A commit that returned before the call began is visible to it; a
        // version whose commit has not begun cannot be.
        int Floor = Committed.load(std::memory_order_acquire);
        int V = (R % 2 ? *Through : *Direct)();
        int Ceiling = Started.load(std::memory_order_acquire);
        if (V < Last || V < Floor || V > Ceiling)
          Violations.fetch_add(1);
        Last = V;
        ++N;
        Caught[R].store(Floor, std::memory_order_release);
      }
      Calls.fetch_add(N);
    });

  for (int V = 1; V <= Swaps; ++V) {
    Started.store(V, std::memory_order_release);
    auto R = Eng->replace("f", ir(spinningFunction("version", V)));
    ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
    Committed.store(V, std::memory_order_release);
    if (V % Checkpoint == 0) // Every reader has called since this commit returned.
      for (int Reader = 0; Reader < Readers; ++Reader)
        ASSERT_TRUE(waitUntil([&] { return Caught[Reader].load() >= V; }))
            << "reader " << Reader << " made no call after version " << V;
  }
  Stop = true;
  for (auto &T : Threads)
    T.join();
  EXPECT_EQ(Violations.load(), 0);
  EXPECT_GE(Calls.load(), Readers * (Swaps / Checkpoint));
  EXPECT_EQ((*Direct)(), Swaps);
  Eng->waitForReclamation();
  EXPECT_EQ(Eng->stats().VersionsFreed, static_cast<uint64_t>(Swaps));
}

} // namespace
