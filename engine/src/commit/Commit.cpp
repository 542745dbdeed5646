// A commit: load and check every module of a batch, link each alone, then publish all of them.
//
// A Transaction runs the phases in order; nothing becomes visible unless every phase succeeds:
//   resolveOperations  the batch's operations against the live module table (no state touched);
//   load               parse, verify, check supported constructs, normalise, collect facts;
//   validate           the state the batch would produce, as a whole: duplicates and ODR copies,
//                      globals, extern_weak bindings, all-present, signatures, removal of functions
//                      still called. Every check runs before ORC sees anything;
//   prepare            rewrite (versioned implementation names, data split from code), create
//                      missing stubs (a stub of an unpublished function traps, invisible to lookups),
//                      give each function whose type changes the stub of its new type;
//   link               every module under its own ResourceTracker, materialised by one lookup and
//                      compiled in parallel by the dispatcher; on any error the new trackers go;
//   publish            under the table lock: providers updated, each changed stub pointed at its
//                      owner's copy (SymbolResolution.h), records updated, old versions retired.
//
// Type identity
// -------------
// A function's IR type is part of its identity, as arity is in Erlang: g of type `i64 (i64)` and g
// of type `i64 (i64, i64)` are two functions that share a name, each with its own stub, and a stub
// only ever runs code of its type. Whoever holds the old stub was compiled against the old type
// (code of a retired version still running, a host's Function handle, a stored `&g`), so:
//   * prepare() gives g the stub of the new type (a fresh one, or the one g had when it last had that
//     type) and rebinds the name in hotjit.stubs to it before anything links, so the batch's modules
//     and later lookups reach the new stub; a failed link restores the old binding;
//   * publish() stores the new implementation in the new stub only; the old stub keeps running the
//     last implementation of the old type, which this commit retires;
//   * that code is retired behind the stub (Engine::Impl::retireBehindStubs): after a grace period,
//     when no thread is still inside the callers retired with it, the old stub is pointed at its trap,
//     which reports "function 'g' changed type from 'A' to 'B'"; after a second one the code is
//     freed. A caller of the old stub gets the old implementation, or the trap, never the new code;
//   * a commit that gives g its old type back publishes the old stub again (`&g` of that type is
//     again what it was), and the trap pending for it, from the earlier commit, is not armed.
#include "EngineImpl.h"

#include "compile/Compiler.h"
#include "runtime/CxxRuntime.h"
#include "rewrite/ModuleParser.h"
#include "Mutations.h"
#include "resolution/SymbolResolution.h"
#include "compile/TbbTaskDispatcher.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/xxhash.h"

#include <chrono>
#include <set>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

namespace {

using Clock = std::chrono::steady_clock;

Error fail(ErrorKind K, const Twine &Message) {
  return makeError(K, ("commit failed: " + Message).str());
}

/// "<size>:<name> ": names of any bytes, unambiguous when concatenated.
std::string lengthPrefixed(StringRef Name) {
  return std::to_string(Name.size()) + ":" + Name.str() + " ";
}

/// One module of the batch on its way in.
struct Incoming {
  std::string Name;
  bool Replaces = false;
  std::unique_ptr<LLVMContext> Ctx;
  std::unique_ptr<Module> M;
  std::shared_ptr<SavedSource> Source;
  ModuleFacts Facts;
  StringSet<> CreatesGlobals; ///< Globals whose storage this module defines.
  StringSet<> NullWeakRefs;   ///< extern_weak references bound to null.
  /// What the rewrite asked of the engine's state, and the answers: with the
  /// source bytes, the rest of the object cache's key (cacheKeyBase()).
  std::string Decisions;
  StringSet<> InitGlobals;    ///< Globals its static constructors initialise.
  Initialisers Inits;         ///< Its init and fini functions (symbol names).
  const void *Init = nullptr, *Fini = nullptr;
  std::unique_ptr<Module> Data;
  StringMap<Implementation> Impls;
  StringMap<const void *> ImplAddress; ///< Public name -> linked code.
  ResourceTrackerSP CodeRT, DataRT;
};

/// One batch on its way through the phases (see the top of this file).
class Transaction {
public:
  Transaction(Engine::Impl &E, std::optional<unsigned> Level) : E(E), Level(Level) {}

  Expected<CommitReport> run(std::vector<Batch::Op> Ops);

private:
  /// A definition of a function in the state the batch would produce.
  struct Definition {
    StringRef Module, Type;
    Binding Bind = Binding::Strong;
  };

  Error admit();
  Error resolveOperations(std::vector<Batch::Op> &Ops);
  Error load(std::vector<Batch::Op> &Ops);
  Error validate();
  Error checkDefinitions();
  Error checkGlobals();
  void bindWeakReferences();
  Error checkAllPresent();
  Error checkLiveCallers();
  Error prepare();
  std::string cacheKeyBase(const Incoming &I) const;
  Error retypeStubs();
  Error unbindStubNames(const SymbolNameSet &Names);
  /// The names of TypeChanges, and their bindings to the stubs of the new
  /// (\p ToNew) or the live types.
  std::pair<SymbolNameSet, SymbolMap> typeChangeBindings(bool ToNew);
  void restoreStubNames();
  Error link();
  Error runConstructors();
  void tearDownLeavingModules();
  void publish();
  void retireReplaced();
  void removeNewTrackers();

  std::optional<Definition> definitionOf(StringRef F) const;
  std::optional<Definition> liveDefinitionOf(StringRef F) const;
  bool globalExists(StringRef Name) const {
    return NewGlobalType.count(Name) || E.Globals.count(Name);
  }

