//! Tests of [`answer`] against an in-memory source shaped like the BDPM
//! records of January 2026.

use crate::*;

/// An in-memory `bdpm` source: search by shared word, lookups by CIS.
struct Memory {
    medicines: Vec<MedicineRecord>,
    groups: Vec<GenericGroupRecord>,
    imported: bool,
}

impl MedicineSource for Memory {
    fn search(&self, text: &str, limit: i64) -> Result<Vec<MedicineRecord>, SourceError> {
        let first = text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let prefix = first.get(..4).unwrap_or(&first).to_owned();
        Ok(self
            .medicines
            .iter()
            .filter(|medicine| medicine.name.to_lowercase().contains(&prefix))
            .take(limit as usize)
            .cloned()
            .collect())
    }

    fn medicine(&self, cis: &str) -> Result<Option<MedicineRecord>, SourceError> {
        Ok(self
            .medicines
            .iter()
            .find(|medicine| medicine.cis == cis)
            .cloned())
    }

    fn generics(&self, cis: &str) -> Result<Vec<GenericGroupRecord>, SourceError> {
        Ok(self
            .groups
            .iter()
            .filter(|group| group.members.iter().any(|member| member.cis == cis))
            .cloned()
            .collect())
    }

    fn snapshot_date(&self) -> Result<SnapshotDate, SourceError> {
        if !self.imported {
            return Err(SourceError {
                code: NO_SNAPSHOT.to_owned(),
                message: "no BDPM data has been imported yet".to_owned(),
            });
        }
        Ok(SnapshotDate {
            year: 2026,
            month: 1,
            day: 28,
        })
    }
}

fn priced_box(cip13: &str, units: u32, price: i64, public: i64) -> BoxRecord {
    BoxRecord {
        cip13: cip13.to_owned(),
        label: format!("plaquette(s) PVC aluminium de {units} comprimé(s)"),
        marketed: true,
        price_cents: Some(price),
        public_price_cents: Some(public),
        rate_percent: Some(65),
    }
}

fn medicine(cis: &str, name: &str, boxes: Vec<BoxRecord>) -> MedicineRecord {
    MedicineRecord {
        cis: cis.to_owned(),
        name: name.to_owned(),
        form: "comprimé sécable".to_owned(),
        routes: vec!["orale".to_owned()],
        authorisation_status: "Autorisation active".to_owned(),
        marketed: true,
        holders: vec![" MERCK SANTE".to_owned()],
        reinforced_monitoring: false,
        boxes,
    }
}

fn memory() -> Memory {
    let princeps = medicine(
        "62080626",
        "LEVOTHYROX 75 microgrammes, comprimé sécable",
        vec![priced_box("3400930000075", 30, 153, 255)],
    );
    let generic = medicine(
        "69999901",
        "LEVOTHYROXINE BIOGARAN 75 microgrammes, comprimé sécable",
        vec![priced_box("3400930000076", 30, 120, 222)],
    );
    let unpriced = MedicineRecord {
        marketed: false,
        boxes: Vec::new(),
        ..medicine(
            "69999902",
            "LEVOTHYROXINE ARROW 75 microgrammes, comprimé sécable",
            Vec::new(),
        )
    };
    let other_strength = medicine(
        "68283252",
        "LEVOTHYROX 175 microgrammes, comprimé sécable",
        vec![priced_box("3400930000175", 30, 160, 262)],
    );
    let doliprane = MedicineRecord {
        form: "comprimé".to_owned(),
        holders: vec![" OPELLA HEALTHCARE FRANCE".to_owned()],
        ..medicine(
            "60234100",
            "DOLIPRANE 1000 mg, comprimé",
            vec![priced_box("3400935955838", 8, 107, 209)],
        )
    };
    let doliprane_gelule = MedicineRecord {
        form: "gélule".to_owned(),
        ..medicine(
            "69309629",
            "DOLIPRANE 1000 mg, gélule",
            vec![priced_box("3400936403321", 8, 107, 209)],
        )
    };

    let member = |found: &MedicineRecord, role: Role, rank: u32| GroupMember {
        cis: found.cis.clone(),
        role,
        rank,
        medicine: Some(found.clone()),
    };
    let group = GenericGroupRecord {
        id: "789".to_owned(),
        label:
            "LEVOTHYROXINE SODIQUE 75 microgrammes - LEVOTHYROX 75 microgrammes, comprimé sécable."
                .to_owned(),
        members: vec![
            member(&princeps, Role::Princeps, 1),
            member(&unpriced, Role::Generic, 2),
            member(&generic, Role::Generic, 3),
            GroupMember {
                cis: "61111111".to_owned(),
                role: Role::Generic,
                rank: 4,
                medicine: None,
            },
        ],
    };

    Memory {
        medicines: vec![
            princeps,
            other_strength,
            generic,
            unpriced,
            doliprane,
            doliprane_gelule,
        ],
        groups: vec![group],
        imported: true,
    }
}

