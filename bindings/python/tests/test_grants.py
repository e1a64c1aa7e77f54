"""The vendor's grants through the store (a trial extension, a clock reset:
Store.install_trial_extension, Store.reset_clock) and an anchor kept by the
host (Store.with_anchor), against tests/vectors/trial-extension.lic and
clock-reset.lic: the scenarios of tests/c/grants.c."""

from __future__ import annotations

import ctypes
import gc
import math
import threading
from datetime import datetime

import pytest

import licensing
from licensing import (
    ClockResetUsed,
    LicenseInvalid,
    ResultCode,
    Standing,
    Store,
    StoreError,
    Validator,
)
from licensing import _anchor
from licensing._native import ANCHOR_FAILED, ANCHOR_FOUND, ANCHOR_MAX_LEN, ANCHOR_NOT_FOUND
from vectors import DEV_SERIAL, PROD_NOW, PROD_SERIAL, read

DAY = 86400
# trial-extension.lic: PROD_SERIAL's trial until 2027-04-01T00:00:00Z.
EXTENSION_UNTIL = 1806537600
# clock-reset.lic: PROD_SERIAL's latest time seen back to 2026-06-01T12:00:00Z.
RESET_AT = 1780315200
T0 = PROD_NOW.now  # 2026-06-01T12:00:00Z: prod.lic is active
AHEAD = 4102444800  # 2100-01-01: a clock set far ahead by mistake

EXTENSION, RESET, PROD = "trial-extension.lic", "clock-reset.lic", "prod.lic"


def grant_time(name: str) -> int:
    """The time a grant carries (docs/FORMAT.md section 12: offset 44)."""
    return int.from_bytes(read(name)[44:52], "big", signed=True)


def test_the_grants_are_what_the_tests_expect():
    assert grant_time(EXTENSION) == EXTENSION_UNTIL
    assert grant_time(RESET) == RESET_AT == T0
    for name in (EXTENSION, RESET):
        assert PROD_SERIAL.encode() in read(name), name


def standing_at(store: Store, validator: Validator, at: int):
    """(standing, days left, warnings) of a status at ``at``."""
    with store.status(validator, PROD_SERIAL, at) as st:
        return st.standing, st.days_left, st.warnings


@pytest.fixture
def store(store_dir):
    with Store.create(store_dir) as s:
        yield s


@pytest.fixture
def trial_over(store, store_dir, validator):
    """A store whose trial started at T0, then ended by a state edited by
    hand (a trial started in 2100)."""
    assert standing_at(store, validator, T0)[:2] == (Standing.TRIAL, 30)
    (store_dir / "state").write_text("trial-started=4102444800\n")
    assert standing_at(store, validator, T0 + DAY)[0] is Standing.TRIAL_OVER
    return store


@pytest.fixture
def untrusting(trusted_key):
    """A validator trusting only a key the grants are not signed with."""
    with Validator(read("untrusted-public-key.pem")) as v:
        yield v


def flipped(data: bytes, at: int = 70) -> bytes:
    """``data`` with one bit changed at ``at`` (inside the signature)."""
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]


# ---------------------------------------------------------------------------
# Trial extensions
# ---------------------------------------------------------------------------


def test_trial_extension_makes_a_trial_over_store_a_trial_again(trial_over, store_dir, validator):
    until = trial_over.install_trial_extension(validator, read(EXTENSION), PROD_SERIAL, T0 + DAY)
    assert until == EXTENSION_UNTIL and type(until) is int
    assert (store_dir / "trial-extension").read_bytes() == read(EXTENSION)
    at = T0 + 2 * DAY
    with trial_over.status(validator, PROD_SERIAL, at) as st:
        assert st.standing is Standing.TRIAL and st.may_run
        assert st.days_left == math.ceil((EXTENSION_UNTIL - at) / DAY)
        assert st.license() is None
    # It ends at its end.
    assert standing_at(trial_over, validator, EXTENSION_UNTIL)[0] is Standing.TRIAL_OVER


def test_trial_extension_installed_again_gives_the_same_end(trial_over, validator):
    for _ in range(2):
        assert trial_over.install_trial_extension(
            validator, read(EXTENSION), PROD_SERIAL, T0 + DAY
        ) == EXTENSION_UNTIL


def test_trial_extension_takes_bytes_like_and_the_clock(trial_over, validator):
    # A bytearray or memoryview is bytes too; no time is now (before its end).
    data = read(EXTENSION)
    assert trial_over.install_trial_extension(validator, bytearray(data), PROD_SERIAL) == EXTENSION_UNTIL
    assert trial_over.install_trial_extension(
        validator, memoryview(data), serial_number=PROD_SERIAL, unix_time=None
    ) == EXTENSION_UNTIL


