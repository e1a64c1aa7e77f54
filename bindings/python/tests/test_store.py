"""Tests of the license store binding (Store, Status) against the fixtures in
tests/vectors/. Each test uses its own store directory under tmp_path."""

from __future__ import annotations

import ctypes
import gc
import math
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

import licensing
import vectors
from licensing import (
    License,
    LicensingError,
    ResultCode,
    Standing,
    State,
    Status,
    Store,
    Validator,
)
from licensing._handle import Use
from vectors import DEV_SERIAL, EXPIRED, PROD, PROD_LIMITS, PROD_SERIAL, RENEWAL, read, utc

DAY = 86400

# prod.lic (revision 7) through time, from its checks in vectors.json.
PROD_NOW = vectors.PROD_NOW.now  # 2026-06-01T12:00:00Z: active
PROD_EXPIRING = vectors.PROD_EXPIRING  # expiring soon
PROD_IN_GRACE = vectors.PROD_IN_GRACE  # expired, in grace
PROD_PAST_GRACE = vectors.PROD_PAST_GRACE.now  # expired, grace over
# expired.lic (revision 1 of the same subscription) in its grace period.
EXPIRED_IN_GRACE = vectors.EXPIRED_IN_GRACE
PROD_ID, RENEWAL_ID, EXPIRED_ID = PROD["license_id"], RENEWAL["license_id"], EXPIRED["license_id"]
PROD_REV, RENEWAL_REV, EXPIRED_REV = PROD["revision"], RENEWAL["revision"], EXPIRED["revision"]
RENEWAL_LIMITS = {l["name"]: l["value"] for l in RENEWAL["limits"]}
# The hard limit the tests go over, and a soft one.
OBJECTS = PROD_LIMITS["application-objects"]
USERS = PROD_LIMITS["internal-users"]

ACTIVE, BACKUP, STATE = "license.lic", "license.lic.bak", "state"

# The trial's limits (the store's, not a license's).
TRIAL_LIMITS = {"application-objects": 150, "external-users": 100, "internal-users": 10}


def days_until(end: int, now: int) -> int:
    """Days left as the library counts them: a started day counts."""
    return math.ceil((end - now) / DAY)


def snapshot(d: Path) -> dict:
    """Every file of the store with its content (the empty lock file aside)."""
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.name != ".lock"}


def files_of(d: Path) -> dict:
    """Every file of the store with its bytes, the lock file included."""
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


@pytest.fixture
def store(store_dir):
    """A store created in a fresh directory: empty, but for its lock file."""
    with Store.create(store_dir) as s:
        yield s


@pytest.fixture
def prod_store(store, validator):
    """A store with prod.lic installed at PROD_NOW."""
    store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW).close()
    return store


# ---------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# create and open
# ---------------------------------------------------------------------------


def test_create_makes_the_directory_and_an_empty_store(store_dir):
    assert not store_dir.exists()
    with Store.create(store_dir) as s:
        assert isinstance(s, Store)
        assert store_dir.is_dir()
        assert str(store_dir) in repr(s)
    # Only the empty lock file, which marks the directory as a store: no
    # license, no trial started, no clock recorded.
    assert files_of(store_dir) == {".lock": b""}


def test_create_then_open(store_dir, validator):
    with Store.create(store_dir) as s:
        s.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW).close()
    for opened in (Store(store_dir), Store.open(store_dir)):
        with opened as s:
            with s.status(validator, PROD_SERIAL, PROD_NOW) as st:
                assert st.standing is Standing.ACTIVE
                assert st.license().license_id == PROD_ID


def test_create_of_an_existing_store_opens_it_as_it_is(prod_store, store_dir, validator):
    before = files_of(store_dir)
    with Store.create(store_dir) as again:
        assert files_of(store_dir) == before, "creating again changes nothing"
        with again.status(validator, PROD_SERIAL, PROD_NOW) as st:
            assert st.standing is Standing.ACTIVE
            assert st.license().license_id == PROD_ID


def no_store(d: Path) -> licensing.NoStore:
    """Opens ``d`` every way there is; each must raise NoStore. The first
    error."""
    errors = []
    for open_it in (
        lambda: Store(d),
        lambda: Store.open(d),
        lambda: Store(d, clock_tolerance_seconds=3 * DAY),
        lambda: Store.open(d, clock_tolerance_seconds=3 * DAY),
    ):
        with pytest.raises(licensing.NoStore) as info:
            open_it()
        errors.append(info.value)
    return errors[0]


def test_open_of_a_missing_directory_raises_no_store_and_creates_nothing(tmp_path):
    typo = tmp_path / "licnese"
    err = no_store(typo)
    assert err.code is ResultCode.NO_STORE and int(err.code) == 504
    assert isinstance(err, licensing.StoreError)
    assert isinstance(err, licensing.EnvironmentProblem), "the operator fixes the path"
    assert str(typo) in err.message and "holds no license store" in err.message, err.message
    assert str(err).endswith("[LIC_NO_STORE]")
    assert not typo.exists(), "opening created the directory"
    assert list(tmp_path.iterdir()) == []


def test_open_of_an_empty_directory_raises_no_store_and_creates_nothing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    err = no_store(empty)
    assert err.code is ResultCode.NO_STORE
    assert str(empty) in err.message, err.message
    assert list(empty.iterdir()) == [], "opening wrote into the directory"


def test_open_of_a_directory_of_other_files_raises_no_store(tmp_path):
    # A mistyped path to another application's directory: not a store.
    other = tmp_path / "other-app"
    other.mkdir()
    (other / "settings.ini").write_text("[app]\n")
    no_store(other)
    assert files_of(other) == {"settings.ini": b"[app]\n"}


def test_open_of_a_store_without_a_lock_file(prod_store, store_dir, validator):
    # A store of an earlier version of the library has no lock file: its
    # license and state make the directory a store.
    prod_store.close()
    (store_dir / ".lock").unlink()
    with Store(store_dir) as s:
        with s.status(validator, PROD_SERIAL, PROD_NOW) as st:
            assert st.standing is Standing.ACTIVE


def test_install_prod_gives_its_fields(store, store_dir, validator):
    with store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW) as lic:
        assert isinstance(lic, License)
        assert lic.license_id == PROD_ID
        assert lic.serial_number == PROD_SERIAL
        assert (lic.organization, lic.edition) == (PROD["organization"], PROD["edition"])
        assert lic.revision == PROD_REV
        assert lic.state is State.ACTIVE
        assert lic.expires_at == utc(PROD["expires_at"])
        assert lic.limits == PROD_LIMITS
        assert lic.features == PROD["features"]
    files = snapshot(store_dir)
    assert files[ACTIVE] == read("prod.lic")
    assert BACKUP not in files
    assert STATE in files


