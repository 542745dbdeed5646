// IR-level preparation of one module (see ModuleRewriter.h).
#include "rewrite/ModuleRewriter.h"

#include "Mutations.h"
#include "rewrite/OldState.h"
#include "runtime/CxxRuntime.h"

#include "hotjit/engine/Errors.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GCStrategy.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Transforms/Utils/BuildLibCalls.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

using namespace llvm;

namespace hotjit {

namespace {
/// Prints \p T with every struct spelled out by its layout: a struct's name
/// is the name one module's context gave it ("class.X" in one module,
/// "class.X.53" in another that met a different class X first), which the
/// native linker never sees.
void printLayout(const Type *T, raw_ostream &OS) {
  if (auto *ST = dyn_cast<StructType>(T)) {
    if (ST->isOpaque()) {
      OS << "opaque";
      return;
    }
    OS << (ST->isPacked() ? "<{ " : "{ ");
    ListSeparator LS;
    for (const Type *E : ST->elements()) {
      OS << LS;
      printLayout(E, OS);
    }
    OS << (ST->isPacked() ? " }>" : " }");
    return;
  }
  if (auto *AT = dyn_cast<ArrayType>(T)) {
    OS << "[" << AT->getNumElements() << " x ";
    printLayout(AT->getElementType(), OS);
    OS << "]";
    return;
  }
  if (auto *VT = dyn_cast<VectorType>(T)) {
    auto EC = VT->getElementCount();
    OS << "<" << (EC.isScalable() ? "vscale x " : "") << EC.getKnownMinValue() << " x ";
    printLayout(VT->getElementType(), OS);
    OS << ">";
    return;
  }
  if (auto *FT = dyn_cast<FunctionType>(T)) {
    printLayout(FT->getReturnType(), OS);
    OS << " (";
    ListSeparator LS;
    for (const Type *P : FT->params()) {
      OS << LS;
      printLayout(P, OS);
    }
    if (FT->isVarArg())
      OS << LS << "...";
    OS << ")";
    return;
  }
  T->print(OS);
}
} // namespace

std::string typeText(const Type *T) {
  std::string S;
  raw_string_ostream OS(S);
  printLayout(T, OS);
  return S;
}

std::string versionToken(uint64_t Version) {
  if (Version == UINT64_MAX)
    return "__hjvXXXXXXXXXXXXXXXX";
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "__hjv%016llx", static_cast<unsigned long long>(Version));
  return Buf;
}

std::string engineName(StringRef Kind, StringRef Module, StringRef Name) {
  std::string Length = std::to_string(Module.size());
  std::string S;
  S.reserve(10 + Kind.size() + Length.size() + Module.size() + Name.size() + 2);
  S.append("__hotjit.").append(Kind).append(".").append(Length).append(".").append(Module);
  if (!Name.empty())
    S.append(".").append(Name);
  return S;
}

bool isReservedName(StringRef Name) {
  return Name.starts_with("__hotjit") || Name.contains("__hjv");
}

std::string implementationName(StringRef Public, uint64_t Version) {
  return (Public + "." + versionToken(Version)).str();
}

