//! Every published worked example of the reimbursement rules, to the cent.
//!
//! Each row is an example of the French reimbursement facts the rule sets
//! were written from (adult with a médecin traitant unless stated; M100 and
//! M200 are contrats responsables at 100 % and 200 % BR). The expected
//! amounts are copied from those examples, in cents, in the order billed,
//! BR, AMO before deductions, participation or franchise, AMC, reste à
//! charge. A few rows check published figures that give only part of a line.

mod common;

use common::{
    adult, aged, consultation, doliprane, gp, m100, m200, medicine_line, medicines, request, run,
    totals,
};
use mediflux_plugin_cost::{
    CareItem, ConsultationKind, CostRequest, GenericRefusal, Maternity, Mutuelle,
    NonSubstitutionCode, Pathway, Patient, PublicCover, Sector, Specialty, TechnicalAct,
    TechnicalActsCase, TechnicalDiscipline,
};

/// A published figure to compare with the computation.
enum Expected {
    /// Billed, BR, AMO, deductions, AMC, reste à charge of the whole request.
    Totals([i64; 6]),
    /// AMO share paid after the deduction.
    AmoPaid(i64),
    /// Ticket modérateur: BR − AMO share.
    TicketModerateur(i64),
    /// Deduction of each line, in order.
    DeductionsPerLine(Vec<i64>),
}

struct Example {
    name: &'static str,
    request: CostRequest,
    expected: Expected,
}

fn gp_outside_pathway() -> CareItem {
    let mut case = consultation(Specialty::GeneralPractitioner, Sector::One);
    case.pathway = Some(Pathway::NotRespected);
    CareItem::Consultation(case)
}

fn gp_for_ald() -> CareItem {
    let mut case = consultation(Specialty::GeneralPractitioner, Sector::One);
    case.ald_linked = true;
    CareItem::Consultation(case)
}

fn optam_specialist(billed_cents: i64) -> CareItem {
    let mut case = consultation(Specialty::OtherSpecialist, Sector::TwoOptam);
    case.billed_cents = Some(billed_cents);
    CareItem::Consultation(case)
}

fn teleconsultation() -> CareItem {
    let mut case = consultation(Specialty::GeneralPractitioner, Sector::One);
    case.kind = ConsultationKind::Teleconsultation;
    CareItem::Consultation(case)
}

fn rosuvastatine(ald_linked: bool) -> CareItem {
    let mut line = medicine_line("Rosuvastatine générique, boîte de 30", 500, 6500);
    line.ald_linked = ald_linked;
    medicines(vec![line])
}

fn crestor_with_code(code: NonSubstitutionCode) -> CareItem {
    let mut line = medicine_line("Crestor 5 mg, boîte de 30", 736, 6500);
    line.generic_refusal = Some(GenericRefusal {
        code: Some(code),
        most_expensive_generic_cents: Some(500),
    });
    medicines(vec![line])
}

fn with_cover(cover: PublicCover) -> Patient {
    Patient { cover, ..adult() }
}

fn m100_covering_low_rates() -> Option<Mutuelle> {
    Some(Mutuelle {
        covers_low_rate_medicines: true,
        ..Mutuelle::responsible(10_000)
    })
}

fn five_lab_acts() -> CareItem {
    let act = TechnicalAct {
        label: "Acte de biologie".to_owned(),
        base_cents: 1000,
        billed_cents: None,
    };
    CareItem::TechnicalActs(TechnicalActsCase {
        discipline: TechnicalDiscipline::Lab,
        acts: vec![act; 5],
        ald_linked: false,
        participations_today_cents: 0,
    })
}

