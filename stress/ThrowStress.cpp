// ThrowStress: threads throw C++ exceptions through JIT frames of three modules
// while a writer replaces those modules and churns unrelated ones (every change
// adds or removes an eh-frame), and other threads throw in host code only, so
// unwinders read hotjit's unwind index concurrently with its updates. Retired
// code is quarantined (PROT_NONE, never reused): a version, or its unwind data,
// freed while a thread still runs or unwinds through it faults.
//
//   catcher (JIT, catches long) -> middle (JIT, a cleanup that notes the throw)
//   -> thrower (JIT, spins, then calls the host, which throws the thrower's
//   version tag)
//
// Throwing threads check every exception: it carries a tag of a published
// thrower version, never older than one they saw, caught in JIT code (catcher)
// or by the host (middle), and middle's cleanup ran exactly once for it.
//
//   ThrowStress [--throwers T] [--host-throwers H] [--seconds S] [--fillers F]
//   [--seed N]
//               [--libgcc] [--unsafe-no-grace] [--expect-failure]
//
// --libgcc registers eh-frames with libgcc instead of hotjit's index
// (EngineOptions::UnwindIndex). Exit status: 0 all invariants held; 1 an
// invariant was violated; 3 bad usage or set-up; 4 no progress; 5 a call
// reached a removed function's trap.
// --expect-failure runs the same workload without grace periods in a child
// process and exits 0 only if the child faulted or violated an invariant.
#include "hotjit/engine/Engine.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace hotjit;
using Clock = std::chrono::steady_clock;

