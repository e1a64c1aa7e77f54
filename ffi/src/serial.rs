//! This machine's serial number, for the runtime to show and validate with.

use super::boundary::{Failure, call, write_string};
use super::result::lic_result;
use licensing::{HardwareError, SerialNumber};
use std::ffi::c_char;

pub(crate) fn this_machine() -> Result<SerialNumber, Failure> {
    SerialNumber::for_this_machine().map_err(no_identity)
}

pub(crate) fn no_identity(e: HardwareError) -> Failure {
    Failure::new(lic_result::LIC_NO_HARDWARE_IDENTITY, e.to_string())
}

/// Writes this environment's serial number (from the pinned identity in
/// `LICENSING_IDENTITY` / `LICENSING_IDENTITY_FILE`, else this machine's
/// hardware) into `buf` as a NUL-terminated string; `written` receives its
/// length (31) without the NUL, also on `LIC_BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_serial_number_this_machine(
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
