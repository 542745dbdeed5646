// The process's perf map of live JIT functions (protocol in PerfMapPlugin.h).
#include "debugging/PerfMapPlugin.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/JITLink/JITLink.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;
using namespace llvm::orc;

namespace hotjit {

namespace {

using Clock = std::chrono::steady_clock;

/// Failed writes and replacements of the map (EngineStats::PerfMapFailures).
std::atomic<uint64_t> Failures{0};

/// "f.__hjv0000000000000008" -> "f [v8]"; other names get the module's
/// version ("helper [v8]"), if known.
std::string perfName(StringRef Name, uint64_t ModuleVersion) {
  size_t At = Name.rfind(".__hjv");
  uint64_t V = 0;
  if (At != StringRef::npos && Name.size() == At + 6 + 16 &&
      !Name.substr(At + 6).getAsInteger(16, V))
    return (Name.take_front(At) + " [v" + Twine(V) + "]").str();
  if (ModuleVersion)
    return (Name + " [v" + Twine(ModuleVersion) + "]").str();
  return Name.str();
}

/// The version in a graph name "module@v8-jitted-objectbuffer", or 0.
uint64_t graphVersion(StringRef Name) {
  size_t At = Name.rfind("@v");
  if (At == StringRef::npos)
    return 0;
  StringRef Digits = Name.drop_front(At + 2).take_while(isDigit);
  uint64_t V = 0;
  return Digits.getAsInteger(10, V) ? 0 : V;
}

bool writeAll(int Fd, const std::string &Text) {
  for (size_t Done = 0; Done < Text.size();) {
    ssize_t N = ::write(Fd, Text.data() + Done, Text.size() - Done);
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    Done += static_cast<size_t>(N);
  }
  return true;
}

/// The map file and the live set it is rewritten from, for the whole process.
class PerfMapFile {
public:
  static PerfMapFile &get() {
    static PerfMapFile *F = new PerfMapFile(); // Used until the process ends.
    return *F;
  }

  /// Appends \p Lines for a link in flight (\p MR) and records them.
  void add(const void *Owner, const void *MR, std::string Lines) {
    std::lock_guard<std::mutex> L(Lock);
    bool Missing = !mapIsOpen();
    if (Missing)
      Dirty = true;
    // A missing map is written at once, unless writing it has just failed.
    if (Dirty && (due() || (Missing && !Failing)))
      rewrite(&Lines);
    else if (!Missing)
      append(Lines);
    Provisional[{Owner, link(MR)}] = std::move(Lines);
  }

  /// The link \p MR was emitted under resource key \p K.
  void bind(const void *Owner, const void *MR, ResourceKey K) {
    std::lock_guard<std::mutex> L(Lock);
    auto It = Provisional.find({Owner, link(MR)});
    if (It == Provisional.end())
      return;
    Live[{Owner, K}] += It->second;
    Provisional.erase(It);
  }

  /// The link \p MR failed, or its tracker was removed before emission.
  void drop(const void *Owner, const void *MR) {
    std::lock_guard<std::mutex> L(Lock);
    if (Provisional.erase({Owner, link(MR)}))
      markStale(Owner);
  }

  void remove(const void *Owner, ResourceKey K) {
    std::lock_guard<std::mutex> L(Lock);
    if (Live.erase({Owner, K}))
      markStale(Owner);
  }

  void transfer(const void *Owner, ResourceKey Dst, ResourceKey Src) {
    std::lock_guard<std::mutex> L(Lock);
    auto It = Live.find({Owner, Src});
    if (It == Live.end())
      return;
    std::string Lines = std::move(It->second);
    Live.erase(It);
    Live[{Owner, Dst}] += Lines;
  }

  void flush() {
    std::lock_guard<std::mutex> L(Lock);
    if (Dirty)
      rewrite(nullptr);
  }

  void freeze(const void *Owner) {
    std::lock_guard<std::mutex> L(Lock);
    Frozen.insert(Owner);
  }

  void forget(const void *Owner) {
    std::lock_guard<std::mutex> L(Lock);
    Frozen.erase(Owner);
  }

private:
  using Key = std::pair<const void *, uintptr_t>;
  static uintptr_t link(const void *MR) { return reinterpret_cast<uintptr_t>(MR); }

  bool due() const { return Clock::now() - LastRewrite >= Interval; }

  void markStale(const void *Owner) {
    if (Frozen.count(Owner))
      return;
    Dirty = true;
    if (due())
      rewrite(nullptr);
  }

  /// Whether Fd is the map still; one deleted (or replaced) meanwhile is
  /// closed.
  bool mapIsOpen() {
    struct stat St;
    if (Fd >= 0 && (::fstat(Fd, &St) != 0 || St.st_nlink == 0)) {
      ::close(Fd);
      Fd = -1;
    }
    return Fd >= 0;
  }

  void append(const std::string &Lines) {
    if (!writeAll(Fd, Lines)) {
      ++Failures;
      Dirty = true;
    }
  }

