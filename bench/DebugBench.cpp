// The cost of GDB JIT registration against the number of live modules with
// debug info: link time of one replaced module (a cache hit, so no code
// generation) and its reclamation, with debug-info registration on (debug:1)
// and off (debug:0, the baseline). The registration itself is a copy of the
// object, a section-header patch and an O(1) list push; unregistration an O(1)
// unlink, so neither should grow with N. Run: build/<release
// dir>/bench/DebugBench
#include "hotjit/engine/Engine.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

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

/// Two engines with N modules each, debug registration on and off, so that
/// every iteration measures both under the same conditions.
struct World {
  int Live = 0;
  int Next = 0;
  std::unique_ptr<Engine> On, Off;
};

std::unique_ptr<Engine> makeEngine(bool Debug) {
  EngineOptions O;
  O.OptLevel = 0;
  O.CompileInCallingThread = true; // Fewer thread hand-offs: less noise.
  O.ReclaimDelay = std::chrono::microseconds(0);
  O.DebugInfoRegistration = Debug;
  return llvm::cantFail(Engine::create(O));
}

World &worldWith(int N) {
  static std::unique_ptr<World> W;
  if (!W || W->Live > N) {
    W.reset();
    W = std::make_unique<World>();
    W->On = makeEngine(true);
    W->Off = makeEngine(false);
  }
  for (Engine *E : {W->On.get(), W->Off.get()})
    for (int First = W->Live; First < N; First += SetupChunk) {
      Batch B = E->batch();
      for (int K = First; K < std::min(N, First + SetupChunk); ++K)
        B.add("dbg" + std::to_string(K), ModuleSource::fromIR(debugIR(K)));
      llvm::cantFail(B.commit());
    }
  W->Live = N;
  return *W;
}

/// Replaces module K of \p E (an object-cache hit: no code generation),
/// waits for the old version to be freed, and records link and free time.
bool replaceOnce(benchmark::State &State, Engine &E, int K, std::vector<double> &LinkUs,
                 std::vector<double> &FreeUs) {
  EngineStats Before = E.stats();
  auto R = E.replace("dbg" + std::to_string(K), ModuleSource::fromIR(debugIR(K)));
  if (!R) {
    State.SkipWithError(llvm::toString(R.takeError()).c_str());
    return false;
  }
  E.waitForReclamation();
  LinkUs.push_back(std::chrono::duration<double, std::micro>(R->Link).count());
  FreeUs.push_back(
      std::chrono::duration<double, std::micro>(E.stats().FreeTime - Before.FreeTime).count());
  return true;
}

double median(std::vector<double> V) {
  if (V.empty())
    return 0;
  std::nth_element(V.begin(), V.begin() + V.size() / 2, V.end());
  return V[V.size() / 2];
}

void BM_DebugModuleReplace(benchmark::State &State, int N) {
  World &W = worldWith(N);
  std::vector<double> LinkOn, FreeOn, LinkOff, FreeOff;
  for (auto _ : State) {
    int K = W.Next;
    W.Next = (W.Next + 1) % N;
    if (!replaceOnce(State, *W.On, K, LinkOn, FreeOn) ||
        !replaceOnce(State, *W.Off, K, LinkOff, FreeOff))
      break;
    State.SetIterationTime((LinkOn.back() + FreeOn.back()) * 1e-6);
  }
  // Medians: the machine's other load shows up as outliers.
  State.counters["link_on_us"] = median(LinkOn);
  State.counters["link_off_us"] = median(LinkOff);
  State.counters["free_on_us"] = median(FreeOn);
  State.counters["free_off_us"] = median(FreeOff);
  State.counters["registration_us"] = median(LinkOn) - median(LinkOff);
  State.counters["unregistration_us"] = median(FreeOn) - median(FreeOff);
}

} // namespace

int main(int Argc, char **Argv) {
  for (int N : {10, 100, 1000, 10000})
    benchmark::RegisterBenchmark(("BM_DebugModuleReplace/N:" + std::to_string(N)).c_str(),
                                 BM_DebugModuleReplace, N)
        ->UseManualTime()
        ->Iterations(1000)
        ->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
