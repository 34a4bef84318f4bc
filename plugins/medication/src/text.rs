//! Word-level reading of medicine names and questions: folding to plain
//! lowercase words, strengths such as « 1 g » or « 75 microgrammes », and
//! the match between what the patient wrote and a BDPM dénomination.

/// Words that never tell two medicines apart.
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou",
    "par", "pour", "sans", "sur", "un", "une",
];

/// Folds `text` to lowercase ASCII words. Accents are removed, `µ` becomes
/// `u`, a decimal comma between digits becomes a dot, `%` is a word of its
/// own, and any other punctuation separates words.
pub fn fold_words(text: &str) -> Vec<String> {
    let characters: Vec<char> = text.chars().collect();
    let mut folded = String::with_capacity(text.len());

    for (index, &character) in characters.iter().enumerate() {
        let between_digits = index > 0
            && characters[index - 1].is_ascii_digit()
            && characters.get(index + 1).is_some_and(char::is_ascii_digit);
        match character {
            ',' | '.' if between_digits => folded.push('.'),
            '%' => folded.push_str(" % "),
            'µ' | 'μ' => folded.push('u'),
            'œ' | 'Œ' => folded.push_str("oe"),
            'æ' | 'Æ' => folded.push_str("ae"),
            other => {
                for lower in other.to_lowercase() {
                    match plain_letter(lower) {
                        Some(plain) => folded.push(plain),
                        None => folded.push(' '),
                    }
                }
            }
        }
    }
    folded.split_whitespace().map(str::to_owned).collect()
}

/// Returns the ASCII letter or digit of a lowercase character, without its
/// accent, or `None` for punctuation.
fn plain_letter(character: char) -> Option<char> {
    let plain = match character {
        'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
        'ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' | 'õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ÿ' => 'y',
        'ñ' => 'n',
        other if other.is_ascii_alphanumeric() => other,
        _ => return None,
    };
    Some(plain)
}

/// Kind of quantity a strength measures, with its amount in the base unit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Quantity {
    /// Mass in micrograms, so that « 1 g » equals « 1000 mg ».
    Micrograms(f64),
    /// Volume in millilitres.
    Millilitres(f64),
    /// Unités internationales.
    InternationalUnits(f64),
    /// Concentration in percent, as in « 2,4 POUR CENT ».
    Percent(f64),
}

/// A strength written in a name or given by the router's `dosage` slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength(Quantity);

impl Strength {
    /// Parses a strength such as `1000 mg`, `1 g`, `75 µg`, `2.5 ml` or
    /// `100000 UI`; `None` when `text` is not a number and a known unit.
    pub fn parse(text: &str) -> Option<Self> {
        let words = fold_words(text);
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        match refs.as_slice() {
            [number, unit, ..] => Self::from_words(number, unit, None),
            _ => None,
        }
    }

    /// Reads the strength of `number` followed by `unit` (and `next`, for
    /// « pour cent »).
    fn from_words(number: &str, unit: &str, next: Option<&str>) -> Option<Self> {
        if !number
            .bytes()
            .all(|byte| byte.is_ascii_digit() || byte == b'.')
        {
            return None;
        }
        let amount: f64 = number.parse().ok()?;
        let quantity = match unit {
            "mg" | "milligramme" | "milligrammes" => Quantity::Micrograms(amount * 1_000.0),
            "g" | "gramme" | "grammes" => Quantity::Micrograms(amount * 1_000_000.0),
            "ug" | "mcg" | "microgramme" | "microgrammes" => Quantity::Micrograms(amount),
            "ml" | "millilitre" | "millilitres" => Quantity::Millilitres(amount),
            "ui" => Quantity::InternationalUnits(amount),
            "%" => Quantity::Percent(amount),
            "pour" if next == Some("cent") => Quantity::Percent(amount),
            _ => return None,
        };
        Some(Self(quantity))
    }

    /// Returns the strengths written in a medicine name, in order: « 500
    /// mg/30 mg » gives two.
    pub fn all_in(name: &str) -> Vec<Self> {
        let words = fold_words(name);
        words
            .iter()
            .enumerate()
            .filter_map(|(index, word)| {
                let unit = words.get(index + 1)?;
                let next = words.get(index + 2).map(String::as_str);
                Self::from_words(word, unit, next)
            })
            .collect()
    }

