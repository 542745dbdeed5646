// TBB-backed ORC task dispatcher (see TbbTaskDispatcher.h).
//
// ThreadSanitizer cannot see the happens-before edges inside Debian's uninstrumented libtbb, so in
// TSan builds each hand-off is annotated: release on the task before it is enqueued, acquire as
// the task starts; release on the group when a task ends, acquire after wait().
#include "TbbTaskDispatcher.h"

#if defined(HOTJIT_TSAN)
#include <sanitizer/tsan_interface.h>
#define HOTJIT_TSAN_RELEASE(P) __tsan_release(P)
#define HOTJIT_TSAN_ACQUIRE(P) __tsan_acquire(P)
#else
#define HOTJIT_TSAN_RELEASE(P) ((void)(P))
#define HOTJIT_TSAN_ACQUIRE(P) ((void)(P))
#endif

namespace hotjit {

TbbTaskDispatcher::TbbTaskDispatcher(unsigned Concurrency)
    : Workers(tbb::global_control::max_allowed_parallelism,
              static_cast<size_t>(Concurrency ? Concurrency : 1) + 1),
      Arena(static_cast<int>(Concurrency ? Concurrency : 1),
            /*reserved_for_masters=*/0),
      Group(std::make_unique<tbb::task_group>()) {}

TbbTaskDispatcher::~TbbTaskDispatcher() { shutdown(); }

void TbbTaskDispatcher::dispatch(std::unique_ptr<llvm::orc::Task> T) {
  llvm::orc::Task *Raw = T.release();
  HOTJIT_TSAN_RELEASE(Raw);
  Arena.execute([&] {
    Group->run([this, Raw] {
      HOTJIT_TSAN_ACQUIRE(Raw);
      std::unique_ptr<llvm::orc::Task> Owned(Raw);
      Owned->run();
      Owned.reset();
      HOTJIT_TSAN_RELEASE(Group.get());
    });
  });
}

void TbbTaskDispatcher::shutdown() {
  Arena.execute([&] { Group->wait(); });
  HOTJIT_TSAN_ACQUIRE(Group.get());
}

} // namespace hotjit
