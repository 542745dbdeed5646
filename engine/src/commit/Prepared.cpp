// A batch prepared now and published later (Engine.h, PreparedBatch).
//
// Batch::prepare() runs the stages of Commit.cpp up to construct() under the commit lock, then
// detaches the batch: it leaves the live state as it found it, except for what is invisible —
// trapping stubs of new functions (as a failed commit leaves them), the version number it took,
// its linked code and storage. The names it brings into being (functions no live module defines,
// whose stubs are bound and may run its code for its constructors; globals whose storage it
// created) stay reserved: validate() refuses another batch that defines or references them. The
// names of functions that change type were bound to their new stubs so that the batch linked
// against them; detach() binds them back to the live stubs, and attach() binds them to the new ones
// when it publishes.
//
// Other commits run while the batch waits. Each publication increments LiveState::Publications
// and, while a batch is prepared, notes itself (LiveState::Move) against the modules it touches
// and the functions and globals they define. publish() takes the commit lock and compares:
//   * nothing published since: no check at all (the common case costs one comparison);
//   * a module the batch adds, replaces or removes, or a function or global the batch or the
//     modules it touches define, moved since: a conflict;
//   * a function the batch removes or gives another type, or a global it removes, gained a user
//     (validate() allowed the change because it had none);
//   * the live storage of a global the batch defines and binds to was released;
//   * an ODR copy of an inline function the batch defines has another type now (another copy
//     alone is no conflict: the owner is elected among the providers at publication);
//   * a function or global the batch references from outside itself resolves otherwise (removed,
//     another type and so another stub, other storage), or an extern_weak reference it bound to
//     null now has a definition (a commit's or a host symbol): a conflict.
// Calls between JIT code go through stubs and storage addresses are stable, so nothing else a
// commit does can invalidate the batch's code. On a conflict nothing changes and the batch stays
// prepared until discarded.
#include "commit/Transaction.h"

#include "Mutations.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace hotjit::commit {
namespace {

Dependencies::Reference referenceOf(const LiveState &S, StringRef Name) {
  Dependencies::Reference R;
  R.Name = Name.str();
  if (auto F = S.Functions.find(Name); F != S.Functions.end()) {
    const FunctionRecord &Rec = F->second;
    R.Known = true;
    R.Live = Rec.Live;
    R.Target = Rec.Stub.Stub;
    R.Type = Rec.Type;
  } else if (auto G = S.Globals.find(Name); G != S.Globals.end()) {
    R.Known = true;
    R.Live = G->second.Live;
    R.Target = G->second.Address;
    R.Type = G->second.Type;
  }
  return R;
}

Error conflict(const Transaction &T, const Twine &What, const LiveState::Move *By) {
  std::string Since = By ? " by version " + std::to_string(By->Version) : "";
  return makeError(ErrorKind::Conflict,
                   ("publish failed: " + What + Since + ", published since version " +
                    Twine(T.Report.Version) + " was prepared; nothing was published")
                       .str());
}

const LiveState::Move *moveOf(const StringMap<LiveState::Move> &Moves, StringRef Name,
                              uint64_t Since) {
  auto It = Moves.find(Name);
  return It != Moves.end() && It->second.Publication > Since ? &It->second : nullptr;
}

} // namespace

Dependencies detach(Transaction &T) {
  LiveState &S = T.E.State;
  restoreStubNames(T);
  T.Detached = true;
  Dependencies D;
  D.Publications = S.Publications;
  StringSet<> Own; // Defined by the batch: checked as symbols, not references.
  for (Incoming &I : T.In) {
    D.Modules.push_back(I.Name);
    for (auto &F : I.Facts.Functions) {
      if (!Own.insert(F.getKey()).second)
        continue;
      if (I.Facts.VagueFunctions.count(F.getKey()))
        D.Vague.emplace_back(F.getKey().str(), F.getValue());
      else
        D.Symbols.push_back(F.getKey().str());
      if (auto R = S.Functions.find(F.getKey()); R == S.Functions.end() || !R->second.Live)
        S.Reserved[F.getKey()] = T.Report.Version;
    }
    for (auto &G : I.Facts.Globals) {
      if (!Own.insert(G.getKey()).second)
        continue;
      D.Symbols.push_back(G.getKey().str());
      if (I.Ask.creates(G.getKey()))
        S.Reserved[G.getKey()] = T.Report.Version;
      else
        D.Bound.push_back(referenceOf(S, G.getKey()));
    }
    for (auto &W : I.Ask.nullWeakRefs())
      D.NullWeak.push_back(W.getKey().str());
  }
  for (const std::string &Name : T.Touched) {
    if (!llvm::is_contained(D.Modules, Name))
      D.Modules.push_back(Name);
    const ModuleFacts &Live = S.Modules.at(Name).Facts;
    for (const auto *Names : {&Live.Functions, &Live.Globals})
      for (auto &N : *Names)
        if (!Live.VagueFunctions.count(N.getKey()) && Own.insert(N.getKey()).second)
          D.Symbols.push_back(N.getKey().str());
  }
  for (const TypeChange &C : T.TypeChanges)
    D.Guarded.push_back(C.Name);
  for (const auto *Names : {&T.Dropped, &T.DroppedGlobals})
    for (auto &N : *Names)
      D.Guarded.push_back(N.getKey().str());
  StringSet<> Seen;
  for (Incoming &I : T.In)
    for (const auto *Names : {&I.Facts.FunctionRefs, &I.Facts.GlobalRefs})
      for (auto &N : *Names)
        if (!Own.contains(N.getKey()) && Seen.insert(N.getKey()).second)
          D.References.push_back(referenceOf(S, N.getKey()));
  return D;
}

