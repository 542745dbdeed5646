// The tier-up thread (see TierUp.h).
#include "compile/TierUp.h"

#include "hotjit/concurrency/AsyncSignalBlockScope.h"

namespace hotjit {

// The thread takes none of the program's signals (AsyncSignalBlockScope.h).
TierUp::TierUp(Job Run) : Run(std::move(Run)), Thread(startSignalFreeThread([this] { loop(); })) {}

TierUp::~TierUp() {
  {
    std::lock_guard<std::mutex> L(Lock);
    Stop = true;
  }
  Ready.notify_all();
  Thread.join();
}

void TierUp::queue(std::string Module, uint64_t Version) {
  {
    std::lock_guard<std::mutex> L(Lock);
    Queue.emplace_back(std::move(Module), Version);
  }
  Ready.notify_one();
}

void TierUp::waitIdle() {
  std::unique_lock<std::mutex> L(Lock);
  Idle.wait(L, [&] { return Stop || (Queue.empty() && !Busy); });
}

void TierUp::loop() {
  for (;;) {
    std::pair<std::string, uint64_t> Next;
    {
      std::unique_lock<std::mutex> L(Lock);
      Ready.wait(L, [&] { return Stop || !Queue.empty(); });
      if (Stop)
        break;
      Next = std::move(Queue.front());
      Queue.pop_front();
      Busy = true;
    }
    Run(Next.first, Next.second);
    {
      std::lock_guard<std::mutex> L(Lock);
      Busy = false;
    }
    Idle.notify_all();
  }
  Idle.notify_all();
}

} // namespace hotjit
