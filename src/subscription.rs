//! The subscription: what one infrastructure may use, under one activation
//! code that survives every change of terms.

use crate::limit::{Enforcement, Limit, Scope};
use crate::{ActivationCode, Date, PlatformVersion, Purpose};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Runtime environment slots by purpose. The management environment is not
/// counted here: every subscription has exactly one.
///
/// ```
/// use licensing::{Purpose, Slots};
///
/// let slots = Slots { production: 2, ..Slots::default() };
/// assert_eq!(slots.allowed(Purpose::Production), 2);
/// assert_eq!(slots.allowed(Purpose::Development), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Slots {
    /// Development environments.
    pub development: u16,
    /// Non-production environments (quality assurance, staging, ...).
    pub non_production: u16,
    /// Production environments.
    pub production: u16,
}

impl Slots {
    /// How many environments of `purpose` may be registered.
    ///
    /// ```
    /// use licensing::{Purpose, Slots};
    /// let slots = Slots { development: 1, non_production: 2, production: 1 };
    /// assert_eq!(slots.allowed(Purpose::NonProduction), 2);
    /// assert_eq!(slots.allowed(Purpose::Management), 1);
    /// ```
    pub fn allowed(&self, purpose: Purpose) -> u16 {
        match purpose {
            Purpose::Development => self.development,
            Purpose::NonProduction => self.non_production,
            Purpose::Production => self.production,
            Purpose::Management => 1,
        }
    }
}

/// A limit as the subscription states it: its value, whether it is hard or
/// soft, and which environments it applies to.
///
/// ```
/// use licensing::{Enforcement, LimitTerms, Scope};
///
/// let objects = LimitTerms { value: 450, enforcement: Enforcement::Hard, scope: Scope::ProductionOnly };
/// assert_eq!(LimitTerms::with_defaults("application-objects", 450), objects);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitTerms {
    /// The largest usage allowed.
    pub value: u64,
    /// Whether going over blocks.
    pub enforcement: Enforcement,
    /// Which environments' licenses carry it.
    pub scope: Scope,
}

impl LimitTerms {
    /// A limit of `value` with the defaults for `name` (see
    /// [`Enforcement::default_for`] and [`Scope::default_for`]).
    ///
    /// ```
    /// use licensing::{Enforcement, LimitTerms, Scope};
    ///
    /// let users = LimitTerms::with_defaults("internal-users", 100);
    /// assert_eq!(users.value, 100);
    /// assert_eq!(users.enforcement, Enforcement::Soft);
    /// assert_eq!(users.scope, Scope::AllEnvironments);
    /// ```
    pub fn with_defaults(name: &str, value: u64) -> Self {
        Self {
            value,
            enforcement: Enforcement::default_for(name),
            scope: Scope::default_for(name),
        }
    }
}

/// Everything a subscription says, apart from its identity.
///
/// ```
/// use licensing::{Date, LimitTerms, Slots, Terms};
///
/// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
/// terms.ends = Some(Date::new(2027, 12, 31).unwrap());
/// terms.slots = Slots { development: 1, non_production: 1, production: 1 };
/// terms.limits.insert("internal-users".into(), LimitTerms::with_defaults("internal-users", 100));
/// terms.features.insert("multi-tenancy".into());
/// terms.check()?;
/// # Ok::<(), licensing::TermsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Terms {
    /// The customer's organization.
    pub organization: String,
    /// The edition, like `Enterprise`.
    pub edition: String,
    /// The support level, like `premium`.
    pub support: String,
    /// The last day of the subscription; `None` never ends.
    pub ends: Option<Date>,
    /// Days a license keeps working after its end, so renewal can arrive.
    pub grace_days: u16,
    /// Runtime environment slots by purpose.
    pub slots: Slots,
    /// Limits by name.
    pub limits: BTreeMap<String, LimitTerms>,
    /// Named features.
    pub features: BTreeSet<String>,
    /// The newest platform version the subscription covers (a cap of
    /// `11.14` covers `11.14.x` and earlier); `None`: any. Licenses with a
    /// cap are written in format version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_platform_version: Option<PlatformVersion>,
}

/// The default grace period after a subscription ends.
///
/// ```
/// use licensing::{DEFAULT_GRACE_DAYS, Terms};
///
/// assert_eq!(DEFAULT_GRACE_DAYS, 30);
/// assert_eq!(Terms::new("Acme Corp", "Enterprise", "premium").grace_days, DEFAULT_GRACE_DAYS);
/// ```
pub const DEFAULT_GRACE_DAYS: u16 = 30;

