#include <hotjit/hotjit.h>
#include <stdio.h>
#include <string.h>

static const char *Square =
    "define i32 @f(i32 %x) {\n  %r = mul i32 %x, %x\n  ret i32 %r\n}\n";
static const char *Cube = "define i32 @f(i32 %x) {\n  %s = mul i32 %x, %x\n"
                          "  %r = mul i32 %s, %x\n  ret i32 %r\n}\n";

/* Commits one module; errors are values: a kind and a message naming function
 * and module. */
static int put(hotjit_engine *engine, const char *module, const char *ir) {
  hotjit_batch *batch = hotjit_batch_create(engine);
  hotjit_error *err =
      hotjit_batch_put(batch, module, HOTJIT_SOURCE_IR_TEXT, ir, strlen(ir));
  if (!err)
    err = hotjit_batch_commit(batch, NULL); /* frees the batch */
  else
    hotjit_batch_dispose(batch);
  if (!err)
    return 0;
  printf("%s error: %s\n", hotjit_error_kind_name(hotjit_error_get_kind(err)),
         hotjit_error_message(err));
  hotjit_error_free(err);
  return -1;
}

int main(void) {
  hotjit_engine *engine;
  hotjit_error *err = hotjit_engine_create(NULL, &engine);
  if (err) {
    fprintf(stderr, "%s\n", hotjit_error_message(err));
    hotjit_error_free(err);
    return 1;
  }
  if (put(engine, "math", Square))
    return 1;

  /* The stub of f: one address for every version, and never one of another
   * type. */
  void *f;
  if ((err = hotjit_lookup(engine, "f", "i32 (i32)", &f))) {
    hotjit_error_free(err);
    return 1;
  }
  int (*call_f)(int) = (int (*)(int))f;

  hotjit_enter(engine); /* pinned: the code it runs is not freed meanwhile */
  printf("f(3) = %d\n", call_f(3));
  hotjit_exit(engine);

  if (put(engine, "math", Cube)) /* threads calling f meanwhile keep running */
    return 1;
  hotjit_enter(engine);
  printf("f(3) = %d\n", call_f(3));
  hotjit_exit(engine);

  put(engine, "broken", "define i32 @g( {"); /* refused; nothing changes */

  hotjit_engine_destroy(engine);
  return 0;
}
