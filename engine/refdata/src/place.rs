//! Places a practitioner search accepts, and the folded city key that
//! addresses and searches share.
//!
//! A place is a postcode (`75014`), a « Paris 15e » style arrondissement of
//! Paris, Lyon or Marseille, a département by code (`69`, `2A`, `971`) or by
//! name (`Gironde`), or else a commune by name (`Saint-Étienne`).

use crate::error::{RefDataError, Result};
use crate::search::normalise::fold_char;

/// A place to search practitioners in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Addresses with one of these postcodes: a postcode as given, or the
    /// postcodes of an arrondissement.
    Postcodes(Vec<String>),
    /// Addresses in a département, found by the start of their postcode.
    ///
    /// NOTE: a few communes have the postcode of a neighbouring
    /// département's sorting office, so they are found under that one.
    Departement {
        /// Code of the département, such as `69`, `2A` or `971`.
        code: String,
        /// Start of the postcodes searched, such as `69` or `971`.
        postcode_prefix: String,
    },
    /// Addresses in a commune, by its name folded with [`city_key`].
    City(String),
}

/// Cities divided into arrondissements: folded name, number of
/// arrondissements and the postcode of the first one, the others following
/// in order (Paris 15e is 75015, Lyon 3e is 69003, Marseille 8e is 13008).
const ARRONDISSEMENT_CITIES: [(&str, u32, u32); 3] = [
    ("paris", 20, 75_001),
    ("lyon", 9, 69_001),
    ("marseille", 16, 13_001),
];

/// Second postcode of the 16th arrondissement of Paris, which has two.
const PARIS_16E_SECOND_POSTCODE: &str = "75116";

/// Overseas départements: code, which is also the start of their postcodes.
const OVERSEAS_DEPARTEMENTS: [&str; 5] = ["971", "972", "973", "974", "976"];

/// Départements by folded name, with their code. Paris is left out, so that
/// « Paris » is searched as the commune, which covers the same addresses.
const DEPARTEMENT_NAMES: &[(&str, &str)] = &[
    ("ain", "01"),
    ("aisne", "02"),
    ("allier", "03"),
    ("alpes de haute provence", "04"),
    ("hautes alpes", "05"),
    ("alpes maritimes", "06"),
    ("ardeche", "07"),
    ("ardennes", "08"),
    ("ariege", "09"),
    ("aube", "10"),
    ("aude", "11"),
    ("aveyron", "12"),
    ("bouches du rhone", "13"),
    ("calvados", "14"),
    ("cantal", "15"),
    ("charente", "16"),
    ("charente maritime", "17"),
    ("cher", "18"),
    ("correze", "19"),
    ("corse du sud", "2A"),
    ("haute corse", "2B"),
    ("cote d or", "21"),
    ("cotes d armor", "22"),
    ("creuse", "23"),
    ("dordogne", "24"),
    ("doubs", "25"),
    ("drome", "26"),
    ("eure", "27"),
    ("eure et loir", "28"),
    ("finistere", "29"),
    ("gard", "30"),
    ("haute garonne", "31"),
    ("gers", "32"),
    ("gironde", "33"),
    ("herault", "34"),
    ("ille et vilaine", "35"),
    ("indre", "36"),
    ("indre et loire", "37"),
    ("isere", "38"),
    ("jura", "39"),
    ("landes", "40"),
    ("loir et cher", "41"),
    ("loire", "42"),
    ("haute loire", "43"),
    ("loire atlantique", "44"),
    ("loiret", "45"),
    ("lot", "46"),
    ("lot et garonne", "47"),
    ("lozere", "48"),
    ("maine et loire", "49"),
    ("manche", "50"),
    ("marne", "51"),
    ("haute marne", "52"),
    ("mayenne", "53"),
    ("meurthe et moselle", "54"),
    ("meuse", "55"),
    ("morbihan", "56"),
    ("moselle", "57"),
    ("nievre", "58"),
    ("nord", "59"),
    ("oise", "60"),
    ("orne", "61"),
    ("pas de calais", "62"),
    ("puy de dome", "63"),
    ("pyrenees atlantiques", "64"),
    ("hautes pyrenees", "65"),
    ("pyrenees orientales", "66"),
    ("bas rhin", "67"),
    ("haut rhin", "68"),
    ("rhone", "69"),
    ("haute saone", "70"),
    ("saone et loire", "71"),
    ("sarthe", "72"),
    ("savoie", "73"),
    ("haute savoie", "74"),
    ("seine maritime", "76"),
    ("seine et marne", "77"),
    ("yvelines", "78"),
    ("deux sevres", "79"),
    ("somme", "80"),
    ("tarn", "81"),
    ("tarn et garonne", "82"),
    ("var", "83"),
    ("vaucluse", "84"),
    ("vendee", "85"),
    ("vienne", "86"),
    ("haute vienne", "87"),
    ("vosges", "88"),
    ("yonne", "89"),
    ("territoire de belfort", "90"),
    ("essonne", "91"),
    ("hauts de seine", "92"),
    ("seine saint denis", "93"),
    ("val de marne", "94"),
    ("val d oise", "95"),
    ("guadeloupe", "971"),
    ("martinique", "972"),
    ("guyane", "973"),
    ("la reunion", "974"),
    ("reunion", "974"),
    ("mayotte", "976"),
];

