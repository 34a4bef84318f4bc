//! Typo-tolerant word lookup: bounded edit distance and French phonetics.
//!
//! [`Lexicon`] finds, for a misspelt word, the known word at the smallest
//! optimal string alignment distance (Levenshtein plus the swap of two
//! adjacent letters). Candidates come from a symmetric-delete index: every
//! word is stored with the strings obtained by deleting one or two of its
//! letters, so a lookup hashes the deletions of the query and never scans
//! the whole vocabulary. When no word is close enough in spelling, a French
//! phonetic key ("dolipranne" and "doliprane", "farmacie" and "pharmacie")
//! is tried.

use std::collections::HashMap;

/// Origin of a lexicon word, used to break ties between candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum WordSource {
    /// A word of a routing rule or of a slot vocabulary; preferred.
    Vocabulary,
    /// A word of a medicine name.
    Medication,
}

/// Words of the shortest length that typo correction considers.
const MIN_FUZZY_LENGTH: usize = 4;

/// Words at least this long may be corrected at distance 2; shorter ones
/// only at distance 1, because two edits on a short word reach too many
/// unrelated words.
const DISTANCE_TWO_LENGTH: usize = 9;

/// A set of words with exact, edit-distance and phonetic lookups.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    words: Vec<String>,
    sources: Vec<WordSource>,
    exact: HashMap<String, u32>,
    /// Sorted pairs of (hash of a deletion variant, word index).
    deletions: Vec<(u64, u32)>,
    phonetic: HashMap<String, u32>,
}

impl Lexicon {
    /// Adds a word unless it is already present; a vocabulary word replaces
    /// the medication source of an identical word.
    pub(crate) fn insert(&mut self, word: &str, source: WordSource) {
        if let Some(&index) = self.exact.get(word) {
            let slot = &mut self.sources[index as usize];
            *slot = (*slot).min(source);
            return;
        }
        let index = self.words.len() as u32;
        self.words.push(word.to_owned());
        self.sources.push(source);
        self.exact.insert(word.to_owned(), index);
    }

    /// Builds the deletion and phonetic indexes; call after the last insert.
    pub(crate) fn build(&mut self) {
        let mut deletions = Vec::new();
        let mut buffer = Vec::new();
        for (index, word) in self.words.iter().enumerate() {
            let bytes = word.as_bytes();
            if bytes.len() < MIN_FUZZY_LENGTH || !word.is_ascii() {
                continue;
            }
            let depth = max_distance(bytes.len());
            for_each_deletion(bytes, depth, &mut buffer, &mut |hash| {
                deletions.push((hash, index as u32));
            });
        }
        deletions.sort_unstable();
        deletions.dedup();
        self.deletions = deletions;

        let mut phonetic: HashMap<String, u32> = HashMap::new();
        for (index, word) in self.words.iter().enumerate() {
            if word.len() < 5 {
                continue;
            }
            let key = phonetic_key(word);
            let index = index as u32;
            match phonetic.get(&key) {
                Some(&existing)
                    if self.sources[existing as usize] <= self.sources[index as usize] => {}
                _ => {
                    phonetic.insert(key, index);
                }
            }
        }
        self.phonetic = phonetic;
    }

    /// Returns whether the word is in the lexicon as written.
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.exact.contains_key(word)
    }

    /// Returns the closest known word to a word that is not in the lexicon,
    /// or `None` when no word is within the allowed distance and none
    /// sounds the same.
    pub(crate) fn correct(&self, word: &str) -> Option<&str> {
        let bytes = word.as_bytes();
        if bytes.len() < MIN_FUZZY_LENGTH || !word.is_ascii() {
            return None;
        }
        if bytes.iter().any(u8::is_ascii_digit) {
            return None;
        }

        let allowed = max_distance(bytes.len());
        let mut best: Option<(usize, WordSource, u32)> = None;
        let mut buffer = Vec::new();
        for_each_deletion(bytes, allowed, &mut buffer, &mut |hash| {
            let first = self.deletions.partition_point(|&(key, _)| key < hash);
            for &(key, index) in &self.deletions[first..] {
                if key != hash {
                    break;
                }
                let candidate = self.words[index as usize].as_bytes();
                let distance = osa_distance(bytes, candidate);
                if distance == 0 || distance > allowed {
                    continue;
                }
                // Two edits are accepted only when the first letter agrees,
                // because people rarely mistype a word's first letter.
                if distance == 2 && candidate[0] != bytes[0] {
                    continue;
                }
                let rank = (distance, self.sources[index as usize], index);
                if best.is_none_or(|current| rank < current) {
                    best = Some(rank);
                }
            }
        });
        if let Some((_, _, index)) = best {
            return Some(&self.words[index as usize]);
        }

        if bytes.len() < 5 {
            return None;
        }
        self.phonetic
            .get(&phonetic_key(word))
            .map(|&index| self.words[index as usize].as_str())
    }
}

fn max_distance(length: usize) -> usize {
    if length >= DISTANCE_TWO_LENGTH { 2 } else { 1 }
}

/// Calls `visit` with the hash of the word and of every string obtained by
/// deleting up to `depth` of its letters (duplicates included).
fn for_each_deletion(word: &[u8], depth: usize, buffer: &mut Vec<u8>, visit: &mut impl FnMut(u64)) {
    visit(hash_bytes(word));
    if depth == 0 {
        return;
    }
    for first in 0..word.len() {
        buffer.clear();
        buffer.extend_from_slice(&word[..first]);
        buffer.extend_from_slice(&word[first + 1..]);
        visit(hash_bytes(buffer));
        if depth < 2 {
            continue;
        }
        for second in first..buffer.len() {
            let hash = hash_skipping(buffer, second);
            visit(hash);
        }
    }
}