    /// Returns how the BDPM writes this strength in names, for a search:
    /// masses in mg, or in microgrammes below 1 mg.
    pub fn bdpm_writing(self) -> String {
        match self.0 {
            Quantity::Micrograms(micrograms) if micrograms < 1_000.0 => {
                format!("{} microgrammes", plain_number(micrograms))
            }
            Quantity::Micrograms(micrograms) => format!("{} mg", plain_number(micrograms / 1e3)),
            Quantity::Millilitres(millilitres) => format!("{} ml", plain_number(millilitres)),
            Quantity::InternationalUnits(units) => format!("{} UI", plain_number(units)),
            Quantity::Percent(percent) => format!("{} POUR CENT", plain_number(percent)),
        }
    }

    /// Returns the strength for the patient, with a decimal comma, such as
    /// « 2,5 mg » or « 75 µg ».
    pub fn french(self) -> String {
        let nbsp = '\u{a0}';
        match self.0 {
            Quantity::Micrograms(micrograms) if micrograms < 1_000.0 => {
                format!("{}{nbsp}µg", french_number(micrograms))
            }
            Quantity::Micrograms(micrograms) if micrograms >= 1e6 && micrograms % 1e6 == 0.0 => {
                format!("{}{nbsp}g", french_number(micrograms / 1e6))
            }
            Quantity::Micrograms(micrograms) => {
                format!("{}{nbsp}mg", french_number(micrograms / 1e3))
            }
            Quantity::Millilitres(millilitres) => format!("{}{nbsp}ml", french_number(millilitres)),
            Quantity::InternationalUnits(units) => format!("{}{nbsp}UI", french_number(units)),
            Quantity::Percent(percent) => format!("{}{nbsp}%", french_number(percent)),
        }
    }

    /// Returns whether two strengths are the same amount of the same kind,
    /// within rounding.
    pub fn same_as(self, other: Self) -> bool {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        match (self.0, other.0) {
            (Quantity::Micrograms(a), Quantity::Micrograms(b))
            | (Quantity::Millilitres(a), Quantity::Millilitres(b))
            | (Quantity::InternationalUnits(a), Quantity::InternationalUnits(b))
            | (Quantity::Percent(a), Quantity::Percent(b)) => close(a, b),
            _ => false,
        }
    }
}

