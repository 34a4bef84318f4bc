//! The complementary contract (mutuelle, AMC) and its share of each line.
//!
//! Guarantees are written "X % BR". With the Sécurité sociale included, the
//! AMO and the AMC together pay at most X % of the BR and at most the billed
//! amount. "En sus" adds X % of the BR on top of the AMO share. A contrat
//! responsable (Code de la sécurité sociale, L871-1 and R871-2) never covers
//! franchises, participations forfaitaires, the out-of-pathway penalty or the
//! dépassement autorisé, and caps its cover of non-OPTAM dépassements.

use serde::{Deserialize, Serialize};

use crate::error::CostError;
use crate::money::apply_rate;
use crate::rules::Lookup;

/// Largest guarantee accepted, in basis points (1000 % BR).
const MAX_GUARANTEE_BASIS_POINTS: i64 = 100_000;

/// A complementary contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mutuelle {
    /// Name shown to the patient, when known.
    pub name: Option<String>,
    /// Contrat responsable, as about 98 % of contracts are.
    pub responsible: bool,
    /// Basis of the percentages.
    pub basis: CoverBasis,
    /// Doctors in secteur 1 or OPTAM, in basis points of the BR.
    pub doctors_optam_basis_points: i64,
    /// Doctors outside OPTAM (secteur 2 non-OPTAM, secteur 3); `None` takes
    /// the OPTAM guarantee. A contrat responsable is clamped to the legal
    /// ceiling either way.
    pub doctors_non_optam_basis_points: Option<i64>,
    /// Medicines and pharmacy fees.
    pub medicines_basis_points: i64,
    /// Covers the ticket modérateur of 30 % and 15 % medicines, which a
    /// contrat responsable may leave out.
    pub covers_low_rate_medicines: bool,
    /// Paramedical acts.
    pub paramedical_basis_points: i64,
    /// Lab tests.
    pub lab_basis_points: i64,
    /// Radiology.
    pub radiology_basis_points: i64,
    /// Dentists' consultations and care.
    pub dental_basis_points: i64,
    /// Hospital stays.
    pub hospital_basis_points: i64,
    /// Pays the forfait journalier hospitalier in full ("frais réels").
    pub covers_daily_hospital_fee: bool,
    /// Pays the forfait patient urgences in full.
    pub covers_emergency_fee: bool,
    /// Pays franchises and participations forfaitaires; ignored for a
    /// contrat responsable.
    pub covers_deductions: bool,
    /// Pays the out-of-pathway penalty; ignored for a contrat responsable.
    pub covers_pathway_penalty: bool,
    /// Pays the dépassement autorisé of a secteur 1 specialist seen outside
    /// the pathway; ignored for a contrat responsable.
    pub covers_authorised_excess: bool,
}

/// Basis of a guarantee percentage: with or on top of the AMO share.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverBasis {
    /// "X % BR, Sécurité sociale incluse": AMO + AMC ≤ X % of the BR.
    #[default]
    SecuIncluded,
    /// "X % BR en sus de la Sécurité sociale": AMC ≤ X % of the BR.
    OnTopOfSecu,
}

impl Default for Mutuelle {
    fn default() -> Self {
        Self::responsible(10_000)
    }
}

impl Mutuelle {
    /// Builds a contrat responsable with the same guarantee, Sécurité sociale
    /// included, for every care category, no cover of 30 % and 15 %
    /// medicines and no flat hospital fees.
    pub fn responsible(basis_points: i64) -> Self {
        Self {
            name: None,
            responsible: true,
            basis: CoverBasis::SecuIncluded,
            doctors_optam_basis_points: basis_points,
            doctors_non_optam_basis_points: None,
            medicines_basis_points: basis_points,
            covers_low_rate_medicines: false,
            paramedical_basis_points: basis_points,
            lab_basis_points: basis_points,
            radiology_basis_points: basis_points,
            dental_basis_points: basis_points,
            hospital_basis_points: basis_points,
            covers_daily_hospital_fee: false,
            covers_emergency_fee: false,
            covers_deductions: false,
            covers_pathway_penalty: false,
            covers_authorised_excess: false,
        }
    }

