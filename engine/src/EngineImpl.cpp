// The engine's composition (KaleidoscopeJIT's shape): session, linking layer and plugins, compile
// layer, JITDylibs, epoch domain, retirement and tier-up; and its orderly teardown.
#include "EngineImpl.h"

#include "Mutations.h"
#include "commit/Transaction.h"
#include "compile/Compiler.h"
#include "compile/TbbTaskDispatcher.h"
#include "debugging/GdbJitPlugin.h"
#include "debugging/PerfMapPlugin.h"
#include "memory/CodeMemoryMapper.h"
#include "memory/QuarantineMemoryManager.h"
#include "memory/SlotCallPlugin.h"
#include "runtime/CxxRuntime.h"
#include "runtime/EHFramePlugin.h"

#include "llvm/ExecutionEngine/Orc/Debugging/PerfSupportPlugin.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/MapperJITLinkMemoryManager.h"
#include "llvm/ExecutionEngine/Orc/SelfExecutorProcessControl.h"
#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderPerf.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <thread>
#include <tuple>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

void OrcStack::noteLinkError(std::string Text) {
  std::lock_guard<std::mutex> L(LinkErrorLock);
  if (!LinkErrors.empty())
    LinkErrors += "; ";
  LinkErrors += Text;
}

std::string OrcStack::takeLinkErrors() {
  std::lock_guard<std::mutex> L(LinkErrorLock);
  return std::exchange(LinkErrors, {});
}

