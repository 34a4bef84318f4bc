//! The cost computation: from a [`CostRequest`] and a [`RuleSource`] to a
//! [`Breakdown`].
//!
//! Every line follows the same arithmetic. AMO = BR × AMO rate, rounded half
//! up to the cent. The participation forfaitaire or the franchise is then
//! deducted from the AMO payment within the daily and annual caps. The AMC
//! pays its guarantee less the AMO share, and the reste à charge is
//! billed − (AMO − deductions) − AMC. Under tiers payant the deductions are
//! recovered from later reimbursements, so a deduction may exceed the AMO
//! share of its line. The reste à charge then exceeds the billed amount less
//! the AMC share, as it does for the patient.

mod consultation;
mod medicine;
mod other;

use crate::breakdown::{Advice, Amounts, Assumption, Breakdown, DeductionKind, Line, LineKind};
use crate::case::{CareItem, CostRequest, Maternity, Patient, PublicCover, RelatedCareExemption};
use crate::error::CostError;
use crate::mutuelle::{
    CoverCategory, DeductionCause, Mutuelle, ResponsibleLimits, Share, ShareInput,
    complementary_share,
};
use crate::rules::{Lookup, RuleSource};

/// Full AMO rate, 100 % of the BR, for care exempt from the ticket
/// modérateur.
const FULL_RATE_BASIS_POINTS: i64 = 10_000;

/// Computes what the AMO, the AMC and the patient pay for `request`, with
/// the rule values in force on `request.date`.
pub fn compute(request: &CostRequest, rules: &dyn RuleSource) -> Result<Breakdown, CostError> {
    if request.items.is_empty() {
        return Err(CostError::NoCareItems);
    }
    check_not_negative(
        "already_charged.franchises_year_cents",
        request.already_charged.franchises_year_cents,
    )?;
    check_not_negative(
        "already_charged.participations_year_cents",
        request.already_charged.participations_year_cents,
    )?;
    if let Some(contract) = &request.mutuelle {
        contract.validate()?;
    }

    let mut context = Context::new(request, rules)?;

    let mut lines = Vec::new();
    for item in &request.items {
        let item_lines = match item {
            CareItem::Medicines(case) => medicine::medicines(&mut context, case)?,
            CareItem::Consultation(case) => consultation::consultation(&mut context, case)?,
            CareItem::Paramedical(case) => other::paramedical(&mut context, case)?,
            CareItem::TechnicalActs(case) => other::technical_acts(&mut context, case)?,
            CareItem::Dental(case) => other::dental(&mut context, case)?,
            CareItem::HospitalStay(case) => other::hospital_stay(&mut context, case)?,
            CareItem::EmergencyVisit(case) => other::emergency_visit(&mut context, case)?,
        };
        lines.extend(item_lines);
    }

    let mut total = Amounts::default();
    for line in &lines {
        total.add(&line.amounts);
    }
    Ok(Breakdown {
        date: request.date,
        rule_set_year: request.date.year(),
        lines,
        total,
        rules_used: context.lookup.into_used(),
        assumptions: context.assumptions,
        advice: context.advice,
    })
}

/// Rejects a negative amount of the request.
pub(crate) fn check_not_negative(field: &'static str, cents: i64) -> Result<(), CostError> {
    if cents < 0 {
        return Err(CostError::NegativeAmount { field, cents });
    }
    Ok(())
}

/// Franchises and participations deducted so far this year, including the
/// lines already computed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counters {
    franchises_year_cents: i64,
    participations_year_cents: i64,
}

/// A line before the AMC share: what the AMO side computed.
pub(crate) struct Priced {
    pub(crate) label: String,
    pub(crate) kind: LineKind,
    pub(crate) category: CoverCategory,
    pub(crate) billed_cents: i64,
    pub(crate) base_cents: i64,
    /// AMO rate applied, or `None` for flat amounts.
    pub(crate) rate_basis_points: Option<i64>,
    pub(crate) amo_cents: i64,
    /// AMO share within the care pathway; equal to `amo_cents` unless the
    /// out-of-pathway penalty applies.
    pub(crate) amo_in_pathway_cents: i64,
    pub(crate) deduction: Option<(DeductionKind, i64)>,
    pub(crate) authorised_excess_cents: i64,
    pub(crate) notes: Vec<String>,
}

/// State shared by the lines of one simulation.
pub(crate) struct Context<'a> {
    pub(crate) lookup: Lookup<'a>,
    pub(crate) patient: &'a Patient,
    pub(crate) complementary: Option<Mutuelle>,
    limits: Option<ResponsibleLimits>,
    pub(crate) counters: Counters,
    assumptions: Vec<Assumption>,
    advice: Vec<Advice>,
    /// Set while pricing a cheaper alternative, whose assumptions and advice
    /// are not reported.
    pub(crate) quiet: bool,
}

