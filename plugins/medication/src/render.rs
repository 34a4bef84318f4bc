//! The French text of the answers other than a medicine's record (see
//! `record.rs`): a list of candidates, a medicine not found, the note on
//! what the installed BDPM data does not give, and the shared formatting.

use crate::source::{GenericGroupRecord, MedicineRecord, SnapshotDate};
use crate::text::Strength;
use crate::topic::Topic;

/// No-break space, before « : », « ; », « ? », « € » and « % » and inside
/// « ».
pub const NBSP: char = '\u{a0}';

/// Narrow no-break space, between thousands.
const THOUSANDS: char = '\u{202f}';

/// Address of the BDPM.
pub const BDPM_URL: &str = "https://base-donnees-publique.medicaments.gouv.fr";

/// Candidates listed when several medicines match.
pub const CANDIDATES_LISTED: usize = 5;

/// Returns the address of the BDPM page of the medicine `cis`, as the
/// ANSM's own files link it.
pub fn medicine_url(cis: &str) -> String {
    format!("{BDPM_URL}/extrait.php?specid={cis}")
}

/// Formats cents as French euros, such as `1 234,50 €`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    let whole = (magnitude / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(THOUSANDS);
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{:02}{NBSP}€", magnitude % 100)
}

/// Quotes `text` with French guillemets.
pub fn quote(text: &str) -> String {
    format!("«{NBSP}{text}{NBSP}»")
}

/// Collapses runs of spaces, which BDPM labels contain.
pub fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lowercases the first letter of a BDPM status for use inside a sentence.
pub fn lower_first(text: &str) -> String {
    let text = text.trim();
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// Joins items as French prose: « a », « a et b », « a, b et c ».
pub fn join_french(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} et {last}", rest.join(", ")),
    }
}

/// Returns the line naming the source and the date of its data.
pub fn source_line(snapshot: SnapshotDate) -> String {
    format!("Source{NBSP}: base de données publique des médicaments (ANSM), données du {snapshot}.")
}

/// Returns the sentence saying which requested subjects the installed data
/// does not give, and where to read them; `None` when there are none.
// NOTE: the `bdpm` source imports compositions, prescription conditions,
// availability problems and HAS opinions, but its query operations only
// serve medicines, boxes and generic groups, so these subjects point to the
// BDPM page until the source serves them.
pub fn missing_topics_note(
    topics: &[Topic],
    url: &str,
    groups: &[GenericGroupRecord],
) -> Option<String> {
    let missing: Vec<String> = topics
        .iter()
        .filter_map(|topic| match topic {
            Topic::Composition => Some("la composition (substances actives et excipients)"),
            Topic::Availability => Some("les ruptures et tensions d'approvisionnement"),
            Topic::Indication => Some("les indications (à quoi sert le médicament)"),
            Topic::Leaflet => {
                Some("la notice (posologie, effets indésirables, contre-indications, interactions)")
            }
            Topic::HasOpinion => Some("les avis de la HAS (SMR et ASMR)"),
            Topic::Prescription => Some("les conditions de prescription et de délivrance"),
            Topic::Generics | Topic::Price => None,
        })
        .map(str::to_owned)
        .collect();
    if missing.is_empty() {
        return None;
    }

    let mut note = format!(
        "Pour {}, consultez la fiche du médicament sur la base de données publique des médicaments ({url}) ou sa notice, et demandez conseil à votre pharmacien{NBSP}: ces informations ne figurent pas dans les données installées.",
        join_french(&missing)
    );
    if topics.contains(&Topic::Composition)
        && let Some(group) = groups.first()
    {
        note.push_str(&format!(
            " Le libellé de son groupe générique nomme la substance active et son dosage{NBSP}: {}.",
            quote(&tidy(&group.label))
        ));
    }
    Some(note)
}

/// Returns the list of medicines matching `requested`, with how to name
/// one precisely. `groups`, when given, contains the generic groups of
/// each listed candidate, in the same order.
pub fn several(
    requested: &str,
    candidates: &[MedicineRecord],
    complete: bool,
    groups: Option<&[Vec<GenericGroupRecord>]>,
    topics: &[Topic],
    snapshot: SnapshotDate,
) -> String {
    let count = if complete {
        format!("{}", candidates.len())
    } else {
        format!("au moins {}", candidates.len())
    };
    let mut text = format!(
        "{count} médicaments correspondent à {} dans la BDPM",
        quote(requested)
    );
    if candidates.len() > CANDIDATES_LISTED {
        text.push_str(&format!(
            "{NBSP}; voici les {CANDIDATES_LISTED} premiers, commercialisés d'abord{NBSP}:\n"
        ));
    } else {
        text.push_str(&format!("{NBSP}:\n"));
    }

    for (index, candidate) in candidates.iter().take(CANDIDATES_LISTED).enumerate() {
        let marketed = if candidate.marketed {
            "commercialisé"
        } else {
            "non commercialisé"
        };
        let mut line = format!(
            "{}. {} (CIS {}), {marketed}",
            index + 1,
            tidy(&candidate.name),
            candidate.cis
        );
        if let Some(cheapest) = candidate.cheapest_marketed_box() {
            line.push_str(&format!(
                ", à partir de {} la boîte",
                euros(cheapest.public_price_cents.unwrap_or_default())
            ));
        }
        if let Some(candidate_groups) = groups.and_then(|groups| groups.get(index)) {
            match candidate_groups.first() {
                Some(group) => line.push_str(&format!(
                    ", groupe générique n°{NBSP}{} ({} médicaments)",
                    group.id,
                    group.members.len()
                )),
                None => line.push_str(", sans générique répertorié"),
            }
        }
        text.push_str(&line);
        text.push('\n');
    }

    if let Some(groups) = groups {
        let listed = groups.len().min(CANDIDATES_LISTED);
        if groups.iter().take(listed).all(Vec::is_empty) {
            text.push_str(&format!(
                "Aucun de ces médicaments n'appartient à un groupe générique du répertoire de l'ANSM{NBSP}: ils n'ont pas de générique répertorié.\n"
            ));
        }
    }
    if let Some(note) = missing_topics_note(topics, BDPM_URL, &[]) {
        text.push_str(&note);
        text.push('\n');
    }
    let example = candidates
        .first()
        .map(|candidate| tidy(&candidate.name))
        .unwrap_or_default();
    text.push_str(&format!(
        "Pour le détail d'un seul médicament, précisez le dosage et la forme, par exemple {}, ou donnez son code CIS à 8 chiffres.\n",
        quote(&example)
    ));
    text.push_str(&source_line(snapshot));
    text
}

