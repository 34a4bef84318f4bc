//! Doctors' consultations: tariff by specialty, age and date, convention
//! sector, care pathway and participation forfaitaire.
//!
//! Secteur 1 and OPTAM doctors keep the secteur 1 tariff as BR, secteur 2
//! doctors outside OPTAM get a reduced BR and secteur 3 doctors the tarif
//! d'autorité. From the age the rule set gives, a consultation outside the
//! parcours de soins coordonnés is reimbursed at the reduced rate, unless the
//! specialty has direct access. A secteur 1 specialist may then add a
//! dépassement autorisé.

use crate::breakdown::{DeductionKind, Line, LineKind};
use crate::case::{ConsultationCase, ConsultationKind, Pathway, PublicCover, Sector, Specialty};
use crate::error::CostError;
use crate::money::{apply_rate, format_euros, format_percent};
use crate::mutuelle::CoverCategory;

use super::{Context, Priced, check_not_negative};

/// Prices the consultation, then advises a secteur 1 doctor or the care
/// pathway when either would cost the patient less.
pub(crate) fn consultation(
    context: &mut Context<'_>,
    case: &ConsultationCase,
) -> Result<Vec<Line>, CostError> {
    let counters_before = context.counters;
    let priced = price(context, case)?;
    let penalized = priced.amo_in_pathway_cents > priced.amo_cents;
    let line = context.finish(priced);
    let patient_cents = line.amounts.patient_cents;

    if context.quiet {
        return Ok(vec![line]);
    }
    let counters_after = context.counters;

    let has_excess = line.amounts.billed_cents > line.amounts.base_cents;
    if has_excess
        && matches!(
            case.sector,
            Some(Sector::TwoOptam | Sector::TwoNonOptam | Sector::Three)
        )
    {
        let alternative = ConsultationCase {
            sector: Some(Sector::One),
            billed_cents: None,
            ..case.clone()
        };
        context.counters = counters_before;
        let alternative_patient = price_quietly(context, &alternative)?;
        context.advise(
            format!(
                "Un médecin de secteur 1 facture le tarif de base, sans dépassement : votre reste à charge passerait de {} à {}.",
                format_euros(patient_cents),
                format_euros(alternative_patient)
            ),
            alternative_patient,
            patient_cents - alternative_patient,
        );
    }

    if penalized {
        let alternative = ConsultationCase {
            pathway: Some(Pathway::Respected),
            ..case.clone()
        };
        context.counters = counters_before;
        let alternative_patient = price_quietly(context, &alternative)?;
        context.advise(
            format!(
                "Dans le parcours de soins (médecin traitant déclaré, ou spécialiste consulté sur son orientation), votre reste à charge passerait de {} à {}.",
                format_euros(patient_cents),
                format_euros(alternative_patient)
            ),
            alternative_patient,
            patient_cents - alternative_patient,
        );
    }

    context.counters = counters_after;
    Ok(vec![line])
}

/// Returns the reste à charge of `case` without reporting its assumptions.
fn price_quietly(context: &mut Context<'_>, case: &ConsultationCase) -> Result<i64, CostError> {
    context.quiet = true;
    let priced = price(context, case);
    context.quiet = false;
    Ok(context.finish(priced?).amounts.patient_cents)
}

