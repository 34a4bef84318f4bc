//! French wording shared by the medicine commands: prices, dates, counts
//! and the explanation of a failed BDPM refresh.

use chrono::NaiveDate;
use mediflux_host::{FailureKind, HostError};
use mediflux_refdata::RefDataError;

/// Formats euro cents the French way, such as `1,07 €` or `1 195,27 €`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{},{:02} €", count(cents / 100), cents % 100)
}

/// Formats a count with spaces between thousands, such as `15 799`.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut text = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(' ');
        }
        text.push(digit);
    }
    text
}

/// Formats a date as `28/01/2026`.
pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// Explains how to load the BDPM when the store has no snapshot.
pub const NO_DATA: &str = "Aucune donnée sur les médicaments n'est encore installée.\n\
     Pour les importer depuis des fichiers BDPM déjà téléchargés :\n  \
     mediflux data import bdpm <dossier>\n\
     Pour les télécharger depuis la base publique des médicaments :\n  \
     mediflux data sync bdpm";

/// Returns, in French, why a refresh by the `bdpm` plugin failed.
pub fn refresh_failure(error: &HostError) -> String {
    let Some(failure) = error.failure() else {
        return format!("le module bdpm n'a pas pu être lancé ({error})");
    };
    match failure {
        FailureKind::Plugin { code, message } => {
            let reason = match code.as_str() {
                "truncated-file" => "un fichier est incomplet, probablement tronqué",
                "invalid-encoding" => {
                    "un fichier n'est ni en UTF-8 ni en Windows-1252, les seuls encodages publiés par la BDPM (il a sans doute été réencodé, par exemple en UTF-16)"
                }
                "download-failed" => {
                    "le téléchargement a échoué malgré plusieurs tentatives (serveur indisponible, délai dépassé ou connexion interrompue)"
                }
                "too-many-rejects" => "un fichier contient trop de lignes illisibles",
                "storage-failed" => "l'écriture dans la base locale a échoué",
                _ => "le module bdpm a signalé une erreur",
            };
            format!("{reason}.\nDétail : {message}")
        }
        FailureKind::WallTimeout { limit_ms } => format!(
            "l'opération a dépassé la durée maximale de {} secondes",
            limit_ms / 1000
        ),
        other => format!("le module bdpm s'est arrêté.\nDétail : {other}"),
    }
}

/// Returns, in French, why the store rejected a snapshot.
pub fn store_failure(error: &RefDataError) -> String {
    match error {
        RefDataError::TooFewRows {
            kind,
            found,
            minimum,
        } => {
            let kind = match *kind {
                "medicines" => "médicaments",
                "presentations" => "présentations",
                other => other,
            };
            format!(
                "seulement {} {kind} lus, moins que le minimum de {} : les fichiers sont probablement incomplets.\nDétail : {error}",
                count(*found),
                count(*minimum)
            )
        }
        RefDataError::ImportInProgress { .. } => {
            "un autre import est en cours ; attendez qu'il se termine puis relancez la commande."
                .to_owned()
        }
        other => format!("la base locale a refusé les données.\nDétail : {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_with_thousands() {
        assert_eq!(euros(107), "1,07 €");
        assert_eq!(euros(119_527), "1 195,27 €");
        assert_eq!(euros(5), "0,05 €");
    }

    #[test]
    fn count_groups_thousands() {
        assert_eq!(count(15_799), "15 799");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000_000), "1 000 000");
    }
}
