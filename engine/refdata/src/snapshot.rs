//! Snapshot metadata: state, row counts and source files of each import.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::Result;

/// State of a snapshot in the import log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SnapshotState {
    /// An import is writing it, or its process died and no import or open
    /// has run since.
    Building,
    /// In service for its source.
    Current,
    /// Replaced by a newer snapshot; its rows are pruned.
    Replaced,
    /// Rolled back after an error, an abort or a rejected commit.
    Failed,
    /// Left unfinished by a process that stopped before commit.
    Interrupted,
}

impl SnapshotState {
    fn from_name(name: &str) -> SnapshotState {
        match name {
            "current" => SnapshotState::Current,
            "replaced" => SnapshotState::Replaced,
            "failed" => SnapshotState::Failed,
            "interrupted" => SnapshotState::Interrupted,
            // The CHECK constraint admits only these five names.
            _ => SnapshotState::Building,
        }
    }
}

/// Row counts of a snapshot, by record kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotCounts {
    /// Medicines.
    pub medicines: u64,
    /// Presentations.
    pub presentations: u64,
    /// Generic groups.
    pub generic_groups: u64,
    /// JSON documents of every schema.
    pub documents: u64,
    /// Practitioners.
    pub practitioners: u64,
}

/// A source file of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotFile {
    /// File name, such as `CIS_bdpm.txt`.
    pub name: String,
    /// SHA-256 digest, lowercase hexadecimal.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// One import of a source, successful or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// Snapshot id, increasing with each import.
    pub id: i64,
    /// Source id, such as `bdpm`.
    pub source: String,
    /// Date the source files were downloaded, as given to the import.
    pub imported_at: NaiveDate,
    /// UTC time the import started, RFC 3339.
    pub started_at: String,
    /// UTC time the import was committed or failed, RFC 3339.
    pub finished_at: Option<String>,
    /// State in the import log.
    pub state: SnapshotState,
    /// Reason of the failure, for `failed` and `interrupted` snapshots.
    pub failure: Option<String>,
    /// Row counts, zero unless the snapshot was committed.
    pub counts: SnapshotCounts,
    /// Source files, in name order; empty once the snapshot is pruned.
    pub files: Vec<SnapshotFile>,
}

const SNAPSHOT_COLUMNS: &str = "id, source, imported_at, started_at, finished_at, state, failure,
     medicines, presentations, generic_groups, documents, practitioners";

/// Reads snapshot `id` with its files.
pub(crate) fn read_snapshot(conn: &Connection, id: i64) -> Result<SnapshotInfo> {
    let mut info = conn.query_row(
        &format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshot WHERE id = ?1"),
        [id],
        snapshot_from_row,
    )?;
    info.files = read_files(conn, id)?;
    Ok(info)
}

/// Reads the snapshot in service for `source`, if any.
pub(crate) fn read_current(conn: &Connection, source: &str) -> Result<Option<SnapshotInfo>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT snapshot_id FROM current_snapshot WHERE source = ?1",
            [source],
            |row| row.get(0),
        )
        .optional()?;
    id.map(|id| read_snapshot(conn, id)).transpose()
}

/// Reads the latest `limit` imports of `source`, newest first.
pub(crate) fn read_history(
    conn: &Connection,
    source: &str,
    limit: usize,
) -> Result<Vec<SnapshotInfo>> {
    let mut statement = conn.prepare(&format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM snapshot WHERE source = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = statement.query_map(rusqlite::params![source, limit as i64], snapshot_from_row)?;
    let mut history = Vec::new();
    for row in rows {
        let mut info = row?;
        info.files = read_files(conn, info.id)?;
        history.push(info);
    }
    Ok(history)
}

fn read_files(conn: &Connection, id: i64) -> Result<Vec<SnapshotFile>> {
    let mut statement = conn.prepare_cached(
        "SELECT name, sha256, bytes FROM snapshot_file WHERE snapshot_id = ?1 ORDER BY name",
    )?;
    let files = statement
        .query_map([id], |row| {
            Ok(SnapshotFile {
                name: row.get(0)?,
                sha256: row.get(1)?,
                bytes: row.get::<_, i64>(2)? as u64,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(files)
}

fn snapshot_from_row(row: &Row<'_>) -> rusqlite::Result<SnapshotInfo> {
    let imported_at: String = row.get(2)?;
    let imported_at = imported_at.parse::<NaiveDate>().map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(error))
    })?;
    let state: String = row.get(5)?;
    Ok(SnapshotInfo {
        id: row.get(0)?,
        source: row.get(1)?,
        imported_at,
        started_at: row.get(3)?,
        finished_at: row.get(4)?,
        state: SnapshotState::from_name(&state),
        failure: row.get(6)?,
        counts: SnapshotCounts {
            medicines: row.get::<_, i64>(7)? as u64,
            presentations: row.get::<_, i64>(8)? as u64,
            generic_groups: row.get::<_, i64>(9)? as u64,
            documents: row.get::<_, i64>(10)? as u64,
            practitioners: row.get::<_, i64>(11)? as u64,
        },
        files: Vec::new(),
    })
}