namespace {

/// Address space the memory manager reserves at a time (read-write, touched
/// only where code is placed): 64 MiB holds some thousands of small modules.
constexpr size_t CodeReservationBytes = size_t(64) << 20;
/// Address space next to the first code reservation for stub blocks (40 KiB
/// per 1024 stubs): about 400 000 stubs whose slots JIT code reads RIP-relative.
constexpr size_t StubReservationBytes = size_t(16) << 20;

/// Where linked code lives. By default every module is sub-allocated from
/// large read-write reservations: a link costs an mprotect per segment
/// instead of an mmap, and freeing code returns its pages to the reservation
/// (no munmap, no TLB shoot-down on every core). Stubs go right above the
/// first reservation: JIT code loads their slots RIP-relative (StubTable.h).
Expected<std::unique_ptr<jitlink::JITLinkMemoryManager>> makeMemoryManager(const EngineOptions &O,
                                                                           StubTable &Stubs) {
  if (O.QuarantineRetiredCode)
    return QuarantineMemoryManager::create();
  auto Mapper = CodeMemoryMapper::Create();
  if (!Mapper)
    return Mapper.takeError();
  auto StubArea = (*Mapper)->reserveFirst(CodeReservationBytes, StubReservationBytes);
  if (!StubArea)
    return StubArea.takeError();
  Stubs.setPlacementArea(StubArea->Start.toPtr<void *>(), StubArea->size());
  return std::make_unique<MapperJITLinkMemoryManager>(CodeReservationBytes, std::move(*Mapper));
}

/// The session, compiling on oneTBB (or on the calling thread); every error
/// ORC reports goes to \p Orc's link errors.
Error makeSession(const EngineOptions &O, OrcStack &Orc,
                  std::unique_ptr<jitlink::JITLinkMemoryManager> MemMgr) {
  std::unique_ptr<TaskDispatcher> Dispatcher;
  if (O.CompileInCallingThread) {
    Dispatcher = std::make_unique<InPlaceTaskDispatcher>();
  } else {
    unsigned Threads =
        O.CompileThreads ? O.CompileThreads : std::max(1u, std::thread::hardware_concurrency());
    auto Tbb = std::make_unique<TbbTaskDispatcher>(Threads);
    Orc.Dispatcher = Tbb.get();
    Dispatcher = std::move(Tbb);
  }
  auto EPC = SelfExecutorProcessControl::Create(nullptr, std::move(Dispatcher), std::move(MemMgr));
  if (!EPC)
    return EPC.takeError();
  Orc.ES = std::make_unique<ExecutionSession>(std::move(*EPC));
  Orc.ES->setErrorReporter([&Orc](Error Err) { Orc.noteLinkError(toString(std::move(Err))); });
  return Error::success();
}

/// The host's target, position-independent, small code model.
Expected<JITTargetMachineBuilder> hostTarget(const EngineOptions &O) {
  auto JTMB = JITTargetMachineBuilder::detectHost();
  if (!JTMB)
    return JTMB.takeError();
  JTMB->setRelocationModel(Reloc::PIC_);
  JTMB->setCodeModel(CodeModel::Small);
  JTMB->setCodeGenOptLevel(O.OptLevel == 0   ? CodeGenOptLevel::None
                           : O.OptLevel == 1 ? CodeGenOptLevel::Less
                           : O.OptLevel == 2 ? CodeGenOptLevel::Default
                                             : CodeGenOptLevel::Aggressive);
  if (!JTMB->getTargetTriple().isOSLinux() || JTMB->getTargetTriple().getArch() != Triple::x86_64)
    return makeError(ErrorKind::Unsupported, "hotjit supports x86-64 Linux hosts only, not " +
                                                 JTMB->getTargetTriple().str());
  return JTMB;
}

/// The linking layer and its plugins: calls through slots, EH frames, code
/// sizes, gdb, perf.
Error addLinkingLayer(const EngineOptions &O, OrcStack &Orc, const StubTable &Stubs) {
  Orc.ObjLayer = std::make_unique<ObjectLinkingLayer>(*Orc.ES);
  Orc.ObjLayer->addPlugin(std::make_shared<SlotCallPlugin>(Stubs));
  auto EH = EHFramePlugin::create(*Orc.ES, O.UnwindIndex);
  if (!EH)
    return EH.takeError();
  Orc.EHFrames = std::move(*EH);
  Orc.ObjLayer->addPlugin(Orc.EHFrames);
  Orc.CodeSizes = std::make_shared<CodeSizePlugin>();
  Orc.ObjLayer->addPlugin(Orc.CodeSizes);
  if (O.DebugInfoRegistration)
    Orc.ObjLayer->addPlugin(std::make_shared<GdbJitPlugin>());
  if (O.PerfMap) {
    Orc.PerfMap = std::make_shared<PerfMapPlugin>();
    Orc.ObjLayer->addPlugin(Orc.PerfMap);
  }
  if (O.PerfJitDump) {
    // The target-process side is libLLVM's own (TargetProcess/JITLoaderPerf): this process.
    Orc.ObjLayer->addPlugin(std::make_shared<PerfSupportPlugin>(
        Orc.ES->getExecutorProcessControl(),
        ExecutorAddr::fromPtr(&llvm_orc_registerJITLoaderPerfStart),
        ExecutorAddr::fromPtr(&llvm_orc_registerJITLoaderPerfEnd),
        ExecutorAddr::fromPtr(&llvm_orc_registerJITLoaderPerfImpl), /*EmitDebugInfo=*/true,
        /*EmitUnwindInfo=*/false));
  }
  return Error::success();
}

/// The compile layer: hotjit's Compiler, with the object cache if enabled.
Error addCompileLayer(const EngineOptions &O, OrcStack &Orc, JITTargetMachineBuilder JTMB) {
  if (O.ObjectCache) {
    auto Cache = CodeCache::create(O.CacheDirectory, O.CacheMemoryBytes);
    if (!Cache)
      return Cache.takeError();
    Orc.Cache = std::move(*Cache);
  }
  auto C = Compiler::create(std::move(JTMB), O.OptLevel, Orc.Cache.get());
  if (!C)
    return C.takeError();
  Orc.TheCompiler = C->get();
  Orc.CompileLayer = std::make_unique<IRCompileLayer>(*Orc.ES, *Orc.ObjLayer, std::move(*C));
  return Error::success();
}

/// hotjit.code links against hotjit.stubs, then hotjit.host.
void addJITDylibs(OrcStack &Orc, HostSymbols &Host) {
  Orc.StubsJD = &Orc.ES->createBareJITDylib("hotjit.stubs");
  Orc.HostJD = &Orc.ES->createBareJITDylib("hotjit.host");
  Orc.HostJD->addGenerator(Host.generator());
  Orc.CodeJD = &Orc.ES->createBareJITDylib("hotjit.code");
  Orc.CodeJD->setLinkOrder({{Orc.StubsJD, JITDylibLookupFlags::MatchExportedSymbolsOnly},
                            {Orc.HostJD, JITDylibLookupFlags::MatchExportedSymbolsOnly}});
}

std::unique_ptr<EpochDomain> makeDomain(const EngineOptions &O) {
  EpochDomainOptions DO;
  DO.StallThreshold = O.StallThreshold;
  DO.ReclaimDelay = O.ReclaimDelay;
  DO.OnStall = O.OnStall;
  DO.UnsafeSkipGracePeriod = O.UnsafeReclaimWithoutGracePeriod || mutation::NoGracePeriod;
  DO.StackCheckAfter = O.StackCheckAfter;
  DO.StackCheckSignal = O.StackCheckSignal;
  DO.UnsafeStackCheckFindsNothing = mutation::StackCheckFindsNothing;
  return std::make_unique<EpochDomain>(std::move(DO));
}

} // namespace

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
  auto JTMB = hostTarget(O);
  if (!JTMB)
    return JTMB.takeError();
  I->Orc.TT = JTMB->getTargetTriple();
  auto DL = JTMB->getDefaultDataLayoutForTarget();
  if (!DL)
    return DL.takeError();
  I->Orc.DL = *DL;
  auto MemMgr = makeMemoryManager(O, I->Stubs);
  if (!MemMgr)
    return MemMgr.takeError();
  if (auto Err = makeSession(O, I->Orc, std::move(*MemMgr)))
    return std::move(Err);
  if (auto Err = addLinkingLayer(O, I->Orc, I->Stubs))
    return std::move(Err);
  if (auto Err = addCompileLayer(O, I->Orc, std::move(*JTMB)))
    return std::move(Err);
  addJITDylibs(I->Orc, I->Host);
  I->Domain = makeDomain(O);
  runtime::registerDomain(I->Domain.get());
  I->Retired = std::make_unique<Retirement>(*I->Orc.ES, *I->Domain, I->Orc.CodeSizes);
  if (O.Tiered && O.OptLevel > 0)
    I->Tiers = std::make_unique<TierUp>(
        [Raw = I.get()](const std::string &M, uint64_t V) { Raw->tierUp(M, V); });
  return std::move(I);
}

