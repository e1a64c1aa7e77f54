//! `licensing subscription`: creating, changing and showing a subscription
//! and its registered environments (one JSON file per infrastructure).

use crate::failure::{Outcome, usage};
use crate::files::{self, Existing};
use crate::present;
use crate::terms_options::TermsOptions;
use licensing::{Infrastructure, Purpose, Subscription, Terms};
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a subscription with a new activation code; prints the code.
    New(NewArgs),
    /// Change a subscription's terms: same activation code, next revision.
    Update(UpdateArgs),
    /// Show a subscription, its slots and its registered environments.
    Show(ShowArgs),
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
    /// Where to write the subscription (JSON).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Overwrite an existing file (its activation code is lost), and accept an end date before
    /// today (a subscription recorded after the fact).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The subscription file.
    file: PathBuf,
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
    /// The subscription file.
    file: PathBuf,
    /// Print the subscription file's JSON instead.
    #[arg(long)]
    json: bool,
}

pub fn run(command: Command) -> Outcome {
    match command {
        Command::New(args) => new(&args),
        Command::Update(args) => update(&args),
        Command::Show(args) => show(&args),
    }
}

fn new(args: &NewArgs) -> Outcome {
    if !args.force && args.out.exists() {
        return Err(files::refuse_existing(&args.out));
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
    let existing = if args.force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    files::save_infrastructure(&args.out, &infrastructure, existing)?;
    say!(
        "activation code: {}",
        infrastructure.subscription().activation_code()
    );
    say!("wrote {} (revision 1)", args.out.display());
    Ok(())
}

fn update(args: &UpdateArgs) -> Outcome {
    let mut infrastructure = files::load_infrastructure(&args.file)?;
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
            args.file.display(),
            infrastructure.subscription().revision()
        )));
    }
    infrastructure
        .amend(terms)
        .map_err(|e| usage(format!("{} was left unchanged: {e}", args.file.display())))?;
    files::save_infrastructure(&args.file, &infrastructure, Existing::Replace)?;
    let subscription = infrastructure.subscription();
    say!(
        "activation code: {} (unchanged)",
        subscription.activation_code()
    );
    say!("revision: {}", subscription.revision());
    if !infrastructure.environments().is_empty() {
        say!(
            "issue new licenses for the {} registered environment(s) to bring them the new terms",
            infrastructure.environments().len()
        );
    }
    Ok(())
}

fn show(args: &ShowArgs) -> Outcome {
    let infrastructure = files::load_infrastructure(&args.file)?;
    if args.json {
        let json = serde_json::to_string_pretty(&infrastructure).map_err(usage)?;
        say!("{json}");
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
    say!("Subscription {}", args.file.display());
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
