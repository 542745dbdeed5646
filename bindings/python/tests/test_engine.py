"""The Python package over libhotjit.so: add, call, replace while threads call, errors, stats.

Run by ctest (PythonTest.*), which sets HOTJIT_LIBRARY to the built library and
HOTJIT_IR_FIXTURES_DIR to the C++ fixtures compiled to IR.
"""

import contextlib
import ctypes
import gc
import os
import threading
import time

import pytest

import hotjit
from hotjit import ErrorKind, HotjitError


def adder(name, k):
    return f"define i32 @{name}(i32 %x) {{\n  %r = add i32 %x, {k}\n  ret i32 %r\n}}\n"


@contextlib.contextmanager
def thread_inside_pinned(engine):
    """Runs a thread that stays inside engine.pinned() until the block ends; yields its OS
    thread id once it is pinned."""
    pinned, release, tid = threading.Event(), threading.Event(), []

    def hold():
        with engine.pinned():
            tid.append(threading.get_native_id())
            pinned.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    pinned.wait()
    try:
        yield tid[0]
    finally:
        release.set()
        holder.join()


@pytest.fixture
def engine():
    with hotjit.Engine(opt_level=1, reclaim_delay_us=100) as e:
        yield e


def test_add_and_call(engine):
    report = engine.add("m", ir=adder("add_k", 1))
    assert report.published == ("add_k",)
    assert report.version == 1 and report.opt_level == 1 and report.compiled == 1
    assert report.times_ns["total"] >= report.times_ns["link"] > 0
    f = engine.function("add_k")
    assert f.signature == "i32 (i32)"
    assert f(41) == 42
    assert engine.version_of("add_k") == 1
    assert engine.version_of("nothing") is None
    assert hotjit.version() == "0.1.0"


def test_explicit_ctypes_signature_is_checked(engine):
    engine.add("m", ir="define double @half(double %x) {\n  %r = fmul double %x, 0.5\n"
                       "  ret double %r\n}\n")
    half = engine.function("half", ctypes.c_double, [ctypes.c_double])
    assert half(3.0) == 1.5
    with pytest.raises(HotjitError) as e:
        engine.function("half", ctypes.c_int, [ctypes.c_int])
    assert e.value.kind == ErrorKind.SIGNATURE
    assert "'half'" in e.value.message and "double (double)" in e.value.message
    class Pair(ctypes.Structure):
        _fields_ = [("a", ctypes.c_double), ("b", ctypes.c_double)]
    with pytest.raises(TypeError):  # structs do not cross the boundary by value
        engine.function("half", ctypes.c_double, [Pair])


def test_replace_keeps_the_function_and_rollback_restores(engine):
    engine.add("m", ir=adder("add_k", 1))
    f = engine.function("add_k")
    report = engine.replace("m", ir=adder("add_k", 2))
    assert report.version == 2
    assert f(1) == 3
    assert engine.function("add_k").address == f.address
    back = engine.rollback("add_k")
    assert back.cache_hits == 1 and back.compiled == 0
    assert f(1) == 2


def test_batch_commits_on_exit_and_discards_on_error(engine):
    with engine.batch(opt_level=3) as b:
        b.add("b", ir=adder("fb", 2)).add("a", ir=adder("fa", 1))
    assert b.report.opt_level == 3 and set(b.report.published) == {"fa", "fb"}
    assert engine.modules() == ["a", "b"]
    with pytest.raises(KeyError):
        with engine.batch() as b:
            b.add("c", ir=adder("fc", 3))
            raise KeyError("host failure")
    assert engine.version_of("fc") is None
    with pytest.raises(RuntimeError):
        b.commit()  # discarded


