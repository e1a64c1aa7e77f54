//! The license store: `install` and `restore`.

use crate::common::{ACTIVE, assert_contains_all, fails};
use crate::setup::{
    PAST_GRACE, Setup, serial, store_args, store_exits, store_run_as, tamper_with_license,
    value_after,
};

fn store_file(s: &Setup, name: &str) -> Option<Vec<u8>> {
    std::fs::read(s.path().join("store").join(name)).ok()
}

/// Issues revision 1 (old.lic) and, after a change of terms, revision 2
/// (new.lic) of Production's license; the two files.
fn two_revisions(s: &Setup) -> (Vec<u8>, Vec<u8>) {
    s.issue("old.lic", &[]);
    s.update_subscription(&["--support", "standard"]);
    s.issue("new.lic", &[]);
    let old = std::fs::read(s.path().join("old.lic")).unwrap();
    let new = std::fs::read(s.path().join("new.lic")).unwrap();
    (old, new)
}

/// Asserts what an install or restore page says it replaced.
fn assert_replaced(page: &str, revision: &str) {
    assert!(
        value_after(page, "replaced revision:").starts_with(revision),
        "{page}"
    );
}

#[test]
fn install_puts_a_valid_license_into_the_store() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    let out = store_exits(&s, &["install", "production.lic"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "organization:"), "Acme Corp");
    assert!(
        value_after(&out, "environment:").starts_with("Production (production)"),
        "{out}"
    );
    assert_eq!(value_after(&out, "revision:"), "1");
    assert_replaced(&out, "none");
    assert_eq!(value_after(&out, "state:"), "active");
    let file = std::fs::read(s.path().join("production.lic")).unwrap();
    assert_eq!(store_file(&s, "license.lic"), Some(file));
    assert_eq!(store_file(&s, "license.lic.bak"), None);

    // The text form is stored in binary form; the binary one becomes the
    // backup.
    s.issue("production.txt", &["--pem"]);
    let out = store_exits(&s, &["install", "production.txt"], ACTIVE, 0).stdout;
    assert_replaced(&out, "1 (kept as license.lic.bak");
    let stored = store_file(&s, "license.lic").unwrap();
    assert!(stored.starts_with(&licensing::MAGIC), "not binary");
    assert!(store_file(&s, "license.lic.bak").is_some());
    for entry in std::fs::read_dir(s.path().join("store")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains("tmp"), "temp file left behind: {name}");
    }

    // Bad input: exit 2, naming what is wrong.
    let err = store_exits(&s, &["install", "missing.lic"], ACTIVE, 2).stderr;
    assert!(err.contains("missing.lic"), "{err}");
    let install = ["install", "production.lic"];
    let args = store_args(&install, "store", "missing.pub", &s.production);
    let err = fails(s.path(), &args, 2);
    assert!(err.contains("missing.pub"), "{err}");
    let args = store_args(&install, "store", "vendor.pub", "not-a-serial");
    let err = fails(s.path(), &args, 2);
    assert!(err.contains("not-a-serial"), "{err}");
    assert_eq!(store_file(&s, "license.lic"), Some(stored));
}

#[test]
fn a_license_that_is_not_valid_here_is_not_installed() {
    let s = Setup::new();
    s.issue("production.lic", &[]);
    tamper_with_license(&s);

    // Into an empty store: nothing appears.
    let err = store_exits(&s, &["install", "tampered.lic"], ACTIVE, 1).stderr;
    assert_contains_all(&err, &["tampered.lic", "signature does not match"]);
    assert_eq!(store_file(&s, "license.lic"), None);

    // Over a valid license: it stays, with no backup made.
    let install = ["install", "production.lic"];
    store_exits(&s, &install, ACTIVE, 0);
    let installed = store_file(&s, "license.lic");
    store_exits(&s, &["install", "tampered.lic"], ACTIVE, 1);
    assert_eq!(store_file(&s, "license.lic"), installed);
    assert_eq!(store_file(&s, "license.lic.bak"), None);

    // Another environment's license, or one past its grace period.
    let other = serial("02:fc:00:00:00:09");
    let r = store_run_as(&s, "other-store", &other, &install, ACTIVE);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(&other), "{}", r.stderr);
    assert!(!s.path().join("other-store/license.lic").exists());
    let err = store_exits(&s, &install, PAST_GRACE, 1).stderr;
    assert!(err.contains("expired"), "{err}");
    assert_eq!(store_file(&s, "license.lic"), installed);
}

#[test]
fn a_downgrade_is_refused_unless_forced() {
    let s = Setup::new();
    let (old, new) = two_revisions(&s);
    store_exits(&s, &["install", "new.lic"], ACTIVE, 0);

    let err = store_exits(&s, &["install", "old.lic"], ACTIVE, 1).stderr;
    assert_contains_all(&err, &["revision 1", "revision 2", "--force"]);
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&new));

    let out = store_exits(&s, &["install", "old.lic", "--force"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "revision:"), "1");
    assert_replaced(&out, "2 ");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&old));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&new));

    // Upgrading needs no --force.
    let out = store_exits(&s, &["install", "new.lic"], ACTIVE, 0).stdout;
    assert_replaced(&out, "1 ");
}

#[test]
fn restore_brings_the_previous_license_back() {
    let s = Setup::new();
    let (old, new) = two_revisions(&s);

    // No store, or nothing to restore: bad input, and no store is made.
    let err = store_exits(&s, &["restore"], ACTIVE, 2).stderr;
    assert!(err.contains("store"), "{err}");
    assert!(!s.path().join("store").exists());
    store_exits(&s, &["install", "old.lic"], ACTIVE, 0);
    let err = store_exits(&s, &["restore"], ACTIVE, 2).stderr;
    assert!(err.contains("no previous license"), "{err}");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&old));

    store_exits(&s, &["install", "new.lic"], ACTIVE, 0);
    let out = store_exits(&s, &["restore"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "revision:"), "1");
    assert_replaced(&out, "2 ");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&old));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&new));

    // Restoring again undoes it.
    let out = store_exits(&s, &["restore"], ACTIVE, 0).stdout;
    assert_eq!(value_after(&out, "revision:"), "2");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&new));
    assert_eq!(store_file(&s, "license.lic.bak").as_ref(), Some(&old));

    // A backup that is not valid (any more) stays where it is.
    let err = store_exits(&s, &["restore"], PAST_GRACE, 1).stderr;
    assert!(err.contains("license.lic.bak"), "{err}");
    assert_eq!(store_file(&s, "license.lic").as_ref(), Some(&new));
}
