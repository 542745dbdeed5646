// IR-level preparation of one module (see ModuleRewriter.h).
#include "ModuleRewriter.h"

#include "CxxRuntime.h"

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

/// Adds the local global variables that \p C reaches (through constant
/// expressions and their initialisers) to \p Out.
void reachLocals(const Constant *C, SmallPtrSetImpl<const GlobalVariable *> &Out,
                 SmallPtrSetImpl<const Constant *> &Seen) {
  if (!Seen.insert(C).second)
    return;
  if (auto *GV = dyn_cast<GlobalVariable>(C)) {
    if (GV->hasLocalLinkage() && Out.insert(GV).second && GV->hasInitializer())
      reachLocals(GV->getInitializer(), Out, Seen);
    return;
  }
  if (isa<GlobalValue>(C))
    return;
  for (const Use &Op : C->operands())
    if (auto *OpC = dyn_cast<Constant>(Op.get()))
      reachLocals(OpC, Out, Seen);
}

bool isDataGlobal(const GlobalVariable &GV);

/// Local constants reachable both from the initialisers of data and from code.
std::vector<GlobalVariable *> sharedLocalConstants(Module &M) {
  SmallPtrSet<const GlobalVariable *, 16> FromData, FromCode;
  SmallPtrSet<const Constant *, 32> SeenData, SeenCode;
  for (GlobalVariable &GV : M.globals())
    if (isDataGlobal(GV))
      reachLocals(GV.getInitializer(), FromData, SeenData);
  if (FromData.empty())
    return {};
  for (Function &F : M.functions())
    for (BasicBlock &BB : F)
      for (Instruction &I : BB)
        for (const Use &Op : I.operands())
          if (auto *C = dyn_cast<Constant>(Op.get()))
            reachLocals(C, FromCode, SeenCode);
  std::vector<GlobalVariable *> Shared;
  for (GlobalVariable &GV : M.globals())
    if (GV.hasLocalLinkage() && FromData.contains(&GV) && FromCode.contains(&GV))
      Shared.push_back(&GV);
  return Shared;
}

bool isDataGlobal(const GlobalVariable &GV) {
  return GV.hasInitializer() && !GV.hasLocalLinkage() && !isLLVMReserved(GV);
}

} // namespace

Error checkSupported(const Module &M, StringRef ModuleName) {
  for (const Function &F : M.functions())
    if (F.hasPrefixData() || F.hasPrologueData())
      return unsupported(ModuleName, "function '" + F.getName() +
                                         "' has prefix or prologue data, "
                                         "which is not supported");
  for (const GlobalAlias &A : M.aliases()) {
    const GlobalObject *Target = A.getAliaseeObject();
    if (!Target || (!isa<Function>(Target) && !isa<GlobalVariable>(Target)))
      return unsupported(ModuleName, "alias '" + A.getName() +
                                         "' does not name a function or a "
                                         "global variable");
    if (Target->isThreadLocal())
      return unsupported(ModuleName, "alias '" + A.getName() +
                                         "' of thread-local variable '" +
                                         Target->getName() +
                                         "' is not supported");
    if (isa<GlobalVariable>(Target) && A.getAliasee() != Target)
      return unsupported(ModuleName, "alias '" + A.getName() +
                                         "' names a part of global '" +
                                         Target->getName() +
                                         "', which is not supported");
  }
  if (!M.ifunc_empty())
    return unsupported(ModuleName, "ifunc '" + M.ifunc_begin()->getName() +
                                       "' is not supported");
  for (const std::string &Name : asmDefinedSymbols(M))
    if (const GlobalValue *GV = M.getNamedValue(Name); GV && !isa<Function>(GV))
      return unsupported(ModuleName, "module asm defines '" + Name +
                                         "', which the module uses as data; "
                                         "module asm may define functions only");
  return Error::success();
}

