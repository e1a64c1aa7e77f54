//! `licensing serial`: an environment's serial number, read from this
//! machine's hardware (or a pinned identity), from a directory shaped like
//! `/`, or from explicitly given components; with a fingerprint record so a
//! minority of changed components keeps the serial.

use crate::failure::{Outcome, usage};
use licensing::{
    FINGERPRINT, Fingerprint, FingerprintRecord, HardwareComponent, IDENTITY_FILE_VAR,
    IDENTITY_VAR, IdentitySource, LicenseStore, MachineIdentity, SERIAL_ALGORITHM, SerialChange,
    SerialNumber, kinds_in_words,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The options of `licensing serial` (its help text is on the command in
/// main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A hardware component as KIND=VALUE, like mac=02:fc:00:00:00:01 or
    /// machine-id=4c4c4544-0042-3510-8052-b4c04f4a4e32. Repeat for each component; order and case
    /// do not matter. Without it, this machine's hardware is read.
    #[arg(
        long = "component",
        value_name = "KIND=VALUE",
        value_parser = parse_component,
        conflicts_with_all = ["root", "record", "explain", "store"]
    )]
    components: Vec<HardwareComponent>,
    /// The license store's directory: the environment's serial as the store keeps it (its
    /// fingerprint record, fingerprint.json, is reconciled and updated there), which is the serial
    /// `install`, `restore` and `status` use without --serial, and the runtime with a NULL one.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["root", "record"])]
    store: Option<PathBuf>,
    /// Read the hardware below DIR, a directory shaped like `/` (with etc/ and sys/): a mounted
    /// host filesystem, or a test fixture. An explicit --root is always read: LICENSING_IDENTITY
    /// and LICENSING_IDENTITY_FILE are not applied.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// The fingerprint record (JSON, hashes only): reconcile with it when it exists (the serial is
    /// kept while strictly more than half of the recorded components still match), then write the
    /// updated record.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Explain the serial: each component's kind, source and short hash (never its value),
    /// whether it matches the record, the algorithm version and whether the identity is pinned.
    #[arg(long)]
    explain: bool,
}

/// KIND=VALUE. An empty value is a component all the same: the serial's
/// derivation skips it (docs/FORMAT.md section 5), as it skips a card
/// without an address.
fn parse_component(text: &str) -> Result<HardwareComponent, String> {
    match text.split_once('=') {
        Some((kind, value)) if !kind.trim().is_empty() => Ok(HardwareComponent::new(kind, value)),
        _ => Err(format!(
            "expected KIND=VALUE, like mac=02:fc:00:00:00:01; found '{text}'"
        )),
    }
}

pub fn run(args: &Args) -> Outcome {
    if !args.components.is_empty() {
        let serial = SerialNumber::from_components(&args.components).map_err(usage)?;
        say!("{serial}");
        return Ok(());
    }
    if let Some(dir) = &args.store {
        let store = LicenseStore::open(dir).map_err(crate::store::failure)?;
        let fingerprint = store.fingerprint().map_err(usage)?;
        let record = store.dir().join(FINGERPRINT);
        report_change(&record, &fingerprint);
        return show(&fingerprint, args.explain, Some(&record));
    }
    let identity = match &args.root {
        Some(root) => {
            if !root.is_dir() {
                return Err(usage(format!(
                    "--root {}: not a directory (expected one shaped like /, with etc/ and sys/)",
                    root.display()
                )));
            }
            if MachineIdentity::from_env().is_pinned() {
                note(format!(
                    "{IDENTITY_VAR} / {IDENTITY_FILE_VAR} is set but not applied: --root reads the hardware below {}",
                    root.display()
                ));
            }
            MachineIdentity::at_root(root)
        }
        None => MachineIdentity::from_env(),
    };
    let record = match &args.record {
        Some(path) => FingerprintRecord::load(path).map_err(usage)?,
        None => None,
    };
    let fingerprint = identity
        .fingerprint(record.as_ref())
        .map_err(|e| match &args.root {
            Some(root) => usage(format!("reading below {}: {e}", root.display())),
            None => usage(e),
        })?;
    if let Some(path) = &args.record {
        fingerprint.record.save(path).map_err(usage)?;
        report_change(path, &fingerprint);
    }
    show(&fingerprint, args.explain, args.record.as_deref())
}

