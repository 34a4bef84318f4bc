//! GBNF grammar generated from a [`Catalog`]: the model can only write
//! `{"intent":"<id>","slots":{"<slot>":"<value>",…}}` for a loaded intent
//! and its declared slots, or `{"intent":"none","slots":{}}`.
//!
//! Every repetition is bounded (at most [`MAX_SLOTS`] pairs, at most
//! [`MAX_VALUE_CHARS`] characters per free-text value), so the longest
//! admissible answer is known in advance ([`max_output_bytes`]) and a weak
//! model cannot wander until the token limit. Enumerated slots (specialty,
//! condition…) admit only their canonical values. The object has no
//! whitespace, which keeps the answer short.

use std::fmt::Write as _;

use crate::catalog::Catalog;

/// Intent id the model writes when no loaded intent fits the question.
pub const NO_INTENT: &str = "none";

/// Maximum number of slots in one answer.
pub const MAX_SLOTS: usize = 6;

/// Maximum length, in characters, of a free-text slot value.
pub const MAX_VALUE_CHARS: usize = 40;

/// Name of the grammar's start rule.
pub const ROOT: &str = "root";

/// Generates the GBNF grammar for `catalog`.
pub fn gbnf(catalog: &Catalog) -> String {
    let slot_names = slot_names(catalog);
    let mut grammar = String::new();

    let alternatives: Vec<String> = (0..catalog.intents().len())
        .map(|index| format!("intent-{index}"))
        .chain(std::iter::once("none".to_owned()))
        .collect();
    let _ = writeln!(
        grammar,
        "{ROOT} ::= {} ( {} )",
        literal("{\"intent\":"),
        alternatives.join(" | ")
    );
    let _ = writeln!(
        grammar,
        "none ::= {}",
        literal(&format!("\"{NO_INTENT}\",\"slots\":{{}}}}"))
    );

    for (index, intent) in catalog.intents().iter().enumerate() {
        let head = literal(&format!("\"{}\",\"slots\":{{", intent.id));
        if intent.slots.is_empty() {
            let _ = writeln!(grammar, "intent-{index} ::= {head} {}", literal("}}"));
            continue;
        }
        let pairs: Vec<String> = intent
            .slots
            .iter()
            .map(|slot| format!("slot-{}", position(&slot_names, slot)))
            .collect();
        let more = intent.slots.len().min(MAX_SLOTS) - 1;
        let _ = writeln!(
            grammar,
            "intent-{index} ::= {head} ( pair-{index} ( \",\" pair-{index} ){{0,{more}}} )? {}",
            literal("}}")
        );
        let _ = writeln!(grammar, "pair-{index} ::= {}", pairs.join(" | "));
    }

    for (index, slot) in slot_names.iter().enumerate() {
        let key = literal(&format!("\"{slot}\":"));
        let value = match catalog.slot_values(slot) {
            Some(values) if !values.is_empty() => {
                let choices: Vec<String> = values
                    .iter()
                    .map(|value| literal(&format!("\"{value}\"")))
                    .collect();
                format!("( {} )", choices.join(" | "))
            }
            _ => "text".to_owned(),
        };
        let _ = writeln!(grammar, "slot-{index} ::= {key} {value}");
    }

    let _ = writeln!(
        grammar,
        "text ::= \"\\\"\" char{{1,{MAX_VALUE_CHARS}}} \"\\\"\""
    );
    grammar.push_str("char ::= [^\"\\\\\\x00-\\x1F\\x7F]\n");
    grammar
}

