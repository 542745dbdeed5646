//===- EpochDomain.h - Epoch-based reclamation of retired code -*- C++ -*-===//
//
// Example (compiled and run by the HeaderExample.EpochDomain test):
//   struct Config { int Value; };
//   hotjit::EpochDomain Domain;
//   std::atomic<Config *> Current{new Config{1}};
//   { // Reader, on any thread: pin, read, unpin. Wait-free, never blocks.
//     hotjit::EpochGuard Guard(Domain);
//     assert(Current.load(std::memory_order_acquire)->Value == 1);
//   }
//   // Writer: publish a replacement, then retire the old object. The callback
//   // runs after a grace period: no reader pinned before the exchange remains.
//   Config *Old = Current.exchange(new Config{2}, std::memory_order_acq_rel);
//   Domain.retire([Old] { delete Old; }, sizeof(Config));
//   Domain.barrier(); // waits until retired callbacks have run (shutdown, tests)
//   delete Current.exchange(nullptr);
//
// PROTOCOL
//
// Overview. An EpochDomain defers callbacks (freeing old machine code, its
// unwind tables, per-version data) until every thread that might still use the
// old object has passed a quiescent point. Read side: the liburcu "memb"
// flavour (Desnoyers et al., "User-Level Implementations of Read-Copy Update",
// IEEE TPDS 23(2), 2012, section 3; liburcu src/urcu.c, urcu-memb.h) plus the
// liburcu QSBR flavour for threads with a natural loop. Write side: batched
// grace periods (GPs) run by a background reclaimer.
//
// Threads. A thread registers in a domain on first use (enter(), quiescent(),
// online(), offline()) and unregisters at thread exit. A guard-only thread
// holds up a GP only while pinned. A thread becomes a QSBR thread at its
// first quiescent() or online(): from then on, while online, it holds up
// every GP until its next quiescent() or offline(), pinned or not. Exited,
// offline and unpinned guard-only threads never hold up a GP.
//
// Signal handlers. enter() may register the thread (it allocates and locks),
// and a handler may interrupt its own thread between a guard's nesting count
// and its announcement, so a handler never uses its thread's record. It pins
// with enterFromSignalHandler(): a lock-free claim (CAS of the record's
// claimer word from 0 to the thread id) of one of SignalRecordCount records
// that the domain allocated and registered at construction, then the
// outermost-guard announcement below. exitFromSignalHandler() unannounces and
// frees the record (release, paired with the next claim's acquire, so the
// nesting count passes from holder to holder). Nothing on that path allocates,
// locks or touches thread-locals: it is async-signal-safe. Grace periods scan
// these records like any other; stats() lists one only while it is held.
// Weaker: a handler left by siglongjmp keeps its record, and its pin, for good
// (reclamation stops, OnStall reports it); when every record is held, the
// claim fails and the caller decides.
//
// Who writes what.
//  - Each registered thread owns one detail::EpochThreadRecord per domain.
//    Only the owner writes its Announce word (guards) and Quiescent word
//    (QSBR); grace periods and stats() only read them.
//    A word is 0 (idle / offline) or the epoch the owner read when it
//    announced.
//  - Epoch only grows, by fetch_add: once when a GP starts, and once after
//    every observation round (a GP poll, a stats() call). An announce word
//    that is unchanged and non-zero across two observations therefore
//    belongs to one continuous pin (or QSBR interval), which is how stalls
//    and SinceQuiescent are measured without any counter on the read side.
//  - The retire queue, GP bookkeeping and the thread registry are guarded by
//    mutexes that readers never take.
//
// Orderings that pair (membarrier mode, the default).
//  - Outermost guard entry: Epoch.load(acquire); Announce.store(relaxed);
//    atomic_signal_fence. The compiler barrier pairs with the GP's first
//    membarrier(PRIVATE_EXPEDITED), issued after the epoch increment and
//    before scanning: either the scan sees the announcement, or the reader's
//    later loads see every store made before the GP began.
//  - Outermost guard exit: atomic_signal_fence; Announce.store(0, release);
//    pairs with the scan's acquire load; the GP's second membarrier orders a
//    re-entry (a relaxed store) after the reads of the previous section.
//  - An entry that reads the new epoch (acquire) is already ordered after
//    every store made before the GP: every write of Epoch is an RMW, so any
//    value it reads continues the release sequence of the GP's fetch_add.
//  - quiescent(): Quiescent.store(release) of an epoch read with acquire: a
//    plain release/acquire handshake, no fence needed. offline() stores 0 with
//    release. online() stores seq_cst plus a seq_cst fence, pairing with the
//    seq_cst fence the GP issues around its membarrier (a Dekker pair).
// Fallback (seq_cst readers), used when MEMBARRIER_CMD_QUERY lacks
// PRIVATE_EXPEDITED or registration fails (old kernel, seccomp), when the
// domain is built with EpochDomainOptions::ForceSeqCstReaders, and under
// ThreadSanitizer: the outermost entry adds atomic_thread_fence(seq_cst) after
// its announcement (the urcu-mb design, liburcu's own fallback) and the GP
// issues seq_cst fences instead of membarrier, a Dekker pair in the C++ model.
// Chosen over folly's mprotect-shootdown trick because it relies on no kernel
// internals; it costs one fence per outermost pin only (nested pins and QSBR
// stay fence-free). The kernel is probed once per process; each domain keeps
// the outcome in a constant member that the fast path tests with one
// predictable branch, and stats().ReaderFence reports it.
// ThreadSanitizer (HOTJIT_TSAN, __SANITIZE_THREAD__, thread_sanitizer): TSan
// models neither standalone fences nor membarrier, so the announce words use
// seq_cst stores and acquire loads (as folly's ThreadCachedReaders does under
// kIsSanitizeThread): every reader section happens-before the callbacks that
// follow its GP in TSan's own model, with no suppression. The entry keeps its
// seq_cst fence for the hardware.
//
// When memory is reclaimed. retire() appends to an open batch. The reclaimer
// (or reclaim()/barrier()) seals the batch, stamps it with the number of the
// next GP to start, runs that one GP and then every batch whose stamp has
// completed, in retire order, outside every lock that readers or retire()
// take. One GP serves every batch sealed before it started; a thread calling
// synchronize() shares a GP already waited on by others when it can.
// Stack checks (StackCheck.cpp has their protocol): an item retired with
// EpochRetireRanges (code that only threads holding an address inside it can
// reach) may also run when every thread passed a GP except threads pinned (or
// online) longer than StackCheckAfter, and each of those answered a stack
// check that found none of its addresses in its registers or on its stack.
// The leader gives such a GP up to ask them, runs the items no one holds, and
// starts a new GP for the rest (rechecked with a backoff of 1 ms doubling to
// 64 ms per item). Ranged items may therefore run before older items. Nothing
// on the read side changes: no per-pin work, no fence.
//
// Cost: bench/EpochBench.cpp, Release, 2-vCPU KVM guest (Xeon, 2.6 GHz),
// clang 22, `EpochBench --benchmark_repetitions=5 --benchmark_min_time=0.5`,
// medians of CPU time per operation per thread:
//   EpochGuard pin+unpin, 1 and 2 threads               0.97 ns
//   nested EpochGuard pin+unpin                         0.66 ns
//   EpochGuard pin+unpin, seq_cst-reader fallback       6.2 ns
//   guard with a seq_cst fence (urcu-mb) / xchg on entry 6.3 ns / 6.3 ns
//   std::shared_mutex shared lock+unlock, 1 / 2 threads 15 ns / 173 ns
//   quiescent()                                         0.50 ns
//   synchronize(), alone / 1 idle thread registered     0.33 us / 0.42 us
//   synchronize(), 1 other thread pinning in a loop     29 us (IPIs)
//   retire() plus its share of one reclaim() per 1024   25 ns
//
// Limitations.
//  - A thread pinned forever, or a QSBR thread online that never calls
//    quiescent(), blocks all reclamation of the domain but ranged items it
//    does not hold on its stack; memory grows without bound. OnStall reports it once per episode
//    (by default on stderr), with the likely cause; stats() shows SinceQuiescent. Use separate
//    domains for long readers; go offline before blocking.
//  - Non-local exits. A C++ exception runs guard destructors; longjmp does
//    not, and leaves the thread pinned for good. A host whose error path is
//    setjmp/longjmp saves depth() before setjmp and calls restoreDepth() when
//    setjmp returns from a longjmp: that ends every guard entered since, as
//    their destructors would have (liburcu's read-side nesting counter, reset
//    by hand). The frames skipped must hold no object with a non-trivial
//    destructor ([csetjmp.syn]); an EpochGuard is one, so the pinned call
//    pins with enter()/exit() (as hotjit's Function<> does). restoreDepth()
//    touches guards only: a QsbrOfflineScope skipped by longjmp stays
//    offline.
//  - synchronize(), reclaim() and barrier() called while the calling thread
//    is pinned in the same domain abort with a message (they would deadlock).
//    An online QSBR caller is taken offline for the duration, as in liburcu.
//  - Callbacks must not throw (they run from noexcept code) and must not call
//    barrier() of their own domain.
//  - The thread-local cache uses the initial-exec TLS model; a shared library
//    embedding this code must not be dlopen'ed late into a process that has
//    exhausted its static TLS surplus.
//  - Membarrier mode needs Linux >= 4.14; without it the fallback costs a full
//    fence per outermost pin.
//
//===----------------------------------------------------------------------===//

