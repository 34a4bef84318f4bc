//! Pieces shared by the document readers: the list of fields a document
//! type shows, people named on a document, and JSON helpers.

use serde_json::{Map, Value};

use crate::Context;
use crate::checks::{Check, Identifier, Problem, Verdict, check_nir};
use crate::date::Date;
use crate::text::{FoundDate, Line, Span};

/// A field Mediflux reads on a document type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// JSON pointer of the field inside `fields` of the structured result,
    /// such as `/validite`.
    pub pointer: &'static str,
    /// French name of the field.
    pub label: &'static str,
    /// Whether every document of the type shows it, so that its absence
    /// is reported.
    pub required: bool,
}

impl Expected {
    /// Returns whether `fields` lacks this field: absent, null, empty text
    /// or an empty list.
    pub fn is_missing(&self, fields: &Value) -> bool {
        match fields.pointer(self.pointer) {
            None | Some(Value::Null) => true,
            Some(Value::String(text)) => text.is_empty(),
            Some(Value::Array(items)) => items.is_empty(),
            Some(Value::Object(members)) => members.is_empty(),
            Some(_) => false,
        }
    }
}

/// Returns the required fields of `expected` that `fields` lacks.
pub fn missing(expected: &[Expected], fields: &Value) -> Vec<Expected> {
    expected
        .iter()
        .filter(|field| field.required && field.is_missing(fields))
        .copied()
        .collect()
}

/// A person named on a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Family name, the words printed in capitals.
    pub nom: Option<String>,
    /// First names, the other words.
    pub prenom: Option<String>,
    /// Date of birth.
    pub date_naissance: Option<FoundDate>,
    /// Rang of a beneficiary: 1 for the assuré, then the dependants.
    pub rang: Option<String>,
    /// NIR, without spaces.
    pub nir: Option<String>,
}

impl Person {
    /// Reads « MARTIN Jérôme » or « Mme Françoise GARÇON »: words in
    /// capitals are the family name, the others the first names, and a
    /// civility (Mme, M., Madame…) is dropped.
    pub fn from_name(text: &str) -> Self {
        let mut family = Vec::new();
        let mut given = Vec::new();
        for word in text.split_whitespace() {
            let bare = word.trim_matches(|c: char| !c.is_alphabetic());
            if bare.is_empty() || is_civility(bare) {
                continue;
            }
            let letters: Vec<char> = bare.chars().filter(|c| c.is_alphabetic()).collect();
            let capitals = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
            if capitals {
                family.push(word);
            } else {
                given.push(word);
            }
        }
        let join = |words: Vec<&str>| (!words.is_empty()).then(|| words.join(" "));
        Self {
            nom: join(family),
            prenom: join(given),
            ..Self::default()
        }
    }

