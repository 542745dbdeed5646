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

/// How long a directory must stay quiet before its saves are reported, and
/// the longest a stream of events may delay them.
constexpr std::chrono::milliseconds Quiet{40}, MaxDelay{400};

int pollFor(int Fd, std::chrono::milliseconds Timeout) {
  pollfd P{Fd, POLLIN, 0};
  return ::poll(&P, 1, static_cast<int>(std::max<int64_t>(Timeout.count(), 0)));
}

} // namespace

llvm::Expected<std::unique_ptr<FileWatcher>>
FileWatcher::create(const std::vector<std::string> &Paths) {
  int Fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (Fd < 0)
    return llvm::createStringError("inotify_init1: %s", std::strerror(errno));
  std::unique_ptr<FileWatcher> W(new FileWatcher(Fd, Paths.size()));
  std::map<std::string, int> DirWd;
  // Watches the directory of \p Path for saves of its file name, as file \p I.
  auto Watch = [&](const std::string &Path, size_t I) -> llvm::Error {
    std::string Dir = llvm::sys::path::parent_path(Path).str();
    if (Dir.empty())
      Dir = ".";
    auto [It, New] = DirWd.try_emplace(Dir, -1);
    if (New) {
      It->second = ::inotify_add_watch(Fd, Dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO);
      if (It->second < 0)
        return llvm::createStringError("cannot watch directory '%s': %s", Dir.c_str(),
                                       std::strerror(errno));
    }
    W->Names.push_back({It->second, llvm::sys::path::filename(Path).str(), I});
    return llvm::Error::success();
  };
  for (size_t I = 0; I < Paths.size(); ++I) {
    if (auto E = Watch(Paths[I], I))
      return std::move(E);
    struct stat Link;
    if (::lstat(Paths[I].c_str(), &Link) == 0 && S_ISLNK(Link.st_mode))
      if (char *Target = ::realpath(Paths[I].c_str(), nullptr)) {
        std::string Resolved = Target;
        std::free(Target);
        if (auto E = Watch(Resolved, I))
          return std::move(E);
      }
  }
  return std::move(W);
}

FileWatcher::~FileWatcher() { ::close(Fd); }

void FileWatcher::drain(std::vector<bool> &Saved) {
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
          Saved[Name.File] = true;
    }
  }
}

std::vector<size_t> FileWatcher::wait(std::chrono::milliseconds Timeout) {
  std::vector<bool> Saved(FileCount, false);
  if (pollFor(Fd, Timeout) <= 0)
    return {};
  auto Deadline = std::chrono::steady_clock::now() + MaxDelay;
  drain(Saved);
  while (std::chrono::steady_clock::now() < Deadline && pollFor(Fd, Quiet) > 0)
    drain(Saved);
  std::vector<size_t> Out;
  for (size_t I = 0; I < Saved.size(); ++I)
    if (Saved[I])
      Out.push_back(I);
  return Out;
}

} // namespace hotjit::tool
