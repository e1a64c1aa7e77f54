"""The offline exchange through the Python binding: the environment's
activation request (``Store.activation_request``), its usage report
(``Store.usage_report``) with the daily peaks ``Store.status`` records, and
the infrastructure's usage summary (``Store.install_usage_summary``), after
which a production store judges the limits summed across the production
environments on the infrastructure's total.

The rules (what a name may be, how peaks are summed, when publishing is
refused) are the library's: these tests check that the binding passes the
arguments, returns the text and raises the class of the code it gets back.
The vendor's side of the whole exchange is the licensing CLI (register,
issue, usage-summary)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import licensing
from licensing import Purpose, ResultCode, Store, Validator
from vectors import DEV_SERIAL, OTHER_CODE, PROD_CODE, PROD_NOW, PROD_SERIAL, read

REQUEST_BEGIN = "-----BEGIN LICENSING ACTIVATION REQUEST-----\n"
REQUEST_END = "-----END LICENSING ACTIVATION REQUEST-----"
REPORT_BEGIN = "-----BEGIN LICENSING USAGE REPORT-----\n"
SUMMARY_BEGIN = "-----BEGIN LICENSING USAGE SUMMARY-----\n"
T0 = PROD_NOW.now  # 2026-06-01T12:00:00Z


@pytest.fixture
def pinned(monkeypatch) -> None:
    """A pinned identity: the store's serial is known without hardware."""
    monkeypatch.delenv("LICENSING_IDENTITY_FILE", raising=False)
    monkeypatch.setenv("LICENSING_IDENTITY", "python-test-exchange")


@pytest.fixture
def store(store_dir, pinned):
    with Store.create(store_dir) as s:
        yield s


# -- the activation request ----------------------------------------------------


def test_activation_request_is_armored_text(store):
    text = store.activation_request(PROD_CODE, "Production", Purpose.PRODUCTION, "11.14", T0)
    assert isinstance(text, str)
    assert text.startswith(REQUEST_BEGIN) and text.rstrip("\n").endswith(REQUEST_END)
    assert len(text) > 64, "longer than the first buffer the binding tries"
    # The same arguments, the same request; each argument is in it.
    assert store.activation_request(PROD_CODE, "Production", Purpose.PRODUCTION, "11.14", T0) == text
    others = [
        store.activation_request(PROD_CODE, "Production", Purpose.PRODUCTION, None, T0),
        store.activation_request(PROD_CODE, "Production", Purpose.PRODUCTION, unix_time=T0),
        store.activation_request(PROD_CODE, "Staging", Purpose.PRODUCTION, "11.14", T0),
        store.activation_request(PROD_CODE, "Production", Purpose.NON_PRODUCTION, "11.14", T0),
        store.activation_request(OTHER_CODE, "Production", Purpose.PRODUCTION, "11.14", T0),
        store.activation_request(PROD_CODE, "Production", Purpose.PRODUCTION, "11.14", T0 + 1),
    ]
    assert others[0] == others[1], "platform_version defaults to None"
    assert all(other != text for other in others)


@pytest.mark.parametrize("purpose", list(Purpose), ids=[p.name for p in Purpose])
def test_activation_request_for_every_purpose_now(store, purpose):
    assert store.activation_request(PROD_CODE, "QA", purpose).startswith(REQUEST_BEGIN)


def test_activation_request_of_a_store_without_identity(store_dir, monkeypatch):
    Store.create(store_dir).close()
    monkeypatch.delenv("LICENSING_IDENTITY", raising=False)
    monkeypatch.setenv("LICENSING_IDENTITY_FILE", "/nonexistent/licensing-python-test/identity")
    with Store(store_dir) as store:
        with pytest.raises(licensing.NoHardwareIdentity):
            store.activation_request(PROD_CODE, "Production", Purpose.PRODUCTION)


