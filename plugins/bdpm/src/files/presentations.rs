//! `CIS_CIP_bdpm.txt`: presentations (boxes) with their CIP codes, prices
//! and reimbursement rates.

use serde::{Deserialize, Serialize};

use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::parsed::RejectReason;
use crate::record::{Record, Schema, parse_records};
use crate::value::Date;

/// A presentation from `CIS_CIP_bdpm.txt`.
///
/// Money is in integer euro cents and rates in basis points (10,000 =
/// 100 %), so that no float enters the reimbursement arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presentation {
    /// Code CIS of the specialty, 8 digits.
    pub cis: String,
    /// Code CIP7, 7 digits.
    pub cip7: String,
    /// Libellé de la présentation, inner spaces as published.
    pub label: String,
    /// Statut administratif: `Présentation active` or `Présentation abrogée`.
    pub administrative_status: String,
    /// État de commercialisation, such as `Déclaration de commercialisation`.
    pub marketing_status: String,
    /// Date of the marketing declaration.
    pub declaration_date: Date,
    /// Code CIP13, 13 digits starting with `34009`.
    pub cip13: String,
    /// Agrément aux collectivités: `None` when the field is `inconnu` or
    /// empty.
    pub approved_for_hospitals: Option<bool>,
    /// Taux de remboursement in basis points (6,500 = 65 %); empty when the
    /// presentation is not reimbursed. The format allows several rates
    /// separated by `;`, although no copy from 2017 to 2026 has one.
    pub reimbursement_rates_bp: Vec<u32>,
    /// Prix du médicament without dispensing fee, in cents.
    pub price_cents: Option<i64>,
    /// Prix public, that is the price plus the dispensing fee, in cents.
    /// This is the reimbursement base of the box.
    pub price_with_fee_cents: Option<i64>,
    /// Honoraires de dispensation per box, in cents.
    pub dispensing_fee_cents: Option<i64>,
    /// Texte des indications remboursables, HTML removed (`<br>` becomes a
    /// line feed); usually empty. A `¿` in it stands for a character lost
    /// by the publisher and cannot be restored.
    pub reimbursement_indications: String,
}

const SCHEMA: Schema = Schema {
    kind: FileKind::Presentations,
    columns: &[
        "CIS code",
        "CIP7 code",
        "label",
        "administrative status",
        "marketing status",
        "declaration date",
        "CIP13 code",
        "approval for hospitals",
        "reimbursement rate",
        "price",
        "price with fee",
        "dispensing fee",
        "reimbursement indications",
    ],
    required: 8,
};

/// Parses `CIS_CIP_bdpm.txt`.
pub fn parse_presentations(bytes: &[u8]) -> Parsed<Presentation> {
    parse_records(&SCHEMA, bytes, |record| {
        Ok(Presentation {
            cis: record.code(0, 8)?,
            cip7: record.code(1, 7)?,
            label: record.display_text(2),
            administrative_status: record.text(3),
            marketing_status: record.text(4),
            declaration_date: record.date(5, Date::parse_dmy, "DD/MM/YYYY")?,
            cip13: record.code(6, 13)?,
            approved_for_hospitals: hospital_approval(record, 7)?,
            reimbursement_rates_bp: record.rates(8)?,
            price_cents: record.price(9)?,
            price_with_fee_cents: record.price(10)?,
            dispensing_fee_cents: record.price(11)?,
            reimbursement_indications: record.display_text(12),
        })
    })
}

fn hospital_approval(record: &Record<'_>, index: usize) -> Result<Option<bool>, RejectReason> {
    let value = record.raw(index).trim();
    if value.is_empty() || value.eq_ignore_ascii_case("inconnu") {
        return Ok(None);
    }
    record.flag(index, "oui", "non").map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOLIPRANE: &str = "60234100\t3595583\tplaquette(s) thermoformée(s) PVC-aluminium de 8  comprimé(s)\tPrésentation active\tDéclaration de commercialisation\t02/01/2003\t3400935955838\toui\t65%\t1,07\t2,09\t1,02\t\n";

    #[test]
    fn doliprane_box() {
        let parsed = parse_presentations(DOLIPRANE.as_bytes());
        assert_eq!(parsed.rejects, vec![]);
        let row = &parsed.rows[0];
        assert_eq!(row.cip13, "3400935955838");
        assert_eq!(
            row.label,
            "plaquette(s) thermoformée(s) PVC-aluminium de 8  comprimé(s)"
        );
        assert_eq!(row.approved_for_hospitals, Some(true));
        assert_eq!(row.reimbursement_rates_bp, vec![6500]);
        assert_eq!(row.price_cents, Some(107));
        assert_eq!(row.price_with_fee_cents, Some(209));
        assert_eq!(row.dispensing_fee_cents, Some(102));
        assert_eq!(row.reimbursement_indications, "");
    }

    #[test]
    fn thousands_comma_and_spaced_rate() {
        let line = "60000001\t1234567\tflacon\tPrésentation active\tDéclaration de commercialisation\t01/01/2020\t3400912345678\tnon\t100 %\t1,195,27\t1,198,03\t2,76\tpris en charge :<br>- cas A\n";
        let parsed = parse_presentations(line.as_bytes());
        let row = &parsed.rows[0];
        assert_eq!(row.reimbursement_rates_bp, vec![10_000]);
        assert_eq!(row.price_cents, Some(119_527));
        assert_eq!(row.price_with_fee_cents, Some(119_803));
        assert_eq!(row.approved_for_hospitals, Some(false));
        assert_eq!(row.reimbursement_indications, "pris en charge :\n- cas A");
    }

    #[test]
    fn not_reimbursed_without_trailing_columns() {
        let line = "60000001\t1234567\tflacon\tPrésentation active\tDéclaration de commercialisation\t01/01/2020\t3400912345678\tinconnu\n";
        let parsed = parse_presentations(line.as_bytes());
        let row = &parsed.rows[0];
        assert_eq!(row.approved_for_hospitals, None);
        assert_eq!(row.reimbursement_rates_bp, Vec::<u32>::new());
        assert_eq!(row.price_cents, None);
    }

    #[test]
    fn invalid_price_rejected() {
        let line = "60000001\t1234567\tflacon\tA\tD\t01/01/2020\t3400912345678\toui\t65%\t1.07\t2,09\t1,02\t\n";
        let parsed = parse_presentations(line.as_bytes());
        assert_eq!(parsed.rows, vec![]);
        assert_eq!(parsed.rejects[0].line, 1);
        assert!(
            parsed.rejects[0]
                .to_string()
                .contains("invalid price in column 10: \"1.07\"")
        );
    }

    #[test]
    fn short_cip13_rejected() {
        let line = "60000001\t1234567\tflacon\tA\tD\t01/01/2020\t340091234567\toui\t\t\t\t\t\n";
        let parsed = parse_presentations(line.as_bytes());
        assert!(
            parsed.rejects[0]
                .to_string()
                .contains("invalid CIP13 code in column 7")
        );
    }
}
