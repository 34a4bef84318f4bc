//! The French answers and the `document.analysis/1` result: an analysed
//! document, a text of no known type, and the guide given without text.

use serde_json::{Value, json};

use crate::detect::{ALL, DocumentType};
use crate::fields::missing;
use crate::{Check, Citation, Context, Document, expected_fields};

/// An answer: French text, structured result and sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// French answer for the patient.
    pub text: String,
    /// Body of the `document.analysis/1` result.
    pub body: Value,
    /// Sources the answer relies on.
    pub citations: Vec<Citation>,
}

/// How to give Mediflux a document, for the answers without one.
const HOW_TO_GIVE: &str = "enregistrez son texte dans un fichier (.txt) et passez-le avec \
     l'option --file, par exemple\u{a0}:";

/// Returns the answer for a document read as `kind`.
pub fn analysis(
    document: &Document,
    kind: DocumentType,
    requested: Option<DocumentType>,
    detected: Option<DocumentType>,
    context: &Context,
) -> Answer {
    let fields = document.to_json();
    let described = document.describe();
    let checks = document.checks();
    let missing = missing(expected_fields(kind), &fields);
    let found_any = !described.is_empty();
    let summary = if found_any {
        document.summary(context)
    } else {
        Vec::new()
    };

    let mut text = type_sentence(kind, requested, detected);
    text.push('\n');
    if found_any {
        for sentence in &summary {
            text.push_str(&format!("{sentence}\n"));
        }
        text.push_str("\nChamps lus\u{a0}:\n");
        for (label, value) in &described {
            text.push_str(&format!("- {label}\u{a0}: {value}\n"));
        }
    } else {
        text.push_str(&format!(
            "Je n'ai trouvé dans ce texte aucun des champs d'{}. Vérifiez que le fichier contient \
             bien le texte du document.\n",
            DocumentType::french_with_article(kind)
        ));
    }
    if !checks.is_empty() {
        text.push_str("\nVérifications\u{a0}:\n");
        for check in &checks {
            text.push_str(&format!("- {}\n", check.french()));
        }
    }
    if !missing.is_empty() {
        let labels: Vec<&str> = missing.iter().map(|field| field.label).collect();
        text.push_str(&format!(
            "\nChamps attendus mais absents\u{a0}: {}.\n",
            labels.join(", ")
        ));
    }

    let body = json!({
        "document_type": kind.slot_value(),
        "requested_type": requested.map(DocumentType::slot_value),
        "detected_type": detected.map(DocumentType::slot_value),
        "text_read": true,
        "reference_date": context.on.to_string(),
        "fields": fields,
        "checks": checks.iter().map(Check::to_json).collect::<Vec<_>>(),
        "missing": missing.iter().map(|field| json!({
            "field": field.pointer,
            "label": field.label,
        })).collect::<Vec<_>>(),
        "summary": summary,
    });
    Answer {
        text: text.trim_end().to_owned(),
        body,
        citations: if found_any {
            document.citations()
        } else {
            Vec::new()
        },
    }
}

/// Returns the sentence naming the type analysed and how it was chosen.
fn type_sentence(
    kind: DocumentType,
    requested: Option<DocumentType>,
    detected: Option<DocumentType>,
) -> String {
    match (requested, detected) {
        (Some(requested), Some(detected)) if requested != detected => format!(
            "Vous parliez d'{}, mais ce texte est celui d'{}\u{a0}: je l'analyse comme tel.",
            DocumentType::french_with_article(requested),
            DocumentType::french_with_article(detected)
        ),
        (_, Some(_)) => format!(
            "Document reconnu d'après son texte\u{a0}: {}.",
            kind.french()
        ),
        _ => format!(
            "Le texte seul ne permet pas de reconnaître le document\u{a0}; je l'analyse comme {}, \
             le type que vous avez indiqué.",
            kind.french_with_article()
        ),
    }
}

