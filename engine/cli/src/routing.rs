//! Query routing as the commands use it: the rules router built from the
//! intents of the loaded plugin manifests and the medicine names of the
//! reference store, then the local model for the questions the rules leave
//! open.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use anyhow::Context as _;
use mediflux_host::Host;
use mediflux_manifest::Intent;
use mediflux_model::{Cascade, Catalog, IntentModel};
use mediflux_router::Router;

use crate::settings::Settings;

/// Whether the local model can be used, and why not.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelState {
    /// The GGUF file exists; it loads on the first question the rules leave open.
    Available(PathBuf),
    /// The command was asked to route with the rules alone.
    Off,
    /// No GGUF file at the configured or default path.
    Missing {
        /// Path looked up.
        path: PathBuf,
        /// Whether the path came from the configuration (not the default).
        configured: bool,
    },
    /// This binary was built without the `model` cargo feature.
    NotBuilt,
}

impl ModelState {
    /// Name of the state in JSON output.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Available(_) => "available",
            Self::Off => "off",
            Self::Missing { .. } => "missing",
            Self::NotBuilt => "not-built",
        }
    }

    /// One French sentence for a patient whose question was not understood,
    /// when the model could have helped; `None` when it was there.
    pub fn hint_fr(&self) -> Option<String> {
        match self {
            Self::Available(_) | Self::Off => None,
            Self::Missing {
                path,
                configured: true,
            } => Some(format!(
                "Le modèle de langue local configuré est introuvable ({})\u{a0}: vérifiez la variable \
                 MEDIFLUX_MODEL ou la clé path de la section [model] du fichier de configuration. \
                 En attendant, seules les formulations reconnues par les règles sont comprises.",
                path.display()
            )),
            Self::Missing { path, .. } => Some(format!(
                "Aucun modèle de langue local n\u{2019}est installé ({}), donc seules les \
                 formulations reconnues par les règles sont comprises\u{a0}; pour en installer un, \
                 voir la section «\u{a0}Modèle local\u{a0}» de README.fr.md.",
                path.display()
            )),
            Self::NotBuilt => Some(
                "Cette version de Mediflux est compilée sans modèle de langue local, donc seules \
                 les formulations reconnues par les règles sont comprises."
                    .to_owned(),
            ),
        }
    }
}

/// Builds the rules router from `host`'s intent plugins and, when BDPM data
/// was imported, the medicine names in service.
pub fn router(settings: &Settings, host: &Host) -> anyhow::Result<Router> {
    let intents = declared_intents(host);
    let names = medicine_names(settings)?;
    tracing::debug!(
        intents = intents.len(),
        medicines = names.len(),
        "building the query router"
    );
    Router::new(intents, names).context("the loaded plugins declare invalid routing rules")
}

/// Builds the routing cascade: the rules, then the local model when
/// `use_model` is set and a GGUF file is configured or installed.
pub fn cascade(
    settings: &Settings,
    host: &Host,
    use_model: bool,
) -> anyhow::Result<(Cascade, ModelState)> {
    let router = router(settings, host)?;
    let catalog = Catalog::from_manifest_intents(declared_intents(host))
        .context("the loaded plugins declare intents the local model cannot route to")?;

    let state = model_state(settings, use_model);
    let model = match &state {
        ModelState::Available(path) => Some(local_model(settings, path, &router, &catalog)),
        ModelState::Missing {
            path,
            configured: true,
        } => {
            tracing::warn!(path = %path.display(), "configured model file not found; routing with the rules alone");
            None
        }
        _ => None,
    };
    let mut cascade = Cascade::new(router, catalog, model);
    if let Some(min_probability) = settings.model_min_probability {
        cascade = cascade.with_min_probability(min_probability);
    }
    Ok((cascade, state))
}

fn model_state(settings: &Settings, use_model: bool) -> ModelState {
    if !use_model {
        return ModelState::Off;
    }
    if !cfg!(feature = "model") {
        return ModelState::NotBuilt;
    }
    if settings.model_path.is_file() {
        ModelState::Available(settings.model_path.clone())
    } else {
        ModelState::Missing {
            path: settings.model_path.clone(),
            configured: settings.model_configured,
        }
    }
}

#[cfg(feature = "model")]
fn local_model(
    settings: &Settings,
    path: &std::path::Path,
    router: &Router,
    catalog: &Catalog,
) -> Box<dyn IntentModel> {
    let mut config = mediflux_model::ModelConfig::new(path);
    if let Some(threads) = settings.model_threads {
        config.threads = threads;
    }
    let today = mediflux_router::Date::today_utc();
    let annotations: HashMap<String, BTreeMap<String, String>> = catalog
        .intents()
        .iter()
        .flat_map(|intent| &intent.examples)
        .map(|example| (example.clone(), router.route_on(example, None, today).slots))
        .collect();
    Box::new(mediflux_model::LazyModel::new(
        config,
        catalog.clone(),
        annotations,
    ))
}

#[cfg(not(feature = "model"))]
fn local_model(
    _settings: &Settings,
    _path: &std::path::Path,
    _router: &Router,
    _catalog: &Catalog,
) -> Box<dyn IntentModel> {
    unreachable!("model_state returns NotBuilt without the model feature")
}

fn declared_intents(host: &Host) -> Vec<(String, Intent)> {
    host.manifests()
        .into_iter()
        .flat_map(|manifest| {
            let id = manifest.id.clone();
            manifest
                .intents
                .into_iter()
                .map(move |intent| (id.clone(), intent))
        })
        .collect()
}

/// Returns the medicine names of the reference store, or none when nothing
/// was imported yet.
fn medicine_names(settings: &Settings) -> anyhow::Result<Vec<String>> {
    if !settings
        .data_dir
        .join(mediflux_refdata::REFERENCE_FILE_NAME)
        .exists()
    {
        return Ok(Vec::new());
    }
    let store = mediflux_refdata::RefStore::open(&settings.data_dir)
        .context("failed to open the reference store")?;
    store
        .medicine_names()
        .context("failed to read medicine names from the reference store")
}
