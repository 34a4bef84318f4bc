//! The patient facts read from the profile fields the host grants: `age`,
//! `ald`, `pregnancy` and `medecin_traitant`, each a JSON value shaped as
//! the user memory stores it.
//!
//! `age` is whole years and `medecin_traitant` a boolean. `ald` is a list
//! of `{name, since, until}`, with the condition as the user named it.
//! `pregnancy` holds the `start`, `expected_delivery` and `delivery` dates.
//! A field that is absent, `null` or of another shape is ignored, so the
//! answer stays general.

use serde_json::Value;

use crate::date::Date;
use crate::question::normalize;

/// Words of an ALD name, after [`normalize`], that designate each
/// condition: a name containing one of these phrases, and none of the
/// excluded ones, is that condition.
const ALD_NAMES: &[(&str, &[&str], &[&str])] = &[
    (
        "diabete_type_2",
        &["diabete", "dt2"],
        &["type 1", "type i", "gestationnel"],
    ),
    ("lombalgie_chronique", &["lombalgie", "dos", "rachis"], &[]),
    ("hypertension", &["hypertension", "hta"], &[]),
    ("asthme", &["asthme"], &[]),
    (
        "bpco",
        &["bpco", "bronchopneumopathie", "insuffisance respiratoire"],
        &[],
    ),
    (
        "depression",
        &["depression", "depressif", "depressive"],
        &[],
    ),
    ("insuffisance_cardiaque", &["insuffisance cardiaque"], &[]),
    ("obesite", &["obesite"], &[]),
];

/// What the profile says about the patient at the date of care.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patient {
    /// Age in whole years.
    pub age_years: Option<u32>,
    /// Names of the ALD in force at the date of care, as the user gave them.
    pub ald_names: Vec<String>,
    /// Month of pregnancy at the date of care, 1 to 9.
    pub pregnancy_month: Option<u32>,
    /// Whether a médecin traitant is declared.
    pub medecin_traitant: Option<bool>,
}

impl Patient {
    /// Returns the name of the patient's ALD that designates `condition`,
    /// a [`crate::CONDITION_IDS`] value.
    pub fn ald_for(&self, condition: &str) -> Option<&str> {
        let (_, phrases, excluded) = ALD_NAMES.iter().find(|(id, _, _)| *id == condition)?;
        self.ald_names
            .iter()
            .find(|name| {
                let words = format!(" {} ", normalize(name));
                let has = |phrase: &&str| words.contains(&format!(" {phrase} "));
                phrases.iter().any(has) && !excluded.iter().any(has)
            })
            .map(String::as_str)
    }
}

/// Reads the granted profile fields at `date`.
pub fn read_profile(fields: &[(String, String)], date: Date) -> Patient {
    let mut patient = Patient::default();
    for (name, json) in fields {
        let Ok(value) = serde_json::from_str::<Value>(json) else {
            continue;
        };
        match name.as_str() {
            "age" => {
                patient.age_years = value.as_u64().and_then(|age| u32::try_from(age).ok());
            }
            "ald" => patient.ald_names = read_ald(&value, date),
            "pregnancy" => patient.pregnancy_month = read_pregnancy_month(&value, date),
            "medecin_traitant" => patient.medecin_traitant = value.as_bool(),
            _ => {}
        }
    }
    patient
}

/// Reads the names of the ALD in force at `date`: entries whose `since`
/// is not after `date` and whose `until` is not before it.
fn read_ald(value: &Value, date: Date) -> Vec<String> {
    let Some(entries) = value.as_array() else {
        return Vec::new();
    };
    let read_date = |entry: &Value, key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .and_then(|text| text.parse::<Date>().ok())
    };
    entries
        .iter()
        .filter_map(|entry| {
            if let Some(name) = entry.as_str() {
                return Some(name.to_owned());
            }
            let name = entry.get("name").and_then(Value::as_str)?;
            let started = read_date(entry, "since").is_none_or(|since| since <= date);
            let running = read_date(entry, "until").is_none_or(|until| date <= until);
            (started && running).then(|| name.to_owned())
        })
        .collect()
}

