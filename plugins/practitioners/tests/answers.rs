//! The `practitioner.search` answer on the real pipeline: the Annuaire Santé
//! files next to the repository parsed by the `annuaire` plugin's parser,
//! stored and searched by the reference store, and the embedded rule sets.

use std::path::Path;

use chrono::NaiveDate;
use mediflux_plugin_annuaire::import;
use mediflux_plugin_practitioners::{
    Address, Answer, Date, Directory, DirectoryError, Practitioner, Request, RuleAmount, RuleFact,
    RuleSource, Search, answer,
};
use mediflux_refdata::{
    ANNUAIRE_SOURCE, MinimumCounts, Place, PractitionerQuery, RefDataError, RefStore, StoreRecord,
};

/// Date given to the import of the test files.
const IMPORTED_AT: (i32, u32, u32) = (2026, 7, 1);

/// The reference store as the host's `annuaire` source reads it.
struct StoreDirectory(RefStore);

impl Directory for StoreDirectory {
    fn imported_at(&self) -> Result<Date, DirectoryError> {
        let snapshot = self
            .0
            .current_snapshot(ANNUAIRE_SOURCE)
            .map_err(failed)?
            .ok_or(DirectoryError::NoData)?;
        Ok(Date::parse(&snapshot.imported_at.to_string()).expect("a valid snapshot date"))
    }

    fn search(&self, search: &Search<'_>) -> Result<Vec<Practitioner>, DirectoryError> {
        let place = match search.place.map(Place::parse).transpose() {
            Ok(place) => place,
            Err(error) => return Err(DirectoryError::InvalidPlace(error.to_string())),
        };
        let query = PractitionerQuery {
            professions: search
                .professions
                .iter()
                .map(|code| (*code).to_owned())
                .collect(),
            specialties: search
                .specialties
                .iter()
                .map(|code| (*code).to_owned())
                .collect(),
            place,
        };
        let found = self
            .0
            .search_practitioners(ANNUAIRE_SOURCE, &query, search.limit as usize)
            .map_err(failed)?;
        Ok(found
            .into_iter()
            .map(|record| Practitioner {
                id: record.id,
                family_name: record.family_name,
                given_name: record.given_name,
                profession: record.profession,
                specialty: record.specialty,
                sector: record.sector,
                addresses: record
                    .addresses
                    .into_iter()
                    .map(|address| Address {
                        line: address.line,
                        postcode: address.postcode,
                        city: address.city,
                    })
                    .collect(),
            })
            .collect())
    }
}

fn failed(error: RefDataError) -> DirectoryError {
    DirectoryError::Failed {
        code: "storage-failed".to_owned(),
        message: error.to_string(),
    }
}

/// The embedded rule sets, as the host serves them.
struct EmbeddedRules(mediflux_rules::Rules);

impl EmbeddedRules {
    fn load() -> Self {
        Self(mediflux_rules::Rules::embedded().expect("the embedded rule sets load"))
    }

    /// Returns a rule value at `date` as the rules crate gives it.
    fn raw(&self, name: &str, date: Date) -> mediflux_rules::ValueAt {
        let date: mediflux_rules::Date = date.to_string().parse().expect("a valid date");
        self.0.value_at(name, date).expect("the rule exists")
    }
}

impl RuleSource for EmbeddedRules {
    fn value_at(&self, name: &str, date: Date) -> Result<RuleFact, String> {
        let rules_date: mediflux_rules::Date = date
            .to_string()
            .parse()
            .map_err(|error| format!("{error}"))?;
        let found = self
            .0
            .value_at(name, rules_date)
            .map_err(|error| error.to_string())?;
        let to_confirm = found.is_to_confirm();
        let value = match found.value {
            mediflux_rules::Value::Cents(cents) => RuleAmount::Cents(cents),
            mediflux_rules::Value::BasisPoints(points) => RuleAmount::BasisPoints(points),
            mediflux_rules::Value::Flag(flag) => RuleAmount::Flag(flag),
            _ => RuleAmount::Other,
        };
        Ok(RuleFact {
            value,
            source_title: found.source.title,
            to_confirm,
        })
    }
}

