//! Readers of the FHIR data types the practitioner records need: codings,
//! identifiers, human names, addresses and references. Every reader
//! tolerates the `null` values and missing fields of the v1 samples.

use serde_json::Value;

use crate::codes;
use crate::record::AddressRecord;

/// Returns the non-empty, trimmed string at `value`.
pub fn text(value: &Value) -> Option<&str> {
    value
        .as_str()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// Returns the array at `value[key]`, or an empty slice.
pub fn array<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Returns the codings of a CodeableConcept, or of a list of them.
pub fn codings(concepts: &Value) -> Vec<&Value> {
    match concepts {
        Value::Array(items) => items.iter().flat_map(codings).collect(),
        Value::Object(_) => array(concepts, "coding").iter().collect(),
        _ => Vec::new(),
    }
}

/// Returns the first code whose coding system satisfies `accept`.
pub fn first_code<'v>(
    codings: impl IntoIterator<Item = &'v Value>,
    accept: fn(&str) -> bool,
) -> Option<String> {
    codings.into_iter().find_map(|coding| {
        let system = coding.get("system").and_then(text)?;
        if !accept(system) {
            return None;
        }
        coding.get("code").and_then(text).map(str::to_owned)
    })
}

/// Returns the national identifier of a practitioner: the RPPS number, or
/// else the RPPS or ADELI number inside the IDNPS (`8` + RPPS, `0` +
/// ADELI).
pub fn national_id(practitioner: &Value) -> Option<String> {
    let identifiers = array(practitioner, "identifier");
    let rpps = identifiers.iter().find_map(|identifier| {
        let system = identifier.get("system").and_then(text);
        let typed_rpps = codings(identifier.get("type").unwrap_or(&Value::Null))
            .iter()
            .any(|coding| coding.get("code").and_then(text) == Some(codes::RPPS_TYPE));
        let is_rpps = system.is_some_and(|system| codes::RPPS_SYSTEMS.contains(&system));
        (is_rpps || typed_rpps)
            .then(|| identifier.get("value").and_then(text))
            .flatten()
    });
    if let Some(rpps) = rpps {
        return Some(rpps.to_owned());
    }

    identifiers.iter().find_map(|identifier| {
        if identifier.get("system").and_then(text) != Some(codes::IDNPS_SYSTEM) {
            return None;
        }
        let value = identifier.get("value").and_then(text)?;
        match value.split_at_checked(1)? {
            ("8" | "0", number) if !number.is_empty() => Some(number.to_owned()),
            _ => None,
        }
    })
}

/// A family name and the given names joined by spaces.
pub type Name = (String, String);

/// Reads a HumanName with a family name.
pub fn human_name(name: &Value) -> Option<Name> {
    let family = name.get("family").and_then(text)?;
    let given: Vec<&str> = match name.get("given") {
        Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
        Some(value) => text(value).into_iter().collect(),
        None => Vec::new(),
    };
    Some((family.to_owned(), given.join(" ")))
}

/// Returns the name of a Practitioner: the `usual` name (name of
/// practice), else the `official` one, else the first with a family name.
pub fn practitioner_name(practitioner: &Value) -> Option<Name> {
    let names = array(practitioner, "name");
    let with_use = |wanted: &str| {
        names
            .iter()
            .filter(|name| name.get("use").and_then(text) == Some(wanted))
            .find_map(human_name)
    };
    with_use("usual")
        .or_else(|| with_use("official"))
        .or_else(|| names.iter().find_map(human_name))
}

/// Returns the name a v1 PractitionerRole carries in its
/// `practitionerRole-name` extension.
pub fn role_name(role: &Value) -> Option<Name> {
    array(role, "extension").iter().find_map(|extension| {
        let url = extension.get("url").and_then(text)?;
        if !url.ends_with(codes::ROLE_NAME_EXTENSION) {
            return None;
        }
        human_name(extension.get("valueHumanName")?)
    })
}

/// Returns the key of the resource a Reference points to, such as
/// `Organization/548812DP`, from a relative or absolute reference.
pub fn reference_key(reference: &Value) -> Option<String> {
    let target = reference.get("reference").and_then(text)?;
    let mut segments = target.rsplit('/');
    let id = segments.next().filter(|id| !id.is_empty())?;
    let resource_type = segments.next().filter(|kind| !kind.is_empty())?;
    Some(format!("{resource_type}/{id}"))
}

/// Returns the id of a contained resource a Reference points to: `#-2`
/// or, as in the v1 samples, a bare `-2`.
pub fn contained_id(reference: &Value) -> Option<&str> {
    let target = reference.get("reference").and_then(text)?;
    let id = target.strip_prefix('#').unwrap_or(target);
    (!id.contains('/')).then_some(id)
}

