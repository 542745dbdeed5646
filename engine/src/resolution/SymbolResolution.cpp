// Symbol resolution rules (see SymbolResolution.h).
#include "resolution/SymbolResolution.h"

#include "Mutations.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/Object/ModuleSymbolTable.h"
#include "llvm/Support/Regex.h"

using namespace llvm;

namespace hotjit {

Binding bindingOf(const GlobalValue &GV) {
  if (GV.hasLinkOnceODRLinkage() || GV.hasWeakODRLinkage())
    return Binding::ODR;
  if (GV.hasLinkOnceLinkage() || GV.hasWeakLinkage() || GV.hasCommonLinkage())
    return Binding::Weak;
  return Binding::Strong;
}

namespace {

/// True if every path of uses from \p C ends in an llvm.* global (llvm.used,
/// llvm.compiler.used, llvm.global_ctors): those do not publish an address.
bool onlyReservedUsers(const Constant &C) {
  for (const User *U : C.users()) {
    if (auto *GV = dyn_cast<GlobalValue>(U)) {
      if (!GV->getName().starts_with("llvm."))
        return false;
      continue;
    }
    auto *UC = dyn_cast<Constant>(U);
    if (!UC || !onlyReservedUsers(*UC))
      return false;
  }
  return true;
}

bool isIdentifierChar(char C) { return isAlnum(C) || C == '_' || C == '.' || C == '$'; }

} // namespace

bool addressEscapes(const Function &F) {
  for (const Use &U : F.uses()) {
    const User *Usr = U.getUser();
    if (auto *CB = dyn_cast<CallBase>(Usr); CB && CB->isCallee(&U))
      continue;
    // Aliases get stubs of their own; a blockaddress or a personality
    // reference does not publish the function's entry.
    if (isa<GlobalAlias>(Usr) || isa<BlockAddress>(Usr) || isa<Function>(Usr))
      continue;
    if (auto *GV = dyn_cast<GlobalValue>(Usr); GV && GV->getName().starts_with("llvm."))
      continue;
    if (auto *C = dyn_cast<Constant>(Usr); C && !isa<GlobalValue>(C) && onlyReservedUsers(*C))
      continue;
    return true;
  }
  return false;
}

std::vector<std::string> asmDefinedSymbols(const Module &M) {
  std::vector<std::string> Names;
  if (M.getModuleInlineAsm().empty())
    return Names;
  ModuleSymbolTable::CollectAsmSymbols(M, [&](StringRef Name, object::BasicSymbolRef::Flags Flags) {
    if ((Flags & object::BasicSymbolRef::SF_Global) &&
        !(Flags & object::BasicSymbolRef::SF_Undefined))
      Names.push_back(Name.str());
  });
  return Names;
}

void renameAsmSymbol(Module &M, StringRef From, StringRef To) {
  std::string Asm = M.getModuleInlineAsm();
  std::string Out;
  Out.reserve(Asm.size());
  for (size_t I = 0; I < Asm.size();) {
    bool Boundary = I == 0 || !isIdentifierChar(Asm[I - 1]);
    size_t End = I + From.size();
    if (Boundary && StringRef(Asm).substr(I).starts_with(From) &&
        (End == Asm.size() || !isIdentifierChar(Asm[End]))) {
      Out += To;
      I = End;
      continue;
    }
    Out += Asm[I++];
  }
  M.setModuleInlineAsm(Out);
}

void localizeAsmSymbol(Module &M, StringRef Name) {
  std::string Asm = M.getModuleInlineAsm();
  static const Regex Directive("\\.glob(a)?l[ \t]+");
  std::string Out;
  StringRef Rest = Asm;
  SmallVector<StringRef, 2> Match;
  while (Directive.match(Rest, &Match)) {
    size_t At = Match[0].data() - Rest.data();
    StringRef After = Rest.substr(At + Match[0].size());
    Out += Rest.take_front(At);
    bool Ours = After.starts_with(Name) &&
                (After.size() == Name.size() || !isIdentifierChar(After[Name.size()]));
    Out += Ours ? ".local " : Match[0].str();
    Rest = After;
  }
  Out += Rest;
  M.setModuleInlineAsm(Out);
}

void bindExternWeak(Module &M, const StringSet<> &Null) {
  std::vector<GlobalValue *> Refs;
  for (GlobalValue &GV : M.global_values())
    if (GV.hasExternalWeakLinkage())
      Refs.push_back(&GV);
  for (GlobalValue *GV : Refs) {
    if (Null.contains(GV->getName())) {
      GV->replaceAllUsesWith(ConstantPointerNull::get(GV->getType()));
      GV->eraseFromParent();
    } else {
      GV->setLinkage(GlobalValue::ExternalLinkage);
    }
  }
}

const ProviderMap::value_type *electOwner(const ProviderMap &Providers,
                                          function_ref<bool(StringRef Module)> Counts) {
  const ProviderMap::value_type *Owner = nullptr;
  for (const auto &P : Providers) {
    if (Counts && !Counts(P.first))
      continue;
    // A strong definition overrides every vague one (ELF: STB_GLOBAL over STB_WEAK).
    if (P.second.Bind == Binding::Strong && !mutation::WeakNotOverridden)
      return &P;
    // Among vague copies the one kept longest stays, so that a replacement of
    // one provider does not move the stub (ELF keeps the first COMDAT copy).
    if (!Owner || P.second.Since < Owner->second.Since)
      Owner = &P;
  }
  return Owner;
}

std::optional<Definition> ownerDefinition(const ProviderMap &Providers,
                                          function_ref<bool(StringRef Module)> Counts) {
  const ProviderMap::value_type *Owner = electOwner(Providers, Counts);
  if (!Owner)
    return std::nullopt;
  return Definition{Owner->first, Owner->second.Type, Owner->second.Bind};
}

void addBatchDefinition(BatchDefinitions &Defs, StringRef Name, Definition D) {
  auto [It, New] = Defs.try_emplace(Name, D);
  if (!New && D.Bind == Binding::Strong)
    It->second = D;
}

bool mayJoin(Binding New, Binding Existing) {
  return New != Binding::Strong || Existing != Binding::Strong;
}

} // namespace hotjit