def test_errors_carry_the_kind_and_leave_the_engine_as_it_was(engine):
    engine.add("m", ir=adder("add_k", 1))
    engine.add("caller", ir="declare i32 @add_k(i32)\ndefine i32 @twice(i32 %x) {\n"
                            "  %a = call i32 @add_k(i32 %x)\n  %b = call i32 @add_k(i32 %a)\n"
                            "  ret i32 %b\n}\n")
    cases = [
        (lambda: engine.add("p", ir="define i32 @f( {"), ErrorKind.PARSE, "module 'p'"),
        (lambda: engine.add("u", ir="declare i32 @gone()\ndefine i32 @u() {\n"
                                     "  %r = call i32 @gone()\n  ret i32 %r\n}\n"),
         ErrorKind.UNDEFINED, "gone"),
        (lambda: engine.add("d", ir=adder("add_k", 5)), ErrorKind.DUPLICATE, "add_k"),
        (lambda: engine.remove("m"), ErrorKind.IN_USE, "module 'caller'"),
        (lambda: engine.replace("nope", ir=adder("x", 1)), ErrorKind.NO_SUCH_MODULE, "nope"),
        (lambda: engine.function("missing"), ErrorKind.NO_SUCH_FUNCTION, "'missing'"),
        (lambda: engine.global_address("no_global"), ErrorKind.UNDEFINED, "no_global"),
        (lambda: engine.batch(opt_level=9), ErrorKind.INVALID_ARGUMENT, "opt level 9"),
    ]
    for call, kind, word in cases:
        with pytest.raises(HotjitError) as e:
            call()
        assert e.value.kind == kind, e.value
        assert word in e.value.message
    assert engine.function("twice")(1) == 3
    stats = engine.stats()
    assert stats["live_modules"] == 2 and stats["failed_commits"] == 5
    with pytest.raises(TypeError):
        hotjit.Engine(no_such_option=1)


def test_replace_while_threads_call():
    """Four threads call value() while it is replaced 40 times. Each call stays inside its
    version for a while (a host callback that sleeps) and returns into it; retired code is
    quarantined (inaccessible), so a call the Function did not pin faults."""
    with hotjit.Engine(opt_level=0, reclaim_delay_us=100, quarantine_retired_code=1) as engine:
        pause = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int32)(
            lambda v: time.sleep(0.0002) or v)
        engine.add_host_symbol("host_pause", pause)

        def source(k):
            return ("declare i32 @host_pause(i32)\n"
                    f"define i32 @value(i32 %x) {{\n  %r = call i32 @host_pause(i32 {k})\n"
                    "  %s = add i32 %r, %x\n  ret i32 %s\n}\n")

        engine.add("v", ir=source(1))
        f = engine.function("value")
        stop = threading.Event()
        seen = [[] for _ in range(4)]
        errors = []

        def call(i):
            try:
                last = 0
                while not stop.is_set():
                    v = f(0)
                    if v < last:
                        errors.append(f"thread {i}: version {v} after {last}")
                    last = v
                    seen[i].append(v)
            except BaseException as x:  # noqa: B902 - reported below
                errors.append(repr(x))

        threads = [threading.Thread(target=call, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        versions = 40
        for k in range(2, versions + 1):
            engine.replace("v", ir=source(k))
            time.sleep(0.002)
        time.sleep(0.05)
        stop.set()
        for t in threads:
            t.join()
        assert not errors
        for calls in seen:
            assert len(set(calls)) > 1 and calls[-1] == versions
        engine.wait_for_reclamation()
        stats = engine.stats()
        assert stats["versions_freed"] == versions - 1
        assert stats["retired_bytes_pending"] == 0


def test_globals_host_callbacks_and_the_trap_handler(engine):
    calls = []
    # Only the engine keeps the ctypes callback alive.
    engine.add_host_symbol("host_scale", ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int32)(
        lambda x: calls.append(x) or x * 10))
    gc.collect()
    engine.add("g", ir="@counter = global i32 5\ndeclare i32 @host_scale(i32)\n"
                       "define i32 @bump(i32 %d) {\n  %s = call i32 @host_scale(i32 %d)\n"
                       "  %v = load i32, ptr @counter\n  %n = add i32 %v, %s\n"
                       "  store i32 %n, ptr @counter\n  ret i32 %n\n}\n")
    counter = ctypes.c_int32.from_address(engine.global_address("counter"))
    assert engine.function("bump")(2) == 25 and counter.value == 25 and calls == [2]

    engine.add("caller", ir="declare i32 @bump(i32)\ndefine i32 @via(i32 %x) {\n"
                            "  %r = call i32 @bump(i32 %x)\n  ret i32 %r\n}\n")
    via = engine.function("via")
    trapped = []
    engine.set_removed_function_handler(lambda what: trapped.append(what))
    gc.collect()
    engine.remove("g", force=True)
    with pytest.raises(HotjitError) as e:
        engine.function("bump")
    assert e.value.kind == ErrorKind.REMOVED_FUNCTION
    assert via(1) == 0 and trapped == ["bump"]
    engine.set_removed_function_handler(None)


def test_pinning_and_qsbr(engine):
    engine.add("m", ir=adder("add_k", 1))
    with engine.pinned():
        with engine.pinned():
            assert engine.depth() == 2
            address = engine.lookup("add_k", "i32 (i32)")
            assert ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int32)(address)(1) == 2
    assert engine.depth() == 0

    # A thread inside pinned() that runs none of the old version's code does not hold it back:
    # a stack check frees it while the thread stays pinned.
    with thread_inside_pinned(engine):
        engine.replace("m", ir=adder("add_k", 5))
        engine.wait_for_reclamation()
        assert engine.stats()["versions_freed"] == 1
        assert engine.stats()["versions_freed_by_stack_check"] == 1

    engine.quiescent()
    engine.offline()
    engine.replace("m", ir=adder("add_k", 6))  # an offline QSBR thread holds up nothing
    engine.wait_for_reclamation()
    engine.online()
    engine.quiescent()
    engine.offline()
    engine.unregister_thread()
    assert engine.stats()["versions_freed"] == 2