@pytest.mark.parametrize(
    "make,serial,error,words",
    [
        (lambda: read(EXTENSION), DEV_SERIAL, licensing.WrongSerial,
         f"the trial extension is for serial {PROD_SERIAL}"),
        (lambda: read(PROD), PROD_SERIAL, licensing.Malformed, "not a trial extension file"),
        (lambda: read(RESET), PROD_SERIAL, licensing.Malformed, "not a trial extension file"),
        (lambda: b"", PROD_SERIAL, licensing.Malformed, "not a trial extension file"),
        (lambda: read(EXTENSION)[:-1], PROD_SERIAL, licensing.Malformed, "123 bytes"),
        (lambda: flipped(read(EXTENSION)), PROD_SERIAL, licensing.BadSignature, ""),
    ],
    ids=["wrong-serial", "license-file", "clock-reset-file", "empty", "cut-short", "bad-signature"],
)
def test_trial_extension_refusals(trial_over, store_dir, validator, make, serial, error, words):
    with pytest.raises(error) as info:
        trial_over.install_trial_extension(validator, make(), serial, T0 + DAY)
    assert isinstance(info.value, LicenseInvalid)
    assert info.value.code is error._code
    assert words in info.value.message
    # Nothing was installed: the trial stays over.
    assert not (store_dir / "trial-extension").exists()
    assert standing_at(trial_over, validator, T0 + DAY)[0] is Standing.TRIAL_OVER


def test_trial_extension_signed_by_an_untrusted_key(trial_over, store_dir, untrusting, validator):
    with pytest.raises(licensing.UnknownKey):
        trial_over.install_trial_extension(untrusting, read(EXTENSION), PROD_SERIAL, T0 + DAY)
    assert not (store_dir / "trial-extension").exists()


def test_trial_extension_for_the_stores_serial(store, validator, monkeypatch):
    # serial_number=None is the store's serial: pinned to another identity
    # here, so the extension (for PROD_SERIAL) is not this environment's.
    monkeypatch.delenv("LICENSING_IDENTITY_FILE", raising=False)
    monkeypatch.setenv("LICENSING_IDENTITY", "python-grants-box")
    here = store.serial_number
    assert here != PROD_SERIAL
    with pytest.raises(licensing.WrongSerial) as info:
        store.install_trial_extension(validator, read(EXTENSION), None, T0)
    assert here in info.value.message
    with pytest.raises(licensing.WrongSerial):
        store.reset_clock(validator, read(RESET), None, T0)


# ---------------------------------------------------------------------------
# Clock resets
# ---------------------------------------------------------------------------


@pytest.fixture
def clock_ahead(store, validator):
    """prod.lic installed a day before T0; the clock set to 2100 by mistake
    (a status then: expired), then set right (expired still, judged at the
    latest time seen, with a clock warning)."""
    store.install(validator, read(PROD), PROD_SERIAL, T0 - DAY).close()
    assert standing_at(store, validator, AHEAD)[0] is Standing.EXPIRED
    standing, _, warnings = standing_at(store, validator, T0 - DAY)
    assert standing is Standing.EXPIRED
    assert any("clock" in w for w in warnings), warnings
    return store


def test_clock_reset_lets_the_license_run_again_once(clock_ahead, validator):
    latest = clock_ahead.reset_clock(validator, read(RESET), PROD_SERIAL, T0 - DAY)
    # The reset's time, later than the clock given.
    assert latest == RESET_AT and type(latest) is int
    with clock_ahead.status(validator, PROD_SERIAL, RESET_AT) as st:
        assert st.standing is Standing.ACTIVE and st.may_run
        assert st.warnings == []
    # Once only.
    with pytest.raises(ClockResetUsed) as info:
        clock_ahead.reset_clock(validator, read(RESET), PROD_SERIAL, RESET_AT)
    assert info.value.code is ResultCode.CLOCK_RESET_USED
    assert "already applied" in info.value.message
    assert str(info.value).endswith("[LIC_CLOCK_RESET_USED]")
    with clock_ahead.status(validator, PROD_SERIAL, RESET_AT) as st:
        assert st.standing is Standing.ACTIVE and st.warnings == []


def test_clock_reset_goes_back_to_the_clock_when_later(clock_ahead, validator):
    later = RESET_AT + 3 * DAY
    assert clock_ahead.reset_clock(validator, read(RESET), PROD_SERIAL, later) == later


