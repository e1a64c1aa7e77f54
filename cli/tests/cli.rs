//! The `licensing` command-line tool, run as a process: each command's
//! happy path, its output files and its exit codes (0 success, 1 not
//! valid, 2 bad usage or input).

mod common;

use common::{
    ACTIVE, ISSUED, Run, assert_contains_all, attach_args, fails, issue_args, keygen_args, ok,
    register_args, run, run_env, subscription_new_args, validate_args, with,
};
use licensing::{
    HardwareComponent, Infrastructure, MachineIdentity, PublicKey, SerialNumber, Signer, SigningKey,
};
use std::path::Path;
use tempfile::TempDir;

/// Past the grace period of the licenses issued in these tests.
const PAST_GRACE: &str = "2028-03-01T00:00:00Z";

/// The slots, limits and features of the Acme subscription.
const ACME_TERMS: [&str; 12] = [
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
];

/// Changes the terms of the subscription in acme.json.
const SUBSCRIPTION_UPDATE: [&str; 3] = ["subscription", "update", "acme.json"];

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
        HardwareComponent::new("machine-id", common::MACHINE_ID),
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
        common::keygen(d, "vendor.key", "vendor.pub");
        let out = common::acme_subscription(d, &ACME_TERMS);
        let code = value_after(&out, "activation code:");
        let production = serial("02:fc:00:00:00:03");
        common::register(d, &production, "Production", "production");
        Self {
            dir,
            code,
            production,
        }
    }

    /// A folder as from `new`, with Production's license (production.lic)
    /// installed in the store at ACTIVE.
    fn with_installed_license() -> Self {
        let s = Self::new();
        s.issue("production.lic", &[]);
        store_exits(&s, &["install", "production.lic"], ACTIVE, 0);
        s
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Issues Production's license to `out`.
    fn issue(&self, out: &str, extra: &[&str]) -> String {
        self.issue_for(&self.production, out, extra)
    }

    /// Issues the license of the environment `serial` to `out`.
    fn issue_for(&self, serial: &str, out: &str, extra: &[&str]) -> String {
        common::issue(self.path(), "vendor.key", serial, out, extra)
    }

    fn validate(&self, file: &str, serial: &str, at: &str) -> Run {
        common::validate(self.path(), file, "vendor.pub", serial, at)
    }

    /// Validates `file` on Production, checking it is for the subscription
    /// with the activation code `code`.
    fn validate_with_activation_code(&self, file: &str, code: &str) -> Run {
        let args = validate_args(file, "vendor.pub", &self.production);
        run(
            self.path(),
            &with(&args, &["--activation-code", code, "--at", ACTIVE]),
        )
    }

    /// Registers the environment `serial` in acme.json, successfully or not.
    fn register(&self, serial: &str, name: &str, purpose: &str) -> Run {
        run(
            self.path(),
            &register_args("acme.json", serial, name, purpose),
        )
    }

    /// Changes the terms of the subscription; the tool's output.
    fn update_subscription(&self, changes: &[&str]) -> String {
        ok(self.path(), &with(&SUBSCRIPTION_UPDATE, changes))
    }

    /// A change of the subscription's terms that is refused; the reason.
    fn update_subscription_refused(&self, changes: &[&str]) -> String {
        fails(self.path(), &with(&SUBSCRIPTION_UPDATE, changes), 2)
    }

    /// acme.json, asserting that its subscription kept the activation code
    /// and is at `revision`.
    fn subscription_at_revision(&self, revision: u32) -> Infrastructure {
        let infra = self.infrastructure();
        let sub = infra.subscription();
        assert_eq!(sub.activation_code().to_string(), self.code);
        assert_eq!(sub.revision(), revision);
        infra
    }

    fn infrastructure(&self) -> Infrastructure {
        let json = std::fs::read_to_string(self.path().join("acme.json")).unwrap();
        serde_json::from_str(&json).unwrap()
    }
}

/// The serial number of "this machine" when its identity is pinned to
/// `identity`.
fn pinned_serial(identity: &str) -> String {
    MachineIdentity::pinned(identity)
        .serial()
        .unwrap()
        .to_string()
}

