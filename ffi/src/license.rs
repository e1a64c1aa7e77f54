//! `lic_license`: a validated license and its cheap lookups.

use super::boundary::{Failure, borrow, bytes, call, free, guard, out_ptr, put, write_string};
use super::result::lic_result;
use licensing::{Enforcement, LicenseState, LicenseType, Limit, Purpose, Usage, ValidatedLicense};
use std::ffi::{CStr, c_char};

/// A license that passed validation. Immutable; safe to read from many
/// threads. Free it with `lic_license_free`.
pub struct lic_license {
    inner: ValidatedLicense,
}

impl lic_license {
    pub(crate) fn new(inner: ValidatedLicense) -> Self {
        Self { inner }
    }
}

/// Where a valid license stands in time.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum lic_state {
    /// Valid and not near its end (or never ending).
    LIC_STATE_ACTIVE = 0,
    /// Valid, ending within 30 days: `days_left` says when.
    LIC_STATE_EXPIRING_SOON = 1,
    /// Expired but in its grace period: `days_left` to install a renewal.
    LIC_STATE_IN_GRACE = 2,
}

/// How a usage figure compares with a limit.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum lic_usage {
    /// The license sets no such limit.
    LIC_USAGE_UNLIMITED = 0,
    /// Below 90% of the limit.
    LIC_USAGE_WITHIN = 1,
    /// From 90% of the limit up to the limit.
    LIC_USAGE_NEAR = 2,
    /// Over a soft limit: warn, block nothing.
    LIC_USAGE_OVER_SOFT_LIMIT = 3,
    /// Over a hard limit: block what the limit guards.
    LIC_USAGE_OVER_HARD_LIMIT = 4,
}

/// The type of license, as the administrator's page shows it.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum lic_type {
    /// For building and testing applications.
    LIC_TYPE_DEVELOPMENT = 0,
    /// For serving users.
    LIC_TYPE_PRODUCTION = 1,
}

/// What the licensed environment is for.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum lic_purpose {
    /// Development.
    LIC_PURPOSE_DEVELOPMENT = 0,
    /// Quality assurance, staging and other non-production uses.
    LIC_PURPOSE_NON_PRODUCTION = 1,
    /// Production.
    LIC_PURPOSE_PRODUCTION = 2,
    /// The management console's environment.
    LIC_PURPOSE_MANAGEMENT = 3,
}

/// Whether going over a limit blocks or warns.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum lic_enforcement {
    /// Going over blocks what the limit guards.
    LIC_ENFORCEMENT_HARD = 0,
    /// Going over is reported; nothing is blocked.
    LIC_ENFORCEMENT_SOFT = 1,
}

/// Frees a license made by `lic_validator_validate`. NULL is allowed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_free(license: *mut lic_license) {
    free(license)
}

fn license<'a>(p: *const lic_license) -> Result<&'a ValidatedLicense, Failure> {
    // SAFETY: NULL or a live handle per the caller's contract.
    unsafe { borrow(p, "license") }.map(|l| &l.inner)
}

/// The license's state; `days_left` (may be NULL) receives what
/// `lic_license_days_left` gives (0 for a license that never expires).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_state(
    license: *const lic_license,
    out: *mut lic_state,
    days_left: *mut u32,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        out_ptr(out, "out")?;
        let state = match l.state() {
            LicenseState::Active => lic_state::LIC_STATE_ACTIVE,
            LicenseState::ExpiringSoon { .. } => lic_state::LIC_STATE_EXPIRING_SOON,
            LicenseState::InGrace { .. } => lic_state::LIC_STATE_IN_GRACE,
        };
        if !days_left.is_null() {
            put(days_left, "days_left", l.days_left().unwrap_or(0))?;
        }
        put(out, "out", state)
    })
}

/// Days left at the time the license was validated at, with one meaning in
/// every binding: until it expires (active, expiring soon) or until its
/// grace period ends (in grace). `LIC_NEVER_EXPIRES` (nothing written) for
/// a license that never expires.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_days_left(
    license: *const lic_license,
    out: *mut u32,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        put_days_left(l.days_left(), out)
    })
}

