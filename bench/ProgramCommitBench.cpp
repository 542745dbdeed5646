// Commit time of a whole real program (the bitcode files given in $HOTJIT_PROGRAM_BITCODE,
// colon-separated: SQLite's sqlite3.c and shell.c, GoogleTest...) into a fresh engine, at each
// optimisation level, tiered (the time until the O0 version is callable) and from a warm
// CacheDirectory; and, as the peer, a plain ORC LLJIT that loads the same bitcode and
// materialises every module (one lookup per module). Each iteration is one whole load, timed
// with the wall clock (compilation runs on other threads). replaceProgram: a swap of the loaded
// program's first module by an edit of it, with and without partial replacement.
//
// bench/program-commit runs each benchmark in its own process, in alternating rounds, next to
// `clang -c` of the same sources, and prints the medians.
#include "hotjit/engine/Engine.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace hotjit;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> programFiles() {
  std::vector<std::string> Files;
  const char *List = std::getenv("HOTJIT_PROGRAM_BITCODE");
  std::string S = List ? List : "";
  for (size_t At = 0; At < S.size();) {
    size_t End = S.find(':', At);
    if (End == std::string::npos)
      End = S.size();
    if (End > At)
      Files.push_back(S.substr(At, End - At));
    At = End + 1;
  }
  return Files;
}

std::string moduleName(const std::string &Path) { return Path.substr(Path.find_last_of('/') + 1); }

enum class Mode { O0, O1, O2, Tiered, WarmCache };

void commitProgram(benchmark::State &State, Mode M) {
  const std::vector<std::string> Files = programFiles();
  if (Files.empty()) {
    State.SkipWithError("set HOTJIT_PROGRAM_BITCODE to the program's bitcode files");
    return;
  }
  std::string CacheDir;
  if (M == Mode::WarmCache) {
    llvm::SmallString<128> Dir;
    if (llvm::sys::fs::createUniqueDirectory("hotjit-bench-cache", Dir)) {
      State.SkipWithError("cannot create a cache directory");
      return;
    }
    CacheDir = Dir.str().str();
  }
  auto makeEngine = [&] {
    EngineOptions O;
    O.OptLevel = M == Mode::O0 ? 0 : M == Mode::O1 ? 1 : 2;
    O.Tiered = M == Mode::Tiered;
    O.CacheDirectory = CacheDir;
    O.DebugInfoRegistration = false;
    auto E = Engine::create(O);
    if (!E) {
      State.SkipWithError(llvm::toString(E.takeError()).c_str());
      return std::unique_ptr<Engine>();
    }
    return std::move(*E);
  };
  auto load = [&](Engine &E) {
    Batch B = E.batch();
    for (const std::string &F : Files)
      B.add(moduleName(F), ModuleSource::fromFile(F));
    auto R = B.commit();
    if (!R)
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
  };
  if (M == Mode::WarmCache) { // Fill the cache once, outside the timing.
    auto E = makeEngine();
    if (!E)
      return;
    load(*E);
  }
  for (auto _ : State) {
    auto E = makeEngine();
    if (!E)
      return;
    auto Start = Clock::now();
    load(*E); // Tiered: returns once the O0 version is published.
    State.SetIterationTime(std::chrono::duration<double>(Clock::now() - Start).count());
    State.PauseTiming();
    E.reset(); // Stops the tier-up thread and frees everything, untimed.
    State.ResumeTiming();
  }
  if (!CacheDir.empty())
    llvm::sys::fs::remove_directories(CacheDir);
}

/// Plain ORC: a default LLJIT (JITLink, concurrent compilation off, code generation at its
/// default level, no IR optimisation) loading the bitcode and materialising each module.
void lljitLoad(benchmark::State &State) {
  const std::vector<std::string> Files = programFiles();
  if (Files.empty()) {
    State.SkipWithError("set HOTJIT_PROGRAM_BITCODE to the program's bitcode files");
    return;
  }
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  for (auto _ : State) {
    auto Start = Clock::now();
    auto J = llvm::orc::LLJITBuilder().create();
    if (!J) {
      State.SkipWithError(llvm::toString(J.takeError()).c_str());
      return;
    }
    auto Gen = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
        (*J)->getDataLayout().getGlobalPrefix());
    if (!Gen) {
      State.SkipWithError(llvm::toString(Gen.takeError()).c_str());
      return;
    }
    (*J)->getMainJITDylib().addGenerator(std::move(*Gen));
    std::vector<std::string> Anchors; // One defined function per module.
    for (const std::string &F : Files) {
      auto Buf = llvm::MemoryBuffer::getFile(F);
      auto Ctx = std::make_unique<llvm::LLVMContext>();
      auto M = Buf ? llvm::parseBitcodeFile((*Buf)->getMemBufferRef(), *Ctx)
                   : llvm::Expected<std::unique_ptr<llvm::Module>>(
                         llvm::errorCodeToError(Buf.getError()));
      if (!M) {
        State.SkipWithError(llvm::toString(M.takeError()).c_str());
        return;
      }
      for (const llvm::Function &Fn : **M)
        if (!Fn.isDeclaration() && Fn.hasExternalLinkage()) {
          Anchors.push_back(Fn.getName().str());
          break;
        }
      if (auto Err =
              (*J)->addIRModule(llvm::orc::ThreadSafeModule(std::move(*M), std::move(Ctx)))) {
        State.SkipWithError(llvm::toString(std::move(Err)).c_str());
        return;
      }
    }
    for (const std::string &A : Anchors)
      if (auto Sym = (*J)->lookup(A); !Sym) {
        State.SkipWithError(llvm::toString(Sym.takeError()).c_str());
        return;
      }
    State.SetIterationTime(std::chrono::duration<double>(Clock::now() - Start).count());
    State.PauseTiming();
    J->reset();
    State.ResumeTiming();
  }
}

