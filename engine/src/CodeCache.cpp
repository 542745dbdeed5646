// Content-addressed object cache (see CodeCache.h).
#include "CodeCache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cstring>

using namespace llvm;

namespace hotjit {

namespace {
constexpr char Magic[8] = {'H', 'J', 'O', 'B', 'J', '0', '0', '1'};
struct Header {
  char Magic[8];
  uint64_t Size;
  uint64_t Hash;
};
uint64_t payloadHash(StringRef Data) {
  return xxh3_64bits(ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(Data.data()), Data.size()));
}
} // namespace

CodeCache::CodeCache(std::string Dir, size_t MemoryBytes)
    : Directory(std::move(Dir)), MemoryBytes(MemoryBytes) {
  if (!Directory.empty())
    sys::fs::create_directories(Directory);
}

std::string CodeCache::pathOf(StringRef Key) const {
  SmallString<256> P(Directory);
  sys::path::append(P, Key + ".o");
  return std::string(P);
}

void CodeCache::remember(StringRef Key, std::string Object) {
  // Caller holds Lock.
  if (Object.size() > MemoryBytes)
    return;
  if (auto It = Index.find(Key); It != Index.end()) {
    HeldBytes -= It->second->second.size();
    Lru.erase(It->second);
    Index.erase(It);
  }
  HeldBytes += Object.size();
  Lru.emplace_front(Key.str(), std::move(Object));
  Index[Key] = Lru.begin();
  while (HeldBytes > MemoryBytes && !Lru.empty()) {
    HeldBytes -= Lru.back().second.size();
    Index.erase(Lru.back().first);
    Lru.pop_back();
  }
}

std::unique_ptr<MemoryBuffer> CodeCache::find(StringRef Key) {
  {
    std::lock_guard<std::mutex> L(Lock);
    if (auto It = Index.find(Key); It != Index.end()) {
      Lru.splice(Lru.begin(), Lru, It->second);
      ++Hits;
      return MemoryBuffer::getMemBufferCopy(It->second->second, Key);
    }
  }
  if (!Directory.empty()) {
    std::string Path = pathOf(Key);
    if (auto File = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false)) {
      StringRef Data = (*File)->getBuffer();
      Header H;
      bool Valid = Data.size() >= sizeof(H);
      if (Valid) {
        std::memcpy(&H, Data.data(), sizeof(H));
        StringRef Payload = Data.drop_front(sizeof(H));
        Valid = !std::memcmp(H.Magic, Magic, sizeof(Magic)) &&
                H.Size == Payload.size() && H.Hash == payloadHash(Payload);
      }
      if (Valid) {
        std::string Object = Data.drop_front(sizeof(H)).str();
        auto Buf = MemoryBuffer::getMemBufferCopy(Object, Key);
        std::lock_guard<std::mutex> L(Lock);
        remember(Key, std::move(Object));
        ++Hits;
        return Buf;
      }
      ++Corrupt;
      sys::fs::remove(Path);
    }
  }
  ++Misses;
  return nullptr;
}

void CodeCache::store(StringRef Key, StringRef Object) {
  {
    std::lock_guard<std::mutex> L(Lock);
    remember(Key, Object.str());
  }
  if (Directory.empty())
    return;
  // Write to a unique temporary and rename: readers never see a partial file.
  std::string Path = pathOf(Key);
  SmallString<256> Tmp;
  int FD = -1;
  if (sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", FD, Tmp))
    return;
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    Header H;
    std::memcpy(H.Magic, Magic, sizeof(Magic));
    H.Size = Object.size();
    H.Hash = payloadHash(Object);
    OS.write(reinterpret_cast<const char *>(&H), sizeof(H));
    OS << Object;
    if (OS.has_error()) {
      OS.clear_error();
      sys::fs::remove(Tmp);
      return;
    }
  }
  if (sys::fs::rename(Tmp, Path))
    sys::fs::remove(Tmp);
}

} // namespace hotjit
