"""The license store (``lic_store``) and the status it gives
(``lic_status``)."""

from __future__ import annotations

import os
from ctypes import byref, c_int, c_int64, c_size_t, c_uint32, c_void_p
from datetime import datetime
from typing import Dict, List, Optional, Tuple, Union

from . import _native
from ._calls import (
    check,
    bytes_arg,
    datetime_of,
    error,
    name_arg,
    path_arg,
    read_string,
    text_arg,
    time_arg,
    u8_ptr,
)
from ._handle import Handle, Use
from .enums import ResultCode, Standing
from .license import License
from .validator import Validator

Time = Union[None, int, datetime]


class Status(Handle):
    """A licensing status: where the environment stands, what needs
    attention (:attr:`warnings`) and what it may do (:attr:`may_run`,
    :attr:`may_publish`, :attr:`may_administer`). Immutable: a snapshot
    taken by :meth:`Store.status`."""

    _kind = "status"

    def __init__(self, ptr: int):
        lib = _native.library()
        super().__init__(ptr, lib.lic_status_free)
        self._lib = lib

    @property
    def standing(self) -> Standing:
        out = c_int()
        with Use(self) as p:
            check(self._lib.lic_status_standing(p, byref(out), None))
        return Standing(out.value)

    @property
    def days_left(self) -> Optional[int]:
        """Days until the license expires (active, expiring soon), until its
        grace period ends (in grace) or until the trial ends (trial); 0 when
        expired, not valid here or past the trial; None for a license that
        never expires."""
        out = c_uint32()
        with Use(self) as p:
            rc = self._lib.lic_status_days_left(p, byref(out))
        if rc == ResultCode.NEVER_EXPIRES:
            return None
        check(rc)
        return out.value

    def standing_and_days_left(self) -> Tuple[Standing, Optional[int]]:
        return self.standing, self.days_left

    def _decision(self, fn) -> bool:
        with Use(self) as p:
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
        with Use(self) as p:
            return read_string(fn, p)

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
    def judged_at(self) -> datetime:
        """When the license was judged, in UTC: the time given to
        :meth:`Store.status`, or the latest time the store had seen when the
        clock was turned back."""
        out = c_int64()
        with Use(self) as p:
            check(self._lib.lic_status_judged_at(p, byref(out)))
        return datetime_of(out.value)

    @property
    def warnings(self) -> List[str]:
        """What needs attention, in words."""
        with Use(self) as p:
            n = c_size_t()
            check(self._lib.lic_status_warning_count(p, byref(n)))
            return [read_string(self._lib.lic_status_warning_at, p, i) for i in range(n.value)]

    def license(self) -> Optional[License]:
        """The valid license the status is based on, or None (trial, expired
        or invalid license: ``LIC_NO_LICENSE``)."""
        out = c_void_p()
        with Use(self) as p:
            rc = self._lib.lic_status_license(p, byref(out))
            if rc == ResultCode.NO_LICENSE:
                return None
            if rc != ResultCode.OK:
                raise error(rc)
        return License(out.value)

    def __repr__(self) -> str:
        if self.closed:
            return "<Status (closed)>"
        return (
            f"<Status {self.standing} days_left={self.days_left} run={self.may_run} "
            f"publish={self.may_publish} warnings={len(self.warnings)}>"
        )


def _validator_arg(validator) -> Validator:
    if not isinstance(validator, Validator):
        raise TypeError(f"validator must be a Validator, not {type(validator).__name__}")
    return validator


