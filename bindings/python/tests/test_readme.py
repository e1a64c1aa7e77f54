"""The ```python examples of bindings/python/README.md (and the short one in
the project's README.md), read from the README at test time (the README is
the source: no copy lives here), so that an API change that breaks the
examples a user copies first fails the tests.

Every block must compile and import only names the module has. Then each is
run in a temporary directory holding the files it opens (copied from
tests/vectors/), with this environment's identity pinned by
LICENSING_IDENTITY. The vectors are issued for fixed serial numbers, never
this environment's, so an example that validates for "this machine" must end
in the failure path the README shows. Absolute paths (the store's
/var/lib/...) are replaced by paths in the temporary directory."""

from __future__ import annotations

import ast
import inspect
import math
import re
import shutil
import traceback
from pathlib import Path

import pytest

import licensing
from vectors import PROD, PROD_LIMITS, PROD_NOW, PROD_SERIAL, REPO, VECTORS_DIR, utc

README = Path(__file__).resolve().parents[1] / "README.md"

# The files the examples open, as a user would have them: the vendor's
# public key and a license file.
FILES = {
    "trusted-keys.pem": "test-public-key.pem",
    "prod.lic": "prod.lic",
    "new.lic": "prod.lic",
}

# An identity no vector is issued for (serial_number=None means this one).
NOT_LICENSED_IDENTITY = "readme-example-box"


def python_blocks(text: str):
    """(first line number, code) of each ```python block, in order."""
    blocks, start, lines = [], None, []
    for number, line in enumerate(text.splitlines(), 1):
        if start is None:
            if re.fullmatch(r"```python\s*", line):
                start, lines = number + 1, []
        elif re.fullmatch(r"```\s*", line):
            blocks.append((start, "\n".join(lines) + "\n"))
            start = None
        else:
            lines.append(line)
    assert start is None, f"{README}: unterminated ```python block at line {start}"
    return blocks


BLOCKS = python_blocks(README.read_text(encoding="utf-8"))
IDS = [f"README.md:{line}" for line, _ in BLOCKS]


# The project's README shows a shorter example of each binding.
PROJECT_README = REPO / "README.md"


def project_blocks():
    blocks = python_blocks(PROJECT_README.read_text(encoding="utf-8"))
    assert blocks, f"expected a ```python example in {PROJECT_README}"
    return blocks


def compiled(line: int, code: str, path: Path = README):
    # Padded so that errors and tracebacks give the README's line numbers.
    return compile("\n" * (line - 1) + code, str(path), "exec")


def test_every_example_is_run():
    # The tests below must not silently run on nothing, and each block must
    # be run by one of them (validate or store example).
    assert len(BLOCKS) >= 2, f"expected the README's ```python examples in {README}"
    for line, code in BLOCKS:
        assert "validator.validate(" in code or "Store(" in code, (
            f"README.md:{line}: this ```python block is not run by test_readme.py: add a test"
        )


@pytest.mark.parametrize("line,code", BLOCKS, ids=IDS)
def test_example_compiles(line, code):
    try:
        compiled(line, code)
    except SyntaxError as e:
        pytest.fail(f"README example at line {line} does not compile: {e}")


@pytest.mark.parametrize("line,code", BLOCKS, ids=IDS)
def test_example_imports_exist(line, code):
    check_imports(line, code)


def check_imports(line: int, code: str):
    """Every name the example takes from licensing exists there."""
    tree = ast.parse(code)
    imported, missing = [], []
    module_aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "licensing" and not node.level:
            for alias in node.names:
                assert alias.name != "*", f"README.md:{line + node.lineno - 1}: import * hides names"
                imported.append(alias.name)
                if alias.name not in licensing.__all__ or not hasattr(licensing, alias.name):
                    missing.append((line + node.lineno - 1, alias.name))
        elif isinstance(node, ast.Import):
            module_aliases.update(a.asname or a.name for a in node.names if a.name == "licensing")
    for node in ast.walk(tree):
        # licensing.X after `import licensing`.
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
        ):
            imported.append(node.attr)
            if not hasattr(licensing, node.attr):
                missing.append((line + node.lineno - 1, node.attr))
    assert imported, f"README example at line {line} uses nothing from licensing"
    assert not missing, "names the licensing module does not have: " + ", ".join(
        f"{name} (README.md:{at})" for at, name in missing
    )


