//! Slot extraction from a normalised, typo-corrected question.
//!
//! Each extractor reads the corrected words; the location and the
//! practitioner's name also read the original text, because their values
//! keep the user's spelling. Extractors are independent: a question can
//! yield any set of slots, and the router decides the intent afterwards.

use std::collections::{BTreeMap, HashMap};

use crate::date::Date;
use crate::medication::MedicationIndex;
use crate::normalize::Token;
use crate::vocabulary::{
    AMBIGUOUS_CITIES, CITIES, CITIES_WITH_ARRONDISSEMENTS, CONDITION_PHRASES,
    DEPARTEMENT_INTRODUCERS, DEPARTEMENTS, DOCUMENT_PHRASES, DOSAGE_UNITS, EURO_WORDS,
    EXCLUDED_CONDITION_PHRASES, LOCATION_PREPOSITIONS, MONTHS, PRESCRIPTION_STATUS_WORDS,
    SPECIALTY_PHRASES, WEAK_SPECIALTY_PHRASES,
};

/// A question ready for extraction.
pub(crate) struct Question<'a> {
    /// The text as the user wrote it.
    pub original: &'a str,
    /// Tokens with their byte ranges in `original`.
    pub tokens: &'a [Token],
    /// Normalised words after typo correction, one per token.
    pub words: &'a [&'a str],
    /// The date relative dates are resolved against.
    pub today: Date,
}

impl Question<'_> {
    fn word(&self, index: usize) -> &str {
        self.words.get(index).copied().unwrap_or("")
    }

    fn has_word(&self, word: &str) -> bool {
        self.words.contains(&word)
    }

    /// Returns whether any of `words` is among the `span` words before
    /// `index`.
    fn preceded_by(&self, index: usize, span: usize, words: &[&str]) -> bool {
        let start = index.saturating_sub(span);
        self.words[start..index]
            .iter()
            .any(|word| words.contains(word))
    }

    fn is_capitalised(&self, index: usize) -> bool {
        self.tokens.get(index).is_some_and(|token| {
            self.original[token.start..token.end]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        })
    }
}

