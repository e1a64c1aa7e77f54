//! The core reads this machine's identity without spawning a process, on
//! every platform (a process found through PATH can be replaced, and is
//! slow): no source file of the core names `std::process::Command`.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_core_spawns_no_process() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 20, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for needle in ["process::Command", "Command::new("] {
            assert!(!text.contains(needle), "{} names {needle}", file.display());
        }
    }
}
