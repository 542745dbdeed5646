// Exception support for each linked module: eh-frames registered for exactly
// the life of its code, and a personality pointer that the module owns.
#ifndef HOTJIT_ENGINE_SRC_EHFRAMEPLUGIN_H
#define HOTJIT_ENGINE_SRC_EHFRAMEPLUGIN_H

#include "llvm/ExecutionEngine/Orc/EHFrameRegistrationPlugin.h"
#include "llvm/ExecutionEngine/Orc/LinkGraphLinkingLayer.h"

#include <memory>

namespace hotjit {

/// Registers each module's .eh_frame when its memory is finalized and
/// deregisters it when the memory is freed (allocation actions, so both follow
/// ResourceTracker::remove exactly). Registration goes to hotjit's
/// EHFrameIndex when its _Unwind_Find_FDE interposition is live and \p
/// UseIndex is set, else to libgcc (__register_frame). Also makes every
/// `DW.ref.<personality>` symbol local to its module: the code generator
/// emits one weak hidden copy per object, and ORC would otherwise bind every
/// later module to the first module's copy, which dangles once that module is
/// freed.
class EHFramePlugin : public llvm::orc::LinkGraphLinkingLayer::Plugin {
public:
  static llvm::Expected<std::shared_ptr<EHFramePlugin>> create(llvm::orc::ExecutionSession &ES,
                                                               bool UseIndex);

  /// True if this plugin registers in hotjit's index rather than libgcc's.
  bool usesIndex() const { return UsesIndex; }

  void modifyPassConfig(llvm::orc::MaterializationResponsibility &MR, llvm::jitlink::LinkGraph &G,
                        llvm::jitlink::PassConfiguration &Config) override;
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility &) override {
    return llvm::Error::success();
  }
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib &, llvm::orc::ResourceKey) override {
    return llvm::Error::success();
  }
  void notifyTransferringResources(llvm::orc::JITDylib &, llvm::orc::ResourceKey,
                                   llvm::orc::ResourceKey) override {}

private:
  EHFramePlugin(std::unique_ptr<llvm::orc::EHFrameRegistrationPlugin> Registrar, bool UsesIndex)
      : Registrar(std::move(Registrar)), UsesIndex(UsesIndex) {}

  std::unique_ptr<llvm::orc::EHFrameRegistrationPlugin> Registrar;
  const bool UsesIndex;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_EHFRAMEPLUGIN_H
