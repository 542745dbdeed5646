// Content-addressed cache of compiled objects: in memory, plus an optional directory on disk.
//
// A module's object is stored under a 128-bit key (xxh3) over everything code generation depends
// on: the module's bitcode (with its version token neutralised, see VersionToken.h), the target
// triple, CPU, features, optimisation level and the hotjit version. A hit is linked without code
// generation. Disk entries carry a header with the payload's length and hash; an entry that does
// not verify (truncated, corrupted, from another format) is ignored, deleted and rebuilt.
// Thread-safe: compile threads call find() and store() concurrently.
#ifndef HOTJIT_ENGINE_SRC_CODECACHE_H
#define HOTJIT_ENGINE_SRC_CODECACHE_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>

namespace hotjit {

class CodeCache {
public:
  /// \p Directory may be empty (memory only); it is created if missing.
  /// The in-memory part keeps at most \p MemoryBytes (least recently used
  /// entries are dropped first).
  CodeCache(std::string Directory, size_t MemoryBytes);

  /// The object stored under \p Key, or null.
  std::unique_ptr<llvm::MemoryBuffer> find(llvm::StringRef Key);
  /// Stores \p Object under \p Key (memory, and disk when configured).
  void store(llvm::StringRef Key, llvm::StringRef Object);

  uint64_t hits() const { return Hits.load(std::memory_order_relaxed); }
  uint64_t misses() const { return Misses.load(std::memory_order_relaxed); }
  uint64_t corruptEntries() const { return Corrupt.load(std::memory_order_relaxed); }

private:
  std::string pathOf(llvm::StringRef Key) const;
  void remember(llvm::StringRef Key, std::string Object);

  std::string Directory;
  size_t MemoryBytes;
  std::mutex Lock;
  std::list<std::pair<std::string, std::string>> Lru; // key, object; front = newest
  llvm::StringMap<std::list<std::pair<std::string, std::string>>::iterator> Index;
  size_t HeldBytes = 0;
  std::atomic<uint64_t> Hits{0}, Misses{0}, Corrupt{0};
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_CODECACHE_H
