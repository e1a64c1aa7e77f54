//! `licensing serial`: an environment's serial number from its hardware.

use crate::failure::{Outcome, usage};
use licensing::{HardwareComponent, SerialNumber};

/// Derive a serial number from hardware components.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A hardware component as KIND=VALUE, like mac=02:fc:00:00:00:01 or
    /// machine-id=4c4c4544-0042-3510-8052-b4c04f4a4e32. Repeat for each component; order and case
    /// do not matter.
    #[arg(long = "component", value_name = "KIND=VALUE", value_parser = parse_component)]
    components: Vec<HardwareComponent>,
}

fn parse_component(text: &str) -> Result<HardwareComponent, String> {
    match text.split_once('=') {
        Some((kind, value)) if !kind.trim().is_empty() && !value.trim().is_empty() => {
            Ok(HardwareComponent::new(kind.trim(), value.trim()))
        }
        _ => Err(format!(
            "expected KIND=VALUE with both parts given, like mac=02:fc:00:00:00:01; found '{text}'"
        )),
    }
}

pub fn run(args: &Args) -> Outcome {
    if args.components.is_empty() {
        return Err(usage(
            "no --component given: reading this machine's hardware is not supported yet; pass the components explicitly, like --component mac=02:fc:00:00:00:01 --component machine-id=4c4c4544-0042-3510-8052-b4c04f4a4e32",
        ));
    }
    let serial = SerialNumber::from_components(&args.components).map_err(usage)?;
    say!("{serial}");
    Ok(())
}