@pytest.mark.parametrize("code", ["", "XYZ", "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRR", PROD_SERIAL])
def test_activation_request_with_a_bad_code(store, code):
    with pytest.raises(licensing.InvalidActivationCode) as info:
        store.activation_request(code, "Production", Purpose.PRODUCTION)
    assert info.value.code is ResultCode.INVALID_ACTIVATION_CODE
    assert "activation code" in info.value.message


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "Prod\x01uction", "Prod\nuction"])
def test_activation_request_with_a_bad_name(store, name):
    with pytest.raises(licensing.InvalidEnvironmentName) as info:
        store.activation_request(PROD_CODE, name, Purpose.PRODUCTION)
    err = info.value
    assert err.code is ResultCode.INVALID_ENVIRONMENT_NAME and err.code.is_misuse
    assert isinstance(err, licensing.UsageError) and isinstance(err, ValueError)
    assert "name" in err.message
    assert str(err).endswith("[LIC_INVALID_ENVIRONMENT_NAME]")


def test_activation_request_name_of_100_characters(store):
    assert store.activation_request(PROD_CODE, "x" * 100, Purpose.PRODUCTION).startswith(
        REQUEST_BEGIN
    )


@pytest.mark.parametrize("purpose", [-1, 4, 99])
def test_activation_request_with_an_int_that_is_no_purpose(store, purpose):
    # Any int is passed on: the library refuses it.
    with pytest.raises(licensing.InvalidPurpose) as info:
        store.activation_request(PROD_CODE, "Production", purpose)
    err = info.value
    assert err.code is ResultCode.INVALID_PURPOSE and err.code.is_misuse
    assert isinstance(err, ValueError)
    assert "LIC_PURPOSE_PRODUCTION" in err.message


def test_activation_request_argument_types(store):
    with pytest.raises(TypeError, match="purpose"):
        store.activation_request(PROD_CODE, "Production", "production")
    with pytest.raises(TypeError, match="purpose"):
        store.activation_request(PROD_CODE, "Production", True)
    with pytest.raises(ValueError, match="purpose"):
        store.activation_request(PROD_CODE, "Production", 2**40)
    with pytest.raises(TypeError, match="activation_code"):
        store.activation_request(None, "Production", Purpose.PRODUCTION)
    with pytest.raises(TypeError, match="environment_name"):
        store.activation_request(PROD_CODE, None, Purpose.PRODUCTION)
    with pytest.raises(ValueError, match="environment_name"):
        store.activation_request(PROD_CODE, "Prod\0uction", Purpose.PRODUCTION)


@pytest.mark.parametrize("version", ["11.x", "", "v11.14", "11..14"])
def test_activation_request_with_a_bad_platform_version(store, version):
    with pytest.raises(licensing.InvalidPlatformVersion):
        store.activation_request(PROD_CODE, "Production", Purpose.PRODUCTION, version)


def test_activation_request_of_a_closed_store(store):
    store.close()
    with pytest.raises(licensing.ClosedError):
        store.activation_request(PROD_CODE, "Production", Purpose.PRODUCTION)


# -- the usage report ----------------------------------------------------------


def test_usage_report_without_a_license(store, store_dir, validator):
    with pytest.raises(licensing.NoLicense) as info:
        store.usage_report(validator, PROD_SERIAL, T0)
    assert info.value.code is ResultCode.NO_LICENSE
    assert str(store_dir) in info.value.message


def test_usage_report_carries_the_peaks_the_status_recorded(store, store_dir, validator):
    store.install(validator, read("prod.lic"), PROD_SERIAL, T0).close()
    before = store.usage_report(validator, PROD_SERIAL, T0)
    assert before.startswith(REPORT_BEGIN)
    with store.status(validator, PROD_SERIAL, T0,
                      usage={"application-objects": 300, "internal-users": 50}) as st:
        assert st.may_run and st.may_publish
    record = (store_dir / "usage").read_text(encoding="utf-8")
    assert "\n2026-06-01 application-objects 300\n" in record
    assert "\n2026-06-01 internal-users 50\n" in record
    report = store.usage_report(validator, PROD_SERIAL, T0)
    assert report.startswith(REPORT_BEGIN) and report != before
    assert report == store.usage_report(validator, PROD_SERIAL, T0)
    # A lower usage the same day keeps the peak; a higher one raises it.
    store.status(validator, PROD_SERIAL, T0 + 60, usage={"application-objects": 120}).close()
    assert store.usage_report(validator, PROD_SERIAL, T0) == report
    store.status(validator, PROD_SERIAL, T0 + 120, usage={"application-objects": 301}).close()
    assert store.usage_report(validator, PROD_SERIAL, T0) != report


