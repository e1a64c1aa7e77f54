//! Limits: how much of something a subscription allows, whether going over
//! is blocked (hard) or only warned about (soft), and checks of usage.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Active internal users (users without an e-mail address count here).
///
/// ```
/// use licensing::limit::{Enforcement, INTERNAL_USERS};
///
/// assert_eq!(INTERNAL_USERS, "internal-users");
/// assert_eq!(Enforcement::default_for(INTERNAL_USERS), Enforcement::Soft);
/// ```
pub const INTERNAL_USERS: &str = "internal-users";
/// Active external users.
///
/// ```
/// use licensing::limit::{EXTERNAL_USERS, Enforcement};
///
/// assert_eq!(EXTERNAL_USERS, "external-users");
/// assert_eq!(Enforcement::default_for(EXTERNAL_USERS), Enforcement::Soft);
/// ```
pub const EXTERNAL_USERS: &str = "external-users";
/// Application objects (one per screen, table or API method), counted in
/// production environments only.
///
/// ```
/// use licensing::limit::{APPLICATION_OBJECTS, Enforcement, Scope};
///
/// assert_eq!(APPLICATION_OBJECTS, "application-objects");
/// assert_eq!(Enforcement::default_for(APPLICATION_OBJECTS), Enforcement::Hard);
/// assert_eq!(Scope::default_for(APPLICATION_OBJECTS), Scope::ProductionOnly);
/// ```
pub const APPLICATION_OBJECTS: &str = "application-objects";

/// Whether a limit blocks or warns.
///
/// ```
/// use licensing::Enforcement;
/// assert_eq!("soft".parse::<Enforcement>(), Ok(Enforcement::Soft));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Enforcement {
    /// Going over blocks what the limit guards (for example publishing).
    Hard,
    /// Going over is reported, nothing is blocked.
    Soft,
}

impl Enforcement {
    /// The default for a limit name: application objects are hard, users
    /// and anything else soft.
    ///
    /// ```
    /// use licensing::{Enforcement, limit};
    ///
    /// assert_eq!(Enforcement::default_for(limit::APPLICATION_OBJECTS), Enforcement::Hard);
    /// assert_eq!(Enforcement::default_for("tenants"), Enforcement::Soft);
    /// ```
    pub fn default_for(name: &str) -> Self {
        if name == APPLICATION_OBJECTS {
            Enforcement::Hard
        } else {
            Enforcement::Soft
        }
    }
}

impl fmt::Display for Enforcement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Enforcement::Hard => "hard",
            Enforcement::Soft => "soft",
        })
    }
}

impl std::str::FromStr for Enforcement {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hard" => Ok(Enforcement::Hard),
            "soft" => Ok(Enforcement::Soft),
            other => Err(format!("'{other}' is not a limit kind: use hard or soft")),
        }
    }
}

/// Which environments a limit applies to.
///
/// ```
/// use licensing::{Enforcement, LimitTerms, Purpose, Scope, Terms};
///
/// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
/// let tenants = LimitTerms { value: 5, enforcement: Enforcement::Hard, scope: Scope::ProductionOnly };
/// terms.limits.insert("tenants".into(), tenants);
/// assert_eq!(terms.limits_for(Purpose::Production).len(), 1);
/// assert!(terms.limits_for(Purpose::Development).is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Every environment's license carries the limit.
    AllEnvironments,
    /// Only production environments' licenses carry it, and it applies to
    /// their usage summed across the infrastructure's production
    /// environments (application objects, by default). Each environment
    /// enforces it on its own usage until it is given a usage summary of
    /// the infrastructure (see `licensing usage-summary`).
    ProductionOnly,
}

impl Scope {
    /// The default for a limit name: application objects are production
    /// only, everything else applies everywhere.
    ///
    /// ```
    /// use licensing::{Scope, limit};
    ///
    /// assert_eq!(Scope::default_for(limit::APPLICATION_OBJECTS), Scope::ProductionOnly);
    /// assert_eq!(Scope::default_for(limit::INTERNAL_USERS), Scope::AllEnvironments);
    /// ```
    pub fn default_for(name: &str) -> Self {
        if name == APPLICATION_OBJECTS {
            Scope::ProductionOnly
        } else {
            Scope::AllEnvironments
        }
    }
}

/// A limit as a license carries it: a name, the largest allowed usage and
/// whether going over blocks.
///
/// ```
/// use licensing::{Enforcement, Limit, Usage};
///
/// let users = Limit::new("internal-users", 100, Enforcement::Soft);
/// assert_eq!(users.check(50), Usage::Within);
/// assert_eq!(users.check(95), Usage::Near);
/// assert_eq!(users.check(101), Usage::OverSoftLimit);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Limit {
    /// The limit's name, like `internal-users`.
    pub name: String,
    /// The largest usage allowed.
    pub value: u64,
    /// Whether going over blocks.
    pub enforcement: Enforcement,
}

/// How a usage figure compares with its limit.
///
/// ```
/// use licensing::{Enforcement, Limit, Usage};
///
/// let objects = Limit::new("application-objects", 450, Enforcement::Hard);
/// assert_eq!(objects.check(404), Usage::Within);
/// assert_eq!(objects.check(405), Usage::Near);
/// assert_eq!(objects.check(451), Usage::OverHardLimit);
/// # let license = licensing::testing::sample_license();
/// assert_eq!(license.check_usage("tenants", 1_000), Usage::Unlimited);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Usage {
    /// The license sets no such limit.
    Unlimited,
    /// Below 90% of the limit.
    Within,
    /// From 90% up to the limit itself (still allowed).
    Near,
    /// Over a soft limit: warn, block nothing.
    OverSoftLimit,
    /// Over a hard limit: block what the limit guards.
    OverHardLimit,
}

