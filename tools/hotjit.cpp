// The hotjit command-line program: `hotjit demo` and `hotjit run`.
#include "CommandLine.h"

#include "llvm/Config/llvm-config.h"

#include <cstdio>
#include <string>

using namespace hotjit::tool;

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    std::fputs(Usage, stderr);
    return ExitUsage;
  }
  std::string Command = Argv[1];
  if (Command == "-h" || Command == "--help" || Command == "help") {
    std::fputs(Usage, stdout);
    return ExitOk;
  }
  if (Command == "--version") {
    std::printf("hotjit %s (LLVM %s)\n", HOTJIT_VERSION, LLVM_VERSION_STRING);
    return ExitOk;
  }
  if (Command == "demo")
    return demoCommand(Argc, Argv);
  if (Command == "run")
    return runCommand(Argc, Argv);
  usageError("unknown command '" + Command + "'");
}
