//! Practitioners of the Annuaire Santé in the store: the real files next to
//! the repository parsed by the `annuaire` plugin's parser, then written,
//! looked up and searched by specialty and place.

use std::path::Path;

use chrono::NaiveDate;
use mediflux_plugin_annuaire::import;
use mediflux_refdata::{
    ANNUAIRE_SOURCE, Address, BDPM_SOURCE, MinimumCounts, Place, Practitioner, PractitionerQuery,
    RefDataError, RefStore, StoreRecord,
};

/// RPPS number of the cardiologist of the synthetic v2 Bundle.
const SAUCIER_RPPS: &str = "10003461033";

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
fn real_records() -> Vec<StoreRecord> {
    import(&real_files())
        .practitioners
        .into_iter()
        .map(|record| {
            StoreRecord::Practitioner(Practitioner {
                id: record.id,
                family_name: record.family_name,
                given_name: record.given_name,
                profession: record.profession,
                specialty: record.specialty,
                sector: None,
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
        })
        .collect()
}

/// Builds a made-up practitioner with one address per `(postcode, city)`.
fn made_up(id: &str, specialty: &str, places: &[(&str, &str)]) -> StoreRecord {
    StoreRecord::Practitioner(Practitioner {
        id: id.to_owned(),
        family_name: format!("Nom{id}"),
        given_name: "Camille".to_owned(),
        profession: "10".to_owned(),
        specialty: Some(specialty.to_owned()),
        sector: None,
        addresses: places
            .iter()
            .map(|(postcode, city)| Address {
                line: String::new(),
                postcode: (*postcode).to_owned(),
                city: (*city).to_owned(),
            })
            .collect(),
    })
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).expect("valid date")
}

/// Imports `records` as the Annuaire Santé snapshot of a store in `dir`.
fn store_with(dir: &Path, records: Vec<StoreRecord>) -> RefStore {
    let store = RefStore::open(dir).expect("store opened");
    let mut writer = store
        .begin_import(ANNUAIRE_SOURCE, date())
        .expect("import started");
    writer.write(records).expect("records written");
    writer
        .commit(MinimumCounts::default())
        .expect("snapshot committed");
    store
}

fn query(specialties: &[&str], place: Option<&str>) -> PractitionerQuery {
    PractitionerQuery {
        professions: vec!["10".to_owned()],
        specialties: specialties.iter().map(|code| (*code).to_owned()).collect(),
        place: place.map(|text| Place::parse(text).expect("a valid place")),
    }
}

fn found_ids(store: &RefStore, query: &PractitionerQuery) -> Vec<String> {
    store
        .search_practitioners(ANNUAIRE_SOURCE, query, 10)
        .expect("search succeeds")
        .into_iter()
        .map(|practitioner| practitioner.id)
        .collect()
}

#[test]
fn real_files_give_cardiologist_by_rpps() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = store_with(dir.path(), real_records());

    let saucier = store
        .practitioner(ANNUAIRE_SOURCE, SAUCIER_RPPS)
        .expect("lookup succeeds")
        .expect("the synthetic cardiologist is stored");

    assert_eq!(saucier.family_name, "Saucier");
    assert_eq!(saucier.given_name, "Arthur");
    assert_eq!(saucier.profession, "10");
    assert_eq!(saucier.specialty.as_deref(), Some("SM04"));
    assert_eq!(saucier.sector, None);
    assert_eq!(
        saucier.addresses,
        [Address {
            line: "96 R DIDOT".to_owned(),
            postcode: "75014".to_owned(),
            city: "PARIS".to_owned(),
        }]
    );
    let snapshot = store
        .current_snapshot(ANNUAIRE_SOURCE)
        .expect("snapshot read")
        .expect("a snapshot in service");
    assert_eq!(snapshot.counts.practitioners, 1);
    assert_eq!(snapshot.imported_at, date());
}

#[test]
fn real_cardiologist_found_by_every_place_form() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = store_with(dir.path(), real_records());
    let cardiology = ["SM04", "SM73"];

    for place in [
        "Paris",
        "PARIS",
        "75014",
        "Paris 14e",
        "75",
        "Paris 14e arrondissement",
    ] {
        assert_eq!(
            found_ids(&store, &query(&cardiology, Some(place))),
            [SAUCIER_RPPS],
            "{place}"
        );
    }
    for place in ["Paris 15e", "75015", "Lyon", "69", "Gironde"] {
        assert!(
            found_ids(&store, &query(&cardiology, Some(place))).is_empty(),
            "{place}"
        );
    }
}

#[test]
fn specialty_filter_excludes_others() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = store_with(dir.path(), real_records());

    assert!(found_ids(&store, &query(&["SM15"], Some("Paris"))).is_empty());
    assert_eq!(
        found_ids(&store, &query(&[], Some("Paris"))),
        [SAUCIER_RPPS]
    );
    let pharmacists = PractitionerQuery {
        professions: vec!["21".to_owned()],
        specialties: Vec::new(),
        place: None,
    };
    assert!(found_ids(&store, &pharmacists).is_empty());
}

