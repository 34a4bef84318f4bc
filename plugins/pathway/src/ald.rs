//! The reimbursement rules of an ALD, read from the yearly rule sets rather
//! than from the pathway file: the plugin implements [`AldRules`]
//! over the host's `rules.value-at` service, and the tests over
//! `mediflux_rules::Rules`.

use crate::date::Date;

/// Rule: AMO rate, in basis points, for care linked to the ALD.
pub const ALD_RATE_RULE: &str = "profil.ald.taux_amo";

/// Rule: whether ALD patients are exempt from the franchise and the
/// participation forfaitaire.
pub const ALD_PARTICIPATIONS_RULE: &str = "exoneration.franchise_pf.ald";

/// A rule value with its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFact<T> {
    /// The value in force at the date of care.
    pub value: T,
    /// Id of the source in the rule set.
    pub source_id: String,
    /// Title of the source.
    pub source_title: String,
    /// The rule set marks the value as still to be confirmed.
    pub to_confirm: bool,
}

/// The reimbursement rules of an ALD at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AldCover {
    /// AMO rate for care linked to the ALD, in basis points (10000 = 100 %).
    pub rate_basis_points: RuleFact<u32>,
    /// Whether ALD patients are exempt from the franchise and the
    /// participation forfaitaire.
    pub participations_exempt: RuleFact<bool>,
}

/// Source of the ALD reimbursement rules.
pub trait AldRules {
    /// Returns the ALD rules in force on `date`, or a message saying why
    /// they could not be read.
    fn ald_cover(&self, date: Date) -> Result<AldCover, String>;
}
