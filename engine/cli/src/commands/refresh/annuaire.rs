//! `mediflux data import annuaire <files…>`: Annuaire Santé FHIR files
//! read by the `annuaire` plugin into a new snapshot of practitioners.
//!
//! Files the plugin cannot read, such as invalid JSON, are listed and
//! skipped, and the import goes on with the others. `mediflux data sync
//! annuaire` runs the plugin's refresh without files, which fails with an
//! explanation, because the Annuaire Santé has no public bulk download.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate};
use mediflux_host::{FailureKind, HostError, InputFile, RecordSink, RefreshSummary};
use mediflux_refdata::{ANNUAIRE_SOURCE, MinimumCounts, RefStore, SnapshotInfo};

use super::{progress_bar, unix_seconds};
use crate::commands::Output;
use crate::commands::french;
use crate::reference::StoreSink;
use crate::settings::Settings;

/// End of a note about a file that the plugin skipped.
const SKIPPED_FILE: &str = "; file skipped";
/// End of a note about a FHIR resource that the plugin left out.
const SKIPPED_RESOURCE: &str = "; skipped";

/// Imports the FHIR files of `paths` (files, or folders whose `.json` files
/// are read), dated `date` or, by default, by the newest file.
pub fn import(
    settings: &Settings,
    output: &Output,
    paths: &[PathBuf],
    date: Option<NaiveDate>,
) -> anyhow::Result<ExitCode> {
    let files = read_paths(paths)?;
    let imported_at = match date {
        Some(date) => date,
        None => newest_date(&files)?,
    };
    let inputs = files
        .into_iter()
        .map(|(name, content, _)| InputFile { name, content })
        .collect();
    run_refresh(settings, output, inputs, imported_at)
}

/// Runs the plugin's refresh without files, which explains how to import.
pub fn sync(settings: &Settings, output: &Output) -> anyhow::Result<ExitCode> {
    let today = chrono::Utc::now().date_naive();
    run_refresh(settings, output, Vec::new(), today)
}

/// A file read from disk: name without folder, content and modification
/// time.
type ReadFile = (String, Vec<u8>, SystemTime);

/// Reads the files named in `paths`, and the `.json` files of the folders
/// named there, in name order within each folder.
fn read_paths(paths: &[PathBuf]) -> anyhow::Result<Vec<ReadFile>> {
    let mut files: Vec<ReadFile> = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = json_files(path)?;
            if found.is_empty() {
                anyhow::bail!(
                    "le dossier {} ne contient aucun fichier .json de l'Annuaire Santé",
                    path.display()
                );
            }
            found.sort();
            for file in found {
                files.push(read_file(&file)?);
            }
        } else if path.is_file() {
            files.push(read_file(path)?);
        } else {
            anyhow::bail!(
                "le fichier ou dossier {} n'existe pas ; donnez des fichiers FHIR (.json) de l'Annuaire Santé ou le dossier qui les contient",
                path.display()
            );
        }
    }

    for (index, (name, _, _)) in files.iter().enumerate() {
        if files[..index].iter().any(|(earlier, _, _)| earlier == name) {
            anyhow::bail!(
                "deux fichiers s'appellent « {name} » : renommez l'un d'eux, car l'import garde la liste des fichiers par nom"
            );
        }
    }
    Ok(files)
}

fn json_files(folder: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(folder)
        .with_context(|| format!("impossible de lire le dossier {}", folder.display()))?;
    let mut found = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let is_json = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
        if path.is_file() && is_json {
            found.push(path);
        }
    }
    Ok(found)
}

fn read_file(path: &Path) -> anyhow::Result<ReadFile> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let content = std::fs::read(path)
        .with_context(|| format!("impossible de lire le fichier {}", path.display()))?;
    let modified = std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .unwrap_or(UNIX_EPOCH);
    Ok((name, content, modified))
}

fn newest_date(files: &[ReadFile]) -> anyhow::Result<NaiveDate> {
    let newest = files
        .iter()
        .map(|(_, _, modified)| *modified)
        .max()
        .unwrap_or(UNIX_EPOCH);
    DateTime::from_timestamp(unix_seconds(newest), 0)
        .map(|time| time.date_naive())
        .context(
            "les dates de modification des fichiers sont hors limites ; passez --date AAAA-MM-JJ",
        )
}

