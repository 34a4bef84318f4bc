//! The carte (or attestation) de tiers payant of a mutuelle.
//!
//! The Inter-AMC harmonised attestation groups five mandatory labels in one
//! « pavé normalisé », printed even when empty: numéro AMC, type(s) de
//! convention, critère secondaire de routage (CSR), numéro d'adhérent and
//! période de validité. Around it the card names the insurer, its manager,
//! the beneficiaries and, per care post (PHAR, MED, OPTI…), either a rate
//! in percent of the base de remboursement or the code of the tiers-payant
//! circuit that handles the post.

use serde_json::{Map, Value, json};

use crate::checks::{Check, Identifier, Problem, Verdict, check_amc, check_nir, regime_name};
use crate::fields::{
    Expected, Person, Validated, beneficiary_row, date_check, french_date, insert_date,
    insert_list, insert_text, validity_sentence,
};
use crate::text::{FoundDate, Line};
use crate::{Citation, Context};

/// Fields read on a carte de tiers payant. The first five form the pavé
/// normalisé.
pub const FIELDS: &[Expected] = &[
    Expected {
        pointer: "/numero_amc",
        label: "numéro AMC",
        required: true,
    },
    Expected {
        pointer: "/types_convention",
        label: "type(s) de convention",
        required: true,
    },
    Expected {
        pointer: "/csr",
        label: "critère secondaire de routage (CSR)",
        required: true,
    },
    Expected {
        pointer: "/numero_adherent",
        label: "numéro d'adhérent",
        required: true,
    },
    Expected {
        pointer: "/validite",
        label: "période de validité",
        required: true,
    },
    Expected {
        pointer: "/organisme",
        label: "organisme complémentaire (mutuelle)",
        required: true,
    },
    Expected {
        pointer: "/beneficiaires",
        label: "bénéficiaires",
        required: true,
    },
    Expected {
        pointer: "/garanties",
        label: "postes couverts (PHAR, MED, OPTI…)",
        required: true,
    },
    Expected {
        pointer: "/assure/nir",
        label: "NIR de l'assuré",
        required: false,
    },
    Expected {
        pointer: "/gestionnaire",
        label: "gestionnaire ou opérateur de tiers payant",
        required: false,
    },
    Expected {
        pointer: "/teletransmission",
        label: "télétransmission (NOÉMIE)",
        required: false,
    },
    Expected {
        pointer: "/contrat_responsable",
        label: "contrat responsable",
        required: false,
    },
];

/// Care posts of the card, with their French names.
const POSTS: &[(&str, &str)] = &[
    ("PHAR", "pharmacie remboursable"),
    ("MED", "consultations et actes médicaux"),
    ("LABO", "analyses de laboratoire"),
    ("HOSP", "hospitalisation"),
    ("OPTI", "optique"),
    ("DENT", "dentaire"),
    ("AUDI", "audioprothèses"),
    ("DEPR", "DEPR"),
    ("PHCN", "PHCN"),
];

/// Tiers-payant circuit codes whose operator is known.
const CIRCUITS: &[(&str, &str)] = &[("IS", "iSanté"), ("IT", "Itélis")];

/// Labels of the card, which also end the value before them.
const LABELS: &[&str] = &[
    "numero amc",
    "n amc",
    "no amc",
    "amc",
    "teletransmission",
    "periode de validite",
    "assuree",
    "assure",
    "nir",
    "numero d adherent",
    "numero adherent",
    "n d adherent",
    "n adherent",
    "no adherent",
    "regime",
    "types de convention",
    "type de convention",
    "critere secondaire de routage",
    "csr",
    "gestionnaire",
    "operateur",
];

