//! Value lookups on the embedded rule sets: the values behind the published
//! worked examples, every dated change, to-confirm marks and a user rules
//! directory that replaces the embedded set.

mod common;

use std::fs;

use common::{date, embedded, flag, integer, lookup};
use mediflux_rules::{LookupError, Rules, Status, Value};

/// AMO share of a base: BR × rate, rounded half up to the cent.
fn amo_share(base_cents: i64, rate_basis_points: i64) -> i64 {
    (base_cents * rate_basis_points + 5_000) / 10_000
}

#[test]
fn medicine_examples_resolve() {
    let rules = embedded();
    let doliprane_box = 218;

    // Doliprane 1000 mg, box of 8: AMO 1,42 € every year, franchise 0,50 € then 1 €.
    for (on, franchise) in [("2023-06-01", 50), ("2025-06-01", 100), ("2026-06-01", 100)] {
        let rate = integer(&rules, "medicament.taux.majeur", on);
        assert_eq!(amo_share(doliprane_box, rate), 142, "Doliprane AMO at {on}");
        assert_eq!(
            integer(&rules, "franchise.medicament.montant", on),
            franchise,
            "franchise at {on}"
        );
    }

    // 2025 medicines: rosuvastatine generic 5,00 €, Crestor 7,36 €, a 15 % box at 3,16 €.
    let on = "2025-06-01";
    let major = integer(&rules, "medicament.taux.majeur", on);
    assert_eq!(amo_share(500, major), 325);
    assert_eq!(amo_share(736, major), 478);
    assert_eq!(
        amo_share(316, integer(&rules, "medicament.taux.faible", on)),
        47
    );
    assert_eq!(
        amo_share(500, integer(&rules, "profil.ald.taux_amo", on)),
        500
    );
    assert!(flag(&rules, "medicament.non_substituable.code_requis", on));
}

#[test]
fn consultation_examples_resolve() {
    let rules = embedded();

    // GP secteur 1: 25 € then 26,50 € in 2023, 30 € in 2025, PF 1 € then 2 €.
    for (on, tariff, amo, pf) in [
        ("2023-06-01", 2500, 1750, 100),
        ("2023-11-15", 2650, 1855, 100),
        ("2025-06-01", 3000, 2100, 200),
    ] {
        let base = integer(&rules, "consultation.generaliste.tarif", on);
        let rate = integer(&rules, "consultation.taux_amo", on);
        assert_eq!(base, tariff, "GP tariff at {on}");
        assert_eq!(amo_share(base, rate), amo, "GP AMO at {on}");
        assert_eq!(
            integer(&rules, "participation_forfaitaire.montant", on),
            pf,
            "PF at {on}"
        );
    }

    // service-public.fr: 30 € × 70 % − 2 € = 19 € paid by the AMO, TM 9 €.
    let on = "2025-06-01";
    let gp = integer(&rules, "consultation.generaliste.tarif", on);
    let gp_amo = amo_share(gp, integer(&rules, "consultation.taux_amo", on));
    assert_eq!(
        gp_amo - integer(&rules, "participation_forfaitaire.montant", on),
        1900
    );
    assert_eq!(gp - gp_amo, 900);

    // Outside the pathway: AMO 9 €, TM 21 €.
    let outside = amo_share(gp, integer(&rules, "parcours.hors_parcours.taux_amo", on));
    assert_eq!(outside, 900);
    assert_eq!(gp - outside, 2100);

    // OPTAM specialist billing 60 € with M200: BR 31,50 €, AMO 22,05 €, AMC 37,95 €.
    let specialist = integer(&rules, "consultation.specialiste.tarif", on);
    let specialist_amo = amo_share(specialist, integer(&rules, "consultation.taux_amo", on));
    assert_eq!(specialist, 3150);
    assert_eq!(specialist_amo, 2205);
    assert_eq!((2 * specialist).min(6000) - specialist_amo, 3795);
    assert!(flag(&rules, "secteur.s2_optam.base_secteur_1", on));

    // ALD, teleconsultation, child under 6.
    assert_eq!(
        amo_share(gp, integer(&rules, "profil.ald.taux_amo", on)),
        3000
    );
    let teleconsultation = integer(
        &rules,
        "consultation.teleconsultation_generaliste.tarif",
        on,
    );
    assert_eq!(amo_share(teleconsultation, 7000), 1750);
    assert_eq!(
        integer(&rules, "consultation.generaliste_enfant.age_moins_de", on),
        6
    );
    let child = integer(&rules, "consultation.generaliste_enfant.tarif", on);
    assert_eq!(
        amo_share(child, integer(&rules, "consultation.taux_amo", on)),
        2450
    );
}

