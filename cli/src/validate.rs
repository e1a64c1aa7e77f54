//! `licensing validate`: the runtime's check of a license file, from the
//! command line.

use crate::failure::{Outcome, invalid, usage};
use crate::files;
use crate::present;
use licensing::{
    ActivationCode, MachineIdentity, PlatformVersion, SerialNumber, Timestamp, Validator,
};
use std::path::PathBuf;

/// Check a license file the way the runtime does: trusted key, signature, activation code,
/// serial number, platform version and dates. Exit 1 when it is not valid.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The license file (binary or text form).
    file: PathBuf,
    /// The vendor's public key(s) (PEM) the runtime trusts.
    #[arg(long, value_name = "FILE")]
    trust: PathBuf,
    /// The environment's serial number [default: this machine's, as `licensing serial` prints it,
    /// honoring LICENSING_IDENTITY and LICENSING_IDENTITY_FILE]. On a front-end server, pass the
    /// serial its controller published.
    #[arg(long)]
    serial: Option<SerialNumber>,
    /// The infrastructure's activation code, if the license must belong to it.
    #[arg(long)]
    activation_code: Option<ActivationCode>,
    /// Check as of this time, RFC 3339 like 2028-01-31T00:00:00Z [default: now].
    #[arg(long, value_name = "RFC3339")]
    at: Option<Timestamp>,
    /// The platform version the runtime runs, like 11.15: a license whose platform version cap
    /// does not cover it is not valid [default: not checked].
    #[arg(long, value_name = "VERSION")]
    platform_version: Option<PlatformVersion>,
}

pub fn run(args: &Args) -> Outcome {
    let keys = files::load_trusted_keys(&args.trust)?;
    let bytes = files::read(&args.file, "license file")?;
    let at = args.at.unwrap_or_else(Timestamp::now);
    let serial = match args.serial {
        Some(serial) => serial,
        None => this_machine()?,
    };
    let mut validator = Validator::new(keys);
    if let Some(running) = &args.platform_version {
        validator = validator.with_platform_version(running.clone());
    }
    let valid = validator
        .validate(&bytes, &serial, args.activation_code.as_ref(), at)
        .map_err(|e| invalid(format!("{}: {e}", args.file.display())))?;
    let license = valid.license();
    say!("valid: {}", valid.state());
    say!(
        "license {} revision {} for '{}' ({}), signed by key {}",
        license.license_id,
        license.revision,
        license.environment_name,
        license.purpose,
        valid.key_id()
    );
    if let (Some(cap), None) = (&license.max_platform_version, &args.platform_version) {
        say!("platform version cap {cap} not checked: pass --platform-version");
    }
    say!();
    say!("{}", present::licensing_page(license).trim_end());
    Ok(())
}

/// This machine's serial number, announced on stdout with where it came
/// from (no `--serial` was given).
pub fn this_machine() -> Result<SerialNumber, crate::failure::Failure> {
    let identity = MachineIdentity::from_env();
    let serial = identity
        .serial()
        .map_err(|e| usage(format!("no --serial given and {e}")))?;
    say!(
        "serial number: {serial} (this machine's, {}; --serial not given)",
        identity.source()
    );
    Ok(serial)
}
