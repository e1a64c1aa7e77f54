//! Reading a license body (docs/FORMAT.md section 3) field by field, in
//! its one canonical form: every varint in its shortest form, every value
//! in its type's range, every code with valid check characters, the lists
//! sorted and unique. Each error names the field and the byte it is at, in
//! the file, so that "what is wrong and at which byte" holds for every
//! malformed body. (postcard writes the bodies; this reader is ours
//! because postcard accepts longer varints, which would give one license
//! many signed byte forms, and its errors name neither field nor byte.)

use crate::extension::{self, Extension};
use crate::license::{License, LicenseId};
use crate::license_file::FormatError;
use crate::limit::{Enforcement, Limit};
use crate::{ActivationCode, LicenseType, PlatformVersion, Purpose, SerialNumber, Timestamp};

/// Reads `body` of format `version` (1 or 2), which starts at byte `base`
/// of the file.
pub(crate) fn read(body: &[u8], base: usize, version: u8) -> Result<License, FormatError> {
    let mut r = Reader { body, pos: 0, base };
    let mut license = License {
        license_id: LicenseId(r.array("license_id")?),
        revision: r.u32("revision")?,
        issued_at: r.timestamp("issued_at")?,
        not_before: r.timestamp("not_before")?,
        expires_at: match r.option("expires_at")? {
            true => Some(r.timestamp("expires_at")?),
            false => None,
        },
        grace_days: r.u16("grace_days")?,
        activation_code: r.code("activation_code", ActivationCode::from_bytes)?,
        serial_number: r.code("serial_number", SerialNumber::from_bytes)?,
        environment_name: r.string("environment_name")?,
        purpose: match r.variant("purpose", 4)? {
            0 => Purpose::Development,
            1 => Purpose::NonProduction,
            2 => Purpose::Production,
            _ => Purpose::Management,
        },
        license_type: match r.variant("license_type", 2)? {
            0 => LicenseType::Development,
            _ => LicenseType::Production,
        },
        organization: r.string("organization")?,
        edition: r.string("edition")?,
        support: r.string("support")?,
        limits: r.sorted_list("limits", |r, i| {
            let name = r.string(&format!("limits[{i}].name"))?;
            let value = r.u64(&format!("limits[{i}].value"))?;
            let enforcement = match r.variant(&format!("limits[{i}].enforcement"), 2)? {
                0 => Enforcement::Hard,
                _ => Enforcement::Soft,
            };
            Ok(Limit::new(name, value, enforcement))
        })?,
        features: r.sorted_list("features", |r, i| r.string(&format!("features[{i}]")))?,
        max_platform_version: None,
        summed_limits: None,
        other_extensions: Vec::new(),
    };
    if version >= 2 {
        r.extensions(&mut license)?;
    }
    if r.pos != body.len() {
        return Err(r.error(
            "body",
            r.pos,
            format!(
                "{} bytes follow the last field (the header's body length says {})",
                body.len() - r.pos,
                body.len()
            ),
        ));
    }
    Ok(license)
}

/// Something that sorts by a name in a list of the body.
trait Named {
    fn name(&self) -> &str;
}

impl Named for Limit {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for String {
    fn name(&self) -> &str {
        self
    }
}

struct Reader<'a> {
    body: &'a [u8],
    pos: usize,
    base: usize,
}

