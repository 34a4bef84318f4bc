//! Errors of router construction and evaluation.

use std::path::PathBuf;

/// An error building a router or reading an evaluation set.
#[derive(Debug, thiserror::Error)]
pub enum RouterError {
    /// Two plugins, or one plugin twice, declare the same intent id.
    #[error(
        "intent `{intent}` is declared by both plugin `{first}` and plugin `{second}`; intent ids must be unique across loaded plugins"
    )]
    DuplicateIntent {
        /// The intent id.
        intent: String,
        /// Plugin that declared it first.
        first: String,
        /// Plugin that declared it again.
        second: String,
    },

    /// A routing rule cannot be compiled.
    #[error("invalid routing rule {rule} of intent `{intent}` (plugin `{plugin}`): {reason}")]
    InvalidRule {
        /// Plugin owning the intent.
        plugin: String,
        /// Intent id.
        intent: String,
        /// Index of the rule in the intent's `rules`, from 0.
        rule: usize,
        /// Reason for the rejection, with the fix.
        reason: String,
    },

    /// The confidence threshold is not between 0 and 1.
    #[error("invalid confidence threshold {0}; use a value between 0 and 1")]
    InvalidThreshold(f32),

    /// An evaluation file could not be read.
    #[error("failed to read evaluation set {path}: {source}")]
    ReadEvaluation {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },

    /// A line of an evaluation set is malformed.
    #[error("invalid evaluation line {line}: {reason}")]
    InvalidEvaluationLine {
        /// Line number, from 1.
        line: usize,
        /// Reason the line is invalid.
        reason: String,
    },
}
