// Quarantining JITLink memory manager for stress builds (see QuarantineMemoryManager.h).
#include "memory/QuarantineMemoryManager.h"

#include "llvm/ExecutionEngine/JITLink/JITLink.h"

#include <sys/mman.h>
#include <unistd.h>

using namespace llvm;
using namespace llvm::jitlink;

namespace hotjit {

namespace {
std::vector<QuarantineMemoryManager::Range> pagesOf(LinkGraph &G) {
  const uint64_t Page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  std::vector<QuarantineMemoryManager::Range> Out;
  for (Section &S : G.sections()) {
    if (S.getMemLifetime() != orc::MemLifetime::Standard)
      continue;
    for (Block *B : S.blocks()) {
      if (!B->getSize())
        continue;
      uint64_t Start = B->getAddress().getValue() & ~(Page - 1);
      uint64_t End = (B->getAddress().getValue() + B->getSize() + Page - 1) & ~(Page - 1);
      Out.push_back({Start, End - Start});
    }
  }
  std::sort(Out.begin(), Out.end(), [](auto &A, auto &B) { return A.Start < B.Start; });
  std::vector<QuarantineMemoryManager::Range> Merged;
  for (auto &R : Out) {
    if (!Merged.empty() && R.Start <= Merged.back().Start + Merged.back().Size) {
      uint64_t End = std::max(Merged.back().Start + Merged.back().Size, R.Start + R.Size);
      Merged.back().Size = End - Merged.back().Start;
    } else {
      Merged.push_back(R);
    }
  }
  return Merged;
}
} // namespace

class QuarantineMemoryManager::InFlight : public InFlightAlloc {
public:
  InFlight(QuarantineMemoryManager &MM, std::unique_ptr<InFlightAlloc> Inner,
           std::vector<Range> Pages)
      : MM(MM), Inner(std::move(Inner)), Pages(std::move(Pages)) {}

  void finalize(OnFinalizedFunction OnFinalized) override {
    Inner->finalize(
        [this, OnFinalized = std::move(OnFinalized)](Expected<FinalizedAlloc> FA) mutable {
          if (FA) {
            std::lock_guard<std::mutex> L(MM.Lock);
            MM.Live[FA->getAddress().getValue()] = std::move(Pages);
          }
          OnFinalized(std::move(FA));
        });
  }
  void abandon(OnAbandonedFunction OnAbandoned) override { Inner->abandon(std::move(OnAbandoned)); }

private:
  QuarantineMemoryManager &MM;
  std::unique_ptr<InFlightAlloc> Inner;
  std::vector<Range> Pages;
};

Expected<std::unique_ptr<QuarantineMemoryManager>> QuarantineMemoryManager::create() {
  auto Inner = InProcessMemoryManager::Create();
  if (!Inner)
    return Inner.takeError();
  return std::unique_ptr<QuarantineMemoryManager>(new QuarantineMemoryManager(std::move(*Inner)));
}

void QuarantineMemoryManager::allocate(const JITLinkDylib *JD, LinkGraph &G,
                                       OnAllocatedFunction OnAllocated) {
  Inner->allocate(JD, G, [this, &G, OnAllocated = std::move(OnAllocated)](AllocResult R) mutable {
    if (!R)
      return OnAllocated(R.takeError());
    OnAllocated(std::make_unique<InFlight>(*this, std::move(*R), pagesOf(G)));
  });
}

void QuarantineMemoryManager::deallocate(std::vector<FinalizedAlloc> Allocs,
                                         OnDeallocatedFunction OnDeallocated) {
  std::vector<Range> Pages;
  {
    std::lock_guard<std::mutex> L(Lock);
    for (auto &A : Allocs) {
      auto It = Live.find(A.getAddress().getValue());
      if (It == Live.end())
        continue;
      Pages.insert(Pages.end(), It->second.begin(), It->second.end());
      Live.erase(It);
    }
  }
  Inner->deallocate(std::move(Allocs), [Pages = std::move(Pages),
                                        OnDeallocated =
                                            std::move(OnDeallocated)](Error Err) mutable {
    for (const Range &R : Pages) {
      void *P = ::mmap(reinterpret_cast<void *>(R.Start), R.Size, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
      if (P != reinterpret_cast<void *>(R.Start) && P != MAP_FAILED)
        ::munmap(P, R.Size); // Old kernel ignoring NOREPLACE: give it back.
    }
    OnDeallocated(std::move(Err));
  });
}

} // namespace hotjit