  Engine::Impl &E;
  std::optional<unsigned> Level;
  CommitReport Report;
  bool Tier0 = false;
  std::vector<Incoming> In;
  std::map<std::string, RemoveMode> Removing;
  std::set<std::string> Touched; ///< Modules replaced or removed.
  /// Functions the batch defines: the strong definition, else the first copy.
  StringMap<Definition> BatchDefs;
  StringMap<std::string> NewGlobalType;
  StringMap<std::string> Dropped; ///< Function -> module it disappears from.
  SymbolMap Linked;
  /// Retired trackers; Code: a module version's code (else global storage).
  struct Retiring {
    ResourceTrackerSP RT;
    std::string What;
    bool Code;
  };
  std::vector<Retiring> ToRetire;
  /// A function the batch gives another type (see "Type identity" above).
  struct TypeChange {
    std::string Name, From, To;
    StubTable::Entry Old, New;
  };
  std::vector<TypeChange> TypeChanges;
  bool StubNamesRebound = false;
};

Expected<CommitReport> Transaction::run(std::vector<Batch::Op> Ops) {
  auto Start = Clock::now();
  if (Level && *Level > 3)
    return fail(ErrorKind::Unsupported,
                "optimisation level must be 0 to 3, not " + Twine(*Level));
  // Tiered engines publish batches without an explicit level at O0 first.
  Tier0 = !Level && E.Opts.Tiered && E.Opts.OptLevel > 0;
  Report.OptLevel = Level ? *Level : Tier0 ? 0 : E.Opts.OptLevel;
  auto Failed = [&](Error Err) -> Expected<CommitReport> {
    ++E.FailedCommits;
    return std::move(Err);
  };
  if (E.Domain->isPinned())
    return Failed(fail(ErrorKind::Unsupported,
                       "commit called while holding an EpochGuard of this "
                       "engine (it could wait for itself)"));
  std::lock_guard<std::mutex> CL(E.CommitLock);
  if (auto Err = admit())
    return Failed(std::move(Err));
  if (auto Err = resolveOperations(Ops))
    return Failed(std::move(Err));
  if (auto Err = load(Ops))
    return Failed(std::move(Err));
  auto Parsed = Clock::now();
  Report.Parse = Parsed - Start;
  if (auto Err = validate())
    return Failed(std::move(Err));
  if (auto Err = prepare())
    return Failed(std::move(Err));
  auto Prepared = Clock::now();
  Report.Prepare = Prepared - Parsed;
  if (auto Err = link()) {
    restoreStubNames();
    return Failed(std::move(Err));
  }
  if (auto Err = runConstructors()) {
    restoreStubNames();
    return Failed(std::move(Err));
  }
  auto LinkedAt = Clock::now();
  Report.Link = LinkedAt - Prepared;
  tearDownLeavingModules();
  publish();
  retireReplaced();
  // Every version interns new implementation names; ORC's pool keeps dead
  // entries until asked, so sweep it now and then to keep memory flat.
  if (++E.Commits % 1024 == 0)
    E.ES->getSymbolStringPool()->clearDeadEntries();
  auto End = Clock::now();
  Report.Publish = End - LinkedAt;
  Report.Total = End - Start;
  if (Tier0) {
    E.LastTier0Ns = Report.Total.count();
    for (Incoming &I : In)
      E.queueTierUp(I.Name, Report.Version);
  }
  return std::move(Report);
}

Error Transaction::admit() {
  {
    std::lock_guard<std::mutex> L(E.LinkErrorLock);
    E.LinkErrors.clear();
  }
  const EngineOptions &Opts = E.Opts;
  if (!Opts.RetiredBytesCap || E.Domain->pendingBytes() <= Opts.RetiredBytesCap)
    return Error::success();
  bool Drained = false;
  if (Opts.WaitWhenOverCap) {
    ++E.CommitsWaiting;
    Drained = E.Domain->waitPendingBytesBelow(Opts.RetiredBytesCap, Opts.RetiredWaitTimeout);
    --E.CommitsWaiting;
  }
  if (Drained)
    return Error::success();
  return fail(ErrorKind::Backpressure,
              "retired code awaiting reclamation (" +
                  Twine(E.Domain->pendingBytes()) + " bytes) exceeds the cap of " +
                  Twine(Opts.RetiredBytesCap) +
                  " bytes; a thread may be holding an EpochGuard for too long");
}

// Only the commit thread mutates the tables, and it holds CommitLock, so the
// phases before publish() read them without another lock.
Error Transaction::resolveOperations(std::vector<Batch::Op> &Ops) {
  std::set<std::string> Named;
  for (Batch::Op &Op : Ops) {
    if (!Named.insert(Op.Module).second)
      return fail(ErrorKind::NoSuchModule,
                  "module '" + Op.Module + "' appears twice in the batch");
    bool Live = E.Modules.count(Op.Module) != 0;
    if (Op.IfVersion && (!Live || E.Modules[Op.Module].Version != *Op.IfVersion))
      return fail(ErrorKind::NoSuchModule, "module '" + Op.Module +
                                               "' is no longer version " +
                                               Twine(*Op.IfVersion));
    switch (Op.K) {
    case Batch::Op::Kind::Add:
      if (Live)
        return fail(ErrorKind::NoSuchModule,
                    "module '" + Op.Module + "' is already live; use replace()");
      break;
    case Batch::Op::Kind::Replace:
    case Batch::Op::Kind::Remove:
      if (!Live)
        return fail(ErrorKind::NoSuchModule,
                    "module '" + Op.Module + "' is not live");
      break;
    case Batch::Op::Kind::Put:
      break;
    }
    if (Live)
      Touched.insert(Op.Module);
    if (Op.K == Batch::Op::Kind::Remove) {
      Removing[Op.Module] = Op.Mode;
      continue;
    }
    if (Op.Module.find("__hjv") != std::string::npos)
      return fail(ErrorKind::Unsupported,
                  "module '" + Op.Module +
                      "': a module name may not hold '__hjv' (hotjit's version tokens)");
    Incoming &I = In.emplace_back();
    I.Name = Op.Module;
    I.Replaces = Live;
  }
  return Error::success();
}

Error Transaction::load(std::vector<Batch::Op> &Ops) {
  size_t Next = 0;
  for (Batch::Op &Op : Ops) {
    if (Op.K == Batch::Op::Kind::Remove)
      continue;
    Incoming &I = In[Next++];
    ModuleSource &S = *Op.Source;
    I.Ctx = S.kind() == ModuleSource::Kind::Module ? S.takeContext() : nullptr;
    if (!I.Ctx)
      I.Ctx = std::make_unique<LLVMContext>();
    I.Source = std::make_shared<SavedSource>();
    auto M = parseModule(S, I.Name, *I.Ctx, *I.Source, E.Opts.MaxModuleBytes);
    if (!M)
      return M.takeError();
    I.M = std::move(*M);
    I.M->setDataLayout(E.DL);
    I.M->setTargetTriple(E.TT);
    if (auto Err = checkSupported(*I.M, I.Name))
      return fail(ErrorKind::Unsupported, takeError(std::move(Err)).second);
    normalize(*I.M, I.Name);
    prepareRuntime(*I.M, I.Name);
    I.InitGlobals = globalsInitialisedByConstructors(*I.M);
    I.Facts = collectFacts(*I.M);
    if (Report.OptLevel != E.Opts.OptLevel)
      Compiler::setOptLevel(*I.M, Report.OptLevel);
  }
  return Error::success();
}

// The new state, without copying the live tables: a function is defined by
// the batch, or by a live module the batch leaves alone. O(batch), not
// O(live modules).
std::optional<Transaction::Definition>
Transaction::definitionOf(StringRef F) const {
  if (auto It = BatchDefs.find(F); It != BatchDefs.end())
    return It->second;
  return liveDefinitionOf(F);
}

/// A copy in a live module the batch leaves alone (the strong one if any).
std::optional<Transaction::Definition>
Transaction::liveDefinitionOf(StringRef F) const {
  auto R = E.Functions.find(F);
  if (R == E.Functions.end())
    return std::nullopt;
  std::optional<Definition> Best;
  for (const auto &[Module, P] : R->second.Providers)
    if (!Touched.count(Module) && (!Best || P.Bind == Binding::Strong))
      Best = Definition{Module, P.Type, P.Bind};
  return Best;
}

Error Transaction::validate() {
  if (auto Err = checkDefinitions())
    return Err;
  if (auto Err = checkGlobals())
    return Err;
  bindWeakReferences();
  if (auto Err = checkAllPresent())
    return Err;
  return checkLiveCallers();
}

/// One strong definition per function, any number of vague copies, and one
/// type for all of them.
Error Transaction::checkDefinitions() {
  for (Incoming &I : In)
    for (auto &F : I.Facts.Functions) {
      Binding Bind = Binding::Strong;
      if (auto It = I.Facts.VagueFunctions.find(F.getKey());
          It != I.Facts.VagueFunctions.end())
        Bind = It->second;
      auto Check = [&](const Definition &Other) -> Error {
        if (Bind == Binding::Strong && Other.Bind == Binding::Strong)
          return fail(ErrorKind::Duplicate,
                      "duplicate definition of function '" + F.getKey() +
                          "' in module '" + I.Name +
                          "' (already defined by module '" + Other.Module + "')");
        if (!F.getValue().empty() && !Other.Type.empty() && F.getValue() != Other.Type)
          return fail(ErrorKind::Signature,
                      "function '" + F.getKey() + "' is defined as '" +
                          F.getValue() + "' by module '" + I.Name + "' and as '" +
                          Other.Type + "' by module '" + Other.Module +
                          "'; every definition of one symbol has one type");
        return Error::success();
      };
      if (auto Batch = BatchDefs.find(F.getKey()); Batch != BatchDefs.end())
        if (auto Err = Check(Batch->second))
          return Err;
      if (std::optional<Definition> Live = liveDefinitionOf(F.getKey()))
        if (auto Err = Check(*Live))
          return Err;
      auto [It, New] = BatchDefs.try_emplace(F.getKey(),
                                             Definition{I.Name, F.getValue(), Bind});
      if (!New && Bind == Binding::Strong)
        It->second = {I.Name, F.getValue(), Bind};
    }
  return Error::success();
}

/// Globals bind to existing storage (types must match) or create it.
Error Transaction::checkGlobals() {
  // A global being redefined while its old storage awaits reclamation: let
  // the reclaimer free it first (its name is still taken until then).
  for (Incoming &I : In)
    for (auto &G : I.Facts.Globals)
      if (E.DyingGlobals.contains(G.getKey()) && !E.Globals.count(G.getKey())) {
        E.Domain->barrier();
        E.DyingGlobals.clear();
        break;
      }
  for (Incoming &I : In) {
    for (auto &G : I.Facts.Globals) {
      if (definitionOf(G.getKey()))
        return fail(ErrorKind::Duplicate,
                    "module '" + I.Name + "' defines global '" + G.getKey() +
                        "', which is also a function");
      auto Existing = E.Globals.find(G.getKey());
      const std::string *Type =
          Existing != E.Globals.end() ? &Existing->second.Type : nullptr;
      if (auto It = NewGlobalType.find(G.getKey()); !Type && It != NewGlobalType.end())
        Type = &It->second;
      if (Type && *Type != G.getValue())
        return fail(ErrorKind::GlobalType,
                    "global '" + G.getKey() + "' (module '" + I.Name +
                        "') has type '" + G.getValue() +
                        "', but the live global has type '" + *Type +
                        "'; a swap replaces code, not data");
      if (!Type) {
        NewGlobalType[G.getKey()] = G.getValue();
        I.CreatesGlobals.insert(G.getKey());
      }
    }
    // A replacement never runs constructors (live state is kept), so it may
    // not bring storage that only a constructor would initialise.
    if (I.Replaces && !mutation::ReplaceSkipsInitCheck)
      for (auto &G : I.InitGlobals)
        if (I.CreatesGlobals.contains(G.getKey()) && G.getKey() != dsoHandleName(I.Name))
          return fail(ErrorKind::Unsupported,
                      "module '" + I.Name + "': the replacement introduces global '" +
                          G.getKey() +
                          "', which a static constructor initialises; a replacement does "
                          "not run constructors (live state is kept): add it in a new "
                          "module, or remove the module and add it again");
    for (auto &A : I.Facts.DataAliases)
      if (I.CreatesGlobals.contains(A.getKey()) !=
          I.CreatesGlobals.contains(A.getValue()))
        return fail(ErrorKind::Unsupported,
                    "module '" + I.Name + "': alias '" + A.getKey() +
                        "' and the global '" + A.getValue() +
                        "' it names must come into existence together");
  }
  return Error::success();
}

/// extern_weak references bind to what the batch leaves defined, or to null.
void Transaction::bindWeakReferences() {
  for (Incoming &I : In) {
    auto Bind = [&](StringMap<std::string> &Weak, StringMap<std::string> &Refs) {
      for (auto &W : Weak) {
        StringRef Name = W.getKey();
        if (definitionOf(Name) || globalExists(Name) || E.Host.find(Name))
          Refs[Name] = W.getValue();
        else
          I.NullWeakRefs.insert(Name);
      }
    };
    Bind(I.Facts.WeakFunctionRefs, I.Facts.FunctionRefs);
    Bind(I.Facts.WeakGlobalRefs, I.Facts.GlobalRefs);
  }
}

/// All present, with matching types, before anything is linked.
Error Transaction::checkAllPresent() {
  std::vector<std::string> Missing;
  for (Incoming &I : In) {
    for (auto &Ref : I.Facts.FunctionRefs) {
      StringRef Name = Ref.getKey();
      if (std::optional<Definition> D = definitionOf(Name)) {
        if (!mutation::NoSignatureCheck && !D->Type.empty() &&
            D->Type != Ref.getValue())
          return fail(ErrorKind::Signature,
                      "module '" + I.Name + "' calls function '" + Name +
                          "' as '" + Ref.getValue() + "', but module '" +
                          D->Module + "' defines it as '" + D->Type + "'");
        continue;
      }
      if (globalExists(Name) || E.Host.find(Name))
        continue;
      Missing.push_back("function '" + Name.str() + "' (called by module '" +
                        I.Name + "')");
    }
    for (auto &Ref : I.Facts.GlobalRefs) {
      StringRef Name = Ref.getKey();
      if (globalExists(Name) || E.Host.find(Name))
        continue;
      if (definitionOf(Name))
        continue; // A function's address taken through a global declaration.
      Missing.push_back("global '" + Name.str() + "' (used by module '" +
                        I.Name + "')");
    }
  }
  if (!Missing.empty())
    return fail(ErrorKind::Undefined,
                "undefined " + join(Missing, ", undefined ") +
                    "; define them in this batch, in a live module, or "
                    "register them as host symbols (Engine::addHostSymbol, "
                    "hotjit_add_host_symbol)");
  return Error::success();
}

/// Live callers that the batch leaves in place must still agree with every
/// function the batch redefines or drops (found through the callers index).
/// A batch module's own references to dropped functions were caught as
/// undefined (unless the host provides them).
Error Transaction::checkLiveCallers() {
  for (const std::string &Name : Touched)
    for (auto &F : E.Modules[Name].Facts.Functions)
      if (!definitionOf(F.getKey()))
        Dropped[F.getKey()] = Name;
  auto CheckCallers = [&](StringRef F) -> Error {
    auto C = E.Callers.find(F);
    if (C == E.Callers.end())
      return Error::success();
    for (const std::string &CallerName : C->second) {
      if (Touched.count(CallerName))
        continue;
      const std::string &CalledAs = E.Modules[CallerName].Facts.FunctionRefs[F];
      if (auto D = Dropped.find(F); D != Dropped.end()) {
        auto R = Removing.find(D->second);
        if (R == Removing.end() || R->second != RemoveMode::Force)
          return fail(ErrorKind::InUse,
                      "function '" + F + "' (module '" + D->second +
                          "') is still called by module '" + CallerName +
                          "'; remove or replace that module in the same "
                          "batch, or force the removal");
        continue;
      }
      std::optional<Definition> Def = definitionOf(F);
      if (Def && !Def->Type.empty() && Def->Type != CalledAs)
        return fail(ErrorKind::Signature,
                    "function '" + F + "' (module '" + Def->Module +
                        "') changes type to '" + Def->Type + "', but module '" +
                        CallerName + "' still calls it as '" + CalledAs +
                        "'; replace its callers in the same batch");
    }
    return Error::success();
  };
  for (auto &D : Dropped)
    if (auto Err = CheckCallers(D.getKey()))
      return Err;
  for (auto &D : BatchDefs) {
    // Live callers agree with the previous type; only a change needs them.
    auto Prev = E.Functions.find(D.getKey());
    if (Prev != E.Functions.end() && Prev->second.Type == D.getValue().Type)
      continue;
    if (auto Err = CheckCallers(D.getKey()))
      return Err;
  }
  return Error::success();
}

/// Rewrites every module and makes sure every defined function has a stub.
Error Transaction::prepare() {
  Report.Version = E.NextVersion++;
  for (Incoming &I : In) {
    tagVersion(*I.M, I.Name, Report.Version);
    bindExternWeak(*I.M, I.NullWeakRefs);
    bridgeHostThreadLocals(*I.M, [&](StringRef N) {
      bool JitDefined = globalExists(N);
      I.Decisions += (JitDefined ? "jit-tls " : "host-tls ") + lengthPrefixed(N);
      return JitDefined;
    });
    I.Inits = gatherInitialisers(*I.M, I.Name, Report.Version);
    I.Data = splitData(*I.M, I.CreatesGlobals);
    I.Impls = renameImplementations(*I.M, Report.Version, I.Name);
    if (E.Cache) {
      std::string Key = cacheKeyBase(I);
      Compiler::setCacheKey(*I.M, Key + "code\n");
      if (I.Data)
        Compiler::setCacheKey(*I.Data, Key + "data\n");
    }
  }
  SymbolMap NewStubs;
  std::unique_lock<std::shared_mutex> L(E.TableLock);
  for (Incoming &I : In)
    for (auto &F : I.Facts.Functions) {
      if (E.Functions.count(F.getKey()))
        continue;
      auto Entry = E.Stubs.create(F.getKey());
      if (!Entry)
        return Entry.takeError();
      FunctionRecord &R = E.Functions[F.getKey()];
      R.Stub = *Entry;
      NewStubs[E.ES->intern(F.getKey())] = {
          ExecutorAddr::fromPtr(Entry->Stub),
          JITSymbolFlags::Exported | JITSymbolFlags::Callable};
    }
  if (!NewStubs.empty())
    if (auto Err = E.StubsJD->define(absoluteSymbols(std::move(NewStubs))))
      return Err;
  return retypeStubs();
}

/// What the object of \p I is made from, for the object cache: its name, a
/// digest of its source bytes, and every answer the engine's state gave the
/// rewrite (extern_weak references bound to null, thread-locals the engine
/// defines, globals whose storage the module creates). Version numbers are
/// left out: the cache retags them. Computing this costs a hash of the source
/// bytes, not a serialisation of the rewritten module.
std::string Transaction::cacheKeyBase(const Incoming &I) const {
  const std::string &Bytes = I.Source->Bytes;
  XXH128_hash_t H = xxh3_128bits(
      ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Bytes.data()), Bytes.size()));
  auto Sorted = [](const StringSet<> &Set) {
    std::vector<StringRef> Names;
    for (auto &N : Set)
      Names.push_back(N.getKey());
    llvm::sort(Names);
    std::string Out;
    for (StringRef N : Names)
      Out += lengthPrefixed(N);
    return Out;
  };
  std::string Key;
  raw_string_ostream OS(Key);
  OS << "source " << (I.Source->Bitcode ? "bc " : "ll ")
     << format_hex_no_prefix(H.high64, 16) << format_hex_no_prefix(H.low64, 16)
     << " " << Bytes.size() << "\n";
  if constexpr (!mutation::CacheKeyIgnoresState)
    OS << "module " << lengthPrefixed(I.Name) << "\nnull-weak " << Sorted(I.NullWeakRefs)
       << "\ncreates " << Sorted(I.CreatesGlobals) << "\n"
       << I.Decisions;
  return Key;
}

