//! The intents and slots the model may choose from, taken from the loaded
//! plugin manifests.

use std::collections::BTreeMap;

use mediflux_manifest::Intent;
use mediflux_router::vocabulary::{CONDITION_PHRASES, DOCUMENT_PHRASES, SPECIALTY_PHRASES};

use crate::error::ModelError;

/// Slots that callers fill themselves and the model never writes: `case`
/// carries a whole simulation from `mediflux simulate`, `document_text`
/// the text of a document the user passed as a file.
pub const INTERNAL_SLOTS: &[&str] = &["case", "document_text"];

/// Canonical values of the `sector` slot.
const SECTORS: &[&str] = &["1", "2", "2 OPTAM", "2 non-OPTAM", "3"];

/// An intent as the model sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentSpec {
    /// Intent id, such as `cost.medication`.
    pub id: String,
    /// Id of the plugin that declares it.
    pub plugin: String,
    /// What the intent does, from the manifest.
    pub description: String,
    /// Example questions from the manifest.
    pub examples: Vec<String>,
    /// Slots the model may fill, in manifest order, without [`INTERNAL_SLOTS`].
    pub slots: Vec<String>,
}

/// The intents the model routes to, and the canonical values of the
/// enumerated slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    intents: Vec<IntentSpec>,
    slot_values: BTreeMap<String, Vec<String>>,
}

impl Catalog {
    /// Builds a catalog from intents and the canonical values of the slots
    /// that only take listed values.
    ///
    /// Ids must be lowercase ASCII letters, digits, `.`, `_` or `-`, because
    /// they are written into the grammar and the prompt as they are.
    pub fn new(
        intents: Vec<IntentSpec>,
        slot_values: BTreeMap<String, Vec<String>>,
    ) -> Result<Self, ModelError> {
        if intents.is_empty() {
            return Err(ModelError::EmptyCatalog);
        }
        for intent in &intents {
            check_id("intent", &intent.id)?;
            for slot in &intent.slots {
                check_id("slot", slot)?;
            }
        }
        for slot in slot_values.keys() {
            check_id("slot", slot)?;
        }
        Ok(Self {
            intents,
            slot_values,
        })
    }

    /// Builds a catalog from manifest intents, each with the id of the
    /// plugin that declares it, and the router's canonical values for
    /// `specialty`, `condition`, `document_type` and `sector`.
    pub fn from_manifest_intents<I, P>(intents: I) -> Result<Self, ModelError>
    where
        I: IntoIterator<Item = (P, Intent)>,
        P: Into<String>,
    {
        let specs = intents
            .into_iter()
            .map(|(plugin, intent)| IntentSpec {
                slots: intent
                    .slots
                    .into_iter()
                    .filter(|slot| !INTERNAL_SLOTS.contains(&slot.as_str()))
                    .collect(),
                id: intent.id,
                plugin: plugin.into(),
                description: intent.description,
                examples: intent.examples,
            })
            .collect();
        Self::new(specs, router_slot_values())
    }

    /// The intents, in declaration order.
    pub fn intents(&self) -> &[IntentSpec] {
        &self.intents
    }

    /// The intent with this id.
    pub fn intent(&self, id: &str) -> Option<&IntentSpec> {
        self.intents.iter().find(|intent| intent.id == id)
    }

    /// Canonical values of an enumerated slot, or `None` for a free-text slot.
    pub fn slot_values(&self, slot: &str) -> Option<&[String]> {
        self.slot_values.get(slot).map(Vec::as_slice)
    }
}

/// Collects the canonical values of the router's enumerated slots.
fn router_slot_values() -> BTreeMap<String, Vec<String>> {
    let distinct = |phrases: &[(&str, &str)]| {
        let mut values: Vec<String> = phrases.iter().map(|(_, id)| (*id).to_owned()).collect();
        values.sort();
        values.dedup();
        values
    };

    BTreeMap::from([
        ("specialty".to_owned(), distinct(SPECIALTY_PHRASES)),
        ("condition".to_owned(), distinct(CONDITION_PHRASES)),
        ("document_type".to_owned(), distinct(DOCUMENT_PHRASES)),
        (
            "sector".to_owned(),
            SECTORS.iter().map(|value| (*value).to_owned()).collect(),
        ),
    ])
}

fn check_id(what: &'static str, id: &str) -> Result<(), ModelError> {
    let valid = !id.is_empty()
        && id.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'.' | b'_' | b'-')
        });
    if valid {
        Ok(())
    } else {
        Err(ModelError::InvalidId {
            what,
            id: id.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent(id: &str, slots: &[&str]) -> Intent {
        Intent {
            id: id.to_owned(),
            description: String::new(),
            examples: vec![],
            slots: slots.iter().map(|slot| (*slot).to_owned()).collect(),
            rules: vec![],
        }
    }

    #[test]
    fn internal_slots_are_left_out() {
        let catalog = Catalog::from_manifest_intents([(
            "cost",
            intent("cost.medication", &["medication", "case", "date"]),
        )])
        .unwrap();

        assert_eq!(catalog.intents()[0].slots, ["medication", "date"]);
        assert_eq!(catalog.intents()[0].plugin, "cost");
    }

    #[test]
    fn router_values_fill_enumerated_slots() {
        let catalog =
            Catalog::from_manifest_intents([("care", intent("care.pathway", &["condition"]))])
                .unwrap();

        let conditions = catalog.slot_values("condition").unwrap();
        assert!(conditions.iter().any(|value| value == "diabete_type_2"));
        let specialties = catalog.slot_values("specialty").unwrap();
        assert!(specialties.iter().any(|value| value == "cardiologue"));
        assert_eq!(catalog.slot_values("sector").unwrap().len(), 5);
        assert_eq!(catalog.slot_values("medication"), None);
    }

    #[test]
    fn id_with_quote_is_rejected() {
        let error = Catalog::from_manifest_intents([("evil", intent("a\"b", &[]))]).unwrap_err();

        assert!(matches!(
            error,
            ModelError::InvalidId { what: "intent", .. }
        ));
        assert!(error.to_string().contains("a\\\"b"));
    }

    #[test]
    fn empty_catalog_is_rejected() {
        let error = Catalog::from_manifest_intents(Vec::<(String, Intent)>::new()).unwrap_err();

        assert!(matches!(error, ModelError::EmptyCatalog));
    }
}
