//! The ordonnance (medical prescription).
//!
//! An ordonnance names the prescriber (name, qualification, RPPS number,
//! or FINESS when an establishment issues it), the patient and the date.
//! Each medicine line gives the name, dosage and form, posology, duration
//! or quantity (QSP), renewals, and the mentions « non substituable » and
//! « NR » (prescribed outside the reimbursable indications). Since
//! 1 January 2020, « non substituable » must be followed by MTE, EFG or
//! CIF. An ordonnance bizone
//! splits the lines between care linked to an affection de longue durée
//! (upper zone) and the rest (lower zone).

use serde_json::{Map, Value, json};

use crate::checks::{
    Check, Identifier, Problem, Verdict, check_adeli, check_cip13, check_finess, check_numero_am,
    check_rpps, push_number_check,
};
use crate::fields::{Expected, Person, date_check, french_date, insert_date, insert_text};
use crate::text::{FoundDate, Line, Span};
use crate::{Citation, Context};

/// Fields read on an ordonnance.
pub const FIELDS: &[Expected] = &[
    Expected {
        pointer: "/prescripteur/nom",
        label: "nom du prescripteur",
        required: true,
    },
    Expected {
        pointer: "/prescripteur/specialite",
        label: "qualification du prescripteur",
        required: true,
    },
    Expected {
        pointer: "/prescripteur/identifiant",
        label: "numéro d'identification du prescripteur (RPPS, ou FINESS d'un établissement)",
        required: true,
    },
    Expected {
        pointer: "/date",
        label: "date",
        required: true,
    },
    Expected {
        pointer: "/patient/nom",
        label: "nom du patient",
        required: true,
    },
    Expected {
        pointer: "/lignes",
        label: "médicaments prescrits",
        required: true,
    },
    Expected {
        pointer: "/patient/age",
        label: "âge du patient",
        required: false,
    },
    Expected {
        pointer: "/patient/poids_kg",
        label: "poids du patient",
        required: false,
    },
];

/// Units of a medicine dosage, folded.
const DOSAGE_UNITS: &[&str] = &[
    "mg",
    "g",
    "ug",
    "mcg",
    "ml",
    "ui",
    "milligrammes",
    "grammes",
    "microgrammes",
];

/// Words that open a prescriber's name.
const PRESCRIBER_TITLES: &[&str] = &["docteur", "dr", "professeur", "pr"];

/// Words printed before a patient's name.
const CIVILITIES: &[&str] = &[
    "mme",
    "madame",
    "mlle",
    "mademoiselle",
    "monsieur",
    "mr",
    "m",
];

/// Zone of a line on an ordonnance bizone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// An ordonnance with one zone.
    Unique,
    /// Upper zone: care linked to the exonerating ALD.
    Ald,
    /// Lower zone: care not linked to the ALD.
    HorsAld,
}

impl Zone {
    fn code(self) -> &'static str {
        match self {
            Self::Unique => "unique",
            Self::Ald => "ald",
            Self::HorsAld => "hors_ald",
        }
    }
}

/// Justification of a « non substituable » mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonSubstituable {
    /// The mention without a justification.
    Unjustified,
    /// Marge thérapeutique étroite.
    Mte,
    /// Marge thérapeutique étroite, written by the pharmacist.
    MtePh,
    /// Child under 6 with no suitable generic form.
    Efg,
    /// Formal contraindication to an excipient of every generic.
    Cif,
}

impl NonSubstituable {
    fn code(self) -> &'static str {
        match self {
            Self::Unjustified => "sans_justification",
            Self::Mte => "MTE",
            Self::MtePh => "MTE-PH",
            Self::Efg => "EFG",
            Self::Cif => "CIF",
        }
    }

    fn french(self) -> &'static str {
        match self {
            Self::Unjustified => "sans justification",
            Self::Mte | Self::MtePh => "marge thérapeutique étroite",
            Self::Efg => "enfant de moins de 6\u{a0}ans sans forme générique adaptée",
            Self::Cif => "contre-indication formelle à un excipient",
        }
    }
}

/// Returns « 1 renouvellement » or « N renouvellements ».
fn renewals_french(renewals: u32) -> String {
    if renewals > 1 {
        format!("{renewals}\u{a0}renouvellements")
    } else {
        format!("{renewals}\u{a0}renouvellement")
    }
}