impl Place {
    /// Reads a place as a person writes it: `75014`, `Paris 15e`, `Lyon
    /// 1er`, `Marseille 13008`, `69`, `2A`, `Gironde`, `Saint-Étienne`.
    ///
    /// A five-digit word anywhere is taken as the postcode. A département
    /// name is read as the département, even where a commune has the same
    /// name (« Vienne »).
    ///
    /// # Errors
    ///
    /// [`RefDataError::InvalidPlace`] for an empty place or an
    /// arrondissement that does not exist, such as « Lyon 12e ».
    pub fn parse(text: &str) -> Result<Place> {
        let invalid = |problem: String| RefDataError::InvalidPlace {
            value: text.to_owned(),
            problem,
        };
        let words = folded_words(text);
        if words.is_empty() {
            return Err(invalid(
                "the place is empty; give a postcode, a city or a département".to_owned(),
            ));
        }

        if let Some(postcode) = words.iter().find(|word| is_postcode(word)) {
            return Ok(Place::Postcodes(vec![postcode.clone()]));
        }

        if let [code] = words.as_slice()
            && let Some(departement) = departement_from_code(code)
        {
            return Ok(departement);
        }

        if let Some((city, number)) = arrondissement(&words) {
            return arrondissement_postcodes(city, number)
                .map(Place::Postcodes)
                .ok_or_else(|| {
                    let count = ARRONDISSEMENT_CITIES
                        .iter()
                        .find(|(name, _, _)| *name == city)
                        .map_or(0, |(_, count, _)| *count);
                    invalid(format!(
                        "{city} has arrondissements 1 to {count}, not {number}"
                    ))
                });
        }

        let joined = words.join(" ");
        if let Some((_, code)) = DEPARTEMENT_NAMES.iter().find(|(name, _)| *name == joined) {
            return Ok(departement_from_code(code).expect("every code of the name table is valid"));
        }

        Ok(Place::City(city_key(text)))
    }

    /// Returns whether an address with `postcode` and folded commune
    /// `city_key` lies in this place.
    pub fn matches(&self, postcode: &str, city_key: &str) -> bool {
        match self {
            Place::Postcodes(postcodes) => postcodes.iter().any(|wanted| wanted == postcode),
            Place::Departement {
                postcode_prefix, ..
            } => postcode.starts_with(postcode_prefix.as_str()),
            Place::City(key) => key == city_key,
        }
    }
}