#[test]
fn exemption_examples_resolve() {
    let rules = embedded();
    let on = "2025-06-01";

    // Children of 4 and 8 pay no PF or franchise: the exemption is under 18.
    let age_limit = integer(&rules, "exoneration.franchise_pf.age_moins_de", on);
    assert_eq!(age_limit, 18);

    // Pregnant in the 7th month: from the 6th month, 100 % and no PF.
    assert_eq!(
        integer(&rules, "exoneration.franchise_pf.grossesse.debut_mois", on),
        6
    );
    assert_eq!(
        lookup(&rules, "exoneration.franchise_pf.grossesse.debut_mois", on).value,
        Value::Months(6)
    );
    assert_eq!(integer(&rules, "profil.maternite.taux_amo", on), 10_000);

    // C2S: exempt from PF and franchise, TM paid by the C2S, no dépassement.
    assert!(flag(&rules, "exoneration.franchise_pf.c2s", on));
    assert!(flag(
        &rules,
        "profil.c2s.ticket_moderateur_pris_en_charge",
        on
    ));
    assert!(flag(&rules, "profil.c2s.depassement_interdit", on));

    // ALD patients still pay PF and franchise.
    assert!(!flag(&rules, "exoneration.franchise_pf.ald", on));

    // Five lab acts the same day: PF 2 € each, capped at 8 € per lab per day.
    let pf = integer(&rules, "participation_forfaitaire.montant", on);
    let daily_cap = integer(&rules, "participation_forfaitaire.plafond_journalier", on);
    let mut deducted = 0;
    let mut per_act = Vec::new();
    for _ in 0..5 {
        let charge = pf.min(daily_cap - deducted);
        deducted += charge;
        per_act.push(charge);
    }
    assert_eq!(per_act, vec![200, 200, 200, 200, 0]);
    assert_eq!(integer(&rules, "biologie.taux_amo", on), 6000);
}

/// Every dated change: (name, change date, value the day before, value on the day).
const CHANGES: &[(&str, &str, i64, i64)] = &[
    ("dentaire.taux_amo", "2023-10-15", 7000, 6000),
    ("consultation.generaliste.tarif", "2023-11-01", 2500, 2650),
    ("consultation.generaliste.tarif", "2024-12-22", 2650, 3000),
    (
        "consultation.generaliste_enfant.tarif",
        "2023-11-01",
        3000,
        3150,
    ),
    (
        "consultation.generaliste_enfant.tarif",
        "2024-12-22",
        3150,
        3500,
    ),
    ("consultation.specialiste.tarif", "2023-11-01", 3000, 3150),
    ("consultation.avis_ponctuel.tarif", "2023-11-01", 5500, 5650),
    ("consultation.avis_ponctuel.tarif", "2024-12-22", 5650, 6000),
    ("consultation.psychiatre.tarif", "2024-12-22", 5170, 5500),
    ("consultation.psychiatre.tarif", "2026-01-01", 5500, 5700),
    ("consultation.gynecologue.tarif", "2024-12-22", 3350, 3700),
    ("consultation.gynecologue.tarif", "2026-01-01", 3700, 4000),
    ("consultation.geriatre.tarif", "2024-12-22", 3150, 3700),
    ("consultation.geriatre.tarif", "2026-01-01", 3700, 4200),
    (
        "consultation.pediatre_enfant.tarif",
        "2026-01-01",
        3900,
        4000,
    ),
    ("franchise.medicament.montant", "2024-03-31", 50, 100),
    ("franchise.paramedical.montant", "2024-03-31", 50, 100),
    (
        "franchise.paramedical.plafond_journalier",
        "2024-03-31",
        200,
        400,
    ),
    ("franchise.transport.montant", "2024-03-31", 200, 400),
    (
        "franchise.transport.plafond_journalier",
        "2024-03-31",
        400,
        800,
    ),
    ("participation_forfaitaire.montant", "2024-05-15", 100, 200),
    (
        "participation_forfaitaire.plafond_journalier",
        "2024-05-15",
        400,
        800,
    ),
    (
        "pharmacie.honoraire.ordonnance.montant",
        "2025-01-08",
        51,
        61,
    ),
    ("pharmacie.honoraire.age.montant", "2026-01-01", 158, 168),
    (
        "hospitalisation.forfait_journalier",
        "2026-03-01",
        2000,
        2300,
    ),
    (
        "hospitalisation.forfait_journalier_psychiatrie",
        "2026-03-01",
        1500,
        1700,
    ),
    (
        "hospitalisation.actes_lourds.participation",
        "2026-04-22",
        2400,
        3200,
    ),
    ("urgences.forfait_patient", "2026-03-01", 1961, 2300),
    ("urgences.forfait_patient_reduit", "2026-03-01", 849, 996),
];

#[test]
fn dated_changes_switch_on_the_day() {
    let rules = embedded();

    for (name, day, old, new) in CHANGES {
        let change_day = date(day);
        let day_before = change_day.previous_day();

        let before = rules
            .value_at(name, day_before)
            .unwrap_or_else(|error| panic!("{name} on {day_before}: {error}"));
        let after = rules
            .value_at(name, change_day)
            .unwrap_or_else(|error| panic!("{name} on {change_day}: {error}"));

        assert_eq!(
            before.value.as_integer(),
            Some(*old),
            "{name} on {day_before}"
        );
        assert_eq!(
            after.value.as_integer(),
            Some(*new),
            "{name} on {change_day}"
        );
        assert_eq!(after.effective_date, change_day, "{name} effective date");
        assert!(after.start_known, "{name} start date is recorded");
    }
}

