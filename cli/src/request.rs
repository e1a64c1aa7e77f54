//! `licensing request`: the environment's activation request, written from
//! its license store, for the vendor's `licensing register --request`.

use crate::failure::Outcome;
use crate::files::{self, Access};
use crate::store::failure;
use licensing::{ActivationCode, LicenseStore, PlatformVersion, Purpose, Timestamp};
use std::path::PathBuf;

/// The options of `licensing request` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment's license store (created when missing): its serial number is the one the
    /// store keeps, as `licensing serial --store DIR` prints it.
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    /// The infrastructure's activation code (checked: a typo is refused with its position).
    #[arg(long)]
    activation_code: ActivationCode,
    /// The environment's name, like Production.
    #[arg(long)]
    name: String,
    /// development, non-production, production or management: the slot it asks for.
    #[arg(long)]
    purpose: Purpose,
    /// The platform version the environment runs, like 11.14 (for the vendor's information).
    #[arg(long, value_name = "VERSION")]
    platform_version: Option<PlatformVersion>,
    /// Where to write the request.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Overwrite FILE when it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: &Args) -> Outcome {
    let store = LicenseStore::create(&args.store).map_err(failure)?;
    let request = store
        .activation_request(
            args.activation_code,
            &args.name,
            args.purpose,
            args.platform_version.clone(),
            Timestamp::now(),
        )
        .map_err(failure)?;
    files::write(
        &args.out,
        request.to_armored().as_bytes(),
        files::existing(args.force),
        Access::Normal,
    )?;
    say!(
        "activation request for serial {} as '{}' ({}) under activation code {}: {}",
        request.serial_number,
        request.environment_name,
        request.purpose,
        request.activation_code,
        args.out.display()
    );
    say!(
        "send it to the vendor (mail, USB stick: it is text, and damage is detected); they register it with: licensing register SUBSCRIPTION --request {}",
        args.out.display()
    );
    Ok(())
}
