// StubTable: stubs jump to the published target, trap when unpublished, and JIT -> stub calls are
// direct rel32 calls with no PLT/GOT hop in between.
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

/// The implementation a stub currently jumps to, read from its code.
const uint8_t *implementationBehind(void *Stub) {
  auto *P = static_cast<const uint8_t *>(Stub);
  EXPECT_EQ(P[0], 0xFF);
  EXPECT_EQ(P[1], 0x25);
  int32_t Disp;
  std::memcpy(&Disp, P + 2, 4);
  auto *Slot = reinterpret_cast<const uint64_t *>(P + 6 + Disp);
  return reinterpret_cast<const uint8_t *>(*Slot);
}

TEST_F(EngineTest, JitCallsReachStubsWithOneRel32Call) {
  mustCommit(Eng->add("callee", ir(addFunction("callee", 1))));
  mustCommit(Eng->add("caller", ir(R"(
declare i32 @callee(i32)
define i32 @caller(i32 %x) {
  %r = call i32 @callee(i32 %x)
  %s = mul i32 %r, 3
  ret i32 %s
}
)")));
  EXPECT_EQ(checked(Eng->call<int(int)>("caller", 1)), 6);
  auto *CalleeStub = static_cast<const uint8_t *>(checked(Eng->lookupAddress("callee")));
  const uint8_t *Code = implementationBehind(checked(Eng->lookupAddress("caller")));
  int DirectCalls = 0, IndirectCalls = 0;
  for (int I = 0; I < 64; ++I) {
    if (Code[I] == 0xE8) { // call rel32
      int32_t Rel;
      std::memcpy(&Rel, Code + I + 1, 4);
      if (Code + I + 5 + Rel == CalleeStub)
        ++DirectCalls;
    }
    if (Code[I] == 0xFF && Code[I + 1] == 0x15) // call *disp32(%rip): GOT
      ++IndirectCalls;
  }
  EXPECT_EQ(DirectCalls, 1) << "caller does not call callee's stub directly";
  EXPECT_EQ(IndirectCalls, 0) << "caller calls through a GOT entry";
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
