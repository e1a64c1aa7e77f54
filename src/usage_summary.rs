//! The usage summary of an infrastructure: its environments' latest peaks,
//! brought together from their usage reports, and the totals of the limits
//! summed across the production environments (docs/FORMAT.md section
//! 13.4). A production environment's store given the summary judges those
//! limits on the infrastructure's total.

use crate::exchange::{ExchangeError, Reader, Writer};
use crate::usage_report::{SUMMARY, UsageReport};
use crate::{ActivationCode, Date, Enforcement, Limit, Purpose, SerialNumber, Timestamp, Usage};
use std::collections::BTreeMap;

/// One environment in a summary: its latest peaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryEnvironment {
    /// Its serial number.
    pub serial_number: SerialNumber,
    /// Its name.
    pub environment_name: String,
    /// What it is for (only production environments count in the totals).
    pub purpose: Purpose,
    /// When its report was written.
    pub reported_at: Timestamp,
    /// The last day its report has a peak for.
    pub latest_day: Option<Date>,
    /// Each limit's peak on the last day it was reported.
    pub peaks: BTreeMap<String, u64>,
}

/// A limit summed across the production environments, and its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummedTotal {
    /// The limit (its value and kind as the production licenses carry it).
    pub limit: Limit,
    /// The sum of the production environments' latest peaks.
    pub total: u64,
}

impl SummedTotal {
    /// How the total compares with the limit.
    ///
    /// ```
    /// # let summary = licensing::testing::sample_usage_summary(300, 300);
    /// assert_eq!(summary.totals[0].level(), licensing::Usage::OverHardLimit);
    /// ```
    pub fn level(&self) -> Usage {
        self.limit.check(self.total)
    }
}

/// Reports that cannot be summed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SummaryError {
    /// No report was given.
    #[error("no usage report given: give the reports of the infrastructure's environments")]
    NoReports,
    /// The reports belong to different infrastructures.
    #[error(
        "the reports belong to different infrastructures: the first is of activation code {first}, the report of serial {serial} is of {other}; sum the reports of one infrastructure at a time"
    )]
    MixedInfrastructures {
        /// The first report's activation code.
        first: ActivationCode,
        /// The other code.
        other: ActivationCode,
        /// The environment whose report has it.
        serial: SerialNumber,
    },
}

/// An infrastructure's usage, summed from its environments' reports.
///
/// ```
/// let summary = licensing::testing::sample_usage_summary(300, 300);
/// let objects = &summary.totals[0];
/// assert_eq!((objects.limit.name.as_str(), objects.total, objects.limit.value), ("application-objects", 600, 450));
/// assert_eq!(summary.exceeded_hard_limits().len(), 1);
/// let again = licensing::UsageSummary::parse(summary.to_armored().as_bytes())?;
/// assert_eq!(again, summary);
/// # Ok::<(), licensing::ExchangeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageSummary {
    /// The infrastructure's activation code.
    pub activation_code: ActivationCode,
    /// When the summary was made.
    pub created_at: Timestamp,
    /// Each environment reported (the latest report of each serial).
    pub environments: Vec<SummaryEnvironment>,
    /// The summed limits and their totals, by name.
    pub totals: Vec<SummedTotal>,
}

impl UsageSummary {
    /// Sums `reports`: they must all be of one activation code; of several
    /// reports of one serial, the latest counts; each environment's latest
    /// peak counts; a limit is summed when a production environment's
    /// license says so, with the value of the newest revision.
    ///
    /// ```
    /// use licensing::{SummaryError, UsageSummary};
    /// assert_eq!(UsageSummary::from_reports(&[], licensing::Timestamp::now()), Err(SummaryError::NoReports));
    /// ```
    pub fn from_reports(reports: &[UsageReport], now: Timestamp) -> Result<Self, SummaryError> {
        let first = reports.first().ok_or(SummaryError::NoReports)?;
        let mut latest: BTreeMap<SerialNumber, &UsageReport> = BTreeMap::new();
        for report in reports {
            if report.activation_code != first.activation_code {
                return Err(SummaryError::MixedInfrastructures {
                    first: first.activation_code,
                    other: report.activation_code,
                    serial: report.serial_number,
                });
            }
            let entry = latest.entry(report.serial_number).or_insert(report);
            if report.created_at > entry.created_at {
                *entry = report;
            }
        }
        let production: Vec<&UsageReport> = latest
            .values()
            .copied()
            .filter(|r| r.purpose == Purpose::Production)
            .collect();
        // The summed limits, as the newest production license says them.
        let mut limits: BTreeMap<String, (u32, Limit)> = BTreeMap::new();
        for report in &production {
            for l in report.limits.iter().filter(|l| l.summed) {
                let limit = Limit::new(l.name.clone(), l.value, l.enforcement);
                match limits.get(&l.name) {
                    Some((revision, _)) if *revision >= report.revision => {}
                    _ => {
                        limits.insert(l.name.clone(), (report.revision, limit));
                    }
                }
            }
        }
        let totals = limits
            .into_values()
            .map(|(_, limit)| SummedTotal {
                total: production
                    .iter()
                    .map(|r| r.latest_peaks().get(&limit.name).copied().unwrap_or(0))
                    .fold(0u64, u64::saturating_add),
                limit,
            })
            .collect();
        let environments = latest
            .values()
            .map(|r| SummaryEnvironment {
                serial_number: r.serial_number,
                environment_name: r.environment_name.clone(),
                purpose: r.purpose,
                reported_at: r.created_at,
                latest_day: r.period().map(|(_, to)| to),
                peaks: r.latest_peaks(),
            })
            .collect();
        Ok(Self {
            activation_code: first.activation_code,
            created_at: now,
            environments,
            totals,
        })
    }

