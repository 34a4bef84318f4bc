//! Profile creation, partial updates, validation, defaults, resolution and projection.

mod common;

use common::{date, open, sample_contract, sample_update};
use mediflux_memory::{
    Age, AldCondition, Guarantees, MemoryError, MutuelleContract, Patch, Pregnancy, ProfileUpdate,
    PublicCover, Sector, project_profile,
};

#[test]
fn create_then_get_roundtrip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());

    let created = db.create_profile("moi", sample_update()).expect("create");
    let loaded = db.profile(created.id).expect("get");

    assert_eq!(loaded, created);
    assert_eq!(loaded.label, "moi");
    assert!(loaded.is_default, "first profile is the default");
    assert_eq!(loaded.age, Some(Age::BirthDate(date("1985-04-12"))));
    assert_eq!(loaded.mutuelle, Some(sample_contract()));
    assert_eq!(loaded.medecin_traitant, Some(true));
    assert_eq!(loaded.place.departement.as_deref(), Some("69"));
    assert_eq!(loaded.place.city.as_deref(), Some("Lyon"));
}

#[test]
fn update_changes_only_given_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let created = db.create_profile("moi", sample_update()).expect("create");

    let update = ProfileUpdate {
        public_cover: Patch::Set(PublicCover::C2s),
        city: Patch::Clear,
        ald: Some(vec![AldCondition {
            name: "diabète de type 2".to_owned(),
            since: Some(date("2020-01-01")),
            until: None,
        }]),
        sectors: Some(vec![
            Sector::Secteur2Optam,
            Sector::Secteur1,
            Sector::Secteur1,
        ]),
        max_distance_km: Patch::Set(15),
        pregnancy: Patch::Set(Pregnancy {
            start: date("2025-01-10"),
            expected_delivery: date("2025-10-10"),
            delivery: None,
        }),
        ..ProfileUpdate::default()
    };
    let updated = db.update_profile(created.id, update).expect("update");

    assert_eq!(updated.public_cover, Some(PublicCover::C2s));
    assert_eq!(updated.place.city, None);
    assert_eq!(
        updated.place.postcode.as_deref(),
        Some("69003"),
        "postcode kept"
    );
    assert_eq!(updated.mutuelle, created.mutuelle, "mutuelle kept");
    assert_eq!(updated.age, created.age, "age kept");
    assert_eq!(updated.ald.len(), 1);
    assert_eq!(
        updated.preferences.sectors,
        vec![Sector::Secteur1, Sector::Secteur2Optam]
    );
    assert_eq!(updated.preferences.max_distance_km, Some(15));
    assert!(updated.pregnancy.is_some());
    assert_eq!(db.profile(created.id).expect("get"), updated);
}

#[test]
fn update_from_json_request() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let created = db.create_profile("moi", sample_update()).expect("create");

    let update: ProfileUpdate = serde_json::from_str(
        r#"{"mutuelle": null, "age": {"stated": {"years": 7, "recorded_on": "2025-02-01"}}}"#,
    )
    .expect("parse update");
    let updated = db.update_profile(created.id, update).expect("update");

    assert_eq!(updated.mutuelle, None);
    assert_eq!(
        updated.age,
        Some(Age::Stated {
            years: 7,
            recorded_on: date("2025-02-01")
        })
    );
}

