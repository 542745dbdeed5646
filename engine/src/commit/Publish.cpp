// Stage publish: the batch becomes the live state, under the table lock (exclusive). Modules that
// leave run their exit handlers first; then removed and replaced versions are withdrawn, the new
// versions recorded (globals, providers, callers, users of globals), storage that nothing defines
// or uses any more released, functions that change type move to the stubs of their new types, and
// each changed stub is pointed at its owner's copy (electOwner(), resolution/SymbolResolution.h)
// or at its trap. Then retire(): the replaced versions go to the epoch domain. Publishing cannot
// fail.
#include "commit/Transaction.h"

#include "Mutations.h"

#include <atomic>
#include <cstring>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit::commit {
namespace {

/// Modules that leave with this batch (removed, or replaced by a version
/// without their __dso_handle) run their exit handlers and finaliser while
/// their code is still published.
void tearDownLeavingModules(Transaction &T) {
  std::vector<std::string> Leaving;
  auto Leaves = [&](const std::string &Name, const ModuleRecord &Old, const Incoming *Next) {
    if (Old.Fini.empty() && !Old.Facts.Globals.count(dsoHandleName(Name)))
      return false;
    return !Next || !Next->Facts.Globals.count(dsoHandleName(Name));
  };
  for (const Incoming &I : T.In)
    if (I.Replaces && Leaves(I.Name, *I.Live, &I))
      Leaving.push_back(I.Name);
  for (auto &[Name, Mode] : T.Removing)
    if (Leaves(Name, T.E.State.Modules.at(Name), nullptr))
      Leaving.push_back(Name);
  if (!Leaving.empty())
    T.E.tearDown(Leaving);
}

/// Modules whose replaced version closures and coroutine frames made by it may
/// still enter: kept while the engine lives (rewrite/OldState.h).
StringSet<> keptModules(const Transaction &T) {
  StringSet<> Kept;
  for (const TypeChange &C : T.TypeChanges)
    if (C.StateOnly)
      Kept.insert(C.OldModule);
  // Entry points of closures that the batch drops: their stubs keep the code.
  for (auto &D : T.Dropped)
    if (auto R = T.E.State.Functions.find(D.getKey());
        R != T.E.State.Functions.end() && hasStateIdentity(R->second.Type))
      Kept.insert(D.getValue());
  return Kept;
}

/// Publishing's working set: the functions whose providers changed.
struct Publication {
  Transaction &T;
  LiveState &S;
  StringSet<> Changed;

  StringSet<> Unowned; ///< Globals that lost their last owner or user.
  StringSet<> Kept;    ///< Modules whose replaced version is kept (keptModules()).

