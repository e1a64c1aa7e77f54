//! Points in time as seconds since the Unix epoch (UTC), and calendar dates.
//!
//! The library needs only UTC instants, whole days and RFC 3339 text, so it
//! carries its own small civil-calendar conversion instead of a date crate.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Seconds in a day.
///
/// ```
/// use licensing::{DAY, Timestamp};
///
/// let day_two = Timestamp::from_unix_seconds(0).plus_seconds(DAY);
/// assert_eq!(day_two.to_string(), "1970-01-02T00:00:00Z");
/// ```
pub const DAY: i64 = 86_400;

/// An instant: seconds since 1970-01-01T00:00:00Z.
///
/// ```
/// use licensing::Timestamp;
///
/// let t: Timestamp = "2027-12-31T23:59:59Z".parse()?;
/// assert_eq!(t.unix_seconds(), 1_830_297_599);
/// assert_eq!(t.to_string(), "2027-12-31T23:59:59Z");
/// # Ok::<(), licensing::TimeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

/// A calendar day (proleptic Gregorian, UTC), like `2027-12-31`.
///
/// ```
/// use licensing::Date;
///
/// let end: Date = "2027-12-31".parse()?;
/// assert_eq!(end.end_of_day().to_string(), "2028-01-01T00:00:00Z");
/// # Ok::<(), licensing::TimeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // i64: an instant of the full i64 range of seconds falls in a year far
    // beyond i32 (about 292 billion years either side).
    year: i64,
    month: u8,
    day: u8,
}

/// Text that is not a date or an RFC 3339 time.
///
/// ```
/// use licensing::{Date, Timestamp};
///
/// let err = "tomorrow".parse::<Date>().unwrap_err();
/// assert_eq!(err.to_string(), "'tomorrow' is not a date like 2027-12-31");
/// // RFC 3339 needs a time zone.
/// assert!("2027-12-31T23:59:59".parse::<Timestamp>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{found}' is not a {expected}")]
pub struct TimeError {
    expected: &'static str,
    found: String,
}

impl Timestamp {
    /// The instant `seconds` after the Unix epoch.
    ///
    /// ```
    /// use licensing::Timestamp;
    ///
    /// assert_eq!(Timestamp::from_unix_seconds(0).to_string(), "1970-01-01T00:00:00Z");
    /// ```
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    /// Seconds since the Unix epoch.
    ///
    /// ```
    /// use licensing::Timestamp;
    ///
    /// let t: Timestamp = "1970-01-02T01:00:00+01:00".parse()?;
    /// assert_eq!(t.unix_seconds(), 86_400);
    /// # Ok::<(), licensing::TimeError>(())
    /// ```
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The system clock, now.
    ///
    /// ```
    /// use licensing::Timestamp;
    ///
    /// let now = Timestamp::now();
    /// assert!(now > "2025-01-01".parse()?);
    /// assert!(now <= Timestamp::now());
    /// # Ok::<(), licensing::TimeError>(())
    /// ```
    pub fn now() -> Self {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self(since)
    }

    /// This instant moved by `seconds` (saturating).
    ///
    /// ```
    /// use licensing::Timestamp;
    ///
    /// let epoch = Timestamp::from_unix_seconds(0);
    /// assert_eq!(epoch.plus_seconds(-1).to_string(), "1969-12-31T23:59:59Z");
    /// let last = Timestamp::from_unix_seconds(i64::MAX);
    /// assert_eq!(last.plus_seconds(1), last);
    /// ```
    pub const fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds))
    }

    /// The calendar day this instant falls on (UTC).
    ///
    /// ```
    /// use licensing::{Date, Timestamp};
    ///
    /// let t: Timestamp = "2027-12-31T23:30:00-01:00".parse()?;
    /// assert_eq!(t.date(), Date::new(2028, 1, 1).expect("a real day"));
    /// # Ok::<(), licensing::TimeError>(())
    /// ```
    pub fn date(self) -> Date {
        Date::from_days(self.0.div_euclid(DAY))
    }

    /// Whole days from `self` to `later`, rounded up (0 when `later` is not
    /// after `self`).
    ///
    /// ```
    /// use licensing::Timestamp;
    ///
    /// let start: Timestamp = "2027-01-01T00:00:00Z".parse()?;
    /// assert_eq!(start.days_until("2027-01-02T00:00:00Z".parse()?), 1);
    /// assert_eq!(start.days_until("2027-01-02T00:00:01Z".parse()?), 2);
    /// assert_eq!(start.days_until("2026-12-31".parse()?), 0);
    /// # Ok::<(), licensing::TimeError>(())
    /// ```
    pub fn days_until(self, later: Timestamp) -> u32 {
        let secs = later.0.saturating_sub(self.0);
        if secs <= 0 {
            0
        } else {
            // secs > 0, so this rounds up without overflowing.
            u32::try_from((secs - 1) / DAY + 1).unwrap_or(u32::MAX)
        }
    }
}

