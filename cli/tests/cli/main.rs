//! The `licensing` command-line tool, run as a process: each command's
//! happy path, its output files and its exit codes (0 success, 1 not
//! valid, 2 bad usage or input).
//!
//! One module per concept; what several of them need is in `setup`, what
//! this crate shares with the other test crates is in `common`.

#[path = "../common/mod.rs"]
mod common;
mod setup;

mod demo;
mod environments;
mod exchange;
mod grants;
mod hostile;
mod input_files;
mod issue;
mod keys;
mod platform_version;
mod readme;
mod registry;
mod status;
mod store;
mod subscription;
mod usage;
mod validate;