  void dropGlobalOwner(StringRef Global, StringRef Module);
  void dropGlobalUser(StringRef Global, const std::string &Module);
  void releaseUnowned();
  StringMap<std::string> retract(const std::string &Name, ModuleRecord &Old, const Incoming *Next);
  void addGlobals(Incoming &I);
  void addProviders(Incoming &I);
  void addModule(Incoming &I);
  void applyTypeChanges();
  void publishOne(StringRef Name, FunctionRecord &R);
  void publishStubs();
};

/// \p Module no longer defines \p Global; releaseUnowned() decides what
/// becomes of its storage once the whole batch is in.
void Publication::dropGlobalOwner(StringRef Global, StringRef Module) {
  auto It = S.Globals.find(Global);
  if (It != S.Globals.end() && It->second.Owners.erase(Module) && It->second.Owners.empty())
    Unowned.insert(Global);
}

/// \p Module, leaving, no longer uses \p Global (the users index).
void Publication::dropGlobalUser(StringRef Global, const std::string &Module) {
  auto U = S.GlobalUsers.find(Global);
  if (U == S.GlobalUsers.end() || !U->second.erase(Module) || !U->second.empty())
    return;
  S.GlobalUsers.erase(U);
  Unowned.insert(Global);
}

/// A global that the batch leaves with no defining module keeps its storage
/// while live modules use it (only a forced removal leaves it so: validate()
/// refuses the others), so their reads never fault; otherwise it stops being
/// live, and a block left with no live global is retired.
void Publication::releaseUnowned() {
  for (auto &G : Unowned) {
    auto It = S.Globals.find(G.getKey());
    if (It == S.Globals.end() || !It->second.Owners.empty() || !It->second.Live ||
        S.GlobalUsers.count(G.getKey()))
      continue;
    It->second.Live = false;
    std::shared_ptr<DataBlock> Storage = It->second.Storage;
    if (--Storage->LiveGlobals != 0)
      continue;
    for (const std::string &Name : Storage->Names) {
      S.Globals.erase(Name);
      S.DyingGlobals.insert(Name);
    }
    T.ToRetire.push_back({Storage->RT, "globals of module '" + Storage->Module + "'", false, {}});
  }
}

/// Withdraws live module version \p Name; a replacement (\p Next) keeps its
/// place among the providers of the functions it still defines, and the
/// pieces of code that hold the functions it keeps (Incoming::Kept); the
/// other pieces are retired. Returns the globals the old version defined.
StringMap<std::string> Publication::retract(const std::string &Name, ModuleRecord &Old,
                                            const Incoming *Next) {
  std::set<uint64_t> StillRun;
  if (Next)
    for (auto &F : Next->Kept)
      StillRun.insert(S.Functions[F.getKey()].Providers.at(Name).Version);
  if (Kept.contains(Name)) {
    // Its code lives on (retire()): so does every global it reads or defines.
    std::string User = keptUser(Name, Old.Version);
    for (const auto *Names : {&Old.Facts.GlobalRefs, &Old.Facts.Globals})
      for (auto &G : *Names)
        S.GlobalUsers[G.getKey()].insert(User);
  }
  for (auto &Ref : Old.Facts.FunctionRefs) {
    auto C = S.Callers.find(Ref.getKey());
    C->second.erase(Name);
    if (C->second.empty())
      S.Callers.erase(C);
  }
  for (auto &Ref : Old.Facts.GlobalRefs)
    dropGlobalUser(Ref.getKey(), Name);
  for (auto &F : Old.Facts.Functions) {
    if (!Next || !Next->Facts.Functions.count(F.getKey()))
      S.Functions[F.getKey()].Providers.erase(Name);
    if (!Next || !Next->Kept.contains(F.getKey()))
      Changed.insert(F.getKey());
  }
  for (auto Piece = Old.Pieces.begin(); Piece != Old.Pieces.end();) {
    if (StillRun.count(Piece->first) && !mutation::PiecesRetiredWhileKept) {
      ++Piece;
      continue;
    }
    T.ToRetire.push_back({std::move(Piece->second),
                          "module '" + Name + "' version " + std::to_string(Piece->first), true,
                          Name});
    Piece = Old.Pieces.erase(Piece);
  }
  return std::move(Old.Facts.Globals);
}

void Publication::addGlobals(Incoming &I) {
  std::shared_ptr<DataBlock> Storage;
  if (I.DataRT) {
    Storage = std::make_shared<DataBlock>();
    Storage->RT = I.DataRT;
    Storage->Module = I.Name;
  }
  for (auto &G : I.Facts.Globals) {
    GlobalRecord &R = S.Globals[G.getKey()];
    if (I.Ask.creates(G.getKey())) {
      R.Type = G.getValue();
      R.Storage = Storage;
      R.ThreadLocal = I.Facts.ThreadLocals.contains(G.getKey());
      R.Address =
          T.Linked[T.E.Orc.ES->intern(linkName(I.Facts, G.getKey()))].getAddress().toPtr<void *>();
      ++Storage->LiveGlobals;
      Storage->Names.push_back(G.getKey().str());
    } else if (!R.Live) { // Released, its block kept by others: live again.
      R.Live = true;
      ++R.Storage->LiveGlobals;
    }
    R.Owners.insert(I.Name);
  }
}

void Publication::addProviders(Incoming &I) {
  for (auto &F : I.Facts.Functions) {
    if (I.Kept.contains(F.getKey()))
      continue; // Its provider keeps the code of an earlier piece.
    auto [It, New] = S.Functions[F.getKey()].Providers.try_emplace(I.Name);
    Provider &P = It->second;
    if (New)
      P.Since = T.Report.Version;
    auto Vague = I.Facts.VagueFunctions.find(F.getKey());
    P.Bind = Vague == I.Facts.VagueFunctions.end() ? Binding::Strong : Vague->second;
    P.Impl = I.ImplAddress[F.getKey()];
    P.Type = F.getValue();
    P.Version = T.Report.Version;
    Changed.insert(F.getKey());
    T.Report.Published.push_back(F.getKey().str());
  }
  for (auto &Ref : I.Facts.FunctionRefs)
    S.Callers[Ref.getKey()].insert(I.Name);
  for (auto &Ref : I.Facts.GlobalRefs)
    S.GlobalUsers[Ref.getKey()].insert(I.Name);
}

/// A replacement runs no constructor; those it changes are reported.
void reportSkippedConstructors(Transaction &T, const ModuleFacts &Old, const Incoming &I) {
  if constexpr (mutation::SkippedConstructorsUnreported)
    return;
  for (auto &C : I.Facts.Constructors)
    if (auto Was = Old.Constructors.find(C.getKey());
        Was == Old.Constructors.end() || Was->second != C.getValue())
      T.Report.SkippedConstructors.push_back("module '" + I.Name + "': constructor '" +
                                             C.getKey().str() + "'");
}

void Publication::addModule(Incoming &I) {
  StringMap<std::string> OldGlobals;
  std::shared_ptr<const SavedSource> Previous;
  if (I.Replaces) {
    reportSkippedConstructors(T, I.Live->Facts, I);
    Previous = I.Live->Source;
    OldGlobals = retract(I.Name, *I.Live, &I);
  }
  addGlobals(I);
  addProviders(I);
  ModuleRecord &MR = I.Replaces ? *I.Live : S.Modules[I.Name];
  if (!I.Replaces) {
    MR.Created = T.Report.Version;
    MR.Position = &I - T.In.data();
  }
  MR.Fini = std::move(I.Fini);
  MR.Version = T.Report.Version;
  MR.Pieces[T.Report.Version] = I.CodeRT;
  // Swapped, not assigned: what the replaced version's record held is freed with the
  // transaction, after the locks, not under the table lock.
  MR.Source = std::move(I.Source);
  I.Released = std::exchange(MR.Previous, std::move(Previous));
  std::swap(MR.Facts, I.Facts);
  std::swap(MR.Digests, I.Digests);
  std::swap(MR.Answers, I.Answers);
  for (auto &G : OldGlobals)
    if (MR.Facts.Globals.count(G.getKey()))
      continue;
    else if (isModuleLifetime(G.getKey()))
      MR.Facts.Globals[G.getKey()] = G.getValue(); // Kept while the module lives.
    else
      dropGlobalOwner(G.getKey(), I.Name);
}

/// A function that changes type moves to the stub of its new type; the old
/// stub keeps the old code until retire() arms its trap (TypeIdentity.cpp).
void Publication::applyTypeChanges() {
  for (TypeChange &C : T.TypeChanges) {
    FunctionRecord &R = S.Functions[C.Name];
    R.OtherTypes.erase(C.To);
    R.OtherTypes[C.From] = {C.Old, T.Report.Version};
    R.Stub = C.New;
    if (C.StateOnly)
      T.Report.KeptForOldState.push_back(C.Name);
    else
      T.Report.TypeChanged.push_back(C.Name), ++T.E.Counters.TypeChanges;
  }
}

/// Copies the batch's images of the C++ ABI tables over the live tables that
/// differ (rewrite/OldState.h): word by word, each an atomic store, as slots
/// are published: a concurrent virtual call loads the old or the new entry,
/// both stubs of live functions.
void rewriteTables(Transaction &T) {
  for (Incoming &I : T.In)
    for (const TableImage &Table : I.Tables) {
      auto G = T.E.State.Globals.find(Table.Table);
      if (G == T.E.State.Globals.end() || !G->second.Address)
        continue;
      auto *Live = static_cast<uint8_t *>(G->second.Address);
      auto *Image = static_cast<const uint8_t *>(Table.Image);
      if (std::memcmp(Live, Image, Table.Size) == 0)
        continue;
      size_t Words = Table.Size / sizeof(uint64_t);
      for (size_t W = 0; W != Words; ++W) {
        uint64_t V;
        std::memcpy(&V, Image + W * sizeof V, sizeof V);
        std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t *>(Live + W * sizeof V))
            .store(V, std::memory_order_release);
      }
      std::memcpy(Live + Words * sizeof(uint64_t), Image + Words * sizeof(uint64_t),
                  Table.Size % sizeof(uint64_t));
      T.Report.UpdatedTables.push_back(Table.Table);
    }
}

