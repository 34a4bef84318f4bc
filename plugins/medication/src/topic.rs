//! What a question asks about a medicine, read from its words, so that the
//! answer can lead with it or say where to find what the local BDPM data
//! does not hold.

use crate::text::fold_words;

/// A subject a patient asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// Generics and the generic group.
    Generics,
    /// Price and reimbursement of the boxes.
    Price,
    /// Active substances and their dosages.
    Composition,
    /// Ruptures and tensions d'approvisionnement.
    Availability,
    /// Indications: what the medicine is for.
    Indication,
    /// The notice: posologie, effets indésirables, contre-indications,
    /// interactions.
    Leaflet,
    /// Opinions of the HAS: SMR and ASMR.
    HasOpinion,
    /// Conditions de prescription et de délivrance.
    Prescription,
}

/// Cue phrases of each topic, as folded words.
const CUES: &[(Topic, &[&str])] = &[
    (Topic::Generics, &["generique", "generiques", "princeps"]),
    (
        Topic::Price,
        &[
            "prix",
            "coute",
            "coutent",
            "cout",
            "tarif",
            "cher",
            "rembourse",
            "remboursee",
            "remboursement",
        ],
    ),
    (
        Topic::Composition,
        &[
            "composition",
            "compose",
            "composee",
            "contient",
            "substance",
            "substances",
            "principe actif",
            "principes actifs",
            "molecule",
            "excipient",
            "excipients",
        ],
    ),
    (
        Topic::Availability,
        &[
            "rupture",
            "ruptures",
            "stock",
            "penurie",
            "tension",
            "tensions",
            "disponible",
            "disponibilite",
            "introuvable",
        ],
    ),
    (
        Topic::Indication,
        &[
            "a quoi sert",
            "sert a",
            "indication",
            "indications",
            "soigne",
            "traite",
        ],
    ),
    (
        Topic::Leaflet,
        &[
            "notice",
            "posologie",
            "effet secondaire",
            "effets secondaires",
            "effet indesirable",
            "effets indesirables",
            "contre indication",
            "contre indications",
            "interaction",
            "interactions",
            "combien de fois",
            "dose",
        ],
    ),
    (
        Topic::HasOpinion,
        &[
            "smr",
            "asmr",
            "service medical rendu",
            "amelioration du service",
        ],
    ),
    (
        Topic::Prescription,
        &[
            "ordonnance",
            "prescription",
            "liste i",
            "liste ii",
            "stupefiant",
        ],
    ),
];

/// Returns the topics `question` asks about, in the order of [`Topic`].
pub fn topics_of(question: &str) -> Vec<Topic> {
    let words = fold_words(question);
    let mut topics = Vec::new();
    for (topic, cues) in CUES {
        let mentioned = cues.iter().any(|cue| {
            let cue: Vec<&str> = cue.split(' ').collect();
            words
                .windows(cue.len())
                .any(|window| window.iter().zip(&cue).all(|(word, cue)| word == cue))
        });
        if mentioned {
            topics.push(*topic);
        }
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_of_example_questions() {
        assert_eq!(
            topics_of("Quels sont les génériques du Doliprane ?"),
            [Topic::Generics]
        );
        assert_eq!(topics_of("À quoi sert le Spasfon ?"), [Topic::Indication]);
        assert_eq!(
            topics_of("Le Levothyrox est-il en rupture ?"),
            [Topic::Availability]
        );
        assert_eq!(
            topics_of("Quelle est la composition de l'Efferalgan 1 g ?"),
            [Topic::Composition]
        );
        assert_eq!(
            topics_of("Quels sont les effets secondaires et le prix du Spasfon ?"),
            [Topic::Price, Topic::Leaflet]
        );
        assert_eq!(topics_of("Qu'est-ce que le Doliprane ?"), []);
    }

    #[test]
    fn cue_phrases_need_consecutive_words() {
        assert_eq!(topics_of("Le Doliprane sert à quoi ?"), [Topic::Indication]);
        assert_eq!(topics_of("Il faut une ordonnance ?"), [Topic::Prescription]);
        assert!(!topics_of("Les effets du froid").contains(&Topic::Leaflet));
    }
}
