//! Scanned-document metadata and the GDPR rights: export and erasure.
//!
//! [`MemoryDb::export`] gathers everything held about one person.
//! [`MemoryDb::erase`] deletes it and then scrubs the files. With
//! `secure_delete` on, freed cells are zeroed. A TRUNCATE checkpoint empties the
//! write-ahead log, and VACUUM rebuilds the main file so no freed page survives.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Row, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::MemoryDb;
use crate::error::{MemoryError, Result};
use crate::history::{Exchange, ExchangeSummary, all_exchanges, all_summaries};
use crate::ledger::{LedgerEntry, all_entries};
use crate::migrations;
use crate::profile::Profile;
use crate::profile_store::load_profile;

/// Version of the [`PersonExport`] layout, raised when a field changes meaning.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// Metadata of a scanned document to record (the file itself stays outside the database).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDocument {
    /// Kind of document ("ordonnance", "decompte", "devis").
    pub kind: String,
    /// Title shown to the user.
    pub title: String,
    /// Name of the scanned file.
    #[serde(default)]
    pub file_name: Option<String>,
    /// SHA-256 of the file content, in hex.
    #[serde(default)]
    pub content_sha256: Option<String>,
    /// Date printed on the document.
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// Extracted fields, as a JSON object.
    #[serde(default = "empty_object")]
    pub metadata: Value,
}

fn empty_object() -> Value {
    Value::Object(serde_json::Map::new())
}

/// Stored document metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Document id.
    pub id: i64,
    /// Profile the document belongs to.
    pub profile_id: i64,
    /// Kind of document.
    pub kind: String,
    /// Title shown to the user.
    pub title: String,
    /// Name of the scanned file.
    pub file_name: Option<String>,
    /// SHA-256 of the file content, in hex.
    pub content_sha256: Option<String>,
    /// Date printed on the document.
    pub issued_on: Option<NaiveDate>,
    /// Extracted fields.
    pub metadata: Value,
    /// When it was recorded (UTC).
    pub added_at: DateTime<Utc>,
}

/// Everything held about one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonExport {
    /// Layout version of this export, [`EXPORT_FORMAT_VERSION`].
    pub format_version: u32,
    /// Schema version of the database it came from.
    pub schema_version: u32,
    /// When the export was made (UTC).
    pub exported_at: DateTime<Utc>,
    /// The profile.
    pub profile: Profile,
    /// Every ledger entry, in date order.
    pub ledger: Vec<LedgerEntry>,
    /// Raw conversation exchanges still kept, oldest first.
    pub exchanges: Vec<Exchange>,
    /// Summaries of compressed exchanges.
    pub exchange_summaries: Vec<ExchangeSummary>,
    /// Scanned-document metadata.
    pub documents: Vec<Document>,
}

/// Rows deleted for one person, per table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeletedRows {
    /// Ledger entries.
    pub ledger_entries: usize,
    /// Raw exchanges.
    pub exchanges: usize,
    /// Summary rows.
    pub exchange_summaries: usize,
    /// Document rows.
    pub documents: usize,
    /// Profile rows (1).
    pub profiles: usize,
}

impl DeletedRows {
    /// Total rows deleted.
    pub fn total(&self) -> usize {
        self.ledger_entries
            + self.exchanges
            + self.exchange_summaries
            + self.documents
            + self.profiles
    }
}

const DOCUMENT_COLUMNS: &str =
    "id, profile_id, kind, title, file_name, content_sha256, issued_on, metadata, added_at";

fn read_document(row: &Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        kind: row.get(2)?,
        title: row.get(3)?,
        file_name: row.get(4)?,
        content_sha256: row.get(5)?,
        issued_on: row.get(6)?,
        metadata: row.get(7)?,
        added_at: row.get(8)?,
    })
}

fn all_documents(conn: &rusqlite::Connection, profile_id: i64) -> Result<Vec<Document>> {
    let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE profile_id = ?1 ORDER BY id");
    let mut statement = conn.prepare(&sql)?;
    let documents = statement
        .query_map([profile_id], read_document)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(documents)
}

fn validate_document(document: &NewDocument) -> Result<()> {
    if document.kind.trim().is_empty() || document.kind.chars().count() > 50 {
        return Err(MemoryError::invalid(
            "kind",
            &document.kind,
            "give a document kind of 1 to 50 characters",
        ));
    }
    if document.title.trim().is_empty() || document.title.chars().count() > 200 {
        return Err(MemoryError::invalid(
            "title",
            &document.title,
            "give a title of 1 to 200 characters",
        ));
    }
    if let Some(hash) = &document.content_sha256
        && (hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(MemoryError::invalid(
            "content_sha256",
            hash,
            "give the SHA-256 as 64 hex digits or leave it out",
        ));
    }
    if !document.metadata.is_object() {
        return Err(MemoryError::invalid(
            "metadata",
            &document.metadata,
            "give the metadata as a JSON object, such as {}",
        ));
    }
    Ok(())
}

