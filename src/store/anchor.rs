//! A second place, outside the store, that remembers what the store's
//! state says (the trial's start, the latest time seen, the write
//! counter): so that deleting the store's state, or the whole store, or
//! putting back an older copy of it, is seen rather than believed.

use super::state::StoreState;
use crate::Timestamp;
use crate::atomic_file::{Access, Existing, write_atomically};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The environment variable naming the directory a store keeps its anchor
/// in when the host gives none ([`LicenseStore::with_anchor`]).
///
/// ```
/// assert_eq!(licensing::ANCHOR_DIR_VAR, "LICENSING_ANCHOR_DIR");
/// ```
///
/// [`LicenseStore::with_anchor`]: crate::LicenseStore::with_anchor
pub const ANCHOR_DIR_VAR: &str = "LICENSING_ANCHOR_DIR";

/// Where a store's anchor lives: a place the host chooses, outside the
/// store's directory (another directory, or the platform's own database).
/// Each store and environment has its own `key` (a hex string); a load of
/// a key never saved is `Ok(None)`. An anchor that cannot be read or
/// written never stops the store: it only weakens what can be detected.
///
/// ```
/// use licensing::{Anchor, DirectoryAnchor};
///
/// let dir = tempfile::tempdir()?;
/// let anchor = DirectoryAnchor::new(dir.path());
/// assert_eq!(anchor.load("0a1b")?, None);
/// anchor.save("0a1b", b"remembered")?;
/// assert_eq!(anchor.load("0a1b")?.as_deref(), Some(&b"remembered"[..]));
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait Anchor: Send + Sync + std::fmt::Debug {
    /// The bytes last saved under `key`, if any.
    fn load(&self, key: &str) -> std::io::Result<Option<Vec<u8>>>;
    /// Keeps `bytes` under `key`, replacing what was there.
    fn save(&self, key: &str, bytes: &[u8]) -> std::io::Result<()>;
}

/// An [`Anchor`] in a directory: one small file per store and environment.
///
/// ```
/// use licensing::{DirectoryAnchor, LicenseStore};
///
/// let dir = tempfile::tempdir()?;
/// let store = LicenseStore::create(dir.path().join("store"))?
///     .with_anchor(DirectoryAnchor::new(dir.path().join("anchors")));
/// # let _ = store;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DirectoryAnchor {
    dir: PathBuf,
}

impl DirectoryAnchor {
    /// An anchor in `dir` (created at the first save).
    ///
    /// ```
    /// let anchor = licensing::DirectoryAnchor::new("/var/lib/acme/licensing-anchors");
    /// # let _ = anchor;
    /// ```
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Where a store keeps its anchor when the host names none: the
    /// directory in [`ANCHOR_DIR_VAR`] (empty: no anchor), else
    /// `$XDG_STATE_HOME/licensing/anchors` or
    /// `~/.local/state/licensing/anchors` on Linux and other Unix systems,
    /// `~/Library/Application Support/licensing/anchors` on macOS and
    /// `%ProgramData%\licensing\anchors` on Windows; `None` when none of
    /// these can be named (no home directory).
    ///
    /// ```
    /// // Set by the host, for example in its service unit: that directory.
    /// # if let Some(dir) = std::env::var_os("LICENSING_ANCHOR_DIR") { let _ = dir; }
    /// let dir = licensing::DirectoryAnchor::default_dir();
    /// # let _ = dir;
    /// ```
    pub fn default_dir() -> Option<PathBuf> {
        default_dir()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.anchor"))
    }
}

impl Anchor for DirectoryAnchor {
    fn load(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        match std::fs::read(self.path(key)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn save(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        write_atomically(&self.path(key), bytes, Existing::Replace, Access::Normal)
    }
}

pub(crate) fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(ANCHOR_DIR_VAR) {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        var("ProgramData")?
    } else if cfg!(target_os = "macos") {
        var("HOME")?.join("Library/Application Support")
    } else {
        var("XDG_STATE_HOME").or_else(|| Some(var("HOME")?.join(".local/state")))?
    };
    Some(base.join("licensing").join("anchors"))
}

/// What an anchor remembers of a store's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Remembered {
    pub trial_started: Option<Timestamp>,
    pub high_water: Option<Timestamp>,
    pub licensed: bool,
    pub counter: u64,
    /// The issue time of the last clock reset applied (since 0.3).
    pub clock_reset: Option<Timestamp>,
}

