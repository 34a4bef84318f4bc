//! The model layer on a tiny GGUF with random weights, written by the test:
//! loading, chat template, grammar, prefix cache and JSON validity.

#![cfg(feature = "llama")]

mod support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mediflux_model::{ChatFormat, IntentModel, LocalModel, ModelConfig, ModelError, parse_output};
use support::tiny_gguf::TinyModel;

/// Questions in the styles patients write, none of them decided by the
/// rules on purpose: the tiny model must still answer validly.
const QUESTIONS: &[&str] = &[
    "Combien coûte le Doliprane avec ma mutuelle ?",
    "jai mal au dos depuis 4 mois, je fais quoi",
    "Trouver un cardiologue à Paris 15e",
    "Analyser ma carte tiers payant",
    "ÉTÉ, œuf, garçon : « citations » et \"guillemets\" \\ barre",
    "",
    "Quel temps fera-t-il demain ?",
];

fn folder() -> &'static Path {
    static FOLDER: OnceLock<tempfile::TempDir> = OnceLock::new();
    FOLDER
        .get_or_init(|| tempfile::tempdir().expect("temporary folder"))
        .path()
}

fn tiny_model(name: &str, model: TinyModel) -> PathBuf {
    let path = folder().join(name);
    if !path.exists() {
        model.write(&path).expect("tiny model is written");
    }
    path
}

fn config(path: PathBuf) -> ModelConfig {
    ModelConfig {
        threads: 1,
        ..ModelConfig::new(path)
    }
}

fn load(path: PathBuf) -> Result<LocalModel, ModelError> {
    let (router, catalog) = support::router_and_catalog();
    LocalModel::load(config(path), catalog, support::annotator(&router))
}

#[test]
fn tiny_model_answers_valid_json() {
    let mut model = load(tiny_model("plain.gguf", TinyModel::default())).unwrap();
    let (_, catalog) = support::router_and_catalog();

    for question in QUESTIONS {
        let (bytes, probability) = model
            .generate(question)
            .unwrap_or_else(|error| panic!("{question:?}: {error}"));

        let text = std::str::from_utf8(&bytes).expect("grammar keeps UTF-8 whole");
        let value: serde_json::Value = serde_json::from_str(text).expect("answer is JSON");
        assert!(value["intent"].is_string(), "{text}");
        assert!(value["slots"].is_object(), "{text}");
        let output = parse_output(&bytes, &catalog).expect("answer is a valid decision");
        if let Some(intent) = &output.intent {
            let declared = &catalog.intent(intent).unwrap().slots;
            assert!(
                output.slots.keys().all(|slot| declared.contains(slot)),
                "{text}"
            );
        }
        assert!(
            (0.0..=1.0).contains(&probability),
            "probability {probability}"
        );
    }
}

#[test]
fn missing_template_uses_mixtral_format() {
    let model = load(tiny_model("plain.gguf", TinyModel::default())).unwrap();

    assert_eq!(model.prompt().format, ChatFormat::Mixtral);
    assert!(model.prompt().prefix.starts_with("<s>[INST] "));
    assert_eq!(model.prompt().suffix, " [/INST]");
}

#[test]
fn chat_template_comes_from_metadata() {
    let template = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + \
                    message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}\
                    {% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    let path = tiny_model(
        "chatml.gguf",
        TinyModel {
            chat_template: Some(template.to_owned()),
            ..TinyModel::default()
        },
    );

    let mut model = load(path).unwrap();

    assert!(matches!(model.prompt().format, ChatFormat::Template(_)));
    assert!(
        model
            .prompt()
            .prefix
            .starts_with("<|im_start|>user\nYou route questions")
    );
    assert_eq!(model.prompt().suffix, "<|im_end|>\n<|im_start|>assistant\n");
    assert!(model.decide("Parcours de soins pour le diabète").is_ok());
}

#[test]
fn prefix_is_decoded_once() {
    let mut model = load(tiny_model("plain.gguf", TinyModel::default())).unwrap();

    model.generate("première question").unwrap();
    let first = model.timings();
    model.generate("deuxième question").unwrap();
    let second = model.timings();
    model.clear_cache();
    model.generate("troisième question").unwrap();
    let third = model.timings();

    assert!(first.prefix_decoded);
    assert!(!second.prefix_decoded);
    assert!(third.prefix_decoded);
    assert!(
        first.prefix_tokens > 500,
        "prefix of {} tokens",
        first.prefix_tokens
    );
}

#[test]
fn cached_and_uncached_answers_are_valid() {
    let path = tiny_model("plain.gguf", TinyModel::default());
    let (router, catalog) = support::router_and_catalog();
    let uncached = ModelConfig {
        cache_prefix: false,
        ..config(path.clone())
    };
    let mut with_cache =
        LocalModel::load(config(path), catalog.clone(), support::annotator(&router)).unwrap();
    let mut without_cache =
        LocalModel::load(uncached, catalog, support::annotator(&router)).unwrap();

    for question in &QUESTIONS[..3] {
        assert!(with_cache.decide(question).is_ok());
        assert!(without_cache.decide(question).is_ok());
        assert!(without_cache.timings().prefix_decoded);
    }
}

#[test]
fn missing_file_is_model_not_found() {
    let error = load(folder().join("absent.gguf")).unwrap_err();

    assert!(matches!(error, ModelError::ModelNotFound { .. }));
    assert!(error.to_string().contains("absent.gguf"));
}

#[test]
fn non_gguf_file_is_named() {
    let path = folder().join("not-a-model.gguf");
    std::fs::write(&path, b"this is not a GGUF file").unwrap();

    let error = load(path).unwrap_err();

    assert!(matches!(error, ModelError::NotGguf { .. }), "{error}");
    assert!(error.to_string().contains("not-a-model.gguf"));
}

#[test]
fn corrupt_gguf_fails_to_load() {
    let path = folder().join("corrupt.gguf");
    std::fs::write(&path, b"GGUF and then nothing readable").unwrap();

    let error = load(path).unwrap_err();

    assert!(matches!(error, ModelError::Load { .. }), "{error}");
    assert!(error.to_string().contains("corrupt.gguf"));
    assert!(error.to_string().contains("truncated, corrupt"), "{error}");
}

#[test]
fn zero_threads_are_rejected() {
    let (router, catalog) = support::router_and_catalog();
    let config = ModelConfig {
        threads: 0,
        ..config(tiny_model("plain.gguf", TinyModel::default()))
    };

    let error = LocalModel::load(config, catalog, support::annotator(&router)).unwrap_err();

    assert!(matches!(error, ModelError::InvalidThreads(0)));
}

#[test]
fn small_context_is_prompt_too_long() {
    let path = tiny_model(
        "short-context.gguf",
        TinyModel {
            context_length: 256,
            ..TinyModel::default()
        },
    );

    let error = load(path).unwrap_err();

    assert!(
        matches!(error, ModelError::PromptTooLong { available: 256, .. }),
        "{error}"
    );
}
