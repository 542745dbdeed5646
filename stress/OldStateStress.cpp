// OldStateStress: state made by old code, used across swaps. Reader threads keep objects with
// vtables, std::function closures and suspended generators made by whichever version of module
// "state" was live, and use them while a writer replaces the module by its other version
// (tests/fixtures/oldstate/stress.cpp) as fast as it can; a SIGALRM handler that JIT code
// installed (module "alarm", stress_alarm.c, replaced in the same batches) fires every millisecond
// on whichever thread takes it (the writer blocks it, as hosts that take signals on threads of
// their own do) and spins in its version's code, which each swap retires. Retired code is
// quarantined (PROT_NONE, never reused): a version freed while state made by it can still enter it
// faults.
//
// Invariants, checked by every reader on every use:
//   * an object dispatches to a published version's speak(): 1 or 2;
//   * a closure gives, on every call, the answer the code that made it gives (version 1:
//     base + x; version 2: base + x + 1000000), and the same answer after any number of swaps;
//   * a generator's values follow the sequence of the version that laid out its frame (1, 2, 3,
//     ... or 1007, 2010, 3013, ...);
//   * the signal handler fires, and computes what its version computes.
//
//   OldStateStress --fixtures DIR [--readers R] [--seconds S] [--seed N]
//
// Exit status: 0 all invariants held; 1 an invariant was violated; 3 bad usage or set-up; 4 no
// progress (no swap, or no reader round).
#include "hotjit/engine/Engine.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <random>
#include <signal.h>
#include <string>
#include <thread>
#include <vector>

using namespace hotjit;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string Fixtures;
  int Readers = 3;
  double Seconds = 5;
  uint64_t Seed = 1;
};

bool parse(int Argc, char **Argv, Options &O) {
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    auto Next = [&]() -> const char * { return I + 1 < Argc ? Argv[++I] : nullptr; };
    const char *V = A.rfind("--", 0) == 0 ? Next() : nullptr;
    if (!V)
      return false;
    if (A == "--fixtures")
      O.Fixtures = V;
    else if (A == "--readers")
      O.Readers = std::atoi(V);
    else if (A == "--seconds")
      O.Seconds = std::atof(V);
    else if (A == "--seed")
      O.Seed = std::strtoull(V, nullptr, 10);
    else
      return false;
  }
  return !O.Fixtures.empty() && O.Readers > 0 && O.Seconds > 0;
}

/// The module's entry points, looked up once (stubs never move).
struct Api {
  Function<void *()> MakeObject;
  Function<long(void *)> Speak;
  Function<void(void *)> FreeObject;
  Function<void *(long)> MakeClosure;
  Function<long(void *, long)> CallClosure;
  Function<void(void *)> FreeClosure;
  Function<void *()> StartGenerator;
  Function<long(void *)> Resume;
  Function<void(void *)> FreeGenerator;
};

template <typename Sig> Function<Sig> need(Engine &E, const char *Name) {
  auto F = E.lookup<Sig>(Name);
  if (!F) {
    std::fprintf(stderr, "OldStateStress: %s\n", llvm::toString(F.takeError()).c_str());
    std::exit(3);
  }
  return *F;
}

std::atomic<bool> Failed{false};

void fail(const std::string &What) {
  if (!Failed.exchange(true))
    std::fprintf(stderr, "OldStateStress: %s\n", What.c_str());
}

struct Closure {
  void *P;
  long Base, Answer; // Answer to Base's probe, fixed at the first call.
};
struct Frame {
  void *H;
  long Count, Last; // Values seen; the last one.
};

/// One reader: keeps a window of state of every kind, made at different times.
void reader(const Api &A, uint64_t Seed, const std::atomic<bool> &Stop,
            std::atomic<uint64_t> &Rounds) {
  std::mt19937_64 Rng(Seed);
  std::deque<void *> Objects;
  std::deque<Closure> Closures;
  std::deque<Frame> Frames;
  while (!Stop.load(std::memory_order_relaxed) && !Failed.load(std::memory_order_relaxed)) {
    Objects.push_back(A.MakeObject());
    long Base = static_cast<long>(Rng() % 64) + 1;
    Closures.push_back({A.MakeClosure(Base), Base, 0});
    Frames.push_back({A.StartGenerator(), 0, 0});
    for (void *O : Objects)
      if (long S = A.Speak(O); S != 1 && S != 2)
        fail("an object dispatched to " + std::to_string(S));
    for (Closure &C : Closures) {
      long Got = A.CallClosure(C.P, 3);
      if (C.Answer == 0 && (Got == C.Base + 3 || Got == C.Base + 3 + 1000000))
        C.Answer = Got;
      if (Got != C.Answer)
        fail("a closure made with base " + std::to_string(C.Base) + " answered " +
             std::to_string(Got) + " after answering " + std::to_string(C.Answer));
    }
    for (Frame &F : Frames) {
      long V = A.Resume(F.H);
      ++F.Count;
      bool First = F.Count == 1 ? (V == 1 || V == 1007) : false;
      bool Next =
          F.Count > 1 && (F.Last < 1000 ? V == F.Count : V == F.Count * 1000 + 4 + 3 * F.Count);
      if (!First && !Next)
        fail("a generator gave " + std::to_string(V) + " after " + std::to_string(F.Last) +
             " (value " + std::to_string(F.Count) + ")");
      F.Last = V;
    }
    if (Objects.size() > 8) {
      A.FreeObject(Objects.front()), Objects.pop_front();
      A.FreeClosure(Closures.front().P), Closures.pop_front();
      A.FreeGenerator(Frames.front().H), Frames.pop_front();
    }
    Rounds.fetch_add(1, std::memory_order_relaxed);
  }
  for (void *O : Objects)
    A.FreeObject(O);
  for (Closure &C : Closures)
    A.FreeClosure(C.P);
  for (Frame &F : Frames)
    A.FreeGenerator(F.H);
}

} // namespace

