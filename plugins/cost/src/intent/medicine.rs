//! Finding the box to price in the medicine reference (BDPM): by CIP13 or
//! by name, the assumption when several boxes match, the nearest names of
//! an unknown medicine, and the cheaper generic of the same size.

use serde::{Deserialize, Serialize};

use crate::breakdown::Assumption;
use crate::case::{CheaperMedicine, MedicineLine};
use crate::date::Date;
use crate::money::format_euros;

use super::slots::normalise;

/// Largest number of matches read from a `search`.
const SEARCH_LIMIT: i64 = 8;

/// Largest number of other boxes or near names listed in an answer.
const LISTED_MAX: usize = 4;

/// A box (presentation) of a medicine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoxInfo {
    /// CIP13 code.
    pub cip13: String,
    /// Libellé of the box.
    pub label: String,
    /// Whether the box is declared as marketed.
    pub marketed: bool,
    /// Public price with the dispensing fee, in cents.
    pub price_cents: Option<i64>,
    /// AMO rate in percent, `None` when not reimbursable.
    pub rate_percent: Option<u8>,
}

/// A medicine with its boxes, in the order the reference returned them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MedicineInfo {
    /// CIS code.
    pub cis: String,
    /// Dénomination.
    pub name: String,
    /// Boxes, marketed first, then cheapest.
    pub boxes: Vec<BoxInfo>,
}

/// Error of the medicine reference, with its stable code such as
/// `no-snapshot` or `not-found`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    /// Stable code.
    pub code: String,
    /// English message.
    pub message: String,
}

/// The medicine reference as the plugin reaches it: the `bdpm` data source.
pub trait MedicineCatalog {
    /// Returns the best matches of `text`, best first.
    fn search(&self, text: &str, limit: i64) -> Result<Vec<MedicineInfo>, CatalogError>;
    /// Returns the medicine of the box `cip13` with that box only, or
    /// nothing when the code is unknown.
    fn presentation(&self, cip13: &str) -> Result<Option<MedicineInfo>, CatalogError>;
    /// Returns every medicine of the generic groups of `cis`.
    fn generics(&self, cis: &str) -> Result<Vec<MedicineInfo>, CatalogError>;
    /// Returns the import date of the current snapshot.
    fn snapshot_date(&self) -> Result<Date, CatalogError>;
}

/// A medicine to price, as `mediflux simulate` or the router gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MedicineQuery {
    /// Name, possibly with the dosage, or a CIP13 code.
    pub name: String,
    /// Dosage such as « 1000 mg », when given apart from the name.
    pub dosage: Option<String>,
    /// Number of boxes; 0 reads as 1.
    pub quantity: u32,
    /// The medicine treats the patient's ALD.
    pub ald_linked: bool,
}

/// The outcome of looking a medicine up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A box to price, with the assumption made when several matched.
    Found {
        /// The line to price.
        line: MedicineLine,
        /// The box chosen among several, and how to change it.
        assumption: Option<Assumption>,
    },
    /// No medicine of that name, with the nearest names in the reference.
    NotFound {
        /// Nearest names, best first, possibly empty.
        suggestions: Vec<String>,
    },
    /// The medicine exists but no box has a published price.
    NoPrice {
        /// Name of the medicine.
        name: String,
    },
}