    /// The summed hard limits whose total is over their value.
    ///
    /// ```
    /// # use licensing::testing::sample_usage_summary;
    /// assert!(sample_usage_summary(200, 200).exceeded_hard_limits().is_empty());
    /// assert_eq!(sample_usage_summary(300, 300).exceeded_hard_limits()[0].total, 600);
    /// ```
    pub fn exceeded_hard_limits(&self) -> Vec<&SummedTotal> {
        self.totals
            .iter()
            .filter(|t| t.level() == Usage::OverHardLimit)
            .collect()
    }

    /// The summed limit `name`'s usage in the production environments
    /// other than `this`, and how many they are.
    ///
    /// ```
    /// # let summary = licensing::testing::sample_usage_summary(300, 200);
    /// let first = summary.environments[0].serial_number;
    /// let (others, count) = summary.others("application-objects", &first);
    /// assert_eq!(count, 1);
    /// assert_eq!(others + summary.environments[0].peaks["application-objects"], 500);
    /// ```
    pub fn others(&self, name: &str, this: &SerialNumber) -> (u64, usize) {
        let others: Vec<u64> = self
            .environments
            .iter()
            .filter(|e| e.purpose == Purpose::Production && e.serial_number != *this)
            .map(|e| e.peaks.get(name).copied().unwrap_or(0))
            .collect();
        (
            others.iter().copied().fold(0u64, u64::saturating_add),
            others.len(),
        )
    }

    /// The file, armored and checksummed.
    pub fn to_armored(&self) -> String {
        let mut w = Writer::default();
        w.bytes(&self.activation_code.to_bytes());
        w.i64(self.created_at.unix_seconds());
        w.u16(self.environments.len() as u16);
        for e in &self.environments {
            w.bytes(&e.serial_number.to_bytes());
            w.string(&e.environment_name);
            w.u8(crate::activation_request::purpose_byte(e.purpose));
            w.i64(e.reported_at.unix_seconds());
            w.i64(
                e.latest_day
                    .map_or(i64::MIN, |d| d.start_of_day().unix_seconds()),
            );
            w.u16(e.peaks.len() as u16);
            for (name, &peak) in &e.peaks {
                w.string(name);
                w.u64(peak);
            }
        }
        w.u16(self.totals.len() as u16);
        for t in &self.totals {
            w.string(&t.limit.name);
            w.u64(t.limit.value);
            w.u8(match t.limit.enforcement {
                Enforcement::Hard => 0,
                Enforcement::Soft => 1,
            });
            w.u64(t.total);
        }
        SUMMARY.write(&w.0)
    }

    /// Reads a summary; a damaged one is [`ExchangeError::Damaged`].
    pub fn parse(file: &[u8]) -> Result<Self, ExchangeError> {
        let mut buffer = Vec::new();
        let content = SUMMARY.read(file, &mut buffer)?;
        let mut r = Reader::new(SUMMARY.name, content);
        let activation_code = ActivationCode::from_bytes(&r.array("activation_code")?)
            .ok_or_else(|| r.error("activation_code", "not an activation code"))?;
        let created_at = Timestamp::from_unix_seconds(r.i64("created_at")?);
        let mut environments = Vec::new();
        for _ in 0..r.u16("environments")? {
            let serial_number = SerialNumber::from_bytes(&r.array("serial_number")?)
                .ok_or_else(|| r.error("serial_number", "not a serial number"))?;
            let environment_name = r.string("environment_name")?;
            let purpose = crate::activation_request::purpose_of(r.u8("purpose")?)
                .ok_or_else(|| r.error("purpose", "unknown"))?;
            let reported_at = Timestamp::from_unix_seconds(r.i64("reported_at")?);
            let latest_day = match r.i64("latest_day")? {
                i64::MIN => None,
                s => Some(Timestamp::from_unix_seconds(s).date()),
            };
            let mut peaks = BTreeMap::new();
            for _ in 0..r.u16("peaks")? {
                let name = r.string("peaks.name")?;
                peaks.insert(name, r.u64("peaks.peak")?);
            }
            environments.push(SummaryEnvironment {
                serial_number,
                environment_name,
                purpose,
                reported_at,
                latest_day,
                peaks,
            });
        }
        let mut totals = Vec::new();
        for _ in 0..r.u16("totals")? {
            let name = r.string("totals.name")?;
            let value = r.u64("totals.value")?;
            let enforcement = match r.u8("totals.enforcement")? {
                0 => Enforcement::Hard,
                1 => Enforcement::Soft,
                _ => return Err(r.error("totals.enforcement", "unknown limit kind")),
            };
            let total = r.u64("totals.total")?;
            totals.push(SummedTotal {
                limit: Limit::new(name, value, enforcement),
                total,
            });
        }
        r.end()?;
        Ok(Self {
            activation_code,
            created_at,
            environments,
            totals,
        })
    }
}
