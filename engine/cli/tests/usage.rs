//! Usage of the `mediflux` binary: help and version.
//!
//! These tests also make `cargo test --workspace` build the binary itself,
//! which the end-to-end tests in the `mediflux-tests` package run.

use std::process::Command;

fn mediflux(arguments: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mediflux"))
        .args(arguments)
        .output()
        .expect("run mediflux");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn help_lists_command_groups() {
    let (success, stdout) = mediflux(&["--help"]);
    assert!(success);
    for command in [
        "ask", "simulate", "med", "data", "profile", "rules", "plugins",
    ] {
        assert!(
            stdout
                .lines()
                .any(|line| line.trim_start().starts_with(command)),
            "`{command}` missing from help:\n{stdout}"
        );
    }
}

#[test]
fn version_matches_package() {
    let (success, stdout) = mediflux(&["--version"]);
    assert!(success);
    assert_eq!(
        stdout.trim(),
        format!("mediflux {}", env!("CARGO_PKG_VERSION"))
    );
}
