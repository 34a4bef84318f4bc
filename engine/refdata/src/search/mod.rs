//! In-memory medicine search over the snapshot in service.
//!
//! The catalogue is built from the database when the first search needs it
//! (tens of milliseconds for a full BDPM set), and rebuilt when the current
//! snapshot changes. Building at first use keeps [`crate::RefStore::open`]
//! fast for a command that only looks up a CIP13.
//!
//! Method:
//! 1. names and queries are split into folded tokens, each with a French
//!    phonetic key ([`normalise`]);
//! 2. each query word is matched against the vocabulary of name tokens:
//!    equal text, equal key, key prefix, or a bounded edit distance on keys
//!    among the tokens that share enough trigrams of their key;
//! 3. each medicine that contains a matched word is scored by the mean of
//!    its best match per query word, where numbers weigh less and only
//!    match exactly. A bonus goes to names whose first word matches the
//!    first query word, and small bonuses to marketed products and
//!    marketed presentations.

mod distance;
pub(crate) mod normalise;

use std::collections::HashMap;

use crate::records::is_code;
use distance::bounded_osa;
use normalise::{Token, tokenize};

/// A presentation of a search hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentationSummary {
    /// Code CIP13, 13 digits.
    pub cip13: String,
    /// Libellé of the box.
    pub label: String,
    /// Whether the box is declared as marketed.
    pub marketed: bool,
    /// Price without dispensing fees, in euro cents.
    pub price_cents: Option<i64>,
    /// Public price including the dispensing fees, in euro cents.
    pub public_price_cents: Option<i64>,
    /// Reimbursement rate in percent.
    pub rate_percent: Option<u8>,
}

/// A medicine returned by [`crate::RefStore::search`].
#[derive(Debug, Clone, PartialEq)]
pub struct MedicineHit {
    /// Code CIS, 8 digits.
    pub cis: String,
    /// Dénomination, as published.
    pub name: String,
    /// Forme pharmaceutique.
    pub form: String,
    /// Whether the medicine is declared as marketed.
    pub marketed: bool,
    /// Relevance, higher is better; 1.0 and above is an exact match of every
    /// query word. Only the order of scores within one search is meaningful.
    pub score: f32,
    /// Presentations, marketed first, then cheapest first.
    pub presentations: Vec<PresentationSummary>,
}

/// Row of the `medicine` table read to build the catalogue.
pub(crate) struct CatalogueMedicine {
    pub cis: String,
    pub name: String,
    pub form: String,
    pub marketed: bool,
    pub presentations: Vec<PresentationSummary>,
}

struct IndexedMedicine {
    medicine: CatalogueMedicine,
    /// Vocabulary ids of the name tokens, in name order.
    terms: Vec<u32>,
    has_marketed_presentation: bool,
}

struct Term {
    token: Token,
    /// Medicines whose name contains the term, each once, ascending.
    postings: Vec<u32>,
}

/// Index over the medicine names of one snapshot.
pub(crate) struct Catalogue {
    snapshot_id: i64,
    medicines: Vec<IndexedMedicine>,
    terms: Vec<Term>,
    term_by_text: HashMap<String, u32>,
    /// Alphabetic terms by trigram of their padded phonetic key.
    trigrams: HashMap<[u8; 3], Vec<u32>>,
    /// Alphabetic term ids sorted by phonetic key, for prefix matches.
    terms_by_key: Vec<u32>,
    by_cis: HashMap<String, u32>,
    by_cip: HashMap<String, u32>,
}

/// Weight of a numeric query word relative to a word of letters.
const NUMBER_WEIGHT: f32 = 0.6;
/// Bonus when the first query word matches the first word of the name,
/// which is usually the brand or the substance.
const FIRST_WORD_BONUS: f32 = 0.08;
/// Bonus for a medicine declared as marketed.
const MARKETED_BONUS: f32 = 0.04;
/// Bonus for a medicine with at least one marketed presentation.
const MARKETED_PRESENTATION_BONUS: f32 = 0.02;
/// Penalty per name word, so that among equal matches the name with fewer
/// extra words comes first.
const NAME_LENGTH_PENALTY: f32 = 0.002;
/// Hits scoring below this are dropped.
const MIN_SCORE: f32 = 0.35;
/// Number of names above which a query word counts as common and adds no
/// candidates of its own (see [`Catalogue::candidates`]).
const COMMON_WORD_POSTINGS: usize = 1_500;
/// Maximum terms taken from one prefix range, so that a short prefix does
/// not scan the vocabulary.
const MAX_PREFIX_TERMS: usize = 64;

