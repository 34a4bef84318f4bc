//! The query router as the commands use it: built from the intents of the
//! loaded plugin manifests and the medicine names of the reference store.

use anyhow::Context as _;
use mediflux_host::Host;
use mediflux_router::Router;

use crate::settings::Settings;

/// Builds the rules router from `host`'s intent plugins and, when BDPM data
/// was imported, the medicine names in service.
pub fn router(settings: &Settings, host: &Host) -> anyhow::Result<Router> {
    let intents: Vec<(String, mediflux_manifest::Intent)> = host
        .manifests()
        .into_iter()
        .flat_map(|manifest| {
            let id = manifest.id.clone();
            manifest
                .intents
                .into_iter()
                .map(move |intent| (id.clone(), intent))
        })
        .collect();
    let names = medicine_names(settings)?;
    tracing::debug!(
        intents = intents.len(),
        medicines = names.len(),
        "building the query router"
    );
    Router::new(intents, names).context("the loaded plugins declare invalid routing rules")
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
