//! `licensing attach`: a license file from a signing input and the
//! signature an external signer made over it.

use crate::failure::{Outcome, invalid, usage};
use crate::files;
use licensing::{IssueError, SigningRequest};
use std::path::PathBuf;

/// Make a license file from a signing input ('licensing issue --signing-input') and its signature.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The signing input.
    request: PathBuf,
    /// The signature over the signing input: DER (as 'openssl dgst -sha256 -sign' writes) or the
    /// 64 raw bytes r||s.
    #[arg(long, value_name = "FILE")]
    signature: PathBuf,
    /// Where to write the license file.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Write the license file in its text form (BEGIN LICENSE).
    #[arg(long)]
    pem: bool,
    /// The signer's public key (PEM; several keys allowed): the signature is verified before the
    /// file is written. Recommended: a wrong signature makes a file every runtime refuses.
    #[arg(long, value_name = "FILE")]
    trust: Option<PathBuf>,
    /// Overwrite the output file when it exists.
    #[arg(long)]
    force: bool,
    /// With a registry (--registry or LICENSING_REGISTRY) that holds the subscription, the
    /// license is recorded in it, as 'issue' records the licenses it signs.
    #[command(flatten)]
    at: crate::registry::Where,
}

pub fn run(args: &Args) -> Outcome {
    let message = files::read(&args.request, "signing input")?;
    let request = SigningRequest::from_message(&message)
        .map_err(|e| usage(format!("{}: {e}", args.request.display())))?;
    let signature = files::read(&args.signature, "signature")?;
    let key = match &args.trust {
        None => None,
        Some(path) => {
            let keys = files::load_trusted_keys(path)?;
            let wanted = request.key_id();
            let key = keys.get(wanted).cloned().ok_or_else(|| {
                invalid(format!(
                    "the signing input is for key {wanted}, but {} holds {}: give the public key of the key that signed",
                    path.display(),
                    keys.key_ids()
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            Some(key)
        }
    };
    let file = request
        .attach(&signature, key.as_ref())
        .map_err(|e| match e {
            IssueError::SignatureMismatch { .. } => {
                invalid(format!("{}: {e}", args.signature.display()))
            }
            other => usage(format!("{}: {other}", args.signature.display())),
        })?;
    let size = files::save_license(&args.out, &file, args.pem, files::existing(args.force))?;
    crate::issue::describe(&file);
    say!(
        "wrote {} ({size} bytes){}",
        args.out.display(),
        if key.is_some() {
            "; the signature verifies"
        } else {
            "; the signature was not checked (pass --trust to check it)"
        }
    );
    record(args, &file)
}

/// Records the license in the registry, when one is given and holds its
/// subscription.
fn record(args: &Args, file: &licensing::LicenseFile) -> Outcome {
    let Some(mut registry) = args.at.open_if_given()? else {
        return Ok(());
    };
    let code = file.license().activation_code;
    match registry.infrastructure(&code) {
        Ok(_) => {}
        Err(licensing_registry::Error::UnknownSubscription(_)) => {
            say!(
                "not recorded: the registry {} has no subscription {code} (import its file with 'licensing registry import' to keep its licenses there)",
                registry.name()
            );
            return Ok(());
        }
        Err(e) => return Err(crate::registry::failure(e)),
    }
    registry
        .record_license(file, &args.at.operator(), licensing::Timestamp::now())
        .map_err(|e| {
            usage(format!(
                "{} was written, but the registry did not record it: {e}",
                args.out.display()
            ))
        })?;
    say!("recorded in the registry {}", registry.name());
    Ok(())
}
