// State made by old code: what a replacement must know about closures, coroutine frames, static
// constructors and the C++ ABI's tables, which outlive the version that made them.
//
// A swap replaces code while state that code made lives on: a std::function holding a closure, a
// suspended coroutine's frame, a vtable that objects point to, the registrations a constructor
// made. The rules (README "Semantics in brief", "State made by old code"):
//   * Closures and coroutine frames keep the code they were made with. Their layout is private to
//     the version that compiled them and their entry points carry compiler-made names
//     (`subscribe::$_0`, `'lambda'(long)`, `counter.resume`) that the next version reuses for
//     another layout, so the name is not an identity: stateIdentity() adds to such a function's
//     type the digest of its code and of everything it calls in its module. An edit that changes
//     any of that is a change of type (commit/TypeIdentity.cpp): new closures and frames get the
//     new entry point, old ones keep the old one, and the old version's code is kept (never
//     freed while the engine lives: nothing can tell when the last old closure dies).
//   * Static constructors are never run again by a replacement (live state is kept); one that a
//     replacement changes is reported (CommitReport::SkippedConstructors), never dropped silently.
//     constructorDigests() tells which changed.
//   * The C++ ABI's tables (vtables, VTTs, typeinfo) are data that objects point to, yet their
//     contents are code's: a replacement that keeps a table's size rewrites its words in place,
//     as a rebuild would have laid them out (isAbiTable(); commit/Publish.cpp).
#ifndef HOTJIT_ENGINE_SRC_REWRITE_OLDSTATE_H
#define HOTJIT_ENGINE_SRC_REWRITE_OLDSTATE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class Function;
class GlobalVariable;
class Module;
} // namespace llvm

namespace hotjit {

/// True if \p Name (a symbol, possibly under an engine prefix) is the entry
/// point of compiler-made state: a lambda's or a block's code, or a split
/// coroutine's resume, destroy or cleanup function.
bool isStateBound(llvm::StringRef Name);

/// What follows each state-bound function's IR type in its type text, by
/// name: "state " + 16 hex digits of the digest of its code, which covers the
/// functions it calls or references that \p M defines, transitively, and the
/// contents of its module's constants (names, constants and instruction
/// structure; not debug locations: stable across contexts for identical IR).
llvm::StringMap<std::string> stateIdentities(const llvm::Module &M);

/// The digest of the code of each externally visible function \p M defines,
/// by name, combined with \p Salt (what the module's code as a whole depends
/// on: its level, its module asm). A digest covers the function's text and
/// attributes, the layouts of the types it uses (in memory, by value, in
/// attributes such as byval), the contents of the constants it reads (string
/// bytes included), what it assumes of the other globals and declarations it
/// refers to, and the digests of the functions of \p M it calls or refers to,
/// transitively, also through aliases (so an edit of a callee that may be
/// inlined changes its callers' digests). Not debug locations: a function that only moved keeps
/// its digest. Equal digests: the code a rebuild would produce is the same.
llvm::StringMap<uint64_t> codeDigests(const llvm::Module &M, uint64_t Salt);

/// The IR type of type text \p Type, without a state identity: what callers
/// and typed lookups are checked against.
llvm::StringRef signatureOf(llvm::StringRef Type);

/// True if type text \p Type carries a state identity (a closure's entry point).
inline bool hasStateIdentity(llvm::StringRef Type) { return signatureOf(Type) != Type; }

/// Each static constructor of \p M (llvm.global_ctors) by name, with the
/// digest of what it runs (as stateIdentities() digests). Call before
/// gatherInitialisers().
llvm::StringMap<uint64_t> constructorDigests(const llvm::Module &M);

/// True for a vtable, VTT, construction vtable or typeinfo object (`_ZTV`,
/// `_ZTT`, `_ZTC`, `_ZTI`), also of a class with internal linkage, which
/// normalize() names "__hotjit.const.<length>.<module>.table.<name>".
bool isAbiTable(const llvm::GlobalVariable &GV);

/// A table's contents as version \p Version lays them out: an external
/// constant of the code module (its addresses resolved as the table's would
/// be: functions to their stubs), copied over the live table at publish.
struct TableImage {
  std::string Table;           ///< The table's name.
  std::string Symbol;          ///< The image's symbol.
  uint64_t Size = 0;           ///< Bytes (the table's alloc size).
  const void *Image = nullptr; ///< Where the image was linked (link stage).
};

/// Adds an image of each ABI table \p M defines that already has live storage
/// (\p Exists) to \p M, and returns them; not of closure-bound tables
/// (tableState()). Tables that refer to the module's
/// own constants (whose storage goes with the version) are left out: they
/// keep their first contents. Call before splitData().
std::vector<TableImage> addTableImages(llvm::Module &M, llvm::StringRef ModuleName,
                                       uint64_t Version,
                                       llvm::function_ref<bool(llvm::StringRef)> Exists);

/// The identity of the closures whose code table \p GV lists (a vtable of a
/// class made over a lambda, `Impl<subscribe()::$_0>`): 16 hex digits over the
/// state identities (\p States, stateIdentities()) of the functions it refers
/// to, or empty if it refers to none. Such a table is one closure layout's:
/// normalize() names its storage with this, so that each layout has its own
/// and old objects keep theirs; it is never rewritten in place.
std::string tableState(const llvm::GlobalVariable &GV, const llvm::StringMap<std::string> &States);

/// True for the images addTableImages() makes (code, not data).
bool isTableImage(llvm::StringRef Name);

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_REWRITE_OLDSTATE_H
