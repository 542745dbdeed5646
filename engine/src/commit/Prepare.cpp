// Stage prepare: each module rewritten for this engine and this version, and every function the
// batch defines given a stub. The rewrite, in order (rewrite/ModuleRewriter.h): tag the version,
// bind extern_weak references, bridge thread-locals to their definer, gather the initialisers,
// image the C++ ABI tables that live storage holds (rewrite/OldState.h), split the storage of new
// globals into a data module, rename implementations per version. Every
// question it asks of the engine's state goes through the module's RewriteRecorder, whose record
// is the object cache's key.
#include "commit/Transaction.h"

#include "compile/Compiler.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"

using namespace llvm;
using namespace llvm::orc;

namespace hotjit::commit {
namespace {

void rewrite(Incoming &I, uint64_t Version) {
  tagVersion(*I.M, I.Name, Version);
  bindExternWeak(*I.M, I.Ask.nullWeakRefs());
  bridgeHostThreadLocals(*I.M, [&](StringRef N) { return I.Ask.jitDefinesThreadLocal(N); });
  I.Inits = gatherInitialisers(*I.M, I.Name, Version);
  I.Tables = addTableImages(*I.M, I.Name, Version, [&](StringRef Table) {
    return I.Facts.Globals.count(Table) && !I.Ask.creates(Table);
  });
  I.Data = splitData(*I.M, I.Ask.createdGlobals());
  I.Impls = renameImplementations(*I.M, Version, I.Name);
}

/// A stub for every function the batch defines that has none: it traps until
/// publish() (or construct()) points it at code, and lookups do not see it.
/// Called with the table lock: the stub joins the live tables. If a stub
/// cannot be made or bound, the records made here go again (their stub-table
/// entries stay allocated, unpublished and unreachable).
Error createStubs(Transaction &T) {
  Engine::Impl &E = T.E;
  SymbolMap NewStubs;
  std::vector<std::string> Created;
  auto Forget = [&](Error Err) {
    for (const std::string &Name : Created)
      E.State.Functions.erase(Name);
    return Err;
  };
  for (Incoming &I : T.In)
    for (auto &F : I.Facts.Functions) {
      if (E.State.Functions.count(F.getKey()))
        continue;
      auto Entry = E.Stubs.create(F.getKey());
      if (!Entry)
        return Forget(Entry.takeError());
      E.State.Functions[F.getKey()].Stub = *Entry;
      Created.push_back(F.getKey().str());
      NewStubs[E.Orc.ES->intern(F.getKey())] = {
          ExecutorAddr::fromPtr(Entry->Stub), JITSymbolFlags::Exported | JITSymbolFlags::Callable};
    }
  if (NewStubs.empty())
    return Error::success();
  if (auto Err = E.Orc.StubsJD->define(absoluteSymbols(std::move(NewStubs))))
    return Forget(std::move(Err));
  return Error::success();
}

} // namespace

Error prepare(Transaction &T) {
  T.Report.Version = T.E.State.NextVersion++;
  for (Incoming &I : T.In) {
    I.Ask.answerFrom([&T](StringRef Name) { return T.globalExists(Name); });
    rewrite(I, T.Report.Version);
    if (!T.E.Orc.Cache)
      continue;
    std::string Key = I.Ask.cacheKey(I.Name, *I.Source);
    Compiler::setCacheKey(*I.M, Key + "code\n");
    if (I.Data)
      Compiler::setCacheKey(*I.Data, Key + "data\n");
  }
  std::unique_lock<std::shared_mutex> L(T.E.State.Lock);
  if (auto Err = createStubs(T))
    return Err;
  return retypeStubs(T);
}

} // namespace hotjit::commit
