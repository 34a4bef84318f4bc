//! The reference store behind the SDK's `storage` service: a sink that
//! writes a refresh into a new snapshot, and a reader that serves
//! `storage.lookup` and `storage.search` from the snapshot in service.
//!
//! The store holds the medicines of the `bdpm` source and the
//! practitioners of the `annuaire` source; each source reads back only what
//! it wrote. Records cross the boundary field by field between the WIT
//! types and `mediflux_refdata`'s types.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc;

use chrono::NaiveDate;
use mediflux_host::bindings::v0_1::storage::RecordKind;
use mediflux_host::types::{self as wit, DataRecord};
use mediflux_host::{RecordSink, ReferenceReader};
use mediflux_refdata::{
    Address, BDPM_SOURCE, GenericGroup, GenericMember, GenericRole, ImportWriter, JsonDocument,
    Medicine, MinimumCounts, Practitioner, PractitionerQuery, Presentation, RefDataError, RefStore,
    SnapshotInfo, StoreRecord,
};

/// Key of the JSON document describing the snapshot in service.
pub const SNAPSHOT_KEY: &str = "mediflux.snapshot/1:current";

/// Callback receiving the progress a plugin reports: step, done, total.
pub type ProgressFn = Box<dyn Fn(&str, u64, Option<u64>) + Send + Sync>;

/// Writes the records of one refresh into a new snapshot of the store.
///
/// The import starts at the first record or file, so a refresh that writes
/// nothing, such as a sync that found every file unchanged, leaves no trace
/// in the import log.
pub struct StoreSink {
    source: String,
    data_dir: PathBuf,
    imported_at: NaiveDate,
    writer: Mutex<Option<ImportWriter>>,
    /// First failure of `add_file`, which cannot return one to the plugin.
    failure: Mutex<Option<String>>,
    progress: ProgressFn,
}

impl StoreSink {
    /// Creates a sink for a snapshot of `source`, such as `bdpm`, dated
    /// `imported_at`.
    pub fn new(
        source: &str,
        data_dir: PathBuf,
        imported_at: NaiveDate,
        progress: ProgressFn,
    ) -> StoreSink {
        StoreSink {
            source: source.to_owned(),
            data_dir,
            imported_at,
            writer: Mutex::new(None),
            failure: Mutex::new(None),
            progress,
        }
    }

    fn with_writer<T>(
        &self,
        action: impl FnOnce(&mut ImportWriter) -> Result<T, RefDataError>,
    ) -> Result<T, String> {
        let mut slot = self
            .writer
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if slot.is_none() {
            let writer = RefStore::open(&self.data_dir)
                .and_then(|store| store.begin_import(&self.source, self.imported_at))
                .map_err(|error| error.to_string())?;
            *slot = Some(writer);
        }
        let writer = slot.as_mut().expect("the writer was just created");
        action(writer).map_err(|error| error.to_string())
    }

    /// Commits the snapshot with the plausibility `minimum`, or returns
    /// `Ok(None)` when the refresh wrote nothing. On error the snapshot is
    /// recorded as failed and the previous one stays in service.
    pub fn commit(&self, minimum: MinimumCounts) -> Result<Option<SnapshotInfo>, RefDataError> {
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .take();
        let Some(writer) = writer else {
            return Ok(None);
        };
        let failure = self
            .failure
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .take();
        if let Some(reason) = failure {
            let snapshot_id = writer.snapshot_id();
            writer.abort(&reason);
            return Err(RefDataError::ImportFailed {
                snapshot_id,
                reason,
            });
        }
        writer.commit(minimum).map(Some)
    }

    /// Rolls the snapshot back, recording `reason` in the import log.
    pub fn abort(&self, reason: &str) {
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .take();
        if let Some(writer) = writer {
            writer.abort(reason);
        }
    }
}

