//! The attestation de droits of the Assurance Maladie (AMO).
//!
//! It names the organisme de rattachement by a 9-digit code (régime on 2
//! digits, caisse on 3, centre on 4) and a 2-digit code de gestion. It
//! gives the assuré's NIR and each beneficiary with their date of birth and
//! rang (01 for the assuré, 02 to 19 for dependants). It shows the period
//! of the rights (at most one year from issue), whether a médecin traitant
//! is declared, and the exemptions from the ticket modérateur (ALD,
//! maternité…). It may add the régime local d'Alsace-Moselle and, for the
//! C2S, its complementary organisation.

use serde_json::{Map, Value, json};

use crate::checks::{
    Check, Identifier, Problem, Verdict, check_amo_organisme, check_nir, regime_name,
};
use crate::fields::{
    Expected, Person, Validated, beneficiary_row, date_check, date_value, french_date, insert_date,
    insert_list, insert_text, validity_sentence,
};
use crate::text::{FoundDate, Line};
use crate::{Citation, Context};

/// Fields read on an attestation de droits.
pub const FIELDS: &[Expected] = &[
    Expected {
        pointer: "/code_organisme",
        label: "code de l'organisme de rattachement (9 chiffres)",
        required: true,
    },
    Expected {
        pointer: "/assure/nir",
        label: "NIR de l'assuré",
        required: true,
    },
    Expected {
        pointer: "/assure/nom",
        label: "nom de l'assuré",
        required: true,
    },
    Expected {
        pointer: "/droits",
        label: "période des droits",
        required: true,
    },
    Expected {
        pointer: "/beneficiaires",
        label: "bénéficiaires (nom, date de naissance, rang)",
        required: false,
    },
    Expected {
        pointer: "/code_gestion",
        label: "code de gestion",
        required: false,
    },
    Expected {
        pointer: "/medecin_traitant",
        label: "médecin traitant déclaré",
        required: false,
    },
    Expected {
        pointer: "/exonerations",
        label: "exonérations du ticket modérateur",
        required: false,
    },
];

/// Labels of the attestation, which also end the value before them.
const LABELS: &[&str] = &[
    "code organisme",
    "organisme de rattachement",
    "code gestion",
    "code de gestion",
    "nir",
    "numero de securite sociale",
    "assure e",
    "assuree",
    "assure",
    "medecin traitant",
    "date d edition",
    "editee le",
    "edite le",
    "delivree le",
    "taux",
];

/// An exemption from the ticket modérateur.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exoneration {
    /// Nature, as written, such as `ALD`.
    pub nature: String,
    /// Rate of cover in percent, when printed.
    pub taux_pct: Option<u32>,
    /// First day.
    pub debut: Option<FoundDate>,
    /// Last day.
    pub fin: Option<FoundDate>,
}

/// Fields of an attestation de droits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttestationDroits {
    /// Code of the organisme de rattachement, 9 digits.
    pub code_organisme: Option<String>,
    /// Name of the caisse.
    pub caisse: Option<String>,
    /// Code de gestion, 2 digits.
    pub code_gestion: Option<String>,
    /// The assuré.
    pub assure: Option<Person>,
    /// Beneficiaries.
    pub beneficiaires: Vec<Person>,
    /// First day of the rights.
    pub debut: Option<FoundDate>,
    /// Last day of the rights.
    pub fin: Option<FoundDate>,
    /// Day the attestation was issued.
    pub date_edition: Option<FoundDate>,
    /// Médecin traitant, as written (a name, or oui / non).
    pub medecin_traitant: Option<String>,
    /// Exemptions from the ticket modérateur.
    pub exonerations: Vec<Exoneration>,
    /// Whether the régime local d'Alsace-Moselle applies.
    pub regime_local: bool,
    /// Complementary organisation of a C2S, as written.
    pub c2s: Option<String>,
}

/// Reads an attestation de droits from its lines.
pub fn read(lines: &[Line]) -> AttestationDroits {
    let mut attestation = AttestationDroits::default();
    let mut in_beneficiaries = false;

    for line in lines {
        let table_header = line.has(&["beneficiaire", "beneficiaires"])
            && line.has(&["ne", "nee", "naissance", "rang"]);
        if table_header {
            in_beneficiaries = true;
            continue;
        }
        if in_beneficiaries {
            match beneficiary_row(line) {
                Some(person) => {
                    attestation.beneficiaires.push(person);
                    continue;
                }
                None => in_beneficiaries = false,
            }
        }

        read_organisme(line, &mut attestation);
        read_assure(line, &mut attestation);
        read_periods(line, &mut attestation);
    }
    attestation
}

