//! Reading the stable hardware identity of this machine: the components a
//! serial number is derived from, each with where it came from.
//!
//! Only components that survive restarts, IP changes and added virtual
//! interfaces are read: the machine id, DMI identifiers when readable, and
//! the MAC addresses of physical network cards whose address the kernel did
//! not randomize. Never IP addresses, host names, processes or uptime.

use crate::serial_number::{HardwareComponent, NoComponents, SerialNumber};
use std::path::{Path, PathBuf};

/// The environment variable that pins an environment's identity to a
/// value (for containers, clusters and clouds).
///
/// ```
/// assert_eq!(licensing::IDENTITY_VAR, "LICENSING_IDENTITY");
/// ```
pub const IDENTITY_VAR: &str = "LICENSING_IDENTITY";
/// The environment variable that pins an environment's identity to the
/// contents of a file (for example a Kubernetes secret mounted read-only).
///
/// ```
/// assert_eq!(licensing::IDENTITY_FILE_VAR, "LICENSING_IDENTITY_FILE");
/// ```
pub const IDENTITY_FILE_VAR: &str = "LICENSING_IDENTITY_FILE";

/// The environment variable naming the directory the hardware is read
/// below instead of `/` (shaped like `/`, with `etc/` and `sys/`): for a
/// container that mounts the host's `/sys` and `/etc` elsewhere, and for
/// tests over fixture trees.
///
/// ```
/// assert_eq!(licensing::HARDWARE_ROOT_VAR, "LICENSING_HARDWARE_ROOT");
/// ```
pub const HARDWARE_ROOT_VAR: &str = "LICENSING_HARDWARE_ROOT";

/// Where an environment's identity comes from.
///
/// ```
/// use licensing::{IdentitySource, MachineIdentity};
///
/// let source = MachineIdentity::at_root("/host").source();
/// assert_eq!(source, IdentitySource::Hardware("/host".into()));
/// assert_eq!(source.to_string(), "read from the hardware below /host");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentitySource {
    /// The hardware below this root (`/` normally).
    Hardware(PathBuf),
    /// The value of [`IDENTITY_VAR`].
    PinnedValue,
    /// The contents of this file ([`IDENTITY_FILE_VAR`]).
    PinnedFile(PathBuf),
}

impl std::fmt::Display for IdentitySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdentitySource::Hardware(root) if root == Path::new("/") => {
                f.write_str("read from its hardware")
            }
            IdentitySource::Hardware(root) => {
                write!(f, "read from the hardware below {}", root.display())
            }
            IdentitySource::PinnedValue => write!(f, "pinned by {IDENTITY_VAR}"),
            IdentitySource::PinnedFile(path) => {
                write!(f, "pinned by {IDENTITY_FILE_VAR} ({})", path.display())
            }
        }
    }
}

/// The component kind of a pinned identity.
///
/// ```
/// use licensing::{MachineIdentity, PINNED_KIND};
///
/// let readings = MachineIdentity::pinned("acme-production").components()?;
/// assert_eq!(readings[0].component.kind, PINNED_KIND);
/// # Ok::<(), licensing::HardwareError>(())
/// ```
pub const PINNED_KIND: &str = "pinned-identity";

/// A hardware component and where it was read.
///
/// ```
/// use licensing::{HardwareComponent, read_linux};
///
/// # let root = tempfile::tempdir()?;
/// # std::fs::create_dir_all(root.path().join("etc"))?;
/// std::fs::write(root.path().join("etc/machine-id"), "3d1219c7c4c5404aaa1f6d2a48adfda4\n")?;
/// let readings = read_linux(root.path());
/// let machine_id = HardwareComponent::new("machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4");
/// assert_eq!(readings[0].component, machine_id);
/// assert_eq!(readings[0].source, "/etc/machine-id");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentReading {
    /// The kind and value.
    pub component: HardwareComponent,
    /// Where it came from, like `/sys/class/net/eth0/address`.
    pub source: String,
}

