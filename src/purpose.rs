//! What a runtime environment is for, and the type of license that follows.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a runtime environment is for. Each purpose has its own slots in a
/// subscription; there is always exactly one management environment.
///
/// ```
/// use licensing::{LicenseType, Purpose};
///
/// let purpose: Purpose = "non-production".parse()?;
/// assert_eq!(purpose.license_type(), LicenseType::Development);
/// # Ok::<(), licensing::UnknownPurpose>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// Where applications are built.
    Development,
    /// Quality assurance, staging, training: everything before production.
    NonProduction,
    /// Where applications serve their users.
    Production,
    /// The dedicated environment of the management console; it uses no
    /// runtime slot.
    Management,
}

impl Purpose {
    /// Every purpose, in slot order.
    ///
    /// ```
    /// use licensing::Purpose;
    ///
    /// let names: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
    /// assert_eq!(names, ["development", "non-production", "production", "management"]);
    /// ```
    pub const ALL: [Purpose; 4] = [
        Purpose::Development,
        Purpose::NonProduction,
        Purpose::Production,
        Purpose::Management,
    ];

    /// The license type an environment of this purpose gets: production and
    /// management environments run production licenses, the others
    /// development licenses.
    ///
    /// ```
    /// use licensing::{LicenseType, Purpose};
    ///
    /// assert_eq!(Purpose::Management.license_type(), LicenseType::Production);
    /// assert_eq!(Purpose::NonProduction.license_type(), LicenseType::Development);
    /// ```
    pub fn license_type(self) -> LicenseType {
        match self {
            Purpose::Development | Purpose::NonProduction => LicenseType::Development,
            Purpose::Production | Purpose::Management => LicenseType::Production,
        }
    }

    /// The name used in text and JSON, like `non-production`.
    ///
    /// ```
    /// use licensing::Purpose;
    ///
    /// assert_eq!(Purpose::NonProduction.as_str(), "non-production");
    /// assert_eq!(Purpose::NonProduction.to_string(), "non-production");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Development => "development",
            Purpose::NonProduction => "non-production",
            Purpose::Production => "production",
            Purpose::Management => "management",
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A purpose name that is not one of the four.
///
/// ```
/// use licensing::{Purpose, UnknownPurpose};
///
/// let err = "qa".parse::<Purpose>().unwrap_err();
/// assert_eq!(err, UnknownPurpose("qa".into()));
/// assert!(err.to_string().contains("use development, non-production, production or management"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not an environment purpose: use development, non-production, production or management"
)]
pub struct UnknownPurpose(pub String);

impl FromStr for Purpose {
    type Err = UnknownPurpose;
    fn from_str(s: &str) -> Result<Self, UnknownPurpose> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Purpose::ALL
            .into_iter()
            .find(|p| p.as_str() == wanted)
            .ok_or_else(|| UnknownPurpose(s.to_owned()))
    }
}

/// The type of license an environment runs, as the administrator's page
/// shows it.
///
/// ```
/// assert_eq!(licensing::LicenseType::Production.to_string(), "Production");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseType {
    /// For building and testing applications.
    Development,
    /// For serving users.
    Production,
}

impl fmt::Display for LicenseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            LicenseType::Development => "Development",
            LicenseType::Production => "Production",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Purpose::ALL {
            assert_eq!(p.as_str().parse::<Purpose>(), Ok(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
        }
        assert_eq!(
            "Non_Production".parse::<Purpose>(),
            Ok(Purpose::NonProduction)
        );
        let err = "qa".parse::<Purpose>().unwrap_err();
        assert!(err.to_string().contains("non-production"));
    }
}
