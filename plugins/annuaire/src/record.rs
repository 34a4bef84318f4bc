//! The practitioner records a refresh produces, mirroring the WIT records
//! `practitioner` and `address` of the plugin SDK.

/// A place of practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressRecord {
    /// Street line, possibly empty.
    pub line: String,
    /// Code postal, 5 digits, or empty when the source gives none.
    pub postcode: String,
    /// Commune, as published.
    pub city: String,
}

/// A health professional read from the Annuaire Santé.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PractitionerRecord {
    /// RPPS number, or ADELI number when the professional has no RPPS.
    pub id: String,
    /// Family name of practice.
    pub family_name: String,
    /// Given names, separated by spaces.
    pub given_name: String,
    /// Profession code of the TRE_G15 table, such as `10` for médecin.
    pub profession: String,
    /// Specialty code of the TRE_R38 table, such as `SM04`.
    pub specialty: Option<String>,
    /// Places of practice, without duplicates.
    pub addresses: Vec<AddressRecord>,
}
