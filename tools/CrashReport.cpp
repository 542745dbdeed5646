// CrashReport: the GDB JIT interface's list walked for the object holding an address, whose DWARF
// (relocated by the load addresses the engine wrote into its section headers) names the code.
#include "CrashReport.h"

#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderGDB.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <execinfo.h>
#include <ucontext.h>

// Defined and exported by libLLVM (TargetProcess/JITLoaderGDB.cpp).
extern "C" jit_descriptor __jit_debug_descriptor;

namespace hotjit::tool {

std::optional<CodeLocation> locateJitCode(uint64_t Address) {
  // Acquire loads: the engine links entries in with release stores (GdbJitPlugin.cpp) while this
  // runs in a signal handler that cannot take its lock.
  for (jit_code_entry *E = __atomic_load_n(&__jit_debug_descriptor.first_entry, __ATOMIC_ACQUIRE);
       E; E = __atomic_load_n(&E->next_entry, __ATOMIC_ACQUIRE)) {
    llvm::MemoryBufferRef Buffer(llvm::StringRef(E->symfile_addr, E->symfile_size), "jit");
    auto Obj = llvm::object::ObjectFile::createObjectFile(Buffer);
    if (!Obj) {
      llvm::consumeError(Obj.takeError());
      continue;
    }
    for (const llvm::object::SectionRef &S : (*Obj)->sections()) {
      if (!S.isText() || Address < S.getAddress() || Address >= S.getAddress() + S.getSize())
        continue;
      auto Context = llvm::DWARFContext::create(**Obj);
      llvm::DILineInfoSpecifier Spec(llvm::DILineInfoSpecifier::FileLineInfoKind::RelativeFilePath,
                                     llvm::DILineInfoSpecifier::FunctionNameKind::LinkageName);
      llvm::DIInliningInfo Inlined =
          Context->getInliningInfoForAddress({Address, S.getIndex()}, Spec);
      if (!Inlined.getNumberOfFrames())
        return std::nullopt;
      const llvm::DILineInfo &Frame = Inlined.getFrame(0);
      if (Frame.FunctionName == llvm::DILineInfo::BadString)
        return std::nullopt;
      CodeLocation L;
      L.Function = llvm::demangle(Frame.FunctionName);
      L.File = Frame.FileName == llvm::DILineInfo::BadString ? "?" : Frame.FileName;
      L.Line = Frame.Line;
      return L;
    }
  }
  return std::nullopt;
}

namespace {

std::function<void(const CrashReport &)> *CrashCallback;
void *AlternateStack; ///< Of the thread that installed the handler; never freed.
std::atomic<bool> Reporting{false};

const char *signalName(int Signal) {
  switch (Signal) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGILL:
    return "SIGILL";
  case SIGFPE:
    return "SIGFPE";
  default:
    return "signal";
  }
}

std::string describe(uint64_t Address, uint64_t Lookup) {
  if (std::optional<CodeLocation> L = locateJitCode(Lookup))
    return "in " + L->Function + " (" + L->File + ":" + std::to_string(L->Line) + ")";
  char Text[64];
  std::snprintf(Text, sizeof(Text), "at 0x%llx", static_cast<unsigned long long>(Address));
  return Text;
}

extern "C" void onFatalSignal(int Signal, siginfo_t *Info, void *Context) {
  if (Reporting.exchange(true)) {
    // A fault while reporting: the default action, now.
    std::signal(Signal, SIG_DFL);
    return;
  }
  uint64_t Pc = 0;
#if defined(__x86_64__)
  Pc = static_cast<uint64_t>(static_cast<ucontext_t *>(Context)->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
  Pc = static_cast<uint64_t>(static_cast<ucontext_t *>(Context)->uc_mcontext.pc);
#endif
  CrashReport R{Signal, {}, false};
  std::string First = describe(Pc, Pc);
  R.InJitCode = First.starts_with("in ");
  R.Frames.push_back(std::string(signalName(Signal)) + " " + First);
  // The callers: the unwinder steps through the signal frame to the faulting one, whose pc it
  // reports as is; each caller's is a return address, looked up one byte back (the call).
  void *Trace[64];
  int N = ::backtrace(Trace, 64);
  int At = 0;
  while (At < N && reinterpret_cast<uint64_t>(Trace[At]) != Pc)
    ++At;
  for (int I = At + 1; I < N && R.Frames.size() < 16; ++I) {
    uint64_t Return = reinterpret_cast<uint64_t>(Trace[I]);
    std::string Line = describe(Return, Return - 1);
    if (!Line.starts_with("in "))
      break; // Out of the program's code: hotjit's own frames follow.
    R.Frames.push_back("from " + Line.substr(3));
  }
  if (CrashCallback)
    (*CrashCallback)(R);
  // Natively this signal ends the process: so it does here. A fault re-runs the instruction, a
  // signal sent by kill is sent again.
  std::signal(Signal, SIG_DFL);
  if (Info->si_code <= 0)
    ::raise(Signal);
}

} // namespace

void installCrashHandler(std::function<void(const CrashReport &)> OnCrash) {
  CrashCallback = new std::function<void(const CrashReport &)>(std::move(OnCrash));
  // An alternate stack for this thread: a stack overflow's fault needs one to be handled.
  static constexpr size_t AltSize = 256 * 1024;
  stack_t Alt = {};
  Alt.ss_sp = AlternateStack = std::malloc(AltSize);
  Alt.ss_size = AltSize;
  if (Alt.ss_sp)
    ::sigaltstack(&Alt, nullptr);
  struct sigaction SA = {};
  SA.sa_sigaction = onFatalSignal;
  SA.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&SA.sa_mask);
  for (int Signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE})
    ::sigaction(Signal, &SA, nullptr);
}

} // namespace hotjit::tool
