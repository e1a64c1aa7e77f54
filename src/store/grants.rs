//! The vendor's grants a store accepts besides licenses: a trial
//! extension (kept as a file of the store, read at every status) and a
//! clock reset (applied once to the state); and the one call that takes
//! any file the vendor sends and does what it is for.

use super::{Installed, LicenseStore, StoreError, TRIAL_EXTENSION};
use crate::validation::Validator;
use crate::{
    CLOCK_RESET_MAGIC, ClockReset, DAY, SerialNumber, TRIAL_EXTENSION_MAGIC, Timestamp,
    TrialExtension,
};

/// How long after its issue a clock reset can be applied, in days.
///
/// ```
/// assert_eq!(licensing::CLOCK_RESET_VALID_DAYS, 30);
/// ```
pub const CLOCK_RESET_VALID_DAYS: i64 = 30;

/// What [`LicenseStore::accept`] did with a file from the vendor.
#[derive(Debug)]
pub enum Accepted {
    /// A license, installed.
    License(Box<Installed>),
    /// A trial extension, installed.
    TrialExtension(TrialExtension),
    /// A clock reset, applied.
    ClockReset {
        /// The reset.
        reset: ClockReset,
        /// The store's latest time seen now: the reset's time, or the
        /// clock when it is later (a clock still set ahead shows here).
        latest_time_seen: Timestamp,
    },
    /// The infrastructure's usage summary, kept for the status.
    UsageSummary(crate::UsageSummary),
}

