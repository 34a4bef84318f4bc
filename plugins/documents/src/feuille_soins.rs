//! The paper feuille de soins of a doctor (cerfa n° 12541).
//!
//! Its sections name the person who received the care (and the assuré
//! when the patient is a dependant), the conditions of cover (maladie,
//! maternité, AT-MP, ALD), the parcours de soins, the practitioner (RPPS,
//! Assurance Maladie number, FINESS of a centre), then one line per act:
//! date, NGAP code (lettre-clé and coefficient) or CCAM code (4 letters and
//! 3 digits), fee, dépassement code, and the total paid.

use serde_json::{Map, Value, json};

use crate::checks::{
    Check, Identifier, Problem, Verdict, check_finess, check_nir, check_numero_am, check_rpps,
    euros, is_ccam_code, push_number_check,
};
use crate::fields::{
    Expected, Person, date_check, date_value, french_date, insert_date, insert_list, insert_text,
};
use crate::text::{FoundDate, Line};
use crate::{Citation, Context};

/// Fields read on a feuille de soins.
pub const FIELDS: &[Expected] = &[
    Expected {
        pointer: "/patient/nom",
        label: "nom de la personne qui a reçu les soins",
        required: true,
    },
    Expected {
        pointer: "/patient/nir",
        label: "NIR",
        required: true,
    },
    Expected {
        pointer: "/praticien/nom",
        label: "nom du praticien",
        required: true,
    },
    Expected {
        pointer: "/praticien/identifiant",
        label: "numéro du praticien (RPPS, Assurance Maladie ou FINESS)",
        required: true,
    },
    Expected {
        pointer: "/date_actes",
        label: "date des actes",
        required: true,
    },
    Expected {
        pointer: "/actes",
        label: "actes effectués (code et montant)",
        required: true,
    },
    Expected {
        pointer: "/total_paye_cents",
        label: "total payé",
        required: true,
    },
    Expected {
        pointer: "/parcours",
        label: "parcours de soins",
        required: false,
    },
    Expected {
        pointer: "/depassement",
        label: "dépassement d'honoraires",
        required: false,
    },
];

/// Labels of the form, which also end the value before them.
const LABELS: &[&str] = &[
    "date des actes",
    "code acte",
    "montant",
    "identification du praticien",
    "n finess",
    "finess",
    "rpps",
    "n am",
    "paiement direct",
    "honoraires depasses",
    "total paye",
    "nir",
    "date de naissance",
];

/// NGAP lettres-clés with a French meaning.
const NGAP_KEYS: &[(&str, &str)] = &[
    ("G", "consultation de médecin généraliste"),
    (
        "APC",
        "avis ponctuel de consultant (spécialiste, à la demande d'un médecin)",
    ),
];

/// Nomenclature of an act code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nomenclature {
    /// Nomenclature générale des actes professionnels: lettre-clé and
    /// coefficient.
    Ngap,
    /// Classification commune des actes médicaux: 4 letters and 3 digits.
    Ccam,
}

/// One act of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acte {
    /// Date of the act.
    pub date: Option<FoundDate>,
    /// Code as printed, such as `G` or `AANB741`.
    pub code: String,
    /// Nomenclature of the code.
    pub nomenclature: Nomenclature,
    /// NGAP coefficient, when printed.
    pub coefficient: Option<String>,
    /// Fee in euro cents.
    pub montant_cents: Option<i64>,
}

/// The practitioner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Praticien {
    /// Name.
    pub nom: Option<String>,
    /// RPPS number.
    pub rpps: Option<String>,
    /// Assurance Maladie number.
    pub numero_am: Option<String>,
    /// FINESS of the centre.
    pub finess: Option<String>,
}

