//! The pathway data file (`manifests/pathways/fr.toml`): its schema,
//! strict parsing and the checks that the TOML types cannot express.
//!
//! The file's header comment documents the schema for its editors; the
//! types below follow it field by field and reject unknown keys.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::SourceDate;
use crate::error::PathwayError;

/// Schema version this crate reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Canonical `condition` slot values, in the order answers list them.
pub const CONDITION_IDS: &[&str] = &[
    "diabete_type_2",
    "lombalgie_chronique",
    "hypertension",
    "asthme",
    "bpco",
    "depression",
    "insuffisance_cardiaque",
    "grossesse",
    "obesite",
];

/// Specialty ids a wait-time table may use, in the order answers list
/// them: the canonical `specialty` slot values, plus `radiologue`, which
/// the wait-time studies report but the slot has no value for.
pub const SPECIALTY_IDS: &[&str] = &[
    "generaliste",
    "specialiste",
    "cardiologue",
    "dermatologue",
    "ophtalmologue",
    "pediatre",
    "psychiatre",
    "gynecologue",
    "rhumatologue",
    "orl",
    "dentiste",
    "kinesitherapeute",
    "sage-femme",
    "infirmier",
    "orthophoniste",
    "pharmacien",
    "radiologue",
];

/// Months of pregnancy.
const PREGNANCY_MONTHS: std::ops::RangeInclusive<u32> = 1..=9;

/// Oldest age a fact may name, in years.
const MAX_AGE_YEARS: u32 = 130;

/// The whole pathway file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pathways {
    /// Schema version, [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Documents the facts rely on, by id.
    pub sources: BTreeMap<String, Source>,
    /// Coordinated pathway rules shown with every pathway.
    pub general: General,
    /// Pathways by `condition` slot value.
    pub conditions: BTreeMap<String, Condition>,
    /// Waiting times for an appointment.
    pub wait_times: WaitTimes,
}

/// A document that facts rely on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title or description of the document, in French.
    pub title: String,
    /// Address of the document, when one is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<SourceDate>,
    /// Part of the reference itself, such as its number, is unverified.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
}

/// A sourced statement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The statement, in French.
    pub text: String,
    /// Ids of the sources it relies on.
    pub sources: Vec<String>,
    /// The statement rests on a single secondary source or an inference.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// Youngest age, in years, the statement applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// Oldest age, in years, the statement applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u32>,
}

/// Coordinated pathway rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct General {
    /// Médecin traitant, penalty outside the pathway, direct access.
    pub facts: Vec<Fact>,
    /// Facts about ALD in general.
    pub ald: Vec<Fact>,
}

/// The care pathway of one condition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// French name, lowercase, as used mid-sentence.
    pub label: String,
    /// Wait-time specialties shown when a delay question names none.
    pub specialties: Vec<String>,
    /// Facts shown before the steps.
    #[serde(default)]
    pub overview: Vec<Fact>,
    /// The condition's affection de longue durée.
    pub ald: Ald,
    /// Steps of care, in order.
    pub steps: Vec<Step>,
    /// Prescriptions and orders between steps.
    #[serde(default)]
    pub dependencies: Vec<Fact>,
    /// Support programmes.
    #[serde(default)]
    pub programmes: Vec<Programme>,
}

/// Whether a condition is an affection de longue durée.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AldStatus {
    /// The condition is an ALD.
    Yes,
    /// Only some forms of the condition are an ALD.
    Conditional,
    /// The condition was an ALD and was removed from the list.
    Removed,
    /// The condition is not an ALD.
    None,
}

/// The affection de longue durée of a condition.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ald {
    /// Whether the condition is an ALD.
    pub status: AldStatus,
    /// ALD number in the list, when the condition has or had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Statements about the ALD.
    pub facts: Vec<Fact>,
}