/// A duration or quantity such as « 5 jours » or « QSP 1 mois ».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duration {
    /// The number.
    pub count: u32,
    /// Days per unit: 1, 7, or 30 for a month.
    pub unit_days: u32,
    /// As written, such as `5 jours`.
    pub text: String,
}

/// One medicine line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ligne {
    /// Zone of an ordonnance bizone.
    pub zone: Zone,
    /// The whole line as written.
    pub medicament_texte: String,
    /// Medicine name, the text before the dosage.
    pub nom: String,
    /// Dosage, such as `500 mg`.
    pub dosage: Option<String>,
    /// Pharmaceutical form, such as `gélule`.
    pub forme: Option<String>,
    /// Posology, such as `2 gél. matin et soir`.
    pub posologie: Option<String>,
    /// Treatment duration.
    pub duree: Option<Duration>,
    /// Quantity prescribed (« quantité suffisante pour »).
    pub qsp: Option<Duration>,
    /// Number of renewals.
    pub renouvellements: Option<u32>,
    /// The « non substituable » mention, when present.
    pub non_substituable: Option<NonSubstituable>,
    /// Whether the line is marked NR (not reimbursable).
    pub nr: bool,
    /// CIP13 code printed on the line.
    pub cip13: Option<String>,
}

/// The prescriber.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prescripteur {
    /// Name, without the title.
    pub nom: Option<String>,
    /// Qualification, such as `Médecin généraliste`.
    pub specialite: Option<String>,
    /// RPPS number.
    pub rpps: Option<String>,
    /// ADELI number.
    pub adeli: Option<String>,
    /// FINESS number of the establishment.
    pub finess: Option<String>,
    /// Assurance Maladie number.
    pub numero_am: Option<String>,
    /// Postal address.
    pub adresse: Option<String>,
}

/// The patient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patient {
    /// Name.
    pub person: Person,
    /// Age in years, as written.
    pub age: Option<String>,
    /// Weight in kilograms, as written.
    pub poids_kg: Option<String>,
}

/// Fields of an ordonnance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ordonnance {
    /// The prescriber.
    pub prescripteur: Prescripteur,
    /// Date of the prescription.
    pub date: Option<FoundDate>,
    /// The patient.
    pub patient: Option<Patient>,
    /// Whether the ordonnance is bizone (ALD).
    pub bizone: bool,
    /// Medicine lines.
    pub lignes: Vec<Ligne>,
}

/// Reads an ordonnance from its lines.
pub fn read(lines: &[Line]) -> Ordonnance {
    let mut ordonnance = Ordonnance::default();
    let mut zone = Zone::Unique;

    for line in lines {
        if let Some(marker) = zone_marker(line) {
            zone = marker;
            ordonnance.bizone = true;
            continue;
        }
        if read_prescriber(line, &mut ordonnance.prescripteur) {
            continue;
        }
        if let Some(mut ligne) = medicine_line(line) {
            ligne.zone = zone;
            ordonnance.lignes.push(ligne);
            continue;
        }
        if ordonnance.lignes.is_empty() {
            read_heading(line, &mut ordonnance);
        }
        // NOTE: a line of mentions alone (« Non substituable (MTE) QSP
        // 1 mois ») is read as belonging to the medicine line above it.
        if let Some(last) = ordonnance.lignes.last_mut() {
            read_mentions(line, last);
        }
    }
    ordonnance
}

/// Returns the zone a bizone heading opens, such as « Prescriptions
/// relatives au traitement de l'affection de longue durée ».
fn zone_marker(line: &Line) -> Option<Zone> {
    if !line.has(&["affection de longue duree", "ald"]) || medicine_line(line).is_some() {
        return None;
    }
    if line.has(&["sans rapport", "non liee", "non lie", "hors ald"]) {
        return Some(Zone::HorsAld);
    }
    if line.has(&[
        "relatives au traitement",
        "en rapport avec",
        "liee a",
        "lie a",
    ]) {
        return Some(Zone::Ald);
    }
    None
}

