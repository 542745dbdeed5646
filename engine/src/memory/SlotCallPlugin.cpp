// Calls that read the callee's slot in the caller (see SlotCallPlugin.h).
#include "memory/SlotCallPlugin.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/JITLink/x86_64.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instructions.h"

#include <cstring>
#include <limits>
#include <vector>

using namespace llvm;
using namespace llvm::jitlink;

namespace hotjit {

namespace {
/// The section of the cells that hold callees' addresses.
constexpr StringLiteral CellSection = "__hotjit_slot_cells";

bool routable(const Function &F) {
  // returns_twice (setjmp) stays a direct call: code generation looks for it
  // on the callee.
  return F.isDeclaration() && !F.isIntrinsic() && !F.hasExternalWeakLinkage() &&
         !F.hasFnAttribute(Attribute::ReturnsTwice) && !F.getName().starts_with(SlotPointerPrefix);
}

/// Gives each "__hotjit.slot.f" a cell holding f's address and points the
/// code's references at the cell.
Error addCells(LinkGraph &G) {
  DenseMap<Symbol *, StringRef> Pointers; // "__hotjit.slot.f" -> "f"
  for (Symbol *S : G.external_symbols())
    if (S->hasName() && (*S->getName()).starts_with(SlotPointerPrefix))
      Pointers[S] = (*S->getName()).drop_front(SlotPointerPrefix.size());
  if (Pointers.empty())
    return Error::success();
  StringMap<Symbol *> Callees;
  for (auto &[Ptr, Name] : Pointers)
    Callees[Name] = nullptr;
  auto note = [&](Symbol *S) {
    if (S->hasName())
      if (auto It = Callees.find(*S->getName()); It != Callees.end() && !It->second)
        It->second = S;
  };
  for (Symbol *S : G.defined_symbols())
    note(S);
  for (Symbol *S : G.external_symbols())
    note(S);
  for (Symbol *S : G.absolute_symbols())
    note(S);
  Section &Sec = G.createSection(CellSection, orc::MemProt::Read);
  DenseMap<Symbol *, Symbol *> CellOf;
  for (auto &[Ptr, Name] : Pointers) {
    Symbol *&Callee = Callees[Name];
    if (!Callee)
      Callee = &G.addExternalSymbol(Name, 0, /*IsWeaklyReferenced=*/false);
    MutableArrayRef<char> Bytes = G.allocateBuffer(8);
    std::memset(Bytes.data(), 0, Bytes.size());
    Block &Cell = G.createMutableContentBlock(Sec, Bytes, orc::ExecutorAddr(), 8, 0);
    Cell.addEdge(x86_64::Pointer64, 0, *Callee, 0);
    CellOf[Ptr] = &G.addAnonymousSymbol(Cell, 0, 8, /*IsCallable=*/false, /*IsLive=*/false);
  }
  for (Block *B : G.blocks())
    for (Edge &E : B->edges())
      if (auto It = CellOf.find(&E.getTarget()); It != CellOf.end())
        E.setTarget(*It->second);
  for (auto &[Ptr, Name] : Pointers)
    G.removeExternalSymbol(*Ptr);
  return Error::success();
}

/// Where a PC-relative edge of \p B would point if it targeted \p Target, if
/// the displacement fits its 32 bits.
bool reaches(const Block &B, const Edge &E, uint64_t Target) {
  if (E.getKind() != x86_64::Delta32 && E.getKind() != x86_64::PCRel32)
    return false;
  int64_t Fixup = static_cast<int64_t>(B.getFixupAddress(E).getValue());
  int64_t Value = static_cast<int64_t>(Target) - Fixup + E.getAddend() -
                  (E.getKind() == x86_64::PCRel32 ? 4 : 0);
  return Value >= std::numeric_limits<int32_t>::min() &&
         Value <= std::numeric_limits<int32_t>::max();
}
} // namespace

void routeCallsThroughSlots(Module &M) {
  PointerType *Ptr = PointerType::getUnqual(M.getContext());
  std::vector<Function *> Callees;
  for (Function &F : M.functions())
    if (routable(F))
      Callees.push_back(&F);
  for (Function *F : Callees) {
    std::vector<CallBase *> Calls;
    for (Use &U : F->uses())
      if (auto *CB = dyn_cast<CallBase>(U.getUser());
          CB && CB->isCallee(&U) && !isa<CallBrInst>(CB))
        Calls.push_back(CB);
    if (Calls.empty())
      continue;
    std::string Name = (SlotPointerPrefix + F->getName()).str();
    GlobalVariable *Slot = M.getGlobalVariable(Name);
    if (!Slot) {
      Slot = new GlobalVariable(M, Ptr, /*isConstant=*/false, GlobalValue::ExternalLinkage, nullptr,
                                Name);
      Slot->setDSOLocal(true); // A RIP-relative load: the plugin keeps it in reach.
      Slot->setAlignment(Align(8));
    }
    for (CallBase *CB : Calls) {
      // Pairs with the release store in StubTable::publish(); an atomic load
      // is never hoisted out of a loop, so every call reads the slot.
      auto *Target = new LoadInst(Ptr, Slot, "", /*isVolatile=*/false, Align(8),
                                  AtomicOrdering::Acquire, SyncScope::System, CB->getIterator());
      Target->setDebugLoc(CB->getDebugLoc());
      // What code generation reads from a direct callee moves to the call.
      if (F->doesNotReturn())
        CB->setDoesNotReturn();
      if (F->doesNotThrow())
        CB->setDoesNotThrow();
      CB->setCalledOperand(Target);
    }
  }
}

void SlotCallPlugin::modifyPassConfig(orc::MaterializationResponsibility &, LinkGraph &G,
                                      PassConfiguration &Config) {
  if (G.getTargetTriple().getArch() != Triple::x86_64)
    return;
  Config.PrePrunePasses.push_back(addCells);
  // Ahead of JITLink's GOT/PLT relaxation, once every address is known.
  Config.PreFixupPasses.insert(Config.PreFixupPasses.begin(), [this](LinkGraph &G) -> Error {
    Section *Sec = G.findSectionByName(CellSection);
    if (!Sec)
      return Error::success();
    DenseMap<Symbol *, uint64_t> SlotOf; // Cell -> the slot that replaces it.
    for (Symbol *Cell : Sec->symbols()) {
      Block &B = Cell->getBlock();
      if (B.edges_size() != 1)
        continue;
      const Edge &E = *B.edges().begin();
      if (const void *Slot = Stubs.slotOfStub(E.getTarget().getAddress().getValue()))
        SlotOf[Cell] = reinterpret_cast<uintptr_t>(Slot);
    }
    for (Block *B : G.blocks())
      for (Edge &E : B->edges())
        if (auto It = SlotOf.find(&E.getTarget());
            It != SlotOf.end() && !reaches(*B, E, It->second))
          SlotOf.erase(It); // One reference out of reach: all keep the cell.
    DenseMap<Symbol *, Symbol *> Absolute;
    for (Block *B : G.blocks())
      for (Edge &E : B->edges()) {
        auto It = SlotOf.find(&E.getTarget());
        if (It == SlotOf.end())
          continue;
        Symbol *&A = Absolute[It->first];
        if (!A) {
          const Edge &ToCallee = *It->first->getBlock().edges().begin();
          A = &G.addAbsoluteSymbol((SlotPointerPrefix + *ToCallee.getTarget().getName()).str(),
                                   orc::ExecutorAddr(It->second), 8, Linkage::Strong, Scope::Local,
                                   /*IsLive=*/false);
        }
        E.setTarget(*A);
      }
    return Error::success();
  });
}

} // namespace hotjit