/// One step of care.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The care or decision.
    pub what: String,
    /// Provider of the step, when the sources name one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// How often or when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// Patients or situations the step is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    /// Cover by the Assurance Maladie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover: Option<String>,
    /// Ids of the sources it relies on.
    pub sources: Vec<String>,
    /// The step rests on a single secondary source or an inference.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// Youngest age, in years, the step applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// Oldest age, in years, the step applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u32>,
    /// First month of pregnancy the step belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pregnancy_month_from: Option<u32>,
    /// Last month of pregnancy the step belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pregnancy_month_to: Option<u32>,
}

/// A support programme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// Programme name.
    pub name: String,
    /// Eligibility and content of the programme.
    pub text: String,
    /// Ids of the sources it relies on.
    pub sources: Vec<String>,
    /// The description rests on a single secondary source or an inference.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// Youngest age, in years, the programme accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// Oldest age, in years, the programme accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u32>,
}

/// Waiting times for an appointment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitTimes {
    /// Statements about waiting times in general.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Figures by specialty id.
    pub specialties: BTreeMap<String, SpecialtyWaits>,
}

/// Waiting times for one specialty.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialtyWaits {
    /// French name, lowercase.
    pub label: String,
    /// Figures, one per study.
    pub figures: Vec<Fact>,
}

/// The part of a fact, step or programme that the checks read.
struct Sourced<'a> {
    sources: &'a [String],
    min_age: Option<u32>,
    max_age: Option<u32>,
}

impl Pathways {
    /// Parses and checks pathway TOML.
    pub fn parse(text: &str) -> Result<Self, PathwayError> {
        let pathways: Pathways =
            toml::from_str(text).map_err(|error| PathwayError::InvalidData {
                message: error.to_string(),
            })?;
        pathways.check()?;
        Ok(pathways)
    }

    /// Returns the conditions in [`CONDITION_IDS`] order.
    pub fn conditions_in_order(&self) -> impl Iterator<Item = (&'static str, &Condition)> {
        CONDITION_IDS
            .iter()
            .filter_map(|id| self.conditions.get(*id).map(|condition| (*id, condition)))
    }

