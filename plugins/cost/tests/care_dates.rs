//! The date of care read from French questions, and the rules it selects.

mod common;

use common::{adult, day, doliprane, request, run};
use mediflux_plugin_cost::{CostError, DatePrecision, parse_care_date};

const TODAY: &str = "2026-12-04";

fn parsed(question: &str) -> (String, DatePrecision) {
    match parse_care_date(question, day(TODAY)) {
        Ok(found) => (found.date.to_string(), found.precision),
        Err(error) => panic!("{question}: {error}"),
    }
}

#[test]
fn questions_give_their_dates() {
    let cases = [
        (
            "Combien coûte une consultation le 3 février 2025 ?",
            "2025-02-03",
            DatePrecision::Day,
        ),
        (
            "Remboursement du Doliprane le 1er mars 2024",
            "2024-03-01",
            DatePrecision::Day,
        ),
        ("LE 3 FEVRIER 2025", "2025-02-03", DatePrecision::Day),
        (
            "consultation du 03/02/2025",
            "2025-02-03",
            DatePrecision::Day,
        ),
        ("soins du 2025-02-03", "2025-02-03", DatePrecision::Day),
        (
            "J'ai vu un cardiologue le 3 février",
            "2026-02-03",
            DatePrecision::Day,
        ),
        (
            "J'ai vu un cardiologue le 25 décembre",
            "2025-12-25",
            DatePrecision::Day,
        ),
        ("hier chez le généraliste", "2026-12-03", DatePrecision::Day),
        ("avant-hier", "2026-12-02", DatePrecision::Day),
        ("aujourd’hui", "2026-12-04", DatePrecision::Day),
        (
            "Combien ai-je payé en mars 2024 ?",
            "2024-03-31",
            DatePrecision::Month,
        ),
        ("une radio en mars", "2026-03-31", DatePrecision::Month),
        ("une radio en décembre", "2026-12-04", DatePrecision::Month),
        ("le mois dernier", "2026-11-30", DatePrecision::Month),
        ("en 2023", "2023-12-31", DatePrecision::Year),
        (
            "Combien coûtait le généraliste l'an dernier ?",
            "2025-12-31",
            DatePrecision::Year,
        ),
        ("l’année passée", "2025-12-31", DatePrecision::Year),
        ("cette année", "2026-12-04", DatePrecision::Year),
        ("en 2027", "2027-01-01", DatePrecision::Year),
        (
            "Doliprane 1000 mg avec ma mutuelle à 200 %",
            TODAY,
            DatePrecision::Today,
        ),
    ];

    let mut failures = Vec::new();
    for (question, date, precision) in cases {
        let found = parsed(question);
        if found != (date.to_owned(), precision) {
            failures.push(format!(
                "{question}: expected {date} {precision:?}, got {found:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "dates off:\n{}", failures.join("\n"));
}

#[test]
fn missing_day_is_rejected() {
    let result = parse_care_date("le 31 février 2025", day(TODAY));

    assert!(matches!(result, Err(CostError::InvalidDate { .. })));
}

#[test]
fn period_reports_an_assumption() {
    let month = parse_care_date("en mars 2024", day(TODAY));
    let assumption = month.ok().and_then(|found| found.assumption());

    assert!(assumption.is_some_and(|assumption| assumption.text.contains("31 mars 2024")));
}

#[test]
fn exact_day_reports_no_assumption() {
    let exact = parse_care_date("le 3 février 2025", day(TODAY));

    assert!(exact.is_ok_and(|found| found.assumption().is_none()));
}

#[test]
fn parsed_date_selects_the_franchise() {
    // The medicine franchise went from 0,50 € to 1 € on 2024-03-31.
    let before = parse_care_date("le 30 mars 2024", day(TODAY));
    let after = parse_care_date("en mars 2024", day(TODAY));
    let franchise = |date: String| {
        run(&request(&date, adult(), None, vec![doliprane()]))
            .total
            .deductions_cents
    };

    let before = before.map(|found| franchise(found.date.to_string()));
    let after = after.map(|found| franchise(found.date.to_string()));

    assert_eq!(before, Ok(50));
    assert_eq!(after, Ok(100));
}
