// ORC TaskDispatcher running materialisation (compile + link) on a dedicated oneTBB arena.
#ifndef HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H
#define HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H

#include "llvm/ExecutionEngine/Orc/TaskDispatch.h"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_scheduler_observer.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace hotjit {

/// Runs ORC tasks on its own tbb::task_arena of \p Concurrency threads.
/// Tasks never block on ORC lookups: the engine issues every lookup from the
/// committing thread, which waits outside the arena. shutdown() waits for
/// every dispatched task.
///
/// TBB's worker pool is process-wide: a host that caps it with
/// tbb::global_control(max_allowed_parallelism) would serialise hotjit's
/// compiles, or, at a cap of 1, leave no worker at all while the committing
/// thread waits. Each dispatch therefore checks the cap in force and, when it
/// is below what this dispatcher needs, runs the task on a small pool of its
/// own std::threads instead (started on first need). ThreadSanitizer builds
/// always use that pool: Debian's libtbb is uninstrumented and copies each
/// task's functor inside the library, after any __tsan_release a wrapper
/// could issue, so TBB's hand-off cannot be annotated from outside.
///
/// Signals. No thread takes the program's signals while it compiles for
/// hotjit (the rule of AsyncSignalBlockScope.h). The fallback pool's threads
/// are started with them blocked. TBB's workers are process-wide and are
/// started lazily by whichever thread asks for work (an enqueue, a worker
/// waking others, a host thread using TBB), so two means cover them:
/// dispatch() enqueues with the signals blocked, so a worker that enqueue
/// starts inherits the blocked mask from its first instruction and never takes
/// a signal; and an observer of the arena blocks them in every worker that
/// joins it, before the worker runs any of its tasks (TBB notifies entry
/// before a thread takes work from the arena), restoring that worker's own mask
/// when it leaves. Only the worker itself changes its mask (pthread_sigmask is
/// per thread), so neither means races with the worker or with TBB.
class TbbTaskDispatcher : public llvm::orc::TaskDispatcher {
public:
  explicit TbbTaskDispatcher(unsigned Concurrency);
  ~TbbTaskDispatcher() override;

  void dispatch(std::unique_ptr<llvm::orc::Task> T) override;
  void shutdown() override;

  /// Blocks until every dispatched task has finished (a failed commit waits
  /// so that every compile error has been reported before it is read).
  void waitUntilIdle();

  /// While alive, tasks dispatched from the constructing thread run right
  /// there, as with ORC's InPlaceTaskDispatcher. A commit of one module has
  /// nothing to run in parallel, and the hand-off to a worker and back costs
  /// about 45 us of its ~450 us.
  class InlineScope {
  public:
    InlineScope() noexcept;
    ~InlineScope();
    InlineScope(const InlineScope &) = delete;
    InlineScope &operator=(const InlineScope &) = delete;

  private:
    bool Saved;
  };

private:
  bool tbbCapped() const;
  void runOnThreads(std::unique_ptr<llvm::orc::Task> T);
  void work();
  void finished();

  const unsigned Concurrency;
  // TBB's default worker limit is hardware threads - 1 (it counts a master
  // that joins the arena); ask for Concurrency workers explicitly.
  tbb::global_control Workers;
  tbb::task_arena Arena;

  /// Blocks asyncSignals() on the workers while they are in Arena.
  class SignalMaskObserver final : public tbb::task_scheduler_observer {
  public:
    explicit SignalMaskObserver(tbb::task_arena &A);
    ~SignalMaskObserver() override;
    void on_scheduler_entry(bool IsWorker) override;
    void on_scheduler_exit(bool IsWorker) override;
  };
  SignalMaskObserver Observer; ///< After Arena: stops observing before it goes.

  std::mutex Lock;
  std::condition_variable Idle, Ready;
  size_t Outstanding = 0;                             ///< Dispatched and not yet finished.
  std::deque<std::unique_ptr<llvm::orc::Task>> Queue; ///< Fallback pool's work.
  std::vector<std::thread> Threads;                   ///< Fallback pool.
  bool Stopping = false;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H
