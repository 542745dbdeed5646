// The C and C++ runtime under hot swap (engine/src/runtime/CxxRuntime.h): static constructors and
// destructors, exit handlers, thread-locals, std::call_once, and threads started by JIT code.
#include "EngineTestCommon.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace hotjit::test {
namespace {

std::mutex EventsLock;
std::vector<int> Events;
std::atomic<bool> KeepRunning{true};
std::atomic<long> Reports{0}, BadReports{0};

extern "C" void recordEvent(int Event) {
  std::lock_guard<std::mutex> L(EventsLock);
  Events.push_back(Event);
}
extern "C" int keepRunning() { return KeepRunning.load(); }
extern "C" void reportRounds(long Rounds) {
  if (Rounds < 0)
    ++BadReports;
  else
    Reports += Rounds > 0;
}

Engine *LiveAtExit = nullptr;
bool ExitsWithALiveEngine = false;

std::vector<int> takeEvents() {
  std::lock_guard<std::mutex> L(EventsLock);
  return std::exchange(Events, {});
}

ModuleSource runtimeIR(const std::string &Stem) {
  return ModuleSource::fromFile(std::string(HOTJIT_IR_FIXTURES_DIR) + "/runtime_" + Stem + ".ll");
}

class RuntimeTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.QuarantineRetiredCode = true; // Freed code faults if it runs.
    // Each replacement retires the whole old version, also the code it did not change.
    O.PartialReplacement = false;
    return O;
  }
  void SetUp() override {
    EngineTest::SetUp();
    addHostSymbols(*Eng);
    takeEvents();
    KeepRunning = true;
    Reports = 0;
    BadReports = 0;
  }
  static void addHostSymbols(Engine &E) {
    llvm::cantFail(E.addHostSymbol("record", reinterpret_cast<const void *>(&recordEvent)));
    llvm::cantFail(E.addHostSymbol("keep_running", reinterpret_cast<const void *>(&keepRunning)));
    llvm::cantFail(E.addHostSymbol("report", reinterpret_cast<const void *>(&reportRounds)));
  }
};

TEST_F(RuntimeTest, ConstructorsRunOnceWhenAddedAndNeverOnReplace) {
  mustCommit(Eng->add("statics", runtimeIR("statics_v1")));
  EXPECT_EQ(takeEvents(), (std::vector<int>{1, 2})) << "constructors in order, once";
  EXPECT_EQ(callInt("statics_entry"), 11240); // version 1, "hello, world", 40 x
  mustCommit(Eng->replace("statics", runtimeIR("statics_v2")));
  EXPECT_EQ(takeEvents(), std::vector<int>{}) << "a replacement keeps live state";
  EXPECT_EQ(callInt("statics_entry"), 21240);
  Eng->waitForReclamation();
  // Handlers registered by version 1 run version 2's code, never freed code.
  mustCommit(Eng->remove("statics"));
  EXPECT_EQ(takeEvents(), (std::vector<int>{-2, -1})) << "destructors newest first, once";
  Eng.reset();
  EXPECT_EQ(takeEvents(), std::vector<int>{});
}

TEST_F(RuntimeTest, ExitHandlersAndFinalisersRunWhenTheEngineIsDestroyed) {
  mustCommit(Eng->add("atexit", runtimeIR("atexit")));
  EXPECT_EQ(callInt("atexit_entry"), 0);
  mustCommit(Eng->add("statics", runtimeIR("statics_v1")));
  EXPECT_EQ(takeEvents(), (std::vector<int>{1, 2}));
  Eng.reset();
  // Newest registration first across modules, then finalisers.
  EXPECT_EQ(takeEvents(), (std::vector<int>{-2, -1, 101, 100, 200}));
}

/// Every number that the natively linked fixture \p Name prints, in order.
std::vector<int> nativeOutput(const std::string &Name) {
  std::string Path = std::string(HOTJIT_IR_FIXTURES_DIR) + "/" + Name;
  std::vector<int> Out;
  std::FILE *P = ::popen(Path.c_str(), "r");
  if (!P) {
    ADD_FAILURE() << "cannot run " << Path;
    return Out;
  }
  for (int V; std::fscanf(P, "%d", &V) == 1;)
    Out.push_back(V);
  EXPECT_EQ(::pclose(P), 0) << Path;
  return Out;
}

