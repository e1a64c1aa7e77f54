"""Tests of the Python binding against the fixtures in tests/vectors/."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import licensing  # noqa: E402
from licensing import (  # noqa: E402
    Enforcement,
    License,
    LicenseType,
    LicensingError,
    Purpose,
    Result,
    Standing,
    State,
    Usage,
    Validator,
)

REPO = HERE.parents[2]
VECTORS = REPO / "tests" / "vectors"
HEADER = REPO / "include" / "licensing.h"
SPEC = json.loads((VECTORS / "vectors.json").read_text())
KEY_FILES = {name: VECTORS / k["public"] for name, k in SPEC["keys"].items()}

PROD_SERIAL = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T"
DEV_SERIAL = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6"
PROD_CODE = "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ"
OTHER_CODE = "9B5.EG7.HQ2.VY0.CK3.MS8.RZ1.D0V"
PROD_NOW = 1780315200

# The verdict names of vectors.json and the codes they must map to.
ERROR_CODES = {
    "Malformed": Result.MALFORMED,
    "UnsupportedVersion": Result.UNSUPPORTED_VERSION,
    "UnknownKey": Result.UNKNOWN_KEY,
    "BadSignature": Result.BAD_SIGNATURE,
    "WrongActivationCode": Result.WRONG_ACTIVATION_CODE,
    "WrongSerial": Result.WRONG_SERIAL,
    "NotYetValid": Result.NOT_YET_VALID,
    "Expired": Result.EXPIRED,
}

STATES = {"active": State.ACTIVE, "expiring-soon": State.EXPIRING_SOON, "in-grace": State.IN_GRACE}


def pem_of(trusted) -> bytes:
    return b"".join(KEY_FILES[name].read_bytes() for name in trusted)


def read(name: str) -> bytes:
    return (VECTORS / name).read_bytes()


CHECKS = [
    pytest.param(f, c, id=f"{f['name']}#{i}-{c['now_text']}-{'+'.join(c['trusted'])}")
    for f in SPEC["files"]
    for i, c in enumerate(f["checks"])
]


def test_the_vectors_have_checks():
    # The parametrized test below must not silently run on nothing.
    assert len(CHECKS) >= 30
    verdicts = {next(iter(p.values[1]["verdict"])) for p in CHECKS}
    assert verdicts == {"ok", "error"}
    errors = {p.values[1]["verdict"].get("error") for p in CHECKS} - {None}
    assert errors == set(ERROR_CODES), "every error kind is covered by a vector"


@pytest.fixture(scope="module")
def validators():
    """One validator per set of trusted keys, shared by every check (so the
    validator's cache of verified files is exercised across checks)."""
    made = {}

    def get(trusted):
        key = tuple(trusted)
        if key not in made:
            made[key] = Validator(pem_of(trusted))
        return made[key]

    yield get
    for v in made.values():
        v.close()


def check_license_fields(lic: License, expected: dict):
    assert lic.serial_number == expected["serial_number"]
    assert lic.activation_code == expected["activation_code"]
    assert lic.organization == expected["organization"]
    assert lic.edition == expected["edition"]
    assert lic.support == expected["support"]
    assert lic.environment_name == expected["environment_name"]
    assert lic.license_id == expected["license_id"]
    assert lic.issued_at == expected["issued_at"]
    assert lic.expires_at == expected["expires_at"]
    assert lic.revision == expected["revision"]
    assert lic.license_type == LicenseType[expected["license_type"].upper().replace("-", "_")]
    assert lic.purpose == Purpose[expected["purpose"].upper().replace("-", "_")]
    assert lic.features == expected["features"]
    assert lic.limits == {l["name"]: l["value"] for l in expected["limits"]}
    for l in expected["limits"]:
        assert lic.limit(l["name"]) == l["value"]
        assert lic.limit_enforcement(l["name"]) == Enforcement[l["enforcement"].upper()]
    for name in expected["features"]:
        assert lic.has_feature(name)


def run_check(validator: Validator, f: dict, check: dict):
    data = read(f["name"])
    verdict = check["verdict"]
    if "ok" in verdict:
        lic = validator.validate(data, check["serial"], check["activation_code"], check["now"])
        with lic:
            want = verdict["ok"]
            assert lic.state == STATES[want["state"]]
            assert lic.days_left == want.get("days_left", 0)
            assert lic.state_and_days_left() == (STATES[want["state"]], want.get("days_left", 0))
            assert f["license"] is not None
            check_license_fields(lic, f["license"])
    else:
        expected = verdict["error"]
        with pytest.raises(LicensingError) as info:
            validator.validate(data, check["serial"], check["activation_code"], check["now"])
        err = info.value
        assert err.code == ERROR_CODES[expected], err
        assert isinstance(err.code, Result)
        assert type(err).__name__ == expected
        assert isinstance(err, licensing.LicenseInvalid)
        assert err.message
        assert str(err).endswith(f"[LIC_{err.code.name}]")


@pytest.mark.parametrize("f,check", CHECKS)
def test_vector_verdict(validators, f, check):
    run_check(validators(check["trusted"]), f, check)


def test_vector_verdicts_in_reverse_order_with_fresh_validators():
    # The cache must never change a verdict: replay every check backwards on
    # new validators (a file now first seen at a time where it is invalid).
    made = {}
    try:
        for p in reversed(CHECKS):
            f, check = p.values
            key = tuple(check["trusted"])
            if key not in made:
                made[key] = Validator(pem_of(check["trusted"]))
            run_check(made[key], f, check)
    finally:
        for v in made.values():
            v.close()


# ---------------------------------------------------------------------------
# prod.lic through the getters
# ---------------------------------------------------------------------------


@pytest.fixture
def test_validator():
    with Validator(KEY_FILES["test"].read_bytes()) as v:
        yield v


@pytest.fixture
def prod(test_validator):
    with test_validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW) as lic:
        yield lic


