// The compile pipeline: object cache (memory and disk, and what the disk cache trusts),
// rollback, tiered compilation, the per-commit latency breakdown, and robustness against a host
// that caps oneTBB.
#include "EngineTestCommon.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <tbb/global_control.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace hotjit;
using namespace hotjit::test;

namespace {

/// A fresh directory, removed with its contents at the end of the test.
class TempDir {
public:
  TempDir() {
    llvm::SmallString<128> P;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("hotjit-cache", P));
    Path = std::string(P);
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
  std::vector<std::string> files() const {
    std::vector<std::string> Out;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Path, EC), End; It != End && !EC; It.increment(EC))
      Out.push_back(It->path());
    return Out;
  }
  std::string Path;
};

std::unique_ptr<Engine> makeEngine(EngineOptions O) {
  auto E = Engine::create(std::move(O));
  EXPECT_TRUE(!!E);
  return E ? std::move(*E) : nullptr;
}

/// Adds f(x) = x + 5 to a fresh engine using \p Dir as its disk cache.
CommitReport addToFreshEngine(const TempDir &Dir, EngineStats *Stats = nullptr) {
  EngineOptions O;
  O.CacheDirectory = Dir.Path;
  auto E = makeEngine(O);
  auto R = E->add("f", ir(addFunction("f", 5)));
  EXPECT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(checked(E->call<int(int)>("f", 1)), 6);
  if (Stats)
    *Stats = E->stats();
  return R ? *R : CommitReport{};
}

TEST_F(EngineTest, IdenticalCodeIsLinkedFromTheCacheUnderAnyVersion) {
  auto R1 = Eng->add("f", ir(addFunction("f", 1)));
  ASSERT_TRUE(!!R1);
  EXPECT_EQ(R1->Compiled, 1u);
  EXPECT_EQ(R1->CacheHits, 0u);
  mustCommit(Eng->replace("f", ir(addFunction("f", 2))));
  // Back to version 1's code: committed as version 3, linked from the cache.
  auto R3 = Eng->replace("f", ir(addFunction("f", 1)));
  ASSERT_TRUE(!!R3);
  EXPECT_EQ(R3->Compiled, 0u);
  EXPECT_EQ(R3->CacheHits, 1u);
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 10)), 11);
  EXPECT_EQ(Eng->stats().ModulesCompiled, 2u);
}

TEST_F(EngineTest, CacheKeyChangesWithTheOptimisationLevel) {
  mustCommit(Eng->add("f", ir(addFunction("f", 1))));
  auto R = Eng->batch().replace("f", ir(addFunction("f", 1))).optLevel(0).commit();
  ASSERT_TRUE(!!R);
  EXPECT_EQ(R->OptLevel, 0u);
  EXPECT_EQ(R->Compiled, 1u) << "an O0 build must not reuse the O1 object";
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 1)), 2);
}

// The cache key is made from the source bytes and from every answer the engine's state gave the
// rewrite; the same bytes rewritten under another state must compile again.
TEST_F(EngineTest, SameSourceUnderAnotherEngineStateIsCompiledAgain) {
  const std::string User = R"(
@w = extern_weak global i32
define i32 @probe() {
  %isnull = icmp eq ptr @w, null
  br i1 %isnull, label %none, label %some
none:
  ret i32 -1
some:
  %v = load i32, ptr @w
  ret i32 %v
}
)";
  mustCommit(Eng->add("user", ir(User)));
  EXPECT_EQ(checked(Eng->call<int()>("probe")), -1);
  mustCommit(Eng->add("provider", ir("@w = global i32 42\n")));
  // Same bytes, but @w now exists: the null binding of the cached object is wrong here.
  auto R = Eng->replace("user", ir(User));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->CacheHits, 0u);
  EXPECT_EQ(R->Compiled, 1u);
  EXPECT_EQ(checked(Eng->call<int()>("probe")), 42);
  // The same bytes under the same state again change nothing: the code is kept.
  auto Same = Eng->replace("user", ir(User));
  ASSERT_TRUE(!!Same);
  EXPECT_EQ(Same->KeptFunctions, 1u);
  EXPECT_EQ(Same->RecompiledFunctions, 0u);
  // And added afresh, they are a hit.
  mustCommit(Eng->remove("user"));
  auto Again = Eng->add("user", ir(User));
  ASSERT_TRUE(!!Again);
  EXPECT_EQ(Again->CacheHits, 1u);
  EXPECT_EQ(checked(Eng->call<int()>("probe")), 42);
}

