#!/usr/bin/env python3
"""The C API and the Python package copy the engine's vocabularies by hand; this checks each
copy against its original, reading the sources only (nothing is built, loaded or imported).

  check_bindings.py SOURCE_DIR      exit status 0 when every copy agrees, 1 with each difference

Originals: ErrorKind (engine/include/hotjit/engine/Errors.h), EngineOptions, CommitReport and
EngineStats (engine/include/hotjit/engine/Engine.h), EpochStats and EpochStall
(concurrency/include/hotjit/concurrency/EpochDomain.h). Copies: bindings/c/include/hotjit/hotjit.h,
bindings/c/CApi.cpp, bindings/python/hotjit/__init__.py and bindings/python/hotjit/_capi.py.

Mapping rules, C++ -> C -> Python:
- Error kinds: ErrorKind::InUse -> HOTJIT_ERROR_IN_USE (CamelCase -> UPPER_SNAKE, a digit ends a
  word) with the same value; the C API's own kinds have values from 100. hotjit_error_kind_name
  gives the C++ enumerator's name (for the C API's own kinds: the UPPER_SNAKE name in CamelCase).
  Python's ErrorKind has every C kind, without the HOTJIT_ERROR_ prefix, with the same value.
- Struct fields: CamelCase -> snake_case (LastTier0Latency -> last_tier0_latency). A duration
  gains its unit (std::chrono::nanoseconds -> _ns, milliseconds -> _ms, microseconds -> _us); a
  std::vector<std::string> becomes <name>_count and <name>. The exceptions are the tables
  below, each with its reason. (C against C++ compares names; CApi.cpp's assignments between
  them are type-checked by the compiler.)
- Python's ctypes structures have the C struct's fields, in the C order, with the ctypes type of
  each C type; CApi.cpp assigns (or reads) every field of each C struct.
"""

import ast
import difflib
import pathlib
import re
import sys

# C++ fields with no C counterpart, and why.
CXX_ONLY = {
    "EngineOptions": {
        "BeforeTierUp": "a tracing and test hook that takes llvm::StringRef",
        "UnsafeReclaimWithoutGracePeriod": "TEST ONLY: proves the stress tests see a missing "
                                           "grace period",
    },
    "EpochStats": {
        "RetiredPending": "the engine counts versions (versions_retired - versions_freed)",
        "RetiredBytesPending": "EngineStats::RetiredBytesPending is the engine's own",
        "Reclaimed": "versions_freed counts what the engine reclaimed",
        "ReaderFence": "an implementation detail of the domain",
        "StackCheckFrees": "EngineStats::VersionsFreedByStackCheck counts the same frees",
        "StackCheckHeld": "EngineStats::StackCheckHeldCode counts the same checks",
    },
}
# C fields with no C++ counterpart, and why.
C_ONLY = {
    "hotjit_engine_options": {"struct_size": "the layout version",
                              "on_stall_user_data": "on_stall's argument"},
    "hotjit_stats": {"struct_size": "the layout version"},
    "hotjit_stall": {},
    "hotjit_report": {},
}
# C++ fields whose C name does not follow the rules.
RENAMED = {
    ("EngineStats", "Epochs"): [],  # flattened: EpochStats' own fields map to C fields
    ("EpochStats", "Threads"): ["registered_threads"],  # the count of the thread list
    ("EpochStall", "describe"): ["description"],  # the text of describe()
}
CTYPES = {
    "size_t": "c_size_t", "unsigned": "c_uint", "int": "c_int", "uint32_t": "c_uint32",
    "uint64_t": "c_uint64", "const char *": "c_char_p", "void *": "c_void_p",
    "const char *const *": "POINTER(c_char_p)", "hotjit_stall_handler": "STALL_HANDLER",
}
UNITS = {"nanoseconds": "_ns", "milliseconds": "_ms", "microseconds": "_us"}

problems = []


def problem(text):
    problems.append(text)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def camel(upper_snake):
    return "".join(w.capitalize() for w in upper_snake.split("_"))


