// The signal mask of the library's own threads (see AsyncSignalBlockScope.h for the rule).
#include "hotjit/concurrency/AsyncSignalBlockScope.h"

#include <pthread.h>

namespace hotjit {

sigset_t asyncSignals() noexcept {
  sigset_t S;
  sigfillset(&S); // glibc leaves out its own signals (thread cancellation, setxid).
  for (int Sync : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT})
    sigdelset(&S, Sync);
  return S;
}

AsyncSignalBlockScope::AsyncSignalBlockScope() noexcept {
  const sigset_t Async = asyncSignals();
  pthread_sigmask(SIG_BLOCK, &Async, &Saved);
}

AsyncSignalBlockScope::~AsyncSignalBlockScope() { pthread_sigmask(SIG_SETMASK, &Saved, nullptr); }

} // namespace hotjit
