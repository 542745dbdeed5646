// IR -> object compiler for ORC's IRCompileLayer: one TargetMachine per compile thread, reused,
// with an optional new-pass-manager optimisation pipeline (O0-O3).
#ifndef HOTJIT_ENGINE_SRC_COMPILER_H
#define HOTJIT_ENGINE_SRC_COMPILER_H

#include "llvm/ExecutionEngine/Orc/IRCompileLayer.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Target/TargetMachine.h"

#include <tbb/enumerable_thread_specific.h>

#include <memory>

namespace hotjit {

/// Thread-safe IRCompiler: each thread that compiles gets its own
/// TargetMachine the first time, then reuses it (ORC's ConcurrentIRCompiler
/// builds a new one, ~0.6 ms, for every module).
class Compiler : public llvm::orc::IRCompileLayer::IRCompiler {
public:
  static llvm::Expected<std::unique_ptr<Compiler>>
  create(llvm::orc::JITTargetMachineBuilder JTMB, unsigned OptLevel);

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
  operator()(llvm::Module &M) override;

private:
  Compiler(llvm::orc::JITTargetMachineBuilder JTMB,
           llvm::orc::IRSymbolMapper::ManglingOptions MO, unsigned OptLevel);
  llvm::Expected<llvm::TargetMachine *> threadTargetMachine();
  void optimize(llvm::Module &M, llvm::TargetMachine &TM);

  llvm::orc::JITTargetMachineBuilder JTMB;
  unsigned OptLevel;
  tbb::enumerable_thread_specific<std::unique_ptr<llvm::TargetMachine>> TMs;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_COMPILER_H
