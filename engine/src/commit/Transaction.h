// A batch on its way through the commit's stages, and the stages themselves.
//
// Each stage is a function taking the Transaction and returning an Error, defined in the file
// named beside its declaration below; Commit.cpp runs them in order. A stage that changes what
// lookups or JIT code can see (the names bound in hotjit.stubs, stubs published early, linked
// trackers) appends the way to undo it to Transaction::Undo; when a stage fails, the undo actions
// run newest first and nothing of the batch stays visible. What a failed commit keeps on purpose is
// invisible: the version number it took, and the unpublished (trapping) stubs prepare() created,
// which a later commit of the same functions reuses. The fields below say which stage fills them;
// later stages read them, and link() and publish() move out what they hand on (the modules, the
// facts). Engine state is reached only through the handful of Engine::Impl members the stages
// name: Opts, Orc, Stubs, Host, State, Counters, Retired and Domain (EngineImpl.h; LiveState.h
// has the thread and lock protocol).
#ifndef HOTJIT_ENGINE_SRC_COMMIT_TRANSACTION_H
#define HOTJIT_ENGINE_SRC_COMMIT_TRANSACTION_H

#include "EngineImpl.h"
#include "commit/RewriteRecorder.h"
#include "rewrite/OldState.h"
#include "runtime/CxxRuntime.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace hotjit::commit {

/// "commit failed: <Message>" of kind \p K.
llvm::Error fail(ErrorKind K, const llvm::Twine &Message);

/// Undo actions, run newest first when a stage fails.
class Rollback {
public:
  void add(std::function<void()> Undo) { Actions.push_back(std::move(Undo)); }
  /// Runs the actions, newest first, and forgets them.
  void run();
  /// The commit is published: nothing is undone.
  void dismiss() { Actions.clear(); }

private:
  std::vector<std::function<void()>> Actions;
};

/// One module of the batch on its way in.
struct Incoming {
  std::string Name;
  bool Replaces = false;
  /// resolve: the live module's record, if it replaces one (a std::map node: stable while the
  /// module stays, which a prepared batch's publish() checks first).
  ModuleRecord *Live = nullptr;
  std::unique_ptr<llvm::LLVMContext> Ctx;
  std::unique_ptr<llvm::Module> M;
  std::shared_ptr<SavedSource> Source;
  /// publish: the source an older version's record let go (freed with the transaction).
  std::shared_ptr<const SavedSource> Released;
  /// load: what the module defines and references (after publish: the replaced version's
  /// facts and digests, swapped out of its record to be freed with the transaction).
  ModuleFacts Facts;
  llvm::StringMap<uint64_t> Digests; ///< load: code digests (rewrite/OldState.h).
  /// prepare: functions of a replaced module whose digest is unchanged: their
  /// bodies are dropped from this version, which calls them through their
  /// stubs; they keep their code (Provider::Impl and Version) from the piece
  /// of the module that has it (ModuleRecord::Pieces).
  llvm::StringSet<> Kept;
  /// prepare: what the engine's state told the rewrite that code depends on
  /// (stateAnswers(), Prepare.cpp): kept code was compiled under the same.
  std::string Answers;
  std::vector<TableImage> Tables;        ///< prepare (images), link (addresses).
  llvm::StringSet<> InitGlobals;         ///< load: globals its static constructors initialise.
  RewriteRecorder Ask;                   ///< validate, prepare: what the engine's state told it.
  Initialisers Inits;                    ///< prepare: its init and fini functions (symbol names).
  std::unique_ptr<llvm::Module> Data;    ///< prepare: its globals' storage, if new.
  llvm::StringMap<Implementation> Impls; ///< prepare: versioned implementations.
  llvm::StringMap<const void *> ImplAddress;   ///< link: public name -> linked code.
  std::vector<RunnerAddress> Init, Fini;       ///< link: in Inits' order.
  llvm::orc::ResourceTrackerSP CodeRT, DataRT; ///< link.
};

/// A function the batch gives another type (commit/TypeIdentity.cpp).
struct TypeChange {
  std::string Name, From, To;
  StubTable::Entry Old, New;
  /// The signature is kept, only the state identity changes (a closure's or
  /// a coroutine's code; rewrite/OldState.h): the old stub keeps its code.
  bool StateOnly = false;
  std::string OldModule; ///< The module whose code the old stub runs.
};

/// A tracker that publish() retires; Code: a module version's code (else a
/// block of global storage).
struct Retiring {
  llvm::orc::ResourceTrackerSP RT;
  std::string What;
  bool Code;
  std::string Module; ///< Whose version it is.
};

struct Transaction {
  Transaction(Engine::Impl &E, std::optional<unsigned> Level) : E(E), Level(Level) {}

  /// What \p F means after the batch (resolution/SymbolResolution.h).
  std::optional<Definition> definitionOf(llvm::StringRef F) const;
  /// The owner among the live modules the batch leaves alone.
  std::optional<Definition> liveDefinitionOf(llvm::StringRef F) const;
  bool globalExists(llvm::StringRef Name) const {
    return NewGlobalType.count(Name) || (E.State.Globals.count(Name) && !dropsGlobal(Name));
  }
  /// The batch leaves global \p Name without a defining module (DroppedGlobals)
  /// and does not force that removal: after the batch it is gone.
  bool dropsGlobal(llvm::StringRef Name) const;