/// Writes the core's days left to `out`; `None` (never expires) is
/// `LIC_NEVER_EXPIRES` with nothing written.
pub(crate) fn put_days_left(days: Option<u32>, out: *mut u32) -> Result<(), Failure> {
    let out = out_ptr(out, "out")?;
    let days = days.ok_or_else(|| {
        Failure::new(
            lic_result::LIC_NEVER_EXPIRES,
            "the license never expires: there are no days left to count",
        )
    })?;
    put(out, "out", days)
}

/// Whether the license grants `feature` (a NUL-terminated name). False for
/// NULL arguments. A hash and one slot read: about 7 ns (see benches/c).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_has_feature(
    license: *const lic_license,
    feature: *const c_char,
) -> bool {
    guard(|| {
        if feature.is_null() {
            return false;
        }
        // SAFETY: NULL or a live handle.
        let Some(l) = (unsafe { license.as_ref() }) else {
            return false;
        };
        // SAFETY: a NUL-terminated string per the caller's contract.
        let name = unsafe { CStr::from_ptr(feature) }.to_bytes();
        l.inner.has_feature_bytes(name)
    })
}

/// Like `lic_license_has_feature`, with the name as the `len` bytes at
/// `feature` (UTF-8, no NUL needed): for callers that know the length,
/// such as the .NET, Java and Python bindings, it skips a `strlen`. A name
/// with a NUL or invalid UTF-8 in it matches no feature. False for a NULL
/// license, or a NULL `feature` with `len` > 0 (NULL with 0 is the empty
/// name).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_has_feature_n(
    license: *const lic_license,
    feature: *const u8,
    len: usize,
) -> bool {
    guard(|| {
        // SAFETY: NULL or a live handle.
        let Some(l) = (unsafe { license.as_ref() }) else {
            return false;
        };
        // SAFETY: `len` readable bytes or NULL, per the caller's contract.
        match unsafe { bytes(feature, len, "feature") } {
            Ok(name) => l.inner.has_feature_bytes(name),
            Err(_) => false,
        }
    })
}

/// The value of the limit named `limit`; `LIC_NO_SUCH_LIMIT` when the
/// license sets none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_limit(
    license: *const lic_license,
    limit: *const c_char,
    out: *mut u64,
) -> lic_result {
    call(|| {
        // SAFETY: NULL or a NUL-terminated string, per the caller's contract.
        let found = find_limit(license, || unsafe { c_name(limit) }, out)?;
        put(out, "out", found.value)
    })
}

/// Like `lic_license_limit`, with the limit's name as the `len` bytes at
/// `limit` (UTF-8, no NUL needed): for callers that know the length.
/// `LIC_INVALID_UTF8` when the name is not UTF-8; a NULL `limit` is allowed
/// only with `len` 0 (the empty name).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_limit_n(
    license: *const lic_license,
    limit: *const u8,
    len: usize,
    out: *mut u64,
) -> lic_result {
    call(|| {
        // SAFETY: `len` readable bytes or NULL, per the caller's contract.
        let found = find_limit(license, || unsafe { bytes(limit, len, "limit") }, out)?;
        put(out, "out", found.value)
    })
}

/// Whether going over the limit named `limit` blocks (hard) or warns
/// (soft); `LIC_NO_SUCH_LIMIT` when the license sets none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_limit_enforcement(
    license: *const lic_license,
    limit: *const c_char,
    out: *mut lic_enforcement,
) -> lic_result {
    call(|| {
        // SAFETY: NULL or a NUL-terminated string, per the caller's contract.
        let found = find_limit(license, || unsafe { c_name(limit) }, out)?;
        put(out, "out", enforcement(found))
    })
}

/// Like `lic_license_limit_enforcement`, with the limit's name as the `len`
/// bytes at `limit` (UTF-8, no NUL needed). `LIC_INVALID_UTF8` when the
/// name is not UTF-8; a NULL `limit` is allowed only with `len` 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_limit_enforcement_n(
    license: *const lic_license,
    limit: *const u8,
    len: usize,
    out: *mut lic_enforcement,
) -> lic_result {
    call(|| {
        // SAFETY: `len` readable bytes or NULL, per the caller's contract.
        let found = find_limit(license, || unsafe { bytes(limit, len, "limit") }, out)?;
        put(out, "out", enforcement(found))
    })
}

