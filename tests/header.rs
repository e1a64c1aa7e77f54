//! The committed C header is what cbindgen makes from `src/ffi` now.
//! `LICENSING_BLESS_HEADER=1 cargo test --test header` rewrites it.

use std::path::Path;

#[test]
fn the_committed_header_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        // Only the C ABI's module: the core's public constants stay Rust's.
        .with_src(root.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen could not read src/ffi")
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = root.join("include/licensing.h");
    if std::env::var_os("LICENSING_BLESS_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/licensing.h is not what src/ffi generates: run LICENSING_BLESS_HEADER=1 cargo test --test header, review and commit the header"
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
