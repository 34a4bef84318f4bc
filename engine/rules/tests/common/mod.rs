//! Helpers shared by the integration tests: dates, the shipped rules
//! directory and small rules directories written to temporary folders.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use mediflux_rules::{Date, Rules, Value, ValueAt};

/// Parses a `YYYY-MM-DD` literal written in a test.
pub fn date(text: &str) -> Date {
    text.parse()
        .unwrap_or_else(|error| panic!("test date {text}: {error}"))
}

/// Returns the rules directory shipped in the repository.
pub fn shipped_rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../manifests/rules/fr")
}

/// Loads the embedded rule sets, failing the test with every check error.
pub fn embedded() -> Rules {
    Rules::embedded().unwrap_or_else(|failed| panic!("{failed}"))
}

/// Resolves `name` at `date`, failing the test with the lookup error.
pub fn lookup(rules: &Rules, name: &str, on: &str) -> ValueAt {
    rules
        .value_at(name, date(on))
        .unwrap_or_else(|error| panic!("{name} at {on}: {error}"))
}

/// Resolves an integer value (cents, basis points, count or duration).
pub fn integer(rules: &Rules, name: &str, on: &str) -> i64 {
    let value = lookup(rules, name, on).value;
    value
        .as_integer()
        .unwrap_or_else(|| panic!("{name} at {on} is {value:?}, not an integer"))
}

/// Resolves a flag.
pub fn flag(rules: &Rules, name: &str, on: &str) -> bool {
    match lookup(rules, name, on).value {
        Value::Flag(flag) => flag,
        other => panic!("{name} at {on} is {other:?}, not a flag"),
    }
}

/// Copies the shipped rules directory into `target`.
pub fn copy_shipped_rules(target: &Path) {
    for entry in fs::read_dir(shipped_rules_dir()).expect("read shipped rules") {
        let path = entry.expect("read shipped entry").path();
        let name = path.file_name().expect("file name");
        fs::copy(&path, target.join(name)).expect("copy rule file");
    }
}

/// Source list of the small test directory.
pub const TEST_SOURCES: &str = r#"schema_version = 1

[sources.test-source]
title = "Source used by the check tests"
"#;

/// 2024 file of the small test directory: one rule, changed on 2024-07-01.
/// The first step is on line 9 and the second on line 10.
pub const TEST_2024: &str = r#"schema_version = 1
year = 2024

[values."test.montant"]
unit = "cents"
description = "Amount used by the check tests"
steps = [
  # first half, then second half of the year
  { from = 2024-01-01, value = 100, source = "test-source" },
  { from = 2024-07-01, value = 200, source = "test-source" },
]
"#;

/// 2025 file of the small test directory, carrying the 2024 value over.
/// The step is on line 8.
pub const TEST_2025: &str = r#"schema_version = 1
year = 2025

[values."test.montant"]
unit = "cents"
description = "Amount used by the check tests"
steps = [
  { from = 2024-07-01, value = 200, source = "test-source" },
]
"#;

/// Writes a rules directory with the given files into a new temporary
/// folder.
pub fn write_rules_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let directory = tempfile::tempdir().expect("create temp dir");
    for (name, text) in files {
        fs::write(directory.path().join(name), text).expect("write rule file");
    }
    directory
}
