//! The envelope of the files an environment and the vendor exchange
//! offline (activation requests, usage reports, usage summaries): magic,
//! version, the content, and a SHA-256 checksum, in a text armor that
//! survives mail. The checksum detects damage in transit; it is not a
//! signature (whoever writes the file can write any content), which is
//! what docs/FORMAT.md section 13 and the README say.

use crate::armor;
use sha2::{Digest, Sha256};

const CHECKSUM_LEN: usize = 32;
const VERSION: u8 = 1;

/// Why an exchange file (an activation request, a usage report, a usage
/// summary) is not read.
///
/// ```
/// use licensing::{ActivationRequest, ExchangeError};
///
/// let err = ActivationRequest::parse(b"hello").unwrap_err();
/// assert!(matches!(err, ExchangeError::Malformed { kind: "activation request", .. }));
/// assert!(err.to_string().contains("write it again"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// Not a file of this kind, or cut short.
    #[error("this is not a readable {kind} ({why}): write it again and send the whole file")]
    Malformed {
        /// What was expected.
        kind: &'static str,
        /// What is wrong, and where.
        why: String,
    },
    /// The checksum does not match: the file was changed or damaged.
    #[error(
        "the {kind} was damaged or changed after it was written (its checksum does not match): write it again and send the file as it is"
    )]
    Damaged {
        /// What kind of file.
        kind: &'static str,
    },
    /// A version this library does not read.
    #[error("the {kind} is of version {found}, this tool reads version {VERSION}: update the tool")]
    UnsupportedVersion {
        /// What kind of file.
        kind: &'static str,
        /// The version in the file.
        found: u8,
    },
}

/// One kind of exchange file: its magic, checksum domain and armor lines.
pub(crate) struct Kind {
    pub name: &'static str,
    pub magic: &'static [u8; 4],
    pub domain: &'static [u8],
    pub begin: &'static str,
    pub end: &'static str,
}

impl Kind {
    /// The armored file around `content`.
    pub fn write(&self, content: &[u8]) -> String {
        let mut bytes = self.magic.to_vec();
        bytes.push(VERSION);
        bytes.extend_from_slice(content);
        let sum = self.checksum(&bytes);
        bytes.extend_from_slice(&sum);
        armor::armor_labeled(self.begin, self.end, &bytes)
    }

    fn checksum(&self, bytes: &[u8]) -> [u8; CHECKSUM_LEN] {
        let mut h = Sha256::new();
        h.update(self.domain);
        h.update(bytes);
        h.finalize().into()
    }

    /// The content of a file of this kind (armored, or its binary bytes).
    pub fn read<'a>(
        &self,
        file: &'a [u8],
        buffer: &'a mut Vec<u8>,
    ) -> Result<&'a [u8], ExchangeError> {
        let malformed = |why: String| ExchangeError::Malformed {
            kind: self.name,
            why,
        };
        let armored = !file.starts_with(self.magic);
        let bytes: &[u8] = if !armored {
            file
        } else {
            *buffer = armor::dearmor_labeled(self.begin, self.end, self.name, file).map_err(
                |e| match e {
                    crate::FormatError::Malformed { what, .. } => malformed(what),
                    other => malformed(other.to_string()),
                },
            )?;
            buffer
        };
        // Inside this kind's armor, wrong first bytes are damage.
        if armored && bytes.len() >= 5 + CHECKSUM_LEN && !bytes.starts_with(self.magic) {
            return Err(ExchangeError::Damaged { kind: self.name });
        }
        if bytes.len() < 5 + CHECKSUM_LEN || !bytes.starts_with(self.magic) {
            return Err(malformed(format!(
                "expected '{}' and at least {} bytes, found {} bytes",
                String::from_utf8_lossy(self.magic),
                5 + CHECKSUM_LEN,
                bytes.len()
            )));
        }
        let (signed, sum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
        if self.checksum(signed)[..] != *sum {
            return Err(ExchangeError::Damaged { kind: self.name });
        }
        if signed[4] != VERSION {
            return Err(ExchangeError::UnsupportedVersion {
                kind: self.name,
                found: signed[4],
            });
        }
        Ok(&signed[5..])
    }
}

/// Writes the content's fields: big-endian integers, strings and lists
/// with a u16 length.
#[derive(Default)]
pub(crate) struct Writer(pub Vec<u8>);

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    pub fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    pub fn bytes(&mut self, v: &[u8]) {
        self.0.extend_from_slice(v);
    }
    /// A string of at most 65535 bytes (callers check their texts).
    pub fn string(&mut self, v: &str) {
        let len = u16::try_from(v.len()).unwrap_or(u16::MAX);
        self.u16(len);
        self.0.extend_from_slice(&v.as_bytes()[..usize::from(len)]);
    }
}

/// Reads the content's fields; each error names the field and its byte
/// (counted from the start of the content).
pub(crate) struct Reader<'a> {
    pub kind: &'static str,
    pub bytes: &'a [u8],
    pub pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(kind: &'static str, bytes: &'a [u8]) -> Self {
        Self {
            kind,
            bytes,
            pos: 0,
        }
    }

    pub fn error(&self, field: &str, what: impl std::fmt::Display) -> ExchangeError {
        ExchangeError::Malformed {
            kind: self.kind,
            why: format!("{field} at byte {}: {what}", self.pos + 5),
        }
    }

    pub fn take(&mut self, field: &str, n: usize) -> Result<&'a [u8], ExchangeError> {
        if self.bytes.len() - self.pos < n {
            return Err(self.error(field, "cut short"));
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub fn array<const N: usize>(&mut self, field: &str) -> Result<[u8; N], ExchangeError> {
        Ok(self.take(field, N)?.try_into().expect("N bytes"))
    }
    pub fn u8(&mut self, field: &str) -> Result<u8, ExchangeError> {
        Ok(self.take(field, 1)?[0])
    }
    pub fn u16(&mut self, field: &str) -> Result<u16, ExchangeError> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }
    pub fn u32(&mut self, field: &str) -> Result<u32, ExchangeError> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }
    pub fn u64(&mut self, field: &str) -> Result<u64, ExchangeError> {
        Ok(u64::from_be_bytes(self.array(field)?))
    }
    pub fn i64(&mut self, field: &str) -> Result<i64, ExchangeError> {
        Ok(i64::from_be_bytes(self.array(field)?))
    }
    /// A UTF-8 string without control characters.
    pub fn string(&mut self, field: &str) -> Result<String, ExchangeError> {
        let len = usize::from(self.u16(field)?);
        let at = self.pos;
        let bytes = self.take(field, len)?;
        let text = std::str::from_utf8(bytes).map_err(|_| {
            self.pos = at;
            self.error(field, "not UTF-8 text")
        })?;
        if text.chars().any(char::is_control) {
            self.pos = at;
            return Err(self.error(field, "holds a control character"));
        }
        Ok(text.to_owned())
    }
    pub fn end(&self) -> Result<(), ExchangeError> {
        if self.pos != self.bytes.len() {
            return Err(self.error(
                "end",
                format!("{} unexpected bytes follow", self.bytes.len() - self.pos),
            ));
        }
        Ok(())
    }
}
