"""Tests of the Python binding against the fixtures in tests/vectors/."""

from __future__ import annotations

import ctypes
import gc
import math
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

import licensing
from licensing import (
    Enforcement,
    License,
    LicenseType,
    LicensingError,
    Purpose,
    ResultCode,
    State,
    Usage,
    Validator,
)
from licensing._handle import Use
from vectors import (
    DEV,
    DEV_NOW,
    DEV_SERIAL,
    OTHER_CODE,
    PROD,
    PROD_CODE,
    PROD_NOW,
    PROD_IN_GRACE,
    PROD_LIMITS,
    PROD_PAST_GRACE,
    PROD_SERIAL,
    SPEC,
    pem_of,
    read,
    utc,
)

# The verdict names of vectors.json and the codes they must map to.
ERROR_CODES = {
    "Malformed": ResultCode.MALFORMED,
    "UnsupportedVersion": ResultCode.UNSUPPORTED_VERSION,
    "UnknownKey": ResultCode.UNKNOWN_KEY,
    "BadSignature": ResultCode.BAD_SIGNATURE,
    "WrongActivationCode": ResultCode.WRONG_ACTIVATION_CODE,
    "WrongSerial": ResultCode.WRONG_SERIAL,
    "NotYetValid": ResultCode.NOT_YET_VALID,
    "Expired": ResultCode.EXPIRED,
    "UnknownCriticalExtension": ResultCode.UNKNOWN_CRITICAL_EXTENSION,
    "PlatformVersionNotCovered": ResultCode.PLATFORM_VERSION_NOT_COVERED,
}

DAY = 86400

STATES = {"active": State.ACTIVE, "expiring-soon": State.EXPIRING_SOON, "in-grace": State.IN_GRACE}


def check_id(f: dict, i: int, c: dict) -> str:
    platform = f"-platform-{c['platform_version']}" if "platform_version" in c else ""
    return f"{f['name']}#{i}-{c['now_text']}-{'+'.join(c['trusted'])}{platform}"


CHECKS = [
    pytest.param(f, c, id=check_id(f, i, c))
    for f in SPEC["files"]
    for i, c in enumerate(f["checks"])
]


def validator_key(check: dict) -> tuple:
    """What a check's validator is made of: the trusted keys and the
    platform version it is told (None: not told)."""
    return tuple(check["trusted"]), check.get("platform_version")


def make_validator(check: dict) -> Validator:
    return Validator(pem_of(check["trusted"]), platform_version=check.get("platform_version"))


def test_the_vectors_have_checks(spec):
    # The parametrized test below must not silently run on nothing.
    assert len(CHECKS) == sum(len(f["checks"]) for f in spec["files"]) >= 30
    verdicts = {next(iter(p.values[1]["verdict"])) for p in CHECKS}
    assert verdicts == {"ok", "error"}
    errors = {p.values[1]["verdict"].get("error") for p in CHECKS} - {None}
    assert errors == set(ERROR_CODES), "every error kind is covered by a vector"


@pytest.fixture(scope="module")
def validators():
    """One validator per set of trusted keys and platform version, shared by
    every check (so the validator's cache of verified files is exercised
    across checks)."""
    made = {}

    def get(check):
        key = validator_key(check)
        if key not in made:
            made[key] = make_validator(check)
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
    assert lic.issued_at == utc(expected["issued_at"])
    assert lic.expires_at == utc(expected["expires_at"])
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


def expected_days_left(license: dict, check: dict):
    """Days left as every binding gives them: the vector's (expiring soon,
    in grace), else the days until expiry, a started day counting as one;
    None for a license that never expires."""
    if "days_left" in check["verdict"]["ok"]:
        return check["verdict"]["ok"]["days_left"]
    if license["expires_at"] is None:
        return None
    return math.ceil((license["expires_at"] - check["now"]) / DAY)


def run_check(validator: Validator, f: dict, check: dict):
    data = read(f["name"])
    verdict = check["verdict"]
    if "ok" in verdict:
        lic = validator.validate(data, check["serial"], check["activation_code"], check["now"])
        with lic:
            want = verdict["ok"]
            days = expected_days_left(f["license"], check)
            assert lic.state == STATES[want["state"]]
            assert lic.days_left == days
            assert lic.state_and_days_left() == (STATES[want["state"]], days)
            assert f["license"] is not None
            check_license_fields(lic, f["license"])
    else:
        expected = verdict["error"]
        with pytest.raises(LicensingError) as info:
            validator.validate(data, check["serial"], check["activation_code"], check["now"])
        err = info.value
        assert err.code == ERROR_CODES[expected], err
        assert isinstance(err.code, ResultCode)
        assert type(err).__name__ == expected
        assert isinstance(err, licensing.LicenseInvalid)
        assert err.code.is_license_invalid, "the C library says so too"
        assert err.message
        assert str(err).endswith(f"[LIC_{err.code.name}]")


