// Signal handlers of JIT code, run pinned (see SignalHandlers.h for the protocol).
#include "runtime/SignalHandlers.h"

#include "Mutations.h"

#include "hotjit/concurrency/AsyncSignalBlockScope.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <sched.h>
#include <signal.h>
#include <thread>

namespace hotjit::runtime {
namespace {

using SignalHandlerFn = void (*)(int);
using SigInfoHandlerFn = void (*)(int, siginfo_t *, void *);

/// Set in a recorded word when the handler takes (int, siginfo_t *, void *).
constexpr uint64_t SigInfoBit = uint64_t(1) << 63;

/// The handler JIT code installed for each signal (address | SigInfoBit), 0 when none was.
/// Written under InstallLock; read by the trampoline.
std::atomic<uint64_t> Installed[NSIG];

std::atomic_flag InstallLock = ATOMIC_FLAG_INIT;

/// One registered domain, or a free node. Nodes are never freed.
struct DomainNode {
  std::atomic<EpochDomain *> Domain{nullptr};
  /// Handlers between their look at Domain and the end of their pin.
  std::atomic<uint32_t> Handlers{0};
  std::atomic<DomainNode *> Next{nullptr};
};

/// Pushed at the front under RegistryLock, published with release.
std::atomic<DomainNode *> Domains{nullptr};
std::mutex RegistryLock;

/// How long a handler waits for a free signal record of a domain.
constexpr int64_t ClaimPatienceNs = 10'000'000;

int64_t monotonicNs() {
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T); // Async-signal-safe.
  return int64_t(T.tv_sec) * 1'000'000'000 + T.tv_nsec;
}

/// A signal record of \p D, or null after ClaimPatienceNs without one.
detail::EpochThreadRecord *pinFromHandler(EpochDomain &D) {
  if (detail::EpochThreadRecord *R = D.enterFromSignalHandler())
    return R;
  const int64_t GiveUp = monotonicNs() + ClaimPatienceNs;
  do {
    sched_yield();
    if (detail::EpochThreadRecord *R = D.enterFromSignalHandler())
      return R;
  } while (monotonicNs() < GiveUp);
  return nullptr;
}

void callRecorded(uint64_t Word, int Sig, siginfo_t *Info, void *Context) {
  if (Word & SigInfoBit)
    reinterpret_cast<SigInfoHandlerFn>(Word & ~SigInfoBit)(Sig, Info, Context);
  else if (Word)
    reinterpret_cast<SignalHandlerFn>(Word)(Sig);
}

/// Pins in the domain of \p N and of every node after it, runs the handler, unpins.
void runPinned(DomainNode *N, uint64_t Word, int Sig, siginfo_t *Info, void *Context) {
  if (!N)
    return callRecorded(Word, Sig, Info, Context);
  // seq_cst increment, then seq_cst load: pairs with unregisterSignalDomain()'s store and load.
  N->Handlers.fetch_add(1, std::memory_order_seq_cst);
  EpochDomain *D = N->Domain.load(std::memory_order_seq_cst);
  struct Pin {
    DomainNode *N;
    EpochDomain *D;
    detail::EpochThreadRecord *R;
    ~Pin() {
      if (R)
        D->exitFromSignalHandler(R);
      // Release: the unpin happens-before the unregistering thread's acquire load that sees it.
      N->Handlers.fetch_sub(1, std::memory_order_release);
    }
  } P{N, D, D ? pinFromHandler(*D) : nullptr};
  // Acquire: pairs with the release store that published the next node.
  runPinned(N->Next.load(std::memory_order_acquire), Word, Sig, Info, Context);
}

/// The disposition the kernel holds for every signal that JIT code gave a handler.
void trampoline(int Sig, siginfo_t *Info, void *Context) {
  if (Sig <= 0 || Sig >= NSIG)
    return;
  // Acquire: pairs with the installer's release store of the word.
  const uint64_t Word = Installed[Sig].load(std::memory_order_acquire);
  runPinned(Domains.load(std::memory_order_acquire), Word, Sig, Info, Context);
}

bool isTrampoline(const struct sigaction &A) {
  return (A.sa_flags & SA_SIGINFO) && A.sa_sigaction == &trampoline;
}

/// Serialises installers; the calling thread takes no asynchronous signal while it holds it.
class InstallerLock {
public:
  InstallerLock() {
    while (InstallLock.test_and_set(std::memory_order_acquire))
      sched_yield();
  }
  ~InstallerLock() { InstallLock.clear(std::memory_order_release); }

private:
  AsyncSignalBlockScope Blocked; ///< First: blocked before the lock is taken.
};

int hotjitSigaction(int Sig, const struct sigaction *Act, struct sigaction *OldAct) {
  if constexpr (mutation::UnpinnedJitSignalHandlers)
    return ::sigaction(Sig, Act, OldAct);
  if (Sig <= 0 || Sig >= NSIG)
    return ::sigaction(Sig, Act, OldAct); // EINVAL, as natively.
  const bool Handler = Act && Act->sa_handler != SIG_IGN && Act->sa_handler != SIG_DFL;
  struct sigaction Kernel = {};
  uint64_t Word = 0;
  if (Handler) { // Read before OldAct is written: they may be one object.
    Kernel = *Act;
    const bool SigInfo = Act->sa_flags & SA_SIGINFO;
    Word = SigInfo ? reinterpret_cast<uintptr_t>(Act->sa_sigaction) | SigInfoBit
                   : reinterpret_cast<uintptr_t>(Act->sa_handler);
    Kernel.sa_sigaction = &trampoline;
    Kernel.sa_flags |= SA_SIGINFO;
  }
  struct sigaction Old;
  InstallerLock Lock;
  // Relaxed: installers are serialised by InstallLock.
  const uint64_t Previous = Installed[Sig].load(std::memory_order_relaxed);
  if (Handler)
    Installed[Sig].store(Word, std::memory_order_release); // Pairs with trampoline()'s load.
  if (::sigaction(Sig, Handler ? &Kernel : Act, &Old) != 0) {
    const int Error = errno;
    Installed[Sig].store(Previous, std::memory_order_relaxed);
    errno = Error;
    return -1;
  }
  if (OldAct) {
    *OldAct = Old;
    if (isTrampoline(Old)) { // What the program installed, as it installed it.
      OldAct->sa_flags &= ~SA_SIGINFO;
      if (Previous & SigInfoBit) {
        OldAct->sa_flags |= SA_SIGINFO;
        OldAct->sa_sigaction = reinterpret_cast<SigInfoHandlerFn>(Previous & ~SigInfoBit);
      } else {
        OldAct->sa_handler = reinterpret_cast<SignalHandlerFn>(Previous);
      }
    }
  }
  return 0;
}

/// signal() and its flavours, as glibc builds them on sigaction.
SignalHandlerFn installWithFlags(int Sig, SignalHandlerFn Fn, int Flags, bool MaskSelf) {
  if (Fn == SIG_ERR || Sig <= 0 || Sig >= NSIG) {
    errno = EINVAL;
    return SIG_ERR;
  }
  struct sigaction Act = {}, Old = {};
  Act.sa_handler = Fn;
  sigemptyset(&Act.sa_mask);
  if (MaskSelf)
    sigaddset(&Act.sa_mask, Sig);
  Act.sa_flags = Flags;
  if (hotjitSigaction(Sig, &Act, &Old) != 0)
    return SIG_ERR;
  return Old.sa_handler;
}

// BSD semantics (glibc's signal() and bsd_signal()): the signal is blocked while its handler runs,
// interrupted calls restart.
SignalHandlerFn hotjitSignal(int Sig, SignalHandlerFn Fn) {
  return installWithFlags(Sig, Fn, SA_RESTART, /*MaskSelf=*/true);
}

// System V semantics (sysv_signal(), and signal() under strict ISO C): one-shot, not blocked.
SignalHandlerFn hotjitSysvSignal(int Sig, SignalHandlerFn Fn) {
  return installWithFlags(Sig, Fn, SA_RESETHAND | SA_NODEFER, /*MaskSelf=*/false);
}

} // namespace

