//===- GdbJitPlugin.h - GDB JIT interface registration per module -*- C++
//-*-===//
//
// PROTOCOL
//
// Debuggers learn about JIT code through the GDB JIT interface: a process-wide
// descriptor (__jit_debug_descriptor, defined and exported by libLLVM) heads a
// doubly linked list of in-memory object files, and an empty function
// (__jit_debug_register_code) on which the debugger keeps a breakpoint is
// called after each change, with action_flag and relevant_entry saying which
// entry was added or removed (JIT_REGISTER_FN / JIT_UNREGISTER_FN; gdb's
// gdb/jit.h, LLVM's TargetProcess/JITLoaderGDB.h).
//
// Lifetime. For a module whose object carries DWARF (.debug_info), the plugin
// copies the object when it is materialised, writes the load address of every
// allocated section into that copy's section headers once JITLink has laid
// the module out (so the debugger relocates symbols and DWARF itself, as for
// LLVM's ELFDebugObjectPlugin), and registers it when the module is emitted,
// before any of its code can be published. notifyRemovingResources, which
// ORC calls from ResourceTracker::remove, i.e. when the engine's reclaimer
// frees the module, unregisters it and frees the copy. Modules without debug
// info cost one section-header scan and are never registered. LLVM's own
// ELFDebugObjectPlugin is not used: it never unregisters.
//
// Breakpoints in freed code. gdb re-resolves breakpoint locations when a
// symbol file is added, not when one is removed (gdb 13: jit_register_code ->
// symbol_file_add_from_bfd -> breakpoint_re_set; JIT_UNREGISTER only deletes
// the objfile). After an unregistration it therefore keeps each location it
// had in the object, believes its int3 still inserted there, and drops it at
// the next registration. Once the code is unmapped that removal fails
// ("warning: Error removing breakpoint", "Cannot remove breakpoints because
// program is no longer writable"), and a new version that the memory manager
// maps at the same address inherits the stale location's "inserted" state,
// so gdb never writes its int3 and the breakpoint misses it. So every removal
// ends, before ORC unmaps the code, with a flush: an empty ELF object
// registered and unregistered at once, whose registration makes gdb drop the
// stale locations (restoring the original bytes) while the memory is still
// mapped. Two more descriptor events per removed module; lldb, which drops
// locations on unregistration, sees an empty module come and go.
//
// Concurrency. Links and removals run on any thread; the descriptor is
// updated under one process-wide mutex (all engines of the process share it).
// The debugger reads the list only while the process is stopped at
// __jit_debug_register_code, i.e. never concurrently with an update. A
// registration or removal is O(1) in the number of registered objects (list
// push and unlink); the debugger's own work per event is its business.
// Cost (bench/DebugBench.cpp, medians, no debugger attached): registration
// 1.5 / 1.9 / 2.7 / 3.4 us and unregistration 0.3 / 0.5 / 1.2 / 1.7 us with
// 10 / 100 / 1000 / 10000 live modules with debug info (the growth is cache
// misses; nothing walks the list); measured before the flush, which adds two
// O(1) list updates to each unregistration. Under gdb each event is a stop of
// the process, so a removal costs three stops instead of one.
//
// Limitations. Another JIT in the same process that updates the same
// descriptor without this mutex (LLVM's ELFDebugObjectPlugin, MCJIT's
// GDBRegistrationListener) races with hotjit. Section addresses are matched by
// name, so an object with two allocated sections of one name gets the first
// one's address for both (LLVM's plugin has the same limit).
//
//===----------------------------------------------------------------------===//

#ifndef HOTJIT_ENGINE_SRC_GDBJITPLUGIN_H
#define HOTJIT_ENGINE_SRC_GDBJITPLUGIN_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ExecutionEngine/Orc/LinkGraphLinkingLayer.h"

#include <memory>
#include <mutex>
#include <vector>

namespace hotjit {

/// Registers each module that carries debug info with the GDB JIT interface
/// while its code lives. Thread-safe.
class GdbJitPlugin : public llvm::orc::LinkGraphLinkingLayer::Plugin {
public:
  GdbJitPlugin();
  ~GdbJitPlugin() override;

  void notifyMaterializing(llvm::orc::MaterializationResponsibility &MR,
                           llvm::jitlink::LinkGraph &G, llvm::jitlink::JITLinkContext &Ctx,
                           llvm::MemoryBufferRef InputObject) override;
  void modifyPassConfig(llvm::orc::MaterializationResponsibility &MR, llvm::jitlink::LinkGraph &G,
                        llvm::jitlink::PassConfiguration &Config) override;
  llvm::Error notifyEmitted(llvm::orc::MaterializationResponsibility &MR) override;
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility &MR) override;
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib &JD, llvm::orc::ResourceKey K) override;
  void notifyTransferringResources(llvm::orc::JITDylib &JD, llvm::orc::ResourceKey Dst,
                                   llvm::orc::ResourceKey Src) override;

  struct DebugObject;

private:
  std::unique_ptr<DebugObject> takePending(llvm::orc::MaterializationResponsibility &MR);

  std::mutex Lock;
  /// Objects between materialisation and emission, by link.
  llvm::DenseMap<llvm::orc::MaterializationResponsibility *, std::unique_ptr<DebugObject>> Pending;
  /// Registered objects, by the resource key of their module.
  llvm::DenseMap<llvm::orc::ResourceKey, std::vector<std::unique_ptr<DebugObject>>> Registered;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_GDBJITPLUGIN_H
