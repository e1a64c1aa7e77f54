//! A clock reset: the vendor's signed word that one environment's latest
//! time seen (the clock's high-water mark) goes back to a given time. The
//! way out when a clock was set far ahead by mistake and then fixed: the
//! store would otherwise judge every license at that future time, and
//! nothing on the machine may lower the mark, or turning the clock back
//! would stretch a license. It never reopens a trial, and each reset is
//! applied once (the store remembers the last one's issue time).

use crate::grant::{Grant, GrantError, Kind};
use crate::keys::{SigningKey, TrustedKeys};
use crate::serial_number::SerialNumber;
use crate::time::Timestamp;

/// The first bytes of a clock reset file.
///
/// ```
/// assert_eq!(licensing::CLOCK_RESET_MAGIC, b"LICR");
/// ```
pub const CLOCK_RESET_MAGIC: &[u8; 4] = b"LICR";
/// What the signature covers, before the file's signed bytes.
pub const CLOCK_RESET_DOMAIN: &[u8] = b"licensing/clock-reset\0";

pub(crate) const KIND: Kind = Kind {
    name: "clock reset",
    magic: CLOCK_RESET_MAGIC,
    domain: CLOCK_RESET_DOMAIN,
};

/// A signed clock reset for one environment.
///
/// ```
/// use licensing::{ClockReset, MachineIdentity, SigningKey, Timestamp, TrustedKeys};
///
/// let key = SigningKey::generate();
/// let serial = MachineIdentity::pinned("acme-qa").serial()?;
/// let now = Timestamp::now();
/// let reset = ClockReset::issue(serial, now, &key);
/// let read = ClockReset::parse(&reset.to_bytes())?;
/// read.verify(&TrustedKeys::new([key.public_key().clone()]), &serial)?;
/// assert_eq!(read.latest_time_seen(), now);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockReset(Grant);

impl ClockReset {
    /// Issues, with the vendor's key, a reset of `serial`'s latest time
    /// seen to `issued_at` (the vendor's own clock: the time it is issued).
    ///
    /// ```
    /// # use licensing::{ClockReset, MachineIdentity, SigningKey, Timestamp};
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let reset = ClockReset::issue(serial, Timestamp::now(), &SigningKey::generate());
    /// assert_eq!(reset.to_bytes().len(), 124);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn issue(serial: SerialNumber, issued_at: Timestamp, key: &SigningKey) -> Self {
        Self(Grant::issue(KIND, serial, issued_at, issued_at, key))
    }

    /// The file (docs/FORMAT.md §12).
    ///
    /// ```
    /// # use licensing::{ClockReset, MachineIdentity, SigningKey, Timestamp};
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let bytes = ClockReset::issue(serial, Timestamp::now(), &SigningKey::generate()).to_bytes();
    /// assert!(bytes.starts_with(b"LICR\x01"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes()
    }

    /// Reads a clock reset file (its signature is checked by
    /// [`verify`](Self::verify)).
    ///
    /// ```
    /// assert!(licensing::ClockReset::parse(b"LICT...").is_err());
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, GrantError> {
        Grant::parse(KIND, bytes).map(Self)
    }

    /// Checks the signature against `keys` and that the reset is for
    /// `this_environment`.
    ///
    /// ```
    /// # use licensing::{ClockReset, GrantError, MachineIdentity, SigningKey, Timestamp, TrustedKeys};
    /// # let key = SigningKey::generate();
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let reset = ClockReset::issue(serial, Timestamp::now(), &key);
    /// let stranger = TrustedKeys::new([SigningKey::generate().public_key().clone()]);
    /// assert!(matches!(reset.verify(&stranger, &serial), Err(GrantError::UnknownKey { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(
        &self,
        keys: &TrustedKeys,
        this_environment: &SerialNumber,
    ) -> Result<(), GrantError> {
        self.0.verify(keys, this_environment)
    }

    /// The environment it is for.
    ///
    /// ```
    /// # use licensing::{ClockReset, MachineIdentity, SigningKey, Timestamp};
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let reset = ClockReset::issue(serial, Timestamp::now(), &SigningKey::generate());
    /// assert_eq!(reset.serial_number(), serial);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serial_number(&self) -> SerialNumber {
        self.0.serial
    }

    /// The time the latest time seen goes back to (at most: a clock that
    /// is later still counts).
    ///
    /// ```
    /// # use licensing::{ClockReset, MachineIdentity, SigningKey, Timestamp};
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let at = Timestamp::from_unix_seconds(1_800_000_000);
    /// assert_eq!(ClockReset::issue(serial, at, &SigningKey::generate()).latest_time_seen(), at);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn latest_time_seen(&self) -> Timestamp {
        self.0.time
    }

    /// When the vendor issued it (a store applies each reset once).
    ///
    /// ```
    /// # use licensing::{ClockReset, MachineIdentity, SigningKey, Timestamp};
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// let at = Timestamp::from_unix_seconds(1_800_000_000);
    /// assert_eq!(ClockReset::issue(serial, at, &SigningKey::generate()).issued_at(), at);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn issued_at(&self) -> Timestamp {
        self.0.issued_at
    }
}
