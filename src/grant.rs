//! A vendor grant for one environment: a small signed file that says one
//! thing about one serial number and one time (a trial extension: the
//! trial runs until then; a clock reset: the latest time seen is put back
//! to then). Each kind has its own magic and its own signature domain, so
//! that no signature can pass for another kind's, nor for a license's.

use crate::keys::{KeyId, PublicKey, SigningKey, TrustedKeys};
use crate::serial_number::SerialNumber;
use crate::time::Timestamp;

const VERSION: u8 = 1;
const SERIAL_LEN: usize = 31;
/// magic, version, key id, serial text, the granted time, issued at.
const SIGNED_LEN: usize = 4 + 1 + 8 + SERIAL_LEN + 8 + 8;
/// Every grant file's length: the signed bytes and the signature.
pub(crate) const LEN: usize = SIGNED_LEN + 64;

/// Why a vendor grant (a trial extension, a clock reset) is not accepted.
///
/// ```
/// use licensing::{GrantError, TrialExtension};
///
/// let err = TrialExtension::parse(b"LICT\x01 too short").unwrap_err();
/// assert!(matches!(err, GrantError::Malformed { .. }));
/// assert!(err.to_string().contains("ask the vendor for it again"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    /// Not a file of this kind, or damaged.
    #[error("this is not a {kind} file ({why}): ask the vendor for it again")]
    Malformed {
        /// What was expected: "trial extension", "clock reset".
        kind: &'static str,
        /// What is wrong, and at which byte.
        why: String,
    },
    /// Signed by a key the runtime does not trust.
    #[error(
        "the {kind} is signed by key {key_id}, which this runtime does not trust: ask the vendor for one signed with a current key"
    )]
    UnknownKey {
        /// The kind of grant.
        kind: &'static str,
        /// The key that signed it.
        key_id: KeyId,
    },
    /// The signature does not match: altered or damaged.
    #[error("the {kind}'s signature does not match its contents: ask the vendor for it again")]
    BadSignature {
        /// The kind of grant.
        kind: &'static str,
    },
    /// Issued for another environment.
    #[error(
        "the {kind} is for serial {granted_for}, this environment is {this_environment}: ask the vendor for one for this serial"
    )]
    WrongSerial {
        /// The kind of grant.
        kind: &'static str,
        /// The serial in the grant.
        granted_for: SerialNumber,
        /// This environment's.
        this_environment: SerialNumber,
    },
}

/// What distinguishes one kind of grant from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kind {
    pub name: &'static str,
    pub magic: &'static [u8; 4],
    pub domain: &'static [u8],
}

/// The signed statement shared by every kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grant {
    kind: Kind,
    key_id: KeyId,
    pub serial: SerialNumber,
    pub time: Timestamp,
    pub issued_at: Timestamp,
    signature: [u8; 64],
}

impl Grant {
    pub fn issue(
        kind: Kind,
        serial: SerialNumber,
        time: Timestamp,
        issued_at: Timestamp,
        key: &SigningKey,
    ) -> Self {
        let mut grant = Self {
            kind,
            key_id: key.public_key().key_id(),
            serial,
            time,
            issued_at,
            signature: [0; 64],
        };
        grant.signature = key.sign_parts(&[kind.domain, &grant.signed()]);
        grant
    }

    /// The signed bytes: magic, version, key id, the serial's text, the
    /// granted time and the issue time (big-endian Unix seconds).
    fn signed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNED_LEN);
        out.extend_from_slice(self.kind.magic);
        out.push(VERSION);
        out.extend_from_slice(&self.key_id.0);
        out.extend_from_slice(self.serial.to_string().as_bytes());
        out.extend_from_slice(&self.time.unix_seconds().to_be_bytes());
        out.extend_from_slice(&self.issued_at.unix_seconds().to_be_bytes());
        out
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.signed();
        out.extend_from_slice(&self.signature);
        out
    }

    pub fn parse(kind: Kind, bytes: &[u8]) -> Result<Self, GrantError> {
        let malformed = |why: String| GrantError::Malformed {
            kind: kind.name,
            why,
        };
        if !bytes.starts_with(kind.magic) {
            return Err(malformed(format!(
                "it does not start with {}",
                String::from_utf8_lossy(kind.magic)
            )));
        }
        if bytes.len() != LEN {
            return Err(malformed(format!(
                "it has {} bytes, a {} has {LEN}",
                bytes.len(),
                kind.name
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
        // Signed as written: one grant has one form.
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
        Ok(Self {
            kind,
            key_id,
            serial,
            time: time(13 + SERIAL_LEN),
            issued_at: time(13 + SERIAL_LEN + 8),
            signature: bytes[SIGNED_LEN..].try_into().expect("64 bytes"),
        })
    }

    pub fn verify(
        &self,
        keys: &TrustedKeys,
        this_environment: &SerialNumber,
    ) -> Result<(), GrantError> {
        let kind = self.kind.name;
        let key: &PublicKey = keys.get(self.key_id).ok_or(GrantError::UnknownKey {
            kind,
            key_id: self.key_id,
        })?;
        if !key.verify_parts(&[self.kind.domain, &self.signed()], &self.signature) {
            return Err(GrantError::BadSignature { kind });
        }
        if self.serial != *this_environment {
            return Err(GrantError::WrongSerial {
                kind,
                granted_for: self.serial,
                this_environment: *this_environment,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [Kind; 2] = [crate::trial_extension::KIND, crate::clock_reset::KIND];

    #[test]
    fn every_bit_flip_of_every_kind_is_refused() {
        let key = SigningKey::generate();
        let keys = TrustedKeys::new([key.public_key().clone()]);
        let serial = crate::MachineIdentity::pinned("x").serial().unwrap();
        for kind in KINDS {
            let bytes = Grant::issue(
                kind,
                serial,
                Timestamp::from_unix_seconds(1_900_000_000),
                Timestamp::from_unix_seconds(1_800_000_000),
                &key,
            )
            .to_bytes();
            let accepted = |bytes: &[u8]| {
                Grant::parse(kind, bytes)
                    .and_then(|g| g.verify(&keys, &serial).map(|()| g))
                    .is_ok()
            };
            assert!(accepted(&bytes), "{}", kind.name);
            for i in 0..bytes.len() {
                for bit in 0..8 {
                    let mut flipped = bytes.clone();
                    flipped[i] ^= 1 << bit;
                    assert!(!accepted(&flipped), "{} byte {i} bit {bit}", kind.name);
                }
            }
        }
    }

    #[test]
    fn one_kind_never_passes_for_another() {
        let key = SigningKey::generate();
        let keys = TrustedKeys::new([key.public_key().clone()]);
        let serial = crate::MachineIdentity::pinned("x").serial().unwrap();
        let now = Timestamp::from_unix_seconds(1_800_000_000);
        let [a, b] = KINDS;
        let mut bytes = Grant::issue(a, serial, now, now, &key).to_bytes();
        assert!(Grant::parse(b, &bytes).is_err(), "another magic");
        // Even with the magic swapped, the signature's domain differs.
        bytes[..4].copy_from_slice(b.magic);
        let err = Grant::parse(b, &bytes).unwrap().verify(&keys, &serial);
        assert_eq!(err, Err(GrantError::BadSignature { kind: b.name }));
    }
}
