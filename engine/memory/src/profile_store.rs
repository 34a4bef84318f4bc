//! Profile storage: create, update, read, list, choose the default, delete.
//!
//! Structured values that the simulators read as a whole (mutuelle contract,
//! ALD list, preferences) are JSON columns; scalar values have their own columns.

use chrono::{NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior};

use crate::db::MemoryDb;
use crate::error::{MemoryError, Result};
use crate::profile::{
    Age, Place, Preferences, Pregnancy, Profile, ProfileUpdate, PublicCover, validate_label,
};

const PROFILE_COLUMNS: &str = "id, label, is_default, birth_date, age_years, age_recorded_on, mutuelle, ald, \
     public_cover, medecin_traitant, postcode, city, departement, pregnancy_start, \
     pregnancy_expected_delivery, pregnancy_delivery, preferences, created_at, updated_at";

/// Profile row as stored, before the JSON columns are parsed.
struct ProfileRow {
    id: i64,
    label: String,
    is_default: bool,
    birth_date: Option<NaiveDate>,
    age_years: Option<u8>,
    age_recorded_on: Option<NaiveDate>,
    mutuelle: Option<String>,
    ald: String,
    public_cover: Option<String>,
    medecin_traitant: Option<bool>,
    postcode: Option<String>,
    city: Option<String>,
    departement: Option<String>,
    pregnancy_start: Option<NaiveDate>,
    pregnancy_expected_delivery: Option<NaiveDate>,
    pregnancy_delivery: Option<NaiveDate>,
    preferences: String,
    created_at: chrono::DateTime<Utc>,
    updated_at: chrono::DateTime<Utc>,
}

