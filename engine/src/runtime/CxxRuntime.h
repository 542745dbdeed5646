// The C and C++ runtime support the engine gives JIT code: static initialisers and finalisers, exit
// handlers keyed by a per-module __dso_handle, the libc_nonshared functions, host thread-locals,
// and threads started by JIT code.
//
// Protocol
// --------
// * Who registers. Each module's IR is prepared (prepareRuntime) so that its `__dso_handle` is a
//   global of its own, engineName("dso", module), stored with the module's other globals:
//   replacements bind to the same storage, so the handle identifies the module across versions.
//   `atexit(f)` is rewritten to `__cxa_atexit(f, null, handle)`. JIT code's `__cxa_atexit`,
//   `at_quick_exit`, `pthread_atfork`, `pthread_create`, `thrd_create` and `std::thread` starts
//   resolve to the functions below (interposed()), never to the C library's. Handlers are function
//   addresses, so they are stubs (SymbolResolution.h): a handler registered by a replaced version
//   runs the newest code, never freed code.
// * Who runs, when, on which thread.
//   - Static constructors (`llvm.global_ctors`, gathered into one init function per priority of a
//     module version) run once, on the committing thread, when a batch *adds* a module: after
//     every module of the batch has linked, before anything is published, in priority order
//     across the batch's modules (batch order within one priority, as a native link orders its
//     input files); the batch's new functions are callable from them. A replacement never runs them
//     again: live state is kept. A constructor that throws fails the commit; the handlers it
//     registered run and nothing is published.
//   - Exit handlers of a module (newest first, including handlers registered while they run) and
//     then its finalisers (`llvm.global_dtors`, one per priority) run on the committing thread
//     when the module is removed (or replaced by a version without a __dso_handle), before the
//     batch is published; and when the engine is destroyed, for every live module. Modules that
//     leave together (one batch, or the engine's end) run all their exit handlers first, most
//     recent registrations first, then all their finalisers, highest priority first and, within
//     one priority, the most recently added module first (the reverse of construction).
//   - At process exit with a live engine, the handlers still registered run from one handler that
//     the first registration installed with the C library's atexit: the code they call is still
//     mapped (a live engine frees nothing at exit), so they run as a native program's would.
//   - A thread started by JIT code runs its start routine pinned in every live engine's epoch
//   domain
//     (EpochGuard), so the code it runs is never freed under it. Its pin holds reclamation back
//     until it returns, and it shows as a stalled thread (EngineOptions::OnStall): join such
//     threads before replacing code they run for long, and before destroying the engine.
// * Thread-locals. JIT code uses emulated TLS (libgcc's __emutls_get_address); references to
//   thread-locals of the host's libraries (libstdc++'s `__once_callable`, say) are rewritten to ask
//   the dynamic linker for the calling thread's instance.
#ifndef HOTJIT_ENGINE_SRC_CXXRUNTIME_H
#define HOTJIT_ENGINE_SRC_CXXRUNTIME_H

#include "hotjit/concurrency/EpochDomain.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Module.h"

#include <string>
#include <vector>

namespace hotjit {

/// The name of a module's own __dso_handle.
std::string dsoHandleName(llvm::StringRef ModuleName);

/// Gives \p M its own __dso_handle (if it uses one, or calls atexit) and routes
/// atexit to __cxa_atexit with it. Call after normalize().
void prepareRuntime(llvm::Module &M, llvm::StringRef ModuleName);

/// Globals that the static constructors of \p M (and the internal functions
/// they call) refer to: the storage they initialise.
llvm::StringSet<> globalsInitialisedByConstructors(const llvm::Module &M);

/// A function that runs a module's static constructors (or destructors) of one
/// priority, in the order the module lists them.
struct Runner {
  uint64_t Priority = 0;
  std::string Symbol;
};

/// The runners made from llvm.global_ctors / global_dtors, one per priority.
struct Initialisers {
  std::vector<Runner> Init; ///< Lowest priority first; empty when none.
  std::vector<Runner> Fini; ///< Highest priority first; empty when none.
};

/// A linked runner.
struct RunnerAddress {
  uint64_t Priority = 0;
  const void *Address = nullptr;
};

/// Replaces llvm.global_ctors and llvm.global_dtors of \p M by one external
/// function per priority that calls those of that priority in the order they
/// are listed, named with the module, the priority and \p Version so that
/// versions never collide. Priorities are program-wide, as a native link sorts
/// every .init_array.N / .fini_array.N of its inputs: the commit interleaves
/// the runners of a batch's modules by priority (commit/Construct.cpp), and
/// teardown interleaves those of the modules that leave together.
Initialisers gatherInitialisers(llvm::Module &M, llvm::StringRef ModuleName, uint64_t Version);

/// True for symbols the engine itself adds to modules (init functions).
bool isEngineSymbol(llvm::StringRef Name);

/// Rewrites references to thread-locals that no module of the engine defines
/// (those of host libraries) into calls that return the calling thread's
/// instance. \p DefinedByJit tells whether a name is a JIT thread-local.
void bridgeHostThreadLocals(llvm::Module &M,
                            llvm::function_ref<bool(llvm::StringRef)> DefinedByJit);

/// Process-wide runtime state shared by every engine.
namespace runtime {

/// The host functions that replace C library functions for JIT code.
const llvm::StringMap<const void *> &interposed();

/// Runs the exit handlers registered with \p Dso, newest first, until none is
/// left. Exceptions escaping a handler terminate, as at process exit.
void runExitHandlers(const void *Dso);

/// Runs the exit handlers registered with any of \p Dsos, newest first.
void runExitHandlers(const std::vector<const void *> &Dsos);

/// Threads started by JIT code pin every registered domain while they run.
void registerDomain(EpochDomain *D);
void unregisterDomain(EpochDomain *D);

} // namespace runtime

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_CXXRUNTIME_H
