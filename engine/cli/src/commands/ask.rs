//! `mediflux ask`: answers a question in French.
//!
//! Routing a question to the intent plugin that answers it is not built yet,
//! so this command reports that plainly and shows what the loaded intent plugins
//! answer, with their example questions.

use std::process::ExitCode;

use crate::commands::Output;
use crate::settings::Settings;

/// Runs `mediflux ask`.
pub fn run(settings: &Settings, output: &Output, question: &str) -> anyhow::Result<ExitCode> {
    let host = crate::catalog::host(settings)?;
    let intents: Vec<(String, String)> = host
        .manifests()
        .iter()
        .flat_map(|manifest| manifest.intents.iter())
        .map(|intent| {
            (
                intent.id.clone(),
                intent.examples.first().cloned().unwrap_or_default(),
            )
        })
        .collect();

    if output.json {
        let value = serde_json::json!({
            "question": question,
            "routed": false,
            "reason": "routing-unavailable",
            "intents": intents.iter().map(|(id, example)| serde_json::json!({"intent": id, "example": example})).collect::<Vec<_>>(),
        });
        output.print_json(&value)?;
        return Ok(ExitCode::SUCCESS);
    }

    println!(
        "Je ne sais pas encore orienter une question vers le module qui y répond : cette étape n'est pas disponible dans cette version."
    );
    if !intents.is_empty() {
        println!("Modules installés et exemples de questions qu'ils traiteront :");
        for (id, example) in &intents {
            println!("- {id} : « {example} »");
        }
    }
    Ok(ExitCode::SUCCESS)
}