impl ProfileRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            label: row.get(1)?,
            is_default: row.get(2)?,
            birth_date: row.get(3)?,
            age_years: row.get(4)?,
            age_recorded_on: row.get(5)?,
            mutuelle: row.get(6)?,
            ald: row.get(7)?,
            public_cover: row.get(8)?,
            medecin_traitant: row.get(9)?,
            postcode: row.get(10)?,
            city: row.get(11)?,
            departement: row.get(12)?,
            pregnancy_start: row.get(13)?,
            pregnancy_expected_delivery: row.get(14)?,
            pregnancy_delivery: row.get(15)?,
            preferences: row.get(16)?,
            created_at: row.get(17)?,
            updated_at: row.get(18)?,
        })
    }

    fn into_profile(self) -> Result<Profile> {
        let age = match (self.birth_date, self.age_years, self.age_recorded_on) {
            (Some(birth), _, _) => Some(Age::BirthDate(birth)),
            (None, Some(years), Some(recorded_on)) => Some(Age::Stated { years, recorded_on }),
            _ => None,
        };

        let mutuelle = match self.mutuelle {
            Some(text) => Some(parse_json("mutuelle", &text)?),
            None => None,
        };

        let pregnancy = match (self.pregnancy_start, self.pregnancy_expected_delivery) {
            (Some(start), Some(expected_delivery)) => Some(Pregnancy {
                start,
                expected_delivery,
                delivery: self.pregnancy_delivery,
            }),
            _ => None,
        };

        Ok(Profile {
            id: self.id,
            label: self.label,
            is_default: self.is_default,
            age,
            mutuelle,
            ald: parse_json("ald", &self.ald)?,
            public_cover: self.public_cover.as_deref().and_then(PublicCover::parse),
            pregnancy,
            medecin_traitant: self.medecin_traitant,
            place: Place {
                postcode: self.postcode,
                city: self.city,
                departement: self.departement,
            },
            preferences: parse_json::<Preferences>("preferences", &self.preferences)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(column: &'static str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|source| MemoryError::CorruptJson { column, source })
}

fn to_json<T: serde::Serialize>(column: &'static str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|source| MemoryError::CorruptJson { column, source })
}

/// Loads one profile by id inside a transaction or on the plain connection.
pub(crate) fn load_profile(conn: &rusqlite::Connection, id: i64) -> Result<Profile> {
    let sql = format!("SELECT {PROFILE_COLUMNS} FROM profiles WHERE id = ?1");
    let row = conn
        .query_row(&sql, [id], ProfileRow::read)
        .optional()?
        .ok_or(MemoryError::ProfileIdNotFound(id))?;
    row.into_profile()
}

fn label_owner(tx: &Transaction<'_>, label: &str) -> Result<Option<i64>> {
    let owner = tx
        .query_row("SELECT id FROM profiles WHERE label = ?1", [label], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(owner)
}

/// Writes every stored column of `profile` and stamps `updated_at`.
fn write_profile(tx: &Transaction<'_>, profile: &Profile) -> Result<()> {
    let (birth_date, age_years, age_recorded_on) = match profile.age {
        Some(Age::BirthDate(birth)) => (Some(birth), None, None),
        Some(Age::Stated { years, recorded_on }) => (None, Some(years), Some(recorded_on)),
        None => (None, None, None),
    };
    let mutuelle = match &profile.mutuelle {
        Some(contract) => Some(to_json("mutuelle", contract)?),
        None => None,
    };
    let pregnancy = profile.pregnancy;

    tx.execute(
        "UPDATE profiles SET label = ?1, birth_date = ?2, age_years = ?3, age_recorded_on = ?4,
             mutuelle = ?5, ald = ?6, public_cover = ?7, medecin_traitant = ?8, postcode = ?9,
             city = ?10, departement = ?11, pregnancy_start = ?12, pregnancy_expected_delivery = ?13,
             pregnancy_delivery = ?14, preferences = ?15, updated_at = ?16
         WHERE id = ?17",
        rusqlite::params![
            profile.label,
            birth_date,
            age_years,
            age_recorded_on,
            mutuelle,
            to_json("ald", &profile.ald)?,
            profile.public_cover.map(PublicCover::as_str),
            profile.medecin_traitant,
            profile.place.postcode,
            profile.place.city,
            profile.place.departement,
            pregnancy.map(|p| p.start),
            pregnancy.map(|p| p.expected_delivery),
            pregnancy.and_then(|p| p.delivery),
            to_json("preferences", &profile.preferences)?,
            Utc::now(),
            profile.id,
        ],
    )?;
    Ok(())
}

impl MemoryDb {
    /// Creates a profile named `label` with the fields of `initial` and returns it.
    ///
    /// The first profile in the database becomes the default one. `initial.label`
    /// is ignored in favour of `label`.
    pub fn create_profile(&mut self, label: &str, initial: ProfileUpdate) -> Result<Profile> {
        let label = validate_label(label)?;
        let today = Utc::now().date_naive();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;

        if label_owner(&tx, &label)?.is_some() {
            return Err(MemoryError::LabelTaken(label));
        }
        let has_default: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM profiles WHERE is_default = 1)",
            [],
            |row| row.get(0),
        )?;

        let now = Utc::now();
        tx.execute(
            "INSERT INTO profiles (label, is_default, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            (&label, !has_default, now),
        )?;
        let mut profile = load_profile(&tx, tx.last_insert_rowid())?;

        ProfileUpdate {
            label: None,
            ..initial
        }
        .apply(&mut profile, today)?;
        write_profile(&tx, &profile)?;
        let profile = load_profile(&tx, profile.id)?;
        tx.commit()?;

        tracing::info!(profile_id = profile.id, "profile created");
        Ok(profile)
    }

    /// Validates and applies a partial update to profile `id`, and returns the new profile.
    pub fn update_profile(&mut self, id: i64, update: ProfileUpdate) -> Result<Profile> {
        let today = Utc::now().date_naive();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;

        let mut profile = load_profile(&tx, id)?;
        update.apply(&mut profile, today)?;
        if let Some(owner) = label_owner(&tx, &profile.label)?
            && owner != id
        {
            return Err(MemoryError::LabelTaken(profile.label));
        }

        write_profile(&tx, &profile)?;
        let profile = load_profile(&tx, id)?;
        tx.commit()?;

        tracing::info!(profile_id = id, "profile updated");
        Ok(profile)
    }

    /// Returns profile `id`.
    pub fn profile(&self, id: i64) -> Result<Profile> {
        load_profile(&self.conn, id)
    }

    /// Returns all profiles, oldest first.
    pub fn profiles(&self) -> Result<Vec<Profile>> {
        let sql = format!("SELECT {PROFILE_COLUMNS} FROM profiles ORDER BY id");
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement
            .query_map([], ProfileRow::read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(ProfileRow::into_profile).collect()
    }

    /// Returns the default profile.
    pub fn default_profile(&self) -> Result<Profile> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT id FROM profiles WHERE is_default = 1", [], |row| {
                row.get(0)
            })
            .optional()?;
        let id = id.ok_or(MemoryError::NoDefaultProfile)?;
        self.profile(id)
    }

    /// Resolves which profile a request is about: the default one when `label`
    /// is `None` or blank, else the profile with that label (ASCII case ignored).
    pub fn resolve_profile(&self, label: Option<&str>) -> Result<Profile> {
        let wanted = label.map(str::trim).filter(|text| !text.is_empty());
        let Some(wanted) = wanted else {
            return self.default_profile();
        };

        let sql = format!("SELECT {PROFILE_COLUMNS} FROM profiles WHERE label = ?1");
        let row = self
            .conn
            .query_row(&sql, [wanted], ProfileRow::read)
            .optional()?;
        if let Some(row) = row {
            return row.into_profile();
        }

        let mut statement = self
            .conn
            .prepare("SELECT label FROM profiles ORDER BY id")?;
        let labels = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let known = if labels.is_empty() {
            "none".to_owned()
        } else {
            labels.join(", ")
        };
        Err(MemoryError::ProfileNotFound {
            label: wanted.to_owned(),
            known,
        })
    }

    /// Makes profile `id` the default one.
    pub fn set_default_profile(&mut self, id: i64) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        load_profile(&tx, id)?;

        tx.execute(
            "UPDATE profiles SET is_default = 0 WHERE is_default = 1 AND id <> ?1",
            [id],
        )?;
        tx.execute("UPDATE profiles SET is_default = 1 WHERE id = ?1", [id])?;
        tx.commit()?;

        tracing::info!(profile_id = id, "default profile set");
        Ok(())
    }

    /// Deletes profile `id` with its ledger, history and documents.
    ///
    /// When it was the default, the oldest remaining profile becomes the
    /// default. Freed pages are zeroed, but old copies may stay in the
    /// write-ahead log until a checkpoint: use [`MemoryDb::erase`] for a GDPR erasure.
    pub fn delete_profile(&mut self, id: i64) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let counts = crate::gdpr::delete_person_rows(&tx, id)?;
        tx.commit()?;

        tracing::info!(profile_id = id, rows = counts.total(), "profile deleted");
        Ok(())
    }
}
