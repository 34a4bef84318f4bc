//! Answers the `cost.medication` and `cost.consultation` intents: builds a
//! [`CostRequest`] from the slots, the profile or an explicit `case` slot,
//! prices medicines from the BDPM reference, runs [`compute`] and writes the
//! French answer, the `cost.breakdown/1` result and the citations.
//!
//! Everything here is portable. The WebAssembly glue in `plugin.rs` only
//! supplies the host's rules and the `bdpm` source through [`RuleSource`]
//! and [`MedicineCatalog`].

mod medicine;
mod profile;
mod slots;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::breakdown::{Assumption, Breakdown};
use crate::case::{
    AlreadyCharged, CareItem, ConsultationCase, ConsultationKind, CostRequest, MedicineCase,
    Pathway, Patient, Specialty,
};
use crate::compute::compute;
use crate::date::Date;
use crate::error::CostError;
use crate::mutuelle::Mutuelle;
use crate::render::{format_date_french, render_french};
use crate::rules::RuleSource;
use crate::when::parse_care_date;

pub use medicine::{
    BoxInfo, CatalogError, MedicineCatalog, MedicineInfo, MedicineQuery, Resolution, resolve,
};
pub use profile::{ProfileFacts, read_profile};
pub use slots::{
    ParsedSector, normalise, parse_consultation_kind, parse_euros, parse_guarantee, parse_sector,
    parse_specialty,
};

/// Intent id of a medicine's cost.
pub const MEDICATION_INTENT: &str = "cost.medication";

/// Intent id of a consultation's cost.
pub const CONSULTATION_INTENT: &str = "cost.consultation";

/// Schema of the structured result: a [`Breakdown`] as JSON, plus
/// `bdpm_imported_at` when medicine prices were read.
pub const BREAKDOWN_SCHEMA: &str = "cost.breakdown/1";

/// Schema of the result when a medicine is not found.
pub const NOT_FOUND_SCHEMA: &str = "cost.medicine-not-found/1";

/// Schema of the result when a medicine has no published price.
pub const NO_PRICE_SCHEMA: &str = "cost.medicine-without-price/1";

/// Title cited for medicine prices and rates.
const BDPM_TITLE: &str = "Base de données publique des médicaments (BDPM)";

/// Address of the BDPM.
const BDPM_URL: &str = "https://base-donnees-publique.medicaments.gouv.fr";

/// A simulation written out in full, as the `case` slot carries it: every
/// field of the [`CostRequest`] is given, and the profile is not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulationCase {
    /// Date of care; `None` takes the date slot, the question, then today.
    pub date: Option<Date>,
    /// The patient.
    pub patient: Patient,
    /// The mutuelle, `None` without one.
    pub mutuelle: Option<Mutuelle>,
    /// Franchises and participations already deducted this year.
    pub already_charged: AlreadyCharged,
    /// Care items priced as given.
    pub items: Vec<CareItem>,
    /// Medicines priced from the BDPM, on one prescription.
    pub medicines: Vec<MedicineQuery>,
    /// Whether to add the per-prescription pharmacy fees to `medicines`.
    #[serde(default)]
    pub include_prescription_fees: bool,
}

/// A routed question, as the host passes it.
#[derive(Debug, Clone, Copy)]
pub struct IntentInput<'a> {
    /// Intent id.
    pub intent: &'a str,
    /// Slots as name and value.
    pub slots: &'a [(String, String)],
    /// Granted profile fields as name and JSON value.
    pub profile: &'a [(String, String)],
    /// The question as the user wrote it.
    pub question: &'a str,
    /// The host's date of care, taken as today when neither the `date` slot
    /// nor the question names a date.
    pub today: Date,
}

/// A source cited by the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Title of the source.
    pub title: String,
    /// Address, when known.
    pub url: Option<String>,
    /// Date of the version used, when known.
    pub date: Option<Date>,
}