    /// Builds the cover the C2S gives: the whole ticket modérateur of every
    /// reimbursable item and no dépassement.
    // NOTE: the rule sets only record that the C2S pays the ticket
    // modérateur, so the forfait journalier and the forfait patient urgences
    // are left to the patient here.
    pub(crate) fn c2s() -> Self {
        Self {
            name: Some("complémentaire santé solidaire (C2S)".to_owned()),
            covers_low_rate_medicines: true,
            ..Self::responsible(10_000)
        }
    }

    /// Rejects guarantees outside 0 to 1000 % BR.
    pub(crate) fn validate(&self) -> Result<(), CostError> {
        let rates = [
            (
                "doctors_optam_basis_points",
                self.doctors_optam_basis_points,
            ),
            (
                "doctors_non_optam_basis_points",
                self.doctors_non_optam_basis_points.unwrap_or(0),
            ),
            ("medicines_basis_points", self.medicines_basis_points),
            ("paramedical_basis_points", self.paramedical_basis_points),
            ("lab_basis_points", self.lab_basis_points),
            ("radiology_basis_points", self.radiology_basis_points),
            ("dental_basis_points", self.dental_basis_points),
            ("hospital_basis_points", self.hospital_basis_points),
        ];
        for (field, basis_points) in rates {
            if !(0..=MAX_GUARANTEE_BASIS_POINTS).contains(&basis_points) {
                return Err(CostError::InvalidRate {
                    field,
                    basis_points,
                    max: MAX_GUARANTEE_BASIS_POINTS,
                });
            }
        }
        Ok(())
    }
}

/// The guarantee that applies to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoverCategory {
    /// A doctor; `non_optam` for secteur 2 non-OPTAM and secteur 3.
    Doctor {
        non_optam: bool,
    },
    /// A medicine box; `low_rate` for the optional 30 % and 15 % rates.
    Medicine {
        low_rate: bool,
    },
    /// A per-prescription pharmacy fee.
    PharmacyFee,
    Paramedical,
    Lab,
    Radiology,
    Dental,
    Hospital,
    /// The forfait journalier, paid only under a "frais réels" guarantee.
    DailyHospitalFee,
    /// The forfait patient urgences.
    EmergencyFee,
}

/// Limits of a contrat responsable's cover, read from the rule set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResponsibleLimits {
    non_optam_excess_max_basis_points: i64,
    non_optam_gap_basis_points: i64,
    covers_franchise: bool,
    covers_participation: bool,
    covers_pathway_penalty: bool,
    covers_authorised_excess: bool,
}

impl ResponsibleLimits {
    pub(crate) fn read(lookup: &mut Lookup<'_>) -> Result<Self, CostError> {
        const PREFIX: &str = "complementaire.contrat_responsable";
        Ok(Self {
            non_optam_excess_max_basis_points: lookup
                .basis_points(&format!("{PREFIX}.depassement_non_optam.plafond"))?,
            non_optam_gap_basis_points: lookup
                .basis_points(&format!("{PREFIX}.depassement_non_optam.ecart_min_optam"))?,
            covers_franchise: lookup.flag(&format!("{PREFIX}.couvre.franchise"))?,
            covers_participation: lookup
                .flag(&format!("{PREFIX}.couvre.participation_forfaitaire"))?,
            covers_pathway_penalty: lookup
                .flag(&format!("{PREFIX}.couvre.penalite_hors_parcours"))?,
            covers_authorised_excess: lookup
                .flag(&format!("{PREFIX}.couvre.depassement_autorise"))?,
        })
    }
}

/// Kind of flat deduction on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeductionCause {
    Franchise,
    Participation,
}