  Engine::Impl &E;
  const std::optional<unsigned> Level;
  CommitReport Report;
  bool Tier0 = false;
  Rollback Undo;
  std::vector<Incoming> In;                    ///< resolve (names), load (modules).
  std::map<std::string, RemoveMode> Removing;  ///< resolve.
  std::set<std::string> Touched;               ///< resolve: live modules replaced or removed.
  BatchDefinitions BatchDefs;                  ///< validate: the functions the batch defines.
  llvm::StringMap<std::string> NewGlobalType;  ///< validate.
  llvm::StringMap<std::string> Dropped;        ///< validate: function -> module it leaves.
  llvm::StringMap<std::string> DroppedGlobals; ///< validate: global -> module it leaves.
  std::vector<TypeChange> TypeChanges;         ///< prepare.
  llvm::orc::SymbolMap Linked;                 ///< link.
  std::vector<Retiring> ToRetire;              ///< publish.
  /// publish: functions withdrawn whose stubs run their last code until
  /// retire() arms their traps after a grace period (old vtable entries).
  std::vector<std::pair<std::string, StubTable::Entry>> Withdrawn;
  /// The names of TypeChanges are bound to their new stubs in hotjit.stubs
  /// (bindNewTypeStubs(); a prepared batch unbinds them until it publishes).
  bool NewTypesBound = false;
  /// The batch waits as a PreparedBatch (commit/Prepared.cpp): undoing it
  /// retires its code after a grace period instead of removing it at once,
  /// since pointers its constructors handed out may be running.
  bool Detached = false;
};

/// What a prepared batch was checked against, to find at publish() whether a
/// commit published since changed it (commit/Prepared.cpp).
struct Dependencies {
  uint64_t Publications = 0;        ///< LiveState::Publications when prepared.
  std::vector<std::string> Modules; ///< Added, replaced or removed.
  std::vector<std::string> Symbols; ///< Defined by the batch or by the modules it touches.
  struct Reference {
    std::string Name;
    bool Known = false, Live = false; ///< A function or global record; live.
    const void *Target = nullptr;     ///< Its stub, or its storage.
    std::string Type;
    bool operator==(const Reference &) const = default;
  };
  std::vector<Reference> References; ///< Resolved outside the batch.
  /// Globals the batch defines whose live storage it binds to (it does not
  /// create them): that storage must still be theirs.
  std::vector<Reference> Bound;
  /// Vague-linkage functions the batch defines, with their types: another
  /// module's ODR copy does not conflict unless its type differs.
  std::vector<std::pair<std::string, std::string>> Vague;
  std::vector<std::string> NullWeak; ///< extern_weak references bound to null.
  /// Functions the batch gives another type or removes, and globals it
  /// removes: validate() found no live user that forbids it.
  std::vector<std::string> Guarded;
};

/// Detaches a batch whose stages up to construct() succeeded so that it can
/// wait unpublished: the names of functions changing type go back to their
/// live stubs, the storage it creates is reserved, its dependencies noted.
Dependencies detach(Transaction &T);
/// Whether a commit published since \p D was noted changed any of it: the
/// first change found, as a Conflict error; success otherwise.
llvm::Error checkConflicts(Transaction &T, const Dependencies &D);
/// The reverse of detach() for a batch about to publish: its reserved names
/// are released and the names of functions changing type bound to their new
/// stubs. Cannot fail after checkConflicts() (what ORC might report goes to
/// its error reporter).
void attach(Transaction &T);
/// Undoes a detached batch (its Undo, newest first) and releases its
/// reserved names.
void discard(Transaction &T);

// The stages, in order (one file each).
llvm::Error admit(Transaction &T);                                ///< Admit.cpp
llvm::Error resolve(Transaction &T, std::vector<Batch::Op> &Ops); ///< Resolve.cpp
llvm::Error load(Transaction &T, std::vector<Batch::Op> &Ops);    ///< Load.cpp
llvm::Error validate(Transaction &T);                             ///< Validate.cpp
llvm::Error prepare(Transaction &T);                              ///< Prepare.cpp
llvm::Error link(Transaction &T);                                 ///< Link.cpp
llvm::Error construct(Transaction &T);                            ///< Construct.cpp
void publish(Transaction &T);                                     ///< Publish.cpp
void retire(Transaction &T);                                      ///< Publish.cpp

// Type identity (TypeIdentity.cpp): prepare() gives the functions the batch
// retypes the stubs of their new types; retire() arms the old stubs' traps.
llvm::Error retypeStubs(Transaction &T);
/// Binds the names of T.TypeChanges to the stubs of their new types (once).
llvm::Error bindNewTypeStubs(Transaction &T);
/// Binds them to the stubs of the live types again, if they were bound new.
void restoreStubNames(Transaction &T);
void retireBehindStaleStubs(Transaction &T,
                            std::vector<std::pair<llvm::orc::ResourceTrackerSP, std::string>> Code);

} // namespace hotjit::commit

namespace hotjit {

/// A prepared batch's state, shared by its handle and the engine's registry
/// (Engine::Impl::Prepared); touched under the commit lock only.
class PreparedBatch::State {
public:
  /// The engine, while the batch is prepared; null once it was published,
  /// discarded, or discarded by the engine's destruction.
  Engine::Impl *E = nullptr;
  enum class End { Prepared, Published, Discarded, EngineDestroyed } Ended = End::Prepared;
  std::unique_ptr<commit::Transaction> T;
  commit::Dependencies Deps;
  uint64_t Version = 0;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_COMMIT_TRANSACTION_H