/// The environment pinning this machine's identity to `identity` (or
/// unpinning it), without an identity file.
fn pinned_identity(identity: Option<&str>) -> [(&str, Option<&str>); 2] {
    [
        ("LICENSING_IDENTITY", identity),
        ("LICENSING_IDENTITY_FILE", None),
    ]
}

/// Asserts that a page starts with the serial number of this machine,
/// pinned by LICENSING_IDENTITY, and where it came from after that
/// (`kept`: ", kept by the store's fingerprint record" for the store
/// commands).
fn assert_serial_pinned_by_identity(page: &str, pinned: &str, kept: &str) {
    assert_eq!(
        page.lines().next().unwrap_or_default(),
        format!(
            "serial number: {pinned} (this machine's, pinned by LICENSING_IDENTITY{kept}; --serial not given)"
        )
    );
}

/// What the store commands add to where the serial came from.
const KEPT_BY_THE_STORE: &str = ", kept by the store's fingerprint record";

/// Validates `file` on this machine, trusting vendor.pub, at ACTIVE.
fn validate_here_args(file: &str) -> [&str; 6] {
    ["validate", file, "--trust", "vendor.pub", "--at", ACTIVE]
}

/// `text` with its character at `index` replaced by `c`.
fn with_char(text: &str, index: usize, c: char) -> String {
    text.chars()
        .enumerate()
        .map(|(i, old)| if i == index { c } else { old })
        .collect()
}

/// `text` with its character at `index` mistyped.
fn mistyped(text: &str, index: usize) -> String {
    let typo = if text.chars().nth(index) == Some('Z') {
        'Y'
    } else {
        'Z'
    };
    with_char(text, index, typo)
}

/// Writes tampered.lic: production.lic with the organization altered
/// ("acme Corp"); its bytes.
fn tamper_with_license(s: &Setup) -> Vec<u8> {
    let mut bytes = std::fs::read(s.path().join("production.lic")).unwrap();
    let at = bytes
        .windows(9)
        .position(|w| w == b"Acme Corp")
        .expect("the organization is in the file");
    bytes[at] ^= 0x20;
    std::fs::write(s.path().join("tampered.lic"), &bytes).unwrap();
    bytes
}

#[test]
fn keygen_writes_pem_keys_and_refuses_to_overwrite() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let out = common::keygen(d, "v.key", "v.pub");
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
    let err = fails(d, &keygen_args("new.key", "v.pub"), 2);
    assert_contains_all(&err, &["v.pub", "--force"]);
    assert!(!d.join("new.key").exists());
    assert_eq!(std::fs::read_to_string(d.join("v.key")).unwrap(), private);

    let out = ok(d, &with(&keygen_args("v.key", "v.pub"), &["--force"]));
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

    // One character changed (group 2, character 1): caught.
    let typo = mistyped(&s.code, 4);
    let err = fails(s.path(), &["activation-code", "check", &typo], 2);
    assert_contains_all(&err, &["mistyped", "group"]);

    let bad = with_char(&s.code, 9, 'U');
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
    let typo = mistyped(&s.production, 0);
    for args in [
        &register_args("acme.json", &typo, "X", "development")[..],
        &validate_args("x.lic", "vendor.pub", "KSM-0R1")[..],
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
    let r = s.register(&second, "Production 2", "production");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no free production slot"), "{}", r.stderr);
    assert_eq!(s.infrastructure().environments().len(), 1);

    let out = ok(d, &["release", "acme.json", "--serial", &s.production]);
    assert_contains_all(&out, &["Production", "0 of 1"]);
    assert!(s.infrastructure().environments().is_empty());
    let err = fails(d, &["release", "acme.json", "--serial", &s.production], 2);
    assert!(err.contains("not registered"), "{err}");

    let r = s.register(&second, "Production", "production");
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
            &validate_args("nothing.lic", "vendor.pub", p)[..],
            "nothing.lic",
        ),
        (&validate_args("x.lic", "nothing.pub", p)[..], "nothing.pub"),
        (&issue_args("nothing.key", p, "x.lic")[..], "nothing.key"),
        (
            &register_args("nothing.json", p, "X", "production")[..],
            "nothing.json",
        ),
    ] {
        let err = fails(s.path(), args, 2);
        assert!(err.contains(path), "{args:?}: {err}");
    }
    // A file that is not what it should be.
    std::fs::write(s.path().join("junk.json"), "{}").unwrap();
    let err = fails(s.path(), &["subscription", "show", "junk.json"], 2);
    assert_contains_all(&err, &["junk.json", "not a subscription file"]);
    let err = fails(s.path(), &issue_args("vendor.pub", p, "x.lic"), 2);
    assert_contains_all(&err, &["vendor.pub", "PRIVATE KEY"]);
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
    assert_contains_all(
        &r.stdout,
        &[
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
        ],
    );

    // The text form, and the activation code check.
    s.issue("production.txt", &["--pem"]);
    let text = std::fs::read_to_string(s.path().join("production.txt")).unwrap();
    assert!(text.starts_with("-----BEGIN LICENSE-----"), "{text}");
    let r = s.validate_with_activation_code("production.txt", &s.code);
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
    assert_contains_all(&out, &["multi-tenancy", "sap-connector"]);

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
    s.update_subscription(&["--end", "never"]);
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
    assert_contains_all(&err, &["junk.lic", "cut short"]);
}

