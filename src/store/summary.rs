//! A usage summary given to a production environment's store (kept as the
//! file `usage-summary`): from then on its status judges the limits summed
//! across the production environments on the infrastructure's total, the
//! other environments' latest peaks plus this one's usage.

use super::{LicenseStore, StoreError};
use crate::validation::Validator;
use crate::{SerialNumber, Timestamp, UsageSummary};

/// The store file of the usage summary.
pub(crate) const USAGE_SUMMARY: &str = "usage-summary";

/// How a limit summed across the production environments stands in the
/// infrastructure, by the store's usage summary.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let summary = licensing::testing::usage_summary_for(file.license(), 300, 300);
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// # store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// use std::collections::BTreeMap;
///
/// store.install_usage_summary(summary.to_armored().as_bytes(), &validator, &serial, now)?;
/// let usage = BTreeMap::from([("application-objects".to_string(), 300)]);
/// let status = store.status(&validator, &serial, now, &usage)?;
/// let objects = status.limits.iter().find(|l| l.limit.name == "application-objects").unwrap();
/// let summed = objects.summed.as_ref().expect("a summed limit");
/// assert_eq!((summed.others, summed.total), (300, Some(600)));
/// assert!(!status.decisions.publish.allowed, "600 of 450 across production");
/// assert!(status.decisions.run.allowed, "running applications keep running");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummedUsage {
    /// The other production environments' latest peaks, summed.
    pub others: u64,
    /// The production environments counted, this one included.
    pub environments: usize,
    /// `others` plus this environment's usage; `None` when the host
    /// reported none.
    pub total: Option<u64>,
    /// When the summary was made.
    pub summary_made: Timestamp,
}

impl LicenseStore {
    /// Keeps the infrastructure's usage summary (made by `licensing
    /// usage-summary` from the environments' reports) for the status to
    /// use. Refused without an installed license, or for a summary of
    /// another infrastructure; it replaces an earlier one.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let summary = licensing::testing::usage_summary_for(file.license(), 200, 200);
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// let dir = tempfile::tempdir()?;
    /// let store = licensing::LicenseStore::create(dir.path())?;
    /// let text = summary.to_armored();
    /// assert!(store.install_usage_summary(text.as_bytes(), &validator, &serial, now).is_err(), "no license yet");
    /// store.install(&file.to_bytes(), &validator, &serial, now, false)?;
    /// store.install_usage_summary(text.as_bytes(), &validator, &serial, now)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn install_usage_summary(
        &self,
        bytes: &[u8],
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Result<UsageSummary, StoreError> {
        let summary = UsageSummary::parse(bytes)?;
        let _lock = self.lock()?;
        let active = self
            .read_optional(crate::ACTIVE)?
            .ok_or_else(|| StoreError::NoLicense(self.dir().to_path_buf()))?;
        let file = crate::LicenseFile::parse(&active).map_err(|e| StoreError::Invalid(e.into()))?;
        // The license must be this environment's and verified; its dates
        // do not matter here.
        match validator.validate(&active, serial, None, now) {
            Ok(_) | Err(crate::ValidationError::Expired { .. }) => {}
            Err(e) => return Err(StoreError::Invalid(e)),
        }
        let license = file.license().activation_code;
        if summary.activation_code != license {
            return Err(StoreError::OtherInfrastructure {
                summary: summary.activation_code,
                license,
            });
        }
        self.replace(USAGE_SUMMARY, summary.to_armored().as_bytes())?;
        Ok(summary)
    }

    /// The summary kept, when there is one that can be read.
    pub(crate) fn usage_summary(&self) -> Option<UsageSummary> {
        let bytes = self.read_optional(USAGE_SUMMARY).ok()??;
        UsageSummary::parse(&bytes).ok()
    }
}
