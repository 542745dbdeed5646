// The C API (hotjit/hotjit.h): opaque handles over hotjit::Engine. Every entry
// point turns llvm::Error into a hotjit_error and catches every C++ exception
// (std::bad_alloc above all), so that none crosses into a C caller.
#include "hotjit/hotjit.h"

#include "Mutations.h"

#include "hotjit/engine/Engine.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

struct hotjit_error {
  hotjit_error_kind Kind;
  std::string Message;
  /// newError's fallback when even the error cannot be allocated: never freed.
  bool Static = false;
};

struct hotjit_engine {
  std::unique_ptr<hotjit::Engine> Engine;
  /// The engine's domain, cached so that pinning is one call deep.
  hotjit::EpochDomain *Domain;
};

struct hotjit_batch {
  hotjit::Batch Changes;
};

struct hotjit_prepared {
  hotjit::PreparedBatch Batch;
};

namespace {

// The C kinds are ErrorKind's values; the C API's own kinds start at 100.
// tests/capi/check_bindings.py compares the names with Errors.h and Python's.
using EK = hotjit::ErrorKind;
static_assert(int(EK::Parse) == HOTJIT_ERROR_PARSE);
static_assert(int(EK::Verify) == HOTJIT_ERROR_VERIFY);
static_assert(int(EK::Undefined) == HOTJIT_ERROR_UNDEFINED);
static_assert(int(EK::Duplicate) == HOTJIT_ERROR_DUPLICATE);
static_assert(int(EK::Signature) == HOTJIT_ERROR_SIGNATURE);
static_assert(int(EK::GlobalType) == HOTJIT_ERROR_GLOBAL_TYPE);
static_assert(int(EK::InUse) == HOTJIT_ERROR_IN_USE);
static_assert(int(EK::Unsupported) == HOTJIT_ERROR_UNSUPPORTED);
static_assert(int(EK::Link) == HOTJIT_ERROR_LINK);
static_assert(int(EK::NoSuchModule) == HOTJIT_ERROR_NO_SUCH_MODULE);
static_assert(int(EK::NoSuchFunction) == HOTJIT_ERROR_NO_SUCH_FUNCTION);
static_assert(int(EK::RemovedFunction) == HOTJIT_ERROR_REMOVED_FUNCTION);
static_assert(int(EK::Backpressure) == HOTJIT_ERROR_BACKPRESSURE);
static_assert(int(EK::TooLarge) == HOTJIT_ERROR_TOO_LARGE);
static_assert(int(EK::Initializer) == HOTJIT_ERROR_INITIALIZER);
static_assert(int(EK::Untrusted) == HOTJIT_ERROR_UNTRUSTED);
static_assert(int(EK::Conflict) == HOTJIT_ERROR_CONFLICT);
static_assert(int(EK::Stale) == HOTJIT_ERROR_STALE);

// Every ErrorKind has its C kind: this switch has no default, and a kind
// without a case is a compile error here, not a -Wswitch warning.
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"
constexpr hotjit_error_kind cKind(EK K) {
  switch (K) {
  case EK::Parse:
    return HOTJIT_ERROR_PARSE;
  case EK::Verify:
    return HOTJIT_ERROR_VERIFY;
  case EK::Undefined:
    return HOTJIT_ERROR_UNDEFINED;
  case EK::Duplicate:
    return HOTJIT_ERROR_DUPLICATE;
  case EK::Signature:
    return HOTJIT_ERROR_SIGNATURE;
  case EK::GlobalType:
    return HOTJIT_ERROR_GLOBAL_TYPE;
  case EK::InUse:
    return HOTJIT_ERROR_IN_USE;
  case EK::Unsupported:
    return HOTJIT_ERROR_UNSUPPORTED;
  case EK::Link:
    return HOTJIT_ERROR_LINK;
  case EK::NoSuchModule:
    return HOTJIT_ERROR_NO_SUCH_MODULE;
  case EK::NoSuchFunction:
    return HOTJIT_ERROR_NO_SUCH_FUNCTION;
  case EK::RemovedFunction:
    return HOTJIT_ERROR_REMOVED_FUNCTION;
  case EK::Backpressure:
    return HOTJIT_ERROR_BACKPRESSURE;
  case EK::TooLarge:
    return HOTJIT_ERROR_TOO_LARGE;
  case EK::Initializer:
    return HOTJIT_ERROR_INITIALIZER;
  case EK::Untrusted:
    return HOTJIT_ERROR_UNTRUSTED;
  case EK::Conflict:
    return HOTJIT_ERROR_CONFLICT;
  case EK::Stale:
    return HOTJIT_ERROR_STALE;
  }
  return HOTJIT_ERROR_INTERNAL; // Not an ErrorKind.
}
#pragma GCC diagnostic pop

/// True if every value the switch knows maps to the same C value.
constexpr bool cKindsKeepTheirValues() {
  for (int V = 0; V < HOTJIT_ERROR_INVALID_ARGUMENT; ++V)
    if (hotjit_error_kind C = cKind(EK(V)); C != HOTJIT_ERROR_INTERNAL && C != V)
      return false;
  return true;
}
static_assert(cKindsKeepTheirValues());

/// The report and the storage its name arrays point into.
struct ReportBox : hotjit_report {
  std::vector<std::string> Names;
  std::vector<const char *> Pointers;
};

/// The error for when even an error cannot be allocated: static, and
/// hotjit_error_free() leaves it alone.
hotjit_error *outOfMemory() noexcept {
  static hotjit_error OutOfMemory{HOTJIT_ERROR_INTERNAL, "hotjit: out of memory", true};
  return &OutOfMemory;
}

hotjit_error *newError(hotjit_error_kind Kind, std::string Message) noexcept {
  try {
    return new hotjit_error{Kind, std::move(Message)};
  } catch (...) {
    return outOfMemory();
  }
}

/// HOTJIT_ERROR_INTERNAL "<Function>: <What>", or the static out-of-memory
/// error when the message cannot be built.
hotjit_error *internalError(const char *Function, const char *What) noexcept {
  try {
    return newError(HOTJIT_ERROR_INTERNAL, std::string(Function) + ": " + What);
  } catch (...) {
    return outOfMemory();
  }
}

hotjit_error *fromError(llvm::Error E) {
  auto [Kind, Message] = hotjit::takeError(std::move(E));
  return newError(cKind(Kind), std::move(Message));
}

/// An INVALID_ARGUMENT error. Builds strings: call it inside guarded() only.
hotjit_error *invalid(const char *Function, const std::string &What) {
  return newError(HOTJIT_ERROR_INVALID_ARGUMENT, std::string(Function) + ": " + What);
}

/// Runs \p Body, turning any C++ exception into HOTJIT_ERROR_INTERNAL. Every
/// entry point that can fail runs its whole body, argument checks included,
/// inside it.
template <typename F> hotjit_error *guarded(const char *Function, F &&Body) noexcept {
  try {
    return Body();
  } catch (const std::bad_alloc &) {
    return internalError(Function, "out of memory");
  } catch (const std::exception &X) {
    return internalError(Function, X.what());
  } catch (...) {
    return internalError(Function, "unknown C++ exception");
  }
}

hotjit_report *toReport(const hotjit::CommitReport &R) {
  auto Box = std::make_unique<ReportBox>();
  hotjit_report &Out = *Box;
  Out = hotjit_report{};
  Out.version = R.Version;
  Out.opt_level = R.OptLevel;
  const std::vector<std::string> *Lists[] = {&R.Published,           &R.Removed,
                                             &R.TypeChanged,         &R.KeptForOldState,
                                             &R.SkippedConstructors, &R.UpdatedTables};
  for (const auto *List : Lists)
    Box->Names.insert(Box->Names.end(), List->begin(), List->end());
  for (const std::string &N : Box->Names)
    Box->Pointers.push_back(N.c_str());
  const char *const *P = Box->Pointers.data();
  auto Take = [&](const std::vector<std::string> &List, size_t &Count, const char *const *&At) {
    Count = List.size();
    At = P;
    P += List.size();
  };
  Take(R.Published, Out.published_count, Out.published);
  Take(R.Removed, Out.removed_count, Out.removed);
  Take(R.TypeChanged, Out.type_changed_count, Out.type_changed);
  Take(R.KeptForOldState, Out.kept_for_old_state_count, Out.kept_for_old_state);
  Take(R.SkippedConstructors, Out.skipped_constructors_count, Out.skipped_constructors);
  Take(R.UpdatedTables, Out.updated_tables_count, Out.updated_tables);
  auto Ns = [](std::chrono::nanoseconds D) { return uint64_t(D.count()); };
  Out.parse_ns = Ns(R.Parse);
  Out.prepare_ns = Ns(R.Prepare);
  Out.optimize_ns = Ns(R.Optimize);
  Out.codegen_ns = Ns(R.Codegen);
  Out.link_ns = Ns(R.Link);
  Out.publish_ns = Ns(R.Publish);
  Out.total_ns = Ns(R.Total);
  Out.compiled = R.Compiled;
  Out.cache_hits = R.CacheHits;
  Out.recompiled_functions = R.RecompiledFunctions;
  Out.kept_functions = R.KeptFunctions;
  return Box.release();
}

/// Stores the value of \p V in \p *Out, or returns its error.
template <typename T> hotjit_error *store(llvm::Expected<T> V, T *Out) {
  if (!V)
    return fromError(V.takeError());
  *Out = std::move(*V);
  return nullptr;
}

/// The commit's outcome. A commit that succeeded stays a success when its
/// report cannot be allocated: then *Out is NULL (hotjit.h says so).
hotjit_error *deliver(llvm::Expected<hotjit::CommitReport> R, hotjit_report **Out) {
  if (!R)
    return fromError(R.takeError());
  if (Out) {
    try {
      *Out = toReport(*R);
    } catch (...) {
      *Out = nullptr;
    }
  }
  return nullptr;
}

hotjit_error *addOp(const char *Function, hotjit_batch *B, hotjit::Batch::Op::Kind Op,
                    const char *Module, hotjit_source_kind Kind, const void *Data, size_t Size) {
  return guarded(Function, [&]() -> hotjit_error * {
    if (!B || !Module)
      return invalid(Function, "the batch and the module name must not be NULL");
    if (!Data)
      return invalid(Function, "module '" + std::string(Module) + "': the source must not be NULL");
    const char *Bytes = static_cast<const char *>(Data);
    std::optional<hotjit::ModuleSource> S;
    switch (Kind) {
    case HOTJIT_SOURCE_IR_TEXT:
      S = hotjit::ModuleSource::fromIR(std::string(Bytes, Size));
      break;
    case HOTJIT_SOURCE_BITCODE:
      S = hotjit::ModuleSource::fromBitcode(std::string(Bytes, Size));
      break;
    case HOTJIT_SOURCE_FILE:
      // A NUL-terminated path; a size other than 0 must be its length.
      if (Size && std::char_traits<char>::find(Bytes, Size, '\0'))
        return invalid(Function, "module '" + std::string(Module) +
                                     "': the file path holds a NUL byte "
                                     "within its size");
      S = hotjit::ModuleSource::fromFile(Size ? std::string(Bytes, Size) : std::string(Bytes));
      break;
    default:
      return invalid(Function, "module '" + std::string(Module) + "': unknown source kind " +
                                   std::to_string(int(Kind)));
    }
    using K = hotjit::Batch::Op::Kind;
    if (Op == K::Add)
      B->Changes.add(Module, std::move(*S));
    else if (Op == K::Replace)
      B->Changes.replace(Module, std::move(*S));
    else
      B->Changes.put(Module, std::move(*S));
    return nullptr;
  });
}

} // namespace

