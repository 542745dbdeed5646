// GDB JIT interface: a module with debug info (C fixtures compiled with clang
// -g) is registered while its code lives and unregistered when it is freed;
// real gdb stops in it by name, shows file:line in a backtrace, follows a
// swap, and keeps hitting a breakpoint by name across many swaps.
#include "EngineTestCommon.h"

#include "llvm/ExecutionEngine/Orc/TargetProcess/JITLoaderGDB.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <sys/wait.h>
#include <thread>

using namespace hotjit;
using namespace hotjit::test;

extern "C" jit_descriptor __jit_debug_descriptor;

namespace {

std::string fixture(const char *Name) { return std::string(HOTJIT_IR_FIXTURES_DIR) + "/" + Name; }

void *implementationBehind(void *Stub) {
  auto *P = static_cast<const uint8_t *>(Stub);
  int32_t Disp;
  std::memcpy(&Disp, P + 2, 4);
  return *reinterpret_cast<void *const *>(P + 6 + Disp);
}

/// One registered object as the debugger would read it.
struct Registered {
  uint64_t TextAddr = 0, TextSize = 0;
  std::vector<std::string> Functions; ///< STT_FUNC symbol names.
};

std::vector<Registered> registeredObjects() {
  using ELFT = llvm::object::ELF64LE;
  std::vector<Registered> Out;
  for (jit_code_entry *J = __jit_debug_descriptor.first_entry; J; J = J->next_entry) {
    Registered R;
    auto ELF =
        llvm::object::ELFFile<ELFT>::create(llvm::StringRef(J->symfile_addr, J->symfile_size));
    EXPECT_TRUE(!!ELF) << "registered object is not ELF";
    if (!ELF) {
      llvm::consumeError(ELF.takeError());
      continue;
    }
    auto Sections = llvm::cantFail(ELF->sections());
    for (const ELFT::Shdr &S : Sections) {
      if (llvm::cantFail(ELF->getSectionName(S)) == ".text") {
        R.TextAddr = S.sh_addr;
        R.TextSize = S.sh_size;
      }
      if (S.sh_type != llvm::ELF::SHT_SYMTAB)
        continue;
      llvm::StringRef StrTab = llvm::cantFail(ELF->getStringTableForSymtab(S));
      for (const ELFT::Sym &Sym : llvm::cantFail(ELF->symbols(&S)))
        if (Sym.getType() == llvm::ELF::STT_FUNC)
          R.Functions.push_back(llvm::cantFail(Sym.getName(StrTab)).str());
    }
    Out.push_back(std::move(R));
  }
  return Out;
}

/// Registered objects that define a version of dbg_scale.
std::vector<Registered> scaleObjects() {
  std::vector<Registered> Out;
  for (Registered &R : registeredObjects())
    for (const std::string &F : R.Functions)
      if (llvm::StringRef(F).starts_with("dbg_scale.")) {
        Out.push_back(R);
        break;
      }
  return Out;
}

bool contains(const Registered &R, const void *Code) {
  auto A = reinterpret_cast<uint64_t>(Code);
  return A >= R.TextAddr && A < R.TextAddr + R.TextSize;
}

class DebugInfoTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.OptLevel = 0;
    O.ReclaimDelay = std::chrono::microseconds(0);
    return O;
  }
};

TEST_F(DebugInfoTest, ObjectIsRegisteredWhileItsCodeLivesAndNoLonger) {
  size_t Before = registeredObjects().size();
  mustCommit(Eng->add("dbg", ModuleSource::fromFile(fixture("dbg_v1.ll"))));
  void *Stub = checked(Eng->lookupAddress("dbg_scale"));
  void *V1 = implementationBehind(Stub);
  auto Objs = scaleObjects();
  ASSERT_EQ(Objs.size(), 1u);
  EXPECT_TRUE(contains(Objs[0], V1)) << "section addresses are the load addresses";

  // Both versions are registered while a pinned reader may run v1.
  PinnedThread Reader(Eng->epochs());
  mustCommit(Eng->replace("dbg", ModuleSource::fromFile(fixture("dbg_v2.ll"))));
  void *V2 = implementationBehind(Stub);
  EXPECT_EQ(scaleObjects().size(), 2u);
  Reader.release();
  Eng->waitForReclamation();
  Objs = scaleObjects();
  ASSERT_EQ(Objs.size(), 1u) << "the freed version left the descriptor list";
  EXPECT_TRUE(contains(Objs[0], V2));
  EXPECT_EQ(checked(Eng->call<int(int)>("dbg_scale", 4)), 22);
  Eng.reset();
  EXPECT_EQ(registeredObjects().size(), Before);
}

TEST_F(DebugInfoTest, ModulesWithoutDebugInfoAreNotRegistered) {
  size_t Before = registeredObjects().size();
  mustCommit(Eng->add("plain", ir(addFunction("plain", 1))));
  EXPECT_EQ(registeredObjects().size(), Before);
}

class DebugInfoOffTest : public DebugInfoTest {
protected:
  EngineOptions options() override {
    EngineOptions O = DebugInfoTest::options();
    O.DebugInfoRegistration = false;
    return O;
  }
};

TEST_F(DebugInfoOffTest, NothingIsRegistered) {
  size_t Before = registeredObjects().size();
  mustCommit(Eng->add("dbg", ModuleSource::fromFile(fixture("dbg_v1.ll"))));
  EXPECT_EQ(registeredObjects().size(), Before);
  EXPECT_EQ(checked(Eng->call<int(int)>("dbg_scale", 4)), 13);
}

