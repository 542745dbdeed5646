// The hotjit engine: add, replace and remove IR modules in a live process, one function at a time.
//
// Example (compiled and run by the HeaderExample.Engine test):
//   auto Jit = llvm::cantFail(hotjit::Engine::create());
//   llvm::cantFail(Jit->add("math", hotjit::ModuleSource::fromIR(
//       "define i32 @scale(i32 %x) { %r = mul i32 %x, 2  ret i32 %r }")));
//   // A typed handle on the function's stable stub; the IR type must match.
//   auto Scale = llvm::cantFail(Jit->lookup<int(int)>("scale"));
//   assert(Scale(21) == 42); // pins the calling thread for the call
//   // Replace the module while other threads call: each call runs either the
//   // old or the new code, and the old code is freed once no thread runs it.
//   llvm::cantFail(Jit->replace("math", hotjit::ModuleSource::fromIR(
//       "define i32 @scale(i32 %x) { %r = mul i32 %x, 3  ret i32 %r }")));
//   assert(Scale(21) == 63); // same handle, same address, new code
//
// Every managed function has a stable stub (engine/src/memory/StubTable.h). A commit compiles and
// links each of its modules alone, against the stubs of the functions it calls, and only after
// every module of the batch has linked does it publish the new implementations, one release store
// per function. Replaced code is retired into the engine's EpochDomain and freed once no thread can
// run it.
#ifndef HOTJIT_ENGINE_ENGINE_H
#define HOTJIT_ENGINE_ENGINE_H

#include "hotjit/concurrency/EpochDomain.h"
#include "hotjit/concurrency/EpochGuard.h"
#include "hotjit/engine/Errors.h"
#include "hotjit/engine/Signature.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace hotjit {