extern "C" {

hotjit_error_kind hotjit_error_get_kind(const hotjit_error *E) noexcept {
  return E ? E->Kind : HOTJIT_ERROR_INVALID_ARGUMENT;
}

const char *hotjit_error_message(const hotjit_error *E) noexcept {
  return E ? E->Message.c_str() : "";
}

void hotjit_error_free(hotjit_error *E) noexcept {
  if (E && !E->Static)
    delete E;
}

// Every C kind has a name (ErrorKind's enumerator for the engine's kinds): a
// kind without a case is a compile error.
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"
const char *hotjit_error_kind_name(hotjit_error_kind K) noexcept {
  switch (K) {
  case HOTJIT_ERROR_PARSE:
    return "Parse";
  case HOTJIT_ERROR_VERIFY:
    return "Verify";
  case HOTJIT_ERROR_UNDEFINED:
    return "Undefined";
  case HOTJIT_ERROR_DUPLICATE:
    return "Duplicate";
  case HOTJIT_ERROR_SIGNATURE:
    return "Signature";
  case HOTJIT_ERROR_GLOBAL_TYPE:
    return "GlobalType";
  case HOTJIT_ERROR_IN_USE:
    return "InUse";
  case HOTJIT_ERROR_UNSUPPORTED:
    return "Unsupported";
  case HOTJIT_ERROR_LINK:
    return "Link";
  case HOTJIT_ERROR_NO_SUCH_MODULE:
    return "NoSuchModule";
  case HOTJIT_ERROR_NO_SUCH_FUNCTION:
    return "NoSuchFunction";
  case HOTJIT_ERROR_REMOVED_FUNCTION:
    return "RemovedFunction";
  case HOTJIT_ERROR_BACKPRESSURE:
    return "Backpressure";
  case HOTJIT_ERROR_TOO_LARGE:
    return "TooLarge";
  case HOTJIT_ERROR_INITIALIZER:
    return "Initializer";
  case HOTJIT_ERROR_UNTRUSTED:
    return "Untrusted";
  case HOTJIT_ERROR_CONFLICT:
    return "Conflict";
  case HOTJIT_ERROR_STALE:
    return "Stale";
  case HOTJIT_ERROR_INVALID_ARGUMENT:
    return "InvalidArgument";
  case HOTJIT_ERROR_INTERNAL:
    return "Internal";
  case HOTJIT_ERROR_KIND_MAX_:
    break;
  }
  return "Unknown";
}
#pragma GCC diagnostic pop

void hotjit_string_free(char *S) noexcept { std::free(S); }

const char *hotjit_version(void) noexcept { return HOTJIT_VERSION_STRING; }

void hotjit_engine_options_init(hotjit_engine_options *O) noexcept {
  if (!O)
    return;
  const hotjit::EngineOptions D;
  *O = hotjit_engine_options{};
  O->struct_size = sizeof(hotjit_engine_options);
  O->opt_level = D.OptLevel;
  O->compile_threads = D.CompileThreads;
  O->compile_in_calling_thread = D.CompileInCallingThread;
  O->object_cache = D.ObjectCache;
  O->cache_directory = nullptr;
  O->cache_memory_bytes = D.CacheMemoryBytes;
  O->tiered = D.Tiered;
  O->max_module_bytes = D.MaxModuleBytes;
  O->link_runtime_libraries = D.LinkRuntimeLibraries;
  O->retired_bytes_cap = D.RetiredBytesCap;
  O->wait_when_over_cap = D.WaitWhenOverCap;
  O->retired_wait_timeout_ms = uint32_t(D.RetiredWaitTimeout.count());
  O->reclaim_delay_us = uint32_t(D.ReclaimDelay.count());
  O->stall_threshold_ms = uint32_t(D.StallThreshold.count());
  O->unwind_index = D.UnwindIndex;
  O->debug_info_registration = D.DebugInfoRegistration;
  O->perf_map = D.PerfMap;
  O->quarantine_retired_code = D.QuarantineRetiredCode;
  O->stack_check_after_us = uint32_t(D.StackCheckAfter.count());
  O->stack_check_signal = D.StackCheckSignal;
  O->partial_replacement = D.PartialReplacement;
  O->perf_jit_dump = D.PerfJitDump;
}

hotjit_error *hotjit_engine_create(const hotjit_engine_options *O, hotjit_engine **Out) noexcept {
  return guarded("hotjit_engine_create", [&]() -> hotjit_error * {
    if (!Out)
      return invalid("hotjit_engine_create", "engine_out must not be NULL");
    *Out = nullptr;
    // The layout of 0.1 is the smallest accepted; a caller built against an
    // older header than this library's passes fewer bytes, and the fields it
    // does not know keep their defaults.
    constexpr size_t OldestLayout = sizeof(hotjit_engine_options); // 0.1
    hotjit_engine_options Given;
    hotjit_engine_options_init(&Given);
    if (O) {
      if (O->struct_size < OldestLayout)
        return invalid("hotjit_engine_create",
                       "options.struct_size is " + std::to_string(O->struct_size) +
                           ", smaller than any hotjit_engine_options: fill the "
                           "options with "
                           "hotjit_engine_options_init()");
      std::memcpy(&Given, O, std::min(O->struct_size, sizeof(hotjit_engine_options)));
      Given.struct_size = sizeof(hotjit_engine_options);
    }
    if (Given.opt_level > 3)
      return invalid("hotjit_engine_create",
                     "opt_level " + std::to_string(Given.opt_level) + " is not 0 to 3");
    hotjit::EngineOptions EO;
    EO.OptLevel = Given.opt_level;
    EO.CompileThreads = Given.compile_threads;
    EO.CompileInCallingThread = Given.compile_in_calling_thread != 0;
    EO.ObjectCache = Given.object_cache != 0;
    if (Given.cache_directory)
      EO.CacheDirectory = Given.cache_directory;
    EO.CacheMemoryBytes = Given.cache_memory_bytes;
    EO.Tiered = Given.tiered != 0;
    EO.MaxModuleBytes = Given.max_module_bytes;
    EO.LinkRuntimeLibraries = Given.link_runtime_libraries != 0;
    EO.RetiredBytesCap = Given.retired_bytes_cap;
    EO.WaitWhenOverCap = Given.wait_when_over_cap != 0;
    EO.RetiredWaitTimeout = std::chrono::milliseconds(Given.retired_wait_timeout_ms);
    EO.ReclaimDelay = std::chrono::microseconds(Given.reclaim_delay_us);
    EO.StallThreshold = std::chrono::milliseconds(Given.stall_threshold_ms);
    EO.UnwindIndex = Given.unwind_index != 0;
    EO.DebugInfoRegistration = Given.debug_info_registration != 0;
    EO.PerfMap = Given.perf_map != 0;
    EO.QuarantineRetiredCode = Given.quarantine_retired_code != 0;
    EO.StackCheckAfter = std::chrono::microseconds(Given.stack_check_after_us);
    EO.StackCheckSignal = Given.stack_check_signal;
    EO.PartialReplacement = Given.partial_replacement != 0;
    EO.PerfJitDump = Given.perf_jit_dump != 0;
    if (hotjit_stall_handler H = Given.on_stall) {
      void *User = Given.on_stall_user_data;
      EO.OnStall = [H, User](const hotjit::EpochStall &S) {
        const std::string Text = S.describe();
        std::vector<const char *> Running;
        for (const std::string &R : S.RunningRetired)
          Running.push_back(R.c_str());
        const hotjit_stall C{S.ThreadId,          uint64_t(S.Held.count()), S.Pinned ? 1 : 0,
                             Text.c_str(),        Running.size(),           Running.data(),
                             S.Unanswered ? 1 : 0};
        H(&C, User);
      };
    }
    auto E = hotjit::Engine::create(std::move(EO));
    if (!E)
      return fromError(E.takeError());
    hotjit::EpochDomain *D = &(*E)->epochs();
    *Out = new hotjit_engine{std::move(*E), D};
    return nullptr;
  });
}

void hotjit_engine_destroy(hotjit_engine *E) noexcept { delete E; }

hotjit_batch *hotjit_batch_create(hotjit_engine *E) noexcept {
  if (!E)
    return nullptr;
  try {
    return new hotjit_batch{E->Engine->batch()};
  } catch (...) {
    return nullptr;
  }
}

hotjit_error *hotjit_batch_add(hotjit_batch *B, const char *Module, hotjit_source_kind Kind,
                               const void *Data, size_t Size) noexcept {
  return addOp("hotjit_batch_add", B, hotjit::Batch::Op::Kind::Add, Module, Kind, Data, Size);
}

hotjit_error *hotjit_batch_replace(hotjit_batch *B, const char *Module, hotjit_source_kind Kind,
                                   const void *Data, size_t Size) noexcept {
  return addOp("hotjit_batch_replace", B, hotjit::Batch::Op::Kind::Replace, Module, Kind, Data,
               Size);
}

hotjit_error *hotjit_batch_put(hotjit_batch *B, const char *Module, hotjit_source_kind Kind,
                               const void *Data, size_t Size) noexcept {
  return addOp("hotjit_batch_put", B, hotjit::Batch::Op::Kind::Put, Module, Kind, Data, Size);
}

hotjit_error *hotjit_batch_remove(hotjit_batch *B, const char *Module,
                                  hotjit_remove_mode Mode) noexcept {
  return guarded("hotjit_batch_remove", [&]() -> hotjit_error * {
    if (!B || !Module)
      return invalid("hotjit_batch_remove", "the batch and the module name must not be NULL");
    if (Mode != HOTJIT_REMOVE_IF_UNUSED && Mode != HOTJIT_REMOVE_FORCE)
      return invalid("hotjit_batch_remove", "module '" + std::string(Module) +
                                                "': unknown remove mode " +
                                                std::to_string(int(Mode)));
    B->Changes.remove(Module, Mode == HOTJIT_REMOVE_FORCE ? hotjit::RemoveMode::Force
                                                          : hotjit::RemoveMode::IfUnused);
    return nullptr;
  });
}

hotjit_error *hotjit_batch_set_opt_level(hotjit_batch *B, unsigned Level) noexcept {
  return guarded("hotjit_batch_set_opt_level", [&]() -> hotjit_error * {
    if (!B)
      return invalid("hotjit_batch_set_opt_level", "the batch must not be NULL");
    if (Level > 3)
      return invalid("hotjit_batch_set_opt_level",
                     "opt level " + std::to_string(Level) + " is not 0 to 3");
    B->Changes.optLevel(Level);
    return nullptr;
  });
}

void hotjit_report_free(hotjit_report *R) noexcept { delete static_cast<ReportBox *>(R); }

hotjit_error *hotjit_batch_commit(hotjit_batch *B, hotjit_report **Out) noexcept {
  if (Out)
    *Out = nullptr;
  std::unique_ptr<hotjit_batch> Owned(B);
  return guarded("hotjit_batch_commit", [&]() -> hotjit_error * {
    if (!B)
      return invalid("hotjit_batch_commit", "the batch must not be NULL");
    return deliver(Owned->Changes.commit(), Out);
  });
}

void hotjit_batch_dispose(hotjit_batch *B) noexcept { delete B; }

hotjit_error *hotjit_batch_prepare(hotjit_batch *B, hotjit_prepared **Out) noexcept {
  if (Out)
    *Out = nullptr;
  std::unique_ptr<hotjit_batch> Owned(B);
  return guarded("hotjit_batch_prepare", [&]() -> hotjit_error * {
    if (!B || !Out)
      return invalid("hotjit_batch_prepare", "the batch and prepared_out must not be NULL");
    auto P = Owned->Changes.prepare();
    if (!P)
      return fromError(P.takeError());
    // Allocated before the batch moves out of P: if no memory is left, P's
    // destructor discards the batch.
    *Out = new hotjit_prepared{std::move(*P)};
    return nullptr;
  });
}

hotjit_error *hotjit_prepared_publish(hotjit_prepared *P, hotjit_report **Out) noexcept {
  if (Out)
    *Out = nullptr;
  return guarded("hotjit_prepared_publish", [&]() -> hotjit_error * {
    if (!P)
      return invalid("hotjit_prepared_publish", "the prepared batch must not be NULL");
    return deliver(P->Batch.publish(), Out);
  });
}

hotjit_error *hotjit_prepared_discard(hotjit_prepared *P) noexcept {
  return guarded("hotjit_prepared_discard", [&]() -> hotjit_error * {
    if (!P)
      return invalid("hotjit_prepared_discard", "the prepared batch must not be NULL");
    if (auto Err = P->Batch.discard())
      return fromError(std::move(Err));
    return nullptr;
  });
}

uint64_t hotjit_prepared_version(const hotjit_prepared *P) noexcept {
  return P ? P->Batch.version() : 0;
}

// ~PreparedBatch discards a batch still prepared; noexcept turns an exception
// there (none is expected) into std::terminate instead of unwinding into C.
void hotjit_prepared_dispose(hotjit_prepared *P) noexcept { delete P; }

hotjit_error *hotjit_rollback(hotjit_engine *E, const char *Name, hotjit_report **Out) noexcept {
  if (Out)
    *Out = nullptr;
  return guarded("hotjit_rollback", [&]() -> hotjit_error * {
    if (!E || !Name)
      return invalid("hotjit_rollback", "the engine and the name must not be NULL");
    return deliver(E->Engine->rollback(Name), Out);
  });
}

hotjit_error *hotjit_lookup(const hotjit_engine *E, const char *Name, const char *Signature,
                            void **Out) noexcept {
  return guarded("hotjit_lookup", [&]() -> hotjit_error * {
    if (!E || !Name || !Out)
      return invalid("hotjit_lookup", "the engine, the name and address_out must not be NULL");
    *Out = nullptr;
    return store(Signature ? E->Engine->lookupAddress(Name, std::string(Signature))
                           : E->Engine->lookupAddress(Name),
                 Out);
  });
}

hotjit_error *hotjit_signature_of(const hotjit_engine *E, const char *Name, char **Out) noexcept {
  return guarded("hotjit_signature_of", [&]() -> hotjit_error * {
    if (!E || !Name || !Out)
      return invalid("hotjit_signature_of",
                     "the engine, the name and signature_out must not be NULL");
    *Out = nullptr;
    auto S = E->Engine->signatureOf(Name);
    if (!S)
      return fromError(S.takeError());
    char *Copy = strdup(S->c_str());
    if (!Copy)
      throw std::bad_alloc();
    *Out = Copy;
    return nullptr;
  });
}

hotjit_error *hotjit_lookup_global(const hotjit_engine *E, const char *Name, void **Out) noexcept {
  return guarded("hotjit_lookup_global", [&]() -> hotjit_error * {
    if (!E || !Name || !Out)
      return invalid("hotjit_lookup_global",
                     "the engine, the name and address_out must not be NULL");
    *Out = nullptr;
    return store(E->Engine->lookupGlobal(Name), Out);
  });
}

hotjit_error *hotjit_add_host_symbol(hotjit_engine *E, const char *Name,
                                     const void *Address) noexcept {
  return guarded("hotjit_add_host_symbol", [&]() -> hotjit_error * {
    if (!E || !Name)
      return invalid("hotjit_add_host_symbol", "the engine and the name must not be NULL");
    if (auto Err = E->Engine->addHostSymbol(Name, Address))
      return fromError(std::move(Err));
    return nullptr;
  });
}

hotjit_error *hotjit_modules(const hotjit_engine *E, char ***Out, size_t *Count) noexcept {
  return guarded("hotjit_modules", [&]() -> hotjit_error * {
    if (!E || !Out)
      return invalid("hotjit_modules", "the engine and names_out must not be NULL");
    *Out = nullptr;
    const std::vector<std::string> Names = E->Engine->modules();
    // One block: the pointer array (NULL-terminated), then the strings.
    size_t Bytes = (Names.size() + 1) * sizeof(char *);
    for (const std::string &N : Names)
      Bytes += N.size() + 1;
    auto **Array = static_cast<char **>(std::malloc(Bytes));
    if (!Array)
      throw std::bad_alloc();
    char *Text = reinterpret_cast<char *>(Array + Names.size() + 1);
    for (size_t I = 0; I < Names.size(); ++I) {
      Array[I] = Text;
      std::memcpy(Text, Names[I].c_str(), Names[I].size() + 1);
      Text += Names[I].size() + 1;
    }
    Array[Names.size()] = nullptr;
    *Out = Array;
    if (Count)
      *Count = Names.size();
    return nullptr;
  });
}

void hotjit_names_free(char **Names) noexcept { std::free(Names); }

int hotjit_version_of(const hotjit_engine *E, const char *Name, uint64_t *Out) noexcept {
  if (!E || !Name)
    return 0;
  try {
    std::optional<uint64_t> V = E->Engine->versionOf(Name);
    if (!V)
      return 0;
    if (Out)
      *Out = *V;
    return 1;
  } catch (...) {
    return 0;
  }
}

hotjit_error *hotjit_set_removed_function_handler(hotjit_engine *E, hotjit_trap_handler Handler,
                                                  void *User) noexcept {
  return guarded("hotjit_set_removed_function_handler", [&]() -> hotjit_error * {
    if (!E)
      return invalid("hotjit_set_removed_function_handler", "the engine must not be NULL");
    if (!Handler) {
      E->Engine->setRemovedFunctionHandler(nullptr);
      return nullptr;
    }
    E->Engine->setRemovedFunctionHandler([Handler, User](llvm::StringRef What) {
      const std::string Text = What.str();
      Handler(Text.c_str(), User);
    });
    return nullptr;
  });
}

void hotjit_get_stats(const hotjit_engine *E, hotjit_stats *Out) noexcept {
  if (!E || !Out || Out->struct_size < sizeof(size_t))
    return;
  const size_t Size = std::min(Out->struct_size, sizeof(hotjit_stats));
  hotjit_stats S{};
  S.struct_size = Out->struct_size;
  try {
    const hotjit::EngineStats X = E->Engine->stats();
    S.live_modules = X.LiveModules;
    S.live_functions = X.LiveFunctions;
    S.commits = X.Commits;
    S.failed_commits = X.FailedCommits;
    S.versions_retired = X.VersionsRetired;
    S.versions_freed = X.VersionsFreed;
    S.retired_bytes_pending = X.RetiredBytesPending;
    S.modules_compiled = X.ModulesCompiled;
    S.cache_hits = X.CacheHits;
    S.cache_corrupt = X.CacheCorrupt;
    S.cache_untrusted = X.CacheUntrusted;
    S.perf_map_failures = X.PerfMapFailures;
    S.tier_ups = X.TierUps;
    S.type_changes = X.TypeChanges;
    S.commits_waiting = X.CommitsWaiting;
    S.last_tier0_latency_ns = uint64_t(X.LastTier0Latency.count());
    S.last_tier_up_latency_ns = uint64_t(X.LastTierUpLatency.count());
    S.free_time_ns = uint64_t(X.FreeTime.count());
    S.unwind_index = X.UnwindIndex;
    S.epoch = X.Epochs.Epoch;
    S.grace_periods = X.Epochs.GracePeriods;
    S.stalls = X.Epochs.Stalls;
    S.registered_threads = X.Epochs.Threads.size();
    S.versions_kept = X.VersionsKept;
    S.kept_bytes = X.KeptBytes;
    S.stack_checks = X.StackChecks;
    S.versions_freed_by_stack_check = X.VersionsFreedByStackCheck;
    S.stack_check_held_code = X.StackCheckHeldCode;
    S.stack_check_unanswered = X.StackCheckUnanswered;
    S.stack_checks_enabled = X.Epochs.StackChecksEnabled ? 1 : 0;
    S.prepared_batches = X.PreparedBatches;
  } catch (...) {
    // Out of memory for the snapshot's thread list: the counters stay zero.
  }
  std::memcpy(Out, &S, Size);
}

// The void entry points below cannot report an error; noexcept turns an
// exception (none is expected) into std::terminate instead of unwinding into C
// frames.
void hotjit_wait_for_reclamation(hotjit_engine *E) noexcept {
  if (E)
    E->Engine->waitForReclamation();
}

void hotjit_wait_for_tier_ups(hotjit_engine *E) noexcept {
  if (E)
    E->Engine->waitForTierUps();
}

void hotjit_enter(hotjit_engine *E) noexcept {
  if constexpr (!hotjit::mutation::CApiPinNoop)
    E->Domain->enter();
}
void hotjit_exit(hotjit_engine *E) noexcept {
  if constexpr (!hotjit::mutation::CApiPinNoop)
    E->Domain->exit();
}
uint32_t hotjit_depth(const hotjit_engine *E) noexcept { return E->Domain->depth(); }
void hotjit_restore_depth(hotjit_engine *E, uint32_t Depth) noexcept {
  E->Domain->restoreDepth(Depth);
}
void hotjit_quiescent(hotjit_engine *E) noexcept { E->Domain->quiescent(); }
void hotjit_offline(hotjit_engine *E) noexcept { E->Domain->offline(); }
void hotjit_online(hotjit_engine *E) noexcept { E->Domain->online(); }
void hotjit_unregister_thread(hotjit_engine *E) noexcept { E->Domain->unregisterThread(); }

} // extern "C"
