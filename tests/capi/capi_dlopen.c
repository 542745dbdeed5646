/* libhotjit.so loaded with dlopen (RTLD_LOCAL, as Python's ctypes and plugin
 * hosts load it), not linked: C++ exceptions thrown by JIT code must still
 * unwind, and EngineStats says how JIT eh-frames are found. Under RTLD_LOCAL
 * libhotjit.so is not in the global scope; libgcc's unwinder (loaded with it)
 * resolves _Unwind_Find_FDE through the global scope first and then through the
 * dlopen'd group, where libhotjit.so comes before libgcc_s. So:
 *   - libgcc_s not loaded before the dlopen (a C host): it comes with
 * libhotjit.so, binds _Unwind_Find_FDE to hotjit's interposer, and unwind_index
 * is 1;
 *   - libgcc_s loaded before (a C++ host, or a host linked with -lgcc_s): its
 * lookups stay in the global scope, which libhotjit.so is not part of, and
 * unwind_index is 0 (JIT eh-frames go to libgcc's registry with
 * __register_frame). "auto" expects what that rule predicts for this process.
 *
 * Usage: capi_dlopen LIBHOTJIT FIXTURES_DIR 0|1|auto
 */
#include "hotjit/hotjit.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int Notes;
static int eh_host_callback(int X) { return X; }
static void eh_host_note(int X) {
  (void)X;
  ++Notes;
}

#define LOAD(Name)                                                                                 \
  __typeof__(&Name) p_##Name = (__typeof__(&Name))dlsym(Lib, #Name);                               \
  if (!p_##Name) {                                                                                 \
    fprintf(stderr, "dlsym(%s): %s\n", #Name, dlerror());                                          \
    return 1;                                                                                      \
  }

static int report(hotjit_error *Err, const char *(*Message)(const hotjit_error *),
                  const char *What) {
  if (!Err)
    return 0;
  fprintf(stderr, "%s: %s\n", What, Message(Err));
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s LIBHOTJIT FIXTURES_DIR 0|1|auto\n", argv[0]);
    return 2;
  }
  void *GccS = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_NOLOAD);
  const int Expected = strcmp(argv[3], "auto") == 0 ? GccS == NULL : atoi(argv[3]);
  if (GccS)
    dlclose(GccS);
  void *Lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!Lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  LOAD(hotjit_engine_create);
  LOAD(hotjit_engine_destroy);
  LOAD(hotjit_error_message);
  LOAD(hotjit_add_host_symbol);
  LOAD(hotjit_batch_create);
  LOAD(hotjit_batch_add);
  LOAD(hotjit_batch_commit);
  LOAD(hotjit_lookup);
  LOAD(hotjit_enter);
  LOAD(hotjit_exit);
  LOAD(hotjit_get_stats);

  hotjit_engine *E = NULL;
  if (report(p_hotjit_engine_create(NULL, &E), p_hotjit_error_message, "create") ||
      report(p_hotjit_add_host_symbol(E, "eh_host_callback", (const void *)&eh_host_callback),
             p_hotjit_error_message, "host symbol") ||
      report(p_hotjit_add_host_symbol(E, "eh_host_note", (const void *)&eh_host_note),
             p_hotjit_error_message, "host symbol"))
    return 1;
  const char *Names[3] = {"eh_thrower_v1.ll", "eh_middle.ll", "eh_catcher.ll"};
  char Path[3][4096];
  hotjit_batch *B = p_hotjit_batch_create(E);
  for (int I = 0; I < 3; ++I) {
    snprintf(Path[I], sizeof Path[I], "%s/%s", argv[2], Names[I]);
    if (report(p_hotjit_batch_add(B, Names[I], HOTJIT_SOURCE_FILE, Path[I], 0),
               p_hotjit_error_message, Names[I]))
      return 1;
  }
  if (report(p_hotjit_batch_commit(B, NULL), p_hotjit_error_message, "commit"))
    return 1;

  void *Catch = NULL;
  if (report(p_hotjit_lookup(E, "eh_catch", "i32 (i32)", &Catch), p_hotjit_error_message, "lookup"))
    return 1;
  int Failures = 0;
  const int Args[3] = {-1, 0, 5}, Want[3] = {1001, -1000, 11};
  for (int I = 0; I < 3; ++I) {
    p_hotjit_enter(E);
    int Got = ((int (*)(int))Catch)(Args[I]);
    p_hotjit_exit(E);
    if (Got != Want[I]) {
      fprintf(stderr, "eh_catch(%d) = %d, expected %d\n", Args[I], Got, Want[I]);
      ++Failures;
    }
  }
  if (Notes != 3) {
    fprintf(stderr, "the cleanup ran %d times, not 3\n", Notes);
    ++Failures;
  }
  hotjit_stats S;
  S.struct_size = sizeof S;
  p_hotjit_get_stats(E, &S);
  printf("dlopen(RTLD_LOCAL), libgcc_s %s before: exceptions unwind; unwind "
         "mode: %s\n",
         Expected ? "not loaded" : "loaded",
         S.unwind_index ? "hotjit's eh-frame index" : "libgcc registry (__register_frame)");
  if (S.unwind_index != Expected) {
    fprintf(stderr, "unwind_index is %d, expected %d\n", S.unwind_index, Expected);
    ++Failures;
  }
  p_hotjit_engine_destroy(E);
  dlclose(Lib);
  return Failures ? 1 : 0;
}