Error retagVersion(MutableArrayRef<char> Bytes, uint64_t From, uint64_t To) {
  // Only names carry version tokens: the object's string tables (symbol and
  // section names). Code and data are the program's, whatever bytes they hold.
  auto Elf = object::ELF64LEFile::create(StringRef(Bytes.data(), Bytes.size()));
  if (!Elf)
    return Elf.takeError();
  auto Sections = Elf->sections();
  if (!Sections)
    return Sections.takeError();
  std::string Old = versionToken(From), New = versionToken(To);
  for (const object::ELF64LE::Shdr &Sec : *Sections) {
    if (Sec.sh_type != ELF::SHT_STRTAB)
      continue;
    if (Sec.sh_offset > Bytes.size() || Sec.sh_size > Bytes.size() - Sec.sh_offset)
      return make_error<StringError>("string table outside the object", inconvertibleErrorCode());
    StringRef Table(Bytes.data() + Sec.sh_offset, Sec.sh_size);
    for (size_t Pos = Table.find(Old); Pos != StringRef::npos;
         Pos = Table.find(Old, Pos + Old.size()))
      std::memcpy(Bytes.data() + Sec.sh_offset + Pos, New.data(), New.size());
  }
  return Error::success();
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

bool isLLVMReserved(const GlobalValue &GV) { return GV.getName().starts_with("llvm."); }

Error unsupported(StringRef ModuleName, const Twine &What) {
  return makeError(ErrorKind::Unsupported, ("module '" + ModuleName + "': " + What).str());
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

/// True if \p C holds a label address (a blockaddress constant), directly or
/// through other constants and the initialisers of internal globals.
bool reachesBlockAddress(const Constant *C, SmallPtrSetImpl<const Constant *> &Seen) {
  if (!Seen.insert(C).second)
    return false;
  if (isa<BlockAddress>(C))
    return true;
  if (auto *GV = dyn_cast<GlobalVariable>(C))
    return GV->hasLocalLinkage() && GV->hasInitializer() &&
           reachesBlockAddress(GV->getInitializer(), Seen);
  if (isa<GlobalValue>(C))
    return false;
  for (const Use &Op : C->operands())
    if (auto *OpC = dyn_cast<Constant>(Op.get()); OpC && reachesBlockAddress(OpC, Seen))
      return true;
  return false;
}

bool holdsLabelAddresses(const GlobalVariable &GV) {
  SmallPtrSet<const Constant *, 16> Seen;
  return GV.hasInitializer() && reachesBlockAddress(GV.getInitializer(), Seen);
}

bool takesLabelAddresses(const Function &F) {
  return any_of(F, [](const BasicBlock &BB) { return BB.hasAddressTaken(); });
}

/// Adds the functions whose instructions use \p V (through constant
/// expressions) to \p Out; false if something else uses it (the initialiser
/// of a global, metadata aside).
bool usingFunctions(const Value *V, SmallPtrSetImpl<const Function *> &Out) {
  for (const User *U : V->users()) {
    if (auto *I = dyn_cast<Instruction>(U))
      Out.insert(I->getFunction());
    else if (isa<ConstantExpr>(U) || isa<ConstantAggregate>(U)) {
      if (!usingFunctions(U, Out))
        return false;
    } else
      return false;
  }
  return true;
}

/// Internal globals that belong to one version's code labels (see
/// normalize()): tables initialised with label addresses, globals that code
/// stores a label address into (a table filled at run time), and mutable
/// globals that only functions taking label addresses use (the flag that says
/// the table is filled, the function-local statics of an interpreter's
/// dispatch). Constants are label state only if they hold label addresses.
SmallPtrSet<const GlobalVariable *, 8> labelState(const Module &M) {
  SmallPtrSet<const GlobalVariable *, 8> Out;
  if (none_of(M.functions(), [](const Function &F) { return takesLabelAddresses(F); }))
    return Out;
  for (const GlobalVariable &GV : M.globals()) {
    if (!GV.hasLocalLinkage())
      continue;
    SmallPtrSet<const Function *, 4> Users;
    if (holdsLabelAddresses(GV) ||
        (!GV.isConstant() && usingFunctions(&GV, Users) && !Users.empty() &&
         all_of(Users, [](const Function *F) { return takesLabelAddresses(*F); })))
      Out.insert(&GV);
  }
  for (const Function &F : M.functions()) {
    bool Fills = false;
    for (const BasicBlock &BB : F)
      for (const Instruction &I : BB)
        if (auto *St = dyn_cast<StoreInst>(&I)) {
          SmallPtrSet<const Constant *, 8> Seen;
          auto *C = dyn_cast<Constant>(St->getValueOperand());
          if (!C || !reachesBlockAddress(C, Seen))
            continue;
          if (auto *GV = dyn_cast<GlobalVariable>(getUnderlyingObject(St->getPointerOperand()));
              GV && GV->hasLocalLinkage()) {
            Out.insert(GV);
            Fills = true;
          }
        }
    if (!Fills)
      continue;
    // A function that fills a table at run time decides whether to by what it
    // reads: the globals its branches test (`if (!ready)`) belong with the
    // table, whoever else uses them, or a new version would find the flag set
    // and its own table empty.
    for (const BasicBlock &BB : F) {
      const Value *Cond = nullptr;
      if (auto *Br = dyn_cast<BranchInst>(BB.getTerminator()); Br && Br->isConditional())
        Cond = Br->getCondition();
      else if (auto *Sw = dyn_cast<SwitchInst>(BB.getTerminator()))
        Cond = Sw->getCondition();
      SmallVector<const Value *, 8> Work;
      SmallPtrSet<const Value *, 16> Seen;
      if (Cond)
        Work.push_back(Cond);
      while (!Work.empty()) {
        const Value *V = Work.pop_back_val();
        auto *I = dyn_cast<Instruction>(V);
        if (!I || !Seen.insert(V).second || Seen.size() > 64)
          continue;
        if (auto *L = dyn_cast<LoadInst>(I)) {
          if (auto *GV = dyn_cast<GlobalVariable>(getUnderlyingObject(L->getPointerOperand()));
              GV && GV->hasLocalLinkage() && !GV->isConstant())
            Out.insert(GV);
          continue;
        }
        for (const Use &Op : I->operands())
          Work.push_back(Op.get());
      }
    }
  }
  return Out;
}

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
  auto Labels = labelState(M);
  std::vector<GlobalVariable *> Shared;
  for (GlobalVariable &GV : M.globals())
    if (GV.hasLocalLinkage() && FromData.contains(&GV) && FromCode.contains(&GV) &&
        !Labels.contains(&GV))
      Shared.push_back(&GV);
  return Shared;
}

/// Prints constant \p C by its layout and bytes, with other globals by name and
/// every type by typeText(): the same value prints the same whatever names the
/// module's context gave its struct types (the -O1 and -O2 builds of a file
/// may differ there).
void printContent(const Constant *C, raw_ostream &OS,
                  SmallPtrSetImpl<const GlobalVariable *> &Within) {
  if (auto *Data = dyn_cast<ConstantDataSequential>(C)) {
    OS << typeText(C->getType()) << " bytes ";
    OS.write_hex(Data->getRawDataValues().size()) << ":";
    OS << Data->getRawDataValues();
    return;
  }
  if (auto *GV = dyn_cast<GlobalVariable>(C);
      GV && GV->hasLocalLinkage() && GV->isConstant() && GV->hasInitializer()) {
    // A constant of the module's own: by its content, which its name does not tell (a table of
    // strings names them ".str", ".str.1" whatever they hold). Itself, inside: by a mark.
    if (!Within.insert(GV).second) {
      OS << "@<enclosing>";
      return;
    }
    OS << "@(";
    printContent(GV->getInitializer(), OS, Within);
    OS << ")";
    Within.erase(GV);
    return;
  }
  if (auto *GV = dyn_cast<GlobalValue>(C)) {
    OS << "@" << GV->getName();
    return;
  }
  if (isa<ConstantAggregate>(C) || isa<ConstantExpr>(C)) {
    OS << typeText(C->getType());
    if (auto *CE = dyn_cast<ConstantExpr>(C))
      OS << " " << CE->getOpcodeName();
    OS << " (";
    ListSeparator LS;
    for (const Use &Op : C->operands()) {
      OS << LS;
      printContent(cast<Constant>(Op.get()), OS, Within);
    }
    OS << ")";
    return;
  }
  // Scalars, null, zero, undef and poison: their text names no struct.
  OS << typeText(C->getType()) << " ";
  C->printAsOperand(OS, /*PrintType=*/false);
}

void printContent(const Constant *C, raw_ostream &OS) {
  SmallPtrSet<const GlobalVariable *, 8> Within;
  printContent(C, OS, Within);
}

/// True for the constants clang names itself (string literals ".str.N",
/// aggregates copied to the stack "__const.<function>.<name>", compound
/// literals): their names number them in order of appearance, so they are
/// named by content. A user's constant keeps its name whatever the flags
/// (whether the optimiser marked it unnamed_addr or not).
bool isCompilerNamedConstant(const GlobalVariable &GV) {
  StringRef N = GV.getName();
  return !GV.hasName() || N.starts_with(".str") || N.starts_with("__const.") ||
         N.starts_with(".compoundliteral");
}

/// True if the address of constant \p V can outlive the code that uses it:
/// stored to memory, returned, or passed to a call that may keep it
/// (a parameter not marked nocapture). Loads, comparisons and offsets do not
/// let it escape; initialisers of other globals are data (sharedLocalConstants).
bool constantAddressEscapes(const Value *V, SmallPtrSetImpl<const Value *> &Seen) {
  if (!Seen.insert(V).second)
    return false;
  for (const Use &U : V->uses()) {
    const User *Usr = U.getUser();
    if (isa<LoadInst>(Usr) || isa<ICmpInst>(Usr) || isa<GlobalVariable>(Usr))
      continue;
    if (auto *St = dyn_cast<StoreInst>(Usr)) {
      if (St->getValueOperand() == V)
        return true;
      continue;
    }
    if (auto *CB = dyn_cast<CallBase>(Usr)) {
      if (CB->isCallee(&U))
        continue;
      if (CB->isArgOperand(&U) && CB->doesNotCapture(CB->getArgOperandNo(&U)))
        continue;
      return true;
    }
    if (isa<GetElementPtrInst>(Usr) || isa<CastInst>(Usr) || isa<PHINode>(Usr) ||
        isa<SelectInst>(Usr) || isa<ConstantExpr>(Usr)) {
      if (constantAddressEscapes(Usr, Seen))
        return true;
      continue;
    }
    return true; // Returned, or anything this does not model.
  }
  return false;
}

/// What in type \p T code generation for \p Target cannot lower (LLVM would end the process):
/// scalable vectors without a scalable vector unit, another architecture's floating-point or tile
/// types; empty if nothing.
StringRef typeTargetLacks(Type *T, const Triple &Target, SmallPtrSetImpl<Type *> &Seen) {
  if (!Seen.insert(T).second)
    return {};
  if (isa<ScalableVectorType>(T) && !Target.isAArch64() && !Target.isRISCV())
    return "scalable vectors";
  if (T->isPPC_FP128Ty() && !Target.isPPC())
    return "the PowerPC type ppc_fp128";
  if (T->isX86_FP80Ty() && !Target.isX86())
    return "the x86 type x86_fp80";
  if (T->isX86_AMXTy() && !Target.isX86())
    return "the x86 type x86_amx";
  for (Type *Inner : T->subtypes())
    if (StringRef What = typeTargetLacks(Inner, Target, Seen); !What.empty())
      return What;
  return {};
}

/// What \p F takes, returns, computes or stores that code generation for \p Target cannot lower
/// (typeTargetLacks(), and `llvm.vscale` without scalable vectors); empty if nothing.
StringRef codeTargetLacks(const Function &F, const Triple &Target) {
  SmallPtrSet<Type *, 16> Seen;
  auto Lacks = [&](Type *T) { return typeTargetLacks(T, Target, Seen); };
  if (StringRef What = Lacks(F.getFunctionType()); !What.empty())
    return What;
  const bool Scalable = Target.isAArch64() || Target.isRISCV();
  for (const Instruction &I : instructions(F)) {
    if (StringRef What = Lacks(I.getType()); !What.empty())
      return What;
    if (auto *A = dyn_cast<AllocaInst>(&I))
      if (StringRef What = Lacks(A->getAllocatedType()); !What.empty())
        return What;
    for (const Value *Op : I.operands())
      if (StringRef What = Lacks(Op->getType()); !What.empty())
        return What;
    if (auto *II = dyn_cast<IntrinsicInst>(&I);
        II && II->getIntrinsicID() == Intrinsic::vscale && !Scalable)
      return "scalable vectors (llvm.vscale)";
  }
  return {};
}

/// Whether the architecture of \p Target has a processor named \p CPU.
bool isProcessorOf(const Triple &Target, StringRef CPU) {
  static std::mutex Lock;
  static std::map<std::string, std::unique_ptr<MCSubtargetInfo>, std::less<>> Subtargets;
  std::lock_guard<std::mutex> Hold(Lock);
  std::unique_ptr<MCSubtargetInfo> &Info = Subtargets[Target.str()];
  if (!Info) {
    std::string Error;
    const llvm::Target *T = TargetRegistry::lookupTarget(Target, Error);
    if (!T)
      return true; // Code generation names the missing target itself.
    Info.reset(T->createMCSubtargetInfo(Target, "", ""));
    if (!Info)
      return true;
  }
  return Info->isCPUStringValid(CPU);
}

bool isDataGlobal(const GlobalVariable &GV) {
  return GV.hasInitializer() && !GV.hasLocalLinkage() && !isLLVMReserved(GV) &&
         !holdsLabelAddresses(GV) && !isTableImage(GV.getName());
}

} // namespace

