//! Conversation history: recording, compression into summaries, previous turn.

mod common;

use mediflux_memory::{MemoryDb, MemoryError, MemoryOptions, NewExchange, ProfileUpdate};
use serde_json::json;

fn exchange(intent: &str, slots: serde_json::Value) -> NewExchange {
    NewExchange {
        question: format!("question about {intent}"),
        intent: intent.to_owned(),
        slots,
        answer_summary: format!("answer about {intent}"),
    }
}

fn open_with_limit(dir: &std::path::Path, limit: usize) -> MemoryDb {
    let options = MemoryOptions {
        history_limit: limit,
        ..MemoryOptions::default()
    };
    MemoryDb::open(dir, options).expect("open")
}

#[test]
fn previous_turn_returns_latest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open_with_limit(dir.path(), 10);
    let me = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create moi");
    let child = db
        .create_profile("Lucas", ProfileUpdate::default())
        .expect("create Lucas");

    assert_eq!(db.previous_turn(me.id).expect("empty"), None);

    db.record_exchange(
        me.id,
        exchange("medicine_cost", json!({"cip13": "3400935955838"})),
    )
    .expect("first");
    db.record_exchange(me.id, exchange("gp_cost", json!({"sector": "secteur_1"})))
        .expect("second");
    db.record_exchange(child.id, exchange("dentist_cost", json!({})))
        .expect("child");

    let turn = db.previous_turn(me.id).expect("turn").expect("some turn");
    assert_eq!(turn.intent, "gp_cost");
    assert_eq!(turn.slots, json!({"sector": "secteur_1"}));
}

#[test]
fn compression_keeps_counts_and_last_slots() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open_with_limit(dir.path(), 3);
    let me = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create");

    let sequence = [
        ("medicine_cost", json!({"box": 1})),
        ("gp_cost", json!({"g": 1})),
        ("medicine_cost", json!({"box": 2})),
        ("medicine_cost", json!({"box": 3})),
        ("gp_cost", json!({"g": 2})),
        ("dentist_cost", json!({"d": 1})),
        ("gp_cost", json!({"g": 3})),
    ];
    for (intent, slots) in sequence {
        db.record_exchange(me.id, exchange(intent, slots))
            .expect("record");
    }

    let raw = db.history(me.id).expect("history");
    let raw_intents: Vec<&str> = raw.iter().map(|e| e.intent.as_str()).collect();
    assert_eq!(
        raw_intents,
        vec!["gp_cost", "dentist_cost", "gp_cost"],
        "newest three stay raw"
    );

    let summaries = db.history_summaries(me.id).expect("summaries");
    let counts: Vec<(&str, i64)> = summaries
        .iter()
        .map(|s| (s.intent.as_str(), s.exchange_count))
        .collect();
    assert_eq!(counts, vec![("gp_cost", 1), ("medicine_cost", 3)]);
    let medicine = &summaries[1];
    assert_eq!(medicine.last_slots, json!({"box": 3}));
    assert_eq!(medicine.last_answer_summary, "answer about medicine_cost");
    assert!(
        medicine
            .text
            .starts_with("3 earlier question(s) with intent medicine_cost"),
        "{}",
        medicine.text
    );

    let stored_questions: i64 = db
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM exchanges WHERE profile_id = ?1",
            [me.id],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(stored_questions, 3, "folded rows are deleted");

    let turn = db.previous_turn(me.id).expect("turn").expect("some turn");
    assert_eq!(turn.slots, json!({"g": 3}));
}

#[test]
fn compression_is_deterministic() {
    let mut outputs = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut db = open_with_limit(dir.path(), 2);
        let me = db
            .create_profile("moi", ProfileUpdate::default())
            .expect("create");
        for index in 0..9 {
            let intent = ["a", "b", "c"][index % 3];
            db.record_exchange(me.id, exchange(intent, json!({"n": index})))
                .expect("record");
        }
        let summaries = db.history_summaries(me.id).expect("summaries");
        let shape: Vec<(String, i64, serde_json::Value)> = summaries
            .into_iter()
            .map(|s| (s.intent, s.exchange_count, s.last_slots))
            .collect();
        outputs.push(shape);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0][0], ("a".to_owned(), 3, json!({"n": 6})));
}

#[test]
fn invalid_exchange_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = open_with_limit(dir.path(), 5);
    let me = db
        .create_profile("moi", ProfileUpdate::default())
        .expect("create");

    let error = db
        .record_exchange(me.id, exchange("gp_cost", json!([1, 2])))
        .expect_err("array slots");
    assert!(error.to_string().contains("JSON object"), "{error}");
    let error = db
        .record_exchange(me.id, exchange(" ", json!({})))
        .expect_err("blank intent");
    assert!(error.to_string().contains("intent"), "{error}");
    assert!(db.history(me.id).expect("history").is_empty());
}

#[test]
fn zero_history_limit_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = MemoryOptions {
        history_limit: 0,
        ..MemoryOptions::default()
    };
    let result = MemoryDb::open(dir.path(), options);
    assert!(matches!(
        result,
        Err(MemoryError::InvalidField {
            field: "history_limit",
            ..
        })
    ));
}