/// Engine-wide configuration, fixed at creation.
struct EngineOptions {
  /// IR optimisation and code generation level, 0 to 3.
  unsigned OptLevel = 2;
  /// Threads that compile and link modules in parallel, on a dedicated oneTBB
  /// arena; 0 means one per hardware thread.
  unsigned CompileThreads = 0;
  /// Compile and link on the committing thread itself (no pool): the
  /// baseline that parallel compilation is measured against.
  bool CompileInCallingThread = false;
  /// Reuse compiled objects: a module committed before from the same source
  /// bytes, under the same name, options and target, and rewritten against
  /// the same engine state (which extern_weak references are null, which
  /// thread-locals and globals the engine already defines), under any version
  /// number, is linked without code generation. The key is a hash of the
  /// source bytes and of those answers, computed before code generation; the
  /// same code committed from other bytes (other comments, names of locals)
  /// compiles again.
  bool ObjectCache = true;
  /// Also keep cached objects in this directory, so a restarted process
  /// compiles nothing it compiled before. Empty: memory only.
  ///
  /// An entry whose header checks out (magic, length, hash: no secret) is
  /// linked and run without recompiling, so whoever can write to the directory
  /// can run code in this process. It is created with mode 0700 if missing,
  /// and create() fails with ErrorKind::Untrusted if it is not owned by the
  /// effective uid or is writable by group or others. Entries that are
  /// symlinks, not regular files or owned by another uid are ignored, deleted
  /// and counted (EngineStats::CacheUntrusted). A cache shared between users
  /// would need signed entries (a per-host key); hotjit does not provide one.
  std::string CacheDirectory;
  /// Bound on the in-memory part of the object cache.
  size_t CacheMemoryBytes = size_t(64) << 20;
  /// Partial replacement: a replacement compiles, links and publishes only
  /// the functions whose code or dependencies changed (code digests: the
  /// function's IR, the constants and type layouts it uses, the declarations
  /// it calls, and every function of its module it calls, transitively); the
  /// others keep their code, stubs, versions and debug, EH and perf
  /// registrations (CommitReport::KeptFunctions). Off: every replacement
  /// compiles its whole module.
  bool PartialReplacement = true;
  /// Tiered compilation: commits without an explicit level publish an O0
  /// version at once, then a background thread compiles the module at
  /// OptLevel and swaps it in (if it is still the live version).
  bool Tiered = false;
  /// Tiered: called on the tier-up thread once it has taken the source of
  /// (\p Module, \p Version) and before it commits the optimised version,
  /// with no engine lock held (it may commit). A tier-up whose version is no
  /// longer live by then is dropped. For tracing and for tests that order a
  /// tier-up against other commits.
  std::function<void(llvm::StringRef Module, uint64_t Version)> BeforeTierUp;
  /// Largest IR text, bitcode or file a commit reads, in bytes; a larger
  /// source fails with ErrorKind::TooLarge before it is parsed. 0: no limit.
  size_t MaxModuleBytes = size_t(64) << 20;
  /// Resolve the C, math and C++ runtime libraries (libc, libm, libstdc++,
  /// libgcc_s) for JIT code. Everything else must be registered with
  /// Engine::addHostSymbol.
  bool LinkRuntimeLibraries = true;
  /// Retired code (bytes) allowed to await reclamation before a commit
  /// applies backpressure.
  size_t RetiredBytesCap = size_t(512) << 20;
  /// At the cap: wait (up to RetiredWaitTimeout) for reclamation, or fail the
  /// commit at once with ErrorKind::Backpressure.
  bool WaitWhenOverCap = true;
  std::chrono::milliseconds RetiredWaitTimeout{5000};
  /// How long the reclaimer waits after a retire to batch more retired
  /// versions into the same grace period. Longer: fewer grace periods (each
  /// interrupts every running thread once with membarrier) but old code lives
  /// a little longer.
  std::chrono::microseconds ReclaimDelay{1000};
  /// A thread that holds a guard (or stays online without a quiescent state)
  /// longer than this while reclamation waits is reported through OnStall,
  /// or on stderr when OnStall is unset; EpochStall::describe() names the
  /// likely cause (for a pinned thread: a guard skipped by longjmp).
  std::chrono::milliseconds StallThreshold{1000};
  std::function<void(const EpochStall &)> OnStall;
  /// A thread pinned this long while a replaced version waits is asked to
  /// scan its own stack (a signal, StackCheckSignal): a version that no such
  /// thread holds an address of is freed without waiting for them to unpin
  /// (README, "Threads"). Stalls then name the retired code found on a
  /// thread's stack. 0: off; versions wait until every thread unpins. Hosts
  /// that run JIT code on fibers or stacks of their own must turn it off.
  std::chrono::microseconds StackCheckAfter{1000};
  /// The signal of stack checks (installed with SA_RESTART; sleeping calls
  /// such as nanosleep, poll and epoll_wait see EINTR). 0: SIGRTMIN + 5. If
  /// the program already handles it, stack checks stay off.
  int StackCheckSignal = 0;
  /// Find the unwind tables (eh-frames) of JIT code through hotjit's own
  /// O(log N) index, which the host's interposed _Unwind_Find_FDE consults,
  /// so throws do not slow down as modules accumulate. Used when the
  /// interposition is live (EngineStats::UnwindIndex says); otherwise, or when
  /// false, eh-frames are registered with libgcc (__register_frame).
  bool UnwindIndex = true;
  /// Register each module that carries DWARF debug info with the GDB JIT
  /// interface while its code lives (gdb and lldb then see its functions,
  /// source lines and variables). Off: no plugin, no cost.
  bool DebugInfoRegistration = true;
  /// Keep /tmp/perf-<pid>.map listing every live JIT function as
  /// "name [v<version>]", for perf. Off: no plugin, no cost. The map is only
  /// ever written as a fresh file of unique name (mode 0644) renamed over the
  /// path, never opened by name, so a file or symlink planted there is
  /// replaced, not followed; when it cannot be written or replaced,
  /// EngineStats::PerfMapFailures counts it.
  bool PerfMap = false;
  /// Write a perf jitdump file (LLVM's PerfSupportPlugin): a code load record, with its time,
  /// address, name and source lines, for every function of every version linked, so that
  /// `perf record -k 1` then `perf inject --jit` attribute samples to each version by name
  /// ("f.__hjv0000000000000008" for version 8 of f), replaced ones included. The file is
  /// $JITDUMPDIR/.debug/jit/llvm-IR-jit-DATE-RANDOM/jit-<pid>.dump, else under $HOME (LLVM's
  /// JITLoaderPerf picks the path; perf finds it through the mapping the process makes of it).
  /// Records are never removed: the file grows with every version. Off: no plugin, no cost.
  bool PerfJitDump = false;
  /// Stress builds: instead of unmapping retired code, make it PROT_NONE and
  /// never reuse it, so a premature free faults deterministically.
  bool QuarantineRetiredCode = false;
  /// TEST ONLY: free retired code without waiting for readers. Exists to
  /// prove that the stress tests detect a missing grace period.
  bool UnsafeReclaimWithoutGracePeriod = false;
};

