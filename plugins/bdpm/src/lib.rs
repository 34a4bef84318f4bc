//! Parsing of the BDPM files (base de données publique des médicaments,
//! published by the ANSM) into typed rows.
//!
//! The crate takes the bytes of a file and returns rows. It does no I/O, so
//! it builds for `wasm32-wasip2` as part of the `bdpm` plugin as well as for
//! the host. Each parser:
//!
//! - detects the encoding of the file: strict UTF-8, else Windows-1252;
//! - splits lines on CRLF, LF or a lone CR and skips blank lines;
//! - splits fields on TAB, drops empty trailing fields and rejects, rather
//!   than shifts, a record with a stray TAB;
//! - trims every field, removes HTML from display text, keeps codes (CIS,
//!   CIP7, CIP13, substance codes) as strings, reads prices as integer cents
//!   and reimbursement rates as basis points;
//! - reports every record it cannot read as a [`Reject`] with the file name
//!   and line number, so that `rows + rejects == records`.
//!
//! The files are published independently: a CIS in one file need not exist
//! in another, and rows refer to other files by code only.
//!
//! ```
//! use mediflux_plugin_bdpm::{FileKind, ParsedFile, parse};
//!
//! let bytes = "60234100\t3595583\tboîte de 8\tPrésentation active\t\
//!              Déclaration de commercialisation\t02/01/2003\t3400935955838\t\
//!              oui\t65 %\t1,07\t2,09\t1,02\t\n";
//! let kind = FileKind::from_file_name("CIS_CIP_bdpm.txt")?;
//! let ParsedFile::Presentations(parsed) = parse(kind, bytes.as_bytes()) else {
//!     unreachable!("the kind selects the variant");
//! };
//! assert_eq!(parsed.rows[0].price_with_fee_cents, Some(209));
//! assert_eq!(parsed.rows[0].reimbursement_rates_bp, vec![6500]);
//! # Ok::<(), mediflux_plugin_bdpm::UnknownFileName>(())
//! ```

mod decode;
pub mod download;
mod files;
mod html;
mod kind;
mod lines;
mod parsed;
#[cfg(target_arch = "wasm32")]
mod plugin;
mod record;
mod value;

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

pub use decode::Encoding;
pub use files::availability::{AvailabilityNotice, AvailabilityStatus, parse_availability};
pub use files::compositions::{ComponentNature, Composition, parse_compositions};
pub use files::generic_groups::{GenericGroupMember, GenericType, parse_generic_groups};
pub use files::has::{
    HasOpinion, HasPageLink, parse_has_asmr, parse_has_page_links, parse_has_smr,
};
pub use files::important_information::{ImportantInformation, parse_important_information};
pub use files::major_therapeutic_interest::{
    MajorTherapeuticInterest, parse_major_therapeutic_interest,
};
pub use files::prescription_conditions::{PrescriptionCondition, parse_prescription_conditions};
pub use files::presentations::{Presentation, parse_presentations};
pub use files::specialties::{Specialty, parse_specialties};
pub use html::clean_text;
pub use kind::{FileKind, UnknownFileName};
pub use parsed::{FieldRange, Parsed, Reject, RejectReason};
pub use value::{Date, InvalidDate, parse_price_cents, parse_rate_basis_points};

/// The parsed content of any BDPM file, one variant per [`FileKind`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "parsed", rename_all = "snake_case")]
pub enum ParsedFile {
    /// `CIS_bdpm.txt`.
    Specialties(Parsed<Specialty>),
    /// `CIS_CIP_bdpm.txt`.
    Presentations(Parsed<Presentation>),
    /// `CIS_COMPO_bdpm.txt`.
    Compositions(Parsed<Composition>),
    /// `CIS_GENER_bdpm.txt`.
    GenericGroups(Parsed<GenericGroupMember>),
    /// `CIS_CPD_bdpm.txt`.
    PrescriptionConditions(Parsed<PrescriptionCondition>),
    /// `CIS_HAS_SMR_bdpm.txt`.
    HasSmr(Parsed<HasOpinion>),
    /// `CIS_HAS_ASMR_bdpm.txt`.
    HasAsmr(Parsed<HasOpinion>),
    /// `HAS_LiensPageCT_bdpm.txt`.
    HasPageLinks(Parsed<HasPageLink>),
    /// `CIS_MITM.txt`.
    MajorTherapeuticInterest(Parsed<MajorTherapeuticInterest>),
    /// `CIS_CIP_Dispo_Spec.txt`.
    Availability(Parsed<AvailabilityNotice>),
    /// `CIS_InfoImportantes_…_bdpm.txt`.
    ImportantInformation(Parsed<ImportantInformation>),
}

