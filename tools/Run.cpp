// `hotjit run`: run a program from IR, bitcode, C and C++ files the way lli does (its entry once
// on the main thread, with the program's arguments and standard streams; its result is the exit
// status). --watch recompiles each saved file and replaces only its module while the program
// runs; --repeat instead calls the entry in a loop on caller threads, with a status line.
#include "CommandLine.h"
#include "FileWatcher.h"
#include "HostLibraries.h"
#include "ModuleLoader.h"
#include "ProgramExit.h"

#include "hotjit/engine/Engine.h"

#include "llvm/Support/Path.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cfenv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace hotjit::tool {

namespace {

using Clock = std::chrono::steady_clock;

struct RunOptions {
  std::vector<std::string> Files;
  std::vector<std::string> ProgramArgs; ///< After `--`: argv[1...] of the entry.
  std::string Entry = "main";
  std::string Name; ///< argv[0]; empty: the first file's stem.
  bool Watch = false;
  bool Stats = false; ///< --stats: the engine's counters on stderr at exit.
  bool Quiet = false; ///< -q: no progress, swap or status lines (errors still).
  /// -v: compile progress lines even when stderr is not a terminal (by default they go only to a
  /// terminal: a program whose stderr is a file or a pipe sees what its native build writes).
  bool Verbose = false;
  unsigned Opt = 1;
  std::vector<std::string> CompilerFlags;
  std::vector<LibraryRequest> Libraries; ///< -l and --dlopen, in command-line order.
  std::vector<std::string> LibraryDirs;  ///< -L.
  // --repeat and its options.
  bool Repeat = false;
  unsigned Threads = 1;
  double Seconds = 0; ///< 0: until interrupted.
  double Interval = 1;
};

/// The entry types `hotjit run` knows how to call.
enum class EntryKind { IntArgv, IntArgvEnvp, IntVoid, LongThread, VoidVoid };

std::optional<EntryKind> entryKindOf(const std::string &Type) {
  if (Type == signatureText<int(int, char **)>())
    return EntryKind::IntArgv;
  if (Type == signatureText<int(int, char **, char **)>())
    return EntryKind::IntArgvEnvp;
  if (Type == signatureText<int()>())
    return EntryKind::IntVoid;
  if (Type == signatureText<int64_t(int64_t)>())
    return EntryKind::LongThread;
  if (Type == signatureText<void()>())
    return EntryKind::VoidVoid;
  return std::nullopt;
}

/// A file being run: where it is, its module, and what was last tried.
struct SourceFile {
  std::string Path;
  std::string Module; ///< The file name.
  LanguageKind Language;
  std::string LastContents;             ///< Bytes of the last version tried (kept or not).
  std::optional<std::string> EntryType; ///< Type of the entry if this file defines it.
};

/// Per caller thread, on its own cache line: calls made and the latest result.
struct alignas(64) CallerSlot {
  std::atomic<uint64_t> Calls{0};
  std::atomic<int64_t> Last{0};
};

volatile std::sig_atomic_t Interrupted = 0;
extern "C" void onInterrupt(int) { Interrupted = 1; }

/// Sets up SIGINT and SIGTERM to stop a --repeat run (without SA_RESTART, so
/// they interrupt the watcher's wait).
void installInterruptHandlers() {
  struct sigaction SA = {};
  SA.sa_handler = onInterrupt;
  sigemptyset(&SA.sa_mask);
  sigaction(SIGINT, &SA, nullptr);
  sigaction(SIGTERM, &SA, nullptr);
}

/// Blocks signals while in scope, so threads started meanwhile inherit the
/// mask and leave those signals to other threads: every signal (AllSignals)
/// keeps the program's signals off hotjit's threads; SIGINT and SIGTERM alone
/// leave --repeat's interruption to the main thread.
class SignalsBlockedScope {
public:
  enum SetKind { Interrupts, AllSignals };
  explicit SignalsBlockedScope(SetKind Kind) {
    sigset_t Set;
    if (Kind == AllSignals) {
      sigfillset(&Set);
    } else {
      sigemptyset(&Set);
      sigaddset(&Set, SIGINT);
      sigaddset(&Set, SIGTERM);
    }
    pthread_sigmask(SIG_BLOCK, &Set, &Saved);
  }
  ~SignalsBlockedScope() { pthread_sigmask(SIG_SETMASK, &Saved, nullptr); }

private:
  sigset_t Saved;
};

double ms(Clock::duration D) { return std::chrono::duration<double, std::milli>(D).count(); }

class Runner {
public:
  Runner(RunOptions O) : O(std::move(O)), Tty(::isatty(STDERR_FILENO)) {}
  int run();

private:
  // Both modes.
  bool setUp();
  bool loadAll();
  void reload(SourceFile &F);
  llvm::Error provideSymbols(const LoadedModule &L);
  template <typename Visitor> bool visitEntry(Visitor Visit);
  template <typename Sig, typename Visitor, typename CallFn>
  bool visitEntryAs(Visitor &Visit, CallFn Call);
  void printEvent(const std::string &Line);
  void printCompileProgress(const std::string &Path, std::chrono::nanoseconds Elapsed, bool Done);
  void printFailure(SourceFile &F, const std::string &Message);