def test_install_text_form_stores_the_binary_form(store, store_dir, validator):
    with store.install(validator, read("prod.pem").decode(), PROD_SERIAL, PROD_NOW) as lic:
        assert lic.license_id == PROD_ID
    assert (store_dir / ACTIVE).read_bytes() == read("prod.lic")


def test_install_tampered_body_on_an_empty_store(store, store_dir, validator):
    with pytest.raises(licensing.BadSignature) as info:
        store.install(validator, read("tampered-body.lic"), PROD_SERIAL, PROD_NOW)
    assert info.value.code is ResultCode.BAD_SIGNATURE
    assert isinstance(info.value, licensing.LicenseInvalid)
    assert "not installed" in info.value.message
    assert snapshot(store_dir) == {}, "a refused license leaves no license and no state"


def test_install_tampered_body_leaves_the_store_unchanged(prod_store, store_dir, validator):
    before = snapshot(store_dir)
    with pytest.raises(licensing.BadSignature):
        prod_store.install(validator, read("tampered-body.lic"), PROD_SERIAL, PROD_NOW)
    with pytest.raises(licensing.BadSignature):
        prod_store.install(validator, read("tampered-body.lic"), PROD_SERIAL, PROD_NOW, force=True)
    assert snapshot(store_dir) == before
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.standing is Standing.ACTIVE
        assert st.license().license_id == PROD_ID


def test_install_another_environments_license_is_refused(prod_store, store_dir, validator):
    # dev-never-expires.lic is valid, but for another serial number.
    before = snapshot(store_dir)
    with pytest.raises(licensing.WrongSerial) as info:
        prod_store.install(validator, read("dev-never-expires.lic"), PROD_SERIAL, PROD_NOW)
    assert info.value.code is ResultCode.WRONG_SERIAL
    assert snapshot(store_dir) == before
    assert not (store_dir / BACKUP).exists()


@pytest.mark.parametrize(
    "name,error",
    [
        ("expired.lic", licensing.Expired),
        ("truncated.lic", licensing.Malformed),
        ("version-9.lic", licensing.UnsupportedVersion),
        ("unknown-critical-extension.lic", licensing.UnknownCriticalExtension),
        ("untrusted-key.lic", licensing.UnknownKey),
    ],
)
def test_install_refuses_invalid_files(prod_store, store_dir, validator, name, error):
    before = snapshot(store_dir)
    with pytest.raises(error):
        prod_store.install(validator, read(name), PROD_SERIAL, PROD_NOW)
    assert snapshot(store_dir) == before


def test_install_validates_at_the_latest_time_seen(store, store_dir, validator):
    # The store has seen PROD_PAST_GRACE: turning the clock back to a time
    # where prod.lic is active does not get it installed.
    store.status(validator, PROD_SERIAL, PROD_PAST_GRACE).close()
    with pytest.raises(licensing.Expired):
        store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW)
    assert not (store_dir / ACTIVE).exists()


def test_install_for_this_machine(store, validator, monkeypatch):
    # serial_number=None: this environment's, pinned here: not prod.lic's.
    monkeypatch.delenv("LICENSING_IDENTITY_FILE", raising=False)
    monkeypatch.setenv("LICENSING_IDENTITY", "python-store-box-1")
    with pytest.raises(licensing.WrongSerial):
        store.install(validator, read("prod.lic"), None, PROD_NOW)


