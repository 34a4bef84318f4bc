//! Imports: snapshot metadata, the atomic switch, failures that keep the
//! previous snapshot in service, and pruning.

mod common;

use chrono::NaiveDate;
use mediflux_refdata::{
    GenericGroup, GenericMember, GenericRole, JsonDocument, Medicine, MinimumCounts, Presentation,
    RefDataError, RefStore, SnapshotState, StoreRecord,
};

use common::{FULL_SET_MINIMUM, import, read_set, sha256, write_files};

/// Environment variable that turns [`killed_import_child`] into the child
/// process of [`killed_import_keeps_previous`]; its value is the data
/// directory.
const KILL_CHILD_DIR: &str = "MEDIFLUX_REFDATA_KILL_CHILD_DIR";

const DOLIPRANE_BOX_OF_8: &str = "3400935955838";

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date written YYYY-MM-DD")
}

fn medicine(cis: &str, name: &str) -> StoreRecord {
    StoreRecord::Medicine(Medicine {
        cis: cis.to_owned(),
        name: name.to_owned(),
        form: "comprimé".to_owned(),
        routes: vec!["orale".to_owned()],
        authorisation_status: "Autorisation active".to_owned(),
        marketed: true,
        holders: vec!["LABORATOIRE TEST".to_owned()],
        reinforced_monitoring: false,
    })
}

fn presentation(cis: &str, cip13: &str, price_cents: i64) -> StoreRecord {
    StoreRecord::Presentation(Presentation {
        cis: cis.to_owned(),
        cip7: cip13[5..12].to_owned(),
        cip13: cip13.to_owned(),
        label: "boîte de 8".to_owned(),
        marketed: true,
        price_cents: Some(price_cents),
        public_price_cents: Some(price_cents + 102),
        dispensing_fee_cents: Some(102),
        rate_percent: Some(65),
    })
}

/// Builds a two-medicine snapshot whose first box costs `price_cents`.
fn small_snapshot(price_cents: i64) -> Vec<StoreRecord> {
    vec![
        medicine("11111111", "TESTAMOL 500 mg, comprimé"),
        medicine("22222222", "TESTAMOL 1000 mg, comprimé"),
        presentation("11111111", "3400900000011", price_cents),
        presentation("22222222", "3400900000022", price_cents + 50),
    ]
}

fn import_small(store: &RefStore, day: &str, price_cents: i64) {
    let mut writer = store
        .begin_import("bdpm", date(day))
        .expect("import started");
    writer
        .write(small_snapshot(price_cents))
        .expect("records written");
    writer
        .commit(MinimumCounts::default())
        .expect("snapshot committed");
}

fn price_of(store: &RefStore, cip13: &str) -> Option<i64> {
    store
        .presentation_by_cip13(cip13)
        .expect("lookup succeeds")
        .and_then(|details| details.presentation.price_cents)
}

#[test]
fn full_set_import_records_files() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");
    let files = read_set("2026-01-28");

    let info = import(&store, "2026-01-28", &files);

    assert_eq!(info.state, SnapshotState::Current);
    assert_eq!(info.source, "bdpm");
    assert_eq!(info.imported_at, date("2026-01-28"));
    assert_eq!(info.counts.medicines, 15_799);
    assert_eq!(info.counts.presentations, 20_875);
    assert!(info.counts.generic_groups > 1_000, "{:?}", info.counts);
    assert!(info.counts.documents > 60_000, "{:?}", info.counts);
    assert_eq!(info.files.len(), files.len());
    let cis_file = info
        .files
        .iter()
        .find(|file| file.name == "CIS_bdpm.txt")
        .expect("CIS_bdpm.txt recorded");
    assert_eq!(cis_file.bytes, 3_149_903);
    assert_eq!(cis_file.sha256.len(), 64);

    let current = store.current_snapshot("bdpm").expect("snapshot read");
    assert_eq!(current, Some(info));
}

