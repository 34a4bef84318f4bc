//! Reading one file into FHIR resources.
//!
//! A file may hold a `searchset` Bundle (the API's answer), a single
//! resource, a Bundle entry (`{"fullUrl": …, "resource": …}`, as in the v1
//! documentation) or an array of any of these. Most v1 documentation samples
//! are not valid JSON (trailing commas, `[...]` placeholders, cut files):
//! such a file is rejected whole with the line and column of the first
//! error, and the other files are still read.

use serde_json::Value;

/// A FHIR resource read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `resourceType`, such as `Practitioner`.
    pub resource_type: String,
    /// Logical id, when present.
    pub id: Option<String>,
    /// Name of the file it was read from.
    pub file: String,
    /// The resource as parsed.
    pub body: Value,
}

impl Resource {
    /// Returns the key other resources use to refer to this one, such as
    /// `Practitioner/334081DP`, when it has an id.
    pub fn key(&self) -> Option<String> {
        self.id
            .as_ref()
            .map(|id| format!("{}/{id}", self.resource_type))
    }

    /// Returns a short English label for notes, such as `Practitioner
    /// 334081DP in bundle.json`.
    pub fn label(&self) -> String {
        match &self.id {
            Some(id) => format!("{} {id} in {}", self.resource_type, self.file),
            None => format!("{} without id in {}", self.resource_type, self.file),
        }
    }
}

/// Failure to read a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The file is not valid JSON.
    #[error("{file}: invalid JSON at line {line}, column {column}: {detail}; file skipped")]
    InvalidJson {
        /// File name.
        file: String,
        /// Line of the first error, from 1.
        line: usize,
        /// Column of the first error, from 1.
        column: usize,
        /// Message of the JSON parser about the error.
        detail: String,
    },
    /// An earlier file of the same import has the same name, which the
    /// snapshot's list of files could not tell apart.
    #[error(
        "{file}: same name as an earlier file of this import, rename one of them; file skipped"
    )]
    DuplicateName {
        /// File name.
        file: String,
    },
    /// The file is JSON but contains no FHIR resource.
    #[error(
        "{file}: no FHIR resource (no object with a resourceType), expected a Bundle or resources exported from the Annuaire Santé; file skipped"
    )]
    NoResource {
        /// File name.
        file: String,
    },
}

/// UTF-8 byte order mark, which some editors write before JSON.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Reads the resources of file `name`, Bundles unwrapped, in file order.
///
/// # Errors
///
/// [`FileError::InvalidJson`] when the bytes are not JSON text in UTF-8,
/// and [`FileError::NoResource`] when the JSON contains no resource.
pub fn read_resources(name: &str, bytes: &[u8]) -> Result<Vec<Resource>, FileError> {
    let bytes = bytes.strip_prefix(BYTE_ORDER_MARK).unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes).map_err(|error| {
        let (line, column) = (error.line(), error.column());
        let text = error.to_string();
        let position = format!(" at line {line} column {column}");
        FileError::InvalidJson {
            file: name.to_owned(),
            line,
            column,
            detail: text.strip_suffix(&position).unwrap_or(&text).to_owned(),
        }
    })?;

    let mut resources = Vec::new();
    collect(&value, name, &mut resources);
    if resources.is_empty() {
        return Err(FileError::NoResource {
            file: name.to_owned(),
        });
    }
    Ok(resources)
}

/// Appends the resources found in `value`, unwrapping Bundles, Bundle
/// entries and arrays.
fn collect(value: &Value, file: &str, out: &mut Vec<Resource>) {
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, file, out);
            }
        }
        Value::Object(object) => match object.get("resourceType").and_then(Value::as_str) {
            Some("Bundle") => {
                for entry in object
                    .get("entry")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    collect(entry, file, out);
                }
            }
            Some(resource_type) => out.push(Resource {
                resource_type: resource_type.to_owned(),
                id: object
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned),
                file: file.to_owned(),
                body: value.clone(),
            }),
            None => {
                if let Some(resource) = object.get("resource") {
                    collect(resource, file, out);
                }
            }
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_entries_are_unwrapped() {
        let bundle = br#"{"resourceType":"Bundle","entry":[
            {"fullUrl":"x","resource":{"resourceType":"Practitioner","id":"p1"}},
            {"resource":{"resourceType":"Organization","id":"o1"}}]}"#;

        let resources = read_resources("b.json", bundle).expect("valid bundle");

        let keys: Vec<Option<String>> = resources.iter().map(Resource::key).collect();
        assert_eq!(
            keys,
            [
                Some("Practitioner/p1".to_owned()),
                Some("Organization/o1".to_owned())
            ]
        );
        assert!(resources.iter().all(|resource| resource.file == "b.json"));
    }

    #[test]
    fn array_and_entry_forms_are_read() {
        let array = br#"[{"resourceType":"Organization","id":"o1"},
            {"fullUrl":"y","resource":{"resourceType":"PractitionerRole","id":"r1"}}]"#;

        let resources = read_resources("a.json", array).expect("valid array");

        assert_eq!(resources.len(), 2);
        assert_eq!(resources[1].resource_type, "PractitionerRole");
    }

    #[test]
    fn trailing_comma_gives_position() {
        let text = b"{\n  \"resourceType\": \"Practitioner\",\n}";

        let error = read_resources("bad.json", text).expect_err("trailing comma");

        let FileError::InvalidJson {
            file,
            line,
            column,
            detail,
        } = &error
        else {
            panic!("expected invalid JSON, got {error}");
        };
        assert_eq!(file, "bad.json");
        assert_eq!((*line, *column), (3, 1));
        assert!(!detail.contains("at line"), "{detail}");
        assert!(
            error
                .to_string()
                .starts_with("bad.json: invalid JSON at line 3, column 1: ")
        );
    }

    #[test]
    fn json_without_resource_is_rejected() {
        let error = read_resources("empty.json", br#"{"entry":[]}"#).expect_err("no resource");

        assert_eq!(
            error,
            FileError::NoResource {
                file: "empty.json".to_owned()
            }
        );
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let text = b"\xEF\xBB\xBF{\"resourceType\":\"Practitioner\",\"id\":\"p1\"}";

        let resources = read_resources("bom.json", text).expect("BOM then JSON");

        assert_eq!(resources[0].id.as_deref(), Some("p1"));
    }
}
