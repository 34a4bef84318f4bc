//! Destinations for data a plugin hands to the host: reference records
//! written during a refresh, and rule values read by intent plugins.

use crate::bindings::v0_1::rules::RuleEntry;
use crate::bindings::v0_1::storage::RecordKind;
use crate::bindings::v0_1::types::{DataRecord, Date};

/// Receives the records a data source writes during a refresh.
///
/// The host calls it from the plugin's `storage.write`; an error is returned
/// to the plugin as text, so it should say what failed without health data.
pub trait RecordSink: Send + Sync {
    /// Stores one batch of records.
    fn write(&self, records: Vec<DataRecord>) -> Result<(), String>;

    /// Records that a source file went into the snapshot.
    fn add_file(&self, _name: &str, _sha256: &str, _bytes: u64) {}

    /// Reports progress of the refresh's current step.
    fn progress(&self, _step: &str, _done: u64, _total: Option<u64>) {}
}

/// Reads the reference store for the `storage.lookup` and `storage.search`
/// host services. `source` is the id of the calling data source, which only
/// reads what it wrote.
pub trait ReferenceReader: Send + Sync {
    /// Returns the records of `kind` with key `key`.
    fn lookup(&self, source: &str, kind: RecordKind, key: &str) -> Result<Vec<DataRecord>, String>;

    /// Returns up to `limit` records of `kind` best matching `text`.
    fn search(
        &self,
        source: &str,
        kind: RecordKind,
        text: &str,
        limit: u32,
    ) -> Result<Vec<DataRecord>, String>;
}

/// Answers the `rules.value-at` host service.
pub trait RuleProvider: Send + Sync {
    /// Returns the value of rule `name` in force on `date`, or an English
    /// message saying why there is none.
    fn value_at(&self, name: &str, date: Date) -> Result<RuleEntry, String>;
}

/// A sink that keeps records in memory, up to a maximum count.
///
/// Meant for tests and small refreshes; large data sets go to the reference
/// store instead.
pub struct MemorySink {
    records: std::sync::Mutex<Vec<DataRecord>>,
    files: std::sync::Mutex<Vec<(String, String, u64)>>,
    max_records: usize,
}

impl MemorySink {
    /// Creates a sink that rejects writes beyond `max_records` records.
    pub fn new(max_records: usize) -> Self {
        Self {
            records: std::sync::Mutex::new(Vec::new()),
            files: std::sync::Mutex::new(Vec::new()),
            max_records,
        }
    }

    /// Returns the records written so far.
    pub fn records(&self) -> Vec<DataRecord> {
        self.records
            .lock()
            .map(|records| records.clone())
            .unwrap_or_default()
    }

    /// Returns the files declared so far as name, SHA-256 and size.
    pub fn files(&self) -> Vec<(String, String, u64)> {
        self.files
            .lock()
            .map(|files| files.clone())
            .unwrap_or_default()
    }
}

impl RecordSink for MemorySink {
    fn write(&self, batch: Vec<DataRecord>) -> Result<(), String> {
        let mut records = self
            .records
            .lock()
            .map_err(|_| "record sink is poisoned".to_owned())?;
        if records.len() + batch.len() > self.max_records {
            return Err(format!(
                "the sink holds at most {} records",
                self.max_records
            ));
        }
        records.extend(batch);
        Ok(())
    }

    fn add_file(&self, name: &str, sha256: &str, bytes: u64) {
        if let Ok(mut files) = self.files.lock() {
            files.push((name.to_owned(), sha256.to_owned(), bytes));
        }
    }
}