def test_prod_fields(prod):
    assert prod.state is State.ACTIVE and prod.days_left == 0
    assert prod.serial_number == PROD_SERIAL
    assert prod.activation_code == PROD_CODE
    assert prod.organization == "Acme Corp"
    assert prod.edition == "Enterprise"
    assert prod.support == "premium"
    assert prod.environment_name == "Production"
    assert prod.license_id == "766563746f722d70726f642d30303031"
    assert prod.issued_at == 1736933400
    assert prod.expires_at == 1830297600
    assert prod.revision == 7
    assert prod.license_type is LicenseType.PRODUCTION
    assert prod.purpose is Purpose.PRODUCTION
    assert prod.features == [
        "api-gateway", "audit-log", "data-export", "ha-cluster", "multi-tenancy",
        "reporting", "sap-connector", "sso-oidc", "sso-saml", "workflow",
    ]
    assert prod.limits == {
        "api-calls-per-day": 1000000,
        "application-objects": 450,
        "external-users": 10000,
        "internal-users": 100,
        "storage-gb": 500,
        "tenants": 25,
    }
    enforcement = {name: prod.limit_enforcement(name) for name in prod.limits}
    assert enforcement == {
        "api-calls-per-day": Enforcement.SOFT,
        "application-objects": Enforcement.HARD,
        "external-users": Enforcement.SOFT,
        "internal-users": Enforcement.SOFT,
        "storage-gb": Enforcement.HARD,
        "tenants": Enforcement.HARD,
    }
    assert "Acme Corp" in repr(prod)


def test_prod_unknown_names(prod):
    assert not prod.has_feature("teleportation")
    assert not prod.has_feature("")
    assert not prod.has_feature("API-GATEWAY")
    assert prod.limit("no-such-limit") is None
    assert prod.limit_enforcement("no-such-limit") is None


