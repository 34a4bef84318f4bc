//! Shared test helpers: a [`RuleSource`] over `mediflux_rules::Rules` and
//! builders for the usual cases.

#![allow(dead_code)]

use std::path::PathBuf;

use mediflux_plugin_cost::{
    AlreadyCharged, Breakdown, CareItem, ConsultationCase, ConsultationKind, CostError,
    CostRequest, Date, MedicineCase, MedicineLine, Mutuelle, Pathway, Patient, RuleAmount,
    RuleSource, RuleValue, Sector, Specialty, compute,
};
use mediflux_rules::{LookupError, Rules, Value};

/// Rule source over loaded rule sets, as the host will provide it.
pub struct RulesAdapter(pub Rules);

impl RulesAdapter {
    /// Loads the rule sets built into `mediflux-rules`.
    pub fn embedded() -> Self {
        match Rules::embedded() {
            Ok(rules) => Self(rules),
            Err(error) => panic!("embedded rules failed to load: {error}"),
        }
    }
}

impl RuleSource for RulesAdapter {
    fn value_at(&self, name: &str, date: Date) -> Result<RuleValue, CostError> {
        let rules_date: mediflux_rules::Date = match date.to_string().parse() {
            Ok(converted) => converted,
            Err(error) => {
                return Err(CostError::RuleSourceFailed {
                    name: name.to_owned(),
                    date,
                    message: error.to_string(),
                });
            }
        };

        let found = self
            .0
            .value_at(name, rules_date)
            .map_err(|error| match error {
                LookupError::NoRuleSet { .. }
                | LookupError::UnknownName { .. }
                | LookupError::NotInForce { .. } => CostError::RuleNotFound {
                    name: name.to_owned(),
                    date,
                    message: error.to_string(),
                },
                other => CostError::RuleSourceFailed {
                    name: name.to_owned(),
                    date,
                    message: other.to_string(),
                },
            })?;

        let value = match found.value {
            Value::Cents(cents) => RuleAmount::Cents(cents),
            Value::BasisPoints(rate) => RuleAmount::BasisPoints(rate),
            Value::Count(count) => RuleAmount::Count(count),
            Value::Years(years) => RuleAmount::Years(years),
            Value::Months(months) => RuleAmount::Months(months),
            Value::Days(days) => RuleAmount::Days(days),
            Value::Flag(flag) => RuleAmount::Flag(flag),
        };
        let effective_date = match found.effective_date.to_string().parse() {
            Ok(converted) => converted,
            Err(error) => panic!("rules returned an unreadable date: {error}"),
        };
        let to_confirm = found.is_to_confirm();
        Ok(RuleValue {
            name: found.name,
            value,
            effective_date,
            source_id: found.source.id,
            source_title: found.source.title,
            to_confirm,
        })
    }
}

/// Returns the repository's rules directory.
pub fn rules_directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../manifests/rules/fr")
}

/// Parses `YYYY-MM-DD`, panicking on a typo in a test.
pub fn day(text: &str) -> Date {
    match text.parse() {
        Ok(date) => date,
        Err(error) => panic!("bad test date {text}: {error}"),
    }
}

/// Returns an adult of 40 with no special cover.
pub fn adult() -> Patient {
    Patient {
        age_years: Some(40),
        ..Patient::default()
    }
}

/// Returns a patient of `age` years with no special cover.
pub fn aged(age: u32) -> Patient {
    Patient {
        age_years: Some(age),
        ..Patient::default()
    }
}

/// Returns "M100", a contrat responsable at 100 % BR.
pub fn m100() -> Option<Mutuelle> {
    Some(Mutuelle::responsible(10_000))
}

/// Returns "M200", a contrat responsable at 200 % BR.
pub fn m200() -> Option<Mutuelle> {
    Some(Mutuelle::responsible(20_000))
}

/// Builds a request with nothing charged yet this year.
pub fn request(
    date: &str,
    patient: Patient,
    mutuelle: Option<Mutuelle>,
    items: Vec<CareItem>,
) -> CostRequest {
    CostRequest {
        date: day(date),
        patient,
        mutuelle,
        already_charged: AlreadyCharged::default(),
        items,
    }
}

/// Returns one box of a reimbursable medicine.
pub fn medicine_line(label: &str, price_cents: i64, rate: i64) -> MedicineLine {
    MedicineLine {
        label: label.to_owned(),
        box_price_cents: price_cents,
        rate_basis_points: Some(rate),
        quantity: 1,
        ..MedicineLine::default()
    }
}

/// Returns a prescription of the given lines, without pharmacy fees.
pub fn medicines(lines: Vec<MedicineLine>) -> CareItem {
    CareItem::Medicines(MedicineCase {
        lines,
        include_prescription_fees: false,
    })
}

/// Returns Doliprane 1000 mg, box of 8 (CIP13 3400935955838): 2,18 € at 65 %.
pub fn doliprane() -> CareItem {
    medicines(vec![medicine_line(
        "Doliprane 1000 mg, boîte de 8",
        218,
        6500,
    )])
}

/// Returns an office consultation in the pathway, billed at the BR.
pub fn consultation(specialty: Specialty, sector: Sector) -> ConsultationCase {
    ConsultationCase {
        label: None,
        specialty,
        kind: ConsultationKind::Office,
        sector: Some(sector),
        billed_cents: None,
        pathway: Some(Pathway::Respected),
        ald_linked: false,
        participations_today_cents: 0,
    }
}

/// Returns a secteur 1 GP consultation in the pathway.
pub fn gp() -> CareItem {
    CareItem::Consultation(consultation(Specialty::GeneralPractitioner, Sector::One))
}

/// Computes with the embedded rules, panicking with the error otherwise.
pub fn run(request: &CostRequest) -> Breakdown {
    match compute(request, &RulesAdapter::embedded()) {
        Ok(breakdown) => breakdown,
        Err(error) => panic!("computation failed: {error}"),
    }
}

/// Returns the six total amounts in JSON key order.
pub fn totals(breakdown: &Breakdown) -> [i64; 6] {
    let total = &breakdown.total;
    [
        total.billed_cents,
        total.base_cents,
        total.amo_cents,
        total.deductions_cents,
        total.amc_cents,
        total.patient_cents,
    ]
}
