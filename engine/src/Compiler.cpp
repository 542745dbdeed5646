// Per-thread TargetMachine compiler (see Compiler.h).
#include "Compiler.h"

#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/Passes/PassBuilder.h"

using namespace llvm;

namespace hotjit {

Expected<std::unique_ptr<Compiler>>
Compiler::create(orc::JITTargetMachineBuilder JTMB, unsigned OptLevel) {
  auto TM = JTMB.createTargetMachine();
  if (!TM)
    return TM.takeError();
  auto MO = orc::irManglingOptionsFromTargetOptions((*TM)->Options);
  return std::unique_ptr<Compiler>(
      new Compiler(std::move(JTMB), std::move(MO), OptLevel));
}

Compiler::Compiler(orc::JITTargetMachineBuilder JTMB,
                   orc::IRSymbolMapper::ManglingOptions MO, unsigned OptLevel)
    : IRCompiler(std::move(MO)), JTMB(std::move(JTMB)), OptLevel(OptLevel) {}

Expected<TargetMachine *> Compiler::threadTargetMachine() {
  std::unique_ptr<TargetMachine> &TM = TMs.local();
  if (!TM) {
    auto NewTM = JTMB.createTargetMachine();
    if (!NewTM)
      return NewTM.takeError();
    TM = std::move(*NewTM);
  }
  return TM.get();
}

void Compiler::optimize(Module &M, TargetMachine &TM) {
  if (OptLevel == 0)
    return;
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB(&TM);
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  OptimizationLevel Level = OptLevel == 1   ? OptimizationLevel::O1
                            : OptLevel == 2 ? OptimizationLevel::O2
                                            : OptimizationLevel::O3;
  PB.buildPerModuleDefaultPipeline(Level).run(M, MAM);
}

Expected<std::unique_ptr<MemoryBuffer>> Compiler::operator()(Module &M) {
  auto TM = threadTargetMachine();
  if (!TM)
    return TM.takeError();
  optimize(M, **TM);
  return orc::SimpleCompiler(**TM)(M);
}

} // namespace hotjit
