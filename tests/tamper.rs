//! What a text editor, a file manager or a copy does to a store's state:
//! each alteration is detected (the state-altered warning), never gives
//! more trial days than before, and never stops a valid license. And the
//! normal life of a store raises no such warning.

use licensing::testing::sample_infrastructure;
use licensing::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// When the tests act: the sample license is valid then.
const T0: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

mod store_env;

use store_env::{Env, env};

impl Env {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A store `name` on its trial (started at T0), or licensed at T0.
    fn store(&self, name: &str, licensed: bool) -> LicenseStore {
        let store = LicenseStore::create(self.root().join(name)).unwrap();
        self.status_of(&store, T0);
        if licensed {
            store
                .install(&self.license, &self.validator, &self.serial, T0, false)
                .unwrap();
        }
        store
    }

    fn status_of(&self, store: &LicenseStore, at: Timestamp) -> Status {
        self.status_as(store, &self.serial, at)
    }

    fn status_as(&self, store: &LicenseStore, serial: &SerialNumber, at: Timestamp) -> Status {
        store
            .status(&self.validator, serial, at, &BTreeMap::new())
            .unwrap()
    }
}

fn altered(status: &Status) -> bool {
    status
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::StateAltered { .. }))
}

fn state_of(store: &LicenseStore) -> std::path::PathBuf {
    store.dir().join("state")
}

/// Replaces the line starting with `key=` in the store's state.
fn edit_line(store: &LicenseStore, key: &str, value: &str) {
    let text = fs::read_to_string(state_of(store)).unwrap();
    let prefix = format!("{key}=");
    assert!(text.contains(&prefix), "{text}");
    let edited: String = text
        .lines()
        .map(|line| match line.starts_with(&prefix) {
            true => format!("{prefix}{value}\n"),
            false => format!("{line}\n"),
        })
        .collect();
    fs::write(state_of(store), edited).unwrap();
}

type Tamper = fn(&Env, &LicenseStore);

/// Each alteration, applied to a store after its first week.
const TAMPERING: [(&str, Tamper); 7] = [
    ("edit the trial start", |_, store| {
        edit_line(store, "trial-started", "4102444800") // 2100
    }),
    ("edit the high-water mark", |_, store| {
        edit_line(store, "high-water", "1700000000")
    }),
    ("copy the state of another store", |env, store| {
        let other = env.store("other", false);
        fs::copy(state_of(&other), state_of(store)).unwrap();
    }),
    ("flip a byte of the authentication code", |_, store| {
        let mut bytes = fs::read(state_of(store)).unwrap();
        let at = bytes.len() - 10;
        bytes[at] ^= 0x01;
        fs::write(state_of(store), bytes).unwrap();
    }),
    ("cut the state short", |_, store| {
        let bytes = fs::read(state_of(store)).unwrap();
        fs::write(state_of(store), &bytes[..bytes.len() / 2]).unwrap();
    }),
    ("write a state of the old plain format", |_, store| {
        fs::write(
            state_of(store),
            "trial-started=4102444800\nlicensed=false\n",
        )
        .unwrap();
    }),
    (
        "turn the clock back 3 days and lower the high-water mark to match",
        |_, store| {
            edit_line(
                store,
                "high-water",
                &(T0.unix_seconds() + 4 * DAY).to_string(),
            )
        },
    ),
];

#[test]
fn every_alteration_of_a_trial_is_detected_and_ends_it() {
    let week = T0.plus_seconds(7 * DAY);
    for (what, tamper) in TAMPERING {
        let env = env();
        let store = env.store("store", false);
        let before = env.status_of(&store, week);
        assert_eq!(before.days_left(), Some(23), "{what}");
        assert!(!altered(&before), "{what}: {:?}", before.warnings);
        tamper(&env, &store);
        let after = env.status_of(&store, week.plus_seconds(3600));
        assert!(altered(&after), "{what}: {:?}", after.warnings);
        assert_eq!(after.standing, Standing::TrialOver, "{what}");
        assert!(!after.decisions.run.allowed, "{what}");
        assert!(after.days_left() <= before.days_left(), "{what}");
        let text = after
            .warnings
            .iter()
            .find(|w| matches!(w, Warning::StateAltered { .. }))
            .unwrap()
            .to_string();
        assert!(
            text.contains("install a license, or ask the vendor for a trial extension"),
            "{what}: {text}"
        );
        // It stays so: the next start does not bring the trial back.
        let later = env.status_of(&store, week.plus_seconds(7200));
        assert_eq!(later.standing, Standing::TrialOver, "{what}");
        assert!(altered(&later), "{what}");
    }
}

