// End-to-end tests of the hotjit program: `hotjit run` against the same program built natively by
// clang, `--watch` on files edited while the program runs, and `--repeat` on caller threads.
#include "ToolProbes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace {

using Clock = std::chrono::steady_clock;

/// Generous: the sanitizer builds start the engine and clang slowly.
constexpr std::chrono::seconds Patience{60};

/// The C compiler that builds the native oracle: $HOTJIT_CC, as hotjit run uses, else clang-22.
std::string nativeCompiler() {
  const char *Env = std::getenv("HOTJIT_CC");
  return Env && *Env ? Env : "clang-22";
}

/// A child process (found on PATH) with its stdout and stderr captured and its stdin read from
/// a file.
class ChildProcess {
public:
  /// Runs \p Program with \p Argv (Argv[0] included) in \p Dir, with this process's
  /// environment plus \p Env ("NAME=VALUE", replacing an inherited NAME).
  ChildProcess(const std::string &Program, std::vector<std::string> Argv, const std::string &Dir,
               const std::string &Stdin = "/dev/null", std::vector<std::string> Env = {}) {
    int Out[2], Err[2];
    if (::pipe2(Out, O_CLOEXEC) || ::pipe2(Err, O_CLOEXEC)) {
      ADD_FAILURE() << "pipe: " << std::strerror(errno);
      return;
    }
    posix_spawn_file_actions_t Actions;
    posix_spawn_file_actions_init(&Actions);
    posix_spawn_file_actions_addchdir_np(&Actions, Dir.c_str());
    posix_spawn_file_actions_addopen(&Actions, 0, Stdin.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&Actions, Out[1], 1);
    posix_spawn_file_actions_adddup2(&Actions, Err[1], 2);
    std::vector<char *> Args;
    for (std::string &A : Argv)
      Args.push_back(A.data());
    Args.push_back(nullptr);
    std::vector<char *> Envp;
    auto Overridden = [&](const char *V) { // NAME=... given again in Env: Env's value counts.
      return std::any_of(Env.begin(), Env.end(), [&](const std::string &E) {
        size_t Eq = E.find('=');
        return std::strncmp(V, E.c_str(), Eq + 1) == 0;
      });
    };
    for (char **V = environ; *V; ++V)
      if (!Overridden(*V))
        Envp.push_back(*V);
    for (std::string &V : Env)
      Envp.push_back(V.data());
    Envp.push_back(nullptr);
    int E = posix_spawnp(&Pid, Program.c_str(), &Actions, nullptr, Args.data(), Envp.data());
    posix_spawn_file_actions_destroy(&Actions);
    ::close(Out[1]);
    ::close(Err[1]);
    Fds[0] = Out[0];
    Fds[1] = Err[0];
    if (E) {
      ADD_FAILURE() << "cannot start " << Program << ": " << std::strerror(E);
      Pid = -1;
    }
  }

  ~ChildProcess() {
    if (Pid > 0) {
      ::kill(Pid, SIGKILL);
      exitStatus();
    }
    for (int Fd : Fds)
      if (Fd >= 0)
        ::close(Fd);
  }

  /// Waits until stdout (or stderr) holds \p Needle at or after \p From;
  /// returns where it ends, or std::string::npos after Patience.
  size_t waitFor(const std::string &Needle, size_t From = 0, bool Stderr = false) {
    auto Deadline = Clock::now() + Patience;
    const std::string &Text = Stderr ? Err : Out;
    for (bool Open = true;;) {
      if (size_t At = Text.find(Needle, From); At != std::string::npos)
        return At + Needle.size();
      if (!Open || Clock::now() >= Deadline)
        return std::string::npos;
      Open = pump(std::chrono::milliseconds(100));
    }
  }

  /// Sends \p Signal, then waits for the exit status (-1: not a normal exit).
  int stop(int Signal) {
    ::kill(Pid, Signal);
    return exitStatus();
  }

  /// Reads everything until both pipes close (at most Patience, then kills
  /// it), then returns the exit status (-1: not a normal exit).
  int exitStatus() {
    auto Deadline = Clock::now() + Patience;
    while (pump(std::chrono::milliseconds(100)))
      if (Clock::now() >= Deadline && Pid > 0) {
        ADD_FAILURE() << "still running after " << Patience.count() << " s; killed";
        ::kill(Pid, SIGKILL);
        Deadline = Clock::time_point::max();
      }
    int Status = 0;
    while (Pid > 0 && ::waitpid(Pid, &Status, 0) < 0 && errno == EINTR)
      ;
    Pid = -1;
    return WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  }

  std::string Out, Err;

private:
  /// Reads what is available within \p Timeout; false once both pipes closed.
  bool pump(std::chrono::milliseconds Timeout) {
    pollfd P[2] = {{Fds[0], POLLIN, 0}, {Fds[1], POLLIN, 0}};
    if (Fds[0] < 0 && Fds[1] < 0)
      return false;
    if (::poll(P, 2, static_cast<int>(Timeout.count())) < 0)
      return errno == EINTR;
    for (int I = 0; I < 2; ++I) {
      if (!P[I].revents)
        continue;
      char Buf[4096];
      ssize_t N = ::read(Fds[I], Buf, sizeof(Buf));
      if (N > 0) {
        (I ? Err : Out).append(Buf, static_cast<size_t>(N));
      } else if (N == 0) {
        ::close(Fds[I]);
        Fds[I] = -1;
      }
    }
    return true;
  }

  pid_t Pid = -1;
  int Fds[2] = {-1, -1};
};

/// The hotjit program, run as `hotjit ARGS...` in \p Dir.
class ToolProcess : public ChildProcess {
public:
  explicit ToolProcess(std::vector<std::string> Args, const std::string &Dir = ".",
                       const std::string &Stdin = "/dev/null", std::vector<std::string> Env = {})
      : ChildProcess(HOTJIT_TOOL, withArgv0(std::move(Args)), Dir, Stdin, std::move(Env)) {}

private:
  static std::vector<std::string> withArgv0(std::vector<std::string> Args) {
    Args.insert(Args.begin(), HOTJIT_TOOL);
    return Args;
  }
};

/// What a finished program left: its exit status and output.
struct Outcome {
  int Status;
  std::string Out, Err;
};

