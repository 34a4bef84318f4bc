//! Routing rules compiled from intent declarations, and their scoring.
//!
//! A rule's `any` and `all` entries are words or phrases, normalised like
//! the question. A phrase matches consecutive words. A final `*` makes the
//! last word a prefix ("rembours*" matches "remboursé" and
//! "remboursement"). A word also matches its plural or feminine form,
//! because the router reduces "consultations" to "consultation" before
//! matching when the singular is a rule word.

use std::collections::{BTreeMap, HashMap};

use mediflux_manifest::Intent;

use crate::error::RouterError;
use crate::fuzzy::osa_distance;
use crate::normalize::normalize;

/// Highest rule weight a manifest may declare.
const MAX_WEIGHT: f32 = 10.0;

/// Score added for each `any` entry matched beyond the first, up to
/// [`MAX_EXTRA_MATCHES`], so a question with more cue words wins a tie.
const EXTRA_MATCH_BONUS: f32 = 0.1;
const MAX_EXTRA_MATCHES: usize = 3;

/// Score added for each `all` entry and required slot, so a more specific
/// rule wins over a looser rule of equal weight.
const SPECIFICITY_BONUS: f32 = 0.05;

/// Shortest prefix that typo correction compares with a misspelt word.
const MIN_FUZZY_PREFIX: usize = 5;

/// A word or phrase of a rule.
#[derive(Debug)]
struct Term {
    /// Word ids of the phrase; the last one is unused for a prefix term.
    words: Vec<u32>,
    /// Prefix the last word must start with, for a term ending in `*`.
    prefix: Option<String>,
}

#[derive(Debug)]
struct Rule {
    intent: usize,
    any: Vec<usize>,
    all: Vec<usize>,
    slots: Vec<String>,
    weight: f32,
}

/// The score of an intent for one question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct IntentScore {
    /// Index of the intent in the router's list.
    pub intent: usize,
    /// Score of its best matching rule.
    pub score: f32,
    /// Whether that rule matched words of the question, not only slots.
    pub cued: bool,
}

/// Compiled rules of every loaded intent.
#[derive(Debug, Default)]
pub(crate) struct RuleSet {
    word_ids: HashMap<String, u32>,
    terms: Vec<Term>,
    /// Non-prefix terms by their first word id.
    terms_by_first_word: HashMap<u32, Vec<usize>>,
    prefix_terms: Vec<usize>,
    rules: Vec<Rule>,
    intent_count: usize,
}

impl RuleSet {
    /// Compiles the rules of `intents`, indexed like the slice.
    pub(crate) fn new(intents: &[(&str, &Intent)]) -> Result<Self, RouterError> {
        let mut set = Self {
            intent_count: intents.len(),
            ..Self::default()
        };
        let mut term_ids: HashMap<String, usize> = HashMap::new();

        for (intent_index, (plugin, intent)) in intents.iter().enumerate() {
            for (rule_index, rule) in intent.rules.iter().enumerate() {
                let invalid = |reason: String| RouterError::InvalidRule {
                    plugin: (*plugin).to_owned(),
                    intent: intent.id.clone(),
                    rule: rule_index,
                    reason,
                };
                if !(rule.weight > 0.0 && rule.weight <= MAX_WEIGHT) {
                    return Err(invalid(format!(
                        "weight {} is outside (0, {MAX_WEIGHT}]",
                        rule.weight
                    )));
                }
                if rule.any.is_empty() && rule.all.is_empty() && rule.slots.is_empty() {
                    return Err(invalid(
                        "the rule has no `any`, `all` or `slots` condition and would match every question"
                            .to_owned(),
                    ));
                }

                let mut compile = |entries: &[String]| -> Result<Vec<usize>, RouterError> {
                    let mut ids = Vec::with_capacity(entries.len());
                    for entry in entries {
                        let id = set.term_id(entry, &mut term_ids).ok_or_else(|| {
                            invalid(format!(
                                "the entry `{entry}` has no letter or digit after normalisation"
                            ))
                        })?;
                        ids.push(id);
                    }
                    Ok(ids)
                };
                let any = compile(&rule.any)?;
                let all = compile(&rule.all)?;

                set.rules.push(Rule {
                    intent: intent_index,
                    any,
                    all,
                    slots: rule.slots.clone(),
                    weight: rule.weight,
                });
            }
        }
        Ok(set)
    }

    fn term_id(&mut self, entry: &str, term_ids: &mut HashMap<String, usize>) -> Option<usize> {
        let prefix_term = entry.trim_end().ends_with('*');
        let normalised = normalize(entry);
        if normalised.is_empty() {
            return None;
        }
        let key = if prefix_term {
            format!("{normalised}*")
        } else {
            normalised.clone()
        };
        if let Some(&id) = term_ids.get(&key) {
            return Some(id);
        }

        let words: Vec<&str> = normalised.split(' ').collect();
        let mut ids = Vec::with_capacity(words.len());
        for word in &words {
            let next = self.word_ids.len() as u32;
            ids.push(*self.word_ids.entry((*word).to_owned()).or_insert(next));
        }
        let prefix = prefix_term
            .then(|| words.last().map(|w| (*w).to_owned()))
            .flatten();

        let id = self.terms.len();
        if prefix.is_some() {
            self.prefix_terms.push(id);
        } else if let Some(&first) = ids.first() {
            self.terms_by_first_word.entry(first).or_default().push(id);
        }
        self.terms.push(Term { words: ids, prefix });
        term_ids.insert(key, id);
        Some(id)
    }

