//! The C ABI: a thin `extern "C"` layer that converts arguments, delegates
//! to the core and converts results. No licensing logic lives here.
//!
//! Conventions (as in rustls-ffi): opaque handles made by `_new` and
//! released by `_free` (which accepts NULL); every function returns a
//! [`lic_result`] unless it cannot fail; out-parameters come last and are
//! written only on success; every buffer is a pointer and a length; strings
//! are UTF-8; every pointer is checked for NULL; a panic never unwinds into
//! the caller (it becomes `LIC_PANIC`). The header `include/licensing.h` is
//! generated from this crate by cbindgen.
//!
//! This is the only crate of the workspace with `unsafe` code. Every export
//! is an `unsafe extern "C" fn`: Rust code cannot call one without an
//! `unsafe` block, and the crate builds only the C library (cdylib and
//! staticlib), so no Rust crate links these symbols at all.
#![allow(non_camel_case_types)]
// The pointer contract of every export is the header's convention (NULL
// checked, buffers as pointer + length, handles from the matching `_new`),
// stated once in its preamble rather than in 55 `# Safety` sections.
#![allow(clippy::missing_safety_doc)]

mod anchor;
mod boundary;
mod exchange;
mod grants;
mod license;
mod result;
mod serial;
mod store;
mod validator;

pub use anchor::*;
pub use exchange::*;
pub use grants::*;
pub use license::*;
pub use result::*;
pub use serial::*;
pub use store::*;
pub use validator::*;

/// The library's version, like `0.1.0`: a static NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_version() -> *const std::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Sets, for the whole process, where licenses come from as the library's
/// messages (the last error, status warnings) say it: a NUL-terminated
/// UTF-8 noun phrase that reads after "from", like "the Acme customer
/// portal". NULL or "" brings back the default, "your vendor".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_set_license_source(text: *const std::ffi::c_char) -> lic_result {
    boundary::call(|| {
        // SAFETY: NULL or a NUL-terminated string per the contract.
        let text = unsafe { boundary::optional_str(text, "text") }?;
        licensing::set_license_source(text.unwrap_or_default());
        Ok(())
    })
}
