//! The options that set a subscription's terms, shared by `subscription
//! new` and `subscription update`, and how they change a [`Terms`].

use crate::failure::{Failure, usage};
use licensing::limit::{EXTERNAL_USERS, INTERNAL_USERS};
use licensing::{Date, Enforcement, LimitTerms, PlatformVersion, Purpose, Terms};

/// A subscription's end: a date or never.
#[derive(Debug, Clone, Copy)]
pub struct End(pub Option<Date>);

/// Slot counts by purpose, as given on the command line.
#[derive(Debug, Clone)]
pub struct SlotCounts(pub Vec<(Purpose, u16)>);

/// A platform version cap: a version or none.
#[derive(Debug, Clone)]
pub struct Cap(pub Option<PlatformVersion>);

/// A limit as given on the command line: `NAME=VALUE[:hard|:soft]`.
#[derive(Debug, Clone)]
pub struct LimitArg {
    pub name: String,
    pub value: u64,
    pub enforcement: Option<Enforcement>,
}

/// The terms options. In `subscription update`, only the options given
/// change anything.
#[derive(Debug, Clone, clap::Args)]
pub struct TermsOptions {
    /// The last day of the subscription, like 2027-12-31, or "never".
    #[arg(long, value_name = "DATE|never", value_parser = parse_end)]
    pub end: Option<End>,
    /// Days a license keeps working after the end, so a renewal can arrive [new default: 30].
    #[arg(long, value_name = "DAYS")]
    pub grace_days: Option<u16>,
    /// Environment slots, like development=1,non-production=1,production=1. Purposes not named
    /// keep their count (0 for a new subscription).
    #[arg(long, value_name = "PURPOSE=N,...", value_parser = parse_slots)]
    pub slots: Option<SlotCounts>,
    /// The internal-users limit.
    #[arg(long, value_name = "N")]
    pub internal_users: Option<u64>,
    /// The external-users limit.
    #[arg(long, value_name = "N")]
    pub external_users: Option<u64>,
    /// Sets a limit, like application-objects=450:hard. Without :hard or :soft, an existing
    /// limit keeps its kind; a new one gets its name's default (application-objects hard and
    /// production only, others soft on all environments). Repeatable.
    #[arg(long = "limit", value_name = "NAME=VALUE[:hard|:soft]", value_parser = parse_limit)]
    pub limits: Vec<LimitArg>,
    /// Removes a limit. Repeatable.
    #[arg(long = "remove-limit", value_name = "NAME")]
    pub remove_limits: Vec<String>,
    /// A feature, like multi-tenancy. Repeatable or comma-separated; when given, these are all
    /// the features (replacing the current set).
    #[arg(long = "feature", value_name = "NAME", value_delimiter = ',')]
    pub features: Vec<String>,
    /// Adds a feature to the current set. Repeatable or comma-separated.
    #[arg(long = "add-feature", value_name = "NAME", value_delimiter = ',')]
    pub add_features: Vec<String>,
    /// Removes a feature from the current set. Repeatable or comma-separated.
    #[arg(long = "remove-feature", value_name = "NAME", value_delimiter = ',')]
    pub remove_features: Vec<String>,
    /// The newest platform version the subscription covers, like 11.14 (which covers 11.14.x and
    /// every earlier version; compared part by part, so 11.9 < 11.14), or "none" to remove the
    /// cap. Licenses with a cap need runtimes of licensing 0.4 or later.
    #[arg(long, value_name = "VERSION|none", value_parser = parse_cap)]
    pub max_platform_version: Option<Cap>,
}

fn parse_cap(text: &str) -> Result<Cap, String> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(Cap(None));
    }
    text.parse::<PlatformVersion>()
        .map(|v| Cap(Some(v)))
        .map_err(|e| format!("{e}, or \"none\""))
}

fn parse_end(text: &str) -> Result<End, String> {
    if text.trim().eq_ignore_ascii_case("never") {
        return Ok(End(None));
    }
    text.parse::<Date>()
        .map(|d| End(Some(d)))
        .map_err(|e| format!("{e}, nor \"never\""))
}

