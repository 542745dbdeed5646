// Engine internals: the ORC composition and the symbol table that commits update.
#ifndef HOTJIT_ENGINE_SRC_ENGINEIMPL_H
#define HOTJIT_ENGINE_SRC_ENGINEIMPL_H

#include "compile/CodeCache.h"
#include "resolution/HostSymbols.h"
#include "memory/StubTable.h"
#include "rewrite/ModuleRewriter.h"

#include "hotjit/engine/Engine.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/IRCompileLayer.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/TargetParser/Triple.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <thread>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace hotjit {

class CodeSizePlugin;
class Compiler;
class EHFramePlugin;
class PerfMapPlugin;

/// A stub that a function had under another type: it runs only code of that
/// type (see Commit.cpp, "Type identity").
struct RetiredStub {
  StubTable::Entry Stub;
  uint64_t RetiredBy = 0; ///< Commit that gave the function another type.
};

/// A managed function: its stub and what is published in it.
struct FunctionRecord {
  StubTable::Entry Stub; ///< The stub of the current type; lookups return it.
  std::string Type;         ///< IR type text of the live (or last) definition.
  std::string Module;       ///< Defining module; empty when not live.
  std::string RemovedFrom;  ///< Module it was last removed from.
  uint64_t Version = 0;     ///< Version of the live implementation.
  bool Live = false;
  /// Live modules that define it; the stub runs electOwner()'s copy.
  ProviderMap Providers;
  /// Stubs it had under earlier types, by IR type text: each runs its last
  /// implementation of that type until that code is retired, then traps; a
  /// later commit that brings the type back publishes it again.
  std::map<std::string, RetiredStub> OtherTypes;
};

/// Storage of global variables defined by one commit of one module; freed
/// when the last of them loses its last defining module.
struct DataBlock {
  llvm::orc::ResourceTrackerSP RT;
  std::vector<std::string> Names; ///< Globals stored here.
  size_t LiveGlobals = 0;         ///< Those with a live defining module.
};

/// A global variable: its storage outlives code versions (state survives swaps).
struct GlobalRecord {
  std::string Type;
  bool ThreadLocal = false; ///< Address is its emulated-TLS control block.
  std::shared_ptr<DataBlock> Storage;
  llvm::StringSet<> Owners; ///< Live modules that define it.
  void *Address = nullptr;
};

/// The bytes a module version was committed from, kept to recommit it
/// (rollback, tier-up): IR text or bitcode.
struct SavedSource {
  bool Bitcode = false;
  std::string Bytes;
};

/// A live module version.
struct ModuleRecord {
  uint64_t Version = 0;
  uint64_t Created = 0;       ///< Version that added the module (its storage).
  const void *Fini = nullptr; ///< Its finaliser (llvm.global_dtors), if any.
  llvm::orc::ResourceTrackerSP RT;
  ModuleFacts Facts;
  std::shared_ptr<const SavedSource> Source, Previous;
};

class Engine::Impl {
public:
  static llvm::Expected<std::unique_ptr<Impl>> create(EngineOptions Opts);
  ~Impl();

  /// Runs one batch through the phases of Commit.cpp.
  llvm::Expected<CommitReport> commit(std::vector<Batch::Op> Ops,
                                      std::optional<unsigned> Level);
  /// Background tier-up: recompiles modules published at O0 at full level.
  void tierUpLoop();
  void tierUp(const std::string &Module, uint64_t Version);
  void queueTierUp(std::string Module, uint64_t Version);
  /// Retires \p RT: it is removed once no thread can be running its code.
  void retire(llvm::orc::ResourceTrackerSP RT, std::string What);
  /// The __dso_handle of live module \p Module (null if it has none).
  const void *dsoHandleOf(llvm::StringRef Module) const;
  /// Runs the exit handlers and the finaliser of live module \p Module.
  void tearDown(llvm::StringRef Module);
  /// Retires code that stale stubs still run: after one grace period
  /// \p TrapStubs points them at their traps, then each tracker is retired
  /// as by retire() (a second grace period), so no thread that entered
  /// through such a stub before the trap is still inside when it is freed.
  void retireBehindStubs(
      std::vector<std::pair<llvm::orc::ResourceTrackerSP, std::string>> Code,
      std::function<void()> TrapStubs);

  EngineOptions Opts;
  llvm::orc::ExecutionSession *ES = nullptr;
  std::unique_ptr<llvm::orc::ExecutionSession> OwnedES;
  std::unique_ptr<llvm::orc::ObjectLinkingLayer> ObjLayer;
  std::unique_ptr<llvm::orc::IRCompileLayer> CompileLayer;
  std::shared_ptr<CodeSizePlugin> CodeSizes;
  std::shared_ptr<EHFramePlugin> EHFrames;
  std::shared_ptr<PerfMapPlugin> PerfMap; ///< Null unless EngineOptions::PerfMap.
  std::unique_ptr<CodeCache> Cache;
  Compiler *TheCompiler = nullptr; ///< Owned by CompileLayer.
  class TbbTaskDispatcher *Dispatcher = nullptr; ///< Owned by the session; null if in place.
  llvm::orc::JITDylib *StubsJD = nullptr;
  llvm::orc::JITDylib *HostJD = nullptr;
  llvm::orc::JITDylib *CodeJD = nullptr;
  llvm::Triple TT;
  llvm::DataLayout DL;
  StubTable Stubs;
  HostSymbols Host;

  std::mutex CommitLock; ///< One commit at a time.
  /// Guards the tables below: commits write under a unique lock (held only
  /// while publishing), lookups read under a shared lock.
  mutable std::shared_mutex TableLock;
  llvm::StringMap<FunctionRecord> Functions;
  llvm::StringMap<GlobalRecord> Globals;
  std::map<std::string, ModuleRecord> Modules;
  /// Function -> live modules that reference it (the callers index that
  /// keeps a commit's checks independent of the number of live modules).
  llvm::StringMap<std::set<std::string>> Callers;
  /// Globals whose storage was retired and may not be freed yet: their names
  /// are still defined in the code JITDylib until the reclaimer removes them.
  llvm::StringSet<> DyingGlobals;
  uint64_t NextVersion = 1;

  std::mutex LinkErrorLock;
  std::string LinkErrors; ///< What ORC reported during the current commit.

  std::atomic<uint64_t> Commits{0}, FailedCommits{0}, TierUps{0}, TypeChanges{0};
  std::atomic<uint32_t> CommitsWaiting{0}; ///< EngineStats::CommitsWaiting.
  std::atomic<int64_t> LastTier0Ns{0}, LastTierUpNs{0};

  std::mutex TierLock;
  std::condition_variable TierReady;
  std::deque<std::pair<std::string, uint64_t>> TierQueue;
  std::condition_variable TierIdle; ///< Queue empty and no job in flight.
  bool TierBusy = false;            ///< A job was taken and is not finished.
  bool TierStop = false;
  std::thread TierThread;
  std::atomic<uint64_t> VersionsRetired{0}, VersionsFreed{0};
  std::atomic<int64_t> FreeNs{0}; ///< Time spent in ResourceTracker::remove.

  /// Declared last: destroyed first, running the pending removals while the
  /// session is still alive.
  std::unique_ptr<EpochDomain> Domain;

private:
  Impl(EngineOptions Opts, bool RuntimeLibraries);
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_ENGINEIMPL_H