int main(int Argc, char **Argv) {
  Options O;
  if (!parse(Argc, Argv, O)) {
    std::fprintf(stderr, "usage: OldStateStress --fixtures DIR [--readers R] [--seconds S] "
                         "[--seed N]\n");
    return 3;
  }
  EngineOptions EO;
  EO.OptLevel = 1;
  EO.QuarantineRetiredCode = true;
  EO.ReclaimDelay = std::chrono::microseconds(0); // Free retired code as soon as allowed.
  auto E = Engine::create(EO);
  if (!E) {
    std::fprintf(stderr, "OldStateStress: %s\n", llvm::toString(E.takeError()).c_str());
    return 3;
  }
  std::string V[2] = {O.Fixtures + "/oldstate_stress_v1.ll", O.Fixtures + "/oldstate_stress_v2.ll"};
  std::string Alarm[2] = {O.Fixtures + "/oldstate_stress_alarm_v1.ll",
                          O.Fixtures + "/oldstate_stress_alarm_v2.ll"};
  if (auto R = (*E)->batch()
                   .add("state", ModuleSource::fromFile(V[0]))
                   .add("alarm", ModuleSource::fromFile(Alarm[0]))
                   .commit();
      !R) {
    std::fprintf(stderr, "OldStateStress: %s\n", llvm::toString(R.takeError()).c_str());
    return 3;
  }
  Engine &Eng = **E;
  Api A{need<void *()>(Eng, "make_object"),
        need<long(void *)>(Eng, "speak_of"),
        need<void(void *)>(Eng, "free_object"),
        need<void *(long)>(Eng, "make_closure"),
        need<long(void *, long)>(Eng, "call_closure"),
        need<void(void *)>(Eng, "free_closure"),
        need<void *()>(Eng, "start_generator"),
        need<long(void *)>(Eng, "resume_generator"),
        need<void(void *)>(Eng, "free_generator")};

  auto Alarms = need<long()>(Eng, "alarms");
  auto BadAlarms = need<long()>(Eng, "bad_alarms");
  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Rounds{0};
  // Only one thread of the host takes SIGALRM, and it never enters JIT code itself, as in hosts
  // that take signals on a thread of their own: the handler is all that pins it. The writer (this
  // thread) and the readers block the signal, and so do hotjit's own threads.
  sigset_t AlarmSignal;
  sigemptyset(&AlarmSignal);
  sigaddset(&AlarmSignal, SIGALRM);
  pthread_sigmask(SIG_BLOCK, &AlarmSignal, nullptr);
  std::vector<std::thread> Readers;
  for (int I = 0; I != O.Readers; ++I)
    Readers.emplace_back(reader, std::cref(A), O.Seed * 1000 + I, std::cref(Stop),
                         std::ref(Rounds));
  std::thread Signals([&Stop, AlarmSignal] {
    pthread_sigmask(SIG_UNBLOCK, &AlarmSignal, nullptr);
    while (!Stop.load(std::memory_order_relaxed))
      std::this_thread::yield();
  });
  if (need<int()>(Eng, "arm_alarm")() != 0) {
    std::fprintf(stderr, "OldStateStress: the module could not arm its timer\n");
    return 3;
  }
  uint64_t Swaps = 0;
  auto End = Clock::now() + std::chrono::duration<double>(O.Seconds);
  while (Clock::now() < End && !Failed) {
    auto R = Eng.batch()
                 .replace("state", ModuleSource::fromFile(V[(Swaps + 1) % 2]))
                 .replace("alarm", ModuleSource::fromFile(Alarm[(Swaps + 1) % 2]))
                 .commit();
    if (!R) {
      fail("swap failed: " + llvm::toString(R.takeError()));
      break;
    }
    ++Swaps;
  }
  need<void()>(Eng, "disarm_alarm")();
  Stop = true;
  Signals.join();
  for (std::thread &T : Readers)
    T.join();
  long Fired = Alarms(), Bad = BadAlarms();
  if (Bad != 0)
    fail(std::to_string(Bad) + " alarms computed what neither version does");
  if (Fired == 0)
    fail("the module's SIGALRM handler never ran");
  EngineStats S = Eng.stats();
  std::printf("OldStateStress: %llu swaps, %llu reader rounds, %ld alarms, %llu versions kept "
              "(%zu bytes), %llu freed\n",
              static_cast<unsigned long long>(Swaps),
              static_cast<unsigned long long>(Rounds.load()), Fired,
              static_cast<unsigned long long>(S.VersionsKept), S.KeptBytes,
              static_cast<unsigned long long>(S.VersionsFreed));
  if (Failed)
    return 1;
  return Swaps == 0 || Rounds == 0 ? 4 : 0;
}
