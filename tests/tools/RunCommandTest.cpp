// End-to-end tests of the hotjit program: `hotjit run --watch` on a C file edited while it runs.
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace {

using Clock = std::chrono::steady_clock;

/// Generous: the sanitizer builds start the engine and clang slowly.
constexpr std::chrono::seconds Patience{60};

/// The hotjit program, running with its stdout and stderr captured.
class ToolProcess {
public:
  explicit ToolProcess(std::vector<std::string> Args, const std::string &Dir = ".") {
    Args.insert(Args.begin(), HOTJIT_TOOL);
    int Out[2], Err[2];
    if (::pipe2(Out, O_CLOEXEC) || ::pipe2(Err, O_CLOEXEC)) {
      ADD_FAILURE() << "pipe: " << std::strerror(errno);
      return;
    }
    posix_spawn_file_actions_t Actions;
    posix_spawn_file_actions_init(&Actions);
    posix_spawn_file_actions_addopen(&Actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&Actions, Out[1], 1);
    posix_spawn_file_actions_adddup2(&Actions, Err[1], 2);
    posix_spawn_file_actions_addchdir_np(&Actions, Dir.c_str());
    std::vector<char *> Argv;
    for (std::string &A : Args)
      Argv.push_back(A.data());
    Argv.push_back(nullptr);
    int E = posix_spawn(&Pid, Argv[0], &Actions, nullptr, Argv.data(), environ);
    posix_spawn_file_actions_destroy(&Actions);
    ::close(Out[1]);
    ::close(Err[1]);
    Fds[0] = Out[0];
    Fds[1] = Err[0];
    if (E) {
      ADD_FAILURE() << "cannot start " << HOTJIT_TOOL << ": " << std::strerror(E);
      Pid = -1;
    }
  }

  ~ToolProcess() {
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

  /// Reads everything until both pipes close, then returns the exit status.
  int exitStatus() {
    while (pump(std::chrono::milliseconds(100)))
      ;
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
    std::ofstream(Dir + "/" + Name) << Text;
  }
  /// Saves \p Name the way many editors do: a new file renamed over it.
  void saveByRename(const std::string &Name, const std::string &Text) {
    writeFile(Name + ".swp", Text);
    ASSERT_EQ(std::rename((Dir + "/" + Name + ".swp").c_str(), (Dir + "/" + Name).c_str()), 0);
  }

  std::string Dir;
};

std::string constantMain(int Value) {
  return "int main(void) { return " + std::to_string(Value) + "; }\n";
}

TEST_F(RunCommandTest, WatchSwapsSavedEditsAndKeepsTheOldVersionOnABrokenOne) {
  writeFile("live.c", constantMain(42));
  ToolProcess Tool({"run", "live.c", "--watch", "--threads", "2", "--interval", "0.1",
                    "--seconds", "120"},
                   Dir);
  size_t At = Tool.waitFor("main() = 42");
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // A save by rename: the running process swaps in the new version.
  saveByRename("live.c", constantMain(43));
  At = Tool.waitFor("live.c: swapped in", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;
  At = Tool.waitFor("main() = 43", At);
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // A broken edit, written in place: clang's diagnostic, and 43 keeps coming.
  writeFile("live.c", "int main(void) { return 44 +; }\n");
  size_t ErrAt = Tool.waitFor("error: expected expression", 0, /*Stderr=*/true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Out << Tool.Err;
  EXPECT_NE(Tool.Err.find("hotjit: live.c: clang"), std::string::npos) << Tool.Err;
  ErrAt = Tool.waitFor("hotjit: live.c: the previous version keeps running", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  At = Tool.Out.size();
  At = Tool.waitFor("main() = 43", Tool.waitFor("main() = 43", At));
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // An edit that compiles but does not link: the engine's error names it.
  saveByRename("live.c", "int helper(void);\nint main(void) { return helper(); }\n");
  ErrAt = Tool.waitFor("undefined function 'helper' (called by module 'live.c')", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  ErrAt = Tool.waitFor("hotjit: live.c: the previous version keeps running", ErrAt, true);
  ASSERT_NE(ErrAt, std::string::npos) << Tool.Err;
  At = Tool.Out.size();
  At = Tool.waitFor("main() = 43", Tool.waitFor("main() = 43", At));
  ASSERT_NE(At, std::string::npos) << Tool.Out << Tool.Err;

  // Fixed again: swapped in.
  writeFile("live.c", constantMain(45));
  ASSERT_NE(Tool.waitFor("main() = 45", At), std::string::npos) << Tool.Out << Tool.Err;

  EXPECT_EQ(Tool.stop(SIGINT), 0) << Tool.Err;
  EXPECT_EQ(Tool.Out.find("= 44"), std::string::npos) << Tool.Out;
  EXPECT_NE(Tool.Out.find("swaps   2 (failed 2)"), std::string::npos) << Tool.Out;
}

TEST_F(RunCommandTest, RunsSeveralFilesForTheGivenTimeWithArguments) {
  writeFile("lib.c", "int scale(int x) { return x * 10; }\n");
  writeFile("main.c", "#include <string.h>\nint scale(int);\n"
                      "int main(int argc, char **argv) {\n"
                      "  return scale(argc) + (int)strlen(argv[2]);\n}\n");
  ToolProcess Tool({"run", "main.c", "lib.c", "--seconds", "0.5", "--interval", "0.1", "--",
                    "a", "four"},
                   Dir);
  EXPECT_EQ(Tool.exitStatus(), 0) << Tool.Err;
  EXPECT_NE(Tool.Out.find("main(argc, argv) = 34"), std::string::npos) << Tool.Out;
  EXPECT_EQ(Tool.Err, "");
}

TEST_F(RunCommandTest, ExitStatusesAndMessagesFollowConventions) {
  auto Run = [&](std::vector<std::string> Args, int Status, const std::string &Needle,
                 bool Stdout = false) {
    ToolProcess Tool(std::move(Args), Dir);
    EXPECT_EQ(Tool.exitStatus(), Status) << Tool.Out << Tool.Err;
    EXPECT_NE((Stdout ? Tool.Out : Tool.Err).find(Needle), std::string::npos)
        << "lacks '" << Needle << "': " << Tool.Out << Tool.Err;
  };
  Run({"--help"}, 0, "usage: hotjit", true);
  Run({"run", "--help"}, 0, "hotjit run FILE...", true);
  Run({}, 2, "usage: hotjit");
  Run({"frobnicate"}, 2, "hotjit: unknown command 'frobnicate'");
  Run({"run"}, 2, "hotjit: run needs at least one file");
  Run({"run", "notes.txt"}, 2, "hotjit: 'notes.txt' is not a .ll, .bc, .c or .cpp file");
  Run({"run", "a.c", "--threads", "zero"}, 2, "hotjit: --threads needs an integer");
  Run({"run", "a.c", "sub/a.c"}, 2, "would both be module 'a.c'");
  Run({"run", "missing.c"}, 1, "hotjit: cannot read 'missing.c'");

  writeFile("broken.c", "int main(void) { return }\n");
  Run({"run", "broken.c"}, 1, "broken.c:1:25: error");
  writeFile("other.c", "int other(void) { return 1; }\n");
  Run({"run", "other.c"}, 1, "hotjit: no function 'main'");
  writeFile("wide.c", "double main2(double x) { return x; }\n");
  Run({"run", "wide.c", "--entry", "main2"}, 1,
      "hotjit: 'main2' has type 'double (double)'");
}

} // namespace