void normalize(Module &M, StringRef ModuleName) {
  // Each module links alone; duplicates are resolved by the engine.
  for (GlobalObject &GO : M.global_objects())
    GO.setComdat(nullptr);
  // available_externally: a copy for the optimiser; the definition that
  // counts is elsewhere.
  for (Function &F : M.functions())
    if (F.hasAvailableExternallyLinkage())
      F.deleteBody();
  for (GlobalVariable &GV : M.globals())
    if (GV.hasAvailableExternallyLinkage()) {
      GV.setInitializer(nullptr);
      GV.setLinkage(GlobalValue::ExternalLinkage);
    }
  // Discardable definitions nobody uses (unused inline functions of headers)
  // are not compiled, as the native compiler drops them.
  for (bool Changed = true; Changed;) {
    Changed = false;
    std::vector<GlobalValue *> Dead;
    for (GlobalValue &GV : M.global_values()) {
      if (GV.isDeclaration() || !GV.isDiscardableIfUnused() || isLLVMReserved(GV))
        continue;
      GV.removeDeadConstantUsers();
      if (GV.use_empty())
        Dead.push_back(&GV);
    }
    for (GlobalValue *GV : Dead)
      GV->eraseFromParent();
    Changed = !Dead.empty();
  }
  unsigned Anon = 0;
  auto Promote = [&](GlobalValue &GV) {
    std::string Base = GV.hasName() ? GV.getName().str()
                                    : ("anon." + Twine(Anon++)).str();
    GV.setName(ModuleName + "." + Base);
    GV.setLinkage(GlobalValue::ExternalLinkage);
    GV.setVisibility(GlobalValue::DefaultVisibility);
  };
  // Mutable internal globals carry state across versions, and so does
  // storage that an alias names.
  for (GlobalVariable &GV : M.globals())
    if (GV.hasLocalLinkage() && !isLLVMReserved(GV) &&
        (!GV.isConstant() || any_of(GV.users(), [](const User *U) {
           return isa<GlobalAlias>(U);
         })))
      Promote(GV);
  // Weak and common data binds to the engine-wide definition.
  for (GlobalVariable &GV : M.globals())
    if (GV.hasInitializer() && !GV.hasLocalLinkage() && !isLLVMReserved(GV))
      GV.setLinkage(GlobalValue::ExternalLinkage);
  // Constants that both data and code reach (a name string in a mutable table
  // of functions, compared by address in code) live with the data: one copy,
  // whose address the data keeps for as long as it lives.
  for (GlobalVariable *GV : sharedLocalConstants(M)) {
    Promote(*GV);
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::None);
  }
  // Functions whose address escapes need a stable identity: a stub.
#ifndef HOTJIT_MUTATION_NO_ESCAPE_STUBS // scripts/mutate: escaping addresses
  for (Function &F : M.functions())
    if (F.hasLocalLinkage() && !F.isDeclaration() && addressEscapes(F))
      Promote(F);
#endif
}

ModuleFacts collectFacts(const Module &M) {
  ModuleFacts Facts;
  for (const Function &F : M.functions()) {
    if (F.isIntrinsic() || isLLVMReserved(F))
      continue;
    if (!F.isDeclaration()) {
      if (F.hasLocalLinkage())
        continue;
      Facts.Functions[F.getName()] = typeText(F.getFunctionType());
      if (Binding B = bindingOf(F); B != Binding::Strong)
        Facts.VagueFunctions[F.getName()] = B;
    } else if (F.hasExternalWeakLinkage()) {
      Facts.WeakFunctionRefs[F.getName()] = typeText(F.getFunctionType());
    } else if (!F.use_empty()) {
      Facts.FunctionRefs[F.getName()] = typeText(F.getFunctionType());
    }
  }
  for (const GlobalAlias &A : M.aliases()) {
    if (A.hasLocalLinkage())
      continue;
    const GlobalObject *Target = A.getAliaseeObject();
    if (auto *F = dyn_cast_or_null<Function>(Target)) {
      Facts.Functions[A.getName()] = typeText(F->getFunctionType());
      if (Binding B = bindingOf(A); B != Binding::Strong)
        Facts.VagueFunctions[A.getName()] = B;
    } else if (auto *GV = dyn_cast_or_null<GlobalVariable>(Target)) {
      Facts.Globals[A.getName()] = typeText(GV->getValueType());
      Facts.DataAliases[A.getName()] = GV->getName().str();
    }
  }
  for (const std::string &Name : asmDefinedSymbols(M)) {
    const Function *Decl = M.getFunction(Name);
    // Without a declaration the type is unknown: callers are not checked.
    Facts.Functions[Name] = Decl ? typeText(Decl->getFunctionType()) : "";
    Facts.FunctionRefs.erase(Name);
    Facts.AsmFunctions.insert(Name);
  }
  for (const GlobalVariable &GV : M.globals()) {
    if (isLLVMReserved(GV))
      continue;
    std::string Type = typeText(GV.getValueType());
    if (GV.isThreadLocal())
      Type += " thread_local"; // Toggling it is a type change.
    if (isDataGlobal(GV)) {
      Facts.Globals[GV.getName()] = Type;
      if (GV.isThreadLocal())
        Facts.ThreadLocals.insert(GV.getName());
    }
    else if (GV.hasExternalWeakLinkage())
      Facts.WeakGlobalRefs[GV.getName()] = Type;
    else if (GV.isDeclaration() && !GV.use_empty())
      Facts.GlobalRefs[GV.getName()] = Type;
  }
  return Facts;
}

namespace {

bool isDataAlias(const GlobalValue &GV) {
  auto *A = dyn_cast<GlobalAlias>(&GV);
  return A && !A->hasLocalLinkage() &&
         isa_and_nonnull<GlobalVariable>(A->getAliaseeObject());
}

/// Replaces alias \p A by a declaration of the same name and value type.
void aliasToDeclaration(GlobalAlias &A) {
  auto *Decl = new GlobalVariable(*A.getParent(), A.getValueType(),
                                  /*isConstant=*/false,
                                  GlobalValue::ExternalLinkage, nullptr, "");
  Decl->takeName(&A);
  A.replaceAllUsesWith(Decl);
  A.eraseFromParent();
}

} // namespace

