//! `licensing activation-code`: checking a typed activation code.

use crate::failure::{Outcome, usage};
use licensing::ActivationCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check an activation code for typos; prints it in its canonical form.
    Check {
        /// The code, like 7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5 (case, O/0 and I/L/1 confusions and
        /// missing dots are forgiven).
        code: String,
    },
}

pub fn run(command: &Command) -> Outcome {
    match command {
        Command::Check { code } => {
            let parsed = ActivationCode::parse(code).map_err(usage)?;
            say!("valid: {parsed}");
            Ok(())
        }
    }
}