  // The program: its entry once, on this thread.
  [[noreturn]] void runProgram();
  void startWatching();
  void stopWatching();

  // --repeat: the entry in a loop on caller threads.
  int runRepeat();
  bool startCallers();
  void printStatus();
  void printSummary();
  void printStats();
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - Start).count(); }

  RunOptions O;
  bool Tty; ///< stderr is a terminal: --repeat redraws one status line.
  std::unique_ptr<Engine> Eng;
  std::unique_ptr<ModuleLoader> Loader;
  std::unique_ptr<HostLibraries> Libraries; ///< -l, --dlopen; null without.
  std::unique_ptr<FileWatcher> Watcher;
  std::vector<SourceFile> Files;
  std::string EntryType;
  EntryKind Kind = EntryKind::IntArgv;
  std::vector<std::string> ArgvStrings; ///< NAME ARG...

  /// Set to end the watcher thread or the callers. Relaxed: a flag alone;
  /// the join that follows the store orders everything else.
  std::atomic<bool> Stop{false};
  /// Set once the program's code runs (and may write to stderr); written before the watcher
  /// thread starts.
  bool ProgramStarted = false;
  std::thread WatchThread;

  std::string CallText; ///< "main()", "main(argc, argv)", ...
  bool HasResult = true;
  std::vector<CallerSlot> Slots;
  std::vector<std::thread> Callers;
  Clock::time_point Start;
  uint64_t LastCalls = 0;
  Clock::time_point LastStatus;
  std::vector<double> SwapMs;
  unsigned FailedSwaps = 0;
};

/// Creates the engine, the loader and the watcher, and commits every file.
bool Runner::setUp() {
  EngineOptions EO;
  EO.OptLevel = O.Opt;
  auto E = Engine::create(EO);
  if (!E) {
    printError(E.takeError());
    return false;
  }
  Eng = std::move(*E);
  // Before any static constructor of the program runs: the engine's exit
  // handler, which runs the program's exit handlers (registered later), then
  // runs before this one.
  if (!O.Repeat)
    installProgramExit();
  // After installProgramExit: the exit handlers the libraries register run before it ends the
  // process, as they would natively.
  if (!O.Libraries.empty()) {
    auto Libs = HostLibraries::open(O.Libraries, O.LibraryDirs);
    if (!Libs) {
      printError(Libs.takeError());
      return false;
    }
    Libraries = std::move(*Libs);
  }
  auto L = ModuleLoader::create(O.CompilerFlags);
  if (!L) {
    printError(L.takeError());
    return false;
  }
  Loader = std::move(*L);
  if (!O.Quiet)
    Loader->setProgress(std::chrono::seconds(1),
                        [this](const std::string &Path, std::chrono::nanoseconds Elapsed,
                               bool Done) { printCompileProgress(Path, Elapsed, Done); });
  for (const std::string &Path : O.Files)
    Files.push_back({Path, llvm::sys::path::filename(Path).str(), *languageOf(Path), "", {}});
  if (O.Watch) {
    auto W = FileWatcher::create(O.Files);
    if (!W) {
      printError(W.takeError());
      return false;
    }
    Watcher = std::move(*W);
  }
  if (!loadAll())
    return false;
  std::optional<EntryKind> K = entryKindOf(EntryType);
  if (!K) {
    printError("'" + O.Entry + "' has type '" + EntryType +
               "'; hotjit run calls i32 (i32, ptr), i32 (i32, ptr, ptr), i32 (), i64 (i64) or "
               "void () (see hotjit --help)");
    return false;
  }
  Kind = *K;
  ArgvStrings = {O.Name.empty() ? llvm::sys::path::stem(O.Files.front()).str() : O.Name};
  ArgvStrings.insert(ArgvStrings.end(), O.ProgramArgs.begin(), O.ProgramArgs.end());
  return true;
}