// A module's name is part of what its object is made from (its copies of vague-linkage
// functions, its initialiser, its __dso_handle are named after it).
TEST_F(EngineTest, SameSourceUnderAnotherModuleNameIsCompiledAgain) {
  const std::string Src = "define weak i32 @twice(i32 %x) {\n"
                          "  %r = mul i32 %x, 2\n  ret i32 %r\n}\n";
  mustCommit(Eng->add("a", ir(Src)));
  auto R = Eng->add("b", ir(Src));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->CacheHits, 0u);
  mustCommit(Eng->remove("a"));
  EXPECT_EQ(checked(Eng->call<int(int)>("twice", 21)), 42);
}

TEST(CodeCacheTest, WarmDiskCacheCompilesNothingAfterARestart) {
  TempDir Dir;
  EXPECT_EQ(addToFreshEngine(Dir).Compiled, 1u);
  EXPECT_EQ(Dir.files().size(), 1u);
  CommitReport R = addToFreshEngine(Dir);
  EXPECT_EQ(R.Compiled, 0u);
  EXPECT_EQ(R.CacheHits, 1u);
}

TEST(CodeCacheTest, CorruptDiskEntryIsIgnoredAndRebuilt) {
  TempDir Dir;
  addToFreshEngine(Dir);
  ASSERT_EQ(Dir.files().size(), 1u);
  {
    // Keep the size, flip bytes in the middle of the object.
    std::fstream F(Dir.files()[0], std::ios::in | std::ios::out | std::ios::binary);
    F.seekp(200);
    F.write("garbage!garbage!", 16);
  }
  EngineStats S;
  EXPECT_EQ(addToFreshEngine(Dir, &S).Compiled, 1u);
  EXPECT_EQ(S.CacheCorrupt, 1u);
  // The rebuilt entry is good again.
  EXPECT_EQ(addToFreshEngine(Dir, &S).CacheHits, 1u);
  EXPECT_EQ(S.CacheCorrupt, 0u);
}

/// A uid that stands for another user on the machine.
constexpr uid_t OtherUid = 54321;

std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// Engine::create must refuse \p Dir as its cache directory with
/// ErrorKind::Untrusted, naming the directory and \p Reason.
void expectRefused(const std::string &Dir, const std::string &Reason) {
  EngineOptions O;
  O.CacheDirectory = Dir;
  auto E = Engine::create(O);
  ASSERT_FALSE(!!E) << "cache directory " << Dir << " was accepted";
  auto [Kind, Text] = takeError(E.takeError());
  EXPECT_EQ(static_cast<int>(Kind), static_cast<int>(ErrorKind::Untrusted)) << Text;
  EXPECT_NE(Text.find("'" + Dir + "'"), std::string::npos) << Text;
  EXPECT_NE(Text.find(Reason), std::string::npos) << Text;
}