/// Reads an Address into a record, or `None` when it has neither a
/// postcode nor a city.
///
/// The street line comes from `line`, or from the v1 `_line` extensions
/// (house number, street type, street name). A postcode that is not five
/// digits is dropped. A city written after its postcode, as the v1 samples
/// do (`75014 PARIS`), loses the postcode.
pub fn address(address: &Value) -> Option<AddressRecord> {
    let postcode = address
        .get("postalCode")
        .and_then(text)
        .filter(|code| code.len() == 5 && code.bytes().all(|byte| byte.is_ascii_digit()))
        .unwrap_or_default()
        .to_owned();
    let mut city = address.get("city").and_then(text).unwrap_or_default();
    if !postcode.is_empty()
        && let Some(rest) = city.strip_prefix(postcode.as_str())
    {
        city = rest.trim_start();
    }
    if postcode.is_empty() && city.is_empty() {
        return None;
    }

    let lines: Vec<&str> = array(address, "line").iter().filter_map(text).collect();
    let line = if lines.is_empty() {
        extension_line(address)
    } else {
        lines.join(", ")
    };
    Some(AddressRecord {
        line,
        postcode,
        city: city.to_owned(),
    })
}

/// Builds a street line from the v1 `_line` extensions.
fn extension_line(address: &Value) -> String {
    let mut parts = Vec::new();
    for line in array(address, "_line") {
        for suffix in codes::ADDRESS_LINE_PARTS {
            let part = array(line, "extension").iter().find_map(|extension| {
                let url = extension.get("url").and_then(text)?;
                if !url.ends_with(suffix) {
                    return None;
                }
                match extension.get("valueString")? {
                    Value::Array(values) => values.iter().find_map(text),
                    value => text(value),
                }
            });
            parts.extend(part);
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rpps_from_either_system_or_idnps() {
        let v2 = json!({"identifier": [
            {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810003461033"},
            {"system": "https://rpps.esante.gouv.fr", "value": "10003461033"}]});
        let v1 = json!({"identifier": [{"system": "http://rpps.fr", "value": "10102727017"}]});
        let idnps_only = json!({"identifier": [
            {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810003461033"}]});
        let adeli = json!({"identifier": [
            {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "0012807590"}]});
        let none = json!({"identifier": [{"system": "https://annuaire.sante.fr", "value": "F1"}]});

        assert_eq!(national_id(&v2).as_deref(), Some("10003461033"));
        assert_eq!(national_id(&v1).as_deref(), Some("10102727017"));
        assert_eq!(national_id(&idnps_only).as_deref(), Some("10003461033"));
        assert_eq!(national_id(&adeli).as_deref(), Some("012807590"));
        assert_eq!(national_id(&none), None);
    }

    #[test]
    fn usual_name_wins() {
        let practitioner = json!({"name": [
            {"use": "official", "family": "MARTIN", "given": ["Anne"]},
            {"use": "usual", "family": "Martin-Durand", "given": ["Anne", "Marie"]}]});
        let prefix_only = json!({"name": [{"prefix": "M", "use": "usual"}]});

        assert_eq!(
            practitioner_name(&practitioner),
            Some(("Martin-Durand".to_owned(), "Anne Marie".to_owned()))
        );
        assert_eq!(practitioner_name(&prefix_only), None);
    }

    #[test]
    fn references_resolve_to_keys() {
        let relative = json!({"reference": "Organization/548812DP"});
        let absolute = json!({"reference": "https://gateway.api.esante.gouv.fr/fhir/v2/Practitioner/334081DP"});

        assert_eq!(
            reference_key(&relative).as_deref(),
            Some("Organization/548812DP")
        );
        assert_eq!(
            reference_key(&absolute).as_deref(),
            Some("Practitioner/334081DP")
        );
        assert_eq!(reference_key(&json!({"reference": "-2"})), None);
        assert_eq!(contained_id(&json!({"reference": "#loc"})), Some("loc"));
        assert_eq!(contained_id(&json!({"reference": "-2"})), Some("-2"));
    }

    #[test]
    fn v1_address_with_postcode_in_city() {
        let v1 = json!({
            "city": "75014 PARIS",
            "postalCode": "75014",
            "_line": [{"extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-houseNumber", "valueString": ["96"]},
                {"url": "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-streetNameType", "valueString": ["R"]},
                {"url": "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-streetNameBase", "valueString": ["DIDOT"]},
                {"url": "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-careOf", "valueString": [null]}]}]
        });

        let record = address(&v1).expect("an address");

        assert_eq!(record.line, "96 R DIDOT");
        assert_eq!(record.postcode, "75014");
        assert_eq!(record.city, "PARIS");
    }

    #[test]
    fn empty_address_is_dropped() {
        let nulls = json!({"city": null, "postalCode": null, "_line": [{"extension": []}]});
        let bad_postcode = json!({"city": "LYON", "postalCode": "6900"});

        assert_eq!(address(&nulls), None);
        let lyon = address(&bad_postcode).expect("the city is enough");
        assert_eq!(lyon.postcode, "");
        assert_eq!(lyon.city, "LYON");
    }
}
