//! The `profile.update` intent plugin: turns what a patient says about
//! themselves (« J'ai une mutuelle à 200 % », « J'ai 67 ans ») into a
//! proposed change of their profile.
//!
//! The plugin writes nothing: the host owns the user memory, so the plugin
//! returns the change as a `profile.update/1` document and the host applies
//! it. The document is a JSON object holding only the fields to change,
//! named and shaped like the options of `mediflux profile set`:
//!
//! - `age`: whole years, a number;
//! - `mutuelle`: a guarantee level such as `"200% BR"`;
//! - `ald`: affections de longue durée to add, as French names;
//! - `c2s`, `ame`: `true` when the person has that cover;
//! - `pregnancy_start`: first day of the pregnancy, `YYYY-MM-DD`;
//! - `medecin_traitant`: whether a médecin traitant is declared;
//! - `postcode`, `city`: the home address;
//! - `clear`: fields to remove, such as `["mutuelle"]`.
//!
//! The mapping is plain Rust tested on the host; the WebAssembly glue only
//! exists on `wasm32`.

mod date;
mod location;

pub use date::Date;
pub use location::Location;

/// Intent id this plugin handles.
pub const INTENT: &str = "profile.update";

/// Schema of the structured result.
pub const SCHEMA: &str = "profile.update/1";

/// Words that negate a cover named within the few words after them.
const NEGATIONS: &[&str] = &["pas", "plus", "aucune", "aucun", "sans"];

/// Words that end the clause a negation applies to.
const CLAUSE_BREAKS: &[&str] = &["mais", "et", "par", "contre"];

/// How many words before a cover word a negation still applies to, as in
/// « je n'ai plus la C2S ».
const NEGATION_SPAN: usize = 5;

/// A change of the profile read from one statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileChange {
    /// Age in whole years.
    pub age_years: Option<u32>,
    /// New mutuelle guarantee level, such as `200% BR`, or `Some(None)` to
    /// remove the mutuelle.
    pub mutuelle: Option<Option<String>>,
    /// Affections de longue durée to add, as French names.
    pub ald: Vec<String>,
    /// New public cover, or `Some(None)` to remove C2S or AME.
    pub public_cover: Option<Option<PublicCover>>,
    /// Pregnancy, with its month as stated and its estimated start.
    pub pregnancy: Option<PregnancyChange>,
    /// Whether a médecin traitant is declared.
    pub medecin_traitant: Option<bool>,
    /// Home address.
    pub location: Option<Location>,
}

/// A public health cover that replaces a mutuelle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicCover {
    /// Complémentaire santé solidaire.
    C2s,
    /// Aide médicale de l'État.
    Ame,
}

/// A pregnancy stated as « enceinte de N mois ».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PregnancyChange {
    /// Months of pregnancy as stated, 1 to 9.
    pub months: u32,
    /// Estimated first day of the pregnancy.
    pub start: Date,
}

/// Error of a statement that gives no profile change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    /// No slot or word of the statement is a profile fact the plugin records.
    NoProfileFact,
    /// A slot value the router extracted cannot be read.
    InvalidSlot {
        /// Slot name.
        slot: &'static str,
        /// Its value.
        value: String,
    },
}

impl ChangeError {
    /// Returns the stable error code sent to the host.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoProfileFact => "no-profile-fact",
            Self::InvalidSlot { .. } => "invalid-slot",
        }
    }

    /// Returns the English message for logs and integrators.
    pub fn message(&self) -> String {
        match self {
            Self::NoProfileFact => "the statement contains no profile fact to record: \
                 expected an age, a mutuelle level, a pregnancy month, an ALD, C2S or AME, \
                 a médecin traitant or a home address"
                .to_owned(),
            Self::InvalidSlot { slot, value } => {
                format!("slot `{slot}` has the unreadable value `{value}`")
            }
        }
    }
}

