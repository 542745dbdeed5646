// Engine composition (KaleidoscopeJIT-style): session, linking and compile layers, stub table,
// host symbols, epoch domain; plus the lookups readers use.
#include "EngineImpl.h"

#include "memory/CodeMemoryMapper.h"
#include "compile/Compiler.h"
#include "runtime/CxxRuntime.h"
#include "runtime/EHFramePlugin.h"
#include "debugging/GdbJitPlugin.h"
#include "Mutations.h"
#include "debugging/PerfMapPlugin.h"
#include "memory/QuarantineMemoryManager.h"
#include "compile/TbbTaskDispatcher.h"

#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/MapperJITLinkMemoryManager.h"
#include "llvm/ExecutionEngine/Orc/SelfExecutorProcessControl.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <thread>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

char EngineError::ID = 0;

void EngineError::log(raw_ostream &OS) const { OS << Message; }

std::error_code EngineError::convertToErrorCode() const {
  return inconvertibleErrorCode();
}

std::pair<ErrorKind, std::string> takeError(Error E) {
  std::pair<ErrorKind, std::string> Out{ErrorKind::Link, ""};
  handleAllErrors(
      std::move(E),
      [&](const EngineError &EE) {
        Out = {EE.kind(), EE.message()};
      },
      [&](const ErrorInfoBase &EB) { Out.second = EB.message(); });
  return Out;
}

// ---- ModuleSource ----------------------------------------------------------

ModuleSource ModuleSource::fromIR(std::string Text) {
  return ModuleSource(Kind::IRText, std::move(Text));
}
ModuleSource ModuleSource::fromBitcode(std::string Bytes) {
  return ModuleSource(Kind::Bitcode, std::move(Bytes));
}
ModuleSource ModuleSource::fromFile(std::string Path) {
  return ModuleSource(Kind::File, std::move(Path));
}
ModuleSource ModuleSource::fromModule(std::unique_ptr<LLVMContext> Ctx,
                                      std::unique_ptr<Module> M) {
  ModuleSource S(Kind::Module, M ? M->getModuleIdentifier() : "");
  S.Ctx = std::move(Ctx);
  S.M = std::move(M);
  return S;
}
ModuleSource::ModuleSource(ModuleSource &&) = default;
ModuleSource &ModuleSource::operator=(ModuleSource &&) = default;
ModuleSource::~ModuleSource() {
  M.reset(); // The module must die before its context.
  Ctx.reset();
}
std::unique_ptr<LLVMContext> ModuleSource::takeContext() {
  return std::move(Ctx);
}
std::unique_ptr<Module> ModuleSource::takeModule() { return std::move(M); }

// ---- Batch -----------------------------------------------------------------

Batch &Batch::add(std::string Name, ModuleSource S) {
  Ops.push_back({Op::Kind::Add, std::move(Name), std::move(S)});
  return *this;
}
Batch &Batch::replace(std::string Name, ModuleSource S) {
  Ops.push_back({Op::Kind::Replace, std::move(Name), std::move(S)});
  return *this;
}
Batch &Batch::put(std::string Name, ModuleSource S) {
  Ops.push_back({Op::Kind::Put, std::move(Name), std::move(S)});
  return *this;
}
Batch &Batch::remove(std::string Name, RemoveMode Mode) {
  Ops.push_back({Op::Kind::Remove, std::move(Name), std::nullopt, Mode});
  return *this;
}
Batch &Batch::optLevel(unsigned L) {
  Level = L;
  return *this;
}
Expected<CommitReport> Batch::commit() { return E.commit(std::move(Ops), Level); }

// ---- Code size accounting --------------------------------------------------

