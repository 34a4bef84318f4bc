//! The `annuaire` data-source component: a refresh from the FHIR files the
//! user hands over, written into the host's reference store, and
//! practitioner queries served from that store.

use mediflux_plugin_sdk::data_source::{DataSource, InputFile, RefreshRequest, RefreshSummary};
use mediflux_plugin_sdk::storage::{self, RecordKind};
use mediflux_plugin_sdk::types::{
    Address, DataQuery, DataRecord, JsonDocument, PluginError, Practitioner,
};
use mediflux_plugin_sdk::{error, log};

use crate::{Import, PractitionerRecord, import};

/// Key of the snapshot document that the host's reference reader serves.
const SNAPSHOT_KEY: &str = "mediflux.snapshot/1:current";
/// Schema of the `snapshot` operation's answer.
const SNAPSHOT_SCHEMA: &str = "annuaire.snapshot/1";
/// Records sent per `storage.write` call.
const BATCH_RECORDS: usize = 1_000;
/// Notes copied into the refresh summary; the rest are only counted.
const MAX_NOTES: usize = 50;
/// Default and maximum number of practitioners returned by `search`.
const DEFAULT_SEARCH_LIMIT: i64 = 10;
const MAX_SEARCH_LIMIT: i64 = 100;

struct Annuaire;

impl DataSource for Annuaire {
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
                search(
                    &text("profession"),
                    &text("specialty"),
                    &text("place"),
                    limit as u32,
                )
            }
            "practitioner" => practitioner(&text("id")),
            "snapshot" => snapshot(),
            other => Err(error(
                "unknown-operation",
                &format!("unknown operation {other:?}; expected search, practitioner or snapshot"),
            )),
        }
    }

    fn refresh(request: RefreshRequest) -> Result<RefreshSummary, PluginError> {
        if request.files.is_empty() {
            // TODO: sync online once the Annuaire Santé publishes a bulk
            // download without an API key; its FHIR API needs a personal
            // ESANTE-API-KEY and returns 50 resources per page by default.
            return Err(error(
                "files-required",
                "the Annuaire Santé has no public bulk download to sync from; export its FHIR \
                 search results as JSON files and run `mediflux data import annuaire <files…>`",
            ));
        }
        let files: Vec<(String, Vec<u8>)> = request
            .files
            .into_iter()
            .map(|InputFile { name, content }| (name, content))
            .collect();
        import_files(&files)
    }
}

mediflux_plugin_sdk::export_data_source!(Annuaire);

fn storage_error(message: String) -> PluginError {
    error("storage-failed", &message)
}

/// Splits a comma-separated list of codes.
fn code_list(text: &str) -> Vec<&str> {
    text.split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .collect()
}

fn search(
    professions: &str,
    specialties: &str,
    place: &str,
    limit: u32,
) -> Result<Vec<DataRecord>, PluginError> {
    let (professions, specialties) = (code_list(professions), code_list(specialties));
    if professions.is_empty() && specialties.is_empty() {
        return Err(error(
            "invalid-argument",
            "give profession (TRE_G15 codes, such as 70) or specialty (TRE_R38 codes, such as SM04,SM73)",
        ));
    }
    let text = serde_json::json!({
        "professions": professions,
        "specialties": specialties,
        "place": (!place.is_empty()).then_some(place),
    })
    .to_string();
    storage::search(RecordKind::Practitioner, &text, limit).map_err(|message| {
        if message.starts_with("invalid place") {
            error("invalid-place", &message)
        } else {
            storage_error(message)
        }
    })
}

fn practitioner(id: &str) -> Result<Vec<DataRecord>, PluginError> {
    if id.is_empty() {
        return Err(error(
            "invalid-argument",
            "id must be an RPPS or ADELI number, such as 10003461033",
        ));
    }
    storage::lookup(RecordKind::Practitioner, id).map_err(storage_error)
}

fn snapshot() -> Result<Vec<DataRecord>, PluginError> {
    let document = storage::lookup(RecordKind::Json, SNAPSHOT_KEY)
        .map_err(storage_error)?
        .into_iter()
        .find_map(|record| match record {
            DataRecord::Json(document) => Some(document),
            _ => None,
        });
    match document {
        Some(document) => Ok(vec![DataRecord::Json(JsonDocument {
            schema: SNAPSHOT_SCHEMA.to_owned(),
            body: document.body,
        })]),
        None => Err(error(
            "no-snapshot",
            "no Annuaire Santé data has been imported yet; run `mediflux data import annuaire <files…>`",
        )),
    }
}

/// Reads `files`, then writes their practitioners through `storage.write`,
/// declaring each file read with its SHA-256.
fn import_files(files: &[(String, Vec<u8>)]) -> Result<RefreshSummary, PluginError> {
    storage::progress("read", 0, Some(files.len() as u64));
    let Import {
        practitioners,
        files: read,
        file_errors,
        notes: resource_notes,
        rejected,
    } = import(files);

    let mut notes: Vec<String> = file_errors.iter().map(ToString::to_string).collect();
    notes.extend(resource_notes);
    for note in &notes {
        log::info(note);
    }
    if rejected > 0 {
        log::warn(&format!(
            "{} of {} files skipped and {} resources left out; the refresh notes list each one",
            file_errors.len(),
            files.len(),
            rejected - file_errors.len() as u64
        ));
    }
    if practitioners.is_empty() {
        return Err(error(
            "no-practitioners",
            &format!(
                "none of the {} files holds a Practitioner with an RPPS or ADELI number, a family name and a profession code: {}",
                files.len(),
                notes.join(" | ")
            ),
        ));
    }

    for file in &read {
        storage::add_file(&file.name, &file.sha256, file.bytes);
    }
    let total = practitioners.len() as u64;
    let mut written = 0;
    let records: Vec<DataRecord> = practitioners.into_iter().map(to_record).collect();
    for batch in records.chunks(BATCH_RECORDS) {
        storage::write(batch).map_err(storage_error)?;
        written += batch.len() as u64;
        storage::progress("practitioners", written, Some(total));
    }
    log::info(&format!(
        "{written} practitioners imported from {} of {} files",
        read.len(),
        files.len()
    ));

    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(format!("{more} more notes not listed"));
    }
    Ok(RefreshSummary {
        written,
        rejected,
        notes,
    })
}

fn to_record(record: PractitionerRecord) -> DataRecord {
    DataRecord::Practitioner(Practitioner {
        id: record.id,
        family_name: record.family_name,
        given_name: record.given_name,
        profession: record.profession,
        specialty: record.specialty,
        // The Annuaire Santé publishes no convention sector.
        sector: None,
        addresses: record
            .addresses
            .into_iter()
            .map(|address| Address {
                line: address.line,
                postcode: address.postcode,
                city: address.city,
            })
            .collect(),
    })
}
