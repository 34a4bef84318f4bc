//! `CIS_COMPO_bdpm.txt`: the substances of each specialty and their dosages.

use serde::{Deserialize, Serialize};

use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::record::{Schema, parse_records};

/// One substance of one pharmaceutical element, from `CIS_COMPO_bdpm.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Composition {
    /// Code CIS of the specialty, 8 digits.
    pub cis: String,
    /// Désignation de l'élément pharmaceutique, such as `comprimé`.
    pub element: String,
    /// Code substance, 5 digits with leading zeros (`02202`).
    pub substance_code: String,
    /// Dénomination de la substance, outer spaces and HTML removed.
    pub substance_name: String,
    /// Dosage, such as `1000 mg` or `4CH à 30CH et 8DH à 60DH`, HTML
    /// removed; may be empty.
    pub dosage: String,
    /// Référence de ce dosage, such as `un comprimé`; may be empty.
    pub dosage_reference: String,
    /// Nature du composant.
    pub nature: ComponentNature,
    /// Numéro de liaison: an active substance and the therapeutic fraction
    /// it is expressed as share this number within one CIS.
    pub link_number: u32,
}

/// Nature of a composition row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentNature {
    /// `SA`, substance active.
    ActiveSubstance,
    /// `FT`, fraction thérapeutique. The format document writes `ST`, the
    /// data `FT`; both are accepted.
    TherapeuticFraction,
}

const SCHEMA: Schema = Schema {
    kind: FileKind::Compositions,
    columns: &[
        "CIS code",
        "pharmaceutical element",
        "substance code",
        "substance name",
        "dosage",
        "dosage reference",
        "component nature",
        "link number",
    ],
    required: 8,
};

/// Parses `CIS_COMPO_bdpm.txt`, with or without the trailing TAB of the
/// copies up to 2023.
pub fn parse_compositions(bytes: &[u8]) -> Parsed<Composition> {
    parse_records(&SCHEMA, bytes, |record| {
        let nature = match record.raw(6).trim() {
            "SA" => ComponentNature::ActiveSubstance,
            "FT" | "ST" => ComponentNature::TherapeuticFraction,
            "" => return Err(record.missing(6)),
            _ => return Err(record.invalid(6, "SA or FT")),
        };

        Ok(Composition {
            cis: record.code(0, 8)?,
            element: record.display_text(1),
            substance_code: record.code(2, 5)?,
            substance_name: record.display_text(3),
            dosage: record.display_text(4),
            dosage_reference: record.display_text(5),
            nature,
            link_number: record.number(7)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_zero_code_and_paragraph_tags() {
        let bytes = b"60566686\tcomprim\xe9\t90670\t CHLORHYDRATE DE N\xc9BIVOLOL \t<p>5,45 mg\tun comprim\xe9</p>\tSA\t1\r\n\
                      60234100\tcomprim\xe9\t02202\tPARAC\xc9TAMOL\t1000 mg\tun comprim\xe9\tFT\t2\t\r\n";
        let parsed = parse_compositions(bytes);
        assert_eq!(parsed.rejects, vec![]);
        assert_eq!(parsed.rows[0].substance_name, "CHLORHYDRATE DE NÉBIVOLOL");
        assert_eq!(parsed.rows[0].dosage, "5,45 mg");
        assert_eq!(parsed.rows[0].dosage_reference, "un comprimé");
        assert_eq!(parsed.rows[1].substance_code, "02202");
        assert_eq!(parsed.rows[1].nature, ComponentNature::TherapeuticFraction);
        assert_eq!(parsed.rows[1].link_number, 2);
    }

    #[test]
    fn stray_tabs_rejected_not_shifted() {
        // A 2022 row with three empty fields inserted after the substance name.
        let line = "68285029\tgranules\t02500\tMERCURIUS DULCIS\t\t\t\t4CH à 30CH\tune gomme\tSA\t14\t\r\n";
        let parsed = parse_compositions(line.as_bytes());
        assert_eq!(parsed.rows, vec![]);
        assert_eq!(parsed.records, 1);
        assert_eq!(
            parsed.rejects[0].to_string(),
            "CIS_COMPO_bdpm.txt line 1: expected 8 tab-separated fields, found 11"
        );
    }
}