/// Terms that cannot be licensed.
///
/// ```
/// use licensing::{Terms, TermsError};
///
/// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
/// terms.features.insert("Multi Tenancy".into());
/// let err = terms.check().unwrap_err();
/// assert!(matches!(err, TermsError::BadName { what: "feature", .. }));
/// assert!(err.to_string().contains("'Multi Tenancy' is not a valid feature name"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    /// A required text field is empty.
    #[error("the {0} is empty: give the subscription's {0}")]
    Empty(&'static str),
    /// A text field is too long for a license file.
    #[error("the {field} has {found} bytes; at most {max} fit in a license file")]
    TooLong {
        /// Which field.
        field: &'static str,
        /// Its length in bytes.
        found: usize,
        /// The most allowed.
        max: usize,
    },
    /// A text field with a control character (a line break, a NUL, ...)
    /// or a bidirectional formatting character (U+202E, ...), which would
    /// garble the licensing page or cut the text short in C.
    #[error("the {0} contains a control character: use printable text only")]
    ControlCharacter(&'static str),
    /// An end date before today: every license issued from the terms
    /// would be expired (or in grace) already.
    #[error(
        "the subscription would end {ends}, before today ({today}): every license issued from it would be expired already; give a later end date, or confirm this one on purpose (--force)"
    )]
    EndsInThePast {
        /// The end date given.
        ends: Date,
        /// Today.
        today: Date,
    },
    /// A feature or limit name that is not lower-case words joined by dashes.
    #[error(
        "'{name}' is not a valid {what} name: use 1 to 64 lower-case letters, digits and dashes, like multi-tenancy"
    )]
    BadName {
        /// `feature` or `limit`.
        what: &'static str,
        /// The name given.
        name: String,
    },
}

const MAX_TEXT: usize = 200;

fn check_name(what: &'static str, name: &str) -> Result<(), TermsError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(TermsError::BadName {
            what,
            name: name.to_owned(),
        })
    }
}

fn check_text(field: &'static str, value: &str) -> Result<(), TermsError> {
    if value.trim().is_empty() {
        return Err(TermsError::Empty(field));
    }
    if value.chars().any(crate::is_unsafe_to_print) {
        return Err(TermsError::ControlCharacter(field));
    }
    if value.len() > MAX_TEXT {
        return Err(TermsError::TooLong {
            field,
            found: value.len(),
            max: MAX_TEXT,
        });
    }
    Ok(())
}

impl Terms {
    /// Terms for `organization` with no end date, the default grace period,
    /// no slots, limits or features yet.
    ///
    /// ```
    /// use licensing::{DEFAULT_GRACE_DAYS, Slots, Terms};
    ///
    /// let terms = Terms::new("Acme Corp", "Enterprise", "premium");
    /// assert_eq!(terms.ends, None);
    /// assert_eq!(terms.grace_days, DEFAULT_GRACE_DAYS);
    /// assert_eq!(terms.slots, Slots::default());
    /// assert!(terms.limits.is_empty() && terms.features.is_empty());
    /// ```
    pub fn new(
        organization: impl Into<String>,
        edition: impl Into<String>,
        support: impl Into<String>,
    ) -> Self {
        Self {
            organization: organization.into(),
            edition: edition.into(),
            support: support.into(),
            ends: None,
            grace_days: DEFAULT_GRACE_DAYS,
            slots: Slots::default(),
            limits: BTreeMap::new(),
            features: BTreeSet::new(),
            max_platform_version: None,
        }
    }

    /// Checks that the terms can be put in a license file.
    ///
    /// ```
    /// use licensing::{Terms, TermsError};
    ///
    /// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
    /// assert_eq!(terms.check(), Ok(()));
    /// terms.organization = "  ".into();
    /// assert_eq!(terms.check(), Err(TermsError::Empty("organization")));
    /// ```
    pub fn check(&self) -> Result<(), TermsError> {
        check_text("organization", &self.organization)?;
        check_text("edition", &self.edition)?;
        check_text("support level", &self.support)?;
        for name in self.limits.keys() {
            check_name("limit", name)?;
        }
        for name in &self.features {
            check_name("feature", name)?;
        }
        Ok(())
    }

    /// Refuses an end date before `today` (checked when an end date is set,
    /// unless the vendor confirms it: a subscription recorded after the
    /// fact).
    ///
    /// ```
    /// use licensing::{Date, Terms, TermsError};
    ///
    /// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
    /// let today = Date::new(2026, 11, 30).unwrap();
    /// terms.ends = Some(Date::new(2020, 1, 1).unwrap());
    /// assert!(matches!(terms.check_end(today), Err(TermsError::EndsInThePast { .. })));
    /// terms.ends = Some(today);
    /// assert_eq!(terms.check_end(today), Ok(()), "the last day may be today");
    /// ```
    pub fn check_end(&self, today: Date) -> Result<(), TermsError> {
        match self.ends {
            Some(ends) if ends < today => Err(TermsError::EndsInThePast { ends, today }),
            _ => Ok(()),
        }
    }

