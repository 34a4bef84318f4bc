//! The `help` intent plugin: tells the user, in French, what Mediflux can
//! answer and how to ask.
//!
//! The capability list is plain data in [`CAPABILITIES`], so that it can be
//! tested on the host; the WebAssembly glue only exists on `wasm32`.

/// Capabilities of Mediflux, each as a short French title and an example
/// question.
pub const CAPABILITIES: &[(&str, &str)] = &[
    (
        "le coût d'un médicament, avec ce que paient l'Assurance Maladie et la mutuelle, et le reste à charge",
        "Combien coûte le Doliprane avec ma mutuelle\u{a0}?",
    ),
    (
        "le coût d'une consultation selon la spécialité et le secteur du médecin",
        "Combien coûte un cardiologue secteur 2 avec une mutuelle à 200\u{a0}%\u{a0}?",
    ),
    (
        "un médicament\u{a0}: ses boîtes, leur prix et leur remboursement, ses génériques",
        "Quels sont les génériques du Levothyrox\u{a0}?",
    ),
    (
        "le parcours de soins recommandé pour une affection courante, et les délais de rendez-vous",
        "Parcours de soins pour le diabète",
    ),
    (
        "les professionnels de santé d'une spécialité près de chez vous, dans les fichiers de l'Annuaire Santé importés",
        "Je cherche un cardiologue à Paris",
    ),
    (
        "le contenu d'un document de santé (carte de tiers payant, feuille de soins, ordonnance, attestation de droits) dont vous donnez le texte",
        "Analyse ma feuille de soins",
    ),
    (
        "votre situation (âge, mutuelle, ALD, grossesse, médecin traitant, commune), que je retiens pour des réponses plus justes",
        "J'ai une mutuelle à 200\u{a0}%",
    ),
];

/// Commands for what a question alone cannot do.
pub const COMMANDS: &[(&str, &str)] = &[
    (
        "chercher un médicament, ses boîtes et leurs prix",
        "mediflux med search \"doliprane\"",
    ),
    (
        "comparer un médicament à ses génériques",
        "mediflux med generics <CIS>",
    ),
    (
        "faire lire un document de santé",
        "mediflux ask \"Analyse ma feuille de soins\" --file feuille.txt",
    ),
    (
        "importer les fichiers de l'Annuaire Santé",
        "mediflux data import annuaire FICHIERS",
    ),
    (
        "enregistrer votre profil et votre mutuelle",
        "mediflux profile set --mutuelle \"200% BR\"",
    ),
];

/// Returns the French answer listing [`CAPABILITIES`].
pub fn answer() -> String {
    let mut text = String::from("Je peux vous renseigner sur\u{a0}:\n");
    for (capability, example) in CAPABILITIES {
        text.push_str(&format!(
            "- {capability}\u{a0}; par exemple\u{a0}: «\u{a0}{example}\u{a0}»\n"
        ));
    }
    text.push_str(
        "Posez votre question en une phrase, en précisant si besoin la date des soins.\n",
    );
    text.push_str("En ligne de commande, vous pouvez aussi\u{a0}:\n");
    for (task, command) in COMMANDS {
        text.push_str(&format!("- {task}\u{a0}: {command}\n"));
    }
    text.trim_end().to_owned()
}

/// Returns the structured result: the capabilities as a JSON array.
pub fn result_json() -> String {
    let items: Vec<String> = CAPABILITIES
        .iter()
        .map(|(capability, example)| {
            format!(
                "{{\"capability\":{},\"example\":{}}}",
                json_string(capability),
                json_string(example)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// Encodes `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len() + 2);
    encoded.push('"');
    for character in text.chars() {
        match character {
            '"' => encoded.push_str("\\\""),
            '\\' => encoded.push_str("\\\\"),
            '\n' => encoded.push_str("\\n"),
            control if (control as u32) < 0x20 => {
                encoded.push_str(&format!("\\u{:04x}", control as u32))
            }
            other => encoded.push(other),
        }
    }
    encoded.push('"');
    encoded
}

#[cfg(target_arch = "wasm32")]
mod plugin {
    use mediflux_plugin_sdk::intent::{IntentHandler, IntentRequest, IntentResponse};
    use mediflux_plugin_sdk::types::{JsonDocument, PluginError};

    struct Help;

    impl IntentHandler for Help {
        fn handle(request: IntentRequest) -> Result<IntentResponse, PluginError> {
            if request.intent != "help" {
                return Err(mediflux_plugin_sdk::error(
                    "unknown-intent",
                    &request.intent,
                ));
            }
            Ok(IntentResponse {
                answer: super::answer(),
                result: JsonDocument {
                    schema: "help.capabilities/1".to_owned(),
                    body: super::result_json(),
                },
                citations: Vec::new(),
            })
        }
    }

    mediflux_plugin_sdk::export_intent_handler!(Help);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_lists_every_capability() {
        let text = answer();
        for (capability, example) in CAPABILITIES {
            assert!(text.contains(capability), "missing {capability}");
            assert!(text.contains(example), "missing {example}");
        }
    }

    #[test]
    fn result_is_escaped_json_array() {
        let json = result_json();
        assert!(json.starts_with("[{\"capability\":"));
        assert_eq!(json_string("a\"b\n"), "\"a\\\"b\\n\"");
    }
}
