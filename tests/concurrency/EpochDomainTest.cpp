//===- EpochDomainTest.cpp - Behaviour of EpochDomain, EpochGuard and QSBR ===//
//
// Each test is named for the behaviour it pins down and was seen to fail with
// the protection removed: build with -DHOTJIT_EPOCH_TEST_SKIP_GRACE_PERIOD=1
// to run every domain with UnsafeSkipGracePeriod, and the waiting tests and
// the stress tests fail (StressDetectsReclaimWithoutGracePeriod keeps that
// evidence in every run). Worker threads never call gtest assertions; they
// report through atomics that the test thread checks.
//
//===----------------------------------------------------------------------===//

#include "hotjit/concurrency/EpochDomain.h"
#include "hotjit/concurrency/EpochGuard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <new>
#include <semaphore>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>

using namespace hotjit;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

#ifdef HOTJIT_EPOCH_TEST_SKIP_GRACE_PERIOD
constexpr bool SkipGracePeriod = true;
#else
constexpr bool SkipGracePeriod = false;
#endif

/// Options for a test domain: no coalescing delay, so tests stay fast.
EpochDomainOptions testOptions(bool Reclaimer = true, bool SeqCst = false) {
  EpochDomainOptions O;
  O.BackgroundReclaimer = Reclaimer;
  O.ReclaimDelay = 0us;
  O.ForceSeqCstReaders = SeqCst;
  O.UnsafeSkipGracePeriod = SkipGracePeriod;
  return O;
}

uint64_t currentTid() { return static_cast<uint64_t>(::gettid()); }

/// Runs Fn on its own thread so the test can ask whether it has returned.
class Async {
public:
  explicit Async(std::function<void()> Fn)
      : Thread([this, Fn = std::move(Fn)] {
          Fn();
          Done.store(true);
        }) {}
  ~Async() {
    if (!waitFor(10s)) {
      std::fprintf(stderr, "EpochDomainTest: a blocked call never returned\n");
      std::_Exit(1);
    }
    Thread.join();
  }
  Async(const Async &) = delete;
  Async &operator=(const Async &) = delete;

  /// True once Fn has returned; polls for at most Timeout.
  bool waitFor(Clock::duration Timeout) {
    const Clock::time_point Deadline = Clock::now() + Timeout;
    while (!Done.load()) {
      if (Clock::now() >= Deadline)
        return false;
      std::this_thread::sleep_for(1ms);
    }
    return true;
  }

private:
  std::atomic<bool> Done{false};
  std::thread Thread;
};

/// A thread pinned in a domain until release() is called; it sets
/// AboutToUnpin just before its guard ends.
class PinnedReader {
public:
  explicit PinnedReader(EpochDomain &D)
      : Thread([this, &D] {
          Tid.store(currentTid());
          EpochGuard G(D);
          Pinned.count_down();
          Go.acquire();
          AboutToUnpin.store(true);
        }) {
    Pinned.wait();
  }
  ~PinnedReader() { release(); }

  void release() {
    if (!Thread.joinable())
      return;
    Go.release();
    Thread.join();
  }

  std::atomic<bool> AboutToUnpin{false};
  std::atomic<uint64_t> Tid{0};

private:
  std::latch Pinned{1};
  std::binary_semaphore Go{0};
  std::thread Thread;
};

const EpochThreadInfo *findThread(const EpochStats &S, uint64_t Tid) {
  for (const EpochThreadInfo &T : S.Threads)
    if (T.ThreadId == Tid)
      return &T;
  return nullptr;
}

void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

//===----------------------------------------------------------------------===//
// Stress: readers check a magic field that retire callbacks poison.
//===----------------------------------------------------------------------===//

constexpr uint64_t AliveMagic = 0xA11CE5AFEC0DE001ull;
constexpr uint64_t PoisonMagic = 0xDEADC0DEDEADC0DEull;

struct Node {
  explicit Node(uint64_t V) : Value(V) {}
  std::atomic<uint64_t> Magic{AliveMagic};
  uint64_t Value; // plain: TSan checks the reader/reclaimer ordering on it
};

struct StressResult {
  uint64_t Reads = 0;
  uint64_t Poisoned = 0;
  uint64_t Updates = 0;
  uint64_t GracePeriods = 0;
  size_t PendingAfterBarrier = 0;
};

