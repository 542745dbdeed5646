// State made by old code meets new code (engine/src/rewrite/OldState.h): vtables rewritten in
// place, closures and coroutine frames that keep the code they were made with, constructors a
// replacement changes reported. Fixtures: tests/fixtures/oldstate, clang -g -O1.
#include "EngineTestCommon.h"

#include <functional>
#include <vector>

namespace hotjit::test {
namespace {

std::vector<long (*)(long)> Handlers;

extern "C" void registerHandler(long (*H)(long)) { Handlers.push_back(H); }

ModuleSource oldStateIR(const std::string &Stem) {
  return ModuleSource::fromFile(std::string(HOTJIT_IR_FIXTURES_DIR) + "/oldstate_" + Stem + ".ll");
}

class OldStateTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.QuarantineRetiredCode = true; // Freed code faults if it runs.
    return O;
  }
  void SetUp() override {
    EngineTest::SetUp();
    Handlers.clear();
    llvm::cantFail(
        Eng->addHostSymbol("register_handler", reinterpret_cast<const void *>(&registerHandler)));
  }

  template <typename Sig> auto fn(const char *Name) { return checked(Eng->lookup<Sig>(Name)); }
};

class OldStateVtableTest : public OldStateTest, public ::testing::WithParamInterface<const char *> {
protected:
  ModuleSource version(int V) {
    return oldStateIR(std::string("vtable") + GetParam() + "_v" + std::to_string(V));
  }
};

// Classes with external and with internal linkage (an anonymous namespace).
INSTANTIATE_TEST_SUITE_P(Linkage, OldStateVtableTest, ::testing::Values("", "_anon"));

TEST_P(OldStateVtableTest, AnOverrideAddedByAReplacementDispatchesForOldAndNewObjects) {
  mustCommit(Eng->add("shapes", version(1)));
  auto Make = fn<void *()>("make_derived");
  auto Speak = fn<long(void *)>("speak_of");
  void *Old = Make();
  EXPECT_EQ(Speak(Old), 1) << "version 1 inherits Base::speak";

  auto R = Eng->replace("shapes", version(2));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  ASSERT_EQ(R->UpdatedTables.size(), 1u);
  EXPECT_NE(R->UpdatedTables[0].find("_ZTV"), std::string::npos) << R->UpdatedTables[0];
  void *New = Make();
  EXPECT_EQ(Speak(New), 2) << "a rebuilt program runs the override";
  EXPECT_EQ(Speak(Old), 2) << "objects made before share the vtable";
  Eng->waitForReclamation();
  EXPECT_EQ(Speak(Old), 2);

  // Removing the override brings Base::speak back, as a rebuild would.
  mustCommit(Eng->replace("shapes", version(1)));
  EXPECT_EQ(Speak(Old), 1);
  EXPECT_EQ(Speak(New), 1);
  auto Destroy = fn<void(void *)>("destroy");
  Destroy(Old);
  Destroy(New);
}

TEST_P(OldStateVtableTest, AVtableThatGrowsIsStillRefused) {
  mustCommit(Eng->add("shapes", version(1)));
  expectError(Eng->replace("shapes", version(3)), ErrorKind::GlobalType, {"_ZTV", "shapes"});
}

