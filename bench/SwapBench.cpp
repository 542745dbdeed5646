// Swap latency: commit one changed tiny function until it is published, with N other live modules
// that all call it. With stubs nothing but the changed module is compiled or linked, so the
// latency should not depend on N (target: p50 at N=10000 / N=10 <= 1.2).
#include "SwapWorkload.h"

#include "hotjit/concurrency/EpochGuard.h"
#include "hotjit/engine/Engine.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace hotjit;
using namespace hotjit::bench;

namespace {

/// An engine with \p N live caller modules, built once per (N, opt level).
Engine &engineWith(int N, unsigned Opt) {
  static std::map<std::pair<int, unsigned>, std::unique_ptr<Engine>> Engines;
  auto &E = Engines[{N, Opt}];
  if (E)
    return *E;
  EngineOptions O;
  O.OptLevel = Opt;
  E = llvm::cantFail(Engine::create(O));
  llvm::cantFail(addWorkload(*E, N));
  return *E;
}

void BM_SwapOneFunction(benchmark::State &State) {
  int N = static_cast<int>(State.range(0));
  unsigned Opt = static_cast<unsigned>(State.range(1));
  Engine &E = engineWith(N, Opt);
  auto Caller = llvm::cantFail(E.lookup<int(int)>("caller0"));
  static int Version = 1;
  std::vector<double> Us;
  for (auto _ : State) {
    ++Version;
    auto T0 = std::chrono::steady_clock::now();
    auto R = E.replace("hot", ModuleSource::fromIR(hotIR(Version)));
    auto T1 = std::chrono::steady_clock::now();
    if (!R) {
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
      break;
    }
    double Elapsed = std::chrono::duration<double>(T1 - T0).count();
    State.SetIterationTime(Elapsed);
    Us.push_back(Elapsed * 1e6);
  }
  if (Caller(1) != expectedCaller0(Version))
    State.SkipWithError("caller did not see the new version");
  E.waitForReclamation();
  if (!Us.empty()) {
    State.counters["p50_us"] = percentile(Us, 0.5);
    State.counters["p99_us"] = percentile(Us, 0.99);
  }
  State.counters["live_modules"] = static_cast<double>(N + 1);
}

BENCHMARK(BM_SwapOneFunction)
    ->ArgNames({"N", "opt"})
    ->Args({10, 2})
    ->Args({100, 2})
    ->Args({1000, 2})
    ->Args({10000, 2})
    ->Args({10, 0})
    ->Args({10000, 0})
    ->Iterations(300)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

/// Callers' throughput while a writer swaps the function they call once per
/// millisecond, as a ratio of their throughput with no swaps (target >= 0.95).
/// The two phases alternate within one run (A B A B ...), so drift cancels.
/// Callers use the pinning Function handle, as an embedding host would.
void callersThroughputDuringSwaps(benchmark::State &State, bool LongPins, bool StackChecks) {
  const int Callers = static_cast<int>(State.range(0));
  EngineOptions O;
  O.ReclaimDelay = std::chrono::microseconds(State.range(1));
  if (!StackChecks)
    O.StackCheckAfter = std::chrono::microseconds(0);
  O.OptLevel = 0;
  O.CompileThreads = 1;
  auto E = llvm::cantFail(Engine::create(O));
  llvm::cantFail(E->add("hot", ModuleSource::fromIR(hotIR(0))));
  llvm::cantFail(E->add("caller0", ModuleSource::fromIR(callerIR(0))));
  auto Fn = llvm::cantFail(E->lookup<int(int)>("caller0"));

  std::atomic<int> Phase{0}; // 0 idle, 1 measure, 2 stop
  std::atomic<uint64_t> Calls{0};
  std::vector<std::thread> Threads;
  for (int T = 0; T < Callers; ++T)
    Threads.emplace_back([&] {
      uint64_t N = 0;
      int Sink = 0;
      std::optional<EpochGuard> Long; // Pinned for the whole run: each call's pin nests.
      if (LongPins)
        Long.emplace(E->epochs());
      while (Phase.load(std::memory_order_relaxed) != 2) {
        for (int K = 0; K < 1024; ++K)
          Sink += Fn(K);
        N += 1024;
        if (Phase.load(std::memory_order_relaxed) == 1) {
          Calls.fetch_add(N, std::memory_order_relaxed);
        }
        N = 0;
      }
      benchmark::DoNotOptimize(Sink);
    });

  auto Measure = [&](bool Swapping) {
    using namespace std::chrono;
    Calls = 0;
    Phase = 1;
    auto Start = steady_clock::now(), Next = Start;
    int Version = 1;
    while (steady_clock::now() - Start < milliseconds(500)) {
      if (Swapping && steady_clock::now() >= Next) {
        llvm::cantFail(E->replace("hot", ModuleSource::fromIR(hotIR(++Version))));
        Next += milliseconds(1);
      } else {
        std::this_thread::sleep_for(microseconds(100));
      }
    }
    Phase = 0;
    double Seconds = duration<double>(steady_clock::now() - Start).count();
    return std::pair<double, int>(Calls.load() / Seconds, Version - 1);
  };
  double Quiet = 0, Swapping = 0;
  int Swaps = 0;
  for (auto _ : State) {
    Quiet += Measure(false).first;
    auto [Rate, N] = Measure(true);
    Swapping += Rate;
    Swaps += N;
  }
  Phase = 2;
  for (auto &T : Threads)
    T.join();
  State.counters["calls_per_s_quiet"] = Quiet / State.iterations();
  State.counters["calls_per_s_swapping"] = Swapping / State.iterations();
  State.counters["ratio"] = Swapping / Quiet;
  State.counters["swaps_per_s"] = Swaps / (0.5 * State.iterations());
  EngineStats S = E->stats();
  State.counters["freed_by_stack_check"] = static_cast<double>(S.VersionsFreedByStackCheck);
  State.counters["stack_checks"] = static_cast<double>(S.StackChecks);
}

void BM_CallersThroughputDuringSwaps(benchmark::State &State) {
  callersThroughputDuringSwaps(State, /*LongPins=*/false, /*StackChecks=*/true);
}

BENCHMARK(BM_CallersThroughputDuringSwaps)
    ->ArgNames({"callers", "reclaim_delay_us"})
    ->Args({1, 200})
    ->Args({1, 1000})
    ->Args({2, 200})
    ->Args({2, 1000})
    ->Iterations(4)
    ->Unit(benchmark::kMillisecond);

/// The same storm with callers that stay pinned for the whole run, as threads living in JIT
/// code do: the replaced versions are freed only by stack checks, each of which signals every
/// caller. stack_checks:0 (EngineOptions::StackCheckAfter = 0) is the baseline: no signal,
/// nothing freed.
void BM_CallersThroughputDuringSwapsLongPinned(benchmark::State &State) {
  callersThroughputDuringSwaps(State, /*LongPins=*/true, State.range(2) != 0);
}
BENCHMARK(BM_CallersThroughputDuringSwapsLongPinned)
    ->ArgNames({"callers", "reclaim_delay_us", "stack_checks"})
    ->Args({1, 1000, 1})
    ->Args({1, 1000, 0})
    ->Args({2, 1000, 1})
    ->Args({2, 1000, 0})
    ->Iterations(4)
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
