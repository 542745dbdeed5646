// CompileCommands: compile_commands.json read with llvm::json, "command" strings split as a POSIX
// shell does (llvm::cl::TokenizeGNUCommandLine).
#include "CompileCommands.h"

#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"

#include <algorithm>

namespace hotjit::tool {

namespace {

/// The flags of \p Argv (Argv[0] the compiler) that say how \p File is compiled, not where its
/// outputs go.
std::vector<std::string> compileFlags(const std::vector<std::string> &Argv, llvm::StringRef File,
                                      llvm::StringRef Directory) {
  static constexpr llvm::StringRef WithValue[] = {"-o", "-MF", "-MT", "-MQ"};
  static constexpr llvm::StringRef Alone[] = {"-c", "-MD", "-MMD", "-MP", "-MG", "--"};
  std::vector<std::string> Flags;
  for (size_t I = 1; I < Argv.size(); ++I) {
    llvm::StringRef A = Argv[I];
    if (llvm::is_contained(WithValue, A)) {
      ++I;
      continue;
    }
    if (llvm::is_contained(Alone, A) || A.starts_with("-o") || A.starts_with("-MF") ||
        A.starts_with("-MT") || A.starts_with("-MQ"))
      continue;
    if (!A.starts_with("-") && absolutePath(A, Directory) == File)
      continue;
    Flags.push_back(A.str());
  }
  return Flags;
}

} // namespace

llvm::Expected<CompileCommands> CompileCommands::load(const std::string &Given) {
  std::string Path = Given;
  if (llvm::sys::fs::is_directory(Path))
    Path = (llvm::Twine(Path) + "/compile_commands.json").str();
  auto Text = readFile(Path);
  if (!Text)
    return llvm::createStringError("--compile-commands: cannot read '" + Path +
                                   "' (CMake writes it with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)");
  auto Json = llvm::json::parse(*Text);
  if (!Json)
    return llvm::createStringError("--compile-commands: '" + Path +
                                   "' is not JSON: " + llvm::toString(Json.takeError()));
  const llvm::json::Array *List = Json->getAsArray();
  if (!List)
    return llvm::createStringError("--compile-commands: '" + Path + "' is not a list of entries");
  CompileCommands C;
  C.Path = Path;
  for (size_t I = 0; I < List->size(); ++I) {
    auto Bad = [&](const std::string &What) {
      return llvm::createStringError("--compile-commands: entry " + std::to_string(I) + " of '" +
                                     Path + "' " + What);
    };
    const llvm::json::Object *Entry = (*List)[I].getAsObject();
    if (!Entry)
      return Bad("is not an object");
    auto Directory = Entry->getString("directory");
    auto File = Entry->getString("file");
    if (!Directory || !File)
      return Bad("lacks \"directory\" or \"file\"");
    std::vector<std::string> Argv;
    if (const llvm::json::Array *Args = Entry->getArray("arguments")) {
      for (const llvm::json::Value &A : *Args) {
        auto S = A.getAsString();
        if (!S)
          return Bad("has an argument that is not a string");
        Argv.push_back(S->str());
      }
    } else if (auto Command = Entry->getString("command")) {
      llvm::BumpPtrAllocator Alloc;
      llvm::StringSaver Saver(Alloc);
      llvm::SmallVector<const char *, 32> Words;
      llvm::cl::TokenizeGNUCommandLine(*Command, Saver, Words);
      for (const char *W : Words)
        if (W)
          Argv.push_back(W);
    } else {
      return Bad("has neither \"arguments\" nor \"command\"");
    }
    if (Argv.empty())
      return Bad("has an empty command");
    std::string Dir = absolutePath(*Directory, llvm::sys::path::parent_path(absolutePath(Path)));
    std::string Absolute = absolutePath(*File, Dir);
    if (C.find(Absolute))
      continue; // Compiled for several targets: the first command serves.
    C.Entries.push_back({Absolute, CompileCommand{Dir, compileFlags(Argv, Absolute, Dir)}});
  }
  return C;
}

const CompileCommand *CompileCommands::find(llvm::StringRef File) const {
  for (const auto &[Path, Command] : Entries)
    if (Path == File)
      return &Command;
  return nullptr;
}

std::vector<std::string> CompileCommands::files() const {
  std::vector<std::string> Files;
  for (const auto &[Path, Command] : Entries)
    if (auto L = languageOf(Path); L == LanguageKind::C || L == LanguageKind::Cxx)
      Files.push_back(Path);
  return Files;
}

} // namespace hotjit::tool
