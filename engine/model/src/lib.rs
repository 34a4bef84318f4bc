//! Model layer of Mediflux query routing: a local GGUF model, run through
//! llama.cpp, decides the questions that the rules layer leaves open.
//!
//! The pieces, in the order a question meets them:
//!
//! - [`Catalog`]: the intents and slots of the loaded plugin manifests,
//!   with the canonical values of the enumerated slots. The prompt, the
//!   grammar and the validation are all generated from it, so a third-party
//!   intent plugin reaches the model with no change to the host.
//! - [`Prompt`]: the fixed instructions and examples (the prefix, decoded
//!   once per process and kept in the KV cache) and the question (the
//!   suffix), laid out with the chat template read from the GGUF metadata,
//!   or Mixtral's `[INST]` format when the file has none.
//! - [`grammar::gbnf`]: a GBNF grammar that only admits
//!   `{"intent":"<id>","slots":{…}}` objects naming a loaded intent and its
//!   declared slots, with every repetition bounded, so that even a weak
//!   model stops after a known number of tokens.
//! - [`parse_output`]: strict UTF-8 and JSON decoding of what the model
//!   wrote, checked against the catalog again.
//! - `LocalModel` (cargo feature `llama`, on by default): loads the model
//!   once per process and decodes greedily under the grammar.
//! - [`Cascade`]: rules first, the model below the rules' threshold, and a
//!   French list of what Mediflux can do when neither decides.
//!
//! Without the `llama` feature everything but `LocalModel` still builds, and
//! [`Cascade`] answers every undecided question with the capability list.

mod cascade;
mod catalog;
mod error;
pub mod grammar;
#[cfg(feature = "llama")]
mod lazy;
#[cfg(feature = "llama")]
mod llama;
mod output;
mod prompt;

pub use cascade::{
    Cascade, DEFAULT_MIN_PROBABILITY, FALLBACK_LAYER, IntentModel, MODEL_LAYER, Routed,
    capabilities_fr,
};
pub use catalog::{Catalog, INTERNAL_SLOTS, IntentSpec};
pub use error::ModelError;
#[cfg(feature = "llama")]
pub use lazy::LazyModel;
#[cfg(feature = "llama")]
pub use llama::{LocalModel, ModelConfig, Timings};
pub use output::{ModelOutput, parse_output};
pub use prompt::{ChatFormat, Prompt};

/// Whether this build includes the llama.cpp backend (cargo feature `llama`).
pub const LLAMA_ENABLED: bool = cfg!(feature = "llama");