def test_install_again_keeps_the_previous_as_backup(prod_store, store_dir, validator):
    with prod_store.install(validator, read("prod.pem"), PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == PROD_REV
    files = snapshot(store_dir)
    assert files[ACTIVE] == read("prod.lic")
    assert files[BACKUP] == read("prod.lic")


# ---------------------------------------------------------------------------
# serial_number: this environment's serial as the store keeps it
# ---------------------------------------------------------------------------


@pytest.fixture
def pinned(monkeypatch):
    """Pins this environment's identity (LICENSING_IDENTITY) to a name."""

    def pin(identity: str):
        monkeypatch.delenv("LICENSING_IDENTITY_FILE", raising=False)
        monkeypatch.setenv("LICENSING_IDENTITY", identity)

    return pin


def test_serial_number_is_kept_in_the_fingerprint_record(store_dir, pinned):
    pinned("python-store-box-2")
    with Store.create(store_dir) as s:
        serial = s.serial_number
        # No record yet: the environment's serial as it is now.
        assert serial == licensing.serial_number_this_machine()
        assert s.serial_number == serial
    record = (store_dir / "fingerprint.json").read_text()
    assert serial in record, record
    with Store(store_dir) as again:
        assert again.serial_number == serial


def test_store_calls_without_a_serial_use_the_stores(prod_store, validator, pinned):
    # prod.lic is installed for its own serial; this environment is pinned
    # to another one, which the store calls given None use.
    pinned("python-store-box-3")
    here = prod_store.serial_number
    assert here != PROD_SERIAL
    with prod_store.status(validator, None, PROD_NOW) as st:
        assert st.standing is Standing.INVALID and not st.may_run
        assert here in st.warnings[0] and PROD_SERIAL in st.warnings[0], st.warnings
    with pytest.raises(licensing.WrongSerial) as info:
        prod_store.install(validator, read("prod.lic"), None, PROD_NOW)
    assert here in info.value.message
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.standing is Standing.ACTIVE, "a serial given is used as given"


def test_serial_number_without_an_identity(store_dir, monkeypatch, tmp_path):
    missing = tmp_path / "no-such-identity"
    monkeypatch.delenv("LICENSING_IDENTITY", raising=False)
    monkeypatch.setenv("LICENSING_IDENTITY_FILE", str(missing))
    with Store.create(store_dir) as s:
        with pytest.raises(licensing.NoHardwareIdentity) as info:
            s.serial_number
    assert info.value.code is ResultCode.NO_HARDWARE_IDENTITY
    assert str(missing) in info.value.message


# ---------------------------------------------------------------------------
# Downgrade and restore
# ---------------------------------------------------------------------------


def test_downgrade_refused_then_forced_then_restored(prod_store, store_dir, validator):
    # expired.lic is revision 1 of prod.lic's subscription (same activation
    # code and serial), valid only until 2025-01-15, before prod.lic (7) is
    # valid, and the store judges installs at the latest time it has seen.
    # Removing the state file (the documented recovery for a damaged one:
    # it restarts the trial and clock record) lets the store install at
    # 2025-01-05, where the downgrade check is what refuses it.
    (store_dir / STATE).unlink()
    before = snapshot(store_dir)
    with pytest.raises(licensing.Downgrade) as info:
        prod_store.install(validator, read("expired.lic"), PROD_SERIAL, EXPIRED_IN_GRACE.now)
    err = info.value
    assert err.code is ResultCode.DOWNGRADE
    assert isinstance(err, licensing.StoreError) and isinstance(err, LicensingError)
    assert f"revision {EXPIRED_REV}" in err.message and f"revision {PROD_REV}" in err.message, err.message
    assert "force" in err.message
    assert str(err).endswith("[LIC_DOWNGRADE]")
    assert snapshot(store_dir) == before

    # On purpose: force.
    with prod_store.install(
        validator, read("expired.lic"), PROD_SERIAL, EXPIRED_IN_GRACE.now, force=True
    ) as lic:
        assert lic.revision == EXPIRED_REV and lic.license_id == EXPIRED_ID
        assert lic.state is State.IN_GRACE and lic.days_left == EXPIRED_IN_GRACE.days_left
    files = snapshot(store_dir)
    assert files[ACTIVE] == read("expired.lic")
    assert files[BACKUP] == read("prod.lic")

    # Restore brings revision 7 back and keeps revision 1 as the backup.
    with prod_store.restore(validator, PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == PROD_REV and lic.license_id == PROD_ID
    files = snapshot(store_dir)
    assert files[ACTIVE] == read("prod.lic")
    assert files[BACKUP] == read("expired.lic")

    # Restoring again would bring back a license expired at PROD_NOW: refused.
    before = snapshot(store_dir)
    with pytest.raises(licensing.Expired):
        prod_store.restore(validator, PROD_SERIAL, PROD_NOW)
    assert snapshot(store_dir) == before


def test_renewal_then_downgrade_refused_forced_and_restored(store, store_dir, validator):
    # prod-renewal.lic is revision 8 of prod.lic's environment (revision 7),
    # with "tenants" raised from 25 to 50; both are valid at PROD_NOW.
    with store.install(validator, read("prod-renewal.lic"), PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == RENEWAL_REV and lic.license_id == RENEWAL_ID
        assert lic.limit("tenants") == RENEWAL_LIMITS["tenants"]

    # Revision 7 over revision 8: a downgrade, refused without force.
    before = snapshot(store_dir)
    with pytest.raises(licensing.Downgrade) as info:
        store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW)
    err = info.value
    assert err.code is ResultCode.DOWNGRADE and int(err.code) == 501
    assert isinstance(err, licensing.StoreError)
    assert f"revision {PROD_REV} but revision {RENEWAL_REV}" in err.message, err.message
    assert snapshot(store_dir) == before
    with store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.standing is Standing.ACTIVE
        with st.license() as lic:
            assert lic.revision == RENEWAL_REV, "the refused file changed nothing"
            assert lic.limits["tenants"] == RENEWAL_LIMITS["tenants"]

    # On purpose: force.
    with store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW, force=True) as lic:
        assert lic.revision == PROD_REV and lic.license_id == PROD_ID
        assert lic.limit("tenants") == PROD_LIMITS["tenants"]
    files = snapshot(store_dir)
    assert files[ACTIVE] == read("prod.lic")
    assert files[BACKUP] == read("prod-renewal.lic")

    # Restore brings revision 8 back and keeps revision 7 as the backup.
    with store.restore(validator, PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == RENEWAL_REV and lic.license_id == RENEWAL_ID
        assert lic.limit("tenants") == RENEWAL_LIMITS["tenants"]
    files = snapshot(store_dir)
    assert files[ACTIVE] == read("prod-renewal.lic")
    assert files[BACKUP] == read("prod.lic")


def test_restore_without_backup(store, store_dir, validator):
    with pytest.raises(licensing.NoBackup) as info:
        store.restore(validator, PROD_SERIAL, PROD_NOW)
    assert info.value.code is ResultCode.NO_BACKUP
    assert isinstance(info.value, licensing.StoreError)
    assert str(store_dir) in info.value.message


def test_restore_without_backup_after_one_install(prod_store, store_dir, validator):
    before = snapshot(store_dir)
    with pytest.raises(licensing.NoBackup):
        prod_store.restore(validator, PROD_SERIAL, PROD_NOW)
    assert snapshot(store_dir) == before


def test_restore_swaps_active_and_backup(prod_store, store_dir, validator):
    # Back up prod.lic, then make the active file another (valid) text of it
    # written by the store: restore must put the backup's bytes back.
    prod_store.install(validator, read("prod.pem"), PROD_SERIAL, PROD_NOW).close()
    (store_dir / BACKUP).write_bytes(read("prod.pem"))
    with prod_store.restore(validator, PROD_SERIAL, PROD_NOW) as lic:
        assert lic.license_id == PROD_ID
    assert (store_dir / ACTIVE).read_bytes() == read("prod.pem")
    assert (store_dir / BACKUP).read_bytes() == read("prod.lic")


# ---------------------------------------------------------------------------
# backup: what restore would bring back
# ---------------------------------------------------------------------------


def active_revision(store, validator) -> int:
    with store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.standing is Standing.ACTIVE
        with st.license() as lic:
            return lic.revision


def test_backup_without_backup_is_none(store, store_dir, validator):
    # An empty store: no backup, an ordinary answer (restore raises NoBackup).
    assert store.backup(validator, PROD_SERIAL, PROD_NOW) is None
    assert snapshot(store_dir) == {}, "backup starts no trial and records no clock"
    with pytest.raises(licensing.NoBackup):
        store.restore(validator, PROD_SERIAL, PROD_NOW)


def test_backup_without_backup_after_one_install(prod_store, store_dir, validator):
    before = snapshot(store_dir)
    assert prod_store.backup(validator, PROD_SERIAL, PROD_NOW) is None
    assert snapshot(store_dir) == before


def test_backup_after_a_renewal_changes_nothing(prod_store, store_dir, validator):
    # prod.lic (revision 7), then prod-renewal.lic (revision 8): 8 is active,
    # 7 is the backup.
    prod_store.install(validator, read("prod-renewal.lic"), PROD_SERIAL, PROD_NOW).close()
    before = snapshot(store_dir)
    assert before[ACTIVE] == read("prod-renewal.lic")
    assert before[BACKUP] == read("prod.lic")
    for _ in range(2):
        with prod_store.backup(validator, PROD_SERIAL, PROD_NOW) as lic:
            assert isinstance(lic, License)
            assert lic.revision == PROD_REV and lic.license_id == PROD_ID
            assert lic.limit("tenants") == PROD_LIMITS["tenants"]
            assert lic.state is State.ACTIVE
        assert snapshot(store_dir) == before, "backup changes nothing"
    assert active_revision(prod_store, validator) == RENEWAL_REV


def test_backup_follows_restore(prod_store, store_dir, validator):
    prod_store.install(validator, read("prod-renewal.lic"), PROD_SERIAL, PROD_NOW).close()
    with prod_store.backup(validator, PROD_SERIAL, PROD_NOW) as seen:
        assert seen.revision == PROD_REV
    # Restore brings back what backup showed (7) and keeps 8 as the backup:
    # backup now shows revision 8.
    with prod_store.restore(validator, PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == PROD_REV and lic.license_id == PROD_ID
    files = snapshot(store_dir)
    assert files[ACTIVE] == read("prod.lic")
    assert files[BACKUP] == read("prod-renewal.lic")
    with prod_store.backup(validator, PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == RENEWAL_REV and lic.license_id == RENEWAL_ID
        assert lic.limit("tenants") == RENEWAL_LIMITS["tenants"]
    assert snapshot(store_dir) == files
    assert active_revision(prod_store, validator) == PROD_REV
    # And a second restore swaps them back.
    with prod_store.restore(validator, PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == RENEWAL_REV
    with prod_store.backup(validator, PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == PROD_REV
    assert active_revision(prod_store, validator) == RENEWAL_REV


def test_backup_for_another_serial_raises_wrong_serial(prod_store, store_dir, validator):
    prod_store.install(validator, read("prod-renewal.lic"), PROD_SERIAL, PROD_NOW).close()
    before = snapshot(store_dir)
    with pytest.raises(licensing.WrongSerial) as info:
        prod_store.backup(validator, DEV_SERIAL, PROD_NOW)
    assert info.value.code is ResultCode.WRONG_SERIAL
    assert isinstance(info.value, licensing.LicenseInvalid)
    # Restore refuses it the same way.
    with pytest.raises(licensing.WrongSerial):
        prod_store.restore(validator, DEV_SERIAL, PROD_NOW)
    assert snapshot(store_dir) == before


def test_backup_that_is_not_valid_here_raises_like_restore(prod_store, store_dir, validator):
    # As in the downgrade test: expired.lic (revision 1) forced over prod.lic
    # at 2025-01-05, then restored: expired.lic is the backup, expired at
    # PROD_NOW.
    (store_dir / STATE).unlink()
    prod_store.install(
        validator, read("expired.lic"), PROD_SERIAL, EXPIRED_IN_GRACE.now, force=True
    ).close()
    with prod_store.backup(validator, PROD_SERIAL, PROD_NOW) as lic:
        assert lic.revision == PROD_REV
    prod_store.restore(validator, PROD_SERIAL, PROD_NOW).close()
    before = snapshot(store_dir)
    assert before[BACKUP] == read("expired.lic")
    with pytest.raises(licensing.Expired) as info:
        prod_store.backup(validator, PROD_SERIAL, PROD_NOW)
    assert info.value.code is ResultCode.EXPIRED
    with pytest.raises(licensing.Expired):
        prod_store.restore(validator, PROD_SERIAL, PROD_NOW)
    assert snapshot(store_dir) == before


def test_backup_outlives_its_store(store_dir, validator):
    s = Store.create(store_dir)
    s.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW).close()
    s.install(validator, read("prod-renewal.lic"), PROD_SERIAL, PROD_NOW).close()
    lic = s.backup(validator, PROD_SERIAL, PROD_NOW)
    s.close()
    assert lic.revision == PROD_REV and lic.license_id == PROD_ID
    lic.close()
    with pytest.raises(licensing.ClosedError):
        lic.revision


def test_backup_arguments(prod_store, store_dir, validator):
    before = snapshot(store_dir)
    with pytest.raises(TypeError):
        prod_store.backup(None, PROD_SERIAL, PROD_NOW)
    with pytest.raises(licensing.InvalidSerialNumber):
        prod_store.backup(validator, PROD_SERIAL[:-1] + "X", PROD_NOW)
    with pytest.raises(ValueError):
        prod_store.backup(validator, PROD_SERIAL, 2**63)
    assert snapshot(store_dir) == before


# ---------------------------------------------------------------------------
# status: the trial
# ---------------------------------------------------------------------------


def test_status_on_an_empty_store_starts_the_trial(store, store_dir, validator):
    with store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert isinstance(st, Status)
        assert st.standing is Standing.TRIAL
        assert st.days_left == 30
        assert st.standing_and_days_left() == (Standing.TRIAL, 30)
        assert st.may_run and st.may_publish and st.may_administer
        assert st.warnings == []
        assert st.license() is None
        assert "TRIAL" in repr(st)
    assert f"trial-started={PROD_NOW}" in (store_dir / STATE).read_text()


def test_trial_counts_down_from_the_first_status(store, validator):
    store.status(validator, PROD_SERIAL, PROD_NOW).close()
    with store.status(validator, PROD_SERIAL, PROD_NOW + 10 * DAY) as st:
        assert (st.standing, st.days_left) == (Standing.TRIAL, 20)
        assert st.warnings == []
    with store.status(validator, PROD_SERIAL, PROD_NOW + 23 * DAY) as st:
        assert (st.standing, st.days_left) == (Standing.TRIAL, 7)
        assert st.warnings == ["the trial ends within 7 days: install a license"]
        assert st.may_run
    with store.status(validator, PROD_SERIAL, PROD_NOW + 30 * DAY - 1) as st:
        assert (st.standing, st.days_left) == (Standing.TRIAL, 1)
    with store.status(validator, PROD_SERIAL, PROD_NOW + 30 * DAY) as st:
        assert st.standing is Standing.TRIAL_OVER


def test_trial_over_31_days_later(store, validator):
    store.status(validator, PROD_SERIAL, PROD_NOW).close()
    with store.status(validator, PROD_SERIAL, PROD_NOW + 31 * DAY) as st:
        assert st.standing is Standing.TRIAL_OVER
        assert st.days_left == 0
        assert not st.may_run
        assert not st.may_publish
        assert st.may_administer
        assert st.warnings == ["the trial is over: install a license"]
        assert st.license() is None


def test_trial_starts_at_the_first_status_not_at_create_or_open(store_dir, validator):
    # A store created, then opened and first asked 31 days "later", starts
    # its trial then.
    Store.create(store_dir).close()
    with Store(store_dir) as s:
        with s.status(validator, PROD_SERIAL, PROD_NOW + 31 * DAY) as st:
            assert (st.standing, st.days_left) == (Standing.TRIAL, 30)


def test_trial_limits(store, validator):
    usage = {"application-objects": 151, "internal-users": 11, "external-users": 100}
    with store.status(validator, PROD_SERIAL, PROD_NOW, usage) as st:
        assert st.standing is Standing.TRIAL
        assert st.may_run and not st.may_publish and st.may_administer
        assert sorted(st.warnings) == [
            "consuming more than the license allows: application-objects 151/150 "
            "(hard limit: publishing is blocked)",
            "consuming more than the license allows: internal-users 11/10 (soft limit)",
        ]
    at_limits = dict(TRIAL_LIMITS)
    with store.status(validator, PROD_SERIAL, PROD_NOW, at_limits) as st:
        assert st.may_publish and st.warnings == []


def test_installing_ends_the_trial(store, validator):
    store.status(validator, PROD_SERIAL, PROD_NOW).close()
    store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW + 31 * DAY).close()
    with store.status(validator, PROD_SERIAL, PROD_NOW + 31 * DAY) as st:
        assert st.standing is Standing.ACTIVE and st.may_run


# ---------------------------------------------------------------------------
# status: licensed
# ---------------------------------------------------------------------------


def test_status_of_an_installed_license(prod_store, validator):
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        # Active: the days until the license expires.
        days = days_until(PROD["expires_at"], PROD_NOW)
        assert (st.standing, st.days_left) == (Standing.ACTIVE, days)
        assert st.standing_and_days_left() == (Standing.ACTIVE, days)
        assert st.may_run and st.may_publish and st.may_administer
        assert st.warnings == []
        lic = st.license()
    # The license outlives its status.
    assert st.closed
    assert lic.license_id == PROD_ID and lic.revision == PROD_REV
    assert lic.limits == PROD_LIMITS
    lic.close()


def test_usage_over_a_hard_limit_blocks_publishing_only(prod_store, validator):
    usage = {"application-objects": OBJECTS + 1}
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW, usage) as st:
        assert st.standing is Standing.ACTIVE
        assert st.may_run
        assert not st.may_publish
        assert st.may_administer
        assert st.warnings == [
            f"consuming more than the license allows: application-objects {OBJECTS + 1}/{OBJECTS} "
            "(hard limit: publishing is blocked)"
        ]


def test_usage_at_the_limit_and_over_a_soft_limit(prod_store, validator):
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW, {"application-objects": OBJECTS}) as st:
        assert st.may_publish and st.warnings == []
    usage = {"internal-users": USERS + 1, "tenants": 3, "no-such-limit": 2**64 - 1}
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW, usage) as st:
        assert st.may_run and st.may_publish
        assert st.warnings == [
            f"consuming more than the license allows: internal-users {USERS + 1}/{USERS} (soft limit)"
        ]


@pytest.mark.parametrize(
    "when,standing,days,run,warning",
    [
        (PROD_EXPIRING.now, Standing.EXPIRING_SOON, PROD_EXPIRING.days_left, True,
         f"this license expires within {PROD_EXPIRING.days_left} days: renew the subscription"),
        (PROD_IN_GRACE.now, Standing.IN_GRACE, PROD_IN_GRACE.days_left, True,
         f"this license has expired: request a new license within {PROD_IN_GRACE.days_left} days"),
        (PROD_PAST_GRACE, Standing.EXPIRED, 0, False,
         "this license has expired and its grace period is over: install a new license"),
    ],
)
def test_licensed_standings_in_time(prod_store, validator, when, standing, days, run, warning):
    with prod_store.status(validator, PROD_SERIAL, when) as st:
        assert (st.standing, st.days_left) == (standing, days)
        assert st.may_run is run and st.may_publish is run
        assert st.may_administer
        assert st.warnings == [warning]
        lic = st.license()
        if run:
            assert lic is not None and lic.license_id == PROD_ID
            lic.close()
        else:
            assert lic is None


def test_license_of_another_environment_is_invalid(prod_store, validator):
    with prod_store.status(validator, DEV_SERIAL, PROD_NOW) as st:
        assert (st.standing, st.days_left) == (Standing.INVALID, 0)
        assert not st.may_run and not st.may_publish and st.may_administer
        # The store's state was written for PROD's environment: a store
        # used as another environment's is reported as altered too.
        assert len(st.warnings) == 2, st.warnings
        assert st.warnings[0].startswith("the licensing state of this store was altered or reset")
        assert f"written for the environment {PROD_SERIAL}" in st.warnings[0]
        assert st.warnings[1].startswith("the installed license is not valid here: ")
        assert st.license() is None


def test_a_status_is_a_snapshot(store, validator):
    before = store.status(validator, PROD_SERIAL, PROD_NOW)
    store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW).close()
    after = store.status(validator, PROD_SERIAL, PROD_NOW)
    assert before.standing is Standing.TRIAL and before.license() is None
    assert after.standing is Standing.ACTIVE and after.license() is not None
    before.close()
    after.close()


