//! The bundled `bdpm` plugin through the real `mediflux` binary: import of
//! the real BDPM files, medicine search, failed imports, and sync from a
//! local HTTPS server with injected faults.
//!
//! Needs the real BDPM sets in `../shared/data/bdpm/` and the binary built
//! by `cargo build -p mediflux`.

#![allow(missing_docs)]

#[path = "support/https.rs"]
mod https;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use https::{Fault, FileServer};
use mediflux_tests::{mediflux_binary, repository_root, run_mediflux};

const DOLIPRANE_CIS: &str = "60234100";
const DOLIPRANE_CIP13: &str = "3400935955838";
/// CLAMOXYL 1 g, comprimé dispersible: princeps of generic group 150.
const CLAMOXYL_CIS: &str = "64539416";

fn bdpm_set(name: &str) -> PathBuf {
    let folder = repository_root().join("../shared/data/bdpm").join(name);
    assert!(
        folder.is_dir(),
        "missing BDPM set {}: the tests need the real BDPM files next to the repository",
        folder.display()
    );
    folder
}

fn read_set(name: &str) -> HashMap<String, Vec<u8>> {
    std::fs::read_dir(bdpm_set(name))
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

/// Runs `mediflux` with `config` as its configuration file.
fn run_with_config(data_dir: &Path, config: &Path, arguments: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(mediflux_binary())
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(config)
        .args(arguments)
        .env_remove("MEDIFLUX_CACHE_DIR")
        .env_remove("MEDIFLUX_PLUGINS_DIR")
        .env_remove("MEDIFLUX_RULES_DIR")
        .env_remove("RUST_LOG")
        .output()
        .expect("run mediflux");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Returns the price in cents and the rate of the Doliprane 1000 box found
/// by `med search "doliprane 1000" --json`.
fn doliprane_price(data_dir: &Path) -> (i64, i64) {
    let (code, stdout, stderr) = run_mediflux(
        data_dir,
        &["med", "search", "doliprane 1000", "--json", "--limit", "5"],
    );
    assert_eq!(code, 0, "search failed: {stderr}");
    let results: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    let medicine = results
        .as_array()
        .expect("an array of results")
        .iter()
        .find(|result| result["cis"] == DOLIPRANE_CIS)
        .unwrap_or_else(|| panic!("CIS {DOLIPRANE_CIS} not found in {stdout}"));
    assert_eq!(medicine["name"], "DOLIPRANE 1000 mg, comprimé");
    let presentation = medicine["presentations"]
        .as_array()
        .expect("presentations")
        .iter()
        .find(|presentation| presentation["cip13"] == DOLIPRANE_CIP13)
        .unwrap_or_else(|| panic!("CIP13 {DOLIPRANE_CIP13} not found in {medicine}"));
    (
        presentation["price_cents"].as_i64().expect("a price"),
        presentation["rate_percent"].as_i64().expect("a rate"),
    )
}

fn import(data_dir: &Path, folder: &Path) -> (i32, String, String) {
    let folder = folder.to_str().expect("UTF-8 path");
    run_mediflux(data_dir, &["data", "import", "bdpm", folder])
}

#[test]
fn import_then_newer_import_updates_price() {
    let data = tempfile::tempdir().expect("data folder");

    let (code, stdout, stderr) = import(data.path(), &bdpm_set("2026-01-28"));
    assert_eq!(code, 0, "import failed: {stderr}");
    assert!(stdout.contains("15 799 médicaments"), "{stdout}");
    assert!(stdout.contains("BDPM du 28/01/2026"), "{stdout}");
    assert_eq!(doliprane_price(data.path()), (107, 65));

    let (code, stdout, stderr) = import(data.path(), &bdpm_set("2026-07-24"));
    assert_eq!(code, 0, "second import failed: {stderr}");
    assert!(stdout.contains("BDPM du 24/07/2026"), "{stdout}");
    assert_eq!(doliprane_price(data.path()), (116, 65));
}

#[test]
fn truncated_import_keeps_previous_snapshot() {
    let data = tempfile::tempdir().expect("data folder");
    let (code, _, stderr) = import(data.path(), &bdpm_set("2026-01-28"));
    assert_eq!(code, 0, "import failed: {stderr}");

    // A copy of the set whose CIS_CIP_bdpm.txt lost all but its first 100 kB.
    let broken = tempfile::tempdir().expect("broken set folder");
    for (name, bytes) in read_set("2026-01-28") {
        let bytes = if name == "CIS_CIP_bdpm.txt" {
            bytes[..100_000].to_vec()
        } else {
            bytes
        };
        std::fs::write(broken.path().join(name), bytes).expect("write the broken set");
    }
    let (code, stdout, stderr) = import(data.path(), broken.path());
    assert_eq!(code, 1, "the import must fail: {stdout}");
    assert!(stderr.contains("Échec de la mise à jour BDPM"), "{stderr}");
    assert!(stderr.contains("tronqué"), "{stderr}");
    assert!(stderr.contains("CIS_CIP_bdpm.txt"), "{stderr}");
    assert!(
        stderr.contains("Les données précédentes (BDPM du 28/01/2026) restent en service."),
        "{stderr}"
    );
    assert_eq!(doliprane_price(data.path()), (107, 65));
}

#[test]
fn partial_set_fails_plausibility_minimum() {
    let data = tempfile::tempdir().expect("data folder");
    let (code, _, stderr) = import(data.path(), &bdpm_set("2026-07-24"));
    assert_eq!(code, 0, "import failed: {stderr}");

    // Complete files, but no medicine file: the snapshot has no medicines.
    let partial = tempfile::tempdir().expect("partial set folder");
    let cip = read_set("2026-01-28")
        .remove("CIS_CIP_bdpm.txt")
        .expect("CIS_CIP_bdpm.txt in the set");
    std::fs::write(partial.path().join("CIS_CIP_bdpm.txt"), cip).expect("write the partial set");
    let (code, _, stderr) = import(data.path(), partial.path());
    assert_eq!(code, 1, "the import must fail");
    assert!(stderr.contains("seulement 0 médicaments lus"), "{stderr}");
    assert!(stderr.contains("BDPM du 24/07/2026"), "{stderr}");
    assert_eq!(doliprane_price(data.path()), (116, 65));
}

#[test]
fn search_on_empty_store_explains_import() {
    let data = tempfile::tempdir().expect("data folder");
    let (code, stdout, stderr) = run_mediflux(data.path(), &["med", "search", "doliprane"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("Aucune donnée sur les médicaments"),
        "{stderr}"
    );
    assert!(
        stderr.contains("mediflux data import bdpm <dossier>"),
        "{stderr}"
    );
    assert!(stderr.contains("mediflux data sync bdpm"), "{stderr}");
}

#[test]
fn generics_list_cheapest_first() {
    let data = tempfile::tempdir().expect("data folder");
    let (code, _, stderr) = import(data.path(), &bdpm_set("2026-01-28"));
    assert_eq!(code, 0, "import failed: {stderr}");

    let (code, stdout, stderr) =
        run_mediflux(data.path(), &["med", "generics", CLAMOXYL_CIS, "--json"]);
    assert_eq!(code, 0, "generics failed: {stderr}");
    let groups: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    let groups = groups.as_array().expect("an array of groups");
    assert_eq!(groups.len(), 1, "{stdout}");
    assert_eq!(groups[0]["id"], "150");
    let members = groups[0]["members"].as_array().expect("members");
    assert!(members.len() >= 2, "{stdout}");
    assert!(
        members
            .iter()
            .any(|member| member["cis"] == CLAMOXYL_CIS && member["role"] == "princeps"),
        "{stdout}"
    );
    let prices: Vec<i64> = members
        .iter()
        .filter_map(|member| member["cheapest"]["price_cents"].as_i64())
        .collect();
    assert!(!prices.is_empty(), "{stdout}");
    assert!(prices.is_sorted(), "members not cheapest first: {prices:?}");

    let (code, stdout, stderr) = run_mediflux(data.path(), &["med", "generics", CLAMOXYL_CIS]);
    assert_eq!(code, 0, "generics failed: {stderr}");
    assert!(stdout.contains("Groupe générique 150"), "{stdout}");
    assert!(stdout.contains("princeps"), "{stdout}");

    let (code, stdout, stderr) = run_mediflux(data.path(), &["med", "generics", DOLIPRANE_CIS]);
    assert_eq!(code, 0, "generics failed: {stderr}");
    assert!(
        stdout.contains("n'appartient à aucun groupe générique"),
        "{stdout}"
    );

    // Regression: an unknown code was reported as having no generic group.
    let (code, stdout, stderr) = run_mediflux(data.path(), &["med", "generics", "99999999"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("Aucun médicament n'a le code CIS «\u{a0}99999999\u{a0}»"),
        "{stderr}"
    );
}

/// A data folder and a configuration pointing the plugin at `server`.
struct SyncSetup {
    data: tempfile::TempDir,
    config: PathBuf,
}

fn sync_setup(server: &FileServer) -> SyncSetup {
    let data = tempfile::tempdir().expect("data folder");
    let certificate = data.path().join("server.pem");
    std::fs::write(&certificate, &server.certificate_pem).expect("write the certificate");
    let config = data.path().join("sync-config.toml");
    std::fs::write(
        &config,
        format!(
            "[plugins.bdpm]\nbase_url = \"{}/\"\nretry_delay_ms = \"50\"\n\n[http]\nextra_root_certificates = [\"{}\"]\n",
            server.origin,
            certificate.display()
        ),
    )
    .expect("write the configuration");
    SyncSetup { data, config }
}

fn sync(setup: &SyncSetup) -> (i32, String, String) {
    run_with_config(setup.data.path(), &setup.config, &["data", "sync", "bdpm"])
}

#[test]
fn sync_recovers_from_transient_faults() {
    let server = FileServer::start(read_set("2026-01-28"));
    server.inject("CIS_bdpm.txt", Fault::Status(500), 1);
    server.inject("CIS_CIP_bdpm.txt", Fault::Reset, 1);
    server.inject("CIS_GENER_bdpm.txt", Fault::CutTransfer, 1);
    server.inject("CIS_CPD_bdpm.txt", Fault::Status(503), 2);
    // Longer than the manifest's http_timeout_ms of 30 seconds.
    server.inject(
        "CIS_COMPO_bdpm.txt",
        Fault::Stall(Duration::from_secs(35)),
        1,
    );
    let setup = sync_setup(&server);

    let (code, stdout, stderr) = sync(&setup);
    assert_eq!(code, 0, "sync failed: {stderr}");
    assert!(stdout.contains("15 799 médicaments"), "{stdout}");
    assert!(
        stdout.contains("Fichier absent du serveur, non importé : CIS_HAS_SMR_bdpm.txt"),
        "{stdout}"
    );
    assert_eq!(doliprane_price(setup.data.path()), (107, 65));
    assert_eq!(server.requests("/CIS_bdpm.txt"), 2);
    assert_eq!(server.requests("/CIS_CIP_bdpm.txt"), 2);
    assert_eq!(server.requests("/CIS_GENER_bdpm.txt"), 2);
    assert_eq!(server.requests("/CIS_CPD_bdpm.txt"), 3);
    assert_eq!(server.requests("/CIS_COMPO_bdpm.txt"), 2);

    // Every file is unchanged: the second sync gets 304s and imports nothing.
    let before = server.replies().len();
    let (code, stdout, stderr) = sync(&setup);
    assert_eq!(code, 0, "second sync failed: {stderr}");
    assert!(stdout.contains("n'ont pas changé"), "{stdout}");
    let not_modified = server.replies()[before..]
        .iter()
        .filter(|(_, status)| *status == 304)
        .count();
    assert_eq!(not_modified, 7, "{:?}", &server.replies()[before..]);
    assert_eq!(doliprane_price(setup.data.path()), (107, 65));
}

/// Imports the 2026-07-24 set locally, so that a failed sync must leave
/// its price of 116 cents in service.
fn setup_with_snapshot(server: &FileServer) -> SyncSetup {
    let setup = sync_setup(server);
    let folder = bdpm_set("2026-07-24");
    let folder = folder.to_str().expect("UTF-8 path");
    let (code, _, stderr) = run_with_config(
        setup.data.path(),
        &setup.config,
        &["data", "import", "bdpm", folder],
    );
    assert_eq!(code, 0, "import failed: {stderr}");
    setup
}

#[test]
fn sync_failures_keep_previous_snapshot() {
    let server = FileServer::start(read_set("2026-01-28"));
    let setup = setup_with_snapshot(&server);
    let cases = [
        (
            "CIS_bdpm.txt",
            Fault::Status(500),
            "le téléchargement a échoué",
        ),
        (
            "CIS_GENER_bdpm.txt",
            Fault::Reset,
            "le téléchargement a échoué",
        ),
        ("CIS_CIP_bdpm.txt", Fault::ShortBody, "probablement tronqué"),
        (
            "CIS_COMPO_bdpm.txt",
            Fault::CutTransfer,
            "le téléchargement a échoué",
        ),
        (
            "CIS_bdpm.txt",
            Fault::Utf16,
            "ni en UTF-8 ni en Windows-1252",
        ),
    ];
    for (file, fault, expected) in cases {
        server.clear_faults();
        server.inject(file, fault, 10);
        let (code, stdout, stderr) = sync(&setup);
        assert_eq!(code, 1, "{fault:?} on {file} must fail the sync: {stdout}");
        assert!(stderr.contains(expected), "{fault:?} on {file}: {stderr}");
        assert!(stderr.contains(file), "{fault:?} on {file}: {stderr}");
        assert!(
            stderr.contains("Les données précédentes (BDPM du 24/07/2026) restent en service."),
            "{fault:?} on {file}: {stderr}"
        );
        assert_eq!(
            doliprane_price(setup.data.path()),
            (116, 65),
            "{fault:?} on {file}"
        );
    }
}