fn read_organisme(line: &Line, attestation: &mut AttestationDroits) {
    if attestation.code_organisme.is_none() {
        attestation.code_organisme = line.digits_after(
            &[
                "code organisme",
                "code de l organisme",
                "organisme de rattachement",
            ],
            false,
        );
    }
    if attestation.caisse.is_none() {
        attestation.caisse = line.value_after_colon(&["caisse", "organisme d affiliation"], LABELS);
    }
    if attestation.code_gestion.is_none() {
        attestation.code_gestion = line.digits_after(&["code de gestion", "code gestion"], false);
    }
    if attestation.medecin_traitant.is_none() {
        attestation.medecin_traitant = line.value_after(&["medecin traitant"], LABELS);
    }
    if line.has(&["alsace moselle", "regime local"]) {
        attestation.regime_local = true;
    }
    if attestation.c2s.is_none() && line.has(&["c2s", "complementaire sante solidaire"]) {
        attestation.c2s = line
            .value_after_colon(
                &[
                    "organisme complementaire",
                    "c2s",
                    "complementaire sante solidaire",
                ],
                LABELS,
            )
            .or_else(|| Some(line.text()));
    }
}

fn read_assure(line: &Line, attestation: &mut AttestationDroits) {
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
    let assure = attestation.assure.get_or_insert_with(Person::default);
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

fn read_periods(line: &Line, attestation: &mut AttestationDroits) {
    if attestation.date_edition.is_none() {
        attestation.date_edition = line.date_after(&[
            "date d edition",
            "editee le",
            "edite le",
            "delivree le",
            "delivre le",
            "emise le",
            "etablie le",
        ]);
    }
    let exemption = line.has(&["exoneration", "ticket moderateur"]);
    if exemption {
        let nature = line
            .value_after(&["nature", "motif"], LABELS)
            .or_else(|| {
                ["ALD", "maternité", "invalidité", "AT", "MP"]
                    .into_iter()
                    .find(|word| line.has(&[crate::text::fold(word).as_str()]))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "non précisée".to_owned());
        let mut dates = line.dates().into_iter();
        attestation.exonerations.push(Exoneration {
            nature,
            taux_pct: rate(line),
            debut: dates.next(),
            fin: dates.next(),
        });
        return;
    }
    if attestation.debut.is_none() && line.has(&["droits", "valable", "validite", "periode"]) {
        let mut dates = line
            .dates()
            .into_iter()
            .filter(|date| Some(date) != attestation.date_edition.as_ref());
        attestation.debut = dates.next();
        attestation.fin = dates.next();
    }
}

/// Reads a rate written `100 %` or `100%`.
fn rate(line: &Line) -> Option<u32> {
    let text = line.text();
    let percent = text.find('%')?;
    let before = text[..percent].trim_end();
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

impl AttestationDroits {
    /// Returns the fields read, as the JSON object of the structured result.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        insert_text(
            &mut object,
            "code_organisme",
            self.code_organisme.as_deref(),
        );
        insert_text(&mut object, "caisse", self.caisse.as_deref());
        insert_text(&mut object, "code_gestion", self.code_gestion.as_deref());
        if let Some(assure) = &self.assure {
            object.insert("assure".to_owned(), assure.to_json());
        }
        insert_list(
            &mut object,
            "beneficiaires",
            self.beneficiaires.iter().map(Person::to_json).collect(),
        );
        if self.debut.is_some() || self.fin.is_some() {
            let mut droits = Map::new();
            insert_date(&mut droits, "debut", self.debut.as_ref());
            insert_date(&mut droits, "fin", self.fin.as_ref());
            object.insert("droits".to_owned(), Value::Object(droits));
        }
        insert_date(&mut object, "date_edition", self.date_edition.as_ref());
        insert_text(
            &mut object,
            "medecin_traitant",
            self.medecin_traitant.as_deref(),
        );
        insert_list(
            &mut object,
            "exonerations",
            self.exonerations
                .iter()
                .map(|exemption| {
                    json!({
                        "nature": exemption.nature,
                        "taux_pct": exemption.taux_pct,
                        "debut": exemption.debut.as_ref().map(date_value),
                        "fin": exemption.fin.as_ref().map(date_value),
                    })
                })
                .collect(),
        );
        if self.regime_local {
            object.insert("regime_local_alsace_moselle".to_owned(), json!(true));
        }
        insert_text(&mut object, "c2s", self.c2s.as_deref());
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
        push("code de l'organisme", self.code_organisme.clone());
        push("caisse", self.caisse.clone());
        push("code de gestion", self.code_gestion.clone());
        if let Some(assure) = &self.assure {
            push(
                "assuré",
                (!assure.is_unnamed()).then(|| assure.display_name()),
            );
            push("NIR", assure.nir.as_deref().map(crate::checks::spaced_nir));
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
        push("droits", self.period_text());
        push(
            "date d'édition",
            self.date_edition.as_ref().map(french_date),
        );
        push("médecin traitant", self.medecin_traitant.clone());
        for exemption in &self.exonerations {
            push("exonération du ticket modérateur", Some(exemption.french()));
        }
        if self.regime_local {
            push("régime local d'Alsace-Moselle", Some("oui".to_owned()));
        }
        push("complémentaire santé solidaire", self.c2s.clone());
        lines
    }

    fn period_text(&self) -> Option<String> {
        match (&self.debut, &self.fin) {
            (Some(debut), Some(fin)) => {
                Some(format!("du {} au {}", french_date(debut), french_date(fin)))
            }
            (Some(debut), None) => Some(format!("à partir du {}", french_date(debut))),
            _ => None,
        }
    }

    /// Returns the checks of the organisme code, the NIR and the period.
    pub fn checks(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        if let Some(code) = &self.code_organisme {
            let mut check = Check::new(
                "code_organisme",
                Identifier::AmoOrganisme,
                code,
                check_amo_organisme(code),
            );
            if check.verdict == Verdict::FormatOnly {
                let regime = regime_name(&code[..2])
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("régime {}", &code[..2]));
                check.detail = Some(format!(
                    "{regime}, caisse {}, centre {}",
                    &code[2..5],
                    &code[5..]
                ));
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
        for (field, date) in [
            ("droits.debut", &self.debut),
            ("droits.fin", &self.fin),
            ("date_edition", &self.date_edition),
        ] {
            if let Some(date) = date {
                date_check(field, date, &mut checks);
            }
        }
        if let (Some(debut), Some(fin)) = (
            self.debut.as_ref().and_then(|found| found.date),
            self.fin.as_ref().and_then(|found| found.date),
        ) {
            let issued = self.date_edition.as_ref().and_then(|found| found.date);
            let verdict = if fin < debut {
                Verdict::Invalid(Problem::PeriodReversed)
            } else if issued.is_some_and(|issued| fin > issued.plus_years(1)) {
                Verdict::Invalid(Problem::LongerThanAYear)
            } else {
                Verdict::Valid
            };
            checks.push(Check::new(
                "droits",
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

        let mut opening = String::from("Attestation de droits à l'Assurance Maladie");
        if let Some(regime) = self
            .code_organisme
            .as_ref()
            .filter(|code| code.len() == 9)
            .and_then(|code| regime_name(&code[..2]))
        {
            opening.push_str(&format!(" ({regime})"));
        }
        if let Some(assure) = self.assure.as_ref().filter(|assure| !assure.is_unnamed()) {
            opening.push_str(&format!(" de {}", assure.natural_name()));
        }
        if let Some(period) = self.period_text() {
            opening.push_str(&format!("\u{a0}: droits ouverts {period}"));
        }
        opening.push('.');
        sentences.push(opening);

        if let (Some(debut), Some(fin)) = (
            self.debut.as_ref().and_then(|found| found.date),
            self.fin.as_ref().and_then(|found| found.date),
        ) {
            sentences.push(validity_sentence(
                debut,
                fin,
                context,
                Validated {
                    noun: "cette attestation",
                    pronoun: "elle",
                    renewal: "demandez-en une nouvelle à votre caisse d'assurance maladie",
                },
            ));
        }

        for exemption in &self.exonerations {
            sentences.push(format!(
                "Exonération du ticket modérateur ({})\u{a0}: les soins concernés sont remboursés \
                 à {}\u{a0}% de la base de remboursement, sans les dépassements.",
                exemption.french(),
                exemption.taux_pct.unwrap_or(100)
            ));
        }
        if self.regime_local {
            sentences.push(
                "Vous relevez du régime local d'Alsace-Moselle (taux de 90\u{a0}%), plus favorable \
                 que le régime général."
                    .to_owned(),
            );
        }
        if let Some(doctor) = &self.medecin_traitant {
            sentences.push(format!("Médecin traitant\u{a0}: {doctor}."));
        }
        sentences
    }

    /// Returns the sources of the facts the answer relies on.
    pub fn citations(&self) -> Vec<Citation> {
        Vec::new()
    }
}

impl Exoneration {
    fn french(&self) -> String {
        let mut text = self.nature.clone();
        if let Some(rate) = self.taux_pct {
            text.push_str(&format!(", {rate}\u{a0}%"));
        }
        match (&self.debut, &self.fin) {
            (Some(debut), Some(fin)) => text.push_str(&format!(
                ", du {} au {}",
                french_date(debut),
                french_date(fin)
            )),
            (Some(debut), None) => text.push_str(&format!(", à partir du {}", french_date(debut))),
            _ => {}
        }
        text
    }
}