/// Fields of a carte de tiers payant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CarteTiersPayant {
    /// Name of the mutuelle.
    pub organisme: Option<String>,
    /// Numéro AMC, digits only.
    pub numero_amc: Option<String>,
    /// Type(s) de convention.
    pub types_convention: Vec<String>,
    /// Critère secondaire de routage.
    pub csr: Option<String>,
    /// Numéro d'adhérent.
    pub numero_adherent: Option<String>,
    /// First day of validity.
    pub debut: Option<FoundDate>,
    /// Last day of validity.
    pub fin: Option<FoundDate>,
    /// Whether the card marks the contract as « responsable ».
    pub contrat_responsable: Option<bool>,
    /// Manager or tiers-payant operator.
    pub gestionnaire: Option<String>,
    /// Télétransmission (NOÉMIE) status, as printed.
    pub teletransmission: Option<String>,
    /// Régime of the assuré, such as `01`.
    pub regime: Option<String>,
    /// The assuré, with their NIR.
    pub assure: Option<Person>,
    /// Beneficiaries with their date of birth and rang.
    pub beneficiaires: Vec<Person>,
    /// Coverage per care post.
    pub garanties: Vec<Garantie>,
}

/// The coverage of one care post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Garantie {
    /// Post code, such as `PHAR`.
    pub poste: String,
    /// The cell as printed, such as `100%` or `SP`.
    pub valeur_brute: String,
    /// Rate in percent of the base de remboursement, when the cell is one.
    pub taux_pct: Option<u32>,
    /// Tiers-payant circuit code, when the cell is one.
    pub circuit: Option<String>,
}

/// Reads a carte de tiers payant from its lines.
pub fn read(lines: &[Line]) -> CarteTiersPayant {
    let mut card = CarteTiersPayant::default();
    let mut in_beneficiaries = false;

    for line in lines {
        read_organisme(line, &mut card);
        read_numbers(line, &mut card);
        read_validity(line, &mut card);
        read_assure(line, &mut card);

        let table_header = line.has(&["beneficiaire", "beneficiaires"])
            && line.has(&["ne", "nee", "naissance", "rang"]);
        if table_header {
            in_beneficiaries = true;
            continue;
        }
        if in_beneficiaries {
            match beneficiary_row(line) {
                Some(person) => {
                    card.beneficiaires.push(person);
                    continue;
                }
                None => in_beneficiaries = false,
            }
        }

        card.garanties.extend(garanties(line));
    }

    if card
        .assure
        .as_ref()
        .is_some_and(|assure| assure.date_naissance.is_none())
    {
        fill_assure_birth(&mut card);
    }
    card
}

fn read_organisme(line: &Line, card: &mut CarteTiersPayant) {
    if card.organisme.is_none() {
        let title = [
            "attestation de tiers payant",
            "carte de tiers payant",
            "attestation tiers payant",
            "carte tiers payant",
        ];
        card.organisme = line.value_after(&title, LABELS).or_else(|| {
            line.value_after_colon(
                &["organisme complementaire", "organisme", "mutuelle"],
                LABELS,
            )
        });
    }
    if card.gestionnaire.is_none() {
        card.gestionnaire = line.value_after(&["gestionnaire", "operateur"], LABELS);
    }
    if card.teletransmission.is_none() {
        card.teletransmission = line.value_after(&["teletransmission"], LABELS);
    }
    if line.has(&["contrat responsable"]) {
        card.contrat_responsable = Some(!line.has(&["non responsable"]));
    }
}

fn read_numbers(line: &Line, card: &mut CarteTiersPayant) {
    if card.numero_amc.is_none() {
        card.numero_amc = line.digits_after(&["numero amc", "n amc", "no amc", "amc"], false);
    }
    if card.numero_adherent.is_none() {
        card.numero_adherent = line
            .value_after(
                &[
                    "numero d adherent",
                    "numero adherent",
                    "n d adherent",
                    "n adherent",
                    "no adherent",
                ],
                LABELS,
            )
            .and_then(|value| value.split_whitespace().next().map(str::to_owned));
    }
    if card.regime.is_none() {
        card.regime = line.digits_after(&["regime"], false);
    }
    if card.types_convention.is_empty()
        && let Some(value) = line.value_after(
            &[
                "types de convention",
                "type de convention",
                "types convention",
            ],
            LABELS,
        )
    {
        card.types_convention = value
            .split([',', '/', ';', ' '])
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect();
    }
    if card.csr.is_none() {
        card.csr = line.value_after(&["critere secondaire de routage", "csr"], LABELS);
    }
}

