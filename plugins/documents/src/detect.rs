//! The four document types and their recognition from a document's text.
//!
//! Each type has marker phrases with weights. A text is of the type with
//! the highest score, when that score reaches [`MIN_SCORE`] and no other
//! type ties it.

use crate::text::Line;

/// Lowest score that recognises a type.
pub const MIN_SCORE: u32 = 3;

/// A health document type, named as the router's `document_type` slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentType {
    /// Carte or attestation de tiers payant of a mutuelle.
    CarteTiersPayant,
    /// Paper feuille de soins.
    FeuilleDeSoins,
    /// Ordonnance.
    Ordonnance,
    /// Attestation de droits of the Assurance Maladie.
    AttestationDroits,
}

/// Every document type, in the order the answers list them.
pub const ALL: [DocumentType; 4] = [
    DocumentType::CarteTiersPayant,
    DocumentType::FeuilleDeSoins,
    DocumentType::Ordonnance,
    DocumentType::AttestationDroits,
];

impl DocumentType {
    /// Returns the type named by a `document_type` slot value.
    pub fn from_slot(value: &str) -> Option<Self> {
        ALL.into_iter().find(|kind| kind.slot_value() == value)
    }

    /// Returns the `document_type` slot value.
    pub fn slot_value(self) -> &'static str {
        match self {
            Self::CarteTiersPayant => "carte_tiers_payant",
            Self::FeuilleDeSoins => "feuille_de_soins",
            Self::Ordonnance => "ordonnance",
            Self::AttestationDroits => "attestation_droits",
        }
    }

    /// Returns the French name with its article, « une ordonnance ».
    pub fn french_with_article(self) -> &'static str {
        match self {
            Self::CarteTiersPayant => "une carte de tiers payant",
            Self::FeuilleDeSoins => "une feuille de soins",
            Self::Ordonnance => "une ordonnance",
            Self::AttestationDroits => "une attestation de droits",
        }
    }

    /// Returns the French name, « carte de tiers payant ».
    pub fn french(self) -> &'static str {
        match self {
            Self::CarteTiersPayant => "carte de tiers payant",
            Self::FeuilleDeSoins => "feuille de soins",
            Self::Ordonnance => "ordonnance",
            Self::AttestationDroits => "attestation de droits",
        }
    }

    /// Returns a question that asks to read this type, for examples.
    pub fn example_question(self) -> &'static str {
        match self {
            Self::CarteTiersPayant => "Analyser ma carte tiers payant",
            Self::FeuilleDeSoins => "Analyse ma feuille de soins",
            Self::Ordonnance => "Lis mon ordonnance",
            Self::AttestationDroits => "Analyse mon attestation de droits",
        }
    }

    /// Marker phrases (folded) and their weights.
    fn markers(self) -> &'static [(&'static str, u32)] {
        match self {
            Self::CarteTiersPayant => &[
                ("tiers payant", 2),
                ("carte de mutuelle", 3),
                ("attestation de tiers payant", 3),
                ("carte de tiers payant", 3),
                ("amc", 2),
                ("adherent", 1),
                ("csr", 1),
                ("type de convention", 1),
                ("types de convention", 1),
                ("phar", 1),
                ("opti", 1),
                ("dent", 1),
            ],
            Self::FeuilleDeSoins => &[
                ("feuille de soins", 3),
                ("12541", 2),
                ("cerfa", 1),
                ("code acte", 1),
                ("date des actes", 1),
                ("honoraires", 1),
                ("total paye", 1),
                ("paiement direct", 1),
            ],
            Self::Ordonnance => &[
                ("ordonnance", 2),
                ("rpps", 1),
                ("qsp", 2),
                ("renouveler", 1),
                ("renouvelable", 1),
                ("non substituable", 2),
                ("comprime", 1),
                ("gelule", 1),
                ("posologie", 1),
                ("fois par jour", 1),
            ],
            Self::AttestationDroits => &[
                ("attestation de droits", 3),
                ("droits ouverts", 2),
                ("organisme de rattachement", 2),
                ("code organisme", 2),
                ("code gestion", 1),
                ("medecin traitant", 1),
                ("ticket moderateur", 1),
                ("caisse primaire", 1),
                ("carte vitale", 1),
            ],
        }
    }
}

/// Returns the type the text shows, or `None` when no type reaches
/// [`MIN_SCORE`] alone at the top.
pub fn detect(lines: &[Line]) -> Option<DocumentType> {
    let mut scores: Vec<(DocumentType, u32)> = ALL
        .into_iter()
        .map(|kind| {
            let score = kind
                .markers()
                .iter()
                .filter(|(marker, _)| lines.iter().any(|line| line.has(&[marker])))
                .map(|(_, weight)| weight)
                .sum();
            (kind, score)
        })
        .collect();
    scores.sort_by_key(|(_, score)| std::cmp::Reverse(*score));

    let (best, best_score) = scores[0];
    let runner_up = scores[1].1;
    (best_score >= MIN_SCORE && best_score > runner_up).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lines;

    #[test]
    fn detect_each_type() {
        let cases = [
            (
                "ATTESTATION DE TIERS PAYANT\nN° AMC : 12345678",
                DocumentType::CarteTiersPayant,
            ),
            (
                "FEUILLE DE SOINS - cerfa n° 12541*02",
                DocumentType::FeuilleDeSoins,
            ),
            (
                "Dr X\nAMOXICILLINE 500 mg gélule\nQSP 1 mois",
                DocumentType::Ordonnance,
            ),
            (
                "Attestation de droits\nCode organisme : 011751234",
                DocumentType::AttestationDroits,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(detect(&lines(text)), Some(expected), "{text}");
        }
    }

    #[test]
    fn detect_none_for_other_text() {
        let text = "Où est la clé ? Déjà vu, à côté du château.\nPrêt n° 987654";
        assert_eq!(detect(&lines(text)), None);
    }

    #[test]
    fn slot_values_round_trip() {
        for kind in ALL {
            assert_eq!(DocumentType::from_slot(kind.slot_value()), Some(kind));
        }
        assert_eq!(DocumentType::from_slot("passeport"), None);
    }
}