# ---------------------------------------------------------------------------
# Names as pointer + length: has_feature and check_usage call the _n variants
# ---------------------------------------------------------------------------


class _CallLog:
    """Stands in for a license's library: forwards every call, noting names."""

    def __init__(self, lib):
        self._lib = lib
        self.called = []

    def __getattr__(self, name):
        fn = getattr(self._lib, name)

        def call(*args):
            self.called.append(name)
            return fn(*args)

        return call


@pytest.fixture
def call_log(prod):
    log = _CallLog(prod._lib)
    prod._lib = log
    yield log
    prod._lib = log._lib


PROD_FEATURES = [
    "api-gateway", "audit-log", "data-export", "ha-cluster", "multi-tenancy",
    "reporting", "sap-connector", "sso-oidc", "sso-saml", "workflow",
]
ABSENT_NAMES = ["teleportation", "API-GATEWAY", "sso", "sso-saml ", "ünïcödé-名前", "tenants"]


def test_has_feature_calls_the_n_variant(prod, call_log):
    assert prod.has_feature("sso-saml")
    assert not prod.has_feature("teleportation")
    assert call_log.called == ["lic_license_has_feature_n"] * 2


def test_check_usage_calls_the_n_variant(prod, call_log):
    assert prod.check_usage("tenants", 26) is Usage.OVER_HARD_LIMIT
    assert prod.check_usage("no-such-limit", 26) is Usage.UNLIMITED
    assert call_log.called == ["lic_license_check_usage_n"] * 2


def test_has_feature_answers_like_the_nul_terminated_call(prod):
    lib = licensing._library()
    with licensing._Use(prod) as p:
        for name in PROD_FEATURES + ABSENT_NAMES + [""]:
            expected = bool(lib.lic_license_has_feature(p, name.encode("utf-8")))
            assert prod.has_feature(name) is expected, name
            assert expected is (name in PROD_FEATURES), name


def test_check_usage_answers_like_the_nul_terminated_call(prod):
    lib = licensing._library()
    names = list(prod.limits) + ["no-such-limit", "Tenants", "", "ünïcödé-名前"]
    usages = [0, 1, 22, 23, 25, 26, 89, 90, 100, 101, 450, 451, 999999, 1000001, 2**64 - 1]
    seen = set()
    with licensing._Use(prod) as p:
        for name in names:
            for usage in usages:
                out = licensing.c_int()
                rc = lib.lic_license_check_usage(p, name.encode("utf-8"), usage, licensing.byref(out))
                assert rc == Result.OK
                level = prod.check_usage(name, usage)
                assert level is Usage(out.value), (name, usage)
                seen.add(level)
    assert seen == set(Usage), "every level is compared"


@pytest.mark.parametrize("name", ["sso-saml\0x", "sso-saml\0", "\0sso-saml", "\0", "workflow\0workflow"])
def test_a_name_with_a_nul_is_not_a_feature(prod, name):
    # Not cut short at the NUL (sso-saml and workflow are features), not refused.
    assert prod.has_feature(name) is False
    assert prod.has_feature(name.encode("utf-8")) is False


@pytest.mark.parametrize("name", ["tenants\0x", "tenants\0", "\0tenants", "\0"])
def test_a_name_with_a_nul_is_not_a_limit(prod, name):
    # tenants is a hard limit of 25: 26 would be over it.
    assert prod.check_usage(name, 26) is Usage.UNLIMITED
    assert prod.check_usage(name.encode("utf-8"), 2**64 - 1) is Usage.UNLIMITED
    # The lookups without a length agree: no such limit.
    assert prod.limit(name) is None
    assert prod.limit_enforcement(name) is None
    assert name not in prod.limits


def test_the_empty_name_is_absent(prod):
    assert prod.has_feature("") is False
    assert prod.has_feature(b"") is False
    assert prod.check_usage("", 0) is Usage.UNLIMITED
    assert prod.check_usage(b"", 2**64 - 1) is Usage.UNLIMITED
    assert prod.limit("") is None
    assert prod.limit_enforcement("") is None