/// A table of normalised phrases, matched longest first.
#[derive(Debug, Default)]
pub(crate) struct PhraseTable {
    by_first_word: HashMap<String, Vec<(Vec<String>, &'static str)>>,
}

impl PhraseTable {
    fn new(entries: &[(&str, &'static str)]) -> Self {
        let mut table = Self::default();
        for &(phrase, value) in entries {
            let words: Vec<String> = phrase.split(' ').map(str::to_owned).collect();
            if let Some(first) = words.first() {
                table
                    .by_first_word
                    .entry(first.clone())
                    .or_default()
                    .push((words, value));
            }
        }
        for candidates in table.by_first_word.values_mut() {
            candidates.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        table
    }

    /// Returns the value and length of the longest phrase starting at
    /// `start`.
    fn match_at(&self, words: &[&str], start: usize) -> Option<(&'static str, usize)> {
        let candidates = self.by_first_word.get(*words.get(start)?)?;
        candidates.iter().find_map(|(phrase, value)| {
            let end = start + phrase.len();
            let fits =
                end <= words.len() && phrase.iter().zip(&words[start..end]).all(|(a, b)| a == b);
            fits.then_some((*value, phrase.len()))
        })
    }

    /// Returns the first phrase of the question, with its start and length.
    fn find(&self, words: &[&str]) -> Option<(&'static str, usize, usize)> {
        (0..words.len()).find_map(|start| {
            self.match_at(words, start)
                .map(|(value, length)| (value, start, length))
        })
    }

    /// Lists every word of every phrase, for the typo-correction lexicon.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.by_first_word
            .values()
            .flatten()
            .flat_map(|(words, _)| words.iter().map(String::as_str))
    }
}

/// The slot vocabularies, compiled once for a router.
#[derive(Debug)]
pub(crate) struct SlotVocabulary {
    pub(crate) specialties: PhraseTable,
    pub(crate) weak_specialties: PhraseTable,
    pub(crate) conditions: PhraseTable,
    pub(crate) excluded_conditions: PhraseTable,
    pub(crate) documents: PhraseTable,
    pub(crate) cities: PhraseTable,
    pub(crate) arrondissement_cities: PhraseTable,
    pub(crate) departements: PhraseTable,
    pub(crate) months: HashMap<&'static str, u32>,
}

impl SlotVocabulary {
    pub(crate) fn new() -> Self {
        let excluded: Vec<(&str, &'static str)> = EXCLUDED_CONDITION_PHRASES
            .iter()
            .map(|&phrase| (phrase, ""))
            .collect();
        Self {
            specialties: PhraseTable::new(SPECIALTY_PHRASES),
            weak_specialties: PhraseTable::new(WEAK_SPECIALTY_PHRASES),
            conditions: PhraseTable::new(CONDITION_PHRASES),
            excluded_conditions: PhraseTable::new(&excluded),
            documents: PhraseTable::new(DOCUMENT_PHRASES),
            cities: PhraseTable::new(CITIES),
            arrondissement_cities: PhraseTable::new(CITIES_WITH_ARRONDISSEMENTS),
            departements: PhraseTable::new(DEPARTEMENTS),
            months: MONTHS.iter().copied().collect(),
        }
    }

    /// Lists every word of the slot vocabularies, for the typo-correction
    /// lexicon.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.specialties
            .words()
            .chain(self.weak_specialties.words())
            .chain(self.conditions.words())
            .chain(self.documents.words())
            .chain(self.months.keys().copied())
            .chain([
                "mutuelle",
                "secteur",
                "optam",
                "euros",
                "arrondissement",
                "teleconsultation",
                "ald",
                "c2s",
                "enceinte",
                "declare",
                "complementaire",
                "depassement",
                "conventionne",
            ])
    }
}

/// Extracts every slot the question contains.
pub(crate) fn extract(
    question: &Question<'_>,
    vocabulary: &SlotVocabulary,
    medications: &MedicationIndex,
    excluded_medication_words: &dyn Fn(&str) -> bool,
) -> BTreeMap<String, String> {
    let mut slots = BTreeMap::new();

    extract_medication(question, medications, excluded_medication_words, &mut slots);
    extract_profile_facts(question, &mut slots);
    extract_specialty(question, vocabulary, &mut slots);
    extract_condition(question, vocabulary, &mut slots);
    extract_document(question, vocabulary, &mut slots);
    extract_location(question, vocabulary, &mut slots);
    extract_amount(question, &mut slots);
    extract_mutuelle_level(question, &mut slots);
    extract_sector(question, &mut slots);
    extract_date(question, vocabulary, &mut slots);
    extract_identifiers(question, &mut slots);

    slots
}

fn insert(slots: &mut BTreeMap<String, String>, name: &str, value: impl Into<String>) {
    slots.entry(name.to_owned()).or_insert_with(|| value.into());
}

fn is_number(word: &str) -> bool {
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && word.as_bytes()[0] != b'.'
}

/// Formats a number as written in a slot: "60", "60.5" stays "60.50".
fn format_amount(number: &str) -> String {
    match number.split_once('.') {
        Some((whole, fraction)) if fraction.len() == 1 => format!("{whole}.{fraction}0"),
        Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => whole.to_owned(),
        _ => number.to_owned(),
    }
}

fn extract_medication(
    question: &Question<'_>,
    medications: &MedicationIndex,
    excluded: &dyn Fn(&str) -> bool,
    slots: &mut BTreeMap<String, String>,
) {
    let words = question.words;
    let mut found: Option<(String, usize)> = None;
    for start in 0..words.len() {
        let Some((name, length)) = medications.longest_match(&words[start..]) else {
            continue;
        };
        if length == 1 && excluded(&name) {
            continue;
        }
        found = Some((name, start + length));
        break;
    }
    let Some((name, end)) = found else {
        return;
    };

    // A strength with its unit anywhere after the name, or a bare number
    // right after it ("doliprane 1000"), whose unit comes from the known
    // denominations and is otherwise milligrams.
    let mut dosage = None;
    for (index, word) in words.iter().enumerate().skip(end) {
        if !is_number(word) {
            continue;
        }
        let next = question.word(index + 1);
        if let Some(&(_, unit)) = DOSAGE_UNITS.iter().find(|(word, _)| *word == next) {
            dosage = Some(format!("{word} {unit}"));
            break;
        }
        let bare_allowed = index == end
            && !EURO_WORDS.contains(&next)
            && !matches!(
                next,
                "%" | "an" | "ans" | "mois" | "jours" | "fois" | "boites"
            );
        if bare_allowed {
            let unit = medications
                .strength_unit(&name, words[index])
                .unwrap_or("mg");
            dosage = Some(format!("{} {unit}", words[index]));
            break;
        }
    }

    insert(slots, "medication", name);
    if let Some(dosage) = dosage {
        insert(slots, "dosage", dosage);
    }
}

fn extract_specialty(
    question: &Question<'_>,
    vocabulary: &SlotVocabulary,
    slots: &mut BTreeMap<String, String>,
) {
    let words = question.words;
    if let Some((value, _, _)) = vocabulary.specialties.find(words) {
        insert(slots, "specialty", value);
        return;
    }

    for start in 0..words.len() {
        let Some((value, length)) = vocabulary.weak_specialties.match_at(words, start) else {
            continue;
        };
        let phrase = &words[start..start + length];

        // "Sans (passer par) mon médecin traitant" is the care pathway, not
        // the practitioner asked about, and "mon médecin traitant est
        // déclaré" is a profile fact.
        if phrase.contains(&"traitant")
            && (question.preceded_by(start, 4, &["sans", "pas", "hors"])
                || slots.contains_key("medecin_traitant"))
        {
            continue;
        }

        // "Un spécialiste" is a specialist, but "quels spécialistes voir"
        // is a request for a specialty to see, so it needs a singular determiner.
        if value == "specialiste"
            && !phrase.contains(&"medecin")
            && !question.preceded_by(start, 1, &["un", "le", "chez", "du", "au", "a"])
        {
            continue;
        }

        insert(slots, "specialty", value);
        return;
    }

    if question.has_word("teleconsultation") {
        insert(slots, "specialty", "generaliste");
    }
}

fn extract_condition(
    question: &Question<'_>,
    vocabulary: &SlotVocabulary,
    slots: &mut BTreeMap<String, String>,
) {
    let words = question.words;
    for start in 0..words.len() {
        if vocabulary
            .excluded_conditions
            .match_at(words, start)
            .is_some()
        {
            return;
        }
        if let Some((value, _)) = vocabulary.conditions.match_at(words, start) {
            insert(slots, "condition", value);
            return;
        }
    }
}

fn extract_document(
    question: &Question<'_>,
    vocabulary: &SlotVocabulary,
    slots: &mut BTreeMap<String, String>,
) {
    let words = question.words;
    for start in 0..words.len() {
        let Some((value, _)) = vocabulary.documents.match_at(words, start) else {
            continue;
        };
        if value == "ordonnance" && question.preceded_by(start, 3, PRESCRIPTION_STATUS_WORDS) {
            continue;
        }
        insert(slots, "document_type", value);
        return;
    }
}

fn extract_location(
    question: &Question<'_>,
    vocabulary: &SlotVocabulary,
    slots: &mut BTreeMap<String, String>,
) {
    if let Some(location) = find_arrondissement(question, vocabulary) {
        insert(slots, "location", location);
        return;
    }

    let words = question.words;
    for (index, word) in words.iter().enumerate() {
        let is_postcode = word.len() == 5
            && word.bytes().all(|b| b.is_ascii_digit())
            && !question.preceded_by(index, 1, &["cis"])
            && word.as_bytes()[0] != b'0'
            && !EURO_WORDS.contains(&question.word(index + 1));
        if is_postcode {
            insert(slots, "location", *word);
            return;
        }
    }

    for start in 0..words.len() {
        let Some((city, length)) = vocabulary.cities.match_at(words, start) else {
            continue;
        };
        let introduced = question.preceded_by(start, 1, LOCATION_PREPOSITIONS)
            || question.preceded_by(start, 2, &["pres", "cote"])
            || question.is_capitalised(start);
        let first = words[start];
        if length == 1 && AMBIGUOUS_CITIES.contains(&first) && !introduced {
            continue;
        }
        insert(slots, "location", city);
        return;
    }

    // A département needs a capital and an introducer ("en Gironde", "dans
    // le Rhône"), because many names are also common words.
    for start in 0..words.len() {
        let after_article = start > 0
            && question.preceded_by(start, 1, &["le", "la", "l", "les"])
            && question.preceded_by(start - 1, 1, DEPARTEMENT_INTRODUCERS);
        let introduced = after_article || question.preceded_by(start, 1, DEPARTEMENT_INTRODUCERS);
        if !introduced || !question.is_capitalised(start) {
            continue;
        }
        if let Some((name, _)) = vocabulary.departements.match_at(words, start) {
            insert(slots, "location", name);
            return;
        }
    }

    // An unknown place: a capitalised word after "à", kept as written
    // with its hyphens ("à Saint-Jean-de-Luz").
    for (index, word) in words.iter().enumerate().skip(1) {
        if !question.preceded_by(index, 1, LOCATION_PREPOSITIONS) || !question.is_capitalised(index)
        {
            continue;
        }
        if word.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let token = &question.tokens[index];
        let rest = &question.original[token.start..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
            .unwrap_or(rest.len());
        let place = rest[..end].trim_end_matches(['-', '\'', '’']);
        if !place.is_empty() {
            insert(slots, "location", place);
            return;
        }
    }
}

/// Reads "Paris 15e", "Paris 15", "15e arrondissement (de Paris)" and
/// "Lyon 3ème" as "<City> <N>e" ("1er" for the first).
fn find_arrondissement(question: &Question<'_>, vocabulary: &SlotVocabulary) -> Option<String> {
    let words = question.words;
    let format = |city: &str, number: u32| {
        let suffix = if number == 1 { "er" } else { "e" };
        format!("{city} {number}{suffix}")
    };

    for start in 0..words.len() {
        if let Some((city, length)) = vocabulary.arrondissement_cities.match_at(words, start)
            && let Some(number) = ordinal(question.word(start + length))
        {
            return Some(format(city, number));
        }
    }

    for index in 0..words.len() {
        let Some(number) = ordinal(words[index]) else {
            continue;
        };
        if question.word(index + 1) != "arrondissement" {
            continue;
        }
        let city = (index + 2..(index + 5).min(words.len()))
            .find_map(|start| vocabulary.arrondissement_cities.match_at(words, start))
            .map_or("Paris", |(city, _)| city);
        // NOTE: an arrondissement named without its city is taken to be in
        // Paris, the only city with more than 16 of them.
        return Some(format(city, number));
    }
    None
}

/// Reads "15e", "15eme", "15ieme", "1er" or "15" as an arrondissement
/// number (1 to 20).
fn ordinal(word: &str) -> Option<u32> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "e" | "eme" | "ieme" | "er" | "ere" | "em") {
        return None;
    }
    let number: u32 = digits.parse().ok()?;
    (1..=20).contains(&number).then_some(number)
}

fn extract_amount(question: &Question<'_>, slots: &mut BTreeMap<String, String>) {
    let words = question.words;
    for (index, word) in words.iter().enumerate() {
        if is_number(word) && EURO_WORDS.contains(&question.word(index + 1)) {
            insert(slots, "amount", format_amount(word));
            return;
        }
        if EURO_WORDS.contains(word) && index + 1 < words.len() && is_number(words[index + 1]) {
            insert(slots, "amount", format_amount(words[index + 1]));
            return;
        }
    }
}

fn extract_mutuelle_level(question: &Question<'_>, slots: &mut BTreeMap<String, String>) {
    let words = question.words;
    let insurer_words = ["mutuelle", "complementaire", "br", "contrat", "assurance"];
    for (index, word) in words.iter().enumerate() {
        if !insurer_words[..2].contains(word) {
            continue;
        }
        let negated = question.preceded_by(index, 1, &["sans", "aucune"])
            || (question.preceded_by(index, 2, &["pas"])
                && question.preceded_by(index, 1, &["de", "d"]));
        if negated {
            insert(slots, "mutuelle_level", "none");
            return;
        }
    }

    if !words.iter().any(|word| insurer_words.contains(word)) {
        return;
    }
    for (index, word) in words.iter().enumerate() {
        let percent = question.word(index + 1) == "%"
            || (question.word(index + 1) == "pour" && question.word(index + 2) == "cent");
        if is_number(word) && percent {
            insert(
                slots,
                "mutuelle_level",
                format!("{}% BR", format_amount(word)),
            );
            return;
        }
    }
}

fn extract_sector(question: &Question<'_>, slots: &mut BTreeMap<String, String>) {
    let words = question.words;
    let non_optam = words
        .windows(2)
        .any(|pair| pair[0] == "non" && pair[1] == "optam")
        || question.has_word("nonoptam");
    let optam = question.has_word("optam");

    for (index, word) in words.iter().enumerate() {
        if *word != "secteur" {
            continue;
        }
        match question.word(index + 1) {
            "1" => insert(slots, "sector", "1"),
            "2" if non_optam => insert(slots, "sector", "2 non-OPTAM"),
            "2" if optam => insert(slots, "sector", "2 OPTAM"),
            "2" => insert(slots, "sector", "2"),
            "3" => insert(slots, "sector", "3"),
            _ => continue,
        }
        return;
    }

    if non_optam {
        insert(slots, "sector", "2 non-OPTAM");
    } else if optam {
        insert(slots, "sector", "2 OPTAM");
    } else if words.windows(2).any(|pair| pair == ["non", "conventionne"]) {
        insert(slots, "sector", "3");
    } else if words.iter().enumerate().any(|(index, word)| {
        word.starts_with("depassement") && question.preceded_by(index, 2, &["sans", "pas", "aucun"])
    }) {
        // A doctor who bills no excess fee is in sector 1.
        insert(slots, "sector", "1");
    }
}

fn extract_date(
    question: &Question<'_>,
    vocabulary: &SlotVocabulary,
    slots: &mut BTreeMap<String, String>,
) {
    let words = question.words;
    let today = question.today;

    for (index, word) in words.iter().enumerate() {
        let Some(&month) = vocabulary.months.get(word) else {
            continue;
        };
        // "mai" and "mars" are common words only in other senses, but "may"
        // is an English verb, so English months need a number next to them.
        let year = question.word(index + 1);
        let day = if index > 0 { words[index - 1] } else { "" };
        let year = parse_year(year);
        let day: Option<u32> = day
            .strip_suffix("er")
            .unwrap_or(day)
            .parse()
            .ok()
            .filter(|day| (1..=31).contains(day));
        let introduced = question.preceded_by(index, 1, &["en", "de", "depuis", "in", "mois"]);

        match (day, year) {
            (Some(day), Some(year)) => {
                if let Some(date) = Date::new(year, month, day) {
                    insert(slots, "date", date.to_string());
                    return;
                }
            }
            (None, Some(year)) => {
                insert(slots, "date", format!("{year:04}-{month:02}"));
                return;
            }
            (Some(day), None) => {
                let year = if month > today.month {
                    today.year - 1
                } else {
                    today.year
                };
                if let Some(date) = Date::new(year, month, day) {
                    insert(slots, "date", date.to_string());
                    return;
                }
            }
            (None, None) if introduced => {
                let year = if month > today.month {
                    today.year - 1
                } else {
                    today.year
                };
                insert(slots, "date", format!("{year:04}-{month:02}"));
                return;
            }
            (None, None) => {}
        }
    }

    for (index, word) in words.iter().enumerate() {
        if let Some(date) =
            parse_numeric_date(word, question.word(index + 1), question.word(index + 2))
        {
            insert(slots, "date", date.to_string());
            return;
        }
    }

    let text = words.join(" ");
    let previous_year = [
        "l an dernier",
        "l annee derniere",
        "l an passe",
        "l annee passee",
        "last year",
    ];
    if previous_year
        .iter()
        .any(|phrase| contains_phrase(&text, phrase))
    {
        insert(slots, "date", format!("{:04}", today.year - 1));
        return;
    }
    if ["cette annee", "this year"]
        .iter()
        .any(|phrase| contains_phrase(&text, phrase))
    {
        insert(slots, "date", format!("{:04}", today.year));
        return;
    }
    for (index, word) in words.iter().enumerate() {
        if word == &"il" && question.word(index + 1) == "y" && question.word(index + 2) == "a" {
            let count: Option<i32> = question.word(index + 3).parse().ok();
            if let Some(count) = count
                && matches!(question.word(index + 4), "an" | "ans")
            {
                insert(slots, "date", format!("{:04}", today.year - count));
                return;
            }
        }
    }

    for (index, word) in words.iter().enumerate() {
        let introduced =
            question.preceded_by(index, 1, &["en", "depuis", "annee", "in", "pour", "de"]);
        if let Some(year) = parse_year(word)
            && introduced
        {
            insert(slots, "date", format!("{year:04}"));
            return;
        }
    }
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(start, _)| {
        let end = start + phrase.len();
        (start == 0 || text.as_bytes()[start - 1] == b' ')
            && (end == text.len() || text.as_bytes()[end] == b' ')
    })
}

/// Reads a four-digit year between 1990 and 2099.
fn parse_year(word: &str) -> Option<i32> {
    if word.len() != 4 {
        return None;
    }
    word.parse()
        .ok()
        .filter(|year| (1990..=2099).contains(year))
}

/// Reads "3/2/2025" style dates. The tokeniser splits "/" so the three
/// parts arrive as three words; a "3.02.2025" date arrives as one.
fn parse_numeric_date(first: &str, second: &str, third: &str) -> Option<Date> {
    let parts: Vec<&str> = if first.contains('.') {
        first.split('.').collect()
    } else {
        vec![first, second, third]
    };
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    if day.is_empty() || day.len() > 2 || month.is_empty() || month.len() > 2 {
        return None;
    }
    let year = parse_year(year)?;
    Date::new(year, month.parse().ok()?, day.parse().ok()?)
}

/// Extracts the profile facts a user states: ALD, C2S, médecin traitant,
/// pregnancy month, age, care-pathway status and the act.
fn extract_profile_facts(question: &Question<'_>, slots: &mut BTreeMap<String, String>) {
    let words = question.words;
    let text = words.join(" ");

    if question.has_word("ald") || contains_phrase(&text, "affection de longue duree") {
        insert(slots, "ald", "oui");
    }
    if question.has_word("c2s")
        || question.has_word("cmu")
        || contains_phrase(&text, "complementaire sante solidaire")
    {
        insert(slots, "c2s", "oui");
    }

    if contains_phrase(&text, "medecin traitant") {
        let negated = [
            "pas de medecin traitant",
            "sans medecin traitant",
            "aucun medecin traitant",
        ]
        .iter()
        .any(|phrase| contains_phrase(&text, phrase));
        let declared = [
            "medecin traitant est declare",
            "declare un medecin traitant",
            "declare mon medecin traitant",
            "j ai un medecin traitant",
            "ai declare",
        ]
        .iter()
        .any(|phrase| contains_phrase(&text, phrase));
        let stated = question
            .words
            .first()
            .is_some_and(|word| matches!(*word, "je" | "j" | "mon"));
        if negated && stated && !contains_phrase(&text, "sans passer") {
            insert(slots, "medecin_traitant", "non");
        } else if declared {
            insert(slots, "medecin_traitant", "oui");
        }
        if contains_phrase(&text, "sans medecin traitant")
            || contains_phrase(&text, "sans passer par mon medecin traitant")
            || contains_phrase(&text, "sans passer par le medecin traitant")
            || contains_phrase(&text, "sans passer par un medecin traitant")
        {
            insert(slots, "parcours", "hors");
        }
    }
    if contains_phrase(&text, "hors parcours") {
        insert(slots, "parcours", "hors");
    }

    for (index, word) in words.iter().enumerate() {
        if *word == "enceinte"
            && question.word(index + 1) == "de"
            && let Ok(month) = question.word(index + 2).parse::<u32>()
            && (1..=9).contains(&month)
            && question.word(index + 3) == "mois"
        {
            insert(slots, "pregnancy_month", month.to_string());
        }
        if is_number(word)
            && matches!(question.word(index + 1), "an" | "ans")
            && !question.preceded_by(index, 1, &["a"])
            && question.preceded_by(index, 1, &["de", "ai", "agee", "age"])
            && !question.preceded_by(index, 3, &["depuis", "y"])
        {
            insert(slots, "patient_age", *word);
        }
    }

    if question.has_word("teleconsultation")
        || contains_phrase(&text, "consultation en ligne")
        || contains_phrase(&text, "consultation video")
    {
        insert(slots, "act", "teleconsultation");
    } else if contains_phrase(&text, "visite a domicile") {
        insert(slots, "act", "visite");
    }
}

/// Extracts the CIS code of a medicine and a practitioner's name.
fn extract_identifiers(question: &Question<'_>, slots: &mut BTreeMap<String, String>) {
    let words = question.words;
    for (index, word) in words.iter().enumerate() {
        // CIS codes are the eight-digit BDPM identifiers, all starting with 6.
        let is_cis = word.len() == 8
            && word.bytes().all(|b| b.is_ascii_digit())
            && (question.preceded_by(index, 2, &["cis"]) || word.starts_with('6'));
        if is_cis {
            insert(slots, "cis", *word);
        }

        let title = matches!(*word, "dr" | "docteur" | "docteure" | "pr" | "professeur");
        if title && index + 1 < words.len() && question.is_capitalised(index + 1) {
            let token = &question.tokens[index + 1];
            insert(
                slots,
                "practitioner_name",
                &question.original[token.start..token.end],
            );
        }
    }
}
