// Stage construct: the static constructors of the modules the batch adds (runtime/CxxRuntime.h),
// in batch order, after every module has linked, with the batch's new functions callable. One
// that throws fails the commit: the exit handlers the batch registered run, the early-published
// stubs trap again (undo), the new code goes (undo of link).
#include "commit/Transaction.h"

#include "Mutations.h"

using namespace llvm;

namespace hotjit::commit {
namespace {

/// Points the stubs of the batch's new functions at their code, so that
/// constructors can call them; undone if a constructor throws.
void publishEarly(Transaction &T) {
  std::vector<const StubTable::Entry *> Early;
  for (Incoming &I : T.In)
    for (auto &F : I.Facts.Functions) {
      FunctionRecord &R = T.E.State.Functions.find(F.getKey())->second; // prepare() made it.
      if (R.Live || !R.Providers.empty() || StubTable::target(R.Stub) != R.Stub.Trap)
        continue;
      StubTable::publish(R.Stub, I.ImplAddress[F.getKey()]);
      Early.push_back(&R.Stub);
    }
  T.Undo.add([Early = std::move(Early)] {
    for (const StubTable::Entry *Stub : Early)
      StubTable::unpublish(*Stub);
  });
}

/// Runs \p Init; what it threw, or empty.
std::string runInitialiser(const void *Init) {
  try {
    reinterpret_cast<void (*)()>(const_cast<void *>(Init))();
    return {};
  } catch (const std::exception &Ex) {
    std::string What = Ex.what();
    return What.empty() ? "an exception with an empty what()" : What;
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

} // namespace

Error construct(Transaction &T) {
  if constexpr (mutation::ConstructorsNotRun)
    return Error::success();
  bool Any = false;
  for (Incoming &I : T.In)
    Any |= !I.Replaces && I.Init;
  if (!Any)
    return Error::success();
  publishEarly(T);
  for (Incoming &I : T.In) {
    if (I.Replaces || !I.Init)
      continue;
    std::string Failure = runInitialiser(I.Init);
    if (Failure.empty())
      continue;
    std::vector<const void *> Dsos;
    for (Incoming &J : T.In)
      if (auto It = T.Linked.find(T.E.Orc.ES->intern(dsoHandleName(J.Name))); It != T.Linked.end())
        Dsos.push_back(It->second.getAddress().toPtr<const void *>());
    runtime::runExitHandlers(Dsos);
    return fail(ErrorKind::Initializer, "a static constructor of module '" + I.Name + "' threw: " +
                                            Failure + "; nothing of the batch was published");
  }
  return Error::success();
}

} // namespace hotjit::commit
