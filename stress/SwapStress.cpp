// SwapStress: reader threads call JIT functions through their stubs while writers replace, remove
// and re-add them at full speed. Retired code is quarantined (PROT_NONE, never reused), so a
// version freed while a reader is still inside it faults. Readers check every result: it comes
// from a published version of the function they called, never older than one they already saw.
// Readers reach each function three ways: its stub, a caller module (JIT -> JIT), and a function
// pointer they captured before any swap from a constant table of the module (a C library's
// callback table): that pointer must stay valid and run the newest version, however often the
// module is replaced. The run fails unless readers saw real results and new versions: a publish
// that stored nothing would leave every call trapping on version 1.
//
// --types: every commit changes the type of the function it replaces, `i64 (i64)` <-> `i64 (i64,
// i64)`, together with its caller module (a caller spins before its call, so readers are often
// inside a caller of the old type when the type changes). Odd versions have one parameter, even
// versions two. Readers call the caller, a handle of the one-parameter type taken before any
// swap and a handle of the two-parameter type; each result must come from code of the type the
// call was compiled against (a trapped call returns 0), never the other. Built with
// -DHOTJIT_MUTATION=TYPE_CHANGE_KEEPS_STUB (a type change keeps the stub) it fails through all
// three.
//
// --long-pins: readers live in JIT code, as a program's main or an event loop does. Each reader
// calls one JIT loop once (pinned by the call for the whole run) that calls fn<I> of every
// module in turn and hands each result to a host check; about 1 ms per call is spent asleep in
// the host, half the time inside fn<I> (so the version is on the reader's stack while it is
// replaced), half in the loop between calls. Writers replace the modules at full speed. With
// the readers never unpinned, only stack checks can free the replaced versions: the run fails
// unless versions were freed by stack checks while every reader stayed pinned, and unless RSS
// at the end stays within --rss-growth-mib of RSS after warm-up (a fifth of the run, at least
// 1 s; --no-rss-check: not checked). Built with -DHOTJIT_MUTATION=STACK_CHECK_FINDS_NOTHING (a
// check that finds nothing) a version is freed under a reader asleep inside it, which faults on
// return (quarantine); with --no-stack-checks (StackCheckAfter = 0) nothing is freed and the run
// fails.
//
// --prepared: writers prepare each version (Batch::prepare()) and hand it to one publisher
// thread, which publishes it (prepare on one thread, publish on another). Between the two, a
// writer sometimes commits a newer version of the same module itself (a conflict: the publish
// must fail with ErrorKind::Conflict and change nothing, the newer version staying live) or
// discards the batch (its code is retired under quarantine); commits of the other writers, on
// other modules, must never make a publish fail. Readers check as above, so a stale batch
// published over a newer version shows as a version going back. Built with
// -DHOTJIT_MUTATION=PREPARED_CONFLICTS_IGNORED it fails.
//
//   SwapStress [--readers R] [--writers W] [--seconds T] [--functions F] [--seed S]
//              [--mode guard|qsbr|mixed] [--types] [--long-pins] [--prepared] [--rss-growth-mib M]
//              [--no-rss-check] [--no-stack-checks] [--swaps N] [--report-every S]
//              [--no-quarantine]
//              [--unsafe-no-grace] [--expect-failure]
//
// Long mode (on demand, not in CI): `--swaps 1000000 --seconds 86400 --report-every 10
// --no-quarantine` stops after a million swaps and prints RSS and the retired backlog every 10 s,
// to show both flat. (Quarantined pages are never reused: a million swaps would exhaust
// vm.max_map_count, so long runs free code for real.)
//
// Exit status: 0 all invariants held; 1 an invariant was violated; 3 bad usage or set-up; 4 no
// progress or no real results (a broken publication).
// --expect-failure runs the same workload, without grace periods, in a child process and exits 0
// only if the child failed (a fault, a sanitizer report or a violated invariant).
#include "hotjit/engine/Engine.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace hotjit;
using Clock = std::chrono::steady_clock;

