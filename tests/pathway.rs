//! `mediflux ask` with care-pathway questions, through the real binary:
//! the router sends them to the bundled `pathway` plugin, and the facts in
//! the answers are checked against the shipped `manifests/pathways/fr.toml`.

use std::path::Path;

use mediflux_plugin_pathway::{PATHWAYS_TOML, Pathways};
use mediflux_tests::run_mediflux;
use serde_json::Value;

/// Parses the shipped pathway data as the plugin does.
fn pathways() -> Pathways {
    Pathways::parse(PATHWAYS_TOML).unwrap_or_else(|error| panic!("{error}"))
}

/// Runs `mediflux` with `arguments`, panics with its output unless it
/// succeeds, and returns standard output.
fn ok(data: &Path, arguments: &[&str]) -> String {
    let (code, stdout, stderr) = run_mediflux(data, arguments);
    assert_eq!(
        code, 0,
        "mediflux {arguments:?} failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    stdout
}

/// Asks `question` with `--json`, checks that it went to the pathway
/// plugin, and returns the JSON answer.
fn ask_pathway(data: &Path, question: &str) -> Value {
    let stdout = ok(data, &["ask", question, "--json"]);
    let answer: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"));
    assert_eq!(answer["intent"], "care.pathway", "{answer}");
    assert_eq!(answer["plugin"], "pathway", "{answer}");
    answer
}

/// Returns the answer text with no-break spaces as plain spaces, to
/// compare it with the file's texts.
fn text(answer: &Value) -> String {
    answer["answer"]
        .as_str()
        .expect("answer text")
        .replace('\u{a0}', " ")
}

/// Returns the line of `text` that contains `needle`.
fn line_with<'t>(text: &'t str, needle: &str) -> &'t str {
    text.lines()
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

