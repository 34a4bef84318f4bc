//! Answers built from the shipped pathway file: selection, rendering,
//! profile use and citations.

use super::*;

/// ALD rules with fixed values, as the rule sets give them for 2025.
struct FixedRules;

impl AldRules for FixedRules {
    fn ald_cover(&self, _date: Date) -> Result<AldCover, String> {
        Ok(AldCover {
            rate_basis_points: RuleFact {
                value: 10_000,
                source_id: "ameli-taux".to_owned(),
                source_title: "ameli.fr : taux de remboursement".to_owned(),
                to_confirm: false,
            },
            participations_exempt: RuleFact {
                value: false,
                source_id: "service-public".to_owned(),
                source_title: "service-public.fr".to_owned(),
                to_confirm: false,
            },
        })
    }
}

/// ALD rules that cannot be read, as for a date without a rule set.
struct MissingRules;

impl AldRules for MissingRules {
    fn ald_cover(&self, date: Date) -> Result<AldCover, String> {
        Err(format!("no rule set for {date}"))
    }
}

/// ALD rules read from the rule sets built into `mediflux-rules`, by the
/// names the plugin asks the host for.
struct EmbeddedRules(mediflux_rules::Rules);

impl EmbeddedRules {
    fn read<T>(
        &self,
        name: &str,
        date: Date,
        convert: impl Fn(mediflux_rules::Value) -> Option<T>,
    ) -> Result<RuleFact<T>, String> {
        let rules_date: mediflux_rules::Date = date
            .to_string()
            .parse()
            .map_err(|error| format!("{error}"))?;
        let found = self
            .0
            .value_at(name, rules_date)
            .map_err(|error| error.to_string())?;
        let value = convert(found.value).ok_or_else(|| format!("{name}: wrong unit"))?;
        Ok(RuleFact {
            value,
            to_confirm: found.is_to_confirm(),
            source_id: found.source.id,
            source_title: found.source.title,
        })
    }
}

impl AldRules for EmbeddedRules {
    fn ald_cover(&self, date: Date) -> Result<AldCover, String> {
        Ok(AldCover {
            rate_basis_points: self.read(ALD_RATE_RULE, date, |value| match value {
                mediflux_rules::Value::BasisPoints(points) => u32::try_from(points).ok(),
                _ => None,
            })?,
            participations_exempt: self.read(
                ALD_PARTICIPATIONS_RULE,
                date,
                |value| match value {
                    mediflux_rules::Value::Flag(flag) => Some(flag),
                    _ => None,
                },
            )?,
        })
    }
}

fn pathways() -> Pathways {
    Pathways::parse(PATHWAYS_TOML).unwrap_or_else(|error| panic!("{error}"))
}

fn day(text: &str) -> Date {
    text.parse().expect("test date")
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// Answers `question` with the given slots and profile on 2025-06-01.
fn ask_with(
    question: &str,
    slots: &[(&str, &str)],
    profile: &[(&str, &str)],
    rules: &dyn AldRules,
) -> Answer {
    let slots = pairs(slots);
    let profile = pairs(profile);
    let request = Request {
        intent: INTENT,
        slots: &slots,
        profile: &profile,
        question,
        date_of_care: day("2025-06-01"),
    };
    answer(&request, &pathways(), rules).unwrap_or_else(|error| panic!("{error}"))
}

fn ask(question: &str, slots: &[(&str, &str)], profile: &[(&str, &str)]) -> Answer {
    ask_with(question, slots, profile, &FixedRules)
}

/// Returns `text` with no-break spaces as plain spaces, to compare it
/// with the file's texts.
fn plain(text: &str) -> String {
    text.replace('\u{a0}', " ")
}

/// Returns the line of `text` that contains `needle`.
fn line_with<'t>(text: &'t str, needle: &str) -> &'t str {
    text.lines()
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

