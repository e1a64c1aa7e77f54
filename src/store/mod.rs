//! The license store: the directory where an environment keeps its active
//! license, the previous one, and what it remembers about trial and clock.
//!
//! Every change replaces files atomically (write a temporary file, fsync,
//! rename, fsync the directory) under an exclusive lock file, so that at
//! every instant the directory holds a complete active license or none,
//! whatever crashes when, and two processes installing at once do not mix.

mod anchor;
mod file_times;
mod grants;
mod state;
mod status;
mod summary;
mod this_environment;
mod usage;

pub use anchor::{ANCHOR_DIR_VAR, Anchor, DirectoryAnchor};
pub use grants::{Accepted, CLOCK_RESET_VALID_DAYS};
pub use status::{
    Decision, Decisions, LimitStatus, Standing, Status, TRIAL_DAYS, Warning, trial_limits,
};
pub use summary::SummedUsage;
pub use usage::USAGE_DAYS;

use crate::atomic_file::{Access, Existing, write_atomically};
use crate::fingerprint::Fingerprint;
use crate::fingerprint_record::RecordError;
use crate::hardware::{HardwareError, MachineIdentity};
use crate::license_file::LicenseFile;
use crate::validation::{ValidatedLicense, ValidationError, Validator};
use crate::{SerialNumber, Timestamp};
use state::{Found, StoreState};

/// The state a store call works with (see [`LicenseStore::read_state`]).
pub(crate) struct Loaded {
    pub state: StoreState,
    /// Why the state file could not be believed, when it could not.
    pub altered: Option<String>,
    /// Whether the state must be written again (an upgrade, a new serial,
    /// an alteration found).
    pub rewrite: bool,
}

