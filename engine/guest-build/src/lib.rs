//! Compiles guest crates of this workspace to WebAssembly components, from a
//! build script.
//!
//! The bundled plugins and the test guests are members of the workspace, so
//! that their portable code is checked and tested on the host, but they only
//! become plugins when built for `wasm32-wasip2`. A build script calls
//! [`build`], which runs a nested `cargo build --target wasm32-wasip2` in a
//! target folder of its own: sharing the outer build's folder would wait
//! forever on the lock the outer build holds.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The WebAssembly target plugins are built for.
pub const TARGET: &str = "wasm32-wasip2";

/// A guest crate to build.
pub struct Guest<'a> {
    /// Package name, such as `mediflux-plugin-help`.
    pub package: &'a str,
    /// Cargo features to enable, such as `["mediflux-plugin-sdk/intent"]`.
    pub features: &'a [&'a str],
}

/// Builds each guest in release mode and returns the paths of their `.wasm`
/// components, in order.
///
/// `out_dir` is the build script's `OUT_DIR`; the nested build's target
/// folder is derived from it so that debug and release builds of the host
/// share guest artifacts. Panics with a message that says how to fix the
/// problem, since that is how a build script reports errors.
pub fn build(workspace_root: &Path, out_dir: &Path, guests: &[Guest<'_>]) -> Vec<PathBuf> {
    check_target_installed();
    let target_dir = guest_target_dir(out_dir);

    let mut components = Vec::new();
    for guest in guests {
        // One cargo invocation per guest, because Cargo unifies features
        // across the packages of one build and each plugin selects its own
        // SDK kind.
        let mut command = Command::new(cargo());
        command
            .current_dir(workspace_root)
            .args([
                "build",
                "--release",
                "--target",
                TARGET,
                "--package",
                guest.package,
            ])
            .arg("--target-dir")
            .arg(&target_dir);
        if !guest.features.is_empty() {
            command.arg("--features").arg(guest.features.join(","));
        }
        // Plugins ship without debug information: it triples their size and
        // the host reports traps by function name, which stripping keeps.
        command.env("CARGO_PROFILE_RELEASE_DEBUG", "false");
        command.env("CARGO_PROFILE_RELEASE_STRIP", "debuginfo");
        // The outer build's flags target the host, not wasm.
        for variable in [
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "CARGO_BUILD_TARGET",
            "RUSTC_WORKSPACE_WRAPPER",
            "CARGO_TARGET_DIR",
        ] {
            command.env_remove(variable);
        }

        let status = command.status().unwrap_or_else(|error| {
            panic!("failed to run cargo to build {}: {error}", guest.package)
        });
        if !status.success() {
            panic!(
                "building guest {} for {TARGET} failed (see the errors above); \
                 to reproduce: cargo build --release --target {TARGET} --package {}",
                guest.package, guest.package
            );
        }

        let file_name = format!("{}.wasm", guest.package.replace('-', "_"));
        components.push(target_dir.join(TARGET).join("release").join(file_name));
    }
    components
}

/// Returns `<target>/wasm-guests` for an `OUT_DIR` of the form
/// `<target>/[<triple>/]<profile>/build/<package>-<hash>/out`.
fn guest_target_dir(out_dir: &Path) -> PathBuf {
    let build_dir = out_dir
        .ancestors()
        .find(|dir| dir.file_name().is_some_and(|name| name == "build"))
        .unwrap_or(out_dir);
    let target_root = build_dir.parent().and_then(Path::parent).unwrap_or(out_dir);
    target_root.join("wasm-guests")
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Panics with the command to run when the wasm target's standard library
/// is missing.
fn check_target_installed() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()));
    let installed = sysroot.is_some_and(|root| root.join("lib/rustlib").join(TARGET).exists());
    if !installed {
        panic!(
            "the Rust target {TARGET} is not installed, and Mediflux builds its plugins for it; \
             run `rustup target add {TARGET}` and build again"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_dir_from_out_dir() {
        let out = Path::new("/t/debug/build/mediflux-bundled-0123/out");
        assert_eq!(guest_target_dir(out), Path::new("/t/wasm-guests"));
        let cross = Path::new("/t/x86_64-unknown-linux-gnu/release/build/p-1/out");
        assert_eq!(
            guest_target_dir(cross),
            Path::new("/t/x86_64-unknown-linux-gnu/wasm-guests")
        );
    }
}
