//! The store's own files' modification times, as evidence of the latest
//! time seen: a file written later than the system clock now says was
//! written before the clock was turned back. It counts even when the state
//! that remembers the latest time was deleted or altered (it is evidence,
//! not proof: `touch` sets a file's time as easily as `date` sets the
//! clock, so it only ever raises what the state says).

use crate::Timestamp;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The least slack between a file's time and the system clock before it
/// counts: file systems round times (FAT to 2 s) and a network share's
/// server clock may run ahead, whatever clock tolerance the store has.
pub(super) const FLOOR_SECONDS: i64 = 3600;

/// The latest modification time among `names` in `dir`, when it is later
/// than the system clock by more than `tolerance` seconds (at least
/// [`FLOOR_SECONDS`]).
pub(super) fn written_after_the_clock(
    dir: &Path,
    names: &[&str],
    tolerance: i64,
) -> Option<Timestamp> {
    let latest = names
        .iter()
        .filter_map(|name| std::fs::metadata(dir.join(name)).ok()?.modified().ok())
        .filter_map(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| Timestamp::from_unix_seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX)))
        .max()?;
    let slack = tolerance.max(FLOOR_SECONDS);
    (latest > Timestamp::now().plus_seconds(slack)).then_some(latest)
}

/// Sets the time of each of `names` in `dir` that is later than the system
/// clock back to the clock: after a vendor's clock reset, files written
/// while the clock was set ahead by mistake are no longer evidence of it.
/// Best effort: a file that cannot be touched stays evidence.
pub(super) fn forget_times_ahead(dir: &Path, names: &[&str]) {
    let now = SystemTime::now();
    for name in names {
        let path = dir.join(name);
        let ahead = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t > now);
        if ahead && let Ok(file) = std::fs::File::options().write(true).open(&path) {
            let _ = file.set_modified(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn only_a_file_from_after_the_clock_counts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), b"").unwrap();
        std::fs::write(dir.path().join("b"), b"").unwrap();
        assert_eq!(
            written_after_the_clock(dir.path(), &["a", "b", "gone"], 60),
            None
        );
        let ahead = SystemTime::now() + Duration::from_secs(10 * 86_400);
        let file = std::fs::File::options()
            .write(true)
            .open(dir.path().join("b"))
            .unwrap();
        file.set_modified(ahead).unwrap();
        let seen = written_after_the_clock(dir.path(), &["a", "b"], 60).unwrap();
        let expected = ahead.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        assert_eq!(seen, Timestamp::from_unix_seconds(expected));
        // Within the tolerance: not evidence.
        assert_eq!(
            written_after_the_clock(dir.path(), &["b"], 11 * 86_400),
            None
        );
    }
}
