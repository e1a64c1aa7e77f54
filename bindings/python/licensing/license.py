"""A license that passed validation (``lic_license``)."""

from __future__ import annotations

import threading
from ctypes import byref, c_int, c_int64, c_size_t, c_uint32, c_uint64
from datetime import datetime
from typing import Dict, List, Optional, Tuple

from . import _native
from ._calls import check, datetime_of, name_bytes, read_string
from ._handle import Handle, Use
from .enums import Enforcement, LicenseType, Purpose, ResultCode, State, Usage
from .errors import ClosedError

# ---------------------------------------------------------------------------
# Features and limits, read once per verification
# ---------------------------------------------------------------------------

#: What a limit's enforcement makes of a usage over it (the C ABI's mapping,
#: lic_license_limit_bounds_at): not a rule of the binding's.
_OVER = {Enforcement.HARD: Usage.OVER_HARD_LIMIT, Enforcement.SOFT: Usage.OVER_SOFT_LIMIT}
_NEAR, _WITHIN, _UNLIMITED = Usage.NEAR, Usage.WITHIN, Usage.UNLIMITED
_MAX_USAGE = 2**64 - 1


class _Grants:
    """A validated license's features and limits, read once through the C
    ABI (``lic_license_feature_at``, ``lic_license_limit_at``,
    ``lic_license_limit_bounds_at``) and never changed: every License of the
    same verification shares them. Each name is a key twice, as the str and
    as its UTF-8 bytes (what the ``_n`` calls took).

    - ``features``: frozenset of the feature names;
    - ``values``, ``enforcements``: dict of limit name -> value, Enforcement;
    - ``bounds``: dict of limit name -> (value, near_from, level over it),
      the bounds the library computes (near_from: where NEAR starts);
    - ``feature_names``, ``limits``: the names in the library's order
      (sorted), and the limits as (name, value), for the enumerations.

    The dicts are private and never written after they are built (Python
    has no frozen dict; a MappingProxyType would double the cost of a
    lookup)."""

    __slots__ = ("features", "values", "enforcements", "bounds", "feature_names", "limits")

    def __init__(self, lib, p: int):
        n = c_size_t()
        check(lib.lic_license_feature_count(p, byref(n)))
        names = tuple(read_string(lib.lic_license_feature_at, p, i) for i in range(n.value))
        check(lib.lic_license_limit_count(p, byref(n)))
        value, near_from, enforcement = c_uint64(), c_uint64(), c_int()
        limits, values, enforcements, bounds = [], {}, {}, {}
        for i in range(n.value):
            name = read_string(lib.lic_license_limit_at, p, i)
            check(lib.lic_license_limit_bounds_at(
                p, i, byref(value), byref(near_from), byref(enforcement)
            ))
            e = Enforcement(enforcement.value)
            limits.append((name, value.value))
            for key in (name, name.encode("utf-8")):
                values[key] = value.value
                enforcements[key] = e
                bounds[key] = (value.value, near_from.value, _OVER[e])
        self.features = frozenset(names) | frozenset(n.encode("utf-8") for n in names)
        self.feature_names = names
        self.limits = tuple(limits)
        self.values = values
        self.enforcements = enforcements
        self.bounds = bounds


#: The grants read, by verification number (``lic_license_verification_id``:
#: unique in the process, never reused, the same for every validation a
#: validator answers from its cache of verified files). At most
#: _GRANTS_CACHE_SIZE verifications, the oldest dropped first: a License
#: keeps its own grants, so dropping one only costs a later validation of
#: the same bytes one read. Lookups take no lock (a dict lookup is atomic);
#: additions and evictions take _grants_lock.
_GRANTS_CACHE_SIZE = 64
_grants_by_id: Dict[int, _Grants] = {}
_grants_lock = threading.Lock()


def _grants_of(lib, p: int) -> _Grants:
    vid = c_uint64()
    check(lib.lic_license_verification_id(p, byref(vid)))
    key = vid.value
    grants = _grants_by_id.get(key)
    if grants is None:
        read = _Grants(lib, p)
        with _grants_lock:
            grants = _grants_by_id.setdefault(key, read)
            while len(_grants_by_id) > _GRANTS_CACHE_SIZE:
                del _grants_by_id[next(iter(_grants_by_id))]
    return grants


class _Closed:
    """A closed License's grants: every lookup raises ClosedError, as the
    native calls of a closed handle do."""

    __slots__ = ()

    def _raise(self, *args):
        raise ClosedError(
            ResultCode.NULL_ARGUMENT, "the license is closed: it cannot be used after close()"
        )

    __contains__ = get = _raise

    def __getattr__(self, name):
        self._raise()


