// C++ exceptions through JIT code compiled from C++ fixtures by clang: thrown
// to the host through Engine::call and handles (guard released), across frames
// of three modules, from a frame of a replaced version, with eh-frames in
// hotjit's unwind index or in libgcc's registry.
#include "EngineTestCommon.h"

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace hotjit;
using namespace hotjit::test;

// The interposed unwinder entry point (EHFrameIndex.h), called as libgcc does.
extern "C" const void *_Unwind_Find_FDE(void *PC, void *Bases);

namespace {

std::string fixture(const char *Name) { return std::string(HOTJIT_IR_FIXTURES_DIR) + "/" + Name; }

/// What the fixtures' host callbacks see and do.
struct HostSide {
  std::mutex Lock;
  std::condition_variable Changed;
  bool BlockCallback = false;
  bool InCallback = false;
  bool Release = false;
  std::vector<int> Notes; ///< Values of destroyed eh_middle frames.
};
HostSide Host;

extern "C" int testHostCallback(int X) {
  std::unique_lock<std::mutex> L(Host.Lock);
  if (Host.BlockCallback) {
    Host.InCallback = true;
    Host.Changed.notify_all();
    Host.Changed.wait(L, [] { return Host.Release; });
  }
  return X;
}

extern "C" void testHostNote(int X) {
  std::lock_guard<std::mutex> L(Host.Lock);
  Host.Notes.push_back(X);
}

/// The implementation a stub currently jumps to (its slot, read from its code).
void *implementationBehind(void *Stub) {
  auto *P = static_cast<const uint8_t *>(Stub);
  int32_t Disp;
  std::memcpy(&Disp, P + 2, 4);
  return *reinterpret_cast<void *const *>(P + 6 + Disp);
}

/// libgcc's own _Unwind_Find_FDE, which the definition above forwards to for
/// PCs outside hotjit's index: it knows the frames in libgcc's registry only.
const void *libgccFindFDE(void *PC, void *Bases) {
  using FindFDE = const void *(*)(void *, void *);
  static const auto Fn =
      reinterpret_cast<FindFDE>(dlvsym(RTLD_NEXT, "_Unwind_Find_FDE", "GCC_3.0"));
  if (!Fn) {
    ADD_FAILURE() << "libgcc_s's _Unwind_Find_FDE not found: " << dlerror();
    return nullptr;
  }
  return Fn(PC, Bases);
}

/// Runs each test with eh-frames in hotjit's index and in libgcc's registry.
class ExceptionTest : public EngineTest, public ::testing::WithParamInterface<bool> {
protected:
  void SetUp() override {
    {
      std::lock_guard<std::mutex> L(Host.Lock);
      Host.BlockCallback = Host.InCallback = Host.Release = false;
      Host.Notes.clear();
    }
    EngineTest::SetUp();
    ASSERT_TRUE(Eng);
    ASSERT_FALSE(!!Eng->addHostSymbol("eh_host_callback",
                                      reinterpret_cast<const void *>(&testHostCallback)));
    ASSERT_FALSE(
        !!Eng->addHostSymbol("eh_host_note", reinterpret_cast<const void *>(&testHostNote)));
  }
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.UnwindIndex = GetParam();
    // A version freed too early (or unwind data that outlives it) faults.
    O.QuarantineRetiredCode = true;
    O.DebugInfoRegistration = false;
    // Each replacement retires the whole old version, also the code it did not change.
    O.PartialReplacement = false;
    // A reader held in JIT code is reported: the point from which a version
    // that is freed without a grace period would already be gone.
    O.StallThreshold = std::chrono::milliseconds(20);
    O.OnStall = [this](const EpochStall &) { ++Stalls; };
    O.StackCheckAfter = std::chrono::microseconds(0); // The plain epoch rule (StackCheckTest).
    return O;
  }
  /// Waits until reclamation is seen waiting for a pinned reader, or has
  /// freed something (it must not have); true if it is waiting.
  bool reclamationWaitsForReader() {
    EXPECT_TRUE(waitUntil([&] { return Stalls > 0 || Eng->stats().VersionsFreed > 0; }))
        << "reclamation neither waited for the reader nor freed anything";
    EXPECT_EQ(Eng->stats().VersionsFreed, 0u) << "a version was freed under a reader";
    return Stalls > 0 && Eng->stats().VersionsFreed == 0;
  }
  std::atomic<int> Stalls{0};
  void addFixture(const char *Module, const char *File) {
    mustCommit(Eng->add(Module, ModuleSource::fromFile(fixture(File))));
  }
};

