//===- EpochBench.cpp - Read-side and grace-period cost of EpochDomain ----===//
//
// Baselines beside every epoch figure: std::shared_mutex read locks, a guard
// that fences on entry (urcu-mb / crossbeam style) and the seq_cst-reader
// fallback of EpochDomain itself. Setup (registration, thread start) stays
// out of the timed loops. BM_StackCheckRound times one stack check (the
// protocol of concurrency/src/StackCheck.cpp) of threads pinned for good.
//
//===----------------------------------------------------------------------===//

#include "hotjit/concurrency/EpochDomain.h"
#include "hotjit/concurrency/EpochGuard.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <latch>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

using namespace hotjit;

namespace {

EpochDomainOptions benchOptions(bool SeqCstReaders = false) {
  EpochDomainOptions O;
  O.BackgroundReclaimer = false;
  O.ForceSeqCstReaders = SeqCstReaders;
  return O;
}

EpochDomain &membarrierDomain() {
  static EpochDomain D(benchOptions());
  return D;
}

EpochDomain &seqCstDomain() {
  static EpochDomain D(benchOptions(/*SeqCstReaders=*/true));
  return D;
}

void pinUnpinLoop(benchmark::State &State, EpochDomain &D) {
  {
    EpochGuard Register(D);
  }
  for (auto _ : State) {
    EpochGuard G(D);
    benchmark::ClobberMemory();
  }
}

void BM_EpochGuardPinUnpin(benchmark::State &State) {
  pinUnpinLoop(State, membarrierDomain());
  State.SetLabel(membarrierDomain().stats().ReaderFence == EpochReaderFenceKind::Membarrier
                     ? "membarrier"
                     : "seq_cst (no membarrier)");
}
BENCHMARK(BM_EpochGuardPinUnpin)->Threads(1)->Threads(2);

void BM_EpochGuardPinUnpinSeqCstReaders(benchmark::State &State) {
  pinUnpinLoop(State, seqCstDomain());
}
BENCHMARK(BM_EpochGuardPinUnpinSeqCstReaders)->Threads(1)->Threads(2);

void BM_EpochGuardNestedPinUnpin(benchmark::State &State) {
  EpochDomain &D = membarrierDomain();
  EpochGuard Outer(D);
  for (auto _ : State) {
    EpochGuard G(D);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_EpochGuardNestedPinUnpin);

std::shared_mutex BenchSharedMutex;

void BM_SharedMutexReadLock(benchmark::State &State) {
  for (auto _ : State) {
    std::shared_lock<std::shared_mutex> L(BenchSharedMutex);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_SharedMutexReadLock)->Threads(1)->Threads(2);

struct alignas(64) ReaderSlot {
  std::atomic<uint64_t> Word{0};
};
thread_local ReaderSlot FenceSlot;

void BM_SeqCstFenceGuard(benchmark::State &State) {
  for (auto _ : State) {
    FenceSlot.Word.store(1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    benchmark::ClobberMemory();
    // Release: the urcu-mb unlock side; pairs with a writer's acquire scan.
    FenceSlot.Word.store(0, std::memory_order_release);
  }
}
BENCHMARK(BM_SeqCstFenceGuard)->Threads(1)->Threads(2);

void BM_XchgGuard(benchmark::State &State) {
  for (auto _ : State) {
    FenceSlot.Word.exchange(1, std::memory_order_seq_cst);
    benchmark::ClobberMemory();
    // Release: the crossbeam-style unpin; pairs with a writer's acquire scan.
    FenceSlot.Word.store(0, std::memory_order_release);
  }
}
BENCHMARK(BM_XchgGuard)->Threads(1)->Threads(2);

void BM_QsbrQuiescent(benchmark::State &State) {
  EpochDomain &D = membarrierDomain();
  D.quiescent();
  for (auto _ : State) {
    D.quiescent();
    benchmark::ClobberMemory();
  }
  D.offline();
}
BENCHMARK(BM_QsbrQuiescent)->Threads(1)->Threads(2);

/// One grace period with range(0) other registered threads that are idle
/// (blocked) when range(1) is 0, or pinning in a loop when it is 1.
void BM_Synchronize(benchmark::State &State) {
  const int Others = static_cast<int>(State.range(0));
  const bool Busy = State.range(1) != 0;
  EpochDomain D(benchOptions());
  // Relaxed loads of Stop: a stop flag; join() orders the rest.
  std::atomic<bool> Stop{false};
  std::latch Registered(Others);
  std::vector<std::thread> Threads;
  for (int I = 0; I < Others; ++I)
    Threads.emplace_back([&] {
      {
        EpochGuard Register(D);
      }
      Registered.count_down();
      if (!Busy) {
        Stop.wait(false);
        return;
      }
      while (!Stop.load(std::memory_order_relaxed)) {
        EpochGuard G(D);
        benchmark::ClobberMemory();
      }
    });
  Registered.wait();
  D.synchronize();
  for (auto _ : State)
    D.synchronize();
  Stop.store(true);
  Stop.notify_all();
  for (std::thread &T : Threads)
    T.join();
  State.SetLabel(D.stats().ReaderFence == EpochReaderFenceKind::Membarrier ? "membarrier"
                                                                           : "seq_cst");
}
BENCHMARK(BM_Synchronize)
    ->ArgNames({"others", "busy"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({1, 1})
    ->UseRealTime();

/// retire() plus its share of one reclaim() per 1024 retires.
void BM_EpochRetire(benchmark::State &State) {
  EpochDomain D(benchOptions());
  uint64_t N = 0;
  for (auto _ : State) {
    D.retire([] {}, 64);
    if ((++N & 1023) == 0)
      D.reclaim();
  }
  D.reclaim();
}
BENCHMARK(BM_EpochRetire);

/// Stands for a retired code version: no thread holds an address inside it.
char RetiredCode[4096];

/// Uses \p KiB KiB of stack below the caller (one frame per KiB), then runs \p Body.
[[gnu::noinline]] void onDeepStack(int KiB, const std::function<void()> &Body) {
  volatile char Frame[1024];
  Frame[0] = static_cast<char>(KiB);
  if (KiB > 1)
    onDeepStack(KiB - 1, Body);
  else
    Body();
  benchmark::DoNotOptimize(Frame[0]);
}

/// One stack check round: an item retired with a range none of range(0) threads holds, freed by
/// reclaim() while they stay pinned (each asleep under range(1) KiB of used stack). Per
/// iteration: a grace period given up on the pinned threads, the signal, each thread's scan of
/// its registers and stack, its answer and the item's callback.
void BM_StackCheckRound(benchmark::State &State) {
  const int Pinned = static_cast<int>(State.range(0));
  const int StackKiB = static_cast<int>(State.range(1));
  EpochDomainOptions O = benchOptions();
  O.ReclaimDelay = std::chrono::microseconds(0);
  O.StackCheckAfter = std::chrono::microseconds(1);
  O.StallThreshold = std::chrono::milliseconds(3600'000);
  EpochDomain D(O);
  if (!D.stats().StackChecksEnabled) {
    State.SkipWithError("stack checks are off on this platform");
    return;
  }
  // Relaxed loads of Stop: a stop flag; join() orders the rest.
  std::atomic<bool> Stop{false};
  std::latch Ready(Pinned);
  std::vector<std::thread> Threads;
  for (int I = 0; I < Pinned; ++I)
    Threads.emplace_back([&] {
      EpochGuard G(D);
      onDeepStack(StackKiB, [&] {
        Ready.count_down();
        while (!Stop.load(std::memory_order_relaxed))
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
      });
    });
  Ready.wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(2)); // Past StackCheckAfter.
  const EpochRetireRanges Where{{{reinterpret_cast<uintptr_t>(RetiredCode),
                                  reinterpret_cast<uintptr_t>(RetiredCode + sizeof RetiredCode)}},
                                {}};
  const uint64_t ChecksBefore = D.stats().StackChecks;
  uint64_t Reclaims = 0;
  for (auto _ : State) {
    bool Ran = false;
    D.retire([&Ran] { Ran = true; }, 64, Where);
    while (!Ran) {
      D.reclaim();
      ++Reclaims;
    }
  }
  const EpochStats S = D.stats();
  Stop = true;
  for (std::thread &T : Threads)
    T.join();
  D.reclaim();
  State.counters["checks_per_round"] =
      static_cast<double>(S.StackChecks - ChecksBefore) / State.iterations();
  State.counters["reclaims_per_round"] = static_cast<double>(Reclaims) / State.iterations();
}
BENCHMARK(BM_StackCheckRound)
    ->ArgNames({"pinned", "stack_kib"})
    ->Args({1, 1})
    ->Args({1, 64})
    ->Args({2, 1})
    ->Args({2, 64})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

} // namespace