fn enforcement(limit: &Limit) -> lic_enforcement {
    match limit.enforcement {
        Enforcement::Hard => lic_enforcement::LIC_ENFORCEMENT_HARD,
        Enforcement::Soft => lic_enforcement::LIC_ENFORCEMENT_SOFT,
    }
}

/// A NUL-terminated limit name's bytes, or `LIC_NULL_ARGUMENT`.
///
/// # Safety
/// `limit` is NULL or a NUL-terminated string.
#[inline(always)]
unsafe fn c_name<'a>(limit: *const c_char) -> Result<&'a [u8], Failure> {
    if limit.is_null() {
        // A fixed message, not `Failure::null`: its formatting, inlined,
        // lengthened the usage check by 2% of its instructions (callgrind).
        return Err(Failure::new(
            lic_result::LIC_NULL_ARGUMENT,
            "the argument 'limit' is NULL: pass a valid pointer",
        ));
    }
    // SAFETY: a NUL-terminated string per the caller's contract.
    Ok(unsafe { CStr::from_ptr(limit) }.to_bytes())
}

/// The limit that `name()` names, with the arguments checked in their
/// order (license, name, out): `LIC_NO_SUCH_LIMIT` when the license sets
/// none, `LIC_INVALID_UTF8` when the name is not UTF-8.
fn find_limit<'a, T>(
    license: *const lic_license,
    name: impl FnOnce() -> Result<&'a [u8], Failure>,
    out: *mut T,
) -> Result<&'a Limit, Failure> {
    let l = self::license(license)?;
    let name = name()?;
    out_ptr(out, "out")?;
    match l.limit_bytes(name) {
        Some(found) => Ok(found),
        None => Err(match std::str::from_utf8(name) {
            // Escaped: a NUL from a `_n` name would cut the C string short.
            Ok(name) => Failure::new(
                lic_result::LIC_NO_SUCH_LIMIT,
                format!(
                    "the license sets no limit named '{}': usage of it is not limited",
                    name.escape_debug()
                ),
            ),
            Err(e) => not_utf8(e),
        }),
    }
}

/// `LIC_INVALID_UTF8` for a limit name.
fn not_utf8(e: std::str::Utf8Error) -> Failure {
    Failure::new(
        lic_result::LIC_INVALID_UTF8,
        format!("the argument 'limit' is not valid UTF-8 ({e})"),
    )
}

/// Compares `usage` with the limit named `limit`: within, near (from 90%),
/// over a soft limit, over a hard limit, or unlimited when the license sets
/// no such limit.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_check_usage(
    license: *const lic_license,
    limit: *const c_char,
    usage: u64,
    out: *mut lic_usage,
) -> lic_result {
    // SAFETY: NULL or a NUL-terminated string, per the caller's contract.
    check_usage(license, usage, out, || unsafe { c_name(limit) })
}

/// Like `lic_license_check_usage`, with the limit's name as the `len` bytes
/// at `limit` (UTF-8, no NUL needed): for callers that know the length.
/// `LIC_INVALID_UTF8` when the name is not UTF-8; a NULL `limit` is allowed
/// only with `len` 0 (the empty name).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_check_usage_n(
    license: *const lic_license,
    limit: *const u8,
    len: usize,
    usage: u64,
    out: *mut lic_usage,
) -> lic_result {
    // SAFETY: `len` readable bytes or NULL, per the caller's contract.
    check_usage(license, usage, out, || unsafe {
        bytes(limit, len, "limit")
    })
}

