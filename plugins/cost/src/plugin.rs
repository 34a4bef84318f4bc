//! WebAssembly glue of the `cost` intent plugin: the host's `rules` service
//! as a [`RuleSource`], the `bdpm` data source as a [`MedicineCatalog`], and
//! the export of the intent handler.

use mediflux_plugin_sdk::intent::{IntentHandler, IntentRequest, IntentResponse};
use mediflux_plugin_sdk::rules::{self, RuleValue as WitRuleValue};
use mediflux_plugin_sdk::sources;
use mediflux_plugin_sdk::types::{
    Argument, ArgumentValue, Citation as WitCitation, DataQuery, DataRecord, Date as WitDate,
    JsonDocument, PluginError,
};

use crate::intent::{
    self, BoxInfo, CatalogError, IntentInput, MedicineCatalog, MedicineInfo, is_missing_rule,
    source_error_code,
};
use crate::{CostError, Date, RuleAmount, RuleSource, RuleValue};

/// Plugin id of the medicine reference.
const BDPM: &str = "bdpm";

/// Schema of the `snapshot` record of the `bdpm` source.
const SNAPSHOT_SCHEMA: &str = "bdpm.snapshot/1";

/// Rule values served by the host's `rules.value-at`.
struct HostRules;

impl RuleSource for HostRules {
    fn value_at(&self, name: &str, date: Date) -> Result<RuleValue, CostError> {
        let entry = rules::value_at(name, to_wit_date(date)).map_err(|message| {
            if is_missing_rule(&message) {
                CostError::RuleNotFound {
                    name: name.to_owned(),
                    date,
                    message,
                }
            } else {
                CostError::RuleSourceFailed {
                    name: name.to_owned(),
                    date,
                    message,
                }
            }
        })?;

        let value = match entry.value {
            WitRuleValue::Cents(cents) => RuleAmount::Cents(cents),
            WitRuleValue::BasisPoints(points) => RuleAmount::BasisPoints(points.into()),
            WitRuleValue::Count(count) => RuleAmount::Count(count.into()),
            WitRuleValue::Years(years) => RuleAmount::Years(years.into()),
            WitRuleValue::Months(months) => RuleAmount::Months(months.into()),
            WitRuleValue::Days(days) => RuleAmount::Days(days.into()),
            WitRuleValue::Flag(flag) => RuleAmount::Flag(flag),
            WitRuleValue::Text(_) => {
                return Err(CostError::RuleSourceFailed {
                    name: name.to_owned(),
                    date,
                    message: "the rule is text, and the computation reads numbers and flags only"
                        .to_owned(),
                });
            }
        };
        let effective = entry.effective;
        let effective_date = Date::new(i32::from(effective.year), effective.month, effective.day)
            .ok_or_else(|| CostError::RuleSourceFailed {
            name: name.to_owned(),
            date,
            message: "the host returned an invalid effective date".to_owned(),
        })?;
        Ok(RuleValue {
            name: entry.name,
            value,
            effective_date,
            source_id: entry.source_id,
            source_title: entry.source_title,
            to_confirm: entry.to_confirm,
        })
    }
}

/// The `bdpm` data source, queried through the host.
struct Bdpm;

impl Bdpm {
    fn query(operation: &str, arguments: Vec<Argument>) -> Result<Vec<DataRecord>, CatalogError> {
        let query = DataQuery {
            operation: operation.to_owned(),
            arguments,
        };
        sources::query(BDPM, &query).map_err(|error| CatalogError {
            code: source_error_code(&error.code, &error.message),
            message: error.message,
        })
    }
}

fn text(name: &str, value: &str) -> Argument {
    Argument {
        name: name.to_owned(),
        value: ArgumentValue::Text(value.to_owned()),
    }
}

impl MedicineCatalog for Bdpm {
    fn search(&self, text_query: &str, limit: i64) -> Result<Vec<MedicineInfo>, CatalogError> {
        let records = Self::query(
            "search",
            vec![
                text("text", text_query),
                Argument {
                    name: "limit".to_owned(),
                    value: ArgumentValue::Integer(limit),
                },
            ],
        )?;
        Ok(group_by_medicine(records))
    }

    fn presentation(&self, cip13: &str) -> Result<Option<MedicineInfo>, CatalogError> {
        match Self::query("presentation", vec![text("cip13", cip13)]) {
            Ok(records) => Ok(group_by_medicine(records).into_iter().next()),
            Err(error) if error.code == "not-found" => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn generics(&self, cis: &str) -> Result<Vec<MedicineInfo>, CatalogError> {
        Self::query("generics", vec![text("cis", cis)]).map(group_by_medicine)
    }

    fn snapshot_date(&self) -> Result<Date, CatalogError> {
        let records = Self::query("snapshot", Vec::new())?;
        let invalid = || CatalogError {
            code: "invalid-snapshot".to_owned(),
            message: format!("the bdpm source returned no readable {SNAPSHOT_SCHEMA} record"),
        };
        let body = records
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
            .and_then(|date| date.parse().ok())
            .ok_or_else(invalid)
    }
}

/// Groups medicine and presentation records by CIS, in order of first
/// appearance, whichever of the two comes first.
fn group_by_medicine(records: Vec<DataRecord>) -> Vec<MedicineInfo> {
    let mut medicines: Vec<MedicineInfo> = Vec::new();
    for record in records {
        match record {
            DataRecord::Medicine(medicine) => {
                let index = entry(&medicine.cis, &mut medicines);
                medicines[index].name = medicine.name;
            }
            DataRecord::Presentation(presentation) => {
                let index = entry(&presentation.cis, &mut medicines);
                medicines[index].boxes.push(BoxInfo {
                    cip13: presentation.cip13,
                    label: presentation.label,
                    marketed: presentation.marketed,
                    price_cents: presentation.public_price_cents,
                    rate_percent: presentation.rate_percent,
                });
            }
            _ => {}
        }
    }
    medicines
}

/// Returns the index of the medicine `cis`, adding it when new.
fn entry(cis: &str, medicines: &mut Vec<MedicineInfo>) -> usize {
    if let Some(index) = medicines.iter().position(|known| known.cis == cis) {
        return index;
    }
    medicines.push(MedicineInfo {
        cis: cis.to_owned(),
        ..MedicineInfo::default()
    });
    medicines.len() - 1
}

fn to_wit_date(date: Date) -> WitDate {
    WitDate {
        year: u16::try_from(date.year()).unwrap_or_default(),
        month: date.month(),
        day: date.day(),
    }
}

struct Cost;

impl IntentHandler for Cost {
    fn handle(request: IntentRequest) -> Result<IntentResponse, PluginError> {
        let today = Date::new(
            i32::from(request.date_of_care.year),
            request.date_of_care.month,
            request.date_of_care.day,
        )
        .ok_or_else(|| {
            mediflux_plugin_sdk::error("invalid-date", "the host sent an invalid date of care")
        })?;
        let input = IntentInput {
            intent: &request.intent,
            slots: &request.slots,
            profile: &request.profile,
            question: &request.question,
            today,
        };
        let answer = intent::answer(&input, &HostRules, &Bdpm)
            .map_err(|error| mediflux_plugin_sdk::error(&error.code, &error.message))?;

        Ok(IntentResponse {
            answer: answer.text,
            result: JsonDocument {
                schema: answer.schema.to_owned(),
                body: answer.body.to_string(),
            },
            citations: answer
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

mediflux_plugin_sdk::export_intent_handler!(Cost);
