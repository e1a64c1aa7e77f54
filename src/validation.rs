//! The runtime's side: is this license file valid for this environment,
//! now? Offline, in microseconds, and without repeating the signature check
//! for bytes it has seen.

use crate::keys::{KeyId, TrustedKeys};
use crate::license::License;
use crate::license_file::{FormatError, LicenseFile};
use crate::limit::{Limit, Usage};
use crate::name_index::NameIndex;
use crate::time::DAY;
use crate::{ActivationCode, PlatformVersion, SerialNumber, Timestamp};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// Days before expiry from which a license reports [`LicenseState::ExpiringSoon`].
///
/// ```
/// assert_eq!(licensing::EXPIRING_SOON_DAYS, 30);
/// ```
pub const EXPIRING_SOON_DAYS: u32 = 30;

/// How far the clock may be behind a license's `not_before` (a new
/// machine's clock is often a little off; the vendor's too).
///
/// ```
/// assert_eq!(licensing::CLOCK_TOLERANCE_SECONDS, 5 * 60);
/// ```
pub const CLOCK_TOLERANCE_SECONDS: i64 = 5 * 60;

/// Where a valid license stands in time.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (bytes, serial) = (file.to_bytes(), file.license().serial_number);
/// use licensing::LicenseState;
///
/// // The sample license ends with 2099 and has 30 days of grace.
/// let state_at = |time: &str| -> Result<LicenseState, Box<dyn std::error::Error>> {
///     Ok(validator.validate(&bytes, &serial, None, time.parse()?)?.state())
/// };
/// assert_eq!(state_at("2099-06-01T00:00:00Z")?, LicenseState::Active);
/// let soon = state_at("2099-12-10T00:00:00Z")?;
/// assert_eq!(soon, LicenseState::ExpiringSoon { days_left: 22 });
/// assert_eq!(soon.to_string(), "expiring soon: 22 days");
/// let grace = state_at("2100-01-05T00:00:00Z")?;
/// assert_eq!(grace.to_string(), "in grace: 26 days left to renew");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LicenseState {
    /// Valid, not near its end (or never ending).
    Active,
    /// Valid, ending within [`EXPIRING_SOON_DAYS`] days.
    ExpiringSoon {
        /// Days until it expires, rounded up.
        days_left: u32,
    },
    /// Expired, but within its grace period: request a new license.
    InGrace {
        /// Days until the grace period ends, rounded up.
        days_left: u32,
    },
}

impl std::fmt::Display for LicenseState {
    /// `active`, `expiring soon: 12 days`, `in grace: 20 days left to renew`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LicenseState::Active => f.pad("active"),
            LicenseState::ExpiringSoon { days_left } => {
                write!(f, "expiring soon: {days_left} days")
            }
            LicenseState::InGrace { days_left } => {
                write!(f, "in grace: {days_left} days left to renew")
            }
        }
    }
}

