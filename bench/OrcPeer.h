// Plain ORC as a user without hotjit drives it: PeerBench's and CallBench's.
//
// ObjectCompiler runs the IR pipeline and code generation level of hotjit's
// Compiler with one TargetMachine reused (ORC's ConcurrentIRCompiler builds
// one per module, ~0.6 ms: not a fair baseline). OrcSession is a default LLJIT
// (JITLink, EH-frame registration, in-place materialisation) fed with compiled
// objects, one ResourceTracker each.
#ifndef HOTJIT_BENCH_ORCPEER_H
#define HOTJIT_BENCH_ORCPEER_H

#include "SwapWorkload.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace hotjit::bench {

/// Benchmarks have no error channel: a failed set-up step ends the program.
[[noreturn]] inline void fail(const std::string &What) {
  std::fprintf(stderr, "benchmark set-up failed: %s\n", What.c_str());
  std::abort();
}

template <typename T> T check(llvm::Expected<T> V, const char *What) {
  if (!V)
    fail(std::string(What) + ": " + llvm::toString(V.takeError()));
  return std::move(*V);
}

inline void check(llvm::Error Err, const char *What) {
  if (Err)
    fail(std::string(What) + ": " + llvm::toString(std::move(Err)));
}

inline std::unique_ptr<llvm::Module> parseModule(const std::string &IR, llvm::StringRef Name,
                                                 llvm::LLVMContext &Ctx) {
  llvm::SMDiagnostic Diag;
  auto M = llvm::parseAssemblyString(IR, Diag, Ctx);
  if (!M)
    fail("parse error: " + Diag.getMessage().str());
  M->setModuleIdentifier(Name);
  return M;
}

/// The IR pipeline hotjit's Compiler runs at \p Level (none at 0).
inline void optimizeModule(llvm::Module &M, llvm::TargetMachine &TM, unsigned Level) {
  using namespace llvm;
  if (Level == 0)
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
  PB.buildPerModuleDefaultPipeline(Level == 1   ? OptimizationLevel::O1
                                   : Level == 2 ? OptimizationLevel::O2
                                                : OptimizationLevel::O3)
      .run(M, MAM);
}

/// IR text -> relocatable object on the calling thread, one TargetMachine
/// reused: host CPU, PIC, small code model, as LLJIT sets up JITLink on x86-64.
/// Not thread-safe; use one per thread.
class ObjectCompiler {
public:
  explicit ObjectCompiler(unsigned Level) : Level(Level) {
    auto JTMB = check(llvm::orc::JITTargetMachineBuilder::detectHost(), "detectHost");
    JTMB.setRelocationModel(llvm::Reloc::PIC_);
    JTMB.setCodeModel(llvm::CodeModel::Small);
    JTMB.setCodeGenOptLevel(Level ? llvm::CodeGenOptLevel::Default : llvm::CodeGenOptLevel::None);
    TM = check(JTMB.createTargetMachine(), "createTargetMachine");
  }

  /// Parses, optimises and compiles \p IR in a context of its own.
  std::unique_ptr<llvm::MemoryBuffer> compile(const std::string &IR, llvm::StringRef Name) {
    using Clock = std::chrono::steady_clock;
    auto Us = [](Clock::time_point A, Clock::time_point B) {
      return std::chrono::duration<double, std::micro>(B - A).count();
    };
    auto T0 = Clock::now();
    std::unique_ptr<llvm::MemoryBuffer> Obj;
    Clock::time_point T1, T2;
    {
      llvm::LLVMContext Ctx;
      auto M = parseModule(IR, Name, Ctx);
      M->setDataLayout(TM->createDataLayout());
      M->setTargetTriple(TM->getTargetTriple());
      T1 = Clock::now();
      optimizeModule(*M, *TM, Level);
      T2 = Clock::now();
      Obj = check(llvm::orc::SimpleCompiler(*TM)(*M), "compile");
    }
    Last = {Us(T0, T1), Us(T1, T2), Us(T2, Clock::now())};
    return Obj;
  }

  /// Phase durations of the latest compile() in µs; Codegen includes freeing
  /// the module and its context.
  struct Timings {
    double Parse = 0, Optimize = 0, Codegen = 0;
  } Last;

private:
  unsigned Level;
  std::unique_ptr<llvm::TargetMachine> TM;
};

/// A non-owning view of \p B (ORC and MCJIT take buffers by unique_ptr).
inline std::unique_ptr<llvm::MemoryBuffer> viewOf(const llvm::MemoryBuffer &B) {
  return llvm::MemoryBuffer::getMemBuffer(B.getMemBufferRef(),
                                          /*RequiresNullTerminator=*/false);
}

/// A default LLJIT fed with objects.
struct OrcSession {
  OrcSession() {
    J = check(llvm::orc::LLJITBuilder().create(), "LLJIT");
    JD = &J->getMainJITDylib();
  }

  /// Adds \p Obj under a tracker of its own.
  llvm::orc::ResourceTrackerSP addObject(std::unique_ptr<llvm::MemoryBuffer> Obj) {
    auto RT = JD->createResourceTracker();
    check(J->addObjectFile(RT, std::move(Obj)), "addObjectFile");
    return RT;
  }

  /// Looks up (materialising) \p Names, at most SetupChunk per ORC lookup.
  std::vector<llvm::orc::ExecutorAddr> lookupAll(const std::vector<std::string> &Names) {
    std::vector<llvm::orc::ExecutorAddr> Addrs;
    auto &ES = J->getExecutionSession();
    for (size_t First = 0; First < Names.size(); First += SetupChunk) {
      llvm::orc::SymbolLookupSet Set;
      std::vector<llvm::orc::SymbolStringPtr> Order;
      for (size_t I = First; I < std::min(Names.size(), First + SetupChunk); ++I) {
        Order.push_back(J->mangleAndIntern(Names[I]));
        Set.add(Order.back());
      }
      auto Syms =
          check(ES.lookup(llvm::orc::makeJITDylibSearchOrder(JD), std::move(Set)), "lookup");
      for (auto &S : Order)
        Addrs.push_back(Syms[S].getAddress());
    }
    return Addrs;
  }

  llvm::orc::ExecutorAddr lookup(const std::string &Name) { return lookupAll({Name})[0]; }

  std::unique_ptr<llvm::orc::LLJIT> J;
  llvm::orc::JITDylib *JD = nullptr;
};

} // namespace hotjit::bench

#endif // HOTJIT_BENCH_ORCPEER_H
