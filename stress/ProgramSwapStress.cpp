// ProgramSwapStress: real programs, not fixtures, kept running while their modules are replaced.
//
// SQLite: each reader thread opens its own in-memory database through the JIT-compiled
// amalgamation (sqlite3.c, one module of about 250k lines), registers a host SQL function
// `mix(x)` (a callback pointer SQLite keeps in the connection before any swap), fills a table
// and prepares its statements once. It then runs them continuously: an indexed point query, an
// aggregate over a join, a window function, JSON and a recursive CTE, every one calling `mix`,
// and checks every row against values computed here in C++. The connections, statements, their
// VDBE programs (which hold function pointers into SQLite's code) and SQLite's global
// configuration all outlive every version of the code that made them.
//
// GoogleTest's samples: other reader threads call sample1.cc's Factorial and IsPrime and
// sample4.cc's Counter::Increment on a long-lived Counter, checking every result.
//
// The writer replaces sqlite3.c, sample1.cc and sample4.cc over and over, alternating two
// differently compiled bitcode files of each (another -O level; results must not change).
// Retired code is quarantined (PROT_NONE, never reused), so a reader left in freed code faults.
// At the end: every result was right, every reader made progress across swaps, every retired
// version was freed, and RSS stayed bounded. Prints the swap latency of each module, p50/p99,
// with callers running.
//
//   ProgramSwapStress --sqlite A.bc B.bc --sample1 A.bc B.bc --sample4 A.bc B.bc
//                     [--sqlite-readers N] [--sample-readers N] [--swaps N] [--opt L]
//
// Exit status: 0 all held; 1 a wrong result or a check failed; 3 bad usage or set-up; 4 a reader
// made no progress.
#include "hotjit/engine/Engine.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace hotjit;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string Sqlite[2], Sample1[2], Sample4[2];
  int SqliteReaders = 3;
  int SampleReaders = 1;
  int Swaps = 12;
  unsigned Opt = 0;
};

[[noreturn]] void usage(const char *Why) {
  std::fprintf(stderr,
               "ProgramSwapStress: %s\nusage: ProgramSwapStress --sqlite A.bc B.bc --sample1 A.bc "
               "B.bc --sample4 A.bc B.bc [--sqlite-readers N] [--sample-readers N] [--swaps N] "
               "[--opt L]\n",
               Why);
  std::exit(3);
}

[[noreturn]] void fail(int Status, const std::string &Why) {
  std::fprintf(stderr, "ProgramSwapStress: %s\n", Why.c_str());
  std::fflush(stderr);
  std::_Exit(Status);
}

template <typename T> T orDie(llvm::Expected<T> E, const std::string &What) {
  if (!E)
    fail(3, What + ": " + llvm::toString(E.takeError()));
  return std::move(*E);
}

