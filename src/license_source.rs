//! Where licenses come from, in the product's own words: the remedies in
//! messages ("get the license file again from ...") name it, so that a
//! product without a portal never sends its customers to one.

use std::sync::RwLock;

/// What messages name when none is set.
pub const DEFAULT_LICENSE_SOURCE: &str = "your vendor";

static SOURCE: RwLock<Option<String>> = RwLock::new(None);

/// Sets, for the whole process, where licenses come from as messages say
/// it: a noun phrase that reads after "from", like "the Acme customer
/// portal (https://portal.acme.example)". An empty text brings back
/// [`DEFAULT_LICENSE_SOURCE`].
///
/// ```
/// # let (file, key) = licensing::testing::sample_file();
/// use licensing::{TrustedKeys, Validator};
///
/// licensing::set_license_source("the Acme customer portal");
/// let mut bytes = file.to_bytes();
/// let last = bytes.len() - 1;
/// bytes[last] ^= 1; // damaged in transit
/// let validator = Validator::new(TrustedKeys::new([key.public_key().clone()]));
/// let err = validator.validate(&bytes, &file.license().serial_number, None, file.license().issued_at).unwrap_err();
/// assert!(err.to_string().ends_with("get it again from the Acme customer portal"));
/// licensing::set_license_source("");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn set_license_source(text: &str) {
    let text = text.trim();
    let value = (!text.is_empty()).then(|| crate::printable(text).into_owned());
    *SOURCE.write().unwrap_or_else(|e| e.into_inner()) = value;
}

/// Where licenses come from, as messages say it now.
///
/// ```
/// assert_eq!(licensing::license_source(), licensing::DEFAULT_LICENSE_SOURCE);
/// ```
pub fn license_source() -> String {
    SOURCE
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_else(|| DEFAULT_LICENSE_SOURCE.to_owned())
}