/// Guard readers, a QSBR reader, a writer that retires (and sometimes
/// synchronizes and frees directly) and a fake writer that only synchronizes.
/// With FreeNodes false the callbacks only poison (the nodes are freed at the
/// end), so a premature callback is observable without undefined behaviour.
StressResult runStress(EpochDomainOptions Opts, Clock::duration Duration, bool FreeNodes) {
  StressResult Result;
  std::mutex GraveyardMutex;
  std::vector<Node *> Graveyard;
  std::atomic<uint64_t> Reads{0}, Poisoned{0}, Updates{0}, Sink{0};
  auto CheckNode = [&](Node *N) {
    uint64_t Sum = N->Value;
    for (int I = 0; I < 8; ++I) {
      if (N->Magic.load(std::memory_order_relaxed) != AliveMagic) {
        Poisoned.fetch_add(1);
        return Sum;
      }
      cpuRelax();
    }
    return Sum + N->Value;
  };
  auto Retire = [&](Node *Old) {
    Old->Magic.store(PoisonMagic, std::memory_order_relaxed);
    if (FreeNodes) {
      Old->Value = ~uint64_t(0);
      delete Old;
      return;
    }
    std::lock_guard<std::mutex> L(GraveyardMutex);
    Graveyard.push_back(Old);
  };
  {
    EpochDomain D(std::move(Opts));
    // Head: release by the writer's exchange, acquire by readers, so a
    // reader sees a node's fields as constructed. Stop is relaxed: join()
    // orders everything after it. Magic is relaxed: the poison check needs
    // atomicity only, and the Value accesses let TSan check the ordering.
    std::atomic<Node *> Head{new Node(0)};
    std::atomic<bool> Stop{false};
    std::vector<std::thread> Threads;
    for (int R = 0; R < 3; ++R)
      Threads.emplace_back([&, R] {
        uint64_t Local = 0, Sum = 0;
        while (!Stop.load(std::memory_order_relaxed)) {
          EpochGuard G(D);
          Sum += CheckNode(Head.load(std::memory_order_acquire));
          if ((++Local & 15) == unsigned(R)) {
            EpochGuard Nested(D);
            Sum += CheckNode(Head.load(std::memory_order_acquire));
          }
        }
        Reads.fetch_add(Local);
        Sink.fetch_add(Sum);
      });
    Threads.emplace_back([&] {
      uint64_t Local = 0, Sum = 0;
      D.quiescent();
      while (!Stop.load(std::memory_order_relaxed)) {
        Sum += CheckNode(Head.load(std::memory_order_acquire));
        D.quiescent();
        if ((++Local & 255) == 0) {
          D.offline();
          std::this_thread::yield();
          D.online();
        }
      }
      D.offline();
      Reads.fetch_add(Local);
      Sink.fetch_add(Sum);
    });
    Threads.emplace_back([&] {
      while (!Stop.load(std::memory_order_relaxed)) {
        D.synchronize();
        std::this_thread::sleep_for(100us);
      }
    });
    Threads.emplace_back([&] {
      uint64_t N = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        Node *Old = Head.exchange(new Node(++N), std::memory_order_acq_rel);
        if (N % 128 == 0) {
          D.synchronize();
          Retire(Old);
        } else {
          D.retire([&Retire, Old] { Retire(Old); }, sizeof(Node));
        }
        if (N % 64 == 0)
          D.waitPendingBytesBelow(64 * 1024, 10ms);
      }
      Updates.store(N);
    });

    const Clock::time_point End = Clock::now() + Duration;
    while (Clock::now() < End && Poisoned.load() == 0)
      std::this_thread::sleep_for(5ms);
    Stop.store(true);
    for (std::thread &T : Threads)
      T.join();
    D.barrier();
    Result.GracePeriods = D.stats().GracePeriods;
    Result.PendingAfterBarrier = D.pendingBytes();
    Retire(Head.load());
  }
  for (Node *N : Graveyard)
    delete N;
  Result.Reads = Reads.load();
  Result.Poisoned = Poisoned.load();
  Result.Updates = Updates.load();
  return Result;
}

void recordStress(const StressResult &R) {
  testing::Test::RecordProperty("reads", std::to_string(R.Reads));
  testing::Test::RecordProperty("updates", std::to_string(R.Updates));
  testing::Test::RecordProperty("grace_periods", std::to_string(R.GracePeriods));
  testing::Test::RecordProperty("poisoned", std::to_string(R.Poisoned));
}

} // namespace

//===----------------------------------------------------------------------===//
// Read side
//===----------------------------------------------------------------------===//

TEST(EpochDomainTest, RetireRunsAfterLastGuardDies) {
  EpochDomainOptions O = testOptions();
  // The stall reports say when the grace period is waiting on both readers.
  std::atomic<int> Reported{0};
  O.StallThreshold = 5ms;
  O.OnStall = [&](const EpochStall &) { ++Reported; };
  EpochDomain D(O);
  std::atomic<bool> Ran{false};
  PinnedReader First(D), Second(D);
  D.retire([&] { Ran.store(true); });
  const auto Deadline = std::chrono::steady_clock::now() + 60s;
  while (Reported < 2 && !Ran && std::chrono::steady_clock::now() < Deadline)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(Reported.load(), 2) << "the grace period did not wait on both readers";
  EXPECT_FALSE(Ran.load()) << "callback ran while two readers were pinned";
  First.release();
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(Ran.load()) << "callback ran while one reader was pinned";
  Second.release();
  D.barrier();
  EXPECT_TRUE(Ran.load());
}

TEST(EpochDomainTest, GuardIsReentrant) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  EXPECT_FALSE(D.isPinned());
  D.enter();
  D.enter();
  D.exit();
  EXPECT_TRUE(D.isPinned()) << "inner exit() unpinned the outer enter()";
  D.exit();
  EXPECT_FALSE(D.isPinned());

  std::atomic<int> Stage{0};
  std::atomic<bool> PinnedAfterInner{false}, AboutToUnpin{false};
  std::thread Reader([&] {
    EpochGuard Outer(D);
    {
      EpochGuard Inner(D);
      Stage.store(1);
      while (Stage.load() != 2)
        std::this_thread::yield();
    }
    PinnedAfterInner.store(D.isPinned());
    Stage.store(3);
    while (Stage.load() != 4)
      std::this_thread::yield();
    AboutToUnpin.store(true);
  });
  while (Stage.load() != 1)
    std::this_thread::yield();
  std::atomic<bool> Ran{false}, SawUnpin{false};
  D.retire([&] { Ran.store(true); });
  Stage.store(2);
  while (Stage.load() != 3)
    std::this_thread::yield();
  {
    Async Reclaim([&] {
      D.reclaim();
      SawUnpin.store(AboutToUnpin.load());
    });
    EXPECT_FALSE(Reclaim.waitFor(50ms)) << "GP ended after the inner guard";
    EXPECT_FALSE(Ran.load());
    Stage.store(4);
    Reader.join();
    EXPECT_TRUE(Reclaim.waitFor(5s));
  }
  EXPECT_TRUE(PinnedAfterInner.load());
  EXPECT_TRUE(SawUnpin.load());
  EXPECT_TRUE(Ran.load());
}