size_t residentBytes() {
  std::ifstream In("/proc/self/statm");
  size_t Pages = 0, Resident = 0;
  In >> Pages >> Resident;
  return Resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

// ---- SQLite through the engine ---------------------------------------------------------------

// The SQLite C API, typed as sqlite3.h declares it (opaque handles are pointers).
struct SqliteApi {
  Function<int(const char *, void **)> Open;
  Function<int(void *)> Close;
  Function<int(void *, const char *, void *, void *, char **)> Exec;
  Function<int(void *, const char *, int, void **, const char **)> Prepare;
  Function<int(void *)> Step, Reset, Finalize;
  Function<int(void *, int, int64_t)> BindInt64;
  Function<int64_t(void *, int)> ColumnInt64;
  Function<int(void *, const char *, int, int, void *, void *, void *, void *, void *)>
      CreateFunction;
  Function<int64_t(void *)> ValueInt64;
  Function<void(void *, int64_t)> ResultInt64;
  Function<const char *(void *)> ErrMsg;
};
SqliteApi Api;

constexpr int SqliteOk = 0, SqliteRow = 100, SqliteDone = 101;
constexpr int SqliteUtf8Deterministic = 1 | 0x800;
constexpr int64_t Rows = 200;

/// The host side of `mix(x)`: SQLite calls it through the pointer it was given at registration.
int64_t mix(int64_t X) { return (X * 2654435761LL) % 1000003; }
extern "C" void hostMix(void *Context, int, void **Argv) {
  Api.ResultInt64(Context, mix(Api.ValueInt64(Argv[0])));
}

struct Answers {
  int64_t PointSum[Rows];  // mix(v) + w for id = i.
  int64_t JoinTotal = 0;   // sum(mix(a.v) * b.k) over the join.
  int64_t WindowLast = 0;  // running sum of mix(v) at the last id.
  int64_t CteSum = 0;      // sum of mix(n) for n in 1..100.
  int64_t JsonSum = 0;     // sum over the JSON array.
};

int64_t value(int64_t Id) { return (Id * 37) % 101; }
int64_t weight(int64_t Id) { return Id % 7; }

Answers expectedResults() {
  Answers E;
  int64_t Running = 0;
  for (int64_t I = 0; I < Rows; ++I) {
    E.PointSum[I] = mix(value(I)) + weight(I);
    E.JoinTotal += mix(value(I)) * (I % 5 + 1);
    Running += mix(value(I));
  }
  E.WindowLast = Running;
  for (int64_t N = 1; N <= 100; ++N)
    E.CteSum += mix(N);
  for (int64_t N = 1; N <= 10; ++N)
    E.JsonSum += mix(N * N);
  return E;
}

struct Statement {
  void *Handle = nullptr;
  void prepare(void *Db, const char *Sql) {
    if (Api.Prepare(Db, Sql, -1, &Handle, nullptr) != SqliteOk)
      fail(1, std::string("prepare failed: ") + Api.ErrMsg(Db) + " in: " + Sql);
  }
  /// Steps to the single row of the statement and returns its first column.
  int64_t single(void *Db) {
    int Rc = Api.Step(Handle);
    if (Rc != SqliteRow)
      fail(1, "step returned " + std::to_string(Rc) + ": " + Api.ErrMsg(Db));
    int64_t V = Api.ColumnInt64(Handle, 0);
    if ((Rc = Api.Step(Handle)) != SqliteDone)
      fail(1, "a second row or an error: " + std::to_string(Rc));
    Api.Reset(Handle);
    return V;
  }
};

/// One reader's database, statements and loop; returns the queries it checked.
uint64_t sqliteReader(int Id, const Answers &E, const std::atomic<bool> &Stop,
                      std::atomic<uint64_t> &Progress) {
  void *Db = nullptr;
  if (Api.Open(":memory:", &Db) != SqliteOk)
    fail(1, "sqlite3_open failed");
  if (Api.CreateFunction(Db, "mix", 1, SqliteUtf8Deterministic, nullptr,
                         reinterpret_cast<void *>(&hostMix), nullptr, nullptr, nullptr) != SqliteOk)
    fail(1, std::string("sqlite3_create_function_v2: ") + Api.ErrMsg(Db));
  std::string Fill = "CREATE TABLE a(id INTEGER PRIMARY KEY, v INT, w INT);"
                     "CREATE TABLE b(id INTEGER PRIMARY KEY, k INT);"
                     "CREATE INDEX a_v ON a(v);"
                     "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                     std::to_string(Rows - 1) +
                     ") INSERT INTO a SELECT i, (i * 37) % 101, i % 7 FROM n;"
                     "INSERT INTO b SELECT id, id % 5 + 1 FROM a;";
  char *Err = nullptr;
  if (Api.Exec(Db, Fill.c_str(), nullptr, nullptr, &Err) != SqliteOk)
    fail(1, std::string("filling the tables: ") + (Err ? Err : "?"));

  Statement Point, Join, Window, Cte, Json;
  Point.prepare(Db, "SELECT mix(v) + w FROM a WHERE id = ?1");
  Join.prepare(Db, "SELECT sum(mix(a.v) * b.k) FROM a JOIN b USING (id)");
  Window.prepare(Db, "SELECT s FROM (SELECT id, sum(mix(v)) OVER (ORDER BY id) AS s FROM a) "
                     "ORDER BY id DESC LIMIT 1");
  Cte.prepare(Db, "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 100) "
                  "SELECT sum(mix(n)) FROM c");
  Json.prepare(Db, "SELECT sum(mix(value)) FROM json_each("
                   "'[1,4,9,16,25,36,49,64,81,100]')");

  uint64_t Checked = 0;
  for (int64_t Round = 0; !Stop.load(std::memory_order_relaxed); ++Round) {
    int64_t Row = (Round * 13 + Id) % Rows;
    Api.BindInt64(Point.Handle, 1, Row);
    auto check = [&](const char *What, int64_t Got, int64_t Want) {
      if (Got != Want)
        fail(1, std::string("sqlite reader ") + std::to_string(Id) + ": " + What + " gave " +
                    std::to_string(Got) + ", expected " + std::to_string(Want));
    };
    check("point query", Point.single(Db), E.PointSum[Row]);
    switch (Round % 4) {
    case 0: check("join", Join.single(Db), E.JoinTotal); break;
    case 1: check("window", Window.single(Db), E.WindowLast); break;
    case 2: check("recursive CTE", Cte.single(Db), E.CteSum); break;
    case 3: check("json_each", Json.single(Db), E.JsonSum); break;
    }
    Checked += 2;
    Progress.fetch_add(1, std::memory_order_relaxed);
  }
  for (Statement *S : {&Point, &Join, &Window, &Cte, &Json})
    Api.Finalize(S->Handle);
  if (Api.Close(Db) != SqliteOk)
    fail(1, "sqlite3_close failed");
  return Checked;
}

// ---- GoogleTest's samples ----------------------------------------------------------------------

uint64_t sampleReader(Engine &Eng, const std::atomic<bool> &Stop,
                      std::atomic<uint64_t> &Progress) {
  auto Factorial = orDie(Eng.lookup<int(int)>("_Z9Factoriali"), "Factorial");
  auto IsPrime = orDie(Eng.lookup<bool(int)>("_Z7IsPrimei"), "IsPrime");
  auto Increment = orDie(Eng.lookup<int(void *)>("_ZN7Counter9IncrementEv"), "Counter::Increment");
  int CounterObject = 0; // sample4's Counter: one int, value 0 at construction.
  uint64_t Checked = 0;
  for (int Round = 0; !Stop.load(std::memory_order_relaxed); ++Round) {
    int N = Round % 13;
    int Want = 1;
    for (int K = 2; K <= N; ++K)
      Want *= K;
    if (Factorial(N) != Want)
      fail(1, "Factorial(" + std::to_string(N) + ") gave " + std::to_string(Factorial(N)));
    int P = Round % 1000;
    bool Prime = P > 1;
    for (int D = 2; D * D <= P && Prime; ++D)
      Prime = P % D != 0;
    if (IsPrime(P) != Prime)
      fail(1, "IsPrime(" + std::to_string(P) + ") is wrong");
    if (Increment(&CounterObject) != Round)
      fail(1, "Counter::Increment returned the wrong count at round " + std::to_string(Round));
    Checked += 3;
    Progress.fetch_add(1, std::memory_order_relaxed);
  }
  return Checked;
}

double percentile(std::vector<double> V, double P) {
  if (V.empty())
    return 0;
  std::sort(V.begin(), V.end());
  return V[static_cast<size_t>(std::min<double>(V.size() - 1, P * (V.size() - 1) + 0.5))];
}

} // namespace