/// Where a module's IR comes from.
class ModuleSource {
public:
  enum class Kind { IRText, Bitcode, File, Module };

  /// LLVM IR in textual form (.ll).
  static ModuleSource fromIR(std::string Text);
  /// LLVM bitcode bytes (.bc).
  static ModuleSource fromBitcode(std::string Bytes);
  /// A file holding IR text or bitcode (detected by its magic number).
  static ModuleSource fromFile(std::string Path);
  /// An already-built module; the engine takes both the module and its
  /// context, which must hold nothing else.
  static ModuleSource fromModule(std::unique_ptr<llvm::LLVMContext> Ctx,
                                 std::unique_ptr<llvm::Module> M);

  ModuleSource(ModuleSource &&);
  ModuleSource &operator=(ModuleSource &&);
  ~ModuleSource();

  Kind kind() const { return K; }
  const std::string &data() const { return Data; }
  std::unique_ptr<llvm::LLVMContext> takeContext();
  std::unique_ptr<llvm::Module> takeModule();

private:
  ModuleSource(Kind K, std::string Data) : K(K), Data(std::move(Data)) {}
  Kind K;
  std::string Data;
  std::unique_ptr<llvm::LLVMContext> Ctx;
  std::unique_ptr<llvm::Module> M;
};

/// How remove() treats a function that live code still calls.
enum class RemoveMode {
  IfUnused, ///< Refuse (ErrorKind::InUse) while any live module calls it.
  Force,    ///< Remove; its stub then traps with "called removed function".
};

/// What a successful commit did, and where its time went.
struct CommitReport {
  uint64_t Version = 0;               ///< Version number given to this batch.
  unsigned OptLevel = 0;              ///< Level its modules were compiled at.
  std::vector<std::string> Published; ///< Functions given a new implementation.
  std::vector<std::string> Removed;   ///< Functions whose stub now traps.
  /// Functions whose IR type changed: each got the stub of its new type (a
  /// new `&f`); the old stub runs the old code until it is reclaimed, then
  /// traps ("function 'f' changed type from 'A' to 'B'").
  std::vector<std::string> TypeChanged;
  /// Entry points of closures and coroutines (lambda bodies, std::function
  /// invokers, `.resume` functions) whose code changed: closures and frames
  /// made before run the code they were made with, which is kept while the
  /// engine lives; new ones run the new code (README, "State made by old code").
  std::vector<std::string> KeptForOldState;
  /// Static constructors of replaced modules that are new or whose code (or
  /// what they call in their module) changed. A replacement never runs
  /// constructors: what these would register or initialise is not done until
  /// the module is removed and added again. Each entry: "module 'm':
  /// constructor 'f'".
  std::vector<std::string> SkippedConstructors;
  /// Vtables, VTTs and typeinfo objects whose words the replacement rewrote
  /// in place: objects made before and after it dispatch alike.
  std::vector<std::string> UpdatedTables;
  std::chrono::nanoseconds Parse{0};    ///< Parse and verify (wall).
  std::chrono::nanoseconds Prepare{0};  ///< Checks, rewrite, stubs (wall).
  std::chrono::nanoseconds Optimize{0}; ///< IR pipeline, summed over threads.
  std::chrono::nanoseconds Codegen{0};  ///< Code generation, summed over threads.
  std::chrono::nanoseconds Link{0};     ///< Compile + link of every module (wall).
  std::chrono::nanoseconds Publish{0};  ///< Slot stores and bookkeeping (wall).
  std::chrono::nanoseconds Total{0};
  unsigned Compiled = 0;  ///< Modules that went through codegen.
  unsigned CacheHits = 0; ///< Modules linked from the object cache.
  /// Functions of the batch's modules compiled (or linked from the cache) by
  /// this commit, and functions of replaced modules whose code did not change
  /// and that kept their code (EngineOptions::PartialReplacement).
  unsigned RecompiledFunctions = 0, KeptFunctions = 0;
};

