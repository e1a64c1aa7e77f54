//! `Validator::validate` on any bytes, for the test vectors' environment
//! and time, with and without the activation code: never panics, and the
//! second validation of the same bytes (answered from the validator's
//! cache of verified files) gives the same verdict as the first.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licensing::{
    ActivationCode, LicenseFile, SerialNumber, Timestamp, TrustedKeys, ValidationError, Validator,
};
use std::sync::LazyLock;

const TEST_PUBLIC_KEY: &str = include_str!("../../tests/vectors/test-public-key.pem");

struct Fixture {
    keys: TrustedKeys,
    serial: SerialNumber,
    code: ActivationCode,
    now: Timestamp,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| Fixture {
    keys: TrustedKeys::from_pem(TEST_PUBLIC_KEY).expect("the test public key"),
    serial: SerialNumber::parse("1HA-009-DEZ-RD3-PJA-MNH-C1S-91T").expect("the test serial"),
    code: ActivationCode::parse("4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ").expect("the test code"),
    now: Timestamp::from_unix_seconds(1_780_315_200),
});

fuzz_target!(|data: &[u8]| {
    let f = &*FIXTURE;
    // A new validator for each input: the first validation verifies, the
    // second is answered from the cache.
    let validator = Validator::new(f.keys.clone());
    for code in [None, Some(&f.code)] {
        let first = validator.validate(data, &f.serial, code, f.now);
        let second = validator.validate(data, &f.serial, code, f.now);
        assert_eq!(first, second, "the cached verdict differs (code {code:?})");
        let checked = validator.signatures_checked();
        let third = validator.validate(data, &f.serial, code, f.now);
        assert_eq!(first, third);
        if first.is_ok() {
            assert_eq!(
                validator.signatures_checked(),
                checked,
                "verified bytes are not verified again"
            );
        }
        match &first {
            Ok(valid) => {
                let file = LicenseFile::parse(data).expect("a valid license parses");
                let key = f.keys.get(file.key_id()).expect("signed by a trusted key");
                assert!(file.is_signed_by(key), "a valid license is signed");
                assert_eq!(valid.license(), file.license());
                assert_eq!(valid.license().serial_number, f.serial);
                if let Some(code) = code {
                    assert_eq!(&valid.license().activation_code, code);
                }
                // Cheap lookups on what was validated.
                for feature in &valid.license().features {
                    assert!(valid.has_feature(feature));
                    assert!(valid.has_feature_bytes(feature.as_bytes()));
                }
                let _ = valid.has_feature_bytes(data);
                let _ = valid.limit_bytes(data);
                let _ = valid.days_left();
                let _ = valid.state().to_string();
            }
            Err(err) => {
                let _ = err.to_string();
                if let ValidationError::Malformed { .. } = err {
                    assert!(LicenseFile::parse(data).is_err());
                }
            }
        }
    }
});
