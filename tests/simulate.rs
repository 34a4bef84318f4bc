//! `mediflux simulate` through the real binary and the bundled `cost`
//! plugin: worked examples to the cent, a dated tariff change, a user rules
//! folder, medicines from an imported BDPM snapshot and French errors.
//!
//! The expected amounts are the published examples of ameli.fr and
//! service-public.fr for an adult with a médecin traitant.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use mediflux_tests::{mediflux_binary, repository_root, run_mediflux};
use serde_json::Value;

/// BDPM files published on 2026-01-28, beside the repository.
fn bdpm_files() -> PathBuf {
    repository_root().join("../shared/data/bdpm/2026-01-28")
}

/// Runs `simulate --json` with `arguments` and returns the parsed result,
/// panicking with the output when the command fails.
fn simulate_json(data_dir: &Path, arguments: &[&str]) -> Value {
    let mut full = vec!["--json", "simulate"];
    full.extend_from_slice(arguments);
    let (code, stdout, stderr) = run_mediflux(data_dir, &full);
    assert_eq!(
        code, 0,
        "simulate failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"))
}

/// Returns billed, base, AMO, deductions, AMC and patient cents of `amounts`.
fn six(amounts: &Value) -> [i64; 6] {
    [
        "billed_cents",
        "base_cents",
        "amo_cents",
        "deductions_cents",
        "amc_cents",
        "patient_cents",
    ]
    .map(|key| {
        amounts[key]
            .as_i64()
            .unwrap_or_else(|| panic!("missing {key} in {amounts}"))
    })
}

/// Returns a data folder with the 2026-01-28 BDPM imported, shared by the
/// medicine tests.
fn bdpm_data_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary data folder");
        let files = bdpm_files();
        let (code, stdout, stderr) = run_mediflux(
            dir.path(),
            &[
                "data",
                "import",
                "bdpm",
                files.to_str().expect("UTF-8 path"),
            ],
        );
        assert_eq!(code, 0, "import failed\nstdout: {stdout}\nstderr: {stderr}");
        dir
    })
    .path()
}

#[test]
fn gp_2023_matches_worked_example() {
    let dir = tempfile::tempdir().expect("temporary data folder");
    let result = simulate_json(
        dir.path(),
        &[
            "--specialty",
            "généraliste",
            "--date",
            "2023-06-01",
            "--age",
            "40",
            "--mutuelle",
            "100% BR",
        ],
    );

    assert_eq!(result["schema"], "cost.breakdown/1");
    assert_eq!(six(&result["total"]), [2500, 2500, 1750, 100, 750, 100]);
    assert_eq!(six(&result["lines"][0]), [2500, 2500, 1750, 100, 750, 100]);
    assert_eq!(result["rule_set_year"], 2023);
}

#[test]
fn gp_2025_matches_service_public() {
    let dir = tempfile::tempdir().expect("temporary data folder");
    let result = simulate_json(
        dir.path(),
        &[
            "--specialty",
            "généraliste",
            "--date",
            "2025-06-01",
            "--age",
            "40",
            "--mutuelle",
            "100% BR",
        ],
    );

    // service-public.fr: 30 € × 70 % − 2 € = 19 € paid by the AMO.
    assert_eq!(six(&result["total"]), [3000, 3000, 2100, 200, 900, 200]);
}

#[test]
fn optam_specialist_with_m200() {
    let dir = tempfile::tempdir().expect("temporary data folder");
    let arguments = [
        "--specialty",
        "cardiologue",
        "--sector",
        "2-optam",
        "--billed",
        "60",
        "--date",
        "2025-06-01",
        "--age",
        "40",
        "--mutuelle",
        "200% BR",
    ];
    let result = simulate_json(dir.path(), &arguments);
    assert_eq!(six(&result["total"]), [6000, 3150, 2205, 200, 3795, 200]);

    let mut text_arguments = vec!["simulate"];
    text_arguments.extend_from_slice(&arguments);
    let (code, stdout, stderr) = run_mediflux(dir.path(), &text_arguments);
    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(
        stdout.contains("Base de remboursement\u{a0}: 31,50\u{a0}€"),
        "{stdout}"
    );
    assert!(stdout.contains("Mutuelle\u{a0}: 37,95\u{a0}€"), "{stdout}");
    assert!(
        stdout.contains("Reste à charge\u{a0}: 2,00\u{a0}€"),
        "{stdout}"
    );
    assert!(stdout.contains("règles de remboursement 2025"), "{stdout}");
}

