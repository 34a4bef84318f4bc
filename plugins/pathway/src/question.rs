//! What the question itself asks beyond the routed slots: whether it is
//! about waiting times, and which specialties it names. The router passes
//! this intent only its `condition` and `location` slots, so the plugin
//! reads these two from the words of the question.

/// Phrases, after [`normalize`], that ask about waiting times.
const DELAY_PHRASES: &[&str] = &[
    "delai",
    "delais",
    "attente",
    "attendre",
    "attend",
    "combien de temps",
    "rendez vous",
    "rdv",
    "disponibilite",
    "disponibilites",
];

/// Phrases, after [`normalize`], that name a specialty, with its id.
const SPECIALTY_PHRASES: &[(&str, &str)] = &[
    ("generaliste", "generaliste"),
    ("generalistes", "generaliste"),
    ("cardiologue", "cardiologue"),
    ("cardiologues", "cardiologue"),
    ("cardio", "cardiologue"),
    ("dermatologue", "dermatologue"),
    ("dermatologues", "dermatologue"),
    ("dermato", "dermatologue"),
    ("ophtalmologue", "ophtalmologue"),
    ("ophtalmologues", "ophtalmologue"),
    ("ophtalmologiste", "ophtalmologue"),
    ("ophtalmologistes", "ophtalmologue"),
    ("ophtalmo", "ophtalmologue"),
    ("oculiste", "ophtalmologue"),
    ("pediatre", "pediatre"),
    ("pediatres", "pediatre"),
    ("psychiatre", "psychiatre"),
    ("psychiatres", "psychiatre"),
    ("gynecologue", "gynecologue"),
    ("gynecologues", "gynecologue"),
    ("gyneco", "gynecologue"),
    ("rhumatologue", "rhumatologue"),
    ("rhumatologues", "rhumatologue"),
    ("rhumato", "rhumatologue"),
    ("orl", "orl"),
    ("oto rhino laryngologiste", "orl"),
    ("dentiste", "dentiste"),
    ("dentistes", "dentiste"),
    ("sage femme", "sage-femme"),
    ("sages femmes", "sage-femme"),
    ("radiologue", "radiologue"),
    ("radiologues", "radiologue"),
];

/// Phrases, after [`normalize`], for a specialist of any specialty. They
/// select the all-specialties figures only in a question about delays,
/// since « quel spécialiste consulter » asks who, not when.
const ANY_SPECIALIST_PHRASES: &[&str] = &["specialiste", "specialistes"];

/// What the question asks beyond its slots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionFacts {
    /// The question asks how long it takes to get an appointment.
    pub asks_delay: bool,
    /// Specialty ids the question names, in order of first mention.
    pub specialties: Vec<&'static str>,
}

/// Reads the delay words and specialties of `question`.
pub fn read_question(question: &str) -> QuestionFacts {
    let words = format!(" {} ", normalize(question));
    let contains = |phrase: &str| words.contains(&format!(" {phrase} "));
    let asks_delay = DELAY_PHRASES.iter().any(|phrase| contains(phrase));

    let mut found: Vec<(usize, &'static str)> = Vec::new();
    for (phrase, id) in SPECIALTY_PHRASES {
        if let Some(position) = words.find(&format!(" {phrase} "))
            && !found.iter().any(|(_, known)| known == id)
        {
            found.push((position, id));
        }
    }
    if asks_delay
        && found.is_empty()
        && ANY_SPECIALIST_PHRASES.iter().any(|phrase| contains(phrase))
    {
        found.push((0, "specialiste"));
    }
    found.sort_by_key(|(position, _)| *position);

    QuestionFacts {
        asks_delay,
        specialties: found.into_iter().map(|(_, id)| id).collect(),
    }
}

/// Lowercases `text`, removes French accents and ligatures, and turns
/// every run of other characters than letters and digits into one space.
pub fn normalize(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    for character in text.chars().flat_map(char::to_lowercase) {
        match character {
            'à' | 'â' | 'ä' | 'á' => plain.push('a'),
            'é' | 'è' | 'ê' | 'ë' => plain.push('e'),
            'î' | 'ï' | 'í' => plain.push('i'),
            'ô' | 'ö' | 'ó' => plain.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => plain.push('u'),
            'ÿ' => plain.push('y'),
            'ç' => plain.push('c'),
            'œ' => plain.push_str("oe"),
            'æ' => plain.push_str("ae"),
            letter if letter.is_alphanumeric() => plain.push(letter),
            _ => plain.push(' '),
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_strips_accents_and_punctuation() {
        assert_eq!(
            normalize("Quel suivi pour l'hypertension ?"),
            "quel suivi pour l hypertension"
        );
        assert_eq!(
            normalize("Sœur ÉLÈVE, rendez-vous"),
            "soeur eleve rendez vous"
        );
    }

    #[test]
    fn delay_question_with_specialty() {
        let facts = read_question("Combien de temps pour voir un dermatologue ?");
        assert!(facts.asks_delay);
        assert_eq!(facts.specialties, vec!["dermatologue"]);
    }

    #[test]
    fn specialties_keep_question_order() {
        let facts = read_question("Délai chez l'ophtalmo puis le cardiologue pour mon diabète");
        assert!(facts.asks_delay);
        assert_eq!(facts.specialties, vec!["ophtalmologue", "cardiologue"]);
    }

    #[test]
    fn pathway_question_asks_no_delay() {
        let facts = read_question("Parcours de soins pour diabète");
        assert!(!facts.asks_delay);
        assert!(facts.specialties.is_empty());
    }

    #[test]
    fn any_specialist_counts_only_with_delay() {
        let who_question = read_question("Quel spécialiste consulter pour mon asthme ?");
        assert!(who_question.specialties.is_empty());
        let delay_question = read_question("Quel délai pour un spécialiste ?");
        assert_eq!(delay_question.specialties, vec!["specialiste"]);
    }

    #[test]
    fn word_inside_another_is_not_a_match() {
        let facts = read_question("Je suis cardiologiquement suivi");
        assert!(facts.specialties.is_empty(), "{:?}", facts.specialties);
    }
}
