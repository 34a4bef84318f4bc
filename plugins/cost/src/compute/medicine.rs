//! Medicine boxes and per-prescription pharmacy fees.
//!
//! The BR of a box is its price with the dispensing fee, or the TFR of its
//! generic group. A generic refused without a valid MTE, EFG or CIF code
//! takes the TFR or the price of the most expensive generic as BR and loses
//! tiers payant. Each box carries one franchise.

use crate::breakdown::{DeductionKind, Line, LineKind};
use crate::case::{
    CheaperMedicine, GenericRefusal, MedicineCase, MedicineLine, NonSubstitutionCode,
};
use crate::error::CostError;
use crate::money::{apply_rate, format_euros};
use crate::mutuelle::CoverCategory;

use super::{Context, Priced, check_not_negative};

/// Prices every line of the prescription, then its pharmacy fees.
pub(crate) fn medicines(
    context: &mut Context<'_>,
    case: &MedicineCase,
) -> Result<Vec<Line>, CostError> {
    let mut lines = Vec::new();

    for line in &case.lines {
        validate(line)?;

        let counters_before = context.counters;
        let priced = price_boxes(
            context,
            line,
            &line.label,
            line.box_price_cents,
            line.generic_refusal.as_ref(),
        )?;
        let computed = context.finish(priced);

        if let Some(alternative) = &line.cheaper_alternative {
            let counters_after = context.counters;
            context.counters = counters_before;
            advise_cheaper(context, line, alternative, computed.amounts.patient_cents)?;
            context.counters = counters_after;
        }
        lines.push(computed);
    }

    let reimbursable = case
        .lines
        .iter()
        .any(|line| line.rate_basis_points.unwrap_or(0) > 0);
    if case.include_prescription_fees && reimbursable {
        lines.extend(prescription_fees(context, case)?);
    } else if reimbursable && !context.quiet {
        context.assume(
            "prescription_fees_left_out",
            "Honoraires de pharmacie par ordonnance (exécution d'ordonnance, âge, ordonnance complexe) non comptés : seules les boîtes sont chiffrées.".to_owned(),
            "Demandez le coût de l'ordonnance complète pour inclure ces honoraires.",
        );
    }
    Ok(lines)
}

fn validate(line: &MedicineLine) -> Result<(), CostError> {
    check_not_negative("box_price_cents", line.box_price_cents)?;
    if let Some(tfr) = line.tfr_cents {
        check_not_negative("tfr_cents", tfr)?;
    }
    if let Some(rate) = line.rate_basis_points
        && !(0..=10_000).contains(&rate)
    {
        return Err(CostError::InvalidRate {
            field: "rate_basis_points",
            basis_points: rate,
            max: 10_000,
        });
    }
    if line.quantity == 0 {
        return Err(CostError::ZeroQuantity {
            label: line.label.clone(),
        });
    }
    if let Some(alternative) = &line.cheaper_alternative {
        check_not_negative(
            "cheaper_alternative.box_price_cents",
            alternative.box_price_cents,
        )?;
    }
    Ok(())
}

/// Prices `line.quantity` boxes at `box_price_cents`: BR, AMO share and
/// franchise.
fn price_boxes(
    context: &mut Context<'_>,
    line: &MedicineLine,
    label: &str,
    box_price_cents: i64,
    refusal: Option<&GenericRefusal>,
) -> Result<Priced, CostError> {
    let quantity = i64::from(line.quantity);
    let billed_cents = box_price_cents * quantity;
    let mut notes = Vec::new();

    let Some(rate) = line.rate_basis_points.filter(|rate| *rate > 0) else {
        notes.push("médicament non remboursable".to_owned());
        return Ok(Priced {
            label: label.to_owned(),
            kind: LineKind::Medicine,
            category: CoverCategory::Medicine { low_rate: false },
            billed_cents,
            base_cents: 0,
            rate_basis_points: None,
            amo_cents: 0,
            amo_in_pathway_cents: 0,
            deduction: None,
            authorised_excess_cents: 0,
            notes,
        });
    };

    let box_base_cents = match refusal {
        Some(refusal) => refused_generic_base(context, line, box_price_cents, refusal, &mut notes)?,
        None => line.tfr_cents.unwrap_or(box_price_cents),
    };
    let base_cents = box_base_cents.min(box_price_cents) * quantity;
    if line.tfr_cents.is_some() && base_cents < billed_cents {
        notes.push("remboursement limité au tarif forfaitaire de responsabilité (TFR)".to_owned());
    }

    let applied_rate = context.full_rate(line.ald_linked)?.unwrap_or(rate);
    let amo_cents = apply_rate(base_cents, applied_rate);

    let franchise_cents = match context.deduction_exemption(line.ald_linked)? {
        Some(reason) => {
            notes.push(reason.to_owned());
            0
        }
        None => {
            let per_box = context.lookup.cents("franchise.medicament.montant")?;
            context.take_franchise(per_box * quantity, None)?
        }
    };

    let low_rate = if context.complementary.is_some() {
        let moderate = context.lookup.basis_points("medicament.taux.modere")?;
        let low = context.lookup.basis_points("medicament.taux.faible")?;
        rate == moderate || rate == low
    } else {
        false
    };

    Ok(Priced {
        label: label.to_owned(),
        kind: LineKind::Medicine,
        category: CoverCategory::Medicine { low_rate },
        billed_cents,
        base_cents,
        rate_basis_points: Some(applied_rate),
        amo_cents,
        amo_in_pathway_cents: amo_cents,
        deduction: Some((DeductionKind::Franchise, franchise_cents)),
        authorised_excess_cents: 0,
        notes,
    })
}

