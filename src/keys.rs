//! The vendor's ECDSA P-256 keys: signing keys (PKCS#8 PEM), public keys
//! (SPKI PEM), key ids, and the set of keys a runtime trusts.

use p256::ecdsa;
use p256::elliptic_curve::Generate;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use p256::pkcs8::{DecodePublicKey, EncodePublicKey};
use sha2::{Digest, Sha256};
use std::fmt;

/// Identifies a public key: the first 8 bytes of SHA-256 over its SPKI DER
/// encoding (what `openssl pkey -pubin -outform DER | sha256sum` hashes).
/// It is shown as 16 hex digits, and every license file names the key that
/// signed it by its id.
///
/// ```
/// use licensing::KeyId;
///
/// let id = KeyId([0x67, 0xea, 0x80, 0xfd, 0x12, 0xe3, 0x4d, 0xa4]);
/// assert_eq!(id.to_string(), "67ea80fd12e34da4");
/// assert_eq!(format!("{id:?}"), "KeyId(67ea80fd12e34da4)");
/// # let (file, key) = licensing::testing::sample_file();
/// assert_eq!(file.key_id(), key.public_key().key_id());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// A key that could not be read or written. The message says which form
/// was expected and how to make it.
///
/// ```
/// use licensing::{KeyError, SigningKey, TrustedKeys};
///
/// let err = SigningKey::from_pem("not a key").unwrap_err();
/// assert!(matches!(err, KeyError::BadPrivateKey(_)));
/// assert!(err.to_string().contains("not a P-256 private key"));
/// let err = TrustedKeys::from_pem("no keys here").unwrap_err();
/// assert_eq!(err, KeyError::NoPublicKey);
/// assert!(err.to_string().starts_with("no public key found"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// A private key that is neither PKCS#8 nor SEC1 P-256 PEM.
    #[error(
        "not a P-256 private key: expected PEM with '-----BEGIN PRIVATE KEY-----' (PKCS#8, as 'licensing keygen' and 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256' write) or '-----BEGIN EC PRIVATE KEY-----' ({0})"
    )]
    BadPrivateKey(String),
    /// A public key that is not SPKI P-256 PEM.
    #[error(
        "public key {index}: not a P-256 public key in SPKI PEM ('-----BEGIN PUBLIC KEY-----', as 'licensing keygen' and 'openssl pkey -pubout' write): {reason}"
    )]
    BadPublicKey {
        /// Which key in the text (1 is the first).
        index: usize,
        /// What was wrong.
        reason: String,
    },
    /// Bytes that are not an SPKI DER P-256 public key.
    #[error(
        "not a P-256 public key in SPKI DER (as 'openssl pkey -pubin -outform DER' writes): {0}"
    )]
    BadPublicKeyDer(String),
    /// No public key in the text.
    #[error(
        "no public key found: expected one or more '-----BEGIN PUBLIC KEY-----' blocks (the vendor's public keys, from 'licensing keygen --public')"
    )]
    NoPublicKey,
    /// The key could not be encoded.
    #[error("the key could not be encoded: {0}")]
    Encoding(String),
}

/// The vendor's private signing key (ECDSA P-256). Keep it secret; the
/// runtime only needs its [`PublicKey`].
///
/// ```
/// use licensing::SigningKey;
///
/// let key = SigningKey::generate();
/// let pem = key.to_pkcs8_pem()?;
/// assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
/// assert_eq!(SigningKey::from_pem(&pem)?.public_key(), key.public_key());
/// # Ok::<(), licensing::KeyError>(())
/// ```
#[derive(Clone)]
pub struct SigningKey {
    key: ecdsa::SigningKey,
    public: PublicKey,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", self.public.key_id)
    }
}

impl SigningKey {
    /// A new random key (from the operating system's generator).
    ///
    /// ```
    /// use licensing::SigningKey;
    ///
    /// let (a, b) = (SigningKey::generate(), SigningKey::generate());
    /// assert_ne!(a.public_key().key_id(), b.public_key().key_id());
    /// ```
    pub fn generate() -> Self {
        Self::from_ecdsa(ecdsa::SigningKey::generate())
    }

    fn from_ecdsa(key: ecdsa::SigningKey) -> Self {
        let public = PublicKey::from_ecdsa(*key.verifying_key());
        Self { key, public }
    }

