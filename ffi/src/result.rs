//! The result codes of the C ABI and their messages.

use super::boundary::{guard, last_error, write_message};
use std::ffi::c_char;

/// The result of a C ABI call. 0 is success; the other values are stable
/// and grouped: 1-99 misuse of the API, 100-199 keys, 200-299 a license that
/// is not valid, 300-399 answers of lookups, 400-499 hardware identity,
/// 500-599 the license store.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum lic_result {
    /// Success.
    LIC_OK = 0,
    /// A required pointer argument was NULL.
    LIC_NULL_ARGUMENT = 1,
    /// A string argument is not valid UTF-8.
    LIC_INVALID_UTF8 = 2,
    /// The caller's buffer is too small; nothing was written to it. The
    /// `written` out-parameter holds the length needed (without the NUL).
    LIC_BUFFER_TOO_SMALL = 3,
    /// A serial number argument is not a valid serial number (see the last
    /// error message for where it is wrong).
    LIC_INVALID_SERIAL_NUMBER = 4,
    /// An activation code argument is not a valid activation code.
    LIC_INVALID_ACTIVATION_CODE = 5,
    /// An index argument is out of range (see the matching `_count`).
    LIC_INDEX_OUT_OF_RANGE = 6,
    /// A platform version argument is not dotted numbers like `11.14`.
    LIC_INVALID_PLATFORM_VERSION = 7,
    /// An environment name argument is empty, too long (over 100
    /// characters) or holds a control character.
    LIC_INVALID_ENVIRONMENT_NAME = 8,
    /// A purpose argument is not one of the `lic_purpose` values.
    LIC_INVALID_PURPOSE = 9,
    /// The library panicked; this is a bug. The call had no effect.
    LIC_PANIC = 99,
    /// The trusted keys are not P-256 public keys in SPKI PEM.
    LIC_BAD_TRUSTED_KEYS = 100,
    /// The license file is malformed (not a license file, cut short, ...).
    LIC_MALFORMED = 200,
    /// The license file's format version is not supported.
    LIC_UNSUPPORTED_VERSION = 201,
    /// The license file is signed by a key that is not trusted.
    LIC_UNKNOWN_KEY = 202,
    /// The signature does not match the contents: altered or damaged.
    LIC_BAD_SIGNATURE = 203,
    /// The license belongs to another activation code.
    LIC_WRONG_ACTIVATION_CODE = 204,
    /// The license is for another environment's serial number.
    LIC_WRONG_SERIAL = 205,
    /// The license is not valid yet (check the clock).
    LIC_NOT_YET_VALID = 206,
    /// The license expired and its grace period ended.
    LIC_EXPIRED = 207,
    /// The license carries a critical extension this runtime does not
    /// know: a newer runtime is needed.
    LIC_UNKNOWN_CRITICAL_EXTENSION = 208,
    /// The license's platform version cap does not cover the platform
    /// version the validator was made for (`lic_validator_new_for_platform`).
    LIC_PLATFORM_VERSION_NOT_COVERED = 209,
    /// The license sets no such limit (the usage is not limited).
    LIC_NO_SUCH_LIMIT = 300,
    /// The license never expires, so it has no expiry time.
    LIC_NEVER_EXPIRES = 301,
    /// The status has no valid license (trial, expired or invalid).
    LIC_NO_LICENSE = 302,
    /// No stable hardware identity could be read and none is pinned.
    LIC_NO_HARDWARE_IDENTITY = 400,
    /// A file of the license store could not be read or written.
    LIC_STORE_IO = 500,
    /// The license is an older revision than the installed one (install
    /// with `force` to downgrade on purpose).
    LIC_DOWNGRADE = 501,
    /// There is no previous license to restore.
    LIC_NO_BACKUP = 502,
    /// The store's state file is damaged. Not returned since 0.2: a damaged
    /// or altered state is reported by a status warning (the state is not
    /// believed, the trial ends, a license keeps running); kept so that
    /// every code keeps its number.
    LIC_CORRUPT_STATE = 503,
    /// The directory holds no license store (`lic_store_open` of a
    /// mistyped path, say): create one with `lic_store_create`.
    LIC_NO_STORE = 504,
    /// The clock reset was already applied by this store, or a later one
    /// was, or it is more than 30 days old: each is applied once, soon
    /// after its issue (ask the vendor for a new one; the last error says
    /// which).
    LIC_CLOCK_RESET_USED = 505,
    /// The usage summary is damaged, not a summary, or of another
    /// infrastructure (the last error says which): make it again from
    /// this infrastructure's usage reports.
    LIC_BAD_USAGE_SUMMARY = 506,
}

