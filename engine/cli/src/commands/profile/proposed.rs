//! Applying a profile update that an intent plugin proposes, such as the
//! `profile` plugin's answer to « J'ai une mutuelle à 200 % ».
//!
//! Plugins cannot write the user memory: they return a `profile.update/1`
//! document and `mediflux ask` applies it here, with the checks and French
//! errors of `mediflux profile set`.

use anyhow::anyhow;
use chrono::Utc;
use mediflux_memory::{Age, MemoryDb, MemoryError, Patch, Profile, ProfileUpdate};
use serde::Deserialize;

use super::{SetArgs, build_update, existing_profile, store};
use crate::memory::french_error;

/// Schema of a proposed profile update.
pub const PROPOSED_UPDATE_SCHEMA: &str = "profile.update/1";

/// A `profile.update/1` document: only the fields to change, named and
/// shaped like the options of `mediflux profile set`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposedUpdate {
    /// Age in whole years.
    age: Option<u64>,
    /// Guarantee level such as "200% BR", for every category of care.
    mutuelle: Option<String>,
    /// Affections de longue durée to add to the stored ones.
    #[serde(default)]
    ald: Vec<String>,
    #[serde(default)]
    c2s: bool,
    #[serde(default)]
    ame: bool,
    /// First day of the pregnancy, YYYY-MM-DD.
    pregnancy_start: Option<String>,
    medecin_traitant: Option<bool>,
    postcode: Option<String>,
    city: Option<String>,
    /// Fields to remove, with the names `profile set --clear` takes.
    #[serde(default)]
    clear: Vec<String>,
}

/// A profile after a proposed update was applied.
#[derive(Debug, Clone)]
pub struct SavedProfile {
    /// The stored profile.
    pub profile: Profile,
    /// Whether the update created it.
    pub created: bool,
}

/// Applies the `profile.update/1` document `body` to the profile `label`
/// names, or to the default profile. Like `profile set`, it creates the
/// profile « moi » when no profile exists and `label` is `None`.
///
/// Nothing is written when the document is unreadable or a value is
/// invalid; the error is in French and names the value.
pub fn save_proposed_update(
    db: &mut MemoryDb,
    label: Option<&str>,
    body: &str,
) -> anyhow::Result<SavedProfile> {
    let proposed: ProposedUpdate = serde_json::from_str(body).map_err(|error| {
        anyhow!(
            "la mise à jour de profil proposée est illisible ({error}) : rien n'a été enregistré ; utilisez `mediflux profile set`"
        )
    })?;

    let existing = existing_profile(db, label)?;
    let today = Utc::now().date_naive();
    let args = SetArgs {
        profile: label.map(str::to_owned),
        age: None,
        birth_date: None,
        mutuelle: proposed.mutuelle,
        mutuelle_optam: None,
        mutuelle_non_optam: None,
        mutuelle_medicines: None,
        mutuelle_name: None,
        responsable: false,
        non_responsable: false,
        en_sus: false,
        ald: proposed.ald,
        c2s: proposed.c2s,
        ame: proposed.ame && !proposed.c2s,
        pregnancy_start: proposed.pregnancy_start,
        expected_delivery: None,
        medecin_traitant: proposed.medecin_traitant == Some(true),
        no_medecin_traitant: proposed.medecin_traitant == Some(false),
        postcode: proposed.postcode,
        city: proposed.city,
        max_distance_km: None,
        sector: Vec::new(),
        clear: proposed.clear,
    };
    let mut update = build_update(&args, existing.as_ref(), today)?;

    // The age goes to the memory's own check, so that an age out of range
    // gets its French message rather than the one of `--age`.
    if let Some(years) = proposed.age {
        let years = u8::try_from(years).map_err(|_| {
            french_error(MemoryError::InvalidField {
                field: "age",
                value: years.to_string(),
                fix: "give an age from 0 to 130 years".to_owned(),
            })
        })?;
        update.age = Patch::Set(Age::Stated {
            years,
            recorded_on: today,
        });
    }

    if update == ProfileUpdate::default() {
        anyhow::bail!(
            "la mise à jour de profil proposée ne change aucun champ : rien n'a été enregistré ; utilisez `mediflux profile set`"
        );
    }
    let (profile, created) = store(db, label, existing, update)?;
    Ok(SavedProfile { profile, created })
}
