// TBB-backed ORC task dispatcher with a std::thread fallback (see TbbTaskDispatcher.h).
#include "compile/TbbTaskDispatcher.h"

#include "hotjit/concurrency/AsyncSignalBlockScope.h"

#include <pthread.h>

namespace hotjit {

namespace {
thread_local bool RunInline = false;

/// The mask a worker had when it joined the arena, and whether it holds one.
thread_local sigset_t MaskBeforeArena;
thread_local bool InArena = false;
} // namespace

TbbTaskDispatcher::SignalMaskObserver::SignalMaskObserver(tbb::task_arena &A)
    : tbb::task_scheduler_observer(A) {
  observe(true);
}

TbbTaskDispatcher::SignalMaskObserver::~SignalMaskObserver() { observe(false); }

void TbbTaskDispatcher::SignalMaskObserver::on_scheduler_entry(bool IsWorker) {
  if (!IsWorker || InArena)
    return;
  const sigset_t Async = asyncSignals();
  pthread_sigmask(SIG_BLOCK, &Async, &MaskBeforeArena);
  InArena = true;
}

void TbbTaskDispatcher::SignalMaskObserver::on_scheduler_exit(bool IsWorker) {
  if (!InArena)
    return;
  InArena = false;
  pthread_sigmask(SIG_SETMASK, &MaskBeforeArena, nullptr);
}

TbbTaskDispatcher::InlineScope::InlineScope() noexcept : Saved(RunInline) { RunInline = true; }
TbbTaskDispatcher::InlineScope::~InlineScope() { RunInline = Saved; }

TbbTaskDispatcher::TbbTaskDispatcher(unsigned N)
    : Concurrency(N ? N : 1),
      Workers(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(Concurrency) + 1),
      Arena(static_cast<int>(Concurrency), /*reserved_for_masters=*/0), Observer(Arena) {}

bool TbbTaskDispatcher::tbbCapped() const {
#if defined(HOTJIT_TSAN)
  return true;
#else
  return tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism) <
         Concurrency + 1;
#endif
}

void TbbTaskDispatcher::dispatch(std::unique_ptr<llvm::orc::Task> T) {
  if (RunInline) {
    T->run();
    return;
  }
  if (tbbCapped())
    return runOnThreads(std::move(T));
  {
    std::lock_guard<std::mutex> L(Lock);
    ++Outstanding;
  }
  // enqueue, not execute: the dispatching thread never waits for a worker. A worker that the
  // enqueue starts inherits the blocked mask (see the class comment).
  AsyncSignalBlockScope Blocked;
  Arena.enqueue([this, Raw = T.release()] {
    std::unique_ptr<llvm::orc::Task> Owned(Raw);
    Owned->run();
    Owned.reset();
    finished();
  });
}

void TbbTaskDispatcher::runOnThreads(std::unique_ptr<llvm::orc::Task> T) {
  {
    std::lock_guard<std::mutex> L(Lock);
    ++Outstanding;
    Queue.push_back(std::move(T));
    if (Threads.empty())
      for (unsigned I = 0; I < Concurrency; ++I)
        Threads.push_back(startSignalFreeThread([this] { work(); }));
  }
  Ready.notify_one();
}

void TbbTaskDispatcher::work() {
  for (;;) {
    std::unique_ptr<llvm::orc::Task> T;
    {
      std::unique_lock<std::mutex> L(Lock);
      Ready.wait(L, [&] { return Stopping || !Queue.empty(); });
      if (Queue.empty())
        return;
      T = std::move(Queue.front());
      Queue.pop_front();
    }
    T->run();
    T.reset();
    finished();
  }
}

void TbbTaskDispatcher::finished() {
  std::lock_guard<std::mutex> L(Lock);
  if (--Outstanding == 0)
    Idle.notify_all();
}

void TbbTaskDispatcher::waitUntilIdle() {
  std::unique_lock<std::mutex> L(Lock);
  Idle.wait(L, [&] { return Outstanding == 0; });
}

void TbbTaskDispatcher::shutdown() {
  std::unique_lock<std::mutex> L(Lock);
  Idle.wait(L, [&] { return Outstanding == 0; });
}

TbbTaskDispatcher::~TbbTaskDispatcher() {
  shutdown();
  {
    std::lock_guard<std::mutex> L(Lock);
    Stopping = true;
  }
  Ready.notify_all();
  for (std::thread &T : Threads)
    T.join();
}

} // namespace hotjit
