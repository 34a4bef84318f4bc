//! Index of known medicine names, for the `medication` and `dosage` slots.
//!
//! The caller gives full denominations such as "DOLIPRANE 1000 mg,
//! comprimé". The index keeps each name's leading words, up to the first
//! number or comma ("doliprane", "amoxicilline biogaran"). It stores the
//! whole phrase and, unless the first word is generic ("acide",
//! "vitamine") or a common French word, the first word alone, which is how
//! people name a brand or a substance. It also records the strengths
//! written in the names, so "Levothyrox 75" reads as "75 µg".

use std::collections::HashMap;

use crate::normalize::tokenize;
use crate::vocabulary::{COMMON_WORDS, DOSAGE_UNITS, GENERIC_NAME_WORDS};

/// Maximum length of an indexed name phrase, in words.
const MAX_PHRASE_WORDS: usize = 4;

/// Known medicine names, by normalised word and phrase.
#[derive(Debug, Default)]
pub(crate) struct MedicationIndex {
    /// Phrases of two or more words, by their first word.
    phrases: HashMap<String, Vec<Vec<String>>>,
    /// Single words that name a medicine on their own.
    words: HashMap<String, ()>,
    /// Units written after a strength in the names, by (name, number).
    strengths: HashMap<(String, String), &'static str>,
    name_count: usize,
}

impl MedicationIndex {
    /// Builds the index from full denominations or bare names.
    pub(crate) fn new<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut index = Self::default();
        for name in names {
            index.insert(name.as_ref());
        }
        index
    }

    fn insert(&mut self, name: &str) {
        let tokens = tokenize(name.split(',').next().unwrap_or(name));
        let leading: Vec<String> = tokens
            .iter()
            .take_while(|token| !token.text.bytes().any(|b| b.is_ascii_digit()))
            .take(MAX_PHRASE_WORDS)
            .map(|token| token.text.clone())
            .collect();
        let Some(first) = leading.first() else {
            return;
        };
        self.name_count += 1;

        // Every prefix of two words or more is a name too, because users
        // write "acide acetylsalicylique" without the laboratory.
        let entries = self.phrases.entry(first.clone()).or_default();
        for length in 2..=leading.len() {
            let phrase = &leading[..length];
            if !entries.iter().any(|entry| entry == phrase) {
                entries.push(phrase.to_vec());
            }
        }
        if is_standalone_name(first) {
            self.words.insert(first.clone(), ());
        }

        // Record "75 microgrammes" in "LEVOTHYROX 75 microgrammes" as the
        // unit of strength 75 for both the first word and the phrase.
        let texts: Vec<&str> = tokens.iter().map(|token| token.text.as_str()).collect();
        for pair in texts.windows(2).skip(leading.len().saturating_sub(1)) {
            let [number, unit] = pair else { continue };
            if !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                continue;
            }
            let Some(&(_, canonical)) = DOSAGE_UNITS.iter().find(|(word, _)| word == unit) else {
                continue;
            };
            self.strengths
                .entry((first.clone(), (*number).to_owned()))
                .or_insert(canonical);
            if leading.len() > 1 {
                self.strengths
                    .entry((leading.join(" "), (*number).to_owned()))
                    .or_insert(canonical);
            }
            break;
        }
    }

    /// Number of names given to [`MedicationIndex::new`] that had a word.
    pub(crate) fn name_count(&self) -> usize {
        self.name_count
    }

    /// Single words of the index, for the typo-correction lexicon.
    pub(crate) fn standalone_words(&self) -> impl Iterator<Item = &str> {
        self.words.keys().map(String::as_str)
    }

    /// Returns the longest known name starting at `words[0]`, and its length
    /// in words.
    pub(crate) fn longest_match(&self, words: &[&str]) -> Option<(String, usize)> {
        let first = words.first()?;
        let mut best: Option<(String, usize)> = None;
        if let Some(phrases) = self.phrases.get(*first) {
            for phrase in phrases {
                let length = phrase.len();
                if length > words.len() || best.as_ref().is_some_and(|(_, best)| *best >= length) {
                    continue;
                }
                if phrase
                    .iter()
                    .zip(words)
                    .all(|(expected, word)| expected == word)
                {
                    best = Some((phrase.join(" "), length));
                }
            }
        }
        if best.is_none() && self.words.contains_key(*first) {
            best = Some(((*first).to_owned(), 1));
        }
        best
    }

    /// Returns the unit of a strength written without one, such as "75"
    /// after "levothyrox", when a known denomination gives it.
    pub(crate) fn strength_unit(&self, name: &str, number: &str) -> Option<&'static str> {
        self.strengths
            .get(&(name.to_owned(), number.to_owned()))
            .copied()
    }
}

fn is_standalone_name(word: &str) -> bool {
    word.len() >= 3
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && !COMMON_WORDS.contains(&word)
        && !GENERIC_NAME_WORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> MedicationIndex {
        MedicationIndex::new([
            "DOLIPRANE 1000 mg, comprimé",
            "LEVOTHYROX 75 microgrammes, comprimé sécable",
            "ACIDE ACETYLSALICYLIQUE ARROW 500 mg",
            "EAU POUR PRÉPARATIONS INJECTABLES",
        ])
    }

    #[test]
    fn index_keeps_brand_word() {
        let index = index();
        assert_eq!(
            index.longest_match(&["doliprane", "1000"]),
            Some(("doliprane".to_owned(), 1))
        );
    }

    #[test]
    fn index_skips_generic_first_word() {
        let index = index();
        assert_eq!(index.longest_match(&["acide"]), None);
        assert_eq!(index.longest_match(&["eau"]), None);
        assert_eq!(
            index.longest_match(&["acide", "acetylsalicylique", "arrow", "500"]),
            Some(("acide acetylsalicylique arrow".to_owned(), 3))
        );
        assert_eq!(
            index.longest_match(&["acide", "acetylsalicylique", "prix"]),
            Some(("acide acetylsalicylique".to_owned(), 2))
        );
    }

    #[test]
    fn index_records_strength_units() {
        let index = index();
        assert_eq!(index.strength_unit("levothyrox", "75"), Some("µg"));
        assert_eq!(index.strength_unit("doliprane", "1000"), Some("mg"));
        assert_eq!(index.strength_unit("doliprane", "500"), None);
    }
}
