//! Franchise and participation caps reached in the middle of a year.
//!
//! From 2024-05-15 the franchise is 1 € per box or paramedical act, at most
//! 4 € a day per paramedical professional and 50 € a year for all franchises
//! together. The participation forfaitaire is 2 € per act, at most 8 € a day
//! per doctor or lab and 50 € a year, counted apart from the franchises.

mod common;

use common::{adult, doliprane, gp, medicine_line, medicines, request, run};
use mediflux_plugin_cost::{
    AlreadyCharged, CareItem, ConsultationCase, CostRequest, ParamedicalCase,
    ParamedicalProfession, Sector, Specialty, TechnicalAct, TechnicalActsCase, TechnicalDiscipline,
};

fn with_charged(mut request: CostRequest, franchises: i64, participations: i64) -> CostRequest {
    request.already_charged = AlreadyCharged {
        franchises_year_cents: franchises,
        participations_year_cents: participations,
    };
    request
}

fn nurse(acts: u32, franchises_today_cents: i64) -> CareItem {
    CareItem::Paramedical(ParamedicalCase {
        label: None,
        profession: ParamedicalProfession::Nurse,
        act_base_cents: 315,
        billed_per_act_cents: None,
        acts,
        ald_linked: false,
        franchises_today_cents,
    })
}

fn lab_acts(count: usize, participations_today_cents: i64) -> CareItem {
    let act = TechnicalAct {
        label: "Acte de biologie".to_owned(),
        base_cents: 1000,
        billed_cents: None,
    };
    CareItem::TechnicalActs(TechnicalActsCase {
        discipline: TechnicalDiscipline::Lab,
        acts: vec![act; count],
        ald_linked: false,
        participations_today_cents,
    })
}

fn line_deductions(request: &CostRequest) -> Vec<i64> {
    run(request)
        .lines
        .iter()
        .map(|line| line.amounts.deductions_cents)
        .collect()
}

#[test]
fn franchise_annual_cap_leaves_remainder() {
    let request = with_charged(
        request("2025-09-10", adult(), None, vec![doliprane()]),
        4950,
        0,
    );

    let breakdown = run(&request);

    assert_eq!(breakdown.total.deductions_cents, 50);
    assert_eq!(breakdown.total.patient_cents, 218 - (142 - 50));
}

#[test]
fn franchise_annual_cap_reached() {
    let request = with_charged(
        request("2025-09-10", adult(), None, vec![doliprane()]),
        5000,
        0,
    );

    let breakdown = run(&request);

    assert_eq!(breakdown.total.deductions_cents, 0);
    assert_eq!(breakdown.total.patient_cents, 76);
}

#[test]
fn franchise_cap_counts_every_box() {
    let mut line = medicine_line("Doliprane 1000 mg, boîte de 8", 218, 6500);
    line.quantity = 3;
    let request = with_charged(
        request("2025-09-10", adult(), None, vec![medicines(vec![line])]),
        4900,
        0,
    );

    let breakdown = run(&request);

    assert_eq!(breakdown.total.deductions_cents, 100);
}

#[test]
fn franchise_cap_shared_across_items() {
    // 47 € already: two boxes take 2 €, the nurse's three acts only 1 €.
    let mut line = medicine_line("Doliprane 1000 mg, boîte de 8", 218, 6500);
    line.quantity = 2;
    let request = with_charged(
        request(
            "2025-09-10",
            adult(),
            None,
            vec![medicines(vec![line]), nurse(3, 0)],
        ),
        4700,
        0,
    );

    assert_eq!(line_deductions(&request), vec![200, 100]);
}

#[test]
fn paramedical_daily_cap_per_professional() {
    let five_acts = request("2025-09-10", adult(), None, vec![nurse(5, 0)]);
    assert_eq!(line_deductions(&five_acts), vec![400]);

    let after_three_today = request("2025-09-10", adult(), None, vec![nurse(2, 300)]);
    assert_eq!(line_deductions(&after_three_today), vec![100]);
}

#[test]
fn participation_daily_cap_per_lab() {
    let after_six_today = request("2025-09-10", adult(), None, vec![lab_acts(3, 600)]);

    assert_eq!(line_deductions(&after_six_today), vec![200, 0, 0]);
}

#[test]
fn participation_annual_cap_mid_year() {
    let one_left = with_charged(request("2025-09-10", adult(), None, vec![gp()]), 0, 4900);
    assert_eq!(line_deductions(&one_left), vec![100]);

    let none_left = with_charged(request("2025-09-10", adult(), None, vec![gp()]), 0, 5000);
    let breakdown = run(&none_left);
    assert_eq!(breakdown.total.deductions_cents, 0);
    assert_eq!(breakdown.total.patient_cents, 900);
}

#[test]
fn participation_annual_cap_across_doctors() {
    // Three doctors the same day: each has its own daily cap, the year
    // only 4 € left.
    let doctor = |specialty| {
        CareItem::Consultation(ConsultationCase {
            label: None,
            specialty,
            kind: Default::default(),
            sector: Some(Sector::One),
            billed_cents: None,
            pathway: Some(mediflux_plugin_cost::Pathway::Respected),
            ald_linked: false,
            participations_today_cents: 0,
        })
    };
    let items = vec![
        doctor(Specialty::GeneralPractitioner),
        doctor(Specialty::Ophthalmologist),
        doctor(Specialty::OtherSpecialist),
    ];
    let request = with_charged(request("2025-09-10", adult(), None, items), 0, 4600);

    assert_eq!(line_deductions(&request), vec![200, 200, 0]);
}

#[test]
fn caps_are_counted_apart() {
    // The franchise cap is reached, the participation is still due.
    let request = with_charged(
        request("2025-09-10", adult(), None, vec![doliprane(), gp()]),
        5000,
        0,
    );

    assert_eq!(line_deductions(&request), vec![0, 200]);
}