def test_no_license_is_code_302_in_the_c_abi(store, validator):
    # Status.license() maps LIC_NO_LICENSE to None; check the C ABI itself
    # says so and leaves the out-parameter alone.
    lib = licensing._native.library()
    with store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        out = ctypes.c_void_p(12345)
        with Use(st) as p:
            rc = lib.lic_status_license(p, ctypes.byref(out))
        assert rc == ResultCode.NO_LICENSE == 302
        assert out.value == 12345
    assert licensing._calls.error_class(302) is licensing.NoLicense
    assert issubclass(licensing.NoLicense, LicensingError)


# ---------------------------------------------------------------------------
# status: the clock
# ---------------------------------------------------------------------------


def clock_warnings(st: Status):
    return [w for w in st.warnings if "clock" in w]


def test_clock_turned_back_more_than_a_day(prod_store, validator):
    prod_store.status(validator, PROD_SERIAL, PROD_NOW).close()
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW - DAY - 1) as st:
        warnings = clock_warnings(st)
        assert len(warnings) == 1, st.warnings
        assert "turned back" in warnings[0]
        assert vectors.PROD_NOW.now_text in warnings[0]  # the latest time seen
        assert st.standing is Standing.ACTIVE and st.may_run


def test_clock_turned_back_a_day_or_less_is_quiet(store, validator):
    store.status(validator, PROD_SERIAL, PROD_NOW).close()
    with store.status(validator, PROD_SERIAL, PROD_NOW - DAY) as st:
        assert clock_warnings(st) == []
    with store.status(validator, PROD_SERIAL, PROD_NOW - 3600) as st:
        assert clock_warnings(st) == []


