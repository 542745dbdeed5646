//===- EHFrameIndex.h - Lock-free index of JIT eh-frames --------*- C++ -*-===//
//
// PROTOCOL
//
// Why. Debian 12's libgcc keeps every __register_frame object in one list
// behind a global mutex, and its _Unwind_Find_FDE walks that list for every
// frame of every C++ throw in the process: with 10000 live JIT modules a
// host-only throw cost 324 us instead of 0.8 us, and deregistering a module
// registered early cost 206 us. hotjit keeps JIT eh-frames out of libgcc.
//
// Mechanism. libgcc's unwinder (uw_frame_state_for, _Unwind_Find_FDE@plt in
// libgcc_s.so.1) reaches _Unwind_Find_FDE through its PLT, so the definition
// that this file exports from the host executable (hotjit::engine links with
// --export-dynamic-symbol=_Unwind_Find_FDE) answers every FDE lookup of the
// process. It answers PCs inside registered JIT code from this index and
// forwards every other PC to libgcc's own _Unwind_Find_FDE (dlvsym RTLD_NEXT),
// whose fast path (_dl_find_object) stays lock-free as long as nobody calls
// __register_frame. EHFrameIndex::instance() checks once that the
// interposition is live (our definition is the global one and a probe
// _Unwind_Backtrace goes through it); when it is not, engines register with
// libgcc as before (ORC's EHFrameRegistrationPlugin).
//
// Structure. One immutable Section per registered .eh_frame (one per linked
// module): its FDEs sorted by PC. Sections have disjoint PC hulls and sit,
// sorted, in leaves of at most 64; a root lists the leaves. A lookup is three
// binary searches, O(log N). An update copies the root (16 bytes per leaf)
// and one or two leaves, and publishes the new root with one release store:
// copy-on-write RCU, O(N / 64) bytes copied per update.
//
// Who writes, who reads. Writers are JITLink allocation actions: the finalize
// action of a module adds its section before its code can run; the dealloc
// action removes it when ResourceTracker::remove frees the module (the engine's
// reclaimer, after every thread has left the code). Writers serialise on a
// mutex that readers never take. Readers are unwinders on any thread, at any
// time (host-only throws included): they pin this index's own EpochDomain,
// load the root (acquire; pairs with the writer's release store) and search.
// Replaced roots, leaves and removed Sections are retired into that domain and
// freed after a grace period, so a reader never sees freed index memory.
// The FDE bytes themselves live in JIT memory: a reader dereferences them only
// for a PC inside the code they describe, i.e. for a frame of that code, which
// the engine's own epoch keeps mapped (a thread unwinding through JIT frames is
// still inside the EpochGuard of the call that entered them). A PC outside the
// hull of every section ever registered (a relaxed, only-widening range) skips
// the pin altogether.
//
// Cost (bench/ThrowBench.cpp, CPU time, medians of 3; 10 / 100 / 1000 /
// 10000 live uwtable modules): a host-only throw 0.79 / 0.77 / 0.78 / 0.79 us
// (libgcc's registry: 0.86 / 1.83 / 25 / 889 us); a throw through two JIT
// frames 1.24 / 1.24 / 1.27 / 1.28 us (libgcc: 1.45 us / 2.9 us / 38 us /
// 1.3 ms). Per FDE lookup: two compares and a tail call for a host PC; a pin
// (about 1 ns) and three binary searches for a JIT PC. Removing a section:
// 0.3 us at 10 and 1.7 us at 10000 sections (root copy and cache misses).
//
// Limitations. Needs the host executable to export _Unwind_Find_FDE (the
// hotjit::engine target arranges it) and libgcc_s as the unwinder; a program
// linked with -static-libgcc, or hotjit embedded in a shared library, gets the
// libgcc registry instead (isLive() is false). Lookups from a signal handler
// that interrupted a writer are as safe as libgcc's own (both are not
// async-signal-safe in general).
//
//===----------------------------------------------------------------------===//

#ifndef HOTJIT_ENGINE_SRC_EHFRAMEINDEX_H
#define HOTJIT_ENGINE_SRC_EHFRAMEINDEX_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ExecutionEngine/Orc/Shared/ExecutorAddress.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

namespace hotjit {

class EpochDomain;

/// The process-wide index of JIT eh-frame sections that hotjit's
/// _Unwind_Find_FDE answers from. Thread-safe; lookups never block.
class EHFrameIndex {
public:
  /// The index of this process, created on first use and never destroyed
  /// (unwinders may consult it until the process ends).
  static EHFrameIndex &instance();

  /// True when libgcc's unwinder calls hotjit's _Unwind_Find_FDE, so sections
  /// added here are found by every throw (checked once, at creation).
  bool isLive() const { return Live; }

  /// Adds every FDE of the eh-frame section [Section, Section + Size), which
  /// must stay mapped until remove(Section). Fails on a malformed section or
  /// one whose code overlaps a registered section. Blocks other writers only.
  llvm::Error add(const uint8_t *Section, size_t Size);

  /// Removes the section added at \p Section. After it returns, no new lookup
  /// returns its FDEs; the memory it describes may be freed once no thread
  /// runs that code. Blocks other writers only.
  llvm::Error remove(const uint8_t *Section);

  /// The FDE whose PC range holds \p PC, or null; sets \p Begin to the FDE's
  /// initial location. Lock-free; callable from any thread.
  const uint8_t *find(uintptr_t PC, uintptr_t &Begin) const noexcept;

  /// Sections currently registered.
  size_t sections() const;

  /// JITLink allocation actions (SPS signature Error(ExecutorAddrRange)) that
  /// add and remove an eh-frame section: for EHFrameRegistrationPlugin.
  static llvm::orc::ExecutorAddr addAction();
  static llvm::orc::ExecutorAddr removeAction();

  struct Section;
  struct Leaf;
  struct Root;

private:
  EHFrameIndex();
  ~EHFrameIndex() = delete;

  const bool Live;
  /// Readers pin it; retired roots, leaves and sections wait for its GPs.
  std::unique_ptr<EpochDomain> Domain;
  /// Release store by writers (under WriteLock); acquire load by readers.
  std::atomic<const Root *> Current{nullptr};
  /// Hull of every section ever added; only widens. Release stores before
  /// the root that holds the section is published, acquire loads by readers
  /// (a reader whose PC lies in a section reached that code through the
  /// publication of its stub, which follows both stores).
  std::atomic<uintptr_t> HullLo{UINTPTR_MAX}, HullHi{0};

  mutable std::mutex WriteLock;
  llvm::DenseMap<const uint8_t *, const Section *> ByAddress; ///< Under WriteLock.
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_EHFRAMEINDEX_H
