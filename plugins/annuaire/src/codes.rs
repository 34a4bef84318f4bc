//! Code systems and identifier systems of the Annuaire Santé resources, in
//! their v2 spelling and, where the v1 documentation used another one, in
//! that spelling too.

/// Profession (TRE_G15-ProfessionSante), as spelt by the NOS terminology.
pub const PROFESSION_SYSTEM: &str =
    "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante";

/// Profession (TRE_G15) as the OID that the v1 documentation samples use,
/// with the same codes (`10` médecin, `21` pharmacien).
pub const PROFESSION_OID: &str = "urn:oid:1.2.250.1.71.1.2.7";

/// Specialty (TRE_R38-SpecialiteOrdinale), as spelt by the NOS terminology.
///
/// NOTE: the v1 samples at hand never carry a specialty under an OID, so a
/// v1 file that does is read without its specialty.
pub const SPECIALTY_SYSTEM: &str =
    "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale";

/// IDNPS, the national identifier of a health professional: `8` followed
/// by the RPPS number, or `0` followed by the ADELI number.
pub const IDNPS_SYSTEM: &str = "urn:oid:1.2.250.1.71.4.2.1";

/// RPPS identifier systems: v2, then v1.
pub const RPPS_SYSTEMS: [&str; 2] = ["https://rpps.esante.gouv.fr", "http://rpps.fr"];

/// Identifier type code of an RPPS number, in every version's type system.
pub const RPPS_TYPE: &str = "RPPS";

/// Suffix of the v1 extension that carries a PractitionerRole's name.
pub const ROLE_NAME_EXTENSION: &str = "practitionerRole-name";

/// Suffixes of the v1 address-line extensions, in the order their parts
/// are written: house number, street type (`R`, `AV`), street name.
pub const ADDRESS_LINE_PARTS: [&str; 3] = [
    "iso21090-ADXP-houseNumber",
    "iso21090-ADXP-streetNameType",
    "iso21090-ADXP-streetNameBase",
];

/// Returns whether `system` names the profession table.
pub fn is_profession(system: &str) -> bool {
    system == PROFESSION_SYSTEM || system == PROFESSION_OID
}

/// Returns whether `system` names the specialty table.
pub fn is_specialty(system: &str) -> bool {
    system == SPECIALTY_SYSTEM
}
