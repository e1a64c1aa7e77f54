//! A trial extension: the vendor's signed word that one environment's
//! trial runs until a given time. It is a file of its own, checked by the
//! runtime's trusted keys like a license, so it survives whatever happened
//! to the store's state: the honest customer who needs more time is never
//! stuck.

use crate::grant::{Grant, GrantError, Kind};
use crate::keys::{SigningKey, TrustedKeys};
use crate::serial_number::SerialNumber;
use crate::time::Timestamp;

/// The first bytes of a trial extension file.
///
/// ```
/// assert_eq!(licensing::TRIAL_EXTENSION_MAGIC, b"LICT");
/// ```
pub const TRIAL_EXTENSION_MAGIC: &[u8; 4] = b"LICT";
/// What the signature covers, before the file's signed bytes: a domain of
/// its own, so that no license signature can pass for an extension's.
pub const TRIAL_EXTENSION_DOMAIN: &[u8] = b"licensing/trial-extension\0";

pub(crate) const KIND: Kind = Kind {
    name: "trial extension",
    magic: TRIAL_EXTENSION_MAGIC,
    domain: TRIAL_EXTENSION_DOMAIN,
};

/// A signed trial extension for one environment.
///
/// ```
/// use licensing::{MachineIdentity, SigningKey, Timestamp, TrialExtension, TrustedKeys};
///
/// let key = SigningKey::generate();
/// let serial = MachineIdentity::pinned("acme-qa").serial()?;
/// let until: Timestamp = "2027-03-01T00:00:00Z".parse()?;
/// let extension = TrialExtension::issue(serial, until, Timestamp::now(), &key);
/// let bytes = extension.to_bytes();
/// let read = TrialExtension::parse(&bytes)?;
/// read.verify(&TrustedKeys::new([key.public_key().clone()]), &serial)?;
/// assert_eq!(read.until(), until);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialExtension(Grant);

impl TrialExtension {
    /// Issues, with the vendor's key, a trial extension for `serial` until
    /// `until`.
    ///
    /// ```
    /// # use licensing::{MachineIdentity, SigningKey, Timestamp, TrialExtension};
    /// # let key = SigningKey::generate();
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let extension = TrialExtension::issue(serial, "2027-03-01T00:00:00Z".parse()?, Timestamp::now(), &key);
    /// assert_eq!(extension.serial_number(), serial);
    /// assert_eq!(extension.to_bytes().len(), 124);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn issue(
        serial: SerialNumber,
        until: Timestamp,
        issued_at: Timestamp,
        key: &SigningKey,
    ) -> Self {
        Self(Grant::issue(KIND, serial, until, issued_at, key))
    }

    /// The file: the signed bytes and the 64-byte signature `r || s`
    /// (docs/FORMAT.md §12).
    ///
    /// ```
    /// # use licensing::{MachineIdentity, SigningKey, Timestamp, TrialExtension};
    /// # let key = SigningKey::generate();
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let bytes = TrialExtension::issue(serial, Timestamp::now(), Timestamp::now(), &key).to_bytes();
    /// assert!(bytes.starts_with(b"LICT\x01"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes()
    }

    /// Reads a trial extension file (its signature is checked by
    /// [`verify`](Self::verify)).
    ///
    /// ```
    /// use licensing::TrialExtension;
    ///
    /// assert!(TrialExtension::parse(b"LICF...").is_err());
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, GrantError> {
        Grant::parse(KIND, bytes).map(Self)
    }

    /// Checks the signature against `keys` and that the extension is for
    /// `this_environment`.
    ///
    /// ```
    /// # use licensing::{MachineIdentity, SigningKey, Timestamp, TrialExtension, GrantError, TrustedKeys};
    /// # let key = SigningKey::generate();
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// # let extension = TrialExtension::issue(serial, Timestamp::now(), Timestamp::now(), &key);
    /// let elsewhere = MachineIdentity::pinned("acme-production").serial()?;
    /// let keys = TrustedKeys::new([key.public_key().clone()]);
    /// let err = extension.verify(&keys, &elsewhere).unwrap_err();
    /// assert!(matches!(err, GrantError::WrongSerial { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(
        &self,
        keys: &TrustedKeys,
        this_environment: &SerialNumber,
    ) -> Result<(), GrantError> {
        self.0.verify(keys, this_environment)
    }

    /// The environment it extends the trial of.
    ///
    /// ```
    /// # use licensing::{MachineIdentity, SigningKey, Timestamp, TrialExtension};
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// # let e = TrialExtension::issue(serial, Timestamp::now(), Timestamp::now(), &SigningKey::generate());
    /// assert_eq!(e.serial_number(), serial);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serial_number(&self) -> SerialNumber {
        self.0.serial
    }

    /// When the extended trial ends.
    ///
    /// ```
    /// # use licensing::{MachineIdentity, SigningKey, Timestamp, TrialExtension};
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let until = Timestamp::from_unix_seconds(1_900_000_000);
    /// let e = TrialExtension::issue(serial, until, Timestamp::now(), &SigningKey::generate());
    /// assert_eq!(e.until(), until);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn until(&self) -> Timestamp {
        self.0.time
    }

    /// When the vendor issued it.
    ///
    /// ```
    /// # use licensing::{MachineIdentity, SigningKey, Timestamp, TrialExtension};
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let issued = Timestamp::from_unix_seconds(1_800_000_000);
    /// let e = TrialExtension::issue(serial, issued, issued, &SigningKey::generate());
    /// assert_eq!(e.issued_at(), issued);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn issued_at(&self) -> Timestamp {
        self.0.issued_at
    }
}