/// Replacing the program's first module (sqlite3.c) by an edit of it, object cache off: \p Edit
/// names the environment variable with the edited bitcode (HOTJIT_PROGRAM_EDIT_ONE: one function
/// changed; HOTJIT_PROGRAM_EDIT_EVERY: the file compiled otherwise, every function changed). The
/// program is loaded untimed; each iteration times one replacement, alternating between the edit
/// and the original, so every one changes the same functions. \p Partial: with partial replacement
/// (the default) or without (the whole module recompiled, as before it existed).
void replaceProgram(benchmark::State &State, const char *Edit, unsigned Level, bool Partial) {
  const std::vector<std::string> Files = programFiles();
  const char *Edited = std::getenv(Edit);
  if (Files.empty() || !Edited) {
    State.SkipWithError("set HOTJIT_PROGRAM_BITCODE and the edited bitcode's variable");
    return;
  }
  EngineOptions O;
  O.OptLevel = Level;
  O.ObjectCache = false;
  O.PartialReplacement = Partial;
  O.DebugInfoRegistration = false;
  auto E = Engine::create(O);
  if (!E) {
    State.SkipWithError(llvm::toString(E.takeError()).c_str());
    return;
  }
  Batch B = (*E)->batch();
  for (const std::string &F : Files)
    B.add(moduleName(F), ModuleSource::fromFile(F));
  if (auto R = B.commit(); !R) {
    State.SkipWithError(llvm::toString(R.takeError()).c_str());
    return;
  }
  const std::string Versions[2] = {Edited, Files[0]};
  unsigned Swap = 0;
  double Recompiled = 0, Kept = 0, ParseMs = 0, LinkMs = 0;
  for (auto _ : State) {
    auto Start = Clock::now();
    auto R = (*E)->replace(moduleName(Files[0]), ModuleSource::fromFile(Versions[Swap++ % 2]));
    State.SetIterationTime(std::chrono::duration<double>(Clock::now() - Start).count());
    if (!R) {
      State.SkipWithError(llvm::toString(R.takeError()).c_str());
      return;
    }
    Recompiled += R->RecompiledFunctions;
    Kept += R->KeptFunctions;
    ParseMs += R->Parse.count() / 1e6;
    LinkMs += R->Link.count() / 1e6;
  }
  State.counters["recompiled"] = Recompiled / Swap;
  State.counters["kept"] = Kept / Swap;
  State.counters["parse_ms"] = ParseMs / Swap;
  State.counters["link_ms"] = LinkMs / Swap;
}

#define REPLACE_BENCH(Name, ...)                                                                   \
  BENCHMARK_CAPTURE(replaceProgram, Name, __VA_ARGS__)                                             \
      ->Unit(benchmark::kMillisecond)                                                              \
      ->UseManualTime()                                                                            \
      ->Iterations(4)
REPLACE_BENCH(one_O1, "HOTJIT_PROGRAM_EDIT_ONE", 1, true);
REPLACE_BENCH(one_O2, "HOTJIT_PROGRAM_EDIT_ONE", 2, true);
REPLACE_BENCH(one_whole_O1, "HOTJIT_PROGRAM_EDIT_ONE", 1, false);
REPLACE_BENCH(one_whole_O2, "HOTJIT_PROGRAM_EDIT_ONE", 2, false);
REPLACE_BENCH(every_O1, "HOTJIT_PROGRAM_EDIT_EVERY", 1, true);
REPLACE_BENCH(every_whole_O1, "HOTJIT_PROGRAM_EDIT_EVERY", 1, false);

#define PROGRAM_BENCH(Name, Fn)                                                                    \
  BENCHMARK_CAPTURE(Fn, Name, Mode::Name)                                                          \
      ->Unit(benchmark::kMillisecond)                                                              \
      ->UseManualTime()                                                                            \
      ->Iterations(1)
PROGRAM_BENCH(O0, commitProgram);
PROGRAM_BENCH(O1, commitProgram);
PROGRAM_BENCH(O2, commitProgram);
PROGRAM_BENCH(Tiered, commitProgram);
PROGRAM_BENCH(WarmCache, commitProgram);
BENCHMARK(lljitLoad)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1);

} // namespace

BENCHMARK_MAIN();
