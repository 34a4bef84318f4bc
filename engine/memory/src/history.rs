//! Conversation history per profile, with deterministic compression.
//!
//! Each exchange keeps the question, its intent, its slots and a summary of the
//! answer. Beyond [`MemoryOptions::history_limit`](crate::MemoryOptions) raw
//! exchanges, the oldest are folded into one summary row per intent (count,
//! first and last time, last slots, last answer summary) and deleted. No model
//! is involved, so the same history always compresses to the same rows.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::MemoryDb;
use crate::error::{MemoryError, Result};
use crate::profile_store::load_profile;

/// Question and answer to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewExchange {
    /// Question as the user asked it.
    pub question: String,
    /// Intent the engine recognised ("medicine_cost", "consultation_cost").
    pub intent: String,
    /// Slots the engine filled, as a JSON object.
    pub slots: Value,
    /// Short summary of the answer given.
    pub answer_summary: String,
}

/// Stored exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// Exchange id, increasing with time.
    pub id: i64,
    /// Profile the question was about.
    pub profile_id: i64,
    /// When the question was recorded (UTC).
    pub asked_at: DateTime<Utc>,
    /// Question as the user asked it.
    pub question: String,
    /// Recognised intent.
    pub intent: String,
    /// Filled slots.
    pub slots: Value,
    /// Summary of the answer.
    pub answer_summary: String,
}

/// Compressed record of older exchanges of one intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeSummary {
    /// Profile the exchanges were about.
    pub profile_id: i64,
    /// Intent shared by the folded exchanges.
    pub intent: String,
    /// Number of exchanges folded into this row.
    pub exchange_count: i64,
    /// Time of the oldest folded exchange.
    pub first_asked_at: DateTime<Utc>,
    /// Time of the newest folded exchange.
    pub last_asked_at: DateTime<Utc>,
    /// Slots of the newest folded exchange.
    pub last_slots: Value,
    /// Answer summary of the newest folded exchange.
    pub last_answer_summary: String,
    /// One-line text built from the fields above.
    pub text: String,
}

/// Context of the previous turn, for a follow-up question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnContext {
    /// Id of the previous exchange.
    pub exchange_id: i64,
    /// When it was asked (UTC), so the caller can ignore a stale context.
    pub asked_at: DateTime<Utc>,
    /// Its intent.
    pub intent: String,
    /// Its slots.
    pub slots: Value,
}

const EXCHANGE_COLUMNS: &str = "id, profile_id, asked_at, question, intent, slots, answer_summary";
const SUMMARY_COLUMNS: &str = "profile_id, intent, exchange_count, first_asked_at, last_asked_at, last_slots, last_answer_summary";

fn read_exchange(row: &Row<'_>) -> rusqlite::Result<Exchange> {
    Ok(Exchange {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        asked_at: row.get(2)?,
        question: row.get(3)?,
        intent: row.get(4)?,
        slots: row.get(5)?,
        answer_summary: row.get(6)?,
    })
}

fn read_summary(row: &Row<'_>) -> rusqlite::Result<ExchangeSummary> {
    let mut summary = ExchangeSummary {
        profile_id: row.get(0)?,
        intent: row.get(1)?,
        exchange_count: row.get(2)?,
        first_asked_at: row.get(3)?,
        last_asked_at: row.get(4)?,
        last_slots: row.get(5)?,
        last_answer_summary: row.get(6)?,
        text: String::new(),
    };
    summary.text = format!(
        "{} earlier question(s) with intent {} from {} to {}; last slots {}; last answer: {}",
        summary.exchange_count,
        summary.intent,
        summary.first_asked_at.format("%Y-%m-%d"),
        summary.last_asked_at.format("%Y-%m-%d"),
        summary.last_slots,
        summary.last_answer_summary,
    );
    Ok(summary)
}

fn validate_exchange(exchange: &NewExchange) -> Result<()> {
    let intent = exchange.intent.trim();
    if intent.is_empty() || intent.chars().count() > 100 {
        return Err(MemoryError::invalid(
            "intent",
            &exchange.intent,
            "give an intent name of 1 to 100 characters",
        ));
    }
    if !exchange.slots.is_object() {
        return Err(MemoryError::invalid(
            "slots",
            &exchange.slots,
            "give the slots as a JSON object, such as {}",
        ));
    }
    Ok(())
}

