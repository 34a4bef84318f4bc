//! Loaded rule sets and value lookups by name and date.

use std::collections::BTreeMap;
use std::path::Path;

use crate::check::{RuleFileText, check_directory, check_texts};
use crate::date::Date;
use crate::error::{CheckFailed, LookupError};
use crate::model::{Rule, RuleSet, Source, Status, Value};

/// The embedded rules directory: the source list, then one file per year.
const EMBEDDED_SOURCES: &str = include_str!("../../../manifests/rules/fr/sources.toml");
const EMBEDDED_YEARS: [(i32, &str); 4] = [
    (2023, include_str!("../../../manifests/rules/fr/2023.toml")),
    (2024, include_str!("../../../manifests/rules/fr/2024.toml")),
    (2025, include_str!("../../../manifests/rules/fr/2025.toml")),
    (2026, include_str!("../../../manifests/rules/fr/2026.toml")),
];

/// A value resolved at a date, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueAt {
    /// Rule name.
    pub name: String,
    /// Date the value was requested for.
    pub date: Date,
    /// The typed value in force on `date`.
    pub value: Value,
    /// Date the value took effect.
    pub effective_date: Date,
    /// False when the value was already in force on `effective_date` and its
    /// real start date is not recorded.
    pub start_known: bool,
    /// Confidence in the value and its date.
    pub status: Status,
    /// Reason for a doubt, or any other remark.
    pub note: Option<String>,
    /// The cited source, resolved from `sources.toml`.
    pub source: Source,
}

impl ValueAt {
    /// Returns whether the value is marked `to-confirm`.
    pub fn is_to_confirm(&self) -> bool {
        self.status == Status::ToConfirm
    }
}

/// Checked rule sets of several years and their sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    sets: BTreeMap<i32, RuleSet>,
    sources: BTreeMap<String, Source>,
}

impl Rules {
    /// Loads the rule sets built into the crate (2023 to 2026), checked like a
    /// directory.
    pub fn embedded() -> Result<Self, CheckFailed> {
        let sources = (
            "embedded/sources.toml".to_owned(),
            EMBEDDED_SOURCES.to_owned(),
        );
        let rule_files = EMBEDDED_YEARS
            .iter()
            .map(|(year, text)| RuleFileText {
                file: format!("embedded/{year}.toml"),
                year: *year,
                text: (*text).to_owned(),
            })
            .collect();

        let checked = check_texts(sources, rule_files)?;
        Ok(Self {
            sets: checked.sets,
            sources: checked.sources,
        })
    }

    /// Loads and checks a rules directory (`sources.toml` and `YEAR.toml`
    /// files). It replaces the embedded set entirely: years it lacks are not
    /// taken from the embedded set.
    pub fn load_dir(directory: &Path) -> Result<Self, CheckFailed> {
        let checked = check_directory(directory)?;
        Ok(Self {
            sets: checked.sets,
            sources: checked.sources,
        })
    }

    /// Loads `directory` when given, and the embedded set otherwise.
    pub fn load(directory: Option<&Path>) -> Result<Self, CheckFailed> {
        match directory {
            Some(directory) => Self::load_dir(directory),
            None => Self::embedded(),
        }
    }

    /// Returns the loaded years, oldest first.
    pub fn years(&self) -> Vec<i32> {
        self.sets.keys().copied().collect()
    }

    /// Returns the rule set of `year`.
    pub fn rule_set(&self, year: i32) -> Result<&RuleSet, LookupError> {
        self.sets.get(&year).ok_or_else(|| LookupError::NoRuleSet {
            year,
            available: self.available_years(),
        })
    }

    /// Returns the declared sources by id.
    pub fn sources(&self) -> &BTreeMap<String, Source> {
        &self.sources
    }

    /// Returns the rule `name` of `year`.
    pub fn rule(&self, year: i32, name: &str) -> Result<&Rule, LookupError> {
        let rule_set = self.rule_set(year)?;
        rule_set
            .rules
            .get(name)
            .ok_or_else(|| LookupError::UnknownName {
                name: name.to_owned(),
                year,
            })
    }

    /// Resolves `name` at `date` in the rule set of `date`'s year: the last
    /// step dated on or before `date`.
    pub fn value_at(&self, name: &str, date: Date) -> Result<ValueAt, LookupError> {
        let rule = self.rule(date.year(), name)?;

        let step = rule.step_at(date).ok_or_else(|| LookupError::NotInForce {
            name: name.to_owned(),
            date,
            first: rule.steps.first().map_or(date, |step| step.from),
        })?;

        // Loading checked every cited id, so a missing source means the
        // rule sets were built without that check.
        let source = self
            .sources
            .get(&step.source)
            .cloned()
            .unwrap_or_else(|| Source {
                id: step.source.clone(),
                title: format!("undeclared source `{}`", step.source),
                legal_reference: None,
                url: None,
                date: None,
            });

        Ok(ValueAt {
            name: name.to_owned(),
            date,
            value: step.value,
            effective_date: step.from,
            start_known: step.start_known,
            status: step.status,
            note: step.note.clone(),
            source,
        })
    }

    pub(crate) fn available_years(&self) -> String {
        let years: Vec<String> = self.sets.keys().map(i32::to_string).collect();
        if years.is_empty() {
            return "none".to_owned();
        }
        years.join(", ")
    }
}
