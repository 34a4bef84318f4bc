//! A rules directory edited on disk changes the computed amounts without
//! rebuilding, because the rule values are data, not code.

mod common;

use std::fs;
use std::path::Path;

use common::{RulesAdapter, adult, gp, m100, request, rules_directory, run, totals};
use mediflux_plugin_cost::compute;
use mediflux_rules::Rules;

/// Copies the repository's rule files into `target`.
fn copy_rules(target: &Path) {
    let entries = match fs::read_dir(rules_directory()) {
        Ok(entries) => entries,
        Err(error) => panic!("cannot list the rules directory: {error}"),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path
            .extension()
            .is_some_and(|extension| extension == "toml")
        {
            let copied = fs::copy(&path, target.join(entry.file_name()));
            assert!(copied.is_ok(), "cannot copy {}", path.display());
        }
    }
}

/// Appends `step` to the steps of rule `name` in `file`, as a maintainer
/// records a new value. The last year's file is edited so that the rules
/// check still finds each year continuing the previous one.
fn add_step(file: &Path, name: &str, step: &str) {
    let text = match fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => panic!("cannot read {}: {error}", file.display()),
    };
    let header = format!("[values.\"{name}\"]");
    let Some(start) = text.find(&header) else {
        panic!("rule {name} not found in {}", file.display());
    };
    let Some(offset) = text[start..].find("\n]") else {
        panic!("steps of rule {name} not closed in {}", file.display());
    };
    let position = start + offset + 1;
    let edited = format!("{}  {step}\n{}", &text[..position], &text[position..]);
    assert!(
        fs::write(file, edited).is_ok(),
        "cannot write {}",
        file.display()
    );
}

#[test]
fn edited_tariff_changes_the_answer() {
    let directory = match tempfile::tempdir() {
        Ok(directory) => directory,
        Err(error) => panic!("cannot create a temporary directory: {error}"),
    };
    copy_rules(directory.path());
    add_step(
        &directory.path().join("2026.toml"),
        "consultation.generaliste.tarif",
        r#"{ from = 2026-05-01, value = 3200, source = "ameli-tarifs-medecins" },"#,
    );
    let edited = match Rules::load_dir(directory.path()) {
        Ok(rules) => RulesAdapter(rules),
        Err(error) => panic!("edited rules failed to load: {error}"),
    };
    let request = request("2026-06-01", adult(), m100(), vec![gp()]);

    let shipped = run(&request);
    let changed = match compute(&request, &edited) {
        Ok(breakdown) => breakdown,
        Err(error) => panic!("computation with edited rules failed: {error}"),
    };

    // 30 € shipped; 32 € edited: AMO 70 % = 22,40 €, M100 pays 9,60 €.
    assert_eq!(totals(&shipped), [3000, 3000, 2100, 200, 900, 200]);
    assert_eq!(totals(&changed), [3200, 3200, 2240, 200, 960, 200]);
}

#[test]
fn edited_franchise_changes_the_answer() {
    let directory = match tempfile::tempdir() {
        Ok(directory) => directory,
        Err(error) => panic!("cannot create a temporary directory: {error}"),
    };
    copy_rules(directory.path());
    add_step(
        &directory.path().join("2026.toml"),
        "franchise.medicament.montant",
        r#"{ from = 2026-05-01, value = 150, source = "decrets-2024-113-114" },"#,
    );
    let edited = match Rules::load_dir(directory.path()) {
        Ok(rules) => RulesAdapter(rules),
        Err(error) => panic!("edited rules failed to load: {error}"),
    };
    let request = request("2026-06-01", adult(), None, vec![common::doliprane()]);

    let changed = match compute(&request, &edited) {
        Ok(breakdown) => breakdown,
        Err(error) => panic!("computation with edited rules failed: {error}"),
    };

    assert_eq!(changed.total.deductions_cents, 150);
    assert_eq!(changed.total.patient_cents, 218 - (142 - 150));
}

#[test]
fn edited_exemption_flag_changes_the_answer() {
    let directory = match tempfile::tempdir() {
        Ok(directory) => directory,
        Err(error) => panic!("cannot create a temporary directory: {error}"),
    };
    copy_rules(directory.path());
    add_step(
        &directory.path().join("2026.toml"),
        "exoneration.franchise_pf.ald",
        r#"{ from = 2026-05-01, value = true, source = "service-public-fiches" },"#,
    );
    let edited = match Rules::load_dir(directory.path()) {
        Ok(rules) => RulesAdapter(rules),
        Err(error) => panic!("edited rules failed to load: {error}"),
    };
    let mut case = common::consultation(
        mediflux_plugin_cost::Specialty::GeneralPractitioner,
        mediflux_plugin_cost::Sector::One,
    );
    case.ald_linked = true;
    let item = mediflux_plugin_cost::CareItem::Consultation(case);
    let request = request("2026-06-01", adult(), m100(), vec![item]);

    let shipped = run(&request);
    let changed = match compute(&request, &edited) {
        Ok(breakdown) => breakdown,
        Err(error) => panic!("computation with edited rules failed: {error}"),
    };

    // ALD patients pay the 2 € participation under the shipped rules.
    assert_eq!(totals(&shipped), [3000, 3000, 3000, 200, 0, 200]);
    assert_eq!(totals(&changed), [3000, 3000, 3000, 0, 0, 0]);
}
