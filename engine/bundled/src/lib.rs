//! The plugins bundled with Mediflux.
//!
//! The build script compiles each bundled plugin to a WebAssembly component
//! and stamps its manifest with the component's SHA-256; this crate embeds
//! both, so the binary needs no plugin files beside it. The source manifests
//! live in `manifests/plugins/`; their `component.sha256` is a placeholder
//! that the build replaces.

/// A plugin compiled into the binary.
pub struct BundledPlugin {
    /// Plugin id.
    pub id: &'static str,
    /// Manifest text, with `component.sha256` set to the hash of `component`.
    pub manifest: &'static str,
    /// The WebAssembly component.
    pub component: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
