//! Import of one snapshot: records written aside under a new snapshot id,
//! then switched into service in one transaction.
//!
//! Sequence of an import, on a connection of its own:
//! 1. a short transaction marks any `building` snapshot left by a process
//!    that died as `interrupted`, and records the new snapshot as
//!    `building`;
//! 2. one write transaction (`BEGIN IMMEDIATE`) inserts every record under
//!    the new snapshot id. Because of WAL mode, readers on other
//!    connections keep seeing the snapshot in service;
//! 3. [`ImportWriter::commit`] checks the row counts, marks the new snapshot
//!    `current`, the previous one `replaced`, moves the `current_snapshot`
//!    pointer and commits;
//! 4. a last transaction deletes the rows of the replaced snapshots.
//!
//! An error, [`ImportWriter::abort`] or dropping the writer rolls step 2
//! back and records the snapshot as `failed` with the reason. A killed
//! process leaves only the `building` line of step 1, which the next
//! [`crate::RefStore::open`] or import marks `interrupted`.

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use crate::error::{RefDataError, Result};
use crate::place::city_key;
use crate::records::{
    GenericGroup, JsonDocument, Medicine, Practitioner, Presentation, SECTORS, StoreRecord, is_code,
};
use crate::schema::SNAPSHOT_TABLES;
use crate::snapshot::{SnapshotCounts, SnapshotInfo, read_snapshot};

/// Failure recorded for a snapshot whose importing process stopped before
/// commit or rollback.
pub(crate) const INTERRUPTED_REASON: &str =
    "the importing process stopped before commit (killed or crashed)";

/// Minimum row counts below which [`ImportWriter::commit`] rejects a
/// snapshot as implausible, typically because a download was truncated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MinimumCounts {
    /// Minimum number of medicines.
    pub medicines: u64,
    /// Minimum number of presentations.
    pub presentations: u64,
}

enum WriterState {
    Open,
    Failed(String),
    Finished,
}

/// Writer of one snapshot, returned by [`crate::RefStore::begin_import`].
///
/// It holds the database write lock from creation to [`commit`] or
/// [`abort`], so a second import waits for it (up to 5 seconds) and then
/// fails with [`RefDataError::ImportInProgress`].
///
/// [`commit`]: ImportWriter::commit
/// [`abort`]: ImportWriter::abort
pub struct ImportWriter {
    conn: Connection,
    path: PathBuf,
    snapshot_id: i64,
    source: String,
    started: Instant,
    counts: SnapshotCounts,
    records_written: u64,
    document_seq: i64,
    state: WriterState,
}

impl ImportWriter {
    /// Records a new `building` snapshot and opens its write transaction.
    pub(crate) fn start(
        mut conn: Connection,
        path: PathBuf,
        source: &str,
        imported_at: NaiveDate,
    ) -> Result<ImportWriter> {
        let started = Instant::now();

        let snapshot_id = {
            let tx = begin_immediate(&mut conn, &path)?;
            mark_interrupted(&tx)?;
            tx.execute(
                "INSERT INTO snapshot (source, imported_at, started_at, state)
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'building')",
                params![source, imported_at.to_string()],
            )?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            id
        };

        if let Err(error) = conn.execute_batch("BEGIN IMMEDIATE") {
            let error = lock_error(error, &path);
            record_failure(&conn, snapshot_id, &error.to_string());
            return Err(error);
        }