def test_clock_turned_back_does_not_stretch_a_license(prod_store, validator):
    # Seen in grace; the clock turned back to when it was active: still in
    # grace (judged at the latest time seen), with a clock warning.
    prod_store.status(validator, PROD_SERIAL, PROD_IN_GRACE.now).close()
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        days = PROD_IN_GRACE.days_left
        assert (st.standing, st.days_left) == (Standing.IN_GRACE, days)
        assert len(clock_warnings(st)) == 1
        assert f"this license has expired: request a new license within {days} days" in st.warnings


def test_clock_turned_back_does_not_stretch_the_trial(store, validator):
    store.status(validator, PROD_SERIAL, PROD_NOW).close()
    store.status(validator, PROD_SERIAL, PROD_NOW + 31 * DAY).close()
    with store.status(validator, PROD_SERIAL, PROD_NOW + DAY) as st:
        assert st.standing is Standing.TRIAL_OVER and not st.may_run
        assert len(clock_warnings(st)) == 1


def test_judged_at_is_the_time_given(store, validator):
    with store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.judged_at == utc(PROD_NOW)
    with store.status(validator, PROD_SERIAL, PROD_NOW + 5 * DAY + 7) as st:
        assert st.judged_at == utc(PROD_NOW + 5 * DAY + 7)
        assert isinstance(st.judged_at, datetime) and st.judged_at.tzinfo is timezone.utc
    # An aware datetime is a time too.
    with store.status(validator, PROD_SERIAL, utc(PROD_NOW + 6 * DAY)) as st:
        assert st.judged_at == utc(PROD_NOW + 6 * DAY)


