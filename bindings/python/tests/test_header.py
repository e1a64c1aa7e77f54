"""The binding against include/licensing.h, the contract: every function of
the header is bound with its number of parameters, every code and enum value
is mirrored, and the library exports what the binding calls."""

from __future__ import annotations

import ctypes
import re

import pytest

import licensing
from licensing import Enforcement, LicenseType, Purpose, ResultCode, Standing, State, Usage
from licensing._native import PROTOTYPES, UsageEntry
from vectors import HEADER

TEXT = HEADER.read_text(encoding="utf-8")
CODE = re.sub(r"/\*.*?\*/", "", TEXT, flags=re.S)


def header_functions() -> dict:
    """Each function the header declares, with its parameter list."""
    found = re.findall(r"^[\w ]*?\**\s*\b(lic_\w+)\(([^)]*)\);", CODE, re.M)
    return {name: params for name, params in found}


def parameter_count(params: str) -> int:
    params = params.strip()
    return 0 if params in ("", "void") else params.count(",") + 1


def header_enum(name: str) -> dict:
    m = re.search(r"enum\s+" + name + r"\b[^{]*\{(.*?)\}", CODE, re.S)
    assert m, f"enum {name} not found in {HEADER}"
    return {k: int(v) for k, v in re.findall(r"\b(LIC_\w+)\s*=\s*(-?\d+)", m.group(1))}


FUNCTIONS = header_functions()


def test_the_header_is_read():
    # The tests below compare with what this parser finds: it must find it.
    assert len(FUNCTIONS) >= 55, sorted(FUNCTIONS)
    for name in ("lic_version", "lic_validator_validate", "lic_store_serial_number",
                 "lic_status_days_left", "lic_result_is_misuse", "lic_store_open",
                 "lic_store_create", "lic_store_preview_status"):
        assert name in FUNCTIONS, name


def test_store_functions_are_bound():
    # Open an existing store, create one, judge now or at a chosen time.
    assert parameter_count(FUNCTIONS["lic_store_create"]) == 2
    assert PROTOTYPES["lic_store_create"] == PROTOTYPES["lic_store_open"]
    assert parameter_count(FUNCTIONS["lic_store_preview_status"]) == 7
    assert PROTOTYPES["lic_store_preview_status"] == PROTOTYPES["lic_store_status"], (
        "lic_store_preview_status takes the arguments of lic_store_status"
    )


def test_no_store_code_matches_the_header():
    assert header_enum("lic_result")["LIC_NO_STORE"] == ResultCode.NO_STORE == 504
    assert ResultCode.NO_STORE.is_environment


def test_every_function_of_the_header_is_bound():
    missing = sorted(set(FUNCTIONS) - set(PROTOTYPES))
    assert not missing, (
        f"declared in {HEADER.name} but not in licensing._native.PROTOTYPES: {missing}; "
        "bind them (and expose them) or the Python binding lags the C API"
    )


def test_every_function_the_binding_binds_is_declared():
    extra = sorted(set(PROTOTYPES) - set(FUNCTIONS))
    assert not extra, f"bound but not declared in {HEADER.name}: {extra}"


@pytest.mark.parametrize("name", sorted(PROTOTYPES))
def test_parameter_counts_match_the_header(name):
    argtypes, _ = PROTOTYPES[name]
    expected = parameter_count(FUNCTIONS[name])
    assert len(argtypes) == expected, (
        f"{name}: the header declares {expected} parameters ({FUNCTIONS[name].strip()}), "
        f"the prototype has {len(argtypes)}"
    )


def test_the_library_exports_every_bound_function():
    lib = licensing._native.library()
    missing = [name for name in PROTOTYPES if not hasattr(lib, name)]
    assert not missing, f"{licensing.find_library()} lacks {missing}: rebuild it (cargo build)"


def test_result_code_covers_every_code_in_the_header():
    codes = header_enum("lic_result")
    assert len(codes) >= 20 and codes["LIC_OK"] == 0
    mine = {f"LIC_{r.name}": r.value for r in ResultCode}
    missing = {k: v for k, v in codes.items() if mine.get(k) != v}
    extra = {k: v for k, v in mine.items() if k not in codes}
    assert not missing, f"ResultCode lacks (or mis-numbers) header codes: {missing}"
    assert not extra, f"ResultCode has codes the header does not: {extra}"


@pytest.mark.parametrize(
    "cname,prefix,enum_",
    [
        ("lic_state", "LIC_STATE_", State),
        ("lic_enforcement", "LIC_ENFORCEMENT_", Enforcement),
        ("lic_usage", "LIC_USAGE_", Usage),
        ("lic_type", "LIC_TYPE_", LicenseType),
        ("lic_purpose", "LIC_PURPOSE_", Purpose),
        ("lic_standing", "LIC_STANDING_", Standing),
    ],
)
def test_enums_match_the_header(cname, prefix, enum_):
    values = header_enum(cname)
    assert values
    assert {k[len(prefix):]: v for k, v in values.items()} == {e.name: e.value for e in enum_}


def test_version_matches_the_header():
    m = re.search(r'#define LICENSING_VERSION "([^"]+)"', TEXT)
    assert m and licensing.version() == m.group(1)


def test_lic_now_matches_the_header():
    assert re.search(r"#define LIC_NOW INT64_MIN\b", TEXT)
    assert licensing.NOW == -(2**63)


def test_usage_entry_matches_the_header():
    m = re.search(r"typedef struct lic_usage_entry \{(.*?)\} lic_usage_entry;", CODE, re.S)
    assert m
    fields = re.findall(r"([\w ]+?\**)\s*(\w+);", m.group(1))
    assert [(t.strip(), n) for t, n in fields] == [("const char *", "limit"), ("uint64_t", "usage")]
    assert [(n, t) for n, t in UsageEntry._fields_] == [
        ("limit", ctypes.c_char_p), ("usage", ctypes.c_uint64)
    ]
