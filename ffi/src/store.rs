//! `lic_store` and `lic_status`: installing licenses safely and what the
//! runtime may do (run, publish, administer).

use super::boundary::{
    Failure, borrow, bytes, call, free, give, guard, optional_str, out_ptr, put, required_str,
    write_string,
};
use super::license::{lic_license, put_days_left};
use super::result::lic_result;
use super::validator::{lic_validator, parse_serial, time_of};
use licensing::{
    GrantError, LicenseState, LicenseStore, SerialNumber, Standing, Status, StoreError,
    ValidatedLicense, Validator,
};
use std::collections::BTreeMap;
use std::ffi::c_char;

/// A license store in a directory: the active license, its backup, the
/// trial and clock record. Safe to use from several threads and processes
/// (changes are serialized by a lock file).
pub struct lic_store {
    pub(crate) inner: LicenseStore,
}

impl lic_store {
    /// The serial number argument `p`, or this environment's as the store
    /// keeps it (through its fingerprint record) when it is NULL.
    pub(crate) fn serial_or_this_environment(
        &self,
        p: *const c_char,
    ) -> Result<SerialNumber, Failure> {
        // SAFETY: NULL or a NUL-terminated string per the contract.
        match unsafe { optional_str(p, "serial_number") }? {
            Some(text) => parse_serial(text),
            None => self.inner.serial_number().map_err(store_failure),
        }
    }
}

/// A licensing status: the standing, warnings and decisions. Immutable.
pub struct lic_status {
    inner: Status,
}

/// One usage figure the host reports for a limit.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lic_usage_entry {
    /// The limit's name, NUL-terminated UTF-8.
    pub limit: *const c_char,
    /// The current usage.
    pub usage: u64,
}

/// Where the environment stands.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum lic_standing {
    /// Licensed and not near the end.
    LIC_STANDING_ACTIVE = 0,
    /// Licensed, ending within 30 days (`days_left`).
    LIC_STANDING_EXPIRING_SOON = 1,
    /// Expired, in the grace period (`days_left` to install a renewal).
    LIC_STANDING_IN_GRACE = 2,
    /// Expired and past the grace period.
    LIC_STANDING_EXPIRED = 3,
    /// The installed license is not valid for this environment.
    LIC_STANDING_INVALID = 4,
    /// No license ever installed: on the trial (`days_left`).
    LIC_STANDING_TRIAL = 5,
    /// No license ever installed and the trial is over.
    LIC_STANDING_TRIAL_OVER = 6,
}

pub(crate) fn store_failure(e: StoreError) -> Failure {
    let code = match &e {
        StoreError::Io { .. } => lic_result::LIC_STORE_IO,
        StoreError::Invalid(v) | StoreError::InvalidBackup(v) => super::validator::code_of(v),
        StoreError::Downgrade { .. } => lic_result::LIC_DOWNGRADE,
        StoreError::NoBackup(_) => lic_result::LIC_NO_BACKUP,
        StoreError::CorruptState(_) => lic_result::LIC_CORRUPT_STATE,
        StoreError::Identity(_) => lic_result::LIC_NO_HARDWARE_IDENTITY,
        StoreError::Record(_) => lic_result::LIC_STORE_IO,
        StoreError::NotAStore(_) => lic_result::LIC_NO_STORE,
        StoreError::Grant(g) => match g {
            GrantError::Malformed { .. } => lic_result::LIC_MALFORMED,
            GrantError::UnknownKey { .. } => lic_result::LIC_UNKNOWN_KEY,
            GrantError::BadSignature { .. } => lic_result::LIC_BAD_SIGNATURE,
            GrantError::WrongSerial { .. } => lic_result::LIC_WRONG_SERIAL,
        },
        StoreError::ClockResetUsed { .. } | StoreError::ClockResetTooOld { .. } => {
            lic_result::LIC_CLOCK_RESET_USED
        }
        StoreError::Request(_) => lic_result::LIC_INVALID_ENVIRONMENT_NAME,
        StoreError::NoLicense(_) => lic_result::LIC_NO_LICENSE,
        StoreError::Exchange(_) | StoreError::OtherInfrastructure { .. } => {
            lic_result::LIC_BAD_USAGE_SUMMARY
        }
    };
    Failure::new(code, e.to_string())
}

/// Opens the existing store in the directory `dir` (NUL-terminated UTF-8
/// path); `LIC_NO_STORE` when the directory holds none (so a mistyped path
/// never starts a new store on a fresh trial: create one with
/// `lic_store_create`). Free it with `lic_store_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_open(
    dir: *const c_char,
    out: *mut *mut lic_store,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { store_in(dir, out, |dir| LicenseStore::open(dir)) }
}

