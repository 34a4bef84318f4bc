//! The routing prompt: fixed instructions and examples generated from the
//! catalog (the prefix), then the question (the suffix).
//!
//! The prefix is the same for every question of a process, so the model
//! decodes it once and keeps it in its KV cache. Only the question and the
//! closing part of the chat template are decoded per question.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::catalog::Catalog;
use crate::grammar::NO_INTENT;

/// Placeholder put where the question goes when a chat template is
/// rendered, then split on to get the prefix and the suffix.
#[cfg_attr(not(feature = "llama"), allow(dead_code))]
pub(crate) const QUESTION_MARKER: &str = "\u{1}QUESTION\u{1}";

/// Maximum number of examples per intent in the prompt.
const EXAMPLES_PER_INTENT: usize = 2;

/// Maximum length of a question given to the model, in characters.
#[cfg_attr(not(feature = "llama"), allow(dead_code))]
pub(crate) const MAX_QUESTION_CHARS: usize = 400;

/// Layout of the instructions and the question for the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatFormat {
    /// Mistral/Mixtral instruct format, `<s>[INST] … [/INST]`, used when the
    /// GGUF file has no chat template.
    Mixtral,
    /// The chat template from the GGUF metadata (`tokenizer.chat_template`),
    /// applied by llama.cpp.
    Template(String),
}

/// The routing prompt, split around the question.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// Instructions, intents and examples: the user message before the question.
    pub instructions: String,
    /// Text before the question, chat markup included.
    pub prefix: String,
    /// Text after the question, up to where the model starts its answer.
    pub suffix: String,
    /// Format the prefix and suffix were laid out with.
    pub format: ChatFormat,
}

impl Prompt {
    /// Builds the prompt in Mixtral's `[INST]` format.
    ///
    /// `annotate` returns the slots of an example question, so that the
    /// examples show slots as the rules layer extracts them.
    pub fn mixtral(catalog: &Catalog, annotate: impl Fn(&str) -> BTreeMap<String, String>) -> Self {
        let instructions = instructions(catalog, annotate);
        Self {
            prefix: format!("<s>[INST] {instructions}"),
            suffix: " [/INST]".to_owned(),
            instructions,
            format: ChatFormat::Mixtral,
        }
    }

    /// Builds the prompt from a chat template already rendered with one user
    /// message, `instructions` followed by [`QUESTION_MARKER`].
    ///
    /// Returns `None` when the marker is not found once in the rendering.
    #[cfg_attr(not(feature = "llama"), allow(dead_code))]
    pub(crate) fn from_rendered(
        instructions: String,
        rendered: &str,
        template: String,
    ) -> Option<Self> {
        let (prefix, suffix) = rendered.split_once(QUESTION_MARKER)?;
        if suffix.contains(QUESTION_MARKER) {
            return None;
        }
        Some(Self {
            prefix: prefix.to_owned(),
            suffix: suffix.to_owned(),
            instructions,
            format: ChatFormat::Template(template),
        })
    }
}

/// Writes the instructions: the task, each intent with its slots, the
/// canonical slot values and a few examples with their expected answers.
pub(crate) fn instructions(
    catalog: &Catalog,
    annotate: impl Fn(&str) -> BTreeMap<String, String>,
) -> String {
    let mut text = String::from(
        "You route questions that patients of the French health system ask an assistant. \
         Choose the one intent below that the question asks for and copy the details it gives \
         into the intent's slots. Answer with one JSON object and nothing else. \
         When no intent fits, answer {\"intent\":\"none\",\"slots\":{}}.\n\nIntents:\n",
    );
    for intent in catalog.intents() {
        let _ = write!(text, "- {}: {}", intent.id, intent.description.trim());
        if !intent.slots.is_empty() {
            let _ = write!(text, " Slots: {}.", intent.slots.join(", "));
        }
        text.push('\n');
    }

    let mut enumerated: Vec<&str> = catalog
        .intents()
        .iter()
        .flat_map(|intent| &intent.slots)
        .map(String::as_str)
        .filter(|slot| catalog.slot_values(slot).is_some())
        .collect();
    enumerated.sort_unstable();
    enumerated.dedup();
    if !enumerated.is_empty() {
        text.push_str("\nSlot values:\n");
        for slot in enumerated {
            let values = catalog.slot_values(slot).unwrap_or_default();
            let _ = writeln!(text, "- {slot}: {}", values.join(", "));
        }
    }

    // The example without an intent comes first: a weak model tends to
    // repeat the answer of the last example it read.
    text.push_str("\nExamples:\n");
    let _ = writeln!(
        text,
        "Question: Quel temps fera-t-il demain à Lyon ?\nAnswer: {{\"intent\":\"{NO_INTENT}\",\"slots\":{{}}}}"
    );
    for intent in catalog.intents() {
        for example in intent.examples.iter().take(EXAMPLES_PER_INTENT) {
            let slots: BTreeMap<String, String> = annotate(example)
                .into_iter()
                .filter(|(slot, _)| intent.slots.contains(slot))
                .collect();
            let answer = serde_json::json!({ "intent": intent.id, "slots": slots });
            let _ = writeln!(text, "Question: {example}\nAnswer: {answer}");
        }
    }
    text.push_str("\nQuestion: ");
    text
}

