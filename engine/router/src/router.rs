//! The router: question in, intent, plugin and slots out.

use std::collections::{BTreeMap, HashMap, HashSet};

use mediflux_manifest::Intent;

use crate::date::Date;
use crate::error::RouterError;
use crate::fuzzy::{Lexicon, WordSource};
use crate::medication::MedicationIndex;
use crate::normalize::tokenize;
use crate::rules::{IntentScore, RuleSet};
use crate::slots::{Question, SlotVocabulary, extract};
use crate::vocabulary::COMMON_WORDS;

/// Name of this routing layer, as written in [`Decision::layer`].
pub const RULES_LAYER: &str = "rules";

/// Confidence given to a follow-up that inherits the previous intent.
const FOLLOW_UP_CONFIDENCE: f32 = 0.7;

/// Maximum length of a question, in words, still read as a follow-up when it does not
/// start with a follow-up word such as "et".
const FOLLOW_UP_MAX_WORDS: usize = 6;

/// Words that open a follow-up question: "et avec une mutuelle ?".
const FOLLOW_UP_OPENERS: &[&str] = &[
    "et", "sinon", "plutot", "avec", "sans", "pour", "chez", "and", "what", "mais", "si",
];

/// Settings of a [`Router`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RouterConfig {
    /// Minimum confidence, from 0 to 1, for the router to name an intent;
    /// below it the decision has no intent and the next layer decides.
    pub threshold: f32,
}

impl Default for RouterConfig {
    /// Sets a threshold of 0.3, which a single matching rule of weight 1 passes
    /// (confidence 0.5) and a tie between two such rules does not (0.25).
    fn default() -> Self {
        Self { threshold: 0.3 }
    }
}

/// The intent and slots of the previous turn of a conversation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousTurn {
    /// Intent routed at the previous turn.
    pub intent: String,
    /// Slots of the previous turn, which a follow-up keeps unless it
    /// gives a new value.
    pub slots: BTreeMap<String, String>,
}

/// The router's decision for one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Routed intent id, or `None` when no rule matched or the confidence
    /// is below the threshold.
    pub intent: Option<String>,
    /// Id of the plugin that declared the intent.
    pub plugin: Option<String>,
    /// Extracted slots with canonical values. With an intent, only the
    /// slots that intent declares; without one, every slot found.
    pub slots: BTreeMap<String, String>,
    /// Confidence in the intent, from 0 to 1; for a decision without an
    /// intent, the confidence of the best candidate that was rejected.
    pub confidence: f32,
    /// Lead of the best intent's score over the runner-up's, as a fraction
    /// of the best score (1 when no other intent matched).
    pub margin: f32,
    /// Layer that decided: always [`RULES_LAYER`] here.
    pub layer: &'static str,
}

/// An intent the router can route to.
#[derive(Debug, Clone)]
struct Route {
    intent: String,
    plugin: String,
    slots: Vec<String>,
}

/// Routes French questions to intents with the rules of the loaded
/// manifests, and extracts their slots.
#[derive(Debug)]
pub struct Router {
    routes: Vec<Route>,
    route_by_intent: HashMap<String, usize>,
    rules: RuleSet,
    vocabulary: SlotVocabulary,
    medications: MedicationIndex,
    lexicon: Lexicon,
    common_words: HashSet<&'static str>,
    config: RouterConfig,
}

