//! Parsing and per-file validation of `YEAR.toml` and `sources.toml`.
//!
//! Files are first read into span-carrying serde structs that reject unknown
//! keys, then each field is checked against the schema documented in the
//! header of every rule file. Problems are collected, not returned at the first.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::date::Date;
use crate::error::RuleError;
use crate::model::{Rule, RuleSet, Source, Status, Step, Unit};

/// The only schema version this crate reads.
pub const SCHEMA_VERSION: i64 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleFile {
    schema_version: Spanned<i64>,
    year: Spanned<i64>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    unit: Spanned<String>,
    description: String,
    steps: Spanned<Vec<Spanned<RawStep>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    from: Spanned<toml::value::Datetime>,
    value: Spanned<toml::Value>,
    source: Spanned<String>,
    start_known: Option<Spanned<bool>>,
    status: Option<Spanned<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourcesFile {
    schema_version: Spanned<i64>,
    #[serde(default)]
    sources: BTreeMap<Spanned<String>, Spanned<RawSource>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    legal_reference: Option<String>,
    url: Option<String>,
    date: Option<Spanned<toml::value::Datetime>>,
}

/// Maps byte offsets of one file to line numbers and builds errors that
/// name the file.
struct FileContext<'a> {
    file: &'a str,
    text: &'a str,
}

impl FileContext<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|byte| **byte == b'\n')
            .count()
            + 1
    }

    fn invalid(&self, span: Range<usize>, key: &str, problem: impl Into<String>) -> RuleError {
        RuleError::InvalidValue {
            file: self.file.to_owned(),
            line: self.line(span),
            key: key.to_owned(),
            problem: problem.into(),
        }
    }

    /// Turns a TOML or serde error into an unknown-key error when serde
    /// rejected a field, and into a syntax error otherwise.
    fn rule_error_from_toml(&self, error: &toml::de::Error) -> RuleError {
        let line = error.span().map_or(1, |span| self.line(span));
        let message = error.message().trim_end().to_owned();

        // serde's `unknown_field` message reads "unknown field `KEY`, expected ...".
        if let Some(rest) = message.strip_prefix("unknown field `")
            && let Some((key, tail)) = rest.split_once('`')
        {
            let expected = tail
                .strip_prefix(", expected ")
                .unwrap_or("no other key")
                .to_owned();
            return RuleError::UnknownKey {
                file: self.file.to_owned(),
                line,
                key: key.to_owned(),
                expected,
            };
        }

        RuleError::Syntax {
            file: self.file.to_owned(),
            line,
            message,
        }
    }

    fn check_schema_version(&self, version: &Spanned<i64>, errors: &mut Vec<RuleError>) {
        if *version.get_ref() != SCHEMA_VERSION {
            errors.push(self.invalid(
                version.span(),
                "schema_version",
                format!(
                    "version {} is not supported; this reader supports version {SCHEMA_VERSION}",
                    version.get_ref()
                ),
            ));
        }
    }

    /// Converts a TOML datetime that must be a plain date, recording an error
    /// and returning `None` otherwise.
    fn date_only(
        &self,
        datetime: &Spanned<toml::value::Datetime>,
        key: &str,
        errors: &mut Vec<RuleError>,
    ) -> Option<Date> {
        let value = datetime.get_ref();
        let date = match (value.date, value.time, value.offset) {
            (Some(date), None, None) => Date::new(i32::from(date.year), date.month, date.day),
            _ => None,
        };
        if date.is_none() {
            errors.push(self.invalid(
                datetime.span(),
                key,
                format!("`{value}` is not a plain date; write it as YYYY-MM-DD with no time"),
            ));
        }
        date
    }
}

/// Returns whether `name` is dotted lowercase words of a-z, 0-9 and `_`.
fn is_valid_rule_name(name: &str) -> bool {
    name.split('.').all(|word| {
        !word.is_empty()
            && word
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_')
    })
}

/// Returns whether `id` is lowercase words of a-z, 0-9 and `-`.
fn is_valid_source_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
}

