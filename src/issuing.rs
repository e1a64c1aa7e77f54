//! The vendor's side: building an environment's license from the
//! infrastructure and signing it, with a key in hand or one kept elsewhere.

use crate::infrastructure::{Infrastructure, RegistryError};
use crate::keys::{KeyId, PublicKey, SigningKey};
use crate::license::{License, LicenseId};
use crate::license_file::{FormatError, LicenseFile, SIGNATURE_LEN, SIGNING_DOMAIN, Unsigned};
use crate::subscription::TermsError;
use crate::{SerialNumber, Timestamp};
use p256::ecdsa;

/// Anything that signs license files: a [`SigningKey`] in memory, or a key
/// kept in an HSM, a KMS or an offline machine.
///
/// `sign` gets the exact message and returns an ECDSA P-256 / SHA-256
/// signature over it, DER-encoded or as the 64 bytes `r || s`.
///
/// An external signer, here a stand-in for an HSM that holds the key and
/// counts its signatures:
///
/// ```
/// use licensing::{issue, KeyId, Signer, SigningKey, Timestamp};
/// use std::cell::Cell;
/// # let (infra, serial, _) = licensing::testing::sample_infrastructure();
///
/// struct Hsm { key: SigningKey, signed: Cell<u32> }
///
/// impl Signer for Hsm {
///     fn key_id(&self) -> KeyId { self.key.public_key().key_id() }
///     fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
///         self.signed.set(self.signed.get() + 1);
///         self.key.sign(message) // an HSM call in real life
///     }
/// }
///
/// let hsm = Hsm { key: SigningKey::generate(), signed: Cell::new(0) };
/// let file = issue(&infra, &serial, &hsm, Timestamp::now())?;
/// assert!(file.is_signed_by(hsm.key.public_key()));
/// assert_eq!(hsm.signed.get(), 1);
/// # Ok::<(), licensing::IssueError>(())
/// ```
pub trait Signer {
    /// The id of the public key that verifies this signer's signatures.
    ///
    /// ```
    /// use licensing::{Signer, SigningKey};
    ///
    /// let key = SigningKey::generate();
    /// assert_eq!(Signer::key_id(&key), key.public_key().key_id());
    /// ```
    fn key_id(&self) -> KeyId;
    /// Signs `message`.
    ///
    /// ```
    /// use licensing::{Signer, SigningKey};
    ///
    /// let key = SigningKey::generate();
    /// let signature = key.sign(b"message")?;
    /// assert_eq!(signature.len(), 64); // r || s
    /// assert_eq!(key.sign(b"message")?, signature); // deterministic (RFC 6979)
    /// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    /// ```
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>>;

    /// The public key of this signer, when it knows it. A signer outside
    /// this process (an HSM, a cloud KMS) should return it: every signature
    /// is then checked before a file is made, so a misconfigured signer
    /// fails at issue time instead of in every runtime. The default is
    /// `None` (no check); [`SigningKey`] needs none.
    ///
    /// ```
    /// use licensing::{issue, IssueError, KeyId, PublicKey, Signer, SigningKey, Timestamp};
    /// # let (infra, serial, _) = licensing::testing::sample_infrastructure();
    ///
    /// // A signer whose key is not the one it claims.
    /// struct Misconfigured { claimed: SigningKey, actual: SigningKey }
    ///
    /// impl Signer for Misconfigured {
    ///     fn key_id(&self) -> KeyId { self.claimed.public_key().key_id() }
    ///     fn sign(&self, m: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    ///         self.actual.sign(m)
    ///     }
    ///     fn public_key(&self) -> Option<PublicKey> { Some(self.claimed.public_key().clone()) }
    /// }
    ///
    /// let signer = Misconfigured { claimed: SigningKey::generate(), actual: SigningKey::generate() };
    /// let err = issue(&infra, &serial, &signer, Timestamp::now()).unwrap_err();
    /// assert!(matches!(err, IssueError::SignatureMismatch { .. }));
    /// ```
    fn public_key(&self) -> Option<PublicKey> {
        None
    }
}

