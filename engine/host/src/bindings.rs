//! Host-side bindings generated from each supported SDK version's WIT.
//!
//! One module per SDK version. The intent world reuses the data-source
//! world's shared interfaces through `with`, so both worlds see the same
//! Rust types and the same host-service implementations.

/// Bindings for `mediflux:plugin@0.1.0`.
pub mod v0_1 {
    /// The `data-source-plugin` world.
    #[allow(missing_docs, clippy::all, unused_qualifications)]
    pub mod data_source {
        wasmtime::component::bindgen!({
            path: "../../plugin-sdk/wit/0.1.0",
            world: "data-source-plugin",
            imports: { default: async | trappable },
            exports: { default: async },
            additional_derives: [serde::Serialize],
        });
    }

    /// The `intent-plugin` world.
    #[allow(missing_docs, clippy::all, unused_qualifications)]
    pub mod intent {
        wasmtime::component::bindgen!({
            path: "../../plugin-sdk/wit/0.1.0",
            world: "intent-plugin",
            imports: { default: async | trappable },
            exports: { default: async },
            additional_derives: [serde::Serialize],
            with: {
                "mediflux:plugin/types": super::data_source::mediflux::plugin::types,
                "mediflux:plugin/log": super::data_source::mediflux::plugin::log,
                "mediflux:plugin/config": super::data_source::mediflux::plugin::config,
                "mediflux:plugin/http": super::data_source::mediflux::plugin::http,
                "mediflux:plugin/cache": super::data_source::mediflux::plugin::cache,
                "mediflux:plugin/sources": super::data_source::mediflux::plugin::sources,
                "mediflux:plugin/rules": super::data_source::mediflux::plugin::rules,
            },
        });
    }

    pub use data_source::exports::mediflux::plugin::data_source::{
        InputFile, RefreshRequest, RefreshSummary,
    };
    pub use data_source::mediflux::plugin::{
        cache, config, http, log, rules, sources, storage, types,
    };
    pub use intent::exports::mediflux::plugin::intent_handler::{IntentRequest, IntentResponse};
}