@pytest.mark.parametrize("f,check", CHECKS)
def test_vector_verdict(validators, f, check):
    run_check(validators(check), f, check)


def test_vector_verdicts_in_reverse_order_with_fresh_validators():
    # The cache must never change a verdict: replay every check backwards on
    # new validators (a file now first seen at a time where it is invalid).
    made = {}
    try:
        for p in reversed(CHECKS):
            f, check = p.values
            key = validator_key(check)
            if key not in made:
                made[key] = make_validator(check)
            run_check(made[key], f, check)
    finally:
        for v in made.values():
            v.close()


# ---------------------------------------------------------------------------
# prod.lic through the getters
# ---------------------------------------------------------------------------


@pytest.fixture
def prod(validator):
    with validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
        yield lic


def test_prod_fields(prod):
    check_license_fields(prod, PROD)
    # Active, and the days until it expires (a started day counts).
    assert prod.state is State.ACTIVE
    assert prod.days_left == math.ceil((PROD["expires_at"] - PROD_NOW.now) / DAY)
    assert prod.license_type is LicenseType.PRODUCTION
    assert prod.purpose is Purpose.PRODUCTION
    assert PROD["organization"] in repr(prod) and "ACTIVE" in repr(prod)


# ---------------------------------------------------------------------------
# Values as Python shows them: enums by name, times as aware datetimes
# ---------------------------------------------------------------------------


def test_enum_values_print_as_their_names(prod):
    # As .NET's ToString() and Java's toString(): the name, not the number.
    assert str(prod.state) == "ACTIVE"
    assert f"{prod.license_type} {prod.purpose}" == "PRODUCTION PRODUCTION"
    assert str(prod.check_usage("tenants", PROD_LIMITS["tenants"] + 1)) == "OVER_HARD_LIMIT"
    assert str(ResultCode.WRONG_SERIAL) == "WRONG_SERIAL"
    assert repr(State.IN_GRACE) == "<State.IN_GRACE: 2>"
    # Still the C values: they compare and format as numbers when asked.
    assert State.IN_GRACE == 2 and ResultCode(207) is ResultCode.EXPIRED
    assert f"{ResultCode.EXPIRED:d} {Usage.NEAR:03d}" == "207 002"


def test_times_are_aware_utc_datetimes(prod):
    for when in (prod.issued_at, prod.expires_at):
        assert isinstance(when, datetime) and when.tzinfo is timezone.utc, when
    assert prod.issued_at.timestamp() == PROD["issued_at"]
    assert prod.expires_at.timestamp() == PROD["expires_at"]
    assert prod.issued_at < prod.expires_at


def test_a_datetime_is_a_time_argument(validator):
    # The moment of a vector as an aware datetime, in UTC or another zone,
    # gives the verdict of its unix seconds.
    for when in (utc(PROD_IN_GRACE.now),
                 utc(PROD_IN_GRACE.now).astimezone(timezone(timedelta(hours=-5)))):
        with validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, when) as lic:
            assert lic.state_and_days_left() == (State.IN_GRACE, PROD_IN_GRACE.days_left)
    with pytest.raises(licensing.Expired):
        validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, utc(PROD_PAST_GRACE.now))


def test_a_naive_datetime_is_refused(validator):
    naive = utc(PROD_NOW.now).replace(tzinfo=None)
    with pytest.raises(ValueError, match="naive datetime.*timezone.utc"):
        validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, naive)
    with pytest.raises(TypeError, match="datetime, unix seconds or None"):
        validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, "2026-06-01")


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
    prod.has_feature("sso-saml")  # the first lookup reads the grants (native calls)
    log = _CallLog(prod._lib)
    prod._lib = log
    yield log
    prod._lib = log._lib


PROD_FEATURES = PROD["features"]
ABSENT_NAMES = ["teleportation", "API-GATEWAY", "sso", "sso-saml ", "ünïcödé-名前", "tenants"]