namespace {

/// Exit status of a run without progress or real results (0: invariants held,
/// 1: an invariant was violated, 3: bad usage or set-up).
constexpr int ExitNoProgress = 4;

/// A random function of writer \p W's share: each writer owns the functions I
/// with I % Writers == W, so writers never race on one module. May return
/// \p Functions or more (the caller skips that draw).
int ownedFunction(std::mt19937_64 &Rng, int Functions, int Writers, int W) {
  int I = static_cast<int>(Rng() % Functions);
  return I - I % Writers + W;
}

struct Options {
  int Readers = 4;
  int Writers = 1;
  double Seconds = 5;
  int Functions = 16;
  uint64_t Seed = 0;
  bool SeedGiven = false;
  enum { Guard, Qsbr, Mixed } Mode = Mixed;
  bool UnsafeNoGrace = false;
  bool ExpectFailure = false;
  uint64_t MaxSwaps = 0;    ///< Stop after this many swaps (0: run for Seconds).
  double ReportEvery = 0;   ///< Seconds between progress lines (0: none).
  bool Quarantine = true;   ///< Freed code becomes PROT_NONE, never reused.
  bool Types = false;       ///< Every commit changes the function's type.
  bool LongPins = false;    ///< Readers stay pinned in a JIT loop for the whole run.
  double RssGrowthMiB = 32; ///< --long-pins: RSS growth allowed after warm-up (< 0: any).
  bool StackChecks = true;  ///< EngineOptions::StackCheckAfter left at its default.
  bool Prepared = false;    ///< Writers prepare; a publisher thread publishes.
};

long residentKiB() {
  long Pages = 0, Resident = 0;
  if (FILE *F = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(F, "%ld %ld", &Pages, &Resident) != 2)
      Resident = 0;
    std::fclose(F);
  }
  return Resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

/// Version V of fn<I> spins a little (so readers are often inside old code
/// when it is retired) and returns I * Scale + V.
constexpr int64_t Scale = 1'000'000'000;

std::string functionIR(int I, int64_t Version) {
  std::string Tag = std::to_string(I * Scale + Version);
  std::string N = std::to_string(I);
  return "@tab" + N + " = internal constant [1 x ptr] [ptr @impl" + N +
         "]\n"
         "define ptr @table" +
         N + "() {\n  %p = load ptr, ptr @tab" + N +
         "\n  ret ptr %p\n}\n"
         "define i64 @fn" +
         N + "(i64 %x) {\n  %r = call i64 @impl" + N +
         "(i64 %x)\n"
         "  ret i64 %r\n}\n"
         "define internal i64 @impl" +
         N +
         "(i64 %x) {\n"
         "entry:\n  br label %loop\n"
         "loop:\n"
         "  %k = phi i64 [ 0, %entry ], [ %k1, %loop ]\n"
         "  %acc = phi i64 [ %x, %entry ], [ %acc1, %loop ]\n"
         "  %m = mul i64 %acc, 31\n  %acc1 = add i64 %m, %k\n"
         "  %k1 = add i64 %k, 1\n  %done = icmp eq i64 %k1, 200\n"
         "  br i1 %done, label %out, label %loop\n"
         "out:\n  %z = and i64 %acc1, 0\n  %r = add i64 %z, " +
         Tag + "\n  ret i64 %r\n}\n";
}

/// call<I>(x) reaches fn<I> through its stub from another module (JIT -> JIT).
std::string callerIR(int N) {
  std::string S;
  for (int I = 0; I < N; ++I)
    S += "declare i64 @fn" + std::to_string(I) + "(i64)\n";
  for (int I = 0; I < N; ++I)
    S += "define i64 @call" + std::to_string(I) + "(i64 %x) {\n  %r = call i64 @fn" +
         std::to_string(I) + "(i64 %x)\n  ret i64 %r\n}\n";
  return S;
}

// ---- --types --------------------------------------------------------------

/// The second argument every caller of the two-parameter type passes.
constexpr int64_t Magic = 0x5eed;
/// Added to a result by a caller of the two-parameter type.
constexpr int64_t Half = Scale / 2;

/// A short loop whose result is zero, so the code around it runs a while.
std::string spinIR(const std::string &Out, int Count) {
  return "entry:\n  br label %loop\n"
         "loop:\n"
         "  %k = phi i64 [ 0, %entry ], [ %k1, %loop ]\n"
         "  %acc = phi i64 [ 7, %entry ], [ %acc1, %loop ]\n"
         "  %m = mul i64 %acc, 31\n  %acc1 = add i64 %m, %k\n"
         "  %k1 = add i64 %k, 1\n  %done = icmp eq i64 %k1, " +
         std::to_string(Count) +
         "\n"
         "  br i1 %done, label %out, label %loop\n"
         "out:\n  " +
         Out + " = and i64 %acc1, 0\n";
}

/// Version V of fn<I>: odd versions `i64 (i64)` return I * Scale + V; even
/// versions `i64 (i64, i64)` return I * Scale + V + (y - Magic), so a call
/// without the second argument is off.
std::string typedFunctionIR(int I, int64_t V) {
  std::string N = std::to_string(I), Tag = std::to_string(I * Scale + V);
  if (V % 2)
    return "define i64 @fn" + N + "(i64 %x) {\n" + spinIR("%z", 200) + "  %r = add i64 %z, " + Tag +
           "\n  ret i64 %r\n}\n";
  return "define i64 @fn" + N + "(i64 %x, i64 %y) {\n" + spinIR("%z", 200) + "  %d = sub i64 %y, " +
         std::to_string(Magic) + "\n  %t = add i64 %z, " + Tag +
         "\n  %r = add i64 %t, %d\n  ret i64 %r\n}\n";
}

/// call<I>(x) spins, then calls version V's type of fn<I>; a caller of the
/// two-parameter type adds Half to the result.
std::string typedCallerIR(int I, int64_t V) {
  std::string N = std::to_string(I);
  if (V % 2)
    return "declare i64 @fn" + N + "(i64)\ndefine i64 @call" + N + "(i64 %x) {\n" +
           spinIR("%z", 2000) + "  %a = add i64 %x, %z\n  %r = call i64 @fn" + N +
           "(i64 %a)\n  ret i64 %r\n}\n";
  return "declare i64 @fn" + N + "(i64, i64)\ndefine i64 @call" + N + "(i64 %x) {\n" +
         spinIR("%z", 2000) + "  %a = add i64 %x, %z\n  %r0 = call i64 @fn" + N + "(i64 %a, i64 " +
         std::to_string(Magic) + ")\n  %r = add i64 %r0, " + std::to_string(Half) +
         "\n  ret i64 %r\n}\n";
}

int runTypes(const Options &O, Engine &Eng) {
  using Fn1 = Function<int64_t(int64_t)>;
  using Fn2 = Function<int64_t(int64_t, int64_t)>;
  const int F = O.Functions;
  std::vector<std::atomic<int64_t>> Announced(F);
  Batch Initial = Eng.batch();
  for (int I = 0; I < F; ++I) {
    Announced[I] = 1;
    Initial.add("m" + std::to_string(I), ModuleSource::fromIR(typedFunctionIR(I, 1)));
    Initial.add("c" + std::to_string(I), ModuleSource::fromIR(typedCallerIR(I, 1)));
  }
  if (auto R = Initial.commit(); !R) {
    std::fprintf(stderr, "SwapStress: %s\n", llvm::toString(R.takeError()).c_str());
    return 3;
  }
  std::vector<Fn1> OneParam, Callers;
  for (int I = 0; I < F; ++I) {
    OneParam.push_back(llvm::cantFail(Eng.lookup<int64_t(int64_t)>("fn" + std::to_string(I))));
    Callers.push_back(llvm::cantFail(Eng.lookup<int64_t(int64_t)>("call" + std::to_string(I))));
  }

  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Calls{0}, Violations{0}, Swaps{0}, Trapped{0}, SeenOne{0}, SeenTwo{0};
  std::atomic<uint64_t> BadByWay[3] = {0, 0, 0}; // caller, one-, two-parameter handle
  std::vector<std::thread> Threads;
  for (int R = 0; R < O.Readers; ++R)
    Threads.emplace_back([&, R] {
      bool Qsbr = O.Mode == Options::Qsbr || (O.Mode == Options::Mixed && R % 2);
      std::mt19937_64 Rng(O.Seed * 7919 + R);
      // Newest version seen, per function and per stub: fn<I> (directly or
      // through call<I>) and impl<I> (the captured pointer) are published by
      // separate slot stores, so each is monotonic on its own.
      std::vector<int64_t> Last(2 * F, 0);
      std::vector<Fn2> TwoParam(F);
      uint64_t N = 0, Traps = 0, One = 0, Two = 0;
      EpochDomain &D = Eng.epochs();
      if (Qsbr)
        D.online();
      while (!Stop.load(std::memory_order_relaxed)) {
        int I = static_cast<int>(Rng() % F);
        unsigned Way = Rng() % 3; // caller module, one-parameter handle, two-parameter handle
        if (Way == 2 && !TwoParam[I]) {
          if (Qsbr)
            D.quiescent(); // A lookup may block on the table lock.
          auto H = Eng.lookup<int64_t(int64_t, int64_t)>("fn" + std::to_string(I));
          if (!H) {
            llvm::consumeError(H.takeError()); // The one-parameter type is live.
            continue;
          }
          TwoParam[I] = *H;
        }
        int64_t V;
        if (Qsbr) {
          V = Way == 0   ? Callers[I].address()(1)
              : Way == 1 ? OneParam[I].address()(1)
                         : TwoParam[I].address()(1, Magic);
          if ((N & 15) == 0)
            D.quiescent();
        } else {
          V = Way == 0 ? Callers[I](1) : Way == 1 ? OneParam[I](1) : TwoParam[I](1, Magic);
        }
        if ((++N & 1023) == 0)
          Calls.fetch_add(1024, std::memory_order_relaxed);
        if (V == 0) {
          ++Traps; // A stub of a type the function no longer has.
          continue;
        }
        int64_t Fn = V / Scale, Rest = V % Scale;
        // The type the call was compiled against: 1 or 2 parameters.
        int Expected = Way == 1 ? 1 : Way == 2 ? 2 : 0;
        if (Way == 0) {
          Expected = Rest >= Half ? 2 : 1;
          Rest %= Half;
        }
        int64_t Version = Rest;
        int Got = Version % 2 ? 1 : 2;
        int64_t Max = Announced[I].load(std::memory_order_acquire);
        bool Bad = Fn != I || Got != Expected || Version > Max || Version < 1 ||
                   (Way == 0 && Version < Last[I]);
        if (Bad)
          BadByWay[Way].fetch_add(1, std::memory_order_relaxed);
        if (Bad && Violations.fetch_add(1) < 10)
          std::fprintf(stderr,
                       "SwapStress: reader %d called fn%d (%s) compiled for %d parameter(s) and "
                       "got %lld: function %lld version %lld (%d parameter(s); highest "
                       "published %lld)\n",
                       R, I, Way == 0 ? "caller" : "handle", Expected, (long long)V, (long long)Fn,
                       (long long)Version, Got, (long long)Max);
        if (Way == 0)
          Last[I] = Version;
        (Got == 1 ? One : Two) += Version > 1;
      }
      if (Qsbr)
        D.offline();
      Calls.fetch_add(N & 1023);
      Trapped.fetch_add(Traps);
      SeenOne.fetch_add(One);
      SeenTwo.fetch_add(Two);
    });

  for (int W = 0; W < O.Writers; ++W)
    Threads.emplace_back([&, W] {
      std::mt19937_64 Rng(O.Seed * 104729 + W);
      while (!Stop.load(std::memory_order_relaxed)) {
        if (O.MaxSwaps && Swaps.load(std::memory_order_relaxed) >= O.MaxSwaps) {
          Stop = true;
          break;
        }
        int I = ownedFunction(Rng, F, O.Writers, W);
        if (I >= F)
          continue;
        int64_t V = Announced[I].load() + 1;
        Announced[I].store(V, std::memory_order_release);
        std::string N = std::to_string(I);
        auto R = Eng.batch()
                     .replace("m" + N, ModuleSource::fromIR(typedFunctionIR(I, V)))
                     .replace("c" + N, ModuleSource::fromIR(typedCallerIR(I, V)))
                     .commit();
        if (!R) {
          std::fprintf(stderr, "SwapStress: commit failed: %s\n",
                       llvm::toString(R.takeError()).c_str());
          Violations.fetch_add(1);
          continue;
        }
        if (R->TypeChanged != std::vector<std::string>{"fn" + N}) {
          if (Violations.fetch_add(1) < 10)
            std::fprintf(stderr,
                         "SwapStress: commit of fn%s version %lld did not report its "
                         "type change\n",
                         N.c_str(), (long long)V);
        }
        Swaps.fetch_add(1);
      }
    });

  auto Deadline = Clock::now() + std::chrono::duration<double>(O.Seconds);
  while (!Stop.load() && Clock::now() < Deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Stop = true;
  for (auto &T : Threads)
    T.join();
  Eng.waitForReclamation();
  EngineStats S = Eng.stats();
  std::printf("SwapStress: types: calls %llu (trapped %llu; beyond version 1: %llu of one "
              "parameter, %llu of two), type changes %llu, versions freed %llu, violations %llu "
              "(results: %llu through callers, %llu through one-parameter handles, %llu through "
              "two-parameter handles)\n",
              (unsigned long long)Calls.load(), (unsigned long long)Trapped.load(),
              (unsigned long long)SeenOne.load(), (unsigned long long)SeenTwo.load(),
              (unsigned long long)S.TypeChanges, (unsigned long long)S.VersionsFreed,
              (unsigned long long)Violations.load(), (unsigned long long)BadByWay[0].load(),
              (unsigned long long)BadByWay[1].load(), (unsigned long long)BadByWay[2].load());
  if (Swaps.load() == 0 || Calls.load() == 0 || SeenOne.load() == 0 || SeenTwo.load() == 0) {
    std::fprintf(stderr, "SwapStress: no progress: readers must see both types beyond version 1\n");
    return 1;
  }
  return Violations.load() ? 1 : 0;
}

// ---- --prepared -----------------------------------------------------------

struct PreparedOutcomes {
  std::atomic<uint64_t> Published{0}, Conflicts{0}, Discarded{0};
};

/// Publishes the batches writers hand it, one at a time, on its own thread.
class PublisherThread {
public:
  PublisherThread() : Thread([this] { loop(); }) {}
  ~PublisherThread() { stop(); }

  /// Publishes \p P on the publisher thread; blocks until it has.
  llvm::Expected<CommitReport> publish(PreparedBatch &P) {
    Job J{&P};
    std::unique_lock<std::mutex> L(Lock);
    Queue.push_back(&J);
    Wake.notify_all();
    Wake.wait(L, [&] { return J.Done; });
    return std::move(*J.Result);
  }

  void stop() {
    {
      std::lock_guard<std::mutex> L(Lock);
      Stopping = true;
      Wake.notify_all();
    }
    if (Thread.joinable())
      Thread.join();
  }

private:
  struct Job {
    PreparedBatch *P;
    std::optional<llvm::Expected<CommitReport>> Result;
    bool Done = false;
  };

  void loop() {
    std::unique_lock<std::mutex> L(Lock);
    while (true) {
      Wake.wait(L, [&] { return Stopping || !Queue.empty(); });
      if (Queue.empty())
        return;
      Job *J = Queue.front();
      Queue.erase(Queue.begin());
      L.unlock();
      auto R = J->P->publish();
      L.lock();
      J->Result.emplace(std::move(R));
      J->Done = true;
      Wake.notify_all();
    }
  }

  std::mutex Lock;
  std::condition_variable Wake;
  std::vector<Job *> Queue;
  bool Stopping = false;
  std::thread Thread;
};

/// One version of \p Module (function \p I) prepared here and published by \p Publisher; a
/// quarter of the time a newer version is committed in between (the publish must fail with a
/// conflict and leave it live), an eighth of the time the batch is discarded.
void preparedSwap(Engine &Eng, PublisherThread &Publisher, const std::string &Module, int I,
                  std::mt19937_64 &Rng, std::atomic<int64_t> &Announced, PreparedOutcomes &Outcomes,
                  std::atomic<uint64_t> &Violations) {
  auto Fail = [&](const std::string &What) {
    if (Violations.fetch_add(1) < 10)
      std::fprintf(stderr, "SwapStress: prepared fn%d: %s\n", I, What.c_str());
  };
  int64_t V = Announced.load() + 1;
  Announced.store(V, std::memory_order_release);
  auto P = Eng.batch().put(Module, ModuleSource::fromIR(functionIR(I, V))).prepare();
  if (!P)
    return Fail("prepare failed: " + llvm::toString(P.takeError()));
  unsigned Dice = Rng() % 8;
  if (Dice == 0) {
    if (auto Err = P->discard())
      return Fail("discard failed: " + llvm::toString(std::move(Err)));
    Outcomes.Discarded.fetch_add(1);
    return;
  }
  std::optional<uint64_t> Newer;
  if (Dice <= 2) {
    int64_t W = Announced.load() + 1;
    Announced.store(W, std::memory_order_release);
    auto R = Eng.batch().put(Module, ModuleSource::fromIR(functionIR(I, W))).commit();
    if (!R)
      return Fail("commit between prepare and publish failed: " + llvm::toString(R.takeError()));
    Newer = R->Version;
  }
  auto R = Publisher.publish(*P);
  if (!Newer) {
    if (!R)
      return Fail("publish failed with no conflicting commit: " + llvm::toString(R.takeError()));
    Outcomes.Published.fetch_add(1);
    return;
  }
  if (R)
    return Fail("publish of version " + std::to_string(R->Version) + " succeeded over version " +
                std::to_string(*Newer) + ", committed since it was prepared");
  auto [Kind, Text] = takeError(R.takeError());
  if (Kind != ErrorKind::Conflict)
    return Fail("publish failed, but not with a conflict: " + Text);
  if (Eng.versionOf("fn" + std::to_string(I)) != Newer)
    return Fail("a refused publish changed the live version");
  Outcomes.Conflicts.fetch_add(1);
  // Destroyed here: discarded.
}

// ---- --long-pins ----------------------------------------------------------

/// One long-pinned reader's state, reached by the host functions its JIT loop calls.
struct LongPinReader {
  int Id = 0;
  std::mt19937_64 Rng;
  const std::vector<std::atomic<int64_t>> *Announced = nullptr;
  const std::atomic<bool> *Stop = nullptr;
  std::atomic<uint64_t> *Violations = nullptr;
  std::vector<int64_t> Last; ///< Newest version seen per function.
  uint64_t Calls = 0, Newer = 0;
  bool NapInside = false; ///< This call sleeps inside fn<I>, not in the loop.
};
thread_local LongPinReader *CurrentReader = nullptr;

void napOneMs() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

/// Called by every version of fn<I>, before it returns: sleeps if this call naps inside.
extern "C" void hotjitSsNap() {
  if (CurrentReader && CurrentReader->NapInside)
    napOneMs();
}

/// Called by the loop with each result of fn<I>; sleeps if the call did not nap inside, and
/// draws where the next call naps. Returns nonzero once the run is over.
extern "C" int64_t hotjitSsCheck(int64_t I, int64_t V) {
  LongPinReader &R = *CurrentReader;
  ++R.Calls;
  int64_t Fn = V / Scale, Version = V % Scale;
  int64_t Max = (*R.Announced)[I].load(std::memory_order_acquire);
  int64_t &Seen = R.Last[I];
  if (Fn != I || Version < Seen || Version > Max) {
    if (R.Violations->fetch_add(1) < 10)
      std::fprintf(stderr,
                   "SwapStress: long-pinned reader %d called fn%lld and got function %lld version "
                   "%lld (last seen %lld, highest published %lld)\n",
                   R.Id, (long long)I, (long long)Fn, (long long)Version, (long long)Seen,
                   (long long)Max);
  }
  Seen = Version;
  R.Newer += Version > 1;
  if (!R.NapInside)
    napOneMs();
  R.NapInside = R.Rng() % 2;
  return R.Stop->load(std::memory_order_relaxed);
}

/// Version V of fn<I> naps in the host, then returns I * Scale + V.
std::string napFunctionIR(int I, int64_t V) {
  std::string N = std::to_string(I);
  return "declare void @hotjit_ss_nap()\n"
         "define i64 @fn" +
         N + "(i64 %x) {\n  call void @hotjit_ss_nap()\n  ret i64 " +
         std::to_string(I * Scale + V) + "\n}\n";
}

/// pinloop(r) calls fn0 .. fn<N-1> in turn, each result checked by the host, until the host
/// says stop; returns the number of rounds.
std::string pinLoopIR(int N) {
  std::string S = "declare i64 @hotjit_ss_check(i64, i64)\n";
  for (int I = 0; I < N; ++I)
    S += "declare i64 @fn" + std::to_string(I) + "(i64)\n";
  S += "define i64 @pinloop(i64 %r) {\nentry:\n  br label %body\nbody:\n"
       "  %n = phi i64 [ 0, %entry ], [ %n1, %body ]\n  %stop0 = add i64 0, 0\n";
  for (int I = 0; I < N; ++I) {
    std::string K = std::to_string(I);
    S += "  %v" + K + " = call i64 @fn" + K + "(i64 %r)\n  %c" + K +
         " = call i64 @hotjit_ss_check(i64 " + K + ", i64 %v" + K + ")\n  %stop" +
         std::to_string(I + 1) + " = or i64 %stop" + K + ", %c" + K + "\n";
  }
  S += "  %n1 = add i64 %n, 1\n  %done = icmp ne i64 %stop" + std::to_string(N) +
       ", 0\n  br i1 %done, label %out, label %body\nout:\n  ret i64 %n1\n}\n";
  return S;
}

int runLongPins(const Options &O, Engine &Eng) {
  const int F = O.Functions;
  for (auto [Name, Address] :
       {std::pair<const char *, const void *>{"hotjit_ss_nap", (const void *)&hotjitSsNap},
        {"hotjit_ss_check", (const void *)&hotjitSsCheck}})
    if (llvm::Error E = Eng.addHostSymbol(Name, Address)) {
      std::fprintf(stderr, "SwapStress: %s\n", llvm::toString(std::move(E)).c_str());
      return 3;
    }
  std::vector<std::atomic<int64_t>> Announced(F);
  Batch Initial = Eng.batch();
  for (int I = 0; I < F; ++I) {
    Announced[I] = 1;
    Initial.add("m" + std::to_string(I), ModuleSource::fromIR(napFunctionIR(I, 1)));
  }
  Initial.add("pinloop", ModuleSource::fromIR(pinLoopIR(F)));
  if (auto R = Initial.commit(); !R) {
    std::fprintf(stderr, "SwapStress: %s\n", llvm::toString(R.takeError()).c_str());
    return 3;
  }
  auto Loop = llvm::cantFail(Eng.lookup<int64_t(int64_t)>("pinloop"));

  std::atomic<bool> Stop{false};
  std::atomic<int> Inside{0}; // Readers inside pinloop (pinned by the call).
  std::atomic<uint64_t> Violations{0}, Swaps{0}, Calls{0}, NewerSeen{0};
  std::vector<std::thread> Threads;
  for (int R = 0; R < O.Readers; ++R)
    Threads.emplace_back([&, R] {
      LongPinReader State;
      State.Id = R;
      State.Rng.seed(O.Seed * 7919 + R);
      State.Announced = &Announced;
      State.Stop = &Stop;
      State.Violations = &Violations;
      State.Last.assign(F, 0);
      CurrentReader = &State;
      Inside.fetch_add(1);
      Loop(R); // Pinned from here until Stop.
      Inside.fetch_sub(1);
      CurrentReader = nullptr;
      Calls.fetch_add(State.Calls);
      NewerSeen.fetch_add(State.Newer);
    });
  for (int W = 0; W < O.Writers; ++W)
    Threads.emplace_back([&, W] {
      std::mt19937_64 Rng(O.Seed * 104729 + W);
      while (!Stop.load(std::memory_order_relaxed)) {
        if (O.MaxSwaps && Swaps.load(std::memory_order_relaxed) >= O.MaxSwaps)
          break;
        int I = ownedFunction(Rng, F, O.Writers, W);
        if (I >= F)
          continue;
        int64_t V = Announced[I].load() + 1;
        Announced[I].store(V, std::memory_order_release);
        auto R = Eng.batch()
                     .put("m" + std::to_string(I), ModuleSource::fromIR(napFunctionIR(I, V)))
                     .commit();
        if (!R) {
          std::fprintf(stderr, "SwapStress: commit failed: %s\n",
                       llvm::toString(R.takeError()).c_str());
          Violations.fetch_add(1);
          continue;
        }
        Swaps.fetch_add(1);
      }
    });

  // RSS after warm-up (a fifth of the run, at least 1 s) against RSS at the end, sampled while
  // every reader is still pinned.
  auto Start = Clock::now(), LastReport = Start;
  auto Deadline = Start + std::chrono::duration<double>(O.Seconds);
  auto WarmUp = Start + std::chrono::duration<double>(std::max(1.0, O.Seconds / 5));
  long WarmKiB = 0, MaxAfterWarmKiB = 0;
  while (Clock::now() < Deadline && Violations.load() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    long Rss = residentKiB();
    if (!WarmKiB && Clock::now() >= WarmUp)
      WarmKiB = Rss;
    if (WarmKiB)
      MaxAfterWarmKiB = std::max(MaxAfterWarmKiB, Rss);
    if (O.ReportEvery > 0 &&
        Clock::now() - LastReport >= std::chrono::duration<double>(O.ReportEvery)) {
      LastReport = Clock::now();
      EngineStats S = Eng.stats();
      std::printf("SwapStress: %7.0fs  swaps %llu  freed %llu (by stack checks %llu)  retired "
                  "pending %zu  RSS %ld MiB\n",
                  std::chrono::duration<double>(LastReport - Start).count(),
                  (unsigned long long)Swaps.load(), (unsigned long long)S.VersionsFreed,
                  (unsigned long long)S.VersionsFreedByStackCheck, S.Epochs.RetiredPending,
                  Rss / 1024);
      std::fflush(stdout);
    }
  }
  const long EndKiB = residentKiB();
  const int PinnedAtEnd = Inside.load();
  EngineStats During = Eng.stats(); // Every reader still pinned since its start.
  Stop = true;
  for (auto &T : Threads)
    T.join();
  Eng.waitForReclamation();
  EngineStats S = Eng.stats();
  std::printf("SwapStress: long pins: calls %llu (newer than version 1: %llu), swaps %llu; while "
              "%d of %d readers stayed pinned: versions freed %llu (by stack checks %llu), stack "
              "checks %llu (held code %llu, unanswered %llu); at the end: freed %llu; RSS after "
              "warm-up %ld MiB, at the end %ld MiB (max %ld MiB); violations %llu\n",
              (unsigned long long)Calls.load(), (unsigned long long)NewerSeen.load(),
              (unsigned long long)Swaps.load(), PinnedAtEnd, O.Readers,
              (unsigned long long)During.VersionsFreed,
              (unsigned long long)During.VersionsFreedByStackCheck,
              (unsigned long long)During.StackChecks, (unsigned long long)During.StackCheckHeldCode,
              (unsigned long long)During.StackCheckUnanswered, (unsigned long long)S.VersionsFreed,
              WarmKiB / 1024, EndKiB / 1024, MaxAfterWarmKiB / 1024,
              (unsigned long long)Violations.load());
  if (Violations.load())
    return 1;
  if (Swaps.load() == 0 || Calls.load() == 0 || NewerSeen.load() == 0) {
    std::fprintf(stderr, "SwapStress: no progress: readers must see versions beyond the first\n");
    return ExitNoProgress;
  }
  int Status = 0;
  if (PinnedAtEnd != O.Readers) {
    std::fprintf(stderr, "SwapStress: %d of %d readers left their pin before the end\n",
                 O.Readers - PinnedAtEnd, O.Readers);
    Status = 1;
  }
  if (During.VersionsFreedByStackCheck == 0) {
    std::fprintf(stderr, "SwapStress: no version was freed while the readers stayed pinned\n");
    Status = 1;
  }
  if (O.RssGrowthMiB >= 0 && WarmKiB &&
      EndKiB - WarmKiB > static_cast<long>(O.RssGrowthMiB * 1024)) {
    std::fprintf(stderr, "SwapStress: RSS grew by %ld MiB after warm-up (bound %.0f MiB)\n",
                 (EndKiB - WarmKiB) / 1024, O.RssGrowthMiB);
    Status = 1;
  }
  return Status;
}

bool parseNumber(const char *S, double Min, double Max, double &Out) {
  char *End = nullptr;
  double V = std::strtod(S, &End);
  if (!S[0] || *End || V < Min || V > Max)
    return false;
  Out = V;
  return true;
}

int run(const Options &O) {
  std::printf("SwapStress: seed %llu, readers %d, writers %d, seconds %.1f, functions %d, "
              "mode %s%s%s%s\n",
              (unsigned long long)O.Seed, O.Readers, O.Writers, O.Seconds, O.Functions,
              O.Mode == Options::Guard  ? "guard"
              : O.Mode == Options::Qsbr ? "qsbr"
                                        : "mixed",
              O.Types      ? ", type changes"
              : O.LongPins ? ", long pins"
                           : "",
              O.UnsafeNoGrace ? ", UNSAFE: no grace period" : "",
              O.Quarantine ? ", quarantine" : "");
  std::fflush(stdout);
  EngineOptions EO;
  EO.OptLevel = 0;
  EO.QuarantineRetiredCode = O.Quarantine;
  EO.ObjectCache = false; // Every version is new code: a cache would only fill up.
  EO.UnsafeReclaimWithoutGracePeriod = O.UnsafeNoGrace;
  EO.RetiredBytesCap = size_t(64) << 20;
  if (!O.StackChecks)
    EO.StackCheckAfter = std::chrono::microseconds(0);
  auto EngOrErr = Engine::create(EO);
  if (!EngOrErr) {
    std::fprintf(stderr, "SwapStress: %s\n", llvm::toString(EngOrErr.takeError()).c_str());
    return 3;
  }
  Engine &Eng = **EngOrErr;
  Eng.setRemovedFunctionHandler([](llvm::StringRef) {}); // Trapped calls return 0.
  if (O.Types)
    return runTypes(O, Eng);
  if (O.LongPins)
    return runLongPins(O, Eng);

  const int F = O.Functions;
  std::vector<std::atomic<int64_t>> Announced(F); // Highest version being published.
  Batch Initial = Eng.batch();
  for (int I = 0; I < F; ++I) {
    Announced[I] = 1;
    Initial.add("m" + std::to_string(I), ModuleSource::fromIR(functionIR(I, 1)));
  }
  Initial.add("callers", ModuleSource::fromIR(callerIR(F)));
  if (auto R = Initial.commit(); !R) {
    std::fprintf(stderr, "SwapStress: %s\n", llvm::toString(R.takeError()).c_str());
    return 3;
  }
  using Fn = int64_t (*)(int64_t);
  std::vector<Function<int64_t(int64_t)>> Direct, Through;
  std::vector<Fn> Captured; // From each module's constant table, before any swap.
  for (int I = 0; I < F; ++I) {
    std::string N = std::to_string(I);
    Direct.push_back(llvm::cantFail(Eng.lookup<int64_t(int64_t)>("fn" + N)));
    Through.push_back(llvm::cantFail(Eng.lookup<int64_t(int64_t)>("call" + N)));
    Captured.push_back(reinterpret_cast<Fn>(llvm::cantFail(Eng.call<void *()>("table" + N))));
  }

  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Calls{0}, Violations{0}, Swaps{0}, Removals{0};
  std::atomic<uint64_t> Trapped{0}, NewerSeen{0}; // Calls that trapped; results above version 1.
  std::vector<std::thread> Threads;
  for (int R = 0; R < O.Readers; ++R)
    Threads.emplace_back([&, R] {
      bool Qsbr = O.Mode == Options::Qsbr || (O.Mode == Options::Mixed && R % 2);
      std::mt19937_64 Rng(O.Seed * 7919 + R);
      // Newest version seen, per function and per stub: fn<I> (directly or
      // through call<I>) and impl<I> (the captured pointer) are published by
      // separate slot stores, so each is monotonic on its own.
      std::vector<int64_t> Last(2 * F, 0);
      uint64_t N = 0, Traps = 0, Newer = 0;
      EpochDomain &D = Eng.epochs();
      if (Qsbr)
        D.online();
      while (!Stop.load(std::memory_order_relaxed)) {
        int I = static_cast<int>(Rng() % F);
        unsigned Way = Rng() % 3; // stub, caller module, captured table pointer
        int64_t V;
        if (Qsbr) {
          V = Way == 2 ? Captured[I](1) : (Way ? Through[I] : Direct[I]).address()(1);
          if ((N & 15) == 0)
            D.quiescent();
        } else if (Way == 2) {
          EpochGuard G(D);
          V = Captured[I](1);
        } else {
          V = (Way ? Through[I] : Direct[I])(1);
        }
        if ((++N & 1023) == 0)
          Calls.fetch_add(1024, std::memory_order_relaxed);
        if (V == 0) {
          ++Traps; // The function was removed: its stub trapped.
          continue;
        }
        int64_t Fn = V / Scale, Version = V % Scale;
        int64_t Max = Announced[I].load(std::memory_order_acquire);
        int64_t &Seen = Last[2 * I + (Way == 2)];
        if (Fn != I || Version < Seen || Version > Max) {
          if (Violations.fetch_add(1) < 10)
            std::fprintf(stderr,
                         "SwapStress: reader %d called fn%d and got function %lld version "
                         "%lld (last seen %lld, highest published %lld)\n",
                         R, I, (long long)Fn, (long long)Version, (long long)Seen, (long long)Max);
        }
        Seen = Version;
        Newer += Version > 1;
      }
      if (Qsbr)
        D.offline();
      Calls.fetch_add(N & 1023);
      Trapped.fetch_add(Traps);
      NewerSeen.fetch_add(Newer);
    });

  std::atomic<size_t> MaxPending{0};
  PreparedOutcomes Outcomes;
  PublisherThread Publisher;
  for (int W = 0; W < O.Writers; ++W)
    Threads.emplace_back([&, W] {
      std::mt19937_64 Rng(O.Seed * 104729 + W);
      while (!Stop.load(std::memory_order_relaxed)) {
        if (O.MaxSwaps && Swaps.load(std::memory_order_relaxed) >= O.MaxSwaps) {
          Stop = true;
          break;
        }
        int I = ownedFunction(Rng, F, O.Writers, W);
        if (I >= F)
          continue;
        std::string Module = "m" + std::to_string(I);
        if (O.Prepared) {
          preparedSwap(Eng, Publisher, Module, I, Rng, Announced[I], Outcomes, Violations);
          Swaps.fetch_add(1);
          continue;
        }
        bool Live = Eng.versionOf("fn" + std::to_string(I)).has_value();
        llvm::Expected<CommitReport> R = llvm::make_error<EngineError>(ErrorKind::Link, "");
        if (Live && Rng() % 8 == 0) {
          R = Eng.remove(Module, RemoveMode::Force);
          Removals.fetch_add(1);
        } else {
          int64_t V = Announced[I].load() + 1;
          Announced[I].store(V, std::memory_order_release);
          R = Eng.batch().put(Module, ModuleSource::fromIR(functionIR(I, V))).commit();
        }
        if (!R) {
          std::fprintf(stderr, "SwapStress: commit failed: %s\n",
                       llvm::toString(R.takeError()).c_str());
          Violations.fetch_add(1);
          continue;
        }
        Swaps.fetch_add(1);
        size_t Pending = Eng.stats().Epochs.RetiredPending;
        size_t Prev = MaxPending.load();
        while (Pending > Prev && !MaxPending.compare_exchange_weak(Prev, Pending)) {
        }
      }
    });

  auto Start = Clock::now(), LastReport = Start;
  auto Deadline = Start + std::chrono::duration<double>(O.Seconds);
  while (!Stop.load() && Clock::now() < Deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (O.ReportEvery > 0 &&
        Clock::now() - LastReport >= std::chrono::duration<double>(O.ReportEvery)) {
      LastReport = Clock::now();
      EngineStats S = Eng.stats();
      std::printf("SwapStress: %7.0fs  swaps %llu  calls %llu  retired pending %zu (%zu bytes)  "
                  "freed %llu  RSS %ld MiB\n",
                  std::chrono::duration<double>(LastReport - Start).count(),
                  (unsigned long long)Swaps.load(), (unsigned long long)Calls.load(),
                  S.Epochs.RetiredPending, S.RetiredBytesPending,
                  (unsigned long long)S.VersionsFreed, residentKiB() / 1024);
      std::fflush(stdout);
    }
  }
  Stop = true;
  for (auto &T : Threads)
    T.join();
  Publisher.stop();
  Eng.waitForReclamation();
  EngineStats S = Eng.stats();
  rusage RU{};
  ::getrusage(RUSAGE_SELF, &RU);
  std::printf("SwapStress: calls %llu (trapped %llu, newer than version 1: %llu), swaps %llu "
              "(removals %llu), versions freed %llu, max retired pending %zu, peak RSS %ld MiB, "
              "violations %llu\n",
              (unsigned long long)Calls.load(), (unsigned long long)Trapped.load(),
              (unsigned long long)NewerSeen.load(), (unsigned long long)Swaps.load(),
              (unsigned long long)Removals.load(), (unsigned long long)S.VersionsFreed,
              MaxPending.load(), RU.ru_maxrss / 1024, (unsigned long long)Violations.load());
  if (Swaps.load() == 0 || Calls.load() == 0) {
    std::fprintf(stderr, "SwapStress: no progress\n");
    return ExitNoProgress;
  }
  if (O.Prepared) {
    std::printf("SwapStress: prepared: published %llu, conflicts refused %llu, discarded %llu, "
                "still prepared %u\n",
                (unsigned long long)Outcomes.Published.load(),
                (unsigned long long)Outcomes.Conflicts.load(),
                (unsigned long long)Outcomes.Discarded.load(), S.PreparedBatches);
    if (!Outcomes.Published.load() || !Outcomes.Conflicts.load() || !Outcomes.Discarded.load()) {
      std::fprintf(stderr, "SwapStress: prepared: every outcome must occur\n");
      return ExitNoProgress;
    }
    if (S.PreparedBatches)
      return 1;
  }
  // Removals leave a function trapping until its next put: about one writer
  // operation in eight. Most calls must reach real code, and new versions.
  if (Trapped.load() * 2 > Calls.load() || NewerSeen.load() == 0) {
    std::fprintf(stderr, "SwapStress: readers saw %s: publication is broken\n",
                 NewerSeen.load() ? "mostly trapped calls" : "no version newer than the first");
    return ExitNoProgress;
  }
  return Violations.load() ? 1 : 0;
}

int expectFailure(Options O) {
  O.UnsafeNoGrace = true;
  pid_t Child = ::fork();
  if (Child < 0) {
    std::perror("SwapStress: fork");
    return 3;
  }
  if (Child == 0)
    ::_exit(run(O));
  int Status = 0;
  ::waitpid(Child, &Status, 0);
  if (WIFSIGNALED(Status)) {
    std::printf("SwapStress: as expected, without grace periods the run died of signal %d (%s)\n",
                WTERMSIG(Status), strsignal(WTERMSIG(Status)));
    return 0;
  }
  // Only a fault (freed code) or a violated invariant shows a missing grace
  // period; a run without progress or real results shows something else.
  int Code = WEXITSTATUS(Status);
  if (Code != 0 && Code != 3 && Code != ExitNoProgress) { // 1, or a sanitizer's exit code
    std::printf("SwapStress: as expected, without grace periods the run failed (exit %d)\n", Code);
    return 0;
  }
  std::fprintf(stderr,
               "SwapStress: the run without grace periods %s: the stress test cannot "
               "detect premature reclamation\n",
               Code == 0                ? "passed"
               : Code == ExitNoProgress ? "made no progress"
                                        : "could not start");
  return 1;
}

} // namespace

int main(int Argc, char **Argv) {
  Options O;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    double V = 0;
    auto Value = [&](double Min, double Max) {
      if (I + 1 >= Argc || !parseNumber(Argv[I + 1], Min, Max, V)) {
        std::fprintf(stderr, "SwapStress: %s needs a number from %g to %g\n", A.c_str(), Min, Max);
        std::exit(3);
      }
      ++I;
      return V;
    };
    if (A == "--readers")
      O.Readers = static_cast<int>(Value(0, 256));
    else if (A == "--writers")
      O.Writers = static_cast<int>(Value(1, 64));
    else if (A == "--seconds")
      O.Seconds = Value(0.1, 86400);
    else if (A == "--functions")
      O.Functions = static_cast<int>(Value(1, 100000));
    else if (A == "--seed") {
      O.Seed = static_cast<uint64_t>(Value(0, 1e18));
      O.SeedGiven = true;
    } else if (A == "--mode" && I + 1 < Argc) {
      std::string M = Argv[++I];
      if (M == "guard")
        O.Mode = Options::Guard;
      else if (M == "qsbr")
        O.Mode = Options::Qsbr;
      else if (M == "mixed")
        O.Mode = Options::Mixed;
      else {
        std::fprintf(stderr, "SwapStress: --mode is guard, qsbr or mixed\n");
        return 3;
      }
    } else if (A == "--swaps")
      O.MaxSwaps = static_cast<uint64_t>(Value(1, 1e12));
    else if (A == "--report-every")
      O.ReportEvery = Value(0.1, 86400);
    else if (A == "--types")
      O.Types = true;
    else if (A == "--prepared")
      O.Prepared = true;
    else if (A == "--long-pins")
      O.LongPins = true;
    else if (A == "--no-stack-checks")
      O.StackChecks = false;
    else if (A == "--rss-growth-mib")
      O.RssGrowthMiB = Value(0, 1e6);
    else if (A == "--no-rss-check")
      O.RssGrowthMiB = -1;
    else if (A == "--no-quarantine")
      O.Quarantine = false;
    else if (A == "--unsafe-no-grace")
      O.UnsafeNoGrace = true;
    else if (A == "--expect-failure")
      O.ExpectFailure = true;
    else {
      std::fprintf(stderr, "SwapStress: unknown option '%s'\n", A.c_str());
      return 3;
    }
  }
  if (!O.SeedGiven)
    O.Seed = std::random_device()();
  return O.ExpectFailure ? expectFailure(O) : run(O);
}