def test_usage_report_is_refused_as_validation_says(store, validator):
    store.install(validator, read("prod.lic"), PROD_SERIAL, T0).close()
    with pytest.raises(licensing.WrongSerial):
        store.usage_report(validator, DEV_SERIAL, T0)
    # serial_number=None: the store's own (the pinned identity's), not prod.lic's.
    with pytest.raises(licensing.WrongSerial):
        store.usage_report(validator, unix_time=T0)
    with pytest.raises(licensing.InvalidSerialNumber):
        store.usage_report(validator, "not-a-serial", T0)
    with pytest.raises(TypeError, match="validator"):
        store.usage_report(read("test-public-key.pem"), PROD_SERIAL, T0)
    # Expired past its grace period: still reported.
    assert store.usage_report(validator, PROD_SERIAL, 1893456000).startswith(REPORT_BEGIN)


@pytest.mark.parametrize(
    "summary",
    [b"", b"hello, this is not a usage summary", "-----BEGIN LICENSING USAGE SUMMARY-----\nAAAA\n"],
    ids=["empty", "garbage", "cut-short"],
)
def test_install_usage_summary_that_is_none(store, validator, summary):
    store.install(validator, read("prod.lic"), PROD_SERIAL, T0).close()
    with pytest.raises(licensing.BadUsageSummary) as info:
        store.install_usage_summary(validator, summary, PROD_SERIAL, T0)
    err = info.value
    assert err.code is ResultCode.BAD_USAGE_SUMMARY and err.code.is_environment
    assert isinstance(err, licensing.EnvironmentProblem) and isinstance(err, licensing.StoreError)
    assert "summary" in err.message


# -- the whole exchange --------------------------------------------------------


@pytest.fixture
def vendor(cli_path, tmp_path):
    """The vendor's side, with the CLI: keys and a subscription with two
    production slots and a hard application-objects limit of 450. Call it
    with the CLI's arguments and the exit status expected."""
    home = tmp_path / "vendor"
    home.mkdir()

    def run(*args: str, status: int = 0) -> str:
        done = subprocess.run(
            [str(cli_path), *args], cwd=str(home), capture_output=True, text=True, timeout=120
        )
        assert done.returncode == status, (
            f"licensing {' '.join(args)}: expected exit {status}, got {done.returncode}\n"
            f"{done.stdout}{done.stderr}"
        )
        return done.stdout

    run("keygen", "--private", "vendor.key", "--public", "vendor.pub")
    out = run("subscription", "new", "--organization", "Exchange Test", "--edition",
              "Enterprise", "--support", "premium", "--end", "2027-12-31",
              "--slots", "production=2", "--limit", "application-objects=450:hard",
              "--out", "subscription.json")
    run.code = next(line.split(": ", 1)[1] for line in out.splitlines()
                    if line.startswith("activation code: "))
    run.dir = home
    return run


def environment(tmp_path: Path, vendor, monkeypatch, letter: str):
    """A production environment: its store (identity pinned), its request
    registered and its license issued by the vendor, installed. Returns the
    store and its serial."""
    monkeypatch.setenv("LICENSING_IDENTITY", f"python-test-exchange-{letter}")
    store = Store.create(tmp_path / f"store-{letter}")
    serial = store.serial_number
    name = f"Production {letter.upper()}"
    request = store.activation_request(vendor.code, name, Purpose.PRODUCTION, "11.14", T0)
    (vendor.dir / f"{letter}.request").write_text(request, encoding="utf-8")
    vendor("register", "subscription.json", "--request", f"{letter}.request")
    vendor("issue", "subscription.json", "--key", "vendor.key", "--serial", serial,
           "--at", "2026-01-01T00:00:00Z", "--out", f"{letter}.lic")
    validator = Validator((vendor.dir / "vendor.pub").read_bytes())
    with store.install(validator, (vendor.dir / f"{letter}.lic").read_bytes(), serial, T0) as lic:
        assert (lic.environment_name, lic.serial_number, lic.purpose) == (
            name, serial, Purpose.PRODUCTION
        ), "the license has what the request said"
        assert lic.activation_code == vendor.code
    return store, serial, validator