/// Reads the profile change a statement makes from its router slots and
/// its text, on `date_of_care` (the day the patient speaks).
///
/// The slots are those the manifest declares. The question text is read
/// only for what the router does not extract: the AME, and negations of
/// C2S, AME and ALD.
pub fn read_change(
    slots: &[(String, String)],
    question: &str,
    date_of_care: Date,
) -> Result<ProfileChange, ChangeError> {
    let slot = |name: &str| {
        slots
            .iter()
            .find(|(slot, _)| slot == name)
            .map(|(_, value)| value.trim())
    };
    let words = fold(question);
    let words: Vec<&str> = words.split(' ').filter(|word| !word.is_empty()).collect();
    let mut change = ProfileChange::default();

    if let Some(value) = slot("patient_age") {
        let years = value.parse::<u32>().map_err(|_| ChangeError::InvalidSlot {
            slot: "patient_age",
            value: value.to_owned(),
        })?;
        change.age_years = Some(years);
    }

    if let Some(value) = slot("mutuelle_level") {
        change.mutuelle = Some(read_mutuelle_level(value)?);
    }

    if slot("ald") == Some("oui") && !negated(&words, &["ald", "affection"]) {
        let name = slot("condition")
            .and_then(ald_name)
            .unwrap_or("affection non précisée");
        change.ald.push(name.to_owned());
    }
    // TODO: « je ne suis plus en ALD » is not read, because removing one
    // ALD among several needs the stored list, which only the host has.

    change.public_cover = read_public_cover(slot("c2s") == Some("oui"), &words);

    if let Some(value) = slot("pregnancy_month") {
        let months = value
            .parse::<u32>()
            .ok()
            .filter(|months| (1..=9).contains(months))
            .ok_or_else(|| ChangeError::InvalidSlot {
                slot: "pregnancy_month",
                value: value.to_owned(),
            })?;
        // NOTE: « enceinte de 3 mois » is read as 3 months completed, so the
        // start is 3 months before today. The date on the déclaration de
        // grossesse is more precise and can be set with `profile set`.
        change.pregnancy = Some(PregnancyChange {
            months,
            start: date_of_care.months_before(months),
        });
    }

    change.medecin_traitant = match slot("medecin_traitant") {
        Some("oui") => Some(true),
        Some("non") => Some(false),
        Some(other) => {
            return Err(ChangeError::InvalidSlot {
                slot: "medecin_traitant",
                value: other.to_owned(),
            });
        }
        None => None,
    };

    if let Some(value) = slot("location") {
        change.location = Location::read(value, &words);
    }

    if change == ProfileChange::default() {
        return Err(ChangeError::NoProfileFact);
    }
    Ok(change)
}

impl ProfileChange {
    /// Returns the `profile.update/1` document: a JSON object with only the
    /// fields to change.
    pub fn to_json(&self) -> String {
        let mut object = serde_json::Map::new();
        let mut clear: Vec<&str> = Vec::new();

        if let Some(years) = self.age_years {
            object.insert("age".to_owned(), years.into());
        }
        match &self.mutuelle {
            Some(Some(level)) => {
                object.insert("mutuelle".to_owned(), level.as_str().into());
            }
            Some(None) => clear.push("mutuelle"),
            None => {}
        }
        if !self.ald.is_empty() {
            object.insert("ald".to_owned(), self.ald.clone().into());
        }
        match self.public_cover {
            Some(Some(PublicCover::C2s)) => {
                object.insert("c2s".to_owned(), true.into());
            }
            Some(Some(PublicCover::Ame)) => {
                object.insert("ame".to_owned(), true.into());
            }
            Some(None) => clear.push("c2s"),
            None => {}
        }
        if let Some(pregnancy) = self.pregnancy {
            object.insert(
                "pregnancy_start".to_owned(),
                pregnancy.start.to_string().into(),
            );
        }
        if let Some(declared) = self.medecin_traitant {
            object.insert("medecin_traitant".to_owned(), declared.into());
        }
        if let Some(location) = &self.location {
            if let Some(postcode) = &location.postcode {
                object.insert("postcode".to_owned(), postcode.as_str().into());
            }
            if let Some(city) = &location.city {
                object.insert("city".to_owned(), city.as_str().into());
            }
        }
        if !clear.is_empty() {
            object.insert("clear".to_owned(), clear.into());
        }
        serde_json::Value::Object(object).to_string()
    }

    /// Returns the French answer listing what will be recorded.
    pub fn answer(&self) -> String {
        let mut lines: Vec<String> = Vec::new();

        if let Some(years) = self.age_years {
            lines.push(format!("âge\u{a0}: {years}\u{a0}ans"));
        }
        match &self.mutuelle {
            Some(Some(level)) => lines.push(format!(
                "mutuelle\u{a0}: {} pour les consultations, les médicaments, \
                 l'hôpital, le dentaire et les soins paramédicaux",
                french_level(level)
            )),
            Some(None) => lines.push("mutuelle\u{a0}: aucune".to_owned()),
            None => {}
        }
        for name in &self.ald {
            lines.push(format!("affection de longue durée\u{a0}: {name}"));
        }
        match self.public_cover {
            Some(Some(PublicCover::C2s)) => {
                lines.push("complémentaire santé solidaire (C2S)\u{a0}: oui".to_owned())
            }
            Some(Some(PublicCover::Ame)) => {
                lines.push("aide médicale de l'État (AME)\u{a0}: oui".to_owned())
            }
            Some(None) => lines.push("C2S ou AME\u{a0}: non".to_owned()),
            None => {}
        }
        if let Some(pregnancy) = self.pregnancy {
            lines.push(format!(
                "grossesse\u{a0}: enceinte de {}\u{a0}mois, début estimé au {}",
                pregnancy.months,
                pregnancy.start.french()
            ));
        }
        match self.medecin_traitant {
            Some(true) => lines.push("médecin traitant déclaré\u{a0}: oui".to_owned()),
            Some(false) => lines.push("médecin traitant déclaré\u{a0}: non".to_owned()),
            None => {}
        }
        if let Some(location) = &self.location {
            lines.push(format!("adresse\u{a0}: {}", location.describe()));
        }

        let mut text = String::from("Je note dans votre profil\u{a0}:\n");
        for line in lines {
            text.push_str(&format!("- {line}\n"));
        }
        text.trim_end().to_owned()
    }
}