/// Runs \p Command through the shell; returns its exit status and output.
std::pair<int, std::string> run(const std::string &Command) {
  std::string Out;
  FILE *P = ::popen((Command + " 2>&1").c_str(), "r");
  if (!P)
    return {-1, "popen failed"};
  std::array<char, 4096> Buf;
  while (size_t N = std::fread(Buf.data(), 1, Buf.size(), P))
    Out.append(Buf.data(), N);
  int Status = ::pclose(P);
  return {WIFEXITED(Status) ? WEXITSTATUS(Status) : -1, Out};
}

TEST(GdbTest, BreaksInJitFunctionByNameShowsSourceAndFollowsTheSwap) {
  HOTJIT_REQUIRE_TOOL(run("command -v gdb").first == 0,
                      "gdb is not installed (scripts/setup installs it)");
  if (std::string Why = ptraceRefused(); !Why.empty())
    GTEST_SKIP() << "this sandbox forbids ptrace: " << Why;
  // Running the program under gdb needs no ptrace-attach permission.
  // LeakSanitizer cannot stop a traced process's threads: no leak check under
  // gdb.
  std::string Cmd = "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" "
                    "timeout 120 gdb -batch -nx -q -ex 'set debuginfod enabled off' "
                    "-ex 'set breakpoint pending on' -ex 'break dbg_scale' -ex run -ex bt "
                    "-ex continue "
                    "-ex bt -ex continue --args '" HOTJIT_OBSERVED_PROGRAM "' gdb '" +
                    fixture("dbg_v1.ll") + "' '" + fixture("dbg_v2.ll") + "'";
  auto [Status, Out] = run(Cmd);
  ASSERT_EQ(Status, 0) << Out;
  // Two stops ("hit Breakpoint 1, dbg_scale (X=4) at .../dbg_v1.c:3", then in
  // v2), each followed by its backtrace: the JIT frame with file:line, then
  // the host frames gdb unwound through it.
  const std::string Frame0 = "#0  dbg_scale (X=4) at ";
  size_t First = Out.find(Frame0);
  ASSERT_NE(First, std::string::npos) << "no stop in dbg_scale by name:\n" << Out;
  size_t Second = Out.find(Frame0, First + 1);
  ASSERT_NE(Second, std::string::npos) << "the breakpoint missed v2:\n" << Out;
  auto LineOf = [&](size_t At) { return Out.substr(At, Out.find('\n', At) - At); };
  EXPECT_TRUE(llvm::StringRef(LineOf(First)).ends_with("dbg_v1.c:3")) << LineOf(First);
  EXPECT_TRUE(llvm::StringRef(LineOf(Second)).ends_with("dbg_v2.c:6")) << LineOf(Second);
  EXPECT_NE(Out.find(" main (", First), std::string::npos)
      << "backtrace does not reach main through the JIT frame:\n"
      << Out;
  EXPECT_NE(Out.find(" main (", Second), std::string::npos) << Out;
  EXPECT_NE(Out.find("hit Breakpoint 1, dbg_scale (X=4) at "), std::string::npos) << Out;
  EXPECT_NE(Out.find("v1 result: 13"), std::string::npos) << Out;
  EXPECT_NE(Out.find("v2 result: 22"), std::string::npos) << Out;
  EXPECT_NE(Out.find("jit entries after reclamation: 1"), std::string::npos)
      << "v1 is still registered after it was freed:\n"
      << Out;
}

TEST(GdbTest, BreakpointByNameHitsEveryCallOfEveryVersionWhileSwapping) {
  HOTJIT_REQUIRE_TOOL(run("command -v gdb").first == 0,
                      "gdb is not installed (scripts/setup installs it)");
  if (std::string Why = ptraceRefused(); !Why.empty())
    GTEST_SKIP() << "this sandbox forbids ptrace: " << Why;
  // The host replaces dbg_scale 200 times, alternating two versions, and
  // calls it once after each swap; retired versions are freed as fast as the
  // reclaimer can (ReclaimDelay 0), so freed code addresses are reused.
  constexpr int Swaps = 200;
  llvm::SmallString<128> Script;
  int FD;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("hotjit-gdb", "gdb", FD, Script));
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << "set debuginfod enabled off\n"
          "set breakpoint pending on\n"
          "break dbg_scale\n"
          "commands 1\nsilent\ncontinue\nend\n"
          "run\n"
          "info breakpoints\n";
  }
  std::string Cmd = "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" "
                    "timeout 300 gdb -batch -nx -q -x '" +
                    std::string(Script) + "' --args '" HOTJIT_OBSERVED_PROGRAM "' swap '" +
                    fixture("dbg_v1.ll") + "' '" + fixture("dbg_v2.ll") + "' " +
                    std::to_string(Swaps);
  auto [Status, Out] = run(Cmd);
  llvm::sys::fs::remove(Script);
  ASSERT_EQ(Status, 0) << Out;
  EXPECT_NE(Out.find("swapped calls: " + std::to_string(Swaps)), std::string::npos) << Out;
  EXPECT_NE(Out.find("breakpoint already hit " + std::to_string(Swaps) + " times"),
            std::string::npos)
      << "the breakpoint missed calls of some versions:\n"
      << Out;
  EXPECT_EQ(Out.find("Error removing breakpoint"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("Cannot remove breakpoints"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("warning:"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("JITed"), std::string::npos) << "gdb rejected a registered object:\n" << Out;
}

} // namespace