/// Why a license file is not valid here and now. Each message says what
/// to do about it.
///
/// A license issued for another environment:
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// use licensing::{HardwareComponent, SerialNumber, TrustedKeys, ValidationError, Validator};
///
/// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
/// let here = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "another machine")])?;
/// let err = validator.validate(&file.to_bytes(), &here, None, file.license().issued_at).unwrap_err();
/// assert!(matches!(err, ValidationError::WrongSerial { this_environment, .. } if this_environment == here));
/// assert!(err.to_string().contains(&format!("this environment is {here}")));
/// assert!(err.to_string().ends_with("register this serial with your vendor and install the license issued for it"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A license past its end and its grace period:
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// use licensing::ValidationError;
///
/// // The sample license ends with 2099 and has 30 days of grace.
/// let serial = file.license().serial_number;
/// let err = validator.validate(&file.to_bytes(), &serial, None, "2100-03-01T00:00:00Z".parse()?).unwrap_err();
/// assert!(matches!(err, ValidationError::Expired { .. }));
/// assert!(err.to_string().contains("its grace period ended at 2100-01-31T00:00:00Z"));
/// assert!(err.to_string().ends_with("renew the subscription and install a new license"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// The bytes are not a license file.
    #[error(
        "malformed license file: {field} at byte {offset}: {what}; get the license file again from {}",
        crate::license_source()
    )]
    Malformed {
        /// The field or part of the file that is wrong (see
        /// [`FormatError::Malformed`]).
        field: String,
        /// What is wrong.
        what: String,
        /// Where, in bytes from the start of the input.
        offset: usize,
    },
    /// A format version this library does not read.
    #[error(
        "license file format version {found} is not supported (this runtime reads versions 1 to {supported}): update the runtime, or get a file this runtime reads from {}",
        crate::license_source()
    )]
    UnsupportedVersion {
        /// The version in the file.
        found: u8,
        /// The newest version this library reads.
        supported: u8,
    },
    /// The license carries a critical extension this runtime does not know.
    #[error(
        "the license carries extension {tag} (at byte {offset}), which this runtime does not know and must not ignore: update the runtime to a version that knows it"
    )]
    UnknownCriticalExtension {
        /// The extension's tag.
        tag: u16,
        /// Where its tag is, in bytes from the start of the input.
        offset: usize,
    },
    /// Signed by a key this runtime does not trust.
    #[error(
        "the license is signed by key {key_id}, which this runtime does not trust (trusted: {}): install the vendor's current public key, or get a license signed by a trusted key from {}",
        list(.trusted),
        crate::license_source()
    )]
    UnknownKey {
        /// The key named in the file.
        key_id: KeyId,
        /// The keys trusted.
        trusted: Vec<KeyId>,
    },
    /// The signature does not match the bytes.
    #[error(
        "the license file's signature does not match its contents (key {key_id}): the file was altered or damaged; get it again from {}",
        crate::license_source()
    )]
    BadSignature {
        /// The key named in the file.
        key_id: KeyId,
    },
    /// Issued under another subscription.
    #[error(
        "the license was issued for activation code {license}, this infrastructure has {expected}: install the license of this infrastructure's subscription, from {}",
        crate::license_source()
    )]
    WrongActivationCode {
        /// The code in the license.
        license: ActivationCode,
        /// The code expected.
        expected: ActivationCode,
    },
    /// Issued for another environment.
    #[error(
        "the license was issued for serial {license}, this environment is {this_environment}: register this serial with {} and install the license issued for it",
        crate::license_source()
    )]
    WrongSerial {
        /// The serial in the license.
        license: SerialNumber,
        /// This environment's serial.
        this_environment: SerialNumber,
    },
    /// Not valid yet.
    #[error(
        "the license is valid from {not_before}, but this server's clock says {now}: check the clock, or wait until then"
    )]
    NotYetValid {
        /// The start of validity.
        not_before: Timestamp,
        /// The time it was checked at.
        now: Timestamp,
    },
    /// The runtime's platform version is newer than the license covers.
    #[error(
        "the license covers the platform up to version {cap}, this runtime is version {running}: go back to version {cap} or earlier, or extend the subscription to cover {running} and install its new license from {}",
        crate::license_source()
    )]
    PlatformVersionNotCovered {
        /// The license's cap.
        cap: PlatformVersion,
        /// The version the runtime runs.
        running: PlatformVersion,
    },
    /// Expired and past its grace period.
    #[error(
        "the license expired at {expired_at} and its grace period ended at {grace_ended_at} (now {now}): renew the subscription and install a new license"
    )]
    Expired {
        /// The end of the subscription.
        expired_at: Timestamp,
        /// The end of the grace period.
        grace_ended_at: Timestamp,
        /// The time it was checked at.
        now: Timestamp,
    },
}

fn list(ids: &[KeyId]) -> String {
    if ids.is_empty() {
        return "none".into();
    }
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<FormatError> for ValidationError {
    fn from(e: FormatError) -> Self {
        match e {
            FormatError::Malformed {
                field,
                what,
                offset,
            } => ValidationError::Malformed {
                field,
                what,
                offset,
            },
            FormatError::UnsupportedVersion { found, supported } => {
                ValidationError::UnsupportedVersion { found, supported }
            }
            FormatError::UnknownCriticalExtension { tag, offset } => {
                ValidationError::UnknownCriticalExtension { tag, offset }
            }
        }
    }
}

/// A license that passed validation, and its state.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// use licensing::{LicenseState, TrustedKeys, Validator};
///
/// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
/// let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// let valid = validator.validate(&file.to_bytes(), &serial, None, now)?;
/// assert_eq!(valid.license().organization, "Acme Corp");
/// assert_eq!(valid.key_id(), key.public_key().key_id());
/// assert_eq!(valid.state(), LicenseState::Active);
/// assert!(valid.has_feature("multi-tenancy"));
/// # Ok::<(), licensing::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedLicense {
    verified: Arc<Verified>,
    // Copies of the verified file's indexes (each a shared pointer), held
    // here so a lookup reads this struct and then one slot.
    features: NameIndex,
    limits: NameIndex,
    state: LicenseState,
    /// See [`ValidatedLicense::days_left`]: computed with the state, at
    /// the time validated at.
    days_left: Option<u32>,
}