fn examples() -> Vec<Example> {
    use Expected::{AmoPaid, DeductionsPerLine, TicketModerateur, Totals};
    let example = |name, request, expected| Example {
        name,
        request,
        expected,
    };

    vec![
        example(
            "2023-06-01 Doliprane box of 8, M100",
            request("2023-06-01", adult(), m100(), vec![doliprane()]),
            Totals([218, 218, 142, 50, 76, 50]),
        ),
        example(
            "2025-06-01 Doliprane box of 8, M100",
            request("2025-06-01", adult(), m100(), vec![doliprane()]),
            Totals([218, 218, 142, 100, 76, 100]),
        ),
        example(
            "2025-06-01 Doliprane box of 8, no mutuelle",
            request("2025-06-01", adult(), None, vec![doliprane()]),
            Totals([218, 218, 142, 100, 0, 176]),
        ),
        example(
            "2026-06-01 Doliprane box of 8, M100",
            request("2026-06-01", adult(), m100(), vec![doliprane()]),
            Totals([218, 218, 142, 100, 76, 100]),
        ),
        example(
            "2023-06-01 GP secteur 1, M100",
            request("2023-06-01", adult(), m100(), vec![gp()]),
            Totals([2500, 2500, 1750, 100, 750, 100]),
        ),
        example(
            "2023-11-15 GP secteur 1, M100",
            request("2023-11-15", adult(), m100(), vec![gp()]),
            Totals([2650, 2650, 1855, 100, 795, 100]),
        ),
        example(
            "2025 GP 30 €, M100",
            request("2025-06-01", adult(), m100(), vec![gp()]),
            Totals([3000, 3000, 2100, 200, 900, 200]),
        ),
        example(
            "2025 GP 30 €, AMO pays 19 €",
            request("2025-06-01", adult(), None, vec![gp()]),
            AmoPaid(1900),
        ),
        example(
            "2025 OPTAM GP billing 35 €, AMO pays 19 €",
            request(
                "2025-06-01",
                adult(),
                None,
                vec![{
                    let mut case = consultation(Specialty::GeneralPractitioner, Sector::TwoOptam);
                    case.billed_cents = Some(3500);
                    CareItem::Consultation(case)
                }],
            ),
            AmoPaid(1900),
        ),
        example(
            "2025 GP 30 €, ticket modérateur 9 €",
            request("2025-06-01", adult(), None, vec![gp()]),
            TicketModerateur(900),
        ),
        example(
            "2025 GP outside the pathway, ticket modérateur 21 €",
            request("2025-06-01", adult(), None, vec![gp_outside_pathway()]),
            TicketModerateur(2100),
        ),
        example(
            "2024 GP 26,50 €, ticket modérateur 7,95 €",
            request("2024-06-01", adult(), None, vec![gp()]),
            TicketModerateur(795),
        ),
        example(
            "2025 OPTAM specialist billing 60 €, M200",
            request("2025-06-01", adult(), m200(), vec![optam_specialist(6000)]),
            Totals([6000, 3150, 2205, 200, 3795, 200]),
        ),
        example(
            "2025 GP outside the pathway, M100",
            request("2025-06-01", adult(), m100(), vec![gp_outside_pathway()]),
            Totals([3000, 3000, 900, 200, 900, 1400]),
        ),
        example(
            "2025 GP outside the pathway, no mutuelle",
            request("2025-06-01", adult(), None, vec![gp_outside_pathway()]),
            Totals([3000, 3000, 900, 200, 0, 2300]),
        ),
        example(
            "2025 ALD patient, GP for the ALD, M100",
            request("2025-06-01", adult(), m100(), vec![gp_for_ald()]),
            Totals([3000, 3000, 3000, 200, 0, 200]),
        ),
        example(
            "2025 ALD, rosuvastatine generic box of 30",
            request("2025-06-01", adult(), None, vec![rosuvastatine(true)]),
            Totals([500, 500, 500, 100, 0, 100]),
        ),
        example(
            "2025 child of 8, GP, M100",
            request("2025-06-01", aged(8), m100(), vec![gp()]),
            Totals([3000, 3000, 2100, 0, 900, 0]),
        ),
        example(
            "2025 child of 4, GP, no mutuelle",
            request("2025-06-01", aged(4), None, vec![gp()]),
            Totals([3500, 3500, 2450, 0, 0, 1050]),
        ),
        example(
            "2025 child, Doliprane box of 8, no mutuelle",
            request("2025-06-01", aged(8), None, vec![doliprane()]),
            Totals([218, 218, 142, 0, 0, 76]),
        ),
        example(
            "2025 C2S, OPTAM specialist billed at the BR",
            request(
                "2025-06-01",
                with_cover(PublicCover::C2s),
                None,
                vec![optam_specialist(6000)],
            ),
            Totals([3150, 3150, 2205, 0, 945, 0]),
        ),
        example(
            "2025 C2S, Doliprane box of 8",
            request(
                "2025-06-01",
                with_cover(PublicCover::C2s),
                None,
                vec![doliprane()],
            ),
            Totals([218, 218, 142, 0, 76, 0]),
        ),
        example(
            "2025 15 % medicine at 3,16 €, M100 covering 15 %",
            request(
                "2025-06-01",
                adult(),
                m100_covering_low_rates(),
                vec![medicines(vec![medicine_line(
                    "Médicament à 15 %",
                    316,
                    1500,
                )])],
            ),
            Totals([316, 316, 47, 100, 269, 100]),
        ),
        example(
            "2025 rosuvastatine generic accepted, M100",
            request("2025-06-01", adult(), m100(), vec![rosuvastatine(false)]),
            Totals([500, 500, 325, 100, 175, 100]),
        ),
        example(
            "2025 Crestor 5 mg with a valid MTE code, M100",
            request(
                "2025-06-01",
                adult(),
                m100(),
                vec![crestor_with_code(NonSubstitutionCode::Mte)],
            ),
            Totals([736, 736, 478, 100, 258, 100]),
        ),
        example(
            "2025 Crestor 5 mg with a valid CIF code, M100",
            request(
                "2025-06-01",
                adult(),
                m100(),
                vec![crestor_with_code(NonSubstitutionCode::Cif)],
            ),
            Totals([736, 736, 478, 100, 258, 100]),
        ),
        example(
            "2025 GP teleconsultation 25 €, M100",
            request("2025-06-01", adult(), m100(), vec![teleconsultation()]),
            Totals([2500, 2500, 1750, 200, 750, 200]),
        ),
        example(
            "2025 pregnant, 7th month, GP, no mutuelle",
            request(
                "2025-06-01",
                Patient {
                    maternity: Some(Maternity::PregnancyMonth(7)),
                    ..adult()
                },
                None,
                vec![gp()],
            ),
            Totals([3000, 3000, 3000, 0, 0, 0]),
        ),
        example(
            "2025 five lab acts, same lab, same day",
            request("2025-06-01", adult(), None, vec![five_lab_acts()]),
            DeductionsPerLine(vec![200, 200, 200, 200, 0]),
        ),
    ]
}

#[test]
fn worked_examples_match_to_the_cent() {
    let mut failures = Vec::new();

    for example in examples() {
        let breakdown = run(&example.request);
        let total = &breakdown.total;
        let (expected, actual): (Vec<i64>, Vec<i64>) = match &example.expected {
            Expected::Totals(amounts) => (amounts.to_vec(), totals(&breakdown).to_vec()),
            Expected::AmoPaid(cents) => {
                (vec![*cents], vec![total.amo_cents - total.deductions_cents])
            }
            Expected::TicketModerateur(cents) => {
                (vec![*cents], vec![total.base_cents - total.amo_cents])
            }
            Expected::DeductionsPerLine(cents) => (
                cents.clone(),
                breakdown
                    .lines
                    .iter()
                    .map(|line| line.amounts.deductions_cents)
                    .collect(),
            ),
        };
        if expected != actual {
            failures.push(format!(
                "{}: expected {expected:?}, computed {actual:?}",
                example.name
            ));
        }
    }

    assert!(
        failures.is_empty(),
        "examples off:\n{}",
        failures.join("\n")
    );
}