def test_cxx_exceptions_unwind_inside_jit_code(engine):
    fixtures = os.environ.get("HOTJIT_IR_FIXTURES_DIR")
    if not fixtures:
        pytest.skip("HOTJIT_IR_FIXTURES_DIR is not set (ctest sets it)")
    notes = []
    engine.add_host_symbol("eh_host_callback",
                           ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int32)(lambda x: x))
    engine.add_host_symbol("eh_host_note", ctypes.CFUNCTYPE(None, ctypes.c_int32)(notes.append))
    gc.collect()
    with engine.batch() as b:
        for name in ("eh_thrower_v1.ll", "eh_middle.ll", "eh_catcher.ll"):
            b.add(name, file=os.path.join(fixtures, name))
    catch = engine.function("eh_catch")
    assert [catch(-1), catch(0), catch(5)] == [1001, -1000, 11]
    assert notes == [-1, 0, 5]
    # Loaded with dlopen(RTLD_LOCAL) by ctypes: libgcc_s, unless the interpreter had it already,
    # comes with libhotjit.so and binds _Unwind_Find_FDE to hotjit's index.
    from conftest import LIBGCC_S_LOADED_BEFORE_HOTJIT
    assert engine.stats()["unwind_index"] == (0 if LIBGCC_S_LOADED_BEFORE_HOTJIT else 1)


def test_a_thread_pinned_too_long_is_reported_to_on_stall():
    stalls = []
    seen = threading.Event()

    def on_stall(stall):
        stalls.append(stall)
        seen.set()

    # stack_check_after_us=0: the plain epoch rule, under which any long pin is a stall.
    with hotjit.Engine(stall_threshold_ms=20, stack_check_after_us=0, on_stall=on_stall) as engine:
        engine.add("m", ir=adder("add_k", 1))
        with thread_inside_pinned(engine) as tid:
            engine.replace("m", ir=adder("add_k", 2))
            assert seen.wait(5), "no stall reported in 5 s"
        engine.wait_for_reclamation()
        assert stalls[0]["thread_id"] == tid and stalls[0]["pinned"]
        assert stalls[0]["held_ns"] >= 20_000_000 and "pinned" in stalls[0]["description"]
        assert engine.stats()["stalls"] >= 1


