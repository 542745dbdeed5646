/* hotjit's C API: the engine for hosts written in C, or in any language with a
 * C FFI. Link with libhotjit.so: `cc main.c $(pkg-config --cflags --libs
 * hotjit)`, or hotjit::shared in CMake.
 *
 * It is the C++ hotjit::Engine (hotjit/engine/Engine.h) behind opaque
 * handles, with its semantics: every managed function has a stable stub
 * address; a batch of module changes compiles and links every module alone
 * and publishes all of them or nothing; replaced code is freed after a grace
 * period, once no thread can be running it.
 *
 * Errors are values. A call that can fail returns a `hotjit_error *`: NULL on
 * success, otherwise an error that names the function and the module, owned
 * by the caller and freed with hotjit_error_free(). After a failure the
 * engine is exactly as it was before the call. No C++ exception crosses this
 * API.
 *
 * Threads. Every function is thread-safe unless it says otherwise. A thread
 * that calls JIT code through a stub address must be pinned for the whole
 * call: between hotjit_enter() and hotjit_exit() (nestable), or as an online
 * QSBR thread between two hotjit_quiescent() calls. Functions that block
 * (create, destroy, commits, rollback, prepared batches, the waits) must not
 * be called while the calling thread is pinned or online in that engine.
 */
#ifndef HOTJIT_HOTJIT_H
#define HOTJIT_HOTJIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define HOTJIT_NOEXCEPT noexcept /* no C++ exception leaves the API */
#else
#define HOTJIT_NOEXCEPT
#endif

#define HOTJIT_VERSION_MAJOR 0
#define HOTJIT_VERSION_MINOR 1
#define HOTJIT_VERSION_PATCH 0

/* ---- Errors ------------------------------------------------------------ */

/** What went wrong: hotjit::ErrorKind's values, then the C API's own kinds
 * from 100. */
typedef enum hotjit_error_kind {
  /** IR text or bitcode could not be read. */
  HOTJIT_ERROR_PARSE = 0,
  /** The IR verifier rejected a module. */
  HOTJIT_ERROR_VERIFY = 1,
  /** A referenced function or global is defined nowhere. */
  HOTJIT_ERROR_UNDEFINED = 2,
  /** Two modules define the same function or global. */
  HOTJIT_ERROR_DUPLICATE = 3,
  /** A function's type disagrees with a caller or a typed lookup. */
  HOTJIT_ERROR_SIGNATURE = 4,
  /** A global variable was redefined with another type. */
  HOTJIT_ERROR_GLOBAL_TYPE = 5,
  /** Removing a function that live code still calls. */
  HOTJIT_ERROR_IN_USE = 6,
  /** A construct hotjit refuses (ifuncs, ...). */
  HOTJIT_ERROR_UNSUPPORTED = 7,
  /** JITLink failed to link a module. */
  HOTJIT_ERROR_LINK = 8,
  /** A batch names a module that is not live (or is live already). */
  HOTJIT_ERROR_NO_SUCH_MODULE = 9,
  /** A lookup names no live function. */
  HOTJIT_ERROR_NO_SUCH_FUNCTION = 10,
  /** A lookup names a function removed by a forced removal. */
  HOTJIT_ERROR_REMOVED_FUNCTION = 11,
  /** Retired code is over its cap and the commit was not to wait. */
  HOTJIT_ERROR_BACKPRESSURE = 12,
  /** A source exceeds max_module_bytes. */
  HOTJIT_ERROR_TOO_LARGE = 13,
  /** A static constructor of an added module threw. */
  HOTJIT_ERROR_INITIALIZER = 14,
  /** cache_directory can be written by another user. */
  HOTJIT_ERROR_UNTRUSTED = 15,
  /** hotjit_prepared_publish(): a commit published since the batch was
   * prepared changed what it was prepared against; nothing was published.
   * Also a commit that would create the storage of a global that a prepared
   * batch (not yet published or discarded) creates. */
  HOTJIT_ERROR_CONFLICT = 16,
  /** hotjit_prepared_publish() or hotjit_prepared_discard() after the batch
   * was published or discarded, or after its engine was destroyed. */
  HOTJIT_ERROR_STALE = 17,
  /** A NULL handle, name or source, an opt level above 3, an unknown source
   * kind or remove mode, an options struct of another size. */
  HOTJIT_ERROR_INVALID_ARGUMENT = 100,
  /** A C++ exception inside the library: out of memory, or a bug. */
  HOTJIT_ERROR_INTERNAL = 101,
  /* Not a kind: makes the enum int-sized, so that the values of later
   * versions are valid values of it. */
  HOTJIT_ERROR_KIND_MAX_ = 0x7fffffff
} hotjit_error_kind;

