//! `lic_validator`: the trusted keys and the verified-bytes cache, shared
//! by any number of threads.

use super::boundary::{Failure, borrow, bytes, call, free, give, optional_str, out_ptr};
use super::license::lic_license;
use super::result::lic_result;
use super::serial::no_identity;
use licensing::{
    ActivationCode, PlatformVersion, SerialNumber, ThisMachine, Timestamp, TrustedKeys,
    ValidationError, Validator,
};
use std::cell::RefCell;
use std::ffi::c_char;

/// Pass as `unix_time` to validate at the system clock's time.
pub const LIC_NOW: i64 = i64::MIN;

/// A validator: immutable trusted keys plus a cache of verified files.
/// Thread-safe: one validator may be used from many threads at once.
pub struct lic_validator {
    inner: Validator,
    /// This machine's serial for the calls given none (the core's rule:
    /// the hardware read once, a pinned identity at every call).
    this_machine: ThisMachine,
}

impl lic_validator {
    pub(crate) fn inner(&self) -> &Validator {
        &self.inner
    }

    /// The serial number argument `p`, or this machine's when it is NULL.
    fn serial_or_this_machine(&self, p: *const c_char) -> Result<SerialNumber, Failure> {
        // SAFETY: NULL or a NUL-terminated string per the contract.
        match unsafe { optional_str(p, "serial_number") }? {
            Some(text) => parse_serial(text),
            None => self.this_machine.serial().map_err(no_identity),
        }
    }
}

thread_local! {
    // The last code text each thread parsed and what it gave: a runtime
    // passes the same serial and activation code at every validation, and
    // parsing them (check characters over GF(32)) was most of the call.
    static LAST_SERIAL: RefCell<Option<(String, SerialNumber)>> = const { RefCell::new(None) };
    static LAST_CODE: RefCell<Option<(String, ActivationCode)>> = const { RefCell::new(None) };
}

/// `parse(text)`, remembered in `cell` for the next call with the same text.
fn remembered<T: Copy>(
    cell: &'static std::thread::LocalKey<RefCell<Option<(String, T)>>>,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let hit = cell.with(|c| match &*c.borrow() {
        Some((last, value)) if last == text => Some(*value),
        _ => None,
    });
    if let Some(value) = hit {
        return Ok(value);
    }
    let value = parse(text)?;
    cell.with(|c| *c.borrow_mut() = Some((text.to_owned(), value)));
    Ok(value)
}

/// A serial number argument's text.
pub(crate) fn parse_serial(text: &str) -> Result<SerialNumber, Failure> {
    remembered(&LAST_SERIAL, text, |text| {
        SerialNumber::parse(text)
            .map_err(|e| Failure::new(lic_result::LIC_INVALID_SERIAL_NUMBER, e.to_string()))
    })
}

/// A platform version argument (NULL: none).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
pub(crate) unsafe fn platform_version_arg(
    p: *const c_char,
) -> Result<Option<PlatformVersion>, Failure> {
    // SAFETY: forwarded contract.
    unsafe { optional_str(p, "platform_version") }?
        .map(|text| {
            text.parse::<PlatformVersion>()
                .map_err(|e| Failure::new(lic_result::LIC_INVALID_PLATFORM_VERSION, e.to_string()))
        })
        .transpose()
}

/// An activation code argument's text.
pub(crate) fn parse_code(text: &str) -> Result<ActivationCode, Failure> {
    remembered(&LAST_CODE, text, |text| {
        ActivationCode::parse(text)
            .map_err(|e| Failure::new(lic_result::LIC_INVALID_ACTIVATION_CODE, e.to_string()))
    })
}

/// The time `unix_time` stands for (`LIC_NOW`: the system clock).
pub(crate) fn time_of(unix_time: i64) -> Timestamp {
    if unix_time == LIC_NOW {
        Timestamp::now()
    } else {
        Timestamp::from_unix_seconds(unix_time)
    }
}

/// Makes a validator trusting every `-----BEGIN PUBLIC KEY-----` block (P-256,
/// SPKI PEM) in the `len` bytes at `trusted_keys_pem`. Free it with
/// `lic_validator_free`.
///
/// Returns `LIC_BAD_TRUSTED_KEYS` when the text holds no valid key, and
/// `LIC_INVALID_UTF8` when it is not text at all.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_validator_new(
    trusted_keys_pem: *const u8,
    len: usize,
    out: *mut *mut lic_validator,
) -> lic_result {
    // SAFETY: the same contract, with no platform version.
    unsafe { lic_validator_new_for_platform(trusted_keys_pem, len, std::ptr::null(), out) }
}

