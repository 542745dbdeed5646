// Stage prepare: each module rewritten for this engine and this version, and every function the
// batch defines given a stub.
//
// Partial replacement (keepUnchanged()). A replaced module's functions whose code digest
// (rewrite/OldState.h, codeDigests(): the function's IR and attributes, the layouts, constants and
// declarations it uses, and, transitively, every function of the module it calls) equals the live
// version's keep their code: their bodies are dropped from the new version before the rewrite,
// which leaves them declarations under their public names. So:
//   * the new piece calls a kept function through its stub (one `jmp *slot` more than the direct
//     call a whole build makes), and never inlines it;
//   * a kept function calls only functions whose code is unchanged (a callee's edit changes its
//     callers' digests), directly, inside the piece that has its code, as that piece was linked:
//     no direct call crosses pieces, so a piece lives exactly as long as a function runs it;
//   * internal functions are not shared across pieces: the new piece compiles its own copy of each
//     internal function its changed code reaches (GlobalDCE drops the rest), optimised with it as
//     a whole build would; a kept function keeps calling its own piece's copy. They hold no state
//     (normalize() makes mutable internal globals shared, module-qualified storage), except the
//     label-address state of computed gotos, which is private to each version: functions that
//     reach it are never kept (versionBound());
//   * each function's provider keeps the Impl and Version of the piece that has its code
//     (ModuleRecord::Pieces); publish() retires a piece once no function of the module runs it.
// Nothing is kept when the engine's state answers the rewrite otherwise than it answered the
// live version (stateAnswers(): extern_weak bindings, host or JIT thread-locals, whether each
// function and global it references binds to JIT code or to the host), nor when a
// closure's code changes (that version is kept whole for the closures it made).
//
// The rewrite, in order (rewrite/ModuleRewriter.h): tag the version,
// bind extern_weak references, bridge thread-locals to their definer, gather the initialisers,
// image the C++ ABI tables that live storage holds (rewrite/OldState.h), split the storage of new
// globals into a data module, rename implementations per version. Every
// question it asks of the engine's state goes through the module's RewriteRecorder, whose record
// is the object cache's key.
#include "commit/Transaction.h"

#include "compile/Compiler.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/RuntimeLibcalls.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/IPO/GlobalDCE.h"

#include <cstdio>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit::commit {
namespace {

/// What the engine's state tells the rewrite and the link of \p I that its
/// code depends on: which extern_weak references bind to null, which
/// thread-locals it declares are JIT code's (else the host's), and whether
/// each function and global it references is JIT code's (reached through its
/// stub or its storage) or the host's (and at which address).
std::string stateAnswers(const Transaction &T, Incoming &I) {
  std::vector<std::string> Parts;
  for (auto &Name : I.Ask.nullWeakRefs())
    Parts.push_back("null " + Name.getKey().str());
  auto Binding = [&](StringRef Name, bool Jit) {
    if (Jit)
      return ("jit " + Name).str();
    char Address[32];
    std::snprintf(Address, sizeof(Address), " %p", T.E.Host.find(Name));
    return ("host " + Name + Address).str();
  };
  for (auto &Ref : I.Facts.FunctionRefs)
    Parts.push_back(
        Binding(Ref.getKey(), T.definitionOf(Ref.getKey()) || T.globalExists(Ref.getKey())));
  for (auto &Ref : I.Facts.GlobalRefs)
    Parts.push_back(
        Binding(Ref.getKey(), T.globalExists(Ref.getKey()) || T.definitionOf(Ref.getKey())));
  // Functions code generation calls on its own (memcpy for a large copy, compiler-rt's helpers),
  // which the IR never names: those JIT code has ever defined.
  for (auto &Name : T.E.State.LibraryCallsDefined)
    Parts.push_back(Binding(Name.getKey(), !!T.definitionOf(Name.getKey())));
  for (GlobalVariable &GV : I.M->globals())
    if (GV.isDeclaration() && GV.isThreadLocal())
      Parts.push_back((I.Ask.jitDefinesThreadLocal(GV.getName()) ? "jit " : "host ") +
                      GV.getName().str());
  llvm::sort(Parts);
  return join(Parts, "\n");
}

/// Whether code generation may call function \p Name on its own, where the IR does not name it:
/// a runtime library call LLVM knows (memcpy, lround, fmod), a C library function it lowers an
/// idiom to (TargetLibraryInfo), or a reserved name (compiler-rt's __udivti3, __stack_chk_fail).
bool isLibraryCall(StringRef Name, const Triple &TT) {
  if (Name.starts_with("__") || !RTLIB::RuntimeLibcallsInfo::lookupLibcallImplName(Name).empty())
    return true;
  static const TargetLibraryInfoImpl Impl(TT);
  LibFunc F;
  return TargetLibraryInfo(Impl).getLibFunc(Name, F);
}

/// Functions of \p M that reach storage private to each version: an internal
/// global that is not constant (normalize() leaves only the state of label
/// addresses so), used directly or through the functions of \p M they call.
/// Each version has its own copy of that storage, so such a function cannot
/// keep an older piece's code while others move to the new copy.
DenseSet<const llvm::Function *> versionBound(const Module &M) {
  DenseSet<const llvm::Function *> Bound;
  auto Reaches = [&](const llvm::Function &F) {
    for (const Instruction &I : instructions(F))
      for (const Value *Op : I.operands()) {
        SmallVector<const Value *, 8> Work{Op};
        while (!Work.empty()) {
          const Value *V = Work.pop_back_val();
          if (auto *GV = dyn_cast<GlobalVariable>(V)) {
            if (GV->hasLocalLinkage() && !GV->isConstant())
              return true;
          } else if (auto *Callee = dyn_cast<llvm::Function>(V)) {
            if (Bound.contains(Callee))
              return true;
          } else if (auto *CE = dyn_cast<ConstantExpr>(V)) {
            Work.append(CE->op_begin(), CE->op_end());
          }
        }
      }
    return false;
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const llvm::Function &F : M.functions())
      if (!F.isDeclaration() && !Bound.contains(&F) && Reaches(F))
        Changed |= Bound.insert(&F).second;
  }
  return Bound;
}

