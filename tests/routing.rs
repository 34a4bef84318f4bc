//! Routing through the `mediflux` binary with and without a local model:
//! `route --json`, `eval router --json` and `ask` on a question the rules
//! leave open. The model is a tiny GGUF with random weights written by the
//! test, so its answers are noise; what is checked is that every layer
//! answers validly and that a missing model never crashes a command. A
//! third-party intent plugin dropped into the plugins folder is routed and
//! its reply printed, with no change to the host.

#[path = "../engine/model/tests/support/tiny_gguf.rs"]
mod tiny_gguf;

use std::path::Path;

use mediflux_tests::{SERVICES_WASM, install, run_mediflux, run_mediflux_with_env};

/// A question without any cue word of the bundled plugins' rules.
const OPEN_QUESTION: &str = "Quel temps fera-t-il demain à Brest ?";

fn tiny_model(folder: &Path) -> std::path::PathBuf {
    let path = folder.join("tiny.gguf");
    tiny_gguf::TinyModel::default()
        .write(&path)
        .expect("tiny model is written");
    path
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|error| panic!("{error}: {stdout}"))
}

#[test]
fn route_json_without_model_falls_back() {
    let data = tempfile::tempdir().expect("data folder");

    let (status, stdout, stderr) = run_mediflux(data.path(), &["--json", "route", OPEN_QUESTION]);

    assert_eq!(status, 0, "{stderr}");
    let decision = json(&stdout);
    assert_eq!(decision["layer"], "fallback");
    assert_eq!(decision["intent"], serde_json::Value::Null);
    assert_eq!(decision["model"], "missing");
    assert_eq!(decision["model_outcome"], "not-asked");
    assert!(decision["slots"].is_object());
    assert!(decision["confidence"].is_number());
}

#[test]
fn route_json_rules_layer_keys() {
    let data = tempfile::tempdir().expect("data folder");

    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &[
            "--json",
            "route",
            "Combien coûte une consultation chez un dermatologue en 2025 ?",
        ],
    );

    assert_eq!(status, 0, "{stderr}");
    let decision = json(&stdout);
    assert_eq!(decision["layer"], "rules");
    assert_eq!(decision["intent"], "cost.consultation");
    assert_eq!(decision["slots"]["specialty"], "dermatologue");
    assert_eq!(decision["slots"]["date"], "2025");
}

#[test]
fn route_with_tiny_model_decides_validly() {
    let data = tempfile::tempdir().expect("data folder");
    let model = tiny_model(data.path());

    let (status, stdout, stderr) = run_mediflux_with_env(
        data.path(),
        &["--json", "route", OPEN_QUESTION],
        &[
            ("MEDIFLUX_MODEL", &model),
            ("MEDIFLUX_MODEL_THREADS", Path::new("1")),
        ],
    );

    assert_eq!(status, 0, "{stderr}");
    let decision = json(&stdout);
    assert_eq!(decision["model"], "available");
    assert_eq!(decision["model_error"], serde_json::Value::Null, "{stdout}");
    let outcome = decision["model_outcome"].as_str();
    match decision["layer"].as_str() {
        Some("model") => {
            assert_eq!(outcome, Some("decided"), "{stdout}");
            assert!(decision["intent"].is_string(), "{stdout}");
            assert!(decision["plugin"].is_string(), "{stdout}");
        }
        Some("fallback") => {
            assert_eq!(decision["intent"], serde_json::Value::Null);
            assert!(matches!(outcome, Some("unsure" | "no-intent")), "{stdout}");
        }
        other => panic!("unexpected layer {other:?}: {stdout}"),
    }
}

#[test]
fn ask_with_missing_configured_model_answers() {
    let data = tempfile::tempdir().expect("data folder");
    let missing = data.path().join("absent.gguf");

    let (status, stdout, stderr) = run_mediflux_with_env(
        data.path(),
        &["ask", OPEN_QUESTION],
        &[("MEDIFLUX_MODEL", &missing)],
    );

    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("Je n\u{2019}ai pas compris votre question"),
        "{stdout}"
    );
    assert!(stdout.contains("absent.gguf"), "{stdout}");
    assert!(stdout.contains("MEDIFLUX_MODEL"), "{stdout}");
    assert!(
        stderr.contains("configured model file not found"),
        "{stderr}"
    );
}

#[test]
fn ask_with_broken_model_answers() {
    let data = tempfile::tempdir().expect("data folder");
    let broken = data.path().join("broken.gguf");
    std::fs::write(&broken, b"GGUF but not really").expect("write the file");

    let (status, stdout, stderr) = run_mediflux_with_env(
        data.path(),
        &["ask", OPEN_QUESTION],
        &[("MEDIFLUX_MODEL", &broken)],
    );

    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("Je n\u{2019}ai pas compris votre question"),
        "{stdout}"
    );
    assert!(
        stdout.contains("broken.gguf) n\u{2019}a pas pu être chargé"),
        "{stdout}"
    );
    assert!(
        !stderr.contains("ggml"),
        "llama.cpp's own log stays off without -v: {stderr}"
    );
}

#[test]
fn route_names_file_not_gguf() {
    let data = tempfile::tempdir().expect("data folder");
    let text = data.path().join("notes.gguf");
    std::fs::write(&text, "ceci n'est pas un modèle").expect("write the file");

    let (status, stdout, stderr) = run_mediflux_with_env(
        data.path(),
        &["--json", "route", OPEN_QUESTION],
        &[("MEDIFLUX_MODEL", &text)],
    );

    assert_eq!(status, 0, "{stderr}");
    let decision = json(&stdout);
    assert_eq!(decision["model_outcome"], "failed");
    let model_error = decision["model_error"].as_str().unwrap_or_default();
    assert!(model_error.contains("is not a GGUF file"), "{stdout}");
}

