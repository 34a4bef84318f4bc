//! Medicine questions through `mediflux ask`: answers of the `medication`
//! plugin on the real BDPM set of 28 January 2026, and the BDPM download
//! that a medicine question starts on an empty store, from a local HTTPS
//! server.
//!
//! Needs the real BDPM set in `../shared/data/bdpm/2026-01-28` and the
//! binary built by `cargo build -p mediflux`.

#![allow(missing_docs)]

#[path = "support/https.rs"]
#[allow(dead_code)]
mod https;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use https::{Fault, FileServer};
use mediflux_tests::{mediflux_binary, repository_root, run_mediflux};

const NBSP: char = '\u{a0}';

fn bdpm_set() -> PathBuf {
    let folder = repository_root().join("../shared/data/bdpm/2026-01-28");
    assert!(
        folder.is_dir(),
        "missing BDPM set {}: the tests need the real BDPM files next to the repository",
        folder.display()
    );
    folder
}

/// Returns a data folder with the real BDPM set imported.
fn imported() -> tempfile::TempDir {
    let data = tempfile::tempdir().expect("data folder");
    let folder = bdpm_set();
    let folder = folder.to_str().expect("UTF-8 path");
    let (code, _, stderr) = run_mediflux(data.path(), &["data", "import", "bdpm", folder]);
    assert_eq!(code, 0, "import failed: {stderr}");
    data
}

fn ask(data: &Path, question: &str) -> String {
    let (code, stdout, stderr) = run_mediflux(data, &["ask", question]);
    assert_eq!(code, 0, "ask {question:?} failed: {stderr}");
    stdout
}

fn ask_json(data: &Path, question: &str) -> serde_json::Value {
    let (code, stdout, stderr) = run_mediflux(data, &["ask", question, "--json"]);
    assert_eq!(code, 0, "ask {question:?} failed: {stderr}");
    serde_json::from_str(&stdout).expect("JSON answer")
}

#[test]
fn doliprane_generics_list_forms() {
    let data = imported();
    let question = "Quels sont les génériques du Doliprane ?";

    let answer = ask_json(data.path(), question);
    assert_eq!(answer["intent"], "medication.info", "{answer}");
    assert_eq!(answer["plugin"], "medication");
    assert_eq!(answer["slots"]["medication"], "doliprane");
    assert_eq!(answer["result"]["schema"], "medication.info/1");
    assert_eq!(answer["result"]["body"]["status"], "several");
    let candidates = answer["result"]["body"]["candidates"]
        .as_array()
        .expect("candidates");
    assert!(candidates.len() >= 10, "{answer}");
    assert!(
        candidates
            .iter()
            .any(|candidate| candidate["cis"] == "60234100"),
        "{answer}"
    );
    let names: Vec<&str> = candidates
        .iter()
        .filter_map(|candidate| candidate["name"].as_str())
        .collect();
    assert!(
        names.iter().all(|name| name.starts_with("DOLIPRANE ")),
        "{names:?}"
    );
    assert_eq!(
        answer["citations"][0]["title"],
        "Base de données publique des médicaments (ANSM)"
    );

    let text = ask(data.path(), question);
    assert!(
        text.contains(&format!(
            "médicaments correspondent à «{NBSP}doliprane{NBSP}» dans la BDPM"
        )),
        "{text}"
    );
    assert!(
        text.contains("Aucun de ces médicaments n'appartient à un groupe générique"),
        "{text}"
    );
    assert!(text.contains("précisez le dosage et la forme"), "{text}");
    assert!(text.contains("données du 28/01/2026."), "{text}");
}

#[test]
fn levothyrox_record_has_prices_and_group() {
    let data = imported();
    let question = "Quels sont les génériques du Levothyrox 75 ?";

    let text = ask(data.path(), question);
    assert!(
        text.starts_with("LEVOTHYROX 75 microgrammes, comprimé sécable (CIS 62080626)\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Groupe générique n°{NBSP}794{NBSP}:")),
        "{text}"
    );
    let generic = text
        .find("THYROFIX 75 microgrammes")
        .expect("generic listed");
    let princeps = text
        .find("princeps (médicament de référence), le médicament demandé")
        .expect("princeps listed");
    assert!(
        generic < princeps,
        "the cheaper generic comes first: {text}"
    );
    assert!(
        text.contains(&format!(
            "(CIP13 3400930065785){NBSP}: 2,57{NBSP}€ dont 1,02{NBSP}€ d'honoraires de dispensation{NBSP}; remboursée à 65{NBSP}% par l'Assurance Maladie{NBSP}; commercialisée."
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("Titulaire{NBSP}: MERCK SANTE.")),
        "{text}"
    );
    assert!(text.contains("extrait.php?specid=62080626"), "{text}");

    let answer = ask_json(data.path(), question);
    let body = &answer["result"]["body"];
    assert_eq!(body["status"], "found", "{answer}");
    assert_eq!(body["snapshot_date"], "2026-01-28");
    let members = body["generic_groups"][0]["members"]
        .as_array()
        .expect("members");
    let prices: Vec<i64> = members
        .iter()
        .filter_map(|member| member["cheapest_public_price_cents"].as_i64())
        .collect();
    assert!(prices.len() >= 2, "{answer}");
    assert!(prices.is_sorted(), "members not cheapest first: {prices:?}");
    let presentations = body["medicine"]["presentations"]
        .as_array()
        .expect("presentations");
    assert!(
        presentations
            .iter()
            .any(|box_| box_["cip13"] == "3400930065785" && box_["public_price_cents"] == 257),
        "{answer}"
    );
}

