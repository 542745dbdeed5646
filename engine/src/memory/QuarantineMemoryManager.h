// A JITLink memory manager for stress builds: freed code pages are never reused, and any access to
// them faults, so code freed before its last caller left crashes deterministically.
#ifndef HOTJIT_ENGINE_SRC_QUARANTINEMEMORYMANAGER_H
#define HOTJIT_ENGINE_SRC_QUARANTINEMEMORYMANAGER_H

#include "llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h"

#include <map>
#include <mutex>
#include <vector>

namespace hotjit {

/// Wraps InProcessMemoryManager. On deallocation the wrapped manager runs the
/// dealloc actions (EH deregistration) and unmaps as usual; the pages are then
/// re-reserved PROT_NONE at the same address (MAP_FIXED_NOREPLACE, so nothing
/// mapped meanwhile is ever clobbered) and never handed out again.
class QuarantineMemoryManager : public llvm::jitlink::JITLinkMemoryManager {
public:
  static llvm::Expected<std::unique_ptr<QuarantineMemoryManager>> create();

  void allocate(const llvm::jitlink::JITLinkDylib *JD, llvm::jitlink::LinkGraph &G,
                OnAllocatedFunction OnAllocated) override;
  void deallocate(std::vector<FinalizedAlloc> Allocs, OnDeallocatedFunction OnDeallocated) override;

  struct Range {
    uint64_t Start, Size;
  };

private:
  class InFlight;
  explicit QuarantineMemoryManager(std::unique_ptr<JITLinkMemoryManager> Inner)
      : Inner(std::move(Inner)) {}

  std::unique_ptr<JITLinkMemoryManager> Inner;
  std::mutex Lock;
  std::map<uint64_t, std::vector<Range>> Live; // finalized alloc -> pages
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_QUARANTINEMEMORYMANAGER_H
