// The Engine façade: batches, commits, rollback, host symbols, and the lookups readers use (under
// LiveState::Lock, shared). What the engine is made of is in EngineImpl.{h,cpp}.
#include "EngineImpl.h"

#include "Mutations.h"
#include "commit/Transaction.h"
#include "compile/Compiler.h"
#include "debugging/PerfMapPlugin.h"
#include "rewrite/OldState.h"
#include "runtime/EHFramePlugin.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

char EngineError::ID = 0;

void EngineError::log(raw_ostream &OS) const { OS << Message; }

std::error_code EngineError::convertToErrorCode() const { return inconvertibleErrorCode(); }

std::pair<ErrorKind, std::string> takeError(Error E) {
  std::pair<ErrorKind, std::string> Out{ErrorKind::Link, ""};
  handleAllErrors(
      std::move(E), [&](const EngineError &EE) { Out = {EE.kind(), EE.message()}; },
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
ModuleSource ModuleSource::fromModule(std::unique_ptr<LLVMContext> Ctx, std::unique_ptr<Module> M) {
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
std::unique_ptr<LLVMContext> ModuleSource::takeContext() { return std::move(Ctx); }
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

Expected<PreparedBatch> Batch::prepare() {
  auto S = E.I->prepare(std::move(Ops), Level);
  if (!S)
    return S.takeError();
  return PreparedBatch(std::move(*S));
}

// ---- Prepared batches --------------------------------------------------------

namespace {
Error stale(const char *What, PreparedBatch::State::End Ended) {
  using End = PreparedBatch::State::End;
  const char *Why = Ended == End::Published   ? "the batch was published"
                    : Ended == End::Discarded ? "the batch was discarded"
                                              : "its engine was destroyed (which discarded it)";
  return makeError(ErrorKind::Stale, std::string(What) + " failed: " + Why);
}
} // namespace

PreparedBatch::PreparedBatch(std::shared_ptr<State> S) : S(std::move(S)) {}
PreparedBatch::PreparedBatch(PreparedBatch &&) noexcept = default;

PreparedBatch &PreparedBatch::operator=(PreparedBatch &&Other) noexcept {
  if (this != &Other) {
    if (S && S->E)
      S->E->abandon(std::move(S));
    S = std::move(Other.S);
  }
  return *this;
}

PreparedBatch::~PreparedBatch() {
  if (S && S->E)
    S->E->abandon(std::move(S));
}

Expected<CommitReport> PreparedBatch::publish() {
  if (!S || !S->E)
    return stale("publish", S ? S->Ended : State::End::Discarded);
  return S->E->publish(*S);
}

Error PreparedBatch::discard() {
  if (!S || !S->E)
    return stale("discard", S ? S->Ended : State::End::Discarded);
  if (S->E->epochs().isPinned() || Engine::Impl::holdsCommitLock())
    return makeError(ErrorKind::Unsupported,
                     "discard called while holding an EpochGuard of the engine, or from code a "
                     "commit runs (it could wait for itself); destroying the batch instead "
                     "defers the discard");
  S->E->discard(*S);
  return Error::success();
}

uint64_t PreparedBatch::version() const { return S ? S->Version : 0; }

Engine::Engine(std::unique_ptr<Impl> I) : I(std::move(I)) {}
Engine::~Engine() = default;

Expected<std::unique_ptr<Engine>> Engine::create(EngineOptions Options) {
  auto I = Impl::create(std::move(Options));
  if (!I)
    return I.takeError();
  return std::unique_ptr<Engine>(new Engine(std::move(*I)));
}

Expected<CommitReport> Engine::commit(std::vector<Batch::Op> Ops, std::optional<unsigned> Level) {
  return I->commit(std::move(Ops), Level);
}

Expected<CommitReport> Engine::rollback(StringRef Name) {
  std::string Module = Name.str();
  std::shared_ptr<const SavedSource> Previous;
  {
    std::shared_lock<std::shared_mutex> L(I->State.Lock);
    if (!I->State.Modules.count(Module)) {
      auto F = I->State.Functions.find(Name);
      if (F == I->State.Functions.end() || !F->second.Live)
        return makeError(ErrorKind::NoSuchModule,
                         "rollback: no live module or function named '" + Module + "'");
      Module = F->second.Module;
    }
    Previous = I->State.Modules[Module].Previous;
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
    return makeError(ErrorKind::Undefined, "host symbol needs a name and a non-null address");
  return I->Host.add(Name, Address);
}

// ---- Lookups ---------------------------------------------------------------

namespace {
Error notLive(const FunctionRecord *R, StringRef Name) {
  if (R && !R->RemovedFrom.empty())
    return makeError(ErrorKind::RemovedFunction, "called removed function '" + Name.str() +
                                                     "' (removed with module '" + R->RemovedFrom +
                                                     "')");
  return makeError(ErrorKind::NoSuchFunction, "no live function named '" + Name.str() + "'");
}
} // namespace

Expected<void *> Engine::lookupAddress(StringRef Name) const {
  std::shared_lock<std::shared_mutex> L(I->State.Lock);
  auto It = I->State.Functions.find(Name);
  const FunctionRecord *R = It == I->State.Functions.end() ? nullptr : &It->second;
  if (!R || !R->Live)
    return notLive(R, Name);
  return R->Stub.Stub;
}

Expected<std::string> Engine::signatureOf(StringRef Name) const {
  std::shared_lock<std::shared_mutex> L(I->State.Lock);
  auto It = I->State.Functions.find(Name);
  const FunctionRecord *R = It == I->State.Functions.end() ? nullptr : &It->second;
  if (!R || !R->Live)
    return notLive(R, Name);
  return hotjit::signatureOf(R->Type).str();
}

Expected<void *> Engine::lookupAddress(StringRef Name, const std::string &Sig) const {
  std::shared_lock<std::shared_mutex> L(I->State.Lock);
  auto It = I->State.Functions.find(Name);
  const FunctionRecord *R = It == I->State.Functions.end() ? nullptr : &It->second;
  if (!R || !R->Live)
    return notLive(R, Name);
  if (!mutation::NoSignatureCheck && hotjit::signatureOf(R->Type) != Sig)
    return makeError(ErrorKind::Signature, "function '" + Name.str() + "' (module '" + R->Module +
                                               "') has type '" +
                                               hotjit::signatureOf(R->Type).str() +
                                               "', but the host looked it up as '" + Sig + "'");
  return R->Stub.Stub;
}

Expected<void *> Engine::lookupGlobal(StringRef Name) const {
  std::shared_lock<std::shared_mutex> L(I->State.Lock);
  auto It = I->State.Globals.find(Name);
  if (It == I->State.Globals.end() || It->second.Owners.empty())
    return makeError(ErrorKind::Undefined, "no live global variable named '" + Name.str() + "'");
  if (It->second.ThreadLocal) {
    // The calling thread's instance (libgcc's emulated TLS).
    using GetAddress = void *(*)(void *);
    static auto Get =
        reinterpret_cast<GetAddress>(const_cast<void *>(I->Host.find("__emutls_get_address")));
    if (!Get)
      return makeError(ErrorKind::Undefined,
                       "thread-local '" + Name.str() + "': __emutls_get_address is not reachable");
    return Get(It->second.Address);
  }
  return It->second.Address;
}

std::optional<uint64_t> Engine::versionOf(StringRef Name) const {
  std::shared_lock<std::shared_mutex> L(I->State.Lock);
  auto It = I->State.Functions.find(Name);
  if (It == I->State.Functions.end() || !It->second.Live)
    return std::nullopt;
  return It->second.Version;
}

std::vector<std::string> Engine::modules() const {
  std::shared_lock<std::shared_mutex> L(I->State.Lock);
  std::vector<std::string> Names;
  for (const auto &[Name, R] : I->State.Modules)
    Names.push_back(Name);
  return Names;
}

void Engine::setRemovedFunctionHandler(RemovedFunctionHandler H) {
  I->Stubs.setTrapHandler(std::move(H));
}

EpochDomain &Engine::epochs() const { return *I->Domain; }

void Engine::waitForTierUps() {
  if (I->Tiers)
    I->Tiers->waitIdle();
}

void Engine::waitForReclamation() {
  // Twice: code behind stale stubs is retired again by a callback of the
  // first barrier (Retirement::retireBehindStubs).
  I->Domain->barrier();
  I->Domain->barrier();
  if (I->Orc.PerfMap)
    I->Orc.PerfMap->flush();
}

EngineStats Engine::stats() const {
  EngineStats S;
  {
    std::shared_lock<std::shared_mutex> L(I->State.Lock);
    S.LiveModules = I->State.Modules.size();
    for (const auto &F : I->State.Functions)
      S.LiveFunctions += F.second.Live;
  }
  S.Commits = I->Counters.Commits.load();
  S.FailedCommits = I->Counters.FailedCommits.load();
  S.VersionsRetired = I->Retired->VersionsRetired.load();
  S.VersionsKept = I->Retired->VersionsKept.load();
  S.KeptBytes = I->Retired->KeptBytes.load();
  S.VersionsFreed = I->Retired->VersionsFreed.load();
  CompileCounters &CC = I->Orc.TheCompiler->counters();
  S.ModulesCompiled = CC.Compiled.load();
  S.CacheHits = CC.CacheHits.load();
  S.CacheCorrupt = I->Orc.Cache ? I->Orc.Cache->corruptEntries() : 0;
  S.CacheUntrusted = I->Orc.Cache ? I->Orc.Cache->untrustedEntries() : 0;
  S.PerfMapFailures = PerfMapPlugin::failures();
  S.TierUps = I->Counters.TierUps.load();
  S.TypeChanges = I->Counters.TypeChanges.load();
  S.CommitsWaiting = I->Counters.CommitsWaiting.load();
  S.PreparedBatches = I->Counters.PreparedBatches.load();
  S.LastTier0Latency = std::chrono::nanoseconds(I->Counters.LastTier0Ns.load());
  S.LastTierUpLatency = std::chrono::nanoseconds(I->Counters.LastTierUpNs.load());
  S.FreeTime = std::chrono::nanoseconds(I->Retired->FreeNs.load());
  S.UnwindIndex = I->Orc.EHFrames->usesIndex();
  S.Epochs = I->Domain->stats();
  S.StackChecks = S.Epochs.StackChecks;
  S.VersionsFreedByStackCheck = S.Epochs.StackCheckFrees;
  S.StackCheckHeldCode = S.Epochs.StackCheckHeld;
  S.StackCheckUnanswered = S.Epochs.StackCheckUnanswered;
  S.RetiredBytesPending = S.Epochs.RetiredBytesPending;
  return S;
}

} // namespace hotjit
