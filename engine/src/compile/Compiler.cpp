// Per-thread TargetMachine compiler with an object cache (see Compiler.h).
#include "compile/Compiler.h"

#include "compile/ErrorCollector.h"

#include "memory/SlotCallPlugin.h"
#include "rewrite/ModuleRewriter.h"

#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/xxhash.h"

#include <chrono>

using namespace llvm;

namespace hotjit {

namespace {
using Clock = std::chrono::steady_clock;

uint64_t nanosSince(Clock::time_point T0) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - T0).count());
}

CodeGenOptLevel codegenLevel(unsigned Level) {
  switch (Level) {
  case 0:
    return CodeGenOptLevel::None;
  case 1:
    return CodeGenOptLevel::Less;
  case 2:
    return CodeGenOptLevel::Default;
  default:
    return CodeGenOptLevel::Aggressive;
  }
}

void optimize(Module &M, TargetMachine &TM, unsigned Level) {
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
  OptimizationLevel OL = Level == 1   ? OptimizationLevel::O1
                         : Level == 2 ? OptimizationLevel::O2
                                      : OptimizationLevel::O3;
  PB.buildPerModuleDefaultPipeline(OL).run(M, MAM);
}
} // namespace

Expected<std::unique_ptr<Compiler>> Compiler::create(orc::JITTargetMachineBuilder JTMB,
                                                     unsigned DefaultOptLevel, CodeCache *Cache) {
  auto TM = JTMB.createTargetMachine();
  if (!TM)
    return TM.takeError();
  auto MO = orc::irManglingOptionsFromTargetOptions((*TM)->Options);
  return std::unique_ptr<Compiler>(
      new Compiler(std::move(JTMB), std::move(MO), DefaultOptLevel, Cache));
}

Compiler::Compiler(orc::JITTargetMachineBuilder JTMB, orc::IRSymbolMapper::ManglingOptions MO,
                   unsigned OptLevel, CodeCache *Cache)
    : IRCompiler(std::move(MO)), JTMB(std::move(JTMB)), DefaultOptLevel(OptLevel), Cache(Cache) {
  // The rewrite's generation: objects cached by a build that named things
  // otherwise (before engine-made names were length-qualified) never hit.
  // Every PassBuilder takes a reference to libLLVM's one real file system, a function-local
  // static: made here, on the engine's creating thread before any compile thread starts, not
  // by whichever compile thread gets there first (ThreadSanitizer cannot see the uninstrumented
  // library's guard, and took the first compile thread's allocation for a race with the next).
  (void)vfs::getRealFileSystem();
  KeySalt = "hotjit " HOTJIT_VERSION_STRING " rewrite 4\n" + this->JTMB.getTargetTriple().str() +
            "\n" + this->JTMB.getCPU() + "\n" + this->JTMB.getFeatures().getString() + "\n";
}

void Compiler::setOptLevel(Module &M, unsigned Level) {
  M.addModuleFlag(Module::Warning, "hotjit.opt", Level);
}

Compiler::~Compiler() = default;

/// Every module gets a code generation pipeline of its own (what ORC's
/// SimpleCompiler builds), on this thread's TargetMachine of its level. A
/// pipeline kept from one module to the next is not sound: legacy passes keep
/// per-function results until their next run (AssignmentTrackingAnalysis
/// holds the last function's DebugLocs), so the next module's run would
/// release metadata of a context that was destroyed with the previous module.
Expected<std::unique_ptr<MemoryBuffer>> Compiler::emitObject(Module &M, TargetMachine &TM) {
  auto Obj = orc::SimpleCompiler(TM)(M);
  if (!Obj)
    return Obj.takeError();
  if (auto Parsed = object::ObjectFile::createObjectFile((*Obj)->getMemBufferRef()); !Parsed)
    return Parsed.takeError();
  return std::move(*Obj);
}

