// Reading a module's source within the engine's limits (see ModuleParser.h).
#include "rewrite/ModuleParser.h"

#include "LiveState.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/AsmParser/LLParser.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugProgramInstruction.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <exception>
#include <memory>
#include <ucontext.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOTJIT_ASAN_FIBERS 1
#include <sanitizer/common_interface_defs.h>
#endif
#if __has_feature(thread_sanitizer)
#define HOTJIT_TSAN_FIBERS 1
#include <sanitizer/tsan_interface.h>
#endif
#endif
#ifndef HOTJIT_ASAN_FIBERS
#define HOTJIT_ASAN_FIBERS 0
#endif
#ifndef HOTJIT_TSAN_FIBERS
#define HOTJIT_TSAN_FIBERS 0
#endif
#include <sys/mman.h>
#include <unistd.h>

using namespace llvm;

namespace hotjit {

namespace {

Error fail(ErrorKind K, const Twine &Message) {
  return makeError(K, ("commit failed: " + Message).str());
}

Error tooLarge(StringRef Name, const Twine &Size, size_t Limit) {
  return fail(ErrorKind::TooLarge, "module '" + Name + "' is " + Size +
                                       " bytes, over the limit of " + Twine(Limit) +
                                       " bytes (EngineOptions::MaxModuleBytes)");
}

/// Reads the file \p Path through at most \p Limit + 1 bytes (0: no limit), so
/// a device (/dev/zero) or a pipe is refused as soon as it gives too much; a
/// pipe is read until its writers close it.
Expected<std::string> readFile(StringRef Path, StringRef Name, size_t Limit) {
  auto Cannot = [&](std::error_code EC) {
    return fail(ErrorKind::Parse,
                "module '" + Name + "': cannot read '" + Path + "': " + EC.message());
  };
  Expected<sys::fs::file_t> FD = sys::fs::openNativeFileForRead(Path);
  if (!FD)
    return Cannot(errorToErrorCode(FD.takeError()));
  scope_exit Close([&] { sys::fs::closeFile(*FD); });
  sys::fs::file_status Status;
  if (std::error_code EC = sys::fs::status(*FD, Status))
    return Cannot(EC);
  if (Status.type() == sys::fs::file_type::directory_file)
    return Cannot(std::make_error_code(std::errc::is_a_directory));
  bool Regular = Status.type() == sys::fs::file_type::regular_file;
  if (Regular && Limit && Status.getSize() > Limit)
    return tooLarge(Name, Twine(Status.getSize()), Limit);
  std::string Bytes;
  size_t Want = Limit ? Limit + 1 : SIZE_MAX;
  if (Regular)
    Bytes.reserve(std::min<uint64_t>(Status.getSize() + 1, Want));
  char Chunk[1 << 16];
  while (Bytes.size() < Want) {
    size_t N = std::min<size_t>(sizeof(Chunk), Want - Bytes.size());
    Expected<size_t> Got = sys::fs::readNativeFile(*FD, MutableArrayRef<char>(Chunk, N));
    if (!Got)
      return Cannot(errorToErrorCode(Got.takeError()));
    if (!*Got)
      return std::move(Bytes);
    Bytes.append(Chunk, *Got);
  }
  return tooLarge(Name, "more than " + Twine(Limit), Limit);
}

/// Refuses IR text whose brackets nest deeper than MaxNesting, naming where;
/// strings and comments are skipped.
Error checkTextNesting(StringRef Text, StringRef Name) {
  unsigned Depth = 0, Line = 1;
  size_t LineStart = 0;
  for (size_t I = 0, E = Text.size(); I < E; ++I) {
    switch (Text[I]) {
    case '\n':
      ++Line;
      LineStart = I + 1;
      break;
    case '"': // IR strings escape '"' as \22, so the next '"' ends the string.
      for (++I; I < E && Text[I] != '"'; ++I)
        if (Text[I] == '\n') {
          ++Line;
          LineStart = I + 1;
        }
      break;
    case ';':
      while (I + 1 < E && Text[I + 1] != '\n')
        ++I;
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      if (++Depth > MaxNesting)
        return fail(ErrorKind::TooLarge, "module '" + Name + "' nests brackets deeper than " +
                                             Twine(MaxNesting) + " levels at line " + Twine(Line) +
                                             ":" + Twine(I - LineStart + 1));
      break;
    case ')':
    case ']':
    case '}':
    case '>':
      if (Depth)
        --Depth;
      break;
    default:
      break;
    }
  }
  return Error::success();
}

/// A stack of its own: address space reserved without backing store, below it a guard page.
class ReservedStack {
public:
  explicit ReservedStack(size_t Want) {
    size_t Page = sysconf(_SC_PAGESIZE);
    Bytes = (Want + Page - 1) / Page * Page;
    Total = Bytes + Page;
    Base = mmap(nullptr, Total, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (Base != MAP_FAILED)
      mprotect(Base, Page, PROT_NONE);
  }
  ~ReservedStack() {
    if (Base != MAP_FAILED)
      munmap(Base, Total);
  }
  ReservedStack(const ReservedStack &) = delete;
  ReservedStack &operator=(const ReservedStack &) = delete;

  bool reserved() const { return Base != MAP_FAILED; }
  size_t bytes() const { return Bytes; }
  char *bottom() const { return static_cast<char *>(Base) + (Total - Bytes); }
  /// Gives back the pages a deep recursion touched, but the top \p Keep bytes.
  void release(size_t Keep) {
    if (Bytes > Keep)
      madvise(bottom(), Bytes - Keep, MADV_DONTNEED);
  }

private:
  void *Base = MAP_FAILED;
  size_t Bytes = 0, Total = 0;
};

/// One run of a body on a reserved stack, on the calling thread (ucontext): no thread to start
/// or to wake, so a small module's parse costs what the parse costs. The sanitizers are told of
/// each switch (their fiber interfaces).
struct StackSwitch {
  function_ref<void()> Body;
  std::exception_ptr Thrown;
  ucontext_t Caller, Callee;
#if HOTJIT_ASAN_FIBERS
  void *FakeStack = nullptr;
  const void *CallerBottom = nullptr;
  size_t CallerSize = 0;
#endif
#if HOTJIT_TSAN_FIBERS
  void *CallerFiber = nullptr, *CalleeFiber = nullptr;
#endif