TEST_P(ExceptionTest, EngineUsesTheUnwindIndexWhenAsked) {
  // The test binary exports _Unwind_Find_FDE (hotjit::engine's link option),
  // so the interposition must be live here.
  EXPECT_EQ(Eng->stats().UnwindIndex, GetParam());
  addFixture("thrower", "eh_thrower_v1.ll");
  auto *Code = static_cast<char *>(implementationBehind(checked(Eng->lookupAddress("eh_throw"))));
  void *Bases[3] = {};
  // The unwinder finds the code's FDE either way; libgcc's registry holds it
  // only when the index was not asked for.
  EXPECT_NE(_Unwind_Find_FDE(Code + 1, Bases), nullptr);
  EXPECT_EQ(Bases[2], Code);
  if (GetParam())
    EXPECT_EQ(libgccFindFDE(Code + 1, Bases), nullptr) << "registered with libgcc too";
  else
    EXPECT_NE(libgccFindFDE(Code + 1, Bases), nullptr) << "not in libgcc's registry";
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch_local", 0)), -100);
}

TEST_P(ExceptionTest, HostCatchesJitThrowAndTheGuardIsReleased) {
  addFixture("thrower", "eh_thrower_v1.ll");
  try {
    (void)Eng->call<int(int)>("eh_throw", -1);
    ADD_FAILURE() << "eh_throw(-1) returned";
  } catch (int E) {
    EXPECT_EQ(E, 1);
  }
  EXPECT_FALSE(Eng->epochs().isPinned());

  auto F = Eng->lookup<int(int)>("eh_throw");
  ASSERT_TRUE(!!F) << llvm::toString(F.takeError());
  try {
    (void)Eng->call(*F, 0);
    ADD_FAILURE() << "eh_throw(0) returned";
  } catch (const std::runtime_error &E) {
    EXPECT_STREQ(E.what(), "zero");
  }
  EXPECT_FALSE(Eng->epochs().isPinned());
  // A type defined by the fixture (linkonce typeinfo and vtable), caught as
  // its libstdc++ base class.
  try {
    (void)(*F)(5000);
    ADD_FAILURE() << "eh_throw(5000) returned";
  } catch (const std::exception &E) {
    EXPECT_STREQ(E.what(), "eh fixture failure");
  }
  EXPECT_FALSE(Eng->epochs().isPinned());
  EXPECT_EQ((*F)(21), 42);
}

TEST_P(ExceptionTest, JitCatchesItsOwnThrows) {
  addFixture("thrower", "eh_thrower_v1.ll");
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch_local", -3)), 101);
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch_local", 0)), -100);
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch_local", 2500)), -2500);
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch_local", 4)), 8);
}

TEST_P(ExceptionTest, ThrowCrossesFramesOfThreeModules) {
  addFixture("thrower", "eh_thrower_v1.ll");
  addFixture("middle", "eh_middle.ll");
  addFixture("catcher", "eh_catcher.ll");
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch", -1)), 1001);
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch", 0)), -1000);
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch", 7)), 15);
  // Thrown in "thrower", through "middle" (a cleanup), caught by the host.
  try {
    (void)Eng->call<int(int)>("eh_middle", -9);
    ADD_FAILURE() << "eh_middle(-9) returned";
  } catch (int E) {
    EXPECT_EQ(E, 1);
  }
  std::lock_guard<std::mutex> L(Host.Lock);
  EXPECT_EQ(Host.Notes, (std::vector<int>{-1, 0, 7, -9}));
}

TEST_P(ExceptionTest, PersonalityPointerOutlivesTheFirstModuleThatHadOne) {
  // Every module carries a DW.ref.__gxx_personality_v0 (the code generator
  // emits it). If later modules bound to the first module's copy, freeing
  // that module (quarantined: PROT_NONE) would fault at their next throw.
  addFixture("thrower", "eh_thrower_v1.ll");
  addFixture("middle", "eh_middle.ll");
  addFixture("catcher", "eh_catcher.ll");
  mustCommit(Eng->replace("thrower", ModuleSource::fromFile(fixture("eh_thrower_v2.ll"))));
  Eng->waitForReclamation();
  ASSERT_GE(Eng->stats().VersionsFreed, 1u);
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch", -1)), 1002);
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch", 0)), -1000);
}