// Three modules, in the order a native link takes them: constructors and destructors of
// priorities 150 and 200 (early), 175 and default (plain), and a std::string built at
// init_priority(101) that every constructor reads (text).
TEST_F(RuntimeTest, InitialisationPrioritiesSpanTheBatchAsInANativeLink) {
  std::vector<int> Native = nativeOutput("native_init_order");
  ASSERT_EQ(Native.size(), 5u);
  // 150, 175, 200, default (digits 2 * id + 1): each saw the string built.
  ASSERT_EQ(Native[0], 3579);
  const std::vector<int> NativeFinis(Native.begin() + 1, Native.end());
  ASSERT_EQ(NativeFinis, (std::vector<int>{-4, -3, -2, -1})); // default, 200, 175, 150
  auto AddAll = [&] {
    mustCommit(Eng->batch()
                   .add("early", runtimeIR("init_early"))
                   .add("plain", runtimeIR("init_plain"))
                   .add("text", runtimeIR("init_text"))
                   .commit());
  };
  AddAll();
  EXPECT_EQ(callInt("init_order_entry"), Native[0]);
  // Modules that leave together run their finalisers interleaved by priority.
  mustCommit(Eng->batch().remove("early").remove("plain").remove("text").commit());
  EXPECT_EQ(takeEvents(), NativeFinis);
  // So do the modules live when the engine ends.
  AddAll();
  Eng.reset();
  EXPECT_EQ(takeEvents(), NativeFinis);
}

TEST_F(RuntimeTest, ProcessExitWithALiveEngineRunsTheHandlersOfTheNewestCode) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        // Registered before any JIT handler, so it runs after hotjit's.
        std::atexit([] {
          auto Seen = takeEvents();
          std::fprintf(stderr, "events %zu %d %d\n", Seen.size(), Seen.empty() ? 0 : Seen[0],
                       Seen.size() < 2 ? 0 : Seen[1]);
        });
        auto E = llvm::cantFail(Engine::create(options()));
        addHostSymbols(*E);
        llvm::cantFail(E->add("statics", runtimeIR("statics_v1")));
        llvm::cantFail(E->replace("statics", runtimeIR("statics_v2")));
        E->waitForReclamation();
        takeEvents();
        LiveAtExit = E.release();    // The engine stays live until the process ends,
        ExitsWithALiveEngine = true; // which LeakSanitizer would report.
        std::exit(3);
      },
      ::testing::ExitedWithCode(3), "events 2 -2 -1");
}

TEST_F(RuntimeTest, AConstructorThatThrowsLeavesTheEngineUnchanged) {
  mustCommit(Eng->add("statics", runtimeIR("statics_v1")));
  takeEvents();
  uint64_t Version = checked(Eng->versionOf("statics_entry"));
  expectError(Eng->batch()
                  .add("thrower", runtimeIR("throwing_ctor"))
                  .replace("statics", runtimeIR("statics_v2"))
                  .commit(),
              ErrorKind::Initializer, {"module 'thrower'", "refusing to start"});
  EXPECT_EQ(takeEvents(), (std::vector<int>{7, -7}))
      << "the constructor before the throw ran, and so did its destructor";
  EXPECT_EQ(Eng->modules(), std::vector<std::string>{"statics"});
  EXPECT_EQ(checked(Eng->versionOf("statics_entry")), Version);
  EXPECT_EQ(callInt("statics_entry"), 11240);
  auto Never = Eng->lookupAddress("never_published");
  ASSERT_FALSE(!!Never);
  llvm::consumeError(Never.takeError());
  // The module can be added once fixed; the failed attempt left nothing behind.
  mustCommit(Eng->add("thrower", ir(constantFunction("never_published", 2))));
  EXPECT_EQ(callInt("never_published"), 2);
}

TEST_F(RuntimeTest, AConstructorThatThrowsWithAnEmptyMessageFailsTheCommitToo) {
  mustCommit(Eng->add("statics", runtimeIR("statics_v1")));
  takeEvents();
  expectError(Eng->add("thrower", runtimeIR("throwing_ctor_silent")), ErrorKind::Initializer,
              {"module 'thrower'", "empty what()"});
  EXPECT_EQ(takeEvents(), (std::vector<int>{7, -7}));
  EXPECT_EQ(Eng->modules(), std::vector<std::string>{"statics"});
  auto Never = Eng->lookupAddress("never_published");
  ASSERT_FALSE(!!Never);
  llvm::consumeError(Never.takeError());
}

TEST_F(RuntimeTest, AReplacementMayNotBringStorageThatOnlyAConstructorInitialises) {
  mustCommit(Eng->add("g", ir("define i32 @g_entry() { ret i32 1 }")));
  expectError(Eng->replace("g", runtimeIR("statics_v1")), ErrorKind::Unsupported,
              {"module 'g'", "greeting", "does not run constructors"});
  EXPECT_EQ(callInt("g_entry"), 1);
}

