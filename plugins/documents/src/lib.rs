//! The `document.analyze` intent plugin: reads the text of a health
//! document (carte de tiers payant, feuille de soins, ordonnance,
//! attestation de droits) into its fields. It checks the identifiers
//! printed on it (NIR key, RPPS and FINESS Luhn digits, AMC and organisme
//! number formats, dates, totals), lists the expected fields it lacks, and
//! sums up in French what the document means for the patient.
//!
//! The text arrives in the slot `document_text`, which `mediflux ask
//! --file` fills. The router's `document_type` slot names the type the
//! patient spoke of, and the text's own markers win when they show another
//! type. Without text, the answer says which fields Mediflux reads on that
//! type and how to give the document. The structured result is a
//! `document.analysis/1` JSON document.
//!
//! The plugin logs nothing and calls no host service, so the document's
//! content stays inside it. The reading is plain Rust tested on the host;
//! the WebAssembly glue only exists on `wasm32`.

mod answer;
mod attestation;
mod checks;
mod date;
mod detect;
mod feuille_soins;
mod fields;
mod ordonnance;
mod text;
mod tiers_payant;

pub use answer::Answer;
pub use attestation::AttestationDroits;
pub use checks::{Check, Identifier, Problem, Verdict};
pub use date::Date;
pub use detect::DocumentType;
pub use feuille_soins::FeuilleDeSoins;
pub use fields::Expected;
pub use ordonnance::Ordonnance;
pub use tiers_payant::CarteTiersPayant;

use text::Line;

/// Intent id this plugin handles.
pub const INTENT: &str = "document.analyze";

/// Schema of the structured result.
pub const SCHEMA: &str = "document.analysis/1";

/// Slot holding the document's text.
pub const TEXT_SLOT: &str = "document_text";

/// Slot holding the document type the patient named.
pub const TYPE_SLOT: &str = "document_type";

/// Slot holding a date the question names, `YYYY-MM-DD` when a full day.
pub const DATE_SLOT: &str = "date";

/// Largest document text read, in bytes. A health document's text is a few
/// kilobytes; the limit keeps a wrong file within the plugin's memory.
pub const MAX_TEXT_BYTES: usize = 512 * 1024;

/// Error of a request the plugin cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// A slot value is not one the plugin reads.
    #[error("slot `{slot}` has the unreadable value `{value}`; expected {expected}")]
    InvalidSlot {
        /// Slot name.
        slot: &'static str,
        /// Its value.
        value: String,
        /// Accepted values.
        expected: &'static str,
    },
    /// The document's text is longer than [`MAX_TEXT_BYTES`].
    #[error(
        "the document text is {bytes} bytes long, over the {MAX_TEXT_BYTES}-byte limit; pass the text of one document"
    )]
    TextTooLong {
        /// Length of the text.
        bytes: usize,
    },
}

impl DocumentError {
    /// Returns the stable error code sent to the host.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidSlot { .. } => "invalid-slot",
            Self::TextTooLong { .. } => "text-too-long",
        }
    }
}

/// The day an answer is about, to tell whether a document is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// The reference day: a day named in the question, or the date of care.
    pub on: Date,
    /// Whether `on` is the date of care (today) rather than a named day.
    pub on_is_today: bool,
}

/// A source an answer relies on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Title of the source.
    pub title: String,
}

/// A document read from its text, by type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// A carte de tiers payant.
    CarteTiersPayant(CarteTiersPayant),
    /// A feuille de soins.
    FeuilleDeSoins(FeuilleDeSoins),
    /// An ordonnance.
    Ordonnance(Ordonnance),
    /// An attestation de droits.
    AttestationDroits(AttestationDroits),
}

impl Document {
    /// Reads the lines as a document of type `kind`.
    pub fn read(kind: DocumentType, text: &str) -> Self {
        let lines: Vec<Line> = text::lines(text);
        match kind {
            DocumentType::CarteTiersPayant => Self::CarteTiersPayant(tiers_payant::read(&lines)),
            DocumentType::FeuilleDeSoins => Self::FeuilleDeSoins(feuille_soins::read(&lines)),
            DocumentType::Ordonnance => Self::Ordonnance(ordonnance::read(&lines)),
            DocumentType::AttestationDroits => Self::AttestationDroits(attestation::read(&lines)),
        }
    }

