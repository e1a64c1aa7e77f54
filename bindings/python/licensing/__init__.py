"""Python binding of the ``licensing`` C ABI (``include/licensing.h``).

A thin ctypes wrapper: validate signed, offline license files in-process,
and keep them in a license store (install, restore, status).

    from licensing import Validator

    with Validator(open("trusted-keys.pem", "rb").read()) as validator:
        lic = validator.validate(open("prod.lic", "rb").read(),
                                 serial_number="1HA-009-DEZ-RD3-PJA-MNH-C1S-91T")
        print(lic.state, lic.days_left, lic.organization, lic.features)

The shared library is found through the environment variable
``LICENSING_LIBRARY`` (a path to the library file) or else in the Cargo
target directory of this repository (``$CARGO_TARGET_DIR`` when set, else
``<repo>/target``), under ``debug/`` and ``release/`` (the newer one wins).
"""

from __future__ import annotations

import ctypes
import enum
import os
import sys
import threading
import weakref
from ctypes import (
    POINTER,
    byref,
    c_bool,
    c_char,
    c_char_p,
    c_int,
    c_int64,
    c_size_t,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Dict, List, Optional, Union

__all__ = [
    "Result",
    "State",
    "Enforcement",
    "Usage",
    "LicenseType",
    "Purpose",
    "Standing",
    "LicensingError",
    "UsageError",
    "InvalidArgumentError",
    "InvalidSerialNumber",
    "InvalidActivationCode",
    "BadTrustedKeys",
    "LicenseInvalid",
    "Malformed",
    "UnsupportedVersion",
    "UnknownKey",
    "BadSignature",
    "WrongActivationCode",
    "WrongSerial",
    "NotYetValid",
    "Expired",
    "NoHardwareIdentity",
    "NoLicense",
    "StoreError",
    "StoreIO",
    "Downgrade",
    "NoBackup",
    "CorruptState",
    "LibraryPanic",
    "ClosedError",
    "LibraryNotFoundError",
    "Validator",
    "License",
    "Store",
    "Status",
    "serial_number_this_machine",
    "version",
    "find_library",
    "NOW",
]

# ---------------------------------------------------------------------------
# Enums mirroring include/licensing.h
# ---------------------------------------------------------------------------


class Result(enum.IntEnum):
    """``lic_result``: every ``LIC_*`` code of the header, without ``LIC_``."""

    OK = 0
    NULL_ARGUMENT = 1
    INVALID_UTF8 = 2
    BUFFER_TOO_SMALL = 3
    INVALID_SERIAL_NUMBER = 4
    INVALID_ACTIVATION_CODE = 5
    INDEX_OUT_OF_RANGE = 6
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
    NO_SUCH_LIMIT = 300
    NEVER_EXPIRES = 301
    NO_LICENSE = 302
    NO_HARDWARE_IDENTITY = 400
    STORE_IO = 500
    DOWNGRADE = 501
    NO_BACKUP = 502
    CORRUPT_STATE = 503


class State(enum.IntEnum):
    """``lic_state``: where a valid license stands in time."""

    ACTIVE = 0
    EXPIRING_SOON = 1
    IN_GRACE = 2


class Enforcement(enum.IntEnum):
    """``lic_enforcement``: whether going over a limit blocks or warns."""

    HARD = 0
    SOFT = 1


class Usage(enum.IntEnum):
    """``lic_usage``: how a usage figure compares with a limit."""

    UNLIMITED = 0
    WITHIN = 1
    NEAR = 2
    OVER_SOFT_LIMIT = 3
    OVER_HARD_LIMIT = 4


class LicenseType(enum.IntEnum):
    """``lic_type``."""

    DEVELOPMENT = 0
    PRODUCTION = 1


class Purpose(enum.IntEnum):
    """``lic_purpose``."""

    DEVELOPMENT = 0
    NON_PRODUCTION = 1
    PRODUCTION = 2
    MANAGEMENT = 3


class Standing(enum.IntEnum):
    """``lic_standing``: where the environment stands (see :class:`Status`)."""

    ACTIVE = 0
    EXPIRING_SOON = 1
    IN_GRACE = 2
    EXPIRED = 3
    INVALID = 4
    TRIAL = 5
    TRIAL_OVER = 6


#: ``LIC_NOW``: validate at the system clock's time.
NOW = -(2**63)

# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class LicensingError(Exception):
    """A failed call: ``code`` (a :class:`Result`, or the raw int for a code
    this binding does not know) and ``message`` (the library's words, from
    ``lic_last_error_message``, else the code's fixed description)."""

    def __init__(self, code: Union["Result", int], message: str):
        try:
            code = Result(code)
        except ValueError:
            pass
        self.code = code
        self.message = message
        super().__init__(code, message)

    def __str__(self) -> str:
        name = self.code.name if isinstance(self.code, Result) else str(self.code)
        return f"{self.message} [LIC_{name}]" if self.message else f"LIC_{name}"


class UsageError(LicensingError):
    """Misuse of the API (codes 1-99)."""


class InvalidArgumentError(UsageError):
    """An argument is not valid (NULL, not UTF-8, index out of range)."""


class InvalidSerialNumber(UsageError, ValueError):
    """LIC_INVALID_SERIAL_NUMBER: the serial number text is not valid."""


class InvalidActivationCode(UsageError, ValueError):
    """LIC_INVALID_ACTIVATION_CODE: the activation code text is not valid."""


class LibraryPanic(LicensingError):
    """LIC_PANIC: the library panicked (a bug)."""


class ClosedError(UsageError, ValueError):
    """The validator (or license) was closed; its handle is gone."""


class BadTrustedKeys(LicensingError, ValueError):
    """LIC_BAD_TRUSTED_KEYS (or LIC_INVALID_UTF8 for the keys' text)."""


class LicenseInvalid(LicensingError):
    """The license is not valid (codes 200-299 from ``validate``)."""


class Malformed(LicenseInvalid):
    pass


class UnsupportedVersion(LicenseInvalid):
    pass


class UnknownKey(LicenseInvalid):
    pass


class BadSignature(LicenseInvalid):
    pass


class WrongActivationCode(LicenseInvalid):
    pass


class WrongSerial(LicenseInvalid):
    pass


class NotYetValid(LicenseInvalid):
    pass


class Expired(LicenseInvalid):
    pass


class NoHardwareIdentity(LicensingError):
    """LIC_NO_HARDWARE_IDENTITY: set LICENSING_IDENTITY or LICENSING_IDENTITY_FILE."""


class NoLicense(LicensingError):
    """LIC_NO_LICENSE: the status has no valid license (trial, expired or
    invalid). :meth:`Status.license` returns None instead of raising it."""


class StoreError(LicensingError):
    """A failure of the license store (codes 500-599)."""


class StoreIO(StoreError):
    """LIC_STORE_IO: a file of the store could not be read or written."""


class Downgrade(StoreError):
    """LIC_DOWNGRADE: the license is an older revision of the installed one
    (install with ``force=True`` to downgrade on purpose)."""


class NoBackup(StoreError):
    """LIC_NO_BACKUP: there is no previous license to restore."""


class CorruptState(StoreError):
    """LIC_CORRUPT_STATE: the store's state file is damaged."""


class LibraryNotFoundError(OSError):
    """The shared library could not be found or loaded."""


_ERROR_CLASSES = {
    Result.NULL_ARGUMENT: InvalidArgumentError,
    Result.INVALID_UTF8: InvalidArgumentError,
    Result.BUFFER_TOO_SMALL: UsageError,
    Result.INVALID_SERIAL_NUMBER: InvalidSerialNumber,
    Result.INVALID_ACTIVATION_CODE: InvalidActivationCode,
    Result.INDEX_OUT_OF_RANGE: InvalidArgumentError,
    Result.PANIC: LibraryPanic,
    Result.BAD_TRUSTED_KEYS: BadTrustedKeys,
    Result.MALFORMED: Malformed,
    Result.UNSUPPORTED_VERSION: UnsupportedVersion,
    Result.UNKNOWN_KEY: UnknownKey,
    Result.BAD_SIGNATURE: BadSignature,
    Result.WRONG_ACTIVATION_CODE: WrongActivationCode,
    Result.WRONG_SERIAL: WrongSerial,
    Result.NOT_YET_VALID: NotYetValid,
    Result.EXPIRED: Expired,
    Result.NO_HARDWARE_IDENTITY: NoHardwareIdentity,
    Result.NO_LICENSE: NoLicense,
    Result.STORE_IO: StoreIO,
    Result.DOWNGRADE: Downgrade,
    Result.NO_BACKUP: NoBackup,
    Result.CORRUPT_STATE: CorruptState,
}


def _error_class(code: int) -> type:
    try:
        return _ERROR_CLASSES.get(Result(code), LicensingError)
    except ValueError:
        return LicensingError


# ---------------------------------------------------------------------------
# Finding and loading the library
# ---------------------------------------------------------------------------

if sys.platform == "darwin":
    _LIB_NAMES = ("liblicensing.dylib",)
elif sys.platform == "win32":
    _LIB_NAMES = ("licensing.dll",)
else:
    _LIB_NAMES = ("liblicensing.so",)

_REPO_ROOT = Path(__file__).resolve().parents[3]


def _candidates() -> List[Path]:
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        t = Path(target)
        # Cargo resolves a relative CARGO_TARGET_DIR against its working
        # directory: try the current directory and the repository root.
        roots = [t] if t.is_absolute() else [Path.cwd() / t, _REPO_ROOT / t]
    else:
        roots = [_REPO_ROOT / "target"]
    seen, out = set(), []
    for root in roots:
        for profile in ("debug", "release"):
            for name in _LIB_NAMES:
                p = root / profile / name
                if p not in seen:
                    seen.add(p)
                    out.append(p)
    return out


def find_library() -> Path:
    """The path of the shared library: ``$LICENSING_LIBRARY`` when set (it
    must exist), else the newest of the Cargo build outputs. Raises
    :class:`LibraryNotFoundError` naming every path tried."""
    explicit = os.environ.get("LICENSING_LIBRARY")
    if explicit:
        p = Path(explicit)
        if p.is_file():
            return p
        raise LibraryNotFoundError(
            "the licensing library was not found: LICENSING_LIBRARY is set to "
            f"{explicit!r}, which is not a file. Tried: {explicit}. Fix: point "
            "LICENSING_LIBRARY at liblicensing (e.g. target/debug/liblicensing.so "
            "after `cargo build` at the repository root), or unset it to search "
            "the Cargo target directory."
        )
    tried = _candidates()
    found = [p for p in tried if p.is_file()]
    if found:
        return max(found, key=lambda p: p.stat().st_mtime)
    raise LibraryNotFoundError(
        "the licensing library was not found. Tried: "
        + ", ".join(str(p) for p in tried)
        + f". Fix: run `cargo build` (or `cargo build --release`) in {_REPO_ROOT}"
        " (CARGO_TARGET_DIR is respected), or set LICENSING_LIBRARY to the path "
        "of the library file."
    )


_lib = None
_lib_lock = threading.Lock()

_P = c_void_p


class _UsageEntry(ctypes.Structure):
    """``lic_usage_entry``: one usage figure for a limit."""

    _fields_ = [("limit", c_char_p), ("usage", c_uint64)]


_STR_GETTER = ([_P, POINTER(c_char), c_size_t, POINTER(c_size_t)], c_uint32)

_PROTOTYPES = {
    "lic_version": ([], c_char_p),
    "lic_license_free": ([_P], None),
    "lic_license_state": ([_P, POINTER(c_int), POINTER(c_uint32)], c_uint32),
    "lic_license_has_feature": ([_P, c_char_p], c_bool),
    # The name as pointer + length (``const uint8_t *``): c_char_p passes a
    # bytes object's buffer as is, without a copy or a strlen.
    "lic_license_has_feature_n": ([_P, c_char_p, c_size_t], c_bool),
    "lic_license_limit": ([_P, c_char_p, POINTER(c_uint64)], c_uint32),
    "lic_license_limit_enforcement": ([_P, c_char_p, POINTER(c_int)], c_uint32),
    "lic_license_limit_n": ([_P, c_char_p, c_size_t, POINTER(c_uint64)], c_uint32),
    "lic_license_limit_enforcement_n": ([_P, c_char_p, c_size_t, POINTER(c_int)], c_uint32),
    "lic_license_check_usage": ([_P, c_char_p, c_uint64, POINTER(c_int)], c_uint32),
    "lic_license_check_usage_n": (
        [_P, c_char_p, c_size_t, c_uint64, POINTER(c_int)],
        c_uint32,
    ),
    "lic_license_expires_at": ([_P, POINTER(c_int64)], c_uint32),
    "lic_license_issued_at": ([_P, POINTER(c_int64)], c_uint32),
    "lic_license_revision": ([_P, POINTER(c_uint32)], c_uint32),
    "lic_license_type": ([_P, POINTER(c_int)], c_uint32),
    "lic_license_purpose": ([_P, POINTER(c_int)], c_uint32),
    "lic_license_feature_count": ([_P, POINTER(c_size_t)], c_uint32),
    "lic_license_limit_count": ([_P, POINTER(c_size_t)], c_uint32),
    "lic_license_feature_at": (
        [_P, c_size_t, POINTER(c_char), c_size_t, POINTER(c_size_t)],
        c_uint32,
    ),
    "lic_license_limit_at": (
        [_P, c_size_t, POINTER(c_char), c_size_t, POINTER(c_size_t)],
        c_uint32,
    ),
    "lic_result_message": ([c_uint32, POINTER(c_char), c_size_t], c_size_t),
    "lic_last_error_message": (
        [POINTER(c_char), c_size_t, POINTER(c_size_t)],
        c_uint32,
    ),
    "lic_serial_number_this_machine": (
        [POINTER(c_char), c_size_t, POINTER(c_size_t)],
        c_uint32,
    ),
    "lic_validator_new": ([POINTER(ctypes.c_uint8), c_size_t, POINTER(_P)], c_uint32),
    "lic_validator_free": ([_P], None),
    "lic_validator_validate": (
        [_P, POINTER(ctypes.c_uint8), c_size_t, c_char_p, c_char_p, c_int64, POINTER(_P)],
        c_uint32,
    ),
    # String getters of a license.
    "lic_license_activation_code": _STR_GETTER,
    "lic_license_serial_number": _STR_GETTER,
    "lic_license_organization": _STR_GETTER,
    "lic_license_edition": _STR_GETTER,
    "lic_license_support": _STR_GETTER,
    "lic_license_environment_name": _STR_GETTER,
    "lic_license_id": _STR_GETTER,
    # The license store and its status.
    "lic_store_open": ([c_char_p, POINTER(_P)], c_uint32),
    "lic_store_open_with_clock_tolerance": ([c_char_p, c_int64, POINTER(_P)], c_uint32),
    "lic_store_free": ([_P], None),
    "lic_store_install": (
        [_P, _P, POINTER(ctypes.c_uint8), c_size_t, c_char_p, c_int64, c_bool, POINTER(_P)],
        c_uint32,
    ),
    "lic_store_restore": ([_P, _P, c_char_p, c_int64, POINTER(_P)], c_uint32),
    "lic_store_backup": ([_P, _P, c_char_p, c_int64, POINTER(_P)], c_uint32),
    "lic_store_status": (
        [_P, _P, c_char_p, c_int64, POINTER(_UsageEntry), c_size_t, POINTER(_P)],
        c_uint32,
    ),
    "lic_status_free": ([_P], None),
    "lic_status_standing": ([_P, POINTER(c_int), POINTER(c_uint32)], c_uint32),
    "lic_status_may_run": ([_P], c_bool),
    "lic_status_may_publish": ([_P], c_bool),
    "lic_status_may_administer": ([_P], c_bool),
    "lic_status_warning_count": ([_P, POINTER(c_size_t)], c_uint32),
    "lic_status_warning_at": (
        [_P, c_size_t, POINTER(c_char), c_size_t, POINTER(c_size_t)],
        c_uint32,
    ),
    "lic_status_license": ([_P, POINTER(_P)], c_uint32),
    "lic_status_judged_at": ([_P, POINTER(c_int64)], c_uint32),
    "lic_status_run_reason": _STR_GETTER,
    "lic_status_publish_reason": _STR_GETTER,
    "lic_status_administer_reason": _STR_GETTER,
}


def _load(path: Path):
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as e:
        raise LibraryNotFoundError(
            f"the licensing library at {path} could not be loaded ({e}). Fix: "
            "rebuild it with `cargo build` at the repository root, or set "
            "LICENSING_LIBRARY to a working build of liblicensing."
        ) from e
    missing = []
    for name, (argtypes, restype) in _PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.argtypes = argtypes
        fn.restype = restype
    if missing:
        raise LibraryNotFoundError(
            f"the library at {path} lacks the functions {', '.join(missing)}: it is "
            "not liblicensing or is too old. Fix: rebuild it with `cargo build`."
        )
    return lib


def _library():
    """The loaded library (loaded on first use)."""
    global _lib
    lib = _lib
    if lib is None:
        with _lib_lock:
            if _lib is None:
                _lib = _load(find_library())
            lib = _lib
    return lib


# ---------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------

#: Size of the first buffer string getters try; a longer string is fetched
#: again with a buffer of the size the library reports.
_STRING_BUFFER_SIZE = 64


def _read_string(fn, *args) -> Optional[str]:
    """Calls ``fn(*args, buf, len, &written)``; retries once with
    ``written + 1`` bytes on LIC_BUFFER_TOO_SMALL."""
    size = _STRING_BUFFER_SIZE
    for _ in range(2):
        buf = ctypes.create_string_buffer(size)
        written = c_size_t(0)
        rc = fn(*args, buf, size, byref(written))
        if rc == Result.OK:
            return buf.raw[: written.value].decode("utf-8")
        if rc != Result.BUFFER_TOO_SMALL:
            _raise(rc)
        size = written.value + 1
    _raise(rc)


def _last_error_message() -> str:
    lib = _library()
    size = 256
    for _ in range(3):
        buf = ctypes.create_string_buffer(size)
        written = c_size_t(0)
        rc = lib.lic_last_error_message(buf, size, byref(written))
        if rc == Result.OK:
            return buf.raw[: written.value].decode("utf-8", "replace")
        if rc != Result.BUFFER_TOO_SMALL:
            return ""
        size = written.value + 1
    return ""


def result_message(code: int) -> str:
    """The fixed description of a result code (``lic_result_message``)."""
    lib = _library()
    n = lib.lic_result_message(int(code), None, 0)
    buf = ctypes.create_string_buffer(n + 1)
    lib.lic_result_message(int(code), buf, n + 1)
    return buf.raw[:n].decode("utf-8", "replace")


def _raise(rc: int):
    # Read the message at once, on this thread: the library keeps the last
    # failure per thread.
    message = _last_error_message() or result_message(rc)
    raise _error_class(rc)(rc, message)


def _check(rc: int) -> None:
    if rc != Result.OK:
        _raise(rc)


def _text_arg(value: Optional[str], what: str) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str or None, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{what} must not contain a NUL character")
    return value.encode("utf-8")


def _name_bytes(name: str) -> bytes:
    """A feature or limit name as its UTF-8 bytes, for the ``_n`` calls
    (pointer + length): a NUL in it is just a byte of the name. A str that
    is not encodable (a lone surrogate) raises UnicodeEncodeError, a
    ValueError; bytes are passed as they are."""
    if isinstance(name, bytes):
        return name
    return str(name).encode("utf-8")


def _name_arg(name: str) -> bytes:
    """A name for the NUL-terminated calls: one with a NUL in it cannot be
    passed (it would be cut short), so it raises ValueError."""
    raw = _name_bytes(name)
    if b"\0" in raw:
        raise ValueError("a name must not contain a NUL character")
    return raw


def _as_bytes(data: Union[bytes, bytearray, memoryview, str], what: str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{what} must be bytes or str, not {type(data).__name__}")


def _time_arg(unix_time: Optional[int]) -> int:
    """Unix seconds for the C ABI; None means the clock (``LIC_NOW``)."""
    when = NOW if unix_time is None else int(unix_time)
    if not -(2**63) <= when < 2**63:
        raise ValueError(f"unix_time out of range: {unix_time!r}")
    return when


def _path_arg(path) -> bytes:
    raw = os.fspath(path)
    if isinstance(raw, str):
        try:
            raw = raw.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ValueError(f"the store directory is not valid UTF-8: {path!r}") from e
    if b"\0" in raw:
        raise ValueError("the store directory must not contain a NUL character")
    return raw


def _u8_ptr(data: bytes):
    return ctypes.cast(c_char_p(data), POINTER(ctypes.c_uint8))


# ---------------------------------------------------------------------------
# Handles
# ---------------------------------------------------------------------------


class _Handle:
    """An owned C handle freed exactly once: by ``close()``, by leaving a
    ``with`` block, or when garbage collected. ``close()`` waits for calls
    in flight on other threads, so closing never frees a handle in use."""

    _kind = "handle"

    def __init__(self, ptr: int, free):
        self._ptr = ptr
        self._cond = threading.Condition()
        self._inflight = 0
        self._finalizer = weakref.finalize(self, free, ptr)

    def _acquire(self) -> int:
        with self._cond:
            if self._ptr is None:
                raise ClosedError(
                    Result.NULL_ARGUMENT,
                    f"the {self._kind} is closed: it cannot be used after close()",
                )
            self._inflight += 1
            return self._ptr

    def _release(self) -> None:
        with self._cond:
            self._inflight -= 1
            if self._inflight == 0:
                self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        """Frees the handle; safe to call more than once."""
        with self._cond:
            if self._ptr is None:
                return
            self._ptr = None
            while self._inflight:
                self._cond.wait()
        self._finalizer()

    def __enter__(self):
        self._acquire()
        self._release()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Use:
    """``with _Use(handle) as ptr``: the raw pointer, kept alive."""

    __slots__ = ("_h",)

    def __init__(self, h: _Handle):
        self._h = h

    def __enter__(self) -> int:
        return self._h._acquire()

    def __exit__(self, *exc) -> None:
        self._h._release()


class License(_Handle):
    """A license that passed validation (``lic_license``). Immutable and safe
    to read from many threads. It stays valid after its validator is closed."""

    _kind = "license"

    def __init__(self, ptr: int):
        lib = _library()
        super().__init__(ptr, lib.lic_license_free)
        self._lib = lib

    def _get(self, fn, ctype, *args):
        out = ctype()
        with _Use(self) as p:
            _check(fn(p, *args, byref(out)))
        return out.value

    def _string(self, fn) -> str:
        with _Use(self) as p:
            return _read_string(fn, p)

    # -- time ---------------------------------------------------------------

    @property
    def state(self) -> State:
        """Where the license stands in time (see also :attr:`days_left`)."""
        return self.state_and_days_left()[0]

    @property
    def days_left(self) -> int:
        """Days until expiry (expiring soon) or until the grace period ends
        (in grace); 0 when active."""
        return self.state_and_days_left()[1]

    def state_and_days_left(self):
        out, days = c_int(), c_uint32()
        with _Use(self) as p:
            _check(self._lib.lic_license_state(p, byref(out), byref(days)))
        return State(out.value), days.value

    @property
    def expires_at(self) -> Optional[int]:
        """Unix seconds of expiry (the first second after the end date), or
        None when the license never expires."""
        out = c_int64()
        with _Use(self) as p:
            rc = self._lib.lic_license_expires_at(p, byref(out))
        if rc == Result.NEVER_EXPIRES:
            return None
        _check(rc)
        return out.value

    @property
    def issued_at(self) -> int:
        return self._get(self._lib.lic_license_issued_at, c_int64)

    @property
    def revision(self) -> int:
        return self._get(self._lib.lic_license_revision, c_uint32)

    @property
    def license_type(self) -> LicenseType:
        return LicenseType(self._get(self._lib.lic_license_type, c_int))

    @property
    def purpose(self) -> Purpose:
        return Purpose(self._get(self._lib.lic_license_purpose, c_int))

    # -- features and limits ------------------------------------------------

    # A name with a NUL in it names no feature or limit of any license (the
    # library refuses such names at issue time): has_feature is False,
    # check_usage UNLIMITED, limit and limit_enforcement None.

    def has_feature(self, name: str) -> bool:
        raw = _name_bytes(name)
        with _Use(self) as p:
            return bool(self._lib.lic_license_has_feature_n(p, raw, len(raw)))

    def limit(self, name: str) -> Optional[int]:
        """The limit's value, or None when the license sets no such limit."""
        raw = _name_bytes(name)
        out = c_uint64()
        with _Use(self) as p:
            rc = self._lib.lic_license_limit_n(p, raw, len(raw), byref(out))
        if rc == Result.NO_SUCH_LIMIT:
            return None
        _check(rc)
        return out.value

    def limit_enforcement(self, name: str) -> Optional[Enforcement]:
        """HARD or SOFT, or None when the license sets no such limit."""
        raw = _name_bytes(name)
        out = c_int()
        with _Use(self) as p:
            rc = self._lib.lic_license_limit_enforcement_n(p, raw, len(raw), byref(out))
        if rc == Result.NO_SUCH_LIMIT:
            return None
        _check(rc)
        return Enforcement(out.value)

    def check_usage(self, name: str, usage: int) -> Usage:
        if not isinstance(usage, int) or usage < 0 or usage >= 2**64:
            raise ValueError(f"usage must be an int in [0, 2**64), not {usage!r}")
        raw = _name_bytes(name)
        out = c_int()
        with _Use(self) as p:
            _check(self._lib.lic_license_check_usage_n(p, raw, len(raw), usage, byref(out)))
        return Usage(out.value)

    @property
    def features(self) -> List[str]:
        with _Use(self) as p:
            n = c_size_t()
            _check(self._lib.lic_license_feature_count(p, byref(n)))
            return [_read_string(self._lib.lic_license_feature_at, p, i) for i in range(n.value)]

    @property
    def limits(self) -> Dict[str, int]:
        with _Use(self) as p:
            n = c_size_t()
            _check(self._lib.lic_license_limit_count(p, byref(n)))
            names = [_read_string(self._lib.lic_license_limit_at, p, i) for i in range(n.value)]
        return {name: self.limit(name) for name in names}

    # -- strings ------------------------------------------------------------

    @property
    def activation_code(self) -> str:
        return self._string(self._lib.lic_license_activation_code)

    @property
    def serial_number(self) -> str:
        return self._string(self._lib.lic_license_serial_number)

    @property
    def organization(self) -> str:
        return self._string(self._lib.lic_license_organization)

    @property
    def edition(self) -> str:
        return self._string(self._lib.lic_license_edition)

    @property
    def support(self) -> str:
        return self._string(self._lib.lic_license_support)

    @property
    def environment_name(self) -> str:
        return self._string(self._lib.lic_license_environment_name)

    @property
    def license_id(self) -> str:
        return self._string(self._lib.lic_license_id)

    def __repr__(self) -> str:
        if self.closed:
            return "<License (closed)>"
        state, days = self.state_and_days_left()
        return (
            f"<License {self.license_id} {self.organization!r} {self.edition} "
            f"{state.name} days_left={days}>"
        )


class Validator(_Handle):
    """Trusted keys plus a cache of verified files (``lic_validator``).
    Thread-safe: share one validator between threads."""

    _kind = "validator"

    def __init__(self, trusted_keys_pem: Union[bytes, str]):
        lib = _library()
        pem = _as_bytes(trusted_keys_pem, "trusted_keys_pem")
        out = c_void_p()
        rc = lib.lic_validator_new(_u8_ptr(pem), len(pem), byref(out))
        if rc != Result.OK:
            message = _last_error_message() or result_message(rc)
            # Keys that are not text are bad keys too, whatever the code.
            cls = BadTrustedKeys if rc in (Result.BAD_TRUSTED_KEYS, Result.INVALID_UTF8) else _error_class(rc)
            raise cls(rc, message)
        super().__init__(out.value, lib.lic_validator_free)
        self._lib = lib

    def validate(
        self,
        license_file: Union[bytes, str],
        serial_number: Optional[str] = None,
        activation_code: Optional[str] = None,
        unix_time: Optional[int] = None,
    ) -> License:
        """Validates a license file (binary or text form) for the environment
        ``serial_number`` (None: this machine's), requiring
        ``activation_code`` when given, at ``unix_time`` (None: now).
        Raises a :class:`LicenseInvalid` subclass when it is not valid."""
        data = _as_bytes(license_file, "license_file")
        serial = _text_arg(serial_number, "serial_number")
        code = _text_arg(activation_code, "activation_code")
        when = _time_arg(unix_time)
        out = c_void_p()
        with _Use(self) as p:
            rc = self._lib.lic_validator_validate(
                p, _u8_ptr(data), len(data), serial, code, when, byref(out)
            )
            if rc != Result.OK:
                _raise(rc)
        return License(out.value)


def serial_number_this_machine() -> str:
    """This environment's serial number (``LICENSING_IDENTITY`` /
    ``LICENSING_IDENTITY_FILE`` when set, else the hardware's)."""
    return _read_string(_library().lic_serial_number_this_machine)


def version() -> str:
    """The library's version, like ``0.1.0``."""
    return _library().lic_version().decode("utf-8")


# ---------------------------------------------------------------------------
# The license store
# ---------------------------------------------------------------------------


class Status(_Handle):
    """A licensing status (``lic_status``): where the environment stands,
    what needs attention (:attr:`warnings`) and what it may do
    (:attr:`may_run`, :attr:`may_publish`, :attr:`may_administer`).
    Immutable: a snapshot taken by :meth:`Store.status`."""

    _kind = "status"

    def __init__(self, ptr: int):
        lib = _library()
        super().__init__(ptr, lib.lic_status_free)
        self._lib = lib

    def standing_and_days_left(self):
        out, days = c_int(), c_uint32()
        with _Use(self) as p:
            _check(self._lib.lic_status_standing(p, byref(out), byref(days)))
        return Standing(out.value), days.value

    @property
    def standing(self) -> Standing:
        return self.standing_and_days_left()[0]

    @property
    def days_left(self) -> int:
        """Days until expiry (expiring soon), the end of grace (in grace) or
        the end of the trial (trial); else 0."""
        return self.standing_and_days_left()[1]

    def _decision(self, fn) -> bool:
        with _Use(self) as p:
            return bool(fn(p))

    @property
    def may_run(self) -> bool:
        """May the environment run applications?"""
        return self._decision(self._lib.lic_status_may_run)

    @property
    def may_publish(self) -> bool:
        """May new applications be published (no usage over a hard limit)?"""
        return self._decision(self._lib.lic_status_may_publish)

    @property
    def may_administer(self) -> bool:
        """May administrators work (always, to install a license)?"""
        return self._decision(self._lib.lic_status_may_administer)

    def _reason(self, fn) -> str:
        with _Use(self) as p:
            return _read_string(fn, p)

    @property
    def run_reason(self) -> str:
        """Why the environment may or may not run applications, like
        "licensed" or "the trial is over and no license is installed"."""
        return self._reason(self._lib.lic_status_run_reason)

    @property
    def publish_reason(self) -> str:
        """Why new applications may or may not be published, like "over a
        hard limit: application-objects 451/450"."""
        return self._reason(self._lib.lic_status_publish_reason)

    @property
    def administer_reason(self) -> str:
        """Why administrators may work (always: to install a license)."""
        return self._reason(self._lib.lic_status_administer_reason)

    @property
    def judged_at(self) -> int:
        """When the license was judged, in unix seconds: the time given to
        :meth:`Store.status`, or the latest time the store had seen when the
        clock was turned back."""
        out = c_int64()
        with _Use(self) as p:
            _check(self._lib.lic_status_judged_at(p, byref(out)))
        return out.value

    @property
    def warnings(self) -> List[str]:
        """What needs attention, in words."""
        with _Use(self) as p:
            n = c_size_t()
            _check(self._lib.lic_status_warning_count(p, byref(n)))
            return [_read_string(self._lib.lic_status_warning_at, p, i) for i in range(n.value)]

    def license(self) -> Optional[License]:
        """The valid license the status is based on, or None (trial, expired
        or invalid license: ``LIC_NO_LICENSE``)."""
        out = c_void_p()
        with _Use(self) as p:
            rc = self._lib.lic_status_license(p, byref(out))
            if rc == Result.NO_LICENSE:
                return None
            _check(rc)
        return License(out.value)

    def __repr__(self) -> str:
        if self.closed:
            return "<Status (closed)>"
        standing, days = self.standing_and_days_left()
        return (
            f"<Status {standing.name} days_left={days} run={self.may_run} "
            f"publish={self.may_publish} warnings={len(self.warnings)}>"
        )


def _validator_arg(validator) -> Validator:
    if not isinstance(validator, Validator):
        raise TypeError(f"validator must be a Validator, not {type(validator).__name__}")
    return validator


class Store(_Handle):
    """A license store in a directory (``lic_store``): the active license,
    the previous one, and the trial and clock record. Created if needed.
    Safe to share between threads (and processes: changes are serialized by
    a lock file)."""

    _kind = "store"

    def __init__(
        self,
        dir: Union[str, bytes, "os.PathLike"],
        clock_tolerance_seconds: Optional[int] = None,
    ):
        """``clock_tolerance_seconds``: how far the clock may be behind the
        latest time the store has seen before a status reports it as turned
        back (None: the library's default, a day; negative counts as 0)."""
        if clock_tolerance_seconds is not None:
            if isinstance(clock_tolerance_seconds, bool) or not isinstance(
                clock_tolerance_seconds, int
            ):
                raise TypeError(
                    "clock_tolerance_seconds must be an int or None, not "
                    f"{type(clock_tolerance_seconds).__name__}"
                )
            if not -(2**63) <= clock_tolerance_seconds < 2**63:
                raise ValueError(
                    f"clock_tolerance_seconds out of range: {clock_tolerance_seconds!r}"
                )
        lib = _library()
        raw = _path_arg(dir)
        out = c_void_p()
        if clock_tolerance_seconds is None:
            _check(lib.lic_store_open(raw, byref(out)))
        else:
            _check(
                lib.lic_store_open_with_clock_tolerance(
                    raw, clock_tolerance_seconds, byref(out)
                )
            )
        super().__init__(out.value, lib.lic_store_free)
        self._lib = lib
        self.dir = dir

    def install(
        self,
        validator: Validator,
        license_file: Union[bytes, str],
        serial_number: Optional[str] = None,
        unix_time: Optional[int] = None,
        force: bool = False,
    ) -> License:
        """Validates ``license_file`` for this environment (``serial_number``;
        None: this machine's) at ``unix_time`` (None: now), then makes it the
        active license, keeping the previous one as the backup. Raises a
        :class:`LicenseInvalid` subclass when it is not valid and
        :class:`Downgrade` for an older revision of the installed license
        unless ``force``."""
        data = _as_bytes(license_file, "license_file")
        serial = _text_arg(serial_number, "serial_number")
        when = _time_arg(unix_time)
        out = c_void_p()
        with _Use(self) as s, _Use(_validator_arg(validator)) as v:
            rc = self._lib.lic_store_install(
                s, v, _u8_ptr(data), len(data), serial, when, bool(force), byref(out)
            )
            if rc != Result.OK:
                _raise(rc)
        return License(out.value)

    def restore(
        self,
        validator: Validator,
        serial_number: Optional[str] = None,
        unix_time: Optional[int] = None,
    ) -> License:
        """Brings the previous license back (validated first); the current
        one becomes the backup. Raises :class:`NoBackup` when there is none."""
        serial = _text_arg(serial_number, "serial_number")
        when = _time_arg(unix_time)
        out = c_void_p()
        with _Use(self) as s, _Use(_validator_arg(validator)) as v:
            rc = self._lib.lic_store_restore(s, v, serial, when, byref(out))
            if rc != Result.OK:
                _raise(rc)
        return License(out.value)

    def backup(
        self,
        validator: Validator,
        serial_number: Optional[str] = None,
        unix_time: Optional[int] = None,
    ) -> Optional[License]:
        """The license :meth:`restore` would bring back (the one the last
        install or restore replaced), validated, without changing anything:
        for an administrator to see before restoring. None when there is no
        backup (``LIC_NO_BACKUP``); raises a :class:`LicenseInvalid`
        subclass (such as :class:`Expired` or :class:`WrongSerial`) when it
        is not valid here, as :meth:`restore` would."""
        serial = _text_arg(serial_number, "serial_number")
        when = _time_arg(unix_time)
        out = c_void_p()
        with _Use(self) as s, _Use(_validator_arg(validator)) as v:
            rc = self._lib.lic_store_backup(s, v, serial, when, byref(out))
            if rc == Result.NO_BACKUP:
                return None
            if rc != Result.OK:
                _raise(rc)
        return License(out.value)

    def status(
        self,
        validator: Validator,
        serial_number: Optional[str] = None,
        unix_time: Optional[int] = None,
        usage: Optional[Dict[str, int]] = None,
    ) -> Status:
        """The licensing status at ``unix_time`` (None: now) given the host's
        usage figures by limit name. Starts the trial on the first call
        without a license and records the clock."""
        serial = _text_arg(serial_number, "serial_number")
        when = _time_arg(unix_time)
        items = list((usage or {}).items())
        entries = (_UsageEntry * len(items))()
        for i, (name, used) in enumerate(items):
            if isinstance(used, bool) or not isinstance(used, int) or not 0 <= used < 2**64:
                raise ValueError(f"usage of {name!r} must be an int in [0, 2**64), not {used!r}")
            entries[i].limit = _name_arg(name)
            entries[i].usage = used
        out = c_void_p()
        with _Use(self) as s, _Use(_validator_arg(validator)) as v:
            rc = self._lib.lic_store_status(
                s, v, serial, when, entries if items else None, len(items), byref(out)
            )
            if rc != Result.OK:
                _raise(rc)
        return Status(out.value)

    def __repr__(self) -> str:
        return f"<Store {os.fspath(self.dir)!r}{' (closed)' if self.closed else ''}>"
