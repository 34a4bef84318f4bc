//! `mediflux paths`: where Mediflux reads and writes, once the settings are
//! resolved.

use std::process::ExitCode;

use crate::commands::Output;
use crate::settings::Settings;

/// Runs `mediflux paths`.
pub fn run(settings: &Settings, output: &Output) -> anyhow::Result<ExitCode> {
    let rules = settings
        .rules_dir
        .as_ref()
        .map_or_else(|| "embedded".to_owned(), |dir| dir.display().to_string());
    let rows = [
        ("data_dir", settings.data_dir.display().to_string()),
        ("cache_dir", settings.cache_dir.display().to_string()),
        ("plugins_dir", settings.plugins_dir.display().to_string()),
        ("rules_dir", rules),
    ];

    if output.json {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(key, value)| ((*key).to_owned(), serde_json::Value::String(value.clone())))
            .collect();
        output.print_json(&map)?;
    } else {
        for (key, value) in rows {
            println!("{key:<12} {value}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
