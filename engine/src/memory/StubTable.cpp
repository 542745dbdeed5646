// Stub blocks: code written once at creation (W^X), slots published atomically (see StubTable.h).
#include "memory/StubTable.h"

#include "Mutations.h"

#include "hotjit/engine/Errors.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

namespace hotjit {

namespace {
constexpr size_t StubSize = 8;  // ff 25 disp32, int3, int3
constexpr size_t TrapSize = 32; // movabs rdi, table; mov esi, idx; jmp *trap(%rip)

size_t pageRoundUp(size_t N) {
  size_t Page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (N + Page - 1) / Page * Page;
}

void putU32(uint8_t *P, uint32_t V) { std::memcpy(P, &V, 4); }
void putU64(uint8_t *P, uint64_t V) { std::memcpy(P, &V, 8); }

int32_t ripDisp(const uint8_t *NextInstr, const void *Target) {
  return static_cast<int32_t>(reinterpret_cast<intptr_t>(Target) -
                              reinterpret_cast<intptr_t>(NextInstr));
}
} // namespace

// Layout of one block: [stubs | traps] (RX) then [slots | trap target] (RW).
struct StubTable::Block {
  uint8_t *Base = nullptr;
  size_t CodeBytes = 0;
  size_t TotalBytes = 0;
  uint8_t *stub(uint32_t I) const { return Base + I * StubSize; }
  uint8_t *trap(uint32_t I) const { return Base + StubsPerBlock * StubSize + I * TrapSize; }
  std::atomic<uint64_t> *slot(uint32_t I) const {
    return reinterpret_cast<std::atomic<uint64_t> *>(Base + CodeBytes) + I;
  }
  std::atomic<uint64_t> *trapTarget() const { return slot(StubsPerBlock); }
  std::array<std::string, StubsPerBlock> Names;
  std::array<std::atomic<const std::string *>, StubsPerBlock> Reasons{};
};

StubTable::StubTable() = default;

StubTable::~StubTable() {
  for (auto &B : Blocks) {
    Block *P = B.load(std::memory_order_relaxed);
    if (!P)
      break;
    // Blocks in the placement area go with the owner's reservation: unmapping
    // them here would open holes that another mapping could take first.
    if (P->Base < AreaBegin || P->Base >= AreaLimit)
      ::munmap(P->Base, P->TotalBytes);
    delete P;
  }
}

llvm::Expected<StubTable::Block *> StubTable::newBlock(uint32_t FirstIndex) {
  static_assert(sizeof(std::atomic<uint64_t>) == 8);
  auto B = std::make_unique<Block>();
  B->CodeBytes = pageRoundUp(StubsPerBlock * (StubSize + TrapSize));
  B->TotalBytes = B->CodeBytes + pageRoundUp((StubsPerBlock + 1) * 8);
  // In the placement area while it has room: MAP_FIXED replaces pages of
  // the owner's reservation that nothing else uses.
  void *Mem;
  if (AreaEnd && static_cast<size_t>(AreaEnd - AreaBegin) >= B->TotalBytes) {
    AreaEnd -= B->TotalBytes;
    Mem = ::mmap(AreaEnd, B->TotalBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  } else {
    Mem =
        ::mmap(nullptr, B->TotalBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  }
  if (Mem == MAP_FAILED)
    return makeError(ErrorKind::Link,
                     "cannot map a stub block: " + std::string(std::strerror(errno)));
  B->Base = static_cast<uint8_t *>(Mem);
  std::memset(B->Base, 0xCC, B->CodeBytes);
  for (uint32_t I = 0; I < StubsPerBlock; ++I) {
    uint8_t *S = B->stub(I);
    S[0] = 0xFF, S[1] = 0x25; // jmp *slot(%rip)
    putU32(S + 2, static_cast<uint32_t>(ripDisp(S + 6, B->slot(I))));
    uint8_t *T = B->trap(I);
    T[0] = 0x48, T[1] = 0xBF; // movabs $table, %rdi
    putU64(T + 2, reinterpret_cast<uint64_t>(this));
    T[10] = 0xBE; // mov $index, %esi
    putU32(T + 11, FirstIndex + I);
    T[15] = 0xFF, T[16] = 0x25; // jmp *trapTarget(%rip)
    putU32(T + 17, static_cast<uint32_t>(ripDisp(T + 21, B->trapTarget())));
    B->slot(I)->store(reinterpret_cast<uint64_t>(T), std::memory_order_relaxed);
  }
  B->trapTarget()->store(reinterpret_cast<uint64_t>(&StubTable::trapEntry),
                         std::memory_order_relaxed);
  if (::mprotect(B->Base, B->CodeBytes, PROT_READ | PROT_EXEC) != 0) {
    int Err = errno;
    if (B->Base < AreaBegin || B->Base >= AreaLimit) // Else the area's owner unmaps it.
      ::munmap(B->Base, B->TotalBytes);
    return makeError(ErrorKind::Link,
                     "cannot protect a stub block: " + std::string(std::strerror(Err)));
  }
  __builtin___clear_cache(reinterpret_cast<char *>(B->Base),
                          reinterpret_cast<char *>(B->Base + B->CodeBytes));
  return B.release();
}

llvm::Expected<StubTable::Entry> StubTable::create(llvm::StringRef Name) {
  std::lock_guard<std::mutex> Lock(CreateLock);
  uint32_t Index = Count.load(std::memory_order_relaxed);
  uint32_t BlockIndex = Index / StubsPerBlock;
  if (BlockIndex >= MaxBlocks)
    return makeError(ErrorKind::Link, "stub table full: cannot create a stub "
                                      "for function '" +
                                          Name.str() + "'");
  Block *B = Blocks[BlockIndex].load(std::memory_order_relaxed);
  if (!B) {
    auto NewB = newBlock(BlockIndex * StubsPerBlock);
    if (!NewB)
      return NewB.takeError();
    B = *NewB;
    // Pairs with the acquire loads in trapEntry() and containsStubCode().
    Blocks[BlockIndex].store(B, std::memory_order_release);
  }
  uint32_t Local = Index % StubsPerBlock;
  B->Names[Local] = Name.str();
  // Pairs with the acquire load in size(): the name is written before the
  // index becomes visible.
  Count.store(Index + 1, std::memory_order_release);
  return Entry{Index, B->stub(Local), B->slot(Local), B->trap(Local), &B->Reasons[Local]};
}

void StubTable::publish(const Entry &E, const void *Impl) {
  if (mutation::PublishNoop && Impl != E.Trap)
    return;
  // Pairs with the load in the stub's `jmp *slot` and with target()'s acquire load.
  E.Slot->store(reinterpret_cast<uint64_t>(Impl), std::memory_order_release);
}

void StubTable::unpublish(const Entry &E) {
  // Pairs with the acquire load in trapEntry(), like the slot store below.
  E.Reason->store(nullptr, std::memory_order_release);
  if constexpr (!mutation::RemovalKeepsTarget)
    publish(E, E.Trap);
}

void StubTable::unpublish(const Entry &E, std::string Why) {
  const std::string *Text;
  {
    std::lock_guard<std::mutex> Lock(ReasonLock);
    Text = Reasons.emplace_back(std::make_unique<const std::string>(std::move(Why))).get();
  }
  // Pairs with the acquire load in trapEntry(): stored before the slot.
  E.Reason->store(Text, std::memory_order_release);
  publish(E, E.Trap);
}

void StubTable::setTrapHandler(TrapHandler H) {
  auto P = H ? std::make_shared<const TrapHandler>(std::move(H)) : nullptr;
  std::lock_guard<std::mutex> Lock(HandlerLock);
  Handler = std::move(P);
}

uint64_t StubTable::trapEntry(StubTable *Table, uint32_t Index) {
  Block *B = Table->Blocks[Index / StubsPerBlock].load(std::memory_order_acquire);
  std::shared_ptr<const TrapHandler> H;
  {
    std::lock_guard<std::mutex> Lock(Table->HandlerLock);
    H = Table->Handler;
  }
  const std::string &Name = B->Names[Index % StubsPerBlock];
  // Pairs with the release stores in unpublish().
  const std::string *Reason = B->Reasons[Index % StubsPerBlock].load(std::memory_order_acquire);
  if (H) {
    (*H)(Reason ? *Reason : Name);
    return 0; // The trapped call returns zero if the handler returns.
  }
  if (Reason)
    std::fprintf(stderr, "hotjit: called '%s' through a stale entry point: %s\n", Name.c_str(),
                 Reason->c_str());
  else
    std::fprintf(stderr, "hotjit: called removed function '%s'\n", Name.c_str());
  std::abort();
}

bool StubTable::containsStubCode(const void *Address) const {
  auto *P = static_cast<const uint8_t *>(Address);
  for (const auto &BP : Blocks) {
    Block *B = BP.load(std::memory_order_acquire);
    if (!B)
      return false;
    if (P >= B->Base && P < B->Base + B->CodeBytes)
      return true;
  }
  return false;
}

const std::atomic<uint64_t> *StubTable::slotOfStub(uint64_t Address) const {
  for (const auto &BP : Blocks) {
    // Pairs with the release store in create().
    Block *B = BP.load(std::memory_order_acquire);
    if (!B)
      return nullptr;
    uint64_t Base = reinterpret_cast<uint64_t>(B->Base);
    if (Address >= Base && Address < Base + StubsPerBlock * StubSize &&
        (Address - Base) % StubSize == 0)
      return B->slot(static_cast<uint32_t>((Address - Base) / StubSize));
  }
  return nullptr;
}

} // namespace hotjit
