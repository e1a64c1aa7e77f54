//! This machine's serial number for a long-running runtime without a
//! store: the hardware is read once, a pinned identity at every call.

use crate::hardware::{HardwareError, MachineIdentity};
use crate::serial_number::SerialNumber;
use std::sync::OnceLock;

/// This machine's serial number as a runtime asks for it over and over
/// (a validator given no serial, say): reading the hardware costs about
/// 0.2 ms, so it is read once; a pinned identity ([`IDENTITY_VAR`],
/// [`IDENTITY_FILE_VAR`]) is cheap and is read at every call, so a change
/// of it is seen at once. A failure is not remembered: the next call tries
/// again (after the operator pins an identity, say).
///
/// This is the serial without a fingerprint record: to keep the serial
/// through a minority of hardware changes, ask the license store
/// ([`LicenseStore::serial_number`](crate::LicenseStore::serial_number)),
/// which keeps the record.
///
/// [`IDENTITY_VAR`]: crate::IDENTITY_VAR
/// [`IDENTITY_FILE_VAR`]: crate::IDENTITY_FILE_VAR
///
/// ```
/// use licensing::{MachineIdentity, ThisMachine};
///
/// # let root = tempfile::tempdir()?;
/// # std::fs::create_dir_all(root.path().join("etc"))?;
/// let machine_id = root.path().join("etc/machine-id");
/// std::fs::write(&machine_id, "3d1219c7c4c5404aaa1f6d2a48adfda4\n")?;
/// let this_machine = ThisMachine::reading(MachineIdentity::at_root(root.path()));
/// let serial = this_machine.serial()?;
/// std::fs::write(&machine_id, "0000000000000000000000000000000f\n")?;
/// assert_eq!(this_machine.serial()?, serial, "the hardware is read once");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct ThisMachine {
    /// `None`: [`MachineIdentity::from_env`] at every call.
    identity: Option<MachineIdentity>,
    hardware: OnceLock<SerialNumber>,
}

impl ThisMachine {
    /// The identity the environment variables say
    /// ([`MachineIdentity::from_env`], looked at on every call).
    ///
    /// ```
    /// let this_machine = licensing::ThisMachine::new();
    /// // Ok on a machine with stable hardware or a pinned identity; in a
    /// // bare container, an error that says how to pin one.
    /// let _ = this_machine.serial();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Always this identity (a fixture tree in tests, a mounted host).
    ///
    /// ```
    /// use licensing::{MachineIdentity, ThisMachine};
    ///
    /// let pinned = ThisMachine::reading(MachineIdentity::pinned("acme-production"));
    /// assert_eq!(pinned.serial()?, MachineIdentity::pinned("acme-production").serial()?);
    /// # Ok::<(), licensing::HardwareError>(())
    /// ```
    pub fn reading(identity: MachineIdentity) -> Self {
        Self {
            identity: Some(identity),
            hardware: OnceLock::new(),
        }
    }

    /// The serial number (see the type's documentation for when the
    /// hardware is read).
    ///
    /// ```
    /// use licensing::{HardwareError, MachineIdentity, ThisMachine};
    ///
    /// let dir = tempfile::tempdir()?; // empty: nothing stable to read
    /// let bare = ThisMachine::reading(MachineIdentity::at_root(dir.path()));
    /// assert!(matches!(bare.serial(), Err(HardwareError::NothingStable { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serial(&self) -> Result<SerialNumber, HardwareError> {
        let from_env;
        let identity = match &self.identity {
            Some(identity) => identity,
            None => {
                from_env = MachineIdentity::from_env();
                &from_env
            }
        };
        if identity.is_pinned() {
            return identity.serial();
        }
        if let Some(serial) = self.hardware.get() {
            return Ok(*serial);
        }
        let serial = identity.serial()?;
        Ok(*self.hardware.get_or_init(|| serial))
    }
}
