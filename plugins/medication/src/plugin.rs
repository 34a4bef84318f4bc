//! WebAssembly glue of the `medication` intent plugin: the `bdpm` data
//! source as a [`MedicineSource`], and the export of the intent handler.

use mediflux_plugin_sdk::intent::{IntentHandler, IntentRequest, IntentResponse};
use mediflux_plugin_sdk::sources;
use mediflux_plugin_sdk::types::{
    Argument, ArgumentValue, Citation as WitCitation, DataQuery, DataRecord, Date as WitDate,
    GenericRole, JsonDocument, Medicine, PluginError, Presentation,
};

use crate::{
    BoxRecord, GenericGroupRecord, GroupMember, IntentInput, MedicineRecord, MedicineSource, Role,
    SCHEMA, SnapshotDate, SourceError,
};

/// Plugin id of the medicine reference.
const BDPM: &str = "bdpm";

/// Schema of the `snapshot` record of the `bdpm` source.
const SNAPSHOT_SCHEMA: &str = "bdpm.snapshot/1";

/// The `bdpm` data source, queried through the host.
struct Bdpm;

impl Bdpm {
    fn query(operation: &str, arguments: Vec<Argument>) -> Result<Vec<DataRecord>, SourceError> {
        let query = DataQuery {
            operation: operation.to_owned(),
            arguments,
        };
        sources::query(BDPM, &query).map_err(|error| SourceError {
            code: error.code,
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

impl MedicineSource for Bdpm {
    fn search(&self, text_query: &str, limit: i64) -> Result<Vec<MedicineRecord>, SourceError> {
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
        Ok(group_by_medicine(&records))
    }

    fn medicine(&self, cis: &str) -> Result<Option<MedicineRecord>, SourceError> {
        let records = Self::query("medicine", vec![text("cis", cis)])?;
        Ok(group_by_medicine(&records).into_iter().next())
    }

    fn generics(&self, cis: &str) -> Result<Vec<GenericGroupRecord>, SourceError> {
        let records = Self::query("generics", vec![text("cis", cis)])?;
        let medicines = group_by_medicine(&records);
        let groups = records
            .iter()
            .filter_map(|record| match record {
                DataRecord::GenericGroup(group) => Some(group),
                _ => None,
            })
            .map(|group| GenericGroupRecord {
                id: group.id.clone(),
                label: group.label.clone(),
                members: group
                    .members
                    .iter()
                    .map(|member| GroupMember {
                        cis: member.cis.clone(),
                        role: role(member.role),
                        rank: member.rank,
                        medicine: medicines
                            .iter()
                            .find(|medicine| medicine.cis == member.cis)
                            .cloned(),
                    })
                    .collect(),
            })
            .collect();
        Ok(groups)
    }

    fn snapshot_date(&self) -> Result<SnapshotDate, SourceError> {
        let records = Self::query("snapshot", Vec::new())?;
        let invalid = || SourceError {
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
            .and_then(SnapshotDate::parse_iso)
            .ok_or_else(invalid)
    }
}

fn role(role: GenericRole) -> Role {
    match role {
        GenericRole::Princeps => Role::Princeps,
        GenericRole::Generic => Role::Generic,
        GenericRole::ComplementaryPosology => Role::ComplementaryPosology,
        GenericRole::Substitutable => Role::Substitutable,
    }
}

/// Groups medicine and presentation records by CIS, in order of first
/// appearance; a box keeps the source's order within its medicine.
fn group_by_medicine(records: &[DataRecord]) -> Vec<MedicineRecord> {
    let mut medicines: Vec<MedicineRecord> = Vec::new();
    for record in records {
        match record {
            DataRecord::Medicine(medicine) => {
                let index = entry(&medicine.cis, &mut medicines);
                fill(&mut medicines[index], medicine);
            }
            DataRecord::Presentation(presentation) => {
                let index = entry(&presentation.cis, &mut medicines);
                medicines[index].boxes.push(box_record(presentation));
            }
            _ => {}
        }
    }
    // A box whose medicine the source did not return has no name to show.
    medicines.retain(|medicine| !medicine.name.is_empty());
    medicines
}

fn entry(cis: &str, medicines: &mut Vec<MedicineRecord>) -> usize {
    if let Some(index) = medicines.iter().position(|known| known.cis == cis) {
        return index;
    }
    medicines.push(MedicineRecord {
        cis: cis.to_owned(),
        ..MedicineRecord::default()
    });
    medicines.len() - 1
}

fn fill(record: &mut MedicineRecord, medicine: &Medicine) {
    record.name = medicine.name.clone();
    record.form = medicine.form.clone();
    record.routes = medicine.routes.clone();
    record.authorisation_status = medicine.authorisation_status.clone();
    record.marketed = medicine.marketed;
    record.holders = medicine.holders.clone();
    record.reinforced_monitoring = medicine.reinforced_monitoring;
}

fn box_record(presentation: &Presentation) -> BoxRecord {
    BoxRecord {
        cip13: presentation.cip13.clone(),
        label: presentation.label.clone(),
        marketed: presentation.marketed,
        price_cents: presentation.price_cents,
        public_price_cents: presentation.public_price_cents,
        rate_percent: presentation.rate_percent,
    }
}

struct Medication;

impl IntentHandler for Medication {
    fn handle(request: IntentRequest) -> Result<IntentResponse, PluginError> {
        let input = IntentInput {
            intent: &request.intent,
            slots: &request.slots,
            question: &request.question,
        };
        let answer = crate::answer(&input, &Bdpm)
            .map_err(|error| mediflux_plugin_sdk::error(error.code(), &error.to_string()))?;

        Ok(IntentResponse {
            answer: answer.text,
            result: JsonDocument {
                schema: SCHEMA.to_owned(),
                body: answer.body.to_string(),
            },
            citations: answer
                .citations
                .into_iter()
                .map(|citation| WitCitation {
                    title: citation.title,
                    url: citation.url,
                    date: citation.date.map(|date| WitDate {
                        year: date.year,
                        month: date.month,
                        day: date.day,
                    }),
                })
                .collect(),
        })
    }
}

mediflux_plugin_sdk::export_intent_handler!(Medication);