Error checkConflicts(Transaction &T, const Dependencies &D) {
  if constexpr (mutation::PreparedConflictsIgnored)
    return Error::success();
  const LiveState &S = T.E.State;
  for (const std::string &Name : D.NullWeak)
    if (T.E.Host.find(Name))
      return conflict(T,
                      "extern_weak '" + Name +
                          "', which the batch bound to null, was "
                          "registered as a host symbol",
                      nullptr);
  if (S.Publications == D.Publications)
    return Error::success();
  for (const std::string &M : D.Modules)
    if (auto *By = moveOf(S.ModuleMoves, M, D.Publications))
      return conflict(T, "module '" + M + "' was changed", By);
  for (const std::string &Name : D.Symbols)
    if (auto *By = moveOf(S.SymbolMoves, Name, D.Publications))
      return conflict(T, "'" + Name + "', which the batch defines or drops, was changed", By);
  for (const auto &[Name, Type] : D.Vague)
    if (auto R = S.Functions.find(Name); R != S.Functions.end() && R->second.Live &&
                                         !R->second.Type.empty() && R->second.Type != Type)
      return conflict(T,
                      "the live copies of '" + Name + "' now have type '" + R->second.Type +
                          "', not the batch's '" + Type + "'",
                      moveOf(S.SymbolMoves, Name, D.Publications));
  for (const Dependencies::Reference &Was : D.Bound)
    if (!(referenceOf(S, Was.Name) == Was))
      return conflict(T,
                      "the storage of global '" + Was.Name +
                          "', which the batch binds to, was "
                          "released",
                      moveOf(S.SymbolMoves, Was.Name, D.Publications));
  for (const Dependencies::Reference &Was : D.References)
    if (Dependencies::Reference Now = referenceOf(S, Was.Name); !(Now == Was))
      return conflict(T,
                      "'" + Was.Name + "', which the batch references, was " +
                          (!Now.Live              ? "removed"
                           : Now.Type != Was.Type ? "given another type"
                                                  : "redefined"),
                      moveOf(S.SymbolMoves, Was.Name, D.Publications));
  for (const std::string &Name : D.Guarded)
    if (auto *By = moveOf(S.ReferenceMoves, Name, D.Publications))
      return conflict(T,
                      "'" + Name +
                          "', which the batch removes or gives another type, was "
                          "referenced by a module",
                      By);
  for (const std::string &Name : D.NullWeak)
    if (auto *By = moveOf(S.SymbolMoves, Name, D.Publications))
      return conflict(T, "extern_weak '" + Name + "', which the batch bound to null, was defined",
                      By);
  return Error::success();
}

namespace {

void release(Transaction &T) {
  LiveState &S = T.E.State;
  for (Incoming &I : T.In)
    for (const auto *Names : {&I.Facts.Functions, &I.Facts.Globals})
      for (auto &N : *Names)
        if (auto R = S.Reserved.find(N.getKey());
            R != S.Reserved.end() && R->second == T.Report.Version)
          S.Reserved.erase(R);
}

} // namespace

void attach(Transaction &T) {
  release(T);
  if (auto Err = bindNewTypeStubs(T))
    T.E.Orc.ES->reportError(std::move(Err));
}

void discard(Transaction &T) {
  release(T);
  // Its storage is retired (removeNewTrackers()): the names stay defined until it is freed.
  for (Incoming &I : T.In)
    for (auto &G : I.Ask.createdGlobals())
      T.E.State.DyingGlobals.insert(G.getKey());
  T.Undo.run();
}

} // namespace hotjit::commit
