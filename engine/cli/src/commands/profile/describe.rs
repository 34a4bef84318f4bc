//! The French text of `mediflux profile show`.

use chrono::NaiveDate;
use mediflux_memory::{Age, GuaranteeBasis, Profile, PublicCover, Sector};

use crate::commands::french;
use crate::memory::guarantee_text;

/// Describes a profile in French, one line per field.
pub(super) fn describe(profile: &Profile, today: NaiveDate) -> String {
    const UNKNOWN: &str = "non renseigné";
    let mut lines = Vec::new();
    let default = if profile.is_default {
        " (profil par défaut)"
    } else {
        ""
    };
    lines.push(format!("Profil « {} »{default}", profile.label));

    let age = match profile.age {
        Some(Age::BirthDate(birth)) => {
            let years = Age::BirthDate(birth).years_on(today).unwrap_or(0);
            format!("{years} ans (date de naissance : {})", french::date(birth))
        }
        Some(stated @ Age::Stated { recorded_on, .. }) => format!(
            "{} ans (âge déclaré le {})",
            stated.years_on(today).unwrap_or(0),
            french::date(recorded_on)
        ),
        None => UNKNOWN.to_owned(),
    };
    lines.push(format!("  Âge : {age}"));

    match &profile.mutuelle {
        Some(contract) => {
            let kind = if contract.responsable {
                "contrat responsable"
            } else {
                "contrat non responsable"
            };
            let basis = match contract.basis {
                GuaranteeBasis::SecuriteSocialeIncluse => "Sécurité sociale incluse",
                GuaranteeBasis::EnSus => "en sus de la Sécurité sociale",
            };
            let name = contract
                .name
                .as_ref()
                .map(|name| format!("{name}, "))
                .unwrap_or_default();
            lines.push(format!("  Mutuelle : {name}{kind}, {basis}"));
            let guarantees = &contract.guarantees;
            let categories = [
                ("consultation_optam", guarantees.consultation_optam),
                ("consultation_non_optam", guarantees.consultation_non_optam),
                ("pharmacy_65", guarantees.pharmacy_65),
                ("pharmacy_30", guarantees.pharmacy_30),
                ("pharmacy_15", guarantees.pharmacy_15),
                ("hospital_optam", guarantees.hospital_optam),
                ("hospital_non_optam", guarantees.hospital_non_optam),
                ("dental", guarantees.dental),
                ("optical", guarantees.optical),
                ("paramedical", guarantees.paramedical),
            ];
            for (category, level) in categories {
                if let Some(level) = level {
                    lines.push(format!(
                        "    {} : {}",
                        guarantee_heading(category),
                        guarantee_text(level)
                    ));
                }
            }
        }
        None => lines.push("  Mutuelle : aucune renseignée".to_owned()),
    }

    let ald = if profile.ald.is_empty() {
        "aucune".to_owned()
    } else {
        profile
            .ald
            .iter()
            .map(|condition| condition.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    lines.push(format!("  Affections de longue durée (ALD) : {ald}"));

    let cover = match profile.public_cover {
        Some(PublicCover::C2s) => "complémentaire santé solidaire (C2S)",
        Some(PublicCover::Ame) => "aide médicale de l'État (AME)",
        None => "aucune",
    };
    lines.push(format!("  Couverture publique : {cover}"));

    if let Some(pregnancy) = profile.pregnancy {
        lines.push(format!(
            "  Grossesse : début le {}, accouchement prévu le {}",
            french::date(pregnancy.start),
            french::date(pregnancy.expected_delivery)
        ));
    }

    let doctor = match profile.medecin_traitant {
        Some(true) => "déclaré",
        Some(false) => "non déclaré",
        None => UNKNOWN,
    };
    lines.push(format!("  Médecin traitant : {doctor}"));

    let place = &profile.place;
    let mut location = [place.postcode.as_deref(), place.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(departement) = &place.departement {
        location.push_str(&format!(" (département {departement})"));
    }
    if location.trim().is_empty() {
        location = UNKNOWN.to_owned();
    }
    lines.push(format!("  Lieu : {}", location.trim()));

    let preferences = &profile.preferences;
    let mut parts = Vec::new();
    if !preferences.sectors.is_empty() {
        let sectors = preferences
            .sectors
            .iter()
            .map(|sector| match sector {
                Sector::Secteur1 => "secteur 1",
                Sector::Secteur2Optam => "secteur 2 OPTAM",
                Sector::Secteur2 => "secteur 2 hors OPTAM",
                Sector::Secteur3 => "secteur 3",
            })
            .collect::<Vec<_>>()
            .join(", ");
        parts.push(format!("médecins en {sectors}"));
    }
    if let Some(km) = preferences.max_distance_km {
        parts.push(format!("à {km} km au plus"));
    }
    if !parts.is_empty() {
        lines.push(format!("  Préférences : {}", parts.join(", ")));
    }

    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Returns the heading of a guarantee category in `profile show`.
fn guarantee_heading(category: &str) -> &'static str {
    match category {
        "consultation_optam" => "Consultations, secteur 1 ou OPTAM",
        "consultation_non_optam" => "Consultations hors OPTAM",
        "pharmacy_65" => "Médicaments remboursés à 65 %",
        "pharmacy_30" => "Médicaments remboursés à 30 %",
        "pharmacy_15" => "Médicaments remboursés à 15 %",
        "hospital_optam" => "Hospitalisation, secteur 1 ou OPTAM",
        "hospital_non_optam" => "Hospitalisation hors OPTAM",
        "dental" => "Soins dentaires",
        "optical" => "Optique",
        _ => "Soins paramédicaux",
    }
}
