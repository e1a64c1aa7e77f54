//! Usage reports and usage summaries (docs/FORMAT.md sections 13.3 and
//! 13.4). An environment reports its daily peaks in a file; the management
//! environment (or the vendor) brings the reports of one infrastructure
//! together into a summary, which sums the limits that are summed across
//! the production environments; a production environment given the
//! summary judges those limits on the infrastructure's total.
//!
//! Both files are checksummed, not signed: they detect damage in transit,
//! they do not prove who wrote them (see the README).

use crate::exchange::{ExchangeError, Kind, Reader, Writer};
use crate::license::LicenseId;
use crate::{
    ActivationCode, Date, Enforcement, LicenseStore, Purpose, SerialNumber, StoreError, Timestamp,
    ValidationError, Validator,
};
use std::collections::BTreeMap;

pub(crate) const REPORT: Kind = Kind {
    name: "usage report",
    magic: b"LICU",
    domain: b"licensing/usage-report\0",
    begin: "-----BEGIN LICENSING USAGE REPORT-----",
    end: "-----END LICENSING USAGE REPORT-----",
};

pub(crate) const SUMMARY: Kind = Kind {
    name: "usage summary",
    magic: b"LICS",
    domain: b"licensing/usage-summary\0",
    begin: "-----BEGIN LICENSING USAGE SUMMARY-----",
    end: "-----END LICENSING USAGE SUMMARY-----",
};

/// Whether `bytes` are a usage summary (binary, or armored anywhere).
pub(crate) fn is_summary(bytes: &[u8]) -> bool {
    bytes.starts_with(SUMMARY.magic)
        || bytes
            .windows(SUMMARY.begin.len())
            .any(|w| w == SUMMARY.begin.as_bytes())
}

/// A limit as a report carries it: the license's value, its kind, and
/// whether it is summed across the production environments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedLimit {
    /// The limit's name.
    pub name: String,
    /// The license's value.
    pub value: u64,
    /// Hard or soft.
    pub enforcement: Enforcement,
    /// Summed across the infrastructure's production environments.
    pub summed: bool,
}

/// One environment's usage over a period: its daily peaks, with what its
/// license says. Written by [`LicenseStore::usage_report`].
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
/// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
/// # let dir = tempfile::tempdir()?;
/// # let store = licensing::LicenseStore::create(dir.path())?;
/// # store.install(&file.to_bytes(), &validator, &serial, now, false)?;
/// use licensing::UsageReport;
/// use std::collections::BTreeMap;
///
/// let usage = BTreeMap::from([("application-objects".to_string(), 300)]);
/// store.status(&validator, &serial, now, &usage)?;
/// let report = store.usage_report(&validator, &serial, now)?;
/// let text = report.to_armored();
/// let read = UsageReport::parse(text.as_bytes())?;
/// assert_eq!(read, report);
/// assert_eq!(read.latest_peaks()["application-objects"], 300);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageReport {
    /// The environment's serial number.
    pub serial_number: SerialNumber,
    /// The infrastructure's activation code.
    pub activation_code: ActivationCode,
    /// The installed license's id.
    pub license_id: LicenseId,
    /// Its revision.
    pub revision: u32,
    /// The environment's name.
    pub environment_name: String,
    /// What the environment is for.
    pub purpose: Purpose,
    /// When the report was written.
    pub created_at: Timestamp,
    /// The license's limits.
    pub limits: Vec<ReportedLimit>,
    /// The daily peaks by day (UTC), then by limit name: the period is
    /// from the first day to the last.
    pub peaks: BTreeMap<Date, BTreeMap<String, u64>>,
}

impl ReportedLimit {
    /// `license`'s limits as a report carries them.
    ///
    /// ```
    /// # let license = licensing::testing::sample_license();
    /// let limits = licensing::ReportedLimit::of(&license);
    /// let objects = limits.iter().find(|l| l.name == "application-objects").unwrap();
    /// assert!(objects.summed && objects.value == 450);
    /// ```
    pub fn of(license: &crate::License) -> Vec<Self> {
        let summed = license.summed_limits();
        license
            .limits
            .iter()
            .map(|l| ReportedLimit {
                name: l.name.clone(),
                value: l.value,
                enforcement: l.enforcement,
                summed: summed.contains(&l.name),
            })
            .collect()
    }
}

