//! The signed license file: a binary envelope around the postcard-encoded
//! [`License`], and its text armor. `docs/FORMAT.md` specifies it byte for
//! byte.

use crate::armor;
use crate::keys::{KeyId, PublicKey};
use crate::license::License;

/// The first four bytes of every binary license file.
///
/// ```
/// # let (file, _) = licensing::testing::sample_file();
/// assert_eq!(licensing::MAGIC, *b"LICF");
/// assert!(file.to_bytes().starts_with(&licensing::MAGIC));
/// ```
pub const MAGIC: [u8; 4] = *b"LICF";
/// The format version written for a license that uses nothing newer (no
/// extension): the byte after [`MAGIC`]. Every runtime reads it.
///
/// ```
/// # let (file, _) = licensing::testing::sample_file();
/// assert_eq!(file.to_bytes()[4], licensing::FORMAT_VERSION);
/// ```
pub const FORMAT_VERSION: u8 = 1;
/// The newest format version this library reads and writes: version 2
/// adds the extension list (docs/FORMAT.md section 3.3), and is written
/// only for a license that has an extension.
///
/// ```
/// # let (mut license, key) = (licensing::testing::sample_license(), licensing::SigningKey::generate());
/// license.max_platform_version = Some("11.14".parse()?);
/// let file = licensing::SigningRequest::new(license, key.public_key().key_id())?.sign(&key)?;
/// assert_eq!(file.to_bytes()[4], licensing::LATEST_FORMAT_VERSION);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const LATEST_FORMAT_VERSION: u8 = 2;
/// Bytes of the header: magic, version, key id, body length.
///
/// ```
/// use licensing::{HEADER_LEN, SIGNATURE_LEN};
/// # let (file, _) = licensing::testing::sample_file();
///
/// let bytes = file.to_bytes();
/// let body_len = u16::from_be_bytes([bytes[13], bytes[14]]);
/// assert_eq!(bytes.len(), HEADER_LEN + usize::from(body_len) + SIGNATURE_LEN);
/// ```
pub const HEADER_LEN: usize = 15;
/// Bytes of the signature: `r || s`, 32 bytes each, big-endian. They end
/// the binary form.
///
/// ```
/// # let (file, _) = licensing::testing::sample_file();
/// let bytes = file.to_bytes();
/// assert_eq!(bytes[bytes.len() - licensing::SIGNATURE_LEN..], file.signature()[..]);
/// ```
pub const SIGNATURE_LEN: usize = 64;
/// Prefixed to the header and body to make the signed message, so a
/// signature over a license file can never be mistaken for another use of
/// the same key.
///
/// ```
/// use licensing::SIGNING_DOMAIN;
/// # let (file, _) = licensing::testing::sample_file();
///
/// assert_eq!(SIGNING_DOMAIN, b"licensing/license-file\0");
/// assert!(file.signed_message().starts_with(SIGNING_DOMAIN));
/// ```
pub const SIGNING_DOMAIN: &[u8] = b"licensing/license-file\0";

/// A license file whose layout is wrong. The message says what is wrong
/// and at which byte.
///
/// ```
/// use licensing::{FormatError, LicenseFile};
/// # let (file, _) = licensing::testing::sample_file();
///
/// let err = LicenseFile::parse(b"LICF").unwrap_err();
/// assert!(matches!(err, FormatError::Malformed { offset: 4, .. }));
/// assert!(err.to_string().contains("cut short"));
///
/// let mut bytes = file.to_bytes();
/// bytes[4] = 9; // a newer format version
/// let err = LicenseFile::parse(&bytes).unwrap_err();
/// assert_eq!(err, FormatError::UnsupportedVersion { found: 9, supported: 2 });
/// assert!(err.to_string().contains("update the runtime"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Bytes that do not have the license file layout.
    #[error("malformed license file: {field} at byte {offset}: {what}")]
    Malformed {
        /// The field (docs/FORMAT.md's name: `serial_number`,
        /// `features[]`) or part of the file (`magic`, `body_length`,
        /// `signature`, `armor`) that is wrong.
        field: String,
        /// What is wrong.
        what: String,
        /// Where, in bytes from the start of the input.
        offset: usize,
    },
    /// A format version this library does not read.
    #[error(
        "license file format version {found} is not supported (this library reads versions 1 to {supported}): update the runtime, or ask the vendor for a file this runtime reads"
    )]
    UnsupportedVersion {
        /// The version in the file.
        found: u8,
        /// The newest version this library reads.
        supported: u8,
    },
    /// An extension this library does not know, which the issuer marked
    /// critical: the license says something this runtime cannot enforce.
    #[error(
        "the license carries extension {tag} (at byte {offset}), which this runtime does not know and must not ignore: update the runtime to a version that knows it"
    )]
    UnknownCriticalExtension {
        /// The extension's tag.
        tag: u16,
        /// Where its tag is, in bytes from the start of the input.
        offset: usize,
    },
}