/// Returns the BR of one box when the generic is refused: the princeps price
/// with a valid code, otherwise the TFR or the most expensive generic.
fn refused_generic_base(
    context: &mut Context<'_>,
    line: &MedicineLine,
    box_price_cents: i64,
    refusal: &GenericRefusal,
    notes: &mut Vec<String>,
) -> Result<i64, CostError> {
    if !context
        .lookup
        .flag("medicament.non_substituable.code_requis")?
    {
        return Ok(box_price_cents);
    }

    let valid_code = match refusal.code {
        Some(NonSubstitutionCode::Mte | NonSubstitutionCode::Cif) => true,
        Some(NonSubstitutionCode::Efg) => {
            let age_limit = context
                .lookup
                .years("medicament.non_substituable.efg.age_moins_de")?;
            let valid = context.is_younger_than(age_limit);
            if !valid {
                notes.push(format!(
                    "le code EFG ne vaut que pour un enfant de moins de {age_limit} ans"
                ));
            }
            valid
        }
        None => false,
    };
    if valid_code {
        return Ok(box_price_cents);
    }

    notes.push(
        "générique refusé sans mention MTE, EFG ou CIF : pas de tiers payant, vous avancez les frais"
            .to_owned(),
    );
    line.tfr_cents
        .or(refusal.most_expensive_generic_cents)
        .ok_or_else(|| CostError::MissingGenericPrice {
            label: line.label.clone(),
        })
}

/// Prices the cheaper box with the same rate and cover, and advises it when
/// it costs the patient less.
fn advise_cheaper(
    context: &mut Context<'_>,
    line: &MedicineLine,
    alternative: &CheaperMedicine,
    patient_cents: i64,
) -> Result<(), CostError> {
    context.quiet = true;
    let priced = price_boxes(
        context,
        line,
        &alternative.label,
        alternative.box_price_cents,
        None,
    );
    context.quiet = false;

    let alternative_line = context.finish(priced?);
    let alternative_patient = alternative_line.amounts.patient_cents;
    context.advise(
        format!(
            "{} coûte moins cher : votre reste à charge passerait de {} à {}.",
            alternative.label,
            format_euros(patient_cents),
            format_euros(alternative_patient)
        ),
        alternative_patient,
        patient_cents - alternative_patient,
    );
    Ok(())
}

/// Prices the per-prescription pharmacy fees the case calls for.
fn prescription_fees(
    context: &mut Context<'_>,
    case: &MedicineCase,
) -> Result<Vec<Line>, CostError> {
    let mut fees: Vec<(&str, i64)> = Vec::new();

    fees.push((
        "Honoraire d'exécution d'ordonnance",
        context
            .lookup
            .cents("pharmacie.honoraire.ordonnance.montant")?,
    ));

    let child_limit = context
        .lookup
        .years("pharmacie.honoraire.age.enfant_moins_de")?;
    let senior_limit = context
        .lookup
        .years("pharmacie.honoraire.age.patient_plus_de")?;
    // NOTE: "over 70" is read as strictly older than 70 years.
    if context.is_younger_than(child_limit) || context.is_older_than(senior_limit) {
        fees.push((
            "Honoraire lié à l'âge",
            context.lookup.cents("pharmacie.honoraire.age.montant")?,
        ));
    }

    if case.lines.iter().any(|line| line.specific_medicine) {
        fees.push((
            "Honoraire pour médicament spécifique",
            context
                .lookup
                .cents("pharmacie.honoraire.specifique.montant")?,
        ));
    }

    let complex_lines = context
        .lookup
        .count("pharmacie.honoraire.complexe.lignes_min")?;
    if i64::try_from(case.lines.len()).unwrap_or(i64::MAX) >= complex_lines {
        fees.push((
            "Honoraire d'ordonnance complexe",
            context
                .lookup
                .cents("pharmacie.honoraire.complexe.montant")?,
        ));
    }

    let fee_rate = context
        .lookup
        .basis_points("pharmacie.honoraire.taux_amo")?;
    let all_ald = case.lines.iter().all(|line| line.ald_linked);
    let applied_rate = context.full_rate(all_ald)?.unwrap_or(fee_rate);

    let mut lines = Vec::new();
    for (label, cents) in fees {
        let amo_cents = apply_rate(cents, applied_rate);
        let priced = Priced {
            label: label.to_owned(),
            kind: LineKind::PharmacyFee,
            category: CoverCategory::PharmacyFee,
            billed_cents: cents,
            base_cents: cents,
            rate_basis_points: Some(applied_rate),
            amo_cents,
            amo_in_pathway_cents: amo_cents,
            deduction: None,
            authorised_excess_cents: 0,
            notes: Vec::new(),
        };
        lines.push(context.finish(priced));
    }
    Ok(lines)
}
