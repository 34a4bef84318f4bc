//! Franchise and participation ledgers: recording and yearly and daily totals.

mod common;

use common::{date, open};
use mediflux_memory::{LedgerKind, MemoryError, NewExpense, ProfileUpdate};

fn expense(day: &str, kind: LedgerKind, cents: i64) -> NewExpense {
    NewExpense {
        charged_on: date(day),
        kind,
        amount_cents: cents,
        label: Some("pharmacie du centre".to_owned()),
    }
}

#[test]
fn year_and_day_totals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let me = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create moi");
    let child = db
        .create_profile("Lucas", ProfileUpdate::default())
        .expect("create Lucas");

    let records = [
        ("2024-12-31", LedgerKind::FranchiseMedicine, 100),
        ("2025-01-01", LedgerKind::FranchiseMedicine, 100),
        ("2025-03-10", LedgerKind::ParticipationForfaitaire, 200),
        ("2025-03-10", LedgerKind::ParticipationForfaitaire, 200),
        ("2025-03-10", LedgerKind::FranchiseParamedical, 100),
        ("2025-06-01", LedgerKind::FranchiseTransport, 400),
        ("2025-12-31", LedgerKind::FranchiseMedicine, 300),
    ];
    for (day, kind, cents) in records {
        db.record_expense(me.id, expense(day, kind, cents))
            .expect("record");
    }
    db.record_expense(
        child.id,
        expense("2025-03-10", LedgerKind::FranchiseMedicine, 100),
    )
    .expect("record for child");

    let year = db.ledger().year_totals(me.id, 2025).expect("year totals");
    assert_eq!(year.franchises_cents, 100 + 100 + 400 + 300);
    assert_eq!(year.participations_cents, 400);
    assert_eq!(year.by_kind.get(&LedgerKind::FranchiseMedicine), Some(&400));
    assert_eq!(
        year.by_kind.get(&LedgerKind::FranchiseTransport),
        Some(&400)
    );

    let day = db
        .ledger()
        .day_totals(me.id, date("2025-03-10"))
        .expect("day totals");
    assert_eq!(day.participations_cents, 400);
    assert_eq!(day.franchises_cents, 100);
    assert_eq!(
        day.by_kind.get(&LedgerKind::FranchiseMedicine),
        None,
        "the child's box is not mine"
    );

    let previous = db.ledger().year_totals(me.id, 2024).expect("2024 totals");
    assert_eq!(previous.franchises_cents, 100);

    let entries = db.ledger().entries(me.id, 2025).expect("entries");
    assert_eq!(entries.len(), 6);
    assert_eq!(entries[0].charged_on, date("2025-01-01"));
    assert_eq!(entries[0].label.as_deref(), Some("pharmacie du centre"));
}

#[test]
fn empty_year_is_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let me = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create");

    let totals = db.ledger().year_totals(me.id, 2025).expect("totals");
    assert_eq!(totals.franchises_cents, 0);
    assert_eq!(totals.participations_cents, 0);
    assert!(totals.by_kind.is_empty());
}

#[test]
fn invalid_expenses_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let me = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create");

    let cases = [
        (
            expense("2025-01-01", LedgerKind::FranchiseMedicine, 0),
            "amount_cents \"0\"",
        ),
        (
            expense("2025-01-01", LedgerKind::FranchiseMedicine, 5_001),
            "amount_cents \"5001\"",
        ),
        (
            expense("2999-01-01", LedgerKind::FranchiseMedicine, 100),
            "charged_on \"2999-01-01\"",
        ),
    ];
    for (bad, names) in cases {
        let error = db.record_expense(me.id, bad).expect_err(names);
        let message = error.to_string();
        assert!(message.contains(names), "{message}");
    }

    let missing = db.record_expense(
        999,
        expense("2025-01-01", LedgerKind::FranchiseMedicine, 100),
    );
    assert!(matches!(missing, Err(MemoryError::ProfileIdNotFound(999))));
    assert!(
        db.ledger()
            .entries(me.id, 2025)
            .expect("entries")
            .is_empty()
    );
}

#[test]
fn reader_leaves_database_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open(dir.path());
    let me = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create");
    db.record_expense(
        me.id,
        expense("2025-02-02", LedgerKind::FranchiseMedicine, 100),
    )
    .expect("record");
    let changes_before = db.connection().total_changes();

    let reader = db.ledger();
    for _ in 0..3 {
        reader.year_totals(me.id, 2025).expect("year");
        reader.day_totals(me.id, date("2025-02-02")).expect("day");
        reader.entries(me.id, 2025).expect("entries");
    }

    assert_eq!(db.connection().total_changes(), changes_before);
    assert_eq!(db.ledger().entries(me.id, 2025).expect("entries").len(), 1);
}
