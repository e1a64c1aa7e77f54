//! What the writer of the license file test vectors
//! (`examples/make_vectors.rs`) and their checker (`tests/vectors.rs`) must
//! agree on: where the vectors are, how bytes are written in hex, how a
//! vector is made again by signing, and how a validation verdict is written
//! in `vectors.json` (the error names among them).
//!
//! One file, compiled into both: `tests/vectors.rs` declares it as
//! `mod vectors_common;`, the example as
//! `#[path = "../tests/vectors_common/mod.rs"] mod vectors_common;`. It is a
//! `mod.rs` in a folder of its own because Cargo makes every `tests/*.rs` a
//! test crate of its own (and every file in `tests/vectors/` must be a
//! described vector).

use licensing::{
    License, LicenseFile, LicenseState, SigningKey, SigningRequest, ValidatedLicense,
    ValidationError,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The folder of the vectors: `tests/vectors/`.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Lowercase hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `license` signed by `key` (and named by its key id).
pub fn sign(license: License, key: &SigningKey) -> LicenseFile {
    SigningRequest::new(license, key.public_key().key_id())
        .expect("encodable")
        .sign(key)
        .expect("signed")
}

/// The bytes of `file` stored as the vector `name`: the binary form in a
/// `.lic`, the text armor in any other.
pub fn stored_bytes(name: &str, file: &LicenseFile) -> Vec<u8> {
    if name.ends_with(".lic") {
        file.to_bytes()
    } else {
        file.to_armored().into_bytes()
    }
}

/// The name of every [`ValidationError`] in `vectors.json`, as
/// [`error_name`] gives them.
#[allow(
    dead_code,
    reason = "tests/vectors.rs checks that the vectors cover every error; the example does not"
)]
pub const ERROR_NAMES: [&str; 10] = [
    "Malformed",
    "UnsupportedVersion",
    "UnknownCriticalExtension",
    "UnknownKey",
    "BadSignature",
    "WrongActivationCode",
    "WrongSerial",
    "PlatformVersionNotCovered",
    "NotYetValid",
    "Expired",
];

/// A validation error's name in `vectors.json`: its variant's.
pub fn error_name(e: &ValidationError) -> &'static str {
    match e {
        ValidationError::Malformed { .. } => "Malformed",
        ValidationError::UnsupportedVersion { .. } => "UnsupportedVersion",
        ValidationError::UnknownCriticalExtension { .. } => "UnknownCriticalExtension",
        ValidationError::UnknownKey { .. } => "UnknownKey",
        ValidationError::BadSignature { .. } => "BadSignature",
        ValidationError::WrongActivationCode { .. } => "WrongActivationCode",
        ValidationError::WrongSerial { .. } => "WrongSerial",
        ValidationError::PlatformVersionNotCovered { .. } => "PlatformVersionNotCovered",
        ValidationError::NotYetValid { .. } => "NotYetValid",
        ValidationError::Expired { .. } => "Expired",
    }
}

/// A license state in `vectors.json`.
pub fn state_json(state: LicenseState) -> Value {
    match state {
        LicenseState::Active => json!({"state": "active"}),
        LicenseState::ExpiringSoon { days_left } => {
            json!({"state": "expiring-soon", "days_left": days_left})
        }
        LicenseState::InGrace { days_left } => json!({"state": "in-grace", "days_left": days_left}),
    }
}

/// The verdict of a validation that accepts the file, in `state`.
pub fn ok(state: Value) -> Value {
    json!({ "ok": state })
}

/// The verdict of a validation that rejects the file with the error `name`.
pub fn err(name: &str) -> Value {
    json!({ "error": name })
}

/// The verdict of a validation that rejects the file as malformed: the
/// field (or part of the file) that is wrong and the byte it is at.
pub fn malformed(field: &str, offset: usize) -> Value {
    json!({ "error": "Malformed", "field": field, "offset": offset })
}

/// A validation's verdict as `vectors.json` writes it.
pub fn verdict(result: &Result<ValidatedLicense, ValidationError>) -> Value {
    match result {
        Ok(valid) => ok(state_json(valid.state())),
        Err(ValidationError::Malformed { field, offset, .. }) => malformed(field, *offset),
        Err(e) => err(error_name(e)),
    }
}
