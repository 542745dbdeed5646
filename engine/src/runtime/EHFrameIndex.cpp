// The JIT eh-frame index and the interposed _Unwind_Find_FDE (protocol in
// EHFrameIndex.h).
#include "runtime/EHFrameIndex.h"

#include "Mutations.h"

#include "hotjit/concurrency/EpochDomain.h"
#include "hotjit/concurrency/EpochGuard.h"
#include "hotjit/engine/Errors.h"

#include "llvm/ExecutionEngine/Orc/Shared/WrapperFunctionUtils.h"

#include <algorithm>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <unwind.h>
#include <vector>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {
/// libgcc's struct dwarf_eh_bases (unwind-dw2-fde.h).
struct DwarfEhBases {
  void *TBase;
  void *DBase;
  void *Func;
};
} // namespace hotjit

using hotjit::DwarfEhBases;

namespace {

using FindFDEFn = const void *(*)(void *, DwarfEhBases *);

/// The index, once created; read by the interposer before it exists.
std::atomic<hotjit::EHFrameIndex *> TheIndex{nullptr};
/// libgcc's own _Unwind_Find_FDE; resolved at first need.
std::atomic<FindFDEFn> Original{nullptr};
/// Calls of the interposer on this thread (the liveness probe counts them).
constinit thread_local unsigned ProbeCalls = 0;

} // namespace

extern "C" [[gnu::visibility("default")]] const void *_Unwind_Find_FDE(void *PC,
                                                                       DwarfEhBases *Bases);

namespace {

FindFDEFn original() {
  // Relaxed: the resolved value is the same whichever thread resolves it.
  FindFDEFn F = Original.load(std::memory_order_relaxed);
  if (F)
    return F;
  void *P = ::dlvsym(RTLD_NEXT, "_Unwind_Find_FDE", "GCC_3.0");
  if (!P)
    P = ::dlsym(RTLD_NEXT, "_Unwind_Find_FDE");
  if (!P || P == reinterpret_cast<void *>(&_Unwind_Find_FDE))
    return nullptr;
  F = reinterpret_cast<FindFDEFn>(P);
  Original.store(F, std::memory_order_relaxed);
  return F;
}

_Unwind_Reason_Code countFrame(_Unwind_Context *, void *) { return _URC_NO_REASON; }

/// True if libgcc's unwinder reaches our _Unwind_Find_FDE.
bool probeInterposition() {
  if (!original())
    return false;
  if (::dlsym(RTLD_DEFAULT, "_Unwind_Find_FDE") != reinterpret_cast<void *>(&_Unwind_Find_FDE))
    return false;
  ProbeCalls = 0;
  _Unwind_Backtrace(countFrame, nullptr);
  return ProbeCalls != 0;
}

} // namespace

extern "C" [[gnu::visibility("default")]] const void *_Unwind_Find_FDE(void *PC,
                                                                       DwarfEhBases *Bases) {
  ++ProbeCalls;
  // Acquire: pairs with the release store that publishes the index.
  if (hotjit::EHFrameIndex *I =
          hotjit::mutation::EhIndexBlind ? nullptr : TheIndex.load(std::memory_order_acquire)) {
    uintptr_t Begin;
    if (const uint8_t *FDE = I->find(reinterpret_cast<uintptr_t>(PC), Begin)) {
      // Every pointer encoding LLVM emits for x86-64 JIT code is pc-relative
      // or absolute: the text and data bases are never consulted.
      Bases->TBase = nullptr;
      Bases->DBase = nullptr;
      Bases->Func = reinterpret_cast<void *>(Begin);
      return FDE;
    }
  }
  FindFDEFn F = original();
  return F ? F(PC, Bases) : nullptr;
}

namespace hotjit {

// ---- The index -------------------------------------------------------------

namespace {
constexpr unsigned LeafCapacity = 64;

struct FDERef {
  uintptr_t Begin, End;
  const uint8_t *FDE;
};
} // namespace

struct EHFrameIndex::Section {
  const uint8_t *Address;   ///< The .eh_frame section.
  uintptr_t Begin, End;     ///< Hull of its FDEs' PC ranges.
  std::vector<FDERef> FDEs; ///< Sorted by Begin.
};

struct EHFrameIndex::Leaf {
  unsigned Count = 0;
  const Section *Items[LeafCapacity]; ///< Sorted by Begin; disjoint hulls.
};

struct EHFrameIndex::Root {
  struct Entry {
    uintptr_t First; ///< Begin of the leaf's first section.
    const Leaf *L;
  };
  std::vector<Entry> Leaves;
  uintptr_t Lo = 0, Hi = 0; ///< Hull of every section in this root.
};

namespace {

using Section = EHFrameIndex::Section;
using Leaf = EHFrameIndex::Leaf;
using Root = EHFrameIndex::Root;

Error malformed(const uint8_t *At, const Twine &Why) {
  return makeError(ErrorKind::Link, ("eh-frame index: malformed .eh_frame at " +
                                     Twine::utohexstr(reinterpret_cast<uintptr_t>(At)) + ": " + Why)
                                        .str());
}

/// A cursor over one record; every read is bounds-checked.
struct Reader {
  const uint8_t *P, *End;
  bool Bad = false;

