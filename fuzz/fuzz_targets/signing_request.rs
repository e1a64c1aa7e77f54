//! Signing requests from any bytes, and signatures attached to them: never
//! panics. The input is read three ways: whole as a request message; and,
//! when it is long enough, its last 64 bytes as the signature for the
//! request in the bytes before them, with or without the signing domain
//! in front (so that license files from tests/vectors are useful seeds).
//! A request that reads writes back to the same message; a file made by
//! attaching a signature parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::{LicenseFile, PublicKey, SIGNATURE_LEN, SIGNING_DOMAIN, SigningRequest};
use std::sync::LazyLock;

const TEST_PUBLIC_KEY: &str = include_str!("../../tests/vectors/test-public-key.pem");

static KEY: LazyLock<PublicKey> =
    LazyLock::new(|| PublicKey::from_pem(TEST_PUBLIC_KEY).expect("the test public key"));

fuzz_target!(|data: &[u8]| {
    check_request(data, None);
    if let Some(split) = data.len().checked_sub(SIGNATURE_LEN) {
        let (message, signature) = data.split_at(split);
        check_request(message, Some(signature));
        check_request(&[SIGNING_DOMAIN, message].concat(), Some(signature));
    }
});

fn check_request(message: &[u8], signature: Option<&[u8]>) {
    let request = match SigningRequest::from_message(message) {
        Ok(request) => request,
        Err(err) => {
            let _ = err.to_string();
            return;
        }
    };
    assert_eq!(
        request.message(),
        message,
        "an accepted request is its own message"
    );
    let key_id = request.key_id();
    let license = request.license().clone();
    let again = SigningRequest::new(license.clone(), key_id).expect("a read license encodes");
    assert_eq!(
        again.message(),
        message,
        "the request is in its canonical form"
    );

    let Some(signature) = signature else {
        return;
    };
    // A 64-byte r || s signature, and the same bytes read as DER (which
    // they almost never are): unchecked, and checked against the test key.
    for signature in [signature, &signature[1..]] {
        for key in [None, Some(&*KEY)] {
            let request = SigningRequest::from_message(message).expect("read above");
            match request.attach(signature, key) {
                Ok(file) => {
                    assert_eq!(file.license(), &license);
                    assert_eq!(file.key_id(), key_id);
                    assert_eq!(file.signed_message(), message);
                    let parsed =
                        LicenseFile::parse(&file.to_bytes()).expect("an attached file parses");
                    assert_eq!(parsed, file);
                    if let Some(key) = key {
                        assert!(file.is_signed_by(key), "attach checked the signature");
                    }
                    let _ = file.signature_der();
                }
                Err(err) => {
                    let _ = err.to_string();
                }
            }
        }
    }
}
