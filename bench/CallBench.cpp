// Call overhead: direct call, hotjit stub, ORC stub, function pointer.
//
// Measured from JIT code (a JIT loop that calls the callee K times) and from
// the host. The callee is the same one-instruction function everywhere, in a
// module of its own except for the direct baseline (callee in the loop's
// module, noinline), all compiled with IR O2 + O2 codegen:
//  - hotjit: Engine with OptLevel=2; JIT code reaches `callee` by loading its
//    slot and calling what it holds; the host calls its stub (`jmp *slot`).
//  - ORC: a default LLJIT with the same pipeline (OrcPeer.h); `callee` is a
//    JITLinkRedirectableSymbolManager stub in front of `callee.impl`, and the
//    pointer case loads `callee.impl` from a global on every call.
// Counter ns_per_call = wall time / calls over the whole run (loop overhead
// included, the same in every case). Targets: JIT -> JIT, hotjit <= 1.10 x
// direct and <= ORC's stub; host -> JIT through a stub, hotjit <= ORC.
#include "OrcPeer.h"

#include "hotjit/engine/Engine.h"

#include "llvm/ExecutionEngine/Orc/JITLinkRedirectableSymbolManager.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/Support/TargetSelect.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

using namespace hotjit;
using namespace hotjit::bench;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t LoopCalls = 1 << 14; ///< Calls per JIT loop invocation.
constexpr int HostCalls = 1 << 12;     ///< Calls per host benchmark iteration.

const char *CalleeIR = "define i32 @callee(i32 %x) {\n"
                       "  %r = add i32 %x, 1\n  ret i32 %r\n}\n";

/// `define i64 @<Name>(i64 %n)`: sum of Call(i) for i in [0, n), n >= 1.
/// \p Call is IR computing %r (i32) from %t (i32).
std::string loopIR(const std::string &Name, const std::string &Call) {
  return "define i64 @" + Name +
         "(i64 %n) {\n"
         "entry:\n  br label %loop\n"
         "loop:\n  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]\n"
         "  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]\n"
         "  %t = trunc i64 %i to i32\n" +
         Call +
         "  %z = zext i32 %r to i64\n  %s1 = add i64 %s, %z\n"
         "  %i1 = add i64 %i, 1\n  %c = icmp eq i64 %i1, %n\n"
         "  br i1 %c, label %out, label %loop\n"
         "out:\n  ret i64 %s1\n}\n";
}

/// The direct baseline: callee in the loop's module, kept out of line.
std::string directLoopIR(const std::string &Name) {
  return "define internal i32 @local(i32 %x) noinline {\n"
         "  %r = add i32 %x, 1\n  ret i32 %r\n}\n" +
         loopIR(Name, "  %r = call i32 @local(i32 %t)\n");
}

std::string stubLoopIR(const std::string &Name) {
  return "declare i32 @callee(i32)\n" + loopIR(Name, "  %r = call i32 @callee(i32 %t)\n");
}

/// Load + indirect call: the pointer is reloaded every iteration, since the
/// callee may store to it.
std::string pointerLoopIR(const std::string &Name) {
  return "@fp = global ptr null\n" +
         loopIR(Name, "  %f = load ptr, ptr @fp\n  %r = call i32 %f(i32 %t)\n");
}

using LoopFn = int64_t (*)(int64_t);
using CalleeFn = int (*)(int);

/// Both JITs, built once.
struct CallEnv {
  CallEnv() {
    EngineOptions O;
    O.OptLevel = 2;
    Hot = check(Engine::create(O), "Engine::create");
    check(Hot->add("callee", ModuleSource::fromIR(CalleeIR)), "add callee");
    check(Hot->add("loops",
                   ModuleSource::fromIR(directLoopIR("loopDirect") + stubLoopIR("loopStub"))),
          "add loops");
    HotDirect = check(Hot->lookup<int64_t(int64_t)>("loopDirect"), "lookup").address();
    HotStub = check(Hot->lookup<int64_t(int64_t)>("loopStub"), "lookup").address();
    HotCallee = check(Hot->lookup<int(int)>("callee"), "lookup");

    ObjectCompiler C(2);
    auto RSM = check(llvm::orc::JITLinkRedirectableSymbolManager::Create(
                         llvm::cast<llvm::orc::ObjectLinkingLayer>(Orc.J->getObjLinkingLayer())),
                     "JITLinkRedirectableSymbolManager");
    Orc.addObject(C.compile("define i32 @callee.impl(i32 %x) {\n"
                            "  %r = add i32 %x, 1\n  ret i32 %r\n}\n",
                            "impl"));
    auto Impl = Orc.lookup("callee.impl");
    check(RSM->createRedirectableSymbols(
              Orc.JD->getDefaultResourceTracker(),
              {{Orc.J->mangleAndIntern("callee"),
                {Impl, llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable}}}),
          "createRedirectableSymbols");
    Orc.addObject(C.compile(stubLoopIR("loopOrcStub") + pointerLoopIR("loopPointer"), "loops"));
    OrcStub = Orc.lookup("loopOrcStub").toPtr<LoopFn>();
    PointerLoop = Orc.lookup("loopPointer").toPtr<LoopFn>();
    *Orc.lookup("fp").toPtr<void **>() = Impl.toPtr<void *>();
    OrcCallee = Orc.lookup("callee").toPtr<CalleeFn>();
    ImplCallee = Impl.toPtr<CalleeFn>();
    RSMs = std::move(RSM);
  }

