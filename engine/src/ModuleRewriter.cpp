// IR-level preparation of one module (see ModuleRewriter.h).
#include "ModuleRewriter.h"

#include "hotjit/engine/Errors.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <cstdio>
#include <cstring>

using namespace llvm;

namespace hotjit {

std::string typeText(const Type *T) {
  std::string S;
  raw_string_ostream OS(S);
  T->print(OS);
  return S;
}

std::string versionToken(uint64_t Version) {
  if (Version == UINT64_MAX)
    return "__hjvXXXXXXXXXXXXXXXX";
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "__hjv%016llx",
                static_cast<unsigned long long>(Version));
  return Buf;
}

std::string implementationName(StringRef Public, uint64_t Version) {
  return (Public + "." + versionToken(Version)).str();
}

void retagVersion(MutableArrayRef<char> Bytes, uint64_t From, uint64_t To) {
  std::string Old = versionToken(From), New = versionToken(To);
  StringRef Haystack(Bytes.data(), Bytes.size());
  for (size_t Pos = Haystack.find(Old); Pos != StringRef::npos;
       Pos = Haystack.find(Old, Pos + Old.size()))
    std::memcpy(Bytes.data() + Pos, New.data(), New.size());
}

uint64_t taggedVersion(const Module &M) {
  StringRef Id = M.getModuleIdentifier();
  size_t At = Id.rfind("@v");
  uint64_t V = 0;
  if (At == StringRef::npos)
    return 0;
  StringRef Digits = Id.drop_front(At + 2);
  Digits = Digits.take_while([](char C) { return C >= '0' && C <= '9'; });
  return Digits.getAsInteger(10, V) ? 0 : V;
}

void tagVersion(Module &M, StringRef Name, uint64_t Version) {
  M.setModuleIdentifier((Name + "@v" + Twine(Version)).str());
}

namespace {

bool isLLVMReserved(const GlobalValue &GV) {
  return GV.getName().starts_with("llvm.");
}

Error unsupported(StringRef ModuleName, const Twine &What) {
  return makeError(ErrorKind::Unsupported,
                   ("module '" + ModuleName + "': " + What).str());
}

/// Functions reachable from a constant (through constant expressions and
/// aggregates), e.g. the entries of a table of function pointers.
void collectFunctions(const Constant *C, SmallPtrSetImpl<Function *> &Out,
                      SmallPtrSetImpl<const Constant *> &Seen) {
  if (!Seen.insert(C).second)
    return;
  if (auto *F = dyn_cast<Function>(C)) {
    Out.insert(const_cast<Function *>(F));
    return;
  }
  if (isa<GlobalValue>(C))
    return;
  for (const Use &Op : C->operands())
    if (auto *OpC = dyn_cast<Constant>(Op.get()))
      collectFunctions(OpC, Out, Seen);
}

bool isDataGlobal(const GlobalVariable &GV) {
  return GV.hasInitializer() && !GV.hasLocalLinkage() && !isLLVMReserved(GV);
}

} // namespace

Error checkSupported(const Module &M, StringRef ModuleName) {
  for (StringRef Name : {"llvm.global_ctors", "llvm.global_dtors"})
    if (const GlobalVariable *GV = M.getNamedGlobal(Name))
      if (GV->hasInitializer() && !GV->getInitializer()->isNullValue())
        return unsupported(ModuleName,
                           "static constructors and destructors ('" + Name +
                               "') are not supported; run initialisation "
                               "explicitly from a function");
  for (const GlobalVariable &GV : M.globals()) {
    if (GV.isThreadLocal())
      return unsupported(ModuleName, "thread-local variable '" + GV.getName() +
                                         "' is not supported");
    if (GV.hasExternalWeakLinkage())
      return unsupported(ModuleName, "extern_weak reference to '" +
                                         GV.getName() + "' is not supported");
  }
  for (const Function &F : M.functions())
    if (F.hasPrefixData() || F.hasPrologueData())
      return unsupported(ModuleName, "function '" + F.getName() +
                                         "' has prefix or prologue data, "
                                         "which is not supported");
  for (const Function &F : M.functions())
    if (F.hasExternalWeakLinkage())
      return unsupported(ModuleName, "extern_weak reference to function '" +
                                         F.getName() + "' is not supported");
  if (!M.alias_empty())
    return unsupported(ModuleName, "alias '" + M.alias_begin()->getName() +
                                       "' is not supported");
  if (!M.ifunc_empty())
    return unsupported(ModuleName, "ifunc '" + M.ifunc_begin()->getName() +
                                       "' is not supported");
  return Error::success();
}

