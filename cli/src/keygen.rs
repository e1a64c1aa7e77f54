//! `licensing keygen`: the vendor's key pair.

use crate::failure::{Outcome, usage};
use crate::files::{self, Access, Existing};
use licensing::SigningKey;
use std::path::PathBuf;

/// Generate the vendor's ECDSA P-256 key pair.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the private key (PKCS#8 PEM, readable by the owner only). Keep it secret.
    #[arg(long, value_name = "FILE")]
    private: PathBuf,
    /// Where to write the public key (SPKI PEM), which runtimes trust.
    #[arg(long, value_name = "FILE")]
    public: PathBuf,
    /// Overwrite existing key files (licenses signed by the old key stop validating
    /// wherever only the new public key is trusted).
    #[arg(long)]
    force: bool,
}

pub fn run(args: &Args) -> Outcome {
    if args.private == args.public {
        return Err(usage(format!(
            "--private and --public are both {}: give two different files",
            args.private.display()
        )));
    }
    let existing = if args.force {
        Existing::Replace
    } else {
        // Check both first, so a refusal never leaves one new key behind.
        for path in [&args.private, &args.public] {
            if path.exists() {
                return Err(files::refuse_existing(path));
            }
        }
        Existing::Refuse
    };
    let key = SigningKey::generate();
    let private = key.to_pkcs8_pem().map_err(usage)?;
    let public = key.public_key().to_pem().map_err(usage)?;
    files::write(
        &args.private,
        private.as_bytes(),
        existing,
        Access::OwnerOnly,
    )?;
    files::write(&args.public, public.as_bytes(), existing, Access::Normal)?;
    say!("key id: {}", key.public_key().key_id());
    say!(
        "wrote the private key to {} (keep it secret) and the public key to {} (give it to the runtimes)",
        args.private.display(),
        args.public.display()
    );
    Ok(())
}
