/* The C API (hotjit/hotjit.h), exercised as a C host would: every function of
 * the API, every error kind it can return (all but HOTJIT_ERROR_INTERNAL, which
 * only running out of memory gives), C++ exceptions unwinding through JIT code
 * in libhotjit.so, a swap while threads call, and prepared batches. Built in the tree against
 * libhotjit.so, and against an installed tree through pkg-config
 * (tests/capi/BuildCHost.cmake).
 *
 * Usage: capi_test FIXTURES_DIR BITCODE_FILE [--no-unwind-index]
 *   FIXTURES_DIR holds eh_thrower_v1.ll, eh_middle.ll and eh_catcher.ll (C++
 * compiled to IR); BITCODE_FILE is a bitcode module defining i32 @bc_answer()
 * returning 42.
 */
#define _GNU_SOURCE
#include "hotjit/hotjit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int Failures = 0;

#define CHECK(Cond, ...)                                                                           \
  do {                                                                                             \
    if (!(Cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #Cond);                     \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fprintf(stderr, "\n");                                                                       \
      ++Failures;                                                                                  \
    }                                                                                              \
  } while (0)

/* Fails the test (and frees the error) unless Err is NULL. */
static void ok(hotjit_error *Err, const char *What) {
  if (Err) {
    fprintf(stderr, "%s failed: [%s] %s\n", What,
            hotjit_error_kind_name(hotjit_error_get_kind(Err)), hotjit_error_message(Err));
    hotjit_error_free(Err);
    ++Failures;
  }
}

/* Checks that Err is an error of Kind whose message contains every word of
 * Words (NULL-ended). */
static int KindsSeen[128];
static void expectError(hotjit_error *Err, hotjit_error_kind Kind, const char *What,
                        const char *Words[]) {
  if (!Err) {
    fprintf(stderr, "%s: expected a %s error, got success\n", What, hotjit_error_kind_name(Kind));
    ++Failures;
    return;
  }
  const char *Msg = hotjit_error_message(Err);
  CHECK(hotjit_error_get_kind(Err) == Kind, "%s: expected %s, got %s: %s", What,
        hotjit_error_kind_name(Kind), hotjit_error_kind_name(hotjit_error_get_kind(Err)), Msg);
  for (const char **W = Words; W && *W; ++W)
    CHECK(strstr(Msg, *W) != NULL, "%s: the message lacks '%s': %s", What, *W, Msg);
  if (hotjit_error_get_kind(Err) == Kind && (unsigned)Kind < 128)
    KindsSeen[Kind] = 1;
  hotjit_error_free(Err);
}
#define EXPECT_ERROR(Call, Kind, ...)                                                              \
  do {                                                                                             \
    const char *Words_[] = {__VA_ARGS__, NULL};                                                    \
    expectError((Call), (Kind), #Call, Words_);                                                    \
  } while (0)

/* One-operation batches. */
typedef hotjit_error *(*BatchOp)(hotjit_batch *, const char *, hotjit_source_kind, const void *,
                                 size_t);
static hotjit_error *commitOne(hotjit_engine *E, BatchOp Op, const char *Module, const char *IR,
                               hotjit_report **Report) {
  hotjit_batch *B = hotjit_batch_create(E);
  hotjit_error *Err = Op(B, Module, HOTJIT_SOURCE_IR_TEXT, IR, strlen(IR));
  if (Err) {
    hotjit_batch_dispose(B);
    return Err;
  }
  return hotjit_batch_commit(B, Report);
}
static hotjit_error *addIR(hotjit_engine *E, const char *Module, const char *IR) {
  return commitOne(E, hotjit_batch_add, Module, IR, NULL);
}
static hotjit_error *replaceIR(hotjit_engine *E, const char *Module, const char *IR) {
  return commitOne(E, hotjit_batch_replace, Module, IR, NULL);
}
static hotjit_error *removeModule(hotjit_engine *E, const char *Module, hotjit_remove_mode Mode) {
  hotjit_batch *B = hotjit_batch_create(E);
  hotjit_error *Err = hotjit_batch_remove(B, Module, Mode);
  if (Err) {
    hotjit_batch_dispose(B);
    return Err;
  }
  return hotjit_batch_commit(B, NULL);
}

/* Calls int f(int) by name, pinned for the lookup and the call. */
static int callInt(hotjit_engine *E, const char *Name, int X) {
  void *Address = NULL;
  hotjit_enter(E);
  hotjit_error *Err = hotjit_lookup(E, Name, "i32 (i32)", &Address);
  int R = -999999;
  if (!Err)
    R = ((int (*)(int))Address)(X);
  hotjit_exit(E);
  ok(Err, Name);
  return R;
}

static char *constantFunction(const char *Name, int Value) {
  static char Buf[256];
  snprintf(Buf, sizeof Buf,
           "define i32 @%s(i32 %%x) {\n  %%r = add i32 %%x, %d\n  ret i32 %%r\n}\n", Name, Value);
  return Buf;
}

/* ---- Host symbols
 * ------------------------------------------------------------------------- */

/* Busy-waits about 20 us and returns V: a JIT caller is then inside its own
 * code for that long, and returns into it afterwards. */
static int host_spin(int V) {
  struct timespec T0, T;
  clock_gettime(CLOCK_MONOTONIC, &T0);
  do
    clock_gettime(CLOCK_MONOTONIC, &T);
  while ((T.tv_sec - T0.tv_sec) * 1000000000L + (T.tv_nsec - T0.tv_nsec) < 20000);
  return V;
}

/* value(x): calls host_spin(Value) and returns its result, through its own
 * frame (O0: no tail call). */
static char *spinningFunction(const char *Name, int Value) {
  static char Buf[256];
  snprintf(Buf, sizeof Buf,
           "declare i32 @host_spin(i32)\n"
           "define i32 @%s(i32 %%x) {\n  %%r = call i32 @host_spin(i32 %d)\n"
           "  %%s = add i32 %%r, %%x\n  ret i32 %%s\n}\n",
           Name, Value);
  return Buf;
}

static atomic_int Notes;
static int eh_host_callback(int X) { return X; }
static void eh_host_note(int X) {
  (void)X;
  atomic_fetch_add(&Notes, 1);
}

/* ---- Trap handler
 * ------------------------------------------------------------------------- */

static char Trapped[256];
static int TrapUserData;
static void onTrap(const char *What, void *User) {
  snprintf(Trapped, sizeof Trapped, "%s", What);
  CHECK(User == &TrapUserData, "the trap handler got another user_data");
}

/* ---- Readers for the swap and backpressure parts
 * ------------------------------------------- */

struct Reader {
  hotjit_engine *E;
  void *Stub;
  atomic_int *Stop;
  int UseQsbr;
  long Calls;
  int Bad;
  int Last;
};

static void *readLoop(void *P) {
  struct Reader *R = P;
  int Previous = 0;
  while (!atomic_load(R->Stop)) {
    if (!R->UseQsbr)
      hotjit_enter(R->E);
    int V = ((int (*)(int))R->Stub)(0);
    if (!R->UseQsbr)
      hotjit_exit(R->E);
    else
      hotjit_quiescent(R->E);
    /* Versions are published in increasing order: a reader never sees one go
     * back. */
    if (V < Previous || V < 1 || V > 1000)
      ++R->Bad;
    Previous = V;
    R->Last = V;
    ++R->Calls;
  }
  if (R->UseQsbr)
    hotjit_offline(R->E);
  hotjit_unregister_thread(R->E);
  return NULL;
}

/* Stays an online QSBR thread (holding up reclamation) until *Stop. */
static void *holdOnline(void *P) {
  struct Reader *R = P;
  hotjit_online(R->E);
  atomic_store(&R->Stop[1], 1);
  while (!atomic_load(R->Stop))
    usleep(1000);
  hotjit_offline(R->E);
  return NULL;
}

/* Pinned until *Stop; reports its thread id first. */
struct Pinner {
  hotjit_engine *E;
  atomic_int Stop;
  atomic_long Tid;
};
static void *holdPinned(void *P) {
  struct Pinner *R = P;
  hotjit_enter(R->E);
  atomic_store(&R->Tid, (long)gettid());
  while (!atomic_load(&R->Stop))
    usleep(1000);
  hotjit_exit(R->E);
  return NULL;
}

struct StallSeen {
  atomic_int Calls;
  atomic_long Tid;
  atomic_int Pinned;
  atomic_llong HeldNs;
  char Description[256];
};
static void onStall(const hotjit_stall *S, void *User) {
  struct StallSeen *Seen = User;
  if (atomic_load(&Seen->Calls) == 0) {
    snprintf(Seen->Description, sizeof Seen->Description, "%s", S->description);
    atomic_store(&Seen->Tid, (long)S->thread_id);
    atomic_store(&Seen->Pinned, S->pinned);
    atomic_store(&Seen->HeldNs, (long long)S->held_ns);
  }
  atomic_fetch_add(&Seen->Calls, 1);
}

/* ---- The parts
 * -----------------------------------------------------------------------------
 */

static void testBasics(void) {
  CHECK(strcmp(hotjit_version(), "0.1.0") == 0, "version %s", hotjit_version());
  CHECK(strcmp(hotjit_error_kind_name(HOTJIT_ERROR_IN_USE), "InUse") == 0, "kind name");
  CHECK(strcmp(hotjit_error_kind_name(HOTJIT_ERROR_CONFLICT), "Conflict") == 0 &&
            strcmp(hotjit_error_kind_name(HOTJIT_ERROR_STALE), "Stale") == 0,
        "kind names");
  CHECK(strcmp(hotjit_error_kind_name((hotjit_error_kind)77), "Unknown") == 0, "kind name");
  hotjit_error_free(NULL);
  hotjit_string_free(NULL);
  hotjit_report_free(NULL);
  hotjit_batch_dispose(NULL);
  hotjit_engine_destroy(NULL);
  CHECK(hotjit_batch_create(NULL) == NULL, "a batch of no engine");

  hotjit_engine_options O;
  hotjit_engine_options_init(&O);
  CHECK(O.struct_size == sizeof O && O.opt_level == 2 && O.object_cache && O.unwind_index,
        "defaults");
  hotjit_engine *E = NULL;
  EXPECT_ERROR(hotjit_engine_create(&O, NULL), HOTJIT_ERROR_INVALID_ARGUMENT, "engine_out");
  O.opt_level = 4;
  EXPECT_ERROR(hotjit_engine_create(&O, &E), HOTJIT_ERROR_INVALID_ARGUMENT, "opt_level 4");
  O.opt_level = 2;
  O.struct_size = sizeof O - 1;
  EXPECT_ERROR(hotjit_engine_create(&O, &E), HOTJIT_ERROR_INVALID_ARGUMENT, "struct_size");
  CHECK(E == NULL, "a failed create stored an engine");
  {
    /* A caller built against a later header passes a bigger struct: its known
     * part counts. */
    struct {
      hotjit_engine_options Known;
      char Later[64];
    } Bigger;
    hotjit_engine_options_init(&Bigger.Known);
    memset(Bigger.Later, 0xff, sizeof Bigger.Later);
    Bigger.Known.struct_size = sizeof Bigger;
    Bigger.Known.opt_level = 5;
    EXPECT_ERROR(hotjit_engine_create(&Bigger.Known, &E), HOTJIT_ERROR_INVALID_ARGUMENT,
                 "opt_level 5");
    Bigger.Known.opt_level = 0;
    ok(hotjit_engine_create(&Bigger.Known, &E), "create from a bigger struct");
    hotjit_engine_destroy(E);
    E = NULL;
  }

  /* A cache directory another user could write to is refused. */
  char Dir[] = "/tmp/hotjit-capi-XXXXXX";
  CHECK(mkdtemp(Dir) != NULL, "mkdtemp");
  chmod(Dir, 0777);
  hotjit_engine_options_init(&O);
  O.cache_directory = Dir;
  EXPECT_ERROR(hotjit_engine_create(&O, &E), HOTJIT_ERROR_UNTRUSTED, Dir);
  rmdir(Dir);
}

static void testFunctionsAndErrors(const char *BitcodeFile) {
  hotjit_engine_options O;
  hotjit_engine_options_init(&O);
  O.opt_level = 1;
  O.max_module_bytes = 4096;
  hotjit_engine *E = NULL;
  ok(hotjit_engine_create(&O, &E), "create");
  if (!E)
    return;

  /* Add, report, typed lookup, call. */
  hotjit_report *Report = NULL;
  ok(commitOne(E, hotjit_batch_add, "adder", constantFunction("add_k", 1), &Report), "add");
  CHECK(Report && Report->published_count == 1 && strcmp(Report->published[0], "add_k") == 0 &&
            Report->version == 1 && Report->opt_level == 1 && Report->compiled == 1 &&
            Report->removed_count == 0 && Report->type_changed_count == 0 &&
            Report->total_ns >= Report->link_ns && Report->total_ns > 0,
        "the add's report");
  hotjit_report_free(Report);
  CHECK(callInt(E, "add_k", 41) == 42, "add_k(41)");
  void *Stub = NULL;
  ok(hotjit_lookup(E, "add_k", NULL, &Stub), "untyped lookup");
  char *Sig = NULL;
  ok(hotjit_signature_of(E, "add_k", &Sig), "signature_of");
  CHECK(Sig && strcmp(Sig, "i32 (i32)") == 0, "signature %s", Sig ? Sig : "(null)");
  hotjit_string_free(Sig);
  uint64_t Version = 0;
  CHECK(hotjit_version_of(E, "add_k", &Version) == 1 && Version == 1, "version_of");
  CHECK(hotjit_version_of(E, "missing", &Version) == 0, "version_of a missing function");

  /* Replace: the stub stays, the code changes; rollback brings the old version
   * back. */
  ok(commitOne(E, hotjit_batch_replace, "adder", constantFunction("add_k", 2), &Report), "replace");
  CHECK(Report && Report->version == 2, "replace's version");
  hotjit_report_free(Report);
  void *Again = NULL;
  ok(hotjit_lookup(E, "add_k", "i32 (i32)", &Again), "lookup after replace");
  CHECK(Again == Stub, "the stub moved");
  CHECK(callInt(E, "add_k", 41) == 43, "add_k after replace");
  ok(hotjit_rollback(E, "add_k", &Report), "rollback");
  CHECK(Report && Report->cache_hits == 1 && Report->compiled == 0, "rollback relinks the cache");
  hotjit_report_free(Report);
  CHECK(callInt(E, "add_k", 41) == 42, "add_k after rollback");

  /* put, an opt level per batch, bitcode and file sources, dispose. */
  hotjit_batch *B = hotjit_batch_create(E);
  ok(hotjit_batch_put(B, "adder", HOTJIT_SOURCE_IR_TEXT, constantFunction("add_k", 3),
                      strlen(constantFunction("add_k", 3))),
     "put");
  ok(hotjit_batch_set_opt_level(B, 3), "set_opt_level");
  EXPECT_ERROR(hotjit_batch_set_opt_level(B, 7), HOTJIT_ERROR_INVALID_ARGUMENT, "opt level 7");
  /* A file path is NUL-terminated; a size, if given, is its length. */
  EXPECT_ERROR(
      hotjit_batch_add(B, "cut", HOTJIT_SOURCE_FILE, "/dev/null\0.ll", sizeof "/dev/null\0.ll" - 1),
      HOTJIT_ERROR_INVALID_ARGUMENT, "NUL byte");
  ok(hotjit_batch_add(B, "bc", HOTJIT_SOURCE_FILE, BitcodeFile, strlen(BitcodeFile)),
     "add a bitcode file");
  ok(hotjit_batch_commit(B, &Report), "commit put + file");
  CHECK(Report && Report->opt_level == 3 && Report->published_count == 2, "put's report");
  hotjit_report_free(Report);
  CHECK(callInt(E, "add_k", 41) == 44, "add_k after put");
  hotjit_enter(E);
  void *Answer = NULL;
  ok(hotjit_lookup(E, "bc_answer", "i32 ()", &Answer), "bc_answer");
  CHECK(Answer && ((int (*)(void))Answer)() == 42, "bc_answer()");
  hotjit_exit(E);
  {
    FILE *F = fopen(BitcodeFile, "rb");
    static char Bytes[65536];
    size_t N = F ? fread(Bytes, 1, sizeof Bytes, F) : 0;
    if (F)
      fclose(F);
    B = hotjit_batch_create(E);
    ok(hotjit_batch_replace(B, "bc", HOTJIT_SOURCE_BITCODE, Bytes, N), "replace from bytes");
    ok(hotjit_batch_commit(B, &Report), "commit bitcode bytes");
    CHECK(Report && Report->cache_hits + Report->compiled == 1, "bitcode report");
    hotjit_report_free(Report);
    B = hotjit_batch_create(E);
    ok(hotjit_batch_add(B, "never", HOTJIT_SOURCE_IR_TEXT, "garbage", 7), "add, disposed");
    hotjit_batch_dispose(B);
    CHECK(hotjit_version_of(E, "never", NULL) == 0, "a disposed batch committed");
  }

  /* Globals and host symbols. */
  ok(addIR(E, "data",
           "@counter = global i32 5\n"
           "define i32 @bump(i32 %d) {\n"
           "  %v = load i32, ptr @counter\n  %n = add i32 %v, %d\n"
           "  store i32 %n, ptr @counter\n  ret i32 %n\n}\n"),
     "add data");
  int *Counter = NULL;
  ok(hotjit_lookup_global(E, "counter", (void **)&Counter), "lookup_global");
  CHECK(Counter && *Counter == 5, "counter");
  CHECK(callInt(E, "bump", 2) == 7 && Counter && *Counter == 7, "bump");
  ok(hotjit_add_host_symbol(E, "host_twice", (const void *)&eh_host_callback), "host symbol");
  ok(addIR(E, "host",
           "declare i32 @host_twice(i32)\n"
           "define i32 @via_host(i32 %x) {\n  %r = call i32 @host_twice(i32 %x)\n"
           "  %s = mul i32 %r, 2\n  ret i32 %s\n}\n"),
     "add a module calling the host");
  CHECK(callInt(E, "via_host", 21) == 42, "via_host");

  /* Every error kind a commit or a lookup can return. */
  EXPECT_ERROR(addIR(E, "p", "define i32 @f( {"), HOTJIT_ERROR_PARSE, "module 'p'");
  EXPECT_ERROR(addIR(E, "v",
                     "define i32 @w(i1 %c) {\nentry:\n  br i1 %c, label %a, label %b\n"
                     "a:\n  %x = add i32 1, 2\n  br label %b\nb:\n  ret i32 %x\n}\n"),
               HOTJIT_ERROR_VERIFY, "module 'v'");
  EXPECT_ERROR(addIR(E, "u",
                     "declare i32 @nowhere()\n"
                     "define i32 @u() {\n  %r = call i32 @nowhere()\n  ret i32 %r\n}\n"),
               HOTJIT_ERROR_UNDEFINED, "nowhere", "module 'u'");
  EXPECT_ERROR(addIR(E, "dup", constantFunction("add_k", 9)), HOTJIT_ERROR_DUPLICATE, "add_k",
               "module 'dup'");
  EXPECT_ERROR(hotjit_lookup(E, "add_k", "double (double)", &Stub), HOTJIT_ERROR_SIGNATURE, "add_k",
               "module 'adder'", "double (double)");
  EXPECT_ERROR(replaceIR(E, "data",
                         "@counter = global i64 0\n"
                         "define i32 @bump(i32 %d) { ret i32 0 }\n"),
               HOTJIT_ERROR_GLOBAL_TYPE, "counter", "module 'data'");
  ok(addIR(E, "caller",
           "declare i32 @add_k(i32)\n"
           "define i32 @calls_add_k(i32 %x) {\n"
           "  %r = call i32 @add_k(i32 %x)\n  ret i32 %r\n}\n"),
     "add caller");
  EXPECT_ERROR(removeModule(E, "adder", HOTJIT_REMOVE_IF_UNUSED), HOTJIT_ERROR_IN_USE, "add_k",
               "module 'caller'");
  EXPECT_ERROR(addIR(E, "ifunc",
                     "define i32 @impl() { ret i32 1 }\n"
                     "define ptr @resolve() { ret ptr @impl }\n"
                     "@chosen = ifunc i32 (), ptr @resolve\n"),
               HOTJIT_ERROR_UNSUPPORTED, "module 'ifunc'");
  EXPECT_ERROR(addIR(E, "asm",
                     "define i32 @a() {\n"
                     "  call void asm sideeffect \"bogus_insn %eax\", \"\"()\n"
                     "  ret i32 1\n}\n"),
               HOTJIT_ERROR_LINK, "module 'asm'", "bogus_insn");
  EXPECT_ERROR(replaceIR(E, "not_live", constantFunction("nl", 1)), HOTJIT_ERROR_NO_SUCH_MODULE,
               "not_live");
  EXPECT_ERROR(hotjit_lookup(E, "missing", NULL, &Stub), HOTJIT_ERROR_NO_SUCH_FUNCTION,
               "'missing'");
  {
    static char Big[8192];
    memset(Big, ' ', sizeof Big - 1);
    EXPECT_ERROR(addIR(E, "big", Big), HOTJIT_ERROR_TOO_LARGE, "module 'big'");
  }
  EXPECT_ERROR(addIR(E, "ctor",
                     "@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] "
                     "[{ i32, ptr, ptr } { i32 65535, ptr @init, ptr null }]\n"
                     "declare void @__cxa_throw(ptr, ptr, ptr)\n"
                     "declare ptr @__cxa_allocate_exception(i64)\n"
                     "@_ZTIi = external constant ptr\n"
                     "define internal void @init() {\n"
                     "  %e = call ptr @__cxa_allocate_exception(i64 4)\n  store i32 7, "
                     "ptr %e\n"
                     "  call void @__cxa_throw(ptr %e, ptr @_ZTIi, ptr null)\n  "
                     "unreachable\n}\n"
                     "define i32 @c() { ret i32 0 }\n"),
               HOTJIT_ERROR_INITIALIZER, "module 'ctor'", "threw");
  EXPECT_ERROR(hotjit_add_host_symbol(E, "host_twice", (const void *)&eh_host_note),
               HOTJIT_ERROR_DUPLICATE, "host_twice");
  EXPECT_ERROR(hotjit_lookup_global(E, "no_global", (void **)&Counter), HOTJIT_ERROR_UNDEFINED,
               "no_global");
  EXPECT_ERROR(hotjit_signature_of(E, "missing", &Sig), HOTJIT_ERROR_NO_SUCH_FUNCTION, "missing");
  EXPECT_ERROR(hotjit_rollback(E, "missing", NULL), HOTJIT_ERROR_NO_SUCH_MODULE, "missing");
  EXPECT_ERROR(hotjit_batch_add(NULL, "m", HOTJIT_SOURCE_IR_TEXT, "", 0),
               HOTJIT_ERROR_INVALID_ARGUMENT, "hotjit_batch_add");
  B = hotjit_batch_create(E);
  EXPECT_ERROR(hotjit_batch_add(B, "m", (hotjit_source_kind)9, "", 0),
               HOTJIT_ERROR_INVALID_ARGUMENT, "module 'm'", "source kind");
  EXPECT_ERROR(hotjit_batch_remove(B, "m", (hotjit_remove_mode)5), HOTJIT_ERROR_INVALID_ARGUMENT,
               "remove mode");
  hotjit_batch_dispose(B);
  EXPECT_ERROR(hotjit_batch_commit(NULL, NULL), HOTJIT_ERROR_INVALID_ARGUMENT, "batch");
  EXPECT_ERROR(hotjit_lookup(E, NULL, NULL, &Stub), HOTJIT_ERROR_INVALID_ARGUMENT, "NULL");

  /* The live modules, sorted. */
  {
    char **Names = NULL;
    size_t Count = 0;
    ok(hotjit_modules(E, &Names, &Count), "modules");
    const char *Want[] = {"adder", "bc", "caller", "data", "host"};
    CHECK(Names && Count == 5 && Names[5] == NULL, "%zu modules", Count);
    for (size_t I = 0; Names && I < Count && I < 5; ++I)
      CHECK(strcmp(Names[I], Want[I]) == 0, "module %zu is '%s', expected '%s'", I, Names[I],
            Want[I]);
    hotjit_names_free(Names);
    hotjit_names_free(NULL);
    EXPECT_ERROR(hotjit_modules(E, NULL, &Count), HOTJIT_ERROR_INVALID_ARGUMENT, "names_out");
  }

  /* After all of that, the engine answers as before. */
  CHECK(callInt(E, "add_k", 41) == 44 && callInt(E, "calls_add_k", 1) == 4, "engine intact");
  hotjit_stats S;
  S.struct_size = sizeof S;
  hotjit_get_stats(E, &S);
  CHECK(S.live_modules == 5 && S.failed_commits >= 10 && S.commits >= 8,
        "stats: %zu modules, "
        "%llu failed commits",
        S.live_modules, (unsigned long long)S.failed_commits);

  /* A forced removal: lookups say so, the stub traps into the handler. */
  ok(hotjit_set_removed_function_handler(E, onTrap, &TrapUserData), "set the trap handler");
  EXPECT_ERROR(hotjit_set_removed_function_handler(NULL, onTrap, NULL),
               HOTJIT_ERROR_INVALID_ARGUMENT, "engine");
  hotjit_enter(E);
  void *CallsAddK = NULL;
  ok(hotjit_lookup(E, "calls_add_k", "i32 (i32)", &CallsAddK), "calls_add_k");
  hotjit_exit(E);
  ok(removeModule(E, "adder", HOTJIT_REMOVE_FORCE), "forced removal");
  EXPECT_ERROR(hotjit_lookup(E, "add_k", NULL, &Stub), HOTJIT_ERROR_REMOVED_FUNCTION, "add_k",
               "module 'adder'");
  hotjit_enter(E);
  int R = ((int (*)(int))CallsAddK)(1);
  hotjit_exit(E);
  CHECK(R == 0 && strcmp(Trapped, "add_k") == 0, "the trap returned %d, reported '%s'", R, Trapped);
  ok(hotjit_set_removed_function_handler(E, NULL, NULL), "reset the trap handler");

  /* Backpressure: with an online QSBR thread holding up reclamation, retired
   * code stays over a one-byte cap, and a commit that may not wait fails at
   * once. */
  hotjit_engine_destroy(E);
  hotjit_engine_options_init(&O);
  O.retired_bytes_cap = 1;
  O.wait_when_over_cap = 0;
  O.stall_threshold_ms = 60000;
  ok(hotjit_engine_create(&O, &E), "create a capped engine");
  ok(addIR(E, "f", constantFunction("f", 1)), "add f");
  atomic_int Hold[2] = {0, 0};
  struct Reader Holder = {.E = E, .Stop = Hold};
  pthread_t T;
  pthread_create(&T, NULL, holdOnline, &Holder);
  while (!atomic_load(&Hold[1]))
    usleep(100);
  ok(replaceIR(E, "f", constantFunction("f", 2)), "replace once");
  EXPECT_ERROR(replaceIR(E, "f", constantFunction("f", 3)), HOTJIT_ERROR_BACKPRESSURE,
               "exceeds the cap");
  atomic_store(&Hold[0], 1);
  pthread_join(T, NULL);
  hotjit_wait_for_reclamation(E);
  hotjit_get_stats(E, &S);
  CHECK(S.versions_freed == 1 && S.retired_bytes_pending == 0,
        "after the holder left: %llu "
        "freed",
        (unsigned long long)S.versions_freed);
  CHECK(callInt(E, "f", 0) == 2, "f after backpressure");
  hotjit_engine_destroy(E);

  /* A thread pinned while reclamation waits for it is reported to on_stall. */
  static struct StallSeen Seen;
  hotjit_engine_options_init(&O);
  O.stall_threshold_ms = 20;
  O.stack_check_after_us = 0; /* The plain epoch rule: a pinned thread holds everything up. */
  O.on_stall = onStall;
  O.on_stall_user_data = &Seen;
  ok(hotjit_engine_create(&O, &E), "create with on_stall");
  ok(addIR(E, "f", constantFunction("f", 1)), "add f");
  static struct Pinner Pinned;
  Pinned.E = E;
  pthread_create(&T, NULL, holdPinned, &Pinned);
  while (!atomic_load(&Pinned.Tid))
    usleep(100);
  ok(replaceIR(E, "f", constantFunction("f", 2)), "replace while pinned");
  for (int I = 0; I < 5000 && !atomic_load(&Seen.Calls); ++I)
    usleep(1000);
  CHECK(atomic_load(&Seen.Calls) > 0, "no stall reported in 5 s");
  CHECK(atomic_load(&Seen.Tid) == atomic_load(&Pinned.Tid) && atomic_load(&Seen.Pinned) == 1 &&
            atomic_load(&Seen.HeldNs) >= 20000000 && strstr(Seen.Description, "pinned") != NULL,
        "stall of thread %ld (pinned %d, %lld ns): '%s'", atomic_load(&Seen.Tid),
        atomic_load(&Seen.Pinned), (long long)atomic_load(&Seen.HeldNs), Seen.Description);
  atomic_store(&Pinned.Stop, 1);
  pthread_join(T, NULL);
  hotjit_wait_for_reclamation(E);
  hotjit_engine_destroy(E);
}

static void testExceptions(const char *Fixtures, int ExpectIndex) {
  hotjit_engine_options O;
  hotjit_engine_options_init(&O);
  O.unwind_index = ExpectIndex;
  hotjit_engine *E = NULL;
  ok(hotjit_engine_create(&O, &E), "create");
  if (!E)
    return;
  ok(hotjit_add_host_symbol(E, "eh_host_callback", (const void *)&eh_host_callback), "callback");
  ok(hotjit_add_host_symbol(E, "eh_host_note", (const void *)&eh_host_note), "note");
  char Path[3][4096];
  const char *Names[3] = {"eh_thrower_v1.ll", "eh_middle.ll", "eh_catcher.ll"};
  hotjit_batch *B = hotjit_batch_create(E);
  for (int I = 0; I < 3; ++I) {
    snprintf(Path[I], sizeof Path[I], "%s/%s", Fixtures, Names[I]);
    ok(hotjit_batch_add(B, Names[I], HOTJIT_SOURCE_FILE, Path[I], 0), Names[I]);
  }
  ok(hotjit_batch_commit(B, NULL), "commit the C++ fixtures");
  /* Thrown two modules down, through a cleanup in the middle, caught at the
   * top. */
  CHECK(callInt(E, "eh_catch", -1) == 1001, "int thrown and caught");
  CHECK(callInt(E, "eh_catch", 0) == -1000, "std::runtime_error thrown and caught");
  CHECK(callInt(E, "eh_catch", 5) == 11, "no throw");
  CHECK(atomic_load(&Notes) == 3, "cleanups ran %d times, not 3", atomic_load(&Notes));
  hotjit_stats S;
  S.struct_size = sizeof S;
  hotjit_get_stats(E, &S);
  printf("unwind mode: %s\n", S.unwind_index ? "hotjit's eh-frame index (interposed "
                                               "_Unwind_Find_FDE)"
                                             : "libgcc registry "
                                               "(__register_frame)");
  CHECK(S.unwind_index == ExpectIndex, "unwind_index is %d, expected %d", S.unwind_index,
        ExpectIndex);
  hotjit_engine_destroy(E);
}

/* Readers stay inside each version for 20 us (host_spin) while versions are
 * replaced under them; retired code is quarantined (inaccessible, never
 * reused), so a reader that the API's pin did not protect faults when it
 * returns into code already retired. */
static void testSwapUnderCallingThreads(void) {
  hotjit_engine_options O;
  hotjit_engine_options_init(&O);
  O.opt_level = 0;
  O.reclaim_delay_us = 100;
  O.quarantine_retired_code = 1;
  hotjit_engine *E = NULL;
  ok(hotjit_engine_create(&O, &E), "create");
  if (!E)
    return;
  ok(hotjit_add_host_symbol(E, "host_spin", (const void *)&host_spin), "host_spin");
  ok(addIR(E, "v", spinningFunction("value", 1)), "add v1");
  void *Stub = NULL;
  ok(hotjit_lookup(E, "value", "i32 (i32)", &Stub), "lookup value");
  enum { Threads = 4, Versions = 60 };
  atomic_int Stop = 0;
  struct Reader Readers[Threads];
  pthread_t T[Threads];
  for (int I = 0; I < Threads; ++I) {
    Readers[I] = (struct Reader){.E = E, .Stub = Stub, .Stop = &Stop, .UseQsbr = I == Threads - 1};
    pthread_create(&T[I], NULL, readLoop, &Readers[I]);
  }
  for (int V = 2; V <= Versions; ++V) {
    ok(replaceIR(E, "v", spinningFunction("value", V)), "replace under readers");
    usleep(2000);
  }
  usleep(20000);
  atomic_store(&Stop, 1);
  long Calls = 0;
  for (int I = 0; I < Threads; ++I) {
    pthread_join(T[I], NULL);
    Calls += Readers[I].Calls;
    CHECK(Readers[I].Bad == 0, "reader %d saw %d out-of-order values", I, Readers[I].Bad);
    CHECK(Readers[I].Last == Versions, "reader %d ended on version %d", I, Readers[I].Last);
  }
  hotjit_wait_for_reclamation(E);
  hotjit_stats S;
  S.struct_size = sizeof S;
  hotjit_get_stats(E, &S);
  /* Freed after a grace period, or by a stack check of readers pinned (or descheduled) for
   * longer than stack_check_after_us. */
  CHECK(S.versions_freed == Versions - 1 &&
            (S.grace_periods > 0 || S.versions_freed_by_stack_check > 0),
        "%llu of %d versions freed", (unsigned long long)S.versions_freed, Versions - 1);
  printf("swap under %d calling threads: %d versions, %ld calls, %llu grace "
         "periods\n",
         Threads, Versions, Calls, (unsigned long long)S.grace_periods);

  /* Pin nesting and its repair after a longjmp-like exit. */
  CHECK(hotjit_depth(E) == 0, "depth at rest");
  hotjit_enter(E);
  uint32_t Saved = hotjit_depth(E);
  hotjit_enter(E);
  hotjit_enter(E);
  CHECK(hotjit_depth(E) == 3, "depth %u", hotjit_depth(E));
  hotjit_restore_depth(E, Saved);
  CHECK(hotjit_depth(E) == 1, "depth after restore %u", hotjit_depth(E));
  hotjit_exit(E);
  CHECK(hotjit_depth(E) == 0, "depth after exit");
  hotjit_unregister_thread(E);

  /* Tiered: O0 at once, the optimised version later. */
  hotjit_engine_destroy(E);
  hotjit_engine_options_init(&O);
  O.tiered = 1;
  ok(hotjit_engine_create(&O, &E), "create tiered");
  hotjit_report *Report = NULL;
  ok(commitOne(E, hotjit_batch_add, "t", constantFunction("tiered", 5), &Report), "add tiered");
  CHECK(Report && Report->opt_level == 0, "tier 0 at O0");
  hotjit_report_free(Report);
  hotjit_wait_for_tier_ups(E);
  hotjit_get_stats(E, &S);
  CHECK(S.tier_ups == 1 && S.last_tier_up_latency_ns > 0, "tier-ups %llu",
        (unsigned long long)S.tier_ups);
  CHECK(callInt(E, "tiered", 1) == 6, "tiered()");
  hotjit_engine_destroy(E);
}

/* Prepared batches: compiled, linked and constructed by hotjit_batch_prepare(),
 * invisible until hotjit_prepared_publish(); a commit published in between
 * that changes what the batch was prepared against makes the publication fail
 * and change nothing; a published, discarded or orphaned batch is stale. */
static void testPreparedBatches(void) {
  hotjit_engine_options O;
  hotjit_engine_options_init(&O);
  O.opt_level = 0;
  O.reclaim_delay_us = 100;
  O.quarantine_retired_code = 1; /* Code freed too early faults. */
  hotjit_engine *E = NULL;
  ok(hotjit_engine_create(&O, &E), "create");
  if (!E)
    return;
  ok(addIR(E, "f", constantFunction("f", 1)), "add f");
  uint64_t Live = 0;
  CHECK(hotjit_version_of(E, "f", &Live) == 1, "f's version");
  hotjit_stats S;
  S.struct_size = sizeof S;
  hotjit_get_stats(E, &S);
  const uint64_t Commits = S.commits;
  CHECK(S.prepared_batches == 0, "%u prepared batches at rest", S.prepared_batches);

  /* Prepared: nothing resolves to it. */
  hotjit_batch *B = hotjit_batch_create(E);
  ok(hotjit_batch_replace(B, "f", HOTJIT_SOURCE_IR_TEXT, constantFunction("f", 2),
                          strlen(constantFunction("f", 2))),
     "replace f in a batch");
  ok(hotjit_batch_add(B, "g", HOTJIT_SOURCE_IR_TEXT, constantFunction("g", 3),
                      strlen(constantFunction("g", 3))),
     "add g in a batch");
  hotjit_prepared *P = NULL;
  ok(hotjit_batch_prepare(B, &P), "prepare");
  CHECK(P && hotjit_prepared_version(P) > Live, "the prepared version %llu after %llu",
        (unsigned long long)hotjit_prepared_version(P), (unsigned long long)Live);
  CHECK(callInt(E, "f", 0) == 1, "f before the publication");
  void *Address = NULL;
  EXPECT_ERROR(hotjit_lookup(E, "g", NULL, &Address), HOTJIT_ERROR_NO_SUCH_FUNCTION, "'g'");
  uint64_t Version = 0;
  CHECK(hotjit_version_of(E, "f", &Version) == 1 && Version == Live, "f's version moved");
  CHECK(hotjit_version_of(E, "g", NULL) == 0, "g has a version before the publication");
  hotjit_get_stats(E, &S);
  CHECK(S.prepared_batches == 1 && S.commits == Commits && S.live_modules == 1,
        "while prepared: %u prepared, %llu commits, %zu modules", S.prepared_batches,
        (unsigned long long)S.commits, S.live_modules);

  /* Published: visible, under the version it took. */
  hotjit_report *Report = NULL;
  ok(hotjit_prepared_publish(P, &Report), "publish");
  CHECK(Report && Report->version == hotjit_prepared_version(P) && Report->published_count == 2,
        "the publication's report");
  hotjit_report_free(Report);
  CHECK(callInt(E, "f", 0) == 2 && callInt(E, "g", 0) == 3, "f and g after the publication");
  CHECK(hotjit_version_of(E, "f", &Version) == 1 && Version == hotjit_prepared_version(P),
        "f's version after the publication");
  hotjit_get_stats(E, &S);
  CHECK(S.prepared_batches == 0 && S.commits == Commits + 1 && S.live_modules == 2,
        "after the publication: %u prepared, %llu commits", S.prepared_batches,
        (unsigned long long)S.commits);
  /* Published once: the handle is stale, and stays the caller's. */
  Report = (hotjit_report *)&Report;
  EXPECT_ERROR(hotjit_prepared_publish(P, &Report), HOTJIT_ERROR_STALE, "publish",
               "the batch was published");
  CHECK(Report == NULL, "a failed publication stored a report");
  EXPECT_ERROR(hotjit_prepared_discard(P), HOTJIT_ERROR_STALE, "discard");
  hotjit_prepared_dispose(P);
  CHECK(callInt(E, "f", 0) == 2, "f after disposing the published handle");

  /* A commit of the same module in between: the publication fails and
   * changes nothing; the batch stays prepared until discarded. */
  B = hotjit_batch_create(E);
  ok(hotjit_batch_replace(B, "f", HOTJIT_SOURCE_IR_TEXT, constantFunction("f", 4),
                          strlen(constantFunction("f", 4))),
     "replace f in a batch");
  P = NULL;
  ok(hotjit_batch_prepare(B, &P), "prepare again");
  ok(commitOne(E, hotjit_batch_replace, "f", constantFunction("f", 5), &Report),
     "a conflicting commit");
  const uint64_t Meanwhile = Report ? Report->version : 0;
  hotjit_report_free(Report);
  char By[64], Since[64];
  snprintf(By, sizeof By, "version %llu", (unsigned long long)Meanwhile);
  snprintf(Since, sizeof Since, "version %llu", (unsigned long long)hotjit_prepared_version(P));
  hotjit_get_stats(E, &S);
  const uint64_t Failed = S.failed_commits;
  EXPECT_ERROR(hotjit_prepared_publish(P, NULL), HOTJIT_ERROR_CONFLICT, "module 'f'", By, Since,
               "nothing was published");
  CHECK(callInt(E, "f", 0) == 5, "f after the conflict is %d, not the conflicting commit's 5",
        callInt(E, "f", 0));
  CHECK(hotjit_version_of(E, "f", &Version) == 1 && Version == Meanwhile,
        "f's version after the conflict");
  hotjit_get_stats(E, &S);
  CHECK(S.prepared_batches == 1 && S.failed_commits == Failed + 1,
        "after the conflict: %u prepared, %llu failed commits", S.prepared_batches,
        (unsigned long long)S.failed_commits);
  ok(hotjit_prepared_discard(P), "discard");
  hotjit_get_stats(E, &S);
  CHECK(S.prepared_batches == 0, "%u prepared after the discard", S.prepared_batches);
  EXPECT_ERROR(hotjit_prepared_discard(P), HOTJIT_ERROR_STALE, "discard",
               "the batch was discarded");
  EXPECT_ERROR(hotjit_prepared_publish(P, NULL), HOTJIT_ERROR_STALE, "publish");
  hotjit_prepared_dispose(P);
  CHECK(callInt(E, "f", 0) == 5, "f after the discard");

  /* The storage of a global a prepared batch creates is reserved; disposing
   * the handle discards the batch and frees the name. */
  const char *Counter = "@counter = global i32 5\n"
                        "define i32 @count(i32 %x) {\n"
                        "  %v = load i32, ptr @counter\n  ret i32 %v\n}\n";
  B = hotjit_batch_create(E);
  ok(hotjit_batch_add(B, "a", HOTJIT_SOURCE_IR_TEXT, Counter, strlen(Counter)), "add a");
  P = NULL;
  ok(hotjit_batch_prepare(B, &P), "prepare a global");
  snprintf(Since, sizeof Since, "version %llu", (unsigned long long)hotjit_prepared_version(P));
  EXPECT_ERROR(addIR(E, "b", "@counter = global i32 9\n"), HOTJIT_ERROR_CONFLICT,
               "global 'counter'", "module 'b'", Since);
  hotjit_prepared_dispose(P);
  hotjit_get_stats(E, &S);
  CHECK(S.prepared_batches == 0, "%u prepared after the dispose", S.prepared_batches);
  ok(addIR(E, "b", "@counter = global i32 9\n"), "add b once the batch is gone");
  int *Value = NULL;
  ok(hotjit_lookup_global(E, "counter", (void **)&Value), "lookup counter");
  CHECK(Value && *Value == 9, "counter is b's");
  CHECK(hotjit_version_of(E, "count", NULL) == 0, "the disposed batch's count() is live");

  /* A failed prepare stores NULL and leaves nothing; NULL arguments. */
  B = hotjit_batch_create(E);
  ok(hotjit_batch_add(B, "broken", HOTJIT_SOURCE_IR_TEXT, "define i32 @h( {", 16), "add broken");
  P = (hotjit_prepared *)&P;
  EXPECT_ERROR(hotjit_batch_prepare(B, &P), HOTJIT_ERROR_PARSE, "module 'broken'");
  CHECK(P == NULL, "a failed prepare stored a handle");
  EXPECT_ERROR(hotjit_batch_prepare(NULL, &P), HOTJIT_ERROR_INVALID_ARGUMENT, "batch");
  EXPECT_ERROR(hotjit_batch_prepare(hotjit_batch_create(E), NULL), HOTJIT_ERROR_INVALID_ARGUMENT,
               "prepared_out");
  EXPECT_ERROR(hotjit_prepared_publish(NULL, NULL), HOTJIT_ERROR_INVALID_ARGUMENT,
               "hotjit_prepared_publish");
  EXPECT_ERROR(hotjit_prepared_discard(NULL), HOTJIT_ERROR_INVALID_ARGUMENT,
               "hotjit_prepared_discard");
  CHECK(hotjit_prepared_version(NULL) == 0, "the version of no batch");
  hotjit_prepared_dispose(NULL);
  hotjit_get_stats(E, &S);
  CHECK(S.prepared_batches == 0, "%u prepared after the failures", S.prepared_batches);

  /* Prepared on this thread, refused while it is pinned, published unpinned. */
  B = hotjit_batch_create(E);
  ok(hotjit_batch_replace(B, "f", HOTJIT_SOURCE_IR_TEXT, constantFunction("f", 6),
                          strlen(constantFunction("f", 6))),
     "replace f in a batch");
  P = NULL;
  ok(hotjit_batch_prepare(B, &P), "prepare to publish pinned");
  hotjit_enter(E);
  EXPECT_ERROR(hotjit_prepared_publish(P, NULL), HOTJIT_ERROR_UNSUPPORTED, "EpochGuard");
  hotjit_exit(E);
  ok(hotjit_prepared_publish(P, NULL), "publish unpinned");
  hotjit_prepared_dispose(P);
  CHECK(callInt(E, "f", 0) == 6, "f after the pinned refusal and the publication");

  /* A batch outliving its engine is discarded with it: stale, still freed
   * by its dispose. */
  B = hotjit_batch_create(E);
  ok(hotjit_batch_add(B, "late", HOTJIT_SOURCE_IR_TEXT, constantFunction("late", 7),
                      strlen(constantFunction("late", 7))),
     "add late");
  P = NULL;
  ok(hotjit_batch_prepare(B, &P), "prepare, then destroy the engine");
  const uint64_t Orphan = hotjit_prepared_version(P);
  hotjit_engine_destroy(E);
  EXPECT_ERROR(hotjit_prepared_publish(P, NULL), HOTJIT_ERROR_STALE, "engine was destroyed");
  EXPECT_ERROR(hotjit_prepared_discard(P), HOTJIT_ERROR_STALE, "engine was destroyed");
  CHECK(hotjit_prepared_version(P) == Orphan, "the version of an orphan");
  hotjit_prepared_dispose(P);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s FIXTURES_DIR BITCODE_FILE [--no-unwind-index]\n", argv[0]);
    return 2;
  }
  const int Index = !(argc > 3 && strcmp(argv[3], "--no-unwind-index") == 0);
  testBasics();
  testFunctionsAndErrors(argv[2]);
  testExceptions(argv[1], Index);
  testSwapUnderCallingThreads();
  testPreparedBatches();

  const hotjit_error_kind Expected[] = {
      HOTJIT_ERROR_PARSE,           HOTJIT_ERROR_VERIFY,           HOTJIT_ERROR_UNDEFINED,
      HOTJIT_ERROR_DUPLICATE,       HOTJIT_ERROR_SIGNATURE,        HOTJIT_ERROR_GLOBAL_TYPE,
      HOTJIT_ERROR_IN_USE,          HOTJIT_ERROR_UNSUPPORTED,      HOTJIT_ERROR_LINK,
      HOTJIT_ERROR_NO_SUCH_MODULE,  HOTJIT_ERROR_NO_SUCH_FUNCTION, HOTJIT_ERROR_REMOVED_FUNCTION,
      HOTJIT_ERROR_BACKPRESSURE,    HOTJIT_ERROR_TOO_LARGE,        HOTJIT_ERROR_INITIALIZER,
      HOTJIT_ERROR_UNTRUSTED,       HOTJIT_ERROR_CONFLICT,         HOTJIT_ERROR_STALE,
      HOTJIT_ERROR_INVALID_ARGUMENT};
  for (size_t I = 0; I < sizeof Expected / sizeof Expected[0]; ++I)
    CHECK(KindsSeen[Expected[I]], "error kind %s was never returned",
          hotjit_error_kind_name(Expected[I]));
  if (Failures) {
    fprintf(stderr, "capi_test: %d failures\n", Failures);
    return 1;
  }
  printf("capi_test: all checks passed\n");
  return 0;
}
