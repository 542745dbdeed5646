// StubTable: stubs jump to the published target, trap when unpublished, and JIT code calls another
// module's function through its slot, with no stub, PLT or GOT hop in between.
#include "memory/StubTable.h" // engine/src: the stub table is internal
#include "EngineTestCommon.h"

#include <cstring>

using namespace hotjit;
using namespace hotjit::test;

namespace {

int hostOne() { return 1; }
int hostTwo() { return 2; }

TEST(StubTableTest, StubJumpsToThePublishedTarget) {
  StubTable T;
  auto E = T.create("f");
  ASSERT_TRUE(!!E) << llvm::toString(E.takeError());
  StubTable::publish(*E, reinterpret_cast<void *>(&hostOne));
  auto *Fn = reinterpret_cast<int (*)()>(E->Stub);
  EXPECT_EQ(Fn(), 1);
  StubTable::publish(*E, reinterpret_cast<void *>(&hostTwo));
  EXPECT_EQ(Fn(), 2);
  EXPECT_EQ(StubTable::target(*E), reinterpret_cast<void *>(&hostTwo));
}

TEST(StubTableTest, UnpublishedStubCallsTheTrapHandlerWithItsName) {
  StubTable T;
  std::vector<StubTable::Entry> Entries;
  for (int I = 0; I < 2100; ++I) { // Spans three blocks.
    auto E = T.create("fn" + std::to_string(I));
    ASSERT_TRUE(!!E);
    Entries.push_back(*E);
  }
  static thread_local std::string Seen;
  T.setTrapHandler([](llvm::StringRef Name) { Seen = Name.str(); });
  for (int I : {0, 1023, 1024, 2099}) {
    Seen.clear();
    auto *Fn = reinterpret_cast<long (*)()>(Entries[I].Stub);
    EXPECT_EQ(Fn(), 0);
    EXPECT_EQ(Seen, "fn" + std::to_string(I));
  }
  StubTable::publish(Entries[5], reinterpret_cast<void *>(&hostOne));
  StubTable::unpublish(Entries[5]);
  Seen.clear();
  reinterpret_cast<int (*)()>(Entries[5].Stub)();
  EXPECT_EQ(Seen, "fn5");
  EXPECT_EQ(T.size(), 2100u);
  EXPECT_TRUE(T.containsStubCode(Entries[2099].Stub));
  EXPECT_FALSE(T.containsStubCode(reinterpret_cast<void *>(&hostOne)));
}

/// The slot a stub jumps through, read from its code.
const uint8_t *slotOf(const void *Stub) {
  auto *P = static_cast<const uint8_t *>(Stub);
  EXPECT_EQ(P[0], 0xFF);
  EXPECT_EQ(P[1], 0x25);
  int32_t Disp;
  std::memcpy(&Disp, P + 2, 4);
  return P + 6 + Disp;
}

/// The implementation a stub currently jumps to, read from its code.
const uint8_t *implementationBehind(const void *Stub) {
  return reinterpret_cast<const uint8_t *>(*reinterpret_cast<const uint64_t *>(slotOf(Stub)));
}

/// RIP-relative operands in the first \p Bytes of \p Code that address
/// \p Target (disp32 as the instruction's last 4 bytes: `call *m`, `mov m, %r`).
int ripReferencesTo(const uint8_t *Code, int Bytes, const void *Target) {
  int N = 0;
  for (int I = 0; I + 4 <= Bytes; ++I) {
    int32_t Disp;
    std::memcpy(&Disp, Code + I, 4);
    N += Code + I + 4 + Disp == Target;
  }
  return N;
}

/// Calls through a stub cost a jump more than a direct call (CallBench,
/// docs/performance.md §3): JIT code calls another module's function by
/// loading its slot and calling what it holds, with no call to the stub and
/// no GOT or PLT hop, while `&callee` stays the stub.
TEST_F(EngineTest, JitCallsLoadTheCalleeSlotAndCallItsTarget) {
  mustCommit(Eng->add("callee", ir(addFunction("callee", 1))));
  mustCommit(Eng->add("caller", ir(R"(
declare i32 @callee(i32)
define i32 @caller(i32 %x) {
  %r = call i32 @callee(i32 %x)
  %s = mul i32 %r, 3
  ret i32 %s
}
define i64 @loop(i64 %n) {
entry:
  br label %body
body:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %t = trunc i64 %i to i32
  %r = call i32 @callee(i32 %t)
  %z = zext i32 %r to i64
  %s1 = add i64 %s, %z
  %i1 = add i64 %i, 1
  %c = icmp eq i64 %i1, %n
  br i1 %c, label %out, label %body
out:
  ret i64 %s1
}
define ptr @address() {
  ret ptr @callee
}
)")));
  EXPECT_EQ(checked(Eng->call<int(int)>("caller", 1)), 6);
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t)>("loop", 4)), 10);
  const void *CalleeStub = checked(Eng->lookupAddress("callee"));
  const uint8_t *Slot = slotOf(CalleeStub);
  for (const char *Fn : {"caller", "loop"}) {
    const uint8_t *Code = implementationBehind(checked(Eng->lookupAddress(Fn)));
    int StubCalls = 0;
    for (int I = 0; I < 64; ++I) {
      if (Code[I] == 0xE8) { // call rel32
        int32_t Rel;
        std::memcpy(&Rel, Code + I + 1, 4);
        StubCalls += Code + I + 5 + Rel == CalleeStub;
      }
    }
    EXPECT_GE(ripReferencesTo(Code, 64, Slot), 1) << Fn << " does not read callee's slot";
    EXPECT_EQ(StubCalls, 0) << Fn << " calls callee's stub";
  }
  EXPECT_EQ(checked(Eng->call<const void *()>("address")), CalleeStub)
      << "the address of a function is not its stub";
  // Every call reads the slot: the loop sees a new version at once.
  mustCommit(Eng->replace("callee", ir(addFunction("callee", 2))));
  EXPECT_EQ(checked(Eng->call<int64_t(int64_t)>("loop", 4)), 14);
}

} // namespace

TEST(StubTableTest, StubUnpublishedWithAReasonReportsTheReasonUntilUnpublishedPlainly) {
  StubTable T;
  auto E = T.create("g");
  ASSERT_TRUE(!!E);
  static thread_local std::string Seen;
  T.setTrapHandler([](llvm::StringRef What) { Seen = What.str(); });
  auto *Fn = reinterpret_cast<long (*)()>(E->Stub);
  StubTable::publish(*E, reinterpret_cast<void *>(&hostOne));
  T.unpublish(*E, "function 'g' changed type from 'i64 (i64)' to 'i64 (i64, i64)'");
  EXPECT_EQ(Fn(), 0);
  EXPECT_EQ(Seen, "function 'g' changed type from 'i64 (i64)' to 'i64 (i64, i64)'");
  StubTable::unpublish(*E);
  Seen.clear();
  EXPECT_EQ(Fn(), 0);
  EXPECT_EQ(Seen, "g");
}