/// Records how many bytes each resource tracker's linked code occupies, so
/// retired code can be reported and capped in bytes.
class CodeSizePlugin : public ObjectLinkingLayer::Plugin {
public:
  void modifyPassConfig(MaterializationResponsibility &MR, jitlink::LinkGraph &,
                        jitlink::PassConfiguration &Config) override {
    Config.PostAllocationPasses.push_back([this, &MR](jitlink::LinkGraph &G) {
      size_t Bytes = 0;
      for (auto &Sec : G.sections())
        for (auto *B : Sec.blocks())
          Bytes += B->getSize();
      return MR.withResourceKeyDo([&](ResourceKey K) {
        std::lock_guard<std::mutex> L(Lock);
        Sizes[K] += Bytes;
      });
    });
  }
  Error notifyFailed(MaterializationResponsibility &) override {
    return Error::success();
  }
  Error notifyRemovingResources(JITDylib &, ResourceKey K) override {
    std::lock_guard<std::mutex> L(Lock);
    Sizes.erase(K);
    return Error::success();
  }
  void notifyTransferringResources(JITDylib &, ResourceKey Dst,
                                   ResourceKey Src) override {
    std::lock_guard<std::mutex> L(Lock);
    auto It = Sizes.find(Src);
    if (It == Sizes.end())
      return;
    Sizes[Dst] += It->second;
    Sizes.erase(Src);
  }
  size_t bytes(ResourceKey K) {
    std::lock_guard<std::mutex> L(Lock);
    auto It = Sizes.find(K);
    return It == Sizes.end() ? 0 : It->second;
  }

private:
  std::mutex Lock;
  std::map<ResourceKey, size_t> Sizes;
};

// ---- Construction ----------------------------------------------------------

/// Address space the memory manager reserves at a time (read-write, touched
/// only where code is placed): 64 MiB holds some thousands of small modules.
constexpr size_t CodeReservationBytes = size_t(64) << 20;
/// Address space next to the first code reservation for stub blocks (40 KiB
/// per 1024 stubs): about 400 000 stubs in reach of `call rel32`.
constexpr size_t StubReservationBytes = size_t(16) << 20;

Engine::Impl::Impl(EngineOptions O, bool RuntimeLibraries)
    : Opts(std::move(O)), Host(RuntimeLibraries) {}

