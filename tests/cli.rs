//! The `licensing` command-line tool, run as a process: each command's
//! happy path, its output files and its exit codes (0 success, 1 not
//! valid, 2 bad usage or input).

use licensing::{
    HardwareComponent, Infrastructure, MachineIdentity, PublicKey, SerialNumber, Signer, SigningKey,
};
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_licensing");

/// When licenses are issued in these tests; the subscription ends
/// 2027-12-31, so they are active until 2027-12-02, expiring soon until
/// the end of 2027-12-31, in grace until 2028-01-31.
const ISSUED: &str = "2026-01-01T00:00:00Z";
const ACTIVE: &str = "2026-06-01T00:00:00Z";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_env(dir, args, &[])
}

/// Runs the tool with environment variables set (`Some`) or removed
/// (`None`); the rest of the environment is inherited.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(dir);
    for (name, value) in env {
        match value {
            Some(v) => command.env(name, v),
            None => command.env_remove(name),
        };
    }
    let output = command.output().expect("the licensing binary runs");
    Run {
        code: output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs a command that must succeed; its stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let r = run(dir, args);
    assert_eq!(
        r.code, 0,
        "licensing {args:?} failed\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    r.stdout
}

/// Runs a command that must exit with `code`; its stderr.
fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let r = run(dir, args);
    assert_eq!(
        r.code, code,
        "licensing {args:?}: expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    assert!(!r.stderr.trim().is_empty(), "no reason given for {args:?}");
    assert!(
        !r.stderr.contains("panicked"),
        "licensing {args:?} panicked:\n{}",
        r.stderr
    );
    r.stderr
}

/// The value after `label` on the first line of `text` that starts with it.
fn value_after(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no line starting with '{label}' in:\n{text}"))
        .trim()
        .to_owned()
}

fn serial(mac: &str) -> String {
    SerialNumber::from_components(&[
        HardwareComponent::new("mac", mac),
        HardwareComponent::new("machine-id", "4c4c4544-0042-3510-8052-b4c04f4a4e32"),
    ])
    .unwrap()
    .to_string()
}

/// A folder with vendor keys, the Acme subscription (acme.json) and a
/// registered production environment.
struct Setup {
    dir: TempDir,
    code: String,
    production: String,
}

impl Setup {
    fn new() -> Self {
        let dir = TempDir::new().unwrap();
        let d = dir.path();
        ok(
            d,
            &[
                "keygen",
                "--private",
                "vendor.key",
                "--public",
                "vendor.pub",
            ],
        );
        let out = ok(
            d,
            &[
                "subscription",
                "new",
                "--organization",
                "Acme Corp",
                "--edition",
                "Enterprise",
                "--support",
                "premium",
                "--end",
                "2027-12-31",
                "--slots",
                "development=1,non-production=1,production=1",
                "--internal-users",
                "100",
                "--external-users",
                "10000",
                "--limit",
                "application-objects=450",
                "--feature",
                "multi-tenancy",
                "--feature",
                "sap-connector",
                "--out",
                "acme.json",
            ],
        );
        let code = value_after(&out, "activation code:");
        let production = serial("02:fc:00:00:00:03");
        ok(
            d,
            &[
                "register",
                "acme.json",
                "--serial",
                &production,
                "--name",
                "Production",
                "--purpose",
                "production",
            ],
        );
        Self {
            dir,
            code,
            production,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Issues Production's license to `out`.
    fn issue(&self, out: &str, extra: &[&str]) -> String {
        let mut args = vec![
            "issue",
            "acme.json",
            "--key",
            "vendor.key",
            "--serial",
            &self.production,
            "--out",
            out,
            "--at",
            ISSUED,
        ];
        args.extend_from_slice(extra);
        ok(self.path(), &args)
    }

    fn validate(&self, file: &str, serial: &str, at: &str) -> Run {
        run(
            self.path(),
            &[
                "validate",
                file,
                "--trust",
                "vendor.pub",
                "--serial",
                serial,
                "--at",
                at,
            ],
        )
    }

    fn infrastructure(&self) -> Infrastructure {
        let json = std::fs::read_to_string(self.path().join("acme.json")).unwrap();
        serde_json::from_str(&json).unwrap()
    }
}

#[test]
fn keygen_writes_pem_keys_and_refuses_to_overwrite() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let out = ok(d, &["keygen", "--private", "v.key", "--public", "v.pub"]);
    let private = std::fs::read_to_string(d.join("v.key")).unwrap();
    let public = std::fs::read_to_string(d.join("v.pub")).unwrap();
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----"),
        "{private}"
    );
    let key = SigningKey::from_pem(&private).unwrap();
    let public = PublicKey::from_pem(&public).unwrap();
    assert_eq!(key.public_key(), &public);
    let printed = value_after(&out, "key id:");
    assert_eq!(printed, public.key_id().to_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("v.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "private key mode {mode:o}");
    }

    // Either file existing is enough to refuse, and nothing is written.
    let err = fails(
        d,
        &["keygen", "--private", "new.key", "--public", "v.pub"],
        2,
    );
    assert!(err.contains("v.pub") && err.contains("--force"), "{err}");
    assert!(!d.join("new.key").exists());
    assert_eq!(std::fs::read_to_string(d.join("v.key")).unwrap(), private);

    let out = ok(
        d,
        &[
            "keygen",
            "--private",
            "v.key",
            "--public",
            "v.pub",
            "--force",
        ],
    );
    assert_ne!(value_after(&out, "key id:"), printed);
    assert_ne!(std::fs::read_to_string(d.join("v.key")).unwrap(), private);
    no_temp_files_left(d);
}

fn no_temp_files_left(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name();
        let name = name.to_string_lossy();
        assert!(!name.ends_with(".tmp"), "temp file left behind: {name}");
    }
}

#[test]
fn subscription_new_writes_the_terms_as_pretty_json() {
    let s = Setup::new();
    let json = std::fs::read_to_string(s.path().join("acme.json")).unwrap();
    assert!(json.contains("\n  \""), "not pretty-printed:\n{json}");
    let infra = s.infrastructure();
    let sub = infra.subscription();
    assert_eq!(sub.activation_code().to_string(), s.code);
    assert_eq!(sub.revision(), 1);
    let terms = sub.terms();
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
    let err = fails(
        s.path(),
        &[
            "subscription",
            "new",
            "--organization",
            "Other",
            "--edition",
            "E",
            "--support",
            "s",
            "--out",
            "acme.json",
        ],
        2,
    );
    assert!(
        err.contains("acme.json") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(s.infrastructure(), infra);
}

#[test]
fn subscription_new_options_are_checked() {
    let dir = TempDir::new().unwrap();
    let base = [
        "subscription",
        "new",
        "--organization",
        "A",
        "--edition",
        "E",
        "--support",
        "s",
        "--out",
        "a.json",
    ];
    for (extra, expected) in [
        (&["--end", "tomorrow"][..], "never"),
        (&["--slots", "production"][..], "PURPOSE=N"),
        (&["--slots", "qa=1"][..], "non-production"),
        (&["--limit", "users"][..], "NAME=VALUE"),
        (&["--limit", "users=10:medium"][..], "hard or soft"),
        (&["--feature", "Multi Tenancy"][..], "lower-case"),
    ] {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let err = fails(dir.path(), &args, 2);
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(!dir.path().join("a.json").exists());
    }
    // "never" and a grace period are accepted.
    let mut args = base.to_vec();
    args.extend_from_slice(&["--end", "never", "--grace-days", "7"]);
    ok(dir.path(), &args);
    let json = std::fs::read_to_string(dir.path().join("a.json")).unwrap();
    let infra: Infrastructure = serde_json::from_str(&json).unwrap();
    assert_eq!(infra.subscription().terms().ends, None);
    assert_eq!(infra.subscription().terms().grace_days, 7);
}

#[test]
fn subscription_update_keeps_the_activation_code_and_raises_the_revision() {
    let s = Setup::new();
    let d = s.path();
    let out = ok(
        d,
        &[
            "subscription",
            "update",
            "acme.json",
            "--support",
            "standard",
            "--slots",
            "production=2",
            "--internal-users",
            "200",
            "--feature",
            "audit",
        ],
    );
    assert!(out.contains(&s.code), "{out}");
    assert_eq!(value_after(&out, "revision:"), "2");
    let infra = s.infrastructure();
    let sub = infra.subscription();
    assert_eq!(sub.activation_code().to_string(), s.code);
    assert_eq!(sub.revision(), 2);
    let terms = sub.terms();
    assert_eq!(terms.support, "standard");
    assert_eq!(terms.organization, "Acme Corp", "options not given stay");
    assert_eq!(terms.slots.production, 2);
    assert_eq!(terms.slots.development, 1, "purposes not named keep");
    assert_eq!(terms.limits["internal-users"].value, 200);
    assert_eq!(terms.limits["application-objects"].value, 450);
    assert_eq!(terms.features.iter().collect::<Vec<_>>(), ["audit"]);
    assert_eq!(infra.environments().len(), 1, "environments stay");

    ok(
        d,
        &[
            "subscription",
            "update",
            "acme.json",
            "--add-feature",
            "sap-connector",
            "--remove-feature",
            "audit",
            "--limit",
            "application-objects=500:soft",
        ],
    );
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
    let err = fails(d, &["subscription", "update", "acme.json"], 2);
    assert!(err.contains("nothing to change"), "{err}");
    let err = fails(
        d,
        &[
            "subscription",
            "update",
            "acme.json",
            "--slots",
            "production=0",
        ],
        2,
    );
    assert!(err.contains("release 1 first"), "{err}");
    let err = fails(
        d,
        &[
            "subscription",
            "update",
            "acme.json",
            "--remove-feature",
            "nope",
        ],
        2,
    );
    assert!(
        err.contains("nope") && err.contains("sap-connector"),
        "{err}"
    );
    assert_eq!(s.infrastructure().subscription().revision(), 3);
    no_temp_files_left(d);
}

#[test]
fn subscription_show_lists_terms_slots_and_environments() {
    let s = Setup::new();
    let out = ok(s.path(), &["subscription", "show", "acme.json"]);
    for expected in [
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
    ] {
        assert!(out.contains(expected), "missing {expected}:\n{out}");
    }
    let slot = |purpose: &str| value_after(&out, purpose);
    assert_eq!(slot("production"), "1 / 1");
    assert_eq!(slot("development"), "0 / 1");
    assert_eq!(slot("non-production"), "0 / 1");
    let objects = value_after(&out, "application-objects");
    assert!(
        objects.contains("450") && objects.contains("hard") && objects.contains("production only"),
        "{objects}"
    );
    let users = value_after(&out, "internal-users");
    assert!(users.contains("100") && users.contains("soft"), "{users}");

    let json = ok(s.path(), &["subscription", "show", "acme.json", "--json"]);
    let shown: Infrastructure = serde_json::from_str(&json).unwrap();
    assert_eq!(shown, s.infrastructure());
}

#[test]
fn activation_codes_are_checked_with_the_place_of_the_mistake() {
    let s = Setup::new();
    let out = ok(s.path(), &["activation-code", "check", &s.code]);
    assert!(out.contains("valid") && out.contains(&s.code), "{out}");
    // Sloppy typing is forgiven.
    let sloppy = s.code.to_lowercase().replace('.', "");
    ok(s.path(), &["activation-code", "check", &sloppy]);

    // One character changed (group 2, character 1): caught.
    let mut typo: Vec<char> = s.code.chars().collect();
    typo[4] = if typo[4] == 'Z' { 'Y' } else { 'Z' };
    let typo: String = typo.into_iter().collect();
    let err = fails(s.path(), &["activation-code", "check", &typo], 2);
    assert!(err.contains("mistyped") && err.contains("group"), "{err}");

    let mut bad: Vec<char> = s.code.chars().collect();
    bad[9] = 'U';
    let bad: String = bad.into_iter().collect();
    let err = fails(s.path(), &["activation-code", "check", &bad], 2);
    assert!(err.contains("group 3, character 2"), "{err}");
    let err = fails(s.path(), &["activation-code", "check", "7KQ.M2X"], 2);
    assert!(err.contains("expected 31 characters"), "{err}");
}

#[test]
fn serial_numbers_come_from_the_given_components() {
    let dir = TempDir::new().unwrap();
    let out = ok(
        dir.path(),
        &[
            "serial",
            "--component",
            "mac=02:fc:00:00:00:03",
            "--component",
            "machine-id=4c4c4544-0042-3510-8052-b4c04f4a4e32",
        ],
    );
    assert_eq!(out.trim(), serial("02:fc:00:00:00:03"));
    let err = fails(dir.path(), &["serial", "--component", "mac"], 2);
    assert!(err.contains("KIND=VALUE"), "{err}");
}

#[test]
fn bad_serial_text_is_bad_input() {
    let s = Setup::new();
    let mut typo: Vec<char> = s.production.chars().collect();
    typo[0] = if typo[0] == 'Z' { 'Y' } else { 'Z' };
    let typo: String = typo.into_iter().collect();
    for args in [
        &[
            "register",
            "acme.json",
            "--serial",
            &typo,
            "--name",
            "X",
            "--purpose",
            "development",
        ][..],
        &[
            "validate",
            "x.lic",
            "--trust",
            "vendor.pub",
            "--serial",
            "KSM-0R1",
        ][..],
        &["release", "acme.json", "--serial", &s.code][..],
    ] {
        let err = fails(s.path(), args, 2);
        assert!(err.contains("serial number"), "{args:?}: {err}");
    }
}

#[test]
fn registration_fills_slots_and_release_frees_them() {
    let s = Setup::new();
    let d = s.path();
    let second = serial("02:fc:00:00:00:04");
    let register = |serial: &str, name: &str| {
        run(
            d,
            &[
                "register",
                "acme.json",
                "--serial",
                serial,
                "--name",
                name,
                "--purpose",
                "production",
            ],
        )
    };
    let r = register(&second, "Production 2");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no free production slot"), "{}", r.stderr);
    assert_eq!(s.infrastructure().environments().len(), 1);

    let out = ok(d, &["release", "acme.json", "--serial", &s.production]);
    assert!(
        out.contains("Production") && out.contains("0 of 1"),
        "{out}"
    );
    assert!(s.infrastructure().environments().is_empty());
    let err = fails(d, &["release", "acme.json", "--serial", &s.production], 2);
    assert!(err.contains("not registered"), "{err}");

    let r = register(&second, "Production");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let infra = s.infrastructure();
    assert_eq!(infra.environments()[0].serial_number.to_string(), second);
    no_temp_files_left(d);
}

#[test]
fn missing_files_are_bad_input_naming_the_path() {
    let s = Setup::new();
    let p = s.production.as_str();
    for (args, path) in [
        (
            &["subscription", "show", "nothing.json"][..],
            "nothing.json",
        ),
        (&["inspect", "nothing.lic"][..], "nothing.lic"),
        (
            &[
                "validate",
                "nothing.lic",
                "--trust",
                "vendor.pub",
                "--serial",
                p,
            ][..],
            "nothing.lic",
        ),
        (
            &["validate", "x.lic", "--trust", "nothing.pub", "--serial", p][..],
            "nothing.pub",
        ),
        (
            &[
                "issue",
                "acme.json",
                "--key",
                "nothing.key",
                "--serial",
                p,
                "--out",
                "x.lic",
            ][..],
            "nothing.key",
        ),
        (
            &[
                "register",
                "nothing.json",
                "--serial",
                p,
                "--name",
                "X",
                "--purpose",
                "production",
            ][..],
            "nothing.json",
        ),
    ] {
        let err = fails(s.path(), args, 2);
        assert!(err.contains(path), "{args:?}: {err}");
    }
    // A file that is not what it should be.
    std::fs::write(s.path().join("junk.json"), "{}").unwrap();
    let err = fails(s.path(), &["subscription", "show", "junk.json"], 2);
    assert!(
        err.contains("junk.json") && err.contains("not a subscription file"),
        "{err}"
    );
    let err = fails(
        s.path(),
        &[
            "issue",
            "acme.json",
            "--key",
            "vendor.pub",
            "--serial",
            p,
            "--out",
            "x.lic",
        ],
        2,
    );
    assert!(
        err.contains("vendor.pub") && err.contains("PRIVATE KEY"),
        "{err}"
    );
}

#[test]
fn an_issued_license_validates_on_its_environment() {
    let s = Setup::new();
    let out = s.issue("production.lic", &[]);
    assert!(out.contains("production.lic"), "{out}");
    let bytes = std::fs::read(s.path().join("production.lic")).unwrap();
    assert!(bytes.starts_with(b"LICF"));

    let r = s.validate("production.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.lines().next(),
        Some("valid: active"),
        "{}",
        r.stdout
    );
    for expected in [
        "Acme Corp",
        "Enterprise",
        "Production",
        s.code.as_str(),
        s.production.as_str(),
        "2027-12-31",
        "application-objects",
        "450 (hard)",
        "100 (soft)",
        "multi-tenancy",
        "enabled",
    ] {
        assert!(
            r.stdout.contains(expected),
            "missing {expected}:\n{}",
            r.stdout
        );
    }

    // The text form, and the activation code check.
    s.issue("production.txt", &["--pem"]);
    let text = std::fs::read_to_string(s.path().join("production.txt")).unwrap();
    assert!(text.starts_with("-----BEGIN LICENSE-----"), "{text}");
    let r = run(
        s.path(),
        &[
            "validate",
            "production.txt",
            "--trust",
            "vendor.pub",
            "--serial",
            &s.production,
            "--activation-code",
            &s.code,
            "--at",
            ACTIVE,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
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
    let err = fails(
        s.path(),
        &[
            "validate",
            "production.lic",
            "--trust",
            "vendor.pub",
            "--serial",
            &s.production,
            "--at",
            "next week",
        ],
        2,
    );
    assert!(err.contains("RFC 3339"), "{err}");
}

#[test]
fn the_clock_defaults_to_now() {
    let s = Setup::new();
    ok(
        s.path(),
        &["subscription", "update", "acme.json", "--end", "never"],
    );
    ok(
        s.path(),
        &[
            "issue",
            "acme.json",
            "--key",
            "vendor.key",
            "--serial",
            &s.production,
            "--out",
            "p.lic",
        ],
    );
    let out = ok(
        s.path(),
        &[
            "validate",
            "p.lic",
            "--trust",
            "vendor.pub",
            "--serial",
            &s.production,
        ],
    );
    assert!(out.starts_with("valid: active"), "{out}");
    assert_eq!(value_after(&out, "End date"), "Never");
}

#[test]
fn validate_without_a_serial_uses_this_machines() {
    let s = Setup::new();
    let d = s.path();
    // A pinned identity makes "this machine" the same on every machine.
    let pinned = MachineIdentity::pinned("acme-development")
        .serial()
        .unwrap()
        .to_string();
    ok(
        d,
        &[
            "register",
            "acme.json",
            "--serial",
            &pinned,
            "--name",
            "Development",
            "--purpose",
            "development",
        ],
    );
    ok(
        d,
        &[
            "issue",
            "acme.json",
            "--key",
            "vendor.key",
            "--serial",
            &pinned,
            "--out",
            "dev.lic",
            "--at",
            ISSUED,
        ],
    );
    let args = [
        "validate",
        "dev.lic",
        "--trust",
        "vendor.pub",
        "--at",
        ACTIVE,
    ];
    let pin = |value: Option<&'static str>| {
        run_env(
            d,
            &args,
            &[
                ("LICENSING_IDENTITY", value),
                ("LICENSING_IDENTITY_FILE", None),
            ],
        )
    };
    let r = pin(Some("acme-development"));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout.lines().next().unwrap_or_default(),
        format!(
            "serial number: {pinned} (this machine's, pinned by LICENSING_IDENTITY; --serial not given)"
        )
    );
    assert!(r.stdout.contains("valid: active"), "{}", r.stdout);

    // Another machine: the license is not for it, and both serials show.
    let r = pin(Some("acme-production"));
    assert_eq!(r.code, 1, "{}", r.stdout);
    let other = MachineIdentity::pinned("acme-production")
        .serial()
        .unwrap()
        .to_string();
    assert!(r.stdout.contains(&other), "{}", r.stdout);
    assert!(
        r.stderr.contains("the license was issued for serial") && r.stderr.contains(&pinned),
        "{}",
        r.stderr
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
    assert!(
        r.stderr.contains("no --serial given") && r.stderr.contains("/nonexistent/identity"),
        "{}",
        r.stderr
    );

    // This machine as it is (same environment as this test process):
    // either its serial can be read, and a license for it validates, or
    // validating says how to pin one.
    match SerialNumber::for_this_machine() {
        Ok(mine) => {
            let mine = mine.to_string();
            ok(
                d,
                &[
                    "register",
                    "acme.json",
                    "--serial",
                    &mine,
                    "--name",
                    "Quality",
                    "--purpose",
                    "non-production",
                ],
            );
            ok(
                d,
                &[
                    "issue",
                    "acme.json",
                    "--key",
                    "vendor.key",
                    "--serial",
                    &mine,
                    "--out",
                    "mine.lic",
                    "--at",
                    ISSUED,
                ],
            );
            let out = ok(
                d,
                &[
                    "validate",
                    "mine.lic",
                    "--trust",
                    "vendor.pub",
                    "--at",
                    ACTIVE,
                ],
            );
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
    let r = run(
        s.path(),
        &[
            "validate",
            "production.lic",
            "--trust",
            "vendor.pub",
            "--serial",
            &s.production,
            "--activation-code",
            &other.code,
            "--at",
            ACTIVE,
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains(&other.code) && r.stderr.contains(&s.code),
        "{}",
        r.stderr
    );
}

#[test]
fn a_tampered_license_is_refused() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let mut bytes = std::fs::read(s.path().join("production.lic")).unwrap();
    let at = bytes
        .windows(9)
        .position(|w| w == b"Acme Corp")
        .expect("the organization is in the file");
    bytes[at] ^= 0x20;
    std::fs::write(s.path().join("tampered.lic"), &bytes).unwrap();
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
    ok(
        s.path(),
        &["keygen", "--private", "other.key", "--public", "other.pub"],
    );
    let r = run(
        s.path(),
        &[
            "validate",
            "production.lic",
            "--trust",
            "other.pub",
            "--serial",
            &s.production,
            "--at",
            ACTIVE,
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("does not trust"), "{}", r.stderr);

    // Cut short: malformed, still "not valid".
    std::fs::write(s.path().join("cut.lic"), &bytes[..40]).unwrap();
    let r = s.validate("cut.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("cut short"), "{}", r.stderr);
}

#[test]
fn inspect_shows_every_field() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let out = ok(
        s.path(),
        &["inspect", "production.lic", "--trust", "vendor.pub"],
    );
    let key_id =
        PublicKey::from_pem(&std::fs::read_to_string(s.path().join("vendor.pub")).unwrap())
            .unwrap()
            .key_id()
            .to_string();
    for (label, expected) in [
        ("Format version", "1"),
        ("Key id", key_id.as_str()),
        ("Signature", "verifies"),
        ("Revision", "1"),
        ("Issued at", ISSUED),
        ("Not before", ISSUED),
        ("Activation code", s.code.as_str()),
        ("Serial number", s.production.as_str()),
        ("Environment", "Production"),
        ("Purpose", "production"),
        ("License type", "Production"),
        ("Organization", "Acme Corp"),
        ("Edition", "Enterprise"),
        ("Support", "premium"),
    ] {
        assert_eq!(value_after(&out, label), expected, "{label}:\n{out}");
    }
    assert!(
        value_after(&out, "Expires at").starts_with("2028-01-01T00:00:00Z"),
        "{out}"
    );
    assert!(value_after(&out, "Grace days").starts_with("30"), "{out}");
    assert_eq!(value_after(&out, "License id").len(), 32, "{out}");
    assert_eq!(value_after(&out, "application-objects"), "450  hard");
    assert_eq!(value_after(&out, "internal-users"), "100  soft");
    assert!(out.contains("multi-tenancy") && out.contains("sap-connector"));

    let json = ok(
        s.path(),
        &[
            "inspect",
            "production.lic",
            "--json",
            "--trust",
            "vendor.pub",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("inspect --json is JSON");
    assert_eq!(v["revision"], 1);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["key_id"], key_id.as_str());
    assert_eq!(v["signature_verified"], true);
    assert_eq!(v["activation_code"], s.code.as_str());
    assert_eq!(v["serial_number"], s.production.as_str());
    assert_eq!(v["expires_at"], "2028-01-01T00:00:00Z");
    assert_eq!(v["grace_days"], 30);
    assert_eq!(v["license_type"], "Production");
    assert_eq!(
        v["features"],
        serde_json::json!(["multi-tenancy", "sap-connector"])
    );
    assert_eq!(v["limits"][0]["name"], "application-objects");
    assert_eq!(v["limits"][0]["value"], 450);
    assert_eq!(v["limits"][0]["enforcement"], "hard");

    // Without --trust the signature is not checked; a never-ending license.
    ok(
        s.path(),
        &["subscription", "update", "acme.json", "--end", "never"],
    );
    s.issue("never.lic", &["--pem"]);
    let json = ok(s.path(), &["inspect", "never.lic", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["revision"], 2);
    assert_eq!(v["expires_at"], serde_json::Value::Null);
    assert_eq!(v["signature_verified"], serde_json::Value::Null);
    assert_eq!(v["form"], "text");
    let out = ok(s.path(), &["inspect", "never.lic"]);
    assert_eq!(value_after(&out, "Expires at"), "never");

    std::fs::write(s.path().join("junk.lic"), b"hello").unwrap();
    let err = fails(s.path(), &["inspect", "junk.lic"], 2);
    assert!(
        err.contains("junk.lic") && err.contains("cut short"),
        "{err}"
    );
}

#[test]
fn external_signing_round_trip() {
    let s = Setup::new();
    let d = s.path();
    let issue = |extra: &[&str]| {
        let mut args = vec![
            "issue",
            "acme.json",
            "--serial",
            &s.production,
            "--at",
            ISSUED,
        ];
        args.extend_from_slice(extra);
        run(d, &args)
    };
    let r = issue(&["--signing-input", "req.bin"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--public"), "{}", r.stderr);
    assert!(!d.join("req.bin").exists());
    let r = issue(&[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--key") && r.stderr.contains("--signing-input"),
        "{}",
        r.stderr
    );

    let r = issue(&["--signing-input", "req.bin", "--public", "vendor.pub"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let message = std::fs::read(d.join("req.bin")).unwrap();
    assert!(message.starts_with(licensing::SIGNING_DOMAIN));

    // Signed elsewhere: the library's key through the Signer trait, raw r||s.
    let key =
        SigningKey::from_pem(&std::fs::read_to_string(d.join("vendor.key")).unwrap()).unwrap();
    let signature = Signer::sign(&key, &message).unwrap();
    assert_eq!(signature.len(), 64);
    std::fs::write(d.join("sig.raw"), &signature).unwrap();
    let out = ok(
        d,
        &[
            "attach",
            "req.bin",
            "--signature",
            "sig.raw",
            "--trust",
            "vendor.pub",
            "--out",
            "external.lic",
        ],
    );
    assert!(out.contains("verifies"), "{out}");
    let r = s.validate("external.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Another key's signature: refused before anything is written.
    let other = SigningKey::generate();
    std::fs::write(d.join("other.raw"), Signer::sign(&other, &message).unwrap()).unwrap();
    let err = fails(
        d,
        &[
            "attach",
            "req.bin",
            "--signature",
            "other.raw",
            "--trust",
            "vendor.pub",
            "--out",
            "bad.lic",
        ],
        1,
    );
    assert!(err.contains("does not verify"), "{err}");
    assert!(!d.join("bad.lic").exists());

    // Not a signature, not a signing input.
    std::fs::write(d.join("junk.sig"), b"not a signature").unwrap();
    let err = fails(
        d,
        &[
            "attach",
            "req.bin",
            "--signature",
            "junk.sig",
            "--out",
            "bad.lic",
        ],
        2,
    );
    assert!(err.contains("DER"), "{err}");
    let err = fails(
        d,
        &[
            "attach",
            "sig.raw",
            "--signature",
            "sig.raw",
            "--out",
            "bad.lic",
        ],
        2,
    );
    assert!(err.contains("not a signing request"), "{err}");
    assert!(!d.join("bad.lic").exists());
}

#[test]
fn demo_walks_the_whole_flow() {
    let dir = TempDir::new().unwrap();
    let out = ok(dir.path(), &["demo"]);
    for expected in [
        " 1. ",
        "key id",
        "activation code",
        "mistyped",
        "no free production slot",
        "BEGIN LICENSE",
        "signature does not match",
        "the license was issued for serial",
        "grace period ended",
        "Signer trait",
        "Feature / Limit",
        "450 (hard)",
        "multi-tenancy",
        "enabled",
        "This machine's own serial number",
        "publish    no  (over a hard limit: application-objects 460/450)",
        "this is a serial number, not an activation code",
        "All 16 steps behaved as expected.",
    ] {
        assert!(out.contains(expected), "missing {expected}:\n{out}");
    }
}

// The license store: install, restore, status.

/// Runs a store command on the folder's store `store`, trusting
/// vendor.pub, as Production, at `at`.
fn store_run(s: &Setup, command: &[&str], at: &str) -> Run {
    let mut args = command.to_vec();
    args.extend([
        "--store",
        "store",
        "--trust",
        "vendor.pub",
        "--serial",
        &s.production,
        "--at",
        at,
    ]);
    run(s.path(), &args)
}

/// A store command that must exit with `code`; its stdout (and stderr
/// when it fails).
fn store_exits(s: &Setup, command: &[&str], at: &str, code: i32) -> Run {
    let r = store_run(s, command, at);
    assert_eq!(
        r.code, code,
        "licensing {command:?} at {at}: expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    if code != 0 {
        assert!(
            !r.stderr.trim().is_empty(),
            "no reason given for {command:?}"
        );
    }
    r
}

fn store_file(s: &Setup, name: &str) -> Option<Vec<u8>> {
    std::fs::read(s.path().join("store").join(name)).ok()
}

/// "yes" or "no": the decision `name` on a status page.
fn decision(page: &str, name: &str) -> String {
    page.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no decision '{name}' in:\n{page}"))
        .to_owned()
}

fn warnings(page: &str) -> Vec<&str> {
    page.lines()
        .filter_map(|l| l.trim().strip_prefix("! "))
        .collect()
}

/// Issues revision 1 (old.lic) and, after a change of terms, revision 2
/// (new.lic) of Production's license.
fn two_revisions(s: &Setup) {
    s.issue("old.lic", &[]);
    ok(
        s.path(),
        &[
            "subscription",
            "update",
            "acme.json",
            "--support",
            "standard",
        ],
    );
    s.issue("new.lic", &[]);
}

#[test]
fn install_puts_a_valid_license_into_the_store() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let out = store_exits(&s, &["install", "production.lic"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "organization:"), "Acme Corp");
    assert!(
        value_after(&out, "environment:").starts_with("Production (production)"),
        "{out}"
    );
    assert_eq!(value_after(&out, "revision:"), "1");
    assert!(
        value_after(&out, "replaced revision:").starts_with("none"),
        "{out}"
    );
    assert_eq!(value_after(&out, "state:"), "active");
    let file = std::fs::read(s.path().join("production.lic")).unwrap();
    assert_eq!(store_file(&s, "license.lic"), Some(file));
    assert_eq!(store_file(&s, "license.lic.bak"), None);

    // The text form is stored in binary form; the binary one becomes the
    // backup.
    s.issue("production.txt", &["--pem"]);
    let out = store_exits(&s, &["install", "production.txt"], ACTIVE, 0).stdout;
    assert!(
        value_after(&out, "replaced revision:").starts_with("1 (kept as license.lic.bak"),
        "{out}"
    );
    let stored = store_file(&s, "license.lic").unwrap();
    assert!(stored.starts_with(&licensing::MAGIC), "not binary");
    assert!(store_file(&s, "license.lic.bak").is_some());
    for entry in std::fs::read_dir(s.path().join("store")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains("tmp"), "temp file left behind: {name}");
    }

    // Bad input: exit 2, naming what is wrong.
    let err = store_exits(&s, &["install", "missing.lic"], ACTIVE, 2).stderr;
    assert!(err.contains("missing.lic"), "{err}");
    let err = fails(
        s.path(),
        &[
            "install",
            "production.lic",
            "--store",
            "store",
            "--trust",
            "missing.pub",
            "--serial",
            &s.production,
        ],
        2,
    );
    assert!(err.contains("missing.pub"), "{err}");
    let err = fails(
        s.path(),
        &[
            "install",
            "production.lic",
            "--store",
            "store",
            "--trust",
            "vendor.pub",
            "--serial",
            "not-a-serial",
        ],
        2,
    );
    assert!(err.contains("not-a-serial"), "{err}");
    assert_eq!(store_file(&s, "license.lic"), Some(stored));
}

#[test]
fn a_license_that_is_not_valid_here_is_not_installed() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let mut bytes = std::fs::read(s.path().join("production.lic")).unwrap();
    let at = bytes
        .windows(9)
        .position(|w| w == b"Acme Corp")
        .expect("the organization is in the file");
    bytes[at] ^= 0x20;
    std::fs::write(s.path().join("tampered.lic"), &bytes).unwrap();

    // Into an empty store: nothing appears.
    let err = store_exits(&s, &["install", "tampered.lic"], ACTIVE, 1).stderr;
    assert!(
        err.contains("tampered.lic") && err.contains("signature does not match"),
        "{err}"
    );
    assert_eq!(store_file(&s, "license.lic"), None);

    // Over a valid license: it stays, with no backup made.
    store_exits(&s, &["install", "production.lic"], ACTIVE, 0);
    let installed = store_file(&s, "license.lic");
    store_exits(&s, &["install", "tampered.lic"], ACTIVE, 1);
    assert_eq!(store_file(&s, "license.lic"), installed);
    assert_eq!(store_file(&s, "license.lic.bak"), None);

    // Another environment's license, or one past its grace period.
    let other = serial("02:fc:00:00:00:09");
    let r = run(
        s.path(),
        &[
            "install",
            "production.lic",
            "--store",
            "other-store",
            "--trust",
            "vendor.pub",
            "--serial",
            &other,
            "--at",
            ACTIVE,
        ],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(&other), "{}", r.stderr);
    assert!(!s.path().join("other-store/license.lic").exists());
    let err = store_exits(
        &s,
        &["install", "production.lic"],
        "2028-03-01T00:00:00Z",
        1,
    )
    .stderr;
    assert!(err.contains("expired"), "{err}");
    assert_eq!(store_file(&s, "license.lic"), installed);
}

#[test]
fn a_downgrade_is_refused_unless_forced() {
    let s = Setup::new();
    two_revisions(&s);
    let old = std::fs::read(s.path().join("old.lic")).unwrap();
    let new = std::fs::read(s.path().join("new.lic")).unwrap();
    store_exits(&s, &["install", "new.lic"], ACTIVE, 0);

    let err = store_exits(&s, &["install", "old.lic"], ACTIVE, 1).stderr;
    assert!(
        err.contains("revision 1") && err.contains("revision 2") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&new));

    let out = store_exits(&s, &["install", "old.lic", "--force"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "revision:"), "1");
    assert!(
        value_after(&out, "replaced revision:").starts_with("2 "),
        "{out}"
    );
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&old));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&new));

    // Upgrading needs no --force.
    let out = store_exits(&s, &["install", "new.lic"], ACTIVE, 0).stdout;
    assert!(
        value_after(&out, "replaced revision:").starts_with("1 "),
        "{out}"
    );
}

#[test]
fn restore_brings_the_previous_license_back() {
    let s = Setup::new();
    two_revisions(&s);
    let old = std::fs::read(s.path().join("old.lic")).unwrap();
    let new = std::fs::read(s.path().join("new.lic")).unwrap();

    // No store, or nothing to restore: bad input, and no store is made.
    let err = store_exits(&s, &["restore"], ACTIVE, 2).stderr;
    assert!(err.contains("store"), "{err}");
    assert!(!s.path().join("store").exists());
    store_exits(&s, &["install", "old.lic"], ACTIVE, 0);
    let err = store_exits(&s, &["restore"], ACTIVE, 2).stderr;
    assert!(err.contains("no previous license"), "{err}");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&old));

    store_exits(&s, &["install", "new.lic"], ACTIVE, 0);
    let out = store_exits(&s, &["restore"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "revision:"), "1");
    assert!(
        value_after(&out, "replaced revision:").starts_with("2 "),
        "{out}"
    );
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&old));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&new));

    // Restoring again undoes it.
    let out = store_exits(&s, &["restore"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "revision:"), "2");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&new));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&old));

    // A backup that is not valid (any more) stays where it is.
    let err = store_exits(&s, &["restore"], "2028-03-01T00:00:00Z", 1).stderr;
    assert!(err.contains("license.lic.bak"), "{err}");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&new));
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
    assert_eq!(decision(&out, "run"), "yes");
    assert_eq!(decision(&out, "publish"), "yes");
    assert_eq!(decision(&out, "administer"), "yes");

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
    assert_eq!(decision(&r.stdout, "run"), "no");
    assert_eq!(decision(&r.stdout, "publish"), "no");
    assert_eq!(decision(&r.stdout, "administer"), "yes");
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
    let s = Setup::new();
    s.issue("production.lic", &[]);
    store_exits(&s, &["install", "production.lic"], ACTIVE, 0);
    let r = store_exits(
        &s,
        &[
            "status",
            "--json",
            "--usage",
            "internal-users=95,external-users=12000",
        ],
        ACTIVE,
        0,
    );
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
    let pinned = MachineIdentity::pinned("acme-quality")
        .serial()
        .unwrap()
        .to_string();
    let args = [
        "status",
        "--store",
        "quality-store",
        "--trust",
        "vendor.pub",
        "--at",
        ACTIVE,
    ];
    let env = [
        ("LICENSING_IDENTITY", Some("acme-quality")),
        ("LICENSING_IDENTITY_FILE", None),
    ];
    let r = run_env(s.path(), &[&args[..], &["--json"]].concat(), &env);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["serial_number"], pinned.as_str());
    assert_eq!(json["standing"]["state"], "trial");
    assert_eq!(json["standing"]["days_left"], 30);
    assert!(json["license"].is_null());
    let r = run_env(s.path(), &args, &env);
    assert_eq!(
        r.stdout.lines().next().unwrap_or_default(),
        format!(
            "serial number: {pinned} (this machine's, pinned by LICENSING_IDENTITY; --serial not given)"
        )
    );
}