bool Runner::loadAll() {
  Batch Initial = Eng->batch();
  for (SourceFile &F : Files) {
    auto Contents = readFile(F.Path);
    if (!Contents) {
      printError(Contents.takeError());
      return false;
    }
    F.LastContents = *Contents;
    auto L = Loader->load(F.Path, F.Language, std::move(*Contents));
    if (!L) {
      printError(L.takeError(), F.Path + ": ");
      return false;
    }
    if (!L->Warnings.empty())
      std::fprintf(stderr, "%s\n", L->Warnings.c_str());
    if (auto E = provideSymbols(*L)) {
      printError(std::move(E), F.Path + ": ");
      return false;
    }
    if (auto T = L->definedType(O.Entry))
      F.EntryType = *T;
    else
      llvm::consumeError(T.takeError()); // The commit reports it.
    Initial.add(F.Module, L->source());
  }
  auto R = Initial.commit();
  if (!R) {
    printError(commitErrorText(R.takeError()));
    return false;
  }
  auto Type = Eng->signatureOf(O.Entry);
  if (!Type) {
    llvm::consumeError(Type.takeError());
    printError("no function '" + O.Entry + "' in the files given (choose one with --entry)");
    return false;
  }
  EntryType = *Type;
  return true;
}

/// Looks up the entry as \p Sig and passes \p Visit its handle and \p Call,
/// which calls a handle as (Handle, Thread, Argc, Argv) and returns its result.
template <typename Sig, typename Visitor, typename CallFn>
bool Runner::visitEntryAs(Visitor &Visit, CallFn Call) {
  auto Fn = Eng->lookup<Sig>(O.Entry);
  if (!Fn) {
    printError(Fn.takeError());
    return false;
  }
  Visit(*Fn, Call);
  return true;
}

template <typename Visitor> bool Runner::visitEntry(Visitor Visit) {
  switch (Kind) {
  case EntryKind::IntArgv:
    CallText = O.Entry + "(argc, argv)";
    return visitEntryAs<int(int, char **)>(Visit,
                                           [](const Function<int(int, char **)> &F, unsigned,
                                              int Argc,
                                              char **Argv) -> int64_t { return F(Argc, Argv); });
  case EntryKind::IntArgvEnvp:
    CallText = O.Entry + "(argc, argv, envp)";
    return visitEntryAs<int(int, char **, char **)>(
        Visit,
        [](const Function<int(int, char **, char **)> &F, unsigned, int Argc,
           char **Argv) -> int64_t { return F(Argc, Argv, environ); });
  case EntryKind::IntVoid:
    CallText = O.Entry + "()";
    return visitEntryAs<int()>(
        Visit, [](const Function<int()> &F, unsigned, int, char **) -> int64_t { return F(); });
  case EntryKind::LongThread:
    CallText = O.Entry + "(thread 0)";
    return visitEntryAs<int64_t(int64_t)>(
        Visit, [](const Function<int64_t(int64_t)> &F, unsigned T, int, char **) { return F(T); });
  case EntryKind::VoidVoid:
    CallText = O.Entry + "()";
    HasResult = false;
    return visitEntryAs<void()>(Visit,
                                [](const Function<void()> &F, unsigned, int, char **) -> int64_t {
                                  F();
                                  return 0;
                                });
  }
  return false;
}

/// One line on stderr: in the program's own run "hotjit: <Line>", with
/// --repeat the time and the line, over the status line on a terminal.
void Runner::printEvent(const std::string &Line) {
  if (O.Quiet)
    return;
  if (O.Repeat)
    std::fprintf(stderr, "%s[%6.1fs] %s\n", Tty ? "\r\033[K" : "", elapsed(), Line.c_str());
  else
    printError(Line);
}

