declare i64 @hj_base(i64)
define i64 @fz_wide(i64 %x) {
  %r = call i64 @hj_base(i64 %x)
  ret i64 %r
}
