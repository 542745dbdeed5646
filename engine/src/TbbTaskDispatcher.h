// ORC TaskDispatcher running materialisation (compile + link) on a dedicated oneTBB arena.
#ifndef HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H
#define HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H

#include "llvm/ExecutionEngine/Orc/TaskDispatch.h"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <memory>

namespace hotjit {

/// Runs ORC tasks on its own tbb::task_arena of \p Concurrency threads, so a
/// host that limits TBB's global parallelism does not serialise hotjit's
/// compiles. Tasks never block on ORC lookups: the engine issues every lookup
/// from the committing thread.
class TbbTaskDispatcher : public llvm::orc::TaskDispatcher {
public:
  explicit TbbTaskDispatcher(unsigned Concurrency);
  ~TbbTaskDispatcher() override;

  void dispatch(std::unique_ptr<llvm::orc::Task> T) override;
  void shutdown() override;

private:
  // TBB's default worker limit is hardware threads - 1 (it counts a master
  // that joins the arena); the committing thread waits outside the arena, so
  // ask for Concurrency workers explicitly.
  tbb::global_control Workers;
  tbb::task_arena Arena;
  // Held by pointer: ~task_group is noexcept(false).
  std::unique_ptr<tbb::task_group> Group;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_TBBTASKDISPATCHER_H