/// Gives every function whose type the batch changes the stub of its new type
/// and binds its name in hotjit.stubs to that stub (called with TableLock).
Error Transaction::retypeStubs() {
  if constexpr (mutation::TypeChangeKeepsStub)
    return Error::success();
  for (auto &D : BatchDefs) {
    auto It = E.Functions.find(D.getKey());
    if (It == E.Functions.end())
      continue;
    FunctionRecord &R = It->second;
    const std::string &To = D.getValue().Type.str();
    if (R.Type.empty() || To.empty() || R.Type == To)
      continue; // Unchanged, new, or untyped (module asm).
    TypeChange C{D.getKey().str(), R.Type, To, R.Stub, {}};
    if (auto Other = R.OtherTypes.find(To); Other != R.OtherTypes.end()) {
      C.New = Other->second.Stub;
    } else {
      auto Entry = E.Stubs.create(D.getKey());
      if (!Entry)
        return Entry.takeError();
      C.New = *Entry;
      // Kept, unpublished, so that a failed commit does not strand it.
      R.OtherTypes[To] = {C.New, 0};
    }
    TypeChanges.push_back(std::move(C));
  }
  if (TypeChanges.empty())
    return Error::success();
  auto [Names, NewStubs] = typeChangeBindings(/*ToNew=*/true);
  if (auto Err = unbindStubNames(Names))
    return fail(ErrorKind::Link, "rebinding the stubs of functions that change type: " +
                                     toString(std::move(Err)));
  StubNamesRebound = true;
  if (auto Err = E.StubsJD->define(absoluteSymbols(std::move(NewStubs)))) {
    std::string Detail = toString(std::move(Err));
    restoreStubNames();
    return fail(ErrorKind::Link,
                "rebinding the stubs of functions that change type: " + Detail);
  }
  return Error::success();
}