#[test]
fn gp_tariff_changes_on_2024_12_22() {
    let dir = tempfile::tempdir().expect("temporary data folder");
    let day_before = simulate_json(
        dir.path(),
        &[
            "--specialty",
            "généraliste",
            "--date",
            "2024-12-21",
            "--age",
            "40",
        ],
    );
    let day_of = simulate_json(
        dir.path(),
        &[
            "--specialty",
            "généraliste",
            "--date",
            "2024-12-22",
            "--age",
            "40",
        ],
    );

    // 26,50 € until 2024-12-21, 30 € from 2024-12-22; no mutuelle.
    assert_eq!(six(&day_before["total"]), [2650, 2650, 1855, 200, 0, 995]);
    assert_eq!(six(&day_of["total"]), [3000, 3000, 2100, 200, 0, 1100]);
}

/// Copies the shipped rule sets into `target` and adds a GP tariff of 32 €
/// from 2026-05-01 to the 2026 set.
fn edited_rules(target: &Path) {
    let shipped = repository_root().join("manifests/rules/fr");
    for entry in std::fs::read_dir(&shipped).expect("list the rule sets") {
        let path = entry.expect("rule set entry").path();
        if path
            .extension()
            .is_some_and(|extension| extension == "toml")
        {
            std::fs::copy(&path, target.join(path.file_name().expect("file name")))
                .expect("copy a rule set");
        }
    }

    let file = target.join("2026.toml");
    let text = std::fs::read_to_string(&file).expect("read 2026.toml");
    let header = "[values.\"consultation.generaliste.tarif\"]";
    let start = text.find(header).expect("GP tariff in 2026.toml");
    let end = start + text[start..].find("\n]").expect("end of the steps");
    let edited = format!(
        "{}\n  {{ from = 2026-05-01, value = 3200, source = \"ameli-tarifs-medecins\" }},{}",
        &text[..end],
        &text[end..]
    );
    std::fs::write(&file, edited).expect("write 2026.toml");
}

/// Runs `mediflux` with its own configuration file and environment.
fn run_configured(
    data_dir: &Path,
    config: &Path,
    environment: &[(&str, &Path)],
    arguments: &[&str],
) -> (i32, String, String) {
    let mut command = Command::new(mediflux_binary());
    command
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(config)
        .args(arguments)
        .env_remove("MEDIFLUX_CACHE_DIR")
        .env_remove("MEDIFLUX_PLUGINS_DIR")
        .env_remove("MEDIFLUX_RULES_DIR")
        .env_remove("RUST_LOG");
    for (name, value) in environment {
        command.env(name, value);
    }
    let output = command.output().expect("run mediflux");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn user_rules_folder_changes_answer() {
    let dir = tempfile::tempdir().expect("temporary data folder");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("rules folder");
    edited_rules(&rules);
    let arguments = [
        "--json",
        "simulate",
        "--specialty",
        "généraliste",
        "--date",
        "2026-06-01",
        "--age",
        "40",
        "--mutuelle",
        "100%",
    ];

    let shipped = simulate_json(dir.path(), &arguments[2..]);
    assert_eq!(six(&shipped["total"]), [3000, 3000, 2100, 200, 900, 200]);

    let config = dir.path().join("rules-config.toml");
    let toml_path = rules.to_str().expect("UTF-8 path").replace('\\', "\\\\");
    std::fs::write(&config, format!("rules_dir = \"{toml_path}\"\n")).expect("write config");
    let (code, stdout, stderr) = run_configured(dir.path(), &config, &[], &arguments);
    assert_eq!(code, 0, "stderr: {stderr}");
    let from_config: Value = serde_json::from_str(&stdout).expect("JSON");
    // 32 € × 70 % = 22,40 €; M100 pays the 9,60 € ticket modérateur.
    assert_eq!(
        six(&from_config["total"]),
        [3200, 3200, 2240, 200, 960, 200]
    );

    let empty = dir.path().join("empty-config.toml");
    let (code, stdout, stderr) = run_configured(
        dir.path(),
        &empty,
        &[("MEDIFLUX_RULES_DIR", &rules)],
        &arguments,
    );
    assert_eq!(code, 0, "stderr: {stderr}");
    let from_environment: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        six(&from_environment["total"]),
        [3200, 3200, 2240, 200, 960, 200]
    );
}