/// Why no serial number could be made for this machine.
///
/// ```
/// use licensing::{HardwareError, MachineIdentity};
///
/// let dir = tempfile::tempdir()?;
/// let err = MachineIdentity::pinned_file(dir.path().join("missing")).serial().unwrap_err();
/// assert!(matches!(err, HardwareError::PinnedFile { .. }));
/// assert!(err.to_string().contains("LICENSING_IDENTITY_FILE must name a readable file"));
/// // An empty directory as the root: nothing to read, as in a bare container.
/// let err = MachineIdentity::at_root(dir.path()).serial().unwrap_err();
/// assert!(matches!(err, HardwareError::NothingStable { .. }));
/// assert!(err.to_string().contains("pin the environment's identity: set LICENSING_IDENTITY"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HardwareError {
    /// Nothing stable could be read (a bare container, say).
    #[error(
        "no stable hardware identity could be read on this machine (looked at {looked_at}); in a container or cluster, pin the environment's identity: set {IDENTITY_VAR} to a value unique to this environment, or {IDENTITY_FILE_VAR} to a file holding one (for example a mounted Kubernetes secret)"
    )]
    NothingStable {
        /// What was looked at.
        looked_at: String,
    },
    /// [`MachineIdentity::pinned`] was given a blank value. (A blank
    /// `LICENSING_IDENTITY` counts as unset, and a blank pinned file is
    /// [`PinnedFile`](Self::PinnedFile).)
    #[error(
        "MachineIdentity::pinned was given a blank value: pin a value unique to this environment"
    )]
    PinnedBlank,
    /// The pinned identity file could not be read or is empty.
    #[error(
        "the pinned identity file {path} could not be used ({reason}): {IDENTITY_FILE_VAR} must name a readable file holding the environment's identity"
    )]
    PinnedFile {
        /// The file named.
        path: String,
        /// What went wrong.
        reason: String,
    },
}

/// Where the identity of this environment comes from: the hardware below a
/// root directory (`/` normally; a fixture directory in tests), or a pinned
/// value.
///
/// ```
/// use licensing::MachineIdentity;
///
/// // In production: MachineIdentity::from_env(), which reads the hardware
/// // unless LICENSING_IDENTITY or LICENSING_IDENTITY_FILE pins a value.
/// // A Kubernetes deployment pins its identity with a mounted secret:
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("identity"), "acme-production\n")?;
/// let from_secret = MachineIdentity::pinned_file(dir.path().join("identity")).serial()?;
/// assert_eq!(from_secret, MachineIdentity::pinned("acme-production").serial()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineIdentity {
    root: PathBuf,
    pinned: Option<Pinned>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pinned {
    Value(String),
    File(PathBuf),
}

impl MachineIdentity {
    /// This machine's hardware (below `/`, or below the directory
    /// [`HARDWARE_ROOT_VAR`] names), unless the environment variables
    /// [`IDENTITY_VAR`] or [`IDENTITY_FILE_VAR`] pin an identity.
    ///
    /// ```
    /// use licensing::{IdentitySource, MachineIdentity};
    ///
    /// // A deployment pins the identity outside the process (its unit or pod
    /// // spec sets LICENSING_IDENTITY); here nothing is pinned.
    /// let identity = MachineIdentity::from_env();
    /// # if std::env::var_os("LICENSING_IDENTITY").is_none() && std::env::var_os("LICENSING_IDENTITY_FILE").is_none() {
    /// assert!(matches!(identity.source(), IdentitySource::Hardware(_)));
    /// # }
    /// ```
    pub fn from_env() -> Self {
        let pinned = match (
            std::env::var(IDENTITY_VAR),
            std::env::var_os(IDENTITY_FILE_VAR),
        ) {
            (Ok(v), _) if !v.trim().is_empty() => Some(Pinned::Value(v)),
            (_, Some(p)) if !p.is_empty() => Some(Pinned::File(p.into())),
            _ => None,
        };
        let root = match std::env::var_os(HARDWARE_ROOT_VAR) {
            Some(root) if !root.is_empty() => PathBuf::from(root),
            _ => PathBuf::from("/"),
        };
        Self { root, pinned }
    }