def test_clock_reset_does_not_reopen_the_trial(trial_over, validator):
    trial_over.reset_clock(validator, read(RESET), PROD_SERIAL, T0 + DAY)
    assert standing_at(trial_over, validator, T0 + DAY)[0] is Standing.TRIAL_OVER


@pytest.mark.parametrize(
    "make,serial,error,words",
    [
        (lambda: read(RESET), DEV_SERIAL, licensing.WrongSerial, PROD_SERIAL),
        (lambda: read(EXTENSION), PROD_SERIAL, licensing.Malformed, "not a clock reset file"),
        (lambda: read(PROD), PROD_SERIAL, licensing.Malformed, "not a clock reset file"),
        (lambda: flipped(read(RESET)), PROD_SERIAL, licensing.BadSignature, ""),
    ],
    ids=["wrong-serial", "trial-extension-file", "license-file", "bad-signature"],
)
def test_clock_reset_refusals(clock_ahead, validator, make, serial, error, words):
    with pytest.raises(error) as info:
        clock_ahead.reset_clock(validator, make(), serial, T0 - DAY)
    assert isinstance(info.value, LicenseInvalid) and words in info.value.message
    # Nothing applied: still expired, and the real reset still applies.
    assert standing_at(clock_ahead, validator, RESET_AT)[0] is Standing.EXPIRED
    assert clock_ahead.reset_clock(validator, read(RESET), PROD_SERIAL, T0 - DAY) == RESET_AT


def test_clock_reset_signed_by_an_untrusted_key(clock_ahead, untrusting):
    with pytest.raises(licensing.UnknownKey):
        clock_ahead.reset_clock(untrusting, read(RESET), PROD_SERIAL, T0 - DAY)


def test_clock_reset_used_is_an_answer():
    # Neither misuse, the machine's problem nor a license that is not valid:
    # a store's refusal, like LIC_DOWNGRADE.
    code = ResultCode.CLOCK_RESET_USED
    assert code == 505 and str(code) == "CLOCK_RESET_USED"
    assert not (code.is_misuse or code.is_environment or code.is_license_invalid)
    assert licensing._calls.error_class(code) is ClockResetUsed
    assert issubclass(ClockResetUsed, StoreError)
    assert not issubclass(ClockResetUsed, (licensing.UsageError, licensing.EnvironmentProblem,
                                           LicenseInvalid))
    assert licensing.result_message(code)


# ---------------------------------------------------------------------------
# Arguments of the grants
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["install_trial_extension", "reset_clock"])
def test_grant_arguments(store, store_dir, validator, method):
    call = getattr(store, method)
    name = EXTENSION if method == "install_trial_extension" else RESET
    with pytest.raises(TypeError):
        call(None, read(name), PROD_SERIAL, T0)
    with pytest.raises(TypeError):
        call(validator, None, PROD_SERIAL, T0)
    with pytest.raises(licensing.InvalidSerialNumber):
        call(validator, read(name), PROD_SERIAL[:-1] + "X", T0)
    with pytest.raises(ValueError):
        call(validator, read(name), PROD_SERIAL + "\0", T0)
    with pytest.raises(ValueError):
        call(validator, read(name), PROD_SERIAL, 2**63)
    with pytest.raises(ValueError):
        call(validator, read(name), PROD_SERIAL, datetime(2026, 6, 1))  # naive
    store.close()
    with pytest.raises(licensing.ClosedError):
        call(validator, read(name), PROD_SERIAL, T0)


@pytest.mark.parametrize("method", ["install_trial_extension", "reset_clock"])
def test_grant_with_a_closed_validator(store, trusted_key, method):
    v = Validator(trusted_key)
    v.close()
    with pytest.raises(licensing.ClosedError):
        getattr(store, method)(v, read(EXTENSION), PROD_SERIAL, T0)


# ---------------------------------------------------------------------------
# An anchor of the host's
# ---------------------------------------------------------------------------


class MemoryAnchor:
    """An anchor in a dict, counting the calls."""

    def __init__(self):
        self.saved = {}
        self.loads = self.saves = 0
        self.lock = threading.Lock()

    def load(self, key):
        with self.lock:
            self.loads += 1
            assert isinstance(key, str) and key
            return self.saved.get(key)

    def save(self, key, data):
        with self.lock:
            self.saves += 1
            assert isinstance(key, str) and isinstance(data, bytes)
            assert len(data) <= ANCHOR_MAX_LEN
            self.saved[key] = data


