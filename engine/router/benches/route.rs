//! Rules-only routing time per query, with the BDPM medicine names loaded.
//!
//! Reads the intents of `tests/fixtures/intents.toml` and the denominations
//! of a BDPM `CIS_bdpm.txt` file (Windows-1252), from
//! `MEDIFLUX_BDPM_CIS` or the shared data folder. Without that file the
//! bench falls back to 16 000 generated names, which measures the same
//! code paths on a different vocabulary. Criterion reports the mean time
//! per query; the bench also prints p50 and p99 over single routings.

// Criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use mediflux_manifest::Intent;
use mediflux_router::{Date, Router};

const DEFAULT_CIS_FILE: &str = "/work/shared/data/bdpm/2026-01-28/CIS_bdpm.txt";

/// Queries written for the bench, covering every intent and slot kind.
const QUERIES: &[&str] = &[
    "Combien coûte le Dafalgan 1 g avec une mutuelle à 150 % ?",
    "prix de l'ibuprofene 200 sans mutuelle",
    "Combien me coûte une consultation chez un pneumologue en secteur 2 ?",
    "Je cherche une infirmière à Clermont-Ferrand",
    "Quel suivi pour une insuffisance cardiaque ?",
    "Peux-tu analyser ma feuille de soins du 12 mars 2025 ?",
    "Quels sont les effets secondaires du Kardegic ?",
    "Je suis passé à une complémentaire à 300 %",
    "Bonsoir, comment ça marche ?",
    "Quelle heure est-il à Tokyo ?",
    "combein cuote un kinne a lile",
    "Ophtalmologiste dans le 11e arrondissement",
];

#[derive(serde::Deserialize)]
struct Fixture {
    plugins: Vec<FixturePlugin>,
}

#[derive(serde::Deserialize)]
struct FixturePlugin {
    id: String,
    intents: Vec<Intent>,
}

fn load_intents() -> Vec<(String, Intent)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intents.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()));
    let fixture: Fixture = toml::from_str(&text)
        .unwrap_or_else(|error| panic!("invalid fixture {}: {error}", path.display()));
    fixture
        .plugins
        .into_iter()
        .flat_map(|plugin| {
            let id = plugin.id;
            plugin
                .intents
                .into_iter()
                .map(move |intent| (id.clone(), intent))
        })
        .collect()
}

fn load_names() -> Vec<String> {
    let path = std::env::var_os("MEDIFLUX_BDPM_CIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CIS_FILE));
    match std::fs::read(&path) {
        Ok(bytes) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            text.lines()
                .filter_map(|line| line.split('\t').nth(1).map(str::to_owned))
                .collect()
        }
        Err(error) => {
            eprintln!(
                "cannot read {} ({error}); using 16000 generated names",
                path.display()
            );
            (0..16_000)
                .map(|index| format!("MEDIC{index:05}ALINE {} mg, comprimé", index % 1000))
                .collect()
        }
    }
}

fn percentiles(router: &Router, today: Date) -> (f64, f64) {
    let mut samples = Vec::new();
    for _ in 0..2_000 {
        for query in QUERIES {
            let start = Instant::now();
            black_box(router.route_on(black_box(query), None, today));
            samples.push(start.elapsed().as_secs_f64() * 1e6);
        }
    }
    samples.sort_by(f64::total_cmp);
    let at = |quantile: f64| samples[((samples.len() - 1) as f64 * quantile) as usize];
    (at(0.50), at(0.99))
}

fn bench_route(criterion: &mut Criterion) {
    let names = load_names();
    let build_start = Instant::now();
    let router = Router::new(load_intents(), &names).expect("fixture intents compile");
    eprintln!(
        "router built from {} names in {:.1} ms",
        router.medication_name_count(),
        build_start.elapsed().as_secs_f64() * 1e3
    );
    let today = Date::new(2026, 1, 28).expect("valid date");

    let (p50, p99) = percentiles(&router, today);
    eprintln!(
        "route p50 {p50:.1} µs, p99 {p99:.1} µs over {} queries",
        QUERIES.len()
    );

    criterion.bench_function("route_mixed_queries", |bencher| {
        let mut index = 0;
        bencher.iter(|| {
            index = (index + 1) % QUERIES.len();
            black_box(router.route_on(black_box(QUERIES[index]), None, today))
        });
    });
}

criterion_group!(benches, bench_route);
criterion_main!(benches);