TEST(EpochDomainTest, GuardReleasesWhenExceptionUnwinds) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  try {
    EpochGuard G(D);
    EXPECT_TRUE(D.isPinned());
    throw 42;
  } catch (int) {
  }
  EXPECT_FALSE(D.isPinned());
  Async Sync([&] { D.synchronize(); });
  EXPECT_TRUE(Sync.waitFor(5s));
}

TEST(EpochDomainTest, SynchronizeWaitsForPinnedReader) {
  for (bool SeqCst : {false, true}) {
    SCOPED_TRACE(SeqCst ? "seq_cst readers" : "membarrier readers");
    EpochDomain D(testOptions(/*Reclaimer=*/true, SeqCst));
    if (SeqCst) {
      EXPECT_EQ(D.stats().ReaderFence, EpochReaderFenceKind::SeqCst);
    }
    PinnedReader Reader(D);
    std::atomic<bool> SawUnpinFlag{false};
    Async Sync([&] {
      D.synchronize();
      SawUnpinFlag.store(Reader.AboutToUnpin.load());
    });
    EXPECT_FALSE(Sync.waitFor(50ms)) << "synchronize() returned while a reader was pinned";
    Reader.release();
    EXPECT_TRUE(Sync.waitFor(5s));
    EXPECT_TRUE(SawUnpinFlag.load()) << "synchronize() returned before the reader began to unpin";
  }
}

TEST(EpochDomainTest, ReaderPinnedAfterSynchronizeBeganDoesNotBlockIt) {
  std::atomic<bool> GpWaiting{false};
  EpochDomainOptions O = testOptions(/*Reclaimer=*/false);
  O.StallThreshold = 1ms;
  O.OnStall = [&](const EpochStall &) { GpWaiting.store(true); };
  EpochDomain D(O);
  PinnedReader Old(D);
  Async Sync([&] { D.synchronize(); });
  const Clock::time_point Deadline = Clock::now() + 5s;
  while (!GpWaiting.load() && !Sync.waitFor(1ms) && Clock::now() < Deadline)
    ;
  PinnedReader Late(D);
  Old.release();
  EXPECT_TRUE(Sync.waitFor(5s)) << "a reader that pinned after the GP began held it up";
  Late.release();
}

//===----------------------------------------------------------------------===//
// Registration and thread lifetime
//===----------------------------------------------------------------------===//

TEST(EpochDomainTest, ExitedThreadDoesNotBlockReclaim) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  std::atomic<uint64_t> Tid{0};
  std::thread([&] {
    Tid.store(currentTid());
    {
      EpochGuard G(D);
    }
    D.quiescent(); // exits as an online QSBR thread
  }).join();
  EXPECT_EQ(findThread(D.stats(), Tid.load()), nullptr)
      << "thread exit left its registration behind";
  std::atomic<bool> Ran{false};
  D.retire([&] { Ran.store(true); });
  Async Reclaim([&] { D.reclaim(); });
  EXPECT_TRUE(Reclaim.waitFor(5s)) << "an exited thread blocked the GP";
  EXPECT_TRUE(Ran.load());
}

TEST(EpochDomainTest, UnregisteredThreadDoesNotBlockReclaim) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  std::latch Unregistered(1);
  std::binary_semaphore Go{0};
  std::atomic<uint64_t> Tid{0};
  std::thread T([&] {
    Tid.store(currentTid());
    D.quiescent();
    D.unregisterThread();
    Unregistered.count_down();
    Go.acquire();
  });
  Unregistered.wait();
  EXPECT_EQ(findThread(D.stats(), Tid.load()), nullptr);
  {
    Async Sync([&] { D.synchronize(); });
    EXPECT_TRUE(Sync.waitFor(5s));
  }
  Go.release();
  T.join();
}

TEST(EpochDomainTest, DomainDestroyedBeforeThreadExit) {
  alignas(EpochDomain) unsigned char Storage[sizeof(EpochDomain)];
  auto *First = new (Storage) EpochDomain(testOptions());
  std::latch Registered(1), PinnedInSecond(1);
  std::binary_semaphore Rebuilt{0}, Unpin{0}, Exit{0};
  EpochDomain *Second = nullptr;
  std::atomic<uint64_t> Tid{0};
  std::atomic<bool> AboutToUnpin{false};
  std::thread T([&] {
    Tid.store(currentTid());
    {
      EpochGuard G(*First);
    }
    First->quiescent();
    First->offline();
    Registered.count_down();
    Rebuilt.acquire();
    {
      EpochGuard G(*Second);
      PinnedInSecond.count_down();
      Unpin.acquire();
      AboutToUnpin.store(true);
    }
    Exit.acquire();
  });
  Registered.wait();
  EXPECT_NE(findThread(First->stats(), Tid.load()), nullptr);
  First->~EpochDomain(); // an idle registered thread must not hold it up
  Second = new (Storage) EpochDomain(testOptions());
  ASSERT_EQ(static_cast<void *>(First), static_cast<void *>(Second));
  Rebuilt.release();
  PinnedInSecond.wait();
  const EpochThreadInfo *Info = nullptr;
  const EpochStats S = Second->stats();
  Info = findThread(S, Tid.load());
  EXPECT_NE(Info, nullptr) << "the new domain at the old address did not see "
                              "the thread register (cache keyed by address?)";
  EXPECT_TRUE(Info && Info->Pinned);
  std::atomic<bool> SawUnpin{false};
  {
    Async Sync([&] {
      Second->synchronize();
      SawUnpin.store(AboutToUnpin.load());
    });
    EXPECT_FALSE(Sync.waitFor(50ms));
    Unpin.release();
    EXPECT_TRUE(Sync.waitFor(5s));
  }
  EXPECT_TRUE(SawUnpin.load());
  Second->~EpochDomain();
  Exit.release();
  T.join(); // thread exit releases records of two destroyed domains
}

