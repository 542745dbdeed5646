// Tells which of a set of files were saved, with inotify on their directories.
//
// Watching the directories rather than the files sees every way editors save: writing in place
// (IN_CLOSE_WRITE) and writing a new file then renaming it over the old one (IN_MOVED_TO), which
// leaves a watch on the old file's inode blind. Deleting a file is not a change. A file that is a
// symbolic link is also watched where it points (the target's directory, the target's name), so
// edits of the target are seen as saves of the link; a link pointed elsewhere later is not
// followed.
#ifndef HOTJIT_TOOLS_FILEWATCHER_H
#define HOTJIT_TOOLS_FILEWATCHER_H

#include "llvm/Support/Error.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace hotjit::tool {

class FileWatcher {
public:
  /// Watches \p Paths, whose directories must exist.
  static llvm::Expected<std::unique_ptr<FileWatcher>> create(const std::vector<std::string> &Paths);

  ~FileWatcher();
  FileWatcher(const FileWatcher &) = delete;
  FileWatcher &operator=(const FileWatcher &) = delete;

  /// Blocks up to \p Timeout for saves; returns the indices (into Paths) of
  /// the files saved, each once, after the directory has been quiet for a
  /// moment (an editor's save is several steps). Returns early, possibly
  /// empty, when a signal interrupts the wait.
  std::vector<size_t> wait(std::chrono::milliseconds Timeout);

private:
  struct Watched {
    int Wd;
    std::string Name; ///< File name within the watched directory.
    size_t File;      ///< Index into the paths given to create().
  };
  FileWatcher(int Fd, size_t FileCount) : Fd(Fd), FileCount(FileCount) {}
  /// Reads the pending events and marks the files they name in \p Saved.
  void drain(std::vector<bool> &Saved);

  int Fd;
  size_t FileCount;
  std::vector<Watched> Names; ///< One or more per file.
};

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_FILEWATCHER_H
