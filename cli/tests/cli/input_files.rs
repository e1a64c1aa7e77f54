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