impl RecordSink for StoreSink {
    fn write(&self, records: Vec<DataRecord>) -> Result<(), String> {
        let records = records
            .into_iter()
            .map(store_record)
            .collect::<Result<Vec<_>, String>>()?;
        self.with_writer(|writer| writer.write(records))
    }

    fn add_file(&self, name: &str, sha256: &str, bytes: u64) {
        let digest = hex::decode(sha256)
            .ok()
            .and_then(|digest| <[u8; 32]>::try_from(digest).ok());
        let result = match digest {
            Some(digest) => self.with_writer(|writer| writer.add_file(name, &digest, bytes)),
            None => Err(format!(
                "file {name}: invalid SHA-256 {sha256:?}, expected 64 hexadecimal digits"
            )),
        };
        if let Err(message) = result {
            tracing::warn!(file = name, "reference file not recorded: {message}");
            self.failure
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
                .get_or_insert(message);
        }
    }

    fn progress(&self, step: &str, done: u64, total: Option<u64>) {
        (self.progress)(step, done, total);
    }
}

/// Converts a WIT record into the store's input record.
fn store_record(record: DataRecord) -> Result<StoreRecord, String> {
    Ok(match record {
        DataRecord::Medicine(medicine) => StoreRecord::Medicine(Medicine {
            cis: medicine.cis,
            name: medicine.name,
            form: medicine.form,
            routes: medicine.routes,
            authorisation_status: medicine.authorisation_status,
            marketed: medicine.marketed,
            holders: medicine.holders,
            reinforced_monitoring: medicine.reinforced_monitoring,
        }),
        DataRecord::Presentation(presentation) => StoreRecord::Presentation(Presentation {
            cis: presentation.cis,
            cip7: presentation.cip7,
            cip13: presentation.cip13,
            label: presentation.label,
            marketed: presentation.marketed,
            price_cents: presentation.price_cents,
            public_price_cents: presentation.public_price_cents,
            dispensing_fee_cents: presentation.dispensing_fee_cents,
            rate_percent: presentation.rate_percent,
        }),
        DataRecord::GenericGroup(group) => StoreRecord::GenericGroup(GenericGroup {
            id: group.id,
            label: group.label,
            members: group
                .members
                .into_iter()
                .map(|member| GenericMember {
                    cis: member.cis,
                    role: store_role(member.role),
                    rank: member.rank,
                })
                .collect(),
        }),
        DataRecord::Json(document) => StoreRecord::Json(JsonDocument {
            schema: document.schema,
            body: document.body,
        }),
        DataRecord::Practitioner(practitioner) => StoreRecord::Practitioner(Practitioner {
            id: practitioner.id,
            family_name: practitioner.family_name,
            given_name: practitioner.given_name,
            profession: practitioner.profession,
            specialty: practitioner.specialty,
            sector: practitioner.sector,
            addresses: practitioner
                .addresses
                .into_iter()
                .map(|address| Address {
                    line: address.line,
                    postcode: address.postcode,
                    city: address.city,
                })
                .collect(),
        }),
        DataRecord::RegionalIndicator(_) => {
            return Err("the reference store keeps medicines, presentations, generic groups, practitioners and JSON documents, not regional indicators".to_owned());
        }
    })
}

fn store_role(role: wit::GenericRole) -> GenericRole {
    match role {
        wit::GenericRole::Princeps => GenericRole::Princeps,
        wit::GenericRole::Generic => GenericRole::Generic,
        wit::GenericRole::ComplementaryPosology => GenericRole::ComplementaryPosology,
        wit::GenericRole::Substitutable => GenericRole::Substitutable,
    }
}

fn wit_role(role: GenericRole) -> wit::GenericRole {
    match role {
        GenericRole::Princeps => wit::GenericRole::Princeps,
        GenericRole::Generic => wit::GenericRole::Generic,
        GenericRole::ComplementaryPosology => wit::GenericRole::ComplementaryPosology,
        GenericRole::Substitutable => wit::GenericRole::Substitutable,
    }
}

