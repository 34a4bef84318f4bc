//! The error type of manifest loading.

use std::path::PathBuf;

/// Why a manifest was rejected.
///
/// Every variant names the manifest file; most also name the key and say
/// what to change.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The manifest file could not be read.
    #[error("failed to read manifest {path}")]
    Read {
        /// Manifest path.
        path: PathBuf,
        /// Underlying I/O error.
        source: std::io::Error,
    },

    /// The file is not valid TOML, has an unknown key, or a value of the
    /// wrong type.
    #[error("invalid manifest {path}{}: {message}", line.map(|line| format!(":{line}")).unwrap_or_default())]
    Syntax {
        /// Manifest path.
        path: PathBuf,
        /// 1-based line of the offending key, when known.
        line: Option<usize>,
        /// Parser message, which names the key and the expected keys.
        message: String,
    },

    /// A value is well-formed TOML but breaks a manifest rule.
    #[error("invalid manifest {path}: key `{key}`: {problem}; {fix}")]
    Invalid {
        /// Manifest path.
        path: PathBuf,
        /// Dotted key, such as `limits.memory_mib`.
        key: String,
        /// Problem found in the value.
        problem: String,
        /// Change that fixes the problem.
        fix: String,
    },

    /// The component file named by `component.file` does not exist.
    #[error(
        "manifest {path}: component file {file} (key `component.file`) not found; \
         build the plugin for wasm32-wasip2 and copy the .wasm next to the manifest"
    )]
    MissingComponent {
        /// Manifest path.
        path: PathBuf,
        /// Resolved component path.
        file: PathBuf,
    },

    /// The component file's SHA-256 differs from `component.sha256`.
    #[error(
        "manifest {path}: sha256 of {file} is {actual}, but key `component.sha256` says {expected}; \
         if you rebuilt the plugin on purpose, set sha256 = \"{actual}\", otherwise reinstall it"
    )]
    HashMismatch {
        /// Manifest path.
        path: PathBuf,
        /// Component path.
        file: PathBuf,
        /// Hash written in the manifest.
        expected: String,
        /// Hash of the file on disk.
        actual: String,
    },

    /// The plugin requires an SDK version this host does not provide.
    #[error(
        "manifest {path}: key `sdk` requires SDK {required}, but this host supports {supported}; \
         rebuild the plugin with a supported mediflux-plugin-sdk or upgrade Mediflux"
    )]
    IncompatibleSdk {
        /// Manifest path.
        path: PathBuf,
        /// Requirement written in the manifest.
        required: String,
        /// Versions this host supports, comma-separated.
        supported: String,
    },
}
