// HostLibraries: dlopen of the command line's libraries and registration of what modules need.
#include "HostLibraries.h"

#include "hotjit/engine/Errors.h"

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