impl Signer for SigningKey {
    fn key_id(&self) -> KeyId {
        self.public_key().key_id()
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
        Ok(self.sign_parts(&[message]).to_vec())
    }
}

/// Why a license could not be issued.
///
/// ```
/// use licensing::{issue, IssueError, RegistryError, Signer, SigningRequest, Timestamp};
/// # use licensing::{HardwareComponent, SerialNumber, SigningKey};
/// # let (infra, serial, key) = licensing::testing::sample_infrastructure();
/// # let stranger = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "other")])?;
///
/// // An environment that is not registered gets no license.
/// let err = issue(&infra, &stranger, &key, Timestamp::now()).unwrap_err();
/// assert!(matches!(err, IssueError::Registry(RegistryError::NotRegistered { .. })));
/// assert!(err.to_string().contains("is not registered"));
///
/// // A signature by another key than the request names is refused.
/// let license = licensing::license_for(&infra, &serial, Timestamp::now())?;
/// let request = SigningRequest::new(license, key.public_key().key_id())?;
/// let wrong = SigningKey::generate().sign(&request.message())?;
/// let err = request.attach(&wrong, Some(key.public_key())).unwrap_err();
/// assert!(matches!(err, IssueError::SignatureMismatch { .. }));
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The environment is not registered, or similar.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The subscription's terms are not valid (a JSON file edited by
    /// hand, say).
    #[error("the subscription's terms are not valid: {0}; correct them and issue again")]
    Terms(#[from] TermsError),
    /// The license could not be encoded, or a signing request was damaged.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A signature that is neither DER nor 64 raw bytes.
    #[error(
        "the signature is neither DER (as 'openssl dgst -sha256 -sign' writes) nor 64 raw bytes r||s: {0}"
    )]
    BadSignatureEncoding(String),
    /// The signature does not verify with the key named in the request.
    #[error(
        "the signature does not verify with public key {key_id}: it was made by another key or over other bytes; sign the signing input exactly as written"
    )]
    SignatureMismatch {
        /// The key the request names.
        key_id: KeyId,
    },
    /// The signer tells a public key ([`Signer::public_key`]) other than
    /// the one it names ([`Signer::key_id`]): it is misconfigured.
    #[error(
        "the signer names public key {names} but tells public key {tells}: configure it with the key it signs with, and name that key"
    )]
    SignerKeyMismatch {
        /// The key the signer names (and the request is for).
        names: KeyId,
        /// The key the signer tells.
        tells: KeyId,
    },
    /// The signer failed.
    #[error("the signer failed: {0}")]
    Signer(Box<dyn std::error::Error + Send + Sync>),
    /// The operating system gave no randomness for the license id.
    #[error("the operating system's random number generator failed: {0}")]
    Random(getrandom::Error),
}

/// The bytes to sign for one license file, for signers outside this
/// process: write [`message`](Self::message) to a file, sign it (for
/// example `openssl dgst -sha256 -sign vendor.key -out sig.der req.bin`)
/// and [`attach`](Self::attach) the signature.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// use licensing::SigningRequest;
///
/// let request = SigningRequest::new(file.license().clone(), key.public_key().key_id())?;
/// let message = request.message();
/// // ... signed elsewhere ...
/// # use licensing::Signer;
/// let signature = key.sign(&message).unwrap();
/// let signed = SigningRequest::from_message(&message)?.attach(&signature, Some(key.public_key()))?;
/// assert_eq!(signed.license(), file.license());
/// # Ok::<(), licensing::IssueError>(())
/// ```
pub struct SigningRequest(Unsigned);

impl SigningRequest {
    /// The request for `license` to be signed by the key `key_id`. The
    /// features and limits are sorted first, as every license file has them.
    ///
    /// ```
    /// use licensing::SigningRequest;
    /// # let (key, mut license) = (licensing::SigningKey::generate(), licensing::testing::sample_license());
    ///
    /// license.features = vec!["sso".into(), "audit".into()];
    /// let request = SigningRequest::new(license, key.public_key().key_id())?;
    /// assert_eq!(request.license().features, ["audit", "sso"]);
    /// # Ok::<(), licensing::IssueError>(())
    /// ```
    pub fn new(mut license: License, key_id: KeyId) -> Result<Self, IssueError> {
        license.normalize();
        Ok(Self(Unsigned::encode(license, key_id)?))
    }

