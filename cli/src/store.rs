//! `licensing install` and `licensing restore`: the administrator's side of
//! the license store (the directory where an environment keeps its active
//! license, the previous one, and its trial and clock record), and what the
//! store commands share: where the store is, the trusted keys, the serial.

use crate::failure::{Failure, Outcome, invalid, usage};
use crate::files;
use crate::present;
use crate::serial::report_change;
use licensing::{
    ACTIVE, Accepted, BACKUP, FINGERPRINT, Installed, LicenseStore, PlatformVersion, Replaced,
    SerialNumber, StoreError, Timestamp, Validator,
};
use std::path::PathBuf;

/// The options every store command takes.
#[derive(Debug, clap::Args)]
pub struct StoreArgs {
    /// The store's directory: license.lic (active), license.lic.bak (previous), state (trial
    /// and clock record).
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    /// The vendor's public key(s) (PEM) the runtime trusts. Always taken from here, never from
    /// the store.
    #[arg(long, value_name = "FILE")]
    pub trust: PathBuf,
    /// The environment's serial number [default: this environment's, as `licensing serial --store
    /// DIR` prints it: read from the hardware or LICENSING_IDENTITY / LICENSING_IDENTITY_FILE, and
    /// kept through a minority of hardware changes by the store's fingerprint record].
    #[arg(long)]
    pub serial: Option<SerialNumber>,
    /// Act as of this time, RFC 3339 like 2028-01-31T00:00:00Z [default: now]. For `status`, a
    /// preview: the store is judged at that time and nothing is recorded (the clock's latest time
    /// and the trial stay as they are).
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<Timestamp>,
    /// The platform version the runtime runs, like 11.14: a license whose platform version cap
    /// does not cover it is not valid here [default: not checked].
    #[arg(long, value_name = "VERSION")]
    pub platform_version: Option<PlatformVersion>,
}

/// What a store command works with, once its options are checked.
pub struct Opened {
    pub store: LicenseStore,
    pub validator: Validator,
    pub serial: SerialNumber,
    /// Where the serial came from, in words.
    pub serial_from: String,
    pub now: Timestamp,
}

impl StoreArgs {
    /// Loads the trusted keys, opens the store (creates it when `create`,
    /// else refuses a directory that holds none) and settles the serial
    /// (the store's, announced on stdout unless `quiet`).
    pub fn open(&self, quiet: bool, create: bool) -> Result<Opened, Failure> {
        let keys = files::load_trusted_keys(&self.trust)?;
        let store = if create {
            LicenseStore::create(&self.store)
        } else {
            LicenseStore::open(&self.store)
        }
        .map_err(failure)?;
        let (serial, serial_from) = match self.serial {
            Some(serial) => (serial, "--serial".to_owned()),
            None => {
                let fingerprint = store
                    .fingerprint()
                    .map_err(|e| usage(format!("no --serial given and {e}")))?;
                report_change(&store.dir().join(FINGERPRINT), &fingerprint);
                let serial = fingerprint.serial_number;
                let from = format!(
                    "this machine's, {}, kept by the store's fingerprint record",
                    fingerprint.source
                );
                if !quiet {
                    say!("serial number: {serial} ({from}; --serial not given)");
                }
                (serial, from)
            }
        };
        let mut validator = Validator::new(keys);
        if let Some(running) = &self.platform_version {
            validator = validator.with_platform_version(running.clone());
        }
        Ok(Opened {
            store,
            validator,
            serial,
            serial_from,
            now: self.at.unwrap_or_else(Timestamp::now),
        })
    }
}

/// The exit code of a store error: 1 when the license is not valid or
/// would be a downgrade, 2 for the store's files (I/O, a damaged state
/// file, nothing to restore).
pub fn failure(e: StoreError) -> Failure {
    match e {
        StoreError::Invalid(_) | StoreError::InvalidBackup(_) | StoreError::Grant(_) => invalid(e),
        StoreError::ClockResetUsed { .. } | StoreError::ClockResetTooOld { .. } => invalid(e),
        StoreError::Downgrade { .. } => invalid(format!("{e}: pass --force to downgrade")),
        StoreError::Io { .. }
        | StoreError::NoBackup(_)
        | StoreError::CorruptState(_)
        | StoreError::Identity(_)
        | StoreError::Record(_)
        | StoreError::Request(_)
        | StoreError::NoLicense(_)
        | StoreError::Exchange(_)
        | StoreError::OtherInfrastructure { .. } => usage(e),
        StoreError::NotAStore(dir) => usage(format!(
            "{} holds no license store: check the path, or create one with 'licensing init --store {}' ('licensing install' creates one too)",
            dir.display(),
            dir.display()
        )),
    }
}

