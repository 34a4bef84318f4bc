//! The `bdpm` data-source component: refresh from files or from the BDPM
//! site into the host's reference store, and queries served from that
//! store through `storage.lookup` and `storage.search`.

use mediflux_plugin_sdk::data_source::{DataSource, InputFile, RefreshRequest, RefreshSummary};
use mediflux_plugin_sdk::storage::{self, RecordKind};
use mediflux_plugin_sdk::types::{
    DataQuery, DataRecord, GenericGroup, GenericMember, GenericRole, JsonDocument, Medicine,
    PluginError, Presentation,
};
use mediflux_plugin_sdk::{error, log};
use serde::Serialize;

use crate::download::{BodyProblem, check_file, sha256_hex};
use crate::{FileKind, GenericType, ParsedFile, compare_presentations, parse_named};

mod sync;

/// Marketing status of a marketed medicine in `CIS_bdpm.txt`.
const MARKETED_MEDICINE: &str = "Commercialisée";
/// Marketing status of a marketed box in `CIS_CIP_bdpm.txt`.
const MARKETED_PRESENTATION: &str = "Déclaration de commercialisation";

/// Records sent per `storage.write` call: large enough to keep the number
/// of host calls low, small enough to keep a batch within a few MiB.
const BATCH_RECORDS: usize = 2_000;
/// Reject lines copied into the refresh notes; the rest are only counted.
const MAX_REJECT_NOTES: usize = 50;
/// Key of the snapshot document that the host's reference reader serves.
const SNAPSHOT_KEY: &str = "mediflux.snapshot/1:current";
/// Default and maximum number of medicines returned by `search`.
const DEFAULT_SEARCH_LIMIT: i64 = 10;
const MAX_SEARCH_LIMIT: i64 = 50;

struct Bdpm;

