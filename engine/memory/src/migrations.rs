//! Schema versions of the memory database and the forward migrations between them.
//!
//! The version lives in `PRAGMA user_version`: 0 is an empty file, and each
//! entry of [`MIGRATIONS`] moves the schema one version forward inside one
//! transaction. There are no down migrations: a build refuses a database
//! whose version is newer than [`LATEST_VERSION`].

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{MemoryError, Result};
use crate::profile::departement_from_postcode;

/// One forward step of the schema.
pub struct Migration {
    /// Version the schema has after this step.
    pub version: u32,
    /// Summary of the change, for logs and docs.
    pub description: &'static str,
    apply: fn(&Transaction<'_>) -> rusqlite::Result<()>,
}

/// All migrations, in order; `MIGRATIONS[i].version == i + 1`.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "profiles and raw conversation exchanges",
        apply: v1_profiles_and_exchanges,
    },
    Migration {
        version: 2,
        description: "ledger of franchises and participations forfaitaires",
        apply: v2_ledger,
    },
    Migration {
        version: 3,
        description: "conversation summaries and scanned-document metadata",
        apply: v3_summaries_and_documents,
    },
    Migration {
        version: 4,
        description: "pregnancy dates, département and preferences on profiles",
        apply: v4_pregnancy_departement_preferences,
    },
    Migration {
        version: 5,
        description: "at most one default profile, enforced by a unique index",
        apply: v5_single_default,
    },
];

/// Latest schema version this build writes.
pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

/// Reads `PRAGMA user_version`.
pub fn schema_version(conn: &Connection) -> Result<u32> {
    let version: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    Ok(version)
}

/// Migrates the database forward to `target` and returns the version it had before.
///
/// Each step runs in its own `BEGIN IMMEDIATE` transaction that re-reads the
/// version, so two processes opening the same old file apply each step once.
/// Tests use a `target` below [`LATEST_VERSION`] to build old databases.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32> {
    if target > LATEST_VERSION {
        return Err(MemoryError::UnknownSchemaVersion {
            requested: target,
            latest: LATEST_VERSION,
        });
    }

    let initial = schema_version(conn)?;
    if initial > LATEST_VERSION {
        return Err(MemoryError::SchemaTooNew {
            found: initial,
            supported: LATEST_VERSION,
        });
    }

    for migration in MIGRATIONS.iter().filter(|m| m.version <= target) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = schema_version(&tx)?;
        if current >= migration.version {
            continue;
        }

        (migration.apply)(&tx)?;
        tx.pragma_update(None, "user_version", migration.version)?;
        tx.commit()?;
        tracing::info!(
            version = migration.version,
            step = migration.description,
            "memory schema migrated"
        );
    }

    Ok(initial)
}

fn v1_profiles_and_exchanges(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE profiles (
             id INTEGER PRIMARY KEY,
             label TEXT NOT NULL UNIQUE COLLATE NOCASE,
             is_default INTEGER NOT NULL DEFAULT 0,
             birth_date TEXT,
             age_years INTEGER,
             age_recorded_on TEXT,
             mutuelle TEXT,
             ald TEXT NOT NULL DEFAULT '[]',
             public_cover TEXT,
             medecin_traitant INTEGER,
             postcode TEXT,
             city TEXT,
             created_at TEXT NOT NULL,
             updated_at TEXT NOT NULL
         );
         CREATE TABLE exchanges (
             id INTEGER PRIMARY KEY,
             profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
             asked_at TEXT NOT NULL,
             question TEXT NOT NULL,
             intent TEXT NOT NULL,
             slots TEXT NOT NULL DEFAULT '{}',
             answer_summary TEXT NOT NULL
         );
         CREATE INDEX exchanges_by_profile ON exchanges(profile_id, id);",
    )
}

fn v2_ledger(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE ledger_entries (
             id INTEGER PRIMARY KEY,
             profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
             charged_on TEXT NOT NULL,
             kind TEXT NOT NULL CHECK (kind IN (
                 'franchise_medicine', 'franchise_paramedical',
                 'franchise_transport', 'participation_forfaitaire')),
             amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
             label TEXT,
             recorded_at TEXT NOT NULL
         );
         CREATE INDEX ledger_by_profile_date ON ledger_entries(profile_id, charged_on);",
    )
}

fn v3_summaries_and_documents(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE exchange_summaries (
             profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
             intent TEXT NOT NULL,
             exchange_count INTEGER NOT NULL,
             first_asked_at TEXT NOT NULL,
             last_asked_at TEXT NOT NULL,
             last_slots TEXT NOT NULL,
             last_answer_summary TEXT NOT NULL,
             PRIMARY KEY (profile_id, intent)
         );
         CREATE TABLE documents (
             id INTEGER PRIMARY KEY,
             profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
             kind TEXT NOT NULL,
             title TEXT NOT NULL,
             file_name TEXT,
             content_sha256 TEXT,
             issued_on TEXT,
             metadata TEXT NOT NULL DEFAULT '{}',
             added_at TEXT NOT NULL
         );
         CREATE INDEX documents_by_profile ON documents(profile_id, id);",
    )
}

/// Adds the v4 profile columns and fills `departement` from the stored postcode.
fn v4_pregnancy_departement_preferences(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE profiles ADD COLUMN departement TEXT;
         ALTER TABLE profiles ADD COLUMN pregnancy_start TEXT;
         ALTER TABLE profiles ADD COLUMN pregnancy_expected_delivery TEXT;
         ALTER TABLE profiles ADD COLUMN pregnancy_delivery TEXT;
         ALTER TABLE profiles ADD COLUMN preferences TEXT NOT NULL DEFAULT '{}';",
    )?;

    let mut select = tx.prepare("SELECT id, postcode FROM profiles WHERE postcode IS NOT NULL")?;
    let rows = select
        .query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut update = tx.prepare("UPDATE profiles SET departement = ?1 WHERE id = ?2")?;
    for (id, postcode) in rows {
        if let Some(departement) = departement_from_postcode(&postcode) {
            update.execute((departement, id))?;
        }
    }
    Ok(())
}

/// Keeps the lowest-id default when several exist, makes the oldest profile
/// the default when none is, then adds the unique index.
fn v5_single_default(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "UPDATE profiles SET is_default = 0
             WHERE is_default = 1
               AND id > (SELECT MIN(id) FROM profiles WHERE is_default = 1);
         UPDATE profiles SET is_default = 1
             WHERE id = (SELECT MIN(id) FROM profiles)
               AND NOT EXISTS (SELECT 1 FROM profiles WHERE is_default = 1);
         CREATE UNIQUE INDEX profiles_single_default ON profiles(is_default) WHERE is_default = 1;",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_positions() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                migration.version as usize,
                index + 1,
                "{}",
                migration.description
            );
        }
    }

    #[test]
    fn migrate_rejects_unknown_target() {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        let result = migrate_to(&mut conn, LATEST_VERSION + 1);
        assert!(matches!(
            result,
            Err(MemoryError::UnknownSchemaVersion { .. })
        ));
    }

    #[test]
    fn migrate_rejects_newer_database() {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        conn.pragma_update(None, "user_version", LATEST_VERSION + 3)
            .expect("set version");
        let result = migrate_to(&mut conn, LATEST_VERSION);
        assert!(
            matches!(result, Err(MemoryError::SchemaTooNew { found, .. }) if found == LATEST_VERSION + 3)
        );
    }
}