  std::unique_ptr<Engine> Hot;
  LoopFn HotDirect = nullptr, HotStub = nullptr;
  Function<int(int)> HotCallee;
  OrcSession Orc;
  std::unique_ptr<llvm::orc::RedirectableSymbolManager> RSMs;
  LoopFn OrcStub = nullptr, PointerLoop = nullptr;
  CalleeFn OrcCallee = nullptr, ImplCallee = nullptr;
};

CallEnv &env() {
  static CallEnv E;
  return E;
}

void setNsPerCall(benchmark::State &State, Clock::time_point T0, double Calls) {
  double Ns = std::chrono::duration<double, std::nano>(Clock::now() - T0).count();
  State.counters["ns_per_call"] = Ns / Calls;
}

enum class JitKind { Direct, HotjitStub, OrcStub, Pointer };

void BM_CallJitToJit(benchmark::State &State, JitKind K) {
  CallEnv &E = env();
  LoopFn Loop = K == JitKind::Direct       ? E.HotDirect
                : K == JitKind::HotjitStub ? E.HotStub
                : K == JitKind::OrcStub    ? E.OrcStub
                                           : E.PointerLoop;
  // The expected sum: sum of (i + 1) for i < LoopCalls.
  const int64_t Expected = LoopCalls * (LoopCalls + 1) / 2;
  // The host calls JIT code that calls through hotjit's stub: pin once.
  EpochGuard Guard(E.Hot->epochs());
  if (Loop(LoopCalls) != Expected)
    return State.SkipWithError("wrong result");
  auto T0 = Clock::now();
  for (auto _ : State)
    benchmark::DoNotOptimize(Loop(LoopCalls));
  setNsPerCall(State, T0, static_cast<double>(State.iterations()) * LoopCalls);
}
BENCHMARK_CAPTURE(BM_CallJitToJit, direct, JitKind::Direct);
BENCHMARK_CAPTURE(BM_CallJitToJit, hotjit_stub, JitKind::HotjitStub);
BENCHMARK_CAPTURE(BM_CallJitToJit, orc_stub, JitKind::OrcStub);
BENCHMARK_CAPTURE(BM_CallJitToJit, fn_pointer, JitKind::Pointer);

[[gnu::noinline]] int hostCallee(int X) {
  asm volatile("");
  return X + 1;
}

// The host loops live in small out-of-line functions so that the sum, the
// counter and the target stay in registers in every case.
[[gnu::noinline]] int callHostDirect() {
  int Sum = 0;
  for (int I = 0; I < HostCalls; ++I)
    Sum += hostCallee(I);
  return Sum;
}

[[gnu::noinline]] int callPointer(CalleeFn Fn) {
  int Sum = 0;
  for (int I = 0; I < HostCalls; ++I)
    Sum += Fn(I);
  return Sum;
}

[[gnu::noinline]] int callHandle(const Function<int(int)> &Fn) {
  int Sum = 0;
  for (int I = 0; I < HostCalls; ++I)
    Sum += Fn(I); // Pins and unpins per call.
  return Sum;
}

enum class HostKind { HostDirect, Pointer, HotjitStub, HotjitHandle, OrcStub };

void BM_CallHostToJit(benchmark::State &State, HostKind K) {
  CallEnv &E = env();
  CalleeFn Fn = K == HostKind::Pointer      ? E.ImplCallee
                : K == HostKind::HotjitStub ? E.HotCallee.address()
                : K == HostKind::OrcStub    ? E.OrcCallee
                                            : nullptr;
  // A raw stub address needs a guard around the calls (Engine.h contract);
  // the handle pins by itself, once per call.
  std::optional<EpochGuard> Guard;
  if (K != HostKind::HostDirect && K != HostKind::HotjitHandle)
    Guard.emplace(E.Hot->epochs());
  auto T0 = Clock::now();
  for (auto _ : State) {
    if (K == HostKind::HostDirect)
      benchmark::DoNotOptimize(callHostDirect());
    else if (K == HostKind::HotjitHandle)
      benchmark::DoNotOptimize(callHandle(E.HotCallee));
    else
      benchmark::DoNotOptimize(callPointer(Fn));
  }
  setNsPerCall(State, T0, static_cast<double>(State.iterations()) * HostCalls);
}
BENCHMARK_CAPTURE(BM_CallHostToJit, host_direct, HostKind::HostDirect);
BENCHMARK_CAPTURE(BM_CallHostToJit, fn_pointer, HostKind::Pointer);
BENCHMARK_CAPTURE(BM_CallHostToJit, hotjit_stub, HostKind::HotjitStub);
BENCHMARK_CAPTURE(BM_CallHostToJit, hotjit_handle, HostKind::HotjitHandle);
BENCHMARK_CAPTURE(BM_CallHostToJit, orc_stub, HostKind::OrcStub);

} // namespace

int main(int Argc, char **Argv) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::InitializeNativeTargetAsmParser();
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