Error checkSupported(const Module &M, StringRef ModuleName) {
  for (const Function &F : M.functions()) {
    if (F.hasPrefixData() || F.hasPrologueData())
      return unsupported(ModuleName, "function '" + F.getName() +
                                         "' has prefix or prologue data, "
                                         "which is not supported");
    // Split after the facts are taken, its resume functions would have no stub
    // and no identity: frames would hold addresses of one version's code.
    if (F.isPresplitCoroutine())
      return unsupported(ModuleName, "coroutine '" + F.getName() +
                                         "' is not split (IR taken before the coroutine "
                                         "passes, as -Xclang -disable-llvm-passes leaves "
                                         "it); emit IR after them (any -O level does)");
  }
  for (const GlobalAlias &A : M.aliases()) {
    const GlobalObject *Target = A.getAliaseeObject();
    if (!Target || (!isa<Function>(Target) && !isa<GlobalVariable>(Target)))
      return unsupported(ModuleName, "alias '" + A.getName() +
                                         "' does not name a function or a "
                                         "global variable");
    if (Target->isThreadLocal())
      return unsupported(ModuleName, "alias '" + A.getName() + "' of thread-local variable '" +
                                         Target->getName() + "' is not supported");
    if (isa<GlobalVariable>(Target) && A.getAliasee() != Target)
      return unsupported(ModuleName, "alias '" + A.getName() + "' names a part of global '" +
                                         Target->getName() + "', which is not supported");
  }
  if (StringRef(M.getModuleInlineAsm()).contains("__hjv"))
    return unsupported(ModuleName, "module asm holds '__hjv', which is hotjit's (version "
                                   "tokens); rename what holds it");
  for (const GlobalObject &GO : M.global_objects())
    if (GO.getSection().contains("__hjv"))
      return unsupported(ModuleName, "'" + GO.getName() + "' is placed in section '" +
                                         GO.getSection() +
                                         "', which holds '__hjv' (hotjit's version tokens)");
  for (const GlobalValue &GV : M.global_values())
    if (GV.hasName() && isReservedName(GV.getName()))
      return unsupported(ModuleName, "'" + GV.getName() +
                                         "' is named in hotjit's reserved namespace "
                                         "(names that begin with '__hotjit' or hold "
                                         "'__hjv'); rename it");
  // What code generation cannot do for this target, where LLVM would end the process: a garbage
  // collector no strategy is registered for, types and intrinsics the target cannot lower, another
  // architecture's processor.
  const Triple &Target = M.getTargetTriple();
  for (const Function &F : M.functions()) {
    if (F.hasGC() && none_of(GCRegistry::entries(),
                             [&](const GCRegistry::entry &E) { return E.getName() == F.getGC(); }))
      return unsupported(ModuleName, "function '" + F.getName() + "' uses garbage collector '" +
                                         F.getGC() + "', for which no strategy is registered");
    if (F.isDeclaration())
      continue;
    if (StringRef What = codeTargetLacks(F, Target); !What.empty())
      return unsupported(ModuleName, "function '" + F.getName() + "' uses " + What + ", which " +
                                         Target.str() + " does not have");
    if (Attribute CPU = F.getFnAttribute("target-cpu");
        CPU.isValid() && !CPU.getValueAsString().empty() &&
        !isProcessorOf(Target, CPU.getValueAsString()))
      return unsupported(ModuleName, "function '" + F.getName() + "' is built for processor '" +
                                         CPU.getValueAsString() + "', which " + Target.str() +
                                         " does not have (bitcode of another architecture?)");
  }
  // A label address may live in the function's frame or in its module's
  // internal globals (which stay with its version), nowhere else.
  for (const Function &F : M.functions())
    for (const BasicBlock &BB : F)
      for (const Instruction &I : BB) {
        const Value *Out = nullptr;
        if (auto *St = dyn_cast<StoreInst>(&I))
          Out = St->getValueOperand();
        else if (auto *Ret = dyn_cast<ReturnInst>(&I))
          Out = Ret->getReturnValue();
        auto *C = dyn_cast_or_null<Constant>(Out);
        SmallPtrSet<const Constant *, 8> Seen;
        if (!C || !reachesBlockAddress(C, Seen))
          continue;
        const Value *To = isa<StoreInst>(&I)
                              ? getUnderlyingObject(cast<StoreInst>(&I)->getPointerOperand())
                              : nullptr;
        auto *Own = dyn_cast_or_null<GlobalVariable>(To);
        if (!(To && isa<AllocaInst>(To)) && !(Own && Own->hasLocalLinkage()))
          return unsupported(ModuleName, "function '" + F.getName() +
                                             "' lets a label address leave it (stored "
                                             "outside its own statics, or returned); a "
                                             "label address belongs to the code of its "
                                             "label: keep the table static");
      }
  for (const GlobalVariable &GV : M.globals())
    if (!GV.hasLocalLinkage() && holdsLabelAddresses(GV))
      return unsupported(ModuleName, "global '" + GV.getName() +
                                         "' holds label addresses but is externally "
                                         "visible; a table of label addresses belongs to "
                                         "the code of its labels: make it static");
  // Another architecture's intrinsics (bitcode built for another target): code generation has no
  // instruction for them and ends the process.
  StringRef Arch = Triple::getArchTypePrefix(M.getTargetTriple().getArch());
  for (const Function &F : M.functions()) {
    if (!F.isTargetIntrinsic() || F.use_empty())
      continue;
    StringRef Target = Intrinsic::getBaseName(F.getIntrinsicID()).drop_front(strlen("llvm."));
    Target = Target.split('.').first;
    if (Target == Arch)
      continue;
    const auto *Call = dyn_cast<Instruction>(F.user_back());
    return unsupported(
        ModuleName,
        (Call ? "function '" + Call->getFunction()->getName() + "' calls " : Twine("it uses ")) +
            "intrinsic '" + F.getName() + "' of another target (" + Target + "); code for " +
            M.getTargetTriple().str() + " cannot call it");
  }
  if (!M.ifunc_empty())
    return unsupported(ModuleName, "ifunc '" + M.ifunc_begin()->getName() + "' is not supported");
  for (const std::string &Name : asmDefinedSymbols(M))
    if (const GlobalValue *GV = M.getNamedValue(Name); GV && !isa<Function>(GV))
      return unsupported(ModuleName, "module asm defines '" + Name +
                                         "', which the module uses as data; "
                                         "module asm may define functions only");
  return Error::success();
}