    /// Reads a request back from its message (as written to a file for
    /// the signer), so that the signature can be attached to it later.
    ///
    /// ```
    /// use licensing::SigningRequest;
    /// # let (key, license) = (licensing::SigningKey::generate(), licensing::testing::sample_license());
    ///
    /// let message = SigningRequest::new(license.clone(), key.public_key().key_id())?.message();
    /// let request = SigningRequest::from_message(&message)?;
    /// assert_eq!(request.license(), &license);
    /// assert!(SigningRequest::from_message(b"something else").is_err());
    /// # Ok::<(), licensing::IssueError>(())
    /// ```
    pub fn from_message(message: &[u8]) -> Result<Self, IssueError> {
        let signed = message.strip_prefix(SIGNING_DOMAIN).ok_or_else(|| {
            FormatError::Malformed {
                field: "signing domain".into(),
                what: "not a signing request: it does not start with the signing domain 'licensing/license-file'".into(),
                offset: 0,
            }
        })?;
        Unsigned::decode(signed, false).map(Self).map_err(|e| {
            match e {
                FormatError::Malformed {
                    field,
                    what,
                    offset,
                } => FormatError::Malformed {
                    field,
                    what,
                    offset: offset + SIGNING_DOMAIN.len(),
                },
                other => other,
            }
            .into()
        })
    }

    /// The exact bytes to sign: the signing domain, the header and the body.
    ///
    /// ```
    /// use licensing::{SigningRequest, SIGNING_DOMAIN};
    /// # let (key, license) = (licensing::SigningKey::generate(), licensing::testing::sample_license());
    ///
    /// let request = SigningRequest::new(license, key.public_key().key_id())?;
    /// let message = request.message();
    /// assert!(message.starts_with(SIGNING_DOMAIN));
    /// assert_eq!(message[SIGNING_DOMAIN.len()..][..4], *b"LICF");
    /// # Ok::<(), licensing::IssueError>(())
    /// ```
    pub fn message(&self) -> Vec<u8> {
        [SIGNING_DOMAIN, &self.0.signed].concat()
    }

    /// The license to be signed.
    ///
    /// ```
    /// use licensing::SigningRequest;
    /// # let (key, license) = (licensing::SigningKey::generate(), licensing::testing::sample_license());
    ///
    /// let request = SigningRequest::new(license.clone(), key.public_key().key_id())?;
    /// assert_eq!(request.license().license_id, license.license_id);
    /// # Ok::<(), licensing::IssueError>(())
    /// ```
    pub fn license(&self) -> &License {
        &self.0.license
    }

    /// The id of the key that must sign.
    ///
    /// ```
    /// use licensing::SigningRequest;
    /// # let (key, license) = (licensing::SigningKey::generate(), licensing::testing::sample_license());
    ///
    /// let request = SigningRequest::new(license, key.public_key().key_id())?;
    /// assert_eq!(request.key_id(), key.public_key().key_id());
    /// # Ok::<(), licensing::IssueError>(())
    /// ```
    pub fn key_id(&self) -> KeyId {
        self.0.key_id
    }

