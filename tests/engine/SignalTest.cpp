// Signals and JIT code (engine/src/runtime/SignalHandlers.h, hotjit/concurrency/
// AsyncSignalBlockScope.h): a handler that JIT code installs runs pinned on whatever thread takes
// the signal and keeps the dispositions a native program sees; hotjit's own threads take none of
// the program's signals.
#include "EngineTestCommon.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <thread>

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

namespace hotjit::test {
namespace {

std::string fixture(const std::string &Name) {
  return std::string(HOTJIT_IR_FIXTURES_DIR) + "/" + Name;
}

ModuleSource signalIR(const std::string &Stem) {
  return ModuleSource::fromFile(fixture("signals_" + Stem + ".ll"));
}

/// What the natively linked fixture \p Name prints (its entry's result).
int nativeResult(const std::string &Name) {
  std::FILE *P = ::popen(fixture(Name).c_str(), "r");
  if (!P) {
    ADD_FAILURE() << "cannot run " << Name;
    return -1000;
  }
  int V = -1000;
  if (std::fscanf(P, "%d", &V) != 1)
    ADD_FAILURE() << Name << " printed no number";
  EXPECT_EQ(::pclose(P), 0) << Name;
  return V;
}

// Host functions the handlers call; async-signal-safe (atomics and system calls only).
std::atomic<long> RunsOfVersion[3], WrongRuns{0}, RunsElsewhere{0};
std::atomic<pid_t> TakerThread{0}, HandlerThread{0};
std::atomic<bool> HandlerChecked{false};

extern "C" void alarmReport(long Version) {
  if (Version == 1 || Version == 2)
    ++RunsOfVersion[Version];
  else
    ++WrongRuns;
  if (::gettid() != TakerThread.load())
    ++RunsElsewhere;
}

/// Holds the handler until the test has looked at the domain from another thread.
extern "C" void inHandler() {
  HandlerThread = ::gettid();
  while (!HandlerChecked.load())
    ::sched_yield();
}

void addHostSymbols(Engine &E) {
  llvm::cantFail(E.addHostSymbol("alarm_report", reinterpret_cast<const void *>(&alarmReport)));
  llvm::cantFail(E.addHostSymbol("in_handler", reinterpret_cast<const void *>(&inHandler)));
}

sigset_t only(int Sig) {
  sigset_t S;
  sigemptyset(&S);
  sigaddset(&S, Sig);
  return S;
}

/// The host of a program with a periodic tick, in a child process: JIT code arms SIGALRM every
/// millisecond; the host blocks SIGALRM on its main thread and takes it on a thread of its own,
/// while it replaces the handler's module (with a second module, so the compile pool works too)
/// \p Replacements times. Retired code is quarantined: a handler that runs freed code faults.
/// Prints what the handlers saw and exits 0.
[[noreturn]] void runAlarmHost(int Replacements) {
  EngineOptions O;
  O.OptLevel = 1;
  O.CompileThreads = 2;
  O.Tiered = true;
  O.QuarantineRetiredCode = true;
  O.ReclaimDelay = std::chrono::microseconds(0); // Free retired code as soon as allowed.
  auto Eng = llvm::cantFail(Engine::create(O));
  addHostSymbols(*Eng);
  llvm::cantFail(Eng->batch()
                     .add("alarm", signalIR("alarm_v1"))
                     .add("other", ModuleSource::fromIR(constantFunction("other", 1)))
                     .commit());
  const sigset_t Alarm = only(SIGALRM);
  pthread_sigmask(SIG_BLOCK, &Alarm, nullptr);
  std::atomic<bool> Stop{false};
  std::thread Taker([&] {
    TakerThread = ::gettid();
    pthread_sigmask(SIG_UNBLOCK, &Alarm, nullptr);
    while (!Stop.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  while (!TakerThread.load())
    std::this_thread::yield();
  if (llvm::cantFail(Eng->call<int(long)>("alarm_start", 1000L)) != 0)
    std::_Exit(20);
  for (int I = 0; I < Replacements; ++I) {
    const int Version = I % 2 ? 1 : 2;
    llvm::cantFail(Eng->batch()
                       .replace("alarm", signalIR("alarm_v" + std::to_string(Version)))
                       .replace("other", ModuleSource::fromIR(constantFunction("other", Version)))
                       .commit());
  }
  const int Installed = llvm::cantFail(Eng->call<int()>("alarm_installed"));
  if (llvm::cantFail(Eng->call<int()>("alarm_stop")) != 0)
    std::_Exit(21);
  Stop = true;
  Taker.join();
  Eng->waitForTierUps();
  Eng->waitForReclamation();
  Eng.reset();
  std::fprintf(stderr,
               "handled %ld (v1 %ld, v2 %ld), wrong %ld, on other threads %ld, installed %d\n",
               RunsOfVersion[1].load() + RunsOfVersion[2].load(), RunsOfVersion[1].load(),
               RunsOfVersion[2].load(), WrongRuns.load(), RunsElsewhere.load(), Installed);
  std::exit(0);
}

TEST(SignalDeathTest, AlarmHandlerSurvivesReplacementsWhileTheHostBlocksSigalrm) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  constexpr int Processes = 5;
  int Faults = 0;
  for (int P = 0; P < Processes; ++P)
    EXPECT_EXIT(
        runAlarmHost(200),
        [&](int Status) {
          Faults += WIFSIGNALED(Status);
          return WIFEXITED(Status) && WEXITSTATUS(Status) == 0;
        },
        "handled [1-9][0-9]* \\(v1 [1-9][0-9]*, v2 [1-9][0-9]*\\), wrong 0, on other threads 0, "
        "installed 1");
  EXPECT_EQ(Faults, 0) << "processes killed by a signal, of " << Processes;
}

std::set<pid_t> threadIds() {
  std::set<pid_t> Ids;
  if (DIR *D = ::opendir("/proc/self/task")) {
    while (dirent *E = ::readdir(D))
      if (E->d_name[0] != '.')
        Ids.insert(static_cast<pid_t>(std::stol(E->d_name)));
    ::closedir(D);
  }
  return Ids;
}

/// The SigBlk mask of thread \p Tid (bit N-1 for signal N); false if it has exited.
bool blockedSignals(pid_t Tid, uint64_t &Mask) {
  std::string Path = "/proc/self/task/" + std::to_string(Tid) + "/status";
  std::FILE *F = std::fopen(Path.c_str(), "r");
  if (!F)
    return false;
  char Line[256];
  bool Found = false;
  while (!Found && std::fgets(Line, sizeof Line, F))
    Found = std::sscanf(Line, "SigBlk: %lx", &Mask) == 1;
  std::fclose(F);
  return Found;
}

/// In a fresh child process (TBB's workers do not exist yet), with nothing blocked on the
/// creating thread: every thread that appears while an engine starts, compiles a batch on its
/// pool and tiers up must block the asynchronous signals and none of the synchronous ones.
[[noreturn]] void checkLibraryThreads() {
  sigset_t None;
  sigemptyset(&None);
  pthread_sigmask(SIG_SETMASK, &None, nullptr);
  const std::set<pid_t> Before = threadIds();
  EngineOptions O;
  O.OptLevel = 1;
  O.CompileThreads = 2;
  O.Tiered = true;
  auto Eng = llvm::cantFail(Engine::create(O));
  auto B = Eng->batch();
  for (int I = 0; I < 4; ++I)
    B.add("m" + std::to_string(I),
          ModuleSource::fromIR(constantFunction("f" + std::to_string(I), I)));
  llvm::cantFail(B.commit());
  Eng->waitForTierUps();
  int Checked = 0;
  std::string Bad;
  for (pid_t Tid : threadIds()) {
    uint64_t Mask = 0;
    if (Before.count(Tid) || !blockedSignals(Tid, Mask))
      continue;
    ++Checked;
    auto Blocked = [&](int Sig) { return (Mask >> (Sig - 1)) & 1; };
    for (int Sig : {SIGALRM, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD, SIGPIPE,
                    SIGIO, SIGPROF, SIGVTALRM, SIGWINCH, SIGRTMIN + 2, SIGRTMAX})
      if (!Blocked(Sig))
        Bad += " thread " + std::to_string(Tid) + " takes " + std::to_string(Sig) + ";";
    for (int Sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT})
      if (Blocked(Sig))
        Bad += " thread " + std::to_string(Tid) + " blocks " + std::to_string(Sig) + ";";
  }
  Eng.reset();
  std::fprintf(stderr, "checked %d threads:%s\n", Checked,
               Bad.empty() ? " all block" : Bad.c_str());
  std::exit(0);
}

TEST(SignalDeathTest, HotjitThreadsBlockAsynchronousSignals) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // The reclaimer, the tier-up thread and at least one compile worker.
  EXPECT_EXIT(checkLibraryThreads(), ::testing::ExitedWithCode(0),
              "checked ([3-9]|[1-9][0-9]+) threads: all block");
}

class SignalTest : public EngineTest {
protected:
  void SetUp() override {
    EngineTest::SetUp();
    addHostSymbols(*Eng);
  }
};

TEST_F(SignalTest, AHandlerInstalledByJitCodeRunsPinned) {
  mustCommit(Eng->add("alarm", signalIR("alarm_v1")));
  // Called through its raw address, unpinned: only the handler's own pin can show.
  auto Raise = reinterpret_cast<int (*)()>(checked(Eng->lookupAddress("raise_usr1")));
  HandlerThread = 0;
  HandlerChecked = false;
  bool PinnedInHandler = false;
  std::thread Checker([&] {
    while (!HandlerThread.load())
      std::this_thread::yield();
    for (const EpochThreadInfo &T : Eng->epochs().stats().Threads)
      PinnedInHandler |= T.ThreadId == static_cast<uint64_t>(HandlerThread.load()) && T.Pinned;
    HandlerChecked = true;
  });
  EXPECT_EQ(Raise(), 0);
  Checker.join();
  EXPECT_EQ(HandlerThread.load(), ::gettid()) << "raise() runs the handler on the calling thread";
  EXPECT_TRUE(PinnedInHandler) << "the handler ran unpinned";
  EXPECT_FALSE(Eng->epochs().isPinned());
}

TEST_F(SignalTest, DispositionsAreThoseOfTheNativeProgram) {
  mustCommit(Eng->add("dispositions", signalIR("dispositions")));
  constexpr int AllHold = (1 << 18) - 1;
  EXPECT_EQ(nativeResult("native_signal_dispositions"), AllHold);
  EXPECT_EQ(callInt("dispositions_entry"), AllHold);
}

} // namespace
} // namespace hotjit::test
