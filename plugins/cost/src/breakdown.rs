//! The result of a simulation: lines, totals, rule values used and
//! assumptions, serialisable as JSON for integrators.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::rules::RuleValue;

/// Shares of each payer, per line and in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    /// Date of care the rules were resolved at.
    pub date: Date,
    /// Year of the rule set used, the year of `date`.
    pub rule_set_year: i32,
    /// One line per billed item.
    pub lines: Vec<Line>,
    /// Sums of the lines.
    pub total: Amounts,
    /// Rule values read, with their sources, in first-use order.
    pub rules_used: Vec<RuleValue>,
    /// Assumptions made for missing inputs, and how to change them.
    pub assumptions: Vec<Assumption>,
    /// Cheaper choices, when one exists.
    pub advice: Vec<Advice>,
}

/// The six amounts of a line or of the total, in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    /// Amount billed to the patient.
    pub billed_cents: i64,
    /// Base de remboursement (BR).
    pub base_cents: i64,
    /// AMO share before deductions: BR × AMO rate.
    pub amo_cents: i64,
    /// Participations forfaitaires and franchises deducted from the AMO
    /// payment.
    pub deductions_cents: i64,
    /// Share of the mutuelle (AMC), or of the C2S.
    pub amc_cents: i64,
    /// Reste à charge: billed − (AMO − deductions) − AMC.
    pub patient_cents: i64,
}

impl Amounts {
    /// Adds `other` to these amounts.
    pub fn add(&mut self, other: &Amounts) {
        self.billed_cents += other.billed_cents;
        self.base_cents += other.base_cents;
        self.amo_cents += other.amo_cents;
        self.deductions_cents += other.deductions_cents;
        self.amc_cents += other.amc_cents;
        self.patient_cents += other.patient_cents;
    }
}

/// One billed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Name shown to the patient, in French.
    pub label: String,
    /// Kind of item billed.
    pub kind: LineKind,
    /// The amounts, flattened into the line's JSON object.
    #[serde(flatten)]
    pub amounts: Amounts,
    /// AMO rate applied, in basis points; `None` when the AMO share is not
    /// a rate of the BR (flat fees, heavy-act participation, no cover).
    pub amo_rate_basis_points: Option<i64>,
    /// Kind of deduction in `deductions_cents`, when not zero.
    pub deduction: Option<DeductionKind>,
    /// French remarks on the line, such as "pas de tiers payant".
    pub notes: Vec<String>,
}

/// Kind of item a line bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Medicine boxes.
    Medicine,
    /// A per-prescription pharmacy fee.
    PharmacyFee,
    /// A doctor's consultation.
    Consultation,
    /// Paramedical acts.
    Paramedical,
    /// A lab test.
    Lab,
    /// A radiology act.
    Radiology,
    /// Dental care.
    Dental,
    /// The care of a hospital stay.
    HospitalStay,
    /// The forfait journalier hospitalier.
    DailyHospitalFee,
    /// The forfait patient urgences.
    EmergencyFee,
}

/// Kind of deduction from the AMO payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeductionKind {
    /// Participation forfaitaire.
    ParticipationForfaitaire,
    /// Franchise médicale.
    Franchise,
}

/// An input the caller did not give, and the value assumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assumption {
    /// Stable identifier, such as `sector_unknown`.
    pub code: String,
    /// The assumed value, in French.
    pub text: String,
    /// The way to change it, in French.
    pub how_to_change: String,
}

/// A cheaper choice and what it saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    /// The advice, in French.
    pub text: String,
    /// Reste à charge with the cheaper choice, in cents.
    pub patient_cents: i64,
    /// Reste à charge saved, in cents.
    pub saving_cents: i64,
}
