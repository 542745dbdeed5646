; A module that commits: calls a live function, keeps state, takes an address.
declare i32 @hj_base(i32)
@fz_count = global i32 0
@fz_table = global [2 x ptr] [ptr @fz_twice, ptr @hj_base]
@.str = private unnamed_addr constant [6 x i8] c"hello\00"
declare i64 @strlen(ptr)

define i32 @fz_twice(i32 %x) {
entry:
  %a = call i32 @hj_base(i32 %x)
  %b = call i32 @hj_base(i32 %a)
  %c = load i32, ptr @fz_count
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @fz_count
  %n = call i64 @strlen(ptr @.str)
  %n32 = trunc i64 %n to i32
  %r = add i32 %b, %n32
  ret i32 %r
}

define internal i32 @fz_loop(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %i1 = add i32 %i, 1
  %done = icmp sge i32 %i1, %n
  br i1 %done, label %out, label %loop
out:
  ret i32 %i1
}

define i32 @fz_entry(i32 %n) {
  %r = call i32 @fz_loop(i32 %n)
  ret i32 %r
}