#[test]
fn invalid_thread_count_names_value() {
    let data = tempfile::tempdir().expect("data folder");

    let (status, _, stderr) = run_mediflux_with_env(
        data.path(),
        &["route", OPEN_QUESTION],
        &[("MEDIFLUX_MODEL_THREADS", Path::new("beaucoup"))],
    );

    assert_eq!(status, 1);
    assert!(
        stderr.contains("invalid MEDIFLUX_MODEL_THREADS value \"beaucoup\""),
        "{stderr}"
    );
}

#[test]
fn eval_router_rules_only_json_keys() {
    let data = tempfile::tempdir().expect("data folder");
    let tsv = data.path().join("set.tsv");
    std::fs::write(
        &tsv,
        "Combien coûte une consultation chez un dermatologue en 2025 ?\tcost.consultation\tspecialty=dermatologue;date=2025\n\
         Quel temps fera-t-il demain ?\tout_of_scope\t\n",
    )
    .expect("write the set");
    let model = tiny_model(data.path());

    let (status, stdout, stderr) = run_mediflux_with_env(
        data.path(),
        &[
            "--json",
            "eval",
            "router",
            tsv.to_str().expect("UTF-8 path"),
            "--rules-only",
        ],
        &[("MEDIFLUX_MODEL", &model)],
    );

    assert_eq!(status, 0, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["layer"], "rules");
    assert_eq!(report["model"], "off");
    assert_eq!(report["cases"], 2);
    assert_eq!(report["intent_accuracy"], 1.0);
    assert_eq!(report["slot_precision"], 1.0);
    assert_eq!(report["slot_recall"], 1.0);
    assert_eq!(report["decided_by"]["rules"], 1);
    assert_eq!(report["decided_by"]["fallback"], 1);
}

#[test]
fn help_examples_route_to_their_capability() {
    let data = tempfile::tempdir().expect("data folder");
    let bdpm = mediflux_tests::repository_root().join("../shared/data/bdpm/2026-01-28");
    let (status, _, stderr) = run_mediflux(
        data.path(),
        &["data", "import", "bdpm", bdpm.to_str().expect("UTF-8 path")],
    );
    assert_eq!(status, 0, "{stderr}");

    for (_, example) in mediflux_plugin_help::CAPABILITIES {
        let (status, stdout, stderr) =
            run_mediflux(data.path(), &["--json", "route", example, "--rules-only"]);

        assert_eq!(status, 0, "{stderr}");
        let decision = json(&stdout);
        assert_eq!(decision["layer"], "rules", "{example}: {stdout}");
        assert_ne!(decision["intent"], "help", "{example}: {stdout}");
    }
}

/// Manifest of a third-party intent plugin, as its author would write it.
/// The component is the services test guest, whose `svc.echo` intent
/// echoes the slots it received.
const THIRD_PARTY_MANIFEST: &str = r#"id = "vaccins"
name = "Vaccins"
version = "0.1.0"
kind = "intent"
sdk = "^0.1"
description = "Vaccination reminders."

[[intents]]
id = "svc.echo"
description = "When is the next vaccine booster due?"
examples = ["Quand faire mon rappel de vaccin contre le tétanos ?"]
slots = ["location"]
rules = [{ any = ["vaccin", "vaccins", "vaccination", "rappel"], weight = 5 }]
"#;

const VACCINE_QUESTION: &str = "Quand faire le rappel du vaccin contre le tétanos à Lyon ?";

#[test]
fn third_party_plugin_is_routed() {
    let data = tempfile::tempdir().expect("data folder");
    let plugins = data.path().join("plugins");
    std::fs::create_dir(&plugins).expect("create the plugins folder");

    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &["--json", "route", VACCINE_QUESTION, "--rules-only"],
    );
    assert_eq!(status, 0, "{stderr}");
    assert_ne!(json(&stdout)["intent"], "svc.echo", "{stdout}");

    install(&plugins, "vaccins", SERVICES_WASM, THIRD_PARTY_MANIFEST);
    let environment: &[(&str, &Path)] = &[("MEDIFLUX_PLUGINS_DIR", &plugins)];
    let (status, stdout, stderr) = run_mediflux_with_env(
        data.path(),
        &["--json", "route", VACCINE_QUESTION, "--rules-only"],
        environment,
    );

    assert_eq!(status, 0, "{stderr}");
    let decision = json(&stdout);
    assert_eq!(decision["layer"], "rules", "{stdout}");
    assert_eq!(decision["intent"], "svc.echo", "{stdout}");
    assert_eq!(decision["plugin"], "vaccins", "{stdout}");
    assert_eq!(decision["slots"]["location"], "Lyon", "{stdout}");

    let (status, stdout, stderr) =
        run_mediflux_with_env(data.path(), &["ask", VACCINE_QUESTION], environment);

    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("location=Lyon"), "{stdout}");

    let (status, stdout, stderr) =
        run_mediflux_with_env(data.path(), &["ask", OPEN_QUESTION], environment);

    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("Quand faire mon rappel de vaccin contre le tétanos ?"),
        "the capability list names the new plugin's example: {stdout}"
    );
}
