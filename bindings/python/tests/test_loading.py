"""The loading rule of every binding: licensing.load_library(path) before
first use, else LICENSING_LIBRARY, else the copy the package bundles (the
wheel's licensing/_lib/), else the system's search path; nothing taken from
a development tree. Each case runs in a fresh interpreter (the
library loads once per process, and the dynamic loader reads
LD_LIBRARY_PATH at start)."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import licensing
from licensing._native import BUNDLED, ENV_VAR, FILE_NAME, SEARCH_PATH_VAR
from vectors import PROD, PROD_CODE, PROD_NOW, PROD_SERIAL, TRUSTED_KEY, VECTORS_DIR

PACKAGE = Path(licensing.__file__).resolve().parent

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="LD_LIBRARY_PATH is the dynamic loader's on Linux"
)


def run_python(code: str, cwd: Path, pythonpath: Path, **env) -> subprocess.CompletedProcess:
    """Runs ``code`` in a new interpreter that imports licensing from
    ``pythonpath``, with the variables of the loading rule (and the pinned
    identity) unset unless ``env`` sets them."""
    base = {
        k: v for k, v in os.environ.items()
        if k not in (ENV_VAR, SEARCH_PATH_VAR, "PYTHONPATH",
                     "LICENSING_IDENTITY", "LICENSING_IDENTITY_FILE")
    }
    base["PYTHONPATH"] = str(pythonpath)
    base.update({k: str(v) for k, v in env.items()})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=str(cwd), env=base,
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def package_alone(tmp_path) -> Path:
    """A directory holding a copy of the licensing package's Python files
    and nothing else of the repository, as copied into a project: no
    bundled library (the installed wheel's licensing/_lib/ is left out)."""
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "licensing",
                    ignore=shutil.ignore_patterns("__pycache__", "_lib"))
    return site


@pytest.fixture
def package_bundling(package_alone, library_path) -> Path:
    """The package as the wheel installs it: with its copy of the library
    in licensing/_lib/."""
    bundled = package_alone / "licensing" / "_lib" / FILE_NAME
    bundled.parent.mkdir()
    shutil.copy(library_path, bundled)
    return package_alone


@pytest.fixture
def search_dir(tmp_path, library_path) -> Path:
    """A directory with the library under its platform file name, for the
    system's search path: Cargo's output directory (target/debug), or a
    link to the library when it is named otherwise."""
    if library_path.name == FILE_NAME:
        return library_path.parent
    d = tmp_path / "lib"
    d.mkdir()
    (d / FILE_NAME).symlink_to(library_path.resolve())
    return d


VALIDATE = f"""
    import licensing
    print(licensing.__file__)
    print(licensing.version())
    with licensing.Validator(open({str(TRUSTED_KEY)!r}, "rb").read()) as v:
        lic = v.validate(open({str(VECTORS_DIR / "prod.lic")!r}, "rb").read(),
                         {PROD_SERIAL!r}, {PROD_CODE!r}, {PROD_NOW.now})
        print(lic.organization, lic.state)
    print(licensing.find_library())
"""


def test_the_package_alone_loads_the_library_named_by_the_variable(
    package_alone, library_path, tmp_path
):
    out = run_python(VALIDATE, tmp_path, package_alone, **{ENV_VAR: library_path})
    assert out.returncode == 0, out.stderr
    file, version, validated, loaded = out.stdout.splitlines()
    assert Path(file).parent == package_alone / "licensing", "imported from the copy"
    assert version == licensing.version()
    assert validated == f"{PROD['organization']} ACTIVE"
    assert loaded == str(library_path)


def test_the_bundled_path_is_in_the_package():
    assert Path(BUNDLED) == PACKAGE / "_lib" / FILE_NAME


def test_without_the_variable_the_package_loads_its_bundled_copy(package_bundling, tmp_path):
    # Nothing names a library, and the search path has none: the wheel's
    # own copy loads.
    empty = tmp_path / "empty"
    empty.mkdir()
    out = run_python(VALIDATE, tmp_path, package_bundling, **{SEARCH_PATH_VAR: empty})
    assert out.returncode == 0, out.stderr
    file, version, validated, loaded = out.stdout.splitlines()
    assert Path(file).parent == package_bundling / "licensing", "imported from the copy"
    assert version == licensing.version()
    assert validated == f"{PROD['organization']} ACTIVE"
    assert Path(loaded) == package_bundling / "licensing" / "_lib" / FILE_NAME


@linux_only
def test_the_bundled_copy_comes_before_the_system_search_path(
    package_bundling, search_dir, tmp_path
):
    out = run_python(VALIDATE, tmp_path, package_bundling, **{SEARCH_PATH_VAR: search_dir})
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.splitlines()[3]) == package_bundling / "licensing" / "_lib" / FILE_NAME


def test_the_variable_comes_before_the_bundled_copy(package_bundling, library_path, tmp_path):
    other = tmp_path / "other" / FILE_NAME
    other.parent.mkdir()
    shutil.copy(library_path, other)
    out = run_python(VALIDATE, tmp_path, package_bundling, **{ENV_VAR: other})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[3] == str(other)


