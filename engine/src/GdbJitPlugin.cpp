// GDB JIT interface registration for each module with debug info (protocol in
// GdbJitPlugin.h).
#include "GdbJitPlugin.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderGDB.h"
#include "llvm/Object/ELF.h"

#include <cstring>

using namespace llvm;
using namespace llvm::orc;

// Defined and exported by libLLVM (TargetProcess/JITLoaderGDB.cpp).
extern "C" {
extern jit_descriptor __jit_debug_descriptor;
void __jit_debug_register_code();
}

namespace hotjit {

namespace {

using ELFT = object::ELF64LE;

/// Serialises hotjit's updates of the process-wide descriptor. Constant-
/// initialised and never destroyed before use ends (trivial destructor).
std::mutex DescriptorLock;

/// True if the ELF object in \p Bytes has a .debug_info section.
bool hasDebugInfo(StringRef Bytes) {
  auto ELF = object::ELFFile<ELFT>::create(Bytes);
  if (!ELF) {
    consumeError(ELF.takeError());
    return false;
  }
  auto Sections = ELF->sections();
  if (!Sections) {
    consumeError(Sections.takeError());
    return false;
  }
  for (const ELFT::Shdr &Hdr : *Sections) {
    auto Name = ELF->getSectionName(Hdr);
    if (!Name)
      consumeError(Name.takeError());
    else if (*Name == ".debug_info")
      return true;
  }
  return false;
}

} // namespace

/// A module's object file as the debugger reads it, and its list entry.
struct GdbJitPlugin::DebugObject {
  std::unique_ptr<char[]> Bytes; ///< operator new[]: aligned for ELF headers.
  size_t Size = 0;
  bool Patched = false; ///< Section addresses written.
  jit_code_entry Entry{};
  bool InList = false;

  void registerWithDebugger() {
    std::lock_guard<std::mutex> L(DescriptorLock);
    Entry.symfile_addr = Bytes.get();
    Entry.symfile_size = Size;
    Entry.prev_entry = nullptr;
    Entry.next_entry = __jit_debug_descriptor.first_entry;
    if (Entry.next_entry)
      Entry.next_entry->prev_entry = &Entry;
    __jit_debug_descriptor.first_entry = &Entry;
    __jit_debug_descriptor.relevant_entry = &Entry;
    __jit_debug_descriptor.action_flag = JIT_REGISTER_FN;
    __jit_debug_register_code();
    __jit_debug_descriptor.action_flag = JIT_NOACTION;
    InList = true;
  }

  void unregisterFromDebugger() {
    if (!InList)
      return;
    std::lock_guard<std::mutex> L(DescriptorLock);
    if (Entry.prev_entry)
      Entry.prev_entry->next_entry = Entry.next_entry;
    else
      __jit_debug_descriptor.first_entry = Entry.next_entry;
    if (Entry.next_entry)
      Entry.next_entry->prev_entry = Entry.prev_entry;
    __jit_debug_descriptor.relevant_entry = &Entry;
    __jit_debug_descriptor.action_flag = JIT_UNREGISTER_FN;
    __jit_debug_register_code();
    __jit_debug_descriptor.action_flag = JIT_NOACTION;
    __jit_debug_descriptor.relevant_entry = nullptr;
    InList = false;
  }

  ~DebugObject() { unregisterFromDebugger(); }