def test_anchor_remembers_what_deleting_the_state_forgets(store_dir, validator):
    anchor = MemoryAnchor()
    with Store.create(store_dir) as plain:
        anchored = plain.with_anchor(anchor)
    # The anchored store is a store of its own: the plain one is closed.
    assert isinstance(anchored, Store) and not anchored.closed
    assert anchored.dir == store_dir
    with anchored:
        assert standing_at(anchored, validator, T0)[:2] == (Standing.TRIAL, 30)
        assert anchor.saves >= 1 and len(anchor.saved) == 1
        (key, data), = anchor.saved.items()
        assert data.startswith(b"licensing-anchor 1\n")
        assert all(c in "0123456789abcdef" for c in key.lower())
        assert standing_at(anchored, validator, T0 + 7 * DAY)[:2] == (Standing.TRIAL, 23)

        # Deleting the state (and the store's id) no longer restarts the
        # trial: the anchor remembers this store was used.
        (store_dir / "state").unlink()
        (store_dir / "store-id").unlink()
        standing, _, warnings = standing_at(anchored, validator, T0 + 8 * DAY)
        assert standing is Standing.TRIAL_OVER
        assert any("altered or reset" in w for w in warnings), warnings
        # A trial extension is the honest customer's way out.
        assert anchored.install_trial_extension(
            validator, read(EXTENSION), PROD_SERIAL, T0 + 8 * DAY
        ) == EXTENSION_UNTIL
        assert standing_at(anchored, validator, T0 + 9 * DAY)[0] is Standing.TRIAL


def test_an_anchored_store_uses_its_own_anchor_only(store_dir, validator):
    # The anchor is the anchored store's, not the directory's: a second
    # anchored store with a fresh anchor knows nothing of the first's.
    with Store.create(store_dir) as plain, plain.with_anchor(MemoryAnchor()) as first:
        standing_at(first, validator, T0)
        with plain.with_anchor(MemoryAnchor()) as second:
            (store_dir / "state").unlink()
            (store_dir / "store-id").unlink()
            assert standing_at(second, validator, T0 + DAY)[:2] == (Standing.TRIAL, 30)


class FailingAnchor(MemoryAnchor):
    """An anchor whose calls raise, or answer what cannot be kept."""

    def __init__(self, answer):
        super().__init__()
        self.answer = answer

    def load(self, key):
        super().load(key)
        return self.answer(key)

    def save(self, key, data):
        with self.lock:
            self.saves += 1
        raise OSError("the platform's database is down")


def _raise(exc):
    raise exc


@pytest.mark.parametrize(
    "answer",
    [
        lambda key: _raise(OSError("the platform's database is down")),
        lambda key: _raise(KeyboardInterrupt()),  # not even a BaseException gets through
        lambda key: b"x" * (ANCHOR_MAX_LEN + 1),  # longer than the buffer
        lambda key: "not bytes",
        lambda key: 42,
    ],
    ids=["raises", "raises-base-exception", "too-long", "str", "int"],
)
def test_an_anchor_that_fails_never_stops_the_store(tmp_path, validator, answer):
    anchor = FailingAnchor(answer)
    with Store.create(tmp_path / "store") as plain, plain.with_anchor(anchor) as anchored:
        assert standing_at(anchored, validator, T0)[:2] == (Standing.TRIAL, 30)
        assert standing_at(anchored, validator, T0 + DAY)[:2] == (Standing.TRIAL, 29)
        anchored.install(validator, read(PROD), PROD_SERIAL, T0).close()
        assert standing_at(anchored, validator, T0 + DAY)[0] is Standing.ACTIVE
        assert anchor.loads >= 1 and anchor.saves >= 1


class Answering:
    """An anchor whose load answers ``answer`` (or raises it) and whose save
    records what it was given (or raises ``save_raises``)."""

    def __init__(self, answer=None, save_raises=None):
        self.answer, self.save_raises, self.saved = answer, save_raises, []

    def load(self, key):
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer

    def save(self, key, data):
        if self.save_raises is not None:
            raise self.save_raises
        self.saved.append((key, data))


def call_load(anchor, key=b"00ff", size=ANCHOR_MAX_LEN):
    """Calls the load callback as the library does: (result, bytes written
    or None when ``written`` was not set, the buffer)."""
    load, _ = _anchor.callbacks(anchor)
    buf = (ctypes.c_uint8 * size)(*([0xAA] * size))
    written = ctypes.c_size_t(12345)
    rc = load(None, key, ctypes.cast(buf, ctypes.POINTER(ctypes.c_uint8)), size,
              ctypes.byref(written))
    return rc, (None if written.value == 12345 else written.value), bytes(buf)


