//! Answers the `medication.info` intent: finds the medicine named by the
//! slots, reads its boxes and generic groups from the `bdpm` source, and
//! returns the French text, the `medication.info/1` result and the
//! citation of the BDPM.

use serde_json::{Value, json};

use crate::lookup::{Lookup, find_by_name};
use crate::record::{medicine_record, ranked_members};
use crate::render::{self, BDPM_URL, CANDIDATES_LISTED, medicine_url};
use crate::source::{
    GenericGroupRecord, MedicineRecord, MedicineSource, NO_SNAPSHOT, Role, SnapshotDate,
    SourceError,
};
use crate::topic::{Topic, topics_of};

/// Intent id this plugin answers.
pub const INTENT: &str = "medication.info";

/// Schema of the structured result. Its `status` is `found`, `several`,
/// `not-found`, `strength-not-found`, `missing-name` or `no-data`.
pub const SCHEMA: &str = "medication.info/1";

/// Title cited for every answer.
const BDPM_TITLE: &str = "Base de données publique des médicaments (ANSM)";

/// A routed question, as the host passes it.
#[derive(Debug, Clone, Copy)]
pub struct IntentInput<'a> {
    /// Intent id.
    pub intent: &'a str,
    /// Slots as name and value: `medication`, `dosage` and `cis`.
    pub slots: &'a [(String, String)],
    /// The question as the user wrote it.
    pub question: &'a str,
}

impl IntentInput<'_> {
    fn slot(&self, name: &str) -> Option<&str> {
        self.slots
            .iter()
            .find(|(slot, _)| slot == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }
}

/// A source cited by an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Title of the source.
    pub title: String,
    /// Address, when known.
    pub url: Option<String>,
    /// Date of the data used, when known.
    pub date: Option<SnapshotDate>,
}

/// The answer to one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// French text for the patient.
    pub text: String,
    /// Structured result under [`SCHEMA`].
    pub body: Value,
    /// Sources used.
    pub citations: Vec<Citation>,
}

/// Failure to answer a question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The host routed another intent to this plugin.
    #[error("intent `{0}` is not answered by the medication plugin; it answers {INTENT}")]
    UnknownIntent(String),
    /// The `bdpm` source failed for another reason than missing data.
    #[error(transparent)]
    Source(#[from] SourceError),
}

impl AnswerError {
    /// Returns the stable code sent to the host: `unknown-intent` or the
    /// code of the `bdpm` source.
    pub fn code(&self) -> &str {
        match self {
            Self::UnknownIntent(_) => "unknown-intent",
            Self::Source(error) => &error.code,
        }
    }
}

/// Answers one routed `medication.info` question from `source`.
pub fn answer(input: &IntentInput<'_>, source: &dyn MedicineSource) -> Result<Answer, AnswerError> {
    if input.intent != INTENT {
        return Err(AnswerError::UnknownIntent(input.intent.to_owned()));
    }

    let snapshot = match source.snapshot_date() {
        Ok(date) => date,
        Err(error) if error.code == NO_SNAPSHOT => return Ok(no_data()),
        Err(error) => return Err(error.into()),
    };
    let topics = topics_of(input.question);

    if let Some(cis) = input.slot("cis") {
        return match source.medicine(cis)? {
            Some(medicine) => found(medicine, &topics, snapshot, source),
            None => Ok(with_citation(
                render::unknown_cis(cis, snapshot),
                json!({ "status": "not-found", "cis": cis }),
                BDPM_URL.to_owned(),
                snapshot,
            )),
        };
    }
    let Some(name) = input.slot("medication") else {
        return Ok(Answer {
            text: render::missing_name(),
            body: json!({ "status": "missing-name" }),
            citations: Vec::new(),
        });
    };
    let dosage = input.slot("dosage");

    match find_by_name(name, dosage, input.question, source)? {
        Lookup::Found(medicine) => found(medicine, &topics, snapshot, source),
        Lookup::Several {
            candidates,
            complete,
        } => several(
            name,
            dosage,
            &candidates,
            complete,
            &topics,
            snapshot,
            source,
        ),
        Lookup::MissingStrength { strength, named } => Ok(with_citation(
            render::missing_strength(name, strength, &named, snapshot),
            json!({
                "status": "strength-not-found",
                "name": name,
                "dosage": dosage,
                "candidates": named.iter().map(candidate_json).collect::<Vec<_>>(),
            }),
            BDPM_URL.to_owned(),
            snapshot,
        )),
        Lookup::NotFound { suggestions } => Ok(with_citation(
            render::not_found(name, &suggestions, snapshot),
            json!({ "status": "not-found", "name": name, "suggestions": suggestions }),
            BDPM_URL.to_owned(),
            snapshot,
        )),
    }
}

