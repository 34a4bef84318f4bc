//! Rules first, then the local model, then a list of what Mediflux can do.

use std::fmt::Write as _;
use std::time::Instant;

use mediflux_router::{Date, Decision, PreviousTurn, Router};

use crate::catalog::Catalog;
use crate::error::ModelError;
use crate::output::ModelOutput;

/// Name of the model layer, as written in [`Decision::layer`].
pub const MODEL_LAYER: &str = "model";

/// Layer named in [`Decision::layer`] when neither the rules nor the model
/// decided: the caller answers with [`capabilities_fr`].
pub const FALLBACK_LAYER: &str = "fallback";

/// Default minimum probability the model must give its intent for the
/// cascade to route there; below it the question gets the capability list.
///
/// Measured on 2026-12-04 with Gemma 3 270M (a base model) on the shared and
/// held-out question sets: each of its wrong intents had a probability of
/// 0.28 or less, and routing them did worse than the capability list.
pub const DEFAULT_MIN_PROBABILITY: f32 = 0.3;

/// A model that picks an intent and slots for a question.
///
/// `LocalModel` is the real one; tests can pass their own.
pub trait IntentModel {
    /// Decides the intent and slots of `question`, with the probability the
    /// model gave its choice of intent.
    fn decide(&mut self, question: &str) -> Result<(ModelOutput, f32), ModelError>;
}

/// The routing decision of a [`Cascade`].
#[derive(Debug)]
pub struct Routed {
    /// The decision; its `layer` is `rules`, `model` or `fallback`.
    pub decision: Decision,
    /// Error that kept the model from deciding, when it was asked and failed.
    pub model_error: Option<ModelError>,
    /// Intent the model chose with a probability below the cascade's
    /// minimum, with that probability, when it was turned down.
    pub unsure: Option<(String, f32)>,
}

/// Routes questions with the rules layer, and with the local model when the
/// rules leave a question undecided.
pub struct Cascade {
    router: Router,
    catalog: Catalog,
    model: Option<Box<dyn IntentModel>>,
    min_probability: f32,
}

impl std::fmt::Debug for Cascade {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Cascade")
            .field("intents", &self.catalog.intents().len())
            .field("model", &self.model.is_some())
            .finish_non_exhaustive()
    }
}

impl Cascade {
    /// Builds a cascade; with `model` set to `None` it routes with the rules
    /// alone and falls back to the capability list.
    pub fn new(router: Router, catalog: Catalog, model: Option<Box<dyn IntentModel>>) -> Self {
        Self {
            router,
            catalog,
            model,
            min_probability: DEFAULT_MIN_PROBABILITY,
        }
    }

    /// Sets the minimum probability of the model's intent, from 0 to 1
    /// ([`DEFAULT_MIN_PROBABILITY`] unless set).
    pub fn with_min_probability(mut self, min_probability: f32) -> Self {
        self.min_probability = min_probability.clamp(0.0, 1.0);
        self
    }

