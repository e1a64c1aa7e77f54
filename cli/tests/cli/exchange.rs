//! The offline exchange through the tool: an activation request written on
//! the environment, registered and issued at the vendor's, installed with
//! no --serial.

use crate::common::{fails, ok, run_env};
use crate::setup::{Setup, pinned_identity, pinned_serial, value_after, with_char};

const IDENTITY: &str = "acme-qa-controller";

/// Runs the tool as the environment whose identity is pinned to IDENTITY.
fn on_environment(s: &Setup, args: &[&str]) -> crate::common::Run {
    run_env(s.path(), args, &pinned_identity(Some(IDENTITY)))
}

fn request_args<'a>(code: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "request",
        "--store",
        "qa-store",
        "--activation-code",
        code,
        "--name",
        "QA",
        "--purpose",
        "non-production",
        "--platform-version",
        "11.14",
        "--out",
        out,
    ]
}

#[test]
fn a_request_is_registered_issued_and_installed_without_typing_a_serial() {
    let s = Setup::new();
    let r = on_environment(&s, &request_args(&s.code, "qa.request"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let serial = pinned_serial(IDENTITY);
    assert!(r.stdout.contains(&serial), "{}", r.stdout);
    let text = std::fs::read_to_string(s.path().join("qa.request")).unwrap();
    assert!(text.starts_with("-----BEGIN LICENSING ACTIVATION REQUEST-----\n"));

    let out = ok(
        s.path(),
        &["register", "acme.json", "--request", "qa.request"],
    );
    assert!(
        out.contains(&format!(
            "registered 'QA' (non-production) with serial {serial}"
        )),
        "{out}"
    );
    ok(
        s.path(),
        &[
            "issue",
            "acme.json",
            "--serial",
            &serial,
            "--key",
            "vendor.key",
            "--out",
            "qa.lic",
        ],
    );
    let store = ["--store", "qa-store", "--trust", "vendor.pub"];
    let r = on_environment(&s, &[&["install", "qa.lic"][..], &store].concat());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = on_environment(&s, &[&["status"][..], &store].concat());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        value_after(&r.stdout, "Standing").starts_with("licensed"),
        "{}",
        r.stdout
    );
    // The same request again: the serial is registered already.
    let err = fails(
        s.path(),
        &["register", "acme.json", "--request", "qa.request"],
        2,
    );
    assert!(err.contains("already registered"), "{err}");
}

#[test]
fn a_mistyped_code_is_refused_with_its_position() {
    let s = Setup::new();
    // A U (not in the codes' alphabet) typed in group 3.
    let typo = with_char(&s.code, 9, 'U');
    let r = on_environment(&s, &request_args(&typo, "qa.request"));
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("group 3, character 2"), "{}", r.stderr);
    assert!(!s.path().join("qa.request").exists());
}

#[test]
fn a_request_for_another_subscription_or_damaged_is_refused() {
    let s = Setup::new();
    let other = "9B5.EG7.HQ2.VY0.CK3.MS8.RZ1.D0V";
    let r = on_environment(&s, &request_args(other, "other.request"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let err = fails(
        s.path(),
        &["register", "acme.json", "--request", "other.request"],
        2,
    );
    assert!(
        err.contains(&format!(
            "the request asks for activation code {other}, this subscription's is {}",
            s.code
        )),
        "{err}"
    );

    let r = on_environment(&s, &request_args(&s.code, "qa.request"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut bytes = std::fs::read(s.path().join("qa.request")).unwrap();
    // One base64 character of the body changed in transit.
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 10;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(s.path().join("damaged.request"), &bytes).unwrap();
    let err = fails(
        s.path(),
        &["register", "acme.json", "--request", "damaged.request"],
        2,
    );
    assert!(err.contains("damaged or changed"), "{err}");
    // Nothing was registered by the refusals.
    let shown = ok(s.path(), &["subscription", "show", "acme.json"]);
    assert!(!shown.contains(&pinned_serial(IDENTITY)), "{shown}");
}

#[test]
fn a_request_for_a_full_purpose_says_what_to_do() {
    let s = Setup::new();
    // The Acme subscription has one production slot, taken by Production.
    let mut args = request_args(&s.code, "prod2.request");
    args[8] = "production";
    let r = on_environment(&s, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let err = fails(
        s.path(),
        &["register", "acme.json", "--request", "prod2.request"],
        2,
    );
    assert!(err.contains("no free production slot"), "{err}");
    assert!(err.contains("release one first"), "{err}");
}
