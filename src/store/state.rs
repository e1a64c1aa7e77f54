//! What the store remembers besides license files: when the trial started,
//! whether a license was ever installed, the latest time it has seen (the
//! clock's high-water mark), when its state was found altered, a write
//! counter and the last clock reset applied; kept in the file `state`,
//! authenticated (version 2).
//!
//! The authentication binds the state to its store (the store's random
//! id, kept in `store-id`) and to the environment's serial, so that a hand
//! edit, a state copied from another store or machine, or a truncated file
//! is detected rather than believed. There is no secret on the machine: a
//! determined attacker can recompute the code from this source; what it
//! stops is an edit with a text editor, which is what trial-reset tools do.

use crate::Timestamp;
use crate::serial_number::SerialNumber;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The store's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct StoreState {
    /// When the trial started (the first start without a license).
    pub trial_started: Option<Timestamp>,
    /// Whether a license was ever installed (which ends the trial).
    pub licensed: bool,
    /// The latest time seen; it never moves backwards.
    pub high_water: Option<Timestamp>,
    /// When the state was found altered or reset: the trial ended then.
    pub altered: Option<Timestamp>,
    /// How many times the state was written.
    pub counter: u64,
    /// When the last clock reset this store applied was issued (each
    /// reset is applied once).
    pub clock_reset: Option<Timestamp>,
}

/// What reading the state file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// No state file.
    Missing,
    /// A version 1 file (plain text, before authentication): believed
    /// once, in a store that has no id yet, and then written as version 2.
    Legacy(StoreState),
    /// A version 2 file that authenticates, written for `serial`.
    Authentic {
        state: StoreState,
        serial: SerialNumber,
    },
    /// Anything else: edited, damaged, cut short, or from another store.
    Altered(String),
}

const DOMAIN: &[u8] = b"licensing/store-state/v2\0";
const HEADER: &str = "# licensing store state, version 2: do not edit (an edited state is detected and ends the trial)\n";

impl StoreState {
    /// Raises the high-water mark to `now` (never lowers it); whether it moved.
    pub fn observe(&mut self, now: Timestamp) -> bool {
        match self.high_water {
            Some(h) if h >= now => false,
            _ => {
                self.high_water = Some(now);
                true
            }
        }
    }

    /// The version 2 file for this store (`store_id`) and environment.
    pub fn to_bytes(self, store_id: &str, serial: &SerialNumber) -> Vec<u8> {
        let mut body = String::from(HEADER);
        body.push_str("version=2\n");
        let _ = writeln!(body, "serial-number={serial}");
        if let Some(t) = self.trial_started {
            let _ = writeln!(body, "trial-started={}", t.unix_seconds());
        }
        let _ = writeln!(body, "licensed={}", self.licensed);
        if let Some(t) = self.high_water {
            let _ = writeln!(body, "high-water={}", t.unix_seconds());
        }
        if let Some(t) = self.altered {
            let _ = writeln!(body, "altered={}", t.unix_seconds());
        }
        let _ = writeln!(body, "counter={}", self.counter);
        if let Some(t) = self.clock_reset {
            let _ = writeln!(body, "clock-reset={}", t.unix_seconds());
        }
        let mac = mac(store_id, body.as_bytes());
        let _ = writeln!(body, "mac={mac}");
        body.into_bytes()
    }

    /// Reads the state file's bytes for the store `store_id` (`None`: the
    /// store has no id yet, so a version 1 file is believed).
    pub fn read(bytes: Option<&[u8]>, store_id: Option<&str>) -> Found {
        let Some(bytes) = bytes else {
            return Found::Missing;
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Found::Altered("it is not text".into());
        };
        let versioned = text.lines().any(|l| l.trim_start().starts_with("version="));
        match (versioned, store_id) {
            (false, None) => match parse_fields(text) {
                Ok((state, _)) => Found::Legacy(state),
                Err(e) => Found::Altered(e),
            },
            (false, Some(_)) => Found::Altered(
                "it is in the unauthenticated format of version 1, in a store that has moved on"
                    .into(),
            ),
            (true, None) => Found::Altered("the store's id (store-id) is missing".into()),
            (true, Some(id)) => read_v2(text, id),
        }
    }
}

fn read_v2(text: &str, store_id: &str) -> Found {
    let Some(at) = text.rfind("mac=") else {
        return Found::Altered("its authentication code is missing".into());
    };
    let (body, tail) = text.split_at(at);
    let expected = mac(store_id, body.as_bytes());
    let given = tail.strip_prefix("mac=").unwrap_or_default();
    if given != format!("{expected}\n") {
        return Found::Altered(
            "its authentication code does not match its contents (edited, damaged, cut short, or copied from another store)"
                .into(),
        );
    }
    match parse_fields(body) {
        Ok((state, Some(serial))) => Found::Authentic { state, serial },
        Ok((_, None)) => Found::Altered("it names no serial number".into()),
        Err(e) => Found::Altered(e),
    }
}

