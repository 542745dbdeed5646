//===- PerfMapPlugin.h - /tmp/perf-<pid>.map for live JIT code --*- C++ -*-===//
//
// PROTOCOL
//
// perf symbolises samples in anonymous executable memory through
// /tmp/perf-<pid>.map: one "START SIZE name" line (hex) per function, read
// when perf reports, usually after the process has exited. The format has no
// timestamps and no way to delete a line, and JITLink reuses freed addresses
// at once, so a line for freed code would later claim another function's
// samples (perf picks among overlapping lines arbitrarily).
//
// Choice: the file always describes live code. Linking a module appends its
// functions' lines (one write to an open descriptor); freeing a module drops
// its lines from the in-memory live set and the file is rewritten from that
// set, all engines of the process together (written to a temporary file, then
// renamed over the map, so perf never reads a torn file). Rewrites are
// rate-limited: a free within RewriteInterval (or 20 times the last rewrite's
// duration, if longer) of the last rewrite marks the file stale, and the next
// link, free, Engine::waitForReclamation() or engine destruction past the
// interval rewrites it. A rewrite costs O(live functions), measured here as
// 0.35 ms / 0.65 ms / 4 ms with 10 / 1000 / 10000 live functions (a file
// system that makes create + rename slow), so rewrites take at most about 5%
// of the reclaimer's time instead of making every free O(live functions).
// Appending for freed code and relying on line order was rejected because
// perf does not honour order among overlapping lines. Names carry the
// version, "f [v8]", so a profile shows which version ran.
//
// Concurrency. Links, frees and flushes run on any thread; one process-wide
// mutex guards the live set and the file. It is never held while calling ORC;
// binding a link's lines to its resource key takes it under ORC's session
// lock, but file I/O never happens there. An engine being destroyed freezes its
// plugin: the file keeps that engine's last live functions (perf reads it
// after the process) until another engine's rewrite drops them.
//
// Files. The map is never opened by name: the first link of the process, like
// every rewrite, writes a new file created by mkostemp (a unique name, O_EXCL)
// in /tmp, makes it 0644 and renames it over the map, which replaces whatever
// was at the path (a leftover of an earlier process with this pid, a planted
// file or symlink) instead of opening or following it. Appends go to the
// descriptor of the file this process renamed there; once the map is deleted
// or replaced, the next link rewrites it. A failed write or rename (in sticky
// /tmp, another user's file at the path cannot be replaced without privilege)
// is counted (failures(), EngineStats::PerfMapFailures); the next link, or
// after one failure the next event past the interval, tries again.
//
// Limitations. Samples taken in a version that was freed before the profile
// is reported are attributed to nothing, or to code later placed at the same
// address (use the version suffix to spot it); perf's jitdump format would
// keep history but needs perf inject.
//
//===----------------------------------------------------------------------===//

#ifndef HOTJIT_ENGINE_SRC_PERFMAPPLUGIN_H
#define HOTJIT_ENGINE_SRC_PERFMAPPLUGIN_H

#include "llvm/ExecutionEngine/Orc/LinkGraphLinkingLayer.h"

#include <chrono>
#include <string>

namespace hotjit {

/// Lists every live function of its engine's modules in /tmp/perf-<pid>.map.
/// Thread-safe.
class PerfMapPlugin : public llvm::orc::LinkGraphLinkingLayer::Plugin {
public:
  /// At most one rewrite of the map per interval (see the protocol above).
  static constexpr std::chrono::milliseconds RewriteInterval{50};

  PerfMapPlugin() = default;
  ~PerfMapPlugin() override;

  /// Rewrites the map now if it lists freed code.
  void flush();
  /// From now on, frees of this engine's modules leave the map as it is.
  void freeze();
  /// The map's path for this process.
  static std::string path();
  /// Failed writes and replacements of the map so far, in this process.
  static uint64_t failures();

  void modifyPassConfig(llvm::orc::MaterializationResponsibility &MR, llvm::jitlink::LinkGraph &G,
                        llvm::jitlink::PassConfiguration &Config) override;
  llvm::Error notifyEmitted(llvm::orc::MaterializationResponsibility &MR) override;
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility &MR) override;
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib &JD, llvm::orc::ResourceKey K) override;
  void notifyTransferringResources(llvm::orc::JITDylib &JD, llvm::orc::ResourceKey Dst,
                                   llvm::orc::ResourceKey Src) override;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_PERFMAPPLUGIN_H
