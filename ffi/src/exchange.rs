//! The offline exchange through the store: writing this environment's
//! activation request and usage report (armored text, into the caller's
//! buffer), and giving the store the infrastructure's usage summary.

use super::boundary::{Failure, borrow, bytes, call, required_str, write_string};
use super::result::lic_result;
use super::store::{lic_store, store_failure};
use super::validator::{lic_validator, parse_code, platform_version_arg, time_of};
use licensing::Purpose;
use std::ffi::c_char;

/// A purpose given as an `int32_t` (the values of `lic_purpose`): a C enum
/// is never read from foreign memory, where any value may arrive.
fn purpose_of(purpose: i32) -> Result<Purpose, Failure> {
    Ok(match purpose {
        0 => Purpose::Development,
        1 => Purpose::NonProduction,
        2 => Purpose::Production,
        3 => Purpose::Management,
        other => {
            return Err(Failure::new(
                lic_result::LIC_INVALID_PURPOSE,
                format!(
                    "purpose {other} is not one of LIC_PURPOSE_DEVELOPMENT (0), LIC_PURPOSE_NON_PRODUCTION (1), LIC_PURPOSE_PRODUCTION (2), LIC_PURPOSE_MANAGEMENT (3)"
                ),
            ));
        }
    })
}

/// Writes this environment's activation request, as armored text, into
/// `buf` (a string getter: see `lic_license_organization`; a request is
/// under 1 KiB): its serial number as the store keeps it (see
/// `lic_store_serial_number`), `activation_code` (checked:
/// `LIC_INVALID_ACTIVATION_CODE` says where a typo is), `environment_name`
/// (`LIC_INVALID_ENVIRONMENT_NAME` when empty or over 100 characters),
/// `purpose` (a `lic_purpose` value as an `int32_t`; else
/// `LIC_INVALID_PURPOSE`) and `platform_version` (NULL: not known), at
/// `unix_time` (`LIC_NOW`: the clock). The vendor registers it with
/// `licensing register SUBSCRIPTION --request FILE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_activation_request(
    store: *const lic_store,
    activation_code: *const c_char,
    environment_name: *const c_char,
    purpose: i32,
    platform_version: *const c_char,
    unix_time: i64,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    call(|| {
        // SAFETY: each pointer NULL or valid per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let code = unsafe { required_str(activation_code, "activation_code") }?;
        let code = parse_code(code)?;
        let name = unsafe { required_str(environment_name, "environment_name") }?;
        let purpose = purpose_of(purpose)?;
        let version = unsafe { platform_version_arg(platform_version) }?;
        let request = store
            .inner
            .activation_request(code, name, purpose, version, time_of(unix_time))
            .map_err(store_failure)?;
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(&request.to_armored(), buf, len, written) }
    })
}

/// Writes this environment's usage report, as armored text, into `buf` (a
/// string getter; ask for the length first with `len` 0: a report of a
/// year of daily peaks is tens of KiB): the installed license's identity
/// and limits and the daily peaks the store recorded from the usage given
/// to `lic_store_status`. `serial_number` NULL: as `lic_store_serial_number`
/// gives it. `LIC_NO_LICENSE` when no license is installed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_usage_report(
    store: *const lic_store,
    validator: *const lic_validator,
    serial_number: *const c_char,
    unix_time: i64,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    call(|| {
        // SAFETY: each pointer NULL or valid per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let validator = unsafe { borrow(validator, "validator") }?;
        let serial = store.serial_or_this_environment(serial_number)?;
        let report = store
            .inner
            .usage_report(validator.inner(), &serial, time_of(unix_time))
            .map_err(store_failure)?;
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(&report.to_armored(), buf, len, written) }
    })
}

/// Gives the store the infrastructure's usage summary (`len` bytes, made by
/// `licensing usage-summary --out`): from then on `lic_store_status` judges
/// the limits summed across the production environments on the
/// infrastructure's total (the other environments' peaks plus this one's
/// usage). `LIC_NO_LICENSE` without an installed license;
/// `LIC_BAD_USAGE_SUMMARY` for a damaged summary or one of another
/// infrastructure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_install_usage_summary(
    store: *const lic_store,
    validator: *const lic_validator,
    summary: *const u8,
    len: usize,
    serial_number: *const c_char,
    unix_time: i64,
) -> lic_result {
    call(|| {
        // SAFETY: each pointer NULL or valid per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let validator = unsafe { borrow(validator, "validator") }?;
        let summary = unsafe { bytes(summary, len, "summary") }?;
        let serial = store.serial_or_this_environment(serial_number)?;
        store
            .inner
            .install_usage_summary(summary, validator.inner(), &serial, time_of(unix_time))
            .map(|_| ())
            .map_err(store_failure)
    })
}