/// Removes \p Names from hotjit.stubs. A failed link may leave their
/// materialisation in flight on the dispatcher (ORC refuses to remove such
/// symbols), so look them up first: that waits for it to finish.
Error Transaction::unbindStubNames(const SymbolNameSet &Names) {
  SymbolLookupSet Wanted;
  for (const SymbolStringPtr &N : Names)
    Wanted.add(N, SymbolLookupFlags::WeaklyReferencedSymbol);
  if (auto Found = E.ES->lookup({{E.StubsJD, JITDylibLookupFlags::MatchAllSymbols}},
                                std::move(Wanted));
      !Found)
    return Found.takeError();
  return E.StubsJD->remove(Names);
}

std::pair<SymbolNameSet, SymbolMap> Transaction::typeChangeBindings(bool ToNew) {
  SymbolNameSet Names;
  SymbolMap Stubs;
  for (const TypeChange &C : TypeChanges) {
    SymbolStringPtr Name = E.ES->intern(C.Name);
    Names.insert(Name);
    Stubs[Name] = {ExecutorAddr::fromPtr(ToNew ? C.New.Stub : C.Old.Stub),
                   JITSymbolFlags::Exported | JITSymbolFlags::Callable};
  }
  return {std::move(Names), std::move(Stubs)};
}

