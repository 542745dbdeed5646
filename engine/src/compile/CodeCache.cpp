// Content-addressed object cache (see CodeCache.h).
#include "compile/CodeCache.h"

#include "Mutations.h"

#include "hotjit/engine/Errors.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
  return xxh3_64bits(
      ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Data.data()), Data.size()));
}

std::string errnoText() { return std::error_code(errno, std::generic_category()).message(); }

/// Creates \p Dir (0700) if missing and opens it, if only the effective uid
/// can write to it.
Expected<int> openPrivateDirectory(const std::string &Dir) {
  auto Refuse = [&](const Twine &Why) {
    return makeError(ErrorKind::Untrusted, ("cache directory '" + Dir + "' " + Why).str());
  };
  if (std::error_code EC =
          sys::fs::create_directories(Dir, /*IgnoreExisting=*/true, sys::fs::owner_all))
    return Refuse("cannot be created: " + EC.message());
  int Fd = ::open(Dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0)
    return Refuse("cannot be opened as a directory: " + errnoText());
  struct stat St;
  std::string Why;
  if (::fstat(Fd, &St) != 0)
    Why = "cannot be examined: " + errnoText();
  else if (!mutation::CacheTrustsAnyDirectory && St.st_uid != ::geteuid())
    Why = "is owned by uid " + std::to_string(St.st_uid) +
          ", not by this process's effective uid " + std::to_string(::geteuid());
  else if (!mutation::CacheTrustsAnyDirectory && (St.st_mode & (S_IWGRP | S_IWOTH))) {
    char Mode[8];
    std::snprintf(Mode, sizeof(Mode), "%04o", unsigned(St.st_mode & 07777));
    Why = "is writable by group or others (mode " + std::string(Mode) + ")";
  }

  if (Why.empty())
    return Fd;
  ::close(Fd);
  return Refuse(Why + ": objects in it are linked and run without being "
                      "recompiled, so it must belong to this process's "
                      "effective uid and be writable by nobody else");
}

/// Creates a fresh file "<Name>.tmp-<random>" in \p DirFd, or returns -1.
int createTemporary(int DirFd, StringRef Name, std::string &Tmp) {
  for (int Attempt = 0; Attempt < 100; ++Attempt) {
    Tmp = (Name + ".tmp-" + utohexstr(sys::Process::GetRandomNumber())).str();
    int Fd =
        ::openat(DirFd, Tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (Fd >= 0 || errno != EEXIST)
      return Fd;
  }
  return -1;
}

std::string entryName(StringRef Key) { return (Key + ".o").str(); }
} // namespace

Expected<std::unique_ptr<CodeCache>> CodeCache::create(const std::string &Directory,
                                                       size_t MemoryBytes) {
  int DirFd = -1;
  if (!Directory.empty()) {
    auto Fd = openPrivateDirectory(Directory);
    if (!Fd)
      return Fd.takeError();
    DirFd = *Fd;
  }
  return std::unique_ptr<CodeCache>(new CodeCache(DirFd, MemoryBytes));
}

CodeCache::~CodeCache() {
  if (DirFd >= 0)
    ::close(DirFd);
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
      return MemoryBuffer::getMemBufferCopy(It->second->second, Key);
    }
  }
  if (DirFd >= 0)
    return load(Key);
  return nullptr;
}

std::unique_ptr<MemoryBuffer> CodeCache::load(StringRef Key) {
  std::string Name = entryName(Key);
  // O_NONBLOCK: a FIFO planted under the name must not block the open.
  int Fd = ::openat(DirFd, Name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (Fd < 0) {
    if (errno == ELOOP) { // A symlink.
      ++Untrusted;
      ::unlinkat(DirFd, Name.c_str(), 0);
    }
    return nullptr;
  }
  struct stat St;
  if (::fstat(Fd, &St) != 0 || !S_ISREG(St.st_mode) || St.st_uid != ::geteuid()) {
    ::close(Fd);
    ++Untrusted;
    ::unlinkat(DirFd, Name.c_str(), 0);
    return nullptr;
  }
  // Read, not mapped: a file truncated meanwhile must not fault.
  auto File = MemoryBuffer::getOpenFile(sys::fs::convertFDToNativeFile(Fd), Name, St.st_size,
                                        /*RequiresNullTerminator=*/false,
                                        /*IsVolatile=*/true);
  ::close(Fd);
  if (!File)
    return nullptr;
  StringRef Data = (*File)->getBuffer();
  Header H;
  bool Valid = Data.size() >= sizeof(H);
  if (Valid) {
    std::memcpy(&H, Data.data(), sizeof(H));
    StringRef Payload = Data.drop_front(sizeof(H));
    Valid = !std::memcmp(H.Magic, Magic, sizeof(Magic)) && H.Size == Payload.size() &&
            H.Hash == payloadHash(Payload);
  }
  if (!Valid) {
    ++Corrupt;
    ::unlinkat(DirFd, Name.c_str(), 0);
    return nullptr;
  }
  std::string Object = Data.drop_front(sizeof(H)).str();
  auto Buf = MemoryBuffer::getMemBufferCopy(Object, Key);
  std::lock_guard<std::mutex> L(Lock);
  remember(Key, std::move(Object));
  return Buf;
}

void CodeCache::store(StringRef Key, StringRef Object) {
  {
    std::lock_guard<std::mutex> L(Lock);
    remember(Key, Object.str());
  }
  if (DirFd < 0)
    return;
  // Write to a unique temporary and rename: readers never see a partial file.
  std::string Name = entryName(Key), Tmp;
  int FD = createTemporary(DirFd, Name, Tmp);
  if (FD < 0)
    return;
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    Header H;
    std::memcpy(H.Magic, Magic, sizeof(Magic));
    H.Size = Object.size();
    H.Hash = payloadHash(Object);
    OS.write(reinterpret_cast<const char *>(&H), sizeof(H));
    OS << Object;
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      ::unlinkat(DirFd, Tmp.c_str(), 0);
      return;
    }
  }
  if (::renameat(DirFd, Tmp.c_str(), DirFd, Name.c_str()) != 0)
    ::unlinkat(DirFd, Tmp.c_str(), 0);
}

} // namespace hotjit