TEST(EpochDomainTest, MultipleDomainsAreIndependent) {
  EpochDomain A(testOptions(/*Reclaimer=*/false));
  EpochDomain B(testOptions(/*Reclaimer=*/false));
  PinnedReader Reader(A);
  std::atomic<bool> RanA{false}, RanB{false};
  A.retire([&] { RanA.store(true); });
  B.retire([&] { RanB.store(true); });
  {
    Async SyncB([&] { B.barrier(); });
    EXPECT_TRUE(SyncB.waitFor(5s)) << "a reader pinned in A held up B";
  }
  EXPECT_TRUE(RanB.load());
  {
    Async SyncA([&] { A.barrier(); });
    EXPECT_FALSE(SyncA.waitFor(50ms));
    EXPECT_FALSE(RanA.load());
    Reader.release();
    EXPECT_TRUE(SyncA.waitFor(5s));
  }
  EXPECT_TRUE(RanA.load());
}

TEST(EpochDomainTest, DomainsSharingACacheSlotKeepSeparateNesting) {
  std::vector<std::unique_ptr<EpochDomain>> Domains;
  for (int I = 0; I < 9; ++I)
    Domains.push_back(std::make_unique<EpochDomain>(testOptions(/*Reclaimer=*/false)));
  for (auto &D : Domains)
    D->enter();
  for (auto &D : Domains)
    EXPECT_TRUE(D->isPinned());
  {
    EpochGuard G0(*Domains[0]);
    EpochGuard G4(*Domains[4]);
  }
  for (size_t I = 0; I < Domains.size(); I += 2)
    Domains[I]->exit();
  for (size_t I = 0; I < Domains.size(); ++I)
    EXPECT_EQ(Domains[I]->isPinned(), I % 2 == 1) << "domain " << I;
  for (size_t I = 1; I < Domains.size(); I += 2)
    Domains[I]->exit();
  for (auto &D : Domains)
    EXPECT_FALSE(D->isPinned());

  std::latch Pinned(1);
  std::binary_semaphore Go{0};
  std::thread T([&] {
    Domains[0]->enter();
    Domains[4]->enter();
    Domains[0]->exit();
    Pinned.count_down();
    Go.acquire();
    Domains[4]->exit();
  });
  Pinned.wait();
  {
    Async Sync0([&] { Domains[0]->synchronize(); });
    EXPECT_TRUE(Sync0.waitFor(5s));
  }
  {
    Async Sync4([&] { Domains[4]->synchronize(); });
    EXPECT_FALSE(Sync4.waitFor(50ms));
    Go.release();
    EXPECT_TRUE(Sync4.waitFor(5s));
  }
  T.join();
}

//===----------------------------------------------------------------------===//
// QSBR
//===----------------------------------------------------------------------===//

TEST(EpochDomainTest, OnlineQsbrThreadBlocksUntilQuiescent) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  std::latch Online(1);
  std::binary_semaphore Quiesce{0}, Finish{0};
  std::atomic<bool> AboutToQuiesce{false}, SawQuiesce{false};
  std::thread T([&] {
    D.quiescent();
    Online.count_down();
    Quiesce.acquire();
    AboutToQuiesce.store(true);
    D.quiescent(); // stays online afterwards
    Finish.acquire();
    D.offline();
  });
  Online.wait();
  {
    Async Sync([&] {
      D.synchronize();
      SawQuiesce.store(AboutToQuiesce.load());
    });
    EXPECT_FALSE(Sync.waitFor(50ms)) << "synchronize() ignored an online QSBR thread";
    Quiesce.release();
    EXPECT_TRUE(Sync.waitFor(5s)) << "quiescent() did not let the grace period end";
  }
  EXPECT_TRUE(SawQuiesce.load());
  Finish.release();
  T.join();
}