/// Amounts of a line that the AMC share depends on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShareInput {
    pub(crate) category: CoverCategory,
    pub(crate) billed_cents: i64,
    pub(crate) base_cents: i64,
    /// AMO share before deductions, at the rate actually applied.
    pub(crate) amo_cents: i64,
    /// AMO share the patient would get within the pathway.
    pub(crate) amo_in_pathway_cents: i64,
    pub(crate) deductions_cents: i64,
    pub(crate) deduction_cause: Option<DeductionCause>,
    /// Dépassement autorisé included in `billed_cents`.
    pub(crate) authorised_excess_cents: i64,
}

/// The AMC share of a line, with French notes on what it leaves out.
#[derive(Debug, Clone, Default)]
pub(crate) struct Share {
    pub(crate) amc_cents: i64,
    pub(crate) notes: Vec<String>,
}

/// Computes the AMC share of a line: the guarantee's ceiling, less the AMO
/// share, never negative and never more than the patient would pay.
pub(crate) fn complementary_share(
    contract: &Mutuelle,
    limits: &ResponsibleLimits,
    input: &ShareInput,
) -> Share {
    let mut share = Share::default();
    let paid_by_amo = input.amo_cents - input.deductions_cents;
    let patient_before_amc = input.billed_cents - paid_by_amo;

    // Flat fees are either paid in full or not at all.
    match input.category {
        CoverCategory::DailyHospitalFee => {
            share.amc_cents = if contract.covers_daily_hospital_fee {
                patient_before_amc.max(0)
            } else {
                0
            };
            return share;
        }
        CoverCategory::EmergencyFee => {
            share.amc_cents = if contract.covers_emergency_fee {
                patient_before_amc.max(0)
            } else {
                0
            };
            return share;
        }
        _ => {}
    }

    let covers = Covers::of(contract, limits, &mut share.notes);

    let Some(guarantee) = guarantee_basis_points(contract, input.category, &mut share.notes) else {
        return share;
    };
    let mut ceiling = ceiling_cents(contract, guarantee, input);
    if input.category == (CoverCategory::Doctor { non_optam: true }) && contract.responsible {
        ceiling = clamp_non_optam(contract, limits, input, ceiling, &mut share.notes);
    }

    let amo_basis = if covers.pathway_penalty {
        input.amo_cents
    } else {
        if input.amo_in_pathway_cents > input.amo_cents {
            share
                .notes
                .push("la mutuelle ne rembourse pas la pénalité hors parcours de soins".to_owned());
        }
        input.amo_in_pathway_cents
    };
    let covered_billed = if covers.authorised_excess {
        input.billed_cents
    } else {
        if input.authorised_excess_cents > 0 {
            share
                .notes
                .push("la mutuelle ne rembourse pas le dépassement autorisé".to_owned());
        }
        input.billed_cents - input.authorised_excess_cents
    };
    let mut amc = (ceiling.min(covered_billed) - amo_basis).max(0);

    let deduction_covered = match input.deduction_cause {
        Some(DeductionCause::Franchise) => covers.franchise,
        Some(DeductionCause::Participation) => covers.participation,
        None => false,
    };
    if deduction_covered {
        amc += input.deductions_cents;
    }

    share.amc_cents = amc.min(patient_before_amc).max(0);
    share
}

/// Items the contract covers once the contrat-responsable limits apply.
struct Covers {
    franchise: bool,
    participation: bool,
    pathway_penalty: bool,
    authorised_excess: bool,
}

