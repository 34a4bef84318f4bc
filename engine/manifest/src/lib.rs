//! Plugin manifests: the TOML file that declares a Mediflux plugin.
//!
//! A manifest names the plugin, its kind, the SDK versions it was built for,
//! its WebAssembly component and that file's SHA-256, the intents it answers
//! with their routing rules, the operations a data source offers, the
//! permissions it needs and the limits it runs under. The host loads a plugin
//! only through a manifest that [`Manifest::load`] accepted, so every check
//! here is also a sandbox boundary: a permission that is not declared is not
//! granted.
//!
//! ```toml
//! id = "help"
//! name = "Aide"
//! version = "0.1.0"
//! kind = "intent"
//! sdk = "^0.1"
//!
//! [component]
//! file = "help.wasm"
//! sha256 = "…64 hexadecimal digits…"
//!
//! [[intents]]
//! id = "help"
//! description = "Lists what Mediflux can answer."
//! examples = ["Que sais-tu faire ?"]
//! rules = [{ any = ["aide", "que sais-tu faire"] }]
//! ```
//!
//! Errors name the file, the line when the TOML parser knows it, the key and
//! the fix.

mod error;
mod schema;
mod validate;

pub use error::ManifestError;
pub use schema::{
    Component, ConfigEntry, Intent, Limits, Manifest, Operation, Parameter, ParameterType,
    Permissions, PluginKind, RoutingRule,
};
pub use validate::{PROFILE_FIELDS, SUPPORTED_SDK_VERSIONS, https_origin, sha256_hex};