TEST(CodeCacheTest, NewDirectoryIsPrivateToItsOwner) {
  TempDir Parent;
  std::string Dir = Parent.Path + "/new/cache";
  EngineOptions O;
  O.CacheDirectory = Dir;
  auto E = makeEngine(O);
  struct stat St;
  ASSERT_EQ(::stat(Dir.c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 07777, 0700u);
}

TEST(CodeCacheTest, DirectoryWritableByGroupOrOthersIsRefused) {
  TempDir Dir;
  addToFreshEngine(Dir); // A valid entry, which a hit would link.
  ASSERT_EQ(Dir.files().size(), 1u);
  for (mode_t Mode : {0770, 0730, 0707, 0777, 01777}) {
    ASSERT_EQ(::chmod(Dir.Path.c_str(), Mode), 0);
    expectRefused(Dir.Path, "writable by group or others");
  }
}

TEST(CodeCacheTest, DirectoryOwnedByAnotherUserIsRefused) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "giving a directory to another uid needs root";
  TempDir Dir;
  addToFreshEngine(Dir);
  ASSERT_EQ(::chown(Dir.Path.c_str(), OtherUid, OtherUid), 0);
  expectRefused(Dir.Path, "owned by uid " + std::to_string(OtherUid));
}

TEST(CodeCacheTest, SymlinkedEntryIsIgnoredCountedAndRebuilt) {
  TempDir Elsewhere, Dir;
  addToFreshEngine(Elsewhere); // A valid entry for the same key.
  ASSERT_EQ(Elsewhere.files().size(), 1u);
  std::string Target = Elsewhere.files()[0];
  std::string Entry = Dir.Path + "/" + llvm::sys::path::filename(Target).str();
  ASSERT_EQ(::symlink(Target.c_str(), Entry.c_str()), 0);
  std::string Before = readFile(Target);
  EngineStats S;
  EXPECT_EQ(addToFreshEngine(Dir, &S).Compiled, 1u) << "the object behind the symlink was linked";
  EXPECT_EQ(S.CacheUntrusted, 1u);
  EXPECT_EQ(readFile(Target), Before);
  struct stat St;
  ASSERT_EQ(::lstat(Entry.c_str(), &St), 0);
  EXPECT_TRUE(S_ISREG(St.st_mode)) << "the entry was not rebuilt";
  EXPECT_EQ(addToFreshEngine(Dir, &S).CacheHits, 1u);
  EXPECT_EQ(S.CacheUntrusted, 0u);
}

TEST(CodeCacheTest, EntryOwnedByAnotherUserIsIgnoredCountedAndRebuilt) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "giving a file to another uid needs root";
  TempDir Dir;
  addToFreshEngine(Dir);
  ASSERT_EQ(Dir.files().size(), 1u);
  std::string Entry = Dir.files()[0];
  ASSERT_EQ(::chown(Entry.c_str(), OtherUid, OtherUid), 0);
  EngineStats S;
  EXPECT_EQ(addToFreshEngine(Dir, &S).Compiled, 1u) << "another user's entry was linked";
  EXPECT_EQ(S.CacheUntrusted, 1u);
  struct stat St;
  ASSERT_EQ(::stat(Entry.c_str(), &St), 0);
  EXPECT_EQ(St.st_uid, ::geteuid()) << "the entry was not rebuilt";
  EXPECT_EQ(addToFreshEngine(Dir, &S).CacheHits, 1u);
  EXPECT_EQ(S.CacheUntrusted, 0u);
}

TEST_F(EngineTest, RollbackRepublishesThePreviousVersionWithoutCompiling) {
  mustCommit(Eng->add("f", ir(addFunction("f", 1))));
  mustCommit(Eng->replace("f", ir(addFunction("f", 2))));
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 0)), 2);
  auto R = Eng->rollback("f");
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(R->Compiled, 0u);
  EXPECT_EQ(R->CacheHits, 1u);
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 0)), 1);
  // Rolling back again returns to the version rolled back from.
  mustCommit(Eng->rollback("f"));
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 0)), 2);
  expectError(Eng->rollback("nothing"), ErrorKind::NoSuchModule, {"'nothing'"});
  mustCommit(Eng->add("g", ir(addFunction("g", 1))));
  expectError(Eng->rollback("g"), ErrorKind::NoSuchModule, {"'g'", "no previous version"});
}

class TieredTest : public EngineTest {
protected:
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.OptLevel = 2;
    O.Tiered = true;
    O.BeforeTierUp = [this](llvm::StringRef Module, uint64_t Version) {
      if (BeforeTierUp)
        BeforeTierUp(Module, Version);
    };
    return O;
  }
  std::function<void(llvm::StringRef, uint64_t)> BeforeTierUp;
};