fn ask(source: &Memory, question: &str, slots: &[(&str, &str)]) -> Result<Answer, AnswerError> {
    let slots: Vec<(String, String)> = slots
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    answer(
        &IntentInput {
            intent: INTENT,
            slots: &slots,
            question,
        },
        source,
    )
}

#[test]
fn generics_question_lists_cheapest_first() {
    let answer = ask(
        &memory(),
        "Quels sont les génériques du Levothyrox 75 ?",
        &[("medication", "levothyrox"), ("dosage", "75 µg")],
    )
    .expect("answer");
    let text = &answer.text;

    assert!(
        text.starts_with("LEVOTHYROX 75 microgrammes, comprimé sécable (CIS 62080626)\nGroupe générique n°\u{a0}789"),
        "{text}"
    );
    let generic = text.find("LEVOTHYROXINE BIOGARAN").expect("generic listed");
    let princeps = text
        .find("(CIS 62080626), princeps (médicament de référence), le médicament demandé")
        .expect("princeps listed");
    let unpriced = text.find("LEVOTHYROXINE ARROW").expect("unpriced listed");
    assert!(generic < princeps, "the generic is cheaper: {text}");
    assert!(
        princeps < unpriced,
        "members without a price come last: {text}"
    );
    assert!(text.contains("à partir de 2,22\u{a0}€"), "{text}");
    assert!(
        text.contains("1 autre médicament du groupe ne figure plus dans la BDPM."),
        "{text}"
    );
    assert!(
        text.contains("2,55\u{a0}€ dont 1,02\u{a0}€ d'honoraires de dispensation"),
        "{text}"
    );
    assert!(text.contains("Titulaire\u{a0}: MERCK SANTE."), "{text}");
    assert!(
        text.contains(
            "Source\u{a0}: base de données publique des médicaments (ANSM), données du 28/01/2026."
        ),
        "{text}"
    );

    assert_eq!(answer.body["status"], "found");
    assert_eq!(answer.body["medicine"]["cis"], "62080626");
    let members = answer.body["generic_groups"][0]["members"]
        .as_array()
        .expect("members");
    assert_eq!(members[0]["cis"], "69999901");
    assert_eq!(members[0]["cheapest_public_price_cents"], 222);
    assert_eq!(answer.citations.len(), 1);
    assert_eq!(
        answer.citations[0].url.as_deref(),
        Some("https://base-donnees-publique.medicaments.gouv.fr/extrait.php?specid=62080626")
    );
    assert_eq!(
        answer.citations[0].date,
        Some(SnapshotDate {
            year: 2026,
            month: 1,
            day: 28
        })
    );
}

