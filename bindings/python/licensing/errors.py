"""The exceptions the binding raises.

Every failed call raises a :class:`LicensingError` carrying the C result
``code`` and the library's ``message``. Which subclass is chosen by the C
library's classifiers (``lic_result_is_license_invalid``,
``lic_result_is_misuse``, ``lic_result_is_environment``), so catching a group
(:class:`LicenseInvalid`, :class:`UsageError`, :class:`EnvironmentProblem`)
catches what the library puts in it; the leaf classes (:class:`Expired`,
:class:`StoreIO`, ...) name single codes.
"""

from __future__ import annotations

from typing import Optional, Union

from ._native import LibraryNotFoundError  # noqa: F401 (an error of loading, re-exported)
from .enums import ResultCode


class LicensingError(Exception):
    """A failed call: ``code`` (a :class:`ResultCode`, or the raw int for a
    code this binding does not know) and ``message`` (the library's words,
    from ``lic_last_error_message``, else the code's fixed description)."""

    #: The code a leaf class stands for (None: a group, chosen by the C
    #: classifiers for any code in it).
    _code: Optional[ResultCode] = None

    def __init__(self, code: Union[ResultCode, int], message: str):
        try:
            code = ResultCode(code)
        except ValueError:
            pass
        self.code = code
        self.message = message
        super().__init__(code, message)

    def __str__(self) -> str:
        name = self.code.name if isinstance(self.code, ResultCode) else str(self.code)
        return f"{self.message} [LIC_{name}]" if self.message else f"LIC_{name}"


# -- the groups of the C classifiers -----------------------------------------


class UsageError(LicensingError):
    """The caller misused the API (``lic_result_is_misuse``): a bug in the
    calling code, such as an argument that is not valid."""


class LicenseInvalid(LicensingError):
    """The license is not valid here (``lic_result_is_license_invalid``):
    show the message to an administrator, who acts on it."""


class EnvironmentProblem(LicensingError):
    """A problem of the machine rather than of the license or the call
    (``lic_result_is_environment``): an operator fixes it."""


# -- misuse -------------------------------------------------------------------


class InvalidArgumentError(UsageError):
    """An argument is not valid (NULL, not UTF-8, index out of range)."""


class InvalidSerialNumber(UsageError, ValueError):
    """LIC_INVALID_SERIAL_NUMBER: the serial number text is not valid."""

    _code = ResultCode.INVALID_SERIAL_NUMBER


class InvalidActivationCode(UsageError, ValueError):
    """LIC_INVALID_ACTIVATION_CODE: the activation code text is not valid."""

    _code = ResultCode.INVALID_ACTIVATION_CODE


class InvalidPlatformVersion(UsageError, ValueError):
    """LIC_INVALID_PLATFORM_VERSION: the platform version text is not dotted
    numbers like ``11.14``."""

    _code = ResultCode.INVALID_PLATFORM_VERSION


class InvalidEnvironmentName(UsageError, ValueError):
    """LIC_INVALID_ENVIRONMENT_NAME: the environment name is empty, over 100
    characters or holds a control character."""

    _code = ResultCode.INVALID_ENVIRONMENT_NAME


class InvalidPurpose(UsageError, ValueError):
    """LIC_INVALID_PURPOSE: the purpose is not one of :class:`Purpose`'s
    values."""

    _code = ResultCode.INVALID_PURPOSE


class BadTrustedKeys(UsageError, ValueError):
    """LIC_BAD_TRUSTED_KEYS (or LIC_INVALID_UTF8 for the keys' text)."""

    _code = ResultCode.BAD_TRUSTED_KEYS


class ClosedError(UsageError, ValueError):
    """The handle (validator, license, store, status) was closed."""


# -- the license is not valid -------------------------------------------------


class Malformed(LicenseInvalid):
    """LIC_MALFORMED: not a license file, or cut short."""

    _code = ResultCode.MALFORMED


class UnsupportedVersion(LicenseInvalid):
    """LIC_UNSUPPORTED_VERSION: a format version this library does not read."""

    _code = ResultCode.UNSUPPORTED_VERSION


class UnknownKey(LicenseInvalid):
    """LIC_UNKNOWN_KEY: signed by a key that is not trusted."""

    _code = ResultCode.UNKNOWN_KEY


class BadSignature(LicenseInvalid):
    """LIC_BAD_SIGNATURE: altered or damaged."""

    _code = ResultCode.BAD_SIGNATURE


class WrongActivationCode(LicenseInvalid):
    """LIC_WRONG_ACTIVATION_CODE: the license belongs to another activation code."""

    _code = ResultCode.WRONG_ACTIVATION_CODE


