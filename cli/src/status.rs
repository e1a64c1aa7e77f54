//! `licensing status`: what an administrator's licensing page shows (the
//! license, each feature and limit with its usage, the standing, the
//! warnings) and the decisions the runtime enforces: run, publish,
//! administer.

use crate::failure::{Outcome, invalid, usage};
use crate::present;
use crate::store::{StoreArgs, failure};
use licensing::{Decision, License, LicenseState, LimitStatus, Standing, Status, Usage, Warning};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The options of `licensing status` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// Print one JSON object instead.
    #[arg(long)]
    json: bool,
    /// The current usage of a limit, like internal-users=95 (repeat, or separate with commas).
    #[arg(
        long = "usage",
        value_name = "LIMIT=N",
        value_parser = parse_usage,
        value_delimiter = ',',
        num_args = 1..
    )]
    usage: Vec<(String, u64)>,
}

fn parse_usage(text: &str) -> Result<(String, u64), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not LIMIT=N (like internal-users=95)"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("'{text}' names no limit: use LIMIT=N"));
    }
    let value = value
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("the usage of {name} must be a whole number, not '{value}'"))?;
    Ok((name.to_owned(), value))
}

pub fn run(args: &Args) -> Outcome {
    let mut usage_by_name = BTreeMap::new();
    for (name, value) in &args.usage {
        if usage_by_name.insert(name.clone(), *value).is_some() {
            return Err(usage(format!(
                "--usage {name} is given twice: give each limit's usage once"
            )));
        }
    }
    let o = args.store.open(args.json, false)?;
    // A time given is a preview: judged then, nothing recorded.
    let status = match args.store.at {
        Some(at) => o.store.preview(&o.validator, &o.serial, at, &usage_by_name),
        None => o
            .store
            .status(&o.validator, &o.serial, o.now, &usage_by_name),
    }
    .map_err(failure)?;
    // An expired license's terms are worth showing, marked expired.
    let license = match &status.standing {
        Standing::Expired(expired) => Some(&**expired),
        _ => status.license.as_ref().map(|v| v.license()),
    };
    let enforced = matches!(
        status.standing,
        Standing::Licensed(_) | Standing::Trial { .. }
    );
    if enforced {
        for name in usage_by_name.keys() {
            if !status.limits.iter().any(|l| &l.limit.name == name) {
                let known: Vec<&str> = status
                    .limits
                    .iter()
                    .map(|l| l.limit.name.as_str())
                    .collect();
                crate::terminal::err(&format!(
                    "note: no limit is named {name} (the limits: {}); its usage was ignored",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ));
            }
        }
    }
    let serial = o.serial.to_string();
    if args.json {
        let mut value = to_json(&status, license, &serial);
        value["store"] = o.store.dir().display().to_string().into();
        value["serial_number_from"] = o.serial_from.into();
        say!("{}", crate::terminal::json(&value));
    } else {
        say!("{}", page(&status, license, &serial).trim_end());
    }
    let run = &status.decisions.run;
    if run.allowed {
        Ok(())
    } else {
        Err(invalid(format!(
            "this environment may not run applications: {}",
            run.reason
        )))
    }
}

/// The standing in words.
fn standing_text(standing: &Standing) -> String {
    match standing {
        Standing::Licensed(state) => format!("licensed, {}", *state),
        Standing::Expired(_) => "expired: the license and its grace period are over".to_owned(),
        Standing::Invalid(e) => format!("not valid here: {e}"),
        Standing::Trial { days_left } => format!("trial: {days_left} days left"),
        Standing::TrialOver => "trial over: no license is installed".to_owned(),
    }
}

/// The standing's name and days left, for JSON.
fn standing_kind(standing: &Standing) -> (&'static str, Option<u32>) {
    match standing {
        Standing::Licensed(LicenseState::Active) => ("active", None),
        Standing::Licensed(LicenseState::ExpiringSoon { days_left }) => {
            ("expiring-soon", Some(*days_left))
        }
        Standing::Licensed(LicenseState::InGrace { days_left }) => ("in-grace", Some(*days_left)),
        Standing::Expired(_) => ("expired", None),
        Standing::Invalid(_) => ("invalid", None),
        Standing::Trial { days_left } => ("trial", Some(*days_left)),
        Standing::TrialOver => ("trial-over", None),
    }
}

