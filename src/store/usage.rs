//! The store's usage record (`usage`, docs/FORMAT.md section 11.4): the
//! daily peak of each limit's usage as the runtime reports it, for the
//! last [`USAGE_DAYS`] days, from which usage reports are written.

use super::{LicenseStore, StoreError};
use crate::{Date, Timestamp};
use std::collections::BTreeMap;

/// The store file of the usage record.
pub(crate) const USAGE: &str = "usage";
/// Days of daily peaks a store keeps (older days are dropped).
///
/// ```
/// assert_eq!(licensing::USAGE_DAYS, 400);
/// ```
pub const USAGE_DAYS: i64 = 400;

const HEADER: &str = "# licensing usage record, version 1: the daily peak of each limit's usage (UTC days); written by the runtime, read by usage reports\n";

/// Daily peaks by day, then by limit name.
pub(crate) type Peaks = BTreeMap<Date, BTreeMap<String, u64>>;

/// Whether a name can be recorded: a limit name's characters (anything
/// else, from a host or an edited file, is not kept).
fn recordable(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// Reads a usage record; lines that are not `DATE NAME PEAK` are skipped
/// (an edited record loses those lines, nothing else).
pub(crate) fn parse(text: &str) -> Peaks {
    let mut peaks = Peaks::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.split(' ');
        let (Some(day), Some(name), Some(peak), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(day), Ok(peak)) = (day.parse::<Date>(), peak.parse::<u64>()) else {
            continue;
        };
        if recordable(name) {
            let entry = peaks
                .entry(day)
                .or_default()
                .entry(name.to_owned())
                .or_default();
            *entry = (*entry).max(peak);
        }
    }
    peaks
}

pub(crate) fn write(peaks: &Peaks) -> String {
    let mut out = HEADER.to_owned();
    for (day, names) in peaks {
        for (name, peak) in names {
            out.push_str(&format!("{day} {name} {peak}\n"));
        }
    }
    out
}

impl LicenseStore {
    /// The daily peaks recorded, oldest day first.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// # let dir = tempfile::tempdir()?;
    /// # let store = licensing::LicenseStore::create(dir.path())?;
    /// use std::collections::BTreeMap;
    ///
    /// for used in [120, 300, 250] {
    ///     let usage = BTreeMap::from([("application-objects".to_string(), used)]);
    ///     store.status(&validator, &serial, now, &usage)?; // records the day's peak
    /// }
    /// let peaks = store.daily_peaks()?;
    /// assert_eq!(peaks[&now.date()]["application-objects"], 300);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn daily_peaks(&self) -> Result<BTreeMap<Date, BTreeMap<String, u64>>, StoreError> {
        Ok(self
            .read_optional(USAGE)?
            .map(|bytes| parse(&String::from_utf8_lossy(&bytes)))
            .unwrap_or_default())
    }

    /// Raises the peaks of `at`'s day with `usage`, drops days older than
    /// [`USAGE_DAYS`], and writes the record when something changed.
    pub(crate) fn record_usage(
        &self,
        usage: &BTreeMap<String, u64>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let day = at.date();
        let mut peaks = self.daily_peaks()?;
        let mut changed = false;
        for (name, &used) in usage.iter().filter(|(name, _)| recordable(name)) {
            let day_peaks = peaks.entry(day).or_default();
            match day_peaks.get_mut(name) {
                Some(peak) if *peak >= used => {}
                Some(peak) => {
                    *peak = used;
                    changed = true;
                }
                None => {
                    day_peaks.insert(name.clone(), used);
                    changed = true;
                }
            }
        }
        let oldest = at.plus_seconds(-(USAGE_DAYS - 1) * crate::DAY).date();
        let before = peaks.len();
        peaks.retain(|d, _| *d >= oldest);
        changed |= peaks.len() != before;
        if changed {
            self.replace(USAGE, write(&peaks).as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_only_rise_and_old_days_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let store = LicenseStore::create(dir.path()).unwrap();
        let start: Timestamp = "2026-01-01T10:00:00Z".parse().unwrap();
        let usage = |n| BTreeMap::from([("application-objects".to_string(), n)]);
        store.record_usage(&usage(300), start).unwrap();
        store
            .record_usage(&usage(200), start.plus_seconds(60))
            .unwrap();
        let peaks = store.daily_peaks().unwrap();
        assert_eq!(peaks[&start.date()]["application-objects"], 300);
        // A quiet day writes nothing.
        let written = std::fs::metadata(dir.path().join(USAGE))
            .unwrap()
            .modified()
            .unwrap();
        store
            .record_usage(&usage(100), start.plus_seconds(120))
            .unwrap();
        let again = std::fs::metadata(dir.path().join(USAGE))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(written, again);
        // 400 days later the first day is gone; the last 400 are kept.
        for d in 1..=USAGE_DAYS {
            store
                .record_usage(&usage(d as u64), start.plus_seconds(d * crate::DAY))
                .unwrap();
        }
        let peaks = store.daily_peaks().unwrap();
        assert_eq!(peaks.len(), USAGE_DAYS as usize);
        assert!(!peaks.contains_key(&start.date()));
        // Names that are not limit names are not recorded.
        let odd = BTreeMap::from([("a b".to_string(), 1), ("\u{1b}[2J".to_string(), 1)]);
        store
            .record_usage(&odd, start.plus_seconds(USAGE_DAYS * crate::DAY))
            .unwrap();
        let last = store.daily_peaks().unwrap().into_values().last().unwrap();
        assert_eq!(last.keys().collect::<Vec<_>>(), ["application-objects"]);
    }

    #[test]
    fn edited_lines_are_skipped_and_the_record_round_trips() {
        let text = "# header\n2026-11-30 application-objects 300\n2026-11-30 internal-users 4\nnot a line\n2026-11-31 x 1\n2026-11-29 bad\u{1b}name 5\n2026-11-29 a 18446744073709551616\n2026-11-30 application-objects 200\n";
        let peaks = parse(text);
        let day: Date = "2026-11-30".parse().unwrap();
        assert_eq!(peaks.len(), 1);
        assert_eq!(peaks[&day]["application-objects"], 300);
        assert_eq!(peaks[&day]["internal-users"], 4);
        assert_eq!(parse(&write(&peaks)), peaks);
    }
}