#[test]
fn external_signing_round_trip() {
    let s = Setup::new();
    let d = s.path();
    let issue = |extra: &[&str]| common::issue_without_key(d, &s.production, extra);
    let r = issue(&["--signing-input", "req.bin"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--public"), "{}", r.stderr);
    assert!(!d.join("req.bin").exists());
    let r = issue(&[]);
    assert_eq!(r.code, 2);
    assert_contains_all(&r.stderr, &["--key", "--signing-input"]);

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
    let trust = Some("vendor.pub");
    let out = ok(d, &attach_args("req.bin", "sig.raw", trust, "external.lic"));
    assert!(out.contains("verifies"), "{out}");
    let r = s.validate("external.lic", &s.production, ACTIVE);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Another key's signature: refused before anything is written.
    let other = SigningKey::generate();
    std::fs::write(d.join("other.raw"), Signer::sign(&other, &message).unwrap()).unwrap();
    let err = fails(d, &attach_args("req.bin", "other.raw", trust, "bad.lic"), 1);
    assert!(err.contains("does not verify"), "{err}");
    assert!(!d.join("bad.lic").exists());

    // Not a signature, not a signing input.
    std::fs::write(d.join("junk.sig"), b"not a signature").unwrap();
    let err = fails(d, &attach_args("req.bin", "junk.sig", None, "bad.lic"), 2);
    assert!(err.contains("DER"), "{err}");
    let err = fails(d, &attach_args("sig.raw", "sig.raw", None, "bad.lic"), 2);
    assert!(err.contains("not a signing request"), "{err}");
    assert!(!d.join("bad.lic").exists());
}

#[test]
fn demo_walks_the_whole_flow() {
    let dir = TempDir::new().unwrap();
    let out = ok(dir.path(), &["demo"]);
    assert_contains_all(
        &out,
        &[
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
        ],
    );
}

// The license store: install, restore, status.

/// A store command on the folder's store `store`, trusting `trust`, as
/// the environment `serial`.
fn store_args<'a>(
    command: &[&'a str],
    store: &'a str,
    trust: &'a str,
    serial: &'a str,
) -> Vec<&'a str> {
    let options = ["--store", store, "--trust", trust, "--serial", serial];
    with(command, &options)
}

/// Runs a store command on the folder's store `store`, trusting
/// vendor.pub, as the environment `serial`, at `at`.
fn store_run_as(s: &Setup, store: &str, serial: &str, command: &[&str], at: &str) -> Run {
    let args = store_args(command, store, "vendor.pub", serial);
    run(s.path(), &with(&args, &["--at", at]))
}

/// Runs a store command on the folder's store `store`, trusting
/// vendor.pub, as Production, at `at`.
fn store_run(s: &Setup, command: &[&str], at: &str) -> Run {
    store_run_as(s, "store", &s.production, command, at)
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

/// Issues revision 1 (old.lic) and, after a change of terms, revision 2
/// (new.lic) of Production's license; the two files.
fn two_revisions(s: &Setup) -> (Vec<u8>, Vec<u8>) {
    s.issue("old.lic", &[]);
    s.update_subscription(&["--support", "standard"]);
    s.issue("new.lic", &[]);
    let old = std::fs::read(s.path().join("old.lic")).unwrap();
    let new = std::fs::read(s.path().join("new.lic")).unwrap();
    (old, new)
}

/// Asserts what an install or restore page says it replaced.
fn assert_replaced(page: &str, revision: &str) {
    assert!(
        value_after(page, "replaced revision:").starts_with(revision),
        "{page}"
    );
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
    assert_replaced(&out, "none");
    assert_eq!(value_after(&out, "state:"), "active");
    let file = std::fs::read(s.path().join("production.lic")).unwrap();
    assert_eq!(store_file(&s, "license.lic"), Some(file));
    assert_eq!(store_file(&s, "license.lic.bak"), None);

    // The text form is stored in binary form; the binary one becomes the
    // backup.
    s.issue("production.txt", &["--pem"]);
    let out = store_exits(&s, &["install", "production.txt"], ACTIVE, 0).stdout;
    assert_replaced(&out, "1 (kept as license.lic.bak");
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
    let install = ["install", "production.lic"];
    let args = store_args(&install, "store", "missing.pub", &s.production);
    let err = fails(s.path(), &args, 2);
    assert!(err.contains("missing.pub"), "{err}");
    let args = store_args(&install, "store", "vendor.pub", "not-a-serial");
    let err = fails(s.path(), &args, 2);
    assert!(err.contains("not-a-serial"), "{err}");
    assert_eq!(store_file(&s, "license.lic"), Some(stored));
}

#[test]
fn a_license_that_is_not_valid_here_is_not_installed() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    tamper_with_license(&s);

    // Into an empty store: nothing appears.
    let err = store_exits(&s, &["install", "tampered.lic"], ACTIVE, 1).stderr;
    assert_contains_all(&err, &["tampered.lic", "signature does not match"]);
    assert_eq!(store_file(&s, "license.lic"), None);

    // Over a valid license: it stays, with no backup made.
    let install = ["install", "production.lic"];
    store_exits(&s, &install, ACTIVE, 0);
    let installed = store_file(&s, "license.lic");
    store_exits(&s, &["install", "tampered.lic"], ACTIVE, 1);
    assert_eq!(store_file(&s, "license.lic"), installed);
    assert_eq!(store_file(&s, "license.lic.bak"), None);

    // Another environment's license, or one past its grace period.
    let other = serial("02:fc:00:00:00:09");
    let r = store_run_as(&s, "other-store", &other, &install, ACTIVE);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(&other), "{}", r.stderr);
    assert!(!s.path().join("other-store/license.lic").exists());
    let err = store_exits(&s, &install, PAST_GRACE, 1).stderr;
    assert!(err.contains("expired"), "{err}");
    assert_eq!(store_file(&s, "license.lic"), installed);
}

#[test]
fn a_downgrade_is_refused_unless_forced() {
    let s = Setup::new();
    let (old, new) = two_revisions(&s);
    store_exits(&s, &["install", "new.lic"], ACTIVE, 0);

    let err = store_exits(&s, &["install", "old.lic"], ACTIVE, 1).stderr;
    assert_contains_all(&err, &["revision 1", "revision 2", "--force"]);
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&new));

    let out = store_exits(&s, &["install", "old.lic", "--force"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "revision:"), "1");
    assert_replaced(&out, "2 ");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&old));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&new));

    // Upgrading needs no --force.
    let out = store_exits(&s, &["install", "new.lic"], ACTIVE, 0).stdout;
    assert_replaced(&out, "1 ");
}

#[test]
fn restore_brings_the_previous_license_back() {
    let s = Setup::new();
    let (old, new) = two_revisions(&s);

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
    assert_replaced(&out, "2 ");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&old));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&new));

    // Restoring again undoes it.
    let out = store_exits(&s, &["restore"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "revision:"), "2");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&new));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&old));

    // A backup that is not valid (any more) stays where it is.
    let err = store_exits(&s, &["restore"], PAST_GRACE, 1).stderr;
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
