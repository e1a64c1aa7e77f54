//! The portal's side of a subscription: which environments are registered
//! in its slots.

use crate::subscription::{Subscription, Terms, TermsError};
use crate::{ActivationCode, Purpose, SerialNumber, Timestamp};
use serde::{Deserialize, Serialize};

/// A registered runtime environment.
///
/// ```
/// use licensing::Purpose;
///
/// # let (infra, serial, _) = licensing::testing::sample_infrastructure();
/// let environment = infra.environment(&serial).expect("registered");
/// assert_eq!(environment.serial_number, serial);
/// assert_eq!(environment.name, "Production");
/// assert_eq!(environment.purpose, Purpose::Production);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Environment {
    /// Its serial number, made by its controller.
    pub serial_number: SerialNumber,
    /// Its name, like `Production`.
    pub name: String,
    /// What it is for; decides its slot and its license type.
    pub purpose: Purpose,
    /// When it was registered.
    pub registered_at: Timestamp,
}

/// A subscription and the environments registered in its slots; saved as
/// JSON by the command-line tool.
///
/// ```
/// use licensing::{HardwareComponent, Infrastructure, Purpose, SerialNumber, Subscription, Terms, Timestamp};
///
/// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
/// terms.slots.production = 1;
/// let mut infra = Infrastructure::new(Subscription::new(terms)?);
/// let serial = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "4c4c")])?;
/// infra.register(serial, "Production", Purpose::Production, Timestamp::now())?;
/// // The only production slot is taken.
/// let other = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "5d5d")])?;
/// let full = infra.register(other, "Production 2", Purpose::Production, Timestamp::now());
/// assert!(full.unwrap_err().to_string().contains("1 of 1 production"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Infrastructure {
    subscription: Subscription,
    environments: Vec<Environment>,
}

/// Why a registration, release or change of terms was refused.
///
/// ```
/// use licensing::{Purpose, RegistryError, Timestamp};
///
/// # let (mut infra, serial, _) = licensing::testing::sample_infrastructure();
/// let again = infra.register(serial, "Production 2", Purpose::Production, Timestamp::now());
/// let err = again.unwrap_err();
/// assert!(matches!(err, RegistryError::AlreadyRegistered { .. }));
/// assert!(err.to_string().contains("already registered as environment 'Production'"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// Every slot of the purpose is taken.
    #[error(
        "no free {purpose} slot: {used} of {allowed} {purpose} environments are registered; release one first or add {purpose} slots to the subscription"
    )]
    NoFreeSlot {
        /// The purpose asked for.
        purpose: Purpose,
        /// Environments of that purpose registered.
        used: usize,
        /// Slots of that purpose in the subscription.
        allowed: u16,
    },
    /// The serial number is registered already.
    #[error("serial number {serial} is already registered as environment '{name}'")]
    AlreadyRegistered {
        /// The serial number.
        serial: SerialNumber,
        /// The environment it belongs to.
        name: String,
    },
    /// Another environment has that name.
    #[error(
        "an environment named '{0}' is already registered: choose another name or release it first"
    )]
    DuplicateName(String),
    /// An environment name that is empty or too long.
    #[error("environment name '{0}' must have 1 to 100 printable characters")]
    BadName(String),
    /// The serial number is not registered.
    #[error(
        "serial number {serial} is not registered in this infrastructure (registered: {}): check the serial, or register it first (licensing register)",
        registered_list(.registered)
    )]
    NotRegistered {
        /// The serial number asked for.
        serial: SerialNumber,
        /// The serial numbers that are registered, with their names.
        registered: Vec<(SerialNumber, String)>,
    },
    /// New terms have fewer slots than environments registered.
    #[error(
        "the new terms allow {allowed} {purpose} environments but {registered} are registered: release {} first",
        .registered - usize::from(*.allowed)
    )]
    SlotsInUse {
        /// The purpose.
        purpose: Purpose,
        /// Environments registered.
        registered: usize,
        /// Slots in the new terms.
        allowed: u16,
    },
    /// An activation request for another subscription.
    #[error(
        "the request asks for activation code {requested}, this subscription's is {this}: register it in the subscription of {requested}, or have the environment write a new request with {this}"
    )]
    OtherSubscription {
        /// The code in the request.
        requested: ActivationCode,
        /// This subscription's code.
        this: ActivationCode,
    },
    /// The new terms cannot be licensed.
    #[error(transparent)]
    Terms(#[from] TermsError),
}

