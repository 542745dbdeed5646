// Ready -> every caller switched -> old code freed, with callers running.
//
// One swap of `hot` while caller threads call it in a loop, measured with the
// public API only. Each caller calls `hot` (version V returns V for x = 0)
// through a pinning Function handle and notes when it first gets the new
// version. The writer times the commit, then polls
// Engine::stats().VersionsFreed until the replaced version is freed. Per swap,
// p50 and p99 in µs, all from the start of the commit:
//   ready_*     commit() returned (compile, link, publish, bookkeeping)
//   switched_*  the last caller's first call that returned the new version
//   freed_*     VersionsFreed moved (grace period + ResourceTracker::remove)
//   freed_after_ready_*  freed - ready
// The slot store and the reclaimer run before commit() returns, so switched
// and freed can precede ready. Target (DESIGN.md §4): ready -> freed <= 1 ms
// with 4 callers. EngineOptions::ReclaimDelay (default 1 ms: batches retires
// in swap storms) is a floor under it, so it is swept.
//
// Callers spin (busy:1) or call once per ~20 µs sleep (busy:0). With more
// spinning callers than cores a caller can be preempted inside its guard, and
// the grace period waits until the scheduler runs it again: switched_* and
// freed_* then include that delay. The writer polls with 10 µs sleeps (timer
// slack 1 µs), leaving the CPUs to the callers and the reclaimer thread.
//
// BM_RetireToFreeLongPinned: one thread stays pinned in a JIT loop for the
// whole run (it calls `leaf` of another module, then sleeps 1 ms in the host;
// with nap_in_leaf:1 it sleeps inside `leaf` instead, so the version being
// replaced is on its stack most of the time). Only a stack check can free the
// replaced `leaf` (EngineOptions::StackCheckAfter, default 1 ms). Per swap,
// from commit() returning (the version was retired inside it) to
// VersionsFreed moving: freed_after_ready_* and beyond_delay_* (the same
// minus ReclaimDelay; target <= 5 ms at p50).
#include "SwapWorkload.h"

#include "hotjit/engine/Engine.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <sys/prctl.h>

using namespace hotjit;
using namespace hotjit::bench;
using Clock = std::chrono::steady_clock;

namespace {

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

/// One caller's view, on a cache line of its own.
struct alignas(64) CallerView {
  std::atomic<int> Version{-1};     ///< Latest version this caller got.
  std::atomic<int64_t> SeenAtNs{0}; ///< When it first got that version.
};

void BM_ReadyToFreed(benchmark::State &State) {
  const int Callers = static_cast<int>(State.range(0));
  const bool Busy = State.range(2) != 0;
  ::prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
  EngineOptions O;
  O.OptLevel = 2;
  O.ReclaimDelay = std::chrono::microseconds(State.range(1));
  auto E = llvm::cantFail(Engine::create(O));
  llvm::cantFail(E->add("hot", ModuleSource::fromIR(hotIR(0))));
  auto Hot = llvm::cantFail(E->lookup<int(int)>("hot"));

  // Relaxed Stop: a stop flag; join() orders everything else.
  std::atomic<bool> Stop{false};
  std::vector<CallerView> Views(static_cast<size_t>(Callers));
  std::vector<std::thread> Threads;
  for (int T = 0; T < Callers; ++T)
    Threads.emplace_back([&, T] {
      CallerView &V = Views[static_cast<size_t>(T)];
      ::prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
      int Last = -1;
      while (!Stop.load(std::memory_order_relaxed)) {
        int Got = Hot(0);
        if (Got != Last) {
          Last = Got;
          // Release: pairs with the writer's acquire load of Version, which
          // then reads this SeenAtNs.
          V.SeenAtNs.store(nowNs(), std::memory_order_relaxed);
          V.Version.store(Got, std::memory_order_release);
        }
        if (!Busy)
          std::this_thread::sleep_for(std::chrono::microseconds(20));
      }
    });

  std::vector<double> Ready, Switched, Freed, FreedAfterReady;
  int Version = 0;
  for (auto _ : State) {
    ++Version;
    uint64_t FreedBefore = E->stats().VersionsFreed;
    int64_t T0 = nowNs();
    auto R = E->replace("hot", ModuleSource::fromIR(hotIR(Version)));
    int64_t T1 = nowNs();
    if (!R) {
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
      break;
    }
    int64_t LastSeen = 0, FreedAt = 0;
    while (true) {
      int64_t Now = nowNs();
      if (!FreedAt && E->stats().VersionsFreed > FreedBefore)
        FreedAt = Now;
      if (!LastSeen) {
        int64_t Max = 0;
        bool All = true;
        for (CallerView &V : Views) {
          if (V.Version.load(std::memory_order_acquire) != Version) {
            All = false;
            break;
          }
          Max = std::max(Max, V.SeenAtNs.load(std::memory_order_relaxed));
        }
        if (All)
          LastSeen = Max;
      }
      if (FreedAt && LastSeen)
        break;
      if (Now - T1 > 2'000'000'000) {
        State.SkipWithError("no switch or no free within 2 s");
        break;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(10));
    }
    Ready.push_back((T1 - T0) / 1e3);
    Switched.push_back((LastSeen - T0) / 1e3);
    Freed.push_back((FreedAt - T0) / 1e3);
    FreedAfterReady.push_back((FreedAt - T1) / 1e3);
    State.SetIterationTime((FreedAt - T0) / 1e9);
  }
  Stop = true;
  for (auto &T : Threads)
    T.join();
  auto Put = [&](const char *Name, const std::vector<double> &V) {
    State.counters[std::string(Name) + "_p50_us"] = percentile(V, 0.5);
    State.counters[std::string(Name) + "_p99_us"] = percentile(V, 0.99);
  };
  Put("ready", Ready);
  Put("switched", Switched);
  Put("freed", Freed);
  Put("freed_after_ready", FreedAfterReady);
}
BENCHMARK(BM_ReadyToFreed)
    ->ArgNames({"callers", "reclaim_delay_us", "busy"})
    ->Args({4, 1000, 1})
    ->Args({4, 0, 1})
    ->Args({2, 0, 1})
    ->Args({1, 0, 1})
    ->Args({4, 1000, 0})
    ->Args({4, 0, 0})
    ->Iterations(100)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

/// The long-pinned thread's host side: where it sleeps, and when it stops.
std::atomic<bool> NapInLeaf{false}, LoopStop{false};

void napOneMs() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }
extern "C" void hotjitRbLeafNap() {
  if (NapInLeaf.load(std::memory_order_relaxed))
    napOneMs();
}
extern "C" int hotjitRbLoopNap() {
  if (!NapInLeaf.load(std::memory_order_relaxed))
    napOneMs();
  return LoopStop.load(std::memory_order_relaxed);
}

