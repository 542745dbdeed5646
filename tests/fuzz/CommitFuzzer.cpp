// libFuzzer target: arbitrary bytes committed to a live engine, whose live functions must still
// answer.
//
// Input: the whole input is one module, read as bitcode if it starts with 'B' (as the bitcode
// magic "BC\xC0\xDE" does) and as IR text otherwise. An input of odd size is committed in one
// batch with a valid replacement of the live module "live", so a failed commit must undo that
// replacement too and a successful one must publish it. A module that commits is removed again.
//
// After every input the live functions are called and checked: each answers as its live version
// should, and the global state of module "base" counted every call. A wrong answer aborts, which
// libFuzzer reports as a crash and saves the input. Under AddressSanitizer, a failed commit that
// leaks is reported as well.
#include "hotjit/engine/Engine.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <sanitizer/lsan_interface.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

using namespace hotjit;

namespace {

/// The engine, created once: creating one per input would dominate the run.
struct LiveEngine {
  std::unique_ptr<Engine> Eng;
  Function<int(int)> Base, Caller;
  Function<int()> Version;
  const int *BaseCalls = nullptr;
  int ExpectedVersion = 1;
  int ExpectedCalls = 0;
};
LiveEngine *Live = nullptr;

/// Small enough that some inputs of the run exceed it (ErrorKind::TooLarge).
constexpr size_t MaxModuleBytes = 2048;

const char *BaseIR = R"(
@hj_calls = global i32 0
define i32 @hj_base(i32 %x) {
  %c = load i32, ptr @hj_calls
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @hj_calls
  %m = mul i32 %x, 3
  %r = add i32 %m, 1
  ret i32 %r
}
)";

const char *CallerIR = R"(
declare i32 @hj_base(i32)
define i32 @hj_caller(i32 %x) {
  %r = call i32 @hj_base(i32 %x)
  %s = add i32 %r, 1000
  ret i32 %s
}
)";

std::string versionIR(int Version) {
  return "define i32 @hj_version() {\n  ret i32 " + std::to_string(Version) + "\n}\n";
}

[[noreturn]] void fail(const std::string &What) {
  std::fprintf(stderr, "CommitFuzzer: %s\n", What.c_str());
  std::abort();
}

void mustSucceed(llvm::Expected<CommitReport> R, const char *What) {
  if (!R)
    fail(std::string(What) + ": " + llvm::toString(R.takeError()));
}

template <typename Sig> Function<Sig> mustLookup(const char *Name) {
  auto F = Live->Eng->lookup<Sig>(Name);
  if (!F)
    fail(llvm::toString(F.takeError()));
  return *F;
}

/// Every live function answers as its live version should.
void checkLiveFunctions() {
  LiveEngine &L = *Live;
  int Got = L.Version();
  if (Got != L.ExpectedVersion)
    fail("hj_version() returned " + std::to_string(Got) + ", expected " +
         std::to_string(L.ExpectedVersion));
  if ((Got = L.Base(2)) != 7)
    fail("hj_base(2) returned " + std::to_string(Got) + ", expected 7");
  if ((Got = L.Caller(2)) != 1007)
    fail("hj_caller(2) returned " + std::to_string(Got) + ", expected 1007");
  L.ExpectedCalls += 2;
  if (*L.BaseCalls != L.ExpectedCalls)
    fail("hj_calls is " + std::to_string(*L.BaseCalls) + ", expected " +
         std::to_string(L.ExpectedCalls) + ": the global state was lost");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // The compiler keeps a TargetMachine per thread in TBB thread-local storage, which comes from
  // tbbmalloc, where LeakSanitizer does not look: the first commit's machine would be reported
  // as leaked after every later input. Everything set up here lives until exit, so is ignored.
  __lsan_disable();
  EngineOptions O;
  O.OptLevel = 0;
  O.CompileInCallingThread = true;
  O.MaxModuleBytes = MaxModuleBytes;
  auto E = Engine::create(O);
  if (!E)
    fail(llvm::toString(E.takeError()));
  Live = new LiveEngine;
  Live->Eng = std::move(*E);
  mustSucceed(Live->Eng->batch()
                  .add("base", ModuleSource::fromIR(BaseIR))
                  .add("caller", ModuleSource::fromIR(CallerIR))
                  .add("live", ModuleSource::fromIR(versionIR(1)))
                  .commit(),
              "initial commit");
  Live->Base = mustLookup<int(int)>("hj_base");
  Live->Caller = mustLookup<int(int)>("hj_caller");
  Live->Version = mustLookup<int()>("hj_version");
  auto Calls = Live->Eng->lookupGlobal("hj_calls");
  if (!Calls)
    fail(llvm::toString(Calls.takeError()));
  Live->BaseCalls = static_cast<const int *>(*Calls);
  checkLiveFunctions();
  __lsan_enable();
  return 0;
}

/// Bitcode of the IR text \p Text, or nothing if it does not parse. LLVM 22's
/// bitcode reader is not hardened against arbitrary bytes (the fuzzer found a
/// heap-buffer-overflow inside it, in GlobalValue::setPartition), so bitcode
/// inputs are made from fuzzed IR text: the engine's bitcode path is fuzzed,
/// LLVM's reader is not (docs/bad-input.md: load bitcode only from trusted
/// producers).
std::optional<std::string> bitcodeOf(const std::string &Text) {
  llvm::LLVMContext Ctx;
  llvm::SMDiagnostic Diag;
  auto M = llvm::parseAssemblyString(Text, Diag, Ctx);
  if (!M)
    return std::nullopt;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  llvm::WriteBitcodeToFile(*M, OS);
  return Out;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  LiveEngine &L = *Live;
  std::string Bytes(reinterpret_cast<const char *>(Data), Size);
  bool IsBitcode = Bytes[0] == 'B';
  if (IsBitcode) {
    std::optional<std::string> BC = bitcodeOf(Bytes.substr(1));
    if (!BC)
      return -1;
    Bytes = std::move(*BC);
  }
  bool WithReplacement = Size % 2 == 1;
  Batch B = L.Eng->batch();
  B.add("fuzz", IsBitcode ? ModuleSource::fromBitcode(std::move(Bytes))
                          : ModuleSource::fromIR(std::move(Bytes)));
  if (WithReplacement)
    B.replace("live", ModuleSource::fromIR(versionIR(L.ExpectedVersion + 1)));
  auto R = B.commit();
  if (R) {
    if (WithReplacement)
      ++L.ExpectedVersion;
    mustSucceed(L.Eng->remove("fuzz"), "removing the committed input");
  } else {
    llvm::consumeError(R.takeError());
  }
  checkLiveFunctions();
  return 0;
}
