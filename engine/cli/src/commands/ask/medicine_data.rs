//! Installing the medicine data (BDPM) before a medicine question is
//! answered, so that `mediflux ask` is useful right after installation.
//!
//! When no BDPM snapshot is in service and the question is about a
//! medicine, the BDPM is downloaded with its progress on standard error,
//! unless the settings set offline mode. When the download fails, or in
//! offline mode, the caller gets a [`MissingData`] that explains, in
//! French, how to import local files.

use anyhow::Context as _;
use mediflux_host::Host;
use mediflux_refdata::{BDPM_SOURCE, RefStore};
use mediflux_router::Router;

use crate::commands::{french, refresh};
use crate::settings::Settings;

/// Intents whose plugins read the BDPM.
const BDPM_INTENTS: &[&str] = &["medication.info", "cost.medication"];

/// The reason a medicine question finds no medicine data installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MissingData {
    /// Offline mode forbids the download.
    Offline,
    /// The download failed, for the given reason in French.
    DownloadFailed(String),
}

impl MissingData {
    /// Returns, in French, why the data is missing and how to install it.
    pub fn explanation_fr(&self) -> String {
        match self {
            Self::Offline => format!(
                "Mode hors ligne\u{a0}: la base des médicaments n'est pas téléchargée.\n{}",
                french::NO_DATA
            ),
            Self::DownloadFailed(reason) => format!(
                "Le téléchargement de la base des médicaments a échoué\u{a0}: {reason}\n{}",
                french::NO_DATA
            ),
        }
    }
}

/// Downloads the BDPM when none is installed and `question` is about a
/// medicine, unless `settings.offline`. Returns why the data is still
/// missing; a failed download is not an error of the command.
pub fn install_if_needed(
    settings: &Settings,
    host: &Host,
    question: &str,
) -> anyhow::Result<Option<MissingData>> {
    if bdpm_installed(settings)? || !is_medicine_question(host, question)? {
        return Ok(None);
    }

    if settings.offline {
        tracing::info!("no BDPM data installed; offline, so not downloading it");
        return Ok(Some(MissingData::Offline));
    }

    eprintln!(
        "La base des médicaments n'est pas encore installée\u{a0}: téléchargement de la base de données publique des médicaments (BDPM)…"
    );
    match refresh::sync_before_answer(settings, host)? {
        Ok(snapshot) => {
            tracing::info!(snapshot = %snapshot.imported_at, "BDPM installed before answering");
            eprintln!(
                "Base des médicaments installée\u{a0}: {} médicaments, données du {}.",
                french::count(snapshot.counts.medicines),
                french::date(snapshot.imported_at)
            );
            Ok(None)
        }
        Err(reason) => Ok(Some(MissingData::DownloadFailed(reason))),
    }
}

/// Returns whether a BDPM snapshot is in service.
fn bdpm_installed(settings: &Settings) -> anyhow::Result<bool> {
    if !settings
        .data_dir
        .join(mediflux_refdata::REFERENCE_FILE_NAME)
        .exists()
    {
        return Ok(false);
    }
    let snapshot = RefStore::open(&settings.data_dir)
        .and_then(|store| store.current_snapshot(BDPM_SOURCE))
        .context("failed to read the reference store")?;
    Ok(snapshot.is_some())
}

/// Returns whether the rules router sends `question` to an intent that
/// reads the BDPM.
///
/// Without BDPM data the router has no medicine name, so « Quels sont les
/// génériques du Doliprane ? » has no `medication` slot and routes nowhere.
/// A question the router cannot route is therefore routed again by a probe
/// router that takes every word of the question as a possible medicine
/// name. The probe keeps only the rules with cue words (« générique »,
/// « prix »), because a rule on the `medication` slot alone would match
/// any question with an unknown word.
// NOTE: a question with a cue word and an unknown word, such as « des
// infos sur la météo ? », still counts as a medicine question, and a bare
// medicine name such as « Doliprane ? » does not.
fn is_medicine_question(host: &Host, question: &str) -> anyhow::Result<bool> {
    let intents: Vec<(String, mediflux_manifest::Intent)> = host
        .manifests()
        .into_iter()
        .flat_map(|manifest| {
            let plugin = manifest.id.clone();
            manifest
                .intents
                .into_iter()
                .map(move |intent| (plugin.clone(), intent))
        })
        .collect();
    let reads_bdpm = |intent: Option<&str>| intent.is_some_and(|id| BDPM_INTENTS.contains(&id));

    let plain = Router::new(intents.clone(), Vec::<String>::new())
        .context("the loaded plugins declare invalid routing rules")?
        .route(question, None);
    if plain.intent.is_some() {
        return Ok(reads_bdpm(plain.intent.as_deref()));
    }

    let cued_intents: Vec<(String, mediflux_manifest::Intent)> = intents
        .into_iter()
        .map(|(plugin, mut intent)| {
            intent
                .rules
                .retain(|rule| !rule.any.is_empty() || !rule.all.is_empty());
            (plugin, intent)
        })
        .filter(|(_, intent)| !intent.rules.is_empty())
        .collect();
    let words: Vec<String> = mediflux_router::tokenize(question)
        .into_iter()
        .map(|token| token.text)
        .filter(|word| word.len() >= 3 && !word.bytes().any(|byte| byte.is_ascii_digit()))
        .collect();
    let probe = Router::new(cued_intents, words)
        .context("the loaded plugins declare invalid routing rules")?
        .route(question, None);
    tracing::debug!(
        intent = probe.intent.as_deref().unwrap_or("none"),
        confidence = probe.confidence,
        "medicine question probe on an empty store"
    );
    Ok(reads_bdpm(probe.intent.as_deref()))
}
