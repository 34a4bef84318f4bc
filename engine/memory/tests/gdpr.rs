//! GDPR export and erasure, down to the raw bytes of the database files.

mod common;

use common::{date, open};
use mediflux_memory::rusqlite::Connection;
use mediflux_memory::{
    Age, AldCondition, GuaranteeBasis, Guarantees, LedgerKind, MemoryError, MutuelleContract,
    NewDocument, NewExchange, NewExpense, Patch, Pregnancy, ProfileUpdate, PublicCover, Sector,
};
use serde_json::json;

const MARKER: &str = "ZQXMARKER";

/// Profile update with the marker in every free-text field.
fn marked_update() -> ProfileUpdate {
    ProfileUpdate {
        age: Patch::Set(Age::BirthDate(date("1977-07-07"))),
        mutuelle: Patch::Set(MutuelleContract {
            name: Some(format!("{MARKER} mutuelle")),
            responsable: false,
            basis: GuaranteeBasis::EnSus,
            guarantees: Guarantees {
                dental: Some(30_000),
                ..Guarantees::default()
            },
        }),
        ald: Some(vec![AldCondition {
            name: format!("{MARKER} ald"),
            since: None,
            until: None,
        }]),
        public_cover: Patch::Set(PublicCover::Ame),
        pregnancy: Patch::Set(Pregnancy {
            start: date("2025-01-01"),
            expected_delivery: date("2025-09-30"),
            delivery: None,
        }),
        medecin_traitant: Patch::Set(false),
        postcode: Patch::Set("13001".to_owned()),
        city: Patch::Set(format!("{MARKER} city")),
        sectors: Some(vec![Sector::Secteur1]),
        max_distance_km: Patch::Set(20),
        ..ProfileUpdate::default()
    }
}

/// Creates a marked profile with rows in every table; returns its id.
fn fill_marked_person(db: &mut mediflux_memory::MemoryDb) -> i64 {
    let person = db
        .create_profile(&format!("{MARKER} label"), marked_update())
        .expect("create");

    db.record_expense(
        person.id,
        NewExpense {
            charged_on: date("2025-02-03"),
            kind: LedgerKind::FranchiseMedicine,
            amount_cents: 100,
            label: Some(format!("{MARKER} pharmacy")),
        },
    )
    .expect("expense");

    for index in 0..6 {
        db.record_exchange(
            person.id,
            NewExchange {
                question: format!("{MARKER} question {index}"),
                intent: format!("{MARKER}_intent_{}", index % 2),
                slots: json!({"note": format!("{MARKER} slot {index}")}),
                answer_summary: format!("{MARKER} answer {index}"),
            },
        )
        .expect("exchange");
    }

    db.add_document(
        person.id,
        NewDocument {
            kind: format!("{MARKER} kind"),
            title: format!("{MARKER} title"),
            file_name: Some(format!("{MARKER}.pdf")),
            content_sha256: Some("ab".repeat(32)),
            issued_on: Some(date("2025-01-15")),
            metadata: json!({"prescriber": format!("{MARKER} doctor")}),
        },
    )
    .expect("document");

    person.id
}

fn options_with_small_history() -> mediflux_memory::MemoryOptions {
    mediflux_memory::MemoryOptions {
        history_limit: 2,
        ..Default::default()
    }
}

/// Returns the names of files in `dir` whose bytes contain `needle`.
fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        let bytes = std::fs::read(&path).expect("read file");
        if bytes.windows(needle.len()).any(|window| window == needle) {
            hits.push(path.display().to_string());
        }
    }
    hits
}

