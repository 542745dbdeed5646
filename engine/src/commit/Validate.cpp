// Stage validate: the state the batch would produce, checked as a whole before ORC sees anything.
// The checks, in order: definitions (one strong definition per function, any number of vague
// copies, one type for all), globals (bind to existing storage of the same type or create it),
// extern_weak bindings, all present with matching types, live callers the batch leaves in
// place (they must agree with every function it redefines or drops), and live users of the
// globals it drops (refused unless the removal is forced). The new state is never
// built: a function is defined by the batch, or by a live module the batch leaves alone, so the
// checks cost O(batch), not O(live modules).
#include "commit/Transaction.h"

#include "Mutations.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace hotjit::commit {
namespace {

/// Whether definition \p F (type \p Type, binding \p Bind) of module \p I may
/// join \p Other (resolution/SymbolResolution.h, "Vague linkage").
Error checkJoin(const Incoming &I, StringRef F, StringRef Type, Binding Bind,
                const Definition &Other) {
  if (!mayJoin(Bind, Other.Bind))
    return fail(ErrorKind::Duplicate, "duplicate definition of function '" + F + "' in module '" +
                                          I.Name + "' (already defined by module '" + Other.Module +
                                          "')");
  if (!Type.empty() && !Other.Type.empty() && signatureOf(Type) == signatureOf(Other.Type) &&
      Type != Other.Type)
    return fail(ErrorKind::Signature,
                "the closure or coroutine code '" + F + "' of module '" + I.Name +
                    "' differs from that of module '" + Other.Module +
                    "' (one definition of an inline function, two closure layouts); replace "
                    "every module that defines it in one batch");
  if (!Type.empty() && !Other.Type.empty() && signatureOf(Type) != signatureOf(Other.Type))
    return fail(ErrorKind::Signature, "function '" + F + "' is defined as '" + signatureOf(Type) +
                                          "' by module '" + I.Name + "' and as '" +
                                          signatureOf(Other.Type) + "' by module '" + Other.Module +
                                          "'; every definition of one symbol has one type");
  return Error::success();
}

Error checkDefinitions(Transaction &T) {
  for (Incoming &I : T.In)
    for (auto &F : I.Facts.Functions) {
      StringRef Name = F.getKey(), Type = F.getValue();
      auto Vague = I.Facts.VagueFunctions.find(Name);
      Binding Bind = Vague == I.Facts.VagueFunctions.end() ? Binding::Strong : Vague->second;
      if (auto Batch = T.BatchDefs.find(Name); Batch != T.BatchDefs.end())
        if (auto Err = checkJoin(I, Name, Type, Bind, Batch->second))
          return Err;
      if (std::optional<Definition> Live = T.liveDefinitionOf(Name))
        if (auto Err = checkJoin(I, Name, Type, Bind, *Live))
          return Err;
      addBatchDefinition(T.BatchDefs, Name, Definition{I.Name, Type, Bind});
    }
  return Error::success();
}

/// A global being redefined while its old storage awaits reclamation: let the
/// reclaimer free it first (its name is still taken until then).
void waitForDyingGlobals(Transaction &T) {
  LiveState &S = T.E.State;
  for (Incoming &I : T.In)
    for (auto &G : I.Facts.Globals)
      if (S.DyingGlobals.contains(G.getKey()) && !S.Globals.count(G.getKey())) {
        // Storage retired behind stale stubs is retired again by the first
        // callback (Retirement::retireBehindStubs): the second barrier waits for that.
        T.E.Domain->barrier();
        T.E.Domain->barrier();
        S.DyingGlobals.clear();
        return;
      }
}

/// Binds each global of \p I to live storage of its type, or creates it.
Error bindGlobals(Transaction &T, Incoming &I) {
  for (auto &G : I.Facts.Globals) {
    StringRef Name = G.getKey();
    if (T.definitionOf(Name))
      return fail(ErrorKind::Duplicate, "module '" + I.Name + "' defines global '" + Name +
                                            "', which is also a function");
    auto Existing = T.E.State.Globals.find(Name);
    const std::string *Type =
        Existing != T.E.State.Globals.end() ? &Existing->second.Type : nullptr;
    if (auto It = T.NewGlobalType.find(Name); !Type && It != T.NewGlobalType.end())
      Type = &It->second;
    if (Type && *Type != G.getValue())
      return fail(ErrorKind::GlobalType, "global '" + Name + "' (module '" + I.Name +
                                             "') has type '" + G.getValue() +
                                             "', but the live global has type '" + *Type +
                                             "'; a swap replaces code, not data");
    if (!Type) {
      T.NewGlobalType[Name] = G.getValue();
      I.Ask.createStorage(Name);
    }
  }
  return Error::success();
}

/// A replacement never runs constructors (live state is kept), so it may not
/// bring storage that only a constructor would initialise; an alias and its
/// global come into existence together.
Error checkNewStorage(const Incoming &I) {
  if (I.Replaces && !mutation::ReplaceSkipsInitCheck)
    for (auto &G : I.InitGlobals)
      if (I.Ask.creates(G.getKey()) && G.getKey() != dsoHandleName(I.Name))
        return fail(ErrorKind::Unsupported,
                    "module '" + I.Name + "': the replacement introduces global '" + G.getKey() +
                        "', which a static constructor initialises; a replacement does "
                        "not run constructors (live state is kept): add it in a new "
                        "module, or remove the module and add it again");
  for (auto &A : I.Facts.DataAliases)
    if (I.Ask.creates(A.getKey()) != I.Ask.creates(A.getValue()))
      return fail(ErrorKind::Unsupported, "module '" + I.Name + "': alias '" + A.getKey() +
                                              "' and the global '" + A.getValue() +
                                              "' it names must come into existence together");
  return Error::success();
}

/// Globals of the modules the batch replaces or removes that no module
/// defines after it (a module-lifetime constant stays with its module).
void findDroppedGlobals(Transaction &T) {
  if (T.Touched.empty())
    return;
  StringSet<> Defined;
  for (Incoming &I : T.In)
    for (auto &G : I.Facts.Globals)
      Defined.insert(G.getKey());
  for (const std::string &Name : T.Touched)
    for (auto &G : T.E.State.Modules.at(Name).Facts.Globals) {
      StringRef Global = G.getKey();
      auto R = T.E.State.Globals.find(Global);
      if (Defined.contains(Global) || isModuleLifetime(Global) || R == T.E.State.Globals.end())
        continue;
      if (llvm::none_of(R->second.Owners,
                        [&](const auto &O) { return !T.Touched.count(O.getKey().str()); }))
        T.DroppedGlobals[Global] = Name;
    }
}

Error checkGlobals(Transaction &T) {
  waitForDyingGlobals(T);
  findDroppedGlobals(T);
  for (Incoming &I : T.In) {
    if (auto Err = bindGlobals(T, I))
      return Err;
    if (auto Err = checkNewStorage(I))
      return Err;
  }
  return Error::success();
}

/// extern_weak references bind to what the batch leaves defined, or to null
/// (resolution/SymbolResolution.h, "extern_weak").
void bindWeakReferences(Transaction &T) {
  for (Incoming &I : T.In) {
    auto Bind = [&](StringMap<std::string> &Weak, StringMap<std::string> &Refs) {
      for (auto &W : Weak) {
        StringRef Name = W.getKey();
        if (T.definitionOf(Name) || T.globalExists(Name) || T.E.Host.find(Name))
          Refs[Name] = W.getValue();
        else
          I.Ask.bindToNull(Name);
      }
    };
    Bind(I.Facts.WeakFunctionRefs, I.Facts.FunctionRefs);
    Bind(I.Facts.WeakGlobalRefs, I.Facts.GlobalRefs);
  }
}

/// What \p I references and nothing defines, appended to \p Missing.
Error findMissing(Transaction &T, const Incoming &I, std::vector<std::string> &Missing) {
  for (auto &Ref : I.Facts.FunctionRefs) {
    StringRef Name = Ref.getKey();
    if (std::optional<Definition> D = T.definitionOf(Name)) {
      if (!mutation::NoSignatureCheck && !D->Type.empty() && signatureOf(D->Type) != Ref.getValue())
        return fail(ErrorKind::Signature, "module '" + I.Name + "' calls function '" + Name +
                                              "' as '" + Ref.getValue() + "', but module '" +
                                              D->Module + "' defines it as '" +
                                              signatureOf(D->Type) + "'");
      continue;
    }
    if (!T.globalExists(Name) && !T.E.Host.find(Name))
      Missing.push_back("function '" + Name.str() + "' (called by module '" + I.Name + "')");
  }
  for (auto &Ref : I.Facts.GlobalRefs) {
    StringRef Name = Ref.getKey();
    // definitionOf: a function's address taken through a global declaration.
    if (!T.globalExists(Name) && !T.E.Host.find(Name) && !T.definitionOf(Name))
      Missing.push_back("global '" + Name.str() + "' (used by module '" + I.Name + "')");
  }
  return Error::success();
}

/// All present, with matching types, before anything is linked.
Error checkAllPresent(Transaction &T) {
  std::vector<std::string> Missing;
  for (Incoming &I : T.In)
    if (auto Err = findMissing(T, I, Missing))
      return Err;
  if (Missing.empty())
    return Error::success();
  return fail(ErrorKind::Undefined, "undefined " + join(Missing, ", undefined ") +
                                        "; define them in this batch, in a live module, or "
                                        "register them as host symbols (Engine::addHostSymbol, "
                                        "hotjit_add_host_symbol)");
}

/// Live callers of \p F that the batch leaves in place agree with what the
/// batch makes of it: it is not dropped (unless forced), its type is theirs.
Error checkCallersOf(Transaction &T, StringRef F) {
  LiveState &S = T.E.State;
  auto C = S.Callers.find(F);
  if (C == S.Callers.end())
    return Error::success();
  for (const std::string &CallerName : C->second) {
    if (T.Touched.count(CallerName))
      continue;
    if (auto D = T.Dropped.find(F); D != T.Dropped.end()) {
      auto R = T.Removing.find(D->second);
      if (R != T.Removing.end() && R->second == RemoveMode::Force)
        continue;
      return fail(ErrorKind::InUse, "function '" + F + "' (module '" + D->second +
                                        "') is still called by module '" + CallerName +
                                        "'; remove or replace that module in the same "
                                        "batch, or force the removal");
    }
    const std::string &CalledAs = S.Modules.at(CallerName).Facts.FunctionRefs.at(F);
    std::optional<Definition> Def = T.definitionOf(F);
    if (Def && !Def->Type.empty() && signatureOf(Def->Type) != CalledAs)
      return fail(ErrorKind::Signature, "function '" + F + "' (module '" + Def->Module +
                                            "') changes type to '" + signatureOf(Def->Type) +
                                            "', but module '" + CallerName +
                                            "' still calls it as '" + CalledAs +
                                            "'; replace its callers in the same batch");
  }
  return Error::success();
}

/// A batch module's own references to dropped functions were caught as
/// undefined (unless the host provides them); live callers are found through
/// the callers index.
Error checkLiveCallers(Transaction &T) {
  for (const std::string &Name : T.Touched)
    for (auto &F : T.E.State.Modules.at(Name).Facts.Functions)
      if (!T.definitionOf(F.getKey()))
        T.Dropped[F.getKey()] = Name;
  for (auto &D : T.Dropped)
    if (auto Err = checkCallersOf(T, D.getKey()))
      return Err;
  for (auto &D : T.BatchDefs) {
    // Live callers agree with the previous type; only a change needs them.
    auto Prev = T.E.State.Functions.find(D.getKey());
    if (Prev != T.E.State.Functions.end() && Prev->second.Type == D.getValue().Type)
      continue;
    if (auto Err = checkCallersOf(T, D.getKey()))
      return Err;
  }
  return Error::success();
}

/// Live modules the batch leaves in place still have every global they use
/// (LiveState::GlobalUsers): storage they read must not be freed under them.
/// A forced removal keeps the storage of what they use instead (Publish.cpp).
/// The batch's own modules found a dropped global undefined (globalExists()).
Error checkGlobalUsers(Transaction &T) {
  if constexpr (mutation::GlobalUsersUnchecked)
    return Error::success();
  for (auto &D : T.DroppedGlobals) {
    StringRef Global = D.getKey();
    const std::string &Module = D.getValue();
    if (!T.dropsGlobal(Global))
      continue;
    auto U = T.E.State.GlobalUsers.find(Global);
    if (U == T.E.State.GlobalUsers.end())
      continue;
    for (const std::string &User : U->second)
      if (!T.Touched.count(User) && !isKeptUser(User))
        return fail(
            ErrorKind::InUse,
            "global '" + Global + "' (module '" + Module + "') is still used by module '" + User +
                "'; remove or replace that module in the same batch" +
                (T.Removing.count(Module)
                     ? ", or force the removal (the storage then lives on while modules "
                       "that use it do)"
                     : ", or keep the global in the replacement of module '" + Module + "'"));
  }
  return Error::success();
}

} // namespace

