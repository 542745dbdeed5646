// TBB-backed ORC task dispatcher (see TbbTaskDispatcher.h).
#include "TbbTaskDispatcher.h"

namespace hotjit {

#if !defined(HOTJIT_TSAN)

TbbTaskDispatcher::TbbTaskDispatcher(unsigned Concurrency)
    : Workers(tbb::global_control::max_allowed_parallelism,
              static_cast<size_t>(Concurrency ? Concurrency : 1) + 1),
      Arena(static_cast<int>(Concurrency ? Concurrency : 1),
            /*reserved_for_masters=*/0) {}

void TbbTaskDispatcher::dispatch(std::unique_ptr<llvm::orc::Task> T) {
  {
    std::lock_guard<std::mutex> L(Lock);
    ++Outstanding;
  }
  // enqueue, not execute: the dispatching thread never waits for a worker.
  Arena.enqueue([this, Raw = T.release()] {
    std::unique_ptr<llvm::orc::Task> Owned(Raw);
    Owned->run();
    Owned.reset();
    finished();
  });
}

#else // HOTJIT_TSAN

TbbTaskDispatcher::TbbTaskDispatcher(unsigned Concurrency) {
  for (unsigned I = 0; I < (Concurrency ? Concurrency : 1); ++I)
    Threads.emplace_back([this] { work(); });
}

void TbbTaskDispatcher::dispatch(std::unique_ptr<llvm::orc::Task> T) {
  {
    std::lock_guard<std::mutex> L(Lock);
    ++Outstanding;
    Queue.push_back(std::move(T));
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

#endif

void TbbTaskDispatcher::finished() {
  std::lock_guard<std::mutex> L(Lock);
  if (--Outstanding == 0)
    Idle.notify_all();
}

void TbbTaskDispatcher::shutdown() {
  std::unique_lock<std::mutex> L(Lock);
  Idle.wait(L, [&] { return Outstanding == 0; });
}

TbbTaskDispatcher::~TbbTaskDispatcher() {
  shutdown();
#if defined(HOTJIT_TSAN)
  {
    std::lock_guard<std::mutex> L(Lock);
    Stopping = true;
  }
  Ready.notify_all();
  for (std::thread &T : Threads)
    T.join();
#endif
}

} // namespace hotjit