/// Returns the answer for a text whose type is neither recognised nor
/// named in the question.
pub fn unknown_type() -> Answer {
    let mut text =
        String::from("Je n'ai pas reconnu le type de ce document. Je sais lire\u{a0}:\n");
    for kind in ALL {
        text.push_str(&format!(
            "- {}, par exemple «\u{a0}{}\u{a0}»\n",
            kind.french_with_article(),
            kind.example_question()
        ));
    }
    text.push_str("Précisez le type de document dans la question.");
    Answer {
        text,
        body: json!({
            "document_type": null,
            "requested_type": null,
            "detected_type": null,
            "text_read": true,
            "fields": {},
            "checks": [],
            "missing": [],
            "summary": [],
        }),
        citations: Vec::new(),
    }
}

/// Returns the answer without document text: which fields Mediflux reads
/// on `kind`, or on each type when none is named, and how to give the
/// document.
pub fn guide(kind: Option<DocumentType>) -> Answer {
    let Some(kind) = kind else {
        let mut text = String::from(
            "Je peux lire le texte de quatre documents de santé et vérifier ce qui y figure\u{a0}:\n",
        );
        for kind in ALL {
            text.push_str(&format!(
                "- {}, dont je vérifie {}\n",
                kind.french_with_article(),
                checked(kind)
            ));
        }
        text.push_str(&format!(
            "\nPour m'en donner un, {HOW_TO_GIVE}\n  mediflux ask \"Analyser ma carte tiers payant\" --file carte.txt\n"
        ));
        text.push_str(IMAGES_NOT_YET);
        return Answer {
            text,
            body: json!({
                "document_type": null,
                "text_read": false,
                "reads": ALL.iter().map(|kind| json!({
                    "document_type": kind.slot_value(),
                    "fields": reads(*kind),
                })).collect::<Vec<_>>(),
            }),
            citations: Vec::new(),
        };
    };

    let mut text = format!(
        "Pour analyser {}, {HOW_TO_GIVE}\n  mediflux ask \"{}\" --file document.txt\n{IMAGES_NOT_YET}\n\n",
        kind.french_with_article(),
        kind.example_question()
    );
    text.push_str(&format!(
        "Sur {}, je lis\u{a0}:\n",
        kind.french_with_article()
    ));
    for field in expected_fields(kind) {
        text.push_str(&format!("- {}\n", field.label));
    }
    text.push_str(&format!("Et je vérifie {}.", checked(kind)));
    Answer {
        text,
        body: json!({
            "document_type": kind.slot_value(),
            "text_read": false,
            "reads": reads(kind),
        }),
        citations: Vec::new(),
    }
}

/// The sentence on images, which this version cannot read.
const IMAGES_NOT_YET: &str = "La lecture des photos et des scans (PNG, JPEG) n'est pas encore \
     disponible\u{a0}: recopiez le texte du document dans le fichier.";

/// Returns what Mediflux checks on documents of type `kind`, in French.
fn checked(kind: DocumentType) -> &'static str {
    match kind {
        DocumentType::CarteTiersPayant => {
            "le numéro AMC, la clé du NIR, les dates et la période de validité"
        }
        DocumentType::FeuilleDeSoins => {
            "la clé du NIR, les numéros RPPS et FINESS du praticien (formule de Luhn), les dates \
             et le total payé par rapport aux actes"
        }
        DocumentType::Ordonnance => {
            "le numéro RPPS ou FINESS du prescripteur (formule de Luhn), la justification \
             d'une mention «\u{a0}non substituable\u{a0}» (MTE, EFG ou CIF) et la durée totale \
             des renouvellements"
        }
        DocumentType::AttestationDroits => {
            "le code de l'organisme, la clé du NIR et la durée des droits (un an au plus)"
        }
    }
}

/// Returns the fields read on `kind` as JSON.
fn reads(kind: DocumentType) -> Vec<Value> {
    expected_fields(kind)
        .iter()
        .map(|field| json!({ "field": field.pointer, "label": field.label }))
        .collect()
}