/// A fresh directory for one test's source files.
class RunCommandTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string Template = ::testing::TempDir() + "hotjit-run-test-XXXXXX";
    ASSERT_NE(::mkdtemp(Template.data()), nullptr) << std::strerror(errno);
    Dir = Template;
  }
  void TearDown() override { std::system(("rm -rf '" + Dir + "'").c_str()); }

  /// Writes \p Name in place (open, truncate, write, close).
  void writeFile(const std::string &Name, const std::string &Text) {
    std::ofstream(Dir + "/" + Name, std::ios::binary) << Text;
  }
  /// Saves \p Name the way many editors do: a new file renamed over it.
  void saveByRename(const std::string &Name, const std::string &Text) {
    writeFile(Name + ".swp", Text);
    ASSERT_EQ(std::rename((Dir + "/" + Name + ".swp").c_str(), (Dir + "/" + Name).c_str()), 0);
  }
  /// Writes a C compiler for HOTJIT_CC, \p Name: clang-22 after \p Seconds of sleep (always, or
  /// only while file \p OnlyWhile exists), which it begins by creating file NAME.sleeping.
  /// Returns "HOTJIT_CC=<its path>".
  std::string writeSlowCompiler(const std::string &Name, double Seconds,
                                const std::string &OnlyWhile = "") {
    std::string Sleep =
        "touch '" + Dir + "/" + Name + ".sleeping'; sleep " + std::to_string(Seconds) + "\n";
    if (!OnlyWhile.empty())
      Sleep = "if [ -e '" + Dir + "/" + OnlyWhile + "' ]; then " + Sleep + "fi\n";
    writeFile(Name, "#!/bin/sh\n" + Sleep + "exec " + nativeCompiler() + " \"$@\"\n");
    EXPECT_EQ(::chmod((Dir + "/" + Name).c_str(), 0755), 0);
    return "HOTJIT_CC=" + Dir + "/" + Name;
  }
  bool exists(const std::string &Name) { return ::access((Dir + "/" + Name).c_str(), F_OK) == 0; }

  /// Builds \p Sources natively into executable \p Name with clang (the
  /// oracle); fails the test when clang is missing or fails.
  void buildNative(const std::vector<std::string> &Sources, const std::string &Name) {
    std::vector<std::string> Argv = {nativeCompiler(), "-O1", "-o", Name};
    Argv.insert(Argv.end(), Sources.begin(), Sources.end());
    ChildProcess Clang(Argv[0], Argv, Dir);
    ASSERT_EQ(Clang.exitStatus(), 0) << Argv[0] << ": " << Clang.Out << Clang.Err;
  }

  /// Runs the native executable \p Name with argv[0] = \p Argv0.
  Outcome runNative(const std::string &Name, const std::string &Argv0,
                    std::vector<std::string> Args = {}, const std::string &Stdin = "/dev/null") {
    Args.insert(Args.begin(), Argv0);
    ChildProcess P("./" + Name, Args, Dir, Stdin);
    int Status = P.exitStatus();
    return {Status, P.Out, P.Err};
  }

  /// Runs `hotjit ARGS...`.
  Outcome runTool(std::vector<std::string> Args, const std::string &Stdin = "/dev/null",
                  std::vector<std::string> Env = {}) {
    ToolProcess P(std::move(Args), Dir, Stdin, std::move(Env));
    int Status = P.exitStatus();
    return {Status, P.Out, P.Err};
  }

  std::string Dir;
};

/// Expects the same exit status and byte-identical stdout and stderr.
void expectSameOutcome(const Outcome &Native, const Outcome &Jit) {
  EXPECT_EQ(Jit.Status, Native.Status) << Jit.Err;
  EXPECT_EQ(Jit.Out, Native.Out);
  EXPECT_EQ(Jit.Err, Native.Err);
}

// A filter in two files: arguments, stdin to stdout, a line on stderr, bytes that are not text,
// and a result above 255 (the status keeps its low byte).
constexpr const char *FilterMain = R"(#include <stdio.h>
#include <string.h>
int shout(int c);
int main(int argc, char **argv) {
  printf("argc %d, argv[0] %s\n", argc, argv[0]);
  for (int i = 1; i < argc; ++i)
    printf("argv[%d] %s\n", i, argv[i]);
  if (argv[argc] != NULL)
    return 99;
  int c, lines = 0;
  while ((c = getchar()) != EOF) {
    lines += c == '\n';
    putchar(shout(c));
  }
  for (int b = 0; b < 256; ++b)
    putchar(b);
  fprintf(stderr, "%d lines\n", lines);
  return 256 + lines;
}
)";
constexpr const char *FilterShout = R"(#include <ctype.h>
int shout(int c) { return toupper(c); }
)";

TEST_F(RunCommandTest, RunsLikeTheNativeBuild) {
  writeFile("filter.c", FilterMain);
  writeFile("shout.c", FilterShout);
  writeFile("input.txt", "one\nTwo three\n\nfour\n");
  ASSERT_NO_FATAL_FAILURE(buildNative({"filter.c", "shout.c"}, "filter"));

  Outcome Native = runNative("filter", "filter", {"a b", "", "-x"}, "input.txt");
  ASSERT_EQ(Native.Status, 4) << Native.Err;
  Outcome Jit = runTool({"run", "filter.c", "shout.c", "--", "a b", "", "-x"}, "input.txt");
  expectSameOutcome(Native, Jit);

  // --name sets argv[0]; options may follow the files.
  Native = runNative("filter", "upper", {}, "input.txt");
  Jit = runTool({"run", "filter.c", "shout.c", "--name", "upper"}, "input.txt");
  expectSameOutcome(Native, Jit);
}

// The thread state a native main starts with: no floating-point exception raised, round to
// nearest, every exception masked (x87 control word and MXCSR), errno 0.
constexpr const char *StartStateProgram = R"(#include <errno.h>
#include <fenv.h>
#include <stdio.h>
int main(void) {
  int raised = fetestexcept(FE_ALL_EXCEPT);
  int round = fegetround();
  int err = errno;
  unsigned mxcsr = 0;
  unsigned short x87 = 0;
#if defined(__x86_64__)
  __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
  __asm__ volatile("fnstcw %0" : "=m"(x87));
#endif
  printf("raised %#x, rounding %#x, errno %d, mxcsr %#x, x87 control %#x\n", raised, round,
         err, mxcsr, x87);
  return raised != 0;
}
)";

TEST_F(RunCommandTest, MainStartsWithTheFloatingPointStateOfANativeMain) {
  writeFile("fenv.c", StartStateProgram);
  ASSERT_NO_FATAL_FAILURE(buildNative({"fenv.c", "-lm"}, "fenv"));
  Outcome Native = runNative("fenv", "fenv");
  ASSERT_EQ(Native.Status, 0) << Native.Out;
  expectSameOutcome(Native, runTool({"run", "fenv.c"}));
  expectSameOutcome(Native, runTool({"run", "--opt", "0", "fenv.c"}));
  expectSameOutcome(Native, runTool({"run", "--watch", "fenv.c"}));
}

// --cflag and $HOTJIT_CC take words as CFLAGS and CC do: "-DA=1 -DB=2" is two flags, quotes keep
// a space inside one, and the compiler variable may carry arguments.
TEST_F(RunCommandTest, CompilerFlagsAndCompilerVariablesAreSplitIntoWords) {
  writeFile("sum.c", "#include <string.h>\n"
                     "int main(void) { return A + B + C + (int)strlen(S); }\n");
  Outcome R = runTool({"run", "sum.c", "--cflag", "-DA=1 -DB=2", "--cflag=-DS=\"\\\"a b\\\"\""},
                      "/dev/null", {"HOTJIT_CC=clang-22 -DC=4"});
  EXPECT_EQ(R.Status, 10) << R.Err;
}

