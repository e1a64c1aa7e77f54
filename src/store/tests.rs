use super::*;
use crate::testing::sample_infrastructure;
use crate::{
    DAY, Infrastructure, License, LicenseState, SigningKey, SigningRequest, Standing, TrustedKeys,
    Usage, Validator, Warning, issue,
};
use std::collections::BTreeMap;

const T0: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

struct Env {
    _dir: tempfile::TempDir,
    store: LicenseStore,
    infra: Infrastructure,
    serial: SerialNumber,
    key: SigningKey,
    validator: Validator,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store = LicenseStore::create(dir.path().join("store")).unwrap();
    let (infra, serial, key) = sample_infrastructure();
    let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    Env {
        _dir: dir,
        store,
        infra,
        serial,
        key,
        validator,
    }
}

impl Env {
    /// A license of `revision` expiring `days` after T0 (None: never).
    fn license(&self, revision: u32, days: Option<i64>) -> Vec<u8> {
        let mut l: License = issue(&self.infra, &self.serial, &self.key, T0)
            .unwrap()
            .into_license();
        l.revision = revision;
        l.expires_at = days.map(|d| T0.plus_seconds(d * DAY));
        l.grace_days = 30;
        SigningRequest::new(l, self.key.public_key().key_id())
            .unwrap()
            .sign(&self.key)
            .unwrap()
            .to_bytes()
    }

    fn install(&self, bytes: &[u8], at: Timestamp, force: bool) -> Result<Installed, StoreError> {
        self.store
            .install(bytes, &self.validator, &self.serial, at, force)
    }

    fn status(&self, at: Timestamp, usage: &[(&str, u64)]) -> Status {
        let usage: BTreeMap<String, u64> = usage.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        self.store
            .status(&self.validator, &self.serial, at, &usage)
            .unwrap()
    }

    fn active_revision(&self, at: Timestamp) -> Option<u32> {
        self.store
            .active(&self.validator, &self.serial, at)
            .unwrap()
            .map(|r| r.unwrap().license().revision)
    }
}

#[test]
fn install_keeps_the_previous_license_as_backup() {
    let e = env();
    assert_eq!(
        e.install(&e.license(1, None), T0, false).unwrap().replaced,
        Replaced::Nothing
    );
    let second = e.install(&e.license(2, None), T0, false).unwrap();
    assert_eq!(second.replaced, Replaced::Revision(1));
    assert_eq!(e.active_revision(T0), Some(2));
    let backup = std::fs::read(e.store.dir().join(BACKUP)).unwrap();
    assert_eq!(LicenseFile::parse(&backup).unwrap().license().revision, 1);
}

#[test]
fn an_invalid_license_is_not_installed() {
    let e = env();
    e.install(&e.license(1, None), T0, false).unwrap();
    let mut damaged = e.license(2, None);
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert!(matches!(
        e.install(&damaged, T0, false),
        Err(StoreError::Invalid(ValidationError::BadSignature { .. }))
    ));
    assert_eq!(e.active_revision(T0), Some(1));
}

#[test]
fn an_older_revision_needs_force() {
    let e = env();
    e.install(&e.license(5, None), T0, false).unwrap();
    let err = e.install(&e.license(4, None), T0, false).unwrap_err();
    assert!(matches!(
        err,
        StoreError::Downgrade {
            installed: 5,
            offered: 4
        }
    ));
    assert!(err.to_string().contains("force"), "{err}");
    assert_eq!(e.active_revision(T0), Some(5));
    e.install(&e.license(4, None), T0, true).unwrap();
    assert_eq!(e.active_revision(T0), Some(4));
    // The same revision again (a re-download) is fine.
    e.install(&e.license(4, None), T0, false).unwrap();
}

#[test]
fn an_expired_backup_is_not_restored_and_says_so() {
    let e = env();
    // Revision 1 ends before T0 + 400 days, revision 2 does not.
    e.install(&e.license(1, Some(100)), T0, false).unwrap();
    e.install(&e.license(2, None), T0, false).unwrap();
    let later = T0.plus_seconds(400 * DAY);
    let err = e.store.restore(&e.validator, &e.serial, later).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::InvalidBackup(ValidationError::Expired { .. })
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("not restored"), "{message}");
    assert!(!message.contains("installed:"), "{message}");
    assert_eq!(e.active_revision(later), Some(2));
}

