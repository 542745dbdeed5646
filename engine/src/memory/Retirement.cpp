// Retirement of replaced code and storage (see Retirement.h).
#include "memory/Retirement.h"

#include "hotjit/engine/Errors.h"

#include "llvm/ExecutionEngine/JITLink/JITLink.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

void CodeSizePlugin::modifyPassConfig(MaterializationResponsibility &MR, jitlink::LinkGraph &,
                                      jitlink::PassConfiguration &Config) {
  Config.PostAllocationPasses.push_back([this, &MR](jitlink::LinkGraph &G) {
    Placement P;
    for (auto &Sec : G.sections()) {
      if (Sec.getMemLifetime() == orc::MemLifetime::NoAlloc)
        continue;
      for (auto *B : Sec.blocks()) {
        P.Bytes += B->getSize();
        if (B->getSize() != 0)
          P.Ranges.push_back({static_cast<uintptr_t>(B->getAddress().getValue()),
                              static_cast<uintptr_t>(B->getAddress().getValue() + B->getSize())});
      }
    }
    for (auto *S : G.defined_symbols())
      if (S->hasName() && S->getBlock().getSection().getMemProt() != orc::MemProt::None)
        P.Symbols.push_back({static_cast<uintptr_t>(S->getAddress().getValue()),
                             static_cast<size_t>(S->getSize()), (*S->getName()).str()});
    return MR.withResourceKeyDo([&](ResourceKey K) {
      std::lock_guard<std::mutex> L(Lock);
      Placement &To = Sizes[K];
      To.Bytes += P.Bytes;
      To.Ranges.insert(To.Ranges.end(), P.Ranges.begin(), P.Ranges.end());
      To.Symbols.insert(To.Symbols.end(), P.Symbols.begin(), P.Symbols.end());
    });
  });
}

Error CodeSizePlugin::notifyRemovingResources(JITDylib &, ResourceKey K) {
  std::lock_guard<std::mutex> L(Lock);
  Sizes.erase(K);
  return Error::success();
}

void CodeSizePlugin::notifyTransferringResources(JITDylib &, ResourceKey Dst, ResourceKey Src) {
  std::lock_guard<std::mutex> L(Lock);
  auto It = Sizes.find(Src);
  if (It == Sizes.end())
    return;
  Placement From = std::move(It->second);
  Sizes.erase(It);
  Placement &To = Sizes[Dst]; // May rehash: From was moved out first.
  To.Bytes += From.Bytes;
  To.Ranges.insert(To.Ranges.end(), From.Ranges.begin(), From.Ranges.end());
  To.Symbols.insert(To.Symbols.end(), From.Symbols.begin(), From.Symbols.end());
}

size_t CodeSizePlugin::bytes(ResourceKey K) {
  std::lock_guard<std::mutex> L(Lock);
  auto It = Sizes.find(K);
  return It == Sizes.end() ? 0 : It->second.Bytes;
}

std::pair<std::vector<EpochAddressRange>, std::vector<CodeSizePlugin::Symbol>>
CodeSizePlugin::placement(ResourceKey K) {
  std::vector<EpochAddressRange> Ranges;
  std::vector<Symbol> Symbols;
  {
    std::lock_guard<std::mutex> L(Lock);
    auto It = Sizes.find(K);
    if (It == Sizes.end())
      return {};
    Ranges = It->second.Ranges;
    Symbols = It->second.Symbols;
  }
  // Blocks of one segment lie next to each other (alignment padding apart): merge them, so a
  // version costs a stack check a few ranges, not one per function.
  std::sort(
      Ranges.begin(), Ranges.end(),
      [](const EpochAddressRange &A, const EpochAddressRange &B) { return A.Begin < B.Begin; });
  std::vector<EpochAddressRange> Merged;
  for (const EpochAddressRange &R : Ranges)
    if (!Merged.empty() && R.Begin <= Merged.back().End + 64)
      Merged.back().End = std::max(Merged.back().End, R.End);
    else
      Merged.push_back(R);
  std::sort(Symbols.begin(), Symbols.end(),
            [](const Symbol &A, const Symbol &B) { return A.Address < B.Address; });
  return {std::move(Merged), std::move(Symbols)};
}

/// The removal of a retired tracker, as the reclaimer runs it.
std::function<void()> Retirement::freeing(ResourceTrackerSP RT, std::string What) {
  return [this, RT = std::move(RT), What = std::move(What)]() mutable {
    auto T0 = std::chrono::steady_clock::now();
    if (auto Err = RT->remove())
      ES.reportError(
          joinErrors(makeError(ErrorKind::Link, "freeing " + What + " failed"), std::move(Err)));
    FreeNs +=
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - T0)
            .count();
    ++VersionsFreed;
  };
}

void Retirement::retire(ResourceTrackerSP RT, std::string What, bool Code) {
  size_t Bytes = Sizes->bytes(RT->getKeyUnsafe());
  ++VersionsRetired;
  if (Code)
    return retireCode(std::move(RT), std::move(What), Bytes);
  Domain.retire(freeing(std::move(RT), std::move(What)), Bytes);
}

void Retirement::retireCode(ResourceTrackerSP RT, std::string What, size_t Bytes) {
  auto [Ranges, Symbols] = Sizes->placement(RT->getKeyUnsafe());
  EpochRetireRanges Where;
  Where.Ranges = std::move(Ranges);
  Where.Describe = [What, Symbols = std::move(Symbols)](uintptr_t Address) {
    // The symbol whose block holds Address: the last one starting at or below it.
    auto It = std::upper_bound(
        Symbols.begin(), Symbols.end(), Address,
        [](uintptr_t A, const CodeSizePlugin::Symbol &S) { return A < S.Address; });
    char Hex[32];
    std::snprintf(Hex, sizeof Hex, "0x%llx", static_cast<unsigned long long>(Address));
    if (It != Symbols.begin() && (--It)->Address + std::max<size_t>(It->Size, 1) > Address)
      return "function '" + StringRef(It->Name).split(".__hjv").first.str() + "' of " + What +
             " (at " + Hex + ")";
    return What + " (at " + Hex + ")";
  };
  Domain.retire(freeing(std::move(RT), std::move(What)), Bytes, std::move(Where));
}

void Retirement::keep(ResourceTrackerSP RT) {
  KeptBytes += Sizes->bytes(RT->getKeyUnsafe());
  ++VersionsKept;
  Kept.push_back(std::move(RT));
}

void Retirement::retireBehindStubs(std::vector<std::pair<ResourceTrackerSP, std::string>> Code,
                                   std::function<void()> TrapStubs) {
  size_t Bytes = 0;
  for (auto &[RT, What] : Code)
    Bytes += Sizes->bytes(RT->getKeyUnsafe());
  VersionsRetired += Code.size();
  // The first grace period lets callers compiled against the old types (old
  // code, host handles) keep running the old implementations; the trap then
  // stops new entries, and the second one waits out those already inside.
  Domain.retire(
      [this, Code = std::move(Code), TrapStubs = std::move(TrapStubs)]() mutable {
        TrapStubs();
        // The traps are armed: no stub leads into this code any more.
        for (auto &[RT, What] : Code) {
          size_t B = Sizes->bytes(RT->getKeyUnsafe());
          retireCode(std::move(RT), std::move(What), B);
        }
      },
      Bytes);
}

} // namespace hotjit
