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
  run       run a program from IR, bitcode, C and C++ files like lli: its main
            on the main thread, its exit status; with --watch, recompile and
            swap each file you save while it runs

  --version   print hotjit's version and LLVM's

hotjit demo [options]
  --seconds S     how long to run (default 10)
  --threads N     caller threads (default: one per hardware thread, at least 2)
  --functions N   hot-swappable functions (default 8)
  --opt N         optimisation level 0-3 (default 1)
  --json          print the summary as JSON

hotjit run FILE... [options] [-- ARG...]
  Each .ll, .bc, .c or .cpp (.cc, .cxx) file is one module, named after the
  file (files that share a name: after as much of their paths as differs).
  C and C++ are compiled with `clang-22 -emit-llvm -c -g -O1` (clang++-22;
  $HOTJIT_CC and $HOTJIT_CXX override). The entry function is called once on
  the main thread with argv = NAME ARG..., stdin, stdout and stderr are the
  program's, and hotjit exits with its result (or the status the program
  passes to exit()). The entry has one of these types (C, then IR):
    int f(int argc, char **argv)  i32 (i32, ptr)
    int f(int, char **, char **)  i32 (i32, ptr, ptr)  with envp
    int f(void)                   i32 ()
    long f(long thread)           i64 (i64)       gets 0 (--repeat: the thread)
    void f(void)                  void ()         exit status 0
  --entry NAME    the function to call (default main; C++: declare it extern "C")
  --name NAME     argv[0] (default: the first file's name without extension)
  --watch         while the program runs, recompile a saved file, and every
                  file that includes a saved header, and replace only their
                  modules, as one batch (saves within 150 ms are one batch);
                  a broken edit prints the compiler's or the engine's error
                  and the previous versions keep running; a file the engine
                  refused is tried again with the next save. Functions switch
                  at their next call: a running main keeps its version, its
                  callees change (--repeat: every call). A crash (SIGSEGV,
                  SIGBUS, SIGILL, SIGFPE) prints the function, file and line
                  of each JIT frame; the program starts again at the next save
  -q, --quiet     no progress, swap or status lines on stderr (errors still);
                  without it, a compile longer than a second is announced
                  when stderr is a terminal
  -v, --verbose   announce long compiles even when stderr is not a terminal
  --stats         at exit, print the engine's counters on stderr: versions
                  retired and freed, bytes pending, stack checks made
  --opt N         JIT optimisation level 0-3 (default 1)
  --perf          write a perf jitdump naming every version of every function
                  (f.__hjv0000000000000003 is version 3): profile with
                  `perf record -k 1 -- hotjit run --perf ...`, then
                  `perf inject --jit -i perf.data -o jit.data` and
                  `perf report -i jit.data`
  --cflag FLAGS   pass FLAGS to clang, split into words as a shell splits
                  them (repeatable: --cflag "-I. -DN=2" --cflag=-DM=3)
  --compile-commands PATH, -p PATH
                  compile each C and C++ file in the directory and with the
                  flags that PATH (a compile_commands.json, or a build
                  directory holding one) gives for it; without FILEs, run every
                  C and C++ file it lists. Files that share a name are modules
                  named by enough of their paths to tell them apart (src/a.c)
  --cache DIR     keep compiled objects in DIR, so a restart compiles only
                  what changed (default: $XDG_CACHE_HOME/hotjit/objects,
                  else ~/.cache/hotjit/objects; created 0700, and refused if
                  another user can write to it)
  --no-cache      keep compiled objects in memory only
  -l NAME         load libNAME.so (first from the -L directories, then the
                  loader's search path) before the program's code; its
                  functions and globals resolve for the program (repeatable)
  -L DIR          a directory where -l looks (repeatable)
  --dlopen LIB    load shared library LIB (a path, or a name the loader
                  finds), as -l does (repeatable)
  --extra-object FILE
                  link object FILE (position-independent, as clang builds
                  by default) into a shared library and load it as --dlopen
                  does (repeatable)
  --repeat        instead, call the entry in a loop on caller threads, with a
                  status line (its latest result, calls per second) on stderr,
                  until --seconds or ctrl-c; exit status 0
  --threads N     caller threads (--repeat; default 1)
  --seconds S     stop after S seconds (--repeat; default: until interrupted)
  --interval S    seconds between status lines (--repeat; default 1)

  -h, --help      show this help

Exit status: 0 on success, 1 on failure, 2 on a bad command line; hotjit run
exits with its program's status, and with 125 when hotjit itself fails (a bad
command line, a file that does not compile or link, no entry function).
hotjit's own messages go to stderr.
)";

void usageError(const std::string &Message, int Status) {
  std::fprintf(stderr, "hotjit: %s (see hotjit --help)\n", Message.c_str());
  std::exit(Status);
}

void printError(const std::string &Message) {
  std::fprintf(stderr, "hotjit: %s\n", Message.c_str());
}

void printError(llvm::Error E, const std::string &Prefix) {
  printError(Prefix + llvm::toString(std::move(E)));
}

std::string Arguments::value(const std::string &Option) {
  if (done())
    usageError(Option + " needs a value", UsageStatus);
  return next();
}

double Arguments::number(const std::string &Option, double Min, double Max, bool Integer) {
  std::string Text = value(Option);
  char *End = nullptr;
  double V = std::strtod(Text.c_str(), &End);
  if (Text.empty() || *End || !(V >= Min && V <= Max) || (Integer && V != std::floor(V))) {
    char Range[96];
    std::snprintf(Range, sizeof(Range), "%s from %g to %g", Integer ? "an integer" : "a number",
                  Min, Max);
    usageError(Option + " needs " + Range + ", not '" + Text + "'", UsageStatus);
  }
  return V;
}

} // namespace hotjit::tool
