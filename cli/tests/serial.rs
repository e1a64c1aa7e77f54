//! `licensing serial` reading a machine: a fixture directory shaped like
//! `/` (`--root`), the fingerprint record (`--record`), `--explain`, and
//! identities pinned with `LICENSING_IDENTITY` / `LICENSING_IDENTITY_FILE`.

mod common;

use common::{Run, assert_contains_all};
use licensing::{HardwareComponent, MachineIdentity, SERIAL_ALGORITHM, SerialNumber};
use std::fs;
use std::path::Path;
use tempfile::TempDir;

const MACHINE_ID: &str = "5e2f7a9c0b1d4e3fa6c8d2b4e1f09a77";
const PRODUCT_UUID: &str = "4C4C4544-0042-3510-8052-B4C04F4A4E32";
const MAC: &str = "52:54:00:A1:B2:C3";

/// Runs the tool with `env` set (`Some`) or removed (`None`); the pinning
/// variables are removed unless `env` sets them, so the developer's own
/// environment does not leak into the tests.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let unpinned = [
        ("LICENSING_IDENTITY", None),
        ("LICENSING_IDENTITY_FILE", None),
    ];
    let r = common::run_env(dir, args, &[&unpinned[..], env].concat());
    assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
    r
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_env(dir, args, &[])
}

/// A directory shaped like `/`: a machine id, a DMI product uuid and one
/// physical network card with a permanent address.
fn fixture() -> TempDir {
    let root = TempDir::new().unwrap();
    write(root.path(), "etc/machine-id", MACHINE_ID);
    write(root.path(), "sys/class/dmi/id/product_uuid", PRODUCT_UUID);
    nic(root.path(), "eth0", MAC, "0", true);
    root
}

fn write(root: &Path, relative: &str, value: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, format!("{value}\n")).unwrap();
}

fn nic(root: &Path, name: &str, mac: &str, assign: &str, device: bool) {
    let dir = format!("sys/class/net/{name}");
    write(root, &format!("{dir}/address"), mac);
    write(root, &format!("{dir}/addr_assign_type"), assign);
    write(root, &format!("{dir}/type"), "1");
    if device {
        fs::create_dir_all(root.join(&dir).join("device")).unwrap();
    }
}

fn root_arg(root: &TempDir) -> &str {
    root.path().to_str().expect("a UTF-8 temp path")
}