/// Fields of a feuille de soins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeuilleDeSoins {
    /// Cerfa number, such as `12541*02`.
    pub cerfa: Option<String>,
    /// The person who received the care.
    pub patient: Option<Person>,
    /// The practitioner.
    pub praticien: Praticien,
    /// Dates of the acts.
    pub date_actes: Vec<FoundDate>,
    /// Acts.
    pub actes: Vec<Acte>,
    /// Dépassement d'honoraires: code (DE, DA, DP…) and amount in cents.
    pub depassement: Option<(Option<String>, Option<i64>)>,
    /// Total paid, in cents.
    pub total_paye_cents: Option<i64>,
    /// Parcours de soins, as written.
    pub parcours: Option<String>,
    /// Whether the care is linked to an ALD.
    pub ald: Option<bool>,
    /// Whether the act took place in a hospital.
    pub hopital: Option<bool>,
    /// Whether the patient paid the practitioner directly.
    pub paiement_direct: Option<bool>,
}

/// Reads a feuille de soins from its lines.
pub fn read(lines: &[Line]) -> FeuilleDeSoins {
    let mut form = FeuilleDeSoins::default();
    for line in lines {
        read_header(line, &mut form);
        read_practitioner(line, &mut form.praticien);
        read_acts(line, &mut form);
        read_payment(line, &mut form);
    }
    form
}

fn read_header(line: &Line, form: &mut FeuilleDeSoins) {
    if form.cerfa.is_none()
        && let Some(value) = line.value_after(&["cerfa n", "cerfa no", "cerfa"], LABELS)
    {
        let number: String = value
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit() || *c == '*')
            .collect();
        form.cerfa = (!number.is_empty()).then_some(number);
    }

    let name = line.value_after(
        &[
            "personne recevant les soins",
            "nom et prenom",
            "patient e",
            "patiente",
            "patient",
        ],
        LABELS,
    );
    let nir = line.digits_after(
        &[
            "nir",
            "numero d immatriculation",
            "n d immatriculation",
            "numero de securite sociale",
        ],
        true,
    );
    let birth = line.date_after(&["date de naissance", "ne e le", "nee le", "ne le"]);
    if name.is_some() || nir.is_some() || birth.is_some() {
        let patient = form.patient.get_or_insert_with(Person::default);
        if let Some(name) = name
            && patient.is_unnamed()
        {
            let read = Person::from_name(&name);
            patient.nom = read.nom;
            patient.prenom = read.prenom;
        }
        patient.nir = patient.nir.take().or(nir);
        patient.date_naissance = patient.date_naissance.take().or(birth);
    }

    if form.parcours.is_none() {
        form.parcours = line.value_after(&["parcours de soins", "parcours"], LABELS);
    }
    if form.ald.is_none() {
        form.ald = line
            .value_after(&["affection de longue duree", "ald"], LABELS)
            .and_then(|value| yes_no(&value));
    }
}

fn read_practitioner(line: &Line, praticien: &mut Praticien) {
    if praticien.nom.is_none() {
        praticien.nom = line
            .value_after(
                &[
                    "nom du praticien",
                    "identification du praticien",
                    "praticien",
                ],
                LABELS,
            )
            .filter(|value| {
                value
                    .split_whitespace()
                    .any(|word| word.chars().filter(|c| c.is_alphabetic()).count() >= 2)
                    && !Line::new(value).starts_with(&["n", "no", "numero"])
            });
    }
    if praticien.finess.is_none() {
        praticien.finess = line.digits_after(&["finess"], true);
    }
    if praticien.rpps.is_none() {
        praticien.rpps = line.digits_after(&["rpps"], false);
    }
    if praticien.numero_am.is_none() {
        praticien.numero_am = line.digits_after(
            &[
                "numero assurance maladie",
                "n assurance maladie",
                "n am",
                "no am",
            ],
            false,
        );
    }
}

fn read_acts(line: &Line, form: &mut FeuilleDeSoins) {
    let line_date = line
        .date_after(&["date des actes", "date de l acte", "date"])
        .or_else(|| line.dates().into_iter().next());
    if let Some(date) = &line_date
        && !form.date_actes.contains(date)
        && !line.has(&["naissance", "ne le", "nee le", "ne e le"])
    {
        form.date_actes.push(date.clone());
    }

    let code = line
        .value_after(&["code acte", "code de l acte", "cotation"], LABELS)
        .or_else(|| {
            (0..line.word_count())
                .filter_map(|index| line.word_span(index).map(|span| line.slice(span)))
                .find(|word| is_ccam_code(word))
        });
    let Some(code) = code else {
        return;
    };
    let montant_cents = line.amount_after(&["montant", "honoraires"]);
    let date = line_date.or_else(|| form.date_actes.last().cloned());
    form.actes.push(parse_act(&code, date, montant_cents));
}

