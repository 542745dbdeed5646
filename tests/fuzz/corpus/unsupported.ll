@fz_tls = thread_local global i32 0
@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @fz_init, ptr null }]
declare extern_weak i32 @fz_maybe()
define internal void @fz_init() { ret void }
define i32 @fz_get() {
  %v = load i32, ptr @fz_tls
  ret i32 %v
}