    /// Reads a PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE
    /// KEY`) PEM private key on the P-256 curve.
    ///
    /// ```
    /// use licensing::SigningKey;
    ///
    /// let key = SigningKey::generate();
    /// let again = SigningKey::from_pem(&key.to_pkcs8_pem()?)?;
    /// assert_eq!(again.public_key(), key.public_key());
    /// // A public key is not a signing key.
    /// assert!(SigningKey::from_pem(&key.public_key().to_pem()?).is_err());
    /// # Ok::<(), licensing::KeyError>(())
    /// ```
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let pem = pem.trim();
        if pem.starts_with("-----BEGIN EC PRIVATE KEY-----") {
            let secret = p256::SecretKey::from_sec1_pem(pem)
                .map_err(|e| KeyError::BadPrivateKey(e.to_string()))?;
            return Ok(Self::from_ecdsa(secret.into()));
        }
        ecdsa::SigningKey::from_pkcs8_pem(pem)
            .map(Self::from_ecdsa)
            .map_err(|e| KeyError::BadPrivateKey(e.to_string()))
    }

    /// The key as PKCS#8 PEM, which OpenSSL reads.
    ///
    /// ```
    /// let pem = licensing::SigningKey::generate().to_pkcs8_pem()?;
    /// assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    /// assert!(pem.ends_with("-----END PRIVATE KEY-----\n"));
    /// # Ok::<(), licensing::KeyError>(())
    /// ```
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| KeyError::Encoding(e.to_string()))
    }

    /// The matching public key.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// assert!(file.is_signed_by(key.public_key()));
    /// ```
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// Signs `message` (ECDSA over SHA-256 with a deterministic nonce,
    /// RFC 6979): the 64-byte `r || s`, with `s` in its low form.
    pub(crate) fn sign_parts(&self, message: &[&[u8]]) -> [u8; 64] {
        use p256::ecdsa::signature::MultipartSigner;
        let signature: ecdsa::Signature = self.key.multipart_sign(message);
        signature.normalize_s().to_bytes().into()
    }
}

/// A vendor public key, as the runtime trusts it.
///
/// ```
/// use licensing::{PublicKey, SigningKey};
///
/// let public = SigningKey::generate().public_key().clone();
/// let pem = public.to_pem()?;
/// assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
/// assert_eq!(PublicKey::from_pem(&pem)?.key_id(), public.key_id());
/// # Ok::<(), licensing::KeyError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: ecdsa::VerifyingKey,
    key_id: KeyId,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id)
    }
}

impl PublicKey {
    fn from_ecdsa(key: ecdsa::VerifyingKey) -> Self {
        let der = key
            .to_public_key_der()
            .expect("a valid P-256 point always has an SPKI encoding");
        let digest = Sha256::digest(der.as_bytes());
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        Self {
            key,
            key_id: KeyId(id),
        }
    }

    /// Reads one SPKI PEM public key (`BEGIN PUBLIC KEY`) on the P-256 curve.
    ///
    /// ```
    /// use licensing::PublicKey;
    ///
    /// let pem = "-----BEGIN PUBLIC KEY-----
    /// MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgwaf+wNpptHTJMgP8DSEI6OSmvTq
    /// JXnezS3uixBjc0/77nnqClTZIoIvpENyaW8/evajt59OskDYPYUNyHb9bA==
    /// -----END PUBLIC KEY-----";
    /// let key = PublicKey::from_pem(pem)?;
    /// assert_eq!(key.key_id().to_string(), "67ea80fd12e34da4");
    /// assert!(PublicKey::from_pem("-----BEGIN PUBLIC KEY-----").is_err());
    /// # Ok::<(), licensing::KeyError>(())
    /// ```
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        ecdsa::VerifyingKey::from_public_key_pem(pem.trim())
            .map(Self::from_ecdsa)
            .map_err(|e| KeyError::BadPublicKey {
                index: 1,
                reason: e.to_string(),
            })
    }

    /// Reads an SPKI DER public key.
    ///
    /// ```
    /// use licensing::PublicKey;
    ///
    /// # use base64ct::{Base64, Encoding};
    /// # let b64 = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgwaf+wNpptHTJMgP8DSEI6OSmvTq\
    /// #     JXnezS3uixBjc0/77nnqClTZIoIvpENyaW8/evajt59OskDYPYUNyHb9bA==";
    /// # let der = Base64::decode_vec(b64).unwrap();
    /// // `der`: the output of `openssl pkey -pubin -outform DER`.
    /// let key = PublicKey::from_der(&der)?;
    /// assert_eq!(key.key_id().to_string(), "67ea80fd12e34da4");
    /// let err = PublicKey::from_der(&der[..der.len() - 1]).unwrap_err();
    /// assert!(err.to_string().starts_with("not a P-256 public key in SPKI DER"));
    /// # Ok::<(), licensing::KeyError>(())
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        ecdsa::VerifyingKey::from_public_key_der(der)
            .map(Self::from_ecdsa)
            .map_err(|e| KeyError::BadPublicKeyDer(e.to_string()))
    }

    /// The key as SPKI PEM, which OpenSSL reads.
    ///
    /// ```
    /// use licensing::{PublicKey, SigningKey};
    ///
    /// let public = SigningKey::generate().public_key().clone();
    /// let pem = public.to_pem()?;
    /// assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    /// assert_eq!(PublicKey::from_pem(&pem)?, public);
    /// # Ok::<(), licensing::KeyError>(())
    /// ```
    pub fn to_pem(&self) -> Result<String, KeyError> {
        self.key
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| KeyError::Encoding(e.to_string()))
    }

    /// The key's id, written into every license file it signs.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// assert_eq!(key.public_key().key_id(), file.key_id());
    /// ```
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// Whether `signature` (64-byte `r || s`) signs the concatenation of
    /// `message`'s parts.
    pub(crate) fn verify_parts(&self, message: &[&[u8]], signature: &[u8; 64]) -> bool {
        use p256::ecdsa::signature::MultipartVerifier;
        match ecdsa::Signature::from_slice(signature) {
            // Only the low-s form counts: with (r, n-s) also valid, a second
            // file with the same contents would exist (and miss the cache).
            Ok(sig) if sig.normalize_s() == sig => self.key.multipart_verify(message, &sig).is_ok(),
            _ => false,
        }
    }
}

