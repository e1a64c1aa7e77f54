//! The vendor's registry through the tool: a subscription named by its
//! activation code wherever a JSON file is taken (with --registry), import
//! and export, list, find, history with operators, and two processes
//! racing for the last slot.

use crate::common::{Run, assert_contains_all, fails, ok, run, run_env, with};
use crate::setup::{Setup, serial, value_after};
use licensing::{DAY, Timestamp};
use std::cell::RefCell;
use std::process::{Command, Stdio};

thread_local! {
    /// The PostgreSQL database the running test's registry is in, if any.
    static POSTGRES: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `test` with its registry in SQLite (vendor.db in its folder), then
/// in a fresh PostgreSQL database when a test server is given
/// (`LICENSING_TEST_POSTGRES`, set by `.ci/run`; see
/// `licensing_registry::testing`).
fn on_each_backend(test: impl Fn()) {
    test();
    if let Some(place) = licensing_registry::testing::postgres() {
        POSTGRES.with(|p| *p.borrow_mut() = Some(place.location.clone()));
        test();
        POSTGRES.with(|p| *p.borrow_mut() = None);
    }
}

/// Where the tests' registry is: the one place that says it (vendor.db in
/// the test's folder, or the PostgreSQL database of [`on_each_backend`]).
fn registry_location(_s: &Setup) -> String {
    POSTGRES
        .with(|p| p.borrow().clone())
        .unwrap_or_else(|| "vendor.db".to_owned())
}

/// `licensing ARGS --registry LOCATION`'s arguments.
fn in_registry<'a>(location: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    with(args, &["--registry", location])
}

/// Runs `licensing ARGS --registry LOCATION`, which must succeed; its stdout.
fn ok_in(s: &Setup, args: &[&str]) -> String {
    let location = registry_location(s);
    ok(s.path(), &in_registry(&location, args))
}

/// Runs `licensing ARGS --registry LOCATION`, which must exit with `code`;
/// its stderr.
fn fails_in(s: &Setup, args: &[&str], code: i32) -> String {
    let location = registry_location(s);
    fails(s.path(), &in_registry(&location, args), code)
}

/// Runs `licensing ARGS --registry LOCATION`, successfully or not.
fn run_in(s: &Setup, args: &[&str]) -> Run {
    let location = registry_location(s);
    run(s.path(), &in_registry(&location, args))
}

/// Creates the registry of `s`: `licensing registry init LOCATION`.
fn init_registry(s: &Setup) -> Run {
    let location = registry_location(s);
    run(s.path(), &["registry", "init", &location])
}

/// A registry holding the Acme subscription of `s`.
fn registry_with_acme(s: &Setup) {
    let r = init_registry(s);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = ok_in(
        s,
        &["registry", "import", "acme.json", "--operator", "alice"],
    );
    assert!(out.contains(&format!("imported {}", s.code)), "{out}");
}

/// The arguments of a new subscription of `organization` ending on `end`
/// (a date, or never).
fn new_subscription<'a>(organization: &'a str, end: &'a str) -> [&'a str; 10] {
    [
        "subscription",
        "new",
        "--organization",
        organization,
        "--edition",
        "Enterprise",
        "--support",
        "premium",
        "--end",
        end,
    ]
}

/// `issue CODE --all --key vendor.key --out-dir out`, then `extra`.
fn issue_all<'a>(code: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    with(
        &[
            "issue",
            code,
            "--all",
            "--key",
            "vendor.key",
            "--out-dir",
            "out",
        ],
        extra,
    )
}

/// The day `days` days from today (before today when negative).
fn day_from_today(days: i64) -> String {
    Timestamp::now().plus_seconds(days * DAY).date().to_string()
}

/// The environment without LICENSING_REGISTRY, whatever the test runner's.
const NO_REGISTRY: [(&str, Option<&str>); 1] = [("LICENSING_REGISTRY", None)];

