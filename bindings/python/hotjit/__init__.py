"""hotjit for Python: hot-swap individual functions of LLVM IR modules in a live process.

A thin layer over libhotjit.so's C API (hotjit/hotjit.h) with the standard library's ctypes::

    import hotjit

    with hotjit.Engine(opt_level=2) as engine:
        engine.add("math", ir=open("math.ll").read())
        square = engine.function("square")          # int32 square(int32), from its IR type
        print(square(7))                            # pinned for the call
        engine.replace("math", ir=new_source)       # threads calling square() keep running

Threads: every method may be called from any Python thread. Calls into the library release the
GIL (ctypes.CDLL), so a commit blocks only its own thread and JIT functions run in parallel.
A Function pins the calling thread for the duration of each call, so the code it runs is never
freed under it. Never commit from inside a pinned() block: a commit may wait for reclamation.
Engine.close() waits for the calls of other threads in flight (methods, Function calls,
pinned() blocks) to end, and refuses new ones, before it frees the engine.

Arguments are checked before they reach the library: a name is a str without NUL characters
(ValueError), a source is ir= str or bytes, bitcode= bytes or file= a path (TypeError
otherwise), an integer fits its C type (ValueError), an optimisation level is 0 to 3, and a
Function takes exactly its IR type's parameters (TypeError).
"""

import contextlib
import ctypes
import enum
import os
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from . import _capi
from ._capi import lib as _lib
from ._capi import pin_depth as _pin_depth, pin_enter as _pin_enter
from ._capi import pin_restore as _pin_restore

__all__ = ["Engine", "Batch", "PreparedBatch", "Function", "Pointer", "Report", "HotjitError",
           "ErrorKind", "version"]


class ErrorKind(enum.IntEnum):
    """What went wrong (hotjit_error_kind)."""
    PARSE = 0
    VERIFY = 1
    UNDEFINED = 2
    DUPLICATE = 3
    SIGNATURE = 4
    GLOBAL_TYPE = 5
    IN_USE = 6
    UNSUPPORTED = 7
    LINK = 8
    NO_SUCH_MODULE = 9
    NO_SUCH_FUNCTION = 10
    REMOVED_FUNCTION = 11
    BACKPRESSURE = 12
    TOO_LARGE = 13
    INITIALIZER = 14
    UNTRUSTED = 15
    CONFLICT = 16
    STALE = 17
    INVALID_ARGUMENT = 100
    INTERNAL = 101


class HotjitError(Exception):
    """An error of the engine: `kind` (ErrorKind) and `message`, which names the function and
    the module. After it the engine is exactly as it was before the failed call."""

    def __init__(self, kind: ErrorKind, message: str):
        super().__init__(f"[{kind.name}] {message}")
        self.kind = kind
        self.message = message


def _check(err) -> None:
    """Raises HotjitError for a non-NULL hotjit_error, which it frees."""
    if not err:
        return
    try:
        code = _lib.hotjit_error_get_kind(err)
        message = _lib.hotjit_error_message(err).decode("utf-8", "replace")
    finally:
        _lib.hotjit_error_free(err)
    try:
        kind = ErrorKind(code)
    except ValueError:
        kind = ErrorKind.INTERNAL
    raise HotjitError(kind, message)


# What the default trap handler saw on each thread: a trapped call returns zero, and
# Function.__call__ turns a zero result with a trap behind it into HotjitError.
_trap_state = threading.local()


def _closed() -> HotjitError:
    return HotjitError(ErrorKind.INVALID_ARGUMENT, "the engine is closed")


_get_ident = threading.get_ident