impl LicenseStore {
    /// Takes any file the vendor sends for this environment, a license, a
    /// trial extension, a clock reset or a usage summary (told apart by
    /// their first bytes or their armor),
    /// and installs or applies it as [`install`](Self::install),
    /// [`install_trial_extension`](Self::install_trial_extension) and
    /// [`reset_clock`](Self::reset_clock) do. `force` is for a license
    /// older than the installed one.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// use licensing::{Accepted, ClockReset, LicenseStore};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path())?;
    /// let accepted = store.accept(&file.to_bytes(), &validator, &serial, now, false)?;
    /// assert!(matches!(accepted, Accepted::License(_)));
    /// let reset = ClockReset::issue(serial, now, &key).to_bytes();
    /// let accepted = store.accept(&reset, &validator, &serial, now, false)?;
    /// assert!(matches!(accepted, Accepted::ClockReset { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn accept(
        &self,
        bytes: &[u8],
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
        force: bool,
    ) -> Result<Accepted, StoreError> {
        if bytes.starts_with(TRIAL_EXTENSION_MAGIC) {
            let extension = self.install_trial_extension(bytes, validator, serial, now)?;
            Ok(Accepted::TrialExtension(extension))
        } else if crate::usage_report::is_summary(bytes) {
            let summary = self.install_usage_summary(bytes, validator, serial, now)?;
            Ok(Accepted::UsageSummary(summary))
        } else if bytes.starts_with(CLOCK_RESET_MAGIC) {
            let (reset, latest_time_seen) = self.reset_clock(bytes, validator, serial, now)?;
            Ok(Accepted::ClockReset {
                reset,
                latest_time_seen,
            })
        } else {
            let installed = self.install(bytes, validator, serial, now, force)?;
            Ok(Accepted::License(Box::new(installed)))
        }
    }

    /// Installs the vendor's trial extension for this environment: the
    /// trial then runs until its end, whatever happened to the store's
    /// state (an alteration, a removed license). Checked by the
    /// validator's trusted keys and against `serial` first; it replaces an
    /// earlier one.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// use licensing::{LicenseStore, Standing, TrialExtension, DAY};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path())?;
    /// store.status(&validator, &serial, now, &Default::default())?; // 30 days
    /// let until = now.plus_seconds(60 * DAY);
    /// let extension = TrialExtension::issue(serial, until, now, &key).to_bytes();
    /// store.install_trial_extension(&extension, &validator, &serial, now)?;
    /// let status = store.status(&validator, &serial, now.plus_seconds(45 * DAY), &Default::default())?;
    /// assert_eq!(status.standing, Standing::Trial { days_left: 15 });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn install_trial_extension(
        &self,
        bytes: &[u8],
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Result<TrialExtension, StoreError> {
        let extension = TrialExtension::parse(bytes)?;
        extension.verify(validator.trusted_keys(), serial)?;
        let _lock = self.lock()?;
        self.replace(TRIAL_EXTENSION, &extension.to_bytes())?;
        let loaded = self.read_state(serial, now)?;
        let mut state = loaded.state;
        if state.observe(now) || loaded.rewrite {
            self.write_state(state, serial)?;
        }
        Ok(extension)
    }

    /// The end of the trial extension installed for `serial`, when one is
    /// installed and valid.
    pub(crate) fn trial_extension(
        &self,
        validator: &Validator,
        serial: &SerialNumber,
    ) -> Option<Timestamp> {
        let bytes = self.read_optional(TRIAL_EXTENSION).ok()??;
        let extension = TrialExtension::parse(&bytes).ok()?;
        extension.verify(validator.trusted_keys(), serial).ok()?;
        Some(extension.until())
    }

    /// Applies the vendor's clock reset for this environment: the latest
    /// time seen goes back to the reset's time (or to `now`, when the clock
    /// is later), so that a clock set ahead by mistake, then fixed, no
    /// longer has licenses judged in that future. The trial is not
    /// reopened, an alteration stays; each reset is applied once and none
    /// older than the last one applied ([`StoreError::ClockResetUsed`]),
    /// and only within [`CLOCK_RESET_VALID_DAYS`] of its issue
    /// ([`StoreError::ClockResetTooOld`]).
    /// Returns the reset and the latest time seen now.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// use licensing::{ClockReset, LicenseStore, StoreError, Warning, DAY};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path())?;
    /// store.install(&file.to_bytes(), &validator, &serial, now, false)?;
    /// // The clock was set four years ahead by mistake, then fixed.
    /// store.status(&validator, &serial, now.plus_seconds(1461 * DAY), &Default::default())?;
    /// let status = store.status(&validator, &serial, now, &Default::default())?;
    /// assert!(matches!(status.warnings[..], [Warning::ClockBehind { .. }]));
    ///
    /// let reset = ClockReset::issue(serial, now, &key).to_bytes();
    /// let (_, latest) = store.reset_clock(&reset, &validator, &serial, now)?;
    /// assert_eq!(latest, now);
    /// let status = store.status(&validator, &serial, now, &Default::default())?;
    /// assert!(status.warnings.is_empty());
    /// // Once only.
    /// let again = store.reset_clock(&reset, &validator, &serial, now);
    /// assert!(matches!(again, Err(StoreError::ClockResetUsed { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reset_clock(
        &self,
        bytes: &[u8],
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Result<(ClockReset, Timestamp), StoreError> {
        let reset = ClockReset::parse(bytes)?;
        reset.verify(validator.trusted_keys(), serial)?;
        let valid_until = reset.issued_at().plus_seconds(CLOCK_RESET_VALID_DAYS * DAY);
        if now > valid_until {
            return Err(StoreError::ClockResetTooOld {
                issued_at: reset.issued_at(),
                valid_until,
                now,
            });
        }
        let _lock = self.lock()?;
        let mut state = self.read_state(serial, now)?.state;
        if state
            .clock_reset
            .is_some_and(|last| last >= reset.issued_at())
        {
            return Err(StoreError::ClockResetUsed {
                issued_at: reset.issued_at(),
            });
        }
        let latest = reset.latest_time_seen().max(now);
        state.high_water = Some(latest);
        state.clock_reset = Some(reset.issued_at());
        // The anchor first: one that keeps the old mark would raise it
        // again at the next read, so a reset it cannot take is refused
        // (write_state saves it again, best effort, as always).
        if let Some(anchor) = self.anchor() {
            let key = super::anchor::key(&self.dir, serial);
            let next = super::state::StoreState {
                counter: state.counter + 1,
                ..state
            };
            let bytes = super::anchor::Remembered::of(&next).to_bytes(&key);
            anchor.save(&key, &bytes).map_err(|source| StoreError::Io {
                action: "save the clock reset in",
                path: "the license store's anchor (LICENSING_ANCHOR_DIR, or the host's)".into(),
                source,
            })?;
        }
        self.write_state(state, serial)?;
        // Files written while the clock was ahead would raise the mark
        // again at the next read (src/store/file_times.rs).
        super::file_times::forget_times_ahead(&self.dir, &Self::TIMED);
        Ok((reset, latest))
    }
}