fn malformed(field: &str, what: impl Into<String>, offset: usize) -> FormatError {
    FormatError::Malformed {
        field: field.to_owned(),
        what: what.into(),
        offset,
    }
}

/// A parsed license file: the exact signed bytes, the signature, and the
/// license decoded from them. Parsing does not check the signature: a
/// [`Validator`](crate::Validator) does.
///
/// ```
/// # let (file, _) = licensing::testing::sample_file();
/// use licensing::LicenseFile;
///
/// let parsed = LicenseFile::parse(&file.to_bytes())?;
/// assert_eq!(parsed.license(), file.license());
/// let from_text = LicenseFile::parse(file.to_armored().as_bytes())?;
/// assert_eq!(from_text.to_bytes(), file.to_bytes());
/// # Ok::<(), licensing::FormatError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseFile {
    key_id: KeyId,
    signed: Vec<u8>,
    signature: [u8; SIGNATURE_LEN],
    license: License,
}

/// The header and body of a license file, before it is signed.
pub(crate) struct Unsigned {
    pub key_id: KeyId,
    pub signed: Vec<u8>,
    pub license: License,
}

impl Unsigned {
    /// Encodes `license` (already normalized) for `key_id`.
    pub fn encode(license: License, key_id: KeyId) -> Result<Self, FormatError> {
        // postcard writes version 1's fields (the extension fields are
        // skipped by serde), the extension list follows in version 2.
        let mut body = postcard::to_allocvec(&license)
            .map_err(|e| malformed("body", format!("the license could not be encoded: {e}"), 0))?;
        let extensions = crate::extension::of(&license)
            .map_err(|e| malformed("extensions", e, HEADER_LEN + body.len()))?;
        let version = if extensions.is_empty() {
            FORMAT_VERSION
        } else {
            crate::extension::write(&mut body, &extensions);
            LATEST_FORMAT_VERSION
        };
        let len = u16::try_from(body.len()).map_err(|_| {
            malformed(
                "body_length",
                format!(
                    "the license body has {} bytes, at most 65535 fit",
                    body.len()
                ),
                HEADER_LEN,
            )
        })?;
        let mut signed = Vec::with_capacity(HEADER_LEN + body.len());
        signed.extend_from_slice(&MAGIC);
        signed.push(version);
        signed.extend_from_slice(&key_id.0);
        signed.extend_from_slice(&len.to_be_bytes());
        signed.extend_from_slice(&body);
        Ok(Self {
            key_id,
            signed,
            license,
        })
    }

    /// Reads a header and body (the signed bytes, without the signature);
    /// `expect_signature` says whether 64 signature bytes follow them in
    /// the input, for the length check and its message.
    pub fn decode(signed: &[u8], expect_signature: bool) -> Result<Self, FormatError> {
        let header = signed.get(..HEADER_LEN).ok_or_else(|| {
            malformed(
                "header",
                format!(
                    "the file has {} bytes, shorter than the {HEADER_LEN}-byte header: it was cut short",
                    signed.len()
                ),
                signed.len(),
            )
        })?;
        if header[..4] != MAGIC {
            return Err(malformed(
                "magic",
                format!(
                    "expected the binary form (starting with 'LICF') or the text form ('{}'), found bytes {}",
                    armor::BEGIN,
                    hex(&header[..4])
                ),
                0,
            ));
        }
        let version = header[4];
        if !(FORMAT_VERSION..=LATEST_FORMAT_VERSION).contains(&version) {
            return Err(FormatError::UnsupportedVersion {
                found: version,
                supported: LATEST_FORMAT_VERSION,
            });
        }
        let mut key_id = [0u8; 8];
        key_id.copy_from_slice(&header[5..13]);
        let body_len = usize::from(u16::from_be_bytes([header[13], header[14]]));
        let needed = HEADER_LEN + body_len + if expect_signature { SIGNATURE_LEN } else { 0 };
        let available = signed.len() + if expect_signature { SIGNATURE_LEN } else { 0 };
        if available != needed {
            let what = if available < needed {
                format!(
                    "the header announces {needed} bytes but the file has {available}: it was cut short"
                )
            } else {
                format!(
                    "the header announces {needed} bytes but the file has {available}: {} unexpected bytes follow",
                    available - needed
                )
            };
            return Err(malformed("body_length", what, available.min(needed)));
        }
        let body = &signed[HEADER_LEN..];
        let license = crate::license_body::read(body, HEADER_LEN, version)?;
        Ok(Self {
            key_id: KeyId(key_id),
            signed: signed.to_vec(),
            license,
        })
    }

