// Names where a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE) hit the program: the JIT function,
// file and line of each frame, read from the DWARF of the objects the engine registers with the
// GDB JIT interface (EngineOptions::DebugInfoRegistration).
//
// Protocol. install() sets a handler for the four signals (SA_ONSTACK, on an alternate stack of
// the calling thread, so that a stack overflow of the main thread is reported too). On a fault
// the handler runs OnCrash on the faulting thread, with the report's lines; OnCrash may end the
// process or replace it (execve); if it returns, the handler restores the default action and the
// signal ends the process as it would natively. The report is made in the signal handler with
// functions that are not async-signal-safe (malloc, LLVM's DWARF reader) and reads the debugger's
// list without the engine's lock: a fault inside malloc, or during a registration, may hang or
// fault again; a second fault while reporting ends the process by the signal at once. That is
// the price of naming the function, as LLVM's own crash handler pays it.
#ifndef HOTJIT_TOOLS_CRASHREPORT_H
#define HOTJIT_TOOLS_CRASHREPORT_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hotjit::tool {

/// A source location of JIT code.
struct CodeLocation {
  std::string Function; ///< Demangled.
  std::string File;     ///< As the compile named it.
  unsigned Line = 0;
};

/// Where JIT code at \p Address comes from, if a registered object with debug info holds it.
std::optional<CodeLocation> locateJitCode(uint64_t Address);

/// What a fault left: the signal, and one line per frame ("in value (value.c:2)", or the address
/// for frames outside JIT code).
struct CrashReport {
  int Signal;
  std::vector<std::string> Frames;
  bool InJitCode; ///< The faulting instruction is JIT code with debug info.
};

/// Installs the handler (see the file comment). Call it once, on the thread whose stack should
/// be covered for overflows; \p OnCrash must outlive the process.
void installCrashHandler(std::function<void(const CrashReport &)> OnCrash);

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_CRASHREPORT_H