impl Infrastructure {
    /// An infrastructure with no environments registered yet.
    ///
    /// ```
    /// use licensing::{Infrastructure, Purpose, Subscription, Terms};
    ///
    /// let terms = Terms::new("Acme Corp", "Enterprise", "premium");
    /// let infra = Infrastructure::new(Subscription::new(terms)?);
    /// assert!(infra.environments().is_empty());
    /// assert_eq!(infra.used(Purpose::Production), 0);
    /// # Ok::<(), licensing::SubscriptionError>(())
    /// ```
    pub fn new(subscription: Subscription) -> Self {
        Self {
            subscription,
            environments: Vec::new(),
        }
    }

    /// The subscription.
    ///
    /// ```
    /// # let (infra, _, _) = licensing::testing::sample_infrastructure();
    /// assert_eq!(infra.subscription().terms().organization, "Acme Corp");
    /// assert_eq!(infra.subscription().revision(), 1);
    /// ```
    pub fn subscription(&self) -> &Subscription {
        &self.subscription
    }

    /// The registered environments, in order of registration.
    ///
    /// ```
    /// use licensing::{HardwareComponent, Purpose, SerialNumber, Timestamp};
    ///
    /// # let (mut infra, _, _) = licensing::testing::sample_infrastructure();
    /// let serial = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "qa-1")])?;
    /// infra.register(serial, "QA", Purpose::NonProduction, Timestamp::now())?;
    /// let names: Vec<&str> = infra.environments().iter().map(|e| e.name.as_str()).collect();
    /// assert_eq!(names, ["Production", "QA"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn environments(&self) -> &[Environment] {
        &self.environments
    }

    /// The environment with `serial`, if registered.
    ///
    /// ```
    /// use licensing::{HardwareComponent, SerialNumber};
    ///
    /// # let (infra, serial, _) = licensing::testing::sample_infrastructure();
    /// assert_eq!(infra.environment(&serial).map(|e| e.name.as_str()), Some("Production"));
    /// let unknown = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "other")])?;
    /// assert!(infra.environment(&unknown).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn environment(&self, serial: &SerialNumber) -> Option<&Environment> {
        self.environments
            .iter()
            .find(|e| &e.serial_number == serial)
    }

    /// Environments of `purpose` registered.
    ///
    /// ```
    /// use licensing::Purpose;
    ///
    /// # let (infra, _, _) = licensing::testing::sample_infrastructure();
    /// assert_eq!(infra.used(Purpose::Production), 1);
    /// assert_eq!(infra.used(Purpose::Development), 0);
    /// ```
    pub fn used(&self, purpose: Purpose) -> usize {
        self.environments
            .iter()
            .filter(|e| e.purpose == purpose)
            .count()
    }

    /// Registers an environment into a free slot of its purpose.
    ///
    /// ```
    /// use licensing::{HardwareComponent, Infrastructure, Purpose, RegistryError, SerialNumber, Subscription, Terms, Timestamp};
    ///
    /// let mut terms = Terms::new("Acme Corp", "Enterprise", "premium");
    /// terms.slots.development = 1;
    /// let mut infra = Infrastructure::new(Subscription::new(terms)?);
    /// let serial = |id: &str| SerialNumber::from_components(&[HardwareComponent::new("machine-id", id)]);
    /// let dev = infra.register(serial("dev-1")?, " Dev ", Purpose::Development, Timestamp::now())?;
    /// assert_eq!(dev.name, "Dev"); // trimmed
    /// // The only development slot is taken now.
    /// let full = infra.register(serial("dev-2")?, "Dev 2", Purpose::Development, Timestamp::now());
    /// assert_eq!(full, Err(RegistryError::NoFreeSlot { purpose: Purpose::Development, used: 1, allowed: 1 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn register(
        &mut self,
        serial_number: SerialNumber,
        name: &str,
        purpose: Purpose,
        at: Timestamp,
    ) -> Result<&Environment, RegistryError> {
        let name = name.trim();
        check_name(name)?;
        if let Some(e) = self.environment(&serial_number) {
            return Err(RegistryError::AlreadyRegistered {
                serial: serial_number,
                name: e.name.clone(),
            });
        }
        if self.environments.iter().any(|e| e.name == name) {
            return Err(RegistryError::DuplicateName(name.to_owned()));
        }
        let allowed = self.subscription.terms().slots.allowed(purpose);
        let used = self.used(purpose);
        if used >= usize::from(allowed) {
            return Err(RegistryError::NoFreeSlot {
                purpose,
                used,
                allowed,
            });
        }
        self.environments.push(Environment {
            serial_number,
            name: name.to_owned(),
            purpose,
            registered_at: at,
        });
        Ok(self.environments.last().expect("just pushed"))
    }

    /// Releases an environment, freeing its slot. After a hardware change,
    /// release the old serial and register the new one.
    ///
    /// ```
    /// use licensing::{HardwareComponent, Purpose, RegistryError, SerialNumber, Timestamp};
    ///
    /// # let (mut infra, old, _) = licensing::testing::sample_infrastructure();
    /// assert_eq!(infra.subscription().terms().slots.production, 1);
    /// let new = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "new-board")])?;
    /// assert!(infra.register(new, "Production (new)", Purpose::Production, Timestamp::now()).is_err());
    /// assert_eq!(infra.release(&old)?.name, "Production");
    /// infra.register(new, "Production", Purpose::Production, Timestamp::now())?;
    /// let err = infra.release(&old).unwrap_err();
    /// assert!(matches!(err, RegistryError::NotRegistered { serial, .. } if serial == old));
    /// assert!(err.to_string().contains(&format!("(registered: {new} 'Production')")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release(&mut self, serial: &SerialNumber) -> Result<Environment, RegistryError> {
        let index = self
            .environments
            .iter()
            .position(|e| &e.serial_number == serial)
            .ok_or_else(|| self.not_registered(serial))?;
        Ok(self.environments.remove(index))
    }

    /// The error for `serial`, naming the serials that are registered.
    pub(crate) fn not_registered(&self, serial: &SerialNumber) -> RegistryError {
        RegistryError::NotRegistered {
            serial: *serial,
            registered: self
                .environments
                .iter()
                .map(|e| (e.serial_number, e.name.clone()))
                .collect(),
        }
    }

    /// Changes the subscription's terms (same activation code, next
    /// revision). Refused when fewer slots remain than are in use.
    ///
    /// ```
    /// # let (mut infra, _, _) = licensing::testing::sample_infrastructure();
    /// let code = infra.subscription().activation_code();
    /// // One production environment is registered: no production slot is too few.
    /// let mut fewer = infra.subscription().terms().clone();
    /// fewer.slots.production = 0;
    /// assert!(infra.amend(fewer).unwrap_err().to_string().contains("release 1 first"));
    /// let mut more = infra.subscription().terms().clone();
    /// more.slots.production = 3;
    /// infra.amend(more)?;
    /// assert_eq!(infra.subscription().activation_code(), code);
    /// assert_eq!(infra.subscription().revision(), 2);
    /// # Ok::<(), licensing::RegistryError>(())
    /// ```
    pub fn amend(&mut self, terms: Terms) -> Result<(), RegistryError> {
        for purpose in Purpose::ALL {
            let registered = self.used(purpose);
            let allowed = terms.slots.allowed(purpose);
            if registered > usize::from(allowed) {
                return Err(RegistryError::SlotsInUse {
                    purpose,
                    registered,
                    allowed,
                });
            }
        }
        self.subscription.amend(terms)?;
        Ok(())
    }
}

