//! The `mediflux` command end to end: plugins list and check, data queries
//! against the template plugin installed as a third party would, `ask`
//! before routing exists, settings errors.

use std::path::Path;

use mediflux_tests::{TEMPLATE_WASM, repository_root, run_mediflux};

/// Installs the template in `<data>/plugins/` the way
/// docs/plugin-authoring.md tells an author to.
fn install_template(data: &Path) -> std::path::PathBuf {
    let plugins = data.join("plugins");
    std::fs::create_dir_all(&plugins).expect("plugins folder");
    let bytes = std::fs::read(TEMPLATE_WASM).expect("template component");
    std::fs::write(plugins.join("regions.wasm"), &bytes).expect("copy component");
    let manifest =
        std::fs::read_to_string(repository_root().join("plugins/template/template.toml"))
            .expect("template manifest")
            .replace("id = \"template\"", "id = \"regions\"")
            .replace("mediflux_plugin_template.wasm", "regions.wasm")
            .replace(
                "0000000000000000000000000000000000000000000000000000000000000000",
                &mediflux_manifest::sha256_hex(&bytes),
            );
    let path = plugins.join("regions.toml");
    std::fs::write(&path, manifest).expect("write manifest");
    path
}

#[test]
fn plugins_list_shows_bundled_plugins() {
    let data = tempfile::tempdir().expect("data folder");
    let (status, stdout, stderr) = run_mediflux(data.path(), &["plugins", "list"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("help ") && line.contains("bundled")),
        "{stdout}"
    );
    // Regression: long ids and operation lists pushed later columns right.
    let origin_columns: Vec<Option<usize>> = stdout
        .lines()
        .map(|line| line.rfind(" bundled").or_else(|| line.rfind(" ORIGIN")))
        .collect();
    assert!(
        origin_columns.windows(2).all(|pair| pair[0] == pair[1]),
        "{stdout}"
    );
}

#[test]
fn third_party_plugin_is_checked_listed_and_queried() {
    let data = tempfile::tempdir().expect("data folder");
    let manifest = install_template(data.path());

    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &["plugins", "check", manifest.to_str().expect("utf-8")],
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.starts_with("ok: plugin regions 0.1.0 (data-source, SDK 0.1.0)"),
        "{stdout}"
    );

    let (status, stdout, _) = run_mediflux(data.path(), &["plugins", "list", "--json"]);
    assert_eq!(status, 0);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&stdout).expect("JSON list");
    let regions = listed
        .iter()
        .find(|plugin| plugin["id"] == "regions")
        .expect("regions listed");
    assert_eq!(regions["operations"], serde_json::json!(["get", "search"]));

    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &["data", "query", "regions", "get", "code=53", "--json"],
    );
    assert_eq!(status, 0, "{stderr}");
    let records: serde_json::Value = serde_json::from_str(&stdout).expect("JSON records");
    assert_eq!(records[0]["body"]["name"], "Bretagne");
}

#[test]
fn broken_third_party_manifest_does_not_hide_others() {
    let data = tempfile::tempdir().expect("data folder");
    let manifest = install_template(data.path());
    std::fs::write(
        data.path().join("plugins/broken.toml"),
        "id = \"broken\"\nname = 3\n",
    )
    .expect("write");

    let (status, stdout, _) = run_mediflux(data.path(), &["plugins", "list"]);
    assert_eq!(status, 0);
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("broken") && line.contains("invalid")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|line| line.starts_with("regions ")),
        "{stdout}"
    );

    let (status, _, stderr) = run_mediflux(
        data.path(),
        &[
            "plugins",
            "check",
            data.path()
                .join("plugins/broken.toml")
                .to_str()
                .expect("utf-8"),
        ],
    );
    assert_eq!(status, 1);
    assert!(stderr.contains("broken.toml:2"), "{stderr}");
    drop(manifest);
}

#[test]
fn tampered_component_check_prints_the_hash_to_write() {
    let data = tempfile::tempdir().expect("data folder");
    let manifest = install_template(data.path());
    let wasm = data.path().join("plugins/regions.wasm");
    let mut bytes = std::fs::read(&wasm).expect("read");
    bytes.extend_from_slice(b"\0");
    std::fs::write(&wasm, &bytes).expect("tamper");

    let (status, _, stderr) = run_mediflux(
        data.path(),
        &["plugins", "check", manifest.to_str().expect("utf-8")],
    );
    assert_eq!(status, 1);
    assert!(
        stderr.contains(&format!(
            "set sha256 = \"{}\"",
            mediflux_manifest::sha256_hex(&bytes)
        )),
        "{stderr}"
    );
}

