//! Paramedical acts, lab tests, radiology, dental care, hospital stays and
//! emergency visits, as far as the rule sets describe them.
//!
//! Paramedical acts carry a franchise per act with a daily cap per
//! professional. Lab tests and radiology acts carry a participation
//! forfaitaire per act with a daily cap per provider. Dentists and hospital
//! stays carry neither.

use crate::breakdown::{DeductionKind, Line, LineKind};
use crate::case::{
    DentalCase, EmergencyVisitCase, HospitalStayCase, ParamedicalCase, ParamedicalProfession,
    TechnicalActsCase, TechnicalDiscipline,
};
use crate::error::CostError;
use crate::money::{apply_rate, format_euros};
use crate::mutuelle::CoverCategory;

use super::{Context, Priced, check_not_negative};

/// Prices the acts of one paramedical professional on one day.
pub(crate) fn paramedical(
    context: &mut Context<'_>,
    case: &ParamedicalCase,
) -> Result<Vec<Line>, CostError> {
    check_not_negative("act_base_cents", case.act_base_cents)?;
    check_not_negative("franchises_today_cents", case.franchises_today_cents)?;
    let billed_per_act = case.billed_per_act_cents.unwrap_or(case.act_base_cents);
    check_not_negative("billed_per_act_cents", billed_per_act)?;
    let label = case.label.clone().unwrap_or_else(|| {
        format!(
            "{} ({} acte(s))",
            profession_label(case.profession),
            case.acts
        )
    });
    if case.acts == 0 {
        return Err(CostError::ZeroQuantity { label });
    }

    let acts = i64::from(case.acts);
    let billed_cents = billed_per_act * acts;
    let base_cents = case.act_base_cents.min(billed_per_act) * acts;
    let usual_rate = context.lookup.basis_points("paramedical.taux_amo")?;
    let rate = context.full_rate(case.ald_linked)?.unwrap_or(usual_rate);
    let amo_cents = apply_rate(base_cents, rate);

    let mut notes = Vec::new();
    let franchise_cents = match context.deduction_exemption(case.ald_linked)? {
        Some(reason) => {
            notes.push(reason.to_owned());
            0
        }
        None => {
            let per_act = context.lookup.cents("franchise.paramedical.montant")?;
            let daily_cap = context
                .lookup
                .cents("franchise.paramedical.plafond_journalier")?;
            let mut today_cents = case.franchises_today_cents;
            context.take_franchise(per_act * acts, Some((daily_cap, &mut today_cents)))?
        }
    };

    let priced = Priced {
        label,
        kind: LineKind::Paramedical,
        category: CoverCategory::Paramedical,
        billed_cents,
        base_cents,
        rate_basis_points: Some(rate),
        amo_cents,
        amo_in_pathway_cents: amo_cents,
        deduction: Some((DeductionKind::Franchise, franchise_cents)),
        authorised_excess_cents: 0,
        notes,
    };
    Ok(vec![context.finish(priced)])
}

/// Prices lab tests or radiology acts of one provider on one day, one line
/// per act.
pub(crate) fn technical_acts(
    context: &mut Context<'_>,
    case: &TechnicalActsCase,
) -> Result<Vec<Line>, CostError> {
    check_not_negative(
        "participations_today_cents",
        case.participations_today_cents,
    )?;
    let (rate_name, kind, category, default_label) = match case.discipline {
        TechnicalDiscipline::Lab => (
            "biologie.taux_amo",
            LineKind::Lab,
            CoverCategory::Lab,
            "Acte de biologie",
        ),
        TechnicalDiscipline::Radiology => (
            "radiologie.taux_amo",
            LineKind::Radiology,
            CoverCategory::Radiology,
            "Acte de radiologie",
        ),
    };
    let usual_rate = context.lookup.basis_points(rate_name)?;
    let rate = context.full_rate(case.ald_linked)?.unwrap_or(usual_rate);
    let exemption = context.deduction_exemption(case.ald_linked)?;

    let mut today_cents = case.participations_today_cents;
    let mut lines = Vec::new();
    for act in &case.acts {
        check_not_negative("base_cents", act.base_cents)?;
        let billed_cents = act.billed_cents.unwrap_or(act.base_cents);
        check_not_negative("billed_cents", billed_cents)?;
        let base_cents = act.base_cents.min(billed_cents);
        let amo_cents = apply_rate(base_cents, rate);

        let mut notes = Vec::new();
        let participation_cents = match exemption {
            Some(reason) => {
                notes.push(reason.to_owned());
                0
            }
            None => context.take_participation(&mut today_cents)?,
        };

        let label = if act.label.is_empty() {
            default_label.to_owned()
        } else {
            act.label.clone()
        };
        let priced = Priced {
            label,
            kind,
            category,
            billed_cents,
            base_cents,
            rate_basis_points: Some(rate),
            amo_cents,
            amo_in_pathway_cents: amo_cents,
            deduction: Some((DeductionKind::ParticipationForfaitaire, participation_cents)),
            authorised_excess_cents: 0,
            notes,
        };
        lines.push(context.finish(priced));
    }
    Ok(lines)
}

