//! The vendor's grants through the tool: a trial extension and a clock
//! reset, each issued by the vendor's command and installed with
//! `install`.

use crate::common::{Run, ok, run};
use crate::setup::{Setup, serial, store_args, value_after};
use licensing::{DAY, Timestamp};

/// `licensing status` on the folder's store as Production, at the clock's
/// time (no --at: what it sees is recorded).
fn status_now(s: &Setup) -> Run {
    let args = store_args(&["status"], "store", "vendor.pub", &s.production);
    run(s.path(), &args)
}

#[test]
fn a_trial_extension_is_issued_installed_and_runs_the_trial() {
    let s = Setup::new();
    ok(s.path(), &["init", "--store", "store"]);
    assert_eq!(status_now(&s).code, 0);
    let until = Timestamp::now().plus_seconds(90 * DAY);
    let day = until.to_string()[..10].to_owned();
    let out = ok(
        s.path(),
        &[
            "trial-extension",
            "--serial",
            &s.production,
            "--until",
            &day,
            "--key",
            "vendor.key",
            "--out",
            "ext.lic",
        ],
    );
    assert!(out.starts_with("trial extension for serial"), "{out}");
    let args = store_args(
        &["install", "ext.lic"],
        "store",
        "vendor.pub",
        &s.production,
    );
    let out = ok(s.path(), &args);
    assert!(out.contains("a trial extension"), "{out}");
    let r = status_now(&s);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let standing = value_after(&r.stdout, "Standing");
    assert!(
        standing == "trial: 90 days left" || standing == "trial: 91 days left",
        "{standing}"
    );
    // For another environment: refused, exit 1, and nothing changes.
    let other = serial("02:fc:00:00:00:09");
    let args = store_args(&["install", "ext.lic"], "store", "vendor.pub", &other);
    let r = run(s.path(), &args);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("ask the vendor for one for this serial"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_clock_reset_puts_back_a_clock_that_ran_ahead_once() {
    let s = Setup::new();
    ok(s.path(), &["init", "--store", "store"]);
    assert_eq!(status_now(&s).code, 0, "the trial starts");
    let install = |file: &str, at: Option<&str>| {
        let mut args = store_args(&["install", file], "store", "vendor.pub", &s.production);
        if let Some(at) = at {
            args.extend(["--at", at]);
        }
        run(s.path(), &args)
    };
    // An installation while the clock said three years ahead: the store
    // remembers that time, so the fixed clock is reported as turned back.
    let until = Timestamp::now().plus_seconds(90 * DAY).to_string()[..10].to_owned();
    let ext = ["--serial", &s.production, "--key", "vendor.key"];
    let mut args = vec!["trial-extension", "--until", &until, "--out", "ext.lic"];
    args.extend(ext);
    ok(s.path(), &args);
    let ahead = Timestamp::now().plus_seconds(3 * 365 * DAY).to_string();
    assert_eq!(install("ext.lic", Some(&ahead)).code, 0);
    let r = status_now(&s);
    assert!(r.stdout.contains("clock"), "{}", r.stdout);
    assert_eq!(
        value_after(&r.stdout, "Standing"),
        "trial over: no license is installed"
    );

    let mut args = vec!["clock-reset", "--out", "reset.lic"];
    args.extend(ext);
    let out = ok(s.path(), &args);
    assert!(out.starts_with("clock reset for serial"), "{out}");
    let r = install("reset.lic", None);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("a clock reset issued"), "{}", r.stdout);
    let r = status_now(&s);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("turned back"), "{}", r.stdout);
    let standing = value_after(&r.stdout, "Standing");
    assert!(
        standing.starts_with("trial: 9"),
        "the extension runs again: {standing}"
    );

    // Once only: exit 1, saying so.
    let r = install("reset.lic", None);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("already applied"), "{}", r.stderr);
    // For another environment: refused.
    let other = serial("02:fc:00:00:00:09");
    let args = store_args(&["install", "reset.lic"], "store", "vendor.pub", &other);
    let r = run(s.path(), &args);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("the clock reset is for serial"),
        "{}",
        r.stderr
    );
}
