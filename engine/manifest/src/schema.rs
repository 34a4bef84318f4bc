//! Typed manifest schema, as read from TOML.
//!
//! Every table rejects unknown keys, so a misspelt key fails loudly instead of
//! silently falling back to a default.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A plugin manifest after validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Stable plugin id: lowercase ASCII letters, digits and `-`, starting
    /// with a letter, at most 40 characters.
    pub id: String,
    /// Display name, in French.
    pub name: String,
    /// Plugin version.
    #[serde(deserialize_with = "deserialize_version")]
    pub version: semver::Version,
    /// Plugin kind.
    pub kind: PluginKind,
    /// Requirement on the SDK version the plugin was built with, such as
    /// `^0.1`.
    #[serde(deserialize_with = "deserialize_version_requirement")]
    pub sdk: semver::VersionReq,
    /// One-sentence description, in English.
    #[serde(default)]
    pub description: String,
    /// The WebAssembly component.
    pub component: Component,
    /// Intents answered by an intent plugin.
    #[serde(default)]
    pub intents: Vec<Intent>,
    /// Operations offered by a data-source plugin.
    #[serde(default)]
    pub operations: Vec<Operation>,
    /// Capabilities granted to the plugin. Everything not listed is denied.
    #[serde(default)]
    pub permissions: Permissions,
    /// Resource limits for each call.
    #[serde(default)]
    pub limits: Limits,
    /// Configuration keys the plugin reads, with their defaults.
    #[serde(default)]
    pub config: BTreeMap<String, ConfigEntry>,
    /// Folder of the manifest file; component paths resolve against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// Path the manifest was read from, named in error messages.
    #[serde(skip)]
    pub path: PathBuf,
}

fn deserialize_version<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<semver::Version, D::Error> {
    let text = String::deserialize(deserializer)?;
    semver::Version::parse(&text).map_err(|error| {
        serde::de::Error::custom(format!(
            "invalid version `{text}` ({error}); write MAJOR.MINOR.PATCH, such as \"0.1.0\""
        ))
    })
}

fn deserialize_version_requirement<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<semver::VersionReq, D::Error> {
    let text = String::deserialize(deserializer)?;
    semver::VersionReq::parse(&text).map_err(|error| {
        serde::de::Error::custom(format!(
            "invalid SDK requirement `{text}` ({error}); write a semver requirement, such as \"^0.1\""
        ))
    })
}

/// The two plugin kinds of the SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PluginKind {
    /// Answers routed intents (world `intent-plugin`).
    Intent,
    /// Answers typed queries and refreshes reference data (world
    /// `data-source-plugin`).
    DataSource,
}

impl PluginKind {
    /// Returns the kind as written in manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intent => "intent",
            Self::DataSource => "data-source",
        }
    }
}

/// The `[component]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Path of the `.wasm` component, relative to the manifest.
    pub file: PathBuf,
    /// SHA-256 of that file, 64 lowercase hexadecimal digits.
    pub sha256: String,
}

/// An intent declared by an intent plugin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// Intent id, such as `cost.estimate`; unique across loaded plugins.
    pub id: String,
    /// Description of the intent, in English.
    #[serde(default)]
    pub description: String,
    /// Example questions in French, used by the router and in help texts.
    pub examples: Vec<String>,
    /// Slot names the intent uses, such as `medicine` or `date`.
    #[serde(default)]
    pub slots: Vec<String>,
    /// Routing rules: the intent matches when any rule matches.
    pub rules: Vec<RoutingRule>,
}

/// A routing rule, matched on the normalised question (lowercase, without
/// accents, apostrophes as spaces).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    /// The rule needs at least one of these words or phrases, when not
    /// empty.
    #[serde(default)]
    pub any: Vec<String>,
    /// The rule needs every one of these words or phrases.
    #[serde(default)]
    pub all: Vec<String>,
    /// The rule needs these slots to have been extracted.
    #[serde(default)]
    pub slots: Vec<String>,
    /// Weight of the rule against rules of other intents, 0 excluded to 10.
    #[serde(default = "default_weight")]
    pub weight: f32,
}

fn default_weight() -> f32 {
    1.0
}

/// A data-source operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Operation name, such as `search`.
    pub name: String,
    /// Description of the result, in English.
    #[serde(default)]
    pub description: String,
    /// Parameters, checked by the host before the call.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

/// A parameter of a data-source operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Parameter name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: ParameterType,
    /// Whether a query must give it.
    #[serde(default)]
    pub required: bool,
}

/// Types of operation parameters, matching the SDK's `argument-value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParameterType {
    /// UTF-8 text.
    Text,
    /// Signed 64-bit integer.
    Integer,
    /// Boolean.
    Flag,
    /// Calendar date written `YYYY-MM-DD`.
    Date,
}

impl ParameterType {
    /// Returns the type as written in manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Integer => "integer",
            Self::Flag => "flag",
            Self::Date => "date",
        }
    }
}

/// The `[permissions]` table. The default grants nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    /// Origins the plugin may reach over HTTPS, written exactly
    /// `https://host` or `https://host:port`.
    #[serde(default)]
    pub http: Vec<String>,
    /// Profile fields the host passes to an intent plugin.
    #[serde(default)]
    pub profile: Vec<String>,
    /// Data sources (plugin ids) the plugin may query through the host.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Whether the plugin may read reimbursement rule values.
    #[serde(default)]
    pub rules: bool,
    /// Whether a data source may write reference records during a refresh.
    #[serde(default)]
    pub storage: bool,
}

/// The `[limits]` table: per-call resource limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Linear memory cap, in MiB, summed over the component's memories.
    pub memory_mib: u32,
    /// CPU time the plugin may spend executing per call, in milliseconds.
    /// Time spent waiting on host services does not count.
    pub cpu_ms: u32,
    /// Wall-clock time per call, in milliseconds, host services included.
    pub wall_ms: u32,
    /// Maximum HTTP response body, in bytes.
    pub http_body_bytes: u64,
    /// Maximum number of HTTP requests per call.
    pub http_requests: u32,
    /// Timeout of each HTTP request, in milliseconds.
    pub http_timeout_ms: u32,
    /// Maximum size of a call's result, in bytes, as counted by the host.
    pub result_bytes: u64,
    /// Maximum total size of the plugin's cache, in bytes.
    pub cache_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_mib: 64,
            cpu_ms: 2_000,
            wall_ms: 10_000,
            http_body_bytes: 16 * 1024 * 1024,
            http_requests: 16,
            http_timeout_ms: 30_000,
            result_bytes: 4 * 1024 * 1024,
            cache_bytes: 8 * 1024 * 1024,
        }
    }
}

/// A configuration key declared by the plugin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigEntry {
    /// Default value.
    pub default: String,
    /// Description of the setting, in English.
    #[serde(default)]
    pub description: String,
    /// Whether the value is an `https://` address whose origin the plugin
    /// may reach, in addition to `permissions.http`. This lets a user point
    /// a data source at a mirror by configuration alone.
    #[serde(default)]
    pub origin: bool,
}
