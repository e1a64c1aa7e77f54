//! The vendor's registry (the `licensing-registry` crate) through the tool:
//! where it is (`--registry`, `LICENSING_REGISTRY`) and who acts
//! (`--operator`), how a command's SUBSCRIPTION argument is resolved (a JSON
//! file, or an activation code in the registry), and `licensing registry
//! init` / `import`. JSON subscription files keep working without it.

use crate::failure::{Failure, Outcome, usage};
use crate::files;
use licensing::{ActivationCode, CodeError, Timestamp};
use licensing_registry::{Error, Registry};
use std::path::{Path, PathBuf};

/// Where the vendor's registry is, for the commands that only work on it
/// (`subscription list`, `find`, `history`, `export`).
#[derive(Debug, clap::Args)]
pub struct Location {
    /// The vendor's registry: a SQLite file, or a postgres:// URL.
    #[arg(
        long,
        value_name = "LOCATION",
        env = "LICENSING_REGISTRY",
        hide_env_values = true
    )]
    registry: Option<String>,
}

impl Location {
    /// The location given, if any (an empty LICENSING_REGISTRY is none).
    fn given(&self) -> Option<&str> {
        self.registry.as_deref().filter(|l| !l.trim().is_empty())
    }

    /// Opens the registry, which `command` needs: a usage error that says
    /// to give one when none is.
    pub fn open_for(&self, command: &str) -> Result<Registry, Failure> {
        let location = self.given().ok_or_else(|| {
            usage(format!(
                "'licensing {command}' works on the vendor's registry, and none was given: give --registry LOCATION (a SQLite file, or a postgres:// URL), or set LICENSING_REGISTRY"
            ))
        })?;
        open(location)
    }
}

/// Where the registry is and who acts: the options of every command that
/// takes a SUBSCRIPTION (a JSON file, or an activation code with a
/// registry).
#[derive(Debug, clap::Args)]
pub struct Where {
    #[command(flatten)]
    location: Location,
    /// Who makes the change, for the registry's history [default: the OS user].
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,
}

impl Where {
    /// The registry, when one is given.
    pub fn open_if_given(&self) -> Result<Option<Registry>, Failure> {
        self.location.given().map(open).transpose()
    }

    /// The operator given, or the OS user.
    pub fn operator(&self) -> String {
        operator(self.operator.as_deref())
    }
}

/// The operator `given`, or the OS user (or "unknown").
pub fn operator(given: Option<&str>) -> String {
    given
        .map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|o| !o.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A subscription, as the commands that act on one take it: its JSON file,
/// or its activation code in the vendor's registry.
#[derive(Debug, clap::Args)]
pub struct Named {
    /// The subscription: its JSON file, or its activation code (with --registry).
    #[arg(value_name = "SUBSCRIPTION")]
    subscription: String,
    #[command(flatten)]
    at: Where,
}

/// Where a command finds the subscription it acts on.
pub enum Source {
    /// Its JSON file.
    File(PathBuf),
    /// Its activation code, in the opened registry.
    Registry(ActivationCode, Registry),
}

impl Named {
    /// Where the subscription is: see [`resolve`].
    pub fn resolve(&self) -> Result<Source, Failure> {
        resolve(&self.subscription, &self.at)
    }

    /// Who acts, for the registry's history.
    pub fn operator(&self) -> String {
        self.at.operator()
    }
}

/// The one rule for a SUBSCRIPTION argument: an activation code with a
/// registry given is the registry's subscription; an activation code
/// without one (and no file of that name) is a usage error saying to give
/// one; a file with a registry given is refused (the registry would miss
/// the change); anything else is the subscription's JSON file, as before
/// the registry.
pub fn resolve(text: &str, at: &Where) -> Result<Source, Failure> {
    let path = Path::new(text);
    match (ActivationCode::parse(text), at.location.given()) {
        (Ok(code), Some(location)) => Ok(Source::Registry(code, open(location)?)),
        (Ok(code), None) if !path.exists() => Err(usage(format!(
            "{code} is an activation code: give --registry LOCATION (or set LICENSING_REGISTRY) to use the vendor's registry, or the subscription's JSON file"
        ))),
        // Shaped like an activation code but not one (a typo), and no such
        // file: the code's error says where the typo is.
        (Err(e), _) if !path.exists() && !matches!(e, CodeError::WrongLength { .. }) => {
            Err(usage(format!(
                "{text} is neither a subscription file (there is no such file) nor an activation code ({e}); give the subscription's JSON file, or its activation code with --registry LOCATION"
            )))
        }
        // A file while a registry is given: acting on the file would leave
        // the registry behind without a word.
        (_, Some(_)) => Err(usage(format!(
            "{text} is a subscription file, but a registry is given (--registry or LICENSING_REGISTRY): give the subscription's activation code to act on the registry (import the file first with 'licensing registry import'), or leave the registry out to work on the file"
        ))),
        _ => Ok(Source::File(path.to_owned())),
    }
}

impl Source {
    /// What the messages call the subscription: its file or its code.
    pub fn name(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Registry(code, _) => code.to_string(),
        }
    }

    /// The subscription and its registered environments.
    pub fn infrastructure(&self) -> Result<licensing::Infrastructure, Failure> {
        match self {
            Source::File(path) => files::load_infrastructure(path),
            Source::Registry(code, registry) => registry.infrastructure(code).map_err(failure),
        }
    }
}

/// Opens the registry at `location`.
fn open(location: &str) -> Result<Registry, Failure> {
    Registry::open(location).map_err(failure)
}

/// A registry error, as the tool reports it (exit code 2).
pub fn failure(e: Error) -> Failure {
    usage(e)
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an empty registry.
    Init {
        /// The new registry: a SQLite file (refused when it exists), or a postgres:// URL.
        location: String,
    },
    /// Add subscription files (JSON, as `subscription new --out` writes them) with their
    /// environments, all in one transaction: all of them, or none.
    Import {
        /// The subscription files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        at: Where,
    },
}

pub fn run(command: Command) -> Outcome {
    match command {
        Command::Init { location } => {
            let registry = Registry::init(&location).map_err(failure)?;
            say!("created the registry {}", registry.name());
            Ok(())
        }
        Command::Import { files, at } => {
            let infras = files
                .iter()
                .map(|file| files::load_infrastructure(file))
                .collect::<Result<Vec<_>, _>>()?;
            let mut registry = at.location.open_for("registry import")?;
            registry
                .import_all(&infras, &at.operator(), Timestamp::now())
                .map_err(failure)?;
            for (file, infra) in files.iter().zip(&infras) {
                say!(
                    "imported {} ({}) from {} at revision {} with {} environment(s)",
                    infra.subscription().activation_code(),
                    infra.subscription().terms().organization,
                    file.display(),
                    infra.subscription().revision(),
                    infra.environments().len()
                );
            }
            Ok(())
        }
    }
}
