//! A trial extension: the vendor's signed word that one environment's
//! trial runs until a given time. It is a file of its own, checked by the
//! runtime's trusted keys like a license, so it survives whatever happened
//! to the store's state: the honest customer who needs more time is never
//! stuck.

use crate::keys::{KeyId, PublicKey, SigningKey, TrustedKeys};
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
const VERSION: u8 = 1;
const SERIAL_LEN: usize = 31;
/// magic, version, key id, serial text, until, issued at.
const SIGNED_LEN: usize = 4 + 1 + 8 + SERIAL_LEN + 8 + 8;
const LEN: usize = SIGNED_LEN + 64;

/// Why a trial extension is not accepted.
///
/// ```
/// use licensing::{TrialExtension, TrialExtensionError};
///
/// let err = TrialExtension::parse(b"LICT\x01 too short").unwrap_err();
/// assert!(matches!(err, TrialExtensionError::Malformed(_)));
/// assert!(err.to_string().contains("ask the vendor for it again"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrialExtensionError {
    /// Not a trial extension file, or damaged.
    #[error("this is not a trial extension file ({0}): ask the vendor for it again")]
    Malformed(String),
    /// Signed by a key the runtime does not trust.
    #[error(
        "the trial extension is signed by key {key_id}, which this runtime does not trust: ask the vendor for one signed with a current key"
    )]
    UnknownKey {
        /// The key that signed it.
        key_id: KeyId,
    },
    /// The signature does not match: altered or damaged.
    #[error(
        "the trial extension's signature does not match its contents: ask the vendor for it again"
    )]
    BadSignature,
    /// Issued for another environment.
    #[error(
        "the trial extension is for serial {extension}, this environment is {this_environment}: ask the vendor for one for this serial"
    )]
    WrongSerial {
        /// The serial in the extension.
        extension: SerialNumber,
        /// This environment's.
        this_environment: SerialNumber,
    },
}

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
pub struct TrialExtension {
    key_id: KeyId,
    serial: SerialNumber,
    until: Timestamp,
    issued_at: Timestamp,
    signature: [u8; 64],
}

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
        let mut extension = Self {
            key_id: key.public_key().key_id(),
            serial,
            until,
            issued_at,
            signature: [0; 64],
        };
        extension.signature = key.sign_parts(&[TRIAL_EXTENSION_DOMAIN, &extension.signed()]);
        extension
    }

    /// The signed bytes: magic, version, key id, the serial's text, the
    /// end and the issue time (big-endian Unix seconds).
    fn signed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNED_LEN);
        out.extend_from_slice(TRIAL_EXTENSION_MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.key_id.0);
        out.extend_from_slice(self.serial.to_string().as_bytes());
        out.extend_from_slice(&self.until.unix_seconds().to_be_bytes());
        out.extend_from_slice(&self.issued_at.unix_seconds().to_be_bytes());
        out
    }

    /// The file: the signed bytes and the 64-byte signature `r || s`.
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
        let mut out = self.signed();
        out.extend_from_slice(&self.signature);
        out
    }

    /// Reads a trial extension file (its signature is checked by
    /// [`verify`](Self::verify)).
    ///
    /// ```
    /// use licensing::TrialExtension;
    ///
    /// assert!(TrialExtension::parse(b"LICF...").is_err());
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, TrialExtensionError> {
        let malformed = |why: String| TrialExtensionError::Malformed(why);
        if !bytes.starts_with(TRIAL_EXTENSION_MAGIC) {
            return Err(malformed("it does not start with LICT".into()));
        }
        if bytes.len() != LEN {
            return Err(malformed(format!(
                "it has {} bytes, a trial extension has {LEN}",
                bytes.len()
            )));
        }
        if bytes[4] != VERSION {
            return Err(malformed(format!(
                "version {} at byte 4; this library reads version {VERSION}",
                bytes[4]
            )));
        }
        let key_id = KeyId(bytes[5..13].try_into().expect("8 bytes"));
        let serial_text = std::str::from_utf8(&bytes[13..13 + SERIAL_LEN])
            .map_err(|_| malformed("the serial number at byte 13 is not text".into()))?;
        let serial: SerialNumber = serial_text
            .parse()
            .map_err(|e| malformed(format!("the serial number at byte 13: {e}")))?;
        // Signed as written: one extension has one form.
        if serial.to_string() != serial_text {
            return Err(malformed(
                "the serial number at byte 13 is not in its canonical form".into(),
            ));
        }
        let time = |at: usize| {
            Timestamp::from_unix_seconds(i64::from_be_bytes(
                bytes[at..at + 8].try_into().expect("8 bytes"),
            ))
        };
        let signed_end = SIGNED_LEN;
        Ok(Self {
            key_id,
            serial,
            until: time(13 + SERIAL_LEN),
            issued_at: time(13 + SERIAL_LEN + 8),
            signature: bytes[signed_end..].try_into().expect("64 bytes"),
        })
    }

    /// Checks the signature against `keys` and that the extension is for
    /// `this_environment`.
    ///
    /// ```
    /// # use licensing::{MachineIdentity, SigningKey, Timestamp, TrialExtension, TrialExtensionError, TrustedKeys};
    /// # let key = SigningKey::generate();
    /// # let serial = MachineIdentity::pinned("acme-qa").serial()?;
    /// # let extension = TrialExtension::issue(serial, Timestamp::now(), Timestamp::now(), &key);
    /// let elsewhere = MachineIdentity::pinned("acme-production").serial()?;
    /// let keys = TrustedKeys::new([key.public_key().clone()]);
    /// let err = extension.verify(&keys, &elsewhere).unwrap_err();
    /// assert!(matches!(err, TrialExtensionError::WrongSerial { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(
        &self,
        keys: &TrustedKeys,
        this_environment: &SerialNumber,
    ) -> Result<(), TrialExtensionError> {
        let key: &PublicKey = keys
            .get(self.key_id)
            .ok_or(TrialExtensionError::UnknownKey {
                key_id: self.key_id,
            })?;
        if !key.verify_parts(&[TRIAL_EXTENSION_DOMAIN, &self.signed()], &self.signature) {
            return Err(TrialExtensionError::BadSignature);
        }
        if self.serial != *this_environment {
            return Err(TrialExtensionError::WrongSerial {
                extension: self.serial,
                this_environment: *this_environment,
            });
        }
        Ok(())
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
        self.serial
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
        self.until
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
        self.issued_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bit_flip_is_refused() {
        let key = SigningKey::generate();
        let keys = TrustedKeys::new([key.public_key().clone()]);
        let serial = crate::MachineIdentity::pinned("x").serial().unwrap();
        let bytes = TrialExtension::issue(
            serial,
            Timestamp::from_unix_seconds(1_900_000_000),
            Timestamp::from_unix_seconds(1_800_000_000),
            &key,
        )
        .to_bytes();
        TrialExtension::parse(&bytes)
            .unwrap()
            .verify(&keys, &serial)
            .unwrap();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[i] ^= 1 << bit;
                let accepted = TrialExtension::parse(&flipped)
                    .and_then(|e| e.verify(&keys, &serial).map(|()| e))
                    .is_ok();
                assert!(!accepted, "byte {i} bit {bit}");
            }
        }
    }
}