def test_judged_at_is_the_latest_time_seen_after_the_clock_is_turned_back(prod_store, validator):
    prod_store.status(validator, PROD_SERIAL, PROD_NOW + 10 * DAY).close()
    # Turned back beyond the tolerance (a clock warning) and within it.
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert len(clock_warnings(st)) == 1
        assert st.judged_at == utc(PROD_NOW + 10 * DAY)
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW + 10 * DAY - 3600) as st:
        assert clock_warnings(st) == []
        assert st.judged_at == utc(PROD_NOW + 10 * DAY)
    # Forward again: the clock.
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW + 11 * DAY) as st:
        assert st.judged_at == utc(PROD_NOW + 11 * DAY)


def test_clock_tolerance_of_three_days(tmp_path, validator):
    tolerant_dir, default_dir = tmp_path / "tolerant", tmp_path / "default"
    for d in (tolerant_dir, default_dir):
        Store.create(d).close()
    with Store(tolerant_dir, clock_tolerance_seconds=3 * DAY) as tolerant, \
            Store(default_dir) as default:
        for s in (tolerant, default):
            s.status(validator, PROD_SERIAL, PROD_NOW).close()
        with tolerant.status(validator, PROD_SERIAL, PROD_NOW - 2 * DAY) as st:
            assert clock_warnings(st) == [], st.warnings
            assert st.judged_at == utc(PROD_NOW)
        with default.status(validator, PROD_SERIAL, PROD_NOW - 2 * DAY) as st:
            assert len(clock_warnings(st)) == 1, st.warnings
            assert "turned back" in clock_warnings(st)[0]
            assert st.judged_at == utc(PROD_NOW)
        # Beyond the three days, the tolerant store warns too.
        with tolerant.status(validator, PROD_SERIAL, PROD_NOW - 3 * DAY - 1) as st:
            assert len(clock_warnings(st)) == 1, st.warnings
    # The tolerance belongs to the handle, not to the directory.
    with Store(tolerant_dir) as s:
        with s.status(validator, PROD_SERIAL, PROD_NOW - 2 * DAY) as st:
            assert len(clock_warnings(st)) == 1, st.warnings


def test_clock_tolerance_zero_and_negative(tmp_path, validator):
    for i, tolerance in enumerate((0, -5 * DAY)):
        Store.create(tmp_path / str(i)).close()
        with Store.open(tmp_path / str(i), clock_tolerance_seconds=tolerance) as s:
            s.status(validator, PROD_SERIAL, PROD_NOW).close()
            with s.status(validator, PROD_SERIAL, PROD_NOW) as st:
                assert clock_warnings(st) == []
            with s.status(validator, PROD_SERIAL, PROD_NOW - 1) as st:
                assert len(clock_warnings(st)) == 1, st.warnings


def test_clock_tolerance_argument(store_dir):
    with pytest.raises(TypeError):
        Store(store_dir, clock_tolerance_seconds=1.5)
    with pytest.raises(TypeError):
        Store(store_dir, clock_tolerance_seconds=True)
    with pytest.raises(ValueError):
        Store(store_dir, clock_tolerance_seconds=2**63)
    assert not store_dir.exists()


# ---------------------------------------------------------------------------
# preview_status: judged at a chosen time, recording nothing
# ---------------------------------------------------------------------------

YEAR = 365 * DAY


def test_preview_a_year_ahead_then_status_now(prod_store, store_dir, validator):
    prod_store.status(validator, PROD_SERIAL, PROD_NOW).close()
    before = files_of(store_dir)
    with prod_store.preview_status(validator, PROD_SERIAL, unix_time=PROD_NOW + YEAR) as later:
        assert isinstance(later, Status)
        assert later.judged_at == utc(PROD_NOW + YEAR)
        assert (later.standing, later.days_left) == (
            Standing.ACTIVE, days_until(PROD["expires_at"], PROD_NOW + YEAR)
        )
        assert later.may_run and later.warnings == []
        assert later.license().license_id == PROD_ID
    assert files_of(store_dir) == before, "a preview writes no file of the store"
    # Back to now: the store has not seen the year ahead, so the clock was
    # not turned back.
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert clock_warnings(st) == [], st.warnings
        assert st.warnings == []
        assert st.judged_at == utc(PROD_NOW)
        assert (st.standing, st.days_left) == (
            Standing.ACTIVE, days_until(PROD["expires_at"], PROD_NOW)
        )


def test_preview_shows_expiry_and_grace_to_come(prod_store, store_dir, validator):
    before = files_of(store_dir)
    with prod_store.preview_status(validator, PROD_SERIAL, unix_time=PROD_IN_GRACE.now) as st:
        assert (st.standing, st.days_left) == (Standing.IN_GRACE, PROD_IN_GRACE.days_left)
        assert st.may_run
    with prod_store.preview_status(validator, PROD_SERIAL, unix_time=PROD_PAST_GRACE) as st:
        assert (st.standing, st.days_left) == (Standing.EXPIRED, 0)
        assert not st.may_run and st.may_administer
        assert st.warnings == [
            "this license has expired and its grace period is over: install a new license"
        ]
    assert files_of(store_dir) == before


def test_preview_on_a_fresh_store_shows_the_trial_without_starting_it(store, store_dir, validator):
    with store.preview_status(validator, PROD_SERIAL, unix_time=PROD_NOW) as st:
        assert (st.standing, st.days_left) == (Standing.TRIAL, 30)
        assert st.may_run and st.may_publish and st.license() is None
    # A trial not started yet is shown as starting at the time previewed.
    with store.preview_status(validator, PROD_SERIAL, unix_time=PROD_NOW + 31 * DAY) as st:
        assert (st.standing, st.days_left) == (Standing.TRIAL, 30)
    assert not (store_dir / STATE).exists(), "a preview started the trial"
    assert files_of(store_dir) == {".lock": b""}
    # The trial starts at the first status, ten days after the previews.
    with store.status(validator, PROD_SERIAL, PROD_NOW + 10 * DAY) as st:
        assert (st.standing, st.days_left) == (Standing.TRIAL, 30)
    assert f"trial-started={PROD_NOW + 10 * DAY}" in (store_dir / STATE).read_text()