#[test]
fn restore_swaps_back_and_can_be_undone() {
    let e = env();
    assert!(matches!(
        e.store.restore(&e.validator, &e.serial, T0),
        Err(StoreError::NoBackup(_))
    ));
    e.install(&e.license(1, None), T0, false).unwrap();
    e.install(&e.license(2, None), T0, false).unwrap();
    let restored = e.store.restore(&e.validator, &e.serial, T0).unwrap();
    assert_eq!(restored.license.license().revision, 1);
    assert_eq!(restored.replaced, Replaced::Revision(2));
    assert_eq!(e.active_revision(T0), Some(1));
    e.store.restore(&e.validator, &e.serial, T0).unwrap();
    assert_eq!(e.active_revision(T0), Some(2));
}

#[test]
fn backup_shows_what_restore_would_bring_back_and_changes_nothing() {
    let e = env();
    let backup = |at| e.store.backup(&e.validator, &e.serial, at);
    assert!(matches!(backup(T0), Err(StoreError::NoBackup(_))));
    e.install(&e.license(1, Some(100)), T0, false).unwrap();
    assert!(matches!(backup(T0), Err(StoreError::NoBackup(_))));
    e.install(&e.license(2, None), T0, false).unwrap();
    let files = |name| std::fs::read(e.store.dir().join(name)).unwrap();
    let before = (files(ACTIVE), files(BACKUP));
    assert_eq!(backup(T0).unwrap().license().revision, 1);
    assert_eq!((files(ACTIVE), files(BACKUP)), before);
    assert_eq!(e.active_revision(T0), Some(2));
    // What restore would refuse, backup reports the same way.
    let later = T0.plus_seconds(400 * DAY);
    let err = backup(later).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::InvalidBackup(ValidationError::Expired { .. })
        ),
        "{err:?}"
    );
    // After a restore, the backup is the license it replaced.
    e.store.restore(&e.validator, &e.serial, T0).unwrap();
    assert_eq!(backup(T0).unwrap().license().revision, 2);
}

#[test]
fn the_text_form_is_stored_as_binary() {
    let e = env();
    let bytes = e.license(1, None);
    let text = LicenseFile::parse(&bytes).unwrap().to_armored();
    e.install(text.as_bytes(), T0, false).unwrap();
    assert_eq!(std::fs::read(e.store.dir().join(ACTIVE)).unwrap(), bytes);
}

#[test]
fn the_trial_starts_at_the_first_start_and_ends_after_30_days() {
    let e = env();
    let s = e.status(T0, &[]);
    assert_eq!(s.standing, Standing::Trial { days_left: 30 });
    assert!(s.decisions.run.allowed && s.decisions.publish.allowed);
    assert_eq!(s.limits.len(), trial_limits().len());
    let later = e.status(T0.plus_seconds(25 * DAY), &[]);
    assert_eq!(later.standing, Standing::Trial { days_left: 5 });
    assert!(later.warnings.contains(&Warning::TrialEndsSoon { days: 5 }));
    let over = e.status(T0.plus_seconds(30 * DAY), &[]);
    assert_eq!(over.standing, Standing::TrialOver);
    assert!(!over.decisions.run.allowed && !over.decisions.publish.allowed);
    assert!(over.decisions.administer.allowed);
    assert!(over.warnings.contains(&Warning::TrialOver));
    // Installing a license ends the trial for good.
    e.install(&e.license(1, None), T0.plus_seconds(31 * DAY), false)
        .unwrap();
    let licensed = e.status(T0.plus_seconds(31 * DAY), &[]);
    assert_eq!(licensed.standing, Standing::Licensed(LicenseState::Active));
    assert!(licensed.decisions.run.allowed);
}

