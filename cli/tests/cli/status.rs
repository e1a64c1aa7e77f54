//! `licensing status`: the trial, the license's standing, the usage
//! against its limits, the decisions and warnings, and the clock.

use crate::common::{ACTIVE, run_env, with};
use crate::setup::{
    PAST_GRACE, Setup, assert_serial_pinned_by_identity, pinned_identity, pinned_serial, serial,
    store_exits, store_run_as, value_after,
};

/// What the store commands add to where the serial came from.
const KEPT_BY_THE_STORE: &str = ", kept by the store's fingerprint record";

/// "yes" or "no": the decision `name` on a status page.
fn decision(page: &str, name: &str) -> String {
    page.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no decision '{name}' in:\n{page}"))
        .to_owned()
}

/// The status command, given the usage figures `usage` (one --usage each).
fn status_with_usage<'a>(usage: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["status"];
    for figure in usage {
        args.extend(["--usage", figure]);
    }
    args
}

/// The decisions run, publish and administer on a status page.
fn decisions(page: &str) -> [String; 3] {
    ["run", "publish", "administer"].map(|name| decision(page, name))
}

fn warnings(page: &str) -> Vec<&str> {
    page.lines()
        .filter_map(|l| l.trim().strip_prefix("! "))
        .collect()
}

#[test]
fn status_of_an_empty_store_is_the_trial() {
    let s = Setup::new();
    let out = store_exits(&s, &["status"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "Standing"), "trial: 30 days left");
    for (limit, value) in [
        ("application-objects", "150 (hard)"),
        ("external-users", "100 (soft)"),
        ("internal-users", "10 (soft)"),
    ] {
        assert!(
            value_after(&out, limit).starts_with(value),
            "{limit}: {out}"
        );
    }
    assert_eq!(value_after(&out, "Serial number"), s.production);
    assert!(warnings(&out).is_empty(), "{out}");
    assert_eq!(decisions(&out), ["yes", "yes", "yes"]);

    // The trial started with the first status: its last week warns, then
    // it is over.
    let out = store_exits(&s, &["status"], "2026-06-26T00:00:00Z", 0).stdout;
    assert_eq!(
        warnings(&out),
        ["the trial ends within 5 days: install a license"]
    );
    let r = store_exits(&s, &["status"], "2026-07-02T00:00:00Z", 1);
    assert_eq!(
        warnings(&r.stdout),
        ["the trial is over: install a license"]
    );
    assert_eq!(decisions(&r.stdout), ["no", "no", "yes"]);
    assert!(r.stderr.contains("may not run"), "{}", r.stderr);

    // Installing a license ends it.
    s.issue("production.lic", &[]);
    store_exits(
        &s,
        &["install", "production.lic"],
        "2026-07-02T00:00:00Z",
        0,
    );
    let out = store_exits(&s, &["status"], "2026-07-02T00:00:00Z", 0).stdout;
    assert_eq!(value_after(&out, "Standing"), "licensed, active");
}

#[test]
fn status_json_has_the_whole_page() {
    let s = Setup::with_installed_license();
    let usage = status_with_usage(&["internal-users=95,external-users=12000"]);
    let r = store_exits(&s, &with(&usage, &["--json"]), ACTIVE, 0);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["standing"]["state"], "active");
    assert_eq!(json["serial_number"], s.production.as_str());
    assert_eq!(json["license"]["organization"], "Acme Corp");
    assert_eq!(json["license"]["edition"], "Enterprise");
    assert_eq!(json["license"]["activation_code"], s.code.as_str());
    assert_eq!(json["license"]["end_date"], "2027-12-31");
    assert_eq!(json["license"]["revision"], 1);
    assert_eq!(
        json["features"],
        serde_json::json!(["multi-tenancy", "sap-connector"])
    );
    let limits = json["limits"].as_array().unwrap();
    let limit = |name: &str| {
        limits
            .iter()
            .find(|l| l["name"] == name)
            .unwrap_or_else(|| panic!("no limit {name} in {limits:?}"))
    };
    assert_eq!(limit("internal-users")["usage"], 95);
    assert_eq!(limit("internal-users")["level"], "near");
    assert_eq!(limit("external-users")["level"], "over-soft-limit");
    assert_eq!(limit("application-objects")["value"], 450);
    assert_eq!(limit("application-objects")["enforcement"], "hard");
    assert!(limit("application-objects")["usage"].is_null());
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["kind"], "over-limit");
    assert_eq!(warnings[0]["limit"], "external-users");
    assert!(
        warnings[0]["message"]
            .as_str()
            .unwrap()
            .contains("(soft limit)"),
        "{warnings:?}"
    );
    for name in ["run", "publish", "administer"] {
        assert_eq!(json["decisions"][name]["allowed"], true, "{name}");
        assert!(json["decisions"][name]["reason"].is_string(), "{name}");
    }

    // Without --serial, this machine's (pinned here) is used, and stdout
    // stays one JSON object.
    let pinned = pinned_serial("acme-quality");
    let args = [
        "status",
        "--store",
        "quality-store",
        "--trust",
        "vendor.pub",
        "--at",
        ACTIVE,
    ];
    let env = pinned_identity(Some("acme-quality"));
    let r = run_env(s.path(), &[&args[..], &["--json"]].concat(), &env);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["serial_number"], pinned.as_str());
    assert_eq!(json["standing"]["state"], "trial");
    assert_eq!(json["standing"]["days_left"], 30);
    assert!(json["license"].is_null());
    let r = run_env(s.path(), &args, &env);
    assert_serial_pinned_by_identity(&r.stdout, &pinned, KEPT_BY_THE_STORE);
}