def test_preview_of_the_trials_end(store, store_dir, validator):
    store.status(validator, PROD_SERIAL, PROD_NOW).close()
    before = files_of(store_dir)
    with store.preview_status(validator, PROD_SERIAL, unix_time=PROD_NOW + 31 * DAY) as st:
        assert st.standing is Standing.TRIAL_OVER and not st.may_run
        assert st.warnings == ["the trial is over: install a license"]
    assert files_of(store_dir) == before
    with store.status(validator, PROD_SERIAL, PROD_NOW + DAY) as st:
        assert (st.standing, st.days_left) == (Standing.TRIAL, 29)
        assert clock_warnings(st) == []


def test_preview_before_the_latest_time_seen_is_judged_then(prod_store, store_dir, validator):
    # status judges at the latest time seen when the clock was turned back;
    # a preview judges at the time asked, without a clock warning.
    prod_store.status(validator, PROD_SERIAL, PROD_IN_GRACE.now).close()
    before = files_of(store_dir)
    with prod_store.preview_status(validator, PROD_SERIAL, unix_time=PROD_NOW) as st:
        assert st.judged_at == utc(PROD_NOW)
        assert st.standing is Standing.ACTIVE and st.warnings == []
    assert files_of(store_dir) == before


def test_preview_with_usage(prod_store, validator):
    usage = {"application-objects": OBJECTS + 1}
    with prod_store.preview_status(validator, PROD_SERIAL, unix_time=PROD_NOW, usage=usage) as st:
        assert st.may_run and not st.may_publish
        assert f"application-objects {OBJECTS + 1}/{OBJECTS}" in st.publish_reason


def test_preview_takes_the_time_by_name(store, store_dir, validator):
    # The time is what a preview is about: it must be given, by name.
    with pytest.raises(TypeError, match="unix_time"):
        store.preview_status(validator, PROD_SERIAL)
    with pytest.raises(TypeError):
        store.preview_status(validator, PROD_SERIAL, PROD_NOW)
    # An aware datetime is a time too; None is now, still recording nothing.
    with store.preview_status(validator, PROD_SERIAL, unix_time=utc(PROD_NOW)) as st:
        assert st.judged_at == utc(PROD_NOW)
    store.preview_status(validator, PROD_SERIAL, unix_time=None).close()
    assert files_of(store_dir) == {".lock": b""}


# ---------------------------------------------------------------------------
# status: the reasons of the decisions
# ---------------------------------------------------------------------------


def test_reasons_on_an_empty_store(store, validator):
    with store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.may_run and "trial" in st.run_reason
        assert st.may_publish and st.publish_reason == "within the hard limits"
        assert st.may_administer and "install a license" in st.administer_reason
        assert all(isinstance(r, str) and r for r in
                   (st.run_reason, st.publish_reason, st.administer_reason))


def test_reasons_of_an_installed_license(prod_store, validator):
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.run_reason == "licensed"
        assert "trial" not in st.run_reason
        assert st.publish_reason == "within the hard limits"
    with prod_store.status(validator, PROD_SERIAL, PROD_IN_GRACE.now) as st:
        assert st.may_run and "grace" in st.run_reason


def test_reasons_over_a_hard_limit(prod_store, validator):
    usage = {"application-objects": OBJECTS + 1, "internal-users": USERS + 1}
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW, usage) as st:
        assert st.may_run and not st.may_publish
        assert f"application-objects {OBJECTS + 1}/{OBJECTS}" in st.publish_reason
        assert "over a hard limit" in st.publish_reason
        # A soft limit does not block publishing, so it is not a reason.
        assert "internal-users" not in st.publish_reason
        assert st.run_reason == "licensed"
        assert "install a license" in st.administer_reason


def test_reasons_when_the_trial_is_over(store, validator):
    store.status(validator, PROD_SERIAL, PROD_NOW).close()
    with store.status(validator, PROD_SERIAL, PROD_NOW + 31 * DAY) as st:
        assert st.standing is Standing.TRIAL_OVER
        assert not st.may_run and not st.may_publish and st.may_administer
        assert "trial is over" in st.run_reason
        assert "trial is over" in st.publish_reason
        assert "install a license" in st.administer_reason


def test_reasons_when_expired_or_invalid(prod_store, validator):
    with prod_store.status(validator, PROD_SERIAL, PROD_PAST_GRACE) as st:
        assert not st.may_run and "expired" in st.run_reason
    with prod_store.status(validator, DEV_SERIAL, PROD_PAST_GRACE) as st:
        assert not st.may_run and "not valid" in st.run_reason


def test_long_reason_is_read_whole(prod_store, validator):
    # Several hard limits over: a reason longer than the first buffer the
    # binding tries (LIC_BUFFER_TOO_SMALL, then the size the library gives).
    usage = {"application-objects": 10**18, "storage-gb": 10**18, "tenants": 10**18}
    with prod_store.status(validator, PROD_SERIAL, PROD_NOW, usage) as st:
        reason = st.publish_reason
    assert len(reason) > licensing._calls._STRING_BUFFER_SIZE
    for part in (f"{name} {10**18}/{PROD_LIMITS[name]}" for name in usage):
        assert part in reason


# ---------------------------------------------------------------------------
# Store errors
# ---------------------------------------------------------------------------


def test_an_altered_state_ends_the_trial_and_never_stops_a_license(store, store_dir, validator):
    store.status(validator, PROD_SERIAL, PROD_NOW).close()
    (store_dir / STATE).write_text("trial-started=4102444800\n")  # 2100, by hand
    with store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.standing is Standing.TRIAL_OVER and not st.may_run
        assert any(w.startswith("the licensing state of this store was altered") for w in st.warnings)
        assert any("ask the vendor for a trial extension" in w for w in st.warnings)
    # A paying customer is never stopped: the license installs and runs.
    store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW).close()
    with store.status(validator, PROD_SERIAL, PROD_NOW) as st:
        assert st.standing is Standing.ACTIVE and st.may_run
        assert st.warnings == []

def test_store_io_error(tmp_path):
    # The directory cannot be made: a file stands where its parent would be.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(licensing.StoreIO) as info:
        Store.create(blocker / "store")
    assert info.value.code is ResultCode.STORE_IO
    assert isinstance(info.value, licensing.StoreError)
    assert str(blocker) in info.value.message
    # Opening there finds no store.
    with pytest.raises(licensing.NoStore):
        Store(blocker / "store")
    assert blocker.read_text() == "not a directory"