impl Router {
    /// Builds a router with the default configuration from intents, each
    /// with the id of the plugin that declares it, and from the names of
    /// known medicines (BDPM denominations or bare names).
    pub fn new<I, P, N, S>(intents: I, medication_names: N) -> Result<Self, RouterError>
    where
        I: IntoIterator<Item = (P, Intent)>,
        P: Into<String>,
        N: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self::with_config(intents, medication_names, RouterConfig::default())
    }

    /// Builds a router like [`Router::new`] with the given configuration.
    pub fn with_config<I, P, N, S>(
        intents: I,
        medication_names: N,
        config: RouterConfig,
    ) -> Result<Self, RouterError>
    where
        I: IntoIterator<Item = (P, Intent)>,
        P: Into<String>,
        N: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        if !(0.0..=1.0).contains(&config.threshold) {
            return Err(RouterError::InvalidThreshold(config.threshold));
        }

        let declared: Vec<(String, Intent)> = intents
            .into_iter()
            .map(|(plugin, intent)| (plugin.into(), intent))
            .collect();
        let mut routes = Vec::with_capacity(declared.len());
        let mut route_by_intent = HashMap::new();
        for (plugin, intent) in &declared {
            if let Some(&existing) = route_by_intent.get(&intent.id) {
                let first: &Route = &routes[existing];
                return Err(RouterError::DuplicateIntent {
                    intent: intent.id.clone(),
                    first: first.plugin.clone(),
                    second: plugin.clone(),
                });
            }
            route_by_intent.insert(intent.id.clone(), routes.len());
            routes.push(Route {
                intent: intent.id.clone(),
                plugin: plugin.clone(),
                slots: intent.slots.clone(),
            });
        }
        let pairs: Vec<(&str, &Intent)> = declared
            .iter()
            .map(|(plugin, intent)| (plugin.as_str(), intent))
            .collect();
        let rules = RuleSet::new(&pairs)?;

        let vocabulary = SlotVocabulary::new();
        let medications = MedicationIndex::new(medication_names);
        let common_words: HashSet<&'static str> = COMMON_WORDS.iter().copied().collect();

        let mut lexicon = Lexicon::default();
        for word in rules.words().chain(vocabulary.words()) {
            lexicon.insert(word, WordSource::Vocabulary);
        }
        for word in medications.standalone_words() {
            lexicon.insert(word, WordSource::Medication);
        }
        lexicon.build();

        Ok(Self {
            routes,
            route_by_intent,
            rules,
            vocabulary,
            medications,
            lexicon,
            common_words,
            config,
        })
    }

    /// Number of medicine names the router was built with.
    pub fn medication_name_count(&self) -> usize {
        self.medications.name_count()
    }

    /// Routes a question, resolving relative dates against today's date
    /// (UTC, from the system clock).
    pub fn route(&self, question: &str, context: Option<&PreviousTurn>) -> Decision {
        self.route_on(question, context, Date::today_utc())
    }

    /// Routes a question, resolving relative dates ("l'an dernier")
    /// against `today`.
    pub fn route_on(
        &self,
        question: &str,
        context: Option<&PreviousTurn>,
        today: Date,
    ) -> Decision {
        let tokens = tokenize(question);
        let words: Vec<&str> = tokens
            .iter()
            .map(|token| self.correct(&token.text))
            .collect();

        let parsed = Question {
            original: question,
            tokens: &tokens,
            words: &words,
            today,
        };
        let excluded =
            |word: &str| self.rules.contains_word(word) || self.common_words.contains(word);
        let slots = extract(&parsed, &self.vocabulary, &self.medications, &excluded);

        let scores = self.rules.score(&words, &slots);
        let (confidence, margin) = confidence_of(&scores);

        if let Some(previous) = context
            && let Some(decision) = self.follow_up(previous, &words, &scores, &slots, confidence)
        {
            return decision;
        }

        let best = scores
            .first()
            .filter(|_| confidence >= self.config.threshold);
        let Some(best) = best else {
            return Decision {
                intent: None,
                plugin: None,
                slots,
                confidence,
                margin,
                layer: RULES_LAYER,
            };
        };
        let route = &self.routes[best.intent];
        Decision {
            intent: Some(route.intent.clone()),
            plugin: Some(route.plugin.clone()),
            slots: keep_declared(slots, &route.slots),
            confidence,
            margin,
            layer: RULES_LAYER,
        }
    }

    /// Returns the previous intent with merged slots when the question only
    /// adds slots that the previous intent reads: no rule matched on its
    /// words, and it is short or opens with a follow-up word.
    ///
    /// A question with a slot that the previous intent does not declare,
    /// such as a specialty after a medicine question, starts a new topic.
    /// A question that routes to the previous intent by itself, such as a
    /// second profile statement, is a new question and inherits nothing.
    fn follow_up(
        &self,
        previous: &PreviousTurn,
        words: &[&str],
        scores: &[IntentScore],
        slots: &BTreeMap<String, String>,
        confidence: f32,
    ) -> Option<Decision> {
        let route = &self.routes[*self.route_by_intent.get(&previous.intent)?];
        let declared = |name: &String| route.slots.iter().any(|slot| slot == name);
        if slots.is_empty() || !slots.keys().all(declared) {
            return None;
        }
        let cued = scores.first().is_some_and(|best| best.cued);
        let standalone = scores
            .first()
            .is_some_and(|best| self.routes[best.intent].intent == previous.intent);
        if (cued || standalone) && confidence >= self.config.threshold {
            return None;
        }
        let opens = words
            .first()
            .is_some_and(|word| FOLLOW_UP_OPENERS.contains(word));
        if !opens && words.len() > FOLLOW_UP_MAX_WORDS {
            return None;
        }

        let mut merged = previous.slots.clone();
        merged.extend(slots.clone());
        Some(Decision {
            intent: Some(route.intent.clone()),
            plugin: Some(route.plugin.clone()),
            slots: keep_declared(merged, &route.slots),
            confidence: FOLLOW_UP_CONFIDENCE,
            margin: (FOLLOW_UP_CONFIDENCE - confidence).max(0.0),
            layer: RULES_LAYER,
        })
    }

    /// Returns the word to match for a question token: the token itself
    /// when known, the singular of a known plural, or the closest known
    /// word within the typo tolerance.
    fn correct<'a>(&'a self, word: &'a str) -> &'a str {
        if word.len() < 3
            || word.bytes().any(|b| b.is_ascii_digit())
            || self.common_words.contains(word)
            || self.lexicon.contains(word)
            || self.rules.matches_prefix(word)
        {
            return word;
        }
        for suffix in ["s", "x", "e", "es"] {
            if let Some(stem) = word.strip_suffix(suffix)
                && self.rules.contains_word(stem)
            {
                return stem;
            }
        }
        self.lexicon
            .correct(word)
            .or_else(|| self.rules.closest_prefix(word))
            .unwrap_or(word)
    }
}

/// Computes the confidence and margin of the best score.
///
/// Strength `s / (s + 1)` grows with the rule weight (0.5 for weight 1,
/// 0.75 for 3), and is scaled by `(1 + margin) / 2`, so a tie halves it.
fn confidence_of(scores: &[IntentScore]) -> (f32, f32) {
    let Some(best) = scores.first() else {
        return (0.0, 0.0);
    };
    let runner_up = scores.get(1).map_or(0.0, |score| score.score);
    let margin = ((best.score - runner_up) / best.score).clamp(0.0, 1.0);
    let strength = best.score / (best.score + 1.0);
    let confidence = (strength * (1.0 + margin) / 2.0).clamp(0.0, 1.0);
    (confidence, margin)
}

fn keep_declared(slots: BTreeMap<String, String>, declared: &[String]) -> BTreeMap<String, String> {
    slots
        .into_iter()
        .filter(|(name, _)| declared.iter().any(|slot| slot == name))
        .collect()
}