#[test]
fn invalid_values_name_field_and_fix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let created = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create");

    let cases: Vec<(ProfileUpdate, &str, &str)> = vec![
        (
            ProfileUpdate {
                postcode: Patch::Set("7501".to_owned()),
                ..ProfileUpdate::default()
            },
            "postcode \"7501\"",
            "five-digit",
        ),
        (
            ProfileUpdate {
                departement: Patch::Set("99".to_owned()),
                ..ProfileUpdate::default()
            },
            "departement \"99\"",
            "2A",
        ),
        (
            ProfileUpdate {
                age: Patch::Set(Age::BirthDate(date("2999-01-01"))),
                ..ProfileUpdate::default()
            },
            "age \"2999-01-01\"",
            "future",
        ),
        (
            ProfileUpdate {
                mutuelle: Patch::Set(MutuelleContract {
                    responsable: true,
                    guarantees: Guarantees {
                        pharmacy_65: Some(5_000),
                        ..Guarantees::default()
                    },
                    ..MutuelleContract::default()
                }),
                ..ProfileUpdate::default()
            },
            "mutuelle.guarantees.pharmacy_65 \"5000\"",
            "responsable to false",
        ),
        (
            ProfileUpdate {
                mutuelle: Patch::Set(MutuelleContract {
                    guarantees: Guarantees {
                        optical: Some(150_000),
                        ..Guarantees::default()
                    },
                    ..MutuelleContract::default()
                }),
                ..ProfileUpdate::default()
            },
            "mutuelle.guarantees.optical \"150000\"",
            "basis points",
        ),
        (
            ProfileUpdate {
                max_distance_km: Patch::Set(0),
                ..ProfileUpdate::default()
            },
            "max_distance_km \"0\"",
            "1 to 1000",
        ),
        (
            ProfileUpdate {
                label: Some("   ".to_owned()),
                ..ProfileUpdate::default()
            },
            "label \"   \"",
            "non-empty",
        ),
        (
            ProfileUpdate {
                pregnancy: Patch::Set(Pregnancy {
                    start: date("2025-05-01"),
                    expected_delivery: date("2025-04-01"),
                    delivery: None,
                }),
                ..ProfileUpdate::default()
            },
            "pregnancy.expected_delivery",
            "after the start",
        ),
        (
            ProfileUpdate {
                postcode: Patch::Set("75011".to_owned()),
                departement: Patch::Set("69".to_owned()),
                ..ProfileUpdate::default()
            },
            "departement \"69\"",
            "belongs to département 75",
        ),
    ];

    for (update, names, fix) in cases {
        let error = db.update_profile(created.id, update).expect_err(names);
        let message = error.to_string();
        assert!(
            matches!(error, MemoryError::InvalidField { .. }),
            "{message}"
        );
        assert!(
            message.contains(names),
            "message {message:?} should name {names}"
        );
        assert!(
            message.contains(fix),
            "message {message:?} should say {fix}"
        );
    }

    let unchanged = db.profile(created.id).expect("get");
    assert_eq!(unchanged, created, "a rejected update writes nothing");
}

#[test]
fn labels_unique_ignoring_case() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    db.create_profile("Léa", ProfileUpdate::default())
        .expect("create Léa");
    let tom = db
        .create_profile("Tom", ProfileUpdate::default())
        .expect("create Tom");

    let duplicate = db.create_profile("tom", ProfileUpdate::default());
    assert!(matches!(duplicate, Err(MemoryError::LabelTaken(_))));

    let rename = db.update_profile(
        tom.id,
        ProfileUpdate {
            label: Some("Léa".to_owned()),
            ..ProfileUpdate::default()
        },
    );
    assert!(matches!(rename, Err(MemoryError::LabelTaken(_))));
}

#[test]
fn resolve_by_label_or_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let me = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create moi");
    let child = db
        .create_profile("Lucas", ProfileUpdate::default())
        .expect("create Lucas");

    assert_eq!(db.resolve_profile(None).expect("default").id, me.id);
    assert_eq!(db.resolve_profile(Some("  ")).expect("blank").id, me.id);
    assert_eq!(
        db.resolve_profile(Some("lucas")).expect("by label").id,
        child.id
    );

    let missing = db.resolve_profile(Some("Zoé")).expect_err("unknown label");
    let message = missing.to_string();
    assert!(message.contains("\"Zoé\""), "{message}");
    assert!(message.contains("moi, Lucas"), "{message}");
}