/// Parses a file of the given kind.
pub fn parse(kind: FileKind, bytes: &[u8]) -> ParsedFile {
    match kind {
        FileKind::Specialties => ParsedFile::Specialties(parse_specialties(bytes)),
        FileKind::Presentations => ParsedFile::Presentations(parse_presentations(bytes)),
        FileKind::Compositions => ParsedFile::Compositions(parse_compositions(bytes)),
        FileKind::GenericGroups => ParsedFile::GenericGroups(parse_generic_groups(bytes)),
        FileKind::PrescriptionConditions => {
            ParsedFile::PrescriptionConditions(parse_prescription_conditions(bytes))
        }
        FileKind::HasSmr => ParsedFile::HasSmr(parse_has_smr(bytes)),
        FileKind::HasAsmr => ParsedFile::HasAsmr(parse_has_asmr(bytes)),
        FileKind::HasPageLinks => ParsedFile::HasPageLinks(parse_has_page_links(bytes)),
        FileKind::MajorTherapeuticInterest => {
            ParsedFile::MajorTherapeuticInterest(parse_major_therapeutic_interest(bytes))
        }
        FileKind::Availability => ParsedFile::Availability(parse_availability(bytes)),
        FileKind::ImportantInformation => {
            ParsedFile::ImportantInformation(parse_important_information(bytes))
        }
    }
}

/// Evaluates `$body` with `$parsed` bound to the [`Parsed`] inside any
/// variant of a [`ParsedFile`].
macro_rules! with_parsed {
    ($file:expr, $parsed:ident => $body:expr) => {
        match $file {
            ParsedFile::Specialties($parsed) => $body,
            ParsedFile::Presentations($parsed) => $body,
            ParsedFile::Compositions($parsed) => $body,
            ParsedFile::GenericGroups($parsed) => $body,
            ParsedFile::PrescriptionConditions($parsed) => $body,
            ParsedFile::HasSmr($parsed) | ParsedFile::HasAsmr($parsed) => $body,
            ParsedFile::HasPageLinks($parsed) => $body,
            ParsedFile::MajorTherapeuticInterest($parsed) => $body,
            ParsedFile::Availability($parsed) => $body,
            ParsedFile::ImportantInformation($parsed) => $body,
        }
    };
}

impl ParsedFile {
    /// Returns the kind of file the rows come from.
    pub fn kind(&self) -> FileKind {
        match self {
            ParsedFile::Specialties(_) => FileKind::Specialties,
            ParsedFile::Presentations(_) => FileKind::Presentations,
            ParsedFile::Compositions(_) => FileKind::Compositions,
            ParsedFile::GenericGroups(_) => FileKind::GenericGroups,
            ParsedFile::PrescriptionConditions(_) => FileKind::PrescriptionConditions,
            ParsedFile::HasSmr(_) => FileKind::HasSmr,
            ParsedFile::HasAsmr(_) => FileKind::HasAsmr,
            ParsedFile::HasPageLinks(_) => FileKind::HasPageLinks,
            ParsedFile::MajorTherapeuticInterest(_) => FileKind::MajorTherapeuticInterest,
            ParsedFile::Availability(_) => FileKind::Availability,
            ParsedFile::ImportantInformation(_) => FileKind::ImportantInformation,
        }
    }

    /// Returns the encoding detected for the file.
    pub fn encoding(&self) -> Encoding {
        self.summary().0
    }

    /// Returns the number of physical records (non-blank lines).
    pub fn records(&self) -> usize {
        self.summary().1
    }

    /// Returns the number of rows read.
    pub fn row_count(&self) -> usize {
        self.summary().2
    }

    /// Returns the records that could not be read.
    pub fn rejects(&self) -> &[Reject] {
        self.summary().3
    }

    fn summary(&self) -> (Encoding, usize, usize, &[Reject]) {
        with_parsed!(self, parsed => {
            (parsed.encoding, parsed.records, parsed.rows.len(), &parsed.rejects)
        })
    }

    /// Replaces the file name reported in `file` and in every reject.
    fn set_file_name(&mut self, name: &str) {
        with_parsed!(self, parsed => {
            parsed.file = name.to_owned();
            for reject in &mut parsed.rejects {
                reject.file = name.to_owned();
            }
        })
    }
}

/// Detects the kind of a file from its name or path and parses it.
///
/// The rows and rejects are reported under the name as given, without its
/// folder, so that a timestamped `CIS_InfoImportantes_…_bdpm.txt` keeps its
/// own name instead of the generic `CIS_InfoImportantes.txt`.
pub fn parse_named(path: &str, bytes: &[u8]) -> Result<ParsedFile, UnknownFileName> {
    let kind = FileKind::from_file_name(path)?;
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);

    let mut parsed = parse(kind, bytes);
    parsed.set_file_name(name);
    Ok(parsed)
}

/// Orders presentations given as (marketed, price in cents): marketed boxes
/// first, then the cheapest, boxes without a price last.
pub fn compare_presentations(a: (bool, Option<i64>), b: (bool, Option<i64>)) -> Ordering {
    let price_key = |price: Option<i64>| (price.is_none(), price.unwrap_or_default());
    b.0.cmp(&a.0)
        .then_with(|| price_key(a.1).cmp(&price_key(b.1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presentations_marketed_then_cheapest() {
        let mut boxes = vec![
            (false, Some(100)),
            (true, None),
            (true, Some(300)),
            (true, Some(107)),
            (false, None),
        ];
        boxes.sort_by(|a, b| compare_presentations(*a, *b));
        assert_eq!(
            boxes,
            vec![
                (true, Some(107)),
                (true, Some(300)),
                (true, None),
                (false, Some(100)),
                (false, None),
            ]
        );
    }
}
