//! What one environment is granted: the fields inside a license file.

use crate::extension::Extension;
use crate::limit::{Limit, Usage};
use crate::{ActivationCode, LicenseType, PlatformVersion, Purpose, SerialNumber, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A license's unique id: 16 random bytes, shown as 32 hex digits.
///
/// ```
/// use licensing::LicenseId;
///
/// let id = LicenseId(*b"vector-prod-0001");
/// assert_eq!(id.to_string(), "766563746f722d70726f642d30303031");
/// # let (file, _) = licensing::testing::sample_file();
/// assert_eq!(file.license().license_id.to_string().len(), 32);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LicenseId(pub [u8; 16]);

impl LicenseId {
    /// A fresh random id; fails only when the operating system has no
    /// randomness to give.
    ///
    /// ```
    /// use licensing::LicenseId;
    ///
    /// assert_ne!(LicenseId::generate()?, LicenseId::generate()?);
    /// # Ok::<(), getrandom::Error>(())
    /// ```
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id)?;
        Ok(Self(id))
    }
}

impl fmt::Display for LicenseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for LicenseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LicenseId({self})")
    }
}

/// What one runtime environment is granted. The field order is the order of
/// the postcard encoding inside a license file (see `docs/FORMAT.md`):
/// never reorder. The fields after `features` are format version 2's
/// extensions (section 3.3): a license that sets none of them is written
/// in version 1, which every runtime reads.
///
/// ```
/// # let license = licensing::testing::sample_license();
/// if license.has_feature("multi-tenancy") {
///     // turn multi-tenancy on
/// }
/// assert_eq!(license.check_usage("internal-users", 50), licensing::Usage::Within);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct License {
    /// Unique per issued license.
    pub license_id: LicenseId,
    /// The subscription's revision when issued: a later license for the same
    /// environment has a higher one.
    pub revision: u32,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// Not valid before this instant.
    pub not_before: Timestamp,
    /// The end of the subscription; `None` never expires.
    pub expires_at: Option<Timestamp>,
    /// Days it keeps working after `expires_at`.
    pub grace_days: u16,
    /// The subscription's activation code.
    pub activation_code: ActivationCode,
    /// The environment this license is bound to.
    pub serial_number: SerialNumber,
    /// The environment's name.
    pub environment_name: String,
    /// What the environment is for.
    pub purpose: Purpose,
    /// Development or production.
    pub license_type: LicenseType,
    /// The customer's organization.
    pub organization: String,
    /// The edition.
    pub edition: String,
    /// The support level.
    pub support: String,
    /// The limits that apply to this environment, sorted by name.
    pub limits: Vec<Limit>,
    /// The features granted, sorted.
    pub features: Vec<String>,
    /// The newest platform version the license may run (extension 1,
    /// critical); `None`: any.
    #[serde(skip)]
    pub max_platform_version: Option<PlatformVersion>,
    /// The limits summed across the infrastructure's production
    /// environments (extension 2); `None`: the default, which is
    /// `application-objects` on a production environment. See
    /// [`License::summed_limits`].
    #[serde(skip)]
    pub summed_limits: Option<Vec<String>>,
    /// Extensions this library does not know (non-critical ones: a license
    /// with an unknown critical extension is refused), kept as they are.
    #[serde(skip)]
    pub other_extensions: Vec<Extension>,
}

impl License {
    /// Whether the license grants `feature` (names are compared exactly,
    /// case included).
    ///
    /// ```
    /// # let license = licensing::testing::sample_license();
    /// assert!(license.has_feature("sap-connector"));
    /// assert!(!license.has_feature("SAP-Connector"));
    /// assert!(!license.has_feature("time-travel"));
    /// ```
    // A plain scan: the lookups a runtime makes go through the index of a
    // `ValidatedLicense`, not through here.
    pub fn has_feature(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
    }

    /// The limit named `name`, if the license sets one.
    ///
    /// ```
    /// use licensing::{limit, Enforcement};
    /// # let license = licensing::testing::sample_license();
    ///
    /// let users = license.limit(limit::INTERNAL_USERS).expect("set by the terms");
    /// assert_eq!((users.value, users.enforcement), (100, Enforcement::Soft));
    /// assert!(license.limit("tenants").is_none());
    /// ```
    pub fn limit(&self, name: &str) -> Option<&Limit> {
        self.limits.iter().find(|l| l.name == name)
    }

