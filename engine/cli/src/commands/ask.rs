//! `mediflux ask`: answers a question in French.
//!
//! The rules router picks the intent and its slots from the intents the
//! loaded plugins declare; the intent plugin answers with the patient's
//! profile fields its manifest grants. When a profile exists, the exchange
//! goes into its history, and the previous turn's intent and slots let a
//! follow-up such as « et avec une mutuelle à 200 % ? » keep its context.
//! A question no rule recognises gets the list of what Mediflux answers.

use std::collections::BTreeMap;
use std::process::ExitCode;

use chrono::{Duration, Utc};
use mediflux_host::IntentRequest;
use mediflux_memory::{MemoryDb, NewExchange, Profile};
use mediflux_router::{Decision, PreviousTurn};

use crate::commands::Output;
use crate::settings::Settings;

/// A previous turn older than this no longer gives context to a question.
const FOLLOW_UP_WINDOW_MINUTES: i64 = 30;

/// Runs `mediflux ask`.
pub fn run(
    settings: &Settings,
    output: &Output,
    question: &str,
    profile_label: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let host = crate::catalog::host(settings)?;
    let router = crate::routing::router(settings, &host)?;
    let mut memory = Memory::open(settings, profile_label)?;

    let previous = memory.previous_turn();
    let decision = router.route(question, previous.as_ref());
    let (Some(intent), Some(plugin)) = (decision.intent.clone(), decision.plugin.clone()) else {
        return not_understood(settings, &host, output, question, &decision);
    };

    let today = super::today();
    let date_of_care =
        chrono::NaiveDate::from_ymd_opt(today.year.into(), today.month.into(), today.day.into())
            .unwrap_or_else(|| Utc::now().date_naive());
    let profile = crate::memory::intent_profile(settings, profile_label, date_of_care)?;
    let request = IntentRequest {
        intent: intent.clone(),
        slots: decision.slots.clone().into_iter().collect(),
        date_of_care: today,
        profile: profile.map(|patient| patient.fields).unwrap_or_default(),
        question: question.to_owned(),
    };

    let response = match super::runtime()?.block_on(host.handle(&plugin, request)) {
        Ok(response) => response,
        Err(error) => {
            tracing::warn!(%plugin, %intent, "intent plugin failed: {error}");
            anyhow::bail!(
                "le module «\u{a0}{plugin}\u{a0}» n'a pas pu répondre à cette question ({error})\u{a0}; \
                 reformulez-la ou relancez avec -v pour le détail"
            );
        }
    };
    memory.record(question, &decision, &response.answer);

    if output.json {
        let result = serde_json::from_str::<serde_json::Value>(&response.result.body)
            .unwrap_or(serde_json::Value::String(response.result.body.clone()));
        output.print_json(&serde_json::json!({
            "question": question,
            "intent": intent,
            "plugin": plugin,
            "slots": decision.slots,
            "confidence": decision.confidence,
            "layer": decision.layer,
            "answer": response.answer,
            "result": { "schema": response.result.schema, "body": result },
            "citations": response.citations.iter().map(|citation| serde_json::json!({
                "title": citation.title,
                "url": citation.url,
            })).collect::<Vec<_>>(),
        }))?;
    } else {
        println!("{}", response.answer);
    }
    Ok(ExitCode::SUCCESS)
}

/// Answers a question no rule recognised with what Mediflux can answer.
fn not_understood(
    settings: &Settings,
    host: &mediflux_host::Host,
    output: &Output,
    question: &str,
    decision: &Decision,
) -> anyhow::Result<ExitCode> {
    let examples: Vec<(String, String)> = host
        .manifests()
        .iter()
        .flat_map(|manifest| manifest.intents.iter())
        .map(|intent| {
            let example = intent.examples.first().cloned().unwrap_or_default();
            (intent.id.clone(), example)
        })
        .collect();

    if output.json {
        output.print_json(&serde_json::json!({
            "question": question,
            "intent": null,
            "slots": decision.slots,
            "confidence": decision.confidence,
            "layer": decision.layer,
            "examples": examples.iter().map(|(intent, example)| serde_json::json!({
                "intent": intent,
                "example": example,
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }

    println!("Je n'ai pas reconnu cette question parmi celles auxquelles je sais répondre.");
    let medicines_imported = settings
        .data_dir
        .join(mediflux_refdata::REFERENCE_FILE_NAME)
        .exists();
    if !medicines_imported {
        println!(
            "Pour les questions sur un médicament, installez d'abord la base des médicaments\u{a0}: \
             `mediflux data sync bdpm` la télécharge, `mediflux data import bdpm DOSSIER` \
             l'importe depuis ses fichiers .txt."
        );
    }
    if !examples.is_empty() {
        println!("Voici des exemples de questions que je traite\u{a0}:");
        for (_, example) in &examples {
            println!("- «\u{a0}{example}\u{a0}»");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The user memory for one question: the profile it is about, when one
/// exists, and its conversation history.
struct Memory {
    db: Option<MemoryDb>,
    profile: Option<Profile>,
}

impl Memory {
    /// Opens the memory when its file exists and resolves the profile; a
    /// missing default profile is not an error, a missing named one is.
    fn open(settings: &Settings, label: Option<&str>) -> anyhow::Result<Self> {
        let Some(db) = crate::memory::open_existing(settings)? else {
            if let Some(label) = label {
                anyhow::bail!(
                    "aucun profil «\u{a0}{label}\u{a0}»\u{a0}: créez-le avec `mediflux profile set --profile {label}`"
                );
            }
            return Ok(Self {
                db: None,
                profile: None,
            });
        };
        let profile = match db.resolve_profile(label) {
            Ok(profile) => Some(profile),
            Err(mediflux_memory::MemoryError::NoDefaultProfile) if label.is_none() => None,
            Err(error) => return Err(crate::memory::french_error(error)),
        };
        Ok(Self {
            db: Some(db),
            profile,
        })
    }

    /// Returns the previous exchange's intent and slots, when recent.
    fn previous_turn(&self) -> Option<PreviousTurn> {
        let (db, profile) = (self.db.as_ref()?, self.profile.as_ref()?);
        let turn = match db.previous_turn(profile.id) {
            Ok(turn) => turn?,
            Err(error) => {
                tracing::warn!("previous turn unavailable: {error}");
                return None;
            }
        };
        if Utc::now() - turn.asked_at > Duration::minutes(FOLLOW_UP_WINDOW_MINUTES) {
            return None;
        }
        let slots: BTreeMap<String, String> = turn
            .slots
            .as_object()
            .map(|object| {
                object
                    .iter()
                    .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        Some(PreviousTurn {
            intent: turn.intent,
            slots,
        })
    }

    /// Adds the exchange to the profile's history. A failure is logged and
    /// does not hide the answer already computed.
    fn record(&mut self, question: &str, decision: &Decision, answer: &str) {
        let (Some(db), Some(profile), Some(intent)) = (
            self.db.as_mut(),
            self.profile.as_ref(),
            decision.intent.as_ref(),
        ) else {
            return;
        };
        let summary: String = answer.lines().take(3).collect::<Vec<_>>().join(" ");
        let exchange = NewExchange {
            question: question.to_owned(),
            intent: intent.clone(),
            slots: serde_json::to_value(&decision.slots).unwrap_or_default(),
            answer_summary: summary.chars().take(500).collect(),
        };
        match db.record_exchange(profile.id, exchange) {
            Ok(_) => tracing::debug!(profile = profile.id, "exchange recorded"),
            Err(error) => tracing::warn!(
                profile = profile.id,
                "failed to record the exchange: {error}"
            ),
        }
    }
}
