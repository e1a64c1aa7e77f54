//! What the store remembers besides license files: when the trial started
//! and the latest time it has seen (the clock's high-water mark).

use crate::Timestamp;
use std::path::Path;

/// The store's memory, kept in the text file `state` as `key=value` lines
/// an administrator can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct StoreState {
    /// When the trial started (the first start without a license).
    pub trial_started: Option<Timestamp>,
    /// Whether a license was ever installed (which ends the trial).
    pub licensed: bool,
    /// The latest time seen; it never moves backwards.
    pub high_water: Option<Timestamp>,
}

impl StoreState {
    pub fn parse(text: &str, path: &Path) -> Result<Self, String> {
        let mut state = Self::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || {
                format!(
                    "{} line {}: '{line}' is not key=value",
                    path.display(),
                    n + 1
                )
            };
            let (key, value) = line.split_once('=').ok_or_else(bad)?;
            let seconds = || {
                value
                    .trim()
                    .parse::<i64>()
                    .map(Timestamp::from_unix_seconds)
                    .map_err(|_| bad())
            };
            match key.trim() {
                "trial-started" => state.trial_started = Some(seconds()?),
                "high-water" => state.high_water = Some(seconds()?),
                "licensed" => state.licensed = value.trim() == "true",
                // Unknown keys come from a newer library: keep going.
                _ => {}
            }
        }
        Ok(state)
    }

    pub fn to_text(self) -> String {
        let mut out = String::from("# licensing store state: times are Unix seconds (UTC)\n");
        if let Some(t) = self.trial_started {
            out.push_str(&format!("trial-started={}\n", t.unix_seconds()));
        }
        out.push_str(&format!("licensed={}\n", self.licensed));
        if let Some(t) = self.high_water {
            out.push_str(&format!("high-water={}\n", t.unix_seconds()));
        }
        out
    }

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tolerance_of_unknown_keys() {
        let state = StoreState {
            trial_started: Some(Timestamp::from_unix_seconds(100)),
            licensed: true,
            high_water: Some(Timestamp::from_unix_seconds(200)),
        };
        let text = state.to_text() + "future-key=1\n";
        assert_eq!(StoreState::parse(&text, Path::new("state")), Ok(state));
        assert!(StoreState::parse("high-water=soon", Path::new("state")).is_err());
    }

    #[test]
    fn the_high_water_mark_never_moves_back() {
        let mut s = StoreState::default();
        assert!(s.observe(Timestamp::from_unix_seconds(10)));
        assert!(!s.observe(Timestamp::from_unix_seconds(5)));
        assert_eq!(s.high_water, Some(Timestamp::from_unix_seconds(10)));
        assert!(s.observe(Timestamp::from_unix_seconds(11)));
    }
}