namespace {

/// Exit statuses besides 0 (invariants held), 1 (an invariant was violated)
/// and 3 (bad usage or set-up).
constexpr int ExitNoProgress = 4, ExitTrapped = 5;

struct Options {
  int Throwers = 3;
  int HostThrowers = 1;
  double Seconds = 5;
  int Fillers = 64;
  uint64_t Seed = 0;
  bool SeedGiven = false;
  bool Libgcc = false;
  bool UnsafeNoGrace = false;
  bool ExpectFailure = false;
};

constexpr int64_t Scale = 1'000'000'000;
constexpr int64_t ThrowerId = 7;

/// Version V of the thrower spins (threads are often inside it when it is
/// retired), then has the host throw 7 * Scale + V.
std::string throwerIR(int64_t Version) {
  return "declare void @stress_throw(i64)\n"
         "define i64 @thrower(i64 %x) #0 {\n"
         "entry:\n  br label %loop\n"
         "loop:\n"
         "  %k = phi i64 [ 0, %entry ], [ %k1, %loop ]\n"
         "  %acc = phi i64 [ %x, %entry ], [ %acc1, %loop ]\n"
         "  %m = mul i64 %acc, 31\n  %acc1 = add i64 %m, %k\n"
         "  %k1 = add i64 %k, 1\n  %done = icmp eq i64 %k1, 300\n"
         "  br i1 %done, label %out, label %loop\n"
         "out:\n  %z = and i64 %acc1, 0\n  %tag = add i64 %z, " +
         std::to_string(ThrowerId * Scale + Version) +
         "\n  call void @stress_throw(i64 %tag)\n  ret i64 %acc1\n}\n"
         "attributes #0 = { uwtable }\n";
}

/// A frame with a cleanup (personality, LSDA, _Unwind_Resume); Variant only
/// makes versions differ.
std::string middleIR(int64_t Variant) {
  return "declare i64 @thrower(i64)\ndeclare void @stress_note()\n"
         "declare i32 @__gxx_personality_v0(...)\n"
         "define i64 @middle(i64 %x) #0 personality ptr @__gxx_personality_v0 "
         "{\n"
         "entry:\n  %y = add i64 %x, " +
         std::to_string(Variant) +
         "\n"
         "  %r = invoke i64 @thrower(i64 %y) to label %ok unwind label %lp\n"
         "ok:\n  ret i64 %r\n"
         "lp:\n  %e = landingpad { ptr, i32 } cleanup\n"
         "  call void @stress_note()\n  resume { ptr, i32 } %e\n}\n"
         "attributes #0 = { uwtable }\n";
}

/// Catches the long that middle lets through and returns its negation.
std::string catcherIR(int64_t Variant) {
  return "@_ZTIl = external constant ptr\n"
         "declare i64 @middle(i64)\ndeclare ptr @__cxa_begin_catch(ptr)\n"
         "declare void @__cxa_end_catch()\ndeclare i32 "
         "@__gxx_personality_v0(...)\n"
         "define i64 @catcher(i64 %x) #0 personality ptr @__gxx_personality_v0 "
         "{\n"
         "entry:\n  %y = add i64 %x, " +
         std::to_string(Variant) +
         "\n"
         "  %r = invoke i64 @middle(i64 %y) to label %ok unwind label %lp\n"
         "ok:\n  ret i64 %r\n"
         "lp:\n  %e = landingpad { ptr, i32 } catch ptr @_ZTIl\n"
         "  %p = extractvalue { ptr, i32 } %e, 0\n"
         "  %obj = call ptr @__cxa_begin_catch(ptr %p)\n"
         "  %v = load i64, ptr %obj\n  call void @__cxa_end_catch()\n"
         "  %neg = sub i64 0, %v\n  ret i64 %neg\n}\n"
         "attributes #0 = { uwtable }\n";
}

std::string fillerIR(int K, int64_t Variant) {
  return "define i64 @filler" + std::to_string(K) + "(i64 %x) #0 {\n  %r = add i64 %x, " +
         std::to_string(Variant) + "\n  ret i64 %r\n}\nattributes #0 = { uwtable }\n";
}

extern "C" void stressThrow(int64_t Tag) { throw static_cast<long>(Tag); }

thread_local uint64_t Notes = 0;
extern "C" void stressNote() { ++Notes; }

[[gnu::noinline]] void hostThrow(long X) { throw X; }

bool parseNumber(const char *S, double Min, double Max, double &Out) {
  char *End = nullptr;
  double V = std::strtod(S, &End);
  if (!S[0] || *End || V < Min || V > Max)
    return false;
  Out = V;
  return true;
}

int run(const Options &O) {
  std::printf("ThrowStress: seed %llu, throwers %d, host throwers %d, seconds "
              "%.1f, fillers %d, "
              "%s%s\n",
              (unsigned long long)O.Seed, O.Throwers, O.HostThrowers, O.Seconds, O.Fillers,
              O.Libgcc ? "libgcc registry" : "unwind index",
              O.UnsafeNoGrace ? ", UNSAFE: no grace period" : "");
  std::fflush(stdout);
  EngineOptions EO;
  EO.OptLevel = 0;
  EO.QuarantineRetiredCode = true;
  EO.ObjectCache = false;
  EO.UnwindIndex = !O.Libgcc;
  EO.UnsafeReclaimWithoutGracePeriod = O.UnsafeNoGrace;
  EO.RetiredBytesCap = size_t(64) << 20;
  auto EngOrErr = Engine::create(EO);
  if (!EngOrErr) {
    std::fprintf(stderr, "ThrowStress: %s\n", llvm::toString(EngOrErr.takeError()).c_str());
    return 3;
  }
  Engine &Eng = **EngOrErr;
  // No function is ever removed while called: a trap is a broken publication,
  // which --expect-failure must not mistake for a grace-period failure.
  Eng.setRemovedFunctionHandler([](llvm::StringRef Name) {
    std::fprintf(stderr, "ThrowStress: called removed function '%.*s'\n",
                 static_cast<int>(Name.size()), Name.data());
    ::_exit(ExitTrapped);
  });
  if (Eng.stats().UnwindIndex == O.Libgcc) {
    std::fprintf(stderr, "ThrowStress: the unwind index is %s\n",
                 O.Libgcc ? "in use" : "not live in this process");
    return 3;
  }
  llvm::cantFail(Eng.addHostSymbol("stress_throw", reinterpret_cast<const void *>(&stressThrow)));
  llvm::cantFail(Eng.addHostSymbol("stress_note", reinterpret_cast<const void *>(&stressNote)));
  std::atomic<int64_t> Announced{1}; // Highest thrower version being published.
  Batch Initial = Eng.batch();
  Initial.add("thrower", ModuleSource::fromIR(throwerIR(1)))
      .add("middle", ModuleSource::fromIR(middleIR(0)))
      .add("catcher", ModuleSource::fromIR(catcherIR(0)));
  for (int K = 0; K < O.Fillers; K += 2)
    Initial.add("filler" + std::to_string(K), ModuleSource::fromIR(fillerIR(K, 0)));
  if (auto R = Initial.commit(); !R) {
    std::fprintf(stderr, "ThrowStress: %s\n", llvm::toString(R.takeError()).c_str());
    return 3;
  }
  auto Catcher = llvm::cantFail(Eng.lookup<int64_t(int64_t)>("catcher"));
  auto Middle = llvm::cantFail(Eng.lookup<int64_t(int64_t)>("middle"));

  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Throws{0}, HostThrows{0}, Violations{0}, Swaps{0};
  auto Violation = [&](const char *What, long long A, long long B) {
    if (Violations.fetch_add(1) < 10)
      std::fprintf(stderr, "ThrowStress: %s (%lld, %lld)\n", What, A, B);
  };
  std::vector<std::thread> Threads;
  for (int T = 0; T < O.Throwers; ++T)
    Threads.emplace_back([&, T] {
      std::mt19937_64 Rng(O.Seed * 7919 + T);
      int64_t Last = 0;
      uint64_t N = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        uint64_t NotesBefore = Notes;
        int64_t Tag;
        if (Rng() & 1) {
          Tag = -Catcher(1); // Caught in JIT code.
        } else {
          try {
            (void)Middle(1);
            Violation("middle returned instead of throwing", 0, 0);
            continue;
          } catch (long E) { // Caught by the host.
            Tag = E;
          }
        }
        if (Notes != NotesBefore + 1)
          Violation("middle's cleanup ran a wrong number of times",
                    static_cast<long long>(Notes - NotesBefore), 1);
        int64_t Id = Tag / Scale, Version = Tag % Scale;
        int64_t Max = Announced.load(std::memory_order_acquire);
        if (Id != ThrowerId || Version < Last || Version > Max)
          Violation("exception from an unpublished or older thrower version",
                    static_cast<long long>(Version), static_cast<long long>(Last));
        Last = Version;
        if ((++N & 255) == 0)
          Throws.fetch_add(256, std::memory_order_relaxed);
      }
      Throws.fetch_add(N & 255);
    });
  for (int T = 0; T < O.HostThrowers; ++T)
    Threads.emplace_back([&] {
      uint64_t N = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        try {
          hostThrow(static_cast<long>(N));
        } catch (long E) {
          if (E != static_cast<long>(N))
            Violation("host throw caught a wrong value", E, static_cast<long long>(N));
        }
        ++N;
      }
      HostThrows.fetch_add(N);
    });
  Threads.emplace_back([&] { // The writer.
    std::mt19937_64 Rng(O.Seed * 104729);
    std::vector<bool> FillerLive(O.Fillers);
    for (int K = 0; K < O.Fillers; K += 2)
      FillerLive[K] = true;
    int64_t Variant = 0;
    while (!Stop.load(std::memory_order_relaxed)) {
      Batch B = Eng.batch();
      switch (Rng() % 4) {
      case 0:
      case 1: {
        int64_t V = Announced.load() + 1;
        Announced.store(V, std::memory_order_release);
        B.replace("thrower", ModuleSource::fromIR(throwerIR(V)));
        break;
      }
      case 2:
        B.replace("middle", ModuleSource::fromIR(middleIR(++Variant % 3)));
        break;
      default:
        B.replace("catcher", ModuleSource::fromIR(catcherIR(++Variant % 3)));
        break;
      }
      int K = O.Fillers ? static_cast<int>(Rng() % O.Fillers) : -1;
      bool Remove = K >= 0 && FillerLive[K] && Rng() % 2;
      if (K >= 0) {
        std::string Name = "filler" + std::to_string(K);
        if (Remove)
          B.remove(Name);
        else
          B.put(Name, ModuleSource::fromIR(fillerIR(K, ++Variant)));
      }
      auto R = B.commit();
      if (!R) {
        std::fprintf(stderr, "ThrowStress: commit failed: %s\n",
                     llvm::toString(R.takeError()).c_str());
        Violations.fetch_add(1);
        continue;
      }
      if (K >= 0)
        FillerLive[K] = !Remove;
      Swaps.fetch_add(1);
    }
  });

  auto Deadline = Clock::now() + std::chrono::duration<double>(O.Seconds);
  while (Clock::now() < Deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Stop = true;
  for (auto &T : Threads)
    T.join();
  Eng.waitForReclamation();
  EngineStats S = Eng.stats();
  std::printf("ThrowStress: throws through JIT %llu, host-only throws %llu, commits "
              "%llu, "
              "versions freed %llu, violations %llu\n",
              (unsigned long long)Throws.load(), (unsigned long long)HostThrows.load(),
              (unsigned long long)Swaps.load(), (unsigned long long)S.VersionsFreed,
              (unsigned long long)Violations.load());
  if (Swaps.load() == 0 || (O.Throwers && Throws.load() == 0)) {
    std::fprintf(stderr, "ThrowStress: no progress\n");
    return ExitNoProgress;
  }
  return Violations.load() ? 1 : 0;
}

