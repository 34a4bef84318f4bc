//! The day before and the day of each dated change the computation uses.
//!
//! Expected amounts are the published values in force on each side of the
//! change, in cents.

mod common;

use common::{RulesAdapter, adult, aged, consultation, day, doliprane, gp, request, run};
use mediflux_plugin_cost::{
    Breakdown, CareItem, ConsultationKind, CostError, DentalCase, EmergencyVisitCase,
    HospitalStayCase, MedicineCase, ParamedicalCase, ParamedicalProfession, Patient, Sector,
    Specialty, TechnicalAct, TechnicalActsCase, TechnicalDiscipline, compute,
};

/// A change: its date, the value the day before and the value that day.
struct Change {
    name: &'static str,
    date: &'static str,
    before: i64,
    after: i64,
}

/// Runs `measure` the day before and the day of each change and lists the
/// changes whose values differ from the expected ones.
fn check_changes(changes: &[Change], measure: impl Fn(&str) -> i64) {
    let mut failures = Vec::new();

    for change in changes {
        let change_day = day(change.date);
        let day_before = change_day.previous_day().to_string();
        let before = measure(&day_before);
        let after = measure(change.date);
        if (before, after) != (change.before, change.after) {
            failures.push(format!(
                "{} on {}: expected {} then {}, computed {before} then {after}",
                change.name, change.date, change.before, change.after
            ));
        }
    }

    assert!(failures.is_empty(), "changes off:\n{}", failures.join("\n"));
}

fn only_line_base(breakdown: &Breakdown) -> i64 {
    breakdown.lines[0].amounts.base_cents
}

fn consultation_base(date: &str, patient: Patient, specialty: Specialty) -> i64 {
    let item = CareItem::Consultation(consultation(specialty, Sector::One));
    only_line_base(&run(&request(date, patient, None, vec![item])))
}

#[test]
fn medicine_franchise_doubles_2024_03_31() {
    let changes = [Change {
        name: "franchise per medicine box",
        date: "2024-03-31",
        before: 50,
        after: 100,
    }];
    check_changes(&changes, |date| {
        run(&request(date, adult(), None, vec![doliprane()]))
            .total
            .deductions_cents
    });
}

#[test]
fn paramedical_franchise_and_cap_2024_03_31() {
    let nurse = |acts| {
        CareItem::Paramedical(ParamedicalCase {
            label: None,
            profession: ParamedicalProfession::Nurse,
            act_base_cents: 315,
            billed_per_act_cents: None,
            acts,
            ald_linked: false,
            franchises_today_cents: 0,
        })
    };
    let one_act = [Change {
        name: "franchise per paramedical act",
        date: "2024-03-31",
        before: 50,
        after: 100,
    }];
    check_changes(&one_act, |date| {
        run(&request(date, adult(), None, vec![nurse(1)]))
            .total
            .deductions_cents
    });

    let six_acts = [Change {
        name: "daily cap of paramedical franchises",
        date: "2024-03-31",
        before: 200,
        after: 400,
    }];
    check_changes(&six_acts, |date| {
        run(&request(date, adult(), None, vec![nurse(6)]))
            .total
            .deductions_cents
    });
}

#[test]
fn participation_and_daily_cap_2024_05_15() {
    let one_visit = [Change {
        name: "participation forfaitaire per consultation",
        date: "2024-05-15",
        before: 100,
        after: 200,
    }];
    check_changes(&one_visit, |date| {
        run(&request(date, adult(), None, vec![gp()]))
            .total
            .deductions_cents
    });

    let act = TechnicalAct {
        label: "Acte de biologie".to_owned(),
        base_cents: 1000,
        billed_cents: None,
    };
    let ten_acts = CareItem::TechnicalActs(TechnicalActsCase {
        discipline: TechnicalDiscipline::Lab,
        acts: vec![act; 10],
        ald_linked: false,
        participations_today_cents: 0,
    });
    let daily_cap = [Change {
        name: "daily cap of participations per lab",
        date: "2024-05-15",
        before: 400,
        after: 800,
    }];
    check_changes(&daily_cap, |date| {
        run(&request(date, adult(), None, vec![ten_acts.clone()]))
            .total
            .deductions_cents
    });
}

