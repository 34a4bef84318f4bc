//! Several writers at once, and crash durability under SIGKILL.
//!
//! Child processes are this test binary re-executed on the ignored
//! `child_writer` test, steered by environment variables. The child prints
//! `committed <table> <id>` only after the call that wrote the row returned,
//! that is after its transaction committed.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::open;
use mediflux_memory::{
    LedgerKind, MemoryDb, MemoryOptions, NewDocument, NewExpense, ProfileUpdate,
};

const DIR_VAR: &str = "MEDIFLUX_MEMORY_CHILD_DIR";
const LABEL_VAR: &str = "MEDIFLUX_MEMORY_CHILD_LABEL";
const COUNT_VAR: &str = "MEDIFLUX_MEMORY_CHILD_COUNT";

const KILL_ROUNDS: usize = 30;
const KILL_TEST_BUDGET: Duration = Duration::from_secs(120);

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

fn one_cent_expense() -> NewExpense {
    NewExpense {
        charged_on: today(),
        kind: LedgerKind::FranchiseMedicine,
        amount_cents: 1,
        label: None,
    }
}

fn document(index: u64) -> NewDocument {
    NewDocument {
        kind: "decompte".to_owned(),
        title: format!("document {index}"),
        file_name: None,
        content_sha256: None,
        issued_on: None,
        metadata: serde_json::json!({"index": index}),
    }
}

/// Child entry point: writes until killed, or `COUNT_VAR` rows when set.
#[test]
#[ignore = "child process of the process tests; it does nothing on its own"]
fn child_writer() {
    let Ok(dir) = std::env::var(DIR_VAR) else {
        return;
    };
    let label = std::env::var(LABEL_VAR).expect("label variable");
    let count: Option<u64> = std::env::var(COUNT_VAR)
        .ok()
        .map(|text| text.parse().expect("count"));
    let options = MemoryOptions {
        busy_timeout: Duration::from_secs(30),
        ..MemoryOptions::default()
    };
    let mut db = MemoryDb::open(Path::new(&dir), options).expect("child open");
    let profile = db.resolve_profile(Some(&label)).expect("child profile").id;

    let mut index = 0;
    while count.is_none_or(|limit| index < limit) {
        if index % 2 == 0 {
            let entry = db
                .record_expense(profile, one_cent_expense())
                .expect("child expense");
            println!("committed expense {}", entry.id);
        } else {
            let stored = db
                .add_document(profile, document(index))
                .expect("child document");
            println!("committed document {}", stored.id);
        }
        index += 1;
    }
}

fn spawn_child(dir: &Path, label: &str, count: Option<u64>) -> Child {
    let exe = std::env::current_exe().expect("test binary path");
    let mut command = Command::new(exe);
    command
        .args([
            "child_writer",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DIR_VAR, dir)
        .env(LABEL_VAR, label)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(count) = count {
        command.env(COUNT_VAR, count.to_string());
    }
    command.spawn().expect("spawn child")
}

/// Collects the child's `committed` lines on a thread until its stdout closes.
fn collect_commits(child: &mut Child) -> thread::JoinHandle<Vec<(String, i64)>> {
    let stdout = child.stdout.take().expect("child stdout");
    thread::spawn(move || {
        let mut commits = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // libtest may print "test child_writer ... " on the same line as the first commit.
            let Some(start) = line.find("committed ") else {
                continue;
            };
            let mut words = line[start..].split_whitespace().skip(1);
            let (Some(table), Some(id)) = (words.next(), words.next()) else {
                continue;
            };
            if let Ok(id) = id.parse() {
                commits.push((table.to_owned(), id));
            }
        }
        commits
    })
}

fn stored_ids(db: &MemoryDb, table: &str) -> HashSet<i64> {
    let sql = match table {
        "expense" => "SELECT id FROM ledger_entries",
        _ => "SELECT id FROM documents",
    };
    let mut statement = db.connection().prepare(sql).expect("prepare");
    statement
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<HashSet<i64>, _>>()
        .expect("ids")
}