// --extra-object (lli's option): an object file the program calls into, as the native link of
// the same object gives; a missing one is an error naming it.
TEST_F(RunCommandTest, ExtraObjectsLinkAsTheNativeBuildLinksThem) {
  writeFile("greet.c", "#include <string.h>\n"
                       "int greet(const char *who) { return (int)strlen(who) * 10 + 1; }\n");
  writeFile("main.c", "int greet(const char *who);\n"
                      "int main(void) { return greet(\"four\"); }\n");
  ASSERT_EQ(std::system(("cd '" + Dir + "' && clang-22 -c -O1 greet.c -o greet.o").c_str()), 0);
  Outcome R = runTool({"run", "main.c", "--extra-object", "greet.o"});
  EXPECT_EQ(R.Status, 41) << R.Err;
  Outcome Missing = runTool({"run", "main.c", "--extra-object=nothere.o"});
  EXPECT_NE(Missing.Status, 0);
  EXPECT_NE(Missing.Err.find("--extra-object nothere.o: no such file"), std::string::npos)
      << Missing.Err;
}

// A loaded library that calls back into the program (the native modules of an interpreter): the
// program's functions are visible to it as a native `-rdynamic` link makes them.
TEST_F(RunCommandTest, LibrariesCallTheProgramsFunctionsAsWithRdynamic) {
  writeFile("plugin.c", "int twice(int x);\n"
                        "int plugin_run(int x) { return twice(x) + 1; }\n");
  writeFile("main.c", "int twice(int x) { return 2 * x; }\n"
                      "int plugin_run(int x);\n"
                      "int main(void) { return plugin_run(20); }\n");
  ASSERT_EQ(std::system(("cd '" + Dir + "' && clang-22 -shared -fPIC plugin.c -o libplugin.so " +
                         "&& clang-22 -rdynamic main.c -L. -lplugin -Wl,-rpath,. -o native")
                            .c_str()),
            0);
  Outcome Native = runNative("native", "main");
  EXPECT_EQ(Native.Status, 41);
  expectSameOutcome(Native, runTool({"run", "main.c", "-L", ".", "-l", "plugin"}));
}

TEST_F(RunCommandTest, DeeplyNestedIRIsAnErrorNotACrash) {
  // 200 KB of nested struct types: the tool and the engine refuse it before LLVM's parser
  // could overflow the stack.
  std::string Deep = "@g = global " + std::string(100000, '{') + "i32" + std::string(100000, '}') +
                     " zeroinitializer\n" + "define i32 @main() {\n  ret i32 0\n}\n";
  writeFile("deep.ll", Deep);
  Outcome R = runTool({"run", "deep.ll"});
  EXPECT_EQ(R.Status, 125) << R.Err;
  EXPECT_NE(R.Err.find("module 'deep.ll' nests brackets deeper than 1024 levels"),
            std::string::npos)
      << R.Err;
}

// Exit by exit() from a callee, with output still buffered, a large write to a pipe, and
// handlers registered with atexit() that print.
constexpr const char *ExitingProgram = R"(#include <stdio.h>
#include <stdlib.h>
static char Buffer[1 << 16];
static void first(void) { puts("first handler"); }
static void last(void) { printf("last handler"); }
static void leave(int status) { exit(status); }
int main(int argc, char **argv) {
  setvbuf(stdout, Buffer, _IOFBF, sizeof(Buffer));
  atexit(last);
  atexit(first);
  for (int i = 0; i < 20000; ++i)
    printf("line %d of %s\n", i, argv[0]);
  printf("no newline, still buffered");
  leave(argc + 6);
  return 1;
}
)";

TEST_F(RunCommandTest, ExitFromTheProgramRunsItsHandlersAndFlushes) {
  writeFile("leave.c", ExitingProgram);
  ASSERT_NO_FATAL_FAILURE(buildNative({"leave.c"}, "leave"));
  Outcome Native = runNative("leave", "leave", {"x"});
  ASSERT_EQ(Native.Status, 8) << Native.Err;
  ASSERT_NE(Native.Out.find("still bufferedfirst handler\nlast handler"), std::string::npos);
  expectSameOutcome(Native, runTool({"run", "leave.c", "--", "x"}));
  // The same while the watcher thread runs.
  expectSameOutcome(Native, runTool({"run", "--watch", "leave.c", "--", "x"}));
}

// Ordinary C++: iostream (a static constructor in every file that includes it with GCC's
// libstdc++), a global object with a constructor and a destructor that prints at exit, a
// function-local static, an inline function and a template shared by two files.
constexpr const char *CxxMain = R"(#include <iostream>
#include <map>
#include <string>
#include "shared.h"
struct Registry {
  std::map<std::string, int> Items;
  Registry() { Items["built"] = 1; }
  ~Registry() { std::cout << "registry destroyed with " << Items.size() << " items\n"; }
};
Registry registry;
const std::string &banner() {
  static std::string s(40, '=');
  return s;
}
int main(int argc, char **argv) {
  std::cout << banner() << "\nhello from " << argv[0] << "\n";
  registry.Items["main"] = argc;
  registry.Items["other"] = other_file(argc);
  for (auto &[k, v] : registry.Items)
    std::cout << k << " " << v << "\n";
  std::cout << "same inline function: " << (&twice<int> == twice_seen_by_other()) << "\n";
  std::cerr << "done\n";
  return 3;
}
)";
constexpr const char *CxxShared = R"(#pragma once
template <class T> T twice(T v) { return v + v; }
int other_file(int);
int (*twice_seen_by_other())(int);
)";
constexpr const char *CxxOther = R"(#include <iostream>
#include <vector>
#include "shared.h"
static std::vector<int> values = {1, 2, 3};
int other_file(int n) { return twice(n) + static_cast<int>(values.size()); }
int (*twice_seen_by_other())(int) { return &twice<int>; }
)";

TEST_F(RunCommandTest, RunsOrdinaryCxxLikeTheNativeBuild) {
  writeFile("main.cpp", CxxMain);
  writeFile("shared.h", CxxShared);
  writeFile("other.cpp", CxxOther);
  std::vector<std::string> Argv = {"clang++-22", "-O1", "-o", "prog", "main.cpp", "other.cpp"};
  ChildProcess Clang(Argv[0], Argv, Dir);
  ASSERT_EQ(Clang.exitStatus(), 0) << Clang.Out << Clang.Err;
  Outcome Native = runNative("prog", "main", {"x"});
  ASSERT_EQ(Native.Status, 3) << Native.Err;
  ASSERT_NE(Native.Out.find("registry destroyed with 3 items"), std::string::npos) << Native.Out;
  expectSameOutcome(Native, runTool({"run", "main.cpp", "other.cpp", "--", "x"}));
}

TEST_F(RunCommandTest, OtherEntryTypes) {
  writeFile("seven.c", "int main(void) { return 7; }\n");
  EXPECT_EQ(runTool({"run", "seven.c"}).Status, 7);

  writeFile("env.c", "#include <stdio.h>\n#include <stdlib.h>\n"
                     "int main(int argc, char **argv, char **envp) {\n"
                     "  printf(\"%s %d\\n\", getenv(\"HOME\") ? \"home\" : \"none\",\n"
                     "         envp[0] != NULL);\n  return 0;\n}\n");
  ASSERT_NO_FATAL_FAILURE(buildNative({"env.c"}, "env"));
  expectSameOutcome(runNative("env", "env"), runTool({"run", "env.c"}));

  writeFile("hello.ll", "@s = private constant [6 x i8] c\"hello\\00\"\n"
                        "declare i32 @puts(ptr)\n"
                        "define void @start() {\n  call i32 @puts(ptr @s)\n  ret void\n}\n");
  Outcome Void = runTool({"run", "hello.ll", "--entry", "start"});
  EXPECT_EQ(Void.Status, 0) << Void.Err;
  EXPECT_EQ(Void.Out, "hello\n");
  EXPECT_EQ(Void.Err, "");
}

