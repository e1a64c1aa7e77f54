//! The subscription file: `subscription new`, `update` and `show`, and
//! checking its activation code.

use crate::common::{assert_contains_all, fails, ok, subscription_new_args, with};
use crate::setup::{Setup, mistyped, no_temp_files_left, value_after, with_char};
use licensing::Infrastructure;
use tempfile::TempDir;

#[test]
fn subscription_new_writes_the_terms_as_pretty_json() {
    let s = Setup::new();
    let json = std::fs::read_to_string(s.path().join("acme.json")).unwrap();
    assert!(json.contains("\n  \""), "not pretty-printed:\n{json}");
    let infra = s.subscription_at_revision(1);
    let terms = infra.subscription().terms();
    assert_eq!(terms.organization, "Acme Corp");
    assert_eq!(terms.edition, "Enterprise");
    assert_eq!(terms.support, "premium");
    assert_eq!(terms.ends.unwrap().to_string(), "2027-12-31");
    assert_eq!(terms.grace_days, 30);
    assert_eq!(
        (
            terms.slots.development,
            terms.slots.non_production,
            terms.slots.production
        ),
        (1, 1, 1)
    );
    let objects = terms.limits["application-objects"];
    assert_eq!(objects.value, 450);
    assert_eq!(objects.enforcement, licensing::Enforcement::Hard);
    assert_eq!(objects.scope, licensing::Scope::ProductionOnly);
    let users = terms.limits["internal-users"];
    assert_eq!(users.value, 100);
    assert_eq!(users.enforcement, licensing::Enforcement::Soft);
    assert_eq!(terms.limits["external-users"].value, 10_000);
    assert_eq!(
        terms.features.iter().collect::<Vec<_>>(),
        ["multi-tenancy", "sap-connector"]
    );
    assert_eq!(infra.environments().len(), 1);

    // The file is not replaced without --force.
    let other = subscription_new_args("Other", "E", "s", "acme.json");
    let err = fails(s.path(), &other, 2);
    assert_contains_all(&err, &["acme.json", "--force"]);
    assert_eq!(s.infrastructure(), infra);
}

#[test]
fn subscription_new_options_are_checked() {
    let dir = TempDir::new().unwrap();
    let base = subscription_new_args("A", "E", "s", "a.json");
    for (extra, expected) in [
        (&["--end", "tomorrow"][..], "never"),
        (&["--slots", "production"][..], "PURPOSE=N"),
        (&["--slots", "qa=1"][..], "non-production"),
        (&["--limit", "users"][..], "NAME=VALUE"),
        (&["--limit", "users=10:medium"][..], "hard or soft"),
        (&["--feature", "Multi Tenancy"][..], "lower-case"),
    ] {
        let err = fails(dir.path(), &with(&base, extra), 2);
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(!dir.path().join("a.json").exists());
    }
    // "never" and a grace period are accepted.
    ok(
        dir.path(),
        &with(&base, &["--end", "never", "--grace-days", "7"]),
    );
    let json = std::fs::read_to_string(dir.path().join("a.json")).unwrap();
    let infra: Infrastructure = serde_json::from_str(&json).unwrap();
    assert_eq!(infra.subscription().terms().ends, None);
    assert_eq!(infra.subscription().terms().grace_days, 7);
}

#[test]
fn subscription_update_keeps_the_activation_code_and_raises_the_revision() {
    let s = Setup::new();
    let d = s.path();
    let out = s.update_subscription(&[
        "--support",
        "standard",
        "--slots",
        "production=2",
        "--internal-users",
        "200",
        "--feature",
        "audit",
    ]);
    assert!(out.contains(&s.code), "{out}");
    assert_eq!(value_after(&out, "revision:"), "2");
    let infra = s.subscription_at_revision(2);
    let terms = infra.subscription().terms();
    assert_eq!(terms.support, "standard");
    assert_eq!(terms.organization, "Acme Corp", "options not given stay");
    assert_eq!(terms.slots.production, 2);
    assert_eq!(terms.slots.development, 1, "purposes not named keep");
    assert_eq!(terms.limits["internal-users"].value, 200);
    assert_eq!(terms.limits["application-objects"].value, 450);
    assert_eq!(terms.features.iter().collect::<Vec<_>>(), ["audit"]);
    assert_eq!(infra.environments().len(), 1, "environments stay");

    s.update_subscription(&[
        "--add-feature",
        "sap-connector",
        "--remove-feature",
        "audit",
        "--limit",
        "application-objects=500:soft",
    ]);
    let infra = s.infrastructure();
    let terms = infra.subscription().terms();
    assert_eq!(infra.subscription().revision(), 3);
    assert_eq!(terms.features.iter().collect::<Vec<_>>(), ["sap-connector"]);
    let objects = terms.limits["application-objects"];
    assert_eq!(objects.value, 500);
    assert_eq!(objects.enforcement, licensing::Enforcement::Soft);
    assert_eq!(objects.scope, licensing::Scope::ProductionOnly);

    // Nothing to change, or a change the registrations forbid: refused,
    // revision unchanged.
    let err = s.update_subscription_refused(&[]);
    assert!(err.contains("nothing to change"), "{err}");
    let err = s.update_subscription_refused(&["--slots", "production=0"]);
    assert!(err.contains("release 1 first"), "{err}");
    let err = s.update_subscription_refused(&["--remove-feature", "nope"]);
    assert_contains_all(&err, &["nope", "sap-connector"]);
    assert_eq!(s.infrastructure().subscription().revision(), 3);
    no_temp_files_left(d);
}

