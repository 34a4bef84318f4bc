//! The French answer: sections of facts, each followed by the numbers of
//! its sources, and the numbered source list at the end.
//!
//! Texts are assembled with plain spaces; [`french_spacing`] then puts the
//! no-break spaces French typography needs, once, on the whole answer.

use crate::ald::{AldCover, RuleFact};
use crate::data::{Condition, Fact, Pathways, Programme, Source, Step};
use crate::date::SourceDate;
use crate::profile::Patient;

/// No-break space, as the other French texts of Mediflux use it.
const NBSP: char = '\u{a0}';

/// Mark after a fact that rests on a single secondary source or an
/// inference.
const UNVERIFIED_MARK: &str = " (« à vérifier »)";

/// A source cited by the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Id in the pathway file, or `rules:<id>` for a rule set source.
    pub id: String,
    /// Title of the source.
    pub title: String,
    /// Address, when known.
    pub url: Option<String>,
    /// Publication date, when known.
    pub date: Option<SourceDate>,
    /// Part of the reference is unverified.
    pub unverified: bool,
}

/// Builds an answer's text and its citations.
pub struct Writer<'d> {
    pathways: &'d Pathways,
    text: String,
    citations: Vec<Citation>,
    shows_unverified: bool,
}

impl<'d> Writer<'d> {
    /// Starts an empty answer over `pathways`.
    pub fn new(pathways: &'d Pathways) -> Self {
        Self {
            pathways,
            text: String::new(),
            citations: Vec::new(),
            shows_unverified: false,
        }
    }

    /// Adds one line.
    pub fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// Adds a section title, after a blank line unless it is the first.
    pub fn heading(&mut self, title: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.line(title);
    }

    /// Returns the source numbers of `ids`, such as ` [1, 3]`, numbering
    /// new sources in order of first use.
    fn refs(&mut self, ids: &[String]) -> String {
        let numbers: Vec<String> = ids
            .iter()
            .filter_map(|id| {
                let source = self.pathways.sources.get(id)?;
                Some(self.cite(id, source).to_string())
            })
            .collect();
        format!(" [{}]", numbers.join(", "))
    }

    fn cite(&mut self, id: &str, source: &Source) -> usize {
        if let Some(index) = self.citations.iter().position(|cited| cited.id == id) {
            return index + 1;
        }
        self.citations.push(Citation {
            id: id.to_owned(),
            title: source.title.clone(),
            url: source.url.clone(),
            date: source.date,
            unverified: source.unverified,
        });
        self.citations.len()
    }

    /// Returns the source number of a rule value, such as ` [4]`.
    fn rule_ref<T>(&mut self, fact: &RuleFact<T>) -> String {
        let source = Source {
            title: fact.source_title.clone(),
            url: None,
            date: None,
            unverified: false,
        };
        format!(
            " [{}]",
            self.cite(&format!("rules:{}", fact.source_id), &source)
        )
    }

