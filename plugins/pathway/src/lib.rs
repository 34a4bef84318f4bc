//! The `care.pathway` intent plugin: the recommended sequence of care in
//! France for a condition (who, what, how often), what its affection de
//! longue durée (ALD) changes, the coordinated pathway rules, and waiting
//! times for an appointment when the question asks about them.
//!
//! The facts live in `manifests/pathways/fr.toml`, embedded at build time
//! as [`PATHWAYS_TOML`] and parsed strictly by [`Pathways::parse`]. The
//! ALD reimbursement rate comes from the yearly rule sets through
//! [`AldRules`]. The logic is plain Rust tested on the host; the
//! WebAssembly glue in `plugin.rs` only exists on `wasm32`.

mod ald;
mod data;
mod date;
mod error;
mod profile;
mod question;
mod render;

#[cfg(target_arch = "wasm32")]
mod plugin;

use serde_json::{Value, json};

pub use ald::{ALD_PARTICIPATIONS_RULE, ALD_RATE_RULE, AldCover, AldRules, RuleFact};
pub use data::{
    Ald, AldStatus, CONDITION_IDS, Condition, Fact, General, Pathways, Programme, SCHEMA_VERSION,
    SPECIALTY_IDS, Source, SpecialtyWaits, Step, WaitTimes,
};
pub use date::{Date, SourceDate};
pub use error::PathwayError;
pub use profile::{Patient, read_profile};
pub use question::{QuestionFacts, normalize, read_question};
pub use render::{Citation, french_spacing};

/// Intent id this plugin handles.
pub const INTENT: &str = "care.pathway";

/// Schema of the structured result.
pub const SCHEMA: &str = "care.pathway/1";

/// The pathway data shipped with the plugin.
pub const PATHWAYS_TOML: &str = include_str!("../../../manifests/pathways/fr.toml");

/// A routed question, as the host sends it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Intent id.
    pub intent: &'a str,
    /// Slots extracted by the router: `condition` and `location`.
    pub slots: &'a [(String, String)],
    /// Granted profile fields as name and JSON value.
    pub profile: &'a [(String, String)],
    /// The question as the user wrote it.
    pub question: &'a str,
    /// Date of care.
    pub date_of_care: Date,
}

/// The plugin's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// French text for the patient.
    pub text: String,
    /// Structured result under [`SCHEMA`].
    pub body: Value,
    /// Sources, in the order the text numbers them.
    pub citations: Vec<Citation>,
}

/// Answers `request` from `pathways`, reading the ALD rules from `rules`.
///
/// A question with a known `condition` slot gets that pathway; one that
/// asks about delays or names a specialty without a condition gets the
/// waiting times; any other gets the list of conditions covered.
pub fn answer(
    request: &Request<'_>,
    pathways: &Pathways,
    rules: &dyn AldRules,
) -> Result<Answer, PathwayError> {
    if request.intent != INTENT {
        return Err(PathwayError::UnknownIntent {
            intent: request.intent.to_owned(),
        });
    }
    let slot = |name: &str| {
        request
            .slots
            .iter()
            .find(|(slot, _)| slot == name)
            .map(|(_, value)| value.as_str())
    };
    let condition = slot("condition").and_then(|id| {
        CONDITION_IDS
            .iter()
            .find(|known| **known == id)
            .and_then(|known| pathways.conditions.get(*known).map(|found| (*known, found)))
    });
    let location = slot("location");
    let question = read_question(request.question);
    let patient = read_profile(request.profile, request.date_of_care);

    let waits = wait_specialties(&question, condition.map(|(_, found)| found), pathways);
    let mut writer = render::Writer::new(pathways);
    let mut body = json!({ "condition": Value::Null });

    match condition {
        Some((id, found)) => {
            let cover =
                ald_applies(id, found, &patient).then(|| rules.ald_cover(request.date_of_care));
            writer.pathway(id, found, &patient, cover.as_ref());
            writer.general(&patient);
            if !waits.is_empty() {
                writer.wait_times(&waits, location, &patient);
            }
            body = pathway_body(id, found, &patient, cover.as_ref());
        }
        None if !waits.is_empty() => {
            writer.wait_times(&waits, location, &patient);
            writer.general(&patient);
            writer
                .conditions_list("Je peux aussi décrire le parcours de soins de ces affections :");
        }
        None => {
            writer.line("Je ne connais pas le parcours de soins de l'affection de cette question.");
            writer.conditions_list("Je décris le parcours de soins de ces affections :");
            writer.line("");
            writer.line("Demandez par exemple : « Parcours de soins pour le diabète de type 2 » ou « Quel suivi pour l'hypertension ? ».");
        }
    }

    body["wait_times"] = waits_body(&waits, pathways);
    body["conditions_covered"] = pathways
        .conditions_in_order()
        .map(|(id, found)| json!({ "id": id, "label": found.label }))
        .collect();
    let (text, citations) = writer.finish();
    body["sources"] = citations
        .iter()
        .map(|citation| {
            json!({
                "id": citation.id,
                "title": citation.title,
                "url": citation.url,
                "date": citation.date.map(|date| date.to_string()),
                "unverified": citation.unverified,
            })
        })
        .collect();

    Ok(Answer {
        text,
        body,
        citations,
    })
}

/// Returns the wait-time specialties to show: those the question names,
/// else, for a question about delays, the condition's or every one.
fn wait_specialties(
    question: &QuestionFacts,
    condition: Option<&Condition>,
    pathways: &Pathways,
) -> Vec<String> {
    let named: Vec<String> = question
        .specialties
        .iter()
        .filter(|id| pathways.wait_times.specialties.contains_key(**id))
        .map(|id| (*id).to_owned())
        .collect();
    if !named.is_empty() || !question.asks_delay {
        return named;
    }
    match condition {
        Some(condition) => condition.specialties.clone(),
        None => SPECIALTY_IDS
            .iter()
            .filter(|id| pathways.wait_times.specialties.contains_key(**id))
            .map(|id| (*id).to_owned())
            .collect(),
    }
}

/// Whether the answer states what the ALD changes: the condition is an
/// ALD, at least in some forms, or the patient's profile lists it as one.
fn ald_applies(id: &str, condition: &Condition, patient: &Patient) -> bool {
    matches!(
        condition.ald.status,
        AldStatus::Yes | AldStatus::Conditional
    ) || patient.ald_for(id).is_some()
}

fn pathway_body(
    id: &str,
    condition: &Condition,
    patient: &Patient,
    cover: Option<&Result<AldCover, String>>,
) -> Value {
    let cover_body = match cover {
        Some(Ok(cover)) => json!({
            "rate_basis_points": cover.rate_basis_points.value,
            "participations_exempt": cover.participations_exempt.value,
        }),
        Some(Err(message)) => json!({ "error": message }),
        None => Value::Null,
    };
    json!({
        "condition": id,
        "label": condition.label,
        "overview": condition.overview,
        "ald": {
            "status": condition.ald.status,
            "number": condition.ald.number,
            "facts": condition.ald.facts,
            "in_profile": patient.ald_for(id).is_some(),
            "cover": cover_body,
        },
        "steps": condition.steps,
        "dependencies": condition.dependencies,
        "programmes": condition.programmes,
    })
}

fn waits_body(waits: &[String], pathways: &Pathways) -> Value {
    waits
        .iter()
        .filter_map(|id| {
            let found = pathways.wait_times.specialties.get(id)?;
            Some(json!({ "specialty": id, "label": found.label, "figures": found.figures }))
        })
        .collect()
}

#[cfg(test)]
mod tests;