/// Prints the serial, or its explanation.
fn show(fingerprint: &Fingerprint, explain: bool, record: Option<&Path>) -> Outcome {
    if explain {
        say!("{}", self::explain(fingerprint, record).trim_end());
    } else {
        say!("{}", fingerprint.serial_number);
    }
    Ok(())
}

/// A line on stderr, like the tool's errors.
fn note(text: impl std::fmt::Display) {
    crate::terminal::err(&text.to_string());
}

/// Says on stderr what happened to the serial against the record at
/// `path` (nothing when every recorded component is still there).
pub fn report_change(path: &Path, fingerprint: &Fingerprint) {
    let serial = fingerprint.serial_number;
    match &fingerprint.change {
        SerialChange::First => note(format!(
            "no record at {} yet: serial {serial} derived from {} components, recorded there (hashes only)",
            path.display(),
            fingerprint.record.components.len()
        )),
        SerialChange::Unchanged => {}
        SerialChange::Tolerated { changed } => note(format!(
            "kept serial {serial} although these components changed: {} (more than half of the recorded components still match)",
            kinds_in_words(changed)
        )),
        SerialChange::New { previous, changed } => note(format!(
            "the serial changed from {previous} to {serial} because these components changed: {}; register the new serial and release the old one",
            kinds_in_words(changed)
        )),
    }
}

fn explain(fingerprint: &Fingerprint, record: Option<&Path>) -> String {
    let mut text = String::new();
    let headers = ["Kind", "Source", "Hash", "Matches record"];
    let rows: Vec<[String; 4]> = fingerprint
        .components
        .iter()
        .map(|c| {
            let matched = match c.matched {
                None => "-",
                Some(true) => "yes",
                Some(false) => "no",
            };
            [
                c.kind.clone(),
                c.source.clone(),
                c.short_hash.clone(),
                matched.to_owned(),
            ]
        })
        .collect();
    let w: Vec<usize> = (0..3)
        .map(|i| crate::present::width(rows.iter().map(|r| r[i].as_str()).chain([headers[i]])))
        .collect();
    let line = |text: &mut String, r: [&str; 4]| {
        let _ = writeln!(
            text,
            "  {:<w0$}  {:<w1$}  {:<w2$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2]
        );
    };
    let _ = writeln!(text, "Components ({}):", rows.len());
    line(&mut text, headers);
    for r in &rows {
        line(&mut text, [&r[0], &r[1], &r[2], &r[3]]);
    }
    let _ = write!(text, "Algorithm:      version {SERIAL_ALGORITHM}");
    if fingerprint.record.algorithm != SERIAL_ALGORITHM {
        let _ = write!(
            text,
            " (the kept serial was made under version {})",
            fingerprint.record.algorithm
        );
    }
    let _ = writeln!(text);
    let identity = match &fingerprint.source {
        IdentitySource::Hardware(root) if root == Path::new("/") => {
            "read from this machine's hardware (not pinned)".to_owned()
        }
        IdentitySource::Hardware(root) => format!(
            "read from the hardware below {} (not pinned)",
            root.display()
        ),
        _ => {
            let from = fingerprint
                .components
                .first()
                .map_or("?", |c| c.source.as_str());
            format!("pinned, from {from}")
        }
    };
    let _ = writeln!(text, "Identity:       {identity}");
    let change = match (&fingerprint.change, record) {
        (_, None) => "none (pass --record FILE to keep the serial through hardware changes)".into(),
        (SerialChange::First, Some(p)) => format!("{} (new: first run)", p.display()),
        (SerialChange::Unchanged, Some(p)) => {
            format!("{} (every recorded component matches)", p.display())
        }
        (SerialChange::Tolerated { changed }, Some(p)) => format!(
            "{} (serial kept although these changed: {})",
            p.display(),
            kinds_in_words(changed)
        ),
        (SerialChange::New { previous, changed }, Some(p)) => format!(
            "{} (new serial: was {previous}; these changed: {})",
            p.display(),
            kinds_in_words(changed)
        ),
    };
    let _ = writeln!(text, "Record:         {change}");
    let _ = writeln!(text, "Serial number:  {}", fingerprint.serial_number);
    text
}
