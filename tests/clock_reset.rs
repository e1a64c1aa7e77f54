//! The way out of a wrong latest time seen: a clock set ahead by mistake,
//! then fixed, leaves the store judging licenses in that future (nothing on
//! the machine may lower the mark, or turning the clock back would stretch a
//! license). The vendor's signed clock reset puts it back, once, without
//! reopening a trial.

use licensing::*;
use std::collections::BTreeMap;
use std::path::Path;

/// When the tests act: the sample license is valid then, and ends with 2099.
const T0: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);
/// The mistaken clock: past the sample license's end and grace.
const AHEAD: Timestamp = Timestamp::from_unix_seconds(4_200_000_000);

mod store_env;

use store_env::{Env, env};

impl Env {
    fn store(&self) -> LicenseStore {
        LicenseStore::create(self.dir.path().join("store"))
            .unwrap()
            .with_anchor(DirectoryAnchor::new(self.dir.path().join("anchors")))
    }

    fn status(&self, store: &LicenseStore, at: Timestamp) -> Status {
        store
            .status(&self.validator, &self.serial, at, &BTreeMap::new())
            .unwrap()
    }

    fn reset(
        &self,
        store: &LicenseStore,
        issued: Timestamp,
        now: Timestamp,
    ) -> Result<Timestamp, StoreError> {
        let bytes = ClockReset::issue(self.serial, issued, &self.key).to_bytes();
        store
            .reset_clock(&bytes, &self.validator, &self.serial, now)
            .map(|(_, latest)| latest)
    }
}

fn clock_behind(status: &Status) -> bool {
    status
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::ClockBehind { .. }))
}

#[test]
fn a_licensed_store_whose_clock_ran_ahead_runs_again_after_a_reset_applied_once() {
    let env = env();
    let store = env.store();
    store
        .install(&env.license, &env.validator, &env.serial, T0, false)
        .unwrap();
    assert!(matches!(
        env.status(&store, AHEAD).standing,
        Standing::Expired(_)
    ));
    // The clock is fixed: still judged in that future, and told so.
    let stuck = env.status(&store, T0);
    assert!(matches!(stuck.standing, Standing::Expired(_)) && clock_behind(&stuck));
    assert!(!stuck.decisions.run.allowed);

    let later = T0.plus_seconds(DAY);
    assert_eq!(
        env.reset(&store, T0, later).unwrap(),
        later,
        "the clock is later"
    );
    let fixed = env.status(&store, later);
    assert!(fixed.warnings.is_empty(), "{:?}", fixed.warnings);
    assert_eq!(fixed.judged_at, later);
    assert!(fixed.decisions.run.allowed);

    // Once: the same reset again, or an older one, is refused and changes
    // nothing (a kept copy cannot undo a later turn of the clock).
    env.status(&store, AHEAD);
    for issued in [T0, T0.plus_seconds(-DAY)] {
        let again = env.reset(&store, issued, later);
        assert!(
            matches!(again, Err(StoreError::ClockResetUsed { .. })),
            "{again:?}"
        );
        assert!(again.unwrap_err().to_string().contains("already applied"));
    }
    assert!(clock_behind(&env.status(&store, later)));
    // A newer one works.
    env.reset(&store, later, later).unwrap();
    assert!(env.status(&store, later).warnings.is_empty());
    // What the store remembers survives reopening (the anchor agrees).
    let reopened = LicenseStore::open(store.dir())
        .unwrap()
        .with_anchor(DirectoryAnchor::new(env.dir.path().join("anchors")));
    let status = env.status(&reopened, later);
    assert!(status.warnings.is_empty(), "{:?}", status.warnings);
}

#[test]
fn a_reset_never_reopens_a_trial() {
    let env = env();
    let store = env.store();
    assert_eq!(
        env.status(&store, T0).standing,
        Standing::Trial { days_left: 30 }
    );
    let week = T0.plus_seconds(7 * DAY);
    assert_eq!(env.status(&store, AHEAD).standing, Standing::TrialOver);
    env.reset(&store, week, week).unwrap();
    // The mark is back, the trial runs by its own start: 23 days, not 30.
    let status = env.status(&store, week);
    assert_eq!(status.standing, Standing::Trial { days_left: 23 });
    assert!(
        status
            .warnings
            .iter()
            .all(|w| !matches!(w, Warning::StateAltered { .. }))
    );
}

#[test]
fn a_reset_for_another_environment_or_signed_by_another_key_is_refused() {
    let env = env();
    let store = env.store();
    env.status(&store, AHEAD);
    let elsewhere = MachineIdentity::pinned("elsewhere").serial().unwrap();
    let other = ClockReset::issue(elsewhere, T0, &env.key).to_bytes();
    let forged = ClockReset::issue(env.serial, T0, &SigningKey::generate()).to_bytes();
    let extension = TrialExtension::issue(env.serial, T0, T0, &env.key).to_bytes();
    for (bytes, want) in [
        (&other, "is for serial"),
        (&forged, "does not trust"),
        (&extension, "not a clock reset file"),
    ] {
        let err = store
            .reset_clock(bytes, &env.validator, &env.serial, T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::Grant(_)), "{err:?}");
        assert!(err.to_string().contains(want), "{err}");
    }
    assert!(clock_behind(&env.status(&store, T0)), "nothing changed");
}