impl Catalogue {
    /// Builds the index of `medicines`, read from snapshot `snapshot_id`.
    pub(crate) fn build(snapshot_id: i64, medicines: Vec<CatalogueMedicine>) -> Catalogue {
        let mut catalogue = Catalogue {
            snapshot_id,
            medicines: Vec::with_capacity(medicines.len()),
            terms: Vec::new(),
            term_by_text: HashMap::new(),
            trigrams: HashMap::new(),
            terms_by_key: Vec::new(),
            by_cis: HashMap::with_capacity(medicines.len()),
            by_cip: HashMap::new(),
        };

        for (index, medicine) in medicines.into_iter().enumerate() {
            let id = index as u32;
            let mut terms = Vec::new();
            for token in tokenize(&medicine.name) {
                let term = catalogue.intern(token);
                terms.push(term);
                let postings = &mut catalogue.terms[term as usize].postings;
                if postings.last() != Some(&id) {
                    postings.push(id);
                }
            }
            catalogue.by_cis.insert(medicine.cis.clone(), id);
            for presentation in &medicine.presentations {
                catalogue.by_cip.insert(presentation.cip13.clone(), id);
            }
            let has_marketed_presentation = medicine.presentations.iter().any(|p| p.marketed);
            catalogue.medicines.push(IndexedMedicine {
                medicine,
                terms,
                has_marketed_presentation,
            });
        }

        for (id, term) in catalogue.terms.iter().enumerate() {
            if term.token.numeric {
                continue;
            }
            catalogue.terms_by_key.push(id as u32);
            for trigram in trigrams(&term.token.key) {
                catalogue
                    .trigrams
                    .entry(trigram)
                    .or_default()
                    .push(id as u32);
            }
        }
        let terms = &catalogue.terms;
        catalogue.terms_by_key.sort_by(|a, b| {
            terms[*a as usize]
                .token
                .key
                .cmp(&terms[*b as usize].token.key)
        });
        catalogue
    }

    /// Returns the snapshot the catalogue was built from.
    pub(crate) fn snapshot_id(&self) -> i64 {
        self.snapshot_id
    }

    /// Returns the number of distinct name tokens.
    pub(crate) fn vocabulary_size(&self) -> usize {
        self.terms.len()
    }

    fn intern(&mut self, token: Token) -> u32 {
        if let Some(&id) = self.term_by_text.get(&token.text) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.term_by_text.insert(token.text.clone(), id);
        self.terms.push(Term {
            token,
            postings: Vec::new(),
        });
        id
    }

    /// Returns up to `limit` medicines ranked by relevance to `text`.
    pub(crate) fn search(&self, text: &str, limit: usize) -> Vec<MedicineHit> {
        if limit == 0 {
            return Vec::new();
        }
        if let Some(hit) = self.code_lookup(text.trim()) {
            return vec![hit];
        }

        let query = tokenize(text);
        if query.is_empty() {
            return Vec::new();
        }

        let matches: Vec<Vec<(u32, f32)>> =
            query.iter().map(|token| self.match_token(token)).collect();
        let candidates = self.candidates(&query, &matches);

        // Dense per-word similarity arrays make the scoring loop an index
        // lookup per name word.
        let mut similarity = vec![vec![0.0f32; self.terms.len()]; query.len()];
        for (word, word_matches) in matches.iter().enumerate() {
            for &(term, score) in word_matches {
                similarity[word][term as usize] = score;
            }
        }

        let mut scored: Vec<(f32, u32)> = candidates
            .into_iter()
            .map(|id| (self.score(id, &query, &similarity), id))
            .filter(|(score, _)| *score >= MIN_SCORE)
            .collect();
        scored.sort_by(|(score_a, id_a), (score_b, id_b)| {
            score_b
                .total_cmp(score_a)
                .then_with(|| self.name(*id_a).cmp(self.name(*id_b)))
        });
        scored.truncate(limit);

        scored
            .into_iter()
            .map(|(score, id)| self.hit(id, score))
            .collect()
    }

    fn name(&self, id: u32) -> &str {
        &self.medicines[id as usize].medicine.name
    }

