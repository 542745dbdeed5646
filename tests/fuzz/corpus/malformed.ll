define i32 @fz_bad(i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  %x = add i32 1, 2
  br label %b
b:
  ret i32 %x
}
define i32 @fz_worse() {
  ret i32
