//! Routing behaviour on questions written for these tests.

mod common;

use std::collections::BTreeMap;

use common::{SAMPLE_NAMES, fixture_intents, sample_router, today};
use mediflux_manifest::{Intent, RoutingRule};
use mediflux_router::{Date, PreviousTurn, Router, RouterConfig, RouterError, normalize};

fn slot(decision: &mediflux_router::Decision, name: &str) -> Option<String> {
    decision.slots.get(name).cloned()
}

#[test]
fn route_names_intent_plugin_and_layer() {
    let router = sample_router();
    let decision = router.route_on("Quel est le tarif du Kardegic ?", None, today());

    assert_eq!(decision.intent.as_deref(), Some("cost.medication"));
    assert_eq!(decision.plugin.as_deref(), Some("cost"));
    assert_eq!(decision.layer, "rules");
    assert_eq!(slot(&decision, "medication").as_deref(), Some("kardegic"));
    assert!(decision.confidence > 0.5);
    assert!(decision.confidence <= 1.0);
    assert!(decision.margin > 0.0);
    assert!(decision.margin <= 1.0);
}

#[test]
fn route_tolerates_typos_and_missing_accents() {
    let router = sample_router();
    for question in [
        "combein coute le dolipran",
        "COMBIEN COUTE LE DOLIPRANE",
        "Combien côute le Dolliprane",
        "combien coûte le doliprane",
    ] {
        let decision = router.route_on(question, None, today());
        assert_eq!(
            decision.intent.as_deref(),
            Some("cost.medication"),
            "{question}"
        );
        assert_eq!(
            slot(&decision, "medication").as_deref(),
            Some("doliprane"),
            "{question}"
        );
    }
}

#[test]
fn route_reads_dosage_units() {
    let router = sample_router();
    let cases = [
        ("Prix du Levothyrox 75", "75 µg"),
        ("Prix du Levothyrox 75 µg", "75 µg"),
        ("Prix du Levothyrox 75 microgrammes", "75 µg"),
        ("Prix du Doliprane 500mg", "500 mg"),
        ("Prix du Dafalgan 1 g", "1 g"),
    ];
    for (question, dosage) in cases {
        let decision = router.route_on(question, None, today());
        assert_eq!(
            slot(&decision, "dosage").as_deref(),
            Some(dosage),
            "{question}"
        );
    }
}

#[test]
fn route_reads_amounts_and_mutuelle_levels() {
    let router = sample_router();
    let decision = router.route_on(
        "Le dermato facture 60,50 € et ma complémentaire rembourse 150 %, combien je paie ?",
        None,
        today(),
    );
    assert_eq!(decision.intent.as_deref(), Some("cost.consultation"));
    assert_eq!(slot(&decision, "amount").as_deref(), Some("60.50"));
    assert_eq!(
        slot(&decision, "mutuelle_level").as_deref(),
        Some("150% BR")
    );

    let decision = router.route_on("Prix du Kardegic sans mutuelle", None, today());
    assert_eq!(slot(&decision, "mutuelle_level").as_deref(), Some("none"));
}

#[test]
fn route_reads_sectors() {
    let router = sample_router();
    let cases = [
        ("Prix chez un cardiologue secteur 1", "1"),
        ("Prix chez un cardiologue secteur 2", "2"),
        ("Prix chez un cardiologue OPTAM", "2 OPTAM"),
        (
            "Prix chez un cardiologue secteur 2 non-OPTAM",
            "2 non-OPTAM",
        ),
        ("Prix chez un cardiologue non conventionné", "3"),
    ];
    for (question, sector) in cases {
        let decision = router.route_on(question, None, today());
        assert_eq!(
            slot(&decision, "sector").as_deref(),
            Some(sector),
            "{question}"
        );
    }
}

#[test]
fn route_reads_french_dates() {
    let router = sample_router();
    let today = Date::new(2025, 6, 10).expect("valid date");
    let cases = [
        ("Prix du Kardegic en mars 2024", "2024-03"),
        ("Prix du Kardegic le 3 février 2025", "2025-02-03"),
        ("Prix du Kardegic le 1er mai 2023", "2023-05-01"),
        ("Prix du Kardegic l'an dernier", "2024"),
        ("Prix du Kardegic l’année dernière", "2024"),
        ("Prix du Kardegic en 2023", "2023"),
        ("Prix du Kardegic le 14/07/2024", "2024-07-14"),
        ("Prix du Kardegic en septembre", "2024-09"),
    ];
    for (question, date) in cases {
        let decision = router.route_on(question, None, today);
        assert_eq!(slot(&decision, "date").as_deref(), Some(date), "{question}");
    }
}

