//===- AsyncSignalBlockScope.h - Library threads take no signals -*- C++ -*-===//
//
// RULE: every thread hotjit creates (an EpochDomain's reclaimer, the compile pool, the tier-up
// thread, the parser thread) blocks every asynchronous signal for its whole life, so the kernel
// delivers the program's signals (SIGALRM of a setitimer, SIGINT, SIGCHLD, SIGUSR1, ...) only to
// the program's own threads. A handler that JIT code installed would otherwise run on a library
// thread that is pinned in no epoch domain, and could execute code freed under it. The
// synchronous signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, and SIGABRT, which
// abort() raises on the calling thread) stay unblocked: blocked, a fault would kill the process
// without running the program's crash reporter.
//
// Why it is race-free: a new thread starts with its creator's signal mask, copied by the kernel
// at clone. Creating it inside an AsyncSignalBlockScope (startSignalFreeThread) therefore blocks
// the signals from the new thread's first instruction, with no window in which one could be
// delivered to it; the creating thread gets its mask back when the scope ends. A signal already
// pending for the process stays pending for a thread that does not block it.
//
// Threads hotjit does not create (oneTBB's workers, process-wide, may be created by any thread
// that uses TBB) block the same set while they work for hotjit: see TbbTaskDispatcher.h.
//
//===----------------------------------------------------------------------===//

#ifndef HOTJIT_CONCURRENCY_ASYNCSIGNALBLOCKSCOPE_H
#define HOTJIT_CONCURRENCY_ASYNCSIGNALBLOCKSCOPE_H

#include <signal.h>

#include <thread>
#include <utility>

namespace hotjit {

/// Every signal but the synchronous ones (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS,
/// SIGABRT) and those no thread can block (SIGKILL, SIGSTOP, the C library's own).
/// Async-signal-safe.
sigset_t asyncSignals() noexcept;

/// RAII: blocks asyncSignals() in the calling thread while in scope and restores the previous
/// mask afterwards. Threads created inside the scope inherit the blocked mask. Async-signal-safe.
class AsyncSignalBlockScope {
public:
  AsyncSignalBlockScope() noexcept;
  ~AsyncSignalBlockScope();
  AsyncSignalBlockScope(const AsyncSignalBlockScope &) = delete;
  AsyncSignalBlockScope &operator=(const AsyncSignalBlockScope &) = delete;

private:
  sigset_t Saved;
};

/// std::thread(Args...), started with asyncSignals() blocked for its whole life.
template <typename... ArgTs> std::thread startSignalFreeThread(ArgTs &&...Args) {
  AsyncSignalBlockScope Blocked;
  return std::thread(std::forward<ArgTs>(Args)...);
}

} // namespace hotjit

#endif // HOTJIT_CONCURRENCY_ASYNCSIGNALBLOCKSCOPE_H
