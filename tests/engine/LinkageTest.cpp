// Symbol resolution as the static linker does it (engine/src/resolution/SymbolResolution.h):
// escaping addresses, vague linkage and the ODR, weak definitions, extern_weak, aliases and module
// asm. C and C++ fixtures are compiled by clang at build time, each set also linked natively: the
// JIT result must equal what the native program prints.
#include "EngineTestCommon.h"

#include "hotjit/concurrency/EpochGuard.h"

#include <cstdio>
#include <cstring>
#include <thread>

namespace hotjit::test {
namespace {

std::string fixture(const std::string &Name) {
  return std::string(HOTJIT_IR_FIXTURES_DIR) + "/" + Name;
}

ModuleSource linkageIR(const std::string &Stem) {
  return ModuleSource::fromFile(fixture("linkage_" + Stem + ".ll"));
}

/// What the natively linked fixture set \p Name prints (its entry's result).
int nativeResult(const std::string &Name) {
  std::FILE *P = ::popen(fixture(Name).c_str(), "r");
  if (!P) {
    ADD_FAILURE() << "cannot run " << Name;
    return -1000;
  }
  int V = -1000;
  if (std::fscanf(P, "%d", &V) != 1)
    ADD_FAILURE() << Name << " printed no number";
  EXPECT_EQ(::pclose(P), 0) << Name;
  return V;
}

class LinkageTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    // Retired code becomes PROT_NONE and is never reused: a stale pointer faults.
    O.QuarantineRetiredCode = true;
    return O;
  }
};

// ---- Escaping addresses are stubs ------------------------------------------

const char *const InternalImplIR = R"(
define internal i32 @impl() {
  ret i32 VALUE
}
@table = internal constant [1 x ptr] [ptr @impl]
define ptr @from_const_table() {
  %p = load ptr, ptr @table
  ret ptr %p
}
define ptr @address_of() {
  ret ptr @impl
}
)";

std::string internalImpl(int Value) {
  std::string Text = InternalImplIR;
  Text.replace(Text.find("VALUE"), 5, std::to_string(Value));
  return Text;
}

TEST_F(LinkageTest, InternalFunctionAddressesOutliveReplacementsAndReclamation) {
  mustCommit(Eng->add("v", ir(internalImpl(1))));
  auto Table = Eng->call<void *()>("from_const_table");
  auto Taken = Eng->call<void *()>("address_of");
  ASSERT_TRUE(Table && Taken);
  void *FromTable = *Table, *AddressOf = *Taken;
  EXPECT_EQ(FromTable, AddressOf) << "one function, one address";
  for (int V : {2, 3}) {
    mustCommit(Eng->replace("v", ir(internalImpl(V))));
    Eng->waitForReclamation();
    EpochGuard G(Eng->epochs());
    EXPECT_EQ(reinterpret_cast<int (*)()>(FromTable)(), V);
    EXPECT_EQ(reinterpret_cast<int (*)()>(AddressOf)(), V);
  }
  auto Again = Eng->call<void *()>("from_const_table");
  ASSERT_TRUE(!!Again);
  EXPECT_EQ(*Again, FromTable) << "&impl is the same before and after swaps";
}

TEST_F(LinkageTest, CallbackTableOfACLibraryOutlivesTwoReplacements) {
  mustCommit(Eng->add("table", linkageIR("callback_table_v1")));
  EXPECT_EQ(callInt("table_entry"), nativeResult("native_callback_table"));
  auto Find = Eng->lookup<int (*(const char *))(int)>("find_op");
  ASSERT_TRUE(!!Find) << llvm::toString(Find.takeError());
  int (*AddOne)(int) = (*Find)("add_one");
  int (*Negate)(int) = (*Find)("negate");
  auto Direct = Eng->call<int (*())(int)>("address_of_negate");
  ASSERT_TRUE(!!Direct);
  EXPECT_EQ(*Direct, Negate) << "&negate is one stub, through the table or not";
  for (const char *Version : {"callback_table_v2", "callback_table_v1"}) {
    mustCommit(Eng->replace("table", linkageIR(Version)));
    Eng->waitForReclamation();
    int Value = Version[std::strlen(Version) - 1] - '0';
    EpochGuard G(Eng->epochs());
    EXPECT_EQ(AddOne(41), 41 + Value) << Version;
    EXPECT_EQ(Negate(5), -5 * Value) << Version;
  }
}