#[test]
fn diabetes_answer_lists_every_step() {
    let data = pathways();
    let answer = ask(
        "Parcours de soins pour diabète",
        &[("condition", "diabete_type_2")],
        &[],
    );
    let text = plain(&answer.text);

    assert!(
        text.starts_with("Parcours de soins : diabète de type 2"),
        "{text}"
    );
    for step in &data.conditions["diabete_type_2"].steps {
        let line = line_with(&text, &step.what);
        if let Some(who) = &step.who {
            assert!(line.contains(&format!("qui : {who}")), "{line}");
        }
        if let Some(frequency) = &step.frequency {
            assert!(line.contains(&format!("quand : {frequency}")), "{line}");
        }
        for source in &step.sources {
            let title = &data.sources[source].title;
            assert!(text.contains(title.as_str()), "source {source} not cited");
        }
    }
    assert_eq!(answer.body["condition"], "diabete_type_2");
    assert_eq!(answer.body["ald"]["number"], 8);
}

#[test]
fn diabetes_answer_states_ald_cover() {
    let answer = ask(
        "Parcours de soins pour diabète",
        &[("condition", "diabete_type_2")],
        &[],
    );
    let text = plain(&answer.text);
    let line = line_with(&text, "En ALD");
    assert!(
        line.contains("remboursés à 100 % de la base de remboursement"),
        "{line}"
    );
    assert!(line.contains("franchises restent dues"), "{line}");
    assert!(text.contains("ameli.fr : taux de remboursement"), "{text}");
    assert!(
        text.contains("L'ALD 8") || text.contains("l'ALD 8"),
        "{text}"
    );
}

#[test]
fn embedded_rules_give_full_ald_cover() {
    let rules = match mediflux_rules::Rules::embedded() {
        Ok(rules) => EmbeddedRules(rules),
        Err(error) => panic!("embedded rules failed to load: {error}"),
    };
    let cover = rules
        .ald_cover(day("2025-06-01"))
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(cover.rate_basis_points.value, 10_000);
    assert!(!cover.participations_exempt.value);

    let answer = ask_with(
        "Parcours de soins pour diabète",
        &[("condition", "diabete_type_2")],
        &[],
        &rules,
    );
    let text = plain(&answer.text);
    assert!(
        text.contains(&plain(&cover.rate_basis_points.source_title)),
        "{text}"
    );
}

#[test]
fn unreadable_rules_say_so() {
    let answer = ask_with(
        "Quel suivi pour l'asthme ?",
        &[("condition", "asthme")],
        &[],
        &MissingRules,
    );
    let text = plain(&answer.text);
    assert!(
        text.contains("n'est pas disponible pour cette date"),
        "{text}"
    );
    assert!(!text.contains("En ALD, les soins"), "{text}");
    assert_eq!(
        answer.body["ald"]["cover"]["error"],
        "no rule set for 2025-06-01"
    );
}

#[test]
fn hypertension_explains_removed_ald() {
    let data = pathways();
    let answer = ask(
        "Quel suivi pour l'hypertension ?",
        &[("condition", "hypertension")],
        &[],
    );
    let text = plain(&answer.text);
    for fact in &data.conditions["hypertension"].ald.facts {
        assert!(text.contains(&fact.text), "missing {}", fact.text);
    }
    assert!(
        !text.contains("En ALD, les soins"),
        "no cover for a removed ALD: {text}"
    );

    let with_ald = ask(
        "Quel suivi pour l'hypertension ?",
        &[("condition", "hypertension")],
        &[(
            "ald",
            r#"[{"name":"HTA sévère","since":"2009-01-01","until":null}]"#,
        )],
    );
    let with_ald_text = plain(&with_ald.text);
    assert!(
        with_ald_text.contains("vous êtes en ALD pour « HTA sévère »"),
        "{with_ald_text}"
    );
    assert!(
        with_ald_text.contains("En ALD, les soins"),
        "{with_ald_text}"
    );
}

#[test]
fn unverified_facts_are_marked() {
    let answer = ask(
        "Quel suivi pour l'hypertension ?",
        &[("condition", "hypertension")],
        &[],
    );
    let text = plain(&answer.text);
    let line = line_with(&text, "Kaliémie et créatininémie");
    assert!(line.contains("(« à vérifier »)"), "{line}");
    assert!(
        text.contains("« À vérifier » : information tirée"),
        "{text}"
    );

    let verified = line_with(&text, "Consultation dédiée");
    assert!(!verified.contains("à vérifier"), "{verified}");
}

