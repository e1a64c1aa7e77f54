//! `licensing issue`: an environment's license file, signed here with the
//! vendor's key or prepared as a signing input for an external signer.

use crate::failure::{Failure, Outcome, usage};
use crate::files::{self, Access};
use licensing::{LicenseFile, SerialNumber, SigningRequest, Timestamp, issue, license_for};
use std::path::{Path, PathBuf};

/// Issue the license file of a registered environment.
///
/// Either sign here (--key and --out), or write the exact bytes to sign for an external signer
/// (--public and --signing-input), then sign them elsewhere and run 'licensing attach'.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The subscription file.
    file: PathBuf,
    /// The environment's serial number.
    #[arg(long)]
    serial: SerialNumber,
    /// The vendor's private key (PEM) to sign with.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["signing_input", "public"])]
    key: Option<PathBuf>,
    /// Where to write the license file (with --key).
    #[arg(long, value_name = "FILE", conflicts_with = "signing_input")]
    out: Option<PathBuf>,
    /// Write the license file in its text form (BEGIN LICENSE), for mail and copy-paste.
    #[arg(long, conflicts_with = "signing_input")]
    pem: bool,
    /// The external signer's public key (PEM): its key id goes into the signing input.
    #[arg(long, value_name = "FILE")]
    public: Option<PathBuf>,
    /// Where to write the bytes an external signer must sign (instead of signing here).
    #[arg(long, value_name = "FILE")]
    signing_input: Option<PathBuf>,
    /// The issue time, RFC 3339 like 2026-01-31T12:00:00Z [default: now]. The license is valid
    /// from then.
    #[arg(long, value_name = "RFC3339")]
    at: Option<Timestamp>,
    /// Overwrite the output file when it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: &Args) -> Outcome {
    let at = args.at.unwrap_or_else(Timestamp::now);
    match (&args.key, &args.signing_input) {
        (Some(key), None) => {
            let out = args.out.as_deref().ok_or_else(|| {
                usage("--key signs here and needs --out FILE: where to write the license file")
            })?;
            sign_here(args, key, out, at)
        }
        (None, Some(input)) => {
            let public = args.public.as_deref().ok_or_else(|| {
                usage(format!(
                    "--signing-input needs --public FILE: the signing input names the key that will sign it, so give the external signer's public key (like vendor.pub); {} was not written",
                    input.display()
                ))
            })?;
            signing_input(args, public, input, at)
        }
        _ => Err(usage(
            "say how to sign: --key vendor.key --out FILE signs here; --public vendor.pub --signing-input FILE writes the bytes for an external signer",
        )),
    }
}

fn sign_here(args: &Args, key: &Path, out: &Path, at: Timestamp) -> Outcome {
    let key = files::load_signing_key(key)?;
    let infrastructure = files::load_infrastructure(&args.file)?;
    let file = issue(&infrastructure, &args.serial, &key, at).map_err(|e| in_file(args, e))?;
    let size = files::save_license(out, &file, args.pem, files::existing(args.force))?;
    describe(&file);
    say!(
        "wrote {} ({size} bytes, {} form)",
        out.display(),
        if args.pem { "text" } else { "binary" }
    );
    Ok(())
}

fn signing_input(args: &Args, public: &Path, input: &Path, at: Timestamp) -> Outcome {
    let keys = files::load_trusted_keys(public)?;
    let key_id = match keys.key_ids().as_slice() {
        [one] => *one,
        many => {
            return Err(usage(format!(
                "{} holds {} public keys: give a file with only the external signer's key",
                public.display(),
                many.len()
            )));
        }
    };
    let infrastructure = files::load_infrastructure(&args.file)?;
    let license = license_for(&infrastructure, &args.serial, at).map_err(|e| in_file(args, e))?;
    let request = SigningRequest::new(license, key_id).map_err(|e| in_file(args, e))?;
    files::write(
        input,
        &request.message(),
        files::existing(args.force),
        Access::Normal,
    )?;
    let license = request.license();
    say!(
        "wrote the signing input for '{}' (serial {}, revision {}) to {} ({} bytes), to be signed by key {key_id}",
        license.environment_name,
        license.serial_number,
        license.revision,
        input.display(),
        request.message().len()
    );
    say!(
        "sign it with ECDSA P-256 / SHA-256, for example: openssl dgst -sha256 -sign vendor.key -out sig.der {}",
        input.display()
    );
    say!(
        "then: licensing attach {} --signature sig.der --trust {} --out LICENSE-FILE",
        input.display(),
        public.display()
    );
    Ok(())
}

fn in_file(args: &Args, error: impl std::fmt::Display) -> Failure {
    usage(format!("{}: {error}", args.file.display()))
}

/// One line about an issued license file.
pub fn describe(file: &LicenseFile) {
    let license = file.license();
    say!(
        "issued license {} for '{}' ({} license, serial {}), revision {}, signed by key {}",
        license.license_id,
        license.environment_name,
        license.license_type,
        license.serial_number,
        license.revision,
        file.key_id()
    );
}
