//! Parsers for the router's slots and the options of `mediflux simulate`:
//! guarantee levels ("200 % BR"), sectors, specialties and euro amounts.
//!
//! Each parser returns a French error that quotes the rejected text and
//! gives an accepted example, so that the command line can print it as is.

use crate::case::{ConsultationKind, Sector, Specialty};

/// Folds `text` to lowercase ASCII words: accents removed, apostrophes and
/// punctuation turned into spaces, runs of spaces collapsed.
pub fn normalise(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for character in text.chars().flat_map(char::to_lowercase) {
        let plain = match character {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            'œ' => {
                folded.push_str("oe");
                continue;
            }
            other if other.is_ascii_alphanumeric() => other,
            '%' | ',' | '.' => character,
            _ => ' ',
        };
        folded.push(plain);
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses a guarantee level such as « 200 % », « 200% BR », « 150 » or
/// « 125,5 % BR » into basis points (20000 = 200 % BR).
pub fn parse_guarantee(text: &str) -> Result<i64, String> {
    let invalid = || {
        format!(
            "niveau de garantie « {text} » invalide : écrivez un pourcentage de la base de remboursement, par exemple « 200 % BR » ou « 100 »"
        )
    };
    if text.contains('-') {
        return Err(invalid());
    }
    let normalised = normalise(text);
    let number = normalised
        .trim_end_matches("br")
        .trim()
        .trim_end_matches('%')
        .trim()
        .replace(',', ".");
    let basis_points = parse_hundredths(&number).ok_or_else(invalid)?;
    if !(0..=100_000).contains(&basis_points) {
        return Err(format!(
            "niveau de garantie « {text} » hors limites : donnez un pourcentage de 0 à 1000 % BR"
        ));
    }
    Ok(basis_points)
}

/// Parses an amount in euros such as « 60 », « 60 € », « 60,50 » or
/// « 60.5 euros » into cents.
pub fn parse_euros(text: &str) -> Result<i64, String> {
    let invalid = || {
        format!(
            "montant « {text} » invalide : écrivez un montant positif en euros, par exemple « 60 » ou « 60,50 »"
        )
    };
    if text.contains('-') {
        return Err(invalid());
    }
    let normalised = normalise(&text.replace('€', " "));
    let number = normalised
        .trim_end_matches("euros")
        .trim_end_matches("euro")
        .trim()
        .replace(',', ".");
    parse_hundredths(&number).ok_or_else(invalid)
}

/// Parses a non-negative decimal number with at most two decimals and
/// returns it times 100.
fn parse_hundredths(number: &str) -> Option<i64> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || fraction.len() > 2 {
        return None;
    }
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|byte| byte.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(fraction)
}

/// A sector read from text, and whether OPTAM was assumed because the text
/// gave only « secteur 2 ».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedSector {
    /// The sector.
    pub sector: Sector,
    /// Set when « secteur 2 » did not say whether the doctor is in OPTAM.
    pub optam_assumed: bool,
}

/// Parses a sector: « 1 », « secteur 2 », « 2 OPTAM », « 2 non OPTAM »,
/// « hors OPTAM », « 3 », or the JSON names `two_optam` and the like.
pub fn parse_sector(text: &str) -> Result<ParsedSector, String> {
    let normalised = normalise(&text.replace(['_', '-'], " "));
    let words: Vec<&str> = normalised.split(' ').collect();
    let has = |word: &str| words.contains(&word);
    let not_optam = normalised.contains("non optam")
        || normalised.contains("hors optam")
        || normalised.contains("sans optam")
        || has("nonoptam");

    let sector = if has("1") || has("one") {
        Sector::One
    } else if has("3") || has("three") {
        Sector::Three
    } else if has("2") || has("two") || has("optam") {
        if not_optam {
            Sector::TwoNonOptam
        } else {
            let optam_assumed = !has("optam");
            return Ok(ParsedSector {
                sector: Sector::TwoOptam,
                optam_assumed,
            });
        }
    } else {
        return Err(format!(
            "secteur « {text} » invalide : écrivez 1, 2-optam, 2-non-optam ou 3"
        ));
    };
    Ok(ParsedSector {
        sector,
        optam_assumed: false,
    })
}

