//! `show` and `diff` of rule sets, as data and as plain text for the CLI.
//!
//! The text shows amounts in euros and rates in percents, for maintainers.

use std::fmt;

use crate::date::Date;
use crate::error::LookupError;
use crate::model::{Rule, Status, Step, Unit, Value};
use crate::rules::Rules;

/// One step as shown to a maintainer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownStep {
    /// Effective date.
    pub from: Date,
    /// False when the value was already in force on `from` and its real
    /// start date is not recorded.
    pub start_known: bool,
    /// The value.
    pub value: Value,
    /// Source id.
    pub source: String,
    /// Confidence in the value and its date.
    pub status: Status,
    /// Remark or reason for uncertainty.
    pub note: Option<String>,
}

impl From<&Step> for ShownStep {
    fn from(step: &Step) -> Self {
        Self {
            from: step.from,
            start_known: step.start_known,
            value: step.value,
            source: step.source.clone(),
            status: step.status,
            note: step.note.clone(),
        }
    }
}

impl fmt::Display for ShownStep {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let since = if self.start_known { "" } else { " or earlier" };
        write!(
            formatter,
            "{} from {}{since} [{}]",
            self.value, self.from, self.source
        )?;
        if self.status == Status::ToConfirm {
            write!(formatter, " TO CONFIRM")?;
        }
        if let Some(note) = &self.note {
            write!(formatter, ": {note}")?;
        }
        Ok(())
    }
}

/// One rule as shown by `show`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownRule {
    /// Rule name.
    pub name: String,
    /// Unit of the rule.
    pub unit: Unit,
    /// Meaning of the value.
    pub description: String,
    /// Every step of the year, or with a date only the step in force on it
    /// (none when the rule starts later).
    pub steps: Vec<ShownStep>,
}

/// The rules of one year, optionally resolved at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Show {
    /// Year shown.
    pub year: i32,
    /// Date the values were resolved at, if any.
    pub at: Option<Date>,
    /// Rules by name.
    pub rules: Vec<ShownRule>,
}

impl fmt::Display for Show {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(date) => writeln!(
                formatter,
                "rule set {}, values in force on {date}",
                self.year
            )?,
            None => writeln!(formatter, "rule set {}, all steps", self.year)?,
        }

        for rule in &self.rules {
            writeln!(
                formatter,
                "{} ({}): {}",
                rule.name, rule.unit, rule.description
            )?;
            if rule.steps.is_empty() {
                writeln!(formatter, "  not in force yet")?;
            }
            for step in &rule.steps {
                writeln!(formatter, "  {step}")?;
            }
        }
        Ok(())
    }
}

/// Difference of one rule between two years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The rule exists only in the later year.
    Added {
        /// Steps of the later year.
        steps: Vec<ShownStep>,
    },
    /// The rule exists only in the earlier year.
    Removed {
        /// Last step of the earlier year.
        last: ShownStep,
    },
    /// The later year has new steps, or disagrees with the earlier year's
    /// last step.
    Changed {
        /// Last step of the earlier year.
        before: ShownStep,
        /// Steps of the later year dated after `before`, or all of them when
        /// the later year contradicts `before`.
        after: Vec<ShownStep>,
    },
}

/// One changed rule in a `diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffEntry {
    /// Rule name.
    pub name: String,
    /// What changed.
    pub change: Change,
}

/// Changes between the rule sets of two years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    /// Earlier year.
    pub from_year: i32,
    /// Later year.
    pub to_year: i32,
    /// Changed rules by name; unchanged rules are left out.
    pub entries: Vec<DiffEntry>,
}

impl fmt::Display for Diff {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entries.is_empty() {
            return writeln!(
                formatter,
                "no changes from {} to {}",
                self.from_year, self.to_year
            );
        }
        writeln!(
            formatter,
            "{} change(s) from {} to {}",
            self.entries.len(),
            self.from_year,
            self.to_year
        )?;

        for entry in &self.entries {
            match &entry.change {
                Change::Added { steps } => {
                    writeln!(formatter, "+ {}: added in {}", entry.name, self.to_year)?;
                    for step in steps {
                        writeln!(formatter, "    {step}")?;
                    }
                }
                Change::Removed { last } => {
                    writeln!(formatter, "- {}: removed, last {last}", entry.name)?;
                }
                Change::Changed { before, after } => {
                    writeln!(formatter, "~ {}: was {before}", entry.name)?;
                    for step in after {
                        writeln!(formatter, "    now {step}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Rules {
    /// Lists the rules of `year`, with every step, or with only the step in
    /// force on `at` when given. `at` must fall within `year`.
    pub fn show(&self, year: i32, at: Option<Date>) -> Result<Show, LookupError> {
        let rule_set = self.rule_set(year)?;
        if let Some(date) = at
            && date.year() != year
        {
            return Err(LookupError::DateOutsideYear { date, year });
        }

        let rules = rule_set
            .rules
            .values()
            .map(|rule| ShownRule {
                name: rule.name.clone(),
                unit: rule.unit,
                description: rule.description.clone(),
                steps: match at {
                    Some(date) => rule
                        .step_at(date)
                        .map(ShownStep::from)
                        .into_iter()
                        .collect(),
                    None => rule.steps.iter().map(ShownStep::from).collect(),
                },
            })
            .collect();

        Ok(Show { year, at, rules })
    }

    /// Compares the rule sets of `from_year` and a later `to_year`: rules
    /// added, removed, or with steps after the last step of `from_year`.
    pub fn diff(&self, from_year: i32, to_year: i32) -> Result<Diff, LookupError> {
        if from_year >= to_year {
            return Err(LookupError::DiffOrder {
                first: from_year,
                second: to_year,
            });
        }
        let earlier = self.rule_set(from_year)?;
        let later = self.rule_set(to_year)?;

        let mut entries = Vec::new();
        for (name, rule) in &earlier.rules {
            let change = match later.rules.get(name) {
                Some(later_rule) => compare_rules(rule, later_rule),
                None => rule
                    .steps
                    .last()
                    .map(|last| Change::Removed { last: last.into() }),
            };
            if let Some(change) = change {
                entries.push(DiffEntry {
                    name: name.clone(),
                    change,
                });
            }
        }
        for (name, rule) in &later.rules {
            if !earlier.rules.contains_key(name) {
                let steps = rule.steps.iter().map(ShownStep::from).collect();
                entries.push(DiffEntry {
                    name: name.clone(),
                    change: Change::Added { steps },
                });
            }
        }
        entries.sort_by(|left, right| left.name.cmp(&right.name));

        Ok(Diff {
            from_year,
            to_year,
            entries,
        })
    }
}

/// Returns the change from `earlier` (last step) to `later`, or `None` when
/// `later` only repeats it.
fn compare_rules(earlier: &Rule, later: &Rule) -> Option<Change> {
    let before = earlier.steps.last()?;

    let newer: Vec<ShownStep> = later
        .steps
        .iter()
        .filter(|step| step.from > before.from)
        .map(ShownStep::from)
        .collect();
    let agrees = later.unit == earlier.unit
        && later
            .step_at(before.from)
            .is_some_and(|step| step.value == before.value);

    let after = if agrees {
        newer
    } else {
        later.steps.iter().map(ShownStep::from).collect()
    };
    if after.is_empty() {
        return None;
    }
    Some(Change::Changed {
        before: before.into(),
        after,
    })
}
