#include "rewrite/OldState.h"

#include "Mutations.h"
#include "rewrite/ModuleRewriter.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StableHashing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/ModuleSlotTracker.h"
#include "llvm/IR/Operator.h"
#include "llvm/Support/xxhash.h"

#include <cstring>
#include <memory>
#include <optional>
#include <type_traits>

using namespace llvm;

namespace hotjit {
namespace {

constexpr StringLiteral StateTag = " state ";

/// A name the engine made for a module, "__hotjit.<kind>.<length>.<module>.<rest>", split into
/// its kind and what follows the module; nothing for other names.
struct EngineName {
  StringRef Kind, Rest;
};
std::optional<EngineName> splitEngineName(StringRef Name) {
  if (!Name.consume_front("__hotjit."))
    return std::nullopt;
  auto [Kind, Tail] = Name.split('.');
  auto [Length, Rest] = Tail.split('.');
  size_t N = 0;
  if (Length.getAsInteger(10, N) || Rest.size() < N + 1 || Rest[N] != '.')
    return std::nullopt;
  return EngineName{Kind, Rest.drop_front(N + 1)};
}

/// The symbol's own name: past the engine's prefix for promoted statics
/// ("__hotjit.local.<length>.<module>.<name>").
StringRef ownName(StringRef Name) {
  if (auto E = splitEngineName(Name); E && E->Kind == "local")
    return E->Rest;
  return Name;
}

/// Every attribute of \p Attrs, by position (the IR printer writes groups as numbers).
std::string attributesText(const AttributeList &Attrs) {
  std::string Text;
  for (unsigned Index : Attrs.indexes())
    if (Attrs.hasAttributesAtIndex(Index))
      Text += (" attrs" + Twine(Index) + " " + Attrs.getAsString(Index)).str();
  return Text;
}

/// The text of \p V as the IR printer writes it, without what varies with
/// unrelated edits: debug records, metadata and attribute-group numbers.
/// \p Slots numbers the module's values once for every print (a print without one numbers the whole
/// module's metadata each time).
void printNormalized(const Value &V, ModuleSlotTracker &Slots, SmallVectorImpl<char> &Out) {
  std::string Text;
  raw_string_ostream OS(Text);
  V.print(OS, Slots);
  for (StringRef Rest = Text; !Rest.empty();) {
    auto [Line, Next] = Rest.split('\n');
    Rest = Next;
    if (Line.ltrim().starts_with("#dbg_")) // A debug record (a constant's bytes may hold "#dbg_").
      continue;
    bool Quoted = false; // Inside "...": a string constant's bytes or a name, kept as printed.
    for (size_t K = 0; K < Line.size(); ++K) {
      if (Line[K] == '"')
        Quoted = !Quoted; // The printer escapes a quote inside a string as \22.
      if (Quoted) {
        Out.push_back(Line[K]);
        continue;
      }
      // Names the engine made for this module ("__hotjit.<kind>.<length>.<module>.<name>"):
      // without the module, so that two modules' copies of one inline function compare.
      if (auto E = splitEngineName(Line.substr(K)); E && !E->Rest.empty()) {
        StringRef Kept = Line.substr(K, strlen("__hotjit.") + E->Kind.size() + 1);
        Out.append(Kept.begin(), Kept.end());
        K = Line.size() - E->Rest.size() - 1; // The loop steps onto the rest.
        continue;
      }
      Out.push_back(Line[K]);
      if ((Line[K] == '!' || Line[K] == '#') && K + 1 < Line.size() && isDigit(Line[K + 1]))
        while (K + 1 < Line.size() && isDigit(Line[K + 1]))
          ++K;
    }
    Out.push_back('\n');
  }
}

/// True if \p T is or holds a struct type (whose name alone says nothing of its fields).
bool holdsStruct(Type *T) {
  if (isa<StructType>(T))
    return true;
  if (auto *AT = dyn_cast<ArrayType>(T))
    return holdsStruct(AT->getElementType());
  if (auto *VT = dyn_cast<VectorType>(T))
    return holdsStruct(VT->getElementType());
  if (auto *FT = dyn_cast<FunctionType>(T))
    return any_of(FT->subtypes(), [](Type *Inner) { return holdsStruct(Inner); });
  return false;
}

/// Digests of the code a function runs: its own text, the layouts of the
/// types it addresses (a struct's name says nothing of its fields), the
/// contents of its module's constants it refers to, and the digests of the
/// functions of its module it calls or refers to, transitively. Functions
/// that call each other share one digest (of their strongly connected
/// component, Tarjan), so a digest never depends on which function was asked
/// first. Memoised per module.
class CodeDigests {
public:
  /// \p CalleesOnly: an externally visible function of the module is a
  /// dependency only where it is called; its address is its stub's (the rewrite
  /// points every other use there), which no edit of its code changes.
  explicit CodeDigests(bool CalleesOnly = false) : CalleesOnly(CalleesOnly) {}

