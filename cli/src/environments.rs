//! `licensing register` and `licensing release`: environments in the
//! subscription's slots (its JSON file, or the vendor's registry).

use crate::failure::{Failure, Outcome, usage};
use crate::files::{self, Existing};
use crate::registry::{Named, Source, failure};
use licensing::{ActivationRequest, Infrastructure, Purpose, SerialNumber, Timestamp};
use std::path::PathBuf;

/// Register an environment in a free slot of its purpose.
#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    subscription: Named,
    #[command(flatten)]
    registration: Registration,
}

/// The environment to register: given by its serial number, name and
/// purpose, or by the activation request it wrote.
#[derive(Debug, clap::Args)]
pub struct Registration {
    /// The environment's serial number (from 'licensing serial').
    #[arg(long, required_unless_present = "request", conflicts_with = "request")]
    serial: Option<SerialNumber>,
    /// The environment's name, like Production.
    #[arg(long, required_unless_present = "request", conflicts_with = "request")]
    name: Option<String>,
    /// development, non-production, production or management.
    #[arg(long, required_unless_present = "request", conflicts_with = "request")]
    purpose: Option<Purpose>,
    /// An activation request the environment wrote ('licensing request'): its serial number,
    /// name and purpose, checked to be for this subscription and undamaged.
    #[arg(long, value_name = "FILE")]
    request: Option<PathBuf>,
}

/// What a [`Registration`] names, once read.
pub enum Registrant {
    /// An activation request, read and checked.
    Request(ActivationRequest),
    /// Serial number, name and purpose given on the command line.
    Given(SerialNumber, String, Purpose),
}

impl Registration {
    /// Reads the request file, if one is given.
    pub fn read(&self) -> Result<Registrant, Failure> {
        match (&self.request, self.serial, &self.name, self.purpose) {
            (Some(path), ..) => ActivationRequest::parse(&files::read(path, "activation request")?)
                .map(Registrant::Request)
                .map_err(|e| usage(format!("{}: {e}", path.display()))),
            (None, Some(serial), Some(name), Some(purpose)) => {
                Ok(Registrant::Given(serial, name.clone(), purpose))
            }
            // clap requires --serial, --name and --purpose without --request.
            _ => Err(usage(
                "give --request FILE, or --serial, --name and --purpose",
            )),
        }
    }
}

/// Release an environment, freeing its slot (after a hardware change,
/// release the old serial and register the new one).
#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    #[command(flatten)]
    subscription: Named,
    /// The environment's serial number.
    #[arg(long)]
    serial: SerialNumber,
}

pub fn register(args: &RegisterArgs) -> Outcome {
    let registrant = args.registration.read()?;
    let now = Timestamp::now();
    let (environment, infrastructure) = match args.subscription.resolve()? {
        Source::File(path) => {
            let mut infrastructure = files::load_infrastructure(&path)?;
            let registered = match registrant {
                Registrant::Request(request) => infrastructure.register_request(&request, now),
                Registrant::Given(serial, name, purpose) => {
                    infrastructure.register(serial, &name, purpose, now)
                }
            };
            let environment = registered
                .map_err(|e| usage(format!("{}: {e}", path.display())))?
                .clone();
            files::save_infrastructure(&path, &infrastructure, Existing::Replace)?;
            (environment, infrastructure)
        }
        Source::Registry(code, mut registry) => {
            // Checked and taken in one transaction.
            let operator = args.subscription.operator();
            let environment = match registrant {
                Registrant::Request(request) => {
                    registry.register_request(&code, &request, &operator, now)
                }
                Registrant::Given(serial, name, purpose) => {
                    registry.register(&code, serial, &name, purpose, &operator, now)
                }
            }
            .map_err(|e| usage(format!("{code}: {}", e)))?;
            (
                environment,
                registry.infrastructure(&code).map_err(failure)?,
            )
        }
    };
    say!(
        "registered '{}' ({}) with serial {}",
        environment.name,
        environment.purpose,
        environment.serial_number
    );
    say!("{}", slots_line(&infrastructure, environment.purpose));
    Ok(())
}

pub fn release(args: &ReleaseArgs) -> Outcome {
    let (environment, infrastructure) = match args.subscription.resolve()? {
        Source::File(path) => {
            let mut infrastructure = files::load_infrastructure(&path)?;
            let environment = infrastructure
                .release(&args.serial)
                .map_err(|e| usage(format!("{}: {e}", path.display())))?;
            files::save_infrastructure(&path, &infrastructure, Existing::Replace)?;
            (environment, infrastructure)
        }
        Source::Registry(code, mut registry) => {
            let environment = registry
                .release(
                    &code,
                    &args.serial,
                    &args.subscription.operator(),
                    Timestamp::now(),
                )
                .map_err(|e| usage(format!("{code}: {}", e)))?;
            (
                environment,
                registry.infrastructure(&code).map_err(failure)?,
            )
        }
    };
    say!(
        "released '{}' ({}) with serial {} (a license file already issued to it keeps working until it expires)",
        environment.name,
        environment.purpose,
        environment.serial_number
    );
    say!("{}", slots_line(&infrastructure, environment.purpose));
    Ok(())
}

fn slots_line(infrastructure: &Infrastructure, purpose: Purpose) -> String {
    format!(
        "{} of {} {purpose} slots used",
        infrastructure.used(purpose),
        infrastructure.subscription().terms().slots.allowed(purpose)
    )
}
