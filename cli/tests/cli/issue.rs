//! `licensing issue` (with the vendor's key, or a signing input for an
//! external signer), `attach` and `inspect`.

use crate::common::{self, ACTIVE, ISSUED, assert_contains_all, attach_args, fails, ok};
use crate::setup::{Setup, value_after};
use licensing::{PublicKey, Signer, SigningKey};

#[test]
fn an_issued_license_validates_on_its_environment() {
    let s = Setup::new();
    let out = s.issue("production.lic", &[]);
    assert!(out.contains("production.lic"), "{out}");
    let bytes = std::fs::read(s.path().join("production.lic")).unwrap();
    assert!(bytes.starts_with(b"LICF"));

    let r = s.validate("production.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.lines().next(),
        Some("valid: active"),
        "{}",
        r.stdout
    );
    assert_contains_all(
        &r.stdout,
        &[
            "Acme Corp",
            "Enterprise",
            "Production",
            s.code.as_str(),
            s.production.as_str(),
            "2027-12-31",
            "application-objects",
            "450 (hard)",
            "100 (soft)",
            "multi-tenancy",
            "enabled",
        ],
    );

    // The text form, and the activation code check.
    s.issue("production.txt", &["--pem"]);
    let text = std::fs::read_to_string(s.path().join("production.txt")).unwrap();
    assert!(text.starts_with("-----BEGIN LICENSE-----"), "{text}");
    let r = s.validate_with_activation_code("production.txt", &s.code);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn inspect_shows_every_field() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let out = ok(
        s.path(),
        &["inspect", "production.lic", "--trust", "vendor.pub"],
    );
    let key_id =
        PublicKey::from_pem(&std::fs::read_to_string(s.path().join("vendor.pub")).unwrap())
            .unwrap()
            .key_id()
            .to_string();
    for (label, expected) in [
        ("Format version", "1"),
        ("Key id", key_id.as_str()),
        ("Signature", "verifies"),
        ("Revision", "1"),
        ("Issued at", ISSUED),
        ("Not before", ISSUED),
        ("Activation code", s.code.as_str()),
        ("Serial number", s.production.as_str()),
        ("Environment", "Production"),
        ("Purpose", "production"),
        ("License type", "Production"),
        ("Organization", "Acme Corp"),
        ("Edition", "Enterprise"),
        ("Support", "premium"),
    ] {
        assert_eq!(value_after(&out, label), expected, "{label}:\n{out}");
    }
    assert!(
        value_after(&out, "Expires at").starts_with("2028-01-01T00:00:00Z"),
        "{out}"
    );
    assert!(value_after(&out, "Grace days").starts_with("30"), "{out}");
    assert_eq!(value_after(&out, "License id").len(), 32, "{out}");
    assert_eq!(value_after(&out, "application-objects"), "450  hard");
    assert_eq!(value_after(&out, "internal-users"), "100  soft");
    assert_contains_all(&out, &["multi-tenancy", "sap-connector"]);

    let json = ok(
        s.path(),
        &[
            "inspect",
            "production.lic",
            "--json",
            "--trust",
            "vendor.pub",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("inspect --json is JSON");
    assert_eq!(v["revision"], 1);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["key_id"], key_id.as_str());
    assert_eq!(v["signature_verified"], true);
    assert_eq!(v["activation_code"], s.code.as_str());
    assert_eq!(v["serial_number"], s.production.as_str());
    assert_eq!(v["expires_at"], "2028-01-01T00:00:00Z");
    assert_eq!(v["grace_days"], 30);
    assert_eq!(v["license_type"], "Production");
    assert_eq!(
        v["features"],
        serde_json::json!(["multi-tenancy", "sap-connector"])
    );
    assert_eq!(v["limits"][0]["name"], "application-objects");
    assert_eq!(v["limits"][0]["value"], 450);
    assert_eq!(v["limits"][0]["enforcement"], "hard");

    // Without --trust the signature is not checked; a never-ending license.
    s.update_subscription(&["--end", "never"]);
    s.issue("never.lic", &["--pem"]);
    let json = ok(s.path(), &["inspect", "never.lic", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["revision"], 2);
    assert_eq!(v["expires_at"], serde_json::Value::Null);
    assert_eq!(v["signature_verified"], serde_json::Value::Null);
    assert_eq!(v["form"], "text");
    let out = ok(s.path(), &["inspect", "never.lic"]);
    assert_eq!(value_after(&out, "Expires at"), "never");

    std::fs::write(s.path().join("junk.lic"), b"hello").unwrap();
    let err = fails(s.path(), &["inspect", "junk.lic"], 2);
    assert_contains_all(
        &err,
        &[
            "junk.lic",
            "text without a license in it",
            "check which file",
        ],
    );
}

#[test]
fn external_signing_round_trip() {
    let s = Setup::new();
    let d = s.path();
    let issue = |extra: &[&str]| common::issue_without_key(d, &s.production, extra);
    let r = issue(&["--signing-input", "req.bin"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--public"), "{}", r.stderr);
    assert!(!d.join("req.bin").exists());
    let r = issue(&[]);
    assert_eq!(r.code, 2);
    assert_contains_all(&r.stderr, &["--key", "--signing-input"]);

    let r = issue(&["--signing-input", "req.bin", "--public", "vendor.pub"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let message = std::fs::read(d.join("req.bin")).unwrap();
    assert!(message.starts_with(licensing::SIGNING_DOMAIN));

    // Signed elsewhere: the library's key through the Signer trait, raw r||s.
    let key =
        SigningKey::from_pem(&std::fs::read_to_string(d.join("vendor.key")).unwrap()).unwrap();
    let signature = Signer::sign(&key, &message).unwrap();
    assert_eq!(signature.len(), 64);
    std::fs::write(d.join("sig.raw"), &signature).unwrap();
    let trust = Some("vendor.pub");
    let out = ok(d, &attach_args("req.bin", "sig.raw", trust, "external.lic"));
    assert!(out.contains("verifies"), "{out}");
    let r = s.validate("external.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Another key's signature: refused before anything is written.
    let other = SigningKey::generate();
    std::fs::write(d.join("other.raw"), Signer::sign(&other, &message).unwrap()).unwrap();
    let err = fails(d, &attach_args("req.bin", "other.raw", trust, "bad.lic"), 1);
    assert!(err.contains("does not verify"), "{err}");
    assert!(!d.join("bad.lic").exists());

    // Not a signature, not a signing input.
    std::fs::write(d.join("junk.sig"), b"not a signature").unwrap();
    let err = fails(d, &attach_args("req.bin", "junk.sig", None, "bad.lic"), 2);
    assert!(err.contains("DER"), "{err}");
    let err = fails(d, &attach_args("sig.raw", "sig.raw", None, "bad.lic"), 2);
    assert!(err.contains("not a signing request"), "{err}");
    assert!(!d.join("bad.lic").exists());
}

#[test]
fn every_command_that_writes_a_file_keeps_an_existing_one_without_force() {
    let s = crate::setup::Setup::new();
    s.issue("p.lic", &[]);
    let before = std::fs::read(s.path().join("p.lic")).unwrap();
    let args = crate::common::issue_args("vendor.key", &s.production, "p.lic");
    let err = crate::common::fails(s.path(), &args, 2);
    assert!(
        err.contains("exists already") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(s.path().join("p.lic")).unwrap(), before);
    crate::common::ok(s.path(), &crate::common::with(&args, &["--force"]));
    std::fs::write(s.path().join("g.lic"), "kept").unwrap();
    for grant in [
        vec![
            "trial-extension",
            "--serial",
            &s.production,
            "--until",
            "2027-01-01",
            "--key",
            "vendor.key",
            "--out",
            "g.lic",
        ],
        vec![
            "clock-reset",
            "--serial",
            &s.production,
            "--key",
            "vendor.key",
            "--out",
            "g.lic",
        ],
    ] {
        let err = crate::common::fails(s.path(), &grant, 2);
        assert!(err.contains("--force"), "{grant:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(s.path().join("g.lic")).unwrap(),
            "kept"
        );
    }
}
