//! `licensing status`: the trial, the license's standing, the usage
//! against its limits, the decisions and warnings, and the clock.

use crate::common::{ACTIVE, Run, ok, run, run_env, with};
use crate::setup::{
    PAST_GRACE, Setup, assert_serial_pinned_by_identity, pinned_identity, pinned_serial, serial,
    store_args, store_exits, store_run_as, value_after,
};
use licensing::{DAY, Timestamp};

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

/// `licensing status` on the folder's store as Production, at the clock's
/// time (no --at: what it sees is recorded).
fn status_now(s: &Setup) -> Run {
    let args = store_args(&["status"], "store", "vendor.pub", &s.production);
    run(s.path(), &args)
}

/// The clock's time `days` from now, as --at takes it.
fn days_from_now(days: i64) -> String {
    Timestamp::now().plus_seconds(days * DAY).to_string()
}

#[test]
fn status_of_an_empty_store_is_the_trial() {
    let s = Setup::new();
    // No store yet: status refuses the directory rather than start one.
    let err = store_exits(&s, &["status"], ACTIVE, 2).stderr;
    assert!(err.contains("holds no license store"), "{err}");
    assert!(err.contains("licensing init --store store"), "{err}");
    assert!(!s.path().join("store").exists());
    let out = ok(s.path(), &["init", "--store", "store"]);
    assert!(out.starts_with("created the license store store"), "{out}");

    let r = status_now(&s);
    assert_eq!(
        r.code, 0,
        "{}
{}",
        r.stdout, r.stderr
    );
    let out = r.stdout;
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

    // The trial started with the first status: previews show its last
    // week warning, then its end.
    let state = std::fs::read(s.path().join("store/state")).unwrap();
    let out = store_exits(&s, &["status"], &days_from_now(25), 0).stdout;
    assert_eq!(
        warnings(&out),
        ["the trial ends within 5 days: install a license"]
    );
    let r = store_exits(&s, &["status"], &days_from_now(31), 1);
    assert_eq!(
        warnings(&r.stdout),
        ["the trial is over: install a license"]
    );
    assert_eq!(decisions(&r.stdout), ["no", "no", "yes"]);
    assert!(r.stderr.contains("may not run"), "{}", r.stderr);
    // A preview records nothing: the store is as it was, and now is
    // neither a clock turned back nor past the trial.
    assert_eq!(std::fs::read(s.path().join("store/state")).unwrap(), state);
    let r = status_now(&s);
    assert_eq!(
        r.code, 0,
        "{}
{}",
        r.stdout, r.stderr
    );
    assert!(warnings(&r.stdout).is_empty(), "{}", r.stdout);

    // Installing a license ends it.
    s.issue("production.lic", &[]);
    store_exits(&s, &["install", "production.lic"], ACTIVE, 0);
    let out = store_exits(&s, &["status"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "Standing"), "licensed, active");
    // A mistyped store is refused by every command that reads a store.
    for command in [&["status"][..], &["restore"]] {
        let args = store_args(command, "stroe", "vendor.pub", &s.production);
        let r = run(s.path(), &args);
        assert_eq!(r.code, 2, "{command:?}: {}", r.stdout);
        assert!(
            r.stderr.contains("stroe holds no license store"),
            "{}",
            r.stderr
        );
    }
    let r = run(s.path(), &["serial", "--store", "stroe"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(!s.path().join("stroe").exists());
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
    ok(s.path(), &["init", "--store", "quality-store"]);
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
    // The store remembers the latest time it has seen: here, the times of
    // installs made while the server's clock ran ahead (--at records for
    // install; only status --at is a preview).
    let s = Setup::with_installed_license();
    let install_at = |at: &str| store_exits(&s, &["install", "production.lic"], at, 0);

    // An hour ahead is within the tolerance.
    install_at(&Timestamp::now().plus_seconds(3600).to_string());
    let r = status_now(&s);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(warnings(&r.stdout).is_empty(), "{}", r.stdout);

    // The clock behind a time the store saw in the license's grace period:
    // reported, and the license is judged at the latest time seen (still in
    // grace, not active again).
    let late = "2028-01-21T00:00:00Z";
    install_at(late);
    let out = status_now(&s).stdout;
    let shown = warnings(&out);
    assert_eq!(shown.len(), 2, "{out}");
    assert!(
        shown[0].starts_with("the clock of this server says ")
            && shown[0].contains(&format!("but {late} was already seen")),
        "{out}"
    );
    assert!(shown[1].contains("within 10 days"), "{out}");
    assert_eq!(value_after(&out, "Judged at"), late);
}

#[test]
fn a_read_only_store_still_answers_status() {
    let s = Setup::with_installed_license();
    let store = s.path().join("store");
    let files = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                (
                    e.file_name().into_string().unwrap(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        all.sort();
        all
    };
    let before = files(&store);
    let args = store_args(&["status"], "store", "vendor.pub", &s.production);
    let out = as_reader(&s, &store, &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(value_after(&stdout, "Standing"), "licensed, active");
    let shown = warnings(&stdout);
    assert_eq!(shown.len(), 1, "{stdout}");
    assert!(
        shown[0].starts_with("the license store could not record this status")
            && shown[0].contains("write access"),
        "{stdout}"
    );
    assert_eq!(files(&store), before, "nothing in the store changed");
    // An install there is refused, saying what could not be done and what
    // to do, not a bare "(os error 13)".
    let args = store_args(
        &["install", "production.lic"],
        "store",
        "vendor.pub",
        &s.production,
    );
    let out = as_reader(&s, &store, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot ") && stderr.contains("permission denied: run as the user"),
        "{stderr}"
    );
    assert_eq!(files(&store), before, "nothing in the store changed");
}

/// Runs the tool with `args` as a user who may only read `store`.
fn as_reader(s: &Setup, store: &std::path::Path, args: &[&str]) -> std::process::Output {
    use std::os::unix::fs::PermissionsExt;
    let mut command = if running_as_root() {
        // Root writes anywhere: run the tool as nobody, who may only read.
        std::fs::set_permissions(s.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            crate::common::BIN,
        ]);
        c
    } else {
        std::fs::set_permissions(store, std::fs::Permissions::from_mode(0o555)).unwrap();
        std::process::Command::new(crate::common::BIN)
    };
    let out = command
        .args(args)
        .current_dir(s.path())
        .env_remove("LICENSING_IDENTITY")
        .output()
        .expect("the tool runs");
    std::fs::set_permissions(store, std::fs::Permissions::from_mode(0o755)).unwrap();
    out
}

/// Whether the tests run as root (who may write a read-only directory).
fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[test]
fn an_edited_state_ends_the_trial_and_says_so() {
    let s = Setup::new();
    ok(s.path(), &["init", "--store", "store"]);
    let r = status_now(&s);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // An administrator moves the trial's start to 2100 with an editor.
    let state = s.path().join("store/state");
    let text = std::fs::read_to_string(&state).unwrap();
    let edited: String = text
        .lines()
        .map(|l| match l.starts_with("trial-started=") {
            true => "trial-started=4102444800\n".to_owned(),
            false => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&state, edited).unwrap();
    let mut args = store_args(&["status"], "store", "vendor.pub", &s.production);
    args.push("--json");
    let r = run(s.path(), &args);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["standing"]["state"], "trial-over");
    let altered = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "state-altered")
        .unwrap_or_else(|| panic!("no state-altered warning: {}", json["warnings"]));
    assert!(
        altered["reason"]
            .as_str()
            .unwrap()
            .contains("authentication code")
    );
    assert!(altered["since"].is_string());
    assert!(
        altered["message"]
            .as_str()
            .unwrap()
            .contains("ask the vendor for a trial extension")
    );
}

#[test]
fn with_an_anchor_a_deleted_store_does_not_restart_the_trial() {
    let s = Setup::new();
    let anchors = s.path().join("anchors");
    let anchors = anchors.to_str().unwrap();
    let env = [("LICENSING_ANCHOR_DIR", Some(anchors))];
    let args = store_args(&["status"], "store", "vendor.pub", &s.production);
    assert_eq!(
        run_env(s.path(), &["init", "--store", "store"], &env).code,
        0
    );
    let r = run_env(s.path(), &args, &env);
    assert_eq!(value_after(&r.stdout, "Standing"), "trial: 30 days left");
    // The administrator deletes the store and makes a new one in its place.
    std::fs::remove_dir_all(s.path().join("store")).unwrap();
    assert_eq!(
        run_env(s.path(), &["init", "--store", "store"], &env).code,
        0
    );
    let r = run_env(s.path(), &args, &env);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        value_after(&r.stdout, "Standing"),
        "trial over: no license is installed"
    );
    assert!(
        warnings(&r.stdout)
            .iter()
            .any(|w| w.contains("this store was used before")),
        "{}",
        r.stdout
    );
}

#[test]
fn without_a_named_anchor_the_store_keeps_one_in_the_users_state_directory() {
    let s = Setup::new();
    let home = s.path().join("home");
    let home = home.to_str().unwrap();
    let args = store_args(&["status"], "store", "vendor.pub", &s.production);
    for (env, anchors) in [
        (
            [
                ("LICENSING_ANCHOR_DIR", None),
                ("XDG_STATE_HOME", None),
                ("HOME", Some(home)),
            ],
            s.path().join("home/.local/state/licensing/anchors"),
        ),
        (
            [
                ("LICENSING_ANCHOR_DIR", None),
                ("XDG_STATE_HOME", Some("xdg")),
                ("HOME", Some(home)),
            ],
            s.path().join("xdg/licensing/anchors"),
        ),
    ] {
        assert_eq!(
            run_env(s.path(), &["init", "--store", "store"], &env).code,
            0
        );
        let r = run_env(s.path(), &args, &env);
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        let kept: Vec<_> = std::fs::read_dir(&anchors)
            .unwrap_or_else(|e| panic!("{}: {e}", anchors.display()))
            .collect();
        assert_eq!(kept.len(), 1, "{}", anchors.display());
        std::fs::remove_dir_all(s.path().join("store")).unwrap();
    }
}
