"""ctypes declarations of libhotjit.so's C API (bindings/c/include/hotjit/hotjit.h).

The library is found through, in order: the HOTJIT_LIBRARY environment variable (a path; then
nothing else is tried), the package's own directory and the one holding it, pkg-config's libdir of
hotjit, the lib directory of the prefix hotjit was installed into (the one whose bin holds the
hotjit program on PATH, sys.prefix, /usr/local), then the loader's own search (LD_LIBRARY_PATH,
ld.so.cache) under the soname and ctypes.util.find_library. When none loads, the OSError lists
every place tried and why each failed.
It is loaded with ctypes.CDLL, which releases the GIL around every call: commits block only
the committing thread, and JIT functions run in parallel on several Python threads.
"""

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys

SONAME = "libhotjit.so.0.1"


class Error(ctypes.Structure):
    """Opaque hotjit_error."""


class EngineHandle(ctypes.Structure):
    """Opaque hotjit_engine."""


class BatchHandle(ctypes.Structure):
    """Opaque hotjit_batch."""


class PreparedHandle(ctypes.Structure):
    """Opaque hotjit_prepared."""


ErrorP = ctypes.POINTER(Error)
EngineP = ctypes.POINTER(EngineHandle)
BatchP = ctypes.POINTER(BatchHandle)
PreparedP = ctypes.POINTER(PreparedHandle)


class Stall(ctypes.Structure):
    _fields_ = [
        ("thread_id", ctypes.c_uint64),
        ("held_ns", ctypes.c_uint64),
        ("pinned", ctypes.c_int),
        ("description", ctypes.c_char_p),
        ("running_retired_count", ctypes.c_size_t),
        ("running_retired", ctypes.POINTER(ctypes.c_char_p)),
        ("unanswered", ctypes.c_int),
    ]


STALL_HANDLER = ctypes.CFUNCTYPE(None, ctypes.POINTER(Stall), ctypes.c_void_p)


class EngineOptions(ctypes.Structure):
    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("opt_level", ctypes.c_uint),
        ("compile_threads", ctypes.c_uint),
        ("compile_in_calling_thread", ctypes.c_int),
        ("object_cache", ctypes.c_int),
        ("cache_directory", ctypes.c_char_p),
        ("cache_memory_bytes", ctypes.c_size_t),
        ("tiered", ctypes.c_int),
        ("max_module_bytes", ctypes.c_size_t),
        ("link_runtime_libraries", ctypes.c_int),
        ("retired_bytes_cap", ctypes.c_size_t),
        ("wait_when_over_cap", ctypes.c_int),
        ("retired_wait_timeout_ms", ctypes.c_uint32),
        ("reclaim_delay_us", ctypes.c_uint32),
        ("stall_threshold_ms", ctypes.c_uint32),
        ("unwind_index", ctypes.c_int),
        ("debug_info_registration", ctypes.c_int),
        ("perf_map", ctypes.c_int),
        ("quarantine_retired_code", ctypes.c_int),
        ("on_stall", STALL_HANDLER),
        ("on_stall_user_data", ctypes.c_void_p),
        ("stack_check_after_us", ctypes.c_uint32),
        ("stack_check_signal", ctypes.c_int),
        ("partial_replacement", ctypes.c_int),
        ("perf_jit_dump", ctypes.c_int),
    ]


class Report(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint64),
        ("opt_level", ctypes.c_uint),
        ("published_count", ctypes.c_size_t),
        ("published", ctypes.POINTER(ctypes.c_char_p)),
        ("removed_count", ctypes.c_size_t),
        ("removed", ctypes.POINTER(ctypes.c_char_p)),
        ("type_changed_count", ctypes.c_size_t),
        ("type_changed", ctypes.POINTER(ctypes.c_char_p)),
        ("parse_ns", ctypes.c_uint64),
        ("prepare_ns", ctypes.c_uint64),
        ("optimize_ns", ctypes.c_uint64),
        ("codegen_ns", ctypes.c_uint64),
        ("link_ns", ctypes.c_uint64),
        ("publish_ns", ctypes.c_uint64),
        ("total_ns", ctypes.c_uint64),
        ("compiled", ctypes.c_uint),
        ("cache_hits", ctypes.c_uint),
        ("kept_for_old_state_count", ctypes.c_size_t),
        ("kept_for_old_state", ctypes.POINTER(ctypes.c_char_p)),
        ("skipped_constructors_count", ctypes.c_size_t),
        ("skipped_constructors", ctypes.POINTER(ctypes.c_char_p)),
        ("updated_tables_count", ctypes.c_size_t),
        ("updated_tables", ctypes.POINTER(ctypes.c_char_p)),
        ("recompiled_functions", ctypes.c_uint),
        ("kept_functions", ctypes.c_uint),
    ]


