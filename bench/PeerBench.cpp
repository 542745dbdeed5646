// Swap latency of hotjit against MCJIT, ORC without stubs and ORC stubs.
//
// One workload, one process: replace the tiny function `hot` while N caller
// modules (10 .. 10000) are live and call it. Each peer gets its best honest
// set-up: one reused TargetMachine, objects cached where the scheme allows,
// and hotjit's OptLevel=2 pipeline (IR O2 + O2 codegen) unless "opt:0" (no IR
// passes, O0 codegen).
//  - BM_SwapMCJITRelinkAll: one function per module, objects cached with
//    llvm::ObjectCache. A change recompiles that module and links all N+1 into
//    a fresh MCJIT ExecutionEngine (MCJIT's default code model). The old
//    engine is deleted after the swap, untimed: free_old_engine_us.
//  - BM_SwapOrcNoStubs: ORC LLJIT, one ResourceTracker per module, no stubs.
//    Callers bound hot's address, so a change removes hot and every caller
//    and re-adds them (callers from their objects: no recompilation).
//  - BM_SwapOrcRedirect: `hot` is a JITLinkRedirectableSymbolManager stub. A
//    change adds the new version under its own tracker and calls redirect();
//    the old tracker is removed untimed (a live process would defer it).
//  - BM_SwapHotjit: Engine::replace. opt:0 is batch().optLevel(0) on the same
//    O2 engine; writer:1 commits from a thread of its own instead of the one
//    that loaded the N callers.
//    BM_SwapHotjitNoCache: the same without the object cache (N=10 only).
//  - BM_SwapHotjitCached / BM_SwapOrcRedirectCached: the cost beyond code
//    generation, with objects the scheme already holds (hotjit's object
//    cache; ORC: a precompiled object linked, then redirect()).
//  - BM_SwapHotjitPrepared: PreparedBatch::publish() of a batch prepared
//    (untimed) before: the moment of the swap, against ORC's redirect() (the
//    publish phase of the ORC peers).
// Latency runs from the new IR text to the moment a host call would reach the
// new version. Counters p50_us / p99_us; <phase>_us are medians per phase.
// --perf_ctl=<fifo> enables a `perf record -D -1 --control fifo:<fifo>`
// session around the timed loops only (set-up of 10000 modules excluded).
// --smoke runs three iterations of each benchmark.
#include "OrcPeer.h"
#include "SwapWorkload.h"

#include "hotjit/engine/Engine.h"

#include "llvm/ExecutionEngine/ExecutionEngine.h"
#include "llvm/ExecutionEngine/MCJIT.h"
#include "llvm/ExecutionEngine/ObjectCache.h"
#include "llvm/ExecutionEngine/Orc/JITLinkRedirectableSymbolManager.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace hotjit;
using namespace hotjit::bench;
using namespace llvm;
using Clock = std::chrono::steady_clock;

namespace {

double usSince(Clock::time_point T0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - T0).count();
}

/// Objects of caller0 .. caller<N-1> at O2, compiled once (on every core) and
/// shared by the ORC peers, which only ever re-link them.
const std::vector<std::unique_ptr<MemoryBuffer>> &callerObjects(int N) {
  static std::vector<std::unique_ptr<MemoryBuffer>> Objects;
  int First = static_cast<int>(Objects.size());
  if (First >= N)
    return Objects;
  Objects.resize(N);
  unsigned Threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> Pool;
  for (unsigned T = 0; T < Threads; ++T)
    Pool.emplace_back([&, T] {
      ObjectCompiler C(2);
      for (int I = First + static_cast<int>(T); I < N; I += static_cast<int>(Threads))
        Objects[I] = C.compile(callerIR(I), "caller" + std::to_string(I));
    });
  for (auto &Th : Pool)
    Th.join();
  return Objects;
}

