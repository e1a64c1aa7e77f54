"""The binding against include/licensing.h, the contract: every function of
the header is bound with its number of parameters, every code and enum value
is mirrored, and the library exports what the binding calls."""

from __future__ import annotations

import ctypes
import re

import pytest

import licensing
from licensing import Enforcement, LicenseType, Purpose, ResultCode, Standing, State, Usage
from licensing import _native
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
                 "lic_store_create", "lic_store_preview_status",
                 "lic_store_activation_request", "lic_store_usage_report",
                 "lic_store_install_usage_summary"):
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


def test_clock_reset_used_code_matches_the_header():
    assert header_enum("lic_result")["LIC_CLOCK_RESET_USED"] == ResultCode.CLOCK_RESET_USED == 505
    code = ResultCode.CLOCK_RESET_USED
    assert not (code.is_misuse or code.is_environment or code.is_license_invalid)


def test_platform_version_codes_match_the_header():
    codes = header_enum("lic_result")
    assert codes["LIC_INVALID_PLATFORM_VERSION"] == ResultCode.INVALID_PLATFORM_VERSION == 7
    assert codes["LIC_UNKNOWN_CRITICAL_EXTENSION"] == ResultCode.UNKNOWN_CRITICAL_EXTENSION == 208
    assert (
        codes["LIC_PLATFORM_VERSION_NOT_COVERED"] == ResultCode.PLATFORM_VERSION_NOT_COVERED == 209
    )


def test_exchange_codes_match_the_header():
    codes = header_enum("lic_result")
    assert codes["LIC_INVALID_ENVIRONMENT_NAME"] == ResultCode.INVALID_ENVIRONMENT_NAME == 8
    assert codes["LIC_INVALID_PURPOSE"] == ResultCode.INVALID_PURPOSE == 9
    assert codes["LIC_BAD_USAGE_SUMMARY"] == ResultCode.BAD_USAGE_SUMMARY == 506
    assert ResultCode.INVALID_ENVIRONMENT_NAME.is_misuse and ResultCode.INVALID_PURPOSE.is_misuse
    assert ResultCode.BAD_USAGE_SUMMARY.is_environment


def test_exchange_functions_are_bound():
    # The request and the report are string getters after their arguments;
    # the purpose is an int32_t (a lic_purpose value), the summary a buffer.
    string_getter = [ctypes.POINTER(ctypes.c_char), ctypes.c_size_t,
                     ctypes.POINTER(ctypes.c_size_t)]
    request, restype = PROTOTYPES["lic_store_activation_request"]
    assert "int32_t purpose" in FUNCTIONS["lic_store_activation_request"]
    assert request[3] is ctypes.c_int32 and request[5] is ctypes.c_int64
    assert request[1] is request[2] is request[4] is ctypes.c_char_p
    assert request[6:] == string_getter and restype is ctypes.c_uint32
    report, _ = PROTOTYPES["lic_store_usage_report"]
    assert report[:4] == PROTOTYPES["lic_store_restore"][0][:4]
    assert report[4:] == string_getter
    summary, _ = PROTOTYPES["lic_store_install_usage_summary"]
    assert summary == PROTOTYPES["lic_store_install"][0][:6]
    assert parameter_count(FUNCTIONS["lic_store_install_usage_summary"]) == 6


def test_validator_new_for_platform_is_bound():
    # lic_validator_new's arguments with the platform version (a C string)
    # before the out-parameter.
    assert parameter_count(FUNCTIONS["lic_validator_new_for_platform"]) == 4
    assert "const char *platform_version" in FUNCTIONS["lic_validator_new_for_platform"]
    argtypes, restype = PROTOTYPES["lic_validator_new_for_platform"]
    new_argtypes, _ = PROTOTYPES["lic_validator_new"]
    assert argtypes == [*new_argtypes[:2], ctypes.c_char_p, new_argtypes[2]]
    assert restype is ctypes.c_uint32


def test_lookup_exports_are_bound():
    # What a License reads once per verification: each limit's bounds by
    # index (value, near_from, enforcement as a C int), and the number of
    # the verification that keys them.
    params = FUNCTIONS["lic_license_limit_bounds_at"]
    assert parameter_count(params) == 5
    for name in ("size_t index", "uint64_t *value", "uint64_t *near_from",
                 "enum lic_enforcement *enforcement_out"):
        assert name in params, (name, params)
    argtypes, restype = PROTOTYPES["lic_license_limit_bounds_at"]
    u64 = ctypes.POINTER(ctypes.c_uint64)
    assert argtypes == [ctypes.c_void_p, ctypes.c_size_t, u64, u64, ctypes.POINTER(ctypes.c_int)]
    assert restype is ctypes.c_uint32
    params = FUNCTIONS["lic_license_verification_id"]
    assert parameter_count(params) == 2 and "uint64_t *out" in params, params
    assert PROTOTYPES["lic_license_verification_id"] == ([ctypes.c_void_p, u64], ctypes.c_uint32)


def test_grant_functions_are_bound():
    # Both take the arguments of lic_store_install up to the time, then an
    # int64_t out-parameter.
    for name in ("lic_store_install_trial_extension", "lic_store_reset_clock"):
        assert parameter_count(FUNCTIONS[name]) == 7, name
        argtypes, restype = PROTOTYPES[name]
        assert argtypes[:6] == PROTOTYPES["lic_store_install"][0][:6], name
        assert argtypes[6] == ctypes.POINTER(ctypes.c_int64) and restype is ctypes.c_uint32
        assert re.search(r"int64_t \*out_\w+$", FUNCTIONS[name].strip()), FUNCTIONS[name]


def test_anchor_constants_match_the_header():
    defines = {k: int(v) for k, v in re.findall(r"#define (LIC_ANCHOR_\w+) (\d+)", TEXT)}
    assert defines == {
        "LIC_ANCHOR_FOUND": _native.ANCHOR_FOUND,
        "LIC_ANCHOR_NOT_FOUND": _native.ANCHOR_NOT_FOUND,
        "LIC_ANCHOR_FAILED": _native.ANCHOR_FAILED,
        "LIC_ANCHOR_MAX_LEN": _native.ANCHOR_MAX_LEN,
    }


def header_callback(name: str) -> list:
    """The parameter types of a function pointer typedef of the header."""
    m = re.search(r"typedef int32_t \(\*" + name + r"\)\(([^)]*)\);", CODE)
    assert m, f"typedef {name} not found in {HEADER}"
    return [re.sub(r"\s*\b\w+$", "", p.strip()) for p in m.group(1).split(",")]


C_TYPES = {
    "void *": ctypes.c_void_p,
    "const char *": ctypes.c_char_p,
    "uint8_t *": ctypes.POINTER(ctypes.c_uint8),
    "const uint8_t *": ctypes.POINTER(ctypes.c_uint8),
    "size_t": ctypes.c_size_t,
    "size_t *": ctypes.POINTER(ctypes.c_size_t),
}


@pytest.mark.parametrize(
    "name,fn", [("lic_anchor_load_fn", _native.AnchorLoadFn), ("lic_anchor_save_fn", _native.AnchorSaveFn)],
    ids=["load", "save"],
)
def test_anchor_callbacks_match_the_header(name, fn):
    assert [C_TYPES[t] for t in header_callback(name)] == list(fn._argtypes_)
    assert fn._restype_ is ctypes.c_int32
    argtypes, _ = PROTOTYPES["lic_store_with_anchor"]
    assert fn in argtypes


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