/// Returns the French label of a step reported by the plugin.
fn step_label(step: &str) -> String {
    match step {
        "read" => "Lecture des fichiers".to_owned(),
        "practitioners" => "Import des praticiens".to_owned(),
        other => format!("Import : {other}"),
    }
}

fn run_refresh(
    settings: &Settings,
    output: &Output,
    files: Vec<InputFile>,
    imported_at: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let host = crate::catalog::host(settings)?;
    if !host
        .plugins()
        .iter()
        .any(|plugin| plugin.id == ANNUAIRE_SOURCE)
    {
        anyhow::bail!(
            "le module annuaire n'est pas chargé ; lancez `mediflux plugins list` pour voir pourquoi"
        );
    }
    let previous = RefStore::open(&settings.data_dir)?.current_snapshot(ANNUAIRE_SOURCE)?;

    let bar = progress_bar(output);
    let reporter = bar.clone();
    let sink = Arc::new(StoreSink::new(
        ANNUAIRE_SOURCE,
        settings.data_dir.clone(),
        imported_at,
        Box::new(move |step, done, total| {
            reporter.set_message(step_label(step));
            reporter.set_length(total.unwrap_or(done));
            reporter.set_position(done);
        }),
    ));
    let sink_for_host: Arc<dyn RecordSink> = sink.clone();
    let refreshed =
        super::super::runtime()?.block_on(host.refresh(ANNUAIRE_SOURCE, files, sink_for_host));
    bar.finish_and_clear();

    let summary = match refreshed {
        Ok(summary) => summary,
        Err(error) => {
            sink.abort(&error.to_string());
            return report_failure(
                output,
                &refresh_failure(&error),
                &error.to_string(),
                previous,
            );
        }
    };
    // Every record the plugin writes is a practitioner it could read, so
    // one is enough: the plugin fails the refresh when it reads none.
    match sink.commit(MinimumCounts::default()) {
        Ok(Some(snapshot)) => report_success(output, &summary, &snapshot),
        Ok(None) => report_failure(
            output,
            "aucun praticien n'a été lu dans les fichiers.",
            "the refresh wrote no record",
            previous,
        ),
        Err(error) => report_failure(
            output,
            &french::store_failure(&error),
            &error.to_string(),
            previous,
        ),
    }
}

/// Returns, in French, why a refresh by the `annuaire` plugin failed.
fn refresh_failure(error: &HostError) -> String {
    let Some(failure) = error.failure() else {
        return format!("le module annuaire n'a pas pu être lancé ({error})");
    };
    match failure {
        FailureKind::Plugin { code, message } => {
            let reason = match code.as_str() {
                "files-required" => {
                    "l'Annuaire Santé ne propose pas de téléchargement public que Mediflux pourrait \
                     synchroniser, car son API demande une clé personnelle. Importez des fichiers \
                     FHIR (JSON) exportés de l'Annuaire Santé : mediflux data import annuaire \
                     <fichiers…>"
                }
                "no-practitioners" => {
                    "aucun fichier ne contient de praticien utilisable, c'est-à-dire une ressource \
                     Practitioner avec un numéro RPPS ou ADELI, un nom et une profession"
                }
                "storage-failed" => "l'écriture dans la base locale a échoué",
                _ => "le module annuaire a signalé une erreur",
            };
            format!("{reason}.\nDétail : {message}")
        }
        FailureKind::WallTimeout { limit_ms } => format!(
            "l'opération a dépassé la durée maximale de {} secondes",
            limit_ms / 1000
        ),
        other => format!("le module annuaire s'est arrêté.\nDétail : {other}"),
    }
}

/// Returns, in French, a note of the plugin about a skipped file, or
/// `None` for a note about a resource.
fn skipped_file(note: &str) -> Option<String> {
    let reason = note.strip_suffix(SKIPPED_FILE)?;
    let (file, problem) = reason.split_once(": ")?;
    if let Some(located) = problem.strip_prefix("invalid JSON at line ") {
        let (position, detail) = located.split_once(": ").unwrap_or((located, ""));
        let (line, column) = position.split_once(", column ").unwrap_or((position, ""));
        // The JSON parser reports the end of a cut file at column 0.
        if detail.starts_with("EOF") {
            return Some(format!(
                "{file} : JSON incomplet, le texte s'arrête à la ligne {line}"
            ));
        }
        return Some(format!(
            "{file} : JSON invalide (ligne {line}, colonne {column})"
        ));
    }
    if problem.starts_with("no FHIR resource") {
        return Some(format!("{file} : aucune ressource FHIR"));
    }
    Some(format!("{file} : illisible ({problem})"))
}

