//! Rust SDK for writing Mediflux plugins, SDK version 0.1.0.
//!
//! A Mediflux plugin is a WebAssembly component built for the
//! `wasm32-wasip2` target. It is either a **data source**, which answers typed
//! queries and refreshes the host's reference store, or an **intent handler**,
//! which answers a routed question in French. Pick the kind with a Cargo
//! feature, implement one trait, and export your type with one macro:
//!
//! ```toml
//! [lib]
//! crate-type = ["cdylib"]
//!
//! [dependencies]
//! mediflux-plugin-sdk = { version = "0.1", features = ["data-source"] }
//! ```
//!
//! ```ignore
//! use mediflux_plugin_sdk::data_source::{DataSource, RefreshRequest, RefreshSummary};
//! use mediflux_plugin_sdk::types::{DataQuery, DataRecord, PluginError};
//!
//! struct Opening;
//!
//! impl DataSource for Opening {
//!     fn query(query: DataQuery) -> Result<Vec<DataRecord>, PluginError> {
//!         Err(mediflux_plugin_sdk::error("unknown-operation", &query.operation))
//!     }
//!
//!     fn refresh(_: RefreshRequest) -> Result<RefreshSummary, PluginError> {
//!         Ok(RefreshSummary { written: 0, rejected: 0, notes: Vec::new() })
//!     }
//! }
//!
//! mediflux_plugin_sdk::export_data_source!(Opening);
//! ```
//!
//! The plugin reaches the outside world only through the host services in
//! [`log`], [`config`], [`http`], [`cache`], [`sources`], [`rules`] and, for
//! data sources, [`storage`]. The host checks each call against the plugin's
//! manifest and refuses what the manifest does not grant.
//!
//! The WIT definition behind this crate is `plugin-sdk/wit/0.1.0/plugin.wit`;
//! it never changes once released, so a plugin built with this SDK keeps
//! loading on later hosts.

#[cfg(all(target_arch = "wasm32", feature = "data-source", feature = "intent"))]
compile_error!(
    "mediflux-plugin-sdk: enable exactly one of the features `data-source` and `intent`, \
     because a plugin component exports a single kind"
);

#[cfg(all(
    target_arch = "wasm32",
    not(feature = "data-source"),
    not(feature = "intent")
))]
compile_error!(
    "mediflux-plugin-sdk: enable the feature `data-source` or `intent` to choose the plugin kind"
);

// The generated code names this crate by its public path, so that the export
// macros also work from plugin crates.
extern crate self as mediflux_plugin_sdk;

/// Generated bindings. Plugin authors use the re-exports at the crate root.
#[doc(hidden)]
#[allow(missing_docs, unsafe_code, clippy::all, unused_qualifications)]
pub mod __bindings {
    #[cfg(not(feature = "intent"))]
    wit_bindgen::generate!({
        path: "../wit/0.1.0",
        world: "data-source-plugin",
        pub_export_macro: true,
        export_macro_name: "__export_world",
        default_bindings_module: "::mediflux_plugin_sdk::__bindings",
        runtime_path: "::mediflux_plugin_sdk::__private::wit_bindgen::rt",
        generate_unused_types: true,
        additional_derives: [PartialEq],
    });

    #[cfg(feature = "intent")]
    wit_bindgen::generate!({
        path: "../wit/0.1.0",
        world: "intent-plugin",
        pub_export_macro: true,
        export_macro_name: "__export_world",
        default_bindings_module: "::mediflux_plugin_sdk::__bindings",
        runtime_path: "::mediflux_plugin_sdk::__private::wit_bindgen::rt",
        generate_unused_types: true,
        additional_derives: [PartialEq],
    });
}

/// Items used by the export macros; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use wit_bindgen;
}

/// Records shared by the host and every plugin: medicines, presentations,
/// generic groups, practitioners, regional indicators, JSON documents,
/// queries, citations and errors.
pub mod types {
    pub use crate::__bindings::mediflux::plugin::types::*;
}

pub use __bindings::mediflux::plugin::{cache, config, http, rules, sources};

/// Log lines attributed by the host to this plugin.
///
/// Never log health data, such as a profile field or a question: the host
/// writes these lines as they are.
pub mod log {
    pub use crate::__bindings::mediflux::plugin::log::{Level, write};

    /// Writes a debug line.
    pub fn debug(message: &str) {
        write(Level::Debug, message);
    }

    /// Writes an info line.
    pub fn info(message: &str) {
        write(Level::Info, message);
    }

    /// Writes a warning line.
    pub fn warn(message: &str) {
        write(Level::Warn, message);
    }

    /// Writes an error line.
    pub fn error(message: &str) {
        write(Level::Error, message);
    }
}

/// Bulk writes into the host's reference store during a refresh.
#[cfg(not(feature = "intent"))]
pub mod storage {
    pub use crate::__bindings::mediflux::plugin::storage::*;
}

/// The data-source kind: implement [`data_source::DataSource`] and export it
/// with [`export_data_source!`].
#[cfg(not(feature = "intent"))]
pub mod data_source {
    pub use crate::__bindings::exports::mediflux::plugin::data_source::{
        Guest as DataSource, InputFile, RefreshRequest, RefreshSummary,
    };
}

/// The intent-handler kind: implement [`intent::IntentHandler`] and export it
/// with [`export_intent_handler!`].
#[cfg(feature = "intent")]
pub mod intent {
    pub use crate::__bindings::exports::mediflux::plugin::intent_handler::{
        Guest as IntentHandler, IntentRequest, IntentResponse,
    };
}

/// Exports a type implementing [`data_source::DataSource`] as this
/// component's data source.
#[cfg(not(feature = "intent"))]
#[macro_export]
macro_rules! export_data_source {
    ($plugin:ident) => {
        $crate::__bindings::__export_world!($plugin);
    };
}

/// Exports a type implementing [`intent::IntentHandler`] as this component's
/// intent handler.
#[cfg(feature = "intent")]
#[macro_export]
macro_rules! export_intent_handler {
    ($plugin:ident) => {
        $crate::__bindings::__export_world!($plugin);
    };
}

/// Builds a [`types::PluginError`] from a stable code and an English message.
pub fn error(code: &str, message: &str) -> types::PluginError {
    types::PluginError {
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

/// Returns the named argument of `query` as text, if present and textual.
pub fn text_argument<'q>(query: &'q types::DataQuery, name: &str) -> Option<&'q str> {
    query
        .arguments
        .iter()
        .find_map(|argument| match &argument.value {
            types::ArgumentValue::Text(text) if argument.name == name => Some(text.as_str()),
            _ => None,
        })
}

/// Returns the named argument of `query` as an integer, if present and
/// integral.
pub fn integer_argument(query: &types::DataQuery, name: &str) -> Option<i64> {
    query
        .arguments
        .iter()
        .find_map(|argument| match argument.value {
            types::ArgumentValue::Integer(value) if argument.name == name => Some(value),
            _ => None,
        })
}

/// Returns the value of an `intent` request slot.
#[cfg(feature = "intent")]
pub fn slot<'r>(request: &'r intent::IntentRequest, name: &str) -> Option<&'r str> {
    request
        .slots
        .iter()
        .find(|(slot, _)| slot == name)
        .map(|(_, value)| value.as_str())
}
