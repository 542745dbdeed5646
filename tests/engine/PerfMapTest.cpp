// The perf map lists exactly the live versions ("f [v8]") at their code's
// address ranges, is superseded when code is freed, costs nothing when off,
// never writes through a file or symlink planted in /tmp, and perf finds a JIT
// function by name.
#include "EngineTestCommon.h"

#include "llvm/ADT/StringExtras.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <glob.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hotjit;
using namespace hotjit::test;

namespace {

std::string mapPath() { return "/tmp/perf-" + std::to_string(::getpid()) + ".map"; }

struct MapLine {
  uint64_t Start, Size;
  std::string Name;
};

std::vector<MapLine> readMap(const std::string &Path) {
  std::vector<MapLine> Lines;
  std::ifstream In(Path);
  std::string Line;
  while (std::getline(In, Line)) {
    llvm::StringRef L(Line);
    auto [Start, Rest] = L.split(' ');
    auto [Size, Name] = Rest.split(' ');
    MapLine M{};
    EXPECT_FALSE(Start.getAsInteger(16, M.Start)) << Line;
    EXPECT_FALSE(Size.getAsInteger(16, M.Size)) << Line;
    M.Name = Name.str();
    Lines.push_back(M);
  }
  return Lines;
}

/// A file that planted symlinks point at; it must never change.
class Victim {
public:
  Victim() {
    char Name[] = "/tmp/hotjit-victim-XXXXXX";
    int Fd = ::mkstemp(Name);
    EXPECT_GE(Fd, 0);
    EXPECT_EQ(::write(Fd, Text, sizeof(Text) - 1), ssize_t(sizeof(Text) - 1));
    ::close(Fd);
    Path = Name;
  }
  ~Victim() { ::unlink(Path.c_str()); }
  bool unchanged() const {
    std::ifstream In(Path);
    std::stringstream S;
    S << In.rdbuf();
    return S.str() == Text;
  }
  static constexpr char Text[] = "not a perf map\n";
  std::string Path;
};

/// Files in /tmp whose names start with the map's name and go on.
size_t filesBesideTheMap() {
  glob_t G;
  if (::glob((mapPath() + "?*").c_str(), 0, nullptr, &G) != 0)
    return 0;
  size_t N = G.gl_pathc;
  ::globfree(&G);
  return N;
}

void *implementationBehind(void *Stub) {
  auto *P = static_cast<const uint8_t *>(Stub);
  int32_t Disp;
  std::memcpy(&Disp, P + 2, 4);
  return *reinterpret_cast<void *const *>(P + 6 + Disp);
}

class PerfMapTest : public EngineTest {
protected:
  void SetUp() override {
    ::unlink(mapPath().c_str());
    EngineTest::SetUp();
  }
  void TearDown() override {
    EngineTest::TearDown();
    ::unlink(mapPath().c_str());
  }
  EngineOptions options() override {
    EngineOptions O = EngineTest::options();
    O.PerfMap = true;
    O.QuarantineRetiredCode = true; // No address reuse: freed ranges stay distinct.
    return O;
  }
  /// The one line named \p Name, which must hold the code behind \p Function's
  /// stub.
  void expectLiveAt(const std::vector<MapLine> &Map, const std::string &Name,
                    const std::string &Function) {
    auto Impl =
        reinterpret_cast<uint64_t>(implementationBehind(checked(Eng->lookupAddress(Function))));
    int Found = 0;
    for (const MapLine &L : Map)
      if (L.Name == Name) {
        ++Found;
        EXPECT_EQ(L.Start, Impl) << Name << " does not start at the published code";
        EXPECT_GT(L.Size, 0u);
      }
    EXPECT_EQ(Found, 1) << "lines named '" << Name << "'";
  }
};

TEST_F(PerfMapTest, ListsLiveVersionsAndDropsFreedOnes) {
  mustCommit(Eng->add("fm", ir(addFunction("f", 1))));
  mustCommit(Eng->add("gm", ir(addFunction("g", 2))));
  uint64_t VF = checked(Eng->versionOf("f")), VG = checked(Eng->versionOf("g"));
  auto Map = readMap(mapPath());
  expectLiveAt(Map, "f [v" + std::to_string(VF) + "]", "f");
  expectLiveAt(Map, "g [v" + std::to_string(VG) + "]", "g");

  mustCommit(Eng->replace("fm", ir(addFunction("f", 10))));
  uint64_t VF2 = checked(Eng->versionOf("f"));
  Eng->waitForReclamation(); // Frees f's old version and brings the map up to
                             // date.
  Map = readMap(mapPath());
  expectLiveAt(Map, "f [v" + std::to_string(VF2) + "]", "f");
  expectLiveAt(Map, "g [v" + std::to_string(VG) + "]", "g");
  for (const MapLine &L : Map)
    EXPECT_NE(L.Name, "f [v" + std::to_string(VF) + "]") << "freed version still listed";
  // No two lines claim the same bytes.
  std::sort(Map.begin(), Map.end(),
            [](const MapLine &A, const MapLine &B) { return A.Start < B.Start; });
  for (size_t I = 1; I < Map.size(); ++I)
    EXPECT_LE(Map[I - 1].Start + Map[I - 1].Size, Map[I].Start)
        << Map[I - 1].Name << " overlaps " << Map[I].Name;
  EXPECT_EQ(checked(Eng->call<int(int)>("f", 1)), 11);
}

TEST_F(PerfMapTest, RemovedModuleLeavesTheMap) {
  mustCommit(Eng->add("fm", ir(addFunction("f", 1))));
  mustCommit(Eng->add("gm", ir(addFunction("g", 2))));
  mustCommit(Eng->remove("gm"));
  Eng->waitForReclamation();
  auto Map = readMap(mapPath());
  ASSERT_EQ(Map.size(), 1u);
  EXPECT_EQ(Map[0].Name, "f [v" + std::to_string(checked(Eng->versionOf("f"))) + "]");
}

TEST_F(PerfMapTest, EngineDestructionKeepsTheLastLiveFunctionsForPerf) {
  mustCommit(Eng->add("fm", ir(addFunction("f", 1))));
  std::string Name = "f [v" + std::to_string(checked(Eng->versionOf("f"))) + "]";
  Eng.reset();
  auto Map = readMap(mapPath());
  ASSERT_EQ(Map.size(), 1u);
  EXPECT_EQ(Map[0].Name, Name);
}

TEST_F(PerfMapTest, SymlinkAtAPredictableTemporaryNameIsNeverFollowed) {
  Victim V;
  std::string Planted = mapPath() + ".tmp";
  ::unlink(Planted.c_str());
  ASSERT_EQ(::symlink(V.Path.c_str(), Planted.c_str()), 0);
  mustCommit(Eng->add("fm", ir(addFunction("f", 1))));
  mustCommit(Eng->replace("fm", ir(addFunction("f", 2))));
  Eng->waitForReclamation(); // Rewrites the map without the freed version.
  EXPECT_TRUE(V.unchanged()) << "the map was written through " << Planted;
  auto Map = readMap(mapPath());
  EXPECT_EQ(Map.size(), 1u);
  expectLiveAt(Map, "f [v" + std::to_string(checked(Eng->versionOf("f"))) + "]", "f");
  ::unlink(Planted.c_str());
}

TEST_F(PerfMapTest, SymlinkAtTheMapIsReplacedNotFollowed) {
  Victim V;
  ASSERT_EQ(::symlink(V.Path.c_str(), mapPath().c_str()), 0);
  mustCommit(Eng->add("fm", ir(addFunction("f", 1))));
  EXPECT_TRUE(V.unchanged()) << "the map was written through a symlink";
  struct stat St;
  ASSERT_EQ(::lstat(mapPath().c_str(), &St), 0);
  EXPECT_TRUE(S_ISREG(St.st_mode)) << mapPath() << " is not a file of its own";
  expectLiveAt(readMap(mapPath()), "f [v" + std::to_string(checked(Eng->versionOf("f"))) + "]",
               "f");
}

TEST_F(PerfMapTest, MapThatCannotBeWrittenIsCountedAndWrittenLater) {
  ASSERT_EQ(::mkdir(mapPath().c_str(), 0700), 0); // Nothing renames over it.
  uint64_t Before = Eng->stats().PerfMapFailures;
  mustCommit(Eng->add("fm", ir(addFunction("f", 1))));
  EXPECT_GT(Eng->stats().PerfMapFailures, Before);
  EXPECT_EQ(filesBesideTheMap(), 0u) << "a temporary was left behind";
  ASSERT_EQ(::rmdir(mapPath().c_str()), 0);
  Eng->waitForReclamation(); // Writes the map that is missing.
  expectLiveAt(readMap(mapPath()), "f [v" + std::to_string(checked(Eng->versionOf("f"))) + "]",
               "f");
}

TEST(PerfMapOffTest, WritesNoFile) {
  ::unlink(mapPath().c_str());
  auto E = Engine::create(); // PerfMap is off by default.
  ASSERT_TRUE(!!E);
  ASSERT_TRUE(!!(*E)->add("fm", ir(addFunction("f", 1))));
  EXPECT_NE(::access(mapPath().c_str(), F_OK), 0) << mapPath() << " exists";
}

std::pair<int, std::string> run(const std::string &Command) {
  std::string Out;
  FILE *P = ::popen((Command + " 2>&1").c_str(), "r");
  if (!P)
    return {-1, "popen failed"};
  std::array<char, 4096> Buf;
  while (size_t N = std::fread(Buf.data(), 1, Buf.size(), P))
    Out.append(Buf.data(), N);
  int Status = ::pclose(P);
  return {WIFEXITED(Status) ? WEXITSTATUS(Status) : -1, Out};
}

TEST(PerfTest, PerfReportFindsTheJitFunctionByName) {
  HOTJIT_REQUIRE_TOOL(run("perf --version").first == 0,
                      "perf is not installed (Debian package linux-perf)");
  if (std::string Why = perfEventsRefused(); !Why.empty())
    GTEST_SKIP() << "the kernel refuses user-space sampling here: " << Why;
  char Dir[] = "/tmp/hotjit-perf-XXXXXX";
  ASSERT_NE(::mkdtemp(Dir), nullptr);
  std::string Data = std::string(Dir) + "/perf.data";
  auto [Status, Out] = run("timeout 120 perf record -q -e cpu-clock:u -F 2000 -o " + Data +
                           " -- '" HOTJIT_OBSERVED_PROGRAM "' perf 700");
  if (Status != 0) {
    run("rm -rf " + std::string(Dir));
    FAIL() << "perf record failed:\n" << Out;
  }
  int Pid = 0;
  if (size_t At = Out.find("pid "); At != std::string::npos)
    Pid = std::atoi(Out.c_str() + At + 4);
  auto [RStatus, Report] =
      run("timeout 120 perf report -i " + Data + " --stdio --sort symbol 2>/dev/null");
  run("rm -rf " + std::string(Dir));
  if (Pid)
    ::unlink(("/tmp/perf-" + std::to_string(Pid) + ".map").c_str());
  ASSERT_EQ(RStatus, 0) << Report;
  EXPECT_NE(Report.find("hot_spin [v1]"), std::string::npos)
      << "perf report does not name the JIT function:\n"
      << Report;
}

} // namespace