    /// The limits that apply to an environment of `purpose`, sorted by name.
    ///
    /// ```
    /// use licensing::{LimitTerms, Purpose, Terms};
    ///
    /// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
    /// for (name, value) in [("internal-users", 100), ("application-objects", 450)] {
    ///     terms.limits.insert(name.into(), LimitTerms::with_defaults(name, value));
    /// }
    /// let names = |p| terms.limits_for(p).into_iter().map(|l| l.name).collect::<Vec<_>>();
    /// assert_eq!(names(Purpose::Production), ["application-objects", "internal-users"]);
    /// assert_eq!(names(Purpose::Development), ["internal-users"]);
    /// ```
    pub fn limits_for(&self, purpose: Purpose) -> Vec<Limit> {
        let production = purpose == Purpose::Production;
        self.limits
            .iter()
            .filter(|(_, t)| production || t.scope == Scope::AllEnvironments)
            .map(|(name, t)| Limit::new(name.clone(), t.value, t.enforcement))
            .collect()
    }

    /// The limits summed across the production environments (those of
    /// scope [`Scope::ProductionOnly`]), sorted.
    ///
    /// ```
    /// use licensing::{LimitTerms, Terms};
    ///
    /// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
    /// for (name, value) in [("internal-users", 100), ("application-objects", 450)] {
    ///     terms.limits.insert(name.into(), LimitTerms::with_defaults(name, value));
    /// }
    /// assert_eq!(terms.summed_limits(), ["application-objects"]);
    /// ```
    pub fn summed_limits(&self) -> Vec<String> {
        self.limits
            .iter()
            .filter(|(_, t)| t.scope == Scope::ProductionOnly)
            .map(|(name, _)| name.clone())
            .collect()
    }
}

/// A subscription: its activation code, its current terms and a revision
/// that grows with every change of terms.
///
/// ```
/// use licensing::{Subscription, Terms};
///
/// let mut subscription = Subscription::new(Terms::new("Acme Corp", "Enterprise", "standard"))?;
/// let code = subscription.activation_code();
/// let mut renewed = subscription.terms().clone();
/// renewed.support = "premium".into();
/// subscription.amend(renewed)?;
/// assert_eq!(subscription.activation_code(), code);
/// assert_eq!(subscription.revision(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Subscription {
    activation_code: ActivationCode,
    revision: u32,
    terms: Terms,
}

/// Why a subscription could not be created.
///
/// ```
/// use licensing::{Subscription, SubscriptionError, Terms};
///
/// let err = Subscription::new(Terms::new("", "Enterprise", "premium")).unwrap_err();
/// assert!(matches!(err, SubscriptionError::Terms(_)));
/// assert!(err.to_string().contains("the organization is empty"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum SubscriptionError {
    /// The terms cannot be licensed.
    #[error(transparent)]
    Terms(#[from] TermsError),
    /// The operating system gave no randomness for the activation code.
    #[error("the operating system's random number generator failed: {0}")]
    Random(getrandom::Error),
}

impl Subscription {
    /// A new subscription with a fresh random activation code, at revision 1.
    ///
    /// ```
    /// use licensing::{Subscription, Terms};
    ///
    /// let terms = Terms::new("Acme Corp", "Enterprise", "premium");
    /// let subscription = Subscription::new(terms.clone())?;
    /// assert_eq!(subscription.revision(), 1);
    /// assert_eq!(subscription.terms(), &terms);
    /// assert_ne!(Subscription::new(terms)?.activation_code(), subscription.activation_code());
    /// # Ok::<(), licensing::SubscriptionError>(())
    /// ```
    pub fn new(terms: Terms) -> Result<Self, SubscriptionError> {
        terms.check()?;
        let activation_code = ActivationCode::generate().map_err(SubscriptionError::Random)?;
        Ok(Self::with_code(activation_code, terms))
    }