#ifndef HOTJIT_CONCURRENCY_EPOCHDOMAIN_H
#define HOTJIT_CONCURRENCY_EPOCHDOMAIN_H

#include <atomic>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#if defined(HOTJIT_TSAN) || defined(__SANITIZE_THREAD__)
#define HOTJIT_EPOCH_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HOTJIT_EPOCH_TSAN 1
#endif
#endif
#ifndef HOTJIT_EPOCH_TSAN
#define HOTJIT_EPOCH_TSAN 0
#endif

namespace hotjit {

/// One registered thread of a domain, as seen by stats().
struct EpochThreadInfo {
  /// OS thread id (gettid) of the thread that registered.
  uint64_t ThreadId;
  /// The thread is inside a guard of this domain right now.
  bool Pinned;
  /// False while the thread is an offline QSBR thread; true otherwise.
  bool Online;
  /// The thread has used quiescent(), online() or offline() in this domain.
  bool Qsbr;
  /// Time since the domain (a grace period or a stats() call) last saw the
  /// thread quiescent; zero when it is quiescent now. A lower bound.
  std::chrono::nanoseconds SinceQuiescent;
};

/// How readers of a domain order their announcement against their reads.
enum class EpochReaderFenceKind {
  /// Compiler barrier only; grace periods issue membarrier(PRIVATE_EXPEDITED).
  Membarrier,
  /// seq_cst fence per outermost pin (no membarrier, or ThreadSanitizer).
  SeqCst,
};

/// A snapshot of a domain's counters, for metrics and tests.
struct EpochStats {
  /// Current global epoch: grows by one when a grace period starts and by one
  /// after every observation round (a GP poll, a stats() call).
  uint64_t Epoch;
  /// Callbacks retired and not yet run.
  size_t RetiredPending;
  /// Sum of the Bytes passed to retire() for those callbacks.
  size_t RetiredBytesPending;
  /// Callbacks run so far.
  uint64_t Reclaimed;
  /// Grace periods completed.
  uint64_t GracePeriods;
  /// Stall episodes detected (OnStall calls, whether or not OnStall is set).
  uint64_t Stalls;
  /// Stack checks made: threads asked to scan their stacks, summed over rounds.
  uint64_t StackChecks;
  /// Ranged items (retired code versions) whose callback a stack check let run before every
  /// thread passed a grace period.
  uint64_t StackCheckFrees;
  /// Stack checks that kept an item because the thread still held its code.
  uint64_t StackCheckHeld;
  /// Stack checks that kept every item because the thread did not answer in time, or could not
  /// scan (an unknown stack).
  uint64_t StackCheckUnanswered;
  /// Stack checks are on (StackCheckAfter > 0, x86-64 Linux, the signal was free).
  bool StackChecksEnabled;
  /// The read-side ordering this domain uses.
  EpochReaderFenceKind ReaderFence;
  /// Every thread registered in the domain.
  std::vector<EpochThreadInfo> Threads;
};

/// A thread that held up a grace period longer than StallThreshold.
struct EpochStall {
  /// OS thread id (gettid) of the thread.
  uint64_t ThreadId;
  /// How long it has held up grace periods so far (a lower bound).
  std::chrono::nanoseconds Held;
  /// True if it was inside a guard; false if it was an online QSBR thread
  /// that had not called quiescent().
  bool Pinned;
  /// What a stack check found on the thread's stack: the retired code it still runs, as the
  /// retire()'s EpochRetireRanges::Describe named it ("function 'f' of module 'm' version 3").
  /// Empty when stack checks are off or the thread was not checked.
  std::vector<std::string> RunningRetired;
  /// The thread did not answer its last stack check (it blocks the signal, or is stopped), or
  /// ran on a stack the check cannot read.
  bool Unanswered = false;
  /// One line naming the thread, the time and the cause: the retired code on its stack, or (a
  /// thread not checked) the likely cause: a guard skipped by longjmp; see
  /// EpochDomain::restoreDepth().
  std::string describe() const;
};

/// [Begin, End): memory of a retired item.
struct EpochAddressRange {
  uintptr_t Begin;
  uintptr_t End;
};

/// Where a retired item lives, for retire(): the item can only be reached by a thread that
/// holds an address inside Ranges in its registers or on its stack (a code version whose slots
/// point elsewhere: stubs never lead into it). Lets a stack check free it while threads that do
/// not hold it stay pinned.
struct EpochRetireRanges {
  std::vector<EpochAddressRange> Ranges;
  /// Names an address found inside Ranges in stall reports; called on the thread running the
  /// GP. Unset: the address in hex.
  std::function<std::string(uintptr_t Address)> Describe;
};

/// Construction options of an EpochDomain.
struct EpochDomainOptions {
  /// Own a thread that runs grace periods and callbacks for retired items.
  bool BackgroundReclaimer = true;
  /// After a retire, the reclaimer waits this long to batch more before a GP.
  /// After each batch it also looks for new work every ReclaimDelay, up to 8
  /// times, before it sleeps until woken: retires that follow each other
  /// closely (a stream of swaps) then wake no thread. 0: no delay, no polling.
  std::chrono::microseconds ReclaimDelay{200};
  /// A thread holding up a waiting GP longer than this is reported.
  std::chrono::milliseconds StallThreshold{1000};
  /// Called from the thread running the GP, with no domain lock held, at most
  /// once per stall episode per thread. Must not block on this domain. Unset:
  /// the domain writes EpochStall::describe() to stderr.
  std::function<void(const EpochStall &)> OnStall;
  /// TEST ONLY: run callbacks and return from synchronize() without waiting
  /// for readers, to prove that the stress tests can fail.
  bool UnsafeSkipGracePeriod = false;
  /// A thread that holds up a GP this long while an item retired with ranges waits is asked to
  /// scan its own stack (a signal; StackCheck.cpp has the protocol). 0: never; such items wait
  /// for the epoch like the others.
  std::chrono::microseconds StackCheckAfter{1000};
  /// The signal for stack checks; 0: SIGRTMIN + 5. It is installed (SA_RESTART) by the first
  /// domain that uses it, unless the program has a handler for it: then checks stay off.
  int StackCheckSignal = 0;
  /// How long a GP waits for a thread's answer before it counts it as unanswered.
  std::chrono::milliseconds StackCheckTimeout{20};
  /// TEST ONLY: every stack check finds nothing, to prove the tests see a premature free.
  bool UnsafeStackCheckFindsNothing = false;
  /// Use the seq_cst-reader fallback even where membarrier is available.
  bool ForceSeqCstReaders = false;
};

namespace detail {

/// The reader-hot part of one thread's registration in one domain; the rest
/// lives in EpochDomain.cpp. Owned jointly by the thread and the domain.
struct alignas(64) EpochThreadRecord {
  /// 0 when not pinned, else the epoch read by the outermost guard.
  std::atomic<uint64_t> Announce{0};
  /// 0 when offline or not a QSBR thread, else the epoch read by the last
  /// quiescent() or online().
  std::atomic<uint64_t> Quiescent{0};
  /// Guard nesting depth; owner thread only.
  uint32_t Nesting = 0;
};

/// One entry of the per-thread, direct-mapped cache of records.
struct EpochTlsSlot {
  uint64_t DomainId;
  EpochThreadRecord *Record;
};

inline constexpr unsigned EpochTlsSlotCount = 4;

/// The per-thread cache, keyed by domain id (never reused), not by address.
struct EpochTls {
  EpochTlsSlot Slots[EpochTlsSlotCount];
};

[[gnu::tls_model("initial-exec")]] extern constinit thread_local EpochTls TlsEpoch;

} // namespace detail

/// A domain of epoch-based reclamation: readers pin with EpochGuard (or act as
/// QSBR threads), writers retire() callbacks that run after a grace period.
/// Thread-safe; readers never block and never take a lock after registration.
class EpochDomain {
public:
  /// Creates the domain and, if asked, its reclaimer thread. Probes and
  /// registers membarrier once per process.
  explicit EpochDomain(EpochDomainOptions Opts = {}) noexcept;
  /// Stops the reclaimer, runs a final GP and every pending callback.
  /// Precondition: no thread pinned or online (QSBR) in this domain; idle
  /// registered threads may outlive the domain.
  ~EpochDomain();

