// A commit: load and check every module of a batch, link each alone, then publish all of them.
//
// Order of work, and why nothing becomes visible on failure:
//   1. resolve operations against the live module table (no state touched);
//   2. parse, verify, check supported constructs, normalise, collect facts;
//   3. validate the new state as a whole: duplicates, all-present, signatures, global types,
//      removal of functions still called. Every check runs before ORC sees anything;
//   4. rewrite (versioned implementation names, data split from code), create missing stubs
//      (a stub of an unpublished function traps and is invisible to lookups);
//   5. add every module under its own ResourceTracker and materialise them with one lookup,
//      compiled in parallel by the dispatcher; on any error remove the new trackers;
//   6. only then, under the table lock: publish every slot, update records, retire old versions.
#include "EngineImpl.h"

#include "Compiler.h"
#include "TbbTaskDispatcher.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

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

/// One module of the batch on its way in.
struct Incoming {
  std::string Name;
  bool Replaces = false;
  std::unique_ptr<LLVMContext> Ctx;
  std::unique_ptr<Module> M;
  std::shared_ptr<SavedSource> Source;
  ModuleFacts Facts;
  StringSet<> CreatesGlobals; ///< Globals whose storage this module defines.
  std::unique_ptr<Module> Data;
  StringMap<std::string> Impls;
  ResourceTrackerSP CodeRT, DataRT;
};

/// Refuses a source of more than \p Limit bytes (0: no limit) before it is read.
Error checkSize(const ModuleSource &S, StringRef Name, size_t Limit) {
  uint64_t Size = S.data().size();
  if (S.kind() == ModuleSource::Kind::File && sys::fs::file_size(S.data(), Size))
    return Error::success(); // Unreadable: parse() names the file and the cause.
  if (!Limit || Size <= Limit)
    return Error::success();
  return fail(ErrorKind::TooLarge, "module '" + Name + "' is " + Twine(Size) +
                                        " bytes, over the limit of " + Twine(Limit) +
                                        " bytes (EngineOptions::MaxModuleBytes)");
}

/// Parses \p S and records the bytes it came from in \p Saved.
Expected<std::unique_ptr<Module>> parse(ModuleSource &S, StringRef Name,
                                        LLVMContext &Ctx, SavedSource &Saved) {
  std::unique_ptr<MemoryBuffer> Buf;
  switch (S.kind()) {
  case ModuleSource::Kind::Module:
    if (auto M = S.takeModule()) {
      raw_string_ostream OS(Saved.Bytes);
      WriteBitcodeToFile(*M, OS);
      Saved.Bitcode = true;
      return std::move(M);
    }
    return fail(ErrorKind::Parse, "module '" + Name + "': no module given");
  case ModuleSource::Kind::File: {
    auto B = MemoryBuffer::getFile(S.data());
    if (!B)
      return fail(ErrorKind::Parse, "module '" + Name + "': cannot read '" +
                                        S.data() + "': " + B.getError().message());
    Buf = std::move(*B);
    break;
  }
  case ModuleSource::Kind::IRText:
  case ModuleSource::Kind::Bitcode:
    Buf = MemoryBuffer::getMemBuffer(S.data(), Name, /*RequiresNull=*/false);
    break;
  }
  bool IsBitcode = S.kind() == ModuleSource::Kind::Bitcode ||
                   (S.kind() == ModuleSource::Kind::File &&
                    Buf->getBuffer().starts_with("BC\xC0\xDE"));
  Saved.Bitcode = IsBitcode;
  Saved.Bytes = Buf->getBuffer().str();
  if (IsBitcode) {
    auto M = parseBitcodeFile(Buf->getMemBufferRef(), Ctx);
    if (!M)
      return fail(ErrorKind::Parse, "module '" + Name + "': invalid bitcode: " +
                                        toString(M.takeError()));
    return std::move(*M);
  }
  // The IR parser needs a NUL-terminated buffer.
  auto Copy = MemoryBuffer::getMemBufferCopy(Buf->getBuffer(), Name);
  SMDiagnostic Diag;
  auto M = parseAssembly(Copy->getMemBufferRef(), Diag, Ctx);
  if (!M)
    return fail(ErrorKind::Parse, "module '" + Name + "': malformed IR at line " +
                                      Twine(Diag.getLineNo()) + ":" +
                                      Twine(Diag.getColumnNo() + 1) + ": " +
                                      Diag.getMessage());
  return std::move(M);
}

} // namespace