/// Reads a `mutuelle_level` slot: `200% BR`, or `none` for no mutuelle.
fn read_mutuelle_level(value: &str) -> Result<Option<String>, ChangeError> {
    if value == "none" {
        return Ok(None);
    }
    let readable = value.strip_suffix("% BR").is_some_and(|number| {
        !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    });
    if !readable {
        return Err(ChangeError::InvalidSlot {
            slot: "mutuelle_level",
            value: value.to_owned(),
        });
    }
    Ok(Some(value.to_owned()))
}

/// Formats `200% BR` as « 200 % BR » and `150.5% BR` as « 150,5 % BR ».
fn french_level(level: &str) -> String {
    let number = level.strip_suffix("% BR").unwrap_or(level);
    format!("{}\u{a0}% BR", number.replace('.', ","))
}

/// Returns the French name of the ALD of a router `condition` id, or
/// `None` for a condition that is not an ALD, such as a pregnancy.
fn ald_name(condition: &str) -> Option<&'static str> {
    let name = match condition {
        "diabete_type_2" => "diabète de type 2",
        "hypertension" => "hypertension artérielle",
        "asthme" => "asthme",
        "bpco" => "bronchopneumopathie chronique obstructive",
        "depression" => "dépression",
        "insuffisance_cardiaque" => "insuffisance cardiaque",
        "lombalgie_chronique" => "lombalgie chronique",
        "obesite" => "obésité",
        _ => return None,
    };
    Some(name)
}

/// Reads C2S or AME from the `c2s` slot and the question words. A
/// negated cover (« je n'ai plus la C2S ») removes the stored one.
fn read_public_cover(c2s_slot: bool, words: &[&str]) -> Option<Option<PublicCover>> {
    let text = words.join(" ");
    let ame = words.contains(&"ame") || text.contains("aide medicale de l etat");
    let cover = if c2s_slot {
        PublicCover::C2s
    } else if ame {
        PublicCover::Ame
    } else {
        return None;
    };
    let cover_words = ["c2s", "cmu", "solidaire", "ame", "aide"];
    if negated(words, &cover_words) {
        return Some(None);
    }
    Some(Some(cover))
}

/// Returns whether a negation comes in the [`NEGATION_SPAN`] words before
/// the first of `targets`, in the same clause.
fn negated(words: &[&str], targets: &[&str]) -> bool {
    let Some(index) = words.iter().position(|word| targets.contains(word)) else {
        return false;
    };
    for word in words[index.saturating_sub(NEGATION_SPAN)..index]
        .iter()
        .rev()
    {
        if CLAUSE_BREAKS.contains(word) {
            return false;
        }
        if NEGATIONS.contains(word) {
            return true;
        }
    }
    false
}

/// Folds text for comparison: lowercase, French accents removed, and every
/// character other than a letter or digit turned into a single space.
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for character in text.chars().flat_map(char::to_lowercase) {
        let plain = match character {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other if other.is_alphanumeric() => other,
            _ => ' ',
        };
        if plain == ' ' && (folded.is_empty() || folded.ends_with(' ')) {
            continue;
        }
        folded.push(plain);
    }
    folded.trim_end().to_owned()
}

#[cfg(target_arch = "wasm32")]
mod plugin {
    use mediflux_plugin_sdk::intent::{IntentHandler, IntentRequest, IntentResponse};
    use mediflux_plugin_sdk::types::{JsonDocument, PluginError};

    struct Profile;

    impl IntentHandler for Profile {
        fn handle(request: IntentRequest) -> Result<IntentResponse, PluginError> {
            if request.intent != super::INTENT {
                return Err(mediflux_plugin_sdk::error(
                    "unknown-intent",
                    &request.intent,
                ));
            }
            let today = super::Date {
                year: request.date_of_care.year.into(),
                month: request.date_of_care.month.into(),
                day: request.date_of_care.day.into(),
            };
            let change = super::read_change(&request.slots, &request.question, today)
                .map_err(|error| mediflux_plugin_sdk::error(error.code(), &error.message()))?;
            Ok(IntentResponse {
                answer: change.answer(),
                result: JsonDocument {
                    schema: super::SCHEMA.to_owned(),
                    body: change.to_json(),
                },
                citations: Vec::new(),
            })
        }
    }

    mediflux_plugin_sdk::export_intent_handler!(Profile);
}

#[cfg(test)]
mod tests;