/// Undoes retypeStubs() for a commit that fails: the names in hotjit.stubs
/// are bound to the stubs of the live types again.
void Transaction::restoreStubNames() {
  if (!StubNamesRebound)
    return;
  StubNamesRebound = false;
  auto [Names, OldStubs] = typeChangeBindings(/*ToNew=*/false);
  // Names that were not bound yet (define failed) are simply absent.
  if (auto Err = unbindStubNames(Names))
    E.ES->reportError(std::move(Err));
  if (auto Err = E.StubsJD->define(absoluteSymbols(std::move(OldStubs))))
    E.ES->reportError(std::move(Err));
}

void Transaction::removeNewTrackers() {
  for (Incoming &I : In)
    for (ResourceTrackerSP *RT : {&I.CodeRT, &I.DataRT})
      if (*RT)
        if (auto Err = (*RT)->remove())
          E.ES->reportError(std::move(Err));
}

/// Links every module alone; materialises all of them with one lookup.
Error Transaction::link() {
  CompileCounters &CC = E.TheCompiler->counters();
  CC.OptimizeNs = 0;
  CC.CodegenNs = 0;
  const uint64_t CompiledBefore = CC.Compiled.load(), HitsBefore = CC.CacheHits.load();
  SymbolLookupSet Wanted;
  for (Incoming &I : In) {
    ThreadSafeContext TSC(std::move(I.Ctx));
    // Code and data share the module's context; ORC serialises their
    // compiles on its lock.
    auto Add = [&](ResourceTrackerSP &RT, std::unique_ptr<Module> M) -> Error {
      RT = E.CodeJD->createResourceTracker();
      if (auto Err = E.CompileLayer->add(RT, ThreadSafeModule(std::move(M), TSC)))
        return fail(ErrorKind::Link,
                    "module '" + I.Name + "': " + toString(std::move(Err)));
      return Error::success();
    };
    for (auto &Impl : I.Impls)
      Wanted.add(E.ES->intern(Impl.getValue().Symbol));
    for (const std::string *Run : {&I.Inits.Init, &I.Inits.Fini})
      if (!Run->empty())
        Wanted.add(E.ES->intern(*Run));
    Error Err = Add(I.CodeRT, std::move(I.M));
    if (!Err && I.Data) {
      for (auto &G : I.CreatesGlobals)
        Wanted.add(E.ES->intern(linkName(I.Facts, G.getKey())));
      Err = Add(I.DataRT, std::move(I.Data));
    }
    if (Err) {
      removeNewTrackers();
      return Err;
    }
  }
  if (!Wanted.empty()) {
    std::optional<TbbTaskDispatcher::InlineScope> Inline;
    if (In.size() == 1)
      Inline.emplace();
    auto Result = E.ES->lookup({{E.CodeJD, JITDylibLookupFlags::MatchAllSymbols}},
                               std::move(Wanted));
    if (!Result) {
      std::string Detail = toString(Result.takeError());
      // The query fails as soon as one module fails; let every compile that
      // is still running finish and report its own error first.
      if (E.Dispatcher && !mutation::LinkErrorWithoutWait)
        E.Dispatcher->waitUntilIdle();
      {
        std::lock_guard<std::mutex> L(E.LinkErrorLock);
        if (!E.LinkErrors.empty())
          Detail = E.LinkErrors;
      }
      if constexpr (!mutation::LinkFailureKeepsCode)
        removeNewTrackers();
      std::vector<std::string> Names;
      for (Incoming &I : In)
        Names.push_back("'" + I.Name + "'");
      return fail(ErrorKind::Link,
                  (Names.size() == 1 ? "linking module " : "linking modules ") +
                      join(Names, ", ") + " failed: " + Detail);
    }
    Linked = std::move(*Result);
  }
  for (Incoming &I : In)
    for (auto &Impl : I.Impls) {
      auto *Addr = Linked[E.ES->intern(Impl.getValue().Symbol)]
                       .getAddress()
                       .toPtr<const void *>();
      if (Impl.getValue().Indirect)
        Addr = *static_cast<const void *const *>(Addr);
      I.ImplAddress[Impl.getKey()] = Addr;
    }
  for (Incoming &I : In)
    for (auto [Run, Addr] : {std::pair{&I.Inits.Init, &I.Init}, std::pair{&I.Inits.Fini, &I.Fini}})
      if (!Run->empty())
        *Addr = Linked[E.ES->intern(*Run)].getAddress().toPtr<const void *>();
  Report.Optimize = std::chrono::nanoseconds(CC.OptimizeNs.load());
  Report.Codegen = std::chrono::nanoseconds(CC.CodegenNs.load());
  Report.Compiled = static_cast<unsigned>(CC.Compiled.load() - CompiledBefore);
  Report.CacheHits = static_cast<unsigned>(CC.CacheHits.load() - HitsBefore);
  return Error::success();
}

