//! The parser on the real Annuaire Santé files next to the repository: the
//! v1 documentation samples, most of them invalid JSON, and the v2-shaped
//! synthetic searchset Bundle.

use std::path::{Path, PathBuf};

use mediflux_plugin_annuaire::{FileError, import};

/// v1 samples that a strict JSON parser rejects: trailing commas, `[...]`
/// placeholders, a cut file and a file of two objects.
const INVALID_V1: [&str; 11] = [
    "PM1.json",
    "PM2.json",
    "PM7.json",
    "PP16-Practitioner.json",
    "PP19-Practitioner.json",
    "PP19-organizationalRole_SituExe.json",
    "sample-org-pr-link-1.json",
    "sample-org-pr-link-2.json",
    "sample-org-pr-link-3.json",
    "sample-org-pr-link-4.json",
    "sample-org-pr-link-5.json",
];

fn annuaire_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/annuaire");
    assert!(
        root.is_dir(),
        "missing Annuaire Santé data folder {}: the tests need the real files in shared/data/annuaire next to the repository",
        root.display()
    );
    root
}

/// Reads every file of `folder` (relative to the Annuaire data folder) as
/// name and bytes, in name order.
fn read_folder(folder: &str) -> Vec<(String, Vec<u8>)> {
    let folder = annuaire_root().join(folder);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("failed to list {}: {error}", folder.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .map(|path| {
            let name = path
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()));
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn v1_samples_report_each_invalid_file() {
    let files = read_folder("ans-doc-samples-v1");
    assert_eq!(files.len(), 14, "the v1 sample folder changed");

    let imported = import(&files);

    let mut invalid: Vec<&str> = imported
        .file_errors
        .iter()
        .map(|error| match error {
            FileError::InvalidJson { file, line, .. } => {
                assert!(*line > 0, "{error}");
                file.as_str()
            }
            other => panic!("unexpected file error: {other}"),
        })
        .collect();
    invalid.sort_unstable();
    assert_eq!(invalid, INVALID_V1);

    let read: Vec<&str> = imported
        .files
        .iter()
        .map(|file| file.name.as_str())
        .collect();
    assert_eq!(
        read,
        [
            "PP16-organizationalRole_SituExe.json",
            "PP16-professionalRole_ExePro.json",
            "PP19-professionalRole_ExePro.json",
        ]
    );
}

#[test]
fn v1_trailing_comma_is_located() {
    let files = read_folder("ans-doc-samples-v1");
    let practitioner = files
        .iter()
        .find(|(name, _)| name == "PP16-Practitioner.json")
        .expect("PP16-Practitioner.json present")
        .clone();

    let imported = import(&[practitioner]);

    let message = imported.file_errors[0].to_string();
    assert!(
        message.starts_with("PP16-Practitioner.json: invalid JSON at line 18, column "),
        "{message}"
    );
    assert!(message.ends_with("file skipped"), "{message}");
}

#[test]
fn v1_roles_without_practitioner_are_noted() {
    let imported = import(&read_folder("ans-doc-samples-v1"));

    // The valid v1 samples are PractitionerRoles that link to no
    // Practitioner, so no RPPS number: nothing can be stored.
    assert!(imported.practitioners.is_empty());
    assert_eq!(imported.notes.len(), 3, "{:#?}", imported.notes);
    for note in &imported.notes {
        assert!(
            note.starts_with("PractitionerRole ") && note.contains("no link to a Practitioner"),
            "{note}"
        );
    }
    assert_eq!(imported.rejected, 11 + 3);
}

#[test]
fn v2_bundle_gives_cardiologist_in_paris() {
    let imported = import(&read_folder("synthetic"));

    assert!(
        imported.file_errors.is_empty(),
        "{:?}",
        imported.file_errors
    );
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    assert_eq!(imported.practitioners.len(), 1);
    let saucier = &imported.practitioners[0];
    assert_eq!(saucier.id, "10003461033");
    assert_eq!(saucier.family_name, "Saucier");
    assert_eq!(saucier.given_name, "Arthur");
    assert_eq!(saucier.profession, "10");
    assert_eq!(saucier.specialty.as_deref(), Some("SM04"));
    assert_eq!(saucier.addresses.len(), 1);
    let address = &saucier.addresses[0];
    assert_eq!(address.line, "96 R DIDOT");
    assert_eq!(address.postcode, "75014");
    assert_eq!(address.city, "PARIS");
}

#[test]
fn v1_and_v2_together_keep_going() {
    let mut files = read_folder("ans-doc-samples-v1");
    files.extend(read_folder("synthetic"));

    let imported = import(&files);

    assert_eq!(imported.practitioners.len(), 1);
    assert_eq!(imported.practitioners[0].id, "10003461033");
    assert_eq!(imported.file_errors.len(), INVALID_V1.len());
    assert_eq!(imported.files.len(), 4);
    for file in &imported.files {
        assert_eq!(file.sha256.len(), 64, "{}", file.name);
        assert!(file.bytes > 0, "{}", file.name);
    }
}