#[test]
fn dosage_and_form_pick_one_medicine() {
    let data = imported();
    let text = ask(data.path(), "Qu'est-ce que le Doliprane 1000 mg comprimé ?");
    assert!(
        text.starts_with("DOLIPRANE 1000 mg, comprimé (CIS 60234100)\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Forme{NBSP}: comprimé{NBSP}; voie orale.")),
        "{text}"
    );
    assert!(
        text.contains(&format!("(CIP13 3400935955838){NBSP}: 2,09{NBSP}€")),
        "{text}"
    );
    assert!(
        text.contains("il n'a pas de générique répertorié"),
        "{text}"
    );
}

#[test]
fn unavailable_subject_points_to_page() {
    let data = imported();
    let text = ask(
        data.path(),
        "Quelle est la composition de l'Efferalgan 1 g ?",
    );
    assert!(
        text.contains("EFFERALGAN 1000 mg, comprimé effervescent (CIS 61574554)"),
        "{text}"
    );
    assert!(
        text.contains("Pour la composition (substances actives et excipients), consultez la fiche"),
        "{text}"
    );
}

#[test]
fn unknown_cis_says_so() {
    let data = imported();
    let answer = ask_json(data.path(), "Infos sur le CIS 61234567");
    assert_eq!(answer["intent"], "medication.info", "{answer}");
    assert_eq!(answer["result"]["body"]["status"], "not-found", "{answer}");
    let text = answer["answer"].as_str().expect("answer text");
    assert!(
        text.starts_with("Aucun médicament ne porte le code CIS 61234567"),
        "{text}"
    );
}

/// Reads the files of the real BDPM set, by name, for the file server.
fn read_set() -> HashMap<String, Vec<u8>> {
    std::fs::read_dir(bdpm_set())
        .expect("list the BDPM set")
        .map(|entry| entry.expect("directory entry").path())
        .map(|path| {
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("read a BDPM file"))
        })
        .collect()
}

/// A data folder whose configuration points the `bdpm` plugin at `server`.
struct Setup {
    data: tempfile::TempDir,
    config: PathBuf,
}

fn setup(server: &FileServer) -> Setup {
    let data = tempfile::tempdir().expect("data folder");
    let certificate = data.path().join("server.pem");
    std::fs::write(&certificate, &server.certificate_pem).expect("write the certificate");
    let config = data.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[plugins.bdpm]\nbase_url = \"{}/\"\nretry_delay_ms = \"50\"\n\n[http]\nextra_root_certificates = [\"{}\"]\n",
            server.origin,
            certificate.display()
        ),
    )
    .expect("write the configuration");
    Setup { data, config }
}

