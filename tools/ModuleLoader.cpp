// ModuleLoader: reads IR and bitcode files, runs clang on C and C++ with posix_spawn.
#include "ModuleLoader.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/AsmParser/LLParser.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace hotjit::tool {

namespace {

using Clock = std::chrono::steady_clock;

llvm::Error errnoError(const std::string &What) {
  return llvm::createStringError(What + ": " + std::strerror(errno));
}

/// The clang to run for \p Language, each candidate a command and its leading arguments:
/// $HOTJIT_CC / $HOTJIT_CXX, split as a shell splits words ("ccache clang-22", "clang++-22
/// -stdlib=libc++"), else clang-22 / clang++-22 from PATH, else LLVM's own.
std::vector<std::vector<std::string>> compilerCandidates(LanguageKind Language) {
  bool Cxx = Language == LanguageKind::Cxx;
  if (const char *Env = std::getenv(Cxx ? "HOTJIT_CXX" : "HOTJIT_CC"); Env && *Env) {
    std::vector<std::string> Words = splitShellWords(Env);
    if (!Words.empty())
      return {Words};
  }
  return {{Cxx ? "clang++-22" : "clang-22"},
          {std::string(HOTJIT_LLVM_BINDIR) + (Cxx ? "/clang++" : "/clang")}};
}

/// Where a child process runs: the loader's running children (its pid is there while it runs)
/// and the callback for a slow one.
struct ChildControl {
  std::mutex &Lock;
  std::vector<pid_t> &Running;
  bool &Cancelled;
  std::chrono::milliseconds SlowAfter; ///< 0: never slow.
  std::function<void()> OnSlow;
};

/// Runs \p Argv with stdout and stderr captured into \p Output; returns the
/// wait status, or an error if it could not be started (ENOENT: not found).
llvm::Expected<int> runCaptured(const std::vector<std::string> &Argv, const std::string &Directory,
                                std::string &Output, int &SpawnErrno, ChildControl &Control) {
  int Pipe[2];
  if (::pipe2(Pipe, O_CLOEXEC))
    return errnoError("pipe");
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  if (!Directory.empty())
    posix_spawn_file_actions_addchdir_np(&Actions, Directory.c_str());
  posix_spawn_file_actions_addopen(&Actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&Actions, Pipe[1], 1);
  posix_spawn_file_actions_adddup2(&Actions, Pipe[1], 2);
  std::vector<char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(const_cast<char *>(A.c_str()));
  Args.push_back(nullptr);
  // A clean signal mask: the calling thread may block every signal.
  posix_spawnattr_t Attributes;
  posix_spawnattr_init(&Attributes);
  sigset_t NoSignals;
  sigemptyset(&NoSignals);
  posix_spawnattr_setsigmask(&Attributes, &NoSignals);
  // A process group of its own, so that cancel() ends whatever it started too.
  posix_spawnattr_setpgroup(&Attributes, 0);
  posix_spawnattr_setflags(&Attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  pid_t Pid = 0;
  {
    std::lock_guard<std::mutex> G(Control.Lock);
    if (Control.Cancelled) {
      posix_spawnattr_destroy(&Attributes);
      posix_spawn_file_actions_destroy(&Actions);
      ::close(Pipe[0]);
      ::close(Pipe[1]);
      return llvm::createStringError("cancelled");
    }
    SpawnErrno = posix_spawnp(&Pid, Args[0], &Actions, &Attributes, Args.data(), environ);
    if (!SpawnErrno)
      Control.Running.push_back(Pid);
  }
  posix_spawnattr_destroy(&Attributes);
  posix_spawn_file_actions_destroy(&Actions);
  ::close(Pipe[1]);
  if (SpawnErrno) {
    ::close(Pipe[0]);
    errno = SpawnErrno;
    return errnoError("cannot run '" + Argv[0] + "'");
  }
  char Buf[4096];
  const auto Start = Clock::now();
  bool Slow = Control.SlowAfter.count() == 0;
  for (;;) {
    int Timeout = -1;
    if (!Slow)
      Timeout = static_cast<int>(std::max<int64_t>(
          0, std::chrono::ceil<std::chrono::milliseconds>(Start + Control.SlowAfter - Clock::now())
                 .count()));
    pollfd P{Pipe[0], POLLIN, 0};
    int Ready = ::poll(&P, 1, Timeout);
    if (Ready == 0) {
      Slow = true;
      Control.OnSlow();
      continue;
    }
    if (Ready < 0 && errno == EINTR)
      continue;
    ssize_t N = ::read(Pipe[0], Buf, sizeof(Buf));
    if (N > 0)
      Output.append(Buf, static_cast<size_t>(N));
    else if (N == 0 || errno != EINTR)
      break;
  }
  ::close(Pipe[0]);
  {
    // Unreaped until after this, the pid stays the child's while cancel() may signal it.
    std::lock_guard<std::mutex> G(Control.Lock);
    std::erase(Control.Running, Pid);
  }
  int Status = 0;
  while (::waitpid(Pid, &Status, 0) < 0)
    if (errno != EINTR)
      return errnoError("waitpid");
  return Status;
}

} // namespace

std::optional<LanguageKind> languageOf(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  if (Ext == ".ll")
    return LanguageKind::IRText;
  if (Ext == ".bc")
    return LanguageKind::Bitcode;
  if (Ext == ".c")
    return LanguageKind::C;
  if (Ext == ".cpp" || Ext == ".cc" || Ext == ".cxx")
    return LanguageKind::Cxx;
  return std::nullopt;
}

std::string absolutePath(llvm::StringRef Path, llvm::StringRef Directory) {
  llvm::SmallString<256> P(Path);
  if (!llvm::sys::path::is_absolute(P)) {
    llvm::SmallString<256> Base(Directory);
    if (Base.empty() || !llvm::sys::path::is_absolute(Base)) {
      llvm::SmallString<256> Cwd;
      if (!llvm::sys::fs::current_path(Cwd)) {
        llvm::sys::path::append(Cwd, Base);
        Base = Cwd;
      }
    }
    llvm::sys::path::append(Base, P);
    P = Base;
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return P.str().str();
}

std::vector<std::string> parseDependencyFile(llvm::StringRef Text, llvm::StringRef Directory) {
  std::vector<std::string> Files;
  size_t Colon = Text.find(": ");
  if (Colon == llvm::StringRef::npos)
    return Files;
  std::string Word;
  auto Flush = [&] {
    if (!Word.empty())
      Files.push_back(absolutePath(Word, Directory));
    Word.clear();
  };
  for (size_t I = Colon + 2; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '\\' && I + 1 < Text.size() && (Text[I + 1] == '\n' || Text[I + 1] == '\r')) {
      Flush();
      ++I;
    } else if (C == '\\' && I + 1 < Text.size() && (Text[I + 1] == ' ' || Text[I + 1] == '#')) {
      Word += Text[++I];
    } else if (C == '$' && I + 1 < Text.size() && Text[I + 1] == '$') {
      Word += Text[++I];
    } else if (C == ' ' || C == '\t' || C == '\n' || C == '\r') {
      Flush();
      if (C == '\n')
        break; // One rule: clang writes no other without -MP.
    } else {
      Word += C;
    }
  }
  Flush();
  return Files;
}

llvm::Expected<std::string> readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return errnoError("cannot read '" + Path + "'");
  std::ostringstream S;
  S << In.rdbuf();
  return S.str();
}

