//! What a file given as a license is when it is not one: a new
//! administrator who picks the wrong file from the vendor's mail is told
//! which file it was, not "found bytes 2d2d2d2d".

/// What `bytes` look like, when they are a file this library or its tools
/// know (or plain text); `None` for anything else.
pub(crate) fn other_kind(bytes: &[u8]) -> Option<String> {
    let starts = |prefix: &[u8]| bytes.starts_with(prefix);
    let text = std::str::from_utf8(bytes).ok();
    let trimmed = text.map(str::trim_start);
    Some(if bytes.is_empty() {
        "an empty file".to_owned()
    } else if starts(crate::TRIAL_EXTENSION_MAGIC) {
        "a trial extension (it is installed into a license store, like a license: `licensing install`)".to_owned()
    } else if starts(crate::CLOCK_RESET_MAGIC) {
        "a clock reset (it is installed into a license store, like a license: `licensing install`)"
            .to_owned()
    } else if starts(crate::SIGNING_DOMAIN) {
        "a signing input for an external signer (the license is made from it with `licensing attach`)".to_owned()
    } else if let Some(text) = trimmed {
        if let Some(label) = text
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.split_once("-----"))
            .map(|(label, _)| label)
        {
            match label {
                "PUBLIC KEY" => "a public key (PEM): the vendor's key that a runtime trusts (`--trust`), not a license".to_owned(),
                "PRIVATE KEY" | "EC PRIVATE KEY" => "a private key (PEM): the vendor's signing key, which must never leave the vendor".to_owned(),
                other => format!("a PEM file of another kind ({})", crate::printable(other)),
            }
        } else if text.starts_with('{') {
            if text.contains("\"activation_code\"") || text.contains("\"subscription\"") {
                "a subscription file (JSON), which the vendor's tool reads".to_owned()
            } else if text.contains("\"serial-number\"") && text.contains("\"components\"") {
                "a fingerprint record (JSON) of a license store".to_owned()
            } else {
                "a JSON file".to_owned()
            }
        } else if text.starts_with("# licensing store state") || text.contains("\ntrial-started=") {
            "a license store's state file".to_owned()
        } else if text.starts_with("licensing-anchor") {
            "a license store's anchor".to_owned()
        } else if !text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            "text without a license in it".to_owned()
        } else {
            return None;
        }
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_named() {
        let key = crate::SigningKey::generate();
        let public = key.public_key().to_pem().unwrap();
        let private = key.to_pkcs8_pem().unwrap();
        for (bytes, name) in [
            (public.as_bytes(), "a public key"),
            (private.as_bytes(), "a private key"),
            (
                b"{\n  \"subscription\": {}\n}".as_slice(),
                "a subscription file",
            ),
            (b"LICT\x01....", "a trial extension"),
            (
                b"Dear customer, your license follows.",
                "text without a license",
            ),
            (b"", "an empty file"),
        ] {
            let kind = other_kind(bytes).unwrap();
            assert!(kind.starts_with(name), "{kind}");
        }
        assert_eq!(other_kind(b"PK\x03\x04\x00\x01"), None);
        assert_eq!(other_kind(b"LICF\x01"), None);
    }
}
