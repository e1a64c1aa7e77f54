//! This machine's components on Windows and macOS: the system's product
//! UUID, the board's and the product's serial numbers, and the MAC
//! addresses of physical network adapters, read through sysinfo's native
//! readers (SMBIOS on Windows, IOKit on macOS): no process is spawned.
//!
//! The rules (which kinds, which values are placeholders, which adapters
//! are virtual, which addresses are not a card's own) are data and one pure
//! function, [`components`], so that the tests check them on every
//! platform; only the gathering in [`read`] is per platform, and small.
//! The kinds are those of Linux's DMI reader: SMBIOS is the same table, so
//! a machine that boots both systems shows the same product UUID and
//! serials.

// The rules are used by `read` on Windows and macOS, and by the tests
// everywhere.
#![cfg_attr(not(any(windows, target_os = "macos")), allow(dead_code))]

use crate::HardwareComponent;
use crate::hardware::{ComponentReading, is_placeholder, is_zero_mac};

/// What one platform reads and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Platform {
    /// Where the product UUID, the board serial and the product serial are
    /// read from, in words (for `serial --explain`).
    pub sources: [&'static str; 3],
    /// Adapters whose name contains one of these (lower-cased) are virtual.
    pub virtual_names: &'static [&'static str],
    /// When set, only adapters whose name starts with one of these count.
    pub physical_prefixes: &'static [&'static str],
}

/// Windows: SMBIOS through the firmware table API; adapters by name.
pub(crate) const WINDOWS: Platform = Platform {
    sources: [
        "SMBIOS system UUID",
        "SMBIOS baseboard serial number",
        "SMBIOS system serial number",
    ],
    virtual_names: &[
        "virtual",
        "vethernet",
        "hyper-v",
        "vmware",
        "virtualbox",
        "loopback",
        "pseudo",
        "bluetooth",
        "tap-",
        "tun",
        "wireguard",
        "vpn",
        "teredo",
        "isatap",
        "6to4",
        "npcap",
        "docker",
        "wsl",
    ],
    physical_prefixes: &[],
};

/// macOS: the IOPlatformExpertDevice through IOKit; only `en` interfaces
/// (built-in Ethernet and Wi-Fi) are cards, not `bridge`, `utun`, `awdl`,
/// `llw`, `vmenet`, `anpi` and the like.
pub(crate) const MACOS: Platform = Platform {
    sources: [
        "IOPlatformExpertDevice IOPlatformUUID",
        "IOPlatformExpertDevice board serial",
        "IOPlatformExpertDevice IOPlatformSerialNumber",
    ],
    virtual_names: &[],
    physical_prefixes: &["en"],
};

/// What a platform's readers return, before the rules.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Raw {
    pub product_uuid: Option<String>,
    pub board_serial: Option<String>,
    pub product_serial: Option<String>,
    /// Each network adapter's name and MAC address (`aa:bb:cc:dd:ee:ff`).
    pub adapters: Vec<(String, String)>,
}

/// The components `raw` gives under `platform`'s rules: the identifiers
/// that are not placeholders, and the MACs of the adapters that are
/// physical with a universally administered unicast address, sorted by
/// adapter name.
pub(crate) fn components(platform: &Platform, raw: Raw) -> Vec<ComponentReading> {
    let mut out = Vec::new();
    let ids = [raw.product_uuid, raw.board_serial, raw.product_serial];
    let kinds = ["dmi-product-uuid", "dmi-board-serial", "dmi-product-serial"];
    for ((value, kind), source) in ids.into_iter().zip(kinds).zip(platform.sources) {
        if let Some(value) = value.map(|v| v.trim().to_owned())
            && !value.is_empty()
            && !is_placeholder(&value)
        {
            out.push(ComponentReading {
                component: HardwareComponent::new(kind, value),
                source: source.to_owned(),
            });
        }
    }
    let mut adapters = raw.adapters;
    adapters.sort();
    for (name, mac) in adapters {
        let lower = name.to_lowercase();
        let is_virtual = platform.virtual_names.iter().any(|v| lower.contains(v));
        let is_card = platform.physical_prefixes.is_empty()
            || platform
                .physical_prefixes
                .iter()
                .any(|p| lower.starts_with(p));
        if is_virtual || !is_card || !is_a_cards_own(&mac) {
            continue;
        }
        out.push(ComponentReading {
            component: HardwareComponent::new("mac", mac.to_lowercase()),
            source: format!("network adapter {name}"),
        });
    }
    out
}

