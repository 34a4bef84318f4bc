//! Practitioners of a directory source (the Annuaire Santé): lookup by
//! identifier and search by profession, specialty and place in the
//! snapshot in service.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params, params_from_iter};

use crate::error::{RefDataError, Result};
use crate::place::Place;
use crate::records::{Address, Practitioner};
use crate::store::RefStore;

/// Source id of the Annuaire Santé, whose snapshot the practitioner
/// lookups of the host read.
pub const ANNUAIRE_SOURCE: &str = "annuaire";

/// Maximum length of a profession or specialty code in a query. The
/// TRE_G15 and TRE_R38 codes in use have at most 5 characters.
const MAX_CODE_LENGTH: usize = 10;

/// Criteria of a practitioner search. Every criterion given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PractitionerQuery {
    /// Profession codes (TRE_G15, such as `10` for médecin), any of which
    /// matches; empty accepts every profession.
    pub professions: Vec<String>,
    /// Specialty codes (TRE_R38, such as `SM04`), any of which matches;
    /// empty accepts every specialty and practitioners without one.
    pub specialties: Vec<String>,
    /// Place where one of the practitioner's addresses must be; `None`
    /// searches everywhere.
    pub place: Option<Place>,
}

impl PractitionerQuery {
    /// Reads the text of a `storage.search` of practitioners: a JSON object
    /// with the optional keys `professions` and `specialties` (arrays of
    /// codes) and `place` (text read by [`Place::parse`]), such as
    /// `{"professions":["10"],"specialties":["SM04","SM73"],"place":"Paris 15e"}`.
    ///
    /// # Errors
    ///
    /// [`RefDataError::InvalidQuery`] for text that is not such an object,
    /// and [`RefDataError::InvalidPlace`] for a place that cannot exist.
    pub fn from_search_text(text: &str) -> Result<PractitionerQuery> {
        let invalid = |problem: String| RefDataError::InvalidQuery {
            text: text.to_owned(),
            problem,
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(|error| {
            invalid(format!(
                "not JSON ({error}); send an object such as {{\"professions\":[\"10\"],\"place\":\"Lyon\"}}"
            ))
        })?;
        let serde_json::Value::Object(object) = value else {
            return Err(invalid("expected a JSON object".to_owned()));
        };

        let mut query = PractitionerQuery::default();
        for (key, value) in object {
            match key.as_str() {
                "professions" => query.professions = codes(&key, &value).map_err(&invalid)?,
                "specialties" => query.specialties = codes(&key, &value).map_err(&invalid)?,
                "place" => {
                    query.place = match value {
                        serde_json::Value::Null => None,
                        serde_json::Value::String(place) => Some(Place::parse(&place)?),
                        _ => return Err(invalid("place must be text or null".to_owned())),
                    }
                }
                other => {
                    return Err(invalid(format!(
                        "unknown key {other:?}; the keys are professions, specialties and place"
                    )));
                }
            }
        }
        Ok(query)
    }
}

/// Reads an array of profession or specialty codes.
fn codes(key: &str, value: &serde_json::Value) -> std::result::Result<Vec<String>, String> {
    let serde_json::Value::Array(items) = value else {
        return Err(format!("{key} must be an array of codes"));
    };
    items
        .iter()
        .map(|item| {
            let code = item.as_str().unwrap_or_default();
            let valid = !code.is_empty()
                && code.len() <= MAX_CODE_LENGTH
                && code.bytes().all(|byte| byte.is_ascii_alphanumeric());
            if valid {
                Ok(code.to_owned())
            } else {
                Err(format!(
                    "{key} holds {item}, which is not a code of 1 to {MAX_CODE_LENGTH} ASCII letters or digits"
                ))
            }
        })
        .collect()
}

const PRACTITIONER_COLUMNS: &str = "p.id, p.family_name, p.given_name, p.profession, \
     p.specialty, p.sector";

impl RefStore {
    /// Returns the practitioner with identifier `id` in the snapshot of
    /// `source` in service, with their addresses in source order.
    pub fn practitioner(&self, source: &str, id: &str) -> Result<Option<Practitioner>> {
        let Some(snapshot_id) = self.current_id_of(source)? else {
            return Ok(None);
        };
        let practitioner = self
            .connection()
            .prepare_cached(&format!(
                "SELECT {PRACTITIONER_COLUMNS} FROM practitioner p
                 WHERE p.snapshot_id = ?1 AND p.id = ?2"
            ))?
            .query_row(params![snapshot_id, id], practitioner_from_row)
            .optional()?;
        let Some(mut practitioner) = practitioner else {
            return Ok(None);
        };
        practitioner.addresses = self
            .read_addresses(snapshot_id, &practitioner.id)?
            .into_iter()
            .map(|(address, _)| address)
            .collect();
        Ok(Some(practitioner))
    }