Expected<TargetMachine *> Compiler::threadTargetMachine(unsigned Level) {
  std::unique_ptr<TargetMachine> &TM = TMs.local()[Level];
  if (!TM) {
    orc::JITTargetMachineBuilder B = JTMB;
    B.setCodeGenOptLevel(codegenLevel(Level));
    auto NewTM = B.createTargetMachine();
    if (!NewTM)
      return NewTM.takeError();
    TM = std::move(*NewTM);
  }
  return TM.get();
}

namespace {
constexpr const char *CacheKeyMetadata = "hotjit.cache.key";
} // namespace

void Compiler::setCacheKey(Module &M, StringRef Key) {
  NamedMDNode *N = M.getOrInsertNamedMetadata(CacheKeyMetadata);
  N->clearOperands();
  N->addOperand(MDNode::get(M.getContext(), MDString::get(M.getContext(), Key)));
}

std::string Compiler::cacheKey(const Module &M, unsigned Level) const {
  const NamedMDNode *N = M.getNamedMetadata(CacheKeyMetadata);
  if (!N || N->getNumOperands() != 1)
    return "";
  const auto *Key = dyn_cast<MDString>(N->getOperand(0)->getOperand(0));
  if (!Key)
    return "";
  std::string Input = KeySalt + "O" + std::to_string(Level) + "\n";
  Input += Key->getString();
  XXH128_hash_t H = xxh3_128bits(
      ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Input.data()), Input.size()));
  char Hex[33];
  std::snprintf(Hex, sizeof(Hex), "%016llx%016llx", (unsigned long long)H.high64,
                (unsigned long long)H.low64);
  return Hex;
}

Expected<std::unique_ptr<MemoryBuffer>> Compiler::operator()(Module &M) {
  unsigned Level = DefaultOptLevel;
  if (auto *Flag = mdconst::extract_or_null<ConstantInt>(M.getModuleFlag("hotjit.opt")))
    Level = std::min<unsigned>(3, static_cast<unsigned>(Flag->getZExtValue()));
  uint64_t Version = taggedVersion(M);

  std::string Key = Cache ? cacheKey(M, Level) : "";
  if (!Key.empty()) {
    auto T0 = Clock::now();
    std::unique_ptr<MemoryBuffer> Hit = Cache->find(Key);
    Counters.CacheLookupNs += nanosSince(T0);
    if (Hit) {
      auto Obj = WritableMemoryBuffer::getNewUninitMemBuffer(Hit->getBufferSize(),
                                                             M.getModuleIdentifier());
      std::memcpy(Obj->getBufferStart(), Hit->getBufferStart(), Hit->getBufferSize());
      if (Error Err = retagVersion(Obj->getBuffer(), UINT64_MAX, Version))
        consumeError(std::move(Err)); // Not an object: compile instead.
      else {
        ++Counters.CacheHits;
        return std::move(Obj);
      }
    }
  }

  auto TM = threadTargetMachine(Level);
  if (!TM)
    return TM.takeError();
  // The module owns its context (one per module), so the handler is ours.
  auto Handler = std::make_unique<ErrorCollector>();
  ErrorCollector *Collector = Handler.get();
  M.getContext().setDiagnosticHandler(std::move(Handler));
  auto T0 = Clock::now();
  optimize(M, **TM, Level);
  routeCallsThroughSlots(M);
  auto T1 = Clock::now();
  auto Obj = emitObject(M, **TM);
  Counters.OptimizeNs +=
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(T1 - T0).count());
  Counters.CodegenNs += nanosSince(T1);
  ++Counters.Compiled;
  if (!Collector->Errors.empty()) {
    if (Obj)
      Obj->reset();
    else
      consumeError(Obj.takeError());
    return make_error<StringError>(Collector->Errors, inconvertibleErrorCode());
  }
  if (Obj && !Key.empty()) {
    std::string Neutral = (*Obj)->getBuffer().str();
    if (Error Err = retagVersion(MutableArrayRef<char>(Neutral.data(), Neutral.size()), Version,
                                 UINT64_MAX))
      consumeError(std::move(Err));
    else
      Cache->store(Key, Neutral);
  }
  return Obj;
}

} // namespace hotjit