/// Reads the prescriber's name and numbers; returns whether the line held
/// any of them.
fn read_prescriber(line: &Line, prescripteur: &mut Prescripteur) -> bool {
    let mut found = false;
    if prescripteur.nom.is_none()
        && line.starts_with(PRESCRIBER_TITLES)
        && let Some(value) = line.value_after(PRESCRIBER_TITLES, &["rpps"])
    {
        let mut parts = value
            .splitn(2, [',', '–'])
            .flat_map(|part| part.split(" - "));
        prescripteur.nom = parts.next().map(|name| name.trim().to_owned());
        let rest: Vec<&str> = parts
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect();
        if !rest.is_empty() {
            prescripteur.specialite = Some(rest.join(", "));
        }
        found = true;
    }
    let numbers = [
        (&mut prescripteur.rpps, &["rpps"][..], false),
        (&mut prescripteur.adeli, &["adeli"][..], false),
        (&mut prescripteur.finess, &["finess"][..], true),
        (
            &mut prescripteur.numero_am,
            &[
                "numero assurance maladie",
                "n assurance maladie",
                "numero am",
                "n am",
                "no am",
            ][..],
            false,
        ),
    ];
    for (slot, labels, corsica) in numbers {
        if slot.is_none()
            && let Some(number) = line.digits_after(labels, corsica)
        {
            *slot = Some(number);
            found = true;
        }
    }
    found
}

/// Reads the address, date and patient printed above the medicines.
fn read_heading(line: &Line, ordonnance: &mut Ordonnance) {
    let dates = line.dates();
    if ordonnance.prescripteur.adresse.is_none() && dates.is_empty() && has_postcode(line) {
        let end = line
            .find(&["tel", "telephone"])
            .map(|span| span.start)
            .unwrap_or(usize::MAX);
        let address = line.slice(Span { start: 0, end });
        ordonnance.prescripteur.adresse =
            Some(address.trim_end_matches([' ', '-', ',']).to_owned());
        return;
    }
    if ordonnance.date.is_none()
        && let Some(first) = dates.first()
    {
        ordonnance.date = Some(first.clone());
    }
    if ordonnance.patient.is_none() {
        ordonnance.patient = read_patient(line);
    }
}

fn has_postcode(line: &Line) -> bool {
    line.words()
        .any(|word| word.len() == 5 && word.bytes().all(|byte| byte.is_ascii_digit()))
}

/// Reads « Mme Françoise GARÇON, 72 ans, 58 kg » or « Patient : … ».
fn read_patient(line: &Line) -> Option<Patient> {
    let start = line
        .find(CIVILITIES)
        .map(|span| span.start)
        .or_else(|| line.find(&["patient", "patiente"]).map(|span| span.end))?;
    let value = line.value_from(start, &[])?;
    let name = value.split(',').next().unwrap_or_default();
    let person = Person::from_name(name);
    if person.is_unnamed() {
        return None;
    }
    Some(Patient {
        person,
        age: line.number_before("ans"),
        poids_kg: line.number_before("kg"),
    })
}

/// Reads a medicine line: a name, then a dosage such as `500 mg`.
fn medicine_line(line: &Line) -> Option<Ligne> {
    let dosage = dosage_span(line)?;
    let nom = line.slice(Span {
        start: 0,
        end: dosage.start,
    });
    if nom.is_empty() || !nom.chars().any(char::is_alphabetic) {
        return None;
    }
    let text = line.text();
    let after_dosage = line.slice(Span {
        start: dosage.end,
        end: usize::MAX,
    });
    let (forme, posologie) = match after_dosage.split_once(':') {
        Some((forme, rest)) => (non_empty(forme), non_empty(rest)),
        None => (None, non_empty(&after_dosage)),
    };
    let posologie_line = posologie.as_deref().map(Line::new);
    let duree = posologie_line.as_ref().and_then(read_duration);
    let posologie = posologie.map(|text| strip_duration(&text, duree.as_ref()));

    let mut ligne = Ligne {
        zone: Zone::Unique,
        medicament_texte: text,
        nom,
        dosage: Some(line.slice(dosage)),
        forme,
        posologie: posologie.filter(|text| !text.is_empty()),
        duree,
        qsp: None,
        renouvellements: None,
        non_substituable: None,
        nr: false,
        cip13: None,
    };
    read_mentions(line, &mut ligne);
    Some(ligne)
}

