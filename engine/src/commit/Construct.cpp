// Stage construct: the static constructors of the modules the batch adds (runtime/CxxRuntime.h),
// in priority order across those modules (batch order within one priority, as a native link
// orders .init_array.N by priority and its input files), after every module has linked, with the
// batch's new functions callable. One that throws fails the commit: the exit handlers the batch
// registered run, the early-published stubs trap again (undo), the new code goes (undo of link).
#include "commit/Transaction.h"

#include "Mutations.h"

#include <algorithm>
#include <tuple>

using namespace llvm;

namespace hotjit::commit {
namespace {

/// Points the stubs of the batch's new functions at their code, so that
/// constructors can call them; undone if a constructor throws or a prepared
/// batch is discarded. A stub that a commit published since (the function
/// became live elsewhere while the batch waited) is left alone.
void publishEarly(Transaction &T) {
  std::vector<std::pair<StubTable::Entry, const void *>> Early; // By value: a record's stub moves.
  for (Incoming &I : T.In)
    for (auto &F : I.Facts.Functions) {
      FunctionRecord &R = T.E.State.Functions.find(F.getKey())->second; // prepare() made it.
      if (R.Live || !R.Providers.empty() || StubTable::target(R.Stub) != R.Stub.Trap)
        continue;
      const void *Code = I.ImplAddress[F.getKey()];
      StubTable::publish(R.Stub, Code);
      Early.emplace_back(R.Stub, Code);
    }
  T.Undo.add([Early = std::move(Early)] {
    for (const auto &[Stub, Code] : Early)
      if (StubTable::target(Stub) == Code)
        StubTable::unpublish(Stub);
  });
}

/// The exit handlers registered with the batch's modules, newest first.
void runBatchExitHandlers(Transaction &T) {
  std::vector<const void *> Dsos;
  for (Incoming &J : T.In)
    if (auto It = T.Linked.find(T.E.Orc.ES->intern(dsoHandleName(J.Name))); It != T.Linked.end())
      Dsos.push_back(It->second.getAddress().toPtr<const void *>());
  runtime::runExitHandlers(Dsos);
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
  // Priorities are program-wide: every runner of the modules the batch adds,
  // lowest priority first, batch order within one (each module has one
  // runner per priority).
  struct Run {
    uint64_t Priority;
    size_t Position;
    const void *Address;
  };
  std::vector<Run> Runs;
  for (size_t N = 0; N < T.In.size(); ++N)
    if (!T.In[N].Replaces)
      for (const RunnerAddress &R : T.In[N].Init)
        Runs.push_back({R.Priority, N, R.Address});
  std::sort(Runs.begin(), Runs.end(), [](const Run &A, const Run &B) {
    if constexpr (mutation::PrioritiesPerModule)
      return std::tie(A.Position, A.Priority) < std::tie(B.Position, B.Priority);
    return std::tie(A.Priority, A.Position) < std::tie(B.Priority, B.Position);
  });
  if (!Runs.empty())
    publishEarly(T);
  for (const Run &R : Runs) {
    std::string Failure = runInitialiser(R.Address);
    if (Failure.empty())
      continue;
    runBatchExitHandlers(T);
    return fail(ErrorKind::Initializer, "a static constructor of module '" + T.In[R.Position].Name +
                                            "' threw: " + Failure +
                                            "; nothing of the batch was published");
  }
  // Only a discarded prepared batch undoes constructors that all ran (a commit publishes
  // right after): its exit handlers, then its finalisers, as if the modules were removed.
  T.Undo.add([&T] {
    runBatchExitHandlers(T);
    std::vector<RunnerAddress> Finis;
    for (Incoming &I : T.In)
      if (!I.Replaces)
        Finis.insert(Finis.end(), I.Fini.begin(), I.Fini.end());
    std::stable_sort(
        Finis.begin(), Finis.end(),
        [](const RunnerAddress &A, const RunnerAddress &B) { return A.Priority > B.Priority; });
    for (const RunnerAddress &F : Finis)
      reinterpret_cast<void (*)()>(const_cast<void *>(F.Address))();
  });
  return Error::success();
}

} // namespace hotjit::commit