#[test]
fn plain_question_gives_identity_first() {
    let answer = ask(
        &memory(),
        "Qu'est-ce que le Doliprane 1000 mg comprimé ?",
        &[("medication", "doliprane"), ("dosage", "1000 mg")],
    )
    .expect("answer");
    let text = &answer.text;
    assert!(
        text.starts_with(
            "DOLIPRANE 1000 mg, comprimé (CIS 60234100)\nForme\u{a0}: comprimé\u{a0}; voie orale.\n\
             Autorisation de mise sur le marché\u{a0}: autorisation active\u{a0}; médicament commercialisé.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("Surveillance renforcée\u{a0}: non."),
        "{text}"
    );
    assert!(
        text.contains("il n'a pas de générique répertorié"),
        "{text}"
    );
}

#[test]
fn several_matches_list_and_say_how_to_choose() {
    let answer = ask(
        &memory(),
        "Quels sont les génériques du Doliprane ?",
        &[("medication", "doliprane")],
    )
    .expect("answer");
    let text = &answer.text;
    assert!(
        text.starts_with(
            "2 médicaments correspondent à «\u{a0}doliprane\u{a0}» dans la BDPM\u{a0}:\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("1. DOLIPRANE 1000 mg, comprimé (CIS 60234100), commercialisé, à partir de 2,09\u{a0}€ la boîte, sans générique répertorié"),
        "{text}"
    );
    assert!(
        text.contains("Aucun de ces médicaments n'appartient à un groupe générique"),
        "{text}"
    );
    assert!(text.contains("précisez le dosage et la forme"), "{text}");
    assert_eq!(answer.body["status"], "several");
    assert_eq!(answer.body["candidates"].as_array().map(Vec::len), Some(2));
}

#[test]
fn unavailable_topic_points_to_the_page() {
    let answer = ask(
        &memory(),
        "Le Levothyrox 75 est-il en rupture ?",
        &[("medication", "levothyrox"), ("dosage", "75 µg")],
    )
    .expect("answer");
    let second_line = answer.text.lines().nth(1).expect("a second line");
    assert!(
        second_line.starts_with(
            "Pour les ruptures et tensions d'approvisionnement, consultez la fiche du médicament"
        ),
        "{second_line}"
    );
    assert!(
        second_line.contains("extrait.php?specid=62080626"),
        "{second_line}"
    );
}

#[test]
fn unknown_name_suggests_near_names() {
    let answer = ask(
        &memory(),
        "Qu'est-ce que le Levotirox ?",
        &[("medication", "levotirox")],
    )
    .expect("answer");
    assert!(
        answer.text.starts_with(
            "Je ne trouve aucun médicament nommé «\u{a0}levotirox\u{a0}» dans la base de données publique des médicaments.\n\
             Noms proches\u{a0}: LEVOTHYROX 75 microgrammes, comprimé sécable\u{a0}; LEVOTHYROX 175"
        ),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["status"], "not-found");
}

#[test]
fn unknown_strength_lists_published_ones() {
    let answer = ask(
        &memory(),
        "Le Levothyrox 80 ?",
        &[("medication", "levothyrox"), ("dosage", "80 µg")],
    )
    .expect("answer");
    assert!(
        answer.text.starts_with(
            "La BDPM connaît «\u{a0}levothyrox\u{a0}», mais pas au dosage de 80\u{a0}µg.\n\
             Dosages publiés\u{a0}: 75\u{a0}µg, 175\u{a0}µg.\n"
        ),
        "{}",
        answer.text
    );
}

#[test]
fn cis_slot_reads_one_medicine() {
    let source = memory();
    let answer = ask(&source, "CIS 60234100 ?", &[("cis", "60234100")]).expect("answer");
    assert_eq!(
        answer.body["medicine"]["name"],
        "DOLIPRANE 1000 mg, comprimé"
    );

    let answer = ask(&source, "CIS 61234567 ?", &[("cis", "61234567")]).expect("answer");
    assert!(
        answer
            .text
            .starts_with("Aucun médicament ne porte le code CIS 61234567"),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["status"], "not-found");
}

#[test]
fn empty_store_explains_how_to_install() {
    let source = Memory {
        imported: false,
        ..memory()
    };
    let answer = ask(
        &source,
        "Quels sont les génériques du Doliprane ?",
        &[("medication", "doliprane")],
    )
    .expect("answer");
    assert!(
        answer.text.contains("mediflux data sync bdpm"),
        "{}",
        answer.text
    );
    assert!(
        answer.text.contains("mediflux data import bdpm <dossier>"),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["status"], "no-data");
    assert!(answer.citations.is_empty());
}

#[test]
fn missing_name_asks_for_one() {
    let answer = ask(&memory(), "Quels sont les génériques ?", &[]).expect("answer");
    assert!(
        answer.text.starts_with("De quel médicament s'agit-il"),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["status"], "missing-name");
}

#[test]
fn other_intent_is_rejected() {
    let slots: Vec<(String, String)> = Vec::new();
    let error = answer(
        &IntentInput {
            intent: "cost.medication",
            slots: &slots,
            question: "Combien coûte le Doliprane ?",
        },
        &memory(),
    )
    .expect_err("another intent");
    assert_eq!(error.code(), "unknown-intent");
    assert!(error.to_string().contains("cost.medication"), "{error}");
}

#[test]
fn source_failure_keeps_its_code() {
    struct Broken;
    impl MedicineSource for Broken {
        fn search(&self, _: &str, _: i64) -> Result<Vec<MedicineRecord>, SourceError> {
            Err(SourceError {
                code: "storage-failed".to_owned(),
                message: "disk error".to_owned(),
            })
        }
        fn medicine(&self, _: &str) -> Result<Option<MedicineRecord>, SourceError> {
            Ok(None)
        }
        fn generics(&self, _: &str) -> Result<Vec<GenericGroupRecord>, SourceError> {
            Ok(Vec::new())
        }
        fn snapshot_date(&self) -> Result<SnapshotDate, SourceError> {
            Ok(SnapshotDate {
                year: 2026,
                month: 1,
                day: 28,
            })
        }
    }
    let slots = vec![("medication".to_owned(), "doliprane".to_owned())];
    let error = answer(
        &IntentInput {
            intent: INTENT,
            slots: &slots,
            question: "Doliprane ?",
        },
        &Broken,
    )
    .expect_err("the source failed");
    assert_eq!(error.code(), "storage-failed");
}
