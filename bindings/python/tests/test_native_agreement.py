"""The binding's answers against the C ABI's, on every license that
validates.

A License reads its features and limits once per verification
(``lic_license_verification_id``) and answers has_feature, limit,
limit_enforcement, check_usage and the enumerations from Python's own
collections; check_usage compares with the bounds the library gives
(``lic_license_limit_bounds_at``). Here each answer is compared with the
raw native call on the same handle: every check of ``vectors.json`` whose
verdict is a valid license, plus a license issued with edge limits (0, 1,
2**64 - 1), each name given as it is, with case variants, prefixes and
suffixes, unicode, NULs and the empty name.
"""

from __future__ import annotations

import ctypes
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from ctypes import byref, c_int, c_size_t, c_uint64

import pytest

import licensing
from licensing import Enforcement, ResultCode, Usage, Validator
from licensing import license as license_module
from licensing._calls import read_string
from licensing._handle import Use
from vectors import PROD_CODE, PROD_NOW, PROD_SERIAL, SPEC, pem_of, read

MAX = 2**64 - 1

OK_CHECKS = [
    pytest.param(f["name"], c, id=f"{f['name']}#{i}-{c['now_text']}-{'+'.join(c['trusted'])}"
                 + (f"-platform-{c['platform_version']}" if "platform_version" in c else ""))
    for f in SPEC["files"]
    for i, c in enumerate(f["checks"])
    if "ok" in c["verdict"]
]


def test_the_vectors_have_valid_licenses():
    # The comparisons below must not silently run on nothing.
    assert len(OK_CHECKS) >= 20
    assert len({p.values[0] for p in OK_CHECKS}) >= 8


@pytest.fixture(scope="module")
def lib():
    return licensing._native.library()


@pytest.fixture(scope="module")
def validators():
    made = {}

    def get(check):
        key = (tuple(check["trusted"]), check.get("platform_version"))
        if key not in made:
            made[key] = Validator(pem_of(check["trusted"]),
                                  platform_version=check.get("platform_version"))
        return made[key]

    yield get
    for v in made.values():
        v.close()


# -- the native answers --------------------------------------------------------


def native_features(lib, p) -> list:
    n = c_size_t()
    assert lib.lic_license_feature_count(p, byref(n)) == ResultCode.OK
    return [read_string(lib.lic_license_feature_at, p, i) for i in range(n.value)]


def native_limits(lib, p) -> list:
    """(name, value, near_from, enforcement) of each limit, in the library's order."""
    n = c_size_t()
    assert lib.lic_license_limit_count(p, byref(n)) == ResultCode.OK
    value, near_from, enforcement = c_uint64(), c_uint64(), c_int()
    found = []
    for i in range(n.value):
        name = read_string(lib.lic_license_limit_at, p, i)
        rc = lib.lic_license_limit_bounds_at(p, i, byref(value), byref(near_from), byref(enforcement))
        assert rc == ResultCode.OK, (name, rc)
        found.append((name, value.value, near_from.value, Enforcement(enforcement.value)))
    return found


def native_has_feature(lib, p, name: str) -> bool:
    raw = name.encode("utf-8")
    by_length = bool(lib.lic_license_has_feature_n(p, raw, len(raw)))
    if "\0" not in name:
        assert bool(lib.lic_license_has_feature(p, raw)) is by_length, name
    return by_length


def native_limit(lib, p, name: str):
    """(value, enforcement), None for each when the license sets no such limit."""
    raw = name.encode("utf-8")
    value, enforcement = c_uint64(), c_int()
    if "\0" in name:
        rc = lib.lic_license_limit_n(p, raw, len(raw), byref(value))
        rc_e = lib.lic_license_limit_enforcement_n(p, raw, len(raw), byref(enforcement))
    else:
        rc = lib.lic_license_limit(p, raw, byref(value))
        rc_e = lib.lic_license_limit_enforcement(p, raw, byref(enforcement))
    assert rc in (ResultCode.OK, ResultCode.NO_SUCH_LIMIT) and rc == rc_e, (name, rc, rc_e)
    if rc == ResultCode.NO_SUCH_LIMIT:
        return None, None
    return value.value, Enforcement(enforcement.value)


