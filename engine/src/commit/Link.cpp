// Stage link: every module of the batch is added to the compile layer under its own
// ResourceTracker (code and data apart), and one lookup of all their implementations, initialisers
// and new globals materialises them: ORC compiles the modules in parallel on the dispatcher and
// links each alone. Nothing is published yet; a failure removes the new trackers (undo).
#include "commit/Transaction.h"

#include "Mutations.h"
#include "compile/Compiler.h"
#include "compile/TbbTaskDispatcher.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace llvm::orc;

namespace hotjit::commit {
namespace {

/// Removes the batch's code and storage; a discarded prepared batch's go
/// through the epoch domain, as pointers its constructors handed out may run.
void removeNewTrackers(Transaction &T) {
  for (Incoming &I : T.In)
    for (ResourceTrackerSP *RT : {&I.CodeRT, &I.DataRT}) {
      if (!*RT)
        continue;
      if (T.Detached)
        T.E.Retired->retire(std::move(*RT),
                            "discarded prepared version " + std::to_string(T.Report.Version) +
                                " of module '" + I.Name + "'",
                            RT == &I.CodeRT);
      else if (auto Err = (*RT)->remove())
        T.E.Orc.ES->reportError(std::move(Err));
    }
}

/// Adds the code and data modules of \p I, each under a tracker of its own,
/// and the symbols that materialise them to \p Wanted.
Error addModule(Transaction &T, Incoming &I, SymbolLookupSet &Wanted) {
  OrcStack &Orc = T.E.Orc;
  // Code and data share the module's context; ORC serialises their compiles on its lock.
  ThreadSafeContext TSC(std::move(I.Ctx));
  auto Add = [&](ResourceTrackerSP &RT, std::unique_ptr<Module> M) -> Error {
    RT = Orc.CodeJD->createResourceTracker();
    if (auto Err = Orc.CompileLayer->add(RT, ThreadSafeModule(std::move(M), TSC)))
      return fail(ErrorKind::Link, "module '" + I.Name + "': " + toString(std::move(Err)));
    return Error::success();
  };
  for (auto &Impl : I.Impls)
    Wanted.add(Orc.ES->intern(Impl.getValue().Symbol));
  for (const std::vector<Runner> *Runners : {&I.Inits.Init, &I.Inits.Fini})
    for (const Runner &R : *Runners)
      Wanted.add(Orc.ES->intern(R.Symbol));
  for (const TableImage &Table : I.Tables)
    Wanted.add(Orc.ES->intern(Table.Symbol));
  if (auto Err = Add(I.CodeRT, std::move(I.M)))
    return Err;
  if (!I.Data)
    return Error::success();
  for (auto &G : I.Ask.createdGlobals())
    Wanted.add(Orc.ES->intern(linkName(I.Facts, G.getKey())));
  return Add(I.DataRT, std::move(I.Data));
}

/// The error of a lookup that failed: what the compiles reported, once every
/// one still running has finished (the query fails as soon as one does).
Error linkFailure(Transaction &T, Error LookupError) {
  // First the wait: the lookup's error was made on a compile thread, and ThreadSanitizer sees
  // that its making precedes its destruction here only through the dispatcher's lock.
  if (T.E.Orc.Dispatcher && !mutation::LinkErrorWithoutWait)
    T.E.Orc.Dispatcher->waitUntilIdle();
  std::string Detail = toString(std::move(LookupError));
  if (std::string Reported = T.E.Orc.takeLinkErrors(); !Reported.empty())
    Detail = std::move(Reported);
  std::vector<std::string> Names;
  for (Incoming &I : T.In)
    Names.push_back("'" + I.Name + "'");
  return fail(ErrorKind::Link, (Names.size() == 1 ? "linking module " : "linking modules ") +
                                   join(Names, ", ") + " failed: " + Detail);
}

/// Where each module's implementations and initialisers were linked.
void recordAddresses(Transaction &T) {
  auto At = [&](StringRef Symbol) {
    return T.Linked[T.E.Orc.ES->intern(Symbol)].getAddress().toPtr<const void *>();
  };
  for (Incoming &I : T.In) {
    for (auto &Impl : I.Impls) {
      const void *Addr = At(Impl.getValue().Symbol);
      if (Impl.getValue().Indirect)
        Addr = *static_cast<const void *const *>(Addr);
      I.ImplAddress[Impl.getKey()] = Addr;
    }
    for (const Runner &R : I.Inits.Init)
      I.Init.push_back({R.Priority, At(R.Symbol)});
    for (const Runner &R : I.Inits.Fini)
      I.Fini.push_back({R.Priority, At(R.Symbol)});
    for (TableImage &Table : I.Tables)
      Table.Image = At(Table.Symbol);
  }
}

} // namespace

Error link(Transaction &T) {
  CompileCounters &CC = T.E.Orc.TheCompiler->counters();
  CC.OptimizeNs = 0;
  CC.CodegenNs = 0;
  const uint64_t CompiledBefore = CC.Compiled.load(), HitsBefore = CC.CacheHits.load();
  if constexpr (!mutation::LinkFailureKeepsCode)
    T.Undo.add([&T] { removeNewTrackers(T); });
  SymbolLookupSet Wanted;
  for (Incoming &I : T.In)
    if (auto Err = addModule(T, I, Wanted))
      return Err;
  if (!Wanted.empty()) {
    std::optional<TbbTaskDispatcher::InlineScope> Inline;
    if (T.In.size() == 1)
      Inline.emplace();
    auto Result = T.E.Orc.ES->lookup({{T.E.Orc.CodeJD, JITDylibLookupFlags::MatchAllSymbols}},
                                     std::move(Wanted));
    if (!Result)
      return linkFailure(T, Result.takeError());
#if defined(HOTJIT_TSAN)
    // ORC tells the lookup's end through uninstrumented libLLVM, so ThreadSanitizer cannot see
    // that what the compile threads wrote (code, data, relocations) precedes it: join them
    // through the dispatcher's own lock, which each task's end takes.
    if (T.E.Orc.Dispatcher)
      T.E.Orc.Dispatcher->waitUntilIdle();
#endif
    T.Linked = std::move(*Result);
  }
  recordAddresses(T);
  T.Report.Optimize = std::chrono::nanoseconds(CC.OptimizeNs.load());
  T.Report.Codegen = std::chrono::nanoseconds(CC.CodegenNs.load());
  T.Report.Compiled = static_cast<unsigned>(CC.Compiled.load() - CompiledBefore);
  T.Report.CacheHits = static_cast<unsigned>(CC.CacheHits.load() - HitsBefore);
  return Error::success();
}

} // namespace hotjit::commit
