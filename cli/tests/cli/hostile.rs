//! Hostile text: strings in a license (signed, so they reach every output)
//! or in an argument that would move a terminal's cursor, rewrite a line or
//! reverse the text are never printed raw, in text or in JSON, on stdout or
//! in error messages.

use crate::common::{ACTIVE, BIN};
use crate::setup::{Setup, store_args};
use licensing::{LicenseFile, MAGIC, SIGNING_DOMAIN, Signer, SigningKey, SigningRequest};
use std::path::Path;
use std::process::Command;

/// What the tool wrote, raw, and its exit code.
struct Raw {
    code: i32,
    out: Vec<u8>,
}

fn raw(dir: &Path, args: &[&str]) -> Raw {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let mut out = output.stdout;
    out.extend_from_slice(&output.stderr);
    Raw {
        code: output.status.code().unwrap_or(-1),
        out,
    }
}

/// Fails when `bytes` hold a byte or character unsafe to print (line
/// breaks aside) or invalid UTF-8.
fn assert_printable(what: &str, bytes: &[u8]) {
    let text =
        std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8 ({e}): {bytes:?}"));
    if let Some(c) = text
        .chars()
        .find(|&c| c != '\n' && licensing::is_unsafe_to_print(c))
    {
        panic!("{what}: printed {c:?} raw:\n{text}");
    }
}

fn vendor_key(s: &Setup) -> SigningKey {
    SigningKey::from_pem(&std::fs::read_to_string(s.path().join("vendor.key")).unwrap()).unwrap()
}

/// Production's license with its texts changed by `edit`, signed by the
/// vendor's key (as a forger holding the key, or a buggy issuer, would).
fn signed_with(s: &Setup, name: &str, edit: impl FnOnce(&mut licensing::License)) {
    s.issue("genuine.lic", &[]);
    let genuine =
        LicenseFile::parse(&std::fs::read(s.path().join("genuine.lic")).unwrap()).unwrap();
    let mut license = genuine.license().clone();
    edit(&mut license);
    let key = vendor_key(s);
    let file = SigningRequest::new(license, key.public_key().key_id())
        .unwrap()
        .sign(&key)
        .unwrap();
    std::fs::write(s.path().join(name), file.to_bytes()).unwrap();
}

/// Production's license whose organization holds `bytes` (any bytes, even
/// a control character or invalid UTF-8), signed by the vendor's key.
fn signed_raw(s: &Setup, name: &str, bytes: &[u8]) {
    s.issue("genuine.lic", &["--force"]);
    let genuine = std::fs::read(s.path().join("genuine.lic")).unwrap();
    let file = LicenseFile::parse(&genuine).unwrap();
    let organization = file.license().organization.as_bytes();
    let body = &genuine[15..genuine.len() - 64];
    let at = body
        .windows(organization.len())
        .position(|w| w == organization)
        .unwrap();
    let mut new_body = body[..at - 1].to_vec();
    new_body.push(u8::try_from(bytes.len()).unwrap());
    new_body.extend_from_slice(bytes);
    new_body.extend_from_slice(&body[at + organization.len()..]);
    let key = vendor_key(s);
    let mut signed = MAGIC.to_vec();
    signed.push(1);
    signed.extend_from_slice(&key.public_key().key_id().0);
    signed.extend_from_slice(&u16::try_from(new_body.len()).unwrap().to_be_bytes());
    signed.extend_from_slice(&new_body);
    let signature = Signer::sign(&key, &[SIGNING_DOMAIN, &signed].concat()).unwrap();
    std::fs::write(s.path().join(name), [signed, signature].concat()).unwrap();
}

/// Every command that shows a license, on `file`.
fn every_output(s: &Setup, file: &str) -> Vec<(String, Raw)> {
    let mut runs = Vec::new();
    let trust = ["--trust", "vendor.pub"];
    for args in [
        vec!["inspect", file],
        vec!["inspect", file, "--json"],
        vec!["inspect", file, "--trust", "vendor.pub"],
        vec![
            "validate",
            file,
            trust[0],
            trust[1],
            "--serial",
            &s.production,
            "--at",
            ACTIVE,
        ],
    ] {
        runs.push((args.join(" "), raw(s.path(), &args)));
    }
    let mut install = store_args(&["install", file], "store", "vendor.pub", &s.production);
    install.extend(["--at", ACTIVE]);
    runs.push((install.join(" "), raw(s.path(), &install)));
    for json in [false, true] {
        let mut status = store_args(&["status"], "store", "vendor.pub", &s.production);
        status.extend(["--at", ACTIVE]);
        if json {
            status.push("--json");
        }
        runs.push((status.join(" "), raw(s.path(), &status)));
    }
    runs
}

