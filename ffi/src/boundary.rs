//! What every export shares: the panic boundary, the thread's last error,
//! and the checked conversions of pointers, buffers and strings.

use super::result::lic_result;
use std::cell::RefCell;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A failed call: its code and the message for `lic_last_error_message`.
pub(crate) struct Failure {
    pub code: lic_result,
    pub message: String,
}

impl Failure {
    pub fn new(code: lic_result, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn null(name: &str) -> Self {
        Self::new(
            lic_result::LIC_NULL_ARGUMENT,
            format!("the argument '{name}' is NULL: pass a valid pointer"),
        )
    }
}

thread_local! {
    // Per thread, so concurrent callers never see each other's failures.
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// This thread's last failure message ("" when none).
pub(crate) fn last_error() -> String {
    LAST_ERROR.with(|e| e.borrow().clone())
}

/// Keeps `message` as this thread's last failure, with every character
/// unsafe to print escaped (a message may quote a file's text, and the host
/// may print it to a terminal or a log).
fn record(message: &str) {
    LAST_ERROR.with(|e| {
        let mut e = e.borrow_mut();
        e.clear();
        e.push_str(&licensing::printable(message));
    });
}

/// What an export returns when its body panicked.
pub(crate) trait OnPanic {
    fn on_panic() -> Self;
}

impl OnPanic for lic_result {
    fn on_panic() -> Self {
        lic_result::LIC_PANIC
    }
}

impl OnPanic for bool {
    fn on_panic() -> Self {
        false
    }
}

impl OnPanic for usize {
    fn on_panic() -> Self {
        0
    }
}

impl OnPanic for () {
    fn on_panic() -> Self {}
}

/// Runs an export's body; a panic becomes the return type's panic value
/// (and the thread's last error), never an unwind into C. Inlined: on the
/// hot lookups its cost is a landing pad, not a call.
#[inline(always)]
pub(crate) fn guard<T: OnPanic>(body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(panic) => panicked(panic),
    }
}

#[cold]
fn panicked<T: OnPanic>(panic: Box<dyn std::any::Any + Send>) -> T {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    record(&format!(
        "the licensing library panicked (a bug; please report it): {what}"
    ));
    T::on_panic()
}

/// Runs a fallible export's body inside [`guard`], recording a failure's
/// message as the thread's last error.
#[inline(always)]
pub(crate) fn call(body: impl FnOnce() -> Result<(), Failure>) -> lic_result {
    guard(|| match body() {
        Ok(()) => lic_result::LIC_OK,
        Err(failure) => {
            record(&failure.message);
            failure.code
        }
    })
}

/// A shared reference from a handle pointer.
///
/// # Safety
/// `p` is NULL or points to a live `T`.
pub(crate) unsafe fn borrow<'a, T>(p: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: non-NULL pointers are live per the caller's contract.
    unsafe { p.as_ref() }.ok_or_else(|| Failure::null(name))
}

/// The caller's bytes. NULL is allowed only with `len` 0.
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes.
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    if p.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null(name))
        };
    }
    // SAFETY: `p` points to `len` readable bytes per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// A NUL-terminated UTF-8 string argument; NULL is `None`.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string.
pub(crate) unsafe fn optional_str<'a>(
    p: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: a NUL-terminated string per the caller's contract.
    let text = unsafe { CStr::from_ptr(p) };
    text.to_str().map(Some).map_err(|e| {
        Failure::new(
            lic_result::LIC_INVALID_UTF8,
            format!("the argument '{name}' is not valid UTF-8 ({e})"),
        )
    })
}

/// A required NUL-terminated UTF-8 string argument.
///
/// # Safety
/// As [`optional_str`].
pub(crate) unsafe fn required_str<'a>(p: *const c_char, name: &str) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    unsafe { optional_str(p, name) }?.ok_or_else(|| Failure::null(name))
}

/// Checks an out-parameter before any work, so that a call that cannot
/// report its result does nothing.
pub(crate) fn out_ptr<T>(p: *mut T, name: &str) -> Result<*mut T, Failure> {
    if p.is_null() {
        Err(Failure::null(name))
    } else {
        Ok(p)
    }
}

/// Writes `value` to the out-parameter `out` (checked for NULL).
pub(crate) fn put<T>(out: *mut T, name: &str, value: T) -> Result<(), Failure> {
    let out = out_ptr(out, name)?;
    // SAFETY: checked non-NULL; writable per the caller's contract.
    unsafe { *out = value };
    Ok(())
}