fn read_validity(line: &Line, card: &mut CarteTiersPayant) {
    if card.debut.is_some() || !line.has(&["periode de validite", "validite", "valable"]) {
        return;
    }
    let mut dates = line.dates().into_iter();
    card.debut = dates.next();
    card.fin = dates.next();
}

fn read_assure(line: &Line, card: &mut CarteTiersPayant) {
    let name = line.value_after(&["assure e", "assuree", "assure"], LABELS);
    let nir = line.digits_after(
        &[
            "nir",
            "numero de securite sociale",
            "n de securite sociale",
            "numero d immatriculation",
            "n d immatriculation",
        ],
        true,
    );
    if name.is_none() && nir.is_none() {
        return;
    }
    let assure = card.assure.get_or_insert_with(Person::default);
    if let Some(name) = name
        && assure.is_unnamed()
    {
        let read = Person::from_name(&name);
        assure.nom = read.nom;
        assure.prenom = read.prenom;
    }
    if assure.nir.is_none() {
        assure.nir = nir;
    }
}

/// Gives the assuré the date of birth of the beneficiary of the same name.
fn fill_assure_birth(card: &mut CarteTiersPayant) {
    let Some(assure) = card.assure.as_mut() else {
        return;
    };
    let name = assure.display_name();
    if let Some(same) = card
        .beneficiaires
        .iter()
        .find(|person| !name.is_empty() && person.display_name() == name)
    {
        assure.date_naissance = same.date_naissance.clone();
    }
}

/// Reads the post cells of a line, such as `PHAR 100%  OPTI SP`.
fn garanties(line: &Line) -> Vec<Garantie> {
    let mut found = Vec::new();
    for index in 0..line.word_count() {
        let Some(span) = line.word_span(index) else {
            continue;
        };
        let word = line.slice(span);
        if !POSTS.iter().any(|(code, _)| *code == word) {
            continue;
        }
        let Some(cell) = line.value_from(span.end, &[]) else {
            continue;
        };
        let Some(first) = cell.split_whitespace().next() else {
            continue;
        };
        let rate = read_rate(&cell);
        let cell_text = match cell.find('%') {
            Some(percent) if rate.is_some() => cell[..=percent].to_owned(),
            _ => first.to_owned(),
        };
        let circuit = rate
            .is_none()
            .then(|| first.to_owned())
            .filter(|code| code.chars().all(|c| c.is_ascii_uppercase()) && code.len() <= 4);
        if rate.is_none() && circuit.is_none() {
            continue;
        }
        found.push(Garantie {
            poste: word,
            valeur_brute: cell_text,
            taux_pct: rate,
            circuit,
        });
    }
    found
}

/// Reads `100%` or `100 %` at the start of a cell.
fn read_rate(cell: &str) -> Option<u32> {
    let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
    let rest = cell[digits.len()..].trim_start();
    if digits.is_empty() || !rest.starts_with('%') {
        return None;
    }
    digits.parse().ok()
}

