//! The medicine reference as this plugin reads it: the records of the
//! `bdpm` data source, copied into plain types so that the answer logic
//! builds and is tested without the WebAssembly bindings.

use std::fmt;

/// A medicine (spécialité) of the BDPM with its boxes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MedicineRecord {
    /// Code CIS, 8 digits.
    pub cis: String,
    /// Dénomination, such as « DOLIPRANE 1000 mg, comprimé ».
    pub name: String,
    /// Forme pharmaceutique.
    pub form: String,
    /// Voies d'administration.
    pub routes: Vec<String>,
    /// Statut administratif de l'AMM, such as « Autorisation active ».
    pub authorisation_status: String,
    /// Whether the medicine is declared as marketed.
    pub marketed: bool,
    /// Titulaires of the marketing authorisation.
    pub holders: Vec<String>,
    /// Whether the medicine is under surveillance renforcée.
    pub reinforced_monitoring: bool,
    /// Boxes, in the source's order: marketed first, then cheapest.
    pub boxes: Vec<BoxRecord>,
}

impl MedicineRecord {
    /// Returns the cheapest marketed box with a public price.
    pub fn cheapest_marketed_box(&self) -> Option<&BoxRecord> {
        self.boxes
            .iter()
            .filter(|found| found.marketed && found.public_price_cents.is_some())
            .min_by_key(|found| found.public_price_cents)
    }
}

/// A box (présentation) of a medicine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoxRecord {
    /// Code CIP13.
    pub cip13: String,
    /// Libellé, such as « plaquette(s) PVC-aluminium de 8 comprimé(s) ».
    pub label: String,
    /// Whether the box is declared as marketed.
    pub marketed: bool,
    /// Price without the honoraires de dispensation, in cents.
    pub price_cents: Option<i64>,
    /// Public price, honoraires de dispensation included, in cents.
    pub public_price_cents: Option<i64>,
    /// Reimbursement rate of the Assurance Maladie in percent; `None` when
    /// the box is not reimbursable.
    pub rate_percent: Option<u8>,
}

/// Role of a medicine in a generic group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The reference medicine.
    Princeps,
    /// A generic.
    Generic,
    /// A generic by posological complementarity.
    ComplementaryPosology,
    /// A substitutable generic.
    Substitutable,
}

/// A member of a generic group, with its medicine when the BDPM still
/// lists it (groups keep withdrawn medicines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMember {
    /// Code CIS.
    pub cis: String,
    /// Role in the group.
    pub role: Role,
    /// Sort order given by the ANSM.
    pub rank: u32,
    /// The medicine and its boxes; `None` for a medicine no longer listed.
    pub medicine: Option<MedicineRecord>,
}

/// A generic group (groupe générique) with its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericGroupRecord {
    /// Identifier of the group.
    pub id: String,
    /// Libellé, which names the active substance, its dosage and the
    /// princeps.
    pub label: String,
    /// Members in the publisher's order.
    pub members: Vec<GroupMember>,
}

/// A calendar date, as the snapshot of the BDPM gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotDate {
    /// Year.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, from 1.
    pub day: u8,
}

impl SnapshotDate {
    /// Parses an ISO date `YYYY-MM-DD`, or returns `None`.
    pub fn parse_iso(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some(Self { year, month, day })
    }
}

impl fmt::Display for SnapshotDate {
    /// Writes the date the French way, `28/01/2026`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{:02}/{:02}/{:04}",
            self.day, self.month, self.year
        )
    }
}

/// Error of the `bdpm` source, with its stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the bdpm source failed ({code}): {message}")]
pub struct SourceError {
    /// Stable code, such as `no-snapshot` when nothing was imported.
    pub code: String,
    /// English message.
    pub message: String,
}

/// Code of the `bdpm` source when no BDPM data was imported.
pub const NO_SNAPSHOT: &str = "no-snapshot";

/// The `bdpm` data source as the answer logic reads it.
pub trait MedicineSource {
    /// Returns up to `limit` medicines best matching `text`, best first,
    /// each with its boxes.
    fn search(&self, text: &str, limit: i64) -> Result<Vec<MedicineRecord>, SourceError>;

    /// Returns the medicine with code CIS `cis` and its boxes, or `None`
    /// when the code is unknown.
    fn medicine(&self, cis: &str) -> Result<Option<MedicineRecord>, SourceError>;

    /// Returns the generic groups `cis` belongs to, each with its members.
    fn generics(&self, cis: &str) -> Result<Vec<GenericGroupRecord>, SourceError>;

    /// Returns the date of the BDPM data in service; fails with
    /// [`NO_SNAPSHOT`] when none was imported.
    fn snapshot_date(&self) -> Result<SnapshotDate, SourceError>;
}
