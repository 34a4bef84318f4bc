//! Settings: built-in defaults, then the configuration file, then
//! environment variables, then command-line flags, each overriding the last.
//!
//! The configuration file is `config.toml` in the platform's configuration
//! folder (`~/.config/mediflux/` on Linux) unless `--config` or
//! `MEDIFLUX_CONFIG` names another. Every key is optional:
//!
//! ```toml
//! data_dir = "/home/me/mediflux"     # MEDIFLUX_DATA_DIR
//! cache_dir = "/home/me/.cache/mf"   # MEDIFLUX_CACHE_DIR
//! plugins_dir = "/home/me/plugins"   # MEDIFLUX_PLUGINS_DIR
//! rules_dir = "/home/me/rules/fr"    # MEDIFLUX_RULES_DIR
//! offline = true                     # MEDIFLUX_OFFLINE=1, or ask --offline
//!
//! [http]
//! extra_root_certificates = ["/etc/ssl/my-proxy.pem"]
//!
//! [model]                            # local model for questions the rules leave open
//! path = "/models/mixtral.gguf"      # MEDIFLUX_MODEL
//! threads = 4                        # MEDIFLUX_MODEL_THREADS
//! min_probability = 0.3              # below it, the model's intent is not used
//!
//! [plugins.template]                 # configuration of plugin `template`
//! some_key = "value"
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;

/// The configuration file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    data_dir: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    plugins_dir: Option<PathBuf>,
    rules_dir: Option<PathBuf>,
    offline: Option<bool>,
    #[serde(default)]
    http: HttpSection,
    #[serde(default)]
    model: ModelSection,
    #[serde(default)]
    plugins: HashMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpSection {
    #[serde(default)]
    extra_root_certificates: Vec<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelSection {
    path: Option<PathBuf>,
    threads: Option<u32>,
    min_probability: Option<f32>,
}

/// File name of the default local model, looked up in `<data_dir>/models/`:
/// Mixtral 8x7B Instruct v0.1, quantised Q4_K_M.
pub const DEFAULT_MODEL_FILE: &str = "mixtral-8x7b-instruct-v0.1.Q4_K_M.gguf";

/// Resolved settings for one run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder for Mediflux data.
    pub data_dir: PathBuf,
    /// Folder for compiled plugins and plugin caches.
    pub cache_dir: PathBuf,
    /// Folder scanned for third-party plugin manifests.
    pub plugins_dir: PathBuf,
    /// Rule-set folder replacing the embedded rule sets, when set.
    pub rules_dir: Option<PathBuf>,
    /// Whether `ask` must not download the BDPM when a medicine question
    /// finds no medicine data installed.
    pub offline: bool,
    /// GGUF file of the local model; by default [`DEFAULT_MODEL_FILE`] in
    /// `<data_dir>/models/`, which may not exist.
    pub model_path: PathBuf,
    /// Whether `model_path` was set by the configuration file or the environment.
    pub model_configured: bool,
    /// CPU threads of the local model, when set.
    pub model_threads: Option<u32>,
    /// Minimum probability of the model's intent, when set.
    pub model_min_probability: Option<f32>,
    /// Extra root certificates for plugin HTTPS, in PEM.
    pub extra_root_certificates: Vec<PathBuf>,
    /// Plugin configuration overrides, by plugin id.
    pub plugin_config: HashMap<String, BTreeMap<String, String>>,
}

impl Settings {
    /// Resolves the settings from `config_path` (or the default file),
    /// the environment and the `--data-dir` flag.
    pub fn resolve(
        config_path: Option<&Path>,
        data_dir_flag: Option<&Path>,
    ) -> anyhow::Result<Self> {
        let project = directories::ProjectDirs::from("fr", "Mediflux", "mediflux");
        let default_config = project
            .as_ref()
            .map(|dirs| dirs.config_dir().join("config.toml"));
        let file = match (config_path, default_config) {
            (Some(path), _) => read_config(path, true)?,
            (None, Some(path)) => read_config(&path, false)?,
            (None, None) => ConfigFile::default(),
        };

        let env_path = |name: &str| {
            std::env::var_os(name)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from)
        };
        let data_dir_override = data_dir_flag
            .map(Path::to_path_buf)
            .or_else(|| env_path("MEDIFLUX_DATA_DIR"))
            .or(file.data_dir);
        let data_dir = match &data_dir_override {
            Some(dir) => dir.clone(),
            None => project
                .as_ref()
                .map(|dirs| dirs.data_dir().to_path_buf())
                .context("no home folder found; pass --data-dir or set MEDIFLUX_DATA_DIR")?,
        };
        let data_dir = absolute(&data_dir)?;