/** An error: a kind and a message. Owned by the caller. */
typedef struct hotjit_error hotjit_error;

/** The kind of \p error. */
hotjit_error_kind hotjit_error_get_kind(const hotjit_error *error) HOTJIT_NOEXCEPT;
/** The message of \p error (UTF-8), valid until hotjit_error_free(error). */
const char *hotjit_error_message(const hotjit_error *error) HOTJIT_NOEXCEPT;
/** Frees \p error; NULL is a no-op. */
void hotjit_error_free(hotjit_error *error) HOTJIT_NOEXCEPT;
/** The kind's name ("Parse", "InUse", ...; "Unknown" for other values), a
 * static string. */
const char *hotjit_error_kind_name(hotjit_error_kind kind) HOTJIT_NOEXCEPT;

/** Frees a string returned by this API; NULL is a no-op. */
void hotjit_string_free(char *string) HOTJIT_NOEXCEPT;

/** The library's version, "MAJOR.MINOR.PATCH", a static string. */
const char *hotjit_version(void) HOTJIT_NOEXCEPT;

/* ---- Engines ----------------------------------------------------------- */

typedef struct hotjit_engine hotjit_engine;

/** A thread that held up reclamation longer than stall_threshold_ms
 * (hotjit::EpochStall). */
typedef struct hotjit_stall {
  /** OS thread id (gettid) of the thread. */
  uint64_t thread_id;
  /** How long it has held up reclamation so far (a lower bound). */
  uint64_t held_ns;
  /** 1: inside hotjit_enter(); 0: an online QSBR thread. */
  int pinned;
  /** One line naming the thread, the time and the likely cause. */
  const char *description;
  /** What a stack check found on its stack: the retired code it still runs
   * ("function 'f' of module 'm' version 3"); none if it was not checked. */
  size_t running_retired_count;
  const char *const *running_retired;
  /** 1: it did not answer its last stack check (it blocks the signal). */
  int unanswered;
} hotjit_stall;

/** Reports a stall. Runs on the engine's reclaimer thread; \p stall is valid
 * during the call only. It must not block for long nor call into the engine
 * except hotjit_get_stats(). */
typedef void (*hotjit_stall_handler)(const hotjit_stall *stall, void *user_data);

/** Engine-wide configuration, fixed at creation (hotjit::EngineOptions).
 * Fill it with hotjit_engine_options_init(), then change the fields you
 * need: fields that later versions add then keep their defaults. Sizes are
 * in bytes. */
