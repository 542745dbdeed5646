// `hotjit run`: run a program from IR, bitcode, C and C++ files the way lli does (its entry once
// on the main thread, with the program's arguments and standard streams; its result is the exit
// status). --watch recompiles each saved file, and each file that includes a saved header, and
// replaces only their modules, as one batch, while the program runs; --repeat instead calls the
// entry in a loop on caller threads, with a status line.
#include "CommandLine.h"
#include "CompileCommands.h"
#include "CrashReport.h"
#include "FileWatcher.h"
#include "HostLibraries.h"
#include "ModuleLoader.h"
#include "ProgramExit.h"

#include "hotjit/engine/Engine.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cfenv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
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

/// Marks a LibraryRequest that names an --extra-object, not a library.
constexpr llvm::StringLiteral ExtraObjectMark = "\x01extra-object:";

/// --extra-object FILE (lli's option): the object linked into a shared library by the C compiler
/// ($HOTJIT_CC, else clang-22: `-shared -o TMP.so FILE`), which then loads as --dlopen loads one:
/// its functions and data resolve for JIT code (its own undefined symbols resolve against the host
/// and the libraries loaded before it, not against JIT code). Its code is the host's: not
/// replaceable. The
/// requests are rewritten in place to the libraries made, whose paths go to \p Made.
llvm::Error extraObjectsAsLibraries(std::vector<LibraryRequest> &Requests,
                                    std::vector<std::string> &Made) {
  for (LibraryRequest &R : Requests) {
    if (!llvm::StringRef(R.Name).starts_with(ExtraObjectMark))
      continue;
    std::string Object = R.Name.substr(ExtraObjectMark.size());
    if (!llvm::sys::fs::is_regular_file(Object))
      return llvm::createStringError("--extra-object " + Object + ": no such file");
    llvm::SmallString<128> Library;
    if (auto EC = llvm::sys::fs::createTemporaryFile("hotjit-extra-object", "so", Library))
      return llvm::createStringError("--extra-object " + Object + ": " + EC.message());
    Made.push_back(Library.str().str());
    if (auto Err = linkSharedLibrary({}, Library.str().str(), {Object}))
      return llvm::createStringError(
          "--extra-object " + Object + ": linking it into a shared library failed (" +
          llvm::toString(std::move(Err)) + "); it must be position-independent (-fPIC)");
    R = {LibraryRequest::Exact, Library.str().str()};
  }
  return llvm::Error::success();
}