#[test]
fn matching_address_comes_first() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = store_with(
        dir.path(),
        vec![made_up(
            "10000000001",
            "SM15",
            &[("69003", "LYON"), ("42000", "SAINT-ETIENNE")],
        )],
    );

    let found = store
        .search_practitioners(
            ANNUAIRE_SOURCE,
            &query(&["SM15"], Some("Saint-Étienne")),
            10,
        )
        .expect("search succeeds");

    assert_eq!(found.len(), 1);
    assert_eq!(found[0].addresses[0].postcode, "42000");
    assert_eq!(found[0].addresses[1].postcode, "69003");
}

#[test]
fn results_ordered_and_limited() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let records = (1..=5)
        .rev()
        .map(|number| made_up(&format!("1000000000{number}"), "SM15", &[("69003", "LYON")]))
        .collect();
    let store = store_with(dir.path(), records);

    let found = store
        .search_practitioners(ANNUAIRE_SOURCE, &query(&["SM15"], Some("Lyon 3e")), 3)
        .expect("search succeeds");

    let names: Vec<&str> = found.iter().map(|p| p.family_name.as_str()).collect();
    assert_eq!(
        names,
        ["Nom10000000001", "Nom10000000002", "Nom10000000003"]
    );
}

#[test]
fn invalid_records_are_rejected() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = RefStore::open(dir.path()).expect("store opened");
    let valid = || match made_up("10000000001", "SM15", &[("69003", "LYON")]) {
        StoreRecord::Practitioner(practitioner) => practitioner,
        _ => unreachable!("made_up builds practitioners"),
    };
    let cases: Vec<(&str, Practitioner)> = vec![
        (
            "identifier",
            Practitioner {
                id: "1000 0001".to_owned(),
                ..valid()
            },
        ),
        (
            "family name",
            Practitioner {
                family_name: " ".to_owned(),
                ..valid()
            },
        ),
        (
            "profession",
            Practitioner {
                profession: String::new(),
                ..valid()
            },
        ),
        (
            "sector",
            Practitioner {
                sector: Some("2".to_owned()),
                ..valid()
            },
        ),
        (
            "postcode",
            Practitioner {
                addresses: vec![Address {
                    line: String::new(),
                    postcode: "6900".to_owned(),
                    city: "LYON".to_owned(),
                }],
                ..valid()
            },
        ),
    ];

    for (field, practitioner) in cases {
        let mut writer = store
            .begin_import(ANNUAIRE_SOURCE, date())
            .expect("import started");
        let error = writer
            .write(vec![StoreRecord::Practitioner(practitioner)])
            .expect_err(field);
        assert!(
            matches!(&error, RefDataError::InvalidRecord { kind: "practitioner", problem, .. } if problem.contains(field)),
            "{field}: {error}"
        );
    }
    assert!(
        store
            .current_snapshot(ANNUAIRE_SOURCE)
            .expect("snapshot read")
            .is_none()
    );
}

#[test]
fn duplicate_rpps_is_rejected() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = RefStore::open(dir.path()).expect("store opened");
    let mut writer = store
        .begin_import(ANNUAIRE_SOURCE, date())
        .expect("import started");

    let error = writer
        .write(vec![
            made_up("10000000001", "SM15", &[]),
            made_up("10000000001", "SM04", &[]),
        ])
        .expect_err("the same RPPS twice");

    assert!(
        matches!(&error, RefDataError::DuplicateRecord { kind: "practitioner", key, .. } if key == "10000000001"),
        "{error}"
    );
}

#[test]
fn new_import_replaces_practitioners() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = store_with(dir.path(), real_records());

    let mut writer = store
        .begin_import(ANNUAIRE_SOURCE, date().succ_opt().expect("a next day"))
        .expect("import started");
    writer
        .write(vec![made_up("10000000009", "SM04", &[("75015", "PARIS")])])
        .expect("records written");
    writer
        .commit(MinimumCounts::default())
        .expect("snapshot committed");

    assert_eq!(
        found_ids(&store, &query(&["SM04"], Some("Paris"))),
        ["10000000009"]
    );
    assert!(
        store
            .practitioner(ANNUAIRE_SOURCE, SAUCIER_RPPS)
            .expect("lookup succeeds")
            .is_none()
    );
}

#[test]
fn sources_are_kept_apart() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = store_with(dir.path(), real_records());

    assert!(
        store
            .practitioner(BDPM_SOURCE, SAUCIER_RPPS)
            .expect("lookup succeeds")
            .is_none()
    );
    assert!(
        store
            .medicine("60234100")
            .expect("lookup succeeds")
            .is_none()
    );
}