        // With an explicit data folder, everything stays inside it, so that
        // one folder holds a whole installation.
        let cache_default = match (&data_dir_override, &project) {
            (None, Some(dirs)) => dirs.cache_dir().to_path_buf(),
            _ => data_dir.join("cache"),
        };
        let cache_dir = absolute(
            &env_path("MEDIFLUX_CACHE_DIR")
                .or(file.cache_dir)
                .unwrap_or(cache_default),
        )?;
        let plugins_dir = env_path("MEDIFLUX_PLUGINS_DIR")
            .or(file.plugins_dir)
            .unwrap_or_else(|| data_dir.join("plugins"));
        let rules_dir = env_path("MEDIFLUX_RULES_DIR").or(file.rules_dir);
        let configured_model = env_path("MEDIFLUX_MODEL").or(file.model.path);
        let model_configured = configured_model.is_some();
        let model_path =
            configured_model.unwrap_or_else(|| data_dir.join("models").join(DEFAULT_MODEL_FILE));
        let model_threads = match std::env::var("MEDIFLUX_MODEL_THREADS") {
            Ok(value) if !value.trim().is_empty() => Some(value.trim().parse().map_err(|_| {
                anyhow::anyhow!(
                    "invalid MEDIFLUX_MODEL_THREADS value {value:?}: use a number of threads from 1 to 256"
                )
            })?),
            _ => file.model.threads,
        };
        let offline = match std::env::var("MEDIFLUX_OFFLINE") {
            Ok(value) => parse_flag("MEDIFLUX_OFFLINE", &value)?,
            Err(_) => file.offline.unwrap_or(false),
        };

        Ok(Self {
            data_dir,
            cache_dir,
            plugins_dir,
            rules_dir,
            offline,
            model_path,
            model_configured,
            model_threads,
            model_min_probability: file.model.min_probability,
            extra_root_certificates: file.http.extra_root_certificates,
            plugin_config: file.plugins,
        })
    }
}

fn read_config(path: &Path, required: bool) -> anyhow::Result<ConfigFile> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(ConfigFile::default());
        }
        Err(error) => {
            return Err(error)
                .with_context(|| format!("failed to read configuration file {}", path.display()));
        }
    };
    toml::from_str(&text).map_err(|error| {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1)
            .map(|line| format!(":{line}"))
            .unwrap_or_default();
        anyhow::anyhow!(
            "invalid configuration file {}{line}: {}; valid keys are data_dir, cache_dir, plugins_dir, rules_dir, offline, [http], [model] and [plugins.<id>]",
            path.display(),
            error.message().trim_end()
        )
    })
}

/// Reads a yes-or-no environment variable: `1`, `true` or `yes`, or `0`,
/// `false`, `no` or empty.
fn parse_flag(name: &str, value: &str) -> anyhow::Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "" | "0" | "false" | "no" => Ok(false),
        _ => anyhow::bail!("invalid {name} value {value:?}: use 1 (on) or 0 (off)"),
    }
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    std::path::absolute(path)
        .with_context(|| format!("failed to resolve folder {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_unknown_key_names_line() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "data_dir = \"/tmp/x\"\ndatadir = \"/tmp/y\"\n").expect("write");
        let error = read_config(&path, true)
            .expect_err("unknown key")
            .to_string();
        assert!(error.contains("config.toml:2"), "{error}");
        assert!(error.contains("datadir"), "{error}");
    }

    #[test]
    fn offline_flag_values() {
        assert!(parse_flag("MEDIFLUX_OFFLINE", "1").expect("1"));
        assert!(parse_flag("MEDIFLUX_OFFLINE", "True").expect("True"));
        assert!(!parse_flag("MEDIFLUX_OFFLINE", "0").expect("0"));
        assert!(!parse_flag("MEDIFLUX_OFFLINE", "").expect("empty"));
        let error = parse_flag("MEDIFLUX_OFFLINE", "peut-être")
            .expect_err("not a flag")
            .to_string();
        assert!(error.contains("\"peut-être\""), "{error}");
        assert!(error.contains("use 1 (on) or 0 (off)"), "{error}");
    }

    #[test]
    fn model_section_sets_path_and_threads() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            "[model]\npath = \"/models/gemma.gguf\"\nthreads = 3\n",
        )
        .expect("write");

        let settings = Settings::resolve(Some(&config), Some(dir.path())).expect("settings");

        if std::env::var_os("MEDIFLUX_MODEL").is_none() {
            assert_eq!(settings.model_path, Path::new("/models/gemma.gguf"));
            assert!(settings.model_configured);
        }
        if std::env::var_os("MEDIFLUX_MODEL_THREADS").is_none() {
            assert_eq!(settings.model_threads, Some(3));
        }
    }

    #[test]
    fn model_defaults_to_mixtral_in_data_dir() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let config = dir.path().join("empty.toml");
        std::fs::write(&config, "").expect("write");

        let settings = Settings::resolve(Some(&config), Some(dir.path())).expect("settings");

        if std::env::var_os("MEDIFLUX_MODEL").is_none() {
            assert_eq!(
                settings.model_path,
                dir.path().join("models").join(DEFAULT_MODEL_FILE)
            );
            assert!(!settings.model_configured);
        }
    }

    #[test]
    fn explicit_missing_config_is_an_error() {
        let error =
            read_config(Path::new("/nonexistent/mediflux.toml"), true).expect_err("missing");
        assert!(
            error.to_string().contains("/nonexistent/mediflux.toml"),
            "{error}"
        );
    }

    #[test]
    fn data_dir_flag_keeps_cache_inside() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let config = dir.path().join("empty.toml");
        std::fs::write(&config, "").expect("write");
        let settings = Settings::resolve(Some(&config), Some(dir.path())).expect("settings");
        assert_eq!(settings.data_dir, dir.path());
        assert_eq!(settings.plugins_dir, dir.path().join("plugins"));
        assert!(
            settings.cache_dir.starts_with(dir.path())
                || std::env::var_os("MEDIFLUX_CACHE_DIR").is_some()
        );
    }
}
