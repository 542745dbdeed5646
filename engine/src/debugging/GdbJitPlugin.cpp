// GDB JIT interface registration for each module with debug info (protocol in
// GdbJitPlugin.h).
#include "debugging/GdbJitPlugin.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderGDB.h"
#include "llvm/Object/ELF.h"

#include <cstddef>
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

/// Links \p Entry at the head of the descriptor's list and reports it.
/// DescriptorLock held. The forward links are stored with release semantics: a reader that
/// cannot take the lock (a crash report in a signal handler, tools/CrashReport.cpp) walks
/// first_entry and next_entry with acquire loads and sees each entry whole.
void notifyRegistered(jit_code_entry &Entry) {
  Entry.prev_entry = nullptr;
  Entry.next_entry = __jit_debug_descriptor.first_entry;
  if (Entry.next_entry)
    Entry.next_entry->prev_entry = &Entry;
  __atomic_store_n(&__jit_debug_descriptor.first_entry, &Entry, __ATOMIC_RELEASE);
  __jit_debug_descriptor.relevant_entry = &Entry;
  __jit_debug_descriptor.action_flag = JIT_REGISTER_FN;
  __jit_debug_register_code();
  __jit_debug_descriptor.action_flag = JIT_NOACTION;
}

/// Unlinks \p Entry from the descriptor's list and reports it.
/// DescriptorLock held.
void notifyUnregistered(jit_code_entry &Entry) {
  if (Entry.prev_entry)
    __atomic_store_n(&Entry.prev_entry->next_entry, Entry.next_entry, __ATOMIC_RELEASE);
  else
    __atomic_store_n(&__jit_debug_descriptor.first_entry, Entry.next_entry, __ATOMIC_RELEASE);
  if (Entry.next_entry)
    Entry.next_entry->prev_entry = Entry.prev_entry;
  __jit_debug_descriptor.relevant_entry = &Entry;
  __jit_debug_descriptor.action_flag = JIT_UNREGISTER_FN;
  __jit_debug_register_code();
  __jit_debug_descriptor.action_flag = JIT_NOACTION;
  __jit_debug_descriptor.relevant_entry = nullptr;
}

/// The smallest relocatable ELF file a debugger accepts: a header, the null
/// section and a section-name table; no code, no symbols. Registered only to
/// make the debugger re-resolve breakpoints.
struct EmptyObject {
  ELFT::Ehdr Header;
  ELFT::Shdr Sections[2];
  char Names[16];
};

const EmptyObject &emptyObject() {
  static const EmptyObject Obj = [] {
    EmptyObject O{};
    ELFT::Ehdr &H = O.Header;
    std::memcpy(H.e_ident, ELF::ElfMagic, 4);
    H.e_ident[ELF::EI_CLASS] = ELF::ELFCLASS64;
    H.e_ident[ELF::EI_DATA] = ELF::ELFDATA2LSB;
    H.e_ident[ELF::EI_VERSION] = ELF::EV_CURRENT;
    H.e_type = ELF::ET_REL;
    H.e_machine = ELF::EM_X86_64;
    H.e_version = ELF::EV_CURRENT;
    H.e_shoff = offsetof(EmptyObject, Sections);
    H.e_ehsize = sizeof(ELFT::Ehdr);
    H.e_shentsize = sizeof(ELFT::Shdr);
    H.e_shnum = 2;
    H.e_shstrndx = 1;
    std::memcpy(O.Names, "\0.shstrtab", 11);
    ELFT::Shdr &Names = O.Sections[1];
    Names.sh_name = 1;
    Names.sh_type = ELF::SHT_STRTAB;
    Names.sh_offset = offsetof(EmptyObject, Names);
    Names.sh_size = 11;
    Names.sh_addralign = 1;
    return O;
  }();
  return Obj;
}

/// Makes the debugger drop every breakpoint location it still keeps in
/// objects unregistered before this call, while their code is still mapped:
/// registers and unregisters an empty object (a symbol file added is what
/// makes gdb re-resolve breakpoints; one removed is not). DescriptorLock held.
void flushDebuggerBreakpoints() {
  static jit_code_entry Flush;
  Flush.symfile_addr = reinterpret_cast<const char *>(&emptyObject());
  Flush.symfile_size = sizeof(EmptyObject);
  notifyRegistered(Flush);
  notifyUnregistered(Flush);
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
    notifyRegistered(Entry);
    InList = true;
  }

  /// Unregisters every object of \p Objs still in the list, then makes the
  /// debugger forget their breakpoint locations: on return their code may be
  /// unmapped and its addresses reused.
  static void unregisterFromDebugger(ArrayRef<DebugObject *> Objs) {
    std::lock_guard<std::mutex> L(DescriptorLock);
    bool Any = false;
    for (DebugObject *Obj : Objs)
      if (Obj->InList) {
        notifyUnregistered(Obj->Entry);
        Obj->InList = false;
        Any = true;
      }
    if (Any)
      flushDebuggerBreakpoints();
  }

  ~DebugObject() {
    if (InList)
      unregisterFromDebugger(this);
  }

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
      jitlink::Section *S = Name->empty() ? nullptr : G.findSectionByName(*Name);
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

void GdbJitPlugin::notifyMaterializing(MaterializationResponsibility &MR, jitlink::LinkGraph &G,
                                       jitlink::JITLinkContext &, MemoryBufferRef InputObject) {
  if (!G.getTargetTriple().isOSBinFormatELF() || !hasDebugInfo(InputObject.getBuffer()))
    return;
  auto Obj = std::make_unique<DebugObject>();
  Obj->Size = InputObject.getBufferSize();
  Obj->Bytes.reset(new char[Obj->Size]);
  std::memcpy(Obj->Bytes.get(), InputObject.getBufferStart(), Obj->Size);
  std::lock_guard<std::mutex> L(Lock);
  Pending[&MR] = std::move(Obj);
}

void GdbJitPlugin::modifyPassConfig(MaterializationResponsibility &MR, jitlink::LinkGraph &,
                                    jitlink::PassConfiguration &Config) {
  {
    std::lock_guard<std::mutex> L(Lock);
    if (!Pending.count(&MR))
      return;
  }
  Config.PostAllocationPasses.push_back([this, &MR](jitlink::LinkGraph &G) -> Error {
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
  // Before ORC frees the code: see flushDebuggerBreakpoints.
  std::vector<DebugObject *> Objs;
  for (const std::unique_ptr<DebugObject> &Obj : Gone)
    Objs.push_back(Obj.get());
  DebugObject::unregisterFromDebugger(Objs);
  return Error::success();
}

void GdbJitPlugin::notifyTransferringResources(JITDylib &, ResourceKey Dst, ResourceKey Src) {
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
