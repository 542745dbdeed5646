#include "rewrite/OldState.h"

#include "Mutations.h"
#include "rewrite/ModuleRewriter.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StableHashing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/StructuralHash.h"

#include <cstring>

using namespace llvm;

namespace hotjit {
namespace {

constexpr StringLiteral StateTag = " state ";

/// The symbol's own name: past the engine's prefix for promoted statics
/// ("__hotjit.local.<length>.<module>.<name>").
StringRef ownName(StringRef Name) {
  if (!Name.consume_front("__hotjit.local."))
    return Name;
  auto [Length, Rest] = Name.split('.');
  size_t N = 0;
  if (Length.getAsInteger(10, N) || Rest.size() < N + 1)
    return Name;
  return Rest.drop_front(N + 1);
}

/// Digests of functions by identity, computed once per module walk.
class CodeDigests {
public:
  uint64_t of(const Function &F) {
    if (auto It = Done.find(&F); It != Done.end())
      return It->second;
    Done[&F] = 0; // A cycle contributes its members' own hashes only.
    SmallVector<stable_hash, 16> Parts{StructuralHash(F, /*DetailedHash=*/true)};
    SmallPtrSet<const Constant *, 16> Seen;
    for (const Instruction &I : instructions(F))
      for (const Value *Op : I.operands())
        if (auto *C = dyn_cast<Constant>(Op))
          reach(C, Parts, Seen);
    uint64_t D = stable_hash_combine(Parts);
    Done[&F] = D;
    return D;
  }

private:
  /// Adds what constant \p C refers to in the module: the digests of
  /// functions it defines, the contents of its local constants.
  void reach(const Constant *C, SmallVectorImpl<stable_hash> &Parts,
             SmallPtrSetImpl<const Constant *> &Seen) {
    if (!Seen.insert(C).second)
      return;
    if (auto *F = dyn_cast<Function>(C)) {
      if (!F->isDeclaration())
        Parts.push_back(of(*F));
      return;
    }
    if (auto *GV = dyn_cast<GlobalVariable>(C)) {
      if (GV->hasLocalLinkage() && GV->isConstant() && GV->hasInitializer())
        reach(GV->getInitializer(), Parts, Seen), Parts.push_back(StructuralHash(*GV));
      return;
    }
    if (isa<GlobalValue>(C))
      return;
    for (const Use &U : C->operands())
      if (auto *Inner = dyn_cast<Constant>(U.get()))
        reach(Inner, Parts, Seen);
  }

  DenseMap<const Function *, uint64_t> Done;
};

} // namespace

bool isStateBound(StringRef Name) {
  if constexpr (mutation::ClosureIdentityByName)
    return false;
  Name = ownName(Name);
  // Split coroutines (CoroSplit names the clones of `f` "f.resume" and so on).
  for (StringRef Clone : {".resume", ".destroy", ".cleanup"})
    if (Name.ends_with(Clone))
      return true;
  // Blocks, and clang's names for unnamed local types ("$_0").
  if (Name.contains("_block_invoke") || Name.contains("$_"))
    return true;
  // Itanium lambdas: the demangler spells their closure types 'lambda'(...).
  std::string Demangled = demangle(Name);
  return StringRef(Demangled).contains("'lambda");
}

StringMap<std::string> stateIdentities(const Module &M) {
  StringMap<std::string> Out;
  CodeDigests Digests;
  for (const Function &F : M.functions())
    if (!F.isDeclaration() && isStateBound(F.getName()))
      Out[F.getName()] =
          (StateTag + utohexstr(Digests.of(F), /*LowerCase=*/true, /*Width=*/16)).str();
  return Out;
}

StringRef signatureOf(StringRef Type) { return Type.split(StateTag).first; }

StringMap<uint64_t> constructorDigests(const Module &M) {
  StringMap<uint64_t> Out;
  const GlobalVariable *Ctors = M.getNamedGlobal("llvm.global_ctors");
  if (!Ctors || !Ctors->hasInitializer())
    return Out;
  CodeDigests Digests;
  for (const Use &Entry : Ctors->getInitializer()->operands())
    if (auto *S = dyn_cast<ConstantStruct>(Entry.get()); S && S->getNumOperands() >= 2)
      if (auto *F = dyn_cast<Function>(S->getOperand(1)->stripPointerCasts()))
        Out[F->getName()] = Digests.of(*F);
  return Out;
}

bool isAbiTable(const GlobalVariable &GV) {
  StringRef Name = GV.getName();
  // A table of a class with internal linkage, named for the module (normalize()).
  if (Name.consume_front("__hotjit.const.")) {
    auto [Length, Rest] = Name.split('.');
    size_t N = 0;
    if (Length.getAsInteger(10, N) || Rest.size() < N + 1 ||
        !Rest.drop_front(N + 1).starts_with("table."))
      return false;
    Name = Rest.drop_front(N + 1 + strlen("table."));
  }
  for (StringRef Prefix : {"_ZTV", "_ZTT", "_ZTI", "_ZTC"})
    if (Name.starts_with(Prefix))
      return true;
  return false;
}

namespace {

/// Whether \p C refers to a global variable of the module's own (local
/// linkage): storage that goes with its version.
bool refersToLocalData(const Constant *C, SmallPtrSetImpl<const Constant *> &Seen) {
  if (!Seen.insert(C).second)
    return false;
  if (auto *GV = dyn_cast<GlobalVariable>(C))
    return GV->hasLocalLinkage();
  if (isa<GlobalValue>(C))
    return false;
  for (const Use &U : C->operands())
    if (auto *Inner = dyn_cast<Constant>(U.get()); Inner && refersToLocalData(Inner, Seen))
      return true;
  return false;
}

} // namespace

std::vector<TableImage> addTableImages(Module &M, StringRef ModuleName, uint64_t Version,
                                       function_ref<bool(StringRef)> Exists) {
  std::vector<TableImage> Out;
  if constexpr (mutation::AbiTablesNotRewritten)
    return Out;
  std::vector<GlobalVariable *> Tables;
  for (GlobalVariable &GV : M.globals())
    if (isAbiTable(GV) && GV.hasInitializer() && !GV.hasLocalLinkage() && !GV.isThreadLocal() &&
        Exists(GV.getName()))
      Tables.push_back(&GV);
  for (GlobalVariable *GV : Tables) {
    SmallPtrSet<const Constant *, 16> Seen;
    if (refersToLocalData(GV->getInitializer(), Seen))
      continue;
    std::string Symbol =
        implementationName(engineName("image", ModuleName, GV->getName()), Version);
    auto *Image = new GlobalVariable(M, GV->getValueType(), /*isConstant=*/true,
                                     GlobalValue::ExternalLinkage, GV->getInitializer(), Symbol);
    Image->setAlignment(GV->getAlign());
    Out.push_back({GV->getName().str(), std::move(Symbol),
                   M.getDataLayout().getTypeAllocSize(GV->getValueType()).getFixedValue()});
  }
  return Out;
}

bool isTableImage(StringRef Name) { return Name.starts_with("__hotjit.image."); }

} // namespace hotjit