impl DataSource for Bdpm {
    fn query(query: DataQuery) -> Result<Vec<DataRecord>, PluginError> {
        let text = |name: &str| {
            mediflux_plugin_sdk::text_argument(&query, name)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        match query.operation.as_str() {
            "search" => {
                let limit = mediflux_plugin_sdk::integer_argument(&query, "limit")
                    .unwrap_or(DEFAULT_SEARCH_LIMIT)
                    .clamp(1, MAX_SEARCH_LIMIT);
                search(&text("text"), limit as u32)
            }
            "medicine" => medicine(&checked_code(&text("cis"), "cis", 8)?),
            "presentation" => presentation(&checked_code(&text("cip13"), "cip13", 13)?),
            "generics" => generics(&checked_code(&text("cis"), "cis", 8)?),
            "snapshot" => snapshot(),
            other => Err(error(
                "unknown-operation",
                &format!(
                    "unknown operation {other:?}; expected search, medicine, presentation, generics or snapshot"
                ),
            )),
        }
    }

    fn refresh(request: RefreshRequest) -> Result<RefreshSummary, PluginError> {
        if request.files.is_empty() {
            sync::sync()
        } else {
            let files = request
                .files
                .into_iter()
                .map(|InputFile { name, content }| (name, content))
                .collect();
            import_files(files)
        }
    }
}

mediflux_plugin_sdk::export_data_source!(Bdpm);

fn checked_code(value: &str, name: &str, digits: usize) -> Result<String, PluginError> {
    if value.len() == digits && value.bytes().all(|byte| byte.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err(error(
            "invalid-argument",
            &format!("{name} must be {digits} digits, got {value:?}"),
        ))
    }
}

fn storage_error(message: String) -> PluginError {
    error("storage-failed", &message)
}

fn lookup(kind: RecordKind, key: &str) -> Result<Vec<DataRecord>, PluginError> {
    storage::lookup(kind, key).map_err(storage_error)
}

/// Returns the presentations of `cis`, marketed first, then cheapest.
fn presentations_of(cis: &str) -> Result<Vec<DataRecord>, PluginError> {
    let mut boxes: Vec<Presentation> = lookup(RecordKind::Presentation, cis)?
        .into_iter()
        .filter_map(|record| match record {
            DataRecord::Presentation(presentation) => Some(presentation),
            _ => None,
        })
        .collect();
    boxes.sort_by(|a, b| {
        compare_presentations((a.marketed, a.price_cents), (b.marketed, b.price_cents))
            .then_with(|| a.cip13.cmp(&b.cip13))
    });
    Ok(boxes.into_iter().map(DataRecord::Presentation).collect())
}

fn search(text: &str, limit: u32) -> Result<Vec<DataRecord>, PluginError> {
    if text.is_empty() {
        return Err(error("invalid-argument", "text must not be empty"));
    }
    let mut records = Vec::new();
    for record in storage::search(RecordKind::Medicine, text, limit).map_err(storage_error)? {
        let DataRecord::Medicine(medicine) = record else {
            continue;
        };
        let cis = medicine.cis.clone();
        records.push(DataRecord::Medicine(medicine));
        records.extend(presentations_of(&cis)?);
    }
    Ok(records)
}

fn medicine(cis: &str) -> Result<Vec<DataRecord>, PluginError> {
    let mut records = lookup(RecordKind::Medicine, cis)?;
    if records.is_empty() {
        return Ok(records);
    }
    records.truncate(1);
    records.extend(presentations_of(cis)?);
    Ok(records)
}

fn presentation(cip13: &str) -> Result<Vec<DataRecord>, PluginError> {
    let mut records = lookup(RecordKind::Presentation, cip13)?;
    records.truncate(1);
    let cis = match records.first() {
        Some(DataRecord::Presentation(found)) => found.cis.clone(),
        _ => return Ok(Vec::new()),
    };
    records.extend(lookup(RecordKind::Medicine, &cis)?.into_iter().take(1));
    Ok(records)
}

fn generics(cis: &str) -> Result<Vec<DataRecord>, PluginError> {
    let groups = lookup(RecordKind::GenericGroup, cis)?;
    let mut members: Vec<String> = Vec::new();
    for group in &groups {
        if let DataRecord::GenericGroup(group) = group {
            for member in &group.members {
                if !members.contains(&member.cis) {
                    members.push(member.cis.clone());
                }
            }
        }
    }

    let mut records = groups;
    for member in members {
        records.extend(lookup(RecordKind::Medicine, &member)?.into_iter().take(1));
        records.extend(presentations_of(&member)?);
    }
    Ok(records)
}

fn snapshot() -> Result<Vec<DataRecord>, PluginError> {
    let document = lookup(RecordKind::Json, SNAPSHOT_KEY)?
        .into_iter()
        .find_map(|record| match record {
            DataRecord::Json(document) => Some(document),
            _ => None,
        });
    match document {
        Some(document) => Ok(vec![DataRecord::Json(JsonDocument {
            schema: "bdpm.snapshot/1".to_owned(),
            body: document.body,
        })]),
        None => Err(error(
            "no-snapshot",
            "no BDPM data has been imported yet; run `mediflux data import bdpm <folder>` or `mediflux data sync bdpm`",
        )),
    }
}

/// Counts and notes of one refresh.
#[derive(Default)]
struct Tally {
    written: u64,
    rejected: u64,
    notes: Vec<String>,
}

impl Tally {
    fn note(&mut self, note: String) {
        log::info(&note);
        self.notes.push(note);
    }
}

/// Parses `files` (name and bytes) and writes their records through
/// `storage.write`, declaring each file with its SHA-256.
pub(crate) fn import_files(files: Vec<(String, Vec<u8>)>) -> Result<RefreshSummary, PluginError> {
    let mut tally = Tally::default();
    let total = files.len() as u64;
    let mut reject_notes = 0;

    for (index, (name, bytes)) in files.into_iter().enumerate() {
        let Ok(kind) = FileKind::from_file_name(&name) else {
            tally.note(format!("{name}: not a BDPM file name, skipped"));
            continue;
        };
        check_file(kind, &name, &bytes).map_err(|problem| body_error(&problem))?;
        storage::progress(&name, 0, None);

        storage::add_file(&name, &sha256_hex(&bytes), bytes.len() as u64);
        let parsed = parse_named(&name, &bytes)
            .map_err(|unknown| error("unknown-file", &unknown.to_string()))?;
        drop(bytes);

        let records = parsed.records() as u64;
        let rejects = parsed.rejects();
        tally.rejected += rejects.len() as u64;
        for reject in rejects {
            if reject_notes < MAX_REJECT_NOTES {
                tally.notes.push(reject.to_string());
                reject_notes += 1;
            }
        }
        if is_implausible(records, rejects.len() as u64) {
            return Err(error(
                "too-many-rejects",
                &format!(
                    "{name}: {} of {records} lines could not be read, first: {}; the file is damaged or not a BDPM file",
                    rejects.len(),
                    rejects.first().map(ToString::to_string).unwrap_or_default()
                ),
            ));
        }

        let converted = convert(parsed)?;
        write_batches(&name, converted, &mut tally)?;
        log::info(&format!("{name}: imported ({}/{total})", index + 1));
    }
    if reject_notes < tally.rejected as usize {
        tally.notes.push(format!(
            "{} more rejected lines not listed",
            tally.rejected as usize - reject_notes
        ));
    }

    Ok(RefreshSummary {
        written: tally.written,
        rejected: tally.rejected,
        notes: tally.notes,
    })
}

/// Returns whether a file has so many unreadable lines that importing the
/// rest would hide damage: more than a tenth of its lines, beyond a few.
fn is_implausible(records: u64, rejected: u64) -> bool {
    rejected > 20 && rejected * 10 > records
}

pub(crate) fn body_error(problem: &BodyProblem) -> PluginError {
    let code = match problem {
        BodyProblem::TooSmall { .. } | BodyProblem::LengthMismatch { .. } => "truncated-file",
        BodyProblem::WrongEncoding { .. } => "invalid-encoding",
    };
    error(code, &problem.to_string())
}

fn write_batches(
    name: &str,
    records: Vec<DataRecord>,
    tally: &mut Tally,
) -> Result<(), PluginError> {
    let total = records.len() as u64;
    let mut done = 0;
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        let batch: Vec<DataRecord> = records.by_ref().take(BATCH_RECORDS).collect();
        let count = batch.len() as u64;
        storage::write(&batch)
            .map_err(|message| error("storage-failed", &format!("{name}: {message}")))?;
        done += count;
        tally.written += count;
        storage::progress(name, done, Some(total));
    }
    Ok(())
}

