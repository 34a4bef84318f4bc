//! Rule values read by the computation, and the trait that provides them.
//!
//! Inside the plugin the values come from the host service
//! `rules.value-at(name, date)`. On the host, and in the tests, an adapter
//! over `mediflux_rules::Rules` implements [`RuleSource`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::CostError;

/// Provider of the rule values in force on a date.
pub trait RuleSource {
    /// Returns the value of `name` in force on `date`: the last step dated on
    /// or before `date` in the rule set of `date`'s year.
    ///
    /// Return [`CostError::RuleNotFound`] when the rule set has no such value
    /// on that date, so that the computation can fall back where the rules
    /// allow it, and [`CostError::RuleSourceFailed`] for any other failure.
    fn value_at(&self, name: &str, date: Date) -> Result<RuleValue, CostError>;
}

/// Unit of a rule value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleUnit {
    /// Integer euro cents.
    Cents,
    /// Integer rate in basis points (10000 = 100 %).
    BasisPoints,
    /// Number of items.
    Count,
    /// Whole years.
    Years,
    /// Whole months.
    Months,
    /// Whole days.
    Days,
    /// Boolean rule.
    Flag,
}

impl fmt::Display for RuleUnit {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            RuleUnit::Cents => "cents",
            RuleUnit::BasisPoints => "basis-points",
            RuleUnit::Count => "count",
            RuleUnit::Years => "years",
            RuleUnit::Months => "months",
            RuleUnit::Days => "days",
            RuleUnit::Flag => "flag",
        };
        formatter.write_str(text)
    }
}

/// A typed rule value, serialised as `{"unit": "cents", "value": 3000}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "kebab-case")]
pub enum RuleAmount {
    /// Amount in euro cents.
    Cents(i64),
    /// Rate in basis points.
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

impl RuleAmount {
    /// Returns the unit of this value.
    pub fn unit(self) -> RuleUnit {
        match self {
            RuleAmount::Cents(_) => RuleUnit::Cents,
            RuleAmount::BasisPoints(_) => RuleUnit::BasisPoints,
            RuleAmount::Count(_) => RuleUnit::Count,
            RuleAmount::Years(_) => RuleUnit::Years,
            RuleAmount::Months(_) => RuleUnit::Months,
            RuleAmount::Days(_) => RuleUnit::Days,
            RuleAmount::Flag(_) => RuleUnit::Flag,
        }
    }

    /// Returns the integer of an integer unit, or `None` for a flag.
    pub fn as_integer(self) -> Option<i64> {
        match self {
            RuleAmount::Cents(number)
            | RuleAmount::BasisPoints(number)
            | RuleAmount::Count(number)
            | RuleAmount::Years(number)
            | RuleAmount::Months(number)
            | RuleAmount::Days(number) => Some(number),
            RuleAmount::Flag(_) => None,
        }
    }
}

/// A rule value in force on a date, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleValue {
    /// Dotted rule name, such as `consultation.generaliste.tarif`.
    pub name: String,
    /// The typed value.
    pub value: RuleAmount,
    /// Date the value took effect.
    pub effective_date: Date,
    /// Identifier of the source in the rule set's sources file.
    pub source_id: String,
    /// Title of that source.
    pub source_title: String,
    /// Whether the rule set marks this value as still to be confirmed.
    pub to_confirm: bool,
}

/// Rule lookups at the date of care that record every value read, so that
/// the breakdown can list the values it used and their sources.
pub(crate) struct Lookup<'a> {
    source: &'a dyn RuleSource,
    date: Date,
    used: Vec<RuleValue>,
}

impl<'a> Lookup<'a> {
    pub(crate) fn new(source: &'a dyn RuleSource, date: Date) -> Self {
        Self {
            source,
            date,
            used: Vec::new(),
        }
    }

    /// Returns the values read so far, in first-use order.
    pub(crate) fn into_used(self) -> Vec<RuleValue> {
        self.used
    }

    fn fetch(&mut self, name: &str, expected: RuleUnit) -> Result<RuleAmount, CostError> {
        let value = self.source.value_at(name, self.date)?;
        let found = value.value.unit();
        if found != expected {
            return Err(CostError::WrongUnit {
                name: name.to_owned(),
                expected,
                found,
            });
        }

        let amount = value.value;
        if !self.used.iter().any(|used| used.name == value.name) {
            self.used.push(value);
        }
        Ok(amount)
    }

    fn integer(&mut self, name: &str, expected: RuleUnit) -> Result<i64, CostError> {
        let amount = self.fetch(name, expected)?;
        amount.as_integer().ok_or(CostError::WrongUnit {
            name: name.to_owned(),
            expected,
            found: RuleUnit::Flag,
        })
    }

    pub(crate) fn cents(&mut self, name: &str) -> Result<i64, CostError> {
        self.integer(name, RuleUnit::Cents)
    }

    pub(crate) fn basis_points(&mut self, name: &str) -> Result<i64, CostError> {
        self.integer(name, RuleUnit::BasisPoints)
    }

    pub(crate) fn count(&mut self, name: &str) -> Result<i64, CostError> {
        self.integer(name, RuleUnit::Count)
    }

    pub(crate) fn years(&mut self, name: &str) -> Result<i64, CostError> {
        self.integer(name, RuleUnit::Years)
    }

    pub(crate) fn months(&mut self, name: &str) -> Result<i64, CostError> {
        self.integer(name, RuleUnit::Months)
    }

    pub(crate) fn days(&mut self, name: &str) -> Result<i64, CostError> {
        self.integer(name, RuleUnit::Days)
    }

    pub(crate) fn flag(&mut self, name: &str) -> Result<bool, CostError> {
        match self.fetch(name, RuleUnit::Flag)? {
            RuleAmount::Flag(flag) => Ok(flag),
            other => Err(CostError::WrongUnit {
                name: name.to_owned(),
                expected: RuleUnit::Flag,
                found: other.unit(),
            }),
        }
    }

    /// Returns `None` when the rule set has no value of this name on the
    /// date of care; any other failure is still an error.
    pub(crate) fn optional_cents(&mut self, name: &str) -> Result<Option<i64>, CostError> {
        match self.cents(name) {
            Ok(cents) => Ok(Some(cents)),
            Err(CostError::RuleNotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Like [`Lookup::optional_cents`] for a value in years.
    pub(crate) fn optional_years(&mut self, name: &str) -> Result<Option<i64>, CostError> {
        match self.years(name) {
            Ok(years) => Ok(Some(years)),
            Err(CostError::RuleNotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}
