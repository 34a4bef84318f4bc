//! `check` on small rules directories with one deliberate defect each, and on
//! the shipped rules.

mod common;

use common::{TEST_2024, TEST_2025, TEST_SOURCES, date, shipped_rules_dir, write_rules_dir};
use mediflux_rules::{RuleError, Rules, check};

/// Checks a directory made of the test sources plus `files`, and returns the
/// errors, failing the test when the check passes.
fn check_errors(files: &[(&str, &str)]) -> Vec<RuleError> {
    let mut all_files = vec![("sources.toml", TEST_SOURCES)];
    all_files.extend_from_slice(files);
    let directory = write_rules_dir(&all_files);

    match check(directory.path()) {
        Ok(report) => panic!("check passed unexpectedly: {report:?}"),
        Err(failed) => failed.errors,
    }
}

#[test]
fn shipped_rules_pass_check() {
    let report = check(&shipped_rules_dir()).unwrap_or_else(|failed| panic!("{failed}"));
    assert_eq!(report.years, vec![2023, 2024, 2025, 2026]);
    assert!(
        report.rule_count > 300,
        "about 99 rules per year, got {}",
        report.rule_count
    );
    assert!(report.to_confirm_count > 0);

    let embedded = Rules::embedded().unwrap_or_else(|failed| panic!("{failed}"));
    let loaded = Rules::load_dir(&shipped_rules_dir()).unwrap_or_else(|failed| panic!("{failed}"));
    for year in embedded.years() {
        assert_eq!(
            embedded.show(year, None),
            loaded.show(year, None),
            "year {year}"
        );
    }
}

#[test]
fn each_shipped_file_passes_check() {
    for name in [
        "sources.toml",
        "2023.toml",
        "2024.toml",
        "2025.toml",
        "2026.toml",
    ] {
        let path = shipped_rules_dir().join(name);
        if let Err(failed) = check(&path) {
            panic!("{name}: {failed}");
        }
    }
}

#[test]
fn test_directory_passes_check() {
    let directory = write_rules_dir(&[
        ("sources.toml", TEST_SOURCES),
        ("2024.toml", TEST_2024),
        ("2025.toml", TEST_2025),
    ]);

    let report = check(directory.path()).unwrap_or_else(|failed| panic!("{failed}"));
    assert_eq!(report.years, vec![2024, 2025]);
    assert_eq!(report.rule_count, 2);
}

#[test]
fn unknown_rule_key_reports_line() {
    let text = TEST_2025.replace("unit = \"cents\"\n", "unit = \"cents\"\ncolour = \"red\"\n");
    let errors = check_errors(&[("2024.toml", TEST_2024), ("2025.toml", &text)]);

    assert_eq!(errors.len(), 1, "{errors:?}");
    let RuleError::UnknownKey {
        file,
        line,
        key,
        expected,
    } = &errors[0]
    else {
        panic!("expected an unknown key, got {:?}", errors[0]);
    };
    assert!(file.ends_with("2025.toml"), "{file}");
    assert_eq!(*line, 6);
    assert_eq!(key, "colour");
    assert!(expected.contains("description"), "{expected}");

    let message = errors[0].to_string();
    assert!(
        message.contains("2025.toml:6: unknown key `colour`"),
        "{message}"
    );
    assert!(message.contains("remove the key"), "{message}");
}

#[test]
fn unknown_step_key_reports_line() {
    let text = TEST_2024.replace("value = 200, source", "value = 200, sorce");
    let errors = check_errors(&[("2024.toml", &text), ("2025.toml", TEST_2025)]);

    let RuleError::UnknownKey { line, key, .. } = &errors[0] else {
        panic!("expected an unknown key, got {:?}", errors[0]);
    };
    assert_eq!(*line, 10);
    assert_eq!(key, "sorce");
}

#[test]
fn unknown_top_level_key_reports_line() {
    let text = TEST_2024.replace("year = 2024\n", "year = 2024\npays = \"fr\"\n");
    let errors = check_errors(&[("2024.toml", &text)]);

    let RuleError::UnknownKey { line, key, .. } = &errors[0] else {
        panic!("expected an unknown key, got {:?}", errors[0]);
    };
    assert_eq!(*line, 3);
    assert_eq!(key, "pays");
}