/// Partial replacement: the functions of replaced module \p I whose code
/// digest the live version shares keep their code. Their bodies are dropped
/// from this version (calls from its code reach them through their stubs, one
/// `jmp` more than the direct call a whole build makes), and so are the
/// module's internal functions and constants that only they used. Never kept:
/// functions that module asm defines or that an alias names (the alias would
/// be left naming a declaration), functions that reach storage private to a
/// version (versionBound()); and nothing when the engine's state tells the
/// rewrite otherwise than it told the live version (stateAnswers()), or when
/// the code of a closure or coroutine of the live version changes (that
/// version is kept whole for the state it made: rewrite/OldState.h).
void keepUnchanged(const Transaction &T, Incoming &I) {
  if (I.Digests.empty())
    return; // Partial replacement is off: nothing is kept, now or by a later replacement.
  I.Answers = stateAnswers(T, I);
  if (!I.Replaces)
    return;
  const ModuleRecord &Live = *I.Live;
  if (I.Answers != Live.Answers)
    return; // Kept code was compiled under other bindings.
  // Closures or frames of the live version whose code changes or goes: that whole version is
  // kept for them (publish()'s keptModules()), and this one starts afresh.
  for (auto &F : Live.Facts.Functions)
    if (hasStateIdentity(F.getValue())) {
      auto Now = I.Facts.Functions.find(F.getKey());
      if (Now == I.Facts.Functions.end() || Now->getValue() != F.getValue())
        return;
    }
  const DenseSet<const llvm::Function *> Bound = versionBound(*I.M);
  StringSet<> Aliased;
  for (const GlobalAlias &A : I.M->aliases())
    if (const GlobalObject *Target = A.getAliaseeObject())
      Aliased.insert(Target->getName());
  for (auto &D : I.Digests) {
    StringRef Name = D.getKey();
    auto Was = Live.Digests.find(Name);
    if (Was == Live.Digests.end() || Was->second != D.getValue() ||
        I.Facts.AsmFunctions.contains(Name) || Aliased.contains(Name) ||
        !I.Facts.Functions.count(Name))
      continue;
    auto R = T.E.State.Functions.find(Name);
    if (R == T.E.State.Functions.end())
      continue;
    auto P = R->second.Providers.find(I.Name);
    if (P == R->second.Providers.end() || !P->second.Impl || !Live.Pieces.count(P->second.Version))
      continue;
    // An inline function whose stub runs another module's copy: this module's calls run its own
    // copy (README, ODR), which only its new piece can hold.
    if (I.Facts.VagueFunctions.count(Name) && R->second.Module != I.Name)
      continue;
    llvm::Function *F = I.M->getFunction(Name);
    if (!F || F->isDeclaration() || Bound.contains(F))
      continue;
    F->deleteBody();
    F->setComdat(nullptr);
    F->setLinkage(GlobalValue::ExternalLinkage);
    F->setVisibility(GlobalValue::DefaultVisibility);
    I.Kept.insert(Name);
  }
}

