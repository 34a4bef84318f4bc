//! Search latency and open time on the full 2026-01-28 BDPM set.
//!
//! Run with `cargo bench -p mediflux-refdata --bench search`. Before the
//! criterion groups it prints the p50 and p99 latency of single searches
//! over the evaluation queries, measured one call at a time on a warm index.

#![allow(missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use mediflux_refdata::RefStore;

/// Rounds of the whole query list for the latency distribution.
const LATENCY_ROUNDS: usize = 50;

/// Queries for the latency measurement: the evaluation set, plus a few
/// longer ones.
fn queries() -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/medication-typos.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("missing evaluation set {}: {error}", path.display()));
    let mut queries: Vec<String> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .filter_map(|line| line.split_once('\t').map(|(query, _)| query.to_owned()))
        .collect();
    queries.extend(
        [
            "paracetamol 1000 mg comprimé effervescent",
            "amoxicilline acide clavulanique 1 g",
            "3400935955838",
            "a",
        ]
        .map(str::to_owned),
    );
    queries
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[index]
}

fn print_latency(store: &RefStore, queries: &[String]) {
    let mut samples = Vec::with_capacity(queries.len() * LATENCY_ROUNDS);
    for _ in 0..LATENCY_ROUNDS {
        for query in queries {
            let started = Instant::now();
            black_box(store.search(query, 10).expect("search succeeds"));
            samples.push(started.elapsed());
        }
    }
    samples.sort();
    println!(
        "search latency over {} calls: p50 {:?}, p99 {:?}, max {:?}",
        samples.len(),
        percentile(&samples, 0.50),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn benches(criterion: &mut Criterion) {
    let dir = common::shared_full_store_dir();
    let store = RefStore::open(dir).expect("store opened");
    let started = Instant::now();
    store.warm_search_index().expect("index built");
    println!("search index build: {:?}", started.elapsed());

    let queries = queries();
    print_latency(&store, &queries);

    criterion.bench_function("search_eval_query", |bencher| {
        let mut next = queries.iter().cycle();
        bencher.iter(|| {
            let query = next.next().expect("cycle never ends");
            black_box(store.search(query, 10).expect("search succeeds"))
        });
    });
    criterion.bench_function("open", |bencher| {
        bencher.iter(|| black_box(RefStore::open(dir).expect("store opened")));
    });
    criterion.bench_function("open_and_build_index", |bencher| {
        bencher.iter(|| {
            let store = RefStore::open(dir).expect("store opened");
            store.warm_search_index().expect("index built");
            black_box(store)
        });
    });
}

criterion_group! {
    name = search;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(search);
