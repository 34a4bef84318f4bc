//! Evaluation: the metrics on a small set of our own, and the figures on
//! the shared evaluation set with its typo and accent-less variants.

mod common;

use common::{bdpm_names, fixture_intents, sample_router, shared_dir, today};
use mediflux_router::{EvalCase, Router, evaluate, parse_eval_set, read_eval_set, typo_variants};

#[test]
fn small_set_counts_intents_and_slots() {
    let router = sample_router();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/small.tsv"
    ))
    .expect("small.tsv is readable");
    let cases = parse_eval_set(&text).expect("small.tsv is valid");

    let report = evaluate(&router, &cases, today());
    println!("{report}");

    assert_eq!(report.cases, 6);
    assert_eq!(report.intent_correct, 6, "{report}");
    assert_eq!(report.slot_true_positives, 7, "{report}");
    assert_eq!(report.slot_false_negatives, 0, "{report}");
    assert_eq!(report.slot_false_positives, 0, "{report}");
    assert!((report.slot_f1() - 1.0).abs() < 1e-9);
}

#[test]
fn report_counts_wrong_slots_both_ways() {
    let router = sample_router();
    let cases = parse_eval_set("Prix du Doliprane\tcost.medication\tmedication=dafalgan\n")
        .expect("valid line");

    let report = evaluate(&router, &cases, today());

    assert_eq!(report.intent_correct, 1);
    assert_eq!(report.slot_false_negatives, 1);
    assert_eq!(report.slot_false_positives, 1);
    assert_eq!(report.slot_precision(), 0.0);
    assert_eq!(report.misses.len(), 1);
}

#[test]
fn report_lists_confusions() {
    let router = sample_router();
    let cases = parse_eval_set("Bonjour\tcare.pathway\t\nBonjour\thelp\t\n").expect("valid lines");

    let report = evaluate(&router, &cases, today());

    assert_eq!(report.confusions(), vec![("care.pathway", "help", 1)]);
    assert_eq!(
        report
            .confusion
            .get(&("help".to_owned(), "help".to_owned())),
        Some(&1)
    );
}

/// Routes the shared evaluation set with all BDPM names and prints the
/// figures. The floors catch regressions. The targets are 97 % intent
/// accuracy, 90 % slot F1 and 90 % on variants.
#[test]
fn shared_eval_set_figures() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: no shared data folder beside the repository");
        return;
    };
    let Some(names) = bdpm_names() else {
        eprintln!("skipped: no BDPM CIS_bdpm.txt in the shared data");
        return;
    };
    let cases = read_eval_set(&shared.join("eval/queries.tsv")).expect("queries.tsv is valid");
    let router = Router::new(fixture_intents(), &names).expect("fixture intents compile");

    let report = evaluate(&router, &cases, today());
    println!(
        "== shared eval set, rules only, {} BDPM names ==\n{report}",
        names.len()
    );

    let variants: Vec<EvalCase> = cases
        .iter()
        .flat_map(|case| {
            typo_variants(&case.query)
                .into_iter()
                .map(|query| EvalCase {
                    query,
                    intent: case.intent.clone(),
                    slots: case.slots.clone(),
                })
        })
        .collect();
    let variant_report = evaluate(&router, &variants, today());
    println!(
        "== typo and accent-less variants ==\nvariants {}, intent accuracy {:.1} %, slot F1 {:.1} %",
        variant_report.cases,
        100.0 * variant_report.intent_accuracy(),
        100.0 * variant_report.slot_f1()
    );
    for miss in variant_report
        .misses
        .iter()
        .filter(|miss| miss.expected_intent != miss.routed_intent)
    {
        println!(
            "variant miss: {:?} expected {} routed {}",
            miss.query, miss.expected_intent, miss.routed_intent
        );
    }

    assert!(report.intent_accuracy() >= 0.80, "{report}");
    assert!(report.slot_f1() >= 0.75, "{report}");
    assert!(variant_report.intent_accuracy() >= 0.75);
}
