; Assembled to bitcode at build time (llvm-as): the C API test's bitcode module.
define i32 @bc_answer() {
  ret i32 42
}
