"""Python binding of the ``licensing`` C ABI (``include/licensing.h``).

A thin ctypes wrapper: validate signed, offline license files in-process,
and keep them in a license store (install, restore, status).

    from licensing import Validator

    with Validator(open("trusted-keys.pem", "rb").read()) as validator:
        lic = validator.validate(open("prod.lic", "rb").read())  # this machine, now
        print(lic.organization, lic.state, lic.expires_at, lic.features)

The native library is loaded on first use, by the rule every binding
follows: the path given to :func:`load_library`, else the environment
variable ``LICENSING_LIBRARY``, else the copy the wheel bundles
(``licensing/_lib/``), else the system's search path (see
``licensing._native``). ``import licensing`` never fails for want of it.
"""

from __future__ import annotations

import warnings as _warnings

from ._calls import result_message
from ._native import NOW, find_library, load_library, version
from .enums import Enforcement, LicenseType, Purpose, ResultCode, Standing, State, Usage
from .errors import (
    BadSignature,
    BadTrustedKeys,
    BadUsageSummary,
    ClockResetUsed,
    ClosedError,
    CorruptState,
    Downgrade,
    EnvironmentProblem,
    Expired,
    InvalidActivationCode,
    InvalidArgumentError,
    InvalidEnvironmentName,
    InvalidPlatformVersion,
    InvalidPurpose,
    InvalidSerialNumber,
    LibraryNotFoundError,
    LibraryPanic,
    LicenseInvalid,
    LicensingError,
    Malformed,
    NoBackup,
    NoHardwareIdentity,
    NoLicense,
    NoStore,
    NotYetValid,
    PlatformVersionNotCovered,
    StoreError,
    StoreIO,
    UnknownCriticalExtension,
    UnknownKey,
    UnsupportedVersion,
    UsageError,
    WrongActivationCode,
    WrongSerial,
)
from .license import License
from .machine import serial_number_this_machine, set_license_source
from .store import Status, Store
from .validator import Validator

__all__ = [
    # Values.
    "Validator",
    "License",
    "Store",
    "Status",
    # Enums.
    "ResultCode",
    "State",
    "Standing",
    "Enforcement",
    "Usage",
    "LicenseType",
    "Purpose",
    # Functions and constants.
    "load_library",
    "find_library",
    "version",
    "serial_number_this_machine",
    "set_license_source",
    "result_message",
    "NOW",
    # Errors.
    "LicensingError",
    "UsageError",
    "InvalidArgumentError",
    "InvalidSerialNumber",
    "InvalidActivationCode",
    "InvalidPlatformVersion",
    "InvalidEnvironmentName",
    "InvalidPurpose",
    "BadTrustedKeys",
    "ClosedError",
    "LicenseInvalid",
    "Malformed",
    "UnsupportedVersion",
    "UnknownKey",
    "BadSignature",
    "WrongActivationCode",
    "WrongSerial",
    "NotYetValid",
    "Expired",
    "UnknownCriticalExtension",
    "PlatformVersionNotCovered",
    "EnvironmentProblem",
    "NoHardwareIdentity",
    "StoreError",
    "StoreIO",
    "CorruptState",
    "NoStore",
    "BadUsageSummary",
    "Downgrade",
    "NoBackup",
    "ClockResetUsed",
    "NoLicense",
    "LibraryPanic",
    "LibraryNotFoundError",
]

# Names of earlier versions: still importable, with a DeprecationWarning.
_RENAMED = {
    "Result": ("ResultCode", ResultCode),
}


def __getattr__(name: str):
    if name in _RENAMED:
        new_name, value = _RENAMED[name]
        _warnings.warn(
            f"licensing.{name} is renamed licensing.{new_name}: use that name",
            DeprecationWarning,
            stacklevel=2,
        )
        return value
    raise AttributeError(f"module 'licensing' has no attribute {name!r}")