/// Points the stub of \p Name at its owner's copy, or at its trap.
void Publication::publishOne(StringRef Name, FunctionRecord &R) {
  const ProviderMap::value_type *Owner = electOwner(R.Providers);
  if (!Owner) {
    if (R.Live && hasStateIdentity(R.Type)) {
      // A closure's or a frame's entry point: state made by the code may still enter it, so its
      // stub keeps that code, which retire() keeps (keptModules()).
      R.Live = false;
      R.RemovedFrom = std::move(R.Module);
      R.Module.clear();
      T.Report.KeptForOldState.push_back(Name.str());
    } else if (R.Live) {
      // A forced removal traps at once; otherwise a stub that a table, a stored
      // pointer or a thread's register may still hold runs its last code for one
      // grace period, then traps (retire()).
      auto Removal = T.Removing.find(R.Module);
      if (Removal != T.Removing.end() && Removal->second == RemoveMode::Force)
        StubTable::unpublish(R.Stub);
      else
        T.Withdrawn.emplace_back(Name.str(), R.Stub);
      R.Live = false;
      R.RemovedFrom = std::move(R.Module);
      R.Module.clear();
      T.Report.Removed.push_back(Name.str());
    }
    return;
  }
  StubTable::publish(R.Stub, Owner->second.Impl);
  R.Type = Owner->second.Type;
  R.Module = Owner->first;
  R.Version = Owner->second.Version;
  R.RemovedFrom.clear();
  R.Live = true;
}

