//! Import time of the full 2026-01-28 BDPM set plus the 2023-11 SMR and
//! ASMR files (parse, convert and store), compared with a plain bulk load of
//! the same rows by the `sqlite3` command-line `.import`.
//!
//! When the release `mediflux` binary exists (`cargo build --release -p
//! mediflux`), the same files are also imported end to end through the
//! bundled `bdpm` plugin (`mediflux data import bdpm`), in the same run.
//!
//! Run with `cargo bench -p mediflux-refdata --bench import`; it needs the
//! `sqlite3` program on `PATH` for the comparison.

#![allow(missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use mediflux_refdata::{RefStore, StoreRecord};

use common::{FULL_SET_MINIMUM, SourceFile, convert, read_set, sha256};

/// Timed runs of each measurement; the median is reported.
const RUNS: usize = 3;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn import_files(dir: &Path, files: &[SourceFile]) {
    let store = RefStore::open(dir).expect("store opened");
    let date = "2026-01-28".parse().expect("valid date");
    let mut writer = store.begin_import("bdpm", date).expect("import started");
    for file in files {
        writer
            .add_file(&file.name, &sha256(&file.bytes), file.bytes.len() as u64)
            .expect("file recorded");
        writer.write(convert(file)).expect("records written");
    }
    writer.commit(FULL_SET_MINIMUM).expect("snapshot committed");
}

/// Quotes one CSV field, doubling inner quotes.
fn csv_field(out: &mut String, value: &str) {
    out.push('"');
    out.push_str(&value.replace('"', "\"\""));
    out.push('"');
}

fn csv_row(out: &mut String, fields: &[String]) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        csv_field(out, field);
    }
    out.push('\n');
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

/// Writes the rows the store inserts as CSV files, one per table, and
/// returns the sqlite3 script that loads them into plain tables.
fn write_csv(dir: &Path, files: &[SourceFile]) -> String {
    let mut tables: [(&str, &str, String); 6] = [
        (
            "snapshot_file",
            "snapshot_id, name, sha256, bytes",
            String::new(),
        ),
        (
            "medicine",
            "snapshot_id, cis, name, form, routes, authorisation_status, marketed, holders, reinforced_monitoring",
            String::new(),
        ),
        (
            "presentation",
            "snapshot_id, cip13, cis, cip7, label, marketed, price_cents, public_price_cents, dispensing_fee_cents, rate_percent",
            String::new(),
        ),
        ("generic_group", "snapshot_id, id, label", String::new()),
        (
            "generic_member",
            "snapshot_id, group_id, cis, role, rank",
            String::new(),
        ),
        (
            "document",
            "snapshot_id, schema, seq, cis, body",
            String::new(),
        ),
    ];
    let mut seq = 0;
    for file in files {
        let digest = sha256(&file.bytes)
            .iter()
            .fold(String::new(), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            });
        csv_row(
            &mut tables[0].2,
            &[
                "1".into(),
                file.name.clone(),
                digest,
                file.bytes.len().to_string(),
            ],
        );
        for record in convert(file) {
            match record {
                StoreRecord::Medicine(m) => csv_row(
                    &mut tables[1].2,
                    &[
                        "1".into(),
                        m.cis,
                        m.name,
                        m.form,
                        serde_json::to_string(&m.routes).expect("JSON"),
                        m.authorisation_status,
                        u8::from(m.marketed).to_string(),
                        serde_json::to_string(&m.holders).expect("JSON"),
                        u8::from(m.reinforced_monitoring).to_string(),
                    ],
                ),
                StoreRecord::Presentation(p) => csv_row(
                    &mut tables[2].2,
                    &[
                        "1".into(),
                        p.cip13,
                        p.cis,
                        p.cip7,
                        p.label,
                        u8::from(p.marketed).to_string(),
                        optional(p.price_cents),
                        optional(p.public_price_cents),
                        optional(p.dispensing_fee_cents),
                        optional(p.rate_percent),
                    ],
                ),
                StoreRecord::GenericGroup(g) => {
                    csv_row(&mut tables[3].2, &["1".into(), g.id.clone(), g.label]);
                    for member in g.members {
                        csv_row(
                            &mut tables[4].2,
                            &[
                                "1".into(),
                                g.id.clone(),
                                member.cis,
                                member.role.as_str().into(),
                                member.rank.to_string(),
                            ],
                        );
                    }
                }
                StoreRecord::Json(document) => {
                    seq += 1;
                    let cis = serde_json::from_str::<serde_json::Value>(&document.body)
                        .ok()
                        .and_then(|value| value.get("cis")?.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    csv_row(
                        &mut tables[5].2,
                        &[
                            "1".into(),
                            document.schema,
                            seq.to_string(),
                            cis,
                            document.body,
                        ],
                    );
                }
                StoreRecord::Practitioner(_) => {
                    unreachable!("the BDPM files hold no practitioners")
                }
            }
        }
    }

    let mut script =
        String::from("PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n.mode csv\n");
    for (table, columns, rows) in &tables {
        let path = dir.join(format!("{table}.csv"));
        std::fs::write(&path, rows).expect("CSV written");
        let _ = writeln!(script, "CREATE TABLE {table} ({columns});");
        let _ = writeln!(script, ".import {} {table}", path.display());
    }
    script
}