#[test]
fn pregnancy_uses_profile_month() {
    let answer = ask(
        "Je suis enceinte, quels examens ?",
        &[("condition", "grossesse")],
        &[(
            "pregnancy",
            r#"{"start":"2025-01-20","expected_delivery":"2025-10-20","delivery":null}"#,
        )],
    );
    let text = plain(&answer.text);
    assert!(
        text.contains("vous êtes dans votre 5e mois de grossesse"),
        "{text}"
    );
    let interview = line_with(&text, "Entretien prénatal précoce");
    assert!(interview.contains("c'est la période"), "{interview}");
    let anaesthesia = line_with(&text, "Consultation d'anesthésie");
    assert!(anaesthesia.contains("à venir"), "{anaesthesia}");
    assert!(
        !text.contains("En ALD, les soins"),
        "pregnancy is no ALD: {text}"
    );
}

#[test]
fn pregnancy_without_profile_is_general() {
    let answer = ask(
        "Je suis enceinte, quels examens ?",
        &[("condition", "grossesse")],
        &[],
    );
    let text = plain(&answer.text);
    assert!(!text.contains("mois de grossesse."), "{text}");
    assert!(text.contains("7 examens prénataux"), "{text}");
    assert!(!text.contains("à venir"), "{text}");
}

#[test]
fn age_limits_are_applied() {
    let older = ask(
        "Parcours de soins pour diabète",
        &[("condition", "diabete_type_2")],
        &[("age", "72")],
    );
    let text = plain(&older.text);
    let photo = line_with(&text, "Photographie de la rétine");
    assert!(
        photo.contains("ne s'applique pas à votre âge (72 ans)"),
        "{photo}"
    );
    let fundus = line_with(&text, "Examen du fond d'œil");
    assert!(!fundus.contains("ne s'applique pas"), "{fundus}");

    let child = ask(
        "Quel suivi pour l'asthme ?",
        &[("condition", "asthme")],
        &[("age", "12")],
    );
    let child_text = plain(&child.text);
    let sophia = line_with(&child_text, "sophia asthme");
    assert!(
        sophia.contains("ne s'applique pas à votre âge (12 ans)"),
        "{sophia}"
    );
    let doctor = line_with(&child_text, "Déclarez un médecin traitant");
    assert!(doctor.contains("ne s'applique pas à votre âge"), "{doctor}");
}

#[test]
fn medecin_traitant_from_profile() {
    let answer = ask(
        "Quel suivi pour l'asthme ?",
        &[("condition", "asthme")],
        &[("medecin_traitant", "false")],
    );
    let text = plain(&answer.text);
    assert!(
        text.contains("vous n'avez pas déclaré de médecin traitant"),
        "{text}"
    );
}

#[test]
fn pathway_without_delay_has_no_wait_times() {
    let answer = ask(
        "Parcours de soins pour diabète",
        &[("condition", "diabete_type_2")],
        &[],
    );
    assert!(
        !answer.text.contains("Délais pour obtenir"),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["wait_times"], serde_json::json!([]));
}

#[test]
fn delay_question_shows_condition_specialties() {
    let data = pathways();
    let answer = ask(
        "Quels délais de rendez-vous pour le suivi de mon diabète ?",
        &[("condition", "diabete_type_2")],
        &[],
    );
    let text = plain(&answer.text);
    assert!(
        text.contains("Délais pour obtenir un rendez-vous"),
        "{text}"
    );
    let shown_specialties: Vec<&str> = answer.body["wait_times"]
        .as_array()
        .expect("wait times")
        .iter()
        .filter_map(|entry| entry["specialty"].as_str())
        .collect();
    assert_eq!(
        shown_specialties,
        data.conditions["diabete_type_2"].specialties
    );
    for figure in &data.wait_times.specialties["ophtalmologue"].figures {
        assert!(text.contains(&figure.text), "missing {}", figure.text);
    }
}

