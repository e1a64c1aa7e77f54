"""Finding and loading the native library, and the C prototypes.

The loading rule, the same in every binding of the library:

1. an explicit path: :func:`load_library` called before first use;
2. the environment variable ``LICENSING_LIBRARY`` (a path to the file);
3. the copy bundled with the package: ``licensing/_lib/liblicensing.so``
   (``.dylib``, ``.dll``), which the wheel carries (a plain copy of the
   package directory has none, and goes on to step 4);
4. the system's search path: the platform's file name (``liblicensing.so``,
   ``liblicensing.dylib``, ``licensing.dll``) as the dynamic loader finds it
   (``LD_LIBRARY_PATH``, rpath, the loader's cache...), then what
   ``ctypes.util.find_library("licensing")`` names.

A path that applies and does not load is an error (1, 2, or a bundled copy
that is there but broken): the rule does not fall through to the system's
search path, so a wrong path never loads another copy silently.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from ctypes import (
    CFUNCTYPE,
    POINTER,
    c_bool,
    c_char,
    c_char_p,
    c_int,
    c_int32,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import List, Optional, Tuple

#: The environment variable naming the library file (step 2 of the rule).
ENV_VAR = "LICENSING_LIBRARY"

#: ``LIC_NOW``: validate at the system clock's time.
NOW = -(2**63)

#: ``lic_anchor_load_fn``'s answers (``LIC_ANCHOR_FOUND``, ...), and the most
#: bytes an anchor is ever asked to keep under one key (``LIC_ANCHOR_MAX_LEN``).
ANCHOR_FOUND = 0
ANCHOR_NOT_FOUND = 1
ANCHOR_FAILED = 2
ANCHOR_MAX_LEN = 1024

if sys.platform == "darwin":
    FILE_NAME, SEARCH_PATH_VAR = "liblicensing.dylib", "DYLD_LIBRARY_PATH"
elif sys.platform == "win32":
    FILE_NAME, SEARCH_PATH_VAR = "licensing.dll", "PATH"
else:
    FILE_NAME, SEARCH_PATH_VAR = "liblicensing.so", "LD_LIBRARY_PATH"


#: Where the package carries its own copy of the library (step 3 of the rule):
#: the wheel puts it there; a source tree or a copied package directory has none.
BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_lib", FILE_NAME)


class LibraryNotFoundError(OSError):
    """The shared library could not be found or loaded."""


_P = c_void_p


class UsageEntry(ctypes.Structure):
    """``lic_usage_entry``: one usage figure for a limit."""

    _fields_ = [("limit", c_char_p), ("usage", c_uint64)]


_STRING_GETTER = ([_P, POINTER(c_char), c_size_t, POINTER(c_size_t)], c_uint32)
_INDEXED_STRING_GETTER = ([_P, c_size_t, POINTER(c_char), c_size_t, POINTER(c_size_t)], c_uint32)
_BYTES = POINTER(c_uint8)

#: ``lic_anchor_load_fn``: (context, key, buf, len, written) -> int32.
AnchorLoadFn = CFUNCTYPE(c_int32, c_void_p, c_char_p, _BYTES, c_size_t, POINTER(c_size_t))
#: ``lic_anchor_save_fn``: (context, key, bytes, len) -> int32 (0: kept).
AnchorSaveFn = CFUNCTYPE(c_int32, c_void_p, c_char_p, _BYTES, c_size_t)

# Enums are C ints in the out-parameters (c_int); lic_result is uint32_t.
# Names given as pointer + length (``const uint8_t *``) are c_char_p: it
# passes a bytes object's buffer as is, without a copy or a strlen.
PROTOTYPES = {
    "lic_version": ([], c_char_p),
    "lic_set_license_source": ([c_char_p], c_uint32),
    # Results.
    "lic_result_is_license_invalid": ([c_uint32], c_bool),
    "lic_result_is_misuse": ([c_uint32], c_bool),
    "lic_result_is_environment": ([c_uint32], c_bool),
    "lic_result_message": ([c_uint32, POINTER(c_char), c_size_t], c_size_t),
    "lic_last_error_message": ([POINTER(c_char), c_size_t, POINTER(c_size_t)], c_uint32),
    "lic_serial_number_this_machine": ([POINTER(c_char), c_size_t, POINTER(c_size_t)], c_uint32),
    # The validator.
    "lic_validator_new": ([_BYTES, c_size_t, POINTER(_P)], c_uint32),
    "lic_validator_new_for_platform": ([_BYTES, c_size_t, c_char_p, POINTER(_P)], c_uint32),
    "lic_validator_free": ([_P], None),
    # The license file as c_char_p: ctypes passes the bytes object's own
    # buffer (no copy, no cast per call).
    "lic_validator_validate": (
        [_P, c_char_p, c_size_t, c_char_p, c_char_p, c_int64, POINTER(_P)],
        c_uint32,
    ),
    # A license.
    "lic_license_free": ([_P], None),
    "lic_license_state": ([_P, POINTER(c_int), POINTER(c_uint32)], c_uint32),
    "lic_license_days_left": ([_P, POINTER(c_uint32)], c_uint32),
    "lic_license_has_feature": ([_P, c_char_p], c_bool),
    "lic_license_has_feature_n": ([_P, c_char_p, c_size_t], c_bool),
    "lic_license_limit": ([_P, c_char_p, POINTER(c_uint64)], c_uint32),
    "lic_license_limit_n": ([_P, c_char_p, c_size_t, POINTER(c_uint64)], c_uint32),
    "lic_license_limit_enforcement": ([_P, c_char_p, POINTER(c_int)], c_uint32),
    "lic_license_limit_enforcement_n": ([_P, c_char_p, c_size_t, POINTER(c_int)], c_uint32),
    "lic_license_check_usage": ([_P, c_char_p, c_uint64, POINTER(c_int)], c_uint32),
    "lic_license_check_usage_n": ([_P, c_char_p, c_size_t, c_uint64, POINTER(c_int)], c_uint32),
    "lic_license_expires_at": ([_P, POINTER(c_int64)], c_uint32),
    "lic_license_issued_at": ([_P, POINTER(c_int64)], c_uint32),
    "lic_license_revision": ([_P, POINTER(c_uint32)], c_uint32),
    "lic_license_type": ([_P, POINTER(c_int)], c_uint32),
    "lic_license_purpose": ([_P, POINTER(c_int)], c_uint32),
    "lic_license_feature_count": ([_P, POINTER(c_size_t)], c_uint32),
    "lic_license_limit_count": ([_P, POINTER(c_size_t)], c_uint32),
    "lic_license_feature_at": _INDEXED_STRING_GETTER,
    "lic_license_limit_at": _INDEXED_STRING_GETTER,
    # What a License reads once per verification (license.py): each limit's
    # value, the usage from which it is near, and its enforcement; and the
    # number of the verification, which keys what was read.
    "lic_license_limit_bounds_at": (
        [_P, c_size_t, POINTER(c_uint64), POINTER(c_uint64), POINTER(c_int)],
        c_uint32,
    ),
    "lic_license_verification_id": ([_P, POINTER(c_uint64)], c_uint32),
    "lic_license_activation_code": _STRING_GETTER,
    "lic_license_serial_number": _STRING_GETTER,
    "lic_license_organization": _STRING_GETTER,
    "lic_license_edition": _STRING_GETTER,
    "lic_license_support": _STRING_GETTER,
    "lic_license_environment_name": _STRING_GETTER,
    "lic_license_id": _STRING_GETTER,
    # The store.
    "lic_store_open": ([c_char_p, POINTER(_P)], c_uint32),
    "lic_store_create": ([c_char_p, POINTER(_P)], c_uint32),
    "lic_store_open_with_clock_tolerance": ([c_char_p, c_int64, POINTER(_P)], c_uint32),
    "lic_store_serial_number": _STRING_GETTER,
    "lic_store_free": ([_P], None),
    "lic_store_install": (
        [_P, _P, _BYTES, c_size_t, c_char_p, c_int64, c_bool, POINTER(_P)],
        c_uint32,
    ),
    "lic_store_restore": ([_P, _P, c_char_p, c_int64, POINTER(_P)], c_uint32),
    "lic_store_backup": ([_P, _P, c_char_p, c_int64, POINTER(_P)], c_uint32),
    "lic_store_status": (
        [_P, _P, c_char_p, c_int64, POINTER(UsageEntry), c_size_t, POINTER(_P)],
        c_uint32,
    ),
    "lic_store_preview_status": (
        [_P, _P, c_char_p, c_int64, POINTER(UsageEntry), c_size_t, POINTER(_P)],
        c_uint32,
    ),
    # The vendor's grants, and an anchor of the host's.
    "lic_store_install_trial_extension": (
        [_P, _P, _BYTES, c_size_t, c_char_p, c_int64, POINTER(c_int64)],
        c_uint32,
    ),
    "lic_store_reset_clock": (
        [_P, _P, _BYTES, c_size_t, c_char_p, c_int64, POINTER(c_int64)],
        c_uint32,
    ),
    "lic_store_with_anchor": ([_P, AnchorLoadFn, AnchorSaveFn, c_void_p, POINTER(_P)], c_uint32),
    # The offline exchange: the activation request and usage report (string
    # getters after their arguments; the purpose is an int32_t of
    # lic_purpose's values), and the infrastructure's usage summary.
    "lic_store_activation_request": (
        [_P, c_char_p, c_char_p, c_int32, c_char_p, c_int64, POINTER(c_char), c_size_t,
         POINTER(c_size_t)],
        c_uint32,
    ),
    "lic_store_usage_report": (
        [_P, _P, c_char_p, c_int64, POINTER(c_char), c_size_t, POINTER(c_size_t)],
        c_uint32,
    ),
    "lic_store_install_usage_summary": ([_P, _P, _BYTES, c_size_t, c_char_p, c_int64], c_uint32),
    # A status.
    "lic_status_free": ([_P], None),
    "lic_status_standing": ([_P, POINTER(c_int), POINTER(c_uint32)], c_uint32),
    "lic_status_days_left": ([_P, POINTER(c_uint32)], c_uint32),
    "lic_status_may_run": ([_P], c_bool),
    "lic_status_may_publish": ([_P], c_bool),
    "lic_status_may_administer": ([_P], c_bool),
    "lic_status_warning_count": ([_P, POINTER(c_size_t)], c_uint32),
    "lic_status_warning_at": _INDEXED_STRING_GETTER,
    "lic_status_license": ([_P, POINTER(_P)], c_uint32),
    "lic_status_judged_at": ([_P, POINTER(c_int64)], c_uint32),
    "lic_status_run_reason": _STRING_GETTER,
    "lic_status_publish_reason": _STRING_GETTER,
    "lic_status_administer_reason": _STRING_GETTER,
}

_lock = threading.Lock()
_lib = None
_loaded_from: Optional[str] = None


def _fix() -> str:
    return (
        f"Fix: set {ENV_VAR} to the path of {FILE_NAME} (built by `cargo build` "
        f"as target/debug/{FILE_NAME}), call licensing.load_library(path) before "
        f"first use, install the licensing wheel (it bundles {FILE_NAME}), or "
        f"install {FILE_NAME} where the system's loader finds it (a directory in "
        f"{SEARCH_PATH_VAR}, or a system library directory)."
    )


def load(path: str, given_by: str):
    """Loads the library file ``path`` (named by ``given_by``, for the
    message) and sets the prototypes. Raises :class:`LibraryNotFoundError`
    when it does not load or lacks a function of the binding."""
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        missing = "" if os.path.exists(path) else ", which does not exist"
        raise LibraryNotFoundError(
            f"the licensing library could not be loaded from {path} (given by "
            f"{given_by}{missing}): {e}. {_fix()}"
        ) from e
    return _prototyped(lib, path)


def _prototyped(lib, where: str):
    missing = []
    for name, (argtypes, restype) in PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.argtypes = argtypes
        fn.restype = restype
    if missing:
        raise LibraryNotFoundError(
            f"the library loaded from {where} lacks the functions {', '.join(missing)}: "
            f"it is not liblicensing, or older than this binding. Fix: point {ENV_VAR} "
            "(or licensing.load_library) at a current build (`cargo build`)."
        )
    return lib


def system_names() -> List[str]:
    """The names step 4 of the rule gives the system's loader, in order."""
    names = [FILE_NAME]
    found = ctypes.util.find_library("licensing")
    if found and found not in names:
        names.append(found)
    return names