def test_an_interrupted_call_ends_its_pin_and_a_closed_engine_refuses():
    engine = hotjit.Engine(opt_level=0)
    engine.add("m", ir=adder("add_k", 1))
    f = engine.function("add_k")
    with pytest.raises(ctypes.ArgumentError):
        f("not an int")  # raised by ctypes inside the pinned call
    assert engine.depth() == 0
    with pytest.raises(KeyError):
        with engine.pinned():
            raise KeyError("interrupted")
    assert engine.depth() == 0
    batch = engine.batch().add("n", ir=adder("other", 2))
    engine.close()
    for use in (lambda: f(1), lambda: engine.stats(), lambda: engine.pinned().__enter__(),
                lambda: batch.commit(), lambda: engine.batch(), lambda: engine.function("add_k")):
        with pytest.raises(HotjitError) as e:
            use()
        assert e.value.kind == ErrorKind.INVALID_ARGUMENT and "closed" in e.value.message
    engine.close()  # twice: a no-op


def test_the_options_struct_matches_the_library():
    from hotjit import _capi
    opts = _capi.EngineOptions()
    _capi.lib.hotjit_engine_options_init(ctypes.byref(opts))
    assert opts.struct_size == ctypes.sizeof(_capi.EngineOptions)
    assert opts.opt_level == 2 and opts.object_cache == 1 and opts.reclaim_delay_us == 1000
    assert opts.stall_threshold_ms == 1000 and opts.unwind_index == 1 and not opts.on_stall


def test_an_asynchronous_exception_never_leaves_a_pin(engine):
    """KeyboardInterrupt-like exceptions land between any two bytecodes: 200 of them thrown into
    a thread that calls a Function in a loop must leave it unpinned every time."""
    engine.add("m", ir=adder("add_k", 1))
    f = engine.function("add_k")

    class Interrupt(Exception):
        pass

    ready = threading.Event()
    leaks = []
    rounds = 200

    def worker():
        for _ in range(rounds):
            try:
                ready.set()
                while True:
                    f(0)
            except Interrupt:
                if engine.depth() != 0:
                    leaks.append(engine.depth())
                    hotjit._lib.hotjit_restore_depth(engine._live(), 0)  # unpin, go on

    thread = threading.Thread(target=worker)
    thread.start()
    for _ in range(rounds):
        assert ready.wait(5)
        ready.clear()
        time.sleep(0.0002)
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                                   ctypes.py_object(Interrupt))
    thread.join()
    assert leaks == []


def test_calls_that_reach_a_removed_function_raise(engine):
    engine.add("callee", ir=adder("callee", 1))
    engine.add("caller", ir="declare i32 @callee(i32)\ndefine i32 @caller(i32 %x) {\n"
                            "  %r = call i32 @callee(i32 %x)\n  ret i32 %r\n}\n")
    callee, caller = engine.function("callee"), engine.function("caller")
    assert caller(1) == 2
    engine.remove("callee", force=True)
    for f in (callee, caller):  # directly, and from inside JIT code
        with pytest.raises(HotjitError) as e:
            f(1)
        assert e.value.kind == ErrorKind.REMOVED_FUNCTION and "callee" in e.value.message
    engine.add("callee2", ir=adder("callee", 7))
    assert caller(1) == 8  # re-added: the same stub works again

    # A handle kept across a type change runs the old code, then reports the change.
    engine.remove("caller")
    engine.replace("callee2", ir="define i64 @callee(i64 %x) {\n  ret i64 %x\n}\n")
    engine.wait_for_reclamation()
    with pytest.raises(HotjitError) as e:
        callee(1)
    assert e.value.kind == ErrorKind.REMOVED_FUNCTION and "changed type" in e.value.message
    assert engine.function("callee")(2**40) == 2**40