/// The body of the calls that open a store: checks `out` and `dir`, and
/// hands the caller the store `open` gives.
///
/// # Safety
/// As `lic_store_open`.
unsafe fn store_in(
    dir: *const c_char,
    out: *mut *mut lic_store,
    open: impl FnOnce(&str) -> Result<LicenseStore, StoreError>,
) -> lic_result {
    call(|| {
        let out = out_ptr(out, "out")?;
        // SAFETY: NULL or a NUL-terminated string; checked.
        let dir = unsafe { required_str(dir, "dir") }?;
        let store = open(dir).map_err(store_failure)?;
        give(out, lic_store { inner: store })
    })
}

/// Opens the store in the directory `dir`, creating the directory and an
/// empty store in it when there is none (an installer's call; the trial
/// starts at the first `lic_store_status`). Free it with `lic_store_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_create(
    dir: *const c_char,
    out: *mut *mut lic_store,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { store_in(dir, out, |dir| LicenseStore::create(dir)) }
}

/// As `lic_store_open` (an existing store), with how many seconds the
/// clock may be behind the latest time the store has seen before a status
/// reports the clock as turned back (`lic_store_open` uses 86400, a day; negative counts as 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_open_with_clock_tolerance(
    dir: *const c_char,
    clock_tolerance_seconds: i64,
    out: *mut *mut lic_store,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        store_in(dir, out, |dir| {
            LicenseStore::open(dir).map(|s| s.with_clock_tolerance(clock_tolerance_seconds))
        })
    }
}

/// Writes this environment's serial number as the store keeps it into
/// `buf` (a string getter: see `lic_license_organization`): read from the
/// pinned identity or the hardware (below `LICENSING_HARDWARE_ROOT` when
/// set), and reconciled with the fingerprint record in the store, so that
/// it stays the same while most of the recorded hardware components are
/// still there. The `lic_store_*` calls given a NULL serial use this one.
/// A store handle reads the hardware once, at the first call that needs the
/// serial (a pinned identity at every call): a process sees a hardware
/// change at its next start, or with a new handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_serial_number(
    store: *const lic_store,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    call(|| {
        // SAFETY: NULL or a live handle per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let serial = store.inner.serial_number().map_err(store_failure)?;
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(&serial.to_string(), buf, len, written) }
    })
}

/// Frees a store made by `lic_store_open`. NULL is allowed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_free(store: *mut lic_store) {
    free(store)
}

/// Validates the license file (`len` bytes, binary or text form) for this
/// environment (`serial_number`; NULL: as `lic_store_serial_number` gives it) at `unix_time`
/// (`LIC_NOW`: the clock), then makes it the active license atomically,
/// keeping the previous one as the backup. An older revision of the same
/// subscription and environment is refused with `LIC_DOWNGRADE` unless
/// `force`. On `LIC_OK`, `*out` receives the installed license (free it
/// with `lic_license_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_install(
    store: *const lic_store,
    validator: *const lic_validator,
    license_file: *const u8,
    len: usize,
    serial_number: *const c_char,
    unix_time: i64,
    force: bool,
    out: *mut *mut lic_license,
) -> lic_result {
    call(|| {
        // SAFETY: each pointer is NULL or valid per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let validator = unsafe { borrow(validator, "validator") }?;
        let out = out_ptr(out, "out")?;
        let file = unsafe { bytes(license_file, len, "license_file") }?;
        let serial = store.serial_or_this_environment(serial_number)?;
        let installed = store
            .inner
            .install(file, validator.inner(), &serial, time_of(unix_time), force)
            .map_err(store_failure)?;
        give(out, lic_license::new(installed.license))
    })
}

/// Brings the previous license back (validated first); the current one
/// becomes the backup. `LIC_NO_BACKUP` when there is none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_restore(
    store: *const lic_store,
    validator: *const lic_validator,
    serial_number: *const c_char,
    unix_time: i64,
    out: *mut *mut lic_license,
) -> lic_result {
    license_from_store(
        store,
        validator,
        serial_number,
        out,
        |store, validator, serial| {
            let restored = store.restore(validator, serial, time_of(unix_time))?;
            Ok(restored.license)
        },
    )
}

/// The license `lic_store_restore` would bring back (the one the last
/// install or restore replaced), validated, without changing anything: for
/// an administrator to see before restoring. `LIC_NO_BACKUP` when there is
/// none; a validation result (such as `LIC_EXPIRED`) when it is not valid
/// here. On `LIC_OK`, `*out` receives it (free it with `lic_license_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_backup(
    store: *const lic_store,
    validator: *const lic_validator,
    serial_number: *const c_char,
    unix_time: i64,
    out: *mut *mut lic_license,
) -> lic_result {
    license_from_store(
        store,
        validator,
        serial_number,
        out,
        |store, validator, serial| store.backup(validator, serial, time_of(unix_time)),
    )
}