/// Counters for monitoring; a consistent snapshot.
struct EngineStats {
  size_t LiveModules = 0;
  size_t LiveFunctions = 0;
  uint64_t Commits = 0;
  uint64_t FailedCommits = 0;
  uint64_t VersionsRetired = 0;
  uint64_t VersionsFreed = 0;
  size_t RetiredBytesPending = 0;
  uint64_t ModulesCompiled = 0; ///< Modules that went through codegen.
  uint64_t CacheHits = 0;       ///< Modules linked from the object cache.
  uint64_t CacheCorrupt = 0;    ///< Disk entries that failed to verify.
  /// Disk entries ignored and deleted because another user could have made
  /// them: symlinks, non-regular files, files owned by another uid.
  uint64_t CacheUntrusted = 0;
  /// Attempts to write or replace the perf map that failed, in the whole
  /// process (the map is shared by its engines); until a later one succeeds
  /// the map is missing or out of date.
  uint64_t PerfMapFailures = 0;
  uint64_t TierUps = 0;     ///< Optimised versions swapped in (Tiered).
  uint64_t TypeChanges = 0; ///< Functions given another type (CommitReport::TypeChanged).
  /// Versions kept for closures and coroutine frames they made
  /// (CommitReport::KeptForOldState), and their code and data in bytes.
  uint64_t VersionsKept = 0;
  size_t KeptBytes = 0;
  /// Commits blocked right now until retired code drains below
  /// EngineOptions::RetiredBytesCap (WaitWhenOverCap): backpressure in effect.
  uint32_t CommitsWaiting = 0;
  /// Batches prepared (Batch::prepare()) and not yet published or discarded.
  uint32_t PreparedBatches = 0;
  /// Latest tier-0 commit and tier-up commit latency (Tiered).
  std::chrono::nanoseconds LastTier0Latency{0}, LastTierUpLatency{0};
  /// Time spent freeing retired versions (ResourceTracker::remove: code,
  /// eh-frames, debug and perf registrations), summed over VersionsFreed.
  std::chrono::nanoseconds FreeTime{0};
  /// Stack checks (EngineOptions::StackCheckAfter): threads asked to scan
  /// their stacks; versions those checks freed while threads stayed pinned;
  /// checks that kept a version because the thread ran it (held code); checks
  /// that kept every version because the thread did not answer.
  uint64_t StackChecks = 0;
  uint64_t VersionsFreedByStackCheck = 0;
  uint64_t StackCheckHeldCode = 0;
  uint64_t StackCheckUnanswered = 0;
  /// JIT eh-frames live in hotjit's index (EngineOptions::UnwindIndex took
  /// effect) rather than in libgcc's registry.
  bool UnwindIndex = false;
  EpochStats Epochs;
};

class Engine;
class PreparedBatch;

