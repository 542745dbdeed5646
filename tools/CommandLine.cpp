// Usage text, error printing and option values of the hotjit commands.
#include "CommandLine.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace hotjit::tool {

const char *const Usage = R"(usage: hotjit <command> [options]

commands:
  demo      run caller threads over built-in JIT functions while a writer
            replaces them; check that every result came from a published version
  run       load IR, bitcode, C and C++ files and call an entry function on
            caller threads; with --watch, recompile and swap each file you save

hotjit demo [options]
  --seconds S     how long to run (default 10)
  --threads N     caller threads (default: one per hardware thread, at least 2)
  --functions N   hot-swappable functions (default 8)
  --opt N         optimisation level 0-3 (default 1)
  --json          print the summary as JSON

hotjit run FILE... [options] [-- ARG...]
  Each .ll, .bc, .c or .cpp (.cc, .cxx) file is one module, named after the
  file. C and C++ are compiled with `clang-22 -emit-llvm -c -g -O1` (clang++-22;
  $HOTJIT_CC and $HOTJIT_CXX override). The entry function has one of these
  types (C, then IR), and each caller thread calls it in a loop:
    int f(void)                   i32 ()          its result is printed
    int f(int argc, char **argv)  i32 (i32, ptr)  argv is FILE ARG...
    long f(long thread)           i64 (i64)       gets the thread's index
    void f(void)                  void ()
  --entry NAME    the function to call (default main; C++: declare it extern "C")
  --threads N     caller threads (default 1)
  --watch         when a file is saved, recompile it and replace only its
                  module; a broken edit prints the compiler's or the engine's
                  error and the previous version keeps running
  --seconds S     stop after S seconds (default: run until interrupted)
  --interval S    seconds between status lines (default 1)
  --opt N         JIT optimisation level 0-3 (default 1)
  --cflag FLAG    pass FLAG to clang (repeatable: --cflag -I. --cflag -DN=2)

  -h, --help      show this help

Exit status: 0 on success (run: also when stopped by --seconds or ctrl-c),
1 on failure, 2 on a bad command line.
)";

void usageError(const std::string &Message) {
  std::fprintf(stderr, "hotjit: %s (see hotjit --help)\n", Message.c_str());
  std::exit(ExitUsage);
}

void printError(const std::string &Message) {
  std::fprintf(stderr, "hotjit: %s\n", Message.c_str());
}

void printError(llvm::Error E, const std::string &Prefix) {
  printError(Prefix + llvm::toString(std::move(E)));
}

std::string Arguments::value(const std::string &Option) {
  if (done())
    usageError(Option + " needs a value");
  return next();
}

double Arguments::number(const std::string &Option, double Min, double Max,
                         bool Integer) {
  std::string Text = value(Option);
  char *End = nullptr;
  double V = std::strtod(Text.c_str(), &End);
  if (Text.empty() || *End || !(V >= Min && V <= Max) || (Integer && V != std::floor(V))) {
    char Range[96];
    std::snprintf(Range, sizeof(Range), "%s from %g to %g", Integer ? "an integer" : "a number",
                  Min, Max);
    usageError(Option + " needs " + Range + ", not '" + Text + "'");
  }
  return V;
}

} // namespace hotjit::tool
