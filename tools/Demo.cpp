// `hotjit demo`: caller threads on every core while a writer hot-swaps built-in JIT functions.
#include "CommandLine.h"

#include "hotjit/engine/Engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace hotjit::tool {

namespace {

using Clock = std::chrono::steady_clock;

struct DemoOptions {
  double Seconds = 10;
  int Threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  int Functions = 8;
  unsigned Opt = 1;
  bool Json = false;
};

/// Each version of fn<I> returns I * Scale + Version: a caller can tell which
/// function and which version answered.
constexpr int64_t Scale = 1'000'000'000;

std::string functionIR(int I, int64_t Version) {
  std::string Name = "fn" + std::to_string(I);
  return "define i64 @" + Name +
         "(i64 %x) {\n"
         "  %t = mul i64 %x, 0\n"
         "  %r = add i64 %t, " +
         std::to_string(I * Scale + Version) +
         "\n"
         "  ret i64 %r\n}\n";
}

/// dispatch(sel) calls fn<sel> through its stub: JIT -> JIT across modules.
std::string dispatchIR(int N) {
  std::string S;
  for (int I = 0; I < N; ++I)
    S += "declare i64 @fn" + std::to_string(I) + "(i64)\n";
  S += "define i64 @dispatch(i64 %sel) {\nentry:\n  switch i64 %sel, label %out [\n";
  for (int I = 0; I < N; ++I)
    S += "    i64 " + std::to_string(I) + ", label %c" + std::to_string(I) + "\n";
  S += "  ]\n";
  for (int I = 0; I < N; ++I)
    S += "c" + std::to_string(I) + ":\n  %r" + std::to_string(I) + " = call i64 @fn" +
         std::to_string(I) + "(i64 %sel)\n  ret i64 %r" + std::to_string(I) + "\n";
  S += "out:\n  ret i64 -1\n}\n";
  return S;
}

double percentile(std::vector<double> V, double P) {
  if (V.empty())
    return 0;
  size_t K = static_cast<size_t>(P * (V.size() - 1));
  std::nth_element(V.begin(), V.begin() + K, V.end());
  return V[K];
}

int runDemo(const DemoOptions &O) {
  EngineOptions EO;
  EO.OptLevel = O.Opt;
  auto EngOrErr = Engine::create(EO);
  if (!EngOrErr) {
    printError(EngOrErr.takeError());
    return ExitFailure;
  }
  Engine &Eng = **EngOrErr;
  std::vector<std::atomic<int64_t>> Announced(O.Functions);
  Batch Initial = Eng.batch();
  for (int I = 0; I < O.Functions; ++I) {
    Announced[I] = 1;
    Initial.add("fn" + std::to_string(I), ModuleSource::fromIR(functionIR(I, 1)));
  }
  Initial.add("dispatch", ModuleSource::fromIR(dispatchIR(O.Functions)));
  if (auto R = Initial.commit(); !R) {
    printError(R.takeError());
    return ExitFailure;
  }
  auto Dispatch = Eng.lookup<int64_t(int64_t)>("dispatch");
  if (!Dispatch) {
    printError(Dispatch.takeError());
    return ExitFailure;
  }

  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Calls{0}, Violations{0};
  std::vector<std::thread> Callers;
  for (int T = 0; T < O.Threads; ++T)
    Callers.emplace_back([&, T] {
      std::vector<int64_t> Last(O.Functions, 0);
      int Sel = T % O.Functions;
      while (!Stop.load(std::memory_order_relaxed)) {
        for (int K = 0; K < 256; ++K) {
          int64_t R = (*Dispatch)(Sel);
          int64_t Version = R - Sel * Scale;
          int64_t Max = Announced[Sel].load(std::memory_order_acquire);
          if (Version < Last[Sel] || Version > Max || Version < 1)
            Violations.fetch_add(1, std::memory_order_relaxed);
          Last[Sel] = Version;
          Sel = Sel + 1 == O.Functions ? 0 : Sel + 1;
        }
        Calls.fetch_add(256, std::memory_order_relaxed);
      }
    });

  bool Tty = ::isatty(STDOUT_FILENO);
  std::mt19937_64 Rng(42);
  std::vector<double> LatencyUs;
  uint64_t Failures = 0;
  auto Start = Clock::now(), LastPrint = Start;
  uint64_t LastCalls = 0;
  auto Deadline = Start + std::chrono::duration<double>(O.Seconds);
  while (Clock::now() < Deadline) {
    int I = static_cast<int>(Rng() % O.Functions);
    int64_t V = Announced[I].load() + 1;
    Announced[I].store(V, std::memory_order_release);
    auto T0 = Clock::now();
    auto R = Eng.replace("fn" + std::to_string(I), ModuleSource::fromIR(functionIR(I, V)));
    auto T1 = Clock::now();
    if (!R) {
      ++Failures;
      printError(R.takeError(), "swap failed: ");
      continue;
    }
    LatencyUs.push_back(std::chrono::duration<double, std::micro>(T1 - T0).count());
    auto Now = Clock::now();
    auto Interval = Tty ? std::chrono::milliseconds(250) : std::chrono::milliseconds(1000);
    if (!O.Json && Now - LastPrint >= Interval) {
      uint64_t C = Calls.load();
      double Rate = (C - LastCalls) / std::chrono::duration<double>(Now - LastPrint).count();
      EngineStats S = Eng.stats();
      std::vector<double> Recent(LatencyUs.end() - std::min<size_t>(LatencyUs.size(), 512),
                                 LatencyUs.end());
      std::printf("%s%6.1fs  calls/s %9.3gM  swaps %7zu  swap p50 %7.0f us  p99 %7.0f us  "
                  "retired %6llu  freed %6llu%s",
                  Tty ? "\r" : "", std::chrono::duration<double>(Now - Start).count(), Rate / 1e6,
                  LatencyUs.size(), percentile(Recent, 0.5), percentile(Recent, 0.99),
                  (unsigned long long)S.VersionsRetired, (unsigned long long)S.VersionsFreed,
                  Tty ? "" : "\n");
      std::fflush(stdout);
      LastPrint = Now;
      LastCalls = C;
    }
  }
  Stop = true;
  for (auto &T : Callers)
    T.join();
  double Elapsed = std::chrono::duration<double>(Clock::now() - Start).count();
  Eng.waitForReclamation();
  EngineStats S = Eng.stats();
  uint64_t C = Calls.load(), Bad = Violations.load();
  double P50 = percentile(LatencyUs, 0.5), P99 = percentile(LatencyUs, 0.99);
  if (O.Json) {
    std::printf("{\"seconds\": %.2f, \"threads\": %d, \"functions\": %d, \"calls\": %llu, "
                "\"calls_per_second\": %.0f, \"swaps\": %zu, \"failed_swaps\": %llu, "
                "\"swap_p50_us\": %.1f, \"swap_p99_us\": %.1f, \"versions_retired\": %llu, "
                "\"versions_freed\": %llu, \"violations\": %llu, \"ok\": %s}\n",
                Elapsed, O.Threads, O.Functions, (unsigned long long)C, C / Elapsed,
                LatencyUs.size(), (unsigned long long)Failures, P50, P99,
                (unsigned long long)S.VersionsRetired, (unsigned long long)S.VersionsFreed,
                (unsigned long long)Bad, Bad == 0 && Failures == 0 ? "true" : "false");
  } else {
    if (Tty)
      std::printf("\n");
    std::printf("hotjit demo: %.1f s, %d caller threads, %d functions\n"
                "  calls           %llu (%.1f M/s)\n"
                "  swaps           %zu (failed %llu)\n"
                "  swap latency    p50 %.0f us, p99 %.0f us (commit -> published)\n"
                "  versions        retired %llu, freed %llu\n"
                "  check           %s\n",
                Elapsed, O.Threads, O.Functions, (unsigned long long)C, C / Elapsed / 1e6,
                LatencyUs.size(), (unsigned long long)Failures, P50, P99,
                (unsigned long long)S.VersionsRetired, (unsigned long long)S.VersionsFreed,
                Bad == 0 ? "every result came from a published version, never older than "
                           "one already seen"
                         : "FAILED: results from unpublished or older versions");
  }
  return Bad == 0 && Failures == 0 ? ExitOk : ExitFailure;
}

} // namespace

int demoCommand(int Argc, char **Argv) {
  DemoOptions O;
  for (Arguments Args(Argc, Argv, 2); !Args.done();) {
    std::string A = Args.next();
    if (A == "--seconds")
      O.Seconds = Args.number(A, 0.1, 86400, false);
    else if (A == "--threads")
      O.Threads = static_cast<int>(Args.number(A, 1, 256, true));
    else if (A == "--functions")
      O.Functions = static_cast<int>(Args.number(A, 1, 10000, true));
    else if (A == "--opt")
      O.Opt = static_cast<unsigned>(Args.number(A, 0, 3, true));
    else if (A == "--json")
      O.Json = true;
    else if (A == "-h" || A == "--help") {
      std::fputs(Usage, stdout);
      return ExitOk;
    } else
      usageError("unknown demo option '" + A + "'");
  }
  return runDemo(O);
}

} // namespace hotjit::tool