/// A compile that runs longer than a second: "compiling NAME ..." when it passes the second, then
/// its time; on a terminal, or with -v. Before the program runs, nothing else writes to stderr: on
/// a terminal the time ends the same line. A save's compile ends in its swap line, which gives the
/// time.
void Runner::printCompileProgress(const std::string &Path, std::chrono::nanoseconds Elapsed,
                                  bool Done) {
  if (!Tty && !O.Verbose)
    return;
  std::string Name = llvm::sys::path::filename(Path).str();
  double Seconds = std::chrono::duration<double>(Elapsed).count();
  bool SameLine = Tty && !ProgramStarted;
  if (!Done && SameLine)
    std::fprintf(stderr, "hotjit: compiling %s ...", Name.c_str());
  else if (!Done)
    printEvent("compiling " + Name + " ...");
  else if (SameLine)
    std::fprintf(stderr, " (%.1f s)\n", Seconds);
  else if (!ProgramStarted)
    std::fprintf(stderr, "hotjit: compiled %s (%.1f s)\n", Name.c_str(), Seconds);
  std::fflush(stderr);
}

void Runner::printFailure(SourceFile &F, const std::string &Message) {
  if (O.Repeat && Tty)
    std::fputs("\r\033[K", stderr);
  ++FailedSwaps;
  printError(F.Module + ": " + Message);
  printError(F.Module + ": the previous version keeps running");
}

void Runner::reload(SourceFile &F) {
  auto Contents = readFile(F.Path);
  if (!Contents) {
    // Mid-save or deleted: the next save is another event.
    llvm::consumeError(Contents.takeError());
    return;
  }
  if (*Contents == F.LastContents)
    return;
  F.LastContents = *Contents;
  auto L = Loader->load(F.Path, F.Language, std::move(*Contents));
  // The program is ending (stopWatching): its compile was cancelled, or is dropped.
  if (Stop.load(std::memory_order_relaxed)) {
    if (!L)
      llvm::consumeError(L.takeError());
    return;
  }
  if (!L)
    return printFailure(F, llvm::toString(L.takeError()));
  if (!L->Warnings.empty())
    std::fprintf(stderr, "%s\n", L->Warnings.c_str());
  // --repeat's callers hold a handle typed for the entry as it was at start:
  // it must stay defined, with the same type. (A module that does not parse
  // is left to the commit, which names the problem.) The program's main was
  // called once, and keeps running the version it started in.
  auto NewEntryType = L->definedType(O.Entry);
  if (!NewEntryType)
    llvm::consumeError(NewEntryType.takeError());
  else if (O.Repeat && F.EntryType && *NewEntryType != F.EntryType)
    return printFailure(F, *NewEntryType
                               ? "'" + O.Entry + "' changes type from '" + *F.EntryType + "' to '" +
                                     **NewEntryType + "'; restart hotjit run to call another type"
                               : "'" + O.Entry + "' is called by hotjit run; it cannot be removed");
  if (auto E = provideSymbols(*L))
    return printFailure(F, llvm::toString(std::move(E)));
  auto T0 = Clock::now();
  auto R = Eng->replace(F.Module, L->source());
  auto T1 = Clock::now();
  if (!R)
    return printFailure(F, commitErrorText(R.takeError()));
  if (NewEntryType)
    F.EntryType = *NewEntryType;
  SwapMs.push_back(ms(T1 - T0));
  char Line[256];
  if (L->CompileTime.count())
    std::snprintf(Line, sizeof(Line), "%s: swapped in %.2f ms (compiled in %.0f ms; version %llu)",
                  F.Module.c_str(), SwapMs.back(), ms(L->CompileTime),
                  static_cast<unsigned long long>(R->Version));
  else
    std::snprintf(Line, sizeof(Line), "%s: swapped in %.2f ms (version %llu)", F.Module.c_str(),
                  SwapMs.back(), static_cast<unsigned long long>(R->Version));
  printEvent(Line);
  for (const std::string &Ctor : R->SkippedConstructors)
    printEvent(Ctor +
               " changed and was not run (a replacement keeps live state; restart to run it)");
  if (!R->KeptForOldState.empty())
    printEvent(F.Module +
               ": closures and coroutines made before keep the code they were made with");
}