/// A usage level in words, and its JSON name.
fn level(level: Usage) -> (&'static str, &'static str) {
    match level {
        Usage::Unlimited => ("no such limit", "unlimited"),
        Usage::Within => ("within the limit", "within"),
        Usage::Near => ("near the limit (90% or more)", "near"),
        Usage::OverSoftLimit => ("OVER the soft limit", "over-soft-limit"),
        Usage::OverHardLimit => ("OVER the hard limit", "over-hard-limit"),
    }
}

fn warning_kind(warning: &Warning) -> &'static str {
    match warning {
        Warning::ExpiresSoon { .. } => "expires-soon",
        Warning::InGrace { .. } => "in-grace",
        Warning::Expired => "expired",
        Warning::Invalid(_) => "invalid",
        Warning::TrialEndsSoon { .. } => "trial-ends-soon",
        Warning::TrialOver => "trial-over",
        Warning::OverLimit { .. } => "over-limit",
        Warning::SerialChanged { .. } => "serial-changed",
        Warning::StateAltered { .. } => "state-altered",
        Warning::StateNotSaved { .. } => "state-not-saved",
        Warning::ClockBehind { .. } => "clock-behind",
    }
}

fn yes_no(decision: &Decision) -> &'static str {
    if decision.allowed { "yes" } else { "no" }
}

/// The licensing page, as text.
fn page(status: &Status, license: Option<&License>, serial: &str) -> String {
    let mut page = String::new();
    let mut rows = vec![
        ("Standing", standing_text(&status.standing)),
        ("Judged at", status.judged_at.to_string()),
    ];
    match license {
        Some(l) => rows.extend([
            ("Organization", l.organization.clone()),
            ("Edition", l.edition.clone()),
            ("License type", l.license_type.to_string()),
            ("Activation code", l.activation_code.to_string()),
            ("Serial number", serial.to_owned()),
            ("End date", present::end_date(l.end_date())),
            ("Revision", l.revision.to_string()),
        ]),
        None => rows.extend([
            ("License", no_license(&status.standing).to_owned()),
            ("Serial number", serial.to_owned()),
        ]),
    }
    for (label, value) in rows {
        let _ = writeln!(page, "{label:<17}{value}");
    }

    let mut table: Vec<[String; 3]> = status.limits.iter().map(limit_row).collect();
    table.extend(
        status
            .features
            .iter()
            .map(|f| [f.clone(), "enabled".to_owned(), String::new()]),
    );
    let header = ["Feature / Limit", "Value", "Usage"];
    let widths =
        [0, 1].map(|i| present::width(table.iter().map(|row| row[i].as_str()).chain([header[i]])));
    let [w0, w1] = widths;
    let _ = writeln!(page);
    let _ = writeln!(
        page,
        "{:<w0$}  {:<w1$}  {}",
        header[0], header[1], header[2]
    );
    let _ = writeln!(
        page,
        "{}  {}  {}",
        "-".repeat(w0),
        "-".repeat(w1),
        "-".repeat(12)
    );
    if table.is_empty() {
        let _ = writeln!(page, "(none)");
    }
    for [name, value, used] in &table {
        let _ = writeln!(
            page,
            "{}",
            format!("{name:<w0$}  {value:<w1$}  {used}").trim_end()
        );
    }

    let _ = writeln!(page);
    let _ = writeln!(page, "Warnings");
    if status.warnings.is_empty() {
        let _ = writeln!(page, "  none");
    }
    for warning in &status.warnings {
        let _ = writeln!(page, "  ! {warning}");
    }

    let _ = writeln!(page);
    let _ = writeln!(page, "Decisions");
    let d = &status.decisions;
    for (name, decision) in [
        ("run", &d.run),
        ("publish", &d.publish),
        ("administer", &d.administer),
    ] {
        let _ = writeln!(
            page,
            "  {name:<12}{:<5}{}",
            yes_no(decision),
            decision.reason
        );
    }
    page
}

/// What the License line says when no valid license is shown.
fn no_license(standing: &Standing) -> &'static str {
    match standing {
        Standing::Trial { .. } => "none installed: the trial runs (no features)",
        Standing::TrialOver => "none installed, and the trial is over",
        Standing::Invalid(_) => "installed, but not valid for this environment",
        Standing::Expired(_) | Standing::Licensed(_) => "expired",
    }
}

