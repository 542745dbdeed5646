// A small hotjit host that the debugger and profiler tests run under gdb and
// perf.
//   gdb <v1.ll> <v2.ll>      calls dbg_scale(4) from v1, swaps in v2, calls it
//                            again, reclaims, prints the GDB JIT entries
//   swap <v1.ll> <v2.ll> <n> replaces dbg_scale n times, alternating v2 and
//                            v1, and calls it once after each swap
//   perf <milliseconds>      spins in a JIT function with the perf map on
#include "hotjit/engine/Engine.h"

#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderGDB.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

using namespace hotjit;

extern "C" jit_descriptor __jit_debug_descriptor;

namespace {

int fail(llvm::Error E) {
  std::fprintf(stderr, "error: %s\n", llvm::toString(std::move(E)).c_str());
  return 1;
}

int debugged(const char *V1, const char *V2) {
  EngineOptions O;
  O.OptLevel = 0;
  O.CompileThreads = 1;
  O.ReclaimDelay = std::chrono::microseconds(0);
  // gdb holds the pinned main thread at each breakpoint; a stack check's signal arriving
  // there makes gdb stop for it, or report the breakpoint hit twice.
  O.StackCheckAfter = std::chrono::microseconds(0);
  auto E = Engine::create(O);
  if (!E)
    return fail(E.takeError());
  Engine &Eng = **E;
  if (auto R = Eng.add("dbg", ModuleSource::fromFile(V1)); !R)
    return fail(R.takeError());
  auto Scale = Eng.lookup<int(int)>("dbg_scale");
  if (!Scale)
    return fail(Scale.takeError());
  std::printf("v1 result: %d\n", (*Scale)(4));
  if (auto R = Eng.replace("dbg", ModuleSource::fromFile(V2)); !R)
    return fail(R.takeError());
  std::printf("v2 result: %d\n", (*Scale)(4));
  Eng.waitForReclamation();
  int Entries = 0;
  for (jit_code_entry *J = __jit_debug_descriptor.first_entry; J; J = J->next_entry)
    ++Entries;
  std::printf("jit entries after reclamation: %d\n", Entries);
  std::fflush(stdout);
  return 0;
}

int swapped(const char *V1, const char *V2, int Swaps) {
  EngineOptions O;
  O.OptLevel = 0;
  O.CompileThreads = 1;
  O.ReclaimDelay = std::chrono::microseconds(0);
  // gdb holds the pinned main thread at each breakpoint; a stack check's signal arriving
  // there makes gdb stop for it, or report the breakpoint hit twice.
  O.StackCheckAfter = std::chrono::microseconds(0);
  auto E = Engine::create(O);
  if (!E)
    return fail(E.takeError());
  Engine &Eng = **E;
  if (auto R = Eng.add("dbg", ModuleSource::fromFile(V1)); !R)
    return fail(R.takeError());
  auto Scale = Eng.lookup<int(int)>("dbg_scale");
  if (!Scale)
    return fail(Scale.takeError());
  long Sum = 0;
  for (int I = 0; I < Swaps; ++I) {
    const char *Next = I % 2 ? V1 : V2;
    if (auto R = Eng.replace("dbg", ModuleSource::fromFile(Next)); !R)
      return fail(R.takeError());
    Sum += (*Scale)(4);
  }
  std::printf("swapped calls: %d sum: %ld\n", Swaps, Sum);
  std::fflush(stdout);
  return 0;
}

int profiled(int Millis) {
  EngineOptions O;
  O.OptLevel = 0;
  O.PerfMap = true;
  auto E = Engine::create(O);
  if (!E)
    return fail(E.takeError());
  Engine &Eng = **E;
  if (auto R = Eng.add("hot", ModuleSource::fromIR(R"(
define i64 @hot_spin(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i64 [ 0, %entry ], [ %acc1, %loop ]
  %m = mul i64 %i, 2654435761
  %acc1 = xor i64 %acc, %m
  %i1 = add i64 %i, 1
  %done = icmp eq i64 %i1, %n
  br i1 %done, label %out, label %loop
out:
  ret i64 %acc1
}
)"));
      !R)
    return fail(R.takeError());
  auto Spin = Eng.lookup<int64_t(int64_t)>("hot_spin");
  if (!Spin)
    return fail(Spin.takeError());
  auto End = std::chrono::steady_clock::now() + std::chrono::milliseconds(Millis);
  int64_t Sum = 0;
  while (std::chrono::steady_clock::now() < End)
    Sum += (*Spin)(1 << 20);
  std::printf("pid %d sum %lld\n", static_cast<int>(::getpid()), static_cast<long long>(Sum));
  return 0;
}

} // namespace

int main(int Argc, char **Argv) {
  if (Argc == 4 && !std::strcmp(Argv[1], "gdb"))
    return debugged(Argv[2], Argv[3]);
  if (Argc == 5 && !std::strcmp(Argv[1], "swap"))
    return swapped(Argv[2], Argv[3], std::atoi(Argv[4]));
  if (Argc == 3 && !std::strcmp(Argv[1], "perf"))
    return profiled(std::atoi(Argv[2]));
  std::fprintf(stderr,
               "usage: %s gdb <v1.ll> <v2.ll> | swap <v1.ll> <v2.ll> <n> | "
               "perf <milliseconds>\n",
               Argv[0]);
  return 2;
}