TEST_F(RuntimeTest, ThreadLocalsArePerThreadAndSurviveReplacement) {
  mustCommit(Eng->add("tls", runtimeIR("tls_v1")));
  auto Bump = [&] {
    auto R = Eng->call<long()>("tls_bump");
    EXPECT_TRUE(!!R) << (R ? "" : llvm::toString(R.takeError()));
    return R ? *R : -1;
  };
  EXPECT_EQ(Bump(), 1001);
  EXPECT_EQ(Bump(), 1002);
  long Other = 0;
  std::thread([&] { Other = Bump(); }).join();
  EXPECT_EQ(Other, 1001) << "another thread has its own counter";
  mustCommit(Eng->replace("tls", runtimeIR("tls_v2")));
  Eng->waitForReclamation();
  EXPECT_EQ(Bump(), 3 * 2 + 1000) << "this thread's count survived; version 2 steps by 2";
  auto Shared = Eng->lookupGlobal("shared_tls");
  ASSERT_TRUE(!!Shared) << llvm::toString(Shared.takeError());
  EXPECT_EQ(*static_cast<long *>(*Shared), 1000);
  *static_cast<long *>(*Shared) = 2000;
  EXPECT_EQ(Bump(), 4 * 2 + 2000) << "lookupGlobal gives the calling thread's instance";
  long Fresh = 0;
  std::thread([&] { Fresh = Bump(); }).join();
  EXPECT_EQ(Fresh, 1 * 2 + 1000);
}

TEST_F(RuntimeTest, CxxThreadLocalObjectsAndCallOnce) {
  mustCommit(Eng->add("tlcxx", runtimeIR("tls_cxx")));
  std::vector<long> Seen(4);
  std::vector<int> Once(4);
  std::vector<std::thread> Threads;
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      Seen[T] = checked(Eng->call<long()>("tl_bump")) * 100 + checked(Eng->call<long()>("tl_bump"));
      Once[T] = checked(Eng->call<int()>("once_entry"));
    });
  for (auto &T : Threads)
    T.join();
  EXPECT_EQ(Seen, (std::vector<long>{1112, 1112, 1112, 1112}));
  EXPECT_EQ(Once, (std::vector<int>{42, 42, 42, 42})) << "call_once ran its function once";
  auto Events = takeEvents();
  EXPECT_EQ(std::count(Events.begin(), Events.end(), 1), 4) << "constructed once per thread";
  EXPECT_EQ(std::count(Events.begin(), Events.end(), -1), 4) << "destroyed at thread exit";
}

/// A thread started by JIT code loops in its module's code while the module
/// is replaced and the old version is reclaimed; quarantine makes freed code
/// fault, so the thread survives only if its code is kept.
void expectWorkerSurvivesReplacement(RuntimeTest &, Engine &E, const std::string &Stem,
                                     const char *Start, const char *Join) {
  ASSERT_TRUE(!!E.add("threads", runtimeIR(Stem + "_v1")));
  ASSERT_EQ(*E.call<int()>(Start), 0);
  ASSERT_TRUE(!!E.replace("threads", runtimeIR(Stem + "_v2")));
  // The old version cannot be freed while the worker runs in it.
  EXPECT_FALSE(E.epochs().waitPendingBytesBelow(0, std::chrono::milliseconds(100)));
  EXPECT_GT(E.stats().Epochs.RetiredPending, 0u);
  KeepRunning = false;
  ASSERT_EQ(*E.call<int()>(Join), 0);
  E.waitForReclamation();
  EXPECT_EQ(E.stats().Epochs.RetiredPending, 0u);
  EXPECT_EQ(BadReports.load(), 0);
  EXPECT_EQ(Reports.load(), 1);
}

TEST_F(RuntimeTest, PthreadStartedByJitCodeKeepsItsCodeAlive) {
  expectWorkerSurvivesReplacement(*this, *Eng, "threads", "start_worker", "join_worker");
}

TEST_F(RuntimeTest, C11ThreadStartedByJitCodeKeepsItsCodeAlive) {
  expectWorkerSurvivesReplacement(*this, *Eng, "threads", "start_c11_worker", "join_c11_worker");
}

TEST_F(RuntimeTest, StdThreadStartedByJitCodeKeepsItsCodeAlive) {
  ASSERT_TRUE(!!Eng->add("threads", runtimeIR("std_thread_v1")));
  ASSERT_FALSE(Eng->call<void()>("start_std_worker"));
  ASSERT_TRUE(!!Eng->replace("threads", runtimeIR("std_thread_v2")));
  EXPECT_FALSE(Eng->epochs().waitPendingBytesBelow(0, std::chrono::milliseconds(100)));
  KeepRunning = false;
  ASSERT_FALSE(Eng->call<void()>("join_std_worker"));
  Eng->waitForReclamation();
  EXPECT_EQ(BadReports.load(), 0);
  EXPECT_EQ(Reports.load(), 1);
}

} // namespace
} // namespace hotjit::test

/// LeakSanitizer's switch: off only in the child that exits with a live engine on purpose.
extern "C" int __lsan_is_turned_off() { return hotjit::test::ExitsWithALiveEngine; }