/// The fields of either version; the serial number when one is named.
fn parse_fields(text: &str) -> Result<(StoreState, Option<SerialNumber>), String> {
    let mut state = StoreState::default();
    let mut serial = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("line {}: '{line}' is not key=value", n + 1);
        let (key, value) = line.split_once('=').ok_or_else(bad)?;
        let value = value.trim();
        let seconds = || {
            value
                .parse::<i64>()
                .map(Timestamp::from_unix_seconds)
                .map_err(|_| bad())
        };
        match key.trim() {
            "trial-started" => state.trial_started = Some(seconds()?),
            "high-water" => state.high_water = Some(seconds()?),
            "altered" => state.altered = Some(seconds()?),
            "clock-reset" => state.clock_reset = Some(seconds()?),
            "licensed" => state.licensed = value == "true",
            "counter" => state.counter = value.parse().map_err(|_| bad())?,
            "serial-number" => serial = Some(value.parse().map_err(|_| bad())?),
            // The version, and keys of a newer library: keep going.
            _ => {}
        }
    }
    Ok((state, serial))
}

fn mac(store_id: &str, body: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(DOMAIN)
        .chain_update(store_id.as_bytes())
        .chain_update([0])
        .chain_update(body)
        .finalize();
    crate::license_file::hex(&digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serial() -> SerialNumber {
        crate::MachineIdentity::pinned("state-test")
            .serial()
            .unwrap()
    }

    fn sample() -> StoreState {
        StoreState {
            trial_started: Some(Timestamp::from_unix_seconds(100)),
            licensed: true,
            high_water: Some(Timestamp::from_unix_seconds(200)),
            altered: None,
            counter: 7,
            clock_reset: Some(Timestamp::from_unix_seconds(150)),
        }
    }

    #[test]
    fn round_trip_and_tolerance_of_unknown_keys() {
        let bytes = sample().to_bytes("0123", &serial());
        let found = StoreState::read(Some(&bytes), Some("0123"));
        assert_eq!(
            found,
            Found::Authentic {
                state: sample(),
                serial: serial()
            }
        );
        let legacy = "# old\ntrial-started=100\nlicensed=true\nhigh-water=200\nfuture-key=1\n";
        let mut expected = sample();
        expected.counter = 0;
        expected.clock_reset = None;
        assert_eq!(
            StoreState::read(Some(legacy.as_bytes()), None),
            Found::Legacy(expected)
        );
    }

    #[test]
    fn every_bit_flip_and_every_cut_is_detected() {
        let bytes = sample().to_bytes("0123", &serial());
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[i] ^= 1 << bit;
                let found = StoreState::read(Some(&flipped), Some("0123"));
                assert!(
                    matches!(found, Found::Altered(_)),
                    "byte {i} bit {bit}: {found:?}"
                );
            }
        }
        for len in 0..bytes.len() {
            let found = StoreState::read(Some(&bytes[..len]), Some("0123"));
            assert!(
                matches!(found, Found::Altered(_)),
                "cut at {len}: {found:?}"
            );
        }
    }

    /// tests/vectors/state-v2-clock-reset.txt (docs/FORMAT.md section 11.1):
    /// a version 2 state with the `clock-reset` key of 0.3, for the store id
    /// of state-v2.store-id. LICENSING_BLESS_VECTORS=1 writes it.
    #[test]
    fn the_clock_reset_state_vector_is_written_and_read_byte_for_byte() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/vectors/state-v2-clock-reset.txt");
        let serial: SerialNumber = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T".parse().unwrap();
        let state = StoreState {
            trial_started: Some(Timestamp::from_unix_seconds(1_800_000_000)),
            licensed: false,
            high_water: Some(Timestamp::from_unix_seconds(1_800_086_400)),
            altered: None,
            counter: 3,
            clock_reset: Some(Timestamp::from_unix_seconds(1_800_043_200)),
        };
        let id = "00112233445566778899aabbccddeeff";
        let bytes = state.to_bytes(id, &serial);
        if std::env::var_os("LICENSING_BLESS_VECTORS").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        assert_eq!(
            StoreState::read(Some(&bytes), Some(id)),
            Found::Authentic { state, serial }
        );
    }

    #[test]
    fn another_stores_state_or_a_downgrade_to_version_1_is_altered() {
        let bytes = sample().to_bytes("0123", &serial());
        assert!(matches!(
            StoreState::read(Some(&bytes), Some("4567")),
            Found::Altered(_)
        ));
        let legacy = b"trial-started=100\nlicensed=false\n";
        assert!(matches!(
            StoreState::read(Some(legacy), Some("0123")),
            Found::Altered(_)
        ));
    }
}