typedef struct hotjit_engine_options {
  /** sizeof(hotjit_engine_options); set by hotjit_engine_options_init(). */
  size_t struct_size;
  /** IR optimisation and code generation level, 0 to 3 (default 2). */
  unsigned opt_level;
  /** Threads that compile in parallel; 0 (default): one per hardware
   * thread. */
  unsigned compile_threads;
  /** Nonzero: compile on the committing thread, with no pool. */
  int compile_in_calling_thread;
  /** Nonzero (default): reuse objects compiled from the same source bytes. */
  int object_cache;
  /** Also keep cached objects in this directory, which must be writable by
   * this user only (created with mode 0700); NULL (default): memory only. */
  const char *cache_directory;
  /** Bound on the in-memory object cache (default 64 MiB). */
  size_t cache_memory_bytes;
  /** Nonzero: publish at O0 at once, tier up to opt_level in the
   * background. */
  int tiered;
  /** Largest source a commit reads (default 64 MiB); 0: no limit. */
  size_t max_module_bytes;
  /** Nonzero (default): JIT code resolves libc, libm, libstdc++, libgcc_s. */
  int link_runtime_libraries;
  /** Retired code allowed to await reclamation before a commit applies
   * backpressure (default 512 MiB). */
  size_t retired_bytes_cap;
  /** Nonzero (default): at the cap, a commit waits; zero: it fails at once
   * with HOTJIT_ERROR_BACKPRESSURE. */
  int wait_when_over_cap;
  /** How long a commit waits at the cap (default 5000 ms). */
  uint32_t retired_wait_timeout_ms;
  /** How long the reclaimer batches retired code (default 1000 us). */
  uint32_t reclaim_delay_us;
  /** Threads that hold up reclamation longer are reported (default
   * 1000 ms). */
  uint32_t stall_threshold_ms;
  /** Nonzero (default): find JIT eh-frames through hotjit's index when its
   * _Unwind_Find_FDE is the one libgcc calls (hotjit_stats.unwind_index). */
  int unwind_index;
  /** Nonzero (default): register DWARF with the GDB JIT interface. */
  int debug_info_registration;
  /** Nonzero: keep /tmp/perf-<pid>.map for perf (default off). */
  int perf_map;
  /** Nonzero (stress tests): retired code is made inaccessible instead of
   * freed, and never reused, so that a thread running code it was not pinned
   * for faults at once (default off). */
  int quarantine_retired_code;
  /** Called for each thread that holds up reclamation longer than
   * stall_threshold_ms; NULL (default): the stall is printed on stderr. */
  hotjit_stall_handler on_stall;
  /** Passed to on_stall. */
  void *on_stall_user_data;
  /** A thread pinned this long while replaced code waits is asked (a signal)
   * to scan its stack, so code it does not run is freed while it stays
   * pinned (default 1000 us; 0: off, code waits for every thread to unpin). */
  uint32_t stack_check_after_us;
  /** The stack checks' signal (default 0: SIGRTMIN + 5). */
  int stack_check_signal;
  /** Nonzero (default): a replacement compiles, links and publishes only the
   * functions whose code or dependencies changed; the others keep their code
   * (hotjit_report.kept_functions). Zero: it compiles its whole module. */
  int partial_replacement;
  /** Nonzero: write a perf jitdump naming every version of every function,
   * for `perf inject --jit` (default off). */
  int perf_jit_dump;
} hotjit_engine_options;

/** Fills \p options with the defaults of this version of the library. A
 * library of a later version accepts the struct of this header: the fields it
 * added keep their defaults. */
void hotjit_engine_options_init(hotjit_engine_options *options) HOTJIT_NOEXCEPT;

/** Creates an engine (x86-64 Linux) and stores it in \p *engine_out;
 * \p options NULL means the defaults. Blocks while it sets up LLVM and the
 * compile threads. */
hotjit_error *hotjit_engine_create(const hotjit_engine_options *options,
                                   hotjit_engine **engine_out) HOTJIT_NOEXCEPT;

/** Frees every module and the engine. No thread may be running JIT code of
 * this engine, be pinned in it or be an online QSBR thread of it, and every
 * batch of it must have been committed or disposed. Batches still prepared
 * (hotjit_batch_prepare()) are discarded with it; their handles stay valid,
 * to be disposed, and no call on one may run during the destruction. NULL is
 * a no-op. */
void hotjit_engine_destroy(hotjit_engine *engine) HOTJIT_NOEXCEPT;

/* ---- Batches ----------------------------------------------------------- */

/** Where a module's IR comes from. */
typedef enum hotjit_source_kind {
  /** LLVM IR text (.ll): \p size bytes at \p data. */
  HOTJIT_SOURCE_IR_TEXT = 0,
  /** LLVM bitcode (.bc): \p size bytes at \p data. */
  HOTJIT_SOURCE_BITCODE = 1,
  /** A .ll or .bc file: \p data is its NUL-terminated path, \p size 0 or
   * the path's length (a NUL byte within \p size bytes is refused). */
  HOTJIT_SOURCE_FILE = 2,
  HOTJIT_SOURCE_KIND_MAX_ = 0x7fffffff /* not a kind: int-sized enum */
} hotjit_source_kind;

/** How a removal treats a function that live code still calls. */
typedef enum hotjit_remove_mode {
  /** Refuse with HOTJIT_ERROR_IN_USE. */
  HOTJIT_REMOVE_IF_UNUSED = 0,
  /** Remove; its stub then runs the removed-function handler. */
  HOTJIT_REMOVE_FORCE = 1,
  HOTJIT_REMOVE_MODE_MAX_ = 0x7fffffff /* not a mode: int-sized enum */
} hotjit_remove_mode;