    /// Where this identity comes from, for messages: the hardware below a
    /// root, or a pinned value or file.
    ///
    /// ```
    /// use licensing::{IdentitySource, MachineIdentity};
    ///
    /// let source = MachineIdentity::pinned("acme-production").source();
    /// assert_eq!(source, IdentitySource::PinnedValue);
    /// assert_eq!(source.to_string(), "pinned by LICENSING_IDENTITY");
    /// let source = MachineIdentity::at_root("/").source();
    /// assert_eq!(source.to_string(), "read from its hardware");
    /// ```
    pub fn source(&self) -> IdentitySource {
        match &self.pinned {
            Some(Pinned::Value(_)) => IdentitySource::PinnedValue,
            Some(Pinned::File(path)) => IdentitySource::PinnedFile(path.clone()),
            None => IdentitySource::Hardware(self.root.clone()),
        }
    }

    /// The hardware as seen below `root` (a directory shaped like `/`, with
    /// `etc/` and `sys/`): for tests and for reading a mounted host.
    ///
    /// ```
    /// use licensing::{HardwareComponent, MachineIdentity, SerialNumber};
    ///
    /// # let root = tempfile::tempdir()?;
    /// # std::fs::create_dir_all(root.path().join("etc"))?;
    /// std::fs::write(root.path().join("etc/machine-id"), "3d1219c7c4c5404aaa1f6d2a48adfda4\n")?;
    /// let identity = MachineIdentity::at_root(root.path());
    /// let machine_id = HardwareComponent::new("machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4");
    /// assert_eq!(identity.serial()?, SerialNumber::from_components(&[machine_id])?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn at_root(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            pinned: None,
        }
    }

    /// An identity pinned to `value`, whatever the hardware.
    ///
    /// ```
    /// use licensing::MachineIdentity;
    ///
    /// let serial = MachineIdentity::pinned("acme-production").serial()?;
    /// assert_eq!(MachineIdentity::pinned(" acme-production\n").serial()?, serial);
    /// assert_ne!(MachineIdentity::pinned("acme-qa").serial()?, serial);
    /// # Ok::<(), licensing::HardwareError>(())
    /// ```
    pub fn pinned(value: impl Into<String>) -> Self {
        Self {
            root: PathBuf::from("/"),
            pinned: Some(Pinned::Value(value.into())),
        }
    }

    /// An identity pinned to the contents of `path`.
    ///
    /// ```
    /// use licensing::MachineIdentity;
    ///
    /// # let dir = tempfile::tempdir()?;
    /// let secret = dir.path().join("identity"); // a mounted secret, say
    /// std::fs::write(&secret, "acme-production\n")?;
    /// let serial = MachineIdentity::pinned_file(&secret).serial()?;
    /// assert_eq!(serial, MachineIdentity::pinned("acme-production").serial()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pinned_file(path: impl Into<PathBuf>) -> Self {
        Self {
            root: PathBuf::from("/"),
            pinned: Some(Pinned::File(path.into())),
        }
    }

    /// Whether the identity is pinned rather than read from hardware.
    ///
    /// ```
    /// use licensing::MachineIdentity;
    ///
    /// assert!(MachineIdentity::pinned("acme-production").is_pinned());
    /// assert!(!MachineIdentity::at_root("/").is_pinned());
    /// ```
    pub fn is_pinned(&self) -> bool {
        self.pinned.is_some()
    }

    /// The components the serial number is derived from.
    ///
    /// ```
    /// use licensing::{HardwareComponent, MachineIdentity, PINNED_KIND};
    ///
    /// let readings = MachineIdentity::pinned(" acme-production ").components()?;
    /// assert_eq!(readings.len(), 1);
    /// assert_eq!(readings[0].component, HardwareComponent::new(PINNED_KIND, "acme-production"));
    /// # Ok::<(), licensing::HardwareError>(())
    /// ```
    pub fn components(&self) -> Result<Vec<ComponentReading>, HardwareError> {
        let readings = match &self.pinned {
            Some(Pinned::Value(v)) if v.trim().is_empty() => {
                return Err(HardwareError::PinnedBlank);
            }
            Some(Pinned::Value(v)) => vec![ComponentReading {
                component: HardwareComponent::new(PINNED_KIND, v.trim()),
                source: format!("environment variable {IDENTITY_VAR}"),
            }],
            Some(Pinned::File(path)) => {
                let value =
                    std::fs::read_to_string(path).map_err(|e| HardwareError::PinnedFile {
                        path: path.display().to_string(),
                        reason: e.to_string(),
                    })?;
                if value.trim().is_empty() {
                    return Err(HardwareError::PinnedFile {
                        path: path.display().to_string(),
                        reason: "it is empty".into(),
                    });
                }
                vec![ComponentReading {
                    component: HardwareComponent::new(PINNED_KIND, value.trim()),
                    source: path.display().to_string(),
                }]
            }
            None => read_platform(&self.root),
        };
        if readings.is_empty() {
            return Err(HardwareError::NothingStable {
                looked_at: LOOKED_AT.to_owned(),
            });
        }
        Ok(readings)
    }

    /// This environment's serial number (algorithm version 1, no
    /// tolerance record; see [`FingerprintRecord`](crate::FingerprintRecord)
    /// for a serial that survives hardware changes).
    ///
    /// ```
    /// use licensing::{HardwareComponent, MachineIdentity, PINNED_KIND, SerialNumber};
    ///
    /// let serial = MachineIdentity::pinned("acme-production").serial()?;
    /// let pinned = HardwareComponent::new(PINNED_KIND, "acme-production");
    /// assert_eq!(serial, SerialNumber::from_components(&[pinned])?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serial(&self) -> Result<SerialNumber, HardwareError> {
        let readings = self.components()?;
        serial_of(&readings)
    }
}

