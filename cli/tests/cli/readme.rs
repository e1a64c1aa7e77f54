//! README.md and the tool agree: every command line the README shows (the
//! command table, code blocks and inline `licensing ...` spans) names a
//! real command, and each of its options is one that command has (checked
//! against the command's `--help`).

use crate::common::run;
use std::collections::BTreeSet;
use std::path::Path;

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    std::fs::read_to_string(path).unwrap()
}

/// The command lines of the README, without the leading `licensing`.
fn command_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_table = false;
    let mut in_block = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            let command = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
            if let Some(rest) = command.strip_prefix("licensing ") {
                lines.push(rest.to_owned());
            }
            continue;
        }
        if trimmed.starts_with("| Command |") {
            in_table = true;
            continue;
        }
        if in_table {
            if !trimmed.starts_with('|') {
                in_table = false;
            } else if let Some((command, _)) = trimmed
                .strip_prefix("| `")
                .and_then(|cell| cell.split_once("` |"))
            {
                lines.push(command.to_owned());
            }
        }
        // Inline spans: `licensing ...`.
        let spans = line.split('`').skip(1).step_by(2);
        lines.extend(spans.filter_map(|span| span.strip_prefix("licensing ").map(str::to_owned)));
    }
    lines
}

/// Words as a shell splits them (double quotes only), without the
/// brackets that mark optional parts.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' | ']' if !quoted => {}
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn every_command_line_in_the_readme_parses() {
    let lines = command_lines(&readme());
    assert!(
        lines.len() >= 20,
        "found only {} command lines",
        lines.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut checked = BTreeSet::new();
    for line in &lines {
        let words = words(line);
        // `licensing <command> --help` is a template, not a command.
        let Some(first) = words.first().filter(|w| !w.starts_with('<')) else {
            continue;
        };
        // The command, and its subcommand when it has some.
        let mut path = vec![first.as_str()];
        let mut help = run(dir.path(), &[first, "--help"]);
        assert_eq!(
            help.code, 0,
            "README: licensing {line}: no command '{first}'"
        );
        if help.stdout.contains("\nCommands:") {
            let second = words.get(1).map(String::as_str).unwrap_or_default();
            help = run(dir.path(), &[first, second, "--help"]);
            assert_eq!(
                help.code, 0,
                "README: licensing {line}: no '{first} {second}'"
            );
            path.push(second);
        }
        for flag in words.iter().filter(|w| w.starts_with("--")) {
            let flag = flag.split('=').next().unwrap();
            let listed = help.stdout.lines().any(|l| {
                l.trim_start()
                    .split([',', ' ', '='])
                    .any(|part| part == flag)
            });
            assert!(
                listed,
                "README: licensing {line}: '{} {flag}' is not an option; the help says:\n{}",
                path.join(" "),
                help.stdout
            );
            checked.insert(format!("{} {flag}", path.join(" ")));
        }
    }
    assert!(checked.len() >= 30, "{checked:?}");
}