fn price(context: &mut Context<'_>, case: &ConsultationCase) -> Result<Priced, CostError> {
    if let Some(billed) = case.billed_cents {
        check_not_negative("billed_cents", billed)?;
    }
    check_not_negative(
        "participations_today_cents",
        case.participations_today_cents,
    )?;
    let label = case
        .label
        .clone()
        .unwrap_or_else(|| default_label(case.specialty, case.kind));
    let mut notes = Vec::new();

    // Sector and pathway, assumed when unknown.
    let sector = match case.sector {
        Some(sector) => sector,
        None => {
            context.assume(
                "sector_unknown",
                "Secteur du médecin non précisé : secteur 1 supposé (tarif de base, sans dépassement d'honoraires).".to_owned(),
                "Précisez le secteur du médecin : 1, 2 OPTAM, 2 non OPTAM ou 3 (il figure dans l'annuaire santé d'ameli.fr).",
            );
            Sector::One
        }
    };
    let pathway = match (case.kind, case.pathway) {
        (ConsultationKind::SpecialistOpinion, _) => Pathway::Respected,
        (_, Some(pathway)) => pathway,
        (_, None) => {
            context.assume(
                "pathway_unknown",
                "Parcours de soins supposé respecté (médecin traitant déclaré, ou spécialiste consulté sur son orientation).".to_owned(),
                "Dites-le si vous n'avez pas de médecin traitant ou si vous consultez un spécialiste sans orientation.",
            );
            Pathway::Respected
        }
    };
    let pathway_age = context.lookup.years("parcours.age_min")?;
    let direct_access = has_direct_access(context, case.specialty)?;
    let penalized =
        pathway == Pathway::NotRespected && !context.is_younger_than(pathway_age) && !direct_access;
    if pathway == Pathway::NotRespected && direct_access {
        notes.push("accès direct autorisé : pas de pénalité hors parcours".to_owned());
    }

    // Base de remboursement by sector.
    let coordinated_cents = coordinated_tariff(context, case)?;
    let specialist = case.specialty != Specialty::GeneralPractitioner;
    let mut base_cents = match sector {
        Sector::One | Sector::TwoOptam => coordinated_cents,
        Sector::TwoNonOptam => context.lookup.cents("secteur.s2_non_optam.tarif")?,
        Sector::Three if specialist => context
            .lookup
            .cents("secteur.s3.tarif_autorite.specialiste")?,
        Sector::Three => context
            .lookup
            .cents("secteur.s3.tarif_autorite.generaliste")?,
    };

    // Billed amount: the BR in secteur 1 (plus any dépassement autorisé),
    // free in secteurs 2 and 3, the BR for C2S patients of conventioned
    // doctors.
    let c2s = context.patient.cover == PublicCover::C2s;
    let allowed_excess_cents = if sector == Sector::One && specialist && penalized && !c2s {
        let cap = context
            .lookup
            .basis_points("secteur.s1.depassement_autorise.plafond")?;
        apply_rate(coordinated_cents, cap)
    } else {
        0
    };
    let mut billed_cents = match (sector, case.billed_cents) {
        (Sector::Three, None) => {
            return Err(CostError::MissingBilledAmount { label });
        }
        (Sector::Three, Some(billed)) => billed,
        (_, None) => {
            if sector != Sector::One {
                context.assume(
                    "fee_unknown",
                    "Honoraires du médecin non précisés : tarif de base supposé, sans dépassement.".to_owned(),
                    "Indiquez le montant demandé par le médecin (affiché au cabinet ou sur le devis).",
                );
            }
            base_cents
        }
        (Sector::One, Some(billed)) if billed > base_cents + allowed_excess_cents => {
            let max = base_cents + allowed_excess_cents;
            context.assume(
                "sector_1_fee_capped",
                format!(
                    "Un médecin de secteur 1 ne peut pas facturer plus de {} ici : ce montant est retenu.",
                    format_euros(max)
                ),
                "Vérifiez le secteur du médecin : au-delà, il est en secteur 2 ou 3.",
            );
            max
        }
        (_, Some(billed)) => billed,
    };
    if c2s && sector != Sector::Three && billed_cents > base_cents {
        let c2s_rule = context.lookup.flag("profil.c2s.depassement_interdit")?;
        if c2s_rule {
            billed_cents = base_cents;
            notes.push(
                "C2S : le médecin doit facturer le tarif de base, sans dépassement".to_owned(),
            );
        }
    }
    let authorised_excess_cents = if allowed_excess_cents > 0 {
        (billed_cents - base_cents).max(0)
    } else {
        0
    };
    // NOTE: a fee below the BR caps the BR at the fee; no rule in the rule
    // sets states this case.
    base_cents = base_cents.min(billed_cents);

    // AMO rate: a full rate for the patient's cover, otherwise the usual
    // rate or the out-of-pathway rate.
    // NOTE: a full rate (ALD, maternity, AME) wins over the out-of-pathway
    // rate; the rule sets do not say how the two combine.
    let usual_rate = context.lookup.basis_points("consultation.taux_amo")?;
    let full_rate = context.full_rate(case.ald_linked)?;
    let penalty_rate = if penalized && full_rate.is_none() {
        let rate = context
            .lookup
            .basis_points("parcours.hors_parcours.taux_amo")?;
        notes.push(format!(
            "hors parcours de soins : remboursement à {} au lieu de {}",
            format_percent(rate),
            format_percent(usual_rate)
        ));
        Some(rate)
    } else {
        None
    };
    let in_pathway_rate = full_rate.unwrap_or(usual_rate);
    let applied_rate = penalty_rate.unwrap_or(in_pathway_rate);
    if authorised_excess_cents > 0 {
        notes.push(format!(
            "dépassement autorisé hors parcours : {}",
            format_euros(authorised_excess_cents)
        ));
    }

    // Participation forfaitaire, within this doctor's daily cap.
    let participation_cents = match context.deduction_exemption(case.ald_linked)? {
        Some(reason) => {
            notes.push(reason.to_owned());
            0
        }
        None => {
            let mut today_cents = case.participations_today_cents;
            context.take_participation(&mut today_cents)?
        }
    };

    Ok(Priced {
        label,
        kind: LineKind::Consultation,
        category: CoverCategory::Doctor {
            non_optam: matches!(sector, Sector::TwoNonOptam | Sector::Three),
        },
        billed_cents,
        base_cents,
        rate_basis_points: Some(applied_rate),
        amo_cents: apply_rate(base_cents, applied_rate),
        amo_in_pathway_cents: apply_rate(base_cents, in_pathway_rate),
        deduction: Some((DeductionKind::ParticipationForfaitaire, participation_cents)),
        authorised_excess_cents,
        notes,
    })
}

