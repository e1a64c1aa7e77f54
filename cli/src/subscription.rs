//! `licensing subscription`: creating, changing, showing and listing
//! subscriptions and their registered environments: one JSON file per
//! infrastructure, or the vendor's registry.

use crate::failure::{Failure, Outcome, usage};
use crate::files::{self, Existing};
use crate::present;
use crate::registry::{self, Location, Named, Source, failure};
use crate::terms_options::TermsOptions;
use licensing::{Infrastructure, Purpose, Subscription, Terms, Timestamp};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a subscription with a new activation code (a JSON file, or in the vendor's
    /// registry); prints the code.
    New(NewArgs),
    /// Change a subscription's terms: same activation code, next revision.
    Update(UpdateArgs),
    /// Show a subscription, its slots and its registered environments.
    Show(ShowArgs),
    /// The registry's subscriptions, sorted by organization.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The customer's organization.
    #[arg(long)]
    organization: String,
    /// The edition, like Enterprise.
    #[arg(long)]
    edition: String,
    /// The support level, like premium.
    #[arg(long)]
    support: String,
    #[command(flatten)]
    terms: TermsOptions,
    /// Where to write the subscription (JSON). Required unless a registry is given.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Store the subscription in the vendor's registry instead of a file: a SQLite file, or a
    /// postgres:// URL [default: $LICENSING_REGISTRY, when --out is not given].
    #[arg(long, value_name = "LOCATION")]
    registry: Option<String>,
    /// Who creates it, for the registry's history [default: the OS user].
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,
    /// Overwrite an existing file (its activation code is lost), and accept an end date before
    /// today (a subscription recorded after the fact).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    subscription: Named,
    /// A new organization name.
    #[arg(long)]
    organization: Option<String>,
    /// A new edition.
    #[arg(long)]
    edition: Option<String>,
    /// A new support level.
    #[arg(long)]
    support: Option<String>,
    #[command(flatten)]
    terms: TermsOptions,
    /// Accept an end date before today (a subscription recorded after the fact).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    #[command(flatten)]
    subscription: Named,
    /// Print the subscription's JSON (its file's content) instead.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only organizations whose name contains this text (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    organization: Option<String>,
    /// Only subscriptions ending within this many days from today (or ended already).
    #[arg(long, value_name = "DAYS")]
    expiring_within: Option<u32>,
    /// Print one JSON array instead.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    at: Location,
}

pub fn run(command: Command) -> Outcome {
    match command {
        Command::New(args) => new(&args),
        Command::Update(args) => update(&args),
        Command::Show(args) => show(&args),
        Command::List(args) => list(&args),
    }
}

/// Where `subscription new` puts the subscription.
enum Destination<'a> {
    File(&'a std::path::Path),
    Registry(String),
}

fn new(args: &NewArgs) -> Outcome {
    // An explicit --registry conflicts with --out; LICENSING_REGISTRY
    // applies only when --out is not given.
    let destination = match (&args.out, &args.registry) {
        (Some(_), Some(_)) => {
            return Err(usage(
                "give --out FILE (the subscription's JSON file) or --registry LOCATION (the vendor's registry), not both",
            ));
        }
        (Some(out), None) => Destination::File(out),
        (None, Some(location)) => Destination::Registry(location.clone()),
        (None, None) => Destination::Registry(
            std::env::var("LICENSING_REGISTRY")
                .ok()
                .filter(|l| !l.trim().is_empty())
                .ok_or_else(|| {
                    usage(
                        "say where the new subscription goes: --out FILE (its JSON file), or --registry LOCATION (the vendor's registry; or set LICENSING_REGISTRY)",
                    )
                })?,
        ),
    };
    if let Destination::File(out) = destination
        && !args.force
        && out.exists()
    {
        return Err(files::refuse_existing(out));
    }
    let mut terms = Terms::new(
        args.organization.trim(),
        args.edition.trim(),
        args.support.trim(),
    );
    args.terms.apply(&mut terms)?;
    crate::terms_options::check_end(None, &terms, args.force)?;
    let subscription = Subscription::new(terms).map_err(usage)?;
    let infrastructure = Infrastructure::new(subscription);
    let code = infrastructure.subscription().activation_code();
    match destination {
        Destination::File(out) => {
            files::save_infrastructure(out, &infrastructure, files::existing(args.force))?;
            say!("activation code: {code}");
            say!("wrote {} (revision 1)", out.display());
        }
        Destination::Registry(location) => {
            let mut registry = licensing_registry::Registry::open(&location).map_err(failure)?;
            registry
                .import(
                    &infrastructure,
                    &registry::operator(args.operator.as_deref()),
                    Timestamp::now(),
                )
                .map_err(failure)?;
            say!("activation code: {code}");
            say!("stored in the registry {} (revision 1)", registry.name());
        }
    }
    Ok(())
}

/// The terms after `args`' changes; refused when nothing would change.
fn changed_terms(
    args: &UpdateArgs,
    source: &Source,
    infrastructure: &Infrastructure,
) -> Result<Terms, Failure> {
    let before = infrastructure.subscription().terms().clone();
    let mut terms = before.clone();
    for (field, value) in [
        (&mut terms.organization, &args.organization),
        (&mut terms.edition, &args.edition),
        (&mut terms.support, &args.support),
    ] {
        if let Some(value) = value {
            *field = value.trim().to_owned();
        }
    }
    args.terms.apply(&mut terms)?;
    crate::terms_options::check_end(before.ends, &terms, args.force)?;
    if terms == before {
        return Err(usage(format!(
            "nothing to change in {}: the options given match the current terms (revision {} stays); see 'licensing subscription update --help'",
            source.name(),
            infrastructure.subscription().revision()
        )));
    }
    Ok(terms)
}

