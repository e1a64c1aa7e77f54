//! Format version 2's extension list (docs/FORMAT.md section 3.3): how a
//! field is added to license files without breaking the runtimes in the
//! field. Each extension is a tag, a critical flag and bytes; a runtime
//! ignores an unknown non-critical extension and refuses a license with an
//! unknown critical one, saying that a newer runtime is needed.

use crate::Purpose;
use crate::license::License;
use crate::limit::APPLICATION_OBJECTS;

/// Tag of the platform version cap (critical: a runtime that ignored it
/// would run a platform the subscription does not cover).
///
/// ```
/// assert_eq!(licensing::extension::MAX_PLATFORM_VERSION, 1);
/// ```
pub const MAX_PLATFORM_VERSION: u16 = 1;
/// Tag of the limits summed across the production environments, when they
/// are not the default (non-critical: a runtime that ignores it enforces
/// each limit on its own, as before).
///
/// ```
/// assert_eq!(licensing::extension::SUMMED_LIMITS, 2);
/// ```
pub const SUMMED_LIMITS: u16 = 2;

/// An extension as the file carries it. [`License`] holds the known ones
/// as fields, and the others in `other_extensions`.
///
/// ```
/// use licensing::extension::Extension;
///
/// let future = Extension { tag: 900, critical: false, data: b"a field from 2030".to_vec() };
/// # let (mut license, key) = (licensing::testing::sample_license(), licensing::SigningKey::generate());
/// license.other_extensions.push(future.clone());
/// let file = licensing::SigningRequest::new(license, key.public_key().key_id())?.sign(&key)?;
/// assert_eq!(file.version(), 2);
/// assert_eq!(file.license().other_extensions, [future]);
/// # Ok::<(), licensing::IssueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Extension {
    /// What the bytes are (tags 1 to 99 are this library's).
    pub tag: u16,
    /// Whether a runtime that does not know the tag must refuse the
    /// license.
    pub critical: bool,
    /// The extension's bytes.
    pub data: Vec<u8>,
}

/// Whether the tag is one this library reads into a [`License`] field.
pub(crate) fn is_known(tag: u16) -> bool {
    matches!(tag, MAX_PLATFORM_VERSION | SUMMED_LIMITS)
}

/// The critical flag a known tag is written with.
pub(crate) fn critical(tag: u16) -> bool {
    tag == MAX_PLATFORM_VERSION
}

/// The limits of a license that are summed across the production
/// environments when the license does not say: `application-objects` on a
/// production environment.
pub(crate) fn default_summed(license: &License) -> Vec<String> {
    if license.purpose != Purpose::Production {
        return Vec::new();
    }
    license
        .limits
        .iter()
        .filter(|l| l.name == APPLICATION_OBJECTS)
        .map(|l| l.name.clone())
        .collect()
}

/// The extensions `license` is written with, sorted by tag; empty when it
/// uses nothing newer than format version 1.
pub(crate) fn of(license: &License) -> Result<Vec<Extension>, String> {
    let mut all = Vec::new();
    if let Some(cap) = &license.max_platform_version {
        let mut data = Vec::new();
        varint(&mut data, cap.parts().len() as u64);
        for &part in cap.parts() {
            varint(&mut data, part.into());
        }
        all.push(Extension {
            tag: MAX_PLATFORM_VERSION,
            critical: true,
            data,
        });
    }
    if let Some(summed) = &license.summed_limits {
        let mut names = summed.clone();
        names.sort_unstable();
        names.dedup();
        if names != default_summed(license) {
            let mut data = Vec::new();
            varint(&mut data, names.len() as u64);
            for name in &names {
                varint(&mut data, name.len() as u64);
                data.extend_from_slice(name.as_bytes());
            }
            all.push(Extension {
                tag: SUMMED_LIMITS,
                critical: false,
                data,
            });
        }
    }
    for other in &license.other_extensions {
        if is_known(other.tag) {
            return Err(format!(
                "extension tag {} is this library's own: set the license's field instead",
                other.tag
            ));
        }
        all.push(other.clone());
    }
    all.sort_by_key(|e| e.tag);
    if let Some(pair) = all.windows(2).find(|w| w[0].tag == w[1].tag) {
        return Err(format!("extension tag {} appears twice", pair[0].tag));
    }
    Ok(all)
}

/// Appends the extension list (count, then each tag, flag and bytes).
pub(crate) fn write(out: &mut Vec<u8>, extensions: &[Extension]) {
    varint(out, extensions.len() as u64);
    for e in extensions {
        varint(out, e.tag.into());
        out.push(u8::from(e.critical));
        varint(out, e.data.len() as u64);
        out.extend_from_slice(&e.data);
    }
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}
