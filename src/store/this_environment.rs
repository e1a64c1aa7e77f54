//! This environment's serial number as its store keeps it: the identity
//! read (pinned, or the hardware), reconciled with the fingerprint record
//! in the store, the record saved.

use super::{FINGERPRINT, LicenseStore, StoreError};
use crate::fingerprint::Fingerprint;
use crate::fingerprint_record::{FingerprintRecord, RecordError};
use crate::hardware::MachineIdentity;
use crate::serial_number::SerialNumber;
use std::sync::Arc;

impl LicenseStore {
    /// Reads this environment's identity from `identity` instead of what
    /// the environment variables say ([`MachineIdentity::from_env`]): a
    /// mounted host, or a fixture tree in tests.
    ///
    /// ```
    /// use licensing::{LicenseStore, MachineIdentity};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path())?
    ///     .with_identity(MachineIdentity::pinned("acme-production"));
    /// assert_eq!(store.serial_number()?, MachineIdentity::pinned("acme-production").serial()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_identity(mut self, identity: MachineIdentity) -> Self {
        self.identity = Some(identity);
        self.fingerprint = Arc::default();
        self
    }

    /// This environment's serial number and how it came about, reconciled
    /// with the fingerprint record the store keeps ([`FINGERPRINT`]):
    /// while strictly more than half of the recorded hardware components
    /// are still there, the serial stays, so one replaced network card
    /// does not stop the license. The record is written when it changed.
    /// The hardware is read once per store handle; a pinned identity at
    /// every call. A damaged record is replaced by a new one (the serial
    /// is derived afresh, as on a first start).
    ///
    /// ```
    /// use licensing::{LicenseStore, MachineIdentity, SerialChange};
    ///
    /// # let root = tempfile::tempdir()?;
    /// # let write = |path: &str, value: &str| -> std::io::Result<()> {
    /// #     let path = root.path().join(path);
    /// #     std::fs::create_dir_all(path.parent().unwrap())?;
    /// #     std::fs::write(path, value)
    /// # };
    /// write("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4")?;
    /// write("sys/class/dmi/id/product_uuid", "4C4C4544-0042-3510-8052-B4C04F4A4E32")?;
    /// write("sys/class/dmi/id/board_serial", "PF2ABC")?;
    /// let dir = tempfile::tempdir()?;
    /// let open = || -> Result<LicenseStore, licensing::StoreError> {
    ///     Ok(LicenseStore::create(dir.path())?.with_identity(MachineIdentity::at_root(root.path())))
    /// };
    /// let first = open()?.fingerprint()?;
    /// assert_eq!(first.change, SerialChange::First);
    /// write("sys/class/dmi/id/board_serial", "PF2XYZ")?; // the board was replaced
    /// let later = open()?.fingerprint()?; // the next start
    /// assert_eq!(later.serial_number, first.serial_number);
    /// assert_eq!(later.change, SerialChange::Tolerated { changed: vec!["dmi-board-serial".into()] });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fingerprint(&self) -> Result<Fingerprint, StoreError> {
        let identity = self
            .identity
            .clone()
            .unwrap_or_else(MachineIdentity::from_env);
        let pinned = identity.is_pinned();
        if !pinned && let Some(fingerprint) = self.fingerprint.get() {
            return Ok(fingerprint.clone());
        }
        let _lock = self.lock()?;
        let path = self.path(FINGERPRINT);
        let record = match FingerprintRecord::load(&path) {
            Ok(record) => record,
            Err(RecordError::Damaged { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        let fingerprint = identity.fingerprint(record.as_ref())?;
        fingerprint.record.save(&path)?;
        if !pinned {
            let _ = self.fingerprint.set(fingerprint.clone());
        }
        Ok(fingerprint)
    }

    /// This environment's serial number: [`fingerprint`](Self::fingerprint)'s.
    ///
    /// ```
    /// use licensing::{LicenseStore, MachineIdentity};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = LicenseStore::create(dir.path())?.with_identity(MachineIdentity::pinned("acme-qa"));
    /// assert_eq!(store.serial_number()?, store.fingerprint()?.serial_number);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serial_number(&self) -> Result<SerialNumber, StoreError> {
        self.fingerprint().map(|f| f.serial_number)
    }

    /// The fingerprint record as the store has it, read only (no hardware
    /// is read, nothing is written); `None` when there is none or it is
    /// damaged.
    pub(crate) fn recorded_fingerprint(&self) -> Option<FingerprintRecord> {
        FingerprintRecord::load(&self.path(FINGERPRINT))
            .ok()
            .flatten()
    }
}
