// The protections scripts/mutate breaks on purpose, one named constant each.
//
// A build configured with -DHOTJIT_MUTATION=<NAME> (scripts/mutate configures a
// scratch clone so) has the constant of that NAME true, to prove that the suite
// notices the protection missing; every other build has all of them false.
// Sites read them as ordinary expressions or `if constexpr`: both sides always
// compile, and the false side costs nothing. Only engine sources include this
// header. A public header must not depend on a mutation: its inline functions
// would have one definition per build of its users.
//
// scripts/mutate reads its list from here: each entry is a `///` line saying
// what breaks, then the constant, whose initialiser is `is("<NAME>")`.
#ifndef HOTJIT_ENGINE_MUTATIONS_H
#define HOTJIT_ENGINE_MUTATIONS_H

#include <string_view>

namespace hotjit::mutation {

#define HOTJIT_MUTATION_TEXT_(Name) #Name
#define HOTJIT_MUTATION_TEXT(Name) HOTJIT_MUTATION_TEXT_(Name)
#ifdef HOTJIT_MUTATION
/// The NAME given by -DHOTJIT_MUTATION=<NAME>.
inline constexpr std::string_view Active = HOTJIT_MUTATION_TEXT(HOTJIT_MUTATION);
#else
inline constexpr std::string_view Active = "";
#endif
#undef HOTJIT_MUTATION_TEXT
#undef HOTJIT_MUTATION_TEXT_

/// True in the build that breaks protection \p Name.
consteval bool is(std::string_view Name) { return Active == Name; }

/// publication: a slot store that stores nothing
inline constexpr bool PublishNoop = is("PUBLISH_NOOP");
/// removal trap: a removed function's stub keeps its old code
inline constexpr bool RemovalKeepsTarget = is("REMOVAL_KEEPS_TARGET");
/// transactional commit at link time: failed batch stays loaded
inline constexpr bool LinkFailureKeepsCode = is("LINK_FAILURE_KEEPS_CODE");
/// link errors name the assembler's message, not a dependent's
inline constexpr bool LinkErrorWithoutWait = is("LINK_ERROR_WITHOUT_WAIT");
/// signature checks at commit and at typed lookup
inline constexpr bool NoSignatureCheck = is("NO_SIGNATURE_CHECK");
/// type identity: a type change keeps the stub
inline constexpr bool TypeChangeKeepsStub = is("TYPE_CHANGE_KEEPS_STUB");
/// grace period before freeing retired code
inline constexpr bool NoGracePeriod = is("NO_GRACE_PERIOD");
/// global binding: replacements define fresh storage
inline constexpr bool GlobalsNotBound = is("GLOBALS_NOT_BOUND");
/// EH index: JIT frames unknown to the unwinder
inline constexpr bool EhIndexBlind = is("EH_INDEX_BLIND");
/// tier-up guard: a stale tier-up overwrites a newer version
inline constexpr bool TierUpUnguarded = is("TIERUP_UNGUARDED");
/// escaping addresses: internal functions get no stub
inline constexpr bool NoEscapeStubs = is("NO_ESCAPE_STUBS");
/// ODR resolution: a strong definition does not win
inline constexpr bool WeakNotOverridden = is("WEAK_NOT_OVERRIDDEN");
/// initialiser rules: static constructors skipped
inline constexpr bool ConstructorsNotRun = is("CONSTRUCTORS_NOT_RUN");
/// initialiser rules: replacement brings uninitialised storage
inline constexpr bool ReplaceSkipsInitCheck = is("REPLACE_SKIPS_INIT_CHECK");
/// threads started by JIT code run unpinned
inline constexpr bool UnpinnedJitThreads = is("UNPINNED_JIT_THREADS");
/// signal handlers installed by JIT code run unpinned
inline constexpr bool UnpinnedJitSignalHandlers = is("UNPINNED_JIT_SIGNAL_HANDLERS");
/// cache trust: foreign or group/world-writable directory accepted
inline constexpr bool CacheTrustsAnyDirectory = is("CACHE_TRUSTS_ANY_DIRECTORY");
/// cache key: the same bytes rewritten under another state hit
inline constexpr bool CacheKeyIgnoresState = is("CACHE_KEY_IGNORES_STATE");
/// the C API's pin (hotjit_enter/hotjit_exit) pins nothing
inline constexpr bool CApiPinNoop = is("CAPI_PIN_NOOP");
/// closures and coroutine frames: identity by name only (new code on old state)
inline constexpr bool ClosureIdentityByName = is("CLOSURE_IDENTITY_BY_NAME");
/// C++ ABI tables keep their first contents
inline constexpr bool AbiTablesNotRewritten = is("ABI_TABLES_NOT_REWRITTEN");
/// changed constructors of a replacement go unreported
inline constexpr bool SkippedConstructorsUnreported = is("SKIPPED_CONSTRUCTORS_UNREPORTED");
/// data in use: a batch may drop a global that live modules still read
inline constexpr bool GlobalUsersUnchecked = is("GLOBAL_USERS_UNCHECKED");
/// constructor priorities: each module's in turn, not program-wide
inline constexpr bool PrioritiesPerModule = is("PRIORITIES_PER_MODULE");
/// stack checks: a thread's stack never holds retired code (old code freed under it)
inline constexpr bool StackCheckFindsNothing = is("STACK_CHECK_FINDS_NOTHING");
/// partial replacement: a code digest ignores the contents of the constants it reads
inline constexpr bool DigestIgnoresConstants = is("DIGEST_IGNORES_CONSTANTS");
/// partial replacement: a replaced piece is retired while kept functions still run it
inline constexpr bool PiecesRetiredWhileKept = is("PIECES_RETIRED_WHILE_KEPT");
/// partial replacement: a code digest ignores the functions it calls (inlined callees)
inline constexpr bool DigestIgnoresCallees = is("DIGEST_IGNORES_CALLEES");
/// prepared batches: publish() ignores commits published since prepare()
inline constexpr bool PreparedConflictsIgnored = is("PREPARED_CONFLICTS_IGNORED");

} // namespace hotjit::mutation

#endif // HOTJIT_ENGINE_MUTATIONS_H