void normalize(Module &M, StringRef ModuleName) {
  // Inline definitions (C++ inline functions, templates) stay private to each
  // module, so no module silently depends on another module's copy.
  for (Function &F : M.functions()) {
    if (F.isDeclaration() || isLLVMReserved(F))
      continue;
    if (F.hasLinkOnceLinkage() || F.hasWeakLinkage() ||
        F.hasAvailableExternallyLinkage()) {
      F.setLinkage(GlobalValue::InternalLinkage);
      F.setComdat(nullptr);
    }
  }
  unsigned Anon = 0;
  auto Promote = [&](GlobalValue &GV) {
    std::string Base = GV.hasName() ? GV.getName().str()
                                    : ("anon." + Twine(Anon++)).str();
    GV.setName(ModuleName + "." + Base);
    GV.setLinkage(GlobalValue::ExternalLinkage);
    GV.setVisibility(GlobalValue::DefaultVisibility);
    if (auto *GO = dyn_cast<GlobalObject>(&GV))
      GO->setComdat(nullptr);
  };
  // Mutable internal globals carry state across versions.
  for (GlobalVariable &GV : M.globals())
    if (GV.hasLocalLinkage() && !GV.isConstant() && !isLLVMReserved(GV))
      Promote(GV);
  // Weak and common data binds to the engine-wide definition.
  for (GlobalVariable &GV : M.globals())
    if (GV.hasInitializer() && !GV.hasLocalLinkage() && !isLLVMReserved(GV)) {
      GV.setLinkage(GlobalValue::ExternalLinkage);
      GV.setComdat(nullptr);
    }
  // Functions whose address is stored in data need a stable identity: a stub.
  SmallPtrSet<Function *, 8> Referenced;
  SmallPtrSet<const Constant *, 32> Seen;
  for (GlobalVariable &GV : M.globals())
    if (isDataGlobal(GV))
      collectFunctions(GV.getInitializer(), Referenced, Seen);
  for (Function *F : Referenced)
    if (F->hasLocalLinkage() && !F->isDeclaration())
      Promote(*F);
}

ModuleFacts collectFacts(const Module &M) {
  ModuleFacts Facts;
  for (const Function &F : M.functions()) {
    if (F.isIntrinsic() || isLLVMReserved(F))
      continue;
    if (!F.isDeclaration()) {
      if (!F.hasLocalLinkage())
        Facts.Functions[F.getName()] = typeText(F.getFunctionType());
    } else if (!F.use_empty()) {
      Facts.FunctionRefs[F.getName()] = typeText(F.getFunctionType());
    }
  }
  for (const GlobalVariable &GV : M.globals()) {
    if (isLLVMReserved(GV))
      continue;
    if (isDataGlobal(GV))
      Facts.Globals[GV.getName()] = typeText(GV.getValueType());
    else if (GV.isDeclaration() && !GV.use_empty())
      Facts.GlobalRefs[GV.getName()] = typeText(GV.getValueType());
  }
  return Facts;
}

std::unique_ptr<Module> splitData(Module &Code, const StringSet<> &NewGlobals) {
  bool AnyData = false;
  for (GlobalVariable &GV : Code.globals())
    AnyData |= isDataGlobal(GV);
  if (!AnyData)
    return nullptr;

  ValueToValueMapTy VMap;
  std::unique_ptr<Module> Data = CloneModule(
      Code, VMap, [](const GlobalValue *GV) { return isa<GlobalVariable>(GV); });
  Data->setModuleIdentifier(Code.getModuleIdentifier() + ".data");

  // The data module defines only the new globals; the rest it references.
  for (GlobalVariable &GV : Data->globals()) {
    if (isLLVMReserved(GV) || !isDataGlobal(GV))
      continue;
    if (!NewGlobals.contains(GV.getName())) {
      GV.setInitializer(nullptr);
      GV.setLinkage(GlobalValue::ExternalLinkage);
      GV.setDSOLocal(false);
    }
  }
  for (StringRef Name : {"llvm.used", "llvm.compiler.used"})
    if (GlobalVariable *GV = Data->getNamedGlobal(Name))
      GV->eraseFromParent();
  // Drop what the data no longer reaches (private constants of the code).
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (GlobalVariable &GV : make_early_inc_range(Data->globals()))
      if (GV.hasLocalLinkage() && GV.use_empty()) {
        GV.eraseFromParent();
        Changed = true;
      }
  }
  for (Function &F : make_early_inc_range(Data->functions()))
    if (F.use_empty())
      F.eraseFromParent();

  bool DefinesAny = false;
  for (GlobalVariable &GV : Data->globals())
    DefinesAny |= isDataGlobal(GV);

  // The code refers to every externally visible global by name.
  for (GlobalVariable &GV : Code.globals())
    if (isDataGlobal(GV)) {
      GV.setInitializer(nullptr);
      GV.setLinkage(GlobalValue::ExternalLinkage);
      GV.setComdat(nullptr);
      GV.setDSOLocal(false);
    }
  return DefinesAny ? std::move(Data) : nullptr;
}

StringMap<std::string> renameImplementations(Module &M, uint64_t Version) {
  StringMap<std::string> Renamed;
  std::vector<Function *> Defs;
  for (Function &F : M.functions())
    if (!F.isDeclaration() && !F.hasLocalLinkage() && !isLLVMReserved(F))
      Defs.push_back(&F);
  for (Function *F : Defs) {
    std::string Public = F->getName().str();
    std::string Impl = implementationName(Public, Version);
    F->setName(Impl);
    Function *Decl = Function::Create(F->getFunctionType(),
                                      GlobalValue::ExternalLinkage,
                                      F->getAddressSpace(), Public, &M);
    Decl->setCallingConv(F->getCallingConv());
    Decl->setAttributes(F->getAttributes());
    F->replaceUsesWithIf(Decl, [](Use &U) {
      auto *CB = dyn_cast<CallBase>(U.getUser());
      return !(CB && CB->isCallee(&U));
    });
    if (Decl->use_empty())
      Decl->eraseFromParent();
    Renamed[Public] = std::move(Impl);
  }
  // References to other modules' symbols may be far away: let JITLink pick
  // GOT/PLT and relax them when in range.
  for (Function &F : M.functions())
    if (F.isDeclaration())
      F.setDSOLocal(false);
  return Renamed;
}

} // namespace hotjit
