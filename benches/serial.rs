//! How long computing this machine's serial number takes, cold: every
//! iteration reads the files again (nothing is cached between calls).
//!
//! `cargo bench --bench serial` measures, in one run:
//!
//! - `serial/this-machine`: [`MachineIdentity::from_env`]`().serial()`, what
//!   [`SerialNumber::for_this_machine`] does: read `/etc/machine-id`, the DMI
//!   ids and the network cards, hash, derive. Honors `LICENSING_IDENTITY` /
//!   `LICENSING_IDENTITY_FILE` like the runtime: unset them to measure the
//!   hardware read. Target: at most 0.5 ms.
//! - `serial/fixture-root`: [`MachineIdentity::at_root`] on a fixture
//!   directory (machine id, DMI product uuid, two physical cards, loopback
//!   and a docker bridge), the same on every machine.
//! - `serial/read-linux-root`: [`read_linux`]`("/")` alone: the file reads,
//!   without hashing.
//! - `serial/pinned`: a pinned identity (no file reads): the hashing floor.
//!
//! For scale: sysinfo's network listing takes about 0.4 ms and
//! `System::new_all` about 20 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use licensing::{MachineIdentity, read_linux};
use std::fs;
use std::hint::black_box;
use std::path::Path;

fn write(root: &Path, relative: &str, value: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().expect("a parent")).expect("fixture dir");
    fs::write(path, format!("{value}\n")).expect("fixture file");
}

fn nic(root: &Path, name: &str, mac: &str, assign: &str, kind: &str, device: bool) {
    let dir = format!("sys/class/net/{name}");
    write(root, &format!("{dir}/address"), mac);
    write(root, &format!("{dir}/addr_assign_type"), assign);
    write(root, &format!("{dir}/type"), kind);
    if device {
        fs::create_dir_all(root.join(&dir).join("device")).expect("device dir");
    }
}

/// A directory shaped like `/` of a typical server.
fn fixture() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temp dir");
    let r = root.path();
    write(r, "etc/machine-id", "5e2f7a9c0b1d4e3fa6c8d2b4e1f09a77");
    write(
        r,
        "sys/class/dmi/id/product_uuid",
        "4C4C4544-0042-3510-8052-B4C04F4A4E32",
    );
    write(r, "sys/class/dmi/id/board_serial", "To be filled by O.E.M.");
    nic(r, "eth0", "52:54:00:a1:b2:c3", "0", "1", true);
    nic(r, "eth1", "52:54:00:a1:b2:c4", "0", "1", true);
    nic(r, "lo", "00:00:00:00:00:00", "0", "772", false);
    nic(r, "docker0", "02:42:ac:11:00:01", "3", "1", false);
    root
}

fn serial(c: &mut Criterion) {
    let this_machine = MachineIdentity::from_env();
    match this_machine.fingerprint(None) {
        Ok(f) => {
            let kinds: Vec<&str> = f.components.iter().map(|c| c.kind.as_str()).collect();
            eprintln!(
                "this machine: {} from {kinds:?}{}",
                f.serial_number,
                if f.pinned { " (pinned)" } else { "" }
            );
        }
        Err(e) => eprintln!("this machine has no serial (measured anyway): {e}"),
    }
    let root = fixture();
    let at_root = MachineIdentity::at_root(root.path());
    at_root.serial().expect("the fixture has a serial");
    let pinned = MachineIdentity::pinned("acme-production");

    let mut group = c.benchmark_group("serial");
    group.bench_function("this-machine", |b| {
        b.iter(|| black_box(MachineIdentity::from_env()).serial())
    });
    group.bench_function("fixture-root", |b| {
        b.iter(|| black_box(&at_root).serial().expect("a serial"))
    });
    group.bench_function("read-linux-root", |b| {
        b.iter(|| read_linux(black_box(Path::new("/"))))
    });
    group.bench_function("pinned", |b| {
        b.iter(|| black_box(&pinned).serial().expect("a serial"))
    });
    group.finish();
}

criterion_group!(benches, serial);
criterion_main!(benches);
