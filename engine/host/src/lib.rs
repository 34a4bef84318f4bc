//! The Mediflux plugin host.
//!
//! Plugins are WebAssembly components built against the plugin SDK (the WIT
//! package `mediflux:plugin`). The host loads each one from a checked
//! [manifest](mediflux_manifest::Manifest), compiles it once (keeping the
//! compiled artifact on disk), and runs every call in a fresh instance:
//!
//! - CPU time is budgeted by epoch interruption, wall-clock time by a timer;
//! - linear memory is capped, summed over the component's memories;
//! - WASI is linked with an empty context: no environment, no files, no
//!   sockets;
//! - the network is reachable only through the host's `http` service, for
//!   the origins on the manifest's allow-list, over HTTPS, with size caps and
//!   timeouts;
//! - any failure comes back as [`HostError::PluginFailed`] with the plugin's
//!   id and version, and the host serves the next call normally.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mediflux_host::HostError> {
//! use mediflux_host::{Host, HostConfig};
//!
//! let host = Host::new(HostConfig { cache_dir: "/tmp/mediflux-cache".into(), ..HostConfig::default() })?;
//! host.load_manifest_file(std::path::Path::new("plugins/help.toml"))?;
//! # Ok(()) }
//! ```

pub mod bindings;
mod engine;
mod error;
mod host;
mod http;
mod plugin_cache;
mod services;
mod sink;
mod state;

pub use bindings::v0_1::types;
pub use bindings::v0_1::{
    InputFile, IntentRequest, IntentResponse, RefreshRequest, RefreshSummary,
};
pub use error::{FailureKind, HostError};
pub use host::{Host, HostConfig, PluginInfo};
pub use sink::{MemorySink, RecordSink, ReferenceReader, RuleProvider};
