//! The home address read from the router's `location` slot.

/// Cities with arrondissements, the postcode of their first arrondissement
/// and their number of arrondissements. The Nth arrondissement's postcode
/// is the first one plus N - 1, such as 75015 for Paris 15e.
const ARRONDISSEMENT_POSTCODES: &[(&str, u32, u32)] = &[
    ("Paris", 75001, 20),
    ("Lyon", 69001, 9),
    ("Marseille", 13001, 16),
];

/// A home address as the patient stated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// City, without its arrondissement.
    pub city: Option<String>,
    /// Code postal, five digits.
    pub postcode: Option<String>,
}

impl Location {
    /// Reads a `location` slot value: a postcode (« 69003 »), a city with
    /// its arrondissement (« Lyon 3e ») or a city (« Brest »).
    ///
    /// `words` are the folded words of the question. Returns `None` for a
    /// département (« en Gironde », « dans le Rhône »), because `profile
    /// set` records a postcode or a city, not a département alone.
    pub fn read(value: &str, words: &[&str]) -> Option<Self> {
        if value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Self {
                city: None,
                postcode: Some(value.to_owned()),
            });
        }
        if let Some(location) = read_arrondissement(value) {
            return Some(location);
        }
        if is_departement(value, words) {
            return None;
        }
        Some(Self {
            city: Some(value.to_owned()),
            postcode: None,
        })
    }

    /// Describes the address in French, such as « Lyon, code postal 69003 ».
    pub fn describe(&self) -> String {
        match (&self.city, &self.postcode) {
            (Some(city), Some(postcode)) => format!("{city}, code postal {postcode}"),
            (Some(city), None) => city.clone(),
            (None, Some(postcode)) => format!("code postal {postcode}"),
            (None, None) => String::new(),
        }
    }
}

/// Reads « Lyon 3e » or « Paris 1er », as the router writes them.
fn read_arrondissement(value: &str) -> Option<Location> {
    let (city, ordinal) = value.rsplit_once(' ')?;
    let digits = ordinal
        .strip_suffix("er")
        .or_else(|| ordinal.strip_suffix('e'))?;
    let number: u32 = digits.parse().ok()?;
    let &(city, first, count) = ARRONDISSEMENT_POSTCODES
        .iter()
        .find(|(known, _, _)| *known == city)?;
    if !(1..=count).contains(&number) {
        return None;
    }
    Some(Location {
        city: Some(city.to_owned()),
        postcode: Some((first + number - 1).to_string()),
    })
}

/// Returns whether the question introduces `value` as a département, with
/// « en » or « dans le », rather than as a city with « à ».
fn is_departement(value: &str, words: &[&str]) -> bool {
    let place = super::fold(value);
    let text = format!(" {} ", words.join(" "));
    ["en", "dans le", "dans la", "dans les", "dans l"]
        .iter()
        .any(|introducer| text.contains(&format!(" {introducer} {place} ")))
}