  static void entry(unsigned High, unsigned Low) {
    auto *S = reinterpret_cast<StackSwitch *>((uintptr_t(High) << 32) | uintptr_t(Low));
#if HOTJIT_ASAN_FIBERS
    __sanitizer_finish_switch_fiber(nullptr, &S->CallerBottom, &S->CallerSize);
#endif
    try {
      S->Body();
    } catch (...) {
      S->Thrown = std::current_exception();
    }
#if HOTJIT_ASAN_FIBERS
    __sanitizer_start_switch_fiber(nullptr, S->CallerBottom, S->CallerSize); // This one ends.
#endif
#if HOTJIT_TSAN_FIBERS
    __tsan_switch_to_fiber(S->CallerFiber, 0);
#endif
    setcontext(&S->Caller); // Never returns: uc_link is not used.
  }

  void run(ReservedStack &Stack) {
    getcontext(&Callee);
    Callee.uc_stack.ss_sp = Stack.bottom();
    Callee.uc_stack.ss_size = Stack.bytes();
    Callee.uc_link = nullptr;
    auto Self = reinterpret_cast<uintptr_t>(this);
    makecontext(&Callee, reinterpret_cast<void (*)()>(&StackSwitch::entry), 2,
                static_cast<unsigned>(Self >> 32), static_cast<unsigned>(Self));
#if HOTJIT_TSAN_FIBERS
    CallerFiber = __tsan_get_current_fiber();
    CalleeFiber = __tsan_create_fiber(0);
    __tsan_switch_to_fiber(CalleeFiber, 0);
#endif
#if HOTJIT_ASAN_FIBERS
    __sanitizer_start_switch_fiber(&FakeStack, Stack.bottom(), Stack.bytes());
#endif
    // swapcontext() as getcontext() + setcontext(): AddressSanitizer's interceptor of
    // swapcontext() warns on stderr, and the fiber interface above already tells it of the switch.
    volatile bool Switched = false;
    getcontext(&Caller); // Returns again when entry() sets this context.
    if (!Switched) {
      Switched = true;
      setcontext(&Callee);
    }
#if HOTJIT_ASAN_FIBERS
    __sanitizer_finish_switch_fiber(FakeStack, nullptr, nullptr);
#endif
#if HOTJIT_TSAN_FIBERS
    __tsan_destroy_fiber(CalleeFiber);
#endif
    if (Thrown)
      std::rethrow_exception(Thrown);
  }
};

/// Sources up to this size parse on a stack the committing thread keeps (sized for them); larger
/// ones, whose parse dwarfs an mmap, on a stack of their own.
constexpr size_t KeptStackSourceBytes = size_t(1) << 20;

/// Runs \p Body on a stack of \p Bytes, on the calling thread, and waits for it. An exception
/// \p Body throws is rethrown here.
Error runWithStack(size_t Bytes, StringRef Name, function_ref<void()> Body) {
  constexpr size_t KeptBytes = ParseStackBase + ParseStackPerByte * KeptStackSourceBytes;
  thread_local std::unique_ptr<ReservedStack> Kept;
  std::unique_ptr<ReservedStack> Own;
  ReservedStack *Stack;
  if (Bytes <= KeptBytes) {
    if (!Kept || !Kept->reserved())
      Kept = std::make_unique<ReservedStack>(KeptBytes);
    Stack = Kept.get();
  } else {
    Own = std::make_unique<ReservedStack>(Bytes);
    Stack = Own.get();
  }
  if (!Stack->reserved())
    return fail(ErrorKind::TooLarge, "module '" + Name + "': cannot reserve " + Twine(Bytes >> 20) +
                                         " MiB of stack to parse it");
  StackSwitch{Body, nullptr, {}, {}}.run(*Stack);
  // A source over 64 KiB may have recursed deep: give back what it touched.
  if (Stack == Kept.get() && Bytes > ParseStackBase + ParseStackPerByte * (size_t(64) << 10))
    Kept->release(size_t(1) << 20);
  return Error::success();
}

/// The longest chains of a module's types, constants and metadata, each
/// measured without recursion.
class NestingCheck {
public:
  NestingCheck(StringRef Name) : Name(Name) {}