#[test]
fn route_reads_locations() {
    let router = sample_router();
    let cases = [
        ("Un cardiologue à Paris 15e", "Paris 15e"),
        ("Un cardiologue dans le 15ème arrondissement", "Paris 15e"),
        ("Un cardiologue Lyon 3ème", "Lyon 3e"),
        ("Un cardiologue vers 33000", "33000"),
        ("un cardiologue a saint etienne", "Saint-Étienne"),
        ("Un cardiologue en Gironde", "Gironde"),
        ("Un cardiologue à Saint-Jean-de-Luz", "Saint-Jean-de-Luz"),
        ("Un cardiologue à Tours", "Tours"),
    ];
    for (question, location) in cases {
        let decision = router.route_on(question, None, today());
        assert_eq!(
            decision.intent.as_deref(),
            Some("practitioner.search"),
            "{question}"
        );
        assert_eq!(
            slot(&decision, "location").as_deref(),
            Some(location),
            "{question}"
        );
    }
}

#[test]
fn route_keeps_common_words_out_of_locations() {
    let router = sample_router();
    let decision = router.route_on("Je fais des tours de piste", None, today());
    assert_eq!(slot(&decision, "location"), None);
}

#[test]
fn route_maps_specialty_wordings() {
    let router = sample_router();
    let cases = [
        ("Trouver un médecin traitant", "generaliste"),
        ("Trouver un ophtalmo", "ophtalmologue"),
        ("Trouver un kiné", "kinesitherapeute"),
        ("Trouver une sage-femme", "sage-femme"),
        ("Trouver un chirurgien-dentiste", "dentiste"),
        ("Trouver un médecin spécialiste", "specialiste"),
    ];
    for (question, specialty) in cases {
        let decision = router.route_on(question, None, today());
        assert_eq!(
            slot(&decision, "specialty").as_deref(),
            Some(specialty),
            "{question}"
        );
    }
}

#[test]
fn route_maps_condition_wordings() {
    let router = sample_router();
    let cases = [
        (
            "Quel suivi pour mon mal de dos chronique ?",
            "lombalgie_chronique",
        ),
        ("Quel suivi pour ma tension ?", "hypertension"),
        ("Quel suivi pour un diabétique ?", "diabete_type_2"),
        (
            "Quel suivi pour une bronchopneumopathie chronique obstructive ?",
            "bpco",
        ),
    ];
    for (question, condition) in cases {
        let decision = router.route_on(question, None, today());
        assert_eq!(
            decision.intent.as_deref(),
            Some("care.pathway"),
            "{question}"
        );
        assert_eq!(
            slot(&decision, "condition").as_deref(),
            Some(condition),
            "{question}"
        );
    }

    let decision = router.route_on("Quel suivi pour un diabète de type 1 ?", None, today());
    assert_eq!(slot(&decision, "condition"), None);
}

#[test]
fn route_maps_document_types() {
    let router = sample_router();
    let cases = [
        ("Lis ma carte de tiers payant", "carte_tiers_payant"),
        ("Explique-moi cette feuille de soins", "feuille_de_soins"),
        ("Scanne l'ordonnance", "ordonnance"),
        ("Vérifie mon attestation de droits", "attestation_droits"),
    ];
    for (question, document) in cases {
        let decision = router.route_on(question, None, today());
        assert_eq!(
            decision.intent.as_deref(),
            Some("document.analyze"),
            "{question}"
        );
        assert_eq!(
            slot(&decision, "document_type").as_deref(),
            Some(document),
            "{question}"
        );
    }
}

#[test]
fn prescription_status_is_not_document() {
    let router = sample_router();
    let decision = router.route_on(
        "Le Dafalgan est-il délivré sans ordonnance ?",
        None,
        today(),
    );
    assert_eq!(decision.intent.as_deref(), Some("medication.info"));
    assert_eq!(slot(&decision, "document_type"), None);
}

#[test]
fn follow_up_inherits_previous_intent() {
    let router = sample_router();
    let previous = PreviousTurn {
        intent: "cost.medication".to_owned(),
        slots: BTreeMap::from([("medication".to_owned(), "doliprane".to_owned())]),
    };

    let decision = router.route_on("et avec une mutuelle à 200 % ?", Some(&previous), today());

    assert_eq!(decision.intent.as_deref(), Some("cost.medication"));
    assert_eq!(decision.plugin.as_deref(), Some("cost"));
    assert_eq!(slot(&decision, "medication").as_deref(), Some("doliprane"));
    assert_eq!(
        slot(&decision, "mutuelle_level").as_deref(),
        Some("200% BR")
    );
}

#[test]
fn follow_up_yields_to_new_question() {
    let router = sample_router();
    let previous = PreviousTurn {
        intent: "cost.medication".to_owned(),
        slots: BTreeMap::from([("medication".to_owned(), "doliprane".to_owned())]),
    };

    let decision = router.route_on("Parcours de soins pour l'asthme", Some(&previous), today());

    assert_eq!(decision.intent.as_deref(), Some("care.pathway"));
    assert_eq!(slot(&decision, "medication"), None);
}