  uint64_t of(const Function &F) {
    if (!Nodes.count(&F))
      visit(F);
    return Nodes[&F].Digest;
  }

private:
  struct Node {
    unsigned Index = 0, Low = 0;
    bool OnStack = false;
    uint64_t Digest = 0;
  };

  /// The function's own part, and the functions of its module it reaches.
  struct Local {
    uint64_t Hash = 0;
    SmallVector<const Function *, 4> Reaches;
  };

  const Local &local(const Function &F) {
    auto [It, New] = Locals.try_emplace(&F);
    if (!New)
      return It->second;
    SmallString<4096> Text;
    if (!Slots)
      Slots = std::make_unique<ModuleSlotTracker>(F.getParent(),
                                                  /*ShouldInitializeAllMetadata=*/false);
    printNormalized(F, *Slots, Text);
    SmallPtrSet<const Value *, 32> Seen;
    SmallPtrSet<const Type *, 8> Laid;
    SmallVector<const Function *, 4> Reaches;
    // The printer names struct types; their layouts (what a rebuild lays out, passes by value,
    // allocates) are spelt out for every type the code uses that holds one.
    auto Layout = [&](Type *T) {
      if (T && holdsStruct(T) && Laid.insert(T).second)
        Text += typeText(T);
    };
    auto LayoutAttributes = [&](const AttributeList &Attrs) {
      for (unsigned Index : Attrs.indexes())
        for (const Attribute &A : Attrs.getAttributes(Index))
          if (A.isTypeAttribute())
            Layout(A.getValueAsType());
    };
    // Attributes print as group numbers, which printNormalized() drops: spell them out.
    Text += attributesText(F.getAttributes());
    Layout(F.getFunctionType());
    LayoutAttributes(F.getAttributes());
    // Metadata prints as numbers, which printNormalized() drops: what the optimiser reads from it
    // (type-based alias analysis, ranges, loop hints) is spelt out; debug info is not code.
    SmallVector<std::pair<unsigned, MDNode *>, 4> Attached;
    auto Annotations = [&](auto &Holder) {
      Attached.clear();
      if constexpr (std::is_same_v<std::decay_t<decltype(Holder)>, Function>)
        Holder.getAllMetadata(Attached);
      else
        Holder.getAllMetadataOtherThanDebugLoc(Attached);
      for (auto &[Kind, Node] : Attached)
        if (Kind != LLVMContext::MD_dbg)
          raw_svector_ostream(Text)
              << " md " << kindName(F.getContext(), Kind) << ' ' << metadataHash(Node) << '\n';
    };
    Annotations(F);
    for (const Instruction &I : instructions(F)) {
      Annotations(I);
      Layout(I.getType());
      if (auto *GEP = dyn_cast<GetElementPtrInst>(&I))
        Layout(GEP->getSourceElementType());
      else if (auto *A = dyn_cast<AllocaInst>(&I))
        Layout(A->getAllocatedType());
      else if (auto *CB = dyn_cast<CallBase>(&I)) {
        Text += attributesText(CB->getAttributes());
        Layout(CB->getFunctionType());
        LayoutAttributes(CB->getAttributes());
      }
      for (const Use &Op : I.operands()) {
        Layout(Op->getType());
        if (auto *MD = dyn_cast<MetadataAsValue>(Op.get())) // `metadata !{!"rsp"}`, by content.
          raw_svector_ostream(Text) << " mdarg " << metadataHash(MD->getMetadata()) << '\n';
        if (auto *C = dyn_cast<Constant>(Op.get())) {
          auto *CB = dyn_cast<CallBase>(&I);
          reach(C, Text, Seen, Reaches, CB && CB->isCallee(&Op));
        }
      }
    }
    Local &L = Locals[&F]; // reach() does not insert into Locals.
    L.Hash = xxh3_64bits(StringRef(Text.data(), Text.size()));
    L.Reaches = std::move(Reaches);
    return L;
  }