/// A new random store id: 16 bytes in hex.
fn new_store_id() -> Result<String, StoreError> {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|e| StoreError::Io {
        action: "make an id for the license store",
        path: PathBuf::from(STORE_ID),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(crate::license_file::hex(&id))
}
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The active license's file name in the store.
///
/// ```
/// assert_eq!(licensing::ACTIVE, "license.lic");
/// ```
pub const ACTIVE: &str = "license.lic";
/// The previous license's file name in the store.
///
/// ```
/// assert_eq!(licensing::BACKUP, "license.lic.bak");
/// ```
pub const BACKUP: &str = "license.lic.bak";
/// The environment's fingerprint record's file name in the store (JSON,
/// hashes only; see [`LicenseStore::fingerprint`]).
///
/// ```
/// assert_eq!(licensing::FINGERPRINT, "fingerprint.json");
/// ```
pub const FINGERPRINT: &str = "fingerprint.json";
const STATE: &str = "state";
/// The store's random id, which the state's authentication binds it to.
const STORE_ID: &str = "store-id";
/// The vendor's trial extension for this environment, when one was installed.
pub(crate) const TRIAL_EXTENSION: &str = "trial-extension";
const LOCK: &str = ".lock";

/// How far behind its latest seen time the clock may be before it is a
/// clock problem (24 hours): time zones, NTP steps and a restored VM
/// snapshot stay quiet, a clock turned back days is reported.
///
/// ```
/// assert_eq!(licensing::DEFAULT_CLOCK_TOLERANCE_SECONDS, 24 * 3600);
/// ```
pub const DEFAULT_CLOCK_TOLERANCE_SECONDS: i64 = 24 * 3600;

/// Why a store operation failed.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let elsewhere = licensing::SerialNumber::from_components(&[licensing::HardwareComponent::new("machine-id", "another machine")])?;
/// use licensing::{LicenseStore, StoreError, ValidationError};
///
/// let dir = tempfile::tempdir()?;
/// let store = LicenseStore::create(dir.path())?;
/// let err = store.restore(&validator, &serial, now).unwrap_err();
/// assert!(matches!(err, StoreError::NoBackup(_)));
/// assert!(err.to_string().starts_with("there is no previous license to restore"));
///
/// // A license that is not valid here is not installed, and the message says why.
/// let err = store.install(&file.to_bytes(), &validator, &elsewhere, now, false).unwrap_err();
/// assert!(matches!(err, StoreError::Invalid(ValidationError::WrongSerial { .. })));
/// assert!(err.to_string().starts_with("the license was not installed: the license was issued for serial"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file of the store could not be read or written.
    #[error("{}", crate::explain_io_failure(action, path, source))]
    Io {
        /// What was being done: "read the license store file", ...
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The license file is not valid for this environment.
    #[error("the license was not installed: {0}")]
    Invalid(#[from] ValidationError),
    /// The license is older than the one installed.
    #[error(
        "the license has revision {offered} but revision {installed} of the same subscription and environment is installed: it is older, so it was not installed (a downgrade must be forced on purpose)"
    )]
    Downgrade {
        /// The revision installed.
        installed: u32,
        /// The revision offered.
        offered: u32,
    },
    /// `restore` found a previous license that is not valid here and now
    /// (expired, say): nothing is changed.
    #[error("the previous license was not restored, nothing was changed: {0}")]
    InvalidBackup(ValidationError),
    /// A vendor grant (a trial extension, a clock reset) that is not
    /// valid here: not installed.
    #[error("not installed: {0}")]
    Grant(#[from] crate::GrantError),
    /// A clock reset this store has already applied (or one older than
    /// the last it applied): each is applied once, so that keeping a copy
    /// cannot undo a later turn of the clock.
    #[error(
        "this clock reset (issued {issued_at}) was already applied, or a later one was: ask the vendor for a new one if the latest time seen is still wrong"
    )]
    ClockResetUsed {
        /// When the refused reset was issued.
        issued_at: Timestamp,
    },
    /// A clock reset applied more than [`CLOCK_RESET_VALID_DAYS`] after it
    /// was issued: a reset kept for later cannot turn the latest time seen
    /// back to its day long after. (C: `LIC_CLOCK_RESET_USED`.)
    #[error(
        "this clock reset was issued {issued_at} and could be applied until {valid_until}, but this machine's clock says {now}: if the clock is wrong, set it right and apply the reset again; otherwise ask the vendor for a new one"
    )]
    ClockResetTooOld {
        /// When the refused reset was issued.
        issued_at: Timestamp,
        /// The last moment it could be applied.
        valid_until: Timestamp,
        /// The clock's time.
        now: Timestamp,
    },
    /// An activation request that cannot be written (an environment name
    /// that is empty or too long).
    #[error(transparent)]
    Request(crate::RegistryError),
    /// [`LicenseStore::open`] of a directory that holds no store.
    #[error(
        "{0} holds no license store (none of .lock, state, license.lic, license.lic.bak, fingerprint.json): check the path; a new store is made by creating one there"
    )]
    NotAStore(PathBuf),
    /// `restore` without a previous license.
    #[error("there is no previous license to restore in {0}")]
    NoBackup(PathBuf),
    /// A usage report or summary asked of a store with no license
    /// installed.
    #[error(
        "no license is installed in {0}: usage is reported for a licensed environment; install its license first"
    )]
    NoLicense(PathBuf),
    /// An exchange file (a usage summary) that cannot be read.
    #[error(transparent)]
    Exchange(#[from] crate::ExchangeError),
    /// A usage summary of another infrastructure.
    #[error(
        "the usage summary is of activation code {summary}, this environment's license is of {license}: give it the summary of its own infrastructure"
    )]
    OtherInfrastructure {
        /// The summary's activation code.
        summary: crate::ActivationCode,
        /// The installed license's.
        license: crate::ActivationCode,
    },
    /// This environment's identity could not be read (see
    /// [`LicenseStore::fingerprint`]).
    #[error("{0}")]
    Identity(#[from] HardwareError),
    /// The store's fingerprint record could not be read or written.
    #[error("{0}")]
    Record(#[from] RecordError),
    /// The state file is damaged. Not returned since 0.2: a state that
    /// cannot be believed ends the trial with [`Warning::StateAltered`]
    /// instead, so that it never stops a valid license.
    #[error("the store's state file is damaged ({0})")]
    CorruptState(String),
}

impl StoreError {
    /// Whether this is the refusal of a store this process may only read
    /// (permissions, a read-only file system).
    pub(crate) fn is_read_only(&self) -> bool {
        matches!(self, StoreError::Io { source, .. } if matches!(
            source.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        ))
    }
}

/// [`testing::read_store_state`](crate::testing::read_store_state).
pub(crate) fn read_state_for_fuzzing(bytes: &[u8], store_id: Option<&str>) -> bool {
    !matches!(StoreState::read(Some(bytes), store_id), Found::Altered(_))
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// A license store in a directory the host chooses.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// use licensing::{LicenseStore, TrustedKeys, Validator};
///
/// let dir = tempfile::tempdir()?;
/// let store = LicenseStore::create(dir.path())?;
/// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
/// let serial = file.license().serial_number;
/// let now = file.license().issued_at;
/// store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// let status = store.status(&validator, &serial, now, &Default::default())?;
/// assert!(status.decisions.run.allowed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct LicenseStore {
    dir: PathBuf,
    clock_tolerance: i64,
    /// `None`: [`MachineIdentity::from_env`], looked at on every call.
    identity: Option<MachineIdentity>,
    /// This environment's fingerprint, once the hardware was read (a
    /// pinned identity is read at every call, so a change is seen at once).
    fingerprint: Arc<OnceLock<Fingerprint>>,
    /// The second place the state is remembered (`None`: the directory
    /// [`ANCHOR_DIR_VAR`] names, when set).
    anchor: Option<Arc<dyn Anchor>>,
}

/// What an install or restore replaced.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// use licensing::Replaced;
///
/// std::fs::write(dir.path().join(licensing::ACTIVE), b"damaged")?;
/// let installed = store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// assert_eq!(installed.replaced, Replaced::Damaged);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    /// No license was active.
    Nothing,
    /// A file that is not a license file was active (damaged); it is
    /// the backup now.
    Damaged,
    /// A license of this revision was active; it is the backup now.
    Revision(u32),
}

