//! `CIS_InfoImportantes_AAAAMMJJhhmiss_bdpm.txt`: important safety
//! information about specialties.
//!
//! NOTE: this parser was tested only on a hand-made fixture, because no real
//! copy of the file was available. The layout follows the format document:
//! CIS, start date, end date, then an HTML `<a href=…>` link whose text
//! contains entities such as `&ecirc;`. A 2026-05-09 copy was reported to
//! use ISO dates, unlike the document, so both forms are accepted.

use serde::{Deserialize, Serialize};

use crate::html::{clean_text, first_link};
use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::parsed::RejectReason;
use crate::record::{Record, Schema, parse_records};
use crate::value::Date;

/// A piece of important information about a specialty, from
/// `CIS_InfoImportantes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportantInformation {
    /// Code CIS, 8 digits.
    pub cis: String,
    /// Date de début, if given.
    pub start_date: Option<Date>,
    /// Date de fin, if given.
    pub end_date: Option<Date>,
    /// The HTML fragment as published, trimmed, kept because its link is
    /// the information itself.
    pub html: String,
    /// The fragment's text, tags removed and entities decoded.
    pub text: String,
    /// Target of the fragment's first link, entities decoded.
    pub url: Option<String>,
}

const SCHEMA: Schema = Schema {
    kind: FileKind::ImportantInformation,
    columns: &["CIS code", "start date", "end date", "HTML text"],
    required: 4,
};

/// Parses `CIS_InfoImportantes`.
pub fn parse_important_information(bytes: &[u8]) -> Parsed<ImportantInformation> {
    parse_records(&SCHEMA, bytes, |record| {
        let html = record.required_text(3)?;

        Ok(ImportantInformation {
            cis: record.code(0, 8)?,
            start_date: date(record, 1)?,
            end_date: date(record, 2)?,
            text: clean_text(&html).into_owned(),
            url: first_link(&html),
            html,
        })
    })
}

/// Reads an ISO `YYYY-MM-DD` date, the form seen in the data, or the
/// `DD/MM/YYYY` form the format document announces.
fn date(record: &Record<'_>, index: usize) -> Result<Option<Date>, RejectReason> {
    record.optional_date(
        index,
        |text| Date::parse_iso(text).or_else(|| Date::parse_dmy(text)),
        "YYYY-MM-DD or DD/MM/YYYY",
    )
}