#[test]
fn unchanged_caps_stay_at_fifty_euros() {
    let rules = embedded();

    for on in ["2023-01-01", "2024-06-01", "2025-12-31", "2026-12-31"] {
        assert_eq!(
            integer(&rules, "franchise.plafond_annuel", on),
            5000,
            "franchise cap at {on}"
        );
        assert_eq!(
            integer(&rules, "participation_forfaitaire.plafond_annuel", on),
            5000,
            "PF cap at {on}"
        );
        assert_eq!(
            integer(&rules, "consultation.taux_amo", on),
            7000,
            "doctor rate at {on}"
        );
    }
}

#[test]
fn value_carries_resolved_source() {
    let rules = embedded();

    let franchise = lookup(&rules, "franchise.medicament.montant", "2024-04-01");
    assert_eq!(franchise.source.id, "decrets-2024-113-114");
    assert_eq!(franchise.source.date, Some(date("2024-02-17")));
    assert!(franchise.source.legal_reference.is_some());

    let rate = lookup(&rules, "medicament.taux.majeur", "2024-04-01");
    assert!(
        !rate.start_known,
        "the start of the 65 % rate is not recorded"
    );
    assert_eq!(rate.effective_date, date("2023-01-01"));
}

#[test]
fn uncertain_values_are_to_confirm() {
    let rules = embedded();

    let uncertain = [
        ("pharmacie.honoraire.taux_amo", "2025-06-01"),
        ("consultation.specialiste.tarif", "2025-06-01"),
        (
            "consultation.teleconsultation_generaliste.tarif",
            "2026-06-01",
        ),
        ("hospitalisation.actes_lourds.participation", "2026-06-01"),
        (
            "complementaire.cent_pour_cent_sante.protheses_amovibles",
            "2024-06-01",
        ),
    ];
    for (name, on) in uncertain {
        let value = lookup(&rules, name, on);
        assert_eq!(value.status, Status::ToConfirm, "{name} at {on}");
        assert!(value.note.is_some(), "{name} at {on} explains the doubt");
    }

    let teleconsultation_2025 = lookup(
        &rules,
        "consultation.teleconsultation_generaliste.tarif",
        "2025-06-01",
    );
    assert_eq!(teleconsultation_2025.status, Status::Confirmed);
}

#[test]
fn lookup_errors_name_the_problem() {
    let rules = embedded();

    let not_yet = rules.value_at("consultation.psychiatre.tarif", date("2023-10-31"));
    assert_eq!(
        not_yet,
        Err(LookupError::NotInForce {
            name: "consultation.psychiatre.tarif".to_owned(),
            date: date("2023-10-31"),
            first: date("2023-11-01"),
        })
    );

    let unknown = rules.value_at("consultation.generaliste.tarrif", date("2025-01-01"));
    assert!(matches!(
        unknown,
        Err(LookupError::UnknownName { year: 2025, .. })
    ));

    let no_year = rules.value_at("consultation.generaliste.tarif", date("2022-12-31"));
    assert!(matches!(
        no_year,
        Err(LookupError::NoRuleSet { year: 2022, .. })
    ));
}

#[test]
fn user_directory_replaces_embedded() {
    let directory = tempfile::tempdir().expect("create temp dir");
    common::copy_shipped_rules(directory.path());

    // Raise the 2026-03-01 forfait journalier from 23 € to 24 €. 2026 is the
    // last year, so no later file has to repeat the step.
    let path = directory.path().join("2026.toml");
    let text = fs::read_to_string(&path).expect("read 2026.toml");
    let old_step = r#"{ from = 2026-03-01, value = 2300, source = "que-choisir-hopital-2026" }"#;
    assert_eq!(
        text.matches(old_step).count(),
        2,
        "the forfait journalier and the urgences fee"
    );
    let edited = text.replacen(old_step, &old_step.replace("2300", "2400"), 1);
    fs::write(&path, edited).expect("write 2026.toml");

    let user = Rules::load(Some(directory.path())).unwrap_or_else(|failed| panic!("{failed}"));
    assert_eq!(
        integer(&user, "hospitalisation.forfait_journalier", "2026-06-01"),
        2400
    );
    assert_eq!(
        integer(&user, "hospitalisation.forfait_journalier", "2026-02-28"),
        2000
    );

    let default = Rules::load(None).unwrap_or_else(|failed| panic!("{failed}"));
    assert_eq!(
        integer(&default, "hospitalisation.forfait_journalier", "2026-06-01"),
        2300
    );
}

#[test]
fn user_directory_without_a_year_lacks_it() {
    let directory = tempfile::tempdir().expect("create temp dir");
    common::copy_shipped_rules(directory.path());
    fs::remove_file(directory.path().join("2026.toml")).expect("remove 2026.toml");

    let user = Rules::load_dir(directory.path()).unwrap_or_else(|failed| panic!("{failed}"));
    assert_eq!(user.years(), vec![2023, 2024, 2025]);
    let missing = user.value_at("consultation.generaliste.tarif", date("2026-02-01"));
    assert!(matches!(
        missing,
        Err(LookupError::NoRuleSet { year: 2026, .. })
    ));
}