impl lic_result {
    /// Every code, for the message table and the bindings' checks.
    pub(crate) const ALL: [lic_result; 33] = [
        lic_result::LIC_OK,
        lic_result::LIC_NULL_ARGUMENT,
        lic_result::LIC_INVALID_UTF8,
        lic_result::LIC_BUFFER_TOO_SMALL,
        lic_result::LIC_INVALID_SERIAL_NUMBER,
        lic_result::LIC_INVALID_ACTIVATION_CODE,
        lic_result::LIC_INDEX_OUT_OF_RANGE,
        lic_result::LIC_INVALID_PLATFORM_VERSION,
        lic_result::LIC_INVALID_ENVIRONMENT_NAME,
        lic_result::LIC_INVALID_PURPOSE,
        lic_result::LIC_PANIC,
        lic_result::LIC_BAD_TRUSTED_KEYS,
        lic_result::LIC_MALFORMED,
        lic_result::LIC_UNSUPPORTED_VERSION,
        lic_result::LIC_UNKNOWN_KEY,
        lic_result::LIC_BAD_SIGNATURE,
        lic_result::LIC_WRONG_ACTIVATION_CODE,
        lic_result::LIC_WRONG_SERIAL,
        lic_result::LIC_NOT_YET_VALID,
        lic_result::LIC_EXPIRED,
        lic_result::LIC_UNKNOWN_CRITICAL_EXTENSION,
        lic_result::LIC_PLATFORM_VERSION_NOT_COVERED,
        lic_result::LIC_NO_SUCH_LIMIT,
        lic_result::LIC_NEVER_EXPIRES,
        lic_result::LIC_NO_LICENSE,
        lic_result::LIC_NO_HARDWARE_IDENTITY,
        lic_result::LIC_STORE_IO,
        lic_result::LIC_DOWNGRADE,
        lic_result::LIC_NO_BACKUP,
        lic_result::LIC_CORRUPT_STATE,
        lic_result::LIC_NO_STORE,
        lic_result::LIC_CLOCK_RESET_USED,
        lic_result::LIC_BAD_USAGE_SUMMARY,
    ];

    /// A fixed description of the code; the last error message of the
    /// thread has the details of one failure.
    pub fn message(self) -> &'static str {
        use lic_result::*;
        match self {
            LIC_OK => "success",
            LIC_NULL_ARGUMENT => "a required pointer argument was NULL",
            LIC_INVALID_UTF8 => "a string argument is not valid UTF-8",
            LIC_BUFFER_TOO_SMALL => "the buffer is too small: 'written' holds the length needed",
            LIC_INVALID_SERIAL_NUMBER => "the serial number is not valid",
            LIC_INVALID_ACTIVATION_CODE => "the activation code is not valid",
            LIC_INDEX_OUT_OF_RANGE => "the index is out of range",
            LIC_INVALID_PURPOSE => "the purpose is not one of the lic_purpose values",
            LIC_INVALID_ENVIRONMENT_NAME => {
                "the environment name must have 1 to 100 printable characters"
            }
            LIC_INVALID_PLATFORM_VERSION => "the platform version is not dotted numbers like 11.14",
            LIC_PANIC => "the licensing library panicked (a bug; please report it)",
            LIC_BAD_TRUSTED_KEYS => "the trusted keys are not P-256 public keys in SPKI PEM",
            LIC_MALFORMED => "the license file is malformed: get it again from the vendor",
            LIC_UNSUPPORTED_VERSION => "the license file's format version is not supported",
            LIC_UNKNOWN_KEY => "the license file is signed by a key this runtime does not trust",
            LIC_BAD_SIGNATURE => {
                "the license file was altered or damaged: get it again from the vendor"
            }
            LIC_WRONG_ACTIVATION_CODE => "the license belongs to another activation code",
            LIC_WRONG_SERIAL => "the license was issued for another environment's serial number",
            LIC_NOT_YET_VALID => "the license is not valid yet: check the clock",
            LIC_EXPIRED => "the license expired and its grace period ended",
            LIC_UNKNOWN_CRITICAL_EXTENSION => {
                "the license needs a newer runtime: it carries an extension this one does not know"
            }
            LIC_PLATFORM_VERSION_NOT_COVERED => "the license does not cover this platform version",
            LIC_NO_SUCH_LIMIT => "the license sets no such limit",
            LIC_NEVER_EXPIRES => "the license never expires",
            LIC_NO_LICENSE => "no valid license is installed",
            LIC_STORE_IO => "a file of the license store could not be read or written",
            LIC_DOWNGRADE => "the license is older than the installed one",
            LIC_NO_BACKUP => "there is no previous license to restore",
            LIC_CORRUPT_STATE => "the license store's state file is damaged",
            LIC_NO_STORE => "the directory holds no license store: create one first",
            LIC_BAD_USAGE_SUMMARY => {
                "the usage summary is damaged or of another infrastructure: make it again"
            }
            LIC_CLOCK_RESET_USED => {
                "the clock reset was already applied or is too old: ask the vendor for a new one"
            }
            LIC_NO_HARDWARE_IDENTITY => {
                "no stable hardware identity: set LICENSING_IDENTITY or LICENSING_IDENTITY_FILE"
            }
        }
    }
}

