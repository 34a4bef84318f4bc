//! Errors of the model layer.

use std::path::PathBuf;

/// Errors from building the catalog, loading the model or decoding its answer.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// An intent or slot id contains characters the grammar cannot carry.
    #[error("invalid {what} id {id:?}: use lowercase ASCII letters, digits, '.', '_' and '-' only")]
    InvalidId {
        /// "intent" or "slot".
        what: &'static str,
        /// The id as declared.
        id: String,
    },
    /// The catalog has no intent, so the model has nothing to choose from.
    #[error("no intent is declared by the loaded plugins, so the model has nothing to route to")]
    EmptyCatalog,
    /// The model file does not exist or cannot be read.
    #[error(
        "model file {path} not found; set `model.path` in config.toml or MEDIFLUX_MODEL to a GGUF file"
    )]
    ModelNotFound {
        /// Path from the configuration.
        path: PathBuf,
    },
    /// The file does not start with the GGUF signature.
    #[error(
        "model file {path} is not a GGUF file (it does not start with \"GGUF\"); set `model.path` in config.toml or MEDIFLUX_MODEL to a .gguf file"
    )]
    NotGguf {
        /// Path of the file.
        path: PathBuf,
    },
    /// llama.cpp rejected the file or failed to set up a context.
    #[error("failed to load model {path}: {reason}")]
    Load {
        /// Path of the GGUF file.
        path: PathBuf,
        /// What llama.cpp reported.
        reason: String,
    },
    /// A thread count of zero or above the limit.
    #[error("invalid model thread count {0}: use a number from 1 to 256")]
    InvalidThreads(u32),
    /// llama.cpp rejected the generated grammar.
    #[error("llama.cpp rejected the routing grammar: {0}")]
    Grammar(String),
    /// Tokenising, decoding or sampling failed inside llama.cpp.
    #[error("model inference failed: {0}")]
    Inference(String),
    /// The prompt does not fit in the model's context window.
    #[error("the routing prompt needs {needed} tokens but the model's context holds {available}")]
    PromptTooLong {
        /// Tokens the prompt and answer need.
        needed: usize,
        /// Context size of the model.
        available: usize,
    },
    /// The model's output is not valid UTF-8 (a byte-fallback token split a character).
    #[error("the model's output is not valid UTF-8 at byte {0}")]
    InvalidUtf8(usize),
    /// The output stopped before the JSON object was complete.
    #[error("the model stopped after {tokens} tokens without completing its JSON answer")]
    Incomplete {
        /// Tokens generated.
        tokens: usize,
    },
    /// The output is JSON but names an unknown intent or slot, or a value
    /// outside an enumerated slot's canonical values.
    #[error("the model's answer is not a valid routing decision: {0}")]
    InvalidOutput(String),
    /// The model failed to load earlier in this process; the reason is kept.
    #[error("the local model is unavailable: {0}")]
    Unavailable(String),
    /// The llama.cpp backend is not compiled in.
    #[error("this build of Mediflux has no local model support (cargo feature `llama`)")]
    Disabled,
}
