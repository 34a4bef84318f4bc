//! Finding the medicine a patient names among the BDPM's dénominations:
//! the name and strength must match, and words of the question such as
//! « comprimé » or « sirop » pick one form among several.

use crate::source::{MedicineRecord, MedicineSource, SourceError};
use crate::text::{
    Strength, descriptive_words, fold_words, has_strength, name_matches, question_has,
};

/// Medicines read per search: the maximum the `bdpm` source returns.
pub const SEARCH_LIMIT: i64 = 50;

/// Near names suggested for a medicine the BDPM does not know.
const SUGGESTIONS_MAX: usize = 5;

/// The outcome of looking a medicine up by name.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// One medicine matches.
    Found(MedicineRecord),
    /// Several medicines match, marketed ones first.
    Several {
        /// The matches.
        candidates: Vec<MedicineRecord>,
        /// Whether every match was read; `false` when a search returned
        /// [`SEARCH_LIMIT`] medicines, so there may be more.
        complete: bool,
    },
    /// Medicines of that name exist, none with the requested strength.
    MissingStrength {
        /// The requested strength.
        strength: Strength,
        /// The medicines of that name, marketed ones first.
        named: Vec<MedicineRecord>,
    },
    /// No medicine of that name.
    NotFound {
        /// Names of the nearest medicines, best first, possibly none.
        suggestions: Vec<String>,
    },
}

/// Looks up the medicine `name` (the router's `medication` slot) with the
/// strength `dosage` when given, using the rest of `question` to choose
/// among forms.
pub fn find_by_name(
    name: &str,
    dosage: Option<&str>,
    question: &str,
    source: &dyn MedicineSource,
) -> Result<Lookup, SourceError> {
    let strength = dosage.and_then(Strength::parse);

    // The source ranks names by similarity to the whole text. A strength
    // written « 1 g » where the BDPM writes « 1000 mg » would pull in other
    // medicines of 1 g, so the name is searched alone, then with the
    // strength as the BDPM writes it.
    let mut found = source.search(name, SEARCH_LIMIT)?;
    let mut complete = found.len() < SEARCH_LIMIT as usize;
    if let Some(strength) = strength {
        let more = source.search(&format!("{name} {}", strength.bdpm_writing()), SEARCH_LIMIT)?;
        complete &= more.len() < SEARCH_LIMIT as usize;
        for medicine in more {
            if !found.iter().any(|known| known.cis == medicine.cis) {
                found.push(medicine);
            }
        }
    }

    let named: Vec<MedicineRecord> = found
        .iter()
        .filter(|medicine| name_matches(name, &medicine.name))
        .cloned()
        .collect();
    if named.is_empty() {
        let mut suggestions: Vec<String> = Vec::new();
        for medicine in &found {
            if suggestions.len() < SUGGESTIONS_MAX && !suggestions.contains(&medicine.name) {
                suggestions.push(medicine.name.clone());
            }
        }
        return Ok(Lookup::NotFound { suggestions });
    }

    let matching: Vec<MedicineRecord> = match strength {
        Some(strength) => named
            .iter()
            .filter(|medicine| has_strength(&medicine.name, strength))
            .cloned()
            .collect(),
        None => named.clone(),
    };
    if let (Some(strength), true) = (strength, matching.is_empty()) {
        return Ok(Lookup::MissingStrength {
            strength,
            named: marketed_first(named),
        });
    }

    let mut chosen = narrow_by_question(name, question, matching);
    if chosen.len() == 1 {
        return Ok(Lookup::Found(chosen.remove(0)));
    }
    Ok(Lookup::Several {
        candidates: marketed_first(chosen),
        complete,
    })
}

/// Keeps the candidates with the most descriptive words (form, variant)
/// found in the question. When exactly one of them has all its
/// descriptive words in the question, keeps that one alone, so that
/// « Doliprane 1000 mg comprimé » picks « DOLIPRANE 1000 mg, comprimé »
/// over « DOLIPRANE 1000 mg, comprimé effervescent sécable ».
fn narrow_by_question(
    name: &str,
    question: &str,
    candidates: Vec<MedicineRecord>,
) -> Vec<MedicineRecord> {
    let question_words = fold_words(question);
    let scores: Vec<(usize, bool)> = candidates
        .iter()
        .map(|candidate| {
            let words = descriptive_words(name, &candidate.name);
            let used = words
                .iter()
                .filter(|word| question_has(&question_words, word))
                .count();
            (used, used == words.len())
        })
        .collect();
    let best = scores.iter().map(|(used, _)| *used).max().unwrap_or(0);
    if best == 0 {
        return candidates;
    }

    let best_candidates: Vec<(MedicineRecord, bool)> = candidates
        .into_iter()
        .zip(scores)
        .filter(|(_, (used, _))| *used == best)
        .map(|(candidate, (_, whole))| (candidate, whole))
        .collect();
    let whole: Vec<&MedicineRecord> = best_candidates
        .iter()
        .filter(|(_, whole)| *whole)
        .map(|(candidate, _)| candidate)
        .collect();
    if let [only] = whole.as_slice() {
        return vec![(*only).clone()];
    }
    best_candidates
        .into_iter()
        .map(|(candidate, _)| candidate)
        .collect()
}