/// Runs the static constructors of the modules the batch adds (CxxRuntime.h):
/// in batch order, after every module has linked, with the batch's new
/// functions callable. One that throws fails the commit: the handlers the
/// batch registered run, the early slots trap again, the new code goes.
Error Transaction::runConstructors() {
  if constexpr (mutation::ConstructorsNotRun)
    return Error::success();
  bool Any = false;
  for (Incoming &I : In)
    Any |= !I.Replaces && I.Init;
  if (!Any)
    return Error::success();
  std::vector<const StubTable::Entry *> Early;
  for (Incoming &I : In)
    for (auto &F : I.Facts.Functions) {
      FunctionRecord &R = E.Functions[F.getKey()];
      if (R.Live || !R.Providers.empty() ||
          StubTable::target(R.Stub) != R.Stub.Trap)
        continue;
      StubTable::publish(R.Stub, I.ImplAddress[F.getKey()]);
      Early.push_back(&R.Stub);
    }
  std::string Failure;
  const Incoming *Thrower = nullptr;
  for (Incoming &I : In) {
    if (I.Replaces || !I.Init)
      continue;
    try {
      reinterpret_cast<void (*)()>(const_cast<void *>(I.Init))();
    } catch (const std::exception &Ex) {
      Failure = Ex.what();
    } catch (...) {
      Failure = "an exception that is not a std::exception";
    }
    if (!Failure.empty()) {
      Thrower = &I;
      break;
    }
  }
  if (!Thrower)
    return Error::success();
  std::vector<const void *> Dsos;
  for (Incoming &I : In)
    if (auto It = Linked.find(E.ES->intern(dsoHandleName(I.Name))); It != Linked.end())
      Dsos.push_back(It->second.getAddress().toPtr<const void *>());
  runtime::runExitHandlers(Dsos);
  for (const StubTable::Entry *Stub : Early)
    StubTable::unpublish(*Stub);
  removeNewTrackers();
  return fail(ErrorKind::Initializer, "a static constructor of module '" + Thrower->Name +
                                          "' threw: " + Failure +
                                          "; nothing of the batch was published");
}

