// A commit: load and check every module of a batch, link each alone, then publish all of them.
//
// The stages, in order; nothing becomes visible unless every one succeeds:
//   admit      back-pressure: wait (or refuse) while retired code over the cap awaits reclamation;
//   resolve    the batch's operations against the live module table (no state touched);
//   load       each module analysed: parsed, verified, checked, normalised, its facts collected;
//   validate   the state the batch would produce, as a whole: duplicates and ODR copies, globals,
//              extern_weak bindings, all present, signatures, removal of functions still called;
//   prepare    each module rewritten (versioned names, data split from code) and every defined
//              function given a stub of its type (a new stub traps, invisible to lookups);
//   link       every module under its own ResourceTracker, materialised by one lookup and compiled
//              in parallel by the dispatcher;
//   construct  static constructors of the modules the batch adds;
//   publish    leaving modules' exit handlers first; then, under the table lock, providers
//              updated, each changed stub pointed at its owner's copy
//              (resolution/SymbolResolution.h), records updated; then the replaced versions are
//              retired.
// A stage that fails returns an Error that names what failed (the function and the module where
// there is one); the undo actions the stages appended run newest first (Transaction.h), and
// nothing of the batch stays visible.
//
// commit() runs every stage under the commit lock. Batch::prepare() runs them up to construct(),
// detaches the batch and releases the lock; PreparedBatch::publish() takes it again, checks that
// nothing the batch was checked against moved meanwhile, and runs publish and retire
// (commit/Prepared.cpp).
#include "commit/Transaction.h"

#include "Mutations.h"

#include <chrono>

using namespace llvm;