  Error run(const Module &M) {
    for (const GlobalVariable &G : M.globals()) {
      What = "global '" + G.getName().str() + "'";
      if (Error E = type(G.getValueType()))
        return E;
      if (G.hasInitializer())
        if (Error E = constant(G.getInitializer()))
          return E;
      if (Error E = attachments(G))
        return E;
    }
    for (const GlobalAlias &A : M.aliases()) {
      What = "alias '" + A.getName().str() + "'";
      if (Error E = constant(A.getAliasee()))
        return E;
    }
    for (const GlobalIFunc &I : M.ifuncs()) {
      What = "ifunc '" + I.getName().str() + "'";
      if (Error E = constant(I.getResolver()))
        return E;
    }
    for (const NamedMDNode &N : M.named_metadata()) {
      What = "named metadata '" + N.getName().str() + "'";
      for (const MDNode *Op : N.operands())
        if (Error E = metadata(Op))
          return E;
    }
    for (const llvm::Function &F : M) {
      What = "function '" + F.getName().str() + "'";
      if (Error E = type(F.getFunctionType()))
        return E;
      if (Error E = attachments(F))
        return E;
      for (const Value *V : {F.hasPersonalityFn() ? F.getPersonalityFn() : nullptr,
                             F.hasPrefixData() ? F.getPrefixData() : nullptr,
                             F.hasPrologueData() ? F.getPrologueData() : nullptr})
        if (V)
          if (Error E = constant(cast<Constant>(V)))
            return E;
      for (const Instruction &I : instructions(F))
        if (Error E = instruction(I))
          return E;
    }
    return Error::success();
  }

private:
  Error instruction(const Instruction &I) {
    if (Error E = type(I.getType()))
      return E;
    if (auto *A = dyn_cast<AllocaInst>(&I))
      if (Error E = type(A->getAllocatedType()))
        return E;
    if (auto *G = dyn_cast<GetElementPtrInst>(&I))
      if (Error E = type(G->getSourceElementType()))
        return E;
    if (auto *C = dyn_cast<CallBase>(&I))
      if (Error E = type(C->getFunctionType()))
        return E;
    for (const Value *Op : I.operands()) {
      if (Error E = type(Op->getType()))
        return E;
      if (auto *C = dyn_cast<Constant>(Op)) {
        if (Error E = constant(C))
          return E;
      } else if (auto *MV = dyn_cast<MetadataAsValue>(Op)) {
        if (Error E = metadata(MV->getMetadata()))
          return E;
      }
    }
    SmallVector<std::pair<unsigned, MDNode *>, 4> MDs;
    I.getAllMetadata(MDs);
    for (auto &[Kind, N] : MDs)
      if (Error E = metadata(N))
        return E;
    for (const DbgRecord &R : I.getDbgRecordRange()) {
      if (Error E = metadata(R.getDebugLoc().getAsMDNode()))
        return E;
      if (auto *V = dyn_cast<DbgVariableRecord>(&R))
        for (const Metadata *Op : {static_cast<const Metadata *>(V->getRawVariable()),
                                   static_cast<const Metadata *>(V->getRawExpression()),
                                   static_cast<const Metadata *>(V->getRawLocation())})
          if (Error E = metadata(Op))
            return E;
      if (auto *L = dyn_cast<DbgLabelRecord>(&R))
        if (Error E = metadata(L->getRawLabel()))
          return E;
    }
    return Error::success();
  }

