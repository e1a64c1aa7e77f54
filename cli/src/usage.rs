//! `licensing usage-report` (on an environment: its daily peaks, as a
//! file) and `licensing usage-summary` (on the management environment or
//! at the vendor's: an infrastructure's reports summed).

use crate::failure::{Failure, Outcome, invalid, usage};
use crate::files::{self, Access};
use crate::present;
use crate::store::{StoreArgs, failure};
use licensing::{Usage, UsageReport, UsageSummary};
use serde_json::json;
use std::path::PathBuf;

/// The options of `licensing usage-report` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Where to write the report.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Overwrite FILE when it exists.
    #[arg(long)]
    force: bool,
}

/// The options of `licensing usage-summary` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct SummaryArgs {
    /// The environments' usage reports (of one infrastructure).
    #[arg(required = true, value_name = "REPORT")]
    reports: Vec<PathBuf>,
    /// Print one JSON object instead.
    #[arg(long)]
    json: bool,
    /// Also write the summary, for production environments' stores (`licensing install`).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Overwrite FILE when it exists.
    #[arg(long)]
    force: bool,
}

pub fn report(args: &ReportArgs) -> Outcome {
    let o = args.store.open(false, false)?;
    let report = o
        .store
        .usage_report(&o.validator, &o.serial, o.now)
        .map_err(failure)?;
    files::write(
        &args.out,
        report.to_armored().as_bytes(),
        files::existing(args.force),
        Access::Normal,
    )?;
    let period = report.period().map_or_else(
        || "no usage recorded yet".to_owned(),
        |(from, to)| format!("daily peaks from {from} to {to}"),
    );
    say!(
        "usage report of '{}' ({}, serial {}), license {} revision {}: {period}: {}",
        report.environment_name,
        report.purpose,
        report.serial_number,
        report.license_id,
        report.revision,
        args.out.display()
    );
    Ok(())
}

pub fn summary(args: &SummaryArgs) -> Outcome {
    let mut reports = Vec::new();
    for path in &args.reports {
        let bytes = files::read(path, "usage report")?;
        reports.push(
            UsageReport::parse(&bytes).map_err(|e| usage(format!("{}: {e}", path.display())))?,
        );
    }
    let summary =
        UsageSummary::from_reports(&reports, licensing::Timestamp::now()).map_err(usage)?;
    if let Some(out) = &args.out {
        files::write(
            out,
            summary.to_armored().as_bytes(),
            files::existing(args.force),
            Access::Normal,
        )?;
    }
    if args.json {
        say!("{}", crate::terminal::json(&to_json(&summary)));
    } else {
        print(&summary, args.out.as_ref());
    }
    let exceeded = summary.exceeded_hard_limits();
    if exceeded.is_empty() {
        Ok(())
    } else {
        Err(over(&exceeded))
    }
}

fn over(exceeded: &[&licensing::SummedTotal]) -> Failure {
    let list: Vec<String> = exceeded
        .iter()
        .map(|t| format!("{} {} of {}", t.limit.name, t.total, t.limit.value))
        .collect();
    invalid(format!(
        "over a hard limit summed across the production environments: {}; publishing is blocked on the production environments given this summary",
        list.join(", ")
    ))
}

fn level_text(level: Usage) -> &'static str {
    match level {
        Usage::Unlimited => "unlimited",
        Usage::Within => "within",
        Usage::Near => "near the limit",
        Usage::OverSoftLimit => "over the soft limit",
        Usage::OverHardLimit => "OVER THE HARD LIMIT",
    }
}

fn print(summary: &UsageSummary, out: Option<&PathBuf>) {
    say!(
        "Usage summary of activation code {}",
        summary.activation_code
    );
    say!("Environments");
    for e in &summary.environments {
        let day = e.latest_day.map_or_else(
            || "no usage recorded".to_owned(),
            |d| format!("peaks of {d}"),
        );
        let peaks: Vec<String> = e.peaks.iter().map(|(n, p)| format!("{n} {p}")).collect();
        say!(
            "  {} '{}' ({}), reported {}: {day}: {}",
            e.serial_number,
            e.environment_name,
            e.purpose,
            e.reported_at,
            if peaks.is_empty() {
                "-".to_owned()
            } else {
                peaks.join(", ")
            }
        );
    }
    say!("Limits summed across the production environments");
    if summary.totals.is_empty() {
        say!("  none");
    }
    let width = present::width(summary.totals.iter().map(|t| t.limit.name.as_str()));
    for t in &summary.totals {
        say!(
            "  {:<width$}  {} of {} ({}): {}",
            t.limit.name,
            t.total,
            t.limit.value,
            t.limit.enforcement,
            level_text(t.level())
        );
    }
    if let Some(out) = out {
        say!(
            "summary written to {}: install it on each production environment (licensing install {} --store DIR --trust vendor.pub)",
            out.display(),
            out.display()
        );
    }
}

fn to_json(summary: &UsageSummary) -> serde_json::Value {
    json!({
        "activation_code": summary.activation_code.to_string(),
        "created_at": summary.created_at.to_string(),
        "environments": summary.environments.iter().map(|e| json!({
            "serial_number": e.serial_number.to_string(),
            "environment_name": e.environment_name,
            "purpose": e.purpose.as_str(),
            "reported_at": e.reported_at.to_string(),
            "latest_day": e.latest_day.map(|d| d.to_string()),
            "peaks": e.peaks,
        })).collect::<Vec<_>>(),
        "totals": summary.totals.iter().map(|t| json!({
            "name": t.limit.name,
            "value": t.limit.value,
            "enforcement": t.limit.enforcement.to_string(),
            "total": t.total,
            "over_hard_limit": t.level() == Usage::OverHardLimit,
        })).collect::<Vec<_>>(),
    })
}