#[test]
fn a_clock_turned_back_is_reported_and_never_stretches_a_license() {
    let e = env();
    e.install(&e.license(1, Some(100)), T0, false).unwrap();
    let late = T0.plus_seconds(140 * DAY);
    assert!(matches!(e.status(late, &[]).standing, Standing::Expired(_)));
    // Within the tolerance: quiet, judged at the latest time seen.
    let slightly = e.status(late.plus_seconds(-3600), &[]);
    assert!(
        !slightly
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::ClockBehind { .. }))
    );
    assert_eq!(slightly.judged_at, late);
    // Beyond it: a clock problem, and the license stays expired.
    let rolled = e.status(T0, &[]);
    assert!(rolled.warnings.contains(&Warning::ClockBehind {
        now: T0,
        latest_seen: late
    }));
    assert!(matches!(rolled.standing, Standing::Expired(_)));
    assert!(!rolled.decisions.run.allowed);
    // The mark never moves backwards.
    assert_eq!(e.status(T0, &[]).judged_at, late);
    let custom = e.store.clone().with_clock_tolerance(200 * DAY);
    let usage = BTreeMap::new();
    let tolerant = custom.status(&e.validator, &e.serial, T0, &usage).unwrap();
    assert!(
        !tolerant
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::ClockBehind { .. }))
    );
}

#[test]
fn a_rolled_back_clock_does_not_restart_or_stretch_the_trial() {
    let e = env();
    e.status(T0, &[]);
    e.status(T0.plus_seconds(40 * DAY), &[]);
    assert_eq!(
        e.status(T0.plus_seconds(DAY), &[]).standing,
        Standing::TrialOver
    );
}

#[test]
fn decisions_at_each_state() {
    let e = env();
    let installed = e.license(1, Some(100));
    e.install(&installed, T0, false).unwrap();
    let expired = LicenseFile::parse(&installed).unwrap().into_license();
    let at = |d: i64| T0.plus_seconds(d * DAY);
    let cases = [
        (
            at(10),
            Standing::Licensed(LicenseState::Active),
            true,
            true,
            None,
        ),
        (
            at(90),
            Standing::Licensed(LicenseState::ExpiringSoon { days_left: 10 }),
            true,
            true,
            Some(Warning::ExpiresSoon { days: 10 }),
        ),
        (
            at(110),
            Standing::Licensed(LicenseState::InGrace { days_left: 20 }),
            true,
            true,
            Some(Warning::InGrace { days: 20 }),
        ),
        (
            at(130),
            Standing::Expired(Box::new(expired)),
            false,
            false,
            Some(Warning::Expired),
        ),
    ];
    for (when, standing, run, publish, warning) in cases {
        let s = e.status(when, &[]);
        assert_eq!(s.standing, standing);
        assert_eq!(
            (s.decisions.run.allowed, s.decisions.publish.allowed),
            (run, publish),
            "{standing:?}"
        );
        assert!(s.decisions.administer.allowed);
        match warning {
            Some(w) => {
                assert!(s.warnings.contains(&w), "{:?}", s.warnings);
                let text = w.to_string();
                assert!(
                    text.contains("expires within")
                        || text.contains("expired: request a new license within")
                        || text.contains("grace period is over"),
                    "{text}"
                );
            }
            None => assert!(s.warnings.is_empty(), "{:?}", s.warnings),
        }
    }
}

#[test]
fn hard_limits_block_publishing_soft_limits_warn() {
    let e = env();
    e.install(&e.license(1, None), T0, false).unwrap();
    let soft = e.status(T0, &[("internal-users", 120), ("application-objects", 100)]);
    assert!(soft.decisions.run.allowed && soft.decisions.publish.allowed);
    let w = soft
        .warnings
        .iter()
        .find(|w| matches!(w, Warning::OverLimit { .. }))
        .unwrap();
    assert!(
        w.to_string()
            .contains("consuming more than the license allows: internal-users 120/100"),
        "{w}"
    );
    let hard = e.status(T0, &[("application-objects", 451)]);
    assert!(
        hard.decisions.run.allowed,
        "running applications keep running"
    );
    assert!(!hard.decisions.publish.allowed);
    assert!(
        hard.decisions
            .publish
            .reason
            .contains("application-objects 451/450")
    );
    let row = hard
        .limits
        .iter()
        .find(|l| l.limit.name == "application-objects")
        .unwrap();
    assert_eq!(row.level, Some(Usage::OverHardLimit));
    // In grace and over a hard limit: runs, does not publish.
    let e2 = env();
    e2.install(&e2.license(1, Some(10)), T0, false).unwrap();
    let grace = e2.status(T0.plus_seconds(15 * DAY), &[("application-objects", 500)]);
    assert!(grace.decisions.run.allowed && !grace.decisions.publish.allowed);
}