/// Parses a specialty in French (« généraliste », « cardiologue »,
/// « gynécologue »…) or as its JSON name (`general_practitioner`). Any
/// other doctor's title is taken as a specialist outside direct access.
pub fn parse_specialty(text: &str) -> Result<Specialty, String> {
    let normalised = normalise(&text.replace('_', " "));
    if normalised.is_empty() {
        return Err(
            "spécialité vide : écrivez par exemple « généraliste » ou « cardiologue »".to_owned(),
        );
    }
    let starts = |prefix: &str| normalised.split(' ').any(|word| word.starts_with(prefix));
    let specialty = if starts("generalist")
        || starts("general")
        || normalised.contains("medecin traitant")
        || normalised == "medecin"
        || normalised == "mg"
    {
        Specialty::GeneralPractitioner
    } else if starts("gyneco") || starts("gynaeco") {
        Specialty::Gynaecologist
    } else if starts("ophtalmo") || starts("ophthalmo") {
        Specialty::Ophthalmologist
    } else if starts("stomato") {
        Specialty::Stomatologist
    } else if starts("psychiatr") {
        Specialty::Psychiatrist
    } else if starts("geriatr") {
        Specialty::Geriatrician
    } else if starts("pediatr") || starts("paediatr") {
        Specialty::Paediatrician
    } else if normalised
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || byte == b' ')
    {
        Specialty::OtherSpecialist
    } else {
        return Err(format!(
            "spécialité « {text} » invalide : écrivez le titre du médecin, par exemple « généraliste » ou « cardiologue »"
        ));
    };
    Ok(specialty)
}

/// Parses a consultation form: « consultation », « téléconsultation » or
/// « avis » (avis ponctuel de consultant).
pub fn parse_consultation_kind(text: &str) -> Result<ConsultationKind, String> {
    let normalised = normalise(&text.replace('_', " "));
    if normalised.contains("tele") {
        Ok(ConsultationKind::Teleconsultation)
    } else if normalised.contains("avis") || normalised == "apc" || normalised.contains("opinion") {
        Ok(ConsultationKind::SpecialistOpinion)
    } else if normalised.contains("consultation") || normalised == "office" {
        Ok(ConsultationKind::Office)
    } else {
        Err(format!(
            "acte « {text} » invalide : écrivez consultation, teleconsultation ou avis"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarantee_accepts_french_forms() {
        assert_eq!(parse_guarantee("200% BR"), Ok(20_000));
        assert_eq!(parse_guarantee("200 % BR"), Ok(20_000));
        assert_eq!(parse_guarantee("150"), Ok(15_000));
        assert_eq!(parse_guarantee("125,5 %"), Ok(12_550));
    }

    #[test]
    fn guarantee_rejects_words_and_excess() {
        let error = parse_guarantee("beaucoup").unwrap_err();
        assert!(error.contains("« beaucoup »"), "{error}");
        assert!(parse_guarantee("5000 %").is_err());
        assert!(parse_guarantee("-10").is_err());
    }

    #[test]
    fn euros_accept_comma_and_symbol() {
        assert_eq!(parse_euros("60"), Ok(6_000));
        assert_eq!(parse_euros("60,5 €"), Ok(6_050));
        assert_eq!(parse_euros("60.55 euros"), Ok(6_055));
        assert!(parse_euros("60,555").is_err());
        assert!(parse_euros("soixante").is_err());
    }

    #[test]
    fn sector_two_alone_assumes_optam() {
        let plain = parse_sector("secteur 2").unwrap();
        assert_eq!(plain.sector, Sector::TwoOptam);
        assert!(plain.optam_assumed);
        let optam = parse_sector("2-optam").unwrap();
        assert!(!optam.optam_assumed);
        assert_eq!(
            parse_sector("2 non OPTAM").unwrap().sector,
            Sector::TwoNonOptam
        );
        assert_eq!(
            parse_sector("two_non_optam").unwrap().sector,
            Sector::TwoNonOptam
        );
        assert_eq!(parse_sector("secteur 1").unwrap().sector, Sector::One);
        assert!(parse_sector("4").is_err());
    }

    #[test]
    fn specialty_maps_french_titles() {
        assert_eq!(
            parse_specialty("Généraliste"),
            Ok(Specialty::GeneralPractitioner)
        );
        assert_eq!(
            parse_specialty("cardiologue"),
            Ok(Specialty::OtherSpecialist)
        );
        assert_eq!(parse_specialty("gynécologue"), Ok(Specialty::Gynaecologist));
        assert_eq!(
            parse_specialty("general_practitioner"),
            Ok(Specialty::GeneralPractitioner)
        );
        assert!(parse_specialty("42").is_err());
    }
}