#[test]
fn status_follows_the_license_through_grace_to_expiry() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    store_exits(&s, &["install", "production.lic"], ACTIVE, 0);
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

    let r = store_exits(&s, &["status"], "2028-03-01T00:00:00Z", 1);
    assert_eq!(
        warnings(&r.stdout),
        ["this license has expired and its grace period is over: install a new license"]
    );
    assert_eq!(value_after(&r.stdout, "End date"), "2027-12-31");
    assert_eq!(decision(&r.stdout, "run"), "no");
    assert_eq!(decision(&r.stdout, "publish"), "no");
    assert_eq!(decision(&r.stdout, "administer"), "yes");
    assert!(r.stderr.contains("may not run"), "{}", r.stderr);
    let r = store_exits(&s, &["status", "--json"], "2028-03-01T00:00:00Z", 1);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["standing"]["state"], "expired");
    assert_eq!(json["decisions"]["run"]["allowed"], false);
    assert_eq!(json["warnings"][0]["kind"], "expired");

    // A license for another environment in the store: not valid here.
    let other = serial("02:fc:00:00:00:09");
    let r = run(
        s.path(),
        &[
            "status",
            "--store",
            "store",
            "--trust",
            "vendor.pub",
            "--serial",
            &other,
            "--at",
            "2028-03-01T00:00:00Z",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        value_after(&r.stdout, "Standing").starts_with("not valid here"),
        "{}",
        r.stdout
    );
}

