//! Decoding and validation of the model's answer.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::catalog::Catalog;
use crate::error::ModelError;
use crate::grammar::NO_INTENT;

/// A validated answer of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelOutput {
    /// The chosen intent, or `None` when the model wrote `none`.
    pub intent: Option<String>,
    /// Slots with their values, trimmed, all declared by the intent.
    pub slots: BTreeMap<String, String>,
}

/// The answer as the grammar lets the model write it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    intent: String,
    #[serde(default)]
    slots: BTreeMap<String, String>,
}

/// Decodes the bytes the model generated and checks them against `catalog`.
///
/// The grammar already constrains the answer, but the check is repeated
/// here: the bytes come from a byte-fallback tokenizer and may not be valid
/// UTF-8, and a grammar bug must not route a question to an intent that is
/// not loaded.
pub fn parse_output(bytes: &[u8], catalog: &Catalog) -> Result<ModelOutput, ModelError> {
    let text =
        std::str::from_utf8(bytes).map_err(|error| ModelError::InvalidUtf8(error.valid_up_to()))?;
    let raw: RawOutput = serde_json::from_str(text).map_err(|error| {
        ModelError::InvalidOutput(format!("not the expected JSON object ({error})"))
    })?;

    if raw.intent == NO_INTENT {
        return Ok(ModelOutput {
            intent: None,
            slots: BTreeMap::new(),
        });
    }
    let intent = catalog
        .intent(&raw.intent)
        .ok_or_else(|| ModelError::InvalidOutput(format!("unknown intent {:?}", raw.intent)))?;

    let mut slots = BTreeMap::new();
    for (name, value) in raw.slots {
        if !intent.slots.contains(&name) {
            return Err(ModelError::InvalidOutput(format!(
                "slot {name:?} is not declared by intent {:?}",
                intent.id
            )));
        }
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if let Some(values) = catalog.slot_values(&name)
            && !values.iter().any(|known| known == value)
        {
            return Err(ModelError::InvalidOutput(format!(
                "value {value:?} is not a known value of slot {name:?}"
            )));
        }
        slots.insert(name, value.to_owned());
    }

    Ok(ModelOutput {
        intent: Some(intent.id.clone()),
        slots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::IntentSpec;

    fn catalog() -> Catalog {
        Catalog::new(
            vec![IntentSpec {
                id: "practitioner.search".to_owned(),
                plugin: "annuaire".to_owned(),
                description: String::new(),
                examples: vec![],
                slots: vec!["specialty".to_owned(), "location".to_owned()],
            }],
            BTreeMap::from([("specialty".to_owned(), vec!["cardiologue".to_owned()])]),
        )
        .unwrap()
    }

    #[test]
    fn valid_answer_is_accepted() {
        let output = parse_output(
            br#"{"intent":"practitioner.search","slots":{"specialty":"cardiologue","location":" Paris 15e "}}"#,
            &catalog(),
        )
        .unwrap();

        assert_eq!(output.intent.as_deref(), Some("practitioner.search"));
        assert_eq!(output.slots["specialty"], "cardiologue");
        assert_eq!(output.slots["location"], "Paris 15e");
    }

    #[test]
    fn none_has_no_intent() {
        let output = parse_output(br#"{"intent":"none","slots":{}}"#, &catalog()).unwrap();

        assert_eq!(output.intent, None);
        assert!(output.slots.is_empty());
    }

    #[test]
    fn unknown_intent_is_rejected() {
        let error =
            parse_output(br#"{"intent":"cost.medication","slots":{}}"#, &catalog()).unwrap_err();

        assert!(
            error
                .to_string()
                .contains("unknown intent \"cost.medication\"")
        );
    }

    #[test]
    fn undeclared_slot_is_rejected() {
        let error = parse_output(
            br#"{"intent":"practitioner.search","slots":{"medication":"doliprane"}}"#,
            &catalog(),
        )
        .unwrap_err();

        assert!(
            error
                .to_string()
                .contains("slot \"medication\" is not declared")
        );
    }

    #[test]
    fn unknown_enumerated_value_is_rejected() {
        let error = parse_output(
            br#"{"intent":"practitioner.search","slots":{"specialty":"astrologue"}}"#,
            &catalog(),
        )
        .unwrap_err();

        assert!(error.to_string().contains("\"astrologue\""));
    }

    #[test]
    fn split_character_is_invalid_utf8() {
        let mut bytes = br#"{"intent":"practitioner.search","slots":{"location":"B"#.to_vec();
        let split_at = bytes.len();
        bytes.push(0xC3);
        bytes.extend_from_slice(br#""}}"#);

        let error = parse_output(&bytes, &catalog()).unwrap_err();

        assert!(
            matches!(error, ModelError::InvalidUtf8(at) if at == split_at),
            "{error}"
        );
    }

    #[test]
    fn truncated_json_is_rejected() {
        let error =
            parse_output(br#"{"intent":"practitioner.search","slo"#, &catalog()).unwrap_err();

        assert!(matches!(error, ModelError::InvalidOutput(_)));
    }
}
