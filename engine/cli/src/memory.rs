//! The user memory as the commands use it: the `memory.sqlite3` file of the
//! data folder, the profile fields an intent plugin call carries, and the
//! memory errors in French for the patient.

use anyhow::anyhow;
use chrono::{Datelike, NaiveDate};
use mediflux_memory::{
    LedgerTotals, MEMORY_FILE_NAME, MemoryDb, MemoryError, MemoryOptions, Profile, project_profile,
};

use crate::settings::Settings;

/// Opens the memory database of the data folder, creating it when missing.
pub fn open(settings: &Settings) -> anyhow::Result<MemoryDb> {
    MemoryDb::open(&settings.data_dir, MemoryOptions::default()).map_err(french_error)
}

/// Opens the memory database only when its file exists, so that a command
/// that merely reads profiles creates no file.
pub fn open_existing(settings: &Settings) -> anyhow::Result<Option<MemoryDb>> {
    if !settings.data_dir.join(MEMORY_FILE_NAME).exists() {
        return Ok(None);
    }
    open(settings).map(Some)
}

/// The patient an intent plugin call is about, as read from the memory.
#[derive(Debug, Clone)]
pub struct PatientProfile {
    /// The resolved profile.
    pub profile: Profile,
    /// Every field of `mediflux_manifest::PROFILE_FIELDS` as name and JSON
    /// value, for `IntentRequest::profile`. The host then drops the fields
    /// the plugin's manifest does not grant.
    pub fields: Vec<(String, String)>,
    /// Franchises and participations recorded in the civil year of the
    /// date of care.
    pub year_totals: LedgerTotals,
}

/// Resolves the profile an intent plugin call is about and projects it on
/// the date of care.
///
/// `label` names a profile; `None` takes the default profile. Returns
/// `Ok(None)` when `label` is `None` and no profile exists, so the plugin
/// falls back to its stated assumptions. A `label` that matches no profile
/// is an error. It never creates the database file and writes no row,
/// though opening a file of an older schema migrates it.
pub fn intent_profile(
    settings: &Settings,
    label: Option<&str>,
    date_of_care: NaiveDate,
) -> anyhow::Result<Option<PatientProfile>> {
    let Some(db) = open_existing(settings)? else {
        return match label {
            Some(label) => Err(french_error(MemoryError::ProfileNotFound {
                label: label.to_owned(),
                known: "none".to_owned(),
            })),
            None => Ok(None),
        };
    };

    let profile = match db.resolve_profile(label) {
        Ok(profile) => profile,
        Err(MemoryError::NoDefaultProfile) if label.is_none() => return Ok(None),
        Err(error) => return Err(french_error(error)),
    };
    let projected = project_profile(&profile, mediflux_manifest::PROFILE_FIELDS, date_of_care)
        .map_err(french_error)?;
    let fields = projected
        .into_iter()
        .map(|(name, value)| (name, value.to_string()))
        .collect();
    let year_totals = db
        .ledger()
        .year_totals(profile.id, date_of_care.year())
        .map_err(french_error)?;

    Ok(Some(PatientProfile {
        profile,
        fields,
        year_totals,
    }))
}

/// Turns a memory error into a French message for the patient, naming the
/// rejected value and the fix.
pub fn french_error(error: MemoryError) -> anyhow::Error {
    match error {
        MemoryError::InvalidField { field, value, fix } => {
            anyhow!(invalid_field(field, &value, &fix))
        }
        MemoryError::ProfileNotFound { label, known } => {
            let known = if known == "none" {
                "aucun profil n'existe encore".to_owned()
            } else {
                format!("profils existants : {known}")
            };
            anyhow!(
                "profil « {label} » introuvable ({known}) : créez-le avec `mediflux profile set --profile \"{label}\"` ou choisissez un profil existant"
            )
        }
        MemoryError::ProfileIdNotFound(id) => {
            anyhow!("profil n° {id} introuvable : listez les profils avec `mediflux profile list`")
        }
        MemoryError::NoDefaultProfile => anyhow!(
            "aucun profil n'existe encore : créez le vôtre, par exemple avec `mediflux profile set --age 40 --mutuelle \"200% BR\"`"
        ),
        MemoryError::LabelTaken(label) => {
            anyhow!("le nom de profil « {label} » est déjà pris : choisissez-en un autre")
        }
        // TODO: no command reruns `MemoryDb::scrub` alone, so the stale copy
        // goes only with the next erase.
        MemoryError::ScrubIncomplete => anyhow!(
            "les données ont été supprimées, mais le journal de la base en garde encore une copie parce qu'un autre processus Mediflux la lisait : fermez les autres commandes Mediflux ; le prochain effacement de profil supprimera cette copie"
        ),
        MemoryError::SchemaTooNew { .. } => anyhow!(
            "la mémoire locale a été écrite par une version plus récente de Mediflux : mettez Mediflux à jour.\nDétail : {error}"
        ),
        other => anyhow!(
            "la mémoire locale (fichier {MEMORY_FILE_NAME} du dossier de données) n'a pas pu être lue ou écrite.\nDétail : {other}"
        ),
    }
}

