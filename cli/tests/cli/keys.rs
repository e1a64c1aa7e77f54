//! `licensing keygen`: the vendor's key pair.

use crate::common::{self, assert_contains_all, fails, keygen_args, ok, with};
use crate::setup::{no_temp_files_left, value_after};
use licensing::{PublicKey, SigningKey};
use tempfile::TempDir;

#[test]
fn keygen_writes_pem_keys_and_refuses_to_overwrite() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let out = common::keygen(d, "v.key", "v.pub");
    let private = std::fs::read_to_string(d.join("v.key")).unwrap();
    let public = std::fs::read_to_string(d.join("v.pub")).unwrap();
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----"),
        "{private}"
    );
    let key = SigningKey::from_pem(&private).unwrap();
    let public = PublicKey::from_pem(&public).unwrap();
    assert_eq!(key.public_key(), &public);
    let printed = value_after(&out, "key id:");
    assert_eq!(printed, public.key_id().to_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("v.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "private key mode {mode:o}");
    }

    // Either file existing is enough to refuse, and nothing is written.
    let err = fails(d, &keygen_args("new.key", "v.pub"), 2);
    assert_contains_all(&err, &["v.pub", "--force"]);
    assert!(!d.join("new.key").exists());
    assert_eq!(std::fs::read_to_string(d.join("v.key")).unwrap(), private);

    let out = ok(d, &with(&keygen_args("v.key", "v.pub"), &["--force"]));
    assert_ne!(value_after(&out, "key id:"), printed);
    assert_ne!(std::fs::read_to_string(d.join("v.key")).unwrap(), private);
    no_temp_files_left(d);
}