/// The answer to an intent.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// French text for the patient.
    pub text: String,
    /// Schema of `body`.
    pub schema: &'static str,
    /// Structured result, as JSON.
    pub body: serde_json::Value,
    /// Sources used.
    pub citations: Vec<Citation>,
}

/// Error returned to the host, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentError {
    /// Stable code: `unknown-intent`, `invalid-slot`, `missing-slot`,
    /// `invalid-case`, `computation-failed` or a code of the `bdpm` source
    /// such as `no-snapshot`.
    pub code: String,
    /// Message for logs and integrators.
    pub message: String,
}

impl IntentError {
    fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

impl From<CatalogError> for IntentError {
    fn from(error: CatalogError) -> Self {
        Self {
            code: error.code,
            message: format!("the bdpm source failed: {}", error.message),
        }
    }
}

/// Answers one routed question.
pub fn answer(
    input: &IntentInput<'_>,
    rules: &dyn RuleSource,
    catalog: &dyn MedicineCatalog,
) -> Result<Answer, IntentError> {
    if input.intent != MEDICATION_INTENT && input.intent != CONSULTATION_INTENT {
        return Err(IntentError::new(
            "unknown-intent",
            format!(
                "intent `{}` is not answered by the cost plugin; use {MEDICATION_INTENT} or {CONSULTATION_INTENT}",
                input.intent
            ),
        ));
    }

    let mut assumptions = Vec::new();
    let (mut request, medicines, include_prescription_fees) = match slot(input, "case") {
        Some(case) => from_case(input, case, &mut assumptions)?,
        None => from_slots(input, &mut assumptions)?,
    };

    let mut snapshot = None;
    if !medicines.is_empty() {
        let imported = catalog.snapshot_date()?;
        snapshot = Some(imported);
        let mut lines = Vec::new();
        for query in &medicines {
            match resolve(query, catalog)? {
                Resolution::Found { line, assumption } => {
                    lines.push(line);
                    assumptions.extend(assumption);
                }
                Resolution::NotFound { suggestions } => {
                    return Ok(not_found(&query.name, &suggestions, imported));
                }
                Resolution::NoPrice { name } => return Ok(no_price(&name, imported)),
            }
        }
        request.items.push(CareItem::Medicines(MedicineCase {
            lines,
            include_prescription_fees,
        }));
    }

    let mut breakdown = compute(&request, rules).map_err(|error| match error {
        CostError::RuleNotFound { .. } | CostError::RuleSourceFailed { .. } => {
            IntentError::new("rules-unavailable", error.to_string())
        }
        other => IntentError::new("invalid-case", other.to_string()),
    })?;
    assumptions.append(&mut breakdown.assumptions);
    breakdown.assumptions = assumptions;

    Ok(breakdown_answer(&breakdown, snapshot))
}

/// Returns the value of slot `name`, unless absent or blank.
fn slot<'a>(input: &IntentInput<'a>, name: &str) -> Option<&'a str> {
    input
        .slots
        .iter()
        .find(|(slot, _)| slot == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Builds the request from an explicit `case` slot.
fn from_case(
    input: &IntentInput<'_>,
    case: &str,
    assumptions: &mut Vec<Assumption>,
) -> Result<(CostRequest, Vec<MedicineQuery>, bool), IntentError> {
    let case: SimulationCase = serde_json::from_str(case)
        .map_err(|error| IntentError::new("invalid-case", format!("invalid case slot: {error}")))?;
    let date = match case.date {
        Some(date) => date,
        None => care_date(input, assumptions)?,
    };
    let request = CostRequest {
        date,
        patient: case.patient,
        mutuelle: case.mutuelle,
        already_charged: case.already_charged,
        items: case.items,
    };
    Ok((request, case.medicines, case.include_prescription_fees))
}

/// Builds the request from the router's slots and the profile.
fn from_slots(
    input: &IntentInput<'_>,
    assumptions: &mut Vec<Assumption>,
) -> Result<(CostRequest, Vec<MedicineQuery>, bool), IntentError> {
    let date = care_date(input, assumptions)?;
    let invalid = |message: String| IntentError::new("invalid-slot", message);
    let mut facts = read_profile(input.profile, date);
    question_facts(input, &mut facts).map_err(invalid)?;

    let mutuelle = match slot(input, "mutuelle_level") {
        Some(level) if matches!(normalise(level).as_str(), "aucune" | "sans" | "non") => None,
        Some(level) => Some(Mutuelle::responsible(
            parse_guarantee(level).map_err(invalid)?,
        )),
        None => facts.mutuelle.clone(),
    };
    if facts.has_ald {
        assumptions.push(assumption(
            "ald_not_linked",
            "Soins supposés sans lien avec votre affection de longue durée (ALD) : taux de remboursement habituel.",
            "Précisez si ces soins sont liés à votre ALD : ils sont alors remboursés à 100 % de la base.",
        ));
    }

    let mut items = Vec::new();
    let mut medicines = Vec::new();
    if input.intent == MEDICATION_INTENT {
        let Some(name) = slot(input, "medication") else {
            return Err(IntentError::new(
                "missing-slot",
                "the cost.medication intent needs the `medication` slot: a medicine name or a CIP13 code",
            ));
        };
        medicines.push(MedicineQuery {
            name: name.to_owned(),
            dosage: slot(input, "dosage").map(str::to_owned),
            quantity: 1,
            ald_linked: false,
        });
    } else {
        items.push(CareItem::Consultation(consultation_from_slots(
            input,
            &facts,
            assumptions,
        )?));
    }

    let request = CostRequest {
        date,
        patient: facts.patient,
        mutuelle,
        already_charged: AlreadyCharged::default(),
        items,
    };
    // A routed question prices the boxes alone; the answer says the
    // per-prescription fees are left out and how to include them.
    Ok((request, medicines, false))
}

/// Overrides the profile with the patient facts stated in the question:
/// the `patient_age` slot (« pour mon fils de 4 ans »), and the
/// `medecin_traitant` or `parcours` slots (« je n'ai pas de médecin
/// traitant », « hors parcours »).
fn question_facts(input: &IntentInput<'_>, facts: &mut ProfileFacts) -> Result<(), String> {
    if let Some(age) = slot(input, "patient_age") {
        let years = age.parse::<u32>().map_err(|_| {
            format!("invalid patient_age slot {age:?}: use a whole number of years")
        })?;
        facts.patient.age_years = Some(years);
    }
    let outside = slot(input, "parcours") == Some("hors");
    match slot(input, "medecin_traitant") {
        _ if outside => facts.medecin_traitant = Some(false),
        Some("non") => facts.medecin_traitant = Some(false),
        Some("oui") => facts.medecin_traitant = Some(true),
        _ => {}
    }
    Ok(())
}

/// Builds a consultation from the `specialty`, `sector` and `amount` slots.
fn consultation_from_slots(
    input: &IntentInput<'_>,
    facts: &ProfileFacts,
    assumptions: &mut Vec<Assumption>,
) -> Result<ConsultationCase, IntentError> {
    let invalid = |message: String| IntentError::new("invalid-slot", message);

    let specialty = match slot(input, "specialty") {
        Some(text) => parse_specialty(text).map_err(invalid)?,
        None => {
            assumptions.push(assumption(
                "specialty_unknown",
                "Spécialité du médecin non précisée : médecin généraliste supposé.",
                "Précisez la spécialité, par exemple « cardiologue ».",
            ));
            Specialty::GeneralPractitioner
        }
    };
    let teleconsultation = normalise(input.question).contains("teleconsultation")
        || slot(input, "act") == Some("teleconsultation")
        || slot(input, "specialty").is_some_and(|text| normalise(text).contains("tele"));
    let sector = match slot(input, "sector") {
        Some(text) => {
            let parsed = parse_sector(text).map_err(invalid)?;
            if parsed.optam_assumed {
                assumptions.push(assumption(
                    "optam_assumed",
                    "Médecin de secteur 2 supposé adhérent à l'OPTAM : base de remboursement du secteur 1.",
                    "Précisez « secteur 2 non OPTAM » si le médecin n'a pas signé l'OPTAM.",
                ));
            }
            Some(parsed.sector)
        }
        None => None,
    };
    let billed_cents = match slot(input, "amount") {
        Some(text) => Some(parse_euros(text).map_err(invalid)?),
        None => None,
    };
    let pathway = facts.medecin_traitant.map(|declared| {
        if declared {
            Pathway::Respected
        } else {
            Pathway::NotRespected
        }
    });

    Ok(ConsultationCase {
        label: None,
        specialty,
        kind: if teleconsultation {
            ConsultationKind::Teleconsultation
        } else {
            ConsultationKind::Office
        },
        sector,
        billed_cents,
        pathway,
        ald_linked: false,
        participations_today_cents: 0,
    })
}

/// Returns the date of care: the `date` slot, else a date in the question,
/// else today. A date that is not a precise day adds its assumption.
fn care_date(
    input: &IntentInput<'_>,
    assumptions: &mut Vec<Assumption>,
) -> Result<Date, IntentError> {
    if let Some(text) = slot(input, "date")
        && let Ok(date) = text.parse::<Date>()
    {
        return Ok(date);
    }
    let from_slot = slot(input, "date").map(date_slot_as_french);
    let text = from_slot.as_deref().unwrap_or(input.question);
    let found = parse_care_date(text, input.today)
        .map_err(|error| IntentError::new("invalid-slot", error.to_string()))?;
    assumptions.extend(found.assumption());
    Ok(found.date)
}

/// Rewrites a router date slot of the form `YYYY-MM` or `YYYY` as the French
/// words `parse_care_date` reads (« en mars 2025 », « en 2025 »), so that a
/// month or a year keeps its meaning; other text passes through unchanged.
fn date_slot_as_french(slot: &str) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let mut parts = slot.split('-');
    let year = parts
        .next()
        .filter(|year| year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()));
    let month = parts.next().and_then(|month| month.parse::<usize>().ok());
    match (year, month, parts.next()) {
        (Some(year), None, None) => format!("en {year}"),
        (Some(year), Some(month @ 1..=12), None) => format!("en {} {year}", MONTHS[month - 1]),
        _ => slot.to_owned(),
    }
}