fn enforcement_byte(e: Enforcement) -> u8 {
    match e {
        Enforcement::Hard => 0,
        Enforcement::Soft => 1,
    }
}

fn enforcement_of(r: &Reader, byte: u8, field: &str) -> Result<Enforcement, ExchangeError> {
    match byte {
        0 => Ok(Enforcement::Hard),
        1 => Ok(Enforcement::Soft),
        _ => Err(r.error(field, "unknown limit kind")),
    }
}

fn bool_of(r: &Reader, byte: u8, field: &str) -> Result<bool, ExchangeError> {
    match byte {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(r.error(field, "expected 00 or 01")),
    }
}

fn day_of(r: &Reader, seconds: i64, field: &str) -> Result<Date, ExchangeError> {
    let at = Timestamp::from_unix_seconds(seconds);
    if at.date().start_of_day() != at {
        return Err(r.error(field, "not the start of a day"));
    }
    Ok(at.date())
}

impl UsageReport {
    /// The first and last days with a peak; `None` when there are none.
    ///
    /// ```
    /// # let report = licensing::testing::sample_usage_report();
    /// let (from, to) = report.period().unwrap();
    /// assert!(from <= to);
    /// ```
    pub fn period(&self) -> Option<(Date, Date)> {
        Some((*self.peaks.keys().next()?, *self.peaks.keys().next_back()?))
    }

    /// Each limit's peak on the last day it was reported.
    ///
    /// ```
    /// # let report = licensing::testing::sample_usage_report();
    /// assert_eq!(report.latest_peaks()["application-objects"], 300);
    /// ```
    pub fn latest_peaks(&self) -> BTreeMap<String, u64> {
        let mut latest = BTreeMap::new();
        for names in self.peaks.values() {
            for (name, &peak) in names {
                latest.insert(name.clone(), peak);
            }
        }
        latest
    }

    /// The file, armored and checksummed.
    ///
    /// ```
    /// # let report = licensing::testing::sample_usage_report();
    /// assert!(report.to_armored().starts_with("-----BEGIN LICENSING USAGE REPORT-----"));
    /// ```
    pub fn to_armored(&self) -> String {
        let mut w = Writer::default();
        w.bytes(&self.serial_number.to_bytes());
        w.bytes(&self.activation_code.to_bytes());
        w.bytes(&self.license_id.0);
        w.u32(self.revision);
        w.u8(crate::activation_request::purpose_byte(self.purpose));
        w.i64(self.created_at.unix_seconds());
        w.string(&self.environment_name);
        w.u16(self.limits.len() as u16);
        for l in &self.limits {
            w.string(&l.name);
            w.u64(l.value);
            w.u8(enforcement_byte(l.enforcement));
            w.u8(u8::from(l.summed));
        }
        let names: Vec<&String> = {
            let mut all: Vec<&String> = self.peaks.values().flat_map(|n| n.keys()).collect();
            all.sort();
            all.dedup();
            all
        };
        w.u16(names.len() as u16);
        for name in &names {
            w.string(name);
        }
        w.u16(self.peaks.len() as u16);
        for (day, by_name) in &self.peaks {
            w.i64(day.start_of_day().unix_seconds());
            w.u16(by_name.len() as u16);
            for (name, &peak) in by_name {
                let index = names.iter().position(|n| *n == name).expect("listed");
                w.u16(index as u16);
                w.u64(peak);
            }
        }
        REPORT.write(&w.0)
    }