namespace hotjit {
namespace commit {

Error fail(ErrorKind K, const Twine &Message) {
  return makeError(K, ("commit failed: " + Message).str());
}

void Rollback::run() {
  for (auto It = Actions.rbegin(); It != Actions.rend(); ++It)
    (*It)();
  Actions.clear();
}

std::optional<Definition> Transaction::definitionOf(StringRef F) const {
  if (auto It = BatchDefs.find(F); It != BatchDefs.end())
    return It->second;
  return liveDefinitionOf(F);
}

std::optional<Definition> Transaction::liveDefinitionOf(StringRef F) const {
  auto R = E.State.Functions.find(F);
  if (R == E.State.Functions.end())
    return std::nullopt;
  return ownerDefinition(R->second.Providers, [&](StringRef M) { return !Touched.count(M.str()); });
}

bool Transaction::dropsGlobal(StringRef Name) const {
  auto D = DroppedGlobals.find(Name);
  if (D == DroppedGlobals.end())
    return false;
  auto R = Removing.find(D->second);
  return R == Removing.end() || R->second != RemoveMode::Force;
}

namespace {

using Clock = std::chrono::steady_clock;

/// Runs the stages of the top of this file up to construct(); times from
/// \p Start to \p Linked (set here) go to T.Report.
Error prepareStages(Transaction &T, std::vector<Batch::Op> &Ops, Clock::time_point Start,
                    Clock::time_point &Linked) {
  if (auto Err = admit(T))
    return Err;
  if (auto Err = resolve(T, Ops))
    return Err;
  if (auto Err = load(T, Ops))
    return Err;
  auto Loaded = Clock::now();
  if (auto Err = validate(T))
    return Err;
  if (auto Err = prepare(T))
    return Err;
  auto Prepared = Clock::now();
  if (auto Err = link(T))
    return Err;
  if (auto Err = construct(T))
    return Err;
  Linked = Clock::now();
  T.Report.Parse = Loaded - Start;
  T.Report.Prepare = Prepared - Loaded;
  T.Report.Link = Linked - Prepared;
  return Error::success();
}

/// Publishes and retires (cannot fail); nothing is undone from here. Report.Publish runs from
/// \p Publishing, Report.Total from \p Start.
void publishStages(Transaction &T, Clock::time_point Start, Clock::time_point Publishing) {
  publish(T);
  retire(T);
  T.Undo.dismiss();
  // Every version interns new implementation names; ORC's pool keeps dead
  // entries until asked, so sweep it now and then to keep memory flat.
  if (++T.E.Counters.Commits % 1024 == 0)
    T.E.Orc.ES->getSymbolStringPool()->clearDeadEntries();
  auto End = Clock::now();
  T.Report.Publish = End - Publishing;
  T.Report.Total = End - Start;
  if (T.Tier0) {
    T.E.Counters.LastTier0Ns = T.Report.Total.count();
    for (Incoming &I : T.In)
      T.E.Tiers->queue(I.Name, T.Report.Version);
  }
}

} // namespace
} // namespace commit

namespace {

/// Set while this thread holds an engine's commit lock, which runs user code (constructors, exit
/// handlers): such code must not wait for the lock again (PreparedBatch in Engine.h).
thread_local bool HoldsCommitLock = false;

class CommitLockHold {
public:
  explicit CommitLockHold(std::mutex &M) : L(M) { HoldsCommitLock = true; }
  ~CommitLockHold() { HoldsCommitLock = false; }

private:
  std::lock_guard<std::mutex> L;
};

} // namespace

bool Engine::Impl::holdsCommitLock() { return HoldsCommitLock; }

Error Engine::Impl::refuseCommit(std::optional<unsigned> Level) {
  if (Level && *Level > 3)
    return commit::fail(ErrorKind::Unsupported,
                        "optimisation level must be 0 to 3, not " + Twine(*Level));
  if (!Domain->isPinned())
    return Error::success();
  ++Counters.FailedCommits;
  return commit::fail(ErrorKind::Unsupported, "commit called while holding an EpochGuard of this "
                                              "engine (it could wait for itself)");
}

std::unique_ptr<commit::Transaction> Engine::Impl::begin(std::optional<unsigned> Level) {
  auto T = std::make_unique<commit::Transaction>(*this, Level);
  // Tiered engines publish batches without an explicit level at O0 first.
  T->Tier0 = !Level && Opts.Tiered && Opts.OptLevel > 0;
  T->Report.OptLevel = Level ? *Level : T->Tier0 ? 0 : Opts.OptLevel;
  return T;
}

Expected<CommitReport> Engine::Impl::commit(std::vector<Batch::Op> Ops,
                                            std::optional<unsigned> Level) {
  auto Start = commit::Clock::now(); // Report.Total includes waiting for CommitLock.
  if (auto Err = refuseCommit(Level))
    return std::move(Err);
  // Made before the lock: the batch's modules and contexts are freed after
  // the next commit may start.
  std::unique_ptr<commit::Transaction> T = begin(Level);
  std::vector<std::unique_ptr<commit::Transaction>> Finished;
  CommitLockHold L(CommitLock);
  Finished.swap(this->Finished);
  commit::Clock::time_point Linked;
  if (auto Err = prepareLocked(*T, Ops, Start, Linked))
    return std::move(Err);
  commit::publishStages(*T, Start, Linked);
  return std::move(T->Report);
}

Expected<std::shared_ptr<PreparedBatch::State>>
Engine::Impl::prepare(std::vector<Batch::Op> Ops, std::optional<unsigned> Level) {
  auto Start = commit::Clock::now();
  if (auto Err = refuseCommit(Level))
    return std::move(Err);
  auto S = std::make_shared<PreparedBatch::State>();
  S->T = begin(Level);
  std::vector<std::unique_ptr<commit::Transaction>> Finished;
  CommitLockHold L(CommitLock);
  Finished.swap(this->Finished);
  commit::Clock::time_point Linked;
  if (auto Err = prepareLocked(*S->T, Ops, Start, Linked))
    return std::move(Err);
  S->Deps = commit::detach(*S->T);
  S->E = this;
  S->Version = S->T->Report.Version;
  Prepared.insert(S.get());
  ++Counters.PreparedBatches;
  return S;
}

Expected<CommitReport> Engine::Impl::publish(PreparedBatch::State &S) {
  auto Start = commit::Clock::now();
  if (Domain->isPinned() || HoldsCommitLock) {
    ++Counters.FailedCommits;
    return commit::fail(ErrorKind::Unsupported,
                        HoldsCommitLock
                            ? "publish called from code a commit runs (a constructor or an exit "
                              "handler): it would wait for its own commit"
                            : "publish called while holding an EpochGuard of this engine");
  }
  CommitLockHold L(CommitLock);
  discardAbandoned();
  if (auto Err = commit::checkConflicts(*S.T, S.Deps)) {
    ++Counters.FailedCommits;
    return std::move(Err);
  }
  commit::Transaction &T = *Finished.emplace_back(std::move(S.T)); // Freed by the next one.
  S.E = nullptr;
  S.Ended = PreparedBatch::State::End::Published;
  forgetPrepared(&S);
  commit::attach(T);
  commit::publishStages(T, Start, commit::Clock::now());
  return std::move(T.Report);
}

Error Engine::Impl::prepareLocked(commit::Transaction &T, std::vector<Batch::Op> &Ops,
                                  commit::Clock::time_point Start,
                                  commit::Clock::time_point &Linked) {
  discardAbandoned();
  if (auto Err = commit::prepareStages(T, Ops, Start, Linked)) {
    T.Undo.run();
    ++Counters.FailedCommits;
    return Err;
  }
  return Error::success();
}

void Engine::Impl::discard(PreparedBatch::State &S) {
  CommitLockHold L(CommitLock);
  discardAbandoned();
  if (S.E) // Else discarded by discardAbandoned() above.
    discardLocked(S, false);
}

void Engine::Impl::discardLocked(PreparedBatch::State &S, bool EngineDestroyed) {
  commit::discard(*S.T);
  S.E = nullptr;
  S.Ended = EngineDestroyed ? PreparedBatch::State::End::EngineDestroyed
                            : PreparedBatch::State::End::Discarded;
  forgetPrepared(&S);
  Finished.push_back(std::move(S.T)); // Freed by the next commit, after its lock.
}

void Engine::Impl::forgetPrepared(PreparedBatch::State *S) {
  Prepared.erase(S);
  --Counters.PreparedBatches;
  if (Prepared.empty()) { // What publications noted for prepared batches serves none now.
    State.ModuleMoves.clear();
    State.SymbolMoves.clear();
    State.ReferenceMoves.clear();
  }
}

void Engine::Impl::abandon(std::shared_ptr<PreparedBatch::State> S) {
  if (!Domain->isPinned() && !HoldsCommitLock)
    return discard(*S);
  std::lock_guard<std::mutex> L(AbandonLock);
  Abandoned.push_back(std::move(S));
}

void Engine::Impl::discardAbandoned() {
  std::vector<std::shared_ptr<PreparedBatch::State>> Dropped;
  {
    std::lock_guard<std::mutex> L(AbandonLock);
    Dropped.swap(Abandoned);
  }
  for (auto &S : Dropped)
    if (S->E)
      discardLocked(*S, false);
}

void Engine::Impl::discardPrepared() {
  CommitLockHold L(CommitLock);
  std::vector<std::shared_ptr<PreparedBatch::State>> Dropped; // Still in Prepared: discarded below.
  {
    std::lock_guard<std::mutex> A(AbandonLock);
    Dropped.swap(Abandoned);
  }
  for (PreparedBatch::State *S :
       std::vector<PreparedBatch::State *>(Prepared.begin(), Prepared.end()))
    discardLocked(*S, true);
  Finished.clear(); // Before the session they hold trackers of goes.
}

} // namespace hotjit
