//! WebAssembly glue of the `care.pathway` intent plugin: the host's
//! `rules` service as [`AldRules`], and the export of the intent handler.

use mediflux_plugin_sdk::intent::{IntentHandler, IntentRequest, IntentResponse};
use mediflux_plugin_sdk::rules::{self, RuleEntry, RuleValue};
use mediflux_plugin_sdk::types::{
    Citation as WitCitation, Date as WitDate, JsonDocument, PluginError,
};

use crate::{
    ALD_PARTICIPATIONS_RULE, ALD_RATE_RULE, AldCover, AldRules, Date, Pathways, Request, RuleFact,
};

/// ALD rules served by the host's `rules.value-at`.
struct HostRules;

impl HostRules {
    fn read<T>(
        name: &str,
        date: Date,
        convert: impl Fn(RuleValue) -> Option<T>,
    ) -> Result<RuleFact<T>, String> {
        let RuleEntry {
            value,
            source_id,
            source_title,
            to_confirm,
            ..
        } = rules::value_at(name, to_wit_date(date))?;
        let value = convert(value).ok_or_else(|| format!("rule {name} has an unexpected unit"))?;
        Ok(RuleFact {
            value,
            source_id,
            source_title,
            to_confirm,
        })
    }
}

impl AldRules for HostRules {
    fn ald_cover(&self, date: Date) -> Result<AldCover, String> {
        Ok(AldCover {
            rate_basis_points: Self::read(ALD_RATE_RULE, date, |value| match value {
                RuleValue::BasisPoints(points) => Some(points),
                _ => None,
            })?,
            participations_exempt: Self::read(
                ALD_PARTICIPATIONS_RULE,
                date,
                |value| match value {
                    RuleValue::Flag(flag) => Some(flag),
                    _ => None,
                },
            )?,
        })
    }
}

fn to_wit_date(date: Date) -> WitDate {
    WitDate {
        year: u16::try_from(date.year()).unwrap_or_default(),
        month: u8::try_from(date.month()).unwrap_or_default(),
        day: u8::try_from(date.day()).unwrap_or_default(),
    }
}

/// Converts a citation: a date known to the day goes into the date field,
/// a shorter one stays in the title.
fn to_wit_citation(citation: crate::Citation) -> WitCitation {
    let full_date = citation.date.and_then(|date| date.full_date());
    let title = match (citation.date, full_date) {
        (Some(date), None) => format!("{} ({})", citation.title, date.french()),
        _ => citation.title,
    };
    WitCitation {
        title,
        url: citation.url,
        date: full_date.map(to_wit_date),
    }
}

struct Pathway;

impl IntentHandler for Pathway {
    fn handle(request: IntentRequest) -> Result<IntentResponse, PluginError> {
        let date_of_care = Date::new(
            i32::from(request.date_of_care.year),
            u32::from(request.date_of_care.month),
            u32::from(request.date_of_care.day),
        )
        .ok_or_else(|| {
            mediflux_plugin_sdk::error("invalid-date", "the host sent an invalid date of care")
        })?;
        let pathways = Pathways::parse(crate::PATHWAYS_TOML)
            .map_err(|error| mediflux_plugin_sdk::error(error.code(), &error.to_string()))?;

        let input = Request {
            intent: &request.intent,
            slots: &request.slots,
            profile: &request.profile,
            question: &request.question,
            date_of_care,
        };
        let answer = crate::answer(&input, &pathways, &HostRules)
            .map_err(|error| mediflux_plugin_sdk::error(error.code(), &error.to_string()))?;

        Ok(IntentResponse {
            answer: answer.text,
            result: JsonDocument {
                schema: crate::SCHEMA.to_owned(),
                body: answer.body.to_string(),
            },
            citations: answer.citations.into_iter().map(to_wit_citation).collect(),
        })
    }
}

mediflux_plugin_sdk::export_intent_handler!(Pathway);
