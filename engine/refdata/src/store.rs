//! The reference store: opening the database, starting imports and the
//! lookups that read the snapshot in service.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params};

use crate::error::{RefDataError, Result};
use crate::import::{ImportWriter, mark_interrupted};
use crate::records::{GenericRole, Medicine, Presentation, is_code};
use crate::schema::{self, BUSY_TIMEOUT};
use crate::search::{Catalogue, CatalogueMedicine, MedicineHit, PresentationSummary};
use crate::snapshot::{SnapshotInfo, read_current, read_history};

/// File name of the reference database inside the data directory.
pub const REFERENCE_FILE_NAME: &str = "reference.sqlite3";

/// Source id of the BDPM, whose snapshot in service the medicine lookups
/// and the search read.
pub const BDPM_SOURCE: &str = "bdpm";

/// A medicine with its presentations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MedicineDetails {
    /// The medicine.
    pub medicine: Medicine,
    /// Its presentations, in CIP13 order.
    pub presentations: Vec<Presentation>,
}

/// A presentation with the medicine it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentationDetails {
    /// The presentation.
    pub presentation: Presentation,
    /// Its medicine, or `None` when the snapshot has no medicine with its
    /// CIS (the BDPM files are published independently).
    pub medicine: Option<Medicine>,
}

/// A member of a generic group with its cheapest marketed box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericEntry {
    /// Code CIS of the member.
    pub cis: String,
    /// Dénomination, or `None` when the member is absent from the medicines
    /// of the snapshot (groups keep withdrawn products).
    pub name: Option<String>,
    /// Role in the group.
    pub role: GenericRole,
    /// Sort order given by the publisher.
    pub rank: u32,
    /// Whether the medicine is declared as marketed; `false` when absent.
    pub marketed: bool,
    /// The marketed presentation with the lowest price without dispensing
    /// fees, or `None` when no marketed presentation has a price.
    pub cheapest: Option<PresentationSummary>,
}

/// A generic group with its members, cheapest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericGroupView {
    /// Identifier of the group.
    pub id: String,
    /// Libellé of the group.
    pub label: String,
    /// Members ordered by the price of their cheapest marketed box, members
    /// without one last, then princeps before generics, then publisher
    /// rank.
    ///
    /// NOTE: the price is per box, and boxes of one group can hold
    /// different numbers of units.
    pub members: Vec<GenericEntry>,
}

/// The host-owned reference-data store, one SQLite file separate from user
/// memory.
///
/// Queries read the snapshot in service when they run. An import runs on a
/// connection of its own ([`RefStore::begin_import`]), so the store keeps
/// reading the previous snapshot until the import commits.
pub struct RefStore {
    conn: Connection,
    path: PathBuf,
    catalogue: RefCell<Option<Rc<Catalogue>>>,
}

