//! Sectors, pathway, generics, contracts, profiles, hospital care and
//! input errors. Amounts are worked out by hand from the published rules of
//! 2025. The AMO pays 70 % for doctors and 65 % for major medicines, the
//! specialist tariff is 31,50 €, the non-OPTAM BR 23 €, the participation
//! 2 € and the franchise 1 €.

mod common;

use common::{
    RulesAdapter, adult, aged, consultation, doliprane, gp, m100, m200, medicine_line, medicines,
    request, run, totals,
};
use mediflux_plugin_cost::{
    CareItem, CheaperMedicine, CostError, CoverBasis, GenericRefusal, HospitalStayCase, Maternity,
    MedicineCase, Mutuelle, NonSubstitutionCode, Pathway, Patient, PublicCover, Sector, Specialty,
    compute,
};

fn specialist(specialty: Specialty, sector: Sector, billed: Option<i64>) -> CareItem {
    let mut case = consultation(specialty, sector);
    case.billed_cents = billed;
    CareItem::Consultation(case)
}

fn outside_pathway(specialty: Specialty) -> CareItem {
    let mut case = consultation(specialty, Sector::One);
    case.pathway = Some(Pathway::NotRespected);
    CareItem::Consultation(case)
}

fn crestor(refusal: Option<GenericRefusal>) -> CareItem {
    let mut line = medicine_line("Crestor 5 mg, boîte de 30", 736, 6500);
    line.generic_refusal = refusal;
    medicines(vec![line])
}

fn refusal(code: Option<NonSubstitutionCode>, generic: Option<i64>) -> Option<GenericRefusal> {
    Some(GenericRefusal {
        code,
        most_expensive_generic_cents: generic,
    })
}

fn compute_error(request: &mediflux_plugin_cost::CostRequest) -> Option<CostError> {
    compute(request, &RulesAdapter::embedded()).err()
}

#[test]
fn non_optam_cover_clamped_to_180_percent() {
    // M200 allows at most 180 % of the 23 € BR, 41,40 €, outside OPTAM.
    let item = specialist(Specialty::OtherSpecialist, Sector::TwoNonOptam, Some(6000));

    let breakdown = run(&request("2025-06-01", adult(), m200(), vec![item]));

    assert_eq!(totals(&breakdown), [6000, 2300, 1610, 200, 2530, 2060]);
}

#[test]
fn authorised_excess_capped_and_uncovered() {
    // Secteur 1 specialist without referral: 30 % AMO, at most 17,5 % of
    // 31,50 € (5,51 €) on top, which no contrat responsable pays.
    let mut case = consultation(Specialty::OtherSpecialist, Sector::One);
    case.pathway = Some(Pathway::NotRespected);
    case.billed_cents = Some(4000);

    let breakdown = run(&request(
        "2025-06-01",
        adult(),
        m100(),
        vec![CareItem::Consultation(case)],
    ));

    assert_eq!(totals(&breakdown), [3701, 3150, 945, 200, 945, 2011]);
    assert!(
        breakdown
            .assumptions
            .iter()
            .any(|assumption| assumption.code == "sector_1_fee_capped")
    );
}

#[test]
fn direct_access_keeps_full_rate() {
    let gynaecologist = run(&request(
        "2025-06-01",
        adult(),
        None,
        vec![outside_pathway(Specialty::Gynaecologist)],
    ));
    assert_eq!(gynaecologist.total.amo_cents, 2590);

    let young_psychiatry = run(&request(
        "2025-06-01",
        aged(20),
        None,
        vec![outside_pathway(Specialty::Psychiatrist)],
    ));
    assert_eq!(young_psychiatry.total.amo_cents, 3850);

    let adult_psychiatry = run(&request(
        "2025-06-01",
        aged(30),
        None,
        vec![outside_pathway(Specialty::Psychiatrist)],
    ));
    assert_eq!(adult_psychiatry.total.amo_cents, 1650);
}

#[test]
fn pathway_penalty_starts_at_16() {
    let fifteen = run(&request(
        "2025-06-01",
        aged(15),
        None,
        vec![outside_pathway(Specialty::GeneralPractitioner)],
    ));
    assert_eq!(fifteen.total.amo_cents, 2100);

    let sixteen = run(&request(
        "2025-06-01",
        aged(16),
        None,
        vec![outside_pathway(Specialty::GeneralPractitioner)],
    ));
    assert_eq!(sixteen.total.amo_cents, 900);
}

