//! Every line the tool writes goes through here, so that no text from a
//! file, an argument or the environment reaches the terminal raw: each
//! line is shown as `licensing::printable` shows it (escape sequences,
//! carriage returns, bidirectional overrides escaped), and JSON escapes the
//! same characters its own way, so it stays valid JSON.

use std::fmt::Write as _;
use std::io::Write as _;

/// `text`, each of its lines made safe to print; its line breaks kept.
pub fn safe(text: &str) -> String {
    let lines: Vec<_> = text.split('\n').map(licensing::printable).collect();
    lines.join("\n")
}

/// Writes `text` and a line break to stdout, ignoring a closed pipe
/// (`licensing ... | head`).
pub fn out(text: &str) {
    let _ = writeln!(std::io::stdout(), "{}", safe(text));
}

/// Writes `licensing: text` to stderr, like the tool's errors.
pub fn err(text: &str) {
    let _ = writeln!(std::io::stderr(), "licensing: {}", safe(text));
}

/// `value` as pretty JSON in which every character unsafe to print is a
/// `\uXXXX` escape (serde_json escapes only C0 controls itself).
pub fn json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(value).expect("a JSON value serializes");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if licensing::is_unsafe_to_print(c) {
            // Outside strings JSON has only ASCII punctuation, spaces and
            // line breaks, which serde_json wrote itself: keep those.
            if c == '\n' {
                out.push(c);
                continue;
            }
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_stays_json_and_shows_nothing_raw() {
        let nasty = "Acme\u{1b}[1A\r\u{202e}\u{85}\u{7f}Corp";
        let value = serde_json::json!({ "organization": nasty });
        let text = json(&value);
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && licensing::is_unsafe_to_print(c)),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(safe("a\u{1b}b\nc\rd"), "a\\u{1b}b\nc\\rd");
    }
}