    fn unverified_mark(&mut self, unverified: bool) -> &'static str {
        if unverified {
            self.shows_unverified = true;
            UNVERIFIED_MARK
        } else {
            ""
        }
    }

    /// Adds a fact as a bullet, with its marks and sources.
    pub fn fact(&mut self, fact: &Fact, patient: &Patient) {
        let mark = self.unverified_mark(fact.unverified);
        let age = age_note(fact.min_age, fact.max_age, patient);
        let refs = self.refs(&fact.sources);
        self.line(&format!("- {}{mark}{age}{refs}", fact.text));
    }

    /// Adds numbered steps.
    pub fn steps(&mut self, steps: &[Step], patient: &Patient) {
        for (index, step) in steps.iter().enumerate() {
            let mut line = format!("{}. {}", index + 1, step.what);
            for (label, value) in [
                ("qui", &step.who),
                ("quand", &step.frequency),
                ("cas", &step.conditions),
                ("prise en charge", &step.cover),
            ] {
                if let Some(value) = value {
                    line.push_str(&format!(" — {label} : {value}"));
                }
            }
            line.push_str(self.unverified_mark(step.unverified));
            line.push_str(&age_note(step.min_age, step.max_age, patient));
            line.push_str(&pregnancy_note(step, patient));
            line.push_str(&self.refs(&step.sources));
            self.line(&line);
        }
    }

    /// Adds support programmes as bullets.
    pub fn programmes(&mut self, programmes: &[Programme], patient: &Patient) {
        for programme in programmes {
            let mark = self.unverified_mark(programme.unverified);
            let age = age_note(programme.min_age, programme.max_age, patient);
            let refs = self.refs(&programme.sources);
            self.line(&format!(
                "- {} : {}{mark}{age}{refs}",
                programme.name, programme.text
            ));
        }
    }

    /// Adds what an ALD changes for reimbursement, from the rule sets.
    pub fn ald_cover(&mut self, cover: &AldCover) {
        let rate = &cover.rate_basis_points;
        let rate_mark = self.unverified_mark(rate.to_confirm);
        let rate_ref = self.rule_ref(rate);
        let exempt = &cover.participations_exempt;
        let exempt_mark = self.unverified_mark(exempt.to_confirm);
        let exempt_ref = self.rule_ref(exempt);
        let participations = if exempt.value {
            "ne sont pas dues"
        } else {
            "restent dues"
        };
        self.line(&format!(
            "- En ALD, les soins liés à l'affection sont remboursés à {} % de la base de remboursement par l'Assurance Maladie, hors dépassements d'honoraires{rate_mark}{rate_ref} ; la participation forfaitaire et les franchises {participations}{exempt_mark}{exempt_ref}.",
            format_percent(rate.value)
        ));
    }

    /// Adds the pathway of `condition`, without the general rules.
    pub fn pathway(
        &mut self,
        id: &str,
        condition: &Condition,
        patient: &Patient,
        cover: Option<&Result<AldCover, String>>,
    ) {
        self.heading(&format!("Parcours de soins : {}", condition.label));
        if id == "grossesse"
            && let Some(month) = patient.pregnancy_month
        {
            self.line(&format!(
                "D'après votre profil, vous êtes dans votre {} mois de grossesse.",
                ordinal(month)
            ));
        }
        for fact in &condition.overview {
            self.fact(fact, patient);
        }

        self.heading("Affection de longue durée (ALD)");
        for fact in &condition.ald.facts {
            self.fact(fact, patient);
        }
        if let Some(name) = patient.ald_for(id) {
            self.line(&format!(
                "- D'après votre profil, vous êtes en ALD pour « {name} »."
            ));
        }
        match cover {
            Some(Ok(cover)) => self.ald_cover(cover),
            Some(Err(_)) => self.line(
                "- Le taux de remboursement des soins liés à une ALD n'est pas disponible pour cette date dans les règles de remboursement.",
            ),
            None => {}
        }
        if cover.is_some() {
            let pathways = self.pathways;
            for fact in &pathways.general.ald {
                self.fact(fact, patient);
            }
        }

        self.heading("Étapes du suivi");
        self.steps(&condition.steps, patient);
        if !condition.dependencies.is_empty() {
            self.heading("Prescriptions et accès");
            for fact in &condition.dependencies {
                self.fact(fact, patient);
            }
        }
        if !condition.programmes.is_empty() {
            self.heading("Accompagnement");
            self.programmes(&condition.programmes, patient);
        }
    }

    /// Adds the coordinated pathway rules.
    pub fn general(&mut self, patient: &Patient) {
        self.heading("Parcours de soins coordonné");
        match patient.medecin_traitant {
            Some(true) => {
                self.line("- D'après votre profil, vous avez déclaré un médecin traitant.")
            }
            Some(false) => {
                self.line("- D'après votre profil, vous n'avez pas déclaré de médecin traitant.");
            }
            None => {}
        }
        let pathways = self.pathways;
        for fact in &pathways.general.facts {
            self.fact(fact, patient);
        }
    }

    /// Adds the waiting times of `specialties`, ids of the wait-time table.
    pub fn wait_times(
        &mut self,
        specialties: &[String],
        location: Option<&str>,
        patient: &Patient,
    ) {
        self.heading("Délais pour obtenir un rendez-vous");
        if let Some(location) = location {
            self.line(&format!(
                "Ces chiffres sont nationaux ou régionaux : je n'ai pas de délai propre à « {location} »."
            ));
        }
        let pathways = self.pathways;
        for id in specialties {
            let Some(waits) = pathways.wait_times.specialties.get(id) else {
                continue;
            };
            self.line(&format!("- {} :", waits.label));
            for figure in &waits.figures {
                let mark = self.unverified_mark(figure.unverified);
                let refs = self.refs(&figure.sources);
                self.line(&format!("  - {}{mark}{refs}", figure.text));
            }
        }
        for fact in &pathways.wait_times.facts {
            self.fact(fact, patient);
        }
    }

    /// Adds the list of conditions whose pathway the plugin describes.
    pub fn conditions_list(&mut self, heading: &str) {
        self.heading(heading);
        let labels: Vec<&str> = self
            .pathways
            .conditions_in_order()
            .map(|(_, condition)| condition.label.as_str())
            .collect();
        for label in labels {
            self.line(&format!("- {label}"));
        }
    }

    /// Ends the answer and returns its text and citations. The end has the
    /// legend of « à vérifier » when a fact carries it. When facts were
    /// cited, it also has the reminder that they are general guidelines,
    /// and the source list.
    pub fn finish(mut self) -> (String, Vec<Citation>) {
        self.text.push('\n');
        if self.shows_unverified {
            self.line(
                "« À vérifier » : information tirée d'une seule source secondaire ou d'une déduction ; faites-la confirmer par votre médecin ou l'Assurance Maladie.",
            );
        }
        if !self.citations.is_empty() {
            self.line(
                "Ces repères généraux ne remplacent pas l'avis de votre médecin, qui adapte le suivi à votre situation.",
            );
            self.heading("Sources");
            let lines: Vec<String> = self
                .citations
                .iter()
                .enumerate()
                .map(|(index, citation)| citation_line(index + 1, citation))
                .collect();
            for line in lines {
                self.line(&line);
            }
        }
        (french_spacing(self.text.trim_end()), self.citations)
    }
}