/// Modules that leave with this batch (removed, or replaced by a version
/// without their __dso_handle) run their exit handlers and finaliser while
/// their code is still published.
void Transaction::tearDownLeavingModules() {
  for (const std::string &Name : Touched) {
    std::string Dso = dsoHandleName(Name);
    const ModuleRecord &Old = E.Modules[Name];
    bool HadStorage = Old.Facts.Globals.count(Dso) || Old.Fini;
    if (!HadStorage)
      continue;
    const Incoming *Next = nullptr;
    for (Incoming &I : In)
      if (I.Name == Name)
        Next = &I;
    if (Next && Next->Facts.Globals.count(Dso))
      continue;
    E.tearDown(Name);
  }
}

void Transaction::publish() {
  std::unique_lock<std::shared_mutex> L(E.TableLock);
  StringSet<> Changed; // Functions whose providers changed.
  auto DropGlobalOwner = [&](StringRef Global, StringRef Module) {
    auto It = E.Globals.find(Global);
    if (It == E.Globals.end() || !It->second.Owners.erase(Module) ||
        !It->second.Owners.empty())
      return;
    std::shared_ptr<DataBlock> Storage = It->second.Storage;
    if (--Storage->LiveGlobals != 0)
      return;
    for (const std::string &G : Storage->Names) {
      E.Globals.erase(G);
      E.DyingGlobals.insert(G);
    }
    ToRetire.push_back({Storage->RT, "globals of module '" + Module.str() + "'", false});
  };
  // Withdraws a live module version; a replacement keeps its place among the
  // providers of the functions it still defines.
  auto Retract = [&](const std::string &Name, const ModuleFacts *Next) {
    ModuleRecord &Old = E.Modules[Name];
    for (auto &Ref : Old.Facts.FunctionRefs) {
      auto C = E.Callers.find(Ref.getKey());
      C->second.erase(Name);
      if (C->second.empty())
        E.Callers.erase(C);
    }
    for (auto &F : Old.Facts.Functions) {
      if (!Next || !Next->Functions.count(F.getKey()))
        E.Functions[F.getKey()].Providers.erase(Name);
      Changed.insert(F.getKey());
    }
    ToRetire.push_back(
        {Old.RT, "module '" + Name + "' version " + std::to_string(Old.Version), true});
    return std::move(Old.Facts.Globals);
  };
  for (auto &[Name, Mode] : Removing) {
    auto OldGlobals = Retract(Name, nullptr);
    E.Modules.erase(Name);
    for (auto &G : OldGlobals)
      DropGlobalOwner(G.getKey(), Name);
  }
  for (Incoming &I : In) {
    StringMap<std::string> OldGlobals;
    std::shared_ptr<const SavedSource> Previous;
    if (I.Replaces) {
      Previous = E.Modules[I.Name].Source;
      OldGlobals = Retract(I.Name, &I.Facts);
    }
    std::shared_ptr<DataBlock> Storage;
    if (I.DataRT) {
      Storage = std::make_shared<DataBlock>();
      Storage->RT = I.DataRT;
    }
    for (auto &G : I.Facts.Globals) {
      GlobalRecord &R = E.Globals[G.getKey()];
      if (I.CreatesGlobals.contains(G.getKey())) {
        R.Type = G.getValue();
        R.Storage = Storage;
        R.ThreadLocal = I.Facts.ThreadLocals.contains(G.getKey());
        R.Address = Linked[E.ES->intern(linkName(I.Facts, G.getKey()))]
                        .getAddress()
                        .toPtr<void *>();
        ++Storage->LiveGlobals;
        Storage->Names.push_back(G.getKey().str());
      }
      R.Owners.insert(I.Name);
    }
    for (auto &F : I.Facts.Functions) {
      ProviderMap &Providers = E.Functions[F.getKey()].Providers;
      auto [It, New] = Providers.try_emplace(I.Name);
      Provider &P = It->second;
      if (New)
        P.Since = Report.Version;
      auto Vague = I.Facts.VagueFunctions.find(F.getKey());
      P.Bind = Vague == I.Facts.VagueFunctions.end() ? Binding::Strong
                                                     : Vague->second;
      P.Impl = I.ImplAddress[F.getKey()];
      P.Type = F.getValue();
      P.Version = Report.Version;
      Changed.insert(F.getKey());
      Report.Published.push_back(F.getKey().str());
    }
    for (auto &Ref : I.Facts.FunctionRefs)
      E.Callers[Ref.getKey()].insert(I.Name);
    ModuleRecord &MR = E.Modules[I.Name];
    if (!I.Replaces)
      MR.Created = Report.Version;
    MR.Fini = I.Fini;
    MR.Version = Report.Version;
    MR.RT = I.CodeRT;
    MR.Source = std::move(I.Source);
    MR.Previous = std::move(Previous);
    MR.Facts = std::move(I.Facts);
    for (auto &G : OldGlobals)
      if (MR.Facts.Globals.count(G.getKey()))
        continue;
      else if (isModuleLifetime(G.getKey()))
        MR.Facts.Globals[G.getKey()] = G.getValue(); // Kept while the module lives.
      else
        DropGlobalOwner(G.getKey(), I.Name);
  }
  // A function that changes type moves to the stub of its new type; the old
  // stub keeps the old code until retireReplaced() arms its trap.
  for (TypeChange &C : TypeChanges) {
    FunctionRecord &R = E.Functions[C.Name];
    R.OtherTypes.erase(C.To);
    R.OtherTypes[C.From] = {C.Old, Report.Version};
    R.Stub = C.New;
    Report.TypeChanged.push_back(C.Name);
  }
  E.TypeChanges += TypeChanges.size();
  StubNamesRebound = false; // Committed.
  // Point every changed stub at its owner's copy, or at its trap. Stubs that
  // trap until now go first — new functions, and new types (a stub of a type
  // given back traps until now): only this batch's code can reach them, and
  // it must never find one still trapping.
  auto PublishOne = [&](StringRef Name) {
    FunctionRecord &R = E.Functions[Name];
    const ProviderMap::value_type *Owner = electOwner(R.Providers);
    if (!Owner) {
      if (R.Live) {
        StubTable::unpublish(R.Stub);
        R.Live = false;
        R.RemovedFrom = std::move(R.Module);
        R.Module.clear();
        Report.Removed.push_back(Name.str());
      }
      return;
    }
    StubTable::publish(R.Stub, Owner->second.Impl);
    R.Type = Owner->second.Type;
    R.Module = Owner->first;
    R.Version = Owner->second.Version;
    R.RemovedFrom.clear();
    R.Live = true;
  };
  StringSet<> First;
  for (TypeChange &C : TypeChanges)
    First.insert(C.Name);
  for (auto &Name : Changed)
    if (!E.Functions[Name.getKey()].Live)
      First.insert(Name.getKey());
  for (auto &Name : First)
    if (Changed.contains(Name.getKey()))
      PublishOne(Name.getKey());
  for (auto &Name : Changed)
    if (!First.contains(Name.getKey()))
      PublishOne(Name.getKey());
}

