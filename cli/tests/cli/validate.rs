//! `licensing validate`: the states a license goes through with the
//! clock, this machine's serial, and the licenses that are refused.

use crate::common::{
    self, ACTIVE, assert_contains_all, fails, issue_args, ok, run_env, validate_args, with,
};
use crate::setup::{
    Setup, assert_serial_pinned_by_identity, pinned_identity, pinned_serial, serial,
    tamper_with_license, value_after,
};
use licensing::SerialNumber;

/// Validates `file` on this machine, trusting vendor.pub, at ACTIVE.
fn validate_here_args(file: &str) -> [&str; 6] {
    ["validate", file, "--trust", "vendor.pub", "--at", ACTIVE]
}

#[test]
fn validation_states_follow_the_clock() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let state = |at: &str| {
        let r = s.validate("production.lic", &s.production, at);
        assert_eq!(r.code, 0, "{at}: {}", r.stderr);
        r.stdout.lines().next().unwrap_or_default().to_owned()
    };
    assert_eq!(
        state("2027-12-22T00:00:00Z"),
        "valid: expiring soon: 10 days"
    );
    assert_eq!(
        state("2028-01-21T00:00:00Z"),
        "valid: in grace: 10 days left to renew"
    );

    let r = s.validate("production.lic", &s.production, "2028-02-01T00:00:00Z");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("expired"), "{}", r.stderr);
    let r = s.validate("production.lic", &s.production, "2025-12-01T00:00:00Z");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("valid from"), "{}", r.stderr);
    let args = validate_args("production.lic", "vendor.pub", &s.production);
    let err = fails(s.path(), &with(&args, &["--at", "next week"]), 2);
    assert!(err.contains("RFC 3339"), "{err}");
}

#[test]
fn the_clock_defaults_to_now() {
    let s = Setup::new();
    s.update_subscription(&["--end", "never"]);
    ok(s.path(), &issue_args("vendor.key", &s.production, "p.lic"));
    let out = ok(
        s.path(),
        &validate_args("p.lic", "vendor.pub", &s.production),
    );
    assert!(out.starts_with("valid: active"), "{out}");
    assert_eq!(value_after(&out, "End date"), "Never");
}

#[test]
fn validate_without_a_serial_uses_this_machines() {
    let s = Setup::new();
    let d = s.path();
    // A pinned identity makes "this machine" the same on every machine.
    let pinned = pinned_serial("acme-development");
    common::register(d, &pinned, "Development", "development");
    s.issue_for(&pinned, "dev.lic", &[]);
    let args = validate_here_args("dev.lic");
    let pin = |identity| run_env(d, &args, &pinned_identity(identity));
    let r = pin(Some("acme-development"));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_serial_pinned_by_identity(&r.stdout, &pinned, "");
    assert!(r.stdout.contains("valid: active"), "{}", r.stdout);

    // Another machine: the license is not for it, and both serials show.
    let r = pin(Some("acme-production"));
    assert_eq!(r.code, 1, "{}", r.stdout);
    let other = pinned_serial("acme-production");
    assert!(r.stdout.contains(&other), "{}", r.stdout);
    assert_contains_all(
        &r.stderr,
        &["the license was issued for serial", pinned.as_str()],
    );

    // A pinned identity file that is not there: bad input, naming it.
    let r = run_env(
        d,
        &args,
        &[
            ("LICENSING_IDENTITY", None),
            ("LICENSING_IDENTITY_FILE", Some("/nonexistent/identity")),
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_contains_all(&r.stderr, &["no --serial given", "/nonexistent/identity"]);

    // This machine as it is (same environment as this test process):
    // either its serial can be read, and a license for it validates, or
    // validating says how to pin one.
    match SerialNumber::for_this_machine() {
        Ok(mine) => {
            let mine = mine.to_string();
            common::register(d, &mine, "Quality", "non-production");
            s.issue_for(&mine, "mine.lic", &[]);
            let out = ok(d, &validate_here_args("mine.lic"));
            assert!(
                out.starts_with(&format!("serial number: {mine} (this machine's")),
                "{out}"
            );
            assert!(out.contains("valid: active"), "{out}");
        }
        Err(e) => {
            let err = fails(d, &args, 2);
            assert!(err.contains("LICENSING_IDENTITY"), "{e}: {err}");
        }
    }
}

#[test]
fn a_license_on_the_wrong_environment_names_both_serials() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let other = serial("02:fc:00:00:00:09");
    let r = s.validate("production.lic", &other, ACTIVE);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains(&s.production), "{}", r.stderr);
    assert!(r.stderr.contains(&other), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn a_license_of_another_subscription_is_refused() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let other = Setup::new();
    let r = s.validate_with_activation_code("production.lic", &other.code);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_contains_all(&r.stderr, &[other.code.as_str(), s.code.as_str()]);
}

#[test]
fn a_tampered_license_is_refused() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let bytes = tamper_with_license(&s);
    let r = s.validate("tampered.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("signature does not match"),
        "{}",
        r.stderr
    );

    // inspect shows it, and says the signature fails when asked.
    let out = ok(s.path(), &["inspect", "tampered.lic"]);
    assert!(out.contains("acme Corp"), "{out}");
    let err = fails(
        s.path(),
        &["inspect", "tampered.lic", "--trust", "vendor.pub"],
        1,
    );
    assert!(err.contains("does not verify"), "{err}");

    // Signed by a key the runtime does not trust.
    common::keygen(s.path(), "other.key", "other.pub");
    let r = common::validate(
        s.path(),
        "production.lic",
        "other.pub",
        &s.production,
        ACTIVE,
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("does not trust"), "{}", r.stderr);

    // Cut short: malformed, still "not valid".
    std::fs::write(s.path().join("cut.lic"), &bytes[..40]).unwrap();
    let r = s.validate("cut.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("cut short"), "{}", r.stderr);
}
