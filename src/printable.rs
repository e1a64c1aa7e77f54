//! Text that came from a file, an argument or the environment, made safe
//! to show: a license may come from anyone, and a string in it must not
//! move a terminal's cursor, rewrite a line or reverse the text around it.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal or a log as it is: the C0 and C1
/// control characters and DEL (escape sequences, carriage returns, line
/// breaks), and the invisible characters that reorder or break text around
/// them (bidirectional overrides, isolates and marks, such as U+202E, and
/// the Unicode line and paragraph separators).
///
/// ```
/// use licensing::is_unsafe_to_print;
///
/// assert!(is_unsafe_to_print('\x1b'));
/// assert!(is_unsafe_to_print('\u{202e}'));
/// assert!(!is_unsafe_to_print('é'));
/// ```
pub fn is_unsafe_to_print(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `text` with every character [`is_unsafe_to_print`] written as a Rust
/// escape (`\u{1b}`, `\u{202e}`, `\n`); the rest, backslashes included,
/// unchanged. Borrowed when there is nothing to escape.
///
/// ```
/// use licensing::printable;
///
/// assert_eq!(printable("Acme Corp"), "Acme Corp");
/// assert_eq!(printable("Acme\x1b[1A Signature verified"), "Acme\\u{1b}[1A Signature verified");
/// assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
/// assert_eq!(printable("two\nlines"), "two\\nlines");
/// ```
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_to_print) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_to_print(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `bytes` as text safe to show: valid UTF-8 as [`printable`] shows it,
/// each byte that is not UTF-8 as `\xNN`.
///
/// ```
/// use licensing::printable_bytes;
///
/// assert_eq!(printable_bytes(b"Acme \xff\xfe Corp\x07"), "Acme \\xff\\xfe Corp\\u{7}");
/// ```
pub fn printable_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&printable(chunk.valid()));
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_unsafe_survives() {
        let every: String = (0..0x3000u32).filter_map(char::from_u32).collect();
        let shown = printable(&every);
        assert!(!shown.chars().any(is_unsafe_to_print));
        for c in [
            '\0', '\x1b', '\x7f', '\u{85}', '\u{9b}', '\u{202e}', '\u{2067}', '\u{2028}',
        ] {
            assert!(is_unsafe_to_print(c), "{c:?}");
        }
        for c in ['a', ' ', '\\', 'é', '€', '日'] {
            assert!(!is_unsafe_to_print(c), "{c:?}");
        }
    }
}
