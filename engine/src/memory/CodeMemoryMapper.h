// Where MapperJITLinkMemoryManager puts JIT code: large read-write reservations in this process,
// sub-allocated by the manager, protected segment by segment when a module is finalised.
#ifndef HOTJIT_ENGINE_SRC_CODEMEMORYMAPPER_H
#define HOTJIT_ENGINE_SRC_CODEMEMORYMAPPER_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ExecutionEngine/Orc/MemoryMapper.h"

#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace hotjit {

/// An in-process orc::MemoryMapper, as ORC's InProcessMemoryMapper, except
/// that an allocation leaves every table when it is deinitialised. ORC's
/// mapper appends each allocation to a list that only releasing the whole
/// reservation empties: with the manager reusing freed ranges, that is 8
/// bytes more for every module ever linked (8 MB per million swaps).
///
/// initialize() zero-fills and protects each segment (one mprotect each) and
/// runs the finalize actions (eh-frame and debug registration);
/// deinitialize() runs the dealloc actions and makes the range read-write
/// again for reuse; release(), which the manager calls only to abandon a
/// failed link, never unmaps (reservations go with the mapper). Thread-safe.
class CodeMemoryMapper final : public llvm::orc::MemoryMapper {
public:
  static llvm::Expected<std::unique_ptr<CodeMemoryMapper>> Create();
  ~CodeMemoryMapper() override;

  unsigned int getPageSize() override { return PageSize; }
  void reserve(size_t NumBytes, OnReservedFunction OnReserved) override;
  char *prepare(llvm::jitlink::LinkGraph &, llvm::orc::ExecutorAddr Addr, size_t) override {
    return Addr.toPtr<char *>(); // Same process: written in place.
  }
  void initialize(AllocInfo &AI, OnInitializedFunction OnInitialized) override;
  void deinitialize(llvm::ArrayRef<llvm::orc::ExecutorAddr> Allocations,
                    OnDeinitializedFunction OnDeinitialized) override;
  void release(llvm::ArrayRef<llvm::orc::ExecutorAddr> Reservations,
               OnReleasedFunction OnReleased) override;

  /// Reserves \p NumBytes for code now, with \p StubBytes more right above
  /// them that the manager never hands out, and returns that upper range:
  /// the place for the engine's stubs (StubTable::setPlacementArea()), in
  /// rel32 reach of the code. The manager's first reservation of at most
  /// \p NumBytes is this one; later ones are mapped below the lowest.
  llvm::Expected<llvm::orc::ExecutorAddrRange> reserveFirst(size_t NumBytes, size_t StubBytes);

private:
  explicit CodeMemoryMapper(unsigned PageSize) : PageSize(PageSize) {}
  llvm::Error deinitializeLocked(llvm::orc::ExecutorAddr Base);

  struct Allocation {
    size_t Size = 0; ///< From the lowest to the end of the highest segment.
    std::vector<llvm::orc::shared::WrapperFunctionCall> DeallocActions;
  };

  const unsigned PageSize;
  std::mutex Lock;
  std::map<uint64_t, size_t> Reservations; ///< Base -> size.
  /// reserveFirst()'s range until the manager asks for it; guarded by Lock.
  std::optional<llvm::orc::ExecutorAddrRange> Reserved;
  llvm::DenseMap<llvm::orc::ExecutorAddr, Allocation> Allocations;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_CODEMEMORYMAPPER_H