def test_a_str_is_not_a_pointer_and_close_refuses_inside_pinned(engine):
    engine.add("len", ir="declare i64 @strlen(ptr)\ndefine i64 @len(ptr %s) {\n"
                         "  %n = call i64 @strlen(ptr %s)\n  ret i64 %n\n}\n")
    length = engine.function("len")
    assert length(b"hello") == 5
    assert length(ctypes.create_string_buffer(b"hi")) == 2
    with pytest.raises(ctypes.ArgumentError):
        length("hello")  # would pass a wchar_t string
    assert engine.depth() == 0
    with engine.pinned():
        with pytest.raises(HotjitError) as e:
            engine.close()
        assert e.value.kind == ErrorKind.INVALID_ARGUMENT and "pinned" in e.value.message
    assert length(b"still open") == 10


def test_close_waits_for_the_calls_of_other_threads_and_refuses_new_ones():
    for _ in range(5):
        engine = hotjit.Engine(opt_level=0, reclaim_delay_us=100)
        engine.add("m", ir=adder("add_k", 1))
        f = engine.function("add_k")
        started, stop, failures = threading.Barrier(5), threading.Event(), []

        def loop(step):
            started.wait()
            i = 0
            try:
                while not stop.is_set():
                    step(i)
                    i += 1
            except HotjitError as e:
                if e.kind != ErrorKind.INVALID_ARGUMENT or "closed" not in e.message:
                    failures.append(e)
            except BaseException as e:  # noqa: BLE001 - reported below
                failures.append(e)

        def call(i):
            assert f(i) in (i + 1, i + 2)

        def pinned(i):
            with engine.pinned():
                ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int32)(f.address)(i)

        steps = [lambda i: engine.replace("m", ir=adder("add_k", 1 + i % 2)),
                 lambda i: engine.modules(), call, pinned]
        threads = [threading.Thread(target=loop, args=(s,)) for s in steps]
        for t in threads:
            t.start()
        started.wait()
        time.sleep(0.05)
        engine.close()
        stop.set()
        for t in threads:
            t.join(timeout=60)
            assert not t.is_alive(), "a call hung across close()"
        assert not failures, failures
        for use in (lambda: f(1), engine.modules, lambda: engine.replace("m", ir=adder("x", 1))):
            with pytest.raises(HotjitError):
                use()


def test_arguments_are_checked_before_they_reach_the_library(engine, tmp_path):
    engine.add("m", ir=adder("add_k", 1))
    f = engine.function("add_k")
    # Sources: a wrong type would have committed an empty module (bytes(5) is five NULs).
    for source in ({"ir": 5}, {"ir": None, "bitcode": "text"}, {"file": 5}, {"ir": [1]},
                   {"bitcode": 7}):
        with pytest.raises(TypeError):
            engine.replace("m", **source)
    assert f(1) == 2 and engine.modules() == ["m"]
    with pytest.raises(ValueError):
        engine.replace("m", file=str(tmp_path / "a\0b.ll"))
    # Names with a NUL would be cut at it by the C API.
    (tmp_path / "ok.ll").write_text(adder("other", 2))
    for call in (lambda: engine.add("m\0x", ir=adder("other", 2)),
                 lambda: engine.replace("m\0", file=str(tmp_path / "ok.ll")),
                 lambda: engine.remove("m\0gone"),
                 lambda: engine.function("add_k\0"), lambda: engine.lookup("add_k\0x"),
                 lambda: engine.lookup("add_k", "i32 (i32)\0"),
                 lambda: engine.signature_of("add_k\0"), lambda: engine.version_of("add_k\0"),
                 lambda: engine.global_address("g\0"), lambda: engine.rollback("add_k\0"),
                 lambda: engine.add_host_symbol("h\0", 0x1000),
                 lambda: hotjit.Engine(cache_directory=str(tmp_path) + "\0x")):
        with pytest.raises(ValueError, match="NUL"):
            call()
    for call in (lambda: engine.add(b"m2", ir=adder("other", 2)), lambda: engine.function(5),
                 lambda: engine.add_host_symbol("h", "not an address"),
                 lambda: engine.set_removed_function_handler(5)):
        with pytest.raises(TypeError):
            call()
    assert engine.modules() == ["m"] and engine.version_of("add_k") == 1
    # Calls take exactly the IR type's parameters.
    with pytest.raises(TypeError, match=r"takes 1 argument .* 2 given"):
        f(1, 2)
    with pytest.raises(TypeError, match="0 given"):
        f()
    assert engine.depth() == 0 and f(2) == 3
    # Integers are range-checked instead of wrapping in their C type.
    for level in (2**32 + 2, -1, 4):
        with pytest.raises(HotjitError) as e:
            engine.batch(opt_level=level)
        assert e.value.kind == ErrorKind.INVALID_ARGUMENT and "opt level" in e.value.message
        with pytest.raises(HotjitError):
            hotjit.Engine(opt_level=level)
    with pytest.raises(TypeError):
        engine.batch(opt_level="2")
    for options in ({"max_module_bytes": -1}, {"compile_threads": 2**32},
                    {"reclaim_delay_us": 2**40}, {"tiered": 2**31}):
        with pytest.raises(ValueError, match="out of range"):
            hotjit.Engine(**options)
    with pytest.raises(TypeError):
        hotjit.Engine(compile_threads="2")
    with pytest.raises(ValueError):
        engine.add_host_symbol("h", -1)
    assert f(1) == 2 and engine.modules() == ["m"]


