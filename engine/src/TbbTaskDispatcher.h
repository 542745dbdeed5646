// ORC TaskDispatcher running materialisation (compile + link) on a dedicated oneTBB arena.
#ifndef HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H
#define HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H

#include "llvm/ExecutionEngine/Orc/TaskDispatch.h"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace hotjit {

/// Runs ORC tasks on its own tbb::task_arena of \p Concurrency threads, so a
/// host that limits TBB's global parallelism does not serialise hotjit's
/// compiles. Tasks never block on ORC lookups: the engine issues every lookup
/// from the committing thread. shutdown() waits for every dispatched task.
///
/// ThreadSanitizer builds run the same tasks on plain std::threads instead:
/// Debian's libtbb is uninstrumented, and TBB copies each task's functor
/// inside the library, after any __tsan_release a wrapper could issue, so the
/// hand-off cannot be annotated from outside.
class TbbTaskDispatcher : public llvm::orc::TaskDispatcher {
public:
  explicit TbbTaskDispatcher(unsigned Concurrency);
  ~TbbTaskDispatcher() override;

  void dispatch(std::unique_ptr<llvm::orc::Task> T) override;
  void shutdown() override;

private:
  void finished();

  std::mutex Lock;
  std::condition_variable Idle;
  size_t Outstanding = 0; ///< Dispatched and not yet finished.
#if defined(HOTJIT_TSAN)
  void work();
  std::condition_variable Ready;
  std::deque<std::unique_ptr<llvm::orc::Task>> Queue;
  bool Stopping = false;
  std::vector<std::thread> Threads;
#else
  // TBB's default worker limit is hardware threads - 1 (it counts a master
  // that joins the arena); the committing thread waits outside the arena, so
  // ask for Concurrency workers explicitly.
  tbb::global_control Workers;
  tbb::task_arena Arena;
#endif
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H