void Engine::Impl::tierUp(const std::string &Module, uint64_t Version) {
  std::shared_ptr<const SavedSource> Source;
  {
    std::shared_lock<std::shared_mutex> L(State.Lock);
    auto It = State.Modules.find(Module);
    if (It == State.Modules.end() || It->second.Version != Version)
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
  ++Counters.TierUps;
  Counters.LastTierUpNs = R->Total.count();
}

Engine::Impl::~Impl() {
  Tiers.reset();
  discardPrepared();
  // Exit handlers of every live module, then finalisers (runtime/CxxRuntime.h).
  std::vector<std::string> Live;
  for (auto &[Name, M] : State.Modules)
    Live.push_back(Name);
  tearDown(Live);
  runtime::unregisterDomain(Domain.get());
  // The perf map keeps what is live now: perf reads it after the process.
  if (Orc.PerfMap)
    Orc.PerfMap->freeze();
  // Run every pending removal (this waits for a final grace period), then
  // free everything else the session holds.
  Domain.reset();
  // Let go of the live trackers while the session still runs: a tracker that
  // owns no symbols (a module that defines only data) is not made defunct by
  // endSession(), and destroying it afterwards would create a default tracker
  // that nothing frees.
  State.Modules.clear();
  State.Globals.clear();
  if (!Orc.ES)
    return; // create() failed before the session existed.
  if (auto Err = Orc.ES->endSession())
    Orc.ES->reportError(std::move(Err));
}

const void *Engine::Impl::dsoHandleOf(StringRef Module) const {
  auto It = State.Globals.find(dsoHandleName(Module));
  return It == State.Globals.end() ? nullptr : It->second.Address;
}

void Engine::Impl::tearDown(const std::vector<std::string> &Leaving) {
  struct Fini {
    uint64_t Priority, Created, Position;
    const void *Address;
  };
  std::vector<const void *> Dsos;
  std::vector<Fini> Finis;
  for (const std::string &Name : Leaving) {
    if (const void *D = dsoHandleOf(Name))
      Dsos.push_back(D);
    auto It = State.Modules.find(Name);
    if (It != State.Modules.end())
      for (const RunnerAddress &R : It->second.Fini)
        Finis.push_back({R.Priority, It->second.Created, It->second.Position, R.Address});
  }
  runtime::runExitHandlers(Dsos);
  // A native exit runs .fini_array from its end: highest priority first, and
  // within one priority the last input file first.
  std::sort(Finis.begin(), Finis.end(), [](const Fini &A, const Fini &B) {
    return std::tie(A.Priority, A.Created, A.Position) >
           std::tie(B.Priority, B.Created, B.Position);
  });
  for (const Fini &F : Finis)
    reinterpret_cast<void (*)()>(const_cast<void *>(F.Address))();
}

} // namespace hotjit
