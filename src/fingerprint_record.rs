//! The fingerprint record and its file: what the controller remembers of
//! its hardware between starts, as JSON that every surface reads and
//! writes through this module.

use crate::atomic_file::{Access, Existing, write_atomically};
use crate::json::{self, Json};
use crate::serial_number::SerialNumber;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What the controller remembers between starts: its serial number, the
/// algorithm version it was made under, and one hash per component (never
/// the raw values), and the serial it replaced last, if any. The license
/// store keeps it (`fingerprint.json`); [`FingerprintRecord::load`] and
/// [`FingerprintRecord::save`] read and write it anywhere else. The JSON
/// form is in docs/FORMAT.md.
///
/// ```
/// use licensing::{FingerprintRecord, MachineIdentity};
///
/// let identity = MachineIdentity::pinned("acme-production");
/// let first = identity.fingerprint(None)?;
/// let json = serde_json::to_string(&first.record)?; // the host saves this
/// assert!(json.contains("\"serial-number\"") && !json.contains("acme-production"));
/// let saved: FingerprintRecord = serde_json::from_str(&json)?; // and reads it back
/// assert_eq!(identity.fingerprint(Some(&saved))?.serial_number, first.serial_number);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FingerprintRecord {
    /// The algorithm version the serial was derived under.
    pub algorithm: u32,
    /// The serial number in use.
    pub serial_number: SerialNumber,
    /// The components last seen.
    pub components: Vec<RecordedComponent>,
    /// The serial this one replaced when too many components changed
    /// (kept until the next replacement), so that a license issued for it
    /// can be explained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced: Option<SerialReplacement>,
}

/// One component in a [`FingerprintRecord`]: its kind and hash.
///
/// ```
/// use licensing::{HardwareComponent, MachineIdentity, PINNED_KIND, RecordedComponent};
///
/// let record = MachineIdentity::pinned("acme-production").fingerprint(None)?.record;
/// let hash = HardwareComponent::new(PINNED_KIND, "acme-production").hash_v1().unwrap();
/// let hash: String = hash.iter().map(|b| format!("{b:02x}")).collect();
/// assert_eq!(record.components, [RecordedComponent { kind: PINNED_KIND.into(), hash }]);
/// # Ok::<(), licensing::HardwareError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedComponent {
    /// The kind, like `mac`.
    pub kind: String,
    /// The component's SHA-256 (see
    /// [`HardwareComponent::hash_v1`](crate::HardwareComponent::hash_v1)), in hex.
    pub hash: String,
}

/// The serial a record's serial replaced, and why.
///
/// ```
/// use licensing::{FingerprintRecord, MachineIdentity};
///
/// let (old, new) = (MachineIdentity::pinned("old").serial()?, MachineIdentity::pinned("new").serial()?);
/// let json = format!(r#"{{"algorithm": 1, "serial-number": "{new}", "components": [],
///   "replaced": {{"serial-number": "{old}", "changed": ["mac", "machine-id"]}}}}"#);
/// let record = FingerprintRecord::from_json(&json)?;
/// let replaced = record.replaced.expect("a replacement is on record");
/// assert_eq!(replaced.serial_number, old);
/// assert_eq!(replaced.changed, ["mac", "machine-id"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SerialReplacement {
    /// The serial number replaced.
    pub serial_number: SerialNumber,
    /// The kinds of the recorded components that were gone.
    pub changed: Vec<String>,
}

/// Why a fingerprint record could not be read or written.
///
/// ```
/// use licensing::{FingerprintRecord, RecordError};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("fingerprint.json");
/// std::fs::write(&path, "{ not a record")?;
/// let err = FingerprintRecord::load(&path).unwrap_err();
/// assert!(matches!(err, RecordError::Damaged { .. }));
/// assert!(err.to_string().contains("move it away to start a new record"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The file could not be read or written.
    #[error("fingerprint record {path}: {source}")]
    Io {
        /// The record's path.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not a fingerprint record.
    #[error(
        "{path} is not a fingerprint record ({reason}); move it away to start a new record (the serial may then change)"
    )]
    Damaged {
        /// The record's path.
        path: PathBuf,
        /// What is wrong, with the byte offset where it shows.
        reason: String,
    },
}