/// The vendor keys a runtime accepts license files from. Several at once,
/// so keys can be rotated: files signed by the old key stay valid while new
/// ones are signed by the new key.
///
/// ```
/// use licensing::{SigningKey, TrustedKeys};
///
/// let (old, new) = (SigningKey::generate(), SigningKey::generate());
/// let pem = old.public_key().to_pem()? + &new.public_key().to_pem()?;
/// let trusted = TrustedKeys::from_pem(&pem)?;
/// assert!(trusted.get(new.public_key().key_id()).is_some());
/// # Ok::<(), licensing::KeyError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys(Vec<PublicKey>);

const PUBLIC_BEGIN: &str = "-----BEGIN PUBLIC KEY-----";
const PUBLIC_END: &str = "-----END PUBLIC KEY-----";

impl TrustedKeys {
    /// Trusts exactly `keys`.
    ///
    /// ```
    /// use licensing::{SigningKey, TrustedKeys};
    ///
    /// let key = SigningKey::generate();
    /// let trusted = TrustedKeys::new([key.public_key().clone()]);
    /// assert_eq!(trusted.key_ids(), [key.public_key().key_id()]);
    /// ```
    pub fn new(keys: impl IntoIterator<Item = PublicKey>) -> Self {
        Self(keys.into_iter().collect())
    }