fn assumption(code: &str, text: &str, how_to_change: &str) -> Assumption {
    Assumption {
        code: code.to_owned(),
        text: text.to_owned(),
        how_to_change: how_to_change.to_owned(),
    }
}

/// Writes the answer of a computed breakdown.
fn breakdown_answer(breakdown: &Breakdown, snapshot: Option<Date>) -> Answer {
    let mut text = render_french(breakdown);
    let mut citations: Vec<Citation> = Vec::new();
    for rule in &breakdown.rules_used {
        if !citations
            .iter()
            .any(|known| known.title == rule.source_title)
        {
            citations.push(Citation {
                title: rule.source_title.clone(),
                url: None,
                date: None,
            });
        }
    }

    let mut body = serde_json::to_value(breakdown).unwrap_or_default();
    if let Some(imported) = snapshot {
        text.push_str(&format!(
            "Prix et taux des médicaments\u{a0}: {BDPM_TITLE}, import du {}.\n",
            format_date_french(imported)
        ));
        citations.push(bdpm_citation(imported));
        if let Some(object) = body.as_object_mut() {
            object.insert("bdpm_imported_at".to_owned(), json!(imported.to_string()));
        }
    }

    Answer {
        text,
        schema: BREAKDOWN_SCHEMA,
        body,
        citations,
    }
}