void normalize(Module &M, StringRef ModuleName) {
  // What the C library's functions do with their arguments (printf keeps no
  // pointer), as clang's -O1 pipeline records it: -O0 bitcode lacks it, and
  // without it every string passed to puts() would look like it escapes.
  TargetLibraryInfoImpl TLII(M.getTargetTriple());
  TargetLibraryInfo TLI(TLII);
  for (Function &F : M.functions())
    if (F.isDeclaration())
      inferNonMandatoryLibFuncAttrs(F, TLI);
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
    GV.setName(GV.hasName() ? engineName("local", ModuleName, GV.getName())
                            : engineName("anon", ModuleName, Twine(Anon++).str()));
    GV.setLinkage(GlobalValue::ExternalLinkage);
    GV.setVisibility(GlobalValue::DefaultVisibility);
  };
  // Mutable internal globals carry state across versions, and so does
  // storage that an alias names; what belongs to the code's labels does not.
  auto Labels = labelState(M);
  for (GlobalVariable &GV : M.globals())
    if (GV.hasLocalLinkage() && !isLLVMReserved(GV) && !Labels.contains(&GV) &&
        (!GV.isConstant() || any_of(GV.users(), [](const User *U) { return isa<GlobalAlias>(U); })))
      Promote(GV);
  // Weak and common data binds to the engine-wide definition.
  for (GlobalVariable &GV : M.globals())
    if (GV.hasInitializer() && !GV.hasLocalLinkage() && !isLLVMReserved(GV))
      GV.setLinkage(GlobalValue::ExternalLinkage);
  // Constants that both data and code reach (a name string in a mutable table
  // of functions, compared by address in code): one copy, whose address the
  // data keeps for as long as it lives (named by content below).
  std::vector<GlobalVariable *> Shared = sharedLocalConstants(M);
  // Functions whose address escapes need a stable identity: a stub.
  if constexpr (!mutation::NoEscapeStubs)
    for (Function &F : M.functions())
      if (F.hasLocalLinkage() && !F.isDeclaration() && addressEscapes(F))
        Promote(F);
  // Tables of classes made over closures (OldState.h, tableState()) hold one closure layout's
  // code: each layout gets a table of its own, named for it, and old objects keep theirs.
  std::optional<StringMap<std::string>> States;
  auto states = [&]() -> const StringMap<std::string> & {
    if (!States)
      States = stateIdentities(M);
    return *States;
  };
  for (GlobalVariable &GV : M.globals())
    if (!GV.hasLocalLinkage() && GV.hasInitializer() && isAbiTable(GV))
      if (std::string State = tableState(GV, states()); !State.empty())
        GV.setName(GV.getName() + ".state." + State);
  // Internal constants whose address escapes the code (a sentinel that heap
  // tables point to, a string kept in an object) can be reached after their
  // version is retired: they become data that lives as long as the module
  // (isModuleLifetime()), named by their content (and a user's constant by its
  // name too): a version whose constant is the same binds to the same storage
  // (addresses kept by old code stay valid and compare equal in new code), an
  // edited one gets storage of its own.
  // So do the constants that data reaches too (sharedLocalConstants()), and the constants the
  // initialisers of all of these refer to: storage that lives as long as the module may point only
  // to storage that lives as long.
  auto OwnConstant = [&](const GlobalVariable &GV) {
    return GV.hasLocalLinkage() && GV.isConstant() && GV.hasInitializer() && !isLLVMReserved(GV) &&
           !Labels.contains(&GV);
  };
  SetVector<GlobalVariable *> Lifetime(Shared.begin(), Shared.end());
  for (GlobalVariable &GV : M.globals()) {
    SmallPtrSet<const Value *, 16> Seen;
    if (OwnConstant(GV) && constantAddressEscapes(&GV, Seen))
      Lifetime.insert(&GV);
  }
  for (size_t K = 0; K < Lifetime.size(); ++K) {
    SmallPtrSet<const GlobalVariable *, 8> Reached;
    SmallPtrSet<const Constant *, 16> Seen;
    reachLocals(Lifetime[K]->getInitializer(), Reached, Seen);
    for (const GlobalVariable *Inner : Reached)
      if (OwnConstant(*Inner))
        Lifetime.insert(const_cast<GlobalVariable *>(Inner));
  }
  for (GlobalVariable &GV : make_early_inc_range(M.globals())) {
    if (!Lifetime.contains(&GV))
      continue;
    std::string ClosureState = isAbiTable(GV) ? tableState(GV, states()) : std::string();
    if (isAbiTable(GV) && ClosureState.empty()) {
      // Named by name alone: a replacement binds to the same table and rewrites its words
      // (rewrite/OldState.h), so objects made by any version dispatch alike.
      GV.setName(engineName("const", ModuleName, ("table." + GV.getName()).str()));
      GV.setLinkage(GlobalValue::ExternalLinkage);
      GV.setVisibility(GlobalValue::DefaultVisibility);
      GV.setUnnamedAddr(GlobalValue::UnnamedAddr::None);
      continue;
    }
    std::string Content;
    raw_string_ostream OS(Content);
    OS << typeText(GV.getValueType()) << " align " << (GV.getAlign() ? GV.getAlign()->value() : 0)
       << " section " << GV.getSection() << " tls " << unsigned(GV.getThreadLocalMode()) << " = ";
    printContent(GV.getInitializer(), OS);
    OS << ClosureState; // A closure-bound table: one storage per closure layout.
    char Hash[17];
    std::snprintf(Hash, sizeof(Hash), "%016llx",
                  static_cast<unsigned long long>(xxh3_64bits(Content)));
    std::string Name =
        isCompilerNamedConstant(GV)
            ? engineName("const", ModuleName, (Twine("lit.") + Hash).str())
            : engineName("const", ModuleName, ("name." + GV.getName() + "." + Hash).str());
    if (GlobalVariable *Same = M.getNamedGlobal(Name)) {
      // Another literal of the same content: one object if they are the same
      // constant in every respect, else storage of its own.
      if (isCompilerNamedConstant(GV) && Same->getInitializer() == GV.getInitializer() &&
          Same->getValueType() == GV.getValueType() && GV.hasGlobalUnnamedAddr() &&
          Same->getThreadLocalMode() == GV.getThreadLocalMode() &&
          Same->getAddressSpace() == GV.getAddressSpace() && Same->getAlign() == GV.getAlign() &&
          Same->getSection() == GV.getSection()) {
        GV.replaceAllUsesWith(Same);
        GV.eraseFromParent();
        continue;
      }
      for (unsigned N = 1; M.getNamedGlobal(Name); ++N)
        Name = engineName("const", ModuleName, (Twine("lit.") + Hash + "." + Twine(N)).str());
    }
    GV.setName(Name);
    GV.setLinkage(GlobalValue::ExternalLinkage);
    GV.setVisibility(GlobalValue::DefaultVisibility);
    GV.setUnnamedAddr(GlobalValue::UnnamedAddr::None);
  }
}

