"""The validator: trusted keys plus a cache of verified files
(``lic_validator``)."""

from __future__ import annotations

from ctypes import byref, c_void_p
from datetime import datetime
from typing import Optional, Union

from . import _native
from ._calls import bytes_arg, error, text_arg, time_arg, u8_ptr
from ._handle import Handle
from .enums import ResultCode
from .errors import BadTrustedKeys
from .license import License

NOW = _native.NOW


def _text(value, what: str) -> bytes:
    """A str without a NUL as its UTF-8, as text_arg makes it."""
    if value.__class__ is str and "\0" not in value:
        return value.encode("utf-8")
    return text_arg(value, what)


class Validator(Handle):
    """Trusts every ``BEGIN PUBLIC KEY`` block (P-256, SPKI PEM) of
    ``trusted_keys_pem``. Thread-safe: share one validator between threads.

    ``platform_version`` is the version of the platform this runtime is
    (dotted numbers like ``"11.14"``): validations then refuse a license
    whose platform version cap does not cover it with
    :class:`PlatformVersionNotCovered` (``lic_validator_new_for_platform``;
    the library compares the versions). None: not told, caps are not
    checked. A text that is not a version raises
    :class:`InvalidPlatformVersion`."""

    _kind = "validator"

    def __init__(
        self, trusted_keys_pem: Union[bytes, str], platform_version: Optional[str] = None
    ):
        lib = _native.library()
        pem = bytes_arg(trusted_keys_pem, "trusted_keys_pem")
        version = text_arg(platform_version, "platform_version")
        out = c_void_p()
        if version is None:
            rc = lib.lic_validator_new(u8_ptr(pem), len(pem), byref(out))
        else:
            rc = lib.lic_validator_new_for_platform(u8_ptr(pem), len(pem), version, byref(out))
        if rc != ResultCode.OK:
            # Keys that are not text are bad keys too, whatever the code.
            bad_keys = rc in (ResultCode.BAD_TRUSTED_KEYS, ResultCode.INVALID_UTF8)
            raise error(rc, BadTrustedKeys if bad_keys else None)
        super().__init__(out.value, lib.lic_validator_free)
        self._lib = lib
        self._validate = lib.lic_validator_validate

    def validate(
        self,
        license_file: Union[bytes, str],
        serial_number: Optional[str] = None,
        activation_code: Optional[str] = None,
        unix_time: Union[None, int, datetime] = None,
    ) -> License:
        """Validates a license file (binary or text form) for the environment
        ``serial_number`` (None: this machine's hardware as it is now; use
        :attr:`Store.serial_number` to keep it through hardware changes),
        requiring ``activation_code`` when given, at ``unix_time`` (an aware
        datetime or unix seconds; None: now). Raises a
        :class:`LicenseInvalid` subclass when it is not valid."""
        # The common arguments (bytes, str, int seconds or None) are taken as
        # they are; the others go through the general conversions.
        data = license_file if license_file.__class__ is bytes else bytes_arg(
            license_file, "license_file"
        )
        serial = None if serial_number is None else _text(serial_number, "serial_number")
        code = None if activation_code is None else _text(activation_code, "activation_code")
        if unix_time is None:
            when = NOW
        elif unix_time.__class__ is int and NOW <= unix_time < -NOW:
            when = unix_time
        else:
            when = time_arg(unix_time)
        out = c_void_p()
        # Use(self), inlined: the handle is not freed during the call.
        p = self._acquire()
        try:
            rc = self._validate(p, data, len(data), serial, code, when, byref(out))
        finally:
            self._release()
        if rc:
            raise error(rc)
        return License(out.value, self._lib)

    def __repr__(self) -> str:
        return f"<Validator{' (closed)' if self.closed else ''}>"
