// The compiler keeps one code generation pipeline per thread and level and runs it on module after
// module (Compiler.h). Its output must be exactly what a fresh pipeline makes of the same module,
// whatever the pipeline compiled before: C++ with exceptions, debug info, thread-locals, module asm,
// vague linkage, at every optimisation level.
#include "Compiler.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

using namespace hotjit;
using namespace llvm;

namespace {

const char *const Fixtures[] = {
    "eh_thrower_v1.ll",     "eh_middle.ll",        "eh_catcher.ll",
    "dbg_v1.ll",            "dbg_v2.ll",           "linkage_inline_a.ll",
    "linkage_module_asm.ll", "linkage_shape.ll",   "linkage_callback_table_v1.ll",
    "runtime_tls_v1.ll",    "runtime_statics_v1.ll", "runtime_tls_cxx.ll",
    "runtime_std_thread_v1.ll", "eh_thrower_v2.ll", "dbg_v1.ll",
};

/// The module in \p File, in a context of its own (as every commit gets one).
struct Loaded {
  std::unique_ptr<LLVMContext> Ctx = std::make_unique<LLVMContext>();
  std::unique_ptr<Module> M;
};

Loaded load(const std::string &File) {
  Loaded L;
  SMDiagnostic Diag;
  L.M = parseAssemblyFile(std::string(HOTJIT_IR_FIXTURES_DIR) + "/" + File, Diag, *L.Ctx);
  EXPECT_TRUE(L.M) << File << ": " << Diag.getMessage().str();
  return L;
}

std::unique_ptr<Compiler> makeCompiler(unsigned Level) {
  auto JTMB = orc::JITTargetMachineBuilder::detectHost();
  EXPECT_TRUE(!!JTMB);
  JTMB->setRelocationModel(Reloc::PIC_);
  JTMB->setCodeModel(CodeModel::Small);
  auto C = Compiler::create(std::move(*JTMB), Level, /*Cache=*/nullptr);
  EXPECT_TRUE(!!C);
  return C ? std::move(*C) : nullptr;
}

std::string compile(Compiler &C, const std::string &File) {
  Loaded L = load(File);
  if (!L.M)
    return "";
  L.M->setDataLayout(L.M->getDataLayout()); // As parsed: the fixture's own.
  auto Obj = C(*L.M);
  EXPECT_TRUE(!!Obj) << File << ": " << toString(Obj.takeError());
  return Obj ? (*Obj)->getBuffer().str() : "";
}

class CodegenPipelineTest : public ::testing::TestWithParam<unsigned> {
protected:
  static void SetUpTestSuite() {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    InitializeNativeTargetAsmParser();
  }
};

TEST_P(CodegenPipelineTest, ReusedPipelineEmitsWhatAFreshOneEmits) {
  const unsigned Level = GetParam();
  std::unique_ptr<Compiler> Reused = makeCompiler(Level);
  ASSERT_TRUE(Reused);
  // Forwards, then backwards: every module follows others of other kinds.
  std::vector<std::string> Order(std::begin(Fixtures), std::end(Fixtures));
  Order.insert(Order.end(), std::rbegin(Fixtures), std::rend(Fixtures));
  for (const std::string &File : Order) {
    std::unique_ptr<Compiler> Fresh = makeCompiler(Level);
    ASSERT_TRUE(Fresh);
    std::string Expected = compile(*Fresh, File);
    ASSERT_FALSE(Expected.empty()) << File;
    std::string Got = compile(*Reused, File);
    EXPECT_TRUE(Got == Expected) << File << " at O" << Level << ": " << Got.size()
                                 << " bytes from the reused pipeline, " << Expected.size()
                                 << " from a fresh one";
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, CodegenPipelineTest, ::testing::Values(0u, 1u, 2u, 3u),
                         [](const auto &Info) { return "O" + std::to_string(Info.param); });

} // namespace
