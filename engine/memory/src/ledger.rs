//! Yearly ledgers of franchises and participations forfaitaires already charged.
//!
//! The annual caps count per beneficiary and civil year, and the daily caps per
//! day, so the simulators read totals from here. Simulators get a
//! [`LedgerReader`], which has no write method: only an expense the user
//! records through [`MemoryDb::record_expense`] changes the ledger.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Utc};
use rusqlite::{Connection, Row, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::db::MemoryDb;
use crate::error::{MemoryError, Result};
use crate::profile_store::load_profile;

/// Largest single expense accepted, in cents: the 50 € annual cap, since no
/// single franchise or participation can exceed it.
pub const MAX_EXPENSE_CENTS: i64 = 5_000;

/// Kind of flat deduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    /// Franchise per medicine box.
    FranchiseMedicine,
    /// Franchise per paramedical act.
    FranchiseParamedical,
    /// Franchise per patient transport leg.
    FranchiseTransport,
    /// Participation forfaitaire per doctor act, lab or radiology act.
    ParticipationForfaitaire,
}

impl LedgerKind {
    /// All kinds, in storage order.
    pub const ALL: [LedgerKind; 4] = [
        LedgerKind::FranchiseMedicine,
        LedgerKind::FranchiseParamedical,
        LedgerKind::FranchiseTransport,
        LedgerKind::ParticipationForfaitaire,
    ];

    /// Name stored in the database and used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::FranchiseMedicine => "franchise_medicine",
            LedgerKind::FranchiseParamedical => "franchise_paramedical",
            LedgerKind::FranchiseTransport => "franchise_transport",
            LedgerKind::ParticipationForfaitaire => "participation_forfaitaire",
        }
    }

    /// Returns whether the kind counts toward the franchise cap rather than the participation cap.
    pub fn is_franchise(self) -> bool {
        self != LedgerKind::ParticipationForfaitaire
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Expense the user reports as already charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewExpense {
    /// Day the deduction was charged.
    pub charged_on: NaiveDate,
    /// Kind of deduction.
    pub kind: LedgerKind,
    /// Amount in cents, from 1 to [`MAX_EXPENSE_CENTS`].
    pub amount_cents: i64,
    /// Free text such as the pharmacy or the professional, which lets daily caps per professional be checked.
    #[serde(default)]
    pub label: Option<String>,
}

/// Stored ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Entry id.
    pub id: i64,
    /// Profile the expense belongs to.
    pub profile_id: i64,
    /// Day the deduction was charged.
    pub charged_on: NaiveDate,
    /// Kind of deduction.
    pub kind: LedgerKind,
    /// Amount in cents.
    pub amount_cents: i64,
    /// Free text given with the expense.
    pub label: Option<String>,
    /// When the user recorded it (UTC).
    pub recorded_at: chrono::DateTime<Utc>,
}

/// Sums over a year or a day, in cents.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LedgerTotals {
    /// All franchises together (one annual cap covers them).
    pub franchises_cents: i64,
    /// Participations forfaitaires (their own annual cap).
    pub participations_cents: i64,
    /// Sum per kind; kinds with no entry are absent.
    pub by_kind: BTreeMap<LedgerKind, i64>,
}

const ENTRY_COLUMNS: &str = "id, profile_id, charged_on, kind, amount_cents, label, recorded_at";

fn read_entry(row: &Row<'_>) -> rusqlite::Result<LedgerEntry> {
    let kind_text: String = row.get(3)?;
    let kind = LedgerKind::parse(&kind_text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            3,
            rusqlite::types::Type::Text,
            "unknown ledger kind".into(),
        )
    })?;
    Ok(LedgerEntry {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        charged_on: row.get(2)?,
        kind,
        amount_cents: row.get(4)?,
        label: row.get(5)?,
        recorded_at: row.get(6)?,
    })
}

/// Read-only view of the ledgers, for simulations.
#[derive(Clone, Copy)]
pub struct LedgerReader<'db> {
    conn: &'db Connection,
}

impl<'db> LedgerReader<'db> {
    pub(crate) fn new(conn: &'db Connection) -> Self {
        Self { conn }
    }

    /// Returns the totals charged to `profile_id` in civil year `year`.
    pub fn year_totals(&self, profile_id: i64, year: i32) -> Result<LedgerTotals> {
        let (first, next) = year_bounds(year)?;
        self.totals_between(profile_id, first, next)
    }

