// How a program run by `hotjit run` ends: like a native one, with its exit handlers run and its
// output flushed, but without tearing down the engine that holds its code.
//
// Protocol:
//  - The program ends by returning from its entry (hotjit then calls exit() with the result, as
//    the C runtime does with main's) or by calling exit(n) itself, on any thread.
//  - libc runs exit handlers in reverse order of registration: first the engine's, which runs
//    the program's own (its static destructors and atexit() calls, registered with the engine,
//    engine/src/runtime/CxxRuntime.h), then the handler installed by installProgramExit() before
//    the program's modules were committed. That handler runs BeforeExit (which stops hotjit's
//    threads that could still commit), flushes the C++ streams and stdio, and ends the process with
//    _exit(n).
//  - A handler set by setAtExitStart() runs before all of those: libc runs the handlers registered
//    last first, and it is registered just before the entry is called, after the engine's and after
//    the exit handlers of the static objects that hotjit, LLVM and oneTBB created until then (some
//    only on first use, in the first compile). It stops hotjit's threads that could still commit
//    while those objects are alive.
//  - The engine is never destroyed: the program's exit handlers, and stdio buffers it handed to
//    setvbuf(), may point into JIT code and data. The static destructors of hotjit, LLVM and
//    oneTBB, which would otherwise run next, are skipped for the same reason: they would tear down
//    libraries under the engine's still-running threads (compile pool, reclaimer).
// Limitations: at_quick_exit() is not provided; quick_exit() and _exit() end the process at once,
// as they do natively, without flushing stdio.
#ifndef HOTJIT_TOOLS_PROGRAMEXIT_H
#define HOTJIT_TOOLS_PROGRAMEXIT_H

#include "hotjit/engine/Engine.h"

#include "llvm/Support/Error.h"

#include <functional>

namespace hotjit::tool {

/// Installs the exit handler described above. Call once, before the program's modules are
/// committed (their static constructors may register exit handlers).
void installProgramExit();

/// What the exit handler runs first, on the thread that called exit(), after the program's own
/// exit handlers (nothing until set).
void setBeforeExit(std::function<void()> BeforeExit);

/// Registers \p AtExitStart to run first when the process exits (see above), on the exiting
/// thread. Call once, after the program's modules are committed and before its entry is called.
void setAtExitStart(std::function<void()> AtExitStart);

/// Ends the program with \p Status (the entry's result), as `exit(main(argc, argv))` does.
[[noreturn]] void exitProgram(int Status);

} // namespace hotjit::tool

#endif // HOTJIT_TOOLS_PROGRAMEXIT_H
