//! Reading and writing the tool's files (writes go through the core's
//! atomic writer), and the loaders of infrastructures, keys and license
//! files with errors that name the path.

use crate::failure::{Failure, usage};
pub use licensing::{Access, Existing};
use licensing::{Infrastructure, LicenseFile, SigningKey, TrustedKeys, write_atomically};
use std::path::Path;

/// Reads a whole file; the error names the path.
pub fn read(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        usage(licensing::explain_io_failure(
            &format!("read the {what}"),
            path,
            &e,
        ))
    })
}

/// Reads a whole UTF-8 text file; the error names the path.
pub fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    let bytes = read(path, what)?;
    String::from_utf8(bytes).map_err(|e| {
        usage(format!(
            "{what} {} is not text (expected UTF-8, found an invalid byte at {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Writes `bytes` to `path` through the core's one atomic writer (never a
/// half-written file); the error names the path and what to do.
pub fn write(path: &Path, bytes: &[u8], existing: Existing, access: Access) -> Result<(), Failure> {
    write_atomically(path, bytes, existing, access).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            refuse_existing(path)
        } else {
            usage(licensing::explain_io_failure("write", path, &e))
        }
    })
}

/// The error for a file that exists and may not be replaced.
pub fn refuse_existing(path: &Path) -> Failure {
    usage(format!(
        "{} exists already and was left unchanged: choose another file name, or pass --force to overwrite it",
        path.display()
    ))
}

/// Loads an infrastructure (subscription and environments) from its JSON.
pub fn load_infrastructure(path: &Path) -> Result<Infrastructure, Failure> {
    let text = read_text(path, "subscription file")?;
    serde_json::from_str(&text).map_err(|e| {
        usage(format!(
            "{} is not a subscription file (the JSON 'licensing subscription new' writes): {e}",
            path.display()
        ))
    })
}

/// Saves an infrastructure as pretty-printed JSON.
pub fn save_infrastructure(
    path: &Path,
    infrastructure: &Infrastructure,
    existing: Existing,
) -> Result<(), Failure> {
    let mut json = serde_json::to_string_pretty(infrastructure)
        .map_err(|e| usage(format!("cannot encode {}: {e}", path.display())))?;
    json.push('\n');
    write(path, json.as_bytes(), existing, Access::Normal)
}

/// Loads the vendor's private key (PKCS#8 or SEC1 PEM).
pub fn load_signing_key(path: &Path) -> Result<SigningKey, Failure> {
    let pem = read_text(path, "private key")?;
    SigningKey::from_pem(&pem).map_err(|e| usage(format!("{}: {e}", path.display())))
}

/// Loads one or more trusted public keys (SPKI PEM).
pub fn load_trusted_keys(path: &Path) -> Result<TrustedKeys, Failure> {
    let pem = read_text(path, "public key file")?;
    TrustedKeys::from_pem(&pem).map_err(|e| usage(format!("{}: {e}", path.display())))
}

/// Reads and parses a license file (binary or text form).
pub fn load_license(path: &Path) -> Result<(Vec<u8>, LicenseFile), Failure> {
    let bytes = read(path, "license file")?;
    let file = LicenseFile::parse(&bytes).map_err(|e| usage(format!("{}: {e}", path.display())))?;
    Ok((bytes, file))
}

/// Writes a license file, in the text form with `pem`; returns its size.
/// Whether a write may replace an existing file: only with `--force`, the
/// same for every command that writes one.
pub fn existing(force: bool) -> Existing {
    if force {
        Existing::Replace
    } else {
        Existing::Refuse
    }
}

pub fn save_license(
    path: &Path,
    file: &LicenseFile,
    pem: bool,
    existing: Existing,
) -> Result<usize, Failure> {
    let bytes = if pem {
        file.to_armored().into_bytes()
    } else {
        file.to_bytes()
    };
    write(path, &bytes, existing, Access::Normal)?;
    Ok(bytes.len())
}
