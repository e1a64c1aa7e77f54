//! Activation codes and serial numbers from any text (and any 15 bytes):
//! never panics; a code that parses prints as text that parses back to it,
//! and its binary form reads back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::{ActivationCode, SerialNumber};

macro_rules! check {
    ($ty:ty, $text:expr, $bytes:expr) => {{
        match <$ty>::parse($text) {
            Ok(code) => {
                let printed = code.to_string();
                assert_eq!(<$ty>::parse(&printed).as_ref(), Ok(&code), "{printed}");
                assert_eq!(printed.parse::<$ty>().as_ref(), Ok(&code));
                assert_eq!(<$ty>::from_bytes(&code.to_bytes()), Some(code));
                // Lower case and without separators reads the same.
                let plain: String = printed
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert_eq!(<$ty>::parse(&plain).as_ref(), Ok(&code), "{plain}");
            }
            Err(err) => {
                let _ = err.to_string();
            }
        }
        if let Some(code) = <$ty>::from_bytes($bytes) {
            assert_eq!(code.to_bytes(), *$bytes, "the binary form is canonical");
            assert_eq!(<$ty>::parse(&code.to_string()).as_ref(), Ok(&code));
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut bytes = [0u8; 15];
    let n = data.len().min(15);
    bytes[..n].copy_from_slice(&data[..n]);
    check!(ActivationCode, &text, &bytes);
    check!(SerialNumber, &text, &bytes);
});