impl FingerprintRecord {
    /// The record as pretty JSON, ending in a newline (the layout earlier
    /// versions wrote).
    ///
    /// ```
    /// use licensing::{FingerprintRecord, MachineIdentity};
    ///
    /// let record = MachineIdentity::pinned("acme-production").fingerprint(None)?.record;
    /// let json = record.to_json();
    /// assert!(json.starts_with("{\n  \"algorithm\": 1,\n  \"serial-number\": "));
    /// assert_eq!(FingerprintRecord::from_json(&json)?, record);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\n");
        let _ = writeln!(out, "  \"algorithm\": {},", self.algorithm);
        let _ = writeln!(out, "  \"serial-number\": \"{}\",", self.serial_number);
        out.push_str("  \"components\": [");
        for (i, c) in self.components.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            let _ = write!(
                out,
                "    {{\n      \"kind\": {},\n      \"hash\": {}\n    }}",
                json::quote(&c.kind),
                json::quote(&c.hash)
            );
        }
        out.push_str(if self.components.is_empty() {
            "]"
        } else {
            "\n  ]"
        });
        if let Some(r) = &self.replaced {
            let changed: Vec<String> = r.changed.iter().map(|k| json::quote(k)).collect();
            let _ = write!(
                out,
                ",\n  \"replaced\": {{\n    \"serial-number\": \"{}\",\n    \"changed\": [{}]\n  }}",
                r.serial_number,
                changed.join(", ")
            );
        }
        out.push_str("\n}\n");
        out
    }

    /// Reads a record from its JSON (as [`to_json`](Self::to_json) and
    /// earlier versions wrote it). Unknown fields are ignored: they come
    /// from a newer library.
    ///
    /// ```
    /// use licensing::FingerprintRecord;
    ///
    /// let err = FingerprintRecord::from_json(r#"{"algorithm": 1}"#).unwrap_err();
    /// assert_eq!(err, "no \"serial-number\"");
    /// ```
    pub fn from_json(text: &str) -> Result<Self, String> {
        let value = json::parse(text)?;
        let field = |v: &Json, key: &str| -> Result<Json, String> {
            v.get(key).cloned().ok_or_else(|| format!("no \"{key}\""))
        };
        let text_of = |v: &Json, key: &str| -> Result<String, String> {
            field(v, key)?
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("\"{key}\" is not a string"))
        };
        let serial = |v: &Json| -> Result<SerialNumber, String> {
            let text = text_of(v, "serial-number")?;
            text.parse()
                .map_err(|e| format!("\"serial-number\" {text:?}: {e}"))
        };
        let algorithm = field(&value, "algorithm")?
            .as_number()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or("\"algorithm\" is not a version number")?;
        let serial_number = serial(&value)?;
        let components = field(&value, "components")?
            .as_array()
            .ok_or("\"components\" is not a list")?
            .iter()
            .map(|c| {
                Ok(RecordedComponent {
                    kind: text_of(c, "kind")?,
                    hash: text_of(c, "hash")?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let replaced = match value.get("replaced") {
            None | Some(Json::Null) => None,
            Some(r) => Some(SerialReplacement {
                serial_number: serial(r)?,
                changed: field(r, "changed")?
                    .as_array()
                    .ok_or("\"changed\" is not a list")?
                    .iter()
                    .map(|k| k.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or("\"changed\" holds something other than strings")?,
            }),
        };
        Ok(Self {
            algorithm,
            serial_number,
            components,
            replaced,
        })
    }

    /// The record at `path`; `None` when there is no file yet.
    ///
    /// ```
    /// use licensing::{FingerprintRecord, MachineIdentity};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("fingerprint.json");
    /// assert_eq!(FingerprintRecord::load(&path)?, None);
    /// let record = MachineIdentity::pinned("acme-production").fingerprint(None)?.record;
    /// record.save(&path)?;
    /// assert_eq!(FingerprintRecord::load(&path)?, Some(record));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load(path: &Path) -> Result<Option<Self>, RecordError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(RecordError::Io {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let damaged = |reason: String| RecordError::Damaged {
            path: path.to_owned(),
            reason,
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            damaged(format!(
                "not text: an invalid byte at {}",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Self::from_json(&text).map(Some).map_err(damaged)
    }

    /// Writes the record to `path` atomically; a file that already holds
    /// this record is left alone (no write at every start).
    ///
    /// ```
    /// # use licensing::{FingerprintRecord, MachineIdentity};
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("fingerprint.json");
    /// let record = MachineIdentity::pinned("acme-production").fingerprint(None)?.record;
    /// record.save(&path)?;
    /// assert_eq!(std::fs::read_to_string(&path)?, record.to_json());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save(&self, path: &Path) -> Result<(), RecordError> {
        let json = self.to_json();
        if std::fs::read(path).is_ok_and(|old| old == json.as_bytes()) {
            return Ok(());
        }
        write_atomically(path, json.as_bytes(), Existing::Replace, Access::Normal).map_err(
            |source| RecordError::Io {
                path: path.to_owned(),
                source,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MachineIdentity;

    #[test]
    fn reads_the_json_earlier_versions_wrote() {
        let record = MachineIdentity::pinned("acme-production")
            .fingerprint(None)
            .unwrap()
            .record;
        let json = serde_json::to_string_pretty(&record).unwrap() + "\n";
        assert_eq!(json, record.to_json(), "the same bytes as serde_json's");
        assert_eq!(FingerprintRecord::from_json(&json).unwrap(), record);
        let compact = serde_json::to_string(&record).unwrap();
        assert_eq!(FingerprintRecord::from_json(&compact).unwrap(), record);
    }

    #[test]
    fn a_replacement_round_trips_and_matches_serde() {
        let mut record = MachineIdentity::pinned("acme-production")
            .fingerprint(None)
            .unwrap()
            .record;
        record.replaced = Some(SerialReplacement {
            serial_number: MachineIdentity::pinned("old").serial().unwrap(),
            changed: vec!["mac".into(), "machine-id".into()],
        });
        let json = record.to_json();
        assert_eq!(FingerprintRecord::from_json(&json).unwrap(), record);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value, serde_json::to_value(&record).unwrap());
    }

    #[test]
    fn damaged_records_say_what_is_wrong() {
        for (text, reason) in [
            ("", "found the end"),
            ("{\"algorithm\": 1}", "no \"serial-number\""),
            (
                "{\"algorithm\": 1, \"serial-number\": \"nope\", \"components\": []}",
                "\"serial-number\" \"nope\"",
            ),
            (
                "{\"algorithm\": -1, \"serial-number\": \"x\", \"components\": []}",
                "\"algorithm\" is not a version number",
            ),
        ] {
            let err = FingerprintRecord::from_json(text).unwrap_err();
            assert!(err.contains(reason), "{text:?}: {err}");
        }
    }
}