    /// Returns up to `limit` practitioners of the snapshot of `source` in
    /// service that match `query`, by family name, then given name, then
    /// identifier. The addresses of each come in source order, except that
    /// those in the searched place come first.
    pub fn search_practitioners(
        &self,
        source: &str,
        query: &PractitionerQuery,
        limit: usize,
    ) -> Result<Vec<Practitioner>> {
        let Some(snapshot_id) = self.current_id_of(source)? else {
            return Ok(Vec::new());
        };

        let (sql, values) = search_sql(snapshot_id, query, limit);
        let mut statement = self.connection().prepare(&sql)?;
        let mut practitioners = statement
            .query_map(params_from_iter(values.iter()), practitioner_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        for practitioner in &mut practitioners {
            let mut addresses = self.read_addresses(snapshot_id, &practitioner.id)?;
            if let Some(place) = &query.place {
                // A stable sort keeps the source order within each group.
                addresses.sort_by_key(|(address, key)| !place.matches(&address.postcode, key));
            }
            practitioner.addresses = addresses.into_iter().map(|(address, _)| address).collect();
        }
        Ok(practitioners)
    }

    /// Reads the addresses of a practitioner with their folded city key.
    fn read_addresses(
        &self,
        snapshot_id: i64,
        practitioner_id: &str,
    ) -> Result<Vec<(Address, String)>> {
        let mut statement = self.connection().prepare_cached(
            "SELECT line, postcode, city, city_key FROM practitioner_address
             WHERE snapshot_id = ?1 AND practitioner_id = ?2 ORDER BY seq",
        )?;
        let addresses = statement
            .query_map(params![snapshot_id, practitioner_id], |row| {
                Ok((
                    Address {
                        line: row.get(0)?,
                        postcode: row.get(1)?,
                        city: row.get(2)?,
                    },
                    row.get(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(addresses)
    }
}

/// Builds the search statement and its parameters, in placeholder order.
fn search_sql(snapshot_id: i64, query: &PractitionerQuery, limit: usize) -> (String, Vec<Value>) {
    let mut sql =
        format!("SELECT {PRACTITIONER_COLUMNS} FROM practitioner p WHERE p.snapshot_id = ?");
    let mut values = vec![Value::Integer(snapshot_id)];
    let mut any_of = |sql: &mut String, column: &str, codes: &[String]| {
        let placeholders = vec!["?"; codes.len()].join(", ");
        sql.push_str(&format!(" AND {column} IN ({placeholders})"));
        values.extend(codes.iter().cloned().map(Value::Text));
    };

    if !query.professions.is_empty() {
        any_of(&mut sql, "p.profession", &query.professions);
    }
    if !query.specialties.is_empty() {
        any_of(&mut sql, "p.specialty", &query.specialties);
    }
    if let Some(place) = &query.place {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM practitioner_address a
               WHERE a.snapshot_id = p.snapshot_id AND a.practitioner_id = p.id AND ",
        );
        match place {
            Place::Postcodes(postcodes) => {
                let placeholders = vec!["?"; postcodes.len()].join(", ");
                sql.push_str(&format!("a.postcode IN ({placeholders}))"));
                values.extend(postcodes.iter().cloned().map(Value::Text));
            }
            Place::Departement {
                postcode_prefix, ..
            } => {
                sql.push_str("a.postcode LIKE ?)");
                values.push(Value::Text(format!("{postcode_prefix}%")));
            }
            Place::City(key) => {
                sql.push_str("a.city_key = ?)");
                values.push(Value::Text(key.clone()));
            }
        }
    }

    sql.push_str(
        " ORDER BY p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id LIMIT ?",
    );
    values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    (sql, values)
}

fn practitioner_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Practitioner> {
    Ok(Practitioner {
        id: row.get(0)?,
        family_name: row.get(1)?,
        given_name: row.get(2)?,
        profession: row.get(3)?,
        specialty: row.get(4)?,
        sector: row.get(5)?,
        addresses: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_reads_every_key() {
        let query = PractitionerQuery::from_search_text(
            r#"{"professions":["10"],"specialties":["SM04","SM73"],"place":"Paris 15e"}"#,
        )
        .expect("valid query");

        assert_eq!(query.professions, ["10"]);
        assert_eq!(query.specialties, ["SM04", "SM73"]);
        assert_eq!(
            query.place,
            Some(Place::Postcodes(vec!["75015".to_owned()]))
        );
    }

    #[test]
    fn search_text_rejects_bad_input() {
        for text in [
            "cardiologue",
            "[]",
            r#"{"specialty":["SM04"]}"#,
            r#"{"specialties":"SM04"}"#,
            r#"{"specialties":["SM 04"]}"#,
            r#"{"place":75}"#,
        ] {
            let error = PractitionerQuery::from_search_text(text).expect_err(text);
            assert!(
                matches!(&error, RefDataError::InvalidQuery { text: given, .. } if given == text),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn search_text_rejects_missing_arrondissement() {
        let error = PractitionerQuery::from_search_text(r#"{"place":"Lyon 12e"}"#)
            .expect_err("Lyon has 9 arrondissements");

        assert!(
            matches!(error, RefDataError::InvalidPlace { .. }),
            "{error}"
        );
    }
}
