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