        tracing::info!(source, snapshot_id, %imported_at, "reference import started");
        Ok(ImportWriter {
            conn,
            path,
            snapshot_id,
            source: source.to_owned(),
            started,
            counts: SnapshotCounts::default(),
            records_written: 0,
            document_seq: 0,
            state: WriterState::Open,
        })
    }

    /// Returns the id of the snapshot being built.
    pub fn snapshot_id(&self) -> i64 {
        self.snapshot_id
    }

    /// Inserts `records` into the snapshot being built.
    ///
    /// A record that fails validation or repeats a key ends the import: the
    /// transaction is rolled back, the snapshot is recorded as `failed` with
    /// the error, and every later call returns
    /// [`RefDataError::ImportFailed`].
    pub fn write(&mut self, records: Vec<StoreRecord>) -> Result<()> {
        self.ensure_open()?;
        for record in records {
            let index = self.records_written;
            self.records_written += 1;
            let outcome = self.insert(record, index);
            if let Err(error) = outcome {
                return Err(self.fail(error));
            }
        }
        Ok(())
    }

    /// Records a source file of the snapshot with its SHA-256 digest and
    /// size in bytes.
    pub fn add_file(&mut self, name: &str, sha256: &[u8; 32], bytes: u64) -> Result<()> {
        self.ensure_open()?;
        let outcome = self
            .conn
            .prepare_cached(
                "INSERT INTO snapshot_file (snapshot_id, name, sha256, bytes) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    self.snapshot_id,
                    name,
                    hex_digest(sha256),
                    bytes as i64
                ])
            })
            .map_err(|error| match constraint_violation(&error) {
                true => RefDataError::DuplicateFile {
                    name: name.to_owned(),
                },
                false => RefDataError::Sqlite(error),
            });
        match outcome {
            Ok(_) => Ok(()),
            Err(error) => Err(self.fail(error)),
        }
    }

    /// Checks the row counts against `minimum`, switches the snapshot into
    /// service and prunes the snapshots it replaces.
    ///
    /// When a count is below its minimum, the import is rolled back and
    /// recorded as `failed`, and the previous snapshot stays in service.
    pub fn commit(mut self, minimum: MinimumCounts) -> Result<SnapshotInfo> {
        self.ensure_open()?;
        let checks = [
            ("medicines", self.counts.medicines, minimum.medicines),
            (
                "presentations",
                self.counts.presentations,
                minimum.presentations,
            ),
        ];
        for (kind, found, minimum) in checks {
            if found < minimum {
                return Err(self.fail(RefDataError::TooFewRows {
                    kind,
                    found,
                    minimum,
                }));
            }
        }

        let switched = self.switch();
        let replaced = match switched {
            Ok(replaced) => replaced,
            Err(error) => return Err(self.fail(error)),
        };
        self.state = WriterState::Finished;
        let write_elapsed = self.started.elapsed();

        let prune_started = Instant::now();
        if let Err(error) = prune(&mut self.conn, &self.source, self.snapshot_id) {
            // The new snapshot is in service; leftover rows are pruned by the
            // next successful import.
            tracing::warn!(
                source = %self.source,
                snapshot_id = self.snapshot_id,
                %error,
                "failed to prune replaced reference snapshots"
            );
        }
        if let Err(error) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        {
            tracing::warn!(%error, "failed to checkpoint the reference database");
        }

        let info = read_snapshot(&self.conn, self.snapshot_id)?;
        tracing::info!(
            source = %self.source,
            snapshot_id = self.snapshot_id,
            replaced = ?replaced,
            medicines = self.counts.medicines,
            presentations = self.counts.presentations,
            generic_groups = self.counts.generic_groups,
            documents = self.counts.documents,
            practitioners = self.counts.practitioners,
            write_ms = write_elapsed.as_millis() as u64,
            prune_ms = prune_started.elapsed().as_millis() as u64,
            "reference snapshot in service"
        );
        Ok(info)
    }

    /// Rolls the import back and records the snapshot as `failed` with
    /// `reason`. The previous snapshot stays in service.
    pub fn abort(mut self, reason: &str) {
        if matches!(self.state, WriterState::Open) {
            self.rollback(&format!("aborted: {reason}"));
        }
    }

    fn ensure_open(&self) -> Result<()> {
        match &self.state {
            WriterState::Open => Ok(()),
            WriterState::Failed(reason) => Err(RefDataError::ImportFailed {
                snapshot_id: self.snapshot_id,
                reason: reason.clone(),
            }),
            WriterState::Finished => Err(RefDataError::ImportFailed {
                snapshot_id: self.snapshot_id,
                reason: "the import was already committed".to_owned(),
            }),
        }
    }

    /// Rolls back after `error`, records it and returns it.
    fn fail(&mut self, error: RefDataError) -> RefDataError {
        self.rollback(&error.to_string());
        error
    }

    fn rollback(&mut self, reason: &str) {
        if let Err(error) = self.conn.execute_batch("ROLLBACK") {
            tracing::warn!(snapshot_id = self.snapshot_id, %error, "failed to roll back a reference import");
        }
        record_failure(&self.conn, self.snapshot_id, reason);
        tracing::warn!(
            source = %self.source,
            snapshot_id = self.snapshot_id,
            records = self.records_written,
            elapsed_ms = self.started.elapsed().as_millis() as u64,
            reason,
            "reference import failed; the previous snapshot stays in service"
        );
        self.state = WriterState::Failed(reason.to_owned());
    }

    /// Marks the new snapshot current and the old one replaced, then
    /// commits; returns the id of the replaced snapshot.
    fn switch(&mut self) -> Result<Option<i64>> {
        let previous: Option<i64> = self
            .conn
            .query_row(
                "SELECT snapshot_id FROM current_snapshot WHERE source = ?1",
                [&self.source],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(previous) = previous {
            self.conn.execute(
                "UPDATE snapshot SET state = 'replaced' WHERE id = ?1",
                [previous],
            )?;
        }
        self.conn.execute(
            "UPDATE snapshot
             SET state = 'current', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 medicines = ?2, presentations = ?3, generic_groups = ?4, documents = ?5,
                 practitioners = ?6
             WHERE id = ?1",
            params![
                self.snapshot_id,
                self.counts.medicines as i64,
                self.counts.presentations as i64,
                self.counts.generic_groups as i64,
                self.counts.documents as i64,
                self.counts.practitioners as i64
            ],
        )?;
        self.conn.execute(
            "INSERT INTO current_snapshot (source, snapshot_id) VALUES (?1, ?2)
             ON CONFLICT (source) DO UPDATE SET snapshot_id = excluded.snapshot_id",
            params![self.source, self.snapshot_id],
        )?;
        self.conn.execute_batch("COMMIT")?;
        Ok(previous)
    }

    fn insert(&mut self, record: StoreRecord, index: u64) -> Result<()> {
        match record {
            StoreRecord::Medicine(medicine) => {
                self.insert_medicine(&medicine, index)?;
                self.counts.medicines += 1;
            }
            StoreRecord::Presentation(presentation) => {
                self.insert_presentation(&presentation, index)?;
                self.counts.presentations += 1;
            }
            StoreRecord::GenericGroup(group) => {
                self.insert_generic_group(&group, index)?;
                self.counts.generic_groups += 1;
            }
            StoreRecord::Practitioner(practitioner) => {
                self.insert_practitioner(&practitioner, index)?;
                self.counts.practitioners += 1;
            }
            StoreRecord::Json(document) => {
                self.insert_document(&document, index)?;
                self.counts.documents += 1;
            }
        }
        Ok(())
    }

    fn insert_medicine(&self, medicine: &Medicine, index: u64) -> Result<()> {
        if !is_code(&medicine.cis, 8) {
            return Err(invalid(
                "medicine",
                &medicine.cis,
                index,
                "the CIS code must be 8 digits",
            ));
        }
        let mut statement = self.conn.prepare_cached(
            "INSERT INTO medicine (snapshot_id, cis, name, form, routes, authorisation_status,
                                   marketed, holders, reinforced_monitoring)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        statement
            .execute(params![
                self.snapshot_id,
                medicine.cis,
                medicine.name,
                medicine.form,
                join_list(&medicine.routes),
                medicine.authorisation_status,
                medicine.marketed,
                join_list(&medicine.holders),
                medicine.reinforced_monitoring
            ])
            .map_err(|error| duplicate_or(error, "medicine", &medicine.cis, index))?;
        Ok(())
    }

    fn insert_presentation(&self, presentation: &Presentation, index: u64) -> Result<()> {
        let key = &presentation.cip13;
        if !is_code(key, 13) {
            return Err(invalid(
                "presentation",
                key,
                index,
                "the CIP13 code must be 13 digits",
            ));
        }
        if !is_code(&presentation.cis, 8) {
            return Err(invalid(
                "presentation",
                key,
                index,
                &format!("the CIS code {:?} must be 8 digits", presentation.cis),
            ));
        }
        if presentation.rate_percent.is_some_and(|rate| rate > 100) {
            return Err(invalid(
                "presentation",
                key,
                index,
                "the reimbursement rate must be a percentage from 0 to 100",
            ));
        }
        let prices = [
            presentation.price_cents,
            presentation.public_price_cents,
            presentation.dispensing_fee_cents,
        ];
        if prices.iter().flatten().any(|cents| *cents < 0) {
            return Err(invalid(
                "presentation",
                key,
                index,
                "prices must not be negative",
            ));
        }

        let mut statement = self.conn.prepare_cached(
            "INSERT INTO presentation (snapshot_id, cip13, cis, cip7, label, marketed, price_cents,
                                       public_price_cents, dispensing_fee_cents, rate_percent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        statement
            .execute(params![
                self.snapshot_id,
                presentation.cip13,
                presentation.cis,
                presentation.cip7,
                presentation.label,
                presentation.marketed,
                presentation.price_cents,
                presentation.public_price_cents,
                presentation.dispensing_fee_cents,
                presentation.rate_percent
            ])
            .map_err(|error| duplicate_or(error, "presentation", key, index))?;
        Ok(())
    }

    fn insert_generic_group(&self, group: &GenericGroup, index: u64) -> Result<()> {
        if group.id.trim().is_empty() {
            return Err(invalid(
                "generic group",
                &group.id,
                index,
                "the group id must not be empty",
            ));
        }
        self.conn
            .prepare_cached(
                "INSERT INTO generic_group (snapshot_id, id, label) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![self.snapshot_id, group.id, group.label])
            .map_err(|error| duplicate_or(error, "generic group", &group.id, index))?;

        let mut statement = self.conn.prepare_cached(
            "INSERT INTO generic_member (snapshot_id, group_id, cis, role, rank)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for member in &group.members {
            if !is_code(&member.cis, 8) {
                return Err(invalid(
                    "generic group",
                    &group.id,
                    index,
                    &format!("the member CIS code {:?} must be 8 digits", member.cis),
                ));
            }
            let key = format!("{} member {}", group.id, member.cis);
            statement
                .execute(params![
                    self.snapshot_id,
                    group.id,
                    member.cis,
                    member.role.as_str(),
                    member.rank
                ])
                .map_err(|error| duplicate_or(error, "generic group member", &key, index))?;
        }
        Ok(())
    }

    fn insert_practitioner(&self, practitioner: &Practitioner, index: u64) -> Result<()> {
        check_practitioner(practitioner, index)?;

        let key = &practitioner.id;
        self.conn
            .prepare_cached(
                "INSERT INTO practitioner (snapshot_id, id, family_name, given_name, profession,
                                           specialty, sector)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                self.snapshot_id,
                key,
                practitioner.family_name.trim(),
                practitioner.given_name.trim(),
                practitioner.profession,
                practitioner.specialty,
                practitioner.sector
            ])
            .map_err(|error| duplicate_or(error, "practitioner", key, index))?;

        let mut statement = self.conn.prepare_cached(
            "INSERT INTO practitioner_address (snapshot_id, practitioner_id, seq, line, postcode,
                                               city, city_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (seq, address) in practitioner.addresses.iter().enumerate() {
            statement.execute(params![
                self.snapshot_id,
                key,
                seq as i64,
                address.line.trim(),
                address.postcode.trim(),
                address.city.trim(),
                city_key(&address.city)
            ])?;
        }
        Ok(())
    }

    fn insert_document(&mut self, document: &JsonDocument, index: u64) -> Result<()> {
        if document.schema.trim().is_empty() {
            return Err(invalid(
                "json document",
                "",
                index,
                "the schema name must not be empty",
            ));
        }
        self.document_seq += 1;
        // SQLite parses the body once, which both validates it and extracts
        // the CIS used by `RefStore::documents`.
        let mut statement = self.conn.prepare_cached(
            "INSERT INTO document (snapshot_id, schema, seq, cis, body)
             VALUES (?1, ?2, ?3, json_extract(?4, '$.cis'), ?4)",
        )?;
        statement
            .execute(params![
                self.snapshot_id,
                document.schema,
                self.document_seq,
                document.body
            ])
            .map_err(|error| match malformed_json(&error) {
                true => invalid(
                    "json document",
                    &document.schema,
                    index,
                    "the body is not valid JSON",
                ),
                false => RefDataError::Sqlite(error),
            })?;
        Ok(())
    }
}

impl Drop for ImportWriter {
    fn drop(&mut self) {
        if matches!(self.state, WriterState::Open) {
            self.rollback("the import writer was dropped before commit");
        }
    }
}

impl std::fmt::Debug for ImportWriter {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ImportWriter")
            .field("path", &self.path)
            .field("source", &self.source)
            .field("snapshot_id", &self.snapshot_id)
            .field("counts", &self.counts)
            .finish_non_exhaustive()
    }
}