    /// Returns the fields read, as the JSON object of the structured result.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::CarteTiersPayant(card) => card.to_json(),
            Self::FeuilleDeSoins(form) => form.to_json(),
            Self::Ordonnance(prescription) => prescription.to_json(),
            Self::AttestationDroits(attestation) => attestation.to_json(),
        }
    }

    /// Returns the fields read as French label and value pairs.
    pub fn describe(&self) -> Vec<(String, String)> {
        match self {
            Self::CarteTiersPayant(card) => card.describe(),
            Self::FeuilleDeSoins(form) => form.describe(),
            Self::Ordonnance(prescription) => prescription.describe(),
            Self::AttestationDroits(attestation) => attestation.describe(),
        }
    }

    /// Returns the checks of the identifiers, dates and totals read.
    pub fn checks(&self) -> Vec<Check> {
        match self {
            Self::CarteTiersPayant(card) => card.checks(),
            Self::FeuilleDeSoins(form) => form.checks(),
            Self::Ordonnance(prescription) => prescription.checks(),
            Self::AttestationDroits(attestation) => attestation.checks(),
        }
    }

    /// Returns the French summary for the patient.
    pub fn summary(&self, context: &Context) -> Vec<String> {
        match self {
            Self::CarteTiersPayant(card) => card.summary(context),
            Self::FeuilleDeSoins(form) => form.summary(context),
            Self::Ordonnance(prescription) => prescription.summary(context),
            Self::AttestationDroits(attestation) => attestation.summary(context),
        }
    }

    /// Returns the sources the summary relies on.
    pub fn citations(&self) -> Vec<Citation> {
        match self {
            Self::CarteTiersPayant(card) => card.citations(),
            Self::FeuilleDeSoins(form) => form.citations(),
            Self::Ordonnance(prescription) => prescription.citations(),
            Self::AttestationDroits(attestation) => attestation.citations(),
        }
    }
}

/// Returns the fields Mediflux reads on documents of type `kind`.
pub fn expected_fields(kind: DocumentType) -> &'static [Expected] {
    match kind {
        DocumentType::CarteTiersPayant => tiers_payant::FIELDS,
        DocumentType::FeuilleDeSoins => feuille_soins::FIELDS,
        DocumentType::Ordonnance => ordonnance::FIELDS,
        DocumentType::AttestationDroits => attestation::FIELDS,
    }
}

/// Answers a `document.analyze` request from its slots, on `date_of_care`.
pub fn analyze(slots: &[(String, String)], date_of_care: Date) -> Result<Answer, DocumentError> {
    let slot = |name: &str| {
        slots
            .iter()
            .find(|(slot, _)| slot == name)
            .map(|(_, value)| value.as_str())
    };

    let requested = slot(TYPE_SLOT)
        .map(|value| {
            DocumentType::from_slot(value.trim()).ok_or_else(|| DocumentError::InvalidSlot {
                slot: TYPE_SLOT,
                value: value.to_owned(),
                expected: "carte_tiers_payant, feuille_de_soins, ordonnance or attestation_droits",
            })
        })
        .transpose()?;

    // The router writes a named month or year as `YYYY-MM` or `YYYY`;
    // only a full day sets the reference day.
    let named_day = slot(DATE_SLOT).and_then(Date::parse_iso);
    let context = Context {
        on: named_day.unwrap_or(date_of_care),
        on_is_today: named_day.is_none(),
    };

    let text = slot(TEXT_SLOT).filter(|text| !text.trim().is_empty());
    let Some(text) = text else {
        return Ok(answer::guide(requested));
    };
    if text.len() > MAX_TEXT_BYTES {
        return Err(DocumentError::TextTooLong { bytes: text.len() });
    }

    let detected = detect::detect(&text::lines(text));
    let Some(kind) = detected.or(requested) else {
        return Ok(answer::unknown_type());
    };
    let document = Document::read(kind, text);
    Ok(answer::analysis(
        &document, kind, requested, detected, &context,
    ))
}

#[cfg(target_arch = "wasm32")]
mod plugin;

#[cfg(test)]
mod tests;
