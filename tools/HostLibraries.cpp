// HostLibraries: dlopen of the command line's libraries and registration of what modules need.
#include "HostLibraries.h"

#include "ModuleLoader.h"
#include "hotjit/engine/Errors.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

namespace hotjit::tool {

namespace {

void *openLibrary(const std::string &Path, std::string &Why) {
  ::dlerror();
  if (void *H = ::dlopen(Path.c_str(), RTLD_LAZY | RTLD_GLOBAL))
    return H;
  const char *E = ::dlerror();
  Why = E ? E : "dlopen failed";
  return nullptr;
}

} // namespace

llvm::Expected<std::unique_ptr<HostLibraries>>
HostLibraries::open(const std::vector<LibraryRequest> &Requests,
                    const std::vector<std::string> &Dirs) {
  std::unique_ptr<HostLibraries> Libs(new HostLibraries());
  for (const LibraryRequest &R : Requests) {
    std::string Why;
    void *H = nullptr;
    if (R.Kind == LibraryRequest::Exact) {
      H = openLibrary(R.Name, Why);
      if (!H)
        return llvm::createStringError("--dlopen " + R.Name + ": " + Why);
    } else {
      std::string File = "lib" + R.Name + ".so";
      std::string Looked;
      for (const std::string &Dir : Dirs) {
        std::string Path = Dir + "/" + File;
        Looked += (Looked.empty() ? "" : ", ") + Path;
        if (::access(Path.c_str(), F_OK) == 0) {
          H = openLibrary(Path, Why);
          if (!H)
            return llvm::createStringError("-l " + R.Name + ": " + Why);
          break;
        }
      }
      if (!H) {
        H = openLibrary(File, Why);
        if (!H)
          return llvm::createStringError(
              "-l " + R.Name + ": no " + File + " in " +
              (Looked.empty() ? std::string("no -L directory") : Looked) +
              " nor on the loader's search path (" + Why + "); add -L DIR or use --dlopen PATH");
      }
    }
    link_map *Map = nullptr;
    ::dlinfo(H, RTLD_DI_LINKMAP, &Map);
    Libs->Libraries.push_back({R.Name, H, Map});
  }
  return std::move(Libs);
}

llvm::Error HostLibraries::exportFunctions(Engine &Eng, const std::vector<std::string> &Functions) {
  std::string Asm = ".text\n";
  unsigned Exported = 0;
  for (const std::string &Name : Functions) {
    // Engine-made names, and names the process already defines (which ld.so finds first).
    if (llvm::StringRef(Name).starts_with("__hotjit.") || Name.find('"') != std::string::npos ||
        ::dlsym(RTLD_DEFAULT, Name.c_str()))
      continue;
    auto Stub = Eng.lookupAddress(Name);
    if (!Stub) {
      llvm::consumeError(Stub.takeError());
      continue;
    }
    Asm += ".globl \"" + Name + "\"\n.type \"" + Name + "\",@function\n\"" + Name +
           "\":\n  movabsq $" + std::to_string(reinterpret_cast<uintptr_t>(*Stub)) +
           ", %r11\n  jmpq *%r11\n";
    ++Exported;
  }
  if (!Exported)
    return llvm::Error::success();
  llvm::SmallString<128> Source, Library;
  if (auto EC = llvm::sys::fs::createTemporaryFile("hotjit-exports", "s", Source))
    return llvm::createStringError("exporting the program's functions: " + EC.message());
  llvm::scope_exit RemoveSource([&] { ::unlink(Source.c_str()); });
  if (auto EC = llvm::sys::fs::createTemporaryFile("hotjit-exports", "so", Library))
    return llvm::createStringError("exporting the program's functions: " + EC.message());
  llvm::scope_exit RemoveLibrary([&] { ::unlink(Library.c_str()); });
  {
    std::error_code EC;
    llvm::raw_fd_ostream Out(Source, EC);
    if (EC)
      return llvm::createStringError("exporting the program's functions: " + EC.message());
    Out << Asm;
  }
  if (auto Err = linkSharedLibrary({"-nostdlib"}, Library.str().str(), {Source.str().str()}))
    return llvm::createStringError("exporting the program's functions: " +
                                   llvm::toString(std::move(Err)));
  Exports = ::dlopen(Library.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!Exports)
    return llvm::createStringError(std::string("exporting the program's functions: ") +
                                   ::dlerror());
  return llvm::Error::success();
}

llvm::Error linkSharedLibrary(const std::vector<std::string> &Flags, const std::string &Output,
                              const std::vector<std::string> &Inputs) {
  const char *Env = std::getenv("HOTJIT_CC");
  std::vector<std::string> Argv = splitShellWords(Env && *Env ? Env : "clang-22");
  Argv.push_back("-shared");
  Argv.insert(Argv.end(), Flags.begin(), Flags.end());
  Argv.insert(Argv.end(), {"-o", Output});
  Argv.insert(Argv.end(), Inputs.begin(), Inputs.end());
  auto Program = llvm::sys::findProgramByName(Argv[0]);
  if (!Program)
    return llvm::createStringError(Argv[0] + " not found: " + Program.getError().message());
  std::vector<llvm::StringRef> Args(Argv.begin(), Argv.end());
  std::string Why;
  if (int Status = llvm::sys::ExecuteAndWait(*Program, Args, std::nullopt, {}, 0, 0, &Why))
    return llvm::createStringError(Argv[0] + " failed (" +
                                   (Why.empty() ? "exit status " + std::to_string(Status) : Why) +
                                   ")");
  return llvm::Error::success();
}

llvm::Error HostLibraries::provide(Engine &Eng, const std::vector<std::string> &Names) {
  for (const std::string &Name : Names)
    for (const Library &L : Libraries) {
      void *Address = ::dlsym(L.Handle, Name.c_str());
      if (!Address)
        continue;
      // Only what the library itself defines, as the static linker binds: a handle also finds
      // its dependencies' symbols (libc's malloc), which must keep resolving as the engine
      // resolves them (through the global scope, where interposers win).
      Dl_info Info;
      link_map *Owner = nullptr;
      if (::dladdr1(Address, &Info, reinterpret_cast<void **>(&Owner), RTLD_DL_LINKMAP) &&
          Owner != L.Map)
        continue;
      if (auto E = Eng.addHostSymbol(Name, Address))
        return E;
      break;
    }
  return llvm::Error::success();
}

std::string commitErrorText(llvm::Error E) {
  auto [Kind, Text] = hotjit::takeError(std::move(E));
  if (Kind != ErrorKind::Undefined)
    return Text;
  // The engine's advice (its API) is replaced by the command line's.
  if (size_t At = Text.find("; define them"); At != std::string::npos)
    Text.erase(At);
  return Text + "; define them in one of the files, or link a library that does: -l NAME "
                "(with -L DIR) or --dlopen LIB";
}

} // namespace hotjit::tool
