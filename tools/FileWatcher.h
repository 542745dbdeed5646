// Tells which of a set of files were saved, with inotify on their directories.
//
// Watching the directories rather than the files sees every way editors save: writing in place
// (IN_CLOSE_WRITE) and writing a new file then renaming it over the old one (IN_MOVED_TO), which
// leaves a watch on the old file's inode blind. Deleting a file is not a change.
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
  };
  FileWatcher(int Fd) : Fd(Fd) {}
  /// Reads the pending events and marks the files they name in \p Saved.
  void drain(std::vector<bool> &Saved);

  int Fd;
  std::vector<Watched> Files;
};

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_FILEWATCHER_H
