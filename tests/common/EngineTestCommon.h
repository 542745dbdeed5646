// The one shared fixture of the engine tests: an engine, IR helpers, error matchers.
#ifndef HOTJIT_TESTS_COMMON_ENGINETESTCOMMON_H
#define HOTJIT_TESTS_COMMON_ENGINETESTCOMMON_H

#include "ToolProbes.h"
#include "hotjit/engine/Engine.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <source_location>
#include <string>
#include <thread>

#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hotjit::test {

/// IR of a module defining `i32 @Name()` that returns \p Value.
inline std::string constantFunction(const std::string &Name, int Value) {
  return "define i32 @" + Name + "() {\n  ret i32 " + std::to_string(Value) + "\n}\n";
}

/// IR of a module defining `i32 @Name(i32 %x)` that returns x + \p Delta.
inline std::string addFunction(const std::string &Name, int Delta) {
  return "define i32 @" + Name + "(i32 %x) {\n  %r = add i32 %x, " + std::to_string(Delta) +
         "\n  ret i32 %r\n}\n";
}

/// IR of `i32 @Name()` that spins through a short loop and returns \p Value:
/// callers spend most of their time inside it, so freeing it early is caught.
inline std::string spinningFunction(const std::string &Name, int Value) {
  return "define i32 @" + Name +
         "() {\n"
         "entry:\n  br label %loop\n"
         "loop:\n  %k = phi i32 [ 0, %entry ], [ %k1, %loop ]\n"
         "  %k1 = add i32 %k, 1\n  %done = icmp eq i32 %k1, 100\n"
         "  br i1 %done, label %out, label %loop\n"
         "out:\n  %z = and i32 %k1, 0\n  %r = add i32 %z, " +
         std::to_string(Value) + "\n  ret i32 %r\n}\n";
}

/// IR of a module defining `i32 @caller(i32 %x)` = callee(x) + 1000.
inline const char *const CallerIR = R"(
declare i32 @callee(i32)
define i32 @caller(i32 %x) {
  %r = call i32 @callee(i32 %x)
  %s = add i32 %r, 1000
  ret i32 %s
}
)";

/// Bitcode of the IR module \p Text (which must parse).
inline std::string bitcodeOf(const std::string &Text) {
  llvm::LLVMContext Ctx;
  llvm::SMDiagnostic Diag;
  auto M = llvm::parseAssemblyString(Text, Diag, Ctx);
  EXPECT_TRUE(!!M) << Diag.getMessage().str();
  std::string Bytes;
  if (!M)
    return Bytes;
  llvm::raw_string_ostream OS(Bytes);
  llvm::WriteBitcodeToFile(*M, OS);
  return Bytes;
}

/// Thrown by checked() after it recorded the failure: ends the test body
/// (gtest reports the exception as one more failure).
struct ExpectedFailed {};

/// The value of \p E; on error fails the test with the error's text (at the
/// caller's line) and throws ExpectedFailed. Dereferencing an unchecked
/// Expected is undefined when LLVM's ABI-breaking checks are off, so a failed
/// call or lookup would read as a garbage value instead of its message.
template <typename T>
T checked(llvm::Expected<T> E, std::source_location Where = std::source_location::current()) {
  if (!E) {
    ADD_FAILURE_AT(Where.file_name(), static_cast<int>(Where.line()))
        << llvm::toString(E.takeError());
    throw ExpectedFailed{};
  }
  return std::move(*E);
}

/// Why this process may not start a traced child (PTRACE_TRACEME, which gdb
/// uses to run a program), or "" when it may.
inline std::string ptraceRefused() {
  pid_t Child = ::fork();
  if (Child < 0)
    return std::string("fork: ") + std::strerror(errno);
  if (Child == 0) {
    if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0)
      ::_exit(errno);
    ::raise(SIGSTOP);
    ::_exit(0);
  }
  int Status = 0;
  ::waitpid(Child, &Status, 0);
  if (WIFSTOPPED(Status)) {
    ::kill(Child, SIGKILL);
    ::waitpid(Child, &Status, 0);
    return "";
  }
  if (WIFEXITED(Status) && WEXITSTATUS(Status) != 0)
    return std::string("ptrace(PTRACE_TRACEME): ") + std::strerror(WEXITSTATUS(Status));
  return "the traced child did not stop";
}

/// The value of \p V (Engine::versionOf); when it is empty, fails the test
/// at the caller's line and throws ExpectedFailed.
template <typename T>
T checked(std::optional<T> V, std::source_location Where = std::source_location::current()) {
  if (!V) {
    ADD_FAILURE_AT(Where.file_name(), static_cast<int>(Where.line()))
        << "no value (no such module or function)";
    throw ExpectedFailed{};
  }
  return *V;
}

/// Polls \p Done every millisecond until it holds or \p Limit passes;
/// returns whether it held. For waiting on an event the code under test
/// signals (a stall report, a counter), never for "long enough" delays.
inline bool waitUntil(const std::function<bool()> &Done,
                      std::chrono::milliseconds Limit = std::chrono::seconds(60)) {
  const auto Deadline = std::chrono::steady_clock::now() + Limit;
  while (!Done()) {
    if (std::chrono::steady_clock::now() > Deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

/// A thread that pins the engine's domain until told to let go.
class PinnedThread {
public:
  explicit PinnedThread(EpochDomain &D)
      : T([this, &D] {
          EpochGuard G(D);
          std::unique_lock<std::mutex> L(M);
          Pinned = true;
          CV.notify_all();
          CV.wait(L, [&] { return Release; });
        }) {
    std::unique_lock<std::mutex> L(M);
    CV.wait(L, [&] { return Pinned; });
  }
  ~PinnedThread() { release(); }
  void release() {
    {
      std::lock_guard<std::mutex> L(M);
      Release = true;
    }
    CV.notify_all();
    if (T.joinable())
      T.join();
  }

private:
  std::mutex M;
  std::condition_variable CV;
  bool Pinned = false, Release = false;
  std::thread T;
};

inline ModuleSource ir(std::string Text) { return ModuleSource::fromIR(std::move(Text)); }

class EngineTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto E = Engine::create(options());
    ASSERT_TRUE(!!E) << llvm::toString(E.takeError());
    Eng = std::move(*E);
  }
  void TearDown() override { Eng.reset(); }

  virtual EngineOptions options() {
    EngineOptions O;
    O.OptLevel = 1;
    O.CompileThreads = 2;
    return O;
  }

  /// Commits must succeed in set-up code.
  void mustCommit(llvm::Expected<CommitReport> R) {
    ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  }

  /// Asserts \p E failed with \p Kind and that its text holds every string of
  /// \p Needles (function and module names).
  template <typename T>
  void expectError(llvm::Expected<T> E, ErrorKind Kind,
                   std::initializer_list<std::string> Needles) {
    ASSERT_FALSE(!!E) << "expected an error";
    auto [K, Text] = takeError(E.takeError());
    EXPECT_EQ(static_cast<int>(K), static_cast<int>(Kind)) << Text;
    for (const std::string &N : Needles)
      EXPECT_NE(Text.find(N), std::string::npos) << "error text lacks '" << N << "': " << Text;
  }

  /// Calls `i32 Name()` and returns its result, failing the test on error.
  int callInt(const std::string &Name) {
    auto R = Eng->call<int()>(Name);
    if (!R) {
      ADD_FAILURE() << llvm::toString(R.takeError());
      return -1;
    }
    return *R;
  }

  std::unique_ptr<Engine> Eng;
};

} // namespace hotjit::test

#endif // HOTJIT_TESTS_COMMON_ENGINETESTCOMMON_H
