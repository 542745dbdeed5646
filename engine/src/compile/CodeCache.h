// Content-addressed cache of compiled objects: in memory, plus an optional directory on disk.
//
// A module's object is stored under a 128-bit key (xxh3) over everything code generation depends
// on: the source bytes the module was committed from, its name, the answers the engine's state gave
// its rewrite (commit/RewriteRecorder.h, the only way the rewrite reaches that state), the target
// triple, CPU, features, optimisation level and the hotjit version (Compiler::cacheKey). Objects
// are stored with their version token neutralised (ModuleRewriter.h), so one serves every version.
// A hit is linked without code generation. Disk entries carry a header with the payload's length
// and hash; an entry that does not verify (truncated, corrupted, from another format) is ignored,
// deleted and rebuilt.
//
// Trust. A disk hit is linked and run as it is, and the header check has no secret, so the
// directory is trusted exactly as far as the users who can write to it. create() therefore makes
// the directory 0700 and refuses one that is not owned by the effective uid or is writable by
// group or others (as OpenSSH treats ~/.ssh). The directory is opened once and every entry is
// reached through that descriptor, so renaming or replacing the path later changes nothing.
// Entries are opened without following symlinks; a symlink, a non-regular file or a file owned
// by another uid is counted (untrustedEntries()), deleted and rebuilt. A cache shared between
// users would need signed entries (a per-host key); this one is private to one uid.
//
// Thread-safe: compile threads call find() and store() concurrently.
#ifndef HOTJIT_ENGINE_SRC_CODECACHE_H
#define HOTJIT_ENGINE_SRC_CODECACHE_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>

namespace hotjit {

class CodeCache {
public:
  /// A cache keeping at most \p MemoryBytes in memory (least recently used
  /// entries are dropped first), plus \p Directory on disk unless it is empty.
  /// The directory is created 0700 if missing; one that is not a directory,
  /// is owned by another uid or is writable by group or others fails with
  /// ErrorKind::Untrusted.
  static llvm::Expected<std::unique_ptr<CodeCache>> create(const std::string &Directory,
                                                           size_t MemoryBytes);
  ~CodeCache();
  CodeCache(const CodeCache &) = delete;
  CodeCache &operator=(const CodeCache &) = delete;

  /// The object stored under \p Key, or null.
  std::unique_ptr<llvm::MemoryBuffer> find(llvm::StringRef Key);
  /// Stores \p Object under \p Key (memory, and disk when configured).
  void store(llvm::StringRef Key, llvm::StringRef Object);

  uint64_t corruptEntries() const { return Corrupt.load(std::memory_order_relaxed); }
  uint64_t untrustedEntries() const { return Untrusted.load(std::memory_order_relaxed); }

private:
  CodeCache(int DirFd, size_t MemoryBytes) : DirFd(DirFd), MemoryBytes(MemoryBytes) {}
  std::unique_ptr<llvm::MemoryBuffer> load(llvm::StringRef Key);
  void remember(llvm::StringRef Key, std::string Object);

  int DirFd = -1; ///< The checked directory; -1 for memory only.
  size_t MemoryBytes;
  std::mutex Lock;
  std::list<std::pair<std::string, std::string>> Lru; // key, object; front = newest
  llvm::StringMap<std::list<std::pair<std::string, std::string>>::iterator> Index;
  size_t HeldBytes = 0;
  std::atomic<uint64_t> Corrupt{0}, Untrusted{0};
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_CODECACHE_H