/// The deepest nesting of brackets in IR text, strings and comments skipped.
static unsigned bracketDepth(llvm::StringRef Text) {
  unsigned Depth = 0, Deepest = 0;
  for (size_t I = 0, E = Text.size(); I < E; ++I)
    switch (Text[I]) {
    case '"': // IR strings escape '"' as \22.
      I = std::min(Text.find('"', I + 1), E);
      break;
    case ';':
      I = std::min(Text.find('\n', I), E);
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      Deepest = std::max(Deepest, ++Depth);
      break;
    case ')':
    case ']':
    case '}':
    case '>':
      Depth -= Depth > 0;
      break;
    default:
      break;
    }
  return Deepest;
}

/// The module \p L holds, in \p Ctx; bitcode lazily (declarations, no bodies).
static llvm::Expected<std::unique_ptr<llvm::Module>> parseModule(const LoadedModule &L,
                                                                 llvm::LLVMContext &Ctx) {
  if (L.Bitcode)
    return llvm::getLazyBitcodeModule(llvm::MemoryBufferRef(L.Bytes, "module"), Ctx);
  // LLVM's parser recurses once per level of brackets: text nested deeper
  // than the engine accepts (engine/src/rewrite/ModuleParser.h) is left to the
  // commit, which refuses it by name, instead of overflowing this stack.
  if (bracketDepth(L.Bytes) > 1024)
    return llvm::createStringError("nested too deeply to parse here");
  // Without the parser's debug-info upgrade, which verifies and ends the process on a module that
  // fails the verifier: the commit refuses such a module with an error of its own.
  llvm::SMDiagnostic Diag;
  llvm::SourceMgr Sources;
  Sources.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(L.Bytes, "module"), llvm::SMLoc());
  auto M = std::make_unique<llvm::Module>("module", Ctx);
  if (llvm::LLParser(L.Bytes, Sources, Diag, M.get(), /*Index=*/nullptr, Ctx)
          .Run(/*UpgradeDebugInfo=*/false))
    return llvm::createStringError(Diag.getMessage().str());
  return std::move(M);
}