fn wit_medicine(medicine: Medicine) -> DataRecord {
    DataRecord::Medicine(wit::Medicine {
        cis: medicine.cis,
        name: medicine.name,
        form: medicine.form,
        routes: medicine.routes,
        authorisation_status: medicine.authorisation_status,
        marketed: medicine.marketed,
        holders: medicine.holders,
        reinforced_monitoring: medicine.reinforced_monitoring,
    })
}

fn wit_practitioner(practitioner: Practitioner) -> DataRecord {
    DataRecord::Practitioner(wit::Practitioner {
        id: practitioner.id,
        family_name: practitioner.family_name,
        given_name: practitioner.given_name,
        profession: practitioner.profession,
        specialty: practitioner.specialty,
        sector: practitioner.sector,
        addresses: practitioner
            .addresses
            .into_iter()
            .map(|address| wit::Address {
                line: address.line,
                postcode: address.postcode,
                city: address.city,
            })
            .collect(),
    })
}

fn wit_presentation(presentation: Presentation) -> DataRecord {
    DataRecord::Presentation(wit::Presentation {
        cis: presentation.cis,
        cip7: presentation.cip7,
        cip13: presentation.cip13,
        label: presentation.label,
        marketed: presentation.marketed,
        price_cents: presentation.price_cents,
        public_price_cents: presentation.public_price_cents,
        dispensing_fee_cents: presentation.dispensing_fee_cents,
        rate_percent: presentation.rate_percent,
    })
}

/// Returns the snapshot in service as the body of a `mediflux.snapshot/1`
/// document: `{"imported_at":"YYYY-MM-DD","files":[{"name","sha256","bytes"}]}`.
pub fn snapshot_body(snapshot: &SnapshotInfo) -> String {
    let files: Vec<serde_json::Value> = snapshot
        .files
        .iter()
        .map(|file| {
            serde_json::json!({ "name": file.name, "sha256": file.sha256, "bytes": file.bytes })
        })
        .collect();
    serde_json::json!({
        "imported_at": snapshot.imported_at.to_string(),
        "files": files,
    })
    .to_string()
}

type Job = Box<dyn FnOnce(&Result<RefStore, String>) + Send>;

/// Serves `storage.lookup` and `storage.search` from the store in a data
/// folder.
///
/// A [`RefStore`] keeps its connection and search index on one thread, so
/// the reader owns it on a thread of its own and plugin calls, which run
/// on the host's runtime threads, send it their requests.
pub struct StoreReader {
    jobs: mpsc::Sender<Job>,
}

impl StoreReader {
    /// Starts the reader thread for the store in `data_dir`, opened at the
    /// first request.
    pub fn start(data_dir: PathBuf) -> std::io::Result<StoreReader> {
        let (jobs, receiver) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("mediflux-reference".to_owned())
            .spawn(move || {
                let mut store = None;
                for job in receiver {
                    let store = store.get_or_insert_with(|| {
                        RefStore::open(&data_dir).map_err(|error| error.to_string())
                    });
                    job(store);
                }
            })?;
        Ok(StoreReader { jobs })
    }

    fn call<T: Send + 'static>(
        &self,
        action: impl FnOnce(&RefStore) -> Result<T, RefDataError> + Send + 'static,
    ) -> Result<T, String> {
        let (reply, answer) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |store| {
            let result = match store {
                Ok(store) => action(store).map_err(|error| error.to_string()),
                Err(message) => Err(message.clone()),
            };
            let _ = reply.send(result);
        });
        self.jobs
            .send(job)
            .map_err(|_| "the reference store thread has stopped".to_owned())?;
        answer
            .recv()
            .map_err(|_| "the reference store thread has stopped".to_owned())?
    }
}

