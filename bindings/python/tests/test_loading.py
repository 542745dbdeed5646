"""How the package finds libhotjit.so without HOTJIT_LIBRARY: next to the package, through
pkg-config's libdir, and the error that lists every place tried when nothing is found.

Each case imports the package in a fresh interpreter with a controlled environment; the library
is the one of this build (HOTJIT_LIBRARY, set by ctest).
"""

import os
import shutil
import subprocess
import sys

import pytest

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBRARY = os.environ.get("HOTJIT_LIBRARY")


def import_hotjit(env, pythonpath):
    """Imports hotjit in a child interpreter; returns (exit status, the loaded library's path or
    the error)."""
    env = dict(env, PYTHONPATH=pythonpath)
    code = ("import hotjit, hotjit._capi as c, os; "
            "print(os.path.realpath(c.lib._name)); print(hotjit._capi.lib.hotjit_version())")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=120)
    return r.returncode, r.stdout + r.stderr


def bare_env(tmp_path):
    """No HOTJIT_LIBRARY, no LD_LIBRARY_PATH, no hotjit on PATH, pkg-config looking only in an
    empty directory."""
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("HOTJIT_LIBRARY", "LD_LIBRARY_PATH", "PKG_CONFIG_PATH")}
    env["PATH"] = os.path.dirname(shutil.which("pkg-config") or "/usr/bin")
    env["PKG_CONFIG_LIBDIR"] = str(empty)
    return env


@pytest.fixture
def library():
    assert LIBRARY, "HOTJIT_LIBRARY must name the built libhotjit.so"
    return os.path.realpath(LIBRARY)


def test_finds_the_library_through_pkg_config(tmp_path, library):
    pc = tmp_path / "pc"
    pc.mkdir()
    (pc / "hotjit.pc").write_text(
        f"libdir={os.path.dirname(LIBRARY)}\n\nName: hotjit\nDescription: test\nVersion: 0.1.0\n"
        "Libs: -L${libdir} -lhotjit\n")
    env = bare_env(tmp_path)
    env["PKG_CONFIG_LIBDIR"] = str(pc)
    status, out = import_hotjit(env, PACKAGE_DIR)
    assert status == 0, out
    assert out.splitlines()[0] == library


def test_finds_the_library_next_to_the_package(tmp_path, library):
    site = tmp_path / "site"
    shutil.copytree(os.path.join(PACKAGE_DIR, "hotjit"), site / "hotjit")
    os.symlink(library, site / "hotjit" / "libhotjit.so.0.1")
    status, out = import_hotjit(bare_env(tmp_path), str(site))
    assert status == 0, out
    assert out.splitlines()[0] == library


def test_error_lists_every_place_tried(tmp_path):
    status, out = import_hotjit(bare_env(tmp_path), PACKAGE_DIR)
    assert status != 0
    assert "libhotjit.so not found" in out, out
    assert os.path.join(PACKAGE_DIR, "hotjit", "libhotjit.so.0.1") + ": no such file" in out, out
    assert os.path.join(sys.prefix, "lib", "libhotjit.so.0.1") + ": no such file" in out, out
    assert "libhotjit.so.0.1 on the loader's search path" in out, out
    assert "find_library" in out, out


def test_a_wrong_hotjit_library_is_named(tmp_path):
    env = bare_env(tmp_path)
    env["HOTJIT_LIBRARY"] = str(tmp_path / "nowhere" / "libhotjit.so")
    status, out = import_hotjit(env, PACKAGE_DIR)
    assert status != 0
    assert f"cannot load HOTJIT_LIBRARY={env['HOTJIT_LIBRARY']}" in out, out