/// `serial --root R [extra...]`: the serial number of the machine `root`.
fn serial_args<'a>(root: &'a TempDir, extra: &[&'a str]) -> Vec<&'a str> {
    common::with(&["serial", "--root", root_arg(root)], extra)
}

/// `licensing serial --root R [extra...]`, which must succeed.
fn serial_at(root: &TempDir, extra: &[&str]) -> Run {
    let args = serial_args(root, extra);
    let r = run(root.path(), &args);
    common::assert_exit(&r, &args, 0);
    r
}

/// `licensing serial [extra...]` on this machine, with its identity pinned
/// by the environment variable `variable`.
fn serial_pinned_by(dir: &Path, variable: &str, value: &str, extra: &[&str]) -> Run {
    let args = common::with(&["serial"], extra);
    run_env(dir, &args, &[(variable, Some(value))])
}

/// The serial number the library reads from the machine `root`.
fn hardware_serial(root: &TempDir) -> SerialNumber {
    MachineIdentity::at_root(root.path()).serial().unwrap()
}

fn parsed(stdout: &str) -> SerialNumber {
    stdout
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("not a serial number ({e}): {stdout}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first 12 hex digits of a component's hash, as `--explain` shows it.
fn short_hash(kind: &str, value: &str) -> String {
    hex(&HardwareComponent::new(kind, value).hash_v1().unwrap())[..12].to_owned()
}

/// Every raw value of the fixture, in the case it was written and lower case.
fn raw_values() -> Vec<String> {
    let mut values = Vec::new();
    for v in [MACHINE_ID, PRODUCT_UUID, MAC, "02:fc:00:00:00:99"] {
        values.push(v.to_owned());
        values.push(v.to_lowercase());
    }
    values
}

#[test]
fn the_serial_of_a_root_is_stable_across_processes_and_matches_the_library() {
    let root = fixture();
    let first = parsed(&serial_at(&root, &[]).stdout);
    let second = parsed(&serial_at(&root, &[]).stdout);
    assert_eq!(first, second);
    assert_eq!(first, hardware_serial(&root));
    // Not a constant: another machine id is another serial.
    let other = fixture();
    write(
        other.path(),
        "etc/machine-id",
        "ffffffff0000111122223333aaaabbbb",
    );
    assert_ne!(parsed(&serial_at(&other, &[]).stdout), first);
}

#[test]
fn virtual_interfaces_do_not_change_the_serial() {
    let root = fixture();
    let before = parsed(&serial_at(&root, &[]).stdout);
    // docker0: no device, an address the kernel set (addr_assign_type 3).
    nic(root.path(), "docker0", "02:42:ac:11:00:01", "3", false);
    // A randomized address on a real card does not count either.
    nic(root.path(), "wlan0", "7e:11:22:33:44:55", "1", true);
    assert_eq!(parsed(&serial_at(&root, &[]).stdout), before);
    // A second physical card does: without a record the serial follows it.
    nic(root.path(), "eth1", "02:fc:00:00:00:02", "0", true);
    assert_ne!(parsed(&serial_at(&root, &[]).stdout), before);
}

#[test]
fn the_record_keeps_the_serial_through_a_minority_of_changes() {
    let root = fixture();
    let record = root.path().join("record.json");
    let record_arg = record.to_str().unwrap();
    let assert_no_raw_values = || {
        let text = fs::read_to_string(&record).unwrap();
        for v in raw_values() {
            assert!(!text.contains(&v), "raw value {v} in the record:\n{text}");
        }
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["algorithm"], SERIAL_ALGORITHM);
        text
    };

    // First run: no record yet; the serial is the hardware's.
    let first = serial_at(&root, &["--record", record_arg]);
    let serial = parsed(&first.stdout);
    assert_eq!(serial, hardware_serial(&root));
    assert!(first.stderr.contains("no record"), "{}", first.stderr);
    let text = assert_no_raw_values();
    assert!(text.contains(&serial.to_string()), "{text}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["components"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Unchanged: same serial, nothing to report.
    let again = serial_at(&root, &["--record", record_arg]);
    assert_eq!(parsed(&again.stdout), serial);
    assert_eq!(again.stderr, "");

    // The network card replaced: 2 of 3 still match, the serial is kept,
    // although the hardware alone now gives another one.
    nic(root.path(), "eth0", "02:fc:00:00:00:99", "0", true);
    let hardware_now = hardware_serial(&root);
    assert_ne!(hardware_now, serial);
    let tolerated = serial_at(&root, &["--record", record_arg]);
    assert_eq!(parsed(&tolerated.stdout), serial);
    let kept = format!("kept serial {serial}");
    assert_contains_all(&tolerated.stderr, &[kept.as_str(), "changed: mac"]);
    assert_no_raw_values();
    // The record follows the hardware: the next start is unchanged.
    let settled = serial_at(&root, &["--record", record_arg]);
    assert_eq!(parsed(&settled.stdout), serial);
    assert_eq!(settled.stderr, "");

    // A majority replaced (a new machine, really): a new serial, and the
    // components that changed are named.
    write(
        root.path(),
        "etc/machine-id",
        "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    );
    write(
        root.path(),
        "sys/class/dmi/id/product_uuid",
        "9D1E2F30-1111-2222-3333-444455556666",
    );
    nic(root.path(), "eth0", "02:fc:00:00:00:42", "0", true);
    let moved = run(root.path(), &serial_args(&root, &["--record", record_arg]));
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    let new = parsed(&moved.stdout);
    assert_ne!(new, serial);
    assert_eq!(new, hardware_serial(&root));
    let changed = format!("changed from {serial} to {new}");
    assert_contains_all(
        &moved.stderr,
        &[
            changed.as_str(),
            "machine-id",
            "dmi-product-uuid",
            "mac",
            "register the new serial and release the old one",
        ],
    );
    assert!(
        fs::read_to_string(&record)
            .unwrap()
            .contains(&new.to_string())
    );
    assert_no_raw_values();
    // No temporary files left beside the record.
    let names: Vec<String> = fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_damaged_record_is_bad_input_naming_the_file_and_is_left_alone() {
    let root = fixture();
    let record = root.path().join("record.json");
    fs::write(&record, "{ not json").unwrap();
    let r = run(
        root.path(),
        &serial_args(&root, &["--record", record.to_str().unwrap()]),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_contains_all(&r.stderr, &["record.json", "not a fingerprint record"]);
    assert_eq!(fs::read_to_string(&record).unwrap(), "{ not json");
}

#[test]
fn explain_lists_components_by_hash_never_by_value() {
    let root = fixture();
    nic(root.path(), "docker0", "02:42:ac:11:00:01", "3", false);
    let out = serial_at(&root, &["--explain"]).stdout;
    let serial = hardware_serial(&root);
    assert_contains_all(
        &out,
        &[
            "machine-id".to_owned(),
            "/etc/machine-id".to_owned(),
            "dmi-product-uuid".to_owned(),
            "/sys/class/dmi/id/product_uuid".to_owned(),
            "/sys/class/net/eth0/address".to_owned(),
            short_hash("machine-id", MACHINE_ID),
            short_hash("dmi-product-uuid", PRODUCT_UUID),
            short_hash("mac", MAC),
            format!("version {SERIAL_ALGORITHM}"),
            "not pinned".to_owned(),
            format!("Serial number:  {serial}"),
        ],
    );
    assert!(!out.contains("docker0"), "{out}");
    for v in raw_values() {
        assert!(!out.contains(&v), "raw value {v} shown:\n{out}");
    }
    let mac_row = out.lines().find(|l| l.contains("eth0")).unwrap();
    assert!(mac_row.trim_end().ends_with('-'), "no record: {mac_row}");

    // With a record: which components still match it.
    let record = root.path().join("record.json");
    let record_arg = record.to_str().unwrap();
    serial_at(&root, &["--record", record_arg]);
    nic(root.path(), "eth0", "02:fc:00:00:00:99", "0", true);
    let out = serial_at(&root, &["--record", record_arg, "--explain"]).stdout;
    let mac_row = out.lines().find(|l| l.contains("eth0")).unwrap();
    assert!(mac_row.trim_end().ends_with("no"), "{mac_row}");
    let id_row = out.lines().find(|l| l.contains("/etc/machine-id")).unwrap();
    assert!(id_row.trim_end().ends_with("yes"), "{id_row}");
    assert!(out.contains(&format!("Serial number:  {serial}")), "{out}");
    assert!(out.contains("kept"), "{out}");
}

#[test]
fn an_empty_root_is_bad_input_with_advice_to_pin() {
    let empty = TempDir::new().unwrap();
    let r = run(empty.path(), &serial_args(&empty, &[]));
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_contains_all(
        &r.stderr,
        &["LICENSING_IDENTITY", "LICENSING_IDENTITY_FILE"],
    );
}

#[test]
fn a_pinned_identity_gives_the_same_serial_on_any_hardware() {
    let dir = TempDir::new().unwrap();
    let expected = MachineIdentity::pinned("acme-production").serial().unwrap();
    // Whatever this machine's hardware is (or is not: a bare container).
    let r = serial_pinned_by(dir.path(), "LICENSING_IDENTITY", "acme-production", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(parsed(&r.stdout), expected);
    // A mounted secret holding the same value (with its newline).
    let secret = dir.path().join("identity");
    fs::write(&secret, "acme-production\n").unwrap();
    let secret_arg = secret.to_str().unwrap();
    let r = serial_pinned_by(
        dir.path(),
        "LICENSING_IDENTITY_FILE",
        secret_arg,
        &["--explain"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("Serial number:  {expected}")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("pinned, from {}", secret.display())),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("acme-production"), "{}", r.stdout);
    // Another value, another serial.
    let r = serial_pinned_by(dir.path(), "LICENSING_IDENTITY", "acme-qa", &[]);
    assert_ne!(parsed(&r.stdout), expected);
    // A secret that is not there: bad input naming it.
    let missing = "/nonexistent/identity";
    let r = serial_pinned_by(dir.path(), "LICENSING_IDENTITY_FILE", missing, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains(missing), "{}", r.stderr);
}

#[test]
fn an_explicit_root_is_read_even_when_an_identity_is_pinned() {
    let root = fixture();
    let pinned = [("LICENSING_IDENTITY", Some("acme-production"))];
    let r = run_env(root.path(), &serial_args(&root, &[]), &pinned);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(parsed(&r.stdout), hardware_serial(&root));
    assert_contains_all(&r.stderr, &["LICENSING_IDENTITY", "not applied"]);
}

#[test]
fn explicit_components_do_not_mix_with_reading_a_machine() {
    let root = fixture();
    for extra in [
        &["--root", root_arg(&root)][..],
        &["--record", "record.json"][..],
        &["--explain"][..],
    ] {
        let mut args = vec!["serial", "--component", "mac=52:54:00:a1:b2:c3"];
        args.extend_from_slice(extra);
        let r = run(root.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
    }
    assert!(!root.path().join("record.json").exists());
}

/// FORMAT.md section 5: an empty value is skipped, not refused.
#[test]
fn an_empty_component_value_is_skipped_as_the_format_says() {
    let dir = TempDir::new().unwrap();
    let with_empty = run(
        dir.path(),
        &[
            "serial",
            "--component",
            "mac=",
            "--component",
            "machine-id=4c4c4544",
        ],
    );
    assert_eq!(with_empty.code, 0, "{}", with_empty.stderr);
    let without = run(
        dir.path(),
        &["serial", "--component", "machine-id=4c4c4544"],
    );
    assert_eq!(parsed(&with_empty.stdout), parsed(&without.stdout));
    let expected =
        SerialNumber::from_components(&[HardwareComponent::new("machine-id", "4c4c4544")]).unwrap();
    assert_eq!(parsed(&without.stdout), expected);
    // Only empty values: no serial, and the message says why.
    let none = run(dir.path(), &["serial", "--component", "mac= "]);
    assert_eq!(none.code, 2, "{}", none.stdout);
    assert!(!none.stderr.is_empty());
    // No KIND: malformed.
    let bad = run(dir.path(), &["serial", "--component", "=02:fc:00:00:00:01"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("expected KIND=VALUE"), "{}", bad.stderr);
}