# ---- Prepared batches -----------------------------------------------------------------------

def test_a_prepared_batch_is_invisible_until_published(engine):
    engine.add("f", ir=adder("f", 1))
    live = engine.version_of("f")
    commits = engine.stats()["commits"]
    assert engine.stats()["prepared_batches"] == 0
    prepared = engine.batch().replace("f", ir=adder("f", 2)).add("g", ir=adder("g", 3)).prepare()
    assert isinstance(prepared, hotjit.PreparedBatch) and prepared.version > live
    f = engine.function("f")
    assert f(0) == 1 and engine.version_of("f") == live
    with pytest.raises(HotjitError) as e:
        engine.function("g")
    assert e.value.kind == ErrorKind.NO_SUCH_FUNCTION and "'g'" in e.value.message
    assert engine.version_of("g") is None and engine.modules() == ["f"]
    stats = engine.stats()
    assert stats["prepared_batches"] == 1 and stats["commits"] == commits

    # Published from another thread than the one that prepared it.
    reports = []
    publisher = threading.Thread(target=lambda: reports.append(prepared.publish()))
    publisher.start()
    publisher.join()
    assert reports and reports[0].version == prepared.version == prepared.report.version
    assert set(reports[0].published) == {"f", "g"}
    assert f(0) == 2 and engine.function("g")(0) == 3
    assert engine.version_of("f") == prepared.version and engine.modules() == ["f", "g"]
    stats = engine.stats()
    assert stats["prepared_batches"] == 0 and stats["commits"] == commits + 1
    for use in (prepared.publish, prepared.discard):
        with pytest.raises(HotjitError) as e:
            use()
        assert e.value.kind == ErrorKind.STALE and "the batch was published" in e.value.message
    prepared.close()
    prepared.close()  # twice: a no-op
    with pytest.raises(HotjitError) as e:
        prepared.publish()
    assert e.value.kind == ErrorKind.STALE and "closed" in e.value.message
    assert f(0) == 2


def test_publish_after_a_conflicting_commit_fails_and_changes_nothing(engine):
    engine.add("f", ir=adder("f", 1))
    prepared = engine.batch().replace("f", ir=adder("f", 4)).prepare()
    meanwhile = engine.replace("f", ir=adder("f", 5))
    failed = engine.stats()["failed_commits"]
    with pytest.raises(HotjitError) as e:
        prepared.publish()
    assert e.value.kind == ErrorKind.CONFLICT
    for word in ("module 'f'", f"version {meanwhile.version}", f"version {prepared.version}",
                 "nothing was published"):
        assert word in e.value.message, e.value.message
    assert prepared.report is None
    assert engine.function("f")(0) == 5 and engine.version_of("f") == meanwhile.version
    stats = engine.stats()
    assert stats["prepared_batches"] == 1 and stats["failed_commits"] == failed + 1
    prepared.discard()
    assert engine.stats()["prepared_batches"] == 0
    with pytest.raises(HotjitError) as e:
        prepared.discard()
    assert e.value.kind == ErrorKind.STALE
    prepared.close()
    assert engine.function("f")(0) == 5


