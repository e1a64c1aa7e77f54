//! The one way this library and its tool write a file: never half.
//!
//! The bytes go to a new temporary file in the target's directory, are
//! synced to disk, renamed over (or linked to) the target, and the
//! directory is synced so that the rename survives a power cut. At every
//! instant the target holds its old contents or its new ones.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What [`write_atomically`] does when the target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (a replaced file keeps its permissions on unix, unless
    /// the write asks for [`Access::OwnerOnly`]).
    Replace,
    /// Leave it alone and fail with [`io::ErrorKind::AlreadyExists`].
    Refuse,
}

/// Who may read a file [`write_atomically`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// What the umask allows, like any new file.
    Normal,
    /// The owner only (mode 0600 on unix): private keys.
    OwnerOnly,
}

/// Writes `bytes` to `path` atomically and durably (temporary file, fsync,
/// rename, fsync of the directory). The error names neither the path nor
/// the operation: callers say which file they were writing.
///
/// ```
/// use licensing::{Access, Existing, write_atomically};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("license.lic");
/// write_atomically(&path, b"first", Existing::Refuse, Access::Normal)?;
/// write_atomically(&path, b"second", Existing::Replace, Access::Normal)?;
/// let refused = write_atomically(&path, b"third", Existing::Refuse, Access::Normal);
/// assert_eq!(refused.unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
/// assert_eq!(std::fs::read(&path)?, b"second");
/// assert_eq!(std::fs::read_dir(dir.path())?.count(), 1, "no temporary file is left");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomically(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    access: Access,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let (tmp, mut file) = create_temporary(dir, path, access)?;
    let written = (|| {
        if access == Access::Normal && existing == Existing::Replace {
            // A replaced file keeps the permissions its owner gave it.
            if let Ok(metadata) = fs::metadata(path) {
                file.set_permissions(metadata.permissions())?;
            }
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        match existing {
            Existing::Replace => rename_over(&tmp, path),
            // A hard link fails when the target exists: no window in which
            // another writer's file could be replaced.
            Existing::Refuse => fs::hard_link(&tmp, path).and_then(|()| fs::remove_file(&tmp)),
        }
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_directory(dir)
}

/// Renames `from` over `to`. On Windows the rename replaces `to`
/// (MoveFileEx with MOVEFILE_REPLACE_EXISTING), and this library's own
/// readers never block it (Rust opens files with FILE_SHARE_DELETE); but
/// another program holding `to` open without that share (an antivirus
/// scan, an editor) makes it fail for a moment: retried a few times.
fn rename_over(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(windows)]
    for _ in 0..20 {
        match fs::rename(from, to) {
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            done => return done,
        }
    }
    fs::rename(from, to)
}

/// A new, empty temporary file next to `target`: `.NAME.tmp-PID-N`.
fn create_temporary(dir: &Path, target: &Path, access: Access) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(match access {
                Access::Normal => 0o666,
                Access::OwnerOnly => 0o600,
            });
        }
        #[cfg(not(unix))]
        let _ = access;
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            // Left behind by a killed process with our pid: try the next.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Makes a rename in `dir` durable. Windows cannot open a directory as a
/// file; its renames are durable once the call returns.
fn sync_directory(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_file_is_the_owners_only_and_a_replaced_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("vendor.key");
        write_atomically(&key, b"secret", Existing::Refuse, Access::OwnerOnly).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&key), 0o600);
            let public = dir.path().join("vendor.pub");
            write_atomically(&public, b"1", Existing::Refuse, Access::Normal).unwrap();
            fs::set_permissions(&public, fs::Permissions::from_mode(0o640)).unwrap();
            write_atomically(&public, b"2", Existing::Replace, Access::Normal).unwrap();
            assert_eq!(mode(&public), 0o640);
        }
    }

    #[test]
    fn a_failed_write_leaves_the_target_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub");
        fs::create_dir(&target).unwrap();
        // Renaming a file over a directory fails.
        assert!(write_atomically(&target, b"x", Existing::Replace, Access::Normal).is_err());
        assert!(target.is_dir());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