/// Returns the French message of a rejected field value. `fix` is the
/// library's English explanation, kept only for fields this table lacks.
fn invalid_field(field: &str, value: &str, fix: &str) -> String {
    if let Some(category) = field.strip_prefix("mutuelle.guarantees.") {
        let level = value
            .parse::<u32>()
            .map_or_else(|_| value.to_owned(), guarantee_text);
        return format!(
            "garantie « {level} » refusée pour {} : un contrat responsable exprimé « Sécurité sociale incluse » couvre au moins 100 % BR, au plus 200 % BR pour les médecins hors OPTAM, et ces derniers au moins 20 points sous la garantie OPTAM. Vérifiez le tableau de garanties du contrat, ou ajoutez --non-responsable s'il n'est pas responsable",
            guarantee_category(category)
        );
    }
    match field {
        "label" => format!(
            "nom de profil « {value} » invalide : donnez un nom de 1 à {} caractères sur une seule ligne, par exemple « moi » ou « Léa »",
            mediflux_memory::MAX_LABEL_CHARS
        ),
        "age" => format!(
            "âge ou date de naissance « {value} » invalide : donnez un âge de 0 à 130 ans, ou une date de naissance passée, après 1900"
        ),
        "mutuelle.name" => {
            format!("nom de mutuelle « {value} » invalide : donnez de 1 à 200 caractères")
        }
        "ald.name" => format!(
            "affection de longue durée « {value} » invalide : donnez son nom en 1 à 200 caractères"
        ),
        "ald.until" => format!("date de fin d'ALD « {value} » invalide : elle précède le début"),
        "pregnancy.expected_delivery" => format!(
            "date prévue d'accouchement « {value} » invalide : donnez une date de 1 à 310 jours après le début de grossesse"
        ),
        "pregnancy.delivery" => {
            format!("date d'accouchement « {value} » invalide : elle précède le début de grossesse")
        }
        "postcode" => format!(
            "code postal « {value} » invalide : donnez les cinq chiffres d'un code postal de métropole ou d'un département d'outre-mer, par exemple 75011 ou 97400"
        ),
        "city" => format!("commune « {value} » invalide : donnez un nom de 1 à 100 caractères"),
        "departement" => {
            format!("département « {value} » invalide : donnez un code tel que 01, 2A, 75 ou 974")
        }
        "max_distance_km" => format!(
            "distance maximale « {value} km » invalide : donnez une distance de 1 à 1000 km"
        ),
        "amount_cents" => {
            let amount = value
                .parse::<i64>()
                .map_or_else(|_| value.to_owned(), crate::commands::french::euros);
            format!(
                "montant « {amount} » invalide : une franchise ou une participation forfaitaire va de 0,01 € à 50,00 €"
            )
        }
        "charged_on" => format!(
            "date « {value} » invalide : donnez le jour du prélèvement, ni dans le futur ni avant 2000"
        ),
        other => format!("valeur « {value} » refusée pour {other}.\nDétail : {fix}"),
    }
}

/// Formats a guarantee in basis points of the BR, such as `200 % BR` or `187,5 % BR`.
pub fn guarantee_text(basis_points: u32) -> String {
    let whole = basis_points / 100;
    let hundredths = basis_points % 100;
    if hundredths == 0 {
        format!("{whole} % BR")
    } else {
        let decimals = format!("{hundredths:02}");
        format!("{whole},{} % BR", decimals.trim_end_matches('0'))
    }
}