impl Date {
    /// The date `year`-`month`-`day`, if it exists and its year is one
    /// RFC 3339 can write (0000 to 9999), so that it reads back as written.
    ///
    /// ```
    /// use licensing::Date;
    ///
    /// assert_eq!(Date::new(2028, 2, 29).map(|d| d.to_string()), Some("2028-02-29".into()));
    /// assert_eq!(Date::new(2027, 2, 29), None);
    /// assert_eq!(Date::new(2027, 13, 1), None);
    /// assert_eq!(Date::new(10000, 1, 1), None);
    /// ```
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let year = i64::from(year);
        let valid = (0..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// The first second of this day (UTC).
    ///
    /// ```
    /// use licensing::Date;
    ///
    /// let day = Date::new(2027, 12, 31).expect("a real day");
    /// assert_eq!(day.start_of_day().to_string(), "2027-12-31T00:00:00Z");
    /// ```
    pub fn start_of_day(self) -> Timestamp {
        // Saturating: the first day of the i64 range starts before it.
        Timestamp(self.days().saturating_mul(DAY))
    }

    /// The first second after this day (UTC): a subscription that ends on
    /// this date is valid through all of it.
    ///
    /// ```
    /// use licensing::{DAY, Date, Timestamp};
    ///
    /// let end = Date::new(2027, 12, 31).expect("a real day");
    /// let last_second: Timestamp = "2027-12-31T23:59:59Z".parse()?;
    /// assert!(last_second < end.end_of_day());
    /// assert_eq!(end.end_of_day().unix_seconds() - end.start_of_day().unix_seconds(), DAY);
    /// # Ok::<(), licensing::TimeError>(())
    /// ```
    pub fn end_of_day(self) -> Timestamp {
        Timestamp((self.days() + 1).saturating_mul(DAY))
    }

    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    fn days(self) -> i64 {
        let y = self.year - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self { year, month, day }
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// RFC 3339 writes years 0000 to 9999 only. A year outside them (an instant
/// of a forged or far-future license) is written in ISO 8601's expanded
/// form, so that it cannot be mistaken for a 4-digit year: a sign and every
/// digit (`+292277026596-12-04`, `-0001-12-31`).
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            y @ 0..=9999 => write!(f, "{y:04}")?,
            y if y > 9999 => write!(f, "+{y}")?,
            y => write!(f, "-{:04}", y.unsigned_abs())?,
        }
        write!(f, "-{:02}-{:02}", self.month, self.day)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.rem_euclid(DAY);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

fn number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Date::new(
        number(&s[0..4])? as i32,
        number(&s[5..7])? as u8,
        number(&s[8..10])? as u8,
    )
}

impl FromStr for Date {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, TimeError> {
        parse_date(s.trim()).ok_or_else(|| TimeError {
            expected: "date like 2027-12-31",
            found: s.to_owned(),
        })
    }
}

/// RFC 3339 (`2027-12-31T23:59:59Z`, `2027-12-31T23:59:59.5+01:00`), or a
/// bare date meaning its first second (UTC).
fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    if s.len() == 10 {
        return parse_date(s).map(Date::start_of_day);
    }
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    let date = parse_date(date)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let b = rest.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, sec) = (
        number(rest.get(0..2)?)?,
        number(rest.get(3..5)?)?,
        number(rest.get(6..8)?)?,
    );
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut zone = rest.get(8..)?;
    if let Some(frac) = zone.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        zone = frac.get(digits..)?;
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let zb = zone.as_bytes();
            if zb.len() != 6 || zb[3] != b':' {
                return None;
            }
            let sign = match zb[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = (number(zone.get(1..3)?)?, number(zone.get(4..6)?)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * i64::from(oh * 3600 + om * 60)
        }
    };
    let secs = i64::from(h * 3600 + m * 60 + sec.min(59));
    Some(Timestamp(date.start_of_day().0 + secs - offset))
}

