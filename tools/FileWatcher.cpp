// inotify-based FileWatcher: one watch per directory, events matched to files (and the targets of
// symbolic links) by name.
#include "FileWatcher.h"

#include "llvm/Support/Path.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hotjit::tool {

namespace {

/// How long the directories must stay quiet before a batch is reported, and the longest a stream
/// of events may delay it.
constexpr std::chrono::milliseconds Quiet{40}, MaxDelay{1000};

int pollFor(int Fd, std::chrono::milliseconds Timeout) {
  pollfd P{Fd, POLLIN, 0};
  return ::poll(&P, 1, static_cast<int>(std::max<int64_t>(Timeout.count(), 0)));
}

} // namespace

llvm::Expected<std::unique_ptr<FileWatcher>> FileWatcher::create() {
  int Fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (Fd < 0)
    return llvm::createStringError("inotify_init1: %s", std::strerror(errno));
  return std::unique_ptr<FileWatcher>(new FileWatcher(Fd));
}

llvm::Error FileWatcher::watchName(const std::string &Path, size_t Key) {
  std::string Dir = llvm::sys::path::parent_path(Path).str();
  if (Dir.empty())
    Dir = ".";
  auto [It, New] = DirectoryWd.try_emplace(Dir, -1);
  if (New) {
    It->second = ::inotify_add_watch(Fd, Dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO);
    if (It->second < 0) {
      int Errno = errno;
      DirectoryWd.erase(It);
      return llvm::createStringError("cannot watch directory '%s': %s", Dir.c_str(),
                                     std::strerror(Errno));
    }
  }
  Watched W{It->second, llvm::sys::path::filename(Path).str(), Key};
  if (std::none_of(Names.begin(), Names.end(), [&](const Watched &N) {
        return N.Wd == W.Wd && N.Name == W.Name && N.Key == W.Key;
      }))
    Names.push_back(std::move(W));
  return llvm::Error::success();
}

llvm::Error FileWatcher::watch(const std::string &Path, size_t Key) {
  if (auto E = watchName(Path, Key))
    return E;
  struct stat Link;
  if (::lstat(Path.c_str(), &Link) == 0 && S_ISLNK(Link.st_mode))
    if (char *Target = ::realpath(Path.c_str(), nullptr)) {
      std::string Resolved = Target;
      std::free(Target);
      return watchName(Resolved, Key);
    }
  return llvm::Error::success();
}

FileWatcher::~FileWatcher() { ::close(Fd); }

void FileWatcher::drain(std::set<size_t> &Saved) {
  alignas(inotify_event) char Buf[8192];
  for (;;) {
    ssize_t N = ::read(Fd, Buf, sizeof(Buf));
    if (N <= 0)
      return; // EAGAIN: nothing left; EINTR: the caller polls again.
    for (char *P = Buf; P < Buf + N;) {
      auto *E = reinterpret_cast<inotify_event *>(P);
      P += sizeof(inotify_event) + E->len;
      if (!E->len)
        continue;
      for (const Watched &Name : Names)
        if (Name.Wd == E->wd && Name.Name == E->name)
          Saved.insert(Name.Key);
    }
  }
}

std::vector<size_t> FileWatcher::wait(std::chrono::milliseconds Timeout) {
  using Clock = std::chrono::steady_clock;
  std::set<size_t> Saved;
  // Events of files no one watches (an editor's swap files) do not start a batch.
  for (auto End = Clock::now() + Timeout; Saved.empty();) {
    auto Left = std::chrono::ceil<std::chrono::milliseconds>(End - Clock::now());
    if (pollFor(Fd, Left) <= 0)
      return {};
    drain(Saved);
  }
  const auto First = Clock::now();
  const auto Deadline = First + MaxDelay;
  for (;;) {
    auto Now = Clock::now();
    if (Now >= Deadline)
      break;
    auto Wait =
        std::max(Quiet, std::chrono::ceil<std::chrono::milliseconds>(First + BatchWindow - Now));
    if (pollFor(Fd, std::min(Wait, std::chrono::ceil<std::chrono::milliseconds>(Deadline - Now))) <=
        0)
      break;
    drain(Saved);
  }
  return {Saved.begin(), Saved.end()};
}

} // namespace hotjit::tool