ModuleFacts collectFacts(const Module &M) {
  ModuleFacts Facts;
  StringMap<std::string> States = stateIdentities(M);
  for (const Function &F : M.functions()) {
    if (F.isIntrinsic() || isLLVMReserved(F))
      continue;
    if (!F.isDeclaration()) {
      if (F.hasLocalLinkage())
        continue;
      std::string Type = typeText(F.getFunctionType());
      if (auto State = States.find(F.getName()); State != States.end())
        Type += State->second; // OldState.h: closures keep the code they were made with.
      Facts.Functions[F.getName()] = std::move(Type);
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
    if (GV.isConstant() && !GV.isDeclaration())
      Type += " constant"; // So is constness: constants are mapped read-only.
    if (isDataGlobal(GV)) {
      Facts.Globals[GV.getName()] = Type;
      if (GV.isThreadLocal())
        Facts.ThreadLocals.insert(GV.getName());
    } else if (GV.hasExternalWeakLinkage())
      Facts.WeakGlobalRefs[GV.getName()] = Type;
    else if (GV.isDeclaration() && !GV.use_empty())
      Facts.GlobalRefs[GV.getName()] = Type;
  }
  Facts.Constructors = constructorDigests(M);
  return Facts;
}

namespace {

bool isDataAlias(const GlobalValue &GV) {
  auto *A = dyn_cast<GlobalAlias>(&GV);
  return A && !A->hasLocalLinkage() && isa_and_nonnull<GlobalVariable>(A->getAliaseeObject());
}

/// Replaces alias \p A by a declaration of the same name and value type.
void aliasToDeclaration(GlobalAlias &A) {
  auto *Decl = new GlobalVariable(*A.getParent(), A.getValueType(),
                                  /*isConstant=*/false, GlobalValue::ExternalLinkage, nullptr, "");
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
  std::unique_ptr<Module> Data = CloneModule(Code, VMap, [](const GlobalValue *GV) {
    // Label addresses name blocks of the code, which the data module
    // does not define.
    if (auto *Var = dyn_cast<GlobalVariable>(GV))
      return !holdsLabelAddresses(*Var) && !isTableImage(Var->getName());
    return isDataAlias(*GV);
  });
  Data->setModuleIdentifier(Code.getModuleIdentifier() + ".data");

  // The data module defines only the new globals; the rest it references.
  for (GlobalAlias &A : make_early_inc_range(Data->aliases()))
    if (isDataAlias(A) && !NewGlobals.contains(A.getName()))
      aliasToDeclaration(A);
  for (GlobalVariable &GV : Data->globals()) {
    if (isLLVMReserved(GV) || !isDataGlobal(GV))
      continue;
    if (!mutation::GlobalsNotBound && !NewGlobals.contains(GV.getName())) {
      GV.setInitializer(nullptr);
      GV.setLinkage(GlobalValue::ExternalLinkage);
      GV.setDSOLocal(false);
    } else if (isAbiTable(GV)) {
      GV.setConstant(false); // Replacements rewrite it in place (OldState.h).
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
      if (isAbiTable(GV))
        GV.setConstant(false); // Rewritten in place: no load of it may be reused.
    }
  return DefinesAny ? std::move(Data) : nullptr;
}

std::string linkName(const ModuleFacts &Facts, StringRef Name) {
  if (Facts.ThreadLocals.contains(Name))
    return ("__emutls_v." + Name).str();
  return Name.str();
}

std::string copyName(StringRef Public, StringRef Module, uint64_t Version) {
  return implementationName(engineName("copy", Module, Public), Version);
}

StringMap<Implementation> renameImplementations(Module &M, uint64_t Version, StringRef ModuleName) {
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
    std::string Impl = B == Binding::Strong ? implementationName(Public, Version)
                                            : copyName(Public, ModuleName, Version);
    GV->setName(Impl);
    GV->setLinkage(GlobalValue::ExternalLinkage);
    GV->setVisibility(GlobalValue::DefaultVisibility);
    Function *Decl = Function::Create(Target->getFunctionType(), GlobalValue::ExternalLinkage,
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
    auto *Anchor = new GlobalVariable(M, ImplDecl->getType(), /*isConstant=*/true,
                                      GlobalValue::ExternalLinkage, ImplDecl, Impl + ".addr");
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