    /// Checks what the types cannot: the schema version, ids, source
    /// references, texts, dates, addresses and bounds.
    fn check(&self) -> Result<(), PathwayError> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(check_error(
                "schema_version",
                format!(
                    "version {} is not supported; this plugin reads version {SCHEMA_VERSION}",
                    self.schema_version
                ),
            ));
        }
        for (id, source) in &self.sources {
            check_source(id, source)?;
        }

        self.check_facts("general.facts", &self.general.facts)?;
        self.check_facts("general.ald", &self.general.ald)?;

        for (id, condition) in &self.conditions {
            if !CONDITION_IDS.contains(&id.as_str()) {
                return Err(check_error(
                    &format!("conditions.{id}"),
                    format!(
                        "unknown condition id; use one of {}",
                        CONDITION_IDS.join(", ")
                    ),
                ));
            }
            self.check_condition(&format!("conditions.{id}"), condition)?;
        }
        for id in CONDITION_IDS {
            if !self.conditions.contains_key(*id) {
                return Err(check_error(
                    "conditions",
                    format!("condition `{id}` is missing; add a [conditions.{id}] table"),
                ));
            }
        }

        self.check_facts("wait_times.facts", &self.wait_times.facts)?;
        for (id, waits) in &self.wait_times.specialties {
            let place = format!("wait_times.specialties.{id}");
            if !SPECIALTY_IDS.contains(&id.as_str()) {
                return Err(check_error(
                    &place,
                    format!(
                        "unknown specialty id; use one of {}",
                        SPECIALTY_IDS.join(", ")
                    ),
                ));
            }
            check_text(&format!("{place}.label"), &waits.label)?;
            if waits.figures.is_empty() {
                return Err(check_error(
                    &place,
                    "no figures; add at least one".to_owned(),
                ));
            }
            self.check_facts(&format!("{place}.figures"), &waits.figures)?;
        }
        Ok(())
    }

    fn check_condition(&self, place: &str, condition: &Condition) -> Result<(), PathwayError> {
        check_text(&format!("{place}.label"), &condition.label)?;
        for specialty in &condition.specialties {
            if !self.wait_times.specialties.contains_key(specialty) {
                return Err(check_error(
                    &format!("{place}.specialties"),
                    format!(
                        "specialty `{specialty}` has no [wait_times.specialties.{specialty}] table"
                    ),
                ));
            }
        }
        self.check_facts(&format!("{place}.overview"), &condition.overview)?;

        let ald = &condition.ald;
        if ald.facts.is_empty() {
            return Err(check_error(
                &format!("{place}.ald.facts"),
                "no facts; state at least what the ALD status rests on".to_owned(),
            ));
        }
        if matches!(ald.status, AldStatus::Yes | AldStatus::Conditional) && ald.number.is_none() {
            return Err(check_error(
                &format!("{place}.ald"),
                "status `yes` or `conditional` needs the ALD `number`".to_owned(),
            ));
        }
        self.check_facts(&format!("{place}.ald.facts"), &ald.facts)?;

        if condition.steps.is_empty() {
            return Err(check_error(
                &format!("{place}.steps"),
                "no steps; add at least one".to_owned(),
            ));
        }
        for (index, step) in condition.steps.iter().enumerate() {
            let step_place = format!("{place}.steps[{index}]");
            check_text(&format!("{step_place}.what"), &step.what)?;
            for (field, value) in [
                ("who", &step.who),
                ("frequency", &step.frequency),
                ("conditions", &step.conditions),
                ("cover", &step.cover),
            ] {
                if let Some(value) = value {
                    check_text(&format!("{step_place}.{field}"), value)?;
                }
            }
            check_pregnancy_months(&step_place, step)?;
            self.check_sourced(
                &step_place,
                Sourced {
                    sources: &step.sources,
                    min_age: step.min_age,
                    max_age: step.max_age,
                },
            )?;
        }

        self.check_facts(&format!("{place}.dependencies"), &condition.dependencies)?;
        for (index, programme) in condition.programmes.iter().enumerate() {
            let programme_place = format!("{place}.programmes[{index}]");
            check_text(&format!("{programme_place}.name"), &programme.name)?;
            check_text(&format!("{programme_place}.text"), &programme.text)?;
            self.check_sourced(
                &programme_place,
                Sourced {
                    sources: &programme.sources,
                    min_age: programme.min_age,
                    max_age: programme.max_age,
                },
            )?;
        }
        Ok(())
    }

    fn check_facts(&self, place: &str, facts: &[Fact]) -> Result<(), PathwayError> {
        for (index, fact) in facts.iter().enumerate() {
            let fact_place = format!("{place}[{index}]");
            check_text(&format!("{fact_place}.text"), &fact.text)?;
            self.check_sourced(
                &fact_place,
                Sourced {
                    sources: &fact.sources,
                    min_age: fact.min_age,
                    max_age: fact.max_age,
                },
            )?;
        }
        Ok(())
    }

    fn check_sourced(&self, place: &str, item: Sourced<'_>) -> Result<(), PathwayError> {
        if item.sources.is_empty() {
            return Err(check_error(
                &format!("{place}.sources"),
                "no source; every fact needs at least one id of [sources]".to_owned(),
            ));
        }
        for id in item.sources {
            if !self.sources.contains_key(id) {
                return Err(check_error(
                    &format!("{place}.sources"),
                    format!("source `{id}` is not declared; add a [sources.{id}] table"),
                ));
            }
        }

        for (field, age) in [("min_age", item.min_age), ("max_age", item.max_age)] {
            if age.is_some_and(|age| age > MAX_AGE_YEARS) {
                return Err(check_error(
                    &format!("{place}.{field}"),
                    format!(
                        "age {} is over {MAX_AGE_YEARS} years",
                        age.unwrap_or_default()
                    ),
                ));
            }
        }
        if let (Some(min), Some(max)) = (item.min_age, item.max_age)
            && min > max
        {
            return Err(check_error(
                place,
                format!("min_age {min} is above max_age {max}"),
            ));
        }
        Ok(())
    }
}

