// `hotjit run`: call an entry function of the given files on caller threads; with --watch,
// recompile each saved file and replace only its module while the callers keep calling.
#include "CommandLine.h"
#include "FileWatcher.h"
#include "ModuleLoader.h"

#include "hotjit/engine/Engine.h"

#include "llvm/Support/Path.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace hotjit::tool {

namespace {

using Clock = std::chrono::steady_clock;

struct RunOptions {
  std::vector<std::string> Files;
  std::vector<std::string> ProgramArgs; ///< After `--`: argv[1...] of the entry.
  std::string Entry = "main";
  unsigned Threads = 1;
  bool Watch = false;
  double Seconds = 0; ///< 0: until interrupted.
  double Interval = 1;
  unsigned Opt = 1;
  std::vector<std::string> CompilerFlags;
};

/// The entry types `hotjit run` knows how to call.
enum class EntryKind { IntVoid, IntArgv, LongThread, VoidVoid };

std::optional<EntryKind> entryKindOf(const std::string &Type) {
  if (Type == signatureText<int()>())
    return EntryKind::IntVoid;
  if (Type == signatureText<int(int, char **)>())
    return EntryKind::IntArgv;
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
  std::string LastContents; ///< Bytes of the last version tried (kept or not).
  std::optional<std::string> EntryType; ///< Type of the entry if this file defines it.
};

/// Per caller thread, on its own cache line: calls made and the latest result.
struct alignas(64) CallerSlot {
  std::atomic<uint64_t> Calls{0};
  std::atomic<int64_t> Last{0};
};

volatile std::sig_atomic_t Interrupted = 0;
extern "C" void onInterrupt(int) { Interrupted = 1; }

/// Sets up SIGINT and SIGTERM to stop the run (without SA_RESTART, so they
/// interrupt the watcher's wait).
void installInterruptHandlers() {
  struct sigaction SA = {};
  SA.sa_handler = onInterrupt;
  sigemptyset(&SA.sa_mask);
  sigaction(SIGINT, &SA, nullptr);
  sigaction(SIGTERM, &SA, nullptr);
}

/// Blocks SIGINT and SIGTERM while in scope, so threads started meanwhile
/// leave them to the main thread.
class SignalsBlockedScope {
public:
  SignalsBlockedScope() {
    sigset_t Set;
    sigemptyset(&Set);
    sigaddset(&Set, SIGINT);
    sigaddset(&Set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &Set, &Saved);
  }
  ~SignalsBlockedScope() { pthread_sigmask(SIG_SETMASK, &Saved, nullptr); }

private:
  sigset_t Saved;
};

double ms(Clock::duration D) { return std::chrono::duration<double, std::milli>(D).count(); }

class Runner {
public:
  Runner(RunOptions O) : O(std::move(O)), Tty(::isatty(STDOUT_FILENO)) {}
  int run();

private:
  bool loadAll();
  bool startCallers();
  template <typename Sig, typename CallFn> bool startCallersWith(CallFn Call);
  void reload(SourceFile &F);
  void printStatus();
  void printEvent(const std::string &Line);
  void printFailure(SourceFile &F, const std::string &Message);
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - Start).count(); }

  RunOptions O;
  bool Tty;
  std::unique_ptr<Engine> Eng;
  std::unique_ptr<ModuleLoader> Loader;
  std::vector<SourceFile> Files;
  std::string EntryType;
  std::string CallText; ///< "main()", "main(argc, argv)", ...
  bool HasResult = true;

  std::atomic<bool> Stop{false};
  std::vector<CallerSlot> Slots;
  std::vector<std::thread> Callers;
  std::vector<std::string> ArgvStrings;

  Clock::time_point Start;
  uint64_t LastCalls = 0;
  Clock::time_point LastStatus;
  std::vector<double> SwapMs;
  unsigned FailedSwaps = 0;
};

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
    if (auto T = L->definedType(O.Entry))
      F.EntryType = *T;
    else
      llvm::consumeError(T.takeError()); // The commit reports it.
    Initial.add(F.Module, L->source());
  }
  auto R = Initial.commit();
  if (!R) {
    printError(R.takeError());
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

template <typename Sig, typename CallFn> bool Runner::startCallersWith(CallFn Call) {
  auto Fn = Eng->lookup<Sig>(O.Entry);
  if (!Fn) {
    printError(Fn.takeError());
    return false;
  }
  SignalsBlockedScope Blocked;
  for (unsigned T = 0; T < O.Threads; ++T)
    Callers.emplace_back([this, T, F = *Fn, Call] {
      CallerSlot &S = Slots[T];
      std::vector<char *> Argv;
      for (std::string &A : ArgvStrings)
        Argv.push_back(A.data());
      Argv.push_back(nullptr);
      uint64_t N = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        S.Last.store(Call(F, T, Argv), std::memory_order_relaxed);
        S.Calls.store(++N, std::memory_order_relaxed);
      }
    });
  return true;
}

