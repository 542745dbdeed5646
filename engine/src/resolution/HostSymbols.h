// The host process symbols JIT code may reach: explicit registrations plus, optionally, the C,
// math and C++ runtime libraries. Nothing else in the process is visible to JIT code.
#ifndef HOTJIT_ENGINE_SRC_HOSTSYMBOLS_H
#define HOTJIT_ENGINE_SRC_HOSTSYMBOLS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <mutex>
#include <vector>

namespace hotjit {

/// Thread-safe registry of host symbols, consulted by the commit's
/// all-present check and by the host JITDylib's definition generator.
class HostSymbols {
public:
  explicit HostSymbols(bool RuntimeLibraries);
  ~HostSymbols();

  /// Registers \p Name; re-registering it at another address is an error.
  llvm::Error add(llvm::StringRef Name, const void *Address);

  /// The address JIT code gets for \p Name, or null if it is not reachable.
  const void *find(llvm::StringRef Name) const;

  /// A generator that defines reachable host symbols on demand.
  std::unique_ptr<llvm::orc::DefinitionGenerator> generator();

private:
  mutable std::mutex Lock;
  llvm::StringMap<const void *> Registered;
  std::vector<void *> Libraries; // dlopen handles of the runtime libraries
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_HOSTSYMBOLS_H
