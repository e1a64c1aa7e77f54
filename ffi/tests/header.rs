//! The committed C header is what cbindgen makes from `ffi/src` now.
//! `LICENSING_BLESS_HEADER=1 cargo test -p licensing-ffi --test header`
//! rewrites it.

use std::path::Path;

#[test]
fn the_committed_header_is_current() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.parent().expect("ffi/ sits in the workspace");
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        // Only the C ABI's crate: the core's public constants stay Rust's.
        .with_src(crate_dir.join("src/lib.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen could not read ffi/src")
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = root.join("include/licensing.h");
    if std::env::var_os("LICENSING_BLESS_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/licensing.h is not what ffi/src generates: run LICENSING_BLESS_HEADER=1 cargo test -p licensing-ffi --test header, review and commit the header"
    );
    let version = format!(
        "#define LICENSING_VERSION \"{}\"",
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        committed.contains(&version),
        "the version macros in cbindgen.toml do not match Cargo.toml's version: update cbindgen.toml"
    );
}
