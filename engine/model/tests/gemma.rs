//! The whole routing path with a real small model, Gemma 3 270M (Q4_K_M),
//! on French questions that the rules leave undecided.
//!
//! The model file comes from `scripts/fetch-test-model`. The tests read it
//! from `MEDIFLUX_TEST_MODEL`, or from the script's default path. When it
//! is missing they fail under CI (`CI` set) and are skipped with a message
//! otherwise, so that a developer without the download still gets a green
//! `cargo test`.

#![cfg(feature = "llama")]

mod support;

use std::path::PathBuf;

use mediflux_model::{Cascade, ChatFormat, LocalModel, MODEL_LAYER, ModelConfig};

/// Questions without the rules' cue words, with the intent a patient means.
const HARD_CASES: &[(&str, &str)] = &[
    (
        "Je voudrais connaître ma part à payer pour voir un dermato",
        "cost.consultation",
    ),
    (
        "Qui peut me soigner les dents près de Bordeaux ?",
        "practitioner.search",
    ),
    (
        "Ma sœur attend un bébé, quels rendez-vous l'attendent ?",
        "care.pathway",
    ),
    (
        "J'ai reçu un papier de la CPAM, tu peux y jeter un œil ?",
        "document.analyze",
    ),
    ("le Kardégic, c'est pour quoi ?", "medication.info"),
    ("Le Spasfon se vend-il sans ordonnance ?", "medication.info"),
    ("je viens de déménager à Nantes", "profile.update"),
    ("quelle est la capitale de l'Australie", "none"),
];

fn model_path() -> Option<PathBuf> {
    let path = std::env::var_os("MEDIFLUX_TEST_MODEL")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| {
                PathBuf::from(home).join(".cache/mediflux/models/gemma-3-270m-q4_k_m.gguf")
            })
        })?;
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "test model {} is missing; run scripts/fetch-test-model",
        path.display()
    );
    eprintln!(
        "skipped: test model {} is missing; run scripts/fetch-test-model",
        path.display()
    );
    None
}

#[test]
fn gemma_routes_hard_cases_validly() {
    let Some(path) = model_path() else { return };
    let (router, catalog) = support::router_and_catalog();
    let config = ModelConfig {
        threads: 2,
        ..ModelConfig::new(path)
    };
    let model = LocalModel::load(config, catalog.clone(), support::annotator(&router)).unwrap();
    // This GGUF is a base model without `tokenizer.chat_template`.
    assert_eq!(model.prompt().format, ChatFormat::Mixtral);
    // Gemma 270M is rarely sure of itself: accept all its valid decisions
    // so that the whole path runs.
    let mut cascade =
        Cascade::new(router, catalog.clone(), Some(Box::new(model))).with_min_probability(0.0);

    let mut correct = 0;
    let mut decided_by_model = 0;
    for (question, expected) in HARD_CASES {
        let routed = cascade.route(question, None, support::today());

        assert!(
            routed.model_error.is_none(),
            "{question:?}: {:?}",
            routed.model_error
        );
        let decision = &routed.decision;
        if decision.layer == MODEL_LAYER {
            decided_by_model += 1;
            let intent = decision
                .intent
                .as_deref()
                .expect("a model decision names an intent");
            let spec = catalog
                .intent(intent)
                .expect("the intent is in the catalog");
            assert_eq!(decision.plugin.as_deref(), Some(spec.plugin.as_str()));
            assert!(
                decision.slots.keys().all(|slot| spec.slots.contains(slot)),
                "{decision:?}"
            );
            assert!((0.0..=1.0).contains(&decision.confidence));
        }
        let routed_intent = decision.intent.as_deref().unwrap_or("none");
        if routed_intent == *expected {
            correct += 1;
        }
        eprintln!(
            "{:<8} {routed_intent:<20} expected {expected:<20} {question}",
            decision.layer
        );
    }

    eprintln!(
        "{correct} of {} hard cases right, {decided_by_model} decided by the model",
        HARD_CASES.len()
    );
    assert!(decided_by_model >= 3, "the rules decided most hard cases");
}