#[test]
fn every_alteration_of_a_licensed_store_is_reported_and_the_license_runs() {
    let week = T0.plus_seconds(7 * DAY);
    let mut with_deletion: Vec<(&str, Tamper)> = TAMPERING.to_vec();
    with_deletion.push(("delete the state", |_, store| {
        fs::remove_file(state_of(store)).unwrap()
    }));
    for (what, tamper) in with_deletion {
        let env = env();
        let store = env.store("store", true);
        assert!(!altered(&env.status_of(&store, week)), "{what}");
        tamper(&env, &store);
        let after = env.status_of(&store, week.plus_seconds(3600));
        assert!(altered(&after), "{what}: {:?}", after.warnings);
        assert!(
            matches!(after.standing, Standing::Licensed(_)),
            "{what}: {:?}",
            after.standing
        );
        assert!(after.decisions.run.allowed, "{what}");
        // Installing a license again (a renewal, say) ends the warning.
        store
            .install(&env.license, &env.validator, &env.serial, week, false)
            .unwrap();
        assert!(
            !altered(&env.status_of(&store, week.plus_seconds(7200))),
            "{what}"
        );
    }
}

#[test]
fn a_store_copied_to_another_environment_is_detected() {
    let env = env();
    for licensed in [false, true] {
        let store = env.store(if licensed { "licensed" } else { "trial" }, licensed);
        let elsewhere = MachineIdentity::pinned("another machine").serial().unwrap();
        let status = env.status_as(&store, &elsewhere, T0.plus_seconds(DAY));
        assert!(altered(&status), "{:?}", status.warnings);
        assert!(!status.decisions.run.allowed, "{:?}", status.standing);
    }
}

#[test]
fn a_store_of_the_plain_format_is_upgraded_without_loss() {
    let env = env();
    let started = T0.plus_seconds(-5 * DAY);
    // A trial store written by version 0.1: no store id, plain text.
    let trial = env.root().join("trial");
    fs::create_dir_all(&trial).unwrap();
    fs::write(
        trial.join("state"),
        format!(
            "# licensing store state: times are Unix seconds (UTC)\ntrial-started={}\nlicensed=false\nhigh-water={}\n",
            started.unix_seconds(),
            T0.unix_seconds()
        ),
    )
    .unwrap();
    let store = LicenseStore::open(&trial).unwrap();
    for _ in 0..2 {
        let status = env.status_of(&store, T0);
        assert_eq!(status.standing, Standing::Trial { days_left: 25 });
        assert!(status.warnings.is_empty(), "{:?}", status.warnings);
    }
    assert!(
        fs::read_to_string(trial.join("state"))
            .unwrap()
            .contains("version=2")
    );
    // A licensed store of version 0.1 stays licensed.
    let licensed = env.root().join("licensed");
    fs::create_dir_all(&licensed).unwrap();
    fs::write(licensed.join("license.lic"), &env.license).unwrap();
    fs::write(
        licensed.join("state"),
        format!("licensed=true\nhigh-water={}\n", T0.unix_seconds()),
    )
    .unwrap();
    let store = LicenseStore::open(&licensed).unwrap();
    let status = env.status_of(&store, T0);
    assert_eq!(status.standing, Standing::Licensed(LicenseState::Active));
    assert!(status.warnings.is_empty(), "{:?}", status.warnings);
}