void addSignalFunctions(llvm::StringMap<const void *> &Table) {
  Table["sigaction"] = reinterpret_cast<const void *>(&hotjitSigaction);
  Table["__sigaction"] = reinterpret_cast<const void *>(&hotjitSigaction);
  Table["signal"] = reinterpret_cast<const void *>(&hotjitSignal);
  Table["bsd_signal"] = reinterpret_cast<const void *>(&hotjitSignal);
  Table["sysv_signal"] = reinterpret_cast<const void *>(&hotjitSysvSignal);
  Table["__sysv_signal"] = reinterpret_cast<const void *>(&hotjitSysvSignal);
}

void registerSignalDomain(EpochDomain *D) {
  std::lock_guard<std::mutex> L(RegistryLock);
  // Relaxed loads: nodes are published and changed only under RegistryLock.
  for (DomainNode *N = Domains.load(std::memory_order_relaxed); N;
       N = N->Next.load(std::memory_order_relaxed))
    if (!N->Domain.load(std::memory_order_relaxed)) {
      N->Domain.store(D, std::memory_order_seq_cst);
      return;
    }
  auto *N = new DomainNode; // Never freed: a handler may be walking the list.
  N->Domain.store(D, std::memory_order_relaxed);
  N->Next.store(Domains.load(std::memory_order_relaxed), std::memory_order_relaxed);
  // Release: pairs with trampoline()'s acquire load; the node is complete when seen.
  Domains.store(N, std::memory_order_release);
}

void unregisterSignalDomain(EpochDomain *D) {
  std::lock_guard<std::mutex> L(RegistryLock);
  for (DomainNode *N = Domains.load(std::memory_order_relaxed); N;
       N = N->Next.load(std::memory_order_relaxed))
    if (N->Domain.load(std::memory_order_relaxed) == D) {
      // seq_cst store, then seq_cst load: pairs with runPinned()'s increment and load.
      N->Domain.store(nullptr, std::memory_order_seq_cst);
      while (N->Handlers.load(std::memory_order_seq_cst) != 0)
        std::this_thread::yield();
    }
}

} // namespace hotjit::runtime