def test_the_n_calls_take_null_with_length_0_as_the_empty_name(prod):
    lib = licensing._library()
    out = licensing.c_int(-1)
    with licensing._Use(prod) as p:
        assert lib.lic_license_has_feature_n(p, None, 0) is False
        assert lib.lic_license_check_usage_n(p, None, 0, 26, licensing.byref(out)) == Result.OK
        assert out.value == Usage.UNLIMITED
        # NULL with a length is not a name.
        assert lib.lic_license_has_feature_n(p, None, 3) is False
        assert lib.lic_license_check_usage_n(p, None, 3, 26, licensing.byref(out)) == Result.NULL_ARGUMENT
        # The length counts, not a NUL: "sso-saml" out of "sso-saml-extra".
        assert lib.lic_license_has_feature_n(p, b"sso-saml-extra", 8) is True
        assert lib.lic_license_has_feature_n(p, b"sso-saml-extra", 7) is False
        assert lib.lic_license_check_usage_n(p, b"tenants!", 7, 26, licensing.byref(out)) == Result.OK
        assert out.value == Usage.OVER_HARD_LIMIT


def test_a_str_that_is_not_utf8_cannot_be_passed(prod, call_log):
    # A Python str becomes UTF-8, except one with a lone surrogate: refused
    # before any call, as before.
    for name in ("\ud800", "sso-saml\udcff"):
        with pytest.raises(UnicodeEncodeError):
            prod.has_feature(name)
        with pytest.raises(ValueError):
            prod.check_usage(name, 1)
    assert call_log.called == []


def test_bytes_names_that_are_not_utf8(prod):
    # Bytes are passed as they are: valid UTF-8 reads like the str...
    assert prod.has_feature(b"sso-saml") is True
    assert prod.check_usage(b"tenants", 26) is Usage.OVER_HARD_LIMIT
    # ...and bytes that are not UTF-8 name no feature, and are refused as a
    # limit's name (LIC_INVALID_UTF8), as with the NUL-terminated calls.
    for raw in (b"\xff", b"sso-saml\xff", b"tenants\xc3"):
        assert prod.has_feature(raw) is False
        with pytest.raises(licensing.InvalidArgumentError) as info:
            prod.check_usage(raw, 1)
        assert info.value.code is Result.INVALID_UTF8
        assert "utf-8" in info.value.message.lower()


def test_text_forms_read_like_the_binary_form(test_validator, prod):
    for name in ("prod.pem", "prod-mail.txt"):
        for data in (read(name), read(name).decode("utf-8")):
            with test_validator.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW) as lic:
                assert lic.license_id == prod.license_id
                assert lic.features == prod.features
                assert lic.limits == prod.limits


def test_dev_license_never_expires(test_validator):
    lic = test_validator.validate(read("dev-never-expires.lic"), DEV_SERIAL, None, 4102444799)
    assert lic.expires_at is None
    assert lic.state is State.ACTIVE
    assert lic.license_type is LicenseType.DEVELOPMENT
    assert lic.purpose is Purpose.DEVELOPMENT
    assert lic.organization == "Acme" and lic.edition == "Team"


def test_string_getters_retry_with_the_length_needed(prod, monkeypatch):
    expected = {
        "organization": prod.organization,
        "environment_name": prod.environment_name,
        "license_id": prod.license_id,
        "features": prod.features,
        "limits": prod.limits,
    }
    assert len(expected["license_id"]) == 32
    for size in (1, 2, 9, 31, 32, 33):
        monkeypatch.setattr(licensing, "_STRING_BUFFER_SIZE", size)
        got = {k: getattr(prod, k) for k in expected}
        assert got == expected, size
        assert prod.serial_number == PROD_SERIAL