/// -l, --dlopen: registers the symbols of the libraries that \p L leaves undefined. A module that
/// does not parse is left to the commit, which names the problem.
llvm::Error Runner::provideSymbols(const LoadedModule &L) {
  if (!Libraries)
    return llvm::Error::success();
  auto Names = L.undefinedNames();
  if (!Names) {
    llvm::consumeError(Names.takeError());
    return llvm::Error::success();
  }
  return Libraries->provide(*Eng, *Names);
}

// The program's own run. Its entry runs on the main thread, as a native main
// does: programs that assume so (signal handling, the main thread's growable
// stack, libraries that must be driven from the main thread) behave the same,
// and the entry's return is the end of the process. The watcher therefore
// runs on a thread of its own, with every signal blocked so that the
// program's signals reach only the program's threads. The entry's call holds
// an EpochGuard until it returns (its frame may be in code a swap replaces).
// The engine's stack checks (EngineOptions::StackCheckAfter) free each
// replaced version once no thread's stack holds it, so main's pin keeps only
// the versions main still runs, and is no stall when it runs none.

/// Gives the calling thread the state a native main starts with, as far as
/// hotjit's own work on it changed it: the default floating-point environment
/// of program startup (no exception raised, round to nearest, every exception
/// masked, in the x87 control word and in MXCSR alike) and errno 0.
void restoreStartState() {
  std::fesetenv(FE_DFL_ENV);
  errno = 0;
}

void Runner::runProgram() {
  setBeforeExit([this] {
    stopWatching();
    if (O.Stats)
      printStats();
  });
  ProgramStarted = true;
  // Before the exit handlers of the program and of the libraries under the engine: a compile or
  // swap must not run while they tear down.
  setAtExitStart([this] { stopWatching(); });
  if (Watcher)
    startWatching();
  std::vector<char *> Argv;
  for (std::string &A : ArgvStrings)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  int64_t Result = ExitRunFailure;
  visitEntry([&](const auto &F, auto Call) {
    restoreStartState();
    Result = Call(F, 0, static_cast<int>(Argv.size() - 1), Argv.data());
  });
  exitProgram(static_cast<int>(Result));
}

void Runner::startWatching() {
  SignalsBlockedScope Blocked(SignalsBlockedScope::AllSignals);
  WatchThread = std::thread([this] {
    // Wakes at least every 100 ms to see Stop.
    while (!Stop.load(std::memory_order_relaxed))
      for (size_t I : Watcher->wait(std::chrono::milliseconds(100)))
        reload(Files[I]);
  });
}

/// Ends the watcher thread: a compile in progress is cancelled (its clang killed) and dropped, a
/// swap in progress finishes, and no other starts.
void Runner::stopWatching() {
  if (!WatchThread.joinable())
    return;
  Stop.store(true, std::memory_order_relaxed);
  Loader->cancel();
  // exit() called by the program's code on the watcher thread (a static constructor of a saved
  // module) ends the process from there.
  if (WatchThread.get_id() != std::this_thread::get_id())
    WatchThread.join();
}

// --repeat.

bool Runner::startCallers() {
  Slots = std::vector<CallerSlot>(O.Threads);
  SignalsBlockedScope Blocked(SignalsBlockedScope::Interrupts);
  return visitEntry([this](const auto &F, auto Call) {
    for (unsigned T = 0; T < O.Threads; ++T)
      Callers.emplace_back([this, T, F, Call] {
        CallerSlot &S = Slots[T];
        std::vector<char *> Argv;
        for (std::string &A : ArgvStrings)
          Argv.push_back(A.data());
        Argv.push_back(nullptr);
        const int Argc = static_cast<int>(Argv.size() - 1);
        uint64_t N = 0;
        restoreStartState();
        while (!Stop.load(std::memory_order_relaxed)) {
          S.Last.store(Call(F, T, Argc, Argv.data()), std::memory_order_relaxed);
          S.Calls.store(++N, std::memory_order_relaxed);
        }
      });
  });
}