/// The options of `licensing init` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The directory of the new store (created when missing).
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
}

pub fn init(args: &InitArgs) -> Outcome {
    let existed = LicenseStore::open(&args.store).is_ok();
    let store = LicenseStore::create(&args.store).map_err(failure)?;
    if existed {
        say!(
            "{} holds a license store already: left as it is",
            store.dir().display()
        );
    } else {
        say!(
            "created the license store {} (its trial starts at the first 'licensing status')",
            store.dir().display()
        );
    }
    Ok(())
}

/// The options of `licensing install` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// The license file (binary or text form); it is stored in binary form.
    file: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
    /// Install even an older revision than the installed one (a downgrade on purpose).
    #[arg(long)]
    force: bool,
}

pub fn install(args: &InstallArgs) -> Outcome {
    let bytes = files::read(&args.file, "license file")?;
    let o = args.store.open(false, true)?;
    let accepted = o
        .store
        .accept(&bytes, &o.validator, &o.serial, o.now, args.force)
        .map_err(|e| match failure(e) {
            Failure::Invalid(m) => invalid(format!("{}: {m}", args.file.display())),
            other => other,
        })?;
    let installed = match accepted {
        Accepted::License(installed) => installed,
        Accepted::TrialExtension(extension) => {
            say!(
                "installed: {} (a trial extension): the trial of serial {} runs until {}",
                args.file.display(),
                extension.serial_number(),
                extension.until()
            );
            return Ok(());
        }
        Accepted::ClockReset {
            reset,
            latest_time_seen,
        } => {
            say!(
                "applied: {} (a clock reset issued {}): the latest time seen of serial {} is now {latest_time_seen}",
                args.file.display(),
                reset.issued_at(),
                reset.serial_number(),
            );
            if latest_time_seen > reset.latest_time_seen() {
                say!(
                    "this clock is later than the reset's time: if it is still set ahead, set it right and ask the vendor for a new reset"
                );
            }
            return Ok(());
        }
        Accepted::UsageSummary(summary) => {
            say!(
                "installed: {} (the usage summary of activation code {}, made {}, {} environment(s))",
                args.file.display(),
                summary.activation_code,
                summary.created_at,
                summary.environments.len()
            );
            say!(
                "the status now judges the limits summed across production on the infrastructure's total"
            );
            return Ok(());
        }
    };
    say!(
        "installed: {} as {}",
        args.file.display(),
        o.store.dir().join(ACTIVE).display()
    );
    let revision = installed.license.license().revision;
    let replaced = match installed.replaced {
        Replaced::Damaged => format!("a damaged license (kept as {BACKUP})"),
        Replaced::Nothing => "none (no license was installed)".to_owned(),
        Replaced::Revision(old) if old > revision => format!(
            "{old} (newer: downgraded because of --force; kept as {BACKUP}, 'licensing restore' brings it back)"
        ),
        Replaced::Revision(old) => {
            format!("{old} (kept as {BACKUP}; 'licensing restore' brings it back)")
        }
    };
    describe(&installed, &replaced);
    Ok(())
}

/// The options of `licensing restore` (its help is on the command in main.rs).
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    store: StoreArgs,
}

pub fn restore(args: &RestoreArgs) -> Outcome {
    let o = args.store.open(false, false)?;
    let backup = o.store.dir().join(BACKUP);
    let installed = o
        .store
        .restore(&o.validator, &o.serial, o.now)
        .map_err(|e| match failure(e) {
            Failure::Invalid(m) => invalid(format!("cannot restore {}: {m}", backup.display())),
            other => other,
        })?;
    say!(
        "restored: {} as {}",
        backup.display(),
        o.store.dir().join(ACTIVE).display()
    );
    let replaced = match installed.replaced {
        Replaced::Revision(old) => format!("{old} (now {BACKUP}: restoring again undoes this)"),
        Replaced::Damaged => {
            format!("a damaged license (now {BACKUP}: restoring again brings it back)")
        }
        Replaced::Nothing => "none (no license was active)".to_owned(),
    };
    describe(&installed, &replaced);
    Ok(())
}

/// What is now active, and what it replaced.
fn describe(installed: &Installed, replaced: &str) {
    let l = installed.license.license();
    say!("organization: {}", l.organization);
    say!(
        "environment: {} ({}), serial number {}",
        l.environment_name,
        l.purpose,
        l.serial_number
    );
    say!("revision: {}", l.revision);
    say!("replaced revision: {replaced}");
    say!("state: {}", installed.license.state());
    say!("end date: {}", present::end_date(l.end_date()));
}