TEST(EpochDomainTest, OfflineQsbrThreadDoesNotBlock) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  std::latch Offline(2);
  std::counting_semaphore<2> Go{0};
  std::atomic<uint64_t> TidA{0}, TidB{0};
  std::atomic<bool> OnlineAfterScope{false}, OnlineInScope{true};
  std::thread A([&] {
    TidA.store(currentTid());
    D.quiescent();
    D.offline();
    Offline.count_down();
    Go.acquire();
    D.online();
    D.offline();
  });
  std::thread B([&] {
    TidB.store(currentTid());
    D.quiescent();
    {
      QsbrOfflineScope Scope(D);
      OnlineInScope.store(D.isOnline());
      Offline.count_down();
      Go.acquire();
    }
    OnlineAfterScope.store(D.isOnline());
    D.offline();
  });
  Offline.wait();
  const EpochStats S = D.stats();
  for (uint64_t Tid : {TidA.load(), TidB.load()}) {
    const EpochThreadInfo *Info = findThread(S, Tid);
    ASSERT_NE(Info, nullptr);
    EXPECT_FALSE(Info->Online);
    EXPECT_TRUE(Info->Qsbr);
    EXPECT_FALSE(Info->Pinned);
  }
  std::atomic<bool> Ran{false};
  D.retire([&] { Ran.store(true); });
  {
    Async Reclaim([&] { D.reclaim(); });
    EXPECT_TRUE(Reclaim.waitFor(5s)) << "an offline QSBR thread blocked";
  }
  EXPECT_TRUE(Ran.load());
  Go.release(2);
  A.join();
  B.join();
  EXPECT_FALSE(OnlineInScope.load());
  EXPECT_TRUE(OnlineAfterScope.load());
}

TEST(EpochDomainTest, QsbrOfflineScopeKeepsGuardOnlyThreadGuardOnly) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  {
    EpochGuard G(D);
  }
  {
    QsbrOfflineScope Scope(D);
  }
  EXPECT_FALSE(D.isOnline()) << "the scope turned a guard thread into QSBR";
  Async Sync([&] { D.synchronize(); });
  EXPECT_TRUE(Sync.waitFor(5s));
}

TEST(EpochDomainTest, SynchronizeFromOnlineQsbrThreadDoesNotWaitForItself) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  std::atomic<bool> OnlineAfter{false};
  {
    Async Sync([&] {
      D.quiescent();
      D.synchronize();
      D.reclaim();
      D.barrier();
      OnlineAfter.store(D.isOnline());
      D.offline();
    });
    EXPECT_TRUE(Sync.waitFor(5s));
  }
  EXPECT_TRUE(OnlineAfter.load());
}

//===----------------------------------------------------------------------===//
// Write side
//===----------------------------------------------------------------------===//

TEST(EpochDomainTest, OneGracePeriodServesAWholeBatch) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  std::atomic<int> Ran{0};
  const uint64_t Before = D.stats().GracePeriods;
  for (int I = 0; I < 100; ++I)
    D.retire([&] { Ran.fetch_add(1); }, 8);
  EXPECT_EQ(D.reclaim(), 100u);
  EXPECT_EQ(Ran.load(), 100);
  if (!SkipGracePeriod) {
    EXPECT_EQ(D.stats().GracePeriods - Before, 1u);
  }
}

// After a batch the reclaimer polls for new work for a while, and retire() does not wake it then;
// once it has gone to sleep, retire() must wake it again. Work retired in either state runs.
TEST(EpochDomainTest, RetiresWhileTheReclaimerPollsAndAfterItSleptAreRun) {
  EpochDomainOptions O = testOptions();
  O.ReclaimDelay = 2ms;
  EpochDomain D(O);
  std::atomic<int> Ran{0};
  auto RanWithin = [&](int Want, std::chrono::milliseconds Limit) {
    const Clock::time_point Deadline = Clock::now() + Limit;
    while (Ran.load() < Want && Clock::now() < Deadline)
      std::this_thread::sleep_for(100us);
    return Ran.load() == Want;
  };
  D.retire([&] { Ran.fetch_add(1); });
  ASSERT_TRUE(RanWithin(1, 5s));
  D.retire([&] { Ran.fetch_add(1); }); // The reclaimer is polling: no wake-up.
  EXPECT_TRUE(RanWithin(2, 5s));
  std::this_thread::sleep_for(100ms); // Past its polls: asleep until woken.
  D.retire([&] { Ran.fetch_add(1); });
  EXPECT_TRUE(RanWithin(3, 5s));
}

TEST(EpochDomainTest, ReclaimerCoalescesRetiresAndRunsThemOffCallerThread) {
  EpochDomainOptions O = testOptions();
  O.ReclaimDelay = 50ms;
  EpochDomain D(O);
  std::atomic<int> Ran{0};
  std::atomic<bool> RanOnCaller{false};
  const std::thread::id Caller = std::this_thread::get_id();
  for (int I = 0; I < 100; ++I)
    D.retire([&] {
      if (std::this_thread::get_id() == Caller)
        RanOnCaller.store(true);
      Ran.fetch_add(1);
    });
  const Clock::time_point Deadline = Clock::now() + 5s;
  while (Ran.load() != 100 && Clock::now() < Deadline)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(Ran.load(), 100);
  EXPECT_FALSE(RanOnCaller.load());
  if (!SkipGracePeriod) {
    EXPECT_LT(D.stats().GracePeriods, 10u) << "one GP per retire";
  }
}

TEST(EpochDomainTest, CallbacksRunInOrderAndMayRetire) {
  EpochDomain D(testOptions());
  std::mutex M;
  std::vector<int> Order;
  auto Log = [&](int V) {
    std::lock_guard<std::mutex> L(M);
    Order.push_back(V);
  };
  {
    // Pinned, so that the reclaimer cannot run the first callback (which retires the third)
    // before the second is retired: both wait for the same grace period.
    EpochGuard G(D);
    D.retire([&] {
      Log(1);
      D.retire([&] { Log(3); });
    });
    D.retire([&] { Log(2); });
  }
  D.barrier();
  D.barrier();
  std::lock_guard<std::mutex> L(M);
  EXPECT_EQ(Order, (std::vector<int>{1, 2, 3}));
}