impl FromStr for Timestamp {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, TimeError> {
        parse_rfc3339(s.trim()).ok_or_else(|| TimeError {
            expected: "time like 2027-12-31T23:59:59Z (RFC 3339) or a date like 2027-12-31",
            found: s.to_owned(),
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_over_four_centuries() {
        for days in -146_097..146_097 * 2 {
            let date = Date::from_days(days);
            assert_eq!(date.days(), days);
            let year = i32::try_from(date.year).unwrap();
            assert_eq!(Date::new(year, date.month, date.day), Some(date));
        }
    }

    #[test]
    fn every_date_that_can_be_made_reads_back() {
        for year in [-1, 0, 1, 9999, 10000, i32::MIN, i32::MAX] {
            if let Some(date) = Date::new(year, 1, 1) {
                assert_eq!(date.to_string().parse::<Date>(), Ok(date), "{year}");
            } else {
                assert!(!(0..=9999).contains(&year), "{year}");
            }
        }
    }

    #[test]
    fn known_instants() {
        let t: Timestamp = "1970-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(t.unix_seconds(), 0);
        let t: Timestamp = "2000-03-01T12:30:15+02:00".parse().unwrap();
        assert_eq!(t.unix_seconds(), 951_906_615);
        assert_eq!(t.to_string(), "2000-03-01T10:30:15Z");
        let t: Timestamp = "2024-02-29".parse().unwrap();
        assert_eq!(t.to_string(), "2024-02-29T00:00:00Z");
        let t: Timestamp = "2024-02-29t00:00:00.123z".parse().unwrap();
        assert_eq!(t.unix_seconds(), 1_709_164_800);
    }

    #[test]
    fn bad_text_is_rejected() {
        for bad in [
            "",
            "2023-02-29",
            "2023-13-01",
            "2023-1-01",
            "2023-01-01T25:00:00Z",
            "2023-01-01T10:00:00",
            "2023-01-01T10:00:00+0100",
            "2023-01-01T10:00:00.Z",
            "+023-01-01",
            "2023-01-01T10:00:00Zjunk",
            "２０２３-01-01",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
        let err = "tomorrow".parse::<Date>().unwrap_err();
        assert_eq!(err.to_string(), "'tomorrow' is not a date like 2027-12-31");
    }

    #[test]
    fn the_whole_i64_range_is_shown_unmistakably() {
        assert_eq!(
            Timestamp(i64::MAX).to_string(),
            "+292277026596-12-04T15:30:07Z"
        );
        assert_eq!(
            Timestamp(i64::MIN).to_string(),
            "-292277022657-01-27T08:29:52Z"
        );
        assert_eq!(
            Timestamp(253_402_300_799).to_string(),
            "9999-12-31T23:59:59Z"
        );
        assert_eq!(
            Timestamp(253_402_300_800).to_string(),
            "+10000-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp(-62_167_219_200).to_string(),
            "0000-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp(-62_167_219_201).to_string(),
            "-0001-12-31T23:59:59Z"
        );
        // Round trips through days for every era boundary around.
        for t in [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX] {
            let ts = Timestamp(t);
            let back =
                i128::from(ts.date().days()) * i128::from(DAY) + i128::from(ts.0.rem_euclid(DAY));
            assert_eq!(back, i128::from(t), "{ts}");
        }
    }

    #[test]
    fn days_until_rounds_up() {
        let t = Timestamp(0);
        assert_eq!(t.days_until(Timestamp(1)), 1);
        assert_eq!(t.days_until(Timestamp(DAY)), 1);
        assert_eq!(t.days_until(Timestamp(DAY + 1)), 2);
        assert_eq!(t.days_until(Timestamp(-5)), 0);
    }
}
