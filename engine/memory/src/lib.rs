//! User memory of the Mediflux host, in its own SQLite file (`memory.sqlite3`).
//!
//! For each person of a family it stores the profile the simulators need: age,
//! mutuelle contract, ALD, C2S or AME, pregnancy, médecin traitant, place and
//! preferences. It also stores the ledgers of franchises and participations
//! forfaitaires already charged, the conversation history with deterministic
//! compression, and scanned-document metadata. It implements the GDPR export
//! and erasure.
//!
//! Health data stays in the file: `tracing` lines carry ids, counts and
//! durations, never field values. Error messages do quote rejected values for
//! the user, so callers must not log them.
//!
//! ```no_run
//! use mediflux_memory::{MemoryDb, MemoryOptions, ProfileUpdate};
//!
//! let mut db = MemoryDb::open(std::path::Path::new("/tmp/mediflux"), MemoryOptions::default())?;
//! let me = db.create_profile("moi", ProfileUpdate::default())?;
//! let year = db.ledger().year_totals(me.id, 2025)?;
//! # Ok::<(), mediflux_memory::MemoryError>(())
//! ```

mod db;
mod error;
mod gdpr;
mod history;
mod ledger;
pub mod migrations;
mod profile;
mod profile_store;
mod projection;

pub use db::{MEMORY_FILE_NAME, MemoryDb, MemoryOptions};
pub use error::{MemoryError, Result};
pub use gdpr::{DeletedRows, Document, EXPORT_FORMAT_VERSION, NewDocument, PersonExport};
pub use history::{Exchange, ExchangeSummary, NewExchange, TurnContext};
pub use ledger::{
    LedgerEntry, LedgerKind, LedgerReader, LedgerTotals, MAX_EXPENSE_CENTS, NewExpense,
};
pub use profile::{
    Age, AldCondition, GuaranteeBasis, Guarantees, MAX_GUARANTEE_BP, MAX_LABEL_CHARS,
    MutuelleContract, Patch, Place, Preferences, Pregnancy, Profile, ProfileUpdate, PublicCover,
    Sector, departement_from_postcode,
};
pub use projection::{GRANTABLE_FIELDS, project_profile, validate_granted_fields};
pub use rusqlite;