/// The body of `lic_store_restore` and `lic_store_backup`: checks the
/// handles and `out`, settles the serial number, and hands the caller the
/// license `take` gives.
fn license_from_store(
    store: *const lic_store,
    validator: *const lic_validator,
    serial_number: *const c_char,
    out: *mut *mut lic_license,
    take: impl FnOnce(&LicenseStore, &Validator, &SerialNumber) -> Result<ValidatedLicense, StoreError>,
) -> lic_result {
    call(|| {
        // SAFETY: each pointer is NULL or valid per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let validator = unsafe { borrow(validator, "validator") }?;
        let out = out_ptr(out, "out")?;
        let serial = store.serial_or_this_environment(serial_number)?;
        let license = take(&store.inner, validator.inner(), &serial).map_err(store_failure)?;
        give(out, lic_license::new(license))
    })
}

/// The environment's licensing status at `unix_time` (the host's clock:
/// normally `LIC_NOW`), given the host's usage figures (`usage_len`
/// entries; NULL with 0 for none). Starts the trial on the first call
/// without a license and records the clock. Free the status with
/// `lic_status_free`. To see the status at another time without recording
/// anything, use `lic_store_preview_status`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_status(
    store: *const lic_store,
    validator: *const lic_validator,
    serial_number: *const c_char,
    unix_time: i64,
    usage: *const lic_usage_entry,
    usage_len: usize,
    out: *mut *mut lic_status,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        status_of(
            store,
            validator,
            serial_number,
            usage,
            usage_len,
            out,
            |store, validator, serial, usage| {
                store.status(validator, serial, time_of(unix_time), usage)
            },
        )
    }
}

/// What `lic_store_status` would say at `unix_time`, a time of the
/// caller's choosing (to show what expiry or the trial's end will look
/// like), recording nothing: no trial is started, the clock's latest time
/// stays, no file is written. Arguments and result as `lic_store_status`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_preview_status(
    store: *const lic_store,
    validator: *const lic_validator,
    serial_number: *const c_char,
    unix_time: i64,
    usage: *const lic_usage_entry,
    usage_len: usize,
    out: *mut *mut lic_status,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        status_of(
            store,
            validator,
            serial_number,
            usage,
            usage_len,
            out,
            |store, validator, serial, usage| {
                store.preview(validator, serial, time_of(unix_time), usage)
            },
        )
    }
}

/// The body of `lic_store_status` and `lic_store_preview_status`: checks
/// the handles and `out`, settles the serial, reads the usage figures, and
/// hands the caller the status `judge` gives.
///
/// # Safety
/// As `lic_store_status`.
unsafe fn status_of(
    store: *const lic_store,
    validator: *const lic_validator,
    serial_number: *const c_char,
    usage: *const lic_usage_entry,
    usage_len: usize,
    out: *mut *mut lic_status,
    judge: impl FnOnce(
        &LicenseStore,
        &Validator,
        &SerialNumber,
        &BTreeMap<String, u64>,
    ) -> Result<Status, StoreError>,
) -> lic_result {
    call(|| {
        // SAFETY: each pointer is NULL or valid per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let validator = unsafe { borrow(validator, "validator") }?;
        let out = out_ptr(out, "out")?;
        let serial = store.serial_or_this_environment(serial_number)?;
        let entries: &[lic_usage_entry] = if usage.is_null() {
            if usage_len > 0 {
                return Err(Failure::new(
                    lic_result::LIC_NULL_ARGUMENT,
                    "the argument 'usage' is NULL but 'usage_len' is not 0",
                ));
            }
            &[]
        } else {
            // SAFETY: `usage_len` readable entries per the contract.
            unsafe { std::slice::from_raw_parts(usage, usage_len) }
        };
        let mut figures = BTreeMap::new();
        for entry in entries {
            // SAFETY: each entry's name is a NUL-terminated string; checked.
            let name = unsafe { required_str(entry.limit, "usage[].limit") }?;
            figures.insert(name.to_owned(), entry.usage);
        }
        let status =
            judge(&store.inner, validator.inner(), &serial, &figures).map_err(store_failure)?;
        give(out, lic_status { inner: status })
    })
}

/// Frees a status. NULL is allowed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_free(status: *mut lic_status) {
    free(status)
}

fn status<'a>(p: *const lic_status) -> Result<&'a Status, Failure> {
    // SAFETY: NULL or a live handle per the caller's contract.
    unsafe { borrow(p, "status") }.map(|s| &s.inner)
}