impl ValidatedLicense {
    /// The license's fields.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let valid = validator.validate(&file.to_bytes(), &file.license().serial_number, None, file.license().issued_at)?;
    /// assert_eq!(valid.license().serial_number, file.license().serial_number);
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    pub fn license(&self) -> &License {
        &self.verified.license
    }

    /// A number for the verification of these exact bytes, unique in this
    /// process and never reused: every validation a validator answers
    /// from its cache of verified files gives the same one, and a license
    /// with another number may differ in any field. A binding keys what it
    /// reads once from a license (features, limits) by it.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// use licensing::{TrustedKeys, Validator};
    ///
    /// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    /// let first = validator.validate(&file.to_bytes(), &serial, None, now)?;
    /// let again = validator.validate(&file.to_bytes(), &serial, None, now.plus_seconds(60))?;
    /// assert_eq!(first.verification_id(), again.verification_id());
    /// let other = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    /// let elsewhere = other.validate(&file.to_bytes(), &serial, None, now)?;
    /// assert_ne!(elsewhere.verification_id(), first.verification_id());
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    pub fn verification_id(&self) -> u64 {
        self.verified.id
    }

    /// The key that signed it.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let valid = validator.validate(&file.to_bytes(), &file.license().serial_number, None, file.license().issued_at)?;
    /// assert_eq!(valid.key_id(), key.public_key().key_id());
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    pub fn key_id(&self) -> KeyId {
        self.verified.key_id
    }

    /// Active, expiring soon or in grace.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let valid = validator.validate(&file.to_bytes(), &file.license().serial_number, None, file.license().issued_at)?;
    /// assert_eq!(valid.state(), licensing::LicenseState::Active);
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    pub fn state(&self) -> LicenseState {
        self.state
    }

    /// Days left at the time it was validated at, with one meaning on every
    /// surface: until it expires (active, expiring soon) or until its grace
    /// period ends (in grace); `None` for a license that never expires.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// let license = file.license();
    /// let valid = validator.validate(&file.to_bytes(), &license.serial_number, None, license.issued_at)?;
    /// // Active: the days until it expires, not 0.
    /// assert_eq!(valid.days_left(), Some(license.issued_at.days_until(license.expires_at.unwrap())));
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    pub fn days_left(&self) -> Option<u32> {
        self.days_left
    }

    /// Whether the license grants `feature`: one hash and, for the few
    /// features a license has, one slot read.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let license = file.license();
    /// use licensing::{TrustedKeys, Validator};
    ///
    /// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    /// let valid = validator.validate(&file.to_bytes(), &license.serial_number, None, license.issued_at)?;
    /// assert!(valid.has_feature("sap-connector"));
    /// assert!(!valid.has_feature("sap"));
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    #[inline]
    pub fn has_feature(&self, feature: &str) -> bool {
        self.has_feature_bytes(feature.as_bytes())
    }

    /// [`has_feature`](Self::has_feature) for a name given as bytes (as a
    /// C caller passes it, not necessarily UTF-8), through the index built
    /// when the file was verified.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let valid = validator.validate(&file.to_bytes(), &file.license().serial_number, None, file.license().issued_at)?;
    /// assert!(valid.has_feature_bytes(b"sap-connector"));
    /// assert!(!valid.has_feature_bytes(b"sap-connector\0"));
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    #[inline]
    pub fn has_feature_bytes(&self, feature: &[u8]) -> bool {
        self.features
            .find_in(|| self.verified.license.features.as_slice(), feature)
            .is_some()
    }

