// Reading a module's source within the engine's limits: size, nesting, and the stack it parses on.
//
// LLVM's IR parser, bitcode reader and verifier recurse once per level of nesting of types,
// constant expressions and metadata, and the metadata parser once per link of a chain of forward
// references; the code generator recurses over constants and types as well. So that no input up to
// EngineOptions::MaxModuleBytes can overflow a stack:
//   * a file is read through at most MaxModuleBytes + 1 bytes (a device or a pipe included);
//   * IR text whose brackets nest deeper than MaxNesting is refused before it is parsed;
//   * parsing and verification run, on the committing thread, on a stack of their own reserved in
//     proportion to the input (ParseStackBase + ParseStackPerByte bytes per byte of source;
//     address space only, touched as far as the recursion goes; switched to with ucontext).
//     Sources up to 1 MiB use one such stack that each committing thread keeps, larger ones a
//     stack of their own;
//   * a parsed module whose types or constants nest deeper than MaxNesting, or whose metadata
//     graph a depth-first walk enters deeper than MaxMetadataDepth, is refused, so the later
//     phases (rewriting, code generation on the dispatcher's threads) see only bounded nesting.
// Every refusal is an EngineError of kind TooLarge naming the module.
#ifndef HOTJIT_ENGINE_MODULEPARSER_H
#define HOTJIT_ENGINE_MODULEPARSER_H

#include "hotjit/engine/Engine.h"

#include "llvm/Support/Error.h"

#include <memory>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace hotjit {

struct SavedSource;

/// Deepest nesting of brackets in IR text, and of types and constants in a module.
inline constexpr unsigned MaxNesting = 1024;
/// Deepest a depth-first walk of a module's metadata may go.
inline constexpr unsigned MaxMetadataDepth = 16384;
/// The parser's stack: a fixed part plus a part per byte of source.
inline constexpr size_t ParseStackBase = size_t(32) << 20;
inline constexpr size_t ParseStackPerByte = 32;

/// Parses and verifies the source \p S of module \p Name in \p Ctx, refusing
/// sources over \p MaxBytes (0: no limit) and nesting over the limits above;
/// records the bytes it came from in \p Saved. Parses on the calling thread,
/// on a stack reserved for it; a module that fails the verifier is an error
/// (ErrorKind::Verify), never the end of the process that LLVM's readers make
/// of one with debug info. Errors are EngineErrors whose messages start
/// "commit failed: ".
llvm::Expected<std::unique_ptr<llvm::Module>> parseModule(ModuleSource &S, llvm::StringRef Name,
                                                          llvm::LLVMContext &Ctx,
                                                          SavedSource &Saved, size_t MaxBytes);

} // namespace hotjit

#endif // HOTJIT_ENGINE_MODULEPARSER_H