fn limit_row(l: &LimitStatus) -> [String; 3] {
    let used = match (&l.summed, l.usage, l.level) {
        (Some(summed), Some(used), Some(lv)) => format!(
            "{used} here, {} across {} production environments (usage summary of {}): {}",
            summed.total.unwrap_or(used),
            summed.environments,
            summed.summary_made,
            level(lv).0
        ),
        (Some(summed), None, _) => format!(
            "- here, {} in the other {} production environment(s) (usage summary of {})",
            summed.others,
            summed.environments - 1,
            summed.summary_made
        ),
        (None, Some(used), Some(lv)) => format!("{used}: {}", level(lv).0),
        _ => "-".to_owned(),
    };
    [
        l.limit.name.clone(),
        format!("{} ({})", l.limit.value, l.limit.enforcement),
        used,
    ]
}

fn decision_json(decision: &Decision) -> Value {
    json!({ "allowed": decision.allowed, "reason": decision.reason })
}

fn warning_json(warning: &Warning) -> Value {
    let mut value = json!({ "kind": warning_kind(warning), "message": warning.to_string() });
    match warning {
        Warning::ExpiresSoon { days }
        | Warning::InGrace { days }
        | Warning::TrialEndsSoon { days } => value["days"] = (*days).into(),
        Warning::OverLimit {
            name,
            usage,
            value: limit,
            enforcement,
        } => {
            value["limit"] = name.clone().into();
            value["usage"] = (*usage).into();
            value["value"] = (*limit).into();
            value["enforcement"] = enforcement.to_string().into();
        }
        Warning::SerialChanged {
            previous,
            current,
            changed,
        } => {
            value["previous"] = previous.to_string().into();
            value["current"] = current.to_string().into();
            value["changed"] = changed.clone().into();
        }
        Warning::StateAltered { since, reason } => {
            value["since"] = since.to_string().into();
            value["reason"] = reason.clone().into();
        }
        Warning::StateNotSaved { reason } => value["reason"] = reason.clone().into(),
        Warning::ClockBehind { now, latest_seen } => {
            value["now"] = now.to_string().into();
            value["latest_seen"] = latest_seen.to_string().into();
        }
        Warning::Invalid(reason) => value["reason"] = reason.clone().into(),
        Warning::Expired | Warning::TrialOver => {}
    }
    value
}

/// The licensing page as one JSON object.
fn to_json(status: &Status, license: Option<&License>, serial: &str) -> Value {
    let (kind, days_left) = standing_kind(&status.standing);
    let reason = match &status.standing {
        Standing::Invalid(e) => Some(e.to_string()),
        _ => None,
    };
    let license = license.map(|l| {
        json!({
            "organization": l.organization,
            "edition": l.edition,
            "license_type": l.license_type.to_string(),
            "activation_code": l.activation_code.to_string(),
            "serial_number": l.serial_number.to_string(),
            "environment_name": l.environment_name,
            "purpose": l.purpose.as_str(),
            "license_id": l.license_id.to_string(),
            "revision": l.revision,
            "end_date": present::end_date(l.end_date()),
            "expires_at": l.expires_at.map(|t| t.to_string()),
            "grace_ends_at": l.grace_ends_at().map(|t| t.to_string()),
        })
    });
    let d = &status.decisions;
    json!({
        "serial_number": serial,
        "judged_at": status.judged_at.to_string(),
        "standing": {
            "state": kind,
            "days_left": days_left,
            "text": standing_text(&status.standing),
            "reason": reason,
        },
        "license": license,
        "features": status.features,
        "limits": status.limits.iter().map(|l| json!({
            "name": l.limit.name,
            "value": l.limit.value,
            "enforcement": l.limit.enforcement.to_string(),
            "usage": l.usage,
            "level": l.level.map(|lv| level(lv).1),
            "summed": l.summed.as_ref().map(|s| json!({
                "others": s.others,
                "environments": s.environments,
                "total": s.total,
                "summary_made": s.summary_made.to_string(),
            })),
        })).collect::<Vec<_>>(),
        "warnings": status.warnings.iter().map(warning_json).collect::<Vec<_>>(),
        "decisions": {
            "run": decision_json(&d.run),
            "publish": decision_json(&d.publish),
            "administer": decision_json(&d.administer),
        },
    })
}
