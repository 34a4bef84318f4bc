//! SQL schema of the reference database and connection settings.
//!
//! Every data row carries the id of the snapshot it belongs to, and
//! `current_snapshot` points each source at the snapshot in service. An
//! import inserts its rows under a new snapshot id inside one write
//! transaction and moves the pointer in that same transaction, so readers see
//! either the old snapshot or the new one, never a mix.

use std::time::Duration;

use rusqlite::Connection;

use crate::error::{RefDataError, Result};

/// Schema version stored in `PRAGMA user_version`.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// How long a connection waits for another connection's write lock.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const CREATE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS snapshot (
    id              INTEGER PRIMARY KEY,
    source          TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    state           TEXT NOT NULL CHECK (state IN
                        ('building', 'current', 'replaced', 'failed', 'interrupted')),
    failure         TEXT,
    medicines       INTEGER NOT NULL DEFAULT 0,
    presentations   INTEGER NOT NULL DEFAULT 0,
    generic_groups  INTEGER NOT NULL DEFAULT 0,
    documents       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS snapshot_source ON snapshot (source, id);

CREATE TABLE IF NOT EXISTS current_snapshot (
    source       TEXT PRIMARY KEY,
    snapshot_id  INTEGER NOT NULL REFERENCES snapshot (id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS snapshot_file (
    snapshot_id  INTEGER NOT NULL,
    name         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS medicine (
    snapshot_id            INTEGER NOT NULL,
    cis                    TEXT NOT NULL,
    name                   TEXT NOT NULL,
    form                   TEXT NOT NULL,
    routes                 TEXT NOT NULL,
    authorisation_status   TEXT NOT NULL,
    marketed               INTEGER NOT NULL,
    holders                TEXT NOT NULL,
    reinforced_monitoring  INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, cis)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS presentation (
    snapshot_id           INTEGER NOT NULL,
    cip13                 TEXT NOT NULL,
    cis                   TEXT NOT NULL,
    cip7                  TEXT NOT NULL,
    label                 TEXT NOT NULL,
    marketed              INTEGER NOT NULL,
    price_cents           INTEGER,
    public_price_cents    INTEGER,
    dispensing_fee_cents  INTEGER,
    rate_percent          INTEGER,
    PRIMARY KEY (snapshot_id, cip13)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS presentation_cis ON presentation (snapshot_id, cis);

CREATE TABLE IF NOT EXISTS generic_group (
    snapshot_id  INTEGER NOT NULL,
    id           TEXT NOT NULL,
    label        TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS generic_member (
    snapshot_id  INTEGER NOT NULL,
    group_id     TEXT NOT NULL,
    cis          TEXT NOT NULL,
    role         TEXT NOT NULL,
    rank         INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, group_id, cis)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS generic_member_cis ON generic_member (snapshot_id, cis);

CREATE TABLE IF NOT EXISTS document (
    snapshot_id  INTEGER NOT NULL,
    schema       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    cis          TEXT,
    body         TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, schema, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS document_cis ON document (snapshot_id, cis, schema);
";

/// Tables whose rows belong to a snapshot, pruned when it is replaced.
pub(crate) const SNAPSHOT_TABLES: [&str; 6] = [
    "snapshot_file",
    "medicine",
    "presentation",
    "generic_group",
    "generic_member",
    "document",
];

/// Applies the connection settings shared by readers and import writers.
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL lets the store keep reading the snapshot in service while an
    // import writes the next one on another connection.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Creates the schema in a new database, or checks the version of an
/// existing one.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(RefDataError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }

    conn.execute_batch(&format!(
        "BEGIN IMMEDIATE; {CREATE_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
    ))?;
    Ok(())
}
