// Exception support for each linked module (see EHFramePlugin.h).
#include "runtime/EHFramePlugin.h"

#include "runtime/EHFrameIndex.h"

#include "llvm/ExecutionEngine/JITLink/JITLink.h"

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

namespace {

/// Makes the module's own `DW.ref.*` personality pointers local, before ORC
/// claims or externalises weak definitions.
Error localizePersonalityPointers(jitlink::LinkGraph &G) {
  for (jitlink::Symbol *Sym : G.defined_symbols())
    if (Sym->hasName() && (*Sym->getName()).starts_with("DW.ref.")) {
      Sym->setScope(jitlink::Scope::Local);
      Sym->setLinkage(jitlink::Linkage::Strong);
    }
  return Error::success();
}

} // namespace

Expected<std::shared_ptr<EHFramePlugin>> EHFramePlugin::create(ExecutionSession &ES,
                                                               bool UseIndex) {
  if (UseIndex && EHFrameIndex::instance().isLive())
    return std::shared_ptr<EHFramePlugin>(
        new EHFramePlugin(std::make_unique<EHFrameRegistrationPlugin>(EHFrameIndex::addAction(),
                                                                      EHFrameIndex::removeAction()),
                          true));
  auto Libgcc = EHFrameRegistrationPlugin::Create(ES);
  if (!Libgcc)
    return Libgcc.takeError();
  return std::shared_ptr<EHFramePlugin>(new EHFramePlugin(std::move(*Libgcc), false));
}

void EHFramePlugin::modifyPassConfig(MaterializationResponsibility &MR, jitlink::LinkGraph &G,
                                     jitlink::PassConfiguration &Config) {
  Config.PrePrunePasses.insert(Config.PrePrunePasses.begin(), localizePersonalityPointers);
  Registrar->modifyPassConfig(MR, G, Config);
}

} // namespace hotjit
