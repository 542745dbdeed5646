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

/// Runs the stages of the top of this file; times from \p Start go to T.Report.
Error runStages(Transaction &T, std::vector<Batch::Op> &Ops, Clock::time_point Start) {
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
  auto Linked = Clock::now();
  publish(T);
  retire(T);
  // Every version interns new implementation names; ORC's pool keeps dead
  // entries until asked, so sweep it now and then to keep memory flat.
  if (++T.E.Counters.Commits % 1024 == 0)
    T.E.Orc.ES->getSymbolStringPool()->clearDeadEntries();
  auto End = Clock::now();
  T.Report.Parse = Loaded - Start;
  T.Report.Prepare = Prepared - Loaded;
  T.Report.Link = Linked - Prepared;
  T.Report.Publish = End - Linked;
  T.Report.Total = End - Start;
  return Error::success();
}

} // namespace
} // namespace commit

Expected<CommitReport> Engine::Impl::commit(std::vector<Batch::Op> Ops,
                                            std::optional<unsigned> Level) {
  auto Start = commit::Clock::now(); // Report.Total includes waiting for CommitLock.
  if (Level && *Level > 3)
    return commit::fail(ErrorKind::Unsupported,
                        "optimisation level must be 0 to 3, not " + Twine(*Level));
  auto Failed = [&](Error Err) -> Expected<CommitReport> {
    ++Counters.FailedCommits;
    return std::move(Err);
  };
  if (Domain->isPinned())
    return Failed(commit::fail(ErrorKind::Unsupported,
                               "commit called while holding an EpochGuard of this "
                               "engine (it could wait for itself)"));
  // Declared before the lock: the batch's modules and contexts are freed
  // after the next commit may start.
  commit::Transaction T(*this, Level);
  // Tiered engines publish batches without an explicit level at O0 first.
  T.Tier0 = !Level && Opts.Tiered && Opts.OptLevel > 0;
  T.Report.OptLevel = Level ? *Level : T.Tier0 ? 0 : Opts.OptLevel;
  std::lock_guard<std::mutex> L(CommitLock);
  if (auto Err = commit::runStages(T, Ops, Start)) {
    T.Undo.run();
    return Failed(std::move(Err));
  }
  T.Undo.dismiss();
  if (T.Tier0) {
    Counters.LastTier0Ns = T.Report.Total.count();
    for (commit::Incoming &I : T.In)
      Tiers->queue(I.Name, T.Report.Version);
  }
  return std::move(T.Report);
}

} // namespace hotjit