impl CarteTiersPayant {
    /// Returns the fields read, as the JSON object of the structured result.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        insert_text(&mut object, "organisme", self.organisme.as_deref());
        insert_text(&mut object, "numero_amc", self.numero_amc.as_deref());
        insert_list(
            &mut object,
            "types_convention",
            self.types_convention
                .iter()
                .map(|item| json!(item))
                .collect(),
        );
        insert_text(&mut object, "csr", self.csr.as_deref());
        insert_text(
            &mut object,
            "numero_adherent",
            self.numero_adherent.as_deref(),
        );
        if self.debut.is_some() || self.fin.is_some() {
            let mut validite = Map::new();
            insert_date(&mut validite, "debut", self.debut.as_ref());
            insert_date(&mut validite, "fin", self.fin.as_ref());
            object.insert("validite".to_owned(), Value::Object(validite));
        }
        if let Some(responsable) = self.contrat_responsable {
            object.insert("contrat_responsable".to_owned(), json!(responsable));
        }
        insert_text(&mut object, "gestionnaire", self.gestionnaire.as_deref());
        insert_text(
            &mut object,
            "teletransmission",
            self.teletransmission.as_deref(),
        );
        insert_text(&mut object, "regime", self.regime.as_deref());
        if let Some(assure) = &self.assure {
            object.insert("assure".to_owned(), assure.to_json());
        }
        insert_list(
            &mut object,
            "beneficiaires",
            self.beneficiaires.iter().map(Person::to_json).collect(),
        );
        insert_list(
            &mut object,
            "garanties",
            self.garanties
                .iter()
                .map(|garantie| {
                    json!({
                        "poste": garantie.poste,
                        "valeur_brute": garantie.valeur_brute,
                        "taux_pct": garantie.taux_pct,
                        "circuit": garantie.circuit,
                    })
                })
                .collect(),
        );
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
        push("organisme", self.organisme.clone());
        push("numéro AMC", self.numero_amc.clone());
        push(
            "type(s) de convention",
            (!self.types_convention.is_empty()).then(|| self.types_convention.join(", ")),
        );
        push("CSR", self.csr.clone());
        push("numéro d'adhérent", self.numero_adherent.clone());
        push("période de validité", self.validity_text());
        push(
            "contrat responsable",
            self.contrat_responsable
                .map(|responsable| if responsable { "oui" } else { "non" }.to_owned()),
        );
        push("gestionnaire", self.gestionnaire.clone());
        push("télétransmission", self.teletransmission.clone());
        push(
            "régime",
            self.regime.as_ref().map(|code| match regime_name(code) {
                Some(name) => format!("{code} ({name})"),
                None => code.clone(),
            }),
        );
        if let Some(assure) = &self.assure {
            push(
                "assuré",
                (!assure.is_unnamed()).then(|| assure.display_name()),
            );
            push(
                "NIR de l'assuré",
                assure.nir.as_deref().map(crate::checks::spaced_nir),
            );
        }
        for person in &self.beneficiaires {
            let mut value = person.display_name();
            if let Some(birth) = &person.date_naissance {
                value.push_str(&format!(", né(e) le {}", french_date(birth)));
            }
            if let Some(rang) = &person.rang {
                value.push_str(&format!(", rang {rang}"));
            }
            push("bénéficiaire", Some(value));
        }
        for garantie in &self.garanties {
            push(
                &format!("poste {}", garantie.poste),
                Some(garantie.valeur_brute.clone()),
            );
        }
        lines
    }

    fn validity_text(&self) -> Option<String> {
        match (&self.debut, &self.fin) {
            (Some(debut), Some(fin)) => {
                Some(format!("du {} au {}", french_date(debut), french_date(fin)))
            }
            (Some(debut), None) => Some(format!("à partir du {}", french_date(debut))),
            _ => None,
        }
    }

    /// Returns the checks of the card's identifiers and dates.
    pub fn checks(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        if let Some(amc) = &self.numero_amc {
            let mut check = Check::new("numero_amc", Identifier::Amc, amc, check_amc(amc));
            if check.verdict == Verdict::FormatOnly {
                check.detail = Some(format!("{}\u{a0}chiffres", amc.len()));
            }
            checks.push(check);
        }
        if let Some(nir) = self.assure.as_ref().and_then(|assure| assure.nir.as_ref()) {
            checks.push(Check::new(
                "assure.nir",
                Identifier::Nir,
                nir,
                check_nir(nir),
            ));
        }
        for (index, person) in self.beneficiaires.iter().enumerate() {
            if let Some(date) = &person.date_naissance {
                date_check(
                    &format!("beneficiaires[{index}].date_naissance"),
                    date,
                    &mut checks,
                );
            }
        }
        for (field, date) in [("validite.debut", &self.debut), ("validite.fin", &self.fin)] {
            if let Some(date) = date {
                date_check(field, date, &mut checks);
            }
        }
        if let (Some(debut), Some(fin)) = (
            self.debut.as_ref().and_then(|found| found.date),
            self.fin.as_ref().and_then(|found| found.date),
        ) {
            let verdict = if fin < debut {
                Verdict::Invalid(Problem::PeriodReversed)
            } else {
                Verdict::Valid
            };
            checks.push(Check::new(
                "validite",
                Identifier::Period,
                &format!("{} – {}", debut.french(), fin.french()),
                verdict,
            ));
        }
        checks
    }

    /// Returns the French summary for the patient on `context.on`.
    pub fn summary(&self, context: &Context) -> Vec<String> {
        let mut sentences = Vec::new();

        let insurer = match &self.organisme {
            Some(name) => format!("Votre mutuelle ({name})"),
            None => "Votre mutuelle".to_owned(),
        };
        let period = self
            .validity_text()
            .map(|text| format!(" {text}"))
            .unwrap_or_default();
        sentences.push(format!(
            "{insurer} vous dispense d'avancer sa part des frais{period} chez les professionnels \
             de santé qui pratiquent le tiers payant."
        ));

        if let Some(status) = self.validity_status(context) {
            sentences.push(status);
        }

        let rates: Vec<String> = self
            .garanties
            .iter()
            .filter_map(|garantie| {
                let rate = garantie.taux_pct?;
                Some(format!(
                    "{} ({}) à {rate}\u{a0}%",
                    post_name(&garantie.poste),
                    garantie.poste
                ))
            })
            .collect();
        if !rates.is_empty() {
            sentences.push(format!(
                "Tiers payant en pourcentage de la base de remboursement de la Sécurité sociale\u{a0}: {}.",
                rates.join(", ")
            ));
        }
        let circuits: Vec<String> = self
            .garanties
            .iter()
            .filter_map(|garantie| {
                let code = garantie.circuit.as_ref()?;
                let operator = CIRCUITS
                    .iter()
                    .find(|(known, _)| known == code)
                    .map(|(_, name)| format!(", {name}"))
                    .unwrap_or_default();
                Some(format!(
                    "{} ({}) par le circuit «\u{a0}{code}\u{a0}»{operator}",
                    post_name(&garantie.poste),
                    garantie.poste
                ))
            })
            .collect();
        if !circuits.is_empty() {
            sentences.push(format!(
                "Tiers payant géré par un circuit d'opérateur\u{a0}: {}.",
                circuits.join("\u{a0}; ")
            ));
        }

        if !self.beneficiaires.is_empty() {
            let names: Vec<String> = self
                .beneficiaires
                .iter()
                .map(|person| match &person.rang {
                    Some(rang) => format!("{} (rang {rang})", person.display_name()),
                    None => person.display_name(),
                })
                .collect();
            sentences.push(format!("Personnes couvertes\u{a0}: {}.", names.join(", ")));
        }

        let pave_missing: Vec<&str> = crate::fields::missing(&FIELDS[..5], &self.to_json())
            .iter()
            .map(|field| field.label)
            .collect();
        if !pave_missing.is_empty() {
            sentences.push(format!(
                "Les cinq mentions du pavé normalisé Inter-AMC sont obligatoires, même vides\u{a0}; \
                 il manque ici\u{a0}: {}.",
                pave_missing.join(", ")
            ));
        }
        sentences
    }

    /// Returns the French sentence telling whether the card is valid on the
    /// reference day.
    fn validity_status(&self, context: &Context) -> Option<String> {
        let debut = self.debut.as_ref()?.date?;
        let fin = self.fin.as_ref()?.date?;
        Some(validity_sentence(
            debut,
            fin,
            context,
            Validated {
                noun: "cette attestation",
                pronoun: "elle",
                renewal: "demandez la nouvelle à votre mutuelle",
            },
        ))
    }

    /// Returns the sources of the facts the answer relies on.
    pub fn citations(&self) -> Vec<Citation> {
        vec![Citation {
            title: "Association Inter-AMC, attestation de tiers payant harmonisée".to_owned(),
        }]
    }
}

/// Returns the French name of a care post.
fn post_name(code: &str) -> &str {
    POSTS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, name)| *name)
        .unwrap_or(code)
}
