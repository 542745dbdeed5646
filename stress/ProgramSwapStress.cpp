// ProgramSwapStress: real programs, not fixtures, kept running while their modules are replaced.
//
// Each workload is optional; a run has at least one.
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
// Lua 5.4 (one module per file of its sources, a directory of bitcode): each reader thread owns a
// lua_State that outlives every version of the interpreter, loads a chunk once and calls its
// function `work(n)` (tables, sort, string patterns and formatting, closures, garbage) over and
// over, checking each result against the one the first version gave.
//
// zstd (likewise one module per file): each reader thread owns a compression context with two
// worker threads of zstd's own pool (threads the JIT code starts, which call JIT code through
// function pointers), compresses 1.5 MB in 512 KB jobs and decompresses it, checking that the
// frame is the one the first version made and that the round trip gives the input back.
//
// The writer replaces the swapped modules over and over, alternating two differently compiled
// bitcode files of each (another -O level; results must not change). For Lua and zstd those are
// the files of the second directory (their hot files, compiled with -g like the first).
// Retired code is quarantined (PROT_NONE, never reused), so a reader left in freed code faults.
// At the end: every result was right, every reader made progress across swaps, every retired
// version was freed, and RSS stayed bounded. Prints the swap latency of each module, p50/p99,
// with callers running.
//
//   ProgramSwapStress [--sqlite A.bc B.bc] [--sample1 A.bc B.bc --sample4 A.bc B.bc]
//                     [--lua DIR_A DIR_B] [--zstd DIR_A DIR_B]
//                     [--sqlite-readers N] [--sample-readers N] [--lua-readers N]
//                     [--zstd-readers N] [--swaps N] [--opt L] [--partial | --whole]
//
// --partial: the two versions of each module differ in a few functions (an edit): every swap
// must recompile fewer than a tenth of the module's functions and keep the others' code
// (EngineOptions::PartialReplacement); prints how many were recompiled and kept. --whole: every
// swap recompiles its whole module (PartialReplacement off), to compare against.
//
// DIR_A holds NAME.bc for every file of the program (module NAME); DIR_B holds NAME.bc for the
// files to swap.
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
#include <filesystem>
#include <fstream>
#include <malloc.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace hotjit;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string Sqlite[2], Sample1[2], Sample4[2], Lua[2], Zstd[2];
  int SqliteReaders = 3;
  int SampleReaders = 1;
  int LuaReaders = 2;
  int ZstdReaders = 1;
  int Swaps = 12;
  unsigned Opt = 0;
  bool Partial = false, Whole = false;
};

