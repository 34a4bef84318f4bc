//! `CIS_bdpm.txt`: one row per specialty (médicament), keyed by CIS.

use serde::{Deserialize, Serialize};

use crate::kind::FileKind;
use crate::parsed::Parsed;
use crate::record::{Schema, parse_records};
use crate::value::Date;

/// A specialty from `CIS_bdpm.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specialty {
    /// Code CIS, 8 digits.
    pub cis: String,
    /// Dénomination, HTML removed (`10<sup>6</sup>` becomes `10^6`).
    pub name: String,
    /// Forme pharmaceutique, such as `comprimé`, trimmed.
    pub form: String,
    /// Voies d'administration, such as `orale` (the file separates them
    /// with `;`).
    pub routes: Vec<String>,
    /// Statut administratif de l'AMM, such as `Autorisation active`.
    pub authorization_status: String,
    /// Type de procédure d'AMM, such as `Procédure nationale`.
    pub procedure_type: String,
    /// État de commercialisation: `Commercialisée` or `Non commercialisée`.
    pub marketing_status: String,
    /// Date of the marketing authorisation (AMM).
    pub authorization_date: Date,
    /// Statut BDM: empty, `Alerte` or `Warning disponibilité`.
    pub bdm_status: String,
    /// European authorisation number, such as `EU/1/14/944`; empty for
    /// national authorisations.
    pub eu_authorization_number: String,
    /// Titulaires, without the leading space every value has in the file
    /// (the file separates several holders with `;`).
    pub holders: Vec<String>,
    /// Surveillance renforcée (`Oui` or `Non`), the black-triangle status.
    pub reinforced_monitoring: bool,
}

const SCHEMA: Schema = Schema {
    kind: FileKind::Specialties,
    columns: &[
        "CIS code",
        "name",
        "pharmaceutical form",
        "routes of administration",
        "authorisation status",
        "procedure type",
        "marketing status",
        "authorisation date",
        "BDM status",
        "European authorisation number",
        "holders",
        "reinforced monitoring",
    ],
    required: 12,
};

/// Parses `CIS_bdpm.txt`.
pub fn parse_specialties(bytes: &[u8]) -> Parsed<Specialty> {
    parse_records(&SCHEMA, bytes, |record| {
        Ok(Specialty {
            cis: record.code(0, 8)?,
            name: record.display_text(1),
            form: record.text(2),
            routes: record.list(3),
            authorization_status: record.text(4),
            procedure_type: record.text(5),
            marketing_status: record.text(6),
            authorization_date: record.date(7, Date::parse_dmy, "DD/MM/YYYY")?,
            bdm_status: record.text(8),
            eu_authorization_number: record.text(9),
            holders: record.list(10),
            reinforced_monitoring: record.flag(11, "Oui", "Non")?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOLIPRANE: &[u8] = b"60234100\tDOLIPRANE 1000 mg, comprim\xe9\tcomprim\xe9\torale\tAutorisation active\tProc\xe9dure nationale\tCommercialis\xe9e\t09/07/2002\t\t\t OPELLA HEALTHCARE FRANCE\tNon\r\n";

    #[test]
    fn doliprane_row() {
        let parsed = parse_specialties(DOLIPRANE);
        assert_eq!(parsed.rejects, vec![]);
        let row = &parsed.rows[0];
        assert_eq!(row.cis, "60234100");
        assert_eq!(row.name, "DOLIPRANE 1000 mg, comprimé");
        assert_eq!(row.routes, vec!["orale"]);
        assert_eq!(
            row.authorization_date,
            Date::new(2002, 7, 9).expect("valid date")
        );
        assert_eq!(row.holders, vec!["OPELLA HEALTHCARE FRANCE"]);
        assert!(!row.reinforced_monitoring);
    }

    #[test]
    fn several_routes_and_holders() {
        let line = "61234567\tX\t comprimé et solution\tcutanée;orale;sublinguale\tAutorisation active\tProcédure nationale\tCommercialisée\t01/02/2020\t\t\t MYLAN SAS;MYLAN PHARMACEUTICALS (IRLANDE)\tOui\n";
        let parsed = parse_specialties(line.as_bytes());
        let row = &parsed.rows[0];
        assert_eq!(row.form, "comprimé et solution");
        assert_eq!(row.routes, vec!["cutanée", "orale", "sublinguale"]);
        assert_eq!(
            row.holders,
            vec!["MYLAN SAS", "MYLAN PHARMACEUTICALS (IRLANDE)"]
        );
        assert!(row.reinforced_monitoring);
    }

    #[test]
    fn invalid_date_rejected() {
        let line = "60234100\tX\tcomprimé\torale\tA\tP\tC\t2002-07-09\t\t\t H\tNon\n";
        let parsed = parse_specialties(line.as_bytes());
        assert_eq!(parsed.rows, vec![]);
        assert_eq!(
            parsed.rejects[0].to_string(),
            "CIS_bdpm.txt line 1: invalid authorisation date in column 8: \"2002-07-09\", \
             expected an existing date written DD/MM/YYYY"
        );
    }
}