/// Orders medicines marketed first, keeping the source's order otherwise.
fn marketed_first(mut medicines: Vec<MedicineRecord>) -> Vec<MedicineRecord> {
    medicines.sort_by_key(|medicine| !medicine.marketed);
    medicines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{GenericGroupRecord, SnapshotDate};

    /// A source whose search returns every medicine sharing a word with
    /// the text, in list order.
    struct Listed(Vec<MedicineRecord>);

    impl MedicineSource for Listed {
        fn search(&self, text: &str, limit: i64) -> Result<Vec<MedicineRecord>, SourceError> {
            let words = fold_words(text);
            Ok(self
                .0
                .iter()
                .filter(|medicine| {
                    let names = fold_words(&medicine.name);
                    words.iter().any(|word| {
                        names
                            .iter()
                            .any(|name| name.starts_with(word.get(..4).unwrap_or(word)))
                    })
                })
                .take(limit as usize)
                .cloned()
                .collect())
        }

        fn medicine(&self, cis: &str) -> Result<Option<MedicineRecord>, SourceError> {
            Ok(self.0.iter().find(|medicine| medicine.cis == cis).cloned())
        }

        fn generics(&self, _: &str) -> Result<Vec<GenericGroupRecord>, SourceError> {
            Ok(Vec::new())
        }

        fn snapshot_date(&self) -> Result<SnapshotDate, SourceError> {
            Ok(SnapshotDate {
                year: 2026,
                month: 1,
                day: 28,
            })
        }
    }

    fn medicine(cis: &str, name: &str, marketed: bool) -> MedicineRecord {
        MedicineRecord {
            cis: cis.to_owned(),
            name: name.to_owned(),
            marketed,
            ..MedicineRecord::default()
        }
    }

    fn source() -> Listed {
        Listed(vec![
            medicine("60234100", "DOLIPRANE 1000 mg, comprimé", true),
            medicine(
                "66567738",
                "DOLIPRANE 1000 mg, comprimé effervescent sécable",
                true,
            ),
            medicine("69309629", "DOLIPRANE 1000 mg, gélule", true),
            medicine(
                "64793681",
                "DOLIPRANE 100 mg, poudre pour solution buvable",
                false,
            ),
            medicine(
                "60641854",
                "DOLIPRANETABS 1000 mg, comprimé pelliculé",
                true,
            ),
            medicine(
                "61574554",
                "EFFERALGAN 1000 mg, comprimé effervescent",
                true,
            ),
            medicine("61016204", "EFFERALGAN 1000 mg, granulés en sachet", true),
            medicine("63247996", "EFFERALGAN 250 mg, granulés en sachet", false),
            medicine(
                "62080626",
                "LEVOTHYROX 75 microgrammes, comprimé sécable",
                true,
            ),
            medicine(
                "68283252",
                "LEVOTHYROX 175 microgrammes, comprimé sécable",
                true,
            ),
        ])
    }

    fn cis_of(lookup: &Lookup) -> Vec<&str> {
        match lookup {
            Lookup::Found(medicine) => vec![medicine.cis.as_str()],
            Lookup::Several { candidates, .. } => {
                candidates.iter().map(|found| found.cis.as_str()).collect()
            }
            Lookup::MissingStrength { named, .. } => {
                named.iter().map(|found| found.cis.as_str()).collect()
            }
            Lookup::NotFound { .. } => Vec::new(),
        }
    }

    #[test]
    fn name_alone_lists_every_form_marketed_first() {
        let lookup = find_by_name(
            "doliprane",
            None,
            "Quels sont les génériques du Doliprane ?",
            &source(),
        )
        .expect("lookup");
        assert!(matches!(lookup, Lookup::Several { complete: true, .. }));
        assert_eq!(
            cis_of(&lookup),
            ["60234100", "66567738", "69309629", "64793681"]
        );
    }

    #[test]
    fn strength_in_other_unit_finds_medicine() {
        let lookup = find_by_name(
            "efferalgan",
            Some("1 g"),
            "Composition de l'Efferalgan 1 g effervescent ?",
            &source(),
        )
        .expect("lookup");
        assert_eq!(cis_of(&lookup), ["61574554"]);
        assert!(matches!(lookup, Lookup::Found(_)));
    }

    #[test]
    fn form_word_picks_the_plain_form() {
        let lookup = find_by_name(
            "doliprane",
            Some("1000 mg"),
            "Qu'est-ce que le Doliprane 1000 mg comprimé ?",
            &source(),
        )
        .expect("lookup");
        assert_eq!(cis_of(&lookup), ["60234100"]);
    }

    #[test]
    fn strength_alone_picks_one() {
        let lookup = find_by_name(
            "levothyrox",
            Some("75 µg"),
            "Le Levothyrox 75 est-il en rupture ?",
            &source(),
        )
        .expect("lookup");
        assert_eq!(cis_of(&lookup), ["62080626"]);
    }

    #[test]
    fn unknown_strength_lists_the_named() {
        let lookup = find_by_name("efferalgan", Some("750 mg"), "Efferalgan 750", &source())
            .expect("lookup");
        let Lookup::MissingStrength { strength, .. } = &lookup else {
            panic!("expected a missing strength, got {lookup:?}");
        };
        assert_eq!(strength.french(), "750\u{a0}mg");
        assert_eq!(cis_of(&lookup), ["61574554", "61016204", "63247996"]);
    }

    #[test]
    fn unknown_name_suggests_near_names() {
        let lookup = find_by_name("dolipra", None, "Le dolipra ?", &source()).expect("lookup");
        let Lookup::NotFound { suggestions } = lookup else {
            panic!("expected not found");
        };
        assert_eq!(suggestions.len(), 5);
        assert_eq!(suggestions[0], "DOLIPRANE 1000 mg, comprimé");

        let lookup = find_by_name("zorglub", None, "Le zorglub ?", &source()).expect("lookup");
        assert_eq!(
            lookup,
            Lookup::NotFound {
                suggestions: Vec::new()
            }
        );
    }
}
