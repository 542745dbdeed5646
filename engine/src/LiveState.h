// What is live: the function, global-variable and module tables that commits update and lookups
// read, and the lock that guards them.
//
// Protocol (threads, fields, lock order)
// --------------------------------------
// Threads that touch engine state:
//   * the committing thread: a host thread in Engine::commit() (or the tier-up thread, which
//     commits like a host) holding Engine::Impl::CommitLock for the whole commit;
//   * readers: host threads in lookups (lookupAddress, lookupGlobal, signatureOf, versionOf,
//     modules, stats, rollback's read of Previous) and the tier-up thread reading a module's
//     saved source;
//   * retirement callbacks (memory/Retirement.h): on EpochDomain's reclaimer thread, or on a
//     thread in barrier() or in the domain's destructor; one of them arms the traps of stubs of
//     old types, reading Functions under Lock (exclusive) and writing StubTable reasons;
//   * ORC's compile threads (the TbbTaskDispatcher): they compile and link, and touch none of
//     these tables; what they report goes to OrcStack's link errors under its own lock.
//
// Fields and who writes them:
//   * Functions, Globals, Modules, Callers, GlobalUsers: inserted into, erased from and published
//     only by the committing thread while it holds Lock exclusively (prepare() creating stubs,
//     publish()).
//     The committing thread reads them without Lock in the other stages: it is the only writer,
//     and CommitLock excludes every other writer. (Those reads use lookups that do not insert.)
//   * DyingGlobals, NextVersion: the committing thread only; no reader touches them.
//   * Readers take Lock shared. ~Impl clears the tables once no other thread can reach them.
//
// Lock order (a thread holding a lock only takes locks to its right):
//     CommitLock  ->  LiveState::Lock  ->  ORC's session and JITDylib locks (prepare() binds
//     stub names, and may wait in ES->lookup for an in-flight materialisation of them)
//                                     ->  StubTable's CreateLock/ReasonLock, HostSymbols::Lock
//   EpochDomain's callback lock  ->  LiveState::Lock (the trap callback).
//   OrcStack's link-error lock, StubTable's HandlerLock, TierUp's lock and CodeSizePlugin's lock
//   are leaves: nothing else is taken while they are held. No lock but CommitLock is held across
//   a grace period (EpochDomain::barrier(), waitPendingBytesBelow()); no reader or callback takes
//   CommitLock, and commit() refuses to run on a thread pinned in the engine's domain.
#ifndef HOTJIT_ENGINE_SRC_LIVESTATE_H
#define HOTJIT_ENGINE_SRC_LIVESTATE_H

#include "memory/StubTable.h"
#include "resolution/SymbolResolution.h"
#include "rewrite/ModuleRewriter.h"
#include "runtime/CxxRuntime.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ExecutionEngine/Orc/Core.h"

#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>