/// Returns the addresses of the answer's citations.
fn cited_urls(answer: &Value) -> Vec<String> {
    answer["citations"]
        .as_array()
        .expect("citations")
        .iter()
        .filter_map(|citation| citation["url"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn diabetes_answer_matches_the_data() {
    let data = tempfile::tempdir().expect("data folder");
    let pathways = pathways();
    let diabetes = &pathways.conditions["diabete_type_2"];

    let answer = ask_pathway(data.path(), "Parcours de soins pour diabète");
    assert_eq!(answer["slots"]["condition"], "diabete_type_2", "{answer}");
    let text = text(&answer);
    for step in &diabetes.steps {
        let line = line_with(&text, &step.what);
        if let Some(who) = &step.who {
            assert!(line.contains(who.as_str()), "{line}");
        }
        if let Some(frequency) = &step.frequency {
            assert!(line.contains(frequency.as_str()), "{line}");
        }
    }
    for fact in &diabetes.ald.facts {
        assert!(text.contains(&fact.text), "missing {}", fact.text);
    }
    assert_eq!(
        answer["result"]["body"]["ald"]["number"],
        diabetes.ald.number.expect("ALD number")
    );
    assert!(
        line_with(&text, "En ALD").contains("100 % de la base de remboursement"),
        "{text}"
    );

    let urls = cited_urls(&answer);
    let guide = pathways.sources["has-guide-dt2"]
        .url
        .as_deref()
        .expect("guide address");
    assert!(urls.iter().any(|url| url == guide), "{urls:?}");
}

#[test]
fn diabetes_answer_uses_the_profile() {
    let data = tempfile::tempdir().expect("data folder");
    ok(
        data.path(),
        &[
            "profile",
            "set",
            "--age",
            "72",
            "--ald",
            "diabète de type 2",
        ],
    );

    let answer = ask_pathway(data.path(), "Quel suivi pour mon diabète ?");
    let text = text(&answer);
    assert!(
        text.contains("vous êtes en ALD pour « diabète de type 2 »"),
        "{text}"
    );
    let photo = line_with(&text, "Photographie de la rétine");
    assert!(
        photo.contains("ne s'applique pas à votre âge (72 ans)"),
        "{photo}"
    );
    assert_eq!(
        answer["result"]["body"]["ald"]["in_profile"], true,
        "{answer}"
    );
}

#[test]
fn hypertension_answer_explains_removed_ald() {
    let data = tempfile::tempdir().expect("data folder");
    let pathways = pathways();
    let hypertension = &pathways.conditions["hypertension"];

    let answer = ask_pathway(data.path(), "Quel suivi pour l'hypertension ?");
    assert_eq!(answer["slots"]["condition"], "hypertension", "{answer}");
    let text = text(&answer);
    for fact in &hypertension.ald.facts {
        assert!(text.contains(&fact.text), "missing {}", fact.text);
    }
    assert!(
        !text.contains("En ALD, les soins"),
        "a removed ALD gives no cover: {text}"
    );
    for step in &hypertension.steps {
        let line = line_with(&text, &step.what);
        assert_eq!(line.contains("(« à vérifier »)"), step.unverified, "{line}");
    }
    for fact in &pathways.general.facts {
        assert!(text.contains(&fact.text), "missing {}", fact.text);
    }
}

#[test]
fn pregnancy_answer_lists_exams() {
    let data = tempfile::tempdir().expect("data folder");
    let pathways = pathways();
    let pregnancy = &pathways.conditions["grossesse"];

    let answer = ask_pathway(data.path(), "Je suis enceinte, quels examens ?");
    assert_eq!(answer["slots"]["condition"], "grossesse", "{answer}");
    let text = text(&answer);
    for step in &pregnancy.steps {
        let line = line_with(&text, &step.what);
        if let Some(cover) = &step.cover {
            assert!(line.contains(cover.as_str()), "{line}");
        }
    }
    assert!(
        !text.contains("mois de grossesse."),
        "no profile yet: {text}"
    );
    let ameli = pathways.sources["ameli-grossesse"]
        .url
        .as_deref()
        .expect("ameli address");
    assert!(cited_urls(&answer).iter().any(|url| url == ameli));
}

#[test]
fn pregnancy_answer_follows_the_stated_month() {
    let data = tempfile::tempdir().expect("data folder");
    ok(data.path(), &["ask", "Je suis enceinte de 4 mois"]);

    let answer = ask_pathway(data.path(), "Je suis enceinte, quels examens ?");
    let text = text(&answer);
    let month = line_with(&text, "mois de grossesse.");
    assert!(
        month.contains("4e mois") || month.contains("5e mois"),
        "{month}"
    );
    let interview = line_with(&text, "Entretien prénatal précoce");
    assert!(interview.contains("c'est la période"), "{interview}");
    let anaesthesia = line_with(&text, "Consultation d'anesthésie");
    assert!(anaesthesia.contains("à venir"), "{anaesthesia}");
}

#[test]
fn unknown_condition_lists_covered_ones() {
    let data = tempfile::tempdir().expect("data folder");
    let answer = ask_pathway(data.path(), "Quel parcours de soins pour la migraine ?");
    assert_eq!(answer["result"]["body"]["condition"], Value::Null);
    let text = text(&answer);
    assert!(
        text.starts_with("Je ne connais pas le parcours de soins"),
        "{text}"
    );
    for (_, condition) in pathways().conditions_in_order() {
        assert!(
            text.contains(&format!("- {}", condition.label)),
            "missing {}",
            condition.label
        );
    }
}

#[test]
fn delay_question_gives_wait_times() {
    let data = tempfile::tempdir().expect("data folder");
    let pathways = pathways();
    let answer = ask_pathway(
        data.path(),
        "Combien de temps pour voir un cardiologue pour mon insuffisance cardiaque ?",
    );
    assert_eq!(
        answer["slots"]["condition"], "insuffisance_cardiaque",
        "{answer}"
    );
    let text = text(&answer);
    for figure in &pathways.wait_times.specialties["cardiologue"].figures {
        assert!(text.contains(&figure.text), "missing {}", figure.text);
    }
    for figure in &pathways.wait_times.specialties["dermatologue"].figures {
        assert!(!text.contains(&figure.text), "unexpected {}", figure.text);
    }
}
