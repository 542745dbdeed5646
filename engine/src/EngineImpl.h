// Engine::Impl: the owner of all engine state, in four parts with narrow ties — the ORC composition
// (OrcStack), the live tables (LiveState, with their protocol and lock order), retirement
// (memory/Retirement.h: given the session and the code-size plugin) and tier-up
// (compile/TierUp.h: a thread whose job commits) — plus the stub table, the host symbols and the
// epoch domain. A commit (commit/Commit.cpp) is the only writer of the
// live tables; lookups in Engine.cpp read them under LiveState::Lock.
#ifndef HOTJIT_ENGINE_SRC_ENGINEIMPL_H
#define HOTJIT_ENGINE_SRC_ENGINEIMPL_H

#include "LiveState.h"
#include "compile/CodeCache.h"
#include "compile/TierUp.h"
#include "memory/Retirement.h"
#include "memory/StubTable.h"
#include "resolution/HostSymbols.h"

#include "hotjit/engine/Engine.h"

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/IRCompileLayer.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/TargetParser/Triple.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace hotjit {
namespace commit {
struct Transaction;
} // namespace commit

class Compiler;
class EHFramePlugin;
class PerfMapPlugin;
class TbbTaskDispatcher;

/// The ORC composition, as KaleidoscopeJIT holds it: a session, a linking
/// layer with its plugins, a compile layer, and three JITDylibs searched in
/// this order by JIT code: hotjit.code (the modules), hotjit.stubs (every
/// managed function's stub), hotjit.host (host symbols). Built once by
/// Engine::Impl::create(); its members are not reassigned afterwards.
struct OrcStack {
private:
  // First: destroyed after the session, whose error reporter writes them.
  std::mutex LinkErrorLock; ///< A leaf lock.
  std::string LinkErrors;

public:
  std::unique_ptr<CodeCache> Cache; ///< Null unless EngineOptions::ObjectCache.
  std::unique_ptr<llvm::orc::ExecutionSession> ES;
  std::unique_ptr<llvm::orc::ObjectLinkingLayer> ObjLayer;
  std::unique_ptr<llvm::orc::IRCompileLayer> CompileLayer;
  Compiler *TheCompiler = nullptr;         ///< Owned by CompileLayer.
  TbbTaskDispatcher *Dispatcher = nullptr; ///< Owned by the session; null if in place.
  std::shared_ptr<CodeSizePlugin> CodeSizes;
  std::shared_ptr<EHFramePlugin> EHFrames;
  std::shared_ptr<PerfMapPlugin> PerfMap; ///< Null unless EngineOptions::PerfMap.
  llvm::orc::JITDylib *StubsJD = nullptr;
  llvm::orc::JITDylib *HostJD = nullptr;
  llvm::orc::JITDylib *CodeJD = nullptr;
  llvm::Triple TT;
  llvm::DataLayout DL;

  /// What ORC reported (from any thread) since the last takeLinkErrors().
  void noteLinkError(std::string Text);
  std::string takeLinkErrors();
};

/// Counters behind EngineStats that the engine keeps itself; lock-free.
struct EngineCounters {
  std::atomic<uint64_t> Commits{0}, FailedCommits{0}, TierUps{0}, TypeChanges{0};
  std::atomic<uint32_t> CommitsWaiting{0};  ///< EngineStats::CommitsWaiting.
  std::atomic<uint32_t> PreparedBatches{0}; ///< EngineStats::PreparedBatches.
  std::atomic<int64_t> LastTier0Ns{0}, LastTierUpNs{0};
};

class Engine::Impl {
public:
  static llvm::Expected<std::unique_ptr<Impl>> create(EngineOptions Opts);
  ~Impl();

  /// Runs one batch through the stages of commit/Commit.cpp.
  llvm::Expected<CommitReport> commit(std::vector<Batch::Op> Ops, std::optional<unsigned> Level);
  /// Runs one batch through the stages up to construct() and detaches it
  /// (commit/Prepared.cpp); publish() or discard() ends it.
  llvm::Expected<std::shared_ptr<PreparedBatch::State>> prepare(std::vector<Batch::Op> Ops,
                                                                std::optional<unsigned> Level);
  llvm::Expected<CommitReport> publish(PreparedBatch::State &S);
  void discard(PreparedBatch::State &S);
  /// A handle dropped unpublished: discarded now, or, when the calling
  /// thread is pinned (it must not wait for the commit lock), by the next
  /// commit, prepare() or publish(), or the engine's destruction.
  void abandon(std::shared_ptr<PreparedBatch::State> S);
  EpochDomain &epochs() const { return *Domain; }
  /// This thread holds some engine's commit lock (it runs a constructor or
  /// an exit handler of a commit): it must not wait for the lock again.
  static bool holdsCommitLock();
  /// The __dso_handle of live module \p Module (null if it has none).
  const void *dsoHandleOf(llvm::StringRef Module) const;
  /// Runs the exit handlers of live modules \p Leaving, most recent
  /// registrations first, then their finalisers: highest priority first, and
  /// within one priority in the reverse of the order they were constructed.
  void tearDown(const std::vector<std::string> &Leaving);

  const EngineOptions Opts;
  OrcStack Orc;
  StubTable Stubs;
  HostSymbols Host;
  std::mutex CommitLock; ///< One commit at a time; first in the lock order.
  /// Batches prepared and not yet published or discarded (under CommitLock).
  std::set<PreparedBatch::State *> Prepared;
  /// The transactions of prepared batches published since the last prepare() or commit(), which
  /// free them: off publish()'s path (under CommitLock).
  std::vector<std::unique_ptr<commit::Transaction>> Finished;
  /// Handles dropped by pinned threads (abandon()), under AbandonLock.
  std::mutex AbandonLock;
  std::vector<std::shared_ptr<PreparedBatch::State>> Abandoned;
  LiveState State;
  EngineCounters Counters;
  std::unique_ptr<Retirement> Retired;
  std::unique_ptr<TierUp> Tiers; ///< Null unless tiered compilation is on.
  /// Declared last: destroyed first, running the pending removals while the
  /// session is still alive.
  std::unique_ptr<EpochDomain> Domain;

private:
  Impl(EngineOptions Opts, bool RuntimeLibraries);
  /// The refusals that precede the commit lock: an optimisation level over 3,
  /// a calling thread that holds a guard (counted as a failed commit).
  llvm::Error refuseCommit(std::optional<unsigned> Level);
  /// A transaction for a batch at \p Level (tiered: O0 first when unset).
  std::unique_ptr<commit::Transaction> begin(std::optional<unsigned> Level);
  /// Discards every batch still prepared; their handles become stale.
  void discardPrepared();
  /// Discards the batches abandon() deferred (called with CommitLock).
  void discardAbandoned();
  /// \p S leaves Prepared (called with CommitLock).
  void forgetPrepared(PreparedBatch::State *S);
  /// Runs the stages up to construct() (called with CommitLock); a failure is
  /// undone and counted.
  llvm::Error prepareLocked(commit::Transaction &T, std::vector<Batch::Op> &Ops,
                            std::chrono::steady_clock::time_point Start,
                            std::chrono::steady_clock::time_point &Linked);
  /// Discards prepared batch \p S, by the engine's destruction if \p EngineDestroyed
  /// (called with CommitLock).
  void discardLocked(PreparedBatch::State &S, bool EngineDestroyed);
  /// Recompiles version \p Version of \p Module at the engine's level (the
  /// tier-up thread's job).
  void tierUp(const std::string &Module, uint64_t Version);
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_ENGINEIMPL_H