class WrongSerial(LicenseInvalid):
    """LIC_WRONG_SERIAL: the license is for another environment's serial number."""

    _code = ResultCode.WRONG_SERIAL


class NotYetValid(LicenseInvalid):
    """LIC_NOT_YET_VALID: the license is not valid yet (check the clock)."""

    _code = ResultCode.NOT_YET_VALID


class Expired(LicenseInvalid):
    """LIC_EXPIRED: the license expired and its grace period ended."""

    _code = ResultCode.EXPIRED


class UnknownCriticalExtension(LicenseInvalid):
    """LIC_UNKNOWN_CRITICAL_EXTENSION: the license carries a critical
    extension this library does not know: a newer runtime is needed."""

    _code = ResultCode.UNKNOWN_CRITICAL_EXTENSION


class PlatformVersionNotCovered(LicenseInvalid):
    """LIC_PLATFORM_VERSION_NOT_COVERED: the license's platform version cap
    does not cover the version the validator was made for
    (``Validator(keys, platform_version=...)``)."""

    _code = ResultCode.PLATFORM_VERSION_NOT_COVERED


# -- the machine --------------------------------------------------------------


class NoHardwareIdentity(EnvironmentProblem):
    """LIC_NO_HARDWARE_IDENTITY: set LICENSING_IDENTITY or LICENSING_IDENTITY_FILE."""

    _code = ResultCode.NO_HARDWARE_IDENTITY


# -- the store ----------------------------------------------------------------


class StoreError(LicensingError):
    """A failure of the license store."""


class StoreIO(StoreError, EnvironmentProblem):
    """LIC_STORE_IO: a file of the store could not be read or written."""

    _code = ResultCode.STORE_IO


class CorruptState(StoreError, EnvironmentProblem):
    """LIC_CORRUPT_STATE: the store's state file is damaged."""

    _code = ResultCode.CORRUPT_STATE


class NoStore(StoreError, EnvironmentProblem):
    """LIC_NO_STORE: the directory holds no license store (a mistyped path,
    say): check the path, or make the store with ``Store.create``."""

    _code = ResultCode.NO_STORE


class BadUsageSummary(StoreError, EnvironmentProblem):
    """LIC_BAD_USAGE_SUMMARY: the usage summary is damaged, not a summary, or
    of another infrastructure (the message says which): make it again from
    this infrastructure's usage reports."""

    _code = ResultCode.BAD_USAGE_SUMMARY


class Downgrade(StoreError):
    """LIC_DOWNGRADE: the license is an older revision of the installed one
    (install with ``force=True`` to downgrade on purpose)."""

    _code = ResultCode.DOWNGRADE


class NoBackup(StoreError):
    """LIC_NO_BACKUP: there is no previous license to restore."""

    _code = ResultCode.NO_BACKUP


class ClockResetUsed(StoreError):
    """LIC_CLOCK_RESET_USED: the clock reset was already applied by this
    store, or a later one was: each is applied once (ask the vendor for a
    new one). An answer, like :class:`Downgrade`: neither the license, the
    call nor the machine is at fault."""

    _code = ResultCode.CLOCK_RESET_USED


# -- neither ------------------------------------------------------------------


class NoLicense(LicensingError):
    """LIC_NO_LICENSE: the status has no valid license (trial, expired or
    invalid). :meth:`Status.license` returns None instead of raising it."""

    _code = ResultCode.NO_LICENSE


class LibraryPanic(LicensingError):
    """LIC_PANIC: the library panicked (a bug)."""

    _code = ResultCode.PANIC


#: The leaf class of each code that has one.
LEAF_CLASSES = {
    cls._code: cls
    for cls in (
        InvalidSerialNumber, InvalidActivationCode, InvalidPlatformVersion,
        InvalidEnvironmentName, InvalidPurpose, BadTrustedKeys,
        Malformed, UnsupportedVersion, UnknownKey, BadSignature,
        WrongActivationCode, WrongSerial, NotYetValid, Expired,
        UnknownCriticalExtension, PlatformVersionNotCovered,
        NoHardwareIdentity, StoreIO, CorruptState, NoStore, BadUsageSummary, Downgrade,
        NoBackup, ClockResetUsed,
        NoLicense, LibraryPanic,
    )
}

#: Codes of the misuse group without a leaf of their own.
ARGUMENT_CODES = frozenset(
    {ResultCode.NULL_ARGUMENT, ResultCode.INVALID_UTF8, ResultCode.INDEX_OUT_OF_RANGE}
)
