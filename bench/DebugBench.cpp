// The cost of GDB JIT registration against the number of live modules with
// debug info: link time of one replaced module (a cache hit, so no code
// generation) and its reclamation, with debug-info registration on (debug:1)
// and off (debug:0, the baseline). The registration itself is a copy of the
// object, a section-header patch and an O(1) list push; unregistration an O(1)
// unlink, so neither should grow with N. Run: build/<release
// dir>/bench/DebugBench
#include "hotjit/engine/Engine.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>

using namespace hotjit;

namespace {

constexpr int SetupChunk = 500;

/// A module with DWARF for one function, as clang -g emits it.
std::string debugIR(int K) {
  std::string F = "dbgfill" + std::to_string(K);
  return "define i32 @" + F +
         "(i32 %x) !dbg !5 {\n"
         "  %r = add i32 %x, " +
         std::to_string(K) +
         ", !dbg !8\n"
         "  ret i32 %r, !dbg !8\n}\n"
         "!llvm.dbg.cu = !{!0}\n!llvm.module.flags = !{!3, !4}\n"
         "!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, "
         "producer: \"bench\", "
         "isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug)\n"
         "!1 = !DIFile(filename: \"" +
         F +
         ".c\", directory: \"/tmp\")\n"
         "!3 = !{i32 7, !\"Dwarf Version\", i32 5}\n"
         "!4 = !{i32 2, !\"Debug Info Version\", i32 3}\n"
         "!5 = distinct !DISubprogram(name: \"" +
         F +
         "\", scope: !1, file: !1, line: 1, "
         "type: !6, scopeLine: 1, spFlags: DISPFlagDefinition, unit: !0)\n"
         "!6 = !DISubroutineType(types: !7)\n!7 = !{}\n"
         "!8 = !DILocation(line: 2, column: 3, scope: !5)\n";
}

struct World {
  bool Debug = false;
  int Live = 0;
  int Next = 0;
  std::unique_ptr<Engine> Eng;
};

World &worldWith(bool Debug, int N) {
  static std::unique_ptr<World> W;
  if (!W || W->Debug != Debug || W->Live > N) {
    W.reset();
    W = std::make_unique<World>();
    W->Debug = Debug;
    EngineOptions O;
    O.OptLevel = 0;
    O.CompileThreads = 2;
    O.ReclaimDelay = std::chrono::microseconds(0);
    O.DebugInfoRegistration = Debug;
    W->Eng = llvm::cantFail(Engine::create(O));
  }
  for (int First = W->Live; First < N; First += SetupChunk) {
    Batch B = W->Eng->batch();
    for (int K = First; K < std::min(N, First + SetupChunk); ++K)
      B.add("dbg" + std::to_string(K), ModuleSource::fromIR(debugIR(K)));
    llvm::cantFail(B.commit());
  }
  W->Live = N;
  return *W;
}

void BM_DebugModuleReplace(benchmark::State &State, bool Debug, int N) {
  World &W = worldWith(Debug, N);
  Engine &E = *W.Eng;
  EngineStats Prev = E.stats();
  double LinkUs = 0, FreeUs = 0;
  for (auto _ : State) {
    int K = W.Next;
    W.Next = (W.Next + 1) % N;
    auto R =
        E.replace("dbg" + std::to_string(K), ModuleSource::fromIR(debugIR(K)));
    if (!R) {
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
      break;
    }
    E.waitForReclamation();
    EngineStats Now = E.stats();
    double Link = std::chrono::duration<double>(R->Link).count();
    double Free =
        std::chrono::duration<double>(Now.FreeTime - Prev.FreeTime).count();
    State.SetIterationTime(Link + Free);
    LinkUs += Link * 1e6;
    FreeUs += Free * 1e6;
    Prev = Now;
  }
  double Iters = static_cast<double>(std::max<int64_t>(1, State.iterations()));
  State.counters["link_us"] = LinkUs / Iters;
  State.counters["free_us"] = FreeUs / Iters;
  State.counters["live_modules"] = static_cast<double>(E.stats().LiveModules);
}

} // namespace

int main(int Argc, char **Argv) {
  for (int Debug : {1, 0})
    for (int N : {10, 100, 1000, 10000})
      benchmark::RegisterBenchmark(
          ("BM_DebugModuleReplace/debug:" + std::to_string(Debug) +
           "/N:" + std::to_string(N))
              .c_str(),
          BM_DebugModuleReplace, Debug != 0, N)
          ->UseManualTime()
          ->Iterations(300)
          ->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
