//! The C ABI: a thin `extern "C"` layer that converts arguments, delegates
//! to the core and converts results. No licensing logic lives here.
//!
//! Conventions (as in rustls-ffi): opaque handles made by `_new` and
//! released by `_free` (which accepts NULL); every function returns a
//! [`lic_result`] unless it cannot fail; out-parameters come last and are
//! written only on success; every buffer is a pointer and a length; strings
//! are UTF-8; every pointer is checked for NULL; a panic never unwinds into
//! the caller (it becomes `LIC_PANIC`). The header `include/licensing.h` is
//! generated from this module by cbindgen.
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]
// The exports are called from C, where every function is "unsafe": the
// pointer contracts are in the header's documentation, and each export
// checks its pointers for NULL before use.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod boundary;
mod license;
mod result;
mod serial;
mod store;
mod validator;

pub use license::*;
pub use result::*;
pub use serial::*;
pub use store::*;
pub use validator::*;

/// The library's version, like `0.1.0`: a static NUL-terminated string.
#[unsafe(no_mangle)]
pub extern "C" fn lic_version() -> *const std::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
