//! Import of Annuaire Santé files (FHIR JSON of the Agence du Numérique en
//! Santé) into practitioner records.
//!
//! The crate takes the bytes of files and returns records. It does no I/O,
//! so it builds for `wasm32-wasip2` as the `annuaire` plugin as well as for
//! the host's tests. [`import`]:
//!
//! - reads each file as JSON: a `searchset` Bundle, a resource, a Bundle
//!   entry or an array of them, in the v1 or v2 shape. A file that is not
//!   valid JSON, as most v1 documentation samples are, is skipped with the
//!   line and column of the error;
//! - joins Practitioner, PractitionerRole and Organization resources across
//!   the files into one record per RPPS number, with the profession
//!   (TRE_G15), the specialty (TRE_R38) and the addresses of practice;
//! - notes every resource left out, so that nothing disappears silently.
//!
//! The Annuaire Santé publishes no convention sector (secteur 1, 2 or 3),
//! so the records leave it unknown.
//!
//! ```
//! use mediflux_plugin_annuaire::import;
//!
//! let bundle = br#"{"resourceType": "Bundle", "type": "searchset", "entry": [
//!   {"resource": {"resourceType": "Practitioner", "id": "p1",
//!     "identifier": [{"system": "https://rpps.esante.gouv.fr", "value": "10000000001"}],
//!     "name": [{"family": "Durand", "given": ["Lea"]}],
//!     "qualification": [{"code": {"coding": [{"system":
//!       "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante",
//!       "code": "70"}]}}]}}]}"#;
//! let files = vec![
//!     ("page-1.json".to_owned(), bundle.to_vec()),
//!     ("broken.json".to_owned(), b"{\"resourceType\": ".to_vec()),
//! ];
//!
//! let imported = import(&files);
//! assert_eq!(imported.practitioners[0].profession, "70");
//! assert_eq!(imported.files.len(), 1);
//! assert!(imported.file_errors[0].to_string().starts_with("broken.json: invalid JSON"));
//! ```

mod assemble;
mod codes;
mod document;
mod fhir;
#[cfg(target_arch = "wasm32")]
mod plugin;
mod record;

use sha2::{Digest, Sha256};

pub use assemble::{Assembly, assemble};
pub use codes::{PROFESSION_SYSTEM, SPECIALTY_SYSTEM};
pub use document::{FileError, Resource, read_resources};
pub use record::{AddressRecord, PractitionerRecord};

/// A file that went into an import, for the snapshot's provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    /// File name, without folder.
    pub name: String,
    /// SHA-256 of the content, lowercase hexadecimal.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// The outcome of reading a set of files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Import {
    /// One record per practitioner.
    pub practitioners: Vec<PractitionerRecord>,
    /// Files read, in the order given.
    pub files: Vec<ImportedFile>,
    /// Files skipped, each with the reason.
    pub file_errors: Vec<FileError>,
    /// Resources left out or merged, one English note each.
    pub notes: Vec<String>,
    /// Files and resources left out.
    pub rejected: u64,
}

/// Reads `files` (name and bytes) and builds their practitioners, joining
/// resources across files. A file that cannot be read is skipped and
/// reported in [`Import::file_errors`].
pub fn import(files: &[(String, Vec<u8>)]) -> Import {
    let mut imported = Import::default();
    let mut resources = Vec::new();

    for (name, bytes) in files {
        if imported.files.iter().any(|file| &file.name == name) {
            imported
                .file_errors
                .push(FileError::DuplicateName { file: name.clone() });
            continue;
        }
        match read_resources(name, bytes) {
            Ok(mut found) => {
                resources.append(&mut found);
                imported.files.push(ImportedFile {
                    name: name.clone(),
                    sha256: sha256_hex(bytes),
                    bytes: bytes.len() as u64,
                });
            }
            Err(error) => imported.file_errors.push(error),
        }
    }

    let assembly = assemble(&resources);
    imported.practitioners = assembly.practitioners;
    imported.notes = assembly.notes;
    imported.rejected = imported.file_errors.len() as u64 + assembly.rejected;
    imported
}

/// Returns the SHA-256 of `bytes` in lowercase hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