@linux_only
def test_a_broken_bundled_copy_is_an_error_not_a_fallback(package_alone, search_dir, tmp_path):
    # The search path has the library, but the package's own copy applies
    # first, and a broken one must not silently load another copy.
    bundled = package_alone / "licensing" / "_lib" / FILE_NAME
    bundled.parent.mkdir()
    bundled.write_text("not a shared library")
    code = """
        import licensing
        try:
            licensing.version()
        except licensing.LibraryNotFoundError as e:
            print(e)
    """
    out = run_python(code, tmp_path, package_alone, **{SEARCH_PATH_VAR: search_dir})
    assert out.returncode == 0, out.stderr
    for part in (str(bundled), "bundled with the licensing package"):
        assert part in out.stdout, (part, out.stdout)


@linux_only
def test_without_the_variable_the_system_search_path_finds_it(package_alone, search_dir, tmp_path):
    out = run_python(VALIDATE, tmp_path, package_alone, **{SEARCH_PATH_VAR: search_dir})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[2] == f"{PROD['organization']} ACTIVE"
    assert out.stdout.splitlines()[3] == FILE_NAME, "loaded by its name, through the search path"


@linux_only
def test_a_variable_naming_no_file_is_an_error_not_a_fallback(package_alone, search_dir, tmp_path):
    # The search path has the library, but the explicit path wins, and a
    # wrong explicit path must not silently load another copy.
    bogus = tmp_path / "nope" / FILE_NAME
    code = """
        import licensing
        try:
            licensing.version()
        except licensing.LibraryNotFoundError as e:
            print(e)
    """
    out = run_python(code, tmp_path, package_alone, **{ENV_VAR: bogus, SEARCH_PATH_VAR: search_dir})
    assert out.returncode == 0, out.stderr
    for part in (str(bogus), "does not exist", ENV_VAR, "load_library"):
        assert part in out.stdout, (part, out.stdout)


def test_a_missing_library_says_what_was_tried_and_what_to_do(package_alone, tmp_path):
    if ctypes.util.find_library("licensing"):
        pytest.skip("a liblicensing is installed on this system: the search path finds it")
    empty = tmp_path / "empty"
    empty.mkdir()
    code = """
        import licensing  # never fails for want of the library
        try:
            licensing.Validator(b"x")
        except licensing.LibraryNotFoundError as e:
            print(e)
    """
    out = run_python(code, tmp_path, package_alone, **{SEARCH_PATH_VAR: empty})
    assert out.returncode == 0, out.stderr
    message = out.stdout
    # What was tried, where, and what to do.
    bundled = package_alone / "licensing" / "_lib" / FILE_NAME
    for part in (f"{ENV_VAR} is not set", FILE_NAME, f"{SEARCH_PATH_VAR}={str(empty)!r}",
                 f"bundles no copy ({bundled} does not exist", "Tried:", f"set {ENV_VAR}",
                 "load_library(path)", "install the licensing wheel"):
        assert part in message, (part, message)


def test_load_library_comes_first_and_once(package_alone, library_path, tmp_path):
    other = tmp_path / "other" / FILE_NAME
    other.parent.mkdir()
    shutil.copy(library_path, other)
    missing = tmp_path / "missing" / FILE_NAME
    code = f"""
        import licensing
        try:
            licensing.load_library({str(missing)!r})
        except licensing.LibraryNotFoundError as e:
            print("missing:", e)
        licensing.load_library({str(library_path)!r})
        licensing.load_library({str(library_path)!r})  # the same file again: nothing to do
        print("loaded:", licensing.find_library(), licensing.version())
        try:
            licensing.load_library({str(other)!r})
        except RuntimeError as e:
            print("again:", e)
    """
    # LICENSING_LIBRARY names no file: load_library is what loads.
    out = run_python(code, tmp_path, package_alone, **{ENV_VAR: tmp_path / "nowhere.so"})
    assert out.returncode == 0, out.stderr
    missing_line, loaded_line, again_line = out.stdout.splitlines()
    assert missing_line.startswith("missing: ") and str(missing) in missing_line
    assert f"licensing.load_library({str(missing)!r})" in missing_line
    assert loaded_line == f"loaded: {library_path} {licensing.version()}"
    assert again_line.startswith("again: ") and str(library_path) in again_line
    assert "before the first use" in again_line


def test_a_file_that_is_not_a_library(tmp_path):
    fake = tmp_path / FILE_NAME
    fake.write_text("not a shared library")
    with pytest.raises(licensing.LibraryNotFoundError) as info:
        licensing._native.load(str(fake), "the test")
    assert str(fake) in str(info.value) and "the test" in str(info.value)
    assert ENV_VAR in str(info.value)


def test_a_library_that_is_not_liblicensing():
    libc = ctypes.util.find_library("c")
    if not libc:
        pytest.skip("no C library found to stand in for another library")
    with pytest.raises(licensing.LibraryNotFoundError) as info:
        licensing._native.load(libc, "the test")
    text = str(info.value)
    assert "lacks the functions" in text and "lic_validator_new" in text, text