/// Finds the dosage of a medicine line: a number and a unit (`500 mg`,
/// `1 g`, `500mg`, `2,5 %`).
fn dosage_span(line: &Line) -> Option<Span> {
    let words: Vec<&str> = line.words().collect();
    for (index, word) in words.iter().enumerate() {
        let span = line.word_span(index)?;
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            continue;
        }
        if digits < word.len() && DOSAGE_UNITS.contains(&&word[digits..]) {
            return Some(span);
        }
        if digits < word.len() {
            continue;
        }
        // A decimal comma splits « 2,5 » into two words.
        let mut number_end = index;
        if words.get(index + 1).is_some_and(|next| {
            next.bytes().all(|byte| byte.is_ascii_digit())
                && line
                    .word_span(index + 1)
                    .is_some_and(|next_span| next_span.start == span.end + 1)
                && line.slice(Span {
                    start: span.end,
                    end: span.end + 1,
                }) == ","
        }) {
            number_end = index + 1;
        }
        let unit = number_end + 1;
        if words
            .get(unit)
            .is_some_and(|unit| DOSAGE_UNITS.contains(unit))
        {
            let end = line.word_span(unit)?.end;
            return Some(Span {
                start: span.start,
                end,
            });
        }
        let mut after = line.word_span(number_end)?.end;
        while line.char_at(after) == Some(' ') {
            after += 1;
        }
        if line.char_at(after) == Some('%') {
            return Some(Span {
                start: span.start,
                end: after + 1,
            });
        }
    }
    None
}

/// Reads a duration such as « pendant 5 jours » or « 7 jours ».
fn read_duration(line: &Line) -> Option<Duration> {
    let words: Vec<&str> = line.words().collect();
    for (index, word) in words.iter().enumerate().skip(1) {
        let Some(unit_days) = unit_days(word) else {
            continue;
        };
        let number = words[index - 1];
        let Ok(count) = number.parse::<u32>() else {
            continue;
        };
        let start = line.word_span(index - 1)?.start;
        let end = line.word_span(index)?.end;
        return Some(Duration {
            count,
            unit_days,
            text: line.slice(Span { start, end }),
        });
    }
    None
}

fn unit_days(word: &str) -> Option<u32> {
    match word {
        "jour" | "jours" | "j" => Some(1),
        "semaine" | "semaines" => Some(7),
        "mois" => Some(30),
        _ => None,
    }
}

/// Removes the duration (and a « pendant » before it) from a posology.
fn strip_duration(posologie: &str, duree: Option<&Duration>) -> String {
    let Some(duree) = duree else {
        return posologie.trim().to_owned();
    };
    let without = posologie.replacen(&duree.text, "", 1);
    let trimmed = without.trim().trim_end_matches([',', ';']).trim();
    trimmed
        .strip_suffix("pendant")
        .unwrap_or(trimmed)
        .trim()
        .trim_end_matches([',', ';'])
        .trim()
        .to_owned()
}

/// Reads QSP, renewals, « non substituable », NR and a CIP13 code.
fn read_mentions(line: &Line, ligne: &mut Ligne) {
    let words: Vec<&str> = line.words().collect();
    let word_index = |labels: &[&str]| {
        line.find(labels)
            .and_then(|span| line.word_at(span.start))
            .map(|index| index + labels_len(line, labels))
    };

    if let Some(after) = word_index(&["qsp"])
        && let (Some(number), Some(unit)) = (words.get(after), words.get(after + 1))
        && let (Ok(count), Some(unit_days)) = (number.parse::<u32>(), unit_days(unit))
    {
        let start = line.word_span(after).map(|span| span.start).unwrap_or(0);
        let end = line.word_span(after + 1).map(|span| span.end).unwrap_or(0);
        ligne.qsp = Some(Duration {
            count,
            unit_days,
            text: line.slice(Span { start, end }),
        });
    }

    if let Some(after) = word_index(&[
        "renouveler",
        "renouvelable",
        "renouvellements",
        "renouvellement",
    ]) && let Some(count) = words
        .iter()
        .skip(after)
        .take(2)
        .find_map(|word| word.parse::<u32>().ok())
    {
        ligne.renouvellements = Some(count);
    }

    if let Some(after) = word_index(&["non substituable"]) {
        let following: Vec<&str> = words.iter().skip(after).take(3).copied().collect();
        ligne.non_substituable = Some(match following.as_slice() {
            ["mte", "ph", ..] => NonSubstituable::MtePh,
            ["mte", ..] => NonSubstituable::Mte,
            ["efg", ..] => NonSubstituable::Efg,
            ["cif", ..] => NonSubstituable::Cif,
            _ => NonSubstituable::Unjustified,
        });
    }

    let printed_nr = (0..line.word_count()).any(|index| {
        line.word_span(index)
            .is_some_and(|span| line.slice(span) == "NR")
    });
    ligne.nr |= printed_nr;

    if ligne.cip13.is_none() {
        ligne.cip13 = words
            .iter()
            .find(|word| word.len() == 13 && word.starts_with("3400"))
            .map(|word| (*word).to_owned());
    }
}