#[test]
fn failed_import_keeps_real_snapshot() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");
    let first = import(&store, "2026-01-28", &read_set("2026-01-28"));
    let newer = read_set("2026-07-24");

    // Write the whole newer set, then fail on a malformed record: the store
    // must keep reading the first snapshot, during and after.
    let mut writer = store
        .begin_import("bdpm", date("2026-07-24"))
        .expect("import started");
    write_files(&mut writer, &newer);
    assert_eq!(price_of(&store, DOLIPRANE_BOX_OF_8), Some(107));
    let error = writer
        .write(vec![presentation("6023410", "3400935955838", 1)])
        .expect_err("a 7-digit CIS is rejected");
    assert!(
        matches!(error, RefDataError::InvalidRecord { .. }),
        "{error}"
    );
    assert_eq!(price_of(&store, DOLIPRANE_BOX_OF_8), Some(107));
    assert_eq!(
        store.current_snapshot("bdpm").expect("snapshot read"),
        Some(first.clone())
    );
    let failed = &store.import_history("bdpm", 1).expect("history read")[0];
    assert_eq!(failed.state, SnapshotState::Failed);
    let reason = failed.failure.as_deref().unwrap_or_default();
    assert!(reason.contains("6023410"), "{reason}");

    // A later call on the failed writer returns the reason of the failure.
    let again = writer.write(Vec::new()).expect_err("failed writer");
    assert!(
        matches!(again, RefDataError::ImportFailed { .. }),
        "{again}"
    );
    drop(writer);

    // A second, complete import replaces the snapshot and prunes the first.
    let second = import(&store, "2026-07-24", &newer);
    assert!(second.id > first.id);
    assert_eq!(price_of(&store, DOLIPRANE_BOX_OF_8), Some(116));
    let history = store.import_history("bdpm", 10).expect("history read");
    let states: Vec<SnapshotState> = history.iter().map(|info| info.state).collect();
    assert_eq!(
        states,
        [
            SnapshotState::Current,
            SnapshotState::Failed,
            SnapshotState::Replaced
        ]
    );
    assert!(history[2].files.is_empty(), "replaced snapshot pruned");
}

#[test]
fn abort_keeps_previous_snapshot() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");
    import_small(&store, "2026-01-01", 100);

    let mut writer = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");
    writer.write(small_snapshot(999)).expect("records written");
    writer.abort("download of CIS_CIP_bdpm.txt timed out");

    assert_eq!(price_of(&store, "3400900000011"), Some(100));
    let last = &store.import_history("bdpm", 1).expect("history read")[0];
    assert_eq!(last.state, SnapshotState::Failed);
    assert_eq!(
        last.failure.as_deref(),
        Some("aborted: download of CIS_CIP_bdpm.txt timed out")
    );
}

#[test]
fn dropped_writer_keeps_previous_snapshot() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");
    import_small(&store, "2026-01-01", 100);

    let mut writer = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");
    writer.write(small_snapshot(999)).expect("records written");
    drop(writer);

    assert_eq!(price_of(&store, "3400900000011"), Some(100));
    let last = &store.import_history("bdpm", 1).expect("history read")[0];
    assert_eq!(last.state, SnapshotState::Failed);
    assert!(
        last.failure
            .as_deref()
            .unwrap_or_default()
            .contains("dropped")
    );
}

#[test]
fn too_few_rows_rejected() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");
    import_small(&store, "2026-01-01", 100);

    let mut writer = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");
    writer.write(small_snapshot(999)).expect("records written");
    let error = writer
        .commit(FULL_SET_MINIMUM)
        .expect_err("2 medicines are fewer than 10,000");

    assert!(
        matches!(
            error,
            RefDataError::TooFewRows {
                kind: "medicines",
                found: 2,
                minimum: 10_000
            }
        ),
        "{error}"
    );
    assert_eq!(price_of(&store, "3400900000011"), Some(100));
    let last = &store.import_history("bdpm", 1).expect("history read")[0];
    assert_eq!(last.state, SnapshotState::Failed);
}

#[test]
fn duplicate_key_rejected() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");

    let mut writer = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");
    let mut records = small_snapshot(100);
    records.push(presentation("22222222", "3400900000011", 5));
    let error = writer.write(records).expect_err("CIP13 repeated");

    assert!(
        matches!(
            &error,
            RefDataError::DuplicateRecord { kind: "presentation", key, index: 4 } if key == "3400900000011"
        ),
        "{error}"
    );
    assert_eq!(store.current_snapshot("bdpm").expect("snapshot read"), None);
}