/// Folds the raw exchanges of `profile_id` beyond the newest `keep` into the
/// per-intent summaries, deletes them, and returns how many were folded.
fn compress(tx: &Transaction<'_>, profile_id: i64, keep: usize) -> Result<usize> {
    let sql = format!(
        "SELECT {EXCHANGE_COLUMNS} FROM exchanges WHERE profile_id = ?1
         ORDER BY id DESC LIMIT -1 OFFSET ?2"
    );
    let mut select = tx.prepare(&sql)?;
    let mut old = select
        .query_map((profile_id, keep as i64), read_exchange)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    old.reverse();

    let mut upsert = tx.prepare(
        "INSERT INTO exchange_summaries
             (profile_id, intent, exchange_count, first_asked_at, last_asked_at, last_slots, last_answer_summary)
         VALUES (?1, ?2, 1, ?3, ?3, ?4, ?5)
         ON CONFLICT (profile_id, intent) DO UPDATE SET
             exchange_count = exchange_count + 1,
             last_asked_at = excluded.last_asked_at,
             last_slots = excluded.last_slots,
             last_answer_summary = excluded.last_answer_summary",
    )?;
    let mut delete = tx.prepare("DELETE FROM exchanges WHERE id = ?1")?;
    for exchange in &old {
        upsert.execute((
            profile_id,
            &exchange.intent,
            exchange.asked_at,
            &exchange.slots,
            &exchange.answer_summary,
        ))?;
        delete.execute([exchange.id])?;
    }
    Ok(old.len())
}

/// Reads every raw exchange of a profile, oldest first.
pub(crate) fn all_exchanges(conn: &Connection, profile_id: i64) -> Result<Vec<Exchange>> {
    let sql = format!("SELECT {EXCHANGE_COLUMNS} FROM exchanges WHERE profile_id = ?1 ORDER BY id");
    let mut statement = conn.prepare(&sql)?;
    let exchanges = statement
        .query_map([profile_id], read_exchange)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(exchanges)
}

/// Reads every summary row of a profile, by intent.
pub(crate) fn all_summaries(conn: &Connection, profile_id: i64) -> Result<Vec<ExchangeSummary>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM exchange_summaries WHERE profile_id = ?1 ORDER BY intent"
    );
    let mut statement = conn.prepare(&sql)?;
    let summaries = statement
        .query_map([profile_id], read_summary)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(summaries)
}

impl MemoryDb {
    /// Records an exchange for `profile_id`, compresses the history beyond the
    /// configured limit in the same transaction, and returns the stored exchange.
    pub fn record_exchange(&mut self, profile_id: i64, exchange: NewExchange) -> Result<Exchange> {
        validate_exchange(&exchange)?;
        let keep = self.options.history_limit;

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        load_profile(&tx, profile_id)?;
        tx.execute(
            "INSERT INTO exchanges (profile_id, asked_at, question, intent, slots, answer_summary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (
                profile_id,
                Utc::now(),
                &exchange.question,
                exchange.intent.trim(),
                &exchange.slots,
                &exchange.answer_summary,
            ),
        )?;
        let id = tx.last_insert_rowid();

        let folded = compress(&tx, profile_id, keep)?;
        let sql = format!("SELECT {EXCHANGE_COLUMNS} FROM exchanges WHERE id = ?1");
        let stored = tx.query_row(&sql, [id], read_exchange)?;
        tx.commit()?;

        if folded > 0 {
            tracing::debug!(profile_id, folded, "conversation history compressed");
        }
        Ok(stored)
    }

    /// Returns the raw exchanges of `profile_id` still kept, oldest first.
    pub fn history(&self, profile_id: i64) -> Result<Vec<Exchange>> {
        all_exchanges(&self.conn, profile_id)
    }

    /// Returns the summary rows of the compressed history of `profile_id`, one per intent.
    pub fn history_summaries(&self, profile_id: i64) -> Result<Vec<ExchangeSummary>> {
        all_summaries(&self.conn, profile_id)
    }

    /// Returns the intent and slots of the latest exchange of `profile_id`, or
    /// `None` when there is none.
    pub fn previous_turn(&self, profile_id: i64) -> Result<Option<TurnContext>> {
        let sql = format!(
            "SELECT {EXCHANGE_COLUMNS} FROM exchanges WHERE profile_id = ?1 ORDER BY id DESC LIMIT 1"
        );
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query_map([profile_id], read_exchange)?;
        let latest = rows.next().transpose()?;
        Ok(latest.map(|exchange| TurnContext {
            exchange_id: exchange.id,
            asked_at: exchange.asked_at,
            intent: exchange.intent,
            slots: exchange.slots,
        }))
    }
}