/// Returns the answer for a medicine name the BDPM does not know.
pub fn not_found(requested: &str, suggestions: &[String], snapshot: SnapshotDate) -> String {
    let mut text = format!(
        "Je ne trouve aucun médicament nommé {} dans la base de données publique des médicaments.\n",
        quote(requested)
    );
    if suggestions.is_empty() {
        text.push_str(
            "Vérifiez l'orthographe, ou essayez le nom de la substance active (par exemple «\u{a0}paracétamol\u{a0}»).\n",
        );
    } else {
        let names: Vec<String> = suggestions.iter().map(|name| tidy(name)).collect();
        text.push_str(&format!(
            "Noms proches{NBSP}: {}.\nVérifiez l'orthographe ou reprenez l'un de ces noms.\n",
            names.join(&format!("{NBSP}; "))
        ));
    }
    text.push_str(&source_line(snapshot));
    text
}

/// Returns the answer for a medicine that exists, but not with the requested
/// strength.
pub fn missing_strength(
    requested: &str,
    strength: Strength,
    named: &[MedicineRecord],
    snapshot: SnapshotDate,
) -> String {
    let mut strengths: Vec<String> = Vec::new();
    for medicine in named {
        for written in Strength::all_in(&medicine.name).into_iter().take(1) {
            let french = written.french();
            if !strengths.contains(&french) {
                strengths.push(french);
            }
        }
    }
    let mut text = format!(
        "La BDPM connaît {}, mais pas au dosage de {}.\n",
        quote(requested),
        strength.french()
    );
    if !strengths.is_empty() {
        text.push_str(&format!(
            "Dosages publiés{NBSP}: {}.\n",
            strengths.join(", ")
        ));
    }
    text.push_str(&source_line(snapshot));
    text
}

/// Returns the answer for a CIS code the BDPM does not know.
pub fn unknown_cis(cis: &str, snapshot: SnapshotDate) -> String {
    format!(
        "Aucun médicament ne porte le code CIS {cis} dans la base de données publique des médicaments.\n\
         Vérifiez les 8 chiffres du code, ou posez la question avec le nom du médicament.\n{}",
        source_line(snapshot)
    )
}

/// Returns the answer when the question names no medicine.
pub fn missing_name() -> String {
    format!(
        "De quel médicament s'agit-il{NBSP}? Donnez son nom, et si possible son dosage, par exemple {}.",
        quote("Quels sont les génériques du Levothyrox 75 microgrammes\u{a0}?")
    )
}

/// Returns the answer when no BDPM data is installed.
pub fn no_data() -> String {
    format!(
        "Aucune donnée sur les médicaments n'est encore installée, je ne peux donc pas répondre à cette question.\n\
         Pour télécharger la base de données publique des médicaments{NBSP}: mediflux data sync bdpm\n\
         Pour importer des fichiers BDPM déjà téléchargés (CIS_bdpm.txt, CIS_CIP_bdpm.txt…){NBSP}: mediflux data import bdpm <dossier>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_group_thousands() {
        assert_eq!(euros(209), "2,09\u{a0}€");
        assert_eq!(euros(123_450), "1\u{202f}234,50\u{a0}€");
        assert_eq!(euros(5), "0,05\u{a0}€");
    }

    #[test]
    fn join_french_lists() {
        let items: Vec<String> = ["a", "b", "c"].map(str::to_owned).to_vec();
        assert_eq!(join_french(&items[..1]), "a");
        assert_eq!(join_french(&items[..2]), "a et b");
        assert_eq!(join_french(&items), "a, b et c");
    }

    #[test]
    fn note_names_only_missing_topics() {
        assert_eq!(
            missing_topics_note(&[Topic::Generics, Topic::Price], BDPM_URL, &[]),
            None
        );
        let note = missing_topics_note(
            &[Topic::Composition, Topic::Availability],
            &medicine_url("62080626"),
            &[GenericGroupRecord {
                id: "788".to_owned(),
                label: "LEVOTHYROXINE SODIQUE 75 microgrammes - LEVOTHYROX 75 microgrammes"
                    .to_owned(),
                members: Vec::new(),
            }],
        )
        .expect("a note");
        assert!(
            note.contains("Pour la composition (substances actives et excipients) et les ruptures"),
            "{note}"
        );
        assert!(note.contains("extrait.php?specid=62080626"), "{note}");
        assert!(note.contains("«\u{a0}LEVOTHYROXINE SODIQUE 75"), "{note}");
    }
}