llvm::Expected<std::optional<std::string>> LoadedModule::definedType(llvm::StringRef Name) const {
  llvm::LLVMContext Ctx;
  auto M = parseModule(*this, Ctx);
  if (!M)
    return M.takeError();
  const llvm::Function *F = (*M)->getFunction(Name);
  if (!F || F->isDeclaration())
    return std::nullopt;
  std::string Type;
  llvm::raw_string_ostream OS(Type);
  F->getFunctionType()->print(OS);
  return Type;
}

llvm::Expected<std::vector<std::string>> LoadedModule::undefinedNames() const {
  llvm::LLVMContext Ctx;
  auto M = parseModule(*this, Ctx);
  if (!M)
    return M.takeError();
  std::vector<std::string> Names;
  for (const llvm::GlobalValue &G : (*M)->global_values())
    if (G.isDeclaration() && G.hasName() && !G.getName().starts_with("llvm."))
      Names.push_back(G.getName().str());
  return Names;
}

llvm::Expected<std::unique_ptr<ModuleLoader>>
ModuleLoader::create(std::vector<std::string> ExtraFlags) {
  const char *Tmp = std::getenv("TMPDIR");
  return std::unique_ptr<ModuleLoader>(
      new ModuleLoader(Tmp && *Tmp ? Tmp : "/tmp", std::move(ExtraFlags)));
}

llvm::Expected<LoadedModule> ModuleLoader::load(const std::string &Path, LanguageKind Language,
                                                std::string Contents,
                                                const CompileCommand &Command) {
  switch (Language) {
  case LanguageKind::IRText:
  case LanguageKind::Bitcode: {
    LoadedModule L;
    L.Bytes = std::move(Contents);
    L.Bitcode = Language == LanguageKind::Bitcode;
    return L;
  }
  case LanguageKind::C:
  case LanguageKind::Cxx:
    return compile(Path, Language, Command);
  }
  llvm_unreachable("unknown language");
}

void ModuleLoader::setProgress(std::chrono::milliseconds After, CompileProgress P) {
  ProgressAfter = After;
  Progress = std::move(P);
}

void ModuleLoader::cancel() {
  std::lock_guard<std::mutex> G(ChildLock);
  Cancelled = true;
  for (pid_t Child : Children)
    ::kill(-Child, SIGKILL);
}

llvm::Expected<LoadedModule> ModuleLoader::compile(const std::string &Path, LanguageKind Language,
                                                   const CompileCommand &Command) {
  std::string Dir = TempRoot + "/hotjit-run-XXXXXX";
  if (!::mkdtemp(Dir.data()))
    return errnoError("cannot create a temporary directory '" + Dir + "'");
  auto L = compileInto(Dir, Path, Language, Command);
  ::unlink((Dir + "/module.bc").c_str());
  ::unlink((Dir + "/module.d").c_str());
  ::rmdir(Dir.c_str());
  return L;
}