# ---------------------------------------------------------------------------
# Usage levels
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,usage,level",
    [
        # tenants: 25, hard. Near from 90% (22.5) up to 25.
        ("tenants", 0, Usage.WITHIN),
        ("tenants", 22, Usage.WITHIN),
        ("tenants", 23, Usage.NEAR),
        ("tenants", 25, Usage.NEAR),
        ("tenants", 26, Usage.OVER_HARD_LIMIT),
        # internal-users: 100, soft.
        ("internal-users", 89, Usage.WITHIN),
        ("internal-users", 90, Usage.NEAR),
        ("internal-users", 100, Usage.NEAR),
        ("internal-users", 101, Usage.OVER_SOFT_LIMIT),
        ("application-objects", 451, Usage.OVER_HARD_LIMIT),
        ("api-calls-per-day", 2**64 - 1, Usage.OVER_SOFT_LIMIT),
        ("no-such-limit", 0, Usage.UNLIMITED),
        ("no-such-limit", 2**64 - 1, Usage.UNLIMITED),
    ],
)
def test_usage_levels(prod, name, usage, level):
    assert prod.check_usage(name, usage) is level


def test_usage_out_of_range(prod):
    with pytest.raises(ValueError):
        prod.check_usage("tenants", -1)
    with pytest.raises(ValueError):
        prod.check_usage("tenants", 2**64)


# ---------------------------------------------------------------------------
# Argument errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "serial,where",
    [
        # The last character of a valid serial mistyped: the message says where.
        (PROD_SERIAL[:-1] + "X", re.compile(r"group 8|character", re.I)),
        ("1HA-009", re.compile(r"\S")),
        ("not a serial number at all!!!!!", re.compile(r"\S")),
        ("", re.compile(r"\S")),
    ],
)
def test_invalid_serial_text(test_validator, serial, where):
    with pytest.raises(licensing.InvalidSerialNumber) as info:
        test_validator.validate(read("prod.lic"), serial, PROD_CODE, PROD_NOW)
    err = info.value
    assert err.code is Result.INVALID_SERIAL_NUMBER
    assert isinstance(err, ValueError)
    assert where.search(err.message), err.message
    assert "serial" in err.message.lower()


def test_invalid_serial_message_says_where(test_validator):
    bad = PROD_SERIAL[:4] + ("1" if PROD_SERIAL[4] != "1" else "2") + PROD_SERIAL[5:]
    with pytest.raises(licensing.InvalidSerialNumber) as info:
        test_validator.validate(read("prod.lic"), bad, PROD_CODE, PROD_NOW)
    # Where: a group and a character position.
    assert re.search(r"group \d", info.value.message), info.value.message
    assert re.search(r"character \d", info.value.message), info.value.message


def test_invalid_activation_code_text(test_validator):
    with pytest.raises(licensing.InvalidActivationCode) as info:
        test_validator.validate(read("prod.lic"), PROD_SERIAL, "4QZ.8K1", PROD_NOW)
    assert info.value.code is Result.INVALID_ACTIVATION_CODE
    assert info.value.message


def test_nul_in_text_arguments(test_validator):
    with pytest.raises(ValueError):
        test_validator.validate(read("prod.lic"), PROD_SERIAL + "\0", PROD_CODE, PROD_NOW)
    with pytest.raises(TypeError):
        test_validator.validate(read("prod.lic"), 12345, PROD_CODE, PROD_NOW)


@pytest.mark.parametrize(
    "pem,code",
    [
        (b"", Result.BAD_TRUSTED_KEYS),
        (b"not a key", Result.BAD_TRUSTED_KEYS),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", Result.BAD_TRUSTED_KEYS),
        (b"\xff\xfe\x00garbage", Result.INVALID_UTF8),
    ],
)
def test_bad_trusted_keys(pem, code):
    with pytest.raises(licensing.BadTrustedKeys) as info:
        Validator(pem)
    assert info.value.code is code
    assert info.value.message


