//! The serial number: the identity of one runtime environment, derived from
//! the hardware of the server that is its controller.

use crate::code::{SERIAL_NUMBER, Symbols};
use sha2::{Digest, Sha256};

/// The identity of a runtime environment, like
/// `KSM-0R1-8NV-JAQ-X4H-X45-5VZ-G20`.
///
/// Derived from the hardware components of the environment's controller
/// (see [`SerialNumber::from_components`]); same alphabet, parsing and check
/// characters as an [`ActivationCode`](crate::ActivationCode), with dashes.
///
/// ```
/// use licensing::{HardwareComponent, SerialNumber};
///
/// let serial = SerialNumber::from_components(&[
///     HardwareComponent::new("mac", "02:fc:00:00:00:01"),
///     HardwareComponent::new("machine-id", "4c4c4544004c"),
/// ])?;
/// assert_eq!(serial.to_string().parse::<SerialNumber>()?, serial);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SerialNumber(Symbols);

/// One piece of hardware identity: a kind (`mac`, `machine-id`,
/// `board-serial`, ...) and its value.
///
/// ```
/// use licensing::{HardwareComponent, SerialNumber};
///
/// let nic = HardwareComponent::new("mac", "02:fc:00:00:00:01");
/// let serial = SerialNumber::from_components(&[nic.clone()])?;
/// let renamed = HardwareComponent { kind: "wifi-mac".into(), ..nic };
/// // The kind is part of the identity, not just the value.
/// assert_ne!(SerialNumber::from_components(&[renamed])?, serial);
/// # Ok::<(), licensing::NoComponents>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardwareComponent {
    /// What the value is, like `mac` or `machine-id`.
    pub kind: String,
    /// The value as read from the machine.
    pub value: String,
}

impl HardwareComponent {
    /// A component of `kind` with `value`.
    ///
    /// ```
    /// let mac = licensing::HardwareComponent::new("mac", "02:FC:00:00:00:01");
    /// assert_eq!(mac.kind, "mac");
    /// ```
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            value: value.into(),
        }
    }

    /// The component's hash under algorithm version 1: SHA-256 over a
    /// domain string, the trimmed lower-case kind, a zero byte and the
    /// trimmed lower-case value. `None` when the value is empty.
    ///
    /// ```
    /// use licensing::HardwareComponent;
    ///
    /// let hash = HardwareComponent::new("mac", "02:FC:00:00:00:01").hash_v1();
    /// assert!(hash.is_some());
    /// assert_eq!(HardwareComponent::new(" MAC", "02:fc:00:00:00:01\n").hash_v1(), hash);
    /// assert_eq!(HardwareComponent::new("mac", "  ").hash_v1(), None);
    /// ```
    pub fn hash_v1(&self) -> Option<[u8; 32]> {
        let kind = self.kind.trim().to_lowercase();
        let value = self.value.trim().to_lowercase();
        if value.is_empty() {
            return None;
        }
        let mut h = Sha256::new();
        h.update(COMPONENT_DOMAIN_V1);
        h.update(kind.as_bytes());
        h.update([0]);
        h.update(value.as_bytes());
        Some(h.finalize().into())
    }
}

const COMPONENT_DOMAIN_V1: &[u8] = b"licensing/serial-component/v1\0";
const SERIAL_DOMAIN_V1: &[u8] = b"licensing/serial-number/v1\0";

/// No hardware component had a value, so no serial number can be derived.
///
/// ```
/// use licensing::{HardwareComponent, NoComponents, SerialNumber};
///
/// let mac = |value| [HardwareComponent::new("mac", value)];
/// assert!(SerialNumber::from_components(&mac("02:fc:00:00:00:01")).is_ok());
/// let err = SerialNumber::from_components(&mac(" ")).unwrap_err();
/// assert_eq!(err, NoComponents);
/// assert!(err.to_string().contains("a serial number needs at least one"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no hardware component with a value was given: a serial number needs at least one (for example the machine id or a network card's MAC address)"
)]
pub struct NoComponents;