/// Reads an act code: CCAM (`AANB741`) or NGAP lettre-clé with an optional
/// coefficient (`G`, `K 10`, `AMI1,5`).
fn parse_act(code: &str, date: Option<FoundDate>, montant_cents: Option<i64>) -> Acte {
    let code = code.trim();
    if is_ccam_code(code) {
        return Acte {
            date,
            code: code.to_owned(),
            nomenclature: Nomenclature::Ccam,
            coefficient: None,
            montant_cents,
        };
    }
    let key: String = code.chars().take_while(char::is_ascii_uppercase).collect();
    let coefficient = code[key.len()..].trim();
    let coefficient = coefficient
        .split_whitespace()
        .next()
        .filter(|value| value.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_owned);
    Acte {
        date,
        code: if key.is_empty() { code.to_owned() } else { key },
        nomenclature: Nomenclature::Ngap,
        coefficient,
        montant_cents,
    }
}

fn read_payment(line: &Line, form: &mut FeuilleDeSoins) {
    if form.hopital.is_none() {
        form.hopital = line
            .value_after(&["a l hopital", "hopital"], LABELS)
            .and_then(|value| yes_no(&value));
    }
    if form.paiement_direct.is_none() {
        form.paiement_direct = line
            .value_after(&["paiement direct"], LABELS)
            .and_then(|value| yes_no(&value));
    }
    let depassement_labels = [
        "honoraires depasses",
        "depassement d honoraires",
        "depassement",
    ];
    if form.depassement.is_none() && line.has(&depassement_labels) {
        let amount = line.amount_after(&depassement_labels);
        let code = ["DE", "DA", "DP"]
            .into_iter()
            .find(|code| {
                (0..line.word_count()).any(|index| {
                    line.word_span(index)
                        .is_some_and(|span| line.slice(span) == *code)
                })
            })
            .map(str::to_owned);
        form.depassement = Some((code, amount));
    }
    if form.total_paye_cents.is_none() {
        form.total_paye_cents = line.amount_after(&["total paye", "montant total", "total"]);
    }
}

/// Reads « oui » or « non » at the start of a value.
fn yes_no(value: &str) -> Option<bool> {
    let first = crate::text::fold(value);
    match first.split(' ').next()? {
        "oui" => Some(true),
        "non" => Some(false),
        _ => None,
    }
}

impl FeuilleDeSoins {
    /// Returns the fields read, as the JSON object of the structured result.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        insert_text(&mut object, "cerfa", self.cerfa.as_deref());
        if let Some(patient) = &self.patient {
            object.insert("patient".to_owned(), patient.to_json());
        }

        let practitioner = &self.praticien;
        let mut praticien = Map::new();
        insert_text(&mut praticien, "nom", practitioner.nom.as_deref());
        insert_text(&mut praticien, "rpps", practitioner.rpps.as_deref());
        insert_text(
            &mut praticien,
            "numero_am",
            practitioner.numero_am.as_deref(),
        );
        insert_text(&mut praticien, "finess", practitioner.finess.as_deref());
        let identifier = practitioner
            .rpps
            .as_ref()
            .map(|rpps| format!("RPPS {rpps}"))
            .or_else(|| practitioner.numero_am.as_ref().map(|am| format!("AM {am}")))
            .or_else(|| {
                practitioner
                    .finess
                    .as_ref()
                    .map(|finess| format!("FINESS {finess}"))
            });
        insert_text(&mut praticien, "identifiant", identifier.as_deref());
        if !praticien.is_empty() {
            object.insert("praticien".to_owned(), Value::Object(praticien));
        }

