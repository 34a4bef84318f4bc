//! Migration of databases created at every earlier schema version, with data.

mod common;

use mediflux_memory::migrations::{LATEST_VERSION, migrate_to, schema_version};
use mediflux_memory::rusqlite::Connection;
use mediflux_memory::{LedgerKind, MEMORY_FILE_NAME, MemoryDb, MemoryError, MemoryOptions};

const STAMP: &str = "2024-01-02T03:04:05Z";

/// Inserts rows into every table that exists at `version`, using that version's columns.
fn seed(conn: &Connection, version: u32) {
    if version >= 1 {
        // Two defaults on purpose: v5 must keep only the lowest id.
        conn.execute_batch(&format!(
            "INSERT INTO profiles (id, label, is_default, birth_date, mutuelle, ald, public_cover,
                                   medecin_traitant, postcode, city, created_at, updated_at)
             VALUES (1, 'moi', 1, '1980-05-06', '{{\"responsable\": true, \"guarantees\": {{\"pharmacy_65\": 10000}}}}',
                     '[{{\"name\": \"asthme\"}}]', 'c2s', 1, '20200', 'Bastia', '{STAMP}', '{STAMP}');
             INSERT INTO profiles (id, label, is_default, age_years, age_recorded_on, ald, postcode, created_at, updated_at)
             VALUES (2, 'Lucas', 1, 9, '2024-01-02', '[]', '97400', '{STAMP}', '{STAMP}');
             INSERT INTO exchanges (profile_id, asked_at, question, intent, slots, answer_summary)
             VALUES (1, '{STAMP}', 'combien coûte le Doliprane ?', 'medicine_cost', '{{\"cip13\": \"3400935955838\"}}', 'reste 1 €');"
        ))
        .expect("seed v1 rows");
    }
    if version >= 2 {
        conn.execute_batch(&format!(
            "INSERT INTO ledger_entries (profile_id, charged_on, kind, amount_cents, label, recorded_at)
             VALUES (1, '2024-03-04', 'franchise_medicine', 100, 'pharmacie', '{STAMP}');"
        ))
        .expect("seed v2 rows");
    }
    if version >= 3 {
        conn.execute_batch(&format!(
            "INSERT INTO exchange_summaries VALUES (1, 'gp_cost', 3, '{STAMP}', '{STAMP}', '{{}}', 'reste 2 €');
             INSERT INTO documents (profile_id, kind, title, metadata, added_at)
             VALUES (1, 'ordonnance', 'ordonnance janvier', '{{}}', '{STAMP}');"
        ))
        .expect("seed v3 rows");
    }
    if version >= 4 {
        conn.execute_batch(
            "UPDATE profiles SET preferences = '{\"max_distance_km\": 12}' WHERE id = 1;",
        )
        .expect("seed v4 rows");
    }
}

/// Checks through the public API that the seeded rows survived the migration.
fn check(db: &MemoryDb, version: u32) {
    assert_eq!(db.schema_version().expect("version"), LATEST_VERSION);
    if version == 0 {
        assert!(db.profiles().expect("list").is_empty());
        return;
    }

    let profiles = db.profiles().expect("list profiles");
    assert_eq!(profiles.len(), 2, "from v{version}");
    let me = &profiles[0];
    assert_eq!(me.label, "moi");
    assert!(me.is_default, "from v{version}");
    assert!(
        !profiles[1].is_default,
        "only one default after migrating from v{version}"
    );
    assert_eq!(
        me.mutuelle.as_ref().and_then(|m| m.guarantees.pharmacy_65),
        Some(10_000)
    );
    assert_eq!(me.ald.len(), 1);
    assert_eq!(me.place.city.as_deref(), Some("Bastia"));
    if version < 4 {
        assert_eq!(
            me.place.departement.as_deref(),
            Some("2B"),
            "derived by v4 from v{version}"
        );
        assert_eq!(
            profiles[1].place.departement.as_deref(),
            Some("974"),
            "from v{version}"
        );
    }
    assert_eq!(
        db.history(me.id).expect("history").len(),
        1,
        "from v{version}"
    );

    if version >= 2 {
        let totals = db.ledger().year_totals(me.id, 2024).expect("totals");
        assert_eq!(
            totals.by_kind.get(&LedgerKind::FranchiseMedicine),
            Some(&100),
            "from v{version}"
        );
    }
    if version >= 3 {
        assert_eq!(
            db.history_summaries(me.id).expect("summaries")[0].exchange_count,
            3
        );
        assert_eq!(db.documents(me.id).expect("documents").len(), 1);
    }
    if version >= 4 {
        assert_eq!(me.preferences.max_distance_km, Some(12));
    }
}

#[test]
fn every_old_version_migrates() {
    for version in 0..LATEST_VERSION {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(MEMORY_FILE_NAME);
        {
            let mut conn = Connection::open(&path).expect("raw connection");
            migrate_to(&mut conn, version).expect("build old schema");
            assert_eq!(schema_version(&conn).expect("version"), version);
            seed(&conn, version);
        }

        let db = MemoryDb::open(dir.path(), MemoryOptions::default()).expect("open migrates");
        check(&db, version);
        assert_eq!(
            db.integrity_check().expect("integrity"),
            vec!["ok".to_owned()]
        );
    }
}

#[test]
fn reopen_latest_is_noop() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let mut db = common::open(dir.path());
        db.create_profile("moi", common::sample_update())
            .expect("create");
    }
    let db = common::open(dir.path());
    assert_eq!(db.schema_version().expect("version"), LATEST_VERSION);
    assert_eq!(db.profiles().expect("list").len(), 1);
}

#[test]
fn newer_file_is_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(MEMORY_FILE_NAME);
    {
        let conn = Connection::open(&path).expect("raw connection");
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .expect("set version");
    }
    let result = MemoryDb::open(dir.path(), MemoryOptions::default());
    let Err(error) = result else {
        panic!("a newer schema must be rejected")
    };
    assert!(matches!(error, MemoryError::SchemaTooNew { .. }), "{error}");
    assert!(error.to_string().contains("update Mediflux"), "{error}");
}

#[test]
fn open_sets_wal_mode() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::open(dir.path());
    let mode: String = db
        .connection()
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
}
