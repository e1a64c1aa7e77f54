"""Fixtures shared by the tests: the vectors, the trusted key, a validator,
a fresh store directory, and the native library and CLI built by Cargo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import licensing
import vectors
from licensing import Validator


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    """tests/vectors/ of the repository."""
    return vectors.VECTORS_DIR


@pytest.fixture(scope="session")
def spec() -> dict:
    """vectors.json, loaded."""
    return vectors.SPEC


@pytest.fixture(scope="session")
def trusted_key() -> bytes:
    """The public key (PEM) the vectors are signed with."""
    return vectors.TRUSTED_KEY.read_bytes()


@pytest.fixture(scope="session")
def validator(trusted_key):
    """A validator trusting the vectors' key, shared (it is thread-safe and
    immutable; its cache of verified files is exercised across tests)."""
    with Validator(trusted_key) as v:
        yield v


@pytest.fixture
def store_dir(tmp_path) -> Path:
    """A directory for a store, not created yet: make the store with
    Store.create (Store(dir) opens an existing one only)."""
    return tmp_path / "store"


@pytest.fixture(scope="session")
def library_path() -> Path:
    """The native library under test: the file LICENSING_LIBRARY names
    (test.sh sets it to the one Cargo just built)."""
    named = os.environ.get(licensing._native.ENV_VAR)
    assert named and Path(named).is_file(), (
        f"expected {licensing._native.ENV_VAR} to name the library under test, found "
        f"{named!r}. Run bindings/python/test.sh, which builds it and sets the variable."
    )
    return Path(named)


#: The environment variable naming the vendor's CLI (test.sh sets it).
CLI_VAR = "LICENSING_CLI"


@pytest.fixture(scope="session")
def cli_path(library_path) -> Path:
    """The licensing CLI (the vendor's side of the hardware-change and
    exchange tests): LICENSING_CLI (test.sh sets it), else the one Cargo
    builds next to the library."""
    named = os.environ.get(CLI_VAR)
    path = Path(named) if named else library_path.parent / "licensing"
    assert path.is_file(), (
        f"expected the licensing CLI at {path} ({CLI_VAR} or next to the library), "
        f"found nothing: run `cargo build` or set {CLI_VAR} to the binary"
    )
    return path
