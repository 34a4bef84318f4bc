//! `CIS_CIP_Dispo_Spec.txt`: shortages, supply tensions, discontinuations
//! and returns to availability.

use serde::{Deserialize, Serialize};

use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::record::{Schema, parse_records};
use crate::value::Date;

/// An availability notice, from `CIS_CIP_Dispo_Spec.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityNotice {
    /// Code CIS, 8 digits.
    pub cis: String,
    /// Code CIP13 of the presentation concerned, or `None` when every
    /// presentation of the specialty is. The format document specifies CIP7
    /// but the data contain CIP13.
    pub cip13: Option<String>,
    /// Status, from the code in column 3.
    pub status: AvailabilityStatus,
    /// Libellé du statut as published; its letter case varies
    /// (`Tension d'approvisionnement`, `tension d'approvisionnement`).
    pub status_label: String,
    /// Date de début.
    pub start_date: Date,
    /// Date de mise à jour.
    pub update_date: Date,
    /// Date de remise à disposition, often empty.
    pub restoration_date: Option<Date>,
    /// Page of the notice on the ANSM site.
    pub url: String,
}

/// Code statut, column 3 of `CIS_CIP_Dispo_Spec.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AvailabilityStatus {
    /// `1`: rupture de stock.
    Shortage,
    /// `2`: tension d'approvisionnement.
    SupplyTension,
    /// `3`: arrêt de commercialisation.
    Discontinued,
    /// `4`: remise à disposition.
    Restored,
}

impl AvailabilityStatus {
    /// Returns the status for its code in the file.
    pub fn from_code(code: &str) -> Option<AvailabilityStatus> {
        match code {
            "1" => Some(AvailabilityStatus::Shortage),
            "2" => Some(AvailabilityStatus::SupplyTension),
            "3" => Some(AvailabilityStatus::Discontinued),
            "4" => Some(AvailabilityStatus::Restored),
            _ => None,
        }
    }

    /// Returns the code used in the file.
    pub fn code(self) -> u8 {
        match self {
            AvailabilityStatus::Shortage => 1,
            AvailabilityStatus::SupplyTension => 2,
            AvailabilityStatus::Discontinued => 3,
            AvailabilityStatus::Restored => 4,
        }
    }
}

const SCHEMA: Schema = Schema {
    kind: FileKind::Availability,
    columns: &[
        "CIS code",
        "CIP13 code",
        "status code",
        "status label",
        "start date",
        "update date",
        "restoration date",
        "URL",
    ],
    required: 6,
};

/// Parses `CIS_CIP_Dispo_Spec.txt`.
pub fn parse_availability(bytes: &[u8]) -> Parsed<AvailabilityNotice> {
    parse_records(&SCHEMA, bytes, |record| {
        let status = AvailabilityStatus::from_code(record.raw(2).trim())
            .ok_or_else(|| record.invalid(2, "1, 2, 3 or 4"))?;

        Ok(AvailabilityNotice {
            cis: record.code(0, 8)?,
            cip13: record.optional_code(1, 13)?,
            status,
            status_label: record.text(3),
            start_date: record.date(4, Date::parse_dmy, "DD/MM/YYYY")?,
            update_date: record.date(5, Date::parse_dmy, "DD/MM/YYYY")?,
            restoration_date: record.optional_date(6, Date::parse_dmy, "DD/MM/YYYY")?,
            url: record.text(7),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_for_all_presentations() {
        let line = "61200510\t\t1\tRupture de stock\t22/10/2025\t26/01/2026\t\thttps://ansm.sante.fr/x\r\n";
        let parsed = parse_availability(line.as_bytes());
        assert_eq!(parsed.rejects, vec![]);
        let row = &parsed.rows[0];
        assert_eq!(row.cip13, None);
        assert_eq!(row.status, AvailabilityStatus::Shortage);
        assert_eq!(row.start_date, Date::new(2025, 10, 22).expect("valid date"));
        assert_eq!(row.restoration_date, None);
    }

    #[test]
    fn notice_for_one_presentation() {
        let line = "61200510\t3400930000000\t4\tremise à disposition\t22/10/2025\t26/01/2026\t25/01/2026\thttps://ansm.sante.fr/x\r\n";
        let parsed = parse_availability(line.as_bytes());
        let row = &parsed.rows[0];
        assert_eq!(row.cip13.as_deref(), Some("3400930000000"));
        assert_eq!(row.status.code(), 4);
        assert_eq!(row.restoration_date, Date::new(2026, 1, 25));
    }
}
