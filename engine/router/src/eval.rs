//! Evaluation of a router on a labelled query set.
//!
//! The set is a UTF-8 TSV file: lines starting with `#` are comments, a
//! `query<TAB>intent<TAB>slots` header is skipped, and each other line contains
//! a query, the expected intent (`out_of_scope` for no intent) and the
//! expected slots as `key=value` pairs separated by `;` (the third column
//! may be empty or missing). Slot values are compared ignoring case,
//! accents, hyphens and spaces.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::date::Date;
use crate::error::RouterError;
use crate::normalize::fold_for_comparison;
use crate::router::{Decision, Router};

/// Intent label of a query that no intent should handle.
pub const NO_INTENT: &str = "out_of_scope";

/// One labelled query.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalCase {
    /// The question.
    pub query: String,
    /// Expected intent, or `None` for [`NO_INTENT`].
    pub intent: Option<String>,
    /// Expected slots.
    pub slots: BTreeMap<String, String>,
}

/// A query whose intent or slots differ from the expected ones.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalMiss {
    /// The question.
    pub query: String,
    /// Expected intent label.
    pub expected_intent: String,
    /// Routed intent label.
    pub routed_intent: String,
    /// Expected slots the router did not return, as `key=value`.
    pub missing_slots: Vec<String>,
    /// Returned slots that were not expected, as `key=value`.
    pub unexpected_slots: Vec<String>,
}

/// Intent accuracy, slot precision and recall, and the confusion table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalReport {
    /// Number of queries.
    pub cases: usize,
    /// Queries routed to the expected intent (or to none, as expected).
    pub intent_correct: usize,
    /// Returned slots equal to an expected slot.
    pub slot_true_positives: usize,
    /// Returned slots not expected, or with another value.
    pub slot_false_positives: usize,
    /// Expected slots not returned, or returned with another value.
    pub slot_false_negatives: usize,
    /// Query counts by (expected intent, routed intent) label.
    pub confusion: BTreeMap<(String, String), usize>,
    /// Queries with a wrong intent or wrong slots.
    pub misses: Vec<EvalMiss>,
}

impl EvalReport {
    /// Share of queries routed to the expected intent, from 0 to 1.
    pub fn intent_accuracy(&self) -> f64 {
        ratio(self.intent_correct, self.cases)
    }

    /// Share of returned slots that were expected, from 0 to 1 (1 when no
    /// slot was returned).
    pub fn slot_precision(&self) -> f64 {
        let returned = self.slot_true_positives + self.slot_false_positives;
        if returned == 0 {
            1.0
        } else {
            ratio(self.slot_true_positives, returned)
        }
    }

    /// Share of expected slots that were returned, from 0 to 1 (1 when no
    /// slot was expected).
    pub fn slot_recall(&self) -> f64 {
        let expected = self.slot_true_positives + self.slot_false_negatives;
        if expected == 0 {
            1.0
        } else {
            ratio(self.slot_true_positives, expected)
        }
    }

    /// Harmonic mean of slot precision and recall.
    pub fn slot_f1(&self) -> f64 {
        let (precision, recall) = (self.slot_precision(), self.slot_recall());
        if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        }
    }

    /// Off-diagonal cells of the confusion table, largest first.
    pub fn confusions(&self) -> Vec<(&str, &str, usize)> {
        let mut cells: Vec<(&str, &str, usize)> = self
            .confusion
            .iter()
            .filter(|((expected, routed), _)| expected != routed)
            .map(|((expected, routed), &count)| (expected.as_str(), routed.as_str(), count))
            .collect();
        cells.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)).then(a.1.cmp(b.1)));
        cells
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            formatter,
            "queries {}, intent accuracy {:.1} % ({} correct)",
            self.cases,
            100.0 * self.intent_accuracy(),
            self.intent_correct
        )?;
        writeln!(
            formatter,
            "slots: precision {:.1} %, recall {:.1} %, F1 {:.1} % (TP {}, FP {}, FN {})",
            100.0 * self.slot_precision(),
            100.0 * self.slot_recall(),
            100.0 * self.slot_f1(),
            self.slot_true_positives,
            self.slot_false_positives,
            self.slot_false_negatives
        )?;
        writeln!(formatter, "confusion (expected -> routed: count):")?;
        for ((expected, routed), count) in &self.confusion {
            writeln!(formatter, "  {expected} -> {routed}: {count}")?;
        }
        for miss in &self.misses {
            writeln!(
                formatter,
                "miss: {:?} expected {} routed {} missing [{}] unexpected [{}]",
                miss.query,
                miss.expected_intent,
                miss.routed_intent,
                miss.missing_slots.join("; "),
                miss.unexpected_slots.join("; ")
            )?;
        }
        Ok(())
    }
}

