"""The exception classes, chosen by the C library's classifiers
(lic_result_is_license_invalid, lic_result_is_misuse,
lic_result_is_environment) rather than by ranges of numbers in Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import licensing
from licensing import (
    EnvironmentProblem,
    LicenseInvalid,
    LicensingError,
    ResultCode,
    UsageError,
)
from licensing._calls import error_class
from licensing.errors import LEAF_CLASSES

GROUPS = {
    "is_license_invalid": LicenseInvalid,
    "is_misuse": UsageError,
    "is_environment": EnvironmentProblem,
}
FAILURES = [code for code in ResultCode if code is not ResultCode.OK]


@pytest.mark.parametrize("code", FAILURES, ids=[c.name for c in FAILURES])
def test_each_code_raises_a_class_of_the_group_c_puts_it_in(code):
    cls = error_class(code)
    assert issubclass(cls, LicensingError)
    for classifier, group in GROUPS.items():
        says = getattr(code, classifier)
        assert issubclass(cls, group) is says, (
            f"{code}: C says {classifier} is {says}, the binding raises {cls.__name__}"
        )


def test_the_classifiers_are_the_c_librarys():
    # Some members of each group, as the header's comments list them, and
    # codes that are none: a lookup's answer, a store's refusal, a bug.
    assert ResultCode.EXPIRED.is_license_invalid and ResultCode.MALFORMED.is_license_invalid
    assert ResultCode.UNKNOWN_CRITICAL_EXTENSION.is_license_invalid
    assert ResultCode.PLATFORM_VERSION_NOT_COVERED.is_license_invalid
    assert ResultCode.INVALID_PLATFORM_VERSION.is_misuse
    assert ResultCode.INVALID_ENVIRONMENT_NAME.is_misuse and ResultCode.INVALID_PURPOSE.is_misuse
    assert ResultCode.BAD_USAGE_SUMMARY.is_environment
    assert ResultCode.NULL_ARGUMENT.is_misuse and ResultCode.BAD_TRUSTED_KEYS.is_misuse
    assert ResultCode.INVALID_SERIAL_NUMBER.is_misuse
    assert ResultCode.STORE_IO.is_environment and ResultCode.NO_HARDWARE_IDENTITY.is_environment
    assert ResultCode.NO_STORE.is_environment and ResultCode.CORRUPT_STATE.is_environment
    for code in (ResultCode.OK, ResultCode.NO_SUCH_LIMIT, ResultCode.DOWNGRADE,
                 ResultCode.CLOCK_RESET_USED, ResultCode.PANIC):
        assert not (code.is_license_invalid or code.is_misuse or code.is_environment), code
    for code in ResultCode:
        groups = [c for c in GROUPS if getattr(code, c)]
        assert len(groups) <= 1, f"{code} is in several groups: {groups}"


def test_each_leaf_class_is_raised_for_its_code():
    # A leaf whose group C disagrees with would be skipped for its group:
    # none may be.
    assert len(LEAF_CLASSES) >= 18
    for code, cls in LEAF_CLASSES.items():
        assert error_class(code) is cls, code
    assert error_class(ResultCode.INVALID_UTF8) is licensing.InvalidArgumentError
    assert error_class(ResultCode.BUFFER_TOO_SMALL) is UsageError


class _Classifying:
    """Stands in for the library, classifying codes as ``groups`` says and
    forwarding every other call."""

    def __init__(self, lib, groups):
        self._lib, self._groups = lib, groups

    def __getattr__(self, name):
        for classifier in GROUPS:
            if name == f"lic_result_{classifier}":
                return lambda code, c=classifier: self._groups.get(code) == c
        return getattr(self._lib, name)


def test_the_group_comes_from_c_for_any_code(monkeypatch):
    lib = licensing._native.library()
    monkeypatch.setattr(
        licensing._native,
        "_lib",
        _Classifying(lib, {250: "is_license_invalid", 777: "is_environment",
                           ResultCode.EXPIRED: "is_environment"}),
    )
    # A code this binding does not know, in the group the library says.
    assert error_class(250) is LicenseInvalid
    assert error_class(777) is EnvironmentProblem
    assert error_class(12345) is LicensingError
    # A known code the library classifies otherwise: its group wins over
    # the binding's leaf class, so `except LicenseInvalid` matches C.
    assert error_class(ResultCode.EXPIRED) is EnvironmentProblem
    err = licensing._calls.error(250)
    assert type(err) is LicenseInvalid and err.code == 250 and err.message


def test_no_numeric_ranges_of_codes_in_the_binding():
    # The groups are the C library's: no "200 <= code < 300" in Python.
    package = Path(licensing.__file__).parent
    comparison = re.compile(r"(?:[<>]=?\s*[1-9]\d\d\b|\b[1-9]\d\d\s*[<>]=?|//\s*100\b)")
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(package.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if comparison.search(line)
    ]
    assert not found, "numeric ranges of result codes: " + "; ".join(found)


def test_an_error_says_its_code():
    e = LicensingError(ResultCode.DOWNGRADE, "older than the installed one")
    assert e.code is ResultCode.DOWNGRADE
    assert str(e) == "older than the installed one [LIC_DOWNGRADE]"
    unknown = LicensingError(12345, "x")
    assert unknown.code == 12345 and not isinstance(unknown.code, ResultCode)
    assert str(unknown) == "x [LIC_12345]"


def test_value_errors_are_value_errors():
    # Bad text given by the caller is also Python's ValueError.
    for cls in (licensing.InvalidSerialNumber, licensing.InvalidActivationCode,
                licensing.InvalidPlatformVersion, licensing.InvalidEnvironmentName,
                licensing.InvalidPurpose, licensing.BadTrustedKeys,
                licensing.ClosedError):
        assert issubclass(cls, ValueError) and issubclass(cls, UsageError), cls