/// `lic_validator_new` for a runtime of the platform version
/// `platform_version` (dotted numbers like `"11.14"`; NULL: not told, so
/// caps are not checked): its validations refuse a license whose platform
/// version cap does not cover it, with `LIC_PLATFORM_VERSION_NOT_COVERED`.
/// A cap of `11.14` covers `11.14`, `11.14.3` and `11.9`, not `11.15`.
///
/// Returns `LIC_INVALID_PLATFORM_VERSION` when the text is not a version.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_validator_new_for_platform(
    trusted_keys_pem: *const u8,
    len: usize,
    platform_version: *const c_char,
    out: *mut *mut lic_validator,
) -> lic_result {
    call(|| {
        let out = out_ptr(out, "out")?;
        // SAFETY: NULL or a NUL-terminated string per the contract.
        let running = unsafe { platform_version_arg(platform_version) }?;
        // SAFETY: the caller gives `len` readable bytes or NULL.
        let pem = unsafe { bytes(trusted_keys_pem, len, "trusted_keys_pem") }?;
        let text = std::str::from_utf8(pem).map_err(|e| {
            Failure::new(
                lic_result::LIC_INVALID_UTF8,
                format!("the trusted keys are not UTF-8 PEM text ({e})"),
            )
        })?;
        let keys = TrustedKeys::from_pem(text)
            .map_err(|e| Failure::new(lic_result::LIC_BAD_TRUSTED_KEYS, e.to_string()))?;
        let mut inner = Validator::new(keys);
        if let Some(running) = running {
            inner = inner.with_platform_version(running);
        }
        give(
            out,
            lic_validator {
                inner,
                this_machine: ThisMachine::new(),
            },
        )
    })
}

/// Frees a validator made by `lic_validator_new`. NULL is allowed and does
/// nothing. Licenses it made stay valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_validator_free(validator: *mut lic_validator) {
    free(validator)
}

/// Validates the license file in the `len` bytes at `license_file` (binary
/// or text form) for the environment `serial_number` (NULL: this machine's,
/// see `lic_serial_number_this_machine`), optionally requiring
/// `activation_code` (NULL: not checked), at `unix_time` (seconds since
/// 1970 UTC; `LIC_NOW`: the system clock).
///
/// On `LIC_OK`, `*out` receives a license to free with `lic_license_free`.
/// Otherwise the result says why the license is not valid (`LIC_MALFORMED`
/// to `LIC_EXPIRED`) and `lic_last_error_message` says it in words.
/// A file seen before by this validator is not verified again, and this
/// machine's hardware is read once per validator (a pinned identity at
/// every call). A NULL serial here is the hardware's serial as it is now:
/// to keep the serial through a minority of hardware changes, use the
/// store (`lic_store_serial_number`, or NULL in the `lic_store_*` calls),
/// which keeps the environment's fingerprint record.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_validator_validate(
    validator: *const lic_validator,
    license_file: *const u8,
    len: usize,
    serial_number: *const c_char,
    activation_code: *const c_char,
    unix_time: i64,
    out: *mut *mut lic_license,
) -> lic_result {
    call(|| {
        // SAFETY: each pointer is NULL or valid per the contract; checked.
        let validator = unsafe { borrow(validator, "validator") }?;
        let out = out_ptr(out, "out")?;
        let file = unsafe { bytes(license_file, len, "license_file") }?;
        let serial = validator.serial_or_this_machine(serial_number)?;
        let code = unsafe { optional_str(activation_code, "activation_code") }?
            .map(parse_code)
            .transpose()?;
        let now = time_of(unix_time);
        let valid = validator
            .inner
            .validate(file, &serial, code.as_ref(), now)
            .map_err(|e| Failure::new(code_of(&e), e.to_string()))?;
        give(out, lic_license::new(valid))
    })
}

pub(crate) fn code_of(e: &ValidationError) -> lic_result {
    match e {
        ValidationError::Malformed { .. } => lic_result::LIC_MALFORMED,
        ValidationError::UnsupportedVersion { .. } => lic_result::LIC_UNSUPPORTED_VERSION,
        ValidationError::UnknownKey { .. } => lic_result::LIC_UNKNOWN_KEY,
        ValidationError::BadSignature { .. } => lic_result::LIC_BAD_SIGNATURE,
        ValidationError::WrongActivationCode { .. } => lic_result::LIC_WRONG_ACTIVATION_CODE,
        ValidationError::WrongSerial { .. } => lic_result::LIC_WRONG_SERIAL,
        ValidationError::NotYetValid { .. } => lic_result::LIC_NOT_YET_VALID,
        ValidationError::Expired { .. } => lic_result::LIC_EXPIRED,
        ValidationError::UnknownCriticalExtension { .. } => {
            lic_result::LIC_UNKNOWN_CRITICAL_EXTENSION
        }
        ValidationError::PlatformVersionNotCovered { .. } => {
            lic_result::LIC_PLATFORM_VERSION_NOT_COVERED
        }
    }
}
