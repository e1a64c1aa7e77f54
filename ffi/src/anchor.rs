//! An anchor in the host's hands (`lic_store_with_anchor`): the store
//! keeps what it remembers outside its directory through two callbacks,
//! so that a platform can keep it in its own database.

use super::boundary::{borrow, call, give, out_ptr};
use super::result::lic_result;
use super::store::lic_store;
use licensing::Anchor;
use std::ffi::{CString, c_char, c_void};

/// `lic_anchor_load_fn`'s answer: the bytes saved under the key were
/// written to the buffer, and their length to `written`.
pub const LIC_ANCHOR_FOUND: i32 = 0;
/// `lic_anchor_load_fn`'s answer: nothing was ever saved under the key.
pub const LIC_ANCHOR_NOT_FOUND: i32 = 1;
/// `lic_anchor_load_fn`'s answer (any other value too): the anchor could
/// not be read, or the bytes do not fit the buffer; it then proves nothing
/// either way.
pub const LIC_ANCHOR_FAILED: i32 = 2;

/// Loads the bytes saved under `key` (a NUL-terminated hex string) into
/// `buf` (`len` bytes, `LIC_ANCHOR_MAX_LEN`), writing their length to
/// `*written`; returns `LIC_ANCHOR_FOUND`, `LIC_ANCHOR_NOT_FOUND` or
/// `LIC_ANCHOR_FAILED`.
pub type lic_anchor_load_fn = Option<
    unsafe extern "C" fn(
        context: *mut c_void,
        key: *const c_char,
        buf: *mut u8,
        len: usize,
        written: *mut usize,
    ) -> i32,
>;

/// Saves `len` bytes under `key`, replacing what was there; returns 0 when
/// they were kept, anything else when not.
pub type lic_anchor_save_fn = Option<
    unsafe extern "C" fn(
        context: *mut c_void,
        key: *const c_char,
        bytes: *const u8,
        len: usize,
    ) -> i32,
>;

/// The most bytes an anchor is ever asked to keep under one key.
pub const LIC_ANCHOR_MAX_LEN: usize = 1024;

/// The host's callbacks as an [`Anchor`].
#[derive(Debug)]
struct CallbackAnchor {
    load: unsafe extern "C" fn(*mut c_void, *const c_char, *mut u8, usize, *mut usize) -> i32,
    save: unsafe extern "C" fn(*mut c_void, *const c_char, *const u8, usize) -> i32,
    context: *mut c_void,
}

// SAFETY: the contract of `lic_store_with_anchor`: the callbacks may be
// called from any thread that uses the store, with `context`.
unsafe impl Send for CallbackAnchor {}
// SAFETY: as above.
unsafe impl Sync for CallbackAnchor {}

fn failed(what: &str) -> std::io::Error {
    std::io::Error::other(format!("the host's anchor callback {what}"))
}

impl Anchor for CallbackAnchor {
    fn load(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        let key = CString::new(key).map_err(|_| failed("was given a bad key"))?;
        let mut buf = vec![0u8; LIC_ANCHOR_MAX_LEN];
        let mut written = 0usize;
        // SAFETY: the host's function, per the contract of
        // `lic_store_with_anchor`; the buffer and `written` are ours.
        let found = unsafe {
            (self.load)(
                self.context,
                key.as_ptr(),
                buf.as_mut_ptr(),
                buf.len(),
                &mut written,
            )
        };
        match found {
            LIC_ANCHOR_FOUND if written <= buf.len() => {
                buf.truncate(written);
                Ok(Some(buf))
            }
            LIC_ANCHOR_NOT_FOUND => Ok(None),
            _ => Err(failed("could not load")),
        }
    }

    fn save(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let key = CString::new(key).map_err(|_| failed("was given a bad key"))?;
        // SAFETY: as in `load`.
        let saved = unsafe { (self.save)(self.context, key.as_ptr(), bytes.as_ptr(), bytes.len()) };
        if saved == 0 {
            Ok(())
        } else {
            Err(failed("could not save"))
        }
    }
}

/// A store like `store` that keeps its anchor through the host's callbacks
/// instead of `LICENSING_ANCHOR_DIR` or the default directory: `load` and
/// `save` are called with `context` from whichever threads use the new
/// store, possibly at the same time (they must be safe to call
/// concurrently from any thread, and stay valid until the new store is
/// freed). They may be called while the store holds its lock: they must not
/// call back into `lic_store_*` on the same store. `key`, `buf` and `bytes`
/// are valid only during the call. An anchor that fails never stops the
/// store; it only weakens what can be detected. On `LIC_OK`, `*out`
/// receives the new store (free it with `lic_store_free`; `store` stays the
/// caller's).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_store_with_anchor(
    store: *const lic_store,
    load: lic_anchor_load_fn,
    save: lic_anchor_save_fn,
    context: *mut c_void,
    out: *mut *mut lic_store,
) -> lic_result {
    call(|| {
        // SAFETY: NULL or a live handle per the contract; checked.
        let store = unsafe { borrow(store, "store") }?;
        let out = out_ptr(out, "out")?;
        let load = load.ok_or_else(|| super::boundary::Failure::null("load"))?;
        let save = save.ok_or_else(|| super::boundary::Failure::null("save"))?;
        let anchored = store.inner.clone().with_anchor(CallbackAnchor {
            load,
            save,
            context,
        });
        give(out, lic_store { inner: anchored })
    })
}