def load_by_rule(environ=os.environ, names=None, bundled=None) -> Tuple[object, str]:
    """Steps 2 to 4 of the rule: the library and where it was loaded from."""
    explicit = environ.get(ENV_VAR)
    if explicit:
        return load(explicit, f"the environment variable {ENV_VAR}"), explicit
    bundled = BUNDLED if bundled is None else bundled
    if os.path.exists(bundled):
        return load(bundled, "the copy bundled with the licensing package"), bundled
    tried = []
    for name in system_names() if names is None else names:
        try:
            return _prototyped(ctypes.CDLL(name), name), name
        except OSError as e:
            tried.append(f"{name} ({e})")
    raise LibraryNotFoundError(
        f"the licensing library was not found: {ENV_VAR} is not set, the package "
        f"bundles no copy ({bundled} does not exist: a wheel of the binding has one), "
        f"and the system's search path ({SEARCH_PATH_VAR}={environ.get(SEARCH_PATH_VAR, '')!r} "
        f"and the system library directories) has no {FILE_NAME}. Tried: "
        + "; ".join(tried)
        + f". {_fix()}"
    )


def library():
    """The loaded library, loaded by the rule on first use."""
    global _lib, _loaded_from
    lib = _lib
    if lib is None:
        with _lock:
            if _lib is None:
                _lib, _loaded_from = load_by_rule()
            lib = _lib
    return lib


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a == b


def load_library(path) -> None:
    """Loads the native library from ``path`` (step 1 of the loading rule,
    before ``LICENSING_LIBRARY``, the bundled copy and the system's search
    path). Call it before the first use of the binding; calling it again
    with the same file does nothing. Raises :class:`LibraryNotFoundError` when the file
    does not load, and RuntimeError when another library is already in use."""
    global _lib, _loaded_from
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    with _lock:
        if _lib is not None:
            if _same_file(path, _loaded_from):
                return
            raise RuntimeError(
                f"licensing.load_library({path!r}): the library is already loaded from "
                f"{_loaded_from}, and handles made with it may be in use. Fix: call "
                "load_library before the first use of the binding (before any "
                "Validator, Store or other call)."
            )
        _lib = load(path, f"licensing.load_library({path!r})")
        _loaded_from = path


def find_library() -> str:
    """Where the library in use was loaded from (loading it by the rule if
    needed): the path given to :func:`load_library` or in
    ``LICENSING_LIBRARY``, else the package's bundled copy (:data:`BUNDLED`),
    else the name the system's loader resolved."""
    library()
    return _loaded_from


def version() -> str:
    """The library's version, like ``0.1.0``."""
    return library().lic_version().decode("utf-8")