def test_leaving_the_block_discards_an_unpublished_batch(engine):
    counter = ("@counter = global i32 5\n"
               "define i32 @count(i32 %x) {\n  %v = load i32, ptr @counter\n  ret i32 %v\n}\n")
    with engine.batch().add("a", ir=counter).prepare() as prepared:
        # The storage of the globals it creates is reserved while it is prepared.
        with pytest.raises(HotjitError) as e:
            engine.add("b", ir="@counter = global i32 9\n")
        assert e.value.kind == ErrorKind.CONFLICT
        assert "global 'counter'" in e.value.message and "module 'b'" in e.value.message
        assert f"version {prepared.version}" in e.value.message
    assert engine.stats()["prepared_batches"] == 0
    with pytest.raises(HotjitError) as e:
        prepared.publish()
    assert e.value.kind == ErrorKind.STALE
    engine.add("b", ir="@counter = global i32 9\n")
    assert ctypes.c_int32.from_address(engine.global_address("counter")).value == 9
    assert engine.version_of("count") is None

    # Published inside the block: leaving it only frees the handle.
    with engine.batch().add("c", ir=adder("c", 1)).prepare() as prepared:
        prepared.publish()
    assert engine.function("c")(1) == 2
    # Raising inside the block discards; so does dropping the last reference.
    with pytest.raises(KeyError):
        with engine.batch().add("d", ir=adder("d", 1)).prepare():
            raise KeyError("host failure")
    engine.batch().add("e", ir=adder("e", 1)).prepare()
    gc.collect()
    assert engine.stats()["prepared_batches"] == 0
    assert engine.version_of("d") is None and engine.version_of("e") is None
    engine.add("d", ir=adder("d", 2))  # the names are free again
    assert engine.function("d")(1) == 3


def test_a_failed_prepare_leaves_nothing_and_publish_refuses_a_pinned_thread(engine):
    engine.add("f", ir=adder("f", 1))
    batch = engine.batch().add("broken", ir="define i32 @h( {")
    with pytest.raises(HotjitError) as e:
        batch.prepare()
    assert e.value.kind == ErrorKind.PARSE and "module 'broken'" in e.value.message
    with pytest.raises(RuntimeError):
        batch.commit()  # used up by the prepare
    assert engine.stats()["prepared_batches"] == 0 and engine.modules() == ["f"]

    prepared = engine.batch().replace("f", ir=adder("f", 6)).prepare()
    with engine.pinned():
        with pytest.raises(HotjitError) as e:
            prepared.publish()
        assert e.value.kind == ErrorKind.UNSUPPORTED and "EpochGuard" in e.value.message
    prepared.publish()
    assert engine.function("f")(0) == 6


def test_closing_the_engine_discards_its_prepared_batches():
    engine = hotjit.Engine(opt_level=0)
    engine.add("f", ir=adder("f", 1))
    prepared = engine.batch().add("late", ir=adder("late", 7)).prepare()
    version = prepared.version
    engine.close()
    for use in (prepared.publish, prepared.discard):
        with pytest.raises(HotjitError) as e:
            use()
        assert e.value.kind == ErrorKind.STALE and "engine was closed" in e.value.message
    assert prepared.version == version
    prepared.close()
    with prepared:
        pass
    # A batch prepared on a closed engine: refused before it reaches the library.
    with pytest.raises(HotjitError) as e:
        engine.batch()
    assert e.value.kind == ErrorKind.INVALID_ARGUMENT
