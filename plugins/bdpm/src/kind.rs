//! The BDPM file kinds and their detection from a file name.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One of the files published by the BDPM (base de données publique des
/// médicaments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// `CIS_bdpm.txt`: one row per specialty (médicament), keyed by CIS.
    Specialties,
    /// `CIS_CIP_bdpm.txt`: presentations (boxes) with CIP codes, prices and
    /// reimbursement rates.
    Presentations,
    /// `CIS_COMPO_bdpm.txt`: active substances and their dosages.
    Compositions,
    /// `CIS_GENER_bdpm.txt`: members of generic groups.
    GenericGroups,
    /// `CIS_CPD_bdpm.txt`: prescription and dispensing conditions.
    PrescriptionConditions,
    /// `CIS_HAS_SMR_bdpm.txt`: HAS opinions on the actual benefit (SMR).
    HasSmr,
    /// `CIS_HAS_ASMR_bdpm.txt`: HAS opinions on the added benefit (ASMR).
    HasAsmr,
    /// `HAS_LiensPageCT_bdpm.txt`: links from HAS dossier codes to the
    /// Transparency Committee pages.
    HasPageLinks,
    /// `CIS_MITM.txt`: medicines of major therapeutic interest (MITM).
    MajorTherapeuticInterest,
    /// `CIS_CIP_Dispo_Spec.txt`: shortages, supply tensions and returns.
    Availability,
    /// `CIS_InfoImportantes_AAAAMMJJhhmiss_bdpm.txt`: important safety
    /// information, generated on request with a timestamp in its name.
    ImportantInformation,
}

/// Error returned when a file name matches no BDPM file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown BDPM file name {0:?}: expected one of the published names, such as CIS_bdpm.txt \
     or CIS_InfoImportantes_20260509120000_bdpm.txt"
)]
pub struct UnknownFileName(pub String);

impl FileKind {
    /// Every kind, in the order of the official format document.
    pub const ALL: [FileKind; 11] = [
        FileKind::Specialties,
        FileKind::Presentations,
        FileKind::Compositions,
        FileKind::GenericGroups,
        FileKind::PrescriptionConditions,
        FileKind::HasSmr,
        FileKind::HasAsmr,
        FileKind::HasPageLinks,
        FileKind::MajorTherapeuticInterest,
        FileKind::Availability,
        FileKind::ImportantInformation,
    ];

    /// Returns the published file name. `CIS_InfoImportantes` has no fixed
    /// name, so its download name `CIS_InfoImportantes.txt` is returned.
    pub fn file_name(self) -> &'static str {
        match self {
            FileKind::Specialties => "CIS_bdpm.txt",
            FileKind::Presentations => "CIS_CIP_bdpm.txt",
            FileKind::Compositions => "CIS_COMPO_bdpm.txt",
            FileKind::GenericGroups => "CIS_GENER_bdpm.txt",
            FileKind::PrescriptionConditions => "CIS_CPD_bdpm.txt",
            FileKind::HasSmr => "CIS_HAS_SMR_bdpm.txt",
            FileKind::HasAsmr => "CIS_HAS_ASMR_bdpm.txt",
            FileKind::HasPageLinks => "HAS_LiensPageCT_bdpm.txt",
            FileKind::MajorTherapeuticInterest => "CIS_MITM.txt",
            FileKind::Availability => "CIS_CIP_Dispo_Spec.txt",
            FileKind::ImportantInformation => "CIS_InfoImportantes.txt",
        }
    }

    /// Detects the kind from a file name or path.
    ///
    /// Only the last path component counts, and letter case is ignored.
    /// `CIS_InfoImportantes` is recognised both under its download name
    /// `CIS_InfoImportantes.txt` and under the generated name
    /// `CIS_InfoImportantes_AAAAMMJJhhmiss_bdpm.txt`.
    pub fn from_file_name(path: &str) -> Result<FileKind, UnknownFileName> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);

        if let Some(kind) = FileKind::ALL
            .into_iter()
            .find(|kind| kind.file_name().eq_ignore_ascii_case(name))
        {
            return Ok(kind);
        }

        if is_timestamped_important_information(name) {
            return Ok(FileKind::ImportantInformation);
        }
        Err(UnknownFileName(path.to_owned()))
    }
}

/// Returns whether `name` is `CIS_InfoImportantes_` followed by a 14-digit
/// timestamp and `_bdpm.txt`.
fn is_timestamped_important_information(name: &str) -> bool {
    const PREFIX: &str = "cis_infoimportantes_";
    const SUFFIX: &str = "_bdpm.txt";
    const TIMESTAMP_DIGITS: usize = 14;

    let lower = name.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix(PREFIX) else {
        return false;
    };
    let Some(timestamp) = rest.strip_suffix(SUFFIX) else {
        return false;
    };
    timestamp.len() == TIMESTAMP_DIGITS && timestamp.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_names_round_trip() {
        for kind in FileKind::ALL {
            assert_eq!(FileKind::from_file_name(kind.file_name()), Ok(kind));
        }
    }

    #[test]
    fn path_and_case_ignored() {
        assert_eq!(
            FileKind::from_file_name("data/2026-01-28/cis_cip_bdpm.TXT"),
            Ok(FileKind::Presentations)
        );
        assert_eq!(
            FileKind::from_file_name(r"C:\bdpm\CIS_MITM.txt"),
            Ok(FileKind::MajorTherapeuticInterest)
        );
    }

    #[test]
    fn important_information_timestamped() {
        assert_eq!(
            FileKind::from_file_name("CIS_InfoImportantes_20260509143012_bdpm.txt"),
            Ok(FileKind::ImportantInformation)
        );
        assert!(FileKind::from_file_name("CIS_InfoImportantes_2026050914_bdpm.txt").is_err());
        assert!(FileKind::from_file_name("CIS_InfoImportantes_2026050914301x_bdpm.txt").is_err());
    }

    #[test]
    fn unknown_name_rejected() {
        let error = FileKind::from_file_name("CIS_bdpm.csv").expect_err("not a BDPM name");
        assert_eq!(error, UnknownFileName("CIS_bdpm.csv".to_owned()));
        assert!(
            error
                .to_string()
                .starts_with("unknown BDPM file name \"CIS_bdpm.csv\"")
        );
    }
}