/// Parses and validates `sources.toml`. Returns the sources when the file
/// parses, even if some entries were rejected, so that rule files can still be
/// checked against the valid ones.
pub(crate) fn parse_sources(
    file: &str,
    text: &str,
) -> (Option<BTreeMap<String, Source>>, Vec<RuleError>) {
    let context = FileContext { file, text };
    let mut errors = Vec::new();

    let raw: RawSourcesFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => return (None, vec![context.rule_error_from_toml(&error)]),
    };
    context.check_schema_version(&raw.schema_version, &mut errors);

    let mut sources = BTreeMap::new();
    for (id, entry) in raw.sources {
        let entry_span = entry.span();
        let entry = entry.into_inner();
        if !is_valid_source_id(id.get_ref()) {
            errors.push(context.invalid(
                id.span(),
                id.get_ref(),
                "a source id is lowercase words of a-z, 0-9 and -; rename it",
            ));
            continue;
        }
        if entry.title.trim().is_empty() {
            errors.push(context.invalid(
                entry_span,
                "title",
                "the title is empty; say what the source is",
            ));
        }

        let date = entry
            .date
            .as_ref()
            .and_then(|date| context.date_only(date, "date", &mut errors));

        let id = id.into_inner();
        sources.insert(
            id.clone(),
            Source {
                id,
                title: entry.title,
                legal_reference: entry.legal_reference,
                url: entry.url,
                date,
            },
        );
    }

    (Some(sources), errors)
}

/// Parses and validates one `YEAR.toml` file whose name gives `file_year`.
/// Returns the rule set only when the file has no error.
pub(crate) fn parse_rule_set(
    file: &str,
    file_year: i32,
    text: &str,
    sources: &BTreeMap<String, Source>,
) -> (Option<RuleSet>, Vec<RuleError>) {
    let context = FileContext { file, text };
    let mut errors = Vec::new();

    let raw: RawRuleFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => return (None, vec![context.rule_error_from_toml(&error)]),
    };
    context.check_schema_version(&raw.schema_version, &mut errors);
    if *raw.year.get_ref() != i64::from(file_year) {
        errors.push(RuleError::YearMismatch {
            file: file.to_owned(),
            line: context.line(raw.year.span()),
            found: *raw.year.get_ref(),
            expected: file_year,
        });
    }

    let mut rules = BTreeMap::new();
    for (name, rule) in raw.values {
        let line = context.line(name.span());
        let name = name.into_inner();
        if !is_valid_rule_name(&name) {
            errors.push(RuleError::InvalidValue {
                file: file.to_owned(),
                line,
                key: name.clone(),
                problem: "a rule name is dotted lowercase words of a-z, 0-9 and _, \
                          such as consultation.generaliste.tarif; rename it"
                    .to_owned(),
            });
            continue;
        }
        let rule_validator = RuleValidator {
            context: &context,
            year: file_year,
            name: &name,
            sources,
        };
        if let Some(steps) = rule_validator.validate(rule.into_inner(), line, &mut errors) {
            rules.insert(name.clone(), steps);
        }
    }

    if !errors.is_empty() {
        return (None, errors);
    }
    let rule_set = RuleSet {
        year: file_year,
        file: file.to_owned(),
        rules,
    };
    (Some(rule_set), errors)
}

/// Validates one `[values."NAME"]` table of a year file.
struct RuleValidator<'a> {
    context: &'a FileContext<'a>,
    year: i32,
    name: &'a str,
    sources: &'a BTreeMap<String, Source>,
}

