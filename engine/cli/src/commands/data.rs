//! `mediflux data`: query data-source plugins.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use mediflux_host::types::{Argument, ArgumentValue, DataQuery, DataRecord, Date};
use mediflux_manifest::ParameterType;
use mediflux_refdata::ANNUAIRE_SOURCE;

use crate::commands::Output;
use crate::settings::Settings;

/// Subcommands of `mediflux data`.
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Run an operation of a data-source plugin, such as
    /// `mediflux data query template get code=53`.
    Query {
        /// Plugin id of the data source.
        source: String,
        /// Operation name, as declared in its manifest.
        operation: String,
        /// Arguments as NAME=VALUE, converted to the types the manifest
        /// declares (text, integer, flag as true/false, date as YYYY-MM-DD).
        arguments: Vec<String>,
    },
    /// Import data files already downloaded, such as
    /// `mediflux data import bdpm ~/Téléchargements/bdpm` or
    /// `mediflux data import annuaire page-1.json page-2.json`. The previous
    /// data stay in service when the import fails.
    Import {
        /// Plugin id of the data source: `bdpm` or `annuaire`.
        source: String,
        /// For `bdpm`, the folder holding the files (CIS_bdpm.txt,
        /// CIS_CIP_bdpm.txt…); for `annuaire`, Annuaire Santé FHIR files
        /// (.json) or folders of them.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<std::path::PathBuf>,
        /// Date of the files, written YYYY-MM-DD; by default the folder
        /// name when it starts with a date (bdpm only), else the newest
        /// file's date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
    },
    /// Download the latest data and import them; only `bdpm` can be
    /// downloaded, and `annuaire` explains how to import its files.
    Sync {
        /// Plugin id of the data source.
        source: String,
    },
}

/// Runs a `mediflux data` subcommand.
pub fn run(settings: &Settings, output: &Output, command: DataCommand) -> anyhow::Result<ExitCode> {
    match command {
        DataCommand::Query {
            source,
            operation,
            arguments,
        } => query(settings, output, &source, &operation, &arguments),
        DataCommand::Import {
            source,
            paths,
            date,
        } => {
            super::refresh::check_source(&source)?;
            if source == ANNUAIRE_SOURCE {
                return super::refresh::annuaire::import(settings, output, &paths, date);
            }
            let [folder] = paths.as_slice() else {
                anyhow::bail!(
                    "la source bdpm s'importe depuis un seul dossier, qui contient ses fichiers .txt ; {} chemins ont été donnés",
                    paths.len()
                );
            };
            super::refresh::import(settings, output, folder, date)
        }
        DataCommand::Sync { source } => {
            super::refresh::check_source(&source)?;
            if source == ANNUAIRE_SOURCE {
                return super::refresh::annuaire::sync(settings, output);
            }
            super::refresh::sync(settings, output)
        }
    }
}

fn query(
    settings: &Settings,
    output: &Output,
    source: &str,
    operation: &str,
    arguments: &[String],
) -> anyhow::Result<ExitCode> {
    let host = crate::catalog::host(settings)?;
    let manifest = host
        .manifests()
        .into_iter()
        .find(|manifest| manifest.id == source)
        .with_context(|| {
            format!("no data source `{source}` is loaded; run `mediflux plugins list`")
        })?;
    let declared = manifest
        .operations
        .iter()
        .find(|declared| declared.name == operation);

    let mut typed = Vec::new();
    for argument in arguments {
        let (name, value) = argument
            .split_once('=')
            .with_context(|| format!("argument `{argument}` is not NAME=VALUE"))?;
        let kind = declared
            .and_then(|declared| {
                declared
                    .parameters
                    .iter()
                    .find(|parameter| parameter.name == name)
            })
            .map_or(ParameterType::Text, |parameter| parameter.kind);
        typed.push(Argument {
            name: name.to_owned(),
            value: parse_argument(name, value, kind)?,
        });
    }

    let query = DataQuery {
        operation: operation.to_owned(),
        arguments: typed,
    };
    let records = super::runtime()?.block_on(host.query(source, query))?;

    if output.json {
        let values: Vec<serde_json::Value> = records.iter().map(record_json).collect();
        output.print_json(&values)?;
    } else {
        for record in &records {
            println!("{}", record_json(record));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_argument(name: &str, value: &str, kind: ParameterType) -> anyhow::Result<ArgumentValue> {
    let invalid = || {
        anyhow::anyhow!(
            "argument `{name}` must be of type {}, got `{value}`",
            kind.as_str()
        )
    };
    Ok(match kind {
        ParameterType::Text => ArgumentValue::Text(value.to_owned()),
        ParameterType::Integer => ArgumentValue::Integer(value.parse().map_err(|_| invalid())?),
        ParameterType::Flag => ArgumentValue::Flag(value.parse().map_err(|_| invalid())?),
        ParameterType::Date => {
            let date: mediflux_rules::Date = value.parse().map_err(|_| invalid())?;
            ArgumentValue::Date(Date {
                year: u16::try_from(date.year()).map_err(|_| invalid())?,
                month: date.month(),
                day: date.day(),
            })
        }
    })
}

/// Renders a record as JSON: documents as their parsed body, typed records
/// by their fields.
fn record_json(record: &DataRecord) -> serde_json::Value {
    match record {
        DataRecord::Json(document) => serde_json::json!({
            "schema": document.schema,
            "body": serde_json::from_str::<serde_json::Value>(&document.body).unwrap_or_else(|_| serde_json::Value::String(document.body.clone())),
        }),
        other => serde_json::to_value(other).unwrap_or(serde_json::Value::Null),
    }
}
