// JIT -> JIT calls that read the callee's slot themselves: one load and one indirect call, no jump
// through the stub.
//
// Protocol
// --------
// A call through a stub is `call stub` then the stub's `jmp *slot(%rip)`: two taken control
// transfers per call. On AMD Zen 4 (EPYC, family 25 model 17) the second costs a cycle (×1.20 of a
// direct call in CallBench, the same for ORC's redirectable stub), wherever the stub and slot lie;
// a load of the slot and an indirect call cost what a direct call costs (×1.00). So calls that
// JIT code makes to functions it does not define read the slot in the caller:
//
// * Before code generation (after IR optimisation, so library calls were simplified already),
//   routeCallsThroughSlots() turns each call of a declared function `f` into an acquire load of
//   the external pointer `__hotjit.slot.f` and an indirect call of what it holds. The load pairs
//   with StubTable::publish()'s release store, exactly as the stub's own `jmp *slot` does; being
//   atomic, it is never hoisted out of a loop, so a caller that loops sees a newly published
//   version at its next call.
// * At link time SlotCallPlugin gives every `__hotjit.slot.f` a cell of the module's own: 8 bytes
//   holding the address `f` resolves to (its stub, a host function, another JIT symbol). Once the
//   addresses are known (before fix-ups, before JITLink's GOT/PLT relaxation), the cell of an `f`
//   that resolved to a hotjit stub is bypassed: the code's RIP-relative references go to the stub's
//   slot itself, when every one of them reaches it with a 32-bit displacement (the engine maps
//   stub blocks next to its code, StubTable::setPlacementArea()). Otherwise the cell stays: a call
//   through it reaches the stub, or the host function, and is correct, only one jump longer.
//
// What stays as it was: `&f` is the stub (addresses are taken through the GOT, never the slot);
// host code calls stubs; extern_weak callees keep their PLT call (they may be null).
#ifndef HOTJIT_ENGINE_SRC_MEMORY_SLOTCALLPLUGIN_H
#define HOTJIT_ENGINE_SRC_MEMORY_SLOTCALLPLUGIN_H

#include "memory/StubTable.h"

#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/IR/Module.h"

namespace hotjit {

/// Prefix of the pointer a routed call loads: "__hotjit.slot.<callee>".
inline constexpr llvm::StringLiteral SlotPointerPrefix = "__hotjit.slot.";

/// Routes \p M's calls of declared, non-intrinsic, non-extern_weak functions
/// through "__hotjit.slot.<callee>" (acquire load, indirect call). Run after
/// IR optimisation, before code generation.
void routeCallsThroughSlots(llvm::Module &M);

/// Links the pointers routeCallsThroughSlots() made: to the callee's stub slot
/// when it is in reach, else to a cell holding the callee's address. The
/// table outlives the plugin; link threads call it concurrently.
class SlotCallPlugin : public llvm::orc::ObjectLinkingLayer::Plugin {
public:
  explicit SlotCallPlugin(const StubTable &Stubs) : Stubs(Stubs) {}
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
  const StubTable &Stubs;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_MEMORY_SLOTCALLPLUGIN_H
