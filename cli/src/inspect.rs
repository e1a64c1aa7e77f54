//! `licensing inspect`: every field of a license file, and optionally
//! whether a trusted key signed it.

use crate::failure::{Outcome, invalid};
use crate::files;
use crate::present;
use licensing::{LicenseFile, TrustedKeys};
use serde_json::json;
use std::path::PathBuf;

/// Show every field of a license file (binary or text form).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The license file.
    file: PathBuf,
    /// Print one JSON object instead.
    #[arg(long)]
    json: bool,
    /// The vendor's public key(s) (PEM): also check the signature; exit 1 when it does not
    /// verify.
    #[arg(long, value_name = "FILE")]
    trust: Option<PathBuf>,
}

/// The outcome of checking the signature.
enum Signature {
    NotChecked,
    Verifies,
    UnknownKey,
    DoesNotVerify,
}

pub fn run(args: &Args) -> Outcome {
    let (bytes, file) = files::load_license(&args.file)?;
    let signature = match &args.trust {
        None => Signature::NotChecked,
        Some(path) => check(&file, &files::load_trusted_keys(path)?),
    };
    let text = !bytes.starts_with(&licensing::MAGIC);
    if args.json {
        let json = to_json(&file, bytes.len(), text, &signature);
        say!("{}", crate::terminal::json(&json));
    } else {
        print(&file, bytes.len(), text, &signature);
    }
    let trust = args.trust.as_deref().map(|p| p.display().to_string());
    let trust = trust.unwrap_or_default();
    match signature {
        Signature::NotChecked | Signature::Verifies => Ok(()),
        Signature::UnknownKey => Err(invalid(format!(
            "{} is signed by key {}, which is not in {trust}",
            args.file.display(),
            file.key_id()
        ))),
        Signature::DoesNotVerify => Err(invalid(format!(
            "the signature of {} does not verify with key {} from {trust}: the file was altered or damaged",
            args.file.display(),
            file.key_id()
        ))),
    }
}

fn check(file: &LicenseFile, keys: &TrustedKeys) -> Signature {
    match keys.get(file.key_id()) {
        None => Signature::UnknownKey,
        Some(key) if file.is_signed_by(key) => Signature::Verifies,
        Some(_) => Signature::DoesNotVerify,
    }
}

fn signature_text(signature: &Signature) -> &'static str {
    match signature {
        Signature::NotChecked => "not checked (pass --trust vendor.pub)",
        Signature::Verifies => "verifies",
        Signature::UnknownKey => "signed by a key that is not trusted",
        Signature::DoesNotVerify => "DOES NOT VERIFY: the file was altered or damaged",
    }
}

fn print(file: &LicenseFile, size: usize, text: bool, signature: &Signature) {
    let l = file.license();
    let expires = match l.expires_at {
        None => "never".to_owned(),
        Some(t) => format!(
            "{t} (the subscription ends {})",
            present::end_date(l.end_date())
        ),
    };
    let grace = match l.grace_ends_at() {
        None => l.grace_days.to_string(),
        Some(t) => format!("{} (grace ends {t})", l.grace_days),
    };
    let form = if text { "text" } else { "binary" };
    let rows = [
        ("File", format!("{size} bytes, {form} form")),
        ("Format version", file.version().to_string()),
        ("Key id", file.key_id().to_string()),
        ("Signature", signature_text(signature).to_owned()),
        ("License id", l.license_id.to_string()),
        ("Revision", l.revision.to_string()),
        ("Issued at", l.issued_at.to_string()),
        ("Not before", l.not_before.to_string()),
        ("Expires at", expires),
        ("Grace days", grace),
        ("Activation code", l.activation_code.to_string()),
        ("Serial number", l.serial_number.to_string()),
        ("Environment", l.environment_name.clone()),
        ("Purpose", l.purpose.to_string()),
        ("License type", l.license_type.to_string()),
        ("Organization", l.organization.clone()),
        ("Edition", l.edition.clone()),
        ("Support", l.support.clone()),
        (
            "Platform version",
            present::platform_cap(l.max_platform_version.as_ref()),
        ),
        ("Summed limits", summed(l)),
    ];
    for (label, value) in rows {
        say!("{label:<17}{value}");
    }
    say!("Limits");
    if l.limits.is_empty() {
        say!("  none");
    }
    let width = present::width(l.limits.iter().map(|x| x.name.as_str()));
    for limit in &l.limits {
        say!(
            "  {:<width$}  {}  {}",
            limit.name,
            limit.value,
            limit.enforcement
        );
    }
    say!("Features");
    if l.features.is_empty() {
        say!("  none");
    }
    for feature in &l.features {
        say!("  {feature}");
    }
    if !l.other_extensions.is_empty() {
        say!("Unknown extensions (ignored by this runtime)");
        for e in &l.other_extensions {
            say!("  tag {}: {} bytes", e.tag, e.data.len());
        }
    }
}

/// The limits summed across production environments, in words.
fn summed(l: &licensing::License) -> String {
    let names = l.summed_limits();
    if names.is_empty() {
        "none".into()
    } else {
        format!("{} (across the production environments)", names.join(", "))
    }
}

fn to_json(
    file: &LicenseFile,
    size: usize,
    text: bool,
    signature: &Signature,
) -> serde_json::Value {
    let l = file.license();
    let verified = match signature {
        Signature::NotChecked => serde_json::Value::Null,
        Signature::Verifies => true.into(),
        Signature::UnknownKey | Signature::DoesNotVerify => false.into(),
    };
    json!({
        "format_version": file.version(),
        "key_id": file.key_id().to_string(),
        "size": size,
        "form": if text { "text" } else { "binary" },
        "signature_verified": verified,
        "license_id": l.license_id.to_string(),
        "revision": l.revision,
        "issued_at": l.issued_at.to_string(),
        "not_before": l.not_before.to_string(),
        "expires_at": l.expires_at.map(|t| t.to_string()),
        "grace_days": l.grace_days,
        "grace_ends_at": l.grace_ends_at().map(|t| t.to_string()),
        "activation_code": l.activation_code.to_string(),
        "serial_number": l.serial_number.to_string(),
        "environment_name": l.environment_name,
        "purpose": l.purpose.as_str(),
        "license_type": l.license_type.to_string(),
        "organization": l.organization,
        "edition": l.edition,
        "support": l.support,
        "limits": l.limits.iter().map(|x| json!({
            "name": x.name,
            "value": x.value,
            "enforcement": x.enforcement.to_string(),
        })).collect::<Vec<_>>(),
        "features": l.features,
        "max_platform_version": l.max_platform_version.as_ref().map(ToString::to_string),
        "summed_limits": l.summed_limits(),
        "unknown_extensions": l.other_extensions.iter().map(|e| json!({
            "tag": e.tag,
            "critical": e.critical,
            "size": e.data.len(),
        })).collect::<Vec<_>>(),
    })
}
