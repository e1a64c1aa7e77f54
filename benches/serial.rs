//! Placeholder: replaced by the benchmark of this machine's serial number.
fn main() {}
