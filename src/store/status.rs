//! What an administrator's licensing page shows, the warnings, and the
//! named decisions: may the environment run, publish, administer?

use super::{LicenseStore, StoreError, state::StoreState};
use crate::fingerprint::kinds_in_words;
use crate::license_file::LicenseFile;
use crate::limit::{APPLICATION_OBJECTS, EXTERNAL_USERS, INTERNAL_USERS};
use crate::time::DAY;
use crate::validation::{LicenseState, ValidatedLicense, ValidationError, Validator};
use crate::{Enforcement, License, Limit, SerialNumber, Timestamp, Usage};
use std::collections::BTreeMap;
use std::fmt;

/// Days an environment runs on the trial when no license was ever
/// installed.
///
/// ```
/// assert_eq!(licensing::TRIAL_DAYS, 30);
/// ```
pub const TRIAL_DAYS: u32 = 30;

/// The trial's limits: 10 internal users, 100 external users (soft), 150
/// application objects (hard); no features.
///
/// ```
/// use licensing::{Enforcement, Limit, trial_limits};
///
/// let limits = trial_limits();
/// assert_eq!(limits.len(), 3);
/// assert!(limits.contains(&Limit::new("application-objects", 150, Enforcement::Hard)));
/// assert!(limits.contains(&Limit::new("internal-users", 10, Enforcement::Soft)));
/// ```
pub fn trial_limits() -> Vec<Limit> {
    vec![
        Limit::new(APPLICATION_OBJECTS, 150, Enforcement::Hard),
        Limit::new(EXTERNAL_USERS, 100, Enforcement::Soft),
        Limit::new(INTERNAL_USERS, 10, Enforcement::Soft),
    ]
}

/// Where the environment stands.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// use licensing::{LicenseState, LicenseStore, Standing, TRIAL_DAYS};
///
/// let dir = tempfile::tempdir()?;
/// let store = LicenseStore::create(dir.path())?;
/// let standing = |at| store.status(&validator, &serial, at, &Default::default()).map(|s| s.standing);
/// assert_eq!(standing(now)?, Standing::Trial { days_left: TRIAL_DAYS });
/// store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// assert_eq!(standing(now)?, Standing::Licensed(LicenseState::Active));
/// // The sample license ends with 2099 and has 30 days of grace.
/// // An expired license is shown (it was verified but for its dates).
/// assert!(matches!(standing("2100-03-01T00:00:00Z".parse()?)?, Standing::Expired(l) if *l == *file.license()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// A valid license is installed.
    Licensed(LicenseState),
    /// The installed license expired and its grace period ended. It is
    /// here for its terms to be shown: its signature and serial were
    /// verified, only its dates are past.
    Expired(Box<License>),
    /// The installed license is not valid here (another serial, untrusted
    /// key, damaged file, ...).
    Invalid(ValidationError),
    /// No license was ever installed: the trial runs.
    Trial {
        /// Days until the trial ends, rounded up.
        days_left: u32,
    },
    /// No license was ever installed and the trial is over.
    TrialOver,
}