/// Returns whether the specialty may be seen without referral and without
/// penalty.
fn has_direct_access(context: &mut Context<'_>, specialty: Specialty) -> Result<bool, CostError> {
    match specialty {
        Specialty::Gynaecologist => context.lookup.flag("parcours.acces_direct.gynecologue"),
        Specialty::Ophthalmologist => context.lookup.flag("parcours.acces_direct.ophtalmologue"),
        Specialty::Stomatologist => context.lookup.flag("parcours.acces_direct.stomatologue"),
        Specialty::Psychiatrist => {
            let min = context
                .lookup
                .years("parcours.acces_direct.psychiatre.age_min")?;
            let max = context
                .lookup
                .years("parcours.acces_direct.psychiatre.age_max")?;
            Ok(context
                .patient
                .age_years
                .is_some_and(|age| (min..=max).contains(&i64::from(age))))
        }
        Specialty::GeneralPractitioner
        | Specialty::Geriatrician
        | Specialty::Paediatrician
        | Specialty::OtherSpecialist => Ok(false),
    }
}

/// Returns the secteur 1 tariff of the consultation on the date of care.
fn coordinated_tariff(
    context: &mut Context<'_>,
    case: &ConsultationCase,
) -> Result<i64, CostError> {
    if case.kind == ConsultationKind::SpecialistOpinion {
        return context.lookup.cents("consultation.avis_ponctuel.tarif");
    }
    if case.kind == ConsultationKind::Teleconsultation {
        if case.specialty == Specialty::GeneralPractitioner {
            return context
                .lookup
                .cents("consultation.teleconsultation_generaliste.tarif");
        }
        context.assume(
            "teleconsultation_tariff",
            "Le tarif de téléconsultation n'est connu que pour les généralistes : le tarif de la consultation au cabinet est retenu.".to_owned(),
            "Indiquez le montant facturé si vous le connaissez.",
        );
    }

    match case.specialty {
        Specialty::GeneralPractitioner => {
            let child_limit = context
                .lookup
                .years("consultation.generaliste_enfant.age_moins_de")?;
            if context.is_younger_than(child_limit) {
                context
                    .lookup
                    .cents("consultation.generaliste_enfant.tarif")
            } else {
                context.lookup.cents("consultation.generaliste.tarif")
            }
        }
        Specialty::Psychiatrist => context.lookup.cents("consultation.psychiatre.tarif"),
        Specialty::Gynaecologist => context.lookup.cents("consultation.gynecologue.tarif"),
        Specialty::Geriatrician => context.lookup.cents("consultation.geriatre.tarif"),
        Specialty::Paediatrician => {
            let child_limit = context
                .lookup
                .optional_years("consultation.pediatre_enfant.age_moins_de")?;
            let child_tariff = context
                .lookup
                .optional_cents("consultation.pediatre_enfant.tarif")?;
            match (child_limit, child_tariff) {
                (Some(limit), Some(tariff)) if context.is_younger_than(limit) => Ok(tariff),
                _ => {
                    context.assume(
                        "paediatrician_tariff",
                        "Aucun tarif de pédiatre n'est enregistré pour cet âge à cette date : le tarif d'un spécialiste dans le parcours de soins est retenu.".to_owned(),
                        "Indiquez le montant facturé et la base de remboursement figurant sur la feuille de soins.",
                    );
                    context.lookup.cents("consultation.specialiste.tarif")
                }
            }
        }
        Specialty::Ophthalmologist | Specialty::Stomatologist | Specialty::OtherSpecialist => {
            context.lookup.cents("consultation.specialiste.tarif")
        }
    }
}

/// Returns the French label of a consultation.
fn default_label(specialty: Specialty, kind: ConsultationKind) -> String {
    let doctor = match specialty {
        Specialty::GeneralPractitioner => "médecin généraliste",
        Specialty::Gynaecologist => "gynécologue",
        Specialty::Ophthalmologist => "ophtalmologue",
        Specialty::Stomatologist => "stomatologue",
        Specialty::Psychiatrist => "psychiatre",
        Specialty::Geriatrician => "gériatre",
        Specialty::Paediatrician => "pédiatre",
        Specialty::OtherSpecialist => "médecin spécialiste",
    };
    match kind {
        ConsultationKind::Office => format!("Consultation de {doctor}"),
        ConsultationKind::Teleconsultation => format!("Téléconsultation de {doctor}"),
        ConsultationKind::SpecialistOpinion => format!("Avis ponctuel de consultant ({doctor})"),
    }
}