[[noreturn]] void usage(const char *Why) {
  std::fprintf(stderr,
               "ProgramSwapStress: %s\nusage: ProgramSwapStress [--sqlite A.bc B.bc] [--sample1 "
               "A.bc B.bc --sample4 A.bc B.bc] [--lua DIR_A DIR_B] [--zstd DIR_A DIR_B] "
               "[--sqlite-readers N] [--sample-readers N] [--lua-readers N] [--zstd-readers N] "
               "[--swaps N] [--opt L]\n",
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
  int64_t PointSum[Rows]; // mix(v) + w for id = i.
  int64_t JoinTotal = 0;  // sum(mix(a.v) * b.k) over the join.
  int64_t WindowLast = 0; // running sum of mix(v) at the last id.
  int64_t CteSum = 0;     // sum of mix(n) for n in 1..100.
  int64_t JsonSum = 0;    // sum over the JSON array.
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
    case 0:
      check("join", Join.single(Db), E.JoinTotal);
      break;
    case 1:
      check("window", Window.single(Db), E.WindowLast);
      break;
    case 2:
      check("recursive CTE", Cte.single(Db), E.CteSum);
      break;
    case 3:
      check("json_each", Json.single(Db), E.JsonSum);
      break;
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

uint64_t sampleReader(Engine &Eng, const std::atomic<bool> &Stop, std::atomic<uint64_t> &Progress) {
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

// ---- Lua and zstd: one module per file -------------------------------------------------------

/// A program given as a directory of bitcode, one file per module, and the modules to swap.
struct ModuleDirs {
  std::vector<std::pair<std::string, std::string>> Load; ///< Module name, first version.
  std::vector<std::pair<std::string, std::string>> Swap; ///< Module name, second version.
};

ModuleDirs readModuleDirs(const std::string (&Dirs)[2]) {
  namespace fs = std::filesystem;
  ModuleDirs M;
  for (int V = 0; V < 2; ++V) {
    std::error_code EC;
    for (const fs::directory_entry &E : fs::directory_iterator(Dirs[V], EC))
      if (E.path().extension() == ".bc")
        (V ? M.Swap : M.Load).emplace_back(E.path().stem().string(), E.path().string());
    if (EC)
      fail(3, "cannot read " + Dirs[V] + ": " + EC.message());
  }
  std::sort(M.Load.begin(), M.Load.end());
  std::sort(M.Swap.begin(), M.Swap.end());
  if (M.Load.empty() || M.Swap.empty())
    fail(3, "no bitcode in " + Dirs[0] + " or " + Dirs[1]);
  return M;
}

// The Lua C API that a host uses (macros such as lua_pcall expand to these), typed as lua.h
// declares them: lua_Integer is long long, lua_KContext intptr_t.
struct LuaApi {
  Function<void *()> NewState;
  Function<void(void *)> OpenLibs, Close;
  Function<int(void *, const char *)> LoadString;
  Function<int(void *, int, int, int, intptr_t, void *)> PCallK;
  Function<int(void *, const char *)> GetGlobal;
  Function<void(void *, long long)> PushInteger;
  Function<long long(void *, int, int *)> ToIntegerX;
  Function<const char *(void *, int, size_t *)> ToLString;
  Function<void(void *, int)> SetTop;
};
LuaApi Lua;

const char *const LuaChunk = R"(
function work(n)
  local t = {}
  for i = 1, 300 do t[i] = (i * (n + 7)) % 211 end
  table.sort(t, function(a, b) return a > b end)
  local s = table.concat(t, ",", 1, 40)
  local acc = 0
  for w in s:gmatch("%d+") do acc = acc + tonumber(w) end
  local parts = {}
  for i = 1, n % 9 + 1 do parts[i] = string.format("%d:%s", i, ("x"):rep(i)) end
  local counter = (function() local c = 0; return function() c = c + n; return c end end)()
  counter(); counter()
  return acc * 100000 + #table.concat(parts, ";") * 100 + counter()
end
)";

/// One reader's lua_State and loop; returns the calls it checked.
uint64_t luaReader(int Id, const std::atomic<bool> &Stop, std::atomic<uint64_t> &Progress) {
  void *L = Lua.NewState();
  if (!L)
    fail(1, "luaL_newstate failed");
  Lua.OpenLibs(L);
  auto call = [&](const char *What, int Args) {
    if (Lua.PCallK(L, Args, 1, 0, 0, nullptr) != 0)
      fail(1, std::string("lua reader ") + std::to_string(Id) + ": " + What + ": " +
                  Lua.ToLString(L, -1, nullptr));
  };
  if (Lua.LoadString(L, LuaChunk) != 0)
    fail(1, std::string("luaL_loadstring: ") + Lua.ToLString(L, -1, nullptr));
  call("the chunk", 0);
  Lua.SetTop(L, 0);
  constexpr int Inputs = 64;
  long long Want[Inputs];
  uint64_t Checked = 0;
  for (int64_t Round = 0; !Stop.load(std::memory_order_relaxed); ++Round) {
    int N = static_cast<int>((Round + Id) % Inputs);
    Lua.GetGlobal(L, "work");
    Lua.PushInteger(L, N);
    call("work(n)", 1);
    int IsNumber = 0;
    long long Got = Lua.ToIntegerX(L, -1, &IsNumber);
    Lua.SetTop(L, 0);
    if (!IsNumber)
      fail(1, "lua reader " + std::to_string(Id) + ": work(" + std::to_string(N) +
                  ") returned no integer");
    if (Round < Inputs) // Before the first swap (every reader runs a while before it).
      Want[N] = Got;
    else if (Got != Want[N])
      fail(1, "lua reader " + std::to_string(Id) + ": work(" + std::to_string(N) + ") gave " +
                  std::to_string(Got) + ", first " + std::to_string(Want[N]));
    ++Checked;
    if (Round >= Inputs)
      Progress.fetch_add(1, std::memory_order_relaxed);
  }
  Lua.Close(L);
  return Checked;
}

// zstd's advanced compression API (zstd.h); enums are int.
struct ZstdApi {
  Function<void *()> CreateCCtx;
  Function<size_t(void *)> FreeCCtx;
  Function<size_t(void *, int, int)> SetParameter;
  Function<size_t(void *, void *, size_t, const void *, size_t)> Compress2;
  Function<size_t(void *, size_t, const void *, size_t)> Decompress;
  Function<size_t(size_t)> CompressBound;
  Function<unsigned(size_t)> IsError;
  Function<const char *(size_t)> ErrorName;
};
ZstdApi Zstd;
constexpr int ZstdLevel = 100, ZstdWorkers = 400, ZstdJobSize = 401;

/// 1.5 MB of text-like data with repeats near and far.
std::string zstdInput() {
  std::string In;
  uint64_t X = 88172645463325252ull;
  while (In.size() < (3u << 19)) {
    X ^= X << 13, X ^= X >> 7, X ^= X << 17;
    if (X % 5 == 0 && In.size() > 4096) {
      size_t From = In.size() - 1 - X % 4000, Len = 8 + X % 64;
      for (size_t I = 0; I < Len; ++I)
        In.push_back(In[From + I]);
    } else {
      In.push_back(static_cast<char>('a' + X % 26));
      if (X % 7 == 0)
        In.push_back(' ');
    }
  }
  return In;
}

/// One reader's compression context (with its pool of two workers) and loop.
uint64_t zstdReader(int Id, const std::string &In, const std::atomic<bool> &Stop,
                    std::atomic<uint64_t> &Progress) {
  void *CCtx = Zstd.CreateCCtx();
  auto check = [&](size_t R, const char *What) {
    if (Zstd.IsError(R))
      fail(1, "zstd reader " + std::to_string(Id) + ": " + What + ": " + Zstd.ErrorName(R));
    return R;
  };
  check(Zstd.SetParameter(CCtx, ZstdLevel, 5), "compression level");
  check(Zstd.SetParameter(CCtx, ZstdWorkers, 2), "workers (built without ZSTD_MULTITHREAD?)");
  check(Zstd.SetParameter(CCtx, ZstdJobSize, 512 << 10), "job size");
  std::string Frame(Zstd.CompressBound(In.size()), '\0'), First, Out(In.size(), '\0');
  uint64_t Checked = 0;
  for (int64_t Round = 0; !Stop.load(std::memory_order_relaxed); ++Round) {
    size_t N = check(Zstd.Compress2(CCtx, Frame.data(), Frame.size(), In.data(), In.size()),
                     "ZSTD_compress2");
    if (Round == 0)
      First.assign(Frame.data(), N);
    else if (N != First.size() || std::memcmp(Frame.data(), First.data(), N) != 0)
      fail(1, "zstd reader " + std::to_string(Id) + ": the frame changed (" + std::to_string(N) +
                  " bytes, first " + std::to_string(First.size()) + ")");
    size_t M = check(Zstd.Decompress(Out.data(), Out.size(), Frame.data(), N), "ZSTD_decompress");
    if (M != In.size() || Out != In)
      fail(1, "zstd reader " + std::to_string(Id) + ": the round trip lost data");
    Checked += 2;
    Progress.fetch_add(1, std::memory_order_relaxed);
  }
  Zstd.FreeCCtx(CCtx);
  return Checked;
}

double percentile(std::vector<double> V, double P) {
  if (V.empty())
    return 0;
  std::sort(V.begin(), V.end());
  return V[static_cast<size_t>(std::min<double>(V.size() - 1, P * (V.size() - 1) + 0.5))];
}

/// Looks up every function of an API by name, failing with the name.
template <typename Sig> void bind(Engine &Eng, Function<Sig> &Into, const char *Name) {
  Into = orDie(Eng.lookup<Sig>(Name), Name);
}

void bindSqlite(Engine &Eng) {
  bind(Eng, Api.Open, "sqlite3_open");
  bind(Eng, Api.Close, "sqlite3_close");
  bind(Eng, Api.Exec, "sqlite3_exec");
  bind(Eng, Api.Prepare, "sqlite3_prepare_v2");
  bind(Eng, Api.Step, "sqlite3_step");
  bind(Eng, Api.Reset, "sqlite3_reset");
  bind(Eng, Api.Finalize, "sqlite3_finalize");
  bind(Eng, Api.BindInt64, "sqlite3_bind_int64");
  bind(Eng, Api.ColumnInt64, "sqlite3_column_int64");
  bind(Eng, Api.CreateFunction, "sqlite3_create_function_v2");
  bind(Eng, Api.ValueInt64, "sqlite3_value_int64");
  bind(Eng, Api.ResultInt64, "sqlite3_result_int64");
  bind(Eng, Api.ErrMsg, "sqlite3_errmsg");
}

void bindLua(Engine &Eng) {
  bind(Eng, Lua.NewState, "luaL_newstate");
  bind(Eng, Lua.OpenLibs, "luaL_openlibs");
  bind(Eng, Lua.Close, "lua_close");
  bind(Eng, Lua.LoadString, "luaL_loadstring");
  bind(Eng, Lua.PCallK, "lua_pcallk");
  bind(Eng, Lua.GetGlobal, "lua_getglobal");
  bind(Eng, Lua.PushInteger, "lua_pushinteger");
  bind(Eng, Lua.ToIntegerX, "lua_tointegerx");
  bind(Eng, Lua.ToLString, "lua_tolstring");
  bind(Eng, Lua.SetTop, "lua_settop");
}

void bindZstd(Engine &Eng) {
  bind(Eng, Zstd.CreateCCtx, "ZSTD_createCCtx");
  bind(Eng, Zstd.FreeCCtx, "ZSTD_freeCCtx");
  bind(Eng, Zstd.SetParameter, "ZSTD_CCtx_setParameter");
  bind(Eng, Zstd.Compress2, "ZSTD_compress2");
  bind(Eng, Zstd.Decompress, "ZSTD_decompress");
  bind(Eng, Zstd.CompressBound, "ZSTD_compressBound");
  bind(Eng, Zstd.IsError, "ZSTD_isError");
  bind(Eng, Zstd.ErrorName, "ZSTD_getErrorName");
}

} // namespace

int main(int Argc, char **Argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0); // A crash keeps what was printed before it.
  Options O;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    auto pair = [&](std::string(&Into)[2]) {
      if (I + 2 >= Argc)
        usage((A + " needs two paths").c_str());
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
    else if (A == "--lua")
      pair(O.Lua);
    else if (A == "--zstd")
      pair(O.Zstd);
    else if (A == "--sqlite-readers")
      O.SqliteReaders = number();
    else if (A == "--sample-readers")
      O.SampleReaders = number();
    else if (A == "--lua-readers")
      O.LuaReaders = number();
    else if (A == "--zstd-readers")
      O.ZstdReaders = number();
    else if (A == "--swaps")
      O.Swaps = number();
    else if (A == "--opt")
      O.Opt = static_cast<unsigned>(number());
    else if (A == "--partial")
      O.Partial = true;
    else if (A == "--whole")
      O.Whole = true;
    else
      usage(("unknown argument " + A).c_str());
  }
  if (O.Sample1[0].empty() != O.Sample4[0].empty())
    usage("--sample1 and --sample4 go together");
  if (O.Sqlite[0].empty())
    O.SqliteReaders = 0;
  if (O.Sample1[0].empty())
    O.SampleReaders = 0;
  if (O.Lua[0].empty())
    O.LuaReaders = 0;
  if (O.Zstd[0].empty())
    O.ZstdReaders = 0;
  if (O.SqliteReaders + O.SampleReaders + O.LuaReaders + O.ZstdReaders == 0)
    usage("no workload: give --sqlite, --sample1/--sample4, --lua or --zstd with readers");
  if (O.Partial && O.Whole)
    usage("--partial and --whole exclude each other");

  // What is loaded, and what the writer swaps: module name and its two versions.
  struct Target {
    std::string Module;
    std::string Files[2];
    std::vector<double> Ms;
  };
  std::vector<std::pair<std::string, std::string>> Load;
  std::vector<Target> Targets;
  auto addSwapped = [&](const char *Module, const std::string(&Files)[2]) {
    Load.emplace_back(Module, Files[0]);
    Targets.push_back({Module, {Files[0], Files[1]}, {}});
  };
  if (O.SqliteReaders)
    addSwapped("sqlite3.c", O.Sqlite);
  if (O.SampleReaders) {
    addSwapped("sample1.cc", O.Sample1);
    addSwapped("sample4.cc", O.Sample4);
  }
  auto addDirs = [&](const std::string(&Dirs)[2]) {
    if (Dirs[0].empty())
      return;
    ModuleDirs M = readModuleDirs(Dirs);
    Load.insert(Load.end(), M.Load.begin(), M.Load.end());
    for (const auto &[Module, File] : M.Swap) {
      auto First = std::find_if(M.Load.begin(), M.Load.end(),
                                [&](const auto &L) { return L.first == Module; });
      if (First == M.Load.end())
        fail(3, "no first version of " + Module + " in " + Dirs[0]);
      Targets.push_back({Module, {First->second, File}, {}});
    }
  };
  if (O.LuaReaders)
    addDirs(O.Lua);
  if (O.ZstdReaders)
    addDirs(O.Zstd);

  EngineOptions EO;
  EO.OptLevel = O.Opt;
  EO.QuarantineRetiredCode = true; // A stale pointer into freed code faults.
  EO.PartialReplacement = !O.Whole;
  EO.DebugInfoRegistration = false;
  auto Eng = orDie(Engine::create(EO), "creating the engine");

  auto T0 = Clock::now();
  Batch B = Eng->batch();
  for (const auto &[Module, File] : Load)
    B.add(Module, ModuleSource::fromFile(File));
  orDie(B.commit(), "loading the programs");
  std::printf("loaded %zu modules in %.0f ms\n", Load.size(),
              std::chrono::duration<double, std::milli>(Clock::now() - T0).count());

  if (O.SqliteReaders)
    bindSqlite(*Eng);
  if (O.LuaReaders)
    bindLua(*Eng);
  if (O.ZstdReaders)
    bindZstd(*Eng);

  const Answers Want = expectedResults();
  const std::string ZstdIn = O.ZstdReaders ? zstdInput() : std::string();
  std::atomic<bool> Stop{false};
  const int Readers = O.SqliteReaders + O.SampleReaders + O.LuaReaders + O.ZstdReaders;
  std::vector<std::atomic<uint64_t>> Progress(Readers);
  std::vector<uint64_t> Checked(Readers);
  std::vector<const char *> Kind(Readers);
  std::vector<std::thread> Threads;
  int R = 0;
  for (int I = 0; I < O.SqliteReaders; ++I, ++R) {
    Kind[R] = "SQLite query results";
    Threads.emplace_back([&, I, R] { Checked[R] = sqliteReader(I, Want, Stop, Progress[R]); });
  }
  for (int I = 0; I < O.SampleReaders; ++I, ++R) {
    Kind[R] = "sample call results";
    Threads.emplace_back([&, R] { Checked[R] = sampleReader(*Eng, Stop, Progress[R]); });
  }
  for (int I = 0; I < O.LuaReaders; ++I, ++R) {
    Kind[R] = "Lua call results";
    Threads.emplace_back([&, I, R] { Checked[R] = luaReader(I, Stop, Progress[R]); });
  }
  for (int I = 0; I < O.ZstdReaders; ++I, ++R) {
    Kind[R] = "zstd frames and round trips";
    Threads.emplace_back([&, I, R] { Checked[R] = zstdReader(I, ZstdIn, Stop, Progress[R]); });
  }

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
  malloc_trim(0);
  const size_t RssStart = residentBytes();
  size_t RssMax = RssStart, RssWarm = 0, RssMaxWarm = 0;

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
      std::printf("swap %d: replacing %s\n", S, T.Module.c_str());
      const uint64_t Before = sqliteQueries();
      auto Start = Clock::now();
      CommitReport R = orDie(Eng->replace(T.Module, ModuleSource::fromFile(T.Files[S % 2])),
                             "replacing " + T.Module);
      std::chrono::duration<double> Took = Clock::now() - Start;
      if (O.Partial) {
        auto Ms = [](std::chrono::nanoseconds D) { return D.count() / 1e6; };
        std::printf("swap %d: %s recompiled %u functions, kept %u, in %.1f ms (parse and "
                    "digests %.1f, prepare %.1f, compile and link %.1f)\n",
                    S, T.Module.c_str(), R.RecompiledFunctions, R.KeptFunctions,
                    Took.count() * 1000, Ms(R.Parse), Ms(R.Prepare), Ms(R.Link));
        if (R.KeptFunctions == 0 || R.RecompiledFunctions * 10 > R.KeptFunctions)
          fail(1, "swap " + std::to_string(S) + " of " + T.Module + " was not partial");
      }
      T.Ms.push_back(Took.count() * 1000);
      if (T.Module == "sqlite3.c") {
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
    // What the heap holds, not what the allocator keeps of the parse's peak.
    malloc_trim(0);
    const size_t Rss = residentBytes();
    RssMax = std::max(RssMax, Rss);
    if (S == 2)
      RssWarm = Rss; // Both versions' pieces are compiled and cached from here on.
    if (S > 2)
      RssMaxWarm = std::max(RssMaxWarm, Rss);
  }
  Stop = true;
  for (std::thread &T : Threads)
    T.join();
  Eng->waitForReclamation();
  EngineStats St = Eng->stats();

  std::printf("%d swaps of each of %zu modules; all results correct:", O.Swaps, Targets.size());
  for (int R = 0; R < Readers; ++R)
    if (R == 0 || std::strcmp(Kind[R], Kind[R - 1]) != 0) {
      uint64_t N = 0;
      int Threads = 0;
      for (int Q = R; Q < Readers && std::strcmp(Kind[Q], Kind[R]) == 0; ++Q, ++Threads)
        N += Checked[Q];
      std::printf("%s %d readers checked %llu %s", R ? ";" : "", Threads,
                  static_cast<unsigned long long>(N), Kind[R]);
    }
  std::printf("\n");
  for (Target &T : Targets)
    std::printf("swap latency %-24s p50 %8.1f ms  p99 %8.1f ms\n", T.Module.c_str(),
                percentile(T.Ms, 0.5), percentile(T.Ms, 0.99));
  if (O.SqliteReaders)
    std::printf("SQLite queries/s: %.0f while sqlite3.c was being replaced, %.0f between swaps\n",
                SwapQueries / std::max(SwapSeconds, 1e-9),
                QuietQueries / std::max(QuietSeconds, 1e-9));
  std::printf("versions retired %llu, freed %llu; RSS %.1f MiB after start-up, at most %.1f MiB\n",
              static_cast<unsigned long long>(St.VersionsRetired),
              static_cast<unsigned long long>(St.VersionsFreed), RssStart / 1048576.0,
              RssMax / 1048576.0);
  // Each swap retires the pieces of code no function runs any more: a whole version, or with
  // partial replacement (functions that two versions share keep their code) fewer.
  if (St.VersionsRetired == 0 || St.VersionsFreed != St.VersionsRetired)
    fail(1, "expected every retired version to be freed, and some retired");
  // Quarantined code keeps its address space but gives its pages back: resident memory may
  // not grow with the number of swaps beyond allocator slack.
  // --partial: each swap parses the whole -g file, a peak of its own; what must stay flat is the
  // memory after the warm-up (both versions' pieces made), against the first warm reading.
  if (O.Partial && RssWarm) {
    const size_t WarmBound = RssWarm + RssWarm / 4 + (size_t(32) << 20);
    if (RssMaxWarm > WarmBound)
      fail(1, "RSS grew from " + std::to_string(RssWarm >> 20) + " MiB after warm-up to " +
                  std::to_string(RssMaxWarm >> 20) + " MiB (bound " +
                  std::to_string(WarmBound >> 20) + " MiB)");
    std::printf("RSS after warm-up %.1f MiB, at most %.1f MiB after it\n", RssWarm / 1048576.0,
                RssMaxWarm / 1048576.0);
    return 0;
  }
  const size_t Bound = RssStart + RssStart / 2 + (size_t(64) << 20);
  if (RssMax > Bound)
    fail(1, "RSS grew to " + std::to_string(RssMax >> 20) + " MiB (bound " +
                std::to_string(Bound >> 20) + " MiB)");
  return 0;
}
