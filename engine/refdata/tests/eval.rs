//! Measures the medicine search on the shared evaluation set of misspelt
//! medication names: the expected denomination prefix must be in the top 3
//! for at least 95 % of the queries.

mod common;

use std::path::Path;

use mediflux_refdata::RefStore;

use common::shared_full_store_dir;

/// Minimum share of queries whose expected name is in the top 3.
const MIN_TOP3_RATE: f64 = 0.95;

/// Returns the (query, expected prefix) pairs of the evaluation set.
fn read_eval_set() -> Vec<(String, String)> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/medication-typos.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "missing evaluation set {}: {error}; it lives in shared/eval next to the repository",
            path.display()
        )
    });
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .map(|line| {
            let (query, prefix) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("line without TAB in {}: {line:?}", path.display()));
            (query.to_owned(), prefix.to_owned())
        })
        .collect()
}

#[test]
fn eval_top3_rate() {
    let store = RefStore::open(shared_full_store_dir()).expect("store opened");
    let cases = read_eval_set();
    assert!(!cases.is_empty(), "empty evaluation set");

    let mut misses = Vec::new();
    for (query, prefix) in &cases {
        let hits = store.search(query, 3).expect("search succeeds");
        let found = hits.iter().any(|hit| hit.name.starts_with(prefix.as_str()));
        if !found {
            let names: Vec<&str> = hits.iter().map(|hit| hit.name.as_str()).collect();
            misses.push(format!("{query:?} expected {prefix:?}, got {names:?}"));
        }
    }

    let rate = 1.0 - misses.len() as f64 / cases.len() as f64;
    println!(
        "medication-typos top-3 rate: {:.1} % ({} of {} queries)",
        rate * 100.0,
        cases.len() - misses.len(),
        cases.len()
    );
    for miss in &misses {
        println!("miss: {miss}");
    }
    assert!(
        rate >= MIN_TOP3_RATE,
        "top-3 rate {:.1} % is below {:.0} %; misses: {misses:#?}",
        rate * 100.0,
        MIN_TOP3_RATE * 100.0
    );
}
