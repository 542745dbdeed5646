// Error kinds returned by the engine: every error names the function (or symbol) and module.
#ifndef HOTJIT_ENGINE_ERRORS_H
#define HOTJIT_ENGINE_ERRORS_H

#include "llvm/Support/Error.h"

#include <string>

namespace hotjit {

/// What went wrong, for callers that branch on the kind of failure.
enum class ErrorKind {
  Parse,           ///< IR text or bitcode could not be read.
  Verify,          ///< The IR verifier rejected a module.
  Undefined,       ///< A referenced function or global is defined nowhere.
  Duplicate,       ///< Two modules define the same function or global.
  Signature,       ///< A function's type disagrees with a caller or a typed lookup.
  GlobalType,      ///< A global variable was redefined with another type.
  InUse,           ///< Removing a function that live code still calls.
  Unsupported,     ///< A construct hotjit refuses (ifuncs, ...).
  Link,            ///< JITLink failed to link a module.
  NoSuchModule,    ///< A batch names a module that is not live (or is live already).
  NoSuchFunction,  ///< A lookup names no live function.
  RemovedFunction, ///< A call targets a function removed by a forced removal.
  Backpressure,    ///< Retired code exceeded its cap and the commit refused to wait.
  TooLarge,        ///< A source over EngineOptions::MaxModuleBytes, or nested too deep.
  Initializer,     ///< A static constructor of an added module threw.
  /// EngineOptions::CacheDirectory cannot be made a directory that only this
  /// process's effective uid can write (see EngineOptions::CacheDirectory).
  Untrusted,
  /// PreparedBatch::publish(): a commit published since the batch was
  /// prepared changed what it was prepared against; nothing was published.
  /// Also a commit that would create the storage of a global that a prepared
  /// batch (not yet published or discarded) creates.
  Conflict,
  /// PreparedBatch::publish() or discard() after its engine was destroyed,
  /// or after it was published or discarded.
  Stale,
};

/// The engine's error: a kind plus a message naming the function and module.
class EngineError : public llvm::ErrorInfo<EngineError> {
public:
  static char ID;

  EngineError(ErrorKind Kind, std::string Message) : Kind(Kind), Message(std::move(Message)) {}

  ErrorKind kind() const { return Kind; }
  std::string message() const override { return Message; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  ErrorKind Kind;
  std::string Message;
};

/// Builds an EngineError as an llvm::Error.
inline llvm::Error makeError(ErrorKind Kind, std::string Message) {
  return llvm::make_error<EngineError>(Kind, std::move(Message));
}

/// Consumes \p E and returns its kind and text (ErrorKind::Link for errors
/// that did not come from hotjit itself).
std::pair<ErrorKind, std::string> takeError(llvm::Error E);

} // namespace hotjit

#endif // HOTJIT_ENGINE_ERRORS_H
