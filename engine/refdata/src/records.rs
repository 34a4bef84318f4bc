//! Input records of an import, mirroring field by field the WIT records of
//! the plugin SDK `mediflux:plugin@0.1.0` (`medicine`, `presentation`,
//! `generic-group`, `practitioner`, `json-document`), so that the host maps
//! its generated types onto them without depending on this crate's storage.

/// A medicine (spécialité), keyed by its CIS code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Medicine {
    /// Code CIS, 8 digits, kept as text.
    pub cis: String,
    /// Dénomination, as published, such as `DOLIPRANE 1000 mg, comprimé`.
    pub name: String,
    /// Forme pharmaceutique, such as `comprimé pelliculé`.
    pub form: String,
    /// Voies d'administration, such as `orale`.
    pub routes: Vec<String>,
    /// Statut administratif de l'AMM, such as `Autorisation active`.
    pub authorisation_status: String,
    /// Whether the product is declared as marketed (commercialisée).
    pub marketed: bool,
    /// Titulaires of the marketing authorisation.
    pub holders: Vec<String>,
    /// Whether the product is under surveillance renforcée.
    pub reinforced_monitoring: bool,
}

/// A presentation (box) of a medicine, keyed by its CIP13 code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    /// Code CIS of the medicine this box belongs to.
    pub cis: String,
    /// Code CIP7, 7 digits.
    pub cip7: String,
    /// Code CIP13, 13 digits starting with 34009.
    pub cip13: String,
    /// Libellé, such as `plaquette(s) PVC-aluminium de 8 comprimé(s)`.
    pub label: String,
    /// Whether the box is currently declared as marketed.
    pub marketed: bool,
    /// Price of the medicine without dispensing fees, in euro cents.
    pub price_cents: Option<i64>,
    /// Public price including the honoraires de dispensation, in cents.
    pub public_price_cents: Option<i64>,
    /// Honoraires de dispensation included in the public price, in cents.
    pub dispensing_fee_cents: Option<i64>,
    /// Reimbursement rate by the Assurance Maladie, in percent; `None` when
    /// the box is not reimbursable.
    pub rate_percent: Option<u8>,
}

/// Role of a medicine in a generic group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GenericRole {
    /// The reference medicine (princeps).
    Princeps,
    /// A generic.
    Generic,
    /// A generic by complementary posology.
    ComplementaryPosology,
    /// A substitutable generic.
    Substitutable,
}

impl GenericRole {
    /// Returns the name stored in the database, as spelt in the WIT enum.
    pub fn as_str(self) -> &'static str {
        match self {
            GenericRole::Princeps => "princeps",
            GenericRole::Generic => "generic",
            GenericRole::ComplementaryPosology => "complementary-posology",
            GenericRole::Substitutable => "substitutable",
        }
    }

    /// Returns the role for its stored name, or `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<GenericRole> {
        match name {
            "princeps" => Some(GenericRole::Princeps),
            "generic" => Some(GenericRole::Generic),
            "complementary-posology" => Some(GenericRole::ComplementaryPosology),
            "substitutable" => Some(GenericRole::Substitutable),
            _ => None,
        }
    }
}

/// One medicine of a generic group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericMember {
    /// Code CIS of the member. It may be absent from the medicines of the
    /// same snapshot, because groups keep withdrawn products.
    pub cis: String,
    /// Role of the member in the group.
    pub role: GenericRole,
    /// Sort order given by the publisher.
    pub rank: u32,
}

/// A generic group (groupe générique): a princeps and its generics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericGroup {
    /// Identifier of the group.
    pub id: String,
    /// Libellé of the group.
    pub label: String,
    /// Members in publisher order.
    pub members: Vec<GenericMember>,
}

/// Any other row, as JSON text under a versioned schema name such as
/// `bdpm.composition/1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonDocument {
    /// Schema name and version.
    pub schema: String,
    /// UTF-8 JSON text. A top-level string field `cis` is indexed for
    /// [`crate::RefStore::documents`].
    pub body: String,
}

/// A postal address of a practitioner's place of practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Street line, possibly empty.
    pub line: String,
    /// Code postal: 5 digits, or empty when the source gives none.
    pub postcode: String,
    /// Commune, as published.
    pub city: String,
}

/// A health professional from a directory such as the Annuaire Santé,
/// keyed by national identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practitioner {
    /// National identifier (RPPS or ADELI), kept as text.
    pub id: String,
    /// Family name.
    pub family_name: String,
    /// Given name.
    pub given_name: String,
    /// Profession code of the TRE_G15 table, such as `10` for médecin.
    pub profession: String,
    /// Specialty code of the TRE_R38 table, such as `SM04`, when the
    /// profession has one.
    pub specialty: Option<String>,
    /// Convention sector: `1`, `2 OPTAM`, `2 non-OPTAM` or `3`, when the
    /// source publishes it.
    pub sector: Option<String>,
    /// Places of practice, in source order.
    pub addresses: Vec<Address>,
}

/// Convention sectors a practitioner record may carry, as spelt in the WIT
/// record `practitioner`.
pub const SECTORS: [&str; 4] = ["1", "2 OPTAM", "2 non-OPTAM", "3"];

/// A record handed to [`crate::ImportWriter::write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreRecord {
    /// A medicine.
    Medicine(Medicine),
    /// A presentation.
    Presentation(Presentation),
    /// A generic group with its members.
    GenericGroup(GenericGroup),
    /// A practitioner with their addresses.
    Practitioner(Practitioner),
    /// Any other row as JSON.
    Json(JsonDocument),
}

/// Returns whether `value` is exactly `length` ASCII digits.
pub(crate) fn is_code(value: &str, length: usize) -> bool {
    value.len() == length && value.bytes().all(|byte| byte.is_ascii_digit())
}