/// Reads the month of pregnancy at `date` from `{"start", "expected_delivery",
/// "delivery"}`, or from `{"month": N}`. The month counts from the start
/// date: month 1 until the same day of the next month, and so on, at most 9.
/// Returns `None` before the start and from the birth on, the expected
/// birth while the actual one is unknown.
fn read_pregnancy_month(value: &Value, date: Date) -> Option<u32> {
    let object = value.as_object()?;
    if let Some(month) = object.get("month").and_then(Value::as_u64) {
        return u32::try_from(month)
            .ok()
            .filter(|month| (1..=9).contains(month));
    }

    let read_date = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .and_then(|text| text.parse::<Date>().ok())
    };
    let start = read_date("start")?;
    let birth = read_date("delivery").or_else(|| read_date("expected_delivery"))?;
    if birth <= date {
        return None;
    }
    let months = date.whole_months_since(start)?;
    Some((months + 1).min(9))
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
    fn memory_shapes_are_read() {
        let profile = fields(&[
            ("age", "72"),
            (
                "ald",
                r#"[{"name":"Diabète de type 2","since":"2020-01-01","until":null}]"#,
            ),
            ("medecin_traitant", "true"),
            ("pregnancy", "null"),
        ]);
        let patient = read_profile(&profile, day("2025-06-01"));
        assert_eq!(patient.age_years, Some(72));
        assert_eq!(patient.ald_names, vec!["Diabète de type 2".to_owned()]);
        assert_eq!(patient.medecin_traitant, Some(true));
        assert_eq!(patient.pregnancy_month, None);
    }

    #[test]
    fn ald_outside_its_dates_is_ignored() {
        let profile = fields(&[(
            "ald",
            r#"[{"name":"asthme","since":"2026-01-01"},{"name":"BPCO","until":"2024-12-31"}]"#,
        )]);
        let patient = read_profile(&profile, day("2025-06-01"));
        assert!(patient.ald_names.is_empty(), "{:?}", patient.ald_names);
    }

    #[test]
    fn ald_names_match_conditions() {
        let patient = Patient {
            ald_names: vec!["mon diabète".to_owned(), "HTA sévère".to_owned()],
            ..Patient::default()
        };
        assert_eq!(patient.ald_for("diabete_type_2"), Some("mon diabète"));
        assert_eq!(patient.ald_for("hypertension"), Some("HTA sévère"));
        assert_eq!(patient.ald_for("asthme"), None);

        let type_one = Patient {
            ald_names: vec!["diabète de type 1".to_owned()],
            ..Patient::default()
        };
        assert_eq!(type_one.ald_for("diabete_type_2"), None);
    }

    #[test]
    fn pregnancy_month_counts_from_start() {
        let profile = fields(&[(
            "pregnancy",
            r#"{"start":"2025-01-10","expected_delivery":"2025-10-10","delivery":null}"#,
        )]);
        let month = |date: &str| read_profile(&profile, day(date)).pregnancy_month;
        assert_eq!(month("2025-01-10"), Some(1));
        assert_eq!(month("2025-04-09"), Some(3));
        assert_eq!(month("2025-04-10"), Some(4));
        assert_eq!(month("2025-10-09"), Some(9));
        assert_eq!(month("2025-10-10"), None, "after the expected birth");
        assert_eq!(month("2024-12-31"), None, "before the start");
    }

    #[test]
    fn stated_pregnancy_month_is_read() {
        let profile = fields(&[("pregnancy", r#"{"month":7}"#)]);
        assert_eq!(
            read_profile(&profile, day("2025-06-01")).pregnancy_month,
            Some(7)
        );
        let profile = fields(&[("pregnancy", r#"{"month":12}"#)]);
        assert_eq!(
            read_profile(&profile, day("2025-06-01")).pregnancy_month,
            None
        );
    }
}