TEST(EpochDomainTest, DestructorRunsPendingCallbacks) {
  std::atomic<int> Ran{0};
  const Clock::time_point Start = Clock::now();
  {
    EpochDomainOptions O = testOptions();
    O.ReclaimDelay = 10s;
    EpochDomain D(O);
    D.retire([&] { Ran.fetch_add(1); });
    EpochDomain Manual(testOptions(/*Reclaimer=*/false));
    Manual.retire([&] { Ran.fetch_add(1); });
  }
  EXPECT_EQ(Ran.load(), 2);
  EXPECT_LT(Clock::now() - Start, 5s) << "destructor waited for ReclaimDelay";
}

TEST(EpochDomainTest, PendingBytesTrackedAndBackpressureWaits) {
  EpochDomain D(testOptions());
  std::atomic<int> Ran{0};
  {
    PinnedReader Reader(D);
    D.retire([&] { Ran.fetch_add(1); }, 100);
    D.retire([&] { Ran.fetch_add(1); }, 200);
    D.retire([&] { Ran.fetch_add(1); }, 300);
    EXPECT_EQ(D.pendingBytes(), 600u);
    const EpochStats S = D.stats();
    EXPECT_EQ(S.RetiredPending, 3u);
    EXPECT_EQ(S.RetiredBytesPending, 600u);
    EXPECT_TRUE(D.waitPendingBytesBelow(600, 0ns));
    const Clock::time_point Start = Clock::now();
    EXPECT_FALSE(D.waitPendingBytesBelow(0, 30ms));
    EXPECT_GE(Clock::now() - Start, 30ms);
    std::atomic<bool> Below{false};
    Async Writer([&] { Below.store(D.waitPendingBytesBelow(0, 10s)); });
    EXPECT_FALSE(Writer.waitFor(50ms)) << "backpressure returned while a reader held the bytes";
    Reader.release();
    EXPECT_TRUE(Writer.waitFor(5s));
    EXPECT_TRUE(Below.load());
  }
  EXPECT_EQ(D.pendingBytes(), 0u);
  const EpochStats S = D.stats();
  EXPECT_EQ(S.RetiredPending, 0u);
  EXPECT_EQ(S.RetiredBytesPending, 0u);
  EXPECT_EQ(S.Reclaimed, 3u);
  EXPECT_EQ(Ran.load(), 3);
}

TEST(EpochDomainTest, BackpressureWithoutReclaimerDrivesAndTimesOut) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  std::atomic<int> Ran{0};
  {
    PinnedReader Reader(D);
    D.retire([&] { Ran.fetch_add(1); }, 1000);
    const Clock::time_point Start = Clock::now();
    EXPECT_FALSE(D.waitPendingBytesBelow(0, 30ms))
        << "the caller reclaimed bytes a pinned reader may still use";
    EXPECT_GE(Clock::now() - Start, 30ms);
    EXPECT_LT(Clock::now() - Start, 5s);
    EXPECT_EQ(Ran.load(), 0);
  }
  EXPECT_TRUE(D.waitPendingBytesBelow(0, 5s));
  EXPECT_EQ(Ran.load(), 1);
  EXPECT_EQ(D.pendingBytes(), 0u);
}

//===----------------------------------------------------------------------===//
// Stalls and statistics
//===----------------------------------------------------------------------===//

TEST(EpochDomainTest, StallIsReported) {
  std::mutex M;
  std::vector<std::pair<uint64_t, std::chrono::nanoseconds>> Reports;
  auto ReportCount = [&] {
    std::lock_guard<std::mutex> L(M);
    return Reports.size();
  };
  EpochDomainOptions O = testOptions(/*Reclaimer=*/false);
  O.StallThreshold = 30ms;
  O.OnStall = [&](const EpochStall &Stall) {
    std::lock_guard<std::mutex> L(M);
    Reports.emplace_back(Stall.ThreadId, Stall.Held);
  };
  EpochDomain D(O);
  D.synchronize();
  EXPECT_EQ(ReportCount(), 0u) << "a grace period nobody held was reported";
  for (size_t Episode = 1; Episode <= 2; ++Episode) {
    PinnedReader Reader(D);
    {
      Async Sync([&] { D.synchronize(); });
      const Clock::time_point Deadline = Clock::now() + 5s;
      while (ReportCount() < Episode && Clock::now() < Deadline)
        std::this_thread::sleep_for(1ms);
      std::this_thread::sleep_for(100ms);
      const EpochStats S = D.stats();
      const EpochThreadInfo *Info = findThread(S, Reader.Tid.load());
      EXPECT_NE(Info, nullptr);
      EXPECT_TRUE(Info && Info->Pinned);
      EXPECT_TRUE(Info && Info->SinceQuiescent >= 30ms);
      Reader.release();
      EXPECT_TRUE(Sync.waitFor(5s));
    }
    std::lock_guard<std::mutex> L(M);
    ASSERT_EQ(Reports.size(), Episode) << "once per stall episode";
    EXPECT_EQ(Reports.back().first, Reader.Tid.load());
    EXPECT_GE(Reports.back().second, 30ms);
  }
  EXPECT_EQ(D.stats().Stalls, 2u);
}