    /// Makes the license file from a signature over [`message`](Self::message),
    /// DER or 64 raw bytes. With `key`, the signature is checked first (do
    /// check: a wrong signature makes a file every runtime refuses).
    ///
    /// ```
    /// use licensing::{IssueError, Signer, SigningRequest};
    /// # let (key, license) = (licensing::SigningKey::generate(), licensing::testing::sample_license());
    ///
    /// let request = SigningRequest::new(license, key.public_key().key_id())?;
    /// let signature = key.sign(&request.message())?; // or read from `openssl dgst` output
    /// let file = request.attach(&signature, Some(key.public_key()))?;
    /// assert!(file.is_signed_by(key.public_key()));
    /// # let request = SigningRequest::new(file.license().clone(), key.public_key().key_id())?;
    /// let err = request.attach(b"not a signature", Some(key.public_key())).unwrap_err();
    /// assert!(matches!(err, IssueError::BadSignatureEncoding(_)));
    /// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    /// ```
    pub fn attach(
        self,
        signature: &[u8],
        key: Option<&PublicKey>,
    ) -> Result<LicenseFile, IssueError> {
        let parsed = if signature.len() == SIGNATURE_LEN {
            ecdsa::Signature::from_slice(signature)
        } else {
            ecdsa::Signature::from_der(signature)
        }
        .map_err(|e| IssueError::BadSignatureEncoding(e.to_string()))?;
        // Low-s form: one signature per message, as the signing key writes it.
        let raw: [u8; SIGNATURE_LEN] = parsed.normalize_s().to_bytes().into();
        let file = self.0.into_file(raw);
        if let Some(key) = key
            && !file.is_signed_by(key)
        {
            return Err(IssueError::SignatureMismatch {
                key_id: file.key_id(),
            });
        }
        Ok(file)
    }

    /// Signs with `signer` and makes the license file. The signature is
    /// checked when the signer tells its public key
    /// ([`Signer::public_key`]), which must then be the key this request
    /// names.
    ///
    /// ```
    /// use licensing::SigningRequest;
    /// # let (key, license) = (licensing::SigningKey::generate(), licensing::testing::sample_license());
    ///
    /// let file = SigningRequest::new(license, key.public_key().key_id())?.sign(&key)?;
    /// assert!(file.is_signed_by(key.public_key()));
    /// # Ok::<(), licensing::IssueError>(())
    /// ```
    pub fn sign(self, signer: &dyn Signer) -> Result<LicenseFile, IssueError> {
        // Checked before signing: an HSM call is not spent on a request
        // whose file no runtime would accept.
        let key = signer.public_key();
        if let Some(key) = &key
            && key.key_id() != self.key_id()
        {
            return Err(IssueError::SignerKeyMismatch {
                names: self.key_id(),
                tells: key.key_id(),
            });
        }
        let signature = signer.sign(&self.message()).map_err(IssueError::Signer)?;
        self.attach(&signature, key.as_ref())
    }
}

/// Builds the license of the registered environment `serial` from the
/// infrastructure's current terms, valid from `now`.
///
/// ```
/// # let (infra, serial, key) = licensing::testing::sample_infrastructure();
/// use licensing::{license_for, SigningRequest, Timestamp};
///
/// let license = license_for(&infra, &serial, Timestamp::now())?;
/// let file = SigningRequest::new(license, key.public_key().key_id())?.sign(&key)?;
/// assert_eq!(file.license().serial_number, serial);
/// # Ok::<(), licensing::IssueError>(())
/// ```
pub fn license_for(
    infrastructure: &Infrastructure,
    serial: &SerialNumber,
    now: Timestamp,
) -> Result<License, IssueError> {
    let environment = infrastructure
        .environment(serial)
        .ok_or_else(|| infrastructure.not_registered(serial))?;
    let subscription = infrastructure.subscription();
    let terms = subscription.terms();
    // The subscription may come from a JSON file edited by hand: what the
    // constructors refuse is refused here too, before anything is signed.
    terms.check()?;
    crate::infrastructure::check_name(&environment.name)?;
    let mut license = License {
        license_id: LicenseId::generate().map_err(IssueError::Random)?,
        revision: subscription.revision(),
        issued_at: now,
        not_before: now,
        expires_at: terms.ends.map(crate::Date::end_of_day),
        grace_days: terms.grace_days,
        activation_code: subscription.activation_code(),
        serial_number: *serial,
        environment_name: environment.name.clone(),
        purpose: environment.purpose,
        license_type: environment.purpose.license_type(),
        organization: terms.organization.clone(),
        edition: terms.edition.clone(),
        support: terms.support.clone(),
        limits: terms.limits_for(environment.purpose),
        features: terms.features.iter().cloned().collect(),
        max_platform_version: terms.max_platform_version.clone(),
        summed_limits: (environment.purpose == crate::Purpose::Production)
            .then(|| terms.summed_limits()),
        other_extensions: Vec::new(),
    };
    license.normalize();
    Ok(license)
}