def test_load_callback_copies_what_was_saved():
    rc, written, buf = call_load(Answering(b"licensing-anchor 1\n..."))
    assert (rc, written) == (ANCHOR_FOUND, 22) and buf[:22] == b"licensing-anchor 1\n..."
    assert buf[22:] == b"\xaa" * (ANCHOR_MAX_LEN - 22), "nothing written past the bytes"
    for like in (bytearray(b"abc"), memoryview(b"abc")):
        assert call_load(Answering(like))[:2] == (ANCHOR_FOUND, 3)
    assert call_load(Answering(b""))[:2] == (ANCHOR_FOUND, 0)
    # Exactly the buffer's length fits.
    rc, written, buf = call_load(Answering(b"x" * ANCHOR_MAX_LEN))
    assert (rc, written, buf) == (ANCHOR_FOUND, ANCHOR_MAX_LEN, b"x" * ANCHOR_MAX_LEN)


def test_load_callback_gives_the_key_as_str():
    seen = []

    class Recording(Answering):
        def load(self, key):
            seen.append(key)
            return None

    assert call_load(Recording(), key=b"0123abcd")[:2] == (ANCHOR_NOT_FOUND, None)
    assert seen == ["0123abcd"]


@pytest.mark.parametrize(
    "answer",
    [
        b"x" * (ANCHOR_MAX_LEN + 1),  # longer than the buffer: never cut short
        "not bytes",
        42,
        OSError("the platform's database is down"),
        KeyboardInterrupt(),
        SystemExit(3),
    ],
    ids=["too-long", "str", "int", "raises", "keyboard-interrupt", "system-exit"],
)
def test_load_callback_fails_without_raising_into_c(answer):
    rc, written, buf = call_load(Answering(answer))
    assert (rc, written) == (ANCHOR_FAILED, None)
    assert buf == b"\xaa" * ANCHOR_MAX_LEN, "nothing copied"


def test_load_callback_respects_the_length_given():
    assert call_load(Answering(b"x" * 9), size=8)[:2] == (ANCHOR_FAILED, None)
    assert call_load(Answering(b"x" * 8), size=8)[:2] == (ANCHOR_FOUND, 8)


def test_save_callback():
    anchor = Answering()
    _, save = _anchor.callbacks(anchor)
    data = (ctypes.c_uint8 * 5)(*b"hello")
    assert save(None, b"00ff", ctypes.cast(data, ctypes.POINTER(ctypes.c_uint8)), 5) == 0
    assert save(None, b"00ff", None, 0) == 0
    assert anchor.saved == [("00ff", b"hello"), ("00ff", b"")]
    for exc in (OSError("full"), KeyboardInterrupt(), ValueError("no")):
        failing = Answering(save_raises=exc)
        _, save = _anchor.callbacks(failing)
        assert save(None, b"00ff", ctypes.cast(data, ctypes.POINTER(ctypes.c_uint8)), 5) == 1


def test_with_anchor_arguments(store, validator):
    class LoadOnly:
        def load(self, key):
            return None

    class NotCallable:
        load = save = None

    for bad in (None, object(), LoadOnly(), NotCallable()):
        with pytest.raises(TypeError):
            store.with_anchor(bad)
    store.close()
    with pytest.raises(licensing.ClosedError):
        store.with_anchor(MemoryAnchor())


def test_anchored_store_keeps_its_callbacks_alive(store_dir, validator):
    # Neither the anchor nor the ctypes callbacks are referenced by the
    # caller: the anchored store keeps them as long as it lives.
    with Store.create(store_dir) as plain:
        anchored = plain.with_anchor(MemoryAnchor())
    gc.collect()
    assert standing_at(anchored, validator, T0)[:2] == (Standing.TRIAL, 30)
    anchor = anchored._anchor
    assert anchor.saves >= 1
    # Freed by garbage collection like any store.
    finalizer = anchored._finalizer
    del anchored
    gc.collect()
    assert not finalizer.alive


def test_anchored_store_outlives_and_survives_closing_the_original(store_dir, validator):
    plain = Store.create(store_dir)
    anchored = plain.with_anchor(MemoryAnchor())
    plain.close()
    assert standing_at(anchored, validator, T0)[0] is Standing.TRIAL
    anchored.close()
    anchored.close()
    with pytest.raises(licensing.ClosedError):
        anchored.status(validator, PROD_SERIAL, T0)


def test_threads_share_an_anchored_store(store_dir, validator):
    anchor = MemoryAnchor()
    errors = []
    with Store.create(store_dir) as plain, plain.with_anchor(anchor) as anchored:

        def work(i):
            try:
                for j in range(10):
                    with anchored.status(validator, PROD_SERIAL, T0 + i * 60 + j) as st:
                        assert st.standing is Standing.TRIAL
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors
    assert anchor.saves >= 1 and len(anchor.saved) == 1