def test_private_key_is_not_a_trusted_key():
    with pytest.raises(licensing.BadTrustedKeys) as info:
        Validator(read("test-signing-key.pem"))
    assert info.value.code is Result.BAD_TRUSTED_KEYS


def test_trusted_keys_as_str():
    with Validator(KEY_FILES["test"].read_text()) as v:
        assert v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW).revision == 7


def test_error_message_is_this_calls(test_validator):
    with pytest.raises(licensing.Expired) as expired:
        test_validator.validate(read("expired.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW)
    with pytest.raises(licensing.BadSignature) as bad:
        test_validator.validate(read("bad-signature.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW)
    assert expired.value.message != bad.value.message
    assert "expire" in expired.value.message.lower()


def test_result_messages():
    messages = {code: licensing.result_message(code) for code in Result}
    assert messages[Result.OK] == "success"
    assert len(set(messages.values())) == len(Result), "each code has its own message"
    assert "unknown result code" not in messages.values()
    assert licensing.result_message(12345) == "unknown result code"
    e = LicensingError(12345, "x")
    assert e.code == 12345 and not isinstance(e.code, Result)


# ---------------------------------------------------------------------------
# Lifetime
# ---------------------------------------------------------------------------


def test_close_twice_is_safe():
    v = Validator(KEY_FILES["test"].read_bytes())
    assert not v.closed
    v.close()
    v.close()
    assert v.closed


def test_use_after_close_raises():
    v = Validator(KEY_FILES["test"].read_bytes())
    lic = v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW)
    v.close()
    with pytest.raises(licensing.ClosedError) as info:
        v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW)
    assert isinstance(info.value, LicensingError)
    assert "closed" in info.value.message
    with pytest.raises(licensing.ClosedError):
        with v:
            pass
    # A license outlives its validator.
    assert lic.organization == "Acme Corp"
    lic.close()
    lic.close()
    for getter in (lambda: lic.organization, lambda: lic.state, lambda: lic.features,
                   lambda: lic.has_feature("workflow"), lambda: lic.limit("tenants")):
        with pytest.raises(licensing.ClosedError):
            getter()
    assert "closed" in repr(lic)


def test_context_manager_closes():
    with Validator(KEY_FILES["test"].read_bytes()) as v:
        with v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW) as lic:
            assert lic.revision == 7
        assert lic.closed
    assert v.closed


def test_garbage_collection_frees_handles():
    v = Validator(KEY_FILES["test"].read_bytes())
    lic = v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW)
    finalizers = [v._finalizer, lic._finalizer]
    assert all(f.alive for f in finalizers)
    del v, lic
    gc.collect()
    assert not any(f.alive for f in finalizers)


def test_close_frees_exactly_once():
    v = Validator(KEY_FILES["test"].read_bytes())
    f = v._finalizer
    v.close()
    assert not f.alive
    del v
    gc.collect()  # the finalizer must not run a second time (it is dead)


# ---------------------------------------------------------------------------
# Threads
# ---------------------------------------------------------------------------