#[test]
fn named_specialty_shows_only_its_waits() {
    let data = pathways();
    let answer = ask("Combien de temps pour voir un dermatologue ?", &[], &[]);
    let text = plain(&answer.text);
    assert_eq!(answer.body["condition"], Value::Null);
    for figure in &data.wait_times.specialties["dermatologue"].figures {
        assert!(text.contains(&figure.text), "missing {}", figure.text);
    }
    for figure in &data.wait_times.specialties["cardiologue"].figures {
        assert!(!text.contains(&figure.text), "unexpected {}", figure.text);
    }
    assert!(
        text.contains("Je peux aussi décrire le parcours de soins"),
        "{text}"
    );
    assert!(text.contains("Parcours de soins coordonné"), "{text}");
}

#[test]
fn location_is_named_in_wait_times() {
    let answer = ask(
        "Délai pour un ophtalmo à Lyon ?",
        &[("location", "Lyon")],
        &[],
    );
    let text = plain(&answer.text);
    assert!(
        text.contains("je n'ai pas de délai propre à « Lyon »"),
        "{text}"
    );
}

#[test]
fn unknown_condition_lists_covered_conditions() {
    let data = pathways();
    let answer = ask("Quel parcours de soins pour la migraine ?", &[], &[]);
    let text = plain(&answer.text);
    assert!(
        text.starts_with("Je ne connais pas le parcours de soins"),
        "{text}"
    );
    for (_, condition) in data.conditions_in_order() {
        assert!(
            text.contains(&format!("- {}", condition.label)),
            "missing {}",
            condition.label
        );
    }
    assert_eq!(
        answer.body["conditions_covered"].as_array().map(Vec::len),
        Some(CONDITION_IDS.len())
    );
    assert!(answer.citations.is_empty());
}

/// Returns the numbers inside the `[1, 2]` source marks of `text`.
fn cited_numbers(text: &str) -> Vec<usize> {
    text.split('[')
        .skip(1)
        .filter_map(|part| part.split_once(']'))
        .flat_map(|(inside, _)| inside.split(", ").filter_map(|number| number.parse().ok()))
        .collect()
}

#[test]
fn every_cited_number_is_listed() {
    let answer = ask(
        "Combien de temps pour voir un cardiologue pour mon insuffisance cardiaque ?",
        &[("condition", "insuffisance_cardiaque")],
        &[],
    );
    let text = plain(&answer.text);
    let (body, sources) = text.split_once("\nSources\n").expect("a source list");
    let cited = cited_numbers(body);
    for number in 1..=answer.citations.len() {
        assert!(cited.contains(&number), "source {number} never cited");
        assert!(
            sources.contains(&format!("[{number}] ")),
            "source {number} not listed"
        );
    }
    assert_eq!(cited.iter().max(), Some(&answer.citations.len()));
    let prado = answer
        .citations
        .iter()
        .find(|citation| citation.id == "prado-ic")
        .expect("Prado cited");
    let url = prado.url.as_deref().expect("Prado has an address");
    assert!(sources.contains(url), "{sources}");
}

#[test]
fn answer_uses_no_break_spaces() {
    let answer = ask(
        "Quel suivi pour l'asthme ?",
        &[("condition", "asthme")],
        &[],
    );
    assert!(
        answer.text.contains("Parcours de soins\u{a0}: asthme"),
        "{}",
        answer.text
    );
    assert!(!answer.text.contains(" :"), "{}", answer.text);
}

#[test]
fn other_intent_is_rejected() {
    let request = Request {
        intent: "cost.consultation",
        slots: &[],
        profile: &[],
        question: "Combien coûte un généraliste ?",
        date_of_care: day("2025-06-01"),
    };
    let error = answer(&request, &pathways(), &FixedRules).expect_err("wrong intent");
    assert_eq!(error.code(), "unknown-intent");
    assert!(error.to_string().contains("cost.consultation"), "{error}");
}
