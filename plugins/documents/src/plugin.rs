//! WebAssembly glue of the `documents` intent plugin: reads the request,
//! calls [`crate::analyze`] and returns its answer. Nothing is logged,
//! because the request carries the document's health data.

use mediflux_plugin_sdk::intent::{IntentHandler, IntentRequest, IntentResponse};
use mediflux_plugin_sdk::types::{Citation, JsonDocument, PluginError};

struct Documents;

impl IntentHandler for Documents {
    fn handle(request: IntentRequest) -> Result<IntentResponse, PluginError> {
        if request.intent != crate::INTENT {
            return Err(mediflux_plugin_sdk::error(
                "unknown-intent",
                &format!(
                    "this plugin handles `{}`, not `{}`",
                    crate::INTENT,
                    request.intent
                ),
            ));
        }
        let date = request.date_of_care;
        let date_of_care = crate::Date::new(date.year.into(), date.month.into(), date.day.into())
            .ok_or_else(|| {
            mediflux_plugin_sdk::error("invalid-date", "the host sent an invalid date of care")
        })?;

        let answer = crate::analyze(&request.slots, date_of_care)
            .map_err(|error| mediflux_plugin_sdk::error(error.code(), &error.to_string()))?;

        Ok(IntentResponse {
            answer: answer.text,
            result: JsonDocument {
                schema: crate::SCHEMA.to_owned(),
                body: answer.body.to_string(),
            },
            citations: answer
                .citations
                .into_iter()
                .map(|citation| Citation {
                    title: citation.title,
                    url: None,
                    date: None,
                })
                .collect(),
        })
    }
}

mediflux_plugin_sdk::export_intent_handler!(Documents);
