//! Usage through the tool: recorded by `status --usage`, reported by
//! `usage-report`, summed across the production environments by
//! `usage-summary`, and enforced by the production environments given the
//! summary.

use crate::common::{Run, ok, run};
use crate::setup::{Setup, serial, store_args, value_after};

/// Two production environments (Production and Production 2) of the Acme
/// subscription, each with its license installed in its store (store-1,
/// store-2); their serials.
fn two_production_environments() -> (Setup, [String; 2]) {
    let s = Setup::new();
    s.update_subscription(&["--slots", "production=2"]);
    let second = serial("02:fc:00:00:00:04");
    assert_eq!(s.register(&second, "Production 2", "production").code, 0);
    let serials = [s.production.clone(), second];
    for (i, serial) in serials.iter().enumerate() {
        let file = format!("p{i}.lic");
        s.issue_for(serial, &file, &[]);
        let store = format!("store-{}", i + 1);
        let args = store_args(&["install", &file], &store, "vendor.pub", serial);
        ok(s.path(), &args);
    }
    (s, serials)
}

/// `status --usage application-objects=N` on store-(i+1), at the clock's
/// time (recorded).
fn status_with_objects(s: &Setup, serials: &[String; 2], i: usize, objects: u64) -> Run {
    let store = format!("store-{}", i + 1);
    let usage = format!("application-objects={objects}");
    let args = store_args(
        &["status", "--usage", &usage],
        &store,
        "vendor.pub",
        &serials[i],
    );
    run(s.path(), &args)
}

/// Each environment reports `objects` application objects and writes its
/// report (r1.report, r2.report).
fn report_both(s: &Setup, serials: &[String; 2], objects: u64) {
    for i in 0..2 {
        let r = status_with_objects(s, serials, i, objects);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let store = format!("store-{}", i + 1);
        let out = format!("r{}.report", i + 1);
        let args = store_args(
            &["usage-report", "--out", &out],
            &store,
            "vendor.pub",
            &serials[i],
        );
        let said = ok(s.path(), &args);
        assert!(said.contains("daily peaks from"), "{said}");
    }
}

/// Sums r1.report and r2.report into acme.summary; the run.
fn summarize(s: &Setup) -> Run {
    run(
        s.path(),
        &[
            "usage-summary",
            "r1.report",
            "r2.report",
            "--out",
            "acme.summary",
        ],
    )
}

/// Installs acme.summary in store-(i+1), then its status with `objects`
/// application objects.
fn with_summary(s: &Setup, serials: &[String; 2], i: usize, objects: u64) -> Run {
    let store = format!("store-{}", i + 1);
    let args = store_args(
        &["install", "acme.summary"],
        &store,
        "vendor.pub",
        &serials[i],
    );
    let said = ok(s.path(), &args);
    assert!(
        said.contains("the usage summary of activation code"),
        "{said}"
    );
    status_with_objects(s, serials, i, objects)
}

#[test]
fn over_the_summed_hard_limit_publishing_stops_on_both_and_running_goes_on() {
    let (s, serials) = two_production_environments();
    // Each alone is within its 450.
    let r = status_with_objects(&s, &serials, 0, 300);
    assert!(
        value_after(&r.stdout, "publish").starts_with("yes"),
        "{}",
        r.stdout
    );
    report_both(&s, &serials, 300);
    let r = summarize(&s);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("application-objects  600 of 450 (hard): OVER THE HARD LIMIT"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("application-objects 600 of 450"),
        "{}",
        r.stderr
    );
    let json = run(
        s.path(),
        &["usage-summary", "r1.report", "r2.report", "--json"],
    );
    assert_eq!(json.code, 1);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["totals"][0]["total"], 600);
    assert_eq!(json["environments"].as_array().unwrap().len(), 2);

    for i in 0..2 {
        let r = with_summary(&s, &serials, i, 300);
        assert_eq!(r.code, 0, "running goes on: {}{}", r.stdout, r.stderr);
        assert!(
            value_after(&r.stdout, "run").starts_with("yes"),
            "{}",
            r.stdout
        );
        let publish = value_after(&r.stdout, "publish");
        assert!(publish.starts_with("no"), "{publish}");
        assert!(
            publish.contains("application-objects 600/450 summed across 2 production environments"),
            "{publish}"
        );
        assert!(
            r.stdout
                .contains("300 here, 600 across 2 production environments"),
            "{}",
            r.stdout
        );
    }
}

#[test]
fn within_the_summed_limit_publishing_goes_on() {
    let (s, serials) = two_production_environments();
    report_both(&s, &serials, 200);
    let r = summarize(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("400 of 450 (hard): within"),
        "{}",
        r.stdout
    );
    for i in 0..2 {
        let r = with_summary(&s, &serials, i, 200);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            value_after(&r.stdout, "publish").starts_with("yes"),
            "{}",
            r.stdout
        );
    }
}

#[test]
fn reports_of_two_infrastructures_or_damaged_are_refused() {
    let (s, serials) = two_production_environments();
    report_both(&s, &serials, 100);
    // Another infrastructure's environment, with a report of its own.
    let other = Setup::new();
    other.issue("p.lic", &[]);
    ok(
        other.path(),
        &store_args(
            &["install", "p.lic"],
            "store",
            "vendor.pub",
            &other.production,
        ),
    );
    ok(
        other.path(),
        &store_args(
            &["usage-report", "--out", "other.report"],
            "store",
            "vendor.pub",
            &other.production,
        ),
    );
    std::fs::copy(
        other.path().join("other.report"),
        s.path().join("other.report"),
    )
    .unwrap();
    let r = run(s.path(), &["usage-summary", "r1.report", "other.report"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("different infrastructures"),
        "{}",
        r.stderr
    );

    let mut bytes = std::fs::read(s.path().join("r2.report")).unwrap();
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 5;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(s.path().join("damaged.report"), &bytes).unwrap();
    let r = run(s.path(), &["usage-summary", "r1.report", "damaged.report"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("damaged or changed"), "{}", r.stderr);

    // A summary of another infrastructure is refused by a store.
    ok(
        other.path(),
        &["usage-summary", "other.report", "--out", "other.summary"],
    );
    std::fs::copy(
        other.path().join("other.summary"),
        s.path().join("other.summary"),
    )
    .unwrap();
    let args = store_args(
        &["install", "other.summary"],
        "store-1",
        "vendor.pub",
        &serials[0],
    );
    let r = run(s.path(), &args);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("give it the summary of its own infrastructure"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_report_needs_an_installed_license() {
    let s = Setup::new();
    ok(s.path(), &["init", "--store", "empty"]);
    let args = store_args(
        &["usage-report", "--out", "x.report"],
        "empty",
        "vendor.pub",
        &s.production,
    );
    let r = run(s.path(), &args);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("install its license first"),
        "{}",
        r.stderr
    );
    assert!(!s.path().join("x.report").exists());
}