/// A condition the administrator should act on; its message says what to
/// do.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// use licensing::{DAY, Warning};
///
/// store.status(&validator, &serial, now, &Default::default())?; // starts the trial
/// let later = store.status(&validator, &serial, now.plus_seconds(25 * DAY), &Default::default())?;
/// assert_eq!(later.warnings, [Warning::TrialEndsSoon { days: 5 }]);
/// assert_eq!(later.warnings[0].to_string(), "the trial ends within 5 days: install a license");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The license ends soon.
    ExpiresSoon {
        /// Days left.
        days: u32,
    },
    /// The license ended; its grace period runs.
    InGrace {
        /// Days left to install a new license.
        days: u32,
    },
    /// The license ended and so did its grace period.
    Expired,
    /// The installed license is not valid here.
    Invalid(String),
    /// The trial ends soon (within its last 7 days).
    TrialEndsSoon {
        /// Days left.
        days: u32,
    },
    /// The trial is over and no license is installed.
    TrialOver,
    /// Usage above a limit.
    OverLimit {
        /// The limit's name.
        name: String,
        /// The usage reported.
        usage: u64,
        /// The limit.
        value: u64,
        /// Whether the limit blocks.
        enforcement: Enforcement,
    },
    /// This environment's serial number changed because too many of its
    /// hardware components changed, and the license was issued for the
    /// previous one.
    SerialChanged {
        /// The serial the license was issued for.
        previous: SerialNumber,
        /// This environment's serial now.
        current: SerialNumber,
        /// The kinds of the components that changed.
        changed: Vec<String>,
    },
    /// The store's state file was edited, damaged, copied from another
    /// store or environment, or deleted though a license was installed:
    /// the trial is over for good (a valid license keeps running).
    StateAltered {
        /// When it was found.
        since: Timestamp,
        /// What was wrong with the file, when it was found by this call.
        reason: Option<String>,
    },
    /// The store could not be written (a read-only directory, say): the
    /// status is right, but what it saw (the latest time, the trial's
    /// start) is not remembered.
    StateNotSaved {
        /// What the operating system said.
        reason: String,
    },
    /// The clock is behind the latest time seen by more than the tolerance.
    ClockBehind {
        /// The clock's time.
        now: Timestamp,
        /// The latest time seen.
        latest_seen: Timestamp,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::ExpiresSoon { days } => write!(
                f,
                "this license expires within {days} days: renew the subscription"
            ),
            Warning::InGrace { days } => write!(
                f,
                "this license has expired: request a new license within {days} days"
            ),
            Warning::Expired => f.write_str(
                "this license has expired and its grace period is over: install a new license",
            ),
            Warning::Invalid(reason) => {
                write!(f, "the installed license is not valid here: {reason}")
            }
            Warning::TrialEndsSoon { days } => {
                write!(f, "the trial ends within {days} days: install a license")
            }
            Warning::TrialOver => f.write_str("the trial is over: install a license"),
            Warning::OverLimit {
                name,
                usage,
                value,
                enforcement,
            } => write!(
                f,
                "consuming more than the license allows: {name} {usage}/{value} ({enforcement} limit{})",
                if *enforcement == Enforcement::Hard {
                    ": publishing is blocked"
                } else {
                    ""
                }
            ),
            Warning::SerialChanged {
                previous,
                current,
                changed,
            } => write!(
                f,
                "this environment's serial number changed from {previous} to {current} because these hardware components changed: {}; register {current} under the activation code with {}, install the license issued for it (then release {previous})",
                kinds_in_words(changed),
                crate::license_source()
            ),
            Warning::StateAltered { since, reason } => {
                write!(f, "the licensing state of this store was altered or reset")?;
                if let Some(reason) = reason {
                    write!(f, " ({reason})")?;
                }
                write!(
                    f,
                    ", found {since}: the trial does not restart (a valid license keeps running); install a license, or ask the vendor for a trial extension"
                )
            }
            Warning::StateNotSaved { reason } => write!(
                f,
                "the license store could not record this status ({reason}): give this process write access to the store's directory, so that the trial and the clock are tracked"
            ),
            Warning::ClockBehind { now, latest_seen } => write!(
                f,
                "the clock of this server says {now} but {latest_seen} was already seen: the clock was turned back; fix the clock (licenses are judged at {latest_seen})"
            ),
        }
    }
}

/// One decision and why.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// # store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// use std::collections::BTreeMap;
///
/// // The sample license allows 450 application objects (hard limit).
/// let usage = BTreeMap::from([("application-objects".to_string(), 451)]);
/// let decisions = store.status(&validator, &serial, now, &usage)?.decisions;
/// assert!(!decisions.publish.allowed);
/// assert_eq!(decisions.publish.reason, "over a hard limit: application-objects 451/450");
/// assert!(decisions.run.allowed, "running applications keep running");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Whether it is allowed.
    pub allowed: bool,
    /// Why, in words.
    pub reason: String,
}

impl Decision {
    fn yes(reason: impl Into<String>) -> Self {
        Self {
            allowed: true,
            reason: reason.into(),
        }
    }
    fn no(reason: impl Into<String>) -> Self {
        Self {
            allowed: false,
            reason: reason.into(),
        }
    }
}