#[test]
fn gp_tariffs_change_on_their_dates() {
    let adult_changes = [
        Change {
            name: "GP tariff",
            date: "2023-11-01",
            before: 2500,
            after: 2650,
        },
        Change {
            name: "GP tariff",
            date: "2024-12-22",
            before: 2650,
            after: 3000,
        },
    ];
    check_changes(&adult_changes, |date| {
        consultation_base(date, adult(), Specialty::GeneralPractitioner)
    });

    let child_changes = [
        Change {
            name: "GP tariff, child under 6",
            date: "2023-11-01",
            before: 3000,
            after: 3150,
        },
        Change {
            name: "GP tariff, child under 6",
            date: "2024-12-22",
            before: 3150,
            after: 3500,
        },
    ];
    check_changes(&child_changes, |date| {
        consultation_base(date, aged(4), Specialty::GeneralPractitioner)
    });

    let teleconsultation = [Change {
        name: "GP teleconsultation",
        date: "2026-01-01",
        before: 2500,
        after: 2500,
    }];
    check_changes(&teleconsultation, |date| {
        let mut case = consultation(Specialty::GeneralPractitioner, Sector::One);
        case.kind = ConsultationKind::Teleconsultation;
        let item = CareItem::Consultation(case);
        only_line_base(&run(&request(date, adult(), None, vec![item])))
    });
}

#[test]
fn teleconsultation_2026_is_to_confirm() {
    let mut case = consultation(Specialty::GeneralPractitioner, Sector::One);
    case.kind = ConsultationKind::Teleconsultation;
    let item = CareItem::Consultation(case);

    let breakdown = run(&request("2026-01-01", adult(), None, vec![item]));

    let tariff = breakdown
        .rules_used
        .iter()
        .find(|rule| rule.name == "consultation.teleconsultation_generaliste.tarif");
    assert!(tariff.is_some_and(|rule| rule.to_confirm));
}

#[test]
fn specialist_tariffs_change_on_their_dates() {
    let specialist = [Change {
        name: "specialist tariff in the pathway",
        date: "2023-11-01",
        before: 3000,
        after: 3150,
    }];
    check_changes(&specialist, |date| {
        consultation_base(date, adult(), Specialty::OtherSpecialist)
    });

    let cases = [
        (Specialty::Psychiatrist, "psychiatrist", 5170, 5500, 5700),
        (Specialty::Gynaecologist, "gynaecologist", 3350, 3700, 4000),
        (Specialty::Geriatrician, "geriatrician", 3150, 3700, 4200),
    ];
    for (specialty, name, from_2023_11, from_2024_12, from_2026) in cases {
        let changes = [
            Change {
                name,
                date: "2024-12-22",
                before: from_2023_11,
                after: from_2024_12,
            },
            Change {
                name,
                date: "2026-01-01",
                before: from_2024_12,
                after: from_2026,
            },
        ];
        check_changes(&changes, |date| consultation_base(date, adult(), specialty));
    }

    let opinion = [
        Change {
            name: "APC",
            date: "2023-11-01",
            before: 5500,
            after: 5650,
        },
        Change {
            name: "APC",
            date: "2024-12-22",
            before: 5650,
            after: 6000,
        },
    ];
    check_changes(&opinion, |date| {
        let mut case = consultation(Specialty::OtherSpecialist, Sector::One);
        case.kind = ConsultationKind::SpecialistOpinion;
        let item = CareItem::Consultation(case);
        only_line_base(&run(&request(date, adult(), None, vec![item])))
    });
}

#[test]
fn paediatrician_child_tariff_from_2024_12_22() {
    // Before its first step the child tariff is unknown, so the specialist
    // tariff applies and the breakdown records an assumption.
    let changes = [
        Change {
            name: "paediatrician, child under 2",
            date: "2024-12-22",
            before: 3150,
            after: 3900,
        },
        Change {
            name: "paediatrician, child under 2",
            date: "2026-01-01",
            before: 3900,
            after: 4000,
        },
    ];
    check_changes(&changes, |date| {
        consultation_base(date, aged(1), Specialty::Paediatrician)
    });

    let item = CareItem::Consultation(consultation(Specialty::Paediatrician, Sector::One));
    let breakdown = run(&request("2024-12-21", aged(1), None, vec![item]));
    assert!(
        breakdown
            .assumptions
            .iter()
            .any(|assumption| assumption.code == "paediatrician_tariff")
    );
}