class Store(Handle):
    """A license store in a directory, created if needed: the active
    license, the previous one, the trial and clock record, and the
    environment's fingerprint record. Safe to share between threads (and
    processes: changes are serialized by a lock file).

    The calls given ``serial_number=None`` use :attr:`serial_number`."""

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
        lib = _native.library()
        raw = path_arg(dir)
        out = c_void_p()
        if clock_tolerance_seconds is None:
            check(lib.lic_store_open(raw, byref(out)))
        else:
            check(lib.lic_store_open_with_clock_tolerance(raw, clock_tolerance_seconds, byref(out)))
        super().__init__(out.value, lib.lic_store_free)
        self._lib = lib
        self.dir = dir

    @property
    def serial_number(self) -> str:
        """This environment's serial number as the store keeps it: from the
        pinned identity (``LICENSING_IDENTITY`` / ``LICENSING_IDENTITY_FILE``)
        or the hardware (below ``LICENSING_HARDWARE_ROOT`` when set),
        reconciled with the fingerprint record in the store's directory, so
        that it stays the same while most recorded hardware components are
        still there. Read once per store: open a new Store to see hardware
        changed since."""
        with Use(self) as p:
            return read_string(self._lib.lic_store_serial_number, p)

    def install(
        self,
        validator: Validator,
        license_file: Union[bytes, str],
        serial_number: Optional[str] = None,
        unix_time: Time = None,
        force: bool = False,
    ) -> License:
        """Validates ``license_file`` for this environment (``serial_number``;
        None: :attr:`serial_number`) at ``unix_time`` (None: now), then makes
        it the active license, keeping the previous one as the backup.
        Raises a :class:`LicenseInvalid` subclass when it is not valid and
        :class:`Downgrade` for an older revision of the installed license
        unless ``force``."""
        data = bytes_arg(license_file, "license_file")
        serial = text_arg(serial_number, "serial_number")
        when = time_arg(unix_time)
        out = c_void_p()
        with Use(self) as s, Use(_validator_arg(validator)) as v:
            rc = self._lib.lic_store_install(
                s, v, u8_ptr(data), len(data), serial, when, bool(force), byref(out)
            )
            if rc != ResultCode.OK:
                raise error(rc)
        return License(out.value)

    def restore(
        self,
        validator: Validator,
        serial_number: Optional[str] = None,
        unix_time: Time = None,
    ) -> License:
        """Brings the previous license back (validated first); the current
        one becomes the backup. Raises :class:`NoBackup` when there is none."""
        serial = text_arg(serial_number, "serial_number")
        when = time_arg(unix_time)
        out = c_void_p()
        with Use(self) as s, Use(_validator_arg(validator)) as v:
            rc = self._lib.lic_store_restore(s, v, serial, when, byref(out))
            if rc != ResultCode.OK:
                raise error(rc)
        return License(out.value)

    def backup(
        self,
        validator: Validator,
        serial_number: Optional[str] = None,
        unix_time: Time = None,
    ) -> Optional[License]:
        """The license :meth:`restore` would bring back (the one the last
        install or restore replaced), validated, without changing anything:
        for an administrator to see before restoring. None when there is no
        backup; raises a :class:`LicenseInvalid` subclass (such as
        :class:`Expired` or :class:`WrongSerial`) when it is not valid here,
        as :meth:`restore` would."""
        serial = text_arg(serial_number, "serial_number")
        when = time_arg(unix_time)
        out = c_void_p()
        with Use(self) as s, Use(_validator_arg(validator)) as v:
            rc = self._lib.lic_store_backup(s, v, serial, when, byref(out))
            if rc == ResultCode.NO_BACKUP:
                return None
            if rc != ResultCode.OK:
                raise error(rc)
        return License(out.value)

    def status(
        self,
        validator: Validator,
        serial_number: Optional[str] = None,
        unix_time: Time = None,
        usage: Optional[Dict[str, int]] = None,
    ) -> Status:
        """The licensing status at ``unix_time`` (None: now) given the host's
        usage figures by limit name. Starts the trial on the first call
        without a license and records the clock."""
        serial = text_arg(serial_number, "serial_number")
        when = time_arg(unix_time)
        items = list((usage or {}).items())
        entries = (_native.UsageEntry * len(items))()
        for i, (name, used) in enumerate(items):
            if isinstance(used, bool) or not isinstance(used, int) or not 0 <= used < 2**64:
                raise ValueError(f"usage of {name!r} must be an int in [0, 2**64), not {used!r}")
            entries[i].limit = name_arg(name)
            entries[i].usage = used
        out = c_void_p()
        with Use(self) as s, Use(_validator_arg(validator)) as v:
            rc = self._lib.lic_store_status(
                s, v, serial, when, entries if items else None, len(items), byref(out)
            )
            if rc != ResultCode.OK:
                raise error(rc)
        return Status(out.value)

    def __repr__(self) -> str:
        return f"<Store {os.fspath(self.dir)!r}{' (closed)' if self.closed else ''}>"