    /// Reads a report; a damaged one is [`ExchangeError::Damaged`].
    ///
    /// ```
    /// use licensing::{ExchangeError, UsageReport};
    /// # let report = licensing::testing::sample_usage_report();
    /// let mut text = report.to_armored().into_bytes();
    /// text[50] ^= 0x01; // one character changed
    /// assert!(matches!(UsageReport::parse(&text), Err(ExchangeError::Damaged { .. } | ExchangeError::Malformed { .. })));
    /// ```
    pub fn parse(file: &[u8]) -> Result<Self, ExchangeError> {
        let mut buffer = Vec::new();
        let content = REPORT.read(file, &mut buffer)?;
        let mut r = Reader::new(REPORT.name, content);
        let serial_number = SerialNumber::from_bytes(&r.array("serial_number")?)
            .ok_or_else(|| r.error("serial_number", "not a serial number"))?;
        let activation_code = ActivationCode::from_bytes(&r.array("activation_code")?)
            .ok_or_else(|| r.error("activation_code", "not an activation code"))?;
        let license_id = LicenseId(r.array("license_id")?);
        let revision = r.u32("revision")?;
        let purpose = crate::activation_request::purpose_of(r.u8("purpose")?)
            .ok_or_else(|| r.error("purpose", "unknown"))?;
        let created_at = Timestamp::from_unix_seconds(r.i64("created_at")?);
        let environment_name = r.string("environment_name")?;
        let mut limits = Vec::new();
        for _ in 0..r.u16("limits")? {
            let name = r.string("limits.name")?;
            let value = r.u64("limits.value")?;
            let byte = r.u8("limits.enforcement")?;
            let enforcement = enforcement_of(&r, byte, "limits.enforcement")?;
            let byte = r.u8("limits.summed")?;
            let summed = bool_of(&r, byte, "limits.summed")?;
            limits.push(ReportedLimit {
                name,
                value,
                enforcement,
                summed,
            });
        }
        let mut names = Vec::new();
        for _ in 0..r.u16("names")? {
            names.push(r.string("names")?);
        }
        let mut peaks = BTreeMap::new();
        for _ in 0..r.u16("days")? {
            let seconds = r.i64("days.day")?;
            let day = day_of(&r, seconds, "days.day")?;
            let mut by_name = BTreeMap::new();
            for _ in 0..r.u16("days.peaks")? {
                let index = usize::from(r.u16("days.peaks.name")?);
                let name = names
                    .get(index)
                    .ok_or_else(|| r.error("days.peaks.name", "no such name"))?;
                by_name.insert(name.clone(), r.u64("days.peaks.peak")?);
            }
            peaks.insert(day, by_name);
        }
        r.end()?;
        Ok(Self {
            serial_number,
            activation_code,
            license_id,
            revision,
            environment_name,
            purpose,
            created_at,
            limits,
            peaks,
        })
    }
}

impl LicenseStore {
    /// The usage report of this environment: the installed license's
    /// identity and limits, and the daily peaks recorded (at most
    /// [`USAGE_DAYS`](crate::USAGE_DAYS) days). Refused when no license is
    /// installed, or the installed one is not valid here (the report names
    /// the license it is for); an expired license still reports.
    ///
    /// ```
    /// # let (file, key) = licensing::testing::sample_file();
    /// # let validator = licensing::Validator::new(licensing::TrustedKeys::new([key.public_key().clone()]));
    /// # let (serial, now) = (file.license().serial_number, file.license().issued_at);
    /// let dir = tempfile::tempdir()?;
    /// let store = licensing::LicenseStore::create(dir.path())?;
    /// assert!(store.usage_report(&validator, &serial, now).is_err(), "no license installed");
    /// store.install(&file.to_bytes(), &validator, &serial, now, false)?;
    /// let report = store.usage_report(&validator, &serial, now)?;
    /// assert_eq!(report.activation_code, file.license().activation_code);
    /// assert!(report.peaks.is_empty(), "no usage reported yet");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn usage_report(
        &self,
        validator: &Validator,
        serial: &SerialNumber,
        now: Timestamp,
    ) -> Result<UsageReport, StoreError> {
        let bytes = self
            .read_optional(crate::ACTIVE)?
            .ok_or_else(|| StoreError::NoLicense(self.dir().to_path_buf()))?;
        let license = match validator.validate(&bytes, serial, None, now) {
            Ok(valid) => valid.license().clone(),
            // Verified but for its dates: its usage is still worth reporting.
            Err(ValidationError::Expired { .. }) => crate::LicenseFile::parse(&bytes)
                .map_err(|e| StoreError::Invalid(e.into()))?
                .into_license(),
            Err(e) => return Err(StoreError::Invalid(e)),
        };
        Ok(UsageReport {
            serial_number: license.serial_number,
            activation_code: license.activation_code,
            license_id: license.license_id,
            revision: license.revision,
            environment_name: license.environment_name.clone(),
            purpose: license.purpose,
            created_at: now,
            limits: ReportedLimit::of(&license),
            peaks: self.daily_peaks()?,
        })
    }
}