#[test]
fn unsorted_steps_are_rejected() {
    let text = TEST_2024.replace("from = 2024-07-01", "from = 2024-01-01");
    let errors = check_errors(&[("2024.toml", &text)]);

    assert_eq!(
        errors,
        vec![RuleError::UnsortedSteps {
            file: errors_file(&errors),
            line: 10,
            name: "test.montant".to_owned(),
            date: date("2024-01-01"),
            previous: date("2024-01-01"),
        }]
    );
    assert!(
        errors[0]
            .to_string()
            .contains("sort the steps oldest first")
    );

    let swapped = "steps = [\n  { from = 2024-07-01, value = 200, source = \"test-source\" },\n  \
                   { from = 2024-01-01, value = 100, source = \"test-source\" },\n]\n";
    let text = format!(
        "{}{swapped}",
        &TEST_2024[..TEST_2024.find("steps").expect("steps")]
    );
    let errors = check_errors(&[("2024.toml", &text)]);
    let RuleError::UnsortedSteps {
        line,
        date: step_date,
        previous,
        ..
    } = &errors[0]
    else {
        panic!("expected unsorted steps, got {:?}", errors[0]);
    };
    assert_eq!(*line, 9);
    assert_eq!(*step_date, date("2024-01-01"));
    assert_eq!(*previous, date("2024-07-01"));
}

/// Returns the file named by the first error, for building expected errors.
fn errors_file(errors: &[RuleError]) -> String {
    match errors.first() {
        Some(RuleError::UnsortedSteps { file, .. }) => file.clone(),
        other => panic!("expected unsorted steps, got {other:?}"),
    }
}

#[test]
fn unknown_source_is_rejected() {
    let text = TEST_2024.replace(
        "value = 200, source = \"test-source\"",
        "value = 200, source = \"ameli\"",
    );
    let errors = check_errors(&[("2024.toml", &text)]);

    assert_eq!(errors.len(), 1, "{errors:?}");
    let RuleError::UnknownSource {
        line,
        name,
        source_id,
        ..
    } = &errors[0]
    else {
        panic!("expected an unknown source, got {:?}", errors[0]);
    };
    assert_eq!(*line, 10);
    assert_eq!(name, "test.montant");
    assert_eq!(source_id, "ameli");
    assert!(errors[0].to_string().contains("declare it in sources.toml"));
}

#[test]
fn year_mismatch_is_rejected() {
    let text = TEST_2024.replace("year = 2024", "year = 2023");
    let errors = check_errors(&[("2024.toml", &text)]);

    assert_eq!(errors.len(), 1, "{errors:?}");
    let RuleError::YearMismatch {
        line,
        found,
        expected,
        ..
    } = &errors[0]
    else {
        panic!("expected a year mismatch, got {:?}", errors[0]);
    };
    assert_eq!(*line, 2);
    assert_eq!(*found, 2023);
    assert_eq!(*expected, 2024);
    assert!(
        errors[0]
            .to_string()
            .contains("fix the year or rename the file")
    );
}

#[test]
fn broken_continuity_is_rejected() {
    let text = TEST_2025.replace("value = 200", "value = 250");
    let errors = check_errors(&[("2024.toml", TEST_2024), ("2025.toml", &text)]);

    assert_eq!(errors.len(), 1, "{errors:?}");
    let RuleError::Discontinuity {
        file,
        line,
        name,
        year,
        found,
        expected,
        ..
    } = &errors[0]
    else {
        panic!("expected a discontinuity, got {:?}", errors[0]);
    };
    assert!(file.ends_with("2025.toml"), "{file}");
    assert_eq!(*line, 8);
    assert_eq!(name, "test.montant");
    assert_eq!(*year, 2025);
    assert_eq!(found, "2.50 €");
    assert_eq!(expected, "2.00 €");
    assert!(
        errors[0]
            .to_string()
            .contains("add a step dated 2025-01-01")
    );
}

#[test]
fn late_first_step_breaks_continuity() {
    let text = TEST_2025.replace(
        "from = 2024-07-01, value = 200",
        "from = 2025-01-02, value = 200",
    );
    let errors = check_errors(&[("2024.toml", TEST_2024), ("2025.toml", &text)]);

    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        matches!(errors[0], RuleError::Discontinuity { line: 8, .. }),
        "{errors:?}"
    );
}

#[test]
fn january_first_step_allows_change() {
    let text = TEST_2025.replace(
        "from = 2024-07-01, value = 200",
        "from = 2025-01-01, value = 300",
    );
    let directory = write_rules_dir(&[
        ("sources.toml", TEST_SOURCES),
        ("2024.toml", TEST_2024),
        ("2025.toml", &text),
    ]);

    if let Err(failed) = check(directory.path()) {
        panic!("{failed}");
    }
    let rules = Rules::load_dir(directory.path()).unwrap_or_else(|failed| panic!("{failed}"));
    let before = rules
        .value_at("test.montant", date("2024-12-31"))
        .map(|found| found.value.as_cents());
    let after = rules
        .value_at("test.montant", date("2025-01-01"))
        .map(|found| found.value.as_cents());
    assert_eq!(before, Ok(Some(200)));
    assert_eq!(after, Ok(Some(300)));
}