  Error attachments(const GlobalObject &G) {
    SmallVector<std::pair<unsigned, MDNode *>, 4> MDs;
    G.getAllMetadata(MDs);
    for (auto &[Kind, N] : MDs)
      if (Error E = metadata(N))
        return E;
    return Error::success();
  }

  Error deeper(StringRef Of, unsigned Limit) {
    return fail(ErrorKind::TooLarge, "module '" + Name + "': " + What + " nests " + Of +
                                         " deeper than " + Twine(Limit) + " levels");
  }

  /// Longest path below \p Root in an acyclic graph (types; constants, whose
  /// cycles all pass through global values, which are leaves), memoised;
  /// \p Done sees each node when its depth is known and may refuse it.
  template <typename NodeT, typename CountT, typename ChildT, typename DoneT>
  bool longestPath(NodeT *Root, DenseMap<NodeT *, unsigned> &Depth, CountT Count, ChildT Child,
                   DoneT Done) {
    if (auto It = Depth.find(Root); It != Depth.end())
      return It->second <= MaxNesting;
    struct Frame {
      NodeT *N;
      unsigned Next, Deepest;
    };
    SmallVector<Frame, 16> Stack{{Root, 0, 0}};
    while (!Stack.empty()) {
      Frame &F = Stack.back();
      if (F.Next < Count(F.N)) {
        NodeT *K = Child(F.N, F.Next++);
        if (auto It = Depth.find(K); It != Depth.end()) {
          F.Deepest = std::max(F.Deepest, It->second);
          continue;
        }
        if (Stack.size() >= MaxNesting)
          return false;
        Stack.push_back({K, 0, 0});
        continue;
      }
      unsigned D = F.Deepest + 1;
      NodeT *N = F.N;
      Depth[N] = D;
      Stack.pop_back();
      if (!Done(N))
        return false;
      if (!Stack.empty())
        Stack.back().Deepest = std::max(Stack.back().Deepest, D);
    }
    return true;
  }

  bool typeFits(Type *T) {
    return longestPath(
        T, TypeDepth, [](Type *T) { return T->getNumContainedTypes(); },
        [](Type *T, unsigned I) { return T->getContainedType(I); }, [](Type *) { return true; });
  }

  Error type(Type *T) {
    if (!typeFits(T))
      return deeper("types", MaxNesting);
    return Error::success();
  }