def _name(value, what: str = "name") -> bytes:
    """A str naming a module, function, symbol or type, as the C API's NUL-terminated bytes."""
    if not isinstance(value, str):
        raise TypeError(f"hotjit: the {what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"hotjit: the {what} {value!r} contains a NUL character")
    return value.encode()


def _int_in(value, low: int, high: int, what: str) -> int:
    """An int (bool included) in [low, high]; TypeError or ValueError otherwise."""
    if not isinstance(value, int):
        raise TypeError(f"hotjit: {what} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"hotjit: {what} {value} is out of range ({low} to {high})")
    return int(value)


def _opt_level(level) -> int:
    """An optimisation level: an int 0 to 3 (HotjitError INVALID_ARGUMENT, as the C API)."""
    if not isinstance(level, int) or isinstance(level, bool):
        raise TypeError(f"hotjit: opt level must be an int, not {type(level).__name__}")
    if not 0 <= level <= 3:
        raise HotjitError(ErrorKind.INVALID_ARGUMENT, f"opt level {level}: must be 0 to 3")
    return level


def _c_range(ctype):
    """The values a ctypes integer type holds."""
    bits = 8 * ctypes.sizeof(ctype)
    if ctype(-1).value == -1:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return _lib.hotjit_version().decode()


@dataclass(frozen=True)
class Report:
    """What a successful commit did; times in nanoseconds."""
    version: int
    opt_level: int
    published: Sequence[str]
    removed: Sequence[str]
    type_changed: Sequence[str]
    kept_for_old_state: Sequence[str]
    skipped_constructors: Sequence[str]
    updated_tables: Sequence[str]
    compiled: int
    cache_hits: int
    recompiled_functions: int = 0
    kept_functions: int = 0
    times_ns: dict = field(default_factory=dict)

    @staticmethod
    def _take(p) -> "Report":
        try:
            r = p.contents
            names = lambda arr, n: tuple(arr[i].decode() for i in range(n))
            return Report(
                version=r.version, opt_level=r.opt_level,
                published=names(r.published, r.published_count),
                removed=names(r.removed, r.removed_count),
                type_changed=names(r.type_changed, r.type_changed_count),
                kept_for_old_state=names(r.kept_for_old_state, r.kept_for_old_state_count),
                skipped_constructors=names(r.skipped_constructors,
                                           r.skipped_constructors_count),
                updated_tables=names(r.updated_tables, r.updated_tables_count),
                compiled=r.compiled, cache_hits=r.cache_hits,
                recompiled_functions=r.recompiled_functions, kept_functions=r.kept_functions,
                times_ns={k: getattr(r, k + "_ns") for k in (
                    "parse", "prepare", "optimize", "codegen", "link", "publish", "total")})
        finally:
            _lib.hotjit_report_free(p)


# ---- Types ----------------------------------------------------------------------------------

class Pointer(ctypes.c_void_p):
    """The ctypes type of IR `ptr` arguments: c_void_p, except that a `str` is refused
    (c_void_p would pass it as a wchar_t string). Pass bytes, a ctypes buffer, array or
    pointer, an address (int) or None."""

    @classmethod
    def from_param(cls, obj):
        if isinstance(obj, str):
            raise TypeError("hotjit: a str does not convert to a ptr argument; pass "
                            "s.encode() (a NUL-terminated char *) or a ctypes buffer")
        return ctypes.c_void_p.from_param(obj)


_IR_TO_CTYPES = {
    "void": None, "i1": ctypes.c_bool, "i8": ctypes.c_int8, "i16": ctypes.c_int16,
    "i32": ctypes.c_int32, "i64": ctypes.c_int64, "float": ctypes.c_float,
    "double": ctypes.c_double, "ptr": Pointer,
}
_CODE_TO_IR = {
    "?": "i1", "b": "i8", "B": "i8", "c": "i8", "h": "i16", "H": "i16", "f": "float",
    "d": "double", "P": "ptr", "z": "ptr", "Z": "ptr", "O": "ptr",
}


def _ir_type(t) -> str:
    """The IR type text of a ctypes type (None: void)."""
    if t is None:
        return "void"
    if issubclass(t, (ctypes._Pointer, ctypes._CFuncPtr)):
        return "ptr"
    code = getattr(t, "_type_", None)
    if isinstance(code, str):
        if code in "iIlLqQ":
            return "i%d" % (8 * ctypes.sizeof(t))
        if code in _CODE_TO_IR:
            return _CODE_TO_IR[code]
    raise TypeError(f"hotjit: {t!r} does not cross the host/JIT boundary by value "
                    "(scalars, pointers and void only)")


def _parse_signature(text: str):
    """("i32 (i32, ptr)") -> (restype, [argtypes]) as ctypes types."""
    ret, _, rest = text.partition(" (")
    params = [p.strip() for p in rest.rstrip(")").split(",") if p.strip()]
    try:
        return _IR_TO_CTYPES[ret], [_IR_TO_CTYPES[p] for p in params]
    except KeyError as e:
        raise TypeError(f"hotjit: IR type {e.args[0]!r} in '{text}' has no ctypes equivalent; "
                        "pass restype and argtypes") from None


def _signature_text(restype, argtypes) -> str:
    return "%s (%s)" % (_ir_type(restype), ", ".join(_ir_type(a) for a in argtypes))


# ---- Functions ------------------------------------------------------------------------------

class Function:
    """A managed function: its stable stub, callable with the right ctypes signature.

    Calling it pins the calling thread for the call, so the version it runs is not freed under
    it; every call runs the version live when it starts. The pin ends even when the call is
    interrupted by an exception (KeyboardInterrupt included). The stub is valid while the engine
    is open; a call after Engine.close() raises HotjitError (INVALID_ARGUMENT). A call that
    reaches a removed function (also inside JIT code it calls), or this handle after a commit
    changed the function's IR type and the old code was reclaimed, raises HotjitError
    (REMOVED_FUNCTION) under the default removed-function handler.

    Arguments and results convert as ctypes converts them: integers are signed and wrap
    silently when out of range (pass restype/argtypes with unsigned types to Engine.function
    for unsigned values), and IR `ptr` takes bytes, ctypes buffers and addresses (Pointer)."""

    __slots__ = ("name", "signature", "address", "_fn", "_engine", "_arity")

    def __init__(self, engine: "Engine", name: str, signature: str, address: int, restype,
                 argtypes):
        self.name = name
        self.signature = signature
        self.address = address
        self._fn = ctypes.CFUNCTYPE(restype, *argtypes)(address)
        self._engine = engine
        self._arity = len(argtypes)

    def __call__(self, *args):
        if len(args) != self._arity:
            raise TypeError(f"hotjit: {self.name}() takes {self._arity} argument"
                            f"{'' if self._arity == 1 else 's'} ({self.signature}), "
                            f"{len(args)} given")
        engine = self._engine
        calls, ident = engine._calls, _get_ident()
        try:
            # In flight from here (Engine.close waits); appended inside the `try`, so an
            # exception landing anywhere leaves no entry behind.
            calls.append(ident)
            pin = engine._pin
            if pin is None or engine._closing:
                raise _closed()
            # The depth before the pin, restored in `finally`: right whether or not an
            # exception lands between the pin and the `try`.
            depth = _pin_depth(pin)
            state = _trap_state
            state.what = None
            try:
                _pin_enter(pin)
                result = self._fn(*args)
            finally:
                _pin_restore(pin, depth)
        finally:
            _leave(calls, ident)
        if not result and state.what is not None:
            what, state.what = state.what, None
            raise HotjitError(ErrorKind.REMOVED_FUNCTION, what)
        return result

    def __repr__(self):
        return f"<hotjit.Function {self.name}: {self.signature} at {self.address:#x}>"


def _leave(calls: list, ident: int) -> None:
    try:
        calls.remove(ident)
    except ValueError:  # an exception landed before the append
        pass


# ---- Batches --------------------------------------------------------------------------------

_SOURCE_IR, _SOURCE_BITCODE, _SOURCE_FILE = 0, 1, 2


_BYTES_LIKE = (bytes, bytearray, memoryview)


def _source(ir, bitcode, file):
    given = [s for s in (ir, bitcode, file) if s is not None]
    if len(given) != 1:
        raise TypeError("hotjit: give exactly one of ir=, bitcode= or file=")
    if ir is not None:
        if isinstance(ir, str):
            data = ir.encode()
        elif isinstance(ir, _BYTES_LIKE):
            data = bytes(ir)
        else:
            raise TypeError(f"hotjit: ir= takes IR text as str or bytes, not "
                            f"{type(ir).__name__}")
        return _SOURCE_IR, data, len(data)
    if bitcode is not None:
        if not isinstance(bitcode, _BYTES_LIKE):
            raise TypeError(f"hotjit: bitcode= takes bytes, not {type(bitcode).__name__}")
        data = bytes(bitcode)
        return _SOURCE_BITCODE, data, len(data)
    if not isinstance(file, (str, bytes, os.PathLike)):
        raise TypeError(f"hotjit: file= takes a path (str, bytes or os.PathLike), not "
                        f"{type(file).__name__}")
    path = os.fsencode(file)
    if b"\0" in path:
        raise ValueError(f"hotjit: the path {file!r} contains a NUL character")
    return _SOURCE_FILE, path, len(path)


class _Closes:
    """close() on leaving a with block and on garbage collection."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - pinned, or interpreter shutdown: leave it be
            pass


class Batch:
    """Module changes applied atomically by commit(): all of them or none.

    As a context manager it commits when the block ends normally (the report is then in
    `report`) and discards the changes when it raises. Use one batch from one thread."""

    def __init__(self, engine: "Engine", opt_level: Optional[int] = None):
        self._engine = engine
        self._handle = None
        if opt_level is not None:
            opt_level = _opt_level(opt_level)
        with engine._call() as handle:
            self._handle = _lib.hotjit_batch_create(handle)
        if not self._handle:
            raise MemoryError("hotjit: cannot create a batch")
        self.report: Optional[Report] = None
        if opt_level is not None:
            self._do(_lib.hotjit_batch_set_opt_level(self._handle, opt_level))

    def _live(self):
        if not self._handle:
            raise RuntimeError("hotjit: this batch was committed or discarded already")
        self._engine._live()
        return self._handle

    def _do(self, err):
        if err:
            self.discard()
            _check(err)
        return self

    def _op(self, fn, module, ir, bitcode, file):
        name = _name(module, "module name")
        kind, data, size = _source(ir, bitcode, file)
        return self._do(fn(self._live(), name, kind, data, size))

    def add(self, module: str, *, ir=None, bitcode=None, file=None) -> "Batch":
        """Adds a module that must not be live yet, from IR text, bitcode bytes or a file."""
        return self._op(_lib.hotjit_batch_add, module, ir, bitcode, file)

    def replace(self, module: str, *, ir=None, bitcode=None, file=None) -> "Batch":
        """Replaces a live module with a new version."""
        return self._op(_lib.hotjit_batch_replace, module, ir, bitcode, file)

    def put(self, module: str, *, ir=None, bitcode=None, file=None) -> "Batch":
        """Adds or replaces, whichever applies at commit time."""
        return self._op(_lib.hotjit_batch_put, module, ir, bitcode, file)

    def remove(self, module: str, force: bool = False) -> "Batch":
        """Removes a live module; force=True even while live code calls its functions."""
        name = _name(module, "module name")
        return self._do(_lib.hotjit_batch_remove(self._live(), name, 1 if force else 0))

    def commit(self) -> Report:
        """Compiles, links and publishes the batch. Blocks this thread (not the others)."""
        handle, self._handle = self._live(), None
        out = _capi.ReportP()
        try:
            with self._engine._call():
                err = _lib.hotjit_batch_commit(handle, ctypes.byref(out))
        except HotjitError:
            _lib.hotjit_batch_dispose(handle)
            raise
        _check(err)
        self.report = Report._take(out)
        return self.report

    def prepare(self) -> "PreparedBatch":
        """Does everything of commit() that can fail and publishes nothing: parses, validates,
        compiles, links and runs the static constructors of the modules the batch adds. The
        PreparedBatch it returns is published later, from any thread, or discarded. Blocks this
        thread like commit(); other commits may run and publish while the batch waits. Errors:
        those of commit(), and nothing of the batch stays. The batch is used up either way."""
        handle, self._handle = self._live(), None
        out = _capi.PreparedP()
        consumed = False
        try:
            with self._engine._call():
                consumed = True
                _check(_lib.hotjit_batch_prepare(handle, ctypes.byref(out)))
                # Registered with the engine before close() can begin: close() disposes it.
                return PreparedBatch(self._engine, out)
        finally:
            if not consumed:
                _lib.hotjit_batch_dispose(handle)

    def discard(self) -> None:
        """Drops the changes without committing them."""
        handle, self._handle = self._handle, None
        if handle:
            _lib.hotjit_batch_dispose(handle)

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.commit()
        else:
            self.discard()
        return False

    def __del__(self):
        self.discard()


class PreparedBatch(_Closes):
    """A batch that Batch.prepare() compiled, linked and constructed, waiting to be published at
    the caller's moment (hotjit_prepared).

    Until publish() nothing resolves to it: lookups, version_of() and modules() do not see it,
    and JIT code calls the live versions (stats()["prepared_batches"] counts it). The static
    constructors of the modules it adds have run, and the storage of the globals it creates is
    reserved: a commit that would create one raises HotjitError (CONFLICT). A commit published
    meanwhile that changes what the batch was prepared against makes publish() raise
    HotjitError (CONFLICT) and change nothing; the batch stays prepared, to be discarded.
    publish() and discard() once it was published, discarded or closed, or its engine closed,
    raise HotjitError (STALE).

    As a context manager, leaving the block closes it: a batch not published by then is
    discarded. close() (also when garbage-collected) frees the handle, discarding the batch if
    it is still prepared; Engine.close() discards and frees those still open. Use it from one
    thread at a time (any thread), never inside pinned()."""

    def __init__(self, engine: "Engine", handle):
        self._engine = engine
        self._handle = handle
        self._version = _lib.hotjit_prepared_version(handle)
        self.report: Optional[Report] = None
        engine._prepared.add(self)

    @property
    def version(self) -> int:
        """The version number the batch took (its report's version once published)."""
        return self._version

    @contextlib.contextmanager
    def _use(self, what: str):
        """The handle, for a call that Engine.close() waits for; HotjitError (STALE) once this
        batch was closed or its engine closed."""
        engine = self._engine
        calls, ident = engine._calls, _get_ident()
        try:
            calls.append(ident)
            if not self._handle or engine._closing or not engine._handle:
                raise HotjitError(ErrorKind.STALE, f"{what} failed: the prepared batch was "
                                                   "closed, or its engine was closed")
            yield self._handle
        finally:
            _leave(calls, ident)

    def publish(self) -> Report:
        """Makes the batch live, as commit() would have after its checks: no compiling or
        linking, it blocks only while a commit holds the engine. The report's version is
        `version`; it is also kept in `report`. HotjitError: CONFLICT (nothing changes, the
        batch stays prepared), STALE, UNSUPPORTED inside pinned()."""
        out = _capi.ReportP()
        with self._use("publish") as handle:
            _check(_lib.hotjit_prepared_publish(handle, ctypes.byref(out)))
        self.report = Report._take(out)
        return self.report

    def discard(self) -> None:
        """Undoes the batch: runs the exit handlers of the modules it added, then retires its
        code, freed after a grace period. HotjitError (STALE) if it was published or discarded
        already."""
        with self._use("discard") as handle:
            _check(_lib.hotjit_prepared_discard(handle))

    def close(self) -> None:
        """Frees the handle, discarding the batch first if it is still prepared. Idempotent."""
        engine = self._engine
        calls, ident = engine._calls, _get_ident()
        try:
            calls.append(ident)
            if not engine._closing:  # else Engine.close() disposes it
                self._dispose()
        finally:
            _leave(calls, ident)

    def _dispose(self) -> None:
        handle, self._handle = self._handle, None
        if handle:
            self._engine._prepared.discard(self)
            _lib.hotjit_prepared_dispose(handle)



# ---- Engines --------------------------------------------------------------------------------

class Engine(_Closes):
    """A hotjit engine (hotjit_engine). Keyword options are hotjit_engine_options' fields:
    opt_level, compile_threads, object_cache, cache_directory, tiered, max_module_bytes,
    retired_bytes_cap, wait_when_over_cap, reclaim_delay_us, stall_threshold_ms, unwind_index,
    perf_map, perf_jit_dump, stack_check_after_us, ...; on_stall is a callable taking a dict (thread_id,
    held_ns, pinned, description, running_retired, unanswered), called on the engine's reclaimer thread for each thread that holds up
    reclamation longer than stall_threshold_ms: it may call stats() and nothing else of the
    engine (wait_for_reclamation() there would wait for itself); an exception it raises is
    printed and swallowed.

    close() (or leaving a `with` block) frees every module: no thread may be calling JIT code of
    the engine then."""

    def __init__(self, **options):
        opts = _capi.EngineOptions()
        _lib.hotjit_engine_options_init(ctypes.byref(opts))
        fields = dict(_capi.EngineOptions._fields_)
        names = set(fields) - {"struct_size", "on_stall", "on_stall_user_data"}
        # Calls in flight, as thread ids (list.append and list.remove are atomic), and whether
        # close() has begun: a call appends itself, then checks _closing; close() sets
        # _closing, then waits for the list to empty. One of the two sees the other.
        self._calls = []
        self._closing = False
        self._prepared = weakref.WeakSet()  # PreparedBatch handles still open
        self._close_lock = threading.Lock()
        self._keep = {}  # host callbacks and handlers, alive as long as the engine
        on_stall = options.pop("on_stall", None)
        if on_stall is not None:
            def report(stall, _user):
                s = stall.contents
                on_stall({"thread_id": s.thread_id, "held_ns": s.held_ns,
                          "pinned": bool(s.pinned), "description": s.description.decode(),
                          "running_retired": [s.running_retired[i].decode()
                                              for i in range(s.running_retired_count)],
                          "unanswered": bool(s.unanswered)})
            opts.on_stall = self._keep["stall"] = _capi.STALL_HANDLER(report)
        for key, value in options.items():
            if key not in names:
                raise TypeError(f"hotjit: unknown engine option {key!r}")
            if key == "cache_directory":
                if value is not None:
                    value = os.fsencode(value)
                    if b"\0" in value:
                        raise ValueError(f"hotjit: cache_directory {value!r} contains a NUL "
                                         "character")
            elif key == "opt_level":
                value = _opt_level(value)
            else:
                value = _int_in(value, *_c_range(fields[key]), key)
            setattr(opts, key, value)
        handle = _capi.EngineP()
        _check(_lib.hotjit_engine_create(ctypes.byref(opts), ctypes.byref(handle)))
        self._handle = handle
        # The handle as a c_void_p for the pin functions; None once closed.
        self._pin = ctypes.c_void_p(ctypes.cast(handle, ctypes.c_void_p).value)
        self.set_removed_function_handler(None)

    def _live(self):
        """The engine's handle; HotjitError (INVALID_ARGUMENT) once closed."""
        handle = getattr(self, "_handle", None)
        if not handle or self._closing:
            raise _closed()
        return handle

    @contextlib.contextmanager
    def _call(self):
        """The handle, for a call that close() must wait for; HotjitError (INVALID_ARGUMENT)
        once close() has begun."""
        calls, ident = self._calls, _get_ident()
        try:
            calls.append(ident)
            yield self._live()
        finally:
            _leave(calls, ident)

    # -- lifetime

    def close(self) -> None:
        """Frees the engine and every module. New calls of other threads are refused from now
        on, and the calls in flight (methods, Function calls, pinned() blocks) are waited for;
        afterwards every method, Function and Batch of it raises HotjitError
        (INVALID_ARGUMENT), and its prepared batches still open are discarded and freed (their
        publish() and discard() raise STALE). Refused (INVALID_ARGUMENT) on a thread inside a call of this engine
        (pinned(), a host callback or trap handler), which would wait for itself. JIT code
        that a thread runs through a raw lookup() address outside pinned() is not waited for."""
        if getattr(self, "_handle", None) is None:
            return
        with self._close_lock:
            handle = self._handle
            if not handle:
                return
            if _get_ident() in self._calls or _lib.hotjit_depth(handle):
                raise HotjitError(ErrorKind.INVALID_ARGUMENT,
                                  "close() inside pinned() or a call of this engine: the "
                                  "calling thread is pinned")
            self._closing = True
            while self._calls:
                time.sleep(0.0002)
            for prepared in list(self._prepared):
                prepared._dispose()
            self._handle, self._pin = None, None
            _lib.hotjit_engine_destroy(handle)


    # -- changes

    def batch(self, opt_level: Optional[int] = None) -> Batch:
        """A batch of changes; nothing happens until it commits."""
        return Batch(self, opt_level)

    def add(self, module: str, **source) -> Report:
        """Adds one module (ir=, bitcode= or file=) and commits."""
        return self.batch().add(module, **source).commit()

    def replace(self, module: str, **source) -> Report:
        """Replaces one live module and commits."""
        return self.batch().replace(module, **source).commit()

    def remove(self, module: str, force: bool = False) -> Report:
        """Removes one live module and commits."""
        return self.batch().remove(module, force).commit()

    def rollback(self, name: str) -> Report:
        """Re-publishes the previous version of the module defining function `name` (or of the
        module named `name`)."""
        name = _name(name)
        out = _capi.ReportP()
        with self._call() as handle:
            _check(_lib.hotjit_rollback(handle, name, ctypes.byref(out)))
        return Report._take(out)

    # -- lookups

    def signature_of(self, name: str) -> str:
        """The IR type text of live function `name`, e.g. "i32 (i32, ptr)"."""
        name = _name(name)
        out = ctypes.c_void_p()
        with self._call() as handle:
            _check(_lib.hotjit_signature_of(handle, name, ctypes.byref(out)))
        try:
            return ctypes.string_at(out).decode()
        finally:
            _lib.hotjit_string_free(out)

    def lookup(self, name: str, signature: Optional[str] = None) -> int:
        """The stable stub address of `name` (checked against `signature` if given). Call it
        only while pinned (see pinned())."""
        name = _name(name)
        signature = _name(signature, "signature") if signature is not None else None
        out = ctypes.c_void_p()
        with self._call() as handle:
            _check(_lib.hotjit_lookup(handle, name, signature or None, ctypes.byref(out)))
        return out.value

    def function(self, name: str, restype=..., argtypes: Optional[Sequence] = None) -> Function:
        """A callable Function for `name`. Without restype and argtypes they come from the
        function's IR type; with them (restype None: void), the IR type must match
        (HotjitError SIGNATURE)."""
        if restype is ... and argtypes is None:
            signature = self.signature_of(name)
            restype, argtypes = _parse_signature(signature)
        else:
            if restype is ...:
                raise TypeError("hotjit: give restype with argtypes (None for void)")
            if argtypes is not None and not isinstance(argtypes, (list, tuple)):
                raise TypeError(f"hotjit: argtypes must be a list or tuple of ctypes types, "
                                f"not {type(argtypes).__name__}")
            argtypes = list(argtypes or [])
            signature = _signature_text(restype, argtypes)
        address = self.lookup(name, signature)
        return Function(self, name, signature, address, restype, argtypes)

    def global_address(self, name: str) -> int:
        """The address of live global variable `name` (stable across swaps)."""
        name = _name(name)
        out = ctypes.c_void_p()
        with self._call() as handle:
            _check(_lib.hotjit_lookup_global(handle, name, ctypes.byref(out)))
        return out.value

    def modules(self) -> list:
        """The names of the live modules, sorted."""
        names, count = ctypes.POINTER(ctypes.c_char_p)(), ctypes.c_size_t()
        with self._call() as handle:
            _check(_lib.hotjit_modules(handle, ctypes.byref(names), ctypes.byref(count)))
        try:
            return [names[i].decode() for i in range(count.value)]
        finally:
            _lib.hotjit_names_free(names)

    def version_of(self, name: str) -> Optional[int]:
        """The version number of live function `name`, or None."""
        name = _name(name)
        out = ctypes.c_uint64()
        with self._call() as handle:
            found = _lib.hotjit_version_of(handle, name, ctypes.byref(out))
        return out.value if found else None

    def add_host_symbol(self, name: str, target) -> None:
        """Makes `target` resolvable from JIT code as `name`: an address (int), or a ctypes
        function (a CFUNCTYPE-wrapped Python callable included, which the engine keeps alive
        until close()). A Python callable that raises gives JIT code an undefined result (the
        exception is printed and swallowed): catch inside it."""
        symbol = _name(name, "symbol name")
        if isinstance(target, int):
            address = _int_in(target, 0, (1 << 8 * ctypes.sizeof(ctypes.c_void_p)) - 1,
                              "a host symbol's address")
        elif isinstance(target, (ctypes._CFuncPtr, ctypes._Pointer, ctypes.c_void_p)):
            address = ctypes.cast(target, ctypes.c_void_p).value
        else:
            raise TypeError(f"hotjit: a host symbol's target is an address (int), a ctypes "
                            f"function or pointer, not {type(target).__name__}")
        with self._call() as handle:
            _check(_lib.hotjit_add_host_symbol(handle, symbol, address))
        self._keep[("host", name)] = target

    def set_removed_function_handler(self, handler: Optional[Callable[[str], None]]) -> None:
        """Calls `handler(what)` when a trapping stub is called (a removed function, or the old
        type of a function whose type changed); the trapped call then returns zero. It runs on
        the calling thread, still pinned: it must not commit. An exception it raises is printed
        and swallowed (ctypes callbacks cannot raise into C). A handler stays referenced until
        close(): a thread that trapped before it was replaced may still be running it.

        None (the default): the Function call that trapped raises HotjitError
        (REMOVED_FUNCTION) once it returns; a raw call through lookup()'s address returns zero."""
        if handler is not None and not callable(handler):
            raise TypeError(f"hotjit: the handler must be callable or None, not "
                            f"{type(handler).__name__}")
        if handler is None:
            def record(what):
                _trap_state.what = what
            c_handler = _capi.TRAP_HANDLER(lambda what, _user: record(what.decode()))
        else:
            c_handler = _capi.TRAP_HANDLER(lambda what, _user: handler(what.decode()))
        with self._call() as handle:
            _check(_lib.hotjit_set_removed_function_handler(handle, c_handler, None))
        self._keep.setdefault("traps", []).append(c_handler)

    # -- reclamation, statistics

    def stats(self) -> dict:
        """The engine's counters (hotjit_stats) as a dict."""
        s = _capi.Stats()
        s.struct_size = ctypes.sizeof(s)
        with self._call() as handle:
            _lib.hotjit_get_stats(handle, ctypes.byref(s))
        return {f: getattr(s, f) for f, _ in _capi.Stats._fields_ if f != "struct_size"}

    def wait_for_reclamation(self) -> None:
        """Waits until every version retired so far has been freed."""
        with self._call() as handle:
            _lib.hotjit_wait_for_reclamation(handle)

    def wait_for_tier_ups(self) -> None:
        """Tiered engines: waits until queued tier-ups are committed or dropped."""
        with self._call() as handle:
            _lib.hotjit_wait_for_tier_ups(handle)

    # -- threads

    @contextlib.contextmanager
    def pinned(self):
        """Pins the calling thread for the block (nestable): addresses from lookup() may be
        called inside it. Never commit or close the engine inside it. The pin ends with the
        block, however it ends."""
        with self._call() as handle:
            depth = _lib.hotjit_depth(handle)
            try:
                _lib.hotjit_enter(handle)
                yield self
            finally:
                _lib.hotjit_restore_depth(handle, depth)

    def depth(self) -> int:
        """The calling thread's pin nesting depth (0: not pinned)."""
        with self._call() as handle:
            return _lib.hotjit_depth(handle)

    def quiescent(self) -> None:
        """QSBR: this thread holds no JIT pointer from before; makes it an online QSBR thread."""
        with self._call() as handle:
            _lib.hotjit_quiescent(handle)

    def offline(self) -> None:
        """QSBR: this thread stops holding up reclamation (before it blocks)."""
        with self._call() as handle:
            _lib.hotjit_offline(handle)

    def online(self) -> None:
        """QSBR: ends offline()."""
        with self._call() as handle:
            _lib.hotjit_online(handle)

    def unregister_thread(self) -> None:
        """Drops the calling thread's registration now (it must not be pinned)."""
        with self._call() as handle:
            _lib.hotjit_unregister_thread(handle)
