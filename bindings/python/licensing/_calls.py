"""Crossing the C boundary: arguments in, strings and times out, and the
exception a result code raises."""

from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, byref, c_char_p, c_size_t
from datetime import datetime, timedelta, timezone
from typing import Optional, Union

from . import _native
from .enums import ResultCode
from .errors import (
    ARGUMENT_CODES,
    LEAF_CLASSES,
    EnvironmentProblem,
    InvalidArgumentError,
    LicenseInvalid,
    LicensingError,
    UsageError,
)

#: Size of the first buffer string getters try; a longer string is fetched
#: again with a buffer of the size the library reports.
_STRING_BUFFER_SIZE = 64

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_SECOND = timedelta(seconds=1)

# -- errors ------------------------------------------------------------------


def _group(code: int) -> type:
    """The group the library puts ``code`` in, from its classifiers."""
    lib = _native.library()
    if lib.lic_result_is_license_invalid(code):
        return LicenseInvalid
    if lib.lic_result_is_misuse(code):
        return UsageError
    if lib.lic_result_is_environment(code):
        return EnvironmentProblem
    return LicensingError


def _group_of(cls: type) -> type:
    for group in (LicenseInvalid, UsageError, EnvironmentProblem):
        if issubclass(cls, group):
            return group
    return LicensingError


def error_class(code: int) -> type:
    """The exception class for ``code``: the code's own class when it has
    one in the group the C library puts the code in, else that group. The C
    classification wins, so ``except LicenseInvalid`` catches exactly what
    the library calls a license that is not valid, codes unknown to this
    binding included."""
    group = _group(int(code))
    leaf = LEAF_CLASSES.get(code)
    if leaf is None and code in ARGUMENT_CODES:
        leaf = InvalidArgumentError
    if leaf is not None and _group_of(leaf) is group:
        return leaf
    return group


def last_error_message() -> str:
    lib = _native.library()
    size = 256
    for _ in range(3):
        buf = ctypes.create_string_buffer(size)
        written = c_size_t(0)
        rc = lib.lic_last_error_message(buf, size, byref(written))
        if rc == ResultCode.OK:
            return buf.raw[: written.value].decode("utf-8", "replace")
        if rc != ResultCode.BUFFER_TOO_SMALL:
            return ""
        size = written.value + 1
    return ""


def result_message(code: int) -> str:
    """The fixed description of a result code (``lic_result_message``)."""
    lib = _native.library()
    n = lib.lic_result_message(int(code), None, 0)
    buf = ctypes.create_string_buffer(n + 1)
    lib.lic_result_message(int(code), buf, n + 1)
    return buf.raw[:n].decode("utf-8", "replace")


def error(code: int, cls: Optional[type] = None) -> LicensingError:
    """The exception for a failed call; read at once, on the failing
    thread: the library keeps the last failure per thread."""
    message = last_error_message() or result_message(code)
    return (cls or error_class(code))(code, message)


def check(rc: int) -> None:
    if rc != ResultCode.OK:
        raise error(rc)


# -- strings -----------------------------------------------------------------


def read_string(fn, *args) -> str:
    """Calls ``fn(*args, buf, len, &written)``; retries once with
    ``written + 1`` bytes on LIC_BUFFER_TOO_SMALL."""
    size = _STRING_BUFFER_SIZE
    for _ in range(2):
        buf = ctypes.create_string_buffer(size)
        written = c_size_t(0)
        rc = fn(*args, buf, size, byref(written))
        if rc == ResultCode.OK:
            return buf.raw[: written.value].decode("utf-8")
        if rc != ResultCode.BUFFER_TOO_SMALL:
            raise error(rc)
        size = written.value + 1
    raise error(rc)


# -- arguments ---------------------------------------------------------------


def text_arg(value: Optional[str], what: str) -> Optional[bytes]:
    """An optional NUL-terminated text argument (serial number, code)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str or None, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{what} must not contain a NUL character")
    return value.encode("utf-8")


def name_bytes(name: Union[str, bytes]) -> bytes:
    """A feature or limit name as its UTF-8 bytes, for the ``_n`` calls
    (pointer + length): a NUL in it is just a byte of the name. A str that
    is not encodable (a lone surrogate) raises UnicodeEncodeError, a
    ValueError; bytes are passed as they are."""
    if isinstance(name, bytes):
        return name
    return str(name).encode("utf-8")


def name_arg(name: Union[str, bytes]) -> bytes:
    """A name for the NUL-terminated calls: one with a NUL in it cannot be
    passed (it would be cut short), so it raises ValueError."""
    raw = name_bytes(name)
    if b"\0" in raw:
        raise ValueError("a name must not contain a NUL character")
    return raw


def bytes_arg(data: Union[bytes, bytearray, memoryview, str], what: str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{what} must be bytes or str, not {type(data).__name__}")


def u8_ptr(data: bytes):
    return ctypes.cast(c_char_p(data), POINTER(ctypes.c_uint8))


def path_arg(path) -> bytes:
    """A directory for the C ABI: UTF-8, without a NUL."""
    raw = os.fspath(path)
    if isinstance(raw, str):
        try:
            raw = raw.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ValueError(f"the store directory is not valid UTF-8: {path!r}") from e
    if b"\0" in raw:
        raise ValueError("the store directory must not contain a NUL character")
    return raw


# -- times -------------------------------------------------------------------


def time_arg(when: Union[None, int, float, datetime]) -> int:
    """Unix seconds for the C ABI from None (the clock: ``LIC_NOW``), a
    timezone-aware datetime, or seconds since 1970 UTC."""
    if when is None:
        return _native.NOW
    if isinstance(when, datetime):
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError(
                f"a naive datetime ({when.isoformat()}) says no time zone, so not which "
                "moment: pass an aware one, like datetime.now(timezone.utc)"
            )
        seconds = (when - _EPOCH) // _SECOND
    elif isinstance(when, bool) or not isinstance(when, (int, float)):
        raise TypeError(
            f"a time must be a datetime, unix seconds or None, not {type(when).__name__}"
        )
    else:
        seconds = int(when // 1)
    if not -(2**63) <= seconds < 2**63:
        raise ValueError(f"time out of range: {when!r}")
    return seconds


def datetime_of(unix_seconds: int) -> datetime:
    """A time from the C ABI as an aware datetime in UTC."""
    return _EPOCH + timedelta(seconds=unix_seconds)
