//! `mediflux route` shows how a question is routed; `mediflux eval router`
//! measures the router on a set of questions with their expected intents and
//! slots.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;

use crate::commands::Output;
use crate::settings::Settings;

/// Subcommands of `mediflux eval`.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Measure the router on a TSV of questions: question, expected intent
    /// (`out_of_scope` for none) and expected slots as `key=value;…`.
    Router {
        /// Path of the TSV file.
        tsv: PathBuf,
    },
}

/// Runs `mediflux route`.
pub fn route(settings: &Settings, output: &Output, question: &str) -> anyhow::Result<ExitCode> {
    let host = crate::catalog::host(settings)?;
    let router = crate::routing::router(settings, &host)?;
    let decision = router.route(question, None);

    if output.json {
        output.print_json(&serde_json::json!({
            "intent": decision.intent,
            "plugin": decision.plugin,
            "slots": decision.slots,
            "confidence": decision.confidence,
            "margin": decision.margin,
            "layer": decision.layer,
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
    let EvalCommand::Router { tsv } = command;
    let cases = mediflux_router::read_eval_set(&tsv)
        .with_context(|| format!("failed to read evaluation set {}", tsv.display()))?;
    let host = crate::catalog::host(settings)?;
    let router = crate::routing::router(settings, &host)?;
    let report = mediflux_router::evaluate(&router, &cases, mediflux_router::Date::today_utc());

    if output.json {
        let confusion: Vec<serde_json::Value> = report
            .confusion
            .iter()
            .map(|((expected, routed), count)| {
                serde_json::json!({ "expected": expected, "routed": routed, "count": count })
            })
            .collect();
        output.print_json(&serde_json::json!({
            "layer": mediflux_router::RULES_LAYER,
            "cases": report.cases,
            "intent_accuracy": report.intent_accuracy(),
            "slot_precision": report.slot_precision(),
            "slot_recall": report.slot_recall(),
            "slot_f1": report.slot_f1(),
            "confusion": confusion,
        }))?;
    } else {
        println!(
            "layer: {} (rules only; no local model is wired yet)",
            mediflux_router::RULES_LAYER
        );
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}
