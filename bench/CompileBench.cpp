// Compile throughput: 1000 small modules in one commit on 1..N compile threads against the honest
// baseline (every module compiled and linked on the committing thread, one reused TargetMachine);
// cached vs uncached commits; one 1000-module commit vs 1000 single commits; tier-0 vs optimised
// latency of one small function.
#include "hotjit/engine/Engine.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <thread>

using namespace hotjit;

namespace {

constexpr int Modules = 1000;

/// A small but real function: a loop, a branch, a call through a stub.
std::string smallModule(int I, int Seed = -1) {
  std::string N = std::to_string(I);
  std::string S = std::to_string(Seed < 0 ? I : Seed);
  return "declare i64 @leaf(i64)\n"
         "define i64 @f" +
         N +
         "(i64 %n) {\n"
         "entry:\n  br label %loop\n"
         "loop:\n  %i = phi i64 [ 0, %entry ], [ %i1, %next ]\n"
         "  %acc = phi i64 [ " +
         S +
         ", %entry ], [ %acc2, %next ]\n"
         "  %odd = and i64 %i, 1\n  %c = icmp eq i64 %odd, 0\n"
         "  br i1 %c, label %even, label %next\n"
         "even:\n  %m = mul i64 %acc, 31\n  br label %next\n"
         "next:\n  %acc1 = phi i64 [ %acc, %loop ], [ %m, %even ]\n"
         "  %acc2 = add i64 %acc1, %i\n  %i1 = add i64 %i, 1\n"
         "  %done = icmp eq i64 %i1, %n\n  br i1 %done, label %out, label %loop\n"
         "out:\n  %r = call i64 @leaf(i64 %acc2)\n  ret i64 %r\n}\n";
}

const char *LeafIR = "define i64 @leaf(i64 %x) { ret i64 %x }\n";

std::unique_ptr<Engine> engine(unsigned Threads, bool InCallingThread, bool Cache,
                               unsigned Opt = 2) {
  EngineOptions O;
  O.OptLevel = Opt;
  O.CompileThreads = Threads;
  O.CompileInCallingThread = InCallingThread;
  O.ObjectCache = Cache;
  auto E = llvm::cantFail(Engine::create(O));
  llvm::cantFail(E->add("leaf", ModuleSource::fromIR(LeafIR)));
  return E;
}

Batch bigBatch(Engine &E) {
  Batch B = E.batch();
  for (int I = 0; I < Modules; ++I)
    B.add("m" + std::to_string(I), ModuleSource::fromIR(smallModule(I)));
  return B;
}

/// threads = 0: the baseline, compiled in the calling thread.
void BM_Commit1000Modules(benchmark::State &State) {
  unsigned Threads = static_cast<unsigned>(State.range(0));
  for (auto _ : State) {
    State.PauseTiming();
    auto E = engine(Threads ? Threads : 1, Threads == 0, /*Cache=*/false);
    Batch B = bigBatch(*E);
    State.ResumeTiming();
    auto R = B.commit();
    State.PauseTiming();
    if (!R)
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
    E.reset();
    State.ResumeTiming();
  }
  State.counters["modules_per_s"] =
      benchmark::Counter(Modules * State.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Commit1000Modules)
    ->ArgName("threads")
    ->DenseRange(0, 2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

/// The same batch committed a second time to a fresh engine that shares the
/// object cache directory: everything is linked from the cache.
void BM_Commit1000ModulesCached(benchmark::State &State) {
  llvm::SmallString<128> Dir;
  if (llvm::sys::fs::createUniqueDirectory("hotjit-bench-cache", Dir))
    return State.SkipWithError("no temporary directory");
  EngineOptions O;
  O.CacheDirectory = std::string(Dir);
  {
    auto Warm = llvm::cantFail(Engine::create(O));
    llvm::cantFail(Warm->add("leaf", ModuleSource::fromIR(LeafIR)));
    llvm::cantFail(bigBatch(*Warm).commit());
  }
  for (auto _ : State) {
    State.PauseTiming();
    auto E = llvm::cantFail(Engine::create(O));
    llvm::cantFail(E->add("leaf", ModuleSource::fromIR(LeafIR)));
    Batch B = bigBatch(*E);
    State.ResumeTiming();
    auto R = B.commit();
    State.PauseTiming();
    if (!R || R->Compiled != 0)
      State.SkipWithError("the cached commit compiled something");
    E.reset();
    State.ResumeTiming();
  }
  llvm::sys::fs::remove_directories(Dir);
  State.counters["modules_per_s"] =
      benchmark::Counter(Modules * State.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Commit1000ModulesCached)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

/// 1000 single-module commits: the price of committing one module at a time.
void BM_Commit1000SingleCommits(benchmark::State &State) {
  for (auto _ : State) {
    State.PauseTiming();
    auto E = engine(0, false, /*Cache=*/false);
    State.ResumeTiming();
    for (int I = 0; I < Modules; ++I)
      if (!E->add("m" + std::to_string(I), ModuleSource::fromIR(smallModule(I))))
        State.SkipWithError("commit failed");
    State.PauseTiming();
    E.reset();
    State.ResumeTiming();
  }
  State.counters["modules_per_s"] =
      benchmark::Counter(Modules * State.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Commit1000SingleCommits)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

/// Latency of replacing one small function at O0 (tier 0) and at O2.
void BM_SwapLatencyByLevel(benchmark::State &State) {
  unsigned Opt = static_cast<unsigned>(State.range(0));
  auto E = engine(0, false, /*Cache=*/false, Opt);
  llvm::cantFail(E->add("m", ModuleSource::fromIR(smallModule(0))));
  int Version = 0;
  for (auto _ : State) {
    // A different constant each time: never a cache hit.
    auto R = E->replace("m", ModuleSource::fromIR(smallModule(0, ++Version)));
    if (!R)
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
  }
  E->waitForReclamation();
}
BENCHMARK(BM_SwapLatencyByLevel)
    ->ArgName("opt")
    ->Arg(0)
    ->Arg(2)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MinTime(1.0);

} // namespace

BENCHMARK_MAIN();