llvm::Expected<LoadedModule> ModuleLoader::compileInto(const std::string &Dir,
                                                       const std::string &Path,
                                                       LanguageKind Language,
                                                       const CompileCommand &Command) {
  const std::string Out = Dir + "/module.bc", DepFile = Dir + "/module.d";
  auto Start = Clock::now();
  bool Reported = false;
  ChildControl Control{ChildLock, Children, Cancelled,
                       Progress ? ProgressAfter : std::chrono::milliseconds(0), [&] {
                         Reported = true;
                         Progress(Path, Clock::now() - Start, false);
                       }};
  // The end of a compile reported as slow, however it ends.
  llvm::scope_exit Finish([&] {
    if (Reported)
      Progress(Path, Clock::now() - Start, true);
  });
  std::string Output;
  std::vector<std::vector<std::string>> Candidates = compilerCandidates(Language);
  for (size_t C = 0; C < Candidates.size(); ++C) {
    std::vector<std::string> Argv = Candidates[C];
    Argv.insert(Argv.end(), {"-emit-llvm", "-c", "-g", "-O1"});
    Argv.insert(Argv.end(), Command.Flags.begin(), Command.Flags.end());
    Argv.insert(Argv.end(), ExtraFlags.begin(), ExtraFlags.end());
    // The rule's target is fixed: a path with spaces would be escaped in it.
    Argv.insert(Argv.end(), {"-MMD", "-MF", DepFile, "-MT", "module", "-o", Out, Path});
    int SpawnErrno = 0;
    Output.clear();
    auto Status = runCaptured(Argv, Command.Directory, Output, SpawnErrno, Control);
    if (!Status) {
      if (SpawnErrno == ENOENT && C + 1 < Candidates.size()) {
        llvm::consumeError(Status.takeError());
        continue;
      }
      return Status.takeError();
    }
    llvm::StringRef Diagnostics = llvm::StringRef(Output).rtrim();
    if (!WIFEXITED(*Status) || WEXITSTATUS(*Status) != 0) {
      ::unlink(Out.c_str());
      if (std::lock_guard<std::mutex> G(ChildLock); Cancelled)
        return llvm::createStringError("cancelled");
      std::string How = WIFEXITED(*Status) ? "exit status " + std::to_string(WEXITSTATUS(*Status))
                                           : "signal " + std::to_string(WTERMSIG(*Status));
      return llvm::createStringError(Candidates[C][0] + " failed (" + How + ")" +
                                     (Diagnostics.empty() ? "" : ":\n") + Diagnostics.str());
    }
    auto Bytes = readFile(Out);
    ::unlink(Out.c_str());
    if (!Bytes)
      return Bytes.takeError();
    LoadedModule L;
    if (auto Rule = readFile(DepFile)) {
      std::string Self = absolutePath(Path, Command.Directory);
      for (std::string &F : parseDependencyFile(*Rule, Command.Directory))
        if (F != Self &&
            std::find(L.Dependencies.begin(), L.Dependencies.end(), F) == L.Dependencies.end())
          L.Dependencies.push_back(std::move(F));
    } else {
      llvm::consumeError(Rule.takeError());
    }
    L.Bytes = std::move(*Bytes);
    L.Bitcode = true;
    L.CompileTime = Clock::now() - Start;
    L.Warnings = Diagnostics.str();
    return L;
  }
  llvm_unreachable("the last candidate returns");
}

std::vector<std::string> splitShellWords(llvm::StringRef Text) {
  llvm::BumpPtrAllocator Alloc;
  llvm::StringSaver Saver(Alloc);
  llvm::SmallVector<const char *, 8> Words;
  llvm::cl::TokenizeGNUCommandLine(Text, Saver, Words);
  return {Words.begin(), Words.end()};
}

} // namespace hotjit::tool
