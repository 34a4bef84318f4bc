//! An intent plugin that calls one host service per intent and reports
//! what it got, so that the tests can check each service and its
//! permission checks from inside a real component.
//!
//! Every answer is a line of `key=value` pairs; errors come back as
//! `PluginError` with the service's own message.

#[cfg(target_arch = "wasm32")]
mod plugin {
    use mediflux_plugin_sdk::http::{HttpError, Method, Request};
    use mediflux_plugin_sdk::intent::{IntentHandler, IntentRequest, IntentResponse};
    use mediflux_plugin_sdk::rules::RuleValue;
    use mediflux_plugin_sdk::types::{
        Argument, ArgumentValue, DataQuery, DataRecord, JsonDocument, PluginError,
    };
    use mediflux_plugin_sdk::{cache, config, error, log, rules, slot, sources};

    struct Services;

    fn respond(answer: String) -> Result<IntentResponse, PluginError> {
        Ok(IntentResponse {
            answer,
            result: JsonDocument {
                schema: "services.result/1".to_owned(),
                body: "{}".to_owned(),
            },
            citations: Vec::new(),
        })
    }

    fn http_error_code(failure: &HttpError) -> (&'static str, String) {
        match failure {
            HttpError::Denied(reason) => ("denied", reason.clone()),
            HttpError::InvalidUrl(reason) => ("invalid-url", reason.clone()),
            HttpError::Timeout => ("timeout", String::new()),
            HttpError::TooLarge(bytes) => ("too-large", bytes.to_string()),
            HttpError::RequestBudgetExhausted(count) => ("budget", count.to_string()),
            HttpError::Transport(reason) => ("transport", reason.clone()),
        }
    }

    impl IntentHandler for Services {
        fn handle(request: IntentRequest) -> Result<IntentResponse, PluginError> {
            match request.intent.as_str() {
                "svc.echo" => {
                    let profile: Vec<String> = request
                        .profile
                        .iter()
                        .map(|(name, value)| format!("{name}={value}"))
                        .collect();
                    let slots: Vec<String> = request
                        .slots
                        .iter()
                        .map(|(name, value)| format!("{name}={value}"))
                        .collect();
                    let date = request.date_of_care;
                    respond(format!(
                        "profile={} slots={} date={:04}-{:02}-{:02}",
                        profile.join(","),
                        slots.join(","),
                        date.year,
                        date.month,
                        date.day
                    ))
                }
                "svc.config" => {
                    let key = slot(&request, "key").unwrap_or_default();
                    respond(format!(
                        "value={}",
                        config::get(key).unwrap_or_else(|| "<none>".to_owned())
                    ))
                }
                "svc.cache-set" => {
                    let value = slot(&request, "value").unwrap_or_default();
                    cache::set("memo", value.as_bytes(), 3600)
                        .map_err(|message| error("cache", &message))?;
                    respond("stored".to_owned())
                }
                "svc.cache-get" => {
                    let value = cache::get("memo")
                        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
                    respond(format!(
                        "value={}",
                        value.unwrap_or_else(|| "<none>".to_owned())
                    ))
                }
                "svc.source" => {
                    let query = DataQuery {
                        operation: "get".to_owned(),
                        arguments: vec![Argument {
                            name: "code".to_owned(),
                            value: ArgumentValue::Text("53".to_owned()),
                        }],
                    };
                    let records = sources::query("template", &query)?;
                    let bodies: Vec<String> = records
                        .into_iter()
                        .map(|record| match record {
                            DataRecord::Json(document) => document.body,
                            _ => "<typed>".to_owned(),
                        })
                        .collect();
                    respond(bodies.join(";"))
                }
                "svc.rule" => {
                    let name = slot(&request, "name").unwrap_or_default();
                    let entry = rules::value_at(name, request.date_of_care)
                        .map_err(|message| error("rules", &message))?;
                    let value = match entry.value {
                        RuleValue::Cents(cents) => format!("{cents} cents"),
                        other => format!("{other:?}"),
                    };
                    respond(format!(
                        "value={value} source={} to-confirm={}",
                        entry.source_id, entry.to_confirm
                    ))
                }
                "svc.fetch" => {
                    let url = slot(&request, "url").unwrap_or_default().to_owned();
                    let repeat: usize = slot(&request, "repeat")
                        .and_then(|text| text.parse().ok())
                        .unwrap_or(1);
                    let mut outcome = String::new();
                    for _ in 0..repeat {
                        let request = Request {
                            method: Method::Get,
                            url: url.clone(),
                            headers: Vec::new(),
                            body: None,
                        };
                        outcome = match mediflux_plugin_sdk::http::fetch(&request) {
                            Ok(response) => {
                                format!("status={} bytes={}", response.status, response.body.len())
                            }
                            Err(failure) => {
                                let (code, detail) = http_error_code(&failure);
                                return Err(error(code, &detail));
                            }
                        };
                    }
                    respond(outcome)
                }
                "svc.log" => {
                    for index in 0..1_000 {
                        log::info(&format!("line {index}"));
                    }
                    respond("logged".to_owned())
                }
                other => Err(error("unknown-intent", other)),
            }
        }
    }

    mediflux_plugin_sdk::export_intent_handler!(Services);
}