def body(text, opener, what):
    """The text between the braces that follow `opener`."""
    start = text.find(opener)
    if start < 0:
        sys.exit(f"check_bindings: {what}: '{opener}' not found")
    i = text.index("{", start) + 1
    depth = 1
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i:j]
    sys.exit(f"check_bindings: {what}: unbalanced braces after '{opener}'")


def strip_templates(text):
    while True:
        shorter = re.sub(r"<[^<>]*>", "", text)
        if shorter == text:
            return text
        text = shorter


def split_top(text):
    """`text` split at the commas outside <>, () and {}."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"<": 1, "(": 1, "{": 1, ">": -1, ")": -1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return parts + [text[start:]]


def fields(text, opener, what):
    """[(type, name)] of a struct's data members; a member function f() gives ('()', 'f')."""
    out = []
    for stmt in strip_comments(body(text, opener, what)).split(";"):
        stmt = " ".join(stmt.split())
        if not stmt:
            continue
        parts = split_top(stmt)
        # Drop the initialisers ({...}, = ...) of each declarator.
        parts = [re.sub(r"(\{[^{}]*\}|=.*)$", "", p).strip() for p in parts]
        if "(" in strip_templates(parts[0]):  # a member function
            out.append(("()", re.search(r"(\w+)\s*\(", strip_templates(parts[0])).group(1)))
            continue
        m = re.fullmatch(r"(.*?[\w>*&\s])\s*(\w+)", parts[0])
        if not m:
            problem(f"{what}: cannot read the declaration '{stmt}'")
            continue
        ctype = " ".join(m.group(1).split())
        out.append((ctype, m.group(2)))
        out.extend((ctype, p) for p in parts[1:])
    return out


def c_names(cxx_type, cxx_name, owner):
    """The C fields the rules give a C++ field."""
    if (owner, cxx_name) in RENAMED:
        return RENAMED[(owner, cxx_name)]
    base = snake(cxx_name)
    unit = re.fullmatch(r"std::chrono::(\w+)", cxx_type)
    if unit:
        return [base + UNITS[unit.group(1)]]
    if cxx_type == "std::vector<std::string>":
        return [base + "_count", base]
    return [base]


def expect_struct(sources, c_fields, c_struct):
    """Compares the C fields of one struct with those the rules derive from the C++ fields of
    `sources`, [(C++ struct, text of its header)]."""
    expected = {}
    for cxx_struct, cxx_text in sources:
        for cxx_type, name in fields(cxx_text, f"struct {cxx_struct} {{", cxx_struct):
            if cxx_type == "()" and (cxx_struct, name) not in RENAMED:
                continue
            if name in CXX_ONLY.get(cxx_struct, {}):
                continue
            for c in c_names(cxx_type, name, cxx_struct):
                expected[c] = f"{cxx_struct}::{name}"
    have = [n for _, n in c_fields]
    for c, origin in expected.items():
        if c not in have:
            problem(f"{c_struct} has no field '{c}' for {origin} (hotjit.h)")
    for c in have:
        if c not in expected and c not in C_ONLY[c_struct]:
            problem(f"{c_struct}.{c} has no C++ counterpart (or list it in C_ONLY)")


def expect_ctypes(c_struct, c_fields, py_classes, py_class):
    py = py_classes.get(py_class)
    if py is None:
        problem(f"bindings/python/hotjit/_capi.py has no class {py_class}")
        return
    want = [(n, CTYPES.get(t, f"? {t}")) for t, n in c_fields]
    if py != want:
        diff = [d for d in difflib.ndiff([f"{n}: {t}" for n, t in want],
                                         [f"{n}: {t}" for n, t in py]) if d[0] in "+-"]
        problem(f"_capi.{py_class}._fields_ differs from {c_struct} (- C, + Python, in order): "
                + "; ".join(diff))


