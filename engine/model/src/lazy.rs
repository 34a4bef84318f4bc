//! A local model loaded on the first question the rules leave open.
//!
//! Loading a GGUF file takes from one second (a small model) to a minute
//! (Mixtral from a cold disk), so a command whose questions the rules
//! decide never pays for it.

use std::collections::{BTreeMap, HashMap};

use crate::cascade::IntentModel;
use crate::catalog::Catalog;
use crate::error::ModelError;
use crate::llama::{LocalModel, ModelConfig};
use crate::output::ModelOutput;

/// A [`LocalModel`] that loads itself on its first [`IntentModel::decide`].
#[derive(Debug)]
pub struct LazyModel {
    state: State,
}

#[derive(Debug)]
enum State {
    Pending {
        config: ModelConfig,
        catalog: Catalog,
        annotations: HashMap<String, BTreeMap<String, String>>,
    },
    Loaded(Box<LocalModel>),
    Failed(String),
    Loading,
}

impl LazyModel {
    /// Prepares to load the model of `config` for `catalog`. `annotations`
    /// gives the slots of each example question of the catalog, as the
    /// rules extract them.
    pub fn new(
        config: ModelConfig,
        catalog: Catalog,
        annotations: HashMap<String, BTreeMap<String, String>>,
    ) -> Self {
        Self {
            state: State::Pending {
                config,
                catalog,
                annotations,
            },
        }
    }

    /// The loaded model, loading it first if needed.
    pub fn get(&mut self) -> Result<&mut LocalModel, ModelError> {
        if matches!(self.state, State::Pending { .. }) {
            let State::Pending {
                config,
                catalog,
                annotations,
            } = std::mem::replace(&mut self.state, State::Loading)
            else {
                unreachable!("state checked just above");
            };
            let annotate = |question: &str| annotations.get(question).cloned().unwrap_or_default();
            self.state = match LocalModel::load(config, catalog, annotate) {
                Ok(model) => State::Loaded(Box::new(model)),
                Err(error) => State::Failed(error.to_string()),
            };
        }
        match &mut self.state {
            State::Loaded(model) => Ok(model),
            State::Failed(reason) => Err(ModelError::Unavailable(reason.clone())),
            State::Pending { .. } | State::Loading => Err(ModelError::Unavailable(
                "the model failed while loading".to_owned(),
            )),
        }
    }
}

impl IntentModel for LazyModel {
    fn decide(&mut self, question: &str) -> Result<(ModelOutput, f32), ModelError> {
        self.get()?.decide(question)
    }
}