/// Regression: after « Combien coûte le Doliprane ? », the short question
/// « Dermatologue à 75014 » was answered with the Doliprane price again.
#[test]
fn follow_up_needs_previous_slots() {
    let router = sample_router();
    let previous = PreviousTurn {
        intent: "cost.medication".to_owned(),
        slots: BTreeMap::from([("medication".to_owned(), "doliprane".to_owned())]),
    };

    let decision = router.route_on("Dermatologue à 75014", Some(&previous), today());

    assert_ne!(decision.intent.as_deref(), Some("cost.medication"));
    assert_eq!(slot(&decision, "medication"), None);
}

/// Regression: « Je suis enceinte de 3 mois » after « J'ai 67 ans » was
/// taken as a follow-up, so the profile plugin saw the age again.
#[test]
fn second_statement_inherits_nothing() {
    let router = sample_router();
    let previous = PreviousTurn {
        intent: "profile.update".to_owned(),
        slots: BTreeMap::from([("patient_age".to_owned(), "67".to_owned())]),
    };

    let decision = router.route_on("Je suis enceinte de 3 mois", Some(&previous), today());

    assert_eq!(decision.intent.as_deref(), Some("profile.update"));
    assert_eq!(slot(&decision, "pregnancy_month").as_deref(), Some("3"));
    assert_eq!(slot(&decision, "patient_age"), None);
}

/// Regression: « qu'est-ce qu' » outweighed the cost words, so this
/// question went to the medicine description.
#[test]
fn remaining_cost_beats_description() {
    let router = sample_router();

    let decision = router.route_on(
        "Qu'est-ce qu'il me restera à payer après le remboursement pour le Doliprane ?",
        None,
        today(),
    );

    assert_eq!(decision.intent.as_deref(), Some("cost.medication"));
    assert_eq!(slot(&decision, "medication").as_deref(), Some("doliprane"));
}

#[test]
fn unmatched_question_has_no_intent() {
    let router = sample_router();
    let decision = router.route_on("Quelle est la capitale du Pérou ?", None, today());
    assert_eq!(decision.intent, None);
    assert_eq!(decision.plugin, None);
    assert_eq!(decision.confidence, 0.0);
}

#[test]
fn threshold_rejects_weak_matches() {
    let strict = Router::with_config(
        fixture_intents(),
        SAMPLE_NAMES,
        RouterConfig { threshold: 0.9 },
    )
    .expect("fixture intents compile");
    let decision = strict.route_on("Bonjour", None, today());
    assert_eq!(decision.intent, None);
    assert!(decision.confidence > 0.0);
}

fn third_party_intent() -> Intent {
    Intent {
        id: "vaccination.schedule".to_owned(),
        description: "Vaccination calendar.".to_owned(),
        examples: vec!["Quand faire le rappel du DTP ?".to_owned()],
        slots: vec!["date".to_owned()],
        rules: vec![RoutingRule {
            any: vec!["vaccin*".to_owned(), "rappel".to_owned()],
            all: vec![],
            slots: vec![],
            weight: 3.0,
        }],
    }
}

#[test]
fn third_party_plugin_is_routed() {
    let mut intents = fixture_intents();
    intents.push(("vaccins".to_owned(), third_party_intent()));
    let router = Router::new(intents, SAMPLE_NAMES).expect("intents compile");

    let decision = router.route_on("Quand faire le rapel de vaccination ?", None, today());

    assert_eq!(decision.intent.as_deref(), Some("vaccination.schedule"));
    assert_eq!(decision.plugin.as_deref(), Some("vaccins"));
}

#[test]
fn duplicate_intent_is_rejected() {
    let intents = vec![
        ("one".to_owned(), third_party_intent()),
        ("two".to_owned(), third_party_intent()),
    ];
    let error = Router::new(intents, SAMPLE_NAMES).expect_err("duplicate id");
    assert!(matches!(error, RouterError::DuplicateIntent { .. }));
    assert!(error.to_string().contains("`one`"));
}

#[test]
fn invalid_rules_are_rejected() {
    let mut zero_weight = third_party_intent();
    zero_weight.rules[0].weight = 0.0;
    let error = Router::new([("p", zero_weight)], SAMPLE_NAMES).expect_err("weight 0");
    assert!(error.to_string().contains("weight"));

    let mut empty = third_party_intent();
    empty.rules[0].any.clear();
    let error = Router::new([("p", empty)], SAMPLE_NAMES).expect_err("empty rule");
    assert!(matches!(error, RouterError::InvalidRule { rule: 0, .. }));

    let mut punctuation = third_party_intent();
    punctuation.rules[0].any = vec!["?!".to_owned()];
    let error = Router::new([("p", punctuation)], SAMPLE_NAMES).expect_err("empty entry");
    assert!(error.to_string().contains("`?!`"));
}

#[test]
fn invalid_threshold_is_rejected() {
    let error = Router::with_config(
        fixture_intents(),
        SAMPLE_NAMES,
        RouterConfig { threshold: 1.5 },
    )
    .expect_err("threshold above 1");
    assert!(matches!(error, RouterError::InvalidThreshold(_)));
}

#[test]
fn normalize_matches_rule_form() {
    assert_eq!(
        normalize("Qu’est-ce que l'Œstrogel ?"),
        "qu est ce que l oestrogel"
    );
}
