//! `mediflux data import bdpm <folder>` and `mediflux data sync bdpm`: a
//! refresh of the `bdpm` plugin written into a new snapshot of the
//! reference store, committed only when plausible. The `annuaire` source
//! has its own module.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use mediflux_host::{Host, InputFile, RecordSink, RefreshSummary};
use mediflux_refdata::{ANNUAIRE_SOURCE, BDPM_SOURCE, MinimumCounts, RefStore, SnapshotInfo};

use crate::commands::Output;
use crate::commands::french;
use crate::reference::StoreSink;
use crate::settings::Settings;

pub mod annuaire;

/// Snapshots with fewer rows are rejected as truncated. A full set has
/// about 15,800 medicines and 20,900 presentations (January 2026).
const MINIMUM: MinimumCounts = MinimumCounts {
    medicines: 10_000,
    presentations: 10_000,
};

/// Checks that `source` is a source this command can refresh.
pub fn check_source(source: &str) -> anyhow::Result<()> {
    if source != BDPM_SOURCE && source != ANNUAIRE_SOURCE {
        anyhow::bail!(
            "la source « {source} » ne peut pas être importée : les sources prises en charge sont bdpm (base publique des médicaments) et annuaire (Annuaire Santé)"
        );
    }
    Ok(())
}

/// Imports the BDPM files of `folder`, dated `date` or, by default, by the
/// folder name when it starts with `YYYY-MM-DD`, else by the newest file.
pub fn import(
    settings: &Settings,
    output: &Output,
    folder: &Path,
    date: Option<NaiveDate>,
) -> anyhow::Result<ExitCode> {
    let files = read_folder(folder)?;
    let imported_at = match date {
        Some(date) => date,
        None => folder_date(folder, &files)?,
    };
    let inputs = files
        .into_iter()
        .map(|(name, content, _)| InputFile { name, content })
        .collect();
    run_refresh(settings, output, inputs, imported_at)
}

/// Downloads the BDPM through the plugin and imports it, dated today (UTC).
pub fn sync(settings: &Settings, output: &Output) -> anyhow::Result<ExitCode> {
    run_refresh(settings, output, Vec::new(), today_utc()?)
}

/// Downloads and imports the BDPM with `host` before a question is
/// answered, with the progress bar on standard error and no report.
/// Returns the snapshot now in service, or the French reason of the
/// failure; the store is left as it was on failure.
pub fn sync_before_answer(
    settings: &Settings,
    host: &Host,
) -> anyhow::Result<Result<SnapshotInfo, String>> {
    let bar = progress_bar(&Output { json: false });
    let outcome = refresh_store(settings, host, Vec::new(), today_utc()?, bar)?;
    Ok(match outcome {
        Refreshed::Imported { snapshot, .. } => Ok(snapshot),
        Refreshed::Unchanged { previous, .. } => {
            previous.ok_or_else(|| "aucune donnée n'a été lue dans les fichiers".to_owned())
        }
        Refreshed::Failed { reason, detail, .. } => {
            tracing::warn!(%detail, "BDPM sync before answering failed");
            Err(reason)
        }
    })
}

fn today_utc() -> anyhow::Result<NaiveDate> {
    DateTime::from_timestamp(unix_seconds(SystemTime::now()), 0)
        .map(|time| time.date_naive())
        .context("the system clock is out of range")
}

