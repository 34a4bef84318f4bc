//! A data source built against `mediflux:plugin@0.2.0`, a version the host
//! does not implement, so that the tests can check it is refused at load.
//!
//! Its WIT is the 0.1.0 text with the package version raised, which makes
//! the export names differ only by version.

#[cfg(target_arch = "wasm32")]
#[allow(missing_docs, unsafe_code, clippy::all)]
mod plugin {
    wit_bindgen::generate!({ path: "wit", world: "data-source-plugin" });

    use exports::mediflux::plugin::data_source::{Guest, RefreshRequest, RefreshSummary};
    use mediflux::plugin::types::{DataQuery, DataRecord, PluginError};

    struct Future;

    impl Guest for Future {
        fn query(_query: DataQuery) -> Result<Vec<DataRecord>, PluginError> {
            Ok(Vec::new())
        }

        fn refresh(_request: RefreshRequest) -> Result<RefreshSummary, PluginError> {
            Ok(RefreshSummary {
                written: 0,
                rejected: 0,
                notes: Vec::new(),
            })
        }
    }

    export!(Future);
}
