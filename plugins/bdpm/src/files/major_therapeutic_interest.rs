//! `CIS_MITM.txt`: medicines of major therapeutic interest (médicaments
//! d'intérêt thérapeutique majeur, MITM).

use serde::{Deserialize, Serialize};

use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::record::{Schema, parse_records};

/// A specialty listed as of major therapeutic interest, from `CIS_MITM.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorTherapeuticInterest {
    /// Code CIS, 8 digits.
    pub cis: String,
    /// ATC code, usually 7 characters (`A02BA01`); a few rows have 4 or 5.
    pub atc_code: String,
    /// Dénomination, HTML removed.
    pub name: String,
    /// Page of the specialty on the BDPM site.
    pub url: String,
}

const SCHEMA: Schema = Schema {
    kind: FileKind::MajorTherapeuticInterest,
    columns: &["CIS code", "ATC code", "name", "URL"],
    required: 3,
};

/// Parses `CIS_MITM.txt`.
pub fn parse_major_therapeutic_interest(bytes: &[u8]) -> Parsed<MajorTherapeuticInterest> {
    parse_records(&SCHEMA, bytes, |record| {
        let atc_code = record.required_text(1)?;
        if !atc_code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(record.invalid(1, "an ATC code of letters and digits"));
        }

        Ok(MajorTherapeuticInterest {
            cis: record.code(0, 8)?,
            atc_code,
            name: record.display_text(2),
            url: record.text(3),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_with_sup_tag() {
        let line = "67401121\tL03AB03\tIMUKIN 2 x 10<sup>6</sup> UI\thttps://base-donnees-publique.medicaments.gouv.fr/extrait.php?specid=67401121\r\n";
        let parsed = parse_major_therapeutic_interest(line.as_bytes());
        assert_eq!(parsed.rejects, vec![]);
        assert_eq!(parsed.rows[0].name, "IMUKIN 2 x 10^6 UI");
        assert_eq!(parsed.rows[0].atc_code, "L03AB03");
    }
}
