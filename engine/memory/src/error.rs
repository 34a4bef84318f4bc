//! Error type of the memory library.
//!
//! Messages are lowercase, name the rejected value and state the fix. They
//! quote what the user typed (a label, a postcode), which can be health data,
//! so callers show them to the user and never send them to a log.

use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T, E = MemoryError> = std::result::Result<T, E>;

/// Error returned by every fallible operation of the memory library.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    /// The data directory could not be created.
    #[error(
        "failed to create the data directory {path}: {source}; check that the parent exists and is writable"
    )]
    CreateDir {
        /// Directory that could not be created.
        path: PathBuf,
        /// Underlying I/O error.
        source: std::io::Error,
    },

    /// SQLite returned an error.
    #[error("memory database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// The database was written by a newer build of Mediflux.
    #[error(
        "memory database schema version {found} is newer than this build supports (max {supported}); update Mediflux"
    )]
    SchemaTooNew {
        /// Version stored in `PRAGMA user_version`.
        found: u32,
        /// Latest version this build supports.
        supported: u32,
    },

    /// A migration target outside the known versions was requested.
    #[error("unknown schema version {requested}; choose a version from 0 to {latest}")]
    UnknownSchemaVersion {
        /// Requested version.
        requested: u32,
        /// Latest version this build supports.
        latest: u32,
    },

    /// A field value failed validation.
    #[error("invalid {field} {value:?}: {fix}")]
    InvalidField {
        /// Name of the field, as used in [`crate::ProfileUpdate`] or the API.
        field: &'static str,
        /// Rejected value, as the user gave it.
        value: String,
        /// Explanation of the problem and of the fix.
        fix: String,
    },

    /// No profile carries the requested label.
    #[error(
        "profile {label:?} not found; known profiles: {known}; create it first or pick one of these"
    )]
    ProfileNotFound {
        /// Requested label.
        label: String,
        /// Comma-separated list of existing labels, or "none".
        known: String,
    },

    /// No profile carries the requested id.
    #[error("profile id {0} not found; list the profiles to get a valid id")]
    ProfileIdNotFound(i64),

    /// No profile is marked as the default one.
    #[error("no default profile; create a profile first")]
    NoDefaultProfile,

    /// Another profile already carries the label.
    #[error("profile label {0:?} is already taken; choose another label")]
    LabelTaken(String),

    /// A field name in a projection request is not a known profile field.
    #[error("unknown profile field {field:?}; valid fields: {valid}")]
    UnknownField {
        /// Rejected field name.
        field: String,
        /// Comma-separated list of valid field names.
        valid: String,
    },

    /// Data stored in a JSON column could not be read back.
    #[error(
        "stored {column} is not valid JSON for this build: {source}; export the profile and report the problem"
    )]
    CorruptJson {
        /// Column that contains the bad value.
        column: &'static str,
        /// Parse error.
        source: serde_json::Error,
    },

    /// The erase deleted the rows but old pages remain in the write-ahead log.
    #[error(
        "the data was deleted but the write-ahead log still holds old pages because another connection is reading; close other Mediflux processes and call scrub again"
    )]
    ScrubIncomplete,
}

impl MemoryError {
    /// Builds an [`MemoryError::InvalidField`] from displayable parts.
    pub(crate) fn invalid(
        field: &'static str,
        value: impl ToString,
        fix: impl Into<String>,
    ) -> Self {
        Self::InvalidField {
            field,
            value: value.to_string(),
            fix: fix.into(),
        }
    }
}