impl SerialNumber {
    /// Derives a serial number from hardware components (algorithm version
    /// 1). Order, case and surrounding whitespace do not matter, nor do
    /// duplicates or empty values.
    ///
    /// The serial is SHA-256 over a domain string, the number of distinct
    /// component hashes (4 bytes, big-endian) and the sorted hashes (see
    /// [`HardwareComponent::hash_v1`]); its first 110 bits become the code.
    ///
    /// ```
    /// use licensing::{HardwareComponent, SerialNumber};
    ///
    /// let serial = SerialNumber::from_components(&[
    ///     HardwareComponent::new("mac", "02:fc:00:00:00:01"),
    ///     HardwareComponent::new("machine-id", "4c4c4544004c"),
    ///     HardwareComponent::new("board-serial", "PF2ABC"),
    /// ])?;
    /// assert_eq!(serial.to_string(), "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T"); // stable forever
    /// let shuffled = SerialNumber::from_components(&[
    ///     HardwareComponent::new("BOARD-SERIAL", " pf2abc "),
    ///     HardwareComponent::new("machine-id", "4C4C4544004C"),
    ///     HardwareComponent::new("mac", "02:fc:00:00:00:01"),
    /// ])?;
    /// assert_eq!(shuffled, serial);
    /// # Ok::<(), licensing::NoComponents>(())
    /// ```
    pub fn from_components(components: &[HardwareComponent]) -> Result<Self, NoComponents> {
        let mut hashes: Vec<[u8; 32]> = components
            .iter()
            .filter_map(HardwareComponent::hash_v1)
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        if hashes.is_empty() {
            return Err(NoComponents);
        }
        let mut h = Sha256::new();
        h.update(SERIAL_DOMAIN_V1);
        h.update((hashes.len() as u32).to_be_bytes());
        for c in &hashes {
            h.update(c);
        }
        let digest: [u8; 32] = h.finalize().into();
        Ok(Self(Symbols::from_value_bits(&SERIAL_NUMBER, &digest)))
    }
}

crate::code::code_type!(SerialNumber, crate::code::SERIAL_NUMBER);

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> Vec<HardwareComponent> {
        vec![
            HardwareComponent::new("mac", "02:fc:00:00:00:01"),
            HardwareComponent::new("machine-id", "4c4c4544004c"),
            HardwareComponent::new("board-serial", "PF2ABC"),
        ]
    }

    #[test]
    fn order_case_whitespace_and_duplicates_do_not_matter() {
        let a = SerialNumber::from_components(&parts()).unwrap();
        let mut shuffled = parts();
        shuffled.reverse();
        shuffled[0].value = format!("  {}  ", shuffled[0].value.to_uppercase());
        shuffled.push(parts()[0].clone());
        shuffled.push(HardwareComponent::new("disk", "   "));
        assert_eq!(SerialNumber::from_components(&shuffled).unwrap(), a);
    }

    #[test]
    fn any_changed_component_changes_the_serial() {
        let a = SerialNumber::from_components(&parts()).unwrap();
        for i in 0..parts().len() {
            let mut changed = parts();
            changed[i].value.push('0');
            assert_ne!(SerialNumber::from_components(&changed).unwrap(), a);
        }
        // The kind is part of the identity, not just the value.
        let mut renamed = parts();
        renamed[0].kind = "wifi-mac".into();
        assert_ne!(SerialNumber::from_components(&renamed).unwrap(), a);
    }

    #[test]
    fn the_derivation_is_stable() {
        // A changed derivation would silently invalidate every license
        // issued before it: this value must never change for version 1.
        let serial = SerialNumber::from_components(&parts()).unwrap();
        assert_eq!(
            serial.to_string(),
            include_str!("../tests/vectors/serial-v1.txt").trim()
        );
    }

    #[test]
    fn no_components_is_an_error() {
        assert_eq!(SerialNumber::from_components(&[]), Err(NoComponents));
        assert_eq!(
            SerialNumber::from_components(&[HardwareComponent::new("mac", " ")]),
            Err(NoComponents)
        );
    }

    #[test]
    fn an_activation_code_is_not_a_serial_number() {
        let code = crate::ActivationCode::generate().unwrap();
        let err = SerialNumber::parse(&code.to_string()).unwrap_err();
        assert!(
            err.to_string().contains("this is an activation code"),
            "{err}"
        );
    }
}