/** A set of module changes applied atomically by hotjit_batch_commit(), or
 * prepared by hotjit_batch_prepare() to be published later. Used by one
 * thread at a time. */
typedef struct hotjit_batch hotjit_batch;

/** Starts an empty batch on \p engine; NULL if \p engine is NULL or no memory
 * is left. */
hotjit_batch *hotjit_batch_create(hotjit_engine *engine) HOTJIT_NOEXCEPT;

/** Adds to the batch module \p module, which must not be live yet, from
 * \p kind, \p data and \p size. The bytes are copied; nothing is read, parsed
 * or checked before the commit. Fails only with HOTJIT_ERROR_INVALID_ARGUMENT
 * (a NULL batch, module or data, an unknown kind, a file path with a NUL byte
 * within \p size). Names are NUL-terminated strings throughout this API. */
hotjit_error *hotjit_batch_add(hotjit_batch *batch, const char *module, hotjit_source_kind kind,
                               const void *data, size_t size) HOTJIT_NOEXCEPT;
/** As hotjit_batch_add(), for a live module: its new version. */
hotjit_error *hotjit_batch_replace(hotjit_batch *batch, const char *module, hotjit_source_kind kind,
                                   const void *data, size_t size) HOTJIT_NOEXCEPT;
/** As hotjit_batch_add(): adds or replaces, whichever applies at commit. */
hotjit_error *hotjit_batch_put(hotjit_batch *batch, const char *module, hotjit_source_kind kind,
                               const void *data, size_t size) HOTJIT_NOEXCEPT;
/** Removes live module \p module and every function it defines. */
hotjit_error *hotjit_batch_remove(hotjit_batch *batch, const char *module,
                                  hotjit_remove_mode mode) HOTJIT_NOEXCEPT;
/** Compiles this batch at \p level (0-3) instead of the engine's level; such
 * a batch is not tiered. */
hotjit_error *hotjit_batch_set_opt_level(hotjit_batch *batch, unsigned level) HOTJIT_NOEXCEPT;

/** What a successful commit did and where its time went
 * (hotjit::CommitReport). Owned by the caller, freed with
 * hotjit_report_free(). */
typedef struct hotjit_report {
  /** Version number given to the batch. */
  uint64_t version;
  /** Level its modules were compiled at. */
  unsigned opt_level;
  /** Functions given a new implementation. */
  size_t published_count;
  const char *const *published;
  /** Functions whose stub now traps. */
  size_t removed_count;
  const char *const *removed;
  /** Functions whose IR type changed: each got the stub of its new type. */
  size_t type_changed_count;
  const char *const *type_changed;
  /** Wall time of each phase, in nanoseconds (optimize and codegen: summed
   * over the compile threads). */
  uint64_t parse_ns, prepare_ns, optimize_ns, codegen_ns, link_ns, publish_ns, total_ns;
  /** Modules that went through code generation. */
  unsigned compiled;
  /** Modules linked from the object cache. */
  unsigned cache_hits;
  /** Entry points of closures and coroutines whose code changed: closures
   * and frames made before keep running the code they were made with. */
  size_t kept_for_old_state_count;
  const char *const *kept_for_old_state;
  /** Constructors of replaced modules that changed and were not run, each
   * "module 'm': constructor 'f'". */
  size_t skipped_constructors_count;
  const char *const *skipped_constructors;
  /** Vtables, VTTs and typeinfo rewritten in place. */
  size_t updated_tables_count;
  const char *const *updated_tables;
  /** Functions of the batch's modules compiled (or linked from the cache),
   * and functions of replaced modules whose code did not change and that
   * kept their code (partial_replacement). */
  unsigned recompiled_functions, kept_functions;
} hotjit_report;

/** Frees \p report; NULL is a no-op. */
void hotjit_report_free(hotjit_report *report) HOTJIT_NOEXCEPT;