#[test]
fn over_a_hard_limit_publishing_stops_and_running_goes_on() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    store_exits(&s, &["install", "production.lic"], ACTIVE, 0);
    let out = store_exits(
        &s,
        &[
            "status",
            "--usage",
            "application-objects=451",
            "--usage",
            "internal-users=150",
        ],
        ACTIVE,
        0,
    )
    .stdout;
    assert_eq!(decision(&out, "run"), "yes");
    assert_eq!(decision(&out, "publish"), "no");
    assert_eq!(decision(&out, "administer"), "yes");
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
    let out = store_exits(
        &s,
        &[
            "status",
            "--usage",
            "application-objects=450,internal-users=150",
        ],
        ACTIVE,
        0,
    )
    .stdout;
    assert_eq!(decision(&out, "publish"), "yes");

    // Usage figures are checked: bad input, exit 2.
    for bad in ["application-objects", "application-objects=many", "=5"] {
        let err = store_exits(&s, &["status", "--usage", bad], ACTIVE, 2).stderr;
        assert!(err.contains(bad), "{bad}: {err}");
    }
    let err = store_exits(
        &s,
        &[
            "status",
            "--usage",
            "internal-users=1",
            "--usage",
            "internal-users=2",
        ],
        ACTIVE,
        2,
    )
    .stderr;
    assert!(err.contains("twice"), "{err}");
}

#[test]
fn a_clock_turned_back_is_reported_and_does_not_stretch_the_license() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    store_exits(&s, &["install", "production.lic"], ACTIVE, 0);
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