fn parse_slots(text: &str) -> Result<SlotCounts, String> {
    let mut counts = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (purpose, count) = part.split_once('=').ok_or_else(|| {
            format!(
                "expected PURPOSE=N, like production=1; found '{part}' (the whole value should look like development=1,non-production=1,production=1)"
            )
        })?;
        let purpose: Purpose = purpose.parse().map_err(|e| format!("{e}"))?;
        if purpose == Purpose::Management {
            return Err(
                "the management environment always has exactly one slot: give development, non-production or production slots".into(),
            );
        }
        let count = count.trim().parse::<u16>().map_err(|_| {
            format!("expected a number of {purpose} slots from 0 to 65535, found '{count}'")
        })?;
        counts.push((purpose, count));
    }
    if counts.is_empty() {
        return Err(
            "expected PURPOSE=N,..., like development=1,non-production=1,production=1".into(),
        );
    }
    Ok(SlotCounts(counts))
}

fn parse_limit(text: &str) -> Result<LimitArg, String> {
    let expected = || {
        format!(
            "expected NAME=VALUE[:hard|:soft], like application-objects=450:hard; found '{text}'"
        )
    };
    let (name, rest) = text.split_once('=').ok_or_else(expected)?;
    let (value, enforcement) = match rest.split_once(':') {
        Some((value, kind)) => (value, Some(kind.parse::<Enforcement>()?)),
        None => (rest, None),
    };
    let value = value
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("{}: the value '{value}' is not a whole number", expected()))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(expected());
    }
    Ok(LimitArg {
        name: name.to_owned(),
        value,
        enforcement,
    })
}

/// Refuses a new end date before today unless `force` (the core's rule,
/// `Terms::check_end`); an end date that did not change is not checked.
pub fn check_end(before: Option<Date>, terms: &Terms, force: bool) -> Result<(), Failure> {
    if force || terms.ends == before {
        return Ok(());
    }
    terms
        .check_end(licensing::Timestamp::now().date())
        .map_err(usage)
}

impl TermsOptions {
    /// Changes `terms` as the options say.
    pub fn apply(&self, terms: &mut Terms) -> Result<(), Failure> {
        if let Some(End(ends)) = self.end {
            terms.ends = ends;
        }
        if let Some(days) = self.grace_days {
            terms.grace_days = days;
        }
        if let Some(Cap(cap)) = &self.max_platform_version {
            terms.max_platform_version = cap.clone();
        }
        if let Some(SlotCounts(counts)) = &self.slots {
            for &(purpose, count) in counts {
                match purpose {
                    Purpose::Development => terms.slots.development = count,
                    Purpose::NonProduction => terms.slots.non_production = count,
                    Purpose::Production => terms.slots.production = count,
                    Purpose::Management => {}
                }
            }
        }
        for name in &self.remove_limits {
            if terms.limits.remove(name).is_none() {
                return Err(usage(format!(
                    "--remove-limit {name}: the subscription has no such limit (it has: {})",
                    list(terms.limits.keys())
                )));
            }
        }
        let named = [
            (INTERNAL_USERS, self.internal_users),
            (EXTERNAL_USERS, self.external_users),
        ];
        let limits = self
            .limits
            .iter()
            .map(|l| (l.name.as_str(), l.value, l.enforcement));
        let named = named
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name, v, None)));
        for (name, value, enforcement) in limits.chain(named) {
            // An existing limit keeps its kind and scope; a new one gets
            // its name's defaults.
            let current = terms
                .limits
                .get(name)
                .copied()
                .unwrap_or_else(|| LimitTerms::with_defaults(name, value));
            let enforcement = enforcement.unwrap_or(current.enforcement);
            let scope = current.scope;
            terms.limits.insert(
                name.to_owned(),
                LimitTerms {
                    value,
                    enforcement,
                    scope,
                },
            );
        }
        if !self.features.is_empty() {
            terms.features = self.features.iter().map(|f| f.trim().to_owned()).collect();
        }
        for feature in &self.add_features {
            terms.features.insert(feature.trim().to_owned());
        }
        for feature in &self.remove_features {
            if !terms.features.remove(feature.trim()) {
                return Err(usage(format!(
                    "--remove-feature {feature}: the subscription has no such feature (it has: {})",
                    list(terms.features.iter())
                )));
            }
        }
        Ok(())
    }
}

fn list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}
