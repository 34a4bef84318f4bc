//! The bundled `annuaire` and `practitioners` plugins through the real
//! `mediflux` binary: import of the real Annuaire Santé files, most of
//! them invalid JSON, then practitioner questions to `mediflux ask`.
//!
//! Needs the real files in `../shared/data/annuaire/` and the binary built
//! by `cargo build -p mediflux`.

#![allow(missing_docs)]

use std::path::{Path, PathBuf};

use mediflux_tests::{repository_root, run_mediflux};

/// Date given to the imports, so that answers cite a known date.
const IMPORT_DATE: &str = "2026-07-01";

fn annuaire_folder(name: &str) -> PathBuf {
    let folder = repository_root().join("../shared/data/annuaire").join(name);
    assert!(
        folder.is_dir(),
        "missing Annuaire Santé folder {}: the tests need the real files next to the repository",
        folder.display()
    );
    folder
}

fn import(data_dir: &Path, folders: &[&str]) -> (i32, String, String) {
    let paths: Vec<PathBuf> = folders.iter().map(|name| annuaire_folder(name)).collect();
    let mut arguments = vec!["data", "import", "annuaire"];
    arguments.extend(paths.iter().map(|path| path.to_str().expect("UTF-8 path")));
    arguments.extend(["--date", IMPORT_DATE]);
    run_mediflux(data_dir, &arguments)
}

/// Imports every real file, v1 samples and the synthetic v2 Bundle.
fn imported_store() -> tempfile::TempDir {
    let data = tempfile::tempdir().expect("data folder");
    let (code, stdout, stderr) = import(data.path(), &["ans-doc-samples-v1", "synthetic"]);
    assert_eq!(code, 0, "import failed: {stdout}\n{stderr}");
    data
}

fn ask(data_dir: &Path, question: &str) -> String {
    let (code, stdout, stderr) = run_mediflux(data_dir, &["ask", question]);
    assert_eq!(code, 0, "ask failed: {stderr}");
    stdout
}

#[test]
fn import_reports_invalid_files_and_goes_on() {
    let data = tempfile::tempdir().expect("data folder");

    let (code, stdout, stderr) = import(data.path(), &["ans-doc-samples-v1", "synthetic"]);

    assert_eq!(code, 0, "import failed: {stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "Import Annuaire Santé terminé : 1 professionnel de santé lu dans 4 fichiers."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("11 fichiers illisibles ont été ignorés"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- PP16-Practitioner.json : JSON invalide (ligne 18, colonne 13)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- PM1.json : JSON incomplet, le texte s'arrête à la ligne 173"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Données en service : Annuaire Santé du 01/07/2026."),
        "{stdout}"
    );
}