/// Drops the internal functions and constants of \p M that nothing live references any more (those
/// that only kept bodies or global initialisers used, once keepUnchanged() and splitData() are
/// done), also when they reference each other: LLVM's GlobalDCE.
void dropUnreferencedLocals(Module &M) {
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB;
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  ModulePassManager MPM;
  MPM.addPass(GlobalDCEPass());
  MPM.run(M, MAM);
}

void rewrite(Incoming &I, uint64_t Version) {
  tagVersion(*I.M, I.Name, Version);
  bindExternWeak(*I.M, I.Ask.nullWeakRefs());
  bridgeHostThreadLocals(*I.M, [&](StringRef N) { return I.Ask.jitDefinesThreadLocal(N); });
  I.Inits = gatherInitialisers(*I.M, I.Name, Version);
  I.Tables = addTableImages(*I.M, I.Name, Version, [&](StringRef Table) {
    return I.Facts.Globals.count(Table) && !I.Ask.creates(Table);
  });
  I.Data = splitData(*I.M, I.Ask.createdGlobals());
  if (!I.Kept.empty())
    dropUnreferencedLocals(*I.M);
  I.Impls = renameImplementations(*I.M, Version, I.Name);
}

/// A stub for every function the batch defines that has none: it traps until
/// publish() (or construct()) points it at code, and lookups do not see it.
/// Called with the table lock: the stub joins the live tables. If a stub
/// cannot be made or bound, the records made here go again (their stub-table
/// entries stay allocated, unpublished and unreachable).
Error createStubs(Transaction &T) {
  Engine::Impl &E = T.E;
  SymbolMap NewStubs;
  std::vector<std::string> Created;
  auto Forget = [&](Error Err) {
    for (const std::string &Name : Created)
      E.State.Functions.erase(Name);
    return Err;
  };
  for (Incoming &I : T.In)
    for (auto &F : I.Facts.Functions) {
      if (E.State.Functions.count(F.getKey()))
        continue;
      auto Entry = E.Stubs.create(F.getKey());
      if (!Entry)
        return Forget(Entry.takeError());
      E.State.Functions[F.getKey()].Stub = *Entry;
      Created.push_back(F.getKey().str());
      NewStubs[E.Orc.ES->intern(F.getKey())] = {
          ExecutorAddr::fromPtr(Entry->Stub), JITSymbolFlags::Exported | JITSymbolFlags::Callable};
    }
  if (NewStubs.empty())
    return Error::success();
  if (auto Err = E.Orc.StubsJD->define(absoluteSymbols(std::move(NewStubs))))
    return Forget(std::move(Err));
  return Error::success();
}

} // namespace

Error prepare(Transaction &T) {
  T.Report.Version = T.E.State.NextVersion++;
  for (Incoming &I : T.In)
    for (auto &F : I.Facts.Functions)
      if (isLibraryCall(F.getKey(), T.E.Orc.TT))
        T.E.State.LibraryCallsDefined.insert(F.getKey());
  for (Incoming &I : T.In) {
    I.Ask.answerFrom([&T](StringRef Name) { return T.globalExists(Name); });
    keepUnchanged(T, I);
    T.Report.KeptFunctions += I.Kept.size();
    T.Report.RecompiledFunctions += I.Facts.Functions.size() - I.Kept.size();
    rewrite(I, T.Report.Version);
    if (!T.E.Orc.Cache)
      continue;
    std::string Key = I.Ask.cacheKey(I.Name, *I.Source);
    if (!I.Kept.empty()) {
      // The same bytes compile to another object when other functions are kept.
      std::vector<StringRef> Kept;
      for (auto &Name : I.Kept)
        Kept.push_back(Name.getKey());
      llvm::sort(Kept);
      Key += "kept " + std::to_string(Kept.size());
      for (StringRef Name : Kept)
        Key += " " + std::to_string(Name.size()) + ":" + Name.str();
      Key += "\n";
    }
    Compiler::setCacheKey(*I.M, Key + "code\n");
    if (I.Data)
      Compiler::setCacheKey(*I.Data, Key + "data\n");
  }
  std::unique_lock<std::shared_mutex> L(T.E.State.Lock);
  if (auto Err = createStubs(T))
    return Err;
  return retypeStubs(T);
}

} // namespace hotjit::commit