  /// Adds the contents of the module's own constants that \p C refers to and
  /// notes the functions of the module it refers to.
  void reach(const Constant *C, SmallVectorImpl<char> &Text, SmallPtrSetImpl<const Value *> &Seen,
             SmallVectorImpl<const Function *> &Reaches, bool Called = false) {
    if (auto *F = dyn_cast<Function>(C)) {
      if (!F->isDeclaration()) {
        if (!CalleesOnly || Called || F->hasLocalLinkage())
          Reaches.push_back(F);
        else // Its stub: the one of its type (commit/TypeIdentity.cpp).
          raw_svector_ostream(Text) << " address " << typeText(F->getFunctionType()) << '\n';
        return;
      }
      if (Seen.insert(C).second) // Its type (pointers do not spell it), what a call may assume.
        raw_svector_ostream(Text) << " declare " << typeText(F->getFunctionType())
                                  << attributesText(F->getAttributes()) << '\n';
      return;
    }
    if (!Seen.insert(C).second)
      return;
    if (auto *GA = dyn_cast<GlobalAlias>(C)) {
      // An alias is another name of what it names: a call through it runs the aliasee's code.
      raw_svector_ostream(Text) << " alias " << typeText(GA->getValueType()) << '\n';
      reach(GA->getAliasee(), Text, Seen, Reaches, Called);
      return;
    }
    if (auto *GV = dyn_cast<GlobalVariable>(C)) {
      // A constant's contents, which the optimiser folds into the code; of other globals, what
      // the code's loads and stores assume (their type, whether they may change, their linkage).
      if (GV->isConstant() && GV->hasInitializer() && !mutation::DigestIgnoresConstants) {
        auto [Hash, New] = ConstantHashes.try_emplace(GV);
        if (New) {
          SmallString<256> Contents;
          printNormalized(*GV, *Slots, Contents);
          Hash->second = xxh3_64bits(StringRef(Contents.data(), Contents.size()));
        }
        raw_svector_ostream(Text) << " constant " << Hash->second << ' '
                                  << typeText(GV->getValueType()) << '\n';
        reach(GV->getInitializer(), Text, Seen, Reaches);
      } else {
        raw_svector_ostream(Text) << " global " << typeText(GV->getValueType()) << ' '
                                  << GV->isConstant() << GV->getLinkage() << GV->isThreadLocal()
                                  << '\n';
      }
      return;
    }
    if (isa<GlobalValue>(C))
      return;
    if (auto *GEP = dyn_cast<GEPOperator>(C); GEP && holdsStruct(GEP->getSourceElementType()))
      raw_svector_ostream(Text) << " gep " << typeText(GEP->getSourceElementType()) << '\n';
    for (const Use &U : C->operands())
      if (auto *Inner = dyn_cast<Constant>(U.get()))
        reach(Inner, Text, Seen, Reaches);
  }

  void visit(const Function &F) {
    unsigned Me = Next++;
    Nodes[&F] = {Me, Me, true, 0};
    Stack.push_back(&F);
    SmallVector<const Function *, 4> Reaches = local(F).Reaches;
    for (const Function *G : Reaches) {
      if (!Nodes.count(G)) {
        visit(*G);
        Nodes[&F].Low = std::min(Nodes[&F].Low, Nodes[G].Low);
      } else if (Nodes[G].OnStack) {
        Nodes[&F].Low = std::min(Nodes[&F].Low, Nodes[G].Index);
      }
    }
    if (Nodes[&F].Low != Me)
      return;
    // F roots a component: its members are on the stack above it.
    SmallVector<const Function *, 4> Members;
    do {
      Members.push_back(Stack.back());
      Stack.pop_back();
      Nodes[Members.back()].OnStack = false;
    } while (Members.back() != &F);
    SmallPtrSet<const Function *, 4> InComponent(Members.begin(), Members.end());
    SmallVector<stable_hash, 8> Own, Below;
    for (const Function *M : Members) {
      Own.push_back(local(*M).Hash);
      for (const Function *G : local(*M).Reaches)
        if (!InComponent.count(G))
          if constexpr (!mutation::DigestIgnoresCallees)
            Below.push_back(Nodes[G].Digest);
    }
    llvm::sort(Own);
    llvm::sort(Below);
    Below.erase(std::unique(Below.begin(), Below.end()), Below.end());
    Own.push_back(0x5eed); // Separates the two lists.
    Own.append(Below.begin(), Below.end());
    uint64_t Digest = stable_hash_combine(Own);
    for (const Function *M : Members)
      Nodes[M].Digest = Digest;
  }