/// Folds a commune name for comparison: lowercase ASCII without accents,
/// words separated by one space, `st`/`ste` written `saint`/`sainte`, and
/// without a postcode before the name or a `CEDEX` or arrondissement
/// number after it. `75014 PARIS`, `Paris 14e` and `paris` all fold to
/// `paris`, and `ST ÉTIENNE` to `saint etienne`.
pub fn city_key(city: &str) -> String {
    let mut words = folded_words(city);

    while words.first().is_some_and(|word| is_postcode(word)) {
        words.remove(0);
    }
    while words.len() > 1
        && words.last().is_some_and(|word| {
            word == "cedex" || word == "arrondissement" || ordinal(word).is_some()
        })
    {
        words.pop();
    }

    let words: Vec<&str> = words
        .iter()
        .map(|word| match word.as_str() {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        })
        .collect();
    words.join(" ")
}

/// Splits `text` into lowercase ASCII words without accents; every
/// character that is neither a letter nor a digit separates words.
fn folded_words(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len());
    for character in text.chars() {
        fold_char(character, &mut folded);
    }
    folded
        .split(|character: char| !character.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

fn is_postcode(word: &str) -> bool {
    word.len() == 5 && word.bytes().all(|byte| byte.is_ascii_digit())
}

/// Reads `75`, `2a`, `971` (already folded) as a département.
fn departement_from_code(code: &str) -> Option<Place> {
    let upper = code.to_ascii_uppercase();
    let (code, prefix) = match upper.as_str() {
        // NOTE: the postcodes of Corsica all start with 20 and do not split
        // cleanly between Corse-du-Sud and Haute-Corse, so both codes, and
        // the former code 20, search the whole island.
        "2A" | "2B" | "20" => (upper.clone(), "20".to_owned()),
        overseas if OVERSEAS_DEPARTEMENTS.contains(&overseas) => {
            (upper.clone(), overseas.to_owned())
        }
        number if number.len() == 2 && number.bytes().all(|byte| byte.is_ascii_digit()) => {
            let value: u32 = number.parse().ok()?;
            if !(1..=95).contains(&value) {
                return None;
            }
            (upper.clone(), upper.clone())
        }
        _ => return None,
    };
    Some(Place::Departement {
        code,
        postcode_prefix: prefix,
    })
}

/// Reads `paris 15e`, `lyon 1er` or `marseille 8 arrondissement` (folded
/// words) as a city with arrondissements and a number.
fn arrondissement(words: &[String]) -> Option<(&'static str, u32)> {
    let (city, rest) = words.split_first()?;
    let city = ARRONDISSEMENT_CITIES
        .iter()
        .map(|(name, _, _)| *name)
        .find(|name| name == city)?;
    match rest {
        [number] => Some((city, ordinal(number)?)),
        [number, word] if word == "arrondissement" => Some((city, ordinal(number)?)),
        _ => None,
    }
}

/// Returns the postcodes of arrondissement `number` of `city`, or `None`
/// when the city has no such arrondissement.
fn arrondissement_postcodes(city: &str, number: u32) -> Option<Vec<String>> {
    let (_, count, first) = ARRONDISSEMENT_CITIES
        .iter()
        .find(|(name, _, _)| *name == city)?;
    if !(1..=*count).contains(&number) {
        return None;
    }
    let mut postcodes = vec![format!("{:05}", first + number - 1)];
    if city == "paris" && number == 16 {
        postcodes.push(PARIS_16E_SECOND_POSTCODE.to_owned());
    }
    Some(postcodes)
}

/// Reads `15e`, `15eme`, `1er`, `1ere` or `15` as a number below 100.
fn ordinal(word: &str) -> Option<u32> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "e" | "eme" | "ieme" | "er" | "ere" | "em") {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postcodes(text: &str) -> Vec<String> {
        match Place::parse(text) {
            Ok(Place::Postcodes(postcodes)) => postcodes,
            other => panic!("{text:?} read as {other:?}, expected postcodes"),
        }
    }

    fn departement(text: &str) -> (String, String) {
        match Place::parse(text) {
            Ok(Place::Departement {
                code,
                postcode_prefix,
            }) => (code, postcode_prefix),
            other => panic!("{text:?} read as {other:?}, expected a département"),
        }
    }

    #[test]
    fn arrondissements_become_postcodes() {
        assert_eq!(postcodes("Paris 15e"), ["75015"]);
        assert_eq!(postcodes("Paris 1er"), ["75001"]);
        assert_eq!(postcodes("paris 20"), ["75020"]);
        assert_eq!(postcodes("Paris 16e"), ["75016", "75116"]);
        assert_eq!(postcodes("Lyon 3ème"), ["69003"]);
        assert_eq!(postcodes("Marseille 8e arrondissement"), ["13008"]);
    }

    #[test]
    fn missing_arrondissement_is_rejected() {
        for text in ["Lyon 12e", "Paris 21e", "Marseille 17e"] {
            let error = Place::parse(text).expect_err(text);
            assert!(
                matches!(&error, RefDataError::InvalidPlace { value, .. } if value == text),
                "{error}"
            );
        }
    }

    #[test]
    fn postcode_wins_over_city() {
        assert_eq!(postcodes("75014"), ["75014"]);
        assert_eq!(postcodes("Marseille 13008"), ["13008"]);
        assert_eq!(postcodes("13008 Marseille"), ["13008"]);
    }

    #[test]
    fn departement_codes_and_names() {
        assert_eq!(departement("69"), ("69".to_owned(), "69".to_owned()));
        assert_eq!(departement("01"), ("01".to_owned(), "01".to_owned()));
        assert_eq!(departement("2a"), ("2A".to_owned(), "20".to_owned()));
        assert_eq!(departement("971"), ("971".to_owned(), "971".to_owned()));
        assert_eq!(departement("Gironde"), ("33".to_owned(), "33".to_owned()));
        assert_eq!(
            departement("Bouches-du-Rhône"),
            ("13".to_owned(), "13".to_owned())
        );
        assert_eq!(
            departement("La Réunion"),
            ("974".to_owned(), "974".to_owned())
        );
        assert_eq!(
            departement("Val-d'Oise"),
            ("95".to_owned(), "95".to_owned())
        );
    }

    #[test]
    fn out_of_range_numbers_are_cities() {
        // Not département codes, so they fall through to a (missing) city.
        assert_eq!(Place::parse("96").ok(), Some(Place::City("96".to_owned())));
        assert_eq!(
            Place::parse("975").ok(),
            Some(Place::City("975".to_owned()))
        );
    }

    #[test]
    fn cities_fold_accents_and_abbreviations() {
        assert_eq!(
            Place::parse("Saint-Étienne").ok(),
            Some(Place::City("saint etienne".to_owned()))
        );
        assert_eq!(city_key("ST ETIENNE CEDEX 2"), "saint etienne");
        assert_eq!(city_key("75014 PARIS"), "paris");
        assert_eq!(city_key("Paris 14e Arrondissement"), "paris");
        assert_eq!(city_key("PARIS"), "paris");
        assert_eq!(city_key("L'Haÿ-les-Roses"), "l hay les roses");
    }

    #[test]
    fn empty_place_is_rejected() {
        assert!(matches!(
            Place::parse("  - "),
            Err(RefDataError::InvalidPlace { .. })
        ));
    }

    #[test]
    fn matches_by_kind() {
        let paris_15 = Place::parse("Paris 15e").expect("valid");
        assert!(paris_15.matches("75015", "paris"));
        assert!(!paris_15.matches("75014", "paris"));

        let rhone = Place::parse("Rhône").expect("valid");
        assert!(rhone.matches("69003", "lyon"));
        assert!(!rhone.matches("13008", "marseille"));

        let lyon = Place::parse("Lyon").expect("valid");
        assert!(lyon.matches("69003", "lyon"));
        assert!(!lyon.matches("69100", "villeurbanne"));
    }
}