  EpochDomain(const EpochDomain &) = delete;
  EpochDomain &operator=(const EpochDomain &) = delete;

  /// Pins the calling thread (registering it on first use); re-entrant.
  /// Wait-free after registration; never blocks.
  void enter() noexcept { enterRecord(); }
  /// Undoes one enter(); the outermost exit unpins.
  void exit() noexcept { exitRecord(*currentRecord()); }
  /// Records a domain keeps for signal handlers (enterFromSignalHandler()).
  static constexpr unsigned SignalRecordCount = 32;
  /// Pins the calling thread from a signal handler, whatever the thread and
  /// whatever it was doing: claims one of the domain's signal records and
  /// announces in it. Async-signal-safe, lock-free, never allocates. Returns
  /// the record to pass to exitFromSignalHandler(), or null (nothing pinned)
  /// when all SignalRecordCount records are held.
  [[nodiscard]] detail::EpochThreadRecord *enterFromSignalHandler() noexcept;
  /// Unpins what enterFromSignalHandler() returned, on the same thread, in
  /// the same handler. Async-signal-safe.
  void exitFromSignalHandler(detail::EpochThreadRecord *R) noexcept;
  /// True if the calling thread is inside a guard of this domain.
  bool isPinned() const noexcept {
    const detail::EpochThreadRecord *R = findRecord();
    return R && R->Nesting != 0;
  }