  /// The name of metadata kind \p Kind (kinds are numbered per context).
  StringRef kindName(LLVMContext &Ctx, unsigned Kind) {
    if (KindNames.empty())
      Ctx.getMDKindNames(KindNames);
    return Kind < KindNames.size() ? KindNames[Kind] : StringRef();
  }

  /// A digest of metadata \p MD's contents: strings, constants, nested nodes (a node met again
  /// inside itself, as a loop's identity is, by a mark); debug info by a mark alone.
  uint64_t metadataHash(const Metadata *MD) {
    if (!MD)
      return 0;
    if (isa<DINode>(MD) || isa<DILocation>(MD) || isa<DIExpression>(MD))
      return 0xdeb6;
    if (auto It = MetadataHashes.find(MD); It != MetadataHashes.end())
      return It->second;
    uint64_t Hash = 0;
    if (auto *S = dyn_cast<MDString>(MD)) {
      Hash = xxh3_64bits(S->getString());
    } else if (auto *V = dyn_cast<ValueAsMetadata>(MD)) {
      std::string Text;
      raw_string_ostream OS(Text);
      V->getValue()->printAsOperand(OS, /*PrintType=*/true);
      Hash = xxh3_64bits(Text);
    } else if (auto *N = dyn_cast<MDNode>(MD)) {
      MetadataHashes[MD] = 0x5e1f; // Inside itself.
      SmallVector<stable_hash, 8> Parts{N->isDistinct() ? 0xd157u : 0x5a3eu};
      for (const MDOperand &Op : N->operands())
        Parts.push_back(metadataHash(Op.get()));
      Hash = stable_hash_combine(Parts);
    }
    MetadataHashes[MD] = Hash;
    return Hash;
  }