#[test]
fn a_license_for_another_environment_stops_it() {
    let e = env();
    e.install(&e.license(1, None), T0, false).unwrap();
    let other =
        SerialNumber::from_components(&[crate::HardwareComponent::new("machine-id", "moved")])
            .unwrap();
    let s = e
        .store
        .status(&e.validator, &other, T0, &BTreeMap::new())
        .unwrap();
    assert!(matches!(
        s.standing,
        Standing::Invalid(ValidationError::WrongSerial { .. })
    ));
    assert!(!s.decisions.run.allowed);
    assert!(s.warnings.iter().any(|w| matches!(w, Warning::Invalid(_))));
}

#[test]
fn concurrent_installs_leave_the_newer_revision() {
    for _ in 0..5 {
        let e = std::sync::Arc::new(env());
        let (older, newer) = (e.license(3, None), e.license(4, None));
        let a = {
            let e = e.clone();
            std::thread::spawn(move || e.install(&older, T0, false).is_ok())
        };
        let b = {
            let e = e.clone();
            std::thread::spawn(move || e.install(&newer, T0, false).is_ok())
        };
        let (_, newer_ok) = (a.join().unwrap(), b.join().unwrap());
        assert!(newer_ok);
        assert_eq!(e.active_revision(T0), Some(4));
    }
}

#[test]
fn a_removed_license_does_not_bring_the_trial_back() {
    let e = env();
    e.install(&e.license(1, None), T0, false).unwrap();
    std::fs::remove_file(e.store.dir().join(ACTIVE)).unwrap();
    for days in [0, 400] {
        let s = e.status(T0.plus_seconds(days * DAY), &[]);
        assert_eq!(s.standing, Standing::TrialOver);
        assert!(!s.decisions.run.allowed);
    }
}

#[test]
fn a_preview_a_year_ahead_changes_nothing() {
    let e = env();
    let files = || -> Vec<(std::ffi::OsString, Vec<u8>)> {
        let mut all: Vec<_> = std::fs::read_dir(e.store.dir())
            .unwrap()
            .map(|f| f.unwrap())
            .map(|f| (f.file_name(), std::fs::read(f.path()).unwrap()))
            .collect();
        all.sort();
        all
    };
    // On the trial, and licensed.
    for install in [false, true] {
        if install {
            e.install(&e.license(1, Some(100)), T0, false).unwrap();
        }
        let now = e.status(T0, &[]);
        let before = files();
        let ahead = e
            .store
            .preview(
                &e.validator,
                &e.serial,
                T0.plus_seconds(365 * DAY),
                &BTreeMap::new(),
            )
            .unwrap();
        assert!(!ahead.decisions.run.allowed, "{:?}", ahead.standing);
        assert_eq!(files(), before, "a preview writes nothing");
        let again = e.status(T0, &[]);
        assert_eq!(again.standing, now.standing);
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    }
}

#[test]
fn open_refuses_a_directory_without_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("stroe");
    assert!(matches!(LicenseStore::open(&typo), Err(StoreError::NotAStore(d)) if d == typo));
    assert!(!typo.exists(), "open creates nothing");
    std::fs::create_dir(&typo).unwrap();
    assert!(matches!(
        LicenseStore::open(&typo),
        Err(StoreError::NotAStore(_))
    ));
    LicenseStore::create(&typo).unwrap();
    LicenseStore::open(&typo).unwrap();
}
