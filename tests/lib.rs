//! Shared helpers for the integration tests: guest components, manifests
//! written into temporary folders, and hosts with a shared compiled cache.

use std::path::{Path, PathBuf};

use mediflux_host::{Host, HostConfig};

/// Path of the template plugin's component, built by `build.rs`.
pub const TEMPLATE_WASM: &str = env!("MEDIFLUX_GUEST_TEMPLATE");

/// Path of the hostile guest's component.
pub const HOSTILE_WASM: &str = env!("MEDIFLUX_GUEST_HOSTILE");

/// Path of the guest built against the unsupported SDK 0.2.0.
pub const FUTURE_SDK_WASM: &str = env!("MEDIFLUX_GUEST_FUTURE_SDK");

/// Path of the benchmark guest's component.
pub const BENCH_WASM: &str = env!("MEDIFLUX_GUEST_BENCH");

/// Path of the guest that exercises every host service.
pub const SERVICES_WASM: &str = env!("MEDIFLUX_GUEST_SERVICES");

/// Returns the repository root.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Returns a compiled-artifact folder shared by the tests of one build, so
/// that each component is compiled once rather than once per test.
pub fn shared_cache_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-cache");
    let dir = std::env::var_os("CARGO_TARGET_TMPDIR")
        .map(PathBuf::from)
        .unwrap_or(dir)
        .join("mediflux-test-cache");
    std::fs::create_dir_all(&dir).expect("create the shared cache folder");
    dir
}

/// Creates a host whose compiled cache is shared between tests.
pub fn host() -> Host {
    Host::new(HostConfig {
        cache_dir: shared_cache_dir(),
        ..HostConfig::default()
    })
    .expect("host starts")
}

/// Copies `component` into `dir` as `<id>.wasm` and writes `<id>.toml` from
/// `manifest_body` (everything except the `[component]` table), with the
/// component's real hash. Returns the manifest path.
pub fn install(dir: &Path, id: &str, component: &str, manifest_body: &str) -> PathBuf {
    let bytes = std::fs::read(component).expect("read the guest component");
    let wasm_name = format!("{id}.wasm");
    std::fs::write(dir.join(&wasm_name), &bytes).expect("copy the component");
    let manifest = format!(
        "{manifest_body}\n[component]\nfile = \"{wasm_name}\"\nsha256 = \"{}\"\n",
        mediflux_manifest::sha256_hex(&bytes)
    );
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(&path, manifest).expect("write the manifest");
    path
}

/// Returns the path of the `mediflux` binary of the same build as the
/// running test (`target/<profile>/mediflux`). `cargo test --workspace`
/// builds it; with `-p mediflux-tests` alone, build it first with
/// `cargo build -p mediflux`.
pub fn mediflux_binary() -> PathBuf {
    let test_binary = std::env::current_exe().expect("path of the test binary");
    let profile_dir = test_binary
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in target/<profile>/deps");
    let binary = profile_dir.join(format!("mediflux{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} not found; run `cargo build -p mediflux` or `cargo test --workspace`",
        binary.display()
    );
    binary
}

/// Runs `mediflux` with `arguments`, an empty configuration file and the
/// given data folder, and returns its exit status, standard output and
/// standard error. It runs offline, so that `ask` never downloads the BDPM
/// from its real site.
pub fn run_mediflux(data_dir: &Path, arguments: &[&str]) -> (i32, String, String) {
    run_mediflux_with_env(data_dir, arguments, &[])
}

/// Runs `mediflux` like [`run_mediflux`], with extra environment variables.
pub fn run_mediflux_with_env(
    data_dir: &Path,
    arguments: &[&str],
    environment: &[(&str, &Path)],
) -> (i32, String, String) {
    let config = data_dir.join("empty-config.toml");
    if !config.exists() {
        std::fs::write(&config, "").expect("write an empty configuration file");
    }
    let output = std::process::Command::new(mediflux_binary())
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(&config)
        .args(arguments)
        .env_remove("MEDIFLUX_CACHE_DIR")
        .env_remove("MEDIFLUX_PLUGINS_DIR")
        .env_remove("MEDIFLUX_RULES_DIR")
        .env_remove("RUST_LOG")
        .env("MEDIFLUX_OFFLINE", "1")
        .env_remove("MEDIFLUX_MODEL")
        .env_remove("MEDIFLUX_MODEL_THREADS")
        .envs(environment.iter().copied())
        .output()
        .expect("run mediflux");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
