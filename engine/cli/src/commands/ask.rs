//! `mediflux ask`: answers a question in French.
//!
//! The rules router picks the intent and its slots from the intents the
//! loaded plugins declare; the intent plugin answers with the patient's
//! profile fields its manifest grants. When a profile exists, the exchange
//! goes into its history, and the previous turn's intent and slots let a
//! follow-up such as « et avec une mutuelle à 200 % ? » keep its context.
//! A question no rule recognises gets the list of what Mediflux answers.
//!
//! A statement about the patient (« J'ai 67 ans ») routes to the
//! `profile.update` intent, whose plugin proposes a change; only this
//! command writes it to the profile, creating « moi » when none exists.
//!
//! A medicine question asked before any BDPM data was installed first
//! downloads the BDPM, unless offline (see [`medicine_data`]).
//!
//! With `--file`, the text of a health document goes to the
//! `document.analyze` intent (see [`document_file`]).

mod document_file;
mod medicine_data;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use chrono::{Duration, Utc};
use mediflux_host::{FailureKind, IntentRequest};
use mediflux_memory::{MemoryDb, NewExchange, Profile};
use mediflux_router::{Decision, PreviousTurn};

use self::medicine_data::MissingData;
use crate::commands::Output;
use crate::commands::profile::{PROPOSED_UPDATE_SCHEMA, SavedProfile};
use crate::routing::ModelState;
use crate::settings::Settings;

/// Intent whose answer proposes a profile update for the host to apply.
const PROFILE_UPDATE_INTENT: &str = "profile.update";

/// Error code of the `profile` plugin for a statement with no profile fact.
const NO_PROFILE_FACT: &str = "no-profile-fact";

/// A previous turn older than this no longer gives context to a question.
const FOLLOW_UP_WINDOW_MINUTES: i64 = 30;

