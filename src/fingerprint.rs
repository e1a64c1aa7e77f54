//! Tolerance for hardware changes: the controller keeps a small record of
//! its serial number and the hashes of the components it was made from, so
//! that one replaced network card does not change the serial.

use crate::fingerprint_record::{FingerprintRecord, RecordedComponent, SerialReplacement};
use crate::hardware::{
    ComponentReading, HardwareError, IdentitySource, MachineIdentity, serial_of,
};
use crate::license_file::hex;
use crate::serial_number::SerialNumber;

/// The serial number algorithm version this library derives with.
///
/// ```
/// use licensing::{MachineIdentity, SERIAL_ALGORITHM};
///
/// let first = MachineIdentity::pinned("acme-production").fingerprint(None)?;
/// assert_eq!((first.record.algorithm, SERIAL_ALGORITHM), (1, 1));
/// # Ok::<(), licensing::HardwareError>(())
/// ```
pub const SERIAL_ALGORITHM: u32 = 1;

/// What happened to the serial number on this start.
///
/// ```
/// use licensing::{MachineIdentity, SerialChange};
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
/// let machine = MachineIdentity::at_root(root.path());
/// let first = machine.fingerprint(None)?;
/// assert_eq!(first.change, SerialChange::First);
/// write("sys/class/dmi/id/board_serial", "PF2XYZ")?; // 2 of 3 still match
/// let later = machine.fingerprint(Some(&first.record))?;
/// assert_eq!(later.change, SerialChange::Tolerated { changed: vec!["dmi-board-serial".into()] });
/// assert_eq!(later.serial_number, first.serial_number);
/// // Pinned from now on: nothing recorded matches, so a new serial.
/// let pinned = MachineIdentity::pinned("acme-production").fingerprint(Some(&later.record))?;
/// assert!(matches!(pinned.change, SerialChange::New { previous, .. } if previous == first.serial_number));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerialChange {
    /// No record yet: the serial was derived from the hardware.
    First,
    /// Every recorded component is still there.
    Unchanged,
    /// Some components changed, but most still match: same serial.
    Tolerated {
        /// The kinds of the recorded components that are gone.
        changed: Vec<String>,
    },
    /// Too many components changed: a new serial, which needs a new
    /// license (register it, release the old one).
    New {
        /// The serial in the record.
        previous: SerialNumber,
        /// The kinds of the recorded components that are gone.
        changed: Vec<String>,
    },
}

/// One component, explained: kind, source, short hash, whether it matches
/// the record.
///
/// ```
/// use licensing::{MachineIdentity, PINNED_KIND};
///
/// let identity = MachineIdentity::pinned("acme-production");
/// let first = identity.fingerprint(None)?;
/// let explained = &first.components[0];
/// assert_eq!((explained.kind.as_str(), explained.matched), (PINNED_KIND, None)); // no record yet
/// assert!(first.record.components[0].hash.starts_with(&explained.short_hash));
/// let again = identity.fingerprint(Some(&first.record))?;
/// assert_eq!(again.components[0].matched, Some(true));
/// # Ok::<(), licensing::HardwareError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedComponent {
    /// The kind, like `mac`.
    pub kind: String,
    /// Where it was read.
    pub source: String,
    /// The first 12 hex digits of its hash.
    pub short_hash: String,
    /// Whether the record has it; `None` without a record.
    pub matched: Option<bool>,
}

/// This start's serial number, how it came about, and the record to save.
///
/// ```
/// use licensing::{MachineIdentity, SerialChange};
///
/// let fingerprint = MachineIdentity::pinned("acme-production").fingerprint(None)?;
/// assert_eq!(fingerprint.change, SerialChange::First);
/// assert!(fingerprint.pinned);
/// assert_eq!(fingerprint.record.serial_number, fingerprint.serial_number);
/// assert_eq!(fingerprint.components.len(), 1);
/// # Ok::<(), licensing::HardwareError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The serial number to use.
    pub serial_number: SerialNumber,
    /// What changed since the record.
    pub change: SerialChange,
    /// The record to save for the next start.
    pub record: FingerprintRecord,
    /// Every component read, explained.
    pub components: Vec<ExplainedComponent>,
    /// Whether the identity was pinned rather than read from hardware.
    pub pinned: bool,
    /// Where the identity came from.
    pub source: IdentitySource,
}