def test_lookups_by_str_make_no_native_call(prod, call_log):
    # Features and limits are read once per verification and answered from
    # Python's collections: no call crosses into the library.
    assert prod.has_feature("sso-saml")
    assert not prod.has_feature("teleportation")
    assert not prod.has_feature("ünïcödé-名前")
    assert prod.check_usage("tenants", 26) is Usage.OVER_HARD_LIMIT
    assert prod.check_usage("tenants", 23) is Usage.NEAR
    assert prod.check_usage("no-such-limit", 26) is Usage.UNLIMITED
    assert prod.limit("tenants") == PROD_LIMITS["tenants"]
    assert prod.limit("no-such-limit") is None
    assert prod.limit_enforcement("tenants") is Enforcement.HARD
    assert prod.limit_enforcement("ünïcödé-名前") is None
    assert prod.features == PROD_FEATURES and prod.limits == PROD_LIMITS
    assert call_log.called == []


def test_bytes_not_found_go_to_the_n_variants(prod, call_log):
    # Bytes found are answered like their str; bytes not found are the
    # library's to answer (it refuses bytes that are not UTF-8 as a limit's
    # name), through the calls that take the name's length.
    assert prod.has_feature(b"sso-saml") and not prod.has_feature(b"teleportation")
    assert prod.check_usage(b"tenants", 26) is Usage.OVER_HARD_LIMIT
    assert prod.limit(b"tenants") == PROD_LIMITS["tenants"]
    assert prod.limit_enforcement(b"tenants") is Enforcement.HARD
    assert call_log.called == []
    assert prod.check_usage(b"no-such-limit", 26) is Usage.UNLIMITED
    assert prod.limit(b"no-such-limit") is None
    assert prod.limit_enforcement(b"no-such-limit") is None
    assert call_log.called == [
        "lic_license_check_usage_n", "lic_license_limit_n", "lic_license_limit_enforcement_n"
    ]


def test_has_feature_answers_like_the_nul_terminated_call(prod):
    lib = licensing._native.library()
    with Use(prod) as p:
        for name in PROD_FEATURES + ABSENT_NAMES + [""]:
            expected = bool(lib.lic_license_has_feature(p, name.encode("utf-8")))
            assert prod.has_feature(name) is expected, name
            assert expected is (name in PROD_FEATURES), name


def test_check_usage_answers_like_the_nul_terminated_call(prod):
    lib = licensing._native.library()
    names = list(prod.limits) + ["no-such-limit", "Tenants", "", "ünïcödé-名前"]
    usages = [0, 1, 22, 23, 25, 26, 89, 90, 100, 101, 450, 451, 999999, 1000001, 2**64 - 1]
    seen = set()
    with Use(prod) as p:
        for name in names:
            for usage in usages:
                out = ctypes.c_int()
                rc = lib.lic_license_check_usage(p, name.encode("utf-8"), usage, ctypes.byref(out))
                assert rc == ResultCode.OK
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
    lib = licensing._native.library()
    out = ctypes.c_int(-1)
    with Use(prod) as p:
        assert lib.lic_license_has_feature_n(p, None, 0) is False
        assert lib.lic_license_check_usage_n(p, None, 0, 26, ctypes.byref(out)) == ResultCode.OK
        assert out.value == Usage.UNLIMITED
        # NULL with a length is not a name.
        assert lib.lic_license_has_feature_n(p, None, 3) is False
        assert lib.lic_license_check_usage_n(p, None, 3, 26, ctypes.byref(out)) == ResultCode.NULL_ARGUMENT
        # The length counts, not a NUL: "sso-saml" out of "sso-saml-extra".
        assert lib.lic_license_has_feature_n(p, b"sso-saml-extra", 8) is True
        assert lib.lic_license_has_feature_n(p, b"sso-saml-extra", 7) is False
        assert lib.lic_license_check_usage_n(p, b"tenants!", 7, 26, ctypes.byref(out)) == ResultCode.OK
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
        assert info.value.code is ResultCode.INVALID_UTF8
        assert "utf-8" in info.value.message.lower()


def test_text_forms_read_like_the_binary_form(validator, prod):
    for name in ("prod.pem", "prod-mail.txt"):
        for data in (read(name), read(name).decode("utf-8")):
            with validator.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
                assert lic.license_id == prod.license_id
                assert lic.features == prod.features
                assert lic.limits == prod.limits