    /// Returns the medicine of a query that is a CIS or CIP13 code.
    fn code_lookup(&self, text: &str) -> Option<MedicineHit> {
        let id = if is_code(text, 8) {
            self.by_cis.get(text)
        } else if is_code(text, 13) {
            self.by_cip.get(text)
        } else {
            None
        }?;
        Some(self.hit(*id, 1.0))
    }

    /// Returns the vocabulary terms similar to one query word, with their
    /// similarity in `0.0..=1.0`.
    fn match_token(&self, token: &Token) -> Vec<(u32, f32)> {
        let mut matches = Vec::new();
        if let Some(&id) = self.term_by_text.get(&token.text) {
            matches.push((id, 1.0));
        }
        if token.numeric || token.key.len() < 3 {
            return matches;
        }

        let key = token.key.as_bytes();
        let max_distance = max_edits(key.len());
        let query_trigrams = trigrams(&token.key);
        let required = query_trigrams.len().saturating_sub(3 * max_distance).max(1);

        let mut shared: HashMap<u32, usize> = HashMap::new();
        for trigram in &query_trigrams {
            if let Some(terms) = self.trigrams.get(trigram) {
                for &term in terms {
                    *shared.entry(term).or_insert(0) += 1;
                }
            }
        }
        for (term, count) in shared {
            if count < required {
                continue;
            }
            if let Some(score) = key_similarity(key, self.terms[term as usize].token.key.as_bytes())
            {
                push_best(&mut matches, term, score);
            }
        }

        for term in self.prefix_terms(&token.key) {
            let term_key = &self.terms[term as usize].token.key;
            let coverage = key.len() as f32 / term_key.len() as f32;
            push_best(&mut matches, term, 0.7 + 0.2 * coverage);
        }
        matches
    }

