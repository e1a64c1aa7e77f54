//! Keys from any text (PEM) or bytes (DER): never panics; a key that is
//! read writes back to PEM that reads to the same key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::{PublicKey, SigningKey, TrustedKeys};

fuzz_target!(|data: &[u8]| {
    if let Ok(key) = PublicKey::from_der(data) {
        check_public(&key);
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match TrustedKeys::from_pem(text) {
        Ok(trusted) => {
            assert!(!trusted.is_empty());
            for id in trusted.key_ids() {
                let key = trusted.get(id).expect("a listed id is found");
                assert_eq!(key.key_id(), id);
                check_public(key);
            }
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
    match PublicKey::from_pem(text) {
        Ok(key) => check_public(&key),
        Err(err) => {
            let _ = err.to_string();
        }
    }
    match SigningKey::from_pem(text) {
        Ok(key) => {
            let pem = key.to_pkcs8_pem().expect("a signing key encodes");
            let again = SigningKey::from_pem(&pem).expect("its own PKCS#8 PEM reads");
            assert_eq!(again.public_key(), key.public_key());
            check_public(key.public_key());
            let _ = format!("{key:?}");
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
});

fn check_public(key: &PublicKey) {
    let pem = key.to_pem().expect("a public key encodes");
    let again = PublicKey::from_pem(&pem).expect("its own PEM reads");
    assert_eq!(&again, key);
    assert_eq!(again.key_id(), key.key_id());
    let trusted = TrustedKeys::from_pem(&pem).expect("its own PEM is a trusted key file");
    assert_eq!(trusted.key_ids(), [key.key_id()]);
    let _ = key.key_id().to_string();
}