#[test]
fn refused_generic_without_code() {
    // The BR drops to the most expensive generic, 5 €, and tiers payant is
    // lost.
    let item = crestor(refusal(None, Some(500)));

    let breakdown = run(&request("2025-06-01", adult(), m100(), vec![item]));

    assert_eq!(totals(&breakdown), [736, 500, 325, 100, 175, 336]);
    assert!(
        breakdown.lines[0]
            .notes
            .iter()
            .any(|note| note.contains("pas de tiers payant"))
    );
}

#[test]
fn efg_code_valid_only_under_6() {
    let item = crestor(refusal(Some(NonSubstitutionCode::Efg), Some(500)));

    let child = run(&request("2025-06-01", aged(4), None, vec![item.clone()]));
    assert_eq!(child.total.base_cents, 736);

    let older = run(&request("2025-06-01", aged(10), None, vec![item]));
    assert_eq!(older.total.base_cents, 500);
}

#[test]
fn refused_generic_needs_a_price() {
    let item = crestor(refusal(None, None));

    let error = compute_error(&request("2025-06-01", adult(), None, vec![item]));

    assert!(matches!(error, Some(CostError::MissingGenericPrice { .. })));
}

#[test]
fn tfr_caps_the_base() {
    let mut line = medicine_line("Princeps sous TFR", 736, 6500);
    line.tfr_cents = Some(500);

    let breakdown = run(&request(
        "2025-06-01",
        adult(),
        None,
        vec![medicines(vec![line])],
    ));

    assert_eq!(totals(&breakdown), [736, 500, 325, 100, 0, 511]);
}

#[test]
fn sector_3_needs_the_fee() {
    let unknown_fee = specialist(Specialty::OtherSpecialist, Sector::Three, None);
    let error = compute_error(&request("2025-06-01", adult(), None, vec![unknown_fee]));
    assert!(matches!(error, Some(CostError::MissingBilledAmount { .. })));

    // Tarif d'autorité 1,22 €: the AMO pays 0,85 €, less the 2 €
    // participation.
    let known_fee = specialist(Specialty::OtherSpecialist, Sector::Three, Some(8000));
    let breakdown = run(&request("2025-06-01", adult(), None, vec![known_fee]));
    assert_eq!(totals(&breakdown), [8000, 122, 85, 200, 0, 8115]);
}

#[test]
fn low_rate_medicine_cover_is_optional() {
    let item = medicines(vec![medicine_line("Médicament à 30 %", 400, 3000)]);

    let breakdown = run(&request("2025-06-01", adult(), m100(), vec![item]));

    assert_eq!(totals(&breakdown), [400, 400, 120, 100, 0, 380]);
}

#[test]
fn franchise_above_reimbursement_shown() {
    // 15 % of 3,16 € is 0,47 €, less than the 1 € franchise.
    let item = medicines(vec![medicine_line("Médicament à 15 %", 316, 1500)]);

    let breakdown = run(&request("2025-06-01", adult(), None, vec![item]));
    let text = mediflux_plugin_cost::render_french(&breakdown);

    assert_eq!(totals(&breakdown), [316, 316, 47, 100, 0, 369]);
    assert!(text.contains("La retenue dépasse le remboursement"));
}

#[test]
fn on_top_guarantee_adds_to_amo() {
    // "100 % en sus": up to 21 € + 30 € together, on a 40 € fee.
    let contract = Mutuelle {
        basis: CoverBasis::OnTopOfSecu,
        ..Mutuelle::responsible(10_000)
    };
    let item = specialist(Specialty::GeneralPractitioner, Sector::TwoOptam, Some(4000));

    let breakdown = run(&request("2025-06-01", adult(), Some(contract), vec![item]));

    assert_eq!(totals(&breakdown), [4000, 3000, 2100, 200, 1900, 200]);
}

#[test]
fn only_non_responsible_covers_deductions() {
    let covering = Mutuelle {
        covers_deductions: true,
        ..Mutuelle::responsible(10_000)
    };
    let responsible = run(&request(
        "2025-06-01",
        adult(),
        Some(covering.clone()),
        vec![gp()],
    ));
    assert_eq!(totals(&responsible), [3000, 3000, 2100, 200, 900, 200]);
    assert!(
        responsible.lines[0]
            .notes
            .iter()
            .any(|note| note.contains("contrat responsable"))
    );

    let free = Mutuelle {
        responsible: false,
        ..covering
    };
    let breakdown = run(&request("2025-06-01", adult(), Some(free), vec![gp()]));
    assert_eq!(totals(&breakdown), [3000, 3000, 2100, 200, 1100, 0]);
}

