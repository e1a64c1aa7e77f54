//! Why a command failed, and the exit code that says so.

use std::fmt;

/// A command's failure: the message for stderr and its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The license (or a signature) is not valid: exit code 1.
    Invalid(String),
    /// Bad usage, bad input or a file that could not be read or written:
    /// exit code 2, like clap's own usage errors.
    Usage(String),
}

/// What every command returns.
pub type Outcome = Result<(), Failure>;

impl Failure {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Invalid(_) => 1,
            Failure::Usage(_) => 2,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Invalid(message) => write!(f, "not valid: {message}"),
            Failure::Usage(message) => write!(f, "error: {message}"),
        }
    }
}

/// Bad usage or input (exit code 2).
pub fn usage(message: impl fmt::Display) -> Failure {
    Failure::Usage(message.to_string())
}

/// Not valid (exit code 1).
pub fn invalid(message: impl fmt::Display) -> Failure {
    Failure::Invalid(message.to_string())
}