  /// Announces a quiescent state: the calling thread holds no reference
  /// obtained before this call. The first call (or one after offline()) makes
  /// the thread an online QSBR thread that holds up every GP until its next
  /// quiescent() or offline(). Inside a guard, the guard keeps protecting.
  void quiescent() noexcept {
    detail::EpochThreadRecord *R = currentRecord();
    // Relaxed: the owner reading its own word.
    if (R->Quiescent.load(std::memory_order_relaxed) == 0) [[unlikely]]
      return online();
    const uint64_t Word = announceWord();
    std::atomic_signal_fence(std::memory_order_seq_cst);
    // Release: pairs with the GP scan's acquire load of Quiescent.
    R->Quiescent.store(Word,
                       HOTJIT_EPOCH_TSAN ? std::memory_order_seq_cst : std::memory_order_release);
    std::atomic_signal_fence(std::memory_order_seq_cst);
  }
  /// The calling thread will block or sleep: it stops holding up GPs (an
  /// active guard still does). stats() lists it as a QSBR thread from now on.
  void offline() noexcept;
  /// Ends offline(): the thread is an online QSBR thread again and may take
  /// references; it holds up GPs until its next quiescent() or offline().
  void online() noexcept;
  /// True if the calling thread is an online QSBR thread of this domain.
  bool isOnline() const noexcept {
    const detail::EpochThreadRecord *R = findRecord();
    // Relaxed: the owner reading its own word.
    return R && R->Quiescent.load(std::memory_order_relaxed) != 0;
  }
  /// The calling thread's guard nesting depth in this domain: 0 when it is
  /// not pinned. Wait-free; never registers the thread.
  uint32_t depth() const noexcept {
    const detail::EpochThreadRecord *R = findRecord();
    return R ? R->Nesting : 0;
  }
  /// After a longjmp out of pinned code: ends every guard the calling thread
  /// entered since depth() returned \p Depth, as their skipped destructors
  /// (or exit() calls) would have, unpinning if \p Depth is 0. Guards still
  /// in scope must then be exactly those entered before that depth() call.
  /// Aborts if the thread is nested less deeply than \p Depth. Wait-free.
  void restoreDepth(uint32_t Depth) noexcept;