std::unique_ptr<Module> splitData(Module &Code, const StringSet<> &NewGlobals) {
  bool AnyData = false;
  for (GlobalVariable &GV : Code.globals())
    AnyData |= isDataGlobal(GV);
  if (!AnyData)
    return nullptr;

  ValueToValueMapTy VMap;
  std::unique_ptr<Module> Data =
      CloneModule(Code, VMap, [](const GlobalValue *GV) {
        return isa<GlobalVariable>(GV) || isDataAlias(*GV);
      });
  Data->setModuleIdentifier(Code.getModuleIdentifier() + ".data");

  // The data module defines only the new globals; the rest it references.
  for (GlobalAlias &A : make_early_inc_range(Data->aliases()))
    if (isDataAlias(A) && !NewGlobals.contains(A.getName()))
      aliasToDeclaration(A);
  for (GlobalVariable &GV : Data->globals()) {
    if (isLLVMReserved(GV) || !isDataGlobal(GV))
      continue;
#ifndef HOTJIT_MUTATION_GLOBALS_NOT_BOUND // scripts/mutate: global binding
    if (!NewGlobals.contains(GV.getName())) {
#else
    if (false) {
#endif
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

  // The code refers to every externally visible global (and data alias) by
  // name.
  for (GlobalAlias &A : make_early_inc_range(Code.aliases()))
    if (isDataAlias(A))
      aliasToDeclaration(A);
  for (GlobalVariable &GV : Code.globals())
    if (isDataGlobal(GV)) {
      GV.setInitializer(nullptr);
      GV.setLinkage(GlobalValue::ExternalLinkage);
      GV.setComdat(nullptr);
      GV.setDSOLocal(false);
    }
  return DefinesAny ? std::move(Data) : nullptr;
}

std::string linkName(const ModuleFacts &Facts, StringRef Name) {
  if (Facts.ThreadLocals.contains(Name))
    return ("__emutls_v." + Name).str();
  return Name.str();
}

std::string copyName(StringRef Public, StringRef Module, uint64_t Version) {
  return implementationName((Public + "." + Module).str(), Version);
}

StringMap<Implementation> renameImplementations(Module &M, uint64_t Version,
                                                StringRef ModuleName) {
  StringMap<Implementation> Renamed;
  std::vector<GlobalValue *> Defs;
  for (Function &F : M.functions())
    if (!F.isDeclaration() && !F.hasLocalLinkage() && !isLLVMReserved(F) &&
        !isEngineSymbol(F.getName()))
      Defs.push_back(&F);
  for (GlobalAlias &A : M.aliases())
    if (!A.hasLocalLinkage() && isa_and_nonnull<Function>(A.getAliaseeObject()))
      Defs.push_back(&A);
  for (GlobalValue *GV : Defs) {
    auto *Target = cast<Function>(GV->getAliaseeObject());
    Binding B = bindingOf(*GV);
    std::string Public = GV->getName().str();
    std::string Impl = B == Binding::Strong
                           ? implementationName(Public, Version)
                           : copyName(Public, ModuleName, Version);
    GV->setName(Impl);
    GV->setLinkage(GlobalValue::ExternalLinkage);
    GV->setVisibility(GlobalValue::DefaultVisibility);
    Function *Decl = Function::Create(Target->getFunctionType(),
                                      GlobalValue::ExternalLinkage,
                                      Target->getAddressSpace(), Public, &M);
    Decl->setCallingConv(Target->getCallingConv());
    Decl->setAttributes(Target->getAttributes());
    // Aliases keep naming the code; direct calls stay direct unless a strong
    // definition elsewhere may override this one.
    const bool Overridable = B == Binding::Weak;
    GV->replaceUsesWithIf(Decl, [&](Use &U) {
      if (isa<GlobalAlias>(U.getUser()))
        return false;
      auto *CB = dyn_cast<CallBase>(U.getUser());
      return Overridable || !(CB && CB->isCallee(&U));
    });
    if (Decl->use_empty())
      Decl->eraseFromParent();
    Renamed[Public] = {std::move(Impl), false};
  }
  // Functions defined by module asm: renamed in the asm text and made local
  // to the object (ORC accepts only the definitions it saw in the IR); their
  // address reaches the engine through a constant that ORC sees.
  for (const std::string &Public : asmDefinedSymbols(M)) {
    std::string Impl = implementationName(Public, Version);
    renameAsmSymbol(M, Public, Impl);
    localizeAsmSymbol(M, Impl);
    FunctionType *FT = FunctionType::get(Type::getVoidTy(M.getContext()), false);
    Function *ImplDecl = Function::Create(FT, GlobalValue::ExternalLinkage, Impl, &M);
    auto *Anchor = new GlobalVariable(
        M, ImplDecl->getType(), /*isConstant=*/true, GlobalValue::ExternalLinkage,
        ImplDecl, Impl + ".addr");
    Renamed[Public] = {Anchor->getName().str(), true};
  }
  // References to other modules' symbols may be far away: let JITLink pick
  // GOT/PLT and relax them when in range.
  for (Function &F : M.functions())
    if (F.isDeclaration())
      F.setDSOLocal(false);
  return Renamed;
}

} // namespace hotjit
