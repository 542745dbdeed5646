// The swap workload: a tiny function `hot` and N modules that call it.
//
// `hot` version V returns x + V; `caller<I>` returns hot(x) * (I + 2), so
// caller0(1) == (1 + V) * 2 tells which version a caller reached. Each caller
// is a module of its own that calls `hot`, which is what forces stub-less
// schemes to re-link every caller when `hot` changes.
#ifndef HOTJIT_BENCH_SWAPWORKLOAD_H
#define HOTJIT_BENCH_SWAPWORKLOAD_H

#include "hotjit/engine/Engine.h"

#include <algorithm>
#include <string>
#include <vector>

namespace hotjit::bench {

/// IR of `hot` version \p Version, defined under \p Name (a peer may version
/// the symbol itself).
inline std::string hotIR(int Version, const std::string &Name = "hot") {
  return "define i32 @\"" + Name + "\"(i32 %x) {\n  %r = add i32 %x, " + std::to_string(Version) +
         "\n  ret i32 %r\n}\n";
}

/// IR of module `caller<I>`.
inline std::string callerIR(int I) {
  return "declare i32 @hot(i32)\ndefine i32 @caller" + std::to_string(I) +
         "(i32 %x) {\n  %r = call i32 @hot(i32 %x)\n  %s = mul i32 %r, " + std::to_string(I + 2) +
         "\n  ret i32 %s\n}\n";
}

/// What caller0(1) returns once `hot` version \p Version is live.
inline int expectedCaller0(int Version) { return (1 + Version) * 2; }

/// The \p P quantile (0..1) of \p V, nearest rank below.
inline double percentile(std::vector<double> V, double P) {
  if (V.empty())
    return 0;
  size_t K = static_cast<size_t>(P * static_cast<double>(V.size() - 1));
  std::nth_element(V.begin(), V.begin() + static_cast<long>(K), V.end());
  return V[K];
}

/// Modules per commit or lookup while setting up N callers: one ORC lookup that
/// materialises ~10000 modules at once overflowed an 8 MiB stack.
constexpr int SetupChunk = 500;

/// Adds `hot` version 0 and caller0 .. caller<N-1> to \p E, SetupChunk
/// modules per commit.
inline llvm::Error addWorkload(Engine &E, int N) {
  if (auto R = E.add("hot", ModuleSource::fromIR(hotIR(0))); !R)
    return R.takeError();
  for (int First = 0; First < N; First += SetupChunk) {
    Batch B = E.batch();
    for (int I = First; I < std::min(N, First + SetupChunk); ++I)
      B.add("caller" + std::to_string(I), ModuleSource::fromIR(callerIR(I)));
    if (auto R = B.commit(); !R)
      return R.takeError();
  }
  return llvm::Error::success();
}

} // namespace hotjit::bench

#endif // HOTJIT_BENCH_SWAPWORKLOAD_H