/// FNV-1a, 64 bits: fast on short words and good enough for an index
/// whose candidates are always checked by their real distance.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn hash_skipping(bytes: &[u8], skipped: usize) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (index, &byte) in bytes.iter().enumerate() {
        if index == skipped {
            continue;
        }
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and swaps of two adjacent letters each cost 1.
pub(crate) fn osa_distance(left: &[u8], right: &[u8]) -> usize {
    let width = right.len() + 1;
    let mut before_previous = vec![0usize; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0usize; width];

    for i in 1..=left.len() {
        current[0] = i;
        for j in 1..=right.len() {
            let cost = usize::from(left[i - 1] != right[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1] {
                value = value.min(before_previous[j - 2] + 1);
            }
            current[j] = value;
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[right.len()]
}

/// Returns a French phonetic key of a normalised word.
///
/// The key merges spellings that sound alike. It maps `ph` to `f`, `qu`,
/// `k` and hard `c` to `k`, soft `c` and `z` to `s`, `y` to `i`, `eau` and
/// `au` to `o`, `ai` and `ei` to `e`, and `em`, `am`, `en` before a
/// consonant to `an`. It drops a silent `h`, doubled letters and a silent
/// final `e`, `s`, `t`, `x` or `d`.
pub(crate) fn phonetic_key(word: &str) -> String {
    let bytes = word.as_bytes();
    let mut key: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut index = 0;

    while index < bytes.len() {
        let rest = &bytes[index..];
        let next = rest.get(1).copied();
        let (sound, consumed): (&[u8], usize) = match rest {
            [b'p', b'h', ..] => (b"f", 2),
            [b'q', b'u', ..] => (b"k", 2),
            [b'g', b'u', b'e' | b'i', ..] => (b"g", 2),
            [b'e', b'a', b'u', ..] => (b"o", 3),
            [b'a', b'u', ..] => (b"o", 2),
            [b'a' | b'e', b'i', ..] => (b"e", 2),
            [b'e' | b'a', b'm' | b'n', c, ..] if !b"aeiouy".contains(c) => (b"an", 2),
            [b'c', b'h', ..] => (b"sh", 2),
            [b'c', ..] if matches!(next, Some(b'e' | b'i' | b'y')) => (b"s", 1),
            [b'c' | b'q' | b'k', ..] => (b"k", 1),
            [b'z', ..] => (b"s", 1),
            [b'y', ..] => (b"i", 1),
            [b'w', ..] => (b"v", 1),
            [b'h', ..] => (b"", 1),
            [other, ..] => (std::slice::from_ref(other), 1),
            [] => break,
        };
        for &byte in sound {
            if key.last() != Some(&byte) {
                key.push(byte);
            }
        }
        index += consumed;
    }

    while key.len() > 3 && matches!(key.last(), Some(b'e' | b's' | b't' | b'x' | b'd')) {
        key.pop();
    }
    String::from_utf8_lossy(&key).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(words: &[(&str, WordSource)]) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for &(word, source) in words {
            lexicon.insert(word, source);
        }
        lexicon.build();
        lexicon
    }

    #[test]
    fn osa_counts_adjacent_swap_once() {
        assert_eq!(osa_distance(b"combien", b"cobmien"), 1);
        assert_eq!(osa_distance(b"doliprane", b"dolipranne"), 1);
        assert_eq!(osa_distance(b"abc", b"xyz"), 3);
        assert_eq!(osa_distance(b"", b"abc"), 3);
    }

    #[test]
    fn correct_fixes_swapped_letters() {
        let lexicon = lexicon(&[("consultation", WordSource::Vocabulary)]);
        assert_eq!(lexicon.correct("consutlation"), Some("consultation"));
        assert_eq!(lexicon.correct("consultatoin"), Some("consultation"));
    }

    #[test]
    fn correct_fixes_doubled_letter() {
        let lexicon = lexicon(&[("doliprane", WordSource::Medication)]);
        assert_eq!(lexicon.correct("dolipranne"), Some("doliprane"));
    }

    #[test]
    fn correct_prefers_vocabulary_on_ties() {
        let lexicon = lexicon(&[
            ("tarifs", WordSource::Medication),
            ("tarif", WordSource::Vocabulary),
            ("tarie", WordSource::Medication),
        ]);
        assert_eq!(lexicon.correct("tarf"), Some("tarif"));
    }

    #[test]
    fn correct_rejects_distant_words() {
        let lexicon = lexicon(&[("cardiologue", WordSource::Vocabulary)]);
        assert_eq!(lexicon.correct("askdjfkadsjfkadsfjkl"), None);
        assert_eq!(lexicon.correct("dermatologue"), None);
    }

    #[test]
    fn correct_uses_phonetic_key() {
        let lexicon = lexicon(&[("pharmacie", WordSource::Vocabulary)]);
        assert_eq!(lexicon.correct("farmassie"), Some("pharmacie"));
    }

    #[test]
    fn phonetic_key_merges_spellings() {
        assert_eq!(phonetic_key("pharmacie"), phonetic_key("farmacie"));
        assert_eq!(
            phonetic_key("kinesitherapeute"),
            phonetic_key("kinesiterapeute")
        );
        assert_eq!(phonetic_key("ordonnance"), phonetic_key("ordonance"));
    }
}
