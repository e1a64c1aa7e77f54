//! What several of the modules share: the Acme subscription's folder
//! (`Setup`), reading the tool's output, serial numbers, altered files and
//! running the store commands.

use crate::common::{self, ACTIVE, Run, fails, ok, register_args, run, validate_args, with};
use licensing::{HardwareComponent, Infrastructure, MachineIdentity, SerialNumber};
use std::path::Path;
use tempfile::TempDir;

/// Past the grace period of the licenses issued in these tests.
pub const PAST_GRACE: &str = "2028-03-01T00:00:00Z";

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
pub fn value_after(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no line starting with '{label}' in:\n{text}"))
        .trim()
        .to_owned()
}

pub fn serial(mac: &str) -> String {
    SerialNumber::from_components(&[
        HardwareComponent::new("mac", mac),
        HardwareComponent::new("machine-id", common::MACHINE_ID),
    ])
    .unwrap()
    .to_string()
}

/// A folder with vendor keys, the Acme subscription (acme.json) and a
/// registered production environment.
pub struct Setup {
    dir: TempDir,
    pub code: String,
    pub production: String,
}

impl Setup {
    pub fn new() -> Self {
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
    pub fn with_installed_license() -> Self {
        let s = Self::new();
        s.issue("production.lic", &[]);
        store_exits(&s, &["install", "production.lic"], ACTIVE, 0);
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Issues Production's license to `out`.
    pub fn issue(&self, out: &str, extra: &[&str]) -> String {
        self.issue_for(&self.production, out, extra)
    }

    /// Issues the license of the environment `serial` to `out`.
    pub fn issue_for(&self, serial: &str, out: &str, extra: &[&str]) -> String {
        common::issue(self.path(), "vendor.key", serial, out, extra)
    }

    pub fn validate(&self, file: &str, serial: &str, at: &str) -> Run {
        common::validate(self.path(), file, "vendor.pub", serial, at)
    }

    /// Validates `file` on Production, checking it is for the subscription
    /// with the activation code `code`.
    pub fn validate_with_activation_code(&self, file: &str, code: &str) -> Run {
        let args = validate_args(file, "vendor.pub", &self.production);
        run(
            self.path(),
            &with(&args, &["--activation-code", code, "--at", ACTIVE]),
        )
    }

    /// Registers the environment `serial` in acme.json, successfully or not.
    pub fn register(&self, serial: &str, name: &str, purpose: &str) -> Run {
        run(
            self.path(),
            &register_args("acme.json", serial, name, purpose),
        )
    }

    /// Changes the terms of the subscription; the tool's output.
    pub fn update_subscription(&self, changes: &[&str]) -> String {
        ok(self.path(), &with(&SUBSCRIPTION_UPDATE, changes))
    }

    /// A change of the subscription's terms that is refused; the reason.
    pub fn update_subscription_refused(&self, changes: &[&str]) -> String {
        fails(self.path(), &with(&SUBSCRIPTION_UPDATE, changes), 2)
    }

    /// acme.json, asserting that its subscription kept the activation code
    /// and is at `revision`.
    pub fn subscription_at_revision(&self, revision: u32) -> Infrastructure {
        let infra = self.infrastructure();
        let sub = infra.subscription();
        assert_eq!(sub.activation_code().to_string(), self.code);
        assert_eq!(sub.revision(), revision);
        infra
    }

    pub fn infrastructure(&self) -> Infrastructure {
        let json = std::fs::read_to_string(self.path().join("acme.json")).unwrap();
        serde_json::from_str(&json).unwrap()
    }
}

/// The serial number of "this machine" when its identity is pinned to
/// `identity`.
pub fn pinned_serial(identity: &str) -> String {
    MachineIdentity::pinned(identity)
        .serial()
        .unwrap()
        .to_string()
}

/// The environment pinning this machine's identity to `identity` (or
/// unpinning it), without an identity file.
pub fn pinned_identity(identity: Option<&str>) -> [(&str, Option<&str>); 2] {
    [
        ("LICENSING_IDENTITY", identity),
        ("LICENSING_IDENTITY_FILE", None),
    ]
}

/// Asserts that a page starts with the serial number of this machine,
/// pinned by LICENSING_IDENTITY, and where it came from after that
/// (`kept`: ", kept by the store's fingerprint record" for the store
/// commands).
pub fn assert_serial_pinned_by_identity(page: &str, pinned: &str, kept: &str) {
    assert_eq!(
        page.lines().next().unwrap_or_default(),
        format!(
            "serial number: {pinned} (this machine's, pinned by LICENSING_IDENTITY{kept}; --serial not given)"
        )
    );
}

/// `text` with its character at `index` replaced by `c`.
pub fn with_char(text: &str, index: usize, c: char) -> String {
    text.chars()
        .enumerate()
        .map(|(i, old)| if i == index { c } else { old })
        .collect()
}

/// `text` with its character at `index` mistyped.
pub fn mistyped(text: &str, index: usize) -> String {
    let typo = if text.chars().nth(index) == Some('Z') {
        'Y'
    } else {
        'Z'
    };
    with_char(text, index, typo)
}

/// Writes tampered.lic: production.lic with the organization altered
/// ("acme Corp"); its bytes.
pub fn tamper_with_license(s: &Setup) -> Vec<u8> {
    let mut bytes = std::fs::read(s.path().join("production.lic")).unwrap();
    let at = bytes
        .windows(9)
        .position(|w| w == b"Acme Corp")
        .expect("the organization is in the file");
    bytes[at] ^= 0x20;
    std::fs::write(s.path().join("tampered.lic"), &bytes).unwrap();
    bytes
}

pub fn no_temp_files_left(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name();
        let name = name.to_string_lossy();
        assert!(!name.ends_with(".tmp"), "temp file left behind: {name}");
    }
}

// The store commands (install, restore, status), run by the store and
// status modules.

/// A store command on the folder's store `store`, trusting `trust`, as
/// the environment `serial`.
pub fn store_args<'a>(
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
pub fn store_run_as(s: &Setup, store: &str, serial: &str, command: &[&str], at: &str) -> Run {
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
pub fn store_exits(s: &Setup, command: &[&str], at: &str, code: i32) -> Run {
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