  /// Writes the load address of each allocated section of \p G into the
  /// object's section headers.
  Error patchAddresses(jitlink::LinkGraph &G) {
    auto ELF = object::ELFFile<ELFT>::create(StringRef(Bytes.get(), Size));
    if (!ELF)
      return ELF.takeError();
    auto Sections = ELF->sections();
    if (!Sections)
      return Sections.takeError();
    for (const ELFT::Shdr &Hdr : *Sections) {
      if (!(Hdr.sh_flags & ELF::SHF_ALLOC))
        continue;
      auto Name = ELF->getSectionName(Hdr);
      if (!Name)
        return Name.takeError();
      jitlink::Section *S =
          Name->empty() ? nullptr : G.findSectionByName(*Name);
      if (!S)
        continue;
      jitlink::SectionRange R(*S);
      if (!R.empty())
        const_cast<ELFT::Shdr &>(Hdr).sh_addr = R.getStart().getValue();
    }
    Patched = true;
    return Error::success();
  }
};

GdbJitPlugin::GdbJitPlugin() = default;

GdbJitPlugin::~GdbJitPlugin() = default; // DebugObjects unregister themselves.

void GdbJitPlugin::notifyMaterializing(MaterializationResponsibility &MR,
                                       jitlink::LinkGraph &G,
                                       jitlink::JITLinkContext &,
                                       MemoryBufferRef InputObject) {
  if (!G.getTargetTriple().isOSBinFormatELF() ||
      !hasDebugInfo(InputObject.getBuffer()))
    return;
  auto Obj = std::make_unique<DebugObject>();
  Obj->Size = InputObject.getBufferSize();
  Obj->Bytes.reset(new char[Obj->Size]);
  std::memcpy(Obj->Bytes.get(), InputObject.getBufferStart(), Obj->Size);
  std::lock_guard<std::mutex> L(Lock);
  Pending[&MR] = std::move(Obj);
}

void GdbJitPlugin::modifyPassConfig(MaterializationResponsibility &MR,
                                    jitlink::LinkGraph &,
                                    jitlink::PassConfiguration &Config) {
  {
    std::lock_guard<std::mutex> L(Lock);
    if (!Pending.count(&MR))
      return;
  }
  Config.PostAllocationPasses.push_back(
      [this, &MR](jitlink::LinkGraph &G) -> Error {
        DebugObject *Obj;
        {
          std::lock_guard<std::mutex> L(Lock);
          auto It = Pending.find(&MR);
          if (It == Pending.end())
            return Error::success();
          Obj = It->second.get(); // Only this link touches it until emission.
        }
        return Obj->patchAddresses(G);
      });
}

std::unique_ptr<GdbJitPlugin::DebugObject>
GdbJitPlugin::takePending(MaterializationResponsibility &MR) {
  std::lock_guard<std::mutex> L(Lock);
  auto It = Pending.find(&MR);
  if (It == Pending.end())
    return nullptr;
  std::unique_ptr<DebugObject> Obj = std::move(It->second);
  Pending.erase(It);
  return Obj;
}

Error GdbJitPlugin::notifyEmitted(MaterializationResponsibility &MR) {
  std::unique_ptr<DebugObject> Obj = takePending(MR);
  if (!Obj || !Obj->Patched)
    return Error::success();
  // Registered before the key is recorded, so that a concurrent removal of
  // the tracker (which makes withResourceKeyDo fail) drops it again when Obj
  // dies here; recorded under the session lock, so a removal that follows
  // finds it.
  Obj->registerWithDebugger();
  return MR.withResourceKeyDo([&](ResourceKey K) {
    std::lock_guard<std::mutex> L(Lock);
    Registered[K].push_back(std::move(Obj));
  });
}

Error GdbJitPlugin::notifyFailed(MaterializationResponsibility &MR) {
  takePending(MR);
  return Error::success();
}

Error GdbJitPlugin::notifyRemovingResources(JITDylib &, ResourceKey K) {
  std::vector<std::unique_ptr<DebugObject>> Gone;
  {
    std::lock_guard<std::mutex> L(Lock);
    auto It = Registered.find(K);
    if (It == Registered.end())
      return Error::success();
    Gone = std::move(It->second);
    Registered.erase(It);
  }
  Gone.clear(); // Unregisters each before ORC frees the code.
  return Error::success();
}

void GdbJitPlugin::notifyTransferringResources(JITDylib &, ResourceKey Dst,
                                               ResourceKey Src) {
  std::lock_guard<std::mutex> L(Lock);
  auto It = Registered.find(Src);
  if (It == Registered.end())
    return;
  std::vector<std::unique_ptr<DebugObject>> Moved = std::move(It->second);
  Registered.erase(It);
  auto &To = Registered[Dst];
  for (auto &Obj : Moved)
    To.push_back(std::move(Obj));
}

} // namespace hotjit