TEST_F(TieredTest, FastVersionIsReplacedByTheOptimisedOneAndReclaimed) {
  auto R = Eng->add("f", ir(addFunction("f", 3)));
  ASSERT_TRUE(!!R);
  EXPECT_EQ(R->OptLevel, 0u);
  uint64_t Tier0 = R->Version;
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 1)), 4);
  Eng->waitForTierUps();
  EXPECT_EQ(Eng->stats().TierUps, 1u) << "no optimised version was swapped in";
  EXPECT_GT(checked(Eng->versionOf("f")), Tier0);
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 1)), 4);
  Eng->waitForReclamation();
  EngineStats S = Eng->stats();
  EXPECT_GE(S.VersionsFreed, 1u) << "the O0 version was not reclaimed";
  EXPECT_GT(S.LastTier0Latency.count(), 0);
  EXPECT_GT(S.LastTierUpLatency.count(), 0);
}

TEST_F(TieredTest, TierUpNeverOverwritesANewerVersion) {
  // The tier-up of version 1 has taken its source when version 2 is
  // committed; it must then be dropped, not published over version 2.
  std::vector<uint64_t> Started;
  BeforeTierUp = [&](llvm::StringRef, uint64_t Version) {
    Started.push_back(Version);
    if (Started.size() == 1)
      mustCommit(Eng->replace("f", ir(addFunction("f", 2))));
  };
  auto V1 = Eng->add("f", ir(addFunction("f", 1)));
  ASSERT_TRUE(!!V1) << llvm::toString(V1.takeError());
  Eng->waitForTierUps();
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 0)), 2);
  ASSERT_EQ(Started.size(), 2u);
  EXPECT_EQ(Started[0], V1->Version);
  EXPECT_EQ(Eng->stats().TierUps, 1u) << "only version 2's tier-up is published";
}

TEST_F(EngineTest, CommitReportBreaksDownItsLatency) {
  auto R = Eng->add("f", ir(addFunction("f", 1)));
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_GT(R->Parse.count(), 0);
  EXPECT_GT(R->Prepare.count(), 0);
  EXPECT_GT(R->Optimize.count(), 0);
  EXPECT_GT(R->Codegen.count(), 0);
  EXPECT_GT(R->Link.count(), 0);
  EXPECT_GT(R->Publish.count(), 0);
  // The wall-clock phases cover the commit without gaps or overlaps.
  EXPECT_EQ(R->Total, R->Parse + R->Prepare + R->Link + R->Publish);
  // One module compiles on one thread, within the link phase.
  EXPECT_LE(R->Optimize + R->Codegen, R->Link);

  // A module linked from the object cache is neither optimised nor compiled.
  mustCommit(Eng->replace("f", ir(addFunction("f", 2))));
  auto Back = Eng->rollback("f");
  ASSERT_TRUE(!!Back) << llvm::toString(Back.takeError());
  EXPECT_EQ(Back->CacheHits, 1u);
  EXPECT_EQ(Back->Optimize.count(), 0);
  EXPECT_EQ(Back->Codegen.count(), 0);
  EXPECT_GT(Back->Link.count(), 0);
}

TEST(CompilePoolTest, HostCappingTbbDoesNotStallCommits) {
  // A host that allows TBB a single thread leaves TBB no worker at all.
  tbb::global_control Cap(tbb::global_control::max_allowed_parallelism, 1);
  EngineOptions O;
  O.CompileThreads = 2;
  auto E = makeEngine(O);
  Batch B = E->batch();
  for (int I = 0; I < 8; ++I)
    B.add("m" + std::to_string(I), ir(addFunction("f" + std::to_string(I), I)));
  auto R = B.commit();
  ASSERT_TRUE(!!R) << llvm::toString(R.takeError());
  EXPECT_EQ(checked(E->call<int(int)>("f7", 1)), 8);
}

} // namespace