#[test]
fn killed_writer_keeps_commits() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let mut db = open(dir.path());
        db.create_profile("writer", ProfileUpdate::default())
            .expect("create");
    }

    let started = Instant::now();
    let mut rounds = 0;
    let mut committed_total = 0;
    let mut rounds_with_commits = 0;
    while rounds < KILL_ROUNDS && started.elapsed() < KILL_TEST_BUDGET {
        let mut child = spawn_child(dir.path(), "writer", None);
        let reader = collect_commits(&mut child);
        thread::sleep(Duration::from_millis(fastrand::u64(20..400)));
        child.kill().expect("SIGKILL child");
        child.wait().expect("reap child");
        let commits = reader.join().expect("reader thread");

        let db = open(dir.path());
        assert_eq!(
            db.integrity_check().expect("integrity"),
            vec!["ok".to_owned()],
            "round {rounds}"
        );
        let expenses = stored_ids(&db, "expense");
        let documents = stored_ids(&db, "document");
        for (table, id) in &commits {
            let present = if table == "expense" {
                expenses.contains(id)
            } else {
                documents.contains(id)
            };
            assert!(
                present,
                "round {rounds}: committed {table} {id} is missing after SIGKILL"
            );
        }

        committed_total += commits.len();
        if !commits.is_empty() {
            rounds_with_commits += 1;
        }
        rounds += 1;
    }

    eprintln!(
        "kill test: {rounds} rounds, {rounds_with_commits} with commits, {committed_total} commits checked in {:?}",
        started.elapsed()
    );
    assert!(
        rounds >= 10,
        "only {rounds} kill rounds fit in the time budget"
    );
    assert!(
        rounds_with_commits * 2 >= rounds,
        "children committed in only {rounds_with_commits} of {rounds} rounds"
    );
}

#[test]
fn two_processes_write_concurrently() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (first, second) = {
        let mut db = open(dir.path());
        let first = db
            .create_profile("first", ProfileUpdate::default())
            .expect("first")
            .id;
        let second = db
            .create_profile("second", ProfileUpdate::default())
            .expect("second")
            .id;
        (first, second)
    };

    let per_child = 60;
    let mut children = [
        spawn_child(dir.path(), "first", Some(per_child)),
        spawn_child(dir.path(), "second", Some(per_child)),
    ];
    let readers: Vec<_> = children.iter_mut().map(collect_commits).collect();
    for child in &mut children {
        let status = child.wait().expect("wait child");
        assert!(status.success(), "child failed: {status}");
    }
    let commits: usize = readers
        .into_iter()
        .map(|reader| reader.join().expect("reader").len())
        .sum();
    assert_eq!(commits, 2 * per_child as usize);

    let db = open(dir.path());
    for profile in [first, second] {
        let export = db.export(profile).expect("export");
        assert_eq!(
            export.ledger.len(),
            per_child as usize / 2,
            "expenses of profile {profile}"
        );
        assert_eq!(
            export.documents.len(),
            per_child as usize / 2,
            "documents of profile {profile}"
        );
    }
    assert_eq!(
        db.integrity_check().expect("integrity"),
        vec!["ok".to_owned()]
    );
}

#[test]
fn two_connections_write_concurrently() {
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = {
        let mut db = open(dir.path());
        db.create_profile("moi", ProfileUpdate::default())
            .expect("create")
            .id
    };

    let per_thread = 100;
    let errors = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let path = dir.path().to_owned();
            let errors = Arc::clone(&errors);
            thread::spawn(move || {
                let mut db = open(&path);
                for _ in 0..per_thread {
                    if let Err(error) = db.record_expense(profile, one_cent_expense()) {
                        errors.lock().expect("errors lock").push(error.to_string());
                    }
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("writer thread");
    }

    let errors = errors.lock().expect("errors lock");
    assert!(errors.is_empty(), "writes failed: {errors:?}");
    let db = open(dir.path());
    let year = chrono::Datelike::year(&today());
    let totals = db.ledger().year_totals(profile, year).expect("totals");
    assert_eq!(totals.franchises_cents, 2 * per_thread);
}