/// Whether `matched` of `recorded` components are enough to keep the
/// serial: strictly more than half (3 of 5, 2 of 3, 2 of 2, 1 of 1).
///
/// ```
/// use licensing::keeps_serial;
///
/// assert!(keeps_serial(3, 5));
/// assert!(!keeps_serial(2, 5));
/// assert!(!keeps_serial(1, 2)); // a tie is not enough
/// assert!(!keeps_serial(0, 0));
/// ```
pub fn keeps_serial(matched: usize, recorded: usize) -> bool {
    matched > 0 && matched * 2 > recorded
}

/// Component kinds in words, in order, with a count for repeats, as the
/// messages about a changed serial name them.
///
/// ```
/// let changed = ["mac".to_string(), "machine-id".into(), "mac".into()];
/// assert_eq!(licensing::kinds_in_words(&changed), "mac (2), machine-id");
/// ```
pub fn kinds_in_words(changed: &[String]) -> String {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for kind in changed {
        match seen.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => seen.push((kind, 1)),
        }
    }
    seen.iter()
        .map(|(k, n)| {
            if *n == 1 {
                (*k).to_owned()
            } else {
                format!("{k} ({n})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl MachineIdentity {
    /// This start's serial number, reconciled with `record` (the one saved
    /// at the previous start, if any): when strictly more than half of the
    /// recorded components still match, the recorded serial is kept;
    /// otherwise a new one is derived and the change names the components
    /// that are gone. A record of another algorithm version keeps its
    /// serial when its components match, so upgrading this library never
    /// changes a licensed machine's serial by itself.
    ///
    /// ```
    /// use licensing::{MachineIdentity, SerialChange};
    ///
    /// let identity = MachineIdentity::pinned("acme-production");
    /// let first = identity.fingerprint(None)?;
    /// assert_eq!(first.change, SerialChange::First);
    /// let again = identity.fingerprint(Some(&first.record))?;
    /// assert_eq!(again.change, SerialChange::Unchanged);
    /// assert_eq!(again.serial_number, first.serial_number);
    /// # Ok::<(), licensing::HardwareError>(())
    /// ```
    pub fn fingerprint(
        &self,
        record: Option<&FingerprintRecord>,
    ) -> Result<Fingerprint, HardwareError> {
        let readings = self.components()?;
        reconcile(&readings, record, self.source())
    }
}

fn hashed(readings: &[ComponentReading]) -> Vec<(&ComponentReading, String)> {
    readings
        .iter()
        .filter_map(|r| r.component.hash_v1().map(|h| (r, hex(&h))))
        .collect()
}

pub(crate) fn reconcile(
    readings: &[ComponentReading],
    record: Option<&FingerprintRecord>,
    source: IdentitySource,
) -> Result<Fingerprint, HardwareError> {
    let derived = serial_of(readings)?;
    let current = hashed(readings);
    let components = current
        .iter()
        .map(|(r, h)| ExplainedComponent {
            kind: r.component.kind.trim().to_lowercase(),
            source: r.source.clone(),
            short_hash: h[..12].to_owned(),
            matched: record.map(|rec| rec.components.iter().any(|c| &c.hash == h)),
        })
        .collect();
    let mut recorded: Vec<RecordedComponent> = current
        .iter()
        .map(|(r, h)| RecordedComponent {
            kind: r.component.kind.trim().to_lowercase(),
            hash: h.clone(),
        })
        .collect();
    recorded.sort_by(|a, b| a.hash.cmp(&b.hash));
    recorded.dedup_by(|a, b| a.hash == b.hash);

    // A replacement stays on record, so that a status can say why a
    // license issued for the previous serial no longer fits.
    let mut replaced = record.and_then(|rec| rec.replaced.clone());
    let (serial_number, algorithm, change) = match record {
        None => (derived, SERIAL_ALGORITHM, SerialChange::First),
        Some(rec) => {
            let mut gone: Vec<String> = rec
                .components
                .iter()
                .filter(|c| !recorded.iter().any(|n| n.hash == c.hash))
                .map(|c| c.kind.clone())
                .collect();
            // By kind, not by hash: messages list them in a stable order.
            gone.sort();
            let matched = rec.components.len() - gone.len();
            if gone.is_empty() {
                (rec.serial_number, rec.algorithm, SerialChange::Unchanged)
            } else if keeps_serial(matched, rec.components.len()) {
                (
                    rec.serial_number,
                    rec.algorithm,
                    SerialChange::Tolerated { changed: gone },
                )
            } else {
                replaced = Some(SerialReplacement {
                    serial_number: rec.serial_number,
                    changed: gone.clone(),
                });
                (
                    derived,
                    SERIAL_ALGORITHM,
                    SerialChange::New {
                        previous: rec.serial_number,
                        changed: gone,
                    },
                )
            }
        }
    };
    Ok(Fingerprint {
        serial_number,
        change,
        record: FingerprintRecord {
            algorithm,
            serial_number,
            components: recorded,
            replaced,
        },
        components,
        pinned: !matches!(source, IdentitySource::Hardware(_)),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HardwareComponent;

    fn readings(parts: &[(&str, &str)]) -> Vec<ComponentReading> {
        parts
            .iter()
            .map(|(k, v)| ComponentReading {
                component: HardwareComponent::new(*k, *v),
                source: format!("/fixture/{k}"),
            })
            .collect()
    }

    const FIVE: [(&str, &str); 5] = [
        ("machine-id", "machine-one"),
        ("dmi-product-uuid", "uuid-one"),
        ("dmi-board-serial", "board-one"),
        ("mac", "02:00:00:00:00:01"),
        ("mac", "02:00:00:00:00:02"),
    ];

    fn with_changed(n: usize) -> Vec<ComponentReading> {
        let mut parts: Vec<(String, String)> = FIVE
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for p in parts.iter_mut().take(n) {
            p.1.push_str("-new");
        }
        let refs: Vec<(&str, &str)> = parts
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        readings(&refs)
    }

    #[test]
    fn one_or_two_changed_components_keep_the_serial() {
        let first =
            reconcile(&readings(&FIVE), None, IdentitySource::Hardware("/".into())).unwrap();
        assert_eq!(first.change, SerialChange::First);
        for n in 1..=2 {
            let later = reconcile(
                &with_changed(n),
                Some(&first.record),
                IdentitySource::Hardware("/".into()),
            )
            .unwrap();
            assert_eq!(later.serial_number, first.serial_number, "{n} changed");
            let SerialChange::Tolerated { changed } = &later.change else {
                panic!("{:?}", later.change)
            };
            assert_eq!(changed.len(), n);
            // The record follows the hardware, so changes accumulate safely.
            assert_eq!(later.record.serial_number, first.serial_number);
            assert!(
                later
                    .components
                    .iter()
                    .filter(|c| c.matched == Some(false))
                    .count()
                    == n
            );
        }
    }

    #[test]
    fn a_majority_changed_makes_a_new_serial_and_says_which() {
        let first =
            reconcile(&readings(&FIVE), None, IdentitySource::Hardware("/".into())).unwrap();
        let later = reconcile(
            &with_changed(3),
            Some(&first.record),
            IdentitySource::Hardware("/".into()),
        )
        .unwrap();
        assert_ne!(later.serial_number, first.serial_number);
        let SerialChange::New {
            previous,
            mut changed,
        } = later.change
        else {
            panic!("{:?}", later.change)
        };
        assert_eq!(previous, first.serial_number);
        changed.sort();
        assert_eq!(
            changed,
            ["dmi-board-serial", "dmi-product-uuid", "machine-id"]
        );
        assert_eq!(later.record.serial_number, later.serial_number);
    }

    #[test]
    fn an_added_card_changes_nothing() {
        let first =
            reconcile(&readings(&FIVE), None, IdentitySource::Hardware("/".into())).unwrap();
        let mut more = FIVE.to_vec();
        more.push(("mac", "02:00:00:00:00:03"));
        let later = reconcile(
            &readings(&more),
            Some(&first.record),
            IdentitySource::Hardware("/".into()),
        )
        .unwrap();
        assert_eq!(later.change, SerialChange::Unchanged);
        assert_eq!(later.serial_number, first.serial_number);
        assert_eq!(later.record.components.len(), 6);
    }

    #[test]
    fn the_threshold() {
        assert!(keeps_serial(3, 5));
        assert!(!keeps_serial(2, 5));
        assert!(keeps_serial(2, 3));
        assert!(!keeps_serial(1, 2));
        assert!(keeps_serial(1, 1));
        assert!(!keeps_serial(0, 0));
    }

    #[test]
    fn the_record_holds_no_raw_values() {
        let first =
            reconcile(&readings(&FIVE), None, IdentitySource::Hardware("/".into())).unwrap();
        let json = serde_json::to_string(&first.record).unwrap();
        for (_, v) in FIVE {
            assert!(!json.contains(v), "{json}");
        }
        let back: FingerprintRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back, first.record);
    }
}