fn bdpm_citation(imported: Date) -> Citation {
    Citation {
        title: BDPM_TITLE.to_owned(),
        url: Some(BDPM_URL.to_owned()),
        date: Some(imported),
    }
}

/// Writes the answer for a medicine the BDPM does not know.
fn not_found(name: &str, suggestions: &[String], imported: Date) -> Answer {
    let mut text = format!(
        "Je ne trouve pas «\u{a0}{name}\u{a0}» dans la base des médicaments (BDPM, import du {}).",
        format_date_french(imported)
    );
    if suggestions.is_empty() {
        text.push_str(" Aucun nom proche.");
    } else {
        text.push_str(&format!(
            " Noms proches\u{a0}: {}.",
            suggestions.join("\u{a0}; ")
        ));
    }
    text.push_str(
        " Vérifiez l'orthographe, ou donnez le code CIP13 à 13 chiffres inscrit sur la boîte.\n",
    );
    Answer {
        text,
        schema: NOT_FOUND_SCHEMA,
        body: json!({
            "query": name,
            "suggestions": suggestions,
            "bdpm_imported_at": imported.to_string(),
        }),
        citations: vec![bdpm_citation(imported)],
    }
}

/// Writes the answer for a medicine without a published price.
fn no_price(name: &str, imported: Date) -> Answer {
    Answer {
        text: format!(
            "La BDPM (import du {}) ne publie aucun prix pour {name}\u{a0}: ce médicament n'est pas remboursable, ou plus commercialisé. Son prix est libre et le reste à charge est ce que la pharmacie facture.\n",
            format_date_french(imported)
        ),
        schema: NO_PRICE_SCHEMA,
        body: json!({ "medicine": name, "bdpm_imported_at": imported.to_string() }),
        citations: vec![bdpm_citation(imported)],
    }
}