TEST_F(OldStateTest, AnOldClosureRunsTheCodeItWasMadeWith) {
  mustCommit(Eng->add("events", oldStateIR("closure_v1")));
  auto Subscribe = fn<void()>("subscribe");
  auto Call = fn<long(long)>("call_handler");
  Subscribe();
  EXPECT_EQ(Call(5), 105);

  // Version 2's lambda captures a std::string under the same compiler-made name.
  auto R = Eng->replace("events", oldStateIR("closure_v2"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_FALSE(R->KeptForOldState.empty());
  EXPECT_TRUE(R->TypeChanged.empty()) << "no signature changed";
  for (int Round = 0; Round != 3; ++Round) {
    EXPECT_EQ(Call(5), 105) << "the old closure runs version 1's code";
    Eng->waitForReclamation();
  }
  Subscribe(); // Destroys the old closure (version 1's manager), makes a new one.
  EXPECT_EQ(Call(5), 22 + 5);
  EXPECT_GE(Eng->stats().VersionsKept, 1u);
}

TEST_F(OldStateTest, AClosureOfAnInlineTemplateKeepsItsCodeToo) {
  mustCommit(Eng->add("adders", oldStateIR("closure_inline_v1")));
  fn<void(long)>("make")(100);
  auto Call = fn<long(long)>("call");
  EXPECT_EQ(Call(5), 105);
  auto R = Eng->replace("adders", oldStateIR("closure_inline_v2"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_FALSE(R->KeptForOldState.empty());
  Eng->waitForReclamation();
  EXPECT_EQ(Call(5), 105) << "version 1's closure, version 1's code";
  fn<void(long)>("make")(100);
  EXPECT_EQ(Call(5), 205);
  fn<void()>("reset")();
}

TEST_F(OldStateTest, MultipleInheritanceRewritesThePrimaryTableOrRefusesAGrownOne) {
  mustCommit(Eng->add("both", oldStateIR("vtable_multi_v1")));
  auto Make = fn<void *()>("make_both");
  auto See = fn<long(void *)>("see_of");
  auto Hear = fn<long(void *)>("hear_through_right");
  void *Old = Make();
  EXPECT_EQ(See(Old), 10);
  EXPECT_EQ(Hear(Old), 20);
  auto R = Eng->replace("both", oldStateIR("vtable_multi_v2"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_FALSE(R->UpdatedTables.empty());
  Eng->waitForReclamation();
  void *New = Make();
  EXPECT_EQ(See(New), 13);
  EXPECT_EQ(See(Old), 13) << "objects made before share the rewritten table";
  EXPECT_EQ(Hear(Old), 20) << "the secondary table, through its thunk";
  // Overriding the secondary base's function adds an entry to the primary table.
  expectError(Eng->replace("both", oldStateIR("vtable_multi_v3")), ErrorKind::GlobalType,
              {"_ZTV4Both", "both"});
  EXPECT_EQ(See(Old), 13) << "a refused commit leaves the tables as they were";
  auto Destroy = fn<void(void *)>("destroy_left");
  Destroy(Old);
  Destroy(New);
}

TEST_F(OldStateTest, AClassMadeOverAClosureKeepsTheTableOfItsLayout) {
  mustCommit(Eng->add("tasks", oldStateIR("task_v1")));
  auto Schedule = fn<void *(long)>("schedule");
  auto Run = fn<long(void *, long)>("run_task");
  auto Drop = fn<void(void *)>("drop_task");
  void *Old = Schedule(100);
  EXPECT_EQ(Run(Old, 5), 105);
  mustCommit(Eng->replace("tasks", oldStateIR("task_v2")));
  Eng->waitForReclamation();
  void *New = Schedule(100);
  EXPECT_EQ(Run(New, 5), 205) << "a new object, the new closure's table";
  EXPECT_EQ(Run(Old, 5), 105) << "an old object keeps its layout's table and code";
  Drop(Old);
  Drop(New);
}

TEST_F(OldStateTest, KeptCodeKeepsTheStorageItUses) {
  mustCommit(Eng->add("counted", oldStateIR("counted_v1")));
  auto Make = fn<void *(long)>("make_closure");
  auto Call = fn<long(void *, long)>("call_closure");
  void *V1 = Make(100);
  EXPECT_EQ(Call(V1, 5), 105);
  mustCommit(Eng->replace("counted", oldStateIR("counted_v2")));
  void *V2 = Make(100);
  // Version 3 has no counter: its storage would go, but kept code counts in it.
  mustCommit(Eng->replace("counted", oldStateIR("counted_v3")));
  Eng->waitForReclamation();
  EXPECT_EQ(Call(V1, 5), 105);
  EXPECT_EQ(Call(V2, 5), 205);
  // Removed, the module's kept versions still run on live storage (retired code is quarantined):
  // the host calls the closures itself, pinned, as any raw entry into JIT code.
  mustCommit(Eng->remove("counted"));
  Eng->waitForReclamation();
  using Closure = std::function<long(long)>;
  EpochGuard G(Eng->epochs());
  EXPECT_EQ((*static_cast<Closure *>(V1))(5), 105);
  EXPECT_EQ((*static_cast<Closure *>(V2))(5), 205);
  delete static_cast<Closure *>(V1);
  delete static_cast<Closure *>(V2);
}

TEST_F(OldStateTest, AClosureLayoutChangeWithTheSameCodeTextIsSeen) {
  mustCommit(Eng->add("layout", oldStateIR("layout_v1")));
  auto Make = fn<void *(long)>("make_closure");
  auto Call = fn<long(void *, long)>("call_closure");
  auto Free = fn<void(void *)>("free_closure");
  void *Old = Make(100);
  EXPECT_EQ(Call(Old, 5), 106);
  auto R = Eng->replace("layout", oldStateIR("layout_v2"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_FALSE(R->KeptForOldState.empty()) << "[long, int] became [int, int]";
  Eng->waitForReclamation();
  EXPECT_EQ(Call(Old, 5), 106);
  void *New = Make(100);
  EXPECT_EQ(Call(New, 5), 106);
  Free(Old);
  Free(New);
}

TEST_F(OldStateTest, AnInlineClosureWithTwoLayoutsAtOnceIsRefused) {
  mustCommit(Eng->batch()
                 .add("a", oldStateIR("closure_inline_v1"))
                 .add("b", oldStateIR("closure_inline_b_v1"))
                 .commit());
  expectError(Eng->replace("b", oldStateIR("closure_inline_b_v2")), ErrorKind::Signature,
              {"module 'b'", "module 'a'", "closure"});
  // Both together: one layout again.
  mustCommit(Eng->batch()
                 .replace("a", oldStateIR("closure_inline_v2"))
                 .replace("b", oldStateIR("closure_inline_b_v2"))
                 .commit());
}

TEST_F(OldStateTest, AnUnsplitCoroutineIsRefused) {
  expectError(Eng->add("gen", oldStateIR("coroutine_presplit")), ErrorKind::Unsupported,
              {"coroutine", "gen", "not split"});
}

TEST_F(OldStateTest, AnOverrideOfAVirtualBaseGrowsTheTableAndIsRefused) {
  mustCommit(Eng->add("diamond", oldStateIR("diamond_v1")));
  auto Make = fn<void *()>("make_bottom");
  auto Name = fn<long(void *)>("name_of");
  void *Old = Make();
  EXPECT_EQ(Name(Old), 1);
  // The override adds an entry (with its this adjustment) to Bottom's primary table.
  expectError(Eng->replace("diamond", oldStateIR("diamond_v2")), ErrorKind::GlobalType,
              {"_ZTV6Bottom", "diamond"});
  void *New = Make();
  EXPECT_EQ(Name(Old), 1);
  EXPECT_EQ(Name(New), 1);
  auto Destroy = fn<void(void *)>("destroy_top");
  Destroy(Old);
  Destroy(New);
}

TEST_F(OldStateTest, AChangedDynamicInitialiserIsReportedToo) {
  mustCommit(Eng->add("registrar", oldStateIR("registrar_v1")));
  ASSERT_EQ(Handlers.size(), 1u);
  auto R = Eng->replace("registrar", oldStateIR("registrar_v2"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  ASSERT_EQ(R->SkippedConstructors.size(), 1u);
  EXPECT_NE(R->SkippedConstructors[0].find("registrar"), std::string::npos);
  EXPECT_EQ(Handlers.size(), 1u);
}

TEST_F(OldStateTest, AClosureWhoseCodeIsUnchangedKeepsItsEntryPoint) {
  mustCommit(Eng->add("events", oldStateIR("closure_v1")));
  fn<void()>("subscribe")();
  auto R = Eng->replace("events", oldStateIR("closure_v1"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_TRUE(R->KeptForOldState.empty());
  EXPECT_EQ(fn<long(long)>("call_handler")(1), 101);
  EXPECT_EQ(Eng->stats().VersionsKept, 0u);
}

TEST_F(OldStateTest, ASuspendedCoroutineResumesInTheCodeThatLaidOutItsFrame) {
  mustCommit(Eng->add("gen", oldStateIR("coroutine_v1")));
  auto Next = fn<long()>("next");
  fn<void()>("start")();
  EXPECT_EQ(Next(), 1);
  EXPECT_EQ(Next(), 2);
  auto R = Eng->replace("gen", oldStateIR("coroutine_v2"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_FALSE(R->KeptForOldState.empty());
  Eng->waitForReclamation();
  EXPECT_EQ(Next(), 3) << "the old frame runs version 1's code";
  fn<void()>("start")();
  EXPECT_EQ(Next(), 1007) << "a new frame runs version 2's";
  fn<void()>("stop")();
}

TEST_F(OldStateTest, AChangedConstructorIsReportedNotDroppedSilently) {
  mustCommit(Eng->add("plugin", oldStateIR("plugin_v1")));
  ASSERT_EQ(Handlers.size(), 1u);
  auto R = Eng->replace("plugin", oldStateIR("plugin_v2"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  ASSERT_EQ(R->SkippedConstructors.size(), 1u);
  EXPECT_NE(R->SkippedConstructors[0].find("register_plugin"), std::string::npos)
      << R->SkippedConstructors[0];
  EXPECT_NE(R->SkippedConstructors[0].find("plugin"), std::string::npos);
  EXPECT_EQ(Handlers.size(), 1u) << "a replacement runs no constructor";
  EXPECT_EQ(Handlers[0](1), 2);

  // An unchanged constructor is not reported.
  auto Same = Eng->replace("plugin", oldStateIR("plugin_v2"));
  ASSERT_TRUE(!!Same);
  EXPECT_TRUE(Same->SkippedConstructors.empty());
  // Removed and added again, the module's constructors run: a rebuilt program's two handlers.
  mustCommit(Eng->remove("plugin"));
  Handlers.clear();
  mustCommit(Eng->add("plugin", oldStateIR("plugin_v2")));
  EXPECT_EQ(Handlers.size(), 2u);
}

} // namespace
} // namespace hotjit::test
