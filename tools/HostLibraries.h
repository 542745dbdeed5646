// The shared libraries of `hotjit run -l NAME / -L DIR / --dlopen LIB`: opened with RTLD_GLOBAL
// before the program's modules are committed, their symbols registered with the engine for the
// names a module leaves undefined.
//
// The engine resolves JIT code against its own runtime libraries and registered host symbols only
// (engine/src/resolution/HostSymbols.cpp), never the whole process: hotjit's own libraries (LLVM,
// oneTBB) stay out of the program's namespace. So each module's undefined names are looked up in
// the libraries, in command-line order, and what a library itself defines is registered
// (Engine::addHostSymbol) before the module is committed; its dependencies' symbols (libc's) keep
// resolving as the engine resolves them, as a static link with --no-copy-dt-needed-entries binds.
// The libraries are never closed: the program's code may call them until the process ends.
#ifndef HOTJIT_TOOLS_HOSTLIBRARIES_H
#define HOTJIT_TOOLS_HOSTLIBRARIES_H

#include "hotjit/engine/Engine.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace hotjit::tool {

/// One library of the command line.
struct LibraryRequest {
  enum KindTy { Search, Exact } Kind; ///< -l NAME (libNAME.so through -L dirs), --dlopen LIB.
  std::string Name;
};

class HostLibraries {
public:
  /// Opens \p Requests in order (RTLD_LAZY | RTLD_GLOBAL, as lli's --dlopen); -l NAME looks for
  /// libNAME.so in each of \p Dirs, then on the loader's search path. An error names the library
  /// and where it was looked for.
  static llvm::Expected<std::unique_ptr<HostLibraries>>
  open(const std::vector<LibraryRequest> &Requests, const std::vector<std::string> &Dirs);

  HostLibraries(const HostLibraries &) = delete;
  HostLibraries &operator=(const HostLibraries &) = delete;

  /// Registers with \p Eng each of \p Names that a library itself defines (the first library that
  /// does; not its dependencies); the others are left for the commit to report. Not thread-safe.
  llvm::Error provide(Engine &Eng, const std::vector<std::string> &Names);

  /// What a native `-rdynamic` link gives loaded libraries: each of \p Functions (the program's,
  /// as committed) that no loaded object defines yet becomes a global symbol that jumps to the
  /// function's stub, so a library's call to it binds (lazily, as ld.so binds) to whatever
  /// version is live. Made as a small shared library of jumps by the C compiler ($HOTJIT_CC, else
  /// clang-22) and loaded RTLD_GLOBAL. Functions added by later saves are not exported; nor is
  /// data. Call once, after the program's first commit.
  llvm::Error exportFunctions(Engine &Eng, const std::vector<std::string> &Functions);

private:
  struct Library {
    std::string Name; ///< As the command line gave it.
    void *Handle;
    const void *Map; ///< Its link_map: the library's own object (not its dependencies).
  };
  HostLibraries() = default;

  std::vector<Library> Libraries;
  void *Exports = nullptr; ///< exportFunctions()' library; never closed (libraries call it).
};

/// Links \p Inputs into the shared library \p Output with the C compiler ($HOTJIT_CC, split into
/// words, else clang-22) and \p Flags; waits for it. The error says what failed: the compiler
/// not found, or its exit status.
llvm::Error linkSharedLibrary(const std::vector<std::string> &Flags, const std::string &Output,
                              const std::vector<std::string> &Inputs);

/// The text of a commit's error \p E for a command-line user: an undefined symbol suggests -l and
/// --dlopen where the engine's text suggests its API. Consumes \p E.
std::string commitErrorText(llvm::Error E);

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_HOSTLIBRARIES_H