def native_check_usage(lib, p, name: str, usage: int) -> Usage:
    raw = name.encode("utf-8")
    out = c_int(-1)
    if "\0" in name:
        rc = lib.lic_license_check_usage_n(p, raw, len(raw), usage, byref(out))
    else:
        rc = lib.lic_license_check_usage(p, raw, usage, byref(out))
    assert rc == ResultCode.OK, (name, usage, rc)
    return Usage(out.value)


# -- the names and usages compared ---------------------------------------------


def variants(name: str) -> list:
    """Names near ``name`` that are not it (unless the license has them too)."""
    return [
        name.upper(), name.title(), name.capitalize() + " ", " " + name,
        name[:-1], name[:1], name + "s", name + "-", name + "\0", name + "\0x", "\0" + name,
        name.replace("-", "_"), name + "\u0301", name.upper().replace("-", "\u2010"),
    ]


ABSENT = ["", "\0", " ", "-", "teleportation", "no-such-limit", "ünïcödé-名前", "名前",
          "\U0001f511", "sso", "tenant", "TENANTS", "Sso-Saml"]


def usages(value: int, near_from: int) -> list:
    candidates = [0, 1, near_from - 1, near_from, near_from + 1, value - 1, value, value + 1, MAX]
    return sorted({u for u in candidates if 0 <= u <= MAX})


def compare(lib, lic) -> set:
    """Compares every answer of ``lic`` with the native call's; the usage
    levels seen."""
    seen = set()
    with Use(lic) as p:
        features = native_features(lib, p)
        limits = native_limits(lib, p)
        # The enumerations.
        assert lic.features == features
        assert list(lic.limits.items()) == [(name, value) for name, value, _, _ in limits]
        # Features, present and absent.
        names = list(features) + ABSENT + [v for f in features for v in variants(f)]
        names += [name for name, *_ in limits]
        for name in names:
            expected = native_has_feature(lib, p, name)
            assert lic.has_feature(name) is expected, name
            assert lic.has_feature(name.encode("utf-8")) is expected, name
        assert set(features) <= {n for n in names if lic.has_feature(n)}
        # Limits, present and absent.
        limit_names = [name for name, *_ in limits]
        others = ABSENT + [v for n in limit_names for v in variants(n)] + list(features)
        for name, value, near_from, enforcement in limits:
            assert native_limit(lib, p, name) == (value, enforcement), name
            assert lic.limit(name) == value and lic.limit_enforcement(name) is enforcement, name
            assert lic.limit(name.encode("utf-8")) == value, name
            for usage in usages(value, near_from):
                expected = native_check_usage(lib, p, name, usage)
                assert lic.check_usage(name, usage) is expected, (name, usage)
                assert lic.check_usage(name.encode("utf-8"), usage) is expected, (name, usage)
                seen.add(expected)
        for name in others:
            if name in limit_names:
                continue
            assert native_limit(lib, p, name) == (None, None), name
            assert lic.limit(name) is None and lic.limit_enforcement(name) is None, name
            for usage in (0, 1, 25, 26, MAX):
                assert native_check_usage(lib, p, name, usage) is Usage.UNLIMITED, (name, usage)
                assert lic.check_usage(name, usage) is Usage.UNLIMITED, (name, usage)
    return seen


@pytest.mark.parametrize("file,check", OK_CHECKS)
def test_answers_equal_the_native_calls(lib, validators, file, check):
    with validators(check).validate(read(file), check["serial"], check["activation_code"],
                                    check["now"]) as lic:
        seen = compare(lib, lic)
    assert seen >= {Usage.WITHIN, Usage.NEAR, Usage.OVER_SOFT_LIMIT}