/// Parses an evaluation set in the TSV format described in the module
/// documentation.
pub fn parse_eval_set(text: &str) -> Result<Vec<EvalCase>, RouterError> {
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("query\t") {
            continue;
        }

        let mut columns = line.split('\t');
        let query = columns.next().unwrap_or_default().trim();
        let Some(intent) = columns
            .next()
            .map(str::trim)
            .filter(|intent| !intent.is_empty())
        else {
            return Err(RouterError::InvalidEvaluationLine {
                line: number,
                reason: "missing intent column; write query<TAB>intent<TAB>slots".to_owned(),
            });
        };
        if query.is_empty() {
            return Err(RouterError::InvalidEvaluationLine {
                line: number,
                reason: "empty query".to_owned(),
            });
        }

        let mut slots = BTreeMap::new();
        for pair in columns.next().unwrap_or_default().split(';') {
            let pair = pair.trim();
            if pair.is_empty() {
                continue;
            }
            let Some((key, value)) = pair.split_once('=') else {
                return Err(RouterError::InvalidEvaluationLine {
                    line: number,
                    reason: format!("slot `{pair}` is not key=value"),
                });
            };
            slots.insert(key.trim().to_owned(), value.trim().to_owned());
        }

        cases.push(EvalCase {
            query: query.to_owned(),
            intent: (intent != NO_INTENT).then(|| intent.to_owned()),
            slots,
        });
    }
    Ok(cases)
}

/// Reads and parses an evaluation set file.
pub fn read_eval_set(path: &Path) -> Result<Vec<EvalCase>, RouterError> {
    let text = std::fs::read_to_string(path).map_err(|source| RouterError::ReadEvaluation {
        path: path.to_owned(),
        source,
    })?;
    parse_eval_set(&text)
}

/// Routes every case without context and compares the decisions with the
/// expected intents and slots.
pub fn evaluate(router: &Router, cases: &[EvalCase], today: Date) -> EvalReport {
    evaluate_with(cases, |question| router.route_on(question, None, today))
}

/// Measures any routing function on `cases`, such as the rules followed by
/// the local model; [`evaluate`] measures the rules alone.
pub fn evaluate_with(cases: &[EvalCase], mut route: impl FnMut(&str) -> Decision) -> EvalReport {
    let mut report = EvalReport {
        cases: cases.len(),
        ..EvalReport::default()
    };

    for case in cases {
        let decision = route(&case.query);
        let expected_intent = case.intent.as_deref().unwrap_or(NO_INTENT).to_owned();
        let routed_intent = decision.intent.as_deref().unwrap_or(NO_INTENT).to_owned();
        let intent_ok = expected_intent == routed_intent;
        if intent_ok {
            report.intent_correct += 1;
        }
        *report
            .confusion
            .entry((expected_intent.clone(), routed_intent.clone()))
            .or_default() += 1;

        let mut missing_slots = Vec::new();
        let mut unexpected_slots = Vec::new();
        for (key, value) in &case.slots {
            let found = decision
                .slots
                .get(key)
                .is_some_and(|routed| same_value(routed, value));
            if found {
                report.slot_true_positives += 1;
            } else {
                report.slot_false_negatives += 1;
                missing_slots.push(format!("{key}={value}"));
            }
        }
        for (key, value) in &decision.slots {
            let expected = case
                .slots
                .get(key)
                .is_some_and(|expected| same_value(value, expected));
            if !expected {
                report.slot_false_positives += 1;
                unexpected_slots.push(format!("{key}={value}"));
            }
        }

        if !intent_ok || !missing_slots.is_empty() || !unexpected_slots.is_empty() {
            report.misses.push(EvalMiss {
                query: case.query.clone(),
                expected_intent,
                routed_intent,
                missing_slots,
                unexpected_slots,
            });
        }
    }
    report
}