    /// The limit named `name`, if the license sets one.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let license = file.license();
    /// use licensing::{Enforcement, TrustedKeys, Validator};
    ///
    /// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    /// let valid = validator.validate(&file.to_bytes(), &license.serial_number, None, license.issued_at)?;
    /// let objects = valid.limit("application-objects").expect("the license sets it");
    /// assert_eq!((objects.value, objects.enforcement), (450, Enforcement::Hard));
    /// assert!(valid.limit("tenants").is_none());
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    #[inline]
    pub fn limit(&self, name: &str) -> Option<&Limit> {
        self.limit_bytes(name.as_bytes())
    }

    /// [`limit`](Self::limit) for a name given as bytes (as a C caller
    /// passes it), through the index built when the file was verified.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let valid = validator.validate(&file.to_bytes(), &file.license().serial_number, None, file.license().issued_at)?;
    /// assert_eq!(valid.limit_bytes(b"application-objects").map(|l| l.value), Some(450));
    /// assert!(valid.limit_bytes(b"\xff").is_none());
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    #[inline]
    pub fn limit_bytes(&self, name: &[u8]) -> Option<&Limit> {
        let limits = || self.verified.license.limits.as_slice();
        let at = self.limits.find_in(limits, name)?;
        limits().get(at)
    }

    /// Compares `usage` with the limit named `name`; a limit the license
    /// does not set is [`Usage::Unlimited`].
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let valid = validator.validate(&file.to_bytes(), &file.license().serial_number, None, file.license().issued_at)?;
    /// use licensing::Usage;
    ///
    /// // The sample license allows 450 application objects (hard limit).
    /// assert_eq!(valid.check_usage("application-objects", 100), Usage::Within);
    /// assert_eq!(valid.check_usage("application-objects", 420), Usage::Near);
    /// assert_eq!(valid.check_usage("application-objects", 451), Usage::OverHardLimit);
    /// assert_eq!(valid.check_usage("tenants", 1_000_000), Usage::Unlimited);
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    #[inline]
    pub fn check_usage(&self, name: &str, usage: u64) -> Usage {
        self.limit(name)
            .map_or(Usage::Unlimited, |l| l.check(usage))
    }
}

/// Verified licenses remembered per validator, by their exact bytes.
const CACHE_CAPACITY: usize = 64;

/// Validates license files against a fixed set of trusted keys. Immutable
/// apart from its cache, and safe to share between threads.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// use licensing::{TrustedKeys, Validator, LicenseState};
///
/// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
/// let license = file.license();
/// let valid = validator.validate(&file.to_bytes(), &license.serial_number, Some(&license.activation_code), license.issued_at)?;
/// assert_eq!(valid.state(), LicenseState::Active);
/// # Ok::<(), licensing::ValidationError>(())
/// ```
#[derive(Debug)]
pub struct Validator {
    keys: TrustedKeys,
    platform_version: Option<PlatformVersion>,
    verified: RwLock<VerifiedFiles>,
    signatures_checked: AtomicU64,
}

/// The cache's hasher: a file is hashed by its length and its last 32
/// bytes (the signature's `s`, which differs between any two signed
/// files), not all of its bytes, so that a lookup of bytes seen before
/// costs little; equality still compares every byte. Files crafted to share
/// their last bytes only share a bucket of a cache of bounded size.
#[derive(Default)]
struct TailHasher(u64);