impl Limit {
    /// A limit named `name` allowing up to `value`.
    ///
    /// ```
    /// use licensing::{Enforcement, Limit};
    ///
    /// let users = Limit::new("internal-users", 100, Enforcement::Soft);
    /// assert_eq!(users.name, "internal-users");
    /// assert_eq!((users.value, users.enforcement), (100, Enforcement::Soft));
    /// ```
    pub fn new(name: impl Into<String>, value: u64, enforcement: Enforcement) -> Self {
        Self {
            name: name.into(),
            value,
            enforcement,
        }
    }

    /// The least usage that [`check`](Self::check) calls [`Usage::Near`]
    /// (or over): with it, the check is two comparisons that a binding can
    /// make in its own language without a rule of its own. Over when
    /// `usage > value`, else Near when `usage >= near_from()`, else Within.
    ///
    /// ```
    /// use licensing::{Enforcement, Limit, Usage};
    ///
    /// let objects = Limit::new("application-objects", 450, Enforcement::Hard);
    /// assert_eq!(objects.near_from(), 405);
    /// assert_eq!(objects.check(404), Usage::Within);
    /// assert_eq!(objects.check(405), Usage::Near);
    /// // A limit of 0 has no Near zone: 0 is within, 1 is over.
    /// assert_eq!(Limit::new("tenants", 0, Enforcement::Soft).near_from(), 1);
    /// ```
    pub fn near_from(&self) -> u64 {
        if self.value == 0 {
            return 1;
        }
        // ceil(9 * value / 10), exact for the whole u64 range.
        let nine_tenths = (u128::from(self.value) * 9).div_ceil(10);
        nine_tenths as u64
    }

    /// Compares `usage` with this limit; usage from 90% of the limit up to
    /// the limit is [`Usage::Near`].
    ///
    /// ```
    /// use licensing::{Enforcement, Limit, Usage};
    ///
    /// let users = Limit::new("internal-users", 100, Enforcement::Soft);
    /// assert_eq!(users.check(89), Usage::Within);
    /// assert_eq!(users.check(90), Usage::Near);
    /// assert_eq!(users.check(100), Usage::Near);
    /// assert_eq!(users.check(101), Usage::OverSoftLimit);
    /// ```
    #[inline]
    pub fn check(&self, usage: u64) -> Usage {
        if usage > self.value {
            match self.enforcement {
                Enforcement::Hard => Usage::OverHardLimit,
                Enforcement::Soft => Usage::OverSoftLimit,
            }
        } else if u128::from(usage) * 10 >= u128::from(self.value) * 9 && self.value > 0 {
            Usage::Near
        } else {
            Usage::Within
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_levels() {
        let hard = Limit::new(APPLICATION_OBJECTS, 450, Enforcement::Hard);
        assert_eq!(hard.check(0), Usage::Within);
        assert_eq!(hard.check(404), Usage::Within);
        assert_eq!(hard.check(405), Usage::Near);
        assert_eq!(hard.check(450), Usage::Near);
        assert_eq!(hard.check(451), Usage::OverHardLimit);
        assert_eq!(hard.check(u64::MAX), Usage::OverHardLimit);
        let zero = Limit::new("tenants", 0, Enforcement::Soft);
        assert_eq!(zero.check(0), Usage::Within);
        assert_eq!(zero.check(1), Usage::OverSoftLimit);
        let huge = Limit::new("x", u64::MAX, Enforcement::Soft);
        assert_eq!(huge.check(u64::MAX), Usage::Near);
    }

    /// What a binding computes from `value`, `near_from` and the kind is
    /// what `check` says, for every usage around each threshold.
    #[test]
    fn the_bounds_give_the_same_answers_as_check() {
        let compare = |l: &Limit, usage: u64| {
            if usage > l.value {
                match l.enforcement {
                    Enforcement::Hard => Usage::OverHardLimit,
                    Enforcement::Soft => Usage::OverSoftLimit,
                }
            } else if usage >= l.near_from() {
                Usage::Near
            } else {
                Usage::Within
            }
        };
        let mut values: Vec<u64> = (0..2000).collect();
        values.extend([u64::MAX, u64::MAX - 1, u64::MAX / 9, u64::MAX / 10, 1 << 63]);
        for value in values {
            for enforcement in [Enforcement::Hard, Enforcement::Soft] {
                let l = Limit::new("x", value, enforcement);
                let n = l.near_from();
                for usage in [
                    0,
                    1,
                    n.saturating_sub(1),
                    n,
                    n.saturating_add(1),
                    value,
                    value.saturating_add(1),
                    u64::MAX,
                ] {
                    assert_eq!(compare(&l, usage), l.check(usage), "{value} {usage}");
                }
            }
        }
    }

    #[test]
    fn defaults_follow_the_domain() {
        assert_eq!(
            Enforcement::default_for(APPLICATION_OBJECTS),
            Enforcement::Hard
        );
        assert_eq!(
            Scope::default_for(APPLICATION_OBJECTS),
            Scope::ProductionOnly
        );
        assert_eq!(Enforcement::default_for(INTERNAL_USERS), Enforcement::Soft);
        assert_eq!(Scope::default_for(EXTERNAL_USERS), Scope::AllEnvironments);
    }
}
