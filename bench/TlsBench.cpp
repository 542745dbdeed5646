// Thread-local access from JIT code (emulated TLS: a call to libgcc's __emutls_get_address)
// against a plain global in JIT code and a native thread_local in the host.
//
// Each case calls a one-access function K times from a JIT loop (host loop for the native case),
// so call overhead is the same in every case: the differences are the cost of the access.
// Counter ns_per_access = wall time / accesses. All JIT code at IR O2 + O2 codegen.
#include "hotjit/engine/Engine.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace hotjit;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t Accesses = 1 << 16;

const char *BumpIR = R"(
@tls_counter = thread_local global i64 0
@plain_counter = global i64 0
define i64 @tls_bump() {
  %p = call ptr @llvm.threadlocal.address.p0(ptr @tls_counter)
  %v = load i64, ptr %p
  %v1 = add i64 %v, 1
  store i64 %v1, ptr %p
  ret i64 %v1
}
define i64 @plain_bump() {
  %v = load i64, ptr @plain_counter
  %v1 = add i64 %v, 1
  store i64 %v1, ptr @plain_counter
  ret i64 %v1
}
declare ptr @llvm.threadlocal.address.p0(ptr)
)";

/// `i64 @<Name>_loop(i64 %n)`: calls @<Name> n times (through its stub).
std::string loopIR(const std::string &Name) {
  return "declare i64 @" + Name + "()\n" + "define i64 @" + Name +
         "_loop(i64 %n) {\n"
         "entry:\n  br label %loop\n"
         "loop:\n  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]\n"
         "  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]\n"
         "  %r = call i64 @" +
         Name +
         "()\n"
         "  %s1 = add i64 %s, %r\n  %i1 = add i64 %i, 1\n"
         "  %c = icmp eq i64 %i1, %n\n  br i1 %c, label %out, label %loop\n"
         "out:\n  ret i64 %s1\n}\n";
}

template <typename T> T check(llvm::Expected<T> V, const char *What) {
  if (!V) {
    std::fprintf(stderr, "TlsBench: %s: %s\n", What, llvm::toString(V.takeError()).c_str());
    std::exit(1);
  }
  return std::move(*V);
}

struct Env {
  Env() {
    EngineOptions O;
    O.OptLevel = 2;
    Eng = check(Engine::create(O), "Engine::create");
    check(Eng->batch()
              .add("bump", ModuleSource::fromIR(BumpIR))
              .add("tls_loop", ModuleSource::fromIR(loopIR("tls_bump")))
              .add("plain_loop", ModuleSource::fromIR(loopIR("plain_bump")))
              .commit(),
          "commit");
  }
  std::unique_ptr<Engine> Eng;
};

Env &env() {
  static Env E;
  return E;
}

thread_local int64_t NativeCounter = 0;
__attribute__((noinline)) int64_t nativeBump() { return ++NativeCounter; }

void run(benchmark::State &State, const char *Loop) {
  auto F = check(env().Eng->lookup<int64_t(int64_t)>(Loop), "lookup");
  int64_t N = 0;
  auto T0 = Clock::now();
  for (auto _ : State) {
    benchmark::DoNotOptimize(F(Accesses));
    N += Accesses;
  }
  State.counters["ns_per_access"] =
      std::chrono::duration<double, std::nano>(Clock::now() - T0).count() / double(N);
}

void BM_JitThreadLocal(benchmark::State &State) { run(State, "tls_bump_loop"); }
void BM_JitPlainGlobal(benchmark::State &State) { run(State, "plain_bump_loop"); }
void BM_NativeThreadLocal(benchmark::State &State) {
  int64_t N = 0;
  auto T0 = Clock::now();
  for (auto _ : State) {
    int64_t S = 0;
    for (int64_t I = 0; I < Accesses; ++I)
      S += nativeBump();
    benchmark::DoNotOptimize(S);
    N += Accesses;
  }
  State.counters["ns_per_access"] =
      std::chrono::duration<double, std::nano>(Clock::now() - T0).count() / double(N);
}

BENCHMARK(BM_JitThreadLocal);
BENCHMARK(BM_JitPlainGlobal);
BENCHMARK(BM_NativeThreadLocal);

} // namespace

BENCHMARK_MAIN();
