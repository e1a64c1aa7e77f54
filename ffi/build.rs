//! The shared library's SONAME on Linux: `liblicensing.so.MAJOR` (the
//! crate's major version), so that a program linked with `-llicensing`
//! records `liblicensing.so.0` and keeps working across compatible
//! releases; the C SDK (bindings/package.sh) ships `liblicensing.so.0.1.0`
//! with the links `liblicensing.so.0` and `liblicensing.so` to it.
//!
//! Cargo itself names the file `liblicensing.so`, so a program linked
//! against the build tree (tests/c/run.sh, benches/c/run.sh, a developer's
//! `-L target/release -llicensing`) would look for a `liblicensing.so.0`
//! that is not there: this script also puts the link
//! `liblicensing.so.0 -> liblicensing.so` next to Cargo's output.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
    let soname = format!("liblicensing.so.{major}");
    // Only the cdylib: the staticlib has no SONAME.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    if let Some(dir) = output_dir() {
        link_soname(&dir, &soname);
    }
}

/// Where Cargo puts the library (target/<profile>, or
/// target/<triple>/<profile>): OUT_DIR is `<that>/build/<package>-<hash>/out`.
fn output_dir() -> Option<PathBuf> {
    let out = PathBuf::from(env::var_os("OUT_DIR")?);
    let build = out.parent()?.parent()?;
    if build.file_name()? != "build" {
        return None;
    }
    Some(build.parent()?.to_path_buf())
}

/// `dir/<soname> -> liblicensing.so` (relative), unless it is there already.
/// A failure only warns: the library itself is built all the same.
#[cfg(unix)]
fn link_soname(dir: &Path, soname: &str) {
    let link = dir.join(soname);
    let target = Path::new("liblicensing.so");
    if std::fs::read_link(&link).is_ok_and(|t| t == target) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    if let Err(e) =
        std::fs::create_dir_all(dir).and_then(|()| std::os::unix::fs::symlink(target, &link))
    {
        println!(
            "cargo:warning=could not link {} to liblicensing.so: {e}",
            link.display()
        );
    }
}

#[cfg(not(unix))]
fn link_soname(_dir: &Path, _soname: &str) {}
