//! `licensing`: the vendor's and the administrator's command-line tool for
//! signed offline license files. Run `licensing --help`, or `licensing demo`
//! for a tour of the whole flow.
//!
//! Exit codes: 0 success, 1 the license (or a signature) is not valid
//! (for `status`: the environment may not run), 2 bad usage or bad input
//! (including files that cannot be read).

/// Prints a line to stdout through `terminal::out`: every character unsafe
/// to print escaped, a closed pipe (`licensing ... | head`) ignored.
macro_rules! say {
    () => {{
        $crate::terminal::out("");
    }};
    ($($arg:tt)*) => {{
        $crate::terminal::out(&format!($($arg)*));
    }};
}

mod activation_code;
mod attach;
mod demo;
mod environments;
mod failure;
mod files;
mod grants;
mod inspect;
mod issue;
mod keygen;
mod present;
mod records;
mod registry;
mod request;
mod serial;
mod status;
mod store;
mod subscription;
mod terminal;
mod terms_options;
mod usage;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Signed, offline license files for an infrastructure of runtime environments.
#[derive(Debug, Parser)]
#[command(name = "licensing", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the vendor's signing key pair.
    Keygen(keygen::Args),
    /// Create, change, show or list subscriptions (a JSON file, or the vendor's registry).
    #[command(subcommand)]
    Subscription(subscription::Command),
    /// Work with activation codes.
    #[command(subcommand)]
    ActivationCode(activation_code::Command),
    /// This machine's serial number, or one derived from given hardware components.
    ///
    /// Without --component, the serial is made from this machine's stable hardware: the machine
    /// id, the DMI product uuid / board serial / product serial (when readable and not
    /// placeholders) and the MAC addresses of physical network cards with permanent addresses;
    /// never IP addresses, host names, processes or uptime. LICENSING_IDENTITY (a value) or
    /// LICENSING_IDENTITY_FILE (a file holding one) pin the identity instead, for containers and
    /// clusters; they apply only without --root. Exit 2 when nothing stable can be read.
    Serial(serial::Args),
    /// Register an environment in a free slot of the subscription (given its serial, name and
    /// purpose, or the activation request it wrote).
    Register(environments::RegisterArgs),
    /// Release an environment, freeing its slot.
    Release(environments::ReleaseArgs),
    /// Issue an environment's license file (or a signing input for an external signer), or every
    /// registered environment's (--all).
    Issue(issue::Args),
    /// Issue a signed trial extension for one environment (installed with `install`).
    ///
    /// The environment's trial then runs until the end of the given day (UTC), whatever happened
    /// to its store's state: for the customer who needs more time, or whose trial ended because
    /// the store's state was reset or altered.
    TrialExtension(grants::TrialExtensionArgs),
    /// Issue a signed clock reset for one environment (installed with `install`).
    ///
    /// For a store whose clock was once set ahead by mistake, then fixed: its latest time seen
    /// goes back to now (the time of issue), so that licenses are no longer judged in that
    /// future. It never reopens a trial, and a store applies each reset once.
    ClockReset(grants::ClockResetArgs),
    /// Make a license file from a signing input and an external signature.
    Attach(attach::Args),
    /// Show every field of a license file.
    Inspect(inspect::Args),
    /// Check a license file the way the runtime does.
    Validate(validate::Args),
    /// Create an empty license store in a directory (install also creates one).
    ///
    /// The other store commands (status, restore, serial --store) refuse a directory that holds no
    /// store, so that a mistyped path never starts a new store on a fresh trial.
    Init(store::InitArgs),
    /// Validate a license file and make it the store's active license (or install a trial
    /// extension, or apply a clock reset).
    ///
    /// The license it replaces is kept as license.lic.bak. Exit 1 when the license is not valid
    /// for this environment, or is an older revision than the installed one (pass --force to
    /// downgrade on purpose); nothing changes then. Exit 2 for bad input.
    Install(store::InstallArgs),
    /// Bring the store's previous license (license.lic.bak) back.
    ///
    /// The backup is validated first; the current license becomes the backup, so restoring again
    /// undoes it. Exit 1 when the backup is not valid here, 2 when there is none.
    Restore(store::RestoreArgs),
    /// The environment's licensing page, and whether it may run, publish and be administered.
    ///
    /// Shows the license, each feature and limit with its usage, the standing and the warnings.
    /// The first status of a store without a license starts its 30-day trial. Exit 0 when the
    /// environment may run, 1 when it may not, 2 for bad input.
    Status(status::Args),
    /// Write this environment's activation request, for the vendor's `register --request`.
    ///
    /// The request carries the environment's serial number (as its license store keeps it), the
    /// activation code, the name, the purpose and the platform version; it is text (for mail) with
    /// a checksum, so damage in transit is detected. For air-gapped sites: nobody types a serial.
    Request(request::Args),
    /// Write this environment's usage report: its daily peaks, for the management environment or
    /// the vendor.
    ///
    /// The store records each limit's daily peak of the usage given to `status --usage` (and to
    /// the runtime's status calls), for 400 days. The report carries them with the license's
    /// identity and limits, as text with a checksum: damage is detected, but the file is not
    /// signed (it says what the environment recorded, it does not prove it).
    UsageReport(usage::ReportArgs),
    /// Sum the usage reports of one infrastructure; exit 1 when a hard summed limit is exceeded.
    ///
    /// Takes each environment's latest peaks and sums the limits summed across the production
    /// environments (application-objects by default). With --out, writes the summary, which a
    /// production environment's store is given with `install`: its status then judges those
    /// limits on the infrastructure's total (publishing is refused over a hard one).
    UsageSummary(usage::SummaryArgs),
    /// Which subscription (and environment, and latest license) a serial number or an activation
    /// code belongs to, in the vendor's registry. Exit 1 when the registry has neither.
    Find(records::FindArgs),
    /// A subscription's history in the vendor's registry: imports, revisions, registrations,
    /// releases, licenses, with their operators.
    History(records::HistoryArgs),
    /// Write a subscription of the vendor's registry and its environments as JSON (the
    /// subscription file 'registry import' reads).
    Export(records::ExportArgs),
    /// Create the vendor's registry (a SQLite file, or a postgres:// URL), or import subscription
    /// files into it.
    ///
    /// The registry holds subscriptions with every revision, environments, issued licenses and
    /// their history, with registrations checked and taken in one transaction. The commands that
    /// take a SUBSCRIPTION (subscription update and show, register, release, issue) take its
    /// activation code with --registry LOCATION (or LICENSING_REGISTRY); subscription new
    /// --registry creates one in it; subscription list, find, history and export read it.
    #[command(subcommand)]
    Registry(registry::Command),
    /// Walk through the whole flow in a temporary folder, checking each step.
    Demo,
}

