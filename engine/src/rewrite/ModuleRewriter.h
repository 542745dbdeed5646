// IR-level preparation of one module: support checks, the facts a commit validates, and the
// rewrite that makes it linkable alone (versioned implementation names, data split from code).
#ifndef HOTJIT_ENGINE_SRC_MODULEREWRITER_H
#define HOTJIT_ENGINE_SRC_MODULEREWRITER_H

#include "resolution/SymbolResolution.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace hotjit {

/// What a module defines and references, after normalize().
struct ModuleFacts {
  /// Externally visible functions it defines: name -> IR type text.
  llvm::StringMap<std::string> Functions;
  /// Externally visible global variables it defines: name -> value type text.
  llvm::StringMap<std::string> Globals;
  /// Functions it references but does not define: name -> declared type text.
  llvm::StringMap<std::string> FunctionRefs;
  /// Global variables it references but does not define: name -> type text.
  llvm::StringMap<std::string> GlobalRefs;
  /// Functions of Functions whose definition is not strong (vague linkage).
  llvm::StringMap<Binding> VagueFunctions;
  /// extern_weak references (resolved at commit): name -> type text.
  llvm::StringMap<std::string> WeakFunctionRefs, WeakGlobalRefs;
  /// Functions of Functions that module-level asm defines.
  llvm::StringSet<> AsmFunctions;
  /// Aliases of global variables it defines: alias -> aliased global.
  llvm::StringMap<std::string> DataAliases;
  /// Globals of Globals that are thread-local (emulated TLS: linked as
  /// "__emutls_v.<name>", the variable's control block).
  llvm::StringSet<> ThreadLocals;
  /// Its static constructors, with the digest of what each runs
  /// (rewrite/OldState.h): a replacement reports those that changed.
  llvm::StringMap<uint64_t> Constructors;
};

/// The symbol under which global \p Name of \p Facts is linked.
std::string linkName(const ModuleFacts &Facts, llvm::StringRef Name);

/// Rejects constructs hotjit cannot hot-swap safely, naming the construct and
/// \p ModuleName: ifuncs, aliases of anything but a function or a whole
/// global variable, aliases of thread-locals, module asm that defines data,
/// externally visible tables of label addresses, and symbols named in
/// hotjit's reserved namespace (isReservedName()).
llvm::Error checkSupported(const llvm::Module &M, llvm::StringRef ModuleName);

/// Makes the module's linkage hot-swap friendly (rules: SymbolResolution.h):
/// comdats are dropped (the engine resolves duplicates), available_externally
/// definitions become declarations, unused discardable definitions are
/// erased; mutable internal globals, and internal functions whose address
/// escapes, are promoted to module-qualified external names
/// (engineName("local", Module, Name)) so their state and identity survive a
/// replacement. Vague-linkage functions keep their names and linkage.
///
/// Label addresses (`&&label`, computed goto) belong to the version whose
/// code holds the labels: a table that holds them, and every internal global
/// that a function taking label addresses uses (the table it fills at run
/// time, the flag that says it is filled), stay internal to each version and
/// start afresh with it; they are never shared data.
void normalize(llvm::Module &M, llvm::StringRef ModuleName);

/// Collects definitions and references (call after normalize()).
ModuleFacts collectFacts(const llvm::Module &M);

/// Turns every externally visible global variable of \p Code into a
/// declaration and returns a data module (same context) that defines those
/// listed in \p NewGlobals, or null if it would define nothing. Existing
/// globals are thereby bound to their current storage.
std::unique_ptr<llvm::Module> splitData(llvm::Module &Code, const llvm::StringSet<> &NewGlobals);

/// Where a renamed implementation is found after linking.
struct Implementation {
  std::string Symbol; ///< Symbol to look up.
  /// The symbol is a pointer-sized constant holding the implementation's
  /// address (module asm definitions, which ORC does not see in the IR).
  bool Indirect = false;
};

/// Renames each externally visible function definition (and function alias)
/// `f` to its versioned implementation name and redirects every non-call use
/// (address taken, initializers) to a declaration of `f`, which resolves to
/// f's stub. Direct calls inside the module keep calling the same version,
/// except calls to a weak (overridable) definition, which go through the
/// stub. Copies of vague-linkage functions get module-qualified names, since
/// several modules define them. Functions that module asm defines are renamed
/// in the asm text. Returns public name -> implementation.
llvm::StringMap<Implementation> renameImplementations(llvm::Module &M, uint64_t Version,
                                                      llvm::StringRef ModuleName);

/// The implementation name of \p Public in version \p Version:
/// "<Public>.<versionToken(Version)>".
std::string implementationName(llvm::StringRef Public, uint64_t Version);

/// The name the engine gives a symbol of module \p Module:
/// "__hotjit.<Kind>.<length of Module>.<Module>[.<Name>]". The length makes
/// the name unambiguous whatever the module and the name contain (module
/// "net" with "http.x" and module "net.http" with "x" differ), and the prefix
/// is hotjit's reserved namespace, which no module may use (checkSupported()).
/// Kinds: "local" (a promoted internal symbol), "anon" (a promoted unnamed
/// one, Name is its number), "const" (a constant whose address escapes: Name
/// is "name.<its name>.<hash of its content>", or "lit.<hash>" for a literal), "dso" (its
/// __dso_handle), "init" and "fini" (its constructor and destructor runners), "copy" (its copy of a
/// vague-linkage function).
std::string engineName(llvm::StringRef Kind, llvm::StringRef Module, llvm::StringRef Name = "");

/// True for the engine-made name of a constant whose address escapes its code
/// (engineName("const", Module, "name.<name>.<content hash>"), or "lit.<content
/// hash>" for a literal): old code may keep its address in the heap, so its
/// storage lives as long as its module, not as long as the versions that
/// define it.
inline bool isModuleLifetime(llvm::StringRef Name) { return Name.starts_with("__hotjit.const."); }

/// True for names in hotjit's reserved namespace: "__hotjit..." and any name
/// that holds a version token ("__hjv").
bool isReservedName(llvm::StringRef Name);

/// The implementation name of a module's copy of a vague-linkage function:
/// implementationName(engineName("copy", Module, Public), Version).
std::string copyName(llvm::StringRef Public, llvm::StringRef Module, uint64_t Version);

/// "__hjv" followed by the version as 16 hex digits. Fixed width, so the
/// object cache can swap one version's token for another's in place (same
/// length: string tables and offsets stay valid) and reuse one compiled object
/// for identical code under any version number.
std::string versionToken(uint64_t Version);

/// Replaces every occurrence of versionToken(\p From) in the string tables
/// (symbol and section names) of the ELF object \p Bytes by
/// versionToken(\p To); UINT64_MAX stands for the neutral token. Code and
/// data are never touched. Fails if \p Bytes is not a well-formed ELF object.
llvm::Error retagVersion(llvm::MutableArrayRef<char> Bytes, uint64_t From, uint64_t To);

/// The version a module was tagged with by the commit (its identifier ends in
/// "@v<version>"), or 0.
uint64_t taggedVersion(const llvm::Module &M);

/// Tags \p M (its identifier) as version \p Version of module \p Name.
void tagVersion(llvm::Module &M, llvm::StringRef Name, uint64_t Version);

/// Prints an IR type the way the engine compares signatures and globals: by
/// layout, as the native linker would, with every struct spelled out
/// (`{ i32, ptr }`), never by its context-local name.
std::string typeText(const llvm::Type *T);

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_MODULEREWRITER_H
