//===- StackCheck.h - Threads scan their own stacks for retired code -*- C++ -*-===//
//
// The mechanism behind EpochDomain's per-thread stack checks; the protocol is at the top of
// StackCheck.cpp. Private to the concurrency library.
//
//===----------------------------------------------------------------------===//

#ifndef HOTJIT_CONCURRENCY_SRC_STACKCHECK_H
#define HOTJIT_CONCURRENCY_SRC_STACKCHECK_H

#include "hotjit/concurrency/EpochDomain.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace hotjit::detail {

/// Items (retired objects with ranges) one check round can ask about.
inline constexpr unsigned StackCheckMaxItems = 256;
/// Ranges one check round can ask about, over all its items.
inline constexpr unsigned StackCheckMaxRanges = 4096;

/// One thread's mailbox for stack checks: made on the thread at its first registration in any
/// domain, shared by its records, written by the check leader (Request) and by the thread's
/// signal handler (everything else).
struct StackCell {
  /// The calling thread's cell, with its stack bounds read now.
  static std::shared_ptr<StackCell> forCurrentThread() noexcept;
  /// Called at thread exit, before the thread drops its cell: its handler stops using it.
  static void detachCurrentThread() noexcept;

  uint64_t ThreadId = 0;  ///< gettid() of the owner.
  uintptr_t StackLow = 0; ///< Lowest address of the owner's stack (0: unknown).
  uintptr_t StackTop = 0; ///< One past its highest address.
  /// Round the leader asks about; release store after the board is published, paired with the
  /// handler's acquire load.
  std::atomic<uint64_t> Request{0};
  /// Round the handler answered; release store after Hits, FirstHit and Unscannable, paired
  /// with the leader's acquire load.
  std::atomic<uint64_t> Answer{0};
  /// Item I was found: bit I % 64 of Hits[I / 64]. Relaxed: published by Answer.
  std::atomic<uint64_t> Hits[StackCheckMaxItems / 64] = {};
  /// The first word found inside item I, for reports. Relaxed: published by Answer.
  std::atomic<uintptr_t> FirstHit[StackCheckMaxItems] = {};
  /// The handler could not scan (interrupted on a stack it does not know). Relaxed: published
  /// by Answer.
  std::atomic<bool> Unscannable{false};
};

/// Installs the process's handler for \p Signal once (SA_SIGINFO | SA_RESTART); false if the
/// signal is invalid or some other handler owns it. Thread-safe.
bool installStackCheckHandler(int Signal) noexcept;

/// One thread asked in a round, and its answer.
struct StackCheckTarget {
  std::shared_ptr<StackCell> Cell;
  bool Answered = false;
  bool Unscannable = false;
  /// Indices (into the round's items) of the items found, and the first word found for each.
  std::vector<unsigned> Held;
  std::vector<uintptr_t> HeldAt;
};

/// Asks every target to scan its stack and registers for the ranges of \p Items (at most
/// StackCheckMaxItems, StackCheckMaxRanges ranges in all), with \p Signal, and waits up to
/// \p Timeout for the answers. One round at a time in the process (a mutex). Blocks.
void runStackCheck(int Signal, const std::vector<const std::vector<EpochAddressRange> *> &Items,
                   std::vector<StackCheckTarget> &Targets, std::chrono::nanoseconds Timeout);

} // namespace hotjit::detail

#endif // HOTJIT_CONCURRENCY_SRC_STACKCHECK_H