pub(crate) fn serial_of(readings: &[ComponentReading]) -> Result<SerialNumber, HardwareError> {
    let components: Vec<HardwareComponent> = readings.iter().map(|r| r.component.clone()).collect();
    SerialNumber::from_components(&components).map_err(|NoComponents| {
        HardwareError::NothingStable {
            looked_at: LOOKED_AT.to_owned(),
        }
    })
}

#[cfg(target_os = "linux")]
const LOOKED_AT: &str =
    "/etc/machine-id, /sys/class/dmi/id and the physical network cards in /sys/class/net";
#[cfg(not(target_os = "linux"))]
const LOOKED_AT: &str =
    "the SMBIOS product UUID and serial numbers and the physical network adapters";

impl SerialNumber {
    /// This environment's serial number: from the pinned identity when
    /// [`IDENTITY_VAR`] or [`IDENTITY_FILE_VAR`] is set, else from this
    /// machine's hardware. See [`MachineIdentity`].
    ///
    /// ```
    /// use licensing::{MachineIdentity, SerialNumber};
    ///
    /// // The same as reading MachineIdentity::from_env(); in a bare container
    /// // with nothing pinned, an error that says how to pin an identity.
    /// assert_eq!(SerialNumber::for_this_machine(), MachineIdentity::from_env().serial());
    /// ```
    pub fn for_this_machine() -> Result<SerialNumber, HardwareError> {
        MachineIdentity::from_env().serial()
    }
}

#[cfg(target_os = "linux")]
fn read_platform(root: &Path) -> Vec<ComponentReading> {
    read_linux(root)
}

#[cfg(any(windows, target_os = "macos"))]
fn read_platform(_root: &Path) -> Vec<ComponentReading> {
    crate::platform_identity::read()
}

/// Other systems (the BSDs, ...): no reader yet; pin an identity there.
#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
fn read_platform(_root: &Path) -> Vec<ComponentReading> {
    Vec::new()
}

