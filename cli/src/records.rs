//! `licensing find`, `history` and `export`: what the vendor's registry
//! records about a subscription (they need `--registry` or
//! `LICENSING_REGISTRY`).

use crate::failure::{Outcome, invalid, usage};
use crate::files;
use crate::registry::{Location, failure};
use licensing::{ActivationCode, SerialNumber};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct FindArgs {
    /// A serial number or an activation code.
    #[arg(value_name = "SERIAL_OR_CODE")]
    code: String,
    #[command(flatten)]
    at: Location,
}

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// The subscription's activation code.
    code: ActivationCode,
    #[command(flatten)]
    at: Location,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The subscription's activation code.
    code: ActivationCode,
    /// Where to write it [default: standard output].
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Overwrite FILE when it exists.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    at: Location,
}

pub fn find(args: &FindArgs) -> Outcome {
    let registry = args.at.open_for("find")?;
    // Read here, so that a typo is told as one (not as a record not found).
    if SerialNumber::parse(&args.code).is_err()
        && let Err(e) = ActivationCode::parse(&args.code)
    {
        let serial = SerialNumber::parse(&args.code)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        return Err(usage(format!(
            "{} is neither a serial number ({serial}) nor an activation code ({e}): give one of them",
            args.code
        )));
    }
    let found = registry.find(&args.code).map_err(failure)?.ok_or_else(|| {
        invalid(format!(
            "{} is not in the registry: no subscription has that activation code, no environment that serial number",
            args.code
        ))
    })?;
    say!("subscription {}", found.activation_code);
    if let Some(e) = &found.environment {
        say!(
            "environment '{}' ({}), serial {}, registered {}",
            e.name,
            e.purpose,
            e.serial_number,
            e.registered_at
        );
    }
    if let Some((id, revision, issued)) = &found.latest_license {
        say!("latest license {id}, revision {revision}, issued {issued}");
    }
    Ok(())
}

pub fn history(args: &HistoryArgs) -> Outcome {
    let registry = args.at.open_for("history")?;
    for entry in registry.history(&args.code).map_err(failure)? {
        say!("{}  {}  {}", entry.at, entry.operator, entry.what);
    }
    Ok(())
}

pub fn export(args: &ExportArgs) -> Outcome {
    let registry = args.at.open_for("export")?;
    let code = &args.code;
    let infrastructure = registry.infrastructure(code).map_err(failure)?;
    match &args.out {
        Some(path) => {
            files::save_infrastructure(path, &infrastructure, files::existing(args.force))?;
            say!("exported {code} to {}", path.display());
        }
        None => {
            // Escaped as JSON (\uXXXX), so that the text stays JSON.
            let value = serde_json::to_value(&infrastructure)
                .map_err(|e| usage(format!("cannot write {code} as JSON: {e}")))?;
            say!("{}", crate::terminal::json(&value));
        }
    }
    Ok(())
}