    /// A subscription under an existing activation code, at revision 1 (for
    /// migrations and tests; terms are not checked).
    ///
    /// ```
    /// use licensing::{ActivationCode, Subscription, Terms};
    ///
    /// let code = ActivationCode::generate()?;
    /// let migrated = Subscription::with_code(code, Terms::new("", "Enterprise", "premium"));
    /// assert_eq!(migrated.activation_code(), code);
    /// assert_eq!(migrated.revision(), 1);
    /// assert!(migrated.terms().check().is_err(), "accepted unchecked");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_code(activation_code: ActivationCode, terms: Terms) -> Self {
        Self {
            activation_code,
            revision: 1,
            terms,
        }
    }

    /// Replaces the terms: the activation code stays, the revision grows, so
    /// every license issued from now on supersedes the earlier ones.
    ///
    /// ```
    /// use licensing::{Subscription, Terms};
    ///
    /// let mut subscription = Subscription::new(Terms::new("Acme Corp", "Enterprise", "standard"))?;
    /// let mut bad = subscription.terms().clone();
    /// bad.edition.clear();
    /// assert!(subscription.amend(bad).is_err());
    /// assert_eq!(subscription.revision(), 1, "a refused change does not count");
    /// let mut longer = subscription.terms().clone();
    /// longer.grace_days = 60;
    /// subscription.amend(longer)?;
    /// assert_eq!(subscription.revision(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn amend(&mut self, terms: Terms) -> Result<(), TermsError> {
        terms.check()?;
        self.terms = terms;
        self.revision = self.revision.saturating_add(1);
        Ok(())
    }

    /// The subscription's identity.
    ///
    /// ```
    /// use licensing::ActivationCode;
    /// # let (infra, _, _) = licensing::testing::sample_infrastructure();
    /// let code = infra.subscription().activation_code();
    /// assert_eq!(code.to_string().parse::<ActivationCode>()?, code);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn activation_code(&self) -> ActivationCode {
        self.activation_code
    }

    /// Grows by one with every change of terms; licenses carry it.
    ///
    /// ```
    /// use licensing::{Subscription, Terms};
    ///
    /// let subscription = Subscription::new(Terms::new("Acme Corp", "Enterprise", "premium"))?;
    /// assert_eq!(subscription.revision(), 1);
    /// # Ok::<(), licensing::SubscriptionError>(())
    /// ```
    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// The current terms.
    ///
    /// ```
    /// # let (infra, _, _) = licensing::testing::sample_infrastructure();
    /// let terms = infra.subscription().terms();
    /// assert_eq!(terms.organization, "Acme Corp");
    /// assert!(terms.features.contains("multi-tenancy"));
    /// ```
    pub fn terms(&self) -> &Terms {
        &self.terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limit::{APPLICATION_OBJECTS, INTERNAL_USERS};

    fn terms() -> Terms {
        let mut t = Terms::new("Acme Corp", "Enterprise", "premium");
        t.limits.insert(
            INTERNAL_USERS.into(),
            LimitTerms::with_defaults(INTERNAL_USERS, 100),
        );
        t.limits.insert(
            APPLICATION_OBJECTS.into(),
            LimitTerms::with_defaults(APPLICATION_OBJECTS, 450),
        );
        t
    }

    #[test]
    fn application_objects_apply_to_production_only() {
        let t = terms();
        let names = |p| {
            t.limits_for(p)
                .into_iter()
                .map(|l| l.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(Purpose::Production),
            [APPLICATION_OBJECTS, INTERNAL_USERS]
        );
        assert_eq!(names(Purpose::Development), [INTERNAL_USERS]);
        assert_eq!(names(Purpose::Management), [INTERNAL_USERS]);
    }

    #[test]
    fn bad_terms_are_refused() {
        let mut t = terms();
        t.organization = "  ".into();
        assert_eq!(t.check(), Err(TermsError::Empty("organization")));
        let mut t = terms();
        t.features.insert("Multi Tenancy".into());
        assert!(matches!(
            t.check(),
            Err(TermsError::BadName {
                what: "feature",
                ..
            })
        ));
        let mut t = terms();
        t.organization = "Acme\0Corp".into();
        assert_eq!(t.check(), Err(TermsError::ControlCharacter("organization")));
        let mut t = terms();
        t.edition = "x".repeat(201);
        assert!(matches!(t.check(), Err(TermsError::TooLong { .. })));
    }

    #[test]
    fn amending_keeps_the_code_and_raises_the_revision() {
        let mut s = Subscription::new(terms()).unwrap();
        let code = s.activation_code();
        for expected in 2..5 {
            let mut t = s.terms().clone();
            t.slots.production += 1;
            s.amend(t).unwrap();
            assert_eq!(s.activation_code(), code);
            assert_eq!(s.revision(), expected);
        }
        let mut bad = s.terms().clone();
        bad.support.clear();
        assert!(s.amend(bad).is_err());
        assert_eq!(s.revision(), 4, "a refused change must not count");
    }
}
