//! Checking of rule files and rules directories, including the continuity
//! between consecutive years.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::error::{CheckFailed, RuleError};
use crate::model::{RuleSet, Source, Status};
use crate::parse::{parse_rule_set, parse_sources};

/// File name of the source list in a rules directory.
pub const SOURCES_FILE: &str = "sources.toml";

/// Summary of a successful check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Years checked, oldest first.
    pub years: Vec<i32>,
    /// Rules checked, summed over the years.
    pub rule_count: usize,
    /// Sources declared.
    pub source_count: usize,
    /// Steps marked `to-confirm`, summed over the years.
    pub to_confirm_count: usize,
}

/// The contents of one rule file, before parsing.
pub(crate) struct RuleFileText {
    pub(crate) file: String,
    pub(crate) year: i32,
    pub(crate) text: String,
}

/// Rule sets and sources that passed every check.
pub(crate) struct CheckedRules {
    pub(crate) sets: BTreeMap<i32, RuleSet>,
    pub(crate) sources: BTreeMap<String, Source>,
}

impl CheckedRules {
    fn report(&self) -> CheckReport {
        let rules = self.sets.values().flat_map(|set| set.rules.values());
        let to_confirm_count = rules
            .clone()
            .flat_map(|rule| &rule.steps)
            .filter(|step| step.status == Status::ToConfirm)
            .count();
        CheckReport {
            years: self.sets.keys().copied().collect(),
            rule_count: rules.count(),
            source_count: self.sources.len(),
            to_confirm_count,
        }
    }
}

/// Checks a rules directory or a single rule file.
///
/// A directory must contain `sources.toml` and at least one `YEAR.toml`, and
/// consecutive years must continue. A single `YEAR.toml` is checked against
/// the `sources.toml` next to it, without continuity, because that needs the
/// neighbouring years. A single `sources.toml` is checked alone.
pub fn check(path: &Path) -> Result<CheckReport, CheckFailed> {
    if path.is_dir() {
        let checked = check_directory(path)?;
        return Ok(checked.report());
    }

    let file = path.display().to_string();
    let text = read_file(path)?;
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    if file_name == SOURCES_FILE {
        let sources = check_sources(&file, &text)?;
        return Ok(CheckReport {
            years: Vec::new(),
            rule_count: 0,
            source_count: sources.len(),
            to_confirm_count: 0,
        });
    }

    let Some(year) = year_of_file_name(file_name) else {
        return Err(CheckFailed {
            errors: vec![RuleError::InvalidFileName { file }],
        });
    };
    let directory = path.parent().unwrap_or(Path::new("."));
    let sources_path = directory.join(SOURCES_FILE);
    if !sources_path.is_file() {
        return Err(CheckFailed {
            errors: vec![RuleError::MissingSources {
                directory: directory.display().to_string(),
            }],
        });
    }
    let sources_text = read_file(&sources_path)?;
    let sources = check_sources(&sources_path.display().to_string(), &sources_text)?;

    let (rule_set, errors) = parse_rule_set(&file, year, &text, &sources);
    match rule_set {
        Some(rule_set) => {
            let checked = CheckedRules {
                sets: BTreeMap::from([(year, rule_set)]),
                sources,
            };
            Ok(checked.report())
        }
        None => Err(CheckFailed { errors }),
    }
}

/// Reads and checks every rule file of a directory.
pub(crate) fn check_directory(directory: &Path) -> Result<CheckedRules, CheckFailed> {
    let directory_label = directory.display().to_string();
    let entries = fs::read_dir(directory).map_err(|error| CheckFailed {
        errors: vec![RuleError::Read {
            file: directory_label.clone(),
            message: error.to_string(),
        }],
    })?;

    let mut errors = Vec::new();
    let mut sources_text = None;
    let mut rule_files = Vec::new();
    for entry in entries {
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(error) => {
                errors.push(RuleError::Read {
                    file: directory_label.clone(),
                    message: error.to_string(),
                });
                continue;
            }
        };
        let file = path.display().to_string();
        let file_name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        if !file_name.ends_with(".toml") {
            continue;
        }

        let text = match read_file(&path) {
            Ok(text) => text,
            Err(failed) => {
                errors.extend(failed.errors);
                continue;
            }
        };
        if file_name == SOURCES_FILE {
            sources_text = Some((file, text));
        } else if let Some(year) = year_of_file_name(file_name) {
            rule_files.push(RuleFileText { file, year, text });
        } else {
            errors.push(RuleError::InvalidFileName { file });
        }
    }

    if sources_text.is_none() {
        errors.push(RuleError::MissingSources {
            directory: directory_label.clone(),
        });
    }
    if rule_files.is_empty() {
        errors.push(RuleError::NoRuleFiles {
            directory: directory_label,
        });
    }
    match sources_text {
        Some(sources) if errors.is_empty() => check_texts(sources, rule_files),
        _ => Err(CheckFailed { errors }),
    }
}

