// Tells which of a set of files were saved, with inotify on their directories. Saves that come
// within a short window of each other are reported together, as one batch.
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
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace hotjit::tool {

class FileWatcher {
public:
  /// A watcher that watches nothing yet.
  static llvm::Expected<std::unique_ptr<FileWatcher>> create();

  /// Also watches \p Path, whose directory must exist, and reports its saves as \p Key (several
  /// paths may share a key). Watching a path again with the same key does nothing.
  llvm::Error watch(const std::string &Path, size_t Key);

  ~FileWatcher();
  FileWatcher(const FileWatcher &) = delete;
  FileWatcher &operator=(const FileWatcher &) = delete;

  /// Blocks up to \p Timeout for a save; then collects saves for BatchWindow after the first,
  /// and until the directories have been quiet for a moment (an editor's save is several steps;
  /// several files saved at once are one change), and returns the keys of the files saved, each
  /// once, in increasing order. Returns early, possibly empty, when a signal interrupts the wait.
  std::vector<size_t> wait(std::chrono::milliseconds Timeout);

  /// How long after a first save later saves join its batch.
  static constexpr std::chrono::milliseconds BatchWindow{150};

private:
  struct Watched {
    int Wd;
    std::string Name; ///< File name within the watched directory.
    size_t Key;
  };
  explicit FileWatcher(int Fd) : Fd(Fd) {}
  llvm::Error watchName(const std::string &Path, size_t Key);
  /// Reads the pending events and adds the keys of the files they name to \p Saved.
  void drain(std::set<size_t> &Saved);

  int Fd;
  std::map<std::string, int> DirectoryWd;
  std::vector<Watched> Names; ///< One or more per key.
};

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_FILEWATCHER_H
