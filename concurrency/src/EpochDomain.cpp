//===- EpochDomain.cpp - Grace periods, retire batches, thread registry ---===//
//
// PROTOCOL: the orderings, reclamation rule, costs and limitations are in the
// PROTOCOL block of EpochDomain.h; this file holds the slow paths.
//  - Registry: the domain and each registered thread share every record
//    (shared_ptr), and each record shares the registry, so thread exit never
//    touches a destroyed domain and a domain never touches a freed record.
//    Registry::Mutex guards the record list and the observer fields; readers
//    take it only to register or unregister.
//  - Grace periods: one leader at a time (GpMutex/GpRunning); callers of
//    synchronize() that asked before a GP started share it. The leader
//    advances Epoch, issues the heavy fence, polls every record until it is
//    idle or announces the new epoch (spin, yield, then sleep up to 1 ms;
//    each poll round ends with an epoch bump), reports stalls, and issues the
//    heavy fence again (liburcu smp_mb_master before and after the wait). A
//    leader given a deadline may abandon its GP; the next leader starts anew.
//  - Batches: retire() fills the open batch under RetireMutex; seal() stamps it
//    with the number of the next GP to start (RetireMutex, then GpMutex, so
//    stamps grow in queue order). RunMutex serialises callback execution so
//    callbacks run, and are counted, in retire order; barrier() waits on that
//    count.
//  - Signal records: SignalRecordCount records per domain, made and registered
//    by the constructor, never added or removed afterwards, so a handler walks
//    the fixed list without a lock. Record::Claimer is their ownership word.
//  - Lock order: RunMutex, RetireMutex, GpMutex; Registry::Mutex is a leaf.
//    No lock is held while callbacks or OnStall run, except RunMutex around
//    callbacks (reclaim() and barrier() from a callback detect it).
//
//===----------------------------------------------------------------------===//

#include "hotjit/concurrency/EpochDomain.h"

#include "hotjit/concurrency/AsyncSignalBlockScope.h"

#include "StackCheck.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include <linux/membarrier.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hotjit {

namespace detail {
constinit thread_local EpochTls TlsEpoch{};
} // namespace detail

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::nanoseconds;

constexpr uint64_t UnseenWord = ~uint64_t(0);

int64_t nowNs() noexcept {
  return std::chrono::duration_cast<nanoseconds>(Clock::now().time_since_epoch()).count();
}

[[noreturn]] void fatal(const char *Message) noexcept {
  std::fprintf(stderr, "hotjit: EpochDomain: %s\n", Message);
  std::fflush(stderr);
  std::abort();
}

void cpuRelax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

long sysMembarrier(int Command) noexcept { return syscall(__NR_membarrier, Command, 0u, 0); }