/// Checks the source list, the rule files and their continuity.
pub(crate) fn check_texts(
    (sources_file, sources_text): (String, String),
    mut rule_files: Vec<RuleFileText>,
) -> Result<CheckedRules, CheckFailed> {
    let (sources, mut errors) = parse_sources(&sources_file, &sources_text);
    let Some(sources) = sources else {
        return Err(CheckFailed { errors });
    };

    rule_files.sort_by_key(|rule_file| rule_file.year);
    let mut sets = BTreeMap::new();
    for rule_file in &rule_files {
        let (rule_set, file_errors) =
            parse_rule_set(&rule_file.file, rule_file.year, &rule_file.text, &sources);
        errors.extend(file_errors);
        if let Some(rule_set) = rule_set {
            sets.insert(rule_file.year, rule_set);
        }
    }

    errors.extend(check_continuity(&sets));
    if !errors.is_empty() {
        return Err(CheckFailed { errors });
    }
    Ok(CheckedRules { sets, sources })
}

/// Checks that each year N+1 starts where year N ends.
///
/// The first step of year N+1 must repeat the last step of year N (same date
/// and value), unless it is dated 1 January of year N+1, which records a
/// change. A rule of year N missing from year N+1 is an error, but a rule may
/// first appear in a later year.
fn check_continuity(sets: &BTreeMap<i32, RuleSet>) -> Vec<RuleError> {
    let mut errors = Vec::new();

    for (year, set) in sets {
        let Some(next) = sets.get(&(year + 1)) else {
            continue;
        };
        let new_year = crate::date::Date::first_of_year(year + 1);

        for (name, rule) in &set.rules {
            let Some(next_rule) = next.rules.get(name) else {
                errors.push(RuleError::MissingRule {
                    file: set.file.clone(),
                    line: rule.line,
                    name: name.clone(),
                    year: *year,
                    next_file: next.file.clone(),
                });
                continue;
            };
            let (Some(last), Some(first)) = (rule.steps.last(), next_rule.steps.first()) else {
                continue;
            };

            let change_recorded = first.from == new_year;
            let carried_over = first.from == last.from && first.value == last.value;
            if !change_recorded && !carried_over {
                errors.push(RuleError::Discontinuity {
                    file: next.file.clone(),
                    line: first.line,
                    name: name.clone(),
                    year: year + 1,
                    found: first.value.to_string(),
                    found_date: first.from,
                    previous_year: *year,
                    expected: last.value.to_string(),
                    expected_date: last.from,
                });
            }
        }
    }

    errors
}

/// Returns the year of a file named `YEAR.toml` with a four-digit year.
pub(crate) fn year_of_file_name(file_name: &str) -> Option<i32> {
    let stem = file_name.strip_suffix(".toml")?;
    if stem.len() != 4 || !stem.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    stem.parse().ok()
}

fn read_file(path: &Path) -> Result<String, CheckFailed> {
    fs::read_to_string(path).map_err(|error| CheckFailed {
        errors: vec![RuleError::Read {
            file: path.display().to_string(),
            message: error.to_string(),
        }],
    })
}

fn check_sources(file: &str, text: &str) -> Result<BTreeMap<String, Source>, CheckFailed> {
    let (sources, errors) = parse_sources(file, text);
    match sources {
        Some(sources) if errors.is_empty() => Ok(sources),
        _ => Err(CheckFailed { errors }),
    }
}