    /// Returns the name as printed: family name, then first names.
    pub fn display_name(&self) -> String {
        [self.nom.as_deref(), self.prenom.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Returns the name in reading order: first names, then family name.
    pub fn natural_name(&self) -> String {
        [self.prenom.as_deref(), self.nom.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Returns whether no name was read.
    pub fn is_unnamed(&self) -> bool {
        self.nom.is_none() && self.prenom.is_none()
    }

    /// Returns the person as a JSON object with the fields read.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        insert_text(&mut object, "nom", self.nom.as_deref());
        insert_text(&mut object, "prenom", self.prenom.as_deref());
        insert_date(&mut object, "date_naissance", self.date_naissance.as_ref());
        insert_text(&mut object, "rang", self.rang.as_deref());
        insert_text(&mut object, "nir", self.nir.as_deref());
        Value::Object(object)
    }

    /// Adds the checks of the person's NIR and date of birth, under the
    /// field path `path`.
    pub fn checks(&self, path: &str, checks: &mut Vec<Check>) {
        if let Some(nir) = &self.nir {
            checks.push(Check::new(
                &format!("{path}.nir"),
                Identifier::Nir,
                nir,
                check_nir(nir),
            ));
        }
        if let Some(date) = &self.date_naissance {
            date_check(&format!("{path}.date_naissance"), date, checks);
        }
    }
}

/// Reads a row of the beneficiaries table: the name, a date of birth and
/// the rang.
pub fn beneficiary_row(line: &Line) -> Option<Person> {
    let birth = line.dates().into_iter().next()?;
    let name = line.slice(Span {
        start: 0,
        end: birth.span.start,
    });
    let mut person = Person::from_name(&name);
    if person.is_unnamed() {
        return None;
    }
    person.rang = line.digits_from(birth.span.end, false);
    person.date_naissance = Some(birth);
    Some(person)
}

/// The document a validity sentence is about, in French.
#[derive(Debug, Clone, Copy)]
pub struct Validated {
    /// The document with its demonstrative, « cette attestation ».
    pub noun: &'static str,
    /// Its subject pronoun, « elle ».
    pub pronoun: &'static str,
    /// Where to get a new one, « demandez la nouvelle à votre mutuelle ».
    pub renewal: &'static str,
}

/// Returns whether a document valid from `debut` to `fin`, both included,
/// is valid on the reference day of `context`, as a French sentence.
pub fn validity_sentence(debut: Date, fin: Date, context: &Context, about: Validated) -> String {
    let day = context.on.french();
    let when = if context.on_is_today {
        format!("Aujourd'hui ({day})")
    } else {
        format!("Le {day}")
    };
    let Validated {
        noun,
        pronoun,
        renewal,
    } = about;
    if context.on < debut {
        format!(
            "{when}, {noun} n'est pas encore valable\u{a0}: {pronoun} prend effet le {}.",
            debut.french()
        )
    } else if context.on > fin {
        format!(
            "{when}, {noun} n'est plus valable\u{a0}: sa validité a pris fin le {}\u{a0}; {renewal}.",
            fin.french()
        )
    } else {
        format!(
            "{when}, {noun} est valable (jusqu'au {} inclus).",
            fin.french()
        )
    }
}

/// Returns whether `word` is a civility printed before a name.
fn is_civility(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "m" | "mme" | "mr" | "mlle" | "monsieur" | "madame" | "mademoiselle" | "dr" | "docteur"
    )
}

/// Adds a check of a date that does not exist; valid dates add nothing.
pub fn date_check(field: &str, date: &FoundDate, checks: &mut Vec<Check>) {
    if date.date.is_none() {
        checks.push(Check::new(
            field,
            Identifier::Date,
            &date.text,
            Verdict::Invalid(Problem::InvalidDate),
        ));
    }
}

/// Inserts `value` under `key` when present.
pub fn insert_text(object: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        object.insert(key.to_owned(), Value::String(value.to_owned()));
    }
}

/// Returns a date as `YYYY-MM-DD`, or as written when the day does not
/// exist.
pub fn date_value(found: &FoundDate) -> Value {
    let text = found
        .date
        .map(|date| date.to_string())
        .unwrap_or_else(|| found.text.clone());
    Value::String(text)
}

/// Inserts a date as [`date_value`] writes it, when present.
pub fn insert_date(object: &mut Map<String, Value>, key: &str, value: Option<&FoundDate>) {
    if let Some(found) = value {
        object.insert(key.to_owned(), date_value(found));
    }
}

/// Inserts a list when it is not empty.
pub fn insert_list(object: &mut Map<String, Value>, key: &str, items: Vec<Value>) {
    if !items.is_empty() {
        object.insert(key.to_owned(), Value::Array(items));
    }
}

/// Returns a date as the French reader expects it, or as written when the
/// day does not exist.
pub fn french_date(found: &FoundDate) -> String {
    found
        .date
        .map(|date| date.french())
        .unwrap_or_else(|| found.text.clone())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn person_splits_capitals_and_civility() {
        let person = Person::from_name("Mme Françoise GARÇON");
        assert_eq!(person.nom.as_deref(), Some("GARÇON"));
        assert_eq!(person.prenom.as_deref(), Some("Françoise"));
        let compound = Person::from_name("MARTIN-DURAND Jean Pierre");
        assert_eq!(compound.nom.as_deref(), Some("MARTIN-DURAND"));
        assert_eq!(compound.prenom.as_deref(), Some("Jean Pierre"));
        assert_eq!(compound.display_name(), "MARTIN-DURAND Jean Pierre");
    }

    #[test]
    fn expected_field_missing_when_empty() {
        let fields = json!({ "a": "x", "b": [], "c": { "d": "" } });
        let field = |pointer| Expected {
            pointer,
            label: "",
            required: true,
        };
        assert!(!field("/a").is_missing(&fields));
        assert!(field("/b").is_missing(&fields));
        assert!(field("/c/d").is_missing(&fields));
        assert!(field("/e").is_missing(&fields));
    }
}