/** Compiles, links and publishes \p batch, and frees it whatever the outcome.
 * On success stores the report in \p *report_out unless \p report_out is
 * NULL (NULL if no memory was left for it: the commit itself succeeded).
 * Blocks the calling thread until every module is compiled and linked;
 * commits are serialised, and calls through stubs proceed throughout. On
 * failure nothing of the batch is visible. */
hotjit_error *hotjit_batch_commit(hotjit_batch *batch, hotjit_report **report_out) HOTJIT_NOEXCEPT;

/** Frees \p batch without committing it; NULL is a no-op. */
void hotjit_batch_dispose(hotjit_batch *batch) HOTJIT_NOEXCEPT;

/* ---- Prepared batches --------------------------------------------------- */

/** A batch compiled, linked and constructed by hotjit_batch_prepare(),
 * waiting to be published at the caller's moment (a frame boundary, every
 * process of a fleet ready) by hotjit_prepared_publish(), or discarded
 * (hotjit::PreparedBatch).
 *
 * Until it is published nothing resolves to it: no lookup, version, module
 * list or stub names it (hotjit_stats.prepared_batches counts it), and JIT
 * code calls the live versions. Its code exists (debuggers and perf see it),
 * the static constructors of the modules it adds have run, and the storage of
 * the globals it creates is reserved: a commit that would create one fails
 * with HOTJIT_ERROR_CONFLICT.
 *
 * A commit published meanwhile that changes what the batch was prepared
 * against (a module it adds, replaces or removes, a function or global it or
 * those modules define, what a function or global it references resolves
 * to, a new caller of a function it removes or retypes) makes its publication
 * fail with HOTJIT_ERROR_CONFLICT; other commits leave it publishable.
 *
 * Used by one thread at a time, any thread: prepared on one thread, it may be
 * published on another. Owned by the caller, freed with
 * hotjit_prepared_dispose(), also after its engine was destroyed. */
typedef struct hotjit_prepared hotjit_prepared;

/** Does everything of hotjit_batch_commit() that can fail and publishes
 * nothing: parses, validates against the live state, compiles, links, and
 * runs the static constructors of the modules the batch adds. Frees \p batch
 * whatever the outcome. On success stores the prepared batch in
 * \p *prepared_out, owned by the caller; on failure stores NULL there and
 * nothing of the batch stays. Blocks like hotjit_batch_commit() and is
 * serialised with commits; other commits may run and publish while the batch
 * waits. Errors: those of hotjit_batch_commit(); HOTJIT_ERROR_INVALID_ARGUMENT
 * for a NULL \p batch or \p prepared_out. */
hotjit_error *hotjit_batch_prepare(hotjit_batch *batch,
                                   hotjit_prepared **prepared_out) HOTJIT_NOEXCEPT;

/** Makes \p prepared live, as hotjit_batch_commit() would have after its
 * checks: one store per changed stub, then the replaced versions retire. On
 * success stores the report in \p *report_out unless \p report_out is NULL
 * (NULL if no memory was left for it: the publication itself succeeded); its
 * version is hotjit_prepared_version(), its publish and total times this
 * call's. Does no compiling or linking; blocks only while a commit holds the
 * engine. Must not be called pinned or online in the engine. Errors (then
 * nothing changes and the batch stays prepared, to be discarded):
 * HOTJIT_ERROR_CONFLICT naming what a commit published since changed and its
 * version; HOTJIT_ERROR_STALE once published or discarded, or its engine
 * destroyed; HOTJIT_ERROR_UNSUPPORTED when the calling thread is pinned in the
 * engine. \p prepared stays the caller's either way. */
hotjit_error *hotjit_prepared_publish(hotjit_prepared *prepared,
                                      hotjit_report **report_out) HOTJIT_NOEXCEPT;

/** Undoes \p prepared: runs the exit handlers and finalisers of the modules
 * it added, then retires its code and storage (freed after a grace period,
 * since pointers its constructors handed out may be running). Blocks while a
 * commit holds the engine; must not be called pinned or online in the engine.
 * HOTJIT_ERROR_STALE (the message says which) if already published or discarded, or its engine
 * destroyed. \p prepared stays the caller's. */
hotjit_error *hotjit_prepared_discard(hotjit_prepared *prepared) HOTJIT_NOEXCEPT;

/** The version number \p prepared took (its report's version once
 * published); 0 if \p prepared is NULL. */