/// A set of module changes applied atomically by commit(): either every
/// module links and all are published, or nothing changes.
class Batch {
public:
  /// Adds a module that must not be live yet.
  Batch &add(std::string ModuleName, ModuleSource Source);
  /// Replaces a live module with a new version.
  Batch &replace(std::string ModuleName, ModuleSource Source);
  /// Adds or replaces, whichever applies at commit time.
  Batch &put(std::string ModuleName, ModuleSource Source);
  /// Removes a live module and every function it defines.
  Batch &remove(std::string ModuleName, RemoveMode Mode = RemoveMode::IfUnused);
  /// Compiles this batch at \p Level (0-3) instead of the engine's level;
  /// such a batch is not tiered.
  Batch &optLevel(unsigned Level);

  /// Compiles, links and publishes the batch. Blocks the calling thread
  /// (never call it while holding an EpochGuard of this engine). Commits are
  /// serialised; calls through stubs proceed throughout.
  llvm::Expected<CommitReport> commit();

  /// Does everything of commit() that can fail and publishes nothing: parses,
  /// validates against the live state, compiles, links (under new trackers),
  /// registers the code's eh-frames and debug info, and runs the static
  /// constructors of the modules the batch adds. The returned batch is
  /// published later by PreparedBatch::publish(), from any thread, or
  /// discarded. Blocks like commit() and is serialised with commits; other
  /// commits may run and publish while the batch waits. Errors: those of
  /// commit(), and nothing of the batch stays.
  llvm::Expected<PreparedBatch> prepare();

  struct Op {
    enum class Kind { Add, Replace, Put, Remove } K;
    std::string Module;
    std::optional<ModuleSource> Source;
    RemoveMode Mode = RemoveMode::IfUnused;
    /// Apply only if the module's live version is still this one.
    std::optional<uint64_t> IfVersion;
  };

private:
  friend class Engine;
  explicit Batch(Engine &E) : E(E) {}
  Engine &E;
  std::vector<Op> Ops;
  std::optional<unsigned> Level;
};

/// A batch that Batch::prepare() compiled, linked and constructed, waiting
/// to be published: the moment of the swap is the caller's (a frame
/// boundary, every process of a fleet ready).
///
/// What prepared code sees, until publish(): nothing resolves to it — no
/// lookup, versionOf(), modules(), stub, vtable or stats entry (but
/// EngineStats::PreparedBatches) names it, and JIT code calls the live
/// versions. Its code exists: gdb and perf see it (its debug and perf
/// registrations are made when it links, as the constructors run it), and it
/// calls the live functions through their stubs and uses the live storage of
/// the globals it does not create. The static constructors of the modules
/// it adds have run, with the batch's new functions callable; those
/// functions stay callable through pointers the constructors handed out, not
/// by name. The storage of the globals it creates is its own and reserved:
/// a commit that would create the same global fails (ErrorKind::Conflict).
///
/// A conflict: a commit published since prepare() changed a module the
/// batch adds, replaces or removes, a function or global it defines or that
/// a module it replaces or removes defines, or what a function or global it
/// references resolves to (removed, another type, other storage); or it
/// gave a caller to a function the batch removes or gives another type.
/// Commits that touch none of these leave it publishable.
///
/// Move-only; one thread at a time. Destroying it unpublished discards it.
/// It must not outlive its engine's destruction in use: the engine discards
/// the batches still prepared when it is destroyed, and their publish() and
/// discard() then fail with ErrorKind::Stale.
class PreparedBatch {
public:
  PreparedBatch(PreparedBatch &&) noexcept;
  PreparedBatch &operator=(PreparedBatch &&) noexcept;
  ~PreparedBatch();

  /// Makes the batch live, as commit() would have after its checks: one
  /// release store per changed stub, then the replaced versions retire. Does
  /// no compiling or linking; blocks only on the commit lock. Errors (and then
  /// nothing changes, and the batch stays prepared, to be discarded):
  /// ErrorKind::Conflict naming what a commit published since changed, and
  /// which version changed it; ErrorKind::Stale once published, discarded or
  /// its engine destroyed; ErrorKind::Unsupported while the calling thread
  /// holds an EpochGuard of the engine. The report's Version is the one
  /// prepare() took; its Publish and Total times are this call's.
  llvm::Expected<CommitReport> publish();