/// Writes the full record of one medicine, with its generic groups.
fn found(
    medicine: MedicineRecord,
    topics: &[Topic],
    snapshot: SnapshotDate,
    source: &dyn MedicineSource,
) -> Result<Answer, AnswerError> {
    let groups = source.generics(&medicine.cis)?;
    let text = medicine_record(&medicine, &groups, topics, snapshot);
    let body = json!({
        "status": "found",
        "snapshot_date": iso(snapshot),
        "topics": topics.iter().map(|topic| topic_name(*topic)).collect::<Vec<_>>(),
        "medicine": medicine_json(&medicine),
        "generic_groups": groups.iter().map(group_json).collect::<Vec<_>>(),
    });
    Ok(with_citation(
        text,
        body,
        medicine_url(&medicine.cis),
        snapshot,
    ))
}

/// Lists several matching medicines; for a question on generics, with the
/// generic group of each listed one.
fn several(
    name: &str,
    dosage: Option<&str>,
    candidates: &[MedicineRecord],
    complete: bool,
    topics: &[Topic],
    snapshot: SnapshotDate,
    source: &dyn MedicineSource,
) -> Result<Answer, AnswerError> {
    let groups = if topics.contains(&Topic::Generics) {
        let mut groups = Vec::new();
        for candidate in candidates.iter().take(CANDIDATES_LISTED) {
            groups.push(source.generics(&candidate.cis)?);
        }
        Some(groups)
    } else {
        None
    };

    let requested = match dosage {
        Some(dosage) => format!("{name} {dosage}"),
        None => name.to_owned(),
    };
    let text = render::several(
        &requested,
        candidates,
        complete,
        groups.as_deref(),
        topics,
        snapshot,
    );
    let body = json!({
        "status": "several",
        "name": name,
        "dosage": dosage,
        "complete": complete,
        "snapshot_date": iso(snapshot),
        "candidates": candidates.iter().map(candidate_json).collect::<Vec<_>>(),
    });
    Ok(with_citation(text, body, BDPM_URL.to_owned(), snapshot))
}

/// Builds the answer given when no BDPM data is installed.
fn no_data() -> Answer {
    Answer {
        text: render::no_data(),
        body: json!({ "status": "no-data" }),
        citations: Vec::new(),
    }
}

fn with_citation(text: String, body: Value, url: String, snapshot: SnapshotDate) -> Answer {
    Answer {
        text,
        body,
        citations: vec![Citation {
            title: BDPM_TITLE.to_owned(),
            url: Some(url),
            date: Some(snapshot),
        }],
    }
}

fn iso(date: SnapshotDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
}

fn topic_name(topic: Topic) -> &'static str {
    match topic {
        Topic::Generics => "generics",
        Topic::Price => "price",
        Topic::Composition => "composition",
        Topic::Availability => "availability",
        Topic::Indication => "indication",
        Topic::Leaflet => "leaflet",
        Topic::HasOpinion => "has-opinion",
        Topic::Prescription => "prescription",
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Princeps => "princeps",
        Role::Generic => "generic",
        Role::ComplementaryPosology => "complementary-posology",
        Role::Substitutable => "substitutable",
    }
}

fn medicine_json(medicine: &MedicineRecord) -> Value {
    json!({
        "cis": medicine.cis,
        "name": medicine.name,
        "form": medicine.form.trim(),
        "routes": medicine.routes,
        "authorisation_status": medicine.authorisation_status,
        "marketed": medicine.marketed,
        "holders": medicine.holders.iter().map(|holder| holder.trim()).collect::<Vec<_>>(),
        "reinforced_monitoring": medicine.reinforced_monitoring,
        "url": medicine_url(&medicine.cis),
        "presentations": medicine.boxes.iter().map(|found| json!({
            "cip13": found.cip13,
            "label": found.label.split_whitespace().collect::<Vec<_>>().join(" "),
            "marketed": found.marketed,
            "price_cents": found.price_cents,
            "public_price_cents": found.public_price_cents,
            "rate_percent": found.rate_percent,
        })).collect::<Vec<_>>(),
    })
}

fn candidate_json(medicine: &MedicineRecord) -> Value {
    json!({
        "cis": medicine.cis,
        "name": medicine.name,
        "marketed": medicine.marketed,
        "cheapest_public_price_cents": medicine
            .cheapest_marketed_box()
            .and_then(|cheapest| cheapest.public_price_cents),
    })
}

fn group_json(group: &GenericGroupRecord) -> Value {
    json!({
        "id": group.id,
        "label": group.label,
        "members": ranked_members(group).into_iter().map(|member| json!({
            "cis": member.cis,
            "name": member.medicine.as_ref().map(|medicine| medicine.name.as_str()),
            "role": role_name(member.role),
            "rank": member.rank,
            "cheapest_public_price_cents": member
                .medicine
                .as_ref()
                .and_then(MedicineRecord::cheapest_marketed_box)
                .and_then(|cheapest| cheapest.public_price_cents),
        })).collect::<Vec<_>>(),
    })
}
