//! Helpers shared by the model-layer tests.

#![allow(dead_code)]

pub mod tiny_gguf;

use std::collections::BTreeMap;
use std::path::PathBuf;

use mediflux_manifest::Intent;
use mediflux_model::Catalog;
use mediflux_router::{Date, Router};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    plugins: Vec<FixturePlugin>,
}

#[derive(Deserialize)]
struct FixturePlugin {
    id: String,
    intents: Vec<Intent>,
}

/// The intents of the router's test fixture: nine intents over seven
/// plugins, in the shape of manifest `[[intents]]` tables.
pub fn fixture_intents() -> Vec<(String, Intent)> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../router/tests/fixtures/intents.toml");
    let text = std::fs::read_to_string(&path).expect("router fixture is readable");
    let fixture: Fixture = toml::from_str(&text).expect("router fixture parses");
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

/// The rules router and model catalog built from the fixture intents.
pub fn router_and_catalog() -> (Router, Catalog) {
    let router = Router::new(
        fixture_intents(),
        ["DOLIPRANE 1000 mg, comprimé", "SPASFON, comprimé enrobé"],
    )
    .expect("fixture intents build a router");
    let catalog =
        Catalog::from_manifest_intents(fixture_intents()).expect("fixture intents build a catalog");
    (router, catalog)
}

/// Date the tests route on.
pub fn today() -> Date {
    Date::new(2026, 12, 4).expect("valid date")
}

/// Returns an `annotate` function that gives example slots from the rules router.
pub fn annotator(router: &Router) -> impl Fn(&str) -> BTreeMap<String, String> + '_ {
    move |question| router.route_on(question, None, today()).slots
}
