// Type identity: a function's IR type is part of its identity, as arity is in Erlang.
//
// g of type `i64 (i64)` and g of type `i64 (i64, i64)` are two functions that share a name, each
// with its own stub, and a stub only ever runs code of its type. Whoever holds the old stub was
// compiled against the old type (code of a retired version still running, a host's Function
// handle, a stored `&g`), so:
//   * prepare() gives g the stub of the new type (a fresh one, or the one g had when it last had
//     that type) and rebinds the name in hotjit.stubs to it before anything links, so the batch's
//     modules and later lookups reach the new stub; a failed commit restores the old binding;
//   * publish() stores the new implementation in the new stub only; the old stub keeps running
//     the last implementation of the old type, which this commit retires;
//   * that code is retired behind the stub (Retirement::retireBehindStubs): after a grace period,
//     when no thread is still inside the callers retired with it, the old stub is pointed at its
//     trap, which reports "function 'g' changed type from 'A' to 'B'"; after a second one the
//     code is freed. A caller of the old stub gets the old implementation, or the trap, never the
//     new code;
//   * a commit that gives g its old type back publishes the old stub again (`&g` of that type is
//     again what it was), and the trap pending for it, from the earlier commit, is not armed.
#include "commit/Transaction.h"

#include "Mutations.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"

using namespace llvm;
using namespace llvm::orc;