impl<'a> Context<'a> {
    fn new(request: &'a CostRequest, rules: &'a dyn RuleSource) -> Result<Self, CostError> {
        let mut lookup = Lookup::new(rules, request.date);
        let patient = &request.patient;

        let mut assumptions = Vec::new();
        let complementary = if patient.cover == PublicCover::C2s
            && lookup.flag("profil.c2s.ticket_moderateur_pris_en_charge")?
        {
            if request.mutuelle.is_some() {
                assumptions.push(assumption(
                    "c2s_replaces_mutuelle",
                    "La complémentaire santé solidaire (C2S) tient lieu de mutuelle : le contrat indiqué n'est pas pris en compte.",
                    "Retirez la C2S du profil si vous ne la percevez plus.",
                ));
            }
            Some(Mutuelle::c2s())
        } else {
            request.mutuelle.clone()
        };
        let limits = match &complementary {
            Some(_) => Some(ResponsibleLimits::read(&mut lookup)?),
            None => None,
        };

        if patient.age_years.is_none() {
            assumptions.push(assumption(
                "age_unknown",
                "Âge non précisé : adulte de 18 à 70 ans supposé.",
                "Précisez l'âge du patient (les enfants et les plus de 70 ans ont d'autres règles).",
            ));
        }
        if request.mutuelle.is_none() && patient.cover != PublicCover::C2s {
            assumptions.push(assumption(
                "no_mutuelle",
                "Aucune mutuelle indiquée : calcul sans complémentaire santé.",
                "Indiquez votre mutuelle et ses garanties, par exemple « 200 % BR ».",
            ));
        }

        Ok(Self {
            lookup,
            patient,
            complementary,
            limits,
            counters: Counters {
                franchises_year_cents: request.already_charged.franchises_year_cents,
                participations_year_cents: request.already_charged.participations_year_cents,
            },
            assumptions,
            advice: Vec::new(),
            quiet: false,
        })
    }

    /// Records an assumption once, unless pricing an alternative.
    pub(crate) fn assume(&mut self, code: &str, text: String, how_to_change: &str) {
        if self.quiet || self.assumptions.iter().any(|known| known.code == code) {
            return;
        }
        self.assumptions.push(Assumption {
            code: code.to_owned(),
            text,
            how_to_change: how_to_change.to_owned(),
        });
    }

    /// Records advice, unless pricing an alternative.
    pub(crate) fn advise(&mut self, text: String, patient_cents: i64, saving_cents: i64) {
        if self.quiet || saving_cents <= 0 {
            return;
        }
        self.advice.push(Advice {
            text,
            patient_cents,
            saving_cents,
        });
    }

    /// Returns whether the patient is known to be younger than `limit` years.
    pub(crate) fn is_younger_than(&self, limit: i64) -> bool {
        self.patient
            .age_years
            .is_some_and(|age| i64::from(age) < limit)
    }

    /// Returns whether the patient is known to be older than `limit` years.
    pub(crate) fn is_older_than(&self, limit: i64) -> bool {
        self.patient
            .age_years
            .is_some_and(|age| i64::from(age) > limit)
    }

    /// Returns whether the date of care falls in the maternity period: from
    /// the first day of the month of pregnancy the rule set gives, to the
    /// given number of days after birth.
    pub(crate) fn in_maternity_period(&mut self) -> Result<bool, CostError> {
        match self.patient.maternity {
            None => Ok(false),
            Some(Maternity::PregnancyMonth(month)) => {
                if !(1..=9).contains(&month) {
                    return Err(CostError::InvalidPregnancyMonth { month });
                }
                let first_month = self
                    .lookup
                    .months("exoneration.franchise_pf.grossesse.debut_mois")?;
                Ok(i64::from(month) >= first_month)
            }
            Some(Maternity::DaysAfterBirth(days)) => {
                let last_day = self
                    .lookup
                    .days("exoneration.franchise_pf.grossesse.fin_jours_apres_naissance")?;
                Ok(i64::from(days) <= last_day)
            }
        }
    }

    /// Returns the AMO rate that replaces the usual one for this patient
    /// (AME, maternity, ALD-linked care, invalidity pension), or `None`.
    pub(crate) fn full_rate(&mut self, ald_linked: bool) -> Result<Option<i64>, CostError> {
        if self.patient.cover == PublicCover::Ame {
            return Ok(Some(self.lookup.basis_points("profil.ame.taux_amo")?));
        }
        if self.in_maternity_period()? {
            return Ok(Some(self.lookup.basis_points("profil.maternite.taux_amo")?));
        }
        if ald_linked {
            return Ok(Some(self.lookup.basis_points("profil.ald.taux_amo")?));
        }
        if self.patient.invalidity_pension
            && self
                .lookup
                .flag("profil.invalidite.exoneration_ticket_moderateur")?
        {
            return Ok(Some(FULL_RATE_BASIS_POINTS));
        }
        Ok(None)
    }

