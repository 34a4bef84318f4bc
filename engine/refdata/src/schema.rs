//! SQL schema of the reference database and connection settings.
//!
//! Every data row carries the id of the snapshot it belongs to, and
//! `current_snapshot` points each source at the snapshot in service. An
//! import inserts its rows under a new snapshot id inside one write
//! transaction and moves the pointer in that same transaction, so readers see
//! either the old snapshot or the new one, never a mix.
//!
//! The schema grows by numbered migrations, applied in order from the
//! version stored in `PRAGMA user_version`. Version 1 creates the BDPM
//! tables, and version 2 adds the practitioners of the Annuaire Santé.

use std::time::Duration;

use rusqlite::Connection;

use crate::error::{RefDataError, Result};

/// Schema version stored in `PRAGMA user_version`.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// How long a connection waits for another connection's write lock.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Version 1: snapshots and the BDPM tables.
const CREATE_SCHEMA_V1: &str = "
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

/// Version 2: practitioners and their places of practice. `city_key` is
/// the commune folded by [`crate::place::city_key`], so that a search by
/// city ignores case, accents and a postcode written before the name.
const MIGRATE_TO_V2: &str = "
ALTER TABLE snapshot ADD COLUMN practitioners INTEGER NOT NULL DEFAULT 0;

CREATE TABLE practitioner (
    snapshot_id  INTEGER NOT NULL,
    id           TEXT NOT NULL,
    family_name  TEXT NOT NULL,
    given_name   TEXT NOT NULL,
    profession   TEXT NOT NULL,
    specialty    TEXT,
    sector       TEXT,
    PRIMARY KEY (snapshot_id, id)
) WITHOUT ROWID;
CREATE INDEX practitioner_profession ON practitioner (snapshot_id, profession, specialty);

CREATE TABLE practitioner_address (
    snapshot_id      INTEGER NOT NULL,
    practitioner_id  TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    line             TEXT NOT NULL,
    postcode         TEXT NOT NULL,
    city             TEXT NOT NULL,
    city_key         TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, practitioner_id, seq)
) WITHOUT ROWID;
CREATE INDEX practitioner_address_postcode ON practitioner_address (snapshot_id, postcode);
CREATE INDEX practitioner_address_city ON practitioner_address (snapshot_id, city_key);
";

/// Migrations in order: the version each one brings the schema to, and its
/// SQL.
const MIGRATIONS: [(u32, &str); 2] = [(1, CREATE_SCHEMA_V1), (2, MIGRATE_TO_V2)];

/// Tables whose rows belong to a snapshot, pruned when it is replaced.
pub(crate) const SNAPSHOT_TABLES: [&str; 8] = [
    "snapshot_file",
    "medicine",
    "presentation",
    "generic_group",
    "generic_member",
    "document",
    "practitioner",
    "practitioner_address",
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

/// Creates the schema in a new database, or brings an older one to
/// [`SCHEMA_VERSION`] by applying the missing migrations in one write
/// transaction. Rows already stored are kept.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let found = user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(RefDataError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }

    conn.execute_batch("BEGIN IMMEDIATE")?;
    let applied = apply_migrations(conn);
    match applied {
        Ok(from) => {
            conn.execute_batch("COMMIT")?;
            if let Some(from) = from {
                tracing::info!(
                    from,
                    to = SCHEMA_VERSION,
                    "reference database schema migrated"
                );
            }
            Ok(())
        }
        Err(error) => {
            if let Err(rollback) = conn.execute_batch("ROLLBACK") {
                tracing::warn!(%rollback, "failed to roll back a reference schema migration");
            }
            Err(error)
        }
    }
}

/// Applies the migrations after the version read inside the write
/// transaction, because another process may have migrated the database
/// between the first read and the lock. Returns the version migrated from,
/// or `None` when there was nothing left to do.
fn apply_migrations(conn: &Connection) -> Result<Option<u32>> {
    let found = user_version(conn)?;
    if found >= SCHEMA_VERSION {
        return Ok(None);
    }
    for (version, sql) in MIGRATIONS {
        if version > found {
            conn.execute_batch(sql)?;
        }
    }
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(Some(found))
}

fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_1_database_gains_practitioners() {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.execute_batch(CREATE_SCHEMA_V1)
            .expect("version 1 schema");
        conn.pragma_update(None, "user_version", 1)
            .expect("set version 1");
        conn.execute(
            "INSERT INTO snapshot (source, imported_at, started_at, state, medicines)
             VALUES ('bdpm', '2026-01-28', '2026-01-28T10:00:00Z', 'current', 15799)",
            [],
        )
        .expect("a version 1 snapshot");

        migrate(&conn).expect("migration succeeds");

        assert_eq!(user_version(&conn).expect("version"), SCHEMA_VERSION);
        let (medicines, practitioners): (i64, i64) = conn
            .query_row(
                "SELECT medicines, practitioners FROM snapshot WHERE source = 'bdpm'",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("the snapshot survives the migration");
        assert_eq!(medicines, 15799);
        assert_eq!(practitioners, 0);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master
                 WHERE type = 'table' AND name IN ('practitioner', 'practitioner_address')",
                [],
                |row| row.get(0),
            )
            .expect("list tables");
        assert_eq!(tables, 2);
    }

    #[test]
    fn migration_runs_once() {
        let conn = Connection::open_in_memory().expect("in-memory database");

        migrate(&conn).expect("first migration");
        migrate(&conn).expect("second open leaves the schema alone");

        assert_eq!(user_version(&conn).expect("version"), SCHEMA_VERSION);
    }

    #[test]
    fn newer_schema_is_rejected() {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("set a future version");

        let error = migrate(&conn).expect_err("a newer schema must be rejected");

        assert!(
            matches!(error, RefDataError::SchemaTooNew { found, .. } if found == SCHEMA_VERSION + 1),
            "{error}"
        );
    }
}
