//! `mediflux plugins`: list the installed plugins and check a manifest.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use mediflux_manifest::Manifest;

use crate::catalog::{self, Origin};
use crate::commands::Output;
use crate::settings::Settings;

/// Subcommands of `mediflux plugins`.
#[derive(Debug, Subcommand)]
pub enum PluginsCommand {
    /// List bundled plugins and those in the plugins folder.
    List,
    /// Check a plugin manifest, its component's hash, and that the component
    /// compiles and matches a supported SDK.
    Check {
        /// Path of the manifest (`<id>.toml`).
        manifest: PathBuf,
    },
}

#[derive(serde::Serialize)]
struct Listed {
    id: String,
    name: String,
    version: String,
    kind: String,
    sdk: String,
    intents: Vec<String>,
    operations: Vec<String>,
    origin: String,
    error: Option<String>,
}

/// Runs a `mediflux plugins` subcommand.
pub fn run(
    settings: &Settings,
    output: &Output,
    command: PluginsCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        PluginsCommand::List => list(settings, output),
        PluginsCommand::Check { manifest } => check(settings, output, manifest),
    }
}

fn list(settings: &Settings, output: &Output) -> anyhow::Result<ExitCode> {
    let listed: Vec<Listed> = catalog::entries(settings)?
        .into_iter()
        .map(|entry| match entry.plugin {
            Ok((manifest, _)) => Listed {
                id: manifest.id.clone(),
                name: manifest.name.clone(),
                version: manifest.version.to_string(),
                kind: manifest.kind.as_str().to_owned(),
                sdk: manifest.sdk.to_string(),
                intents: manifest
                    .intents
                    .iter()
                    .map(|intent| intent.id.clone())
                    .collect(),
                operations: manifest
                    .operations
                    .iter()
                    .map(|operation| operation.name.clone())
                    .collect(),
                origin: entry.origin.describe(),
                error: None,
            },
            Err(error) => Listed {
                id: match &entry.origin {
                    Origin::File(path) => path
                        .file_stem()
                        .map(|stem| stem.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    Origin::Bundled => String::new(),
                },
                name: String::new(),
                version: String::new(),
                kind: String::new(),
                sdk: String::new(),
                intents: Vec::new(),
                operations: Vec::new(),
                origin: entry.origin.describe(),
                error: Some(error.to_string()),
            },
        })
        .collect();

    if output.json {
        output.print_json(&listed)?;
        return Ok(ExitCode::SUCCESS);
    }

    let offers: Vec<String> = listed
        .iter()
        .map(|plugin| {
            if plugin.intents.is_empty() {
                plugin.operations.join(", ")
            } else {
                plugin.intents.join(", ")
            }
        })
        .collect();
    let id = column_width("ID", listed.iter().map(|plugin| plugin.id.as_str()));
    let version = column_width(
        "VERSION",
        listed.iter().map(|plugin| plugin.version.as_str()),
    );
    let kind = column_width("KIND", listed.iter().map(|plugin| plugin.kind.as_str()));
    let sdk = column_width("SDK", listed.iter().map(|plugin| plugin.sdk.as_str()));
    let offered = column_width("INTENTS / OPERATIONS", offers.iter().map(String::as_str));

    println!(
        "{:<id$} {:<version$} {:<kind$} {:<sdk$} {:<offered$} ORIGIN",
        "ID", "VERSION", "KIND", "SDK", "INTENTS / OPERATIONS"
    );
    for (plugin, offers) in listed.iter().zip(&offers) {
        if let Some(error) = &plugin.error {
            println!("{:<id$} invalid: {error}", plugin.id);
            continue;
        }
        println!(
            "{:<id$} {:<version$} {:<kind$} {:<sdk$} {:<offered$} {}",
            plugin.id, plugin.version, plugin.kind, plugin.sdk, offers, plugin.origin
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Returns the width in characters of a column: its widest cell or header.
fn column_width<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> usize {
    cells
        .map(|cell| cell.chars().count())
        .fold(header.len(), usize::max)
}

fn check(settings: &Settings, output: &Output, path: PathBuf) -> anyhow::Result<ExitCode> {
    let manifest = Manifest::load(&path)?;
    let bytes = manifest.read_component()?;
    let host = mediflux_host::Host::new(mediflux_host::HostConfig {
        cache_dir: settings.cache_dir.clone(),
        ..Default::default()
    })?;
    let info = host.load(manifest, &bytes)?;

    if output.json {
        output.print_json(&info)?;
    } else {
        println!(
            "ok: plugin {} {} ({}, SDK {}) loads from {}",
            info.id,
            info.version,
            info.kind,
            info.sdk,
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
