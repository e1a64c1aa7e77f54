//! `licensing register` and `licensing release`: environments in the
//! subscription's slots.

use crate::failure::{Outcome, usage};
use crate::files::{self, Existing};
use licensing::{Purpose, SerialNumber, Timestamp};
use std::path::PathBuf;

/// Register an environment in a free slot of its purpose.
#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// The subscription file.
    file: PathBuf,
    /// The environment's serial number (from 'licensing serial').
    #[arg(long)]
    serial: SerialNumber,
    /// The environment's name, like Production.
    #[arg(long)]
    name: String,
    /// development, non-production, production or management.
    #[arg(long)]
    purpose: Purpose,
}

/// Release an environment, freeing its slot (after a hardware change,
/// release the old serial and register the new one).
#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// The subscription file.
    file: PathBuf,
    /// The environment's serial number.
    #[arg(long)]
    serial: SerialNumber,
}

pub fn register(args: &RegisterArgs) -> Outcome {
    let mut infrastructure = files::load_infrastructure(&args.file)?;
    let environment = infrastructure
        .register(args.serial, &args.name, args.purpose, Timestamp::now())
        .map_err(|e| usage(format!("{}: {e}", args.file.display())))?;
    let done = format!(
        "registered '{}' ({}) with serial {}",
        environment.name, environment.purpose, environment.serial_number
    );
    files::save_infrastructure(&args.file, &infrastructure, Existing::Replace)?;
    say!("{done}");
    say!("{}", slots_line(&infrastructure, args.purpose));
    Ok(())
}

pub fn release(args: &ReleaseArgs) -> Outcome {
    let mut infrastructure = files::load_infrastructure(&args.file)?;
    let environment = infrastructure
        .release(&args.serial)
        .map_err(|e| usage(format!("{}: {e}", args.file.display())))?;
    files::save_infrastructure(&args.file, &infrastructure, Existing::Replace)?;
    say!(
        "released '{}' ({}) with serial {} (a license file already issued to it keeps working until it expires)",
        environment.name,
        environment.purpose,
        environment.serial_number
    );
    say!("{}", slots_line(&infrastructure, environment.purpose));
    Ok(())
}

fn slots_line(infrastructure: &licensing::Infrastructure, purpose: Purpose) -> String {
    format!(
        "{} of {} {purpose} slots used",
        infrastructure.used(purpose),
        infrastructure.subscription().terms().slots.allowed(purpose)
    )
}