/// Looks `query` up: a 13-digit code as a CIP13, anything else as a name.
pub fn resolve(
    query: &MedicineQuery,
    catalog: &dyn MedicineCatalog,
) -> Result<Resolution, CatalogError> {
    let name = query.name.trim();
    let quantity = query.quantity.max(1);

    if name.len() == 13 && name.bytes().all(|byte| byte.is_ascii_digit()) {
        let Some(medicine) = catalog.presentation(name)? else {
            return Ok(Resolution::NotFound {
                suggestions: Vec::new(),
            });
        };
        let Some(chosen) = medicine
            .boxes
            .first()
            .filter(|found| found.price_cents.is_some())
        else {
            return Ok(Resolution::NoPrice {
                name: medicine.name,
            });
        };
        let line = line_for(&medicine, chosen, query, quantity, catalog);
        return Ok(Resolution::Found {
            line,
            assumption: None,
        });
    }

    let text = match &query.dosage {
        Some(dosage) => format!("{name} {dosage}"),
        None => name.to_owned(),
    };
    let found = catalog.search(&text, SEARCH_LIMIT)?;
    let matching: Vec<&MedicineInfo> = found
        .iter()
        .filter(|medicine| names_match(name, query.dosage.as_deref(), &medicine.name))
        .collect();
    if matching.is_empty() {
        let mut suggestions: Vec<String> = Vec::new();
        for medicine in &found {
            if !suggestions.contains(&medicine.name) && suggestions.len() < LISTED_MAX {
                suggestions.push(medicine.name.clone());
            }
        }
        return Ok(Resolution::NotFound { suggestions });
    }

    // The reference lists each medicine's boxes marketed first, then
    // cheapest, so the first priced box of the best match is the one a
    // pharmacy most likely dispenses at the lowest price.
    let candidates: Vec<(&MedicineInfo, &BoxInfo)> = matching
        .iter()
        .flat_map(|medicine| {
            medicine
                .boxes
                .iter()
                .filter(|found| found.price_cents.is_some())
                .map(move |found| (*medicine, found))
        })
        .collect();
    let Some(&(medicine, chosen)) = candidates
        .iter()
        .find(|(_, found)| found.marketed)
        .or_else(|| candidates.first())
    else {
        return Ok(Resolution::NoPrice {
            name: matching[0].name.clone(),
        });
    };

    let line = line_for(medicine, chosen, query, quantity, catalog);
    let assumption = (candidates.len() > 1).then(|| {
        let others: Vec<String> = candidates
            .iter()
            .filter(|(_, other)| other.cip13 != chosen.cip13)
            .take(LISTED_MAX)
            .map(|(other_medicine, other)| {
                format!(
                    "{} (CIP13 {}, {})",
                    box_label(other_medicine, other),
                    other.cip13,
                    format_euros(other.price_cents.unwrap_or(0))
                )
            })
            .collect();
        Assumption {
            code: "box_chosen".to_owned(),
            text: format!(
                "{} boîtes correspondent à « {text} » : la boîte retenue est {} (CIP13 {}), {}.",
                candidates.len(),
                box_label(medicine, chosen),
                chosen.cip13,
                if chosen.marketed {
                    "la première commercialisée et la moins chère"
                } else {
                    "aucune n'étant déclarée commercialisée"
                }
            ),
            how_to_change: format!(
                "Précisez le dosage, ou donnez le code CIP13 à 13 chiffres inscrit sur la boîte. Autres boîtes : {}.",
                others.join(" ; ")
            ),
        }
    });
    Ok(Resolution::Found { line, assumption })
}

/// Returns whether the reference's `candidate` name matches what the user
/// wrote: every word of three letters or more starts a word of the
/// candidate, and every number of the name or the dosage appears in it.
fn names_match(name: &str, dosage: Option<&str>, candidate: &str) -> bool {
    let candidate = fold(candidate);
    let candidate_words: Vec<&str> = candidate.split(' ').collect();
    let compact_candidate: String = candidate.chars().filter(|c| *c != ' ').collect();

    let written = fold(name);
    for word in written.split(' ').filter(|word| !word.is_empty()) {
        if word.bytes().all(|byte| byte.is_ascii_digit()) {
            if !candidate_words.contains(&word) {
                return false;
            }
        } else if word.len() >= 3 && !candidate_words.iter().any(|known| known.starts_with(word)) {
            return false;
        }
    }
    if let Some(dosage) = dosage {
        let compact_dosage: String = fold(dosage).chars().filter(|c| *c != ' ').collect();
        if !compact_candidate.contains(&compact_dosage) {
            return false;
        }
    }
    true
}