        insert_list(
            &mut object,
            "date_actes",
            self.date_actes.iter().map(date_value).collect(),
        );
        if !self.actes.is_empty() {
            let actes = self.actes.iter().map(Acte::to_json).collect();
            object.insert("actes".to_owned(), Value::Array(actes));
        }
        if let Some((code, amount)) = &self.depassement {
            object.insert(
                "depassement".to_owned(),
                json!({ "code": code, "montant_cents": amount }),
            );
        }
        if let Some(total) = self.total_paye_cents {
            object.insert("total_paye_cents".to_owned(), json!(total));
        }
        insert_text(&mut object, "parcours", self.parcours.as_deref());
        for (key, value) in [
            ("ald", self.ald),
            ("hopital", self.hopital),
            ("paiement_direct", self.paiement_direct),
        ] {
            if let Some(value) = value {
                object.insert(key.to_owned(), json!(value));
            }
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
        let yes_no =
            |value: Option<bool>| value.map(|yes| if yes { "oui" } else { "non" }.to_owned());
        push(
            "formulaire",
            self.cerfa
                .as_ref()
                .map(|cerfa| format!("cerfa n°\u{a0}{cerfa}")),
        );
        if let Some(patient) = &self.patient {
            push(
                "patient",
                (!patient.is_unnamed()).then(|| patient.display_name()),
            );
            push("NIR", patient.nir.as_deref().map(crate::checks::spaced_nir));
            push(
                "date de naissance",
                patient.date_naissance.as_ref().map(french_date),
            );
        }
        push("praticien", self.praticien.nom.clone());
        push("RPPS", self.praticien.rpps.clone());
        push("numéro Assurance Maladie", self.praticien.numero_am.clone());
        push("FINESS", self.praticien.finess.clone());
        for date in &self.date_actes {
            push("date des actes", Some(french_date(date)));
        }
        for acte in &self.actes {
            push("acte", Some(acte.french()));
        }
        if let Some((code, amount)) = &self.depassement {
            let mut value = amount
                .map(euros)
                .unwrap_or_else(|| "montant non lu".to_owned());
            if let Some(code) = code {
                value.push_str(&format!(" (code {code})"));
            }
            push("dépassement d'honoraires", Some(value));
        }
        push("total payé", self.total_paye_cents.map(euros));
        push("parcours de soins", self.parcours.clone());
        push("en rapport avec une ALD", yes_no(self.ald));
        push("acte réalisé à l'hôpital", yes_no(self.hopital));
        push("paiement direct", yes_no(self.paiement_direct));
        lines
    }

    /// Returns the checks of the identifiers, the dates and the total.
    pub fn checks(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        if let Some(patient) = &self.patient {
            if let Some(nir) = &patient.nir {
                checks.push(Check::new(
                    "patient.nir",
                    Identifier::Nir,
                    nir,
                    check_nir(nir),
                ));
            }
            if let Some(date) = &patient.date_naissance {
                date_check("patient.date_naissance", date, &mut checks);
            }
        }
        let practitioner = &self.praticien;
        push_number_check(
            &mut checks,
            "praticien.rpps",
            Identifier::Rpps,
            practitioner.rpps.as_ref(),
            check_rpps,
        );
        push_number_check(
            &mut checks,
            "praticien.numero_am",
            Identifier::NumeroAm,
            practitioner.numero_am.as_ref(),
            check_numero_am,
        );
        push_number_check(
            &mut checks,
            "praticien.finess",
            Identifier::Finess,
            practitioner.finess.as_ref(),
            check_finess,
        );
        for (index, date) in self.date_actes.iter().enumerate() {
            date_check(&format!("date_actes[{index}]"), date, &mut checks);
        }
        if let Some(check) = self.total_check() {
            checks.push(check);
        }
        checks
    }