#[test]
fn doliprane_box_from_bdpm() {
    let result = simulate_json(
        bdpm_data_dir(),
        &[
            "--medicine",
            "3400935955838",
            "--date",
            "2026-06-01",
            "--age",
            "40",
            "--mutuelle",
            "100% BR",
        ],
    );

    // 1,07 € plus the 1,02 € dispensing fee gives a BR of 2,09 €; 65 % of
    // it is 1,36 €, less the 1 € franchise; M100 pays the 0,73 € TM.
    let line = &result["lines"][0];
    assert_eq!(line["amo_rate_basis_points"], 6500);
    assert_eq!(six(line), [209, 209, 136, 100, 73, 100]);
    assert_eq!(result["bdpm_imported_at"], "2026-01-28");
}

#[test]
fn prescription_fees_are_added_on_request() {
    let arguments = [
        "--medicine",
        "3400935955838",
        "--date",
        "2026-06-01",
        "--age",
        "40",
        "--mutuelle",
        "100% BR",
    ];
    let without = simulate_json(bdpm_data_dir(), &arguments);
    assert_eq!(without["lines"].as_array().map(Vec::len), Some(1));

    let mut with_fees = arguments.to_vec();
    with_fees.push("--prescription-fees");
    let result = simulate_json(bdpm_data_dir(), &with_fees);

    // The exécution d'ordonnance fee is 0,61 € from 2025-01-08, reimbursed
    // at 70 %: 0,427 € rounds to 0,43 €, and M100 pays the 0,18 € left.
    // A 40-year-old adult gets no age fee; one line is no complex
    // prescription.
    assert_eq!(result["lines"].as_array().map(Vec::len), Some(2));
    assert_eq!(six(&result["lines"][1]), [61, 61, 43, 0, 18, 0]);
    assert_eq!(result["total"]["billed_cents"], 270);
}

#[test]
fn doliprane_name_states_chosen_box() {
    let (code, stdout, stderr) = run_mediflux(
        bdpm_data_dir(),
        &[
            "simulate",
            "--medicine",
            "Doliprane 1000",
            "--date",
            "2026-06-01",
        ],
    );

    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(stdout.contains("CIP13 3400935955838"), "{stdout}");
    assert!(
        stdout.contains("Pour changer\u{a0}: précisez le dosage"),
        "{stdout}"
    );
    assert!(stdout.contains("import du 28 janvier 2026"), "{stdout}");
    assert!(stdout.contains("règles de remboursement 2026"), "{stdout}");
}

#[test]
fn unknown_medicine_lists_nearest_names() {
    let (code, stdout, _) = run_mediflux(
        bdpm_data_dir(),
        &[
            "simulate",
            "--medicine",
            "Dolipraine",
            "--date",
            "2026-06-01",
        ],
    );

    assert_eq!(code, 1);
    assert!(
        stdout.contains("Je ne trouve pas «\u{a0}Dolipraine\u{a0}»"),
        "{stdout}"
    );
    assert!(stdout.contains("Noms proches\u{a0}: DOLIPRANE"), "{stdout}");
}

#[test]
fn invalid_options_get_french_errors() {
    let dir = tempfile::tempdir().expect("temporary data folder");
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "simulate",
                "--specialty",
                "généraliste",
                "--mutuelle",
                "beaucoup",
            ],
            "« beaucoup » invalide",
        ),
        (
            &[
                "simulate",
                "--specialty",
                "généraliste",
                "--date",
                "2025-02-30",
            ],
            "« 2025-02-30 » invalide",
        ),
        (
            &["simulate", "--specialty", "cardiologue", "--sector", "4"],
            "secteur « 4 » invalide",
        ),
        (&["simulate", "--age", "40"], "rien à simuler"),
        (
            &["simulate", "--specialty", "généraliste", "--en-sus"],
            "--en-sus précise un contrat de mutuelle",
        ),
    ];

    for (arguments, expected) in cases {
        let (code, _, stderr) = run_mediflux(dir.path(), arguments);
        assert_ne!(code, 0, "{arguments:?} should fail");
        assert!(stderr.contains(expected), "{arguments:?}: {stderr}");
    }
}

#[test]
fn medicine_without_import_says_how() {
    let dir = tempfile::tempdir().expect("temporary data folder");
    let (code, _, stderr) = run_mediflux(dir.path(), &["simulate", "--medicine", "Doliprane"]);

    assert_ne!(code, 0);
    assert!(stderr.contains("mediflux data import bdpm"), "{stderr}");
}