namespace hotjit::commit {
namespace {

/// Removes \p Names from hotjit.stubs. A failed link may leave their
/// materialisation in flight on the dispatcher (ORC refuses to remove such
/// symbols), so look them up first: that waits for it to finish.
Error unbindStubNames(Engine::Impl &E, const SymbolNameSet &Names) {
  SymbolLookupSet Wanted;
  for (const SymbolStringPtr &N : Names)
    Wanted.add(N, SymbolLookupFlags::WeaklyReferencedSymbol);
  if (auto Found = E.Orc.ES->lookup({{E.Orc.StubsJD, JITDylibLookupFlags::MatchAllSymbols}},
                                    std::move(Wanted));
      !Found)
    return Found.takeError();
  return E.Orc.StubsJD->remove(Names);
}

/// The names of \p Changes, and their bindings to the stubs of the new
/// (\p ToNew) or the live types.
std::pair<SymbolNameSet, SymbolMap> bindings(Engine::Impl &E,
                                             const std::vector<TypeChange> &Changes, bool ToNew) {
  SymbolNameSet Names;
  SymbolMap Stubs;
  for (const TypeChange &C : Changes) {
    SymbolStringPtr Name = E.Orc.ES->intern(C.Name);
    Names.insert(Name);
    Stubs[Name] = {ExecutorAddr::fromPtr(ToNew ? C.New.Stub : C.Old.Stub),
                   JITSymbolFlags::Exported | JITSymbolFlags::Callable};
  }
  return {std::move(Names), std::move(Stubs)};
}

} // namespace

/// Binds the names of T.TypeChanges to the stubs of the live types again.
void restoreStubNames(Transaction &T) {
  if (!T.NewTypesBound)
    return;
  T.NewTypesBound = false;
  auto [Names, OldStubs] = bindings(T.E, T.TypeChanges, /*ToNew=*/false);
  // Names that were not bound yet (define failed) are simply absent.
  if (auto Err = unbindStubNames(T.E, Names))
    T.E.Orc.ES->reportError(std::move(Err));
  if (auto Err = T.E.Orc.StubsJD->define(absoluteSymbols(std::move(OldStubs))))
    T.E.Orc.ES->reportError(std::move(Err));
}

namespace {

/// The change of type \p To gives function \p R, if it is one.
Expected<std::optional<TypeChange>> typeChangeOf(Engine::Impl &E, StringRef Name, FunctionRecord &R,
                                                 const std::string &To) {
  if (R.Type.empty() || To.empty() || R.Type == To)
    return std::nullopt; // Unchanged, new, or untyped (module asm).
  TypeChange C{Name.str(), R.Type, To, R.Stub, {}, signatureOf(R.Type) == signatureOf(To),
               R.Module};
  if (auto Other = R.OtherTypes.find(To); Other != R.OtherTypes.end()) {
    C.New = Other->second.Stub;
    return C;
  }
  auto Entry = E.Stubs.create(Name);
  if (!Entry)
    return Entry.takeError();
  C.New = *Entry;
  // Kept, unpublished, so that a failed commit does not strand it.
  R.OtherTypes[To] = {C.New, 0};
  return C;
}

} // namespace

/// Gives every function whose type the batch changes the stub of its new type
/// and binds its name in hotjit.stubs to that stub (called with the table lock).
Error retypeStubs(Transaction &T) {
  if constexpr (mutation::TypeChangeKeepsStub)
    return Error::success();
  for (auto &D : T.BatchDefs) {
    auto It = T.E.State.Functions.find(D.getKey());
    if (It == T.E.State.Functions.end())
      continue;
    auto C = typeChangeOf(T.E, D.getKey(), It->second, D.getValue().Type.str());
    if (!C)
      return C.takeError();
    if (*C)
      T.TypeChanges.push_back(std::move(**C));
  }
  if (T.TypeChanges.empty())
    return Error::success();
  T.Undo.add([&T] { restoreStubNames(T); });
  if (auto Err = bindNewTypeStubs(T))
    return fail(ErrorKind::Link,
                "rebinding the stubs of functions that change type: " + toString(std::move(Err)));
  return Error::success();
}

Error bindNewTypeStubs(Transaction &T) {
  if (T.TypeChanges.empty() || T.NewTypesBound)
    return Error::success();
  auto [Names, NewStubs] = bindings(T.E, T.TypeChanges, /*ToNew=*/true);
  if (auto Err = unbindStubNames(T.E, Names))
    return Err;
  T.NewTypesBound = true; // From here restoreStubNames() has something to restore.
  return T.E.Orc.StubsJD->define(absoluteSymbols(std::move(NewStubs)));
}

/// Hands \p Code (the replaced versions) to retirement behind the stubs of
/// the old types: their traps are armed after the first grace period.
void retireBehindStaleStubs(Transaction &T,
                            std::vector<std::pair<ResourceTrackerSP, std::string>> Code) {
  struct Stale {
    std::string Name, From, Why;
  };
  std::vector<Stale> Stubs;
  for (const TypeChange &C : T.TypeChanges)
    if (!C.StateOnly) // Closures keep their code (retire() keeps it).
      Stubs.push_back(
          {C.Name, C.From,
           "function '" + C.Name + "' changed type from '" + C.From + "' to '" + C.To + "'"});
  uint64_t Version = T.Report.Version;
  Engine::Impl &E = T.E;
  E.Retired->retireBehindStubs(
      std::move(Code), [&E, Stubs = std::move(Stubs), Version, Withdrawn = std::move(T.Withdrawn)] {
        std::unique_lock<std::shared_mutex> L(E.State.Lock);
        for (const auto &[Name, Stub] : Withdrawn) {
          // Unless a later commit brought the function back on this stub.
          auto R = E.State.Functions.find(Name);
          if (R == E.State.Functions.end() || !R->second.Live || R->second.Stub.Stub != Stub.Stub)
            StubTable::unpublish(Stub);
        }
        for (const Stale &S : Stubs) {
          auto R = E.State.Functions.find(S.Name);
          if (R == E.State.Functions.end())
            continue;
          auto Old = R->second.OtherTypes.find(S.From);
          // Not if a later commit gave the function this type back.
          if (Old != R->second.OtherTypes.end() && Old->second.RetiredBy == Version)
            E.Stubs.unpublish(Old->second.Stub, S.Why);
        }
      });
}

} // namespace hotjit::commit