const DOMAIN: &[u8] = b"licensing/anchor/v1\0";

impl Remembered {
    pub fn of(state: &StoreState) -> Self {
        Self {
            trial_started: state.trial_started,
            high_water: state.high_water,
            licensed: state.licensed,
            counter: state.counter,
            clock_reset: state.clock_reset,
        }
    }

    /// The anchor's bytes for `key`: `key=value` lines and a code that
    /// binds them to the key.
    pub fn to_bytes(self, key: &str) -> Vec<u8> {
        let mut body = String::from("licensing-anchor 1\n");
        if let Some(t) = self.trial_started {
            let _ = writeln!(body, "trial-started={}", t.unix_seconds());
        }
        if let Some(t) = self.high_water {
            let _ = writeln!(body, "high-water={}", t.unix_seconds());
        }
        let _ = writeln!(body, "licensed={}", self.licensed);
        let _ = writeln!(body, "counter={}", self.counter);
        if let Some(t) = self.clock_reset {
            let _ = writeln!(body, "clock-reset={}", t.unix_seconds());
        }
        let _ = writeln!(body, "mac={}", mac(key, body.as_bytes()));
        body.into_bytes()
    }

    /// The anchor read back; `None` when it does not authenticate.
    pub fn read(bytes: &[u8], key: &str) -> Option<Self> {
        let text = std::str::from_utf8(bytes).ok()?;
        let at = text.rfind("mac=")?;
        let (body, tail) = text.split_at(at);
        if tail != format!("mac={}\n", mac(key, body.as_bytes())) {
            return None;
        }
        let mut remembered = Self {
            trial_started: None,
            high_water: None,
            licensed: false,
            counter: 0,
            clock_reset: None,
        };
        for line in body.lines().skip(1) {
            let (k, v) = line.split_once('=')?;
            let time = || v.parse().ok().map(Timestamp::from_unix_seconds);
            match k {
                "trial-started" => remembered.trial_started = Some(time()?),
                "high-water" => remembered.high_water = Some(time()?),
                "licensed" => remembered.licensed = v == "true",
                "counter" => remembered.counter = v.parse().ok()?,
                "clock-reset" => remembered.clock_reset = Some(time()?),
                _ => {}
            }
        }
        Some(remembered)
    }
}

fn mac(key: &str, body: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(DOMAIN)
        .chain_update(key.as_bytes())
        .chain_update([0])
        .chain_update(body)
        .finalize();
    crate::license_file::hex(&digest)
}

/// The anchor key of the store in `dir` for `serial`: its canonical path
/// and the environment, hashed (the anchor learns neither).
pub(crate) fn key(dir: &std::path::Path, serial: &crate::SerialNumber) -> String {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    let digest = Sha256::new()
        .chain_update(b"licensing/anchor-key\0")
        .chain_update(dir.to_string_lossy().as_bytes())
        .chain_update([0])
        .chain_update(serial.to_string().as_bytes())
        .finalize();
    crate::license_file::hex(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_remembered_reads_back_and_any_change_does_not() {
        let remembered = Remembered {
            trial_started: Some(Timestamp::from_unix_seconds(100)),
            high_water: Some(Timestamp::from_unix_seconds(200)),
            licensed: false,
            counter: 4,
            clock_reset: Some(Timestamp::from_unix_seconds(150)),
        };
        let bytes = remembered.to_bytes("k1");
        assert_eq!(Remembered::read(&bytes, "k1"), Some(remembered));
        assert_eq!(Remembered::read(&bytes, "k2"), None, "another store's");
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x04;
            assert_eq!(Remembered::read(&flipped, "k1"), None, "byte {i}");
        }
    }
}
