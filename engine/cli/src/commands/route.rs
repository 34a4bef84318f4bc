//! `mediflux route` shows how a question is routed; `mediflux eval router`
//! measures the router on a set of questions with their expected intents and
//! slots.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;

use crate::commands::Output;
use crate::routing::ModelState;
use crate::settings::Settings;

/// Subcommands of `mediflux eval`.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Measure the router on a TSV of questions: question, expected intent
    /// (`out_of_scope` for none) and expected slots as `key=value;…`.
    Router {
        /// Path of the TSV file.
        tsv: PathBuf,
        /// Route with the rules alone, even when a local model is installed.
        #[arg(long)]
        rules_only: bool,
    },
}

/// Runs `mediflux route`.
pub fn route(
    settings: &Settings,
    output: &Output,
    question: &str,
    rules_only: bool,
) -> anyhow::Result<ExitCode> {
    let host = crate::catalog::host(settings)?;
    let (mut cascade, model) = crate::routing::cascade(settings, &host, !rules_only)?;
    let routed = cascade.route(question, None, mediflux_router::Date::today_utc());
    let decision = &routed.decision;
    let model_error = routed.model_error.as_ref().map(ToString::to_string);
    let unsure = routed.unsure.as_ref().map(
        |(intent, probability)| serde_json::json!({ "intent": intent, "probability": probability }),
    );

    if output.json {
        output.print_json(&serde_json::json!({
            "intent": decision.intent,
            "plugin": decision.plugin,
            "slots": decision.slots,
            "confidence": decision.confidence,
            "margin": decision.margin,
            "layer": decision.layer,
            "model": model.name(),
            "model_error": model_error,
            "model_unsure": unsure,
            "model_outcome": model_outcome(&model, &routed),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }

    match (&decision.intent, &decision.plugin) {
        (Some(intent), Some(plugin)) => println!("intent      {intent} (plugin {plugin})"),
        _ => println!("intent      none"),
    }
    println!("confidence  {:.2}", decision.confidence);
    println!("margin      {:.2}", decision.margin);
    println!("layer       {}", decision.layer);
    println!("model       {}", describe(&model));
    if let Some(error) = model_error {
        println!("model error {error}");
    }
    if let Some((intent, probability)) = &routed.unsure {
        println!("model unsure {intent} (probability {probability:.2}, below the minimum)");
    }
    if model_outcome(&model, &routed) == "no-intent" {
        println!("model said  no intent fits the question");
    }
    for (name, value) in &decision.slots {
        println!("slot        {name} = {value}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs a `mediflux eval` subcommand.
pub fn eval(
    settings: &Settings,
    output: &Output,
    command: EvalCommand,
) -> anyhow::Result<ExitCode> {
    let EvalCommand::Router { tsv, rules_only } = command;
    let cases = mediflux_router::read_eval_set(&tsv)
        .with_context(|| format!("failed to read evaluation set {}", tsv.display()))?;
    let host = crate::catalog::host(settings)?;
    let (mut cascade, model) = crate::routing::cascade(settings, &host, !rules_only)?;
    let today = mediflux_router::Date::today_utc();

    let mut by_layer = std::collections::BTreeMap::<&'static str, usize>::new();
    let mut model_errors = 0usize;
    let mut model_unsure = 0usize;
    let report = mediflux_router::evaluate_with(&cases, |question| {
        let routed = cascade.route(question, None, today);
        *by_layer.entry(routed.decision.layer).or_default() += 1;
        if routed.model_error.is_some() {
            model_errors += 1;
        }
        if routed.unsure.is_some() {
            model_unsure += 1;
        }
        routed.decision
    });
    let layers = if matches!(model, ModelState::Available(_)) {
        "rules+model"
    } else {
        mediflux_router::RULES_LAYER
    };

    if output.json {
        let confusion: Vec<serde_json::Value> = report
            .confusion
            .iter()
            .map(|((expected, routed), count)| {
                serde_json::json!({ "expected": expected, "routed": routed, "count": count })
            })
            .collect();
        output.print_json(&serde_json::json!({
            "layer": layers,
            "model": model.name(),
            "cases": report.cases,
            "decided_by": by_layer,
            "model_errors": model_errors,
            "model_unsure": model_unsure,
            "intent_accuracy": report.intent_accuracy(),
            "slot_precision": report.slot_precision(),
            "slot_recall": report.slot_recall(),
            "slot_f1": report.slot_f1(),
            "confusion": confusion,
        }))?;
    } else {
        println!("layers: {layers} (model: {})", describe(&model));
        let decided: Vec<String> = by_layer
            .iter()
            .map(|(layer, count)| format!("{layer} {count}"))
            .collect();
        println!(
            "decided by: {}; model errors: {model_errors}; model unsure: {model_unsure}",
            decided.join(", ")
        );
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Describes the model state for the text output, in English like the rest
/// of this developer-facing command.
/// Returns what the local model did with the question: "not-asked" when
/// the rules decided or no model is available, then "decided", "unsure",
/// "no-intent" or "failed".
fn model_outcome(model: &ModelState, routed: &mediflux_model::Routed) -> &'static str {
    let consulted = matches!(model, ModelState::Available(_))
        && routed.decision.layer != mediflux_router::RULES_LAYER;
    if !consulted {
        "not-asked"
    } else if routed.model_error.is_some() {
        "failed"
    } else if routed.unsure.is_some() {
        "unsure"
    } else if routed.decision.layer == mediflux_model::MODEL_LAYER {
        "decided"
    } else {
        "no-intent"
    }
}

fn describe(model: &ModelState) -> String {
    match model {
        ModelState::Available(path) => {
            format!("{} (loaded when the rules are unsure)", path.display())
        }
        ModelState::Off => "off (--rules-only)".to_owned(),
        ModelState::Missing { path, .. } => format!("none; no GGUF file at {}", path.display()),
        ModelState::NotBuilt => "none; built without the `model` feature".to_owned(),
    }
}