#[test]
fn import_json_lists_files_and_counts() {
    let data = tempfile::tempdir().expect("data folder");
    let synthetic = annuaire_folder("synthetic");

    let (code, stdout, stderr) = run_mediflux(
        data.path(),
        &[
            "--json",
            "data",
            "import",
            "annuaire",
            synthetic.to_str().expect("UTF-8 path"),
            "--date",
            IMPORT_DATE,
        ],
    );

    assert_eq!(code, 0, "import failed: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(report["status"], "imported");
    assert_eq!(report["snapshot_date"], IMPORT_DATE);
    assert_eq!(report["counts"]["practitioners"], 1);
    assert_eq!(
        report["files"][0]["name"],
        "v2-practitionerrole-searchset.json"
    );
    assert_eq!(report["rejected"], 0);
}

#[test]
fn ask_finds_cardiologist_in_paris() {
    let data = imported_store();

    let answer = ask(data.path(), "Cardiologue à Paris");

    assert!(answer.contains("J'ai trouvé 1 cardiologue"), "{answer}");
    assert!(
        answer.contains("- Arthur Saucier, cardiologue\u{a0}: 96 R DIDOT, 75014 PARIS"),
        "{answer}"
    );
    assert!(
        answer.contains(
            "Annuaire Santé (Agence du Numérique en Santé), données importées le 01/07/2026"
        ),
        "{answer}"
    );
}

#[test]
fn ask_routes_to_practitioners_plugin() {
    let data = imported_store();

    let (code, stdout, stderr) = run_mediflux(
        data.path(),
        &["--json", "ask", "Je cherche un cardiologue à Paris"],
    );

    assert_eq!(code, 0, "ask failed: {stderr}");
    let reply: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(reply["intent"], "practitioner.search");
    assert_eq!(reply["plugin"], "practitioners");
    assert_eq!(reply["slots"]["specialty"], "cardiologue");
    assert_eq!(reply["slots"]["location"], "Paris");
    assert_eq!(reply["result"]["schema"], "practitioner.search/1");
    assert_eq!(reply["result"]["body"]["status"], "found");
    assert_eq!(
        reply["result"]["body"]["practitioners"][0]["id"],
        "10003461033"
    );
    assert_eq!(
        reply["citations"][0]["title"],
        "Annuaire Santé (Agence du Numérique en Santé)"
    );
}

#[test]
fn ask_without_match_suggests_widening() {
    let data = imported_store();

    let answer = ask(data.path(), "Je cherche un dermatologue à Lyon");

    assert!(
        answer.contains("Je n'ai trouvé aucun dermatologue dans l'Annuaire Santé"),
        "{answer}"
    );
    assert!(
        answer.contains("Élargissez la recherche au département"),
        "{answer}"
    );
    assert!(!answer.contains("Saucier"), "{answer}");
}

#[test]
fn ask_widens_arrondissement_to_departement() {
    let data = imported_store();

    let answer = ask(data.path(), "Je cherche un cardiologue à Paris 15e");

    assert!(
        answer.contains("Je n'ai trouvé aucun cardiologue dans l'Annuaire Santé (lieu recherché\u{a0}: Paris 15e)"),
        "{answer}"
    );
    assert!(
        answer.contains("Dans le département 75, j'en ai trouvé 1"),
        "{answer}"
    );
    assert!(answer.contains("Arthur Saucier"), "{answer}");
}

#[test]
fn ask_with_sector_explains_price() {
    let data = imported_store();

    let answer = ask(data.path(), "Un cardiologue secteur 1 à Paris");

    assert!(answer.contains("Arthur Saucier"), "{answer}");
    assert!(
        answer.contains("L'Annuaire Santé n'indique pas le secteur de convention"),
        "{answer}"
    );
    assert!(
        answer.contains("Ce que le secteur 1 signifie pour le prix"),
        "{answer}"
    );
}

#[test]
fn ask_on_empty_store_explains_import() {
    let data = tempfile::tempdir().expect("data folder");

    let answer = ask(data.path(), "Cardiologue à Paris");

    assert!(
        answer.contains("Aucune donnée de l'Annuaire Santé n'est encore installée"),
        "{answer}"
    );
    assert!(
        answer.contains("mediflux data import annuaire <fichiers…>"),
        "{answer}"
    );
}

#[test]
fn v1_samples_alone_import_nothing() {
    let data = tempfile::tempdir().expect("data folder");

    let (code, stdout, stderr) = import(data.path(), &["ans-doc-samples-v1"]);

    assert_eq!(code, 1, "the import must fail: {stdout}");
    assert!(
        stderr.contains("Échec de l'import Annuaire Santé"),
        "{stderr}"
    );
    assert!(
        stderr.contains("aucun fichier ne contient de praticien utilisable"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Aucune donnée de l'Annuaire Santé n'est encore en service."),
        "{stderr}"
    );
}

#[test]
fn sync_explains_files_are_needed() {
    let data = tempfile::tempdir().expect("data folder");

    let (code, stdout, stderr) = run_mediflux(data.path(), &["data", "sync", "annuaire"]);

    assert_eq!(code, 1, "sync must fail: {stdout}");
    assert!(
        stderr.contains("ne propose pas de téléchargement public"),
        "{stderr}"
    );
    assert!(stderr.contains("mediflux data import annuaire"), "{stderr}");
}

#[test]
fn failed_import_keeps_previous_snapshot() {
    let data = imported_store();

    let (code, _, stderr) = import(data.path(), &["ans-doc-samples-v1"]);

    assert_eq!(code, 1, "the v1 samples alone hold no usable practitioner");
    assert!(
        stderr
            .contains("Les données précédentes (Annuaire Santé du 01/07/2026) restent en service."),
        "{stderr}"
    );
    let answer = ask(data.path(), "Cardiologue à Paris");
    assert!(answer.contains("Arthur Saucier"), "{answer}");
}