/// Issues the license file of the registered environment `serial`, signed
/// by `signer`.
///
/// ```
/// # let (infra, serial, key) = licensing::testing::sample_infrastructure();
/// let file = licensing::issue(&infra, &serial, &key, licensing::Timestamp::now())?;
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("production.lic");
/// std::fs::write(&path, file.to_bytes())?;
/// assert_eq!(licensing::LicenseFile::parse(&std::fs::read(&path)?)?, file);
/// assert!(file.is_signed_by(key.public_key()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn issue(
    infrastructure: &Infrastructure,
    serial: &SerialNumber,
    signer: &dyn Signer,
    now: Timestamp,
) -> Result<LicenseFile, IssueError> {
    let license = license_for(infrastructure, serial, now)?;
    SigningRequest::new(license, signer.key_id())?.sign(signer)
}

/// Issues the license file of every registered environment, at the
/// subscription's current revision, signed by `key`: one per environment,
/// in the order of [`Infrastructure::environments`]. The signing is spread
/// over the machine's cores ([`std::thread::available_parallelism`]); the
/// first error stops the issue (no partial list).
///
/// ```
/// use licensing::{issue_all, Purpose, Timestamp, TrustedKeys, Validator};
/// # use licensing::{HardwareComponent, SerialNumber};
/// let (mut infra, serial, key) = licensing::testing::sample_infrastructure();
/// let qa = SerialNumber::from_components(&[HardwareComponent::new("machine-id", "qa")])?;
/// infra.register(qa, "QA", Purpose::NonProduction, Timestamp::now())?;
///
/// let files = issue_all(&infra, &key, Timestamp::now())?;
/// assert_eq!(files.len(), 2);
/// assert_eq!(files[0].license().serial_number, serial);
/// assert_eq!(files[1].license().serial_number, qa);
/// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
/// validator.validate(&files[1].to_bytes(), &qa, None, Timestamp::now())?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn issue_all(
    infrastructure: &Infrastructure,
    key: &SigningKey,
    at: Timestamp,
) -> Result<Vec<LicenseFile>, IssueError> {
    let environments = infrastructure.environments();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let per_thread = environments.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = environments
            .chunks(per_thread)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|e| issue(infrastructure, &e.serial_number, key, at))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut files = Vec::with_capacity(environments.len());
        // Joined in order: the files come back in the environments' order.
        for worker in workers {
            match worker.join() {
                Ok(chunk) => files.extend(chunk?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(files)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::sample_infrastructure;

    /// An outside signer: `claims` is the key it names, `signs_with` the
    /// key it really uses, `tells` the public key it reports.
    struct Outside {
        claims: SigningKey,
        signs_with: SigningKey,
        tells: Option<PublicKey>,
    }

    impl Signer for Outside {
        fn key_id(&self) -> KeyId {
            self.claims.public_key().key_id()
        }
        fn sign(&self, m: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
            self.signs_with.sign(m)
        }
        fn public_key(&self) -> Option<PublicKey> {
            self.tells.clone()
        }
    }

    #[test]
    fn an_outside_signer_that_tells_its_key_is_checked() {
        let (infra, serial, _) = sample_infrastructure();
        let key = SigningKey::generate();
        let other = SigningKey::generate();
        let issue_with =
            |claims: &SigningKey, signs_with: &SigningKey, tells: Option<&SigningKey>| {
                let signer = Outside {
                    claims: claims.clone(),
                    signs_with: signs_with.clone(),
                    tells: tells.map(|k| k.public_key().clone()),
                };
                issue(&infra, &serial, &signer, Timestamp::now())
            };
        // Consistent: issued and verifiable.
        let file = issue_with(&key, &key, Some(&key)).unwrap();
        assert!(file.is_signed_by(key.public_key()));
        // Signs with another key than it names: caught.
        assert!(matches!(
            issue_with(&key, &other, Some(&key)),
            Err(IssueError::SignatureMismatch { .. })
        ));
        // Tells a key that is not the one it names: caught before signing,
        // even though the signature would match the key it tells.
        let err = issue_with(&key, &other, Some(&other)).unwrap_err();
        assert!(
            matches!(err, IssueError::SignerKeyMismatch { names, tells }
                if names == key.public_key().key_id() && tells == other.public_key().key_id()),
            "{err:?}"
        );
        assert!(err.to_string().contains("configure it"), "{err}");
        // Tells nothing: not checked (the runtime will refuse the file).
        let unchecked = issue_with(&key, &other, None).unwrap();
        assert!(!unchecked.is_signed_by(key.public_key()));
    }

    #[test]
    fn issue_all_gives_one_valid_license_per_environment_in_order() {
        use crate::{HardwareComponent, Purpose, TrustedKeys, Validator};
        let (mut infra, _, key) = sample_infrastructure();
        let mut terms = infra.subscription().terms().clone();
        terms.slots.non_production = 6;
        terms.slots.development = 5;
        infra.amend(terms).unwrap();
        for i in 0..10 {
            let serial = SerialNumber::from_components(&[HardwareComponent::new(
                "machine-id",
                format!("environment-{i}"),
            )])
            .unwrap();
            let purpose = if i % 2 == 0 {
                Purpose::NonProduction
            } else {
                Purpose::Development
            };
            infra
                .register(
                    serial,
                    &format!("Environment {i}"),
                    purpose,
                    Timestamp::now(),
                )
                .unwrap();
        }
        let at = Timestamp::now();
        let files = issue_all(&infra, &key, at).unwrap();
        assert_eq!(files.len(), infra.environments().len());
        assert_eq!(files.len(), 11);
        let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
        for (file, environment) in files.iter().zip(infra.environments()) {
            let serial = environment.serial_number;
            assert_eq!(file.license().serial_number, serial);
            assert!(
                validator
                    .validate(&file.to_bytes(), &serial, None, at)
                    .is_ok()
            );
            // What `issue` gives, but for the random license id and signature.
            let one = issue(&infra, &serial, &key, at).unwrap();
            let mut license = file.license().clone();
            license.license_id = one.license().license_id;
            assert_eq!(&license, one.license());
        }
        // No environment: no license.
        let (empty, _, _) = sample_infrastructure();
        let mut empty = empty;
        let production = empty.environments()[0].serial_number;
        empty.release(&production).unwrap();
        assert!(issue_all(&empty, &key, at).unwrap().is_empty());
    }
}

#[cfg(test)]
mod hand_edited {
    use super::*;
    use crate::testing::sample_infrastructure;

    /// The sample infrastructure with one JSON field replaced, as a hand
    /// edit of the subscription file would.
    fn edited(path: &[&str], value: &str) -> (Infrastructure, SerialNumber) {
        let (infra, serial, _) = sample_infrastructure();
        let mut json = serde_json::to_value(&infra).unwrap();
        let mut field = &mut json;
        for key in path {
            field = if let Ok(i) = key.parse::<usize>() {
                &mut field[i]
            } else {
                &mut field[*key]
            };
        }
        assert!(field.is_string(), "{path:?} is {field}");
        *field = value.into();
        (serde_json::from_value(json).unwrap(), serial)
    }

    #[test]
    fn terms_edited_into_invalid_text_are_not_issued() {
        let key = SigningKey::generate();
        let (infra, serial) = edited(&["subscription", "terms", "organization"], "Acme\0Corp");
        let err = issue(&infra, &serial, &key, Timestamp::now()).unwrap_err();
        assert!(
            matches!(
                err,
                IssueError::Terms(TermsError::ControlCharacter("organization"))
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("control character"), "{err}");
        let (infra, serial) = edited(&["environments", "0", "name"], "Prod\nuction");
        let err = issue(&infra, &serial, &key, Timestamp::now()).unwrap_err();
        assert!(
            matches!(err, IssueError::Registry(RegistryError::BadName(_))),
            "{err:?}"
        );
        // Unedited, it issues.
        let (infra, serial) = edited(&["subscription", "terms", "organization"], "Acme Corp");
        assert!(issue(&infra, &serial, &key, Timestamp::now()).is_ok());
    }
}