/// Returns whether a `rules.value-at` error message from the host means
/// that the value is missing on that date, rather than a failure.
///
/// NOTE: the host sends only the text of `mediflux_rules::LookupError`, so
/// this matches the wording of its `NoRuleSet`, `UnknownName` and
/// `NotInForce` messages.
pub fn is_missing_rule(message: &str) -> bool {
    message.starts_with("no rule set for year")
        || message.starts_with("unknown rule `")
        || message.contains("` is not in force on ")
}

/// Returns the code a data source returned, read through the host's
/// `source-failed` wrapper when present.
///
/// NOTE: the host passes a source's own error as `source-failed` with the
/// text "plugin … returned error `CODE`: …", so the code is read from that
/// wording.
pub fn source_error_code(code: &str, message: &str) -> String {
    const MARKER: &str = "returned error `";
    if code == "source-failed"
        && let Some(start) = message.find(MARKER)
    {
        let rest = &message[start + MARKER.len()..];
        if let Some(end) = rest.find('`') {
            return rest[..end].to_owned();
        }
    }
    code.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_slot_month_and_year_become_french() {
        assert_eq!(date_slot_as_french("2025-03"), "en mars 2025");
        assert_eq!(date_slot_as_french("2023"), "en 2023");
        assert_eq!(date_slot_as_french("2025-13"), "2025-13");
        assert_eq!(date_slot_as_french("hier"), "hier");
    }

    #[test]
    fn source_code_unwraps_host_wrapper() {
        let message = "plugin bdpm 0.1.0 returned error `no-snapshot`: no BDPM data";
        assert_eq!(source_error_code("source-failed", message), "no-snapshot");
        assert_eq!(
            source_error_code("source-failed", "timed out"),
            "source-failed"
        );
        assert_eq!(source_error_code("denied", message), "denied");
    }

    #[test]
    fn missing_rule_messages_are_recognised() {
        assert!(is_missing_rule(
            "no rule set for year 2031; loaded years: 2023, 2024"
        ));
        assert!(is_missing_rule(
            "unknown rule `x.y` in the 2025 rule set; check"
        ));
        assert!(is_missing_rule(
            "`x` is not in force on 2024-01-01: its first step is dated 2024-03-31"
        ));
        assert!(!is_missing_rule("rules folder is invalid"));
    }
}