  template <typename T> T fixed() {
    if (End - P < static_cast<ptrdiff_t>(sizeof(T))) {
      Bad = true;
      return T();
    }
    T V;
    std::memcpy(&V, P, sizeof(T));
    P += sizeof(T);
    return V;
  }
  uint64_t uleb() {
    uint64_t V = 0;
    for (unsigned Shift = 0;; Shift += 7) {
      if (P >= End || Shift > 63) {
        Bad = true;
        return 0;
      }
      uint8_t B = *P++;
      V |= uint64_t(B & 0x7f) << Shift;
      if (!(B & 0x80))
        return V;
    }
  }
  int64_t sleb() {
    int64_t V = 0;
    unsigned Shift = 0;
    uint8_t B;
    do {
      if (P >= End || Shift > 63) {
        Bad = true;
        return 0;
      }
      B = *P++;
      V |= int64_t(B & 0x7f) << Shift;
      Shift += 7;
    } while (B & 0x80);
    if (Shift < 64 && (B & 0x40))
      V |= -(int64_t(1) << Shift);
    return V;
  }
  /// Reads a DW_EH_PE-encoded value (absolute or pc-relative application).
  bool encoded(uint8_t Enc, uintptr_t &Out) {
    if (Enc == 0xff) { // DW_EH_PE_omit
      Out = 0;
      return true;
    }
    const uint8_t *At = P;
    uint64_t V;
    switch (Enc & 0x0f) {
    case 0x00: // absptr
    case 0x04: // udata8
    case 0x0c: // sdata8
      V = fixed<uint64_t>();
      break;
    case 0x01: // uleb128
      V = uleb();
      break;
    case 0x02: // udata2
      V = fixed<uint16_t>();
      break;
    case 0x03: // udata4
      V = fixed<uint32_t>();
      break;
    case 0x09: // sleb128
      V = static_cast<uint64_t>(sleb());
      break;
    case 0x0a: // sdata2
      V = static_cast<uint64_t>(fixed<int16_t>());
      break;
    case 0x0b: // sdata4
      V = static_cast<uint64_t>(fixed<int32_t>());
      break;
    default:
      return false;
    }
    switch (Enc & 0x70) {
    case 0x00: // absolute
      break;
    case 0x10: // pcrel
      V += reinterpret_cast<uintptr_t>(At);
      break;
    default: // textrel, datarel, funcrel, aligned: LLVM never emits them here
      return false;
    }
    Out = static_cast<uintptr_t>(V);
    return !Bad;
  }
};

/// The FDE pointer encoding that CIE \p CIE declares ('R' augmentation).
Expected<uint8_t> fdeEncoding(const uint8_t *CIE, const uint8_t *SectionEnd) {
  Reader R{CIE, SectionEnd};
  uint32_t Length = R.fixed<uint32_t>();
  if (R.Bad || Length == 0 || Length == 0xffffffff ||
      Length > static_cast<uint64_t>(SectionEnd - R.P))
    return malformed(CIE, "bad CIE length");
  R.End = R.P + Length;
  if (R.fixed<uint32_t>() != 0)
    return malformed(CIE, "FDE points at a non-CIE record");
  uint8_t Version = R.fixed<uint8_t>();
  const char *Aug = reinterpret_cast<const char *>(R.P);
  size_t AugLen = strnlen(Aug, R.End - R.P);
  if (AugLen == static_cast<size_t>(R.End - R.P))
    return malformed(CIE, "unterminated augmentation");
  R.P += AugLen + 1;
  StringRef Augmentation(Aug, AugLen);
  if (Augmentation.contains("eh"))
    return malformed(CIE, "obsolete 'eh' augmentation");
  R.uleb(); // code alignment
  R.sleb(); // data alignment
  if (Version == 1)
    R.fixed<uint8_t>(); // return register
  else
    R.uleb();
  if (!Augmentation.starts_with("z"))
    return uint8_t(0x00); // absptr
  R.uleb();               // augmentation data length
  for (char C : Augmentation.drop_front()) {
    switch (C) {
    case 'R':
      return R.Bad ? malformed(CIE, "truncated CIE") : Expected<uint8_t>(R.fixed<uint8_t>());
    case 'L':
      R.fixed<uint8_t>();
      break;
    case 'P': {
      uint8_t Enc = R.fixed<uint8_t>();
      uintptr_t Ignored;
      if (!R.encoded(Enc & 0x7f, Ignored))
        return malformed(CIE, "unsupported personality encoding");
      break;
    }
    case 'S':
    case 'B':
      break;
    default:
      return malformed(CIE, "unknown augmentation '" + Augmentation + "'");
    }
    if (R.Bad)
      return malformed(CIE, "truncated CIE");
  }
  return uint8_t(0x00);
}

/// Parses every FDE of an .eh_frame section into a Section.
Expected<std::unique_ptr<Section>> parseSection(const uint8_t *Start, size_t Size) {
  auto S = std::make_unique<Section>();
  S->Address = Start;
  const uint8_t *End = Start + Size;
  std::map<const uint8_t *, uint8_t> Encodings; // CIE -> FDE pointer encoding
  for (const uint8_t *P = Start; End - P >= 4;) {
    Reader R{P, End};
    uint32_t Length = R.fixed<uint32_t>();
    if (Length == 0)
      break; // terminator
    if (Length == 0xffffffff)
      return malformed(P, "64-bit DWARF records are not supported");
    if (Length > static_cast<uint64_t>(End - R.P) || Length < 4)
      return malformed(P, "record overruns the section");
    const uint8_t *Next = R.P + Length;
    R.End = Next;
    const uint8_t *IdField = R.P;
    uint32_t Id = R.fixed<uint32_t>();
    if (Id != 0) { // an FDE; Id is the distance back to its CIE
      const uint8_t *CIE = IdField - Id;
      if (CIE < Start || CIE >= End)
        return malformed(P, "FDE's CIE lies outside the section");
      auto Enc = Encodings.find(CIE);
      if (Enc == Encodings.end()) {
        auto E = fdeEncoding(CIE, End);
        if (!E)
          return E.takeError();
        Enc = Encodings.emplace(CIE, *E).first;
      }
      uintptr_t Begin, Range;
      if (!R.encoded(Enc->second, Begin) || !R.encoded(Enc->second & 0x0f, Range))
        return malformed(P, "unsupported FDE pointer encoding");
      if (Range != 0)
        S->FDEs.push_back({Begin, Begin + Range, P});
    }
    P = Next;
  }
  llvm::sort(S->FDEs, [](const FDERef &A, const FDERef &B) { return A.Begin < B.Begin; });
  for (size_t I = 1; I < S->FDEs.size(); ++I)
    if (S->FDEs[I].Begin < S->FDEs[I - 1].End)
      return malformed(Start, "overlapping FDEs");
  if (!S->FDEs.empty()) {
    S->Begin = S->FDEs.front().Begin;
    S->End = S->FDEs.back().End;
  }
  return std::move(S);
}

/// Index of the last leaf whose first section begins at or below \p PC (0 if
/// none does).
size_t leafFor(const Root &R, uintptr_t PC) {
  auto It = std::upper_bound(R.Leaves.begin(), R.Leaves.end(), PC,
                             [](uintptr_t A, const Root::Entry &E) { return A < E.First; });
  return It == R.Leaves.begin() ? 0 : size_t(It - R.Leaves.begin()) - 1;
}

const Leaf *makeLeaf(const std::vector<const Section *> &Items, size_t From, size_t To) {
  auto *L = new Leaf;
  L->Count = static_cast<unsigned>(To - From);
  std::copy(Items.begin() + From, Items.begin() + To, L->Items);
  return L;
}

Root *finish(Root *R) {
  if (!R->Leaves.empty()) {
    R->Lo = R->Leaves.front().First;
    const Leaf *Last = R->Leaves.back().L;
    R->Hi = Last->Items[Last->Count - 1]->End;
  }
  return R;
}

/// Memory that readers may still hold, freed after a grace period.
struct Garbage {
  const Root *R = nullptr;
  const Leaf *L[2] = {nullptr, nullptr};
  const Section *S = nullptr;
};

} // namespace

EHFrameIndex::EHFrameIndex() : Live(probeInterposition()) {
  EpochDomainOptions O;
  // Index garbage is small: batch it for 10 ms, so a swap storm costs few
  // extra grace periods (each interrupts every running thread once).
  O.ReclaimDelay = std::chrono::milliseconds(10);
  Domain = std::make_unique<EpochDomain>(std::move(O));
}

EHFrameIndex &EHFrameIndex::instance() {
  static EHFrameIndex *I = [] {
    auto *New = new EHFrameIndex();
    // Release: pairs with the interposer's acquire load.
    TheIndex.store(New, std::memory_order_release);
    return New;
  }();
  return *I;
}

const uint8_t *EHFrameIndex::find(uintptr_t PC, uintptr_t &Begin) const noexcept {
  // Acquire: pairs with the release stores that widen the hull.
  if (PC < HullLo.load(std::memory_order_acquire) || PC >= HullHi.load(std::memory_order_acquire))
    return nullptr;
  EpochGuard G(*Domain);
  // Acquire: pairs with the writers' release store of the root.
  const Root *R = Current.load(std::memory_order_acquire);
  if (!R || PC < R->Lo || PC >= R->Hi)
    return nullptr;
  const Leaf *L = R->Leaves[leafFor(*R, PC)].L;
  const Section *const *It =
      std::upper_bound(L->Items, L->Items + L->Count, PC,
                       [](uintptr_t A, const Section *S) { return A < S->Begin; });
  if (It == L->Items)
    return nullptr;
  const Section *S = *(It - 1);
  if (PC >= S->End)
    return nullptr;
  auto F = std::upper_bound(S->FDEs.begin(), S->FDEs.end(), PC,
                            [](uintptr_t A, const FDERef &E) { return A < E.Begin; });
  if (F == S->FDEs.begin() || PC >= (F - 1)->End)
    return nullptr;
  Begin = (F - 1)->Begin;
  return (F - 1)->FDE;
}

Error EHFrameIndex::add(const uint8_t *Address, size_t Size) {
  auto Parsed = parseSection(Address, Size);
  if (!Parsed)
    return Parsed.takeError();
  std::unique_ptr<Section> S = std::move(*Parsed);
  std::lock_guard<std::mutex> Lock(WriteLock);
  if (ByAddress.count(Address))
    return makeError(ErrorKind::Link, "eh-frame index: section added twice");
  if (S->FDEs.empty()) { // Nothing to find; remember it for remove().
    ByAddress[Address] = S.release();
    return Error::success();
  }

  // Relaxed loads: only writers store, under WriteLock.
  const Root *Old = Current.load(std::memory_order_relaxed);
  auto *New = new Root;
  Garbage G;
  G.R = Old;
  if (!Old || Old->Leaves.empty()) {
    New->Leaves.push_back({S->Begin, makeLeaf({S.get()}, 0, 1)});
  } else {
    size_t I = leafFor(*Old, S->Begin);
    const Leaf *L = Old->Leaves[I].L;
    std::vector<const Section *> Items(L->Items, L->Items + L->Count);
    auto Pos = std::upper_bound(Items.begin(), Items.end(), S->Begin,
                                [](uintptr_t A, const Section *E) { return A < E->Begin; });
    const Section *Prev = Pos != Items.begin() ? *(Pos - 1)
                          : I > 0 ? Old->Leaves[I - 1].L->Items[Old->Leaves[I - 1].L->Count - 1]
                                  : nullptr;
    const Section *Next = Pos != Items.end()           ? *Pos
                          : I + 1 < Old->Leaves.size() ? Old->Leaves[I + 1].L->Items[0]
                                                       : nullptr;
    if ((Prev && Prev->End > S->Begin) || (Next && S->End > Next->Begin)) {
      delete New;
      return makeError(ErrorKind::Link,
                       "eh-frame index: code of a new module overlaps a registered one");
    }
    Items.insert(Pos, S.get());
    New->Leaves = Old->Leaves;
    G.L[0] = L;
    if (Items.size() <= LeafCapacity) {
      New->Leaves[I] = {Items.front()->Begin, makeLeaf(Items, 0, Items.size())};
    } else {
      // Modules are mapped at falling (or rising) addresses, so most inserts
      // land at one end of the outermost leaf: split off just the new
      // section there, which keeps leaves full; split in half elsewhere.
      size_t Half = Items.size() / 2;
      if (I == 0 && Items.front() == S.get())
        Half = 1;
      else if (I + 1 == Old->Leaves.size() && Items.back() == S.get())
        Half = Items.size() - 1;
      New->Leaves[I] = {Items.front()->Begin, makeLeaf(Items, 0, Half)};
      New->Leaves.insert(New->Leaves.begin() + I + 1,
                         {Items[Half]->Begin, makeLeaf(Items, Half, Items.size())});
    }
  }
  // Widen the hull before the root that needs it becomes visible. Release:
  // pairs with find()'s acquire loads.
  if (S->Begin < HullLo.load(std::memory_order_relaxed))
    HullLo.store(S->Begin, std::memory_order_release);
  if (S->End > HullHi.load(std::memory_order_relaxed))
    HullHi.store(S->End, std::memory_order_release);
  ByAddress[Address] = S.release();
  // Release: pairs with find()'s acquire load.
  Current.store(finish(New), std::memory_order_release);
  if (G.R)
    Domain->retire([G] {
      delete G.R;
      delete G.L[0];
    });
  return Error::success();
}

Error EHFrameIndex::remove(const uint8_t *Address) {
  std::lock_guard<std::mutex> Lock(WriteLock);
  auto Found = ByAddress.find(Address);
  if (Found == ByAddress.end())
    return makeError(ErrorKind::Link, "eh-frame index: removing an unknown section");
  const Section *S = Found->second;
  ByAddress.erase(Found);
  if (S->FDEs.empty()) { // Never visible to readers.
    delete S;
    return Error::success();
  }

  // Relaxed: only writers store, under WriteLock.
  const Root *Old = Current.load(std::memory_order_relaxed);
  size_t I = leafFor(*Old, S->Begin);
  const Leaf *L = Old->Leaves[I].L;
  std::vector<const Section *> Items(L->Items, L->Items + L->Count);
  auto Pos = std::find(Items.begin(), Items.end(), S);
  if (Pos == Items.end())
    return makeError(ErrorKind::Link, "eh-frame index: section not in its leaf");
  Items.erase(Pos);

  Garbage G;
  G.R = Old;
  G.L[0] = L;
  G.S = S;
  auto *New = new Root;
  New->Leaves = Old->Leaves;
  if (Items.empty()) {
    New->Leaves.erase(New->Leaves.begin() + I);
  } else {
    // Merge an underfull leaf into a neighbour when both fit in one, so the
    // root stays within about 4 N / LeafCapacity entries.
    size_t J = I + 1 < New->Leaves.size() ? I + 1 : I - 1;
    if (Items.size() < LeafCapacity / 4 && New->Leaves.size() > 1 &&
        Items.size() + New->Leaves[J].L->Count <= LeafCapacity) {
      const Leaf *N = New->Leaves[J].L;
      std::vector<const Section *> Merged;
      if (J > I) {
        Merged = Items;
        Merged.insert(Merged.end(), N->Items, N->Items + N->Count);
      } else {
        Merged.assign(N->Items, N->Items + N->Count);
        Merged.insert(Merged.end(), Items.begin(), Items.end());
      }
      size_t Lo = std::min(I, J);
      New->Leaves[Lo] = {Merged.front()->Begin, makeLeaf(Merged, 0, Merged.size())};
      New->Leaves.erase(New->Leaves.begin() + Lo + 1);
      G.L[1] = N;
    } else {
      New->Leaves[I] = {Items.front()->Begin, makeLeaf(Items, 0, Items.size())};
    }
  }
  // Release: pairs with find()'s acquire load.
  Current.store(finish(New), std::memory_order_release);
  Domain->retire([G] {
    delete G.R;
    delete G.L[0];
    delete G.L[1];
    delete G.S;
  });
  return Error::success();
}

size_t EHFrameIndex::sections() const {
  std::lock_guard<std::mutex> Lock(WriteLock);
  return ByAddress.size();
}

// ---- Allocation actions ----------------------------------------------------

namespace {

using namespace llvm::orc::shared;

CWrapperFunctionBuffer addEHFrameAction(const char *ArgData, size_t ArgSize) {
  return WrapperFunction<SPSError(SPSExecutorAddrRange)>::handle(
             ArgData, ArgSize,
             [](const ExecutorAddrRange &R) -> Error {
               return EHFrameIndex::instance().add(R.Start.toPtr<const uint8_t *>(), R.size());
             })
      .release();
}

CWrapperFunctionBuffer removeEHFrameAction(const char *ArgData, size_t ArgSize) {
  return WrapperFunction<SPSError(SPSExecutorAddrRange)>::handle(
             ArgData, ArgSize,
             [](const ExecutorAddrRange &R) -> Error {
               return EHFrameIndex::instance().remove(R.Start.toPtr<const uint8_t *>());
             })
      .release();
}

} // namespace

ExecutorAddr EHFrameIndex::addAction() { return ExecutorAddr::fromPtr(&addEHFrameAction); }
ExecutorAddr EHFrameIndex::removeAction() { return ExecutorAddr::fromPtr(&removeEHFrameAction); }

} // namespace hotjit