/// Runs `mediflux ask`.
pub fn run(
    settings: &Settings,
    output: &Output,
    question: &str,
    profile_label: Option<&str>,
    file: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let document = file.map(document_file::read).transpose()?;
    let host = crate::catalog::host(settings)?;
    let missing_data = medicine_data::install_if_needed(settings, &host, question)?;
    let (mut cascade, model) = crate::routing::cascade(settings, &host, true)?;
    let mut memory = Memory::open(settings, profile_label)?;

    let previous = memory.previous_turn();
    let routed = cascade.route(
        question,
        previous.as_ref(),
        mediflux_router::Date::today_utc(),
    );
    let decision = routed.decision;
    document_file::warn_if_unused(document.as_ref(), decision.intent.as_deref());
    if let Some(missing) = &missing_data {
        if decision.intent.is_none() {
            return missing_medicine_data(output, question, &decision, missing);
        }
        eprintln!("{}", missing.explanation_fr());
    }
    let (Some(intent), Some(plugin)) = (decision.intent.clone(), decision.plugin.clone()) else {
        let context = NotUnderstood {
            catalog: cascade.catalog(),
            model: &model,
            model_error: routed.model_error.as_ref(),
        };
        return not_understood(settings, output, question, &decision, &context);
    };

    let today = super::today();
    let date_of_care =
        chrono::NaiveDate::from_ymd_opt(today.year.into(), today.month.into(), today.day.into())
            .unwrap_or_else(|| Utc::now().date_naive());
    let profile = crate::memory::intent_profile(settings, profile_label, date_of_care)?;
    let mut request = IntentRequest {
        intent: intent.clone(),
        slots: decision.slots.clone().into_iter().collect(),
        date_of_care: today,
        profile: profile.map(|patient| patient.fields).unwrap_or_default(),
        question: question.to_owned(),
    };
    document_file::attach(document, &mut request);

    let response = match super::runtime()?.block_on(host.handle(&plugin, request)) {
        Ok(response) => response,
        Err(error) => return Err(plugin_failure(&plugin, &intent, &error)),
    };
    let saved =
        if intent == PROFILE_UPDATE_INTENT && response.result.schema == PROPOSED_UPDATE_SCHEMA {
            Some(memory.save_profile_update(settings, profile_label, &response.result.body)?)
        } else {
            None
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
            "saved_profile": saved.as_ref().map(|saved| serde_json::json!({
                "label": saved.profile.label,
                "created": saved.created,
            })),
            "citations": response.citations.iter().map(|citation| serde_json::json!({
                "title": citation.title,
                "url": citation.url,
            })).collect::<Vec<_>>(),
        }))?;
    } else {
        println!("{}", response.answer);
        if let Some(saved) = &saved {
            println!("{}", saved_text(saved));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Turns a failed intent plugin call into the French error for the patient.
fn plugin_failure(plugin: &str, intent: &str, error: &mediflux_host::HostError) -> anyhow::Error {
    let no_profile_fact = matches!(
        error.failure(),
        Some(FailureKind::Plugin { code, .. }) if code == NO_PROFILE_FACT
    );
    if intent == PROFILE_UPDATE_INTENT && no_profile_fact {
        // An expected outcome that the French message below explains.
        tracing::debug!(%plugin, %intent, "no profile fact in the statement: {error}");
        return anyhow::anyhow!(
            "je n'ai reconnu dans cette phrase aucune information à enregistrer dans votre profil, qui reste inchangé\u{a0}; \
             dites par exemple «\u{a0}J'ai 67 ans\u{a0}», «\u{a0}J'ai une mutuelle à 200\u{a0}%\u{a0}» \
             ou «\u{a0}Je n'ai pas de médecin traitant\u{a0}», ou utilisez `mediflux profile set`"
        );
    }
    tracing::warn!(%plugin, %intent, "intent plugin failed: {error}");
    anyhow::anyhow!(
        "le module «\u{a0}{plugin}\u{a0}» n'a pas pu répondre à cette question ({error})\u{a0}; \
         reformulez-la ou relancez avec -v pour le détail"
    )
}

/// Returns the line confirming that a proposed profile update was saved.
fn saved_text(saved: &SavedProfile) -> String {
    let label = &saved.profile.label;
    if saved.created {
        format!(
            "C'est enregistré\u{a0}: profil «\u{a0}{label}\u{a0}» créé (voir `mediflux profile show`)."
        )
    } else {
        format!(
            "C'est enregistré dans le profil «\u{a0}{label}\u{a0}» (voir `mediflux profile show`)."
        )
    }
}

/// What the routing knew when no layer understood a question.
struct NotUnderstood<'a> {
    catalog: &'a mediflux_model::Catalog,
    model: &'a ModelState,
    model_error: Option<&'a mediflux_model::ModelError>,
}

/// Answers a medicine question that could not be routed because no
/// medicine data is installed, so no medicine name is known, with how to
/// install the data.
fn missing_medicine_data(
    output: &Output,
    question: &str,
    decision: &Decision,
    missing: &MissingData,
) -> anyhow::Result<ExitCode> {
    let explanation = format!(
        "Pour répondre à cette question sur un médicament, Mediflux a besoin de la base des médicaments (BDPM).\n{}",
        missing.explanation_fr()
    );

    if output.json {
        output.print_json(&serde_json::json!({
            "question": question,
            "intent": null,
            "slots": decision.slots,
            "confidence": decision.confidence,
            "layer": decision.layer,
            "answer": explanation,
        }))?;
    } else {
        println!("{explanation}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Answers a question that neither the rules nor the local model routed
/// with what Mediflux can answer.
fn not_understood(
    settings: &Settings,
    output: &Output,
    question: &str,
    decision: &Decision,
    context: &NotUnderstood<'_>,
) -> anyhow::Result<ExitCode> {
    let examples: Vec<(String, String)> = context
        .catalog
        .intents()
        .iter()
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
            "model": context.model.name(),
            "model_error": context.model_error.map(ToString::to_string),
            "examples": examples.iter().map(|(intent, example)| serde_json::json!({
                "intent": intent,
                "example": example,
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }

    print!("{}", mediflux_model::capabilities_fr(context.catalog));
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
    if let Some(hint) = context.model.hint_fr() {
        println!("{hint}");
    }
    match (context.model_error, context.model) {
        (Some(mediflux_model::ModelError::Unavailable(_)), ModelState::Available(path)) => {
            println!(
                "Le modèle de langue local ({}) n\u{2019}a pas pu être chargé\u{a0}: vérifiez que la \
             variable MEDIFLUX_MODEL ou la clé path de la section [model] désigne bien un fichier \
             GGUF, ou relancez avec -v pour voir pourquoi.",
                path.display()
            )
        }
        (Some(_), _) => println!(
            "Le modèle de langue local n\u{2019}a pas pu interpréter la question\u{a0}; \
             relancez avec -v pour voir pourquoi."
        ),
        (None, _) => {}
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

    /// Applies a `profile.update/1` document to the profile, opening or
    /// creating the memory file when needed, and makes the saved profile
    /// the one this exchange is recorded in.
    fn save_profile_update(
        &mut self,
        settings: &Settings,
        label: Option<&str>,
        body: &str,
    ) -> anyhow::Result<SavedProfile> {
        let db = match &mut self.db {
            Some(db) => db,
            None => self.db.insert(crate::memory::open(settings)?),
        };
        let saved = crate::commands::profile::save_proposed_update(db, label, body)?;
        self.profile = Some(saved.profile.clone());
        Ok(saved)
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