def test_dev_license_never_expires(validator):
    lic = validator.validate(read("dev-never-expires.lic"), DEV_SERIAL, None, DEV_NOW.now)
    assert lic.expires_at is None
    assert lic.state is State.ACTIVE
    assert lic.days_left is None, "no days counted for a license that never expires"
    assert lic.state_and_days_left() == (State.ACTIVE, None)
    assert lic.license_type is LicenseType.DEVELOPMENT
    assert lic.purpose is Purpose.DEVELOPMENT
    assert (lic.organization, lic.edition) == (DEV["organization"], DEV["edition"])


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
        monkeypatch.setattr(licensing._calls, "_STRING_BUFFER_SIZE", size)
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
        # The last character of a valid serial mistyped (R for T, a
        # neighbouring key): the message says where.
        (PROD_SERIAL[:-1] + "R", re.compile(r"group 8|character", re.I)),
        (PROD_SERIAL[:7], re.compile(r"\S")),
        ("not a serial number at all!!!!!", re.compile(r"\S")),
        ("", re.compile(r"\S")),
    ],
)
def test_invalid_serial_text(validator, serial, where):
    with pytest.raises(licensing.InvalidSerialNumber) as info:
        validator.validate(read("prod.lic"), serial, PROD_CODE, PROD_NOW.now)
    err = info.value
    assert err.code is ResultCode.INVALID_SERIAL_NUMBER
    assert isinstance(err, ValueError)
    assert where.search(err.message), err.message
    assert "serial" in err.message.lower()


def test_invalid_serial_message_says_where(validator):
    bad = PROD_SERIAL[:4] + ("1" if PROD_SERIAL[4] != "1" else "2") + PROD_SERIAL[5:]
    with pytest.raises(licensing.InvalidSerialNumber) as info:
        validator.validate(read("prod.lic"), bad, PROD_CODE, PROD_NOW.now)
    # Where: a group and a character position.
    assert re.search(r"group \d", info.value.message), info.value.message
    assert re.search(r"character \d", info.value.message), info.value.message


def test_invalid_activation_code_text(validator):
    with pytest.raises(licensing.InvalidActivationCode) as info:
        validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE[:7], PROD_NOW.now)
    assert info.value.code is ResultCode.INVALID_ACTIVATION_CODE
    assert info.value.message


def test_nul_in_text_arguments(validator):
    with pytest.raises(ValueError):
        validator.validate(read("prod.lic"), PROD_SERIAL + "\0", PROD_CODE, PROD_NOW.now)
    with pytest.raises(TypeError):
        validator.validate(read("prod.lic"), 12345, PROD_CODE, PROD_NOW.now)