ReportP = ctypes.POINTER(Report)


class Stats(ctypes.Structure):
    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("live_modules", ctypes.c_size_t),
        ("live_functions", ctypes.c_size_t),
        ("commits", ctypes.c_uint64),
        ("failed_commits", ctypes.c_uint64),
        ("versions_retired", ctypes.c_uint64),
        ("versions_freed", ctypes.c_uint64),
        ("retired_bytes_pending", ctypes.c_size_t),
        ("modules_compiled", ctypes.c_uint64),
        ("cache_hits", ctypes.c_uint64),
        ("cache_corrupt", ctypes.c_uint64),
        ("cache_untrusted", ctypes.c_uint64),
        ("perf_map_failures", ctypes.c_uint64),
        ("tier_ups", ctypes.c_uint64),
        ("type_changes", ctypes.c_uint64),
        ("commits_waiting", ctypes.c_uint32),
        ("last_tier0_latency_ns", ctypes.c_uint64),
        ("last_tier_up_latency_ns", ctypes.c_uint64),
        ("free_time_ns", ctypes.c_uint64),
        ("unwind_index", ctypes.c_int),
        ("epoch", ctypes.c_uint64),
        ("grace_periods", ctypes.c_uint64),
        ("stalls", ctypes.c_uint64),
        ("registered_threads", ctypes.c_size_t),
        ("versions_kept", ctypes.c_uint64),
        ("kept_bytes", ctypes.c_size_t),
        ("stack_checks", ctypes.c_uint64),
        ("versions_freed_by_stack_check", ctypes.c_uint64),
        ("stack_check_held_code", ctypes.c_uint64),
        ("stack_check_unanswered", ctypes.c_uint64),
        ("stack_checks_enabled", ctypes.c_int),
        ("prepared_batches", ctypes.c_uint32),
    ]


TRAP_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)


def _candidates():
    """Paths to try, in order, after HOTJIT_LIBRARY: the package's directory and its parent,
    pkg-config's libdir, the install prefixes' lib directories."""
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [here, os.path.dirname(here)]
    pkg_config = shutil.which("pkg-config") or shutil.which("pkgconf")
    if pkg_config:
        try:
            out = subprocess.run([pkg_config, "--variable=libdir", "hotjit"],
                                 capture_output=True, text=True, timeout=10)
            if out.returncode == 0 and out.stdout.strip():
                dirs.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    prefixes = []
    program = shutil.which("hotjit")
    if program:
        prefixes.append(os.path.dirname(os.path.dirname(os.path.realpath(program))))
    prefixes += [sys.prefix, "/usr/local"]
    for prefix in prefixes:
        dirs += [os.path.join(prefix, "lib"), os.path.join(prefix, "lib64")]
    seen, paths = set(), []
    for d in dirs:
        for name in (SONAME, "libhotjit.so"):
            path = os.path.normpath(os.path.join(d, name))
            if path not in seen:
                seen.add(path)
                paths.append(path)
    return paths


def _load():
    path = os.environ.get("HOTJIT_LIBRARY")
    if path:
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            raise OSError(f"hotjit: cannot load HOTJIT_LIBRARY={path}: {e}") from None
    tried = []
    for path in _candidates():
        if not os.path.exists(path):
            tried.append(f"{path}: no such file")
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"{path}: {e}")
    try:
        return ctypes.CDLL(SONAME)
    except OSError as e:
        tried.append(f"{SONAME} on the loader's search path: {e}")
    found = ctypes.util.find_library("hotjit")
    if found:
        try:
            return ctypes.CDLL(found)
        except OSError as e:
            tried.append(f"{found} (ctypes.util.find_library): {e}")
    else:
        tried.append("ctypes.util.find_library('hotjit'): not found")
    raise OSError(
        "hotjit: libhotjit.so not found; install hotjit (cmake --install), set HOTJIT_LIBRARY "
        "to the library's path, or add its directory to LD_LIBRARY_PATH. Tried:\n  "
        + "\n  ".join(tried))


lib = _load()