/// Hands `value` to the caller as an owned handle through `out`; the
/// caller releases it with the matching `_free`, which calls [`free`].
pub(crate) fn give<T>(out: *mut *mut T, value: T) -> Result<(), Failure> {
    put(out, "out", Box::into_raw(Box::new(value)))
}

/// Releases a handle made by [`give`]; NULL does nothing.
pub(crate) fn free<T>(handle: *mut T) {
    guard(|| {
        if !handle.is_null() {
            // SAFETY: made by Box::into_raw in `give`, freed once per the
            // caller's contract.
            drop(unsafe { Box::from_raw(handle) });
        }
    })
}

/// Copies `s` and a NUL into `buf` when `len` is enough; `written` receives
/// the length without the NUL either way (it tells a too-small caller how
/// much to allocate).
///
/// # Safety
/// `buf` is NULL or points to `len` writable bytes; `written` is NULL or
/// points to a writable `usize`.
pub(crate) unsafe fn write_string(
    s: &str,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> Result<(), Failure> {
    let written = out_ptr(written, "written")?;
    if buf.is_null() && len > 0 {
        return Err(Failure::null("buf"));
    }
    // SAFETY: checked non-NULL; writable per the caller's contract.
    unsafe { *written = s.len() };
    if len <= s.len() {
        return Err(Failure::new(
            lic_result::LIC_BUFFER_TOO_SMALL,
            format!(
                "the buffer has {len} bytes but {} are needed (the text and its NUL): call again with a larger buffer",
                s.len() + 1
            ),
        ));
    }
    // SAFETY: `buf` has room for `s.len() + 1` bytes, checked above.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), s.len());
        *buf.add(s.len()) = 0;
    }
    Ok(())
}

/// Copies `s` and a NUL into `buf` when it fits; otherwise writes nothing.
///
/// # Safety
/// `buf` is NULL or points to `len` writable bytes.
pub(crate) unsafe fn write_message(s: &str, buf: *mut c_char, len: usize) {
    if !buf.is_null() && len > s.len() {
        // SAFETY: room for `s.len() + 1` bytes, checked above.
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), s.len());
            *buf.add(s.len()) = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_result_and_a_message() {
        let result = call(|| panic!("boom"));
        assert_eq!(result, lic_result::LIC_PANIC);
        assert!(last_error().contains("boom"), "{}", last_error());
        assert!(!guard(|| -> bool { panic!("again") }));
        assert_eq!(guard(|| -> usize { panic!("and again") }), 0);
    }

    #[test]
    fn failures_are_per_thread() {
        let code = call(|| Err(Failure::new(lic_result::LIC_EXPIRED, "expired here")));
        assert_eq!(code, lic_result::LIC_EXPIRED);
        assert_eq!(last_error(), "expired here");
        std::thread::spawn(|| assert_eq!(last_error(), ""))
            .join()
            .unwrap();
        // Success leaves the last failure in place.
        assert_eq!(call(|| Ok(())), lic_result::LIC_OK);
        assert_eq!(last_error(), "expired here");
    }

    #[test]
    fn strings_fit_or_report_the_length_needed() {
        let mut buf = [0x55 as c_char; 8];
        let mut written = 0usize;
        // SAFETY: `buf` has 8 bytes; `written` is a local.
        unsafe {
            let too_small = write_string("12345678", buf.as_mut_ptr(), 8, &mut written);
            assert_eq!(
                too_small.err().map(|f| f.code),
                Some(lic_result::LIC_BUFFER_TOO_SMALL)
            );
            assert_eq!(written, 8);
            assert!(buf.iter().all(|&b| b == 0x55), "nothing written");
            assert!(write_string("1234567", buf.as_mut_ptr(), 8, &mut written).is_ok());
            assert_eq!(written, 7);
            assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str(), Ok("1234567"));
            let null = write_string("x", std::ptr::null_mut(), 8, &mut written);
            assert_eq!(
                null.err().map(|f| f.code),
                Some(lic_result::LIC_NULL_ARGUMENT)
            );
            let query = write_string("xyz", std::ptr::null_mut(), 0, &mut written);
            assert_eq!(
                query.err().map(|f| f.code),
                Some(lic_result::LIC_BUFFER_TOO_SMALL)
            );
            assert_eq!(written, 3);
            let no_written = write_string("x", buf.as_mut_ptr(), 8, std::ptr::null_mut());
            assert_eq!(
                no_written.err().map(|f| f.code),
                Some(lic_result::LIC_NULL_ARGUMENT)
            );
        }
    }

    #[test]
    fn every_code_has_its_own_message() {
        let mut seen = std::collections::HashSet::new();
        for code in lic_result::ALL {
            assert!(seen.insert(code.message()), "{code:?} shares a message");
        }
    }
}