bool Runner::startCallers() {
  std::optional<EntryKind> Kind = entryKindOf(EntryType);
  if (!Kind) {
    printError("'" + O.Entry + "' has type '" + EntryType +
               "'; hotjit run calls i32 (), i32 (i32, ptr), i64 (i64) or void () "
               "(see hotjit --help)");
    return false;
  }
  Slots = std::vector<CallerSlot>(O.Threads);
  ArgvStrings = {llvm::sys::path::filename(O.Files.front()).str()};
  ArgvStrings.insert(ArgvStrings.end(), O.ProgramArgs.begin(), O.ProgramArgs.end());
  switch (*Kind) {
  case EntryKind::IntVoid:
    CallText = O.Entry + "()";
    return startCallersWith<int()>(
        [](const Function<int()> &F, unsigned, std::vector<char *> &) -> int64_t { return F(); });
  case EntryKind::IntArgv:
    CallText = O.Entry + "(argc, argv)";
    return startCallersWith<int(int, char **)>(
        [](const Function<int(int, char **)> &F, unsigned, std::vector<char *> &Argv) -> int64_t {
          return F(static_cast<int>(Argv.size() - 1), Argv.data());
        });
  case EntryKind::LongThread:
    CallText = O.Entry + "(thread 0)";
    return startCallersWith<int64_t(int64_t)>(
        [](const Function<int64_t(int64_t)> &F, unsigned T, std::vector<char *> &) {
          return F(T);
        });
  case EntryKind::VoidVoid:
    CallText = O.Entry + "()";
    HasResult = false;
    return startCallersWith<void()>(
        [](const Function<void()> &F, unsigned, std::vector<char *> &) -> int64_t {
          F();
          return 0;
        });
  }
  return false;
}

void Runner::printEvent(const std::string &Line) {
  std::printf("%s[%6.1fs] %s\n", Tty ? "\r\033[K" : "", elapsed(), Line.c_str());
  std::fflush(stdout);
}

void Runner::printFailure(SourceFile &F, const std::string &Message) {
  if (Tty) {
    std::fputs("\r\033[K", stdout);
    std::fflush(stdout);
  }
  ++FailedSwaps;
  printError(F.Module + ": " + Message);
  printError(F.Module + ": the previous version keeps running");
}

void Runner::printStatus() {
  uint64_t Calls = 0;
  for (CallerSlot &S : Slots)
    Calls += S.Calls.load(std::memory_order_relaxed);
  auto Now = Clock::now();
  double Rate = (Calls - LastCalls) / std::chrono::duration<double>(Now - LastStatus).count();
  LastCalls = Calls;
  LastStatus = Now;
  std::string Result = HasResult
                           ? " = " + std::to_string(Slots[0].Last.load(std::memory_order_relaxed))
                           : "";
  std::printf("%s[%6.1fs] %s%s   calls %llu (%.3g M/s)%s", Tty ? "\r\033[K" : "", elapsed(),
              CallText.c_str(), Result.c_str(), static_cast<unsigned long long>(Calls),
              Rate / 1e6, Tty ? "" : "\n");
  std::fflush(stdout);
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
  if (!L)
    return printFailure(F, llvm::toString(L.takeError()));
  if (!L->Warnings.empty())
    std::fprintf(stderr, "%s\n", L->Warnings.c_str());
  // The callers hold a handle typed for the entry as it was at start: it
  // must stay defined, with the same type. (A module that does not parse is
  // left to the commit, which names the problem.)
  auto NewEntryType = L->definedType(O.Entry);
  if (!NewEntryType)
    llvm::consumeError(NewEntryType.takeError());
  else if (F.EntryType && *NewEntryType != F.EntryType)
    return printFailure(F, *NewEntryType
                               ? "'" + O.Entry + "' changes type from '" + *F.EntryType +
                                     "' to '" + **NewEntryType +
                                     "'; restart hotjit run to call another type"
                               : "'" + O.Entry + "' is called by hotjit run; it cannot be removed");
  auto T0 = Clock::now();
  auto R = Eng->replace(F.Module, L->source());
  auto T1 = Clock::now();
  if (!R)
    return printFailure(F, llvm::toString(R.takeError()));
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
}

