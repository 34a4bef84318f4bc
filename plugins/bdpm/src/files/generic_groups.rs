//! `CIS_GENER_bdpm.txt`: members of the generic groups.

use serde::{Deserialize, Serialize};

use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::record::{Schema, parse_records};

/// Membership of one specialty in one generic group, from
/// `CIS_GENER_bdpm.txt`.
///
/// Groups keep withdrawn products, so `cis` is often absent from
/// `CIS_bdpm.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenericGroupMember {
    /// Identifiant du groupe générique, digits kept as a string.
    pub group_id: String,
    /// Libellé du groupe générique.
    pub group_label: String,
    /// Code CIS of the member, 8 digits.
    pub cis: String,
    /// Role of the member in the group.
    pub generic_type: GenericType,
    /// Numéro de tri: display order within the group.
    pub sort_order: u32,
}

/// Type de générique, column 4 of `CIS_GENER_bdpm.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenericType {
    /// `0`: princeps, the reference medicine.
    Princeps,
    /// `1`: générique.
    Generic,
    /// `2`: générique par complémentarité posologique.
    DosageComplementGeneric,
    /// `4`: générique substituable.
    SubstitutableGeneric,
}

impl GenericType {
    /// Returns the type for its code in the file, or `None` for a code the
    /// format document does not define (it defines no `3`).
    pub fn from_code(code: &str) -> Option<GenericType> {
        match code {
            "0" => Some(GenericType::Princeps),
            "1" => Some(GenericType::Generic),
            "2" => Some(GenericType::DosageComplementGeneric),
            "4" => Some(GenericType::SubstitutableGeneric),
            _ => None,
        }
    }

    /// Returns the code used in the file.
    pub fn code(self) -> u8 {
        match self {
            GenericType::Princeps => 0,
            GenericType::Generic => 1,
            GenericType::DosageComplementGeneric => 2,
            GenericType::SubstitutableGeneric => 4,
        }
    }
}

const SCHEMA: Schema = Schema {
    kind: FileKind::GenericGroups,
    columns: &[
        "group id",
        "group label",
        "CIS code",
        "generic type",
        "sort order",
    ],
    required: 5,
};

/// Parses `CIS_GENER_bdpm.txt`, with or without the trailing TAB of the
/// copies up to 2023.
pub fn parse_generic_groups(bytes: &[u8]) -> Parsed<GenericGroupMember> {
    parse_records(&SCHEMA, bytes, |record| {
        let group_id = record.required_text(0)?;
        if !group_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(record.invalid(0, "digits"));
        }
        let generic_type = GenericType::from_code(record.raw(3).trim())
            .ok_or_else(|| record.invalid(3, "0, 1, 2 or 4"))?;

        Ok(GenericGroupMember {
            group_id,
            group_label: record.display_text(1),
            cis: record.code(2, 8)?,
            generic_type,
            sort_order: record.number(4)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_with_trailing_tab() {
        let line = "1\tCIMETIDINE 200 mg - TAGAMET 200 mg, comprimé\t68053454\t1\t3\t\r\n";
        let parsed = parse_generic_groups(line.as_bytes());
        assert_eq!(parsed.rejects, vec![]);
        assert_eq!(parsed.rows[0].generic_type, GenericType::Generic);
        assert_eq!(parsed.rows[0].sort_order, 3);
    }

    #[test]
    fn stray_tab_after_label_rejected() {
        let line = "1809\tPALIPERIDONE 150 mg - XEPLION 150 mg\t\t67215259\t0\t1\t\r\n";
        let parsed = parse_generic_groups(line.as_bytes());
        assert_eq!(parsed.rows, vec![]);
        assert_eq!(
            parsed.rejects[0].to_string(),
            "CIS_GENER_bdpm.txt line 1: expected 5 tab-separated fields, found 6"
        );
    }

    #[test]
    fn unknown_type_rejected() {
        let parsed = parse_generic_groups(b"1\tlabel\t68053454\t3\t1\r\n");
        assert!(
            parsed.rejects[0]
                .to_string()
                .contains("invalid generic type in column 4: \"3\"")
        );
    }
}
