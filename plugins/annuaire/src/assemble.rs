//! Building practitioner records from the resources of every imported file.
//!
//! The Annuaire Santé spreads a practitioner over three resources: the
//! Practitioner (RPPS number, names, profession and specialty in its
//! qualifications), the PractitionerRole (one situation of practice, which
//! links the Practitioner to an Organization) and the Organization (the
//! address). v1 put the profession and specialty on the PractitionerRole
//! too, and its name in a PractitionerRole extension. Resources are joined
//! across files, so a Practitioner and its roles may come from different
//! files of one import.

use std::collections::HashMap;

use crate::codes;
use crate::document::Resource;
use crate::fhir::{
    self, address, array, codings, contained_id, first_code, national_id, practitioner_name,
    reference_key, role_name,
};
use crate::record::{AddressRecord, PractitionerRecord};

/// The practitioners built from a set of resources, and what was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assembly {
    /// One record per national identifier, in the order of the first
    /// Practitioner resource with that identifier.
    pub practitioners: Vec<PractitionerRecord>,
    /// English notes, one per resource left out or merged.
    pub notes: Vec<String>,
    /// Practitioner and PractitionerRole resources left out.
    pub rejected: u64,
}

impl Assembly {
    fn skip(&mut self, note: String) {
        self.rejected += 1;
        self.notes.push(note);
    }
}

/// Builds the practitioners of `resources`.
///
/// A Practitioner without an RPPS or ADELI number, a family name or a
/// profession code is left out with a note, and so is a PractitionerRole
/// that links to no Practitioner of the import. Two Practitioner resources
/// with the same national identifier are merged.
pub fn assemble(resources: &[Resource]) -> Assembly {
    let mut index: HashMap<String, &Resource> = HashMap::new();
    for resource in resources {
        if let Some(key) = resource.key() {
            index.entry(key).or_insert(resource);
        }
    }

    let mut assembly = Assembly::default();
    let mut roles_of: HashMap<String, Vec<&Resource>> = HashMap::new();
    for role in of_type(resources, "PractitionerRole") {
        match role.body.get("practitioner").and_then(reference_key) {
            Some(key) if index.contains_key(&key) => roles_of.entry(key).or_default().push(role),
            Some(key) => assembly.skip(format!(
                "{}: refers to {key}, which none of the imported files holds; skipped",
                role.label()
            )),
            None => assembly.skip(format!(
                "{}: no link to a Practitioner, so no RPPS number; skipped",
                role.label()
            )),
        }
    }

    let mut positions: HashMap<String, usize> = HashMap::new();
    for practitioner in of_type(resources, "Practitioner") {
        let roles: &[&Resource] = practitioner
            .key()
            .and_then(|key| roles_of.get(&key))
            .map_or(&[], Vec::as_slice);
        let record = match build(practitioner, roles, &index) {
            Ok(record) => record,
            Err(problem) => {
                assembly.skip(format!("{}: {problem}; skipped", practitioner.label()));
                continue;
            }
        };

        match positions.get(&record.id) {
            Some(&position) => {
                merge(&mut assembly.practitioners[position], record);
                assembly.notes.push(format!(
                    "{}: same national identifier as an earlier Practitioner; merged",
                    practitioner.label()
                ));
            }
            None => {
                positions.insert(record.id.clone(), assembly.practitioners.len());
                assembly.practitioners.push(record);
            }
        }
    }
    assembly
}

fn of_type<'r>(resources: &'r [Resource], wanted: &'r str) -> impl Iterator<Item = &'r Resource> {
    resources
        .iter()
        .filter(move |resource| resource.resource_type == wanted)
}

