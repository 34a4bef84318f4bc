//! The patient and the mutuelle read from the profile fields the host
//! grants: `age`, `mutuelle`, `ald`, `c2s`, `ame`, `pregnancy` and
//! `medecin_traitant`, each a JSON value.
//!
//! The shapes follow the user memory's profile (`engine/memory`): `age` is
//! whole years, `mutuelle` a contract with `responsable`, `basis` and
//! `guarantees` in basis points, `ald` a list of conditions, `pregnancy` the
//! start and delivery dates. A few simpler shapes are accepted too, such as
//! `"200 % BR"` for `mutuelle` and booleans for `ald`, `c2s` and `ame`.

use serde_json::Value;

use crate::case::{Maternity, Patient, PublicCover};
use crate::date::Date;
use crate::mutuelle::{CoverBasis, Mutuelle};

use super::slots::parse_guarantee;

/// Facts the profile gives about the patient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFacts {
    /// The patient, ages and maternity resolved at the date of care.
    pub patient: Patient,
    /// The mutuelle, when the profile has one.
    pub mutuelle: Option<Mutuelle>,
    /// The patient has at least one ALD.
    pub has_ald: bool,
    /// Whether a médecin traitant is declared, when the profile states it.
    pub medecin_traitant: Option<bool>,
}

/// Reads the granted profile fields at the date of care. A field that is
/// absent, `null` or of an unknown shape is ignored, so the computation
/// falls back to its stated assumptions.
pub fn read_profile(fields: &[(String, String)], date: Date) -> ProfileFacts {
    let mut facts = ProfileFacts::default();
    for (name, json) in fields {
        let Ok(value) = serde_json::from_str::<Value>(json) else {
            continue;
        };
        match name.as_str() {
            "age" => {
                facts.patient.age_years = value.as_u64().and_then(|age| u32::try_from(age).ok());
            }
            "mutuelle" => facts.mutuelle = read_mutuelle(&value),
            "ald" => {
                facts.has_ald = match &value {
                    Value::Bool(flag) => *flag,
                    Value::Array(conditions) => !conditions.is_empty(),
                    _ => false,
                };
            }
            "c2s" if value == Value::Bool(true) => facts.patient.cover = PublicCover::C2s,
            "ame" if value == Value::Bool(true) => facts.patient.cover = PublicCover::Ame,
            "pregnancy" => facts.patient.maternity = read_pregnancy(&value, date),
            "medecin_traitant" => facts.medecin_traitant = value.as_bool(),
            _ => {}
        }
    }
    facts
}

/// Reads a mutuelle contract: the memory's shape, or a level such as
/// `"200 % BR"` for a contrat responsable.
fn read_mutuelle(value: &Value) -> Option<Mutuelle> {
    if let Some(level) = value.as_str() {
        return parse_guarantee(level).ok().map(Mutuelle::responsible);
    }
    let contract = value.as_object()?;
    let guarantees = contract.get("guarantees").and_then(Value::as_object);
    let guarantee = |key: &str| {
        guarantees
            .and_then(|guarantees| guarantees.get(key))
            .and_then(Value::as_i64)
    };

    // The memory stores no guarantee for lab tests and radiology, so they
    // take the consultation guarantee.
    let doctors = guarantee("consultation_optam").unwrap_or(0);
    let mut mutuelle = Mutuelle::responsible(doctors);
    mutuelle.name = contract
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    mutuelle.responsible = contract
        .get("responsable")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if contract.get("basis").and_then(Value::as_str) == Some("en_sus") {
        mutuelle.basis = CoverBasis::OnTopOfSecu;
    }
    mutuelle.doctors_non_optam_basis_points = guarantee("consultation_non_optam");
    mutuelle.medicines_basis_points = guarantee("pharmacy_65").unwrap_or(0);
    mutuelle.covers_low_rate_medicines =
        guarantee("pharmacy_30").is_some() || guarantee("pharmacy_15").is_some();
    mutuelle.paramedical_basis_points = guarantee("paramedical").unwrap_or(0);
    mutuelle.dental_basis_points = guarantee("dental").unwrap_or(0);
    mutuelle.hospital_basis_points = guarantee("hospital_optam").unwrap_or(0);
    Some(mutuelle)
}