/// Starts a write transaction, mapping a busy database to
/// [`RefDataError::ImportInProgress`].
pub(crate) fn begin_immediate<'c>(
    conn: &'c mut Connection,
    path: &std::path::Path,
) -> Result<rusqlite::Transaction<'c>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|error| lock_error(error, path))
}

fn lock_error(error: rusqlite::Error, path: &std::path::Path) -> RefDataError {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            RefDataError::ImportInProgress {
                path: path.to_owned(),
            }
        }
        _ => RefDataError::Sqlite(error),
    }
}

/// Marks `building` snapshots as `interrupted`. The caller must hold the
/// write lock, which a live import keeps from start to end, so every
/// `building` snapshot seen then belongs to a process that died.
pub(crate) fn mark_interrupted(conn: &Connection) -> Result<usize> {
    let marked = conn.execute(
        "UPDATE snapshot
         SET state = 'interrupted', failure = ?1,
             finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE state = 'building'",
        [INTERRUPTED_REASON],
    )?;
    if marked > 0 {
        tracing::warn!(
            snapshots = marked,
            "marked reference imports left unfinished by a stopped process as interrupted"
        );
    }
    Ok(marked)
}

/// Records a failed snapshot outside any transaction; a failure to record
/// is logged, because the import error itself matters more to the caller.
fn record_failure(conn: &Connection, snapshot_id: i64, reason: &str) {
    let recorded = conn.execute(
        "UPDATE snapshot
         SET state = 'failed', failure = ?2, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1",
        params![snapshot_id, reason],
    );
    if let Err(error) = recorded {
        tracing::warn!(snapshot_id, %error, "failed to record a failed reference import");
    }
}