// A program that keeps running: main polls value() from another file until a file named "stop"
// appears, printing each new value, then returns 3.
constexpr const char *PollingMain = R"(#include <stdio.h>
#include <unistd.h>
int value(void);
int main(void) {
  int last = -1;
  while (access("stop", F_OK) != 0) {
    int v = value();
    if (v != last)
      printf("value %d\n", last = v);
    fflush(stdout);
    usleep(5000);
  }
  return 3;
}
)";

std::string valueFile(int V) { return "int value(void) { return " + std::to_string(V) + "; }\n"; }

TEST_F(RunCommandTest, WatchSwapsSavedFilesWhileMainKeepsRunning) {
  writeFile("poll.c", PollingMain);
  writeFile("value.c", valueFile(1));
  ToolProcess Tool({"run", "poll.c", "value.c", "--watch"}, Dir);
  size_t At = Tool.waitFor("value 1\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // A save by rename: swapped while main runs; main sees the new value.
  saveByRename("value.c", valueFile(2));
  size_t ErrAt = Tool.waitFor("hotjit: value.c: swapped in", 0, /*Stderr=*/true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  At = Tool.waitFor("value 2\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // A broken edit, written in place: clang's diagnostic, and 2 stays.
  writeFile("value.c", "int value(void) { return 44 +; }\n");
  ErrAt = Tool.waitFor("error: expected expression", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  EXPECT_NE(Tool.Err.find("hotjit: value.c: clang"), std::string::npos) << Tool.Err;
  ErrAt = Tool.waitFor("hotjit: value.c: the previous version keeps running", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;

  // An edit that compiles but does not link: the engine's error names it.
  saveByRename("value.c", "int helper(void);\nint value(void) { return helper(); }\n");
  ErrAt = Tool.waitFor("undefined function 'helper' (called by module 'value.c')", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  ErrAt = Tool.waitFor("hotjit: value.c: the previous version keeps running", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;

  // Fixed again: swapped in.
  writeFile("value.c", valueFile(5));
  ASSERT_NE(Tool.waitFor("value 5\n", At), std::string::npos) << Tool.Out << Tool.Err;

  // main returns: hotjit exits with its status, and stdout holds only the program's lines.
  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;
  EXPECT_EQ(Tool.Out, "value 1\nvalue 2\nvalue 5\n");
}

// Partial replacement: a save recompiles the functions the edit reached, and says so.
TEST_F(RunCommandTest, WatchRecompilesOnlyTheFunctionsAnEditReached) {
  auto ValueFile = [](int V) {
    return "int twice(int x) { return 2 * x; }\n"
           "int thrice(int x) { return 3 * x; }\n"
           "int value(void) { return twice(" +
           std::to_string(V) + "); }\n";
  };
  writeFile("poll.c", PollingMain);
  writeFile("value.c", ValueFile(1));
  ToolProcess Tool({"run", "poll.c", "value.c", "--watch"}, Dir);
  size_t At = Tool.waitFor("value 2\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;
  saveByRename("value.c", ValueFile(21));
  size_t ErrAt = Tool.waitFor("hotjit: value.c: swapped in", 0, /*Stderr=*/true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  EXPECT_NE(Tool.Err.find("1 of 3 functions recompiled", ErrAt), std::string::npos) << Tool.Err;
  ASSERT_NE(Tool.waitFor("value 42\n", At), std::string::npos) << Tool.Out << Tool.Err;
  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;
}

TEST_F(RunCommandTest, RepeatCallsTheEntryOnCallerThreadsAndSwapsSavedEdits) {
  auto ConstantMain = [](int V) {
    return "int main(void) { return " + std::to_string(V) + "; }\n";
  };
  writeFile("live.c", ConstantMain(42));
  ToolProcess Tool({"run", "live.c", "--repeat", "--watch", "--threads", "2", "--interval", "0.1",
                    "--seconds", "120"},
                   Dir);
  size_t At = Tool.waitFor("main() = 42", 0, /*Stderr=*/true);
  ASSERT_NE(At, std::string::npos) << Tool.Err;

  saveByRename("live.c", ConstantMain(43));
  At = Tool.waitFor("live.c: swapped in", At, true);
  ASSERT_NE(At, std::string::npos) << Tool.Err;
  At = Tool.waitFor("main() = 43", At, true);
  ASSERT_NE(At, std::string::npos) << Tool.Err;

  // The callers hold a handle of main's type: an edit that changes it is refused.
  writeFile("live.c", "long main(void) { return 44; }\n");
  At = Tool.waitFor("'main' changes type from 'i32 ()' to 'i64 ()'", At, true);
  ASSERT_NE(At, std::string::npos) << Tool.Err;
  At = Tool.waitFor("main() = 43", Tool.waitFor("main() = 43", At, true), true);
  ASSERT_NE(At, std::string::npos) << Tool.Err;

  writeFile("live.c", ConstantMain(45));
  ASSERT_NE(Tool.waitFor("main() = 45", At, true), std::string::npos) << Tool.Err;

  EXPECT_EQ(Tool.stop(SIGINT), 0) << Tool.Err;
  EXPECT_EQ(Tool.Out, "");
  EXPECT_EQ(Tool.Err.find("= 44"), std::string::npos) << Tool.Err;
  EXPECT_NE(Tool.Err.find("swaps   2 (failed 1)"), std::string::npos) << Tool.Err;
}

TEST_F(RunCommandTest, RepeatRunsSeveralFilesForTheGivenTimeWithArguments) {
  writeFile("lib.c", "int scale(int x) { return x * 10; }\n");
  writeFile("main.c", "#include <string.h>\nint scale(int);\n"
                      "int main(int argc, char **argv) {\n"
                      "  return scale(argc) + (int)strlen(argv[2]);\n}\n");
  Outcome R = runTool({"run", "--repeat", "main.c", "lib.c", "--seconds", "0.5", "--interval",
                       "0.1", "--", "a", "four"});
  EXPECT_EQ(R.Status, 0) << R.Err;
  EXPECT_NE(R.Err.find("main(argc, argv) = 34"), std::string::npos) << R.Err;
  EXPECT_EQ(R.Out, "");
}

// A program that calls a function and reads a global of a shared library built by the test.
constexpr const char *GreetLibrary = R"(int greet_twice(int x) { return 2 * x + 1; }
const char *greet_name = "libgreet";
)";
constexpr const char *GreetMain = R"(#include <stdio.h>
int greet_twice(int);
extern const char *greet_name;
int main(void) {
  printf("%s says %d\n", greet_name, greet_twice(20));
  return 5;
}
)";

TEST_F(RunCommandTest, LibrariesGivenWithLOrDlopenResolveForTheProgram) {
  writeFile("greet.c", GreetLibrary);
  writeFile("main.c", GreetMain);
  ASSERT_EQ(::mkdir((Dir + "/sub").c_str(), 0755), 0);
  ASSERT_NO_FATAL_FAILURE(buildNative({"-shared", "-fPIC", "greet.c"}, "sub/libgreet.so"));
  ASSERT_NO_FATAL_FAILURE(
      buildNative({"main.c", "-Lsub", "-lgreet", "-Wl,-rpath,$ORIGIN/sub"}, "prog"));
  Outcome Native = runNative("prog", "prog");
  ASSERT_EQ(Native.Status, 5) << Native.Err;
  ASSERT_EQ(Native.Out, "libgreet says 41\n");

  // Without the library: the missing symbol, and the command line's way to provide it.
  Outcome Missing = runTool({"run", "main.c"});
  EXPECT_EQ(Missing.Status, 125);
  EXPECT_NE(Missing.Err.find("undefined function 'greet_twice'"), std::string::npos) << Missing.Err;
  EXPECT_NE(Missing.Err.find("-l NAME"), std::string::npos) << Missing.Err;
  EXPECT_NE(Missing.Err.find("--dlopen LIB"), std::string::npos) << Missing.Err;
  EXPECT_EQ(Missing.Err.find("addHostSymbol"), std::string::npos) << Missing.Err;

  expectSameOutcome(Native, runTool({"run", "main.c", "-L", "sub", "-l", "greet"}));
  expectSameOutcome(Native, runTool({"run", "-lgreet", "main.c", "-Lsub"}));
  expectSameOutcome(Native, runTool({"run", "--dlopen", "sub/libgreet.so", "main.c"}));
  expectSameOutcome(Native, runTool({"run", "--dlopen=./sub/libgreet.so", "main.c"}));

  Outcome NoLib = runTool({"run", "main.c", "-L", "sub", "-l", "nosuch"});
  EXPECT_EQ(NoLib.Status, 125);
  EXPECT_NE(NoLib.Err.find("hotjit: -l nosuch: no libnosuch.so in sub/libnosuch.so"),
            std::string::npos)
      << NoLib.Err;
  Outcome BadPath = runTool({"run", "main.c", "--dlopen", "sub/libnone.so"});
  EXPECT_EQ(BadPath.Status, 125);
  EXPECT_NE(BadPath.Err.find("hotjit: --dlopen sub/libnone.so: "), std::string::npos)
      << BadPath.Err;
}

TEST_F(RunCommandTest, WatchResolvesLibrarySymbolsThatAnEditStartsToUse) {
  writeFile("greet.c", GreetLibrary);
  ASSERT_NO_FATAL_FAILURE(buildNative({"-shared", "-fPIC", "greet.c"}, "libgreet.so"));
  writeFile("poll.c", PollingMain);
  writeFile("value.c", valueFile(1));
  ToolProcess Tool({"run", "poll.c", "value.c", "--watch", "--dlopen", "./libgreet.so"}, Dir);
  size_t At = Tool.waitFor("value 1\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;
  saveByRename("value.c", "int greet_twice(int);\nint value(void) { return greet_twice(3); }\n");
  ASSERT_NE(Tool.waitFor("value 7\n", At), std::string::npos) << Tool.Out << Tool.Err;
  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;
}

TEST_F(RunCommandTest, VersionQuietAndProgressOfSlowCompiles) {
  Outcome V = runTool({"--version"});
  EXPECT_EQ(V.Status, 0);
  EXPECT_EQ(V.Out.rfind("hotjit 0.1.0 (LLVM 22.", 0), 0u) << V.Out;

  // A compile longer than a second is announced, then timed (on a terminal, or with -v: stderr
  // that is a file or a pipe gets only what the native build writes); -q says nothing.
  writeFile("seven.c", "int main(void) { return 7; }\n");
  std::string SlowCC = writeSlowCompiler("slowcc", 1.3);
  Outcome Piped = runTool({"run", "seven.c"}, "/dev/null", {SlowCC});
  EXPECT_EQ(Piped.Status, 7) << Piped.Err;
  EXPECT_EQ(Piped.Err, "");
  Outcome Slow = runTool({"run", "-v", "seven.c"}, "/dev/null", {SlowCC});
  EXPECT_EQ(Slow.Status, 7) << Slow.Err;
  EXPECT_NE(Slow.Err.find("hotjit: compiling seven.c ...\nhotjit: compiled seven.c ("),
            std::string::npos)
      << Slow.Err;
  Outcome Quiet = runTool({"run", "-q", "seven.c"}, "/dev/null", {SlowCC});
  EXPECT_EQ(Quiet.Status, 7) << Quiet.Err;
  EXPECT_EQ(Quiet.Err, "");
  Outcome Fast = runTool({"run", "seven.c"});
  EXPECT_EQ(Fast.Status, 7) << Fast.Err;
  EXPECT_EQ(Fast.Err, "");

  // -q with --watch: the swap happens without a line; errors are still printed.
  writeFile("poll.c", PollingMain);
  writeFile("value.c", valueFile(1));
  ToolProcess Tool({"run", "poll.c", "value.c", "--watch", "-q"}, Dir);
  size_t At = Tool.waitFor("value 1\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;
  saveByRename("value.c", valueFile(2));
  At = Tool.waitFor("value 2\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;
  writeFile("value.c", "int value(void) { return 44 +; }\n");
  ASSERT_NE(Tool.waitFor("hotjit: value.c: the previous version keeps running", 0, true),
            std::string::npos)
      << Tool.Err;
  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;
  EXPECT_EQ(Tool.Err.find("swapped"), std::string::npos) << Tool.Err;
}

TEST_F(RunCommandTest, WatchSeesEditsToTheTargetOfASymlinkedFile) {
  ASSERT_EQ(::mkdir((Dir + "/real").c_str(), 0755), 0);
  writeFile("poll.c", PollingMain);
  writeFile("real/value.c", valueFile(1));
  ASSERT_EQ(::symlink("real/value.c", (Dir + "/value.c").c_str()), 0);
  ToolProcess Tool({"run", "poll.c", "value.c", "--watch"}, Dir);
  size_t At = Tool.waitFor("value 1\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // The target written in place, then saved by rename in its own directory.
  writeFile("real/value.c", valueFile(2));
  At = Tool.waitFor("value 2\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;
  // The program may print the new value before hotjit reports the swap that published it.
  EXPECT_NE(Tool.waitFor("hotjit: value.c: swapped in", 0, /*Stderr=*/true), std::string::npos)
      << Tool.Err;
  saveByRename("real/value.c", valueFile(3));
  At = Tool.waitFor("value 3\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // The link itself replaced by a file: still seen.
  ASSERT_EQ(::unlink((Dir + "/value.c").c_str()), 0);
  saveByRename("value.c", valueFile(4));
  ASSERT_NE(Tool.waitFor("value 4\n", At), std::string::npos) << Tool.Out << Tool.Err;
  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;
}

// A small project: a header in a subdirectory shared by a C file and a C++ file, a library
// linked with -l, and a file that calls them all.
constexpr const char *ShapeHeader = "#define SIDE 3\n";
constexpr const char *AreaFile = R"(#include "shape.h"
int area(void) { return SIDE * SIDE; }
)";
constexpr const char *PerimeterFile = R"(#include <string>
#include "shape.h"
extern "C" int perimeter() { return static_cast<int>(std::string(4 * SIDE, '*').size()); }
)";
constexpr const char *ShapeValueFile = R"(int area(void);
int perimeter(void);
int greet_twice(int);
int value(void) { return greet_twice(area()) * 100 + perimeter(); }
)";

TEST_F(RunCommandTest, WatchRecompilesTheFilesThatIncludeASavedHeaderAsOneBatch) {
  ASSERT_EQ(::mkdir((Dir + "/inc").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((Dir + "/lib").c_str(), 0755), 0);
  writeFile("greet.c", GreetLibrary);
  ASSERT_NO_FATAL_FAILURE(buildNative({"-shared", "-fPIC", "greet.c"}, "lib/libgreet.so"));
  writeFile("inc/shape.h", ShapeHeader);
  writeFile("area.c", AreaFile);
  writeFile("perimeter.cpp", PerimeterFile);
  writeFile("value.c", ShapeValueFile);
  writeFile("poll.c", PollingMain);
  ToolProcess Tool({"run", "poll.c", "value.c", "area.c", "perimeter.cpp", "--watch",
                    "--cflag=-Iinc", "-L", "lib", "-lgreet"},
                   Dir);
  // greet_twice(9) * 100 + 12.
  size_t At = Tool.waitFor("value 1912\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // The header, saved by rename: both files that include it, in one commit.
  saveByRename("inc/shape.h", "#define SIDE 5\n");
  size_t ErrAt = Tool.waitFor("hotjit: area.c, perimeter.cpp: swapped in", 0, /*Stderr=*/true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  At = Tool.waitFor("value 5120\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // A file saved with the bytes it had, its header unchanged since: nothing to do. The next
  // swap is value.c's alone.
  writeFile("area.c", AreaFile);
  writeFile("value.c", std::string(ShapeValueFile) + "int unused(void) { return 0; }\n");
  ErrAt = Tool.waitFor("hotjit: value.c: swapped in", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;

  // A header edit that breaks one of its files: clang's error, neither file swapped; fixed, both.
  writeFile("inc/shape.h", "#define SIDE 2\nint perimeter(void);\n");
  ErrAt = Tool.waitFor("hotjit: area.c, perimeter.cpp: the previous versions keep running", ErrAt,
                       true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  EXPECT_NE(Tool.Err.find("perimeter.cpp:3:16: error"), std::string::npos) << Tool.Err;
  writeFile("inc/shape.h", "#define SIDE 2\n");
  ErrAt = Tool.waitFor("hotjit: area.c, perimeter.cpp: swapped in", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  At = Tool.waitFor("value 908\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;
  EXPECT_EQ(Tool.Out, "value 1912\nvalue 5120\nvalue 908\n");
  EXPECT_EQ(Tool.Err.find("area.c: swapped"), std::string::npos) << Tool.Err;
}

TEST_F(RunCommandTest, SavesTogetherAreOneBatchAndARefusedFileIsRetriedWithTheNextSave) {
  writeFile("poll.c", PollingMain);
  writeFile("lib.c", "int scale(int x) { return 2 * x; }\n");
  writeFile("value.c", "int scale(int);\nint value(void) { return scale(10); }\n");
  ToolProcess Tool({"run", "poll.c", "lib.c", "value.c", "--watch"}, Dir);
  size_t At = Tool.waitFor("value 20\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // A signature change that spans two files saved together: one batch, which the engine takes.
  writeFile("lib.c", "long scale(long x, long y) { return 3 * x + y; }\n");
  writeFile("value.c", "long scale(long, long);\nint value(void) { return (int)scale(10, 1); }\n");
  size_t ErrAt = Tool.waitFor("hotjit: lib.c, value.c: swapped in", 0, /*Stderr=*/true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  At = Tool.waitFor("value 31\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // One after the other: the first is refused, and taken with the second.
  writeFile("value.c", "int helper(void);\nint value(void) { return helper(); }\n");
  ErrAt = Tool.waitFor("undefined function 'helper' (called by module 'value.c')", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  ErrAt = Tool.waitFor("hotjit: value.c: the previous version keeps running", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  writeFile("lib.c", "int helper(void) { return 77; }\n"
                     "long scale(long x, long y) { return 3 * x + y; }\n");
  ErrAt = Tool.waitFor("hotjit: lib.c, value.c: swapped in", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  At = Tool.waitFor("value 77\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;
  EXPECT_EQ(Tool.Out, "value 20\nvalue 31\nvalue 77\n");
}

// A build's compile_commands.json: each file with its own directory and flags (GNU C11 for C, C++20
// for C++, an include path relative to the build directory, a macro per file), two files named
// util.c, and outputs (-o, -MD -MF) that hotjit run leaves out.
constexpr const char *CommandsMain = R"(#include <stdio.h>
#include <unistd.h>
#include "config.h"
#if __STDC_VERSION__ != 201112L
#error "not C11"
#endif
int src_util(void);
int lib_util(void);
int cxx_level(void);
int main(void) {
  int last = -1;
  while (access("stop", F_OK) != 0) {
    int v = src_util() + lib_util() + cxx_level() + BASE;
    if (v != last)
      printf("value %d\n", last = v);
    fflush(stdout);
    usleep(5000);
  }
  return 3;
}
)";

TEST_F(RunCommandTest, CompileCommandsGiveEachFileItsDirectoryAndFlags) {
  for (const char *Sub : {"/src", "/lib", "/include", "/build"})
    ASSERT_EQ(::mkdir((Dir + Sub).c_str(), 0755), 0);
  writeFile("include/config.h", "#define BASE 1000\n");
  writeFile("src/main.c", CommandsMain);
  writeFile("src/util.c", "static int twice(int x) { return 2 * x; }\n"
                          "int src_util(void) { return twice(VALUE); }\n");
  writeFile("lib/util.c", "static int twice(int x) { return 20 * x; }\n"
                          "int lib_util(void) { return twice(VALUE); }\n");
  writeFile("src/level.cpp", "#include <span>\nstatic_assert(__cplusplus == 202002L);\n"
                             "extern \"C\" int cxx_level() { return std::span<int>().size(); }\n");
  // Relative "file" and "directory" (against the file's own directory), a "command" string with
  // shell quoting, and "arguments" lists.
  writeFile("build/compile_commands.json", R"([
  {"directory": ".", "file": "../src/main.c",
   "command": "/usr/bin/cc -I../include '-DUNUSED=a b' -std=gnu11 -MD -MF main.d -o main.o -c ../src/main.c"},
  {"directory": ".", "file": "../src/util.c",
   "arguments": ["cc", "-DVALUE=1", "-o", "src_util.o", "-c", "../src/util.c"]},
  {"directory": ".", "file": "../lib/util.c",
   "arguments": ["cc", "-DVALUE=3", "-o", "lib_util.o", "-c", "../lib/util.c"]},
  {"directory": ".", "file": "../src/level.cpp",
   "arguments": ["c++", "-std=c++20", "-o", "level.o", "-c", "../src/level.cpp"]}
])");
  ToolProcess Tool({"run", "--watch", "--compile-commands", "build"}, Dir);
  // 2 + 60 + 0 + 1000.
  size_t At = Tool.waitFor("value 1062\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // Same-named files are modules named by their folders; an edit keeps the file's flags.
  writeFile("lib/util.c", "int lib_util(void) { return 5 * VALUE; }\n");
  ASSERT_NE(Tool.waitFor("hotjit: lib/util.c: swapped in", 0, /*Stderr=*/true), std::string::npos)
      << Tool.Err;
  At = Tool.waitFor("value 1017\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;
  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;

  // Files named on the command line take their commands from the file.
  writeFile("stop", "");
  Outcome Named = runTool({"run", "--compile-commands=build/compile_commands.json", "src/main.c",
                           "src/util.c", "lib/util.c", "src/level.cpp"});
  EXPECT_EQ(Named.Status, 3) << Named.Err;
  Outcome Missing = runTool({"run", "-p", "nowhere", "src/main.c"});
  EXPECT_EQ(Missing.Status, 125);
  EXPECT_NE(Missing.Err.find("hotjit: --compile-commands: cannot read 'nowhere'"),
            std::string::npos)
      << Missing.Err;
  writeFile("other.c", "int main(void) { return 0; }\n");
  Outcome Unknown = runTool({"run", "-p", "build", "src/main.c", "other.c"});
  EXPECT_EQ(Unknown.Status, 125);
  EXPECT_NE(Unknown.Err.find("has no command for 'other.c'"), std::string::npos) << Unknown.Err;
  writeFile("bad.json", "[{\"file\": \"a.c\"}]");
  Outcome Bad = runTool({"run", "-p", "bad.json"});
  EXPECT_EQ(Bad.Status, 125);
  EXPECT_NE(Bad.Err.find("entry 0 of 'bad.json' lacks \"directory\" or \"file\""),
            std::string::npos)
      << Bad.Err;
}

TEST_F(RunCommandTest, ACrashNamesTheFunctionAndLineAndTheNextSaveStartsTheProgramAgain) {
  writeFile("poll.c", PollingMain);
  writeFile("value.c", valueFile(1));
  std::vector<std::string> Env;
#if defined(HOTJIT_TSAN)
  // The crash report symbolises in the signal handler, which allocates (README, Known
  // limitations): ThreadSanitizer would report that instead of letting the report be checked.
  const char *Tsan = std::getenv("TSAN_OPTIONS");
  Env.push_back(std::string("TSAN_OPTIONS=") + (Tsan ? Tsan : "") + ":report_signal_unsafe=0");
#endif
  ToolProcess Tool({"run", "poll.c", "value.c", "--watch"}, Dir, "/dev/null", Env);
  size_t At = Tool.waitFor("value 1\n");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // A save that makes value() dereference null: where it faulted, its caller, and a wait.
  saveByRename("value.c", "int value(void) {\n  volatile int *p = 0;\n  return *p;\n}\n");
  size_t ErrAt = Tool.waitFor("hotjit: SIGSEGV in value (value.c:3)\n"
                              "hotjit:   from main (poll.c:7)\n"
                              "hotjit: the program crashed; it starts again when a file is saved\n",
                              0, /*Stderr=*/true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;

  // The fix: the program starts again, with it.
  saveByRename("value.c", valueFile(5));
  ErrAt = Tool.waitFor("hotjit: starting the program again\n", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  At = Tool.waitFor("value 5\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // Again in the new session, with another signal.
  writeFile("value.c", "int value(void) {\n  __builtin_trap();\n  return 0;\n}\n");
  ErrAt = Tool.waitFor("hotjit: SIGILL in value (value.c:2)\n", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  writeFile("value.c", valueFile(6));
  At = Tool.waitFor("value 6\n", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 3) << Tool.Err;
  EXPECT_EQ(Tool.Out, "value 1\nvalue 5\nvalue 6\n");
}

TEST_F(RunCommandTest, CacheKeepsCompiledObjectsForTheNextRun) {
  writeFile("lib.c", "int scale(int x) { return x * 10; }\n");
  writeFile("main.c", "int scale(int);\nint main(void) { return scale(4); }\n");
  Outcome Cold = runTool({"run", "--stats", "--cache", "objects", "main.c", "lib.c"});
  EXPECT_EQ(Cold.Status, 40) << Cold.Err;
  EXPECT_NE(Cold.Err.find("modules compiled 2, from the cache 0"), std::string::npos) << Cold.Err;
  struct stat St;
  ASSERT_EQ(::stat((Dir + "/objects").c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 0777, 0700u);
  Outcome Warm = runTool({"run", "--stats", "--cache=objects", "main.c", "lib.c"});
  EXPECT_EQ(Warm.Status, 40) << Warm.Err;
  EXPECT_NE(Warm.Err.find("modules compiled 0, from the cache 2"), std::string::npos) << Warm.Err;
  Outcome Memory = runTool({"run", "--stats", "--no-cache", "main.c", "lib.c"});
  EXPECT_NE(Memory.Err.find("modules compiled 2, from the cache 0"), std::string::npos)
      << Memory.Err;

  // The default: under $XDG_CACHE_HOME.
  Outcome Default = runTool({"run", "--stats", "main.c", "lib.c"}, "/dev/null",
                            {"XDG_CACHE_HOME=" + Dir + "/xdg"});
  EXPECT_EQ(Default.Status, 40) << Default.Err;
  EXPECT_TRUE(exists("xdg/hotjit/objects")) << Default.Err;

  // A directory others can write to is refused when asked for, and skipped with a word when it
  // is the default.
  ASSERT_EQ(::mkdir((Dir + "/open").c_str(), 0777), 0);
  ASSERT_EQ(::chmod((Dir + "/open").c_str(), 0777), 0);
  Outcome Open = runTool({"run", "--cache", "open", "main.c", "lib.c"});
  EXPECT_EQ(Open.Status, 125);
  EXPECT_NE(Open.Err.find("hotjit: --cache open: cache directory 'open'"), std::string::npos)
      << Open.Err;
  ASSERT_EQ(::mkdir((Dir + "/xdg-open").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((Dir + "/xdg-open/hotjit").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((Dir + "/xdg-open/hotjit/objects").c_str(), 0777), 0);
  ASSERT_EQ(::chmod((Dir + "/xdg-open/hotjit/objects").c_str(), 0777), 0);
  Outcome Skipped =
      runTool({"run", "main.c", "lib.c"}, "/dev/null", {"XDG_CACHE_HOME=" + Dir + "/xdg-open"});
  EXPECT_EQ(Skipped.Status, 40) << Skipped.Err;
  EXPECT_NE(Skipped.Err.find("hotjit: no object cache: cache directory"), std::string::npos)
      << Skipped.Err;
}

// Busy: value() spins; main prints each new value, and "steady N" once N has been returned 200
// times in a row.
constexpr const char *BusyMain = R"(#include <stdio.h>
#include <unistd.h>
int value(void);
int main(void) {
  int last = -1, same = 0;
  while (access("stop", F_OK) != 0) {
    int v = value();
    if (v != last) {
      printf("value %d\n", last = v);
      same = 0;
    } else if (++same == 200) {
      printf("steady %d\n", v);
    }
    fflush(stdout);
  }
  return 3;
}
)";

std::string busyValueFile(int V) {
  return "int value(void) {\n  volatile long s = 0;\n  for (long i = 0; i < 100000; ++i)\n"
         "    s += i;\n  return " +
         std::to_string(V) + ";\n}\n";
}

TEST_F(RunCommandTest, PerfReportNamesEveryVersionOfASavedFunction) {
  HOTJIT_REQUIRE_TOOL(std::system("perf --version > /dev/null 2>&1") == 0,
                      "perf is not installed (Debian package linux-perf)");
  if (std::string Why = perfEventsRefused(); !Why.empty())
    GTEST_SKIP() << "the kernel refuses user-space sampling here: " << Why;
  writeFile("poll.c", BusyMain);
  writeFile("value.c", busyValueFile(1));
  {
    // The jitdump goes under $JITDUMPDIR; perf record sees the process map it (-k 1: the
    // monotonic clock its records are stamped with).
    ChildProcess Perf("perf",
                      {"perf", "record", "-q", "-k", "1", "-e", "cpu-clock:u", "-F", "2000", "-o",
                       "perf.data", "--", HOTJIT_TOOL, "run", "--watch", "--perf", "poll.c",
                       "value.c"},
                      Dir, "/dev/null", {"JITDUMPDIR=" + Dir});
    size_t At = Perf.waitFor("steady 1\n");
    ASSERT_NE(At, std::string::npos) << Perf.Out << Perf.Err;
    saveByRename("value.c", busyValueFile(2));
    ASSERT_NE(Perf.waitFor("steady 2\n", At), std::string::npos) << Perf.Out << Perf.Err;
    writeFile("stop", "");
    ASSERT_EQ(Perf.exitStatus(), 3) << Perf.Err;
  }
  ChildProcess Inject("perf", {"perf", "inject", "--jit", "-i", "perf.data", "-o", "jit.data"},
                      Dir);
  ASSERT_EQ(Inject.exitStatus(), 0) << Inject.Err;
  ChildProcess Report("perf", {"perf", "report", "-i", "jit.data", "--stdio", "--sort", "symbol"},
                      Dir);
  ASSERT_EQ(Report.exitStatus(), 0) << Report.Err;
  // Version 1 (started with), replaced by version 2 (saved), both named.
  EXPECT_NE(Report.Out.find("value.__hjv0000000000000001"), std::string::npos) << Report.Out;
  EXPECT_NE(Report.Out.find("value.__hjv0000000000000002"), std::string::npos) << Report.Out;
}

// main announces itself, waits for "stop", then prints a line it never flushes and returns 7.
constexpr const char *EndingMain = R"(#include <stdio.h>
#include <unistd.h>
int value(void);
int main(void) {
  printf("started\n");
  fflush(stdout);
  while (access("stop", F_OK) != 0)
    usleep(5000);
  printf("buffered %d", value());
  return 7;
}
)";

TEST_F(RunCommandTest, ProgramEndingDuringARecompileKeepsItsStatusAndOutput) {
  writeFile("main.c", EndingMain);
  writeFile("value.c", valueFile(1));
  // Slow only once "slow" exists: the start is quick, the save's compile takes 30 s.
  std::string SlowCC = writeSlowCompiler("slowcc", 30, "slow");
  ToolProcess Tool({"run", "main.c", "value.c", "--watch"}, Dir, "/dev/null", {SlowCC});
  ASSERT_NE(Tool.waitFor("started\n"), std::string::npos) << Tool.Out << Tool.Err;
  writeFile("slow", "");
  saveByRename("value.c", valueFile(2));
  for (auto Deadline = Clock::now() + Patience; !exists("slowcc.sleeping"); ::usleep(10000))
    ASSERT_LT(Clock::now(), Deadline) << "the save's compile did not start: " << Tool.Err;

  // The program ends while clang runs: its status and output are kept, and hotjit does not wait
  // for the compile.
  auto Stopped = Clock::now();
  writeFile("stop", "");
  EXPECT_EQ(Tool.exitStatus(), 7) << Tool.Err;
  EXPECT_LT(Clock::now() - Stopped, std::chrono::seconds(15));
  EXPECT_EQ(Tool.Out, "started\nbuffered 1");
  EXPECT_EQ(Tool.Err, "");
}

TEST_F(RunCommandTest, ExitStatusesAndMessagesFollowConventions) {
  auto Run = [&](std::vector<std::string> Args, int Status, const std::string &Needle,
                 bool Stdout = false) {
    Outcome R = runTool(std::move(Args));
    EXPECT_EQ(R.Status, Status) << R.Out << R.Err;
    EXPECT_NE((Stdout ? R.Out : R.Err).find(Needle), std::string::npos)
        << "lacks '" << Needle << "': " << R.Out << R.Err;
    if (!Stdout)
      EXPECT_EQ(R.Out, "");
  };
  Run({"--help"}, 0, "usage: hotjit", true);
  Run({"run", "--help"}, 0, "hotjit run FILE...", true);
  Run({}, 2, "usage: hotjit");
  Run({"frobnicate"}, 2, "hotjit: unknown command 'frobnicate'");

  // hotjit run's own failures exit with 125, which leaves 1 and 2 to the program.
  Run({"run"}, 125, "hotjit: run needs at least one file");
  Run({"run", "notes.txt"}, 125, "hotjit: 'notes.txt' is not a .ll, .bc, .c or .cpp file");
  Run({"run", "a.c", "--frobnicate"}, 125, "hotjit: unknown run option '--frobnicate'");
  Run({"run", "a.c", "--repeat", "--threads", "zero"}, 125, "hotjit: --threads needs an integer");
  Run({"run", "a.c", "--threads", "2"}, 125,
      "--threads, --seconds and --interval go with --repeat");
  writeFile("a.c", "int main(void) { return 0; }\n");
  Run({"run", "a.c", "./a.c"}, 125, "hotjit: './a.c' is given twice");
  Run({"run", "missing.c"}, 125, "hotjit: cannot read 'missing.c'");

  writeFile("broken.c", "int main(void) { return }\n");
  Run({"run", "broken.c"}, 125, "broken.c:1:25: error");
  writeFile("calls.c", "int missing(void);\nint main(void) { return missing(); }\n");
  Run({"run", "calls.c"}, 125, "undefined function 'missing'");
  writeFile("other.c", "int other(void) { return 1; }\n");
  Run({"run", "other.c"}, 125, "hotjit: no function 'main'");
  writeFile("wide.c", "double main2(double x) { return x; }\n");
  Run({"run", "wide.c", "--entry", "main2"}, 125, "hotjit: 'main2' has type 'double (double)'");
}

} // namespace