/// Runs `mediflux ask` with the setup's configuration and downloads
/// allowed, unless `offline` sets MEDIFLUX_OFFLINE.
fn ask_online(setup: &Setup, arguments: &[&str], offline: Option<&str>) -> (i32, String, String) {
    let mut command = std::process::Command::new(mediflux_binary());
    command
        .arg("--data-dir")
        .arg(setup.data.path())
        .arg("--config")
        .arg(&setup.config)
        .arg("ask")
        .args(arguments)
        .env_remove("MEDIFLUX_CACHE_DIR")
        .env_remove("MEDIFLUX_PLUGINS_DIR")
        .env_remove("MEDIFLUX_RULES_DIR")
        .env_remove("MEDIFLUX_OFFLINE")
        .env_remove("RUST_LOG");
    if let Some(value) = offline {
        command.env("MEDIFLUX_OFFLINE", value);
    }
    let output = command.output().expect("run mediflux");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn medicine_question_downloads_bdpm_first() {
    let server = FileServer::start(read_set());
    let setup = setup(&server);

    let (code, stdout, stderr) = ask_online(
        &setup,
        &["Quels sont les génériques du Levothyrox 75 ?"],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("téléchargement de la base de données publique des médicaments (BDPM)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "Base des médicaments installée{NBSP}: 15 799 médicaments"
        )),
        "{stderr}"
    );
    assert_eq!(server.requests("/CIS_bdpm.txt"), 1);
    assert!(
        stdout.starts_with("LEVOTHYROX 75 microgrammes, comprimé sécable (CIS 62080626)\n"),
        "{stdout}"
    );

    // The data is installed now: the next question downloads nothing.
    let before = server.replies().len();
    let (code, stdout, stderr) = ask_online(
        &setup,
        &["Qu'est-ce que le Doliprane 1000 mg comprimé ?"],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("DOLIPRANE 1000 mg, comprimé"),
        "{stdout}"
    );
    assert!(!stderr.contains("téléchargement"), "{stderr}");
    assert_eq!(server.replies().len(), before);
}

#[test]
fn failed_download_explains_import() {
    let server = FileServer::start(read_set());
    server.inject("CIS_bdpm.txt", Fault::Status(503), 20);
    let setup = setup(&server);

    let (code, stdout, stderr) =
        ask_online(&setup, &["Quels sont les génériques du Doliprane ?"], None);
    assert_eq!(code, 0, "the question is still answered: {stderr}");
    // The explanation is the answer when the question routes nowhere, and
    // a note on standard error before the plugin's answer otherwise.
    let printed = format!("{stderr}{stdout}");
    assert!(
        printed.contains(&format!(
            "Le téléchargement de la base des médicaments a échoué{NBSP}: le téléchargement a échoué malgré plusieurs tentatives"
        )),
        "{printed}"
    );
    assert!(
        printed.contains("mediflux data import bdpm <dossier>"),
        "{printed}"
    );
    assert!(server.requests("/CIS_bdpm.txt") >= 2, "retried");
    assert!(
        !stdout.trim().is_empty(),
        "the question still gets an answer"
    );

    let (code, stdout, stderr) = run_mediflux(setup.data.path(), &["med", "search", "doliprane"]);
    assert_eq!(code, 1, "no data may be installed: {stdout}");
    assert!(
        stderr.contains("Aucune donnée sur les médicaments"),
        "{stderr}"
    );
}

#[test]
fn offline_skips_the_download() {
    let server = FileServer::start(read_set());
    let setup = setup(&server);
    let question = "Quels sont les génériques du Doliprane ?";

    let (code, stdout, stderr) = ask_online(&setup, &[question, "--offline"], None);
    assert_eq!(code, 0, "{stderr}");
    let printed = format!("{stderr}{stdout}");
    assert!(
        printed.contains(&format!(
            "Mode hors ligne{NBSP}: la base des médicaments n'est pas téléchargée."
        )),
        "{printed}"
    );
    assert!(
        printed.contains("mediflux data import bdpm <dossier>"),
        "{printed}"
    );

    // Without medicine names, the README's first question routes nowhere:
    // the answer explains why instead of « je n'ai pas compris ».
    let (code, stdout, stderr) = ask_online(
        &setup,
        &["Combien coûte le Doliprane avec ma mutuelle ?", "--offline"],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Mode hors ligne"), "{stdout}");
    assert!(
        stdout.contains("mediflux data import bdpm <dossier>"),
        "{stdout}"
    );
    assert!(!stdout.contains("pas compris"), "{stdout}");

    let (code, stdout, stderr) = ask_online(&setup, &[question], Some("1"));
    assert_eq!(code, 0, "{stderr}");
    let printed = format!("{stderr}{stdout}");
    assert!(printed.contains("Mode hors ligne"), "{printed}");

    let (code, _, stderr) = ask_online(&setup, &[question], Some("peut-être"));
    assert_eq!(code, 1, "an invalid setting is an error");
    assert!(
        stderr.contains("invalid MEDIFLUX_OFFLINE value \"peut-être\""),
        "{stderr}"
    );
    assert_eq!(server.replies(), Vec::new());
}

#[test]
fn other_question_downloads_nothing() {
    let server = FileServer::start(read_set());
    let setup = setup(&server);

    let (code, stdout, stderr) = ask_online(
        &setup,
        &["Combien coûte une consultation chez le généraliste en mars 2025 ?"],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Consultation"), "{stdout}");
    assert!(!stderr.contains("téléchargement"), "{stderr}");
    assert_eq!(server.replies(), Vec::new());
}