#[test]
fn psychiatrist_before_2023_11_is_missing() {
    let item = CareItem::Consultation(consultation(Specialty::Psychiatrist, Sector::One));
    let request = request("2023-10-31", adult(), None, vec![item]);

    let result = compute(&request, &RulesAdapter::embedded());

    assert!(matches!(result, Err(CostError::RuleNotFound { .. })));
}

#[test]
fn pharmacy_fees_change_on_their_dates() {
    let prescription = |patient_age| {
        move |date: &str| {
            let mut line = common::medicine_line("Doliprane 1000 mg, boîte de 8", 218, 6500);
            line.quantity = 1;
            let item = CareItem::Medicines(MedicineCase {
                lines: vec![line],
                include_prescription_fees: true,
            });
            let breakdown = run(&request(date, aged(patient_age), None, vec![item]));
            breakdown.lines[1..]
                .iter()
                .map(|line| line.amounts.billed_cents)
                .sum::<i64>()
        }
    };

    let adult_fees = [Change {
        name: "fee for executing a prescription",
        date: "2025-01-08",
        before: 51,
        after: 61,
    }];
    check_changes(&adult_fees, prescription(40));

    // A patient over 70 adds the age fee to the prescription fee.
    let senior_fees = [Change {
        name: "prescription and age fees",
        date: "2026-01-01",
        before: 61 + 158,
        after: 61 + 168,
    }];
    check_changes(&senior_fees, prescription(75));
}

#[test]
fn dental_rate_drops_2023_10_15() {
    let changes = [Change {
        name: "AMO share of a 23 € dental consultation",
        date: "2023-10-15",
        before: 1610,
        after: 1380,
    }];
    check_changes(&changes, |date| {
        let item = CareItem::Dental(DentalCase {
            base_cents: 2300,
            ..DentalCase::default()
        });
        run(&request(date, adult(), None, vec![item]))
            .total
            .amo_cents
    });
}

#[test]
fn hospital_fees_change_in_2026() {
    let stay = |psychiatry| HospitalStayCase {
        base_cents: 5000,
        days: 1,
        psychiatry,
        ..HospitalStayCase::default()
    };
    let daily_fee = |case: HospitalStayCase| {
        move |date: &str| {
            let breakdown = run(&request(
                date,
                adult(),
                None,
                vec![CareItem::HospitalStay(case.clone())],
            ));
            breakdown.lines[1].amounts.billed_cents
        }
    };

    let general = [Change {
        name: "forfait journalier",
        date: "2026-03-01",
        before: 2000,
        after: 2300,
    }];
    check_changes(&general, daily_fee(stay(false)));

    let psychiatry = [Change {
        name: "forfait journalier in psychiatry",
        date: "2026-03-01",
        before: 1500,
        after: 1700,
    }];
    check_changes(&psychiatry, daily_fee(stay(true)));

    // A 1 000 € act is a heavy act: the AMO pays the BR less the flat
    // participation.
    let heavy = [Change {
        name: "participation for heavy acts",
        date: "2026-04-22",
        before: 2400,
        after: 3200,
    }];
    check_changes(&heavy, |date| {
        let case = HospitalStayCase {
            base_cents: 100_000,
            ..HospitalStayCase::default()
        };
        let breakdown = run(&request(
            date,
            adult(),
            None,
            vec![CareItem::HospitalStay(case)],
        ));
        breakdown.total.base_cents - breakdown.total.amo_cents
    });
}

#[test]
fn emergency_fee_changes_2026_03_01() {
    let fee = |reduced_rate| {
        move |date: &str| {
            let item = CareItem::EmergencyVisit(EmergencyVisitCase { reduced_rate });
            run(&request(date, adult(), None, vec![item]))
                .total
                .patient_cents
        }
    };

    let full = [Change {
        name: "forfait patient urgences",
        date: "2026-03-01",
        before: 1961,
        after: 2300,
    }];
    check_changes(&full, fee(false));

    let reduced = [Change {
        name: "reduced forfait patient urgences",
        date: "2026-03-01",
        before: 849,
        after: 996,
    }];
    check_changes(&reduced, fee(true));
}
