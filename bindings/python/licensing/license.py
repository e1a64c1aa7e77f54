"""A license that passed validation (``lic_license``)."""

from __future__ import annotations

from ctypes import byref, c_int, c_int64, c_size_t, c_uint32, c_uint64
from datetime import datetime
from typing import Dict, List, Optional, Tuple

from . import _native
from ._calls import check, datetime_of, name_bytes, read_string
from ._handle import Handle, Use
from .enums import Enforcement, LicenseType, Purpose, ResultCode, State, Usage


class License(Handle):
    """A license that passed validation. Immutable and safe to read from
    many threads. It stays valid after its validator is closed."""

    _kind = "license"

    def __init__(self, ptr: int):
        lib = _native.library()
        super().__init__(ptr, lib.lic_license_free)
        self._lib = lib

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

    # Names pass as UTF-8 bytes with their length (the _n calls). A name with
    # a NUL in it names no feature or limit of any license (the library
    # refuses such names at issue time): has_feature is False, check_usage
    # UNLIMITED, limit and limit_enforcement None.

    def has_feature(self, name: str) -> bool:
        raw = name_bytes(name)
        with Use(self) as p:
            return bool(self._lib.lic_license_has_feature_n(p, raw, len(raw)))

    def limit(self, name: str) -> Optional[int]:
        """The limit's value, or None when the license sets no such limit."""
        raw = name_bytes(name)
        out = c_uint64()
        with Use(self) as p:
            rc = self._lib.lic_license_limit_n(p, raw, len(raw), byref(out))
        if rc == ResultCode.NO_SUCH_LIMIT:
            return None
        check(rc)
        return out.value

    def limit_enforcement(self, name: str) -> Optional[Enforcement]:
        """HARD or SOFT, or None when the license sets no such limit."""
        raw = name_bytes(name)
        out = c_int()
        with Use(self) as p:
            rc = self._lib.lic_license_limit_enforcement_n(p, raw, len(raw), byref(out))
        if rc == ResultCode.NO_SUCH_LIMIT:
            return None
        check(rc)
        return Enforcement(out.value)

    def check_usage(self, name: str, usage: int) -> Usage:
        """How ``usage`` compares with the limit ``name``."""
        if isinstance(usage, bool) or not isinstance(usage, int) or not 0 <= usage < 2**64:
            raise ValueError(f"usage must be an int in [0, 2**64), not {usage!r}")
        raw = name_bytes(name)
        out = c_int()
        with Use(self) as p:
            check(self._lib.lic_license_check_usage_n(p, raw, len(raw), usage, byref(out)))
        return Usage(out.value)

    @property
    def features(self) -> List[str]:
        """The features granted, sorted."""
        with Use(self) as p:
            n = c_size_t()
            check(self._lib.lic_license_feature_count(p, byref(n)))
            return [read_string(self._lib.lic_license_feature_at, p, i) for i in range(n.value)]

    @property
    def limits(self) -> Dict[str, int]:
        """Every limit's value by name."""
        with Use(self) as p:
            n = c_size_t()
            check(self._lib.lic_license_limit_count(p, byref(n)))
            names = [read_string(self._lib.lic_license_limit_at, p, i) for i in range(n.value)]
        return {name: self.limit(name) for name in names}

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