impl Replaced {
    fn of(bytes: Option<&[u8]>) -> Self {
        match bytes.map(LicenseFile::parse) {
            None => Replaced::Nothing,
            Some(Ok(file)) => Replaced::Revision(file.license().revision),
            Some(Err(_)) => Replaced::Damaged,
        }
    }
}

/// What an install or restore did.
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// let installed = store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// assert_eq!(installed.license.license().serial_number, serial);
/// assert_eq!(installed.replaced, licensing::Replaced::Nothing);
/// let again = store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// assert_eq!(again.replaced, licensing::Replaced::Revision(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Installed {
    /// The license now active.
    pub license: ValidatedLicense,
    /// What was active before.
    pub replaced: Replaced,
}

impl LicenseStore {
    /// Opens the store in `dir`, which must hold one (made by
    /// [`create`](Self::create), or by an earlier version of this library):
    /// a host that means to open its store never starts a new one, on a
    /// fresh trial, because of a mistyped path.
    ///
    /// ```
    /// use licensing::{LicenseStore, StoreError};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let err = LicenseStore::open(dir.path()).unwrap_err();
    /// assert!(matches!(err, StoreError::NotAStore(_)));
    /// assert!(err.to_string().contains("holds no license store"));
    /// LicenseStore::create(dir.path())?;
    /// let store = LicenseStore::open(dir.path())?;
    /// assert_eq!(store.dir(), dir.path());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, StoreError> {
        let dir = dir.into();
        let holds_a_store = [STATE, ACTIVE, BACKUP, FINGERPRINT, LOCK, STORE_ID]
            .iter()
            .any(|name| dir.join(name).exists());
        if !holds_a_store {
            return Err(StoreError::NotAStore(dir));
        }
        Ok(Self::at(dir))
    }

    /// Opens the store in `dir`, creating the directory and an empty store
    /// in it when there is none (the trial starts at the first
    /// [`status`](Self::status)).
    ///
    /// ```
    /// use licensing::LicenseStore;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path().join("licensing"))?;
    /// assert!(store.dir().join(".lock").is_file(), "the mark of a store");
    /// // Creating it again opens it as it is.
    /// LicenseStore::create(store.dir())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(dir: impl Into<PathBuf>) -> Result<Self, StoreError> {
        let dir = dir.into();
        fs::create_dir_all(&dir).map_err(io("create the license store directory", &dir))?;
        let store = Self::at(dir);
        // The lock file marks the directory as a store; nothing else is
        // written until something happens (the store's id comes with its
        // first state).
        drop(store.lock()?);
        Ok(store)
    }

    fn at(dir: PathBuf) -> Self {
        Self {
            dir,
            clock_tolerance: DEFAULT_CLOCK_TOLERANCE_SECONDS,
            identity: None,
            fingerprint: Arc::default(),
            anchor: None,
        }
    }

    /// Remembers the store's state in `anchor` too (see [`Anchor`]): then
    /// deleting the state or the whole store, or restoring an older copy
    /// of it, ends the trial with [`Warning::StateAltered`] instead of
    /// starting a new one. Without it, a store uses the directory named by
    /// [`ANCHOR_DIR_VAR`], else the default of the operating system (see
    /// [`DirectoryAnchor::default_dir`]).
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// use licensing::{DirectoryAnchor, LicenseStore, Standing};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let open = || -> Result<LicenseStore, licensing::StoreError> {
    ///     Ok(LicenseStore::create(dir.path().join("store"))?
    ///         .with_anchor(DirectoryAnchor::new(dir.path().join("anchors"))))
    /// };
    /// open()?.status(&validator, &serial, now, &Default::default())?; // the trial starts
    /// std::fs::remove_dir_all(dir.path().join("store"))?; // a "trial reset"
    /// let status = open()?.status(&validator, &serial, now.plus_seconds(60), &Default::default())?;
    /// assert_eq!(status.standing, Standing::TrialOver);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_anchor(mut self, anchor: impl Anchor + 'static) -> Self {
        self.anchor = Some(Arc::new(anchor));
        self
    }

    fn anchor(&self) -> Option<Arc<dyn Anchor>> {
        self.anchor.clone().or_else(|| {
            let dir = anchor::default_dir()?;
            Some(Arc::new(DirectoryAnchor::new(dir)) as Arc<dyn Anchor>)
        })
    }

    /// Sets how far behind the latest seen time the clock may be before it
    /// is reported (default [`DEFAULT_CLOCK_TOLERANCE_SECONDS`]).
    ///
    /// ```
    /// # let key = licensing::SigningKey::generate();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let serial = licensing::testing::sample_license().serial_number;
    /// use licensing::{LicenseStore, Timestamp, Warning};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path())?.with_clock_tolerance(60);
    /// let latest = Timestamp::now();
    /// store.status(&validator, &serial, latest, &Default::default())?;
    /// // The clock turned back two minutes: reported, and licenses are judged at the latest time seen.
    /// let now = latest.plus_seconds(-120);
    /// let status = store.status(&validator, &serial, now, &Default::default())?;
    /// assert_eq!(status.warnings, [Warning::ClockBehind { now, latest_seen: latest }]);
    /// assert_eq!(status.judged_at, latest);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_clock_tolerance(mut self, seconds: i64) -> Self {
        self.clock_tolerance = seconds.max(0);
        self
    }

    /// The store's directory.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let store = licensing::LicenseStore::create(dir.path())?;
    /// assert_eq!(store.dir(), dir.path());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Holds the store's exclusive lock until dropped.
    pub(crate) fn lock(&self) -> Result<File, StoreError> {
        let path = self.path(LOCK);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io("open the license store's lock file", &path))?;
        file.lock()
            .map_err(io("lock the license store's lock file", &path))?;
        Ok(file)
    }

    pub(crate) fn read_optional(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.path(name);
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("read the license store file", &path)(e)),
        }
    }

    /// Replaces `name` with `bytes` atomically and durably.
    pub(crate) fn replace(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let target = self.path(name);
        write_atomically(&target, bytes, Existing::Replace, Access::Normal)
            .map_err(io("write the license store file", &target))
    }

    /// This store's random id, when it has one (stores of version 0.1 had
    /// none until their state was first written again).
    fn store_id(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .read_optional(STORE_ID)?
            .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned()))
    }

    /// The state as this store and environment can believe it, at `now`;
    /// a state that cannot be believed (edited, damaged, from another
    /// store or environment, or missing though a license was installed
    /// here) is replaced by one that ends the trial, with the reason.
    fn read_state(&self, serial: &SerialNumber, now: Timestamp) -> Result<Loaded, StoreError> {
        let loaded = self.read_state_file(serial, now)?;
        let mut loaded = self.reconcile_anchor(loaded, serial, now);
        if let Some(latest) = self.written_after_the_clock() {
            loaded.rewrite |= loaded.state.observe(latest);
        }
        Ok(loaded)
    }

    /// When a file of the store was written later than the system clock
    /// says it is now (by more than the tolerance): the clock was turned
    /// back since.
    fn written_after_the_clock(&self) -> Option<Timestamp> {
        file_times::written_after_the_clock(&self.dir, &Self::TIMED, self.clock_tolerance)
    }

    /// The files whose times are evidence of the latest time seen.
    const TIMED: [&str; 9] = [
        LOCK,
        STATE,
        STORE_ID,
        ACTIVE,
        BACKUP,
        FINGERPRINT,
        TRIAL_EXTENSION,
        usage::USAGE,
        summary::USAGE_SUMMARY,
    ];

    /// The same, among the files only use writes (not `.lock`, which
    /// creating the store writes): evidence that the store was used.
    fn used_after_the_clock(&self) -> Option<Timestamp> {
        file_times::written_after_the_clock(&self.dir, &Self::TIMED[1..], self.clock_tolerance)
    }

    /// The state with what the anchor remembers: a state missing or older
    /// than the anchor is an alteration; otherwise the earliest trial start
    /// and the latest time seen of the two win.
    fn reconcile_anchor(&self, loaded: Loaded, serial: &SerialNumber, now: Timestamp) -> Loaded {
        let Some(anchor) = self.anchor() else {
            return loaded;
        };
        let key = anchor::key(&self.dir, serial);
        // An anchor that cannot be read proves nothing either way.
        let Ok(Some(bytes)) = anchor.load(&key) else {
            return loaded;
        };
        let remembered = anchor::Remembered::read(&bytes, &key);
        let mut loaded = if loaded.altered.is_some() {
            loaded
        } else {
            self.reconciled(loaded, remembered, now)
        };
        // Which clock resets were applied survives even an alteration, so
        // that deleting the state cannot make one apply again.
        if let Some(last) = remembered.and_then(|a| a.clock_reset)
            && loaded.state.clock_reset.is_none_or(|t| t < last)
        {
            loaded.state.clock_reset = Some(last);
            loaded.rewrite = true;
        }
        loaded
    }

    /// `loaded` (a believed state) with what an anchor remembers.
    fn reconciled(
        &self,
        mut loaded: Loaded,
        remembered: Option<anchor::Remembered>,
        now: Timestamp,
    ) -> Loaded {
        let reason = match remembered {
            None => Some("the anchor that remembers it outside the store was altered".to_owned()),
            Some(a) if loaded.state.counter == 0 && !self.path(STATE).exists() => Some(format!(
                "it is missing, but this store was used before (its anchor remembers {} writes)",
                a.counter
            )),
            Some(a) if loaded.state.counter < a.counter => Some(format!(
                "it is an older copy (write {} of {}): the store was put back from a backup or a snapshot",
                loaded.state.counter, a.counter
            )),
            Some(a) => {
                let state = &mut loaded.state;
                let before = *state;
                state.trial_started = match (state.trial_started, a.trial_started) {
                    (Some(s), Some(t)) => Some(s.min(t)),
                    (s, t) => s.or(t),
                };
                if let Some(t) = a.high_water {
                    state.observe(t);
                }
                state.licensed |= a.licensed;
                loaded.rewrite |= *state != before;
                None
            }
        };
        match reason {
            None => loaded,
            Some(reason) => self.altered(reason, now),
        }
    }

    /// The state that replaces one that cannot be believed: nothing in it
    /// is kept, the clock's latest time included (it starts again from
    /// now); the trial is over, a license installed here still counts.
    fn altered(&self, reason: String, now: Timestamp) -> Loaded {
        Loaded {
            state: StoreState {
                licensed: self.licensed_here(),
                altered: Some(now),
                high_water: Some(now),
                ..StoreState::default()
            },
            altered: Some(reason),
            rewrite: true,
        }
    }

    /// Whether a license (active or backup) is in the store.
    fn licensed_here(&self) -> bool {
        self.path(ACTIVE).exists() || self.path(BACKUP).exists()
    }

    fn read_state_file(&self, serial: &SerialNumber, now: Timestamp) -> Result<Loaded, StoreError> {
        let id = self.store_id()?;
        let bytes = self.read_optional(STATE)?;
        let licensed_here = self.licensed_here();
        let believed = |state: StoreState, rewrite: bool| Loaded {
            state,
            altered: None,
            rewrite,
        };
        let altered = |reason: String| self.altered(reason, now);
        Ok(match StoreState::read(bytes.as_deref(), id.as_deref()) {
            Found::Missing if licensed_here => {
                altered("it is missing, though a license was installed in this store".into())
            }
            Found::Missing => match self.used_after_the_clock() {
                Some(latest) => altered(format!(
                    "it is missing, but files of this store were written at {latest}, later than the clock says it is: the clock was turned back"
                )),
                None => believed(StoreState::default(), false),
            },
            Found::Legacy(state) => believed(state, true),
            Found::Authentic {
                state,
                serial: written,
            } => {
                if written == *serial {
                    believed(state, false)
                } else if self.serial_replaced(&written, serial) {
                    // This environment's serial changed with its hardware:
                    // the state moves to the new serial.
                    believed(state, true)
                } else {
                    altered(format!(
                        "it was written for the environment {written}, not for this one ({serial})"
                    ))
                }
            }
            Found::Altered(reason) => altered(reason),
        })
    }

    /// Whether the fingerprint record says `now` replaced `before`.
    fn serial_replaced(&self, before: &SerialNumber, now: &SerialNumber) -> bool {
        self.recorded_fingerprint().is_some_and(|record| {
            record.serial_number == *now
                && record.replaced.is_some_and(|r| r.serial_number == *before)
        })
    }

    /// Writes the state for `serial`, authenticated for this store (giving
    /// the store its id first when it has none), counting the write.
    fn write_state(&self, mut state: StoreState, serial: &SerialNumber) -> Result<(), StoreError> {
        let id = match self.store_id()? {
            Some(id) if !id.is_empty() => id,
            _ => {
                let id = new_store_id()?;
                self.replace(STORE_ID, format!("{id}\n").as_bytes())?;
                id
            }
        };
        state.counter += 1;
        self.replace(STATE, &state.to_bytes(&id, serial))?;
        if let Some(anchor) = self.anchor() {
            // Best effort: an anchor that cannot be written weakens what can
            // be detected later, it never stops this store.
            let key = anchor::key(&self.dir, serial);
            let _ = anchor.save(&key, &anchor::Remembered::of(&state).to_bytes(&key));
        }
        Ok(())
    }

    /// The time licenses are judged at: the clock, or the latest time seen
    /// when the clock is behind it, so turning the clock back never
    /// stretches a license or a trial.
    fn effective(state: &StoreState, now: Timestamp) -> Timestamp {
        state.high_water.map_or(now, |h| h.max(now))
    }

    /// Validates `file` for this environment, then makes it the active
    /// license, keeping the one it replaces as the backup. A license older
    /// (lower revision) than the active one of the same subscription and
    /// environment is refused unless `force`. Ends the trial.
    ///
    /// ```
    /// # let (mut infra, serial, key) = licensing::testing::sample_infrastructure();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let now = licensing::Timestamp::now();
    /// # let first = licensing::issue(&infra, &serial, &key, now)?.to_bytes();
    /// # infra.amend(infra.subscription().terms().clone())?;
    /// # let second = licensing::issue(&infra, &serial, &key, now)?.to_bytes();
    /// use licensing::{LicenseStore, StoreError};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path())?;
    /// store.install(&second, &validator, &serial, now, false)?; // revision 2
    /// // An older revision is refused, unless forced.
    /// let err = store.install(&first, &validator, &serial, now, false).unwrap_err();
    /// assert!(matches!(err, StoreError::Downgrade { installed: 2, offered: 1 }));
    /// assert!(err.to_string().contains("a downgrade must be forced on purpose"));
    /// let installed = store.install(&first, &validator, &serial, now, true)?;
    /// assert_eq!(installed.license.license().revision, 1);
    /// assert_eq!(installed.replaced, licensing::Replaced::Revision(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn install(
        &self,
        file: &[u8],
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
        force: bool,
    ) -> Result<Installed, StoreError> {
        let _lock = self.lock()?;
        let mut state = self.read_state(serial, now)?.state;
        let at = Self::effective(&state, now);
        let license = validator.validate(file, serial, None, at)?;
        let binary = LicenseFile::parse(file)
            .map_err(ValidationError::from)?
            .to_bytes();
        let current = self.read_optional(ACTIVE)?;
        if let Some(old) = current.as_deref().and_then(|b| LicenseFile::parse(b).ok()) {
            let (old, new) = (old.license(), license.license());
            let same = old.activation_code == new.activation_code
                && old.serial_number == new.serial_number;
            if same && old.revision > new.revision && !force {
                return Err(StoreError::Downgrade {
                    installed: old.revision,
                    offered: new.revision,
                });
            }
        }
        if let Some(bytes) = &current {
            self.replace(BACKUP, bytes)?;
        }
        self.replace(ACTIVE, &binary)?;
        state.licensed = true;
        // A paying customer's install ends the trial, and with it what an
        // alteration of the state took away.
        state.altered = None;
        state.observe(now);
        self.write_state(state, serial)?;
        Ok(Installed {
            license,
            replaced: Replaced::of(current.as_deref()),
        })
    }

    /// Brings the previous license back (validated first) and keeps the
    /// current one as the backup, so a restore can be undone.
    ///
    /// ```
    /// # let (mut infra, serial, key) = licensing::testing::sample_infrastructure();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let now = licensing::Timestamp::now();
    /// # let first = licensing::issue(&infra, &serial, &key, now)?.to_bytes();
    /// # infra.amend(infra.subscription().terms().clone())?;
    /// # let second = licensing::issue(&infra, &serial, &key, now)?.to_bytes();
    /// # let dir = tempfile::tempdir()?;
    /// # let store = licensing::LicenseStore::create(dir.path())?;
    /// store.install(&first, &validator, &serial, now, false)?;
    /// store.install(&second, &validator, &serial, now, false)?;
    /// let restored = store.restore(&validator, &serial, now)?;
    /// assert_eq!(restored.license.license().revision, 1);
    /// assert_eq!(restored.replaced, licensing::Replaced::Revision(2));
    /// // Restoring again undoes the restore.
    /// assert_eq!(store.restore(&validator, &serial, now)?.license.license().revision, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore(
        &self,
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Result<Installed, StoreError> {
        let _lock = self.lock()?;
        let loaded = self.read_state(serial, now)?;
        let mut state = loaded.state;
        let (backup, license) = self.validated_backup(&state, validator, serial, now)?;
        let current = self.read_optional(ACTIVE)?;
        if let Some(bytes) = &current {
            self.replace(BACKUP, bytes)?;
        }
        self.replace(ACTIVE, &backup)?;
        if state.observe(now) || loaded.rewrite {
            self.write_state(state, serial)?;
        }
        Ok(Installed {
            license,
            replaced: Replaced::of(current.as_deref()),
        })
    }

    /// The license [`restore`](Self::restore) would bring back (the one the
    /// last install or restore replaced), validated, without changing
    /// anything: what an administrator sees before choosing to restore.
    /// [`StoreError::NoBackup`] when there is none,
    /// [`StoreError::InvalidBackup`] when it is not valid here.
    ///
    /// ```
    /// # let (mut infra, serial, key) = licensing::testing::sample_infrastructure();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let now = licensing::Timestamp::now();
    /// # let first = licensing::issue(&infra, &serial, &key, now)?.to_bytes();
    /// # infra.amend(infra.subscription().terms().clone())?;
    /// # let second = licensing::issue(&infra, &serial, &key, now)?.to_bytes();
    /// # let dir = tempfile::tempdir()?;
    /// # let store = licensing::LicenseStore::create(dir.path())?;
    /// store.install(&first, &validator, &serial, now, false)?;
    /// assert!(matches!(store.backup(&validator, &serial, now), Err(licensing::StoreError::NoBackup(_))));
    /// store.install(&second, &validator, &serial, now, false)?;
    /// assert_eq!(store.backup(&validator, &serial, now)?.license().revision, 1);
    /// // Nothing changed: revision 2 is still the active license.
    /// let active = store.active(&validator, &serial, now)?.expect("installed")?;
    /// assert_eq!(active.license().revision, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backup(
        &self,
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Result<ValidatedLicense, StoreError> {
        let state = self.read_state(serial, now)?.state;
        let (_, license) = self.validated_backup(&state, validator, serial, now)?;
        Ok(license)
    }

    /// The backup's bytes and the license they hold, validated.
    fn validated_backup(
        &self,
        state: &StoreState,
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Result<(Vec<u8>, ValidatedLicense), StoreError> {
        let backup = self
            .read_optional(BACKUP)?
            .ok_or_else(|| StoreError::NoBackup(self.dir.clone()))?;
        let license = validator
            .validate(&backup, serial, None, Self::effective(state, now))
            .map_err(StoreError::InvalidBackup)?;
        Ok((backup, license))
    }

    /// The active license, validated again (as at start-up); `None` when
    /// none is installed.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// # let dir = tempfile::tempdir()?;
    /// # let store = licensing::LicenseStore::create(dir.path())?;
    /// assert!(store.active(&validator, &serial, now)?.is_none());
    /// store.install(&file.to_bytes(), &validator, &serial, now, false)?;
    /// let active = store.active(&validator, &serial, now)?.expect("a license is installed")?;
    /// assert!(active.has_feature("sap-connector"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn active(
        &self,
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Result<Option<Result<ValidatedLicense, ValidationError>>, StoreError> {
        let state = self.read_state(serial, now)?.state;
        Ok(self
            .read_optional(ACTIVE)?
            .map(|bytes| validator.validate(&bytes, serial, None, Self::effective(&state, now))))
    }
}

#[cfg(test)]
mod tests;