#[test]
fn public_covers_set_the_rate() {
    let ame = Patient {
        cover: PublicCover::Ame,
        ..adult()
    };
    let breakdown = run(&request("2025-06-01", ame, None, vec![gp()]));
    assert_eq!(totals(&breakdown), [3000, 3000, 3000, 0, 0, 0]);

    let invalidity = Patient {
        invalidity_pension: true,
        ..adult()
    };
    let breakdown = run(&request("2025-06-01", invalidity, None, vec![gp()]));
    assert_eq!(totals(&breakdown), [3000, 3000, 3000, 200, 0, 200]);
}

#[test]
fn maternity_ends_12_days_after_birth() {
    let days_after = |days| Patient {
        maternity: Some(Maternity::DaysAfterBirth(days)),
        ..adult()
    };

    let twelfth = run(&request("2025-06-01", days_after(12), None, vec![gp()]));
    assert_eq!(totals(&twelfth), [3000, 3000, 3000, 0, 0, 0]);

    let thirteenth = run(&request("2025-06-01", days_after(13), None, vec![gp()]));
    assert_eq!(totals(&thirteenth), [3000, 3000, 2100, 200, 0, 1100]);

    let fifth_month = Patient {
        maternity: Some(Maternity::PregnancyMonth(5)),
        ..adult()
    };
    let breakdown = run(&request("2025-06-01", fifth_month, None, vec![gp()]));
    assert_eq!(totals(&breakdown), [3000, 3000, 2100, 200, 0, 1100]);
}

#[test]
fn hospital_heavy_act_and_daily_fee() {
    // A 1 000 € act: the AMO pays all but 24 €; three days at 20 €.
    let stay = HospitalStayCase {
        base_cents: 100_000,
        days: 3,
        ..HospitalStayCase::default()
    };
    let breakdown = run(&request(
        "2025-06-01",
        adult(),
        None,
        vec![CareItem::HospitalStay(stay)],
    ));
    assert_eq!(totals(&breakdown), [106_000, 100_000, 97_600, 0, 0, 8400]);

    let light = HospitalStayCase {
        base_cents: 10_000,
        ..HospitalStayCase::default()
    };
    let breakdown = run(&request(
        "2025-06-01",
        adult(),
        None,
        vec![CareItem::HospitalStay(light.clone())],
    ));
    assert_eq!(totals(&breakdown), [10_000, 10_000, 8000, 0, 0, 2000]);

    let coefficient = HospitalStayCase {
        act_coefficient: Some(60),
        ..light
    };
    let breakdown = run(&request(
        "2025-06-01",
        adult(),
        None,
        vec![CareItem::HospitalStay(coefficient)],
    ));
    assert_eq!(breakdown.total.amo_cents, 7600);
}

#[test]
fn daily_fee_paid_by_frais_reels() {
    let stay = HospitalStayCase {
        base_cents: 10_000,
        days: 2,
        ..HospitalStayCase::default()
    };
    let contract = Mutuelle {
        covers_daily_hospital_fee: true,
        ..Mutuelle::responsible(10_000)
    };

    let breakdown = run(&request(
        "2025-06-01",
        adult(),
        Some(contract),
        vec![CareItem::HospitalStay(stay)],
    ));

    assert_eq!(totals(&breakdown), [14_000, 10_000, 8000, 0, 6000, 0]);
}

#[test]
fn prescription_fees_for_patient_over_70() {
    // Five lines make a complex prescription; 75 years adds the age fee.
    let lines = vec![medicine_line("Doliprane 1000 mg, boîte de 8", 218, 6500); 5];
    let item = CareItem::Medicines(MedicineCase {
        lines,
        include_prescription_fees: true,
    });

    let breakdown = run(&request("2025-06-01", aged(75), None, vec![item]));
    let fees: Vec<(i64, i64)> = breakdown.lines[5..]
        .iter()
        .map(|line| (line.amounts.billed_cents, line.amounts.amo_cents))
        .collect();

    assert_eq!(fees, vec![(61, 43), (158, 111), (31, 22)]);
}