@pytest.fixture(scope="module")
def edge_license(cli_path, tmp_path_factory):
    """A license issued now by the vendor's CLI with limits of 0, 1, 10, 11 and
    2**64 - 1 (hard and soft): the bounds the vectors do not reach. The
    validator trusting its key, and the file."""
    vendor = tmp_path_factory.mktemp("vendor")

    def cli(*args):
        done = subprocess.run([str(cli_path), *args], cwd=str(vendor), capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, f"licensing {' '.join(args)}: {done.stderr}"

    cli("keygen", "--private", "vendor.key", "--public", "vendor.pub")
    cli("subscription", "new", "--organization", "Edge", "--edition", "Edge", "--support",
        "premium", "--end", "never", "--slots", "production=1",
        "--limit", "zero=0:hard", "--limit", "zero-soft=0:soft", "--limit", "one=1:hard",
        "--limit", "ten=10:hard", "--limit", "eleven=11:soft",
        "--limit", f"max={MAX}:soft", "--limit", f"max-hard={MAX}:hard",
        "--feature", "a,a-b,b,z9", "--out", "s.json")
    cli("register", "s.json", "--serial", PROD_SERIAL, "--name", "Edge", "--purpose", "production")
    cli("issue", "s.json", "--key", "vendor.key", "--serial", PROD_SERIAL, "--out", "edge.lic")
    with Validator((vendor / "vendor.pub").read_bytes()) as v:
        yield v, (vendor / "edge.lic").read_bytes()


def test_answers_equal_the_native_calls_at_the_edges(lib, edge_license):
    validator, data = edge_license
    with validator.validate(data, PROD_SERIAL) as lic:
        assert lic.limit("zero") == 0 and lic.limit("max") == MAX
        seen = compare(lib, lic)
        assert lic.check_usage("zero", 0) is Usage.WITHIN
        assert lic.check_usage("zero", 1) is Usage.OVER_HARD_LIMIT
        assert lic.check_usage("max-hard", MAX) is Usage.NEAR
    assert seen == set(Usage) - {Usage.UNLIMITED}


# -- the two exports the answers rest on ---------------------------------------


def test_limit_bounds_at_out_of_range(lib, validator):
    with validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
        value, near_from, enforcement = c_uint64(7), c_uint64(7), c_int(7)
        with Use(lic) as p:
            n = len(native_limits(lib, p))
            rc = lib.lic_license_limit_bounds_at(p, n, byref(value), byref(near_from),
                                                 byref(enforcement))
            assert rc == ResultCode.INDEX_OUT_OF_RANGE
            assert (value.value, near_from.value, enforcement.value) == (7, 7, 7), "untouched"
            assert lib.lic_license_limit_bounds_at(p, 0, None, byref(near_from),
                                                   byref(enforcement)) == ResultCode.NULL_ARGUMENT
            assert lib.lic_license_verification_id(p, None) == ResultCode.NULL_ARGUMENT
        assert lib.lic_license_verification_id(None, byref(value)) == ResultCode.NULL_ARGUMENT


def verification_id(lib, lic) -> int:
    out = c_uint64()
    with Use(lic) as p:
        assert lib.lic_license_verification_id(p, byref(out)) == ResultCode.OK
    return out.value


def test_the_same_bytes_again_share_what_was_read(lib, trusted_key):
    data = read("prod.lic")
    with Validator(trusted_key) as a, Validator(trusted_key) as b:
        first = a.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW.now)
        again = a.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW.now + 60)
        other = b.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW.now)
        # The validator's cache answered: the same verification, the same
        # collections; another validator verified anew.
        assert verification_id(lib, first) == verification_id(lib, again)
        assert verification_id(lib, other) != verification_id(lib, first)
        assert again._read_grants() is first._read_grants()
        assert other._read_grants() is not first._read_grants()
        assert other.features == first.features and other.limits == first.limits


def test_what_was_read_is_bounded(trusted_key):
    data = read("prod.lic")
    size = license_module._GRANTS_CACHE_SIZE
    kept = []
    for _ in range(size + 8):
        with Validator(trusted_key) as v:
            kept.append(v.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW.now))
    assert len(license_module._grants_by_id) <= size
    # Licenses whose grants were dropped from the cache still answer.
    assert all(lic.has_feature("sso-saml") and lic.limit("tenants") == 25 for lic in kept)
    assert kept[0].check_usage("tenants", 26) is Usage.OVER_HARD_LIMIT