uint64_t hotjit_prepared_version(const hotjit_prepared *prepared) HOTJIT_NOEXCEPT;

/** Frees \p prepared, discarding it first (as hotjit_prepared_discard()) if
 * it is still prepared: then it blocks like hotjit_prepared_discard() and
 * must not be called pinned or online in the engine. NULL is a no-op. */
void hotjit_prepared_dispose(hotjit_prepared *prepared) HOTJIT_NOEXCEPT;

/** Re-publishes the previous version of the module that defines function
 * \p name (or of the module named \p name), as a commit of its previous
 * source. Blocks like a commit. */
hotjit_error *hotjit_rollback(hotjit_engine *engine, const char *name,
                              hotjit_report **report_out) HOTJIT_NOEXCEPT;

/* ---- Functions, globals and host symbols ------------------------------- */

/** The stable stub address of live function \p name, valid across versions
 * while the engine lives. If \p signature is not NULL it must be the
 * function's IR type text, as hotjit_signature_of() gives it
 * ("i32 (i32, ptr)"), or the lookup fails with HOTJIT_ERROR_SIGNATURE: the
 * address is never one of another type. The lookup needs no pin; every call
 * through the address is made pinned (or as an online QSBR thread). */
hotjit_error *hotjit_lookup(const hotjit_engine *engine, const char *name, const char *signature,
                            void **address_out) HOTJIT_NOEXCEPT;

/** The IR type text of live function \p name ("i32 (i32)") in
 * \p *signature_out, freed with hotjit_string_free(). */
hotjit_error *hotjit_signature_of(const hotjit_engine *engine, const char *name,
                                  char **signature_out) HOTJIT_NOEXCEPT;

/** The address of live global variable \p name (stable across swaps; for a
 * thread-local, the calling thread's instance). */
hotjit_error *hotjit_lookup_global(const hotjit_engine *engine, const char *name,
                                   void **address_out) HOTJIT_NOEXCEPT;

/** Makes \p address resolvable from JIT code as \p name. Registering a name
 * twice with different addresses fails with HOTJIT_ERROR_DUPLICATE. */
hotjit_error *hotjit_add_host_symbol(hotjit_engine *engine, const char *name,
                                     const void *address) HOTJIT_NOEXCEPT;

/** The names of the live modules, sorted, as a NULL-terminated array in
 * \p *names_out (one allocation, freed with hotjit_names_free()); their number
 * in \p *count_out unless it is NULL. */
hotjit_error *hotjit_modules(const hotjit_engine *engine, char ***names_out,
                             size_t *count_out) HOTJIT_NOEXCEPT;

/** Frees an array from hotjit_modules(); NULL is a no-op. */
void hotjit_names_free(char **names) HOTJIT_NOEXCEPT;

/** Stores the version number of live function \p name in \p *version_out
 * (unless it is NULL) and returns 1; returns 0 if no such function is live. */
int hotjit_version_of(const hotjit_engine *engine, const char *name,
                      uint64_t *version_out) HOTJIT_NOEXCEPT;

/** What a trapping stub reports: the removed function's name, or "function
 * 'f' changed type from 'A' to 'B'". Runs on the calling thread, inside the
 * trapped call (still pinned: it must not commit); if it returns, the trapped
 * call returns zero. */
typedef void (*hotjit_trap_handler)(const char *what, void *user_data);

/** Sets the handler trapping stubs run (NULL: the default, which prints and
 * aborts). A thread that trapped just before this call may still run the
 * previous handler, with its user_data, after it returns: keep both valid
 * until the engine is destroyed. */
hotjit_error *hotjit_set_removed_function_handler(hotjit_engine *engine,
                                                  hotjit_trap_handler handler,
                                                  void *user_data) HOTJIT_NOEXCEPT;

/* ---- Reclamation and statistics ---------------------------------------- */

