//! Errors of rule checking and of value lookups.
//!
//! Check errors name the file, the line (from 1) and the key, and end with
//! how to fix the file.

use std::fmt;

use thiserror::Error;

use crate::date::Date;

/// One problem found in a rules directory or rule file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    /// The file or directory could not be read.
    #[error("{file}: failed to read: {message}; check the path and its permissions")]
    Read {
        /// Path that failed.
        file: String,
        /// Operating system message.
        message: String,
    },

    /// The file is not valid TOML, or a field is missing or of the wrong type.
    #[error("{file}:{line}: invalid rule file: {message}; see the schema in the file header")]
    Syntax {
        /// Rule file.
        file: String,
        /// Line of the problem.
        line: usize,
        /// Parser message.
        message: String,
    },

    /// A key the schema does not define.
    #[error(
        "{file}:{line}: unknown key `{key}`, expected {expected}; fix the spelling or remove the key"
    )]
    UnknownKey {
        /// Rule file.
        file: String,
        /// Line of the key.
        line: usize,
        /// The unknown key.
        key: String,
        /// Keys allowed at that place.
        expected: String,
    },

    /// A key whose value breaks the schema.
    #[error("{file}:{line}: invalid `{key}`: {problem}")]
    InvalidValue {
        /// Rule file.
        file: String,
        /// Line of the value.
        line: usize,
        /// Rule name or field name.
        key: String,
        /// The problem and its fix.
        problem: String,
    },

    /// A step is not dated after the step before it.
    #[error(
        "{file}:{line}: `{name}`: step dated {date} comes after the step dated {previous}; \
         sort the steps oldest first, with at most one step per date"
    )]
    UnsortedSteps {
        /// Rule file.
        file: String,
        /// Line of the out-of-order step.
        line: usize,
        /// Rule name.
        name: String,
        /// Date of the out-of-order step.
        date: Date,
        /// Date of the step before it.
        previous: Date,
    },

    /// A step cites a source that `sources.toml` does not declare.
    #[error(
        "{file}:{line}: `{name}`: unknown source `{source_id}`; \
         declare it in sources.toml or cite a declared id"
    )]
    UnknownSource {
        /// Rule file.
        file: String,
        /// Line of the step.
        line: usize,
        /// Rule name.
        name: String,
        /// The undeclared source id.
        source_id: String,
    },

    /// The `year` field differs from the year in the file name.
    #[error(
        "{file}:{line}: `year = {found}` does not match the file name, which expects {expected}; \
         fix the year or rename the file"
    )]
    YearMismatch {
        /// Rule file.
        file: String,
        /// Line of the `year` field.
        line: usize,
        /// Year written in the file.
        found: i64,
        /// Year of the file name.
        expected: i32,
    },

    /// A step dated outside the years its file may cover.
    #[error("{file}:{line}: `{name}`: step dated {date} is outside year {year}; {fix}")]
    StepOutsideYear {
        /// Rule file.
        file: String,
        /// Line of the step.
        line: usize,
        /// Rule name.
        name: String,
        /// Date of the step.
        date: Date,
        /// Year of the file.
        year: i32,
        /// How to fix the step.
        fix: String,
    },

    /// Year N+1 does not start where year N ends, and no step dated
    /// 1 January of year N+1 records a change.
    #[error(
        "{file}:{line}: `{name}`: year {year} starts with {found} from {found_date}, but year \
         {previous_year} ends with {expected} from {expected_date}; repeat the last step of \
         {previous_year} or add a step dated {year}-01-01 that records the change"
    )]
    Discontinuity {
        /// Rule file of year N+1.
        file: String,
        /// Line of the first step in year N+1.
        line: usize,
        /// Rule name.
        name: String,
        /// Year N+1.
        year: i32,
        /// First value of year N+1, formatted.
        found: String,
        /// Date of the first step of year N+1.
        found_date: Date,
        /// Year N.
        previous_year: i32,
        /// Last value of year N, formatted.
        expected: String,
        /// Date of the last step of year N.
        expected_date: Date,
    },

    /// A rule of year N is missing from year N+1.
    #[error(
        "{file}:{line}: `{name}` is missing from {next_file}; \
         copy the rule into {next_file} with its last step of {year}"
    )]
    MissingRule {
        /// Rule file of year N.
        file: String,
        /// Line of the rule in year N.
        line: usize,
        /// Rule name.
        name: String,
        /// Year N.
        year: i32,
        /// Rule file of year N+1.
        next_file: String,
    },

    /// A `.toml` file that is neither `YEAR.toml` nor `sources.toml`.
    #[error(
        "{file}: unexpected file name; name rule files YEAR.toml (such as 2025.toml) \
         and the source list sources.toml"
    )]
    InvalidFileName {
        /// The unexpected file.
        file: String,
    },

    /// A rules directory without `sources.toml`.
    #[error("{directory}: sources.toml not found; add the source list next to the rule files")]
    MissingSources {
        /// Directory checked.
        directory: String,
    },

    /// A rules directory without any `YEAR.toml`.
    #[error("{directory}: no rule file found; add at least one YEAR.toml, such as 2025.toml")]
    NoRuleFiles {
        /// Directory checked.
        directory: String,
    },
}

/// Every problem found by one check; returned when at least one was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFailed {
    /// Problems in the order they were found, file by file.
    pub errors: Vec<RuleError>,
}

impl fmt::Display for CheckFailed {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "rules check failed with {} error(s)",
            self.errors.len()
        )?;
        for error in &self.errors {
            write!(formatter, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CheckFailed {}

/// Error of a value lookup, `show` or `diff`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LookupError {
    /// No rule set covers the requested year.
    #[error("no rule set for year {year}; loaded years: {available}")]
    NoRuleSet {
        /// Requested year.
        year: i32,
        /// Years loaded, comma-separated.
        available: String,
    },

    /// The year's rule set has no rule of that name.
    #[error("unknown rule `{name}` in the {year} rule set; check the name against `show {year}`")]
    UnknownName {
        /// Requested name.
        name: String,
        /// Year of the rule set searched.
        year: i32,
    },

    /// The rule exists but its first step is after the requested date.
    #[error("`{name}` is not in force on {date}: its first step is dated {first}")]
    NotInForce {
        /// Requested name.
        name: String,
        /// Requested date.
        date: Date,
        /// Date of the first step.
        first: Date,
    },

    /// `show` was given a date outside the year shown.
    #[error("date {date} is outside year {year}; pick a date in {year} or show year {}", date.year())]
    DateOutsideYear {
        /// Requested date.
        date: Date,
        /// Year shown.
        year: i32,
    },

    /// `diff` was called with years out of order.
    #[error("invalid diff: the first year ({first}) must be earlier than the second ({second})")]
    DiffOrder {
        /// First year given.
        first: i32,
        /// Second year given.
        second: i32,
    },
}