  /// Undoes the batch: runs the exit handlers and finalisers of the modules
  /// it added, then retires its code and storage (freed, with their eh-frame,
  /// debug and perf registrations, after a grace period, since pointers its
  /// constructors handed out may be running). ErrorKind::Stale if already
  /// published, discarded or its engine destroyed.
  llvm::Error discard();

  /// The version number the batch took (CommitReport::Version).
  uint64_t version() const;

  class State;

private:
  friend class Batch;
  explicit PreparedBatch(std::shared_ptr<State> S);
  std::shared_ptr<State> S;
};

template <typename Sig> class Function;

/// A typed handle on a managed function: its stub address, valid across
/// versions. Calling it pins the calling thread for the duration of the call.
/// Cheap to copy; valid while the engine lives (a removed function's handle
/// reaches the removed-function trap). It never reaches code of another type:
/// once a commit changes the function's type, the handle runs the old
/// implementation until that is reclaimed, then traps ("function 'f' changed
/// type from 'A' to 'B'"); it works again if a commit restores the type.
///
/// Non-local exits: a C++ exception thrown through the call unpins. A host
/// function (addHostSymbol) that reports errors with longjmp to a setjmp in
/// the host leaves the thread pinned; the host saves
/// `uint32_t D = Eng.epochs().depth()` before setjmp and calls
/// `Eng.epochs().restoreDepth(D)` where setjmp returns from the longjmp.
/// A call through a handle holds no object with a non-trivial destructor, so
/// such a longjmp skips none of hotjit's (Engine::call does not qualify).
template <typename R, typename... Args> class Function<R(Args...)> {
public:
  using Pointer = R (*)(Args...);

  Function() = default;

  /// Calls the current version, pinned. Pins with enter()/exit() rather than
  /// an EpochGuard so that a longjmp out of the call skips no destructor;
  /// an exception still unpins.
  R operator()(Args... A) const {
    Domain->enter();
    try {
      if constexpr (std::is_void_v<R>) {
        Fn(A...);
        Domain->exit();
      } else {
        R Result = Fn(A...);
        Domain->exit();
        return Result;
      }
    } catch (...) {
      Domain->exit();
      throw;
    }
  }

  /// The stub address. A host that calls it directly must hold an EpochGuard
  /// on the engine's domain (or be an online QSBR thread) for the whole call.
  Pointer address() const { return Fn; }

  explicit operator bool() const { return Fn != nullptr; }

private:
  friend class Engine;
  Function(Pointer Fn, EpochDomain *Domain) : Fn(Fn), Domain(Domain) {}
  Pointer Fn = nullptr;
  EpochDomain *Domain = nullptr;
};

/// The JIT engine. All members are thread-safe.
class Engine {
public:
  /// Creates an engine for the host process (x86-64 Linux).
  static llvm::Expected<std::unique_ptr<Engine>> create(EngineOptions Options = {});

  /// Frees every module. No thread may be running JIT code of this engine.
  ~Engine();
  Engine(const Engine &) = delete;
  Engine &operator=(const Engine &) = delete;

  /// Starts a batch of changes; nothing happens until Batch::commit().
  Batch batch() { return Batch(*this); }

  /// One-module conveniences: a batch with a single operation.
  llvm::Expected<CommitReport> add(std::string ModuleName, ModuleSource S);
  llvm::Expected<CommitReport> replace(std::string ModuleName, ModuleSource S);
  llvm::Expected<CommitReport> remove(std::string ModuleName,
                                      RemoveMode Mode = RemoveMode::IfUnused);

  /// Makes \p Address resolvable from JIT code as \p Name. Registering a name
  /// twice with different addresses is an error.
  llvm::Error addHostSymbol(llvm::StringRef Name, const void *Address);

  /// The stable stub address of live function \p Name.
  llvm::Expected<void *> lookupAddress(llvm::StringRef Name) const;

