//! Error type of the reference-data store.
//!
//! Messages are lowercase, name the rejected value and state the fix.

use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T, E = RefDataError> = std::result::Result<T, E>;

/// Error returned by every fallible operation of the reference store.
#[derive(Debug, thiserror::Error)]
pub enum RefDataError {
    /// The data directory could not be created.
    #[error(
        "failed to create the reference data directory {path}: {source}; check that the parent exists and is writable"
    )]
    CreateDir {
        /// Directory that could not be created.
        path: PathBuf,
        /// Underlying I/O error.
        source: std::io::Error,
    },

    /// SQLite returned an error.
    #[error("reference database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// The database was written by a newer build of Mediflux.
    #[error(
        "reference database schema version {found} is newer than this build supports (max {supported}); update Mediflux or delete the reference file and import again"
    )]
    SchemaTooNew {
        /// Version stored in `PRAGMA user_version`.
        found: u32,
        /// Latest version this build supports.
        supported: u32,
    },

    /// Another connection holds the write lock, typically a concurrent import.
    #[error(
        "another import is writing to the reference database {path}; wait for it to finish and retry"
    )]
    ImportInProgress {
        /// Reference database file.
        path: PathBuf,
    },

    /// An empty or malformed source id was given.
    #[error(
        "invalid source id {source_id:?}: use lowercase ASCII letters, digits and '-', such as \"bdpm\""
    )]
    InvalidSource {
        /// Rejected source id.
        source_id: String,
    },

    /// A record failed validation during an import.
    #[error("invalid {kind} record {key:?} (record {index} of the import): {problem}")]
    InvalidRecord {
        /// Record kind, such as `presentation`.
        kind: &'static str,
        /// Key of the record (CIS, CIP13, group id or schema).
        key: String,
        /// 0-based position of the record among all records written.
        index: u64,
        /// Problem found and the value the source should send instead.
        problem: String,
    },

    /// Two records of the same import share a key.
    #[error(
        "duplicate {kind} {key:?} in the import (record {index}); the source must send each key once"
    )]
    DuplicateRecord {
        /// Record kind, such as `medicine`.
        kind: &'static str,
        /// Duplicated key.
        key: String,
        /// 0-based position of the second occurrence.
        index: u64,
    },

    /// Two files of the same import share a name.
    #[error("duplicate file {name:?} in the import; add each file once")]
    DuplicateFile {
        /// Duplicated file name.
        name: String,
    },

    /// The snapshot has fewer rows than the caller's plausibility threshold.
    #[error(
        "snapshot rejected: {found} {kind} imported, fewer than the minimum of {minimum}; the download is probably truncated, so the previous snapshot stays in service"
    )]
    TooFewRows {
        /// Row kind, such as `medicines`.
        kind: &'static str,
        /// Rows written.
        found: u64,
        /// Minimum the caller required.
        minimum: u64,
    },

    /// The import writer was used after an earlier error ended its import.
    #[error("import {snapshot_id} already failed: {reason}; start a new import")]
    ImportFailed {
        /// Snapshot id of the failed import.
        snapshot_id: i64,
        /// Reason of the failure.
        reason: String,
    },

    /// A practitioner search names a place that cannot exist, such as
    /// « Lyon 12e ».
    #[error("invalid place {value:?}: {problem}")]
    InvalidPlace {
        /// Place as given.
        value: String,
        /// Problem found and the form expected instead.
        problem: String,
    },

    /// The text of a practitioner search is not a valid query.
    #[error("invalid practitioner search {text:?}: {problem}")]
    InvalidQuery {
        /// Search text as given.
        text: String,
        /// Problem found and the form expected instead.
        problem: String,
    },

    /// A lookup key does not have the form of a code.
    #[error("invalid {kind} code {value:?}: expected {expected}")]
    InvalidCode {
        /// Code kind, such as `CIP13`.
        kind: &'static str,
        /// Rejected value.
        value: String,
        /// Accepted form.
        expected: &'static str,
    },
}