void Runner::printStatus() {
  uint64_t Calls = 0;
  for (CallerSlot &S : Slots)
    Calls += S.Calls.load(std::memory_order_relaxed);
  auto Now = Clock::now();
  double Rate = (Calls - LastCalls) / std::chrono::duration<double>(Now - LastStatus).count();
  LastCalls = Calls;
  LastStatus = Now;
  std::string Result =
      HasResult ? " = " + std::to_string(Slots[0].Last.load(std::memory_order_relaxed)) : "";
  std::fprintf(stderr, "%s[%6.1fs] %s%s   calls %llu (%.3g M/s)%s", Tty ? "\r\033[K" : "",
               elapsed(), CallText.c_str(), Result.c_str(), static_cast<unsigned long long>(Calls),
               Rate / 1e6, Tty ? "" : "\n");
}

/// --stats: the engine's reclamation counters, one line.
void Runner::printStats() {
  EngineStats S = Eng->stats();
  std::fprintf(stderr,
               "hotjit: stats: commits %llu; versions retired %llu, freed %llu (%llu by stack "
               "check), kept %llu; bytes pending %zu; stack checks %llu (held code %llu, "
               "unanswered %llu); grace periods %llu; stalls %llu\n",
               static_cast<unsigned long long>(S.Commits),
               static_cast<unsigned long long>(S.VersionsRetired),
               static_cast<unsigned long long>(S.VersionsFreed),
               static_cast<unsigned long long>(S.VersionsFreedByStackCheck),
               static_cast<unsigned long long>(S.VersionsKept), S.RetiredBytesPending,
               static_cast<unsigned long long>(S.StackChecks),
               static_cast<unsigned long long>(S.StackCheckHeldCode),
               static_cast<unsigned long long>(S.StackCheckUnanswered),
               static_cast<unsigned long long>(S.Epochs.GracePeriods),
               static_cast<unsigned long long>(S.Epochs.Stalls));
}

void Runner::printSummary() {
  double Elapsed = elapsed();
  uint64_t Calls = 0;
  for (CallerSlot &S : Slots)
    Calls += S.Calls.load();
  if (Tty)
    std::fputs("\r\033[K", stderr);
  std::fprintf(stderr, "hotjit run: %.1f s, %u thread%s, %s", Elapsed, O.Threads,
               O.Threads == 1 ? "" : "s", CallText.c_str());
  if (HasResult)
    std::fprintf(stderr, " = %lld", static_cast<long long>(Slots[0].Last.load()));
  std::fprintf(stderr, "\n  calls   %llu (%.3g M/s)\n", static_cast<unsigned long long>(Calls),
               Calls / Elapsed / 1e6);
  if (O.Watch) {
    std::sort(SwapMs.begin(), SwapMs.end());
    std::fprintf(stderr, "  swaps   %zu (failed %u)", SwapMs.size(), FailedSwaps);
    if (!SwapMs.empty())
      std::fprintf(stderr, ", latency p50 %.2f ms, max %.2f ms", SwapMs[SwapMs.size() / 2],
                   SwapMs.back());
    std::fputs("\n", stderr);
  }
}

int Runner::runRepeat() {
  installInterruptHandlers();
  std::fprintf(stderr, "hotjit run: %zu module%s; calling %s (%s) on %u thread%s%s\n", Files.size(),
               Files.size() == 1 ? "" : "s", O.Entry.c_str(), EntryType.c_str(), O.Threads,
               O.Threads == 1 ? "" : "s", O.Watch ? "; watching for saves (ctrl-c stops)" : "");
  Start = LastStatus = Clock::now();
  ProgramStarted = true;
  if (!startCallers()) {
    Stop = true;
    for (std::thread &T : Callers)
      T.join();
    return ExitRunFailure;
  }

  const auto Interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(O.Interval));
  const auto Deadline = O.Seconds > 0 ? Start + std::chrono::duration_cast<Clock::duration>(
                                                    std::chrono::duration<double>(O.Seconds))
                                      : Clock::time_point::max();
  auto NextStatus = Start + Interval;
  while (!Interrupted) {
    auto Now = Clock::now();
    if (Now >= Deadline)
      break;
    if (Now >= NextStatus) {
      if (!O.Quiet)
        printStatus();
      NextStatus += Interval;
      if (NextStatus < Now)
        NextStatus = Now + Interval;
    }
    auto Wake = std::min(NextStatus, Deadline);
    auto Wait = std::chrono::ceil<std::chrono::milliseconds>(Wake - Clock::now());
    Wait = std::clamp(Wait, std::chrono::milliseconds(0), std::chrono::milliseconds(1000));
    if (Watcher) {
      for (size_t I : Watcher->wait(Wait))
        reload(Files[I]);
    } else {
      std::this_thread::sleep_for(Wait);
    }
  }
  Stop = true;
  for (std::thread &T : Callers)
    T.join();
  printSummary();
  if (O.Stats)
    printStats();
  return ExitOk;
}

