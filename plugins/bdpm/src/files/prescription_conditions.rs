//! `CIS_CPD_bdpm.txt`: conditions of prescription and dispensing.

use serde::{Deserialize, Serialize};

use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::record::{Schema, parse_records};

/// One prescription or dispensing condition of a specialty, from
/// `CIS_CPD_bdpm.txt`. A specialty may have several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrescriptionCondition {
    /// Code CIS, 8 digits.
    pub cis: String,
    /// Free text, such as `liste I` or `prescription hospitalière`.
    pub condition: String,
}

const SCHEMA: Schema = Schema {
    kind: FileKind::PrescriptionConditions,
    columns: &["CIS code", "condition"],
    required: 2,
};

/// Parses `CIS_CPD_bdpm.txt`.
pub fn parse_prescription_conditions(bytes: &[u8]) -> Parsed<PrescriptionCondition> {
    parse_records(&SCHEMA, bytes, |record| {
        Ok(PrescriptionCondition {
            cis: record.code(0, 8)?,
            condition: record.display_text(1),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_split_by_double_cr() {
        let bytes = b"66371262\tl'administration du 1 er cycle\r\r\n\r\r\n68822785\tliste I\r\n";
        let parsed = parse_prescription_conditions(bytes);
        assert_eq!(parsed.records, 2);
        assert_eq!(parsed.rejects, vec![]);
        assert_eq!(parsed.rows[0].condition, "l'administration du 1 er cycle");
        assert_eq!(parsed.rows[1].cis, "68822785");
    }
}