    /// Reads every `BEGIN PUBLIC KEY` block in `pem` (text between blocks,
    /// such as comments, is ignored). At least one is required; a damaged
    /// block is reported by its position.
    ///
    /// ```
    /// use licensing::{KeyError, SigningKey, TrustedKeys};
    ///
    /// let pem = SigningKey::generate().public_key().to_pem()?;
    /// let trusted = TrustedKeys::from_pem(&format!("# current key\n{pem}"))?;
    /// assert_eq!(trusted.key_ids().len(), 1);
    /// let damaged = format!("{pem}-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    /// let err = TrustedKeys::from_pem(&damaged).unwrap_err();
    /// assert!(matches!(err, KeyError::BadPublicKey { index: 2, .. }));
    /// # Ok::<(), KeyError>(())
    /// ```
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let mut keys = Vec::new();
        // A block starts at a line that is the marker, not at the marker
        // quoted inside a comment ("paste the key below the -----BEGIN ...
        // line"), and ends at the first line that is the end marker.
        let mut lines = pem.lines().map(str::trim);
        while lines.by_ref().any(|line| line == PUBLIC_BEGIN) {
            let index = keys.len() + 1;
            let mut body = Vec::new();
            let mut closed = false;
            for line in lines.by_ref() {
                if line == PUBLIC_END {
                    closed = true;
                    break;
                }
                if line.starts_with("-----") {
                    break; // another block's marker: this one never ended
                }
                body.push(line);
            }
            if !closed {
                return Err(KeyError::BadPublicKey {
                    index,
                    reason: format!("no '{PUBLIC_END}' line"),
                });
            }
            let block = format!("{PUBLIC_BEGIN}\n{}\n{PUBLIC_END}\n", body.join("\n"));
            let key = PublicKey::from_pem(&block).map_err(|e| match e {
                KeyError::BadPublicKey { reason, .. } => KeyError::BadPublicKey { index, reason },
                other => other,
            })?;
            keys.push(key);
        }
        if keys.is_empty() {
            return Err(KeyError::NoPublicKey);
        }
        Ok(Self(keys))
    }

    /// The trusted key with `id`.
    ///
    /// ```
    /// use licensing::{SigningKey, TrustedKeys};
    ///
    /// let key = SigningKey::generate();
    /// let trusted = TrustedKeys::new([key.public_key().clone()]);
    /// assert_eq!(trusted.get(key.public_key().key_id()), Some(key.public_key()));
    /// assert!(trusted.get(SigningKey::generate().public_key().key_id()).is_none());
    /// ```
    pub fn get(&self, id: KeyId) -> Option<&PublicKey> {
        self.0.iter().find(|k| k.key_id == id)
    }

    /// The ids of all trusted keys.
    ///
    /// ```
    /// use licensing::{SigningKey, TrustedKeys};
    ///
    /// let (old, new) = (SigningKey::generate(), SigningKey::generate());
    /// let trusted = TrustedKeys::new([old.public_key().clone(), new.public_key().clone()]);
    /// assert_eq!(trusted.key_ids(), [old.public_key().key_id(), new.public_key().key_id()]);
    /// ```
    pub fn key_ids(&self) -> Vec<KeyId> {
        self.0.iter().map(PublicKey::key_id).collect()
    }

    /// Whether no key is trusted (only possible with [`TrustedKeys::new`]
    /// or [`Default`]: [`from_pem`](Self::from_pem) requires a key).
    ///
    /// ```
    /// use licensing::{SigningKey, TrustedKeys};
    ///
    /// assert!(TrustedKeys::default().is_empty());
    /// assert!(!TrustedKeys::new([SigningKey::generate().public_key().clone()]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_that_quotes_the_marker_is_a_comment() {
        let pem = SigningKey::generate().public_key().to_pem().unwrap();
        let text = format!(
            "# paste the key below the {PUBLIC_BEGIN} line\r\n# (and keep {PUBLIC_END})\r\n{}",
            pem.replace('\n', "\r\n")
        );
        assert_eq!(TrustedKeys::from_pem(&text).unwrap().key_ids().len(), 1);
        // A block that never ends is reported, even when another follows.
        let unended = format!("{PUBLIC_BEGIN}\nAAAA\n{pem}");
        let err = TrustedKeys::from_pem(&unended).unwrap_err();
        assert!(
            matches!(err, KeyError::BadPublicKey { index: 1, .. }),
            "{err:?}"
        );
    }

    /// FORMAT.md section 1: the key id is that of the uncompressed SPKI,
    /// whatever form the key was given in.
    #[test]
    fn a_compressed_point_gives_the_same_key_id() {
        let key = SigningKey::generate();
        let point = key.public_key().key.to_sec1_point(true);
        // SPKI: id-ecPublicKey, prime256v1, then the 33-byte compressed point.
        let mut der = vec![
            0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
            0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00,
        ];
        der.extend_from_slice(point.as_bytes());
        let compressed = PublicKey::from_der(&der).unwrap();
        assert_eq!(compressed.key_id(), key.public_key().key_id());
    }

    #[test]
    fn key_ids_differ_and_survive_pem() {
        let a = SigningKey::generate();
        let b = SigningKey::generate();
        assert_ne!(a.public_key().key_id(), b.public_key().key_id());
        let again = PublicKey::from_pem(&a.public_key().to_pem().unwrap()).unwrap();
        assert_eq!(again.key_id(), a.public_key().key_id());
    }

    #[test]
    fn signatures_verify_only_for_their_message_and_key() {
        let key = SigningKey::generate();
        let sig = key.sign_parts(&[b"hello ", b"world"]);
        assert!(key.public_key().verify_parts(&[b"hello world"], &sig));
        assert!(!key.public_key().verify_parts(&[b"hello world!"], &sig));
        let other = SigningKey::generate();
        assert!(!other.public_key().verify_parts(&[b"hello world"], &sig));
        assert!(!key.public_key().verify_parts(&[b"hello world"], &[0u8; 64]));
        // The same signature in its high-s form is refused.
        let low = ecdsa::Signature::from_slice(&sig).unwrap();
        let (r, s) = low.split_scalars();
        let high = ecdsa::Signature::from_scalars(r.to_bytes(), (-*s).to_bytes()).unwrap();
        assert!(
            key.public_key()
                .verify_parts(&[b"hello world"], &low.to_bytes().into())
        );
        assert!(
            !key.public_key()
                .verify_parts(&[b"hello world"], &high.to_bytes().into())
        );
    }

    #[test]
    fn bad_pem_is_a_clear_error() {
        assert_eq!(
            TrustedKeys::from_pem("nothing here").unwrap_err(),
            KeyError::NoPublicKey
        );
        let good = SigningKey::generate().public_key().to_pem().unwrap();
        let broken = format!("{good}{PUBLIC_BEGIN}\nAAAA\n{PUBLIC_END}\n");
        match TrustedKeys::from_pem(&broken) {
            Err(KeyError::BadPublicKey { index: 2, .. }) => {}
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            SigningKey::from_pem(&good),
            Err(KeyError::BadPrivateKey(_))
        ));
    }
}
