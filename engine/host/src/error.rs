//! Typed errors of the host engine.

use std::fmt;

/// Cause of a failed plugin call inside the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The plugin executed longer than `limits.cpu_ms`.
    CpuBudget {
        /// The budget, in milliseconds.
        limit_ms: u32,
    },
    /// The call ran longer than `limits.wall_ms`, host services included.
    WallTimeout {
        /// The limit, in milliseconds.
        limit_ms: u32,
    },
    /// The plugin tried to grow its memory past `limits.memory_mib`.
    MemoryCap {
        /// The cap, in MiB.
        limit_mib: u32,
    },
    /// The plugin overflowed its stack, typically by deep recursion.
    StackOverflow,
    /// The plugin trapped: a panic, an abort or an invalid operation.
    Trap(String),
    /// The plugin returned a result larger than `limits.result_bytes`.
    OversizedResult {
        /// Size of the result as counted by the host, in bytes.
        bytes: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The plugin returned an error of its own.
    Plugin {
        /// The plugin's error code.
        code: String,
        /// The plugin's message.
        message: String,
    },
    /// The host failed to run the call, for a reason other than the above.
    Host(String),
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CpuBudget { limit_ms } => {
                write!(
                    f,
                    "exceeded its CPU budget of {limit_ms} ms (limits.cpu_ms)"
                )
            }
            Self::WallTimeout { limit_ms } => {
                write!(f, "timed out after {limit_ms} ms (limits.wall_ms)")
            }
            Self::MemoryCap { limit_mib } => {
                write!(
                    f,
                    "exceeded its memory cap of {limit_mib} MiB (limits.memory_mib)"
                )
            }
            Self::StackOverflow => write!(f, "overflowed its stack (deep recursion)"),
            Self::Trap(detail) => write!(f, "trapped: {detail}"),
            Self::OversizedResult { bytes, limit } => write!(
                f,
                "returned {bytes} bytes, more than its limit of {limit} bytes (limits.result_bytes)"
            ),
            Self::Plugin { code, message } => write!(f, "returned error `{code}`: {message}"),
            Self::Host(detail) => write!(f, "could not be run: {detail}"),
        }
    }
}

/// An error of the host engine.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// A manifest was rejected.
    #[error(transparent)]
    Manifest(#[from] mediflux_manifest::ManifestError),

    /// The wasmtime engine could not be configured.
    #[error("failed to configure the WebAssembly engine: {0}")]
    Engine(String),

    /// The component could not be compiled or linked.
    #[error("plugin {id} {version}: failed to load component: {detail}")]
    Load {
        /// Plugin id.
        id: String,
        /// Plugin version.
        version: String,
        /// What failed.
        detail: String,
    },

    /// The component was built for an SDK version this host does not
    /// implement, or for the other plugin kind.
    #[error("plugin {id} {version}: {detail}")]
    Incompatible {
        /// Plugin id.
        id: String,
        /// Plugin version.
        version: String,
        /// Exports found and the exports the host expected.
        detail: String,
    },

    /// Two loaded plugins share an id or an intent.
    #[error("plugin {id}: {detail}")]
    Conflict {
        /// Plugin id.
        id: String,
        /// What conflicts.
        detail: String,
    },

    /// No loaded plugin has this id.
    #[error("no plugin `{id}` is loaded; run `mediflux plugins list` to see the loaded plugins")]
    UnknownPlugin {
        /// The requested id.
        id: String,
    },

    /// The plugin is of the other kind.
    #[error("plugin `{id}` is not a {expected} plugin")]
    WrongKind {
        /// Plugin id.
        id: String,
        /// Kind the caller needed.
        expected: &'static str,
    },

    /// A query does not match the operations declared in the manifest.
    #[error("plugin {id} {version}: invalid query: {detail}")]
    InvalidQuery {
        /// Plugin id.
        id: String,
        /// Plugin version.
        version: String,
        /// Problem found in the query.
        detail: String,
    },

    /// A plugin call failed; the host is unaffected.
    #[error("plugin {id} {version} {failure}")]
    PluginFailed {
        /// Plugin id.
        id: String,
        /// Plugin version.
        version: String,
        /// What happened.
        failure: FailureKind,
    },
}

impl HostError {
    /// Returns the sandbox failure, when this error is a failed plugin call.
    pub fn failure(&self) -> Option<&FailureKind> {
        match self {
            Self::PluginFailed { failure, .. } => Some(failure),
            _ => None,
        }
    }
}