Expected<std::unique_ptr<Engine::Impl>> Engine::Impl::create(EngineOptions O) {
  static std::once_flag InitTargets;
  std::call_once(InitTargets, [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    InitializeNativeTargetAsmParser();
  });
  if (O.OptLevel > 3)
    return makeError(ErrorKind::Unsupported,
                     "OptLevel must be 0 to 3, not " + std::to_string(O.OptLevel));

  std::unique_ptr<Impl> I(new Impl(O, O.LinkRuntimeLibraries));
  unsigned Threads = O.CompileThreads ? O.CompileThreads
                                      : std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<jitlink::JITLinkMemoryManager> MemMgr;
  if (O.QuarantineRetiredCode) {
    auto Q = QuarantineMemoryManager::create();
    if (!Q)
      return Q.takeError();
    MemMgr = std::move(*Q);
  } else {
    // Sub-allocates every module from large read-write reservations: a link
    // costs an mprotect per segment instead of an mmap, and freeing code
    // returns its pages to the reservation instead of unmapping them (no
    // munmap, no TLB shoot-down on every core).
    auto Mapper = CodeMemoryMapper::Create();
    if (!Mapper)
      return Mapper.takeError();
    // Stubs go right above the first reservation: JIT code calls them with a
    // `call rel32` (StubTable.h, "Placement").
    auto StubArea = (*Mapper)->reserveFirst(CodeReservationBytes, StubReservationBytes);
    if (!StubArea)
      return StubArea.takeError();
    I->Stubs.setPlacementArea(StubArea->Start.toPtr<void *>(), StubArea->size());
    MemMgr = std::make_unique<MapperJITLinkMemoryManager>(CodeReservationBytes,
                                                          std::move(*Mapper));
  }
  std::unique_ptr<TaskDispatcher> Dispatcher;
  if (O.CompileInCallingThread)
    Dispatcher = std::make_unique<InPlaceTaskDispatcher>();
  else {
    auto Tbb = std::make_unique<TbbTaskDispatcher>(Threads);
    I->Dispatcher = Tbb.get();
    Dispatcher = std::move(Tbb);
  }
  auto EPC = SelfExecutorProcessControl::Create(nullptr, std::move(Dispatcher),
                                                std::move(MemMgr));
  if (!EPC)
    return EPC.takeError();
  I->OwnedES = std::make_unique<ExecutionSession>(std::move(*EPC));
  I->ES = I->OwnedES.get();
  I->ES->setErrorReporter([Raw = I.get()](Error Err) {
    std::string Text = toString(std::move(Err));
    std::lock_guard<std::mutex> L(Raw->LinkErrorLock);
    if (!Raw->LinkErrors.empty())
      Raw->LinkErrors += "; ";
    Raw->LinkErrors += Text;
  });

  auto JTMB = JITTargetMachineBuilder::detectHost();
  if (!JTMB)
    return JTMB.takeError();
  JTMB->setRelocationModel(Reloc::PIC_);
  JTMB->setCodeModel(CodeModel::Small);
  JTMB->setCodeGenOptLevel(O.OptLevel == 0   ? CodeGenOptLevel::None
                           : O.OptLevel == 1 ? CodeGenOptLevel::Less
                           : O.OptLevel == 2 ? CodeGenOptLevel::Default
                                             : CodeGenOptLevel::Aggressive);
  I->TT = JTMB->getTargetTriple();
  auto DL = JTMB->getDefaultDataLayoutForTarget();
  if (!DL)
    return DL.takeError();
  I->DL = *DL;
  if (I->TT.getArch() != Triple::x86_64 || !I->TT.isOSLinux())
    return makeError(ErrorKind::Unsupported,
                     "hotjit supports x86-64 Linux hosts only, not " +
                         I->TT.str());

  I->ObjLayer = std::make_unique<ObjectLinkingLayer>(*I->ES);
  auto EH = EHFramePlugin::create(*I->ES, O.UnwindIndex);
  if (!EH)
    return EH.takeError();
  I->EHFrames = std::move(*EH);
  I->ObjLayer->addPlugin(I->EHFrames);
  I->CodeSizes = std::make_shared<CodeSizePlugin>();
  I->ObjLayer->addPlugin(I->CodeSizes);
  if (O.DebugInfoRegistration)
    I->ObjLayer->addPlugin(std::make_shared<GdbJitPlugin>());
  if (O.PerfMap) {
    I->PerfMap = std::make_shared<PerfMapPlugin>();
    I->ObjLayer->addPlugin(I->PerfMap);
  }

  if (O.ObjectCache) {
    auto Cache = CodeCache::create(O.CacheDirectory, O.CacheMemoryBytes);
    if (!Cache)
      return Cache.takeError();
    I->Cache = std::move(*Cache);
  }
  auto C = Compiler::create(std::move(*JTMB), O.OptLevel, I->Cache.get());
  if (!C)
    return C.takeError();
  I->TheCompiler = C->get();
  I->CompileLayer =
      std::make_unique<IRCompileLayer>(*I->ES, *I->ObjLayer, std::move(*C));

  I->StubsJD = &I->ES->createBareJITDylib("hotjit.stubs");
  I->HostJD = &I->ES->createBareJITDylib("hotjit.host");
  I->HostJD->addGenerator(I->Host.generator());
  I->CodeJD = &I->ES->createBareJITDylib("hotjit.code");
  I->CodeJD->setLinkOrder({{I->StubsJD, JITDylibLookupFlags::MatchExportedSymbolsOnly},
                           {I->HostJD, JITDylibLookupFlags::MatchExportedSymbolsOnly}});

  EpochDomainOptions DO;
  DO.StallThreshold = O.StallThreshold;
  DO.ReclaimDelay = O.ReclaimDelay;
  DO.OnStall = O.OnStall;
  DO.UnsafeSkipGracePeriod =
      O.UnsafeReclaimWithoutGracePeriod || mutation::NoGracePeriod;
  I->Domain = std::make_unique<EpochDomain>(std::move(DO));
  runtime::registerDomain(I->Domain.get());
  if (O.Tiered && O.OptLevel > 0)
    I->TierThread = std::thread([Raw = I.get()] { Raw->tierUpLoop(); });
  return std::move(I);
}

void Engine::Impl::queueTierUp(std::string Module, uint64_t Version) {
  {
    std::lock_guard<std::mutex> L(TierLock);
    TierQueue.emplace_back(std::move(Module), Version);
  }
  TierReady.notify_one();
}

void Engine::Impl::tierUpLoop() {
  for (;;) {
    std::pair<std::string, uint64_t> Job;
    {
      std::unique_lock<std::mutex> L(TierLock);
      TierReady.wait(L, [&] { return TierStop || !TierQueue.empty(); });
      if (TierStop)
        return;
      Job = std::move(TierQueue.front());
      TierQueue.pop_front();
      TierBusy = true;
    }
    tierUp(Job.first, Job.second);
    {
      std::lock_guard<std::mutex> L(TierLock);
      TierBusy = false;
    }
    TierIdle.notify_all();
  }
}