std::string leafIR(int Version) {
  return "declare void @hotjit_rb_leaf_nap()\ndefine i32 @leaf() {\n"
         "  call void @hotjit_rb_leaf_nap()\n  ret i32 " +
         std::to_string(Version) + "\n}\n";
}

const char *const PinLoopIR = R"(
declare i32 @leaf()
declare i32 @hotjit_rb_loop_nap()
define i32 @pinloop() {
entry:
  br label %body
body:
  %v = call i32 @leaf()
  %s = call i32 @hotjit_rb_loop_nap()
  %d = icmp ne i32 %s, 0
  br i1 %d, label %out, label %body
out:
  ret i32 %v
}
)";

void BM_RetireToFreeLongPinned(benchmark::State &State) {
  const auto Delay = std::chrono::microseconds(State.range(0));
  NapInLeaf = State.range(1) != 0;
  LoopStop = false;
  ::prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
  EngineOptions O;
  O.OptLevel = 0;
  O.ReclaimDelay = Delay;
  auto E = llvm::cantFail(Engine::create(O));
  llvm::cantFail(E->addHostSymbol("hotjit_rb_leaf_nap", (const void *)&hotjitRbLeafNap));
  llvm::cantFail(E->addHostSymbol("hotjit_rb_loop_nap", (const void *)&hotjitRbLoopNap));
  llvm::cantFail(E->add("leaf", ModuleSource::fromIR(leafIR(0))));
  llvm::cantFail(E->add("pinloop", ModuleSource::fromIR(PinLoopIR)));
  auto Loop = llvm::cantFail(E->lookup<int()>("pinloop"));
  std::thread Pinned([&] {
    ::prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
    Loop(); // Pinned until LoopStop.
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(5));

  std::vector<double> FreedAfterReady, BeyondDelay;
  int Version = 0;
  for (auto _ : State) {
    uint64_t FreedBefore = E->stats().VersionsFreed;
    auto R = E->replace("leaf", ModuleSource::fromIR(leafIR(++Version)));
    int64_t T1 = nowNs();
    if (!R) {
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
      break;
    }
    int64_t FreedAt = 0;
    while (!FreedAt) {
      int64_t Now = nowNs();
      if (E->stats().VersionsFreed > FreedBefore)
        FreedAt = Now;
      else if (Now - T1 > 2'000'000'000)
        break;
      else
        std::this_thread::sleep_for(std::chrono::microseconds(10));
    }
    if (!FreedAt) {
      State.SkipWithError("the replaced version was not freed within 2 s");
      break;
    }
    FreedAfterReady.push_back((FreedAt - T1) / 1e3);
    BeyondDelay.push_back((FreedAt - T1) / 1e3 - static_cast<double>(Delay.count()));
    State.SetIterationTime((FreedAt - T1) / 1e9);
  }
  EngineStats S = E->stats();
  LoopStop = true;
  Pinned.join();
  State.counters["freed_after_ready_p50_us"] = percentile(FreedAfterReady, 0.5);
  State.counters["freed_after_ready_p99_us"] = percentile(FreedAfterReady, 0.99);
  State.counters["beyond_delay_p50_us"] = percentile(BeyondDelay, 0.5);
  State.counters["beyond_delay_p99_us"] = percentile(BeyondDelay, 0.99);
  State.counters["freed_by_stack_check"] = static_cast<double>(S.VersionsFreedByStackCheck);
  State.counters["stack_checks"] = static_cast<double>(S.StackChecks);
}
BENCHMARK(BM_RetireToFreeLongPinned)
    ->ArgNames({"reclaim_delay_us", "nap_in_leaf"})
    ->Args({1000, 0})
    ->Args({200, 0})
    ->Args({1000, 1})
    ->Args({200, 1})
    ->Iterations(50)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
