//! `mediflux med`: medicine search and generic groups, served by the
//! `bdpm` plugin from the reference store.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use mediflux_host::types::{
    Argument, ArgumentValue, DataQuery, DataRecord, GenericGroup, GenericRole, Medicine,
    Presentation,
};
use mediflux_host::{FailureKind, Host};
use serde::Serialize;

use crate::commands::Output;
use crate::commands::french;
use crate::settings::Settings;

/// Subcommands of `mediflux med`.
#[derive(Debug, Subcommand)]
pub enum MedCommand {
    /// Search medicines by name, such as `mediflux med search "doliprane 1000"`.
    Search {
        /// Name as you would write it, optionally with a dosage.
        text: String,
        /// Maximum number of medicines listed, from 1 to 50.
        #[arg(long, default_value_t = 10)]
        limit: i64,
    },
    /// List the princeps and generics of a medicine, cheapest first.
    Generics {
        /// Code CIS of the medicine, 8 digits, as printed by `med search`.
        cis: String,
    },
}

/// Runs a `mediflux med` subcommand.
pub fn run(settings: &Settings, output: &Output, command: MedCommand) -> anyhow::Result<ExitCode> {
    let host = crate::catalog::host(settings)?;
    let runtime = super::runtime()?;
    let query = |operation: &str, arguments: Vec<Argument>| {
        runtime.block_on(host_query(&host, operation, arguments))
    };

    let snapshot = match query("snapshot", Vec::new()) {
        Ok(records) => snapshot_date(&records),
        Err(Failure::NoData) => {
            eprintln!("{}", french::NO_DATA);
            return Ok(ExitCode::FAILURE);
        }
        Err(Failure::Other(error)) => return Err(error),
    };

    let records = match &command {
        MedCommand::Search { text, limit } => query(
            "search",
            vec![
                text_argument("text", text),
                Argument {
                    name: "limit".to_owned(),
                    value: ArgumentValue::Integer(*limit),
                },
            ],
        ),
        MedCommand::Generics { cis } => query("generics", vec![text_argument("cis", cis.trim())]),
    };
    let records = match records {
        Ok(records) => records,
        Err(Failure::NoData) => {
            eprintln!("{}", french::NO_DATA);
            return Ok(ExitCode::FAILURE);
        }
        Err(Failure::Other(error)) => return Err(error),
    };

    match command {
        MedCommand::Search { text, .. } => print_search(output, &text, &records, &snapshot),
        MedCommand::Generics { cis }
            if !records
                .iter()
                .any(|record| matches!(record, DataRecord::GenericGroup(_)))
                && !medicine_exists(settings, &cis)? =>
        {
            eprintln!(
                "Aucun médicament n'a le code CIS «\u{a0}{}\u{a0}» dans la base installée\u{a0}: \
                 vérifiez le code (8 chiffres), ou retrouvez-le avec `mediflux med search NOM`.",
                cis.trim()
            );
            Ok(ExitCode::FAILURE)
        }
        MedCommand::Generics { cis } => print_generics(output, cis.trim(), &records, &snapshot),
    }
}

enum Failure {
    /// Nothing has been imported yet.
    NoData,
    Other(anyhow::Error),
}

async fn host_query(
    host: &Host,
    operation: &str,
    arguments: Vec<Argument>,
) -> Result<Vec<DataRecord>, Failure> {
    let query = DataQuery {
        operation: operation.to_owned(),
        arguments,
    };
    host.query("bdpm", query)
        .await
        .map_err(|error| match error.failure() {
            Some(FailureKind::Plugin { code, .. }) if code == "no-snapshot" => Failure::NoData,
            Some(FailureKind::Plugin { code, message }) if code == "invalid-argument" => {
                Failure::Other(anyhow::anyhow!("argument invalide : {message}"))
            }
            _ => Failure::Other(error.into()),
        })
}

fn text_argument(name: &str, value: &str) -> Argument {
    Argument {
        name: name.to_owned(),
        value: ArgumentValue::Text(value.to_owned()),
    }
}

/// Returns the `imported_at` date of a `bdpm.snapshot/1` result.
fn snapshot_date(records: &[DataRecord]) -> Option<String> {
    records.iter().find_map(|record| match record {
        DataRecord::Json(document) => serde_json::from_str::<serde_json::Value>(&document.body)
            .ok()?
            .get("imported_at")?
            .as_str()
            .map(str::to_owned),
        _ => None,
    })
}

