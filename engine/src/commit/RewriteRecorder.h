// The one door between a module's rewrite and the engine's state.
//
// A module's object depends on its source bytes and on what the engine's state told its rewrite:
// which extern_weak references bind to null, which globals' storage the module creates, which
// thread-locals the engine (not the host) defines. The object cache keys an object by its source
// digest and by this record (cacheKey()), so the rewrite asks every such question here and only
// here: an answer that is not recorded cannot reach the rewrite, and the key is complete by
// construction. Used by the committing thread only.
#ifndef HOTJIT_ENGINE_SRC_COMMIT_REWRITERECORDER_H
#define HOTJIT_ENGINE_SRC_COMMIT_REWRITERECORDER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <functional>
#include <string>

namespace hotjit {

struct SavedSource;

namespace commit {

class RewriteRecorder {
public:
  /// validate() decides, from the state the batch would produce: reference
  /// \p Name binds to null / the module creates the storage of global \p Name.
  void bindToNull(llvm::StringRef Name) { NullWeak.insert(Name); }
  void createStorage(llvm::StringRef Name) { Creates.insert(Name); }

  /// The decisions above, as the rewrite and the later stages read them.
  const llvm::StringSet<> &nullWeakRefs() const { return NullWeak; }
  const llvm::StringSet<> &createdGlobals() const { return Creates; }
  bool creates(llvm::StringRef Name) const { return Creates.contains(Name); }

  /// Where the engine's state is asked (prepare() sets it before the rewrite).
  void answerFrom(std::function<bool(llvm::StringRef)> GlobalExists) {
    this->GlobalExists = std::move(GlobalExists);
  }
  /// Is thread-local \p Name defined by JIT code (else by the host)? Recorded.
  bool jitDefinesThreadLocal(llvm::StringRef Name);

  /// The object cache's key for module \p Module compiled from \p Source:
  /// the source digest, the module name and every answer above. Version
  /// numbers are left out: the cache retags them.
  std::string cacheKey(llvm::StringRef Module, const SavedSource &Source) const;

private:
  llvm::StringSet<> NullWeak, Creates;
  std::function<bool(llvm::StringRef)> GlobalExists;
  std::string Asked; ///< The questions asked, with their answers, in order.
};

} // namespace commit
} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_COMMIT_REWRITERECORDER_H
