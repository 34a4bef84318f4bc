//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::Path;

use chrono::NaiveDate;
use mediflux_memory::{
    Age, GuaranteeBasis, Guarantees, MemoryDb, MemoryOptions, MutuelleContract, Patch,
    ProfileUpdate,
};

/// Parses a `YYYY-MM-DD` test date.
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// Opens the memory database in `dir` with default options.
pub fn open(dir: &Path) -> MemoryDb {
    MemoryDb::open(dir, MemoryOptions::default()).expect("open memory database")
}

/// Returns a contrat responsable at 200 % BR for OPTAM doctors, 100 % BR elsewhere.
pub fn sample_contract() -> MutuelleContract {
    MutuelleContract {
        name: Some("Mutuelle Exemple".to_owned()),
        responsable: true,
        basis: GuaranteeBasis::SecuriteSocialeIncluse,
        guarantees: Guarantees {
            consultation_optam: Some(20_000),
            consultation_non_optam: Some(18_000),
            pharmacy_65: Some(10_000),
            pharmacy_30: Some(10_000),
            pharmacy_15: None,
            hospital_optam: Some(15_000),
            hospital_non_optam: Some(13_000),
            dental: Some(12_500),
            optical: Some(10_000),
            paramedical: Some(10_000),
        },
    }
}

/// Update that fills age, mutuelle and place.
pub fn sample_update() -> ProfileUpdate {
    ProfileUpdate {
        age: Patch::Set(Age::BirthDate(date("1985-04-12"))),
        mutuelle: Patch::Set(sample_contract()),
        medecin_traitant: Patch::Set(true),
        postcode: Patch::Set("69003".to_owned()),
        city: Patch::Set("Lyon".to_owned()),
        ..ProfileUpdate::default()
    }
}