/** Counters for monitoring, a consistent snapshot (hotjit::EngineStats). */
typedef struct hotjit_stats {
  /** Set by the caller to sizeof(hotjit_stats); a library fills no more. */
  size_t struct_size;
  size_t live_modules, live_functions;
  uint64_t commits, failed_commits;
  uint64_t versions_retired, versions_freed;
  size_t retired_bytes_pending;
  uint64_t modules_compiled, cache_hits, cache_corrupt, cache_untrusted;
  uint64_t perf_map_failures, tier_ups, type_changes;
  /** Commits blocked by backpressure right now. */
  uint32_t commits_waiting;
  uint64_t last_tier0_latency_ns, last_tier_up_latency_ns, free_time_ns;
  /** 1: JIT eh-frames are found through hotjit's index (its
   * _Unwind_Find_FDE is the one libgcc's unwinder calls); 0: they are
   * registered with libgcc (__register_frame). Both unwind correctly. */
  int unwind_index;
  /** The epoch domain: its epoch, grace periods, stall reports. */
  uint64_t epoch, grace_periods, stalls;
  /** Threads registered in the engine's epoch domain. */
  size_t registered_threads;
  /** Versions kept for closures and coroutine frames they made, and their
   * bytes. */
  uint64_t versions_kept;
  size_t kept_bytes;
  /** Stack checks: threads asked to scan their stacks; versions freed while
   * threads stayed pinned; checks that kept a version the thread still ran;
   * checks unanswered (the thread blocks the signal); 1: checks are on. */
  uint64_t stack_checks, versions_freed_by_stack_check, stack_check_held_code;
  uint64_t stack_check_unanswered;
  int stack_checks_enabled;
  /** Batches prepared (hotjit_batch_prepare()) and not yet published or
   * discarded. */
  uint32_t prepared_batches;
} hotjit_stats;

/** Fills \p out, whose struct_size the caller set, with the engine's
 * counters. */
void hotjit_get_stats(const hotjit_engine *engine, hotjit_stats *out) HOTJIT_NOEXCEPT;

/** Waits until every version retired so far has been freed. Blocks; never
 * call it pinned. */
void hotjit_wait_for_reclamation(hotjit_engine *engine) HOTJIT_NOEXCEPT;

/** Tiered engines: waits until every tier-up queued so far is committed or
 * dropped. Returns at once on an engine that is not tiered. */
void hotjit_wait_for_tier_ups(hotjit_engine *engine) HOTJIT_NOEXCEPT;

/* ---- Threads: pinning and QSBR (hotjit::EpochDomain) -------------------- */

/* These take a valid engine, never NULL: they are the fast path. */

/** Pins the calling thread (registering it on first use); nestable,
 * wait-free, never blocks. Code retired after the pin is not freed until the
 * matching outermost hotjit_exit(). */
void hotjit_enter(hotjit_engine *engine) HOTJIT_NOEXCEPT;
/** Undoes one hotjit_enter() of the calling thread; one without a matching
 * hotjit_enter() is undefined behaviour. */
void hotjit_exit(hotjit_engine *engine) HOTJIT_NOEXCEPT;
/** The calling thread's pin nesting depth (0: not pinned). Save it before
 * setjmp, and pass it to hotjit_restore_depth() after a longjmp out of pinned
 * code. */
uint32_t hotjit_depth(const hotjit_engine *engine) HOTJIT_NOEXCEPT;
/** Ends every pin taken since hotjit_depth() returned \p depth (none: a
 * no-op); aborts if the thread is nested less deeply than \p depth. */
void hotjit_restore_depth(hotjit_engine *engine, uint32_t depth) HOTJIT_NOEXCEPT;
/** QSBR: the calling thread holds no stub address call or JIT pointer from
 * before this call. The first call makes it an online QSBR thread, which
 * holds up reclamation until its next hotjit_quiescent() or
 * hotjit_offline(). Wait-free. */
void hotjit_quiescent(hotjit_engine *engine) HOTJIT_NOEXCEPT;
/** QSBR: the calling thread is about to block or sleep, and stops holding up
 * reclamation. */
void hotjit_offline(hotjit_engine *engine) HOTJIT_NOEXCEPT;
/** QSBR: ends hotjit_offline(); the thread is online again. */
void hotjit_online(hotjit_engine *engine) HOTJIT_NOEXCEPT;
/** Removes the calling thread's registration now instead of at thread exit;
 * aborts if the thread is pinned. */
void hotjit_unregister_thread(hotjit_engine *engine) HOTJIT_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HOTJIT_HOTJIT_H */