    /// Returns the alphabetic terms whose key starts with `prefix`.
    fn prefix_terms<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
        let start = self
            .terms_by_key
            .partition_point(|id| self.terms[*id as usize].token.key.as_str() < prefix);
        self.terms_by_key[start..]
            .iter()
            .copied()
            .take_while(move |id| self.terms[*id as usize].token.key.starts_with(prefix))
            .take(MAX_PREFIX_TERMS)
    }

    /// Returns the medicines that contain a matched word of letters, or a
    /// matched number when the query has no word of letters.
    ///
    /// Words that match many names (`comprimé`, `mg`) add no candidates
    /// when a more selective word exists, because a name that matches none
    /// of the selective words cannot rank above one that does.
    fn candidates(&self, query: &[Token], matches: &[Vec<(u32, f32)>]) -> Vec<u32> {
        let has_letters = query.iter().any(|token| !token.numeric);
        let word_postings: Vec<Option<usize>> = query
            .iter()
            .zip(matches)
            .map(|(token, word_matches)| {
                let number_beside_letters = has_letters && token.numeric;
                let eligible = !number_beside_letters && !word_matches.is_empty();
                eligible.then(|| {
                    word_matches
                        .iter()
                        .map(|(term, _)| self.terms[*term as usize].postings.len())
                        .sum()
                })
            })
            .collect();
        let has_selective = word_postings
            .iter()
            .flatten()
            .any(|postings| *postings <= COMMON_WORD_POSTINGS);

        let mut candidates: Vec<u32> = Vec::new();
        for (postings, word_matches) in word_postings.iter().zip(matches) {
            let Some(postings) = postings else {
                continue;
            };
            if has_selective && *postings > COMMON_WORD_POSTINGS {
                continue;
            }
            for &(term, _) in word_matches {
                candidates.extend_from_slice(&self.terms[term as usize].postings);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    fn score(&self, id: u32, query: &[Token], similarity: &[Vec<f32>]) -> f32 {
        let indexed = &self.medicines[id as usize];
        let mut total = 0.0;
        let mut weights = 0.0;
        let mut first_word_position = None;

        for (word, token) in query.iter().enumerate() {
            let weight = if token.numeric { NUMBER_WEIGHT } else { 1.0 };
            let mut best = 0.0f32;
            let mut best_position = None;
            for (position, &term) in indexed.terms.iter().enumerate() {
                let value = similarity[word][term as usize];
                if value > best {
                    best = value;
                    best_position = Some(position);
                }
            }
            if word == 0 {
                first_word_position = best_position;
            }
            total += weight * best;
            weights += weight;
        }

        let mut score = total / weights;
        if first_word_position == Some(0) {
            score += FIRST_WORD_BONUS;
        }
        if indexed.medicine.marketed {
            score += MARKETED_BONUS;
        }
        if indexed.has_marketed_presentation {
            score += MARKETED_PRESENTATION_BONUS;
        }
        score - NAME_LENGTH_PENALTY * indexed.terms.len() as f32
    }

    fn hit(&self, id: u32, score: f32) -> MedicineHit {
        let medicine = &self.medicines[id as usize].medicine;
        MedicineHit {
            cis: medicine.cis.clone(),
            name: medicine.name.clone(),
            form: medicine.form.clone(),
            marketed: medicine.marketed,
            score,
            presentations: medicine.presentations.clone(),
        }
    }
}

/// Returns the maximum edit distance accepted for a key of `length` bytes.
fn max_edits(length: usize) -> usize {
    match length {
        0..=3 => 0,
        4..=5 => 1,
        6..=8 => 2,
        _ => 3,
    }
}

/// Scores two different phonetic keys: 0.95 when equal, else a value that
/// falls with the edit distance relative to the longer key, or `None` past
/// [`max_edits`].
fn key_similarity(query: &[u8], term: &[u8]) -> Option<f32> {
    if query == term {
        return Some(0.95);
    }
    let distance = bounded_osa(query, term, max_edits(query.len()))?;
    let longer = query.len().max(term.len()) as f32;
    Some(0.9 * (1.0 - distance as f32 / longer))
}

fn push_best(matches: &mut Vec<(u32, f32)>, term: u32, score: f32) {
    match matches.iter_mut().find(|(id, _)| *id == term) {
        Some(existing) => existing.1 = existing.1.max(score),
        None => matches.push((term, score)),
    }
}

/// Returns the trigrams of `key` padded with `^` before and `$` after.
fn trigrams(key: &str) -> Vec<[u8; 3]> {
    let mut padded = Vec::with_capacity(key.len() + 2);
    padded.push(b'^');
    padded.extend_from_slice(key.as_bytes());
    padded.push(b'$');
    padded
        .windows(3)
        .map(|window| [window[0], window[1], window[2]])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn medicine(cis: &str, name: &str, marketed: bool) -> CatalogueMedicine {
        CatalogueMedicine {
            cis: cis.to_owned(),
            name: name.to_owned(),
            form: "comprimé".to_owned(),
            marketed,
            presentations: Vec::new(),
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue::build(
            1,
            vec![
                medicine("10000001", "ZYRTEC 10 mg, comprimé", true),
                medicine("10000002", "CETIRIZINE ZYDUS 10 mg, comprimé", true),
                medicine("10000003", "PHOSPHALUGEL, suspension buvable", true),
                medicine("10000004", "BACTRIM FORTE, comprimé", false),
                medicine("10000005", "BACTRIM FORTE, comprimé", true),
                medicine("10000006", "TOPALGIC 100 mg, comprimé", true),
                medicine("10000007", "TOPALGIC 50 mg, gélule", true),
            ],
        )
    }

    fn top(catalogue: &Catalogue, query: &str) -> Vec<String> {
        catalogue
            .search(query, 3)
            .into_iter()
            .map(|hit| hit.cis)
            .collect()
    }

    #[test]
    fn search_tolerates_phonetic_spelling() {
        let catalogue = catalogue();
        assert_eq!(top(&catalogue, "fosfalujel")[0], "10000003");
        assert_eq!(top(&catalogue, "zirtek")[0], "10000001");
    }

    #[test]
    fn search_ranks_marketed_first() {
        let catalogue = catalogue();
        assert_eq!(top(&catalogue, "bactrim forte"), ["10000005", "10000004"]);
    }

    #[test]
    fn search_prefers_matching_dosage() {
        let catalogue = catalogue();
        assert_eq!(top(&catalogue, "topalgic 50")[0], "10000007");
        assert_eq!(top(&catalogue, "topalgic 100")[0], "10000006");
    }

    #[test]
    fn search_matches_prefix() {
        let catalogue = catalogue();
        assert_eq!(top(&catalogue, "cetiri")[0], "10000002");
    }

    #[test]
    fn search_returns_nothing_for_noise() {
        let catalogue = catalogue();
        assert!(top(&catalogue, "qwxvbn").is_empty());
        assert!(top(&catalogue, "  ").is_empty());
    }

    #[test]
    fn search_finds_cis_code() {
        let catalogue = catalogue();
        assert_eq!(top(&catalogue, "10000006"), ["10000006"]);
    }
}
