//! Environments: their serial numbers (`licensing serial` from given
//! components, and serial text checked by every command that takes one),
//! registering them in the subscription's slots and releasing them.

use crate::common::{assert_contains_all, fails, ok, register_args, validate_args};
use crate::setup::{Setup, mistyped, no_temp_files_left, serial};
use tempfile::TempDir;

#[test]
fn serial_numbers_come_from_the_given_components() {
    let dir = TempDir::new().unwrap();
    let out = ok(
        dir.path(),
        &[
            "serial",
            "--component",
            "mac=02:fc:00:00:00:03",
            "--component",
            "machine-id=4c4c4544-0042-3510-8052-b4c04f4a4e32",
        ],
    );
    assert_eq!(out.trim(), serial("02:fc:00:00:00:03"));
    let err = fails(dir.path(), &["serial", "--component", "mac"], 2);
    assert!(err.contains("KIND=VALUE"), "{err}");
}

#[test]
fn bad_serial_text_is_bad_input() {
    let s = Setup::new();
    let typo = mistyped(&s.production, 0);
    for args in [
        &register_args("acme.json", &typo, "X", "development")[..],
        &validate_args("x.lic", "vendor.pub", "KSM-0R1")[..],
        &["release", "acme.json", "--serial", &s.code][..],
    ] {
        let err = fails(s.path(), args, 2);
        assert!(err.contains("serial number"), "{args:?}: {err}");
    }
}

#[test]
fn registration_fills_slots_and_release_frees_them() {
    let s = Setup::new();
    let d = s.path();
    let second = serial("02:fc:00:00:00:04");
    let r = s.register(&second, "Production 2", "production");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no free production slot"), "{}", r.stderr);
    assert_eq!(s.infrastructure().environments().len(), 1);

    let out = ok(d, &["release", "acme.json", "--serial", &s.production]);
    assert_contains_all(&out, &["Production", "0 of 1"]);
    assert!(s.infrastructure().environments().is_empty());
    let err = fails(d, &["release", "acme.json", "--serial", &s.production], 2);
    assert!(err.contains("not registered"), "{err}");

    let r = s.register(&second, "Production", "production");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let infra = s.infrastructure();
    assert_eq!(infra.environments()[0].serial_number.to_string(), second);
    no_temp_files_left(d);
}
