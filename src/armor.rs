//! The text form of a license file: base64 between `-----BEGIN LICENSE-----`
//! and `-----END LICENSE-----` lines, for mail and copy-paste.

use crate::license_file::FormatError;
use base64ct::{Base64, Encoding};

pub(crate) const BEGIN: &str = "-----BEGIN LICENSE-----";
pub(crate) const END: &str = "-----END LICENSE-----";
const LINE: usize = 64;

/// Wraps binary license file bytes in the text armor (64-column lines, LF).
pub(crate) fn armor(bytes: &[u8]) -> String {
    armor_labeled(BEGIN, END, bytes)
}

/// [`armor`] between other BEGIN and END lines (the exchange files).
pub(crate) fn armor_labeled(begin: &str, end: &str, bytes: &[u8]) -> String {
    let b64 = Base64::encode_string(bytes);
    let mut out = String::with_capacity(b64.len() + b64.len() / LINE + 50);
    out.push_str(begin);
    out.push('\n');
    for chunk in b64.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(end);
    out.push('\n');
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether `bytes` contain the armor's first line.
pub(crate) fn is_armored(bytes: &[u8]) -> bool {
    find(bytes, BEGIN.as_bytes()).is_some()
}

/// The 1-based line and column (in bytes) of byte `at` of `text`.
fn line_and_column(text: &[u8], at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = at
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1)
        + 1;
    (line, column)
}

/// The binary bytes inside the armor. Text around the armor (a mail's
/// greeting) and line breaks of any width or style inside it are ignored.
pub(crate) fn dearmor(text: &[u8]) -> Result<Vec<u8>, FormatError> {
    dearmor_labeled(BEGIN, END, "license", text)
}

/// [`dearmor`] between other BEGIN and END lines.
pub(crate) fn dearmor_labeled(
    begin_line: &str,
    end_line: &str,
    noun: &str,
    text: &[u8],
) -> Result<Vec<u8>, FormatError> {
    let begin = find(text, begin_line.as_bytes()).ok_or_else(|| FormatError::Malformed {
        field: "armor".into(),
        what: format!("no '{begin_line}' line"),
        offset: 0,
    })?;
    let start = begin + begin_line.len();
    let end = find(&text[start..], end_line.as_bytes())
        .map(|e| start + e)
        .ok_or_else(|| FormatError::Malformed {
            field: "armor".into(),
            what: format!(
                "no '{end_line}' line after '{begin_line}': the text was cut short; copy the whole {noun}"
            ),
            offset: text.len(),
        })?;
    let mut b64 = String::with_capacity(end - start);
    for (i, &c) in text[start..end].iter().enumerate() {
        match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => b64.push(c as char),
            c if c.is_ascii_whitespace() => {}
            _ => {
                let at = start + i;
                let (line, column) = line_and_column(text, at);
                let shown = crate::printable_bytes(&text[at..(at + 4).min(end)]);
                return Err(FormatError::Malformed {
                    field: "armor".into(),
                    what: format!(
                        "line {line}, column {column}: byte 0x{c:02x} (text '{shown}') is not base64: the text was changed in transit; copy the {noun} again from the original"
                    ),
                    offset: at,
                });
            }
        }
    }
    Base64::decode_vec(&b64).map_err(|e| FormatError::Malformed {
        field: "armor".into(),
        what: format!("the base64 inside the armor is invalid ({e})"),
        offset: start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_surrounding_text_and_crlf() {
        let bytes: Vec<u8> = (0..=255).collect();
        let text = armor(&bytes);
        assert!(
            text.lines()
                .all(|l| l.len() <= LINE || l.starts_with("-----"))
        );
        let mailed = format!(
            "Hello,\r\nyour license:\r\n\r\n{}\r\nRegards",
            text.replace('\n', "\r\n")
        );
        assert_eq!(dearmor(mailed.as_bytes()).unwrap(), bytes);
    }

    #[test]
    fn damage_is_reported_with_its_place() {
        let text = armor(b"license bytes");
        let cut = &text[..text.len() - 10];
        assert!(matches!(
            dearmor(cut.as_bytes()),
            Err(FormatError::Malformed { what, .. }) if what.contains("cut short")
        ));
        let bad = text.replacen("bGlj", "b*lj", 1);
        match dearmor(bad.as_bytes()) {
            Err(FormatError::Malformed { offset, what, .. }) => {
                assert_eq!(offset, BEGIN.len() + 2);
                assert!(what.starts_with("line 2, column 2: byte 0x2a"), "{what}");
            }
            other => panic!("{other:?}"),
        }
    }
}
