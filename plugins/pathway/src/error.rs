//! Errors of the pathway plugin.

/// An error that stops the plugin from answering.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathwayError {
    /// The pathway data is not valid TOML or does not follow the schema.
    #[error("invalid pathway data: {message}")]
    InvalidData {
        /// The TOML parser's message, with the line and the key.
        message: String,
    },

    /// The pathway data parses but breaks a rule of the schema.
    #[error("invalid pathway data at {place}: {problem}")]
    Check {
        /// Location of the problem, such as `conditions.asthme.steps[2]`.
        place: String,
        /// The problem and its fix.
        problem: String,
    },

    /// The host routed an intent this plugin does not handle.
    #[error("unknown intent `{intent}`: this plugin handles only `care.pathway`")]
    UnknownIntent {
        /// The intent id received.
        intent: String,
    },
}

impl PathwayError {
    /// Returns the stable error code for the plugin error record.
    pub fn code(&self) -> &'static str {
        match self {
            PathwayError::InvalidData { .. } | PathwayError::Check { .. } => "invalid-pathways",
            PathwayError::UnknownIntent { .. } => "unknown-intent",
        }
    }
}