/// Returns the French name of a guarantee category of the memory's contract.
fn guarantee_category(category: &str) -> &'static str {
    match category {
        "consultation_optam" => "les consultations en secteur 1 ou OPTAM",
        "consultation_non_optam" => "les consultations hors OPTAM",
        "pharmacy_65" => "les médicaments remboursés à 65 %",
        "pharmacy_30" => "les médicaments remboursés à 30 %",
        "pharmacy_15" => "les médicaments remboursés à 15 %",
        "hospital_optam" => "l'hospitalisation en secteur 1 ou OPTAM",
        "hospital_non_optam" => "l'hospitalisation hors OPTAM",
        "dental" => "les soins dentaires",
        "optical" => "l'optique",
        _ => "les soins paramédicaux",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarantee_text_in_french() {
        assert_eq!(guarantee_text(20_000), "200 % BR");
        assert_eq!(guarantee_text(18_750), "187,5 % BR");
        assert_eq!(guarantee_text(10_025), "100,25 % BR");
    }

    #[test]
    fn invalid_guarantee_names_value() {
        let message = invalid_field("mutuelle.guarantees.consultation_non_optam", "19000", "");
        assert!(message.contains("« 190 % BR »"), "{message}");
        assert!(message.contains("hors OPTAM"), "{message}");
    }

    #[test]
    fn cost_plugin_reads_projection() {
        use mediflux_memory::{
            AldCondition, GuaranteeBasis, Guarantees, MutuelleContract, Patch, Pregnancy,
            ProfileUpdate, PublicCover as MemoryCover,
        };
        use mediflux_plugin_cost::intent::read_profile;
        use mediflux_plugin_cost::{CoverBasis, Maternity, PublicCover};

        let dir = tempfile::tempdir().expect("temp dir");
        let mut db = MemoryDb::open(dir.path(), MemoryOptions::default()).expect("open");
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date");
        let update = ProfileUpdate {
            age: Patch::Set(mediflux_memory::Age::BirthDate(day("1985-04-12"))),
            mutuelle: Patch::Set(MutuelleContract {
                name: None,
                responsable: true,
                basis: GuaranteeBasis::EnSus,
                guarantees: Guarantees {
                    consultation_optam: Some(20_000),
                    consultation_non_optam: Some(15_000),
                    pharmacy_65: Some(10_000),
                    ..Guarantees::default()
                },
            }),
            ald: Some(vec![AldCondition {
                name: "diabète de type 2".to_owned(),
                since: None,
                until: None,
            }]),
            public_cover: Patch::Set(MemoryCover::C2s),
            pregnancy: Patch::Set(Pregnancy {
                start: day("2025-01-10"),
                expected_delivery: day("2025-10-10"),
                delivery: None,
            }),
            medecin_traitant: Patch::Set(false),
            ..ProfileUpdate::default()
        };
        let profile = db.create_profile("moi", update).expect("create");

        let projected = project_profile(
            &profile,
            mediflux_manifest::PROFILE_FIELDS,
            day("2025-07-10"),
        )
        .expect("project");
        let fields: Vec<(String, String)> = projected
            .into_iter()
            .map(|(name, value)| (name, value.to_string()))
            .collect();
        let facts = read_profile(&fields, "2025-07-10".parse().expect("date"));

        assert_eq!(facts.patient.age_years, Some(40));
        assert_eq!(facts.patient.cover, PublicCover::C2s);
        assert_eq!(facts.patient.maternity, Some(Maternity::PregnancyMonth(7)));
        assert!(facts.has_ald);
        assert_eq!(facts.medecin_traitant, Some(false));
        let mutuelle = facts.mutuelle.expect("mutuelle read");
        assert_eq!(mutuelle.doctors_optam_basis_points, 20_000);
        assert_eq!(mutuelle.doctors_non_optam_basis_points, Some(15_000));
        assert_eq!(mutuelle.medicines_basis_points, 10_000);
        assert_eq!(mutuelle.basis, CoverBasis::OnTopOfSecu);
    }

    #[test]
    fn invalid_amount_in_euros() {
        let message = invalid_field("amount_cents", "6000", "");
        assert!(message.contains("60,00 €"), "{message}");
    }
}