    /// Compares `usage` with the limit named `name`; [`Usage::Unlimited`]
    /// when the license sets no such limit.
    ///
    /// ```
    /// use licensing::Usage;
    /// # let license = licensing::testing::sample_license();
    ///
    /// assert_eq!(license.check_usage("internal-users", 95), Usage::Near);
    /// assert_eq!(license.check_usage("internal-users", 101), Usage::OverSoftLimit);
    /// assert_eq!(license.check_usage("application-objects", 451), Usage::OverHardLimit);
    /// assert_eq!(license.check_usage("tenants", 1_000_000), Usage::Unlimited);
    /// ```
    #[inline]
    pub fn check_usage(&self, name: &str, usage: u64) -> Usage {
        self.limit(name)
            .map_or(Usage::Unlimited, |l| l.check(usage))
    }

    /// The last day of the subscription (the day before `expires_at`, which
    /// is the first second after it); `None` when it never expires.
    ///
    /// ```
    /// # let mut license = licensing::testing::sample_license();
    /// license.expires_at = Some("2028-01-01T00:00:00Z".parse()?);
    /// assert_eq!(license.end_date().unwrap().to_string(), "2027-12-31");
    /// # Ok::<(), licensing::TimeError>(())
    /// ```
    pub fn end_date(&self) -> Option<crate::Date> {
        self.expires_at.map(|e| e.plus_seconds(-1).date())
    }

    /// When the grace period ends; `None` when the license never expires.
    ///
    /// ```
    /// # let mut license = licensing::testing::sample_license();
    /// license.expires_at = Some("2028-01-01T00:00:00Z".parse()?);
    /// license.grace_days = 14;
    /// assert_eq!(license.grace_ends_at().unwrap().to_string(), "2028-01-15T00:00:00Z");
    /// license.expires_at = None;
    /// assert_eq!(license.grace_ends_at(), None);
    /// # Ok::<(), licensing::TimeError>(())
    /// ```
    pub fn grace_ends_at(&self) -> Option<Timestamp> {
        self.expires_at
            .map(|e| e.plus_seconds(i64::from(self.grace_days) * crate::time::DAY))
    }

    /// The names of the limits summed across the infrastructure's
    /// production environments (their total, not this environment's usage
    /// alone, is what the limit allows), sorted.
    ///
    /// ```
    /// # let mut license = licensing::testing::sample_license();
    /// assert_eq!(license.purpose, licensing::Purpose::Production);
    /// assert_eq!(license.summed_limits(), ["application-objects"]);
    /// license.summed_limits = Some(vec![]);
    /// assert!(license.summed_limits().is_empty());
    /// ```
    pub fn summed_limits(&self) -> Vec<String> {
        match &self.summed_limits {
            Some(names) => {
                let mut names = names.clone();
                names.sort_unstable();
                names.dedup();
                names
            }
            None => crate::extension::default_summed(self),
        }
    }

    /// Puts features and limits in the sorted, duplicate-free order the
    /// lookups rely on, and the summed limits in their one form (`None`
    /// when they are the default).
    pub(crate) fn normalize(&mut self) {
        self.features.sort_unstable();
        self.features.dedup();
        self.limits.sort_by(|a, b| a.name.cmp(&b.name));
        self.limits.dedup_by(|a, b| a.name == b.name);
        if self.summed_limits.is_some() {
            let names = self.summed_limits();
            self.summed_limits = (names != crate::extension::default_summed(self)).then_some(names);
        }
        self.other_extensions.sort_by_key(|e| e.tag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Enforcement;

    #[test]
    fn lookups_agree_for_short_and_long_lists() {
        for n in [0, 1, 5, 16, 17, 40] {
            let mut license = crate::testing::sample_license();
            license.features = (0..n).map(|i| format!("feature-{i}")).collect();
            license.limits = (0..n)
                .map(|i| Limit::new(format!("limit-{i}"), i as u64, Enforcement::Hard))
                .collect();
            license.normalize();
            for i in 0..n {
                assert!(license.has_feature(&format!("feature-{i}")), "{n}: {i}");
                assert_eq!(
                    license.limit(&format!("limit-{i}")).unwrap().value,
                    i as u64
                );
            }
            for absent in ["", "feature-", "feature-999", "limit-0 "] {
                assert!(!license.has_feature(absent));
                assert!(license.limit(absent).is_none());
            }
        }
    }
}