/// Reads the Linux components below `root`: `etc/machine-id` (or
/// `var/lib/dbus/machine-id`), `sys/class/dmi/id/{product_uuid,
/// board_serial, product_serial}` when readable and not a placeholder, and
/// the `address` of each network card in `sys/class/net` that has a
/// `device` (so is not virtual), is not a bridge, is Ethernet-like (`type`
/// 1) and whose `addr_assign_type` is 0 (a permanent address).
///
/// ```
/// use licensing::read_linux;
///
/// # let root = tempfile::tempdir()?;
/// # let write = |path: &str, value: &str| -> std::io::Result<()> {
/// #     let path = root.path().join(path);
/// #     std::fs::create_dir_all(path.parent().unwrap())?;
/// #     std::fs::write(path, value)
/// # };
/// write("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n")?;
/// write("sys/class/dmi/id/board_serial", "To be filled by O.E.M.\n")?; // a placeholder
/// for nic in ["eth0", "docker0"] {
///     write(&format!("sys/class/net/{nic}/address"), "02:fc:00:00:00:01\n")?;
///     write(&format!("sys/class/net/{nic}/type"), "1\n")?;
/// }
/// std::fs::create_dir_all(root.path().join("sys/class/net/eth0/device"))?; // eth0 is physical
/// let sources: Vec<String> = read_linux(root.path()).into_iter().map(|r| r.source).collect();
/// assert_eq!(sources, ["/etc/machine-id", "/sys/class/net/eth0/address"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_linux(root: &Path) -> Vec<ComponentReading> {
    let mut out = Vec::new();
    for path in ["etc/machine-id", "var/lib/dbus/machine-id"] {
        if let Some(v) = read_value(root, path) {
            out.push(reading("machine-id", v, path));
            break;
        }
    }
    for (file, kind) in [
        ("product_uuid", "dmi-product-uuid"),
        ("board_serial", "dmi-board-serial"),
        ("product_serial", "dmi-product-serial"),
    ] {
        let path = format!("sys/class/dmi/id/{file}");
        if let Some(v) = read_value(root, &path).filter(|v| !is_placeholder(v)) {
            out.push(reading(kind, v, &path));
        }
    }
    let net = root.join("sys/class/net");
    let mut names: Vec<String> = std::fs::read_dir(&net)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for name in names {
        let dir = net.join(&name);
        let permanent = read_value(&dir, "addr_assign_type").is_none_or(|t| t == "0");
        let physical = dir.join("device").exists() && !dir.join("bridge").exists();
        let ethernet = read_value(&dir, "type").is_some_and(|t| t == "1");
        if !(permanent && physical && ethernet) {
            continue;
        }
        if let Some(mac) = read_value(&dir, "address").filter(|m| !is_zero_mac(m)) {
            let path = format!("sys/class/net/{name}/address");
            out.push(reading("mac", mac, &path));
        }
    }
    out
}

fn reading(kind: &str, value: String, relative: &str) -> ComponentReading {
    ComponentReading {
        component: HardwareComponent::new(kind, value),
        source: format!("/{relative}"),
    }
}

fn read_value(root: &Path, relative: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join(relative)).ok()?;
    let value = text.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

pub(crate) fn is_zero_mac(mac: &str) -> bool {
    mac.chars().all(|c| c == '0' || c == ':')
}