    /// The rules layer.
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// The intents the cascade routes to.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Whether a local model is loaded.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// Routes `question`, resolving relative dates against `today`.
    ///
    /// A model decision's confidence is the probability the model gave its
    /// intent, under the grammar, and its margin that probability's lead
    /// over all other intents together.
    ///
    /// The rules decide when their confidence reaches the threshold. Below
    /// it, the model chooses the intent. The slots then come from the rules
    /// where they found one, because their values are canonical, and from
    /// the model for the others.
    pub fn route(
        &mut self,
        question: &str,
        previous: Option<&PreviousTurn>,
        today: Date,
    ) -> Routed {
        let rules = self.router.route_on(question, previous, today);
        if rules.intent.is_some() {
            return Routed {
                decision: rules,
                model_error: None,
                unsure: None,
            };
        }
        let Some(model) = self.model.as_mut() else {
            tracing::debug!(
                confidence = rules.confidence,
                "rules undecided and no model loaded"
            );
            return fallback(rules, None);
        };

        let started = Instant::now();
        let result = model.decide(question);
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok((
                ModelOutput {
                    intent: Some(intent),
                    ..
                },
                probability,
            )) if probability < self.min_probability => {
                tracing::debug!(
                    elapsed_ms,
                    probability,
                    min_probability = self.min_probability,
                    "model unsure of its intent; returning the capability list"
                );
                Routed {
                    unsure: Some((intent, probability)),
                    ..fallback(rules, None)
                }
            }
            Ok((
                ModelOutput {
                    intent: Some(intent),
                    slots,
                },
                probability,
            )) => {
                let spec = self
                    .catalog
                    .intent(&intent)
                    .expect("parse_output only returns catalog intents");
                tracing::debug!(
                    elapsed_ms,
                    probability,
                    slots = slots.len(),
                    "model decided"
                );
                let mut merged: std::collections::BTreeMap<String, String> = rules
                    .slots
                    .into_iter()
                    .filter(|(slot, _)| spec.slots.contains(slot))
                    .collect();
                for (slot, value) in slots {
                    merged.entry(slot).or_insert(value);
                }
                Routed {
                    decision: Decision {
                        intent: Some(spec.id.clone()),
                        plugin: Some(spec.plugin.clone()),
                        slots: merged,
                        confidence: probability,
                        // Lead of the chosen intent over all the others
                        // together, from the model's probability.
                        margin: (2.0 * probability - 1.0).max(0.0),
                        layer: MODEL_LAYER,
                    },
                    model_error: None,
                    unsure: None,
                }
            }
            Ok((ModelOutput { intent: None, .. }, _)) => {
                tracing::debug!(elapsed_ms, "model found no intent");
                fallback(rules, None)
            }
            Err(error) => {
                tracing::warn!(elapsed_ms, %error, "model routing failed; returning the capability list");
                fallback(rules, Some(error))
            }
        }
    }
}

fn fallback(rules: Decision, model_error: Option<ModelError>) -> Routed {
    Routed {
        decision: Decision {
            layer: FALLBACK_LAYER,
            ..rules
        },
        model_error,
        unsure: None,
    }
}