/// Names a prepared batch brings into being are its own until it is published or discarded
/// (LiveState::Reserved): their stubs and storage exist but nothing may resolve to them.
Error checkReserved(const Transaction &T) {
  const StringMap<uint64_t> &Reserved = T.E.State.Reserved;
  if (Reserved.empty())
    return Error::success();
  for (const Incoming &I : T.In) {
    std::pair<const char *, const StringMap<std::string> *> Uses[] = {
        {"function", &I.Facts.Functions},        {"global", &I.Facts.Globals},
        {"function", &I.Facts.FunctionRefs},     {"global", &I.Facts.GlobalRefs},
        {"function", &I.Facts.WeakFunctionRefs}, {"global", &I.Facts.WeakGlobalRefs}};
    for (auto [Kind, Names] : Uses)
      for (auto &N : *Names)
        if (auto R = Reserved.find(N.getKey()); R != Reserved.end())
          return fail(ErrorKind::Conflict,
                      "module '" + I.Name + "' uses " + Kind + " '" + N.getKey() +
                          "', which a prepared batch (version " + Twine(R->second) +
                          ") brings into being and has not published or discarded yet");
  }
  return Error::success();
}

Error validate(Transaction &T) {
  if (auto Err = checkReserved(T))
    return Err;
  if (auto Err = checkDefinitions(T))
    return Err;
  if (auto Err = checkGlobals(T))
    return Err;
  bindWeakReferences(T);
  if (auto Err = checkAllPresent(T))
    return Err;
  if (auto Err = checkLiveCallers(T))
    return Err;
  return checkGlobalUsers(T);
}

} // namespace hotjit::commit