/// Compares two slot values ignoring case, accents, hyphens and spaces.
pub fn same_value(left: &str, right: &str) -> bool {
    let squeeze = |text: &str| fold_for_comparison(text).replace(' ', "");
    squeeze(left) == squeeze(right)
}

/// Returns three deterministic variants of a query: without accents, with
/// two adjacent letters of its longest word swapped, and with a letter of
/// that word doubled. A query without a word of four letters or more
/// yields itself for the last two.
pub fn typo_variants(query: &str) -> [String; 3] {
    let accentless: String = query
        .chars()
        .map(|character| {
            if character.is_alphabetic() && !character.is_ascii() {
                let folded = fold_for_comparison(&character.to_string());
                let mut letters = folded.chars();
                match (letters.next(), letters.next()) {
                    (Some(letter), None) if character.is_uppercase() => {
                        letter.to_ascii_uppercase().to_string()
                    }
                    _ => folded,
                }
            } else {
                character.to_string()
            }
        })
        .collect();

    let mut longest: Option<(usize, usize)> = None;
    let mut start = None;
    let characters: Vec<char> = query.chars().collect();
    for index in 0..=characters.len() {
        let letter = characters.get(index).is_some_and(|c| c.is_alphabetic());
        match (letter, start) {
            (true, None) => start = Some(index),
            (false, Some(begin)) => {
                let length = index - begin;
                if length >= 4 && longest.is_none_or(|(_, best)| length > best) {
                    longest = Some((begin, length));
                }
                start = None;
            }
            _ => {}
        }
    }
    let Some((begin, length)) = longest else {
        return [accentless, query.to_owned(), query.to_owned()];
    };

    let middle = begin + length / 2;
    let mut swapped = characters.clone();
    swapped.swap(middle - 1, middle);
    let mut doubled = characters.clone();
    doubled.insert(middle, characters[middle]);

    [
        accentless,
        swapped.into_iter().collect(),
        doubled.into_iter().collect(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_cases_and_skips_comments() {
        let text = "# comment\nquery\tintent\tslots\nBonjour\thelp\t\nPrix\tcost.medication\tmedication=doliprane;dosage=1000 mg\nRien\tout_of_scope\n";
        let cases = parse_eval_set(text).expect("valid set");
        assert_eq!(cases.len(), 3);
        assert_eq!(cases[0].intent.as_deref(), Some("help"));
        assert_eq!(
            cases[1].slots.get("dosage").map(String::as_str),
            Some("1000 mg")
        );
        assert_eq!(cases[2].intent, None);
    }

    #[test]
    fn parse_rejects_missing_intent() {
        let error = parse_eval_set("Bonjour\n").expect_err("no intent column");
        assert!(matches!(
            error,
            RouterError::InvalidEvaluationLine { line: 1, .. }
        ));
    }

    #[test]
    fn parse_rejects_malformed_slot() {
        let error = parse_eval_set("Bonjour\thelp\tnoequals\n").expect_err("bad slot");
        assert!(error.to_string().contains("noequals"));
    }

    #[test]
    fn same_value_ignores_case_and_accents() {
        assert!(same_value("Saint-Étienne", "saint etienne"));
        assert!(same_value("200% BR", "200 % br"));
        assert!(!same_value("Lyon", "Lille"));
    }

    #[test]
    fn typo_variants_are_deterministic() {
        let [accentless, swapped, doubled] = typo_variants("Où est le Lévothyrox ?");
        assert_eq!(accentless, "Ou est le Levothyrox ?");
        assert_eq!(swapped, "Où est le Lévohtyrox ?");
        assert_eq!(doubled, "Où est le Lévothhyrox ?");
    }
}