void Engine::Impl::tierUp(const std::string &Module, uint64_t Version) {
  std::shared_ptr<const SavedSource> Source;
  {
    std::shared_lock<std::shared_mutex> L(TableLock);
    auto It = Modules.find(Module);
    if (It == Modules.end() || It->second.Version != Version)
      return; // Replaced or removed meanwhile: nothing to optimise.
    Source = It->second.Source;
  }
  if (Opts.BeforeTierUp)
    Opts.BeforeTierUp(Module, Version);
  Batch::Op Op{Batch::Op::Kind::Replace, Module,
               Source->Bitcode ? ModuleSource::fromBitcode(Source->Bytes)
                               : ModuleSource::fromIR(Source->Bytes)};
  if constexpr (!mutation::TierUpUnguarded)
    Op.IfVersion = Version;
  std::vector<Batch::Op> Ops;
  Ops.push_back(std::move(Op));
  auto R = commit(std::move(Ops), Opts.OptLevel);
  if (!R) {
    consumeError(R.takeError()); // Superseded by a newer commit.
    return;
  }
  ++TierUps;
  LastTierUpNs = R->Total.count();
}

Engine::Impl::~Impl() {
  if (TierThread.joinable()) {
    {
      std::lock_guard<std::mutex> L(TierLock);
      TierStop = true;
    }
    TierReady.notify_all();
    TierThread.join();
  }
  // Exit handlers of every live module, most recent registrations first, then
  // finalisers, newest module first (CxxRuntime.h).
  std::vector<const void *> Dsos;
  std::vector<std::pair<uint64_t, const void *>> Finis;
  for (auto &[Name, M] : Modules) {
    if (const void *D = dsoHandleOf(Name))
      Dsos.push_back(D);
    if (M.Fini)
      Finis.push_back({M.Created, M.Fini});
  }
  runtime::runExitHandlers(Dsos);
  std::sort(Finis.rbegin(), Finis.rend());
  for (auto &[Created, Fini] : Finis)
    reinterpret_cast<void (*)()>(const_cast<void *>(Fini))();
  runtime::unregisterDomain(Domain.get());
  // The perf map keeps what is live now: perf reads it after the process.
  if (PerfMap)
    PerfMap->freeze();
  // Run every pending removal (this waits for a final grace period), then
  // free everything else the session holds.
  Domain.reset();
  // Let go of the live trackers while the session still runs: a tracker that
  // owns no symbols (a module that defines only data) is not made defunct by
  // endSession(), and destroying it afterwards would create a default tracker
  // that nothing frees.
  Modules.clear();
  Globals.clear();
  if (!ES)
    return; // create() failed before the session existed.
  if (auto Err = ES->endSession())
    ES->reportError(std::move(Err));
}

namespace {
/// The removal of a retired tracker, as the reclaimer runs it.
std::function<void()> freeing(Engine::Impl &E, ResourceTrackerSP RT, std::string What) {
  return [&E, RT = std::move(RT), What = std::move(What)]() mutable {
    auto T0 = std::chrono::steady_clock::now();
    if (auto Err = RT->remove())
      E.ES->reportError(joinErrors(
          makeError(ErrorKind::Link, "freeing " + What + " failed"), std::move(Err)));
    E.FreeNs += std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - T0)
                    .count();
    ++E.VersionsFreed;
  };
}
} // namespace

void Engine::Impl::retire(ResourceTrackerSP RT, std::string What) {
  size_t Bytes = CodeSizes->bytes(RT->getKeyUnsafe());
  ++VersionsRetired;
  Domain->retire(freeing(*this, std::move(RT), std::move(What)), Bytes);
}

void Engine::Impl::retireBehindStubs(
    std::vector<std::pair<ResourceTrackerSP, std::string>> Code,
    std::function<void()> TrapStubs) {
  size_t Bytes = 0;
  for (auto &[RT, What] : Code)
    Bytes += CodeSizes->bytes(RT->getKeyUnsafe());
  VersionsRetired += Code.size();
  // The first grace period lets callers compiled against the old types (old
  // code, host handles) keep running the old implementations; the trap then
  // stops new entries, and the second one waits out those already inside.
  // The domain itself, not the member: ~Impl resets that member before the
  // domain's destructor runs the last callbacks.
  EpochDomain *D = Domain.get();
  D->retire(
      [this, D, Code = std::move(Code), TrapStubs = std::move(TrapStubs)]() mutable {
        TrapStubs();
        for (auto &[RT, What] : Code) {
          size_t B = CodeSizes->bytes(RT->getKeyUnsafe());
          D->retire(freeing(*this, std::move(RT), std::move(What)), B);
        }
      },
      Bytes);
}