#[test]
fn data_query_argument_types_follow_the_manifest() {
    let data = tempfile::tempdir().expect("data folder");
    install_template(data.path());
    let (status, _, stderr) =
        run_mediflux(data.path(), &["data", "query", "regions", "get", "nocode"]);
    assert_eq!(status, 1);
    assert!(
        stderr.contains("argument `nocode` is not NAME=VALUE"),
        "{stderr}"
    );

    let (status, _, stderr) = run_mediflux(data.path(), &["data", "query", "help", "get"]);
    assert_eq!(status, 1);
    assert!(
        stderr.contains("plugin `help` is not a data-source plugin"),
        "{stderr}"
    );
}

#[test]
fn ask_routes_consultation_question() {
    let data = tempfile::tempdir().expect("data folder");
    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &[
            "ask",
            "Combien coûte une consultation chez le généraliste en mars 2025 ?",
            "--json",
        ],
    );
    assert_eq!(status, 0, "{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).expect("JSON answer");
    assert_eq!(answer["intent"], "cost.consultation");
    assert_eq!(answer["plugin"], "cost");
    assert_eq!(answer["layer"], "rules");
    assert_eq!(answer["slots"]["specialty"], "generaliste");

    // 2025 GP tariff 30 €, 70 % = 21 €, participation forfaitaire 2 €.
    let total = &answer["result"]["body"]["total"];
    assert_eq!(total["billed_cents"], 3000);
    assert_eq!(total["amo_cents"], 2100);
    assert_eq!(total["deductions_cents"], 200);
    let text = answer["answer"].as_str().expect("answer text");
    assert!(text.contains("règles de remboursement 2025"), "{text}");
}

/// Regression: the age and the pathway stated in the question were ignored,
/// so a 4-year-old paid the participation forfaitaire and a patient without
/// médecin traitant was refunded at 70 %.
#[test]
fn ask_cost_reads_stated_age_and_pathway() {
    let data = tempfile::tempdir().expect("data folder");
    let ask = |question: &str| {
        let (status, stdout, stderr) = run_mediflux(data.path(), &["ask", question, "--json"]);
        assert_eq!(status, 0, "{stderr}");
        serde_json::from_str::<serde_json::Value>(&stdout).expect("JSON answer")
    };

    let child = ask("Combien coûte un généraliste pour mon fils de 4 ans en mars 2025 ?");
    let outside =
        ask("Je n'ai pas de médecin traitant, combien me coûte un généraliste en mars 2025 ?");

    assert_eq!(child["slots"]["patient_age"], "4", "{child}");
    assert_eq!(
        child["result"]["body"]["total"]["deductions_cents"], 0,
        "{child}"
    );
    assert_eq!(outside["intent"], "cost.consultation", "{outside}");
    assert_eq!(outside["slots"]["medecin_traitant"], "non", "{outside}");
    // 30 % of the 30 € tariff outside the coordinated pathway.
    assert_eq!(
        outside["result"]["body"]["total"]["amo_cents"], 900,
        "{outside}"
    );
}

#[test]
fn ask_unknown_question_lists_examples() {
    let data = tempfile::tempdir().expect("data folder");
    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &["ask", "Quel temps fera-t-il demain à Brest ?"],
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("Je n\u{2019}ai pas compris votre question"),
        "{stdout}"
    );
    assert!(stdout.contains("Que sais-tu faire ?"), "{stdout}");
    assert!(stdout.contains("mediflux data sync bdpm"), "{stdout}");
    assert!(
        stdout.contains("Aucun modèle de langue local n\u{2019}est installé"),
        "{stdout}"
    );
}

#[test]
fn ask_follow_up_keeps_previous_context() {
    let data = tempfile::tempdir().expect("data folder");
    let (status, _, stderr) = run_mediflux(data.path(), &["profile", "set", "--age", "40"]);
    assert_eq!(status, 0, "{stderr}");

    let (status, _, stderr) = run_mediflux(
        data.path(),
        &[
            "ask",
            "Combien coûte une consultation chez un cardiologue en mars 2026 ?",
        ],
    );
    assert_eq!(status, 0, "{stderr}");

    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &["ask", "et avec une mutuelle à 200 % ?", "--json"],
    );
    assert_eq!(status, 0, "{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).expect("JSON answer");
    assert_eq!(answer["intent"], "cost.consultation", "{stdout}");
    assert_eq!(answer["slots"]["specialty"], "cardiologue", "{stdout}");
    assert_eq!(answer["slots"]["mutuelle_level"], "200% BR", "{stdout}");
    assert_eq!(answer["slots"]["date"], "2026-03", "{stdout}");
}

