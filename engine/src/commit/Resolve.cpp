// Stage resolve: the batch's operations against the live module table. Add needs a name that is
// not live, replace and remove one that is, put either; a guarded operation (IfVersion) needs that
// version to be live. Touches no state: the committing thread is the only writer of the tables
// (LiveState.h), so it reads them without a lock.
#include "commit/Transaction.h"

using namespace llvm;

namespace hotjit::commit {
namespace {

Error checkOperation(const Batch::Op &Op, const ModuleRecord *Live) {
  bool IsLive = Live != nullptr;
  if (Op.IfVersion && (!IsLive || Live->Version != *Op.IfVersion))
    return fail(ErrorKind::NoSuchModule,
                "module '" + Op.Module + "' is no longer version " + Twine(*Op.IfVersion));
  if (Op.K == Batch::Op::Kind::Add && IsLive)
    return fail(ErrorKind::NoSuchModule,
                "module '" + Op.Module + "' is already live; use replace()");
  if ((Op.K == Batch::Op::Kind::Replace || Op.K == Batch::Op::Kind::Remove) && !IsLive)
    return fail(ErrorKind::NoSuchModule, "module '" + Op.Module + "' is not live");
  if (Op.K != Batch::Op::Kind::Remove && Op.Module.find("__hjv") != std::string::npos)
    return fail(ErrorKind::Unsupported,
                "module '" + Op.Module +
                    "': a module name may not hold '__hjv' (hotjit's version tokens)");
  return Error::success();
}

} // namespace

Error resolve(Transaction &T, std::vector<Batch::Op> &Ops) {
  std::set<std::string> Named;
  for (Batch::Op &Op : Ops) {
    if (!Named.insert(Op.Module).second)
      return fail(ErrorKind::NoSuchModule, "module '" + Op.Module + "' appears twice in the batch");
    auto It = T.E.State.Modules.find(Op.Module);
    ModuleRecord *Live = It == T.E.State.Modules.end() ? nullptr : &It->second;
    if (auto Err = checkOperation(Op, Live))
      return Err;
    if (Live)
      T.Touched.insert(Op.Module);
    if (Op.K == Batch::Op::Kind::Remove) {
      T.Removing[Op.Module] = Op.Mode;
      continue;
    }
    Incoming &I = T.In.emplace_back();
    I.Name = Op.Module;
    I.Replaces = Live != nullptr;
    I.Live = Live;
  }
  return Error::success();
}

} // namespace hotjit::commit