/// The named decisions the runtime enforces.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// use licensing::{DAY, TRIAL_DAYS};
///
/// store.status(&validator, &serial, now, &Default::default())?; // starts the trial
/// let trial_end = now.plus_seconds(i64::from(TRIAL_DAYS) * DAY);
/// let decisions = store.status(&validator, &serial, trial_end, &Default::default())?.decisions;
/// assert!(!decisions.run.allowed && !decisions.publish.allowed);
/// assert_eq!(decisions.run.reason, "the trial is over and no license is installed");
/// assert!(decisions.administer.allowed, "administrators can still install a license");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decisions {
    /// May the environment run applications?
    pub run: Decision,
    /// May new applications (or versions) be published?
    pub publish: Decision,
    /// May administrators work (always: they must be able to install a
    /// license)?
    pub administer: Decision,
}

/// A limit with the usage the host reported.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// # store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// use licensing::Usage;
/// use std::collections::BTreeMap;
///
/// let usage = BTreeMap::from([("application-objects".to_string(), 420)]);
/// let status = store.status(&validator, &serial, now, &usage)?;
/// let find = |name| status.limits.iter().find(|l| l.limit.name == name).expect("set");
/// let objects = find("application-objects");
/// assert_eq!((objects.limit.value, objects.usage, objects.level), (450, Some(420), Some(Usage::Near)));
/// assert_eq!((find("internal-users").usage, find("internal-users").level), (None, None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitStatus {
    /// The limit.
    pub limit: Limit,
    /// The usage reported; `None` when the host gave none.
    pub usage: Option<u64>,
    /// How the usage compares (for a limit summed across the production
    /// environments with a usage summary given: the infrastructure's
    /// total); `None` without usage.
    pub level: Option<Usage>,
    /// For a limit summed across the production environments, when the
    /// store was given the infrastructure's usage summary: the total.
    pub summed: Option<super::SummedUsage>,
}

impl LimitStatus {
    /// The usage the level is judged on: the infrastructure's total for a
    /// summed limit with a summary, else this environment's usage.
    ///
    /// ```
    /// use licensing::{Enforcement, Limit, LimitStatus};
    /// let status = LimitStatus { limit: Limit::new("tenants", 5, Enforcement::Hard), usage: Some(3), level: None, summed: None };
    /// assert_eq!(status.judged_usage(), Some(3));
    /// ```
    pub fn judged_usage(&self) -> Option<u64> {
        self.summed.as_ref().map_or(self.usage, |s| s.total)
    }
}

/// What the administrator's licensing page shows.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// # store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// use licensing::{LicenseState, Standing};
///
/// let status = store.status(&validator, &serial, now, &Default::default())?;
/// assert_eq!(status.standing, Standing::Licensed(LicenseState::Active));
/// assert_eq!(status.judged_at, now);
/// assert_eq!(status.features, ["multi-tenancy", "sap-connector"]);
/// assert_eq!(status.limits.len(), 3);
/// assert!(status.warnings.is_empty());
/// assert!(status.license.is_some_and(|l| l.license().serial_number == serial));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Status {
    /// Where the environment stands.
    pub standing: Standing,
    /// The valid license, when one is installed.
    pub license: Option<ValidatedLicense>,
    /// The time the license was judged at (the clock, or the latest time
    /// seen when the clock is behind it).
    pub judged_at: Timestamp,
    /// The features granted.
    pub features: Vec<String>,
    /// Each limit with its usage.
    pub limits: Vec<LimitStatus>,
    /// What needs attention.
    pub warnings: Vec<Warning>,
    /// Run, publish, administer.
    pub decisions: Decisions,
}

impl Status {
    /// Days left, with one meaning on every surface: until the license
    /// expires (active or expiring soon), until its grace period ends (in
    /// grace), until the trial ends (trial); 0 when the environment is
    /// expired, not validly licensed or past its trial; `None` for a
    /// license that never expires.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// # let dir = tempfile::tempdir()?;
    /// # let store = licensing::LicenseStore::create(dir.path())?;
    /// let on_trial = store.status(&validator, &serial, now, &Default::default())?;
    /// assert_eq!(on_trial.days_left(), Some(licensing::TRIAL_DAYS));
    /// store.install(&file.to_bytes(), &validator, &serial, now, false)?;
    /// // The sample license runs from 2026-01-01 to the end of 2099.
    /// let licensed = store.status(&validator, &serial, now, &Default::default())?;
    /// assert_eq!(licensed.days_left(), Some(now.days_until(file.license().expires_at.unwrap())));
    /// assert!(licensed.days_left() > Some(365 * 73));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn days_left(&self) -> Option<u32> {
        match &self.standing {
            Standing::Licensed(_) => self.license.as_ref()?.days_left(),
            Standing::Trial { days_left } => Some(*days_left),
            Standing::Expired(_) | Standing::Invalid(_) | Standing::TrialOver => Some(0),
        }
    }
}