int Runner::run() {
  EngineOptions EO;
  EO.OptLevel = O.Opt;
  auto E = Engine::create(EO);
  if (!E) {
    printError(E.takeError());
    return ExitFailure;
  }
  Eng = std::move(*E);
  auto L = ModuleLoader::create(O.CompilerFlags);
  if (!L) {
    printError(L.takeError());
    return ExitFailure;
  }
  Loader = std::move(*L);
  for (const std::string &Path : O.Files)
    Files.push_back({Path, llvm::sys::path::filename(Path).str(), *languageOf(Path), "", {}});
  std::unique_ptr<FileWatcher> Watcher;
  if (O.Watch) {
    auto W = FileWatcher::create(O.Files);
    if (!W) {
      printError(W.takeError());
      return ExitFailure;
    }
    Watcher = std::move(*W);
  }
  if (!loadAll())
    return ExitFailure;

  installInterruptHandlers();
  std::printf("hotjit run: %zu module%s; calling %s (%s) on %u thread%s%s\n", Files.size(),
              Files.size() == 1 ? "" : "s", O.Entry.c_str(), EntryType.c_str(), O.Threads,
              O.Threads == 1 ? "" : "s",
              O.Watch ? "; watching for saves (ctrl-c stops)" : "");
  std::fflush(stdout);
  Start = LastStatus = Clock::now();
  if (!startCallers()) {
    Stop = true;
    for (std::thread &T : Callers)
      T.join();
    return ExitFailure;
  }

  const auto Interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(O.Interval));
  const auto Deadline =
      O.Seconds > 0 ? Start + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(O.Seconds))
                    : Clock::time_point::max();
  auto NextStatus = Start + Interval;
  while (!Interrupted) {
    auto Now = Clock::now();
    if (Now >= Deadline)
      break;
    if (Now >= NextStatus) {
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

  double Elapsed = elapsed();
  uint64_t Calls = 0;
  for (CallerSlot &S : Slots)
    Calls += S.Calls.load();
  if (Tty)
    std::printf("\r\033[K");
  std::printf("hotjit run: %.1f s, %u thread%s, %s", Elapsed, O.Threads,
              O.Threads == 1 ? "" : "s", CallText.c_str());
  if (HasResult)
    std::printf(" = %lld", static_cast<long long>(Slots[0].Last.load()));
  std::printf("\n  calls   %llu (%.3g M/s)\n", static_cast<unsigned long long>(Calls),
              Calls / Elapsed / 1e6);
  if (O.Watch) {
    std::sort(SwapMs.begin(), SwapMs.end());
    std::printf("  swaps   %zu (failed %u)", SwapMs.size(), FailedSwaps);
    if (!SwapMs.empty())
      std::printf(", latency p50 %.2f ms, max %.2f ms", SwapMs[SwapMs.size() / 2],
                  SwapMs.back());
    std::printf("\n");
  }
  std::fflush(stdout);
  return ExitOk;
}

} // namespace

int runCommand(int Argc, char **Argv) {
  RunOptions O;
  for (Arguments Args(Argc, Argv, 2); !Args.done();) {
    std::string A = Args.next();
    if (A == "--") {
      while (!Args.done())
        O.ProgramArgs.push_back(Args.next());
    } else if (A == "--entry") {
      O.Entry = Args.value(A);
    } else if (A == "--threads") {
      O.Threads = static_cast<unsigned>(Args.number(A, 1, 1024, true));
    } else if (A == "--watch") {
      O.Watch = true;
    } else if (A == "--seconds") {
      O.Seconds = Args.number(A, 0.01, 1e7, false);
    } else if (A == "--interval") {
      O.Interval = Args.number(A, 0.01, 3600, false);
    } else if (A == "--opt") {
      O.Opt = static_cast<unsigned>(Args.number(A, 0, 3, true));
    } else if (A == "--cflag") {
      O.CompilerFlags.push_back(Args.value(A));
    } else if (A == "-h" || A == "--help") {
      std::fputs(Usage, stdout);
      return ExitOk;
    } else if (A.size() > 1 && A[0] == '-') {
      usageError("unknown run option '" + A + "'");
    } else {
      O.Files.push_back(A);
    }
  }
  if (O.Files.empty())
    usageError("run needs at least one file");
  std::map<std::string, std::string> Modules;
  for (const std::string &Path : O.Files) {
    if (!languageOf(Path))
      usageError("'" + Path + "' is not a .ll, .bc, .c or .cpp file");
    std::string Name = llvm::sys::path::filename(Path).str();
    if (auto [It, New] = Modules.try_emplace(Name, Path); !New)
      usageError("'" + It->second + "' and '" + Path + "' would both be module '" + Name + "'");
  }
  return Runner(std::move(O)).run();
}

} // namespace hotjit::tool
