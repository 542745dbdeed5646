// Retirement: hands replaced code and storage to the epoch domain, which frees them (ORC's
// ResourceTracker::remove: memory, EH frames, debugger and perf registrations) once no thread can
// still be running them; and counts code bytes per tracker so that what waits can be capped.
#ifndef HOTJIT_ENGINE_SRC_MEMORY_RETIREMENT_H
#define HOTJIT_ENGINE_SRC_MEMORY_RETIREMENT_H

#include "hotjit/concurrency/EpochDomain.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hotjit {

/// Records how many bytes each resource tracker's linked code occupies, so
/// retired code can be reported and capped in bytes, and where it lies (its
/// blocks' address ranges and named symbols), so a retired version can be
/// found on threads' stacks and named. Its lock is a leaf.
class CodeSizePlugin : public llvm::orc::ObjectLinkingLayer::Plugin {
public:
  void modifyPassConfig(llvm::orc::MaterializationResponsibility &MR, llvm::jitlink::LinkGraph &,
                        llvm::jitlink::PassConfiguration &Config) override;
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility &) override {
    return llvm::Error::success();
  }
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib &, llvm::orc::ResourceKey K) override;
  void notifyTransferringResources(llvm::orc::JITDylib &, llvm::orc::ResourceKey Dst,
                                   llvm::orc::ResourceKey Src) override;
  /// Bytes linked under \p K; thread-safe.
  size_t bytes(llvm::orc::ResourceKey K);

  /// A named symbol of linked code: [Address, Address + Size).
  struct Symbol {
    uintptr_t Address;
    size_t Size;
    std::string Name;
  };
  /// Where the code linked under \p K lies: its blocks' ranges, merged, and its
  /// named symbols, sorted by address; thread-safe.
  std::pair<std::vector<EpochAddressRange>, std::vector<Symbol>>
  placement(llvm::orc::ResourceKey K);

private:
  struct Placement {
    size_t Bytes = 0;
    std::vector<EpochAddressRange> Ranges;
    std::vector<Symbol> Symbols;
  };
  std::mutex Lock;
  /// One entry per live tracker: hashed, so retiring one costs the same with 10 or 10,000 live.
  llvm::DenseMap<llvm::orc::ResourceKey, Placement> Sizes;
};

/// Retires trackers into one epoch domain. retire() and retireBehindStubs()
/// are called by the committing thread; the frees run on the domain's
/// reclaimer (or in barrier()/the domain's destructor). Never blocks.
class Retirement {
public:
  Retirement(llvm::orc::ExecutionSession &ES, EpochDomain &Domain,
             std::shared_ptr<CodeSizePlugin> Sizes)
      : ES(ES), Domain(Domain), Sizes(std::move(Sizes)) {}

  /// Retires \p RT: it is removed once no thread can be running its code.
  /// \p What names it in errors ("module 'm' version 3"). \p Code: RT holds a
  /// code version whose stubs already lead elsewhere, so only threads holding
  /// an address inside it can still run it (EpochRetireRanges): a stack check
  /// may free it while other threads stay pinned. Data storage is not code.
  void retire(llvm::orc::ResourceTrackerSP RT, std::string What, bool Code = false);

  /// Retires code that stale stubs still run: after one grace period
  /// \p TrapStubs points them at their traps, then each tracker is retired as
  /// by retire() (a second grace period), so no thread that entered through
  /// such a stub before the trap is still inside when it is freed.
  void retireBehindStubs(std::vector<std::pair<llvm::orc::ResourceTrackerSP, std::string>> Code,
                         std::function<void()> TrapStubs);

  /// Keeps \p RT for as long as the engine lives: code that state made by it
  /// (closures, coroutine frames; rewrite/OldState.h) may still enter.
  void keep(llvm::orc::ResourceTrackerSP RT);

  std::atomic<uint64_t> VersionsRetired{0}, VersionsFreed{0};
  std::atomic<uint64_t> VersionsKept{0}; ///< Versions keep() holds.
  std::atomic<size_t> KeptBytes{0};      ///< Their code and data, in bytes.
  std::atomic<int64_t> FreeNs{0};        ///< Time spent in ResourceTracker::remove.

private:
  std::function<void()> freeing(llvm::orc::ResourceTrackerSP RT, std::string What);
  /// Retires code \p RT (stubs lead elsewhere) with its ranges.
  void retireCode(llvm::orc::ResourceTrackerSP RT, std::string What, size_t Bytes);

  llvm::orc::ExecutionSession &ES;
  EpochDomain &Domain;
  std::shared_ptr<CodeSizePlugin> Sizes;
  /// Released with the session (ExecutionSession::endSession()).
  std::vector<llvm::orc::ResourceTrackerSP> Kept; // Committing thread only.
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_MEMORY_RETIREMENT_H