impl LicenseStore {
    /// The environment's licensing status at `now`, with the host's usage
    /// figures by limit name. Starts the trial on the first call without a
    /// license, records the clock's high-water mark, and records the
    /// usage's daily peaks (see [`LicenseStore::daily_peaks`]).
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// # let dir = tempfile::tempdir()?;
    /// # let store = licensing::LicenseStore::create(dir.path())?;
    /// use licensing::Standing;
    /// use std::collections::BTreeMap;
    ///
    /// let usage = BTreeMap::from([("application-objects".to_string(), 151)]);
    /// let status = store.status(&validator, &serial, now, &usage)?;
    /// assert_eq!(status.standing, Standing::Trial { days_left: 30 });
    /// assert!(status.decisions.run.allowed);
    /// assert!(!status.decisions.publish.allowed, "the trial allows 150 application objects");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(
        &self,
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
        usage: &BTreeMap<String, u64>,
    ) -> Result<Status, StoreError> {
        let mut warnings = Vec::new();
        let (state, active) = self.update_state(serial, now, usage, &mut warnings)?;
        let at = Self::effective(&state, now);
        Ok(self.judge(validator, serial, &state, active, at, usage, warnings))
    }

    /// What [`status`](Self::status) would say at `at`, a time of the
    /// caller's choosing (to see what expiry or the trial's end will look
    /// like), changing nothing: no trial is started, the latest time seen
    /// stays, no file is written, and `at` is not compared with the clock.
    /// A store whose trial has not started is shown as if it started at
    /// `at`.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// # let dir = tempfile::tempdir()?;
    /// # let store = licensing::LicenseStore::create(dir.path())?;
    /// use licensing::Standing;
    ///
    /// store.install(&file.to_bytes(), &validator, &serial, now, false)?;
    /// let state = std::fs::read(dir.path().join("state"))?;
    /// // The sample license ends with 2099: what the page will say in 2100.
    /// let later = store.preview(&validator, &serial, "2100-03-01T00:00:00Z".parse()?, &Default::default())?;
    /// assert!(matches!(later.standing, Standing::Expired(_)));
    /// assert_eq!(std::fs::read(dir.path().join("state"))?, state, "nothing was written");
    /// // Back to now: no clock turned back, still licensed.
    /// let status = store.status(&validator, &serial, now, &Default::default())?;
    /// assert!(status.warnings.is_empty() && status.decisions.run.allowed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn preview(
        &self,
        validator: &Validator,
        serial: &SerialNumber,
        at: Timestamp,
        usage: &BTreeMap<String, u64>,
    ) -> Result<Status, StoreError> {
        let loaded = self.read_state(serial, at)?;
        let mut state = loaded.state;
        let active = self.read_optional(super::ACTIVE)?;
        if active.is_none() && !state.licensed && state.trial_started.is_none() {
            state.trial_started = Some(at);
        }
        let warnings = altered_warning(&state, loaded.altered)
            .into_iter()
            .collect();
        Ok(self.judge(validator, serial, &state, active, at, usage, warnings))
    }

    /// The status of the store holding `state` and the active license's
    /// bytes, judged at `at`.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        validator: &Validator,
        serial: &SerialNumber,
        state: &StoreState,
        active: Option<Vec<u8>>,
        at: Timestamp,
        usage: &BTreeMap<String, u64>,
        mut warnings: Vec<Warning>,
    ) -> Status {
        let (standing, license) = match active {
            Some(bytes) => match validator.validate(&bytes, serial, None, at) {
                Ok(v) => (Standing::Licensed(v.state()), Some(v)),
                Err(e @ ValidationError::Expired { .. }) => match LicenseFile::parse(&bytes) {
                    // Verified: the validator checks dates last.
                    Ok(file) => (Standing::Expired(Box::new(file.into_license())), None),
                    Err(_) => (Standing::Invalid(e), None),
                },
                Err(e) => (Standing::Invalid(e), None),
            },
            None => {
                // A license was installed once and is gone: the trial ended
                // with that install and does not come back; nor after the
                // store's state was altered or reset. A trial extension the
                // vendor signed for this environment runs whatever happened.
                let trial = (!state.licensed && state.altered.is_none()).then(|| {
                    state
                        .trial_started
                        .unwrap_or(at)
                        .plus_seconds(i64::from(TRIAL_DAYS) * DAY)
                });
                let extended = self.trial_extension(validator, serial);
                let ends = match (trial, extended) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                if let Some(ends) = ends.filter(|ends| at < *ends) {
                    (
                        Standing::Trial {
                            days_left: at.days_until(ends),
                        },
                        None,
                    )
                } else {
                    (Standing::TrialOver, None)
                }
            }
        };
        let (features, limits) = match (&license, &standing) {
            (Some(v), _) => (v.license().features.clone(), v.license().limits.clone()),
            (None, Standing::Trial { .. }) => (Vec::new(), trial_limits()),
            _ => (Vec::new(), Vec::new()),
        };
        // The infrastructure's summary, for the limits summed across the
        // production environments of this license's infrastructure.
        let summed_by = license.as_ref().and_then(|v| {
            let l = v.license();
            let summary = self.usage_summary()?;
            (summary.activation_code == l.activation_code).then(|| (summary, l.summed_limits()))
        });
        let limits: Vec<LimitStatus> = limits
            .into_iter()
            .map(|limit| {
                let used = usage.get(&limit.name).copied();
                let summed = summed_by
                    .as_ref()
                    .filter(|(_, names)| names.contains(&limit.name))
                    .map(|(summary, _)| {
                        let (others, count) = summary.others(&limit.name, serial);
                        super::SummedUsage {
                            others,
                            environments: count + 1,
                            total: used.map(|u| u.saturating_add(others)),
                            summary_made: summary.created_at,
                        }
                    });
                let judged = summed.as_ref().map_or(used, |s| s.total);
                LimitStatus {
                    level: judged.map(|u| limit.check(u)),
                    usage: used,
                    summed,
                    limit,
                }
            })
            .collect();
        match &standing {
            Standing::Licensed(LicenseState::ExpiringSoon { days_left }) => {
                warnings.push(Warning::ExpiresSoon { days: *days_left })
            }
            Standing::Licensed(LicenseState::InGrace { days_left }) => {
                warnings.push(Warning::InGrace { days: *days_left })
            }
            Standing::Expired(_) => warnings.push(Warning::Expired),
            Standing::Invalid(e) => {
                warnings.push(Warning::Invalid(e.to_string()));
                if let Some(changed) = self.serial_changed(e) {
                    warnings.push(changed);
                }
            }
            Standing::Trial { days_left } if *days_left <= 7 => {
                warnings.push(Warning::TrialEndsSoon { days: *days_left })
            }
            Standing::TrialOver => warnings.push(Warning::TrialOver),
            _ => {}
        }
        for l in &limits {
            if let (Some(used), Some(Usage::OverSoftLimit | Usage::OverHardLimit)) =
                (l.judged_usage(), l.level)
            {
                warnings.push(Warning::OverLimit {
                    name: l.limit.name.clone(),
                    usage: used,
                    value: l.limit.value,
                    enforcement: l.limit.enforcement,
                });
            }
        }
        let decisions = decide(&standing, &limits);
        Status {
            standing,
            license,
            judged_at: at,
            features,
            limits,
            warnings,
            decisions,
        }
    }

    /// The warning that explains a license issued for the serial this
    /// environment had before too many of its components changed.
    fn serial_changed(&self, e: &ValidationError) -> Option<Warning> {
        let ValidationError::WrongSerial {
            license,
            this_environment,
        } = e
        else {
            return None;
        };
        let record = self.recorded_fingerprint()?;
        let replaced = record.replaced?;
        if record.serial_number != *this_environment || replaced.serial_number != *license {
            return None;
        }
        Some(Warning::SerialChanged {
            previous: *license,
            current: *this_environment,
            changed: replaced.changed,
        })
    }

    /// Records the clock, starts the trial and records the usage's daily
    /// peaks; reports a clock turned back. Returns the state and the active
    /// license's bytes, both read once under the lock, so they agree with
    /// each other.
    fn update_state(
        &self,
        serial: &SerialNumber,
        now: Timestamp,
        usage: &BTreeMap<String, u64>,
        warnings: &mut Vec<Warning>,
    ) -> Result<(StoreState, Option<Vec<u8>>), StoreError> {
        // A store this process may not write still answers: without the
        // lock (nothing here will change it) and with a warning.
        let _lock = match self.lock() {
            Err(e) if e.is_read_only() => None,
            lock => Some(lock?),
        };
        let loaded = self.read_state(serial, now)?;
        let mut state = loaded.state;
        warnings.extend(altered_warning(&state, loaded.altered));
        if let Some(latest) = state.high_water
            && now.plus_seconds(self.clock_tolerance) < latest
        {
            warnings.push(Warning::ClockBehind {
                now,
                latest_seen: latest,
            });
        }
        let mut changed = state.observe(now) || loaded.rewrite;
        let active = self.read_optional(super::ACTIVE)?;
        if active.is_none()
            && !state.licensed
            && state.altered.is_none()
            && state.trial_started.is_none()
        {
            state.trial_started = Some(Self::effective(&state, now));
            changed = true;
        }
        if changed {
            match self.write_state(state, serial) {
                Err(e) if e.is_read_only() => warnings.push(Warning::StateNotSaved {
                    reason: e.to_string(),
                }),
                written => written?,
            }
        }
        // The usage's daily peaks, under the same lock. A record that
        // cannot be written never stops the runtime.
        if !usage.is_empty()
            && let Err(e) = self.record_usage(usage, Self::effective(&state, now))
            && !warnings
                .iter()
                .any(|w| matches!(w, Warning::StateNotSaved { .. }))
        {
            warnings.push(Warning::StateNotSaved {
                reason: format!("the usage record: {e}"),
            });
        }
        Ok((state, active))
    }
}