/// Returns the number of words of the first of `labels` found in `line`.
fn labels_len(line: &Line, labels: &[&str]) -> usize {
    labels
        .iter()
        .find(|label| line.has(&[label]))
        .map(|label| label.split(' ').count())
        .unwrap_or(1)
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl Ordonnance {
    /// Returns the fields read, as the JSON object of the structured result.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();

        let prescriber = &self.prescripteur;
        let mut prescripteur = Map::new();
        insert_text(&mut prescripteur, "nom", prescriber.nom.as_deref());
        insert_text(
            &mut prescripteur,
            "specialite",
            prescriber.specialite.as_deref(),
        );
        insert_text(&mut prescripteur, "rpps", prescriber.rpps.as_deref());
        insert_text(&mut prescripteur, "adeli", prescriber.adeli.as_deref());
        insert_text(&mut prescripteur, "finess", prescriber.finess.as_deref());
        insert_text(
            &mut prescripteur,
            "numero_am",
            prescriber.numero_am.as_deref(),
        );
        insert_text(&mut prescripteur, "adresse", prescriber.adresse.as_deref());
        let identifier = prescriber
            .rpps
            .as_ref()
            .map(|rpps| format!("RPPS {rpps}"))
            .or_else(|| {
                prescriber
                    .finess
                    .as_ref()
                    .map(|finess| format!("FINESS {finess}"))
            })
            .or_else(|| {
                prescriber
                    .adeli
                    .as_ref()
                    .map(|adeli| format!("ADELI {adeli}"))
            });
        insert_text(&mut prescripteur, "identifiant", identifier.as_deref());
        if !prescripteur.is_empty() {
            object.insert("prescripteur".to_owned(), Value::Object(prescripteur));
        }

        insert_date(&mut object, "date", self.date.as_ref());
        if let Some(patient) = &self.patient {
            let mut person = patient.person.to_json();
            if let Some(members) = person.as_object_mut() {
                insert_text(members, "age", patient.age.as_deref());
                insert_text(members, "poids_kg", patient.poids_kg.as_deref());
            }
            object.insert("patient".to_owned(), person);
        }
        object.insert("bizone".to_owned(), json!(self.bizone));
        if !self.lignes.is_empty() {
            let lignes = self.lignes.iter().map(Ligne::to_json).collect();
            object.insert("lignes".to_owned(), Value::Array(lignes));
        }
        Value::Object(object)
    }

    /// Returns the fields read as French label and value pairs.
    pub fn describe(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        let mut push = |label: &str, value: Option<String>| {
            if let Some(value) = value {
                lines.push((label.to_owned(), value));
            }
        };
        let prescriber = &self.prescripteur;
        push("prescripteur", prescriber.nom.clone());
        push("qualification", prescriber.specialite.clone());
        push("RPPS", prescriber.rpps.clone());
        push("ADELI", prescriber.adeli.clone());
        push("FINESS", prescriber.finess.clone());
        push("numéro Assurance Maladie", prescriber.numero_am.clone());
        push("adresse", prescriber.adresse.clone());
        push("date", self.date.as_ref().map(french_date));
        if let Some(patient) = &self.patient {
            push("patient", Some(patient.person.display_name()));
            push(
                "âge",
                patient.age.as_ref().map(|age| format!("{age}\u{a0}ans")),
            );
            push(
                "poids",
                patient.poids_kg.as_ref().map(|kg| format!("{kg}\u{a0}kg")),
            );
        }
        if self.bizone {
            push("ordonnance bizone (ALD)", Some("oui".to_owned()));
        }
        for ligne in &self.lignes {
            push("médicament", Some(ligne.french()));
        }
        lines
    }

    /// Returns the checks of the prescriber's numbers, the date and the
    /// mentions of each line.
    pub fn checks(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        let prescriber = &self.prescripteur;
        push_number_check(
            &mut checks,
            "prescripteur.rpps",
            Identifier::Rpps,
            prescriber.rpps.as_ref(),
            check_rpps,
        );
        push_number_check(
            &mut checks,
            "prescripteur.adeli",
            Identifier::Adeli,
            prescriber.adeli.as_ref(),
            check_adeli,
        );
        push_number_check(
            &mut checks,
            "prescripteur.finess",
            Identifier::Finess,
            prescriber.finess.as_ref(),
            check_finess,
        );
        push_number_check(
            &mut checks,
            "prescripteur.numero_am",
            Identifier::NumeroAm,
            prescriber.numero_am.as_ref(),
            check_numero_am,
        );
        if let Some(date) = &self.date {
            date_check("date", date, &mut checks);
        }

        for (index, ligne) in self.lignes.iter().enumerate() {
            let field = |name: &str| format!("lignes[{index}].{name}");
            if let Some(mention) = ligne.non_substituable {
                let verdict = if mention == NonSubstituable::Unjustified {
                    Verdict::Invalid(Problem::MissingJustification)
                } else {
                    Verdict::Valid
                };
                let mut check = Check::new(
                    &field("non_substituable"),
                    Identifier::NonSubstituable,
                    &format!("{} ({})", ligne.nom, mention.code()),
                    verdict,
                );
                if mention != NonSubstituable::Unjustified {
                    check.detail = Some(format!(
                        "{}\u{a0}; Mediflux ne vérifie pas que cette justification s'applique à ce médicament",
                        mention.french()
                    ));
                }
                checks.push(check);
            }
            if let (Some(qsp), Some(renewals)) = (&ligne.qsp, ligne.renouvellements) {
                let days = qsp.count * qsp.unit_days * (1 + renewals);
                let verdict = if days > 365 {
                    Verdict::Invalid(Problem::RenewalsBeyondAYear { days })
                } else {
                    Verdict::Valid
                };
                let mut check = Check::new(
                    &field("renouvellements"),
                    Identifier::Renewals,
                    &format!("QSP {}, {}", qsp.text, renewals_french(renewals)),
                    verdict,
                );
                check.detail = Some(format!(
                    "{} délivrances, dans la limite de 12\u{a0}mois",
                    1 + renewals
                ));
                checks.push(check);
            }
            if let Some(cip13) = &ligne.cip13 {
                checks.push(Check::new(
                    &field("cip13"),
                    Identifier::Cip13,
                    cip13,
                    check_cip13(cip13),
                ));
            }
        }
        checks
    }

    /// Returns the French summary for the patient.
    pub fn summary(&self, _context: &Context) -> Vec<String> {
        let mut sentences = Vec::new();

        let mut opening = String::from("Ordonnance");
        if let Some(date) = &self.date {
            opening.push_str(&format!(" du {}", french_date(date)));
        }
        if let Some(name) = &self.prescripteur.nom {
            opening.push_str(&format!(" rédigée par le Dr {name}"));
            if let Some(specialty) = &self.prescripteur.specialite {
                opening.push_str(&format!(" ({specialty})"));
            }
        }
        if let Some(patient) = &self.patient {
            opening.push_str(&format!(" pour {}", patient.person.natural_name()));
        }
        let count = self.lignes.len();
        opening.push_str(&match count {
            0 => "\u{a0}: je n'y ai reconnu aucun médicament.".to_owned(),
            1 => "\u{a0}: 1\u{a0}médicament.".to_owned(),
            _ => format!("\u{a0}: {count}\u{a0}médicaments."),
        });
        sentences.push(opening);

        for ligne in &self.lignes {
            sentences.push(format!("{}.", ligne.french()));
        }

        if self.bizone {
            sentences.push(
                "Ordonnance bizone\u{a0}: les médicaments de la partie haute, liés à votre affection \
                 de longue durée, sont pris en charge à 100\u{a0}% de la base de remboursement\u{a0}; \
                 ceux de la partie basse, aux taux habituels."
                    .to_owned(),
            );
        }

        for ligne in &self.lignes {
            sentences.extend(ligne.mention_sentences());
        }
        sentences
    }

    /// Returns the sources of the rules the answer relies on.
    pub fn citations(&self) -> Vec<Citation> {
        let mut citations = Vec::new();
        if self
            .lignes
            .iter()
            .any(|ligne| ligne.non_substituable.is_some())
        {
            citations.push(Citation {
                title: "Assurance Maladie, mention « non substituable »\u{a0}: changements depuis le 1er janvier 2020"
                    .to_owned(),
            });
        }
        if self
            .lignes
            .iter()
            .any(|ligne| ligne.renouvellements.is_some())
        {
            citations.push(Citation {
                title: "Code de la santé publique, art. R5123-2".to_owned(),
            });
        }
        citations
    }
}