/// An environment name: 1 to 100 printable characters (it becomes a C
/// string in the runtime, so a NUL or a line break is refused).
fn registered_list(registered: &[(SerialNumber, String)]) -> String {
    if registered.is_empty() {
        return "none".into();
    }
    registered
        .iter()
        .map(|(serial, name)| format!("{serial} '{}'", crate::printable(name)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn check_name(name: &str) -> Result<(), RegistryError> {
    if name.trim().is_empty()
        || name.chars().count() > 100
        || name.chars().any(crate::is_unsafe_to_print)
    {
        return Err(RegistryError::BadName(name.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HardwareComponent;

    fn serial(n: u32) -> SerialNumber {
        SerialNumber::from_components(&[HardwareComponent::new("machine-id", n.to_string())])
            .unwrap()
    }

    fn infra() -> Infrastructure {
        let mut t = Terms::new("Acme Corp", "Enterprise", "premium");
        t.slots.development = 1;
        t.slots.non_production = 2;
        t.slots.production = 1;
        Infrastructure::new(Subscription::new(t).unwrap())
    }

    const T: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

    #[test]
    fn slots_are_counted_per_purpose() {
        let mut i = infra();
        i.register(serial(1), "Dev", Purpose::Development, T)
            .unwrap();
        let err = i
            .register(serial(2), "Dev 2", Purpose::Development, T)
            .unwrap_err();
        assert_eq!(
            err,
            RegistryError::NoFreeSlot {
                purpose: Purpose::Development,
                used: 1,
                allowed: 1
            }
        );
        assert!(err.to_string().contains("1 of 1 development"), "{err}");
        i.register(serial(2), "QA", Purpose::NonProduction, T)
            .unwrap();
        i.register(serial(3), "Staging", Purpose::NonProduction, T)
            .unwrap();
        i.register(serial(4), "Prod", Purpose::Production, T)
            .unwrap();
        // The management environment needs no runtime slot, but only one.
        i.register(serial(5), "LifeTime", Purpose::Management, T)
            .unwrap();
        assert!(matches!(
            i.register(serial(6), "LifeTime 2", Purpose::Management, T),
            Err(RegistryError::NoFreeSlot { allowed: 1, .. })
        ));
    }

    #[test]
    fn release_frees_the_slot_for_new_hardware() {
        let mut i = infra();
        i.register(serial(1), "Prod", Purpose::Production, T)
            .unwrap();
        assert!(
            i.register(serial(2), "Prod new", Purpose::Production, T)
                .is_err()
        );
        let released = i.release(&serial(1)).unwrap();
        assert_eq!(released.name, "Prod");
        i.register(serial(2), "Prod", Purpose::Production, T)
            .unwrap();
        assert!(matches!(
            i.release(&serial(1)),
            Err(RegistryError::NotRegistered { serial: s, .. }) if s == serial(1)
        ));
    }

    #[test]
    fn duplicates_are_refused() {
        let mut i = infra();
        i.register(serial(1), "QA", Purpose::NonProduction, T)
            .unwrap();
        assert!(matches!(
            i.register(serial(1), "Other", Purpose::NonProduction, T),
            Err(RegistryError::AlreadyRegistered { .. })
        ));
        assert_eq!(
            i.register(serial(2), " QA ", Purpose::NonProduction, T),
            Err(RegistryError::DuplicateName("QA".into()))
        );
        assert!(matches!(
            i.register(serial(2), " ", Purpose::NonProduction, T),
            Err(RegistryError::BadName(_))
        ));
        assert!(matches!(
            i.register(serial(2), "QA\nprod", Purpose::NonProduction, T),
            Err(RegistryError::BadName(_))
        ));
    }

    #[test]
    fn amending_below_the_registered_count_is_refused() {
        let mut i = infra();
        i.register(serial(1), "QA", Purpose::NonProduction, T)
            .unwrap();
        i.register(serial(2), "Staging", Purpose::NonProduction, T)
            .unwrap();
        let mut fewer = i.subscription().terms().clone();
        fewer.slots.non_production = 1;
        let err = i.amend(fewer).unwrap_err();
        assert!(err.to_string().contains("release 1 first"), "{err}");
        assert_eq!(i.subscription().revision(), 1);
        let mut more = i.subscription().terms().clone();
        more.slots.production = 3;
        i.amend(more).unwrap();
        assert_eq!(i.subscription().revision(), 2);
    }

    #[test]
    fn json_round_trip() {
        let mut i = infra();
        i.register(serial(1), "QA", Purpose::NonProduction, T)
            .unwrap();
        let json = serde_json::to_string_pretty(&i).unwrap();
        assert!(json.contains("\"non-production\""), "{json}");
        let back: Infrastructure = serde_json::from_str(&json).unwrap();
        assert_eq!(back, i);
    }
}