TEST_P(ExceptionTest, OldVersionThrowsAfterItWasReplaced) {
  addFixture("thrower", "eh_thrower_v1.ll");
  addFixture("middle", "eh_middle.ll");
  {
    std::lock_guard<std::mutex> L(Host.Lock);
    Host.BlockCallback = true;
  }
  auto F = Eng->lookup<int(int)>("eh_throw_after_callback");
  ASSERT_TRUE(!!F);
  std::atomic<int> Caught{0};
  std::thread Old([&] {
    try {
      (void)(*F)(5); // v1's frame waits in the host callback, then throws
    } catch (int E) {
      Caught = E;
    }
  });
  {
    std::unique_lock<std::mutex> L(Host.Lock);
    Host.Changed.wait(L, [] { return Host.InCallback; });
    Host.BlockCallback = false;
  }
  mustCommit(Eng->replace("thrower", ModuleSource::fromFile(fixture("eh_thrower_v2.ll"))));
  // v1 stays mapped while its frame is on the thread's stack (quarantine
  // would make its return fault otherwise).
  EXPECT_TRUE(reclamationWaitsForReader());
  // New callers reach v2 and its unwind data while v1 is still on a stack.
  try {
    (void)Eng->call<int(int)>("eh_middle", -1);
    ADD_FAILURE() << "eh_middle(-1) returned";
  } catch (int E) {
    EXPECT_EQ(E, 2);
  }
  {
    std::lock_guard<std::mutex> L(Host.Lock);
    Host.Release = true;
  }
  Host.Changed.notify_all();
  Old.join();
  EXPECT_EQ(Caught.load(), 1) << "the old version's frame threw its own value";
  Eng->waitForReclamation();
  EXPECT_GE(Eng->stats().VersionsFreed, 1u);
  EXPECT_EQ(checked(Eng->call<int(int)>("eh_catch_local", -1)), 102);
}

TEST_P(ExceptionTest, UnwindDataLeavesExactlyWhenTheCodeIsFreed) {
  // _Unwind_Find_FDE answers from hotjit's index, or forwards to libgcc's
  // registry: either way it tells whether the unwinder knows the code.
  addFixture("thrower", "eh_thrower_v1.ll");
  void *Stub = checked(Eng->lookupAddress("eh_throw"));
  auto *V1 = static_cast<char *>(implementationBehind(Stub));
  void *Bases[3] = {};
  ASSERT_NE(_Unwind_Find_FDE(V1 + 1, Bases), nullptr);
  EXPECT_EQ(Bases[2], V1) << "bases->func is the FDE's initial location";

  // A reader pinned in the engine keeps v1 alive after the swap.
  PinnedThread Reader(Eng->epochs());
  mustCommit(Eng->replace("thrower", ModuleSource::fromFile(fixture("eh_thrower_v2.ll"))));
  auto *V2 = static_cast<char *>(implementationBehind(Stub));
  ASSERT_NE(V1, V2);
  EXPECT_TRUE(reclamationWaitsForReader());
  EXPECT_NE(_Unwind_Find_FDE(V1 + 1, Bases), nullptr) << "v1 may still be running";
  EXPECT_NE(_Unwind_Find_FDE(V2 + 1, Bases), nullptr);
  Reader.release();
  Eng->waitForReclamation();
  EXPECT_EQ(_Unwind_Find_FDE(V1 + 1, Bases), nullptr) << "v1 was freed";
  EXPECT_NE(_Unwind_Find_FDE(V2 + 1, Bases), nullptr);
  Eng.reset();
  EXPECT_EQ(_Unwind_Find_FDE(V2 + 1, Bases), nullptr) << "the engine freed v2";
}

INSTANTIATE_TEST_SUITE_P(, ExceptionTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool> &P) {
                           return P.param ? "UnwindIndex" : "LibgccRegistry";
                         });

} // namespace