#[test]
fn rule_missing_next_year_is_rejected() {
    let text = TEST_2025.replace("test.montant", "test.autre_montant");
    let errors = check_errors(&[("2024.toml", TEST_2024), ("2025.toml", &text)]);

    assert_eq!(errors.len(), 1, "{errors:?}");
    let RuleError::MissingRule {
        file,
        line,
        name,
        next_file,
        ..
    } = &errors[0]
    else {
        panic!("expected a missing rule, got {:?}", errors[0]);
    };
    assert!(file.ends_with("2024.toml"), "{file}");
    assert!(next_file.ends_with("2025.toml"), "{next_file}");
    assert_eq!(*line, 4);
    assert_eq!(name, "test.montant");
}

#[test]
fn step_after_year_end_is_rejected() {
    let text = TEST_2024.replace("from = 2024-07-01", "from = 2025-02-01");
    let errors = check_errors(&[("2024.toml", &text)]);

    let RuleError::StepOutsideYear {
        line, year, fix, ..
    } = &errors[0]
    else {
        panic!("expected a step outside the year, got {:?}", errors[0]);
    };
    assert_eq!(*line, 10);
    assert_eq!(*year, 2024);
    assert!(fix.contains("2025.toml"), "{fix}");
}

#[test]
fn older_second_step_is_rejected() {
    let text = TEST_2025.replace(
        "  { from = 2024-07-01, value = 200, source = \"test-source\" },\n",
        "  { from = 2024-07-01, value = 200, source = \"test-source\" },\n  \
         { from = 2024-09-01, value = 220, source = \"test-source\" },\n",
    );
    let errors = check_errors(&[("2024.toml", TEST_2024), ("2025.toml", &text)]);

    assert!(
        matches!(
            errors[0],
            RuleError::StepOutsideYear {
                line: 9,
                year: 2025,
                ..
            }
        ),
        "{errors:?}"
    );
}

#[test]
fn value_of_wrong_type_is_rejected() {
    for (replacement, what) in [
        ("value = true", "a flag"),
        ("value = -5", "a negative amount"),
        ("value = 1.5", "a float"),
    ] {
        let text = TEST_2024.replace("value = 200", replacement);
        let errors = check_errors(&[("2024.toml", &text)]);

        assert!(
            matches!(&errors[0], RuleError::InvalidValue { line: 10, key, .. } if key == "test.montant"),
            "{what}: {errors:?}"
        );
    }
}

#[test]
fn unknown_unit_is_rejected() {
    let text = TEST_2024.replace("unit = \"cents\"", "unit = \"euros\"");
    let errors = check_errors(&[("2024.toml", &text)]);

    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = errors[0].to_string();
    assert!(
        message.contains(":5: invalid `test.montant`: unknown unit `euros`"),
        "{message}"
    );
    assert!(message.contains("basis-points"), "{message}");
}

#[test]
fn to_confirm_without_note_is_rejected() {
    let text = TEST_2024.replace("value = 200,", "value = 200, status = \"to-confirm\",");
    let errors = check_errors(&[("2024.toml", &text)]);

    assert!(
        matches!(&errors[0], RuleError::InvalidValue { line: 10, problem, .. } if problem.contains("note")),
        "{errors:?}"
    );

    let with_note = TEST_2024.replace(
        "value = 200,",
        "value = 200, status = \"to-confirm\", note = \"single source\",",
    );
    let directory = write_rules_dir(&[("sources.toml", TEST_SOURCES), ("2024.toml", &with_note)]);
    assert!(check(directory.path()).is_ok());
}

#[test]
fn directory_layout_problems_are_rejected() {
    let errors = check_errors(&[("2024.toml", TEST_2024), ("rules-2025.toml", TEST_2025)]);
    assert!(
        matches!(&errors[0], RuleError::InvalidFileName { file } if file.ends_with("rules-2025.toml"))
    );

    let directory = write_rules_dir(&[("2024.toml", TEST_2024)]);
    let failed = check(directory.path()).expect_err("no sources.toml");
    assert!(
        matches!(failed.errors[0], RuleError::MissingSources { .. }),
        "{failed}"
    );

    let directory = write_rules_dir(&[("sources.toml", TEST_SOURCES)]);
    let failed = check(directory.path()).expect_err("no rule file");
    assert!(
        matches!(failed.errors[0], RuleError::NoRuleFiles { .. }),
        "{failed}"
    );
}

#[test]
fn single_file_check_uses_sibling_sources() {
    let bad_source =
        TEST_2024.replace("source = \"test-source\" },\n]", "source = \"other\" },\n]");
    let directory = write_rules_dir(&[("sources.toml", TEST_SOURCES), ("2024.toml", &bad_source)]);

    let failed = check(&directory.path().join("2024.toml")).expect_err("unknown source");
    assert!(
        matches!(failed.errors[0], RuleError::UnknownSource { line: 10, .. }),
        "{failed}"
    );
}

#[test]
fn invalid_toml_reports_line() {
    let text = TEST_2024.replace("value = 100,", "value = ,");
    let errors = check_errors(&[("2024.toml", &text)]);

    assert!(
        matches!(errors[0], RuleError::Syntax { line: 9, .. }),
        "{errors:?}"
    );
}
