//! How licenses and their parts are shown to people: states, end dates and
//! the licensing page an administrator sees.

use licensing::{Date, License, PlatformVersion, Scope};
use std::fmt::Write as _;

/// The widest of `names`, for aligned columns.
pub fn width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names.map(|n| n.chars().count()).max().unwrap_or(0)
}

/// A limit's scope in words.
pub fn scope(scope: Scope) -> &'static str {
    match scope {
        Scope::AllEnvironments => "all environments",
        Scope::ProductionOnly => "production only, summed across them",
    }
}

/// A subscription's last day, or `Never`.
pub fn end_date(end: Option<Date>) -> String {
    end.map_or_else(|| "Never".to_owned(), |d| d.to_string())
}

/// A platform version cap in words.
pub fn platform_cap(cap: Option<&PlatformVersion>) -> String {
    cap.map_or_else(|| "any".to_owned(), |v| format!("up to {v}"))
}

/// The license as an administrator's licensing page shows it.
pub fn licensing_page(license: &License) -> String {
    let mut page = String::new();
    let rows = [
        ("Organization", license.organization.clone()),
        ("Edition", license.edition.clone()),
        ("License type", license.license_type.to_string()),
        ("Activation code", license.activation_code.to_string()),
        ("Serial number", license.serial_number.to_string()),
        ("End date", end_date(license.end_date())),
        (
            "Platform version",
            platform_cap(license.max_platform_version.as_ref()),
        ),
    ];
    for (label, value) in rows {
        let _ = writeln!(page, "{label:<17}{value}");
    }
    let mut table: Vec<(String, String)> = license
        .limits
        .iter()
        .map(|l| (l.name.clone(), format!("{} ({})", l.value, l.enforcement)))
        .collect();
    table.extend(
        license
            .features
            .iter()
            .map(|f| (f.clone(), "enabled".to_owned())),
    );
    let header = "Feature / Limit";
    let width = width(table.iter().map(|(n, _)| n.as_str()).chain([header]));
    let _ = writeln!(page);
    let _ = writeln!(page, "{header:<width$}  Value");
    let _ = writeln!(page, "{}  {}", "-".repeat(width), "-".repeat(12));
    if table.is_empty() {
        let _ = writeln!(page, "{:<width$}  ", "(none)");
    }
    for (name, value) in table {
        let _ = writeln!(page, "{name:<width$}  {value}");
    }
    page
}