/// The body of both usage checks, inlined into each (as `has_feature`).
/// The arguments are checked in their order: license, name, out; a limit
/// the license does not set is `LIC_USAGE_UNLIMITED`. It repeats the
/// checks of [`find_limit`] rather than share a helper with it: sharing
/// cost the usage checks 2% to 7% more instructions (callgrind).
#[inline(always)]
fn check_usage<'a>(
    license: *const lic_license,
    usage: u64,
    out: *mut lic_usage,
    name: impl FnOnce() -> Result<&'a [u8], Failure>,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        let name = name()?;
        let out = out_ptr(out, "out")?;
        let found = l.limit_bytes(name);
        if found.is_none()
            && let Err(e) = std::str::from_utf8(name)
        {
            // Only a miss pays for UTF-8 validation: a match is valid UTF-8.
            return Err(not_utf8(e));
        }
        let level = match found.map_or(Usage::Unlimited, |f| f.check(usage)) {
            Usage::Unlimited => lic_usage::LIC_USAGE_UNLIMITED,
            Usage::Within => lic_usage::LIC_USAGE_WITHIN,
            Usage::Near => lic_usage::LIC_USAGE_NEAR,
            Usage::OverSoftLimit => lic_usage::LIC_USAGE_OVER_SOFT_LIMIT,
            Usage::OverHardLimit => lic_usage::LIC_USAGE_OVER_HARD_LIMIT,
        };
        put(out, "out", level)
    })
}

/// When the license expires, in seconds since 1970 UTC (the first second
/// after its end date); `LIC_NEVER_EXPIRES` when it never does.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_expires_at(
    license: *const lic_license,
    unix_time: *mut i64,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        out_ptr(unix_time, "unix_time")?;
        let at = l.license().expires_at.ok_or_else(|| {
            Failure::new(lic_result::LIC_NEVER_EXPIRES, "the license never expires")
        })?;
        put(unix_time, "unix_time", at.unix_seconds())
    })
}

/// When the license was issued, in seconds since 1970 UTC.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_issued_at(
    license: *const lic_license,
    unix_time: *mut i64,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        put(unix_time, "unix_time", l.license().issued_at.unix_seconds())
    })
}

/// The subscription's revision when the license was issued: a renewal has
/// a higher one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_revision(
    license: *const lic_license,
    out: *mut u32,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        put(out, "out", l.license().revision)
    })
}

/// Development or production.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_type(
    license: *const lic_license,
    out: *mut lic_type,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        let t = match l.license().license_type {
            LicenseType::Development => lic_type::LIC_TYPE_DEVELOPMENT,
            LicenseType::Production => lic_type::LIC_TYPE_PRODUCTION,
        };
        put(out, "out", t)
    })
}

/// What the licensed environment is for.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_purpose(
    license: *const lic_license,
    out: *mut lic_purpose,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        let p = match l.license().purpose {
            Purpose::Development => lic_purpose::LIC_PURPOSE_DEVELOPMENT,
            Purpose::NonProduction => lic_purpose::LIC_PURPOSE_NON_PRODUCTION,
            Purpose::Production => lic_purpose::LIC_PURPOSE_PRODUCTION,
            Purpose::Management => lic_purpose::LIC_PURPOSE_MANAGEMENT,
        };
        put(out, "out", p)
    })
}

/// How many features the license grants (for listing them with
/// `lic_license_feature_at`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_feature_count(
    license: *const lic_license,
    out: *mut usize,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        put(out, "out", l.license().features.len())
    })
}

/// How many limits the license sets (for listing them with
/// `lic_license_limit_at`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_limit_count(
    license: *const lic_license,
    out: *mut usize,
) -> lic_result {
    call(|| {
        let l = self::license(license)?;
        put(out, "out", l.license().limits.len())
    })
}

fn index_error(what: &str, index: usize, count: usize) -> Failure {
    Failure::new(
        lic_result::LIC_INDEX_OUT_OF_RANGE,
        format!("{what} index {index} is out of range: the license has {count}"),
    )
}

/// The name of feature `index` (0-based, in sorted order), as a string
/// getter (see `lic_license_organization`). `LIC_INDEX_OUT_OF_RANGE`
/// when `index` is out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_feature_at(
    license: *const lic_license,
    index: usize,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    call(|| {
        let features = &self::license(license)?.license().features;
        let name = features
            .get(index)
            .ok_or_else(|| index_error("feature", index, features.len()))?;
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(name, buf, len, written) }
    })
}