/// Reads the real Annuaire Santé files: every v1 sample and the synthetic
/// v2 Bundle.
fn real_files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/annuaire");
    assert!(
        root.is_dir(),
        "missing Annuaire Santé data folder {}: the tests need the real files next to the repository",
        root.display()
    );
    let mut files = Vec::new();
    for folder in ["ans-doc-samples-v1", "synthetic"] {
        for entry in std::fs::read_dir(root.join(folder)).expect("list the data folder") {
            let path = entry.expect("a directory entry").path();
            let name = path
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            files.push((name, std::fs::read(&path).expect("read a data file")));
        }
    }
    files
}

/// Converts the parser's records into the store's input records, as the
/// host does with the plugin's WIT records.
fn store_records(files: &[(String, Vec<u8>)]) -> Vec<StoreRecord> {
    import(files)
        .practitioners
        .into_iter()
        .map(|record| {
            StoreRecord::Practitioner(mediflux_refdata::Practitioner {
                id: record.id,
                family_name: record.family_name,
                given_name: record.given_name,
                profession: record.profession,
                specialty: record.specialty,
                sector: None,
                addresses: record
                    .addresses
                    .into_iter()
                    .map(|address| mediflux_refdata::Address {
                        line: address.line,
                        postcode: address.postcode,
                        city: address.city,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Builds a made-up practitioner, for the cases the real files do not
/// cover.
fn made_up(
    id: &str,
    family_name: &str,
    specialty: &str,
    sector: Option<&str>,
    postcode: &str,
    city: &str,
) -> StoreRecord {
    StoreRecord::Practitioner(mediflux_refdata::Practitioner {
        id: id.to_owned(),
        family_name: family_name.to_owned(),
        given_name: "Camille".to_owned(),
        profession: "10".to_owned(),
        specialty: Some(specialty.to_owned()),
        sector: sector.map(str::to_owned),
        addresses: vec![mediflux_refdata::Address {
            line: "1 RUE DE LA REPUBLIQUE".to_owned(),
            postcode: postcode.to_owned(),
            city: city.to_owned(),
        }],
    })
}

/// Opens a store in `dir` holding `records` as the Annuaire Santé snapshot.
fn store_with(dir: &Path, records: Vec<StoreRecord>) -> StoreDirectory {
    let store = RefStore::open(dir).expect("store opened");
    let (year, month, day) = IMPORTED_AT;
    let date = NaiveDate::from_ymd_opt(year, month, day).expect("valid date");
    let mut writer = store
        .begin_import(ANNUAIRE_SOURCE, date)
        .expect("import started");
    writer.write(records).expect("records written");
    writer
        .commit(MinimumCounts::default())
        .expect("snapshot committed");
    StoreDirectory(store)
}

fn care_date() -> Date {
    Date::new(2026, 3, 2).expect("valid date")
}

fn ask(directory: &StoreDirectory, slots: &[(&str, &str)], profile: &[(&str, &str)]) -> Answer {
    let slots: Vec<(String, String)> = slots
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    let profile: Vec<(String, String)> = profile
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    let request = Request {
        slots: &slots,
        profile: &profile,
        date_of_care: care_date(),
    };
    answer(&request, directory, &EmbeddedRules::load()).expect("an answer")
}

#[test]
fn cardiologist_in_paris_from_real_files() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(dir.path(), store_records(&real_files()));

    let answer = ask(
        &directory,
        &[("specialty", "cardiologue"), ("location", "Paris")],
        &[],
    );

    assert!(
        answer.text.contains("J'ai trouvé 1 cardiologue"),
        "{}",
        answer.text
    );
    assert!(
        answer
            .text
            .contains("- Arthur Saucier, cardiologue\u{a0}: 96 R DIDOT, 75014 PARIS"),
        "{}",
        answer.text
    );
    assert!(
        answer.text.contains(
            "- Annuaire Santé (Agence du Numérique en Santé), données importées le 01/07/2026"
        ),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["status"], "found");
    assert_eq!(answer.body["practitioners"][0]["id"], "10003461033");
    assert_eq!(answer.citations[0].date, Date::new(2026, 7, 1));
}

#[test]
fn arrondissement_without_match_widens_to_departement() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(dir.path(), store_records(&real_files()));

    let answer = ask(
        &directory,
        &[("specialty", "cardiologue"), ("location", "Paris 15e")],
        &[],
    );

    assert!(
        answer.text.contains("Je n'ai trouvé aucun cardiologue dans l'Annuaire Santé (lieu recherché\u{a0}: Paris 15e)"),
        "{}",
        answer.text
    );
    assert!(
        answer
            .text
            .contains("Dans le département 75, j'en ai trouvé 1\u{a0}:"),
        "{}",
        answer.text
    );
    assert!(answer.text.contains("Arthur Saucier"), "{}", answer.text);
    assert_eq!(answer.body["status"], "found-in-departement");
    assert_eq!(answer.body["widened"]["departement"], "75");
}

#[test]
fn no_match_in_city_suggests_departement() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(dir.path(), store_records(&real_files()));

    let answer = ask(
        &directory,
        &[("specialty", "dermatologue"), ("location", "Lyon")],
        &[],
    );

    assert!(
        answer.text.contains("Je n'ai trouvé aucun dermatologue"),
        "{}",
        answer.text
    );
    assert!(
        answer
            .text
            .contains("Élargissez la recherche au département"),
        "{}",
        answer.text
    );
    assert!(
        answer.text.contains("mediflux data import annuaire"),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["status"], "none");
    assert!(answer.body["widened"].is_null());
}

#[test]
fn empty_store_explains_import() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = StoreDirectory(RefStore::open(dir.path()).expect("store opened"));

    let answer = ask(
        &directory,
        &[("specialty", "cardiologue"), ("location", "Paris")],
        &[],
    );

    assert_eq!(answer.body["status"], "no-data");
    assert!(
        answer
            .text
            .contains("Aucune donnée de l'Annuaire Santé n'est encore installée"),
        "{}",
        answer.text
    );
    assert!(
        answer
            .text
            .contains("mediflux data import annuaire <fichiers…>"),
        "{}",
        answer.text
    );
}

#[test]
fn sector_1_is_explained_from_rules() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(dir.path(), store_records(&real_files()));
    let rules = EmbeddedRules::load();
    let ceiling = rules.raw("secteur.s1.depassement_autorise.plafond", care_date());
    let mediflux_rules::Value::BasisPoints(points) = ceiling.value else {
        panic!("the ceiling is a rate");
    };
    let expected = format!("{},{}\u{a0}%", points / 100, (points % 100) / 10);

    let answer = ask(
        &directory,
        &[
            ("specialty", "cardiologue"),
            ("location", "Paris"),
            ("sector", "1"),
        ],
        &[],
    );

    assert!(answer.text.contains("Arthur Saucier"), "{}", answer.text);
    assert!(
        answer
            .text
            .contains("L'Annuaire Santé n'indique pas le secteur de convention"),
        "{}",
        answer.text
    );
    assert!(
        answer
            .text
            .contains("Ce que le secteur 1 signifie pour le prix"),
        "{}",
        answer.text
    );
    assert!(
        answer.text.contains(&expected),
        "{expected} missing: {}",
        answer.text
    );
    assert!(
        answer
            .citations
            .iter()
            .any(|citation| citation.title == ceiling.source.title),
        "{:?}",
        answer.citations
    );
}

#[test]
fn sector_2_without_optam_gives_reduced_base() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(dir.path(), store_records(&real_files()));
    let rules = EmbeddedRules::load();
    let mediflux_rules::Value::Cents(reduced) =
        rules.raw("secteur.s2_non_optam.tarif", care_date()).value
    else {
        panic!("the reduced base is an amount");
    };
    let expected = format!("{},{:02}\u{a0}€", reduced / 100, reduced % 100);

    let answer = ask(
        &directory,
        &[
            ("specialty", "cardiologue"),
            ("location", "Paris"),
            ("sector", "2 non-OPTAM"),
        ],
        &[],
    );

    assert!(
        answer.text.contains("secteur 2 sans OPTAM"),
        "{}",
        answer.text
    );
    assert!(
        answer.text.contains(&expected),
        "{expected} missing: {}",
        answer.text
    );
    assert!(
        !answer.text.contains("Secteur 2 avec OPTAM"),
        "{}",
        answer.text
    );
}

#[test]
fn known_sector_filters_and_is_shown() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(
        dir.path(),
        vec![
            made_up("10000000011", "Aubert", "SM15", Some("1"), "69003", "LYON"),
            made_up(
                "10000000012",
                "Blanc",
                "SM15",
                Some("2 OPTAM"),
                "69006",
                "LYON",
            ),
            made_up("10000000013", "Colin", "SM15", None, "69002", "LYON"),
        ],
    );

    let answer = ask(
        &directory,
        &[
            ("specialty", "dermatologue"),
            ("location", "Lyon"),
            ("sector", "1"),
        ],
        &[],
    );

    assert!(
        answer.text.contains("J'ai trouvé 2 dermatologues"),
        "{}",
        answer.text
    );
    assert!(
        answer
            .text
            .contains("Camille Aubert, dermatologue, secteur 1\u{a0}:"),
        "{}",
        answer.text
    );
    assert!(
        answer.text.contains("Camille Colin, dermatologue\u{a0}:"),
        "{}",
        answer.text
    );
    assert!(!answer.text.contains("Blanc"), "{}", answer.text);
}