def ctypes_classes(tree):
    """{class name: [(field, ctypes type)]} of the ctypes.Structure classes of _capi.py."""
    out = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            if (isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id == "_fields_"):
                out[node.name] = [
                    (e.elts[0].value, ast.unparse(e.elts[1]).replace("ctypes.", ""))
                    for e in stmt.value.elts]
    return out


def main():
    root = pathlib.Path(sys.argv[1])
    read = lambda p: (root / p).read_text()
    errors_h = read("engine/include/hotjit/engine/Errors.h")
    engine_h = read("engine/include/hotjit/engine/Engine.h")
    epoch_h = read("concurrency/include/hotjit/concurrency/EpochDomain.h")
    c_h = read("bindings/c/include/hotjit/hotjit.h")
    capi = read("bindings/c/CApi.cpp")
    py_init = read("bindings/python/hotjit/__init__.py")
    py_capi = ast.parse(read("bindings/python/hotjit/_capi.py"))

    # ---- Error kinds.
    cxx_kinds, value = {}, -1
    for item in strip_comments(body(errors_h, "enum class ErrorKind", "Errors.h")).split(","):
        m = re.fullmatch(r"\s*(\w+)\s*(?:=\s*(\d+))?\s*", item)
        if m:
            value = int(m.group(2)) if m.group(2) else value + 1
            cxx_kinds[m.group(1)] = value
    c_kinds = {m.group(1): int(m.group(2), 0) for m in re.finditer(
        r"HOTJIT_ERROR_(\w+?)\s*=\s*(0x[0-9a-fA-F]+|\d+)",
        strip_comments(body(c_h, "typedef enum hotjit_error_kind", "hotjit.h")))}
    c_kinds.pop("KIND_MAX_", None)
    names = {m.group(1): m.group(2) for m in re.finditer(
        r'case HOTJIT_ERROR_(\w+):\s*return "(\w+)";',
        body(capi, "const char *hotjit_error_kind_name(", "CApi.cpp"))}
    for kind, v in cxx_kinds.items():
        c = snake(kind).upper()
        if c not in c_kinds:
            problem(f"ErrorKind::{kind} has no HOTJIT_ERROR_{c} (hotjit.h)")
        elif c_kinds[c] != v:
            problem(f"HOTJIT_ERROR_{c} is {c_kinds[c]}, ErrorKind::{kind} is {v}")
        if names.get(c) != kind:
            problem(f"hotjit_error_kind_name(HOTJIT_ERROR_{c}) is {names.get(c)!r}, "
                    f"not {kind!r} (CApi.cpp)")
    engine_kinds = {snake(k).upper() for k in cxx_kinds}
    for c, v in c_kinds.items():
        if c in engine_kinds:
            continue
        if v < 100:
            problem(f"HOTJIT_ERROR_{c} = {v} is no ErrorKind; the C API's own kinds are >= 100")
        if names.get(c) != camel(c):
            problem(f"hotjit_error_kind_name(HOTJIT_ERROR_{c}) is {names.get(c)!r}, "
                    f"not {camel(c)!r} (CApi.cpp)")
    py_kinds = {}
    for node in ast.walk(ast.parse(py_init)):
        if isinstance(node, ast.ClassDef) and node.name == "ErrorKind":
            py_kinds = {s.targets[0].id: s.value.value for s in node.body
                        if isinstance(s, ast.Assign)}
    if py_kinds != c_kinds:
        problem(f"python ErrorKind differs from hotjit_error_kind:\n"
                f"    C:      {sorted(c_kinds.items(), key=lambda i: i[1])}\n"
                f"    Python: {sorted(py_kinds.items(), key=lambda i: i[1])}")

    # ---- Structs: C against C++, Python against C, CApi.cpp fills every C field.
    structs = {s: fields(c_h, f"typedef struct {s} {{", s)
               for s in ("hotjit_engine_options", "hotjit_stats", "hotjit_report",
                         "hotjit_stall")}
    expect_struct([("EngineOptions", engine_h)], structs["hotjit_engine_options"],
                  "hotjit_engine_options")
    expect_struct([("CommitReport", engine_h)], structs["hotjit_report"], "hotjit_report")
    expect_struct([("EpochStall", epoch_h)], structs["hotjit_stall"], "hotjit_stall")
    expect_struct([("EngineStats", engine_h), ("EpochStats", epoch_h)], structs["hotjit_stats"],
                  "hotjit_stats")
    py = ctypes_classes(py_capi)
    for c_struct, py_class in (("hotjit_engine_options", "EngineOptions"),
                               ("hotjit_stats", "Stats"), ("hotjit_report", "Report"),
                               ("hotjit_stall", "Stall")):
        expect_ctypes(c_struct, structs[c_struct], py, py_class)

    def assigned(prefix, function, c_struct, skip=()):
        text = body(capi, function, "CApi.cpp")
        for _, f in structs[c_struct]:
            if f not in skip and not re.search(re.escape(prefix) + f + r"\b", text):
                problem(f"CApi.cpp: {function.split('(')[0].split()[-1]} does not use "
                        f"{prefix}{f} ({c_struct}.{f})")

    assigned("O->", "void hotjit_engine_options_init(", "hotjit_engine_options",
             {"struct_size", "on_stall", "on_stall_user_data"})
    assigned("Given.", "hotjit_error *hotjit_engine_create(", "hotjit_engine_options",
             {"struct_size"})
    assigned("S.", "void hotjit_get_stats(", "hotjit_stats")
    assigned("Out.", "hotjit_report *toReport(", "hotjit_report")

    # ---- Python's Report dataclass and its times_ns keys, source kinds, remove modes.
    report_c = [n for _, n in structs["hotjit_report"]]
    times = [n[:-3] for n in report_c if n.endswith("_ns")]
    plain = [n for n in report_c if not n.endswith(("_ns", "_count"))] + ["times_ns"]
    for node in ast.walk(ast.parse(py_init)):
        if isinstance(node, ast.ClassDef) and node.name == "Report":
            have = [s.target.id for s in node.body if isinstance(s, ast.AnnAssign)]
            if sorted(have) != sorted(plain):
                problem(f"python Report's fields {have} differ from hotjit_report's {plain}")
        if isinstance(node, ast.keyword) and node.arg == "times_ns":
            keys = [e.value for n in ast.walk(node.value) if isinstance(n, ast.Tuple)
                    for e in n.elts]
            if keys != times:
                problem(f"python Report.times_ns keys {keys} differ from hotjit_report's "
                        f"*_ns fields {times}")
    c_sources = {m.group(1): int(m.group(2)) for m in re.finditer(
        r"HOTJIT_SOURCE_([A-Z_]+[A-Z])\s*=\s*(\d+)\b", strip_comments(c_h))}
    m = re.search(r"_SOURCE_IR, _SOURCE_BITCODE, _SOURCE_FILE = (\d+), (\d+), (\d+)", py_init)
    py_sources = dict(zip(("IR_TEXT", "BITCODE", "FILE"), map(int, m.groups()))) if m else {}
    if py_sources != c_sources:
        problem(f"python's source kinds {py_sources} differ from hotjit_source_kind {c_sources}")
    c_modes = {m.group(1): int(m.group(2)) for m in re.finditer(
        r"HOTJIT_REMOVE_([A-Z_]+[A-Z])\s*=\s*(\d+)\b", strip_comments(c_h))}
    m = re.search(r"hotjit_batch_remove\(.*, (\d+) if force else (\d+)\)", py_init)
    py_modes = {"FORCE": int(m.group(1)), "IF_UNUSED": int(m.group(2))} if m else {}
    if py_modes != c_modes:
        problem(f"python's remove modes {py_modes} differ from hotjit_remove_mode {c_modes}")

    for p in problems:
        print("check_bindings:", p)
    if not problems:
        print(f"check_bindings: {len(cxx_kinds)} error kinds, "
              f"{sum(map(len, structs.values()))} C fields: the copies agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