_CLOSED = _Closed()


class _NotRead(Exception):
    """A License's grants are not read yet: raised by _UNREAD's lookups,
    caught by the License's (the first lookup reads them)."""


class _Unread:
    """A License's grants before its first lookup."""

    __slots__ = ()

    def _raise(self, *args):
        raise _NotRead

    __contains__ = get = _raise

    def __getattr__(self, name):
        raise _NotRead


_UNREAD = _Unread()


class License(Handle):
    """A license that passed validation. Immutable and safe to read from
    many threads. It stays valid after its validator is closed.

    Its features and limits are read once per verification (see _Grants)
    and answered from Python's own collections: :meth:`has_feature`,
    :meth:`limit`, :meth:`limit_enforcement`, :meth:`check_usage`,
    :attr:`features`, :attr:`limits` make no native call for a str name."""

    _kind = "license"

    def __init__(self, ptr: int, lib=None):
        if lib is None:
            lib = _native.library()
        super().__init__(ptr, lib.lic_license_free)
        self._lib = lib
        # The grants, read by the first lookup (_read): a validation whose
        # license is never asked about reads nothing. Until then each is
        # _UNREAD, whose lookups raise _NotRead (the lookups catch it). All
        # five are set here, so that every License has the same attributes
        # in the same order (CPython then specializes their reads).
        self._grants = self._features = self._values = _UNREAD
        self._enforcements = self._bounds = _UNREAD

    def _read(self) -> _Grants:
        """The grants, read now (at the first lookup): the ones read for
        this verification before when the cache has them."""
        p = self._acquire()
        try:
            grants = _grants_of(self._lib, p)
            # Set while the handle is held: a close() waits, then sets _CLOSED.
            self._features = grants.features
            self._values = grants.values
            self._enforcements = grants.enforcements
            self._bounds = grants.bounds
            self._grants = grants
        finally:
            self._release()
        return grants

    def _read_grants(self) -> _Grants:
        grants = self._grants
        if grants is _UNREAD:
            grants = self._read()
        return grants

    def close(self) -> None:
        """Frees the handle; safe to call more than once. Lookups raise
        :class:`ClosedError` from then on, like every other getter."""
        super().close()
        self._grants = self._features = self._values = _CLOSED
        self._enforcements = self._bounds = _CLOSED

    def _get(self, fn, ctype, *args):
        out = ctype()
        with Use(self) as p:
            check(fn(p, *args, byref(out)))
        return out.value

    def _string(self, fn) -> str:
        with Use(self) as p:
            return read_string(fn, p)

    # -- time ----------------------------------------------------------------

    @property
    def state(self) -> State:
        """Where the license stands in time (see also :attr:`days_left`)."""
        out = c_int()
        with Use(self) as p:
            check(self._lib.lic_license_state(p, byref(out), None))
        return State(out.value)

    @property
    def days_left(self) -> Optional[int]:
        """Days left at the time the license was validated at: until it
        expires (active, expiring soon) or until its grace period ends (in
        grace); None for a license that never expires."""
        out = c_uint32()
        with Use(self) as p:
            rc = self._lib.lic_license_days_left(p, byref(out))
        if rc == ResultCode.NEVER_EXPIRES:
            return None
        check(rc)
        return out.value

    def state_and_days_left(self) -> Tuple[State, Optional[int]]:
        return self.state, self.days_left

    @property
    def expires_at(self) -> Optional[datetime]:
        """When the license expires (the first second after its end date),
        in UTC; None when it never expires."""
        out = c_int64()
        with Use(self) as p:
            rc = self._lib.lic_license_expires_at(p, byref(out))
        if rc == ResultCode.NEVER_EXPIRES:
            return None
        check(rc)
        return datetime_of(out.value)

    @property
    def issued_at(self) -> datetime:
        """When the license was issued, in UTC."""
        return datetime_of(self._get(self._lib.lic_license_issued_at, c_int64))

    @property
    def revision(self) -> int:
        """The subscription's revision: a renewal has a higher one."""
        return self._get(self._lib.lic_license_revision, c_uint32)

    @property
    def license_type(self) -> LicenseType:
        return LicenseType(self._get(self._lib.lic_license_type, c_int))

    @property
    def purpose(self) -> Purpose:
        return Purpose(self._get(self._lib.lic_license_purpose, c_int))

    # -- features and limits -------------------------------------------------

    # A str name is looked up as it is: found, the answer is the grants';
    # not found, the license has no such feature or limit (a str with a NUL,
    # or the empty str, names none: the library refuses such names at issue
    # time), after checking that it can be passed as UTF-8 (a lone
    # surrogate raises UnicodeEncodeError, a ValueError, as before any
    # native call). A bytes name is looked up as it is too; bytes not found
    # go to the native _n call, which refuses bytes that are not UTF-8 as a
    # limit's name (LIC_INVALID_UTF8). Another type is looked up as the
    # UTF-8 of its str().

    def has_feature(self, name: str) -> bool:
        """Whether the license grants the feature ``name``."""
        try:
            if name in self._features:
                return True
        except TypeError:  # unhashable (a bytearray)
            return name_bytes(name) in self._features
        except _NotRead:
            self._read()
            return self.has_feature(name)
        if name.__class__ is str and name.isascii():
            return False
        return name_bytes(name) in self._features

    def limit(self, name: str) -> Optional[int]:
        """The limit's value, or None when the license sets no such limit."""
        try:
            value = self._values.get(name)
        except TypeError:
            return self._limit_other(name)
        except _NotRead:
            self._read()
            return self.limit(name)
        if value is not None or name.__class__ is str and name.isascii():
            return value
        return self._limit_other(name)

    def limit_enforcement(self, name: str) -> Optional[Enforcement]:
        """HARD or SOFT, or None when the license sets no such limit."""
        try:
            enforcement = self._enforcements.get(name)
        except TypeError:
            return self._limit_enforcement_other(name)
        except _NotRead:
            self._read()
            return self.limit_enforcement(name)
        if enforcement is not None or name.__class__ is str and name.isascii():
            return enforcement
        return self._limit_enforcement_other(name)

    def check_usage(self, name: str, usage: int) -> Usage:
        """How ``usage`` compares with the limit ``name``: over it (hard or
        soft, by the limit's enforcement) above its value, else NEAR from the
        usage the library says near starts at, else WITHIN; UNLIMITED when
        the license sets no such limit."""
        if usage.__class__ is not int or not 0 <= usage <= _MAX_USAGE:
            usage = _usage_arg(usage)
        try:
            bounds = self._bounds.get(name)
        except TypeError:
            return self._check_usage_other(name, usage)
        except _NotRead:
            self._read()
            return self.check_usage(name, usage)
        if bounds is not None:
            value, near_from, over = bounds
            if usage > value:
                return over
            return _NEAR if usage >= near_from else _WITHIN
        if name.__class__ is str and name.isascii():
            return _UNLIMITED
        return self._check_usage_other(name, usage)

    @property
    def features(self) -> List[str]:
        """The features granted, sorted."""
        return list(self._read_grants().feature_names)

    @property
    def limits(self) -> Dict[str, int]:
        """Every limit's value by name."""
        return dict(self._read_grants().limits)

    # Names not found as given and not an ASCII str: their UTF-8 bytes are
    # looked up; bytes still not found are the native call's to answer.

    def _other_name(self, name) -> Tuple[bytes, bool]:
        raw = name_bytes(name)
        return raw, raw in self._values or isinstance(name, str)

    def _limit_other(self, name) -> Optional[int]:
        raw, known = self._other_name(name)
        if known:
            return self._values.get(raw)
        out = c_uint64()
        with Use(self) as p:
            rc = self._lib.lic_license_limit_n(p, raw, len(raw), byref(out))
        if rc == ResultCode.NO_SUCH_LIMIT:
            return None
        check(rc)
        return out.value

    def _limit_enforcement_other(self, name) -> Optional[Enforcement]:
        raw, known = self._other_name(name)
        if known:
            return self._enforcements.get(raw)
        out = c_int()
        with Use(self) as p:
            rc = self._lib.lic_license_limit_enforcement_n(p, raw, len(raw), byref(out))
        if rc == ResultCode.NO_SUCH_LIMIT:
            return None
        check(rc)
        return Enforcement(out.value)

    def _check_usage_other(self, name, usage: int) -> Usage:
        raw, known = self._other_name(name)
        if known:
            bounds = self._bounds.get(raw)
            if bounds is None:
                return _UNLIMITED
            return self.check_usage(raw, usage)
        out = c_int()
        with Use(self) as p:
            check(self._lib.lic_license_check_usage_n(p, raw, len(raw), usage, byref(out)))
        return Usage(out.value)

    # -- strings -------------------------------------------------------------

    @property
    def activation_code(self) -> str:
        return self._string(self._lib.lic_license_activation_code)

    @property
    def serial_number(self) -> str:
        """The serial number of the environment the license is bound to."""
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
            f"{state} days_left={days}>"
        )


def _usage_arg(usage) -> int:
    if isinstance(usage, bool) or not isinstance(usage, int) or not 0 <= usage <= _MAX_USAGE:
        raise ValueError(f"usage must be an int in [0, 2**64), not {usage!r}")
    return int(usage)