#[test]
fn the_normal_life_of_a_store_raises_no_alarm() {
    let env = env();
    let store = env.store("store", false);
    let mut at = T0;
    let mut step = |days: i64| {
        at = at.plus_seconds(days * DAY);
        at
    };
    // Trial, reopened (a reboot), install, renewal, restore, a forced
    // downgrade, the clock within its tolerance.
    let reopened = LicenseStore::open(store.dir()).unwrap();
    assert!(!altered(&env.status_of(&reopened, step(1))));
    store
        .install(&env.license, &env.validator, &env.serial, step(1), false)
        .unwrap();
    store
        .install(&env.license, &env.validator, &env.serial, step(1), false)
        .unwrap();
    store.restore(&env.validator, &env.serial, step(1)).unwrap();
    store
        .install(&env.license, &env.validator, &env.serial, step(1), true)
        .unwrap();
    let now = step(1);
    let status = env.status_of(&store, now.plus_seconds(-3600));
    assert!(status.warnings.is_empty(), "{:?}", status.warnings);
    let preview = store
        .preview(
            &env.validator,
            &env.serial,
            now.plus_seconds(400 * DAY),
            &BTreeMap::new(),
        )
        .unwrap();
    assert!(!altered(&preview), "{:?}", preview.warnings);
    assert!(env.status_of(&store, now).warnings.is_empty());
}

/// The state vectors (docs/FORMAT.md section 11.1): a version 1 file, read
/// once in a store without an id, and a version 2 file with its store id,
/// both on a trial started at 1800000000 and last seen a day later.
#[test]
fn the_state_vectors_read() {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let env = env();
    let serial: SerialNumber = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T".parse().unwrap();
    let at = T0.plus_seconds(2 * DAY);
    for (name, id) in [
        ("state-v1.txt", None),
        ("state-v2.txt", Some("state-v2.store-id")),
    ] {
        let dir = env.root().join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::copy(vectors.join(name), dir.join("state")).unwrap();
        if let Some(id) = id {
            fs::copy(vectors.join(id), dir.join("store-id")).unwrap();
        }
        let store = LicenseStore::open(&dir).unwrap();
        let status = env.status_as(&store, &serial, at);
        assert_eq!(status.standing, Standing::Trial { days_left: 28 }, "{name}");
        assert!(status.warnings.is_empty(), "{name}: {:?}", status.warnings);
    }
    // The version 2 file for another serial, or with another id, is altered.
    let dir = env.root().join("state-v2.txt");
    let elsewhere = MachineIdentity::pinned("elsewhere").serial().unwrap();
    assert!(altered(&env.status_as(
        &LicenseStore::open(&dir).unwrap(),
        &elsewhere,
        at
    )));
}

/// A store remembered by an anchor outside it: deleting its state or the
/// whole store, or putting back an older copy, is detected too.
mod anchored {
    use super::*;

