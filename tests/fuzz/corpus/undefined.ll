declare i32 @fz_nowhere(i32)
@fz_missing = external global i32
define i32 @fz_use(i32 %x) {
  %a = call i32 @fz_nowhere(i32 %x)
  %b = load i32, ptr @fz_missing
  %r = add i32 %a, %b
  ret i32 %r
}
