//! WebAssembly glue of the `practitioners` intent plugin: the `annuaire`
//! data source as a [`Directory`], the host's `rules` service as a
//! [`RuleSource`], and the export of the intent handler.

use mediflux_plugin_sdk::intent::{IntentHandler, IntentRequest, IntentResponse};
use mediflux_plugin_sdk::rules::{self, RuleValue};
use mediflux_plugin_sdk::sources;
use mediflux_plugin_sdk::types::{
    Argument, ArgumentValue, Citation as WitCitation, DataQuery, DataRecord, Date as WitDate,
    JsonDocument, PluginError,
};

use crate::{
    Address, Date, Directory, DirectoryError, Practitioner, RESULT_SCHEMA, Request, RuleAmount,
    RuleFact, RuleSource, Search, answer,
};

/// Plugin id of the practitioner directory.
const ANNUAIRE: &str = "annuaire";
/// Schema of the `snapshot` record of the `annuaire` source.
const SNAPSHOT_SCHEMA: &str = "annuaire.snapshot/1";

/// The `annuaire` data source, queried through the host.
struct Annuaire;

impl Annuaire {
    fn query(operation: &str, arguments: Vec<Argument>) -> Result<Vec<DataRecord>, DirectoryError> {
        let query = DataQuery {
            operation: operation.to_owned(),
            arguments,
        };
        sources::query(ANNUAIRE, &query).map_err(|error| {
            match source_error_code(&error.code, &error.message).as_str() {
                "no-snapshot" => DirectoryError::NoData,
                "invalid-place" => DirectoryError::InvalidPlace(error.message),
                code => DirectoryError::Failed {
                    code: code.to_owned(),
                    message: error.message,
                },
            }
        })
    }
}

/// Returns the code a data source gave, which the host wraps as
/// `source-failed` with « returned error `code` » in the message.
fn source_error_code(code: &str, message: &str) -> String {
    const MARKER: &str = "returned error `";
    if code == "source-failed"
        && let Some(start) = message.find(MARKER)
    {
        let rest = &message[start + MARKER.len()..];
        if let Some(end) = rest.find('`') {
            return rest[..end].to_owned();
        }
    }
    code.to_owned()
}

fn text(name: &str, value: &str) -> Argument {
    Argument {
        name: name.to_owned(),
        value: ArgumentValue::Text(value.to_owned()),
    }
}

impl Directory for Annuaire {
    fn imported_at(&self) -> Result<Date, DirectoryError> {
        let invalid = || DirectoryError::Failed {
            code: "invalid-snapshot".to_owned(),
            message: format!("the annuaire source returned no readable {SNAPSHOT_SCHEMA} record"),
        };
        let body = Self::query("snapshot", Vec::new())?
            .into_iter()
            .find_map(|record| match record {
                DataRecord::Json(document) if document.schema == SNAPSHOT_SCHEMA => {
                    Some(document.body)
                }
                _ => None,
            })
            .ok_or_else(invalid)?;
        let value: serde_json::Value = serde_json::from_str(&body).map_err(|_| invalid())?;
        value
            .get("imported_at")
            .and_then(serde_json::Value::as_str)
            .and_then(Date::parse)
            .ok_or_else(invalid)
    }

    fn search(&self, search: &Search<'_>) -> Result<Vec<Practitioner>, DirectoryError> {
        let mut arguments = vec![
            text("profession", &search.professions.join(",")),
            text("specialty", &search.specialties.join(",")),
            Argument {
                name: "limit".to_owned(),
                value: ArgumentValue::Integer(i64::from(search.limit)),
            },
        ];
        if let Some(place) = search.place {
            arguments.push(text("place", place));
        }
        let records = Self::query("search", arguments)?;
        Ok(records
            .into_iter()
            .filter_map(|record| match record {
                DataRecord::Practitioner(found) => Some(Practitioner {
                    id: found.id,
                    family_name: found.family_name,
                    given_name: found.given_name,
                    profession: found.profession,
                    specialty: found.specialty,
                    sector: found.sector,
                    addresses: found
                        .addresses
                        .into_iter()
                        .map(|address| Address {
                            line: address.line,
                            postcode: address.postcode,
                            city: address.city,
                        })
                        .collect(),
                }),
                _ => None,
            })
            .collect())
    }
}

/// Rule values served by the host's `rules.value-at`.
struct HostRules;

impl RuleSource for HostRules {
    fn value_at(&self, name: &str, date: Date) -> Result<RuleFact, String> {
        let entry = rules::value_at(name, to_wit_date(date))?;
        let value = match entry.value {
            RuleValue::Cents(cents) => RuleAmount::Cents(cents),
            RuleValue::BasisPoints(points) => RuleAmount::BasisPoints(points.into()),
            RuleValue::Flag(flag) => RuleAmount::Flag(flag),
            _ => RuleAmount::Other,
        };
        Ok(RuleFact {
            value,
            source_title: entry.source_title,
            to_confirm: entry.to_confirm,
        })
    }
}

fn to_wit_date(date: Date) -> WitDate {
    WitDate {
        year: u16::try_from(date.year()).unwrap_or_default(),
        month: date.month(),
        day: date.day(),
    }
}

struct Practitioners;

impl IntentHandler for Practitioners {
    fn handle(request: IntentRequest) -> Result<IntentResponse, PluginError> {
        let care = request.date_of_care;
        let date_of_care =
            Date::new(i32::from(care.year), care.month, care.day).ok_or_else(|| {
                mediflux_plugin_sdk::error("invalid-date", "the host sent an invalid date of care")
            })?;
        let input = Request {
            slots: &request.slots,
            profile: &request.profile,
            date_of_care,
        };
        let answered = answer(&input, &Annuaire, &HostRules)
            .map_err(|error| mediflux_plugin_sdk::error(&error.code, &error.message))?;

        Ok(IntentResponse {
            answer: answered.text,
            result: JsonDocument {
                schema: RESULT_SCHEMA.to_owned(),
                body: answered.body.to_string(),
            },
            citations: answered
                .citations
                .into_iter()
                .map(|citation| WitCitation {
                    title: citation.title,
                    url: citation.url,
                    date: citation.date.map(to_wit_date),
                })
                .collect(),
        })
    }
}

mediflux_plugin_sdk::export_intent_handler!(Practitioners);
