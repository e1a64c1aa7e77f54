//! The platform version cap through the tool: set on the subscription,
//! carried by the license (format version 2), shown by `inspect`, and
//! checked by `validate --platform-version`.

use crate::common::{ACTIVE, ok, run, validate_args, with};
use crate::setup::{Setup, value_after};

/// Validates `file` on Production at ACTIVE by a runtime of `running`.
fn validate_running(s: &Setup, file: &str, running: &str) -> crate::common::Run {
    let args = validate_args(file, "vendor.pub", &s.production);
    run(
        s.path(),
        &with(&args, &["--at", ACTIVE, "--platform-version", running]),
    )
}

#[test]
fn a_capped_license_runs_up_to_its_cap_and_says_so_above_it() {
    let s = Setup::new();
    s.update_subscription(&["--max-platform-version", "11.14"]);
    let shown = ok(s.path(), &["subscription", "show", "acme.json"]);
    assert_eq!(value_after(&shown, "Platform version"), "up to 11.14");
    s.issue("capped.lic", &[]);
    let inspected = ok(s.path(), &["inspect", "capped.lic"]);
    assert_eq!(value_after(&inspected, "Format version"), "2");
    assert_eq!(value_after(&inspected, "Platform version"), "up to 11.14");
    for running in ["11.14", "11.9", "11.14.3", "10"] {
        let r = validate_running(&s, "capped.lic", running);
        assert_eq!(r.code, 0, "{running}: {}{}", r.stdout, r.stderr);
    }
    for running in ["11.15", "12"] {
        let r = validate_running(&s, "capped.lic", running);
        assert_eq!(r.code, 1, "{running}: {}", r.stdout);
        assert!(
            r.stderr.contains(&format!(
                "the license covers the platform up to version 11.14, this runtime is version {running}"
            )),
            "{}",
            r.stderr
        );
    }
    // Not told the version: valid, and the output says the cap was not
    // checked.
    let r = s.validate("capped.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("platform version cap 11.14 not checked"),
        "{}",
        r.stdout
    );
    let json = ok(s.path(), &["inspect", "capped.lic", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["max_platform_version"], "11.14");
    assert_eq!(json["format_version"], 2);
}

#[test]
fn removing_the_cap_gives_a_version_1_license_again() {
    let s = Setup::new();
    s.issue("before.lic", &[]);
    s.update_subscription(&["--max-platform-version", "11.14"]);
    s.update_subscription(&["--max-platform-version", "none"]);
    s.issue("after.lic", &[]);
    for file in ["before.lic", "after.lic"] {
        let inspected = ok(s.path(), &["inspect", file]);
        assert_eq!(value_after(&inspected, "Format version"), "1", "{file}");
        assert_eq!(value_after(&inspected, "Platform version"), "any", "{file}");
    }
    let r = validate_running(&s, "after.lic", "99.1");
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_version_that_is_not_dotted_numbers_is_bad_usage() {
    let s = Setup::new();
    let err = s.update_subscription_refused(&["--max-platform-version", "11.x"]);
    assert!(err.contains("part 2 ('x') is not a number"), "{err}");
    s.issue("p.lic", &[]);
    let r = validate_running(&s, "p.lic", "eleven");
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("not a platform version"), "{}", r.stderr);
}

#[test]
fn a_store_told_a_newer_platform_refuses_the_capped_license() {
    let s = Setup::new();
    s.update_subscription(&["--max-platform-version", "11.14"]);
    s.issue("capped.lic", &[]);
    let store = [
        "--store",
        "store",
        "--trust",
        "vendor.pub",
        "--serial",
        &s.production,
    ];
    let install = [&["install", "capped.lic"][..], &store].concat();
    let r = run(s.path(), &with(&install, &["--platform-version", "11.15"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("up to version 11.14"), "{}", r.stderr);
    ok(
        s.path(),
        &with(&install, &["--platform-version", "11.14.2"]),
    );
    let status = [&["status"][..], &store].concat();
    let r = run(s.path(), &with(&status, &["--platform-version", "12.0"]));
    assert_eq!(r.code, 1, "an upgraded platform may not run: {}", r.stdout);
    assert!(
        r.stdout.contains("this runtime is version 12.0"),
        "{}",
        r.stdout
    );
    ok(s.path(), &with(&status, &["--platform-version", "11.9"]));
}