/// The warning of a state found altered or reset (at `state.altered`),
/// with the reason when it was found just now.
fn altered_warning(state: &StoreState, reason: Option<String>) -> Option<Warning> {
    state
        .altered
        .map(|since| Warning::StateAltered { since, reason })
}

/// The decisions for a standing and the limits' usage. Hard limits block
/// publishing only: running applications keep running.
fn decide(standing: &Standing, limits: &[LimitStatus]) -> Decisions {
    let administer = Decision::yes("administrators can always sign in, to install a license");
    let stopped = |why: &str| Decisions {
        run: Decision::no(why),
        publish: Decision::no(why),
        administer: administer.clone(),
    };
    match standing {
        Standing::Expired(_) => return stopped("the license expired and its grace period is over"),
        Standing::Invalid(_) => {
            return stopped("the installed license is not valid for this environment");
        }
        Standing::TrialOver => return stopped("the trial is over and no license is installed"),
        Standing::Licensed(_) | Standing::Trial { .. } => {}
    }
    let over_hard: Vec<String> = limits
        .iter()
        .filter(|l| l.level == Some(Usage::OverHardLimit))
        .map(|l| match &l.summed {
            Some(s) => format!(
                "{} {}/{} summed across {} production environments",
                l.limit.name,
                s.total.unwrap_or(0),
                l.limit.value,
                s.environments
            ),
            None => format!(
                "{} {}/{}",
                l.limit.name,
                l.usage.unwrap_or(0),
                l.limit.value
            ),
        })
        .collect();
    let publish = if over_hard.is_empty() {
        Decision::yes("within the hard limits")
    } else {
        Decision::no(format!("over a hard limit: {}", over_hard.join(", ")))
    };
    let run = match standing {
        Standing::Licensed(LicenseState::InGrace { .. }) => Decision::yes("in the grace period"),
        Standing::Trial { .. } => Decision::yes("on the trial"),
        _ => Decision::yes("licensed"),
    };
    Decisions {
        run,
        publish,
        administer,
    }
}
