//! `licensing register` and `licensing release`: environments in the
//! subscription's slots.

use crate::failure::{Failure, Outcome, usage};
use crate::files::{self, Existing};
use licensing::{ActivationRequest, Purpose, SerialNumber, Timestamp};
use std::path::PathBuf;

/// Register an environment in a free slot of its purpose.
#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// The subscription file.
    file: PathBuf,
    #[command(flatten)]
    registration: Registration,
}

/// The environment to register: given by its serial number, name and
/// purpose, or by the activation request it wrote (shared by `register`
/// and `registry register`).
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
    /// The subscription file.
    file: PathBuf,
    /// The environment's serial number.
    #[arg(long)]
    serial: SerialNumber,
}

pub fn register(args: &RegisterArgs) -> Outcome {
    let mut infrastructure = files::load_infrastructure(&args.file)?;
    let registered = match args.registration.read()? {
        Registrant::Request(request) => infrastructure.register_request(&request, Timestamp::now()),
        Registrant::Given(serial, name, purpose) => {
            infrastructure.register(serial, &name, purpose, Timestamp::now())
        }
    };
    let environment = registered.map_err(|e| usage(format!("{}: {e}", args.file.display())))?;
    let purpose = environment.purpose;
    let done = format!(
        "registered '{}' ({}) with serial {}",
        environment.name, environment.purpose, environment.serial_number
    );
    files::save_infrastructure(&args.file, &infrastructure, Existing::Replace)?;
    say!("{done}");
    say!("{}", slots_line(&infrastructure, purpose));
    Ok(())
}

pub fn release(args: &ReleaseArgs) -> Outcome {
    let mut infrastructure = files::load_infrastructure(&args.file)?;
    let environment = infrastructure
        .release(&args.serial)
        .map_err(|e| usage(format!("{}: {e}", args.file.display())))?;
    files::save_infrastructure(&args.file, &infrastructure, Existing::Replace)?;
    say!(
        "released '{}' ({}) with serial {} (a license file already issued to it keeps working until it expires)",
        environment.name,
        environment.purpose,
        environment.serial_number
    );
    say!("{}", slots_line(&infrastructure, environment.purpose));
    Ok(())
}

fn slots_line(infrastructure: &licensing::Infrastructure, purpose: Purpose) -> String {
    format!(
        "{} of {} {purpose} slots used",
        infrastructure.used(purpose),
        infrastructure.subscription().terms().slots.allowed(purpose)
    )
}