    /// Attaches a 64-byte `r || s` signature.
    pub fn into_file(self, signature: [u8; SIGNATURE_LEN]) -> LicenseFile {
        LicenseFile {
            key_id: self.key_id,
            signed: self.signed,
            signature,
            license: self.license,
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl LicenseFile {
    /// Parses a license file in either form: binary (starts with `LICF`)
    /// or text (`-----BEGIN LICENSE-----`, anywhere in the input). The
    /// error says what is wrong and at which byte.
    ///
    /// ```
    /// use licensing::LicenseFile;
    /// # let (file, _) = licensing::testing::sample_file();
    ///
    /// let mail = format!("Hello,\r\nyour license:\r\n{}Regards", file.to_armored());
    /// assert_eq!(LicenseFile::parse(mail.as_bytes())?, file);
    /// assert_eq!(LicenseFile::parse(&file.to_bytes())?, file);
    /// let err = LicenseFile::parse(b"PK\x03\x04 a zip file, not a license").unwrap_err();
    /// assert!(err.to_string().contains("expected the binary form"));
    /// # Ok::<(), licensing::FormatError>(())
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, FormatError> {
        if !bytes.starts_with(&MAGIC) {
            if armor::is_armored(bytes) {
                return Self::parse_binary(&armor::dearmor(bytes)?);
            }
            if let Some(kind) = crate::file_kind::other_kind(bytes) {
                return Err(malformed(
                    "magic",
                    format!(
                        "this is {kind}; a license file starts with 'LICF' (binary) or '{}' (text): check which file you were given",
                        armor::BEGIN
                    ),
                    0,
                ));
            }
        }
        Self::parse_binary(bytes)
    }

    fn parse_binary(bytes: &[u8]) -> Result<Self, FormatError> {
        let split = bytes.len().saturating_sub(SIGNATURE_LEN);
        if bytes.len() < HEADER_LEN + SIGNATURE_LEN {
            // Too short for a signature: report against the header first.
            Unsigned::decode(bytes, false)?;
            return Err(malformed(
                "signature",
                format!(
                    "the file has {} bytes, too short for a header and a {SIGNATURE_LEN}-byte signature: it was cut short",
                    bytes.len()
                ),
                bytes.len(),
            ));
        }
        let unsigned = Unsigned::decode(&bytes[..split], true)?;
        let mut signature = [0u8; SIGNATURE_LEN];
        signature.copy_from_slice(&bytes[split..]);
        Ok(unsigned.into_file(signature))
    }

    /// The license inside.
    ///
    /// ```
    /// # let (file, _) = licensing::testing::sample_file();
    /// assert_eq!(file.license().organization, "Acme Corp");
    /// assert!(file.license().has_feature("multi-tenancy"));
    /// ```
    pub fn license(&self) -> &License {
        &self.license
    }

    /// Consumes the file, keeping the license.
    ///
    /// ```
    /// # let (file, _) = licensing::testing::sample_file();
    /// let expected = file.license().clone();
    /// assert_eq!(file.into_license(), expected);
    /// ```
    pub fn into_license(self) -> License {
        self.license
    }

    /// The id of the key that signed it: the one to look up in
    /// [`TrustedKeys`](crate::TrustedKeys).
    ///
    /// ```
    /// use licensing::TrustedKeys;
    /// # let (file, key) = licensing::testing::sample_file();
    ///
    /// let trusted = TrustedKeys::new([key.public_key().clone()]);
    /// assert_eq!(trusted.get(file.key_id()), Some(key.public_key()));
    /// ```
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The format version: [`FORMAT_VERSION`], or [`LATEST_FORMAT_VERSION`]
    /// for a license with an extension.
    ///
    /// ```
    /// # let (file, _) = licensing::testing::sample_file();
    /// assert_eq!(file.version(), licensing::FORMAT_VERSION);
    /// ```
    pub fn version(&self) -> u8 {
        self.signed[4]
    }

    /// The 64-byte `r || s` signature.
    ///
    /// ```
    /// # let (file, _) = licensing::testing::sample_file();
    /// assert!(file.to_bytes().ends_with(file.signature()));
    /// ```
    pub fn signature(&self) -> &[u8; SIGNATURE_LEN] {
        &self.signature
    }

    /// The exact message the signature covers: [`SIGNING_DOMAIN`], the
    /// header and the body.
    ///
    /// ```
    /// use licensing::{SIGNATURE_LEN, SIGNING_DOMAIN};
    /// # let (file, _) = licensing::testing::sample_file();
    ///
    /// let bytes = file.to_bytes();
    /// let header_and_body = &bytes[..bytes.len() - SIGNATURE_LEN];
    /// assert_eq!(file.signed_message(), [SIGNING_DOMAIN, header_and_body].concat());
    /// ```
    pub fn signed_message(&self) -> Vec<u8> {
        [SIGNING_DOMAIN, &self.signed].concat()
    }

    /// The signature DER-encoded, as `openssl dgst -verify` reads it;
    /// `None` when its bytes are not a well-formed signature at all.
    ///
    /// ```
    /// # let (file, _) = licensing::testing::sample_file();
    /// let der = file.signature_der().expect("a signature made by a SigningKey");
    /// assert_eq!(der[0], 0x30); // an ASN.1 SEQUENCE of the integers r and s
    /// assert!((8..=72).contains(&der.len()));
    /// ```
    pub fn signature_der(&self) -> Option<Vec<u8>> {
        p256::ecdsa::Signature::from_slice(&self.signature)
            .ok()
            .map(|s| s.to_der().as_bytes().to_vec())
    }

    /// Whether `key` signed exactly these bytes. This checks the signature
    /// only; a [`Validator`](crate::Validator) also checks the serial number
    /// and the dates.
    ///
    /// ```
    /// use licensing::{LicenseFile, SigningKey};
    /// # let (file, key) = licensing::testing::sample_file();
    ///
    /// assert!(file.is_signed_by(key.public_key()));
    /// assert!(!file.is_signed_by(SigningKey::generate().public_key()));
    /// let mut bytes = file.to_bytes();
    /// let last = bytes.len() - 1;
    /// bytes[last] ^= 1; // damage the signature
    /// assert!(!LicenseFile::parse(&bytes)?.is_signed_by(key.public_key()));
    /// # Ok::<(), licensing::FormatError>(())
    /// ```
    pub fn is_signed_by(&self, key: &PublicKey) -> bool {
        key.key_id() == self.key_id
            && key.verify_parts(&[SIGNING_DOMAIN, &self.signed], &self.signature)
    }

    /// The binary form: header, body and signature.
    ///
    /// ```
    /// use licensing::LicenseFile;
    /// # let (file, _) = licensing::testing::sample_file();
    ///
    /// let bytes = file.to_bytes();
    /// assert!(bytes.starts_with(b"LICF"));
    /// assert_eq!(LicenseFile::parse(&bytes)?, file);
    /// # Ok::<(), licensing::FormatError>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.signed.len() + SIGNATURE_LEN);
        out.extend_from_slice(&self.signed);
        out.extend_from_slice(&self.signature);
        out
    }

    /// The text form, for mail and copy-paste: base64 in lines of at most
    /// 64 characters between `BEGIN LICENSE` and `END LICENSE` lines.
    ///
    /// ```
    /// # let (file, _) = licensing::testing::sample_file();
    /// let text = file.to_armored();
    /// assert!(text.starts_with("-----BEGIN LICENSE-----\n"));
    /// assert!(text.ends_with("-----END LICENSE-----\n"));
    /// assert!(text.lines().all(|line| line.len() <= 64 || line.starts_with("-----")));
    /// ```
    pub fn to_armored(&self) -> String {
        armor::armor(&self.to_bytes())
    }
}