def test_the_collections_are_immutable(validator):
    with validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
        assert lic.has_feature("sso-saml")
        assert isinstance(lic._features, frozenset)
        assert isinstance(lic._grants.feature_names, tuple)
        # What the enumerations return is the caller's to change.
        lic.features.append("teleportation")
        lic.limits["tenants"] = 10**6
        assert not lic.has_feature("teleportation") and lic.limit("tenants") == 25


def test_threads_validate_and_read_at_once(trusted_key):
    data = read("prod.lic")
    with Validator(trusted_key) as v:
        start = threading.Barrier(4)

        def work(i):
            if i < 4:
                start.wait()
            with v.validate(data, PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
                assert lic.has_feature("sso-saml") and not lic.has_feature("sso")
                assert lic.check_usage("tenants", 23) is Usage.NEAR
                return id(lic._grants)

        with ThreadPoolExecutor(max_workers=4) as pool:
            grants = set(pool.map(work, range(200)))
    # Threads racing on the first read may each read; one set is kept.
    assert 1 <= len(grants) <= 4


def test_a_closed_license_answers_nothing(validator):
    lic = validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)
    lic.close()
    for lookup in (lambda: lic.has_feature("sso-saml"), lambda: lic.has_feature(b"x"),
                   lambda: lic.has_feature(bytearray(b"x")), lambda: lic.limit("tenants"),
                   lambda: lic.limit_enforcement("tenants"), lambda: lic.check_usage("tenants", 1),
                   lambda: lic.check_usage(b"nothing", 1), lambda: lic.features,
                   lambda: lic.limits):
        with pytest.raises(licensing.ClosedError):
            lookup()


def test_other_name_types_read_as_their_str(validator):
    # As before: a name that is not str or bytes is looked up as str(name).
    class Name:
        def __str__(self):
            return "sso-saml"

    with validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
        assert lic.has_feature(Name())
        assert not lic.has_feature(bytearray(b"sso-saml")), "str(bytearray) is not the name"
        assert lic.limit(bytearray(b"tenants")) is None

        class Sub(str):
            pass

        assert lic.has_feature(Sub("sso-saml")) and lic.limit(Sub("tenants")) == 25
        assert lic.check_usage(Sub("tenants"), 26) is Usage.OVER_HARD_LIMIT
        assert lic.limit_enforcement(Sub("tenants")) is Enforcement.HARD


def test_usage_may_be_an_int_subclass(validator):
    class Count(int):
        pass

    with validator.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
        assert lic.check_usage("tenants", Count(26)) is Usage.OVER_HARD_LIMIT
        for bad in (True, -1, 2**64, 1.0, "1", None):
            with pytest.raises(ValueError):
                lic.check_usage("tenants", bad)


def test_the_grants_are_read_at_the_first_lookup(validator, call_log_lib):
    # A validation whose license is never asked about reads nothing; the
    # first lookup reads the verification's number, and the features and
    # limits unless this verification's were read before.
    data = read("dev-never-expires.lic")
    dev = next(f for f in SPEC["files"] if f["name"] == "dev-never-expires.lic")
    check = next(c for c in dev["checks"] if "ok" in c["verdict"])
    with Validator(pem_of(check["trusted"])) as v:
        lic = v.validate(data, check["serial"], check["activation_code"], check["now"])
        lic._lib = call_log_lib
        assert lic._grants is license_module._UNREAD
        assert lic.has_feature("sso-saml")
        first = list(call_log_lib.called)
        assert first[0] == "lic_license_verification_id"
        assert "lic_license_limit_bounds_at" in first and "lic_license_feature_at" in first
        assert lic.check_usage("internal-users", 5) is Usage.NEAR
        assert lic.features == dev["license"]["features"]
        assert call_log_lib.called == first, "read once"
        again = v.validate(data, check["serial"], check["activation_code"], check["now"])
        again._lib = call_log_lib
        assert again.limits == {"internal-users": 5}
        assert call_log_lib.called == first + ["lic_license_verification_id"]
        lic.close()
        again.close()


@pytest.fixture
def call_log_lib(lib):
    class CallLog:
        def __init__(self):
            self.called = []

        def __getattr__(self, name):
            fn = getattr(lib, name)

            def call(*args):
                self.called.append(name)
                return fn(*args)

            return call

    return CallLog()
