// Signal handlers installed by JIT code run pinned in every live engine's epoch domain.
//
// Protocol
// --------
// * What. JIT code's `sigaction`, `signal`, `bsd_signal`, `sysv_signal` and `__sysv_signal`
//   resolve to the functions of SignalHandlers.cpp (interposed(), CxxRuntime.h). A handler that
//   JIT code installs (not SIG_IGN or SIG_DFL) is recorded in a per-signal word (its address,
//   plus a bit for SA_SIGINFO) and the kernel gets one trampoline instead, with the program's
//   sa_mask and sa_flags (SA_RESETHAND, SA_NODEFER, SA_RESTART, SA_ONSTACK act natively) plus
//   SA_SIGINFO. On delivery, on whatever thread the kernel picks, the trampoline pins the thread in
//   every live engine's domain, calls the recorded handler with the arguments its kind takes, and
//   unpins: the code the handler runs, old versions included, is not freed under it, as for
//   threads started by JIT code. SIG_IGN and SIG_DFL go to the kernel as given. `oldact` (and
//   `signal`'s result) gives back what the program installed: the recorded handler, with the
//   kernel's flags and mask, where the kernel holds the trampoline; the kernel's answer otherwise
//   (after SA_RESETHAND fired: SIG_DFL, as natively).
// * Why pinning is async-signal-safe. A handler may interrupt anything, its own thread inside
//   enter() or malloc() included, and EpochDomain::enter() registers a thread on first use
//   (allocates, locks). So the trampoline pins with EpochDomain::enterFromSignalHandler(): a
//   lock-free claim of one of the records each domain allocated for handlers at construction
//   (EpochDomain.h, "Signal handlers"). The list of domains is a never-freed linked list of
//   nodes: the trampoline walks it with acquire loads, takes no lock and touches no thread-local.
//   Engines come and go under it: each node counts the handlers inside it (seq_cst increment,
//   then a seq_cst load of its domain); unregistering stores null (seq_cst) and waits until the
//   count is 0. In the single order of those seq_cst operations either the handler sees null or
//   the unregistering thread sees its count: a domain is never destroyed under a handler.
// * Installers. Calls that change a disposition are serialised by a spin lock, taken with every
//   asynchronous signal blocked in the calling thread, so a handler that calls sigaction (one that
//   re-arms itself with signal()) never waits for its own thread; the recorded word is stored
//   (release, paired with the trampoline's acquire load) before the kernel's disposition changes.
// * What is weaker than native.
//   - A signal delivered while another thread replaces the handler may run the new handler with
//     the previous sa_mask and sa_flags (the word changes just before the kernel's disposition).
//   - A handler left by siglongjmp keeps its pins: reclamation stops in every domain it pinned
//     (OnStall reports it). When all of a domain's signal records are held for 10 ms (32 handlers
//     running at once, or records kept by siglongjmp, which hold reclamation back anyway), the
//     handler runs unpinned in that domain.
//   - EpochDomain::isPinned() does not see a handler's pin: a handler must not commit, as no pinned
//     caller may.
//   - `sigset`, `ssignal` and handlers installed by host code are not interposed. A handler must
//     be uninstalled before the engine whose code it is goes away.
#ifndef HOTJIT_ENGINE_SRC_RUNTIME_SIGNALHANDLERS_H
#define HOTJIT_ENGINE_SRC_RUNTIME_SIGNALHANDLERS_H

#include "hotjit/concurrency/EpochDomain.h"

#include "llvm/ADT/StringMap.h"

namespace hotjit::runtime {

/// Adds the C library functions that install signal handlers, as JIT code gets them, to \p Table.
void addSignalFunctions(llvm::StringMap<const void *> &Table);

/// Handlers installed by JIT code pin \p D from now on.
void registerSignalDomain(EpochDomain *D);

/// Handlers stop pinning \p D; returns once no handler is pinned in it (blocks while one runs).
void unregisterSignalDomain(EpochDomain *D);

} // namespace hotjit::runtime

#endif // HOTJIT_ENGINE_SRC_RUNTIME_SIGNALHANDLERS_H