/// Deletes the rows of every snapshot of `source` other than `current`.
fn prune(conn: &mut Connection, source: &str, current: i64) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for table in SNAPSHOT_TABLES {
        tx.execute(
            &format!(
                "DELETE FROM {table} WHERE snapshot_id IN
                 (SELECT id FROM snapshot WHERE source = ?1 AND id != ?2)"
            ),
            params![source, current],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Checks the fields of a practitioner record before it is stored.
fn check_practitioner(practitioner: &Practitioner, index: u64) -> Result<()> {
    let key = &practitioner.id;
    let fail = |problem: &str| Err(invalid("practitioner", key, index, problem));
    let is_token = |value: &str, max: usize| {
        !value.is_empty() && value.len() <= max && value.bytes().all(|b| b.is_ascii_alphanumeric())
    };

    if !is_token(key, 20) {
        return fail(
            "the identifier must be 1 to 20 ASCII letters or digits, such as an RPPS number",
        );
    }
    if practitioner.family_name.trim().is_empty() {
        return fail("the family name must not be empty");
    }
    if !is_token(&practitioner.profession, 10) {
        return fail("the profession must be a TRE_G15 code, such as 10");
    }
    if let Some(specialty) = &practitioner.specialty
        && !is_token(specialty, 10)
    {
        return fail(&format!(
            "the specialty {specialty:?} must be a TRE_R38 code, such as SM04"
        ));
    }
    if let Some(sector) = &practitioner.sector
        && !SECTORS.contains(&sector.as_str())
    {
        return fail(&format!(
            "the sector {sector:?} must be one of {}",
            SECTORS.join(", ")
        ));
    }
    for address in &practitioner.addresses {
        let postcode = address.postcode.trim();
        if !postcode.is_empty() && !is_code(postcode, 5) {
            return fail(&format!(
                "the postcode {postcode:?} must be 5 digits, or empty when unknown"
            ));
        }
    }
    Ok(())
}

fn invalid(kind: &'static str, key: &str, index: u64, problem: &str) -> RefDataError {
    RefDataError::InvalidRecord {
        kind,
        key: key.to_owned(),
        index,
        problem: problem.to_owned(),
    }
}

fn duplicate_or(error: rusqlite::Error, kind: &'static str, key: &str, index: u64) -> RefDataError {
    if constraint_violation(&error) {
        RefDataError::DuplicateRecord {
            kind,
            key: key.to_owned(),
            index,
        }
    } else {
        RefDataError::Sqlite(error)
    }
}

fn constraint_violation(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}

fn malformed_json(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(_, Some(message)) if message.contains("malformed JSON"))
}

/// Encodes a list as a JSON array of strings for storage.
fn join_list(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

fn hex_digest(digest: &[u8; 32]) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(64);
    for byte in digest {
        let _ = write!(text, "{byte:02x}");
    }
    text
}