TEST(EpochDomainTest, StallReportNamesTheLikelyCause) {
  std::mutex M;
  std::vector<EpochStall> Reports;
  EpochDomainOptions O = testOptions(/*Reclaimer=*/false);
  O.StallThreshold = 20ms;
  O.OnStall = [&](const EpochStall &Stall) {
    std::lock_guard<std::mutex> L(M);
    Reports.push_back(Stall);
  };
  EpochDomain D(O);
  {
    PinnedReader Reader(D);
    D.retire([] {}, 1);
    Async Reclaim([&] { D.reclaim(); });
    const Clock::time_point Deadline = Clock::now() + 5s;
    while (Clock::now() < Deadline) {
      {
        std::lock_guard<std::mutex> L(M);
        if (!Reports.empty())
          break;
      }
      std::this_thread::sleep_for(1ms);
    }
    Reader.release();
  }
  std::lock_guard<std::mutex> L(M);
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_TRUE(Reports[0].Pinned);
  const std::string Text = Reports[0].describe();
  EXPECT_NE(Text.find("pinned"), std::string::npos) << Text;
  EXPECT_NE(Text.find("longjmp"), std::string::npos) << Text;
  EXPECT_NE(Text.find("restoreDepth()"), std::string::npos) << Text;
  EXPECT_NE(Text.find(std::to_string(Reports[0].ThreadId)), std::string::npos) << Text;
  const EpochStall Qsbr{42, 1500ms, /*Pinned=*/false};
  EXPECT_NE(Qsbr.describe().find("quiescent()"), std::string::npos) << Qsbr.describe();
  EXPECT_EQ(Qsbr.describe().find("longjmp"), std::string::npos) << Qsbr.describe();
}

TEST(EpochDomainTest, StatsDescribeRegisteredThreads) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  EXPECT_TRUE(D.stats().Threads.empty());
  {
    PinnedReader Reader(D);
    const EpochStats S = D.stats();
    const EpochThreadInfo *Info = findThread(S, Reader.Tid.load());
    ASSERT_NE(Info, nullptr);
    EXPECT_TRUE(Info->Pinned);
    EXPECT_TRUE(Info->Online);
    EXPECT_FALSE(Info->Qsbr);
  }
  {
    EpochGuard G(D);
  }
  const EpochStats S = D.stats();
  const EpochThreadInfo *Info = findThread(S, currentTid());
  ASSERT_NE(Info, nullptr);
  EXPECT_FALSE(Info->Pinned);
  EXPECT_EQ(Info->SinceQuiescent, 0ns);
  EXPECT_EQ(S.Threads.size(), 1u) << "the exited reader is still listed";
  EXPECT_GE(S.Epoch, 1u);
}

//===----------------------------------------------------------------------===//
// Non-local exits
//===----------------------------------------------------------------------===//

/// A pinned call that fails the way C libraries do: two more pins (enter(),
/// no destructors on the way), then a longjmp to the caller's setjmp.
[[noreturn, gnu::noinline]] void pinTwiceAndJump(EpochDomain &D, std::jmp_buf &Env) {
  D.enter();
  D.enter();
  std::longjmp(Env, 1);
}

TEST(EpochDomainTest, RestoreDepthEndsGuardsSkippedByLongjmp) {
  EpochDomain D(testOptions());
  std::atomic<uint32_t> DepthAtSetjmp{99}, DepthAfter{99};
  std::atomic<bool> PinnedAfter{true};
  std::latch Checked{1};
  std::binary_semaphore Go{0};
  std::thread Thread([&] {
    {
      EpochGuard Outer(D);
      std::jmp_buf Env;
      const uint32_t Saved = D.depth();
      DepthAtSetjmp.store(Saved);
      if (setjmp(Env) == 0)
        pinTwiceAndJump(D, Env);
      D.restoreDepth(Saved);
      DepthAfter.store(D.depth());
    }
    PinnedAfter.store(D.isPinned());
    Checked.count_down();
    Go.acquire(); // Stays registered while the test checks reclamation.
  });
  Checked.wait();
  EXPECT_EQ(DepthAtSetjmp.load(), 1u);
  EXPECT_EQ(DepthAfter.load(), 1u) << "the outer guard must stay in force";
  EXPECT_FALSE(PinnedAfter.load()) << "the thread is still pinned";
  std::atomic<bool> Ran{false};
  D.retire([&] { Ran.store(true); }, 1);
  EXPECT_TRUE(D.waitPendingBytesBelow(0, 5s))
      << "a thread that longjmped out of its guards holds up reclamation";
  Go.release();
  Thread.join();
  D.barrier();
  EXPECT_TRUE(Ran.load());
}

TEST(EpochDomainTest, RestoreDepthToTheCurrentDepthChangesNothing) {
  EpochDomain D(testOptions(/*Reclaimer=*/false));
  EXPECT_EQ(D.depth(), 0u);
  D.restoreDepth(0); // Unregistered thread, nothing to end.
  EpochGuard G(D);
  D.restoreDepth(1);
  EXPECT_EQ(D.depth(), 1u);
  EXPECT_TRUE(D.isPinned());
}

//===----------------------------------------------------------------------===//
// Misuse
//===----------------------------------------------------------------------===//

TEST(EpochDomainDeathTest, RestoringADeeperDepthAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        EpochDomain D(testOptions(/*Reclaimer=*/false));
        EpochGuard G(D);
        D.restoreDepth(2);
      },
      "restoreDepth\\(\\) asked for a deeper guard nesting");
}