int Runner::run() {
  if (O.Repeat) {
    if (!setUp())
      return ExitRunFailure;
    return runRepeat();
  }
  {
    // The engine's threads (compile pool, reclaimer) start here and inherit
    // the mask: the program's signals stay with the program's threads.
    SignalsBlockedScope Blocked(SignalsBlockedScope::AllSignals);
    if (!setUp())
      return ExitRunFailure;
  }
  runProgram();
}

} // namespace

int runCommand(int Argc, char **Argv) {
  RunOptions O;
  bool RepeatOptionGiven = false;
  for (Arguments Args(Argc, Argv, 2, ExitRunFailure); !Args.done();) {
    std::string A = Args.next();
    if (A == "--") {
      while (!Args.done())
        O.ProgramArgs.push_back(Args.next());
    } else if (A == "--entry") {
      O.Entry = Args.value(A);
    } else if (A == "--name") {
      O.Name = Args.value(A);
    } else if (A == "--watch") {
      O.Watch = true;
    } else if (A == "-q" || A == "--quiet") {
      O.Quiet = true;
    } else if (A == "-v" || A == "--verbose") {
      O.Verbose = true;
    } else if (A == "--stats") {
      O.Stats = true;
    } else if (A == "--opt") {
      O.Opt = static_cast<unsigned>(Args.number(A, 0, 3, true));
    } else if (A == "--cflag") {
      O.CompilerFlags.push_back(Args.value(A));
    } else if (A == "-l" || A == "-L" || A == "--dlopen") {
      std::string V = Args.value(A);
      if (A == "-L")
        O.LibraryDirs.push_back(V);
      else
        O.Libraries.push_back({A == "-l" ? LibraryRequest::Search : LibraryRequest::Exact, V});
    } else if (A.size() > 2 && A.starts_with("-l")) {
      O.Libraries.push_back({LibraryRequest::Search, A.substr(2)});
    } else if (A.size() > 2 && A.starts_with("-L")) {
      O.LibraryDirs.push_back(A.substr(2));
    } else if (A.starts_with("--dlopen=")) {
      O.Libraries.push_back({LibraryRequest::Exact, A.substr(9)});
    } else if (A == "--repeat") {
      O.Repeat = true;
    } else if (A == "--threads") {
      O.Threads = static_cast<unsigned>(Args.number(A, 1, 1024, true));
      RepeatOptionGiven = true;
    } else if (A == "--seconds") {
      O.Seconds = Args.number(A, 0.01, 1e7, false);
      RepeatOptionGiven = true;
    } else if (A == "--interval") {
      O.Interval = Args.number(A, 0.01, 3600, false);
      RepeatOptionGiven = true;
    } else if (A == "-h" || A == "--help") {
      std::fputs(Usage, stdout);
      return ExitOk;
    } else if (A.size() > 1 && A[0] == '-') {
      usageError("unknown run option '" + A + "'", ExitRunFailure);
    } else {
      O.Files.push_back(A);
    }
  }
  if (O.Files.empty())
    usageError("run needs at least one file", ExitRunFailure);
  if (RepeatOptionGiven && !O.Repeat)
    usageError("--threads, --seconds and --interval go with --repeat", ExitRunFailure);
  std::map<std::string, std::string> Modules;
  for (const std::string &Path : O.Files) {
    if (!languageOf(Path))
      usageError("'" + Path + "' is not a .ll, .bc, .c or .cpp file", ExitRunFailure);
    std::string Name = llvm::sys::path::filename(Path).str();
    if (auto [It, New] = Modules.try_emplace(Name, Path); !New)
      usageError("'" + It->second + "' and '" + Path + "' would both be module '" + Name + "'",
                 ExitRunFailure);
  }
  return Runner(std::move(O)).run();
}

} // namespace hotjit::tool