impl Covers {
    fn of(contract: &Mutuelle, limits: &ResponsibleLimits, notes: &mut Vec<String>) -> Self {
        if !contract.responsible {
            return Self {
                franchise: contract.covers_deductions,
                participation: contract.covers_deductions,
                pathway_penalty: contract.covers_pathway_penalty,
                authorised_excess: contract.covers_authorised_excess,
            };
        }

        let covers = Self {
            franchise: contract.covers_deductions && limits.covers_franchise,
            participation: contract.covers_deductions && limits.covers_participation,
            pathway_penalty: contract.covers_pathway_penalty && limits.covers_pathway_penalty,
            authorised_excess: contract.covers_authorised_excess && limits.covers_authorised_excess,
        };
        let refused = (contract.covers_deductions && !covers.franchise)
            || (contract.covers_pathway_penalty && !covers.pathway_penalty)
            || (contract.covers_authorised_excess && !covers.authorised_excess);
        if refused {
            notes.push(
                "un contrat responsable ne peut pas couvrir les franchises, la participation forfaitaire, la pénalité hors parcours ni le dépassement autorisé : ces garanties sont ignorées"
                    .to_owned(),
            );
        }
        covers
    }
}

/// Returns the guarantee of the line's category, or `None` when the
/// contract does not cover it.
fn guarantee_basis_points(
    contract: &Mutuelle,
    category: CoverCategory,
    notes: &mut Vec<String>,
) -> Option<i64> {
    let guarantee = match category {
        CoverCategory::Doctor { non_optam: false } => contract.doctors_optam_basis_points,
        CoverCategory::Doctor { non_optam: true } => contract
            .doctors_non_optam_basis_points
            .unwrap_or(contract.doctors_optam_basis_points),
        CoverCategory::Medicine { low_rate: true } if !contract.covers_low_rate_medicines => {
            notes.push(
                "la mutuelle ne couvre pas les médicaments remboursés à 30\u{a0}% ou 15\u{a0}%"
                    .to_owned(),
            );
            return None;
        }
        CoverCategory::Medicine { .. } | CoverCategory::PharmacyFee => {
            contract.medicines_basis_points
        }
        CoverCategory::Paramedical => contract.paramedical_basis_points,
        CoverCategory::Lab => contract.lab_basis_points,
        CoverCategory::Radiology => contract.radiology_basis_points,
        CoverCategory::Dental => contract.dental_basis_points,
        CoverCategory::Hospital => contract.hospital_basis_points,
        CoverCategory::DailyHospitalFee | CoverCategory::EmergencyFee => return None,
    };
    Some(guarantee)
}

/// Returns the most AMO and AMC pay together under `guarantee`.
fn ceiling_cents(contract: &Mutuelle, guarantee: i64, input: &ShareInput) -> i64 {
    match contract.basis {
        CoverBasis::SecuIncluded => apply_rate(input.base_cents, guarantee),
        CoverBasis::OnTopOfSecu => {
            input.amo_in_pathway_cents + apply_rate(input.base_cents, guarantee)
        }
    }
}

/// Caps a contrat responsable's cover of a non-OPTAM dépassement. It covers
/// at most the legal share of the BR, and stays at least the legal gap below
/// the OPTAM cover, so 200 % BR for OPTAM allows at most 180 % BR.
fn clamp_non_optam(
    contract: &Mutuelle,
    limits: &ResponsibleLimits,
    input: &ShareInput,
    ceiling: i64,
    notes: &mut Vec<String>,
) -> i64 {
    if ceiling <= input.base_cents {
        return ceiling;
    }

    let optam_ceiling = ceiling_cents(contract, contract.doctors_optam_basis_points, input);
    let optam_excess = (optam_ceiling - input.base_cents).max(0);
    let gap = apply_rate(input.base_cents, limits.non_optam_gap_basis_points);
    let legal_max = apply_rate(input.base_cents, limits.non_optam_excess_max_basis_points);
    let max_excess = legal_max.min((optam_excess - gap).max(0));

    let clamped = ceiling.min(input.base_cents + max_excess);
    if clamped < ceiling {
        notes.push(
            "plafond légal du contrat responsable pour un médecin hors OPTAM appliqué".to_owned(),
        );
    }
    clamped
}
