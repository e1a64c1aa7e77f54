//! What the store's integration tests (tests/tamper.rs,
//! tests/clock_reset.rs) start from: a temporary folder, the sample
//! environment's serial, the vendor key that signed its license, a
//! validator trusting that key, and the license. Each test file adds the
//! methods it needs. (A folder of its own: Cargo makes every tests/*.rs a
//! test crate.)

use licensing::testing::{self, sample_infrastructure};
use licensing::{SerialNumber, SigningKey, TrustedKeys, Validator, issue};

pub struct Env {
    pub dir: tempfile::TempDir,
    pub validator: Validator,
    pub serial: SerialNumber,
    #[allow(
        dead_code,
        reason = "tests/clock_reset.rs signs with it; tests/tamper.rs does not"
    )]
    pub key: SigningKey,
    pub license: Vec<u8>,
}

pub fn env() -> Env {
    let (infra, serial, key) = sample_infrastructure();
    let license = issue(&infra, &serial, &key, testing::ISSUED_AT)
        .unwrap()
        .to_bytes();
    Env {
        dir: tempfile::tempdir().unwrap(),
        validator: Validator::new(TrustedKeys::new([key.public_key().clone()])),
        serial,
        key,
        license,
    }
}
