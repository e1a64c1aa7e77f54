//! The vendor's registry through the tool: import and export, list, find,
//! history with operators, and two processes racing for the last slot.

use crate::common::{fails, ok, run};
use crate::setup::{Setup, serial};
use std::process::{Command, Stdio};

/// `licensing registry ARGS --registry vendor.db`'s arguments.
fn in_registry<'a>(args: &[&'a str]) -> Vec<&'a str> {
    [&["registry"], args, &["--registry", "vendor.db"]].concat()
}

/// A registry (vendor.db) holding the Acme subscription of `s`.
fn registry_with_acme(s: &Setup) {
    ok(s.path(), &["registry", "init", "vendor.db"]);
    let out = ok(
        s.path(),
        &in_registry(&["import", "acme.json", "--operator", "alice"]),
    );
    assert!(out.contains(&format!("imported {}", s.code)), "{out}");
}

#[test]
fn import_export_find_list_and_history() {
    let s = Setup::new();
    registry_with_acme(&s);
    let err = fails(s.path(), &["registry", "init", "vendor.db"], 2);
    assert!(err.contains("exists already"), "{err}");
    ok(
        s.path(),
        &in_registry(&["export", &s.code, "--out", "back.json"]),
    );
    let original = std::fs::read_to_string(s.path().join("acme.json")).unwrap();
    let back = std::fs::read_to_string(s.path().join("back.json")).unwrap();
    assert_eq!(back, original, "export gives the imported file back");
    let err = fails(
        s.path(),
        &in_registry(&["export", &s.code, "--out", "back.json"]),
        2,
    );
    assert!(err.contains("--force"), "{err}");

    let found = ok(s.path(), &in_registry(&["find", &s.production]));
    assert!(
        found.contains(&format!("subscription {}", s.code)),
        "{found}"
    );
    assert!(
        found.contains("environment 'Production' (production)"),
        "{found}"
    );
    let found = ok(s.path(), &in_registry(&["find", &s.code]));
    assert!(found.contains(&s.code), "{found}");
    let missing = serial("02:fc:00:00:00:99");
    let r = run(s.path(), &in_registry(&["find", &missing]));
    assert_eq!(r.code, 1, "{}", r.stdout);

    // The Acme subscription ends 2027-12-31 (Setup): within 5 years, not 30 days.
    let list = ok(
        s.path(),
        &in_registry(&["list", "--expiring-within", "1900"]),
    );
    assert!(list.contains(&s.code), "{list}");
    let list = ok(
        s.path(),
        &in_registry(&["list", "--organization", "globex"]),
    );
    assert!(list.contains("no subscription matches"), "{list}");

    let second = serial("02:fc:00:00:00:04");
    let r = run(
        s.path(),
        &in_registry(&[
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
        ]),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let history = ok(s.path(), &in_registry(&["history", &s.code]));
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
}

#[test]
fn two_processes_racing_for_the_last_slot_one_wins_one_is_refused() {
    let s = Setup::new();
    registry_with_acme(&s);
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
                    .args([
                        "registry",
                        "register",
                        &s.code,
                        "--serial",
                        serial,
                        "--name",
                        &format!("QA {i}"),
                        "--purpose",
                        "non-production",
                        "--registry",
                        "vendor.db",
                    ])
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
        ok(
            s.path(),
            &[
                "registry",
                "release",
                &s.code,
                "--serial",
                &serials[winners[0]],
                "--registry",
                "vendor.db",
            ],
        );
    }
    let history = ok(s.path(), &in_registry(&["history", &s.code]));
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
}

#[test]
fn after_an_update_issue_all_writes_a_valid_license_per_environment_at_the_new_revision() {
    let s = Setup::new();
    registry_with_acme(&s);
    let qa = serial("02:fc:00:00:00:05");
    ok(
        s.path(),
        &in_registry(&[
            "register",
            &s.code,
            "--serial",
            &qa,
            "--name",
            "QA",
            "--purpose",
            "non-production",
        ]),
    );
    let out = ok(
        s.path(),
        &in_registry(&[
            "update",
            &s.code,
            "--add-feature",
            "ldap-integration",
            "--operator",
            "carol",
        ]),
    );
    assert!(out.contains("is at revision 2"), "{out}");
    let r = run(
        s.path(),
        &in_registry(&["issue", &s.code, "--key", "vendor.key", "--out-dir", "out"]),
    );
    assert_eq!(r.code, 2, "--all is required: {}", r.stdout);
    let issued = ok(
        s.path(),
        &in_registry(&[
            "issue",
            &s.code,
            "--all",
            "--key",
            "vendor.key",
            "--out-dir",
            "out",
            "--operator",
            "dave",
        ]),
    );
    assert_eq!(issued.lines().count(), 2, "{issued}");
    for serial in [&s.production, &qa] {
        let file = format!("out/{serial}.lic");
        let inspected = ok(s.path(), &["inspect", &file]);
        assert!(inspected.contains("Revision         2"), "{inspected}");
        let v = s.validate(&file, serial, "2027-06-01T00:00:00Z");
        assert_eq!(v.code, 0, "{}", v.stderr);
    }
    // Again without --force: refused, nothing overwritten.
    let err = fails(
        s.path(),
        &in_registry(&[
            "issue",
            &s.code,
            "--all",
            "--key",
            "vendor.key",
            "--out-dir",
            "out",
        ]),
        2,
    );
    assert!(err.contains("--force"), "{err}");
    let history = ok(s.path(), &in_registry(&["history", &s.code]));
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
    let found = ok(s.path(), &in_registry(&["find", &qa]));
    assert!(found.contains("latest license"), "{found}");
}
