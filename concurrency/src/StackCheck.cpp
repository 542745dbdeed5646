//===- StackCheck.cpp - Threads scan their own stacks for retired code ----===//
//
// PROTOCOL
//
// Overview. Epoch-based reclamation waits for every pinned thread to leave; a thread that lives
// in JIT code (a program's main, an event loop) never does. For an item retired with address
// ranges (EpochDomain::retire with EpochRetireRanges: a code version whose slots already point
// elsewhere) the domain accepts a second proof per thread: the thread holds no address inside
// those ranges in its registers or on its stack. Linux livepatch's per-task stack check
// (kernel/livepatch/transition.c, klp_check_stack), Erlang's check_process_code
// (erts/emulator/beam/beam_bif_load.c) and the code flushing of HotSpot and V8 rest on the same
// rule. The GP leader asks a thread that has held up a GP longer than
// EpochDomainOptions::StackCheckAfter; short pins keep the plain epoch path, whose fast path
// (EpochGuard pin + unpin) this file does not touch.
//
// Why the rule is sound. Once a code version's slots point elsewhere, no stub leads into it;
// label-address tables of a version live inside its own ranges; so a thread can enter the
// version again only through an address it already holds: its program counter, a return
// address in a frame above, or a register or stack word (a spilled code pointer, a setjmp
// buffer's frame: glibc mangles the PC stored in a jmp_buf, but the frame that called setjmp is
// live below a callee whose return address points into it, so that return address is on the
// stack; an exception in flight: the unwinder's cursor and every frame it has not popped are on
// the stack). The leader publishes the request only after the item was retired, which is after
// its slot stores; the thread's handler runs after the leader's tgkill, so everything the
// thread loads after its handler returns sees the new slots. Anything it loaded before is, at
// the moment the handler runs, in a register (saved by the kernel in the ucontext, on the
// stack) or in memory the thread owns. A conservative word-by-word scan of the registers and of
// the stack from the interrupted stack pointer to the stack's top therefore sees every address
// the thread could still run, and may only over-approximate (any word that looks like an
// address inside an item keeps the item). A thread that answers "not found" can never run the
// item again, whatever it does next; the item may run its callback once every thread either
// passed the GP as usual or answered so.
//
// The red zone. The x86-64 ABI lets a leaf function keep 128 bytes below its stack pointer.
// The scan starts at the interrupted stack pointer and skips them: they hold stale words of
// calls that returned (which would keep versions alive for good), and what a leaf keeps there
// cannot lead into another version: a leaf calls nothing, function addresses are stub
// addresses, and a label address belongs to the leaf's own function, which the interrupted PC
// (a register, scanned) already holds.
//
// What the scan does not see (the rule's assumptions; each keeps the plain epoch behaviour out
// of reach, never more): code addresses a thread keeps only in thread-local storage or in heap
// memory of its own (a label address copied into a heap object; a suspended fiber's or
// stackful coroutine's stack); a host that runs JIT code on stacks of its own must turn stack
// checks off (StackCheckAfter = 0). A thread interrupted on a stack other than its registered
// one (a fiber, or a signal handler on an alternate stack) answers "unscannable" and keeps
// every item.
//
// Who writes what.
//  - The board (one per process, static storage): the leader of a round, under RoundMutex,
//    writes the sorted ranges of the round's items between an odd and an even value of
//    Board.Seq (a seqlock; the even value is 2 * round). Entries are relaxed atomics, so a
//    handler that reads while a later round rewrites them races benignly and throws its scan
//    away when Seq changed (Lamport, "Concurrent reading and writing", CACM 20(11), 1977).
//  - StackCell::Request: the leader's release store of the round number, after the board;
//    the handler's acquire load pairs with it, and with the board's release store of Seq.
//  - Hits, FirstHit, Unscannable: written by the cell's own thread in its handler only (one
//    handler at a time: the signal is blocked while its handler runs), then Answer with
//    release; the leader reads them after an acquire load of Answer equal to its round.
//
// The handler. Async-signal-safe: no lock, no allocation; it reads its cell through an
// initial-exec thread_local pointer (cleared at thread exit before the cell can be freed) and
// saves errno. It scans the interrupted registers (the ucontext the kernel saved) and the stack
// from the interrupted stack pointer to the top recorded at registration (pthread_getattr_np).
// Under ThreadSanitizer, which defers a handler to the thread's next interceptor call and hands
// it a saved ucontext, it spills the callee-saved registers into its own frame
// (__builtin_unwind_init) and scans from its own frame upwards instead, which keeps the answer
// current (and conservative: the signal frame's stale words are scanned too). The
// scan reads memory that sanitizers poison (ASan's stack redzones): the scanning function is
// no_sanitize("address", "thread") and loads words through volatile pointers.
//
// Signals' effect on the program. The signal (EpochDomainOptions::StackCheckSignal, default
// SIGRTMIN + 5) is installed with SA_RESTART, so read/write/wait on pipes and sockets without
// timeouts, futex-based locks and condition variables, and waitpid restart transparently. The
// calls that signal(7) lists as never restarted return EINTR (or a short sleep) when a check
// interrupts them: nanosleep, clock_nanosleep, usleep, sleep (which returns the time left),
// poll, ppoll, select, pselect, epoll_wait, epoll_pwait, sockets with SO_RCVTIMEO/SO_SNDTIMEO,
// semop/semtimedop, msgrcv/msgsnd, sigtimedwait, sigsuspend, io_getevents. std::this_thread
// ::sleep_for and a loop around nanosleep with the remaining time are unaffected. A thread is
// signalled only while it holds up a GP past StackCheckAfter and a ranged item waits, with a
// backoff per item (1 ms doubling to 64 ms), so a long pin sees at most a few dozen signals a
// second while swaps happen and none otherwise. A host opts out with StackCheckAfter = 0
// (EngineOptions::StackCheckAfter), picks another signal with StackCheckSignal, or blocks the
// signal in a thread (that thread then never answers and keeps what it holds up, as before).
// If the program already has a handler for the signal when the first domain starts, checks
// stay off (EpochStats::StackChecksEnabled says so).
//
// Threads. Only registered threads of a domain are asked (the handler of an unregistered
// thread finds no cell and returns). A thread that does not answer within StackCheckTimeout
// (signal blocked, thread stopped, handler deferred by a sanitizer) keeps every item it holds
// up, as a pinned thread always did; it is asked again in later rounds. A thread that exits
// between the request and the signal makes the tgkill fail or reach a thread whose cell has
// another request: no answer, nothing freed. Signal records (enterFromSignalHandler) and
// records made after thread-local destruction have no cell and are never asked.
//
// Cost: one round scans the used part of each asked thread's stack, one binary search per
// word in the board's ranges; the thread is not stopped. bench/EpochBench.cpp's
// BM_StackCheckRound (a GP given up, the signal, the scan, the answer and the callback): 60-130
// us wall, 31-55 us CPU, with one or two threads asleep under 1 or 64 KiB of stack (2-vCPU EPYC,
// docs/performance.md section 10).
//
// Limitations: x86-64 Linux only (elsewhere every thread answers "unscannable" and items wait
// for the epoch as before); at most StackCheckMaxItems items and StackCheckMaxRanges ranges per
// round (the oldest first; the rest wait for the next round).
//
//===----------------------------------------------------------------------===//

