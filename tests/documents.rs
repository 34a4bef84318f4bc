//! `mediflux ask --file` with the expected text of the rendered test
//! documents, through the real binary: the bundled `documents` plugin reads
//! each text, and the fields it returns are checked against that text.
//!
//! Needs the test documents in `../shared/data/documents/` and the binary
//! built (`cargo build -p mediflux`).

use std::path::{Path, PathBuf};

use mediflux_tests::{repository_root, run_mediflux};
use serde_json::Value;

/// The question of every run, about a carte de tiers payant whatever the
/// file holds, so that the text's own type is seen to win.
const QUESTION: &str = "Analyser ma carte tiers payant";

/// Returns the path of a test document's expected text.
fn document(name: &str) -> PathBuf {
    let path = repository_root()
        .join("../shared/data/documents")
        .join(name);
    assert!(
        path.exists(),
        "missing {}: the test needs shared/data/documents next to the repository",
        path.display()
    );
    path
}

/// Runs `ask QUESTION --file path --json` and returns its output.
fn analyse(data: &Path, path: &Path) -> Value {
    let file = path.to_str().expect("a UTF-8 path");
    let (code, stdout, stderr) = run_mediflux(data, &["ask", QUESTION, "--file", file, "--json"]);
    assert_eq!(code, 0, "ask failed\nstdout: {stdout}\nstderr: {stderr}");
    let answer: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"));
    assert_eq!(answer["intent"], "document.analyze", "{answer}");
    assert_eq!(
        answer["result"]["schema"], "document.analysis/1",
        "{answer}"
    );
    answer
}

/// Runs [`analyse`] on the test document `name` and returns its output and
/// the document's text.
fn analyse_document(data: &Path, name: &str) -> (Value, String) {
    let path = document(name);
    let text = std::fs::read_to_string(&path).expect("the document text");
    (analyse(data, &path), text)
}

/// Asserts that the text shows `value`, ignoring spaces, as for a NIR
/// printed in groups.
fn assert_shown(text: &str, value: &Value) {
    let value = value
        .as_str()
        .unwrap_or_else(|| panic!("not text: {value}"));
    let compact = |text: &str| {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    assert!(
        compact(text).contains(&compact(value)),
        "`{value}` is not in the document text:\n{text}"
    );
}

/// Asserts that the text shows an ISO date `YYYY-MM-DD` as `DD/MM/YYYY`.
fn assert_date_shown(text: &str, iso: &Value) {
    let iso = iso.as_str().unwrap_or_else(|| panic!("not a date: {iso}"));
    let parts: Vec<&str> = iso.split('-').collect();
    assert_eq!(parts.len(), 3, "not YYYY-MM-DD: {iso}");
    let french = format!("{}/{}/{}", parts[2], parts[1], parts[0]);
    assert!(
        text.contains(&french),
        "{french} is not in the document text"
    );
}

/// Returns the status of the check of `field`.
fn check_status<'a>(result: &'a Value, field: &str) -> &'a Value {
    result["checks"]
        .as_array()
        .expect("a list of checks")
        .iter()
        .find(|check| check["field"] == field)
        .map(|check| &check["status"])
        .unwrap_or_else(|| panic!("no check of {field}: {result}"))
}

#[test]
fn tiers_payant_fields_match_text() {
    let data = tempfile::tempdir().expect("data folder");
    let (answer, text) = analyse_document(data.path(), "t1_tiers_payant.txt");
    let result = &answer["result"]["body"];
    let fields = &result["fields"];

    assert_eq!(result["document_type"], "carte_tiers_payant", "{result}");
    assert_eq!(fields["numero_amc"], "12345678");
    assert_eq!(fields["numero_adherent"], "0045781236");
    assert_eq!(fields["organisme"], "MUTUELLE EXEMPLE");
    assert_eq!(fields["assure"]["nir"], "185057800608491");
    assert_eq!(fields["validite"]["debut"], "2025-01-01");
    assert_eq!(fields["validite"]["fin"], "2025-12-31");
    for key in [
        "numero_amc",
        "numero_adherent",
        "organisme",
        "gestionnaire",
        "teletransmission",
    ] {
        assert_shown(&text, &fields[key]);
    }
    assert_shown(&text, &fields["assure"]["nir"]);
    assert_date_shown(&text, &fields["validite"]["debut"]);
    assert_date_shown(&text, &fields["validite"]["fin"]);

    let beneficiaries = fields["beneficiaires"].as_array().expect("beneficiaries");
    assert_eq!(beneficiaries.len(), 2, "{fields}");
    for person in beneficiaries {
        assert_shown(&text, &person["nom"]);
        assert_shown(&text, &person["prenom"]);
        assert_date_shown(&text, &person["date_naissance"]);
    }
    let posts = fields["garanties"].as_array().expect("care posts");
    assert_eq!(posts.len(), 7, "{fields}");
    for post in posts {
        assert_shown(&text, &post["poste"]);
        assert_shown(&text, &post["valeur_brute"]);
    }

    assert_eq!(check_status(result, "assure.nir"), "valid");
    assert_eq!(check_status(result, "numero_amc"), "format-only");
    let missing: Vec<&str> = result["missing"]
        .as_array()
        .expect("missing fields")
        .iter()
        .filter_map(|field| field["field"].as_str())
        .collect();
    assert_eq!(missing, vec!["/types_convention", "/csr"]);
}