impl ReferenceReader for StoreReader {
    fn lookup(&self, source: &str, kind: RecordKind, key: &str) -> Result<Vec<DataRecord>, String> {
        let key = key.to_owned();
        let source = source.to_owned();
        match kind {
            RecordKind::Json if key == SNAPSHOT_KEY => {
                return self.call(move |store| {
                    Ok(store
                        .current_snapshot(&source)?
                        .map(|snapshot| {
                            DataRecord::Json(wit::JsonDocument {
                                schema: "mediflux.snapshot/1".to_owned(),
                                body: snapshot_body(&snapshot),
                            })
                        })
                        .into_iter()
                        .collect())
                });
            }
            RecordKind::Practitioner => {
                return self.call(move |store| {
                    Ok(store
                        .practitioner(&source, &key)?
                        .map(wit_practitioner)
                        .into_iter()
                        .collect())
                });
            }
            _ => {}
        }
        if source != BDPM_SOURCE {
            return Ok(Vec::new());
        }
        match kind {
            RecordKind::Medicine => self.call(move |store| {
                Ok(store
                    .medicine(&key)?
                    .map(|details| wit_medicine(details.medicine))
                    .into_iter()
                    .collect())
            }),
            RecordKind::Presentation if key.len() == 13 => self.call(move |store| {
                Ok(store
                    .presentation_by_cip13(&key)?
                    .map(|details| wit_presentation(details.presentation))
                    .into_iter()
                    .collect())
            }),
            // NOTE: boxes are found by CIS through their medicine, so the few
            // boxes whose CIS is missing from CIS_bdpm.txt are not listed.
            RecordKind::Presentation => self.call(move |store| {
                Ok(store
                    .medicine(&key)?
                    .map(|details| details.presentations)
                    .unwrap_or_default()
                    .into_iter()
                    .map(wit_presentation)
                    .collect())
            }),
            RecordKind::GenericGroup => self.call(move |store| {
                Ok(store
                    .generics(&key)?
                    .into_iter()
                    .map(|group| {
                        DataRecord::GenericGroup(wit::GenericGroup {
                            id: group.id,
                            label: group.label,
                            members: group
                                .members
                                .into_iter()
                                .map(|member| wit::GenericMember {
                                    cis: member.cis,
                                    role: wit_role(member.role),
                                    rank: member.rank,
                                })
                                .collect(),
                        })
                    })
                    .collect())
            }),
            RecordKind::Json => {
                let Some((schema, code)) = key.rsplit_once(':') else {
                    return Err(format!(
                        "invalid JSON key {key:?}: expected schema:code, such as bdpm.composition/1:60234100"
                    ));
                };
                let (schema, code) = (schema.to_owned(), code.to_owned());
                self.call(move |store| {
                    Ok(store
                        .documents(&schema, &code)?
                        .into_iter()
                        .map(|body| {
                            DataRecord::Json(wit::JsonDocument {
                                schema: schema.clone(),
                                body,
                            })
                        })
                        .collect())
                })
            }
            RecordKind::Practitioner | RecordKind::RegionalIndicator => Ok(Vec::new()),
        }
    }

    fn search(
        &self,
        source: &str,
        kind: RecordKind,
        text: &str,
        limit: u32,
    ) -> Result<Vec<DataRecord>, String> {
        if kind == RecordKind::Practitioner {
            // The text is a JSON query, such as
            // {"professions":["10"],"specialties":["SM04"],"place":"Paris"}.
            let query =
                PractitionerQuery::from_search_text(text).map_err(|error| error.to_string())?;
            let source = source.to_owned();
            return self.call(move |store| {
                Ok(store
                    .search_practitioners(&source, &query, limit as usize)?
                    .into_iter()
                    .map(wit_practitioner)
                    .collect())
            });
        }
        if source != BDPM_SOURCE || kind != RecordKind::Medicine {
            return Ok(Vec::new());
        }
        let text = text.to_owned();
        self.call(move |store| {
            let mut records = Vec::new();
            for hit in store.search(&text, limit as usize)? {
                if let Some(details) = store.medicine(&hit.cis)? {
                    records.push(wit_medicine(details.medicine));
                }
            }
            Ok(records)
        })
    }
}
