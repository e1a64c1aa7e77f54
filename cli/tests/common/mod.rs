//! What the tests that run the `licensing` binary share: running it, and
//! the vendor's steps in a temp folder (keys, the Acme subscription, a
//! registered environment, an issued or externally signed license file).

// Each test file includes this module but uses only some of its helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_licensing");

/// When licenses are issued in these tests; the subscription ends
/// 2027-12-31, so they are active until 2027-12-02, expiring soon until
/// the end of 2027-12-31, in grace until 2028-01-31.
pub const ISSUED: &str = "2026-01-01T00:00:00Z";
pub const ACTIVE: &str = "2026-06-01T00:00:00Z";

/// The machine id in the serial numbers of the test environments.
pub const MACHINE_ID: &str = "4c4c4544-0042-3510-8052-b4c04f4a4e32";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(dir: &Path, args: &[&str]) -> Run {
    run_env(dir, args, &[])
}

/// Runs the tool with environment variables set (`Some`) or removed
/// (`None`); the rest of the environment is inherited.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(dir);
    for (name, value) in env {
        match value {
            Some(v) => command.env(name, v),
            None => command.env_remove(name),
        };
    }
    let output = command.output().expect("the licensing binary runs");
    Run {
        code: output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Asserts that `r`, the run of `licensing args`, exited with `code`.
pub fn assert_exit(r: &Run, args: &[&str], code: i32) {
    assert_eq!(
        r.code, code,
        "licensing {args:?}: expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
}

/// Runs a command that must succeed; its stdout.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let r = run(dir, args);
    assert_exit(&r, args, 0);
    r.stdout
}

/// Runs a command that must exit with `code`; its stderr.
pub fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let r = run(dir, args);
    assert_exit(&r, args, code);
    assert!(!r.stderr.trim().is_empty(), "no reason given for {args:?}");
    assert!(
        !r.stderr.contains("panicked"),
        "licensing {args:?} panicked:\n{}",
        r.stderr
    );
    r.stderr
}

/// Asserts that `text` contains every one of `expected`.
pub fn assert_contains_all(text: &str, expected: &[impl AsRef<str>]) {
    for expected in expected {
        let expected = expected.as_ref();
        assert!(text.contains(expected), "missing {expected}:\n{text}");
    }
}

/// `args` followed by `more`.
pub fn with<'a>(args: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    [args, more].concat()
}

pub fn keygen_args<'a>(private: &'a str, public: &'a str) -> [&'a str; 5] {
    ["keygen", "--private", private, "--public", public]
}

/// Makes a key pair; the tool's output (with the key id).
pub fn keygen(dir: &Path, private: &str, public: &str) -> String {
    ok(dir, &keygen_args(private, public))
}

/// A subscription with only the required terms, written to `out`.
pub fn subscription_new_args<'a>(
    organization: &'a str,
    edition: &'a str,
    support: &'a str,
    out: &'a str,
) -> [&'a str; 10] {
    [
        "subscription",
        "new",
        "--organization",
        organization,
        "--edition",
        edition,
        "--support",
        support,
        "--out",
        out,
    ]
}

/// Writes acme.json: Acme Corp's Enterprise subscription with premium
/// support, ending 2027-12-31, with `terms` (slots, limits, features);
/// the tool's output (with the activation code).
pub fn acme_subscription(dir: &Path, terms: &[&str]) -> String {
    let args = subscription_new_args("Acme Corp", "Enterprise", "premium", "acme.json");
    ok(dir, &with(&with(&args, &["--end", "2027-12-31"]), terms))
}

/// Registers the environment with serial number `serial` in the
/// subscription file `subscription`.
pub fn register_args<'a>(
    subscription: &'a str,
    serial: &'a str,
    name: &'a str,
    purpose: &'a str,
) -> [&'a str; 8] {
    [
        "register",
        subscription,
        "--serial",
        serial,
        "--name",
        name,
        "--purpose",
        purpose,
    ]
}

/// Registers an environment in acme.json.
pub fn register(dir: &Path, serial: &str, name: &str, purpose: &str) -> String {
    ok(dir, &register_args("acme.json", serial, name, purpose))
}

/// Issues the license of the environment `serial` in acme.json to `out`,
/// signed with `key`.
pub fn issue_args<'a>(key: &'a str, serial: &'a str, out: &'a str) -> [&'a str; 8] {
    [
        "issue",
        "acme.json",
        "--key",
        key,
        "--serial",
        serial,
        "--out",
        out,
    ]
}

/// Issues a license file at ISSUED, with `extra` options; the tool's
/// output.
pub fn issue(dir: &Path, key: &str, serial: &str, out: &str, extra: &[&str]) -> String {
    let args = with(&issue_args(key, serial, out), &["--at", ISSUED]);
    ok(dir, &with(&args, extra))
}

/// Issues the license of `serial` at ISSUED without a private key: `extra`
/// says what to do instead (write a signing input for an external signer).
pub fn issue_without_key(dir: &Path, serial: &str, extra: &[&str]) -> Run {
    let args = ["issue", "acme.json", "--serial", serial, "--at", ISSUED];
    run(dir, &with(&args, extra))
}

/// Attaches the external `signature` to the signing input `input`, checked
/// against `trust` if given, writing the license file `out`.
pub fn attach_args<'a>(
    input: &'a str,
    signature: &'a str,
    trust: Option<&'a str>,
    out: &'a str,
) -> Vec<&'a str> {
    let mut args = vec!["attach", input, "--signature", signature, "--out", out];
    if let Some(trust) = trust {
        args.extend(["--trust", trust]);
    }
    args
}

/// Validates the license file `file` as the environment `serial`, trusting
/// the public key in `trust`.
pub fn validate_args<'a>(file: &'a str, trust: &'a str, serial: &'a str) -> [&'a str; 6] {
    ["validate", file, "--trust", trust, "--serial", serial]
}

/// Validates `file` at `at`.
pub fn validate(dir: &Path, file: &str, trust: &str, serial: &str, at: &str) -> Run {
    run(
        dir,
        &with(&validate_args(file, trust, serial), &["--at", at]),
    )
}
