// The compile path as production runs it: clang `-g -O1` and `-g -O2` bitcode of real C and C++
// files (GoogleTest's samples, C and C++ runtime fixtures), each module parsed into an LLVMContext
// of its own that is destroyed as soon as the module is compiled, many modules after one another
// on each compile thread, in both orders. Nothing a compile thread keeps (its TargetMachines) may
// refer to a module's context after that module is done: the label `valgrind` runs the sequential
// test under memcheck, which sees reads of a destroyed context inside libLLVM (not instrumented,
// so AddressSanitizer cannot).
#include "compile/Compiler.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace hotjit;
using namespace llvm;

namespace {

/// Bitcode and IR text that tests/CMakeLists.txt has clang make at build time (HOTJIT_COMPILE_PATH_
/// MODULES, separated by '|'): real code with debug info at -O1 and -O2, as `hotjit run` compiles
/// it.
std::vector<std::string> modules() {
  std::vector<std::string> Files;
  StringRef List(HOTJIT_COMPILE_PATH_MODULES);
  SmallVector<StringRef, 32> Parts;
  List.split(Parts, '|', -1, /*KeepEmpty=*/false);
  for (StringRef P : Parts)
    Files.push_back(P.str());
  return Files;
}

std::unique_ptr<Compiler> makeCompiler(unsigned Level) {
  auto JTMB = orc::JITTargetMachineBuilder::detectHost();
  EXPECT_TRUE(!!JTMB);
  if (!JTMB)
    return nullptr;
  JTMB->setRelocationModel(Reloc::PIC_);
  JTMB->setCodeModel(CodeModel::Small);
  auto C = Compiler::create(std::move(*JTMB), Level, /*Cache=*/nullptr);
  EXPECT_TRUE(!!C);
  return C ? std::move(*C) : nullptr;
}

/// Parses \p File into a context of its own, compiles it with \p C and destroys the context
/// before returning, as the engine does with every module of a commit. Returns the object.
std::string compileAlone(Compiler &C, const std::string &File) {
  std::string Object;
  {
    auto Ctx = std::make_unique<LLVMContext>();
    SMDiagnostic Diag;
    std::unique_ptr<Module> M = parseIRFile(File, Diag, *Ctx);
    EXPECT_TRUE(M) << File << ": " << Diag.getMessage().str();
    if (!M)
      return "";
    auto Obj = C(*M);
    EXPECT_TRUE(!!Obj) << File << ": " << toString(Obj.takeError());
    if (Obj) {
      auto Parsed = object::ObjectFile::createObjectFile((*Obj)->getMemBufferRef());
      EXPECT_TRUE(!!Parsed) << File;
      if (!Parsed)
        consumeError(Parsed.takeError());
      Object = (*Obj)->getBuffer().str();
    }
    M.reset();
  } // The context goes here; the compiler's thread state lives on.
  return Object;
}

class CompilePathTest : public ::testing::TestWithParam<unsigned> {
protected:
  static void SetUpTestSuite() {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    InitializeNativeTargetAsmParser();
  }
};

// One thread compiles every module forwards, then backwards: each module follows modules of
// other kinds whose contexts are gone. The two objects of a module must be the same bytes (no
// state of one module reaches the next).
TEST_P(CompilePathTest, ManyModulesPerThreadInBothOrders) {
  const unsigned Level = GetParam();
  std::unique_ptr<Compiler> C = makeCompiler(Level);
  ASSERT_TRUE(C);
  std::vector<std::string> Files = modules();
  ASSERT_GE(Files.size(), 10u);
  std::map<std::string, std::string> First;
  for (const std::string &File : Files) {
    First[File] = compileAlone(*C, File);
    ASSERT_FALSE(First[File].empty()) << File;
  }
  for (auto It = Files.rbegin(); It != Files.rend(); ++It)
    EXPECT_TRUE(compileAlone(*C, *It) == First[*It])
        << *It << " at O" << Level << ": another object when compiled after other modules";
}

// Two compile threads share one compiler (as the engine's pool does) and compile the modules
// forwards and backwards in parallel; every object equals the one a compiler of its own makes.
TEST_P(CompilePathTest, CompileThreadsShareOneCompiler) {
  const unsigned Level = GetParam();
  std::unique_ptr<Compiler> C = makeCompiler(Level);
  ASSERT_TRUE(C);
  std::vector<std::string> Files = modules();
  std::map<std::string, std::string> Expected;
  {
    std::unique_ptr<Compiler> Reference = makeCompiler(Level);
    ASSERT_TRUE(Reference);
    for (const std::string &File : Files)
      Expected[File] = compileAlone(*Reference, File);
  }
  std::vector<std::string> Work;
  Work.insert(Work.end(), Files.begin(), Files.end());
  Work.insert(Work.end(), Files.rbegin(), Files.rend());
  // Two threads take modules from one list (plain threads: their joins are visible to TSan).
  std::atomic<size_t> Next{0};
  std::mutex Lock;
  std::vector<std::string> Mismatches;
  auto Worker = [&] {
    for (size_t I; (I = Next.fetch_add(1)) < Work.size();) {
      std::string Got = compileAlone(*C, Work[I]);
      if (Got != Expected.at(Work[I])) {
        std::lock_guard<std::mutex> G(Lock);
        Mismatches.push_back(Work[I]);
      }
    }
  };
  std::thread A(Worker), B(Worker);
  A.join();
  B.join();
  EXPECT_TRUE(Mismatches.empty()) << Mismatches.size() << " objects differ, the first "
                                  << Mismatches.front() << " at O" << Level;
}

INSTANTIATE_TEST_SUITE_P(Levels, CompilePathTest, ::testing::Values(0u, 1u, 2u),
                         [](const auto &Info) { return "O" + std::to_string(Info.param); });

} // namespace