  Error constant(const Constant *C) {
    // Global values are leaves: their contents are checked on their own.
    bool TypesFit = true;
    bool Fits = longestPath(
        C, ConstantDepth,
        [](const Constant *C) { return isa<GlobalValue>(C) ? 0u : C->getNumOperands(); },
        [](const Constant *C, unsigned I) { return cast<Constant>(C->getOperand(I)); },
        [&](const Constant *C) {
          auto *G = dyn_cast<GEPOperator>(C);
          TypesFit = typeFits(C->getType()) && (!G || typeFits(G->getSourceElementType()));
          return TypesFit;
        });
    if (!TypesFit)
      return deeper("types", MaxNesting);
    if (!Fits)
      return deeper("constants", MaxNesting);
    return Error::success();
  }

  /// The depth a recursive depth-first walk of the metadata graph reaches
  /// (cycles are cut at nodes already visited), as LLVM's walks do.
  Error metadata(const Metadata *Root) {
    auto *N = dyn_cast_or_null<MDNode>(Root);
    if (!N || !MDVisited.insert(N).second)
      return Error::success();
    SmallVector<std::pair<const MDNode *, unsigned>, 16> Stack{{N, 0}};
    while (!Stack.empty()) {
      auto &[Node, Next] = Stack.back();
      if (Next == Node->getNumOperands()) {
        Stack.pop_back();
        continue;
      }
      auto *K = dyn_cast_or_null<MDNode>(Node->getOperand(Next++).get());
      if (!K || !MDVisited.insert(K).second)
        continue;
      if (Stack.size() >= MaxMetadataDepth)
        return deeper("metadata", MaxMetadataDepth);
      Stack.push_back({K, 0});
    }
    return Error::success();
  }