    /// Compares the printed total with the acts' amounts, with or without
    /// the dépassement: the form's fee column may already include it.
    fn total_check(&self) -> Option<Check> {
        let printed = self.total_paye_cents?;
        let amounts: Vec<i64> = self
            .actes
            .iter()
            .filter_map(|acte| acte.montant_cents)
            .collect();
        if amounts.is_empty() {
            return None;
        }
        let acts: i64 = amounts.iter().sum();
        let extra = self
            .depassement
            .as_ref()
            .and_then(|(_, amount)| *amount)
            .unwrap_or(0);
        let (verdict, detail) = if printed == acts + extra && extra > 0 {
            (Verdict::Valid, Some("actes et dépassement d'honoraires"))
        } else if printed == acts {
            (Verdict::Valid, Some("somme des actes"))
        } else {
            (
                Verdict::Invalid(Problem::TotalMismatch {
                    computed_cents: acts + extra,
                    printed_cents: printed,
                }),
                None,
            )
        };
        let mut check = Check::new(
            "total_paye_cents",
            Identifier::Total,
            &euros(printed),
            verdict,
        );
        check.detail = detail.map(str::to_owned);
        Some(check)
    }

    /// Returns the French summary for the patient.
    pub fn summary(&self, _context: &Context) -> Vec<String> {
        let mut sentences = Vec::new();

        let mut opening = String::from("Feuille de soins");
        if let Some(cerfa) = &self.cerfa {
            opening.push_str(&format!(" (cerfa n°\u{a0}{cerfa})"));
        }
        let dates: Vec<String> = self.date_actes.iter().map(french_date).collect();
        if !dates.is_empty() {
            opening.push_str(&format!(" pour des soins du {}", dates.join(", ")));
        }
        opening.push('.');
        sentences.push(opening);

        for acte in &self.actes {
            sentences.push(format!("Acte\u{a0}: {}.", acte.french()));
        }

        if let Some((_, amount)) = &self.depassement {
            let amount = amount
                .map(|cents| format!(" de {}", euros(cents)))
                .unwrap_or_default();
            sentences.push(format!(
                "Dépassement d'honoraires{amount}\u{a0}: l'Assurance Maladie rembourse sur la base \
                 de remboursement, sans le dépassement\u{a0}; une mutuelle à 100\u{a0}% de la base \
                 ne le couvre pas non plus, une garantie plus élevée peut le couvrir."
            ));
        }

        if let Some(total) = self.total_paye_cents {
            sentences.push(format!("Total payé\u{a0}: {}.", euros(total)));
        }
        if self.paiement_direct == Some(true) {
            sentences.push(
                "Vous avez payé directement le praticien\u{a0}: signez cette feuille de soins et \
                 envoyez-la à votre caisse d'assurance maladie pour être remboursé."
                    .to_owned(),
            );
        }
        sentences
    }

    /// Returns the sources of the facts the answer relies on.
    pub fn citations(&self) -> Vec<Citation> {
        Vec::new()
    }
}

impl Acte {
    fn to_json(&self) -> Value {
        let mut object = Map::new();
        insert_date(&mut object, "date", self.date.as_ref());
        object.insert("code".to_owned(), json!(self.code));
        let nomenclature = match self.nomenclature {
            Nomenclature::Ngap => "NGAP",
            Nomenclature::Ccam => "CCAM",
        };
        object.insert("type".to_owned(), json!(nomenclature));
        insert_text(&mut object, "coefficient", self.coefficient.as_deref());
        if let Some(amount) = self.montant_cents {
            object.insert("montant_cents".to_owned(), json!(amount));
        }
        Value::Object(object)
    }

    /// Returns the act in French: its meaning when known, its code and fee.
    fn french(&self) -> String {
        let mut text = match self.nomenclature {
            Nomenclature::Ccam => format!("acte technique, code CCAM {}", self.code),
            Nomenclature::Ngap => match NGAP_KEYS.iter().find(|(key, _)| *key == self.code) {
                Some((_, meaning)) => format!("{meaning} (code NGAP {})", self.code),
                None => format!("code NGAP {}", self.code),
            },
        };
        if let Some(coefficient) = &self.coefficient {
            text.push_str(&format!(", coefficient {coefficient}"));
        }
        if let Some(date) = &self.date {
            text.push_str(&format!(", le {}", french_date(date)));
        }
        if let Some(amount) = self.montant_cents {
            text.push_str(&format!(", {}", euros(amount)));
        }
        text
    }
}