#[test]
fn subscription_show_lists_terms_slots_and_environments() {
    let s = Setup::new();
    let out = ok(s.path(), &["subscription", "show", "acme.json"]);
    assert_contains_all(
        &out,
        &[
            s.code.as_str(),
            "Acme Corp",
            "Enterprise",
            "premium",
            "2027-12-31",
            "30 days",
            "multi-tenancy",
            "sap-connector",
            "Production",
            s.production.as_str(),
        ],
    );
    let slot = |purpose: &str| value_after(&out, purpose);
    assert_eq!(slot("production"), "1 / 1");
    assert_eq!(slot("development"), "0 / 1");
    assert_eq!(slot("non-production"), "0 / 1");
    let objects = value_after(&out, "application-objects");
    assert_contains_all(&objects, &["450", "hard", "production only"]);
    let users = value_after(&out, "internal-users");
    assert_contains_all(&users, &["100", "soft"]);

    let json = ok(s.path(), &["subscription", "show", "acme.json", "--json"]);
    let shown: Infrastructure = serde_json::from_str(&json).unwrap();
    assert_eq!(shown, s.infrastructure());
}

#[test]
fn activation_codes_are_checked_with_the_place_of_the_mistake() {
    let s = Setup::new();
    let out = ok(s.path(), &["activation-code", "check", &s.code]);
    assert_contains_all(&out, &["valid", s.code.as_str()]);
    // Sloppy typing is forgiven.
    let sloppy = s.code.to_lowercase().replace('.', "");
    ok(s.path(), &["activation-code", "check", &sloppy]);

    // One character changed (group 2, character 1): caught. Where is said
    // only for a plausible slip, which Z for a random character seldom is.
    let typo = mistyped(&s.code, 4);
    let err = fails(s.path(), &["activation-code", "check", &typo], 2);
    assert_contains_all(
        &err,
        &["mistyped", "check the whole code against its source"],
    );

    let bad = with_char(&s.code, 9, 'U');
    let err = fails(s.path(), &["activation-code", "check", &bad], 2);
    assert!(err.contains("group 3, character 2"), "{err}");
    let err = fails(s.path(), &["activation-code", "check", "7KQ.M2X"], 2);
    assert!(err.contains("expected 31 characters"), "{err}");
}

#[test]
fn an_end_date_in_the_past_needs_force_and_says_why() {
    let s = Setup::new();
    let err = s.update_subscription_refused(&["--end", "2020-01-01"]);
    assert!(
        err.contains("would end 2020-01-01, before today")
            && err.contains("every license issued from it would be expired already")
            && err.contains("--force"),
        "{err}"
    );
    s.subscription_at_revision(1);
    s.update_subscription(&["--end", "2020-01-01", "--force"]);
    s.subscription_at_revision(2);
    // Another change leaves the (past) end date alone: not asked again.
    s.update_subscription(&["--add-feature", "ldap-integration"]);
    s.subscription_at_revision(3);
}

#[test]
fn releasing_an_unknown_serial_says_which_are_registered() {
    let s = Setup::new();
    let stranger = crate::setup::serial("02:fc:00:00:00:77");
    let err = crate::common::fails(
        s.path(),
        &["release", "acme.json", "--serial", &stranger],
        2,
    );
    assert!(
        err.contains(&format!("(registered: {} 'Production')", s.production)),
        "{err}"
    );
}
