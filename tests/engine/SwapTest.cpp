// Replacement under load: callers on several threads always get a published version, and never
// an older one than they saw before.
#include "EngineTestCommon.h"

#include <atomic>
#include <thread>

using namespace hotjit;
using namespace hotjit::test;

namespace {

class SwapTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.OptLevel = 0; // The writer's speed is what matters here.
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

  std::atomic<int> Announced{0}; // Highest version a commit has started on.
  std::atomic<bool> Stop{false};
  std::atomic<long> Calls{0}, Violations{0};
  std::vector<std::thread> Threads;
  for (int R = 0; R < Readers; ++R)
    Threads.emplace_back([&, R] {
      int Last = 0;
      long N = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        int V = (R % 2 ? *Through : *Direct)();
        int Max = Announced.load(std::memory_order_acquire);
        if (V < Last || V > Max)
          Violations.fetch_add(1);
        Last = V;
        ++N;
      }
      Calls.fetch_add(N);
    });

  for (int V = 1; V <= Swaps; ++V) {
    Announced.store(V, std::memory_order_release);
    auto R = Eng->replace("f", ir(spinningFunction("version", V)));
    ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  }
  Stop = true;
  for (auto &T : Threads)
    T.join();
  EXPECT_EQ(Violations.load(), 0);
  EXPECT_GT(Calls.load(), Readers);
  EXPECT_EQ((*Direct)(), Swaps);
  Eng->waitForReclamation();
  EXPECT_EQ(Eng->stats().VersionsFreed, static_cast<uint64_t>(Swaps));
}

} // namespace