impl Reader<'_> {
    /// A malformed body: `field` at byte `at` (of the body) and what is
    /// wrong, with the offset in the file.
    fn error(&self, field: &str, at: usize, what: impl std::fmt::Display) -> FormatError {
        let offset = self.base + at;
        FormatError::Malformed {
            field: field.to_owned(),
            what: what.to_string(),
            offset,
        }
    }

    /// Format version 2's extension list (section 3.3), into `license`.
    fn extensions(&mut self, license: &mut License) -> Result<(), FormatError> {
        let start = self.pos;
        let count = self.varint("extensions", 10)?;
        if count == 0 {
            return Err(self.error(
                "extensions",
                start,
                "a version 2 license has at least one extension (with none, it is written in version 1)",
            ));
        }
        let left = (self.body.len() - self.pos) as u64;
        if count > left {
            return Err(self.error(
                "extensions",
                start,
                format!("the count {count} is more than the {left} bytes left could hold"),
            ));
        }
        let mut last_tag = None;
        for i in 0..count {
            let field = |part: &str| format!("extensions[{i}].{part}");
            let tag_at = self.pos;
            let tag = self.u16(&field("tag"))?;
            if last_tag.is_some_and(|last| last >= tag) {
                return Err(self.error(
                    &field("tag"),
                    tag_at,
                    format!("tag {tag} is out of order or repeated: the list must be sorted by tag and unique"),
                ));
            }
            last_tag = Some(tag);
            let flag_at = self.pos;
            let critical = self.option(&field("critical"))?;
            let len = usize::try_from(self.varint(&field("data"), 10)?).unwrap_or(usize::MAX);
            let data_at = self.pos;
            let data = self.take(&field("data"), len)?.to_vec();
            if !extension::is_known(tag) {
                if critical {
                    return Err(FormatError::UnknownCriticalExtension {
                        tag,
                        offset: self.base + tag_at,
                    });
                }
                license.other_extensions.push(Extension {
                    tag,
                    critical,
                    data,
                });
                continue;
            }
            if critical != extension::critical(tag) {
                return Err(self.error(
                    &field("critical"),
                    flag_at,
                    format!(
                        "extension {tag} is written with the critical flag {:02x}",
                        u8::from(extension::critical(tag))
                    ),
                ));
            }
            // The extension's bytes, read on their own: a field cannot run
            // past them.
            let mut inner = Reader {
                body: &self.body[..data_at + len],
                pos: data_at,
                base: self.base,
            };
            match tag {
                extension::MAX_PLATFORM_VERSION => {
                    let name = field("max_platform_version");
                    let parts_at = inner.pos;
                    let parts = inner.list(&name, |r, j| r.u32(&format!("{name}[{j}]")))?;
                    license.max_platform_version =
                        Some(PlatformVersion::from_parts(parts).ok_or_else(|| {
                            inner.error(
                                &name,
                                parts_at,
                                format!(
                                    "a platform version has 1 to {} parts",
                                    crate::platform_version::MAX_PARTS
                                ),
                            )
                        })?);
                }
                _ => {
                    let name = field("summed_limits");
                    license.summed_limits =
                        Some(inner.sorted_list(&name, |r, j| r.string(&format!("{name}[{j}]")))?);
                }
            }
            if inner.pos != data_at + len {
                return Err(inner.error(
                    &field("data"),
                    inner.pos,
                    format!(
                        "{} bytes follow the extension's value",
                        data_at + len - inner.pos
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A list's count. Every item takes at least one byte: a count beyond
    /// what is left is a lie, refused before anything is allocated for it.
    fn count(&mut self, field: &str) -> Result<u64, FormatError> {
        let start = self.pos;
        let count = self.varint(field, 10)?;
        let left = (self.body.len() - self.pos) as u64;
        if count > left {
            return Err(self.error(
                field,
                start,
                format!("the count {count} is more than the {left} bytes left could hold"),
            ));
        }
        Ok(count)
    }

    /// A counted list in no particular order.
    fn list<T>(
        &mut self,
        field: &str,
        mut item: impl FnMut(&mut Self, u64) -> Result<T, FormatError>,
    ) -> Result<Vec<T>, FormatError> {
        let count = self.count(field)?;
        (0..count).map(|i| item(self, i)).collect()
    }

    fn take(&mut self, field: &str, n: usize) -> Result<&[u8], FormatError> {
        let available = self.body.len() - self.pos;
        if n > available {
            return Err(self.error(
                field,
                self.pos,
                format!(
                    "needs {n} bytes but the body has {available} left: it was cut short or a length before it is wrong"
                ),
            ));
        }
        let bytes = &self.body[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self, field: &str) -> Result<[u8; N], FormatError> {
        Ok(self.take(field, N)?.try_into().expect("N bytes"))
    }

    /// An unsigned LEB128 varint of at most `max_bytes` bytes, in its
    /// shortest form.
    fn varint(&mut self, field: &str, max_bytes: usize) -> Result<u64, FormatError> {
        let start = self.pos;
        let mut value: u64 = 0;
        for i in 0..max_bytes {
            let Some(&byte) = self.body.get(self.pos) else {
                return Err(self.error(
                    field,
                    start,
                    "the body ends inside this varint: it was cut short",
                ));
            };
            self.pos += 1;
            let group = u64::from(byte & 0x7f);
            if i == 9 && group > 1 {
                return Err(self.error(field, start, "the varint is larger than 64 bits"));
            }
            value |= group << (7 * i);
            if byte & 0x80 == 0 {
                if i > 0 && byte == 0 {
                    return Err(self.error(
                        field,
                        start,
                        format!(
                            "the varint {} is not in its shortest form ({} bytes for the value {value}); each license has exactly one byte form",
                            hex(&self.body[start..self.pos]),
                            i + 1
                        ),
                    ));
                }
                return Ok(value);
            }
        }
        Err(self.error(
            field,
            start,
            format!("the varint does not end within {max_bytes} bytes"),
        ))
    }

    fn ranged(
        &mut self,
        field: &str,
        max_bytes: usize,
        max: u64,
        ty: &str,
    ) -> Result<u64, FormatError> {
        let start = self.pos;
        let value = self.varint(field, max_bytes)?;
        if value > max {
            return Err(self.error(
                field,
                start,
                format!("the value {value} is out of range for a {ty} (at most {max})"),
            ));
        }
        Ok(value)
    }

    fn u16(&mut self, field: &str) -> Result<u16, FormatError> {
        Ok(self.ranged(field, 3, u16::MAX.into(), "u16")? as u16)
    }

    fn u32(&mut self, field: &str) -> Result<u32, FormatError> {
        Ok(self.ranged(field, 5, u32::MAX.into(), "u32")? as u32)
    }

    fn u64(&mut self, field: &str) -> Result<u64, FormatError> {
        self.varint(field, 10)
    }

    fn timestamp(&mut self, field: &str) -> Result<Timestamp, FormatError> {
        let z = self.varint(field, 10)?;
        // Zigzag: 0, 1, 2, 3 are 0, -1, 1, -2.
        let n = ((z >> 1) as i64) ^ -((z & 1) as i64);
        Ok(Timestamp::from_unix_seconds(n))
    }

    fn option(&mut self, field: &str) -> Result<bool, FormatError> {
        let at = self.pos;
        match self.take(field, 1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            tag => Err(self.error(
                field,
                at,
                format!("the option tag is {tag:02x}, expected 00 (none) or 01 (some)"),
            )),
        }
    }

    fn variant(&mut self, field: &str, known: u64) -> Result<u64, FormatError> {
        let start = self.pos;
        let index = self.varint(field, 5)?;
        if index >= known {
            return Err(self.error(
                field,
                start,
                format!(
                    "unknown value {index} (this library knows 0 to {}): a newer format, or a damaged file",
                    known - 1
                ),
            ));
        }
        Ok(index)
    }

    fn string(&mut self, field: &str) -> Result<String, FormatError> {
        let len = self.varint(field, 10)?;
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let text_at = self.pos;
        let bytes = self.take(field, len)?;
        match std::str::from_utf8(bytes) {
            Ok(text) => match text.char_indices().find(|(_, c)| c.is_control()) {
                // No issuer writes one: it would rewrite a terminal's lines.
                Some((i, c)) => Err(self.error(
                    field,
                    text_at + i,
                    format!(
                        "the text holds the control character U+{:04X} (a damaged or forged file)",
                        u32::from(c)
                    ),
                )),
                None => Ok(text.to_owned()),
            },
            Err(e) => Err(self.error(
                field,
                text_at + e.valid_up_to(),
                "the text is not valid UTF-8",
            )),
        }
    }

    fn code<T>(
        &mut self,
        field: &str,
        unpack: fn(&[u8; 15]) -> Option<T>,
    ) -> Result<T, FormatError> {
        let at = self.pos;
        let packed: [u8; 15] = self.array(field)?;
        unpack(&packed).ok_or_else(|| {
            self.error(
                field,
                at,
                "the check characters do not match (a damaged or forged file)",
            )
        })
    }

    /// A counted list whose items sort strictly by name; `item` reads the
    /// item of an index (`features[3]` in messages).
    fn sorted_list<T: Named>(
        &mut self,
        field: &str,
        mut item: impl FnMut(&mut Self, u64) -> Result<T, FormatError>,
    ) -> Result<Vec<T>, FormatError> {
        let count = self.count(field)?;
        let mut items: Vec<T> = Vec::with_capacity(count as usize);
        for i in 0..count {
            let at = self.pos;
            let next = item(self, i)?;
            if let Some(last) = items.last().filter(|last| last.name() >= next.name()) {
                let why = if last.name() == next.name() {
                    "appears twice"
                } else {
                    "is out of order"
                };
                return Err(self.error(
                    &format!("{field}[{i}]"),
                    at,
                    format!(
                        "'{}' {why} (after '{}'): the list must be sorted and unique",
                        crate::printable(next.name()),
                        crate::printable(last.name())
                    ),
                ));
            }
            items.push(next);
        }
        Ok(items)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Vec<u8> {
        postcard::to_allocvec(&crate::testing::sample_license()).unwrap()
    }

    #[test]
    fn reads_what_postcard_writes() {
        let license = crate::testing::sample_license();
        let bytes = postcard::to_allocvec(&license).unwrap();
        assert_eq!(read(&bytes, 15, 1).unwrap(), license);
        let mut never = license.clone();
        never.expires_at = None;
        for t in [i64::MIN, -1, 0, 1, i64::MAX] {
            never.issued_at = Timestamp::from_unix_seconds(t);
            let bytes = postcard::to_allocvec(&never).unwrap();
            assert_eq!(read(&bytes, 15, 1).unwrap(), never, "{t}");
        }
    }

    #[test]
    fn a_longer_varint_is_refused_with_field_and_byte() {
        // revision (byte 16 of the body) is a one-byte varint: write it in
        // two bytes.
        let mut bytes = body();
        let revision = bytes[16];
        assert!(revision < 0x80);
        bytes.splice(16..17, [revision | 0x80, 0x00]);
        let err = read(&bytes, 15, 1).unwrap_err().to_string();
        assert!(err.contains("revision at byte 31"), "{err}");
        assert!(err.contains("not in its shortest form"), "{err}");
    }

    #[test]
    fn a_control_character_in_a_text_is_refused_at_its_byte() {
        let mut license = crate::testing::sample_license();
        license.organization = "Acme\x1b[1A Corp".into();
        let bytes = postcard::to_allocvec(&license).unwrap();
        let at = bytes.windows(4).position(|w| w == b"Acme").unwrap() + 4;
        let err = read(&bytes, 15, 1).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "organization at byte {}: the text holds the control character U+001B",
                15 + at
            )),
            "{err}"
        );
        assert!(!err.contains('\x1b'));
    }

    #[test]
    fn every_cut_is_an_error_naming_a_field() {
        let bytes = body();
        for len in 0..bytes.len() {
            let err = read(&bytes[..len], 15, 1).unwrap_err();
            let message = err.to_string();
            let FormatError::Malformed { field, offset, .. } = err else {
                panic!("{len}")
            };
            assert!(
                message.contains(&format!("{field} at byte {offset}: ")),
                "{message}"
            );
            assert!(offset <= 15 + len, "{len}: {message}");
        }
    }
}
