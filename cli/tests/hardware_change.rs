//! The environment's serial through the CLI without --serial, over a
//! fixture hardware tree (LICENSING_HARDWARE_ROOT) with three components:
//! the store's fingerprint record keeps the serial when one network card
//! is swapped, and a new serial after two of three components change is
//! explained by the status (which kinds changed, which serial is whose,
//! what to do).

#[path = "../../tests/hardware_fixture/mod.rs"]
mod hardware_fixture;

mod common;

use common::{Run, assert_contains_all, ok, run_env};
use hardware_fixture::hardware;
use std::path::Path;
use tempfile::TempDir;

/// When the commands act: inside the subscription (which ends 2027-12-31).
const AT: &str = "2026-06-01T00:00:00Z";

/// Runs the tool on the fixture hardware, nothing pinned.
fn here(dir: &Path, args: &[&str]) -> Run {
    let root = dir.join("host");
    let root = root.to_str().unwrap();
    run_env(
        dir,
        args,
        &[
            ("LICENSING_HARDWARE_ROOT", Some(root)),
            ("LICENSING_IDENTITY", None),
            ("LICENSING_IDENTITY_FILE", None),
        ],
    )
}

fn succeeds(dir: &Path, args: &[&str]) -> Run {
    let r = here(dir, args);
    assert_eq!(
        r.code, 0,
        "licensing {args:?}\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    r
}

const STATUS: [&str; 8] = [
    "status",
    "--store",
    "store",
    "--trust",
    "vendor.pub",
    "--at",
    AT,
    "--json",
];

fn status(dir: &Path) -> (i32, serde_json::Value) {
    let r = here(dir, &STATUS);
    let json = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!("status --json: {e}\n{}\n{}", r.stdout, r.stderr);
    });
    (r.code, json)
}

#[test]
fn the_store_keeps_the_serial_through_a_swapped_card_and_explains_a_new_one() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    hardware(
        &d.join("host"),
        "3d1219c7c4c5404aaa1f6d2a48adfda4",
        "02:fc:00:00:00:01",
    );

    // The serial as the store keeps it; a license for it, installed
    // without --serial.
    ok(d, &["init", "--store", "store"]);
    let serial_args = ["serial", "--store", "store"];
    let serial = succeeds(d, &serial_args).stdout.trim().to_owned();
    common::keygen(d, "vendor.key", "vendor.pub");
    common::acme_subscription(d, &["--slots", "production=1"]);
    common::register(d, &serial, "Production", "production");
    common::issue(d, "vendor.key", &serial, "prod.lic", &[]);
    let install = [
        "install",
        "prod.lic",
        "--store",
        "store",
        "--trust",
        "vendor.pub",
        "--at",
        AT,
    ];
    let out = succeeds(d, &install).stdout;
    assert!(
        out.starts_with(&format!(
            "serial number: {serial} (this machine's, read from the hardware below"
        )),
        "{out}"
    );
    let (code, json) = status(d);
    assert_eq!((code, &json["standing"]["state"]), (0, &"active".into()));

    // One network card swapped: the serial stays, the license runs.
    hardware(
        &d.join("host"),
        "3d1219c7c4c5404aaa1f6d2a48adfda4",
        "02:fc:00:00:00:99",
    );
    let r = succeeds(d, &serial_args);
    assert_eq!(r.stdout.trim(), serial);
    assert_contains_all(&r.stderr, &[format!("kept serial {serial}"), "mac".into()]);
    let (code, json) = status(d);
    assert_eq!((code, &json["standing"]["state"]), (0, &"active".into()));
    assert_eq!(json["serial_number"], serial.as_str());
    let explained = succeeds(d, &["serial", "--store", "store", "--explain"]).stdout;
    assert_contains_all(
        &explained,
        &[
            "fingerprint.json",
            "read from the hardware below",
            serial.as_str(),
        ],
    );

    // Two of three changed: a new serial, and a status that says why the
    // license no longer fits and what to do.
    hardware(
        &d.join("host"),
        "0000000000000000000000000000000f",
        "02:fc:00:00:00:42",
    );
    let r = here(d, &STATUS);
    assert_eq!(r.code, 1, "the environment may not run:\n{}", r.stdout);
    assert_contains_all(&r.stderr, &[format!("the serial changed from {serial} to")]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let new = json["serial_number"].as_str().unwrap().to_owned();
    assert_ne!(new, serial);
    assert_eq!(json["standing"]["state"], "invalid");
    let warning = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "serial-changed")
        .unwrap_or_else(|| panic!("no serial-changed warning: {}", json["warnings"]));
    assert_eq!(warning["previous"], serial.as_str());
    assert_eq!(warning["current"], new.as_str());
    assert_eq!(warning["changed"], serde_json::json!(["mac", "machine-id"]));
    assert_contains_all(
        warning["message"].as_str().unwrap(),
        &["mac, machine-id", "register", &new, &serial],
    );
    // The next start (a new process) still explains it.
    let page = here(d, &STATUS[..7]).stdout;
    assert_contains_all(
        &page,
        &[
            format!("changed from {serial} to {new}"),
            "mac, machine-id".into(),
        ],
    );
    // And the serial a new license must be issued for is the new one.
    assert_eq!(ok_here(d, &serial_args), new);
}

fn ok_here(dir: &Path, args: &[&str]) -> String {
    succeeds(dir, args).stdout.trim().to_owned()
}

#[test]
fn an_explicit_serial_needs_no_hardware() {
    // --serial is taken as given: no fingerprint record is written.
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    common::keygen(d, "vendor.key", "vendor.pub");
    ok(d, &["init", "--store", "store"]);
    let serial = licensing::MachineIdentity::pinned("acme")
        .serial()
        .unwrap()
        .to_string();
    let out = ok(
        d,
        &[
            "status",
            "--store",
            "store",
            "--trust",
            "vendor.pub",
            "--serial",
            &serial,
            "--at",
            AT,
        ],
    );
    assert!(out.contains("trial"), "{out}");
    assert!(!d.join("store/fingerprint.json").exists());
}