/// Builds one record from a Practitioner and its roles, or returns why it
/// cannot be built.
fn build(
    practitioner: &Resource,
    roles: &[&Resource],
    index: &HashMap<String, &Resource>,
) -> Result<PractitionerRecord, &'static str> {
    let body = &practitioner.body;
    let id = national_id(body).ok_or("no RPPS or ADELI identifier")?;

    let (family_name, given_name) = practitioner_name(body)
        .or_else(|| roles.iter().find_map(|role| role_name(&role.body)))
        .ok_or("no family name")?;

    let qualifications: Vec<&serde_json::Value> = array(body, "qualification")
        .iter()
        .filter_map(|qualification| qualification.get("code"))
        .flat_map(codings)
        .collect();
    let role_codings: Vec<&serde_json::Value> = roles
        .iter()
        .flat_map(|role| {
            let code = role.body.get("code").map(codings).unwrap_or_default();
            let specialty = role.body.get("specialty").map(codings).unwrap_or_default();
            code.into_iter().chain(specialty)
        })
        .collect();

    let profession = first_code(qualifications.iter().copied(), codes::is_profession)
        .or_else(|| first_code(role_codings.iter().copied(), codes::is_profession))
        .ok_or("no profession code of the TRE_G15 table")?;
    // NOTE: a practitioner with several specialties keeps the first one
    // listed, because the record carries a single specialty.
    let specialty = first_code(qualifications.iter().copied(), codes::is_specialty)
        .or_else(|| first_code(role_codings.iter().copied(), codes::is_specialty));

    let mut addresses = Vec::new();
    for found in array(body, "address").iter().filter_map(address) {
        push_unique(&mut addresses, found);
    }
    for role in roles {
        for found in role_addresses(role, index) {
            push_unique(&mut addresses, found);
        }
    }

    Ok(PractitionerRecord {
        id,
        family_name,
        given_name,
        profession,
        specialty,
        addresses,
    })
}

/// Returns the addresses of an active role: those of its Organization and
/// of its locations, contained (v1) or separate.
fn role_addresses(role: &Resource, index: &HashMap<String, &Resource>) -> Vec<AddressRecord> {
    let body = &role.body;
    if body.get("active").and_then(serde_json::Value::as_bool) == Some(false) {
        return Vec::new();
    }

    let mut found = Vec::new();
    if let Some(organization) = body
        .get("organization")
        .and_then(reference_key)
        .and_then(|key| index.get(&key))
    {
        found.extend(
            array(&organization.body, "address")
                .iter()
                .filter_map(address),
        );
    }

    for location in array(body, "location") {
        let resource = reference_key(location).and_then(|key| index.get(&key).map(|r| &r.body));
        let contained = contained_id(location).and_then(|id| {
            array(body, "contained")
                .iter()
                .find(|item| item.get("id").and_then(fhir::text) == Some(id))
        });
        if let Some(place) = resource.or(contained)
            && let Some(place_address) = place.get("address").and_then(address)
        {
            found.push(place_address);
        }
    }
    found
}

fn push_unique(addresses: &mut Vec<AddressRecord>, address: AddressRecord) {
    if !addresses.contains(&address) {
        addresses.push(address);
    }
}

