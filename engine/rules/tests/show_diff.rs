//! `show` and `diff` on the embedded rule sets, as data and as text.

mod common;

use common::{date, embedded};
use mediflux_rules::{Change, LookupError, Value};

#[test]
fn show_at_date_lists_values_in_force() {
    let rules = embedded();
    let show = rules
        .show(2026, Some(date("2026-06-01")))
        .unwrap_or_else(|error| panic!("{error}"));

    let psychiatrist = show
        .rules
        .iter()
        .find(|rule| rule.name == "consultation.psychiatre.tarif")
        .expect("psychiatrist tariff shown");
    assert_eq!(psychiatrist.steps.len(), 1);
    assert_eq!(psychiatrist.steps[0].value, Value::Cents(5700));

    let text = show.to_string();
    assert!(
        text.starts_with("rule set 2026, values in force on 2026-06-01"),
        "{text}"
    );
    assert!(
        text.contains("  57.00 € from 2026-01-01 [ameli-tarifs-medecins]"),
        "{text}"
    );
    assert!(
        text.contains("  70 % from 2023-01-01 or earlier [presse-pharmacie] TO CONFIRM"),
        "{text}"
    );
    assert!(
        text.contains("  17.5 % from 2023-01-01 or earlier"),
        "{text}"
    );
}

#[test]
fn show_without_date_lists_all_steps() {
    let rules = embedded();
    let show = rules
        .show(2024, None)
        .unwrap_or_else(|error| panic!("{error}"));

    let gp = show
        .rules
        .iter()
        .find(|rule| rule.name == "consultation.generaliste.tarif")
        .expect("GP tariff shown");
    let values: Vec<Value> = gp.steps.iter().map(|step| step.value).collect();
    assert_eq!(values, vec![Value::Cents(2650), Value::Cents(3000)]);

    let early = rules
        .show(2023, Some(date("2023-06-01")))
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        early
            .to_string()
            .contains("consultation.psychiatre.tarif (cents)")
    );
    assert!(early.to_string().contains("  not in force yet"));
}

#[test]
fn show_rejects_date_of_other_year() {
    let rules = embedded();
    let error = rules.show(2025, Some(date("2026-01-01")));
    assert_eq!(
        error,
        Err(LookupError::DateOutsideYear {
            date: date("2026-01-01"),
            year: 2025
        })
    );
}

#[test]
fn diff_lists_changes_of_next_year() {
    let rules = embedded();
    let diff = rules
        .diff(2025, 2026)
        .unwrap_or_else(|error| panic!("{error}"));

    let entry = |name: &str| {
        diff.entries
            .iter()
            .find(|entry| entry.name == name)
            .unwrap_or_else(|| panic!("{name} missing from the diff"))
    };

    let Change::Changed { before, after } = &entry("hospitalisation.forfait_journalier").change
    else {
        panic!("forfait journalier should have changed");
    };
    assert_eq!(before.value, Value::Cents(2000));
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].value, Value::Cents(2300));
    assert_eq!(after[0].from, date("2026-03-01"));

    // A same-value step that only marks a doubt is still listed.
    assert!(
        diff.entries
            .iter()
            .any(|entry| entry.name == "consultation.teleconsultation_generaliste.tarif")
    );
    // Unchanged rules are left out.
    assert!(
        !diff
            .entries
            .iter()
            .any(|entry| entry.name == "consultation.generaliste.tarif")
    );

    let text = diff.to_string();
    assert!(
        text.contains("~ consultation.psychiatre.tarif: was 55.00 € from 2024-12-22"),
        "{text}"
    );
    assert!(text.contains("    now 57.00 € from 2026-01-01"), "{text}");
}

#[test]
fn diff_reports_added_rules_and_order() {
    let rules = embedded();
    let diff = rules
        .diff(2023, 2024)
        .unwrap_or_else(|error| panic!("{error}"));

    let added = diff
        .entries
        .iter()
        .find(|entry| entry.name == "consultation.pediatre_enfant.tarif")
        .expect("paediatrician tariff added in 2024");
    assert!(
        matches!(&added.change, Change::Added { steps } if steps[0].value == Value::Cents(3900))
    );
    assert!(
        diff.to_string()
            .contains("+ consultation.pediatre_enfant.tarif: added in 2024")
    );

    assert!(matches!(
        rules.diff(2026, 2025),
        Err(LookupError::DiffOrder { .. })
    ));
    assert!(matches!(
        rules.diff(2025, 2027),
        Err(LookupError::NoRuleSet { year: 2027, .. })
    ));
}
