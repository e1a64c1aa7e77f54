"""The license store (``lic_store``) and the status it gives
(``lic_status``)."""

from __future__ import annotations

import functools
import os
from ctypes import byref, c_int, c_int64, c_size_t, c_uint32, c_void_p
from datetime import datetime
from typing import Dict, List, Optional, Tuple, Union

from . import _anchor, _native
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
from .enums import Purpose, ResultCode, Standing
from .license import License
from .validator import Validator

Time = Union[None, int, datetime]


class Status(Handle):
    """A licensing status: where the environment stands, what needs
    attention (:attr:`warnings`) and what it may do (:attr:`may_run`,
    :attr:`may_publish`, :attr:`may_administer`). Immutable: a snapshot
    taken by :meth:`Store.status` (or :meth:`Store.preview_status`)."""

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
        clock was turned back; the time given to :meth:`Store.preview_status`
        as it is."""
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


Directory = Union[str, bytes, "os.PathLike"]


def _free_keeping(free, keep, ptr) -> None:
    """Frees a store with ``free``; ``keep`` (what the C store calls back)
    is referenced until then."""
    free(ptr)


def _tolerance_arg(clock_tolerance_seconds: Optional[int]) -> Optional[int]:
    if clock_tolerance_seconds is None:
        return None
    if isinstance(clock_tolerance_seconds, bool) or not isinstance(clock_tolerance_seconds, int):
        raise TypeError(
            "clock_tolerance_seconds must be an int or None, not "
            f"{type(clock_tolerance_seconds).__name__}"
        )
    if not -(2**63) <= clock_tolerance_seconds < 2**63:
        raise ValueError(f"clock_tolerance_seconds out of range: {clock_tolerance_seconds!r}")
    return clock_tolerance_seconds


class Store(Handle):
    """A license store in a directory: the active license, the previous
    one, the trial and clock record, and the environment's fingerprint
    record. Safe to share between threads (and processes: changes are
    serialized by a lock file).

    ``Store(dir)`` (or :meth:`Store.open`) opens an existing store and
    raises :class:`NoStore` when the directory holds none, so a mistyped
    path never starts a new store on a fresh trial; :meth:`Store.create`
    makes one (an installer's call).

    The calls given ``serial_number=None`` use :attr:`serial_number`."""

    _kind = "store"

    def __init__(self, dir: Directory, clock_tolerance_seconds: Optional[int] = None):
        """Opens the existing store in ``dir`` (``lic_store_open``); raises
        :class:`NoStore` when the directory holds none (nothing is created).

        ``clock_tolerance_seconds``: how far the clock may be behind the
        latest time the store has seen before a status reports it as turned
        back (None: the library's default, a day; negative counts as 0)."""
        tolerance = _tolerance_arg(clock_tolerance_seconds)
        lib = _native.library()
        raw = path_arg(dir)
        out = c_void_p()
        if tolerance is None:
            check(lib.lic_store_open(raw, byref(out)))
        else:
            check(lib.lic_store_open_with_clock_tolerance(raw, tolerance, byref(out)))
        self._own(lib, out.value, dir)

    def _own(self, lib, ptr: int, dir: Directory, anchor=None, callbacks=()) -> None:
        free = lib.lic_store_free
        if callbacks:
            # The C callbacks must outlive the C store: the release holds
            # them until the store is freed (and the Store holds them too).
            free = functools.partial(_free_keeping, lib.lic_store_free, callbacks)
        super().__init__(ptr, free)
        self._lib = lib
        self.dir = dir
        self._anchor = anchor
        self._anchor_callbacks = callbacks

    @classmethod
    def open(cls, dir: Directory, clock_tolerance_seconds: Optional[int] = None) -> "Store":
        """The same as ``Store(dir, clock_tolerance_seconds)``: opens the
        existing store in ``dir`` (the name Java's ``Store.open`` and .NET's
        ``Store.Open`` have)."""
        return cls(dir, clock_tolerance_seconds)

    @classmethod
    def create(cls, dir: Directory) -> "Store":
        """Opens the store in ``dir``, creating the directory and an empty
        store in it when there is none (``lic_store_create``: an installer's
        call). An empty store holds only its lock file: the trial starts at
        the first :meth:`status`. The handle has the default clock
        tolerance; open the store with ``Store(dir, clock_tolerance_seconds)``
        for another."""
        lib = _native.library()
        raw = path_arg(dir)
        out = c_void_p()
        check(lib.lic_store_create(raw, byref(out)))
        store = cls.__new__(cls)
        store._own(lib, out.value, dir)
        return store

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

    def install_trial_extension(
        self,
        validator: Validator,
        file: bytes,
        serial_number: Optional[str] = None,
        unix_time: Time = None,
    ) -> int:
        """Installs the vendor's trial extension (``file``: the bytes of a
        ``.lic`` file starting with ``LICT``) for this environment
        (``serial_number``; None: :attr:`serial_number`) at ``unix_time``
        (None: now): the trial then runs until its end, whatever happened to
        the store's state. Returns the trial's new end (Unix seconds).
        Checked by the validator's trusted keys first: raises
        :class:`Malformed` (not a trial extension), :class:`UnknownKey`,
        :class:`BadSignature` or :class:`WrongSerial`."""
        return self._grant(
            self._lib.lic_store_install_trial_extension, validator, file, serial_number, unix_time
        )

    def reset_clock(
        self,
        validator: Validator,
        file: bytes,
        serial_number: Optional[str] = None,
        unix_time: Time = None,
    ) -> int:
        """Applies the vendor's clock reset (``file``: the bytes of a file
        starting with ``LICR``) for this environment: the latest time the
        store has seen goes back to the reset's time, or to ``unix_time``
        (None: now) when that is later (set the clock right first). The
        trial is not reopened. Returns the latest time seen now (Unix
        seconds). Each reset is applied once: raises
        :class:`ClockResetUsed` after that (and when a later one was
        applied); :class:`Malformed`, :class:`UnknownKey`,
        :class:`BadSignature` or :class:`WrongSerial` when it is not valid
        here."""
        return self._grant(
            self._lib.lic_store_reset_clock, validator, file, serial_number, unix_time
        )

    def _grant(self, fn, validator, file, serial_number, unix_time) -> int:
        data = bytes_arg(file, "file")
        serial = text_arg(serial_number, "serial_number")
        when = time_arg(unix_time)
        out = c_int64()
        with Use(self) as s, Use(_validator_arg(validator)) as v:
            rc = fn(s, v, u8_ptr(data), len(data), serial, when, byref(out))
            if rc != ResultCode.OK:
                raise error(rc)
        return out.value

    def with_anchor(self, anchor) -> "Store":
        """A new store like this one (same directory and clock tolerance)
        that keeps its anchor, what the store remembers outside its
        directory, in ``anchor`` instead of ``LICENSING_ANCHOR_DIR`` or the
        default directory: any object with ``load(key: str) -> bytes | None``
        (None: nothing saved under the key) and ``save(key: str, data:
        bytes) -> None`` (replacing what was there), which keep at most
        1024 bytes (``LIC_ANCHOR_MAX_LEN``) under each key. They are called
        from whichever thread uses the new store, so must be thread-safe.

        An anchor that fails never stops the store, it only weakens what
        can be detected: an exception raised by ``load`` or ``save`` (or a
        ``load`` answer that is not bytes, or longer than 1024 bytes) is
        never passed on to the caller; the store treats the anchor as
        unavailable. This store stays open and usable, and is closed
        separately; the new one keeps ``anchor`` alive until it is closed."""
        load, save = _anchor.callbacks(anchor)
        out = c_void_p()
        with Use(self) as s:
            rc = self._lib.lic_store_with_anchor(s, load, save, None, byref(out))
            if rc != ResultCode.OK:
                raise error(rc)
        store = type(self).__new__(type(self))
        store._own(self._lib, out.value, self.dir, anchor, (load, save))
        return store

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
        without a license and records the clock (a store this process may
        only read answers with a warning that it could not record them)."""
        return self._judge(
            self._lib.lic_store_status, validator, serial_number, unix_time, usage
        )

    def preview_status(
        self,
        validator: Validator,
        serial_number: Optional[str] = None,
        *,
        unix_time: Time,
        usage: Optional[Dict[str, int]] = None,
    ) -> Status:
        """What :meth:`status` would say at ``unix_time``, a time of the
        caller's choosing (to show what expiry or the trial's end will look
        like), recording nothing: no trial is started, the latest time the
        store has seen stays, no file is written. It is judged at
        ``unix_time`` as given (not compared with the latest time seen); a
        store whose trial has not started shows the trial as if it started
        then. ``unix_time`` must be given, by name (None: now, still
        recording nothing)."""
        return self._judge(
            self._lib.lic_store_preview_status, validator, serial_number, unix_time, usage
        )

    def _judge(self, fn, validator, serial_number, unix_time, usage) -> Status:
        serial = text_arg(serial_number, "serial_number")
        when = time_arg(unix_time)
        items = list(usage.items()) if usage else ()
        entries = None
        if items:
            entries = (_native.UsageEntry * len(items))()
            for i, (name, used) in enumerate(items):
                if isinstance(used, bool) or not isinstance(used, int) or not 0 <= used < 2**64:
                    raise ValueError(
                        f"usage of {name!r} must be an int in [0, 2**64), not {used!r}"
                    )
                entries[i].limit = name_arg(name)
                entries[i].usage = used
        out = c_void_p()
        with Use(self) as s, Use(_validator_arg(validator)) as v:
            rc = fn(s, v, serial, when, entries, len(items), byref(out))
            if rc != ResultCode.OK:
                raise error(rc)
        return Status(out.value)

    # -- the offline exchange ------------------------------------------------

    def activation_request(
        self,
        activation_code: str,
        environment_name: str,
        purpose: Purpose,
        platform_version: Optional[str] = None,
        unix_time: Time = None,
    ) -> str:
        """This environment's activation request, as armored text (``-----BEGIN
        LICENSING ACTIVATION REQUEST-----``), for the vendor's ``licensing
        register SUBSCRIPTION --request FILE``: :attr:`serial_number` under
        ``activation_code``, with ``environment_name``, ``purpose`` (a
        :class:`Purpose`) and ``platform_version`` (None: not known), written
        at ``unix_time`` (None: now). Raises :class:`InvalidActivationCode`,
        :class:`InvalidEnvironmentName` (empty, over 100 characters or a
        control character), :class:`InvalidPurpose` or
        :class:`InvalidPlatformVersion`, each a ValueError."""
        code = _required_text(activation_code, "activation_code")
        name = _required_text(environment_name, "environment_name")
        version = text_arg(platform_version, "platform_version")
        when = time_arg(unix_time)
        with Use(self) as s:
            return read_string(
                self._lib.lic_store_activation_request, s, code, name, _purpose_arg(purpose),
                version, when,
            )

    def usage_report(
        self,
        validator: Validator,
        serial_number: Optional[str] = None,
        unix_time: Time = None,
    ) -> str:
        """This environment's usage report, as armored text (``-----BEGIN
        LICENSING USAGE REPORT-----``): the installed license's identity and
        limits and the daily peaks the store recorded from the usage given
        to :meth:`status`, written at ``unix_time`` (None: now), for the
        management environment or the vendor (``licensing usage-summary``).
        Raises :class:`NoLicense` when no license is installed, and a
        :class:`LicenseInvalid` subclass when the installed one is not this
        environment's (an expired one still reports)."""
        serial = text_arg(serial_number, "serial_number")
        when = time_arg(unix_time)
        with Use(self) as s, Use(_validator_arg(validator)) as v:
            return read_string(self._lib.lic_store_usage_report, s, v, serial, when)

    def install_usage_summary(
        self,
        validator: Validator,
        summary: Union[bytes, str],
        serial_number: Optional[str] = None,
        unix_time: Time = None,
    ) -> None:
        """Gives the store the infrastructure's usage summary (made by
        ``licensing usage-summary --out`` from the environments' usage
        reports), replacing the one it had: from then on :meth:`status`
        judges the limits summed across the production environments on the
        infrastructure's total (the other environments' peaks in the summary
        plus this one's usage). Raises :class:`NoLicense` when no license is
        installed and :class:`BadUsageSummary` when the summary is damaged
        or of another infrastructure."""
        data = bytes_arg(summary, "summary")
        serial = text_arg(serial_number, "serial_number")
        when = time_arg(unix_time)
        with Use(self) as s, Use(_validator_arg(validator)) as v:
            check(
                self._lib.lic_store_install_usage_summary(
                    s, v, u8_ptr(data), len(data), serial, when
                )
            )

    def __repr__(self) -> str:
        return f"<Store {os.fspath(self.dir)!r}{' (closed)' if self.closed else ''}>"


def _required_text(value: str, what: str) -> bytes:
    if value is None:
        raise TypeError(f"{what} must be str, not None")
    return text_arg(value, what)


def _purpose_arg(purpose: Purpose) -> int:
    """A :class:`Purpose` as the C ABI's int32_t. Any int is passed on as it
    is: the library refuses one that is no purpose (:class:`InvalidPurpose`)."""
    if isinstance(purpose, bool) or not isinstance(purpose, int):
        raise TypeError(f"purpose must be a licensing.Purpose, not {type(purpose).__name__}")
    if not -(2**31) <= purpose < 2**31:
        raise ValueError(f"purpose out of range: {purpose!r}")
    return int(purpose)