fn update(args: &UpdateArgs) -> Outcome {
    let mut source = args.subscription.resolve()?;
    let mut infrastructure = source.infrastructure()?;
    let terms = changed_terms(args, &source, &infrastructure)?;
    match &mut source {
        Source::File(path) => {
            infrastructure
                .amend(terms)
                .map_err(|e| usage(format!("{} was left unchanged: {e}", path.display())))?;
            files::save_infrastructure(path, &infrastructure, Existing::Replace)?;
        }
        Source::Registry(code, registry) => {
            // Made from the revision read above: refused if another
            // operator changed it meanwhile (no change is lost).
            let based_on = infrastructure.subscription().revision();
            infrastructure = registry
                .update_terms(
                    code,
                    based_on,
                    terms,
                    &args.subscription.operator(),
                    Timestamp::now(),
                )
                .map_err(|e| usage(format!("{code} was left unchanged: {}", e)))?;
        }
    }
    let subscription = infrastructure.subscription();
    let name = source.name();
    if let Source::Registry(..) = source {
        say!(
            "{name} is at revision {}: issue new licenses for its {} registered environment(s) to bring them the new terms (licensing issue {name} --all --key vendor.key --out-dir DIR --registry ...)",
            subscription.revision(),
            infrastructure.environments().len()
        );
        return Ok(());
    }
    say!(
        "activation code: {} (unchanged)",
        subscription.activation_code()
    );
    say!("revision: {}", subscription.revision());
    if !infrastructure.environments().is_empty() {
        say!(
            "issue new licenses for the {} registered environment(s) to bring them the new terms (licensing issue {name} --all --key vendor.key --out-dir DIR)",
            infrastructure.environments().len()
        );
    }
    Ok(())
}

fn show(args: &ShowArgs) -> Outcome {
    let source = args.subscription.resolve()?;
    let infrastructure = source.infrastructure()?;
    if args.json {
        // Escaped as JSON (\uXXXX), so that the text stays JSON.
        let value = serde_json::to_value(&infrastructure).map_err(usage)?;
        say!("{}", crate::terminal::json(&value));
        return Ok(());
    }
    let subscription = infrastructure.subscription();
    let terms = subscription.terms();
    let rows = [
        (
            "Activation code",
            subscription.activation_code().to_string(),
        ),
        ("Revision", subscription.revision().to_string()),
        ("Organization", terms.organization.clone()),
        ("Edition", terms.edition.clone()),
        ("Support", terms.support.clone()),
        (
            "Ends",
            terms
                .ends
                .map_or_else(|| "never".to_owned(), |d| d.to_string()),
        ),
        ("Grace period", format!("{} days", terms.grace_days)),
        (
            "Platform version",
            present::platform_cap(terms.max_platform_version.as_ref()),
        ),
    ];
    say!("Subscription {}", source.name());
    for (label, value) in rows {
        say!("  {label:<17}{value}");
    }
    say!("  Slots (used / allowed)");
    for purpose in Purpose::ALL {
        say!(
            "    {:<15}{} / {}",
            purpose.as_str(),
            infrastructure.used(purpose),
            terms.slots.allowed(purpose)
        );
    }
    say!("  Limits");
    if terms.limits.is_empty() {
        say!("    none");
    }
    let width = present::width(terms.limits.keys().map(String::as_str));
    for (name, limit) in &terms.limits {
        say!(
            "    {name:<width$}  {}  {}  {}",
            limit.value,
            limit.enforcement,
            present::scope(limit.scope)
        );
    }
    say!("  Features");
    if terms.features.is_empty() {
        say!("    none");
    }
    for feature in &terms.features {
        say!("    {feature}");
    }
    say!("  Registered environments");
    if infrastructure.environments().is_empty() {
        say!("    none (licensing register)");
    }
    let width = present::width(
        infrastructure
            .environments()
            .iter()
            .map(|e| e.name.as_str()),
    );
    for environment in infrastructure.environments() {
        say!(
            "    {:<width$}  {:<14}  {}  registered {}",
            environment.name,
            environment.purpose.as_str(),
            environment.serial_number,
            environment.registered_at
        );
    }
    Ok(())
}

fn list(args: &ListArgs) -> Outcome {
    let registry = args.at.open_for("subscription list")?;
    let by = args.expiring_within.map(|days| {
        Timestamp::now()
            .plus_seconds(i64::from(days) * licensing::DAY)
            .date()
    });
    let rows = registry
        .list(args.organization.as_deref(), by)
        .map_err(failure)?;
    if args.json {
        let value: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "activation_code": r.activation_code.to_string(),
                    "organization": r.organization,
                    "ends": r.ends.map(|d| d.to_string()),
                    "revision": r.revision,
                    "environments": r.environments,
                })
            })
            .collect();
        say!("{}", crate::terminal::json(&json!(value)));
        return Ok(());
    }
    for r in &rows {
        say!(
            "{}  {}  ends {}  revision {}  {} environment(s)",
            r.activation_code,
            r.organization,
            present::end_date(r.ends),
            r.revision,
            r.environments
        );
    }
    if rows.is_empty() {
        say!("no subscription matches");
    }
    Ok(())
}