TEST(EpochDomainDeathTest, BlockingWhilePinnedAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        EpochDomain D(testOptions(/*Reclaimer=*/false));
        EpochGuard G(D);
        D.synchronize();
      },
      "synchronize\\(\\) called by a thread pinned");
  EXPECT_DEATH(
      {
        EpochDomain D(testOptions(/*Reclaimer=*/false));
        EpochGuard G(D);
        D.barrier();
      },
      "barrier\\(\\) called by a thread pinned");
  EXPECT_DEATH(
      {
        EpochDomain D(testOptions(/*Reclaimer=*/false));
        D.retire([&] { D.barrier(); });
        D.reclaim();
      },
      "barrier\\(\\) called from a retired callback");
}

//===----------------------------------------------------------------------===//
// Stress
//===----------------------------------------------------------------------===//

TEST(EpochDomainTest, ReadersNeverSeeReclaimedObject) {
  const StressResult R = runStress(testOptions(), 1s, /*FreeNodes=*/true);
  recordStress(R);
  EXPECT_EQ(R.Poisoned, 0u) << "a reader saw a retired object's poison";
  EXPECT_GT(R.Reads, 1000u);
  EXPECT_GT(R.Updates, 100u);
  EXPECT_GT(R.GracePeriods, 0u);
  EXPECT_EQ(R.PendingAfterBarrier, 0u);
}

TEST(EpochDomainTest, ReadersNeverSeeReclaimedObjectWithSeqCstReaders) {
  const StressResult R = runStress(testOptions(/*Reclaimer=*/true, /*SeqCst=*/true), 300ms,
                                   /*FreeNodes=*/true);
  recordStress(R);
  EXPECT_EQ(R.Poisoned, 0u) << "a reader saw a retired object's poison";
  EXPECT_GT(R.Reads, 1000u);
  EXPECT_GT(R.Updates, 100u);
}

TEST(EpochDomainTest, StressDetectsReclaimWithoutGracePeriod) {
  EpochDomainOptions O = testOptions();
  O.UnsafeSkipGracePeriod = true;
  const StressResult R = runStress(std::move(O), 3s, /*FreeNodes=*/false);
  recordStress(R);
  EXPECT_GT(R.Poisoned, 0u) << "the stress test cannot tell a missing grace period";
}

//===----------------------------------------------------------------------===//
// Stack checks
//===----------------------------------------------------------------------===//

namespace {

/// Memory standing for a retired code version.
char RetiredRegion[256];

EpochRetireRanges retiredRegionRanges() {
  EpochRetireRanges W;
  W.Ranges.push_back({reinterpret_cast<uintptr_t>(RetiredRegion),
                      reinterpret_cast<uintptr_t>(RetiredRegion) + sizeof RetiredRegion});
  W.Describe = [](uintptr_t) { return std::string("the retired region"); };
  return W;
}

/// A thread pinned until told to stop, with \p Held (0: nothing) in a stack slot.
struct PinnedHolder {
  PinnedHolder(EpochDomain &D, uintptr_t Held) : Value(Held) {
    T = std::thread([this, &D] {
      EpochGuard G(D);
      volatile uintptr_t OnStack = Value.load();
      Ready = true;
      while (!Stop.load()) {
        OnStack = Value.load();
        std::this_thread::sleep_for(1ms);
      }
      (void)OnStack;
    });
    while (!Ready.load())
      std::this_thread::sleep_for(1ms);
  }
  ~PinnedHolder() {
    Stop = true;
    T.join();
  }
  std::atomic<uintptr_t> Value;
  std::atomic<bool> Ready{false}, Stop{false};
  std::thread T;
};

} // namespace

TEST(EpochDomainTest, RangedItemRunsOnceNoLongPinnedThreadHoldsItsAddresses) {
  EpochDomainOptions O = testOptions();
  std::mutex Lock;
  std::string Stall;
  O.StallThreshold = 20ms;
  O.OnStall = [&](const EpochStall &S) {
    std::lock_guard<std::mutex> L(Lock);
    Stall = S.describe();
  };
  std::atomic<bool> Ran{false}, PlainRan{false}; // Outlive D, whose destructor runs PlainRan's.
  EpochDomain D(O);
  if (!D.stats().StackChecksEnabled)
    GTEST_FAIL() << "stack checks are off on this platform";
  const uintptr_t Inside = reinterpret_cast<uintptr_t>(RetiredRegion) + 16;
  PinnedHolder Clean(D, 0), Holder(D, Inside);
  D.retire([&] { Ran = true; }, 1, retiredRegionRanges());
  D.retire([&] { PlainRan = true; }, 1);
  // Held in Holder's stack slot: the item waits, and the stall names it.
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(Ran.load()) << "ran while a thread held an address inside it";
  EXPECT_FALSE(PlainRan.load()) << "an item without ranges ran while threads were pinned";
  EXPECT_GT(D.stats().StackCheckHeld, 0u);
  {
    std::lock_guard<std::mutex> L(Lock);
    EXPECT_NE(Stall.find("the retired region"), std::string::npos) << Stall;
  }
  // The word leaves the stack; both threads stay pinned: a check lets the item run.
  Holder.Value = 0;
  const auto Deadline = std::chrono::steady_clock::now() + 10s;
  while (!Ran && std::chrono::steady_clock::now() < Deadline)
    std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(Ran.load()) << "not run although no thread held it";
  EXPECT_FALSE(PlainRan.load());
  EXPECT_EQ(D.stats().StackCheckFrees, 1u);
  EXPECT_GT(D.stats().StackChecks, 0u);
}