struct RunOptions {
  std::vector<std::string> Files;
  std::vector<std::string> ProgramArgs; ///< After `--`: argv[1...] of the entry.
  std::string Entry = "main";
  std::string Name; ///< argv[0]; empty: the first file's stem.
  bool Watch = false;
  bool Stats = false; ///< --stats: the engine's counters on stderr at exit.
  bool Perf = false;  ///< --perf: a jitdump of every version (EngineOptions::PerfJitDump).
  bool Quiet = false; ///< -q: no progress, swap or status lines (errors still).
  /// -v: compile progress lines even when stderr is not a terminal (by default they go only to a
  /// terminal: a program whose stderr is a file or a pipe sees what its native build writes).
  bool Verbose = false;
  unsigned Opt = 1;
  std::vector<std::string> CompilerFlags;
  std::vector<LibraryRequest> Libraries; ///< -l and --dlopen, in command-line order.
  std::vector<std::string> LibraryDirs;  ///< -L.
  std::string CompileCommandsPath;       ///< --compile-commands: a file or a build directory.
  std::optional<std::string> Cache;      ///< --cache DIR; none: the default; empty: --no-cache.
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

/// A file being run: where it is, how it is compiled, its module, and what was last tried.
struct SourceFile {
  std::string Path;     ///< As given (relative to the working directory), or absolute.
  std::string Absolute; ///< Absolute and normalised: how saves and dependencies name it.
  std::string Module;   ///< Its file name, or as much of its path as tells it from the others.
  LanguageKind Language = LanguageKind::C;
  CompileCommand Command;                ///< --compile-commands; else none (flags are --cflag's).
  std::vector<std::string> Dependencies; ///< Headers its last compile read (absolute).
  /// Hash of its bytes and of its dependencies' (names and bytes) when last tried, kept or not.
  std::optional<uint64_t> LastInputs;
  /// The last version tried was refused (by clang or the engine): it is tried again with the
  /// next batch, which may bring what it needs.
  bool Refused = false;
  /// The module its inputs (LastInputs) compiled to, while it waits as Refused.
  std::optional<LoadedModule> Compiled;
  std::optional<std::string> EntryType; ///< Type of the entry if this file defines it.
};

/// A hash of \p Contents, and of the names and current bytes of \p Dependencies.
uint64_t inputsHash(llvm::StringRef Contents, const std::vector<std::string> &Dependencies) {
  std::string All = Contents.str();
  for (const std::string &D : Dependencies) {
    All += '\0' + D + '\0';
    if (auto Bytes = readFile(D))
      All += std::to_string(Bytes->size()) + ":" + *Bytes;
    else
      llvm::consumeError(Bytes.takeError()); // Deleted: the name alone.
  }
  return llvm::xxh3_64bits(llvm::StringRef(All));
}

/// A hash of the bytes of file \p Path (0: unreadable).
uint64_t bytesHash(const std::string &Path) {
  auto Bytes = readFile(Path);
  if (!Bytes) {
    llvm::consumeError(Bytes.takeError());
    return 0;
  }
  return llvm::xxh3_64bits(llvm::StringRef(*Bytes)) | 1;
}

/// Module names for \p Paths (absolute, normalised): each file's name, or, for files that share
/// a name, the shortest ending of its path that no other file has ("src/util.c", "lib/util.c").
/// The paths must differ.
std::vector<std::string> moduleNames(const std::vector<std::string> &Paths) {
  auto Ending = [](llvm::StringRef Path, size_t Components) {
    size_t At = Path.size();
    for (size_t I = 0; I < Components && At != llvm::StringRef::npos && At > 0; ++I)
      At = Path.rfind('/', At - 1);
    return At == llvm::StringRef::npos ? Path.str() : Path.substr(At + 1).str();
  };
  std::vector<std::string> Names;
  for (const std::string &P : Paths) {
    std::string Name;
    for (size_t N = 1;; ++N) {
      std::string Longer = Ending(P, N);
      if (Longer == Name)
        break; // The whole path.
      Name = std::move(Longer);
      if (std::none_of(Paths.begin(), Paths.end(), [&](const std::string &Q) {
            return &Q != &P && llvm::StringRef(Q).ends_with("/" + Name);
          }))
        break;
    }
    Names.push_back(Name);
  }
  return Names;
}

/// Per caller thread, on its own cache line: calls made and the latest result.
struct alignas(64) CallerSlot {
  std::atomic<uint64_t> Calls{0};
  std::atomic<int64_t> Last{0};
};

/// The command line hotjit was started with: a crash under --watch runs it again.
char **ToolArgv = nullptr;

/// Set in the environment of hotjit run again after a crash: the files to wait for a save of
/// before starting, one a line, each as "HASH PATH" with a hash of its bytes at the crash (a save
/// made before the new process watches is seen by its bytes).
constexpr const char *RestartVariable = "HOTJIT_RESTART_AFTER_SAVE";

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

/// Where compiled objects are kept between runs by default: $XDG_CACHE_HOME/hotjit/objects, else
/// ~/.cache/hotjit/objects; empty (memory only) without either.
std::string defaultCacheDirectory() {
  if (const char *Xdg = std::getenv("XDG_CACHE_HOME"); Xdg && *Xdg == '/')
    return std::string(Xdg) + "/hotjit/objects";
  if (const char *Home = std::getenv("HOME"); Home && *Home == '/')
    return std::string(Home) + "/.cache/hotjit/objects";
  return "";
}

double ms(Clock::duration D) { return std::chrono::duration<double, std::milli>(D).count(); }

class Runner {
public:
  Runner(RunOptions O) : O(std::move(O)), Tty(::isatty(STDERR_FILENO)) {}
  int run();

private:
  // Both modes.
  bool setUp();
  bool loadAll();
  void reloadBatch(const std::vector<size_t> &Saved);
  std::vector<std::optional<LoadedModule>>
  compileBatch(const std::vector<SourceFile *> &Batch,
               const std::map<SourceFile *, uint64_t> &Inputs);
  void takeDependencies(SourceFile &F, std::vector<std::string> Dependencies);
  void watchPath(const std::string &Path);
  void onCrash(const CrashReport &R);
  llvm::Error provideSymbols(const LoadedModule &L);
  template <typename Visitor> bool visitEntry(Visitor Visit);
  template <typename Sig, typename Visitor, typename CallFn>
  bool visitEntryAs(Visitor &Visit, CallFn Call);
  void printEvent(const std::string &Line);
  void printCompileProgress(const std::string &Path, std::chrono::nanoseconds Elapsed, bool Done);
  void printFailure(const std::string &Modules, const std::string &Message, size_t Count);

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
  std::vector<std::string> WatchedPaths;     ///< By watcher key: sources and their headers.
  std::map<std::string, size_t> WatchedKeys; ///< The inverse of WatchedPaths.
  /// WatchedPaths one a line, for a restart after a crash: replaced whole when a path is added;
  /// every text is kept while the runner lives (a crash on another thread may be reading one).
  std::atomic<const std::string *> WatchedText{nullptr};
  std::vector<std::unique_ptr<const std::string>> WatchedTexts;
  void publishWatchedText() {
    WatchedTexts.push_back(std::make_unique<const std::string>(llvm::join(WatchedPaths, "\n")));
    WatchedText.store(WatchedTexts.back().get());
  }
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
  EO.PerfJitDump = O.Perf;
  EO.CacheDirectory = O.Cache ? *O.Cache : defaultCacheDirectory();
  auto E = Engine::create(EO);
  if (!E && !O.Cache) {
    // The default cache is a convenience: without it, every module compiles.
    printError(E.takeError(), "no object cache: ");
    EO.CacheDirectory.clear();
    E = Engine::create(EO);
  }
  if (!E) {
    printError(E.takeError(), O.Cache ? "--cache " + *O.Cache + ": " : "");
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
    std::vector<std::string> Made;
    llvm::scope_exit Unlink([&] {
      for (const std::string &Lib : Made) // Loaded (or failed): the mapping outlives the name.
        ::unlink(Lib.c_str());
    });
    if (auto Err = extraObjectsAsLibraries(O.Libraries, Made)) {
      printError(std::move(Err));
      return false;
    }
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
  if (!O.CompileCommandsPath.empty()) {
    auto C = CompileCommands::load(O.CompileCommandsPath);
    if (!C) {
      printError(C.takeError());
      return false;
    }
    if (O.Files.empty())
      O.Files = C->files();
    if (O.Files.empty()) {
      printError("--compile-commands: '" + C->path() + "' lists no C or C++ file");
      return false;
    }
    for (const std::string &Path : O.Files) {
      SourceFile F;
      F.Path = F.Absolute = absolutePath(Path);
      if (auto L = languageOf(Path); L == LanguageKind::C || L == LanguageKind::Cxx) {
        const CompileCommand *Command = C->find(F.Absolute);
        if (!Command) {
          printError("--compile-commands: '" + C->path() + "' has no command for '" + Path + "'");
          return false;
        }
        F.Command = *Command;
      }
      Files.push_back(std::move(F));
    }
  } else {
    for (const std::string &Path : O.Files) {
      SourceFile F;
      F.Path = Path;
      F.Absolute = absolutePath(Path);
      Files.push_back(std::move(F));
    }
  }
  std::vector<std::string> Paths;
  for (SourceFile &F : Files) {
    if (!languageOf(F.Path)) {
      printError("'" + F.Path + "' is not a .ll, .bc, .c or .cpp file");
      return false;
    }
    F.Language = *languageOf(F.Path);
    if (std::find(Paths.begin(), Paths.end(), F.Absolute) != Paths.end()) {
      printError("'" + F.Path + "' is given twice");
      return false;
    }
    Paths.push_back(F.Absolute);
  }
  std::vector<std::string> Names = moduleNames(Paths);
  for (size_t I = 0; I < Files.size(); ++I)
    Files[I].Module = Names[I];
  if (O.Watch) {
    auto W = FileWatcher::create();
    if (!W) {
      printError(W.takeError());
      return false;
    }
    Watcher = std::move(*W);
    for (SourceFile &F : Files) {
      if (auto E = Watcher->watch(F.Path, WatchedPaths.size())) {
        printError(std::move(E));
        return false;
      }
      WatchedKeys.emplace(F.Absolute, WatchedPaths.size());
      WatchedPaths.push_back(F.Absolute);
    }
    publishWatchedText();
    installCrashHandler([this](const CrashReport &R) { onCrash(R); });
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
  ArgvStrings = {O.Name.empty() ? llvm::sys::path::stem(Files.front().Path).str() : O.Name};
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
    auto L = Loader->load(F.Path, F.Language, *Contents, F.Command);
    if (!L) {
      printError(L.takeError(), F.Path + ": ");
      return false;
    }
    takeDependencies(F, L->Dependencies);
    F.LastInputs = inputsHash(*Contents, F.Dependencies);
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
  // The program's functions, for the libraries to call back (a native -rdynamic link).
  if (Libraries)
    if (auto E = Libraries->exportFunctions(*Eng, R->Published)) {
      printError(std::move(E));
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

void Runner::printFailure(const std::string &Modules, const std::string &Message, size_t Count) {
  if (O.Repeat && Tty)
    std::fputs("\r\033[K", stderr);
  ++FailedSwaps;
  if (!Message.empty())
    printError(Modules + ": " + Message);
  printError(Modules + (Count == 1 ? ": the previous version keeps running"
                                   : ": the previous versions keep running"));
}

/// Watches \p Path (a header) for saves, once.
void Runner::watchPath(const std::string &Path) {
  if (WatchedKeys.count(Path))
    return;
  if (auto E = Watcher->watch(Path, WatchedPaths.size())) {
    printEvent(llvm::toString(std::move(E)) + "; saves of '" + Path + "' go unseen");
    return;
  }
  WatchedKeys.emplace(Path, WatchedPaths.size());
  WatchedPaths.push_back(Path);
  publishWatchedText();
}

/// A fault in the program under --watch: where, then hotjit run again, waiting for a save (the
/// fix) before it starts the program anew. The process is not trusted after a fault: nothing of
/// it but the command line and the files to watch goes on.
void Runner::onCrash(const CrashReport &R) {
  // The files as they are now, before a word invites the fix: a save from here on starts the
  // program again.
  std::string Files;
  for (llvm::StringRef Path : llvm::split(*WatchedText.load(), '\n'))
    Files += std::to_string(bytesHash(Path.str())) + " " + Path.str() + "\n";
  if (O.Repeat && Tty)
    std::fputs("\r\033[K", stderr);
  for (size_t I = 0; I < R.Frames.size(); ++I)
    printError((I ? "  " : "") + R.Frames[I]);
  printError("the program crashed; it starts again when a file is saved");
  std::fflush(stderr);
  std::vector<std::string> Env;
  for (char **V = environ; *V; ++V)
    if (!llvm::StringRef(*V).starts_with(std::string(RestartVariable) + "="))
      Env.push_back(*V);
  Env.push_back(std::string(RestartVariable) + "=" + Files);
  std::vector<char *> Envp;
  for (std::string &V : Env)
    Envp.push_back(V.data());
  Envp.push_back(nullptr);
  // Signals that come now (the engine's stack checks) stay pending across execve, where their
  // handlers are gone: the new process drops them (waitForRestart).
  sigset_t All;
  sigfillset(&All);
  pthread_sigmask(SIG_SETMASK, &All, nullptr);
  ::execve("/proc/self/exe", ToolArgv, Envp.data());
  printError(std::string("cannot start again: ") + std::strerror(errno));
}

/// Records what \p F's latest compile read; --watch watches it from now on.
void Runner::takeDependencies(SourceFile &F, std::vector<std::string> Dependencies) {
  F.Dependencies = std::move(Dependencies);
  if (Watcher)
    for (const std::string &D : F.Dependencies)
      watchPath(D);
}

/// The modules of \p Batch, whose inputs hash to \p Inputs: each file's last compile if that was
/// of the same inputs and refused only for want of the other files, else a new compile, on up to
/// one thread per core. A file that does not compile (clang's errors printed) has none.
std::vector<std::optional<LoadedModule>>
Runner::compileBatch(const std::vector<SourceFile *> &Batch,
                     const std::map<SourceFile *, uint64_t> &Inputs) {
  std::vector<std::optional<LoadedModule>> Loaded(Batch.size());
  std::vector<size_t> ToCompile;
  for (size_t I = 0; I < Batch.size(); ++I) {
    SourceFile &F = *Batch[I];
    std::optional<LoadedModule> Kept = std::move(F.Compiled);
    F.Compiled.reset();
    bool Same = F.LastInputs == Inputs.at(&F);
    F.LastInputs = Inputs.at(&F);
    if (Kept && Same) {
      Kept->CompileTime = {}; // Compiled for an earlier batch.
      Loaded[I] = std::move(Kept);
    } else
      ToCompile.push_back(I);
  }
  std::vector<std::optional<llvm::Expected<LoadedModule>>> Fresh(ToCompile.size());
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    for (size_t K; (K = Next.fetch_add(1, std::memory_order_relaxed)) < ToCompile.size();) {
      SourceFile &F = *Batch[ToCompile[K]];
      auto Contents = readFile(F.Path);
      if (!Contents)
        Fresh[K].emplace(Contents.takeError());
      else
        Fresh[K].emplace(Loader->load(F.Path, F.Language, std::move(*Contents), F.Command));
    }
  };
  {
    std::vector<std::thread> Helpers;
    size_t Threads = std::min<size_t>(ToCompile.size(), std::thread::hardware_concurrency());
    for (size_t T = 1; T < Threads; ++T)
      Helpers.emplace_back(Work);
    Work();
    for (std::thread &T : Helpers)
      T.join();
  }
  for (size_t K = 0; K < ToCompile.size(); ++K) {
    SourceFile &F = *Batch[ToCompile[K]];
    llvm::Expected<LoadedModule> &L = *Fresh[K];
    // The program is ending (stopWatching): its compile was cancelled, or is dropped.
    if (Stop.load(std::memory_order_relaxed)) {
      if (!L)
        llvm::consumeError(L.takeError());
      continue;
    }
    if (!L) {
      printError(F.Module + ": " + llvm::toString(L.takeError()));
      continue;
    }
    if (!L->Warnings.empty())
      std::fprintf(stderr, "%s\n", L->Warnings.c_str());
    if (L->Bitcode && L->Dependencies != F.Dependencies) {
      // Its inputs from now on: what this compile read.
      takeDependencies(F, L->Dependencies);
      if (auto Again = readFile(F.Path))
        F.LastInputs = inputsHash(*Again, F.Dependencies);
      else
        llvm::consumeError(Again.takeError());
    }
    Loaded[ToCompile[K]] = std::move(*L);
  }
  return Loaded;
}

/// Recompiles every file that a save in \p Saved (watcher keys) changed, directly or through a
/// header it includes, with the files refused before, and commits them as one batch: all are
/// swapped in, or none. A file whose inputs (its bytes, its headers') are as last tried is left
/// alone.
void Runner::reloadBatch(const std::vector<size_t> &Saved) {
  std::vector<SourceFile *> Changed, Retried;
  std::map<SourceFile *, uint64_t> Inputs;
  for (SourceFile &F : Files) {
    bool Touched = std::any_of(Saved.begin(), Saved.end(), [&](size_t Key) {
      const std::string &P = WatchedPaths[Key];
      return P == F.Absolute ||
             std::find(F.Dependencies.begin(), F.Dependencies.end(), P) != F.Dependencies.end();
    });
    if (!Touched && !F.Refused)
      continue;
    auto Contents = readFile(F.Path);
    if (!Contents) {
      // Mid-save or deleted: the next save is another event.
      llvm::consumeError(Contents.takeError());
      continue;
    }
    uint64_t Hash = inputsHash(*Contents, F.Dependencies);
    Inputs[&F] = Hash;
    if (Touched && Hash != F.LastInputs)
      Changed.push_back(&F);
    else if (F.Refused)
      Retried.push_back(&F);
  }
  if (Changed.empty())
    return;
  std::vector<SourceFile *> Batch = Changed;
  Batch.insert(Batch.end(), Retried.begin(), Retried.end());
  std::string Names;
  for (SourceFile *F : Batch)
    Names += (Names.empty() ? "" : ", ") + F->Module;

  // Compile all; a batch with a file that does not compile is refused whole. A file clang
  // refuses is not retried until its inputs change (clang would say the same); the others are.
  auto C0 = Clock::now();
  std::vector<std::optional<LoadedModule>> Loaded = compileBatch(Batch, Inputs);
  if (Stop.load(std::memory_order_relaxed))
    return;
  // The batch's compile time is wall time: its files compile in parallel.
  std::chrono::nanoseconds CompileTime{0};
  bool AllCompiled = true;
  for (size_t I = 0; I < Batch.size(); ++I) {
    Batch[I]->Refused = Loaded[I].has_value();
    AllCompiled &= Loaded[I].has_value();
    if (Loaded[I] && Loaded[I]->CompileTime.count())
      CompileTime = Clock::now() - C0;
  }
  // Refused: what compiled waits for the next batch, in which the others may be fixed.
  auto KeepCompiled = [&] {
    for (size_t I = 0; I < Batch.size(); ++I)
      Batch[I]->Compiled = std::move(Loaded[I]);
  };
  if (!AllCompiled) {
    KeepCompiled();
    return printFailure(Names, "", Batch.size());
  }

  // --repeat's callers hold a handle typed for the entry as it was at start:
  // it must stay defined, with the same type. (A module that does not parse
  // is left to the commit, which names the problem.) The program's main was
  // called once, and keeps running the version it started in.
  std::vector<std::optional<std::optional<std::string>>> EntryTypes;
  hotjit::Batch Commit = Eng->batch();
  for (size_t I = 0; I < Batch.size(); ++I) {
    SourceFile &F = *Batch[I];
    const LoadedModule &L = *Loaded[I];
    auto NewEntryType = L.definedType(O.Entry);
    if (!NewEntryType) {
      llvm::consumeError(NewEntryType.takeError());
      EntryTypes.push_back(std::nullopt);
    } else {
      if (O.Repeat && F.EntryType && *NewEntryType != F.EntryType) {
        KeepCompiled();
        return printFailure(
            F.Module,
            *NewEntryType ? "'" + O.Entry + "' changes type from '" + *F.EntryType + "' to '" +
                                **NewEntryType + "'; restart hotjit run to call another type"
                          : "'" + O.Entry + "' is called by hotjit run; it cannot be removed",
            1);
      }
      EntryTypes.push_back(std::move(*NewEntryType));
    }
    if (auto E = provideSymbols(L)) {
      KeepCompiled();
      return printFailure(F.Module, llvm::toString(std::move(E)), 1);
    }
    Commit.replace(F.Module, L.source());
  }
  auto T0 = Clock::now();
  auto R = Commit.commit();
  auto T1 = Clock::now();
  if (!R) {
    KeepCompiled();
    return printFailure(Names, commitErrorText(R.takeError()), Batch.size());
  }
  for (size_t I = 0; I < Batch.size(); ++I) {
    Batch[I]->Refused = false;
    if (EntryTypes[I])
      Batch[I]->EntryType = *EntryTypes[I];
  }
  SwapMs.push_back(ms(T1 - T0));
  char Line[256];
  // Partial replacement: how many functions the edit reached; the others kept their code.
  char Functions[96] = "";
  if (R->KeptFunctions)
    std::snprintf(Functions, sizeof(Functions), "%u of %u functions recompiled; ",
                  R->RecompiledFunctions, R->RecompiledFunctions + R->KeptFunctions);
  if (CompileTime.count())
    std::snprintf(Line, sizeof(Line), ": swapped in %.2f ms (compiled in %.0f ms; %sversion %llu)",
                  SwapMs.back(), ms(CompileTime), Functions,
                  static_cast<unsigned long long>(R->Version));
  else
    std::snprintf(Line, sizeof(Line), ": swapped in %.2f ms (%sversion %llu)", SwapMs.back(),
                  Functions, static_cast<unsigned long long>(R->Version));
  printEvent(Names + Line);
  for (const std::string &Ctor : R->SkippedConstructors)
    printEvent(Ctor +
               " changed and was not run (a replacement keeps live state; restart to run it)");
  if (!R->KeptForOldState.empty())
    printEvent(Names + ": closures and coroutines made before keep the code they were made with");
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
      if (std::vector<size_t> Saved = Watcher->wait(std::chrono::milliseconds(100)); !Saved.empty())
        reloadBatch(Saved);
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
               "hotjit: stats: commits %llu; modules compiled %llu, from the cache %llu; versions "
               "retired %llu, freed %llu (%llu by stack check), kept %llu; bytes pending %zu; "
               "stack checks %llu (held code %llu, unanswered %llu); grace periods %llu; stalls "
               "%llu\n",
               static_cast<unsigned long long>(S.Commits),
               static_cast<unsigned long long>(S.ModulesCompiled),
               static_cast<unsigned long long>(S.CacheHits),
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
      if (std::vector<size_t> Saved = Watcher->wait(Wait); !Saved.empty())
        reloadBatch(Saved);
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

/// hotjit run again after a crash (RestartVariable): waits for a save of one of the files the
/// crashed run watched. False if interrupted.
bool waitForRestart(const char *Files) {
  // Every signal is still blocked, as the crashed process left it. Those pending were meant for
  // it (the engine's stack checks, the fault itself): dropped, by ignoring them for a moment,
  // unless a user may have sent them. Then unblocked, as a fresh process has them.
  sigset_t Pending;
  sigpending(&Pending);
  for (int S = 1; S < NSIG; ++S) {
    if (!sigismember(&Pending, S) || S == SIGINT || S == SIGTERM || S == SIGHUP || S == SIGQUIT)
      continue;
    struct sigaction Ignore = {}, Old;
    Ignore.sa_handler = SIG_IGN;
    sigemptyset(&Ignore.sa_mask);
    sigaction(S, &Ignore, &Old);
    sigaction(S, &Old, nullptr);
  }
  sigset_t None;
  sigemptyset(&None);
  pthread_sigmask(SIG_SETMASK, &None, nullptr);
  auto W = FileWatcher::create();
  if (!W) {
    printError(W.takeError());
    return false;
  }
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  llvm::StringRef(Files).split(Lines, '\n', -1, false);
  bool Saved = false;
  for (llvm::StringRef Line : Lines) {
    auto [Hash, Path] = Line.split(' ');
    if (auto E = (*W)->watch(Path.str(), 0))
      llvm::consumeError(std::move(E)); // A directory gone: its files cannot be saved.
    // Saved since the crash, before the watch.
    Saved |= std::to_string(bytesHash(Path.str())) != Hash;
  }
  installInterruptHandlers();
  while (!Interrupted)
    if (Saved || !(*W)->wait(std::chrono::seconds(1)).empty()) {
      signal(SIGINT, SIG_DFL);
      signal(SIGTERM, SIG_DFL);
      printError("starting the program again");
      return true;
    }
  return false;
}

int runCommand(int Argc, char **Argv) {
  ToolArgv = Argv;
  if (const char *Files = std::getenv(RestartVariable)) {
    std::string Copy = Files;
    ::unsetenv(RestartVariable);
    if (!waitForRestart(Copy.c_str()))
      return 128 + SIGINT;
  }
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
    } else if (A == "--perf") {
      O.Perf = true;
    } else if (A == "--opt") {
      O.Opt = static_cast<unsigned>(Args.number(A, 0, 3, true));
    } else if (A == "--cflag" || A.starts_with("--cflag=")) {
      // Words, as in CFLAGS: --cflag "-Ia -DB=1" is two flags; quotes keep spaces in one.
      for (std::string &Flag : splitShellWords(A == "--cflag" ? Args.value(A) : A.substr(8)))
        O.CompilerFlags.push_back(std::move(Flag));
    } else if (A == "--cache") {
      O.Cache = Args.value(A);
      if (O.Cache->empty())
        usageError("--cache needs a directory (--no-cache: none)", ExitRunFailure);
    } else if (A.starts_with("--cache=") && A.size() > 8) {
      O.Cache = A.substr(8);
    } else if (A == "--no-cache") {
      O.Cache = "";
    } else if (A == "--compile-commands" || A == "-p") {
      O.CompileCommandsPath = Args.value(A);
    } else if (A.starts_with("--compile-commands=")) {
      O.CompileCommandsPath = A.substr(19);
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
    } else if (A == "--extra-object" || A.starts_with("--extra-object=")) {
      // Linked into a shared library at start-up (extraObjectsAsLibrary()), loaded in this place
      // of the -l/--dlopen order.
      O.Libraries.push_back(
          {LibraryRequest::Exact,
           std::string(ExtraObjectMark) + (A == "--extra-object" ? Args.value(A) : A.substr(15))});
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
  if (O.Files.empty() && O.CompileCommandsPath.empty())
    usageError("run needs at least one file", ExitRunFailure);
  if (RepeatOptionGiven && !O.Repeat)
    usageError("--threads, --seconds and --interval go with --repeat", ExitRunFailure);
  for (const std::string &Path : O.Files)
    if (!languageOf(Path))
      usageError("'" + Path + "' is not a .ll, .bc, .c or .cpp file", ExitRunFailure);
  return Runner(std::move(O)).run();
}

} // namespace hotjit::tool
