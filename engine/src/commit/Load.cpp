// Stage load: each module of the batch is analysed, asking nothing of the engine's state. The
// analysis, in order: parse and verify (rewrite/ModuleParser.h), set the engine's target, refuse
// what cannot be swapped, normalise linkage (rewrite/ModuleRewriter.h), prepare the C/C++
// runtime's constructs (runtime/CxxRuntime.h), note what static constructors initialise, collect
// the module's facts (what it defines and references).
#include "commit/Transaction.h"

#include "compile/Compiler.h"
#include "compile/ErrorCollector.h"
#include "rewrite/ModuleParser.h"

#include "llvm/ADT/StableHashing.h"
#include "llvm/Support/xxhash.h"

using namespace llvm;

namespace hotjit::commit {
namespace {

Error analyse(Incoming &I, ModuleSource &S, const Engine::Impl &E, unsigned OptLevel) {
  I.Ctx = S.kind() == ModuleSource::Kind::Module ? S.takeContext() : nullptr;
  if (!I.Ctx)
    I.Ctx = std::make_unique<LLVMContext>();
  // Errors LLVM reports while the module is read and analysed (module asm that does not
  // assemble): an error of this commit, never the end of the process. Warnings are printed.
  auto Owned = std::make_unique<ErrorCollector>(/*PrintOthers=*/true);
  ErrorCollector &Diagnostics = *Owned;
  I.Ctx->setDiagnosticHandler(std::move(Owned));
  auto Reported = [&]() -> Error {
    if (Diagnostics.Errors.empty())
      return Error::success();
    return fail(ErrorKind::Parse, "module '" + I.Name + "': " + Diagnostics.Errors);
  };
  I.Source = std::make_shared<SavedSource>();
  auto M = parseModule(S, I.Name, *I.Ctx, *I.Source, E.Opts.MaxModuleBytes);
  if (!M)
    return M.takeError();
  I.M = std::move(*M);
  I.M->setDataLayout(E.Orc.DL);
  I.M->setTargetTriple(E.Orc.TT);
  if (auto Err = checkSupported(*I.M, I.Name)) {
    consumeError(Reported());
    return fail(ErrorKind::Unsupported, takeError(std::move(Err)).second);
  }
  if (auto Err = Reported())
    return Err;
  normalize(*I.M, I.Name);
  prepareRuntime(*I.M, I.Name);
  I.InitGlobals = globalsInitialisedByConstructors(*I.M);
  I.Facts = collectFacts(*I.M);
  if (auto Err = Reported())
    return Err;
  if (E.Opts.PartialReplacement) {
    // What every function's code depends on beyond its own: the level, the module asm.
    uint64_t Salt = stable_hash_combine(
        OptLevel, xxh3_64bits(I.M->getModuleInlineAsm()),
        xxh3_64bits(I.M->getDataLayoutStr() + "/" + I.M->getTargetTriple().str()));
    I.Digests = codeDigests(*I.M, Salt);
  }
  if (OptLevel != E.Opts.OptLevel)
    Compiler::setOptLevel(*I.M, OptLevel);
  return Error::success();
}

} // namespace

Error load(Transaction &T, std::vector<Batch::Op> &Ops) {
  size_t Next = 0;
  for (Batch::Op &Op : Ops)
    if (Op.K != Batch::Op::Kind::Remove)
      if (auto Err = analyse(T.In[Next++], *Op.Source, T.E, T.Report.OptLevel))
        return Err;
  return Error::success();
}

} // namespace hotjit::commit