impl std::hash::Hasher for TailHasher {
    fn write(&mut self, bytes: &[u8]) {
        let tail = &bytes[bytes.len().saturating_sub(32)..];
        for chunk in tail.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The files a validator has verified, by their exact bytes.
type VerifiedFiles = HashMap<Box<[u8]>, Arc<Verified>, BuildHasherDefault<TailHasher>>;

/// Numbers each verification of a file in this process (see
/// [`ValidatedLicense::verification_id`]).
static VERIFICATIONS: AtomicU64 = AtomicU64::new(1);

#[derive(Debug, PartialEq, Eq)]
struct Verified {
    id: u64,
    license: License,
    key_id: KeyId,
    features: NameIndex,
    limits: NameIndex,
}

impl Validator {
    /// A validator trusting `keys`. The keys never change for its lifetime,
    /// which is what makes remembering verified bytes safe.
    ///
    /// ```
    /// use licensing::{SigningKey, TrustedKeys, Validator};
    ///
    /// let key = SigningKey::generate();
    /// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    /// assert_eq!(validator.trusted_keys().key_ids(), [key.public_key().key_id()]);
    /// ```
    pub fn new(keys: TrustedKeys) -> Self {
        Self {
            keys,
            platform_version: None,
            verified: RwLock::new(HashMap::default()),
            signatures_checked: AtomicU64::new(0),
        }
    }

    /// The same validator, told the platform version this runtime runs:
    /// it then refuses a license whose platform version cap does not cover
    /// it ([`ValidationError::PlatformVersionNotCovered`]). A validator not
    /// told its version does not check caps.
    ///
    /// ```
    /// # let (mut license, key) = (licensing::testing::sample_license(), licensing::SigningKey::generate());
    /// use licensing::{SigningRequest, TrustedKeys, ValidationError, Validator};
    ///
    /// license.max_platform_version = Some("11.14".parse()?);
    /// let file = SigningRequest::new(license, key.public_key().key_id())?.sign(&key)?.to_bytes();
    /// let (serial, now) = (licensing::testing::sample_license().serial_number, licensing::testing::sample_license().issued_at);
    /// let for_version = |v: &str| -> Result<Validator, Box<dyn std::error::Error>> {
    ///     Ok(Validator::new(TrustedKeys::new([key.public_key().clone()])).with_platform_version(v.parse()?))
    /// };
    /// assert!(for_version("11.9")?.validate(&file, &serial, None, now).is_ok());
    /// let err = for_version("11.15")?.validate(&file, &serial, None, now).unwrap_err();
    /// assert!(matches!(err, ValidationError::PlatformVersionNotCovered { .. }));
    /// assert!(err.to_string().contains("covers the platform up to version 11.14, this runtime is version 11.15"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_platform_version(mut self, running: PlatformVersion) -> Self {
        self.platform_version = Some(running);
        self
    }

    /// The platform version this validator was told, if any.
    ///
    /// ```
    /// # let key = licensing::SigningKey::generate();
    /// let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// assert_eq!(validator.platform_version(), None);
    /// ```
    pub fn platform_version(&self) -> Option<&PlatformVersion> {
        self.platform_version.as_ref()
    }

    /// The trusted keys.
    ///
    /// ```
    /// # let key = licensing::SigningKey::generate();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// assert!(validator.trusted_keys().get(key.public_key().key_id()).is_some());
    /// ```
    pub fn trusted_keys(&self) -> &TrustedKeys {
        &self.keys
    }

    /// How many signatures this validator has checked: bytes it has
    /// verified before are not checked again.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// let bytes = file.to_bytes();
    /// assert_eq!(validator.signatures_checked(), 0);
    /// validator.validate(&bytes, &serial, None, now)?;
    /// validator.validate(&bytes, &serial, None, now)?;
    /// assert_eq!(validator.signatures_checked(), 1, "the same bytes are verified once");
    /// # Ok::<(), licensing::ValidationError>(())
    /// ```
    pub fn signatures_checked(&self) -> u64 {
        self.signatures_checked.load(Ordering::Relaxed)
    }

    /// Validates `file` (binary or text form) for the environment
    /// `this_environment`, at `now`, optionally checking that it belongs to
    /// the subscription `activation_code`.
    ///
    /// The checks, in order: layout, format version, trusted key,
    /// signature, activation code, serial number, platform version cap
    /// (see [`Validator::with_platform_version`]), not-before (with
    /// [`CLOCK_TOLERANCE_SECONDS`]), expiry and grace period.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// use licensing::{SigningKey, TrustedKeys, ValidationError, Validator};
    ///
    /// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
    /// let code = file.license().activation_code;
    /// let valid = validator.validate(file.to_armored().as_bytes(), &serial, Some(&code), now)?;
    /// assert_eq!(valid.license().activation_code, code);
    ///
    /// // A runtime that trusts another key refuses the file, and says why.
    /// let other = Validator::new(TrustedKeys::new([SigningKey::generate().public_key().clone()]));
    /// let err = other.validate(&file.to_bytes(), &serial, None, now).unwrap_err();
    /// assert!(matches!(err, ValidationError::UnknownKey { .. }));
    /// assert!(err.to_string().contains("install the vendor's current public key"));
    /// # Ok::<(), ValidationError>(())
    /// ```
    pub fn validate(
        &self,
        file: &[u8],
        this_environment: &SerialNumber,
        activation_code: Option<&ActivationCode>,
        now: Timestamp,
    ) -> Result<ValidatedLicense, ValidationError> {
        let verified = match self.remembered(file) {
            Some(v) => v,
            None => self.verify(file)?,
        };
        let license = &verified.license;
        if let Some(expected) = activation_code
            && &license.activation_code != expected
        {
            return Err(ValidationError::WrongActivationCode {
                license: license.activation_code,
                expected: *expected,
            });
        }
        if &license.serial_number != this_environment {
            return Err(ValidationError::WrongSerial {
                license: license.serial_number,
                this_environment: *this_environment,
            });
        }
        if let (Some(cap), Some(running)) = (&license.max_platform_version, &self.platform_version)
            && !cap.covers(running)
        {
            return Err(ValidationError::PlatformVersionNotCovered {
                cap: cap.clone(),
                running: running.clone(),
            });
        }
        if now.plus_seconds(CLOCK_TOLERANCE_SECONDS) < license.not_before {
            return Err(ValidationError::NotYetValid {
                not_before: license.not_before,
                now,
            });
        }
        let state = state_at(license, now)?;
        let days_left = match state {
            LicenseState::Active => license.expires_at.map(|end| now.days_until(end)),
            LicenseState::ExpiringSoon { days_left } | LicenseState::InGrace { days_left } => {
                Some(days_left)
            }
        };
        Ok(ValidatedLicense {
            days_left,
            features: verified.features.clone(),
            limits: verified.limits.clone(),
            verified,
            state,
        })
    }

    fn remembered(&self, file: &[u8]) -> Option<Arc<Verified>> {
        let map = self.verified.read().unwrap_or_else(|p| p.into_inner());
        map.get(file).cloned()
    }

    fn verify(&self, file: &[u8]) -> Result<Arc<Verified>, ValidationError> {
        let parsed = LicenseFile::parse(file)?;
        let key_id = parsed.key_id();
        let key = self
            .keys
            .get(key_id)
            .ok_or_else(|| ValidationError::UnknownKey {
                key_id,
                trusted: self.keys.key_ids(),
            })?;
        self.signatures_checked.fetch_add(1, Ordering::Relaxed);
        if !parsed.is_signed_by(key) {
            return Err(ValidationError::BadSignature { key_id });
        }
        let license = parsed.into_license();
        let verified = Arc::new(Verified {
            id: VERIFICATIONS.fetch_add(1, Ordering::Relaxed),
            features: NameIndex::new(&license.features),
            limits: NameIndex::new(&license.limits),
            license,
            key_id,
        });
        let mut map = self.verified.write().unwrap_or_else(|p| p.into_inner());
        if map.len() >= CACHE_CAPACITY {
            // Runtimes see one or two files; a full cache means churn, and
            // starting over is as good as any eviction order.
            map.clear();
        }
        map.insert(file.into(), Arc::clone(&verified));
        Ok(verified)
    }
}

/// The state of a license at `now`, or `Expired` past its grace period.
fn state_at(license: &License, now: Timestamp) -> Result<LicenseState, ValidationError> {
    let Some(expires_at) = license.expires_at else {
        return Ok(LicenseState::Active);
    };
    if now < expires_at {
        let days_left = now.days_until(expires_at);
        return Ok(
            if expires_at.unix_seconds().saturating_sub(now.unix_seconds())
                <= i64::from(EXPIRING_SOON_DAYS) * DAY
            {
                LicenseState::ExpiringSoon { days_left }
            } else {
                LicenseState::Active
            },
        );
    }
    // Exact, as docs/FORMAT.md section 7 says: the grace period of a
    // license that expires near the end of the i64 range ends beyond it.
    let grace_end =
        i128::from(expires_at.unix_seconds()) + i128::from(license.grace_days) * i128::from(DAY);
    let now_exact = i128::from(now.unix_seconds());
    if now_exact < grace_end {
        let days = (grace_end - now_exact - 1) / i128::from(DAY) + 1;
        Ok(LicenseState::InGrace {
            days_left: u32::try_from(days).unwrap_or(u32::MAX),
        })
    } else {
        Err(ValidationError::Expired {
            expired_at: expires_at,
            // At most `now`, so within the range.
            grace_ended_at: Timestamp::from_unix_seconds(grace_end as i64),
            now,
        })
    }
}