/// What kind of failure a code is: the one classification every binding
/// uses (no binding compares numeric ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Success,
    /// The caller passed something wrong: fix the calling code.
    Misuse,
    /// The license is not valid here: show the message to an administrator.
    LicenseInvalid,
    /// An answer of a lookup or a store refusal, not a fault.
    Answer,
    /// The machine or its files: the identity, the store's files.
    Environment,
    /// A bug in the library.
    Bug,
}

impl lic_result {
    fn kind(self) -> Kind {
        use lic_result::*;
        match self {
            LIC_OK => Kind::Success,
            LIC_NULL_ARGUMENT
            | LIC_INVALID_UTF8
            | LIC_BUFFER_TOO_SMALL
            | LIC_INVALID_SERIAL_NUMBER
            | LIC_INVALID_ACTIVATION_CODE
            | LIC_INDEX_OUT_OF_RANGE
            | LIC_INVALID_PLATFORM_VERSION
            | LIC_INVALID_ENVIRONMENT_NAME
            | LIC_INVALID_PURPOSE
            | LIC_BAD_TRUSTED_KEYS => Kind::Misuse,
            LIC_MALFORMED
            | LIC_UNSUPPORTED_VERSION
            | LIC_UNKNOWN_KEY
            | LIC_BAD_SIGNATURE
            | LIC_WRONG_ACTIVATION_CODE
            | LIC_WRONG_SERIAL
            | LIC_NOT_YET_VALID
            | LIC_EXPIRED
            | LIC_UNKNOWN_CRITICAL_EXTENSION
            | LIC_PLATFORM_VERSION_NOT_COVERED => Kind::LicenseInvalid,
            LIC_NO_SUCH_LIMIT | LIC_NEVER_EXPIRES | LIC_NO_LICENSE | LIC_DOWNGRADE
            | LIC_NO_BACKUP | LIC_CLOCK_RESET_USED => Kind::Answer,
            LIC_NO_HARDWARE_IDENTITY
            | LIC_STORE_IO
            | LIC_CORRUPT_STATE
            | LIC_NO_STORE
            | LIC_BAD_USAGE_SUMMARY => Kind::Environment,
            LIC_PANIC => Kind::Bug,
        }
    }

    fn of(result: u32) -> Option<lic_result> {
        lic_result::ALL
            .iter()
            .copied()
            .find(|r| *r as u32 == result)
    }
}

fn is(result: u32, kind: Kind) -> bool {
    guard(|| lic_result::of(result).is_some_and(|r| r.kind() == kind))
}

/// Whether `result` says the license is not valid here (malformed,
/// untrusted, altered, for another activation code or serial, not yet
/// valid, expired): what to show an administrator, who acts on the message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_result_is_license_invalid(result: u32) -> bool {
    is(result, Kind::LicenseInvalid)
}

/// Whether `result` says the caller misused the API (a NULL or non-UTF-8
/// argument, a too-small buffer, an index out of range, a malformed serial
/// number, activation code or key list): a bug in the calling code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_result_is_misuse(result: u32) -> bool {
    is(result, Kind::Misuse)
}

/// Whether `result` is a problem of the machine rather than of the license
/// or the call: no hardware identity, a store file that cannot be read or
/// written, a damaged state file. An operator fixes it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_result_is_environment(result: u32) -> bool {
    is(result, Kind::Environment)
}

/// Writes the fixed description of `result` (a `lic_result` value) into
/// `buf` as a NUL-terminated string and returns its length without the NUL.
/// When `len` is too small (or `buf` is NULL) nothing is written: call again
/// with a buffer of at least the returned length + 1. An unknown value gets
/// "unknown result code".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_result_message(result: u32, buf: *mut c_char, len: usize) -> usize {
    guard(|| {
        let message = lic_result::of(result).map_or("unknown result code", lic_result::message);
        // SAFETY: the caller gives a buffer of `len` bytes or NULL.
        unsafe { write_message(message, buf, len) };
        message.len()
    })
}

/// Writes this thread's last failure, in words (what was expected, what
/// was found, what to do), into `buf` as a NUL-terminated string; an empty
/// string when no call on this thread has failed. `written` receives the
/// length without the NUL, also when the result is `LIC_BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_last_error_message(
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> lic_result {
    guard(|| {
        let message = last_error();
        // Not through `call`: reading the last error must not replace it.
        // SAFETY: the caller gives a buffer of `len` bytes and a `written`
        // pointer, or NULLs, which are checked.
        match unsafe { super::boundary::write_string(&message, buf, len, written) } {
            Ok(()) => lic_result::LIC_OK,
            Err(failure) => failure.code,
        }
    })
}
