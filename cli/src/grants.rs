//! `licensing trial-extension` and `licensing clock-reset`: the vendor's
//! signed grants for one environment, installed with `install`.

use crate::failure::Outcome;
use crate::files::{self, Access};
use licensing::{ClockReset, DAY, Date, SerialNumber, Timestamp, TrialExtension};
use std::path::PathBuf;

/// The options of `licensing trial-extension` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct TrialExtensionArgs {
    /// The environment's serial number.
    #[arg(long)]
    serial: SerialNumber,
    /// The last day of the extended trial, like 2027-03-31 (the trial runs through it, UTC).
    #[arg(long, value_name = "DATE")]
    until: Date,
    /// The vendor's private key (PEM).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Where to write the extension.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Overwrite the output file when it exists.
    #[arg(long)]
    force: bool,
}

pub fn trial_extension(args: &TrialExtensionArgs) -> Outcome {
    let key = files::load_signing_key(&args.key)?;
    let until = args.until.start_of_day().plus_seconds(DAY);
    let extension = TrialExtension::issue(args.serial, until, Timestamp::now(), &key);
    files::write(
        &args.out,
        &extension.to_bytes(),
        files::existing(args.force),
        Access::Normal,
    )?;
    say!(
        "trial extension for serial {} until {until} (through {}), signed by key {}: {}",
        args.serial,
        args.until,
        key.public_key().key_id(),
        args.out.display()
    );
    say!(
        "the environment installs it with: licensing install {} --store DIR --trust vendor.pub",
        args.out.display()
    );
    Ok(())
}

/// The options of `licensing clock-reset` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct ClockResetArgs {
    /// The environment's serial number.
    #[arg(long)]
    serial: SerialNumber,
    /// The vendor's private key (PEM).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Where to write the reset.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Overwrite the output file when it exists.
    #[arg(long)]
    force: bool,
}

pub fn clock_reset(args: &ClockResetArgs) -> Outcome {
    let key = files::load_signing_key(&args.key)?;
    let reset = ClockReset::issue(args.serial, Timestamp::now(), &key);
    files::write(
        &args.out,
        &reset.to_bytes(),
        files::existing(args.force),
        Access::Normal,
    )?;
    say!(
        "clock reset for serial {}: its latest time seen goes back to {} (once), signed by key {}: {}",
        args.serial,
        reset.latest_time_seen(),
        key.public_key().key_id(),
        args.out.display()
    );
    say!(
        "the environment sets its clock right, then installs it with: licensing install {} --store DIR --trust vendor.pub",
        args.out.display()
    );
    Ok(())
}