#[test]
fn set_default_and_delete() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let first = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create moi");
    let second = db
        .create_profile("Lucas", ProfileUpdate::default())
        .expect("create Lucas");
    let third = db
        .create_profile("Zoé", ProfileUpdate::default())
        .expect("create Zoé");
    assert!(!second.is_default);

    db.set_default_profile(third.id).expect("set default");
    assert_eq!(db.default_profile().expect("default").id, third.id);
    let defaults = db
        .profiles()
        .expect("list")
        .iter()
        .filter(|p| p.is_default)
        .count();
    assert_eq!(defaults, 1);

    db.delete_profile(third.id).expect("delete default");
    assert_eq!(
        db.default_profile().expect("new default").id,
        first.id,
        "oldest becomes default"
    );
    let labels: Vec<String> = db
        .profiles()
        .expect("list")
        .into_iter()
        .map(|p| p.label)
        .collect();
    assert_eq!(labels, vec!["moi".to_owned(), "Lucas".to_owned()]);

    assert!(matches!(
        db.profile(third.id),
        Err(MemoryError::ProfileIdNotFound(_))
    ));
    assert!(matches!(
        db.delete_profile(third.id),
        Err(MemoryError::ProfileIdNotFound(_))
    ));
    assert!(matches!(
        db.set_default_profile(999),
        Err(MemoryError::ProfileIdNotFound(999))
    ));
}

#[test]
fn no_default_without_profiles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = open(dir.path());
    assert!(matches!(
        db.resolve_profile(None),
        Err(MemoryError::NoDefaultProfile)
    ));
}

#[test]
fn projection_keeps_granted_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let profile = db.create_profile("moi", sample_update()).expect("create");

    let projected = project_profile(&profile, &["age", "mutuelle", "ald"], date("2025-04-12"))
        .expect("project");

    let keys: Vec<&String> = projected.keys().collect();
    assert_eq!(keys, vec!["age", "ald", "mutuelle"]);
    assert_eq!(projected["age"], serde_json::json!(40));
    assert_eq!(projected["ald"], serde_json::json!([]));
    assert_eq!(
        projected["mutuelle"]["guarantees"]["consultation_optam"],
        serde_json::json!(20_000)
    );
    let text = serde_json::to_string(&projected).expect("serialize");
    assert!(
        !text.contains("1985"),
        "age must not leak the birth date: {text}"
    );
    assert!(!text.contains("69003"), "place not granted: {text}");
}

#[test]
fn projection_rejects_unknown_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let profile = db.create_profile("moi", sample_update()).expect("create");

    let error = project_profile(&profile, &["age", "salary"], date("2025-01-01"))
        .expect_err("unknown field");
    let message = error.to_string();
    assert!(message.contains("\"salary\""), "{message}");
    assert!(message.contains("age, birth_date, mutuelle"), "{message}");
}

#[test]
fn grantable_fields_match_manifest() {
    assert_eq!(
        mediflux_memory::GRANTABLE_FIELDS,
        mediflux_manifest::PROFILE_FIELDS
    );
}

#[test]
fn projection_produces_every_manifest_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let profile = db.create_profile("moi", sample_update()).expect("create");

    let fields = mediflux_manifest::PROFILE_FIELDS;
    let projected = project_profile(&profile, fields, date("2025-04-12")).expect("project");

    for field in fields {
        assert!(projected.contains_key(*field), "{field} not projected");
    }
    assert_eq!(projected.len(), fields.len());
    assert_eq!(projected["birth_date"], serde_json::json!("1985-04-12"));
    assert_eq!(
        projected["location"]["postcode"],
        serde_json::json!("69003")
    );
    assert_eq!(
        projected["location"]["departement"],
        serde_json::json!("69")
    );
    assert_eq!(projected["medecin_traitant"], serde_json::json!(true));
    assert_eq!(projected["pregnancy"], serde_json::Value::Null);
}

#[test]
fn projection_public_cover_as_booleans() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let profile = db.create_profile("moi", sample_update()).expect("create");
    let today = date("2025-04-12");

    let none = project_profile(&profile, &["c2s", "ame"], today).expect("project");
    assert_eq!(none["c2s"], serde_json::json!(false));
    assert_eq!(none["ame"], serde_json::json!(false));

    let cases = [
        (PublicCover::C2s, true, false),
        (PublicCover::Ame, false, true),
    ];
    for (cover, c2s, ame) in cases {
        let update = ProfileUpdate {
            public_cover: Patch::Set(cover),
            ..ProfileUpdate::default()
        };
        let updated = db.update_profile(profile.id, update).expect("update");
        let projected = project_profile(&updated, &["c2s", "ame"], today).expect("project");
        assert_eq!(projected["c2s"], serde_json::json!(c2s), "{cover:?}");
        assert_eq!(projected["ame"], serde_json::json!(ame), "{cover:?}");
    }
}
