//! The license store keeps this environment's serial through hardware
//! changes (its fingerprint record), and explains a new serial: the Rust
//! side of the scenario the C ABI, the CLI and the bindings test too.

#[path = "hardware_fixture/mod.rs"]
mod hardware_fixture;

use hardware_fixture::hardware;
use licensing::testing::sample_infrastructure;
use licensing::*;
use std::fs;
use std::path::Path;

#[test]
fn a_swapped_card_keeps_the_license_and_a_new_serial_is_explained() {
    let host = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A new handle at each "start": a handle reads the hardware once.
    let start = || {
        LicenseStore::create(dir.path())
            .unwrap()
            .with_identity(MachineIdentity::at_root(host.path()))
    };
    hardware(
        host.path(),
        "3d1219c7c4c5404aaa1f6d2a48adfda4",
        "02:fc:00:00:00:01",
    );
    let serial = start().serial_number().unwrap();

    let (mut infra, sample, key) = sample_infrastructure();
    infra.release(&sample).unwrap();
    infra
        .register(
            serial,
            "Production",
            Purpose::Production,
            testing::ISSUED_AT,
        )
        .unwrap();
    let now = testing::ISSUED_AT;
    let file = issue(&infra, &serial, &key, now).unwrap().to_bytes();
    let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    let status = |store: &LicenseStore| {
        let here = store.serial_number().unwrap();
        (
            here,
            store
                .status(&validator, &here, now, &Default::default())
                .unwrap(),
        )
    };
    start()
        .install(&file, &validator, &serial, now, false)
        .unwrap();

    hardware(
        host.path(),
        "3d1219c7c4c5404aaa1f6d2a48adfda4",
        "02:fc:00:00:00:99",
    );
    let swapped = start();
    assert_eq!(
        swapped.fingerprint().unwrap().change,
        SerialChange::Tolerated {
            changed: vec!["mac".into()]
        }
    );
    let (here, licensed) = status(&swapped);
    assert_eq!(here, serial);
    assert!(licensed.decisions.run.allowed, "{:?}", licensed.warnings);

    hardware(
        host.path(),
        "0000000000000000000000000000000f",
        "02:fc:00:00:00:42",
    );
    let (new, stopped) = status(&start());
    assert_ne!(new, serial);
    assert!(matches!(
        stopped.standing,
        Standing::Invalid(ValidationError::WrongSerial { license, this_environment })
            if license == serial && this_environment == new
    ));
    assert!(!stopped.decisions.run.allowed);
    let changed = Warning::SerialChanged {
        previous: serial,
        current: new,
        changed: vec!["mac".into(), "machine-id".into()],
    };
    assert!(
        stopped.warnings.contains(&changed),
        "{:?}",
        stopped.warnings
    );
    let text = changed.to_string();
    for part in [
        "mac, machine-id",
        "register",
        &new.to_string(),
        &serial.to_string(),
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    // The explanation stays on record for later starts, and a license for
    // the new serial ends it.
    let (_, later) = status(&start());
    assert!(later.warnings.contains(&changed));
}

#[test]
fn a_damaged_record_starts_a_new_one_and_the_serial_follows_the_hardware() {
    let host = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    hardware(
        host.path(),
        "3d1219c7c4c5404aaa1f6d2a48adfda4",
        "02:fc:00:00:00:01",
    );
    let start = || {
        LicenseStore::create(dir.path())
            .unwrap()
            .with_identity(MachineIdentity::at_root(host.path()))
    };
    let first = start().serial_number().unwrap();
    fs::write(dir.path().join(FINGERPRINT), "{ damaged").unwrap();
    let again = start().fingerprint().unwrap();
    assert_eq!(again.change, SerialChange::First);
    assert_eq!(again.serial_number, first, "the hardware did not change");
    let record = FingerprintRecord::load(&dir.path().join(FINGERPRINT)).unwrap();
    assert_eq!(record, Some(again.record));
}

/// The record files in tests/vectors: `fingerprint-record.json` as every
/// version writes it for the fixture above (machine id 3d12…, card
/// 02:fc:00:00:00:01), `fingerprint-record-replaced.json` after two of its
/// three components changed. Both keep reading, and are written back byte
/// for byte.
#[test]
fn the_record_vectors_read_and_reconcile() {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let first = FingerprintRecord::load(&vectors.join("fingerprint-record.json"))
        .unwrap()
        .unwrap();
    assert_eq!(first.algorithm, 1);
    assert_eq!(
        first.serial_number.to_string(),
        "SD2-Q90-2QW-96Z-705-RX6-23A-MA6"
    );
    assert_eq!(first.replaced, None);
    let kinds: Vec<&str> = first.components.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["machine-id", "dmi-product-uuid", "mac"]);
    let text = fs::read_to_string(vectors.join("fingerprint-record.json")).unwrap();
    assert_eq!(first.to_json(), text);

    let host = tempfile::tempdir().unwrap();
    hardware(
        host.path(),
        "3d1219c7c4c5404aaa1f6d2a48adfda4",
        "02:fc:00:00:00:99",
    );
    let kept = MachineIdentity::at_root(host.path())
        .fingerprint(Some(&first))
        .unwrap();
    assert_eq!(kept.serial_number, first.serial_number);

    let replaced_path = vectors.join("fingerprint-record-replaced.json");
    let replaced = FingerprintRecord::load(&replaced_path).unwrap().unwrap();
    assert_eq!(
        replaced.serial_number.to_string(),
        "ZQQ-23H-4CW-NEP-9JE-SZX-DVW-CH2"
    );
    let was = replaced.replaced.clone().unwrap();
    assert_eq!(was.serial_number, first.serial_number);
    assert_eq!(was.changed, ["mac", "machine-id"]);
    assert_eq!(
        replaced.to_json(),
        fs::read_to_string(&replaced_path).unwrap()
    );
    hardware(
        host.path(),
        "0000000000000000000000000000000f",
        "02:fc:00:00:00:42",
    );
    let now = MachineIdentity::at_root(host.path())
        .fingerprint(Some(&first))
        .unwrap();
    assert_eq!(now.record, replaced);
}