/// Probes membarrier once per process and registers the process for
/// PRIVATE_EXPEDITED; false if either step fails.
bool registerMembarrier() noexcept {
  static const bool Registered = [] {
    const long Mask = sysMembarrier(MEMBARRIER_CMD_QUERY);
    if (Mask < 0 || !(Mask & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ||
        !(Mask & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
      return false;
    return sysMembarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
  }();
  return Registered;
}

bool wantsSeqCstReaders(const EpochDomainOptions &Opts) noexcept {
  if (HOTJIT_EPOCH_TSAN)
    return true;
  const bool Membarrier = registerMembarrier();
  return Opts.ForceSeqCstReaders || !Membarrier;
}

/// True if Word (an announce or quiescent word) does not hold up a grace
/// period that advanced the epoch to Target.
bool passed(uint64_t Word, uint64_t Target) noexcept { return Word == 0 || Word >= Target; }

// Relaxed: identifiers only need to be unique.
std::atomic<uint64_t> NextDomainId{1};

struct Registry;

/// A thread's registration in one domain: the reader-hot words plus what the
/// domain needs to observe and report the thread.
struct Record final : detail::EpochThreadRecord {
  Record(uint64_t DomainId, std::shared_ptr<Registry> Reg, bool ForSignals = false) noexcept
      : DomainId(DomainId), ThreadId(ForSignals ? 0 : static_cast<uint64_t>(::gettid())),
        Reg(std::move(Reg)), ForSignals(ForSignals) {}

  /// The thread reported for this record: the owner, or a signal record's
  /// current holder (0 when free).
  uint64_t reportedThreadId() const noexcept {
    // Relaxed: reports only.
    return ForSignals ? Claimer.load(std::memory_order_relaxed) : ThreadId;
  }

  const uint64_t DomainId;
  const uint64_t ThreadId;
  const std::shared_ptr<Registry> Reg;
  /// One of the domain's records for signal handlers (enterFromSignalHandler).
  const bool ForSignals;
  /// Signal records: 0 when free, else the thread id of the handler that
  /// holds it. Claimed by CAS (acquire), freed by a release store.
  std::atomic<uint64_t> Claimer{0};
  /// Relaxed: statistics only; written by the owner, read by stats().
  std::atomic<bool> UsesQsbr{false};
  /// Set when the owning thread's TLS was already destroyed at registration:
  /// such a record is owned by the registry alone.
  bool Orphan = false;
  /// The owner's stack-check mailbox (StackCheck.h); null for signal records and orphans.
  std::shared_ptr<detail::StackCell> Cell;

  // Observer state, guarded by Registry::Mutex, on its own cache line so that
  // grace periods polling it do not disturb the owner's announce words.
  alignas(64) uint64_t SeenAnnounce = UnseenWord;
  uint64_t SeenQuiescent = UnseenWord;
  int64_t LastQuiescentNs = 0;
  bool StallReported = false;
  /// The last stack check of this pin: what it found, or that the thread did not answer.
  bool Checked = false;
  bool CheckUnanswered = false;
  std::vector<std::string> RunningRetired;
  /// When checks began to find retired code on the stack (or no answer), in this pin; 0: the
  /// last check found it clean.
  int64_t HeldSinceNs = 0;
};

struct Registry {
  std::mutex Mutex;
  std::vector<std::shared_ptr<Record>> Records; // guarded by Mutex
  bool Closed = false;                          // guarded by Mutex

  void add(std::shared_ptr<Record> R) {
    std::lock_guard<std::mutex> L(Mutex);
    if (!Closed)
      Records.push_back(std::move(R));
  }
  void remove(const Record *R) {
    std::lock_guard<std::mutex> L(Mutex);
    std::erase_if(Records, [R](const std::shared_ptr<Record> &X) { return X.get() == R; });
  }
  bool isClosed() {
    std::lock_guard<std::mutex> L(Mutex);
    return Closed;
  }
  void close() {
    std::vector<std::shared_ptr<Record>> Dropped;
    {
      std::lock_guard<std::mutex> L(Mutex);
      Closed = true;
      Dropped.swap(Records);
    }
  }
  std::shared_ptr<Record> findOrphan(uint64_t ThreadId) {
    std::lock_guard<std::mutex> L(Mutex);
    for (const std::shared_ptr<Record> &R : Records)
      if (R->Orphan && R->ThreadId == ThreadId)
        return R;
    return nullptr;
  }
};

/// Updates R's observer state (Registry::Mutex held) and returns whether R
/// does not hold up a grace period that advanced the epoch to Target (0: no
/// grace period, an observation for stats() only). Every observation round
/// ends with bumpAfterObservation() before Registry::Mutex is released, so a
/// word seen unchanged by the next round was not re-announced in between.
bool observe(Record &R, int64_t Now, uint64_t Target) noexcept {
  // Acquire: pairs with the owner's release (seq_cst under TSan) stores in
  // guard exit, quiescent(), offline(), online() and thread exit: the owner's
  // reads before its store happen-before what the observer does next.
  const uint64_t Announce = R.Announce.load(std::memory_order_acquire);
  const uint64_t Quiescent = R.Quiescent.load(std::memory_order_acquire);
  const bool ForGp = Target != 0 && passed(Announce, Target) && passed(Quiescent, Target);
  const bool GuardQuiet =
      Announce == 0 || (R.SeenAnnounce != UnseenWord && Announce != R.SeenAnnounce);
  const bool QsbrQuiet =
      Quiescent == 0 || (R.SeenQuiescent != UnseenWord && Quiescent != R.SeenQuiescent);
  const bool Quiet = ForGp || (GuardQuiet && QsbrQuiet);
  if (Quiet || R.SeenAnnounce == UnseenWord)
    R.LastQuiescentNs = Now;
  if (Quiet) {
    R.StallReported = false;
    R.Checked = false;
    R.CheckUnanswered = false;
    R.RunningRetired.clear();
    R.HeldSinceNs = 0;
  }
  R.SeenAnnounce = Announce;
  R.SeenQuiescent = Quiescent;
  return ForGp;
}

/// Drops a record's hold on every grace period and removes it from its
/// domain's registry (a no-op if the domain is gone).
void releaseRecord(Record &R) noexcept {
  R.Nesting = 0;
  // Release: pairs with observe()'s acquire loads.
  R.Announce.store(0, std::memory_order_release);
  R.Quiescent.store(0, std::memory_order_release);
  R.Reg->remove(&R);
}

void forgetSlotsOf(const detail::EpochThreadRecord *R) noexcept {
  for (detail::EpochTlsSlot &S : detail::TlsEpoch.Slots)
    if (S.Record == R)
      S = {0, nullptr};
}

/// The calling thread's registrations; its destructor unregisters the thread
/// from every live domain at thread exit.
struct ThreadRecords {
  std::vector<std::shared_ptr<Record>> Records;
  /// The thread's stack-check mailbox, shared with its records.
  std::shared_ptr<detail::StackCell> Cell;

  ~ThreadRecords();
};

thread_local ThreadRecords OwnedRecords;
constinit thread_local bool OwnedRecordsDestroyed = false;

ThreadRecords::~ThreadRecords() {
  detail::StackCell::detachCurrentThread();
  for (const std::shared_ptr<Record> &R : Records)
    releaseRecord(*R);
  Records.clear();
  for (detail::EpochTlsSlot &S : detail::TlsEpoch.Slots)
    S = {0, nullptr};
  OwnedRecordsDestroyed = true;
}

/// The domains whose callbacks the calling thread is running, innermost
/// first.
struct CallbackFrame {
  uint64_t DomainId;
  const CallbackFrame *Outer;
};
constinit thread_local const CallbackFrame *CallbackFrames = nullptr;

bool runningCallbacksOf(uint64_t DomainId) noexcept {
  for (const CallbackFrame *F = CallbackFrames; F; F = F->Outer)
    if (F->DomainId == DomainId)
      return true;
  return false;
}

void backoff(unsigned Round) noexcept {
  if (Round < 8) {
    for (int I = 0; I < 64; ++I)
      cpuRelax();
  } else if (Round < 16) {
    std::this_thread::yield();
  } else {
    const unsigned Shift = std::min(Round - 16, 6u);
    std::this_thread::sleep_for(std::chrono::microseconds(16u << Shift));
  }
}

Clock::time_point deadlineAfter(nanoseconds Timeout) noexcept {
  const Clock::time_point Now = Clock::now();
  if (Timeout <= nanoseconds::zero())
    return Now;
  if (Timeout >= Clock::time_point::max() - Now)
    return Clock::time_point::max();
  return Now + std::chrono::duration_cast<Clock::duration>(Timeout);
}

/// Waits on Cv until Pred holds or Deadline passes; returns Pred().
template <typename PredT>
bool waitUntil(std::condition_variable &Cv, std::unique_lock<std::mutex> &L,
               Clock::time_point Deadline, PredT Pred) {
  if (Deadline == Clock::time_point::max()) {
    Cv.wait(L, Pred);
    return true;
  }
  return Cv.wait_until(L, Deadline, Pred);
}

/// One retired callback.
struct Item {
  std::function<void()> Fn;
  size_t Bytes = 0;
  /// Set for items retired with ranges: a stack check may run them early.
  std::shared_ptr<const EpochRetireRanges> Where;
  /// A stack check ran it (Fn is empty); runReady() skips it.
  bool Done = false;
  /// Not checked again before this time (a backoff while threads hold it).
  int64_t NextCheckNs = 0;
  unsigned Checks = 0;
};

struct Batch {
  uint64_t Stamp = 0;
  size_t Bytes = 0; ///< Of the items not Done.
  std::vector<Item> Items;
};

/// How a GP leader's wait ended.
enum class GpEndKind {
  Completed,
  TimedOut,
  /// Only threads pinned longer than StackCheckAfter hold it up, and a ranged item is due for
  /// a stack check: the leader gave the GP up to check them (GpHold says which).
  HeldLong,
};

/// What a GP given up with HeldLong leaves to the stack check.
struct GpHold {
  uint64_t Gp = 0; ///< Items stamped <= Gp were retired before the GP began.
  std::vector<std::shared_ptr<Record>> Threads;
};

} // namespace

struct EpochDomain::Impl {
  Impl(EpochDomainOptions O, bool UseMembarrier)
      : Opts(std::move(O)), Membarrier(UseMembarrier), Reg(std::make_shared<Registry>()) {}

  const EpochDomainOptions Opts;
  const bool Membarrier;
  const std::shared_ptr<Registry> Reg;
  /// Records for signal handlers; fixed after construction.
  std::vector<std::shared_ptr<Record>> SignalRecords;

  // Retire side.
  std::mutex RetireMutex;
  std::condition_variable ReclaimerCv; // the reclaimer waits for work
  std::condition_variable DrainCv;     // barrier() and backpressure wait
  std::vector<Item> Open;              // guarded by RetireMutex
  size_t OpenBytes = 0;                // guarded by RetireMutex
  std::deque<Batch> Sealed;            // guarded by RetireMutex
  uint64_t RetiredTotal = 0;           // guarded by RetireMutex
  uint64_t ReclaimedTotal = 0;         // guarded by RetireMutex
  size_t PendingCount = 0;             // guarded by RetireMutex
  size_t RangedPending = 0;            // guarded by RetireMutex
  bool Stop = false;                   // guarded by RetireMutex
  bool Urgent = false;                 // guarded by RetireMutex
  /// The reclaimer looks for work on its own within ReclaimDelay: retire()
  /// need not wake it. Guarded by RetireMutex.
  bool Polling = false;
  /// Polls without work before the reclaimer sleeps until woken.
  static constexpr unsigned IdlePollLimit = 8;
  /// Relaxed: written under RetireMutex, read lock-free as a statistic;
  /// waiters re-check it under RetireMutex.
  std::atomic<size_t> PendingBytes{0};

  // Grace-period sequencing.
  std::mutex GpMutex;
  std::condition_variable GpCv;
  uint64_t GpsStarted = 0; // guarded by GpMutex
  bool GpRunning = false;  // guarded by GpMutex
  /// Number of the last completed GP; stored with release under GpMutex,
  /// loaded with acquire by runReady().
  std::atomic<uint64_t> GpsCompleted{0};
  std::vector<std::shared_ptr<Record>> Pending; // the GP leader's scan list

  /// Relaxed: statistics only.
  std::atomic<uint64_t> GracePeriods{0};
  std::atomic<uint64_t> Stalls{0};
  std::atomic<uint64_t> StackChecks{0}, StackCheckFrees{0}, StackCheckHeld{0},
      StackCheckUnanswered{0};

  /// Stack checks are on: the option asks for them and the handler is installed.
  bool StackChecksOn = false;
  int StackCheckSignal = 0;

  std::mutex RunMutex; // serialises callback execution
  std::thread Reclaimer;

  static void bumpAfterObservation(const EpochDomain &D) noexcept {
    // Relaxed: the bump orders nothing itself; being an RMW it continues the
    // release sequence of the fetch_add that started the last GP, so readers
    // that load it still synchronize with that GP.
    D.Epoch.fetch_add(1, std::memory_order_relaxed);
  }

  void heavyFence() const noexcept {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (Membarrier && sysMembarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0) {
      // EPERM: a forked child does not inherit the parent's registration.
      if (errno != EPERM || sysMembarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0 ||
          sysMembarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
        fatal("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) failed after "
              "registration");
    }
    std::atomic_thread_fence(std::memory_order_seq_cst);
  }

  /// The number of a GP that starts after this call.
  uint64_t nextGracePeriod() {
    std::lock_guard<std::mutex> L(GpMutex);
    return GpsStarted + 1;
  }

  GpEndKind runGracePeriod(EpochDomain &D, Clock::time_point Deadline, GpHold *Hold);
  GpEndKind awaitGracePeriod(EpochDomain &D, uint64_t Need, Clock::time_point Deadline,
                             GpHold *Hold);
  bool stackCheckDue(uint64_t Gp, int64_t Now);
  size_t checkStacks(EpochDomain &D, GpHold &Hold);
  uint64_t seal();
  size_t runReady(uint64_t DomainId);
  size_t reclaimOnce(EpochDomain &D, Clock::time_point Deadline, bool MayCheck = true);
  bool hasWork() {
    std::lock_guard<std::mutex> L(RetireMutex);
    return !Open.empty() || !Sealed.empty();
  }
  void reclaimerLoop(EpochDomain &D);
};

GpEndKind EpochDomain::Impl::runGracePeriod(EpochDomain &D, Clock::time_point Deadline,
                                            GpHold *Hold) {
  const uint64_t Target = D.Epoch.fetch_add(1, std::memory_order_seq_cst) + 1;
  heavyFence();
  {
    std::lock_guard<std::mutex> L(Reg->Mutex);
    Pending.assign(Reg->Records.begin(), Reg->Records.end());
  }
  std::vector<EpochStall> Stalled;
  const int64_t Threshold = std::chrono::duration_cast<nanoseconds>(Opts.StallThreshold).count();
  const int64_t CheckAfter = std::chrono::duration_cast<nanoseconds>(Opts.StackCheckAfter).count();
  for (unsigned Round = 0;; ++Round) {
    bool AllLong = StackChecksOn && Hold;
    size_t RangedWaiting = 0;
    if (StackChecksOn) {
      std::lock_guard<std::mutex> L(RetireMutex);
      RangedWaiting = RangedPending;
    }
    int64_t Now;
    {
      std::lock_guard<std::mutex> L(Reg->Mutex);
      Now = nowNs();
      std::erase_if(Pending,
                    [&](const std::shared_ptr<Record> &R) { return observe(*R, Now, Target); });
      for (const std::shared_ptr<Record> &R : Pending) {
        const int64_t Held = Now - R->LastQuiescentNs;
        const bool Checkable = StackChecksOn && R->Cell;
        if (!Checkable || Held <= CheckAfter)
          AllLong = false;
        // A checkable thread is a stall only when a check found retired code on its stack or
        // it did not answer. One a check found clean holds no retired code: merely pinned long,
        // it is no stall. One not checked yet while ranged items wait will be checked first.
        const bool Clean =
            Checkable && R->Checked && !R->CheckUnanswered && R->RunningRetired.empty();
        const bool CheckComing = Checkable && !R->Checked && RangedWaiting != 0;
        // One that holds retired code is a stall once it has held it for StallThreshold.
        const bool HeldLong = !Checkable || !R->Checked || Now - R->HeldSinceNs > Threshold;
        const bool Blames = !Clean && !CheckComing && HeldLong;
        if (!R->StallReported && Held > Threshold && Blames) {
          R->StallReported = true;
          // SeenAnnounce: the word observe() just read.
          EpochStall S{R->reportedThreadId(), nanoseconds(Held), R->SeenAnnounce != 0, {}, false};
          S.RunningRetired = R->RunningRetired;
          S.Unanswered = R->CheckUnanswered;
          Stalled.push_back(std::move(S));
        }
      }
      bumpAfterObservation(D);
    }
    if (!Stalled.empty()) {
      Stalls.fetch_add(Stalled.size(), std::memory_order_relaxed);
      for (const EpochStall &Stall : Stalled)
        if (Opts.OnStall)
          Opts.OnStall(Stall);
        else
          std::fprintf(stderr, "hotjit: EpochDomain: %s\n", Stall.describe().c_str());
      Stalled.clear();
    }
    if (Pending.empty())
      break;
    if (AllLong && stackCheckDue(Hold->Gp, Now)) {
      Hold->Threads = std::move(Pending);
      Pending.clear();
      heavyFence();
      return GpEndKind::HeldLong;
    }
    if (Clock::now() >= Deadline) {
      Pending.clear();
      return GpEndKind::TimedOut;
    }
    backoff(Round);
  }
  heavyFence();
  GracePeriods.fetch_add(1, std::memory_order_relaxed);
  return GpEndKind::Completed;
}

/// True if a ranged item waits that a stack check could free now: one retired before GP \p Gp
/// began whose backoff has passed, or one not yet sealed (the next GP will check it).
bool EpochDomain::Impl::stackCheckDue(uint64_t Gp, int64_t Now) {
  std::lock_guard<std::mutex> L(RetireMutex);
  if (RangedPending == 0)
    return false;
  for (const Item &I : Open)
    if (I.Where)
      return true;
  for (const Batch &B : Sealed) {
    if (B.Stamp > Gp)
      break;
    for (const Item &I : B.Items)
      if (I.Where && !I.Done && I.NextCheckNs <= Now)
        return true;
  }
  return false;
}

GpEndKind EpochDomain::Impl::awaitGracePeriod(EpochDomain &D, uint64_t Need,
                                              Clock::time_point Deadline, GpHold *Hold) {
  std::unique_lock<std::mutex> L(GpMutex);
  // Relaxed loads of GpsCompleted below: it is only stored under GpMutex.
  while (GpsCompleted.load(std::memory_order_relaxed) < Need) {
    if (!GpRunning) {
      GpRunning = true;
      const uint64_t Mine = ++GpsStarted;
      L.unlock();
      if (Hold)
        Hold->Gp = Mine;
      const GpEndKind End = runGracePeriod(D, Deadline, Hold);
      L.lock();
      GpRunning = false;
      // Release: pairs with runReady()'s acquire load; callbacks stamped
      // <= Mine run after every reader section this GP waited for.
      if (End == GpEndKind::Completed)
        GpsCompleted.store(Mine, std::memory_order_release);
      GpCv.notify_all();
      if (End == GpEndKind::HeldLong)
        return End;
      if (End == GpEndKind::TimedOut)
        return GpsCompleted.load(std::memory_order_relaxed) >= Need ? GpEndKind::Completed
                                                                    : GpEndKind::TimedOut;
      continue;
    }
    if (!waitUntil(GpCv, L, Deadline, [&] {
          return !GpRunning || GpsCompleted.load(std::memory_order_relaxed) >= Need;
        }))
      return GpEndKind::TimedOut;
  }
  return GpEndKind::Completed;
}

/// After a GP given up with HeldLong: every thread but Hold.Threads passed GP Hold.Gp. Asks
/// those threads to scan their stacks for the ranged items stamped <= Hold.Gp that are due,
/// and runs every such item that no thread holds. Returns how many ran.
size_t EpochDomain::Impl::checkStacks(EpochDomain &D, GpHold &Hold) {
  if (runningCallbacksOf(D.Id))
    return 0;
  // RunMutex: no one pops Sealed meanwhile, so the items stay where they are.
  std::lock_guard<std::mutex> Run(RunMutex);
  const int64_t Now = nowNs();
  std::vector<Item *> Items;
  std::vector<std::shared_ptr<const EpochRetireRanges>> Where;
  {
    std::lock_guard<std::mutex> L(RetireMutex);
    size_t Ranges = 0;
    for (Batch &B : Sealed) {
      if (B.Stamp > Hold.Gp)
        break;
      for (Item &I : B.Items) {
        if (!I.Where || I.Done || I.NextCheckNs > Now ||
            Items.size() >= detail::StackCheckMaxItems ||
            Ranges + I.Where->Ranges.size() > detail::StackCheckMaxRanges)
          continue;
        Ranges += I.Where->Ranges.size();
        Items.push_back(&I);
        Where.push_back(I.Where);
      }
    }
  }
  if (Items.empty())
    return 0;
  std::vector<detail::StackCheckTarget> Targets;
  for (const std::shared_ptr<Record> &R : Hold.Threads)
    Targets.push_back({R->Cell, false, false, {}, {}});
  if (!Opts.UnsafeStackCheckFindsNothing) {
    std::vector<const std::vector<EpochAddressRange> *> Ranges;
    for (const auto &W : Where)
      Ranges.push_back(&W->Ranges);
    detail::runStackCheck(StackCheckSignal, Ranges, Targets, Opts.StackCheckTimeout);
  } else {
    for (detail::StackCheckTarget &T : Targets)
      T.Answered = true;
  }
  StackChecks.fetch_add(Targets.size(), std::memory_order_relaxed);

  std::vector<bool> Held(Items.size(), false);
  for (size_t T = 0; T < Targets.size(); ++T) {
    const detail::StackCheckTarget &X = Targets[T];
    const bool Blind = !X.Answered || X.Unscannable;
    if (Blind) {
      Held.assign(Items.size(), true);
      StackCheckUnanswered.fetch_add(1, std::memory_order_relaxed);
    } else if (!X.Held.empty()) {
      StackCheckHeld.fetch_add(1, std::memory_order_relaxed);
    }
    std::vector<std::string> Found;
    for (size_t K = 0; K < X.Held.size(); ++K) {
      Held[X.Held[K]] = true;
      const EpochRetireRanges &W = *Where[X.Held[K]];
      char Hex[32];
      std::snprintf(Hex, sizeof Hex, "0x%llx", static_cast<unsigned long long>(X.HeldAt[K]));
      Found.push_back(W.Describe ? W.Describe(X.HeldAt[K]) : std::string("retired code at ") + Hex);
    }
    std::lock_guard<std::mutex> L(Reg->Mutex);
    Record &R = *Hold.Threads[T];
    if (!Blind && Found.empty())
      R.HeldSinceNs = 0;
    else if (R.HeldSinceNs == 0)
      R.HeldSinceNs = Now;
    R.Checked = true;
    R.CheckUnanswered = Blind;
    R.RunningRetired = std::move(Found);
  }

  std::vector<std::function<void()>> Ready;
  size_t Bytes = 0;
  {
    std::lock_guard<std::mutex> L(RetireMutex);
    for (size_t K = 0; K < Items.size(); ++K) {
      Item &I = *Items[K];
      if (Held[K]) {
        I.NextCheckNs = Now + (int64_t(1000000) << std::min(I.Checks, 6u));
        ++I.Checks;
        continue;
      }
      I.Done = true;
      Ready.push_back(std::move(I.Fn));
      I.Fn = nullptr;
      Bytes += I.Bytes;
      --RangedPending;
      for (Batch &B : Sealed)
        if (&I >= B.Items.data() && &I < B.Items.data() + B.Items.size())
          B.Bytes -= I.Bytes;
    }
  }
  if (Ready.empty())
    return 0;
  const CallbackFrame Frame{D.Id, CallbackFrames};
  CallbackFrames = &Frame;
  for (std::function<void()> &Fn : Ready)
    if (Fn)
      Fn();
  CallbackFrames = Frame.Outer;
  StackCheckFrees.fetch_add(Ready.size(), std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> L(RetireMutex);
    ReclaimedTotal += Ready.size();
    PendingCount -= Ready.size();
    PendingBytes.fetch_sub(Bytes, std::memory_order_relaxed);
  }
  DrainCv.notify_all();
  return Ready.size();
}

uint64_t EpochDomain::Impl::seal() {
  uint64_t Stamp = 0;
  if (!Opts.UnsafeSkipGracePeriod)
    Stamp = nextGracePeriod();
  if (!Open.empty()) {
    Sealed.push_back(Batch{Stamp, OpenBytes, std::move(Open)});
    Open.clear();
    OpenBytes = 0;
  }
  return Stamp;
}

size_t EpochDomain::Impl::runReady(uint64_t DomainId) {
  if (runningCallbacksOf(DomainId))
    return 0;
  std::lock_guard<std::mutex> Run(RunMutex);
  const CallbackFrame Frame{DomainId, CallbackFrames};
  CallbackFrames = &Frame;
  size_t Ran = 0;
  for (;;) {
    Batch B;
    {
      std::lock_guard<std::mutex> L(RetireMutex);
      // Acquire: pairs with awaitGracePeriod()'s release store.
      if (Sealed.empty() || Sealed.front().Stamp > GpsCompleted.load(std::memory_order_acquire))
        break;
      B = std::move(Sealed.front());
      Sealed.pop_front();
    }
    size_t N = 0, Ranged = 0;
    for (Item &I : B.Items) {
      if (I.Done)
        continue;
      ++N;
      Ranged += I.Where != nullptr;
      if (I.Fn)
        I.Fn();
      I.Fn = nullptr;
    }
    {
      std::lock_guard<std::mutex> L(RetireMutex);
      ReclaimedTotal += N;
      PendingCount -= N;
      RangedPending -= Ranged;
      PendingBytes.fetch_sub(B.Bytes, std::memory_order_relaxed);
    }
    DrainCv.notify_all();
    Ran += N;
  }
  CallbackFrames = Frame.Outer;
  return Ran;
}

size_t EpochDomain::Impl::reclaimOnce(EpochDomain &D, Clock::time_point Deadline, bool MayCheck) {
  uint64_t Stamp;
  {
    std::lock_guard<std::mutex> L(RetireMutex);
    Stamp = seal();
  }
  if (Stamp != 0) {
    GpHold Hold;
    const GpEndKind End = awaitGracePeriod(D, Stamp, Deadline, MayCheck ? &Hold : nullptr);
    if (End == GpEndKind::TimedOut)
      return 0;
    if (End == GpEndKind::HeldLong)
      return checkStacks(D, Hold) + runReady(D.Id);
  }
  return runReady(D.Id);
}

void EpochDomain::Impl::reclaimerLoop(EpochDomain &D) {
  std::unique_lock<std::mutex> L(RetireMutex);
  const bool Delay = Opts.ReclaimDelay.count() > 0;
  auto HasWork = [&] { return !Open.empty() || !Sealed.empty(); };
  unsigned IdlePolls = 0;
  for (;;) {
    // After a batch the reclaimer keeps looking for work every ReclaimDelay
    // for a while (Polling), so that retire() during a stream of swaps wakes
    // no thread: on a 2-vCPU guest a futex wake of the other vCPU cost about
    // 25 us of each commit. Work found by a poll has already waited up to a
    // ReclaimDelay, so it gets no second delay.
    bool FoundByPoll = false;
    while (!Stop && !HasWork()) {
      if (Polling && IdlePolls < IdlePollLimit) {
        ++IdlePolls;
        ReclaimerCv.wait_for(L, Opts.ReclaimDelay, [&] { return Stop || Urgent; });
        FoundByPoll = true;
        continue;
      }
      Polling = false; // From here on retire() wakes the reclaimer.
      FoundByPoll = false;
      ReclaimerCv.wait(L, [&] { return Stop || HasWork(); });
    }
    if (!Stop && !Urgent && !FoundByPoll && Delay)
      ReclaimerCv.wait_for(L, Opts.ReclaimDelay, [&] { return Stop || Urgent; });
    Urgent = false;
    if (Stop && !HasWork())
      return;
    L.unlock();
    reclaimOnce(D, Clock::time_point::max());
    L.lock();
    Polling = Delay;
    IdlePolls = 0;
  }
}

EpochDomain::EpochDomain(EpochDomainOptions Opts) noexcept
    : Id(NextDomainId.fetch_add(1, std::memory_order_relaxed)),
      SeqCstReaders(wantsSeqCstReaders(Opts)),
      P(std::make_unique<Impl>(std::move(Opts), !SeqCstReaders)) {
  P->SignalRecords.reserve(SignalRecordCount);
  for (unsigned I = 0; I < SignalRecordCount; ++I) {
    P->SignalRecords.push_back(std::make_shared<Record>(Id, P->Reg, /*ForSignals=*/true));
    P->Reg->add(P->SignalRecords.back());
  }
  if (P->Opts.StackCheckAfter.count() > 0) {
    P->StackCheckSignal = P->Opts.StackCheckSignal ? P->Opts.StackCheckSignal : SIGRTMIN + 5;
    P->StackChecksOn = detail::installStackCheckHandler(P->StackCheckSignal);
  }
  // The reclaimer takes none of the program's signals (AsyncSignalBlockScope.h).
  if (P->Opts.BackgroundReclaimer)
    P->Reclaimer = startSignalFreeThread([this] { P->reclaimerLoop(*this); });
}

EpochDomain::~EpochDomain() {
  if (isPinned())
    fatal("domain destroyed by a thread pinned in it (inside an EpochGuard)");
  if (isOnline())
    offline();
  if (P->Reclaimer.joinable()) {
    {
      std::lock_guard<std::mutex> L(P->RetireMutex);
      P->Stop = true;
    }
    P->ReclaimerCv.notify_all();
    P->Reclaimer.join();
  }
  while (P->hasWork())
    P->reclaimOnce(*this, Clock::time_point::max());
  P->Reg->close();
}

detail::EpochThreadRecord *EpochDomain::registerCurrentThread() noexcept {
  detail::EpochTlsSlot &Slot = detail::TlsEpoch.Slots[Id & (detail::EpochTlsSlotCount - 1)];
  if (OwnedRecordsDestroyed) {
    // Thread exit already ran ThreadRecords' destructor (a later thread_local
    // destructor uses a guard): the registry alone owns the record.
    const uint64_t ThreadId = static_cast<uint64_t>(::gettid());
    std::shared_ptr<Record> R = P->Reg->findOrphan(ThreadId);
    if (!R) {
      R = std::make_shared<Record>(Id, P->Reg);
      R->Orphan = true;
      P->Reg->add(R);
    }
    Slot = {Id, R.get()};
    return R.get();
  }
  std::vector<std::shared_ptr<Record>> &Owned = OwnedRecords.Records;
  for (const std::shared_ptr<Record> &R : Owned)
    if (R->DomainId == Id) {
      Slot = {Id, R.get()};
      return R.get();
    }
  std::erase_if(Owned, [](const std::shared_ptr<Record> &R) {
    if (!R->Reg->isClosed())
      return false;
    forgetSlotsOf(R.get());
    return true;
  });
  auto R = std::make_shared<Record>(Id, P->Reg);
  if (!OwnedRecords.Cell)
    OwnedRecords.Cell = detail::StackCell::forCurrentThread();
  R->Cell = OwnedRecords.Cell;
  P->Reg->add(R);
  Owned.push_back(R);
  Slot = {Id, R.get()};
  return R.get();
}

const detail::EpochThreadRecord *EpochDomain::findRecordSlow() const noexcept {
  if (OwnedRecordsDestroyed)
    return P->Reg->findOrphan(static_cast<uint64_t>(::gettid())).get();
  for (const std::shared_ptr<Record> &R : OwnedRecords.Records)
    if (R->DomainId == Id) {
      detail::TlsEpoch.Slots[Id & (detail::EpochTlsSlotCount - 1)] = {Id, R.get()};
      return R.get();
    }
  return nullptr;
}

detail::EpochThreadRecord *EpochDomain::enterFromSignalHandler() noexcept {
  const uint64_t Self = static_cast<uint64_t>(::gettid());
  for (const std::shared_ptr<Record> &R : P->SignalRecords) {
    uint64_t Free = 0;
    // Acquire: pairs with exitFromSignalHandler()'s release store: the last
    // holder's writes to Nesting happen-before this holder's.
    if (!R->Claimer.compare_exchange_strong(Free, Self, std::memory_order_acquire,
                                            std::memory_order_relaxed))
      continue;
    R->Nesting = 1;
    announce(*R);
    return R.get();
  }
  return nullptr;
}

void EpochDomain::exitFromSignalHandler(detail::EpochThreadRecord *R) noexcept {
  exitRecord(*R);
  // Release: pairs with the next claim's acquire CAS.
  static_cast<Record *>(R)->Claimer.store(0, std::memory_order_release);
}

void EpochDomain::offline() noexcept {
  auto *R = static_cast<Record *>(currentRecord());
  R->UsesQsbr.store(true, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  // Release: pairs with observe()'s acquire load of Quiescent.
  R->Quiescent.store(0, std::memory_order_release);
}

void EpochDomain::online() noexcept {
  auto *R = static_cast<Record *>(currentRecord());
  R->UsesQsbr.store(true, std::memory_order_relaxed);
  // seq_cst store and fence: a Dekker pair with the seq_cst fence of the GP's
  // heavyFence() between its epoch increment and its scan.
  R->Quiescent.store(announceWord(), std::memory_order_seq_cst);
  std::atomic_thread_fence(std::memory_order_seq_cst);
}

void EpochDomain::restoreDepth(uint32_t Depth) noexcept {
  const uint32_t Now = depth();
  if (Now < Depth)
    fatal("restoreDepth() asked for a deeper guard nesting than the calling "
          "thread holds (was the depth saved in another domain or thread?)");
  if (Now == Depth)
    return;
  detail::EpochThreadRecord *R = currentRecord();
  // The skipped exits collapse into one: only the outermost unpins, and it
  // does so with exitRecord()'s ordering.
  R->Nesting = Depth + 1;
  exitRecord(*R);
}

std::string EpochStall::describe() const {
  const double Ms = std::chrono::duration<double, std::milli>(Held).count();
  char Buf[512];
  if (!RunningRetired.empty()) {
    std::string Text = "thread " + std::to_string(ThreadId) + " has been " +
                       (Pinned ? "pinned" : "online") + " for " + std::to_string(int64_t(Ms)) +
                       " ms and still runs retired code (found on its stack): ";
    for (size_t I = 0; I < RunningRetired.size(); ++I)
      Text += (I ? ", " : "") + RunningRetired[I];
    return Text + "; it is freed once the thread returns from it";
  }
  if (Unanswered)
    std::snprintf(Buf, sizeof Buf,
                  "thread %llu has been %s for %.1f ms and did not answer a stack check (it "
                  "blocks the check's signal, is stopped, or runs on a stack of its own), "
                  "holding up reclamation",
                  static_cast<unsigned long long>(ThreadId), Pinned ? "pinned" : "online", Ms);
  else if (Pinned)
    std::snprintf(Buf, sizeof Buf,
                  "thread %llu has been pinned (inside an EpochGuard) for %.1f ms, "
                  "holding up reclamation; likely cause: a guard never exited, e.g. one "
                  "skipped by a longjmp out of a pinned call (save EpochDomain::depth() "
                  "before setjmp, call restoreDepth() after the longjmp), or a reader "
                  "that blocks while pinned",
                  static_cast<unsigned long long>(ThreadId), Ms);
  else
    std::snprintf(Buf, sizeof Buf,
                  "thread %llu is an online QSBR thread that has not called "
                  "quiescent() for %.1f ms, holding up reclamation; call "
                  "quiescent() between work items and offline() before "
                  "blocking",
                  static_cast<unsigned long long>(ThreadId), Ms);
  return Buf;
}

void EpochDomain::unregisterThread() noexcept {
  if (isPinned())
    fatal("unregisterThread() called by a thread pinned in the domain");
  if (OwnedRecordsDestroyed)
    return;
  std::vector<std::shared_ptr<Record>> &Owned = OwnedRecords.Records;
  auto It = std::find_if(Owned.begin(), Owned.end(),
                         [&](const std::shared_ptr<Record> &R) { return R->DomainId == Id; });
  if (It == Owned.end())
    return;
  std::shared_ptr<Record> R = std::move(*It);
  Owned.erase(It);
  forgetSlotsOf(R.get());
  releaseRecord(*R);
}

void EpochDomain::retire(std::function<void()> Fn, size_t Bytes) noexcept {
  retire(std::move(Fn), Bytes, EpochRetireRanges{});
}

void EpochDomain::retire(std::function<void()> Fn, size_t Bytes, EpochRetireRanges Where) noexcept {
  bool WasIdle, Polling;
  Item I;
  I.Fn = std::move(Fn);
  I.Bytes = Bytes;
  if (!Where.Ranges.empty())
    I.Where = std::make_shared<const EpochRetireRanges>(std::move(Where));
  {
    std::lock_guard<std::mutex> L(P->RetireMutex);
    WasIdle = P->Open.empty();
    Polling = P->Polling;
    P->RangedPending += I.Where != nullptr;
    P->Open.push_back(std::move(I));
    P->OpenBytes += Bytes;
    ++P->RetiredTotal;
    ++P->PendingCount;
    P->PendingBytes.fetch_add(Bytes, std::memory_order_relaxed);
  }
  if (WasIdle && P->Opts.BackgroundReclaimer && !Polling)
    P->ReclaimerCv.notify_one();
}

void EpochDomain::synchronize() noexcept {
  if (isPinned())
    fatal("synchronize() called by a thread pinned in the same domain "
          "(inside an EpochGuard); it would wait for itself forever");
  QsbrOfflineScope Offline(*this);
  if (P->Opts.UnsafeSkipGracePeriod)
    return;
  P->awaitGracePeriod(*this, P->nextGracePeriod(), Clock::time_point::max(), nullptr);
}

size_t EpochDomain::reclaim() noexcept {
  if (isPinned())
    fatal("reclaim() called by a thread pinned in the same domain (inside an "
          "EpochGuard); its grace period would wait for itself forever");
  QsbrOfflineScope Offline(*this);
  return P->reclaimOnce(*this, Clock::time_point::max());
}

void EpochDomain::barrier() noexcept {
  if (isPinned())
    fatal("barrier() called by a thread pinned in the same domain (inside an "
          "EpochGuard); it would wait for itself forever");
  if (runningCallbacksOf(Id))
    fatal("barrier() called from a retired callback of the same domain; it "
          "would wait for itself forever");
  QsbrOfflineScope Offline(*this);
  std::unique_lock<std::mutex> L(P->RetireMutex);
  const uint64_t Target = P->RetiredTotal;
  if (P->Opts.BackgroundReclaimer) {
    if (P->ReclaimedTotal >= Target)
      return;
    P->Urgent = true;
    P->ReclaimerCv.notify_one();
    P->DrainCv.wait(L, [&] { return P->ReclaimedTotal >= Target; });
    return;
  }
  while (P->ReclaimedTotal < Target) {
    L.unlock();
    P->reclaimOnce(*this, Clock::time_point::max());
    L.lock();
  }
}

bool EpochDomain::waitPendingBytesBelow(size_t Bytes, nanoseconds Timeout) noexcept {
  if (pendingBytes() <= Bytes)
    return true;
  const Clock::time_point Deadline = deadlineAfter(Timeout);
  const bool Drive = !P->Opts.BackgroundReclaimer && !isPinned() && !runningCallbacksOf(Id);
  QsbrOfflineScope Offline(*this);
  if (!Drive) {
    std::unique_lock<std::mutex> L(P->RetireMutex);
    if (P->Opts.BackgroundReclaimer) {
      P->Urgent = true;
      P->ReclaimerCv.notify_one();
    }
    return waitUntil(P->DrainCv, L, Deadline,
                     [&] { return P->PendingBytes.load(std::memory_order_relaxed) <= Bytes; });
  }
  for (;;) {
    P->reclaimOnce(*this, Deadline);
    if (pendingBytes() <= Bytes)
      return true;
    if (Clock::now() >= Deadline)
      return false;
  }
}

size_t EpochDomain::pendingBytes() const noexcept {
  return P->PendingBytes.load(std::memory_order_relaxed);
}

EpochStats EpochDomain::stats() const {
  EpochStats S{};
  // Relaxed loads: statistics only.
  S.Epoch = Epoch.load(std::memory_order_relaxed);
  S.GracePeriods = P->GracePeriods.load(std::memory_order_relaxed);
  S.Stalls = P->Stalls.load(std::memory_order_relaxed);
  S.StackChecks = P->StackChecks.load(std::memory_order_relaxed);
  S.StackCheckFrees = P->StackCheckFrees.load(std::memory_order_relaxed);
  S.StackCheckHeld = P->StackCheckHeld.load(std::memory_order_relaxed);
  S.StackCheckUnanswered = P->StackCheckUnanswered.load(std::memory_order_relaxed);
  S.StackChecksEnabled = P->StackChecksOn;
  S.ReaderFence = SeqCstReaders ? EpochReaderFenceKind::SeqCst : EpochReaderFenceKind::Membarrier;
  {
    std::lock_guard<std::mutex> L(P->RetireMutex);
    S.RetiredPending = P->PendingCount;
    S.RetiredBytesPending = P->PendingBytes.load(std::memory_order_relaxed);
    S.Reclaimed = P->ReclaimedTotal;
  }
  std::lock_guard<std::mutex> L(P->Reg->Mutex);
  const int64_t Now = nowNs();
  S.Threads.reserve(P->Reg->Records.size());
  for (const std::shared_ptr<Record> &R : P->Reg->Records) {
    observe(*R, Now, 0);
    if (R->ForSignals && R->reportedThreadId() == 0)
      continue; // A free signal record.
    const bool Qsbr = R->UsesQsbr.load(std::memory_order_relaxed);
    S.Threads.push_back(EpochThreadInfo{R->reportedThreadId(), R->SeenAnnounce != 0,
                                        !(Qsbr && R->SeenQuiescent == 0), Qsbr,
                                        nanoseconds(Now - R->LastQuiescentNs)});
  }
  Impl::bumpAfterObservation(*this);
  return S;
}

} // namespace hotjit
