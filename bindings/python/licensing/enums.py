"""The C enums of ``include/licensing.h``, without their ``LIC_`` prefixes.

Each value compares equal to its C number (an IntEnum) and prints as its
name: ``str(State.ACTIVE)`` and ``f"{state}"`` give ``ACTIVE``, like
``ToString()`` in .NET and ``toString()`` in Java; ``repr`` is Python's
``<State.ACTIVE: 0>``.
"""

from __future__ import annotations

import enum

from . import _native


class _CEnum(enum.IntEnum):
    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        # A numeric format ("d", "03d", "x") gives the C value; any other the name.
        if spec and spec[-1] in "bdnoxX":
            return format(int(self), spec)
        return format(self.name, spec)


class ResultCode(_CEnum):
    """``lic_result``: every ``LIC_*`` code of the header. The groups come
    from the library itself: :attr:`is_license_invalid`, :attr:`is_misuse`,
    :attr:`is_environment`."""

    OK = 0
    NULL_ARGUMENT = 1
    INVALID_UTF8 = 2
    BUFFER_TOO_SMALL = 3
    INVALID_SERIAL_NUMBER = 4
    INVALID_ACTIVATION_CODE = 5
    INDEX_OUT_OF_RANGE = 6
    INVALID_PLATFORM_VERSION = 7
    INVALID_ENVIRONMENT_NAME = 8
    INVALID_PURPOSE = 9
    PANIC = 99
    BAD_TRUSTED_KEYS = 100
    MALFORMED = 200
    UNSUPPORTED_VERSION = 201
    UNKNOWN_KEY = 202
    BAD_SIGNATURE = 203
    WRONG_ACTIVATION_CODE = 204
    WRONG_SERIAL = 205
    NOT_YET_VALID = 206
    EXPIRED = 207
    UNKNOWN_CRITICAL_EXTENSION = 208
    PLATFORM_VERSION_NOT_COVERED = 209
    NO_SUCH_LIMIT = 300
    NEVER_EXPIRES = 301
    NO_LICENSE = 302
    NO_HARDWARE_IDENTITY = 400
    STORE_IO = 500
    DOWNGRADE = 501
    NO_BACKUP = 502
    CORRUPT_STATE = 503
    NO_STORE = 504
    CLOCK_RESET_USED = 505
    BAD_USAGE_SUMMARY = 506

    @property
    def is_license_invalid(self) -> bool:
        """The license is not valid here (``lic_result_is_license_invalid``)."""
        return bool(_native.library().lic_result_is_license_invalid(self.value))

    @property
    def is_misuse(self) -> bool:
        """The caller misused the API (``lic_result_is_misuse``)."""
        return bool(_native.library().lic_result_is_misuse(self.value))

    @property
    def is_environment(self) -> bool:
        """A problem of the machine (``lic_result_is_environment``)."""
        return bool(_native.library().lic_result_is_environment(self.value))


class State(_CEnum):
    """``lic_state``: where a valid license stands in time."""

    ACTIVE = 0
    EXPIRING_SOON = 1
    IN_GRACE = 2


class Enforcement(_CEnum):
    """``lic_enforcement``: whether going over a limit blocks or warns."""

    HARD = 0
    SOFT = 1


class Usage(_CEnum):
    """``lic_usage``: how a usage figure compares with a limit."""

    UNLIMITED = 0
    WITHIN = 1
    NEAR = 2
    OVER_SOFT_LIMIT = 3
    OVER_HARD_LIMIT = 4


class LicenseType(_CEnum):
    """``lic_type``: development or production."""

    DEVELOPMENT = 0
    PRODUCTION = 1


class Purpose(_CEnum):
    """``lic_purpose``: what the licensed environment is for."""

    DEVELOPMENT = 0
    NON_PRODUCTION = 1
    PRODUCTION = 2
    MANAGEMENT = 3


class Standing(_CEnum):
    """``lic_standing``: where the environment stands (see ``Status``)."""

    ACTIVE = 0
    EXPIRING_SOON = 1
    IN_GRACE = 2
    EXPIRED = 3
    INVALID = 4
    TRIAL = 5
    TRIAL_OVER = 6
