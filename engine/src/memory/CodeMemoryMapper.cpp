// In-process memory mapper for MapperJITLinkMemoryManager (see CodeMemoryMapper.h).
#include "memory/CodeMemoryMapper.h"

#include "llvm/ExecutionEngine/Orc/Shared/AllocationActions.h"
#include "llvm/ExecutionEngine/Orc/Shared/MemoryFlags.h"
#include "llvm/Support/Memory.h"
#include "llvm/Support/Process.h"

#include <algorithm>
#include <cstring>
#include <future>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

Expected<std::unique_ptr<CodeMemoryMapper>> CodeMemoryMapper::Create() {
  auto PageSize = sys::Process::getPageSize();
  if (!PageSize)
    return PageSize.takeError();
  return std::unique_ptr<CodeMemoryMapper>(new CodeMemoryMapper(*PageSize));
}

CodeMemoryMapper::~CodeMemoryMapper() {
  // The manager and everything linked are gone: unmap the reservations whole.
  std::lock_guard<std::mutex> L(Lock);
  for (auto &[Base, A] : Allocations)
    consumeError(shared::runDeallocActions(A.DeallocActions));
  Allocations.clear();
  for (auto &[Base, Size] : Reservations) {
    sys::MemoryBlock MB(reinterpret_cast<void *>(Base), Size);
    consumeError(errorCodeToError(sys::Memory::releaseMappedMemory(MB)));
  }
  Reservations.clear();
}

void CodeMemoryMapper::reserve(size_t NumBytes, OnReservedFunction OnReserved) {
  std::unique_lock<std::mutex> L(Lock);
  if (Reserved && Reserved->size() >= NumBytes) {
    ExecutorAddrRange R = *Reserved;
    Reserved.reset();
    L.unlock();
    return OnReserved(R);
  }
  // Just below the lowest reservation, if that range is free.
  sys::MemoryBlock Near;
  if (!Reservations.empty() && Reservations.begin()->first > NumBytes)
    Near = sys::MemoryBlock(reinterpret_cast<void *>(Reservations.begin()->first - NumBytes), 0);
  L.unlock();
  std::error_code EC;
  sys::MemoryBlock MB = sys::Memory::allocateMappedMemory(
      NumBytes, Near.base() ? &Near : nullptr, sys::Memory::MF_READ | sys::Memory::MF_WRITE, EC);
  if (EC)
    return OnReserved(errorCodeToError(EC));
  {
    std::lock_guard<std::mutex> G(Lock);
    Reservations[ExecutorAddr::fromPtr(MB.base()).getValue()] = MB.allocatedSize();
  }
  OnReserved(ExecutorAddrRange(ExecutorAddr::fromPtr(MB.base()), MB.allocatedSize()));
}

Expected<ExecutorAddrRange> CodeMemoryMapper::reserveFirst(size_t NumBytes, size_t StubBytes) {
  std::promise<Expected<ExecutorAddrRange>> P;
  auto F = P.get_future();
  reserve(NumBytes + StubBytes, [&](Expected<ExecutorAddrRange> R) { P.set_value(std::move(R)); });
  Expected<ExecutorAddrRange> R = F.get();
  if (!R)
    return R.takeError();
  std::lock_guard<std::mutex> L(Lock);
  Reserved = ExecutorAddrRange(R->Start, R->Start + NumBytes);
  return ExecutorAddrRange(R->Start + NumBytes, R->End);
}

void CodeMemoryMapper::initialize(AllocInfo &AI, OnInitializedFunction OnInitialized) {
  ExecutorAddr Min(~0ULL), Max(0);
  for (const AllocInfo::SegInfo &Seg : AI.Segments) {
    ExecutorAddr Base = AI.MappingBase + Seg.Offset;
    size_t Size = Seg.ContentSize + Seg.ZeroFillSize;
    Min = std::min(Min, Base);
    Max = std::max(Max, Base + Size);
    std::memset((Base + Seg.ContentSize).toPtr<char *>(), 0, Seg.ZeroFillSize);
    if (auto EC = sys::Memory::protectMappedMemory({Base.toPtr<void *>(), Size},
                                                   toSysMemoryProtectionFlags(Seg.AG.getMemProt())))
      return OnInitialized(errorCodeToError(EC));
    if ((Seg.AG.getMemProt() & MemProt::Exec) == MemProt::Exec)
      sys::Memory::InvalidateInstructionCache(Base.toPtr<void *>(), Size);
  }
  auto Dealloc = shared::runFinalizeActions(AI.Actions);
  if (!Dealloc)
    return OnInitialized(Dealloc.takeError());
  {
    std::lock_guard<std::mutex> L(Lock);
    Allocation &A = Allocations[Min];
    A.Size = Max - Min;
    A.DeallocActions = std::move(*Dealloc);
  }
  OnInitialized(Min);
}

Error CodeMemoryMapper::deinitializeLocked(ExecutorAddr Base) {
  auto It = Allocations.find(Base);
  if (It == Allocations.end())
    return Error::success();
  Error Err = shared::runDeallocActions(It->second.DeallocActions);
  // Read-write again, so that the manager can hand the range out anew.
  if (auto EC = sys::Memory::protectMappedMemory({Base.toPtr<void *>(), It->second.Size},
                                                 sys::Memory::MF_READ | sys::Memory::MF_WRITE))
    Err = joinErrors(std::move(Err), errorCodeToError(EC));
  Allocations.erase(It);
  return Err;
}

void CodeMemoryMapper::deinitialize(ArrayRef<ExecutorAddr> Bases,
                                    OnDeinitializedFunction OnDeinitialized) {
  Error Err = Error::success();
  {
    std::lock_guard<std::mutex> L(Lock);
    for (ExecutorAddr Base : llvm::reverse(Bases))
      Err = joinErrors(std::move(Err), deinitializeLocked(Base));
  }
  OnDeinitialized(std::move(Err));
}

void CodeMemoryMapper::release(ArrayRef<ExecutorAddr> Bases, OnReleasedFunction OnReleased) {
  // MapperJITLinkMemoryManager calls this only to abandon a link that failed
  // after allocation, with the failed module's own address, which may equal a
  // reservation's base: unmapping the reservation there would take every live
  // module (and the stubs) with it. An abandoned module was never finalised;
  // its range stays with the manager (as with ORC's own mapper).
  Error Err = Error::success();
  {
    std::lock_guard<std::mutex> L(Lock);
    for (ExecutorAddr Base : Bases)
      Err = joinErrors(std::move(Err), deinitializeLocked(Base));
  }
  OnReleased(std::move(Err));
}

} // namespace hotjit
