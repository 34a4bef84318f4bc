//! `mediflux ask` with statements about the patient, through the real
//! binary: the bundled `profile` plugin proposes a `profile.update/1`
//! change, the host saves it, and later cost questions use it.

use std::path::Path;

use mediflux_tests::run_mediflux;
use serde_json::Value;

/// Runs `mediflux` with `arguments`, panics with its output unless it
/// succeeds, and returns standard output.
fn ok(data: &Path, arguments: &[&str]) -> String {
    let (code, stdout, stderr) = run_mediflux(data, arguments);
    assert_eq!(
        code, 0,
        "mediflux {arguments:?} failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    stdout
}

/// Runs `mediflux` with `arguments` and parses standard output as JSON.
fn ok_json(data: &Path, arguments: &[&str]) -> Value {
    let stdout = ok(data, arguments);
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"))
}

/// Returns the default profile as `profile show --json` prints it.
fn profile(data: &Path) -> Value {
    ok_json(data, &["profile", "show", "--json"])
}

/// Returns the total of a consultation cost answer.
fn consultation_total(data: &Path) -> Value {
    let answer = ok_json(
        data,
        &[
            "ask",
            // A dated question, so that the rule set in force exists
            // whatever day the test runs.
            "Combien coûte une consultation chez le généraliste en mars 2026 ?",
            "--json",
        ],
    );
    assert_eq!(answer["intent"], "cost.consultation", "{answer}");
    answer["result"]["body"]["total"].clone()
}

#[test]
fn mutuelle_statement_creates_profile() {
    let data = tempfile::tempdir().expect("data folder");
    let stdout = ok(data.path(), &["ask", "J'ai une mutuelle à 200 %"]);
    assert!(
        stdout.contains("mutuelle\u{a0}: 200\u{a0}% BR"),
        "the answer says what will be recorded: {stdout}"
    );
    assert!(
        stdout.contains("profil «\u{a0}moi\u{a0}» créé"),
        "the confirmation names the created profile: {stdout}"
    );

    let shown = profile(data.path());
    assert_eq!(shown["label"], "moi", "{shown}");
    let guarantees = &shown["mutuelle"]["guarantees"];
    assert_eq!(guarantees["consultation_optam"], 20_000, "{shown}");
    assert_eq!(guarantees["pharmacy_65"], 20_000, "{shown}");
    assert_eq!(shown["mutuelle"]["responsable"], true, "{shown}");
}

#[test]
fn ask_json_reports_saved_profile() {
    let data = tempfile::tempdir().expect("data folder");
    let answer = ok_json(data.path(), &["ask", "J'ai 67 ans", "--json"]);
    assert_eq!(answer["intent"], "profile.update", "{answer}");
    assert_eq!(answer["result"]["schema"], "profile.update/1", "{answer}");
    assert_eq!(answer["result"]["body"], serde_json::json!({ "age": 67 }));
    assert_eq!(answer["saved_profile"]["label"], "moi", "{answer}");
    assert_eq!(answer["saved_profile"]["created"], true, "{answer}");
}

#[test]
fn age_statement_sets_age() {
    let data = tempfile::tempdir().expect("data folder");
    ok(data.path(), &["profile", "set", "--mutuelle", "100% BR"]);
    let stdout = ok(data.path(), &["ask", "J'ai 67 ans"]);
    assert!(stdout.contains("âge\u{a0}: 67\u{a0}ans"), "{stdout}");
    assert!(
        stdout.contains("enregistré dans le profil «\u{a0}moi\u{a0}»"),
        "{stdout}"
    );

    let shown = profile(data.path());
    assert_eq!(shown["age"]["stated"]["years"], 67, "{shown}");
    assert_eq!(
        shown["mutuelle"]["guarantees"]["consultation_optam"], 10_000,
        "other fields are kept: {shown}"
    );
}

#[test]
fn pregnancy_statement_records_pregnancy() {
    let data = tempfile::tempdir().expect("data folder");
    let stdout = ok(data.path(), &["ask", "Je suis enceinte de 3 mois"]);
    assert!(stdout.contains("enceinte de 3\u{a0}mois"), "{stdout}");

    let shown = profile(data.path());
    let start = shown["pregnancy"]["start"]
        .as_str()
        .expect("pregnancy start");
    let delivery = shown["pregnancy"]["expected_delivery"]
        .as_str()
        .expect("expected delivery");
    assert!(start < delivery, "start {start}, delivery {delivery}");
    assert!(shown["pregnancy"]["delivery"].is_null(), "{shown}");
}

#[test]
fn other_statements_update_profile() {
    let data = tempfile::tempdir().expect("data folder");
    ok(data.path(), &["ask", "Je n'ai pas de médecin traitant"]);
    ok(data.path(), &["ask", "Je suis en ALD pour mon diabète"]);
    ok(data.path(), &["ask", "J'ai la C2S"]);
    ok(data.path(), &["ask", "J'habite à Lyon 3e"]);

    let shown = profile(data.path());
    assert_eq!(shown["medecin_traitant"], false, "{shown}");
    assert_eq!(shown["ald"][0]["name"], "diabète de type 2", "{shown}");
    assert_eq!(shown["public_cover"], "c2s", "{shown}");
    assert_eq!(shown["place"]["postcode"], "69003", "{shown}");
    assert_eq!(shown["place"]["city"], "Lyon", "{shown}");
    assert_eq!(shown["place"]["departement"], "69", "{shown}");
}

#[test]
fn saved_mutuelle_lowers_consultation_cost() {
    let data = tempfile::tempdir().expect("data folder");

    // Without a profile: GP 30 €, AMO 70 % = 21 €, participation
    // forfaitaire 2 €, no mutuelle, so the patient pays 9 € + 2 €.
    let before = consultation_total(data.path());
    assert_eq!(before["billed_cents"], 3000, "{before}");
    assert_eq!(before["amo_cents"], 2100, "{before}");
    assert_eq!(before["amc_cents"], 0, "{before}");
    assert_eq!(before["patient_cents"], 1100, "{before}");

    ok(data.path(), &["ask", "J'ai une mutuelle à 200 %"]);

    // A 200 % BR contrat responsable pays the whole ticket modérateur
    // (30 € - 21 € = 9 €) but never the participation forfaitaire.
    let after = consultation_total(data.path());
    assert_eq!(after["amo_cents"], 2100, "{after}");
    assert_eq!(after["deductions_cents"], 200, "{after}");
    assert_eq!(after["amc_cents"], 900, "{after}");
    assert_eq!(after["patient_cents"], 200, "{after}");
}

#[test]
fn unrecognised_statement_keeps_profile() {
    let data = tempfile::tempdir().expect("data folder");
    ok(data.path(), &["profile", "set", "--age", "40"]);
    let before = profile(data.path());

    // Routed to profile.update, but a département is no address that
    // `profile set` records, so the plugin finds nothing to save.
    let (code, stdout, stderr) = run_mediflux(data.path(), &["ask", "J'habite en Gironde"]);
    assert_eq!(code, 1, "stdout: {stdout}");
    assert!(
        stderr.contains("aucune information à enregistrer"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("WARN"),
        "no log line for this case: {stderr}"
    );

    // No rule matches at all.
    let stdout = ok(data.path(), &["ask", "J'ai un chat"]);
    assert!(
        stdout.contains("Je n\u{2019}ai pas compris votre question"),
        "{stdout}"
    );

    assert_eq!(profile(data.path()), before);
}

#[test]
fn invalid_age_is_rejected_in_french() {
    let data = tempfile::tempdir().expect("data folder");
    let (code, stdout, stderr) = run_mediflux(data.path(), &["ask", "J'ai 150 ans"]);
    assert_eq!(code, 1, "stdout: {stdout}");
    assert!(
        stderr.contains("âge ou date de naissance « 150 » invalide"),
        "{stderr}"
    );
    let (code, _, stderr) = run_mediflux(data.path(), &["profile", "show"]);
    assert_ne!(code, 0, "no profile was created: {stderr}");
}
