//! Opening the memory database: file location, connection settings and migration.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use crate::error::{MemoryError, Result};
use crate::migrations;

/// File name of the memory database inside the data directory.
pub const MEMORY_FILE_NAME: &str = "memory.sqlite3";

/// Settings of a [`MemoryDb`] connection.
#[derive(Debug, Clone)]
pub struct MemoryOptions {
    /// How long a write waits for another connection's lock before failing with "database is locked".
    pub busy_timeout: Duration,
    /// Raw exchanges kept per profile before the oldest are folded into summaries; at least 1.
    pub history_limit: usize,
}

impl Default for MemoryOptions {
    fn default() -> Self {
        Self {
            busy_timeout: Duration::from_secs(5),
            history_limit: 50,
        }
    }
}

/// Connection to the user-memory database, owned by the host.
///
/// The file is separate from reference data. Writes run in `BEGIN IMMEDIATE`
/// transactions in WAL mode, so several connections or processes can share the
/// file: a writer waits up to [`MemoryOptions::busy_timeout`] for the lock.
pub struct MemoryDb {
    pub(crate) conn: Connection,
    pub(crate) options: MemoryOptions,
    path: PathBuf,
}

impl MemoryDb {
    /// Opens or creates `memory.sqlite3` in `data_dir`, creating the directory
    /// if needed, and migrates the schema to the latest version.
    pub fn open(data_dir: &Path, options: MemoryOptions) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|source| MemoryError::CreateDir {
            path: data_dir.to_owned(),
            source,
        })?;
        Self::open_file(&data_dir.join(MEMORY_FILE_NAME), options)
    }

    /// Opens or creates the database at `path` and migrates it to the latest version.
    pub fn open_file(path: &Path, options: MemoryOptions) -> Result<Self> {
        if options.history_limit == 0 {
            return Err(MemoryError::invalid(
                "history_limit",
                0,
                "keep at least 1 raw exchange so follow-up questions have context",
            ));
        }

        let started = Instant::now();
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn, options.busy_timeout)?;

        let before = migrations::migrate_to(&mut conn, migrations::LATEST_VERSION)?;
        tracing::info!(
            from_version = before,
            to_version = migrations::LATEST_VERSION,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "memory database opened"
        );

        Ok(Self {
            conn,
            options,
            path: path.to_owned(),
        })
    }

    /// Path of the main database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Returns the schema version stored in the file.
    pub fn schema_version(&self) -> Result<u32> {
        migrations::schema_version(&self.conn)
    }

    /// Runs `PRAGMA integrity_check` and returns its rows ("ok" when the file is sound).
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Raw connection, for read queries that the typed API does not cover.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Applies the per-connection settings.
///
/// The busy timeout comes first because switching to WAL takes a lock.
/// `synchronous = FULL` makes a commit survive power loss, not only a process
/// crash. `secure_delete` zeroes deleted content so that an erase leaves no
/// bytes behind in freed pages.
fn configure(conn: &Connection, busy_timeout: Duration) -> Result<()> {
    conn.busy_timeout(busy_timeout)?;

    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(journal_mode = %mode, "memory database is not in WAL mode");
    }

    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}