impl std::fmt::Debug for RefStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RefStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl RefStore {
    /// Opens or creates `reference.sqlite3` in `data_dir`, creating the
    /// directory if needed.
    ///
    /// Snapshots left `building` by a process that died are marked
    /// `interrupted` when no import holds the write lock.
    pub fn open(data_dir: &Path) -> Result<RefStore> {
        let started = Instant::now();
        std::fs::create_dir_all(data_dir).map_err(|source| RefDataError::CreateDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(REFERENCE_FILE_NAME);

        let mut conn = open_connection(&path)?;
        schema::migrate(&conn)?;
        recover_interrupted(&mut conn)?;

        tracing::info!(
            path = %path.display(),
            elapsed_us = started.elapsed().as_micros() as u64,
            "reference database opened"
        );
        Ok(RefStore {
            conn,
            path,
            catalogue: RefCell::new(None),
        })
    }

    /// Returns the path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts an import of `source` downloaded on `imported_at`.
    ///
    /// Fails with [`RefDataError::ImportInProgress`] when another import
    /// keeps the write lock for more than 5 seconds.
    pub fn begin_import(&self, source: &str, imported_at: NaiveDate) -> Result<ImportWriter> {
        let valid_source = !source.is_empty()
            && source
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
        if !valid_source {
            return Err(RefDataError::InvalidSource {
                source_id: source.to_owned(),
            });
        }
        let conn = open_connection(&self.path)?;
        ImportWriter::start(conn, self.path.clone(), source, imported_at)
    }

    /// Returns the snapshot in service for `source`, or `None` before its
    /// first successful import.
    pub fn current_snapshot(&self, source: &str) -> Result<Option<SnapshotInfo>> {
        read_current(&self.conn, source)
    }

    /// Returns the latest `limit` imports of `source`, newest first,
    /// including failed and interrupted ones with the reason.
    pub fn import_history(&self, source: &str, limit: usize) -> Result<Vec<SnapshotInfo>> {
        read_history(&self.conn, source, limit)
    }

    /// Returns the medicine with CIS `cis` and its presentations.
    pub fn medicine(&self, cis: &str) -> Result<Option<MedicineDetails>> {
        check_code("CIS", cis, 8, "8 digits, such as 60234100")?;
        let Some(snapshot_id) = self.current_id()? else {
            return Ok(None);
        };
        let Some(medicine) = self.read_medicine(snapshot_id, cis)? else {
            return Ok(None);
        };

        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {PRESENTATION_COLUMNS} FROM presentation
             WHERE snapshot_id = ?1 AND cis = ?2 ORDER BY cip13"
        ))?;
        let presentations = statement
            .query_map(params![snapshot_id, cis], presentation_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(MedicineDetails {
            medicine,
            presentations,
        }))
    }

    /// Returns the presentation with CIP13 `cip13` and its medicine.
    pub fn presentation_by_cip13(&self, cip13: &str) -> Result<Option<PresentationDetails>> {
        check_code("CIP13", cip13, 13, "13 digits, such as 3400935955838")?;
        let Some(snapshot_id) = self.current_id()? else {
            return Ok(None);
        };

        let presentation = self
            .conn
            .prepare_cached(&format!(
                "SELECT {PRESENTATION_COLUMNS} FROM presentation
                 WHERE snapshot_id = ?1 AND cip13 = ?2"
            ))?
            .query_row(params![snapshot_id, cip13], presentation_from_row)
            .optional()?;
        let Some(presentation) = presentation else {
            return Ok(None);
        };
        let medicine = self.read_medicine(snapshot_id, &presentation.cis)?;
        Ok(Some(PresentationDetails {
            presentation,
            medicine,
        }))
    }

    /// Returns the generic groups of `cis` (usually one; the BDPM puts a few
    /// CIS in two groups), each with its members cheapest first.
    pub fn generics(&self, cis: &str) -> Result<Vec<GenericGroupView>> {
        check_code("CIS", cis, 8, "8 digits, such as 60234100")?;
        let Some(snapshot_id) = self.current_id()? else {
            return Ok(Vec::new());
        };

        let mut statement = self.conn.prepare_cached(
            "SELECT g.id, g.label FROM generic_member m
             JOIN generic_group g ON g.snapshot_id = m.snapshot_id AND g.id = m.group_id
             WHERE m.snapshot_id = ?1 AND m.cis = ?2 ORDER BY g.id",
        )?;
        let groups = statement
            .query_map(params![snapshot_id, cis], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let mut views = Vec::with_capacity(groups.len());
        for (id, label) in groups {
            let members = self.read_generic_members(snapshot_id, &id)?;
            views.push(GenericGroupView { id, label, members });
        }
        Ok(views)
    }

    /// Returns the JSON bodies of schema `schema` (such as
    /// `bdpm.composition/1`) whose top-level `cis` field is `cis`, in import
    /// order.
    pub fn documents(&self, schema: &str, cis: &str) -> Result<Vec<String>> {
        let Some(snapshot_id) = self.current_id()? else {
            return Ok(Vec::new());
        };
        let mut statement = self.conn.prepare_cached(
            "SELECT body FROM document WHERE snapshot_id = ?1 AND cis = ?2 AND schema = ?3
             ORDER BY seq",
        )?;
        let bodies = statement
            .query_map(params![snapshot_id, cis, schema], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(bodies)
    }

    /// Returns up to `limit` medicines ranked by relevance to `text`, a name
    /// as a person types it (typos, missing accents, phonetic spellings, OCR
    /// slips), optionally with a dosage. A CIS or CIP13 code returns its
    /// medicine.
    ///
    /// The first search after open or after a new snapshot builds the
    /// in-memory index, which takes tens of milliseconds.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<MedicineHit>> {
        let Some(catalogue) = self.catalogue()? else {
            return Ok(Vec::new());
        };
        Ok(catalogue.search(text, limit))
    }

    /// Returns the names (dénominations) of the medicines in service, for
    /// the query router's medicine vocabulary; empty before the first
    /// import.
    pub fn medicine_names(&self) -> Result<Vec<String>> {
        let Some(snapshot_id) = self.current_id()? else {
            return Ok(Vec::new());
        };
        let mut statement = self
            .conn
            .prepare_cached("SELECT name FROM medicine WHERE snapshot_id = ?1")?;
        let names = statement
            .query_map([snapshot_id], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    /// Builds the search index now rather than at the first search.
    pub fn warm_search_index(&self) -> Result<()> {
        self.catalogue().map(|_| ())
    }

    fn current_id(&self) -> Result<Option<i64>> {
        self.current_id_of(BDPM_SOURCE)
    }

    /// Returns the id of the snapshot in service for `source`, if any.
    pub(crate) fn current_id_of(&self, source: &str) -> Result<Option<i64>> {
        let id = self
            .conn
            .prepare_cached("SELECT snapshot_id FROM current_snapshot WHERE source = ?1")?
            .query_row([source], |row| row.get(0))
            .optional()?;
        Ok(id)
    }

    /// Returns the connection that reads the snapshots in service.
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Returns the catalogue of the snapshot in service, rebuilding it when
    /// an import switched snapshots since it was built.
    fn catalogue(&self) -> Result<Option<Rc<Catalogue>>> {
        let Some(snapshot_id) = self.current_id()? else {
            return Ok(None);
        };
        if let Some(catalogue) = self.catalogue.borrow().as_ref()
            && catalogue.snapshot_id() == snapshot_id
        {
            return Ok(Some(Rc::clone(catalogue)));
        }

        let started = Instant::now();
        let medicines = self.read_catalogue_rows(snapshot_id)?;
        let count = medicines.len();
        let catalogue = Rc::new(Catalogue::build(snapshot_id, medicines));
        tracing::info!(
            snapshot_id,
            medicines = count,
            terms = catalogue.vocabulary_size(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "medicine search index built"
        );
        *self.catalogue.borrow_mut() = Some(Rc::clone(&catalogue));
        Ok(Some(catalogue))
    }

    fn read_catalogue_rows(&self, snapshot_id: i64) -> Result<Vec<CatalogueMedicine>> {
        let mut presentations: HashMap<String, Vec<PresentationSummary>> = HashMap::new();
        let mut statement = self.conn.prepare(
            "SELECT cis, cip13, label, marketed, price_cents, public_price_cents, rate_percent
             FROM presentation WHERE snapshot_id = ?1",
        )?;
        let mut rows = statement.query([snapshot_id])?;
        while let Some(row) = rows.next()? {
            let cis: String = row.get(0)?;
            presentations
                .entry(cis)
                .or_default()
                .push(summary_from_row(row, 1)?);
        }
        for boxes in presentations.values_mut() {
            sort_presentations(boxes);
        }

        let mut statement = self.conn.prepare(
            "SELECT cis, name, form, marketed FROM medicine WHERE snapshot_id = ?1 ORDER BY cis",
        )?;
        let mut rows = statement.query([snapshot_id])?;
        let mut medicines = Vec::new();
        while let Some(row) = rows.next()? {
            let cis: String = row.get(0)?;
            let boxes = presentations.remove(&cis).unwrap_or_default();
            medicines.push(CatalogueMedicine {
                cis,
                name: row.get(1)?,
                form: row.get(2)?,
                marketed: row.get(3)?,
                presentations: boxes,
            });
        }
        Ok(medicines)
    }

    fn read_medicine(&self, snapshot_id: i64, cis: &str) -> Result<Option<Medicine>> {
        let medicine = self
            .conn
            .prepare_cached(
                "SELECT cis, name, form, routes, authorisation_status, marketed, holders,
                        reinforced_monitoring
                 FROM medicine WHERE snapshot_id = ?1 AND cis = ?2",
            )?
            .query_row(params![snapshot_id, cis], medicine_from_row)
            .optional()?;
        Ok(medicine)
    }

    fn read_generic_members(&self, snapshot_id: i64, group_id: &str) -> Result<Vec<GenericEntry>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT m.cis, m.role, m.rank, d.name, d.marketed FROM generic_member m
             LEFT JOIN medicine d ON d.snapshot_id = m.snapshot_id AND d.cis = m.cis
             WHERE m.snapshot_id = ?1 AND m.group_id = ?2",
        )?;
        let rows = statement
            .query_map(params![snapshot_id, group_id], |row| {
                let role: String = row.get(1)?;
                Ok((
                    row.get::<_, String>(0)?,
                    role,
                    row.get::<_, u32>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<bool>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let mut cheapest_statement = self.conn.prepare_cached(
            "SELECT cip13, label, marketed, price_cents, public_price_cents, rate_percent
             FROM presentation
             WHERE snapshot_id = ?1 AND cis = ?2 AND marketed AND price_cents IS NOT NULL
             ORDER BY price_cents, cip13 LIMIT 1",
        )?;
        let mut members = Vec::with_capacity(rows.len());
        for (cis, role, rank, name, marketed) in rows {
            let cheapest = cheapest_statement
                .query_row(params![snapshot_id, cis], |row| summary_from_row(row, 0))
                .optional()?;
            members.push(GenericEntry {
                role: GenericRole::from_name(&role).unwrap_or(GenericRole::Generic),
                cis,
                rank,
                name,
                marketed: marketed.unwrap_or(false),
                cheapest,
            });
        }

        members.sort_by(|a, b| {
            let price_a = a.cheapest.as_ref().and_then(|p| p.price_cents);
            let price_b = b.cheapest.as_ref().and_then(|p| p.price_cents);
            price_a
                .is_none()
                .cmp(&price_b.is_none())
                .then(price_a.cmp(&price_b))
                .then((a.role != GenericRole::Princeps).cmp(&(b.role != GenericRole::Princeps)))
                .then(a.rank.cmp(&b.rank))
                .then(a.cis.cmp(&b.cis))
        });
        Ok(members)
    }
}

const PRESENTATION_COLUMNS: &str = "cis, cip7, cip13, label, marketed, price_cents, \
     public_price_cents, dispensing_fee_cents, rate_percent";

fn open_connection(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    schema::configure(&conn)?;
    Ok(conn)
}

/// Marks snapshots left `building` by a dead process as `interrupted` when
/// the write lock is free at once. A live import holds the lock, so its
/// snapshot is left alone.
fn recover_interrupted(conn: &mut Connection) -> Result<()> {
    let building: i64 = conn.query_row(
        "SELECT count(*) FROM snapshot WHERE state = 'building'",
        [],
        |row| row.get(0),
    )?;
    if building == 0 {
        return Ok(());
    }

    conn.busy_timeout(Duration::ZERO)?;
    let outcome = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(tx) => mark_interrupted(&tx).and_then(|_| tx.commit().map_err(RefDataError::from)),
        Err(error) => {
            tracing::debug!(%error, "reference write lock busy, so the building snapshot was not marked interrupted");
            Ok(())
        }
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    outcome
}

fn check_code(
    kind: &'static str,
    value: &str,
    length: usize,
    expected: &'static str,
) -> Result<()> {
    if is_code(value, length) {
        Ok(())
    } else {
        Err(RefDataError::InvalidCode {
            kind,
            value: value.to_owned(),
            expected,
        })
    }
}

/// Sorts boxes marketed first, then by price (unpriced last), then CIP13.
fn sort_presentations(boxes: &mut [PresentationSummary]) {
    boxes.sort_by(|a, b| {
        b.marketed
            .cmp(&a.marketed)
            .then(a.price_cents.is_none().cmp(&b.price_cents.is_none()))
            .then(a.price_cents.cmp(&b.price_cents))
            .then(a.cip13.cmp(&b.cip13))
    });
}

fn summary_from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<PresentationSummary> {
    Ok(PresentationSummary {
        cip13: row.get(first)?,
        label: row.get(first + 1)?,
        marketed: row.get(first + 2)?,
        price_cents: row.get(first + 3)?,
        public_price_cents: row.get(first + 4)?,
        rate_percent: row.get(first + 5)?,
    })
}

fn presentation_from_row(row: &Row<'_>) -> rusqlite::Result<Presentation> {
    Ok(Presentation {
        cis: row.get(0)?,
        cip7: row.get(1)?,
        cip13: row.get(2)?,
        label: row.get(3)?,
        marketed: row.get(4)?,
        price_cents: row.get(5)?,
        public_price_cents: row.get(6)?,
        dispensing_fee_cents: row.get(7)?,
        rate_percent: row.get(8)?,
    })
}

fn medicine_from_row(row: &Row<'_>) -> rusqlite::Result<Medicine> {
    Ok(Medicine {
        cis: row.get(0)?,
        name: row.get(1)?,
        form: row.get(2)?,
        routes: list_from_column(row, 3)?,
        authorisation_status: row.get(4)?,
        marketed: row.get(5)?,
        holders: list_from_column(row, 6)?,
        reinforced_monitoring: row.get(7)?,
    })
}

fn list_from_column(row: &Row<'_>, index: usize) -> rusqlite::Result<Vec<String>> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            Box::new(error),
        )
    })
}
