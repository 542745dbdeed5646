// C++ throw cost and module reclamation against the number of live JIT modules,
// with eh-frames in hotjit's unwind index (index:1) or in libgcc's registry
// (index:0, the baseline).
//
// N filler modules are live, each `uwtable` (as clang marks every C and C++
// function on x86-64 Linux), so each has an .eh_frame; two more modules form a
// call chain jit_outer -> jit_inner -> host, where the host throws.
//  - BM_ThrowHostOnly: throw + catch in host code (libgcc 12 walks every
//  registered object).
//  - BM_ThrowThroughJit: host -> jit_outer -> jit_inner -> host throw, caught
//  by the host through a
//    Function<> handle: two JIT frames of two modules to unwind.
//  - BM_ReclaimOneModule: replace a module registered early (the same code
//  again: a cache hit),
//    wait for reclamation, and time ResourceTracker::remove
//    (EngineStats::FreeTime: code, eh-frame and registrations). Targets
//    (DESIGN.md §4): throw at N=10000 <= 2 x N=10; reclaim flat in N.
// Run: build/<release dir>/bench/ThrowBench (about a minute: 2 x 10000 modules
// are compiled).
#include "hotjit/engine/Engine.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>

using namespace hotjit;

namespace {

constexpr int SetupChunk = 500; // Modules per setup commit (bounded lookups).

std::string fillerIR(int K) {
  return "define i32 @fill" + std::to_string(K) + "(i32 %x) #0 {\n  %r = add i32 %x, " +
         std::to_string(K) + "\n  ret i32 %r\n}\nattributes #0 = { uwtable }\n";
}

const char *InnerIR = R"(
declare i32 @bench_host_throw(i32)
define i32 @jit_inner(i32 %x) #0 {
  %r = call i32 @bench_host_throw(i32 %x)
  %s = add i32 %r, 1
  ret i32 %s
}
attributes #0 = { uwtable }
)";

const char *OuterIR = R"(
declare i32 @jit_inner(i32)
define i32 @jit_outer(i32 %x) #0 {
  %r = call i32 @jit_inner(i32 %x)
  %s = add i32 %r, 2
  ret i32 %s
}
attributes #0 = { uwtable }
)";

[[gnu::noinline]] void hostThrow(int X) { throw X; }

extern "C" int benchHostThrow(int X) {
  hostThrow(X);
  return X;
}

/// One engine at a time, grown to N filler modules (benchmarks run with N
/// ascending per mode), so the other mode's registrations never interfere.
struct World {
  bool Index = false;
  int Fillers = 0;
  int NextEarly = 0; ///< Next filler (registered at set-up) to reclaim.
  std::unique_ptr<Engine> Eng;
  Function<int(int)> Outer;
};

World &worldWith(bool Index, int N) {
  static std::unique_ptr<World> W;
  if (!W || W->Index != Index || W->Fillers > N) {
    W.reset(); // Frees the previous engine's modules first.
    W = std::make_unique<World>();
    W->Index = Index;
    EngineOptions O;
    O.OptLevel = 0;
    O.CompileThreads = 2;
    O.ReclaimDelay = std::chrono::microseconds(0);
    O.UnwindIndex = Index;
    W->Eng = llvm::cantFail(Engine::create(O));
    llvm::cantFail(
        W->Eng->addHostSymbol("bench_host_throw", reinterpret_cast<const void *>(&benchHostThrow)));
    llvm::cantFail(W->Eng->batch()
                       .add("inner", ModuleSource::fromIR(InnerIR))
                       .add("outer", ModuleSource::fromIR(OuterIR))
                       .commit());
    W->Outer = llvm::cantFail(W->Eng->lookup<int(int)>("jit_outer"));
  }
  for (int First = W->Fillers; First < N; First += SetupChunk) {
    Batch B = W->Eng->batch();
    for (int K = First; K < std::min(N, First + SetupChunk); ++K)
      B.add("fill" + std::to_string(K), ModuleSource::fromIR(fillerIR(K)));
    llvm::cantFail(B.commit());
  }
  W->Fillers = N;
  return *W;
}

void report(benchmark::State &State, World &W) {
  EngineStats S = W.Eng->stats();
  State.counters["live_modules"] = static_cast<double>(S.LiveModules);
  State.counters["unwind_index"] = S.UnwindIndex;
}

void BM_ThrowHostOnly(benchmark::State &State, bool Index, int N) {
  World &W = worldWith(Index, N);
  int Caught = 0;
  for (auto _ : State) {
    try {
      hostThrow(1);
    } catch (int E) {
      Caught += E;
    }
  }
  benchmark::DoNotOptimize(Caught);
  report(State, W);
}

void BM_ThrowThroughJit(benchmark::State &State, bool Index, int N) {
  World &W = worldWith(Index, N);
  int Caught = 0;
  for (auto _ : State) {
    try {
      benchmark::DoNotOptimize(W.Outer(1));
    } catch (int E) {
      Caught += E;
    }
  }
  if (Caught != static_cast<int>(State.iterations()))
    State.SkipWithError("a throw through JIT frames was not caught");
  report(State, W);
}

void BM_ReclaimOneModule(benchmark::State &State, bool Index, int N) {
  World &W = worldWith(Index, N);
  Engine &E = *W.Eng;
  EngineStats Prev = E.stats();
  for (auto _ : State) {
    int K = W.NextEarly;
    W.NextEarly = (W.NextEarly + 1) % N;
    auto R = E.replace("fill" + std::to_string(K), ModuleSource::fromIR(fillerIR(K)));
    if (!R) {
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
      break;
    }
    E.waitForReclamation();
    EngineStats Now = E.stats();
    if (Now.VersionsFreed != Prev.VersionsFreed + 1) {
      State.SkipWithError("expected exactly one version freed");
      break;
    }
    State.SetIterationTime(std::chrono::duration<double>(Now.FreeTime - Prev.FreeTime).count());
    Prev = Now;
  }
  report(State, W);
}

} // namespace

int main(int Argc, char **Argv) {
  // Registered by hand so that each mode runs with N ascending on one engine.
  for (int Index : {1, 0})
    for (int N : {10, 100, 1000, 10000}) {
      auto Name = [&](const char *Base) {
        return std::string(Base) + "/index:" + std::to_string(Index) + "/N:" + std::to_string(N);
      };
      benchmark::RegisterBenchmark(Name("BM_ThrowHostOnly").c_str(), BM_ThrowHostOnly, Index != 0,
                                   N);
      benchmark::RegisterBenchmark(Name("BM_ThrowThroughJit").c_str(), BM_ThrowThroughJit,
                                   Index != 0, N);
      benchmark::RegisterBenchmark(Name("BM_ReclaimOneModule").c_str(), BM_ReclaimOneModule,
                                   Index != 0, N)
          ->UseManualTime()
          ->Iterations(200)
          ->Unit(benchmark::kMicrosecond);
    }
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