impl Ligne {
    fn to_json(&self) -> Value {
        let duration = |duration: &Option<Duration>| {
            duration.as_ref().map(|duration| {
                json!({ "texte": duration.text, "jours": duration.count * duration.unit_days })
            })
        };
        json!({
            "zone": self.zone.code(),
            "medicament_texte": self.medicament_texte,
            "nom": self.nom,
            "dosage": self.dosage,
            "forme": self.forme,
            "posologie": self.posologie,
            "duree": duration(&self.duree),
            "qsp": duration(&self.qsp),
            "renouvellements": self.renouvellements,
            "non_substituable": self.non_substituable.map(NonSubstituable::code),
            "nr": self.nr,
            "cip13": self.cip13,
        })
    }

    /// Returns the line as a French phrase: name, dosage, form, posology
    /// and duration.
    fn french(&self) -> String {
        let mut text = self.nom.clone();
        if let Some(dosage) = &self.dosage {
            text.push_str(&format!(" {dosage}"));
        }
        if let Some(form) = &self.forme {
            text.push_str(&format!(" ({form})"));
        }
        if let Some(posology) = &self.posologie {
            text.push_str(&format!("\u{a0}: {posology}"));
        }
        if let Some(duration) = &self.duree {
            text.push_str(&format!(", pendant {}", duration.text));
        }
        text
    }