fn source_line(snapshot: &Option<String>) -> String {
    let date = snapshot
        .as_deref()
        .and_then(|date| date.parse().ok())
        .map(french::date)
        .unwrap_or_else(|| "date inconnue".to_owned());
    format!("Source : base de données publique des médicaments (ANSM), données du {date}.")
}

/// A medicine in the JSON output of `med search`.
#[derive(Serialize)]
struct MedicineOutput<'a> {
    cis: &'a str,
    name: &'a str,
    form: &'a str,
    marketed: bool,
    presentations: Vec<PresentationOutput<'a>>,
}

/// A box in the JSON output of `med search` and `med generics`.
#[derive(Serialize)]
struct PresentationOutput<'a> {
    cip13: &'a str,
    cip7: &'a str,
    label: &'a str,
    marketed: bool,
    price_cents: Option<i64>,
    public_price_cents: Option<i64>,
    dispensing_fee_cents: Option<i64>,
    rate_percent: Option<u8>,
}

impl<'a> PresentationOutput<'a> {
    fn new(presentation: &'a Presentation) -> Self {
        PresentationOutput {
            cip13: &presentation.cip13,
            cip7: &presentation.cip7,
            label: &presentation.label,
            marketed: presentation.marketed,
            price_cents: presentation.price_cents,
            public_price_cents: presentation.public_price_cents,
            dispensing_fee_cents: presentation.dispensing_fee_cents,
            rate_percent: presentation.rate_percent,
        }
    }
}

/// Groups the records of `search`: each medicine followed by its boxes.
fn group_search(records: &[DataRecord]) -> Vec<(&Medicine, Vec<&Presentation>)> {
    let mut results: Vec<(&Medicine, Vec<&Presentation>)> = Vec::new();
    for record in records {
        match record {
            DataRecord::Medicine(medicine) => results.push((medicine, Vec::new())),
            DataRecord::Presentation(presentation) => {
                if let Some((_, boxes)) = results.last_mut() {
                    boxes.push(presentation);
                }
            }
            _ => {}
        }
    }
    results
}

fn presentation_line(presentation: &Presentation) -> String {
    let price = match (presentation.price_cents, presentation.public_price_cents) {
        (Some(price), Some(public)) if public != price => format!(
            "{} ({} avec les honoraires du pharmacien)",
            french::euros(price),
            french::euros(public)
        ),
        (Some(price), _) => french::euros(price),
        (None, _) => "prix non publié".to_owned(),
    };
    let rate = match presentation.rate_percent {
        Some(rate) => format!("remboursé à {rate} %"),
        None => "non remboursé".to_owned(),
    };
    let status = if presentation.marketed {
        "commercialisée"
    } else {
        "plus commercialisée"
    };
    // Some libellés hold double spaces, as published.
    let label = presentation
        .label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{} · {label} · {price} · {rate} · {status}",
        presentation.cip13
    )
}

fn print_search(
    output: &Output,
    text: &str,
    records: &[DataRecord],
    snapshot: &Option<String>,
) -> anyhow::Result<ExitCode> {
    let results = group_search(records);
    if output.json {
        let values: Vec<MedicineOutput<'_>> = results
            .iter()
            .map(|(medicine, boxes)| MedicineOutput {
                cis: &medicine.cis,
                name: &medicine.name,
                form: &medicine.form,
                marketed: medicine.marketed,
                presentations: boxes.iter().map(|b| PresentationOutput::new(b)).collect(),
            })
            .collect();
        output.print_json(&values)?;
        return Ok(ExitCode::SUCCESS);
    }

    if results.is_empty() {
        println!(
            "Aucun médicament ne correspond à « {text} ». Vérifiez l'orthographe ou essayez le nom de la substance."
        );
        println!("{}", source_line(snapshot));
        return Ok(ExitCode::SUCCESS);
    }
    for (rank, (medicine, boxes)) in results.iter().enumerate() {
        let status = if medicine.marketed {
            "commercialisé"
        } else {
            "non commercialisé"
        };
        println!(
            "{}. {} (CIS {}) · {} · {status}",
            rank + 1,
            medicine.name,
            medicine.cis,
            medicine.form
        );
        if boxes.is_empty() {
            println!("   aucune présentation publiée");
        }
        for presentation in boxes {
            println!("   - {}", presentation_line(presentation));
        }
    }
    println!("{}", source_line(snapshot));
    Ok(ExitCode::SUCCESS)
}

/// A member in the JSON output of `med generics`.
#[derive(Serialize)]
struct MemberOutput<'a> {
    cis: &'a str,
    name: Option<&'a str>,
    role: &'static str,
    rank: u32,
    cheapest: Option<PresentationOutput<'a>>,
}

