//! Unit tests of the document readers: the expected text of the rendered
//! test documents in `shared/data/documents`, and hand-written texts for
//! the cases those documents do not show.

use serde_json::Value;

use super::*;

/// Date of care of the tests, after every validity period of the documents.
const TODAY: Date = Date {
    year: 2026,
    month: 5,
    day: 20,
};

/// Returns the expected text of a rendered test document.
fn shared_text(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/documents")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "missing {} ({error}): the test needs shared/data/documents next to the repository",
            path.display()
        )
    })
}

fn slots(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// Analyses `text` with the `document_type` slot `kind`, when given.
fn analyse(text: &str, kind: Option<&str>) -> Answer {
    let mut pairs = vec![(TEXT_SLOT, text)];
    if let Some(kind) = kind {
        pairs.push((TYPE_SLOT, kind));
    }
    analyze(&slots(&pairs), TODAY).expect("an answer")
}

/// Returns the check of `field` in the result.
fn check<'a>(body: &'a Value, field: &str) -> &'a Value {
    body["checks"]
        .as_array()
        .expect("a list of checks")
        .iter()
        .find(|check| check["field"] == field)
        .unwrap_or_else(|| panic!("no check of {field}: {body}"))
}

/// Returns the pointers of the missing fields.
fn missing(body: &Value) -> Vec<String> {
    body["missing"]
        .as_array()
        .expect("a list of missing fields")
        .iter()
        .map(|field| field["field"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn card(text: &str) -> CarteTiersPayant {
    match Document::read(DocumentType::CarteTiersPayant, text) {
        Document::CarteTiersPayant(card) => card,
        other => panic!("not a card: {other:?}"),
    }
}

fn prescription(text: &str) -> Ordonnance {
    match Document::read(DocumentType::Ordonnance, text) {
        Document::Ordonnance(prescription) => prescription,
        other => panic!("not an ordonnance: {other:?}"),
    }
}

fn claim_form(text: &str) -> FeuilleDeSoins {
    match Document::read(DocumentType::FeuilleDeSoins, text) {
        Document::FeuilleDeSoins(form) => form,
        other => panic!("not a feuille de soins: {other:?}"),
    }
}

fn attestation(text: &str) -> AttestationDroits {
    match Document::read(DocumentType::AttestationDroits, text) {
        Document::AttestationDroits(attestation) => attestation,
        other => panic!("not an attestation: {other:?}"),
    }
}

#[test]
fn tiers_payant_fields_from_real_text() {
    let card = card(&shared_text("t1_tiers_payant.txt"));
    assert_eq!(card.organisme.as_deref(), Some("MUTUELLE EXEMPLE"));
    assert_eq!(card.numero_amc.as_deref(), Some("12345678"));
    assert_eq!(card.numero_adherent.as_deref(), Some("0045781236"));
    assert_eq!(
        card.debut.and_then(|found| found.date),
        Date::new(2025, 1, 1)
    );
    assert_eq!(
        card.fin.and_then(|found| found.date),
        Date::new(2025, 12, 31)
    );
    assert_eq!(card.teletransmission.as_deref(), Some("NOEMIE"));
    assert_eq!(card.gestionnaire.as_deref(), Some("Viamedis"));
    assert_eq!(card.regime.as_deref(), Some("01"));
    assert!(card.types_convention.is_empty());
    assert_eq!(card.csr, None);

    let assure = card.assure.expect("the assuré");
    assert_eq!(assure.nom.as_deref(), Some("MARTIN"));
    assert_eq!(assure.prenom.as_deref(), Some("Jérôme"));
    assert_eq!(assure.nir.as_deref(), Some("185057800608491"));

    assert_eq!(card.beneficiaires.len(), 2);
    let child = &card.beneficiaires[1];
    assert_eq!(child.prenom.as_deref(), Some("Hélène"));
    assert_eq!(child.rang.as_deref(), Some("2"));
    assert_eq!(
        child.date_naissance.as_ref().and_then(|found| found.date),
        Date::new(2014, 11, 3)
    );

    let posts: Vec<(&str, Option<u32>, Option<&str>)> = card
        .garanties
        .iter()
        .map(|garantie| {
            (
                garantie.poste.as_str(),
                garantie.taux_pct,
                garantie.circuit.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        posts,
        vec![
            ("PHAR", Some(100), None),
            ("MED", Some(100), None),
            ("LABO", Some(100), None),
            ("HOSP", Some(100), None),
            ("OPTI", None, Some("SP")),
            ("DENT", None, Some("SP")),
            ("AUDI", None, Some("SP")),
        ]
    );
}

#[test]
fn tiers_payant_answer_checks_and_missing() {
    let answer = analyse(
        &shared_text("t1_tiers_payant.txt"),
        Some("carte_tiers_payant"),
    );
    let body = &answer.body;
    assert_eq!(body["document_type"], "carte_tiers_payant");
    assert_eq!(check(body, "assure.nir")["status"], "valid");
    assert_eq!(check(body, "numero_amc")["status"], "format-only");
    assert_eq!(check(body, "validite")["status"], "valid");
    assert_eq!(missing(body), vec!["/types_convention", "/csr"]);
    assert!(
        answer.text.contains("n'est plus valable"),
        "the card ended on 31/12/2025: {}",
        answer.text
    );
    assert!(answer.text.contains("pavé normalisé"), "{}", answer.text);
}

#[test]
fn tiers_payant_validity_on_named_day() {
    let text = shared_text("t1_tiers_payant.txt");
    let on = |day: &str| {
        let pairs = slots(&[(TEXT_SLOT, &text), (DATE_SLOT, day)]);
        analyze(&pairs, TODAY).expect("an answer").text
    };
    assert!(on("2025-06-01").contains("Le 01/06/2025, cette attestation est valable"));
    assert!(on("2024-12-01").contains("n'est pas encore valable"));
    assert!(on("2026-01-01").contains("n'est plus valable"));
    // A month alone does not set the reference day: the date of care does.
    assert!(on("2025-06").contains("Aujourd'hui (20/05/2026)"));
}

#[test]
fn tiers_payant_wrong_nir_key() {
    let text = "Carte de tiers payant - MUTUELLE TEST\n\
                Assuré : DURAND Paul   NIR : 1 85 05 78 006 084 92\n\
                Période de validité : du 01/01/2025 au 31/02/2025";
    let answer = analyse(text, None);
    let nir = check(&answer.body, "assure.nir");
    assert_eq!(nir["status"], "invalid");
    assert_eq!(nir["problem"], "wrong-key");
    assert!(
        nir["reason"].as_str().unwrap_or_default().contains("91"),
        "the reason gives the computed key: {nir}"
    );
    let end = check(&answer.body, "validite.fin");
    assert_eq!(end["problem"], "invalid-date");
    assert_eq!(end["value"], "31/02/2025");
}

#[test]
fn tiers_payant_single_spaced_ocr_text() {
    // OCR output: columns collapsed to single spaces, accents as `?`.
    let card = card(
        "ATTESTATION DE TIERS PAYANT - MUTUELLE EXEMPLE\n\
         N? AMC : 12345678 T?l?transmission : NOEMIE\n\
         P?riode de validit? : du 01/01/2025 au 31/12/2025\n\
         N? adh?rent : 0045781236 R?gime : 01\n\
         Types de convention : TPG, SP  CSR : 12",
    );
    assert_eq!(card.numero_amc.as_deref(), Some("12345678"));
    assert_eq!(card.teletransmission.as_deref(), Some("NOEMIE"));
    assert_eq!(
        card.debut.and_then(|found| found.date),
        Date::new(2025, 1, 1)
    );
    assert_eq!(card.regime.as_deref(), Some("01"));
    assert_eq!(card.types_convention, vec!["TPG", "SP"]);
    assert_eq!(card.csr.as_deref(), Some("12"));
}

#[test]
fn ordonnance_fields_from_real_text() {
    let prescription = prescription(&shared_text("t2_ordonnance.txt"));
    let prescriber = &prescription.prescripteur;
    assert_eq!(prescriber.nom.as_deref(), Some("Élodie LEFÈVRE"));
    assert_eq!(
        prescriber.specialite.as_deref(),
        Some("Médecin généraliste")
    );
    assert_eq!(prescriber.rpps.as_deref(), Some("10001234567"));
    assert_eq!(prescriber.numero_am.as_deref(), Some("751234567"));
    assert_eq!(
        prescriber.adresse.as_deref(),
        Some("12 rue de la Paix, 75002 Paris")
    );
    assert_eq!(
        prescription.date.and_then(|found| found.date),
        Date::new(2025, 3, 14)
    );
    let patient = prescription.patient.expect("the patient");
    assert_eq!(patient.person.nom.as_deref(), Some("GARÇON"));
    assert_eq!(patient.person.prenom.as_deref(), Some("Françoise"));
    assert_eq!(patient.age.as_deref(), Some("72"));
    assert_eq!(patient.poids_kg.as_deref(), Some("58"));

    assert_eq!(prescription.lignes.len(), 2);
    let paracetamol = &prescription.lignes[0];
    assert_eq!(paracetamol.nom, "PARACÉTAMOL");
    assert_eq!(paracetamol.dosage.as_deref(), Some("1 g"));
    assert_eq!(paracetamol.forme.as_deref(), Some("comprimé"));
    assert_eq!(paracetamol.posologie.as_deref(), Some("1 cp 3 fois/jour"));
    assert_eq!(
        paracetamol.duree.as_ref().map(|d| d.text.as_str()),
        Some("5 jours")
    );
    assert_eq!(paracetamol.non_substituable, None);

    let amoxicilline = &prescription.lignes[1];
    assert_eq!(amoxicilline.nom, "AMOXICILLINE");
    assert_eq!(amoxicilline.dosage.as_deref(), Some("500 mg"));
    assert_eq!(
        amoxicilline.posologie.as_deref(),
        Some("2 gél. matin et soir")
    );
    assert_eq!(amoxicilline.duree.as_ref().map(|d| d.count), Some(7));
    assert_eq!(
        amoxicilline.non_substituable,
        Some(ordonnance::NonSubstituable::Mte)
    );
    assert_eq!(
        amoxicilline.qsp.as_ref().map(|qsp| qsp.text.as_str()),
        Some("1 mois")
    );
    assert_eq!(amoxicilline.renouvellements, Some(2));
    assert!(!prescription.bizone);
}

#[test]
fn ordonnance_text_wins_over_slot() {
    let answer = analyse(
        &shared_text("t2_ordonnance.txt"),
        Some("carte_tiers_payant"),
    );
    let body = &answer.body;
    assert_eq!(body["document_type"], "ordonnance");
    assert_eq!(body["requested_type"], "carte_tiers_payant");
    assert_eq!(body["detected_type"], "ordonnance");
    assert!(
        answer
            .text
            .starts_with("Vous parliez d'une carte de tiers payant")
    );

    let rpps = check(body, "prescripteur.rpps");
    assert_eq!(rpps["status"], "invalid");
    assert_eq!(rpps["problem"], "luhn-failed");
    assert_eq!(check(body, "lignes[1].non_substituable")["status"], "valid");
    assert_eq!(check(body, "lignes[1].renouvellements")["status"], "valid");
    assert_eq!(missing(body), Vec::<String>::new());
}

#[test]
fn ordonnance_mentions_and_zones() {
    let text = "Dr Paul MARTIN, Cardiologue\n\
                RPPS : 10000000009   FINESS 750712184\n\
                Le 02/01/2025, M. Jean DURAND\n\
                Prescriptions relatives au traitement de l'affection de longue durée\n\
                BISOPROLOL 2,5 mg comprimé : 1 cp le matin  QSP 3 mois, renouvelable 4 fois\n\
                Prescriptions SANS RAPPORT avec l'affection de longue durée\n\
                LÉVOTHYROX 50 µg comprimé : 1 cp le matin  Non substituable\n\
                CRÈME HYDRATANTE 10 % tube : 1 application par jour  NR  3400930000007";
    let prescription = prescription(text);
    assert!(prescription.bizone);
    assert_eq!(prescription.lignes.len(), 3);
    let [bisoprolol, levothyrox, cream] = &prescription.lignes[..] else {
        panic!("three lines: {:?}", prescription.lignes);
    };
    assert_eq!(bisoprolol.zone, ordonnance::Zone::Ald);
    assert_eq!(bisoprolol.dosage.as_deref(), Some("2,5 mg"));
    assert_eq!(levothyrox.zone, ordonnance::Zone::HorsAld);
    assert_eq!(levothyrox.dosage.as_deref(), Some("50 µg"));
    assert_eq!(
        levothyrox.non_substituable,
        Some(ordonnance::NonSubstituable::Unjustified)
    );
    assert!(cream.nr);
    assert_eq!(cream.dosage.as_deref(), Some("10 %"));

    let checks = prescription.checks();
    let find = |field: &str| {
        checks
            .iter()
            .find(|check| check.field == field)
            .unwrap_or_else(|| panic!("no check of {field}: {checks:?}"))
    };
    assert_eq!(find("prescripteur.rpps").verdict, Verdict::Valid);
    assert_eq!(find("prescripteur.finess").verdict, Verdict::Valid);
    // 3 months, then 4 renewals: 15 months, over the 12-month limit.
    assert_eq!(
        find("lignes[0].renouvellements").verdict,
        Verdict::Invalid(Problem::RenewalsBeyondAYear { days: 450 })
    );
    assert_eq!(
        find("lignes[1].non_substituable").verdict,
        Verdict::Invalid(Problem::MissingJustification)
    );
    assert_eq!(find("lignes[2].cip13").verdict, Verdict::Valid);

    let summary = prescription.summary(&Context {
        on: TODAY,
        on_is_today: true,
    });
    let text = summary.join("\n");
    assert!(text.contains("bizone"), "{text}");
    assert!(text.contains("mention NR"), "{text}");
    assert!(text.contains("sans MTE, EFG ni CIF"), "{text}");
    assert!(text.contains("soit environ 450\u{a0}jours"), "{text}");
}

/// Regression: a 7-day antibiotic under « QSP 1 mois, à renouveler 2 fois »
/// was reported as about 90 days of treatment, and « MTE » was reported
/// valid without noting that the medicine itself is not checked.
#[test]
fn ordonnance_short_duration_under_qsp() {
    let prescription = prescription(&shared_text("t2_ordonnance.txt"));

    let text = prescription
        .summary(&Context {
            on: TODAY,
            on_is_today: true,
        })
        .join("\n");
    let checks = prescription.checks();

    assert!(!text.contains("jours de traitement"), "{text}");
    assert!(text.contains("jusqu'à 3\u{a0}fois"), "{text}");
    assert!(
        text.contains("(7 jours) est plus courte que le QSP"),
        "{text}"
    );
    let renewals = checks
        .iter()
        .find(|check| check.field == "lignes[1].renouvellements")
        .expect("a renewal check");
    assert!(
        renewals.value.ends_with("2\u{a0}renouvellements"),
        "{renewals:?}"
    );
    let mention = checks
        .iter()
        .find(|check| check.field == "lignes[1].non_substituable")
        .expect("a non-substituable check");
    let detail = mention.detail.as_deref().unwrap_or_default();
    assert!(detail.contains("ne vérifie pas"), "{detail}");
}

#[test]
fn feuille_de_soins_fields_from_real_text() {
    let form = claim_form(&shared_text("t3_feuille_soins.txt"));
    assert_eq!(form.cerfa.as_deref(), Some("12541*02"));
    assert_eq!(form.praticien.finess.as_deref(), Some("750712184"));
    assert_eq!(form.praticien.nom, None);
    assert_eq!(form.date_actes.len(), 1);
    assert_eq!(form.date_actes[0].date, Date::new(2025, 4, 2));
    assert_eq!(form.actes.len(), 1);
    assert_eq!(form.actes[0].code, "G");
    assert_eq!(
        form.actes[0].nomenclature,
        feuille_soins::Nomenclature::Ngap
    );
    assert_eq!(form.actes[0].montant_cents, Some(3000));
    assert_eq!(form.depassement, Some((None, Some(500))));
    assert_eq!(form.total_paye_cents, Some(3500));
    assert_eq!(form.hopital, Some(false));
    assert_eq!(form.paiement_direct, Some(true));
}

#[test]
fn feuille_de_soins_checks_from_real_text() {
    let answer = analyse(
        &shared_text("t3_feuille_soins.txt"),
        Some("feuille_de_soins"),
    );
    let body = &answer.body;
    assert_eq!(check(body, "praticien.finess")["status"], "valid");
    assert_eq!(check(body, "total_paye_cents")["status"], "valid");
    assert_eq!(
        missing(body),
        vec!["/patient/nom", "/patient/nir", "/praticien/nom"]
    );
    assert!(
        answer.text.contains("consultation de médecin généraliste"),
        "{}",
        answer.text
    );
    assert!(answer.text.contains("envoyez-la"), "{}", answer.text);
}

#[test]
fn feuille_de_soins_ccam_and_wrong_total() {
    let text = "Feuille de soins\n\
                Patient : DURAND Paul   NIR : 1 89 12 75 125 012 82\n\
                Praticien : Dr Anne PETIT   RPPS : 10001234567\n\
                02/04/2025   AANB741   Montant : 41,80 €\n\
                Total payé : 45,00 €";
    let answer = analyse(text, None);
    let body = &answer.body;
    assert_eq!(body["fields"]["actes"][0]["type"], "CCAM");
    assert_eq!(body["fields"]["actes"][0]["code"], "AANB741");
    assert_eq!(body["fields"]["actes"][0]["date"], "2025-04-02");
    assert_eq!(body["fields"]["praticien"]["nom"], "Dr Anne PETIT");
    assert_eq!(check(body, "patient.nir")["status"], "valid");
    assert_eq!(check(body, "praticien.rpps")["problem"], "luhn-failed");
    let total = check(body, "total_paye_cents");
    assert_eq!(total["problem"], "total-mismatch");
    assert!(
        total["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("41,80"),
        "{total}"
    );
}

#[test]
fn attestation_droits_fields_and_checks() {
    let text = "ATTESTATION DE DROITS A L'ASSURANCE MALADIE\n\
                Caisse : CPAM de Paris\n\
                Code organisme : 011751234   Code gestion : 10\n\
                Assuré : DURAND Paul   NIR : 1 89 12 75 125 012 82\n\
                Droits ouverts du 01/01/2025 au 31/12/2025\n\
                Bénéficiaire   Né(e) le   Rang\n\
                DURAND Paul   15/12/1989   01\n\
                DURAND Léa   04/06/2019   02\n\
                Médecin traitant : Dr Anne PETIT\n\
                Exonération du ticket modérateur : ALD 100 % du 01/03/2024 au 28/02/2029\n\
                Date d'édition : 02/01/2025";
    let attestation = attestation(text);
    assert_eq!(attestation.code_organisme.as_deref(), Some("011751234"));
    assert_eq!(attestation.caisse.as_deref(), Some("CPAM de Paris"));
    assert_eq!(attestation.code_gestion.as_deref(), Some("10"));
    assert_eq!(attestation.beneficiaires.len(), 2);
    assert_eq!(attestation.beneficiaires[1].rang.as_deref(), Some("02"));
    assert_eq!(
        attestation.medecin_traitant.as_deref(),
        Some("Dr Anne PETIT")
    );
    assert_eq!(attestation.exonerations.len(), 1);
    assert_eq!(attestation.exonerations[0].nature, "ALD");
    assert_eq!(attestation.exonerations[0].taux_pct, Some(100));
    assert_eq!(
        attestation
            .date_edition
            .as_ref()
            .and_then(|found| found.date),
        Date::new(2025, 1, 2)
    );

    let answer = analyse(text, None);
    let body = &answer.body;
    assert_eq!(body["document_type"], "attestation_droits");
    let organisme = check(body, "code_organisme");
    assert_eq!(organisme["status"], "format-only");
    assert_eq!(
        organisme["detail"],
        "régime général, caisse 175, centre 1234"
    );
    assert_eq!(check(body, "assure.nir")["status"], "valid");
    assert_eq!(check(body, "droits")["status"], "valid");
}

#[test]
fn attestation_droits_longer_than_a_year() {
    let text = "Attestation de droits\n\
                Code organisme : 011751234\n\
                Droits ouverts du 01/01/2025 au 31/03/2026\n\
                Date d'édition : 02/01/2025";
    let answer = analyse(text, None);
    assert_eq!(
        check(&answer.body, "droits")["problem"],
        "longer-than-a-year"
    );
}

#[test]
fn accents_text_has_no_document_fields() {
    let text = shared_text("t4_accents.txt");
    let named = analyse(&text, Some("carte_tiers_payant"));
    assert_eq!(named.body["detected_type"], Value::Null);
    assert_eq!(named.body["document_type"], "carte_tiers_payant");
    assert_eq!(named.body["fields"], serde_json::json!({}));
    assert_eq!(missing(&named.body).len(), 8);
    assert!(named.text.contains("aucun des champs"), "{}", named.text);

    let unnamed = analyse(&text, None);
    assert_eq!(unnamed.body["document_type"], Value::Null);
    assert!(
        unnamed
            .text
            .starts_with("Je n'ai pas reconnu le type de ce document"),
        "{}",
        unnamed.text
    );
}

#[test]
fn guide_without_text_lists_fields() {
    let answer = analyze(&slots(&[(TYPE_SLOT, "ordonnance")]), TODAY).expect("an answer");
    assert_eq!(answer.body["text_read"], false);
    for field in expected_fields(DocumentType::Ordonnance) {
        assert!(
            answer.text.contains(field.label),
            "{}: {}",
            field.label,
            answer.text
        );
    }
    assert!(answer.text.contains("--file"), "{}", answer.text);
    assert!(answer.text.contains("n'est pas encore"), "{}", answer.text);

    let any = analyze(&[], TODAY).expect("an answer");
    for kind in detect::ALL {
        assert!(
            any.text.contains(kind.french_with_article()),
            "{}",
            any.text
        );
    }
    assert_eq!(any.body["reads"].as_array().map(Vec::len), Some(4));
}

#[test]
fn invalid_slot_and_long_text_are_errors() {
    let error = analyze(&slots(&[(TYPE_SLOT, "passeport")]), TODAY).expect_err("an error");
    assert_eq!(error.code(), "invalid-slot");
    assert!(error.to_string().contains("passeport"), "{error}");

    let long = "A".repeat(MAX_TEXT_BYTES + 1);
    let error = analyze(&slots(&[(TEXT_SLOT, &long)]), TODAY).expect_err("an error");
    assert_eq!(error.code(), "text-too-long");
}
