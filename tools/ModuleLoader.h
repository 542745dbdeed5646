// Turns the files of `hotjit run` into module sources: IR and bitcode as they are, C and C++
// compiled to bitcode by clang in a child process.
#ifndef HOTJIT_TOOLS_MODULELOADER_H
#define HOTJIT_TOOLS_MODULELOADER_H

#include "hotjit/engine/Engine.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hotjit::tool {

/// What a file holds, by its extension.
enum class LanguageKind { IRText, Bitcode, C, Cxx };

/// \p Text split into words as a POSIX shell splits them (quotes and backslashes group and
/// escape; no expansion): how --cflag's value and $HOTJIT_CC/$HOTJIT_CXX become arguments.
std::vector<std::string> splitShellWords(llvm::StringRef Text);

/// The language of \p Path (.ll, .bc, .c, .cpp/.cc/.cxx), or none.
std::optional<LanguageKind> languageOf(llvm::StringRef Path);

/// How one C or C++ file is compiled: the directory clang runs in (empty: hotjit's own) and the
/// flags it gets, as the project's build gives them (without the compiler, -c, -o, dependency
/// output options and the file itself).
struct CompileCommand {
  std::string Directory;
  std::vector<std::string> Flags;
};

/// One loaded version of a file.
struct LoadedModule {
  std::string Bytes; ///< IR text or bitcode.
  bool Bitcode = false;
  std::chrono::nanoseconds CompileTime{0}; ///< Time spent in clang (C, C++).
  std::string Warnings;                    ///< What clang printed while succeeding.
  /// The files the compile read besides the file itself (headers outside the system include
  /// directories, as clang's -MMD lists them), absolute and normalised; empty for IR.
  std::vector<std::string> Dependencies;

  ModuleSource source() const {
    return Bitcode ? ModuleSource::fromBitcode(Bytes) : ModuleSource::fromIR(Bytes);
  }
  /// The IR type text ("i32 ()") of function \p Name if this module defines
  /// it, none if it does not; an error if the module does not parse.
  llvm::Expected<std::optional<std::string>> definedType(llvm::StringRef Name) const;
  /// The names of the functions and globals this module declares without defining them; an
  /// error if the module does not parse.
  llvm::Expected<std::vector<std::string>> undefinedNames() const;
};

/// Called on the loading thread when a compile of \p Path has run for the
/// loader's progress delay (Done false), and again when that compile ends
/// (Done true, \p Elapsed its whole time).
using CompileProgress =
    std::function<void(const std::string &Path, std::chrono::nanoseconds Elapsed, bool Done)>;

/// Loads files, compiling C and C++ in a private temporary directory that
/// lives for one compile (a process killed between compiles leaves nothing
/// behind). load() may run on several threads at once (one clang each);
/// setProgress() must precede them.
class ModuleLoader {
public:
  /// \p ExtraFlags go to every clang command line, after the file's own flags.
  static llvm::Expected<std::unique_ptr<ModuleLoader>> create(std::vector<std::string> ExtraFlags);

  ModuleLoader(const ModuleLoader &) = delete;
  ModuleLoader &operator=(const ModuleLoader &) = delete;

  /// Loads \p Path, whose current bytes are \p Contents. C and C++ go through
  /// `clang -emit-llvm -c -g -O1 FLAGS -MMD`, run in \p Command's directory with its flags; a
  /// failure carries clang's diagnostics.
  llvm::Expected<LoadedModule> load(const std::string &Path, LanguageKind Language,
                                    std::string Contents, const CompileCommand &Command = {});

  /// Reports compiles that run longer than \p After to \p Progress.
  void setProgress(std::chrono::milliseconds After, CompileProgress Progress);

  /// Ends the compiles in progress (their clangs are killed; load() fails) and every later one.
  /// Any thread; does not wait.
  void cancel();

private:
  ModuleLoader(std::string TempRoot, std::vector<std::string> ExtraFlags)
      : TempRoot(std::move(TempRoot)), ExtraFlags(std::move(ExtraFlags)) {}
  llvm::Expected<LoadedModule> compile(const std::string &Path, LanguageKind Language,
                                       const CompileCommand &Command);
  llvm::Expected<LoadedModule> compileInto(const std::string &Dir, const std::string &Path,
                                           LanguageKind Language, const CompileCommand &Command);

  std::string TempRoot; ///< $TMPDIR or /tmp.
  std::vector<std::string> ExtraFlags;
  std::chrono::milliseconds ProgressAfter{0};
  CompileProgress Progress;
  /// The running clangs and whether cancel() was called. ChildLock orders cancel()'s kill
  /// before a child is reaped, so a pid it signals is never another process's.
  std::mutex ChildLock;
  std::vector<pid_t> Children;
  bool Cancelled = false;
};

/// The whole contents of \p Path.
llvm::Expected<std::string> readFile(const std::string &Path);

/// \p Path made absolute against \p Directory (empty: the working directory), with "." and ".."
/// removed.
std::string absolutePath(llvm::StringRef Path, llvm::StringRef Directory = "");

/// The files a Makefile dependency rule lists (clang's -MD output: "target: dep dep \\" with
/// escaped spaces), made absolute against \p Directory.
std::vector<std::string> parseDependencyFile(llvm::StringRef Text, llvm::StringRef Directory);

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_MODULELOADER_H