    /// Returns the reason the patient pays neither franchise nor
    /// participation forfaitaire, or `None` when they pay both. ALD patients
    /// and invalidity pensioners pay both unless the rule set records an exemption.
    pub(crate) fn deduction_exemption(
        &mut self,
        ald_linked: bool,
    ) -> Result<Option<&'static str>, CostError> {
        let age_limit = self.lookup.years("exoneration.franchise_pf.age_moins_de")?;
        if self.is_younger_than(age_limit) {
            return Ok(Some(
                "patient mineur : ni franchise ni participation forfaitaire",
            ));
        }
        if self.in_maternity_period()? {
            return Ok(Some(
                "maternité : ni franchise ni participation forfaitaire",
            ));
        }
        match self.patient.cover {
            PublicCover::C2s if self.lookup.flag("exoneration.franchise_pf.c2s")? => {
                return Ok(Some("C2S : ni franchise ni participation forfaitaire"));
            }
            PublicCover::Ame if self.lookup.flag("exoneration.franchise_pf.ame")? => {
                return Ok(Some("AME : ni franchise ni participation forfaitaire"));
            }
            _ => {}
        }
        if ald_linked && self.lookup.flag("exoneration.franchise_pf.ald")? {
            return Ok(Some("ALD : ni franchise ni participation forfaitaire"));
        }
        if self.patient.invalidity_pension
            && self.lookup.flag("exoneration.franchise_pf.invalidite")?
        {
            return Ok(Some(
                "pension d'invalidité : ni franchise ni participation forfaitaire",
            ));
        }
        match self.patient.related_care_exemption {
            Some(RelatedCareExemption::WarPensioner)
                if self
                    .lookup
                    .flag("exoneration.franchise_pf.pensionnes_guerre")? =>
            {
                Ok(Some(
                    "pensionné de guerre : ni franchise ni participation forfaitaire",
                ))
            }
            Some(RelatedCareExemption::TerrorismVictim)
                if self
                    .lookup
                    .flag("exoneration.franchise_pf.victimes_terrorisme")? =>
            {
                Ok(Some(
                    "victime d'attentat : ni franchise ni participation forfaitaire",
                ))
            }
            _ => Ok(None),
        }
    }

    /// Deducts one participation forfaitaire within the daily cap of this
    /// professional or lab and the annual cap. `today_cents` is the amount
    /// this provider already deducted today, and grows by the amount taken.
    pub(crate) fn take_participation(&mut self, today_cents: &mut i64) -> Result<i64, CostError> {
        let amount = self.lookup.cents("participation_forfaitaire.montant")?;
        let daily_cap = self
            .lookup
            .cents("participation_forfaitaire.plafond_journalier")?;
        let annual_cap = self
            .lookup
            .cents("participation_forfaitaire.plafond_annuel")?;

        let taken = amount
            .min(daily_cap - *today_cents)
            .min(annual_cap - self.counters.participations_year_cents)
            .max(0);

        *today_cents += taken;
        self.counters.participations_year_cents += taken;
        Ok(taken)
    }

    /// Deducts `wanted_cents` of franchises within the annual cap and, when
    /// given, a daily cap with what was already deducted today.
    pub(crate) fn take_franchise(
        &mut self,
        wanted_cents: i64,
        daily: Option<(i64, &mut i64)>,
    ) -> Result<i64, CostError> {
        let annual_cap = self.lookup.cents("franchise.plafond_annuel")?;

        let mut taken = wanted_cents.min(annual_cap - self.counters.franchises_year_cents);
        if let Some((daily_cap, today_cents)) = daily {
            taken = taken.min(daily_cap - *today_cents).max(0);
            *today_cents += taken;
        }
        let taken = taken.max(0);

        self.counters.franchises_year_cents += taken;
        Ok(taken)
    }

    /// Adds the AMC share and the reste à charge to a priced line.
    pub(crate) fn finish(&mut self, priced: Priced) -> Line {
        let (deduction, deductions_cents) = match priced.deduction {
            Some((kind, cents)) if cents > 0 => (Some(kind), cents),
            _ => (None, 0),
        };

        let share = match (&self.complementary, &self.limits) {
            (Some(contract), Some(limits)) => {
                let input = ShareInput {
                    category: priced.category,
                    billed_cents: priced.billed_cents,
                    base_cents: priced.base_cents,
                    amo_cents: priced.amo_cents,
                    amo_in_pathway_cents: priced.amo_in_pathway_cents,
                    deductions_cents,
                    deduction_cause: deduction.map(|kind| match kind {
                        DeductionKind::Franchise => DeductionCause::Franchise,
                        DeductionKind::ParticipationForfaitaire => DeductionCause::Participation,
                    }),
                    authorised_excess_cents: priced.authorised_excess_cents,
                };
                complementary_share(contract, limits, &input)
            }
            _ => Share::default(),
        };

        let patient_cents =
            priced.billed_cents - (priced.amo_cents - deductions_cents) - share.amc_cents;
        let mut notes = priced.notes;
        notes.extend(share.notes);
        Line {
            label: priced.label,
            kind: priced.kind,
            amounts: Amounts {
                billed_cents: priced.billed_cents,
                base_cents: priced.base_cents,
                amo_cents: priced.amo_cents,
                deductions_cents,
                amc_cents: share.amc_cents,
                patient_cents,
            },
            amo_rate_basis_points: priced.rate_basis_points,
            deduction,
            notes,
        }
    }
}

fn assumption(code: &str, text: &str, how_to_change: &str) -> Assumption {
    Assumption {
        code: code.to_owned(),
        text: text.to_owned(),
        how_to_change: how_to_change.to_owned(),
    }
}