#[test]
fn ordonnance_fields_match_text() {
    let data = tempfile::tempdir().expect("data folder");
    let (answer, text) = analyse_document(data.path(), "t2_ordonnance.txt");
    let result = &answer["result"]["body"];
    let fields = &result["fields"];

    assert_eq!(result["document_type"], "ordonnance", "{result}");
    assert_eq!(result["requested_type"], "carte_tiers_payant", "{result}");
    for pointer in [
        "/prescripteur/nom",
        "/prescripteur/specialite",
        "/prescripteur/rpps",
        "/prescripteur/numero_am",
        "/patient/nom",
        "/patient/prenom",
    ] {
        assert_shown(&text, &fields.pointer(pointer).cloned().unwrap_or_default());
    }
    assert_eq!(fields["prescripteur"]["rpps"], "10001234567");
    assert_date_shown(&text, &fields["date"]);

    let lines = fields["lignes"].as_array().expect("medicine lines");
    assert_eq!(lines.len(), 2, "{fields}");
    for line in lines {
        for key in ["nom", "dosage", "forme", "posologie"] {
            assert_shown(&text, &line[key]);
        }
        assert_shown(&text, &line["duree"]["texte"]);
    }
    assert_eq!(lines[1]["non_substituable"], "MTE");
    assert_eq!(lines[1]["renouvellements"], 2);

    // 10001234567 is a made-up RPPS whose Luhn digit does not match.
    assert_eq!(check_status(result, "prescripteur.rpps"), "invalid");
}

#[test]
fn feuille_de_soins_fields_match_text() {
    let data = tempfile::tempdir().expect("data folder");
    let (answer, text) = analyse_document(data.path(), "t3_feuille_soins.txt");
    let result = &answer["result"]["body"];
    let fields = &result["fields"];

    assert_eq!(result["document_type"], "feuille_de_soins", "{result}");
    assert_shown(&text, &fields["cerfa"]);
    assert_shown(&text, &fields["praticien"]["finess"]);
    assert_date_shown(&text, &fields["date_actes"][0]);
    assert_eq!(fields["actes"][0]["code"], "G");
    assert_eq!(fields["actes"][0]["montant_cents"], 3000);
    assert!(text.contains("30,00"), "the act amount is in the text");
    assert_eq!(fields["depassement"]["montant_cents"], 500);
    assert!(text.contains("5,00"), "the dépassement is in the text");
    assert_eq!(fields["total_paye_cents"], 3500);
    assert!(text.contains("35,00"), "the total is in the text");
    assert_eq!(fields["paiement_direct"], true);

    assert_eq!(check_status(result, "praticien.finess"), "valid");
    assert_eq!(check_status(result, "total_paye_cents"), "valid");
}

#[test]
fn accent_text_has_no_card_fields() {
    let data = tempfile::tempdir().expect("data folder");
    let (answer, _) = analyse_document(data.path(), "t4_accents.txt");
    let result = &answer["result"]["body"];
    assert_eq!(result["detected_type"], Value::Null, "{result}");
    assert_eq!(result["document_type"], "carte_tiers_payant", "{result}");
    assert_eq!(result["fields"], serde_json::json!({}), "{result}");
    assert!(
        answer["answer"]
            .as_str()
            .unwrap_or_default()
            .contains("aucun des champs"),
        "{answer}"
    );
}

#[test]
fn text_answer_shows_checks() {
    let data = tempfile::tempdir().expect("data folder");
    let path = document("t1_tiers_payant.txt");
    let file = path.to_str().expect("a UTF-8 path");
    let (code, stdout, stderr) = run_mediflux(data.path(), &["ask", QUESTION, "--file", file]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("NIR 1 85 05 78 006 084 91\u{a0}: valide"),
        "{stdout}"
    );
    assert!(stdout.contains("MUTUELLE EXEMPLE"), "{stdout}");
    assert!(
        !stderr.contains("0045781236"),
        "no health data in the log: {stderr}"
    );
}

#[test]
fn windows_1252_file_reads_accents() {
    let data = tempfile::tempdir().expect("data folder");
    let text = std::fs::read_to_string(document("t1_tiers_payant.txt")).expect("the text");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable, "the card's text fits Windows-1252");
    let path = data.path().join("carte-1252.txt");
    std::fs::write(&path, &bytes).expect("write the Windows-1252 copy");

    let answer = analyse(data.path(), &path);
    let fields = &answer["result"]["body"]["fields"];
    assert_eq!(fields["assure"]["prenom"], "Jérôme", "{fields}");
    assert_eq!(fields["beneficiaires"][1]["prenom"], "Hélène", "{fields}");
    assert_eq!(fields["numero_adherent"], "0045781236", "{fields}");
}

#[test]
fn image_file_is_rejected_with_path() {
    let data = tempfile::tempdir().expect("data folder");
    let path = document("t1_tiers_payant_sans.png");
    let file = path.to_str().expect("a UTF-8 path");
    let (code, stdout, stderr) = run_mediflux(data.path(), &["ask", QUESTION, "--file", file]);
    assert_ne!(code, 0, "{stdout}");
    assert!(stderr.contains(file), "the error names the file: {stderr}");
    assert!(stderr.contains("image PNG"), "{stderr}");
    assert!(stderr.contains("pas encore disponible"), "{stderr}");
}

#[test]
fn missing_file_is_named() {
    let data = tempfile::tempdir().expect("data folder");
    let path = data.path().join("absent.txt");
    let file = path.to_str().expect("a UTF-8 path");
    let (code, _, stderr) = run_mediflux(data.path(), &["ask", QUESTION, "--file", file]);
    assert_ne!(code, 0);
    assert!(stderr.contains(file), "{stderr}");
    assert!(stderr.contains("introuvable"), "{stderr}");
}

#[test]
fn question_without_file_explains_fields() {
    let data = tempfile::tempdir().expect("data folder");
    let (code, stdout, stderr) = run_mediflux(data.path(), &["ask", "Lis mon ordonnance"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("--file"), "{stdout}");
    assert!(stdout.contains("nom du prescripteur"), "{stdout}");
}