/// Hands the replaced versions to the epoch domain. Code that the stubs of
/// old types still run is retired behind them: their traps are armed first.
void Transaction::retireReplaced() {
  std::vector<std::pair<ResourceTrackerSP, std::string>> Code;
  for (Retiring &R : ToRetire) {
    if (!TypeChanges.empty() && R.Code)
      Code.emplace_back(std::move(R.RT), std::move(R.What));
    else
      E.retire(std::move(R.RT), std::move(R.What));
  }
  if (TypeChanges.empty())
    return;
  struct Stale {
    std::string Name, From, Why;
  };
  std::vector<Stale> Stubs;
  for (const TypeChange &C : TypeChanges)
    Stubs.push_back({C.Name, C.From,
                     "function '" + C.Name + "' changed type from '" + C.From +
                         "' to '" + C.To + "'"});
  uint64_t Version = Report.Version;
  E.retireBehindStubs(std::move(Code), [&E = E, Stubs = std::move(Stubs), Version] {
    std::unique_lock<std::shared_mutex> L(E.TableLock);
    for (const Stale &S : Stubs) {
      auto R = E.Functions.find(S.Name);
      if (R == E.Functions.end())
        continue;
      auto Old = R->second.OtherTypes.find(S.From);
      // Not if a later commit gave the function this type back.
      if (Old != R->second.OtherTypes.end() && Old->second.RetiredBy == Version)
        E.Stubs.unpublish(Old->second.Stub, S.Why);
    }
  });
}

} // namespace

Expected<CommitReport> Engine::Impl::commit(std::vector<Batch::Op> Ops,
                                           std::optional<unsigned> Level) {
  return Transaction(*this, Level).run(std::move(Ops));
}

} // namespace hotjit