/// Folds `text` to lowercase ASCII words separated by single spaces, with
/// punctuation removed and units written one way, so that « 75 µg » and
/// « 75 microgrammes » match.
fn fold(text: &str) -> String {
    normalise(&text.replace(['µ', 'μ'], "u"))
        .replace([',', '.', '%'], " ")
        .split_whitespace()
        .map(unit_symbol)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Returns the symbol of a unit written as a word, such as « ug » for
/// « microgrammes », or the word itself.
fn unit_symbol(word: &str) -> &str {
    match word {
        "microgramme" | "microgrammes" | "mcg" => "ug",
        "milligramme" | "milligrammes" => "mg",
        "gramme" | "grammes" => "g",
        "millilitre" | "millilitres" => "ml",
        other => other,
    }
}

/// Names a box for the patient: the medicine, then the box label, with the
/// BDPM's double spaces collapsed.
fn box_label(medicine: &MedicineInfo, found: &BoxInfo) -> String {
    let label = format!("{}, {}", medicine.name, found.label);
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds the line of `chosen`, with the cheapest generic of the same size
/// as the cheaper alternative.
fn line_for(
    medicine: &MedicineInfo,
    chosen: &BoxInfo,
    query: &MedicineQuery,
    quantity: u32,
    catalog: &dyn MedicineCatalog,
) -> MedicineLine {
    let price = chosen.price_cents.unwrap_or(0);
    MedicineLine {
        label: box_label(medicine, chosen),
        box_price_cents: price,
        rate_basis_points: chosen.rate_percent.map(|rate| i64::from(rate) * 100),
        quantity,
        ald_linked: query.ald_linked,
        cheaper_alternative: cheaper_generic(medicine, chosen, catalog),
        ..MedicineLine::default()
    }
}

/// Returns the cheapest marketed box of another medicine of the same
/// generic group with as many units, when it costs less than `chosen`.
/// A failed `generics` query only loses the advice.
fn cheaper_generic(
    medicine: &MedicineInfo,
    chosen: &BoxInfo,
    catalog: &dyn MedicineCatalog,
) -> Option<CheaperMedicine> {
    let price = chosen.price_cents?;
    let units = units_per_box(&chosen.label)?;
    let members = catalog.generics(&medicine.cis).ok()?;

    members
        .iter()
        .filter(|member| member.cis != medicine.cis)
        .flat_map(|member| member.boxes.iter().map(move |found| (member, found)))
        .filter(|(_, found)| found.marketed && found.rate_percent == chosen.rate_percent)
        .filter(|(_, found)| units_per_box(&found.label) == Some(units))
        .filter_map(|(member, found)| Some((member, found, found.price_cents?)))
        .filter(|(_, _, other_price)| *other_price < price)
        .min_by_key(|(_, _, other_price)| *other_price)
        .map(|(member, found, other_price)| CheaperMedicine {
            label: box_label(member, found),
            box_price_cents: other_price,
        })
}

/// Reads the number of units of a box label such as « plaquette(s)
/// PVC-aluminium de 8 comprimé(s) »: the number after the last « de ».
fn units_per_box(label: &str) -> Option<u32> {
    let normalised = fold(label);
    let words: Vec<&str> = normalised.split(' ').collect();
    words
        .windows(2)
        .rev()
        .find(|pair| pair[0] == "de" && pair[1].bytes().all(|byte| byte.is_ascii_digit()))
        .and_then(|pair| pair[1].parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed {
        medicines: Vec<MedicineInfo>,
        group: Vec<MedicineInfo>,
    }

    impl MedicineCatalog for Fixed {
        fn search(&self, _: &str, _: i64) -> Result<Vec<MedicineInfo>, CatalogError> {
            Ok(self.medicines.clone())
        }

        fn presentation(&self, cip13: &str) -> Result<Option<MedicineInfo>, CatalogError> {
            Ok(self.medicines.iter().find_map(|medicine| {
                let found = medicine.boxes.iter().find(|found| found.cip13 == cip13)?;
                Some(MedicineInfo {
                    boxes: vec![found.clone()],
                    ..medicine.clone()
                })
            }))
        }

        fn generics(&self, _: &str) -> Result<Vec<MedicineInfo>, CatalogError> {
            Ok(self.group.clone())
        }

        fn snapshot_date(&self) -> Result<Date, CatalogError> {
            Ok(Date::new(2026, 1, 28).expect("valid date"))
        }
    }

    fn box_of(cip13: &str, units: u32, price_cents: i64, marketed: bool) -> BoxInfo {
        BoxInfo {
            cip13: cip13.to_owned(),
            label: format!("plaquette(s) PVC-aluminium de {units} comprimé(s)"),
            marketed,
            price_cents: Some(price_cents),
            rate_percent: Some(65),
        }
    }

    fn catalog() -> Fixed {
        Fixed {
            medicines: vec![
                MedicineInfo {
                    cis: "60234100".to_owned(),
                    name: "DOLIPRANE 1000 mg, comprimé".to_owned(),
                    boxes: vec![
                        box_of("3400935955838", 8, 107, true),
                        box_of("3400930000001", 8, 90, false),
                    ],
                },
                MedicineInfo {
                    cis: "60234200".to_owned(),
                    name: "DOLIPRANE 500 mg, comprimé".to_owned(),
                    boxes: vec![box_of("3400930000002", 16, 120, true)],
                },
            ],
            group: vec![MedicineInfo {
                cis: "69999999".to_owned(),
                name: "PARACETAMOL GENERIQUE 1000 mg, comprimé".to_owned(),
                boxes: vec![
                    box_of("3400930000003", 8, 95, true),
                    box_of("3400930000004", 16, 50, true),
                ],
            }],
        }
    }

    fn query(name: &str, dosage: Option<&str>) -> MedicineQuery {
        MedicineQuery {
            name: name.to_owned(),
            dosage: dosage.map(str::to_owned),
            quantity: 2,
            ald_linked: false,
        }
    }

    /// Regression: « Levothyrox 75 » routed with the dosage « 75 µg », which
    /// did not match « 75 microgrammes » in the BDPM name.
    #[test]
    fn dosage_units_match_spelled_out() {
        let candidate = "LEVOTHYROX 75 microgrammes, comprimé sécable";

        assert!(names_match("Levothyrox", Some("75 µg"), candidate));
        assert!(names_match("Levothyrox", Some("75 mcg"), candidate));
        assert!(!names_match("Levothyrox", Some("75 mg"), candidate));
        assert!(!names_match("Levothyrox", Some("50 µg"), candidate));
    }

    #[test]
    fn name_picks_marketed_box_and_states_it() {
        let resolution = resolve(&query("Doliprane", Some("1000 mg")), &catalog()).unwrap();
        let Resolution::Found { line, assumption } = resolution else {
            panic!("expected a box, got {resolution:?}");
        };
        assert_eq!(line.box_price_cents, 107);
        assert_eq!(line.rate_basis_points, Some(6500));
        assert_eq!(line.quantity, 2);
        let assumption = assumption.expect("two boxes matched");
        assert!(
            assumption.text.contains("3400935955838"),
            "{}",
            assumption.text
        );
        assert!(
            assumption.how_to_change.contains("3400930000001"),
            "{}",
            assumption.how_to_change
        );
    }

    #[test]
    fn cheaper_generic_has_same_size() {
        let resolution = resolve(&query("3400935955838", None), &catalog()).unwrap();
        let Resolution::Found { line, assumption } = resolution else {
            panic!("expected a box, got {resolution:?}");
        };
        assert!(assumption.is_none());
        let cheaper = line.cheaper_alternative.expect("a generic of 8 at 0,95 €");
        assert_eq!(cheaper.box_price_cents, 95);
    }

    #[test]
    fn unknown_name_lists_nearest() {
        let resolution = resolve(&query("Dolipraine", None), &catalog()).unwrap();
        let Resolution::NotFound { suggestions } = resolution else {
            panic!("expected no match, got {resolution:?}");
        };
        assert_eq!(
            suggestions.first().map(String::as_str),
            Some("DOLIPRANE 1000 mg, comprimé")
        );
    }

    #[test]
    fn units_read_after_last_de() {
        assert_eq!(units_per_box("plaquette(s) PVC de 8 comprimé(s)"), Some(8));
        assert_eq!(units_per_box("flacon de verre de 100 ml"), Some(100));
        assert_eq!(units_per_box("tube"), None);
    }
}