/// Whether `mac` is a card's own address: not zero, not multicast, and
/// universally administered (a randomized or virtual address sets the
/// locally administered bit).
fn is_a_cards_own(mac: &str) -> bool {
    let first = mac
        .split([':', '-'])
        .next()
        .and_then(|o| u8::from_str_radix(o, 16).ok());
    match first {
        Some(octet) => !is_zero_mac(mac) && octet & 0b11 == 0,
        None => false,
    }
}

/// This machine's components, through sysinfo.
#[cfg(any(windows, target_os = "macos"))]
pub(crate) fn read() -> Vec<ComponentReading> {
    let networks = sysinfo::Networks::new_with_refreshed_list();
    let raw = Raw {
        product_uuid: sysinfo::Product::uuid(),
        board_serial: sysinfo::Motherboard::new().and_then(|m| m.serial_number()),
        product_serial: sysinfo::Product::serial_number(),
        adapters: networks
            .iter()
            .map(|(name, data)| (name.clone(), data.mac_address().to_string()))
            .collect(),
    };
    components(if cfg!(windows) { &WINDOWS } else { &MACOS }, raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_sources(readings: &[ComponentReading]) -> Vec<(String, String)> {
        readings
            .iter()
            .map(|r| (r.component.kind.clone(), r.source.clone()))
            .collect()
    }

    #[test]
    fn windows_keeps_the_smbios_ids_and_physical_cards_only() {
        let raw = Raw {
            product_uuid: Some("4C4C4544-0042-3510-8052-B4C04F4A4E32".into()),
            board_serial: Some("To be filled by O.E.M.".into()),
            product_serial: Some("CZC1234XYZ".into()),
            adapters: vec![
                ("Ethernet".into(), "3C:52:82:11:22:33".into()),
                (
                    "vEthernet (Default Switch)".into(),
                    "00:15:5D:01:02:03".into(),
                ),
                (
                    "VirtualBox Host-Only Network".into(),
                    "0A:00:27:00:00:0C".into(),
                ),
                (
                    "Bluetooth Network Connection".into(),
                    "3C:52:82:11:22:34".into(),
                ),
                ("Wi-Fi".into(), "DA:A1:19:01:02:03".into()), // randomized
                (
                    "Loopback Pseudo-Interface 1".into(),
                    "00:00:00:00:00:00".into(),
                ),
            ],
        };
        let readings = components(&WINDOWS, raw);
        assert_eq!(
            kinds_and_sources(&readings),
            [
                ("dmi-product-uuid".into(), "SMBIOS system UUID".into()),
                (
                    "dmi-product-serial".into(),
                    "SMBIOS system serial number".into()
                ),
                ("mac".into(), "network adapter Ethernet".into()),
            ]
        );
    }

    #[test]
    fn macos_counts_en_interfaces_only() {
        let raw = Raw {
            product_uuid: Some("564D7A2E-1B3C-4D5E-8F90-A1B2C3D4E5F6".into()),
            board_serial: None,
            product_serial: Some("C02XK0AAJGH5".into()),
            adapters: vec![
                ("en0".into(), "a4:83:e7:01:02:03".into()),
                ("bridge0".into(), "a4:83:e7:01:02:04".into()),
                ("awdl0".into(), "a4:83:e7:01:02:05".into()),
                ("utun0".into(), "00:00:00:00:00:00".into()),
                ("en5".into(), "ae:de:48:00:11:22".into()), // locally administered
            ],
        };
        let readings = components(&MACOS, raw);
        let macs: Vec<_> = readings
            .iter()
            .filter(|r| r.component.kind == "mac")
            .map(|r| r.source.as_str())
            .collect();
        assert_eq!(macs, ["network adapter en0"]);
        assert_eq!(readings.len(), 3);
    }

    /// The same SMBIOS values give the same components as Linux's DMI
    /// reader: a machine keeps its serial across the two systems when its
    /// cards agree.
    #[test]
    fn the_smbios_kinds_are_linuxs_dmi_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let dmi = dir.path().join("sys/class/dmi/id");
        std::fs::create_dir_all(&dmi).unwrap();
        std::fs::write(
            dmi.join("product_uuid"),
            "4C4C4544-0042-3510-8052-B4C04F4A4E32\n",
        )
        .unwrap();
        let linux = crate::read_linux(dir.path());
        let windows = components(
            &WINDOWS,
            Raw {
                product_uuid: Some("4C4C4544-0042-3510-8052-B4C04F4A4E32".into()),
                ..Raw::default()
            },
        );
        let of = |r: &[ComponentReading]| r.iter().map(|c| c.component.clone()).collect::<Vec<_>>();
        assert_eq!(of(&linux), of(&windows));
    }
}