/// Where the environment stands; `days_left` (may be NULL) receives what
/// `lic_status_days_left` gives (0 for a license that never expires).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_standing(
    status: *const lic_status,
    out: *mut lic_standing,
    days_left: *mut u32,
) -> lic_result {
    call(|| {
        let s = self::status(status)?;
        let out = out_ptr(out, "out")?;
        use lic_standing::*;
        let standing = match &s.standing {
            Standing::Licensed(LicenseState::Active) => LIC_STANDING_ACTIVE,
            Standing::Licensed(LicenseState::ExpiringSoon { .. }) => LIC_STANDING_EXPIRING_SOON,
            Standing::Licensed(LicenseState::InGrace { .. }) => LIC_STANDING_IN_GRACE,
            Standing::Expired(_) => LIC_STANDING_EXPIRED,
            Standing::Invalid(_) => LIC_STANDING_INVALID,
            Standing::Trial { .. } => LIC_STANDING_TRIAL,
            Standing::TrialOver => LIC_STANDING_TRIAL_OVER,
        };
        if !days_left.is_null() {
            put(days_left, "days_left", s.days_left().unwrap_or(0))?;
        }
        put(out, "out", standing)
    })
}

/// Days left, with one meaning in every binding: until the license expires
/// (active, expiring soon), until its grace period ends (in grace), until
/// the trial ends (trial); 0 when expired, not valid here or past the
/// trial. `LIC_NEVER_EXPIRES` (nothing written) for a license that never
/// expires.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_days_left(
    status: *const lic_status,
    out: *mut u32,
) -> lic_result {
    call(|| {
        let s = self::status(status)?;
        put_days_left(s.days_left(), out)
    })
}

/// May the environment run applications? False for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_may_run(status: *const lic_status) -> bool {
    guard(|| self::status(status).is_ok_and(|s| s.decisions.run.allowed))
}

/// May new applications be published? False for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_may_publish(status: *const lic_status) -> bool {
    guard(|| self::status(status).is_ok_and(|s| s.decisions.publish.allowed))
}

/// May administrators work? False for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_may_administer(status: *const lic_status) -> bool {
    guard(|| self::status(status).is_ok_and(|s| s.decisions.administer.allowed))
}

/// How many warnings the status has.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_warning_count(
    status: *const lic_status,
    out: *mut usize,
) -> lic_result {
    call(|| {
        let s = self::status(status)?;
        put(out, "out", s.warnings.len())
    })
}

/// Warning `index` in words, like "this license expires within 12 days:
/// renew the subscription" (a string getter: see `lic_license_organization`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_warning_at(
    status: *const lic_status,
    index: usize,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    call(|| {
        let s = self::status(status)?;
        let warning = s.warnings.get(index).ok_or_else(|| {
            Failure::new(
                lic_result::LIC_INDEX_OUT_OF_RANGE,
                format!(
                    "warning index {index} is out of range: the status has {}",
                    s.warnings.len()
                ),
            )
        })?;
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(&warning.to_string(), buf, len, written) }
    })
}

/// The valid license the status is based on (free it with
/// `lic_license_free`); `LIC_NO_LICENSE` on the trial or when the installed
/// license is not valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_license(
    status: *const lic_status,
    out: *mut *mut lic_license,
) -> lic_result {
    call(|| {
        let s = self::status(status)?;
        let out = out_ptr(out, "out")?;
        let license = s.license.clone().ok_or_else(|| {
            Failure::new(lic_result::LIC_NO_LICENSE, "no valid license is installed")
        })?;
        give(out, lic_license::new(license))
    })
}

/// When the status judged the license, in seconds since 1970 UTC: the
/// clock, or the latest time seen when the clock was turned back.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_judged_at(
    status: *const lic_status,
    unix_time: *mut i64,
) -> lic_result {
    call(|| {
        let s = self::status(status)?;
        put(unix_time, "unix_time", s.judged_at.unix_seconds())
    })
}

fn reason(
    status: *const lic_status,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
    pick: impl FnOnce(&licensing::Decisions) -> &licensing::Decision,
) -> lic_result {
    call(|| {
        let s = self::status(status)?;
        let text = &pick(&s.decisions).reason;
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(text, buf, len, written) }
    })
}

/// Why the environment may or may not run applications, like "licensed" or
/// "the trial is over and no license is installed" (a string getter: see
/// `lic_license_organization`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_run_reason(
    status: *const lic_status,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    reason(status, buf, len, written, |d| &d.run)
}

/// Why new applications may or may not be published, like "over a hard
/// limit: application-objects 451/450" (a string getter).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_publish_reason(
    status: *const lic_status,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    reason(status, buf, len, written, |d| &d.publish)
}

/// Why administrators may work (always: to install a license; a string
/// getter).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_status_administer_reason(
    status: *const lic_status,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    reason(status, buf, len, written, |d| &d.administer)
}
