// CodeMemoryMapper (engine/src): the memory under MapperJITLinkMemoryManager and the stub area.
#include "memory/CodeMemoryMapper.h"

#include <gtest/gtest.h>

using namespace hotjit;
using namespace llvm;
using namespace llvm::orc;

namespace {

// MapperJITLinkMemoryManager calls release() only to abandon a link that failed after placement,
// with the module's own address. The first module of an engine sits at the start of the first
// reservation, right below the stubs: abandoning it must not unmap the reservation.
TEST(CodeMemoryMapperTest, AbandoningTheModuleAtAReservationStartKeepsTheReservation) {
  auto M = CodeMemoryMapper::Create();
  ASSERT_TRUE(!!M) << toString(M.takeError());
  constexpr size_t CodeBytes = 1 << 20, StubBytes = 1 << 16;
  auto Stubs = (*M)->reserveFirst(CodeBytes, StubBytes);
  ASSERT_TRUE(!!Stubs) << toString(Stubs.takeError());
  ExecutorAddrRange Code;
  (*M)->reserve(CodeBytes, [&](Expected<ExecutorAddrRange> R) {
    ASSERT_TRUE(!!R) << toString(R.takeError());
    Code = *R;
  });
  EXPECT_EQ(Code.End, Stubs->Start) << "the manager did not get the range below the stubs";
  EXPECT_EQ(Code.size(), CodeBytes);
  Error Released = Error::success();
  (*M)->release({Code.Start}, [&](Error E) { Released = std::move(E); });
  EXPECT_FALSE(!!Released) << toString(std::move(Released));
  // Still mapped: these writes fault if the reservation went.
  Code.Start.toPtr<volatile char *>()[0] = 1;
  Stubs->Start.toPtr<volatile char *>()[StubBytes - 1] = 1;
  EXPECT_EQ(Code.Start.toPtr<volatile char *>()[0], 1);
}

} // namespace
