// IR -> object compiler for ORC's IRCompileLayer: one TargetMachine per compile thread and
// optimisation level, reused; a code generation pipeline per module; an optional
// new-pass-manager pipeline (O0-O3); the object cache.
#ifndef HOTJIT_ENGINE_SRC_COMPILER_H
#define HOTJIT_ENGINE_SRC_COMPILER_H

#include "compile/CodeCache.h"

#include "llvm/ExecutionEngine/Orc/IRCompileLayer.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Target/TargetMachine.h"

#include <tbb/enumerable_thread_specific.h>

#include <array>
#include <atomic>
#include <memory>

namespace hotjit {

/// Time and work spent by compile threads, summed over threads. The engine
/// reads and resets them around each commit (commits are serialised).
struct CompileCounters {
  std::atomic<uint64_t> OptimizeNs{0}, CodegenNs{0}, CacheLookupNs{0};
  std::atomic<uint64_t> Compiled{0}, CacheHits{0};
};

/// Thread-safe IRCompiler: each thread that compiles gets its own
/// TargetMachine per optimisation level the first time, then reuses it (ORC's
/// ConcurrentIRCompiler builds a new one, ~0.6 ms, for every module). The
/// code generation pipeline is built anew for every module, as ORC's
/// SimpleCompiler does: nothing that outlives a module refers to its
/// LLVMContext, which the engine destroys once the module is compiled.
class Compiler : public llvm::orc::IRCompileLayer::IRCompiler {
public:
  ~Compiler() override;

  /// \p Cache may be null. \p DefaultOptLevel applies to modules without a
  /// "hotjit.opt" module flag (see setOptLevel()).
  static llvm::Expected<std::unique_ptr<Compiler>>
  create(llvm::orc::JITTargetMachineBuilder JTMB, unsigned DefaultOptLevel, CodeCache *Cache);

  /// Compiles \p M at its level. With a cache and a key (setCacheKey()), an
  /// object stored under the same key and level (same code under any version
  /// number) is returned without code generation; a module without a key is
  /// always compiled and never stored.
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module &M) override;

  /// Marks \p M to be compiled at \p Level instead of the default.
  static void setOptLevel(llvm::Module &M, unsigned Level);

  /// Names the object \p M compiles to by \p Key: a digest, made by the
  /// caller, of everything \p M was made from (its source bytes and every
  /// decision taken while rewriting it), except its version number and the
  /// optimisation level, which the cache handles itself. Cheaper than hashing
  /// \p M (a bitcode serialisation costs as much as linking a small module).
  static void setCacheKey(llvm::Module &M, llvm::StringRef Key);

  CompileCounters &counters() { return Counters; }

private:
  Compiler(llvm::orc::JITTargetMachineBuilder JTMB, llvm::orc::IRSymbolMapper::ManglingOptions MO,
           unsigned OptLevel, CodeCache *Cache);
  llvm::Expected<llvm::TargetMachine *> threadTargetMachine(unsigned Level);
  /// Runs a fresh code generation pipeline on \p M with \p TM.
  static llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> emitObject(llvm::Module &M,
                                                                        llvm::TargetMachine &TM);
  /// The cache key of \p M at \p Level; empty if \p M has none.
  std::string cacheKey(const llvm::Module &M, unsigned Level) const;

  llvm::orc::JITTargetMachineBuilder JTMB;
  unsigned DefaultOptLevel;
  CodeCache *Cache;
  std::string KeySalt; ///< hotjit version, triple, CPU and features.
  tbb::enumerable_thread_specific<std::array<std::unique_ptr<llvm::TargetMachine>, 4>> TMs;
  CompileCounters Counters;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_COMPILER_H
