// The rewrite's questions to the engine, and the object-cache key they make (see
// RewriteRecorder.h).
#include "commit/RewriteRecorder.h"

#include "LiveState.h"
#include "Mutations.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <vector>

using namespace llvm;

namespace hotjit::commit {
namespace {

/// "<size>:<name> ": names of any bytes, unambiguous when concatenated.
std::string lengthPrefixed(StringRef Name) {
  return std::to_string(Name.size()) + ":" + Name.str() + " ";
}

std::string sorted(const StringSet<> &Set) {
  std::vector<StringRef> Names;
  for (auto &N : Set)
    Names.push_back(N.getKey());
  llvm::sort(Names);
  std::string Out;
  for (StringRef N : Names)
    Out += lengthPrefixed(N);
  return Out;
}

} // namespace

bool RewriteRecorder::jitDefinesThreadLocal(StringRef Name) {
  bool Jit = GlobalExists(Name);
  Asked += (Jit ? "jit-tls " : "host-tls ") + lengthPrefixed(Name);
  return Jit;
}

std::string RewriteRecorder::cacheKey(StringRef Module, const SavedSource &Source) const {
  const std::string &Bytes = Source.Bytes;
  XXH128_hash_t H = xxh3_128bits(
      ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Bytes.data()), Bytes.size()));
  std::string Key;
  raw_string_ostream OS(Key);
  OS << "source " << (Source.Bitcode ? "bc " : "ll ") << format_hex_no_prefix(H.high64, 16)
     << format_hex_no_prefix(H.low64, 16) << " " << Bytes.size() << "\n";
  if constexpr (!mutation::CacheKeyIgnoresState)
    OS << "module " << lengthPrefixed(Module) << "\nnull-weak " << sorted(NullWeak) << "\ncreates "
       << sorted(Creates) << "\n"
       << Asked;
  return Key;
}

} // namespace hotjit::commit
