// Host symbol registry and its ORC definition generator (see HostSymbols.h).
#include "resolution/HostSymbols.h"

#include "runtime/CxxRuntime.h"

#include "hotjit/engine/Errors.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"

#include <dlfcn.h>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

namespace {
class HostGenerator : public DefinitionGenerator {
public:
  explicit HostGenerator(HostSymbols &Host) : Host(Host) {}

  Error tryToGenerate(LookupState &, LookupKind, JITDylib &JD, JITDylibLookupFlags,
                      const SymbolLookupSet &LookupSet) override {
    SymbolMap Found;
    for (const auto &[Name, Flags] : LookupSet)
      if (const void *Addr = Host.find(*Name))
        Found[Name] = {ExecutorAddr::fromPtr(Addr),
                       JITSymbolFlags::Exported | JITSymbolFlags::Callable};
    if (Found.empty())
      return Error::success();
    return JD.define(absoluteSymbols(std::move(Found)));
  }

private:
  HostSymbols &Host;
};
} // namespace

HostSymbols::HostSymbols(bool RuntimeLibraries) {
  if (!RuntimeLibraries)
    return;
  for (const char *Lib : {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1"})
    if (void *H = ::dlopen(Lib, RTLD_LAZY | RTLD_LOCAL))
      Libraries.push_back(H);
}

HostSymbols::~HostSymbols() {
  for (void *H : Libraries)
    ::dlclose(H);
}

Error HostSymbols::add(StringRef Name, const void *Address) {
  std::lock_guard<std::mutex> G(Lock);
  auto [It, Inserted] = Registered.try_emplace(Name, Address);
  if (!Inserted && It->second != Address)
    return makeError(ErrorKind::Duplicate,
                     "host symbol '" + Name.str() + "' is already registered at another address");
  return Error::success();
}

const void *HostSymbols::find(StringRef Name) const {
  // The engine's runtime support replaces some C library functions.
  if (auto It = runtime::interposed().find(Name); It != runtime::interposed().end())
    return It->second;
  {
    std::lock_guard<std::mutex> G(Lock);
    auto It = Registered.find(Name);
    if (It != Registered.end())
      return It->second;
  }
  std::string Sym = Name.str();
  for (void *H : Libraries)
    if (::dlsym(H, Sym.c_str()))
      // Resolve through the global scope so interposers (sanitizer
      // interceptors, a host malloc) win, as for ordinary code.
      if (void *P = ::dlsym(RTLD_DEFAULT, Sym.c_str()))
        return P;
  return nullptr;
}

std::unique_ptr<DefinitionGenerator> HostSymbols::generator() {
  return std::make_unique<HostGenerator>(*this);
}

} // namespace hotjit
