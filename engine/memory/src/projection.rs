//! Projection of a profile onto the fields a plugin manifest is granted.
//!
//! A plugin receives a JSON object with only the granted keys, named as in
//! the manifest's `permissions.profile`. `age` is the age in full years, so a
//! plugin granted `age` does not learn the birth date. `c2s` and `ame` are
//! booleans, both `false` without public cover.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::{MemoryError, Result};
use crate::profile::{Age, Profile, PublicCover};

/// Field names a manifest can grant, in the order they are documented.
///
/// The list matches `mediflux_manifest::PROFILE_FIELDS`, which a test of this
/// crate checks.
pub const GRANTABLE_FIELDS: &[&str] = &[
    "age",
    "birth_date",
    "mutuelle",
    "ald",
    "c2s",
    "ame",
    "pregnancy",
    "medecin_traitant",
    "location",
    "preferences",
];

/// Checks that every name in `fields` is in [`GRANTABLE_FIELDS`].
///
/// The host can call it when it loads a manifest, before any profile exists.
pub fn validate_granted_fields<S: AsRef<str>>(fields: &[S]) -> Result<()> {
    for field in fields {
        let name = field.as_ref();
        if !GRANTABLE_FIELDS.contains(&name) {
            return Err(MemoryError::UnknownField {
                field: name.to_owned(),
                valid: GRANTABLE_FIELDS.join(", "),
            });
        }
    }
    Ok(())
}

/// Returns a JSON object with only the `fields` of `profile`, ages computed on `today`.
///
/// A granted field with no value is present as `null`, so the plugin can tell
/// "unknown" from "not granted". `c2s` and `ame` are never `null`. Fails on
/// the first unknown field name.
pub fn project_profile<S: AsRef<str>>(
    profile: &Profile,
    fields: &[S],
    today: NaiveDate,
) -> Result<Map<String, Value>> {
    validate_granted_fields(fields)?;

    let mut projected = Map::new();
    for field in fields {
        let name = field.as_ref();
        let value = field_value(profile, name, today)?;
        projected.insert(name.to_owned(), value);
    }
    Ok(projected)
}

fn field_value(profile: &Profile, name: &str, today: NaiveDate) -> Result<Value> {
    let value = match name {
        "age" => profile
            .age
            .and_then(|age| age.years_on(today))
            .map_or(Value::Null, Value::from),
        "birth_date" => match profile.age {
            Some(Age::BirthDate(birth)) => Value::from(birth.to_string()),
            _ => Value::Null,
        },
        "mutuelle" => to_value(&profile.mutuelle)?,
        "ald" => to_value(&profile.ald)?,
        "c2s" => Value::Bool(profile.public_cover == Some(PublicCover::C2s)),
        "ame" => Value::Bool(profile.public_cover == Some(PublicCover::Ame)),
        "pregnancy" => to_value(&profile.pregnancy)?,
        "medecin_traitant" => to_value(&profile.medecin_traitant)?,
        "location" => to_value(&profile.place)?,
        "preferences" => to_value(&profile.preferences)?,
        other => {
            return Err(MemoryError::UnknownField {
                field: other.to_owned(),
                valid: GRANTABLE_FIELDS.join(", "),
            });
        }
    };
    Ok(value)
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|source| MemoryError::CorruptJson {
        column: "projection",
        source,
    })
}