/// Reads a pregnancy: `{"month": 7}`, `{"days_after_birth": 3}`, or the
/// memory's `{"start", "expected_delivery", "delivery"}` dates resolved at
/// `date`.
fn read_pregnancy(value: &Value, date: Date) -> Option<Maternity> {
    let object = value.as_object()?;
    if let Some(month) = object.get("month").and_then(Value::as_u64) {
        return u8::try_from(month).ok().map(Maternity::PregnancyMonth);
    }
    if let Some(days) = object.get("days_after_birth").and_then(Value::as_u64) {
        return u32::try_from(days).ok().map(Maternity::DaysAfterBirth);
    }

    let read_date = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .and_then(|text| text.parse::<Date>().ok())
    };
    let start = read_date("start")?;
    let birth = read_date("delivery").or_else(|| read_date("expected_delivery"))?;
    if date < start {
        return None;
    }
    if birth <= date {
        let days = day_number(date) - day_number(birth);
        return u32::try_from(days).ok().map(Maternity::DaysAfterBirth);
    }

    // The month of pregnancy counts from the start date: month 1 until the
    // same day of the next month, and so on, at most 9.
    let mut months =
        (date.year() - start.year()) * 12 + i32::from(date.month()) - i32::from(start.month());
    if date.day() < start.day() {
        months -= 1;
    }
    u8::try_from((months + 1).clamp(1, 9))
        .ok()
        .map(Maternity::PregnancyMonth)
}

/// Returns the number of days from 1970-01-01 to `date`.
pub(crate) fn day_number(date: Date) -> i64 {
    // Days-from-civil conversion for the proleptic Gregorian calendar.
    let month = i64::from(date.month());
    let year = i64::from(date.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + i64::from(date.day()) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    fn day(text: &str) -> Date {
        text.parse().expect("test date")
    }

    #[test]
    fn memory_contract_maps_guarantees() {
        let profile = fields(&[(
            "mutuelle",
            r#"{"responsable":true,"basis":"en_sus","guarantees":{"consultation_optam":20000,"pharmacy_65":10000,"pharmacy_30":10000}}"#,
        )]);
        let facts = read_profile(&profile, day("2025-06-01"));
        let mutuelle = facts.mutuelle.expect("a contract");
        assert_eq!(mutuelle.doctors_optam_basis_points, 20_000);
        assert_eq!(mutuelle.medicines_basis_points, 10_000);
        assert!(mutuelle.covers_low_rate_medicines);
        assert_eq!(mutuelle.basis, CoverBasis::OnTopOfSecu);
    }

    #[test]
    fn simple_shapes_are_read() {
        let profile = fields(&[
            ("age", "42"),
            ("mutuelle", "\"200 % BR\""),
            ("ald", "[\"diabete_type_2\"]"),
            ("c2s", "true"),
            ("medecin_traitant", "false"),
        ]);
        let facts = read_profile(&profile, day("2025-06-01"));
        assert_eq!(facts.patient.age_years, Some(42));
        assert_eq!(
            facts
                .mutuelle
                .map(|contract| contract.doctors_optam_basis_points),
            Some(20_000)
        );
        assert!(facts.has_ald);
        assert_eq!(facts.patient.cover, PublicCover::C2s);
        assert_eq!(facts.medecin_traitant, Some(false));
    }

    #[test]
    fn pregnancy_dates_give_the_month() {
        let profile = fields(&[(
            "pregnancy",
            r#"{"start":"2025-01-10","expected_delivery":"2025-10-10"}"#,
        )]);
        let seventh = read_profile(&profile, day("2025-07-10")).patient.maternity;
        assert_eq!(seventh, Some(Maternity::PregnancyMonth(7)));
        let sixth = read_profile(&profile, day("2025-07-09")).patient.maternity;
        assert_eq!(sixth, Some(Maternity::PregnancyMonth(6)));
        let after = read_profile(&profile, day("2025-10-13")).patient.maternity;
        assert_eq!(after, Some(Maternity::DaysAfterBirth(3)));
    }

    #[test]
    fn day_number_matches_known_days() {
        assert_eq!(day_number(day("1970-01-01")), 0);
        assert_eq!(day_number(day("2000-03-01")), 11_017);
        assert_eq!(
            day_number(day("2025-01-01")) - day_number(day("2024-01-01")),
            366
        );
    }
}
