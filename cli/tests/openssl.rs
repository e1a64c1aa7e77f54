//! The external-signing round trip against the real `openssl` binary: our
//! keys and signing inputs work with OpenSSL, OpenSSL's keys and signatures
//! work with us, and OpenSSL verifies the signatures we make.
//!
//! These tests need `openssl` (OpenSSL 3) on the PATH; without it they
//! fail, saying so, rather than pass without checking anything.

mod common;

use common::{ACTIVE, MACHINE_ID, attach_args, keygen, ok};
use licensing::{HardwareComponent, SIGNATURE_LEN, SIGNING_DOMAIN, SerialNumber};
use std::path::Path;
use std::process::{Command, Output};
use tempfile::TempDir;

fn check(what: &str, output: std::io::Result<Output>) -> Output {
    let output = output.unwrap_or_else(|e| {
        panic!(
            "cannot run {what}: {e}. These tests need the openssl command-line tool (OpenSSL 3) on the PATH: install it (apt-get install openssl, brew install openssl) and run them again"
        )
    });
    assert!(
        output.status.success(),
        "{what} failed ({})\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn openssl(dir: &Path, args: &[&str]) -> Output {
    let what = format!("openssl {}", args.join(" "));
    check(
        &what,
        Command::new("openssl").args(args).current_dir(dir).output(),
    )
}

/// The Acme subscription (acme.json) in `dir`, with its production
/// environment registered; the environment's serial.
fn subscription(dir: &Path) -> String {
    let terms = [
        "--slots",
        "production=1",
        "--limit",
        "application-objects=450",
        "--feature",
        "multi-tenancy",
    ];
    common::acme_subscription(dir, &terms);
    let serial = SerialNumber::from_components(&[HardwareComponent::new("machine-id", MACHINE_ID)])
        .unwrap()
        .to_string();
    common::register(dir, &serial, "Production", "production");
    serial
}

/// Asserts that `file` is valid and active on `serial`, trusting `trust`.
fn validates(dir: &Path, file: &str, trust: &str, serial: &str) {
    let r = common::validate(dir, file, trust, serial, ACTIVE);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("valid: active"), "{}", r.stdout);
}

/// The id `licensing` prints for a public key: the first 8 bytes of
/// SHA-256 over its SPKI DER, computed here by OpenSSL.
fn openssl_key_id(dir: &Path, public_pem: &str) -> String {
    openssl(
        dir,
        &[
            "pkey", "-pubin", "-in", public_pem, "-outform", "DER", "-out", "spki.der",
        ],
    );
    let digest = openssl(dir, &["dgst", "-sha256", "-r", "spki.der"]);
    String::from_utf8_lossy(&digest.stdout)[..16].to_owned()
}

#[test]
fn a_signing_input_signed_by_openssl_makes_a_valid_license() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let out = keygen(d, "vendor.key", "vendor.pub");
    assert!(
        out.contains(&format!("key id: {}", openssl_key_id(d, "vendor.pub"))),
        "{out}"
    );
    let serial = subscription(d);
    let signing_input = ["--public", "vendor.pub", "--signing-input", "req.bin"];
    let r = common::issue_without_key(d, &serial, &signing_input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    openssl(
        d,
        &[
            "dgst",
            "-sha256",
            "-sign",
            "vendor.key",
            "-out",
            "sig.der",
            "req.bin",
        ],
    );
    let der = std::fs::read(d.join("sig.der")).unwrap();
    assert_eq!(der[0], 0x30, "OpenSSL writes DER signatures");
    ok(
        d,
        &attach_args("req.bin", "sig.der", Some("vendor.pub"), "x.lic"),
    );
    validates(d, "x.lic", "vendor.pub", &serial);
}

#[test]
fn keys_made_by_openssl_sign_and_verify_licenses() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    openssl(
        d,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "k.pem",
        ],
    );
    openssl(d, &["pkey", "-in", "k.pem", "-pubout", "-out", "k.pub"]);
    // The same key in the older SEC1 form ('BEGIN EC PRIVATE KEY').
    openssl(d, &["ec", "-in", "k.pem", "-out", "k.sec1.pem"]);
    let sec1 = std::fs::read_to_string(d.join("k.sec1.pem")).unwrap();
    assert!(sec1.starts_with("-----BEGIN EC PRIVATE KEY-----"), "{sec1}");

    let serial = subscription(d);
    let key_id = openssl_key_id(d, "k.pub");
    for (key, out) in [("k.pem", "k.lic"), ("k.sec1.pem", "k-sec1.lic")] {
        let issued = common::issue(d, key, &serial, out, &[]);
        assert!(issued.contains(&key_id), "{issued}");
        validates(d, out, "k.pub", &serial);
    }
}

/// A 32-byte big-endian unsigned integer as a DER INTEGER.
fn der_integer(bytes: &[u8]) -> Vec<u8> {
    let first = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len() - 1);
    let mut value = bytes[first..].to_vec();
    if value[0] & 0x80 != 0 {
        value.insert(0, 0);
    }
    let mut out = vec![0x02, value.len() as u8];
    out.extend(value);
    out
}

/// A raw `r || s` signature as the DER `SEQUENCE { r, s }` OpenSSL reads.
fn der_signature(raw: &[u8]) -> Vec<u8> {
    let (r, s) = raw.split_at(raw.len() / 2);
    let body = [der_integer(r), der_integer(s)].concat();
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

/// OpenSSL verifying sig.der over `message` with vendor.pub.
fn verify_args(message: &str) -> [&str; 7] {
    [
        "dgst",
        "-sha256",
        "-verify",
        "vendor.pub",
        "-signature",
        "sig.der",
        message,
    ]
}

#[test]
fn openssl_verifies_the_signatures_we_make() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    keygen(d, "vendor.key", "vendor.pub");
    let serial = subscription(d);
    common::issue(d, "vendor.key", &serial, "production.lic", &[]);
    // The signed message is the signing domain, the header and the body;
    // the file ends with the raw signature r || s.
    let file = std::fs::read(d.join("production.lic")).unwrap();
    let (signed, raw) = file.split_at(file.len() - SIGNATURE_LEN);
    let message = [SIGNING_DOMAIN, signed].concat();
    std::fs::write(d.join("req.bin"), &message).unwrap();
    std::fs::write(d.join("sig.der"), der_signature(raw)).unwrap();
    // The library gives the same message and DER signature.
    let parsed = licensing::LicenseFile::parse(&file).unwrap();
    assert_eq!(parsed.signed_message(), message);
    assert_eq!(parsed.signature_der(), Some(der_signature(raw)));
    let verified = openssl(d, &verify_args("req.bin"));
    assert!(
        String::from_utf8_lossy(&verified.stdout).contains("Verified OK"),
        "{verified:?}"
    );

    // And OpenSSL refuses it for other bytes: the check above can fail.
    let mut altered = message.clone();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    std::fs::write(d.join("altered.bin"), altered).unwrap();
    let refused = Command::new("openssl")
        .args(verify_args("altered.bin"))
        .current_dir(d)
        .output()
        .expect("openssl ran above");
    assert!(!refused.status.success(), "{refused:?}");

    // The DER form converts back: attach accepts it for the same message.
    std::fs::write(d.join("signed.bin"), &message).unwrap();
    let attach = attach_args("signed.bin", "sig.der", Some("vendor.pub"), "again.lic");
    ok(d, &attach);
    assert_eq!(std::fs::read(d.join("again.lic")).unwrap(), file);
}