int main(int Argc, char **Argv) {
  Options O;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    auto pair = [&](std::string (&Into)[2]) {
      if (I + 2 >= Argc)
        usage((A + " needs two files").c_str());
      Into[0] = Argv[++I];
      Into[1] = Argv[++I];
    };
    auto number = [&] {
      if (I + 1 >= Argc)
        usage((A + " needs a number").c_str());
      return std::atoi(Argv[++I]);
    };
    if (A == "--sqlite")
      pair(O.Sqlite);
    else if (A == "--sample1")
      pair(O.Sample1);
    else if (A == "--sample4")
      pair(O.Sample4);
    else if (A == "--sqlite-readers")
      O.SqliteReaders = number();
    else if (A == "--sample-readers")
      O.SampleReaders = number();
    else if (A == "--swaps")
      O.Swaps = number();
    else if (A == "--opt")
      O.Opt = static_cast<unsigned>(number());
    else
      usage(("unknown argument " + A).c_str());
  }
  if (O.Sqlite[0].empty() || O.Sample1[0].empty() || O.Sample4[0].empty())
    usage("--sqlite, --sample1 and --sample4 are required");

  EngineOptions EO;
  EO.OptLevel = O.Opt;
  EO.QuarantineRetiredCode = true; // A stale pointer into freed code faults.
  EO.DebugInfoRegistration = false;
  auto Eng = orDie(Engine::create(EO), "creating the engine");

  auto T0 = Clock::now();
  Batch B = Eng->batch();
  B.add("sqlite3.c", ModuleSource::fromFile(O.Sqlite[0]));
  B.add("sample1.cc", ModuleSource::fromFile(O.Sample1[0]));
  B.add("sample4.cc", ModuleSource::fromFile(O.Sample4[0]));
  orDie(B.commit(), "loading the programs");
  std::printf("loaded sqlite3.c, sample1.cc, sample4.cc in %.0f ms\n",
              std::chrono::duration<double, std::milli>(Clock::now() - T0).count());

  Api.Open = orDie(Eng->lookup<int(const char *, void **)>("sqlite3_open"), "sqlite3_open");
  Api.Close = orDie(Eng->lookup<int(void *)>("sqlite3_close"), "sqlite3_close");
  Api.Exec = orDie(Eng->lookup<int(void *, const char *, void *, void *, char **)>("sqlite3_exec"),
                   "sqlite3_exec");
  Api.Prepare = orDie(Eng->lookup<int(void *, const char *, int, void **, const char **)>(
                          "sqlite3_prepare_v2"),
                      "sqlite3_prepare_v2");
  Api.Step = orDie(Eng->lookup<int(void *)>("sqlite3_step"), "sqlite3_step");
  Api.Reset = orDie(Eng->lookup<int(void *)>("sqlite3_reset"), "sqlite3_reset");
  Api.Finalize = orDie(Eng->lookup<int(void *)>("sqlite3_finalize"), "sqlite3_finalize");
  Api.BindInt64 =
      orDie(Eng->lookup<int(void *, int, int64_t)>("sqlite3_bind_int64"), "sqlite3_bind_int64");
  Api.ColumnInt64 =
      orDie(Eng->lookup<int64_t(void *, int)>("sqlite3_column_int64"), "sqlite3_column_int64");
  Api.CreateFunction =
      orDie(Eng->lookup<int(void *, const char *, int, int, void *, void *, void *, void *,
                            void *)>("sqlite3_create_function_v2"),
            "sqlite3_create_function_v2");
  Api.ValueInt64 = orDie(Eng->lookup<int64_t(void *)>("sqlite3_value_int64"), "sqlite3_value_int64");
  Api.ResultInt64 =
      orDie(Eng->lookup<void(void *, int64_t)>("sqlite3_result_int64"), "sqlite3_result_int64");
  Api.ErrMsg = orDie(Eng->lookup<const char *(void *)>("sqlite3_errmsg"), "sqlite3_errmsg");

  const Answers Want = expectedResults();
  std::atomic<bool> Stop{false};
  const int Readers = O.SqliteReaders + O.SampleReaders;
  std::vector<std::atomic<uint64_t>> Progress(Readers);
  std::vector<uint64_t> Checked(Readers);
  std::vector<std::thread> Threads;
  for (int R = 0; R < O.SqliteReaders; ++R)
    Threads.emplace_back([&, R] { Checked[R] = sqliteReader(R, Want, Stop, Progress[R]); });
  for (int R = O.SqliteReaders; R < Readers; ++R)
    Threads.emplace_back([&, R] { Checked[R] = sampleReader(*Eng, Stop, Progress[R]); });

  // Every reader has to get going before the first swap, and make progress after each one.
  auto waitForEveryReader = [&](int Swap) {
    std::vector<uint64_t> Before(Readers);
    for (int R = 0; R < Readers; ++R)
      Before[R] = Progress[R].load();
    const auto Deadline = Clock::now() + std::chrono::seconds(300);
    for (int R = 0; R < Readers; ++R)
      while (Progress[R].load() < Before[R] + 2) {
        if (Clock::now() > Deadline)
          fail(4, "reader " + std::to_string(R) + " made no progress after swap " +
                      std::to_string(Swap));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
  };
  waitForEveryReader(0);
  const size_t RssStart = residentBytes();
  size_t RssMax = RssStart;

  struct Target {
    const char *Module;
    const std::string *Files;
    std::vector<double> Ms;
  } Targets[] = {{"sqlite3.c", O.Sqlite, {}},
                 {"sample1.cc", O.Sample1, {}},
                 {"sample4.cc", O.Sample4, {}}};
  // What a swap of the huge module costs its callers: SQLite queries per second while
  // sqlite3.c is being replaced (the compile takes CPU from them) and in a quiet window after.
  auto sqliteQueries = [&] {
    uint64_t N = 0;
    for (int R = 0; R < O.SqliteReaders; ++R)
      N += Progress[R].load();
    return N;
  };
  double SwapSeconds = 0, QuietSeconds = 0;
  uint64_t SwapQueries = 0, QuietQueries = 0;
  for (int S = 1; S <= O.Swaps; ++S) {
    for (Target &T : Targets) {
      const uint64_t Before = sqliteQueries();
      auto Start = Clock::now();
      orDie(Eng->replace(T.Module, ModuleSource::fromFile(T.Files[S % 2])),
            std::string("replacing ") + T.Module);
      std::chrono::duration<double> Took = Clock::now() - Start;
      T.Ms.push_back(Took.count() * 1000);
      if (&T == &Targets[0]) {
        SwapSeconds += Took.count();
        SwapQueries += sqliteQueries() - Before;
      }
    }
    waitForEveryReader(S);
    const uint64_t Before = sqliteQueries();
    auto Start = Clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    QuietSeconds += std::chrono::duration<double>(Clock::now() - Start).count();
    QuietQueries += sqliteQueries() - Before;
    RssMax = std::max(RssMax, residentBytes());
  }
  Stop = true;
  for (std::thread &T : Threads)
    T.join();
  Eng->waitForReclamation();
  EngineStats St = Eng->stats();

  uint64_t SqliteChecked = 0, SampleChecked = 0;
  for (int R = 0; R < Readers; ++R)
    (R < O.SqliteReaders ? SqliteChecked : SampleChecked) += Checked[R];
  std::printf("%d swaps of each module; %d SQLite readers checked %llu query results, %d sample "
              "readers %llu call results: all correct\n",
              O.Swaps, O.SqliteReaders, static_cast<unsigned long long>(SqliteChecked),
              O.SampleReaders, static_cast<unsigned long long>(SampleChecked));
  for (Target &T : Targets)
    std::printf("swap latency %-11s p50 %8.1f ms  p99 %8.1f ms\n", T.Module,
                percentile(T.Ms, 0.5), percentile(T.Ms, 0.99));
  std::printf("SQLite queries/s: %.0f while sqlite3.c was being replaced, %.0f between swaps\n",
              SwapQueries / std::max(SwapSeconds, 1e-9), QuietQueries / std::max(QuietSeconds, 1e-9));
  std::printf("versions retired %llu, freed %llu; RSS %.1f MiB after start-up, at most %.1f MiB\n",
              static_cast<unsigned long long>(St.VersionsRetired),
              static_cast<unsigned long long>(St.VersionsFreed), RssStart / 1048576.0,
              RssMax / 1048576.0);
  const uint64_t Replaced = 3ull * static_cast<uint64_t>(O.Swaps);
  if (St.VersionsRetired != Replaced || St.VersionsFreed != Replaced)
    fail(1, "expected " + std::to_string(Replaced) + " versions retired and freed");
  // Quarantined code keeps its address space but gives its pages back: resident memory may
  // not grow with the number of swaps beyond allocator slack.
  const size_t Bound = RssStart + RssStart / 2 + (size_t(64) << 20);
  if (RssMax > Bound)
    fail(1, "RSS grew to " + std::to_string(RssMax >> 20) + " MiB (bound " +
                std::to_string(Bound >> 20) + " MiB)");
  return 0;
}