    /// Lists every whole word of the rules, for the typo-correction lexicon.
    /// Prefix words are left out, because a prefix is not a word.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        let prefixes: Vec<&str> = self
            .terms
            .iter()
            .filter_map(|term| term.prefix.as_deref())
            .collect();
        self.word_ids
            .keys()
            .map(String::as_str)
            .filter(move |word| !prefixes.contains(word))
    }

    /// Returns whether a word appears in a rule.
    pub(crate) fn contains_word(&self, word: &str) -> bool {
        self.word_ids.contains_key(word)
    }

    /// Returns whether a word starts with the prefix of a prefix term.
    pub(crate) fn matches_prefix(&self, word: &str) -> bool {
        self.prefix_terms.iter().any(|&id| {
            self.terms[id]
                .prefix
                .as_deref()
                .is_some_and(|prefix| word.starts_with(prefix))
        })
    }

    /// Returns the prefix of a prefix term that the start of a misspelt
    /// word is one edit away from, such as "rembours" for "remborusement".
    pub(crate) fn closest_prefix(&self, word: &str) -> Option<&str> {
        self.prefix_terms.iter().find_map(|&id| {
            let prefix = self.terms[id].prefix.as_deref()?;
            let length = prefix.len();
            if length < MIN_FUZZY_PREFIX || word.len() < length + 2 {
                return None;
            }
            let close = [length - 1, length, length + 1].iter().any(|&end| {
                word.get(..end)
                    .is_some_and(|start| osa_distance(start.as_bytes(), prefix.as_bytes()) <= 1)
            });
            close.then_some(prefix)
        })
    }

    /// Scores every intent with a matching rule, best first.
    pub(crate) fn score(
        &self,
        words: &[&str],
        slots: &BTreeMap<String, String>,
    ) -> Vec<IntentScore> {
        let matched = self.match_terms(words);

        let mut best: Vec<Option<IntentScore>> = vec![None; self.intent_count];
        for rule in &self.rules {
            if !rule.all.iter().all(|&term| matched[term]) {
                continue;
            }
            let any_matches = rule.any.iter().filter(|&&term| matched[term]).count();
            if !rule.any.is_empty() && any_matches == 0 {
                continue;
            }
            if !rule.slots.iter().all(|slot| slots.contains_key(slot)) {
                continue;
            }

            let extra = any_matches.saturating_sub(1).min(MAX_EXTRA_MATCHES);
            let specificity = (rule.all.len() + rule.slots.len()) as f32;
            let score =
                rule.weight + EXTRA_MATCH_BONUS * extra as f32 + SPECIFICITY_BONUS * specificity;
            let cued = !rule.any.is_empty() || !rule.all.is_empty();

            let entry = &mut best[rule.intent];
            if entry.is_none_or(|current| score > current.score) {
                *entry = Some(IntentScore {
                    intent: rule.intent,
                    score,
                    cued,
                });
            }
        }

        let mut scores: Vec<IntentScore> = best.into_iter().flatten().collect();
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.intent.cmp(&b.intent)));
        scores
    }

    /// Returns, for each term, whether the question contains it.
    fn match_terms(&self, words: &[&str]) -> Vec<bool> {
        let mut matched = vec![false; self.terms.len()];
        let ids: Vec<Option<u32>> = words
            .iter()
            .map(|word| self.word_ids.get(*word).copied())
            .collect();

        for start in 0..words.len() {
            if let Some(first) = ids[start]
                && let Some(candidates) = self.terms_by_first_word.get(&first)
            {
                for &term_id in candidates {
                    let term = &self.terms[term_id];
                    let end = start + term.words.len();
                    if end <= ids.len()
                        && term
                            .words
                            .iter()
                            .zip(&ids[start..end])
                            .all(|(a, b)| Some(*a) == *b)
                    {
                        matched[term_id] = true;
                    }
                }
            }

            for &term_id in &self.prefix_terms {
                let term = &self.terms[term_id];
                let Some(prefix) = term.prefix.as_deref() else {
                    continue;
                };
                let last = start + term.words.len() - 1;
                if last >= words.len() || !words[last].starts_with(prefix) {
                    continue;
                }
                let leading = &term.words[..term.words.len() - 1];
                if leading
                    .iter()
                    .zip(&ids[start..last])
                    .all(|(a, b)| Some(*a) == *b)
                {
                    matched[term_id] = true;
                }
            }
        }
        matched
    }
}