/// Returns the length in bytes of the longest answer the grammar admits.
///
/// A token is at least one byte, so this also bounds the number of tokens
/// to generate.
pub fn max_output_bytes(catalog: &Catalog) -> usize {
    let none = format!("{{\"intent\":\"{NO_INTENT}\",\"slots\":{{}}}}").len();

    catalog
        .intents()
        .iter()
        .map(|intent| {
            let mut pairs: Vec<usize> = intent
                .slots
                .iter()
                .map(|slot| {
                    let value = match catalog.slot_values(slot) {
                        Some(values) if !values.is_empty() => {
                            values.iter().map(String::len).max().unwrap_or(0)
                        }
                        // Each character of free text may take up to 4 bytes.
                        _ => MAX_VALUE_CHARS * 4,
                    };
                    slot.len() + value + 6
                })
                .collect();
            pairs.sort_unstable_by(|a, b| b.cmp(a));
            let slots: usize = pairs.iter().take(MAX_SLOTS).sum();
            format!("{{\"intent\":\"{}\",\"slots\":{{}}}}", intent.id).len() + slots
        })
        .chain(std::iter::once(none))
        .max()
        .unwrap_or(none)
}

/// Every slot name of the catalog, once, in first-declared order.
fn slot_names(catalog: &Catalog) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for slot in catalog.intents().iter().flat_map(|intent| &intent.slots) {
        if !names.contains(&slot.as_str()) {
            names.push(slot);
        }
    }
    names
}

fn position(names: &[&str], slot: &str) -> usize {
    names
        .iter()
        .position(|name| *name == slot)
        .expect("slot_names lists every declared slot")
}

/// Writes `text` as a GBNF string literal.
fn literal(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            _ => quoted.push(character),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::catalog::IntentSpec;

    fn catalog() -> Catalog {
        let spec = |id: &str, slots: &[&str]| IntentSpec {
            id: id.to_owned(),
            plugin: "test".to_owned(),
            description: String::new(),
            examples: vec![],
            slots: slots.iter().map(|slot| (*slot).to_owned()).collect(),
        };
        Catalog::new(
            vec![
                spec("cost.consultation", &["specialty", "amount"]),
                spec("help", &[]),
            ],
            BTreeMap::from([(
                "specialty".to_owned(),
                vec!["cardiologue".to_owned(), "sage-femme".to_owned()],
            )]),
        )
        .unwrap()
    }

    #[test]
    fn grammar_lists_each_intent_and_none() {
        let grammar = gbnf(&catalog());

        assert!(
            grammar.starts_with("root ::= \"{\\\"intent\\\":\" ( intent-0 | intent-1 | none )")
        );
        assert!(grammar.contains("intent-1 ::= \"\\\"help\\\",\\\"slots\\\":{\" \"}}\""));
        assert!(grammar.contains("none ::= \"\\\"none\\\",\\\"slots\\\":{}}\""));
    }

    #[test]
    fn repetitions_are_bounded() {
        let grammar = gbnf(&catalog());

        assert!(grammar.contains("( \",\" pair-0 ){0,1}"));
        assert!(grammar.contains("char{1,40}"));
        assert!(!grammar.contains('+'));
        assert!(!grammar.contains('*'));
    }

    #[test]
    fn enumerated_slot_lists_its_values() {
        let grammar = gbnf(&catalog());

        assert!(grammar.contains(
            "slot-0 ::= \"\\\"specialty\\\":\" ( \"\\\"cardiologue\\\"\" | \"\\\"sage-femme\\\"\" )"
        ));
        assert!(grammar.contains("slot-1 ::= \"\\\"amount\\\":\" text"));
    }

    #[test]
    fn output_bound_covers_longest_answer() {
        let catalog = catalog();
        let longest = format!(
            "{{\"intent\":\"cost.consultation\",\"slots\":{{\"specialty\":\"sage-femme\",\"amount\":\"{}\"}}}}",
            "\u{1F600}".repeat(MAX_VALUE_CHARS)
        );

        assert!(max_output_bytes(&catalog) >= longest.len());
        assert!(max_output_bytes(&catalog) < longest.len() + 32);
    }

    #[test]
    fn literal_escapes_quotes_and_backslashes() {
        assert_eq!(literal(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
