//! An operating system's refusal, said so that an administrator can act:
//! what could not be done to which path, why in words, and what to do,
//! never a bare "(os error 13)".

use std::io::ErrorKind;
use std::path::Path;

/// "cannot `action` `path`: why, and what to do (the system's words)".
///
/// ```
/// use std::io::{Error, ErrorKind};
/// use std::path::Path;
///
/// let denied = Error::from(ErrorKind::PermissionDenied);
/// let text = licensing::explain_io_failure("write the license store file", Path::new("/var/lib/x/state"), &denied);
/// assert!(text.starts_with("cannot write the license store file /var/lib/x/state: permission denied"));
/// assert!(text.contains("run as the user the platform's service runs as"));
/// ```
pub fn explain_io_failure(action: &str, path: &Path, error: &std::io::Error) -> String {
    let path = crate::printable(&path.to_string_lossy()).into_owned();
    let advice = match error.kind() {
        ErrorKind::PermissionDenied => {
            "permission denied: run as the user the platform's service runs as, or make that user the owner of the directory".to_owned()
        }
        ErrorKind::NotFound => "it does not exist: check the path".to_owned(),
        ErrorKind::ReadOnlyFilesystem => {
            "the file system is read-only: mount it read-write, or choose a directory on a writable one".to_owned()
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "the disk is full (or the quota is used up): free some space and try again".to_owned()
        }
        ErrorKind::IsADirectory => "it is a directory: name a file".to_owned(),
        ErrorKind::NotADirectory => {
            "a part of the path is a file, not a directory: check the path".to_owned()
        }
        ErrorKind::InvalidFilename => "the name is not valid here: choose another".to_owned(),
        _ => "the operating system refused".to_owned(),
    };
    format!(
        "cannot {action} {path}: {advice} ({})",
        crate::printable(&error.to_string())
    )
}