/// Prepares a question for the prompt: control characters become spaces
/// and the text is cut at [`MAX_QUESTION_CHARS`] characters.
#[cfg_attr(not(feature = "llama"), allow(dead_code))]
pub(crate) fn clean_question(question: &str) -> String {
    question
        .chars()
        .map(|character| {
            if character.is_control() {
                ' '
            } else {
                character
            }
        })
        .take(MAX_QUESTION_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::IntentSpec;

    fn catalog() -> Catalog {
        Catalog::new(
            vec![IntentSpec {
                id: "care.pathway".to_owned(),
                plugin: "pathway".to_owned(),
                description: "Care sequence for a condition.".to_owned(),
                examples: vec![
                    "Parcours de soins pour diabète".to_owned(),
                    "Quel suivi pour l'asthme ?".to_owned(),
                    "Third example, left out".to_owned(),
                ],
                slots: vec!["condition".to_owned()],
            }],
            BTreeMap::from([(
                "condition".to_owned(),
                vec!["asthme".to_owned(), "diabete_type_2".to_owned()],
            )]),
        )
        .unwrap()
    }

    fn annotate(question: &str) -> BTreeMap<String, String> {
        let mut slots = BTreeMap::new();
        if question.contains("diabète") {
            slots.insert("condition".to_owned(), "diabete_type_2".to_owned());
            slots.insert("undeclared".to_owned(), "dropped".to_owned());
        }
        slots
    }

    #[test]
    fn instructions_list_intents_values_and_examples() {
        let text = instructions(&catalog(), annotate);

        assert!(
            text.contains("- care.pathway: Care sequence for a condition. Slots: condition.\n")
        );
        assert!(text.contains("- condition: asthme, diabete_type_2\n"));
        assert!(text.contains(
            "Question: Parcours de soins pour diabète\nAnswer: {\"intent\":\"care.pathway\",\"slots\":{\"condition\":\"diabete_type_2\"}}\n"
        ));
        assert!(text.contains("Answer: {\"intent\":\"care.pathway\",\"slots\":{}}\n"));
        assert!(!text.contains("Third example"));
        assert!(text.ends_with("\nQuestion: "));
    }

    #[test]
    fn mixtral_wraps_in_inst() {
        let prompt = Prompt::mixtral(&catalog(), annotate);

        assert!(prompt.prefix.starts_with("<s>[INST] You route questions"));
        assert_eq!(prompt.suffix, " [/INST]");
        assert_eq!(prompt.format, ChatFormat::Mixtral);
    }

    #[test]
    fn rendered_template_is_split_at_marker() {
        let rendered = format!(
            "<start_of_turn>user\nDo this. {QUESTION_MARKER}<end_of_turn>\n<start_of_turn>model\n"
        );

        let prompt =
            Prompt::from_rendered("Do this. ".to_owned(), &rendered, "t".to_owned()).unwrap();

        assert_eq!(prompt.prefix, "<start_of_turn>user\nDo this. ");
        assert_eq!(prompt.suffix, "<end_of_turn>\n<start_of_turn>model\n");
    }

    #[test]
    fn rendering_without_marker_is_rejected() {
        assert_eq!(
            Prompt::from_rendered(String::new(), "no marker", String::new()),
            None
        );
    }

    #[test]
    fn question_is_cleaned_and_cut() {
        assert_eq!(clean_question(" a\u{0}b\nc "), "a b c");
        assert_eq!(
            clean_question(&"é".repeat(1000)).chars().count(),
            MAX_QUESTION_CHARS
        );
    }
}