/// Stubs that trap until now go first — new functions, and new types (a stub
/// of a type given back traps until now): only this batch's code can reach
/// them, and it must never find one still trapping.
void Publication::publishStubs() {
  SmallVector<std::pair<StringRef, FunctionRecord *>, 8> Stubs; // Each looked up once.
  for (auto &Name : Changed)
    Stubs.emplace_back(Name.getKey(), &S.Functions[Name.getKey()]);
  StringSet<> First;
  for (TypeChange &C : T.TypeChanges)
    First.insert(C.Name);
  for (auto &[Name, R] : Stubs)
    if (!R->Live)
      First.insert(Name);
  for (auto &[Name, R] : Stubs)
    if (First.contains(Name))
      publishOne(Name, *R);
  // Tables point at live stubs only: after the new ones, before the withdrawn.
  rewriteTables(T);
  for (auto &[Name, R] : Stubs)
    if (!First.contains(Name))
      publishOne(Name, *R);
}

/// Notes this publication against what it changes, for the batches still
/// prepared (LiveState::Move): the modules it touches and what they define,
/// before and after.
void noteMoves(Transaction &T) {
  LiveState &S = T.E.State;
  LiveState::Move M{++S.Publications, T.Report.Version};
  if (T.E.Prepared.empty())
    return; // A batch prepared later compares against Publications only.
  auto Note = [&](const std::string &Module, const ModuleFacts &Facts) {
    S.ModuleMoves[Module] = M;
    for (const auto *Names : {&Facts.Functions, &Facts.Globals})
      for (auto &N : *Names)
        S.SymbolMoves[N.getKey()] = M;
  };
  for (const std::string &Name : T.Touched)
    Note(Name, S.Modules.at(Name).Facts);
  for (const Incoming &I : T.In) {
    Note(I.Name, I.Facts);
    for (const auto *Names : {&I.Facts.FunctionRefs, &I.Facts.GlobalRefs})
      for (auto &N : *Names)
        S.ReferenceMoves[N.getKey()] = M;
  }
}

} // namespace

void publish(Transaction &T) {
  tearDownLeavingModules(T);
  std::unique_lock<std::shared_mutex> L(T.E.State.Lock);
  noteMoves(T);
  Publication P{T, T.E.State, {}, {}, keptModules(T)};
  for (auto &[Name, Mode] : T.Removing) {
    StringMap<std::string> OldGlobals = P.retract(Name, T.E.State.Modules.at(Name), nullptr);
    T.E.State.Modules.erase(Name);
    for (auto &G : OldGlobals)
      P.dropGlobalOwner(G.getKey(), Name);
  }
  for (Incoming &I : T.In)
    P.addModule(I);
  P.releaseUnowned();
  P.applyTypeChanges();
  P.publishStubs();
}

/// Hands the replaced versions to the epoch domain. Code that the stubs of
/// old types still run is retired behind them: their traps are armed first.
void retire(Transaction &T) {
  StringSet<> Kept = keptModules(T);
  // Stale stubs run old code for a grace period: it and the storage it uses
  // go after the second one.
  const bool Behind = !T.TypeChanges.empty() || !T.Withdrawn.empty();
  std::vector<std::pair<ResourceTrackerSP, std::string>> Code;
  for (Retiring &R : T.ToRetire) {
    if (R.Code && Kept.contains(R.Module))
      T.E.Retired->keep(std::move(R.RT));
    else if (Behind)
      Code.emplace_back(std::move(R.RT), std::move(R.What));
    else
      T.E.Retired->retire(std::move(R.RT), std::move(R.What), R.Code);
  }
  if (Behind)
    retireBehindStaleStubs(T, std::move(Code));
}

} // namespace hotjit::commit