#[test]
fn route_prints_intent_slots_and_layer() {
    let data = tempfile::tempdir().expect("data folder");
    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &[
            "route",
            "Combien coûte un dermatologue secteur 2 avec ma mutuelle à 150 % ?",
            "--json",
        ],
    );
    assert_eq!(status, 0, "{stderr}");
    let decision: serde_json::Value = serde_json::from_str(&stdout).expect("JSON decision");
    assert_eq!(decision["intent"], "cost.consultation");
    assert_eq!(decision["layer"], "rules");
    assert!(decision["slots"].is_object(), "{stdout}");
    assert_eq!(decision["slots"]["specialty"], "dermatologue");
    assert_eq!(decision["slots"]["mutuelle_level"], "150% BR");
    assert!(
        decision["confidence"]
            .as_f64()
            .is_some_and(|value| value > 0.0),
        "{stdout}"
    );
}

#[test]
fn eval_router_reports_scores() {
    let data = tempfile::tempdir().expect("data folder");
    let tsv = data.path().join("questions.tsv");
    std::fs::write(
        &tsv,
        "Que sais-tu faire ?\thelp\t\nQuel est le prix d'une consultation chez le généraliste ?\tcost.consultation\tspecialty=generaliste\nQuelle heure est-il ?\tout_of_scope\t\n",
    )
    .expect("write questions");
    let (status, stdout, stderr) = run_mediflux(
        data.path(),
        &["eval", "router", tsv.to_str().expect("utf-8"), "--json"],
    );
    assert_eq!(status, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    assert_eq!(report["cases"], 3);
    assert_eq!(report["intent_accuracy"], 1.0, "{stdout}");
    assert_eq!(report["slot_precision"], 1.0, "{stdout}");
    assert_eq!(report["slot_recall"], 1.0, "{stdout}");
}

#[test]
fn config_file_errors_name_the_line() {
    let data = tempfile::tempdir().expect("data folder");
    let config = data.path().join("bad.toml");
    std::fs::write(&config, "[http]\nroots = []\n").expect("write");
    let output = std::process::Command::new(mediflux_tests::mediflux_binary())
        .args([
            "--config",
            config.to_str().expect("utf-8"),
            "--data-dir",
            data.path().to_str().expect("utf-8"),
            "paths",
        ])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("bad.toml:2"), "{stderr}");
    assert!(stderr.contains("roots"), "{stderr}");
}

#[test]
fn environment_overrides_config_and_flag_overrides_environment() {
    let data = tempfile::tempdir().expect("data folder");
    let config = data.path().join("config.toml");
    std::fs::write(
        &config,
        "plugins_dir = \"/from/config\"\nrules_dir = \"/rules/from/config\"\n",
    )
    .expect("write");
    let output = std::process::Command::new(mediflux_tests::mediflux_binary())
        .args([
            "--config",
            config.to_str().expect("utf-8"),
            "--data-dir",
            data.path().to_str().expect("utf-8"),
            "paths",
            "--json",
        ])
        .env("MEDIFLUX_PLUGINS_DIR", "/from/environment")
        .env("MEDIFLUX_DATA_DIR", "/ignored/because/of/the/flag")
        .env_remove("MEDIFLUX_RULES_DIR")
        .env_remove("MEDIFLUX_CACHE_DIR")
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let paths: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(paths["plugins_dir"], "/from/environment");
    assert_eq!(paths["rules_dir"], "/rules/from/config");
    assert_eq!(paths["data_dir"], data.path().to_str().expect("utf-8"));
}

#[test]
fn closed_stdout_ends_quietly() {
    let data = tempfile::tempdir().expect("data folder");
    let mut child = std::process::Command::new(mediflux_tests::mediflux_binary())
        .args(["--data-dir", data.path().to_str().expect("utf-8")])
        .args(["rules", "show", "2026"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mediflux");

    // Close the read end before mediflux prints, as `| head -0` would, so
    // that its first write fails with a broken pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait for mediflux");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(141), "{stderr}");
}