/// Reads the `.txt` files of `folder` as name, content and modification
/// time, in name order.
fn read_folder(folder: &Path) -> anyhow::Result<Vec<(String, Vec<u8>, SystemTime)>> {
    let entries = std::fs::read_dir(folder)
        .with_context(|| format!("impossible de lire le dossier {}", folder.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let is_text = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("txt"));
        if !path.is_file() || !is_text {
            continue;
        }
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let content = std::fs::read(&path)
            .with_context(|| format!("impossible de lire le fichier {}", path.display()))?;
        let modified = std::fs::metadata(&path)
            .and_then(|metadata| metadata.modified())
            .unwrap_or(UNIX_EPOCH);
        files.push((name, content, modified));
    }
    if files.is_empty() {
        anyhow::bail!(
            "le dossier {} ne contient aucun fichier .txt de la BDPM (CIS_bdpm.txt, CIS_CIP_bdpm.txt…)",
            folder.display()
        );
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn folder_date(
    folder: &Path,
    files: &[(String, Vec<u8>, SystemTime)],
) -> anyhow::Result<NaiveDate> {
    let from_name = folder
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .and_then(|name| name.get(..10).and_then(|prefix| prefix.parse().ok()));
    if let Some(date) = from_name {
        return Ok(date);
    }
    let newest = files
        .iter()
        .map(|(_, _, modified)| *modified)
        .max()
        .unwrap_or(UNIX_EPOCH);
    DateTime::from_timestamp(unix_seconds(newest), 0)
        .map(|time| time.date_naive())
        .context("file modification dates are out of range; pass --date YYYY-MM-DD")
}

fn unix_seconds(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
        .try_into()
        .unwrap_or(i64::MAX)
}

fn progress_bar(output: &Output) -> ProgressBar {
    if output.json {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:40} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

/// Returns the French label of a step reported by the plugin.
fn step_label(step: &str) -> String {
    match step.strip_prefix("download ") {
        Some(file) => format!("Téléchargement de {file}"),
        None if step == "download" => "Téléchargement terminé".to_owned(),
        None => format!("Import de {step}"),
    }
}

/// The outcome of a refresh that ran.
enum Refreshed {
    /// A new snapshot is in service.
    Imported {
        summary: RefreshSummary,
        snapshot: SnapshotInfo,
    },
    /// The plugin wrote nothing; `previous` stays in service.
    Unchanged {
        summary: RefreshSummary,
        previous: Option<SnapshotInfo>,
    },
    /// The refresh or its commit failed, with the French `reason` and the
    /// English `detail`; `previous` stays in service.
    Failed {
        reason: String,
        detail: String,
        previous: Option<SnapshotInfo>,
    },
}

fn run_refresh(
    settings: &Settings,
    output: &Output,
    files: Vec<InputFile>,
    imported_at: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let host = crate::catalog::host(settings)?;
    match refresh_store(settings, &host, files, imported_at, progress_bar(output))? {
        Refreshed::Imported { summary, snapshot } => report_success(output, &summary, &snapshot),
        Refreshed::Unchanged { summary, previous } => report_unchanged(output, &summary, previous),
        Refreshed::Failed {
            reason,
            detail,
            previous,
        } => report_failure(output, &reason, &detail, previous),
    }
}

/// Runs a refresh of the `bdpm` plugin into a new snapshot, showing its
/// progress on `bar`, and commits the snapshot when plausible.
fn refresh_store(
    settings: &Settings,
    host: &Host,
    files: Vec<InputFile>,
    imported_at: NaiveDate,
    bar: ProgressBar,
) -> anyhow::Result<Refreshed> {
    if !host.plugins().iter().any(|plugin| plugin.id == BDPM_SOURCE) {
        anyhow::bail!(
            "le module bdpm n'est pas chargé ; lancez `mediflux plugins list` pour voir pourquoi"
        );
    }
    let previous = RefStore::open(&settings.data_dir)?.current_snapshot(BDPM_SOURCE)?;

    let reporter = bar.clone();
    let sink = Arc::new(StoreSink::new(
        BDPM_SOURCE,
        settings.data_dir.clone(),
        imported_at,
        Box::new(move |step, done, total| {
            reporter.set_message(step_label(step));
            reporter.set_length(total.unwrap_or(done));
            reporter.set_position(done);
        }),
    ));
    let sink_for_host: Arc<dyn RecordSink> = sink.clone();
    let refreshed = super::runtime()?.block_on(host.refresh(BDPM_SOURCE, files, sink_for_host));
    bar.finish_and_clear();

    let summary = match refreshed {
        Ok(summary) => summary,
        Err(error) => {
            sink.abort(&error.to_string());
            return Ok(Refreshed::Failed {
                reason: french::refresh_failure(&error),
                detail: error.to_string(),
                previous,
            });
        }
    };
    Ok(match sink.commit(MINIMUM) {
        Ok(Some(snapshot)) => Refreshed::Imported { summary, snapshot },
        Ok(None) => Refreshed::Unchanged { summary, previous },
        Err(error) => Refreshed::Failed {
            reason: french::store_failure(&error),
            detail: error.to_string(),
            previous,
        },
    })
}

fn report_success(
    output: &Output,
    summary: &RefreshSummary,
    snapshot: &SnapshotInfo,
) -> anyhow::Result<ExitCode> {
    let counts = &snapshot.counts;
    if output.json {
        output.print_json(&serde_json::json!({
            "status": "imported",
            "snapshot_date": snapshot.imported_at.to_string(),
            "counts": {
                "medicines": counts.medicines,
                "presentations": counts.presentations,
                "generic_groups": counts.generic_groups,
                "documents": counts.documents,
            },
            "written": summary.written,
            "rejected": summary.rejected,
            "notes": summary.notes,
            "files": snapshot.files.iter().map(|file| serde_json::json!({
                "name": file.name, "sha256": file.sha256, "bytes": file.bytes,
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }

    println!(
        "Import BDPM terminé : {} médicaments, {} présentations, {} groupes génériques, {} autres fiches.",
        french::count(counts.medicines),
        french::count(counts.presentations),
        french::count(counts.generic_groups),
        french::count(counts.documents)
    );
    if summary.rejected > 0 {
        println!(
            "{} lignes illisibles ont été ignorées (détail avec --json).",
            french::count(summary.rejected)
        );
    }
    for note in summary
        .notes
        .iter()
        .filter(|note| note.contains("left out"))
    {
        println!(
            "Fichier absent du serveur, non importé : {}",
            note_file(note)
        );
    }
    println!(
        "Données en service : BDPM du {}.",
        french::date(snapshot.imported_at)
    );
    Ok(ExitCode::SUCCESS)
}

fn note_file(note: &str) -> &str {
    note.split(':').next().unwrap_or(note)
}

fn report_unchanged(
    output: &Output,
    summary: &RefreshSummary,
    previous: Option<SnapshotInfo>,
) -> anyhow::Result<ExitCode> {
    let unchanged = summary
        .notes
        .iter()
        .any(|note| note.starts_with("unchanged"));
    if !unchanged {
        return report_failure(
            output,
            "aucune donnée n'a été lue dans les fichiers.",
            "the refresh wrote no record",
            previous,
        );
    }
    if output.json {
        output.print_json(&serde_json::json!({
            "status": "unchanged",
            "snapshot_date": previous.as_ref().map(|snapshot| snapshot.imported_at.to_string()),
            "notes": summary.notes,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Les fichiers de la BDPM n'ont pas changé depuis la dernière mise à jour : rien à importer."
    );
    if let Some(snapshot) = previous {
        println!(
            "Données en service : BDPM du {}.",
            french::date(snapshot.imported_at)
        );
    }
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
            "Les données précédentes (BDPM du {}) restent en service.",
            french::date(snapshot.imported_at)
        ),
        None => "Aucune donnée BDPM n'est encore en service.".to_owned(),
    };
    if output.json {
        output.print_json(&serde_json::json!({
            "status": "failed",
            "reason": reason,
            "detail": detail,
            "snapshot_date": previous.as_ref().map(|snapshot| snapshot.imported_at.to_string()),
        }))?;
    }
    eprintln!("Échec de la mise à jour BDPM : {reason}\n{kept}");
    Ok(ExitCode::FAILURE)
}