def test_threads_share_a_validator():
    v = Validator(pem_of(["test", "untrusted"]))
    jobs = [
        ("prod.lic", PROD_SERIAL, PROD_CODE, PROD_NOW, None),
        ("untrusted-key.lic", PROD_SERIAL, PROD_CODE, PROD_NOW, None),
        ("expired.lic", PROD_SERIAL, PROD_CODE, PROD_NOW, Result.EXPIRED),
        ("bad-signature.lic", PROD_SERIAL, PROD_CODE, PROD_NOW, Result.BAD_SIGNATURE),
        ("prod.lic", DEV_SERIAL, PROD_CODE, PROD_NOW, Result.WRONG_SERIAL),
        ("prod.lic", PROD_SERIAL, OTHER_CODE, PROD_NOW, Result.WRONG_ACTIVATION_CODE),
        ("truncated.lic", PROD_SERIAL, PROD_CODE, PROD_NOW, Result.MALFORMED),
        ("prod.lic", PROD_SERIAL[:-1] + "X", PROD_CODE, PROD_NOW, Result.INVALID_SERIAL_NUMBER),
    ]
    data = {name: read(name) for name, *_ in jobs}
    # Each code's message, as seen single-threaded, to compare per-thread messages with.
    messages = {}
    for name, serial, code, now, want in jobs:
        if want is not None:
            try:
                v.validate(data[name], serial, code, now)
            except LicensingError as e:
                messages[(name, serial, code)] = e.message

    def work(i):
        name, serial, code, now, want = jobs[i % len(jobs)]
        try:
            lic = v.validate(data[name], serial, code, now)
        except LicensingError as e:
            assert e.code == want, (i, e)
            assert e.message == messages[(name, serial, code)], (i, e.message)
            return e.code
        assert want is None, (i, name)
        assert lic.organization == "Acme Corp"
        assert lic.state is State.ACTIVE
        assert lic.limits["tenants"] == 25
        lic.close()
        return Result.OK

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(800)))
    assert results.count(Result.OK) == 200
    assert results.count(Result.EXPIRED) == 100
    v.close()


def test_close_while_other_threads_validate():
    # close() waits for calls in flight; afterwards calls raise ClosedError.
    v = Validator(KEY_FILES["test"].read_bytes())
    data = read("prod.lic")
    started = threading.Barrier(5)
    outcomes = []

    def work():
        started.wait()
        n_ok = 0
        while True:
            try:
                v.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW).close()
                n_ok += 1
            except licensing.ClosedError:
                outcomes.append(n_ok)
                return

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    v.close()
    for t in threads:
        t.join(timeout=30)
    assert len(outcomes) == 4


# ---------------------------------------------------------------------------
# The header: every code and enum value is mirrored
# ---------------------------------------------------------------------------


def header_enum(name: str) -> dict:
    text = HEADER.read_text()
    m = re.search(r"enum\s+" + name + r"\b[^{]*\{(.*?)\}", text, re.S)
    assert m, f"enum {name} not found in {HEADER}"
    body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
    return {k: int(v) for k, v in re.findall(r"\b(LIC_\w+)\s*=\s*(-?\d+)", body)}


def test_result_covers_every_code_in_the_header():
    codes = header_enum("lic_result")
    assert len(codes) >= 20 and codes["LIC_OK"] == 0
    mine = {f"LIC_{r.name}": r.value for r in Result}
    missing = {k: v for k, v in codes.items() if mine.get(k) != v}
    extra = {k: v for k, v in mine.items() if k not in codes}
    assert not missing, f"Result lacks (or mis-numbers) header codes: {missing}"
    assert not extra, f"Result has codes the header does not: {extra}"


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
    m = re.search(r'#define LICENSING_VERSION "([^"]+)"', HEADER.read_text())
    assert m and licensing.version() == m.group(1)


def test_every_function_the_binding_calls_is_exported():
    lib = licensing._library()
    for name in licensing._PROTOTYPES:
        assert hasattr(lib, name), name


def test_header_declares_every_function_the_binding_calls():
    text = HEADER.read_text()
    declared = set(re.findall(r"\b(lic_\w+)\s*\(", text))
    missing = sorted(set(licensing._PROTOTYPES) - declared)
    assert not missing, f"not declared in {HEADER.name}: {missing}"


# ---------------------------------------------------------------------------
# This machine's serial number
# ---------------------------------------------------------------------------

SERIAL_RE = re.compile(r"^[0-9A-Z]{3}(-[0-9A-Z]{3}){7}$")


