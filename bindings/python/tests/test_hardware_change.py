"""Acceptance: a hardware change, through the Python binding.

The machine is a fixture tree read through LICENSING_HARDWARE_ROOT (the
library reads it whenever a store handle first needs the serial), with
exactly three components: a machine id, a DMI product uuid and one network
card. The vendor's side is the licensing CLI: keygen, subscription new,
register, issue. A store's fingerprint record keeps the serial, and so the
license, through the swap of the network card; when two of the three
components change, the serial is new and the status says what happened and
what to do."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from licensing import Standing, Store, Validator
from vectors import VECTORS_DIR

MACHINE_ID = "3d1219c7c4c5404aaa1f6d2a48adfda4"
NEW_MACHINE_ID = "0000000000000000000000000000000f"
PRODUCT_UUID = "4C4C4544-0042-3510-8052-B4C04F4A4E32"
FIRST_MAC, SWAPPED_MAC, THIRD_MAC = "02:fc:00:00:00:01", "02:fc:00:00:00:99", "02:fc:00:00:00:42"


def record(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def hardware(root: Path, machine_id: str, mac: str) -> None:
    """Writes below ``root`` (shaped like ``/``) the three components: a
    machine id, a product uuid, and eth0, a physical card (it has a device)
    with a permanent address (addr_assign_type 0) ``mac``."""
    files = {
        "etc/machine-id": machine_id,
        "sys/class/dmi/id/product_uuid": PRODUCT_UUID,
        "sys/class/net/eth0/address": mac,
        "sys/class/net/eth0/type": "1",
        "sys/class/net/eth0/addr_assign_type": "0",
    }
    for relative, value in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value + "\n")
    (root / "sys/class/net/eth0/device").mkdir(exist_ok=True)


@pytest.fixture
def cli(cli_path, tmp_path):
    """Runs the CLI in the vendor's directory; its stdout."""
    vendor = tmp_path / "vendor"
    vendor.mkdir()

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(cli_path), *args], cwd=str(vendor), capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (
            f"licensing {' '.join(args)}: expected exit 0, got {done.returncode}\n{done.stderr}"
        )
        return done.stdout

    run.dir = vendor
    return run


@pytest.fixture
def machine(tmp_path, monkeypatch) -> Path:
    """This machine's hardware: the fixture tree, with no identity pinned
    (a pinned identity would be used instead of the hardware)."""
    root = tmp_path / "host"
    monkeypatch.delenv("LICENSING_IDENTITY", raising=False)
    monkeypatch.delenv("LICENSING_IDENTITY_FILE", raising=False)
    monkeypatch.setenv("LICENSING_HARDWARE_ROOT", str(root))
    hardware(root, MACHINE_ID, FIRST_MAC)
    return root


def test_a_swapped_card_keeps_the_license_and_a_new_serial_is_explained(machine, cli, store_dir):
    # The installer makes the store; each start of the application opens
    # it with a new Store (a handle reads the hardware once).
    with Store.create(store_dir) as store:
        serial = store.serial_number
    assert serial == cli("serial", "--root", str(machine)).strip(), "the hardware's serial"
    # The record the core's and the other bindings' tests find for this tree.
    assert record(store_dir / "fingerprint.json") == record(VECTORS_DIR / "fingerprint-record.json")

    # The vendor: a key pair, Acme's subscription, this environment, its license.
    cli("keygen", "--private", "vendor.key", "--public", "vendor.pub")
    cli("subscription", "new", "--organization", "Acme Corp", "--edition", "Enterprise",
        "--support", "premium", "--end", "never", "--slots", "production=1",
        "--out", "acme.json")
    cli("register", "acme.json", "--serial", serial, "--name", "Production",
        "--purpose", "production")
    cli("issue", "acme.json", "--key", "vendor.key", "--serial", serial,
        "--out", "production.lic")
    validator = Validator((cli.dir / "vendor.pub").read_bytes())
    license_file = (cli.dir / "production.lic").read_bytes()

    # Installed and licensed, with no serial given anywhere.
    with Store(store_dir) as store:
        with store.install(validator, license_file) as lic:
            assert lic.serial_number == serial
        with store.status(validator) as st:
            assert st.may_run, st.run_reason
            assert st.standing is Standing.ACTIVE and st.warnings == []
            assert st.days_left is None, "a subscription without an end never expires"

    # The network card swapped: the hardware alone now gives another
    # serial, but 2 of the 3 recorded components match: same serial.
    hardware(machine, MACHINE_ID, SWAPPED_MAC)
    assert cli("serial", "--root", str(machine)).strip() != serial
    with Store(store_dir) as store:
        assert store.serial_number == serial
        with store.status(validator) as st:
            assert st.may_run, (st.run_reason, st.warnings)
            assert st.standing is Standing.ACTIVE

    # Two of three changed since the record (the card again, and the machine
    # id): a new serial, which the license is not for.
    hardware(machine, NEW_MACHINE_ID, THIRD_MAC)
    with Store(store_dir) as store:
        new = store.serial_number
        assert new != serial
        with store.status(validator) as st:
            assert st.standing is Standing.INVALID
            assert not st.may_run, st.run_reason
            assert st.license() is None
            changed = [w for w in st.warnings if "serial number changed" in w]
            assert len(changed) == 1, st.warnings
    warning = changed[0]
    for part in ("mac", "machine-id", serial, new, "register"):
        assert part in warning, f"expected {part!r} in the warning: {warning}"
    assert "dmi-product-uuid" not in warning, "the product uuid did not change"
    assert record(store_dir / "fingerprint.json") == record(
        VECTORS_DIR / "fingerprint-record-replaced.json"
    )