#[test]
fn export_contains_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db =
        mediflux_memory::MemoryDb::open(dir.path(), options_with_small_history()).expect("open");
    let person = fill_marked_person(&mut db);
    let other = db
        .create_profile("other", ProfileUpdate::default())
        .expect("other");
    db.record_expense(
        other.id,
        NewExpense {
            charged_on: date("2025-02-03"),
            kind: LedgerKind::FranchiseTransport,
            amount_cents: 400,
            label: None,
        },
    )
    .expect("other expense");

    let export = db.export(person).expect("export");

    assert_eq!(export.profile.id, person);
    assert_eq!(export.ledger.len(), 1, "only this person's ledger");
    assert_eq!(export.exchanges.len(), 2, "raw exchanges kept by the limit");
    assert_eq!(export.exchange_summaries.len(), 2, "one summary per intent");
    let folded: i64 = export
        .exchange_summaries
        .iter()
        .map(|s| s.exchange_count)
        .sum();
    assert_eq!(folded, 4);
    assert_eq!(export.documents.len(), 1);

    let value = db.export_json(person).expect("export json");
    let text = value.to_string();
    for part in [
        "label",
        "mutuelle",
        "ald",
        "city",
        "pharmacy",
        "question 5",
        "answer 3",
        "title",
        "doctor",
    ] {
        assert!(
            text.contains(&format!("{MARKER} {part}")),
            "export lacks {part}"
        );
    }
    let roundtrip: mediflux_memory::PersonExport =
        serde_json::from_value(value).expect("export parses back");
    assert_eq!(roundtrip.profile, export.profile);
}

#[test]
fn erase_leaves_no_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db =
        mediflux_memory::MemoryDb::open(dir.path(), options_with_small_history()).expect("open");
    let keeper = db
        .create_profile("keeper", common::sample_update())
        .expect("keeper");
    let person = fill_marked_person(&mut db);

    let before = files_containing(dir.path(), MARKER.as_bytes());
    assert!(
        !before.is_empty(),
        "the marker must be on disk before the erase, or the test proves nothing"
    );

    let deleted = db.erase(person).expect("erase");
    assert_eq!(deleted.profiles, 1);
    assert_eq!(deleted.ledger_entries, 1);
    assert_eq!(deleted.exchanges, 2);
    assert_eq!(deleted.exchange_summaries, 2);
    assert_eq!(deleted.documents, 1);

    let after_with_open_connection = files_containing(dir.path(), MARKER.as_bytes());
    assert!(
        after_with_open_connection.is_empty(),
        "marker left in {after_with_open_connection:?}"
    );

    assert!(matches!(
        db.profile(person),
        Err(MemoryError::ProfileIdNotFound(_))
    ));
    assert_eq!(db.profiles().expect("list").len(), 1);
    assert!(
        db.default_profile().is_ok(),
        "the keeper becomes the default"
    );
    assert_eq!(db.profile(keeper.id).expect("keeper kept").label, "keeper");
    drop(db);

    let after_close = files_containing(dir.path(), MARKER.as_bytes());
    assert!(after_close.is_empty(), "marker left in {after_close:?}");
    let db = open(dir.path());
    assert_eq!(
        db.integrity_check().expect("integrity"),
        vec!["ok".to_owned()]
    );
}

#[test]
fn erase_fails_while_other_reader_holds_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = mediflux_memory::MemoryOptions {
        busy_timeout: std::time::Duration::from_millis(200),
        ..Default::default()
    };
    let mut db = mediflux_memory::MemoryDb::open(dir.path(), options).expect("open");
    let person = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create")
        .id;

    let reader = Connection::open(db.path()).expect("reader");
    reader
        .execute_batch("BEGIN; SELECT COUNT(*) FROM profiles;")
        .expect("hold snapshot");

    let result = db.erase(person);
    assert!(
        matches!(
            result,
            Err(MemoryError::ScrubIncomplete) | Err(MemoryError::Sqlite(_))
        ),
        "{result:?}"
    );
    assert!(
        matches!(db.profile(person), Err(MemoryError::ProfileIdNotFound(_))),
        "rows are deleted anyway"
    );

    reader.execute_batch("COMMIT").expect("release snapshot");
    drop(reader);
    db.scrub().expect("scrub after the reader left");
}
