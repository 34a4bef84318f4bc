//! Loading of the test fixtures: intents, medicine names, shared data.

#![allow(dead_code)]

use std::path::PathBuf;

use mediflux_manifest::Intent;
use mediflux_router::{Date, Router};

#[derive(serde::Deserialize)]
struct Fixture {
    plugins: Vec<FixturePlugin>,
}

#[derive(serde::Deserialize)]
struct FixturePlugin {
    id: String,
    intents: Vec<Intent>,
}

/// Date the tests resolve relative dates against.
pub fn today() -> Date {
    Date::new(2026, 1, 28).expect("valid date")
}

/// Returns the fixture intents, each with its plugin id.
pub fn fixture_intents() -> Vec<(String, Intent)> {
    let path = manifest_dir().join("tests/fixtures/intents.toml");
    let text = std::fs::read_to_string(&path).expect("fixture intents.toml is readable");
    let fixture: Fixture = toml::from_str(&text).expect("fixture intents.toml is valid");
    fixture
        .plugins
        .into_iter()
        .flat_map(|plugin| {
            let id = plugin.id;
            plugin
                .intents
                .into_iter()
                .map(move |intent| (id.clone(), intent))
        })
        .collect()
}

/// A few BDPM-style denominations, enough for unit tests.
pub const SAMPLE_NAMES: &[&str] = &[
    "DOLIPRANE 1000 mg, comprimé",
    "DOLIPRANE 500 mg, gélule",
    "DAFALGAN 1 g, comprimé",
    "LEVOTHYROX 75 microgrammes, comprimé sécable",
    "KARDEGIC 75 mg, poudre pour solution buvable en sachet",
    "IBUPROFENE BIOGARAN 400 mg, comprimé pelliculé",
    "ACIDE ACETYLSALICYLIQUE ARROW 500 mg, comprimé",
    "EAU POUR PRÉPARATIONS INJECTABLES",
    "METFORMINE ARROW 850 mg, comprimé",
];

/// Returns a router over the fixture intents and the sample names.
pub fn sample_router() -> Router {
    Router::new(fixture_intents(), SAMPLE_NAMES).expect("fixture intents compile")
}

/// Folder of the project's shared data, from `MEDIFLUX_SHARED` or beside
/// the repository, if present.
pub fn shared_dir() -> Option<PathBuf> {
    let path = std::env::var_os("MEDIFLUX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../../shared"));
    path.is_dir().then_some(path)
}

/// Returns the BDPM denominations of the shared data, decoded from
/// Windows-1252, if present.
pub fn bdpm_names() -> Option<Vec<String>> {
    let path = shared_dir()?.join("data/bdpm/2026-01-28/CIS_bdpm.txt");
    let bytes = std::fs::read(path).ok()?;
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    Some(
        text.lines()
            .filter_map(|line| line.split('\t').nth(1).map(str::to_owned))
            .collect(),
    )
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