/// The name of limit `index` (0-based, in sorted order), as a string getter.
/// `LIC_INDEX_OUT_OF_RANGE` when `index` is out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_limit_at(
    license: *const lic_license,
    index: usize,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    call(|| {
        let limits = &self::license(license)?.license().limits;
        let limit = limits
            .get(index)
            .ok_or_else(|| index_error("limit", index, limits.len()))?;
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(&limit.name, buf, len, written) }
    })
}

/// The bounds of limit `index` (0-based, in sorted order), with which a
/// binding answers `lic_license_check_usage` by two comparisons in its own
/// language: over the limit (hard or soft, `*enforcement`) when
/// `usage > *value`, else `LIC_USAGE_NEAR` when `usage >= *near_from`, else
/// `LIC_USAGE_WITHIN`. The core computes `near_from` (90% of the value,
/// rounded up; 1 for a limit of 0): no binding holds the rule.
/// `LIC_INDEX_OUT_OF_RANGE` when `index` is out of range; the out-parameters
/// are written only on `LIC_OK`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_limit_bounds_at(
    license: *const lic_license,
    index: usize,
    value: *mut u64,
    near_from: *mut u64,
    enforcement_out: *mut lic_enforcement,
) -> lic_result {
    call(|| {
        let limits = &self::license(license)?.license().limits;
        let value = out_ptr(value, "value")?;
        let near_from = out_ptr(near_from, "near_from")?;
        let enforcement_out = out_ptr(enforcement_out, "enforcement")?;
        let limit = limits
            .get(index)
            .ok_or_else(|| index_error("limit", index, limits.len()))?;
        put(value, "value", limit.value)?;
        put(near_from, "near_from", limit.near_from())?;
        put(enforcement_out, "enforcement", enforcement(limit))
    })
}

/// The number of this license's verification (`*out`): unique in the
/// process and never reused; every validation answered from a validator's
/// cache of verified files gives the same number, so a binding may keep
/// what it read from one license (features, limits) under it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_verification_id(
    license: *const lic_license,
    out: *mut u64,
) -> lic_result {
    call(|| {
        let id = self::license(license)?.verification_id();
        put(out_ptr(out, "out")?, "out", id)
    })
}

/// Writes the string `field` picks from the license: the shared body of
/// the string getters.
fn string_field(
    license: *const lic_license,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
    field: impl FnOnce(&licensing::License) -> String,
) -> lic_result {
    call(|| {
        let value = field(self::license(license)?.license());
        // SAFETY: buffer and `written` per the contract; checked for NULL.
        unsafe { write_string(&value, buf, len, written) }
    })
}

/// The activation code, like `7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5` (31 bytes).
/// A string getter: see `lic_license_organization`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_activation_code(
    license: *const lic_license,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    string_field(license, buf, len, written, |l| {
        l.activation_code.to_string()
    })
}

/// The serial number the license is bound to (31 bytes). A string
/// getter: see `lic_license_organization`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_serial_number(
    license: *const lic_license,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    string_field(license, buf, len, written, |l| l.serial_number.to_string())
}

/// The customer's organization. Like every string getter: writes a
/// NUL-terminated UTF-8 string into `buf` (`len` bytes) and its length
/// without the NUL into `written`; a buffer that is too small gets
/// `LIC_BUFFER_TOO_SMALL`, nothing written to it, and the length needed
/// in `written` (allocate `written + 1` bytes and call again).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_organization(
    license: *const lic_license,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    string_field(license, buf, len, written, |l| l.organization.clone())
}

/// The edition, like `Enterprise`. A string getter: see `lic_license_organization`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_edition(
    license: *const lic_license,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    string_field(license, buf, len, written, |l| l.edition.clone())
}

/// The support level, like `premium`. A string getter: see `lic_license_organization`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_support(
    license: *const lic_license,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    string_field(license, buf, len, written, |l| l.support.clone())
}

/// The environment's name, like `Production`. A string getter: see
/// `lic_license_organization`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_environment_name(
    license: *const lic_license,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    string_field(license, buf, len, written, |l| l.environment_name.clone())
}

/// The license id: 32 hex digits. A string getter: see `lic_license_organization`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_id(
    license: *const lic_license,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    string_field(license, buf, len, written, |l| l.license_id.to_string())
}