/// Deletes every row about profile `id` inside `tx` and, when it was the
/// default, makes the oldest remaining profile the default.
pub(crate) fn delete_person_rows(tx: &Transaction<'_>, id: i64) -> Result<DeletedRows> {
    let profile = load_profile(tx, id)?;

    let deleted = DeletedRows {
        ledger_entries: tx.execute("DELETE FROM ledger_entries WHERE profile_id = ?1", [id])?,
        exchanges: tx.execute("DELETE FROM exchanges WHERE profile_id = ?1", [id])?,
        exchange_summaries: tx
            .execute("DELETE FROM exchange_summaries WHERE profile_id = ?1", [id])?,
        documents: tx.execute("DELETE FROM documents WHERE profile_id = ?1", [id])?,
        profiles: tx.execute("DELETE FROM profiles WHERE id = ?1", [id])?,
    };

    if profile.is_default {
        tx.execute(
            "UPDATE profiles SET is_default = 1 WHERE id = (SELECT MIN(id) FROM profiles)",
            [],
        )?;
    }
    Ok(deleted)
}

impl MemoryDb {
    /// Records the metadata of a scanned document for `profile_id` and returns it.
    pub fn add_document(&mut self, profile_id: i64, document: NewDocument) -> Result<Document> {
        validate_document(&document)?;

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        load_profile(&tx, profile_id)?;
        tx.execute(
            "INSERT INTO documents (profile_id, kind, title, file_name, content_sha256, issued_on, metadata, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                profile_id,
                document.kind.trim(),
                document.title.trim(),
                document.file_name,
                document.content_sha256.map(|hash| hash.to_ascii_lowercase()),
                document.issued_on,
                document.metadata,
                Utc::now(),
            ],
        )?;
        let id = tx.last_insert_rowid();
        let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?1");
        let stored = tx.query_row(&sql, [id], read_document)?;
        tx.commit()?;

        tracing::debug!(profile_id, document_id = id, "document recorded");
        Ok(stored)
    }

    /// Returns the document metadata of `profile_id`, oldest first.
    pub fn documents(&self, profile_id: i64) -> Result<Vec<Document>> {
        all_documents(&self.conn, profile_id)
    }

    /// Returns everything held about profile `id`, read in one transaction so
    /// the parts are consistent with each other.
    pub fn export(&self, id: i64) -> Result<PersonExport> {
        let tx = self.conn.unchecked_transaction()?;

        let export = PersonExport {
            format_version: EXPORT_FORMAT_VERSION,
            schema_version: migrations::schema_version(&tx)?,
            exported_at: Utc::now(),
            profile: load_profile(&tx, id)?,
            ledger: all_entries(&tx, id)?,
            exchanges: all_exchanges(&tx, id)?,
            exchange_summaries: all_summaries(&tx, id)?,
            documents: all_documents(&tx, id)?,
        };
        tx.commit()?;

        tracing::info!(
            profile_id = id,
            ledger_entries = export.ledger.len(),
            exchanges = export.exchanges.len(),
            documents = export.documents.len(),
            "profile exported"
        );
        Ok(export)
    }

    /// Returns [`MemoryDb::export`] as a JSON value.
    pub fn export_json(&self, id: i64) -> Result<Value> {
        let export = self.export(id)?;
        serde_json::to_value(&export).map_err(|source| MemoryError::CorruptJson {
            column: "export",
            source,
        })
    }

    /// Deletes everything held about profile `id` and scrubs the database files.
    ///
    /// The rows are gone once this returns, even on [`MemoryError::ScrubIncomplete`]:
    /// that error means another connection held a read snapshot, so old pages
    /// may still sit in the write-ahead log until [`MemoryDb::scrub`] succeeds.
    pub fn erase(&mut self, id: i64) -> Result<DeletedRows> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let deleted = delete_person_rows(&tx, id)?;
        tx.commit()?;
        tracing::info!(profile_id = id, rows = deleted.total(), "profile erased");

        self.scrub()?;
        Ok(deleted)
    }

    /// Removes stale copies of deleted data from the files: checkpoints the
    /// write-ahead log and truncates it, rebuilds the main file with VACUUM,
    /// then checkpoints again because VACUUM itself writes through the log.
    pub fn scrub(&mut self) -> Result<()> {
        let started = std::time::Instant::now();

        checkpoint_truncate(&self.conn)?;
        self.conn.execute_batch("VACUUM")?;
        checkpoint_truncate(&self.conn)?;

        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "memory database scrubbed"
        );
        Ok(())
    }
}

/// Runs `PRAGMA wal_checkpoint(TRUNCATE)` and fails unless every frame was
/// copied back and the log emptied.
fn checkpoint_truncate(conn: &rusqlite::Connection) -> Result<()> {
    let (busy, log_frames, checkpointed): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    if busy != 0 || log_frames != checkpointed {
        tracing::warn!(
            busy,
            log_frames,
            checkpointed,
            "write-ahead log checkpoint incomplete"
        );
        return Err(MemoryError::ScrubIncomplete);
    }
    Ok(())
}
