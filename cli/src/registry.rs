//! `licensing registry ...`: the vendor's registry database (SQLite, the
//! `licensing-registry` crate): subscriptions, environments, issued
//! licenses and who changed what. JSON subscription files keep working
//! without it.

use crate::environments::{Registrant, Registration};
use crate::failure::{Failure, Outcome, usage};
use crate::files;
use crate::terms_options::TermsOptions;
use licensing::{ActivationCode, SerialNumber, Timestamp};
use licensing_registry::{Error, Registry};
use serde_json::json;
use std::path::PathBuf;

/// Where the registry is and who acts, for every registry command.
#[derive(Debug, clap::Args)]
pub struct Where {
    /// The registry database [default: $LICENSING_REGISTRY].
    #[arg(long, value_name = "FILE", env = "LICENSING_REGISTRY")]
    registry: String,
    /// Who makes the change, for the history [default: the OS user].
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,
}

impl Where {
    fn open(&self) -> Result<Registry, Failure> {
        Registry::open(&self.registry).map_err(failure)
    }

    fn operator(&self) -> String {
        self.operator
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .filter(|o| !o.trim().is_empty())
            .unwrap_or_else(|| "unknown".to_owned())
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an empty registry database.
    Init {
        /// The new database file (refused when it exists).
        file: String,
    },
    /// Add a subscription file (JSON, as `subscription new` writes it) with its environments.
    Import {
        /// The subscription file.
        file: PathBuf,
        #[command(flatten)]
        at: Where,
    },
    /// Write a subscription and its environments as JSON (what `import` reads).
    Export {
        /// The activation code.
        code: ActivationCode,
        /// Where to write it [default: standard output].
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Overwrite FILE when it exists.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        at: Where,
    },
    /// The subscriptions, sorted by organization.
    List {
        /// Only organizations whose name contains this text (case-insensitive).
        #[arg(long, value_name = "TEXT")]
        organization: Option<String>,
        /// Only subscriptions ending within this many days from today.
        #[arg(long, value_name = "DAYS")]
        expiring_within: Option<u32>,
        /// Print one JSON array instead.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        at: Where,
    },
    /// Which subscription (and environment, and latest license) a serial number or an activation
    /// code belongs to. Exit 1 when the registry has neither.
    Find {
        /// A serial number or an activation code.
        code: String,
        #[command(flatten)]
        at: Where,
    },
    /// Register an environment in a free slot (checked and taken in one transaction).
    Register {
        /// The subscription's activation code.
        code: ActivationCode,
        #[command(flatten)]
        registration: Registration,
        #[command(flatten)]
        at: Where,
    },
    /// Release an environment, freeing its slot.
    Release {
        /// The subscription's activation code.
        code: ActivationCode,
        /// The environment's serial number.
        #[arg(long)]
        serial: SerialNumber,
        #[command(flatten)]
        at: Where,
    },
    /// Change a subscription's terms: same activation code, next revision (the options of
    /// `subscription update`).
    Update {
        /// The activation code.
        code: ActivationCode,
        #[command(flatten)]
        terms: TermsOptions,
        /// Accept an end date before today (a subscription recorded after the fact).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        at: Where,
    },
    /// Issue the license of every registered environment at the current revision, each recorded
    /// in the registry, as DIR/SERIAL.lic.
    Issue {
        /// The activation code.
        code: ActivationCode,
        /// Every registered environment (the only mode for now).
        #[arg(long, required = true)]
        all: bool,
        /// The vendor's private key (PEM).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The folder for the license files (created when missing).
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
        /// Overwrite license files that exist.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        at: Where,
    },
    /// A subscription's history: imports, revisions, registrations, releases, licenses, with their
    /// operators.
    History {
        /// The activation code.
        code: ActivationCode,
        #[command(flatten)]
        at: Where,
    },
}

fn failure(e: Error) -> Failure {
    usage(e)
}

pub fn run(command: Command) -> Outcome {
    let now = Timestamp::now();
    match command {
        Command::Init { file } => {
            Registry::init(&file).map_err(failure)?;
            say!("created the registry {file}");
            Ok(())
        }
        Command::Import { file, at } => {
            let infra = files::load_infrastructure(&file)?;
            let code = at
                .open()?
                .import(&infra, &at.operator(), now)
                .map_err(failure)?;
            say!(
                "imported {} ({}) at revision {} with {} environment(s)",
                code,
                infra.subscription().terms().organization,
                infra.subscription().revision(),
                infra.environments().len()
            );
            Ok(())
        }
        Command::Export {
            code,
            out,
            force,
            at,
        } => {
            let infra = at.open()?.infrastructure(&code).map_err(failure)?;
            match out {
                Some(path) => {
                    files::save_infrastructure(&path, &infra, files::existing(force))?;
                    say!("exported {code} to {}", path.display());
                }
                None => {
                    let text = serde_json::to_string_pretty(&infra)
                        .map_err(|e| usage(format!("cannot write JSON: {e}")))?;
                    say!("{text}");
                }
            }
            Ok(())
        }
        Command::List {
            organization,
            expiring_within,
            json,
            at,
        } => {
            let by = expiring_within
                .map(|days| now.plus_seconds(i64::from(days) * licensing::DAY).date());
            let rows = at
                .open()?
                .list(organization.as_deref(), by)
                .map_err(failure)?;
            if json {
                let value: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        json!({
                            "activation_code": r.activation_code.to_string(),
                            "organization": r.organization,
                            "ends": r.ends.map(|d| d.to_string()),
                            "revision": r.revision,
                            "environments": r.environments,
                        })
                    })
                    .collect();
                say!("{}", crate::terminal::json(&json!(value)));
            } else {
                for r in &rows {
                    say!(
                        "{}  {}  ends {}  revision {}  {} environment(s)",
                        r.activation_code,
                        r.organization,
                        crate::present::end_date(r.ends),
                        r.revision,
                        r.environments
                    );
                }
                if rows.is_empty() {
                    say!("no subscription matches");
                }
            }
            Ok(())
        }
        Command::Find { code, at } => {
            let found = at.open()?.find(&code).map_err(failure)?.ok_or_else(|| {
                crate::failure::invalid(format!(
                    "{} is not in the registry",
                    licensing::printable(&code)
                ))
            })?;
            say!("subscription {}", found.activation_code);
            if let Some(e) = &found.environment {
                say!(
                    "environment '{}' ({}), serial {}, registered {}",
                    e.name,
                    e.purpose,
                    e.serial_number,
                    e.registered_at
                );
            }
            if let Some((id, revision, issued)) = &found.latest_license {
                say!("latest license {id}, revision {revision}, issued {issued}");
            }
            Ok(())
        }
        Command::Register {
            code,
            registration,
            at,
        } => {
            let mut registry = at.open()?;
            let operator = at.operator();
            let environment = match registration.read()? {
                Registrant::Request(request) => {
                    registry.register_request(&code, &request, &operator, now)
                }
                Registrant::Given(serial, name, purpose) => {
                    registry.register(&code, serial, &name, purpose, &operator, now)
                }
            }
            .map_err(failure)?;
            say!(
                "registered '{}' ({}) with serial {} in {code}",
                environment.name,
                environment.purpose,
                environment.serial_number
            );
            Ok(())
        }
        Command::Release { code, serial, at } => {
            let environment = at
                .open()?
                .release(&code, &serial, &at.operator(), now)
                .map_err(failure)?;
            say!(
                "released '{}' with serial {} (a license already issued to it keeps working until it expires)",
                environment.name,
                environment.serial_number
            );
            Ok(())
        }
        Command::Update {
            code,
            terms,
            force,
            at,
        } => {
            let mut registry = at.open()?;
            let mut changed = registry
                .infrastructure(&code)
                .map_err(failure)?
                .subscription()
                .terms()
                .clone();
            let before = changed.ends;
            terms.apply(&mut changed)?;
            crate::terms_options::check_end(before, &changed, force)?;
            let infra = registry
                .update_terms(&code, changed, &at.operator(), now)
                .map_err(failure)?;
            say!(
                "{code} is at revision {}: issue new licenses for its {} registered environment(s) (licensing registry issue {code} --all ...)",
                infra.subscription().revision(),
                infra.environments().len()
            );
            Ok(())
        }
        Command::Issue {
            code,
            all: _,
            key,
            out_dir,
            force,
            at,
        } => {
            let key = files::load_signing_key(&key)?;
            let mut registry = at.open()?;
            let infra = registry.infrastructure(&code).map_err(failure)?;
            std::fs::create_dir_all(&out_dir)
                .map_err(|e| usage(licensing::explain_io_failure("create", &out_dir, &e)))?;
            let existing = files::existing(force);
            let mut issued = Vec::new();
            for environment in infra.environments() {
                let serial = environment.serial_number;
                let file = licensing::issue(&infra, &serial, &key, now)
                    .map_err(|e| usage(format!("{serial}: {e}")))?;
                let path = out_dir.join(format!("{serial}.lic"));
                files::write(&path, &file.to_bytes(), existing, files::Access::Normal)?;
                say!(
                    "issued {} for '{}' ({}) at revision {}",
                    path.display(),
                    environment.name,
                    environment.purpose,
                    file.license().revision
                );
                issued.push(file);
            }
            // Recorded together: the history has every license written.
            registry
                .record_licenses(&issued, &at.operator(), now)
                .map_err(failure)?;
            Ok(())
        }
        Command::History { code, at } => {
            for entry in at.open()?.history(&code).map_err(failure)? {
                say!("{}  {}  {}", entry.at, entry.operator, entry.what);
            }
            Ok(())
        }
    }
}
