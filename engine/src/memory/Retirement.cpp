// Retirement of replaced code and storage (see Retirement.h).
#include "memory/Retirement.h"

#include "hotjit/engine/Errors.h"

#include "llvm/ExecutionEngine/JITLink/JITLink.h"

#include <chrono>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

void CodeSizePlugin::modifyPassConfig(MaterializationResponsibility &MR, jitlink::LinkGraph &,
                                      jitlink::PassConfiguration &Config) {
  Config.PostAllocationPasses.push_back([this, &MR](jitlink::LinkGraph &G) {
    size_t Bytes = 0;
    for (auto &Sec : G.sections())
      for (auto *B : Sec.blocks())
        Bytes += B->getSize();
    return MR.withResourceKeyDo([&](ResourceKey K) {
      std::lock_guard<std::mutex> L(Lock);
      Sizes[K] += Bytes;
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
  Sizes[Dst] += It->second;
  Sizes.erase(Src);
}

size_t CodeSizePlugin::bytes(ResourceKey K) {
  std::lock_guard<std::mutex> L(Lock);
  auto It = Sizes.find(K);
  return It == Sizes.end() ? 0 : It->second;
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

void Retirement::retire(ResourceTrackerSP RT, std::string What) {
  size_t Bytes = Sizes->bytes(RT->getKeyUnsafe());
  ++VersionsRetired;
  Domain.retire(freeing(std::move(RT), std::move(What)), Bytes);
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
        for (auto &[RT, What] : Code) {
          size_t B = Sizes->bytes(RT->getKeyUnsafe());
          Domain.retire(freeing(std::move(RT), std::move(What)), B);
        }
      },
      Bytes);
}

} // namespace hotjit
