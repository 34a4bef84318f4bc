//! Test helpers: locating the real BDPM sets, parsing them with the `bdpm`
//! parser and converting its rows into the store's input records, as the
//! host does with the plugin's WIT records.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mediflux_plugin_bdpm::{GenericType, ParsedFile, parse_named};
use mediflux_refdata::{
    GenericGroup, GenericMember, GenericRole, ImportWriter, JsonDocument, Medicine, MinimumCounts,
    Presentation, RefStore, SnapshotInfo, StoreRecord,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Marketing status of a marketed medicine in `CIS_bdpm.txt`.
const MARKETED_MEDICINE: &str = "Commercialisée";
/// Marketing status of a marketed box in `CIS_CIP_bdpm.txt`.
const MARKETED_PRESENTATION: &str = "Déclaration de commercialisation";

/// Thresholds of the tests that import full sets: a full set has about
/// 15,800 medicines and 20,900 presentations.
pub const FULL_SET_MINIMUM: MinimumCounts = MinimumCounts {
    medicines: 10_000,
    presentations: 10_000,
};

/// A file read from disk.
pub struct SourceFile {
    /// File name, such as `CIS_bdpm.txt`.
    pub name: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Returns the folder of the real BDPM sets, next to the repository.
pub fn bdpm_root() -> PathBuf {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = repository.join("../shared/data/bdpm");
    assert!(
        root.is_dir(),
        "missing BDPM data folder {}: the tests need the real BDPM sets in shared/data/bdpm next to the repository",
        root.display()
    );
    root
}

/// Reads every `.txt` file of the set `name` (such as `2026-01-28`), in
/// name order.
pub fn read_set(name: &str) -> Vec<SourceFile> {
    let folder = bdpm_root().join(name);
    let entries = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("failed to list {}: {error}", folder.display()));
    let mut files: Vec<SourceFile> = entries
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .map(|path| SourceFile {
            name: path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned(),
            bytes: std::fs::read(&path)
                .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display())),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!files.is_empty(), "no .txt file in {}", folder.display());
    files
}

/// Returns the SHA-256 digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Parses one BDPM file and converts its rows into store records.
pub fn convert(file: &SourceFile) -> Vec<StoreRecord> {
    let parsed = parse_named(&file.name, &file.bytes)
        .unwrap_or_else(|error| panic!("unknown BDPM file {}: {error}", file.name));
    match parsed {
        ParsedFile::Specialties(parsed) => parsed
            .rows
            .into_iter()
            .map(|row| {
                StoreRecord::Medicine(Medicine {
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
                StoreRecord::Presentation(Presentation {
                    cis: row.cis,
                    cip7: row.cip7,
                    cip13: row.cip13,
                    label: row.label,
                    marketed: row.marketing_status == MARKETED_PRESENTATION,
                    price_cents: row.price_cents,
                    public_price_cents: row.price_with_fee_cents,
                    dispensing_fee_cents: row.dispensing_fee_cents,
                    rate_percent: row
                        .reimbursement_rates_bp
                        .first()
                        .map(|bp| u8::try_from(bp / 100).expect("rate at most 100 %")),
                })
            })
            .collect(),
        ParsedFile::GenericGroups(parsed) => {
            let mut groups: BTreeMap<String, GenericGroup> = BTreeMap::new();
            for row in parsed.rows {
                let group = groups
                    .entry(row.group_id.clone())
                    .or_insert_with(|| GenericGroup {
                        id: row.group_id.clone(),
                        label: row.group_label.clone(),
                        members: Vec::new(),
                    });
                group.members.push(GenericMember {
                    cis: row.cis,
                    role: role(row.generic_type),
                    rank: row.sort_order,
                });
            }
            groups
                .into_values()
                .map(StoreRecord::GenericGroup)
                .collect()
        }
        ParsedFile::Compositions(parsed) => json_records("bdpm.composition/1", &parsed.rows),
        ParsedFile::PrescriptionConditions(parsed) => {
            json_records("bdpm.prescription-condition/1", &parsed.rows)
        }
        ParsedFile::HasSmr(parsed) => json_records("bdpm.has-smr/1", &parsed.rows),
        ParsedFile::HasAsmr(parsed) => json_records("bdpm.has-asmr/1", &parsed.rows),
        ParsedFile::HasPageLinks(parsed) => json_records("bdpm.has-page-link/1", &parsed.rows),
        ParsedFile::MajorTherapeuticInterest(parsed) => json_records("bdpm.mitm/1", &parsed.rows),
        ParsedFile::Availability(parsed) => json_records("bdpm.availability/1", &parsed.rows),
        ParsedFile::ImportantInformation(parsed) => {
            json_records("bdpm.important-information/1", &parsed.rows)
        }
    }
}

fn role(generic_type: GenericType) -> GenericRole {
    match generic_type {
        GenericType::Princeps => GenericRole::Princeps,
        GenericType::Generic => GenericRole::Generic,
        GenericType::DosageComplementGeneric => GenericRole::ComplementaryPosology,
        GenericType::SubstitutableGeneric => GenericRole::Substitutable,
    }
}

fn json_records<R: Serialize>(schema: &str, rows: &[R]) -> Vec<StoreRecord> {
    rows.iter()
        .map(|row| {
            StoreRecord::Json(JsonDocument {
                schema: schema.to_owned(),
                body: serde_json::to_string(row).expect("rows serialise to JSON"),
            })
        })
        .collect()
}

/// Writes `files` into `writer`: each file's digest and size, then its
/// records.
pub fn write_files(writer: &mut ImportWriter, files: &[SourceFile]) {
    for file in files {
        writer
            .add_file(&file.name, &sha256(&file.bytes), file.bytes.len() as u64)
            .expect("file recorded");
        writer.write(convert(file)).expect("records written");
    }
}

/// Imports `files` as a snapshot of `bdpm` dated `date` (`YYYY-MM-DD`).
pub fn import(store: &RefStore, date: &str, files: &[SourceFile]) -> SnapshotInfo {
    let date: NaiveDate = date.parse().expect("date written YYYY-MM-DD");
    let mut writer = store.begin_import("bdpm", date).expect("import started");
    write_files(&mut writer, files);
    writer.commit(FULL_SET_MINIMUM).expect("snapshot committed")
}

/// Returns the data directory of a store holding the full 2026-01-28 set,
/// imported once per test binary. Each test opens its own [`RefStore`] on
/// it, because a store is not shared between threads.
pub fn shared_full_store_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = RefStore::open(dir.path()).expect("store opened");
        import(&store, "2026-01-28", &read_set("2026-01-28"));
        dir
    })
    .path()
}