def test_a_summary_of_300_and_300_over_450_refuses_publishing(tmp_path, vendor, monkeypatch):
    monkeypatch.delenv("LICENSING_IDENTITY_FILE", raising=False)
    a, serial_a, validator = environment(tmp_path, vendor, monkeypatch, "a")
    b, serial_b, _ = environment(tmp_path, vendor, monkeypatch, "b")
    assert serial_a != serial_b
    # 300 application objects each: each within its own 450. Their reports.
    for store, serial, letter in ((a, serial_a, "a"), (b, serial_b, "b")):
        with store.status(validator, serial, T0, usage={"application-objects": 300}) as st:
            assert st.may_publish, st.publish_reason
        report = store.usage_report(validator, serial, T0)
        assert report.startswith(REPORT_BEGIN)
        (vendor.dir / f"{letter}.report").write_text(report, encoding="utf-8")
    # Summed by the CLI: 600 of 450 across production (exit 1, the summary written).
    vendor("usage-summary", "a.report", "b.report", "--out", "infrastructure.summary", status=1)
    summary = (vendor.dir / "infrastructure.summary").read_bytes()
    assert summary.startswith(SUMMARY_BEGIN.encode())
    # A store without a license has nothing to give it to.
    with Store.create(tmp_path / "store-empty") as empty:
        with pytest.raises(licensing.NoLicense) as info:
            empty.install_usage_summary(validator, summary, serial_a, T0)
        assert info.value.code is ResultCode.NO_LICENSE

    # Given it, A judges on the infrastructure's total: publishing refused,
    # running goes on.
    a.install_usage_summary(validator, summary, serial_a, T0)
    with a.status(validator, serial_a, T0 + 60, usage={"application-objects": 300}) as st:
        assert st.may_run and st.may_administer
        assert not st.may_publish
        assert "application-objects 600/450 summed across 2 production environments" in (
            st.publish_reason
        ), st.publish_reason
    with a.status(validator, serial_a, T0 + 120, usage={"application-objects": 100}) as st:
        assert st.may_publish, st.publish_reason
    # B was given none: its own 300 of 450. Given the text form, with its
    # own serial read from the pinned identity (serial_number=None).
    with b.status(validator, serial_b, T0 + 60, usage={"application-objects": 300}) as st:
        assert st.may_publish, st.publish_reason
    b.install_usage_summary(validator, summary.decode("utf-8"), unix_time=T0)
    with b.status(validator, serial_b, T0 + 120, usage={"application-objects": 300}) as st:
        assert not st.may_publish and st.may_run

    # Damaged in transit, or another infrastructure's: refused.
    damaged = bytearray(summary)
    i = len(SUMMARY_BEGIN) + 10
    damaged[i] = ord("A") if damaged[i] != ord("A") else ord("B")
    with pytest.raises(licensing.BadUsageSummary, match="damaged"):
        a.install_usage_summary(validator, bytes(damaged), serial_a, T0)
    with pytest.raises(licensing.BadUsageSummary, match="not a readable usage summary"):
        a.install_usage_summary(validator, (vendor.dir / "a.report").read_bytes(), serial_a, T0)
    with Validator(read("test-public-key.pem")) as vectors_key:
        with Store.create(tmp_path / "store-other") as other:
            other.install(vectors_key, read("prod.lic"), PROD_SERIAL, T0).close()
            with pytest.raises(licensing.BadUsageSummary) as info:
                other.install_usage_summary(vectors_key, summary, PROD_SERIAL, T0)
    assert vendor.code in info.value.message and PROD_CODE in info.value.message
    # The summary A was given still stands.
    with a.status(validator, serial_a, T0 + 180, usage={"application-objects": 300}) as st:
        assert not st.may_publish
    a.close()
    b.close()
    validator.close()
