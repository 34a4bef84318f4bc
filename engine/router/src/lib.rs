//! Rules layer of Mediflux query routing.
//!
//! A [`Router`] is built at start-up from the intents that the loaded
//! plugin manifests declare, each with its plugin id, and from the names of
//! known medicines. It routes a French question to an intent and extracts
//! its slots with canonical values, so that an intent plugin is routed from
//! its manifest alone. When no rule matches, or the confidence is below the
//! threshold, the [`Decision`] has no intent and a later layer (the local
//! model) can decide.
//!
//! ```
//! use mediflux_manifest::{Intent, RoutingRule};
//! use mediflux_router::{Date, Router};
//!
//! let intent = Intent {
//!     id: "cost.medication".to_owned(),
//!     description: String::new(),
//!     examples: vec!["Combien coûte le Doliprane ?".to_owned()],
//!     slots: vec!["medication".to_owned(), "dosage".to_owned()],
//!     rules: vec![RoutingRule {
//!         any: vec!["combien".to_owned(), "prix".to_owned()],
//!         all: vec![],
//!         slots: vec!["medication".to_owned()],
//!         weight: 3.0,
//!     }],
//! };
//! let router = Router::new([("cost", intent)], ["DOLIPRANE 1000 mg, comprimé"])?;
//! let today = Date::new(2025, 6, 1).expect("valid date");
//!
//! let decision = router.route_on("Combien coûte le dolipranne 1000 ?", None, today);
//! assert_eq!(decision.intent.as_deref(), Some("cost.medication"));
//! assert_eq!(decision.slots["medication"], "doliprane");
//! assert_eq!(decision.slots["dosage"], "1000 mg");
//! # Ok::<(), mediflux_router::RouterError>(())
//! ```
//!
//! Matching works on the normalised question ([`normalize`]): lowercase,
//! without accents, with ligatures expanded and apostrophes, hyphens and
//! punctuation as spaces. Words that are neither known nor common French
//! words are corrected to the closest rule, vocabulary or medicine word
//! within a small edit distance, or to one that sounds the same.

mod date;
mod error;
mod eval;
mod fuzzy;
mod medication;
mod normalize;
mod router;
mod rules;
mod slots;
pub mod vocabulary;

pub use date::Date;
pub use error::RouterError;
pub use eval::{
    EvalCase, EvalMiss, EvalReport, NO_INTENT, evaluate, evaluate_with, parse_eval_set,
    read_eval_set, same_value, typo_variants,
};
pub use normalize::{Token, fold_for_comparison, normalize, tokenize};
pub use router::{Decision, PreviousTurn, RULES_LAYER, Router, RouterConfig};