  /// Removes the calling thread's registration now instead of at thread exit.
  /// Aborts if the thread is pinned. A later use registers it again.
  void unregisterThread() noexcept;

  /// Queues Fn to run after a full GP that begins after this call. Never runs
  /// Fn itself: Fn runs on the reclaimer thread, or inside reclaim()/barrier()
  /// when there is no reclaimer. Takes a mutex that readers never take.
  void retire(std::function<void()> Fn, size_t Bytes = 0) noexcept;
  /// Like retire(Fn, Bytes), for an item that only threads holding an address inside \p Where
  /// can reach: it may also run once every thread either passed a grace period or, pinned
  /// longer than StackCheckAfter, was seen by a stack check to hold none of those addresses.
  /// Such items may run before items retired earlier.
  void retire(std::function<void()> Fn, size_t Bytes, EpochRetireRanges Where) noexcept;
  /// Blocks until every registered thread has passed a quiescent point since
  /// the call began. Aborts if the caller is pinned in this domain.
  void synchronize() noexcept;
  /// Runs one GP now, then, on the calling thread, every callback whose GP
  /// has completed; returns how many ran. Aborts if the caller is pinned.
  size_t reclaim() noexcept;
  /// Blocks until every callback retired before this call has run (on the
  /// reclaimer if there is one, else on the caller). Aborts if the caller is
  /// pinned or is running a callback of this domain.
  void barrier() noexcept;
  /// Backpressure for writers: waits until pendingBytes() <= Bytes or the
  /// timeout expires, driving reclamation if there is no reclaimer; returns
  /// whether the bound holds. A pinned caller only waits, never drives.
  bool waitPendingBytesBelow(size_t Bytes, std::chrono::nanoseconds Timeout) noexcept;
  /// Sum of the Bytes of retired callbacks not yet run; lock-free.
  size_t pendingBytes() const noexcept;
  /// Counters and per-thread state. Takes the domain's internal locks.
  EpochStats stats() const;

private:
  friend class EpochGuard;
  struct Impl;

