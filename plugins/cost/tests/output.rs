//! The JSON breakdown and the French text a patient reads.

mod common;

use common::{adult, consultation, doliprane, m100, request, run};
use mediflux_plugin_cost::{CareItem, Sector, Specialty, render_french};
use serde_json::Value;

const AMOUNT_KEYS: [&str; 6] = [
    "billed_cents",
    "base_cents",
    "amo_cents",
    "deductions_cents",
    "amc_cents",
    "patient_cents",
];

#[test]
fn json_uses_the_amount_keys() {
    let breakdown = run(&request("2025-06-01", adult(), m100(), vec![doliprane()]));

    let json = match serde_json::to_value(&breakdown) {
        Ok(json) => json,
        Err(error) => panic!("breakdown did not serialise: {error}"),
    };

    for key in AMOUNT_KEYS {
        assert!(json["total"][key].is_i64(), "total lacks {key}");
        assert!(json["lines"][0][key].is_i64(), "line lacks {key}");
    }
    assert_eq!(json["lines"][0]["patient_cents"], Value::from(100));
    assert_eq!(json["date"], Value::from("2025-06-01"));
    assert_eq!(json["rule_set_year"], Value::from(2025));
    let franchise = json["rules_used"]
        .as_array()
        .and_then(|rules| {
            rules
                .iter()
                .find(|rule| rule["name"] == "franchise.medicament.montant")
        })
        .cloned();
    let Some(franchise) = franchise else {
        panic!("rules_used lacks the franchise: {json}");
    };
    assert_eq!(franchise["value"]["unit"], Value::from("cents"));
    assert_eq!(franchise["value"]["value"], Value::from(100));
    assert_eq!(franchise["effective_date"], Value::from("2024-03-31"));
    assert_eq!(franchise["source_id"], Value::from("decrets-2024-113-114"));
}

#[test]
fn french_text_lists_each_amount() {
    let breakdown = run(&request("2025-06-01", adult(), m100(), vec![doliprane()]));

    let text = render_french(&breakdown);

    let expected = [
        "Estimation pour des soins du 1er juin 2025, selon les règles de remboursement 2025.",
        "Doliprane 1000 mg, boîte de 8",
        "- Facturé\u{a0}: 2,18\u{a0}€",
        "- Base de remboursement\u{a0}: 2,18\u{a0}€",
        "- Assurance Maladie (65\u{a0}%)\u{a0}: 1,42\u{a0}€",
        "- Franchise médicale retenue\u{a0}: -1,00\u{a0}€ (l'Assurance Maladie vous verse donc 0,42\u{a0}€)",
        "- Mutuelle\u{a0}: 0,76\u{a0}€",
        "- Reste à charge\u{a0}: 1,00\u{a0}€",
        "Sources (règles de remboursement 2025)",
        "- ameli.fr\u{a0}: tableau récapitulatif des taux de remboursement",
    ];
    for line in expected {
        assert!(text.contains(line), "missing «{line}» in:\n{text}");
    }
}

/// Regression: a franchise above the refund was printed as a negative
/// payment, « l'Assurance Maladie vous verse donc -0,52 € ».
#[test]
fn franchise_above_refund_is_not_negative() {
    let cheap_box = common::medicines(vec![common::medicine_line(
        "Spasfon, boîte de 30",
        74,
        6500,
    )]);
    let breakdown = run(&request("2025-06-01", adult(), m100(), vec![cheap_box]));

    let text = render_french(&breakdown);

    assert!(!text.contains("verse donc -"), "{text}");
    assert!(
        text.contains("l'Assurance Maladie ne vous verse donc rien"),
        "{text}"
    );
    assert!(
        text.contains("La retenue dépasse le remboursement de 0,52\u{a0}€"),
        "{text}"
    );
}

#[test]
fn french_text_explains_assumptions_and_advice() {
    let mut case = consultation(Specialty::OtherSpecialist, Sector::TwoOptam);
    case.billed_cents = Some(6000);
    case.pathway = None;
    let breakdown = run(&request(
        "2025-06-01",
        adult(),
        m100(),
        vec![CareItem::Consultation(case)],
    ));

    let text = render_french(&breakdown);

    assert!(text.contains("Hypothèses retenues"), "{text}");
    assert!(
        text.contains("Parcours de soins supposé respecté"),
        "{text}"
    );
    assert!(text.contains("Pour changer\u{a0}: dites-le"), "{text}");
    assert!(text.contains("Pour payer moins"), "{text}");
    assert!(text.contains("Économie\u{a0}: 28,50\u{a0}€."), "{text}");
}

#[test]
fn request_json_round_trips() {
    let mut case = consultation(Specialty::Psychiatrist, Sector::TwoOptam);
    case.kind = mediflux_plugin_cost::ConsultationKind::Teleconsultation;
    case.billed_cents = Some(7000);
    let original = request(
        "2025-06-01",
        adult(),
        m100(),
        vec![CareItem::Consultation(case), doliprane()],
    );

    let json = match serde_json::to_string(&original) {
        Ok(json) => json,
        Err(error) => panic!("request did not serialise: {error}"),
    };
    let parsed: mediflux_plugin_cost::CostRequest = match serde_json::from_str(&json) {
        Ok(parsed) => parsed,
        Err(error) => panic!("request did not parse back: {error}\n{json}"),
    };

    assert_eq!(parsed, original);
}

#[test]
fn minimal_request_json_parses() {
    let json = r#"{
        "date": "2025-06-01",
        "items": [
            {"care": "consultation", "specialty": "general_practitioner", "sector": "one"},
            {"care": "medicines", "lines": [
                {"label": "Doliprane", "box_price_cents": 218, "rate_basis_points": 6500, "quantity": 1}
            ]}
        ]
    }"#;

    let parsed: Result<mediflux_plugin_cost::CostRequest, _> = serde_json::from_str(json);

    let Ok(parsed) = parsed else {
        panic!("minimal request did not parse: {parsed:?}");
    };
    assert_eq!(parsed.items.len(), 2);
    assert_eq!(parsed.patient.age_years, None);
    assert_eq!(parsed.mutuelle, None);
}