#include "StackCheck.h"

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <thread>

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

namespace hotjit::detail {

namespace {

struct Board {
  /// Odd while the leader writes; 2 * round once round's ranges are complete.
  std::atomic<uint64_t> Seq{0};
  std::atomic<uint32_t> Count{0};
  std::atomic<uintptr_t> Min{0}, Max{0};
  std::atomic<uintptr_t> Begin[StackCheckMaxRanges];
  std::atomic<uintptr_t> End[StackCheckMaxRanges];
  std::atomic<uint16_t> Item[StackCheckMaxRanges];
};

constinit Board TheBoard{};
std::mutex RoundMutex;   // one round at a time in the process
uint64_t LastRound = 0;  // guarded by RoundMutex
std::mutex InstallMutex; // installStackCheckHandler
int InstalledSignal = 0; // guarded by InstallMutex

[[gnu::tls_model("initial-exec")]] constinit thread_local StackCell *TlsCell = nullptr;

constexpr uintptr_t RedZone = 128;

#if defined(__SANITIZE_THREAD__)
constexpr bool SanitizeThread = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool SanitizeThread = true;
#else
constexpr bool SanitizeThread = false;
#endif
#else
constexpr bool SanitizeThread = false;
#endif

#if defined(__x86_64__) && defined(__linux__)
constexpr bool CanScan = true;
#else
constexpr bool CanScan = false;
#endif

/// The scan proper: never inlined, so its frame lies below its caller's, whose frame holds the
/// callee-saved registers that __builtin_unwind_init spilled.
[[gnu::noinline]] __attribute__((no_sanitize("address", "thread"))) void
scanFrom(StackCell &C, const ucontext_t *Uc, uint64_t Round, uint64_t Seq) noexcept {
  uint64_t Local[StackCheckMaxItems / 64] = {};
  const uint32_t N = TheBoard.Count.load(std::memory_order_relaxed);
  const uintptr_t Min = TheBoard.Min.load(std::memory_order_relaxed);
  const uintptr_t Max = TheBoard.Max.load(std::memory_order_relaxed);
  auto Check = [&](uintptr_t W) {
    if (W < Min || W >= Max)
      return;
    // The last range whose Begin <= W.
    uint32_t Lo = 0, Hi = N;
    while (Lo < Hi) {
      const uint32_t Mid = (Lo + Hi) / 2;
      if (TheBoard.Begin[Mid].load(std::memory_order_relaxed) <= W)
        Lo = Mid + 1;
      else
        Hi = Mid;
    }
    if (Lo == 0 || W >= TheBoard.End[Lo - 1].load(std::memory_order_relaxed))
      return;
    const unsigned I = TheBoard.Item[Lo - 1].load(std::memory_order_relaxed);
    if (I >= StackCheckMaxItems)
      return;
    if (!(Local[I / 64] & (uint64_t(1) << (I % 64))))
      C.FirstHit[I].store(W, std::memory_order_relaxed);
    Local[I / 64] |= uint64_t(1) << (I % 64);
  };
  bool Unscannable = !CanScan;
#if defined(__x86_64__) && defined(__linux__)
  const uintptr_t Here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  const uintptr_t Low = C.StackLow, Top = C.StackTop;
  auto OnStack = [&](uintptr_t P) { return P >= Low && P < Top; };
  for (int R = 0; R < NGREG; ++R)
    Check(static_cast<uintptr_t>(Uc->uc_mcontext.gregs[R]));
  const uintptr_t UcSp = static_cast<uintptr_t>(Uc->uc_mcontext.gregs[REG_RSP]);
  uintptr_t From = 0;
  if (Low == 0 || !OnStack(UcSp)) {
    Unscannable = true; // A fiber's stack, or a handler's alternate stack.
  } else if (OnStack(Here)) {
    // The kernel's signal frame between here and the interrupted stack pointer holds the
    // interrupted registers (scanned above) and stale words (xsave's unused parts), and the red
    // zone below the stack pointer holds stale words of returned calls: the scan starts at the
    // stack pointer (see "The red zone" above). Under ThreadSanitizer the handler may run
    // later than the signal arrived, on top of newer frames, so it starts at its own frame.
    From = SanitizeThread ? std::min(Here, UcSp - RedZone) : UcSp;
  } else {
    // The handler runs on an alternate stack (SA_ONSTACK set by someone else): scan it from
    // here to its top, then the interrupted stack.
    From = UcSp;
    const uintptr_t AltLow = reinterpret_cast<uintptr_t>(Uc->uc_stack.ss_sp);
    const uintptr_t AltTop = AltLow + Uc->uc_stack.ss_size;
    if (Here >= AltLow && Here < AltTop)
      for (uintptr_t P = Here & ~uintptr_t(7); P + 8 <= AltTop; P += 8)
        Check(*reinterpret_cast<const volatile uintptr_t *>(P));
    else
      Unscannable = true;
  }
  if (!Unscannable)
    for (uintptr_t P = std::max(From & ~uintptr_t(7), Low); P + 8 <= Top; P += 8)
      Check(*reinterpret_cast<const volatile uintptr_t *>(P));
#else
  (void)Check;
  (void)Uc;
#endif
  // Acquire: the board reads above happen before this re-read of Seq (seqlock reader).
  std::atomic_thread_fence(std::memory_order_acquire);
  if (TheBoard.Seq.load(std::memory_order_relaxed) != Seq)
    return; // The leader rewrote the board: this answer would be about other ranges.
  for (unsigned W = 0; W < StackCheckMaxItems / 64; ++W)
    C.Hits[W].store(Local[W], std::memory_order_relaxed);
  C.Unscannable.store(Unscannable, std::memory_order_relaxed);
  // Release: pairs with the leader's acquire load of Answer.
  C.Answer.store(Round, std::memory_order_release);
}

void onStackCheckSignal(int, siginfo_t *, void *Context) {
  const int SavedErrno = errno;
  // Spills the callee-saved registers into this frame, above scanFrom's.
  __builtin_unwind_init();
  std::atomic_signal_fence(std::memory_order_seq_cst);
  StackCell *C = TlsCell;
  if (C) {
    // Acquire: pairs with the leader's release store of Request (after the board).
    const uint64_t Round = C->Request.load(std::memory_order_acquire);
    const uint64_t Seq = TheBoard.Seq.load(std::memory_order_acquire);
    if (Round != 0 && Round != C->Answer.load(std::memory_order_relaxed) && Seq == 2 * Round)
      scanFrom(*C, static_cast<const ucontext_t *>(Context), Round, Seq);
  }
  errno = SavedErrno;
}

int64_t nowNs() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace

std::shared_ptr<StackCell> StackCell::forCurrentThread() noexcept {
  auto C = std::make_shared<StackCell>();
  C->ThreadId = static_cast<uint64_t>(::gettid());
  pthread_attr_t A;
  if (pthread_getattr_np(pthread_self(), &A) == 0) {
    void *Addr = nullptr;
    size_t Size = 0;
    if (pthread_attr_getstack(&A, &Addr, &Size) == 0 && Addr) {
      C->StackLow = reinterpret_cast<uintptr_t>(Addr);
      C->StackTop = C->StackLow + Size;
    }
    pthread_attr_destroy(&A);
  }
  std::atomic_signal_fence(std::memory_order_seq_cst);
  TlsCell = C.get();
  std::atomic_signal_fence(std::memory_order_seq_cst);
  return C;
}

void StackCell::detachCurrentThread() noexcept {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  TlsCell = nullptr;
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

bool installStackCheckHandler(int Signal) noexcept {
  std::lock_guard<std::mutex> L(InstallMutex);
  if (InstalledSignal != 0)
    return InstalledSignal == Signal;
  if (!CanScan || Signal <= 0 || Signal > SIGRTMAX)
    return false;
  struct sigaction Old{};
  if (sigaction(Signal, nullptr, &Old) != 0)
    return false;
  const bool Default = !(Old.sa_flags & SA_SIGINFO) && (Old.sa_handler == SIG_DFL);
  if (!Default)
    return false; // The program owns it.
  struct sigaction New{};
  New.sa_sigaction = onStackCheckSignal;
  New.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&New.sa_mask);
  if (sigaction(Signal, &New, nullptr) != 0)
    return false;
  InstalledSignal = Signal;
  return true;
}

void runStackCheck(int Signal, const std::vector<const std::vector<EpochAddressRange> *> &Items,
                   std::vector<StackCheckTarget> &Targets, std::chrono::nanoseconds Timeout) {
  struct Entry {
    uintptr_t Begin, End;
    uint16_t Item;
  };
  std::vector<Entry> Ranges;
  for (unsigned I = 0; I < Items.size() && I < StackCheckMaxItems; ++I)
    for (const EpochAddressRange &R : *Items[I])
      if (R.End > R.Begin && Ranges.size() < StackCheckMaxRanges)
        Ranges.push_back({R.Begin, R.End, static_cast<uint16_t>(I)});
  std::sort(Ranges.begin(), Ranges.end(),
            [](const Entry &A, const Entry &B) { return A.Begin < B.Begin; });

  std::lock_guard<std::mutex> L(RoundMutex);
  const uint64_t Round = ++LastRound;
  // Seqlock writer: odd Seq, then the entries, then the even Seq with release.
  TheBoard.Seq.store(2 * Round - 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  TheBoard.Count.store(static_cast<uint32_t>(Ranges.size()), std::memory_order_relaxed);
  uintptr_t Min = ~uintptr_t(0), Max = 0;
  for (size_t I = 0; I < Ranges.size(); ++I) {
    TheBoard.Begin[I].store(Ranges[I].Begin, std::memory_order_relaxed);
    TheBoard.End[I].store(Ranges[I].End, std::memory_order_relaxed);
    TheBoard.Item[I].store(Ranges[I].Item, std::memory_order_relaxed);
    Min = std::min(Min, Ranges[I].Begin);
    Max = std::max(Max, Ranges[I].End);
  }
  TheBoard.Min.store(Min, std::memory_order_relaxed);
  TheBoard.Max.store(Max, std::memory_order_relaxed);
  // Release: pairs with the handler's acquire load of Seq.
  TheBoard.Seq.store(2 * Round, std::memory_order_release);

  const pid_t Pid = ::getpid();
  for (StackCheckTarget &T : Targets) {
    // Release: pairs with the handler's acquire load of Request.
    T.Cell->Request.store(Round, std::memory_order_release);
    if (syscall(SYS_tgkill, Pid, static_cast<pid_t>(T.Cell->ThreadId), Signal) != 0)
      T.Cell->Request.store(0, std::memory_order_relaxed); // Gone: it answers nothing.
  }
  const int64_t Deadline = nowNs() + Timeout.count();
  for (unsigned Spin = 0;; ++Spin) {
    bool All = true;
    for (StackCheckTarget &T : Targets)
      // Acquire: pairs with the handler's release store of Answer.
      if (!T.Answered && T.Cell->Answer.load(std::memory_order_acquire) == Round)
        T.Answered = true;
      else if (!T.Answered)
        All = false;
    if (All || nowNs() >= Deadline)
      break;
    if (Spin < 16)
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  for (StackCheckTarget &T : Targets) {
    if (!T.Answered)
      continue;
    T.Unscannable = T.Cell->Unscannable.load(std::memory_order_relaxed);
    for (unsigned I = 0; I < Items.size() && I < StackCheckMaxItems; ++I)
      if (T.Cell->Hits[I / 64].load(std::memory_order_relaxed) & (uint64_t(1) << (I % 64))) {
        T.Held.push_back(I);
        T.HeldAt.push_back(T.Cell->FirstHit[I].load(std::memory_order_relaxed));
      }
  }
}

} // namespace hotjit::detail