def test_serial_number_pinned(monkeypatch, test_validator):
    monkeypatch.delenv("LICENSING_IDENTITY_FILE", raising=False)
    monkeypatch.setenv("LICENSING_IDENTITY", "python-binding-box-1")
    one = licensing.serial_number_this_machine()
    assert SERIAL_RE.match(one), one
    assert licensing.serial_number_this_machine() == one
    monkeypatch.setenv("LICENSING_IDENTITY", "python-binding-box-2")
    two = licensing.serial_number_this_machine()
    assert SERIAL_RE.match(two) and two != one
    # serial_number=None validates for this environment: not prod.lic's.
    with pytest.raises(licensing.WrongSerial):
        test_validator.validate(read("prod.lic"), None, PROD_CODE, PROD_NOW)


def test_serial_number_pinned_file_missing(monkeypatch, tmp_path):
    monkeypatch.delenv("LICENSING_IDENTITY", raising=False)
    missing = tmp_path / "no-such-identity"
    monkeypatch.setenv("LICENSING_IDENTITY_FILE", str(missing))
    with pytest.raises(licensing.NoHardwareIdentity) as info:
        licensing.serial_number_this_machine()
    assert info.value.code is Result.NO_HARDWARE_IDENTITY
    assert str(missing) in info.value.message


# ---------------------------------------------------------------------------
# Finding the library
# ---------------------------------------------------------------------------


def test_library_env_var_pointing_nowhere(monkeypatch, tmp_path):
    bogus = tmp_path / "nope" / "liblicensing.so"
    monkeypatch.setenv("LICENSING_LIBRARY", str(bogus))
    with pytest.raises(licensing.LibraryNotFoundError) as info:
        licensing.find_library()
    text = str(info.value)
    assert str(bogus) in text and "LICENSING_LIBRARY" in text and "cargo build" in text


def test_library_not_in_target_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("LICENSING_LIBRARY", raising=False)
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path))
    with pytest.raises(licensing.LibraryNotFoundError) as info:
        licensing.find_library()
    text = str(info.value)
    for profile in ("debug", "release"):
        assert str(tmp_path / profile / licensing._LIB_NAMES[0]) in text
    assert "cargo build" in text and "LICENSING_LIBRARY" in text


def test_library_found_in_cargo_target_dir(monkeypatch, tmp_path):
    real = licensing.find_library()
    (tmp_path / "release").mkdir()
    copy = tmp_path / "release" / licensing._LIB_NAMES[0]
    shutil.copy(real, copy)
    monkeypatch.delenv("LICENSING_LIBRARY", raising=False)
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path))
    assert licensing.find_library() == copy
    monkeypatch.setenv("LICENSING_LIBRARY", str(real))
    assert licensing.find_library() == real


def test_library_that_does_not_load(tmp_path):
    fake = tmp_path / "liblicensing.so"
    fake.write_text("not a shared library")
    with pytest.raises(licensing.LibraryNotFoundError) as info:
        licensing._load(fake)
    assert str(fake) in str(info.value) and "cargo build" in str(info.value)


def test_import_works_without_the_library_and_use_explains(tmp_path):
    env = dict(os.environ, LICENSING_LIBRARY=str(tmp_path / "missing.so"))
    code = (
        "import licensing\n"
        "try:\n"
        "    licensing.Validator(b'x')\n"
        "except licensing.LibraryNotFoundError as e:\n"
        "    print('ERR', e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=str(HERE.parent), env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ERR") and "missing.so" in out.stdout


def test_close_waits_for_a_call_in_flight():
    # Deterministic form of the above: while a call holds the handle, close()
    # must neither free it nor return; it frees it once the call is done.
    v = Validator(KEY_FILES["test"].read_bytes())
    closer = threading.Thread(target=v.close)
    with licensing._Use(v):
        closer.start()
        closer.join(timeout=0.3)
        assert closer.is_alive(), "close() returned while a call was in flight"
        assert v._finalizer.alive, "the handle was freed while in use"
    closer.join(timeout=10)
    assert not closer.is_alive()
    assert not v._finalizer.alive and v.closed