const void *Engine::Impl::dsoHandleOf(StringRef Module) const {
  auto It = Globals.find(dsoHandleName(Module));
  return It == Globals.end() ? nullptr : It->second.Address;
}

void Engine::Impl::tearDown(StringRef Module) {
  runtime::runExitHandlers(dsoHandleOf(Module));
  auto It = Modules.find(Module.str());
  if (It != Modules.end() && It->second.Fini)
    reinterpret_cast<void (*)()>(const_cast<void *>(It->second.Fini))();
}

Engine::Engine(std::unique_ptr<Impl> I) : I(std::move(I)) {}
Engine::~Engine() = default;

Expected<std::unique_ptr<Engine>> Engine::create(EngineOptions Options) {
  auto I = Impl::create(std::move(Options));
  if (!I)
    return I.takeError();
  return std::unique_ptr<Engine>(new Engine(std::move(*I)));
}

Expected<CommitReport> Engine::commit(std::vector<Batch::Op> Ops,
                                      std::optional<unsigned> Level) {
  return I->commit(std::move(Ops), Level);
}

Expected<CommitReport> Engine::rollback(StringRef Name) {
  std::string Module = Name.str();
  std::shared_ptr<const SavedSource> Previous;
  {
    std::shared_lock<std::shared_mutex> L(I->TableLock);
    if (!I->Modules.count(Module)) {
      auto F = I->Functions.find(Name);
      if (F == I->Functions.end() || !F->second.Live)
        return makeError(ErrorKind::NoSuchModule,
                         "rollback: no live module or function named '" +
                             Module + "'");
      Module = F->second.Module;
    }
    Previous = I->Modules[Module].Previous;
  }
  if (!Previous)
    return makeError(ErrorKind::NoSuchModule,
                     "rollback: module '" + Module + "' has no previous version");
  return replace(Module, Previous->Bitcode ? ModuleSource::fromBitcode(Previous->Bytes)
                                           : ModuleSource::fromIR(Previous->Bytes));
}

Expected<CommitReport> Engine::add(std::string Name, ModuleSource S) {
  return batch().add(std::move(Name), std::move(S)).commit();
}
Expected<CommitReport> Engine::replace(std::string Name, ModuleSource S) {
  return batch().replace(std::move(Name), std::move(S)).commit();
}
Expected<CommitReport> Engine::remove(std::string Name, RemoveMode Mode) {
  return batch().remove(std::move(Name), Mode).commit();
}

Error Engine::addHostSymbol(StringRef Name, const void *Address) {
  if (Name.empty() || !Address)
    return makeError(ErrorKind::Undefined,
                     "host symbol needs a name and a non-null address");
  return I->Host.add(Name, Address);
}

// ---- Lookups ---------------------------------------------------------------

namespace {
Error notLive(const FunctionRecord *R, StringRef Name) {
  if (R && !R->RemovedFrom.empty())
    return makeError(ErrorKind::RemovedFunction,
                     "called removed function '" + Name.str() +
                         "' (removed with module '" + R->RemovedFrom + "')");
  return makeError(ErrorKind::NoSuchFunction,
                   "no live function named '" + Name.str() + "'");
}
} // namespace

Expected<void *> Engine::lookupAddress(StringRef Name) const {
  std::shared_lock<std::shared_mutex> L(I->TableLock);
  auto It = I->Functions.find(Name);
  const FunctionRecord *R = It == I->Functions.end() ? nullptr : &It->second;
  if (!R || !R->Live)
    return notLive(R, Name);
  return R->Stub.Stub;
}

Expected<std::string> Engine::signatureOf(StringRef Name) const {
  std::shared_lock<std::shared_mutex> L(I->TableLock);
  auto It = I->Functions.find(Name);
  const FunctionRecord *R = It == I->Functions.end() ? nullptr : &It->second;
  if (!R || !R->Live)
    return notLive(R, Name);
  return R->Type;
}

