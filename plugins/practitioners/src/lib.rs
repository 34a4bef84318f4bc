//! Portable core of the `practitioners` intent plugin: answers
//! `practitioner.search` (« Cardiologue à Paris », « Un dermatologue secteur
//! 1 près de Lyon », « Trouver un kiné à Marseille 13008 ») in French from
//! the practitioners the `annuaire` data source imported.
//!
//! The crate does no I/O: the host's `annuaire` source comes in as a
//! [`Directory`] and the yearly rule sets as a [`RuleSource`], so the whole
//! answer is testable natively. `plugin.rs` binds both to the host services
//! inside the WebAssembly component.
//!
//! An answer:
//! - maps the `specialty` slot to profession (TRE_G15) and specialty
//!   (TRE_R38) codes;
//! - searches the `location` slot, or else the home place of the patient's
//!   profile, and widens a postcode or arrondissement with no match to its
//!   département;
//! - lists the practitioners with their specialty, their sector when known
//!   and an address;
//! - explains what the asked sector (1, 2, OPTAM, 3) means for the price,
//!   from the rule sets;
//! - cites the Annuaire Santé with the date of the data, and explains how to
//!   import them when none are installed.

mod answer;
mod place;
#[cfg(target_arch = "wasm32")]
mod plugin;
mod sector;
mod specialty;
mod text;

pub use answer::answer;
pub use place::{PlaceOrigin, search_place, widening};
pub use sector::{SECTORS, SectorError, SectorExplanation, explain, is_compatible, label};
pub use specialty::{SPECIALTIES, Specialty, SpecialtyLookup, describe, lookup};
pub use text::Date;

/// Schema of the structured result of an answer.
pub const RESULT_SCHEMA: &str = "practitioner.search/1";

/// A place of practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Street line, possibly empty.
    pub line: String,
    /// Code postal, possibly empty.
    pub postcode: String,
    /// Commune.
    pub city: String,
}

/// A practitioner as the directory returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practitioner {
    /// RPPS or ADELI number.
    pub id: String,
    /// Family name.
    pub family_name: String,
    /// Given names.
    pub given_name: String,
    /// Profession code (TRE_G15).
    pub profession: String,
    /// Specialty code (TRE_R38).
    pub specialty: Option<String>,
    /// Convention sector, when the source publishes it.
    pub sector: Option<String>,
    /// Places of practice, those in the searched place first.
    pub addresses: Vec<Address>,
}

/// A search sent to the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Search<'a> {
    /// Profession codes (TRE_G15), any of which matches.
    pub professions: &'a [&'a str],
    /// Specialty codes (TRE_R38), any of which matches; empty accepts any.
    pub specialties: &'a [&'a str],
    /// Place as the patient wrote it; `None` searches everywhere.
    pub place: Option<&'a str>,
    /// Maximum number of practitioners returned.
    pub limit: u32,
}

/// Why the directory could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryError {
    /// No Annuaire Santé data has been imported.
    NoData,
    /// The place cannot exist, such as « Lyon 12e »; the message is in
    /// English.
    InvalidPlace(String),
    /// Any other failure, with the source's code and English message.
    Failed {
        /// Stable error code.
        code: String,
        /// English message.
        message: String,
    },
}

/// The practitioners imported from the Annuaire Santé.
pub trait Directory {
    /// Returns the date of the data in service, or
    /// [`DirectoryError::NoData`] before the first import.
    fn imported_at(&self) -> Result<Date, DirectoryError>;

    /// Returns up to `search.limit` practitioners matching `search`, by
    /// name.
    fn search(&self, search: &Search<'_>) -> Result<Vec<Practitioner>, DirectoryError>;
}

/// A rule value in the unit the explanation reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleAmount {
    /// Amount in euro cents.
    Cents(i64),
    /// Rate in basis points (10000 = 100 %).
    BasisPoints(i64),
    /// Yes or no.
    Flag(bool),
    /// Any other unit, which no explanation reads.
    Other,
}

/// A rule value in force at a date, with its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFact {
    /// The value.
    pub value: RuleAmount,
    /// Title of its source, in French.
    pub source_title: String,
    /// Whether the rule set marks the value as still to be confirmed.
    pub to_confirm: bool,
}

/// The host's yearly rule sets.
pub trait RuleSource {
    /// Returns the value of rule `name` in force on `date`, or an English
    /// message saying why there is none.
    fn value_at(&self, name: &str, date: Date) -> Result<RuleFact, String>;
}

/// A question routed to `practitioner.search`.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Slots extracted by the router, as name and value.
    pub slots: &'a [(String, String)],
    /// Profile fields granted by the manifest, as name and JSON value.
    pub profile: &'a [(String, String)],
    /// Date of care, which selects the rule values.
    pub date_of_care: Date,
}

/// A source cited by an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Title, in French.
    pub title: String,
    /// Address of the source, when recorded.
    pub url: Option<String>,
    /// Date of the version used.
    pub date: Option<Date>,
}

/// An answer for the patient.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// French text.
    pub text: String,
    /// Structured result under [`RESULT_SCHEMA`].
    pub body: serde_json::Value,
    /// Sources of the answer.
    pub citations: Vec<Citation>,
}

/// A failure that leaves no answer to give, such as a broken store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    /// Stable error code.
    pub code: String,
    /// English message.
    pub message: String,
}