#[test]
fn profile_place_is_used_without_location() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(
        dir.path(),
        vec![
            made_up("10000000021", "Durand", "SM54", None, "69003", "LYON"),
            made_up("10000000022", "Petit", "SM54", None, "33000", "BORDEAUX"),
        ],
    );

    let answer = ask(
        &directory,
        &[("specialty", "generaliste")],
        &[(
            "location",
            r#"{"postcode": "69003", "city": "Lyon", "departement": "69"}"#,
        )],
    );

    assert!(
        answer.text.contains("lieu de votre profil\u{a0}: 69003"),
        "{}",
        answer.text
    );
    assert!(answer.text.contains("Camille Durand"), "{}", answer.text);
    assert!(!answer.text.contains("Petit"), "{}", answer.text);
    assert_eq!(answer.body["place_origin"], "profile");
}

#[test]
fn departement_name_finds_every_commune() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(
        dir.path(),
        vec![
            made_up("10000000031", "Roux", "SM42", None, "69100", "VILLEURBANNE"),
            made_up("10000000032", "Faure", "SM42", None, "69003", "LYON"),
            made_up(
                "10000000033",
                "Girard",
                "SM42",
                None,
                "42000",
                "SAINT ETIENNE",
            ),
        ],
    );

    let answer = ask(
        &directory,
        &[("specialty", "psychiatre"), ("location", "Rhône")],
        &[],
    );

    assert!(
        answer.text.contains("J'ai trouvé 2 psychiatres"),
        "{}",
        answer.text
    );
    assert!(!answer.text.contains("Girard"), "{}", answer.text);
}