TEST_F(LinkageTest, TierUpKeepsCapturedAddressesValid) {
  EngineOptions O = options();
  O.Tiered = true;
  O.OptLevel = 2;
  auto E = Engine::create(O);
  ASSERT_TRUE(!!E);
  auto &Tiered = **E;
  ASSERT_TRUE(!!Tiered.add("v", ir(internalImpl(7))));
  auto P = Tiered.call<void *()>("from_const_table");
  ASSERT_TRUE(!!P);
  while (Tiered.stats().TierUps == 0)
    std::this_thread::yield();
  Tiered.waitForReclamation();
  EpochGuard G(Tiered.epochs());
  EXPECT_EQ(reinterpret_cast<int (*)()>(*P)(), 7);
}

// A constant that both a mutable table (data, kept across versions) and code reach is one object:
// SQLite finds its window functions by comparing a table entry's name with the name's address.
const char *const SharedNameIR = R"(
@lag_name = private unnamed_addr constant [4 x i8] c"lag\00"
@functions = internal global [1 x ptr] [ptr @lag_name]
define i32 @is_lag(i32 %i) {
  %slot = getelementptr [1 x ptr], ptr @functions, i32 0, i32 %i
  %name = load ptr, ptr %slot
  %same = icmp eq ptr %name, @lag_name
  %r = zext i1 %same to i32
  ret i32 %r
}
)";

TEST_F(LinkageTest, ConstantSharedByDataAndCodeIsOneObject) {
  mustCommit(Eng->add("names", ir(SharedNameIR)));
  auto Same = Eng->call<int(int)>("is_lag", 0);
  ASSERT_TRUE(!!Same) << llvm::toString(Same.takeError());
  EXPECT_EQ(*Same, 1);
  mustCommit(Eng->replace("names", ir(SharedNameIR)));
  Eng->waitForReclamation();
  Same = Eng->call<int(int)>("is_lag", 0);
  ASSERT_TRUE(!!Same);
  EXPECT_EQ(*Same, 1) << "the replacement reaches the same name the kept table holds";
}

// ---- Vague linkage: one function program-wide --------------------------------

TEST_F(LinkageTest, InlineFunctionHasOneAddressInEveryModule) {
  mustCommit(Eng->batch().add("a", linkageIR("inline_a")).add("b", linkageIR("inline_b")).commit());
  EXPECT_EQ(callInt("inline_entry"), nativeResult("native_inline"));
  EXPECT_EQ(callInt("inline_entry"), 142);
  auto Twice = Eng->lookupAddress("_Z5twicei");
  ASSERT_TRUE(!!Twice) << llvm::toString(Twice.takeError());
  auto SeenByB = Eng->call<void *()>("twice_seen_by_b");
  ASSERT_TRUE(!!SeenByB);
  EXPECT_EQ(*SeenByB, *Twice);
  // Replacing the module whose copy runs keeps the address and the answer.
  mustCommit(Eng->replace("a", linkageIR("inline_a")));
  mustCommit(Eng->remove("a"));
  auto After = Eng->call<void *()>("twice_seen_by_b");
  ASSERT_TRUE(!!After);
  EXPECT_EQ(*After, *Twice);
  auto Call = Eng->call<int(int)>("_Z5twicei", 4);
  ASSERT_TRUE(!!Call) << llvm::toString(Call.takeError());
  EXPECT_EQ(*Call, 8) << "b's copy took over when a left";
}