fn run(command: Command) -> failure::Outcome {
    match command {
        Command::Keygen(args) => keygen::run(&args),
        Command::Subscription(command) => subscription::run(command),
        Command::ActivationCode(command) => activation_code::run(&command),
        Command::Serial(args) => serial::run(&args),
        Command::Register(args) => environments::register(&args),
        Command::Release(args) => environments::release(&args),
        Command::Issue(args) => issue::run(&args),
        Command::Attach(args) => attach::run(&args),
        Command::TrialExtension(args) => grants::trial_extension(&args),
        Command::ClockReset(args) => grants::clock_reset(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Init(args) => store::init(&args),
        Command::Install(args) => store::install(&args),
        Command::Restore(args) => store::restore(&args),
        Command::Status(args) => status::run(&args),
        Command::Request(args) => request::run(&args),
        Command::UsageReport(args) => usage::report(&args),
        Command::UsageSummary(args) => usage::summary(&args),
        Command::Find(args) => records::find(&args),
        Command::History(args) => records::history(&args),
        Command::Export(args) => records::export(&args),
        Command::Registry(command) => registry::run(command),
        Command::Demo => demo::run(),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and --version print as clap prints them; a usage error
        // quotes the arguments, so it goes through the escaping sink.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.render().to_string();
            let text = text
                .trim_end()
                .strip_prefix("error: ")
                .unwrap_or(text.trim_end());
            terminal::err(&format!("error: {text}"));
            return ExitCode::from(2);
        }
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            terminal::err(&failure.to_string());
            ExitCode::from(failure.exit_code())
        }
    }
}