/// Completes `kept` with what `other`, the same practitioner, adds.
fn merge(kept: &mut PractitionerRecord, other: PractitionerRecord) {
    if kept.specialty.is_none() {
        kept.specialty = other.specialty;
    }
    for address in other.addresses {
        push_unique(&mut kept.addresses, address);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn resource(body: Value, file: &str) -> Resource {
        Resource {
            resource_type: body["resourceType"].as_str().expect("a type").to_owned(),
            id: body["id"].as_str().map(str::to_owned),
            file: file.to_owned(),
            body,
        }
    }

    fn doctor(id: &str, rpps: &str) -> Value {
        json!({
            "resourceType": "Practitioner", "id": id,
            "identifier": [{"system": "https://rpps.esante.gouv.fr", "value": rpps}],
            "name": [{"use": "usual", "family": "Durand", "given": ["Léa"]}],
            "qualification": [{"code": {"coding": [
                {"system": codes::PROFESSION_SYSTEM, "code": "10"},
                {"system": codes::SPECIALTY_SYSTEM, "code": "SM15"}]}}]
        })
    }

    #[test]
    fn roles_join_organizations_across_files() {
        let resources = vec![
            resource(doctor("p1", "10000000001"), "a.json"),
            resource(
                json!({"resourceType": "PractitionerRole", "id": "r1",
                       "practitioner": {"reference": "Practitioner/p1"},
                       "organization": {"reference": "Organization/o1"}}),
                "a.json",
            ),
            resource(
                json!({"resourceType": "Organization", "id": "o1",
                       "address": [{"line": ["3 PL BELLECOUR"], "postalCode": "69002", "city": "LYON"}]}),
                "b.json",
            ),
        ];

        let assembly = assemble(&resources);

        assert_eq!(assembly.notes, Vec::<String>::new());
        assert_eq!(assembly.practitioners.len(), 1);
        let record = &assembly.practitioners[0];
        assert_eq!(record.id, "10000000001");
        assert_eq!(record.family_name, "Durand");
        assert_eq!(record.given_name, "Léa");
        assert_eq!(record.profession, "10");
        assert_eq!(record.specialty.as_deref(), Some("SM15"));
        assert_eq!(
            record.addresses,
            [AddressRecord {
                line: "3 PL BELLECOUR".to_owned(),
                postcode: "69002".to_owned(),
                city: "LYON".to_owned(),
            }]
        );
    }

    #[test]
    fn v1_role_gives_name_profession_and_location() {
        let practitioner = json!({"resourceType": "Practitioner", "id": "p9",
            "identifier": [{"system": "http://rpps.fr", "value": "10102727017"}],
            "name": [{"prefix": "M", "use": "usual"}]});
        let role = json!({"resourceType": "PractitionerRole", "id": "r9",
            "practitioner": {"reference": "Practitioner/p9"},
            "code": [{"coding": [{"system": codes::PROFESSION_OID, "code": "21"}]}],
            "extension": [{"url": "https://apifhir.annuaire.sante.fr/exposed/structuredefinition/practitionerRole-name",
                           "valueHumanName": {"family": "CHATELIER", "suffix": null, "given": ["David"]}}],
            "location": [{"reference": "-2"}],
            "contained": [{"resourceType": "Location", "id": "-2",
                           "address": {"city": "58000 NEVERS", "postalCode": "58000"}}]});

        let assembly = assemble(&[resource(practitioner, "v1.json"), resource(role, "v1.json")]);

        let record = &assembly.practitioners[0];
        assert_eq!(
            (record.family_name.as_str(), record.given_name.as_str()),
            ("CHATELIER", "David")
        );
        assert_eq!(record.profession, "21");
        assert_eq!(record.specialty, None);
        assert_eq!(record.addresses[0].city, "NEVERS");
    }

    #[test]
    fn unusable_resources_are_noted() {
        let no_id = json!({"resourceType": "Practitioner", "id": "p2",
            "name": [{"family": "X"}]});
        let unlinked = json!({"resourceType": "PractitionerRole", "id": "r2"});
        let dangling = json!({"resourceType": "PractitionerRole", "id": "r3",
            "practitioner": {"reference": "Practitioner/absent"}});
        let no_profession = json!({"resourceType": "Practitioner", "id": "p3",
            "identifier": [{"system": "https://rpps.esante.gouv.fr", "value": "10000000003"}],
            "name": [{"family": "Y"}]});

        let assembly = assemble(&[
            resource(no_id, "c.json"),
            resource(unlinked, "c.json"),
            resource(dangling, "c.json"),
            resource(no_profession, "c.json"),
        ]);

        assert!(assembly.practitioners.is_empty());
        assert_eq!(assembly.rejected, 4);
        let notes = assembly.notes.join("\n");
        for expected in [
            "Practitioner p2 in c.json: no RPPS or ADELI identifier; skipped",
            "PractitionerRole r2 in c.json: no link to a Practitioner",
            "PractitionerRole r3 in c.json: refers to Practitioner/absent",
            "Practitioner p3 in c.json: no profession code",
        ] {
            assert!(
                notes.contains(expected),
                "{expected:?} missing from:\n{notes}"
            );
        }
    }

    #[test]
    fn same_rpps_is_merged() {
        let first = doctor("p1", "10000000001");
        let mut second = doctor("p1-v2", "10000000001");
        second["address"] = json!([{"postalCode": "69003", "city": "LYON"}]);

        let assembly = assemble(&[resource(first, "a.json"), resource(second, "b.json")]);

        assert_eq!(assembly.practitioners.len(), 1);
        assert_eq!(assembly.practitioners[0].addresses.len(), 1);
        assert_eq!(assembly.rejected, 0);
        assert!(assembly.notes[0].contains("merged"), "{:?}", assembly.notes);
    }

    #[test]
    fn inactive_role_adds_no_address() {
        let role = json!({"resourceType": "PractitionerRole", "id": "r1", "active": false,
            "practitioner": {"reference": "Practitioner/p1"},
            "organization": {"reference": "Organization/o1"}});
        let organization = json!({"resourceType": "Organization", "id": "o1",
            "address": [{"postalCode": "69002", "city": "LYON"}]});

        let assembly = assemble(&[
            resource(doctor("p1", "10000000001"), "a.json"),
            resource(role, "a.json"),
            resource(organization, "a.json"),
        ]);

        assert!(assembly.practitioners[0].addresses.is_empty());
    }
}