fn main() {
    let mut files = read_set("2026-01-28");
    files.extend(read_set("2023-11-18-has"));
    let bytes: usize = files.iter().map(|file| file.bytes.len()).sum();
    println!("input: {} files, {} bytes", files.len(), bytes);

    let mut parse_samples = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let records: usize = files.iter().map(|file| convert(file).len()).sum();
        parse_samples.push(started.elapsed());
        std::hint::black_box(records);
    }
    let parse = median(parse_samples);
    println!("parse and convert only: {parse:?}");

    let mut import_samples = Vec::new();
    for _ in 0..RUNS {
        let dir = tempfile::tempdir().expect("temporary directory");
        let started = Instant::now();
        import_files(dir.path(), &files);
        import_samples.push(started.elapsed());
    }
    let import = median(import_samples);
    println!("import (parse + convert + store + commit): {import:?}");

    let csv_dir = tempfile::tempdir().expect("temporary directory");
    let script = csv_dir.path().join("load.sql");
    std::fs::write(&script, write_csv(csv_dir.path(), &files)).expect("script written");
    let mut load_samples = Vec::new();
    for run in 0..RUNS {
        let db = csv_dir.path().join(format!("plain-{run}.sqlite3"));
        let started = Instant::now();
        let output = Command::new("sqlite3")
            .arg(&db)
            .stdin(std::fs::File::open(&script).expect("script readable"))
            .output()
            .expect("sqlite3 on PATH; install the Debian package sqlite3");
        load_samples.push(started.elapsed());
        assert!(
            output.status.success(),
            "sqlite3 .import failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let load = median(load_samples);
    println!("sqlite3 .import of the same rows into plain tables: {load:?}");
    println!(
        "ratio import / sqlite3 .import: {:.2}",
        import.as_secs_f64() / load.as_secs_f64()
    );

    if let Some(end_to_end) = import_through_plugin(&files) {
        println!("mediflux data import bdpm (plugin, host, store): {end_to_end:?}");
        println!(
            "ratio mediflux data import / sqlite3 .import: {:.2}",
            end_to_end.as_secs_f64() / load.as_secs_f64()
        );
    }
}

/// Imports `files` with the release `mediflux` binary next to this bench,
/// in a fresh data folder each run, and returns the median time. Returns
/// `None` when the binary has not been built.
fn import_through_plugin(files: &[SourceFile]) -> Option<Duration> {
    let bench = std::env::current_exe().ok()?;
    let binary = bench.parent()?.parent()?.join("mediflux");
    if !binary.exists() {
        println!(
            "skipping the end-to-end import: build {} first",
            binary.display()
        );
        return None;
    }

    let input = tempfile::tempdir().expect("temporary directory");
    for file in files {
        std::fs::write(input.path().join(&file.name), &file.bytes).expect("input file written");
    }
    let config = input.path().join("empty-config.toml");
    std::fs::write(&config, "").expect("configuration written");

    // One compiled-plugin cache for every run, warmed by an untimed run,
    // so that the figure is the import and not the first compilation.
    let cache = tempfile::tempdir().expect("temporary directory");
    let mut samples = Vec::new();
    for run in 0..=RUNS {
        let data = tempfile::tempdir().expect("temporary directory");
        let started = Instant::now();
        let output = Command::new(&binary)
            .env("MEDIFLUX_CACHE_DIR", cache.path())
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(data.path())
            .args(["data", "import", "bdpm"])
            .arg(input.path())
            .output()
            .expect("run mediflux");
        if run > 0 {
            samples.push(started.elapsed());
        }
        assert!(
            output.status.success(),
            "mediflux data import failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Some(median(samples))
}
