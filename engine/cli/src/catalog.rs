//! The plugin catalogue: the bundled plugins plus the manifests found in the
//! user's plugins folder, and the host built from them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use mediflux_host::bindings::v0_1::rules::{RuleEntry, RuleValue};
use mediflux_host::types::Date;
use mediflux_host::{Host, HostConfig, RuleProvider};
use mediflux_manifest::{Manifest, ManifestError};

use crate::settings::Settings;

/// Source of a plugin.
#[derive(Debug, Clone)]
pub enum Origin {
    /// Compiled into the binary.
    Bundled,
    /// A manifest file in the plugins folder.
    File(PathBuf),
}

impl Origin {
    /// Returns a short description for listings.
    pub fn describe(&self) -> String {
        match self {
            Self::Bundled => "bundled".to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }
}

/// A catalogue entry: a checked manifest with its component, or the reason
/// it was rejected.
pub struct Entry {
    /// Source of the manifest.
    pub origin: Origin,
    /// The manifest and component bytes, or the rejection.
    pub plugin: Result<(Manifest, Vec<u8>), ManifestError>,
}

/// Reads the bundled manifests and every `*.toml` in the plugins folder,
/// checking each manifest and its component's hash.
pub fn entries(settings: &Settings) -> anyhow::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for bundled in mediflux_bundled::PLUGINS {
        let path = Path::new("bundled").join(format!("{}.toml", bundled.id));
        let plugin = Manifest::parse(bundled.manifest, &path).and_then(|manifest| {
            manifest.verify_bytes(bundled.component, &path)?;
            Ok((manifest, bundled.component.to_vec()))
        });
        entries.push(Entry {
            origin: Origin::Bundled,
            plugin,
        });
    }

    let dir = &settings.plugins_dir;
    if dir.is_dir() {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("failed to list plugins folder {}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let plugin = Manifest::load(&path).and_then(|manifest| {
                let bytes = manifest.read_component()?;
                Ok((manifest, bytes))
            });
            entries.push(Entry {
                origin: Origin::File(path),
                plugin,
            });
        }
    }
    Ok(entries)
}

/// Builds a host with the rule sets and every valid plugin of the
/// catalogue. Plugins that fail to load are skipped with a warning, so that
/// one broken third-party plugin does not take the others down.
pub fn host(settings: &Settings) -> anyhow::Result<Host> {
    let rules = load_rules(settings)?;
    let mut extra_root_certificates = Vec::new();
    for path in &settings.extra_root_certificates {
        extra_root_certificates.push(
            std::fs::read(path)
                .with_context(|| format!("failed to read root certificate {}", path.display()))?,
        );
    }
    let host = Host::new(HostConfig {
        cache_dir: settings.cache_dir.clone(),
        plugin_config: settings.plugin_config.clone(),
        rules: Some(Arc::new(RulesAdapter(rules))),
        extra_root_certificates,
        reference: Some(Arc::new(
            crate::reference::StoreReader::start(settings.data_dir.clone())
                .context("failed to start the reference store reader")?,
        )),
    })?;

    for entry in entries(settings)? {
        let loaded = entry
            .plugin
            .map_err(anyhow::Error::from)
            .and_then(|(manifest, bytes)| host.load(manifest, &bytes).map_err(anyhow::Error::from));
        if let Err(error) = loaded {
            tracing::warn!(origin = %entry.origin.describe(), "plugin skipped: {error:#}");
        }
    }
    Ok(host)
}

/// Loads the user's rules folder when configured, else the embedded sets.
pub fn load_rules(settings: &Settings) -> anyhow::Result<mediflux_rules::Rules> {
    mediflux_rules::Rules::load(settings.rules_dir.as_deref()).map_err(|error| {
        match &settings.rules_dir {
            Some(dir) => anyhow::anyhow!("rules folder {} is invalid: {error}", dir.display()),
            None => anyhow::anyhow!("the embedded rule sets are invalid: {error}"),
        }
    })
}

/// Serves the `rules` host service from the loaded rule sets.
struct RulesAdapter(mediflux_rules::Rules);

impl RuleProvider for RulesAdapter {
    fn value_at(&self, name: &str, date: Date) -> Result<RuleEntry, String> {
        let day =
            mediflux_rules::Date::new(date.year.into(), date.month, date.day).ok_or_else(|| {
                format!(
                    "{}-{:02}-{:02} is not a valid date",
                    date.year, date.month, date.day
                )
            })?;
        let found = self
            .0
            .value_at(name, day)
            .map_err(|error| error.to_string())?;

        let unsigned = |value: i64| {
            u32::try_from(value)
                .map_err(|_| format!("rule {name} has value {value}, outside the SDK range"))
        };
        let value = match found.value {
            mediflux_rules::Value::Cents(cents) => RuleValue::Cents(cents),
            mediflux_rules::Value::BasisPoints(points) => RuleValue::BasisPoints(unsigned(points)?),
            mediflux_rules::Value::Count(count) => RuleValue::Count(unsigned(count)?),
            mediflux_rules::Value::Years(years) => RuleValue::Years(unsigned(years)?),
            mediflux_rules::Value::Months(months) => RuleValue::Months(unsigned(months)?),
            mediflux_rules::Value::Days(days) => RuleValue::Days(unsigned(days)?),
            mediflux_rules::Value::Flag(flag) => RuleValue::Flag(flag),
        };
        let effective = found.effective_date;
        Ok(RuleEntry {
            name: found.name.clone(),
            value,
            effective: Date {
                year: u16::try_from(effective.year()).unwrap_or_default(),
                month: effective.month(),
                day: effective.day(),
            },
            source_id: found.source.id.clone(),
            source_title: found.source.title.clone(),
            to_confirm: found.is_to_confirm(),
        })
    }
}