#[test]
fn c2s_replaces_the_mutuelle() {
    let c2s = Patient {
        cover: PublicCover::C2s,
        ..adult()
    };

    let breakdown = run(&request("2025-06-01", c2s, m200(), vec![doliprane()]));

    assert_eq!(totals(&breakdown), [218, 218, 142, 0, 76, 0]);
    assert!(
        breakdown
            .assumptions
            .iter()
            .any(|assumption| assumption.code == "c2s_replaces_mutuelle")
    );
}

#[test]
fn unknown_sector_assumed_1() {
    let mut case = consultation(Specialty::OtherSpecialist, Sector::One);
    case.sector = None;

    let breakdown = run(&request(
        "2025-06-01",
        adult(),
        m100(),
        vec![CareItem::Consultation(case)],
    ));

    assert_eq!(totals(&breakdown), [3150, 3150, 2205, 200, 945, 200]);
    assert!(
        breakdown
            .assumptions
            .iter()
            .any(|assumption| assumption.code == "sector_unknown")
    );
}

#[test]
fn advice_for_cheaper_choices() {
    // Crestor 7,36 €: 3,58 € left to pay; its 5 € generic: 2,75 €.
    let mut line = medicine_line("Crestor 5 mg, boîte de 30", 736, 6500);
    line.cheaper_alternative = Some(CheaperMedicine {
        label: "Rosuvastatine générique".to_owned(),
        box_price_cents: 500,
    });
    let generic = run(&request(
        "2025-06-01",
        adult(),
        None,
        vec![medicines(vec![line])],
    ));
    let savings: Vec<i64> = generic
        .advice
        .iter()
        .map(|advice| advice.saving_cents)
        .collect();
    assert_eq!(savings, vec![83]);
    assert_eq!(generic.total.deductions_cents, 100);

    // OPTAM specialist at 60 €, M100: 30,50 € left; secteur 1: 2 €.
    let optam = specialist(Specialty::OtherSpecialist, Sector::TwoOptam, Some(6000));
    let sector = run(&request("2025-06-01", adult(), m100(), vec![optam]));
    let savings: Vec<i64> = sector
        .advice
        .iter()
        .map(|advice| advice.saving_cents)
        .collect();
    assert_eq!(savings, vec![2850]);

    // GP outside the pathway, no mutuelle: 23 € left; in the pathway: 11 €.
    let pathway = run(&request(
        "2025-06-01",
        adult(),
        None,
        vec![outside_pathway(Specialty::GeneralPractitioner)],
    ));
    let savings: Vec<i64> = pathway
        .advice
        .iter()
        .map(|advice| advice.saving_cents)
        .collect();
    assert_eq!(savings, vec![1200]);
}

#[test]
fn invalid_inputs_are_rejected() {
    let empty = request("2025-06-01", adult(), None, Vec::new());
    assert!(matches!(
        compute_error(&empty),
        Some(CostError::NoCareItems)
    ));

    let negative = medicines(vec![medicine_line("Prix négatif", -1, 6500)]);
    let error = compute_error(&request("2025-06-01", adult(), None, vec![negative]));
    assert!(matches!(error, Some(CostError::NegativeAmount { .. })));

    let mut none = medicine_line("Aucune boîte", 218, 6500);
    none.quantity = 0;
    let error = compute_error(&request(
        "2025-06-01",
        adult(),
        None,
        vec![medicines(vec![none])],
    ));
    assert!(matches!(error, Some(CostError::ZeroQuantity { .. })));

    let over_rate = medicines(vec![medicine_line("Taux impossible", 218, 12_000)]);
    let error = compute_error(&request("2025-06-01", adult(), None, vec![over_rate]));
    assert!(matches!(error, Some(CostError::InvalidRate { .. })));

    let month_ten = Patient {
        maternity: Some(Maternity::PregnancyMonth(10)),
        ..adult()
    };
    let error = compute_error(&request("2025-06-01", month_ten, None, vec![gp()]));
    assert!(matches!(
        error,
        Some(CostError::InvalidPregnancyMonth { month: 10 })
    ));

    let no_rules = compute_error(&request("2030-06-01", adult(), None, vec![gp()]));
    assert!(matches!(no_rules, Some(CostError::RuleNotFound { .. })));
}
