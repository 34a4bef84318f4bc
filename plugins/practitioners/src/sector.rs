//! Explanations of a doctor's convention sector for the price of a
//! consultation, with every amount and rate read from the host's yearly
//! rule sets at the date of care.

use crate::text::{euros, percent};
use crate::{Date, RuleAmount, RuleSource};

/// Convention sectors of the router's `sector` slot.
pub const SECTORS: [&str; 5] = ["1", "2", "2 OPTAM", "2 non-OPTAM", "3"];

/// An explanation of one sector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorExplanation {
    /// Heading, such as « Ce que le secteur 1 signifie pour le prix… ».
    pub heading: String,
    /// One French sentence per fact.
    pub lines: Vec<String>,
    /// Titles of the rule sources used, without duplicates.
    pub sources: Vec<String>,
    /// Names of the rules used whose value is still to be confirmed.
    pub to_confirm: Vec<String>,
}

/// Failure to explain a sector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectorError {
    /// The value is not one of [`SECTORS`].
    Unknown(String),
    /// A rule was missing or had an unexpected unit.
    Rule {
        /// Rule name.
        name: String,
        /// English description of the failure.
        message: String,
    },
}

/// Returns whether a practitioner of sector `known` fits a request for
/// sector `requested`: the same sector, or a sector 2 of either kind for
/// a plain « secteur 2 ».
pub fn is_compatible(requested: &str, known: &str) -> bool {
    requested == known || (requested == "2" && known.starts_with("2 "))
}

/// Returns the French name of a sector of [`SECTORS`], such as « secteur 2
/// sans OPTAM », or `None` for another value.
pub fn label(sector: &str) -> Option<&'static str> {
    match sector {
        "1" => Some("secteur 1"),
        "2" => Some("secteur 2"),
        "2 OPTAM" => Some("secteur 2 avec OPTAM"),
        "2 non-OPTAM" => Some("secteur 2 sans OPTAM"),
        "3" => Some("secteur 3"),
        _ => None,
    }
}

/// Reads rule values at one date and remembers their sources.
struct Reader<'r> {
    rules: &'r dyn RuleSource,
    date: Date,
    sources: Vec<String>,
    to_confirm: Vec<String>,
}

impl Reader<'_> {
    fn read(&mut self, name: &str) -> Result<RuleAmount, SectorError> {
        let fact = self
            .rules
            .value_at(name, self.date)
            .map_err(|message| SectorError::Rule {
                name: name.to_owned(),
                message,
            })?;
        if !self.sources.contains(&fact.source_title) {
            self.sources.push(fact.source_title);
        }
        if fact.to_confirm {
            self.to_confirm.push(name.to_owned());
        }
        Ok(fact.value)
    }

    fn unexpected(name: &str, expected: &str) -> SectorError {
        SectorError::Rule {
            name: name.to_owned(),
            message: format!("expected {expected}"),
        }
    }

    fn cents(&mut self, name: &str) -> Result<String, SectorError> {
        match self.read(name)? {
            RuleAmount::Cents(cents) => Ok(euros(cents)),
            _ => Err(Self::unexpected(name, "an amount in cents")),
        }
    }

    fn rate(&mut self, name: &str) -> Result<String, SectorError> {
        match self.read(name)? {
            RuleAmount::BasisPoints(points) => Ok(percent(points)),
            _ => Err(Self::unexpected(name, "a rate in basis points")),
        }
    }

    fn flag(&mut self, name: &str) -> Result<bool, SectorError> {
        match self.read(name)? {
            RuleAmount::Flag(flag) => Ok(flag),
            _ => Err(Self::unexpected(name, "a flag")),
        }
    }
}

/// Explains `sector` (one of [`SECTORS`]) for a consultation on `date`.
///
/// # Errors
///
/// [`SectorError::Unknown`] for another value, and [`SectorError::Rule`]
/// when a rule the explanation needs is missing at `date`.
pub fn explain(
    sector: &str,
    date: Date,
    rules: &dyn RuleSource,
) -> Result<SectorExplanation, SectorError> {
    let Some(label) = label(sector) else {
        return Err(SectorError::Unknown(sector.to_owned()));
    };
    let mut reader = Reader {
        rules,
        date,
        sources: Vec::new(),
        to_confirm: Vec::new(),
    };

    let mut lines = Vec::new();
    match sector {
        "1" => lines.push(sector_1(&mut reader)?),
        "3" => lines.push(sector_3(&mut reader)?),
        _ => {
            if reader.flag("secteur.s2.honoraires_libres")? {
                lines.push(
                    "Secteur 2 : les honoraires sont libres. La part facturée au-delà de la base de \
                     remboursement (le dépassement d'honoraires) n'est pas remboursée par l'Assurance \
                     Maladie ; votre mutuelle peut la prendre en charge, selon votre contrat."
                        .to_owned(),
                );
            }
            if sector != "2 non-OPTAM" {
                lines.push(optam(&mut reader)?);
            }
            if sector != "2 OPTAM" {
                lines.push(non_optam(&mut reader)?);
            }
            if reader.flag("profil.c2s.depassement_interdit")? {
                lines.push(
                    "Avec la C2S, un médecin conventionné vous facture la base de remboursement, \
                     sans dépassement."
                        .to_owned(),
                );
            }
        }
    }

    Ok(SectorExplanation {
        heading: format!(
            "Ce que le {label} signifie pour le prix d'une consultation chez un médecin :"
        ),
        lines,
        sources: reader.sources,
        to_confirm: reader.to_confirm,
    })
}

