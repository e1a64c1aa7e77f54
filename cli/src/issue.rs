//! `licensing issue`: an environment's license file (or every registered
//! environment's), signed here with the vendor's key or prepared as a
//! signing input for an external signer; with the vendor's registry, each
//! license signed here is recorded in it.

use crate::failure::{Failure, Outcome, usage};
use crate::files::{self, Access};
use crate::registry::{Named, Source};
use licensing::{
    LicenseFile, SerialNumber, SigningKey, SigningRequest, Timestamp, issue, issue_all, license_for,
};
use std::path::{Path, PathBuf};

/// Issue the license file of a registered environment, or of every one (--all).
///
/// Either sign here (--key and --out), or write the exact bytes to sign for an external signer
/// (--public and --signing-input), then sign them elsewhere and run 'licensing attach'. With
/// --all, every registered environment's license is signed here, as DIR/SERIAL.lic. With the
/// vendor's registry, the licenses signed here are recorded in it.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    subscription: Named,
    /// The environment's serial number.
    #[arg(long, required_unless_present = "all")]
    serial: Option<SerialNumber>,
    /// Issue the license of every registered environment at the current revision, as
    /// DIR/SERIAL.lic (with --key and --out-dir).
    #[arg(
        long,
        conflicts_with_all = ["serial", "out", "pem", "signing_input", "public"],
        requires_all = ["key", "out_dir"]
    )]
    all: bool,
    /// The vendor's private key (PEM) to sign with.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["signing_input", "public"])]
    key: Option<PathBuf>,
    /// Where to write the license file (with --key).
    #[arg(long, value_name = "FILE", conflicts_with = "signing_input")]
    out: Option<PathBuf>,
    /// The folder for the license files of --all (created when missing).
    #[arg(long, value_name = "DIR", requires = "all")]
    out_dir: Option<PathBuf>,
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
    /// Overwrite the output file (with --all: the license files) when it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: &Args) -> Outcome {
    let at = args.at.unwrap_or_else(Timestamp::now);
    if args.all {
        return match (&args.key, &args.out_dir) {
            (Some(key), Some(dir)) => all(args, key, dir, at),
            // clap requires --key and --out-dir with --all.
            _ => Err(usage("--all needs --key FILE and --out-dir DIR")),
        };
    }
    let serial = args.serial.as_ref().ok_or_else(|| {
        usage("give --serial SERIAL (the environment's), or --all for every registered environment")
    })?;
    match (&args.key, &args.signing_input) {
        (Some(key), None) => {
            let out = args.out.as_deref().ok_or_else(|| {
                usage("--key signs here and needs --out FILE: where to write the license file")
            })?;
            sign_here(args, serial, key, out, at)
        }
        (None, Some(input)) => {
            let public = args.public.as_deref().ok_or_else(|| {
                usage(format!(
                    "--signing-input needs --public FILE: the signing input names the key that will sign it, so give the external signer's public key (like vendor.pub); {} was not written",
                    input.display()
                ))
            })?;
            signing_input(args, serial, public, input, at)
        }
        _ => Err(usage(
            "say how to sign: --key vendor.key --out FILE signs here; --public vendor.pub --signing-input FILE writes the bytes for an external signer",
        )),
    }
}

fn sign_here(args: &Args, serial: &SerialNumber, key: &Path, out: &Path, at: Timestamp) -> Outcome {
    let key = files::load_signing_key(key)?;
    let source = args.subscription.resolve()?;
    let infrastructure = source.infrastructure()?;
    let file = issue(&infrastructure, serial, &key, at).map_err(|e| in_source(&source, e))?;
    let size = files::save_license(out, &file, args.pem, files::existing(args.force))?;
    describe(&file);
    say!(
        "wrote {} ({size} bytes, {} form)",
        out.display(),
        if args.pem { "text" } else { "binary" }
    );
    record(args, source, std::slice::from_ref(&file))
}

/// Issues every registered environment's license into `dir`; with a
/// registry, records them all once every file is written.
fn all(args: &Args, key: &Path, dir: &Path, at: Timestamp) -> Outcome {
    let key: SigningKey = files::load_signing_key(key)?;
    let source = args.subscription.resolve()?;
    let infrastructure = source.infrastructure()?;
    let environments = infrastructure.environments();
    if environments.is_empty() {
        return Err(usage(format!(
            "{} has no registered environment, so there is no license to issue: register one first ('licensing register')",
            source.name()
        )));
    }
    let paths: Vec<PathBuf> = environments
        .iter()
        .map(|e| dir.join(format!("{}.lic", e.serial_number)))
        .collect();
    // Refused before anything is signed or written: all files, or none.
    if !args.force
        && let Some(path) = paths.iter().find(|p| p.exists())
    {
        return Err(usage(format!(
            "{} exists already: no license was issued; pass --force to overwrite the license files in {}, or choose another --out-dir",
            path.display(),
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| usage(licensing::explain_io_failure("create", dir, &e)))?;
    let issued = issue_all(&infrastructure, &key, at).map_err(|e| in_source(&source, e))?;
    for ((file, path), environment) in issued.iter().zip(&paths).zip(environments) {
        files::write(
            path,
            &file.to_bytes(),
            files::existing(args.force),
            Access::Normal,
        )?;
        say!(
            "issued {} for '{}' ({}) at revision {}",
            path.display(),
            environment.name,
            environment.purpose,
            file.license().revision
        );
    }
    record(args, source, &issued)
}

/// Records the licenses issued (and written) in the registry, in one
/// transaction; nothing to do for a subscription file.
fn record(args: &Args, source: Source, issued: &[LicenseFile]) -> Outcome {
    let Source::Registry(_, mut registry) = source else {
        return Ok(());
    };
    registry
        .record_licenses(issued, &args.subscription.operator(), Timestamp::now())
        .map_err(|e| {
            usage(format!(
                "the license file(s) were written, but the registry did not record them: {}; issue them again with --force once the registry is reachable",
                e
            ))
        })?;
    // No line of its own: `--all` prints one line per license, and
    // `licensing history CODE` shows what was recorded.
    Ok(())
}

fn signing_input(
    args: &Args,
    serial: &SerialNumber,
    public: &Path,
    input: &Path,
    at: Timestamp,
) -> Outcome {
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
    let source = args.subscription.resolve()?;
    let infrastructure = source.infrastructure()?;
    let license = license_for(&infrastructure, serial, at).map_err(|e| in_source(&source, e))?;
    let request = SigningRequest::new(license, key_id).map_err(|e| in_source(&source, e))?;
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

fn in_source(source: &Source, error: impl std::fmt::Display) -> Failure {
    usage(format!("{}: {error}", source.name()))
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