    /// Returns what the line's mentions mean for the patient.
    fn mention_sentences(&self) -> Vec<String> {
        let mut sentences = Vec::new();
        let name = match &self.dosage {
            Some(dosage) => format!("{} {dosage}", self.nom),
            None => self.nom.clone(),
        };
        match self.non_substituable {
            Some(NonSubstituable::Unjustified) => sentences.push(format!(
                "{name} est marqué «\u{a0}non substituable\u{a0}» sans MTE, EFG ni CIF\u{a0}: \
                 cette mention ne suffit pas\u{a0}; si vous refusez le générique, vous perdez le \
                 tiers payant et le remboursement se fait sur la base du générique le plus cher."
            )),
            Some(mention) => sentences.push(format!(
                "{name} est marqué «\u{a0}non substituable\u{a0}» ({}, {})\u{a0}: la pharmacie délivre \
                 le médicament prescrit, remboursé sur la base de son propre prix.",
                mention.code(),
                mention.french()
            )),
            None => {}
        }
        if let (Some(qsp), Some(renewals)) = (&self.qsp, self.renouvellements) {
            let qsp_days = qsp.count * qsp.unit_days;
            match &self.duree {
                Some(duration) if duration.count * duration.unit_days < qsp_days => {
                    sentences.push(format!(
                        "QSP {}, à renouveler {renewals}\u{a0}fois\u{a0}: la pharmacie peut délivrer \
                         {name} jusqu'à {}\u{a0}fois. La durée écrite sur la ligne ({}) est plus \
                         courte que le QSP\u{a0}: demandez au médecin ou au pharmacien laquelle \
                         s'applique.",
                        qsp.text,
                        1 + renewals,
                        duration.text
                    ));
                }
                _ => sentences.push(format!(
                    "QSP {}, à renouveler {renewals}\u{a0}fois\u{a0}: la pharmacie peut délivrer {name} \
                     {}\u{a0}fois, soit environ {}\u{a0}jours de traitement.",
                    qsp.text,
                    1 + renewals,
                    qsp_days * (1 + renewals)
                )),
            }
        }
        if self.nr {
            sentences.push(format!(
                "{name} porte la mention NR\u{a0}: prescrit en dehors des indications remboursables, \
                 il n'est pas remboursé."
            ));
        }
        sentences
    }
}
