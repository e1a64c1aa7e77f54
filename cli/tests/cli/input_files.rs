//! Files named on the command line that are missing, or not what they
//! should be: bad input, naming the path.

use crate::common::{assert_contains_all, fails, issue_args, register_args, validate_args};
use crate::setup::Setup;

#[test]
fn missing_files_are_bad_input_naming_the_path() {
    let s = Setup::new();
    let p = s.production.as_str();
    for (args, path) in [
        (
            &["subscription", "show", "nothing.json"][..],
            "nothing.json",
        ),
        (&["inspect", "nothing.lic"][..], "nothing.lic"),
        (
            &validate_args("nothing.lic", "vendor.pub", p)[..],
            "nothing.lic",
        ),
        (&validate_args("x.lic", "nothing.pub", p)[..], "nothing.pub"),
        (&issue_args("nothing.key", p, "x.lic")[..], "nothing.key"),
        (
            &register_args("nothing.json", p, "X", "production")[..],
            "nothing.json",
        ),
    ] {
        let err = fails(s.path(), args, 2);
        assert!(err.contains(path), "{args:?}: {err}");
    }
    // A file that is not what it should be.
    std::fs::write(s.path().join("junk.json"), "{}").unwrap();
    let err = fails(s.path(), &["subscription", "show", "junk.json"], 2);
    assert_contains_all(&err, &["junk.json", "not a subscription file"]);
    let err = fails(s.path(), &issue_args("vendor.pub", p, "x.lic"), 2);
    assert_contains_all(&err, &["vendor.pub", "PRIVATE KEY"]);
}

/// A file of the wrong kind given as a license is named for what it is.
#[test]
fn a_file_of_the_wrong_kind_says_what_it_is() {
    let s = crate::setup::Setup::new();
    s.issue("prod.lic", &[]);
    crate::common::ok(
        s.path(),
        &[
            "issue",
            "acme.json",
            "--serial",
            &s.production,
            "--key",
            "vendor.key",
            "--out",
            "prod.pem",
            "--pem",
        ],
    );
    let pem = std::fs::read_to_string(s.path().join("prod.pem")).unwrap();
    // One character of the base64 changed, as a mail program might.
    let damaged = pem.replacen('A', "*", 1);
    std::fs::write(s.path().join("damaged.pem"), damaged).unwrap();
    for (file, expected) in [
        ("vendor.pub", "this is a public key (PEM)"),
        ("vendor.key", "this is a private key (PEM)"),
        ("acme.json", "this is a subscription file (JSON)"),
        ("damaged.pem", "armor at byte"),
    ] {
        let r = crate::common::run(s.path(), &["inspect", file]);
        assert_eq!(r.code, 2, "{file}: {}", r.stdout);
        assert!(r.stderr.contains(expected), "{file}: {}", r.stderr);
        assert!(!r.stderr.contains("found bytes"), "{file}: {}", r.stderr);
    }
    let r = crate::common::run(s.path(), &["inspect", "damaged.pem"]);
    assert!(r.stderr.contains(", column "), "{}", r.stderr);
    assert!(r.stderr.contains("copy the license again"), "{}", r.stderr);
}