  /// The stable stub address of live function \p Name, whose IR type text
  /// must be \p Signature (ErrorKind::Signature otherwise): never the stub of
  /// another type.
  llvm::Expected<void *> lookupAddress(llvm::StringRef Name, const std::string &Signature) const;

  /// The IR type text of live function \p Name ("i32 (i32)").
  llvm::Expected<std::string> signatureOf(llvm::StringRef Name) const;

  /// A typed handle on \p Name; fails if its IR type does not match \p Sig.
  template <typename Sig> llvm::Expected<Function<Sig>> lookup(llvm::StringRef Name) const {
    auto Addr = lookupAddress(Name, signatureText<Sig>());
    if (!Addr)
      return Addr.takeError();
    return Function<Sig>(reinterpret_cast<typename Function<Sig>::Pointer>(*Addr), &epochs());
  }

  /// Looks up \p Name (typed as \p Sig) and calls it under a guard.
  template <typename Sig, typename... Args> auto call(llvm::StringRef Name, Args &&...A) const {
    using R = typename std::invoke_result_t<std::add_pointer_t<Sig>, Args...>;
    auto F = lookup<Sig>(Name);
    if constexpr (std::is_void_v<R>) {
      if (!F)
        return llvm::Error(F.takeError());
      (*F)(std::forward<Args>(A)...);
      return llvm::Error(llvm::Error::success());
    } else {
      if (!F)
        return llvm::Expected<R>(F.takeError());
      return llvm::Expected<R>((*F)(std::forward<Args>(A)...));
    }
  }

  /// Re-publishes the previous version of the module that defines function
  /// \p Name (or of the module named \p Name): a commit of its previous
  /// source, which the object cache links without code generation. Across a
  /// type change it is a type change back, checked like any commit: live
  /// callers of the new type must be gone, and the function's stub of the
  /// old type (`&f` as it was, old handles) is published again.
  llvm::Expected<CommitReport> rollback(llvm::StringRef Name);

  /// Calls through a handle (pins for the call); same as F(A...).
  template <typename R, typename... Params, typename... Args>
  R call(const Function<R(Params...)> &F, Args &&...A) const {
    return F(std::forward<Args>(A)...);
  }

  /// Address of the live global variable \p Name (stable across swaps).
  llvm::Expected<void *> lookupGlobal(llvm::StringRef Name) const;

  /// Version number of the live implementation of \p Name.
  std::optional<uint64_t> versionOf(llvm::StringRef Name) const;

  /// Names of the live modules, sorted.
  std::vector<std::string> modules() const;

  /// The handler a trapping stub runs, with the removed function's name, or
  /// for the stub of a type the function no longer has, "function 'f' changed
  /// type from 'A' to 'B'" (default: print and abort). If it returns, the
  /// trapped call returns zero.
  using RemovedFunctionHandler = std::function<void(llvm::StringRef What)>;
  void setRemovedFunctionHandler(RemovedFunctionHandler H);

  /// The domain readers pin. Host code that calls stub addresses itself
  /// holds an EpochGuard on it (or reports quiescent states as a QSBR thread).
  /// After a longjmp out of a pinned call, restore the pin depth saved before
  /// setjmp with epochs().restoreDepth() (see Function).
  EpochDomain &epochs() const;

  /// Waits until every version retired so far has been freed (with its
  /// eh-frame, debugger and perf-map registrations; the perf map file is
  /// rewritten now if it still lists freed code).
  void waitForReclamation();

  /// Tiered: waits until every tier-up queued so far has been committed or
  /// dropped as superseded. Returns at once on an engine that is not tiered.
  /// Blocks the caller; never call it from BeforeTierUp.
  void waitForTierUps();

  EngineStats stats() const;

  class Impl;

private:
  friend class Batch;
  friend class PreparedBatch;
  explicit Engine(std::unique_ptr<Impl> I);
  llvm::Expected<CommitReport> commit(std::vector<Batch::Op> Ops, std::optional<unsigned> Level);

  std::unique_ptr<Impl> I;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_ENGINE_H
