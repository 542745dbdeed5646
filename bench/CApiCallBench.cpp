// Call overhead through the C API (libhotjit.so, hotjit/hotjit.h), as a C host
// calls JIT code.
//
// Its own process, linked to libhotjit.so only (no static hotjit): the shared
// library is what a C host uses, with its PLT calls and general-dynamic
// thread-locals. The callee is CallBench's one-instruction function at O2.
// Cases, each a host loop of HostCalls calls:
//  - stub: the stub called directly inside one hotjit_enter()/hotjit_exit()
//  around the whole
//    loop (what a host that batches calls under one pin pays);
//  - guard_per_call: hotjit_enter(); f(i); hotjit_exit() for every call (a C
//  host's equivalent
//    of calling a C++ hotjit::Function);
//  - qsbr_per_call: f(i); hotjit_quiescent() for every call, on an online QSBR
//  thread.
// Counter ns_per_call = wall time / calls. Compare guard_per_call with stub in
// the same run.
#include "hotjit/hotjit.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using Clock = std::chrono::steady_clock;
using CalleeFn = int (*)(int);
constexpr int HostCalls = 1 << 12;

const char *CalleeIR = "define i32 @callee(i32 %x) {\n"
                       "  %r = add i32 %x, 1\n  ret i32 %r\n}\n";

void orDie(hotjit_error *Err, const char *What) {
  if (!Err)
    return;
  std::fprintf(stderr, "%s: %s\n", What, hotjit_error_message(Err));
  std::exit(1);
}

struct Env {
  Env() {
    hotjit_engine_options O;
    hotjit_engine_options_init(&O);
    O.opt_level = 2;
    orDie(hotjit_engine_create(&O, &E), "create");
    hotjit_batch *B = hotjit_batch_create(E);
    orDie(hotjit_batch_add(B, "callee", HOTJIT_SOURCE_IR_TEXT, CalleeIR, std::strlen(CalleeIR)),
          "add");
    orDie(hotjit_batch_commit(B, nullptr), "commit");
    void *P = nullptr;
    orDie(hotjit_lookup(E, "callee", "i32 (i32)", &P), "lookup");
    Callee = reinterpret_cast<CalleeFn>(P);
  }
  hotjit_engine *E = nullptr;
  CalleeFn Callee = nullptr;
};

Env &env() {
  static Env E;
  return E;
}

[[gnu::noinline]] int callStub(CalleeFn Fn) {
  int Sum = 0;
  for (int I = 0; I < HostCalls; ++I)
    Sum += Fn(I);
  return Sum;
}

[[gnu::noinline]] int callGuarded(hotjit_engine *E, CalleeFn Fn) {
  int Sum = 0;
  for (int I = 0; I < HostCalls; ++I) {
    hotjit_enter(E);
    Sum += Fn(I);
    hotjit_exit(E);
  }
  return Sum;
}

[[gnu::noinline]] int callQsbr(hotjit_engine *E, CalleeFn Fn) {
  int Sum = 0;
  for (int I = 0; I < HostCalls; ++I) {
    Sum += Fn(I);
    hotjit_quiescent(E);
  }
  return Sum;
}

enum class Kind { Stub, GuardPerCall, QsbrPerCall };

void BM_CApiCall(benchmark::State &State, Kind K) {
  Env &V = env();
  if (K == Kind::Stub)
    hotjit_enter(V.E);
  if (K == Kind::QsbrPerCall)
    hotjit_online(V.E);
  auto T0 = Clock::now();
  for (auto _ : State) {
    if (K == Kind::Stub)
      benchmark::DoNotOptimize(callStub(V.Callee));
    else if (K == Kind::GuardPerCall)
      benchmark::DoNotOptimize(callGuarded(V.E, V.Callee));
    else
      benchmark::DoNotOptimize(callQsbr(V.E, V.Callee));
  }
  State.counters["ns_per_call"] =
      std::chrono::duration<double, std::nano>(Clock::now() - T0).count() /
      (static_cast<double>(State.iterations()) * HostCalls);
  if (K == Kind::Stub)
    hotjit_exit(V.E);
  if (K == Kind::QsbrPerCall)
    hotjit_offline(V.E);
}
BENCHMARK_CAPTURE(BM_CApiCall, stub, Kind::Stub);
BENCHMARK_CAPTURE(BM_CApiCall, guard_per_call, Kind::GuardPerCall);
BENCHMARK_CAPTURE(BM_CApiCall, qsbr_per_call, Kind::QsbrPerCall);

} // namespace

BENCHMARK_MAIN();
