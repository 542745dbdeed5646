// Partial replacement (EngineOptions::PartialReplacement, engine/src/commit/Prepare.cpp): a
// replacement recompiles exactly the functions whose code or dependencies an edit changed, keeps
// the others' code, and computes what the edited program computes. Fixture: tests/fixtures/partial
// edits.c, clang -g -O1 and -O2, one kind of edit per version; each commit parses its own context,
// destroyed after it is compiled. Quarantine makes freed code fault if it runs, so a kept function
// whose piece was freed, or a changed one left running old code, fails here.
#include "EngineTestCommon.h"

#include <algorithm>
#include <functional>
#include <set>

namespace hotjit::test {
namespace {

class PartialReplacementTest : public EngineTest, public ::testing::WithParamInterface<int> {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.OptLevel = GetParam();
    O.QuarantineRetiredCode = true;
    O.ObjectCache = false;
    return O;
  }

  ModuleSource edits(int Version) {
    return ModuleSource::fromFile(std::string(HOTJIT_IR_FIXTURES_DIR) + "/partial_edits_O" +
                                  std::to_string(GetParam()) + "_v" + std::to_string(Version) +
                                  ".ll");
  }

  /// What each function of version \p V computes (the fixture's source says why).
  void expectResultsOf(int V) {
    SCOPED_TRACE("version " + std::to_string(V));
    EXPECT_EQ(checked(Eng->call<int(int)>("scaled", 2)), V == 2 ? 11 : 7);
    EXPECT_EQ(checked(Eng->call<int(int)>("lookup", 0)), V == 3 ? 10 : 1);
    EXPECT_EQ(checked(Eng->call<int(int)>("lookup", 2)), 3);
    EXPECT_EQ(checked(Eng->call<int(int)>("use_rec", 42)), 42);
    EXPECT_EQ(checked(Eng->call<int(int)>("via_helper_a", 1)), V == 5 ? 202 : 4);
    EXPECT_EQ(checked(Eng->call<int(int)>("via_helper_b", 1)), V == 5 ? 303 : 6);
    if (V == 6)
      EXPECT_EQ(callInt("added_fn"), 66);
    else
      EXPECT_EQ(callInt("removed_fn"), 6);
    EXPECT_EQ(checked(Eng->call<int(int, int)>("steady_mul", 6, 7)), 42);
    EXPECT_EQ(checked(Eng->call<int(int)>("steady_calls_stub", 5)), 15);
  }

  /// A fresh engine with options() changed by \p Change, \p edits(1) loaded, replaced by
  /// edits(\p V): the replacement's report.
  CommitReport restartAndReplace(int V, const std::function<void(EngineOptions &)> &Change) {
    Eng.reset();
    EngineOptions O = options();
    Change(O);
    Eng = checked(Engine::create(O));
    mustCommit(Eng->add("edits", edits(1)));
    return checked(Eng->replace("edits", edits(V)));
  }