#[test]
fn control_characters_and_invalid_utf8_in_a_signed_license_are_refused_and_never_printed() {
    let s = Setup::new();
    for (name, bytes) in [
        ("esc.lic", &b"Acme\x1b[1A\x1b[2K Signature verified"[..]),
        ("cr.lic", b"Acme\rSignature verified"),
        ("c1.lic", "Acme\u{9b}1A".as_bytes()),
        ("invalid-utf8.lic", b"Acme \xff\xfe Corp"),
    ] {
        signed_raw(&s, name, bytes);
        for (args, run) in every_output(&s, name) {
            assert_printable(&args, &run.out);
            if args.starts_with("inspect") || args.starts_with("validate") {
                assert_ne!(run.code, 0, "{args}: {}", String::from_utf8_lossy(&run.out));
                let text = String::from_utf8_lossy(&run.out);
                assert!(text.contains("organization at byte"), "{args}: {text}");
            }
        }
    }
}

#[test]
fn bidirectional_overrides_in_a_valid_license_are_shown_escaped() {
    let s = Setup::new();
    signed_with(&s, "bidi.lic", |l| {
        l.organization = "Acme \u{202e}proC\u{202c}".into();
        l.environment_name = "Prod\u{2066}uction\u{2069}".into();
    });
    for (args, run) in every_output(&s, "bidi.lic") {
        assert_printable(&args, &run.out);
        let text = String::from_utf8(run.out).unwrap();
        if args.contains("--json") {
            let json: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{args}: not JSON ({e}): {text}"));
            let organization = json
                .pointer("/license/organization")
                .or_else(|| json.get("organization"))
                .and_then(|v| v.as_str());
            assert_eq!(organization, Some("Acme \u{202e}proC\u{202c}"), "{args}");
        } else {
            assert!(
                text.contains("Acme \\u{202e}proC\\u{202c}"),
                "{args}: {text}"
            );
        }
    }
}

#[test]
fn an_argument_with_control_characters_is_escaped_in_the_error() {
    let s = Setup::new();
    let run = raw(s.path(), &["inspect", "no\x1b[31msuch\r.lic"]);
    assert_eq!(run.code, 2);
    assert_printable("inspect of a missing file", &run.out);
    let text = String::from_utf8(run.out).unwrap();
    assert!(text.contains("no\\u{1b}[31msuch\\r.lic"), "{text}");
    // A value the argument parser refuses is quoted in its error: escaped
    // too, with the usage exit code.
    let run = raw(
        s.path(),
        &[
            "trial-extension",
            "--serial",
            "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T",
            "--until",
            "\x1b]0;owned\x07",
            "--key",
            "k",
            "--out",
            "o",
        ],
    );
    assert_eq!(run.code, 2);
    assert_printable("a refused argument", &run.out);
}

#[test]
fn times_at_the_ends_of_the_i64_range_are_shown_exactly() {
    let s = Setup::new();
    signed_with(&s, "far.lic", |l| {
        l.issued_at = licensing::Timestamp::from_unix_seconds(i64::MIN);
        l.not_before = licensing::Timestamp::from_unix_seconds(i64::MIN);
        l.expires_at = Some(licensing::Timestamp::from_unix_seconds(i64::MAX));
    });
    for json in [false, true] {
        let mut args = vec!["inspect", "far.lic"];
        if json {
            args.push("--json");
        }
        let run = raw(s.path(), &args);
        assert_eq!(run.code, 0);
        let text = String::from_utf8(run.out).unwrap();
        assert!(text.contains("+292277026596-12-04T15:30:07Z"), "{text}");
        assert!(text.contains("-292277022657-01-27T08:29:52Z"), "{text}");
        if json {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                value["expires_at"], "+292277026596-12-04T15:30:07Z",
                "{text}"
            );
        }
    }
}