  StringRef Name;
  std::string What;
  DenseMap<Type *, unsigned> TypeDepth;
  DenseMap<const Constant *, unsigned> ConstantDepth;
  SmallPtrSet<const MDNode *, 32> MDVisited;
};

/// Reads IR text as llvm::parseAssembly() does, but without its last step, the debug-info upgrade:
/// that runs the verifier and ends the process (report_fatal_error) when a module with debug info
/// fails it. The caller verifies, then calls upgradeDebugInfo().
std::unique_ptr<Module> parseText(MemoryBufferRef Buffer, SMDiagnostic &Diag, LLVMContext &Ctx) {
  SourceMgr Sources;
  Sources.AddNewSourceBuffer(MemoryBuffer::getMemBuffer(Buffer), SMLoc());
  auto M = std::make_unique<Module>(Buffer.getBufferIdentifier(), Ctx);
  if (LLParser(Buffer.getBuffer(), Sources, Diag, M.get(), /*Index=*/nullptr, Ctx)
          .Run(/*UpgradeDebugInfo=*/false))
    return nullptr;
  return M;
}

/// What llvm::UpgradeDebugInfo() does to a module that passes the verifier: debug info of another
/// metadata version, or broken (\p Broken, from the verifier), is dropped, with a warning through
/// the context's diagnostic handler.
void upgradeDebugInfo(Module &M, bool Broken) {
  unsigned Version = getDebugMetadataVersionFromModule(M);
  if (Version == DEBUG_METADATA_VERSION && !Broken)
    return;
  if (Broken)
    M.getContext().diagnose(DiagnosticInfoIgnoringInvalidDebugMetadata(M));
  if (StripDebugInfo(M) && Version != DEBUG_METADATA_VERSION)
    M.getContext().diagnose(DiagnosticInfoDebugMetadataVersion(M, Version));
}

/// Reads bitcode as llvm::parseBitcodeFile() does, up to its last step: every body and the
/// module's metadata, but not materializeAll(), whose debug-info upgrade ends the process when a
/// module with debug info fails the verifier. The caller verifies, then calls materializeAll().
Expected<std::unique_ptr<Module>> parseBitcode(MemoryBufferRef Buffer, LLVMContext &Ctx) {
  auto M = getLazyBitcodeModule(Buffer, Ctx);
  if (!M)
    return M.takeError();
  for (llvm::Function &F : **M)
    if (Error E = F.materialize())
      return std::move(E);
  if (Error E = (*M)->materializeMetadata())
    return std::move(E);
  return M;
}

} // namespace

Expected<std::unique_ptr<Module>> parseModule(ModuleSource &S, StringRef Name, LLVMContext &Ctx,
                                              SavedSource &Saved, size_t MaxBytes) {
  std::unique_ptr<Module> Given;
  switch (S.kind()) {
  case ModuleSource::Kind::Module:
    Given = S.takeModule();
    if (!Given)
      return fail(ErrorKind::Parse, "module '" + Name + "': no module given");
    Saved.Bitcode = true;
    break;
  case ModuleSource::Kind::File: {
    auto Bytes = readFile(S.data(), Name, MaxBytes);
    if (!Bytes)
      return Bytes.takeError();
    Saved.Bytes = std::move(*Bytes);
    Saved.Bitcode = StringRef(Saved.Bytes).starts_with("BC\xC0\xDE");
    break;
  }
  case ModuleSource::Kind::IRText:
  case ModuleSource::Kind::Bitcode:
    if (MaxBytes && S.data().size() > MaxBytes)
      return tooLarge(Name, Twine(S.data().size()), MaxBytes);
    Saved.Bytes = S.data();
    Saved.Bitcode = S.kind() == ModuleSource::Kind::Bitcode;
    break;
  }
  if (!Given && !Saved.Bitcode)
    if (Error E = checkTextNesting(Saved.Bytes, Name))
      return std::move(E);

  std::unique_ptr<Module> M = std::move(Given);
  std::optional<Error> Result;
  auto Parse = [&]() -> Error {
    auto InvalidBitcode = [&](Error E) {
      return fail(ErrorKind::Parse,
                  "module '" + Name + "': invalid bitcode: " + toString(std::move(E)));
    };
    const bool Parsed = !M;
    if (!M && Saved.Bitcode) {
      auto Read = parseBitcode(MemoryBufferRef(Saved.Bytes, Name), Ctx);
      if (!Read)
        return InvalidBitcode(Read.takeError());
      M = std::move(*Read);
    } else if (!M) {
      // The IR parser needs a NUL-terminated buffer: std::string has one.
      SMDiagnostic Diag;
      M = parseText(MemoryBufferRef(StringRef(Saved.Bytes.c_str(), Saved.Bytes.size()), Name), Diag,
                    Ctx);
      if (!M)
        return fail(ErrorKind::Parse, "module '" + Name + "': malformed IR at line " +
                                          Twine(Diag.getLineNo()) + ":" +
                                          Twine(Diag.getColumnNo() + 1) + ": " + Diag.getMessage());
    }
    if (Error E = NestingCheck(Name).run(*M))
      return E;
    // A parsed module's broken debug info is dropped, as LLVM's readers drop it; a given module's
    // is an error.
    std::string VerifyMsg;
    raw_string_ostream VOS(VerifyMsg);
    bool BrokenDebugInfo = false;
    if (verifyModule(*M, &VOS, Parsed ? &BrokenDebugInfo : nullptr))
      return fail(ErrorKind::Verify,
                  "module '" + Name + "' failed verification: " + StringRef(VerifyMsg).trim());
    if (Parsed && Saved.Bitcode) {
      // The reader's last step (its upgrades), now that the module is known to verify.
      if (Error E = M->materializeAll())
        return InvalidBitcode(std::move(E));
    } else if (Parsed) {
      upgradeDebugInfo(*M, BrokenDebugInfo);
    }
    if (S.kind() == ModuleSource::Kind::Module) {
      raw_string_ostream OS(Saved.Bytes);
      WriteBitcodeToFile(*M, OS);
    }
    return Error::success();
  };
  size_t Source = Given ? 0 : Saved.Bytes.size();
  if (Error E = runWithStack(ParseStackBase + ParseStackPerByte * Source, Name,
                             [&] { Result.emplace(Parse()); }))
    return std::move(E);
  if (*Result)
    return std::move(*Result);
  return std::move(M);
}

} // namespace hotjit