/// Formats one entry of the source list.
fn citation_line(number: usize, citation: &Citation) -> String {
    let mut line = format!("[{number}] {}", citation.title);
    if let Some(date) = citation.date {
        line.push_str(&format!(" ({})", date.french()));
    }
    if citation.unverified {
        line.push_str(UNVERIFIED_MARK);
    }
    if let Some(url) = &citation.url {
        line.push_str(&format!(" : {url}"));
    }
    line
}

/// Returns the note for an item outside the patient's age, or nothing
/// when the age or the bounds are unknown.
fn age_note(min_age: Option<u32>, max_age: Option<u32>, patient: &Patient) -> String {
    let Some(age) = patient.age_years else {
        return String::new();
    };
    let too_young = min_age.is_some_and(|min| age < min);
    let too_old = max_age.is_some_and(|max| age > max);
    if too_young || too_old {
        format!(" — ne s'applique pas à votre âge ({age} ans)")
    } else {
        String::new()
    }
}

/// Returns where a pregnancy step stands for the patient's month of
/// pregnancy, or nothing when either is unknown.
fn pregnancy_note(step: &Step, patient: &Patient) -> String {
    let (Some(month), Some(from)) = (patient.pregnancy_month, step.pregnancy_month_from) else {
        return String::new();
    };
    let to = step.pregnancy_month_to.unwrap_or(9);
    let stage = if month < from {
        "à venir"
    } else if month <= to {
        "c'est la période"
    } else {
        "période passée"
    };
    format!(" — {stage}")
}

/// Formats a rate in basis points as a French percentage number, such as
/// `100` or `62,5`.
fn format_percent(basis_points: u32) -> String {
    let whole = basis_points / 100;
    let hundredths = basis_points % 100;
    if hundredths == 0 {
        whole.to_string()
    } else {
        format!(
            "{whole},{}",
            format!("{hundredths:02}").trim_end_matches('0')
        )
    }
}

/// Returns the French ordinal of a month of pregnancy, such as « 1er » or
/// « 4e ».
fn ordinal(month: u32) -> String {
    if month == 1 {
        "1er".to_owned()
    } else {
        format!("{month}e")
    }
}

/// Applies French typography to `text`: a no-break space before « : »,
/// « ; », « ? », « ! », « % » and « € », inside the « » quotes, and
/// between a number and the word after it.
pub fn french_spacing(text: &str) -> String {
    let characters: Vec<char> = text.chars().collect();
    let mut spaced = String::with_capacity(text.len());
    for (index, &character) in characters.iter().enumerate() {
        if character != ' ' {
            spaced.push(character);
            continue;
        }
        let before = index.checked_sub(1).map(|previous| characters[previous]);
        let after = characters.get(index + 1).copied();
        let binds = matches!(after, Some(':' | ';' | '?' | '!' | '%' | '€' | '»'))
            || before == Some('«')
            || (before.is_some_and(|character| character.is_ascii_digit())
                && after.is_some_and(char::is_alphabetic));
        spaced.push(if binds { NBSP } else { ' ' });
    }
    spaced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_follows_french_typography() {
        assert_eq!(
            french_spacing("Quand : « à vérifier » ; 30 % ? 3 mois [1]"),
            "Quand\u{a0}: «\u{a0}à vérifier\u{a0}»\u{a0}; 30\u{a0}%\u{a0}? 3\u{a0}mois [1]"
        );
        assert_eq!(french_spacing("ALD 8 (diabète)"), "ALD 8 (diabète)");
    }

    #[test]
    fn percent_formats() {
        assert_eq!(format_percent(10_000), "100");
        assert_eq!(format_percent(6_250), "62,5");
        assert_eq!(format_percent(7_000), "70");
    }

    #[test]
    fn age_note_only_outside_bounds() {
        let aged = |age| Patient {
            age_years: Some(age),
            ..Patient::default()
        };
        assert_eq!(age_note(None, Some(69), &aged(69)), "");
        assert_eq!(
            age_note(None, Some(69), &aged(72)),
            " — ne s'applique pas à votre âge (72 ans)"
        );
        assert_eq!(
            age_note(Some(16), None, &aged(12)),
            " — ne s'applique pas à votre âge (12 ans)"
        );
        assert_eq!(age_note(Some(16), None, &Patient::default()), "");
    }

    #[test]
    fn citation_line_has_date_and_url() {
        let citation = Citation {
            id: "s".to_owned(),
            title: "HAS, guide".to_owned(),
            url: Some("https://example.org/guide".to_owned()),
            date: "2014-03".parse().ok(),
            unverified: true,
        };
        assert_eq!(
            citation_line(2, &citation),
            "[2] HAS, guide (mars 2014) (« à vérifier ») : https://example.org/guide"
        );
    }
}