#[test]
fn invalid_json_rejected() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");

    let mut writer = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");
    let error = writer
        .write(vec![StoreRecord::Json(JsonDocument {
            schema: "bdpm.mitm/1".to_owned(),
            body: "{\"cis\": ".to_owned(),
        })])
        .expect_err("truncated JSON");

    assert!(
        matches!(
            error,
            RefDataError::InvalidRecord {
                kind: "json document",
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn documents_found_by_cis() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");
    let mut writer = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");
    let mut records = small_snapshot(100);
    for body in [
        r#"{"cis":"11111111","condition":"liste I"}"#,
        r#"{"cis":"11111111","condition":"liste II"}"#,
        r#"{"cis":"22222222","condition":"liste I"}"#,
    ] {
        records.push(StoreRecord::Json(JsonDocument {
            schema: "bdpm.prescription-condition/1".to_owned(),
            body: body.to_owned(),
        }));
    }
    writer.write(records).expect("records written");
    writer
        .commit(MinimumCounts::default())
        .expect("snapshot committed");

    let bodies = store
        .documents("bdpm.prescription-condition/1", "11111111")
        .expect("documents read");
    assert_eq!(bodies.len(), 2);
    assert!(bodies[1].contains("liste II"));
    let other = store
        .documents("bdpm.composition/1", "11111111")
        .expect("documents read");
    assert!(other.is_empty());
}

#[test]
fn second_import_waits_then_fails() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");
    let _first = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");

    let error = store
        .begin_import("bdpm", date("2026-02-02"))
        .expect_err("write lock held");

    assert!(
        matches!(error, RefDataError::ImportInProgress { .. }),
        "{error}"
    );
}

#[test]
fn invalid_source_rejected() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");

    let error = store
        .begin_import("BDPM 2026", date("2026-02-01"))
        .expect_err("spaces and capitals");

    assert!(
        matches!(error, RefDataError::InvalidSource { .. }),
        "{error}"
    );
}

#[test]
fn generic_group_round_trip() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = RefStore::open(dir.path()).expect("store opened");
    let mut writer = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");
    let mut records = small_snapshot(300);
    records.push(medicine("33333333", "GENERIMOL 500 mg, comprimé"));
    records.push(presentation("33333333", "3400900000033", 90));
    records.push(StoreRecord::GenericGroup(GenericGroup {
        id: "42".to_owned(),
        label: "TESTAMOL 500 mg - GENERIMOL 500 mg".to_owned(),
        members: vec![
            GenericMember {
                cis: "11111111".to_owned(),
                role: GenericRole::Princeps,
                rank: 1,
            },
            GenericMember {
                cis: "33333333".to_owned(),
                role: GenericRole::Generic,
                rank: 2,
            },
            GenericMember {
                cis: "44444444".to_owned(),
                role: GenericRole::Generic,
                rank: 3,
            },
        ],
    }));
    writer.write(records).expect("records written");
    writer
        .commit(MinimumCounts::default())
        .expect("snapshot committed");

    let groups = store.generics("11111111").expect("generics read");

    assert_eq!(groups.len(), 1);
    let members: Vec<(&str, Option<i64>)> = groups[0]
        .members
        .iter()
        .map(|m| {
            (
                m.cis.as_str(),
                m.cheapest.as_ref().and_then(|p| p.price_cents),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("33333333", Some(90)),
            ("11111111", Some(300)),
            ("44444444", None)
        ]
    );
    assert_eq!(groups[0].members[2].name, None);
}

#[test]
fn killed_import_keeps_previous() {
    let dir = tempfile::tempdir().expect("temporary directory");
    {
        let store = RefStore::open(dir.path()).expect("store opened");
        import_small(&store, "2026-01-01", 100);
    }

    let status = std::process::Command::new(std::env::current_exe().expect("test binary path"))
        .args([
            "--exact",
            "killed_import_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(KILL_CHILD_DIR, dir.path())
        .status()
        .expect("child test process started");
    assert!(!status.success(), "the child must die mid-import");

    let store = RefStore::open(dir.path()).expect("store reopened");
    assert_eq!(price_of(&store, "3400900000011"), Some(100));
    let last = &store.import_history("bdpm", 1).expect("history read")[0];
    assert_eq!(last.state, SnapshotState::Interrupted);
    assert!(
        last.failure
            .as_deref()
            .unwrap_or_default()
            .contains("stopped before commit")
    );
    import_small(&store, "2026-03-01", 200);
    assert_eq!(price_of(&store, "3400900000011"), Some(200));
}

/// Child process of [`killed_import_keeps_previous`]: starts an import and
/// aborts the process in the middle. Does nothing in a normal test run.
#[test]
fn killed_import_child() {
    let Some(dir) = std::env::var_os(KILL_CHILD_DIR) else {
        return;
    };
    let store = RefStore::open(std::path::Path::new(&dir)).expect("store opened");
    let mut writer = store
        .begin_import("bdpm", date("2026-02-01"))
        .expect("import started");
    writer.write(small_snapshot(999)).expect("records written");
    writer
        .add_file("CIS_bdpm.txt", &sha256(b"partial"), 7)
        .expect("file recorded");
    std::process::abort();
}