  static std::set<std::string> published(const CommitReport &R) {
    return {R.Published.begin(), R.Published.end()};
  }
};

// Each kind of edit from the baseline: exactly the functions it reaches are recompiled, the others
// keep their code (same implementation address), and every function computes what a rebuild does.
TEST_P(PartialReplacementTest, EachEditRecompilesExactlyWhatItReaches) {
  const std::vector<std::pair<int, std::set<std::string>>> Edits = {
      {2, {"scaled"}},                       // reached only through an inlined callee
      {3, {"lookup"}},                       // a constant table
      {4, {"make_rec", "rec_b", "use_rec"}}, // a type's layout
      {5, {"via_helper_a", "via_helper_b"}}, // an internal function they call
      {6, {"added_fn"}},                     // one removed, one added
  };
  for (const auto &[V, Reached] : Edits) {
    SCOPED_TRACE("edit " + std::to_string(V));
    mustCommit(Eng->add("edits", edits(1)));
    const void *Steady = checked(Eng->lookupAddress("steady_add"));
    const uint64_t SteadyVersion = checked(Eng->versionOf("steady_add"));
    auto R = Eng->replace("edits", edits(V));
    ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
    EXPECT_EQ(published(*R), Reached);
    EXPECT_EQ(R->RecompiledFunctions, Reached.size());
    EXPECT_GE(R->KeptFunctions, 6u);
    if (V == 6)
      EXPECT_EQ(R->Removed, std::vector<std::string>{"removed_fn"});
    EXPECT_EQ(checked(Eng->lookupAddress("steady_add")), Steady) << "same stub";
    EXPECT_EQ(checked(Eng->versionOf("steady_add")), SteadyVersion) << "kept its code";
    Eng->waitForReclamation();
    expectResultsOf(V);
    mustCommit(Eng->remove("edits"));
    Eng->waitForReclamation();
  }
}

// Edits in a row, back and forth: each replacement is partial, pieces that no function runs any
// more are freed (quarantined: a premature free faults), and results always match the source.
TEST_P(PartialReplacementTest, EditsInARowFreeThePiecesNothingRuns) {
  mustCommit(Eng->add("edits", edits(1)));
  expectResultsOf(1);
  const uint64_t FreedBefore = Eng->stats().VersionsFreed;
  for (int V : {2, 3, 1, 5, 4, 1, 6, 1, 2, 2}) {
    auto R = Eng->replace("edits", edits(V));
    ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
    EXPECT_GT(R->KeptFunctions, 0u) << "version " << V;
    Eng->waitForReclamation();
    expectResultsOf(V);
  }
  EXPECT_GT(Eng->stats().VersionsFreed, FreedBefore) << "replaced pieces were freed";
  // The same source again: nothing is recompiled.
  auto Same = Eng->replace("edits", edits(2));
  ASSERT_TRUE(!!Same);
  EXPECT_EQ(Same->RecompiledFunctions, 0u);
  EXPECT_TRUE(Same->Published.empty());
  expectResultsOf(2);
}

// The object cache keys each piece by its source and the functions it keeps: going back to an
// earlier edit, or saving it again, links the piece compiled before.
TEST_P(PartialReplacementTest, ReturningToAnEarlierEditLinksItsPieceFromTheCache) {
  CommitReport First = restartAndReplace(5, [](EngineOptions &O) { O.ObjectCache = true; });
  EXPECT_EQ(First.CacheHits, 0u);
  mustCommit(Eng->replace("edits", edits(1)));
  auto Again = Eng->replace("edits", edits(5));
  ASSERT_TRUE(!!Again) << llvm::toString(Again.takeError());
  EXPECT_EQ(Again->CacheHits, 1u);
  EXPECT_EQ(Again->Compiled, 0u);
  EXPECT_EQ(Again->RecompiledFunctions, 2u);
  Eng->waitForReclamation();
  expectResultsOf(5);
}

// With partial replacement off, every function is recompiled: the baseline the option saves.
TEST_P(PartialReplacementTest, OffRecompilesTheWholeModule) {
  CommitReport R = restartAndReplace(2, [](EngineOptions &O) { O.PartialReplacement = false; });
  EXPECT_EQ(R.KeptFunctions, 0u);
  EXPECT_EQ(R.RecompiledFunctions, R.Published.size());
  EXPECT_GT(R.Published.size(), 8u);
  expectResultsOf(2);
}

/// IR text \p Text with its "@@" replaced by \p Value.
ModuleSource irWith(std::string Text, const std::string &Value) {
  Text.replace(Text.find("@@"), 2, Value);
  return ModuleSource::fromIR(std::move(Text));
}

/// Fixture \p Stem of version \p Version, built at -O\p Level.
ModuleSource fixture(const std::string &Stem, int Level, int Version) {
  return ModuleSource::fromFile(std::string(HOTJIT_IR_FIXTURES_DIR) + "/partial_" + Stem + "_O" +
                                std::to_string(Level) + "_v" + std::to_string(Version) + ".ll");
}

// A header grows a struct; both modules are rebuilt and replaced in one batch. Code whose source
// did not change uses the layout without addressing a field: a call passing it by value (the
// layout is in the call's byval attribute), an array of it in the frame. Such code is recompiled;
// kept, it would pass a short struct and overrun a short array.
TEST_P(PartialReplacementTest, AGrownStructRecompilesCodeThatPassesItByValueOrHoldsItInArrays) {
  for (int Level : {0, GetParam()}) {
    SCOPED_TRACE("bitcode -O" + std::to_string(Level));
    mustCommit(Eng->batch()
                   .add("callee", fixture("shapes_callee", Level, 1))
                   .add("caller", fixture("shapes_caller", Level, 1))
                   .commit());
    long Shape[4] = {1, 2, 3, 4};
    EXPECT_EQ(checked(Eng->call<long(long *)>("pass_on", Shape)), 321);
    EXPECT_EQ(checked(Eng->call<long()>("in_array")), 642);
    const uint64_t Steady = checked(Eng->versionOf("shapes_steady"));
    auto R = Eng->batch()
                 .replace("callee", fixture("shapes_callee", Level, 2))
                 .replace("caller", fixture("shapes_caller", Level, 2))
                 .commit();
    ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
    EXPECT_TRUE(published(*R).count("pass_on"));
    EXPECT_TRUE(published(*R).count("in_array"));
    EXPECT_EQ(checked(Eng->versionOf("shapes_steady")), Steady) << "kept its code";
    Eng->waitForReclamation();
    EXPECT_EQ(checked(Eng->call<long(long *)>("pass_on", Shape)), 4321);
    EXPECT_EQ(checked(Eng->call<long()>("in_array")), 8642);
    mustCommit(Eng->batch().remove("callee").remove("caller").commit());
  }
}

// A function called through an alias of it is edited (-O0 keeps the call through the alias): its
// callers are recompiled. A string's digits after a '#' change (the IR printer writes attribute
// groups as #N): its reader is recompiled.
TEST_P(PartialReplacementTest, EditsSeenOnlyThroughAnAliasOrAStringsBytesRecompileTheirUsers) {
  for (int Level : {0, GetParam()}) {
    SCOPED_TRACE("bitcode -O" + std::to_string(Level));
    mustCommit(Eng->add("names", fixture("names", Level, 1)));
    EXPECT_EQ(checked(Eng->call<int(int)>("calls_alias", 1)), 30);
    EXPECT_EQ(checked(Eng->call<int(int)>("tag_char", 1)), '1');
    const uint64_t Steady = checked(Eng->versionOf("names_steady"));
    mustCommit(Eng->replace("names", fixture("names", Level, 2)));
    Eng->waitForReclamation();
    EXPECT_EQ(checked(Eng->call<int(int)>("calls_alias", 1)), 210);
    auto R = Eng->replace("names", fixture("names", Level, 3));
    ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
    EXPECT_TRUE(published(*R).count("tag_char"));
    Eng->waitForReclamation();
    EXPECT_EQ(checked(Eng->call<int(int)>("tag_char", 1)), '5');
    EXPECT_EQ(checked(Eng->call<int(int)>("tag_char", 2)), '6');
    EXPECT_EQ(checked(Eng->call<int(int)>("calls_alias", 1)), 30);
    EXPECT_EQ(checked(Eng->versionOf("names_steady")), Steady) << "kept its code";
    mustCommit(Eng->remove("names"));
  }
}

// Edits whose only trace is the alias analysis metadata (a typedef of the pointee: long long, then
// long), the type of a constant expression (-O0), a string that holds "#dbg_", and a definition
// of memcpy, which code generation calls for a large copy the IR writes as llvm.memcpy: kept code
// compiled under the old facts would read a stale value, the wrong field, the old string, and the
// host's memcpy.
TEST_P(PartialReplacementTest, EditsSeenOnlyInMetadataTypesOrLibraryCallsRecompileTheirUsers) {
  for (int Level : {0, 1}) { // -O1 bitcode, engine at -O2: GVN reuses a load alias analysis allows.
    SCOPED_TRACE("bitcode -O" + std::to_string(Level));
    for (int V : {2, 3}) {
      SCOPED_TRACE("version " + std::to_string(V));
      Eng.reset(); // A fresh engine: a removed module's memcpy would leave its (trapping) stub.
      Eng = checked(Engine::create(options()));
      mustCommit(Eng->add("subtle", fixture("subtle", Level, 1)));
      EXPECT_EQ(checked(Eng->call<long()>("second_field")), 0x11111111);
      EXPECT_EQ(checked(Eng->call<long(long)>("link_char", 21)), '1');
      EXPECT_EQ(checked(Eng->call<long()>("copied")), 7);
      const uint64_t Copied = checked(Eng->versionOf("copy_big"));
      mustCommit(Eng->replace("subtle", fixture("subtle", Level, V)));
      Eng->waitForReclamation();
      if (V == 2) {
        EXPECT_EQ(checked(Eng->call<long()>("same_object")), 3);
        EXPECT_EQ(checked(Eng->call<long()>("second_field")), 0x33333333);
        EXPECT_EQ(checked(Eng->call<long(long)>("link_char", 21)), '7');
        EXPECT_EQ(checked(Eng->versionOf("copy_big")), Copied) << "kept its code";
      } else {
        EXPECT_EQ(checked(Eng->call<long()>("copied")), 1007);
      }
    }
  }
}

// A call's metadata operand is code: `llvm.read_register` names its register in one (rbp is
// reserved only with a frame pointer).
TEST_P(PartialReplacementTest, ACallsMetadataOperandIsPartOfItsCallersCode) {
  const std::string Reader = R"(
declare i64 @llvm.read_register.i64(metadata)
define i64 @reg() #0 {
  %v = call i64 @llvm.read_register.i64(metadata !0)
  ret i64 %v
}
define i64 @other() {
  ret i64 1
}
attributes #0 = { "frame-pointer"="all" }
!0 = !{!"@@"}
)";
  mustCommit(Eng->add("reader", irWith(Reader, "rsp")));
  auto R = Eng->replace("reader", irWith(Reader, "rbp"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(published(*R), std::set<std::string>{"reg"});
}

// Code generation calls lround for llvm.lround; a module defines lround after the caller was
// compiled. A replacement of the caller binds its calls to that definition, as a whole build and
// a native link do: the caller is not kept bound to the host's lround.
TEST_P(PartialReplacementTest, CodeBoundToTheHostsLibraryCallsIsNotKeptOnceJitCodeDefinesThem) {
  const std::string Caller = R"(
declare i64 @llvm.lround.i64.f64(double)
define i64 @rounded(double %x) {
  %v = call i64 @llvm.lround.i64.f64(double %x)
  ret i64 %v
}
define i64 @edited() {
  ret i64 @@
}
)";
  mustCommit(Eng->add("caller", irWith(Caller, "1")));
  EXPECT_EQ(checked(Eng->call<long(double)>("rounded", 2.6)), 3);
  mustCommit(Eng->add("library", ModuleSource::fromIR(R"(
define i64 @lround(double %x) {
  ret i64 777
}
)")));
  mustCommit(Eng->replace("caller", irWith(Caller, "2")));
  Eng->waitForReclamation();
  EXPECT_EQ(checked(Eng->call<long(double)>("rounded", 2.6)), 777);
}

// Two modules define inline h differently (its header edited, one module rebuilt); the first owns
// h's stub. A replacement of the second that edits g alone: g still calls the second module's own
// copy of h, as before, and as a whole build would.
TEST_P(PartialReplacementTest, ARecompiledCallerRunsItsOwnModulesCopyOfAnInlineFunction) {
  mustCommit(Eng->add("first", fixture("odr_first", 0, 1)));
  mustCommit(Eng->add("second", fixture("odr_second", 0, 1)));
  EXPECT_EQ(checked(Eng->call<long(long)>("first", 1)), 2);
  EXPECT_EQ(checked(Eng->call<long(long)>("g", 1)), 3);
  EXPECT_EQ(checked(Eng->call<long(long)>("kept", 1)), 30);
  mustCommit(Eng->replace("second", fixture("odr_second", 0, 2)));
  Eng->waitForReclamation();
  EXPECT_EQ(checked(Eng->call<long(long)>("g", 1)), 103);
  EXPECT_EQ(checked(Eng->call<long(long)>("kept", 1)), 30);
  EXPECT_EQ(checked(Eng->call<long(long)>("first", 1)), 2);
}

extern "C" int hotjitTestHostIncrement(int X) { return X + 1; }
int HostValue = 100;

// A function and a global a module uses are the host's when it is compiled, then a JIT module
// defines them. A replacement of the module binds its code to the JIT's definitions, as a whole
// build does: functions whose code did not change are not kept bound to the host's.
TEST_P(PartialReplacementTest, ReferencesThatMovedFromTheHostToJitCodeRecompileTheirUsers) {
  ASSERT_FALSE(
      !!Eng->addHostSymbol("bound_fn", reinterpret_cast<const void *>(&hotjitTestHostIncrement)));
  ASSERT_FALSE(!!Eng->addHostSymbol("bound_var", &HostValue));
  const std::string User = R"(
declare i32 @bound_fn(i32)
@bound_var = external global i32
define i32 @call_bound(i32 %x) {
  %r = call i32 @bound_fn(i32 %x)
  ret i32 %r
}
define i32 @read_bound() {
  %v = load i32, ptr @bound_var
  ret i32 %v
}
)";
  mustCommit(Eng->add("user", ModuleSource::fromIR(User)));
  EXPECT_EQ(checked(Eng->call<int(int)>("call_bound", 1)), 2);
  EXPECT_EQ(callInt("read_bound"), 100);
  mustCommit(Eng->add("definer", ModuleSource::fromIR(R"(
@bound_var = global i32 300
define i32 @bound_fn(i32 %x) {
  %r = add i32 %x, 50
  ret i32 %r
}
)")));
  auto R = Eng->replace("user", ModuleSource::fromIR(User + R"(
define i32 @added() {
  ret i32 1
}
)"));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->KeptFunctions, 0u);
  Eng->waitForReclamation();
  EXPECT_EQ(checked(Eng->call<int(int)>("call_bound", 1)), 51);
  EXPECT_EQ(callInt("read_bound"), 300);
}

INSTANTIATE_TEST_SUITE_P(Levels, PartialReplacementTest, ::testing::Values(1, 2),
                         [](const auto &Info) { return "O" + std::to_string(Info.param); });

} // namespace
} // namespace hotjit::test
