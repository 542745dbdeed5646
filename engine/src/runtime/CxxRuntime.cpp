// C and C++ runtime support for JIT code (see CxxRuntime.h for the protocol).
#include "runtime/CxxRuntime.h"

#include "Mutations.h"
#include "rewrite/ModuleRewriter.h"
#include "runtime/SignalHandlers.h"

#include "hotjit/concurrency/EpochGuard.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <dlfcn.h>
#include <memory>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <thread>
#include <threads.h>
#include <unordered_map>

using namespace llvm;

extern "C" {
// Exported by libc.so.6 (the public names live in libc_nonshared.a).
int __cxa_at_quick_exit(void (*Fn)(void), void *Dso);
int __register_atfork(void (*Prepare)(void), void (*Parent)(void), void (*Child)(void), void *Dso);
}

namespace hotjit {

std::string dsoHandleName(StringRef ModuleName) { return engineName("dso", ModuleName); }

bool isEngineSymbol(StringRef Name) {
  // Promoted internal symbols of the module are its own code, not the engine's.
  return Name.starts_with("__hotjit.") && !Name.starts_with("__hotjit.local.") &&
         !Name.starts_with("__hotjit.anon.");
}

void prepareRuntime(Module &M, StringRef ModuleName) {
  GlobalVariable *Dso = M.getNamedGlobal("__dso_handle");
  Function *AtExit = M.getFunction("atexit");
  const bool UsesAtExit = AtExit && AtExit->isDeclaration() && !AtExit->use_empty();
  if ((!Dso || !Dso->isDeclaration()) && !UsesAtExit)
    return;
  LLVMContext &Ctx = M.getContext();
  Type *I8 = Type::getInt8Ty(Ctx);
  auto *Own = new GlobalVariable(M, I8, /*isConstant=*/false, GlobalValue::ExternalLinkage,
                                 ConstantInt::get(I8, 0), dsoHandleName(ModuleName));
  if (Dso && Dso->isDeclaration()) {
    Dso->replaceAllUsesWith(Own);
    Dso->eraseFromParent();
  }
  if (!UsesAtExit)
    return;
  // atexit(f) is __cxa_atexit(f, null, __dso_handle), as glibc defines it.
  Type *Ptr = PointerType::getUnqual(Ctx);
  FunctionCallee CxaAtExit =
      M.getOrInsertFunction("__cxa_atexit", Type::getInt32Ty(Ctx), Ptr, Ptr, Ptr);
  Function *Shim = Function::Create(AtExit->getFunctionType(), GlobalValue::InternalLinkage,
                                    "__hotjit.atexit", M);
  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", Shim));
  Value *R = B.CreateCall(CxaAtExit,
                          {Shim->getArg(0), ConstantPointerNull::get(cast<PointerType>(Ptr)), Own});
  if (Shim->getReturnType()->isVoidTy())
    B.CreateRetVoid();
  else
    B.CreateRet(B.CreateIntCast(R, Shim->getReturnType(), /*isSigned=*/true));
  AtExit->replaceAllUsesWith(Shim);
  AtExit->eraseFromParent();
}

namespace {

/// The functions listed in llvm.global_ctors or llvm.global_dtors, with
/// their priorities, in array order.
std::vector<std::pair<uint64_t, Function *>> listed(const Module &M, StringRef Array) {
  std::vector<std::pair<uint64_t, Function *>> Out;
  const GlobalVariable *GV = M.getNamedGlobal(Array);
  if (!GV || !GV->hasInitializer())
    return Out;
  auto *Entries = dyn_cast<ConstantArray>(GV->getInitializer());
  if (!Entries)
    return Out;
  for (const Use &U : Entries->operands()) {
    auto *Entry = dyn_cast<ConstantStruct>(U.get());
    if (!Entry || Entry->getNumOperands() < 2)
      continue;
    auto *Priority = dyn_cast<ConstantInt>(Entry->getOperand(0));
    auto *F = dyn_cast<Function>(Entry->getOperand(1)->stripPointerCasts());
    if (Priority && F)
      Out.push_back({Priority->getZExtValue(), F});
  }
  return Out;
}

void collectGlobalsIn(const Constant *C, StringSet<> &Out,
                      SmallPtrSetImpl<const Constant *> &Seen) {
  if (!Seen.insert(C).second)
    return;
  if (auto *GV = dyn_cast<GlobalVariable>(C)) {
    if (!GV->isConstant() && !GV->getName().starts_with("llvm."))
      Out.insert(GV->getName());
    return;
  }
  if (isa<GlobalValue>(C))
    return;
  for (const Use &Op : C->operands())
    if (auto *OpC = dyn_cast<Constant>(Op.get()))
      collectGlobalsIn(OpC, Out, Seen);
}

} // namespace

StringSet<> globalsInitialisedByConstructors(const Module &M) {
  StringSet<> Globals;
  SmallPtrSet<const Function *, 16> Visited;
  SmallPtrSet<const Constant *, 32> Seen;
  std::vector<const Function *> Work;
  for (auto &[Priority, F] : listed(M, "llvm.global_ctors"))
    Work.push_back(F);
  while (!Work.empty()) {
    const Function *F = Work.back();
    Work.pop_back();
    if (!Visited.insert(F).second || F->isDeclaration())
      continue;
    for (const BasicBlock &BB : *F)
      for (const Instruction &I : BB)
        for (const Use &Op : I.operands()) {
          if (auto *Callee = dyn_cast<Function>(Op.get()); Callee && Callee->hasLocalLinkage())
            Work.push_back(Callee);
          else if (auto *C = dyn_cast<Constant>(Op.get()))
            collectGlobalsIn(C, Globals, Seen);
        }
  }
  return Globals;
}

Initialisers gatherInitialisers(Module &M, StringRef ModuleName, uint64_t Version) {
  Initialisers Out;
  for (bool Ctors : {true, false}) {
    StringRef Array = Ctors ? "llvm.global_ctors" : "llvm.global_dtors";
    auto Entries = listed(M, Array);
    if (GlobalVariable *GV = M.getNamedGlobal(Array))
      GV->eraseFromParent();
    // Constructors run lowest priority first, destructors highest first.
    std::stable_sort(Entries.begin(), Entries.end(), [&](auto &A, auto &B) {
      return Ctors ? A.first < B.first : A.first > B.first;
    });
    std::vector<Runner> &Runners = Ctors ? Out.Init : Out.Fini;
    LLVMContext &Ctx = M.getContext();
    std::optional<IRBuilder<>> B;
    for (auto &[Priority, F] : Entries) {
      if (Runners.empty() || Runners.back().Priority != Priority) {
        if (B)
          B->CreateRetVoid();
        std::string Name = implementationName(
            engineName(Ctors ? "init" : "fini", ModuleName, std::to_string(Priority)), Version);
        Function *Run = Function::Create(FunctionType::get(Type::getVoidTy(Ctx), false),
                                         GlobalValue::ExternalLinkage, Name, M);
        B.emplace(BasicBlock::Create(Ctx, "entry", Run));
        Runners.push_back({Priority, std::move(Name)});
      }
      B->CreateCall(F->getFunctionType(), F);
    }
    if (B)
      B->CreateRetVoid();
  }
  return Out;
}

void bridgeHostThreadLocals(Module &M, function_ref<bool(StringRef)> DefinedByJit) {
  std::vector<GlobalVariable *> Host;
  for (GlobalVariable &GV : M.globals())
    if (GV.isThreadLocal() && GV.isDeclaration() && !DefinedByJit(GV.getName()))
      Host.push_back(&GV);
  if (Host.empty())
    return;
  LLVMContext &Ctx = M.getContext();
  Type *Ptr = PointerType::getUnqual(Ctx);
  FunctionCallee Resolve = M.getOrInsertFunction("__hotjit_host_tls", Ptr, Ptr);
  for (GlobalVariable *GV : Host) {
    // One getter per variable: `ptr @__hotjit.tls.<name>()`.
    Function *Getter = Function::Create(FunctionType::get(Ptr, false), GlobalValue::InternalLinkage,
                                        "__hotjit.tls." + GV->getName(), M);
    IRBuilder<> B(BasicBlock::Create(Ctx, "entry", Getter));
    Value *Name = B.CreateGlobalString(GV->getName(), "__hotjit.tls.name");
    B.CreateRet(B.CreateCall(Resolve, {Name}));
    for (Use &U : make_early_inc_range(GV->uses())) {
      if (auto *II = dyn_cast<IntrinsicInst>(U.getUser());
          II && II->getIntrinsicID() == Intrinsic::threadlocal_address) {
        IRBuilder<> At(II);
        II->replaceAllUsesWith(At.CreateCall(Getter));
        II->eraseFromParent();
      } else if (auto *I = dyn_cast<Instruction>(U.getUser())) {
        IRBuilder<> At(I);
        U.set(At.CreateCall(Getter));
      }
    }
    if (GV->use_empty())
      GV->eraseFromParent();
  }
}

// ---- Process-wide state -------------------------------------------------------

namespace runtime {
namespace {

struct ExitEntry {
  void (*Fn)(void *);
  void *Arg;
  const void *Dso;
};

struct State {
  std::mutex Lock;
  std::vector<ExitEntry> Exits;
  bool ProcessExitHook = false;
  std::vector<EpochDomain *> Domains;
};

/// Never destroyed: handlers may run during process exit, after static
/// destructors of this library.
State &state() {
  static State *S = new State;
  return *S;
}

/// Pops the newest entry accepted by \p Match; false when none is left.
template <typename MatchFn> bool popNewest(MatchFn Match, ExitEntry &Out) {
  State &S = state();
  std::lock_guard<std::mutex> L(S.Lock);
  for (size_t I = S.Exits.size(); I-- > 0;)
    if (Match(S.Exits[I].Dso)) {
      Out = S.Exits[I];
      S.Exits.erase(S.Exits.begin() + I);
      return true;
    }
  return false;
}

template <typename MatchFn> void runWhile(MatchFn Match) {
  for (ExitEntry E; popNewest(Match, E);)
    E.Fn(E.Arg);
}

void runAllAtProcessExit() {
  runWhile([](const void *) { return true; });
}

/// Pins the calling thread in every live engine's domain while in scope.
class PinEveryDomain {
public:
  PinEveryDomain() {
    if constexpr (mutation::UnpinnedJitThreads)
      return;
    State &S = state();
    std::lock_guard<std::mutex> L(S.Lock);
    Pinned = S.Domains;
    for (EpochDomain *D : Pinned)
      D->enter();
  }
  ~PinEveryDomain() {
    for (EpochDomain *D : Pinned)
      D->exit();
  }

private:
  std::vector<EpochDomain *> Pinned;
};

struct PthreadStart {
  void *(*Start)(void *);
  void *Arg;
};

void *pinnedPthreadStart(void *P) {
  PthreadStart S = *static_cast<PthreadStart *>(P);
  delete static_cast<PthreadStart *>(P);
  PinEveryDomain Pins;
  return S.Start(S.Arg);
}

struct ThrdStart {
  thrd_start_t Start;
  void *Arg;
};

/// glibc's thrd_t is a pthread_t and thrd_join reads the start routine's int
/// result from pthread_join's value, so a C11 thread can be a pthread.
void *pinnedThrdStart(void *P) {
  ThrdStart S = *static_cast<ThrdStart *>(P);
  delete static_cast<ThrdStart *>(P);
  PinEveryDomain Pins;
  return reinterpret_cast<void *>(static_cast<intptr_t>(S.Start(S.Arg)));
}

/// std::thread's state, run pinned.
class PinnedThreadState final : public std::thread::_State {
public:
  explicit PinnedThreadState(std::unique_ptr<std::thread::_State> Inner)
      : Inner(std::move(Inner)) {}
  void _M_run() override {
    PinEveryDomain Pins;
    Inner->_M_run();
  }

private:
  std::unique_ptr<std::thread::_State> Inner;
};

constexpr const char *StartThreadSymbol =
    "_ZNSt6thread15_M_start_threadESt10unique_ptrINS_6_StateESt14default_deleteIS1_EEPFvvE";

} // namespace
} // namespace runtime

extern "C" {

static int hotjitCxaAtExit(void (*Fn)(void *), void *Arg, void *Dso) {
  runtime::State &S = runtime::state();
  std::lock_guard<std::mutex> L(S.Lock);
  if (!S.ProcessExitHook) {
    std::atexit(runtime::runAllAtProcessExit);
    S.ProcessExitHook = true;
  }
  S.Exits.push_back({Fn, Arg, Dso});
  return 0;
}

static int hotjitAtQuickExit(void (*Fn)(void)) { return __cxa_at_quick_exit(Fn, nullptr); }

static int hotjitPthreadAtFork(void (*Prepare)(void), void (*Parent)(void), void (*Child)(void)) {
  return __register_atfork(Prepare, Parent, Child, nullptr);
}

static int hotjitPthreadCreate(pthread_t *T, const pthread_attr_t *Attr, void *(*Start)(void *),
                               void *Arg) {
  auto *S = new runtime::PthreadStart{Start, Arg};
  int R = ::pthread_create(T, Attr, runtime::pinnedPthreadStart, S);
  if (R != 0)
    delete S;
  return R;
}

// Started with pthread_create (which sanitizers intercept; glibc's thrd_create calls pthread's
// internals directly).
static int hotjitThrdCreate(thrd_t *T, thrd_start_t Start, void *Arg) {
  static_assert(sizeof(thrd_t) == sizeof(pthread_t));
  auto *S = new runtime::ThrdStart{Start, Arg};
  int R = ::pthread_create(reinterpret_cast<pthread_t *>(T), nullptr, runtime::pinnedThrdStart, S);
  if (R == 0)
    return thrd_success;
  delete S;
  return R == ENOMEM ? thrd_nomem : thrd_error;
}

// Joined and detached as pthreads too, so that a sanitizer sees what it saw created.
static int hotjitThrdJoin(thrd_t T, int *Result) {
  void *Value = nullptr;
  if (::pthread_join(static_cast<pthread_t>(T), &Value) != 0)
    return thrd_error;
  if (Result)
    *Result = static_cast<int>(reinterpret_cast<intptr_t>(Value));
  return thrd_success;
}

static int hotjitThrdDetach(thrd_t T) {
  return ::pthread_detach(static_cast<pthread_t>(T)) == 0 ? thrd_success : thrd_error;
}

// std::thread::_M_start_thread(unique_ptr<_State>, void (*)()): the unique_ptr is passed by
// address (a by-value parameter of non-trivial type), the caller destroys it afterwards.
static void hotjitStartThread(std::thread *Self, std::unique_ptr<std::thread::_State> *State,
                              void (*Depend)()) {
  using StartFn = void (*)(std::thread *, std::unique_ptr<std::thread::_State> *, void (*)());
  static auto Real = reinterpret_cast<StartFn>(::dlsym(RTLD_DEFAULT, runtime::StartThreadSymbol));
  std::unique_ptr<std::thread::_State> Pinned(new runtime::PinnedThreadState(std::move(*State)));
  Real(Self, &Pinned, Depend);
}

/// The calling thread's instance of the host thread-local \p Name.
static void *hotjitHostThreadLocal(const char *Name) {
  thread_local std::unordered_map<std::string, void *> Cache;
  auto [It, New] = Cache.try_emplace(Name, nullptr);
  if (New)
    It->second = ::dlsym(RTLD_DEFAULT, Name); // TLS symbols: this thread's address.
  return It->second;
}

} // extern "C"

namespace runtime {

const StringMap<const void *> &interposed() {
  // Never destroyed: a live engine's compile threads resolve symbols through it until the process
  // ends, after static destructors have run (a live engine frees nothing at exit).
  static const StringMap<const void *> &Table = *[] {
    auto &T = *new StringMap<const void *>;
    T["__cxa_atexit"] = reinterpret_cast<const void *>(&hotjitCxaAtExit);
    T["at_quick_exit"] = reinterpret_cast<const void *>(&hotjitAtQuickExit);
    T["pthread_atfork"] = reinterpret_cast<const void *>(&hotjitPthreadAtFork);
    T["__pthread_atfork"] = reinterpret_cast<const void *>(&hotjitPthreadAtFork);
    T["pthread_create"] = reinterpret_cast<const void *>(&hotjitPthreadCreate);
    T["thrd_create"] = reinterpret_cast<const void *>(&hotjitThrdCreate);
    T["thrd_join"] = reinterpret_cast<const void *>(&hotjitThrdJoin);
    T["thrd_detach"] = reinterpret_cast<const void *>(&hotjitThrdDetach);
    T[StartThreadSymbol] = reinterpret_cast<const void *>(&hotjitStartThread);
    T["__hotjit_host_tls"] = reinterpret_cast<const void *>(&hotjitHostThreadLocal);
    addSignalFunctions(T);
    return &T;
  }();
  return Table;
}

void runExitHandlers(const void *Dso) {
  if (Dso)
    runWhile([Dso](const void *D) { return D == Dso; });
}

void runExitHandlers(const std::vector<const void *> &Dsos) {
  runWhile(
      [&](const void *D) { return D && std::find(Dsos.begin(), Dsos.end(), D) != Dsos.end(); });
}

void registerDomain(EpochDomain *D) {
  State &S = state();
  {
    std::lock_guard<std::mutex> L(S.Lock);
    S.Domains.push_back(D);
  }
  registerSignalDomain(D);
}

void unregisterDomain(EpochDomain *D) {
  unregisterSignalDomain(D);
  State &S = state();
  std::lock_guard<std::mutex> L(S.Lock);
  S.Domains.erase(std::remove(S.Domains.begin(), S.Domains.end(), D), S.Domains.end());
}

} // namespace runtime

} // namespace hotjit