def test_error_classes_of_the_store_codes():
    expected = {
        ResultCode.NO_LICENSE: licensing.NoLicense,
        ResultCode.STORE_IO: licensing.StoreIO,
        ResultCode.DOWNGRADE: licensing.Downgrade,
        ResultCode.NO_BACKUP: licensing.NoBackup,
        ResultCode.CORRUPT_STATE: licensing.CorruptState,
        ResultCode.NO_STORE: licensing.NoStore,
        ResultCode.CLOCK_RESET_USED: licensing.ClockResetUsed,
    }
    for code, cls in expected.items():
        assert licensing._calls.error_class(code) is cls
        err = cls(code, "m")
        assert err.code is code and str(err) == f"m [LIC_{code.name}]"
    for cls in (licensing.StoreIO, licensing.Downgrade, licensing.NoBackup,
                licensing.CorruptState, licensing.NoStore, licensing.ClockResetUsed):
        assert issubclass(cls, licensing.StoreError)
    assert not issubclass(licensing.NoLicense, licensing.StoreError)
    # A store file that cannot be read or written, or a damaged state, is
    # the machine's problem (lic_result_is_environment); a refusal is not.
    assert issubclass(licensing.StoreIO, licensing.EnvironmentProblem)
    assert issubclass(licensing.CorruptState, licensing.EnvironmentProblem)
    assert issubclass(licensing.NoStore, licensing.EnvironmentProblem)
    assert not issubclass(licensing.Downgrade, licensing.EnvironmentProblem)
    assert not issubclass(licensing.ClockResetUsed, licensing.EnvironmentProblem)


# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------


def test_usage_arguments(store, validator):
    for bad in (-1, 2**64, 1.5, "3", True):
        with pytest.raises(ValueError):
            store.status(validator, PROD_SERIAL, PROD_NOW, {"tenants": bad})
    with pytest.raises(ValueError):
        store.status(validator, PROD_SERIAL, PROD_NOW, {"ten\0ants": 1})
    # Empty usage is no usage.
    store.status(validator, PROD_SERIAL, PROD_NOW, {}).close()


def test_other_arguments(store, store_dir, validator):
    with pytest.raises(TypeError):
        store.status(None, PROD_SERIAL, PROD_NOW)
    with pytest.raises(TypeError):
        store.install("not a validator", read("prod.lic"), PROD_SERIAL, PROD_NOW)
    with pytest.raises(licensing.InvalidSerialNumber):
        store.status(validator, PROD_SERIAL[:-1] + "X", PROD_NOW)
    with pytest.raises(licensing.InvalidSerialNumber):
        store.install(validator, read("prod.lic"), "1HA-009", PROD_NOW)
    with pytest.raises(ValueError):
        store.status(validator, PROD_SERIAL, 2**63)
    with pytest.raises(TypeError):
        store.preview_status(None, PROD_SERIAL, unix_time=PROD_NOW)
    with pytest.raises(licensing.InvalidSerialNumber):
        store.preview_status(validator, PROD_SERIAL[:-1] + "X", unix_time=PROD_NOW)
    with pytest.raises(ValueError):
        store.preview_status(validator, PROD_SERIAL, unix_time=2**63)
    with pytest.raises(ValueError):
        store.preview_status(validator, PROD_SERIAL, unix_time=PROD_NOW, usage={"tenants": -1})
    with pytest.raises(ValueError):
        Store(str(store_dir) + "\0x")
    with pytest.raises(ValueError):
        Store.create(str(store_dir) + "\0x")
    # None of those changed the store (not even started the trial).
    assert snapshot(store_dir) == {}


def test_store_dir_as_str_and_bytes(tmp_path, validator):
    for d in (str(tmp_path / "s1"), bytes(tmp_path / "s2")):
        Store.create(d).close()
        with Store(d) as s:
            with s.status(validator, PROD_SERIAL, PROD_NOW) as st:
                assert st.standing is Standing.TRIAL
    assert (tmp_path / "s1" / STATE).is_file() and (tmp_path / "s2" / STATE).is_file()


# ---------------------------------------------------------------------------
# Lifetime and threads
# ---------------------------------------------------------------------------


def test_close_and_use_after_close(store_dir, validator):
    s = Store.create(store_dir)
    st = s.status(validator, PROD_SERIAL, PROD_NOW)
    s.close()
    s.close()
    assert s.closed and "closed" in repr(s)
    for call in (
        lambda: s.serial_number,
        lambda: s.status(validator, PROD_SERIAL, PROD_NOW),
        lambda: s.preview_status(validator, PROD_SERIAL, unix_time=PROD_NOW),
        lambda: s.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW),
        lambda: s.restore(validator, PROD_SERIAL, PROD_NOW),
        lambda: s.backup(validator, PROD_SERIAL, PROD_NOW),
    ):
        with pytest.raises(licensing.ClosedError):
            call()
    # A status outlives its store.
    assert st.standing is Standing.TRIAL
    st.close()
    st.close()
    for getter in (lambda: st.standing, lambda: st.may_run, lambda: st.warnings, st.license,
                   lambda: st.judged_at, lambda: st.run_reason, lambda: st.publish_reason,
                   lambda: st.administer_reason):
        with pytest.raises(licensing.ClosedError):
            getter()
    assert "closed" in repr(st)


def test_closed_validator_is_refused(store, validator, trusted_key):
    v = Validator(trusted_key)
    v.close()
    with pytest.raises(licensing.ClosedError):
        store.status(v, PROD_SERIAL, PROD_NOW)
    with pytest.raises(licensing.ClosedError):
        store.backup(v, PROD_SERIAL, PROD_NOW)


def test_garbage_collection_frees_store_and_status(store_dir, validator):
    s = Store.create(store_dir)
    st = s.status(validator, PROD_SERIAL, PROD_NOW)
    finalizers = [s._finalizer, st._finalizer]
    assert all(f.alive for f in finalizers)
    del s, st
    gc.collect()
    assert not any(f.alive for f in finalizers)


def test_threads_share_a_store(prod_store, validator):
    errors = []

    def work(i):
        try:
            for j in range(20):
                usage = {"application-objects": OBJECTS - 10 + (i + j) % 20}
                with prod_store.status(validator, PROD_SERIAL, PROD_NOW + j, usage) as st:
                    assert st.standing is Standing.ACTIVE
                    assert st.may_publish is (usage["application-objects"] <= OBJECTS)
                if j % 5 == 0:
                    prod_store.install(validator, read("prod.lic"), PROD_SERIAL, PROD_NOW).close()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
