//! Errors of the cost computation, the rule lookups and the date parser.

use thiserror::Error;

use crate::date::Date;
use crate::rules::RuleUnit;

/// Error of a cost computation, a rule lookup or the date parser.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CostError {
    /// A date is not an existing day written `YYYY-MM-DD`, or a French date
    /// names a day that does not exist.
    #[error(
        "invalid date `{input}`: write an existing day, such as 2025-02-03 or « le 3 février 2025 »"
    )]
    InvalidDate {
        /// The rejected text.
        input: String,
    },

    /// The rule source has no value of this name in force on this date.
    #[error("rule `{name}` not found for {date}: {message}; load a rule set that covers this date")]
    RuleNotFound {
        /// Rule name.
        name: String,
        /// Date of care.
        date: Date,
        /// The rule source's explanation.
        message: String,
    },

    /// The rule source failed for another reason than a missing value.
    #[error("rule source failed for `{name}` on {date}: {message}; check the host's rule sets")]
    RuleSourceFailed {
        /// Rule name.
        name: String,
        /// Date of care.
        date: Date,
        /// The rule source's explanation.
        message: String,
    },

    /// A rule value has another unit than the computation needs.
    #[error(
        "rule `{name}` has unit {found} but {expected} was expected; fix its unit in the rule set"
    )]
    WrongUnit {
        /// Rule name.
        name: String,
        /// Unit the computation needs.
        expected: RuleUnit,
        /// Unit the rule source returned.
        found: RuleUnit,
    },

    /// An amount of the case is negative.
    #[error(
        "invalid amount for `{field}`: {cents} cents is negative; pass an amount of 0 or more cents"
    )]
    NegativeAmount {
        /// Name of the input field.
        field: &'static str,
        /// The rejected amount.
        cents: i64,
    },

    /// A reimbursement or guarantee rate is outside the accepted range.
    #[error(
        "invalid rate for `{field}`: {basis_points} basis points; pass a rate from 0 to {max} (10000 = 100 %)"
    )]
    InvalidRate {
        /// Name of the input field.
        field: &'static str,
        /// The rejected rate.
        basis_points: i64,
        /// Largest accepted rate.
        max: i64,
    },

    /// A medicine line or a paramedical case counts zero items.
    #[error("invalid quantity 0 for `{label}`: pass at least 1")]
    ZeroQuantity {
        /// Label of the line.
        label: String,
    },

    /// A generic was refused without a valid code and the new base is unknown.
    #[error(
        "missing base for `{label}`: the generic was refused without a valid MTE, EFG or CIF code, so pass the TFR or the price of the most expensive generic of the group"
    )]
    MissingGenericPrice {
        /// Label of the medicine line.
        label: String,
    },

    /// A secteur 3 doctor's fee cannot be guessed from the tarif d'autorité.
    #[error(
        "missing billed amount for `{label}`: a secteur 3 doctor sets the fee freely, so pass billed_cents"
    )]
    MissingBilledAmount {
        /// Label of the consultation.
        label: String,
    },

    /// A pregnancy month outside 1 to 9.
    #[error("invalid pregnancy month {month}: pass a month from 1 to 9")]
    InvalidPregnancyMonth {
        /// The rejected month.
        month: u8,
    },

    /// The request lists no care item.
    #[error("no care item in the request: add a medicine, consultation or other care item")]
    NoCareItems,
}