/// Writes, in French, what Mediflux can do: one example question for each
/// loaded intent, for a question that no layer could route.
pub fn capabilities_fr(catalog: &Catalog) -> String {
    let mut text = String::from(
        "Je n\u{2019}ai pas compris votre question. Voici ce que Mediflux sait faire\u{202f}; \
         vous pouvez par exemple demander\u{a0}:\n",
    );
    for intent in catalog.intents() {
        if let Some(example) = intent.examples.first() {
            let _ = writeln!(text, "  \u{2022} «\u{a0}{example}\u{a0}»");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use mediflux_manifest::{Intent, RoutingRule};

    use super::*;

    fn intents() -> Vec<(String, Intent)> {
        let intent = |id: &str, word: &str, slots: &[&str], example: &str| Intent {
            id: id.to_owned(),
            description: String::new(),
            examples: vec![example.to_owned()],
            slots: slots.iter().map(|slot| (*slot).to_owned()).collect(),
            rules: vec![RoutingRule {
                any: vec![word.to_owned()],
                all: vec![],
                slots: vec![],
                weight: 3.0,
            }],
        };
        vec![
            (
                "cost".to_owned(),
                intent(
                    "cost.consultation",
                    "combien",
                    &["specialty", "amount"],
                    "Combien coûte une consultation ?",
                ),
            ),
            (
                "annuaire".to_owned(),
                intent(
                    "practitioner.search",
                    "trouver",
                    &["specialty", "location"],
                    "Trouver un cardiologue à Paris",
                ),
            ),
        ]
    }

    fn cascade(model: Option<Box<dyn IntentModel>>) -> Cascade {
        let router = Router::new(intents(), Vec::<String>::new()).unwrap();
        let catalog = Catalog::from_manifest_intents(intents()).unwrap();
        Cascade::new(router, catalog, model)
    }

    struct Scripted(Result<(ModelOutput, f32), ModelError>, usize);

    impl IntentModel for Scripted {
        fn decide(&mut self, _question: &str) -> Result<(ModelOutput, f32), ModelError> {
            self.1 += 1;
            match &self.0 {
                Ok(output) => Ok(output.clone()),
                Err(_) => Err(ModelError::Incomplete { tokens: 7 }),
            }
        }
    }

    fn today() -> Date {
        Date::new(2026, 12, 4).unwrap()
    }

    #[test]
    fn rules_decide_without_model() {
        let mut cascade = cascade(None);

        let routed = cascade.route("Combien coûte un cardiologue ?", None, today());

        assert_eq!(routed.decision.layer, "rules");
        assert_eq!(routed.decision.intent.as_deref(), Some("cost.consultation"));
    }

    #[test]
    fn no_model_falls_back() {
        let mut cascade = cascade(None);

        let routed = cascade.route("Un cardiologue près de Lyon", None, today());

        assert_eq!(routed.decision.layer, FALLBACK_LAYER);
        assert_eq!(routed.decision.intent, None);
        assert_eq!(routed.decision.slots["specialty"], "cardiologue");
        assert!(routed.model_error.is_none());
    }

    #[test]
    fn model_decides_and_rules_slots_win() {
        let output = ModelOutput {
            intent: Some("practitioner.search".to_owned()),
            slots: BTreeMap::from([
                ("specialty".to_owned(), "dermatologue".to_owned()),
                ("location".to_owned(), "Lyon".to_owned()),
            ]),
        };
        let mut cascade = cascade(Some(Box::new(Scripted(Ok((output, 0.8)), 0))));

        let routed = cascade.route("Un cardiologue près de chez moi", None, today());

        assert_eq!(routed.decision.layer, MODEL_LAYER);
        assert_eq!(
            routed.decision.intent.as_deref(),
            Some("practitioner.search")
        );
        assert_eq!(routed.decision.plugin.as_deref(), Some("annuaire"));
        assert_eq!(routed.decision.slots["specialty"], "cardiologue");
        assert_eq!(routed.decision.slots["location"], "Lyon");
        assert_eq!(routed.decision.confidence, 0.8);
        assert!((routed.decision.margin - 0.6).abs() < 1e-6);
    }

    #[test]
    fn unsure_model_falls_back() {
        let output = ModelOutput {
            intent: Some("practitioner.search".to_owned()),
            slots: BTreeMap::new(),
        };
        let mut cascade = cascade(Some(Box::new(Scripted(Ok((output, 0.2)), 0))));

        let routed = cascade.route("Un cardiologue près de chez moi", None, today());

        assert_eq!(routed.decision.layer, FALLBACK_LAYER);
        assert!(routed.model_error.is_none());
        assert_eq!(routed.unsure, Some(("practitioner.search".to_owned(), 0.2)));
    }

    #[test]
    fn lower_threshold_accepts_unsure_model() {
        let output = ModelOutput {
            intent: Some("practitioner.search".to_owned()),
            slots: BTreeMap::new(),
        };
        let mut cascade =
            cascade(Some(Box::new(Scripted(Ok((output, 0.2)), 0)))).with_min_probability(0.1);

        let routed = cascade.route("Un cardiologue près de chez moi", None, today());

        assert_eq!(routed.decision.layer, MODEL_LAYER);
    }

    #[test]
    fn model_failure_falls_back_with_error() {
        let mut cascade = cascade(Some(Box::new(Scripted(Err(ModelError::Disabled), 0))));

        let routed = cascade.route("Bonjour", None, today());

        assert_eq!(routed.decision.layer, FALLBACK_LAYER);
        assert!(matches!(
            routed.model_error,
            Some(ModelError::Incomplete { tokens: 7 })
        ));
    }

    #[test]
    fn model_none_falls_back() {
        let output = ModelOutput {
            intent: None,
            slots: BTreeMap::new(),
        };
        let mut cascade = cascade(Some(Box::new(Scripted(Ok((output, 0.9)), 0))));

        let routed = cascade.route("Quel temps fait-il ?", None, today());

        assert_eq!(routed.decision.layer, FALLBACK_LAYER);
        assert!(routed.model_error.is_none());
    }

    #[test]
    fn capabilities_list_one_example_per_intent() {
        let catalog = Catalog::from_manifest_intents(intents()).unwrap();

        let text = capabilities_fr(&catalog);

        assert!(text.starts_with("Je n\u{2019}ai pas compris"));
        assert!(text.contains("«\u{a0}Combien coûte une consultation ?\u{a0}»"));
        assert!(text.contains("«\u{a0}Trouver un cardiologue à Paris\u{a0}»"));
    }
}
