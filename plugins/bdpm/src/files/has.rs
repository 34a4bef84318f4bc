//! The HAS files: `CIS_HAS_SMR_bdpm.txt`, `CIS_HAS_ASMR_bdpm.txt` and
//! `HAS_LiensPageCT_bdpm.txt`.

use serde::{Deserialize, Serialize};

use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::parsed::RejectReason;
use crate::record::{Record, Schema, parse_records};
use crate::value::Date;

/// An opinion of the HAS Transparency Committee, from
/// `CIS_HAS_SMR_bdpm.txt` (actual benefit) or `CIS_HAS_ASMR_bdpm.txt` (added
/// benefit). Both files have the same columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HasOpinion {
    /// Code CIS, 8 digits.
    pub cis: String,
    /// Code de dossier HAS, such as `CT-20449`; the key of
    /// `HAS_LiensPageCT_bdpm.txt`.
    pub dossier_code: String,
    /// Motif d'évaluation, such as `Inscription (CT)`.
    pub reason: String,
    /// Date de l'avis de la Commission de la transparence.
    pub opinion_date: Date,
    /// Valeur: `Important`, `Modéré`, … for SMR; `I` to `V`, `Sans objet`, …
    /// for ASMR.
    pub value: String,
    /// Libellé of the opinion, HTML removed (`<br>` becomes a line feed).
    pub label: String,
}

/// A link to the Transparency Committee page of a HAS dossier, from
/// `HAS_LiensPageCT_bdpm.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HasPageLink {
    /// Code de dossier HAS, such as `CT-20449`.
    pub dossier_code: String,
    /// Page URL on has-sante.fr.
    pub url: String,
}

const OPINION_COLUMNS: &[&str] = &[
    "CIS code",
    "HAS dossier code",
    "evaluation reason",
    "opinion date",
    "value",
    "label",
];

const SMR_SCHEMA: Schema = Schema {
    kind: FileKind::HasSmr,
    columns: OPINION_COLUMNS,
    required: 5,
};

const ASMR_SCHEMA: Schema = Schema {
    kind: FileKind::HasAsmr,
    columns: OPINION_COLUMNS,
    required: 5,
};

const PAGE_LINK_SCHEMA: Schema = Schema {
    kind: FileKind::HasPageLinks,
    columns: &["HAS dossier code", "URL"],
    required: 2,
};

/// Parses `CIS_HAS_SMR_bdpm.txt`.
pub fn parse_has_smr(bytes: &[u8]) -> Parsed<HasOpinion> {
    parse_records(&SMR_SCHEMA, bytes, read_opinion)
}

/// Parses `CIS_HAS_ASMR_bdpm.txt`.
pub fn parse_has_asmr(bytes: &[u8]) -> Parsed<HasOpinion> {
    parse_records(&ASMR_SCHEMA, bytes, read_opinion)
}

/// Parses `HAS_LiensPageCT_bdpm.txt`.
pub fn parse_has_page_links(bytes: &[u8]) -> Parsed<HasPageLink> {
    parse_records(&PAGE_LINK_SCHEMA, bytes, |record| {
        Ok(HasPageLink {
            dossier_code: dossier_code(record, 0)?,
            url: record.required_text(1)?,
        })
    })
}

fn read_opinion(record: &Record<'_>) -> Result<HasOpinion, RejectReason> {
    Ok(HasOpinion {
        cis: record.code(0, 8)?,
        dossier_code: dossier_code(record, 1)?,
        reason: record.display_text(2),
        opinion_date: record.date(3, Date::parse_compact, "YYYYMMDD")?,
        value: record.required_text(4)?,
        label: record.display_text(5),
    })
}

/// Reads a HAS dossier code: `CT-` followed by digits.
fn dossier_code(record: &Record<'_>, index: usize) -> Result<String, RejectReason> {
    let code = record.required_text(index)?;
    let valid = code
        .strip_prefix("CT-")
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        return Err(record.invalid(index, "CT- followed by digits"));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smr_compact_date_and_br() {
        let bytes = b"60082233\tCT-20449\tInscription (CT)\t20230830\tImportant\tLe SMR est important dans l\x92indication<br>de l\x92AMM.\n";
        let parsed = parse_has_smr(bytes);
        assert_eq!(parsed.rejects, vec![]);
        let row = &parsed.rows[0];
        assert_eq!(
            row.opinion_date,
            Date::new(2023, 8, 30).expect("valid date")
        );
        assert_eq!(
            row.label,
            "Le SMR est important dans l’indication\nde l’AMM."
        );
    }

    #[test]
    fn asmr_bare_less_than_kept() {
        let line = "60000001\tCT-1\tInscription (CT)\t20100101\tV\ttaille < -3 DS\r\n";
        let parsed = parse_has_asmr(line.as_bytes());
        assert_eq!(parsed.rows[0].label, "taille < -3 DS");
        assert_eq!(parsed.rejects, vec![]);
    }

    #[test]
    fn dossier_code_checked() {
        let parsed = parse_has_page_links(
            b"CT-20449\thttps://www.has-sante.fr/jcms/p_1\r\nX-1\thttps://a\r\n",
        );
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rejects[0].line, 2);
    }
}
