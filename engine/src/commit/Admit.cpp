// Stage admit: back-pressure. While retired code awaiting reclamation exceeds
// EngineOptions::RetiredBytesCap, a commit waits for it to drain (WaitWhenOverCap) or is refused.
#include "commit/Transaction.h"

using namespace llvm;

namespace hotjit::commit {

Error admit(Transaction &T) {
  Engine::Impl &E = T.E;
  E.Orc.takeLinkErrors(); // What ORC reports from here on belongs to this commit.
  const EngineOptions &Opts = E.Opts;
  if (!Opts.RetiredBytesCap || E.Domain->pendingBytes() <= Opts.RetiredBytesCap)
    return Error::success();
  if (Opts.WaitWhenOverCap) {
    ++E.Counters.CommitsWaiting;
    bool Drained = E.Domain->waitPendingBytesBelow(Opts.RetiredBytesCap, Opts.RetiredWaitTimeout);
    --E.Counters.CommitsWaiting;
    if (Drained)
      return Error::success();
  }
  return fail(ErrorKind::Backpressure,
              "retired code awaiting reclamation (" + Twine(E.Domain->pendingBytes()) +
                  " bytes) exceeds the cap of " + Twine(Opts.RetiredBytesCap) +
                  " bytes; a thread may be holding an EpochGuard for too long");
}

} // namespace hotjit::commit
