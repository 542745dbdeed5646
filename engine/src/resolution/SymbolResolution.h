// Which definition a name means: the rules the engine applies where a static linker would resolve
// symbols, adapted to modules that are linked alone and replaced one at a time.
//
// Rules
// -----
// * Stubs for every escaping address. Every function whose address can leave its module (a
//   non-local definition, or a local one whose address is stored in data, returned, passed or
//   compared) is reached through its stub: `&f` is the stub address, equal in every module and
//   before and after any swap. Only direct calls bind to one version's code.
// * Vague linkage (linkonce, linkonce_odr, weak, weak_odr). Every module that defines such a symbol
//   is a *provider* of it; the symbol is one function program-wide, with one stub. The stub runs
//   the *owner's* copy: the strong definition if one is live, otherwise the copy of the provider
//   that has provided the symbol longest (it keeps ownership through its own replacements). A
//   strong definition that arrives later takes the stub over; when it is removed, the
//   longest-standing weak provider's copy comes back. ODR copies (the `_odr` linkages, C++ inline
//   functions and templates) are interchangeable, so a module's direct calls keep running its own
//   copy; calls to a plain `weak`/`linkonce` definition go through the stub, since a strong
//   definition may override it.
// * available_externally definitions are declarations: the real definition is elsewhere.
// * extern_weak references resolve when their module is committed, against the state after the
//   batch: to the definition (its stub, the global, or the host symbol) if there is one, else to
//   null, as the native linker does. A definition that appears later does not change a null
//   already bound; such a reference counts as a caller of the definition it bound to.
// * Aliases. An alias of a function is a function of its own (own stub, same code); an alias of a
//   global variable names the same storage.
// * Module-level asm. Global symbols that module asm defines are functions of that module: they
//   are renamed per version in the asm text, get stubs and can be replaced like IR functions.
#ifndef HOTJIT_ENGINE_SRC_SYMBOLRESOLUTION_H
#define HOTJIT_ENGINE_SRC_SYMBOLRESOLUTION_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Module.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotjit {

/// How a definition takes part in symbol resolution.
enum class Binding {
  Strong, ///< External: one per program.
  ODR,    ///< linkonce_odr / weak_odr: interchangeable copies, any may run.
  Weak,   ///< linkonce / weak: a default that a strong definition overrides.
};

/// The binding of a definition with non-local linkage.
Binding bindingOf(const llvm::GlobalValue &GV);

/// True if the address of \p F is used other than as the callee of a direct
/// call (or by an alias, a blockaddress, or llvm.used): stored in data,
/// returned, passed, compared.
bool addressEscapes(const llvm::Function &F);

/// The global symbols defined by the module-level asm of \p M.
std::vector<std::string> asmDefinedSymbols(const llvm::Module &M);

/// Renames every whole-word occurrence of \p From in the module asm of \p M.
void renameAsmSymbol(llvm::Module &M, llvm::StringRef From, llvm::StringRef To);

/// Turns the `.globl`/`.global` directives for \p Name in the module asm of
/// \p M into `.local`.
void localizeAsmSymbol(llvm::Module &M, llvm::StringRef Name);

/// Binds the extern_weak references of \p M: those named in \p Null are
/// replaced by null; the others become ordinary external references.
void bindExternWeak(llvm::Module &M, const llvm::StringSet<> &Null);

/// One module's copy of a function.
struct Provider {
  Binding Bind = Binding::Strong;
  const void *Impl = nullptr; ///< Its implementation in the provider's live version.
  std::string Type;           ///< IR type text.
  uint64_t Version = 0;       ///< Version of the provider's live code.
  uint64_t Since = 0;         ///< Commit in which the module first provided it.
};

/// Providers of one function by module name.
using ProviderMap = std::map<std::string, Provider>;

/// A definition of a function in the state a batch would produce.
struct Definition {
  llvm::StringRef Module, Type;
  Binding Bind = Binding::Strong;
};

/// The owner among \p Providers ("Vague linkage" above): the strong one
/// (there is at most one, mayJoin()), else the one that has provided the
/// symbol longest (ties: module name order). Only providers \p Counts accepts
/// take part (a commit's checks leave out the modules the batch replaces or
/// removes). Null if none. The one election: stubs and a commit's checks ask it.
const ProviderMap::value_type *
electOwner(const ProviderMap &Providers,
           llvm::function_ref<bool(llvm::StringRef Module)> Counts = nullptr);

/// The owner's definition, as electOwner() chooses it.
std::optional<Definition>
ownerDefinition(const ProviderMap &Providers,
                llvm::function_ref<bool(llvm::StringRef Module)> Counts = nullptr);

/// Whether a definition bound \p New may join one bound \p Existing in one
/// program: two strong definitions are a duplicate symbol (ELF: a multiple
/// definition error), any number of vague copies may sit beside one strong one
/// (ELF: STB_WEAK and COMDAT groups).
bool mayJoin(Binding New, Binding Existing);

/// The definitions a batch brings, by name: the strong one, else the first
/// copy seen (the static linker keeps the first COMDAT copy). What a name
/// means after the batch is its entry here, else the owner among the live
/// providers the batch leaves alone (ownerDefinition()).
using BatchDefinitions = llvm::StringMap<Definition>;

/// Adds definition \p D of \p Name to \p Defs (after mayJoin() accepted it).
void addBatchDefinition(BatchDefinitions &Defs, llvm::StringRef Name, Definition D);

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_SYMBOLRESOLUTION_H
