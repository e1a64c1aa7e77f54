//! `LicenseFile::parse` on any bytes: never panics; a file it accepts
//! survives both of its encodings, inside mail text too, and is in the one
//! canonical form (encoding its license again gives the same bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::{LicenseFile, MAGIC, SigningRequest};

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = LicenseFile::parse(data) {
        check_round_trips(data, &file);
    }
    // The same input pasted into a mail: text around it, CRLF lines.
    if let Ok(text) = std::str::from_utf8(data) {
        let mail = format!("Hello\r\n{text}\r\nBye");
        if let Ok(file) = LicenseFile::parse(mail.as_bytes()) {
            check_round_trips(mail.as_bytes(), &file);
        }
    }
});

fn check_round_trips(input: &[u8], file: &LicenseFile) {
    let bytes = file.to_bytes();
    if input.starts_with(&MAGIC) {
        assert_eq!(
            bytes, input,
            "an accepted binary file is its own to_bytes()"
        );
    }
    let again = LicenseFile::parse(&bytes).expect("to_bytes() parses");
    assert_eq!(&again, file, "to_bytes() parses to the same file");

    let armored = file.to_armored();
    let again = LicenseFile::parse(armored.as_bytes()).expect("to_armored() parses");
    assert_eq!(&again, file, "to_armored() parses to the same file");

    let mail = format!(
        "Hello,\r\nyour license:\r\n{}Regards",
        armored.replace('\n', "\r\n")
    );
    let again = LicenseFile::parse(mail.as_bytes()).expect("armored form in a mail parses");
    assert_eq!(
        &again, file,
        "the armored form in a mail parses to the same file"
    );

    // One canonical form: the license, encoded again for its key, gives
    // exactly the bytes that were signed.
    let request = SigningRequest::new(file.license().clone(), file.key_id())
        .expect("a parsed license can be encoded again");
    assert_eq!(
        request.message(),
        file.signed_message(),
        "the accepted body is in its canonical form"
    );
}