Expected<void *> Engine::lookupAddress(StringRef Name,
                                       const std::string &Sig) const {
  std::shared_lock<std::shared_mutex> L(I->TableLock);
  auto It = I->Functions.find(Name);
  const FunctionRecord *R = It == I->Functions.end() ? nullptr : &It->second;
  if (!R || !R->Live)
    return notLive(R, Name);
  if (!mutation::NoSignatureCheck && R->Type != Sig)
    return makeError(ErrorKind::Signature,
                     "function '" + Name.str() + "' (module '" + R->Module +
                         "') has type '" + R->Type +
                         "', but the host looked it up as '" + Sig + "'");
  return R->Stub.Stub;
}

Expected<void *> Engine::lookupGlobal(StringRef Name) const {
  std::shared_lock<std::shared_mutex> L(I->TableLock);
  auto It = I->Globals.find(Name);
  if (It == I->Globals.end() || It->second.Owners.empty())
    return makeError(ErrorKind::Undefined,
                     "no live global variable named '" + Name.str() + "'");
  if (It->second.ThreadLocal) {
    // The calling thread's instance (libgcc's emulated TLS).
    using GetAddress = void *(*)(void *);
    static auto Get = reinterpret_cast<GetAddress>(
        const_cast<void *>(I->Host.find("__emutls_get_address")));
    if (!Get)
      return makeError(ErrorKind::Undefined, "thread-local '" + Name.str() +
                                                 "': __emutls_get_address is not reachable");
    return Get(It->second.Address);
  }
  return It->second.Address;
}

std::optional<uint64_t> Engine::versionOf(StringRef Name) const {
  std::shared_lock<std::shared_mutex> L(I->TableLock);
  auto It = I->Functions.find(Name);
  if (It == I->Functions.end() || !It->second.Live)
    return std::nullopt;
  return It->second.Version;
}

std::vector<std::string> Engine::modules() const {
  std::shared_lock<std::shared_mutex> L(I->TableLock);
  std::vector<std::string> Names;
  for (const auto &[Name, R] : I->Modules)
    Names.push_back(Name);
  return Names;
}

void Engine::setRemovedFunctionHandler(RemovedFunctionHandler H) {
  I->Stubs.setTrapHandler(std::move(H));
}

EpochDomain &Engine::epochs() const { return *I->Domain; }

void Engine::waitForTierUps() {
  std::unique_lock<std::mutex> L(I->TierLock);
  I->TierIdle.wait(L, [&] {
    return I->TierStop || !I->TierThread.joinable() || (I->TierQueue.empty() && !I->TierBusy);
  });
}

void Engine::waitForReclamation() {
  // Twice: code behind stale stubs is retired again by a callback of the
  // first barrier (Engine::Impl::retireBehindStubs).
  I->Domain->barrier();
  I->Domain->barrier();
  if (I->PerfMap)
    I->PerfMap->flush();
}

EngineStats Engine::stats() const {
  EngineStats S;
  {
    std::shared_lock<std::shared_mutex> L(I->TableLock);
    S.LiveModules = I->Modules.size();
    for (const auto &F : I->Functions)
      S.LiveFunctions += F.second.Live;
  }
  S.Commits = I->Commits.load();
  S.FailedCommits = I->FailedCommits.load();
  S.VersionsRetired = I->VersionsRetired.load();
  S.VersionsFreed = I->VersionsFreed.load();
  CompileCounters &CC = I->TheCompiler->counters();
  S.ModulesCompiled = CC.Compiled.load();
  S.CacheHits = CC.CacheHits.load();
  S.CacheCorrupt = I->Cache ? I->Cache->corruptEntries() : 0;
  S.CacheUntrusted = I->Cache ? I->Cache->untrustedEntries() : 0;
  S.PerfMapFailures = PerfMapPlugin::failures();
  S.TierUps = I->TierUps.load();
  S.TypeChanges = I->TypeChanges.load();
  S.CommitsWaiting = I->CommitsWaiting.load();
  S.LastTier0Latency = std::chrono::nanoseconds(I->LastTier0Ns.load());
  S.LastTierUpLatency = std::chrono::nanoseconds(I->LastTierUpNs.load());
  S.FreeTime = std::chrono::nanoseconds(I->FreeNs.load());
  S.UnwindIndex = I->EHFrames->usesIndex();
  S.Epochs = I->Domain->stats();
  S.RetiredBytesPending = S.Epochs.RetiredBytesPending;
  return S;
}

} // namespace hotjit