  detail::EpochThreadRecord *currentRecord() noexcept {
    detail::EpochTlsSlot &S = detail::TlsEpoch.Slots[Id & (detail::EpochTlsSlotCount - 1)];
    if (S.DomainId == Id) [[likely]]
      return S.Record;
    return registerCurrentThread();
  }
  const detail::EpochThreadRecord *findRecord() const noexcept {
    const detail::EpochTlsSlot &S = detail::TlsEpoch.Slots[Id & (detail::EpochTlsSlotCount - 1)];
    if (S.DomainId == Id) [[likely]]
      return S.Record;
    return findRecordSlow();
  }
  uint64_t announceWord() const noexcept {
    // Acquire: pairs with the fetch_add that starts a GP, so a thread that
    // reads the new epoch sees every store made before that GP began.
    return Epoch.load(std::memory_order_acquire);
  }
  detail::EpochThreadRecord *enterRecord() noexcept {
    detail::EpochThreadRecord *R = currentRecord();
    if (R->Nesting++ != 0)
      return R;
    announce(*R);
    return R;
  }
  /// The outermost entry's announcement in \p R.
  void announce(detail::EpochThreadRecord &R) noexcept {
    const uint64_t Word = announceWord();
#if HOTJIT_EPOCH_TSAN
    R.Announce.store(Word, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
#else
    // Relaxed: ordered by the signal fence below against the GP's membarrier,
    // or by the seq_cst fence against the GP's seq_cst fence (fallback).
    R.Announce.store(Word, std::memory_order_relaxed);
    if (SeqCstReaders) [[unlikely]]
      std::atomic_thread_fence(std::memory_order_seq_cst);
    std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
  }
  static void exitRecord(detail::EpochThreadRecord &R) noexcept {
    assert(R.Nesting != 0 && "EpochDomain::exit() without a matching enter()");
    if (--R.Nesting != 0)
      return;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    // Release: pairs with the GP scan's acquire load of Announce.
    R.Announce.store(0, HOTJIT_EPOCH_TSAN ? std::memory_order_seq_cst : std::memory_order_release);
  }

  detail::EpochThreadRecord *registerCurrentThread() noexcept;
  const detail::EpochThreadRecord *findRecordSlow() const noexcept;

  alignas(64) const uint64_t Id;
  const bool SeqCstReaders;
  /// Mutable: stats() is an observation, and observations advance it.
  mutable std::atomic<uint64_t> Epoch{1};
  alignas(64) std::unique_ptr<Impl> P;
};

/// RAII: takes the calling QSBR thread offline for a blocking region and
/// brings it back online afterwards. On a thread that is not an online QSBR
/// thread it does nothing, so a guard-only thread never becomes a QSBR one.
class QsbrOfflineScope {
public:
  /// Goes offline if the calling thread is an online QSBR thread of D.
  explicit QsbrOfflineScope(EpochDomain &D) noexcept : Domain(D), WasOnline(D.isOnline()) {
    if (WasOnline)
      Domain.offline();
  }
  /// Goes back online if the constructor went offline.
  ~QsbrOfflineScope() {
    if (WasOnline)
      Domain.online();
  }
  QsbrOfflineScope(const QsbrOfflineScope &) = delete;
  QsbrOfflineScope &operator=(const QsbrOfflineScope &) = delete;

private:
  EpochDomain &Domain;
  const bool WasOnline;
};

} // namespace hotjit

#endif // HOTJIT_CONCURRENCY_EPOCHDOMAIN_H