int expectFailure(Options O) {
  O.UnsafeNoGrace = true;
  pid_t Child = ::fork();
  if (Child < 0) {
    std::perror("ThrowStress: fork");
    return 3;
  }
  if (Child == 0)
    ::_exit(run(O));
  int Status = 0;
  ::waitpid(Child, &Status, 0);
  if (WIFSIGNALED(Status)) {
    std::printf("ThrowStress: as expected, without grace periods the run died "
                "of signal %d (%s)\n",
                WTERMSIG(Status), strsignal(WTERMSIG(Status)));
    return 0;
  }
  // Only a fault (freed code: quarantined pages, or a sanitizer's report)
  // or a violated invariant shows a missing grace period; a trap or a run
  // that made no progress shows something else broken.
  int Code = WEXITSTATUS(Status);
  if (Code != 0 && Code != 3 && Code != ExitNoProgress && Code != ExitTrapped) {
    std::printf("ThrowStress: as expected, without grace periods the run "
                "failed (exit %d)\n",
                Code);
    return 0;
  }
  std::fprintf(stderr,
               "ThrowStress: the run without grace periods %s: the stress test cannot "
               "detect premature reclamation\n",
               Code == 0                ? "passed"
               : Code == ExitTrapped    ? "reached a removed function's trap"
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
        std::fprintf(stderr, "ThrowStress: %s needs a number from %g to %g\n", A.c_str(), Min, Max);
        std::exit(3);
      }
      ++I;
      return V;
    };
    if (A == "--throwers")
      O.Throwers = static_cast<int>(Value(0, 256));
    else if (A == "--host-throwers")
      O.HostThrowers = static_cast<int>(Value(0, 256));
    else if (A == "--seconds")
      O.Seconds = Value(0.1, 86400);
    else if (A == "--fillers")
      O.Fillers = static_cast<int>(Value(0, 100000));
    else if (A == "--seed") {
      O.Seed = static_cast<uint64_t>(Value(0, 1e18));
      O.SeedGiven = true;
    } else if (A == "--libgcc")
      O.Libgcc = true;
    else if (A == "--unsafe-no-grace")
      O.UnsafeNoGrace = true;
    else if (A == "--expect-failure")
      O.ExpectFailure = true;
    else {
      std::fprintf(stderr, "ThrowStress: unknown option '%s'\n", A.c_str());
      return 3;
    }
  }
  if (!O.SeedGiven)
    O.Seed = std::random_device()();
  return O.ExpectFailure ? expectFailure(O) : run(O);
}