    /// Returns the totals charged to `profile_id` on `day`.
    pub fn day_totals(&self, profile_id: i64, day: NaiveDate) -> Result<LedgerTotals> {
        let next = day
            .succ_opt()
            .ok_or_else(|| MemoryError::invalid("day", day, "give a real calendar date"))?;
        self.totals_between(profile_id, day, next)
    }

    /// Returns the entries of `profile_id` charged in `year`, in date order.
    pub fn entries(&self, profile_id: i64, year: i32) -> Result<Vec<LedgerEntry>> {
        let (first, next) = year_bounds(year)?;
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM ledger_entries
             WHERE profile_id = ?1 AND charged_on >= ?2 AND charged_on < ?3
             ORDER BY charged_on, id"
        );
        let mut statement = self.conn.prepare(&sql)?;
        let entries = statement
            .query_map((profile_id, first, next), read_entry)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(entries)
    }

    fn totals_between(
        &self,
        profile_id: i64,
        first: NaiveDate,
        next: NaiveDate,
    ) -> Result<LedgerTotals> {
        let mut statement = self.conn.prepare(
            "SELECT kind, SUM(amount_cents) FROM ledger_entries
             WHERE profile_id = ?1 AND charged_on >= ?2 AND charged_on < ?3
             GROUP BY kind",
        )?;
        let sums = statement
            .query_map((profile_id, first, next), |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let mut totals = LedgerTotals::default();
        for (kind_text, cents) in sums {
            let Some(kind) = LedgerKind::parse(&kind_text) else {
                continue;
            };
            if kind.is_franchise() {
                totals.franchises_cents += cents;
            } else {
                totals.participations_cents += cents;
            }
            totals.by_kind.insert(kind, cents);
        }
        Ok(totals)
    }
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let next = year
        .checked_add(1)
        .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1));
    match (first, next) {
        (Some(first), Some(next)) => Ok((first, next)),
        _ => Err(MemoryError::invalid(
            "year",
            year,
            "give a year such as 2025",
        )),
    }
}

/// Reads every ledger entry of a profile, for export.
pub(crate) fn all_entries(conn: &Connection, profile_id: i64) -> Result<Vec<LedgerEntry>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM ledger_entries WHERE profile_id = ?1 ORDER BY charged_on, id"
    );
    let mut statement = conn.prepare(&sql)?;
    let entries = statement
        .query_map([profile_id], read_entry)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entries)
}

impl MemoryDb {
    /// Returns the read-only ledger view that simulations use.
    pub fn ledger(&self) -> LedgerReader<'_> {
        LedgerReader::new(&self.conn)
    }

    /// Records an expense the user reports as already charged, and returns the stored entry.
    ///
    /// Rejects amounts outside 1..=[`MAX_EXPENSE_CENTS`] and dates more than one
    /// day after today (UTC), which leaves room for time zones ahead of UTC.
    pub fn record_expense(&mut self, profile_id: i64, expense: NewExpense) -> Result<LedgerEntry> {
        if !(1..=MAX_EXPENSE_CENTS).contains(&expense.amount_cents) {
            return Err(MemoryError::invalid(
                "amount_cents",
                expense.amount_cents,
                format!("give the amount in cents, from 1 to {MAX_EXPENSE_CENTS} (2 € is 200)"),
            ));
        }
        let latest = Utc::now().date_naive() + chrono::Days::new(1);
        if expense.charged_on > latest || expense.charged_on.year() < 2000 {
            return Err(MemoryError::invalid(
                "charged_on",
                expense.charged_on,
                "give the day the amount was charged, not in the future and not before 2000",
            ));
        }
        let label = expense
            .label
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty());
        if let Some(text) = &label
            && text.chars().count() > 200
        {
            return Err(MemoryError::invalid(
                "label",
                text,
                "use at most 200 characters",
            ));
        }

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        load_profile(&tx, profile_id)?;
        tx.execute(
            "INSERT INTO ledger_entries (profile_id, charged_on, kind, amount_cents, label, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (profile_id, expense.charged_on, expense.kind.as_str(), expense.amount_cents, &label, Utc::now()),
        )?;
        let id = tx.last_insert_rowid();
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM ledger_entries WHERE id = ?1");
        let entry = tx.query_row(&sql, [id], read_entry)?;
        tx.commit()?;

        tracing::debug!(profile_id, entry_id = id, "ledger expense recorded");
        Ok(entry)
    }
}