/// `accept` takes whatever the vendor sent: a license, an extension, a reset.
#[test]
fn accept_tells_the_kinds_apart() {
    let env = env();
    let store = env.store();
    let license = store
        .accept(&env.license, &env.validator, &env.serial, T0, false)
        .unwrap();
    assert!(matches!(license, Accepted::License(_)));
    let until = T0.plus_seconds(60 * DAY);
    let extension = TrialExtension::issue(env.serial, until, T0, &env.key).to_bytes();
    match store
        .accept(&extension, &env.validator, &env.serial, T0, false)
        .unwrap()
    {
        Accepted::TrialExtension(e) => assert_eq!(e.until(), until),
        other => panic!("{other:?}"),
    }
    let reset = ClockReset::issue(env.serial, T0, &env.key).to_bytes();
    match store
        .accept(&reset, &env.validator, &env.serial, T0, false)
        .unwrap()
    {
        Accepted::ClockReset {
            latest_time_seen, ..
        } => assert_eq!(latest_time_seen, T0),
        other => panic!("{other:?}"),
    }
}

/// The clock reset vector (docs/FORMAT.md section 12): signed by the test
/// key for serial 1HA-009-DEZ-RD3-PJA-MNH-C1S-91T at 2026-06-01T12:00:00Z.
/// Signatures are deterministic (RFC 6979), so issuing it again gives the
/// same bytes; LICENSING_BLESS_VECTORS=1 writes it.
#[test]
fn the_clock_reset_vector_reads_and_reissues_byte_for_byte() {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let path = vectors.join("clock-reset.lic");
    let pem = std::fs::read_to_string(vectors.join("test-signing-key.pem")).unwrap();
    let key = SigningKey::from_pem(&pem).unwrap();
    let serial: SerialNumber = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T".parse().unwrap();
    let at: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
    let issued = ClockReset::issue(serial, at, &key).to_bytes();
    if std::env::var_os("LICENSING_BLESS_VECTORS").is_some() {
        std::fs::write(&path, &issued).unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes, issued);
    let reset = ClockReset::parse(&bytes).unwrap();
    reset
        .verify(&TrustedKeys::new([key.public_key().clone()]), &serial)
        .unwrap();
    assert_eq!(reset.latest_time_seen(), at);
    assert_eq!(reset.issued_at(), at);
}

/// Real time: files written while the clock was ahead would be evidence of
/// that time (src/store/file_times.rs); the reset forgets them too, or the
/// next status would raise the mark again.
#[test]
fn a_reset_also_forgets_the_files_written_while_the_clock_was_ahead() {
    let env = env();
    let store = env.store();
    let now = Timestamp::now();
    store
        .install(&env.license, &env.validator, &env.serial, now, false)
        .unwrap();
    let ahead = now.plus_seconds(400 * DAY);
    env.status(&store, ahead);
    // As if written then: a year and more ahead of the system clock.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(400 * 86_400);
    for entry in std::fs::read_dir(store.dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(later).unwrap();
        }
    }
    assert!(clock_behind(&env.status(&store, now)));
    let reset = ClockReset::issue(env.serial, now, &env.key).to_bytes();
    store
        .reset_clock(&reset, &env.validator, &env.serial, now)
        .unwrap();
    for _ in 0..2 {
        let status = env.status(&store, now);
        assert!(status.warnings.is_empty(), "{:?}", status.warnings);
        assert_eq!(status.judged_at, now);
    }
}

/// A reset kept for later cannot turn the mark back to its day long after:
/// it applies within CLOCK_RESET_VALID_DAYS of its issue.
#[test]
fn a_reset_is_applied_soon_after_its_issue_or_not_at_all() {
    let env = env();
    let store = env.store();
    env.status(&store, AHEAD);
    let last_day = T0.plus_seconds(CLOCK_RESET_VALID_DAYS * DAY);
    let late = env.reset(&store, T0, last_day.plus_seconds(1));
    match late {
        Err(e @ StoreError::ClockResetTooOld { .. }) => {
            assert!(
                e.to_string()
                    .contains("if the clock is wrong, set it right"),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        clock_behind(&env.status(&store, last_day)),
        "nothing changed"
    );
    assert_eq!(env.reset(&store, T0, last_day).unwrap(), last_day);
}

/// Which resets were applied is kept by the anchor too: deleting the state
/// (itself an alteration) does not make a reset apply again.
#[test]
fn deleting_the_state_does_not_let_a_reset_apply_twice() {
    let env = env();
    let store = env.store();
    env.status(&store, AHEAD);
    env.reset(&store, T0, T0).unwrap();
    std::fs::remove_file(store.dir().join("state")).unwrap();
    env.status(&store, T0);
    let again = env.reset(&store, T0, T0);
    assert!(
        matches!(again, Err(StoreError::ClockResetUsed { .. })),
        "{again:?}"
    );
}

/// An anchor that cannot take the reset would raise the mark again at the
/// next read: the reset is refused, saying so, and nothing changes.
#[test]
fn a_reset_the_anchor_cannot_keep_is_refused() {
    #[derive(Debug)]
    struct ReadOnly(DirectoryAnchor);
    impl Anchor for ReadOnly {
        fn load(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
            self.0.load(key)
        }
        fn save(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
            Err(std::io::ErrorKind::PermissionDenied.into())
        }
    }
    let env = env();
    let store = env.store();
    env.status(&store, AHEAD);
    let read_only = LicenseStore::open(store.dir())
        .unwrap()
        .with_anchor(ReadOnly(DirectoryAnchor::new(
            env.dir.path().join("anchors"),
        )));
    let err = env.reset(&read_only, T0, T0).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("anchor"), "{err}");
    assert!(clock_behind(&env.status(&store, T0)), "nothing changed");
    assert_eq!(env.reset(&store, T0, T0).unwrap(), T0, "not used up");
}