/// Values firmware writes when the vendor set none: shared by many
/// machines, so useless as identity.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    let hex: String = v.chars().filter(char::is_ascii_hexdigit).collect();
    let uniform = hex.len() >= 8 && hex.chars().all(|c| c == '0' || c == 'f');
    uniform
        || v == "03000200-0400-0500-0006-000700080009"
        || [
            "none",
            "default string",
            "to be filled by o.e.m.",
            "not specified",
            "not applicable",
            "system serial number",
            "0123456789",
            "n/a",
        ]
        .contains(&v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A directory shaped like `/` with a machine id, DMI and network cards.
    pub(crate) fn fixture() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let w = |p: &str, v: &str| {
            let path = root.path().join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, format!("{v}\n")).unwrap();
        };
        w("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4");
        w(
            "sys/class/dmi/id/product_uuid",
            "4C4C4544-0042-3510-8052-B4C04F4A4E32",
        );
        w("sys/class/dmi/id/board_serial", "To be filled by O.E.M.");
        nic(root.path(), "eth0", "02:fc:00:00:00:01", "0", true);
        nic(root.path(), "eth1", "02:fc:00:00:00:02", "0", true);
        nic(root.path(), "lo", "00:00:00:00:00:00", "0", false);
        root
    }

    pub(crate) fn nic(root: &Path, name: &str, mac: &str, assign: &str, device: bool) {
        let dir = root.join("sys/class/net").join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("address"), format!("{mac}\n")).unwrap();
        fs::write(dir.join("addr_assign_type"), assign).unwrap();
        let kind = if name == "lo" { "772" } else { "1" };
        fs::write(dir.join("type"), kind).unwrap();
        if device {
            fs::create_dir_all(dir.join("device")).unwrap();
        }
    }

    fn kinds(readings: &[ComponentReading]) -> Vec<(String, String)> {
        readings
            .iter()
            .map(|r| (r.component.kind.clone(), r.source.clone()))
            .collect()
    }

    #[test]
    fn reads_stable_components_with_their_sources() {
        let root = fixture();
        let readings = read_linux(root.path());
        assert_eq!(
            kinds(&readings),
            [
                ("machine-id".into(), "/etc/machine-id".into()),
                (
                    "dmi-product-uuid".into(),
                    "/sys/class/dmi/id/product_uuid".into()
                ),
                ("mac".into(), "/sys/class/net/eth0/address".into()),
                ("mac".into(), "/sys/class/net/eth1/address".into()),
            ]
        );
    }

    #[test]
    fn virtual_bridge_and_randomized_interfaces_do_not_count() {
        let root = fixture();
        let before = MachineIdentity::at_root(root.path()).serial().unwrap();
        nic(root.path(), "docker0", "02:42:ac:11:00:01", "3", false);
        nic(root.path(), "veth1a2b", "9a:1b:2c:3d:4e:5f", "1", false);
        nic(root.path(), "wlan0", "7e:11:22:33:44:55", "1", true);
        nic(root.path(), "br0", "02:fc:00:00:00:09", "0", true);
        fs::create_dir_all(root.path().join("sys/class/net/br0/bridge")).unwrap();
        assert_eq!(
            MachineIdentity::at_root(root.path()).serial().unwrap(),
            before
        );
    }

    #[test]
    fn interface_order_and_ip_files_do_not_matter() {
        let a = fixture();
        let b = tempfile::tempdir().unwrap();
        // Same machine, cards created in the other order, plus IP state.
        nic(b.path(), "eth1", "02:fc:00:00:00:02", "0", true);
        nic(b.path(), "eth0", "02:FC:00:00:00:01", "0", true);
        fs::write(b.path().join("sys/class/net/eth0/operstate"), "up").unwrap();
        fs::create_dir_all(b.path().join("etc")).unwrap();
        fs::copy(
            a.path().join("etc/machine-id"),
            b.path().join("etc/machine-id"),
        )
        .unwrap();
        fs::create_dir_all(b.path().join("sys/class/dmi/id")).unwrap();
        fs::write(
            b.path().join("sys/class/dmi/id/product_uuid"),
            "4c4c4544-0042-3510-8052-b4c04f4a4e32",
        )
        .unwrap();
        assert_eq!(
            MachineIdentity::at_root(a.path()).serial().unwrap(),
            MachineIdentity::at_root(b.path()).serial().unwrap()
        );
    }

    #[test]
    fn a_bare_container_gets_advice_to_pin() {
        let empty = tempfile::tempdir().unwrap();
        let err = MachineIdentity::at_root(empty.path()).serial().unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(IDENTITY_VAR) && msg.contains(IDENTITY_FILE_VAR),
            "{msg}"
        );
    }

    #[test]
    fn a_pinned_identity_ignores_the_hardware() {
        let a = MachineIdentity::pinned("acme-production").serial().unwrap();
        let b = MachineIdentity::pinned("  acme-production\n")
            .serial()
            .unwrap();
        assert_eq!(a, b);
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("identity");
        fs::write(&secret, "acme-production\n").unwrap();
        assert_eq!(MachineIdentity::pinned_file(&secret).serial().unwrap(), a);
        assert_ne!(MachineIdentity::pinned("acme-qa").serial().unwrap(), a);
        let missing = MachineIdentity::pinned_file(dir.path().join("nope"));
        assert!(matches!(
            missing.serial(),
            Err(HardwareError::PinnedFile { .. })
        ));
        let blank = MachineIdentity::pinned(" \n").serial().unwrap_err();
        assert_eq!(blank, HardwareError::PinnedBlank);
        assert!(blank.to_string().contains("blank"), "{blank}");
    }

    #[test]
    fn placeholders_are_not_identity() {
        for p in [
            "00000000-0000-0000-0000-000000000000",
            "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
            "Default string",
            "Not Specified",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(!is_placeholder("4C4C4544-0042-3510-8052-B4C04F4A4E32"));
    }
}