TEST_F(LinkageTest, StrongDefinitionOverridesWeakDefaultAndLeavesIt) {
  mustCommit(Eng->add("default", linkageIR("weak_default")));
  EXPECT_EQ(callInt("weak_entry"), nativeResult("native_weak_default"));
  EXPECT_EQ(callInt("weak_entry"), 1);
  // A later batch brings the strong definition: the stub is re-pointed.
  mustCommit(Eng->add("override", linkageIR("weak_override")));
  EXPECT_EQ(callInt("weak_entry"), nativeResult("native_weak_override"));
  EXPECT_EQ(callInt("weak_entry"), 3);
  // Removing it brings the weak default back.
  mustCommit(Eng->remove("override"));
  EXPECT_EQ(callInt("weak_entry"), 1);
  // Both in one batch, in either order.
  mustCommit(Eng->remove("default"));
  mustCommit(Eng->batch()
                 .add("override", linkageIR("weak_override"))
                 .add("default", linkageIR("weak_default"))
                 .commit());
  EXPECT_EQ(callInt("weak_entry"), 3);
}

TEST_F(LinkageTest, TwoStrongDefinitionsAreStillDuplicates) {
  mustCommit(Eng->add("override", linkageIR("weak_override")));
  expectError(Eng->add("again", ir("define i32 @log_level() { ret i32 9 }")), ErrorKind::Duplicate,
              {"log_level", "'again'", "'override'"});
  expectError(Eng->add("typed", ir("define weak i64 @log_level(i64 %x) { ret i64 %x }")),
              ErrorKind::Signature, {"log_level", "'typed'", "one type"});
  EXPECT_EQ(callInt("log_level"), 3);
}

