//! The vendor's grants for one environment, through the store: a trial
//! extension (`lic_store_install_trial_extension`) and a clock reset
//! (`lic_store_reset_clock`).

use super::boundary::{borrow, bytes, call, out_ptr, put};
use super::result::lic_result;
use super::store::{lic_store, store_failure};
use super::validator::{lic_validator, time_of};
use licensing::{LicenseStore, SerialNumber, StoreError, Timestamp, Validator};
use std::ffi::c_char;

/// Installs the vendor's trial extension (`len` bytes of a `.lic` file
/// starting with `LICT`) for this environment (`serial_number`; NULL: as
/// `lic_store_serial_number` gives it): the trial then runs until its end,
/// whatever happened to the store's state. Checked by the validator's
/// trusted keys first (`LIC_MALFORMED`, `LIC_UNKNOWN_KEY`,
/// `LIC_BAD_SIGNATURE`, `LIC_WRONG_SERIAL`). On `LIC_OK`, `*out_until`
/// receives the trial's new end (Unix seconds).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_install_trial_extension(
    store: *const lic_store,
    validator: *const lic_validator,
    file: *const u8,
    len: usize,
    serial_number: *const c_char,
    unix_time: i64,
    out_until: *mut i64,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        grant(
            store,
            validator,
            (file, len),
            serial_number,
            (out_until, "out_until"),
            |s, v, f, serial| {
                let extension = s.install_trial_extension(f, v, serial, time_of(unix_time))?;
                Ok(extension.until())
            },
        )
    }
}

/// Applies the vendor's clock reset (`len` bytes of a file starting with
/// `LICR`) for this environment: the store's latest time seen goes back
/// to the reset's time, or to `unix_time` when that is later (set the
/// clock right first). The trial is not reopened; each reset is applied
/// once (`LIC_CLOCK_RESET_USED` after that). On `LIC_OK`,
/// `*out_latest_time_seen` receives the latest time seen now (Unix
/// seconds).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_reset_clock(
    store: *const lic_store,
    validator: *const lic_validator,
    file: *const u8,
    len: usize,
    serial_number: *const c_char,
    unix_time: i64,
    out_latest_time_seen: *mut i64,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        grant(
            store,
            validator,
            (file, len),
            serial_number,
            (out_latest_time_seen, "out_latest_time_seen"),
            |s, v, f, serial| {
                let (_, latest) = s.reset_clock(f, v, serial, time_of(unix_time))?;
                Ok(latest)
            },
        )
    }
}

/// The body of both: checks the handles, the file and `out`, settles the
/// serial number, and writes the time `apply` gives to `out`.
///
/// # Safety
/// As the exports: each pointer NULL or valid, `file` of `len` bytes.
unsafe fn grant(
    store: *const lic_store,
    validator: *const lic_validator,
    (file, len): (*const u8, usize),
    serial_number: *const c_char,
    (out, out_name): (*mut i64, &str),
    apply: impl FnOnce(&LicenseStore, &Validator, &[u8], &SerialNumber) -> Result<Timestamp, StoreError>,
) -> lic_result {
    call(|| {
        // SAFETY: each pointer is NULL or valid per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let validator = unsafe { borrow(validator, "validator") }?;
        let out = out_ptr(out, out_name)?;
        let file = unsafe { bytes(file, len, "file") }?;
        let serial = store.serial_or_this_environment(serial_number)?;
        let time = apply(&store.inner, validator.inner(), file, &serial).map_err(store_failure)?;
        put(out, out_name, time.unix_seconds())
    })
}
