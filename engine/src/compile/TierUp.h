// Tier-up: a background thread that recompiles modules published at O0 at the engine's level.
//
// The thread runs one job at a time, in the order queued; a job is a whole commit (it takes the
// engine's CommitLock like a host's commit). queue() and waitIdle() may be called from any thread;
// the lock inside is a leaf (held only to move jobs in and out of the queue, never during a job).
#ifndef HOTJIT_ENGINE_SRC_COMPILE_TIERUP_H
#define HOTJIT_ENGINE_SRC_COMPILE_TIERUP_H

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace hotjit {

class TierUp {
public:
  /// Runs \p Job(Module, Version) for each queued module version.
  using Job = std::function<void(const std::string &Module, uint64_t Version)>;

  /// Starts the thread.
  explicit TierUp(Job Run);
  /// Stops the thread after the job in flight; queued jobs are dropped.
  ~TierUp();
  TierUp(const TierUp &) = delete;
  TierUp &operator=(const TierUp &) = delete;

  /// Queues version \p Version of \p Module; never blocks on a job.
  void queue(std::string Module, uint64_t Version);
  /// Blocks until the queue is empty and no job is in flight.
  void waitIdle();

private:
  void loop();

  Job Run;
  std::mutex Lock;
  std::condition_variable Ready, Idle;
  std::deque<std::pair<std::string, uint64_t>> Queue;
  bool Busy = false; ///< A job was taken and is not finished.
  bool Stop = false;
  std::thread Thread; ///< Last: starts after the fields above exist.
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_COMPILE_TIERUP_H