  const bool CalleesOnly;
  SmallVector<StringRef, 48> KindNames;
  DenseMap<const Metadata *, uint64_t> MetadataHashes;
  DenseMap<const Function *, Node> Nodes;
  DenseMap<const Function *, Local> Locals;
  DenseMap<const GlobalVariable *, uint64_t> ConstantHashes; ///< Of their printed text.
  std::unique_ptr<ModuleSlotTracker> Slots;
  SmallVector<const Function *, 16> Stack;
  unsigned Next = 0;
};

} // namespace

bool isStateBound(StringRef Name) {
  if constexpr (mutation::ClosureIdentityByName)
    return false;
  Name = ownName(Name);
  // Split coroutines (CoroSplit names the clones of `f` "f.resume" and so on).
  for (StringRef Clone : {".resume", ".destroy", ".cleanup"})
    if (Name.ends_with(Clone))
      return true;
  // Blocks, and clang's names for unnamed local types ("$_0").
  if (Name.contains("_block_invoke") || Name.contains("$_"))
    return true;
  // Itanium lambdas ("Ul<parameters>E<n>_"): the demangler spells their closure types
  // 'lambda'(...). Most names hold no "Ul" and need no demangling.
  if (!Name.starts_with("_Z") || !Name.contains("Ul"))
    return false;
  std::string Demangled = demangle(Name);
  return StringRef(Demangled).contains("'lambda");
}

StringMap<std::string> stateIdentities(const Module &M) {
  StringMap<std::string> Out;
  CodeDigests Digests;
  for (const Function &F : M.functions())
    if (!F.isDeclaration() && isStateBound(F.getName()) &&
        F.hasAddressTaken(nullptr, /*IgnoreCallbackUses=*/false,
                          /*IgnoreAssumeLikeCalls=*/true, /*IgnoreLLVMUsed=*/true))
      Out[F.getName()] =
          (StateTag + utohexstr(Digests.of(F), /*LowerCase=*/true, /*Width=*/16)).str();
  return Out;
}

StringMap<uint64_t> codeDigests(const Module &M, uint64_t Salt) {
  StringMap<uint64_t> Out;
  CodeDigests Digests(/*CalleesOnly=*/true);
  for (const Function &F : M.functions())
    if (!F.isDeclaration() && !F.hasLocalLinkage())
      Out[F.getName()] = stable_hash_combine(Digests.of(F), Salt);
  return Out;
}

StringRef signatureOf(StringRef Type) { return Type.split(StateTag).first; }

StringMap<uint64_t> constructorDigests(const Module &M) {
  StringMap<uint64_t> Out;
  const GlobalVariable *Ctors = M.getNamedGlobal("llvm.global_ctors");
  if (!Ctors || !Ctors->hasInitializer())
    return Out;
  CodeDigests Digests;
  for (const Use &Entry : Ctors->getInitializer()->operands())
    if (auto *S = dyn_cast<ConstantStruct>(Entry.get()); S && S->getNumOperands() >= 2)
      if (auto *F = dyn_cast<Function>(S->getOperand(1)->stripPointerCasts()))
        Out[F->getName()] = Digests.of(*F);
  return Out;
}

bool isAbiTable(const GlobalVariable &GV) {
  StringRef Name = GV.getName();
  // A table of a class with internal linkage, named for the module (normalize()).
  if (auto E = splitEngineName(Name)) {
    if (E->Kind != "const" || !E->Rest.consume_front("table."))
      return false;
    Name = E->Rest;
  }
  for (StringRef Prefix : {"_ZTV", "_ZTT", "_ZTI", "_ZTC"})
    if (Name.starts_with(Prefix))
      return true;
  return false;
}

namespace {

/// Whether \p C refers to a global variable of the module's own (local
/// linkage): storage that goes with its version.
bool refersToLocalData(const Constant *C, SmallPtrSetImpl<const Constant *> &Seen) {
  if (!Seen.insert(C).second)
    return false;
  if (auto *GV = dyn_cast<GlobalVariable>(C))
    return GV->hasLocalLinkage();
  if (isa<GlobalValue>(C))
    return false;
  for (const Use &U : C->operands())
    if (auto *Inner = dyn_cast<Constant>(U.get()); Inner && refersToLocalData(Inner, Seen))
      return true;
  return false;
}

} // namespace

std::vector<TableImage> addTableImages(Module &M, StringRef ModuleName, uint64_t Version,
                                       function_ref<bool(StringRef)> Exists) {
  std::vector<TableImage> Out;
  if constexpr (mutation::AbiTablesNotRewritten)
    return Out;
  std::vector<GlobalVariable *> Tables;
  for (GlobalVariable &GV : M.globals())
    if (isAbiTable(GV) && GV.hasInitializer() && !GV.hasLocalLinkage() && !GV.isThreadLocal() &&
        !isStateBound(GV.getName()) && Exists(GV.getName()))
      Tables.push_back(&GV);
  for (GlobalVariable *GV : Tables) {
    SmallPtrSet<const Constant *, 16> Seen;
    if (refersToLocalData(GV->getInitializer(), Seen))
      continue;
    std::string Symbol =
        implementationName(engineName("image", ModuleName, GV->getName()), Version);
    auto *Image = new GlobalVariable(M, GV->getValueType(), /*isConstant=*/true,
                                     GlobalValue::ExternalLinkage, GV->getInitializer(), Symbol);
    Image->setAlignment(GV->getAlign());
    Out.push_back({GV->getName().str(), std::move(Symbol),
                   M.getDataLayout().getTypeAllocSize(GV->getValueType()).getFixedValue()});
  }
  return Out;
}

std::string tableState(const GlobalVariable &GV, const StringMap<std::string> &States) {
  if (!GV.hasInitializer())
    return {};
  std::string Out;
  SmallPtrSet<const Constant *, 16> Seen;
  SmallVector<const Constant *, 16> Work{GV.getInitializer()};
  while (!Work.empty()) {
    const Constant *C = Work.pop_back_val();
    if (!Seen.insert(C).second)
      continue;
    if (auto *F = dyn_cast<Function>(C)) {
      if (auto It = States.find(F->getName()); It != States.end())
        Out += (F->getName() + It->second + "\n").str();
      continue;
    }
    if (!isa<GlobalValue>(C))
      for (const Use &U : C->operands())
        if (auto *Inner = dyn_cast<Constant>(U.get()))
          Work.push_back(Inner);
  }
  if (Out.empty())
    return {};
  return utohexstr(xxh3_64bits(Out), /*LowerCase=*/true, /*Width=*/16);
}

bool isTableImage(StringRef Name) { return Name.starts_with("__hotjit.image."); }

} // namespace hotjit