/// Resident set of the process, MiB (/proc/self/statm).
double residentMiB() {
  std::ifstream Statm("/proc/self/statm");
  long Pages = 0, Resident = 0;
  Statm >> Pages >> Resident;
  return static_cast<double>(Resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
         (1024.0 * 1024.0);
}

/// Memory mappings of the process (lines of /proc/self/maps).
double mappingCount() {
  std::ifstream Maps("/proc/self/maps");
  std::string Line;
  double Count = 0;
  while (std::getline(Maps, Line))
    ++Count;
  return Count;
}

/// One peer's live state. Only one exists at a time: 10000 modules twice would
/// approach vm.max_map_count (65530; ~3 mappings per JIT module).
struct Fixture {
  virtual ~Fixture() = default;
};

std::unique_ptr<Fixture> CurrentFixture;
std::pair<std::string, int> CurrentKey;

/// The live fixture of \p Peer with \p N callers, built after freeing any
/// other.
template <typename T> T &fixture(const std::string &Peer, int N) {
  if (!CurrentFixture || CurrentKey != std::pair<std::string, int>(Peer, N)) {
    CurrentFixture.reset();
    CurrentKey = {Peer, N};
    CurrentFixture = std::make_unique<T>(N);
  }
  return static_cast<T &>(*CurrentFixture);
}

using CallerFn = int (*)(int);

/// From --perf_ctl=<fifo>: perf's control fifo, so that a profile covers the
/// timed loops only (`perf record -D -1 --control fifo:<fifo> ...`).
std::string PerfControl;

/// Enables the perf session while alive, if --perf_ctl was given.
class PerfScope {
public:
  PerfScope() { send("enable"); }
  ~PerfScope() { send("disable"); }
  PerfScope(const PerfScope &) = delete;
  PerfScope &operator=(const PerfScope &) = delete;

private:
  static void send(const char *Command) {
    if (!PerfControl.empty())
      std::ofstream(PerfControl) << Command << '\n';
  }
};

void verify(benchmark::State &State, CallerFn Caller0, int Version) {
  if (!Caller0 || Caller0(1) != expectedCaller0(Version))
    State.SkipWithError("caller0 did not reach the new version");
}

double usOf(std::chrono::nanoseconds D) {
  return std::chrono::duration<double, std::micro>(D).count();
}

/// Per-swap latencies and their phases. Counters: p50_us and p99_us of the
/// swap; <phase>_us, the median of each phase.
class Samples {
public:
  void swap(double Us) { Swaps.push_back(Us); }
  void phase(const std::string &Name, double Us) { Phases[Name].push_back(Us); }

  void report(benchmark::State &State, int N) const {
    State.counters["p50_us"] = percentile(Swaps, 0.5);
    State.counters["p99_us"] = percentile(Swaps, 0.99);
    State.counters["live_modules"] = N + 1;
    // Whole process, this peer's fixture live: compare peers run alone, each
    // in its own process (--benchmark_filter), at the same N.
    State.counters["rss_mib"] = residentMiB();
    State.counters["mappings"] = mappingCount();
    for (const auto &[Name, V] : Phases)
      State.counters[Name + "_us"] = percentile(V, 0.5);
  }

private:
  std::vector<double> Swaps;
  std::map<std::string, std::vector<double>> Phases;
};

//===----------------------------------------------------------------------===//
// hotjit
//===----------------------------------------------------------------------===//

struct HotjitFixture : Fixture {
  explicit HotjitFixture(int N, bool ObjectCache = true) {
    EngineOptions O;
    O.OptLevel = 2;
    O.ObjectCache = ObjectCache;
    E = check(Engine::create(O), "Engine::create");
    check(addWorkload(*E, N), "add hot and callers");
    E->waitForReclamation();
  }
  std::unique_ptr<Engine> E;
  int Version = 0;
};

/// hotjit without its object cache: no cache key (a bitcode serialisation of
/// the module) is computed before code generation.
struct HotjitNoCacheFixture : HotjitFixture {
  explicit HotjitNoCacheFixture(int N) : HotjitFixture(N, false) {}
};

/// writer:0 commits on the thread that set the engine up (as the peers do);
/// writer:1 on a thread of its own, created per swap (untimed), whose malloc
/// arena holds none of the set-up's allocations.
template <typename FixtureT> void swapHotjit(benchmark::State &State, const std::string &Peer) {
  int N = static_cast<int>(State.range(0));
  unsigned Opt = static_cast<unsigned>(State.range(1));
  bool OwnWriter = State.range(2) != 0;
  auto &F = fixture<FixtureT>(Peer, N);
  auto Caller = check(F.E->template lookup<int(int)>("caller0"), "lookup caller0");
  Samples S;
  PerfScope Profile;
  for (auto _ : State) {
    ++F.Version;
    auto Swap = [&] {
      auto T0 = Clock::now();
      auto R = F.E->batch()
                   .replace("hot", ModuleSource::fromIR(hotIR(F.Version)))
                   .optLevel(Opt)
                   .commit();
      return std::make_pair(std::move(R), usSince(T0));
    };
    auto [R, Elapsed] = OwnWriter ? std::async(std::launch::async, Swap).get() : Swap();
    if (!R) {
      State.SkipWithError(toString(R.takeError()).c_str());
      break;
    }
    State.SetIterationTime(Elapsed * 1e-6);
    S.swap(Elapsed);
    S.phase("parse", usOf(R->Parse));
    S.phase("optimize", usOf(R->Optimize));
    S.phase("codegen", usOf(R->Codegen));
    // Link covers the compile too: what remains is the cache key, JITLink
    // and ORC's bookkeeping.
    S.phase("link", usOf(R->Link - R->Optimize - R->Codegen));
    S.phase("publish", usOf(R->Prepare + R->Publish));
    // What commit() spends outside its phases (batch set-up, clean-up).
    S.phase("other", Elapsed - usOf(R->Total));
  }
  verify(State, Caller.address(), F.Version);
  S.report(State, N);
  F.E->waitForReclamation();
}

void BM_SwapHotjit(benchmark::State &State) { swapHotjit<HotjitFixture>(State, "hotjit"); }

void BM_SwapHotjitNoCache(benchmark::State &State) {
  swapHotjit<HotjitNoCacheFixture>(State, "hotjit-nocache");
}

/// What a swap costs beyond code generation: `hot` alternates between two
/// versions the object cache already holds, so the commit parses, checks,
/// links and publishes but compiles nothing.
void BM_SwapHotjitCached(benchmark::State &State) {
  int N = static_cast<int>(State.range(0));
  auto &F = fixture<HotjitFixture>("hotjit", N);
  auto Caller = check(F.E->lookup<int(int)>("caller0"), "lookup caller0");
  const int Versions[2] = {1'000'001, 1'000'002};
  for (int V : Versions) // Warm the cache.
    check(F.E->replace("hot", ModuleSource::fromIR(hotIR(V))), "warm the cache");
  Samples S;
  // Versions[1] is live: the first swap goes to Versions[0] (a replacement by the live bytes
  // compiles nothing: partial replacement keeps every function).
  int K = 1;
  PerfScope Profile;
  for (auto _ : State) {
    int V = Versions[++K & 1];
    auto T0 = Clock::now();
    auto R = F.E->replace("hot", ModuleSource::fromIR(hotIR(V)));
    double Elapsed = usSince(T0);
    if (!R || R->CacheHits != 1) {
      State.SkipWithError(R ? "not a cache hit" : toString(R.takeError()).c_str());
      break;
    }
    State.SetIterationTime(Elapsed * 1e-6);
    S.swap(Elapsed);
    S.phase("parse", usOf(R->Parse));
    S.phase("link", usOf(R->Link)); // Cache key and lookup, JITLink, ORC.
    S.phase("publish", usOf(R->Prepare + R->Publish));
  }
  verify(State, Caller.address(), Versions[K & 1]);
  S.report(State, N);
  F.E->waitForReclamation();
}

/// The moment of a swap that was prepared beforehand (Batch::prepare(), untimed: prepare_us):
/// PreparedBatch::publish() alone, the counterpart of ORC's redirect() (the publish phase of
/// BM_SwapOrcRedirect*). Versions alternate as in BM_SwapHotjitCached.
void BM_SwapHotjitPrepared(benchmark::State &State) {
  int N = static_cast<int>(State.range(0));
  auto &F = fixture<HotjitFixture>("hotjit", N);
  auto Caller = check(F.E->lookup<int(int)>("caller0"), "lookup caller0");
  const int Versions[2] = {1'000'001, 1'000'002};
  check(F.E->replace("hot", ModuleSource::fromIR(hotIR(Versions[1]))), "set up");
  Samples S;
  int K = 1; // Every swap changes the live version (see BM_SwapHotjitCached).
  PerfScope Profile;
  for (auto _ : State) {
    int V = Versions[++K & 1];
    auto P0 = Clock::now();
    auto P = F.E->batch().replace("hot", ModuleSource::fromIR(hotIR(V))).prepare();
    double Preparing = usSince(P0);
    if (!P) {
      State.SkipWithError(toString(P.takeError()).c_str());
      break;
    }
    auto T0 = Clock::now();
    auto R = P->publish();
    double Elapsed = usSince(T0);
    if (!R) {
      State.SkipWithError(toString(R.takeError()).c_str());
      break;
    }
    State.SetIterationTime(Elapsed * 1e-6);
    S.swap(Elapsed);
    S.phase("prepare", Preparing);
    S.phase("publish", usOf(R->Publish));
  }
  verify(State, Caller.address(), Versions[K & 1]);
  S.report(State, N);
  F.E->waitForReclamation();
}

//===----------------------------------------------------------------------===//
// ORC LLJIT (shared by both ORC peers)
//===----------------------------------------------------------------------===//

struct OrcFixture : Fixture, OrcSession {};

std::vector<std::string> callerNames(int N) {
  std::vector<std::string> Names;
  for (int I = 0; I < N; ++I)
    Names.push_back("caller" + std::to_string(I));
  return Names;
}

/// ORC without stubs: hot and every caller each under its own tracker.
struct OrcNoStubsFixture : OrcFixture {
  explicit OrcNoStubsFixture(int N) : N(N) {
    ObjectCompiler C(2);
    HotRT = addObject(C.compile(hotIR(0), "hot"));
    auto &Objs = callerObjects(N);
    for (int I = 0; I < N; ++I)
      CallerRTs.push_back(addObject(viewOf(*Objs[I])));
    lookupAll({"hot"});
    lookupAll(callerNames(N));
  }
  int N;
  int Version = 0;
  orc::ResourceTrackerSP HotRT;
  std::vector<orc::ResourceTrackerSP> CallerRTs;
};

void BM_SwapOrcNoStubs(benchmark::State &State) {
  int N = static_cast<int>(State.range(0));
  auto &F = fixture<OrcNoStubsFixture>("orc-nostubs", N);
  ObjectCompiler C(2);
  const auto &Objs = callerObjects(N);
  std::vector<std::string> Names = callerNames(N);
  Samples S;
  CallerFn Caller0 = nullptr;
  PerfScope Profile;
  for (auto _ : State) {
    ++F.Version;
    auto T0 = Clock::now();
    auto Obj = C.compile(hotIR(F.Version), "hot");
    auto T1 = Clock::now();
    // The callers bound the old hot: every one of them goes, and comes back.
    check(F.HotRT->remove(), "remove hot");
    for (auto &RT : F.CallerRTs)
      check(RT->remove(), "remove caller");
    auto T2 = Clock::now();
    F.HotRT = F.addObject(std::move(Obj));
    for (int I = 0; I < N; ++I)
      F.CallerRTs[I] = F.addObject(viewOf(*Objs[I]));
    F.lookupAll({"hot"});
    auto Addrs = F.lookupAll(Names);
    double Elapsed = usSince(T0);
    Caller0 = Addrs[0].toPtr<CallerFn>();
    State.SetIterationTime(Elapsed * 1e-6);
    S.swap(Elapsed);
    S.phase("compile", std::chrono::duration<double, std::micro>(T1 - T0).count());
    S.phase("remove", std::chrono::duration<double, std::micro>(T2 - T1).count());
    S.phase("relink", usSince(T2));
  }
  verify(State, Caller0, F.Version);
  S.report(State, N);
}

/// ORC with JITLinkRedirectableSymbolManager: `hot` is a redirectable stub.
struct OrcRedirectFixture : OrcFixture {
  explicit OrcRedirectFixture(int N) {
    RSM = check(orc::JITLinkRedirectableSymbolManager::Create(
                    cast<orc::ObjectLinkingLayer>(J->getObjLinkingLayer())),
                "JITLinkRedirectableSymbolManager");
    ObjectCompiler C(2);
    ImplRT = addObject(C.compile(hotIR(0, "hot.v0"), "hot.v0"));
    auto Impl = lookup("hot.v0");
    check(RSM->createRedirectableSymbols(JD->getDefaultResourceTracker(),
                                         {{J->mangleAndIntern("hot"), {Impl, flags()}}}),
          "createRedirectableSymbols");
    auto &Objs = callerObjects(N);
    for (int I = 0; I < N; ++I)
      addObject(viewOf(*Objs[I]));
    lookupAll(callerNames(N));
  }
  static JITSymbolFlags flags() { return JITSymbolFlags::Exported | JITSymbolFlags::Callable; }
  std::unique_ptr<orc::RedirectableSymbolManager> RSM;
  orc::ResourceTrackerSP ImplRT;
  int Version = 0;
};

void BM_SwapOrcRedirect(benchmark::State &State) {
  int N = static_cast<int>(State.range(0));
  unsigned Opt = static_cast<unsigned>(State.range(1));
  auto &F = fixture<OrcRedirectFixture>("orc-redirect", N);
  ObjectCompiler C(Opt);
  auto Hot = F.J->mangleAndIntern("hot");
  CallerFn Caller0 = F.lookup("caller0").toPtr<CallerFn>();
  Samples S;
  PerfScope Profile;
  for (auto _ : State) {
    ++F.Version;
    std::string Name = "hot.v" + std::to_string(F.Version);
    auto T0 = Clock::now();
    auto Obj = C.compile(hotIR(F.Version, Name), Name);
    auto T1 = Clock::now();
    auto RT = F.addObject(std::move(Obj));
    auto Impl = F.lookup(Name);
    auto T2 = Clock::now();
    check(F.RSM->redirect(*F.JD, {{Hot, {Impl, OrcRedirectFixture::flags()}}}), "redirect");
    double Elapsed = usSince(T0);
    State.SetIterationTime(Elapsed * 1e-6);
    S.swap(Elapsed);
    S.phase("parse", C.Last.Parse);
    S.phase("optimize", C.Last.Optimize);
    S.phase("codegen", C.Last.Codegen);
    S.phase("link", std::chrono::duration<double, std::micro>(T2 - T1).count());
    S.phase("publish", usSince(T2)); // redirect()
    // No caller is running here; a live process would have to defer this.
    check(F.ImplRT->remove(), "remove old version");
    F.ImplRT = std::move(RT);
  }
  verify(State, Caller0, F.Version);
  S.report(State, N);
}

/// ORC's cost beyond code generation: link an already compiled version of
/// `hot` and redirect() to it (two versions alternate under two names).
void BM_SwapOrcRedirectCached(benchmark::State &State) {
  int N = static_cast<int>(State.range(0));
  auto &F = fixture<OrcRedirectFixture>("orc-redirect", N);
  ObjectCompiler C(2);
  const int Versions[2] = {1'000'001, 1'000'002};
  const std::string Names[2] = {"hot.cached.a", "hot.cached.b"};
  std::unique_ptr<MemoryBuffer> Objects[2];
  for (int I = 0; I < 2; ++I)
    Objects[I] = C.compile(hotIR(Versions[I], Names[I]), Names[I]);
  auto Hot = F.J->mangleAndIntern("hot");
  CallerFn Caller0 = F.lookup("caller0").toPtr<CallerFn>();
  Samples S;
  int K = 0;
  PerfScope Profile;
  for (auto _ : State) {
    int I = ++K & 1;
    auto T0 = Clock::now();
    auto RT = F.addObject(viewOf(*Objects[I]));
    auto Impl = F.lookup(Names[I]);
    auto T1 = Clock::now();
    check(F.RSM->redirect(*F.JD, {{Hot, {Impl, OrcRedirectFixture::flags()}}}), "redirect");
    double Elapsed = usSince(T0);
    State.SetIterationTime(Elapsed * 1e-6);
    S.swap(Elapsed);
    S.phase("link", std::chrono::duration<double, std::micro>(T1 - T0).count());
    S.phase("publish", usSince(T1)); // redirect()
    check(F.ImplRT->remove(), "remove old version");
    F.ImplRT = std::move(RT);
  }
  verify(State, Caller0, Versions[K & 1]);
  S.report(State, N);
}

//===----------------------------------------------------------------------===//
// MCJIT, relink everything with cached objects
//===----------------------------------------------------------------------===//

/// Objects by module identifier; MCJIT asks before compiling a module.
class MapObjectCache : public ObjectCache {
public:
  void notifyObjectCompiled(const Module *M, MemoryBufferRef Obj) override {
    Objects[M->getModuleIdentifier()] =
        MemoryBuffer::getMemBufferCopy(Obj.getBuffer(), Obj.getBufferIdentifier());
  }
  std::unique_ptr<MemoryBuffer> getObject(const Module *M) override {
    auto It = Objects.find(M->getModuleIdentifier());
    if (It == Objects.end())
      return nullptr;
    return viewOf(*It->second); // Entries outlive every engine that uses them.
  }
  void erase(StringRef Id) { Objects.erase(Id); }

private:
  StringMap<std::unique_ptr<MemoryBuffer>> Objects;
};

struct MCJITFixture : Fixture {
  explicit MCJITFixture(int N) {
    TM.reset(EngineBuilder().setMCPU(sys::getHostCPUName()).selectTarget());
    Modules.push_back(optimized(hotIR(0), "hot.v0"));
    for (int I = 0; I < N; ++I)
      Modules.push_back(optimized(callerIR(I), "caller" + std::to_string(I)));
    EE = link();
  }

  std::unique_ptr<Module> optimized(const std::string &IR, StringRef Name) {
    auto M = parseModule(IR, Name, Ctx);
    M->setDataLayout(TM->createDataLayout());
    M->setTargetTriple(TM->getTargetTriple());
    optimizeModule(*M, *TM, 2);
    return M;
  }

  /// A fresh engine holding every module; cached objects skip codegen.
  std::unique_ptr<ExecutionEngine> link() {
    std::string Err;
    EngineBuilder B(CloneModule(*Modules[0]));
    B.setEngineKind(EngineKind::JIT)
        .setMCPU(sys::getHostCPUName())
        .setErrorStr(&Err)
        .setOptLevel(CodeGenOptLevel::Default)
        .setMCJITMemoryManager(std::make_unique<SectionMemoryManager>());
    std::unique_ptr<ExecutionEngine> New(B.create());
    if (!New)
      fail("MCJIT: " + Err);
    New->setObjectCache(&Cache);
    for (size_t I = 1; I < Modules.size(); ++I)
      New->addModule(CloneModule(*Modules[I]));
    New->finalizeObject();
    return New;
  }

  LLVMContext Ctx;
  std::unique_ptr<TargetMachine> TM;
  std::vector<std::unique_ptr<Module>> Modules; ///< [0] is hot.
  MapObjectCache Cache;
  std::unique_ptr<ExecutionEngine> EE;
  int Version = 0;
};

void BM_SwapMCJITRelinkAll(benchmark::State &State) {
  int N = static_cast<int>(State.range(0));
  auto &F = fixture<MCJITFixture>("mcjit", N);
  Samples S;
  CallerFn Caller0 = nullptr;
  PerfScope Profile;
  for (auto _ : State) {
    ++F.Version;
    std::string Old = F.Modules[0]->getModuleIdentifier();
    auto T0 = Clock::now();
    F.Modules[0] = F.optimized(hotIR(F.Version), "hot.v" + std::to_string(F.Version));
    auto T1 = Clock::now();
    auto New = F.link();
    Caller0 = reinterpret_cast<CallerFn>(New->getFunctionAddress("caller0"));
    double Elapsed = usSince(T0);
    State.SetIterationTime(Elapsed * 1e-6);
    S.swap(Elapsed);
    S.phase("parse_optimize", std::chrono::duration<double, std::micro>(T1 - T0).count());
    S.phase("relink", usSince(T1)); // Codegen of hot, all N+1 linked.
    auto T2 = Clock::now();
    F.EE = std::move(New); // Deletes the old engine: code, EH frames.
    F.Cache.erase(Old);
    S.phase("free_old_engine", usSince(T2));
  }
  verify(State, Caller0, F.Version);
  S.report(State, N);
}

/// From --smoke: three iterations per benchmark (the ctest smoke run).
bool Smoke = false;

/// Iterations per N: enough for a p99 at small N, few where one swap takes
/// a large fraction of a second (there "p99" is close to the maximum).
int iterationsFor(int N, bool RelinksAll) {
  if (Smoke)
    return 3;
  if (!RelinksAll)
    return 200;
  return N <= 100 ? 100 : N <= 1000 ? 20 : 5;
}

void registerAll() {
  const int Ns[] = {10, 100, 1000, 10000};
  auto Add = [](const char *Name, void (*Fn)(benchmark::State &), int N, int Opt, bool RelinksAll,
                bool WithOpt, int Writer = -1) {
    auto *B = benchmark::RegisterBenchmark(Name, Fn);
    if (Writer >= 0)
      B->ArgNames({"N", "opt", "writer"})->Args({N, Opt, Writer});
    else if (WithOpt)
      B->ArgNames({"N", "opt"})->Args({N, Opt});
    else
      B->ArgName("N")->Arg(N);
    B->Iterations(iterationsFor(N, RelinksAll))->UseManualTime()->Unit(benchmark::kMicrosecond);
  };
  // Adjacent registrations share one fixture; a new peer or N rebuilds it.
  for (int N : Ns) {
    Add("BM_SwapHotjit", BM_SwapHotjit, N, 2, false, true, 0);
    Add("BM_SwapHotjit", BM_SwapHotjit, N, 0, false, true, 0);
    Add("BM_SwapHotjit", BM_SwapHotjit, N, 2, false, true, 1);
    Add("BM_SwapHotjitCached", BM_SwapHotjitCached, N, 2, false, false);
    Add("BM_SwapHotjitPrepared", BM_SwapHotjitPrepared, N, 2, false, false);
  }
  for (int Opt : {2, 0})
    Add("BM_SwapHotjitNoCache", BM_SwapHotjitNoCache, 10, Opt, false, true, 0);
  for (int N : Ns) {
    Add("BM_SwapOrcRedirect", BM_SwapOrcRedirect, N, 2, false, true);
    Add("BM_SwapOrcRedirect", BM_SwapOrcRedirect, N, 0, false, true);
    Add("BM_SwapOrcRedirectCached", BM_SwapOrcRedirectCached, N, 2, false, false);
  }
  for (int N : Ns)
    Add("BM_SwapOrcNoStubs", BM_SwapOrcNoStubs, N, 2, true, false);
  for (int N : Ns)
    Add("BM_SwapMCJITRelinkAll", BM_SwapMCJITRelinkAll, N, 2, true, false);
}

} // namespace

int main(int Argc, char **Argv) {
  // Our own flags; benchmark::Initialize would reject them.
  int Kept = 1;
  for (int I = 1; I < Argc; ++I) {
    StringRef Arg(Argv[I]);
    if (Arg.consume_front("--perf_ctl="))
      PerfControl = Arg.str();
    else if (Arg == "--smoke")
      Smoke = true;
    else
      Argv[Kept++] = Argv[I];
  }
  Argc = Kept;
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  InitializeNativeTargetAsmParser();
  LLVMLinkInMCJIT();
  registerAll();
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