    fn store(env: &Env) -> LicenseStore {
        LicenseStore::create(env.root().join("store"))
            .unwrap()
            .with_anchor(DirectoryAnchor::new(env.root().join("anchors")))
    }

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }

    type Reset = fn(&Env, &Path);

    const RESETS: [(&str, Reset); 4] = [
        ("delete the state", |_, dir| {
            fs::remove_file(dir.join("state")).unwrap()
        }),
        ("delete the state and the store id", |_, dir| {
            fs::remove_file(dir.join("state")).unwrap();
            fs::remove_file(dir.join("store-id")).unwrap();
        }),
        ("delete the store directory", |_, dir| {
            fs::remove_dir_all(dir).unwrap()
        }),
        ("put back the copy taken a week ago", |env, dir| {
            fs::remove_dir_all(dir).unwrap();
            copy_dir(&env.root().join("copy"), dir);
        }),
    ];

    #[test]
    fn every_reset_of_a_trial_is_detected() {
        for (what, reset) in RESETS {
            let env = env();
            let dir = env.root().join("store");
            let first = store(&env);
            env.status_of(&first, T0);
            copy_dir(&dir, &env.root().join("copy"));
            let week = T0.plus_seconds(7 * DAY);
            let before = env.status_of(&first, week);
            assert_eq!(before.days_left(), Some(23), "{what}");
            env.status_of(&first, week.plus_seconds(60));
            reset(&env, &dir);
            let after = env.status_of(&store(&env), week.plus_seconds(3600));
            assert!(altered(&after), "{what}: {:?}", after.warnings);
            assert_eq!(after.standing, Standing::TrialOver, "{what}");
            assert!(after.days_left() <= before.days_left(), "{what}");
        }
    }

    #[test]
    fn the_anchor_alone_deleted_or_missing_changes_nothing_but_an_edited_one_is_seen() {
        let env = env();
        let first = store(&env);
        env.status_of(&first, T0);
        // Deleting the anchor proves nothing: the store is believed.
        fs::remove_dir_all(env.root().join("anchors")).unwrap();
        let status = env.status_of(&store(&env), T0.plus_seconds(DAY));
        assert_eq!(status.standing, Standing::Trial { days_left: 29 });
        assert!(status.warnings.is_empty(), "{:?}", status.warnings);
        // It is written again; an edited anchor is an alteration.
        let anchor = fs::read_dir(env.root().join("anchors"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let text = fs::read_to_string(&anchor).unwrap();
        fs::write(&anchor, text.replace("counter=", "counter=9")).unwrap();
        let status = env.status_of(&store(&env), T0.plus_seconds(2 * DAY));
        assert!(altered(&status), "{:?}", status.warnings);
        assert_eq!(status.standing, Standing::TrialOver);
    }

    #[test]
    fn a_licensed_store_reset_keeps_its_license_and_no_alarm_in_normal_life() {
        let env = env();
        let first = store(&env);
        let mut at = T0;
        for _ in 0..3 {
            at = at.plus_seconds(DAY);
            assert!(env.status_of(&store(&env), at).warnings.is_empty());
        }
        first
            .install(&env.license, &env.validator, &env.serial, at, false)
            .unwrap();
        first.restore(&env.validator, &env.serial, at).ok();
        first
            .install(&env.license, &env.validator, &env.serial, at, true)
            .unwrap();
        let status = env.status_of(&store(&env), at.plus_seconds(60));
        assert!(status.warnings.is_empty(), "{:?}", status.warnings);
        fs::remove_file(env.root().join("store/state")).unwrap();
        let status = env.status_of(&store(&env), at.plus_seconds(120));
        assert!(altered(&status), "{:?}", status.warnings);
        assert!(status.decisions.run.allowed, "{:?}", status.standing);
    }
}

#[test]
fn a_trial_extension_from_the_vendor_runs_whatever_happened_to_the_state() {
    let env = env();
    // A vendor key of its own, trusted by this test's validator.
    let (_, serial, key) = sample_infrastructure();
    let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    let store = LicenseStore::create(env.root().join("store")).unwrap();
    let status = |at| {
        store
            .status(&validator, &serial, at, &BTreeMap::new())
            .unwrap()
    };
    status(T0);
    edit_line(&store, "trial-started", "4102444800");
    let week = T0.plus_seconds(7 * DAY);
    assert_eq!(status(week).standing, Standing::TrialOver);

    let until = T0.plus_seconds(90 * DAY);
    let extension = TrialExtension::issue(serial, until, week, &key).to_bytes();
    // Not for another environment, nor signed by another key.
    let elsewhere = MachineIdentity::pinned("elsewhere").serial().unwrap();
    let other = TrialExtension::issue(elsewhere, until, week, &key).to_bytes();
    assert!(matches!(
        store.install_trial_extension(&other, &validator, &serial, week),
        Err(StoreError::Grant(GrantError::WrongSerial { .. }))
    ));
    let forged = TrialExtension::issue(serial, until, week, &SigningKey::generate()).to_bytes();
    assert!(matches!(
        store.install_trial_extension(&forged, &validator, &serial, week),
        Err(StoreError::Grant(GrantError::UnknownKey { .. }))
    ));
    assert_eq!(status(week).standing, Standing::TrialOver);

    store
        .install_trial_extension(&extension, &validator, &serial, week)
        .unwrap();
    let extended = status(week.plus_seconds(60));
    assert_eq!(extended.standing, Standing::Trial { days_left: 83 });
    assert!(extended.decisions.run.allowed);
    assert!(altered(&extended), "the alteration is still reported");
    // Even after the state is deleted again, and until the day it ends.
    fs::remove_file(state_of(&store)).unwrap();
    assert_eq!(
        status(until.plus_seconds(-DAY)).standing,
        Standing::Trial { days_left: 1 }
    );
    assert_eq!(status(until).standing, Standing::TrialOver);
}

/// The trial extension vector (docs/FORMAT.md section 12), signed by the
/// test key for serial 1HA-009-DEZ-RD3-PJA-MNH-C1S-91T through 2027-03-31.
#[test]
fn the_trial_extension_vector_reads() {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let bytes = fs::read(vectors.join("trial-extension.lic")).unwrap();
    let pem = fs::read_to_string(vectors.join("test-public-key.pem")).unwrap();
    let keys = TrustedKeys::from_pem(&pem).unwrap();
    let serial: SerialNumber = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T".parse().unwrap();
    let extension = TrialExtension::parse(&bytes).unwrap();
    extension.verify(&keys, &serial).unwrap();
    assert_eq!(extension.until().to_string(), "2027-04-01T00:00:00Z");
    assert_eq!(extension.to_bytes(), bytes);
}

#[test]
fn a_clock_turned_back_3_days_without_editing_is_reported_and_gains_nothing() {
    let week = T0.plus_seconds(7 * DAY);
    for licensed in [false, true] {
        let env = env();
        let store = env.store("store", licensed);
        let before = env.status_of(&store, week);
        assert!(before.warnings.is_empty(), "{:?}", before.warnings);
        let back = week.plus_seconds(-3 * DAY);
        let after = env.status_of(&store, back);
        assert!(
            after.warnings.contains(&Warning::ClockBehind {
                now: back,
                latest_seen: week
            }),
            "{:?}",
            after.warnings
        );
        assert!(!altered(&after), "the state was not edited");
        assert_eq!(after.judged_at, week, "judged at the latest time seen");
        assert_eq!(after.standing, before.standing);
        assert!(after.days_left() <= before.days_left());
    }
}

/// An anchor that remembers nothing: every anchor wiped.
#[derive(Debug)]
struct Wiped;

impl Anchor for Wiped {
    fn load(&self, _: &str) -> std::io::Result<Option<Vec<u8>>> {
        Ok(None)
    }
    fn save(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

/// All anchors wiped, the state deleted, the clock turned back 10 days:
/// the store's files were written later than the clock says it is, which
/// is evidence enough that the trial must not restart, and of the latest
/// time seen. (Real time: the evidence is judged against the system clock.)
#[test]
fn files_written_after_the_clock_are_evidence_when_everything_else_is_wiped() {
    let env = env();
    let store = LicenseStore::create(env.root().join("store"))
        .unwrap()
        .with_anchor(Wiped);
    let now = Timestamp::now();
    assert_eq!(
        env.status_of(&store, now).standing,
        Standing::Trial { days_left: 30 }
    );
    // Written 10 days "ahead": the clock was turned back since.
    let ahead = std::time::SystemTime::now() + std::time::Duration::from_secs(10 * 86_400);
    for name in [".lock", "store-id"] {
        let file = fs::File::options()
            .write(true)
            .open(store.dir().join(name))
            .unwrap();
        file.set_modified(ahead).unwrap();
    }
    fs::remove_file(state_of(&store)).unwrap();
    let status = env.status_of(&store, now);
    assert_eq!(status.standing, Standing::TrialOver);
    assert!(altered(&status), "{:?}", status.warnings);
    let reason = status.warnings.iter().find_map(|w| match w {
        Warning::StateAltered { reason, .. } => reason.clone(),
        _ => None,
    });
    assert!(reason.unwrap().contains("the clock was turned back"));
    assert!(status.judged_at >= now.plus_seconds(10 * DAY - 60));
    assert!(
        status
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::ClockBehind { .. })),
        "{:?}",
        status.warnings
    );
    // Without that evidence (files of now), deleting the state of a store
    // whose anchors are all wiped does restart the trial: the documented
    // limit of a machine with no secret.
    let other = LicenseStore::create(env.root().join("other"))
        .unwrap()
        .with_anchor(Wiped);
    env.status_of(&other, now);
    fs::remove_file(state_of(&other)).unwrap();
    assert_eq!(
        env.status_of(&other, now).standing,
        Standing::Trial { days_left: 30 }
    );
}
