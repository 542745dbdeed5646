// Stable per-function entry points: `jmp *slot(%rip)` stubs whose slots are published atomically.
//
// Protocol
// --------
// Each managed function owns one stub (8 bytes of code: `ff 25 disp32` + 2 x int3) and one 8-byte
// slot holding the address of its current implementation. Stub code is written once, when its
// block is created, and is never modified afterwards: the only thing that ever changes is the slot.
//
// * Writers (one commit at a time, serialised by the engine) publish with
//   `std::atomic<uint64_t>::store(release)`. The release pairs with the load that the stub's
//   `jmp *slot` performs, which on x86-64 is an ordinary 8-byte load (single-copy atomic when
//   aligned; TSO gives it acquire semantics). Everything the linker wrote into the new code before
//   the store (relocated bytes, finalised protections) is therefore visible to a thread that jumps
//   through the new slot value. Host code that reads a slot uses an acquire load (`target()`).
// * Readers (any thread, JIT or host code) never lock: they call the stub, or, from JIT code, load
//   the slot and call what it holds (SlotCallPlugin.h), the same load the stub performs. A thread
//   already inside the old implementation finishes there; its next call through the stub takes the
//   new one.
// * A slot that has never been published, or whose function was removed, points at the stub's
//   trap thunk, which calls the table's trap handler with the function's name. A stub retired
//   because its function changed type traps with a reason instead (unpublish(Entry, Reason)): the
//   reason is stored (release) before the slot, and the trap loads it (acquire) after the jump
//   through the slot, so a thread that traps sees it.
// * Stubs and slots are never freed while the table lives, so a stub address handed out once stays
//   callable (it may trap) until the engine is destroyed. Old implementations are reclaimed by the
//   engine's epoch domain, never by this table.
//
// Cost: a call of the stub (from host code, through a function pointer) adds one
// `jmp *slot(%rip)` to an indirect call: a second taken control transfer, about a cycle on AMD
// Zen 4 wherever stub and slot lie (×1.20 of a direct call, as for ORC's redirectable stub). JIT
// code therefore calls other modules' functions by loading their slot itself and calling what it
// holds (SlotCallPlugin.h), which costs what a direct call costs; it takes `&f` as the stub.
//
// Placement: blocks are mapped inside a range the engine reserves next to its JIT code
// (setPlacementArea()), so JIT code reaches every slot with a 32-bit RIP-relative displacement. If
// a block ever lands out of reach, JIT code calls through a cell of its own that holds the stub's
// address: still correct, one extra jump.
#ifndef HOTJIT_ENGINE_STUBTABLE_H
#define HOTJIT_ENGINE_STUBTABLE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hotjit {

/// Owns stub code and slots. Allocation and publication are thread-safe;
/// calling stubs never takes a lock.
class StubTable {
public:
  /// One stub: where callers jump and where its target is stored.
  struct Entry {
    uint32_t Index = 0;
    void *Stub = nullptr;                  ///< Stable entry point (what `&f` yields).
    std::atomic<uint64_t> *Slot = nullptr; ///< Current implementation.
    void *Trap = nullptr;                  ///< This stub's trap thunk.
    /// What the trap reports instead of the name (null: the name).
    std::atomic<const std::string *> *Reason = nullptr;
  };

  /// Called (on the calling thread) when a trapping slot is executed, with
  /// the function's name, or with the reason the stub was retired for
  /// ("function 'g' changed type from 'i64 (i64)' to 'i64 (i64, i64)'").
  using TrapHandler = std::function<void(llvm::StringRef What)>;

  StubTable();
  ~StubTable();
  StubTable(const StubTable &) = delete;
  StubTable &operator=(const StubTable &) = delete;

  /// Creates a stub for \p Name whose slot points at its trap thunk.
  /// Serialised internally; safe to call concurrently with calls through stubs.
  llvm::Expected<Entry> create(llvm::StringRef Name);

  /// Publishes \p Impl as the target of \p E (release store).
  static void publish(const Entry &E, const void *Impl);

  /// Points \p E back at its trap thunk (forced removal); the trap reports
  /// the function's name.
  static void unpublish(const Entry &E);

  /// Points \p E at its trap thunk for good reason: the trap then reports
  /// \p Why instead of the name. The text is kept while the table lives.
  void unpublish(const Entry &E, std::string Why);

  /// The implementation \p E currently jumps to.
  static const void *target(const Entry &E) {
    // Pairs with the release store in publish().
    return reinterpret_cast<const void *>(E.Slot->load(std::memory_order_acquire));
  }

  /// Replaces the handler run by trap thunks (default, or null: print
  /// "called removed function 'f'" or the reason, and abort).
  void setTrapHandler(TrapHandler H);

  /// Number of stubs created so far.
  uint32_t size() const { return Count.load(std::memory_order_acquire); }

  /// True if \p Address lies within stub code owned by this table.
  bool containsStubCode(const void *Address) const;

  /// The slot of the stub at \p Address, or null if no stub of this table
  /// starts there. Lock-free; safe concurrently with create().
  const std::atomic<uint64_t> *slotOfStub(uint64_t Address) const;

  /// Maps blocks inside [\p Begin, \p Begin + \p Bytes), from the top down,
  /// while they fit (then anywhere): the engine passes a range it reserved
  /// next to the JIT code, so that JIT code reaches every slot with a
  /// RIP-relative load. The range must be a private mapping of the caller's that
  /// nothing else uses and that outlives the table. Call before the first
  /// create().
  void setPlacementArea(void *Begin, size_t Bytes) {
    AreaBegin = static_cast<uint8_t *>(Begin);
    AreaEnd = AreaLimit = AreaBegin + Bytes;
  }

private:
  struct Block;
  static constexpr uint32_t StubsPerBlock = 1024;
  static constexpr uint32_t MaxBlocks = 4096;

  static uint64_t trapEntry(StubTable *Table, uint32_t Index);
  llvm::Expected<Block *> newBlock(uint32_t FirstIndex);

  std::mutex CreateLock; // Serialises create(); never taken by callers of stubs.
  /// setPlacementArea(); AreaEnd moves down as blocks are placed. Guarded by
  /// CreateLock.
  uint8_t *AreaBegin = nullptr, *AreaEnd = nullptr;
  uint8_t *AreaLimit = nullptr; ///< The area's end as given; its owner unmaps it.
  std::atomic<uint32_t> Count{0};
  std::array<std::atomic<Block *>, MaxBlocks> Blocks{};
  std::mutex HandlerLock;
  std::shared_ptr<const TrapHandler> Handler; ///< Null: the default.
  std::mutex ReasonLock;
  std::vector<std::unique_ptr<const std::string>> Reasons; ///< Never freed early.
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_STUBTABLE_H
