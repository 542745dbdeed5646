@hj_calls = global i32 12345
define i32 @fz_peek() {
  %v = load i32, ptr @hj_calls
  ret i32 %v
}