_c = ctypes
_signatures = {
    "hotjit_error_get_kind": (_c.c_int, [ErrorP]),
    "hotjit_error_message": (_c.c_char_p, [ErrorP]),
    "hotjit_error_free": (None, [ErrorP]),
    "hotjit_error_kind_name": (_c.c_char_p, [_c.c_int]),
    "hotjit_string_free": (None, [_c.c_void_p]),
    "hotjit_version": (_c.c_char_p, []),
    "hotjit_engine_options_init": (None, [_c.POINTER(EngineOptions)]),
    "hotjit_engine_create": (ErrorP, [_c.POINTER(EngineOptions), _c.POINTER(EngineP)]),
    "hotjit_engine_destroy": (None, [EngineP]),
    "hotjit_batch_create": (BatchP, [EngineP]),
    "hotjit_batch_add": (ErrorP, [BatchP, _c.c_char_p, _c.c_int, _c.c_char_p, _c.c_size_t]),
    "hotjit_batch_replace": (ErrorP, [BatchP, _c.c_char_p, _c.c_int, _c.c_char_p, _c.c_size_t]),
    "hotjit_batch_put": (ErrorP, [BatchP, _c.c_char_p, _c.c_int, _c.c_char_p, _c.c_size_t]),
    "hotjit_batch_remove": (ErrorP, [BatchP, _c.c_char_p, _c.c_int]),
    "hotjit_batch_set_opt_level": (ErrorP, [BatchP, _c.c_uint]),
    "hotjit_report_free": (None, [ReportP]),
    "hotjit_batch_commit": (ErrorP, [BatchP, _c.POINTER(ReportP)]),
    "hotjit_batch_dispose": (None, [BatchP]),
    "hotjit_batch_prepare": (ErrorP, [BatchP, _c.POINTER(PreparedP)]),
    "hotjit_prepared_publish": (ErrorP, [PreparedP, _c.POINTER(ReportP)]),
    "hotjit_prepared_discard": (ErrorP, [PreparedP]),
    "hotjit_prepared_version": (_c.c_uint64, [PreparedP]),
    "hotjit_prepared_dispose": (None, [PreparedP]),
    "hotjit_rollback": (ErrorP, [EngineP, _c.c_char_p, _c.POINTER(ReportP)]),
    "hotjit_lookup": (ErrorP, [EngineP, _c.c_char_p, _c.c_char_p, _c.POINTER(_c.c_void_p)]),
    "hotjit_signature_of": (ErrorP, [EngineP, _c.c_char_p, _c.POINTER(_c.c_void_p)]),
    "hotjit_lookup_global": (ErrorP, [EngineP, _c.c_char_p, _c.POINTER(_c.c_void_p)]),
    "hotjit_add_host_symbol": (ErrorP, [EngineP, _c.c_char_p, _c.c_void_p]),
    "hotjit_modules": (ErrorP, [EngineP, _c.POINTER(_c.POINTER(_c.c_char_p)),
                                _c.POINTER(_c.c_size_t)]),
    "hotjit_names_free": (None, [_c.POINTER(_c.c_char_p)]),
    "hotjit_version_of": (_c.c_int, [EngineP, _c.c_char_p, _c.POINTER(_c.c_uint64)]),
    "hotjit_set_removed_function_handler": (ErrorP, [EngineP, TRAP_HANDLER, _c.c_void_p]),
    "hotjit_get_stats": (None, [EngineP, _c.POINTER(Stats)]),
    "hotjit_wait_for_reclamation": (None, [EngineP]),
    "hotjit_wait_for_tier_ups": (None, [EngineP]),
    "hotjit_enter": (None, [EngineP]),
    "hotjit_exit": (None, [EngineP]),
    "hotjit_depth": (_c.c_uint32, [EngineP]),
    "hotjit_restore_depth": (None, [EngineP, _c.c_uint32]),
    "hotjit_quiescent": (None, [EngineP]),
    "hotjit_offline": (None, [EngineP]),
    "hotjit_online": (None, [EngineP]),
    "hotjit_unregister_thread": (None, [EngineP]),
}
for _name, (_restype, _argtypes) in _signatures.items():
    _f = getattr(lib, _name)
    _f.restype = _restype
    _f.argtypes = _argtypes
del _name, _restype, _argtypes, _f

# The pin functions for Function calls: separate function objects without argtypes, called with
# a c_void_p built once, which skips ctypes' per-call argument conversion (a pin and an unpin cost
# about half as much as with argtypes).
pin_enter = lib["hotjit_enter"]
pin_enter.restype = None
pin_depth = lib["hotjit_depth"]
pin_depth.restype = ctypes.c_uint32
pin_restore = lib["hotjit_restore_depth"]
pin_restore.restype = None