Expected<CommitReport> Engine::Impl::commit(std::vector<Batch::Op> Ops,
                                           std::optional<unsigned> Level) {
  auto Start = Clock::now();
  CommitReport Report;
  if (Level && *Level > 3)
    return fail(ErrorKind::Unsupported,
                "optimisation level must be 0 to 3, not " + Twine(*Level));
  // Tiered engines publish batches without an explicit level at O0 first.
  const bool Tier0 = !Level && Opts.Tiered && Opts.OptLevel > 0;
  Report.OptLevel = Level ? *Level : Tier0 ? 0 : Opts.OptLevel;
  auto Failed = [&](Error E) -> Expected<CommitReport> {
    ++FailedCommits;
    return std::move(E);
  };

  if (Domain->isPinned())
    return Failed(fail(ErrorKind::Unsupported,
                       "commit called while holding an EpochGuard of this "
                       "engine (it could wait for itself)"));
  std::lock_guard<std::mutex> CL(CommitLock);
  {
    std::lock_guard<std::mutex> L(LinkErrorLock);
    LinkErrors.clear();
  }
  if (Opts.RetiredBytesCap && Domain->pendingBytes() > Opts.RetiredBytesCap) {
    bool Drained = Opts.WaitWhenOverCap &&
                   Domain->waitPendingBytesBelow(Opts.RetiredBytesCap,
                                                 Opts.RetiredWaitTimeout);
    if (!Drained)
      return Failed(fail(
          ErrorKind::Backpressure,
          "retired code awaiting reclamation (" +
              Twine(Domain->pendingBytes()) + " bytes) exceeds the cap of " +
              Twine(Opts.RetiredBytesCap) +
              " bytes; a thread may be holding an EpochGuard for too long"));
  }

  // 1. Resolve operations. Only the commit thread mutates the tables, and it
  // holds CommitLock, so reading them here needs no other lock.
  std::vector<Incoming> In;
  std::map<std::string, RemoveMode> Removing;
  std::set<std::string> Named;
  for (Batch::Op &Op : Ops) {
    if (!Named.insert(Op.Module).second)
      return Failed(fail(ErrorKind::NoSuchModule,
                         "module '" + Op.Module + "' appears twice in the batch"));
    bool Live = Modules.count(Op.Module) != 0;
    if (Op.IfVersion && (!Live || Modules[Op.Module].Version != *Op.IfVersion))
      return Failed(fail(ErrorKind::NoSuchModule,
                         "module '" + Op.Module + "' is no longer version " +
                             Twine(*Op.IfVersion)));
    switch (Op.K) {
    case Batch::Op::Kind::Add:
      if (Live)
        return Failed(fail(ErrorKind::NoSuchModule,
                           "module '" + Op.Module +
                               "' is already live; use replace()"));
      break;
    case Batch::Op::Kind::Replace:
    case Batch::Op::Kind::Remove:
      if (!Live)
        return Failed(fail(ErrorKind::NoSuchModule,
                           "module '" + Op.Module + "' is not live"));
      break;
    case Batch::Op::Kind::Put:
      break;
    }
    if (Op.K == Batch::Op::Kind::Remove) {
      Removing[Op.Module] = Op.Mode;
      continue;
    }
    Incoming &I = In.emplace_back();
    I.Name = Op.Module;
    I.Replaces = Live;
  }

  // 2. Load and check each module.
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
    if (auto Err = checkSize(S, I.Name, Opts.MaxModuleBytes))
      return Failed(std::move(Err));
    auto M = parse(S, I.Name, *I.Ctx, *I.Source);
    if (!M)
      return Failed(M.takeError());
    I.M = std::move(*M);
    std::string VerifyMsg;
    raw_string_ostream VOS(VerifyMsg);
    if (verifyModule(*I.M, &VOS))
      return Failed(fail(ErrorKind::Verify, "module '" + I.Name +
                                                "' failed verification: " +
                                                StringRef(VerifyMsg).trim()));
    if (auto Err = checkSupported(*I.M, I.Name))
      return Failed(fail(ErrorKind::Unsupported, takeError(std::move(Err)).second));
    I.M->setDataLayout(DL);
    I.M->setTargetTriple(TT);
    normalize(*I.M, I.Name);
    I.Facts = collectFacts(*I.M);
    if (Report.OptLevel != Opts.OptLevel)
      Compiler::setOptLevel(*I.M, Report.OptLevel);
  }
  auto Parsed = Clock::now();
  Report.Parse = Parsed - Start;

  // 3. Validate the state the batch would produce.
  std::set<std::string> Touched; // replaced or removed modules
  for (auto &[Name, Mode] : Removing)
    Touched.insert(Name);
  for (Incoming &I : In)
    if (I.Replaces)
      Touched.insert(I.Name);

  // The new state, without copying the live tables: a function is defined
  // by the batch, or by a live module the batch leaves alone. O(batch), not
  // O(live modules).
  struct Definition {
    StringRef Module, Type;
  };
  StringMap<Definition> BatchDefs;
  auto DefinitionOf = [&](StringRef F) -> std::optional<Definition> {
    if (auto It = BatchDefs.find(F); It != BatchDefs.end())
      return It->second;
    auto R = Functions.find(F);
    if (R != Functions.end() && R->second.Live && !Touched.count(R->second.Module))
      return Definition{R->second.Module, R->second.Type};
    return std::nullopt;
  };
  for (Incoming &I : In)
    for (auto &F : I.Facts.Functions) {
      std::optional<Definition> Existing = DefinitionOf(F.getKey());
      if (Existing)
        return Failed(fail(ErrorKind::Duplicate,
                           "duplicate definition of function '" + F.getKey() +
                               "' in module '" + I.Name +
                               "' (already defined by module '" +
                               Existing->Module + "')"));
      BatchDefs[F.getKey()] = {I.Name, F.getValue()};
    }

  // A global being redefined while its old storage awaits reclamation: let
  // the reclaimer free it first (its name is still taken until then).
  for (Incoming &I : In)
    for (auto &G : I.Facts.Globals)
      if (DyingGlobals.contains(G.getKey()) && !Globals.count(G.getKey())) {
        Domain->barrier();
        DyingGlobals.clear();
        break;
      }

  // Globals: bind to existing storage (types must match) or create it.
  StringMap<std::string> NewGlobalType;
  for (Incoming &I : In)
    for (auto &G : I.Facts.Globals) {
      if (DefinitionOf(G.getKey()))
        return Failed(fail(ErrorKind::Duplicate,
                           "module '" + I.Name + "' defines global '" +
                               G.getKey() + "', which is also a function"));
      auto Existing = Globals.find(G.getKey());
      const std::string *Type = Existing != Globals.end()
                                    ? &Existing->second.Type
                                    : nullptr;
      if (auto It = NewGlobalType.find(G.getKey()); !Type && It != NewGlobalType.end())
        Type = &It->second;
      if (Type && *Type != G.getValue())
        return Failed(fail(ErrorKind::GlobalType,
                           "global '" + G.getKey() + "' (module '" + I.Name +
                               "') has type '" + G.getValue() +
                               "', but the live global has type '" + *Type +
                               "'; a swap replaces code, not data"));
      if (!Type) {
        NewGlobalType[G.getKey()] = G.getValue();
        I.CreatesGlobals.insert(G.getKey());
      }
    }
  auto GlobalExists = [&](StringRef Name) {
    return NewGlobalType.count(Name) || Globals.count(Name);
  };

  // All present, with matching types, before anything is linked.
  std::vector<std::string> Missing;
  for (Incoming &I : In) {
    for (auto &Ref : I.Facts.FunctionRefs) {
      StringRef Name = Ref.getKey();
      if (std::optional<Definition> D = DefinitionOf(Name)) {
        if (D->Type != Ref.getValue())
          return Failed(fail(ErrorKind::Signature,
                             "module '" + I.Name + "' calls function '" + Name +
                                 "' as '" + Ref.getValue() + "', but module '" +
                                 D->Module + "' defines it as '" + D->Type + "'"));
        continue;
      }
      if (GlobalExists(Name) || Host.find(Name))
        continue;
      Missing.push_back("function '" + Name.str() + "' (called by module '" +
                        I.Name + "')");
    }
    for (auto &Ref : I.Facts.GlobalRefs) {
      StringRef Name = Ref.getKey();
      if (GlobalExists(Name) || Host.find(Name))
        continue;
      if (DefinitionOf(Name))
        continue; // A function's address taken through a global declaration.
      Missing.push_back("global '" + Name.str() + "' (used by module '" +
                        I.Name + "')");
    }
  }
  if (!Missing.empty())
    return Failed(fail(ErrorKind::Undefined,
                       "undefined " + join(Missing, ", undefined ") +
                           "; define them in this batch, in a live module, or "
                           "register them with addHostSymbol"));

  // Live callers that the batch leaves in place must still agree with every
  // function the batch redefines or drops (found through the callers index).
  StringMap<std::string> Dropped; // function -> module it disappears from
  for (const std::string &Name : Touched)
    for (auto &F : Modules[Name].Facts.Functions)
      if (!DefinitionOf(F.getKey()))
        Dropped[F.getKey()] = Name;
  auto CheckCallers = [&](StringRef F) -> Error {
    auto C = Callers.find(F);
    if (C == Callers.end())
      return Error::success();
    for (const std::string &CallerName : C->second) {
      if (Touched.count(CallerName))
        continue;
      const std::string &CalledAs = Modules[CallerName].Facts.FunctionRefs[F];
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
      std::optional<Definition> Def = DefinitionOf(F);
      if (Def && Def->Type != CalledAs)
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
      return Failed(std::move(Err));
  for (auto &D : BatchDefs) {
    // Live callers agree with the previous type; only a change needs them.
    auto Prev = Functions.find(D.getKey());
    if (Prev != Functions.end() && Prev->second.Type == D.getValue().Type)
      continue;
    if (auto Err = CheckCallers(D.getKey()))
      return Failed(std::move(Err));
  }
  // A batch module's own references to dropped functions were caught above
  // as undefined (unless the host provides them).

  // 4. Rewrite and make sure every defined function has a stub.
  Report.Version = NextVersion++;
  for (Incoming &I : In) {
    tagVersion(*I.M, I.Name, Report.Version);
    I.Data = splitData(*I.M, I.CreatesGlobals);
    I.Impls = renameImplementations(*I.M, Report.Version);
  }
  {
    SymbolMap NewStubs;
    std::unique_lock<std::shared_mutex> L(TableLock);
    for (Incoming &I : In)
      for (auto &F : I.Facts.Functions) {
        if (Functions.count(F.getKey()))
          continue;
        auto E = Stubs.create(F.getKey());
        if (!E)
          return Failed(E.takeError());
        FunctionRecord &R = Functions[F.getKey()];
        R.Stub = *E;
        NewStubs[ES->intern(F.getKey())] = {
            ExecutorAddr::fromPtr(E->Stub),
            JITSymbolFlags::Exported | JITSymbolFlags::Callable};
      }
    if (!NewStubs.empty())
      if (auto Err = StubsJD->define(absoluteSymbols(std::move(NewStubs))))
        return Failed(std::move(Err));
  }
  auto Prepared = Clock::now();
  Report.Prepare = Prepared - Parsed;
  CompileCounters &CC = TheCompiler->counters();
  CC.OptimizeNs = 0;
  CC.CodegenNs = 0;
  const uint64_t CompiledBefore = CC.Compiled.load(), HitsBefore = CC.CacheHits.load();

  // 5. Link every module alone; materialise all of them with one lookup.
  SymbolLookupSet Wanted;
  auto RemoveNew = [&] {
    for (Incoming &I : In)
      for (ResourceTrackerSP *RT : {&I.CodeRT, &I.DataRT})
        if (*RT)
          if (auto Err = (*RT)->remove())
            ES->reportError(std::move(Err));
  };
  for (Incoming &I : In) {
    ThreadSafeContext TSC(std::move(I.Ctx));
    // Code and data share the module's context; ORC serialises their
    // compiles on its lock.
    auto Add = [&](ResourceTrackerSP &RT, std::unique_ptr<Module> M) -> Error {
      RT = CodeJD->createResourceTracker();
      if (auto Err = CompileLayer->add(RT, ThreadSafeModule(std::move(M), TSC)))
        return fail(ErrorKind::Link,
                    "module '" + I.Name + "': " + toString(std::move(Err)));
      return Error::success();
    };
    for (auto &Impl : I.Impls)
      Wanted.add(ES->intern(Impl.getValue()));
    Error Err = Add(I.CodeRT, std::move(I.M));
    if (!Err && I.Data) {
      for (auto &G : I.CreatesGlobals)
        Wanted.add(ES->intern(G.getKey()));
      Err = Add(I.DataRT, std::move(I.Data));
    }
    if (Err) {
      RemoveNew();
      return Failed(std::move(Err));
    }
  }
  SymbolMap Linked;
  if (!Wanted.empty()) {
    std::optional<TbbTaskDispatcher::InlineScope> Inline;
    if (In.size() == 1)
      Inline.emplace();
    auto Result = ES->lookup({{CodeJD, JITDylibLookupFlags::MatchAllSymbols}},
                             std::move(Wanted));
    if (!Result) {
      std::string Detail = toString(Result.takeError());
      {
        std::lock_guard<std::mutex> L(LinkErrorLock);
        if (!LinkErrors.empty())
          Detail = LinkErrors;
      }
      RemoveNew();
      std::vector<std::string> Names;
      for (Incoming &I : In)
        Names.push_back("'" + I.Name + "'");
      return Failed(fail(ErrorKind::Link,
                         (Names.size() == 1 ? "linking module " : "linking modules ") +
                             join(Names, ", ") + " failed: " + Detail));
    }
    Linked = std::move(*Result);
  }
  auto LinkedAt = Clock::now();
  Report.Link = LinkedAt - Prepared;
  Report.Optimize = std::chrono::nanoseconds(CC.OptimizeNs.load());
  Report.Codegen = std::chrono::nanoseconds(CC.CodegenNs.load());
  Report.Compiled = static_cast<unsigned>(CC.Compiled.load() - CompiledBefore);
  Report.CacheHits = static_cast<unsigned>(CC.CacheHits.load() - HitsBefore);

  // 6. Publish.
  std::vector<std::pair<ResourceTrackerSP, std::string>> ToRetire;
  {
    std::unique_lock<std::shared_mutex> L(TableLock);
    auto DropGlobalOwner = [&](StringRef Global, StringRef Module) {
      auto It = Globals.find(Global);
      if (It == Globals.end() || !It->second.Owners.erase(Module) ||
          !It->second.Owners.empty())
        return;
      std::shared_ptr<DataBlock> Storage = It->second.Storage;
      if (--Storage->LiveGlobals != 0)
        return;
      for (const std::string &G : Storage->Names) {
        Globals.erase(G);
        DyingGlobals.insert(G);
      }
      ToRetire.push_back({Storage->RT, "globals of module '" + Module.str() + "'"});
    };
    auto Retract = [&](const std::string &Name) {
      ModuleRecord &Old = Modules[Name];
      for (auto &Ref : Old.Facts.FunctionRefs) {
        auto C = Callers.find(Ref.getKey());
        C->second.erase(Name);
        if (C->second.empty())
          Callers.erase(C);
      }
      for (auto &F : Old.Facts.Functions)
        if (!BatchDefs.count(F.getKey())) {
          FunctionRecord &R = Functions[F.getKey()];
          StubTable::unpublish(R.Stub);
          R.Live = false;
          R.Module.clear();
          R.RemovedFrom = Name;
          Report.Removed.push_back(F.getKey().str());
        }
      ToRetire.push_back({Old.RT, "module '" + Name + "' version " +
                                      std::to_string(Old.Version)});
      return std::move(Old.Facts.Globals);
    };
    for (auto &[Name, Mode] : Removing) {
      auto OldGlobals = Retract(Name);
      Modules.erase(Name);
      for (auto &G : OldGlobals)
        DropGlobalOwner(G.getKey(), Name);
    }
    for (Incoming &I : In) {
      StringMap<std::string> OldGlobals;
      std::shared_ptr<const SavedSource> Previous;
      if (I.Replaces) {
        Previous = Modules[I.Name].Source;
        OldGlobals = Retract(I.Name);
      }
      std::shared_ptr<DataBlock> Storage;
      if (I.DataRT) {
        Storage = std::make_shared<DataBlock>();
        Storage->RT = I.DataRT;
      }
      for (auto &G : I.Facts.Globals) {
        GlobalRecord &R = Globals[G.getKey()];
        if (I.CreatesGlobals.contains(G.getKey())) {
          R.Type = G.getValue();
          R.Storage = Storage;
          R.Address = Linked[ES->intern(G.getKey())].getAddress().toPtr<void *>();
          ++Storage->LiveGlobals;
          Storage->Names.push_back(G.getKey().str());
        }
        R.Owners.insert(I.Name);
      }
      for (auto &F : I.Facts.Functions) {
        FunctionRecord &R = Functions[F.getKey()];
        ExecutorAddr Impl =
            Linked[ES->intern(I.Impls[F.getKey()])].getAddress();
        StubTable::publish(R.Stub, Impl.toPtr<void *>());
        R.Type = F.getValue();
        R.Module = I.Name;
        R.RemovedFrom.clear();
        R.Version = Report.Version;
        R.Live = true;
        Report.Published.push_back(F.getKey().str());
      }
      for (auto &Ref : I.Facts.FunctionRefs)
        Callers[Ref.getKey()].insert(I.Name);
      ModuleRecord &MR = Modules[I.Name];
      MR.Version = Report.Version;
      MR.RT = I.CodeRT;
      MR.Source = std::move(I.Source);
      MR.Previous = std::move(Previous);
      MR.Facts = std::move(I.Facts);
      for (auto &G : OldGlobals)
        if (!MR.Facts.Globals.count(G.getKey()))
          DropGlobalOwner(G.getKey(), I.Name);
    }
  }
  for (auto &[RT, What] : ToRetire)
    retire(std::move(RT), std::move(What));
  // Every version interns new implementation names; ORC's pool keeps dead
  // entries until asked, so sweep it now and then to keep memory flat.
  if (++Commits % 1024 == 0)
    ES->getSymbolStringPool()->clearDeadEntries();
  auto End = Clock::now();
  Report.Publish = End - LinkedAt;
  Report.Total = End - Start;
  if (Tier0) {
    LastTier0Ns = Report.Total.count();
    for (Incoming &I : In)
      queueTierUp(I.Name, Report.Version);
  }
  return Report;
}

} // namespace hotjit