#[test]
fn status_follows_the_license_through_grace_to_expiry() {
    let s = Setup::with_installed_license();
    let out = store_exits(&s, &["status"], "2027-12-20T00:00:00Z", 0).stdout;
    assert_eq!(
        warnings(&out),
        ["this license expires within 12 days: renew the subscription"]
    );
    let out = store_exits(&s, &["status"], "2028-01-21T00:00:00Z", 0).stdout;
    assert_eq!(
        warnings(&out),
        ["this license has expired: request a new license within 10 days"]
    );
    assert_eq!(decision(&out, "run"), "yes");

    let r = store_exits(&s, &["status"], PAST_GRACE, 1);
    assert_eq!(
        warnings(&r.stdout),
        ["this license has expired and its grace period is over: install a new license"]
    );
    assert_eq!(value_after(&r.stdout, "End date"), "2027-12-31");
    assert_eq!(decisions(&r.stdout), ["no", "no", "yes"]);
    assert!(r.stderr.contains("may not run"), "{}", r.stderr);
    let r = store_exits(&s, &["status", "--json"], PAST_GRACE, 1);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["standing"]["state"], "expired");
    assert_eq!(json["decisions"]["run"]["allowed"], false);
    assert_eq!(json["warnings"][0]["kind"], "expired");

    // A license for another environment in the store: not valid here.
    let other = serial("02:fc:00:00:00:09");
    let r = store_run_as(&s, "store", &other, &["status"], PAST_GRACE);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        value_after(&r.stdout, "Standing").starts_with("not valid here"),
        "{}",
        r.stdout
    );
}

#[test]
fn over_a_hard_limit_publishing_stops_and_running_goes_on() {
    let s = Setup::with_installed_license();
    let usage = status_with_usage(&["application-objects=451", "internal-users=150"]);
    let out = store_exits(&s, &usage, ACTIVE, 0).stdout;
    assert_eq!(decisions(&out), ["yes", "no", "yes"]);
    assert!(
        value_after(&out, "application-objects").contains("451: OVER the hard limit"),
        "{out}"
    );
    assert_eq!(
        warnings(&out),
        [
            "consuming more than the license allows: application-objects 451/450 (hard limit: publishing is blocked)",
            "consuming more than the license allows: internal-users 150/100 (soft limit)",
        ]
    );

    // At the limit, or over soft limits only: publishing goes on.
    let usage = status_with_usage(&["application-objects=450,internal-users=150"]);
    let out = store_exits(&s, &usage, ACTIVE, 0).stdout;
    assert_eq!(decision(&out, "publish"), "yes");

    // Usage figures are checked: bad input, exit 2.
    for bad in ["application-objects", "application-objects=many", "=5"] {
        let err = store_exits(&s, &status_with_usage(&[bad]), ACTIVE, 2).stderr;
        assert!(err.contains(bad), "{bad}: {err}");
    }
    let usage = status_with_usage(&["internal-users=1", "internal-users=2"]);
    let err = store_exits(&s, &usage, ACTIVE, 2).stderr;
    assert!(err.contains("twice"), "{err}");
}

#[test]
fn a_clock_turned_back_is_reported_and_does_not_stretch_the_license() {
    let s = Setup::with_installed_license();
    let late = "2028-01-21T00:00:00Z";
    let out = store_exits(&s, &["status"], late, 0).stdout;
    assert!(value_after(&out, "Standing").starts_with("licensed, in grace"));

    // An hour back is within the tolerance.
    let out = store_exits(&s, &["status"], "2028-01-20T23:00:00Z", 0).stdout;
    assert_eq!(
        warnings(&out),
        ["this license has expired: request a new license within 10 days"]
    );

    // Three days back: reported, and the license is judged at the latest
    // time seen (still in grace, not active again).
    let out = store_exits(&s, &["status"], "2028-01-18T00:00:00Z", 0).stdout;
    let shown = warnings(&out);
    assert_eq!(shown.len(), 2, "{out}");
    assert!(
        shown[0].starts_with("the clock of this server says 2028-01-18T00:00:00Z but 2028-01-21T00:00:00Z was already seen"),
        "{out}"
    );
    assert!(shown[1].contains("within 10 days"), "{out}");
    assert_eq!(value_after(&out, "Judged at"), late);
}