@pytest.mark.parametrize(
    "pem,code",
    [
        (b"", ResultCode.BAD_TRUSTED_KEYS),
        (b"not a key", ResultCode.BAD_TRUSTED_KEYS),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", ResultCode.BAD_TRUSTED_KEYS),
        (b"\xff\xfe\x00garbage", ResultCode.INVALID_UTF8),
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
    assert info.value.code is ResultCode.BAD_TRUSTED_KEYS


def test_trusted_keys_as_str(trusted_key):
    with Validator(trusted_key.decode("ascii")) as v:
        assert v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now).revision == PROD["revision"]


def test_error_message_is_this_calls(validator):
    with pytest.raises(licensing.Expired) as expired:
        validator.validate(read("expired.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)
    with pytest.raises(licensing.BadSignature) as bad:
        validator.validate(read("bad-signature.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)
    assert expired.value.message != bad.value.message
    assert "expire" in expired.value.message.lower()


def test_result_messages():
    messages = {code: licensing.result_message(code) for code in ResultCode}
    assert messages[ResultCode.OK] == "success"
    assert len(set(messages.values())) == len(ResultCode), "each code has its own message"
    assert "unknown result code" not in messages.values()
    assert licensing.result_message(12345) == "unknown result code"


# The public names of the binding before it was split into modules.
EARLIER_NAMES = """
    State Enforcement Usage LicenseType Purpose Standing LicensingError UsageError
    InvalidArgumentError InvalidSerialNumber InvalidActivationCode BadTrustedKeys
    LicenseInvalid Malformed UnsupportedVersion UnknownKey BadSignature WrongActivationCode
    WrongSerial NotYetValid Expired NoHardwareIdentity NoLicense StoreError StoreIO Downgrade
    NoBackup CorruptState LibraryPanic ClosedError LibraryNotFoundError Validator License
    Store Status version find_library NOW result_message
""".split()


@pytest.mark.parametrize("name", EARLIER_NAMES)
def test_earlier_public_names_import(name):
    namespace = {}
    exec(f"from licensing import {name}", namespace)
    assert namespace[name] is getattr(licensing, name)
    assert name in licensing.__all__


def test_renamed_names_still_work_with_a_warning():
    with pytest.warns(DeprecationWarning, match="licensing.ResultCode"):
        from licensing import Result
    assert Result is ResultCode
    with pytest.raises(AttributeError, match="no_such_name"):
        licensing.no_such_name


# ---------------------------------------------------------------------------
# Lifetime
# ---------------------------------------------------------------------------


def test_close_twice_is_safe(trusted_key):
    v = Validator(trusted_key)
    assert not v.closed
    v.close()
    v.close()
    assert v.closed


def test_use_after_close_raises(trusted_key):
    v = Validator(trusted_key)
    lic = v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)
    v.close()
    with pytest.raises(licensing.ClosedError) as info:
        v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)
    assert isinstance(info.value, LicensingError)
    assert "closed" in info.value.message
    with pytest.raises(licensing.ClosedError):
        with v:
            pass
    # A license outlives its validator.
    assert lic.organization == PROD["organization"]
    lic.close()
    lic.close()
    for getter in (lambda: lic.organization, lambda: lic.state, lambda: lic.features,
                   lambda: lic.has_feature("workflow"), lambda: lic.limit("tenants")):
        with pytest.raises(licensing.ClosedError):
            getter()
    assert "closed" in repr(lic)


def test_context_manager_closes(trusted_key):
    with Validator(trusted_key) as v:
        with v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
            assert lic.revision == PROD["revision"]
        assert lic.closed
    assert v.closed


def test_garbage_collection_frees_handles(trusted_key):
    v = Validator(trusted_key)
    lic = v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)
    finalizers = [v._finalizer, lic._finalizer]
    assert all(f.alive for f in finalizers)
    del v, lic
    gc.collect()
    assert not any(f.alive for f in finalizers)


def test_close_frees_exactly_once(trusted_key):
    v = Validator(trusted_key)
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
        ("prod.lic", PROD_SERIAL, PROD_CODE, PROD_NOW.now, None),
        ("untrusted-key.lic", PROD_SERIAL, PROD_CODE, PROD_NOW.now, None),
        ("expired.lic", PROD_SERIAL, PROD_CODE, PROD_NOW.now, ResultCode.EXPIRED),
        ("bad-signature.lic", PROD_SERIAL, PROD_CODE, PROD_NOW.now, ResultCode.BAD_SIGNATURE),
        ("prod.lic", DEV_SERIAL, PROD_CODE, PROD_NOW.now, ResultCode.WRONG_SERIAL),
        ("prod.lic", PROD_SERIAL, OTHER_CODE, PROD_NOW.now, ResultCode.WRONG_ACTIVATION_CODE),
        ("truncated.lic", PROD_SERIAL, PROD_CODE, PROD_NOW.now, ResultCode.MALFORMED),
        ("prod.lic", PROD_SERIAL[:-1] + "X", PROD_CODE, PROD_NOW.now, ResultCode.INVALID_SERIAL_NUMBER),
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
        assert lic.organization == PROD["organization"]
        assert lic.state is State.ACTIVE
        assert lic.limits == PROD_LIMITS
        lic.close()
        return ResultCode.OK

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(800)))
    assert results.count(ResultCode.OK) == 200
    assert results.count(ResultCode.EXPIRED) == 100
    v.close()


def test_close_while_other_threads_validate(trusted_key):
    # close() waits for calls in flight; afterwards calls raise ClosedError.
    v = Validator(trusted_key)
    data = read("prod.lic")
    started = threading.Barrier(5)
    outcomes = []

    def work():
        started.wait()
        n_ok = 0
        while True:
            try:
                v.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW.now).close()
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


def test_close_waits_for_a_call_in_flight(trusted_key):
    # Deterministic form of the above: while a call holds the handle, close()
    # must neither free it nor return; it frees it once the call is done.
    v = Validator(trusted_key)
    closer = threading.Thread(target=v.close)
    with Use(v):
        closer.start()
        closer.join(timeout=0.3)
        assert closer.is_alive(), "close() returned while a call was in flight"
        assert v._finalizer.alive, "the handle was freed while in use"
    closer.join(timeout=10)
    assert not closer.is_alive()
    assert not v._finalizer.alive and v.closed


# ---------------------------------------------------------------------------
# This machine's serial number
# ---------------------------------------------------------------------------

SERIAL_RE = re.compile(r"^[0-9A-Z]{3}(-[0-9A-Z]{3}){7}$")


def test_serial_number_pinned(monkeypatch, validator):
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
        validator.validate(read("prod.lic"), None, PROD_CODE, PROD_NOW.now)


def test_serial_number_pinned_file_missing(monkeypatch, tmp_path):
    monkeypatch.delenv("LICENSING_IDENTITY", raising=False)
    missing = tmp_path / "no-such-identity"
    monkeypatch.setenv("LICENSING_IDENTITY_FILE", str(missing))
    with pytest.raises(licensing.NoHardwareIdentity) as info:
        licensing.serial_number_this_machine()
    assert info.value.code is ResultCode.NO_HARDWARE_IDENTITY
    assert isinstance(info.value, licensing.EnvironmentProblem)
    assert str(missing) in info.value.message