TEST_F(LinkageTest, WeakODREntryIsFoundAndCalledFromOtherModules) {
  mustCommit(Eng->add("entry", ir("define weak_odr i32 @entry() { ret i32 11 }")));
  EXPECT_EQ(callInt("entry"), 11);
  mustCommit(Eng->add("user", ir(R"(
declare i32 @entry()
define i32 @user() {
  %r = call i32 @entry()
  %s = add i32 %r, 1
  ret i32 %s
})")));
  EXPECT_EQ(callInt("user"), 12);
}

TEST_F(LinkageTest, ExplicitInstantiationServesExternTemplateUsers) {
  mustCommit(Eng->batch()
                 .add("inst", linkageIR("square_inst"))
                 .add("use", linkageIR("square_use"))
                 .commit());
  EXPECT_EQ(callInt("square_entry"), nativeResult("native_square"));
  EXPECT_EQ(callInt("square_entry"), 49);
}

// ---- extern_weak -------------------------------------------------------------

TEST_F(LinkageTest, ExternWeakReferenceIsNullUnlessDefinedAtCommit) {
  mustCommit(Eng->add("ew", linkageIR("extern_weak")));
  EXPECT_EQ(callInt("extern_weak_entry"), nativeResult("native_extern_weak_null"));
  EXPECT_EQ(callInt("extern_weak_entry"), -1);
  mustCommit(Eng->remove("ew"));
  mustCommit(
      Eng->batch().add("maybe", linkageIR("maybe")).add("ew", linkageIR("extern_weak")).commit());
  EXPECT_EQ(callInt("extern_weak_entry"), nativeResult("native_extern_weak_bound"));
  EXPECT_EQ(callInt("extern_weak_entry"), 5);
  // A bound weak reference is a caller: removing its definition needs force.
  expectError(Eng->remove("maybe"), ErrorKind::InUse, {"maybe", "'ew'"});
  mustCommit(Eng->add("wv", ir(R"(
@maybe_var = extern_weak global i32
define ptr @mv() { ret ptr @maybe_var })")));
  auto Mv = Eng->call<void *()>("mv");
  ASSERT_TRUE(!!Mv);
  EXPECT_EQ(*Mv, nullptr);
}

// ---- Data that live code uses ------------------------------------------------

ModuleSource dataIR(const std::string &Stem) {
  return ModuleSource::fromFile(fixture("data_" + Stem + ".ll"));
}

TEST_F(LinkageTest, ForcedRemovalOfDataKeepsItsStorageWhileModulesUseIt) {
  mustCommit(Eng->batch().add("data", dataIR("table")).add("reader", dataIR("reader")).commit());
  EXPECT_EQ(callInt("reader_entry"), nativeResult("native_data_reader"));
  auto *Table = static_cast<long *>(checked(Eng->lookupGlobal("table")));
  Table[3] = 41;
  mustCommit(Eng->remove("data", RemoveMode::Force));
  Eng->waitForReclamation(); // Retired storage is PROT_NONE now: a read of it would fault.
  EXPECT_EQ(callInt("reader_entry"), 41) << "the storage lives on while 'reader' uses it";
  expectError(Eng->lookupGlobal("table"), ErrorKind::Undefined, {"'table'"});
  // A module that defines it again binds to that storage, as a replacement would.
  mustCommit(Eng->add("data", dataIR("table")));
  EXPECT_EQ(checked(Eng->lookupGlobal("table")), Table);
  EXPECT_EQ(callInt("reader_entry"), 41);
  // With neither definer nor user it goes; a later definition starts afresh.
  mustCommit(Eng->batch().remove("data").remove("reader").commit());
  Eng->waitForReclamation();
  mustCommit(Eng->batch().add("data", dataIR("table")).add("reader", dataIR("reader")).commit());
  EXPECT_EQ(callInt("reader_entry"), 40);
  // It goes as well when its last user leaves after a forced removal.
  mustCommit(Eng->remove("data", RemoveMode::Force));
  mustCommit(Eng->remove("reader"));
  Eng->waitForReclamation();
  mustCommit(Eng->batch().add("data", dataIR("table")).add("reader", dataIR("reader")).commit());
  EXPECT_EQ(callInt("reader_entry"), 40);
}

// ---- Aliases -----------------------------------------------------------------

TEST_F(LinkageTest, ConstructorAndDestructorAliasesLink) {
  mustCommit(
      Eng->batch().add("shape", linkageIR("shape")).add("use", linkageIR("shape_use")).commit());
  EXPECT_EQ(callInt("shape_entry"), nativeResult("native_shape"));
  EXPECT_EQ(callInt("shape_entry"), 42);
  // The alias is a function of its own: replace the module, it follows.
  mustCommit(Eng->replace("shape", linkageIR("shape")));
  Eng->waitForReclamation();
  EXPECT_EQ(callInt("shape_entry"), 42);
}

TEST_F(LinkageTest, FunctionAndDataAliasesResolve) {
  mustCommit(Eng->add("al", ir(R"(
@storage = global i32 5
@storage_alias = alias i32, ptr @storage
define i32 @target() { ret i32 1 }
@other_name = alias i32 (), ptr @target
define ptr @alias_address() { ret ptr @other_name }
)")));
  EXPECT_EQ(callInt("other_name"), 1);
  auto Storage = Eng->lookupGlobal("storage");
  auto Alias = Eng->lookupGlobal("storage_alias");
  ASSERT_TRUE(Storage && Alias);
  EXPECT_EQ(*Storage, *Alias);
  auto Address = Eng->call<void *()>("alias_address");
  auto Stub = Eng->lookupAddress("other_name");
  ASSERT_TRUE(Address && Stub);
  EXPECT_EQ(*Address, *Stub);
  mustCommit(Eng->add("reader", ir(R"(
@storage_alias = external global i32
define i32 @read_alias() {
  %v = load i32, ptr @storage_alias
  ret i32 %v
})")));
  EXPECT_EQ(callInt("read_alias"), 5);
}

// ---- Module asm --------------------------------------------------------------

TEST_F(LinkageTest, FunctionsDefinedByModuleAsmLinkAndSwap) {
  mustCommit(Eng->add("asm", linkageIR("module_asm")));
  EXPECT_EQ(callInt("asm_entry"), nativeResult("native_module_asm"));
  EXPECT_EQ(callInt("asm_entry"), 42);
  mustCommit(Eng->add("user", linkageIR("asm_user")));
  EXPECT_EQ(callInt("asm_user_entry"), 103);
  auto Asm = Eng->call<long(long)>("asm_add3", 1);
  ASSERT_TRUE(!!Asm) << llvm::toString(Asm.takeError());
  EXPECT_EQ(*Asm, 4);
  mustCommit(Eng->replace("asm", linkageIR("module_asm_v2")));
  Eng->waitForReclamation();
  EXPECT_EQ(callInt("asm_user_entry"), 104);
  EXPECT_EQ(callInt("asm_entry"), 43);
}

} // namespace
} // namespace hotjit::test
