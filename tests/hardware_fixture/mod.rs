//! The fixture hardware tree of the hardware-change tests (the core's and
//! the CLI's): three components, as `read_linux` finds them below a root.

use std::fs;
use std::path::Path;

/// Writes below `root` a machine id, a DMI product uuid and one physical
/// network card `eth0` with a permanent address `mac`.
pub fn hardware(root: &Path, machine_id: &str, mac: &str) {
    let write = |path: &str, value: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, format!("{value}\n")).unwrap();
    };
    write("etc/machine-id", machine_id);
    write(
        "sys/class/dmi/id/product_uuid",
        "4C4C4544-0042-3510-8052-B4C04F4A4E32",
    );
    write("sys/class/net/eth0/address", mac);
    write("sys/class/net/eth0/type", "1");
    write("sys/class/net/eth0/addr_assign_type", "0");
    fs::create_dir_all(root.join("sys/class/net/eth0/device")).unwrap();
}
