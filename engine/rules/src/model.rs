//! Validated rule sets: typed values, dated steps and their sources.

use std::collections::BTreeMap;
use std::fmt;

use crate::date::Date;

/// Unit of a rule value, written in the `unit` field of a rule file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Integer euro cents (3000 = 30,00 €).
    Cents,
    /// Integer rate in basis points (10000 = 100 %).
    BasisPoints,
    /// Integer number of items, such as prescription lines.
    Count,
    /// Age or duration in whole years.
    Years,
    /// Duration or ordinal month in whole months.
    Months,
    /// Duration in whole days.
    Days,
    /// Boolean rule.
    Flag,
}

impl Unit {
    /// Every unit, in the order the file header documents them.
    pub const ALL: [Unit; 7] = [
        Unit::Cents,
        Unit::BasisPoints,
        Unit::Count,
        Unit::Years,
        Unit::Months,
        Unit::Days,
        Unit::Flag,
    ];

    /// Returns the spelling used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Cents => "cents",
            Unit::BasisPoints => "basis-points",
            Unit::Count => "count",
            Unit::Years => "years",
            Unit::Months => "months",
            Unit::Days => "days",
            Unit::Flag => "flag",
        }
    }

    /// Parses the spelling used in rule files.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|unit| unit.as_str() == text)
    }

    /// Builds a value of this unit from a TOML integer or boolean, or returns
    /// `None` when the kind does not match or an integer is negative.
    pub(crate) fn value_from_toml(self, raw: &toml::Value) -> Option<Value> {
        match (self, raw) {
            (Unit::Flag, toml::Value::Boolean(flag)) => Some(Value::Flag(*flag)),
            (Unit::Flag, _) => None,
            (_, toml::Value::Integer(number)) if *number >= 0 => Some(match self {
                Unit::Cents => Value::Cents(*number),
                Unit::BasisPoints => Value::BasisPoints(*number),
                Unit::Count => Value::Count(*number),
                Unit::Years => Value::Years(*number),
                Unit::Months => Value::Months(*number),
                Unit::Days => Value::Days(*number),
                Unit::Flag => return None,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A typed rule value. Integers are never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    /// Amount in euro cents.
    Cents(i64),
    /// Rate in basis points (10000 = 100 %).
    BasisPoints(i64),
    /// Number of items.
    Count(i64),
    /// Whole years.
    Years(i64),
    /// Whole months.
    Months(i64),
    /// Whole days.
    Days(i64),
    /// Boolean rule.
    Flag(bool),
}

impl Value {
    /// Returns the unit of this value.
    pub fn unit(self) -> Unit {
        match self {
            Value::Cents(_) => Unit::Cents,
            Value::BasisPoints(_) => Unit::BasisPoints,
            Value::Count(_) => Unit::Count,
            Value::Years(_) => Unit::Years,
            Value::Months(_) => Unit::Months,
            Value::Days(_) => Unit::Days,
            Value::Flag(_) => Unit::Flag,
        }
    }

    /// Returns the integer of any integer unit, or `None` for a flag.
    pub fn as_integer(self) -> Option<i64> {
        match self {
            Value::Cents(number)
            | Value::BasisPoints(number)
            | Value::Count(number)
            | Value::Years(number)
            | Value::Months(number)
            | Value::Days(number) => Some(number),
            Value::Flag(_) => None,
        }
    }

    /// Returns the amount in cents, or `None` for another unit.
    pub fn as_cents(self) -> Option<i64> {
        match self {
            Value::Cents(cents) => Some(cents),
            _ => None,
        }
    }

    /// Returns the rate in basis points, or `None` for another unit.
    pub fn as_basis_points(self) -> Option<i64> {
        match self {
            Value::BasisPoints(rate) => Some(rate),
            _ => None,
        }
    }

    /// Returns the flag, or `None` for another unit.
    pub fn as_flag(self) -> Option<bool> {
        match self {
            Value::Flag(flag) => Some(flag),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    /// Formats cents as euros (`30.00 €`) and basis points as percents
    /// (`70 %`, `17.5 %`).
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::Cents(cents) => write!(formatter, "{}.{:02} €", cents / 100, cents % 100),
            Value::BasisPoints(rate) => {
                let whole = rate / 100;
                let fraction = rate % 100;
                if fraction == 0 {
                    write!(formatter, "{whole} %")
                } else if fraction % 10 == 0 {
                    write!(formatter, "{whole}.{} %", fraction / 10)
                } else {
                    write!(formatter, "{whole}.{fraction:02} %")
                }
            }
            Value::Count(count) => write!(formatter, "{count}"),
            Value::Years(years) => write!(formatter, "{years} years"),
            Value::Months(months) => write!(formatter, "{months} months"),
            Value::Days(days) => write!(formatter, "{days} days"),
            Value::Flag(flag) => write!(formatter, "{flag}"),
        }
    }
}

/// Confidence in a step, from its `status` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Status {
    /// Published by the cited source.
    #[default]
    Confirmed,
    /// Rests on a single secondary source or on an inference.
    ToConfirm,
}

impl Status {
    /// Returns the spelling used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::ToConfirm => "to-confirm",
        }
    }
}

/// A source declared in `sources.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Identifier cited by the steps.
    pub id: String,
    /// Title of the source.
    pub title: String,
    /// Legal text, when the source is one.
    pub legal_reference: Option<String>,
    /// URL of the source, when recorded.
    pub url: Option<String>,
    /// Publication or reference date, when recorded.
    pub date: Option<Date>,
}

/// One dated value of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Effective date.
    pub from: Date,
    /// False when the value was already in force on `from` and its real start
    /// date is not recorded.
    pub start_known: bool,
    /// The value in force from `from`.
    pub value: Value,
    /// Identifier of a source in `sources.toml`.
    pub source: String,
    /// Confidence in the value and its date.
    pub status: Status,
    /// Reason for a doubt, or any other remark.
    pub note: Option<String>,
    /// Line of the step in its rule file, from 1.
    pub line: usize,
}

/// A named rule of one year: its unit and dated steps, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Dotted name, such as `consultation.generaliste.tarif`.
    pub name: String,
    /// Unit shared by every step.
    pub unit: Unit,
    /// One-sentence meaning of the value.
    pub description: String,
    /// Steps in strictly increasing date order; never empty.
    pub steps: Vec<Step>,
    /// Line of the `[values."NAME"]` header in its rule file, from 1.
    pub line: usize,
}

impl Rule {
    /// Returns the step in force on `date`: the last one dated on or before
    /// it, or `None` when the first step is later.
    pub fn step_at(&self, date: Date) -> Option<&Step> {
        self.steps.iter().rev().find(|step| step.from <= date)
    }
}

/// The rules of one civil year, from one `YEAR.toml` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    /// Civil year the rule set covers.
    pub year: i32,
    /// File the rule set was read from (`embedded/YEAR.toml` for the
    /// embedded set).
    pub file: String,
    /// Rules by name.
    pub rules: BTreeMap<String, Rule>,
}
