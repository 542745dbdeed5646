// A build's compile commands (compile_commands.json, as CMake, Meson and Bear write it): the
// directory and flags each C and C++ file is compiled with.
#ifndef HOTJIT_TOOLS_COMPILECOMMANDS_H
#define HOTJIT_TOOLS_COMPILECOMMANDS_H

#include "ModuleLoader.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace hotjit::tool {

class CompileCommands {
public:
  /// Reads \p Path: a compile_commands.json file, or a build directory that holds one. An entry
  /// gives "directory", "file", and "arguments" (a list) or "command" (a shell command line).
  static llvm::Expected<CompileCommands> load(const std::string &Path);

  /// The command of the file at absolute path \p File, or null if the build does not compile
  /// it. Its flags are the build's without the compiler, -c, -o, the dependency-file options
  /// (-MD, -MMD, -MF, -MT, -MQ, -MP) and the file itself.
  const CompileCommand *find(llvm::StringRef File) const;

  /// The absolute paths of the C and C++ files the build compiles, each once, in its order.
  std::vector<std::string> files() const;

  /// Where the commands were read from.
  const std::string &path() const { return Path; }

private:
  std::string Path;
  std::vector<std::pair<std::string, CompileCommand>> Entries; ///< By absolute file path.
};

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_COMPILECOMMANDS_H