/// Prices a dentist's act: no participation forfaitaire, no franchise.
pub(crate) fn dental(context: &mut Context<'_>, case: &DentalCase) -> Result<Vec<Line>, CostError> {
    check_not_negative("base_cents", case.base_cents)?;
    let billed_cents = case.billed_cents.unwrap_or(case.base_cents);
    check_not_negative("billed_cents", billed_cents)?;

    let base_cents = case.base_cents.min(billed_cents);
    let usual_rate = context.lookup.basis_points("dentaire.taux_amo")?;
    let rate = context.full_rate(case.ald_linked)?.unwrap_or(usual_rate);
    let amo_cents = apply_rate(base_cents, rate);

    let priced = Priced {
        label: case
            .label
            .clone()
            .unwrap_or_else(|| "Soins dentaires".to_owned()),
        kind: LineKind::Dental,
        category: CoverCategory::Dental,
        billed_cents,
        base_cents,
        rate_basis_points: Some(rate),
        amo_cents,
        amo_in_pathway_cents: amo_cents,
        deduction: None,
        authorised_excess_cents: 0,
        notes: Vec::new(),
    };
    Ok(vec![context.finish(priced)])
}

/// Prices a hospital stay's care and its forfait journalier. A heavy act
/// takes the flat participation instead of the ticket modérateur.
// NOTE: the rule sets record no exemption from the forfait journalier, so it
// is charged for every profile, maternity and C2S included.
pub(crate) fn hospital_stay(
    context: &mut Context<'_>,
    case: &HospitalStayCase,
) -> Result<Vec<Line>, CostError> {
    check_not_negative("base_cents", case.base_cents)?;
    let billed_cents = case.billed_cents.unwrap_or(case.base_cents);
    check_not_negative("billed_cents", billed_cents)?;
    let base_cents = case.base_cents.min(billed_cents);
    let mut notes =
        vec!["hospitalisation complète : ni franchise ni participation forfaitaire".to_owned()];

    // AMO share of the stay's care.
    let usual_rate = context.lookup.basis_points("hospitalisation.taux_amo")?;
    let full_rate = context.full_rate(case.ald_linked)?;
    let tariff_threshold = context
        .lookup
        .cents("hospitalisation.actes_lourds.seuil_tarif")?;
    let coefficient_threshold = context
        .lookup
        .count("hospitalisation.actes_lourds.seuil_coefficient")?;
    let heavy = base_cents >= tariff_threshold
        || case
            .act_coefficient
            .is_some_and(|coefficient| coefficient >= coefficient_threshold);
    let (rate, amo_cents) = match full_rate {
        Some(rate) => (Some(rate), apply_rate(base_cents, rate)),
        None if heavy => {
            let participation = context
                .lookup
                .cents("hospitalisation.actes_lourds.participation")?;
            notes.push(format!(
                "acte lourd : participation forfaitaire de {} au lieu du ticket modérateur",
                format_euros(participation)
            ));
            (None, (base_cents - participation).max(0))
        }
        None => (Some(usual_rate), apply_rate(base_cents, usual_rate)),
    };

    let stay = Priced {
        label: case
            .label
            .clone()
            .unwrap_or_else(|| "Soins pendant l'hospitalisation".to_owned()),
        kind: LineKind::HospitalStay,
        category: CoverCategory::Hospital,
        billed_cents,
        base_cents,
        rate_basis_points: rate,
        amo_cents,
        amo_in_pathway_cents: amo_cents,
        deduction: None,
        authorised_excess_cents: 0,
        notes,
    };
    let mut lines = vec![context.finish(stay)];

    // Forfait journalier, never reimbursed by the AMO.
    if case.days > 0 {
        let per_day = if case.psychiatry {
            context
                .lookup
                .cents("hospitalisation.forfait_journalier_psychiatrie")?
        } else {
            context.lookup.cents("hospitalisation.forfait_journalier")?
        };
        let fee_cents = per_day * i64::from(case.days);
        let fee = Priced {
            label: format!("Forfait journalier hospitalier ({} jour(s))", case.days),
            kind: LineKind::DailyHospitalFee,
            category: CoverCategory::DailyHospitalFee,
            billed_cents: fee_cents,
            base_cents: 0,
            rate_basis_points: None,
            amo_cents: 0,
            amo_in_pathway_cents: 0,
            deduction: None,
            authorised_excess_cents: 0,
            notes: vec!["non remboursé par l'Assurance Maladie".to_owned()],
        };
        lines.push(context.finish(fee));
    }
    Ok(lines)
}

/// Prices the forfait patient urgences of a visit without admission.
pub(crate) fn emergency_visit(
    context: &mut Context<'_>,
    case: &EmergencyVisitCase,
) -> Result<Vec<Line>, CostError> {
    let fee_cents = if case.reduced_rate {
        context.lookup.cents("urgences.forfait_patient_reduit")?
    } else {
        context.lookup.cents("urgences.forfait_patient")?
    };

    let priced = Priced {
        label: "Forfait patient urgences".to_owned(),
        kind: LineKind::EmergencyFee,
        category: CoverCategory::EmergencyFee,
        billed_cents: fee_cents,
        base_cents: 0,
        rate_basis_points: None,
        amo_cents: 0,
        amo_in_pathway_cents: 0,
        deduction: None,
        authorised_excess_cents: 0,
        notes: vec!["passage aux urgences sans hospitalisation".to_owned()],
    };
    Ok(vec![context.finish(priced)])
}

fn profession_label(profession: ParamedicalProfession) -> &'static str {
    match profession {
        ParamedicalProfession::Nurse => "Actes d'infirmier",
        ParamedicalProfession::Physiotherapist => "Séances de kinésithérapie",
        ParamedicalProfession::SpeechTherapist => "Séances d'orthophonie",
        ParamedicalProfession::Orthoptist => "Séances d'orthoptie",
        ParamedicalProfession::Podiatrist => "Soins de pédicurie-podologie",
    }
}