#[test]
fn impossible_arrondissement_is_explained() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(dir.path(), store_records(&real_files()));

    let answer = ask(
        &directory,
        &[("specialty", "cardiologue"), ("location", "Lyon 12e")],
        &[],
    );

    assert_eq!(answer.body["status"], "invalid-place");
    assert!(
        answer
            .text
            .contains("Je ne reconnais pas le lieu «\u{a0}Lyon 12e\u{a0}»"),
        "{}",
        answer.text
    );
}

#[test]
fn unmapped_and_missing_specialties_get_guidance() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(dir.path(), store_records(&real_files()));

    let rheumatology = ask(
        &directory,
        &[("specialty", "rhumatologue"), ("location", "Paris")],
        &[],
    );
    let unnamed = ask(
        &directory,
        &[("specialty", "specialiste"), ("location", "Paris")],
        &[],
    );
    let none = ask(&directory, &[("location", "Paris")], &[]);

    assert_eq!(rheumatology.body["status"], "unmapped-specialty");
    assert!(
        rheumatology
            .text
            .contains("Je ne sais pas encore chercher les rhumatologues"),
        "{}",
        rheumatology.text
    );
    assert_eq!(unnamed.body["status"], "unnamed-specialty");
    assert_eq!(none.body["status"], "no-specialty");
}

#[test]
fn midwife_takes_feminine_wording() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let directory = store_with(dir.path(), store_records(&real_files()));

    let answer = ask(
        &directory,
        &[("specialty", "sage-femme"), ("location", "Paris")],
        &[],
    );

    assert!(
        answer.text.contains("Je n'ai trouvé aucune sage-femme"),
        "{}",
        answer.text
    );
}