fn convert(parsed: ParsedFile) -> Result<Vec<DataRecord>, PluginError> {
    Ok(match parsed {
        ParsedFile::Specialties(parsed) => parsed
            .rows
            .into_iter()
            .map(|row| {
                DataRecord::Medicine(Medicine {
                    cis: row.cis,
                    name: row.name,
                    form: row.form,
                    routes: row.routes,
                    authorisation_status: row.authorization_status,
                    marketed: row.marketing_status == MARKETED_MEDICINE,
                    holders: row.holders,
                    reinforced_monitoring: row.reinforced_monitoring,
                })
            })
            .collect(),
        ParsedFile::Presentations(parsed) => parsed
            .rows
            .into_iter()
            .map(|row| {
                DataRecord::Presentation(Presentation {
                    cis: row.cis,
                    cip7: row.cip7,
                    cip13: row.cip13,
                    label: row.label,
                    marketed: row.marketing_status == MARKETED_PRESENTATION,
                    price_cents: row.price_cents,
                    public_price_cents: row.price_with_fee_cents,
                    dispensing_fee_cents: row.dispensing_fee_cents,
                    // The SDK carries one rate; the BDPM allows several
                    // separated by `;`, and none was seen in 2017–2026.
                    rate_percent: row
                        .reimbursement_rates_bp
                        .first()
                        .and_then(|bp| u8::try_from(bp / 100).ok()),
                })
            })
            .collect(),
        ParsedFile::GenericGroups(parsed) => {
            let mut groups: Vec<GenericGroup> = Vec::new();
            let mut positions = std::collections::HashMap::new();
            for row in parsed.rows {
                let position = *positions.entry(row.group_id.clone()).or_insert_with(|| {
                    groups.push(GenericGroup {
                        id: row.group_id.clone(),
                        label: row.group_label.clone(),
                        members: Vec::new(),
                    });
                    groups.len() - 1
                });
                groups[position].members.push(GenericMember {
                    cis: row.cis,
                    role: role(row.generic_type),
                    rank: row.sort_order,
                });
            }
            groups.into_iter().map(DataRecord::GenericGroup).collect()
        }
        ParsedFile::Compositions(parsed) => json_records("bdpm.composition/1", &parsed.rows)?,
        ParsedFile::PrescriptionConditions(parsed) => {
            json_records("bdpm.prescription-condition/1", &parsed.rows)?
        }
        ParsedFile::HasSmr(parsed) => json_records("bdpm.has-smr/1", &parsed.rows)?,
        ParsedFile::HasAsmr(parsed) => json_records("bdpm.has-asmr/1", &parsed.rows)?,
        ParsedFile::HasPageLinks(parsed) => json_records("bdpm.has-page-link/1", &parsed.rows)?,
        ParsedFile::MajorTherapeuticInterest(parsed) => json_records("bdpm.mitm/1", &parsed.rows)?,
        ParsedFile::Availability(parsed) => json_records("bdpm.availability/1", &parsed.rows)?,
        ParsedFile::ImportantInformation(parsed) => {
            json_records("bdpm.important-information/1", &parsed.rows)?
        }
    })
}

fn role(generic_type: GenericType) -> GenericRole {
    match generic_type {
        GenericType::Princeps => GenericRole::Princeps,
        GenericType::Generic => GenericRole::Generic,
        GenericType::DosageComplementGeneric => GenericRole::ComplementaryPosology,
        GenericType::SubstitutableGeneric => GenericRole::Substitutable,
    }
}

fn json_records<R: Serialize>(schema: &str, rows: &[R]) -> Result<Vec<DataRecord>, PluginError> {
    rows.iter()
        .map(|row| {
            let body = serde_json::to_string(row)
                .map_err(|failure| error("internal", &format!("{schema}: {failure}")))?;
            Ok(DataRecord::Json(JsonDocument {
                schema: schema.to_owned(),
                body,
            }))
        })
        .collect()
}
