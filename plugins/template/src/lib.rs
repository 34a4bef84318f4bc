//! Template data-source plugin: the French régions and their INSEE codes.
//!
//! Copy this crate to start a data source of your own; the walk-through is
//! `docs/plugin-authoring.md`. It shows the usual split: the data and its
//! lookups are plain Rust, tested on the host with `cargo test`, and a small
//! `wasm32`-only module adapts them to the SDK.

/// The 18 régions, as INSEE code and name (Code officiel géographique).
pub const REGIONS: &[(&str, &str)] = &[
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
    ("11", "Île-de-France"),
    ("24", "Centre-Val de Loire"),
    ("27", "Bourgogne-Franche-Comté"),
    ("28", "Normandie"),
    ("32", "Hauts-de-France"),
    ("44", "Grand Est"),
    ("52", "Pays de la Loire"),
    ("53", "Bretagne"),
    ("75", "Nouvelle-Aquitaine"),
    ("76", "Occitanie"),
    ("84", "Auvergne-Rhône-Alpes"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("94", "Corse"),
];

/// Returns the name of the région with INSEE code `code`.
pub fn region_name(code: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(candidate, _)| *candidate == code)
        .map(|(_, name)| *name)
}

/// Returns the régions whose name contains `text`, ignoring case.
pub fn search(text: &str) -> Vec<(&'static str, &'static str)> {
    let needle = text.to_lowercase();
    REGIONS
        .iter()
        .filter(|(_, name)| name.to_lowercase().contains(&needle))
        .copied()
        .collect()
}

#[cfg(target_arch = "wasm32")]
mod plugin {
    use mediflux_plugin_sdk::data_source::{DataSource, RefreshRequest, RefreshSummary};
    use mediflux_plugin_sdk::types::{DataQuery, DataRecord, JsonDocument, PluginError};

    struct Regions;

    fn record(code: &str, name: &str) -> DataRecord {
        DataRecord::Json(JsonDocument {
            schema: "template.region/1".to_owned(),
            body: format!(
                "{{\"code\":\"{code}\",\"name\":\"{}\"}}",
                name.replace('"', "\\\"")
            ),
        })
    }

    impl DataSource for Regions {
        fn query(query: DataQuery) -> Result<Vec<DataRecord>, PluginError> {
            match query.operation.as_str() {
                "get" => {
                    // The host has already checked that `code` is present and textual.
                    let code =
                        mediflux_plugin_sdk::text_argument(&query, "code").unwrap_or_default();
                    match super::region_name(code) {
                        Some(name) => Ok(vec![record(code, name)]),
                        None => Err(mediflux_plugin_sdk::error(
                            "not-found",
                            &format!("no région has code {code}"),
                        )),
                    }
                }
                "search" => {
                    let text =
                        mediflux_plugin_sdk::text_argument(&query, "text").unwrap_or_default();
                    Ok(super::search(text)
                        .into_iter()
                        .map(|(code, name)| record(code, name))
                        .collect())
                }
                other => Err(mediflux_plugin_sdk::error("unknown-operation", other)),
            }
        }

        fn refresh(_request: RefreshRequest) -> Result<RefreshSummary, PluginError> {
            // The table is compiled in, so there is nothing to download; a
            // real source would fetch through `mediflux_plugin_sdk::http` and
            // write through `mediflux_plugin_sdk::storage`.
            mediflux_plugin_sdk::log::info("template: nothing to refresh");
            Ok(RefreshSummary {
                written: 0,
                rejected: 0,
                notes: Vec::new(),
            })
        }
    }

    mediflux_plugin_sdk::export_data_source!(Regions);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_lookup_by_code() {
        assert_eq!(region_name("53"), Some("Bretagne"));
        assert_eq!(region_name("99"), None);
    }

    #[test]
    fn region_search_ignores_case() {
        assert_eq!(search("NORMAN"), vec![("28", "Normandie")]);
        assert_eq!(search("île").len(), 1);
    }
}