impl RuleValidator<'_> {
    fn validate(&self, raw: RawRule, line: usize, errors: &mut Vec<RuleError>) -> Option<Rule> {
        let errors_before = errors.len();

        let unit = Unit::parse(raw.unit.get_ref());
        if unit.is_none() {
            let units: Vec<&str> = Unit::ALL.iter().map(|unit| unit.as_str()).collect();
            errors.push(self.context.invalid(
                raw.unit.span(),
                self.name,
                format!(
                    "unknown unit `{}`; use one of {}",
                    raw.unit.get_ref(),
                    units.join(", ")
                ),
            ));
        }
        if raw.description.trim().is_empty() {
            errors.push(RuleError::InvalidValue {
                file: self.context.file.to_owned(),
                line,
                key: self.name.to_owned(),
                problem: "the description is empty; say what the value is".to_owned(),
            });
        }
        if raw.steps.get_ref().is_empty() {
            errors.push(self.context.invalid(
                raw.steps.span(),
                self.name,
                "`steps` is empty; add at least one dated step",
            ));
        }

        let mut steps: Vec<Step> = Vec::new();
        for (index, raw_step) in raw.steps.into_inner().into_iter().enumerate() {
            if let Some(step) = self.validate_step(index, raw_step, unit, steps.last(), errors) {
                steps.push(step);
            }
        }

        let unit = unit?;
        if errors.len() > errors_before {
            return None;
        }
        Some(Rule {
            name: self.name.to_owned(),
            unit,
            description: raw.description,
            steps,
            line,
        })
    }

    fn validate_step(
        &self,
        index: usize,
        raw: Spanned<RawStep>,
        unit: Option<Unit>,
        previous: Option<&Step>,
        errors: &mut Vec<RuleError>,
    ) -> Option<Step> {
        let context = self.context;
        let line = context.line(raw.span());
        let raw = raw.into_inner();
        let errors_before = errors.len();

        // Dates: sorted, within the year, and only the first step earlier.
        let from = context.date_only(&raw.from, "from", errors);
        if let Some(from) = from {
            self.check_step_date(from, index, line, previous, errors);
        }

        // Value: the TOML type must match the unit.
        let value = unit.and_then(|unit| {
            let value = unit.value_from_toml(raw.value.get_ref());
            if value.is_none() {
                let expected = match unit {
                    Unit::Flag => "true or false".to_owned(),
                    _ => format!("a non-negative integer in {unit}"),
                };
                errors.push(context.invalid(
                    raw.value.span(),
                    self.name,
                    format!(
                        "value `{}` does not match the unit; write {expected}",
                        raw.value.get_ref()
                    ),
                ));
            }
            value
        });

        // Source, status and start_known.
        if !self.sources.contains_key(raw.source.get_ref()) {
            errors.push(RuleError::UnknownSource {
                file: context.file.to_owned(),
                line: context.line(raw.source.span()),
                name: self.name.to_owned(),
                source_id: raw.source.get_ref().clone(),
            });
        }
        let status = match raw.status.as_ref().map(|status| status.get_ref().as_str()) {
            None | Some("confirmed") => Status::Confirmed,
            Some("to-confirm") => Status::ToConfirm,
            Some(other) => {
                let span = raw.status.as_ref().map_or(0..0, Spanned::span);
                errors.push(context.invalid(
                    span,
                    self.name,
                    format!("unknown status `{other}`; use \"confirmed\" or \"to-confirm\""),
                ));
                Status::Confirmed
            }
        };
        let has_note = raw
            .note
            .as_ref()
            .is_some_and(|note| !note.trim().is_empty());
        if status == Status::ToConfirm && !has_note {
            errors.push(RuleError::InvalidValue {
                file: context.file.to_owned(),
                line,
                key: self.name.to_owned(),
                problem: "a to-confirm step needs a `note` saying what is uncertain; add one"
                    .to_owned(),
            });
        }
        let start_known = raw
            .start_known
            .as_ref()
            .is_none_or(|known| *known.get_ref());
        if !start_known && index > 0 {
            let span = raw.start_known.as_ref().map_or(0..0, Spanned::span);
            errors.push(context.invalid(
                span,
                self.name,
                "`start_known = false` is only allowed on the first step; remove it",
            ));
        }

        if errors.len() > errors_before {
            return None;
        }
        Some(Step {
            from: from?,
            start_known,
            value: value?,
            source: raw.source.into_inner(),
            status,
            note: raw.note,
            line,
        })
    }

    fn check_step_date(
        &self,
        from: Date,
        index: usize,
        line: usize,
        previous: Option<&Step>,
        errors: &mut Vec<RuleError>,
    ) {
        let file = self.context.file.to_owned();
        let name = self.name.to_owned();

        if let Some(previous) = previous
            && from <= previous.from
        {
            errors.push(RuleError::UnsortedSteps {
                file: file.clone(),
                line,
                name: name.clone(),
                date: from,
                previous: previous.from,
            });
        }

        if from > Date::last_of_year(self.year) {
            errors.push(RuleError::StepOutsideYear {
                file,
                line,
                name,
                date: from,
                year: self.year,
                fix: format!("move the step to {}.toml", from.year()),
            });
        } else if index > 0 && from < Date::first_of_year(self.year) {
            errors.push(RuleError::StepOutsideYear {
                file,
                line,
                name,
                date: from,
                year: self.year,
                fix: "only the first step may be dated before 1 January, as the value in force \
                      on that day; remove the older steps"
                    .to_owned(),
            });
        }
    }
}