#[test]
fn import_export_find_list_and_history() {
    on_each_backend(|| {
        let s = Setup::new();
        registry_with_acme(&s);
        let r = init_registry(&s);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert!(r.stderr.contains("exists already"), "{}", r.stderr);
        ok_in(&s, &["export", &s.code, "--out", "back.json"]);
        let original = std::fs::read_to_string(s.path().join("acme.json")).unwrap();
        let back = std::fs::read_to_string(s.path().join("back.json")).unwrap();
        assert_eq!(back, original, "export gives the imported file back");
        let err = fails_in(&s, &["export", &s.code, "--out", "back.json"], 2);
        assert!(err.contains("--force"), "{err}");

        let found = ok_in(&s, &["find", &s.production]);
        assert!(
            found.contains(&format!("subscription {}", s.code)),
            "{found}"
        );
        assert!(
            found.contains("environment 'Production' (production)"),
            "{found}"
        );
        let found = ok_in(&s, &["find", &s.code]);
        assert!(found.contains(&s.code), "{found}");
        let missing = serial("02:fc:00:00:00:99");
        let r = run_in(&s, &["find", &missing]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        // Neither a serial number nor an activation code: bad input, said so.
        let err = fails_in(&s, &["find", "no-such-thing"], 2);
        assert!(
            err.contains("neither a serial number") && err.contains("nor an activation code"),
            "{err}"
        );

        // The Acme subscription ends 2027-12-31 (Setup): within 5 years, not 30 days.
        let list = ok_in(&s, &["subscription", "list", "--expiring-within", "1900"]);
        assert!(list.contains(&s.code), "{list}");
        let list = ok_in(&s, &["subscription", "list", "--organization", "globex"]);
        assert!(list.contains("no subscription matches"), "{list}");

        let second = serial("02:fc:00:00:00:04");
        let r = run_in(
            &s,
            &[
                "register",
                &s.code,
                "--serial",
                &second,
                "--name",
                "QA",
                "--purpose",
                "non-production",
                "--operator",
                "bob",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("1 of 1 non-production slots used"),
            "{}",
            r.stdout
        );
        let history = ok_in(&s, &["history", &s.code]);
        let lines: Vec<&str> = history.lines().collect();
        assert_eq!(lines.len(), 2, "{history}");
        assert!(
            lines[0].contains("alice  imported at revision 1 with 1 environment(s)"),
            "{history}"
        );
        assert!(
            lines[1].contains("bob  registered 'QA' (non-production)"),
            "{history}"
        );
        // The subscription as the registry has it, by its code.
        let shown = ok_in(&s, &["subscription", "show", &s.code]);
        assert_contains_all(
            &shown,
            &[
                format!("Subscription {}", s.code).as_str(),
                "non-production 1 / 1",
                "QA",
            ],
        );
    });
}

#[test]
fn import_takes_several_files_in_one_transaction() {
    on_each_backend(|| {
        let s = Setup::new();
        ok(
            s.path(),
            &with(
                &new_subscription("Globex", "2030-06-30"),
                &["--out", "globex.json"],
            ),
        );
        registry_with_acme(&s);
        // acme.json is in the registry already: neither file is imported.
        let err = fails_in(&s, &["registry", "import", "globex.json", "acme.json"], 2);
        assert!(err.contains("already"), "{err}");
        let list = ok_in(&s, &["subscription", "list", "--organization", "globex"]);
        assert!(list.contains("no subscription matches"), "{list}");
        let out = ok_in(&s, &["registry", "import", "globex.json"]);
        assert!(out.contains("(Globex) from globex.json"), "{out}");
        let list = ok_in(&s, &["subscription", "list", "--json"]);
        let rows: serde_json::Value = serde_json::from_str(&list).unwrap();
        let organizations: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["organization"].as_str().unwrap())
            .collect();
        assert_eq!(organizations, ["Acme Corp", "Globex"]);
    });
}

#[test]
fn two_processes_racing_for_the_last_slot_one_wins_one_is_refused() {
    on_each_backend(|| {
        let s = Setup::new();
        registry_with_acme(&s);
        let location = registry_location(&s);
        let bin = env!("CARGO_BIN_EXE_licensing");
        // The Acme subscription has one non-production slot: each round takes
        // it, then releases the winner.
        for round in 0..20 {
            let serials = [
                serial(&format!("02:fc:00:00:{round:02x}:01")),
                serial(&format!("02:fc:00:00:{round:02x}:02")),
            ];
            let racers: Vec<_> = serials
                .iter()
                .enumerate()
                .map(|(i, serial)| {
                    Command::new(bin)
                        .args(in_registry(
                            &location,
                            &[
                                "register",
                                &s.code,
                                "--serial",
                                serial,
                                "--name",
                                &format!("QA {i}"),
                                "--purpose",
                                "non-production",
                            ],
                        ))
                        .current_dir(s.path())
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            let outcomes: Vec<_> = racers
                .into_iter()
                .map(|c| c.wait_with_output().unwrap())
                .collect();
            let winners: Vec<usize> = (0..2).filter(|&i| outcomes[i].status.success()).collect();
            assert_eq!(winners.len(), 1, "round {round}: {outcomes:?}");
            let loser = &outcomes[1 - winners[0]];
            assert_eq!(loser.status.code(), Some(2));
            assert!(
                String::from_utf8_lossy(&loser.stderr).contains("no free non-production slot"),
                "round {round}: {loser:?}"
            );
            ok_in(&s, &["release", &s.code, "--serial", &serials[winners[0]]]);
        }
        let history = ok_in(&s, &["history", &s.code]);
        assert_eq!(
            history
                .lines()
                .filter(|l| l.contains("registered 'QA"))
                .count(),
            20
        );
        assert_eq!(
            history
                .lines()
                .filter(|l| l.contains("released 'QA"))
                .count(),
            20
        );
    });
}

#[test]
fn after_an_update_issue_all_writes_a_valid_license_per_environment_at_the_new_revision() {
    on_each_backend(|| {
        let s = Setup::new();
        registry_with_acme(&s);
        let qa = serial("02:fc:00:00:00:05");
        ok_in(
            &s,
            &[
                "register",
                &s.code,
                "--serial",
                &qa,
                "--name",
                "QA",
                "--purpose",
                "non-production",
            ],
        );
        let out = ok_in(
            &s,
            &[
                "subscription",
                "update",
                &s.code,
                "--add-feature",
                "ldap-integration",
                "--operator",
                "carol",
            ],
        );
        assert!(out.contains("is at revision 2"), "{out}");
        assert!(
            out.contains(&format!("licensing issue {} --all", s.code)),
            "{out}"
        );
        let err = fails_in(
            &s,
            &[
                "subscription",
                "update",
                &s.code,
                "--add-feature",
                "ldap-integration",
            ],
            2,
        );
        assert!(err.contains("nothing to change"), "{err}");
        let r = run_in(
            &s,
            &["issue", &s.code, "--key", "vendor.key", "--out-dir", "out"],
        );
        assert_eq!(r.code, 2, "--all is required: {}", r.stdout);
        let issued = ok_in(&s, &issue_all(&s.code, &["--operator", "dave"]));
        assert_eq!(issued.lines().count(), 2, "{issued}");
        for serial in [&s.production, &qa] {
            let file = format!("out/{serial}.lic");
            let inspected = ok(s.path(), &["inspect", &file]);
            assert!(inspected.contains("Revision         2"), "{inspected}");
            let v = s.validate(&file, serial, "2027-06-01T00:00:00Z");
            assert_eq!(v.code, 0, "{}", v.stderr);
        }
        // Again without --force: refused, nothing overwritten.
        let before = std::fs::read(s.path().join(format!("out/{qa}.lic"))).unwrap();
        let err = fails_in(&s, &issue_all(&s.code, &[]), 2);
        assert!(err.contains("--force"), "{err}");
        let after = std::fs::read(s.path().join(format!("out/{qa}.lic"))).unwrap();
        assert_eq!(before, after);
        // One environment's license, by code: written and recorded.
        ok_in(
            &s,
            &[
                "issue",
                &s.code,
                "--serial",
                &qa,
                "--key",
                "vendor.key",
                "--out",
                "qa.lic",
                "--operator",
                "erin",
            ],
        );
        let v = s.validate("qa.lic", &qa, "2027-06-01T00:00:00Z");
        assert_eq!(v.code, 0, "{}", v.stderr);
        let history = ok_in(&s, &["history", &s.code]);
        assert!(
            history.contains("carol  terms changed: revision 2"),
            "{history}"
        );
        assert_eq!(
            history
                .lines()
                .filter(|l| l.contains("dave  issued license") && l.contains("revision 2"))
                .count(),
            2,
            "{history}"
        );
        assert!(
            history.contains("erin  issued license") && history.contains("for 'QA'"),
            "{history}"
        );
        let found = ok_in(&s, &["find", &qa]);
        assert!(found.contains("latest license"), "{found}");
    });
}

#[test]
fn issue_all_works_on_a_json_file() {
    let s = Setup::new();
    let qa = serial("02:fc:00:00:00:06");
    let r = s.register(&qa, "QA", "non-production");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let args = [
        "issue",
        "acme.json",
        "--all",
        "--key",
        "vendor.key",
        "--out-dir",
        "licenses",
    ];
    let issued = ok(s.path(), &args);
    assert_eq!(issued.lines().count(), 2, "{issued}");
    for serial in [&s.production, &qa] {
        let v = s.validate(
            &format!("licenses/{serial}.lic"),
            serial,
            "2027-06-01T00:00:00Z",
        );
        assert_eq!(v.code, 0, "{}", v.stderr);
    }
    let err = fails(s.path(), &args, 2);
    assert!(err.contains("--force"), "{err}");
    ok(s.path(), &with(&args, &["--force"]));
    // --all signs here, into a folder: no single-file options.
    let err = fails(s.path(), &with(&args, &["--serial", &qa]), 2);
    assert!(err.contains("--serial"), "{err}");
    let err = fails(s.path(), &with(&args, &["--pem"]), 2);
    assert!(err.contains("--pem"), "{err}");
}

#[test]
fn an_activation_code_without_a_registry_says_to_give_one() {
    let s = Setup::new();
    let production = s.production.as_str();
    for args in [
        &["subscription", "show", &s.code][..],
        &["subscription", "update", &s.code, "--grace-days", "40"][..],
        &["release", &s.code, "--serial", production][..],
        &[
            "issue",
            &s.code,
            "--serial",
            production,
            "--key",
            "vendor.key",
            "--out",
            "x.lic",
        ][..],
        &[
            "register",
            &s.code,
            "--serial",
            production,
            "--name",
            "X",
            "--purpose",
            "production",
        ][..],
    ] {
        let r = run_env(s.path(), args, &NO_REGISTRY);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(
            r.stderr.contains(&format!(
                "{} is an activation code: give --registry LOCATION (or set LICENSING_REGISTRY) to use the vendor's registry, or the subscription's JSON file",
                s.code
            )),
            "{args:?}: {}",
            r.stderr
        );
    }
    // The registry's own commands say to give it.
    for args in [
        &["subscription", "list"][..],
        &["find", production][..],
        &["history", &s.code][..],
        &["export", &s.code][..],
        &["registry", "import", "acme.json"][..],
    ] {
        let r = run_env(s.path(), args, &NO_REGISTRY);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(
            r.stderr.contains("give --registry LOCATION"),
            "{args:?}: {}",
            r.stderr
        );
    }
    // A mistyped code is told as one, not as a missing file.
    let typo = crate::setup::mistyped(&s.code, 5);
    let r = run_env(s.path(), &["subscription", "show", &typo], &NO_REGISTRY);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("nor an activation code"), "{}", r.stderr);
}

#[test]
fn a_subscription_created_in_the_registry_is_shown_by_its_code() {
    on_each_backend(|| {
        let s = Setup::new();
        let r = init_registry(&s);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let out = ok_in(
            &s,
            &with(
                &new_subscription("Globex", "2031-03-31"),
                &["--slots", "production=2", "--operator", "erin"],
            ),
        );
        let code = value_after(&out, "activation code:");
        assert!(out.contains("stored in the registry"), "{out}");
        let shown = ok_in(&s, &["subscription", "show", &code]);
        assert_contains_all(
            &shown,
            &[
                format!("Subscription {code}").as_str(),
                "Organization     Globex",
                "Ends             2031-03-31",
                "production     0 / 2",
            ],
        );
        let json = ok_in(&s, &["subscription", "show", &code, "--json"]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["subscription"]["terms"]["organization"], "Globex");
        let history = ok_in(&s, &["history", &code]);
        assert!(
            history.contains("erin  imported at revision 1 with 0 environment(s)"),
            "{history}"
        );
        // --out and an explicit --registry: one or the other.
        let err = fails_in(
            &s,
            &with(
                &new_subscription("Initech", "2031-03-31"),
                &["--out", "initech.json"],
            ),
            2,
        );
        assert_contains_all(&err, &["--out FILE", "--registry LOCATION", "not both"]);
        assert!(!s.path().join("initech.json").exists());
        // Neither: said what to give.
        let r = run_env(
            s.path(),
            &new_subscription("Initech", "2031-03-31"),
            &NO_REGISTRY,
        );
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert_contains_all(&r.stderr, &["--out FILE", "--registry LOCATION"]);
        // LICENSING_REGISTRY set: --out still writes the file.
        let location = registry_location(&s);
        let r = run_env(
            s.path(),
            &with(
                &new_subscription("Initech", "2031-03-31"),
                &["--out", "initech.json"],
            ),
            &[("LICENSING_REGISTRY", Some(location.as_str()))],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(s.path().join("initech.json").exists());
        // ... and without --out, the subscription goes to the registry it names.
        let r = run_env(
            s.path(),
            &new_subscription("Initech", "2031-03-31"),
            &[("LICENSING_REGISTRY", Some(location.as_str()))],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let list = ok_in(&s, &["subscription", "list", "--organization", "initech"]);
        assert_eq!(list.lines().count(), 1, "{list}");
    });
}

#[test]
fn expiring_within_lists_what_ends_in_those_days_not_later_nor_never() {
    on_each_backend(|| {
        let s = Setup::new();
        let r = init_registry(&s);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let mut codes = Vec::new();
        for (organization, end) in [
            ("Soon", day_from_today(10)),
            ("Later", day_from_today(60)),
            ("Never", "never".to_owned()),
        ] {
            let out = ok_in(&s, &new_subscription(organization, &end));
            codes.push(value_after(&out, "activation code:"));
        }
        // An end in the past is refused, unless --force (recorded after the fact).
        let lapsed = day_from_today(-5);
        let err = fails_in(&s, &new_subscription("Lapsed", &lapsed), 2);
        assert!(err.contains("--force"), "{err}");
        let out = ok_in(
            &s,
            &with(&new_subscription("Lapsed", &lapsed), &["--force"]),
        );
        let lapsed_code = value_after(&out, "activation code:");

        let list = ok_in(&s, &["subscription", "list", "--expiring-within", "30"]);
        assert!(list.contains(&codes[0]), "ending in 10 days: {list}");
        assert!(!list.contains(&codes[1]), "ending in 60 days: {list}");
        assert!(!list.contains(&codes[2]), "never ending: {list}");
        assert!(list.contains(&lapsed_code), "ended already: {list}");
        assert!(
            list.contains(&format!("Soon  ends {}", day_from_today(10))),
            "{list}"
        );
        let all = ok_in(&s, &["subscription", "list"]);
        assert_eq!(all.lines().count(), 4, "{all}");
    });
}

#[test]
fn an_externally_signed_license_is_recorded_by_attach() {
    on_each_backend(|| {
        let s = Setup::new();
        registry_with_acme(&s);
        ok_in(
            &s,
            &[
                "issue",
                &s.code,
                "--serial",
                &s.production,
                "--public",
                "vendor.pub",
                "--signing-input",
                "req.bin",
            ],
        );
        let message = std::fs::read(s.path().join("req.bin")).unwrap();
        let pem = std::fs::read_to_string(s.path().join("vendor.key")).unwrap();
        let key = licensing::SigningKey::from_pem(&pem).unwrap();
        let signature = licensing::Signer::sign(&key, &message).unwrap();
        std::fs::write(s.path().join("sig.raw"), signature).unwrap();
        let attach = crate::common::attach_args("req.bin", "sig.raw", Some("vendor.pub"), "x.lic");
        // Without a registry, nothing is recorded, as before.
        let out = ok(s.path(), &attach);
        assert!(!out.contains("recorded"), "{out}");
        let attach = crate::common::attach_args("req.bin", "sig.raw", Some("vendor.pub"), "y.lic");
        let out = ok_in(&s, &with(&attach, &["--operator", "signer"]));
        assert!(out.contains("recorded in the registry"), "{out}");
        let found = ok_in(&s, &["find", &s.production]);
        assert!(found.contains("latest license"), "{found}");
        let history = ok_in(&s, &["history", &s.code]);
        assert!(
            history
                .lines()
                .last()
                .unwrap()
                .contains("signer  issued license"),
            "{history}"
        );
    });
}

/// A file named while a registry is given is refused (the registry would
/// miss the change); a password in LICENSING_REGISTRY never shows in help;
/// `export` to standard output is JSON, quotes and all.
#[test]
fn a_file_with_a_registry_is_refused_and_secrets_and_json_stay_safe() {
    on_each_backend(|| {
        let s = Setup::new();
        registry_with_acme(&s);
        let before = std::fs::read(s.path().join("acme.json")).unwrap();
        let err = fails_in(&s, &["release", "acme.json", "--serial", &s.production], 2);
        assert_contains_all(
            &err,
            &["acme.json is a subscription file", "activation code"],
        );
        assert_eq!(std::fs::read(s.path().join("acme.json")).unwrap(), before);

        let secret = [(
            "LICENSING_REGISTRY",
            Some("postgres://vendor:s3cret@127.0.0.1:1/registry"),
        )];
        for command in [&["find", "--help"][..], &["register", "--help"]] {
            let r = run_env(s.path(), command, &secret);
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert!(!r.stdout.contains("s3cret"), "{}", r.stdout);
        }
        let r = run_env(s.path(), &["find", &s.production], &secret);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(!r.stderr.contains("s3cret"), "{}", r.stderr);

        ok_in(
            &s,
            &[
                "register",
                &s.code,
                "--serial",
                &serial("02:fc:00:00:00:44"),
                "--name",
                "Qualité \"質量\" \\ QA",
                "--purpose",
                "non-production",
            ],
        );
        let exported = ok_in(&s, &["export", &s.code]);
        let value: serde_json::Value = serde_json::from_str(&exported).unwrap();
        assert!(
            value["environments"].as_array().unwrap().len() >= 2,
            "{exported}"
        );
    });
}