fn check_source(id: &str, source: &Source) -> Result<(), PathwayError> {
    let place = format!("sources.{id}");
    let id_ok = !id.is_empty()
        && id
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if !id_ok {
        return Err(check_error(
            &place,
            "a source id uses only a-z, 0-9 and -".to_owned(),
        ));
    }
    check_text(&format!("{place}.title"), &source.title)?;
    if let Some(url) = &source.url {
        let host = url.strip_prefix("https://").unwrap_or_default();
        if host.is_empty() || url.chars().any(char::is_whitespace) {
            return Err(check_error(
                &format!("{place}.url"),
                format!("`{url}` is not an https address without spaces"),
            ));
        }
    }
    Ok(())
}

fn check_pregnancy_months(place: &str, step: &Step) -> Result<(), PathwayError> {
    for (field, month) in [
        ("pregnancy_month_from", step.pregnancy_month_from),
        ("pregnancy_month_to", step.pregnancy_month_to),
    ] {
        if let Some(month) = month
            && !PREGNANCY_MONTHS.contains(&month)
        {
            return Err(check_error(
                &format!("{place}.{field}"),
                format!("month {month} is not a month of pregnancy; use 1 to 9"),
            ));
        }
    }
    match (step.pregnancy_month_from, step.pregnancy_month_to) {
        (Some(from), Some(to)) if from > to => Err(check_error(
            place,
            format!("pregnancy_month_from {from} is after pregnancy_month_to {to}"),
        )),
        (None, Some(_)) => Err(check_error(
            place,
            "pregnancy_month_to needs pregnancy_month_from".to_owned(),
        )),
        _ => Ok(()),
    }
}

fn check_text(place: &str, text: &str) -> Result<(), PathwayError> {
    if text.trim().is_empty() {
        return Err(check_error(place, "empty text".to_owned()));
    }
    if text.trim() != text || text.contains("  ") || text.contains('\n') {
        return Err(check_error(
            place,
            "remove leading, trailing, doubled spaces and line breaks".to_owned(),
        ));
    }
    Ok(())
}