namespace hotjit {

/// A stub that a function had under another type: it runs only code of that
/// type (commit/TypeIdentity.cpp).
struct RetiredStub {
  StubTable::Entry Stub;
  uint64_t RetiredBy = 0; ///< Commit that gave the function another type.
};

/// A managed function: its stub and what is published in it.
struct FunctionRecord {
  StubTable::Entry Stub;   ///< The stub of the current type; lookups return it.
  std::string Type;        ///< IR type text of the live (or last) definition.
  std::string Module;      ///< Defining module; empty when not live.
  std::string RemovedFrom; ///< Module it was last removed from.
  uint64_t Version = 0;    ///< Version of the live implementation.
  bool Live = false;
  /// Live modules that define it; the stub runs electOwner()'s copy.
  ProviderMap Providers;
  /// Stubs it had under earlier types, by IR type text: each runs its last
  /// implementation of that type until that code is retired, then traps; a
  /// later commit that brings the type back publishes it again.
  std::map<std::string, RetiredStub> OtherTypes;
};

/// Storage of global variables defined by one commit of one module; freed
/// when none of them is live any more (GlobalRecord::Live).
struct DataBlock {
  llvm::orc::ResourceTrackerSP RT;
  std::string Module;             ///< The module whose commit created it.
  std::vector<std::string> Names; ///< Globals stored here.
  size_t LiveGlobals = 0;         ///< Those whose GlobalRecord::Live is set.
};

/// A global variable: its storage outlives code versions (state survives swaps).
struct GlobalRecord {
  std::string Type;
  bool ThreadLocal = false; ///< Address is its emulated-TLS control block.
  std::shared_ptr<DataBlock> Storage;
  llvm::StringSet<> Owners; ///< Live modules that define it.
  void *Address = nullptr;
  /// Counted in Storage->LiveGlobals: it has an owner, or, once a forced
  /// removal took its last owner, live users (LiveState::GlobalUsers) that
  /// still read and write it. Cleared when it has neither.
  bool Live = true;
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
  uint64_t Created = 0;  ///< Version that added the module (its storage).
  uint64_t Position = 0; ///< Its place in the batch that added it.
  /// Its finalisers (llvm.global_dtors), highest priority first.
  std::vector<RunnerAddress> Fini;
  /// Its code, by the version that compiled it: the newest version's piece,
  /// and each older piece that still holds a function the later versions
  /// kept (CommitReport::KeptFunctions; each function's piece is its
  /// provider's Version). A piece is retired once no function of the module
  /// runs its code.
  std::map<uint64_t, llvm::orc::ResourceTrackerSP> Pieces;
  ModuleFacts Facts;
  llvm::StringMap<uint64_t> Digests; ///< Code digests of Facts.Functions.
  std::string Answers;               ///< What its code was compiled under (Incoming::Answers).
  std::shared_ptr<const SavedSource> Source, Previous;
};

/// The GlobalUsers entry that stands for version \p Version of \p Module when
/// it is kept (Retirement::keep, rewrite/OldState.h): its code may still run,
/// so the storage it reads lives on; it is no module and refuses nothing.
inline std::string keptUser(llvm::StringRef Module, uint64_t Version) {
  return ("\x01kept:" + Module + "@" + llvm::Twine(Version)).str();
}
inline bool isKeptUser(llvm::StringRef User) { return User.starts_with("\x01kept:"); }

/// The live tables (see the protocol above).
struct LiveState {
  mutable std::shared_mutex Lock;
  llvm::StringMap<FunctionRecord> Functions;
  llvm::StringMap<GlobalRecord> Globals;
  std::map<std::string, ModuleRecord> Modules;
  /// Functions that code generation calls on its own (memcpy, compiler-rt's
  /// helpers) that a module of this engine has defined at some point: code
  /// compiled while another binding held is not kept by partial replacement
  /// (commit/Prepare.cpp, stateAnswers()). Written and read under the commit
  /// lock; never shrinks.
  llvm::StringSet<> LibraryCallsDefined;
  /// Function -> live modules that reference it (the callers index that
  /// keeps a commit's checks independent of the number of live modules).
  llvm::StringMap<std::set<std::string>> Callers;
  /// Global -> live modules that reference it (ModuleFacts::GlobalRefs,
  /// extern_weak references bound at commit included): the users index, as
  /// Callers is for functions.
  llvm::StringMap<std::set<std::string>> GlobalUsers;
  /// Globals whose storage was retired and may not be freed yet: their names
  /// are still defined in the code JITDylib until the reclaimer removes them.
  llvm::StringSet<> DyingGlobals;
  uint64_t NextVersion = 1;

  /// What PreparedBatch::publish() checks for conflicts (commit/Prepared.cpp).
  /// Publications: commits published so far. While a batch is prepared, each
  /// publication notes itself against every module it touches, every
  /// function and global those modules define, before and after it
  /// (SymbolMoves), and every one its new versions reference (ReferenceMoves).
  struct Move {
    uint64_t Publication = 0, Version = 0;
  };
  uint64_t Publications = 0;
  llvm::StringMap<Move> ModuleMoves, SymbolMoves, ReferenceMoves;
  /// Names a prepared batch brings into being — functions no live module
  /// defines (their stubs are bound, trapping or running its code for its
  /// constructors) and globals whose storage it created — with that batch's
  /// version: until it is published or discarded, no other commit defines or
  /// references them (validate(): ErrorKind::Conflict).
  llvm::StringMap<uint64_t> Reserved;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_LIVESTATE_H