def opened_files(code: str):
    """The relative paths the example passes to open()."""
    names = []
    for node in ast.walk(ast.parse(code)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "open"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append(node.args[0].value)
    return names


def absolute_paths(code: str):
    return sorted(
        {
            node.value
            for node in ast.walk(ast.parse(code))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.fullmatch(r"/(var|etc|opt|srv|usr|home)/\S*", node.value)
        }
    )


class Ran:
    """What an example did: the exception it ended with (or None), its
    output, and the temporary directories that stood for absolute paths."""

    def __init__(self, error, out, err, paths):
        self.error, self.out, self.err, self.paths = error, out, err, paths

    def failing_line(self) -> str:
        """The README line (text) the exception was raised from."""
        frames = [f for f in traceback.extract_tb(self.error.__traceback__) if f.filename == str(README)]
        assert frames, f"the exception did not come from the example: {self.error!r}"
        return README.read_text(encoding="utf-8").splitlines()[frames[-1].lineno - 1]


@pytest.fixture
def run_example(tmp_path, monkeypatch, capsys, vectors_dir):
    """Runs a README block in tmp_path as a user would run it there."""
    work = tmp_path / "work"
    work.mkdir()
    for name, vector in FILES.items():
        shutil.copyfile(vectors_dir / vector, work / name)
    monkeypatch.chdir(work)
    monkeypatch.delenv("LICENSING_IDENTITY_FILE", raising=False)
    monkeypatch.setenv("LICENSING_IDENTITY", NOT_LICENSED_IDENTITY)

    def run(line: int, code: str) -> Ran:
        for name in opened_files(code):
            assert name in FILES, (
                f"README example at line {line} opens {name!r}, which test_readme.py "
                f"does not provide: add it to FILES"
            )
        paths = {}
        for path in absolute_paths(code):
            paths[path] = tmp_path / path.lstrip("/")
            replaced = code.replace(repr(path), repr(str(paths[path]))).replace(
                f'"{path}"', repr(str(paths[path]))
            )
            assert replaced != code, f"could not replace {path!r} in the example"
            code = replaced
        error = None
        try:
            exec(compiled(line, code), {"__name__": "__readme_example__"})
        except (Exception, SystemExit) as e:  # the example may exit
            error = e
        captured = capsys.readouterr()
        return Ran(error, captured.out, captured.err, paths)

    return run


@pytest.fixture
def as_licensed_machine(monkeypatch):
    """Makes a method's serial_number=None and unix_time=None mean prod.lic's
    serial number and a time it is active at: the example runs as on the
    licensed machine."""

    def patch(cls, name):
        method = getattr(cls, name)
        signature = inspect.signature(method)
        assert {"serial_number", "unix_time"} <= set(signature.parameters), (cls, name)

        def pinned(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            if bound.arguments.get("serial_number") is None:
                bound.arguments["serial_number"] = PROD_SERIAL
            if bound.arguments.get("unix_time") is None:
                bound.arguments["unix_time"] = PROD_NOW.now
            return method(*bound.args, **bound.kwargs)

        monkeypatch.setattr(cls, name, pinned)

    return patch


def block(marker: str):
    found = [(line, code) for line, code in BLOCKS if marker in code]
    assert len(found) == 1, f"expected one README ```python block with {marker!r}, found {len(found)}"
    return found[0]


def test_validate_example_refuses_a_license_of_another_machine(run_example):
    line, code = block("validator.validate(")
    ran = run_example(line, code)
    # prod.lic is issued for another serial number: the README's except
    # branch exits with the library's explanation and the code's name.
    assert isinstance(ran.error, SystemExit), f"expected SystemExit, got {ran.error!r}"
    message = str(ran.error.code)
    assert re.fullmatch(r"license not valid: .+ \(WRONG_SERIAL\)", message), message
    assert PROD_SERIAL in message and licensing.serial_number_this_machine() in message, message
    assert ran.out == "", "nothing is printed for a license that is not valid"


def test_validate_example_on_the_licensed_machine(run_example, as_licensed_machine):
    # The success path, as on the machine prod.lic is issued for, at a time
    # it is active: the fields are printed, and 97 internal users of 100 are
    # near the limit.
    line, code = block("validator.validate(")
    as_licensed_machine(licensing.Validator, "validate")
    ran = run_example(line, code)
    assert ran.error is None, f"README example at line {line} raised {ran.error!r}"
    # Enums print as names, days_left counts to the expiry (a started day
    # counts), expires_at is a UTC datetime.
    days = math.ceil((PROD["expires_at"] - PROD_NOW.now) / 86400)
    assert ran.out.splitlines() == [
        f"{PROD['organization']} {PROD['edition']} ACTIVE {days} {utc(PROD['expires_at'])}",
        f"nearly at the internal-users limit of {PROD_LIMITS['internal-users']}",
    ], ran.out


def test_store_example_refuses_to_install_a_license_of_another_machine(run_example):
    line, code = block("Store(")
    ran = run_example(line, code)
    assert ran.paths, "the store example was expected to use an absolute directory"
    # install validates first: prod.lic (as new.lic) is not for this serial.
    assert isinstance(ran.error, licensing.WrongSerial), f"expected WrongSerial, got {ran.error!r}"
    assert isinstance(ran.error, licensing.LicenseInvalid)
    assert ran.error.code is licensing.ResultCode.WRONG_SERIAL
    assert "store.install(" in ran.failing_line()
    # The store was created (by Store.create, then opened by Store), and the
    # refused license not installed.
    (store_dir,) = ran.paths.values()
    assert (store_dir / ".lock").is_file()
    assert not (store_dir / "license.lic").exists()
    # Before that, the serial to register: this environment's (pinned).
    assert ran.out == f"serial number: {licensing.serial_number_this_machine()}\n"


def test_store_example_on_the_licensed_machine(run_example, as_licensed_machine):
    # The success path: new.lic is installed, the status (451 application
    # objects, over the hard limit of 450) is printed, then the preview of
    # the status 90 days later, which records nothing.
    line, code = block("Store(")
    for method in ("install", "status", "preview_status"):
        as_licensed_machine(licensing.Store, method)
    ran = run_example(line, code)
    assert ran.error is None, f"README example at line {line} raised {ran.error!r}"
    (store_dir,) = ran.paths.values()
    assert (store_dir / "license.lic").read_bytes() == (VECTORS_DIR / "prod.lic").read_bytes()
    objects = PROD_LIMITS["application-objects"]
    days_now = math.ceil((PROD["expires_at"] - PROD_NOW.now) / 86400)
    assert re.fullmatch(
        r"serial number: \S+\n"
        rf"ACTIVE {days_now} \['consuming more than the license allows: application-objects 451/{objects} .*'\]\n"
        rf"in 90 days: ACTIVE {days_now - 90}\n",
        ran.out,
    ), ran.out
    # The preview recorded nothing: the latest time the store has seen is
    # still the status's, so a status now reports no clock turned back.
    with licensing.Store(store_dir) as store, licensing.Validator(
        (VECTORS_DIR / "test-public-key.pem").read_bytes()
    ) as validator:
        with store.status(validator, PROD_SERIAL, PROD_NOW.now) as status:
            assert status.warnings == [], status.warnings


def test_project_readme_example_refuses_a_license_of_another_machine(run_example):
    # README.md's short example has no except branch: on a machine that is
    # not prod.lic's, validate raises the binding's WrongSerial.
    ((line, code),) = project_blocks()
    compiled(line, code, PROJECT_README)
    check_imports(line, code)
    ran = run_example(line, code)
    assert isinstance(ran.error, licensing.WrongSerial), f"expected WrongSerial, got {ran.error!r}"
    assert ran.out == ""


def test_project_readme_example_on_the_licensed_machine(run_example, as_licensed_machine):
    ((line, code),) = project_blocks()
    as_licensed_machine(licensing.Validator, "validate")
    ran = run_example(line, code)
    assert ran.error is None, f"README.md example at line {line} raised {ran.error!r}"
    assert ran.out == f"{PROD['organization']} ACTIVE True\n", ran.out
