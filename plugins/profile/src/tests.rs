//! Unit tests of the slot-to-update mapping.

use super::*;

const TODAY: Date = Date {
    year: 2026,
    month: 5,
    day: 20,
};

fn slots(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

fn change(pairs: &[(&str, &str)], question: &str) -> ProfileChange {
    read_change(&slots(pairs), question, TODAY).expect("a profile change")
}

fn json(change: &ProfileChange) -> serde_json::Value {
    serde_json::from_str(&change.to_json()).expect("valid JSON")
}

#[test]
fn mutuelle_level_sets_mutuelle() {
    let change = change(
        &[("mutuelle_level", "200% BR")],
        "J'ai une mutuelle à 200 %",
    );
    assert_eq!(change.mutuelle, Some(Some("200% BR".to_owned())));
    assert_eq!(json(&change), serde_json::json!({ "mutuelle": "200% BR" }));
    assert!(
        change.answer().contains("200\u{a0}% BR"),
        "{}",
        change.answer()
    );
}

#[test]
fn no_mutuelle_clears_it() {
    let change = change(&[("mutuelle_level", "none")], "Je n'ai pas de mutuelle");
    assert_eq!(json(&change), serde_json::json!({ "clear": ["mutuelle"] }));
    assert!(change.answer().contains("mutuelle\u{a0}: aucune"));
}

#[test]
fn unreadable_mutuelle_level_is_rejected() {
    let error = read_change(&slots(&[("mutuelle_level", "beaucoup")]), "", TODAY)
        .expect_err("invalid slot");
    assert_eq!(error.code(), "invalid-slot");
    assert!(error.message().contains("beaucoup"), "{}", error.message());
}

#[test]
fn age_sets_years() {
    let change = change(&[("patient_age", "67")], "J'ai 67 ans");
    assert_eq!(change.age_years, Some(67));
    assert_eq!(json(&change), serde_json::json!({ "age": 67 }));
    assert!(change.answer().contains("âge\u{a0}: 67\u{a0}ans"));
}

#[test]
fn fractional_age_is_rejected() {
    let error =
        read_change(&slots(&[("patient_age", "67.5")]), "", TODAY).expect_err("invalid slot");
    assert_eq!(
        error,
        ChangeError::InvalidSlot {
            slot: "patient_age",
            value: "67.5".to_owned()
        }
    );
}

#[test]
fn pregnancy_month_sets_start() {
    let change = change(
        &[("pregnancy_month", "3"), ("condition", "grossesse")],
        "Je suis enceinte de 3 mois",
    );
    let expected_start = Date {
        year: 2026,
        month: 2,
        day: 20,
    };
    assert_eq!(
        change.pregnancy,
        Some(PregnancyChange {
            months: 3,
            start: expected_start
        })
    );
    assert!(change.ald.is_empty(), "a pregnancy is no ALD");
    assert_eq!(
        json(&change),
        serde_json::json!({ "pregnancy_start": "2026-02-20" })
    );
    assert!(
        change.answer().contains("20 février 2026"),
        "{}",
        change.answer()
    );
}

#[test]
fn pregnancy_month_out_of_range_is_rejected() {
    let error =
        read_change(&slots(&[("pregnancy_month", "11")]), "", TODAY).expect_err("invalid slot");
    assert_eq!(error.code(), "invalid-slot");
}

#[test]
fn ald_with_condition_names_it() {
    let change = change(
        &[("ald", "oui"), ("condition", "diabete_type_2")],
        "Je suis en ALD pour mon diabète",
    );
    assert_eq!(change.ald, ["diabète de type 2"]);
    assert_eq!(
        json(&change),
        serde_json::json!({ "ald": ["diabète de type 2"] })
    );
}

#[test]
fn ald_without_condition_is_unspecified() {
    let change = change(&[("ald", "oui")], "Je suis en ALD");
    assert_eq!(change.ald, ["affection non précisée"]);
}

#[test]
fn negated_ald_is_not_recorded() {
    let error = read_change(
        &slots(&[("ald", "oui"), ("condition", "diabete_type_2")]),
        "Je ne suis plus en ALD pour mon diabète",
        TODAY,
    )
    .expect_err("nothing to record");
    assert_eq!(error, ChangeError::NoProfileFact);
}

#[test]
fn c2s_slot_sets_c2s() {
    let change = change(&[("c2s", "oui")], "J'ai la C2S");
    assert_eq!(change.public_cover, Some(Some(PublicCover::C2s)));
    assert_eq!(json(&change), serde_json::json!({ "c2s": true }));
}

#[test]
fn ame_read_from_question() {
    let change = change(&[], "Je suis à l'AME");
    assert_eq!(change.public_cover, Some(Some(PublicCover::Ame)));
    assert_eq!(json(&change), serde_json::json!({ "ame": true }));

    let spelt_out = self::change(&[], "J'ai l'aide médicale de l'État");
    assert_eq!(spelt_out.public_cover, Some(Some(PublicCover::Ame)));
}

#[test]
fn negated_c2s_clears_cover() {
    let change = change(&[("c2s", "oui")], "Je n'ai plus la C2S");
    assert_eq!(change.public_cover, Some(None));
    assert_eq!(json(&change), serde_json::json!({ "clear": ["c2s"] }));
}

#[test]
fn negation_stops_at_clause_break() {
    let change = change(
        &[("c2s", "oui"), ("mutuelle_level", "none")],
        "Je n'ai pas de mutuelle mais j'ai la C2S",
    );
    assert_eq!(change.public_cover, Some(Some(PublicCover::C2s)));
    assert_eq!(change.mutuelle, Some(None));
}

#[test]
fn medecin_traitant_both_ways() {
    let without = change(
        &[("medecin_traitant", "non")],
        "Je n'ai pas de médecin traitant",
    );
    assert_eq!(
        json(&without),
        serde_json::json!({ "medecin_traitant": false })
    );
    let with = change(
        &[("medecin_traitant", "oui")],
        "J'ai déclaré mon médecin traitant",
    );
    assert_eq!(json(&with), serde_json::json!({ "medecin_traitant": true }));
}

#[test]
fn arrondissement_sets_city_and_postcode() {
    let change = change(&[("location", "Lyon 3e")], "J'habite à Lyon 3e");
    assert_eq!(
        json(&change),
        serde_json::json!({ "city": "Lyon", "postcode": "69003" })
    );
    let paris = self::change(&[("location", "Paris 1er")], "J'habite Paris 1er");
    assert_eq!(
        paris.location.and_then(|l| l.postcode),
        Some("75001".to_owned())
    );
    let marseille = self::change(&[("location", "Marseille 16e")], "");
    assert_eq!(
        marseille.location.and_then(|l| l.postcode),
        Some("13016".to_owned())
    );
}

#[test]
fn postcode_and_city_locations() {
    let postcode = change(&[("location", "29200")], "J'habite au 29200");
    assert_eq!(json(&postcode), serde_json::json!({ "postcode": "29200" }));
    let city = change(&[("location", "Brest")], "J'habite à Brest");
    assert_eq!(json(&city), serde_json::json!({ "city": "Brest" }));
}

#[test]
fn departement_is_not_a_city() {
    let error = read_change(
        &slots(&[("location", "Gironde")]),
        "J'habite en Gironde",
        TODAY,
    )
    .expect_err("nothing to record");
    assert_eq!(error.code(), "no-profile-fact");
}

#[test]
fn several_facts_in_one_statement() {
    let change = change(
        &[("patient_age", "40"), ("mutuelle_level", "150% BR")],
        "J'ai 40 ans et une mutuelle à 150 %",
    );
    assert_eq!(
        json(&change),
        serde_json::json!({ "age": 40, "mutuelle": "150% BR" })
    );
    let answer = change.answer();
    assert!(
        answer.starts_with("Je note dans votre profil\u{a0}:"),
        "{answer}"
    );
    assert_eq!(answer.lines().count(), 3, "{answer}");
}

#[test]
fn no_slot_is_no_profile_fact() {
    let error = read_change(&slots(&[]), "J'ai un chat", TODAY).expect_err("nothing to record");
    assert_eq!(error.code(), "no-profile-fact");
}

#[test]
fn fold_removes_accents_and_punctuation() {
    assert_eq!(
        fold("  L'Aide Médicale de l'État ! "),
        "l aide medicale de l etat"
    );
}