fn sector_1(reader: &mut Reader<'_>) -> Result<String, SectorError> {
    let ceiling = reader.rate("secteur.s1.depassement_autorise.plafond")?;
    let c2s_exempt = reader.flag("profil.c2s.depassement_interdit")?;
    let exception = if c2s_exempt {
        ", jamais pour un bénéficiaire de la C2S"
    } else {
        ""
    };
    Ok(format!(
        "Secteur 1 : le médecin facture le tarif de la convention, qui est aussi la base de \
         remboursement de l'Assurance Maladie, sans dépassement d'honoraires. Seul un spécialiste \
         consulté hors du parcours de soins coordonnés peut ajouter un dépassement autorisé, d'au \
         plus {ceiling} de ce tarif{exception}."
    ))
}

fn optam(reader: &mut Reader<'_>) -> Result<String, SectorError> {
    if !reader.flag("secteur.s2_optam.base_secteur_1")? {
        return Err(Reader::unexpected(
            "secteur.s2_optam.base_secteur_1",
            "true, as in every rule set written so far",
        ));
    }
    let gap =
        reader.rate("complementaire.contrat_responsable.depassement_non_optam.ecart_min_optam")?;
    Ok(format!(
        "Secteur 2 avec OPTAM : le médecin s'est engagé à modérer ses dépassements. L'Assurance \
         Maladie rembourse sur la même base qu'en secteur 1, et un contrat de mutuelle responsable \
         couvre ses dépassements d'au moins {gap} de la base de remboursement de plus que ceux \
         d'un médecin sans OPTAM."
    ))
}

fn non_optam(reader: &mut Reader<'_>) -> Result<String, SectorError> {
    let reduced = reader.cents("secteur.s2_non_optam.tarif")?;
    let ceiling =
        reader.rate("complementaire.contrat_responsable.depassement_non_optam.plafond")?;
    Ok(format!(
        "Secteur 2 sans OPTAM : l'Assurance Maladie rembourse sur une base réduite ({reduced} pour \
         une consultation), et un contrat de mutuelle responsable couvre ses dépassements au plus \
         à {ceiling} de la base de remboursement."
    ))
}

fn sector_3(reader: &mut Reader<'_>) -> Result<String, SectorError> {
    let general = reader.cents("secteur.s3.tarif_autorite.generaliste")?;
    let specialist = reader.cents("secteur.s3.tarif_autorite.specialiste")?;
    Ok(format!(
        "Secteur 3 (médecin non conventionné) : quel que soit le prix facturé, l'Assurance Maladie \
         ne rembourse que sur un tarif d'autorité de {general} pour un généraliste et de \
         {specialist} pour un spécialiste."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sector_2_accepts_both_kinds() {
        assert!(is_compatible("2", "2 OPTAM"));
        assert!(is_compatible("2", "2 non-OPTAM"));
        assert!(is_compatible("1", "1"));
        assert!(!is_compatible("2 OPTAM", "2 non-OPTAM"));
        assert!(!is_compatible("1", "2 OPTAM"));
    }

    #[test]
    fn unknown_sector_is_rejected() {
        struct NoRules;
        impl RuleSource for NoRules {
            fn value_at(&self, name: &str, _: Date) -> Result<crate::RuleFact, String> {
                Err(format!("no rule {name}"))
            }
        }
        let date = Date::new(2026, 3, 1).expect("valid date");

        assert_eq!(
            explain("4", date, &NoRules),
            Err(SectorError::Unknown("4".to_owned()))
        );
        assert!(matches!(
            explain("1", date, &NoRules),
            Err(SectorError::Rule { name, .. }) if name == "secteur.s1.depassement_autorise.plafond"
        ));
    }
}
