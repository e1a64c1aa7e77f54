//! The platform's version, as a subscription caps it: dotted numbers
//! compared part by part (`11.9 < 11.14`), and the rule that a cap covers
//! every release of the line it names (a cap of `11.14` covers `11.14.3`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// At most this many dotted parts.
pub const MAX_PARTS: usize = 8;

/// A platform version: 1 to [`MAX_PARTS`] numbers (each fits in 32 bits)
/// separated by dots. Leading zeros are allowed and dropped (`11.09` is
/// `11.9`).
///
/// ```
/// use licensing::PlatformVersion;
///
/// let cap: PlatformVersion = "11.14".parse()?;
/// assert!(cap.covers(&"11.14".parse()?));
/// assert!(cap.covers(&"11.9".parse()?), "11.9 is before 11.14: part by part, not as text");
/// assert!(cap.covers(&"11.14.3".parse()?), "a cap covers its line's patch releases");
/// assert!(!cap.covers(&"11.15".parse()?));
/// assert!(!cap.covers(&"12".parse()?));
/// # Ok::<(), licensing::PlatformVersionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlatformVersion {
    parts: Vec<u32>,
}

/// Text that is not a platform version; the message says where.
///
/// ```
/// use licensing::PlatformVersion;
///
/// let err = "11.x".parse::<PlatformVersion>().unwrap_err();
/// assert!(err.to_string().contains("part 2 ('x') is not a number"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformVersionError {
    /// Nothing was given.
    #[error("the platform version is empty: give dotted numbers, like 11.14")]
    Empty,
    /// A part is empty or not a number.
    #[error(
        "'{text}' is not a platform version: part {part} ('{found}') is not a number; give dotted numbers, like 11.14"
    )]
    NotANumber {
        /// The whole text (made printable).
        text: String,
        /// Which part, from 1.
        part: usize,
        /// The part (made printable).
        found: String,
    },
    /// A part does not fit in 32 bits.
    #[error("'{text}' is not a platform version: part {part} is larger than 4294967295")]
    TooLarge {
        /// The whole text.
        text: String,
        /// Which part, from 1.
        part: usize,
    },
    /// More than [`MAX_PARTS`] parts.
    #[error(
        "'{text}' is not a platform version: it has {found} parts, at most {MAX_PARTS} are allowed"
    )]
    TooManyParts {
        /// The whole text.
        text: String,
        /// How many parts it has.
        found: usize,
    },
}

impl PlatformVersion {
    /// A version from its parts; `None` when there are none or more than
    /// [`MAX_PARTS`].
    ///
    /// ```
    /// use licensing::PlatformVersion;
    /// assert_eq!(PlatformVersion::from_parts(vec![11, 14]).unwrap().to_string(), "11.14");
    /// assert!(PlatformVersion::from_parts(vec![]).is_none());
    /// ```
    pub fn from_parts(parts: Vec<u32>) -> Option<Self> {
        (1..=MAX_PARTS)
            .contains(&parts.len())
            .then_some(Self { parts })
    }

    /// The numbers, most significant first.
    ///
    /// ```
    /// # let v: licensing::PlatformVersion = "11.14.2".parse()?;
    /// assert_eq!(v.parts(), [11, 14, 2]);
    /// # Ok::<(), licensing::PlatformVersionError>(())
    /// ```
    pub fn parts(&self) -> &[u32] {
        &self.parts
    }

    /// Whether this cap covers the platform version `running`: comparing
    /// as many parts as the cap has (a missing part of `running` is 0),
    /// `running` is not greater. So a cap of `11.14` covers `11.14`,
    /// `11.14.7` and `11.9`, not `11.15` or `12.0`.
    ///
    /// ```
    /// # use licensing::PlatformVersion;
    /// let cap: PlatformVersion = "11.14.2".parse()?;
    /// assert!(cap.covers(&"11.14".parse()?));
    /// assert!(cap.covers(&"11.14.2.9".parse()?));
    /// assert!(!cap.covers(&"11.14.3".parse()?));
    /// # Ok::<(), licensing::PlatformVersionError>(())
    /// ```
    pub fn covers(&self, running: &PlatformVersion) -> bool {
        let running = (0..self.parts.len()).map(|i| running.parts.get(i).copied().unwrap_or(0));
        running.cmp(self.parts.iter().copied()) != Ordering::Greater
    }
}

impl fmt::Display for PlatformVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self
            .parts
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        f.pad(&text)
    }
}

impl std::str::FromStr for PlatformVersion {
    type Err = PlatformVersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(PlatformVersionError::Empty);
        }
        let shown = || crate::printable(trimmed).into_owned();
        let pieces: Vec<&str> = trimmed.split('.').collect();
        if pieces.len() > MAX_PARTS {
            return Err(PlatformVersionError::TooManyParts {
                text: shown(),
                found: pieces.len(),
            });
        }
        let mut parts = Vec::with_capacity(pieces.len());
        for (i, piece) in pieces.iter().enumerate() {
            if piece.is_empty() || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PlatformVersionError::NotANumber {
                    text: shown(),
                    part: i + 1,
                    found: crate::printable(piece).into_owned(),
                });
            }
            parts.push(
                piece
                    .parse::<u32>()
                    .map_err(|_| PlatformVersionError::TooLarge {
                        text: shown(),
                        part: i + 1,
                    })?,
            );
        }
        Ok(Self { parts })
    }
}

impl Serialize for PlatformVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PlatformVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> PlatformVersion {
        text.parse().unwrap()
    }

    #[test]
    fn parts_compare_as_numbers() {
        for (cap, running, covered) in [
            ("11.14", "11.14", true),
            ("11.14", "11.9", true),
            ("11.14", "11.15", false),
            ("11.14", "11", true),
            ("11.14", "11.14.99", true),
            ("11.14", "12", false),
            ("11", "11.99", true),
            ("11", "12.0", false),
            ("11.14.2", "11.14.3", false),
            ("11.14.2", "11.14", true),
            ("0", "0.0.1", true),
            ("4294967295", "4294967295.4294967295", true),
        ] {
            assert_eq!(
                v(cap).covers(&v(running)),
                covered,
                "{cap} covers {running}"
            );
        }
    }

    #[test]
    fn text_round_trips_and_refuses_what_is_not_a_version() {
        assert_eq!(v(" 11.09 ").to_string(), "11.9");
        assert_eq!(v("1.2.3.4.5.6.7.8").parts().len(), 8);
        for bad in [
            "",
            " ",
            "11.",
            ".11",
            "11..2",
            "v11",
            "11.x",
            "+1",
            "-1",
            "1.2.3.4.5.6.7.8.9",
            "4294967296",
            "11 .2",
            "1\u{1b}",
        ] {
            let err = bad.parse::<PlatformVersion>().unwrap_err().to_string();
            assert!(!err.contains('\u{1b}'), "{err}");
        }
    }
}