fn role_name(role: GenericRole) -> &'static str {
    match role {
        GenericRole::Princeps => "princeps",
        GenericRole::Generic => "generic",
        GenericRole::ComplementaryPosology => "complementary-posology",
        GenericRole::Substitutable => "substitutable",
    }
}

fn role_french(role: GenericRole) -> &'static str {
    match role {
        GenericRole::Princeps => "princeps (médicament de référence)",
        GenericRole::Generic => "générique",
        GenericRole::ComplementaryPosology => "générique par complémentarité posologique",
        GenericRole::Substitutable => "générique substituable",
    }
}

/// Returns the members of `group` with their cheapest marketed box,
/// cheapest first, members without a priced box last, then princeps
/// first and publisher rank.
fn rank_members<'a>(group: &'a GenericGroup, records: &'a [DataRecord]) -> Vec<MemberOutput<'a>> {
    let mut members: Vec<MemberOutput<'a>> = group
        .members
        .iter()
        .map(|member| {
            let name = records.iter().find_map(|record| match record {
                DataRecord::Medicine(medicine) if medicine.cis == member.cis => {
                    Some(medicine.name.as_str())
                }
                _ => None,
            });
            let cheapest = records
                .iter()
                .filter_map(|record| match record {
                    DataRecord::Presentation(presentation)
                        if presentation.cis == member.cis
                            && presentation.marketed
                            && presentation.price_cents.is_some() =>
                    {
                        Some(presentation)
                    }
                    _ => None,
                })
                .min_by_key(|presentation| presentation.price_cents)
                .map(PresentationOutput::new);
            MemberOutput {
                cis: &member.cis,
                name,
                role: role_name(member.role),
                rank: member.rank,
                cheapest,
            }
        })
        .collect();
    members.sort_by_key(|member| {
        let price = member
            .cheapest
            .as_ref()
            .and_then(|cheapest| cheapest.price_cents);
        (
            price.is_none(),
            price.unwrap_or_default(),
            member.role != "princeps",
            member.rank,
        )
    });
    members
}

/// Returns whether the reference store has a medicine with code `cis`.
fn medicine_exists(settings: &Settings, cis: &str) -> anyhow::Result<bool> {
    let store = mediflux_refdata::RefStore::open(&settings.data_dir)
        .context("failed to open the reference store")?;
    let medicine = store
        .medicine(cis.trim())
        .context("failed to read the reference store")?;
    Ok(medicine.is_some())
}

fn print_generics(
    output: &Output,
    cis: &str,
    records: &[DataRecord],
    snapshot: &Option<String>,
) -> anyhow::Result<ExitCode> {
    let groups: Vec<&GenericGroup> = records
        .iter()
        .filter_map(|record| match record {
            DataRecord::GenericGroup(group) => Some(group),
            _ => None,
        })
        .collect();

    if output.json {
        let values: Vec<serde_json::Value> = groups
            .iter()
            .map(|group| {
                serde_json::json!({
                    "id": group.id,
                    "label": group.label,
                    "members": rank_members(group, records),
                })
            })
            .collect();
        output.print_json(&values)?;
        return Ok(ExitCode::SUCCESS);
    }

    if groups.is_empty() {
        println!(
            "Le médicament CIS {cis} n'appartient à aucun groupe générique : il n'a pas de générique répertorié."
        );
        println!("{}", source_line(snapshot));
        return Ok(ExitCode::SUCCESS);
    }
    for group in groups {
        println!("Groupe générique {} : {}", group.id, group.label);
        for (index, member) in rank_members(group, records).iter().enumerate() {
            let role = group
                .members
                .iter()
                .find(|candidate| candidate.cis == member.cis)
                .map(|candidate| role_french(candidate.role))
                .unwrap_or_default();
            let price = member
                .cheapest
                .as_ref()
                .and_then(|cheapest| cheapest.price_cents)
                .map(|cents| format!("{} la boîte la moins chère", french::euros(cents)))
                .unwrap_or_else(|| "aucune boîte commercialisée avec un prix".to_owned());
            println!(
                "  {}. {} (CIS {}) · {role} · {price}",
                index + 1,
                member.name.unwrap_or("médicament retiré de la base"),
                member.cis
            );
        }
    }
    println!("Les prix comparent des boîtes, qui peuvent contenir des quantités différentes.");
    println!("{}", source_line(snapshot));
    Ok(ExitCode::SUCCESS)
}