  /// Replaces the file by the live set (plus \p Extra), atomically. The new
  /// file is created under a unique name (O_EXCL) and renamed over the map,
  /// so nothing planted under either name is opened or followed.
  void rewrite(const std::string *Extra) {
    auto Start = Clock::now();
    std::string Text;
    for (const auto &[K, Lines] : Live)
      Text += Lines;
    for (const auto &[K, Lines] : Provisional)
      Text += Lines;
    if (Extra)
      Text += *Extra;
    std::string Path = PerfMapPlugin::path();
    std::string Tmp = Path + ".XXXXXX";
    int New = ::mkostemp(Tmp.data(), O_APPEND | O_CLOEXEC); // Mode 0600.
    bool Replaced = New >= 0 && ::fchmod(New, 0644) == 0 && writeAll(New, Text) &&
                    ::rename(Tmp.c_str(), Path.c_str()) == 0;
    if (Replaced) {
      if (Fd >= 0)
        ::close(Fd);
      Fd = New; // Now the map itself: later links append to it.
      Dirty = false;
    } else {
      ++Failures;
      if (New >= 0) {
        ::close(New);
        ::unlink(Tmp.c_str());
      }
    }
    Failing = !Replaced;
    LastRewrite = Clock::now();
    // However large the map, rewriting it takes at most about 5% of the time.
    Interval =
        std::max<Clock::duration>(PerfMapPlugin::RewriteInterval, 20 * (LastRewrite - Start));
  }

  std::mutex Lock;
  int Fd = -1;          ///< The map, open for appending; -1 if none.
  bool Dirty = false;   ///< The file lists freed code, or lacks live code.
  bool Failing = false; ///< The latest rewrite failed.
  Clock::time_point LastRewrite{};
  Clock::duration Interval = PerfMapPlugin::RewriteInterval;
  std::map<Key, std::string> Live;        ///< By (plugin, resource key).
  std::map<Key, std::string> Provisional; ///< By (plugin, link in flight).
  std::set<const void *> Frozen;
};

/// Lines collected by a link, waiting for its emission.
struct PendingLines {
  std::mutex Lock;
  std::map<const void *, std::string> ByLink;
};

PendingLines &pending() {
  static PendingLines *P = new PendingLines();
  return *P;
}

} // namespace

PerfMapPlugin::~PerfMapPlugin() { PerfMapFile::get().forget(this); }

std::string PerfMapPlugin::path() { return "/tmp/perf-" + std::to_string(::getpid()) + ".map"; }

void PerfMapPlugin::flush() { PerfMapFile::get().flush(); }

uint64_t PerfMapPlugin::failures() { return Failures.load(std::memory_order_relaxed); }

void PerfMapPlugin::freeze() { PerfMapFile::get().freeze(this); }

void PerfMapPlugin::modifyPassConfig(MaterializationResponsibility &MR, jitlink::LinkGraph &,
                                     jitlink::PassConfiguration &Config) {
  Config.PostAllocationPasses.push_back([&MR](jitlink::LinkGraph &G) {
    uint64_t Version = graphVersion(G.getName());
    std::string Lines;
    for (jitlink::Symbol *Sym : G.defined_symbols()) {
      if (!Sym->hasName() || !Sym->isCallable() || Sym->getSize() == 0)
        continue;
      Lines += utohexstr(Sym->getAddress().getValue(), /*LowerCase=*/true) + " " +
               utohexstr(Sym->getSize(), true) + " " + perfName(*Sym->getName(), Version) + "\n";
    }
    if (!Lines.empty()) {
      std::lock_guard<std::mutex> L(pending().Lock);
      pending().ByLink[&MR] = std::move(Lines);
    }
    return Error::success();
  });
}

Error PerfMapPlugin::notifyEmitted(MaterializationResponsibility &MR) {
  std::string Lines;
  {
    std::lock_guard<std::mutex> L(pending().Lock);
    auto It = pending().ByLink.find(&MR);
    if (It == pending().ByLink.end())
      return Error::success();
    Lines = std::move(It->second);
    pending().ByLink.erase(It);
  }
  PerfMapFile &F = PerfMapFile::get();
  // Written before the key is known, so no file I/O happens under ORC's
  // session lock; bound under it, so a removal that follows finds the lines.
  F.add(this, &MR, std::move(Lines));
  if (auto Err = MR.withResourceKeyDo([&](ResourceKey K) { F.bind(this, &MR, K); })) {
    F.drop(this, &MR);
    return Err;
  }
  return Error::success();
}

Error PerfMapPlugin::notifyFailed(MaterializationResponsibility &MR) {
  {
    std::lock_guard<std::mutex> L(pending().Lock);
    pending().ByLink.erase(&MR);
  }
  PerfMapFile::get().drop(this, &MR);
  return Error::success();
}

Error PerfMapPlugin::notifyRemovingResources(JITDylib &, ResourceKey K) {
  PerfMapFile::get().remove(this, K);
  return Error::success();
}

void PerfMapPlugin::notifyTransferringResources(JITDylib &, ResourceKey Dst, ResourceKey Src) {
  PerfMapFile::get().transfer(this, Dst, Src);
}

} // namespace hotjit