fn check_error(place: &str, problem: String) -> PathwayError {
    PathwayError::Check {
        place: place.to_owned(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses the shipped pathway file.
    fn shipped() -> Pathways {
        Pathways::parse(crate::PATHWAYS_TOML).unwrap_or_else(|error| panic!("{error}"))
    }

    /// Returns a minimal valid file, for the rejection tests to break.
    fn minimal() -> String {
        let mut text = String::from(
            "schema_version = 1\n\
             [sources.s]\ntitle = \"Source\"\nurl = \"https://example.org/a\"\ndate = \"2020-01\"\n\
             [general]\nfacts = [{ text = \"Fait.\", sources = [\"s\"] }]\nald = []\n\
             [wait_times.specialties.generaliste]\nlabel = \"médecin généraliste\"\n\
             figures = [{ text = \"6 jours.\", sources = [\"s\"] }]\n",
        );
        for id in CONDITION_IDS {
            text.push_str(&format!(
                "[conditions.{id}]\nlabel = \"{id}\"\nspecialties = [\"generaliste\"]\n\
                 ald = {{ status = \"none\", facts = [{{ text = \"Pas d'ALD.\", sources = [\"s\"] }}] }}\n\
                 steps = [{{ what = \"Consultation\", sources = [\"s\"] }}]\n"
            ));
        }
        text
    }

    fn rejection(text: &str) -> String {
        match Pathways::parse(text) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn shipped_file_parses() {
        let pathways = shipped();
        assert_eq!(pathways.conditions.len(), CONDITION_IDS.len());
        assert!(!pathways.wait_times.specialties.is_empty());
    }

    #[test]
    fn shipped_steps_all_have_sources() {
        let pathways = shipped();
        for (id, condition) in pathways.conditions_in_order() {
            assert!(!condition.steps.is_empty(), "{id} has no steps");
            for step in &condition.steps {
                assert!(
                    !step.sources.is_empty(),
                    "{id}: {} has no source",
                    step.what
                );
                for source in &step.sources {
                    let declared = &pathways.sources[source];
                    assert!(!declared.title.is_empty(), "{source} has no title");
                }
            }
        }
    }

    #[test]
    fn shipped_ald_numbers() {
        let pathways = shipped();
        let number = |id: &str| pathways.conditions[id].ald.number;
        assert_eq!(number("diabete_type_2"), Some(8));
        assert_eq!(number("insuffisance_cardiaque"), Some(5));
        assert_eq!(number("hypertension"), Some(12));
        assert_eq!(
            pathways.conditions["hypertension"].ald.status,
            AldStatus::Removed
        );
        assert_eq!(pathways.conditions["grossesse"].ald.status, AldStatus::None);
    }

    #[test]
    fn minimal_file_parses() {
        let pathways = Pathways::parse(&minimal()).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            pathways.sources["s"]
                .date
                .map(|date| date.to_string())
                .as_deref(),
            Some("2020-01")
        );
    }

    #[test]
    fn unknown_key_is_rejected() {
        let text = minimal().replace("title = \"Source\"", "title = \"Source\"\nauthor = \"X\"");
        let error = rejection(&text);
        assert!(error.contains("author"), "{error}");
    }

    #[test]
    fn unknown_step_key_is_rejected() {
        let text = minimal().replacen(
            "what = \"Consultation\",",
            "what = \"Consultation\", how_often = \"annuel\",",
            1,
        );
        let error = rejection(&text);
        assert!(error.contains("how_often"), "{error}");
    }

    #[test]
    fn undeclared_source_is_rejected() {
        let text = minimal().replacen(
            "steps = [{ what = \"Consultation\", sources = [\"s\"] }]",
            "steps = [{ what = \"Consultation\", sources = [\"nowhere\"] }]",
            1,
        );
        let error = rejection(&text);
        assert!(
            error.contains("conditions.diabete_type_2.steps[0].sources"),
            "{error}"
        );
        assert!(error.contains("`nowhere`"), "{error}");
    }

    #[test]
    fn step_without_source_is_rejected() {
        let text = minimal().replacen(
            "steps = [{ what = \"Consultation\", sources = [\"s\"] }]",
            "steps = [{ what = \"Consultation\", sources = [] }]",
            1,
        );
        let error = rejection(&text);
        assert!(error.contains("no source"), "{error}");
    }

    #[test]
    fn missing_condition_is_rejected() {
        let text = minimal().replace("[conditions.obesite]", "[conditions.obesite_removed]");
        let error = rejection(&text);
        assert!(error.contains("conditions.obesite_removed"), "{error}");
    }

    #[test]
    fn bad_source_date_and_url_are_rejected() {
        let error = rejection(&minimal().replace("\"2020-01\"", "\"janvier 2020\""));
        assert!(error.contains("janvier 2020"), "{error}");
        let error = rejection(&minimal().replace("https://example.org/a", "http://example.org/a"));
        assert!(error.contains("sources.s.url"), "{error}");
    }

    #[test]
    fn yes_status_needs_number() {
        let text = minimal().replacen("status = \"none\"", "status = \"yes\"", 1);
        let error = rejection(&text);
        assert!(error.contains("number"), "{error}");
    }

    #[test]
    fn inverted_age_bounds_are_rejected() {
        let text = minimal().replacen(
            "what = \"Consultation\",",
            "what = \"Consultation\", min_age = 50, max_age = 40,",
            1,
        );
        let error = rejection(&text);
        assert!(error.contains("min_age 50 is above max_age 40"), "{error}");
    }

    #[test]
    fn unknown_wait_specialty_is_rejected() {
        let text = minimal().replacen(
            "specialties = [\"generaliste\"]",
            "specialties = [\"podologue\"]",
            1,
        );
        let error = rejection(&text);
        assert!(error.contains("`podologue`"), "{error}");
    }
}
