//! This machine's serial number, for the runtime to show and validate with.

use super::boundary::{Failure, call, optional_str, write_string};
use super::result::lic_result;
use crate::SerialNumber;
use std::ffi::c_char;

pub(crate) fn this_machine() -> Result<SerialNumber, Failure> {
    SerialNumber::for_this_machine()
        .map_err(|e| Failure::new(lic_result::LIC_NO_HARDWARE_IDENTITY, e.to_string()))
}

/// The serial number argument `p`, or this machine's when it is NULL.
pub(crate) fn serial_or_this_machine(p: *const c_char) -> Result<SerialNumber, Failure> {
    // SAFETY: NULL or a NUL-terminated string per the contract.
    match unsafe { optional_str(p, "serial_number") }? {
        Some(text) => SerialNumber::parse(text)
            .map_err(|e| Failure::new(lic_result::LIC_INVALID_SERIAL_NUMBER, e.to_string())),
        None => this_machine(),
    }
}

/// Writes this environment's serial number (from the pinned identity in
/// `LICENSING_IDENTITY` / `LICENSING_IDENTITY_FILE`, else this machine's
/// hardware) into `buf` as a NUL-terminated string; `written` receives its
/// length (31) without the NUL, also on `LIC_BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub extern "C" fn lic_serial_number_this_machine(
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    call(|| {
        let serial = this_machine()?.to_string();
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(&serial, buf, len, written) }
    })
}