fn report_success(
    output: &Output,
    summary: &RefreshSummary,
    snapshot: &SnapshotInfo,
) -> anyhow::Result<ExitCode> {
    let practitioners = snapshot.counts.practitioners;
    if output.json {
        output.print_json(&serde_json::json!({
            "status": "imported",
            "snapshot_date": snapshot.imported_at.to_string(),
            "counts": { "practitioners": practitioners },
            "written": summary.written,
            "rejected": summary.rejected,
            "notes": summary.notes,
            "files": snapshot.files.iter().map(|file| serde_json::json!({
                "name": file.name, "sha256": file.sha256, "bytes": file.bytes,
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }

    let noun = if practitioners == 1 {
        "professionnel de santé lu"
    } else {
        "professionnels de santé lus"
    };
    let files = snapshot.files.len() as u64;
    println!(
        "Import Annuaire Santé terminé : {} {noun} dans {} {}.",
        french::count(practitioners),
        french::count(files),
        if files == 1 { "fichier" } else { "fichiers" }
    );

    let skipped: Vec<String> = summary
        .notes
        .iter()
        .filter_map(|note| skipped_file(note))
        .collect();
    if !skipped.is_empty() {
        let count = skipped.len() as u64;
        println!(
            "{} {} :",
            french::count(count),
            if count == 1 {
                "fichier illisible a été ignoré"
            } else {
                "fichiers illisibles ont été ignorés"
            }
        );
        for line in &skipped {
            println!("- {line}");
        }
    }
    let left_out = summary
        .notes
        .iter()
        .filter(|note| note.ends_with(SKIPPED_RESOURCE) && !note.ends_with(SKIPPED_FILE))
        .count() as u64;
    if left_out > 0 {
        println!(
            "{} sans praticien identifiable (numéro RPPS ou ADELI, nom, profession) : détail avec --json.",
            if left_out == 1 {
                "1 ressource ignorée".to_owned()
            } else {
                format!("{} ressources ignorées", french::count(left_out))
            }
        );
    }
    println!(
        "Données en service : Annuaire Santé du {}.",
        french::date(snapshot.imported_at)
    );
    Ok(ExitCode::SUCCESS)
}

fn report_failure(
    output: &Output,
    reason: &str,
    detail: &str,
    previous: Option<SnapshotInfo>,
) -> anyhow::Result<ExitCode> {
    let kept = match &previous {
        Some(snapshot) => format!(
            "Les données précédentes (Annuaire Santé du {}) restent en service.",
            french::date(snapshot.imported_at)
        ),
        None => "Aucune donnée de l'Annuaire Santé n'est encore en service.".to_owned(),
    };
    if output.json {
        output.print_json(&serde_json::json!({
            "status": "failed",
            "reason": reason,
            "detail": detail,
            "snapshot_date": previous.as_ref().map(|snapshot| snapshot.imported_at.to_string()),
        }))?;
    }
    eprintln!("Échec de l'import Annuaire Santé : {reason}\n{kept}");
    Ok(ExitCode::FAILURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_file_notes_become_french() {
        assert_eq!(
            skipped_file(
                "PM2.json: invalid JSON at line 28, column 17: key must be a string; file skipped"
            )
            .as_deref(),
            Some("PM2.json : JSON invalide (ligne 28, colonne 17)")
        );
        assert_eq!(
            skipped_file(
                "PM1.json: invalid JSON at line 173, column 0: EOF while parsing a value; file skipped"
            )
            .as_deref(),
            Some("PM1.json : JSON incomplet, le texte s'arrête à la ligne 173")
        );
        assert_eq!(
            skipped_file(
                "x.json: no FHIR resource (no object with a resourceType), expected a Bundle; file skipped"
            )
            .as_deref(),
            Some("x.json : aucune ressource FHIR")
        );
        assert_eq!(
            skipped_file(
                "PractitionerRole r1 in a.json: no link to a Practitioner, so no RPPS number; skipped"
            ),
            None
        );
    }
}