/// Writes a number with a dot and no useless zero: `1000`, `2.5`.
fn plain_number(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Writes a number with a decimal comma: `1000`, `2,5`.
fn french_number(value: f64) -> String {
    plain_number(value).replace('.', ",")
}

/// Returns whether every word of the patient's `name` is a whole word of
/// the dénomination `candidate`: « doliprane » matches « DOLIPRANE 1000
/// mg, comprimé » and « DOLIPRANE ADULTES … », not « DOLIPRANETABS … ».
pub fn name_matches(name: &str, candidate: &str) -> bool {
    let wanted = fold_words(name);
    let words = fold_words(candidate);
    !wanted.is_empty() && wanted.iter().all(|word| words.contains(word))
}

/// Returns whether `candidate` is written with `strength`.
pub fn has_strength(candidate: &str, strength: Strength) -> bool {
    Strength::all_in(candidate)
        .into_iter()
        .any(|written| written.same_as(strength))
}

/// Returns the words of `candidate` that tell it apart from medicines of
/// the same name: its form and other descriptive words, without the words
/// of `name`, numbers, units and stop words.
pub fn descriptive_words(name: &str, candidate: &str) -> Vec<String> {
    let named = fold_words(name);
    fold_words(candidate)
        .into_iter()
        .filter(|word| word.len() >= 3 && word.bytes().all(|byte| byte.is_ascii_lowercase()))
        .filter(|word| !named.contains(word) && !STOP_WORDS.contains(&word.as_str()))
        .filter(|word| Strength::from_words("1", word, None).is_none())
        .collect()
}

/// Returns whether the question words contain `word`, also in the plural.
pub fn question_has(question: &[String], word: &str) -> bool {
    question.iter().any(|written| {
        written == word
            || written
                .strip_suffix(['s', 'x'])
                .is_some_and(|singular| singular == word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_accents_and_keeps_decimals() {
        assert_eq!(
            fold_words("DOLIPRANE 2,4 POUR CENT, suspension buvable"),
            ["doliprane", "2.4", "pour", "cent", "suspension", "buvable"]
        );
        assert_eq!(
            fold_words("L'Efferalgan 1 g effervescent(e) à 75 µg"),
            [
                "l",
                "efferalgan",
                "1",
                "g",
                "effervescent",
                "e",
                "a",
                "75",
                "ug"
            ]
        );
        assert_eq!(fold_words("Cœur, 65%"), ["coeur", "65", "%"]);
    }

    #[test]
    fn strength_units_compare_across_writings() {
        let one_gram = Strength::parse("1 g").expect("1 g");
        let thousand = Strength::parse("1000 mg").expect("1000 mg");
        assert!(one_gram.same_as(thousand));
        let micro = Strength::parse("75 µg").expect("75 µg");
        assert!(micro.same_as(Strength::parse("75 microgrammes").expect("75 microgrammes")));
        assert!(!micro.same_as(Strength::parse("75 mg").expect("75 mg")));
        assert!(!thousand.same_as(Strength::parse("1000 ml").expect("1000 ml")));
        assert_eq!(Strength::parse("mille mg"), None);
        assert_eq!(Strength::parse("1000"), None);
    }

    #[test]
    fn strengths_read_from_bdpm_names() {
        let written = Strength::all_in("CODOLIPRANE 500 mg/30 mg, comprimé");
        assert_eq!(written.len(), 2);
        assert!(written[1].same_as(Strength::parse("30 mg").expect("30 mg")));
        assert!(has_strength(
            "DOLIPRANE 2,4 POUR CENT, suspension buvable",
            Strength::parse("2.4 %").expect("2.4 %")
        ));
        assert!(has_strength(
            "LEVOTHYROX 75 microgrammes, comprimé sécable",
            Strength::parse("75 µg").expect("75 µg")
        ));
        assert!(!has_strength(
            "LEVOTHYROX 175 microgrammes, comprimé sécable",
            Strength::parse("75 µg").expect("75 µg")
        ));
    }

    #[test]
    fn strength_writings() {
        let one_gram = Strength::parse("1 g").expect("1 g");
        assert_eq!(one_gram.bdpm_writing(), "1000 mg");
        assert_eq!(one_gram.french(), "1\u{a0}g");
        let micro = Strength::parse("75 µg").expect("75 µg");
        assert_eq!(micro.bdpm_writing(), "75 microgrammes");
        assert_eq!(micro.french(), "75\u{a0}µg");
        assert_eq!(
            Strength::parse("2.5 mg").expect("2.5 mg").french(),
            "2,5\u{a0}mg"
        );
    }

    #[test]
    fn names_match_whole_words_only() {
        assert!(name_matches("doliprane", "DOLIPRANE 1000 mg, comprimé"));
        assert!(name_matches(
            "Doliprane",
            "DOLIPRANE ADULTES 1000 mg, suppositoire"
        ));
        assert!(!name_matches(
            "doliprane",
            "DOLIPRANETABS 1000 mg, comprimé pelliculé"
        ));
        assert!(!name_matches(
            "doliprane",
            "CODOLIPRANE 500 mg/30 mg, comprimé"
        ));
        assert!(name_matches(
            "acide acétylsalicylique",
            "ACIDE ACETYLSALICYLIQUE ARROW 500 mg"
        ));
        assert!(!name_matches("", "DOLIPRANE 1000 mg, comprimé"));
    }

    #[test]
    fn descriptive_words_skip_name_units_and_stop_words() {
        assert_eq!(
            descriptive_words(
                "doliprane",
                "DOLIPRANE 1000 mg, poudre pour solution buvable en sachet-dose"
            ),
            ["poudre", "solution", "buvable", "sachet", "dose"]
        );
        let question = fold_words("Combien de comprimés ?");
        assert!(question_has(&question, "comprime"));
        assert!(!question_has(&question, "gelule"));
    }
}
